/*
 * fuzz_geo.c — geo_lookup(), geo_postal(), geo_estimate() on arbitrary input.
 *
 * Input: 16 bytes give latitude and longitude twice — as raw doubles (NaN,
 * infinities, anything) and scaled into a box around Sweden, so most inputs land
 * on real borders — then the rest is "zip|city". Whatever comes back must name
 * a county and municipality from the data, consistently across the three calls.
 * The data is the source tree's data/geo/ (RENTD_GEO_DIR overrides).
 */
#include <math.h>
#include <string.h>

#include "core/geo/geo.h"
#include "fuzz.h"

#ifndef RENTD_GEO_DIR
#define RENTD_GEO_DIR "data/geo"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("RENTD_GEO_DIR");
	struct error err;

	(void)argc;
	(void)argv;
	error_init(&err, NULL);
	FUZZ_CHECK(geo_load(dir && *dir ? dir : RENTD_GEO_DIR, &err) == 0, "geo_load: %s",
		err.message ? err.message : "?");
	return 0;
}

static void check_place(double lat, double lon)
{
	struct geo_place p;
	struct geo_estimate e;

	FUZZ_CHECK(geo_lookup(lat, lon, &p) == 0, "lookup");
	FUZZ_CHECK(p.county_name && p.county_code && p.municipality_name && p.municipality_code,
		"NULL name");
	if (!p.complete) {
		FUZZ_CHECK(!*p.municipality_name && !*p.municipality_code, "incomplete with a municipality");
		FUZZ_CHECK(!*p.county_name == !*p.county_code, "county name without code");
		return;
	}
	FUZZ_CHECK(isfinite(lat) && isfinite(lon), "complete for %g %g", lat, lon);
	FUZZ_CHECK(strlen(p.municipality_code) == 4 && strlen(p.county_code) == 2 &&
			memcmp(p.municipality_code, p.county_code, 2) == 0,
		"codes %s %s", p.county_code, p.municipality_code);
	/* the name is the data's: it finds the same municipality again */
	FUZZ_CHECK(geo_estimate(STR_NULL, str_from_cstr(p.municipality_name), &e) == 0 &&
			strcmp(e.municipality_code, p.municipality_code) == 0 &&
			strcmp(e.county_name, p.county_name) == 0,
		"%s (%s) does not name itself", p.municipality_name, p.municipality_code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double lat, lon;
	uint32_t a, b;
	struct str zip, city;
	const char *bar;
	struct geo_postal pc;
	struct geo_estimate e;
	struct geo_place p;

	if (size < 16)
		return 0;
	memcpy(&lat, data, 8);
	memcpy(&lon, data + 8, 8);
	check_place(lat, lon);
	memcpy(&a, data, 4);
	memcpy(&b, data + 8, 4);
	check_place(54.5 + 15.0 * (a / 4294967296.0), 10.0 + 15.0 * (b / 4294967296.0));

	data += 16;
	size -= 16;
	bar = memchr(data, '|', size);
	zip = (struct str){ (const char *)data, bar ? (size_t)(bar - (const char *)data) : size };
	city = bar ? (struct str){ bar + 1, size - zip.len - 1 } : STR_NULL;

	if (geo_postal(zip, &pc) == 0) {
		FUZZ_CHECK(strlen(pc.postal_code) == 5 && *pc.locality && *pc.municipality_name &&
				*pc.county_name,
			"postal %s", pc.postal_code);
		FUZZ_CHECK(geo_estimate(zip, city, &e) == 0 && e.match == GEO_MATCH_POSTAL &&
				strcmp(e.municipality_code, pc.municipality_code) == 0,
			"estimate disagrees with postal %s", pc.postal_code);
	} else {
		FUZZ_CHECK(!*pc.postal_code && !*pc.municipality_name, "not found but filled");
	}
	if (geo_estimate(zip, city, &e) == 0) {
		FUZZ_CHECK(e.estimate && e.match != GEO_MATCH_NONE && *e.municipality_name &&
				*e.county_name,
			"estimate without names");
		FUZZ_CHECK(geo_lookup(e.latitude, e.longitude, &p) == 0 && p.complete &&
				strcmp(p.municipality_code, e.municipality_code) == 0,
			"the point of %s is not in it", e.municipality_name);
	} else {
		FUZZ_CHECK(!e.estimate && e.match == GEO_MATCH_NONE && !*e.municipality_name &&
				e.latitude == 0 && e.longitude == 0,
			"unknown but filled");
	}
	return 0;
}
