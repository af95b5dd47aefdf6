/*
 * The API reference through the whole application (src/dialects/openapi.c): the three OpenAPI
 * documents at /openapi/{name} (200 JSON that parses and is the embedded file, ETag and
 * If-None-Match → 304, gzip when accepted and not when refused, 404 for another name, no
 * credentials, CORS), the reference page at /docs and /docs/{name} (HTML naming its document,
 * a Content-Security-Policy keeping it on this server) and the Redoc script it loads.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <zlib.h>

#include "dialects/assets.h"
#include "harness.h"

static struct harness *h;

static void setup(void) { h = harness_create(); }
static void teardown(void) { harness_destroy(h); }

TestSuite(openapi, .init = setup, .fini = teardown);

static struct hresp *get(const char *target, const char *const *headers)
{
	return harness_request_ex(h, "GET", target, NULL, NULL, 0, headers);
}

static const struct embedded_asset *embedded(const char *name)
{
	const struct embedded_asset *a = asset_find(doc_assets, doc_assets_count, name);
	cr_assert_not_null(a, "%s is not embedded", name);
	return a;
}

/* The gzip body inflated; the caller frees it. */
static char *gunzip(const char *data, size_t len, size_t *out_len)
{
	z_stream z;
	size_t cap = len * 20 + 1024;
	char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	cr_assert_eq(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (unsigned)len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned)cap;
	cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END, "the body is not one gzip stream");
	*out_len = z.total_out;
	inflateEnd(&z);
	return out;
}

Test(openapi, each_document_is_json_without_credentials)
{
	static const char *const names[] = { "landlord.json", "market.json", "accounts.json" };

	for (size_t i = 0; i < 3; i++) {
		char target[64];
		struct hresp *r;
		const struct embedded_asset *a = embedded(names[i]);

		snprintf(target, sizeof(target), "/openapi/%s", names[i]);
		r = get(target, NULL);
		cr_assert_eq(r->status, 200, "%s → %d", target, r->status);
		cr_assert_str_eq(r->content_type, "application/json");
		cr_assert_not_null(r->json, "%s does not parse", target);
		cr_assert_str_eq(json_string_value(json_object_get(r->json, "openapi")), "3.1.0");
		cr_assert_eq(r->body_len, a->len);
		cr_assert(memcmp(r->body, a->data, a->len) == 0, "%s is not the embedded file", target);
		cr_assert_str_eq(hresp_header(r, "ETag"), a->etag);
		cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
		cr_assert_null(hresp_header(r, "Content-Encoding"));
		hresp_free(r);
	}
}

Test(openapi, market_document_names_the_market_api)
{
	struct hresp *r = get("/openapi/market.json", NULL);
	json_t *paths = json_object_get(r->json, "paths");

	cr_assert_eq(r->status, 200);
	cr_assert_not_null(strstr(json_string_value(json_object_get(json_object_get(r->json, "info"), "description")),
				  "Momentum API v2"));
	cr_assert(json_is_object(json_object_get(json_object_get(paths, "/v2/market/objects"), "get")));
	cr_assert(json_is_object(json_object_get(json_object_get(paths, "/v2/market/{id}/applications"), "post")));
	hresp_free(r);
}

Test(openapi, etag_answers_304)
{
	const struct embedded_asset *a = embedded("market.json");
	char inm[96];
	const char *headers[] = { inm, NULL };
	struct hresp *r;

	snprintf(inm, sizeof(inm), "If-None-Match: \"other\", %s", a->etag);
	r = get("/openapi/market.json", headers);
	cr_assert_eq(r->status, 304);
	cr_assert_eq(r->body_len, 0);
	cr_assert_str_eq(hresp_header(r, "ETag"), a->etag);
	hresp_free(r);

	snprintf(inm, sizeof(inm), "If-None-Match: \"0000000000000000\"");
	r = get("/openapi/market.json", headers);
	cr_assert_eq(r->status, 200, "a stale tag is answered with the document");
	hresp_free(r);
}

Test(openapi, gzip_when_accepted)
{
	const struct embedded_asset *a = embedded("market.json");
	const char *headers[] = { "Accept-Encoding: br, GZIP;q=0.8", NULL };
	struct hresp *r = get("/openapi/market.json", headers);
	size_t n;
	char *plain;

	cr_assert_not_null(a->gzip_data, "the market document has a gzipped copy");
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(hresp_header(r, "Content-Encoding"), "gzip");
	cr_assert_str_eq(hresp_header(r, "Vary"), "Accept-Encoding");
	cr_assert_str_eq(hresp_header(r, "ETag"), a->gzip_etag);
	cr_assert_neq(strcmp(a->gzip_etag, a->etag), 0, "the gzipped representation has its own tag");
	cr_assert_lt(r->body_len, a->len / 4);
	plain = gunzip(r->body, r->body_len, &n);
	cr_assert_eq(n, a->len);
	cr_assert(memcmp(plain, a->data, n) == 0, "the gzipped body inflates to the document");
	free(plain);
	hresp_free(r);
}

Test(openapi, gzip_tag_answers_304_only_for_gzip)
{
	const struct embedded_asset *a = embedded("market.json");
	char inm[96];
	const char *with_gzip[] = { "Accept-Encoding: gzip", inm, NULL };
	const char *without[] = { inm, NULL };
	struct hresp *r;

	snprintf(inm, sizeof(inm), "If-None-Match: %s", a->gzip_etag);
	r = get("/openapi/market.json", with_gzip);
	cr_assert_eq(r->status, 304);
	hresp_free(r);
	r = get("/openapi/market.json", without);
	cr_assert_eq(r->status, 200, "the identity representation has another tag");
	cr_assert_null(hresp_header(r, "Content-Encoding"));
	hresp_free(r);
}

Test(openapi, gzip_refused_by_q_zero)
{
	static const char *const refusals[] = { "Accept-Encoding: gzip;q=0", "Accept-Encoding: identity",
						"Accept-Encoding: *;q=0.5, gzip;q=0.000", "Accept-Encoding: deflate, br" };
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const char *headers[] = { refusals[i], NULL };
		struct hresp *r = get("/openapi/market.json", headers);
		cr_assert_eq(r->status, 200);
		cr_assert_null(hresp_header(r, "Content-Encoding"), "%s", refusals[i]);
		cr_assert_not_null(r->json, "%s: the body is the plain document", refusals[i]);
		hresp_free(r);
	}
	{
		const char *headers[] = { "Accept-Encoding: *", NULL };
		struct hresp *r = get("/openapi/market.json", headers);
		cr_assert_str_eq(hresp_header(r, "Content-Encoding"), "gzip", "* allows gzip");
		hresp_free(r);
	}
}

Test(openapi, unknown_document_is_404)
{
	static const char *const targets[] = { "/openapi/other.json", "/openapi/market", "/openapi/redoc.standalone.js",
						"/openapi/market.json/x" };
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		struct hresp *r = get(targets[i], NULL);
		cr_assert_eq(r->status, 404, "%s → %d", targets[i], r->status);
		cr_assert_str_eq(hresp_str(r, "error"), "NotFound"); /* the landlord dialect's shape */
		hresp_free(r);
	}
}

Test(openapi, documents_are_read_only)
{
	struct hresp *r = harness_request(h, "POST", "/openapi/market.json", "{}");
	cr_assert_eq(r->status, 405);
	cr_assert_not_null(strstr(hresp_header(r, "Allow"), "GET"));
	hresp_free(r);
	r = harness_request(h, "HEAD", "/openapi/market.json", NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
}

static void assert_page(const char *target, const char *document)
{
	struct hresp *r = get(target, NULL);
	char want[96];
	const char *csp;

	cr_assert_eq(r->status, 200, "%s → %d", target, r->status);
	cr_assert_str_eq(r->content_type, "text/html; charset=utf-8");
	snprintf(want, sizeof(want), "<redoc spec-url=\"/openapi/%s\"", document);
	cr_assert_not_null(strstr(r->body, want), "%s does not show %s", target, document);
	cr_assert_not_null(strstr(r->body, "<script src=\"/docs/redoc.standalone.js\"></script>"));
	cr_assert_not_null(strstr(r->body, "href=\"/docs/landlord\""));
	cr_assert_not_null(strstr(r->body, "href=\"/docs/market\""));
	cr_assert_not_null(strstr(r->body, "href=\"/docs/accounts\""));
	cr_assert_null(strstr(r->body, "https://"), "%s names another site", target);
	cr_assert_null(strstr(r->body, "http://"), "%s names another site", target);
	csp = hresp_header(r, "Content-Security-Policy");
	cr_assert_not_null(csp);
	cr_assert_not_null(strstr(csp, "default-src 'none'"));
	cr_assert_not_null(strstr(csp, "script-src 'self';"));
	cr_assert_not_null(strstr(csp, "img-src 'self' data:;"));
	cr_assert_not_null(strstr(csp, "connect-src 'self';"));
	hresp_free(r);
}

Test(openapi, docs_pages_show_their_document)
{
	assert_page("/docs", "landlord.json");
	assert_page("/docs/", "landlord.json");
	assert_page("/docs/landlord", "landlord.json");
	assert_page("/docs/market", "market.json");
	assert_page("/docs/accounts", "accounts.json");
}

Test(openapi, docs_page_marks_the_current_document)
{
	struct hresp *r = get("/docs/market", NULL);
	cr_assert_not_null(strstr(r->body, "<a href=\"/docs/market\" aria-current=\"page\">"));
	cr_assert_null(strstr(r->body, "<a href=\"/docs/landlord\" aria-current"));
	hresp_free(r);
}

Test(openapi, unknown_docs_page_is_404)
{
	struct hresp *r = get("/docs/market.json", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	r = get("/docs/other", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
}

Test(openapi, redoc_script_is_served_with_etag_and_gzip)
{
	const struct embedded_asset *a = embedded("redoc.standalone.js");
	char inm[96];
	const char *gz[] = { "Accept-Encoding: gzip, deflate", NULL };
	const char *cond[] = { inm, NULL };
	struct hresp *r = get("/docs/redoc.standalone.js", NULL);

	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(r->content_type, "text/javascript; charset=utf-8");
	cr_assert_eq(r->body_len, a->len);
	cr_assert_gt(a->len, 500000, "the Redoc bundle is embedded whole");
	cr_assert_str_eq(hresp_header(r, "ETag"), a->etag);
	cr_assert_str_eq(hresp_header(r, "X-Content-Type-Options"), "nosniff");
	hresp_free(r);

	r = get("/docs/redoc.standalone.js", gz);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(hresp_header(r, "Content-Encoding"), "gzip");
	cr_assert_eq(r->body_len, a->gzip_len);
	hresp_free(r);

	snprintf(inm, sizeof(inm), "If-None-Match: %s", a->etag);
	r = get("/docs/redoc.standalone.js", cond);
	cr_assert_eq(r->status, 304);
	hresp_free(r);
}

/* The widget's files go through the same asset_serve(): gzip there too. */
Test(openapi, widget_files_share_the_mechanism)
{
	const struct embedded_asset *a = asset_find(widget_assets, widget_assets_count, "overview.js");
	const char *gz[] = { "Accept-Encoding: gzip", NULL };
	struct hresp *r = get("/widgets/overview.js", gz);
	size_t n;
	char *plain;

	cr_assert_not_null(a);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(hresp_header(r, "Content-Encoding"), "gzip");
	plain = gunzip(r->body, r->body_len, &n);
	cr_assert_eq(n, a->len);
	cr_assert(memcmp(plain, a->data, n) == 0);
	free(plain);
	hresp_free(r);
}
