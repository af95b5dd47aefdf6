/*
 * test_geo.c — coordinates → county/municipality, postal codes, estimates.
 *
 * Runs against the committed data/geo/ (RENTD_GEO_DIR, set by tests/meson.build).
 * Reference points are well inside their municipality, so small changes of the
 * boundary data do not move them.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"

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
 * Each Test() runs in a fresh process that loads the data again (~1 s, more
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
