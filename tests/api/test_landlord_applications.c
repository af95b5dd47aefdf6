/*
 * A listing's applications on the landlord side (issue 14; docs/API.md "Applications of a
 * listing", docs/DECISIONS.md "ApplyStats" and "Landlord applications"): the
 * ApplyStats counts of the listing detail and the inventory (now and as of the last UTC
 * midnight) with applications in every state that counts, GET
 * /api/v1/object_ad/{id}/applications in the order of each candidate_sorting_mode, paging,
 * the ApprovalCheck mapping of the stored screening, scope (another company, an office
 * outside the caller's subtree), other tokens, unknown ids and bad paging parameters, and
 * the market detail's nrApplications never served stale from its kept rendering.
 *
 * Applications are rows as the apply command writes them (store/market/store_applications.c:
 * the application and its steps, the current one its step_id), inserted here directly so
 * every state and instant can be set.
 */
#include <time.h>

#include "org_common.h"

static struct harness *h;
static struct fixture_company co, other;
static int64_t req, listing, other_listing, sub_office;

/* ---- the database ---- */

static long long now_us(void)
{
	return (long long)time(NULL) * 1000000;
}

/* The last UTC midnight, µs. */
static long long midnight_us(void)
{
	long long t = (long long)time(NULL);
	return (t - t % 86400) * 1000000;
}

/* An applicant (a consumer user) with a name, e-mail and personal number. */
static int64_t applicant(const char *first, const char *last)
{
	char user[64];
	int64_t id;
	snprintf(user, sizeof(user), "%s.%s@example.se", first, last);
	id = fixture_consumer(h, user, NULL);
	harness_sql(h, "UPDATE users SET first_name = '%s', last_name = '%s', personal_number = '19900101-00%02d'"
		" WHERE id = %lld",
		first, last, (int)(id % 100), (long long)id);
	return id;
}

/*
 * An application as the apply command and the process write it. steps: the states it went
 * through before the current one, each "state@µs:answer" (the current step begins at the
 * last step's answer time, or at applied_at when there is none).
 */
struct step {
	const char *state;
	long long at;
	const char *answer;
};

static int64_t application(int64_t ad, int64_t user, long long points, long long applied_at, const char *state,
			   int approved, long long closed_at, const char *screening, const struct step *steps,
			   size_t nsteps, long long current_at)
{
	int64_t id, step;
	char closed[32];

	snprintf(closed, sizeof(closed), closed_at ? "%lld" : "NULL", closed_at);
	id = harness_sql_int(h, "INSERT INTO applications(listing_id, company_id, user_id, queue_type, queue_points, applied_at,"
		     " state, closed_at, screening_approved, screening, updated_at)"
		     " SELECT id, company_id, %lld, 'residential', %lld, %lld, '%s', %s, %d, '%s', %lld"
		     " FROM object_ads WHERE id = %lld RETURNING id",
		     (long long)user, points, applied_at, state, closed, approved, screening ? screening : "[]",
		     current_at, (long long)ad);
	for (size_t i = 0; i < nsteps; i++)
		harness_sql(h, "INSERT INTO application_steps(application_id, state, created_at, answer, answered_at)"
			" VALUES (%lld, '%s', %lld, '%s', %lld)",
			(long long)id, steps[i].state, i ? steps[i - 1].at : applied_at, steps[i].answer, steps[i].at);
	step = harness_sql_int(h, "INSERT INTO application_steps(application_id, state, created_at) VALUES (%lld, '%s', %lld) RETURNING id",
		       (long long)id, state, current_at);
	harness_sql(h, "UPDATE applications SET step_id = %lld WHERE id = %lld", (long long)step, (long long)id);
	return id;
}

/* A registered (open) application applied at applied_at. */
static int64_t registered(int64_t ad, int64_t user, long long points, long long applied_at, int approved)
{
	return application(ad, user, points, applied_at, "registered", approved, 0, NULL, NULL, 0, applied_at);
}

/* ---- API fixtures ---- */

static int64_t make_estate(const char *token, int64_t office)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", token,
			       "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
			       (long long)office);
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static int64_t make_apartment(const char *token, int64_t est, const char *nid)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", token,
			       "{\"estate\": %lld, \"street_name\": \"Kungsgatan\", \"street_number\": \"16A\","
			       " \"zip_code\": \"11143\", \"national_id\": \"%s\", \"latitude\": 59.3360,"
			       " \"longitude\": 18.0640, \"area\": 57, \"floor\": 3, \"rent\": 6747, \"rooms\": 1.5}",
			       (long long)est, nid);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static int64_t make_listing(const char *token, int64_t apartment, int64_t requirement)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/object_ad/", token, "{\"apartment\": %lld, \"requirement\": %lld}",
			       (long long)apartment, (long long)requirement);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static void setup(void)
{
	int64_t other_req;
	h = harness_create();
	fixture_company(h, "Acme", &co);
	fixture_company(h, "Other", &other);
	req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id", (long long)co.id);
	other_req =
		harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Theirs') RETURNING id", (long long)other.id);
	listing = make_listing(co.admin_token, make_apartment(co.admin_token, make_estate(co.admin_token, co.root_office), "1101"),
			       req);
	other_listing = make_listing(
		other.admin_token, make_apartment(other.admin_token, make_estate(other.admin_token, other.root_office), "1201"),
		other_req);
	sub_office = fixture_office(h, co.id, co.root_office, "Syd");
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(landlord_applications, .init = setup, .fini = teardown);

static struct hresp *list(const char *token, int64_t ad, const char *query)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v1/object_ad/%lld/applications/%s%s", (long long)ad,
					    query ? "?" : "", query ? query : ""),
			    token, NULL);
}

/* The ids of a page, space-separated, and its total. */
static void expect_ids(const char *token, int64_t ad, const char *query, long long total, const char *ids)
{
	struct hresp *r = list(token, ad, query);
	char got[1024] = "";
	size_t i;
	json_t *v;

	cr_assert_eq(r->status, 200, "%s: %s", query ? query : "", r->body);
	cr_assert_eq(hresp_int(r, "total"), total, "%s: %s", query ? query : "", r->body);
	json_array_foreach (json_object_get(r->json, "results"), i, v) {
		char one[32];
		snprintf(one, sizeof(one), "%s%lld", i ? " " : "", (long long)json_integer_value(json_object_get(v, "id")));
		strcat(got, one);
	}
	cr_assert_str_eq(got, ids, "%s: %s", query ? query : "", r->body);
	hresp_free(r);
}

static long long count(json_t *stats, const char *group, const char *key)
{
	json_t *g = json_object_get(stats, group);
	cr_assert(json_is_object(g), "no %s", group);
	cr_assert(json_is_integer(json_object_get(g, key)), "no %s.%s", group, key);
	return (long long)json_integer_value(json_object_get(g, key));
}

/* approval accepted/processing/rejected, not offered accepted/processing/rejected (-1: absent), offer no/pending/yes */
static void expect_stats(json_t *stats, const long long want[9])
{
	static const char *const groups[3] = { "approval_status", "approval_status_for_contract_not_offered",
					       "offer_status" };
	static const char *const keys[2][3] = { { "accepted", "processing", "rejected" }, { "no", "pending", "yes" } };
	char *text = json_dumps(stats, JSON_COMPACT);
	cr_assert(json_is_object(stats));
	cr_assert(json_is_string(json_object_get(stats, "timestamp")));
	for (int g = 0; g < 3; g++)
		for (int k = 0; k < 3; k++) {
			long long w = want[g * 3 + k];
			if (w < 0) {
				cr_assert_null(json_object_get(stats, groups[g]), "%s", text);
				continue;
			}
			cr_assert_eq(count(stats, groups[g], keys[g == 2][k]), w, "%s.%s: %s", groups[g],
				     keys[g == 2][k], text);
		}
	free(text);
}

/* ---- ApplyStats ---- */

/*
 * Every state that counts, now and at the last midnight:
 *   a  registered, approved, applied yesterday                 now: open accepted, not offered; then: the same
 *   b  registered, not approved, applied today                 now: open rejected, not offered; then: absent
 *   c  question (offered today), approved, applied yesterday   now: pending, open accepted; then: registered
 *   d  form (answered yes), not approved                       now: yes, open rejected; then: yes
 *   e  annulled after answering no, yesterday                  now: no (closed); then: no
 *   f  annulled without an offer (a processing error)          counts nowhere
 *   g  contract_signed, closed                                 now: yes; then: yes
 *   h  removed today while registered                          now: nothing; then: open accepted, not offered
 * and one of another listing, which counts for that listing only.
 */
static void make_every_state(void)
{
	long long mid = midnight_us(), now = now_us(), day = 86400LL * 1000000;
	long long y1 = mid - day + 1000, y2 = mid - day / 2, y3 = mid - 1000;
	const struct step offered_yes[] = { { "registered", y2, "offer" }, { "question", y3, "yes" } };
	const struct step offered_no[] = { { "registered", y2, "offer" }, { "question", y3, "no" } };
	const struct step offered_today[] = { { "registered", now - 2000, "offer" } };
	const struct step error[] = { { "registered", y2, "error" } };
	const struct step signed_[] = { { "registered", y1 + 1, "offer" }, { "question", y1 + 2, "yes" },
				       { "form", y1 + 3, "done" }, { "viewing", y1 + 4, "done" },
				       { "signing", y1 + 5, "signed" } };
	const struct step removed[] = { { "registered", now - 1000, "remove" } };

	if (now - mid < 5000) /* a few ms after midnight "today" has no room: run as if later */
		now = mid + 5000;
	registered(listing, applicant("Anna", "A"), 10, y1, 1);
	registered(listing, applicant("Bo", "B"), 20, now - 3000, 0);
	application(listing, applicant("Cid", "C"), 30, y1, "question", 1, 0, NULL, offered_today, 1, now - 2000);
	application(listing, applicant("Dan", "D"), 40, y1, "form", 0, 0, NULL, offered_yes, 2, y3);
	application(listing, applicant("Eva", "E"), 50, y1, "annulled", 1, y3, NULL, offered_no, 2, y3);
	application(listing, applicant("Fia", "F"), 60, y1, "annulled", 1, y2, NULL, error, 1, y2);
	application(listing, applicant("Gun", "G"), 70, y1, "contract_signed", 1, y1 + 6, NULL, signed_, 5, y1 + 6);
	application(listing, applicant("Hans", "H"), 80, y1, "removed", 1, now - 1000, NULL, removed, 1, now - 1000);
	registered(other_listing, applicant("Ida", "I"), 5, y1, 1);
}

static const long long current_every[9] = { 2, 0, 2, 1, 0, 1, 1, 1, 2 };

Test(landlord_applications, stats_without_applications_are_zero)
{
	static const long long zero[9] = { 0 };
	char p[512];
	struct hresp *r = harness_auth(h, "GET", pathf(p, "/api/v1/object_ad/%lld/", (long long)listing), co.admin_token,
				       NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_stats(json_object_get(json_object_get(r->json, "object_ad"), "current_stats"), zero);
	hresp_free(r);
}

Test(landlord_applications, detail_counts_every_state)
{
	char p[512];
	struct hresp *r;

	make_every_state();
	r = harness_auth(h, "GET", pathf(p, "/api/v1/object_ad/%lld/", (long long)listing), co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_stats(json_object_get(json_object_get(r->json, "object_ad"), "current_stats"), current_every);
	hresp_free(r);
	/* PATCH answers the same detail */
	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/object_ad/%lld", (long long)listing), co.admin_token,
			 "{\"description\": \"x\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_stats(json_object_get(json_object_get(r->json, "object_ad"), "current_stats"), current_every);
	hresp_free(r);
}

Test(landlord_applications, inventory_counts_now_and_at_midnight)
{
	/* at midnight: a, c (registered then), h (open then) accepted and not offered; d rejected; e no; d, g yes */
	static const long long nightly[9] = { 3, 0, 1, -1, -1, -1, 1, 0, 2 };
	static const long long other_now[9] = { 1, 0, 0, 1, 0, 0, 0, 0, 0 };
	char q[128], midnight[40];
	struct hresp *r;
	size_t i;
	json_t *it;
	int seen = 0;
	time_t t = time(NULL);
	struct tm tm;

	make_every_state();
	snprintf(q, sizeof(q), "/api/v1/inventory/?type=object_ad,apartment&amount=100");
	r = harness_auth(h, "GET", q, co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	t -= t % 86400;
	gmtime_r(&t, &tm);
	strftime(midnight, sizeof(midnight), "%Y-%m-%dT00:00:00.000000", &tm);
	json_array_foreach (json_object_get(r->json, "results"), i, it) {
		json_t *o = json_object_get(it, "object_ad");
		/* the listing item and its apartment's item carry the same listing */
		if (!json_is_object(o) || json_integer_value(json_object_get(o, "id")) != listing)
			continue;
		expect_stats(json_object_get(o, "current_stats"), current_every);
		expect_stats(json_object_get(o, "nightly_stats"), nightly);
		cr_assert_str_eq(jstr(json_object_get(o, "nightly_stats"), "timestamp"), midnight);
		seen++;
	}
	cr_assert_eq(seen, 2, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/inventory/?type=object_ad", other.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	it = json_array_get(json_object_get(r->json, "results"), 0);
	expect_stats(json_object_get(json_object_get(it, "object_ad"), "current_stats"), other_now);
	hresp_free(r);
}

/* ---- the list ---- */

Test(landlord_applications, list_item_shape)
{
	static const char *const item_keys[] = { "applied_at",   "approval_checks", "approval_status",
						 "claims",       "closed",          "conversations_count",
						 "existing_tenant", "id",           "offer_status",
						 "offered_at",   "profiles",        "queue_points",
						 "rank",         "rejection_reason", "removed",
						 "reserved",     "state",           NULL };
	static const char *const profile_keys[] = { "connection_type", "email", "first_name", "full_name", "id",
						    "last_name", "main_applicant", "personal_number", NULL };
	int64_t anna = applicant("Anna", "Svensson");
	long long at = 1700000000LL * 1000000 + 123456;
	int64_t id = registered(listing, anna, 321, at, 1);
	struct hresp *r = list(co.admin_token, listing, NULL);
	json_t *it, *p;

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "candidate_sorting_mode", "current_stats", "process", "results",
						    "total", NULL });
	cr_assert(json_is_null(json_object_get(r->json, "process")), "%s", r->body);
	expect_stats(json_object_get(r->json, "current_stats"), (const long long[9]){ 1, 0, 0, 1, 0, 0, 0, 0, 0 });
	cr_assert_eq(hresp_int(r, "total"), 1);
	it = json_array_get(json_object_get(r->json, "results"), 0);
	expect_keys(it, item_keys);
	cr_assert_eq(json_integer_value(json_object_get(it, "id")), id);
	cr_assert_str_eq(jstr(it, "applied_at"), "2023-11-14T22:13:20.123456Z");
	cr_assert_str_eq(jstr(it, "approval_status"), "accepted");
	cr_assert(json_is_null(json_object_get(it, "closed")));
	cr_assert_eq(json_integer_value(json_object_get(it, "conversations_count")), 0);
	cr_assert_eq(json_integer_value(json_object_get(it, "queue_points")), 321);
	cr_assert(json_is_false(json_object_get(it, "removed")));
	cr_assert_str_eq(jstr(it, "state"), "registered");
	cr_assert_eq(json_array_size(json_object_get(it, "approval_checks")), 0);
	cr_assert(json_is_array(json_object_get(it, "claims")) && json_array_size(json_object_get(it, "claims")) == 0);
	cr_assert(json_is_false(json_object_get(it, "existing_tenant")));
	cr_assert(json_is_null(json_object_get(it, "offer_status")));
	cr_assert(json_is_null(json_object_get(it, "offered_at")));
	cr_assert(json_is_null(json_object_get(it, "rank")));
	cr_assert(json_is_null(json_object_get(it, "rejection_reason")));
	cr_assert(json_is_false(json_object_get(it, "reserved")));
	cr_assert_eq(json_array_size(json_object_get(it, "profiles")), 1);
	p = json_array_get(json_object_get(it, "profiles"), 0);
	expect_keys(p, profile_keys);
	cr_assert_str_eq(jstr(p, "connection_type"), "A");
	cr_assert_str_eq(jstr(p, "email"), "Anna.Svensson@example.se");
	cr_assert_str_eq(jstr(p, "first_name"), "Anna");
	cr_assert_str_eq(jstr(p, "last_name"), "Svensson");
	cr_assert_str_eq(jstr(p, "full_name"), "Anna Svensson");
	cr_assert_eq(json_integer_value(json_object_get(p, "id")), anna);
	cr_assert(json_is_true(json_object_get(p, "main_applicant")));
	cr_assert(jstr(p, "personal_number") && strlen(jstr(p, "personal_number")) == 13);
	hresp_free(r);
}

Test(landlord_applications, approval_checks_from_the_stored_screening)
{
	static const char *const check_keys[] = { "details", "id", "is_value", "label", "ought_value", "status", NULL };
	const char *screening =
		"[{\"type\":\"income\",\"rule\":\"APPLICANT_GROUP_INCOME\",\"passed\":false,\"needed\":24600,"
		"\"held\":21000,\"unit\":\"kr/mån\",\"message\":\"Inkomst 24 600 kr/mån krävs, 21 000 kr/mån angiven\"},"
		"{\"type\":\"student\",\"rule\":\"APPLICANT_GROUP_REQUIRES_STUDENT\",\"passed\":true,"
		"\"message\":\"Studerande\"}]";
	struct hresp *r;
	json_t *checks, *c, *d;

	application(listing, applicant("Bo", "B"), 1, now_us(), "registered", 0, 0, screening, NULL, 0, now_us());
	r = list(co.admin_token, listing, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	checks = json_object_get(json_array_get(json_object_get(r->json, "results"), 0), "approval_checks");
	cr_assert_eq(json_array_size(checks), 2, "%s", r->body);
	c = json_array_get(checks, 0);
	expect_keys(c, check_keys);
	cr_assert_str_eq(jstr(c, "id"), "APPLICANT_GROUP_INCOME");
	cr_assert_eq(json_integer_value(json_object_get(c, "is_value")), 21000);
	cr_assert_eq(json_integer_value(json_object_get(c, "ought_value")), 24600);
	cr_assert_str_eq(jstr(c, "label"), "Inkomst 24 600 kr/mån krävs, 21 000 kr/mån angiven");
	cr_assert_str_eq(jstr(c, "status"), "failure");
	d = json_object_get(c, "details");
	cr_assert(json_is_null(json_object_get(d, "profile_id")), "%s", r->body);
	cr_assert_str_eq(jstr(d, "type"), "income");
	cr_assert_str_eq(jstr(d, "unit"), "kr/mån");
	/* a yes/no rule: 1 (holds) against 1 */
	c = json_array_get(checks, 1);
	cr_assert_str_eq(jstr(c, "id"), "APPLICANT_GROUP_REQUIRES_STUDENT");
	cr_assert_eq(json_integer_value(json_object_get(c, "is_value")), 1);
	cr_assert_eq(json_integer_value(json_object_get(c, "ought_value")), 1);
	cr_assert_str_eq(jstr(c, "status"), "success");
	cr_assert_str_eq(jstr(json_object_get(c, "details"), "unit"), "");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "results"), 0), "approval_status"), "rejected");
	hresp_free(r);
}

Test(landlord_applications, a_malformed_stored_screening_loses_only_its_checks)
{
	struct hresp *r;
	application(listing, applicant("Bo", "B"), 1, now_us(), "registered", 1, 0, "{not json", NULL, 0, now_us());
	r = list(co.admin_token, listing, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(r->json, "results"), 0),
						     "approval_checks")),
		     0);
	hresp_free(r);
}

static void set_mode(const char *mode)
{
	char p[512];
	struct hresp *r = reqf(h, "PATCH", pathf(p, "/api/v1/object_ad/%lld", (long long)listing), co.admin_token,
			       "{\"candidate_sorting_mode\": \"%s\"}", mode);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

Test(landlord_applications, order_of_each_sorting_mode_and_paging)
{
	long long t = now_us() - 1000000;
	/* points 10, 30, 30 (same instant: by id), 20, and one closed with the most points */
	int64_t a = registered(listing, applicant("A", "A"), 10, t, 1);
	int64_t b = registered(listing, applicant("B", "B"), 30, t + 20, 1);
	int64_t c = registered(listing, applicant("C", "C"), 30, t + 10, 0);
	int64_t d = registered(listing, applicant("D", "D"), 30, t + 10, 1);
	int64_t e = registered(listing, applicant("E", "E"), 20, t + 5, 1);
	const struct step gone[] = { { "registered", t + 50, "remove" } };
	int64_t x = application(listing, applicant("X", "X"), 99, t + 1, "removed", 1, t + 50, NULL, gone, 1, t + 50);
	char buf[256];
	struct hresp *r;

	set_mode("queue_points");
	snprintf(buf, sizeof(buf), "%lld %lld %lld %lld %lld", (long long)c, (long long)d, (long long)b, (long long)e,
		 (long long)a);
	expect_ids(co.admin_token, listing, NULL, 5, buf);
	r = list(co.admin_token, listing, NULL);
	cr_assert_str_eq(hresp_str(r, "candidate_sorting_mode"), "queue_points");
	hresp_free(r);
	snprintf(buf, sizeof(buf), "%lld %lld", (long long)d, (long long)b);
	expect_ids(co.admin_token, listing, "amount=2&offset=1", 5, buf);
	expect_ids(co.admin_token, listing, "amount=2&offset=5", 5, "");
	/* closed=true: the closed one after the open ones */
	snprintf(buf, sizeof(buf), "%lld %lld %lld %lld %lld %lld", (long long)c, (long long)d, (long long)b,
		 (long long)e, (long long)a, (long long)x);
	expect_ids(co.admin_token, listing, "closed=true&amount=100", 6, buf);
	r = list(co.admin_token, listing, "closed=true&offset=5");
	cr_assert_eq(r->status, 200, "%s", r->body);
	{
		json_t *it = json_array_get(json_object_get(r->json, "results"), 0);
		cr_assert(json_is_true(json_object_get(it, "removed")), "%s", r->body);
		cr_assert_str_eq(jstr(it, "state"), "removed");
		cr_assert(json_is_string(json_object_get(it, "closed")), "%s", r->body);
	}
	hresp_free(r);

	set_mode("first_come_first");
	snprintf(buf, sizeof(buf), "%lld %lld %lld %lld %lld", (long long)a, (long long)e, (long long)c, (long long)d,
		 (long long)b);
	expect_ids(co.admin_token, listing, NULL, 5, buf);
	snprintf(buf, sizeof(buf), "%lld %lld %lld %lld %lld %lld", (long long)a, (long long)e, (long long)c,
		 (long long)d, (long long)b, (long long)x);
	expect_ids(co.admin_token, listing, "closed=1&amount=10", 6, buf);

	/* random: in order of application until the lottery */
	set_mode("random");
	snprintf(buf, sizeof(buf), "%lld %lld %lld %lld %lld", (long long)a, (long long)e, (long long)c, (long long)d,
		 (long long)b);
	expect_ids(co.admin_token, listing, NULL, 5, buf);
	r = list(co.admin_token, listing, NULL);
	cr_assert_str_eq(hresp_str(r, "candidate_sorting_mode"), "random");
	hresp_free(r);
}

Test(landlord_applications, default_page_is_ten)
{
	struct hresp *r;
	for (int i = 0; i < 12; i++) {
		char first[16];
		snprintf(first, sizeof(first), "P%d", i);
		registered(listing, applicant(first, "Q"), i, now_us() + i, 1);
	}
	r = list(co.admin_token, listing, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 12);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 10);
	hresp_free(r);
	r = list(co.admin_token, listing, "offset=10");
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 2);
	hresp_free(r);
}

Test(landlord_applications, bad_paging_parameters)
{
	static const struct {
		const char *query, *field;
	} cases[] = {
		{ "amount=0", "amount" },        { "amount=1001", "amount" },   { "amount=ten", "amount" },
		{ "amount=", "amount" },         { "offset=-1", "offset" },     { "offset=100000001", "offset" },
		{ "offset=1.5", "offset" },      { "closed=maybe", "closed" },  { "closed=", "closed" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hresp *r = list(co.admin_token, listing, cases[i].query);
		expect_invalid(r, cases[i].field);
		hresp_free(r);
	}
}

/* ---- once the letting process has ranked ---- */

/*
 * The process's places (application_ranks) order the list whatever the points say; the
 * unranked (applied after the close, or never given a place) follow in the mode's order.
 * Each candidate's offer status, and the listing's process and ApplyStats with a rejected
 * reservation that counts as no "no".
 */
Test(landlord_applications, ranked_candidates_in_rank_order_with_offer_status)
{
	long long t = now_us() - 10000000;
	const struct step asked[] = { { "registered", t + 100, "offer" } };
	const struct step said_yes[] = { { "registered", t + 100, "offer" }, { "question", t + 200, "yes" } };
	const struct step said_no[] = { { "registered", t + 100, "offer" }, { "question", t + 200, "no" } };
	const struct step rejected[] = { { "registered", t + 100, "offer" }, { "question", t + 200, "yes" },
					 { "form", t + 300, "done" }, { "viewing", t + 400, "rejected" } };
	/* points: p1 10 (place 2), p2 90 (place 1), p3 50 (place 3), p4 70 (place 4), late 99 (no place) */
	int64_t p1 = application(listing, applicant("P", "One"), 10, t, "viewing", 1, 0, NULL, said_yes, 2, t + 200);
	int64_t p2 = application(listing, applicant("P", "Two"), 90, t + 1, "annulled", 1, t + 200, NULL, said_no, 2,
				 t + 200);
	int64_t p3 = application(listing, applicant("P", "Three"), 50, t + 2, "question", 1, 0, NULL, asked, 1, t + 100);
	int64_t p4 = application(listing, applicant("P", "Four"), 70, t + 3, "annulled", 1, t + 400, NULL, rejected, 4,
				 t + 400);
	int64_t late = registered(listing, applicant("P", "Late"), 99, t + 500, 1);
	long long reserved_at = t + 450;
	char buf[256];
	struct hresp *r;
	json_t *items, *proc;

	set_mode("queue_points");
	harness_sql(h, "INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant)"
		" SELECT listing_id, 2, id, 1 FROM applications WHERE id = %lld", (long long)p1);
	harness_sql(h, "INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant)"
		" SELECT listing_id, 1, id, 0 FROM applications WHERE id = %lld", (long long)p2);
	harness_sql(h, "INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant)"
		" SELECT listing_id, 3, id, 0 FROM applications WHERE id = %lld", (long long)p3);
	harness_sql(h, "INSERT INTO application_ranks(listing_id, rank, application_id, existing_tenant)"
		" SELECT listing_id, 4, id, 0 FROM applications WHERE id = %lld", (long long)p4);
	harness_sql(h, "UPDATE applications SET offered_at = %lld WHERE id = %lld", t + 100,
		(long long)p1);
	harness_sql(h, "UPDATE applications SET offered_at = %lld WHERE id = %lld", t + 100, (long long)p2);
	harness_sql(h, "UPDATE applications SET offered_at = %lld WHERE id = %lld", t + 100, (long long)p3);
	harness_sql(h, "UPDATE applications SET offered_at = %lld, rejection_reason = 5 WHERE id = %lld", t + 100,
		(long long)p4);
	harness_sql(h, "INSERT INTO listing_processes(listing_id, company_id, ranked_at, rule, ranked, offered_through,"
		" reserved_application_id, reserved_by, reserved_at) VALUES (%lld, %lld, %lld, 'queue_points', 4, 4, %lld,"
		" %lld, %lld)",
		(long long)listing, (long long)co.id, t + 50, (long long)p1, (long long)co.admin_id, reserved_at);

	/* open ones by place (p1 2, p3 3), then the unranked one; closed after them by place (p2 1, p4 4) */
	snprintf(buf, sizeof(buf), "%lld %lld %lld", (long long)p1, (long long)p3, (long long)late);
	expect_ids(co.admin_token, listing, NULL, 3, buf);
	snprintf(buf, sizeof(buf), "%lld %lld %lld %lld %lld", (long long)p1, (long long)p3, (long long)late,
		 (long long)p2, (long long)p4);
	expect_ids(co.admin_token, listing, "closed=true", 5, buf);

	r = list(co.admin_token, listing, "closed=true");
	cr_assert_eq(r->status, 200, "%s", r->body);
	items = json_object_get(r->json, "results");
	/* p1: said yes, reserved, an existing tenant */
	cr_assert_eq(jint(json_array_get(items, 0), "rank"), 2);
	cr_assert_str_eq(jstr(json_array_get(items, 0), "offer_status"), "yes");
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "reserved")), "%s", r->body);
	cr_assert(json_is_true(json_object_get(json_array_get(items, 0), "existing_tenant")), "%s", r->body);
	cr_assert(json_is_string(json_object_get(json_array_get(items, 0), "offered_at")), "%s", r->body);
	/* p3: asked */
	cr_assert_eq(jint(json_array_get(items, 1), "rank"), 3);
	cr_assert_str_eq(jstr(json_array_get(items, 1), "offer_status"), "pending");
	cr_assert(json_is_false(json_object_get(json_array_get(items, 1), "reserved")));
	/* late: no place, never offered */
	cr_assert(json_is_null(json_object_get(json_array_get(items, 2), "rank")), "%s", r->body);
	cr_assert(json_is_null(json_object_get(json_array_get(items, 2), "offer_status")), "%s", r->body);
	cr_assert(json_is_null(json_object_get(json_array_get(items, 2), "offered_at")), "%s", r->body);
	/* p2: said no */
	cr_assert_eq(jint(json_array_get(items, 3), "rank"), 1);
	cr_assert_str_eq(jstr(json_array_get(items, 3), "offer_status"), "no");
	cr_assert(json_is_null(json_object_get(json_array_get(items, 3), "rejection_reason")));
	/* p4: its reservation rejected: the reason, and no offer status */
	cr_assert_eq(jint(json_array_get(items, 4), "rank"), 4);
	cr_assert(json_is_null(json_object_get(json_array_get(items, 4), "offer_status")), "%s", r->body);
	cr_assert_eq(jint(json_array_get(items, 4), "rejection_reason"), 5);
	cr_assert_str_eq(jstr(json_array_get(items, 4), "state"), "annulled");

	proc = json_object_get(r->json, "process");
	expect_keys(proc, (const char *const[]){ "offered_through", "ranked", "ranked_at", "reserved_application",
						 "reserved_at", "rule", NULL });
	cr_assert_eq(jint(proc, "offered_through"), 4);
	cr_assert_eq(jint(proc, "ranked"), 4);
	cr_assert_eq(jint(proc, "reserved_application"), p1);
	cr_assert_str_eq(jstr(proc, "rule"), "queue_points");
	cr_assert(json_is_string(json_object_get(proc, "ranked_at")) && json_is_string(json_object_get(proc, "reserved_at")));
	/* open: p1, p3, late accepted; not offered: late; no: p2 only; pending: p3; yes: p1 */
	expect_stats(json_object_get(r->json, "current_stats"), (const long long[9]){ 3, 0, 0, 1, 0, 0, 1, 1, 1 });
	hresp_free(r);

	/* the listing detail counts the same */
	{
		char p[512];
		r = harness_auth(h, "GET", pathf(p, "/api/v1/object_ad/%lld/", (long long)listing), co.admin_token, NULL);
		cr_assert_eq(r->status, 200, "%s", r->body);
		expect_stats(json_object_get(json_object_get(r->json, "object_ad"), "current_stats"),
			     (const long long[9]){ 3, 0, 0, 1, 0, 0, 1, 1, 1 });
		hresp_free(r);
	}

	/* nobody reserved: reserved_application null, no candidate reserved */
	harness_sql(h, "UPDATE listing_processes SET reserved_application_id = NULL, reserved_by = NULL, reserved_at = NULL");
	r = list(co.admin_token, listing, NULL);
	proc = json_object_get(r->json, "process");
	cr_assert(json_is_null(json_object_get(proc, "reserved_application")), "%s", r->body);
	cr_assert(json_is_null(json_object_get(proc, "reserved_at")), "%s", r->body);
	cr_assert(json_is_false(json_object_get(json_array_get(json_object_get(r->json, "results"), 0), "reserved")));
	hresp_free(r);
}

/* ---- who may read ---- */

Test(landlord_applications, another_companys_listing_is_not_found)
{
	struct hresp *r;
	char buf[32];
	int64_t id = registered(other_listing, applicant("Ida", "I"), 5, now_us(), 1);
	r = list(co.admin_token, other_listing, NULL);
	expect_error(r, 404, "NotFound");
	cr_assert_null(strstr(r->body, "Ida"));
	hresp_free(r);
	/* and the owner sees it */
	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	expect_ids(other.admin_token, other_listing, NULL, 1, buf);
}

Test(landlord_applications, employee_outside_the_office_subtree)
{
	char syd[1024], root_employee[1024];
	int64_t sub_listing =
		make_listing(co.admin_token, make_apartment(co.admin_token, make_estate(co.admin_token, sub_office), "3101"),
			     req);
	struct hresp *r;
	char buf[32];

	fixture_employee(h, co.id, sub_office, "observer", "syd-observer", syd);
	fixture_employee(h, co.id, co.root_office, "observer", "root-observer", root_employee);
	int64_t id = registered(listing, applicant("Anna", "A"), 1, now_us(), 1);
	int64_t sub_id = registered(sub_listing, applicant("Bo", "B"), 1, now_us(), 1);
	/* the sub office's employee does not see the root office's listing */
	r = list(syd, listing, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* its own office's, yes, with the least right profile; the root office sees both */
	snprintf(buf, sizeof(buf), "%lld", (long long)sub_id);
	expect_ids(syd, sub_listing, NULL, 1, buf);
	expect_ids(root_employee, sub_listing, NULL, 1, buf);
	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	expect_ids(root_employee, listing, NULL, 1, buf);
}

Test(landlord_applications, unknown_listing)
{
	struct hresp *r = list(co.admin_token, 999999, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/object_ad/abc/applications/", co.admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
}

Test(landlord_applications, other_tokens_are_refused)
{
	char consumer[1024], auth[1200];
	const char *bearer[] = { auth, NULL };
	struct hresp *r;

	/* no token */
	r = list(NULL, listing, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	/* a consumer's landlord-style token */
	fixture_consumer(h, "consumer@example.se", consumer);
	r = list(consumer, listing, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	/* an applicant's token of the market dialect */
	r = harness_request(h, "POST", "/v2/applicants",
			    "{\"email\": \"anna@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Anna\","
			    " \"lastName\": \"Svensson\", \"personalNumber\": \"19900101-0017\", \"phone\": \"070-1234567\","
			    " \"income\": {\"gross\": 32000, \"source\": \"employment_permanent\"}, \"occupation\": \"employed\","
			    " \"household\": {\"adults\": 1, \"children\": 0}, \"accommodation\": {\"type\": \"sublet\"},"
			    " \"pets\": true, \"smoking\": false}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"anna@example.se\", \"key\": \"hemligt123\","
			    " \"codeChallenge\": \"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\","
			    " \"codeChallengeMethod\": \"S256\", \"returnAddress\": \"https://minasidor.example.se/signin\","
			    " \"nonce\": \"n\", \"state\": \"s\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		 json_string_value(json_object_get(json_object_get(r->json, "completed"), "accessToken")));
	hresp_free(r);
	{
		char p[512];
		r = harness_request_ex(h, "GET", pathf(p, "/api/v1/object_ad/%lld/applications/", (long long)listing),
				       NULL, NULL, 0, bearer);
	}
	expect_error(r, 401, "Unauthorized"); /* the landlord shape */
	hresp_free(r);
}

static long long nr_applications(void)
{
	char p[512];
	struct hresp *r = harness_request(h, "GET", pathf(p, "/v2/market/objects/%lld", (long long)listing), NULL);
	long long n;
	cr_assert_eq(r->status, 200, "%s", r->body);
	n = hresp_int(r, "nrApplications");
	hresp_free(r);
	return n;
}

/* ---- through the market dialect's apply ---- */

static struct hresp *bearer(const char *method, const char *target, const char *token, const char *body)
{
	char auth[1200];
	const char *headers[] = { auth, NULL };
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  headers);
}

/* Registers an applicant, signs in, joins the residential queue; the token into tok (1024 bytes). */
static void market_applicant(const char *email, const char *pnr, int income, char *tok)
{
	char body[1024];
	struct hresp *r;

	snprintf(body, sizeof(body),
		 "{\"email\": \"%s\", \"password\": \"hemligt123\", \"firstName\": \"Anna\","
		 " \"lastName\": \"Svensson\", \"personalNumber\": \"%s\", \"phone\": \"070-1234567\","
		 " \"income\": {\"gross\": %d, \"source\": \"employment_permanent\"}, \"occupation\": \"employed\","
		 " \"household\": {\"adults\": 1, \"children\": 0}, \"accommodation\": {\"type\": \"sublet\"},"
		 " \"pets\": false, \"smoking\": false}",
		 email, pnr, income);
	r = harness_request(h, "POST", "/v2/applicants", body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	snprintf(body, sizeof(body),
		 "{\"method\": \"password\", \"identifier\": \"%s\", \"key\": \"hemligt123\","
		 " \"codeChallenge\": \"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\", \"codeChallengeMethod\": \"S256\","
		 " \"returnAddress\": \"https://minasidor.example.se/signin\", \"nonce\": \"n\", \"state\": \"s\"}",
		 email);
	r = harness_request(h, "POST", "/v2/auth", body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	snprintf(tok, 1024, "%s", json_string_value(json_object_get(json_object_get(r->json, "completed"), "accessToken")));
	hresp_free(r);
	r = bearer("POST", "/v2/market/applicant/queues/residential", tok, "{\"command\": \"join\"}");
	cr_assert(r->status == 200 || r->status == 204, "%d %s", r->status, r->body);
	hresp_free(r);
}

static long long apply(const char *tok)
{
	char p[512];
	struct hresp *r = bearer("POST", pathf(p, "/v2/market/%lld/applications", (long long)listing), tok,
				 "{\"command\": {\"type\": \"apply\"}}");
	long long id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_string(json_array_get(json_object_get(r->json, "id"), 0)), "%s", r->body);
	id = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);
	return id;
}

Test(landlord_applications, through_the_apply_endpoint)
{
	/* an income check: three times the rent (6,747 kr) */
	static const long long counts[9] = { 1, 0, 1, 1, 0, 1, 0, 0, 0 };
	char anna[1024], bo[1024], buf[64], p[512];
	long long a, b;
	struct hresp *r;
	json_t *items, *check;

	harness_sql(h, "UPDATE requirement_profiles SET rent_factor = 3 WHERE id = %lld", (long long)req);
	market_applicant("anna@example.se", "19900101-0017", 32000, anna);
	market_applicant("bo@example.se", "19850505-0016", 15000, bo);
	a = apply(anna);
	b = apply(bo);
	snprintf(buf, sizeof(buf), "%lld %lld", a, b);
	expect_ids(co.admin_token, listing, NULL, 2, buf);
	r = list(co.admin_token, listing, NULL);
	items = json_object_get(r->json, "results");
	cr_assert_str_eq(jstr(json_array_get(items, 0), "approval_status"), "accepted", "%s", r->body);
	cr_assert_str_eq(jstr(json_array_get(items, 1), "approval_status"), "rejected", "%s", r->body);
	cr_assert_str_eq(jstr(json_array_get(items, 0), "state"), "registered");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(json_array_get(items, 0), "profiles"), 0), "email"),
			 "anna@example.se");
	check = json_array_get(json_object_get(json_array_get(items, 1), "approval_checks"), 0);
	cr_assert_str_eq(jstr(check, "id"), "APPLICANT_GROUP_INCOME", "%s", r->body);
	cr_assert_str_eq(jstr(check, "status"), "failure");
	cr_assert_eq(json_integer_value(json_object_get(check, "is_value")), 15000, "%s", r->body);
	cr_assert_eq(json_integer_value(json_object_get(check, "ought_value")), 3 * 6747, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", pathf(p, "/api/v1/object_ad/%lld/", (long long)listing), co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_stats(json_object_get(json_object_get(r->json, "object_ad"), "current_stats"), counts);
	hresp_free(r);
	cr_assert_eq(nr_applications(), 2);
}

/* ---- the market detail's nrApplications ---- */

Test(landlord_applications, market_detail_counts_open_applications_never_stale)
{
	int64_t a;
	const struct step gone[] = { { "registered", now_us(), "remove" } };

	cr_assert_eq(nr_applications(), 0);
	cr_assert_eq(nr_applications(), 0); /* kept now */
	a = registered(listing, applicant("Anna", "A"), 1, now_us(), 1);
	cr_assert_eq(nr_applications(), 1);
	registered(listing, applicant("Bo", "B"), 1, now_us(), 0);
	application(listing, applicant("Cid", "C"), 1, now_us() - 10, "removed", 1, now_us(), NULL, gone, 1, now_us());
	cr_assert_eq(nr_applications(), 2);
	/* a withdrawal: the same count as before it was applied for would be a kept rendering */
	harness_sql(h, "UPDATE applications SET state = 'removed', closed_at = %lld WHERE id = %lld", now_us(), (long long)a);
	cr_assert_eq(nr_applications(), 1);
	cr_assert_eq(nr_applications(), 1);
	/* a step that leaves it open (closed_at written, still NULL), and a deleted row (migration 0024's triggers) */
	harness_sql(h, "UPDATE applications SET state = 'question', closed_at = NULL WHERE closed_at IS NULL");
	cr_assert_eq(nr_applications(), 1);
	harness_sql(h, "DELETE FROM applications WHERE closed_at IS NULL");
	cr_assert_eq(nr_applications(), 0);
}
