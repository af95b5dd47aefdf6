/*
 * test_portal.c — the applicant portal's serving (issue 18; docs/PORTAL.md): the page at the
 * prefix with its language, base and Content-Security-Policy; its files with ETag, 304 and
 * gzip (dialects/assets.c, shared with the widget and the API reference); --no-portal and --portal-prefix; the
 * brand in GET /v2/client/configuration and the logo; the list's sort and the detail's
 * position (rentd's extensions of the market dialect). The whole portal in a browser is
 * tests/browser/test_portal.py.
 */
#include <unistd.h>

#include "org_common.h"

static struct harness *h;

static void teardown(void)
{
	harness_destroy(h);
	h = NULL;
}

static struct hresp *get(const char *target, const char *header)
{
	const char *headers[] = { header, NULL };
	return harness_request_ex(h, "GET", target, NULL, NULL, 0, header ? headers : NULL);
}

Test(portal, the_page_at_the_root, .fini = teardown)
{
	struct hresp *r;

	h = harness_create();
	r = get("/", "Accept-Language: sv-SE,sv;q=0.9");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(r->content_type, "text/html; charset=utf-8");
	cr_assert(strstr(r->body, "<html lang=\"sv\">") && strstr(r->body, "<base href=\"/\">"), "%s", r->body);
	cr_assert(strstr(r->body, "Lediga bostäder"), "the shell speaks Swedish: %s", r->body);
	cr_assert(!strstr(r->body, "{{"), "every template slot is filled: %s", r->body);
	cr_assert(strstr(hresp_header(r, "Content-Security-Policy"), "default-src 'none'"));
	cr_assert(strstr(hresp_header(r, "Content-Security-Policy"), "script-src 'self'"));
	hresp_free(r);
	r = get("/", "Accept-Language: en-GB,en;q=0.8,sv;q=0.5");
	cr_assert(strstr(r->body, "<html lang=\"en\">") && strstr(r->body, "Homes to let"), "%s", r->body);
	hresp_free(r);
	r = get("/", "Accept-Language: fi, en;q=0.5");
	cr_assert(strstr(r->body, "<html lang=\"en\">"), "English before Swedish: %s", r->body);
	hresp_free(r);
	r = get("/", "Accept-Language: fi");
	cr_assert(strstr(r->body, "<html lang=\"sv\">"), "neither: Swedish, %s", r->body);
	hresp_free(r);
	r = get("/", "Accept-Language: svenska");
	cr_assert(strstr(r->body, "<html lang=\"sv\">"), "%s", r->body);
	hresp_free(r);
	/* the API paths are untouched */
	r = get("/healthz", NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	r = get("/v2/market/objects?limit=0", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/", "{}");
	cr_assert_eq(r->status, 405, "%s", r->body);
	hresp_free(r);
}

Test(portal, its_files_with_etag_and_gzip, .fini = teardown)
{
	struct hresp *r;
	char inm[128];
	size_t plain;

	h = harness_create();
	r = get("/portal/portal.js", NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(r->content_type, "text/javascript; charset=utf-8");
	cr_assert_null(hresp_header(r, "Content-Encoding"));
	cr_assert_str_eq(hresp_header(r, "Vary"), "Accept-Encoding");
	cr_assert_str_eq(hresp_header(r, "Cache-Control"), "public, max-age=300");
	cr_assert(strstr(r->body, "sessionStorage"));
	plain = r->body_len;
	snprintf(inm, sizeof(inm), "If-None-Match: %s", hresp_header(r, "ETag"));
	hresp_free(r);
	r = get("/portal/portal.js", "Accept-Encoding: gzip, deflate, br");
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(hresp_header(r, "Content-Encoding"), "gzip");
	cr_assert(r->body_len < plain / 2 && (unsigned char)r->body[0] == 0x1f && (unsigned char)r->body[1] == 0x8b,
		  "%zu of %zu bytes, gzip magic", r->body_len, plain);
	hresp_free(r);
	r = get("/portal/portal.js", "Accept-Encoding: gzip;q=0, identity");
	cr_assert_null(hresp_header(r, "Content-Encoding"), "q=0 refuses gzip");
	cr_assert_eq(r->body_len, plain);
	hresp_free(r);
	r = get("/portal/portal.js", "Accept-Encoding: *");
	cr_assert_str_eq(hresp_header(r, "Content-Encoding"), "gzip");
	hresp_free(r);
	r = get("/portal/portal.js", inm);
	cr_assert_eq(r->status, 304);
	cr_assert_eq(r->body_len, 0);
	hresp_free(r);
	r = get("/portal/i18n.js", NULL);
	cr_assert_eq(r->status, 200);
	cr_assert(strstr(r->body, "sv:") && strstr(r->body, "en:"));
	hresp_free(r);
	r = get("/portal/portal.css", NULL);
	cr_assert_str_eq(r->content_type, "text/css; charset=utf-8");
	hresp_free(r);
	/* the page is only a template through its route; unknown files are 404 */
	r = get("/portal/index.html", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	r = get("/portal/nothing.js", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	r = get("/portal/..%2Fportal.js", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	/* the widget's files go the same way */
	r = get("/widgets/overview.js", "Accept-Encoding: gzip");
	cr_assert_str_eq(hresp_header(r, "Content-Encoding"), "gzip");
	hresp_free(r);
}

static void no_portal(struct config *cfg)
{
	cfg->portal = 0;
}

Test(portal, off, .fini = teardown)
{
	struct hresp *r;

	h = harness_create_with(no_portal);
	r = get("/", NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
	r = get("/portal/portal.js", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	r = get("/v2/market/objects?limit=0", NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
}

static void prefixed(struct config *cfg)
{
	snprintf(cfg->portal_prefix, sizeof(cfg->portal_prefix), "/hyresgast/minasidor");
}

Test(portal, under_a_prefix, .fini = teardown)
{
	struct hresp *r;

	h = harness_create_with(prefixed);
	r = get("/hyresgast/minasidor/", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(strstr(r->body, "<base href=\"/hyresgast/minasidor/\">"), "%s", r->body);
	hresp_free(r);
	r = get("/hyresgast/minasidor", NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	r = get("/hyresgast/minasidor/portal/portal.css", NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	r = get("/", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	r = get("/portal/portal.css", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
}

Test(portal, prefix_and_brand_flags)
{
	struct config c;
	char msg[256];
	const char *ok[] = { "serve", "--portal-prefix", "/a/b-c_d.e~/", "--brand-colour", "#A0b1C2", "--no-portal" };
	const char *bad_prefix[] = { "/v2", "/api/portal", "/Widgets", "x", "/a//b", "/a b", "/healthz" };
	const char *bad_colour[] = { "red", "#12345", "#1234567", "#12345g" };

	config_defaults(&c);
	cr_assert_eq(c.portal, 1);
	cr_assert_str_eq(c.portal_prefix, "/");
	cr_assert_eq(config_from_args(&c, 6, (char **)ok, 1, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_str_eq(c.portal_prefix, "/a/b-c_d.e~");
	cr_assert_str_eq(c.brand_colour, "#a0b1c2");
	cr_assert_eq(c.portal, 0);
	for (size_t i = 0; i < sizeof(bad_prefix) / sizeof(bad_prefix[0]); i++) {
		const char *argv[] = { "serve", "--portal-prefix", bad_prefix[i] };
		config_defaults(&c);
		cr_assert_eq(config_from_args(&c, 3, (char **)argv, 1, msg, sizeof(msg)), -1, "%s", bad_prefix[i]);
		cr_assert(strstr(msg, "portal-prefix"), "%s", msg);
	}
	for (size_t i = 0; i < sizeof(bad_colour) / sizeof(bad_colour[0]); i++) {
		const char *argv[] = { "serve", "--brand-colour", bad_colour[i] };
		config_defaults(&c);
		cr_assert_eq(config_from_args(&c, 3, (char **)argv, 1, msg, sizeof(msg)), -1, "%s", bad_colour[i]);
	}
	{
		const char *argv[] = { "serve", "--brand-logo", "logo.gif" };
		config_defaults(&c);
		cr_assert_eq(config_from_args(&c, 3, (char **)argv, 1, msg, sizeof(msg)), -1);
	}
}

/* ---- the brand ---- */

static char logo_path[64];

static void branded(struct config *cfg)
{
	snprintf(cfg->brand_colour, sizeof(cfg->brand_colour), "#f2b705");
	snprintf(cfg->brand_logo, sizeof(cfg->brand_logo), "%s", logo_path);
}

Test(portal, the_brand_in_the_client_configuration, .fini = teardown)
{
	struct hresp *r;
	json_t *light;
	FILE *f;
	int fd;

	h = harness_create();
	r = get("/v2/client/configuration", NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_null(json_object_get(r->json, "brand"), "no brand configured: none, %s", r->body);
	hresp_free(r);
	r = get("/v2/client/files/logo", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	harness_destroy(h);

	snprintf(logo_path, sizeof(logo_path), "/tmp/rentd-logo-XXXXXX.svg");
	fd = mkstemps(logo_path, 4);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", f);
	fclose(f);
	h = harness_create_with(branded);
	r = get("/v2/client/configuration?market=true", NULL);
	light = json_object_get(json_object_get(json_object_get(r->json, "brand"), "themes"), "light");
	cr_assert_str_eq(jstr(json_object_get(json_object_get(light, "colours"), "primary"), "colourCode"), "#f2b705",
			 "%s", r->body);
	cr_assert(strstr(jstr(json_object_get(json_object_get(light, "files"), "logoDefaultBackground"), "address"),
			 "/v2/client/files/logo"), "%s", r->body);
	cr_assert_not_null(json_object_get(r->json, "market"));
	hresp_free(r);
	r = get("/v2/client/files/logo", NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(r->content_type, "image/svg+xml");
	cr_assert(strstr(r->body, "<svg"));
	cr_assert(strstr(hresp_header(r, "Content-Security-Policy"), "default-src 'none'"));
	hresp_free(r);
	unlink(logo_path);
	r = get("/v2/client/files/logo", NULL);
	cr_assert_eq(r->status, 404, "a logo file gone is a 404: %s", r->body);
	hresp_free(r);
}
