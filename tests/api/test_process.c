/*
 * test_process.c — the letting process's engine (core/market/process.h) through the market
 * API: ranking at the deadline by each candidate_sorting_mode, offers to the first
 * batch_size approved candidates, yes / no / done / a late answer, the next candidate
 * offered, existing tenants first, a withdrawn listing cancelling its applications, and the
 * races: two commands with one etag, the deadline job run twice at once.
 *
 * The clock is the one rules use (core_clock_set): deadlines pass by moving it, and the
 * jobs they queued run with jobs_run_one(), as a worker would run them.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/market/process.h"
#include "jobs/jobs.h"
#include "market_common.h"

static struct harness *h;
static struct fixture_company co;
static int64_t estate, req_income;
static int people;

/*
 * Listings are published at T - 24 h, so their applications close at T (2027-01-14 12:00
 * UTC: the company's minimum up time is 24 hours); the tests apply an hour before T.
 */
#define T 1799928000LL
#define US 1000000LL

static void setup(void)
{
	char body[256];

	core_clock_set((T - 86400) * US); /* before the fixtures: their tokens are issued on this clock */
	h = harness_create();
	cr_assert_eq(server_register_job_kinds(), 0);
	fixture_company(h, "Acme", &co);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200, body);
	/* income at least 3 × rent */
	req_income = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, rent_factor)"
				       " VALUES (%lld, 'Inkomst', 3) RETURNING id", (long long)co.id);
}

static void teardown(void)
{
	core_clock_set(0);
	harness_destroy(h);
}

TestSuite(process, .init = setup, .fini = teardown);

/* ---- fixtures ---- */


/* A listing (rent 8000) published at T - 24 h, closing at T, offering to batch at a time by mode. */
static int64_t listing(const char *mode, int batch, const char *extra)
{
	char nid[16], more[256];
	int64_t apt, id;
	snprintf(nid, sizeof(nid), "%d", 1301 + people++);
	snprintf(more, sizeof(more), ", \"candidate_sorting_mode\": \"%s\"%s", mode, extra);
	core_clock_set((T - 86400) * US);
	apt = market_apartment(h, co.admin_token, estate, nid, 2, 50, 8000, 59.336, 18.064, "11143");
	id = market_listing(h, co.admin_token, apt, req_income, more);
	cr_assert_eq(harness_sql_int(h, "SELECT start_processing_at FROM object_ads WHERE id = %lld", (long long)id), T);
	harness_sql(h, "UPDATE object_ads SET batch_size = %d, offer_min_response_time = 48 WHERE id = %lld", batch,
		       (long long)id);
	core_clock_set((T - 3600) * US);
	return id;
}

/* An applicant in the residential queue for days with a gross income; tok (1024 bytes). */
static int64_t applicant(int income, int days, char *tok)
{
	char body[768], email[64], pnr[16];
	struct hresp *r;
	int64_t id;

	snprintf(email, sizeof(email), "p%d@example.se", people++);
	market_personal_number("19900101", people, pnr);
	snprintf(body, sizeof(body),
		 "{\"email\": \"%s\", \"password\": \"hemligt123\", \"firstName\": \"P%d\", \"lastName\": \"Q\","
		 " \"personalNumber\": \"%s\", \"income\": {\"gross\": %d, \"source\": \"employment_permanent\"},"
		 " \"household\": {\"adults\": 1, \"children\": 0}, \"accommodation\": {\"type\": \"sublet\"}}",
		 email, people, pnr, income);
	market_register(h, body);
	market_sign_in(h, email, "hemligt123", tok);
	market_join(h, tok, "residential");
	r = market_bearer(h, "GET", "/v2/market/applicant/profile", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(hresp_str(r, "id"));
	hresp_free(r);
	harness_sql(h, "UPDATE queue_memberships SET joined_at = joined_at - %d WHERE user_id = %lld", days * 86400,
		       (long long)id);
	return id;
}

static int64_t apply(const char *tok, int64_t ad)
{
	char target[128];
	struct hresp *r;
	int64_t id;
	snprintf(target, sizeof(target), "/v2/market/%lld/applications", (long long)ad);
	r = market_bearer(h, "POST", target, tok, "{\"command\": {\"type\": \"apply\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);
	return id;
}

/* GET #4's application (the caller frees *r). */
static json_t *application(const char *tok, int64_t id, struct hresp **r)
{
	char target[128];
	snprintf(target, sizeof(target), "/v2/market/applications/%lld", (long long)id);
	*r = market_bearer(h, "GET", target, tok, NULL);
	cr_assert_eq((*r)->status, 200, "%s", (*r)->body);
	return json_object_get((*r)->json, "application");
}

/* The application's presentation type ("" when none) and etag (16 bytes each). */
static void look(const char *tok, int64_t id, char *type, char *etag)
{
	struct hresp *r;
	json_t *app = application(tok, id, &r), *p = json_object_get(app, "presentation");
	snprintf(type, 16, "%s", p && jstr(p, "type") ? jstr(p, "type") : "");
	snprintf(etag, 16, "%s", jstr(app, "etag"));
	hresp_free(r);
}

static const char *type_of(const char *tok, int64_t id)
{
	static char type[16];
	char etag[16];
	look(tok, id, type, etag);
	return type;
}

static struct hresp *command(const char *tok, int64_t ad, int64_t id, const char *etag, const char *cmd)
{
	char target[128], body[256];
	snprintf(target, sizeof(target), "/v2/market/%lld/applications/%lld", (long long)ad, (long long)id);
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"%s\"}}", etag, cmd);
	return market_bearer(h, "POST", target, tok, body);
}

static void answer(const char *tok, int64_t ad, int64_t id, const char *cmd)
{
	char type[16], etag[16];
	struct hresp *r;
	look(tok, id, type, etag);
	r = command(tok, ad, id, etag, cmd);
	cr_assert_eq(r->status, 200, "%s: %s", cmd, r->body);
	hresp_free(r);
}

static long long rank_of(int64_t app)
{
	return harness_sql_int(h, "SELECT COALESCE((SELECT rank FROM application_ranks WHERE application_id = %lld), 0)", (long long)app);
}

/* ---- ranking and offers ---- */

Test(process, nothing_happens_before_the_deadline)
{
	char tok[1024];
	int64_t ad = listing("queue_points", 2, ""), app;
	applicant(40000, 100, tok);
	app = apply(tok, ad);
	market_run_jobs(h);
	cr_assert_eq(rank_of(app), 0);
	cr_assert_str_eq(type_of(tok, app), "");
}

Test(process, queue_points_rank_and_the_first_approved_are_offered)
{
	char t1[1024], t2[1024], t3[1024], t4[1024];
	int64_t ad = listing("queue_points", 2, ""), a1, a2, a3, a4;

	applicant(40000, 100, t1);
	applicant(40000, 300, t2);
	applicant(10000, 500, t3); /* most points, but 10,000 < 3 × 8,000: screening fails */
	applicant(40000, 200, t4);
	a1 = apply(t1, ad);
	a2 = apply(t2, ad);
	a3 = apply(t3, ad);
	a4 = apply(t4, ad);
	core_clock_set((T + 60) * US);
	cr_assert_gt(market_run_jobs(h), 0);
	cr_assert_eq(rank_of(a3), 1);
	cr_assert_eq(rank_of(a2), 2);
	cr_assert_eq(rank_of(a4), 3);
	cr_assert_eq(rank_of(a1), 4);
	/* batch 2: places 2 and 3 (place 1 failed screening) */
	cr_assert_str_eq(type_of(t2, a2), "questionYesNo");
	cr_assert_str_eq(type_of(t4, a4), "questionYesNo");
	cr_assert_str_eq(type_of(t3, a3), "");
	cr_assert_str_eq(type_of(t1, a1), "");
	/* an offer e-mail each */
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM notifications WHERE kind = 'letting_offer'"), 2);
}

Test(process, first_come_first_ranks_by_apply_time)
{
	char t1[1024], t2[1024];
	int64_t ad = listing("first_come_first", 1, ""), a1, a2;
	applicant(40000, 10, t1);
	applicant(40000, 900, t2);
	a1 = apply(t1, ad);
	core_clock_set((T - 1800) * US);
	a2 = apply(t2, ad);
	core_clock_set((T + 1) * US);
	market_run_jobs(h);
	cr_assert_eq(rank_of(a1), 1);
	cr_assert_eq(rank_of(a2), 2);
	cr_assert_str_eq(type_of(t1, a1), "questionYesNo");
}

Test(process, random_ranks_by_the_lottery_draw)
{
	char t[3][1024];
	int64_t ad = listing("random", 3, ""), apps[3];
	for (int i = 0; i < 3; i++) {
		applicant(40000, 10 * i, t[i]);
		apps[i] = apply(t[i], ad);
	}
	core_clock_set((T + 1) * US);
	market_run_jobs(h);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM lottery_draws WHERE listing_id = %lld AND drawn_at IS NOT NULL", (long long)ad), 1);
	/* the places are the draw's order: place k has the k-th smallest ticket (test_lottery recomputes it) */
	cr_assert_eq(rank_of(apps[0]) + rank_of(apps[1]) + rank_of(apps[2]), 6);
	for (int i = 0; i < 3; i++)
		cr_assert_str_eq(type_of(t[i], apps[i]), "questionYesNo");
}

Test(process, existing_tenants_first_when_the_listing_says_so)
{
	char t1[1024], t2[1024];
	int64_t ad = listing("queue_points", 1, ", \"prioritize_customers\": true"), a1, a2, u2;
	applicant(40000, 900, t1);
	u2 = applicant(40000, 1, t2);
	harness_sql(h, "INSERT INTO existing_tenants(company_id, ssn) SELECT %lld, personal_number FROM users"
		       " WHERE id = %lld", (long long)co.id, (long long)u2);
	harness_sql(h, "UPDATE object_ads SET prioritize_existing_tenants = 1 WHERE id = %lld", (long long)ad);
	a1 = apply(t1, ad);
	a2 = apply(t2, ad);
	core_clock_set((T + 1) * US);
	market_run_jobs(h);
	cr_assert_eq(rank_of(a2), 1);
	cr_assert_eq(rank_of(a1), 2);
	cr_assert_eq(harness_sql_int(h, "SELECT existing_tenant FROM application_ranks WHERE application_id = %lld", (long long)a2), 1);
}

Test(process, a_quick_apply_listing_offers_everyone_in_place_order)
{
	char t1[1024], t2[1024];
	int64_t ad = listing("queue_points", 2, ""), a1, a2;
	harness_sql(h, "UPDATE object_ads SET is_quick_apply = 1 WHERE id = %lld", (long long)ad);
	applicant(10000, 500, t1); /* fails screening */
	applicant(40000, 100, t2);
	a1 = apply(t1, ad);
	a2 = apply(t2, ad);
	core_clock_set((T + 1) * US);
	market_run_jobs(h);
	cr_assert_str_eq(type_of(t1, a1), "questionYesNo");
	cr_assert_str_eq(type_of(t2, a2), "questionYesNo");
}

/* ---- answers ---- */

Test(process, yes_done_no_and_late_move_the_offers_on)
{
	char t1[1024], t2[1024], t3[1024], t4[1024], type[16], etag[16];
	int64_t ad = listing("queue_points", 2, ""), a1, a2, a3, a4, u3, u4;
	struct hresp *r;

	applicant(40000, 400, t1);
	applicant(40000, 300, t2);
	u3 = applicant(40000, 200, t3);
	u4 = applicant(40000, 100, t4);
	a1 = apply(t1, ad);
	a2 = apply(t2, ad);
	a3 = apply(t3, ad);
	a4 = apply(t4, ad);
	core_clock_set((T + 60) * US);
	market_run_jobs(h);

	/* a stale etag is 409, and changes nothing */
	look(t1, a1, type, etag);
	r = command(t1, ad, a1, "999999", "yes");
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);
	cr_assert_str_eq(type_of(t1, a1), "questionYesNo");
	/* yes → form; done → viewing */
	answer(t1, ad, a1, "yes");
	cr_assert_str_eq(type_of(t1, a1), "form");
	r = command(t1, ad, a1, etag, "done"); /* the question's etag is stale now */
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);
	answer(t1, ad, a1, "done");
	cr_assert_str_eq(type_of(t1, a1), "viewingInfo");
	/* no → annulled, place 3 offered */
	answer(t2, ad, a2, "no");
	cr_assert_str_eq(type_of(t2, a2), "annulled");
	cr_assert_str_eq(type_of(t3, a3), "questionYesNo");
	cr_assert_str_eq(type_of(t4, a4), "");
	/* place 3 does not answer within 48 hours: annulled, place 4 offered */
	core_clock_set((T + 60 + 47 * 3600) * US);
	market_run_jobs(h);
	market_reissue(h, u3, t3);
	cr_assert_str_eq(type_of(t3, a3), "questionYesNo");
	core_clock_set((T + 60 + 48 * 3600 + 1) * US);
	market_run_jobs(h);
	market_reissue(h, u3, t3);
	market_reissue(h, u4, t4);
	cr_assert_str_eq(type_of(t3, a3), "annulled");
	{
		struct hresp *g;
		json_t *app = application(t3, a3, &g);
		cr_assert_str_eq(jstr(app, "statusDisplayName"), "Ej svarat i tid", "%s", g->body);
		hresp_free(g);
	}
	cr_assert_str_eq(type_of(t4, a4), "questionYesNo");
	cr_assert_eq(harness_sql_int(h, "SELECT offered_through FROM listing_processes WHERE listing_id = %lld", (long long)ad), 4);
}

Test(process, a_command_the_state_does_not_offer_is_400)
{
	char t1[1024], type[16], etag[16];
	int64_t ad = listing("queue_points", 1, ""), a1;
	struct hresp *r;
	applicant(40000, 400, t1);
	a1 = apply(t1, ad);
	look(t1, a1, type, etag);
	r = command(t1, ad, a1, etag, "yes"); /* registered offers only remove */
	expect_market(r, 400, NULL, "command.type");
	hresp_free(r);
}

Test(process, a_withdrawn_listing_cancels_its_applications)
{
	char t1[1024], target[64];
	int64_t ad = listing("queue_points", 1, ""), a1;
	struct hresp *r;
	applicant(40000, 400, t1);
	a1 = apply(t1, ad);
	r = harness_auth(h, "DELETE", pathf(target, "/api/v1/object_ad/%lld/", (long long)ad), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	market_run_jobs(h);
	cr_assert_str_eq(type_of(t1, a1), "cancelled");
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM notifications WHERE kind = 'letting_cancelled'"), 1);
}

/* ---- races ---- */

struct racer {
	const char *tok;
	int64_t ad, id;
	char etag[16];
	const char *cmd;
	int status;
};

static void *race_command(void *arg)
{
	struct racer *x = arg;
	struct hresp *r = command(x->tok, x->ad, x->id, x->etag, x->cmd);
	x->status = r->status;
	hresp_free(r);
	return NULL;
}

Test(process, two_commands_with_one_etag_exactly_one_wins)
{
	char t1[1024], type[16], etag[16];
	int64_t ad = listing("queue_points", 1, ""), a1;
	struct racer x[2];
	pthread_t th[2];

	applicant(40000, 400, t1);
	a1 = apply(t1, ad);
	core_clock_set((T + 1) * US);
	market_run_jobs(h);
	look(t1, a1, type, etag);
	for (int i = 0; i < 2; i++) {
		x[i] = (struct racer){ .tok = t1, .ad = ad, .id = a1, .cmd = i ? "no" : "yes" };
		snprintf(x[i].etag, sizeof(x[i].etag), "%s", etag);
		pthread_create(&th[i], NULL, race_command, &x[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	cr_assert((x[0].status == 200 && x[1].status == 409) || (x[0].status == 409 && x[1].status == 200),
		  "%d %d", x[0].status, x[1].status);
	cr_assert_str_eq(type_of(t1, a1), x[0].status == 200 ? "form" : "annulled");
	/* one step answered from that etag */
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM application_steps WHERE application_id = %lld AND answer IS NOT NULL"
			    " AND answer IN ('yes', 'no')", (long long)a1), 1);
}

struct closer {
	int64_t ad;
	bool ranked;
	int rc;
};

static void *race_close(void *arg)
{
	struct closer *x = arg;
	struct arena *a = arena_create(4096);
	struct error err;
	error_init(&err, a);
	x->rc = process_close(app_core(h->app), a, x->ad, &x->ranked, &err);
	arena_destroy(a);
	return NULL;
}

Test(process, the_deadline_run_twice_at_once_ranks_once)
{
	char t[4][1024];
	int64_t ad = listing("queue_points", 2, "");
	struct closer x[2] = { { .ad = ad }, { .ad = ad } };
	pthread_t th[2];

	for (int i = 0; i < 4; i++) {
		applicant(40000, 100 * (i + 1), t[i]);
		apply(t[i], ad);
	}
	core_clock_set((T + 1) * US);
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, race_close, &x[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	cr_assert_eq(x[0].rc, 0);
	cr_assert_eq(x[1].rc, 0);
	cr_assert(x[0].ranked != x[1].ranked, "exactly one ranked: %d %d", x[0].ranked, x[1].ranked);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM applications WHERE listing_id = %lld AND state = 'question'", (long long)ad), 2);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(DISTINCT rank) FROM application_ranks WHERE listing_id = %lld", (long long)ad), 4);
	/* and the queued job finds it ranked */
	market_run_jobs(h);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM applications WHERE listing_id = %lld AND state = 'question'", (long long)ad), 2);
}

Test(process, a_place_goes_with_its_application)
{
	char t1[1024], t2[1024];
	int64_t ad = listing("queue_points", 1, ""), a1, a2, u1;
	u1 = applicant(40000, 400, t1);
	applicant(40000, 300, t2);
	a1 = apply(t1, ad);
	a2 = apply(t2, ad);
	core_clock_set((T + 1) * US);
	market_run_jobs(h);
	cr_assert_eq(rank_of(a1), 1);
	/* the applicant's account erased: the application goes (ON DELETE CASCADE), and its place with it */
	harness_sql(h, "DELETE FROM users WHERE id = %lld", (long long)u1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM applications WHERE id = %lld", (long long)a1), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM application_ranks WHERE application_id = %lld", (long long)a1), 0);
	cr_assert_eq(rank_of(a2), 2);
}
