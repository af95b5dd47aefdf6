/*
 * Geography (homeq.md §5, §11a, §15 rule 55; decisions.md H-25, H-33, H-34, H-37,
 * H-39): reverse lookup, address estimates, the static map PNG and its rate limit.
 *
 * Runs against the committed data/geo/ (RENTD_GEO_DIR, set by tests/meson.build).
 * Each Test() is a fresh process that loads the data again on its first geo
 * request (~1 s, more under ASan), so the checks are grouped into a few tests.
 */
#include <math.h>
#include <zlib.h>

#include "org_common.h"

static struct harness *h;
static struct fixture_company co;

/* the data directory from the environment, whatever the configuration's default */
static void geo_config(struct config *cfg)
{
	const char *dir = getenv("RENTD_GEO_DIR");
	if (dir && *dir)
		snprintf(cfg->geo_dir, sizeof(cfg->geo_dir), "%s", dir);
}

static void setup(void)
{
	h = harness_create_with(geo_config);
	fixture_company(h, "Geo AB", &co);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(geo, .init = setup, .fini = teardown);

/* ---- lookup ---- */

static void expect_lookup(double lat, double lon, bool complete, const char *county, const char *muni)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/geo/lookup", co.admin_token,
			       "{\"latitude\": %.6f, \"longitude\": %.6f}", lat, lon);
	cr_assert_eq(r->status, 200, "(%f, %f): %s", lat, lon, r->body);
	cr_expect_eq(json_is_true(json_object_get(r->json, "complete")), complete, "(%f, %f): %s", lat, lon, r->body);
	cr_expect_str_eq(hresp_str(r, "county"), county, "(%f, %f): %s", lat, lon, r->body);
	cr_expect_str_eq(hresp_str(r, "municipality"), muni, "(%f, %f): %s", lat, lon, r->body);
	cr_expect_eq(json_object_size(r->json), 3, "%s", r->body);
	hresp_free(r);
}

Test(geo, lookup_places)
{
	struct hresp *r;

	expect_lookup(59.3275, 18.0543, true, "Stockholms län", "Stockholm"); /* city hall */
	expect_lookup(55.605, 13.0038, true, "Skåne län", "Malmö");
	expect_lookup(67.8558, 20.2253, true, "Norrbottens län", "Kiruna");
	expect_lookup(57.0, 19.5, false, "", "");         /* the Baltic east of Gotland */
	expect_lookup(59.9139, 10.7522, false, "", "");   /* Oslo */
	expect_lookup(-33.8688, 151.2093, false, "", ""); /* Sydney: anywhere is an answer */

	/* numbers as numeric strings, as real clients send them (G-04) */
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token,
			 "{\"latitude\": \"59.3275\", \"longitude\": \"18.0543\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_expect_str_eq(hresp_str(r, "municipality"), "Stockholm");
	hresp_free(r);
}

Test(geo, lookup_bad_input)
{
	char consumer[1024];
	struct hresp *r;

	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "{\"longitude\": 18}");
	expect_invalid(r, "latitude");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "{}");
	expect_invalid(r, "latitude");
	cr_expect(has_field(r, "longitude"), "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "{\"latitude\": \"north\", \"longitude\": 18}");
	expect_invalid(r, "latitude");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "{\"latitude\": [59], \"longitude\": true}");
	expect_invalid(r, "latitude");
	cr_expect(has_field(r, "longitude"), "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "{\"latitude\": 90.5, \"longitude\": 18}");
	expect_invalid(r, "latitude");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "{\"latitude\": 59, \"longitude\": -180.01}");
	expect_invalid(r, "longitude");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "[59, 18]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", co.admin_token, "{\"latitude\": 59,");
	expect_error(r, 400, "ParseError");
	hresp_free(r);

	r = harness_auth(h, "POST", "/api/v1/geo/lookup", NULL, "{\"latitude\": 59, \"longitude\": 18}");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	fixture_consumer(h, "geo-consumer@example.com", consumer);
	r = harness_auth(h, "POST", "/api/v1/geo/lookup", consumer, "{\"latitude\": 59, \"longitude\": 18}");
	expect_error(r, 403, "PermissionDenied"); /* H-37 */
	hresp_free(r);
}

/* ---- estimate ---- */

static struct hresp *estimate(const char *body)
{
	return harness_auth(h, "POST", "/api/v1/geo/estimate", co.admin_token, body);
}

static void expect_estimate(struct hresp *r, const char *county, const char *muni, const char *match,
			    double lat, double lon)
{
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_expect_str_eq(hresp_str(r, "county"), county, "%s", r->body);
	cr_expect_str_eq(hresp_str(r, "municipality"), muni, "%s", r->body);
	cr_expect_str_eq(hresp_str(r, "match"), match, "%s", r->body);
	cr_expect(json_is_true(json_object_get(r->json, "estimate")), "%s", r->body);
	cr_expect(fabs(json_number_value(json_object_get(r->json, "latitude")) - lat) < 0.3, "%s", r->body);
	cr_expect(fabs(json_number_value(json_object_get(r->json, "longitude")) - lon) < 0.4, "%s", r->body);
	hresp_free(r);
}

Test(geo, estimate)
{
	struct hresp *r;

	/* the postal code wins over the city */
	expect_estimate(estimate("{\"city\": \"Malmö\", \"street_name\": \"Hamngatan\", \"street_number\": \"1\","
				 " \"zip_code\": \"11129\"}"),
			"Stockholms län", "Stockholm", "zip_code", 59.33, 18.0);
	/* no postal code: the city, case and accents forgiven */
	expect_estimate(estimate("{\"city\": \"GÖTEBORG\", \"street_name\": \"Avenyn\", \"street_number\": \"3\"}"),
			"Västra Götalands län", "Göteborg", "municipality", 57.7, 12.0);
	expect_estimate(estimate("{\"city\": \"Malmo\", \"street_name\": \"Storgatan\", \"street_number\": \"2\","
				 " \"zip_code\": null}"),
			"Skåne län", "Malmö", "municipality", 55.6, 13.0);
	/* an unknown postal code degrades to the city */
	expect_estimate(estimate("{\"city\": \"Kiruna\", \"street_name\": \"Storgatan\", \"street_number\": \"2\","
				 " \"zip_code\": \"99999\"}"),
			"Norrbottens län", "Kiruna", "municipality", 68.16, 20.71); /* the municipality's middle */
	/* a postal town that is not a municipality: Bromma lies in Stockholm */
	expect_estimate(estimate("{\"city\": \"Bromma\", \"street_name\": \"X\", \"street_number\": \"1\"}"),
			"Stockholms län", "Stockholm", "postal_town", 59.33, 18.0);

	r = estimate("{\"city\": \"Atlantis\", \"street_name\": \"Main\", \"street_number\": \"1\", \"zip_code\": \"00000\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(geo, estimate_bad_input)
{
	char long_city[200];
	struct hresp *r;

	r = estimate("{}");
	expect_invalid(r, "city");
	cr_expect(has_field(r, "street_name") && has_field(r, "street_number"), "%s", r->body);
	cr_expect(!has_field(r, "zip_code"), "%s", r->body);
	hresp_free(r);
	r = estimate("{\"city\": 5, \"street_name\": \"a\", \"street_number\": 7}");
	expect_invalid(r, "city");
	cr_expect(has_field(r, "street_number"), "%s", r->body);
	hresp_free(r);
	memset(long_city, 'a', 129);
	long_city[129] = '\0';
	r = reqf(h, "POST", "/api/v1/geo/estimate", co.admin_token,
		 "{\"city\": \"%s\", \"street_name\": \"a\", \"street_number\": \"1\"}", long_city);
	expect_invalid(r, "city");
	hresp_free(r);
	r = estimate("{\"city\": \"\", \"street_name\": \"a\", \"street_number\": \"1\"}");
	expect_invalid(r, "city");
	hresp_free(r);
	r = estimate("{\"city\": \"Malmö\", \"street_name\": \"a\", \"street_number\": \"1\", \"zip_code\": \"211 20\"}");
	expect_invalid(r, "zip_code");
	hresp_free(r);
	r = estimate("{\"city\": \"Malmö\", \"street_name\": \"a\", \"street_number\": \"1\", \"zip_code\": \"2112a\"}");
	expect_invalid(r, "zip_code");
	hresp_free(r);
	r = estimate("{\"city\": \"Malmö\", \"street_name\": \"a\", \"street_number\": \"1\", \"zip_code\": 21120}");
	expect_invalid(r, "zip_code");
	hresp_free(r);

	r = harness_auth(h, "POST", "/api/v1/geo/estimate", NULL, "{\"city\": \"Malmö\"}");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/geo/estimate", "not-a-token", "{\"city\": \"Malmö\"}");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
}

/* ---- static map ---- */

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct png {
	uint32_t w, h;
	size_t ncolors;
	unsigned char plte[256][3];
	unsigned char *px; /* h rows of (1 filter byte + w indices) */
};

/* Decodes the subset we write; asserts it is a valid PNG: signature, CRCs, chunk order, sizes. */
static void png_decode(const struct hresp *r, struct png *out)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	const unsigned char *p = (const unsigned char *)r->body, *end = p + r->body_len;
	unsigned char *idat = NULL;
	size_t nidat = 0;
	uLongf rawlen;
	bool seen_end = false;

	memset(out, 0, sizeof(*out));
	cr_assert(r->body_len > 8 && memcmp(p, sig, 8) == 0, "no PNG signature");
	p += 8;
	while (p < end) {
		uint32_t len, crc;
		cr_assert(!seen_end, "data after IEND");
		cr_assert(end - p >= 12, "truncated chunk");
		len = rd32(p);
		cr_assert(len <= (size_t)(end - p) - 12, "chunk longer than the file");
		crc = (uint32_t)crc32(0, p + 4, len + 4);
		cr_assert_eq(rd32(p + 8 + len), crc, "bad CRC on %.4s", p + 4);
		if (memcmp(p + 4, "IHDR", 4) == 0) {
			cr_assert_eq(len, 13);
			out->w = rd32(p + 8);
			out->h = rd32(p + 12);
			cr_assert_eq(p[16], 8, "bit depth");
			cr_assert_eq(p[17], 3, "colour type");
			cr_assert(p[18] == 0 && p[19] == 0 && p[20] == 0);
		} else if (memcmp(p + 4, "PLTE", 4) == 0) {
			cr_assert(out->w, "PLTE before IHDR");
			cr_assert(len % 3 == 0 && len / 3 >= 1 && len / 3 <= 256);
			out->ncolors = len / 3;
			memcpy(out->plte, p + 8, len);
		} else if (memcmp(p + 4, "IDAT", 4) == 0) {
			cr_assert(out->ncolors, "IDAT before PLTE");
			idat = realloc(idat, nidat + len + 1);
			memcpy(idat + nidat, p + 8, len);
			nidat += len;
		} else if (memcmp(p + 4, "IEND", 4) == 0) {
			cr_assert_eq(len, 0);
			seen_end = true;
		}
		p += 12 + len;
	}
	cr_assert(seen_end, "no IEND");
	cr_assert(nidat > 0, "no IDAT");
	rawlen = (uLongf)out->h * (out->w + 1);
	out->px = malloc(rawlen + 1);
	{
		uLongf got = rawlen + 1;
		cr_assert_eq(uncompress(out->px, &got, idat, nidat), Z_OK, "IDAT does not inflate");
		cr_assert_eq(got, rawlen, "inflated %lu bytes, want %lu", (unsigned long)got, (unsigned long)rawlen);
	}
	for (uint32_t y = 0; y < out->h; y++) {
		cr_assert_eq(out->px[(size_t)y * (out->w + 1)], 0, "filter of row %u", y);
		for (uint32_t x = 0; x < out->w; x++)
			cr_assert(out->px[(size_t)y * (out->w + 1) + 1 + x] < out->ncolors, "index out of palette");
	}
	free(idat);
}

static const unsigned char *png_rgb(const struct png *p, uint32_t x, uint32_t y)
{
	return p->plte[p->px[(size_t)y * (p->w + 1) + 1 + x]];
}

static size_t png_count(const struct png *p, const unsigned char rgb[3])
{
	size_t n = 0;
	for (uint32_t y = 0; y < p->h; y++)
		for (uint32_t x = 0; x < p->w; x++)
			n += memcmp(png_rgb(p, x, y), rgb, 3) == 0;
	return n;
}

static struct hresp *map(const char *token, const char *query)
{
	char target[512];
	snprintf(target, sizeof(target), "/api/v1/static_map/?%s", query);
	return harness_auth(h, "GET", target, token, NULL);
}

Test(geo, static_map)
{
	static const unsigned char sea[3] = { 170, 211, 223 }, land[3] = { 242, 239, 233 };
	static const unsigned char pin[3] = { 215, 48, 39 };
	struct hresp *r;
	struct png png;

	/* the defaults: 715 × 210 at zoom 8 */
	r = map(NULL, "company=1&latitude=59.3275&longitude=18.0543");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_expect_str_eq(r->content_type, "image/png");
	png_decode(r, &png);
	cr_expect_eq(png.w, 715);
	cr_expect_eq(png.h, 210);
	cr_expect(png_count(&png, land) > 1000, "Stockholm has land");
	cr_expect(png_count(&png, sea) > 100, "Stockholm has sea");
	cr_expect(memcmp(png_rgb(&png, 357, 95), pin, 3) == 0, "the pin stands above the centre");
	free(png.px);
	hresp_free(r);

	/* the v2 path, odd sizes, a token (public, but a valid token is fine) */
	r = harness_auth(h, "GET", "/api/v2/static_map?company=1&latitude=67.8558&longitude=20.2253&zoom=5&width=33&height=17",
			 co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	png_decode(r, &png);
	cr_expect_eq(png.w, 33);
	cr_expect_eq(png.h, 17);
	free(png.px);
	hresp_free(r);

	/* open sea at high zoom: sea and the pin only */
	r = map(NULL, "company=1&latitude=57.0&longitude=19.5&zoom=14&width=100&height=80");
	cr_assert_eq(r->status, 200, "%s", r->body);
	png_decode(r, &png);
	cr_expect_eq(png_count(&png, land), 0);
	cr_expect(png_count(&png, sea) > 6000);
	free(png.px);
	hresp_free(r);

	/* extremes: the whole world at zoom 0, a pole, one pixel, the largest size */
	r = map(NULL, "company=1&latitude=-90&longitude=180&zoom=0&width=1280&height=1280");
	cr_assert_eq(r->status, 200, "%s", r->body);
	png_decode(r, &png);
	cr_expect(png.w == 1280 && png.h == 1280);
	free(png.px);
	hresp_free(r);
	r = map(NULL, "company=1&latitude=62&longitude=15&zoom=20&width=1&height=1");
	cr_assert_eq(r->status, 200, "%s", r->body);
	png_decode(r, &png);
	cr_expect(png.w == 1 && png.h == 1);
	free(png.px);
	hresp_free(r);

	/* rentd's pin=false (the portal marks its own points): the same map without the pin */
	r = map(NULL, "company=1&latitude=59.3275&longitude=18.0543&pin=false");
	cr_assert_eq(r->status, 200, "%s", r->body);
	png_decode(r, &png);
	cr_expect_eq(png_count(&png, pin), 0, "no pin");
	cr_expect(png_count(&png, land) > 1000);
	free(png.px);
	hresp_free(r);
	r = map(NULL, "company=1&latitude=59.3275&longitude=18.0543&pin=true");
	png_decode(r, &png);
	cr_expect(memcmp(png_rgb(&png, 357, 95), pin, 3) == 0, "pin=true: the pin");
	free(png.px);
	hresp_free(r);

	/* HEAD follows GET */
	r = harness_request(h, "HEAD", "/api/v1/static_map/?company=1&latitude=59&longitude=18", NULL);
	cr_expect_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

Test(geo, static_map_bad_input)
{
	struct hresp *r;

	r = map(NULL, "");
	expect_invalid(r, "company");
	cr_expect(has_field(r, "latitude") && has_field(r, "longitude"), "%s", r->body);
	cr_expect(!has_field(r, "zoom") && !has_field(r, "width"), "%s", r->body);
	hresp_free(r);
	r = map(NULL, "company=0&latitude=59&longitude=18");
	expect_invalid(r, "company");
	hresp_free(r);
	r = map(NULL, "company=x&latitude=59&longitude=18");
	expect_invalid(r, "company");
	hresp_free(r);
	r = map(NULL, "company=1&latitude=north&longitude=1e999");
	expect_invalid(r, "latitude");
	cr_expect(has_field(r, "longitude"), "%s", r->body);
	hresp_free(r);
	r = map(NULL, "company=1&latitude=nan&longitude=inf");
	expect_invalid(r, "latitude");
	cr_expect(has_field(r, "longitude"), "%s", r->body);
	hresp_free(r);
	r = map(NULL, "company=1&latitude=90.1&longitude=-181");
	expect_invalid(r, "latitude");
	cr_expect(has_field(r, "longitude"), "%s", r->body);
	hresp_free(r);
	r = map(NULL, "company=1&latitude=59&longitude=18&width=0&height=1281&zoom=21");
	expect_invalid(r, "width");
	cr_expect(has_field(r, "height") && has_field(r, "zoom"), "%s", r->body);
	hresp_free(r);
	r = map(NULL, "company=1&latitude=59&longitude=18&width=-5&height=abc&zoom=8.5");
	expect_invalid(r, "width");
	cr_expect(has_field(r, "height") && has_field(r, "zoom"), "%s", r->body);
	hresp_free(r);
	r = map(NULL, "company=1&latitude=59&longitude=18&width=99999999999999999999");
	expect_invalid(r, "width");
	hresp_free(r);
	r = map(NULL, "company=1&latitude=59&longitude=18&pin=maybe");
	expect_invalid(r, "pin");
	hresp_free(r);
	/* public, but a bad token is still refused (H-36) */
	r = map("not-a-token", "company=1&latitude=59&longitude=18");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
}

Test(geo, static_map_rate_limit)
{
	struct hresp *r;
	const char *retry;

	for (int i = 0; i < 60; i++) {
		r = map(NULL, "company=1&latitude=59.3&longitude=18&width=8&height=8");
		cr_assert_eq(r->status, 200, "request %d: %d %s", i + 1, r->status, r->body);
		hresp_free(r);
	}
	r = map(NULL, "company=1&latitude=59.3&longitude=18&width=8&height=8");
	expect_error(r, 429, "RateLimited");
	cr_expect_str_eq(hresp_str(r, "description"), "You have been rate limited. Please try again later.");
	retry = hresp_header(r, "Retry-After");
	cr_assert(retry, "no Retry-After");
	cr_expect(atoi(retry) >= 1 && atoi(retry) <= 60, "Retry-After: %s", retry);
	hresp_free(r);
	/* also on the v2 path: one limit for the operation */
	r = harness_request(h, "GET", "/api/v2/static_map/?company=1&latitude=59.3&longitude=18", NULL);
	expect_error(r, 429, "RateLimited");
	hresp_free(r);
	/* a token is counted on its own, not by address */
	r = map(co.admin_token, "company=1&latitude=59.3&longitude=18&width=8&height=8");
	cr_expect_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}
