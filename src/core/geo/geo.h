/*
 * geo.h — Swedish geography: coordinates → county/municipality, postal codes and
 * city names → an estimated position.
 *
 * Serves HomeQ's POST /api/v1/geo/lookup and /api/v1/geo/estimate and the
 * county/municipality derived for apartments (decisions.md H-28). The data is
 * data/geo/ in the source tree (see its README.md): municipality and county
 * polygons (GeoJSON, gzip) and the county, municipality and postal-code CSVs.
 *
 * geo_load() reads everything once per process and may be called from any
 * number of threads: the first successful call loads, later calls return 0 at
 * once, a failed call may be retried. After that the data is immutable and every
 * other function is thread-safe and allocation-free. Before a successful load they answer "unknown".
 *
 * Loading costs about 0.13 s of CPU: libdeflate inflates the two GeoJSON files
 * (14 MB of text) in one call each, core/geo/geojson.c reads the coordinates straight
 * into the point arrays, and the rest is the CSVs and the lookup indexes. It was
 * about 0.8–1 s when jansson built a tree per feature, paid by every server start
 * and every test process that touches geography. Measured on the shared 2-core
 * build machine (load average 7–9, so noisy): geo_load() alone 783 → 130 ms of
 * task-clock (`perf stat -r 5`); `RENTD_GEO_DIR=$PWD/data/geo perf stat -r 5
 * build/tests/test_geo --filter 'geo/lookup*'` 766 → 221 ms task-clock, 1.57 →
 * 0.35 s wall.
 */
#ifndef RENTD_GEO_H
#define RENTD_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "base/str.h"

/* Loads dir/{counties,municipalities}.geojson.gz and the CSVs; 0 or -1 (err filled). */
int geo_load(const char *dir, struct error *err);
bool geo_loaded(void);

struct geo_place {
	const char *county_name;       /* "Stockholms län" */
	const char *county_code;       /* "01" */
	const char *municipality_name; /* "Stockholm" */
	const char *municipality_code; /* "0180" */
	/*
	 * true: inside a municipality, all four fields set. false: outside every
	 * municipality (open sea, another country); the county fields are set only
	 * if a county polygon still contains the point, else everything is "".
	 */
	bool complete;
};

/* WGS84 degrees. 0, or -1 when the data is not loaded; out is always filled. */
int geo_lookup(double lat, double lon, struct geo_place *out);

struct geo_postal {
	const char *postal_code; /* "11129" */
	const char *locality;    /* "Stockholm" (the postal town) */
	const char *municipality_name;
	const char *municipality_code;
	const char *county_name;
	const char *county_code;
};

/*
 * A Swedish postal code: five digits, optionally "NNN NN", surrounding spaces
 * ignored. 0, or -1 for a malformed or unknown code (the table misses some newer
 * codes); out is always filled ("" when not found).
 */
int geo_postal(struct str zip, struct geo_postal *out);

enum geo_match {
	GEO_MATCH_NONE = 0,     /* nothing matched: unknown */
	GEO_MATCH_POSTAL,       /* the postal code is in the table */
	GEO_MATCH_MUNICIPALITY, /* city is a municipality's name ("Malmö", "Malmö kommun") */
	GEO_MATCH_LOCALITY,     /* city is a postal town; its most common municipality */
};

struct geo_estimate {
	/* the municipality's representative point: inside it, near its centroid */
	double latitude;
	double longitude;
	const char *county_name;
	const char *county_code;
	const char *municipality_name;
	const char *municipality_code;
	const char *locality; /* the postal town for GEO_MATCH_POSTAL, else "" */
	enum geo_match match;
	/* true when a position was estimated (match != NONE); never an address's own point */
	bool estimate;
};

/*
 * Estimates where an address is: by postal code first, then by city name —
 * municipality names, then postal towns — compared case-insensitively (ASCII and
 * Latin-1 letters in UTF-8: "GÖTEBORG" = "göteborg"), and failing that with
 * diacritics dropped ("Goteborg"). Either argument may be empty. 0 when something
 * matched, -1 for unknown (out filled with "" and zero coordinates).
 */
int geo_estimate(struct str zip, struct str city, struct geo_estimate *out);

/*
 * Border drawing (core/geo/staticmap.c): the polygon rings of one layer whose
 * bounding box meets the box [min_lat, max_lat] × [min_lon, max_lon]. Each ring
 * is npts (longitude, latitude) pairs, closed (the last point repeats the first),
 * owned by the module; code is its county or municipality code. visit returning
 * non-zero stops the walk. Returns the number of rings visited, or -1 when the
 * data is not loaded.
 */
enum geo_layer_kind {
	GEO_LAYER_MUNICIPALITIES,
	GEO_LAYER_COUNTIES,
};
typedef int (*geo_ring_visit)(void *arg, const double *lonlat, size_t npts, const char *code);
long geo_rings_in_box(enum geo_layer_kind layer, double min_lat, double min_lon, double max_lat,
	double max_lon, geo_ring_visit visit, void *arg);

#endif
