/*
 * fuzz_geojson.c — core/geo/geojson.c against the jansson-based reader it replaced.
 *
 * The input is a would-be FeatureCollection. geojson_read() and
 * geojson_polygons() (as a Polygon and as a MultiPolygon) record what they see
 * — each feature's offset, code, type, whether it has coordinates, every ring's
 * points bit for bit, which shapes are refused — and so does a reference walk
 * written the way geo.c used to read the files: json_loadb() per member and per
 * feature, then the json_t tree. The two records, the result and the error
 * offset must be identical; ASan/UBSan watch the bounds.
 */
#include <jansson.h>
#include <string.h>

#include "base/arena.h"
#include "core/geo/geojson.h"
#include "fuzz.h"

/* ---------- the record both sides write ---------- */

struct rec {
	unsigned char *p;
	size_t n, cap;
};

static void rec_put(struct rec *r, const void *p, size_t n)
{
	if (r->cap - r->n < n) {
		r->cap = (r->cap + n) * 2;
		r->p = realloc(r->p, r->cap);
		FUZZ_CHECK(r->p != NULL, "oom");
	}
	memcpy(r->p + r->n, p, n);
	r->n += n;
}

static void rec_size(struct rec *r, size_t v)
{
	rec_put(r, &v, sizeof(v));
}

static void rec_str(struct rec *r, const char *s)
{
	rec_size(r, s ? strlen(s) : SIZE_MAX);
	if (s)
		rec_put(r, s, strlen(s));
}

/* ---------- the new reader ---------- */

struct new_side {
	struct rec rec;
	double *xy;
	size_t npts, cap;
};

static int new_ring(void *arg, size_t first, size_t npts)
{
	struct new_side *s = arg;

	rec_size(&s->rec, npts);
	if (npts) /* xy is still NULL before the first point */
		rec_put(&s->rec, s->xy + 2 * first, npts * 2 * sizeof(double));
	return 0;
}

static int new_feature(void *arg, const struct geojson_feature *f)
{
	struct new_side *s = arg;

	rec_size(&s->rec, f->index);
	rec_size(&s->rec, f->start);
	rec_str(&s->rec, f->code);
	rec_str(&s->rec, f->type);
	rec_size(&s->rec, f->coordinates);
	if (!f->coordinates)
		return 0;
	for (int multi = 0; multi < 2; multi++) {
		int rc = geojson_polygons(f, multi, &s->xy, &s->npts, &s->cap, new_ring, s);
		FUZZ_CHECK(rc == 0 || rc == -1, "geojson_polygons %d", rc);
		rec_size(&s->rec, (size_t)(rc + 1)); /* refused shapes count, not what came before */
	}
	return 0;
}

/* ---------- the reference: the old loader's walk ---------- */

static size_t ref_ws(const char *s, size_t len, size_t pos)
{
	while (pos < len && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
		pos++;
	return pos;
}

static json_t *ref_value(const char *s, size_t len, size_t *pos)
{
	json_error_t jerr;
	json_t *v = json_loadb(s + *pos, len - *pos, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &jerr);

	if (v)
		*pos += (size_t)jerr.position;
	return v;
}

static int ref_ring(struct rec *r, json_t *ring)
{
	size_t i;
	json_t *p;

	if (!json_is_array(ring))
		return -1;
	json_array_foreach (ring, i, p) {
		if (!json_is_array(p) || json_array_size(p) < 2 ||
			!json_is_number(json_array_get(p, 0)) || !json_is_number(json_array_get(p, 1)))
			return -1;
	}
	rec_size(r, json_array_size(ring));
	json_array_foreach (ring, i, p) {
		double xy[2] = { json_number_value(json_array_get(p, 0)),
			json_number_value(json_array_get(p, 1)) };
		rec_put(r, xy, sizeof(xy));
	}
	return 0;
}

static int ref_polygon(struct rec *r, json_t *rings)
{
	size_t i;
	json_t *ring;

	if (!json_is_array(rings) || json_array_size(rings) == 0)
		return -1;
	json_array_foreach (rings, i, ring)
		if (ref_ring(r, ring) < 0)
			return -1;
	return 0;
}

static void ref_feature(struct rec *r, json_t *ft, size_t index, size_t start)
{
	json_t *geom = json_object_get(ft, "geometry");
	json_t *coords = json_object_get(geom, "coordinates");
	size_t i;
	json_t *poly;
	int rc = 0;

	rec_size(r, index);
	rec_size(r, start);
	rec_str(r, json_string_value(json_object_get(json_object_get(ft, "properties"), "code")));
	rec_str(r, json_string_value(json_object_get(geom, "type")));
	rec_size(r, json_is_array(coords));
	if (!json_is_array(coords))
		return;
	rec_size(r, (size_t)(ref_polygon(r, coords) + 1));
	json_array_foreach (coords, i, poly)
		if ((rc = ref_polygon(r, poly)) < 0)
			break;
	rec_size(r, (size_t)(rc + 1));
}

/* geo.c's geo_load_layer before core/geo/geojson.c, minus the CSV and polygon checks */
static int ref_read(const char *text, size_t len, size_t *pos_out, bool *any, struct rec *r)
{
	size_t pos, n = 0;

	*any = false;
	pos = ref_ws(text, len, 0);
	if (pos >= len || text[pos] != '{')
		goto bad;
	pos = ref_ws(text, len, pos + 1);
	while (pos < len && text[pos] != '}') {
		json_t *key = ref_value(text, len, &pos);
		bool features = json_is_string(key) && strcmp(json_string_value(key), "features") == 0;

		if (!json_is_string(key)) {
			json_decref(key);
			goto bad;
		}
		json_decref(key);
		pos = ref_ws(text, len, pos);
		if (pos >= len || text[pos] != ':')
			goto bad;
		pos = ref_ws(text, len, pos + 1);
		if (features) {
			if (pos >= len || text[pos] != '[')
				goto bad;
			*any = true;
			pos = ref_ws(text, len, pos + 1);
			while (pos < len && text[pos] != ']') {
				size_t start = pos;
				json_t *ft = ref_value(text, len, &pos);
				if (!ft)
					goto bad;
				ref_feature(r, ft, n++, start);
				json_decref(ft);
				pos = ref_ws(text, len, pos);
				if (pos < len && text[pos] == ',')
					pos = ref_ws(text, len, pos + 1);
				else if (pos >= len || text[pos] != ']')
					goto bad;
			}
			if (pos >= len)
				goto bad;
			pos++;
		} else {
			json_t *v = ref_value(text, len, &pos);
			if (!v)
				goto bad;
			json_decref(v);
		}
		pos = ref_ws(text, len, pos);
		if (pos < len && text[pos] == ',')
			pos = ref_ws(text, len, pos + 1);
		else if (pos >= len || text[pos] != '}')
			goto bad;
	}
	if (pos >= len)
		goto bad;
	*pos_out = pos;
	return 0;
bad:
	*pos_out = pos;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct new_side s = { 0 };
	struct rec ref = { 0 };
	size_t pos_new = 0, pos_ref = 0;
	bool any_new, any_ref;
	int rc_new, rc_ref;

	rc_new = geojson_read((const char *)data, size, &pos_new, &any_new, new_feature, &s);
	rc_ref = ref_read((const char *)data, size, &pos_ref, &any_ref, &ref);
	FUZZ_CHECK(rc_new == rc_ref && pos_new == pos_ref, "result %d at byte %zu, jansson %d at %zu",
		rc_new, pos_new, rc_ref, pos_ref);
	FUZZ_CHECK(rc_new < 0 || any_new == any_ref, "features member %d vs %d", any_new, any_ref);
	/* a malformed feature stops both before it is recorded, so the records agree too */
	if (s.rec.n != ref.n || (s.rec.n && memcmp(s.rec.p, ref.p, s.rec.n) != 0)) {
		size_t i = 0;
		while (i < s.rec.n && i < ref.n && s.rec.p[i] == ref.p[i])
			i++;
		FUZZ_CHECK(false, "records differ at byte %zu of %zu/%zu", i, s.rec.n, ref.n);
	}
	free(s.rec.p);
	free(s.xy);
	free(ref.p);
	return 0;
}
