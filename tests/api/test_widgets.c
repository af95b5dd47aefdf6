/*
 * The widget (homeq.md §11g; docs/WIDGET.md): its files with their types and caching, the
 * project interest page and its form, the JSON sign-up, the landlord's list of sign-ups
 * (rights, scope, paging) and CORS on the public endpoints only (app/cors.c).
 */
#include "widgets_common.h"

#include "core/listings/project_interest.h"

#define RIGHT_PROJECT "entity.Project.update"

static struct harness *h;
static struct fixture_company co;

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme Bostäder", &co);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(widgets, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static int64_t make_project(const char *token, const char *name, int64_t office)
{
	return widgets_make_project(h, token, name, office);
}

static void patch_project(const char *token, int64_t id, const char *body)
{
	widgets_patch_project(h, token, id, body);
}

static int64_t published_project(const char *name, int64_t office)
{
	return widgets_published_project(h, &co, name, office);
}

static struct hresp *form_post(int64_t project, const char *body, const char *const *headers)
{
	char p[512];
	return harness_request_ex(h, "POST", pathf(p, "/widgets/project?project=%lld", (long long)project),
				  "application/x-www-form-urlencoded", body, strlen(body), headers);
}

static struct hresp *json_signup(int64_t project, const char *body)
{
	char p[512];
	return harness_request(h, "POST", pathf(p, "/api/v1/projects/%lld/interest", (long long)project), body);
}

static struct hresp *list_interest(int64_t project, const char *token, const char *query)
{
	char p[512];
	pathf(p, "/api/v1/projects/%lld/interest%s", (long long)project, query ? query : "");
	return harness_auth(h, "GET", p, token, NULL);
}

/* The number of sign-ups the landlord sees. */
static long long interest_total(int64_t project)
{
	struct hresp *r = list_interest(project, co.admin_token, NULL);
	long long total;
	cr_assert_eq(r->status, 200, "%s", r->body);
	total = hresp_int(r, "total");
	cr_assert_eq((long long)json_array_size(json_object_get(r->json, "results")), total < 1000 ? total : 1000);
	hresp_free(r);
	return total;
}

static bool body_has(const struct hresp *r, const char *needle)
{
	return r->body && strstr(r->body, needle) != NULL;
}

static void expect_html(const struct hresp *r, int status)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	cr_assert_str_eq(r->content_type, "text/html; charset=utf-8");
	cr_assert(body_has(r, "<!DOCTYPE html>"), "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Cache-Control"), "no-store");
}

/* ---- the widget's files ---- */

static void expect_asset(const char *path, const char *type, const char *needle)
{
	struct hresp *r = harness_request(h, "GET", path, NULL);
	cr_assert_eq(r->status, 200, "%s: %d", path, r->status);
	cr_assert_str_eq(r->content_type, type);
	cr_assert(body_has(r, needle), "%s lacks %s", path, needle);
	cr_assert_not_null(hresp_header(r, "ETag"));
	cr_assert_eq(hresp_header(r, "ETag")[0], '"', "a strong, quoted tag: %s", hresp_header(r, "ETag"));
	cr_assert_str_eq(hresp_header(r, "Cache-Control"), "public, max-age=300");
	cr_assert_str_eq(hresp_header(r, "X-Content-Type-Options"), "nosniff");
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
}

Test(widgets, files_are_served_with_their_types)
{
	expect_asset("/widgets/overview.js", "text/javascript; charset=utf-8", "homeq-anchor");
	expect_asset("/widgets/overview.js", "text/javascript; charset=utf-8", "rentd-anchor");
	expect_asset("/widgets/overview.js", "text/javascript; charset=utf-8", "/api/v3/cards/");
	expect_asset("/widgets/overview.js", "text/javascript; charset=utf-8", "data-environment");
	expect_asset("/widgets/overview.css", "text/css; charset=utf-8", "--rentd-color-accent");
	expect_asset("/widgets/overview.css", "text/css; charset=utf-8", ".rentd-card");
	expect_asset("/widgets/project.css", "text/css; charset=utf-8", ".rentd-interest");
	/* a trailing slash is optional (G-01) and HEAD is GET without a body */
	expect_asset("/widgets/overview.js/", "text/javascript; charset=utf-8", "homeq-anchor");
	struct hresp *r = harness_request(h, "HEAD", "/widgets/overview.css", NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_not_null(hresp_header(r, "ETag"));
	hresp_free(r);
}

Test(widgets, files_use_no_external_resources)
{
	static const char *const paths[] = { "/widgets/overview.js", "/widgets/overview.css", "/widgets/project.css" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct hresp *r = harness_request(h, "GET", paths[i], NULL);
		cr_assert_eq(r->status, 200);
		cr_assert(!body_has(r, "@import") && !body_has(r, "@font-face") && !body_has(r, "fonts.googleapis") &&
				  !body_has(r, "cdn") && !body_has(r, "url(http"),
			  "%s loads something from elsewhere", paths[i]);
		hresp_free(r);
	}
}

Test(widgets, etag_revalidation_answers_304)
{
	struct hresp *r = harness_request(h, "GET", "/widgets/overview.js", NULL);
	char etag[64], inm[160];
	const char *const weak[] = { inm, NULL };

	cr_assert_eq(r->status, 200);
	snprintf(etag, sizeof(etag), "%s", hresp_header(r, "ETag"));
	hresp_free(r);

	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	r = harness_request_ex(h, "GET", "/widgets/overview.js", NULL, NULL, 0, weak);
	cr_assert_eq(r->status, 304);
	cr_assert_eq(r->body_len, 0);
	cr_assert_str_eq(hresp_header(r, "ETag"), etag);
	cr_assert_str_eq(hresp_header(r, "Cache-Control"), "public, max-age=300");
	hresp_free(r);

	/* one of a list, weak comparison (RFC 9110 §13.1.2) */
	snprintf(inm, sizeof(inm), "If-None-Match: \"other\", W/%s", etag);
	r = harness_request_ex(h, "GET", "/widgets/overview.js", NULL, NULL, 0, weak);
	cr_assert_eq(r->status, 304);
	hresp_free(r);

	snprintf(inm, sizeof(inm), "If-None-Match: *");
	r = harness_request_ex(h, "GET", "/widgets/overview.js", NULL, NULL, 0, weak);
	cr_assert_eq(r->status, 304);
	hresp_free(r);

	/* a stale tag, or the script's tag on the styles: the whole file */
	snprintf(inm, sizeof(inm), "If-None-Match: \"0000000000000000\"");
	r = harness_request_ex(h, "GET", "/widgets/overview.js", NULL, NULL, 0, weak);
	cr_assert_eq(r->status, 200);
	cr_assert(r->body_len > 1000);
	hresp_free(r);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	r = harness_request_ex(h, "GET", "/widgets/overview.css", NULL, NULL, 0, weak);
	cr_assert_eq(r->status, 200);
	cr_assert_str_neq(hresp_header(r, "ETag"), etag);
	hresp_free(r);
}

Test(widgets, templates_and_unknown_files_are_not_served)
{
	static const char *const paths[] = { "/widgets/project.html", "/widgets/project_form.html",
					     "/widgets/project_thanks.html", "/widgets/nope.js", "/widgets/" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct hresp *r = harness_request(h, "GET", paths[i], NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
	}
	/* the files are read-only */
	struct hresp *r = harness_request(h, "POST", "/widgets/overview.js", "{}");
	expect_error(r, 405, "MethodNotAllowed");
	hresp_free(r);
}

/* ---- the interest page ---- */

Test(widgets, page_of_a_published_project_has_the_form)
{
	int64_t id = published_project("Kvarteret Eken", 0);
	char p[128];
	struct hresp *r = harness_request(h, "GET", pathf(p, "/widgets/project?project=%lld", (long long)id), NULL);

	expect_html(r, 200);
	cr_assert(body_has(r, "Kvarteret Eken"));
	cr_assert(body_has(r, "Acme Bostäder"), "the consent names who stores the address");
	cr_assert(body_has(r, "<form class=\"rentd-interest__form\" method=\"post\""));
	cr_assert(body_has(r, "name=\"email\" type=\"email\""));
	cr_assert(body_has(r, "name=\"consent\" type=\"checkbox\""));
	cr_assert(!body_has(r, " checked"), "consent is never ticked in advance");
	cr_assert(body_has(r, "<html lang=\"en\">"));
	cr_assert(body_has(r, "href=\"/widgets/project.css\""));
	/* made for an iframe on any site, loading only our own styles */
	cr_assert(strstr(hresp_header(r, "Content-Security-Policy"), "frame-ancestors *"));
	cr_assert(strstr(hresp_header(r, "Content-Security-Policy"), "default-src 'none'"));
	cr_assert_null(hresp_header(r, "X-Frame-Options"));
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
}

Test(widgets, page_escapes_the_project_name)
{
	int64_t id = published_project("<script>alert(\"x\")</script> & Co", 0);
	char p[128];
	struct hresp *r = harness_request(h, "GET", pathf(p, "/widgets/project?project=%lld", (long long)id), NULL);

	expect_html(r, 200);
	cr_assert(!body_has(r, "<script>"), "%s", r->body);
	cr_assert(body_has(r, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"), "%s", r->body);
	hresp_free(r);
}

Test(widgets, page_speaks_swedish_when_asked)
{
	int64_t id = published_project("Eken", 0);
	char p[128];
	const char *const sv[] = { "Accept-Language: sv-SE,sv;q=0.9,en;q=0.5", NULL };
	const char *const en[] = { "Accept-Language: en-GB,en;q=0.9", NULL };
	struct hresp *r =
		harness_request(h, "GET", pathf(p, "/widgets/project?project=%lld&lang=sv", (long long)id), NULL);

	expect_html(r, 200);
	cr_assert(body_has(r, "<html lang=\"sv\">"));
	cr_assert(body_has(r, "E-postadress"));
	cr_assert(body_has(r, "Meddela mig"));
	hresp_free(r);
	r = harness_request_ex(h, "GET", pathf(p, "/widgets/project?project=%lld", (long long)id), NULL, NULL, 0, sv);
	cr_assert(body_has(r, "<html lang=\"sv\">"));
	hresp_free(r);
	r = harness_request_ex(h, "GET", pathf(p, "/widgets/project?project=%lld", (long long)id), NULL, NULL, 0, en);
	cr_assert(body_has(r, "<html lang=\"en\">"));
	cr_assert(body_has(r, "Notify me"));
	hresp_free(r);
	/* the query wins over the header */
	r = harness_request_ex(h, "GET", pathf(p, "/widgets/project?project=%lld&lang=en", (long long)id), NULL, NULL,
			       0, sv);
	cr_assert(body_has(r, "<html lang=\"en\">"));
	hresp_free(r);
}

Test(widgets, page_of_an_unpublished_unknown_or_closed_project_is_404)
{
	int64_t draft = make_project(co.admin_token, "Draft", 0);
	int64_t closed = published_project("Closed", 0);
	static const char *const bad[] = { "", "?project=", "?project=abc", "?project=0", "?project=-3",
					   "?project=99999", "?project=1.5", "?project=99999999999999999999" };
	char p[128];
	struct hresp *r;

	patch_project(co.admin_token, closed, "{\"closed\": true}");
	r = harness_request(h, "GET", pathf(p, "/widgets/project?project=%lld", (long long)draft), NULL);
	expect_html(r, 404);
	cr_assert(body_has(r, "Project not found"));
	cr_assert(!body_has(r, "Draft"), "a draft's name is not shown");
	cr_assert(!body_has(r, "<form"));
	hresp_free(r);
	r = harness_request(h, "GET", pathf(p, "/widgets/project?project=%lld", (long long)closed), NULL);
	expect_html(r, 404);
	hresp_free(r);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = harness_request(h, "GET", pathf(p, "/widgets/project%s", bad[i]), NULL);
		expect_html(r, 404);
		hresp_free(r);
	}
}

/* ---- the form ---- */

Test(widgets, form_signs_up_and_thanks)
{
	int64_t id = published_project("Eken", 0);
	struct hresp *r = form_post(id, "email=Anna.Svensson%40Example.se&consent=yes", NULL);
	json_t *row;

	expect_html(r, 200);
	cr_assert(body_has(r, "Thank you"));
	cr_assert(body_has(r, "Anna.Svensson@Example.se"));
	cr_assert(!body_has(r, "<form"));
	hresp_free(r);

	r = list_interest(id, co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 1);
	row = json_array_get(json_object_get(r->json, "results"), 0);
	cr_assert_str_eq(jstr(row, "email"), "Anna.Svensson@Example.se");
	cr_assert(jint(row, "id") > 0);
	cr_assert_eq(strlen(jstr(row, "consent_date")), 20, "YYYY-MM-DDTHH:MM:SSZ (H-44)");
	cr_assert_eq(jstr(row, "consent_date")[19], 'Z');
	cr_assert_eq(strlen(jstr(row, "created")), 20);
	{
		static const char *const keys[] = { "consent_date", "created", "email", "id", NULL };
		expect_keys(row, keys);
	}
	hresp_free(r);
}

Test(widgets, form_deduplicates_case_insensitively)
{
	int64_t id = published_project("Eken", 0);
	int64_t other = published_project("Björken", 0);
	struct hresp *r = form_post(id, "email=anna%40example.se&consent=on", NULL);
	char created[32];

	expect_html(r, 200);
	hresp_free(r);
	r = list_interest(id, co.admin_token, NULL);
	snprintf(created, sizeof(created), "%s",
		 jstr(json_array_get(json_object_get(r->json, "results"), 0), "created"));
	hresp_free(r);

	r = form_post(id, "email=+ANNA%40Example.SE+&consent=yes", NULL);
	expect_html(r, 200);
	cr_assert(body_has(r, "ANNA@Example.SE"), "the address as entered, trimmed");
	hresp_free(r);
	cr_assert_eq(interest_total(id), 1);
	r = list_interest(id, co.admin_token, NULL);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "results"), 0), "email"), "anna@example.se",
			 "the first spelling is kept");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "results"), 0), "created"), created);
	hresp_free(r);

	/* the same address on another project is another sign-up */
	r = form_post(other, "email=anna%40example.se&consent=yes", NULL);
	expect_html(r, 200);
	hresp_free(r);
	cr_assert_eq(interest_total(other), 1);
	cr_assert_eq(interest_total(id), 1);
}

Test(widgets, form_without_consent_or_with_a_bad_address_is_412_and_stores_nothing)
{
	int64_t id = published_project("Eken", 0);
	struct hresp *r = form_post(id, "email=anna%40example.se", NULL);

	expect_html(r, 412);
	cr_assert(body_has(r, "Tick the box to give your consent."));
	cr_assert(body_has(r, "value=\"anna@example.se\""), "the address is kept in the form");
	cr_assert(body_has(r, "aria-invalid=\"true\" aria-describedby=\"rentd-consent-error\""));
	hresp_free(r);

	r = form_post(id, "email=anna%40example.se&consent=no", NULL);
	expect_html(r, 412);
	cr_assert(body_has(r, "Tick the box to give your consent."));
	hresp_free(r);

	r = form_post(id, "email=%3Cb%3Enot+an+address&consent=yes", NULL);
	expect_html(r, 412);
	cr_assert(body_has(r, "Enter a valid e-mail address"));
	cr_assert(body_has(r, "value=\"&lt;b&gt;not an address\""), "escaped: %s", r->body);
	cr_assert(body_has(r, " checked"), "the ticked box stays ticked");
	hresp_free(r);

	r = form_post(id, "consent=yes", NULL);
	expect_html(r, 412);
	cr_assert(body_has(r, "Enter your e-mail address."));
	hresp_free(r);

	r = form_post(id, "email=&lang=sv", NULL);
	expect_html(r, 412);
	hresp_free(r);
	cr_assert_eq(interest_total(id), 0);
}

Test(widgets, form_errors_in_swedish)
{
	int64_t id = published_project("Eken", 0);
	char p[128];
	struct hresp *r;

	pathf(p, "/widgets/project?project=%lld&lang=sv", (long long)id);
	r = harness_request_ex(h, "POST", p, "application/x-www-form-urlencoded", "email=x", 7, NULL);
	expect_html(r, 412);
	cr_assert(body_has(r, "Fyll i en giltig e-postadress"));
	cr_assert(body_has(r, "Kryssa i rutan"));
	hresp_free(r);
}

Test(widgets, form_not_sent_as_a_form_is_400)
{
	int64_t id = published_project("Eken", 0);
	char p[128];
	const char *json = "{\"email\": \"a@b.se\", \"consent\": true}";
	struct hresp *r;

	pathf(p, "/widgets/project?project=%lld", (long long)id);
	r = harness_request_ex(h, "POST", p, "application/json", json, strlen(json), NULL);
	expect_html(r, 400);
	cr_assert(body_has(r, "The form could not be read."));
	hresp_free(r);
	r = form_post(id, "email=%zz&consent=yes", NULL);
	expect_html(r, 400);
	hresp_free(r);
	cr_assert_eq(interest_total(id), 0);
}

Test(widgets, form_for_an_unpublished_or_unknown_project_is_404)
{
	int64_t draft = make_project(co.admin_token, "Draft", 0);
	struct hresp *r = form_post(draft, "email=anna%40example.se&consent=yes", NULL);

	expect_html(r, 404);
	hresp_free(r);
	r = form_post(424242, "email=anna%40example.se&consent=yes", NULL);
	expect_html(r, 404);
	hresp_free(r);
	r = harness_request_ex(h, "POST", "/widgets/project", "application/x-www-form-urlencoded", "email=a%40b.se", 14,
			       NULL);
	expect_html(r, 404);
	hresp_free(r);
	cr_assert_eq(interest_total(draft), 0);
}

Test(widgets, form_sign_ups_are_rate_limited_per_address)
{
	int64_t id = published_project("Eken", 0);
	struct hresp *r;
	char body[128];
	int retry;

	for (int i = 0; i < RATELIMIT_INTEREST_LIMIT; i++) {
		snprintf(body, sizeof(body), "email=person%d%%40example.se&consent=yes", i);
		r = form_post(id, body, NULL);
		expect_html(r, 200);
		hresp_free(r);
	}
	r = form_post(id, "email=late%40example.se&consent=yes", NULL);
	expect_html(r, 429);
	cr_assert(body_has(r, "Too many sign-ups"));
	cr_assert_not_null(hresp_header(r, "Retry-After"));
	retry = atoi(hresp_header(r, "Retry-After"));
	cr_assert(retry > 0 && retry <= RATELIMIT_INTEREST_WINDOW, "Retry-After %d", retry);
	hresp_free(r);
	/* the JSON sign-up shares the limit */
	r = json_signup(id, "{\"email\": \"late@example.se\", \"consent\": true}");
	expect_error(r, 429, "RateLimited");
	cr_assert_not_null(hresp_header(r, "Retry-After"));
	hresp_free(r);
	cr_assert_eq(interest_total(id), RATELIMIT_INTEREST_LIMIT);
}

/* ---- the JSON sign-up ---- */

Test(widgets, json_sign_up_is_201_and_deduplicated)
{
	int64_t id = published_project("Eken", 0);
	struct hresp *r = json_signup(id, "{\"email\": \" Anna@Example.se \", \"consent\": true}");
	static const char *const keys[] = { "email", "project", NULL };

	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_str_eq(hresp_str(r, "email"), "Anna@Example.se");
	cr_assert_eq(hresp_int(r, "project"), id);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	/* a repeat answers the same: the endpoint tells no one who has signed up */
	r = json_signup(id, "{\"email\": \"anna@EXAMPLE.SE\", \"consent\": true, \"unknown\": 1}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "email"), "anna@EXAMPLE.SE");
	hresp_free(r);
	cr_assert_eq(interest_total(id), 1);
}

Test(widgets, json_sign_up_bad_input_is_412_naming_the_field)
{
	int64_t id = published_project("Eken", 0);
	char long_email[300];
	char body[400];
	struct hresp *r;

	r = json_signup(id, "{\"consent\": true}");
	expect_invalid(r, "email");
	cr_assert(!has_field(r, "consent"));
	hresp_free(r);
	r = json_signup(id, "{\"email\": \"anna@example.se\"}");
	expect_invalid(r, "consent");
	cr_assert(!has_field(r, "email"));
	hresp_free(r);
	r = json_signup(id, "{\"email\": \"anna@example.se\", \"consent\": false}");
	expect_invalid(r, "consent");
	hresp_free(r);
	r = json_signup(id, "{\"email\": 12, \"consent\": \"yes\"}");
	expect_invalid(r, "email");
	cr_assert(has_field(r, "consent"), "both wrong types are reported: %s", r->body);
	hresp_free(r);
	r = json_signup(id, "{\"email\": \"not an address\", \"consent\": true}");
	expect_invalid(r, "email");
	hresp_free(r);
	memset(long_email, 'a', 250);
	strcpy(long_email + 250, "@x.se"); /* 255 characters */
	snprintf(body, sizeof(body), "{\"email\": \"%s\", \"consent\": true}", long_email);
	r = json_signup(id, body);
	expect_invalid(r, "email");
	cr_assert(desc_contains(r, "254"), "%s", r->body);
	hresp_free(r);
	r = json_signup(id, "[\"anna@example.se\"]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = json_signup(id, NULL);
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = harness_request_ex(h, "POST", "/api/v1/projects/1/interest", "text/plain", "email=a", 7, NULL);
	expect_error(r, 415, "UnsupportedMediaType");
	hresp_free(r);
	cr_assert_eq(interest_total(id), 0);
}

Test(widgets, json_sign_up_for_an_unpublished_closed_or_unknown_project_is_404)
{
	int64_t draft = make_project(co.admin_token, "Draft", 0);
	int64_t closed = published_project("Closed", 0);
	struct hresp *r;

	patch_project(co.admin_token, closed, "{\"closed\": true}");
	r = json_signup(draft, "{\"email\": \"anna@example.se\", \"consent\": true}");
	expect_error(r, 404, "NotFound");
	/* errors of public endpoints are readable too */
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	r = json_signup(closed, "{\"email\": \"anna@example.se\", \"consent\": true}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = json_signup(99999, "{\"email\": \"anna@example.se\", \"consent\": true}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* the project is checked before the fields: ids cannot be probed with bad bodies */
	r = json_signup(draft, "{\"email\": \"bad\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(interest_total(draft), 0);
	cr_assert_eq(interest_total(closed), 0);
}

Test(widgets, email_rules)
{
	static const char *const good[] = { "a@b.se", "anna.svensson@example.se", "Anna+projekt@sub.example.co.uk",
					     "o'brien@example.ie", "x@xn--bjrken-jua.se", "1@2.3" };
	static const char *const bad[] = { "", "a", "a@", "@b.se", "a@b", "a@@b.se", "a@b@c.se", "a b@c.se",
					   ".a@b.se", "a.@b.se", "a..b@c.se", "a@-b.se", "a@b-.se", "a@b..se",
					   "a@.b.se", "a@b.se.", "åsa@b.se", "a@björk.se", "a@b_c.se", "\"a\"@b.se",
					   "a@b.se\n", "<a@b.se>" };
	char local[80];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(project_interest_email_ok(str_from_cstr(good[i])), "%s should pass", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!project_interest_email_ok(str_from_cstr(bad[i])), "%s should fail", bad[i]);
	memset(local, 'a', 65);
	strcpy(local + 65, "@b.se");
	cr_assert(!project_interest_email_ok(str_from_cstr(local)), "a local part of 65 characters");
	local[1] = '@';
	local[2] = '\0';
	cr_assert(!project_interest_email_ok(str_from_cstr(local)));
}

/* ---- the landlord's list ---- */

Test(widgets, list_needs_an_employee_with_the_project_right)
{
	int64_t id = published_project("Eken", 0);
	char observer[1024], consumer[1024];
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "observer", "observer", observer);
	fixture_consumer(h, "consumer@example.se", consumer);
	r = list_interest(id, NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = list_interest(id, consumer, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = list_interest(id, observer, NULL);
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = list_interest(id, co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(hresp_header(r, "Access-Control-Allow-Origin"), "the landlord list is not cross-origin");
	hresp_free(r);
}

Test(widgets, list_of_another_company_or_outside_the_office_subtree_is_404)
{
	struct fixture_company other;
	int64_t office_a = fixture_office(h, co.id, co.root_office, "A");
	int64_t office_b = fixture_office(h, co.id, co.root_office, "B");
	int64_t in_a = published_project("In A", office_a);
	char token_b[1024], token_a[1024];
	struct hresp *r;

	fixture_company(h, "Other", &other);
	fixture_employee(h, co.id, office_b, "employee", "emp-b", token_b);
	fixture_employee(h, co.id, office_a, "employee", "emp-a", token_a);
	r = json_signup(in_a, "{\"email\": \"anna@example.se\", \"consent\": true}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);

	r = list_interest(in_a, other.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	cr_assert(!body_has(r, "anna@example.se"));
	hresp_free(r);
	r = list_interest(in_a, token_b, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = list_interest(424242, co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = list_interest(in_a, token_a, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 1);
	hresp_free(r);
}

Test(widgets, list_pages_in_sign_up_order)
{
	int64_t id = published_project("Eken", 0);
	struct hresp *r;
	json_t *results;
	char body[128];

	for (int i = 0; i < 5; i++) {
		snprintf(body, sizeof(body), "{\"email\": \"p%d@example.se\", \"consent\": true}", i);
		r = json_signup(id, body);
		cr_assert_eq(r->status, 201, "%s", r->body);
		hresp_free(r);
	}
	r = list_interest(id, co.admin_token, "?offset=1&amount=2");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 5);
	results = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(results), 2);
	cr_assert_str_eq(jstr(json_array_get(results, 0), "email"), "p1@example.se");
	cr_assert_str_eq(jstr(json_array_get(results, 1), "email"), "p2@example.se");
	hresp_free(r);
	r = list_interest(id, co.admin_token, "?offset=10");
	cr_assert_eq(r->status, 200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 0);
	cr_assert_eq(hresp_int(r, "total"), 5);
	hresp_free(r);

	r = list_interest(id, co.admin_token, "?amount=0");
	expect_invalid(r, "amount");
	hresp_free(r);
	r = list_interest(id, co.admin_token, "?amount=10001");
	expect_invalid(r, "amount");
	hresp_free(r);
	r = list_interest(id, co.admin_token, "?offset=-1&amount=x");
	expect_invalid(r, "offset");
	cr_assert(has_field(r, "amount"));
	hresp_free(r);
}

Test(widgets, list_survives_unpublishing)
{
	int64_t id = published_project("Eken", 0);
	struct hresp *r = json_signup(id, "{\"email\": \"anna@example.se\", \"consent\": true}");

	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	patch_project(co.admin_token, id, "{\"closed\": true}");
	cr_assert_eq(interest_total(id), 1, "the landlord keeps the list of a closed project");
	r = json_signup(id, "{\"email\": \"late@example.se\", \"consent\": true}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(interest_total(id), 1);
}

/* ---- CORS ---- */

static struct hresp *preflight(const char *path, const char *method)
{
	char m[64];
	const char *const headers[] = { "Origin: https://landlord.example", m,
					"Access-Control-Request-Headers: content-type", NULL };
	snprintf(m, sizeof(m), "Access-Control-Request-Method: %s", method);
	return harness_request_ex(h, "OPTIONS", path, NULL, NULL, 0, headers);
}

static void expect_preflight(const char *path, const char *method, const char *methods)
{
	struct hresp *r = preflight(path, method);
	cr_assert_eq(r->status, 204, "%s: %d %s", path, r->status, r->body);
	cr_assert_eq(r->body_len, 0);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Methods"), methods, "%s", path);
	cr_assert(strstr(hresp_header(r, "Access-Control-Allow-Headers"), "Content-Type"));
	cr_assert(strstr(hresp_header(r, "Access-Control-Allow-Headers"), "Authorization"));
	cr_assert_str_eq(hresp_header(r, "Access-Control-Max-Age"), "7200");
	cr_assert_null(hresp_header(r, "Access-Control-Allow-Credentials"));
	hresp_free(r);
}

Test(widgets, preflight_of_public_endpoints_is_204)
{
	expect_preflight("/api/v3/cards/", "POST", "POST, OPTIONS");
	expect_preflight("/api/v3/cards", "POST", "POST, OPTIONS");
	expect_preflight("/api/v3/search", "POST", "POST, OPTIONS");
	expect_preflight("/api/v1/object/17", "GET", "GET, HEAD, OPTIONS");
	expect_preflight("/api/v1/projects/17", "GET", "GET, HEAD, OPTIONS");
	expect_preflight("/api/v1/projects/17/", "GET", "GET, HEAD, OPTIONS");
	expect_preflight("/api/v1/projects/17/media", "GET", "GET, HEAD, OPTIONS");
	expect_preflight("/api/v1/projects/17/interest", "POST", "POST, OPTIONS");
	expect_preflight("/widgets/overview.js", "GET", "GET, HEAD, OPTIONS");
	expect_preflight("/widgets/project", "POST", "GET, HEAD, POST, OPTIONS");
	/* a write of a public path: the answer lists the public methods only, so the browser stops */
	expect_preflight("/api/v1/projects/17", "PATCH", "GET, HEAD, OPTIONS");
	expect_preflight("/api/v1/projects/17/interest", "GET", "POST, OPTIONS");
}

Test(widgets, preflight_of_landlord_endpoints_is_refused)
{
	static const char *const paths[] = { "/api/v4/estate", "/api/v1/projects/", "/api/v1/projects/17/estates",
					     "/api/v1/object_ad/3", "/api/v2/tokens/", "/api/v1/company/",
					     "/api/v1/object/abc", "/nowhere" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct hresp *r = preflight(paths[i], "POST");
		cr_assert(r->status == 405 || r->status == 404, "%s: %d", paths[i], r->status);
		cr_assert_null(hresp_header(r, "Access-Control-Allow-Origin"), "%s", paths[i]);
		cr_assert_null(hresp_header(r, "Access-Control-Allow-Methods"), "%s", paths[i]);
		hresp_free(r);
	}
}

Test(widgets, cors_headers_only_on_public_methods_and_paths)
{
	int64_t id = published_project("Eken", 0);
	char p[128];
	struct hresp *r;

	/* the public read of a project: readable from any origin */
	r = harness_request(h, "GET", pathf(p, "/api/v1/projects/%lld", (long long)id), NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	cr_assert(strstr(hresp_header(r, "Access-Control-Expose-Headers"), "Retry-After"));
	cr_assert_null(hresp_header(r, "Access-Control-Allow-Credentials"));
	hresp_free(r);
	/* its writes are not */
	r = reqf(h, "PATCH", pathf(p, "/api/v1/projects/%lld", (long long)id), co.admin_token, "{\"name\": \"Ek\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(hresp_header(r, "Access-Control-Allow-Origin"));
	hresp_free(r);
	/* nor the landlord's lists and logins */
	r = harness_auth(h, "GET", "/api/v1/projects/", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(hresp_header(r, "Access-Control-Allow-Origin"));
	hresp_free(r);
	r = harness_request(h, "POST", "/api/v2/tokens/", "{\"username\": \"x\", \"password\": \"y\"}");
	cr_assert_null(hresp_header(r, "Access-Control-Allow-Origin"));
	hresp_free(r);
	/* an error of a public endpoint is readable, so a page can show it */
	r = harness_request(h, "GET", "/api/v1/object/987654", NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	r = harness_request(h, "POST", "/api/v3/cards/", "{\"company\": 1}");
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
}

/* The market API is a browser API as a whole (app/cors.h): every /v2/ path, the deployed prefix too. */
Test(widgets, market_api_answers_any_origin)
{
	struct hresp *r;

	expect_preflight("/v2/market/objects", "GET", "GET, HEAD, POST, PUT, PATCH, OPTIONS");
	expect_preflight("/v2/market/applicant/profile", "PATCH", "GET, HEAD, POST, PUT, PATCH, OPTIONS");
	expect_preflight("/Prod/Demo/PmApi/v2/auth", "POST", "GET, HEAD, POST, PUT, PATCH, OPTIONS");
	r = preflight("/v2/market/objects", "GET");
	cr_assert(strstr(hresp_header(r, "Access-Control-Allow-Headers"), "X-Api-Key"));
	hresp_free(r);
	/* answers, errors included, carry the origin header */
	r = harness_request(h, "GET", "/v2/market/objects?limit=1", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	r = harness_request(h, "GET", "/v2/market/applications", NULL);
	cr_assert_eq(r->status, 401, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	cr_assert_null(hresp_header(r, "Access-Control-Allow-Credentials"));
	hresp_free(r);
	r = harness_request(h, "GET", "/assets/app-settings.json", NULL);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	/* the landlord API stays closed */
	r = preflight("/api/v1/object_ad/1/", "GET");
	cr_assert_neq(r->status, 204);
	hresp_free(r);
}
