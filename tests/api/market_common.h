/*
 * market_common.h — fixtures shared by the market dialect's API suites (applicants,
 * objects, applications): Bearer requests, M-28's error shape, registering and signing in
 * an applicant, a landlord's apartments and listings, and direct reads and writes of the
 * test database. Everything is static inline so a suite that leaves a helper unused still
 * builds with -Werror.
 */
#ifndef RENTD_TEST_MARKET_COMMON_H
#define RENTD_TEST_MARKET_COMMON_H

#include "core/market/applicants.h"
#include "jobs/jobs.h"
#include "org_common.h"

/* A request with "Authorization: Bearer <token>" (token NULL: none); body sent as JSON. */
static inline struct hresp *market_bearer(struct harness *h, const char *method, const char *target,
					  const char *token, const char *body)
{
	char auth[1200];
	const char *headers[] = { auth, NULL };
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token ? token : "");
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  token ? headers : NULL);
}

/* M-28: {"code","message"[,"field"]} with this status and code; field when given. */
static inline void expect_market(const struct hresp *r, int status, const char *code, const char *field)
{
	cr_assert_eq(r->status, status, "expected %d %s, got %d: %s", status, code, r->status, r->body);
	cr_assert(json_is_object(r->json), "%s", r->body);
	cr_assert(hresp_str(r, "code"), "no code: %s", r->body);
	cr_assert(hresp_str(r, "message"), "no message: %s", r->body);
	if (code)
		cr_assert_str_eq(hresp_str(r, "code"), code, "%s", r->body);
	if (field) {
		cr_assert(hresp_str(r, "field"), "no field: %s", r->body);
		cr_assert_str_eq(hresp_str(r, "field"), field, "%s", r->body);
	}
	cr_assert_null(json_object_get(r->json, "completed"), "%s", r->body);
}

/* POST /v2/applicants with body; must be 201. */
static inline void market_register(struct harness *h, const char *body)
{
	struct hresp *r = harness_request(h, "POST", "/v2/applicants", body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

/* Signs in (POST /v2/auth) and returns the access token in tok (1024 bytes). */
static inline void market_sign_in(struct harness *h, const char *email, const char *password, char *tok)
{
	char body[512];
	struct hresp *r;
	json_t *completed;

	snprintf(body, sizeof(body),
		 "{\"method\": \"password\", \"identifier\": \"%s\", \"key\": \"%s\","
		 " \"codeChallenge\": \"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\", \"codeChallengeMethod\": \"S256\","
		 " \"returnAddress\": \"https://minasidor.example.se/signin\", \"nonce\": \"n\", \"state\": \"s\","
		 " \"requestRefreshToken\": true}",
		 email, password);
	r = harness_request(h, "POST", "/v2/auth", body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	completed = json_object_get(r->json, "completed");
	cr_assert(json_is_object(completed), "%s", r->body);
	cr_assert(json_is_string(json_object_get(completed, "accessToken")), "%s", r->body);
	snprintf(tok, 1024, "%s", json_string_value(json_object_get(completed, "accessToken")));
	hresp_free(r);
}

/* Joins a queue ("residential", …) with the applicant's token; must be 200. */
static inline void market_join(struct harness *h, const char *tok, const char *queue)
{
	char p[256];
	struct hresp *r = market_bearer(h, "POST", pathf(p, "/v2/market/applicant/queues/%s", queue), tok,
					"{\"command\": \"join\"}");
	cr_assert_eq(r->status, 200, "join %s: %s", queue, r->body);
	hresp_free(r);
}

/* ---- a landlord's objects (through the landlord API) ---- */

/* POST with the landlord token; must answer status; the "id" member. */
static inline int64_t market_post_id(struct harness *h, const char *token, const char *path, int status,
				     const char *body)
{
	struct hresp *r = harness_auth(h, "POST", path, token, body);
	int64_t id;
	cr_assert_eq(r->status, status, "%s %s: %s", path, body, r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

/* An apartment of estate on Kungsgatan <nid> (floor 3, a balcony, a dishwasher, an elevator). */
static inline int64_t market_apartment(struct harness *h, const char *token, int64_t estate, const char *nid,
				       double rooms, double area, int rent, double lat, double lon, const char *zip)
{
	char body[1024];
	snprintf(body, sizeof(body),
		 "{\"estate\": %lld, \"street_name\": \"Kungsgatan\", \"street_number\": \"%s\", \"zip_code\": \"%s\","
		 " \"national_id\": \"%s\", \"latitude\": %.4f, \"longitude\": %.4f, \"area\": %g, \"floor\": 3,"
		 " \"rent\": %d, \"rooms\": %g, \"balcony\": \"SOUTH\", \"dishwasher\": \"PRESENT\","
		 " \"elevator\": true, \"description\": \"Ljus lägenhet %s\"}",
		 (long long)estate, nid, zip, nid, lat, lon, area, rent, rooms, nid);
	return market_post_id(h, token, "/api/v4/apartment", 201, body);
}

/* A listing of apartment with requirement profile requirement; extra: more members (", \"k\": v"). */
static inline int64_t market_listing(struct harness *h, const char *token, int64_t apartment, int64_t requirement,
				     const char *extra)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"apartment\": %lld, \"requirement\": %lld%s}", (long long)apartment,
		 (long long)requirement, extra);
	return market_post_id(h, token, "/api/v1/object_ad/", 201, body);
}

/* ---- the letting process (issue 15) ---- */

/* A valid Swedish personal number born on birth ("YYYYMMDD") with serial n (0..999): the Luhn digit. */
static inline void market_personal_number(const char *birth, int n, char out[16])
{
	char d[16];
	int sum = 0;
	snprintf(d, sizeof(d), "%.6s%03d", birth + 2, (n % 1000 + 1000) % 1000);
	for (int i = 0; i < 9; i++) {
		int v = (d[i] - '0') * (i % 2 ? 1 : 2);
		sum += v > 9 ? v - 9 : v;
	}
	snprintf(out, 16, "%.8s-%.3s%d", birth, d + 6, (10 - sum % 10) % 10);
}

/* Runs every due job as a worker would; how many ran. */
static inline int market_run_jobs(struct harness *h)
{
	int n = 0, rc;
	while ((rc = jobs_run_one(app_core(h->app))) == 1)
		n++;
	cr_assert_eq(rc, 0);
	return n;
}

/* A new applicant token of user on the (moved) clock into tok (1024 bytes): a token lives a day. */
static inline void market_reissue(struct harness *h, int64_t user, char *tok)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct str t;
	error_init(&err, a);
	cr_assert_eq(applicant_issue_token(app_core(h->app), a, user, &t, &err), 0);
	snprintf(tok, 1024, "%.*s", (int)t.len, t.ptr);
	arena_destroy(a);
}

#endif
