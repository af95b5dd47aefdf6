/*
 * geojson.h — a streaming reader of GeoJSON FeatureCollections of polygons, for
 * geo.c's boundary files.
 *
 * A general JSON parser (jansson) builds a tree of one allocation per number:
 * for the 14 MB of municipality and county polygons that was nearly all of
 * geo_load()'s second. This reader walks the text once per feature to check it,
 * remembers where the few members geo.c needs are, and geojson_polygons() then
 * reads the coordinates straight into the caller's point array, no allocation per
 * number. Numbers convert bit-identically to strtod() (a correctly rounded fast
 * path when exact, strtod() otherwise, independent of the locale).
 *
 * It accepts and rejects exactly what the jansson-based loader it replaces did
 * (fuzz/fuzz_geojson.c compares the two on arbitrary input): every feature is one
 * JSON value as jansson reads it (strict UTF-8, no \u0000, surrogates paired,
 * integers within long long, no real overflow, nesting ≤ 2048 values deep);
 * members may come in any order, unknown ones are skipped, and of a repeated
 * member the last counts. Integer tokens convert like jansson's integers ("-0"
 * is +0.0). The collection object around the features is read the same lenient
 * way as before (only its "features" member matters; a trailing comma passes).
 */
#ifndef RENTD_GEOJSON_H
#define RENTD_GEOJSON_H

#include <stdbool.h>
#include <stddef.h>

/* One feature, valid while the callback runs. */
struct geojson_feature {
	size_t index; /* 0-based, in file order */
	size_t start; /* byte offset of the feature's value */
	const char *code; /* properties.code if it is a string (decoded, UTF-8), else NULL */
	const char *type; /* geometry.type if it is a string, else NULL */
	bool coordinates; /* geometry.coordinates is an array */
	/* private: where the coordinates start */
	const char *text_;
	size_t len_, coords_;
};

typedef int (*geojson_feature_fn)(void *arg, const struct geojson_feature *f);

/*
 * Reads the FeatureCollection text[0, len) and calls fn per feature of every
 * "features" member. Returns 0, with *pos at the collection's closing brace and
 * *any telling whether a "features" array was there; -1 when the text is
 * malformed, *pos the offending byte (a feature's first byte when the feature
 * itself is not valid JSON); or the first non-zero return of fn.
 */
int geojson_read(const char *text, size_t len, size_t *pos, bool *any, geojson_feature_fn fn,
	void *arg);

typedef int (*geojson_ring_fn)(void *arg, size_t first, size_t npts);

/*
 * The feature's coordinates as a Polygon (multi false: a non-empty array of
 * rings) or a MultiPolygon (an array of Polygons). Each ring is an array of
 * positions, each position an array whose first two members are numbers (more
 * are ignored); the (x, y) pairs are appended to *xy (*npts points, room for
 * *cap, grown by doubling), and ring is called with each ring's first point and
 * count as soon as it is read. 0; -1 when the coordinates have another shape; or
 * ring's first non-zero return. Requires f->coordinates.
 */
int geojson_polygons(const struct geojson_feature *f, bool multi, double **xy, size_t *npts,
	size_t *cap, geojson_ring_fn ring, void *arg);

#endif
