/*
 * The market dialect's applications (momentum.md A.1–A.9; decisions.md M-02, M-04, M-08,
 * M-09, M-11, M-12, M-13, M-17, M-19, M-20, M-22, M-23, M-27, M-28): may I apply (the
 * checklist for an anonymous caller, a signed-in applicant outside the queue, an eligible
 * one, a too young one, a blocked one; a reserved and a closed window; the screening; the
 * caller's applications with F1 dates), apply and its aliases with every refusal and bad
 * input (the points held and the outbox event stored; two applies at once), the caller's
 * list and one application (F2 dates, live places, the object's members, filters, the
 * block), the remove command with its etag, and the accounts changelog left untouched.
 */
#include <pthread.h>
#include <regex.h>
#include <time.h>

#include "core/identity/password.h"
#include "core/market/applicants.h"
#include "market_common.h"
#include "store/identity/store_org.h"
#include "store/market/store_applications.h"

static struct harness *h;
static struct fixture_company co;
static int64_t estate, req_std, req_income, req_senior80, req_senior;
static int64_t obj_std, obj_b, obj_income, obj_senior80, obj_senior, obj_reserved, obj_closed;

/* 2028-01-01 00:00 CET: applications are open until 2027-12-31 23:59. */
#define OPEN_UNTIL 1830294000LL
/* 2026-07-01 00:00 CEST: closed since 2026-06-30 23:59 */
#define CLOSED_AT 1782856800LL

static const char *const anna =
	"{\"email\": \"anna@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Anna\","
	" \"lastName\": \"Svensson\", \"personalNumber\": \"19900101-0017\", \"phone\": \"070-1234567\","
	" \"income\": {\"gross\": 32000, \"source\": \"employment_permanent\"}, \"occupation\": \"employed\","
	" \"household\": {\"adults\": 1, \"children\": 0}, \"accommodation\": {\"type\": \"sublet\"},"
	" \"pets\": false, \"smoking\": false}";

static int64_t listing(const char *nid, int rent, int64_t requirement)
{
	int64_t apt = market_apartment(h, co.admin_token, estate, nid, 3, 80, rent, 59.3360, 18.0640, "11143");
	int64_t id = market_listing(h, co.admin_token, apt, requirement, ", \"access_date\": \"2027-03-01\"");
	harness_sql(h, "UPDATE object_ads SET start_processing_at = %lld, candidate_sorting_mode = 'queue_points'"
		       " WHERE id = %lld", OPEN_UNTIL, (long long)id);
	return id;
}

/*
 * Acme's listings on Kungsgatan, 3 rooms 80 m², open until 2027-12-31 23:59: std (9000 kr,
 * no rules), b (8000 kr), income (9000 kr, income at least 4 × rent), senior80 (a senior
 * profile from 80), senior (from 65), reserved, and closed (its window ended 2026-06-30).
 */
static void setup(void)
{
	char body[256];

	h = harness_create();
	fixture_company(h, "Acme", &co);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200, body);
	req_std = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id",
				 (long long)co.id);
	req_income = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, rent_factor)"
				       " VALUES (%lld, 'Inkomst', 4) RETURNING id", (long long)co.id);
	req_senior80 = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, senior, senior_age)"
					 " VALUES (%lld, 'Senior 80', 1, 80) RETURNING id", (long long)co.id);
	req_senior = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, senior, senior_age)"
				       " VALUES (%lld, 'Senior', 1, 65) RETURNING id", (long long)co.id);
	obj_std = listing("1201", 9000, req_std);
	obj_b = listing("1202", 8000, req_std);
	obj_income = listing("1203", 9000, req_income);
	obj_senior80 = listing("1204", 7000, req_senior80);
	obj_senior = listing("1205", 7000, req_senior);
	obj_reserved = listing("1206", 7000, req_std);
	harness_sql(h, "UPDATE object_ads SET status = 'reserved' WHERE id = %lld", (long long)obj_reserved);
	obj_closed = listing("1207", 7000, req_std);
	harness_sql(h, "UPDATE object_ads SET start_processing_at = %lld WHERE id = %lld", CLOSED_AT,
		       (long long)obj_closed);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(market_applications, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static struct hresp *bearer(const char *method, const char *target, const char *token, const char *body)
{
	return market_bearer(h, method, target, token, body);
}

static void anna_in(char *tok)
{
	market_register(h, anna);
	market_sign_in(h, "anna@example.se", "hemligt123", tok);
}

/* An applicant born on birth (no income stated). */
static void person_in(const char *email, const char *birth, char *tok)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"email\": \"%s\", \"password\": \"hemligt123\", \"firstName\": \"P\", \"lastName\": \"Q\","
		 " \"birthDate\": \"%s\"}",
		 email, birth);
	market_register(h, body);
	market_sign_in(h, email, "hemligt123", tok);
}

static int64_t user_id(const char *tok)
{
	struct hresp *r = bearer("GET", "/v2/market/applicant/profile", tok, NULL);
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(hresp_str(r, "id"));
	hresp_free(r);
	return id;
}

/* Moves the applicant's membership of queue days back: points > 0. */
static void joined_days_ago(const char *tok, const char *queue, int days)
{
	harness_sql(h, "UPDATE queue_memberships SET joined_at = joined_at - %d WHERE user_id = %lld"
		       " AND queue_type = '%s' AND left_at IS NULL",
		       days * 86400, (long long)user_id(tok), queue);
}

static bool matches(const char *s, const char *re)
{
	regex_t rx;
	bool ok;
	cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	ok = s && regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

#define RE_F1 "^/Date\\([0-9]{13}\\+0[12]00\\)/$"
#define RE_F2 "^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,2}[1-9])?\\+0[12]:00$"

static struct hresp *status_of(const char *tok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static struct hresp *status_of(const char *tok, const char *fmt, ...)
{
	char target[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(target, sizeof(target), fmt, ap);
	va_end(ap);
	return bearer("GET", target, tok, NULL);
}

static struct hresp *status(const char *tok, int64_t obj)
{
	struct hresp *r = status_of(tok, "/v2/market/objects/%lld/status", (long long)obj);
	cr_assert_eq(r->status, 200, "%s", r->body);
	return r;
}

static json_t *checklist(const struct hresp *r)
{
	json_t *cmds = json_object_get(r->json, "commands"), *cmd = json_array_get(cmds, 0);
	cr_assert_eq(json_array_size(cmds), 1, "%s", r->body);
	cr_assert_str_eq(jstr(cmd, "command"), "apply");
	cr_assert_str_eq(jstr(cmd, "displayName"), "Intresseanmäl");
	return json_object_get(cmd, "checklist");
}

/* The checklist item of a type: passed and message (NULL: no message). */
static void expect_item(const struct hresp *r, const char *type, bool passed, const char *message)
{
	static const char *const order[] = { "applied", "open", "applicant", "login", "queue", "age" };
	json_t *list = checklist(r), *item = NULL;
	cr_assert_eq(json_array_size(list), 6, "%s", r->body);
	for (size_t i = 0; i < 6; i++) {
		json_t *k = json_array_get(list, i);
		cr_assert_str_eq(jstr(k, "type"), order[i], "the seed's order: %s", r->body);
		if (!strcmp(order[i], type))
			item = k;
	}
	cr_assert(json_is_boolean(json_object_get(item, "passed")), "%s", r->body);
	cr_assert_eq(json_is_true(json_object_get(item, "passed")), passed, "%s: %s", type, r->body);
	if (message)
		cr_assert_str_eq(jstr(item, "message"), message, "%s: %s", type, r->body);
	else
		cr_assert_null(json_object_get(item, "message"), "%s: %s", type, r->body);
}

/* POST <prefix><obj>/applications: prefix "/v2/market/", "/v2/market/object/" or "/v2/market/objects/". */
static struct hresp *apply_at(const char *tok, const char *prefix, int64_t obj, const char *body)
{
	char target[256];
	snprintf(target, sizeof(target), "%s%lld/applications", prefix, (long long)obj);
	return bearer("POST", target, tok, body);
}

#define APPLY "{\"command\": {\"type\": \"apply\"}}"

/* Applies through the canonical path; the new application's id. */
static int64_t apply_ok(const char *tok, int64_t obj)
{
	struct hresp *r = apply_at(tok, "/v2/market/", obj, APPLY);
	json_t *ids;
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_object_size(r->json), 1, "%s", r->body);
	ids = json_object_get(r->json, "id");
	cr_assert_eq(json_array_size(ids), 1, "%s", r->body);
	cr_assert(json_is_string(json_array_get(ids, 0)), "ids are strings: %s", r->body);
	id = atoll(json_string_value(json_array_get(ids, 0)));
	cr_assert_gt(id, 0);
	hresp_free(r);
	return id;
}

/* A refused apply: status, code, and exactly the failed items named (in order, "a,b"). */
static void expect_refused(const struct hresp *r, int status, const char *code, const char *failed)
{
	json_t *list, *k;
	char got[128] = "";
	size_t i, len = 0;

	expect_market(r, status, code, NULL);
	list = json_object_get(r->json, "checklist");
	cr_assert(json_is_array(list), "%s", r->body);
	json_array_foreach (list, i, k) {
		cr_assert(json_is_false(json_object_get(k, "passed")), "%s", r->body);
		cr_assert(jstr(k, "message"), "a failed item says why: %s", r->body);
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", i ? "," : "", jstr(k, "type"));
	}
	cr_assert_str_eq(got, failed, "%s", r->body);
}

static struct hresp *my_applications(const char *tok, const char *query)
{
	char target[256];
	struct hresp *r;
	snprintf(target, sizeof(target), "/v2/market/applications%s%s", query ? "?" : "", query ? query : "");
	r = bearer("GET", target, tok, NULL);
	cr_assert_eq(r->status, 200, "%s: %s", target, r->body);
	cr_assert_eq(jint(r->json, "itemsCount"), (long long)json_array_size(json_object_get(r->json, "items")),
		     "%s", r->body);
	return r;
}

/* The item of the list with this id, or NULL. */
static json_t *item_of(const struct hresp *r, int64_t id)
{
	json_t *items = json_object_get(r->json, "items"), *v;
	size_t i;
	json_array_foreach (items, i, v)
		if (atoll(jstr(v, "id")) == id)
			return v;
	return NULL;
}

static const char *place_of(const char *tok, int64_t id)
{
	static char place[16];
	struct hresp *r = my_applications(tok, NULL);
	json_t *it = item_of(r, id);
	cr_assert(it, "%s", r->body);
	snprintf(place, sizeof(place), "%s", jstr(it, "placeSorted") ? jstr(it, "placeSorted") : "(none)");
	hresp_free(r);
	return place;
}

/* The application's current etag (GET #4). */
static char *etag_of(const char *tok, int64_t id)
{
	char target[128];
	struct hresp *r;
	char *etag;
	snprintf(target, sizeof(target), "/v2/market/applications/%lld", (long long)id);
	r = bearer("GET", target, tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	etag = strdup(jstr(json_object_get(r->json, "application"), "etag"));
	hresp_free(r);
	return etag;
}

static struct hresp *command(const char *tok, int64_t obj, int64_t id, const char *body)
{
	char target[256];
	snprintf(target, sizeof(target), "/v2/market/%lld/applications/%lld", (long long)obj, (long long)id);
	return bearer("POST", target, tok, body);
}

static void remove_ok(const char *tok, int64_t obj, int64_t id)
{
	char *etag = etag_of(tok, id), body[256];
	struct hresp *r;
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"remove\"}}", etag);
	r = command(tok, obj, id, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	free(etag);
}

static void stored(int64_t id, struct application *out, struct arena *a)
{
	struct error err;
	error_init(&err, a);
	cr_assert_eq(store_application_get(h->store, a, id, out, &err), 0, "%s", err.message);
}

/* ---- GET /v2/market/objects/{id}/status ---- */

Test(market_applications, status_anonymous)
{
	struct hresp *r = status(NULL, obj_std);
	const char *log_in = "Logga in för att se om du uppfyller kravet";

	cr_assert(json_is_false(json_object_get(r->json, "applied")), "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "allowContact")), "%s", r->body);
	expect_item(r, "applied", true, NULL);
	expect_item(r, "open", true, "Intresseanmälan möjlig t o m 2027-12-31 23:59");
	expect_item(r, "applicant", false, log_in);
	expect_item(r, "login", false, "Logga in för att göra en intresseanmälan");
	expect_item(r, "queue", false, log_in);
	expect_item(r, "age", false, log_in);
	cr_assert(json_is_array(json_object_get(r->json, "applications")), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "applications")), 0);
	cr_assert_null(json_object_get(r->json, "screening"), "nobody to screen: %s", r->body);
	hresp_free(r);
	/* and on a listing with rules */
	r = status(NULL, obj_income);
	cr_assert_null(json_object_get(r->json, "screening"), "%s", r->body);
	hresp_free(r);
}

Test(market_applications, status_signed_in_not_in_the_queue)
{
	char tok[1024];
	struct hresp *r;

	anna_in(tok);
	r = status(tok, obj_std);
	cr_assert(json_is_false(json_object_get(r->json, "applied")), "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "allowContact")), "a signed-in applicant: %s", r->body);
	expect_item(r, "applied", true, NULL);
	expect_item(r, "applicant", true, NULL);
	expect_item(r, "login", true, NULL);
	expect_item(r, "queue", false, "Du står inte i kön Bostad");
	expect_item(r, "age", true, NULL);
	hresp_free(r);
}

Test(market_applications, status_eligible)
{
	char tok[1024];
	struct hresp *r;
	json_t *k;
	size_t i;

	anna_in(tok);
	market_join(h, tok, "residential");
	r = status(tok, obj_std);
	json_array_foreach (checklist(r), i, k)
		cr_assert(json_is_true(json_object_get(k, "passed")), "%s", r->body);
	expect_item(r, "open", true, "Intresseanmälan möjlig t o m 2027-12-31 23:59");
	expect_item(r, "queue", true, NULL);
	hresp_free(r);
	/* the last minute is Stockholm's: in summer (CEST) too */
	harness_sql(h, "UPDATE object_ads SET start_processing_at = 1814392800 WHERE id = %lld", (long long)obj_std);
	r = status(tok, obj_std);
	expect_item(r, "open", true, "Intresseanmälan möjlig t o m 2027-06-30 23:59");
	hresp_free(r);
}

Test(market_applications, status_age_failing)
{
	char bo[1024], anna_tok[1024];
	struct hresp *r;

	person_in("bo@example.se", "1950-06-30", bo);
	market_join(h, bo, "senior");
	r = status(bo, obj_senior80);
	expect_item(r, "queue", true, NULL);
	expect_item(r, "age", false, "Du behöver ha fyllt 80 år");
	hresp_free(r);
	r = apply_at(bo, "/v2/market/", obj_senior80, APPLY);
	expect_refused(r, 403, "NotEligible", "age");
	hresp_free(r);
	/* the same senior queue from 65: Bo (76) may */
	r = status(bo, obj_senior);
	expect_item(r, "age", true, NULL);
	hresp_free(r);
	/* Anna (36) neither in the senior queue nor old enough */
	anna_in(anna_tok);
	r = status(anna_tok, obj_senior);
	expect_item(r, "queue", false, "Du står inte i kön Senior");
	expect_item(r, "age", false, "Du behöver ha fyllt 65 år");
	hresp_free(r);
}

Test(market_applications, status_blocked_in_the_queue)
{
	char tok[1024];
	struct arena *a = arena_create(4096);
	struct error err;
	struct hresp *r;

	anna_in(tok);
	market_join(h, tok, "residential");
	error_init(&err, a);
	/* 2027-05-22 23:59 Stockholm (CEST) */
	cr_assert_eq(applicant_block(app_core(h->app), user_id(tok), "residential", STR_LIT("Ej godkänd"),
				     STR_LIT("Du uppfyller inte kraven i vår uthyrningspolicy."), 1811023140, &err), 0);
	arena_destroy(a);
	r = status(tok, obj_std);
	expect_item(r, "queue", false, "Ej godkänd t o m 2027-05-22 23:59");
	hresp_free(r);
	r = apply_at(tok, "/v2/market/", obj_std, APPLY);
	expect_refused(r, 403, "NotEligible", "queue");
	hresp_free(r);
}

Test(market_applications, status_reserved_and_closed_windows)
{
	char tok[1024];
	struct hresp *r;

	anna_in(tok);
	market_join(h, tok, "residential");
	r = status(tok, obj_reserved);
	expect_item(r, "open", false, "Annonsen tar inte längre emot intresseanmälningar");
	expect_item(r, "queue", true, NULL);
	hresp_free(r);
	r = status(tok, obj_closed);
	expect_item(r, "open", false, "Intresseanmälan var möjlig t o m 2026-06-30 23:59");
	hresp_free(r);
	r = apply_at(tok, "/v2/market/", obj_reserved, APPLY);
	expect_refused(r, 409, "ApplicationClosed", "open");
	hresp_free(r);
	r = apply_at(tok, "/v2/market/", obj_closed, APPLY);
	expect_refused(r, 409, "ApplicationClosed", "open");
	hresp_free(r);
}

Test(market_applications, status_screening_needed_and_held)
{
	char tok[1024];
	struct hresp *r;
	json_t *s, *k, *income = NULL;
	size_t i;

	anna_in(tok);
	market_join(h, tok, "residential");
	r = status(tok, obj_income);
	s = json_object_get(r->json, "screening");
	cr_assert(json_is_object(s), "%s", r->body);
	cr_assert(json_is_false(json_object_get(s, "approved")), "32 000 kr is less than 4 × 9 000 kr: %s", r->body);
	json_array_foreach (json_object_get(s, "checks"), i, k)
		if (!strcmp(jstr(k, "type"), "income"))
			income = k;
	cr_assert(income, "%s", r->body);
	cr_assert(json_is_false(json_object_get(income, "passed")), "%s", r->body);
	cr_assert_eq(jint(income, "needed"), 36000, "%s", r->body);
	cr_assert_eq(jint(income, "held"), 32000, "%s", r->body);
	cr_assert_str_eq(jstr(income, "unit"), "kr/mån", "%s", r->body);
	cr_assert(jstr(income, "message"), "%s", r->body);
	/* failing a requirement does not stop applying */
	expect_item(r, "applicant", true, NULL);
	hresp_free(r);
	apply_ok(tok, obj_income);
}

Test(market_applications, status_lists_my_applications)
{
	char tok[1024], bo[1024], id_text[32];
	struct hresp *r;
	json_t *apps, *app, *cmds;
	int64_t id;

	anna_in(tok);
	market_join(h, tok, "residential");
	id = apply_ok(tok, obj_std);
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	r = status(tok, obj_std);
	cr_assert(json_is_true(json_object_get(r->json, "applied")), "%s", r->body);
	expect_item(r, "applied", false, "Intresseanmälan redan gjord");
	apps = json_object_get(r->json, "applications");
	cr_assert_eq(json_array_size(apps), 1, "%s", r->body);
	app = json_array_get(apps, 0);
	cr_assert_str_eq(jstr(app, "id"), id_text);
	cr_assert(matches(jstr(app, "created"), RE_F1), "F1 with the Stockholm offset (M-08): %s", r->body);
	cr_assert(matches(jstr(app, "etag"), "^[0-9]+$"), "%s", r->body);
	cr_assert(json_is_false(json_object_get(app, "removed")), "%s", r->body);
	cr_assert(json_is_false(json_object_get(app, "active")), "%s", r->body);
	cr_assert_str_eq(jstr(app, "statusDisplayName"), "Intresseanmäld");
	cmds = json_object_get(app, "commands");
	cr_assert_eq(json_array_size(cmds), 1, "%s", r->body);
	cr_assert_str_eq(jstr(json_array_get(cmds, 0), "command"), "remove");
	cr_assert_str_eq(jstr(json_array_get(cmds, 0), "displayName"), "Ta bort");
	/* absent members are omitted (M-20); the status has no marketObject or place */
	cr_assert_null(json_object_get(app, "closed"), "%s", r->body);
	cr_assert_null(json_object_get(app, "presentation"), "%s", r->body);
	cr_assert_null(json_object_get(app, "history"), "%s", r->body);
	cr_assert_null(json_object_get(app, "marketObject"), "%s", r->body);
	cr_assert_null(json_object_get(app, "placeSorted"), "%s", r->body);
	hresp_free(r);

	/* another applicant sees none of them */
	person_in("bo@example.se", "1950-06-30", bo);
	r = status(bo, obj_std);
	cr_assert_eq(json_array_size(json_object_get(r->json, "applications")), 0, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "applied")), "%s", r->body);
	hresp_free(r);

	/* removed: hidden unless asked for, by either name (M-22) */
	remove_ok(tok, obj_std, id);
	r = status(tok, obj_std);
	cr_assert(json_is_false(json_object_get(r->json, "applied")), "%s", r->body);
	expect_item(r, "applied", true, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "applications")), 0, "%s", r->body);
	hresp_free(r);
	for (int i = 0; i < 2; i++) {
		r = status_of(tok, "/v2/market/objects/%lld/status?%s=true", (long long)obj_std,
			      i ? "removed" : "removedApplications");
		cr_assert_eq(r->status, 200, "%s", r->body);
		apps = json_object_get(r->json, "applications");
		cr_assert_eq(json_array_size(apps), 1, "%s", r->body);
		app = json_array_get(apps, 0);
		cr_assert(json_is_true(json_object_get(app, "removed")), "%s", r->body);
		cr_assert_str_eq(jstr(app, "statusDisplayName"), "Borttagen");
		cr_assert(matches(jstr(app, "closed"), RE_F1), "%s", r->body);
		cr_assert(matches(jstr(json_array_get(json_object_get(json_object_get(app, "history"), "steps"), 0),
				       "occurred"),
				  RE_F1),
			  "%s", r->body);
		hresp_free(r);
	}
	r = status_of(tok, "/v2/market/objects/%lld/status?removedApplications=maybe", (long long)obj_std);
	expect_market(r, 400, "BadRequest", "removedApplications");
	hresp_free(r);
}

Test(market_applications, status_by_local_id_guid_and_access_key)
{
	char tok[1024], local[32];
	char *guid = harness_sql_text(h, "SELECT uuid FROM object_ads WHERE id = %lld", (long long)obj_std);
	char *key = harness_sql_text(h, "SELECT access_key FROM object_ads WHERE id = %lld", (long long)obj_std);
	const char *forms[3] = { local, guid, key };
	struct hresp *r;

	snprintf(local, sizeof(local), "%lld", (long long)obj_std);
	anna_in(tok);
	market_join(h, tok, "residential");
	apply_ok(tok, obj_std);
	for (int i = 0; i < 3; i++) {
		r = status_of(tok, "/v2/market/objects/%s/status", forms[i]);
		cr_assert_eq(r->status, 200, "%s: %s", forms[i], r->body);
		cr_assert(json_is_true(json_object_get(r->json, "applied")), "%s: %s", forms[i], r->body);
		cr_assert_eq(json_array_size(json_object_get(r->json, "applications")), 1, "%s", r->body);
		hresp_free(r);
	}
	/* and applying by guid or access key names the same object: already applied */
	r = bearer("POST", pathf((char[512]){ 0 }, "/v2/market/%s/applications", guid), tok, APPLY);
	expect_refused(r, 409, "AlreadyApplied", "applied");
	hresp_free(r);
	r = bearer("POST", pathf((char[512]){ 0 }, "/v2/market/%s/applications", key), tok, APPLY);
	expect_refused(r, 409, "AlreadyApplied", "applied");
	hresp_free(r);
	free(guid);
	free(key);

	r = status_of(NULL, "/v2/market/objects/999999/status");
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = status_of(tok, "/v2/market/objects/0f6b9a3e-5f0e-4a57-9d59-6c1c4f1ad0aa/status");
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
}

Test(market_applications, status_bad_tokens)
{
	struct hresp *r = status_of("not-a-token", "/v2/market/objects/%lld/status", (long long)obj_std);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	/* a landlord's (employee) token is not the market's (M-27) */
	r = status_of(co.admin_token, "/v2/market/objects/%lld/status", (long long)obj_std);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
}

/* ---- POST /v2/market/{id}/applications ---- */

Test(market_applications, apply_and_its_aliases)
{
	char tok[1024];
	struct hresp *r;
	int64_t a, b;

	anna_in(tok);
	market_join(h, tok, "residential");
	a = apply_ok(tok, obj_std);
	/* M-02: the same handler on all three paths */
	r = apply_at(tok, "/v2/market/", obj_std, APPLY);
	expect_refused(r, 409, "AlreadyApplied", "applied");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "checklist"), 0), "message"),
			 "Intresseanmälan redan gjord");
	hresp_free(r);
	r = apply_at(tok, "/v2/market/object/", obj_std, APPLY);
	expect_refused(r, 409, "AlreadyApplied", "applied");
	hresp_free(r);
	r = apply_at(tok, "/v2/market/objects/", obj_std, APPLY);
	expect_refused(r, 409, "AlreadyApplied", "applied");
	hresp_free(r);

	r = apply_at(tok, "/v2/market/object/", obj_b, APPLY);
	cr_assert_eq(r->status, 200, "%s", r->body);
	b = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	cr_assert_gt(b, a);
	hresp_free(r);
	r = apply_at(tok, "/v2/market/objects/", obj_income, APPLY);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_string(json_array_get(json_object_get(r->json, "id"), 0)), "%s", r->body);
	hresp_free(r);
}

Test(market_applications, apply_refusals)
{
	char tok[1024];
	struct hresp *r;

	r = apply_at(NULL, "/v2/market/", obj_std, APPLY);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = apply_at(co.admin_token, "/v2/market/", obj_std, APPLY);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	anna_in(tok);
	r = apply_at(tok, "/v2/market/", obj_std, APPLY);
	expect_refused(r, 403, "NotEligible", "queue");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "checklist"), 0), "message"),
			 "Du står inte i kön Bostad");
	hresp_free(r);
	r = apply_at(tok, "/v2/market/", 999999, APPLY);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	/* a paused object is not public: not found either */
	harness_sql(h, "UPDATE object_ads SET status = 'paused' WHERE id = %lld", (long long)obj_b);
	market_join(h, tok, "residential");
	r = apply_at(tok, "/v2/market/", obj_b, APPLY);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
}

Test(market_applications, apply_bad_input)
{
	static const struct {
		const char *body, *code, *field;
	} cases[] = {
		{ "{}", "BadRequest", "command" },
		{ "{\"contact\": {\"name\": \"Anna\"}}", "BadRequest", "command" },
		{ "{\"command\": \"apply\"}", "BadRequest", "command" },
		{ "{\"command\": {}}", "BadRequest", "command.type" },
		{ "{\"command\": {\"type\": \"foo\"}}", "UnknownCommand", "command.type" },
		{ "{\"command\": {\"type\": \"remove\"}}", "UnknownCommand", "command.type" },
		{ "{\"command\": {\"type\": 7}}", "BadRequest", "command.type" },
		{ "{\"command\": {\"type\": \"apply\"}, \"contact\": \"Anna\"}", "BadRequest", "contact" },
		{ "{\"command\": {\"type\": \"apply\"}, \"contact\": {\"phone\": 701234567}}", "BadRequest",
		  "contact.phone" },
		{ "{\"command\": {\"type\": \"apply\"}, \"contact\": {\"email\": true}}", "BadRequest", "contact.email" },
	};
	char tok[1024], body[1024], long_name[300];
	struct hresp *r;

	anna_in(tok);
	market_join(h, tok, "residential");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = apply_at(tok, "/v2/market/", obj_std, cases[i].body);
		expect_market(r, 400, cases[i].code, cases[i].field);
		hresp_free(r);
	}
	memset(long_name, 'a', 255);
	long_name[255] = '\0';
	snprintf(body, sizeof(body), "{\"command\": {\"type\": \"apply\"}, \"contact\": {\"name\": \"%s\"}}", long_name);
	r = apply_at(tok, "/v2/market/", obj_std, body);
	expect_market(r, 400, "BadRequest", "contact.name");
	hresp_free(r);
	/* not an object */
	r = apply_at(tok, "/v2/market/", obj_std, "[\"apply\"]");
	expect_market(r, 400, "BadRequest", NULL);
	hresp_free(r);
	r = apply_at(tok, "/v2/market/", obj_std, "\"apply\"");
	expect_market(r, 400, "BadRequest", NULL);
	hresp_free(r);
	/* nothing was stored by any of them */
	r = my_applications(tok, NULL);
	cr_assert_eq(jint(r->json, "itemsCount"), 0, "%s", r->body);
	hresp_free(r);
}

Test(market_applications, apply_with_contact_is_stored)
{
	char tok[1024];
	struct arena *a = arena_create(4096);
	struct application app;
	struct hresp *r;
	int64_t id;

	anna_in(tok);
	market_join(h, tok, "residential");
	r = status(tok, obj_std);
	cr_assert(json_is_true(json_object_get(r->json, "allowContact")), "%s", r->body);
	hresp_free(r);
	r = apply_at(tok, "/v2/market/", obj_std,
		     "{\"command\": {\"type\": \"apply\"}, \"contact\": {\"name\": \"Anna Svensson\","
		     " \"phone\": \"08-123456\", \"mobile\": \"070-1234567\", \"email\": \"anna@example.se\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);
	stored(id, &app, a);
	cr_assert(str_eq_cstr(app.contact_name, "Anna Svensson"));
	cr_assert(str_eq_cstr(app.contact_phone, "08-123456"));
	cr_assert(str_eq_cstr(app.contact_mobile, "070-1234567"));
	cr_assert(str_eq_cstr(app.contact_email, "anna@example.se"));
	/* a null contact, and one with some members, are fine too */
	r = apply_at(tok, "/v2/market/", obj_b,
		     "{\"command\": {\"type\": \"apply\"}, \"contact\": {\"mobile\": \"070-7654321\", \"name\": null}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);
	stored(id, &app, a);
	cr_assert(str_eq_cstr(app.contact_mobile, "070-7654321"));
	cr_assert_null(app.contact_name.ptr);
	cr_assert_null(app.contact_email.ptr);
	r = apply_at(tok, "/v2/market/", obj_income, "{\"command\": {\"type\": \"apply\"}, \"contact\": null}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	arena_destroy(a);
}

Test(market_applications, apply_stores_the_points_held_and_an_event)
{
	char tok[1024];
	struct arena *a = arena_create(4096);
	struct application app;
	char *joined, *payload;
	int64_t id, points, uid;
	json_t *ev;

	anna_in(tok);
	uid = user_id(tok);
	market_join(h, tok, "residential");
	joined_days_ago(tok, "residential", 200);
	joined = harness_sql_text(h, "SELECT joined_at FROM queue_memberships WHERE user_id = %lld AND left_at IS NULL",
				(long long)uid);
	points = applicant_points(atoll(joined), (int64_t)time(NULL));
	free(joined);
	cr_assert_geq(points, 199);
	id = apply_ok(tok, obj_income);
	stored(id, &app, a);
	cr_assert_eq(app.queue_points, points);
	cr_assert_eq(app.user_id, uid);
	cr_assert_eq(app.listing_id, obj_income);
	cr_assert_eq(app.company_id, co.id);
	cr_assert(str_eq_cstr(app.queue_type, "residential"));
	cr_assert(str_eq_cstr(app.state, "registered"));
	cr_assert_eq(app.closed_at, 0);
	cr_assert(!app.screening_approved, "the income rule failed when applying");
	cr_assert(app.screening.ptr && strstr(app.screening.ptr, "\"income\""), "%.*s", STR_FMT(app.screening));

	payload = harness_sql_text(h, "SELECT payload FROM events WHERE aggregate = 'application' AND"
				    " type = 'application_created' AND aggregate_id = '%lld'", (long long)id);
	ev = json_loads(payload, 0, NULL);
	cr_assert(ev, "%s", payload);
	cr_assert_eq(jint(ev, "application_id"), id, "%s", payload);
	cr_assert_eq(jint(ev, "object_ad_id"), obj_income, "%s", payload);
	cr_assert_eq(jint(ev, "queue_points"), points, "%s", payload);
	cr_assert_str_eq(jstr(ev, "queue_type"), "residential");
	cr_assert_str_eq(jstr(ev, "state"), "registered");
	cr_assert(json_is_false(json_object_get(ev, "screening_approved")), "%s", payload);
	json_decref(ev);
	free(payload);
	free(harness_sql_text(h, "SELECT company_id FROM events WHERE aggregate = 'application' AND aggregate_id = '%lld'"
			       " AND company_id = %lld", (long long)id, (long long)co.id));
	arena_destroy(a);
}

struct racer {
	pthread_barrier_t *go;
	const char *tok;
	int status;
	char body[1024];
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct hresp *resp;
	pthread_barrier_wait(r->go);
	resp = apply_at(r->tok, "/v2/market/", obj_std, APPLY);
	r->status = resp->status;
	snprintf(r->body, sizeof(r->body), "%s", resp->body);
	hresp_free(resp);
	return NULL;
}

Test(market_applications, two_applies_at_once_make_one_application)
{
	char tok[1024];
	pthread_barrier_t go;
	pthread_t t[2];
	struct racer rs[2];
	struct hresp *r;
	json_t *body, *list;
	int loser;

	anna_in(tok);
	market_join(h, tok, "residential");
	for (int round = 0; round < 3; round++) {
		cr_assert_eq(pthread_barrier_init(&go, NULL, 2), 0);
		for (int i = 0; i < 2; i++) {
			rs[i] = (struct racer){ .go = &go, .tok = tok };
			cr_assert_eq(pthread_create(&t[i], NULL, race, &rs[i]), 0);
		}
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		cr_assert((rs[0].status == 200 && rs[1].status == 409) || (rs[0].status == 409 && rs[1].status == 200),
			  "round %d: %d %s / %d %s", round, rs[0].status, rs[0].body, rs[1].status, rs[1].body);
		loser = rs[0].status == 409 ? 0 : 1;
		body = json_loads(rs[loser].body, 0, NULL);
		cr_assert_str_eq(jstr(body, "code"), "AlreadyApplied", "%s", rs[loser].body);
		list = json_object_get(body, "checklist");
		cr_assert_eq(json_array_size(list), 1, "%s", rs[loser].body);
		cr_assert_str_eq(jstr(json_array_get(list, 0), "type"), "applied", "%s", rs[loser].body);
		json_decref(body);
		r = my_applications(tok, NULL);
		cr_assert_eq(jint(r->json, "itemsCount"), 1, "%s", r->body);
		if (round < 2)
			remove_ok(tok, obj_std, atoll(jstr(json_array_get(json_object_get(r->json, "items"), 0), "id")));
		hresp_free(r);
	}
}

/* ---- GET /v2/market/applications, GET /v2/market/applications/{id} ---- */

static void expect_item_shape(json_t *it, int64_t obj, const char *raw)
{
	json_t *o = json_object_get(it, "marketObject"), *size, *cmds;
	char text[64];

	cr_assert(matches(jstr(it, "created"), RE_F2), "F2 (M-08): %s", raw);
	cr_assert(matches(jstr(it, "etag"), "^[0-9]+$"), "%s", raw);
	cr_assert(json_is_false(json_object_get(it, "removed")), "%s", raw);
	cr_assert(json_is_false(json_object_get(it, "active")), "%s", raw);
	cr_assert_str_eq(jstr(it, "statusDisplayName"), "Intresseanmäld");
	cr_assert_null(json_object_get(it, "closed"), "%s", raw);
	cr_assert_null(json_object_get(it, "presentation"), "%s", raw);
	cr_assert_null(json_object_get(it, "history"), "%s", raw);
	cmds = json_object_get(it, "commands");
	cr_assert_eq(json_array_size(cmds), 1, "%s", raw);
	cr_assert_str_eq(jstr(json_array_get(cmds, 0), "command"), "remove");

	cr_assert(json_is_object(o), "%s", raw);
	snprintf(text, sizeof(text), "%lld", (long long)obj);
	cr_assert_str_eq(jstr(o, "id"), text);
	snprintf(text, sizeof(text), "AN-%lld", (long long)obj);
	cr_assert_str_eq(jstr(o, "number"), text);
	cr_assert_str_eq(jstr(o, "type"), "residential");
	cr_assert_str_eq(jstr(o, "displayName"), "Kungsgatan 1201");
	cr_assert_eq(json_real_value(json_object_get(json_object_get(o, "pricing"), "price")), 9000.0, "%s", raw);
	cr_assert(strstr(raw, "\"price\":9000.0000"), "four decimals on the wire: %s", raw);
	size = json_object_get(o, "size");
	cr_assert_str_eq(jstr(size, "roomsDisplayName"), "3 rum och kök", "long form (A.3): %s", raw);
	cr_assert_str_eq(jstr(size, "shortRoomsDisplayName"), "3 ROK", "%s", raw);
	cr_assert_eq(json_real_value(json_object_get(size, "area")), 80.0, "%s", raw);
	cr_assert_str_eq(jstr(json_object_get(o, "application"), "openTo"), "2028-01-01T00:00:00+01:00", "%s", raw);
	cr_assert(matches(jstr(json_object_get(o, "application"), "openFrom"), RE_F2), "%s", raw);
	cr_assert_str_eq(jstr(json_object_get(o, "availability"), "availableFrom"), "2027-03-01T00:00:00+01:00", "%s",
			 raw);
	cr_assert_str_eq(jstr(json_object_get(json_object_get(o, "location"), "area"), "displayName"), "Solrosen 1",
			 "%s", raw);
	cr_assert_str_eq(jstr(json_object_get(o, "location"), "floor"), "3", "%s", raw);
}

Test(market_applications, list_shape)
{
	char tok[1024], id_text[32];
	struct hresp *r;
	json_t *it;
	int64_t id;

	anna_in(tok);
	r = my_applications(tok, NULL);
	cr_assert_eq(jint(r->json, "itemsCount"), 0, "%s", r->body);
	cr_assert_null(json_object_get(r->json, "block"), "no block: %s", r->body);
	hresp_free(r);
	market_join(h, tok, "residential");
	id = apply_ok(tok, obj_std);
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	r = my_applications(tok, NULL);
	cr_assert_eq(jint(r->json, "itemsCount"), 1, "%s", r->body);
	it = json_array_get(json_object_get(r->json, "items"), 0);
	cr_assert_str_eq(jstr(it, "id"), id_text);
	cr_assert_str_eq(jstr(it, "placeSorted"), "1", "%s", r->body);
	expect_item_shape(it, obj_std, r->body);
	hresp_free(r);

	/* one application: {"application": …}, the same shape and etag */
	r = bearer("GET", pathf((char[512]){ 0 }, "/v2/market/applications/%lld", (long long)id), tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_object_size(r->json), 1, "%s", r->body);
	it = json_object_get(r->json, "application");
	cr_assert_str_eq(jstr(it, "id"), id_text);
	cr_assert_str_eq(jstr(it, "placeSorted"), "1", "%s", r->body);
	expect_item_shape(it, obj_std, r->body);
	{
		char *etag = etag_of(tok, id);
		struct hresp *l = my_applications(tok, NULL);
		cr_assert_str_eq(jstr(item_of(l, id), "etag"), etag, "M-19: one etag at one moment");
		hresp_free(l);
		free(etag);
	}
	hresp_free(r);
}

Test(market_applications, one_application_errors)
{
	char tok[1024], bo[1024];
	struct hresp *r;
	int64_t id;

	anna_in(tok);
	market_join(h, tok, "residential");
	id = apply_ok(tok, obj_std);
	person_in("bo@example.se", "1950-06-30", bo);
	r = bearer("GET", pathf((char[512]){ 0 }, "/v2/market/applications/%lld", (long long)id), bo, NULL);
	expect_market(r, 404, "NotFound", NULL);
	cr_assert_null(strstr(r->body, "Kungsgatan"), "%s", r->body);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applications/999999", tok, NULL);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applications/abc", tok, NULL);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applications/-1", tok, NULL);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = bearer("GET", pathf((char[512]){ 0 }, "/v2/market/applications/%lld", (long long)id), NULL, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applications", NULL, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applications", co.admin_token, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	/* Bo's list is empty */
	r = my_applications(bo, NULL);
	cr_assert_eq(jint(r->json, "itemsCount"), 0, "%s", r->body);
	hresp_free(r);
}

Test(market_applications, list_places_are_live)
{
	char anna_tok[1024], bo[1024];
	struct hresp *r;
	json_t *it;
	int64_t a, b;

	anna_in(anna_tok);
	person_in("bo@example.se", "1950-06-30", bo);
	market_join(h, anna_tok, "residential");
	market_join(h, bo, "residential");
	joined_days_ago(anna_tok, "residential", 10);
	joined_days_ago(bo, "residential", 50);
	a = apply_ok(anna_tok, obj_std);
	cr_assert_str_eq(place_of(anna_tok, a), "1");
	b = apply_ok(bo, obj_std);
	cr_assert_str_eq(place_of(bo, b), "1", "more points: first");
	cr_assert_str_eq(place_of(anna_tok, a), "2");
	remove_ok(bo, obj_std, b);
	cr_assert_str_eq(place_of(anna_tok, a), "1", "Bo withdrew");

	/* M-13: removed ones only with removed=true (or its alias), and without a place */
	r = my_applications(bo, NULL);
	cr_assert_eq(jint(r->json, "itemsCount"), 0, "%s", r->body);
	hresp_free(r);
	r = my_applications(bo, "closed=true");
	cr_assert_eq(jint(r->json, "itemsCount"), 0, "%s", r->body);
	hresp_free(r);
	for (int i = 0; i < 2; i++) {
		r = my_applications(bo, i ? "removedApplications=true" : "removed=true");
		cr_assert_eq(jint(r->json, "itemsCount"), 1, "%s", r->body);
		it = item_of(r, b);
		cr_assert(it, "%s", r->body);
		cr_assert(json_is_true(json_object_get(it, "removed")), "%s", r->body);
		cr_assert_str_eq(jstr(it, "statusDisplayName"), "Borttagen");
		cr_assert(matches(jstr(it, "closed"), RE_F2), "%s", r->body);
		cr_assert_null(json_object_get(it, "placeSorted"), "%s", r->body);
		hresp_free(r);
	}
	r = my_applications(bo, "removed=TRUE&closed=true");
	cr_assert_eq(jint(r->json, "itemsCount"), 1, "%s", r->body);
	hresp_free(r);
}

Test(market_applications, list_filters)
{
	char anna_tok[1024], bo[1024];
	struct hresp *r;
	int64_t senior_app;

	anna_in(anna_tok);
	market_join(h, anna_tok, "residential");
	apply_ok(anna_tok, obj_std);
	apply_ok(anna_tok, obj_b);
	person_in("bo@example.se", "1950-06-30", bo);
	market_join(h, bo, "senior");
	market_join(h, bo, "residential");
	senior_app = apply_ok(bo, obj_senior);
	apply_ok(bo, obj_std);

	static const struct {
		const char *query;
		long long anna, bo;
	} cases[] = {
		{ "marketObjectType=residential", 2, 1 },
		{ "queueType=residential", 2, 1 },
		{ "marketObjectType=senior", 0, 1 },
		{ "queueType=senior", 0, 1 },
		{ "marketObjectType=senior&queueType=senior", 0, 1 },
		{ "marketObjectType=senior&queueType=residential", 0, 0 },
		{ "marketObjectType=castles", 0, 0 },
		{ "queueType=castles", 0, 0 },
		{ "marketObjectType=", 2, 2 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = my_applications(anna_tok, cases[i].query);
		cr_assert_eq(jint(r->json, "itemsCount"), cases[i].anna, "%s: %s", cases[i].query, r->body);
		hresp_free(r);
		r = my_applications(bo, cases[i].query);
		cr_assert_eq(jint(r->json, "itemsCount"), cases[i].bo, "%s: %s", cases[i].query, r->body);
		hresp_free(r);
	}
	r = my_applications(bo, "marketObjectType=senior");
	cr_assert_str_eq(jstr(json_object_get(item_of(r, senior_app), "marketObject"), "type"), "senior", "%s", r->body);
	hresp_free(r);

	static const char *const bad[][2] = { { "removed=maybe", "removed" }, { "closed=1", "closed" },
					      { "removedApplications=yes", "removed" } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = bearer("GET", pathf((char[512]){ 0 }, "/v2/market/applications?%s", bad[i][0]), anna_tok, NULL);
		expect_market(r, 400, "BadRequest", bad[i][1]);
		hresp_free(r);
	}
}

Test(market_applications, list_shows_the_block)
{
	char tok[1024];
	struct arena *a = arena_create(4096);
	struct error err;
	struct hresp *r;
	json_t *block;

	anna_in(tok);
	market_join(h, tok, "residential");
	apply_ok(tok, obj_std);
	error_init(&err, a);
	cr_assert_eq(applicant_block(app_core(h->app), user_id(tok), "residential", STR_LIT("Ej godkänd"),
				     STR_LIT("Du uppfyller inte kraven i vår uthyrningspolicy."), 1811023140, &err), 0);
	arena_destroy(a);
	r = my_applications(tok, NULL);
	block = json_object_get(r->json, "block");
	cr_assert(json_is_object(block), "%s", r->body);
	cr_assert_str_eq(jstr(block, "displayName"), "Ej godkänd");
	cr_assert_str_eq(jstr(block, "displayDescription"), "Du uppfyller inte kraven i vår uthyrningspolicy.");
	cr_assert_str_eq(jstr(block, "blockedUntilDate"), "2027-05-22 23:59", "F3: %s", r->body);
	cr_assert_eq(jint(r->json, "itemsCount"), 1, "the list is still returned: %s", r->body);
	hresp_free(r);
	/* a parking block is not the residential queue's */
	r = my_applications(tok, "queueType=parking");
	cr_assert_null(json_object_get(r->json, "block"), "%s", r->body);
	hresp_free(r);
}

/* ---- POST /v2/market/{marketObjectId}/applications/{id} ---- */

Test(market_applications, remove_command)
{
	char tok[1024], body[256], *etag;
	struct hresp *r;
	json_t *app, *p, *steps, *step;
	int64_t id, again;

	anna_in(tok);
	market_join(h, tok, "residential");
	id = apply_ok(tok, obj_std);
	etag = etag_of(tok, id);
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"remove\"}}", etag);
	r = command(tok, obj_std, id, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_object_size(r->json), 1, "%s", r->body);
	app = json_object_get(r->json, "application");
	cr_assert(atoll(jstr(app, "id")) == id, "%s", r->body);
	cr_assert(json_is_true(json_object_get(app, "removed")), "%s", r->body);
	cr_assert(json_is_false(json_object_get(app, "active")), "%s", r->body);
	cr_assert_str_eq(jstr(app, "statusDisplayName"), "Borttagen");
	cr_assert(matches(jstr(app, "closed"), RE_F2), "%s", r->body);
	p = json_object_get(app, "presentation");
	cr_assert_str_eq(jstr(p, "type"), "removed", "%s", r->body);
	cr_assert(json_is_object(json_object_get(p, "data")) && json_object_size(json_object_get(p, "data")) == 0, "%s",
		  r->body);
	cr_assert(json_is_false(json_object_get(p, "execution")), "a boolean (M-04): %s", r->body);
	cr_assert_null(json_object_get(p, "executing"), "%s", r->body);
	cr_assert(matches(jstr(app, "etag"), "^[0-9]+$"), "%s", r->body);
	cr_assert_str_neq(jstr(app, "etag"), etag, "a new step, a new etag: %s", r->body);
	cr_assert_gt(atoll(jstr(app, "etag")), atoll(etag), "M-19: step ids increase");
	cr_assert_null(json_object_get(app, "commands"), "nothing left to do: %s", r->body);
	cr_assert_null(json_object_get(app, "placeSorted"), "%s", r->body);
	steps = json_object_get(json_object_get(app, "history"), "steps");
	cr_assert_eq(json_array_size(steps), 1, "M-17: the answered step only: %s", r->body);
	step = json_array_get(steps, 0);
	cr_assert_str_eq(jstr(step, "id"), etag, "%s", r->body);
	cr_assert(matches(jstr(step, "occurred"), RE_F2), "%s", r->body);
	cr_assert_null(json_object_get(step, "occured"), "%s", r->body);
	cr_assert_str_eq(jstr(step, "statusDisplayName"), "Intresseanmäld", "%s", r->body);
	cr_assert(json_is_object(json_object_get(app, "marketObject")), "%s", r->body);
	hresp_free(r);

	/* the same etag again: stale */
	r = command(tok, obj_std, id, body);
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);
	/* the new etag, but a removed application offers no command */
	{
		char *now = etag_of(tok, id);
		snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"remove\"}}", now);
		r = command(tok, obj_std, id, body);
		expect_market(r, 400, "UnknownCommand", "command.type");
		hresp_free(r);
		free(now);
	}
	free(etag);

	/* after removing, applying again makes a new application */
	again = apply_ok(tok, obj_std);
	cr_assert_neq(again, id);
	r = my_applications(tok, NULL);
	cr_assert_eq(jint(r->json, "itemsCount"), 1, "%s", r->body);
	cr_assert(item_of(r, again), "%s", r->body);
	hresp_free(r);
}

Test(market_applications, command_errors)
{
	char tok[1024], bo[1024], body[256], *etag;
	struct hresp *r;
	int64_t id;

	anna_in(tok);
	market_join(h, tok, "residential");
	id = apply_ok(tok, obj_std);
	etag = etag_of(tok, id);

	/* with_etag: the body is {"etag": "<the current one>"<rest> */
	static const struct {
		bool with_etag;
		const char *rest, *code, *field;
	} bad[] = {
		{ false, "{\"command\": {\"type\": \"remove\"}}", "BadRequest", "etag" },
		{ false, "{\"etag\": 5, \"command\": {\"type\": \"remove\"}}", "BadRequest", "etag" },
		{ true, "}", "BadRequest", "command" },
		{ true, ", \"command\": {}}", "BadRequest", "command.type" },
		{ true, ", \"command\": {\"type\": \"yes\"}}", "UnknownCommand", "command.type" },
		{ true, ", \"command\": {\"type\": \"apply\"}}", "UnknownCommand", "command.type" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bad[i].with_etag)
			snprintf(body, sizeof(body), "{\"etag\": \"%s\"%s", etag, bad[i].rest);
		else
			snprintf(body, sizeof(body), "%s", bad[i].rest);
		r = command(tok, obj_std, id, body);
		expect_market(r, 400, bad[i].code, bad[i].field);
		hresp_free(r);
	}
	r = command(tok, obj_std, id, "[]");
	expect_market(r, 400, "BadRequest", NULL);
	hresp_free(r);
	/* a wrong etag, not a number either */
	r = command(tok, obj_std, id, "{\"etag\": \"abc\", \"command\": {\"type\": \"remove\"}}");
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);

	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"remove\"}}", etag);
	/* another applicant's application, another object's id, an unknown application */
	person_in("bo@example.se", "1950-06-30", bo);
	r = command(bo, obj_std, id, body);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = command(tok, obj_b, id, body);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = command(tok, obj_std, 999999, body);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = command(tok, 999999, id, body);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = bearer("POST", pathf((char[512]){ 0 }, "/v2/market/%lld/applications/x", (long long)obj_std), tok, body);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = command(NULL, obj_std, id, body);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	/* none of them touched it: the etag still works, by guid too */
	{
		char *guid = harness_sql_text(h, "SELECT uuid FROM object_ads WHERE id = %lld", (long long)obj_std);
		r = bearer("POST", pathf((char[512]){ 0 }, "/v2/market/%s/applications/%lld", guid, (long long)id), tok,
			   body);
		cr_assert_eq(r->status, 200, "%s", r->body);
		hresp_free(r);
		free(guid);
	}
	free(etag);
}

/* ---- the accounts changelog is not the market's ---- */

Test(market_applications, accounts_changelog_does_not_show_applications)
{
	char agent[1024], auth[1100], tok[1024];
	const char *headers[] = { auth, NULL };
	struct hresp *r;
	long long before;
	int64_t id;

	fixture_agent(h, "ada@ops.example", "Ada Agent", NULL, agent);
	snprintf(auth, sizeof(auth), "Authorization: %s", agent);
	r = harness_request_ex(h, "GET", "/api/landlords/accounts/changes?itemsPerPage=100", NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	before = hresp_int(r, "total");
	cr_assert_geq(before, 0, "%s", r->body);
	hresp_free(r);

	anna_in(tok);
	market_join(h, tok, "residential");
	id = apply_ok(tok, obj_std);
	remove_ok(tok, obj_std, id);
	apply_ok(tok, obj_b);
	{
		char *n = harness_sql_text(h, "SELECT COUNT(*) FROM events WHERE aggregate = 'application'");
		cr_assert_str_eq(n, "3", "created, removed, created");
		free(n);
	}

	r = harness_request_ex(h, "GET", "/api/landlords/accounts/changes?itemsPerPage=100", NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), before, "%s", r->body);
	cr_assert_null(strstr(r->body, "application_"), "%s", r->body);
	hresp_free(r);
	r = harness_request_ex(h, "GET",
			       pathf((char[512]){ 0 }, "/api/landlords/accounts/changes?itemsPerPage=100&accountId=%s",
				     co.uuid),
			       NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(strstr(r->body, "application_"), "%s", r->body);
	hresp_free(r);
}

/* ---- a signed-in user who is not a registered applicant ---- */

Test(market_applications, unregistered_user)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct user_insert u;
	char hash[PASSWORD_HASH_MAX], tok[1024];
	const char *reg = "Registrera dig som bostadssökande först";
	int64_t id;
	struct hresp *r;

	error_init(&err, a);
	memset(&u, 0, sizeof(u));
	u.kind = USER_CONSUMER;
	u.username = STR_LIT("plain@example.se");
	cr_assert_eq(password_hash(STR_LIT("hemligt123"), hash), 0);
	u.password_hash = str_from_cstr(hash);
	cr_assert_eq(store_user_insert(h->store, &u, &id, &err), 0);
	arena_destroy(a);
	market_sign_in(h, "plain@example.se", "hemligt123", tok);

	r = status(tok, obj_income);
	cr_assert(json_is_false(json_object_get(r->json, "allowContact")), "%s", r->body);
	expect_item(r, "applicant", false, reg);
	expect_item(r, "login", true, NULL);
	expect_item(r, "queue", false, reg);
	expect_item(r, "age", false, reg);
	cr_assert_null(json_object_get(r->json, "screening"), "no profile to screen: %s", r->body);
	hresp_free(r);
	/* contact only when allowContact is true */
	r = apply_at(tok, "/v2/market/", obj_std, "{\"command\": {\"type\": \"apply\"}, \"contact\": {\"name\": \"P\"}}");
	expect_market(r, 400, "BadRequest", "contact");
	hresp_free(r);
	r = apply_at(tok, "/v2/market/", obj_std, APPLY);
	expect_refused(r, 403, "NotEligible", "applicant,queue,age");
	hresp_free(r);
}

/* ---- M-13: closed applications within 90 days by default, every closed one with closed=true ---- */

Test(market_applications, list_closed_applications)
{
	char tok[1024];
	struct hresp *r;
	json_t *it;
	int64_t recent, old, open, now_us = (int64_t)time(NULL) * 1000000;

	anna_in(tok);
	market_join(h, tok, "residential");
	recent = apply_ok(tok, obj_std);
	old = apply_ok(tok, obj_b);
	open = apply_ok(tok, obj_income);
	harness_sql(h, "UPDATE applications SET state = 'annulled', closed_at = %lld WHERE id = %lld",
		       (long long)(now_us - 10 * 86400LL * 1000000), (long long)recent);
	harness_sql(h, "UPDATE applications SET state = 'annulled', closed_at = %lld WHERE id = %lld",
		       (long long)(now_us - 100 * 86400LL * 1000000), (long long)old);

	r = my_applications(tok, NULL);
	cr_assert_eq(jint(r->json, "itemsCount"), 2, "%s", r->body);
	cr_assert(item_of(r, open) && item_of(r, recent) && !item_of(r, old), "%s", r->body);
	it = item_of(r, recent);
	cr_assert_str_eq(jstr(it, "statusDisplayName"), "Avslutad");
	cr_assert_str_eq(jstr(json_object_get(it, "presentation"), "type"), "annulled", "%s", r->body);
	cr_assert(json_is_false(json_object_get(it, "removed")), "%s", r->body);
	cr_assert(matches(jstr(it, "closed"), RE_F2), "%s", r->body);
	cr_assert_null(json_object_get(it, "placeSorted"), "closed: no place: %s", r->body);
	cr_assert_null(json_object_get(it, "commands"), "%s", r->body);
	hresp_free(r);
	r = my_applications(tok, "closed=true");
	cr_assert_eq(jint(r->json, "itemsCount"), 3, "%s", r->body);
	cr_assert(item_of(r, old), "%s", r->body);
	hresp_free(r);
	/* the status shows closed ones that are not removed, however old */
	r = status(tok, obj_b);
	cr_assert_eq(json_array_size(json_object_get(r->json, "applications")), 1, "%s", r->body);
	cr_assert(matches(jstr(json_array_get(json_object_get(r->json, "applications"), 0), "closed"), RE_F1), "%s",
		  r->body);
	/* a closed application is not an open one: applying again is possible */
	expect_item(r, "applied", true, NULL);
	cr_assert(json_is_false(json_object_get(r->json, "applied")), "%s", r->body);
	hresp_free(r);
}

/* ---- placeSorted follows the listing's sorting mode ---- */

Test(market_applications, place_by_sorting_mode)
{
	char anna_tok[1024], bo[1024];
	int64_t a, b;

	anna_in(anna_tok);
	person_in("bo@example.se", "1950-06-30", bo);
	market_join(h, anna_tok, "residential");
	market_join(h, bo, "residential");
	joined_days_ago(bo, "residential", 50);
	harness_sql(h, "UPDATE object_ads SET candidate_sorting_mode = 'first_come_first' WHERE id = %lld",
		       (long long)obj_std);
	a = apply_ok(anna_tok, obj_std);
	b = apply_ok(bo, obj_std);
	cr_assert_str_eq(place_of(anna_tok, a), "1", "first come, first served");
	cr_assert_str_eq(place_of(bo, b), "2");
	/* a lottery has no order before its draw */
	harness_sql(h, "UPDATE object_ads SET candidate_sorting_mode = 'random' WHERE id = %lld", (long long)obj_std);
	cr_assert_str_eq(place_of(anna_tok, a), "(none)");
	cr_assert_str_eq(place_of(bo, b), "(none)");
}
