/*
 * accounts_common.h — what the accounts-dialect suites (test_accounts.c,
 * test_accounts_contacts.c) share: one harness per test with a landlord-side company,
 * another company, an agent, a consumer and an observer; request helpers for bare and
 * Bearer tokens; problem-body and event assertions. Include it once, then declare the
 * suite with TestSuite(<name>, .init = setup, .fini = teardown).
 */
#ifndef RENTD_TEST_ACCOUNTS_COMMON_H
#define RENTD_TEST_ACCOUNTS_COMMON_H

#include "core/accounts/accounts.h"
#include "core/identity/org.h"
#include "org_common.h"
#include "store/db.h"
#include "store/identity/store_org.h"

#define PROBLEM_TYPE "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html"

static struct harness *h;
static struct fixture_company co;   /* a landlord-side company, its admin has the organization right */
static struct fixture_company other; /* another company */
static char agent_token[1024], consumer_token[1024], observer_token[1024];
static char agent_uuid[37], ada_uuid[37];

/* A user without a usable password (no hashing: fast) and its token. */
static void quick_agent(const char *email, const char *name, char uuid[37], char *token)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct str got;
	int64_t id;

	error_init(&err, a);
	cr_assert_eq(org_agent_create(app_core(h->app), a, str_from_cstr(email), STR_LIT(""), str_from_cstr(name), &id,
				      &got, &err),
		     0, "%s", err.message ? err.message : "");
	snprintf(uuid, 37, "%.*s", STR_FMT(got));
	if (token)
		fixture_token(h, id, token);
	arena_destroy(a);
}

static void quick_employee(int64_t company_id, const char *profile, const char *username, char *token)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct employee_new e = { .company_id = company_id, .right_profile = str_from_cstr(profile),
				  .username = str_from_cstr(username), .password_hash = STR_LIT("") };
	int64_t id;

	error_init(&err, a);
	cr_assert_eq(org_employee_create(app_core(h->app), a, &e, &id, &err), 0, "%s", err.message ? err.message : "");
	fixture_token(h, id, token);
	arena_destroy(a);
}

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	fixture_company(h, "Other AB", &other);
	quick_agent("ops@rentd.test", "Olga Ops", agent_uuid, agent_token);
	quick_agent("ada@rentd.test", "Ada Lovelace", ada_uuid, NULL);
	quick_employee(co.id, "observer", "observer@acme.test", observer_token);
	fixture_consumer(h, "tenant@rentd.test", consumer_token);
}

static void teardown(void)
{
	harness_destroy(h);
}


/* ---- requests ---- */

enum auth_style { BARE, BEARER, NONE };

/* A request with "Authorization: <token>" (bare, the seed's form), Bearer, or none; extra header may be NULL. */
static struct hresp *areq_ex(const char *method, const char *path, enum auth_style style, const char *token,
			     const char *body, const char *extra)
{
	char hdr[1100];
	const char *headers[3] = { NULL, NULL, NULL };
	size_t n = 0;

	if (style != NONE) {
		snprintf(hdr, sizeof(hdr), "Authorization: %s%s", style == BEARER ? "Bearer " : "", token);
		headers[n++] = hdr;
	}
	if (extra)
		headers[n++] = extra;
	return harness_request_ex(h, method, path, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  headers);
}

static struct hresp *areq(const char *method, const char *path, const char *token, const char *body)
{
	return areq_ex(method, path, token ? BARE : NONE, token ? token : "", body, NULL);
}

__attribute__((format(printf, 4, 5))) static struct hresp *areqf(const char *method, const char *path,
								  const char *token, const char *fmt, ...)
{
	char body[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	return areq(method, path, token, body);
}

/* A problem body of spotahome.md §1.3 with this HTTP status and body status. */
static void expect_problem_as(const struct hresp *r, int status, int body_status, const char *title)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	cr_assert(json_is_object(r->json), "not JSON: %s", r->body);
	cr_assert_eq(hresp_int(r, "status"), body_status, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "title"), title, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "type"), PROBLEM_TYPE, "%s", r->body);
	cr_assert(hresp_str(r, "detail") != NULL, "%s", r->body);
}

static void expect_problem(const struct hresp *r, int status)
{
	static const struct {
		int status;
		const char *title, *detail;
	} docs[] = {
		{ 400, "Bad Request", "The request could not be understood by the server due to malformed syntax" },
		{ 401, "Unauthorized", "Unauthorized user" },
		{ 403, "Forbidden", "Forbidden access" },
		{ 404, "Not Found", "The resource was not found" },
		{ 409, "Conflict",
		  "The request could not be completed due to a conflict with the current state of the resource" },
		{ 422, "Unprocessable Entity",
		  "The request was well formed but was unable to be followed due to semantic errors" },
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (docs[i].status == status) {
			expect_problem_as(r, status, status, docs[i].title);
			cr_assert_str_eq(hresp_str(r, "detail"), docs[i].detail, "%s", r->body);
			return;
		}
	cr_assert_fail("no documented problem %d", status);
}

/* validationMessages[field][validator] exists. */
static bool names(const struct hresp *r, const char *field, const char *validator)
{
	json_t *vm = json_object_get(r->json, "validationMessages");
	json_t *f = json_object_get(vm, field);
	return json_is_string(json_object_get(f, validator));
}

static void expect_field(const struct hresp *r, int status, const char *field, const char *validator)
{
	expect_problem(r, status);
	cr_assert(names(r, field, validator), "validationMessages lack %s.%s: %s", field, validator, r->body);
}

static void expect_status(struct hresp *r, int status)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	hresp_free(r);
}

/* 201/204 as the seed shows them: no body, Content-Type application/json (§1.1). */
static void expect_empty(struct hresp *r, int status)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	cr_assert_eq(r->body_len, 0);
	hresp_free(r);
}

__attribute__((format(printf, 1, 2))) static const char *path(const char *fmt, ...)
{
	static char buf[8][512];
	static int i;
	va_list ap;

	i = (i + 1) % 8;
	va_start(ap, fmt);
	vsnprintf(buf[i], sizeof(buf[i]), fmt, ap);
	va_end(ap);
	return buf[i];
}

/* ---- accounts and their events ---- */

static const char create_body[] =
	"{\"accountName\":\"RealEstate SL\",\"accountEmail\":\"info@john.com\",\"accountType\":\"private\","
	"\"phone\":\"+34656889887\",\"contactFirstName\":\"John\",\"contactLastName\":\"Doe\",\"cityId\":\"madrid\","
	"\"locale\":\"es\",\"isNotifiable\":false}";

/* An account made through #2 by the agent; its id into id (37 bytes). */
static void create(const char *body, char *id)
{
	struct hresp *r = areq("POST", "/api/landlords/accounts", agent_token, body);
	const char *loc = hresp_header(r, "Location");

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_eq(r->body_len, 0);
	cr_assert_str_eq(r->content_type, "application/json");
	cr_assert(loc && strncmp(loc, "/api/landlords/accounts/", 24) == 0, "%s", loc ? loc : "(none)");
	snprintf(id, 37, "%s", loc + 24);
	cr_assert_eq(strlen(id), 36);
	hresp_free(r);
}

static json_t *get_account(const char *token, const char *id)
{
	struct hresp *r = areq("GET", path("/api/landlords/accounts/%s", id), token, NULL);
	json_t *j;

	cr_assert_eq(r->status, 200, "%s", r->body);
	j = json_incref(r->json);
	hresp_free(r);
	return j;
}

static int64_t company_of(const char *id)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct company c;

	error_init(&err, a);
	cr_assert_eq(store_company_get_by_uuid(h->store, a, str_from_cstr(id), &c, &err), 0);
	arena_destroy(a);
	return c.id;
}

/* The company's event types, oldest first, joined by ' ' (and the last event's row in *last). */
static char *events_of(int64_t company_id)
{
	static char out[8192];
	struct arena *a = arena_create(1 << 16);
	struct error err;
	struct event_row *rows;
	size_t n;
	int64_t total;

	error_init(&err, a);
	cr_assert_eq(events_page(app_core(h->app), a, company_id, 0, 200, &rows, &n, &total, &err), 0);
	out[0] = '\0';
	for (size_t i = n; i-- > 0;)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s", out[0] ? " " : "",
			 STR_FMT(rows[i].type));
	arena_destroy(a);
	return out;
}

/* The newest event of the company of this type: payload, before, after parsed (caller decrefs). */
static json_t *last_event(int64_t company_id, const char *type, json_t **before, json_t **after)
{
	struct arena *a = arena_create(1 << 16);
	struct error err;
	struct event_row *rows;
	size_t n;
	int64_t total;
	json_t *payload = NULL;

	error_init(&err, a);
	cr_assert_eq(events_page(app_core(h->app), a, company_id, 0, 200, &rows, &n, &total, &err), 0);
	for (size_t i = 0; i < n && !payload; i++) {
		if (!str_eq_cstr(rows[i].type, type))
			continue;
		payload = json_loadb(rows[i].payload.ptr, rows[i].payload.len, 0, NULL);
		if (before)
			*before = rows[i].before.ptr ? json_loadb(rows[i].before.ptr, rows[i].before.len, 0, NULL)
						     : NULL;
		if (after)
			*after = rows[i].after.ptr ? json_loadb(rows[i].after.ptr, rows[i].after.len, 0, NULL) : NULL;
	}
	arena_destroy(a);
	cr_assert(payload, "no %s event", type);
	return payload;
}

static int count_events(int64_t company_id)
{
	struct arena *a = arena_create(1 << 16);
	struct error err;
	struct event_row *rows;
	size_t n;
	int64_t total;

	error_init(&err, a);
	cr_assert_eq(events_page(app_core(h->app), a, company_id, 0, 1, &rows, &n, &total, &err), 0);
	arena_destroy(a);
	return (int)total;
}

static bool has_event(int64_t company_id, const char *type)
{
	char needle[128];
	const char *all = events_of(company_id);
	size_t len = strlen(type);

	snprintf(needle, sizeof(needle), "%s", type);
	for (const char *p = strstr(all, needle); p; p = strstr(p + 1, needle))
		if ((p == all || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return true;
	return false;
}

#endif
