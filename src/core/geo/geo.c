#include "core/geo/geo.h"

#include <errno.h>
#include <libdeflate.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/arena.h"
#include "core/geo/geojson.h"

#define GEO_GRID 256            /* cells per side of a layer's grid */
#define GEO_EDGES_PER_BAND 8    /* a ring's edges per latitude band, on average */
#define GEO_MAX_FILE (512u << 20)
#define GEO_NAME_MAX 256        /* longest city name compared, in bytes */

struct geo_county {
	char code[3];
	const char *name; /* "Stockholms län" */
};

struct geo_muni {
	char code[5];
	const char *name;      /* "Stockholm" */
	const char *name_full; /* "Stockholms kommun" */
	char *key;             /* folded names for matching */
	char *key_full;
	char *key_plain;       /* ... without diacritics */
	char *key_full_plain;
	int county;
	double lat, lon; /* representative point */
};

struct geo_zip {
	uint32_t code;
	char text[6];
	const char *locality;
	int muni;
};

struct geo_locality {
	char *key;
	char *key_plain;
	const char *name;
	int muni;
};

struct geo_ring {
	uint32_t feature;
	uint32_t first;  /* index of its first point in layer->xy (pairs) */
	uint32_t npts;   /* closed: point npts-1 equals point 0 */
	uint32_t band0;  /* its bands' offsets start at layer->band_off[band0] */
	uint32_t nbands;
	double minx, miny, maxx, maxy;
	double band_h;
};

struct geo_layer {
	int *feature_item;  /* feature → county or municipality index */
	size_t nfeatures;
	struct geo_ring *rings;
	size_t nrings, caprings;
	double *xy;          /* lon, lat pairs */
	size_t npts, cappts; /* in points */
	uint32_t *band_off;  /* per ring nbands + 1 offsets into band_edges */
	size_t nband_off;
	uint32_t *band_edges;/* edge index within its ring */
	double minx, miny, maxx, maxy, cellw, cellh;
	uint32_t *cell_off;  /* GEO_GRID * GEO_GRID + 1 offsets into cell_rings */
	uint32_t *cell_rings;
};

struct geo_db {
	char *csv_counties, *csv_munis, *csv_zips;
	struct geo_county *counties;
	size_t ncounties;
	struct geo_muni *munis;
	size_t nmunis;
	int16_t muni_by_code[10000]; /* "0180" → index in munis, -1: none */
	struct geo_zip *zips;
	size_t nzips;
	struct geo_locality *localities;
	size_t nlocalities;
	struct geo_layer muni_layer, county_layer;
};

static pthread_mutex_t geo_mutex = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct geo_db *) geo_db;

/* ---------- small helpers ---------- */

static void *geo_xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die_oom();
	p = realloc(p, n * size > 0 ? n * size : 1);
	if (!p)
		die_oom();
	return p;
}

static void *geo_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom();
	return p;
}

/* Makes room for one more element. */
#define GEO_PUSH(arr, n, cap)                                                      \
	do {                                                                       \
		if ((n) == (cap)) {                                                \
			(cap) = (cap) ? (cap) * 2 : 64;                            \
			(arr) = geo_xrealloc((arr), (cap), sizeof(*(arr)));        \
		}                                                                  \
	} while (0)

/*
 * The fast way to inflate a file: one gzip member (what tools/geo_derive.py
 * writes) decompressed by libdeflate in one call, about 2.5 times faster than
 * zlib's gzread. false for anything else (a plain file, several members, a
 * damaged file, a size beyond GEO_MAX_FILE): geo_read_file then reads it with
 * zlib as before, errors and all.
 */
static bool geo_read_gzip(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *in = NULL;
	char *buf = NULL;
	long n;
	size_t isize, used_in = 0, used_out = 0;
	struct libdeflate_decompressor *d = NULL;
	bool ok = false;

	if (!f)
		return false;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 18 || (unsigned long)n > GEO_MAX_FILE ||
		fseek(f, 0, SEEK_SET) != 0)
		goto out;
	in = geo_xrealloc(NULL, (size_t)n, 1);
	if (fread(in, 1, (size_t)n, f) != (size_t)n || in[0] != 0x1f || in[1] != 0x8b)
		goto out;
	/* the trailer's ISIZE: the inflated size modulo 2^32, checked by the inflate */
	isize = (size_t)in[n - 4] | (size_t)in[n - 3] << 8 | (size_t)in[n - 2] << 16 |
		(size_t)in[n - 1] << 24;
	if (isize >= GEO_MAX_FILE - (1 << 16))
		goto out;
	buf = geo_xrealloc(NULL, isize + 1, 1);
	d = libdeflate_alloc_decompressor();
	if (!d)
		die_oom();
	if (libdeflate_gzip_decompress_ex(d, in, (size_t)n, buf, isize, &used_in, &used_out) !=
			LIBDEFLATE_SUCCESS ||
		used_in != (size_t)n || used_out != isize)
		goto out;
	buf[isize] = '\0';
	*out = buf;
	*len = isize;
	buf = NULL;
	ok = true;
out:
	if (d)
		libdeflate_free_decompressor(d);
	free(buf);
	free(in);
	fclose(f);
	return ok;
}

static int geo_read_file(const char *path, char **out, size_t *len, struct error *err)
{
	size_t n = 0, cap = 1 << 20, plen = strlen(path);
	gzFile gz;
	char *buf;

	if (plen > 3 && strcmp(path + plen - 3, ".gz") == 0 && geo_read_gzip(path, out, len))
		return 0;
	gz = gzopen(path, "rb"); /* reads plain files as they are, too */
	if (!gz)
		return error_set(err, ERROR_INTERNAL, "GeoData", "geo: cannot open %s: %s", path,
			strerror(errno));
	buf = geo_xrealloc(NULL, cap, 1);
	for (;;) {
		int r;
		if (cap - n < (1 << 16)) {
			if (cap >= GEO_MAX_FILE) {
				free(buf);
				gzclose(gz);
				return error_set(err, ERROR_INTERNAL, "GeoData", "geo: %s is too large",
					path);
			}
			cap *= 2;
			buf = geo_xrealloc(buf, cap, 1);
		}
		r = gzread(gz, buf + n, (unsigned)(cap - n - 1));
		if (r < 0) {
			int zerr;
			const char *msg = gzerror(gz, &zerr);
			error_set(err, ERROR_INTERNAL, "GeoData", "geo: reading %s: %s", path, msg);
			free(buf);
			gzclose(gz);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	gzclose(gz);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/*
 * Splits buf in place into lines of exactly ncols comma-separated fields (the
 * files have no quoting); skips the header. Calls back per row. 0 or -1.
 */
static int geo_csv_rows(char *buf, const char *name, size_t ncols,
	int (*row)(struct geo_db *, char **, void *), struct geo_db *db, void *arg,
	struct error *err)
{
	char *line = buf, *fields[8];
	size_t lineno = 0;

	while (*line) {
		char *end = strchr(line, '\n'), *p = line;
		size_t n = 0;

		if (end)
			*end = '\0';
		lineno++;
		if (*line && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (lineno > 1 && *line) {
			for (;;) {
				char *c = strchr(p, ',');
				if (n == ncols)
					return error_set(err, ERROR_INTERNAL, "GeoData",
						"geo: %s line %zu: too many fields", name, lineno);
				fields[n++] = p;
				if (!c)
					break;
				*c = '\0';
				p = c + 1;
			}
			if (n != ncols)
				return error_set(err, ERROR_INTERNAL, "GeoData",
					"geo: %s line %zu: %zu fields, want %zu", name, lineno, n, ncols);
			if (row(db, fields, arg) < 0)
				return error_set(err, ERROR_INTERNAL, "GeoData",
					"geo: %s line %zu: bad row", name, lineno);
		}
		if (!end)
			break;
		line = end + 1;
	}
	return 0;
}

static bool geo_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[n] == '\0';
}

static int geo_county_find(const struct geo_db *db, const char *code)
{
	for (size_t i = 0; i < db->ncounties; i++)
		if (strcmp(db->counties[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* A table, not a scan: each of the 15,000 postal-code rows looks its municipality up. */
static int geo_muni_find(const struct geo_db *db, const char *code)
{
	if (!geo_digits(code, 4)) /* every code in the table is four digits */
		return -1;
	return db->muni_by_code[(code[0] - '0') * 1000 + (code[1] - '0') * 100 + (code[2] - '0') * 10 +
		(code[3] - '0')];
}

/* ---------- name folding ---------- */

/*
 * Lower-cases ASCII and the Latin-1 capitals (UTF-8 C3 80..C3 9E but ×), collapses
 * runs of spaces and trims. plain also maps Latin-1 vowels to their base letter
 * ("ö" → "o"). Returns the length, or -1 if it does not fit in out (size cap).
 */
static long geo_fold(struct str s, char *out, size_t cap, bool plain)
{
	size_t n = 0;
	bool space = false;

	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		unsigned char c2;
		char a = 0;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = n > 0;
			continue;
		}
		if (space) {
			if (n + 1 >= cap)
				return -1;
			out[n++] = ' ';
			space = false;
		}
		if (c < 0x80) {
			if (n + 1 >= cap)
				return -1;
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			continue;
		}
		if (c == 0xC3 && i + 1 < s.len) {
			c2 = (unsigned char)s.ptr[i + 1];
			if (c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97)
				c2 = (unsigned char)(c2 + 0x20);
			if (plain) {
				if (c2 >= 0xA0 && c2 <= 0xA5)
					a = 'a';
				else if (c2 == 0xA7)
					a = 'c';
				else if (c2 >= 0xA8 && c2 <= 0xAB)
					a = 'e';
				else if (c2 >= 0xAC && c2 <= 0xAF)
					a = 'i';
				else if (c2 == 0xB1)
					a = 'n';
				else if ((c2 >= 0xB2 && c2 <= 0xB6) || c2 == 0xB8)
					a = 'o';
				else if (c2 >= 0xB9 && c2 <= 0xBC)
					a = 'u';
				else if (c2 == 0xBD || c2 == 0xBF)
					a = 'y';
			}
			if (a) {
				if (n + 1 >= cap)
					return -1;
				out[n++] = a;
			} else {
				if (n + 2 >= cap)
					return -1;
				out[n++] = (char)c;
				out[n++] = (char)c2;
			}
			i++;
			continue;
		}
		if (n + 1 >= cap)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return (long)n;
}

static char *geo_fold_dup(const char *s, bool plain)
{
	char tmp[GEO_NAME_MAX];
	long n = geo_fold(str_from_cstr(s), tmp, sizeof(tmp), plain);
	char *out;

	if (n < 0)
		n = 0, tmp[0] = '\0';
	out = geo_xrealloc(NULL, (size_t)n + 1, 1);
	memcpy(out, tmp, (size_t)n + 1);
	return out;
}

/* ---------- CSV tables ---------- */

static int geo_county_row(struct geo_db *db, char **f, void *arg)
{
	size_t *cap = arg;
	struct geo_county *c;

	if (!geo_digits(f[0], 2) || !*f[1] || geo_county_find(db, f[0]) >= 0)
		return -1;
	GEO_PUSH(db->counties, db->ncounties, *cap);
	c = &db->counties[db->ncounties++];
	memcpy(c->code, f[0], 3);
	c->name = f[1];
	return 0;
}

static int geo_muni_row(struct geo_db *db, char **f, void *arg)
{
	size_t *cap = arg;
	struct geo_muni *m;
	int county;

	if (!geo_digits(f[0], 4) || !*f[1] || !*f[2] || geo_muni_find(db, f[0]) >= 0)
		return -1;
	county = geo_county_find(db, f[3]);
	if (county < 0)
		return -1;
	GEO_PUSH(db->munis, db->nmunis, *cap);
	db->muni_by_code[strtol(f[0], NULL, 10)] = (int16_t)db->nmunis;
	m = &db->munis[db->nmunis++];
	memset(m, 0, sizeof(*m));
	memcpy(m->code, f[0], 5);
	m->name_full = f[1];
	m->name = f[2];
	m->county = county;
	m->key = geo_fold_dup(m->name, false);
	m->key_full = geo_fold_dup(m->name_full, false);
	m->key_plain = geo_fold_dup(m->name, true);
	m->key_full_plain = geo_fold_dup(m->name_full, true);
	return 0;
}

static int geo_zip_row(struct geo_db *db, char **f, void *arg)
{
	size_t *cap = arg;
	struct geo_zip *z;
	int muni;

	if (!geo_digits(f[0], 5) || !*f[1])
		return -1;
	muni = geo_muni_find(db, f[2]);
	if (muni < 0)
		return -1;
	GEO_PUSH(db->zips, db->nzips, *cap);
	z = &db->zips[db->nzips++];
	z->code = (uint32_t)strtoul(f[0], NULL, 10);
	memcpy(z->text, f[0], 6);
	z->locality = f[1];
	z->muni = muni;
	return 0;
}

static int geo_zip_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct geo_zip *)a)->code, y = ((const struct geo_zip *)b)->code;
	return x < y ? -1 : x > y;
}

struct geo_loc_tmp {
	char *key;
	const char *name;
	int muni;
};

static int geo_loc_tmp_cmp(const void *a, const void *b)
{
	const struct geo_loc_tmp *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->muni > y->muni) - (x->muni < y->muni);
}

static int geo_locality_cmp(const void *a, const void *b)
{
	return strcmp(((const struct geo_locality *)a)->key, ((const struct geo_locality *)b)->key);
}

/* One entry per postal town, pointing at the municipality with most of its codes. */
static void geo_build_localities(struct geo_db *db)
{
	struct geo_loc_tmp *t = geo_xcalloc(db->nzips, sizeof(*t));
	size_t cap = 0;

	for (size_t i = 0; i < db->nzips; i++) {
		t[i].key = geo_fold_dup(db->zips[i].locality, false);
		t[i].name = db->zips[i].locality;
		t[i].muni = db->zips[i].muni;
	}
	qsort(t, db->nzips, sizeof(*t), geo_loc_tmp_cmp);
	for (size_t i = 0; i < db->nzips;) {
		size_t j = i, best_n = 0;
		int best = -1;
		struct geo_locality *l;

		while (j < db->nzips && strcmp(t[j].key, t[i].key) == 0) {
			size_t k = j;
			while (k < db->nzips && strcmp(t[k].key, t[i].key) == 0 &&
				t[k].muni == t[j].muni)
				k++;
			if (k - j > best_n) {
				best_n = k - j;
				best = t[j].muni;
			}
			j = k;
		}
		GEO_PUSH(db->localities, db->nlocalities, cap);
		l = &db->localities[db->nlocalities++];
		l->key = t[i].key;
		t[i].key = NULL;
		l->key_plain = geo_fold_dup(t[i].name, true);
		l->name = t[i].name;
		l->muni = best;
		i = j;
	}
	for (size_t i = 0; i < db->nzips; i++)
		free(t[i].key);
	free(t);
	qsort(db->localities, db->nlocalities, sizeof(*db->localities), geo_locality_cmp);
}

/* ---------- polygons ---------- */

/* Where geojson_polygons() delivers a feature's rings. */
struct geo_feature_ctx {
	struct geo_layer *L;
	uint32_t feature;
};

/* A ring just read into L->xy: checked (closed, WGS84 range) and added. */
static int geo_add_ring(void *arg, size_t first, size_t n)
{
	struct geo_feature_ctx *c = arg;
	struct geo_layer *L = c->L;
	struct geo_ring *r;

	if (n < 4 || n > UINT32_MAX / 2 || first + n > UINT32_MAX)
		return -1;
	GEO_PUSH(L->rings, L->nrings, L->caprings);
	r = &L->rings[L->nrings];
	memset(r, 0, sizeof(*r));
	r->feature = c->feature;
	r->first = (uint32_t)first;
	r->npts = (uint32_t)n;
	r->minx = r->miny = INFINITY;
	r->maxx = r->maxy = -INFINITY;
	for (size_t i = first; i < first + n; i++) {
		double x = L->xy[2 * i], y = L->xy[2 * i + 1];

		if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90))
			return -1;
		r->minx = fmin(r->minx, x);
		r->maxx = fmax(r->maxx, x);
		r->miny = fmin(r->miny, y);
		r->maxy = fmax(r->maxy, y);
	}
	/* the even-odd count needs a closed ring */
	if (L->xy[2 * first] != L->xy[2 * (first + n - 1)] ||
		L->xy[2 * first + 1] != L->xy[2 * (first + n - 1) + 1])
		return -1;
	L->nrings++;
	return 0;
}

static uint32_t geo_band_of(const struct geo_ring *r, double y)
{
	double b = floor((y - r->miny) / r->band_h);
	if (!(b >= 0))
		return 0;
	if (b >= (double)r->nbands)
		return r->nbands - 1;
	return (uint32_t)b;
}

/* Per ring, its edges listed by latitude band (an edge is in every band it spans). */
static void geo_build_bands(struct geo_layer *L)
{
	size_t total = 0, nedges = 0;

	for (size_t i = 0; i < L->nrings; i++) {
		struct geo_ring *r = &L->rings[i];
		r->nbands = (r->npts - 1) / GEO_EDGES_PER_BAND;
		if (r->nbands == 0 || r->maxy <= r->miny)
			r->nbands = 1;
		r->band_h = r->maxy > r->miny ? (r->maxy - r->miny) / r->nbands : 1.0;
		r->band0 = (uint32_t)total;
		total += r->nbands + 1;
	}
	L->band_off = geo_xcalloc(total, sizeof(uint32_t));
	L->nband_off = total;
	/* count, then prefix sums, then fill (counting sort) */
	for (size_t i = 0; i < L->nrings; i++) {
		const struct geo_ring *r = &L->rings[i];
		const double *p = L->xy + 2 * (size_t)r->first;
		for (uint32_t e = 0; e + 1 < r->npts; e++) {
			uint32_t b0 = geo_band_of(r, fmin(p[2 * e + 1], p[2 * e + 3]));
			uint32_t b1 = geo_band_of(r, fmax(p[2 * e + 1], p[2 * e + 3]));
			for (uint32_t b = b0; b <= b1; b++)
				L->band_off[r->band0 + b + 1]++;
			nedges += b1 - b0 + 1;
		}
	}
	for (size_t i = 0; i < L->nrings; i++) {
		const struct geo_ring *r = &L->rings[i];
		uint32_t *off = L->band_off + r->band0;
		uint32_t base = i ? L->band_off[L->rings[i - 1].band0 + L->rings[i - 1].nbands] : 0;
		off[0] = base;
		for (uint32_t b = 1; b <= r->nbands; b++)
			off[b] += off[b - 1];
	}
	L->band_edges = geo_xcalloc(nedges, sizeof(uint32_t));
	{
		uint32_t *fill = geo_xcalloc(total, sizeof(uint32_t));
		memcpy(fill, L->band_off, total * sizeof(uint32_t));
		for (size_t i = 0; i < L->nrings; i++) {
			const struct geo_ring *r = &L->rings[i];
			const double *p = L->xy + 2 * (size_t)r->first;
			for (uint32_t e = 0; e + 1 < r->npts; e++) {
				uint32_t b0 = geo_band_of(r, fmin(p[2 * e + 1], p[2 * e + 3]));
				uint32_t b1 = geo_band_of(r, fmax(p[2 * e + 1], p[2 * e + 3]));
				for (uint32_t b = b0; b <= b1; b++)
					L->band_edges[fill[r->band0 + b]++] = e;
			}
		}
		free(fill);
	}
}

static bool geo_cell_of(const struct geo_layer *L, double x, double y, size_t *cx, size_t *cy)
{
	double fx, fy;

	if (!(x >= L->minx && x <= L->maxx && y >= L->miny && y <= L->maxy))
		return false; /* also NaN */
	fx = floor((x - L->minx) / L->cellw);
	fy = floor((y - L->miny) / L->cellh);
	*cx = fx >= GEO_GRID - 1 ? GEO_GRID - 1 : (size_t)fx;
	*cy = fy >= GEO_GRID - 1 ? GEO_GRID - 1 : (size_t)fy;
	return true;
}

/* The grid: per cell, the rings whose bounding box meets it, in ring order. */
static void geo_build_grid(struct geo_layer *L)
{
	size_t ncells = (size_t)GEO_GRID * GEO_GRID, total = 0;
	uint32_t *fill = NULL;

	L->minx = L->miny = INFINITY;
	L->maxx = L->maxy = -INFINITY;
	for (size_t i = 0; i < L->nrings; i++) {
		L->minx = fmin(L->minx, L->rings[i].minx);
		L->miny = fmin(L->miny, L->rings[i].miny);
		L->maxx = fmax(L->maxx, L->rings[i].maxx);
		L->maxy = fmax(L->maxy, L->rings[i].maxy);
	}
	L->cellw = (L->maxx - L->minx) / GEO_GRID;
	L->cellh = (L->maxy - L->miny) / GEO_GRID;
	if (!(L->cellw > 0))
		L->cellw = 1;
	if (!(L->cellh > 0))
		L->cellh = 1;
	L->cell_off = geo_xcalloc(ncells + 1, sizeof(uint32_t));
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < L->nrings; i++) {
			const struct geo_ring *r = &L->rings[i];
			size_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;
			geo_cell_of(L, r->minx, r->miny, &x0, &y0);
			geo_cell_of(L, r->maxx, r->maxy, &x1, &y1);
			for (size_t cy = y0; cy <= y1; cy++)
				for (size_t cx = x0; cx <= x1; cx++) {
					size_t c = cy * GEO_GRID + cx;
					if (pass == 0)
						L->cell_off[c + 1]++;
					else
						L->cell_rings[fill[c]++] = (uint32_t)i;
				}
		}
		if (pass == 0) {
			for (size_t c = 0; c < ncells; c++)
				L->cell_off[c + 1] += L->cell_off[c];
			total = L->cell_off[ncells];
			L->cell_rings = geo_xcalloc(total, sizeof(uint32_t));
			fill = geo_xcalloc(ncells, sizeof(uint32_t));
			memcpy(fill, L->cell_off, ncells * sizeof(uint32_t));
		}
	}
	free(fill);
}

/* Crossings of the ray from (x, y) towards +lon with the ring, modulo 2. */
static unsigned geo_ring_parity(const struct geo_layer *L, const struct geo_ring *r, double x,
	double y)
{
	const double *p = L->xy + 2 * (size_t)r->first;
	const uint32_t *off = L->band_off + r->band0;
	uint32_t b;
	unsigned odd = 0;

	if (!(x <= r->maxx && y >= r->miny && y <= r->maxy) || x < r->minx)
		return 0; /* outside the box: an even number of crossings */
	b = geo_band_of(r, y);
	for (uint32_t k = off[b]; k < off[b + 1]; k++) {
		const double *e = p + 2 * (size_t)L->band_edges[k];
		double x1 = e[0], y1 = e[1], x2 = e[2], y2 = e[3];
		if ((y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1))
			odd ^= 1;
	}
	return odd;
}

/* The first feature of the layer that contains the point, or -1. */
static long geo_layer_find(const struct geo_layer *L, double x, double y)
{
	size_t cx, cy, c;
	uint32_t cur = UINT32_MAX;
	unsigned odd = 0;

	if (!geo_cell_of(L, x, y, &cx, &cy))
		return -1;
	c = cy * GEO_GRID + cx;
	for (uint32_t k = L->cell_off[c]; k < L->cell_off[c + 1]; k++) {
		const struct geo_ring *r = &L->rings[L->cell_rings[k]];
		if (r->feature != cur) {
			if (odd)
				return cur;
			cur = r->feature;
			odd = 0;
		}
		odd ^= geo_ring_parity(L, r, x, y);
	}
	return odd ? (long)cur : -1;
}

static bool geo_feature_contains(const struct geo_layer *L, uint32_t feature, double x, double y)
{
	unsigned odd = 0;
	for (size_t i = 0; i < L->nrings; i++)
		if (L->rings[i].feature == feature)
			odd ^= geo_ring_parity(L, &L->rings[i], x, y);
	return odd;
}

static int geo_dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * The middle of the widest stretch of the feature along latitude y, or false if
 * the line misses it.
 */
static bool geo_scanline_mid(const struct geo_layer *L, uint32_t feature, double y, double *mx)
{
	double *xs = NULL, best = -1;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < L->nrings; i++) {
		const struct geo_ring *r = &L->rings[i];
		const double *p = L->xy + 2 * (size_t)r->first;
		if (r->feature != feature)
			continue;
		for (uint32_t e = 0; e + 1 < r->npts; e++) {
			double x1 = p[2 * e], y1 = p[2 * e + 1], x2 = p[2 * e + 2], y2 = p[2 * e + 3];
			if ((y1 > y) != (y2 > y)) {
				GEO_PUSH(xs, n, cap);
				xs[n++] = x1 + (y - y1) * (x2 - x1) / (y2 - y1);
			}
		}
	}
	if (n >= 2)
		qsort(xs, n, sizeof(*xs), geo_dbl_cmp);
	for (size_t i = 0; i + 1 < n; i += 2)
		if (xs[i + 1] - xs[i] > best) {
			best = xs[i + 1] - xs[i];
			*mx = (xs[i] + xs[i + 1]) / 2;
		}
	free(xs);
	return best > 0;
}

/*
 * A point inside the feature near its centroid: the area centroid of its largest
 * ring if that lies inside, else the middle of the widest stretch through it.
 */
static void geo_representative(const struct geo_layer *L, uint32_t feature, double *lon,
	double *lat)
{
	const struct geo_ring *big = NULL;
	double big_area = 0, cx = 0, cy = 0, a2 = 0, mx;

	for (size_t i = 0; i < L->nrings; i++) {
		const struct geo_ring *r = &L->rings[i];
		const double *p = L->xy + 2 * (size_t)r->first;
		double area = 0;
		if (r->feature != feature)
			continue;
		for (uint32_t e = 0; e + 1 < r->npts; e++)
			area += p[2 * e] * p[2 * e + 3] - p[2 * e + 2] * p[2 * e + 1];
		if (fabs(area) > big_area) {
			big_area = fabs(area);
			big = r;
		}
	}
	if (!big) {
		*lon = *lat = 0;
		return;
	}
	{
		const double *p = L->xy + 2 * (size_t)big->first;
		double ox = p[0], oy = p[1]; /* relative to a vertex, for precision */
		for (uint32_t e = 0; e + 1 < big->npts; e++) {
			double x1 = p[2 * e] - ox, y1 = p[2 * e + 1] - oy;
			double x2 = p[2 * e + 2] - ox, y2 = p[2 * e + 3] - oy;
			double c = x1 * y2 - x2 * y1;
			a2 += c;
			cx += (x1 + x2) * c;
			cy += (y1 + y2) * c;
		}
		if (a2 != 0) {
			cx = ox + cx / (3 * a2);
			cy = oy + cy / (3 * a2);
		} else {
			cx = (big->minx + big->maxx) / 2;
			cy = (big->miny + big->maxy) / 2;
		}
	}
	if (!geo_feature_contains(L, feature, cx, cy)) {
		if (geo_scanline_mid(L, feature, cy, &mx) && geo_feature_contains(L, feature, mx, cy)) {
			cx = mx;
		} else {
			cy = (big->miny + big->maxy) / 2;
			if (geo_scanline_mid(L, feature, cy, &mx))
				cx = mx;
		}
	}
	*lon = cx;
	*lat = cy;
}

struct geo_layer_ctx {
	struct geo_db *db;
	struct geo_layer *L;
	bool munis;
	const char *path;
	struct error *err;
	bool failed; /* geo_add_feature set err (geojson_read's -1 is "malformed") */
};

/* Adds one GeoJSON feature; its code is matched to the CSV tables. */
static int geo_add_feature(struct geo_layer_ctx *c, const struct geojson_feature *ft)
{
	struct geo_layer *L = c->L;
	size_t i = L->nfeatures, cap = L->nfeatures;
	struct geo_feature_ctx fc = { L, (uint32_t)i };
	char padded[5];
	long v;
	char *end;
	int item, bad = 0;

	if (!ft->code || !ft->type || !ft->coordinates)
		return error_set(c->err, ERROR_INTERNAL, "GeoData",
			"geo: %s feature %zu: no code or geometry", c->path, i);
	errno = 0;
	v = strtol(ft->code, &end, 10);
	if (*end || errno || v <= 0 || v > (c->munis ? 9999 : 99))
		return error_set(c->err, ERROR_INTERNAL, "GeoData", "geo: %s feature %zu: bad code",
			c->path, i);
	snprintf(padded, sizeof(padded), c->munis ? "%04ld" : "%02ld", v);
	item = c->munis ? geo_muni_find(c->db, padded) : geo_county_find(c->db, padded);
	if (item < 0)
		return error_set(c->err, ERROR_INTERNAL, "GeoData", "geo: %s: code %s not in the CSV",
			c->path, padded);
	if (strcmp(ft->type, "Polygon") == 0 || strcmp(ft->type, "MultiPolygon") == 0)
		bad = geojson_polygons(ft, strcmp(ft->type, "MultiPolygon") == 0, &L->xy, &L->npts,
			&L->cappts, geo_add_ring, &fc);
	else
		bad = -1;
	if (bad < 0)
		return error_set(c->err, ERROR_INTERNAL, "GeoData",
			"geo: %s feature %zu (%s): bad geometry", c->path, i, padded);
	/* exact-size growth is fine: a few hundred features */
	L->feature_item = geo_xrealloc(L->feature_item, cap + 1, sizeof(int));
	L->feature_item[L->nfeatures++] = item;
	return 0;
}

static int geo_feature_read(void *arg, const struct geojson_feature *ft)
{
	struct geo_layer_ctx *c = arg;

	if (geo_add_feature(c, ft) < 0) {
		c->failed = true;
		return -1;
	}
	return 0;
}

/*
 * Reads a FeatureCollection with core/geo/geojson.c, which puts the coordinates
 * straight into L->xy: jansson's tree cost an allocation per number and most of
 * the load time.
 */
static int geo_load_layer(struct geo_db *db, struct geo_layer *L, const char *dir,
	const char *name, bool munis, struct error *err)
{
	char path[4096], *text = NULL;
	size_t len, pos = 0;
	int rc = -1, r;
	bool any = false;
	struct geo_layer_ctx ctx = { db, L, munis, path, err, false };

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.geojson.gz", dir, name) >= sizeof(path))
		return error_set(err, ERROR_INTERNAL, "GeoData", "geo: path too long");
	if (geo_read_file(path, &text, &len, err) < 0)
		return -1;
	r = geojson_read(text, len, &pos, &any, geo_feature_read, &ctx);
	if (ctx.failed)
		goto out;
	if (r < 0 || !any || L->nrings == 0)
		goto bad;
	geo_build_bands(L);
	geo_build_grid(L);
	rc = 0;
	goto out;
bad:
	error_set(err, ERROR_INTERNAL, "GeoData", "geo: %s: not a GeoJSON FeatureCollection of polygons (byte %zu)", path, pos);
out:
	free(text);
	return rc;
}

static void geo_layer_free(struct geo_layer *L)
{
	free(L->feature_item);
	free(L->rings);
	free(L->xy);
	free(L->band_off);
	free(L->band_edges);
	free(L->cell_off);
	free(L->cell_rings);
}

static void geo_db_free(struct geo_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nmunis; i++) {
		free(db->munis[i].key);
		free(db->munis[i].key_full);
		free(db->munis[i].key_plain);
		free(db->munis[i].key_full_plain);
	}
	for (size_t i = 0; i < db->nlocalities; i++) {
		free(db->localities[i].key);
		free(db->localities[i].key_plain);
	}
	free(db->localities);
	free(db->munis);
	free(db->counties);
	free(db->zips);
	free(db->csv_counties);
	free(db->csv_munis);
	free(db->csv_zips);
	geo_layer_free(&db->muni_layer);
	geo_layer_free(&db->county_layer);
	free(db);
}

static int geo_load_csv(struct geo_db *db, const char *dir, const char *name, char **buf,
	size_t ncols, int (*row)(struct geo_db *, char **, void *), struct error *err)
{
	char path[4096];
	size_t len, cap = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return error_set(err, ERROR_INTERNAL, "GeoData", "geo: path too long");
	if (geo_read_file(path, buf, &len, err) < 0)
		return -1;
	if (strlen(*buf) != len)
		return error_set(err, ERROR_INTERNAL, "GeoData", "geo: %s: NUL byte", path);
	return geo_csv_rows(*buf, name, ncols, row, db, &cap, err);
}

static int geo_load_db(const char *dir, struct geo_db **out, struct error *err)
{
	struct geo_db *db = geo_xcalloc(1, sizeof(*db));

	memset(db->muni_by_code, 0xff, sizeof(db->muni_by_code)); /* all -1 */

	if (geo_load_csv(db, dir, "counties.csv", &db->csv_counties, 3, geo_county_row, err) < 0 ||
		geo_load_csv(db, dir, "municipalities.csv", &db->csv_munis, 4, geo_muni_row, err) <
			0 ||
		geo_load_csv(db, dir, "postal_to_municipality.csv", &db->csv_zips, 4, geo_zip_row,
			err) < 0)
		goto fail;
	if (db->ncounties == 0 || db->nmunis == 0 || db->nzips == 0) {
		error_set(err, ERROR_INTERNAL, "GeoData", "geo: %s: empty tables", dir);
		goto fail;
	}
	qsort(db->zips, db->nzips, sizeof(*db->zips), geo_zip_cmp);
	for (size_t i = 1; i < db->nzips; i++)
		if (db->zips[i].code == db->zips[i - 1].code) {
			error_set(err, ERROR_INTERNAL, "GeoData", "geo: duplicate postal code %s",
				db->zips[i].text);
			goto fail;
		}
	geo_build_localities(db);
	if (geo_load_layer(db, &db->muni_layer, dir, "municipalities", true, err) < 0 ||
		geo_load_layer(db, &db->county_layer, dir, "counties", false, err) < 0)
		goto fail;
	for (size_t f = 0; f < db->muni_layer.nfeatures; f++) {
		struct geo_muni *m = &db->munis[db->muni_layer.feature_item[f]];
		geo_representative(&db->muni_layer, (uint32_t)f, &m->lon, &m->lat);
	}
	for (size_t i = 0; i < db->nmunis; i++) {
		if (db->munis[i].lat == 0 && db->munis[i].lon == 0) {
			error_set(err, ERROR_INTERNAL, "GeoData", "geo: municipality %s has no polygon",
				db->munis[i].code);
			goto fail;
		}
	}
	*out = db;
	return 0;
fail:
	geo_db_free(db);
	return -1;
}

int geo_load(const char *dir, struct error *err)
{
	struct geo_db *db;
	int rc = 0;

	if (atomic_load_explicit(&geo_db, memory_order_acquire))
		return 0;
	if (!dir || !*dir)
		return error_set(err, ERROR_INTERNAL, "GeoData", "geo: no data directory");
	pthread_mutex_lock(&geo_mutex);
	if (!atomic_load_explicit(&geo_db, memory_order_acquire)) {
		rc = geo_load_db(dir, &db, err);
		if (rc == 0)
			atomic_store_explicit(&geo_db, db, memory_order_release);
	}
	pthread_mutex_unlock(&geo_mutex);
	return rc;
}

bool geo_loaded(void)
{
	return atomic_load_explicit(&geo_db, memory_order_acquire) != NULL;
}

/* ---------- queries ---------- */

int geo_lookup(double lat, double lon, struct geo_place *out)
{
	const struct geo_db *db = atomic_load_explicit(&geo_db, memory_order_acquire);
	long f;

	*out = (struct geo_place){ "", "", "", "", false };
	if (!db)
		return -1;
	f = geo_layer_find(&db->muni_layer, lon, lat);
	if (f >= 0) {
		const struct geo_muni *m = &db->munis[db->muni_layer.feature_item[f]];
		const struct geo_county *c = &db->counties[m->county];
		*out = (struct geo_place){ c->name, c->code, m->name, m->code, true };
		return 0;
	}
	f = geo_layer_find(&db->county_layer, lon, lat);
	if (f >= 0) {
		const struct geo_county *c = &db->counties[db->county_layer.feature_item[f]];
		out->county_name = c->name;
		out->county_code = c->code;
	}
	return 0;
}

/* "11129", "111 29", " 11129 " → 11129; else -1. */
static long geo_parse_zip(struct str zip)
{
	long v = 0;
	size_t nd = 0;

	zip = str_trim(zip);
	for (size_t i = 0; i < zip.len; i++) {
		char c = zip.ptr[i];
		if (c == ' ' && nd == 3 && i == 3)
			continue;
		if (c < '0' || c > '9' || nd == 5)
			return -1;
		v = v * 10 + (c - '0');
		nd++;
	}
	return nd == 5 ? v : -1;
}

static const struct geo_zip *geo_zip_find(const struct geo_db *db, struct str zip)
{
	long code = geo_parse_zip(zip);
	size_t lo = 0, hi;

	if (code < 0)
		return NULL;
	hi = db->nzips;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (db->zips[mid].code < (uint32_t)code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < db->nzips && db->zips[lo].code == (uint32_t)code ? &db->zips[lo] : NULL;
}

int geo_postal(struct str zip, struct geo_postal *out)
{
	const struct geo_db *db = atomic_load_explicit(&geo_db, memory_order_acquire);
	const struct geo_zip *z;
	const struct geo_muni *m;
	const struct geo_county *c;

	*out = (struct geo_postal){ "", "", "", "", "", "" };
	if (!db || !(z = geo_zip_find(db, zip)))
		return -1;
	m = &db->munis[z->muni];
	c = &db->counties[m->county];
	*out = (struct geo_postal){ z->text, z->locality, m->name, m->code, c->name, c->code };
	return 0;
}

static int geo_city_muni(const struct geo_db *db, const char *key, bool plain)
{
	for (size_t i = 0; i < db->nmunis; i++) {
		const struct geo_muni *m = &db->munis[i];
		if (strcmp(plain ? m->key_plain : m->key, key) == 0 ||
			strcmp(plain ? m->key_full_plain : m->key_full, key) == 0)
			return (int)i;
	}
	return -1;
}

static int geo_city_locality(const struct geo_db *db, const char *key, bool plain)
{
	if (!plain) {
		struct geo_locality probe = { .key = (char *)(uintptr_t)key };
		const struct geo_locality *l = bsearch(&probe, db->localities, db->nlocalities,
			sizeof(*db->localities), geo_locality_cmp);
		return l ? l->muni : -1;
	}
	for (size_t i = 0; i < db->nlocalities; i++)
		if (strcmp(db->localities[i].key_plain, key) == 0)
			return db->localities[i].muni;
	return -1;
}

int geo_estimate(struct str zip, struct str city, struct geo_estimate *out)
{
	const struct geo_db *db = atomic_load_explicit(&geo_db, memory_order_acquire);
	const struct geo_zip *z = NULL;
	enum geo_match match = GEO_MATCH_NONE;
	int muni = -1;

	*out = (struct geo_estimate){ 0, 0, "", "", "", "", "", GEO_MATCH_NONE, false };
	if (!db)
		return -1;
	if (zip.len && (z = geo_zip_find(db, zip))) {
		muni = z->muni;
		match = GEO_MATCH_POSTAL;
	}
	for (int plain = 0; muni < 0 && plain < 2 && city.len; plain++) {
		char key[GEO_NAME_MAX];
		if (geo_fold(city, key, sizeof(key), plain) <= 0)
			break;
		if ((muni = geo_city_muni(db, key, plain)) >= 0)
			match = GEO_MATCH_MUNICIPALITY;
		else if ((muni = geo_city_locality(db, key, plain)) >= 0)
			match = GEO_MATCH_LOCALITY;
	}
	if (muni < 0)
		return -1;
	{
		const struct geo_muni *m = &db->munis[muni];
		const struct geo_county *c = &db->counties[m->county];
		*out = (struct geo_estimate){ m->lat, m->lon, c->name, c->code, m->name, m->code,
			z ? z->locality : "", match, true };
	}
	return 0;
}

long geo_rings_in_box(enum geo_layer_kind layer, double min_lat, double min_lon, double max_lat,
	double max_lon, geo_ring_visit visit, void *arg)
{
	const struct geo_db *db = atomic_load_explicit(&geo_db, memory_order_acquire);
	const struct geo_layer *L;
	long n = 0;

	if (!db)
		return -1;
	L = layer == GEO_LAYER_COUNTIES ? &db->county_layer : &db->muni_layer;
	/* written so that NaN bounds match nothing */
	if (!(min_lat <= max_lat && min_lon <= max_lon))
		return 0;
	for (size_t i = 0; i < L->nrings; i++) {
		const struct geo_ring *r = &L->rings[i];
		int item = L->feature_item[r->feature];
		const char *code = layer == GEO_LAYER_COUNTIES ? db->counties[item].code
							       : db->munis[item].code;

		if (r->maxx < min_lon || r->minx > max_lon || r->maxy < min_lat || r->miny > max_lat)
			continue;
		n++;
		if (visit(arg, L->xy + 2 * (size_t)r->first, r->npts, code))
			break;
	}
	return n;
}
