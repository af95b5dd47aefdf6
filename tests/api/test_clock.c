/*
 * The test clock (`serve --test-clock`, dialects/system.c, docs/DECISIONS.md): off, there is no
 * /test-clock and nothing moves the server's time; on, POST /test-clock moves it forward (the
 * rules, the job queue and the store's record times alike), wakes the job workers, and a
 * deadline it passes is acted on: the letting process ranks and offers. Bad input is refused
 * and leaves the clock where it was.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "harness.h"
#include "market_common.h"

static struct harness *h;

static void test_clock_on(struct config *cfg)
{
	cfg->test_clock = 1;
}

static void setup_on(void) { h = harness_create_with(test_clock_on); }
static void setup_off(void) { h = harness_create(); }
static void teardown(void)
{
	harness_destroy(h);
	core_clock_set(0);
}

TestSuite(clock_off, .init = setup_off, .fini = teardown);
TestSuite(clock, .init = setup_on, .fini = teardown);

static struct hresp *advance(const char *body)
{
	return harness_request(h, "POST", "/test-clock", body);
}

/* The answer's "now" as Unix seconds. */
static int64_t answer_now(const struct hresp *r)
{
	const char *now = hresp_str(r, "now");
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	cr_assert(now, "%s", r->body);
	cr_assert(strptime(now, "%Y-%m-%dT%H:%M:%SZ", &tm), "%s", now);
	return (int64_t)timegm(&tm);
}

Test(clock_off, no_endpoint_and_no_advance)
{
	struct hresp *r = harness_request(h, "GET", "/test-clock", NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = advance("{\"advanceSeconds\": 86400}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(clock_advanced_us(), 0);
	cr_assert_leq(llabs((long long)(core_now() - (int64_t)time(NULL))), 2, "the real time");
}

Test(clock, reads_the_time)
{
	struct hresp *r = harness_request(h, "GET", "/test-clock", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_leq(llabs((long long)(answer_now(r) - (int64_t)time(NULL))), 2, "%s", r->body);
	cr_assert_eq(hresp_int(r, "advancedSeconds"), 0, "%s", r->body);
	hresp_free(r);
}

Test(clock, advances_forward_and_adds_up)
{
	struct hresp *r = advance("{\"advanceSeconds\": 86400}");
	int64_t real = (int64_t)time(NULL);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_leq(llabs((long long)(answer_now(r) - real - 86400)), 2, "%s", r->body);
	cr_assert_eq(hresp_int(r, "advancedSeconds"), 86400, "%s", r->body);
	cr_assert_leq(llabs((long long)(core_now() - real - 86400)), 2, "the rules' clock moved");
	hresp_free(r);
	r = advance("{\"advanceSeconds\": 3600}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "advancedSeconds"), 90000, "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "GET", "/test-clock", NULL);
	cr_assert_leq(llabs((long long)(answer_now(r) - (int64_t)time(NULL) - 90000)), 2, "%s", r->body);
	hresp_free(r);
}

static int woken;
static void count_wake(void *arg)
{
	(void)arg;
	woken++;
}

Test(clock, an_advance_wakes_the_job_workers)
{
	struct core *c = app_core(h->app);
	struct hresp *r;

	c->jobs_wake = count_wake;
	r = advance("{\"advanceSeconds\": 60}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(woken, 1);
	hresp_free(r);
	r = advance("{\"advanceSeconds\": -60}");
	cr_assert_eq(woken, 1, "a refused advance wakes nobody");
	hresp_free(r);
	c->jobs_wake = NULL;
}

Test(clock, bad_input_is_refused_and_moves_nothing)
{
	static const char *const bodies[] = {
		"{}", "{\"advanceSeconds\": 0}", "{\"advanceSeconds\": -3600}", "{\"advanceSeconds\": \"an hour\"}",
		"{\"advanceSeconds\": 1.5}", "{\"advanceSeconds\": null}", "{\"advanceSeconds\": 316224001}",
		"[3600]", "3600",
	};
	struct hresp *r;

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		r = advance(bodies[i]);
		cr_assert_eq(r->status, 412, "%s: %d %s", bodies[i], r->status, r->body);
		cr_assert_str_eq(hresp_str(r, "error"), "ValidationError", "%s: %s", bodies[i], r->body);
		hresp_free(r);
	}
	r = harness_request_ex(h, "POST", "/test-clock", "application/json", "{\"advanceSeconds\": ", 19, NULL);
	cr_assert(r->status >= 400 && r->status < 500, "a broken body: %d %s", r->status, r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/test-clock", NULL);
	cr_assert(r->status >= 400 && r->status < 500, "no body: %d %s", r->status, r->body);
	hresp_free(r);
	r = harness_request(h, "DELETE", "/test-clock", NULL);
	cr_assert_eq(r->status, 405, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(clock_advanced_us(), 0);
}

Test(clock, the_store_records_the_moved_time)
{
	struct hresp *r = advance("{\"advanceSeconds\": 864000}");
	char *at;
	time_t t;
	struct tm tm;
	char want[16];

	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(store_job_insert(h->store, "clock_test", STR_LIT("x"), core_now(), &(struct error){ 0 }), 0);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1); /* an unknown kind: failed for good, updated_at written */
	at = harness_sql_text(h, "SELECT updated_at FROM jobs WHERE kind = 'clock_test'");
	t = (time_t)core_now();
	gmtime_r(&t, &tm);
	strftime(want, sizeof(want), "%Y-%m-%d", &tm);
	cr_assert(strncmp(at, want, 10) == 0, "updated_at %s, the moved day %s", at, want);
	free(at);
}

/* The application's state (a state name is short). */
static const char *state_of(int64_t app)
{
	static char state[32];
	char *s = harness_sql_text(h, "SELECT state FROM applications WHERE id = %lld", (long long)app);
	snprintf(state, sizeof(state), "%s", s);
	free(s);
	return state;
}

/*
 * The letting process's deadline: a listing published now closes after the company's minimum up
 * time (24 hours); before, the close job is not due; an advance past it and the job runs, ranks
 * and offers (as the server's worker does once woken).
 */
Test(clock, a_deadline_passed_is_acted_on)
{
	struct fixture_company co;
	char body[768], tok[1024], pnr[16], target[128];
	int64_t estate, req, apt, ad, app;
	struct hresp *r;

	cr_assert_eq(server_register_job_kinds(), 0);
	fixture_company(h, "Acme", &co);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200, body);
	req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id",
			      (long long)co.id);
	harness_sql(h, "UPDATE companies SET minimum_up_time = 24 WHERE id = %lld", (long long)co.id);
	apt = market_apartment(h, co.admin_token, estate, "1301", 2, 50, 8000, 59.336, 18.064, "11143");
	ad = market_listing(h, co.admin_token, apt, req, "");
	market_personal_number("19900101", 1, pnr);
	snprintf(body, sizeof(body),
		 "{\"email\": \"anna@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Anna\","
		 " \"lastName\": \"Q\", \"personalNumber\": \"%s\", \"income\": {\"gross\": 40000,"
		 " \"source\": \"employment_permanent\"}, \"household\": {\"adults\": 1, \"children\": 0},"
		 " \"accommodation\": {\"type\": \"sublet\"}}",
		 pnr);
	market_register(h, body);
	market_sign_in(h, "anna@example.se", "hemligt123", tok);
	market_join(h, tok, "residential");
	r = market_bearer(h, "POST", pathf(target, "/v2/market/%lld/applications", (long long)ad), tok,
			  "{\"command\": {\"type\": \"apply\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	app = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);

	market_run_jobs(h); /* whatever is due now (not the close) */
	r = advance("{\"advanceSeconds\": 82800}"); /* 23 hours: not yet */
	hresp_free(r);
	cr_assert_eq(market_run_jobs(h), 0, "no deadline has passed");
	cr_assert_str_eq(state_of(app), "registered");
	r = advance("{\"advanceSeconds\": 3660}"); /* past the deadline */
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	cr_assert_gt(market_run_jobs(h), 0, "the close job came due");
	cr_assert_str_eq(state_of(app), "question", "ranked and offered");
}

/* Off by default; on only by the bare flag on the command line: no value, no environment variable. */
Test(clock_off, the_flag)
{
	struct config c;
	char msg[256];
	const char *on[] = { "serve", "--test-clock" };
	const char *with_value[] = { "serve", "--test-clock=on" };
	const char *prefix[] = { "serve", "--portal-prefix", "/test-clock" };

	config_defaults(&c);
	cr_assert_eq(c.test_clock, 0);
	cr_assert_eq(setenv("RENTD_TEST_CLOCK", "on", 1), 0);
	cr_assert_eq(config_from_env(&c, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(c.test_clock, 0, "no environment variable turns it on");
	unsetenv("RENTD_TEST_CLOCK");
	cr_assert_eq(config_from_args(&c, 2, (char **)on, 1, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(c.test_clock, 1);
	config_defaults(&c);
	cr_assert_eq(config_from_args(&c, 2, (char **)with_value, 1, msg, sizeof(msg)), -1);
	cr_assert_eq(c.test_clock, 0);
	cr_assert_eq(config_from_args(&c, 3, (char **)prefix, 1, msg, sizeof(msg)), -1, "the portal cannot shadow it");
}
