/*
 * test_geo.c — coordinates → county/municipality, postal codes, estimates.
 *
 * Runs against the committed data/geo/ (RENTD_GEO_DIR, set by tests/meson.build).
 * Reference points are well inside their municipality, so small changes of the
 * boundary data do not move them.
 */
#include <criterion/criterion.h>
#include <zlib.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/geo/geo.h"

static void load(void)
{
	const char *dir = getenv("RENTD_GEO_DIR");
	struct error err;

	error_init(&err, NULL);
	cr_assert_eq(geo_load(dir ? dir : "data/geo", &err), 0, "geo_load: %s",
		err.message ? err.message : "?");
	cr_assert(geo_loaded());
}

/*
 * Each Test() runs in a fresh process that loads the data again (~0.2 s, more
 * under ASan), so the checks are grouped into a few tests.
 */
TestSuite(geo, .init = load);

static void expect_place(double lat, double lon, const char *county, const char *county_code,
	const char *muni, const char *muni_code)
{
	struct geo_place p;

	cr_assert_eq(geo_lookup(lat, lon, &p), 0);
	cr_expect(p.complete, "(%f, %f) not complete", lat, lon);
	cr_expect_str_eq(p.county_name, county, "(%f, %f)", lat, lon);
	cr_expect_str_eq(p.county_code, county_code, "(%f, %f)", lat, lon);
	cr_expect_str_eq(p.municipality_name, muni, "(%f, %f)", lat, lon);
	cr_expect_str_eq(p.municipality_code, muni_code, "(%f, %f)", lat, lon);
}

static void expect_nowhere(double lat, double lon)
{
	struct geo_place p;

	cr_assert_eq(geo_lookup(lat, lon, &p), 0);
	cr_expect_not(p.complete, "(%f, %f) complete", lat, lon);
	cr_expect_str_eq(p.municipality_name, "", "(%f, %f)", lat, lon);
	cr_expect_str_eq(p.municipality_code, "", "(%f, %f)", lat, lon);
	cr_expect_str_empty(p.county_name, "(%f, %f)", lat, lon);
}

static void lookup_cities(void)
{
	expect_place(59.3275, 18.0543, "Stockholms län", "01", "Stockholm", "0180"); /* city hall */
	expect_place(55.605, 13.0038, "Skåne län", "12", "Malmö", "1280");
	expect_place(67.8558, 20.2253, "Norrbottens län", "25", "Kiruna", "2584");
	expect_place(57.7089, 11.9746, "Västra Götalands län", "14", "Göteborg", "1480");
	expect_place(59.8586, 17.6389, "Uppsala län", "03", "Uppsala", "0380");
	expect_place(57.6348, 18.2948, "Gotlands län", "09", "Gotland", "0980"); /* Visby */
	expect_place(63.8258, 20.2630, "Västerbottens län", "24", "Umeå", "2480");
	/* Solna borders Stockholm: the right side of the line */
	expect_place(59.3600, 18.0000, "Stockholms län", "01", "Solna", "0184");
}

static void lookup_outside(void)
{
	expect_nowhere(57.0, 19.5);      /* Baltic Sea east of Gotland */
	expect_nowhere(59.9139, 10.7522); /* Oslo */
	expect_nowhere(60.1699, 24.9384); /* Helsinki */
	expect_nowhere(55.6761, 12.5683); /* Copenhagen */
	expect_nowhere(0, 0);
	expect_nowhere(-59.3275, -18.0543);
	expect_nowhere(NAN, 18.0);
	expect_nowhere(59.3, INFINITY);
	expect_nowhere(1e308, -1e308);
}

static void lookup_agrees_with_estimate_points(void)
{
	/* every municipality's representative point lies in that municipality */
	static const char *const cities[] = { "Stockholm", "Kiruna", "Gotland", "Värmdö", "Öckerö",
		"Haparanda", "Strömstad", "Åre", "Lidingö", "Danderyd" };

	for (size_t i = 0; i < sizeof(cities) / sizeof(cities[0]); i++) {
		struct geo_estimate e;
		struct geo_place p;

		cr_assert_eq(geo_estimate(STR_NULL, str_from_cstr(cities[i]), &e), 0, "%s", cities[i]);
		cr_assert_eq(geo_lookup(e.latitude, e.longitude, &p), 0);
		cr_expect(p.complete, "%s", cities[i]);
		cr_expect_str_eq(p.municipality_name, cities[i]);
		cr_expect_str_eq(p.county_name, e.county_name);
	}
}

static void postal_known(void)
{
	struct geo_postal p;

	cr_assert_eq(geo_postal(STR_LIT("11129"), &p), 0);
	cr_expect_str_eq(p.postal_code, "11129");
	cr_expect_str_eq(p.locality, "Stockholm");
	cr_expect_str_eq(p.municipality_name, "Stockholm");
	cr_expect_str_eq(p.municipality_code, "0180");
	cr_expect_str_eq(p.county_name, "Stockholms län");
	cr_expect_str_eq(p.county_code, "01");

	cr_assert_eq(geo_postal(STR_LIT("111 29"), &p), 0);
	cr_expect_str_eq(p.postal_code, "11129");
	cr_assert_eq(geo_postal(STR_LIT(" 21119 "), &p), 0);
	cr_expect_str_eq(p.municipality_name, "Malmö");
	cr_expect_str_eq(p.county_name, "Skåne län");
}

static void postal_unknown_or_malformed(void)
{
	static const char *const bad[] = { "00000", "99999", "1112", "111290", "1112a", "11 129",
		"111  29", "", " ", "-1112", "+1112", "11129x", "１１１２９" };
	struct geo_postal p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(geo_postal(str_from_cstr(bad[i]), &p), -1, "'%s'", bad[i]);
		cr_expect_str_empty(p.locality);
		cr_expect_str_empty(p.municipality_name);
		cr_expect_str_empty(p.county_name);
	}
	/* a slice is not read past its length */
	cr_expect_eq(geo_postal((struct str){ "111291", 5 }, &p), 0);
	cr_expect_str_eq(p.postal_code, "11129");
}

static void estimate_by_postal_code(void)
{
	struct geo_estimate e;

	cr_assert_eq(geo_estimate(STR_LIT("11129"), STR_LIT("Malmö"), &e), 0);
	cr_expect_eq(e.match, GEO_MATCH_POSTAL); /* the postal code wins over the city */
	cr_expect(e.estimate);
	cr_expect_str_eq(e.municipality_name, "Stockholm");
	cr_expect_str_eq(e.county_name, "Stockholms län");
	cr_expect_str_eq(e.locality, "Stockholm");
	cr_expect(e.latitude > 59.2 && e.latitude < 59.45, "lat %f", e.latitude);
	cr_expect(e.longitude > 17.8 && e.longitude < 18.2, "lon %f", e.longitude);
}

static void estimate_falls_back_to_city(void)
{
	struct geo_estimate e;

	/* unknown postal code → municipality name, any case */
	cr_assert_eq(geo_estimate(STR_LIT("99999"), STR_LIT("MALMÖ"), &e), 0);
	cr_expect_eq(e.match, GEO_MATCH_MUNICIPALITY);
	cr_expect(e.estimate);
	cr_expect_str_eq(e.municipality_name, "Malmö");
	cr_expect_str_eq(e.county_name, "Skåne län");
	cr_expect_str_empty(e.locality);
	cr_expect(fabs(e.latitude - 55.6) < 0.2 && fabs(e.longitude - 13.0) < 0.3, "%f %f",
		e.latitude, e.longitude);

	cr_assert_eq(geo_estimate(STR_NULL, STR_LIT("  göteborg "), &e), 0);
	cr_expect_str_eq(e.municipality_name, "Göteborg");
	cr_expect_str_eq(e.county_name, "Västra Götalands län");

	cr_assert_eq(geo_estimate(STR_LIT(""), STR_LIT("ÖSTERÅKERS KOMMUN"), &e), 0);
	cr_expect_eq(e.match, GEO_MATCH_MUNICIPALITY);
	cr_expect_str_eq(e.municipality_name, "Österåker");

	/* without diacritics, as typed on a foreign keyboard */
	cr_assert_eq(geo_estimate(STR_NULL, STR_LIT("Goteborg"), &e), 0);
	cr_expect_str_eq(e.municipality_name, "Göteborg");
	cr_assert_eq(geo_estimate(STR_NULL, STR_LIT("malmo"), &e), 0);
	cr_expect_str_eq(e.municipality_name, "Malmö");

	/* a postal town that is not a municipality → its municipality */
	cr_assert_eq(geo_estimate(STR_LIT("1"), STR_LIT("Bromma"), &e), 0);
	cr_expect_eq(e.match, GEO_MATCH_LOCALITY);
	cr_expect_str_eq(e.municipality_name, "Stockholm");
}

static void estimate_unknown(void)
{
	static const char *const cities[] = { "", " ", "Oslo", "Atlantis", "Stockholmx", "Stock",
		"\xc3", "\xc3\x96\xc3" };
	struct geo_estimate e;

	for (size_t i = 0; i < sizeof(cities) / sizeof(cities[0]); i++) {
		cr_expect_eq(geo_estimate(STR_LIT("99999"), str_from_cstr(cities[i]), &e), -1, "'%s'",
			cities[i]);
		cr_expect_eq(e.match, GEO_MATCH_NONE);
		cr_expect_not(e.estimate);
		cr_expect_str_empty(e.municipality_name);
		cr_expect_str_empty(e.county_name);
		cr_expect_eq(e.latitude, 0);
		cr_expect_eq(e.longitude, 0);
	}
	cr_expect_eq(geo_estimate(STR_NULL, STR_NULL, &e), -1);
}

static void load_again_is_a_no_op(void)
{
	struct error err;

	error_init(&err, NULL);
	cr_expect_eq(geo_load("/nonexistent", &err), 0);
	cr_expect(geo_loaded());
}

Test(geo, lookup)
{
	lookup_cities();
	lookup_outside();
}

Test(geo, postal)
{
	postal_known();
	postal_unknown_or_malformed();
	load_again_is_a_no_op();
}

Test(geo, estimate)
{
	estimate_by_postal_code();
	estimate_falls_back_to_city();
	estimate_unknown();
	lookup_agrees_with_estimate_points();
}

/* ---------- the boundary files, crafted (core/geo/geojson.c reads them) ---------- */

#define MAX_PATH 4096

/* A directory with the real CSVs and the given GeoJSON texts (NULL: the real file). */
static void scratch_dir(char *dir, const char *munis, const char *counties)
{
	const char *src = getenv("RENTD_GEO_DIR");
	const char *tmp = getenv("TMPDIR");
	static const char *const names[] = { "counties.csv", "municipalities.csv",
		"postal_to_municipality.csv", "municipalities.geojson.gz", "counties.geojson.gz" };
	const char *texts[] = { NULL, NULL, NULL, munis, counties };

	cr_assert(src && *src == '/', "RENTD_GEO_DIR must be absolute");
	snprintf(dir, MAX_PATH, "%s/rentd-geo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char from[MAX_PATH], to[MAX_PATH];
		snprintf(to, sizeof(to), "%s/%s", dir, names[i]);
		if (texts[i]) {
			/* gzopen reads an uncompressed file as it is */
			FILE *f = fopen(to, "wb");
			cr_assert_not_null(f);
			cr_assert_eq(fwrite(texts[i], 1, strlen(texts[i]), f), strlen(texts[i]));
			cr_assert_eq(fclose(f), 0);
		} else {
			snprintf(from, sizeof(from), "%s/%s", src, names[i]);
			cr_assert_eq(symlink(from, to), 0, "%s: %s", to, strerror(errno));
		}
	}
}

static void scratch_remove(const char *dir)
{
	static const char *const names[] = { "counties.csv", "municipalities.csv",
		"postal_to_municipality.csv", "municipalities.geojson.gz", "counties.geojson.gz" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[MAX_PATH];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

struct rings_seen {
	size_t n;
	struct {
		char code[8];
		double lonlat[16];
		size_t npts;
	} ring[4];
};

static int ring_visit(void *arg, const double *lonlat, size_t npts, const char *code)
{
	struct rings_seen *seen = arg;
	__typeof__(seen->ring[0]) *r;

	cr_assert_lt(seen->n, 4);
	cr_assert_leq(npts, 8);
	r = &seen->ring[seen->n++];
	snprintf(r->code, sizeof(r->code), "%s", code);
	memcpy(r->lonlat, lonlat, npts * 2 * sizeof(double));
	r->npts = npts;
	return 0;
}

/* Two counties, written in every way JSON allows (see members_in_any_order). */
static const char crafted_counties[] =
	"{\"bbox\":[10,55,25,70],\"features\":[\n"
	" {\"geometry\":{\"bbox\":[19,56.5,20,57.5],\"coordinates\":[[[19,56.5],[2e1,56.5],"
	"[20.0,575e-1],[19.5000000000000000000001,0.575E2],[19.999999999999998,57.5],"
	"[0.19e2,57.5],[19,56.5]]],\"type\":\"Polygon\"},\n"
	"  \"id\":{\"nested\":[\"]\",\"\\\"}\",{\"a\":[[[1]]]},\"\\u00e5\\ud83d\\ude00\"]},\n"
	"  \"properties\":{\"name\":\"Stockholms l\\u00e4n\",\"code\":\"1\",\"extra\":null},\n"
	"  \"type\":\"Feature\"},\n"
	" {\"type\":\"Feature\",\"properties\":{\"code\":\"2\"},\"properties\":{\"code\":\"3\"},"
	"\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},"
	"\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[20,56.5],[21,56.5],[21,57.5],"
	"[20,56.5]]]]}}\n"
	"],\"type\":\"FeatureCollection\"}\n";

/*
 * Members in any order, unknown ones (bbox, id, nested values with escapes)
 * skipped, the last of a repeated member counting, numbers in every JSON form
 * converted exactly as strtod does.
 */
Test(geo_files, members_in_any_order)
{
	static const char *const lon[] = { "19", "2e1", "20.0", "19.5000000000000000000001",
		"19.999999999999998", "0.19e2", "19" };
	static const char *const lat[] = { "56.5", "56.5", "575e-1", "0.575E2", "57.5", "57.5",
		"56.5" };
	char dir[MAX_PATH];
	struct error err;
	struct geo_place p;
	struct rings_seen seen = { 0 };

	scratch_dir(dir, NULL, crafted_counties);
	error_init(&err, NULL);
	cr_assert_eq(geo_load(dir, &err), 0, "geo_load: %s", err.message ? err.message : "?");
	scratch_remove(dir);

	/* open sea east of Gotland: no municipality, the crafted counties */
	cr_assert_eq(geo_lookup(57.0, 19.5, &p), 0);
	cr_expect_not(p.complete);
	cr_expect_str_eq(p.county_code, "01");
	cr_expect_str_eq(p.county_name, "Stockholms län");
	cr_assert_eq(geo_lookup(56.7, 20.7, &p), 0);
	cr_expect_str_eq(p.county_code, "03"); /* the second "properties" */
	cr_expect_str_empty(p.municipality_code);

	cr_assert_eq(geo_rings_in_box(GEO_LAYER_COUNTIES, 50, 0, 70, 30, ring_visit, &seen), 2);
	cr_expect_str_eq(seen.ring[0].code, "01");
	cr_assert_eq(seen.ring[0].npts, 7);
	for (size_t i = 0; i < 7; i++) {
		/* bit-identical to strtod, the fast path and the fallback alike */
		double x = strtod(lon[i], NULL), y = strtod(lat[i], NULL);
		cr_expect(memcmp(&seen.ring[0].lonlat[2 * i], &x, sizeof(x)) == 0, "lon %s", lon[i]);
		cr_expect(memcmp(&seen.ring[0].lonlat[2 * i + 1], &y, sizeof(y)) == 0, "lat %s",
			lat[i]);
	}
	cr_expect_str_eq(seen.ring[1].code, "03");
	cr_expect_eq(seen.ring[1].npts, 4);
}

/* Malformed municipality files fail with the loader's errors, offsets included. */
Test(geo_files, malformed)
{
	char deep[6200], deep_ok[4200], deep_over[4200], ok_then_bad[512];
	const char *feature = "{\"properties\":{\"code\":\"180\"},\"geometry\":{\"type\":\"Polygon\","
			      "\"coordinates\":[[[18,59],[18.1,59],[18.1,59.1],[18,59]]]}}";
	struct {
		const char *text;
		const char *error;
	} cases[] = {
		{ "[]", "not a GeoJSON FeatureCollection of polygons (byte 0)" },
		{ "{\"features\":[]}", "not a GeoJSON FeatureCollection of polygons (byte 14)" },
		{ "{\"features\":[{\"id\":\"\\ud800\"}]}", "polygons (byte 13)" }, /* lone surrogate */
		{ "{\"features\":[{\"id\":\"\\u0000\"}]}", "polygons (byte 13)" },
		{ "{\"features\":[{\"id\":1e400}]}", "polygons (byte 13)" }, /* real overflow */
		{ "{\"features\":[{\"id\":9223372036854775808}]}", "polygons (byte 13)" },
		{ "{\"features\":[{\"id\":[1,]}]}", "polygons (byte 13)" },
		{ "{\"features\":[{\"id\":\"\xc0\xaf\"}]}", "polygons (byte 13)" }, /* overlong */
		{ deep, "polygons (byte 13)" },
		{ deep_over, "polygons (byte 13)" },
		{ deep_ok, "feature 0: no code or geometry" },
		{ "{\"features\":[{\"properties\":{\"code\":180},\"geometry\":{\"type\":\"Polygon\","
		  "\"coordinates\":[]}}]}",
			"feature 0: no code or geometry" },
		{ "{\"features\":[{\"properties\":{\"code\":\"abc\"},\"geometry\":{\"type\":\"Polygon\","
		  "\"coordinates\":[]}}]}",
			"feature 0: bad code" },
		{ "{\"features\":[{\"properties\":{\"code\":\"9999\"},\"geometry\":{\"type\":\"Polygon\","
		  "\"coordinates\":[]}}]}",
			"code 9999 not in the CSV" },
		{ "{\"features\":[{\"properties\":{\"code\":\"180\"},\"geometry\":{\"type\":\"Polygon\","
		  "\"coordinates\":[[[18,59],[18.1,59],[18.1,59.1],[18,59.1]]]}}]}", /* not closed */
			"feature 0 (0180): bad geometry" },
		{ "{\"features\":[{\"properties\":{\"code\":\"180\"},\"geometry\":{\"type\":\"Polygon\","
		  "\"coordinates\":[[[18,59],[18.1,59],[18.1,59.1],[18,59]]]},"
		  "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[18,59],[\"18.1\",59],[18.1,59.1],"
		  "[18,59]]]}}]}", /* the last geometry counts */
			"feature 0 (0180): bad geometry" },
		{ ok_then_bad, "feature 1 (0180): bad geometry" },
	};
	size_t n;

	/* jansson's nesting limit: 2048 values deep, the feature itself being the first */
	n = (size_t)snprintf(deep, sizeof(deep), "{\"features\":[{\"id\":");
	memset(deep + n, '[', 3000);
	memset(deep + n + 3000, ']', 3000);
	snprintf(deep + n + 6000, sizeof(deep) - n - 6000, "}]}");
	n = (size_t)snprintf(deep_ok, sizeof(deep_ok), "{\"features\":[{\"id\":");
	memset(deep_ok + n, '[', 2047); /* the innermost array is value 2048 */
	memset(deep_ok + n + 2047, ']', 2047);
	snprintf(deep_ok + n + 4094, sizeof(deep_ok) - n - 4094, "}]}");
	memcpy(deep_over, deep_ok, n);
	memset(deep_over + n, '[', 2048);
	memset(deep_over + n + 2048, ']', 2048);
	snprintf(deep_over + n + 4096, sizeof(deep_over) - n - 4096, "}]}");
	snprintf(ok_then_bad, sizeof(ok_then_bad),
		"{\"features\":[%s,{\"geometry\":{\"type\":\"Square\",\"coordinates\":[]},"
		"\"properties\":{\"code\":\" +180\"}}]}",
		feature);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[MAX_PATH];
		struct arena *a = arena_create(4096); /* formats the message */
		struct error err;
		int rc;

		scratch_dir(dir, cases[i].text, NULL);
		error_init(&err, a);
		rc = geo_load(dir, &err);
		scratch_remove(dir);
		cr_expect_eq(rc, -1, "case %zu loaded", i);
		cr_expect(err.message && strstr(err.message, cases[i].error), "case %zu: %s, want %s",
			i, err.message ? err.message : "(none)", cases[i].error);
		cr_expect_not(geo_loaded());
		arena_destroy(a);
	}
}

/*
 * Several gzip members are valid gzip (zlib reads on across them): libdeflate
 * inflates one member, so such a file takes the zlib path and still loads.
 */
Test(geo_files, gzip_members)
{
	char dir[MAX_PATH], path[MAX_PATH + 32];
	size_t half = sizeof(crafted_counties) / 2;
	struct error err;
	struct geo_place p;
	gzFile gz;

	scratch_dir(dir, NULL, "replaced below");
	snprintf(path, sizeof(path), "%s/counties.geojson.gz", dir);
	gz = gzopen(path, "wb");
	cr_assert_not_null(gz);
	cr_assert_eq(gzwrite(gz, crafted_counties, (unsigned)half), (int)half);
	cr_assert_eq(gzclose(gz), Z_OK);
	gz = gzopen(path, "ab");
	cr_assert_not_null(gz);
	cr_assert_eq(gzwrite(gz, crafted_counties + half, (unsigned)(strlen(crafted_counties) - half)),
		(int)(strlen(crafted_counties) - half));
	cr_assert_eq(gzclose(gz), Z_OK);
	error_init(&err, NULL);
	cr_assert_eq(geo_load(dir, &err), 0, "geo_load: %s", err.message ? err.message : "?");
	scratch_remove(dir);
	cr_assert_eq(geo_lookup(57.0, 19.5, &p), 0);
	cr_expect_str_eq(p.county_code, "01");
}
