/*
 * The letting process in the market dialect (issue 15; momentum.md A.5, A.6.3, A.7, A.8;
 * decisions.md M-04, M-08, M-16, M-17, M-18, M-27, M-28; docs/API.md "The letting process",
 * "Why this place"): each presentation rendered from a state the engine reached (the test
 * clock moved past the deadlines, the jobs run by hand) — questionYesNo, form with its
 * elements, viewingInfo, signing, contractSigned, completed, annulled (no, too late),
 * cancelled, removed, lock — on #1 (F1 dates) and #3/#4/#5 (F2), history steps with their
 * answers, execution true while a passed deadline's job has not run, the done command's data
 * saved to the profile, a stale etag (409) and every bad body (400 naming the member),
 * placeSorted from the rank and the numbers of placeExplanation, a landlord's rejection
 * reason on the annulled step, and a lottery's places explained by the tickets.
 */
#include <regex.h>
#include <time.h>

#include "core/core.h"
#include "core/identity/auth.h"
#include "core/market/process.h"
#include "jobs/jobs.h"
#include "market_common.h"

static struct harness *h;
static struct fixture_company co;
static int64_t estate, req_std, obj;
static int64_t t0; /* the test's "now" when applying (seconds) */
static char anna[1024], bo[1024], cia[1024], dan[1024];
static int64_t app_anna, app_bo, app_cia, app_dan;

#define HOUR 3600LL

static void person(const char *email, char *tok)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"email\": \"%s\", \"password\": \"hemligt123\", \"firstName\": \"P\", \"lastName\": \"Q\","
		 " \"personalNumber\": \"19900101-0017\", \"birthDate\": \"1990-01-01\"}",
		 email);
	market_register(h, body);
	market_sign_in(h, email, "hemligt123", tok);
	market_join(h, tok, "residential");
}

static int64_t user_id(const char *tok)
{
	struct hresp *r = market_bearer(h, "GET", "/v2/market/applicant/profile", tok, NULL);
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(hresp_str(r, "id"));
	hresp_free(r);
	return id;
}

/* The applicant's points in the housing queue: the membership moved days back. */
static void points(const char *tok, int days)
{
	harness_sql(h, "UPDATE queue_memberships SET joined_at = joined_at - %d WHERE user_id = %lld"
		       " AND queue_type = 'residential' AND left_at IS NULL",
		       days * 86400, (long long)user_id(tok));
}

static int64_t apply(const char *tok)
{
	char p[256];
	struct hresp *r = market_bearer(h, "POST", pathf(p, "/v2/market/%lld/applications", (long long)obj), tok,
					"{\"command\": {\"type\": \"apply\"}}");
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);
	return id;
}

/*
 * Acme's listing on Kungsgatan (queue points, two offers at a time, 48 hours to answer),
 * whose applications close an hour after t0; Anna (300 points), Bo (200), Cia (100) and Dan
 * (50) have applied. The clock is fixed at t0.
 */
static void setup(void)
{
	char body[256];
	int64_t apt;

	t0 = (int64_t)time(NULL) / 60 * 60;
	core_clock_set(t0 * 1000000);
	h = harness_create();
	fixture_company(h, "Acme", &co);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200, body);
	req_std = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id",
				 (long long)co.id);
	apt = market_apartment(h, co.admin_token, estate, "1301", 2, 55, 8000, 59.3360, 18.0640, "11143");
	obj = market_listing(h, co.admin_token, apt, req_std, ", \"access_date\": \"2027-03-01\"");
	harness_sql(h, "UPDATE object_ads SET start_processing_at = %lld, candidate_sorting_mode = 'queue_points',"
		       " batch_size = 2, offer_min_response_time = 48 WHERE id = %lld",
		       (long long)(t0 + HOUR), (long long)obj);
	person("anna@example.se", anna);
	person("bo@example.se", bo);
	person("cia@example.se", cia);
	person("dan@example.se", dan);
	points(anna, 300);
	points(bo, 200);
	points(cia, 100);
	points(dan, 50);
	app_anna = apply(anna);
	app_bo = apply(bo);
	app_cia = apply(cia);
	app_dan = apply(dan);
}

static void teardown(void)
{
	harness_destroy(h);
	core_clock_set(0);
}

TestSuite(market_process, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static struct core *core(void)
{
	return app_core(h->app);
}

/* Moves the clock to t0 + secs. */
static void clock_at(int64_t secs)
{
	core_clock_set((t0 + secs) * 1000000);
}

/* The applications close: the clock past the deadline, the close job's work run by hand. */
static void close_applications(void)
{
	struct arena *a = arena_create(64 * 1024);
	struct error err;
	bool ranked;

	error_init(&err, a);
	clock_at(HOUR + 60);
	cr_assert_eq(process_close(core(), a, obj, &ranked, &err), 0, "%s", err.message);
	cr_assert(ranked);
	arena_destroy(a);
}

/* GET /v2/market/applications/{id}: the application (r kept in *out for freeing). */
static json_t *get_app(const char *tok, int64_t id, struct hresp **out)
{
	char p[256];
	struct hresp *r = market_bearer(h, "GET", pathf(p, "/v2/market/applications/%lld", (long long)id), tok, NULL);
	json_t *app;
	cr_assert_eq(r->status, 200, "%s", r->body);
	app = json_object_get(r->json, "application");
	cr_assert(json_is_object(app), "%s", r->body);
	*out = r;
	return app;
}

/* The application's current etag. */
static char *etag_of(const char *tok, int64_t id)
{
	static char buf[32];
	struct hresp *r;
	json_t *app = get_app(tok, id, &r);
	snprintf(buf, sizeof(buf), "%s", jstr(app, "etag"));
	hresp_free(r);
	return buf;
}

static struct hresp *command_body(const char *tok, int64_t id, const char *body)
{
	char p[256];
	return market_bearer(h, "POST", pathf(p, "/v2/market/%lld/applications/%lld", (long long)obj, (long long)id),
			     tok, body);
}

/* Posts a command with the current etag; 200 expected; data: the command's data member or NULL. */
static struct hresp *command(const char *tok, int64_t id, const char *type, const char *data)
{
	char body[1024];
	struct hresp *r;
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"%s\"%s%s}}", etag_of(tok, id), type,
		 data ? ", \"data\": " : "", data ? data : "");
	r = command_body(tok, id, body);
	cr_assert_eq(r->status, 200, "%s %s: %s", type, body, r->body);
	cr_assert(json_is_object(json_object_get(r->json, "application")), "%s", r->body);
	return r;
}

static void command_ok(const char *tok, int64_t id, const char *type, const char *data)
{
	hresp_free(command(tok, id, type, data));
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

static json_t *presentation(json_t *app, const char *type)
{
	json_t *p = json_object_get(app, "presentation");
	cr_assert(json_is_object(p), "no presentation");
	cr_assert_str_eq(jstr(p, "type"), type);
	cr_assert(json_is_boolean(json_object_get(p, "execution")), "execution is a boolean (M-04)");
	cr_assert(json_is_object(json_object_get(p, "data")));
	return json_object_get(p, "data");
}

static bool executing(json_t *app)
{
	return json_is_true(json_object_get(json_object_get(app, "presentation"), "execution"));
}

/* The commands offered, "a,b". */
static const char *commands_of(json_t *app)
{
	static char buf[128];
	json_t *cmds = json_object_get(app, "commands"), *c;
	size_t i, len = 0;
	buf[0] = '\0';
	json_array_foreach (cmds, i, c)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "," : "", jstr(c, "command"));
	return buf;
}

/* The newest history step. */
static json_t *last_step(json_t *app)
{
	json_t *steps = json_object_get(json_object_get(app, "history"), "steps");
	cr_assert(json_array_size(steps) > 0, "no history");
	return json_array_get(steps, 0);
}

/* Every member of o is one of keys (NULL-terminated): nothing but the seed's members. */
static void only_keys(json_t *o, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach (o, k, v) {
		bool known = false;
		for (size_t i = 0; keys[i]; i++)
			known = known || !strcmp(k, keys[i]);
		cr_assert(known, "unexpected member %s", k);
	}
}

static void expect_error_member(const struct hresp *r, const char *code, const char *field)
{
	expect_market(r, 400, code, field);
}

/* ---- before the deadline ---- */

Test(market_process, registered_before_the_deadline_has_a_live_place_and_an_explanation)
{
	struct hresp *r;
	json_t *app = get_app(cia, app_cia, &r), *ex = json_object_get(app, "placeExplanation"), *own;

	cr_assert_null(json_object_get(app, "presentation"), "%s", r->body);
	cr_assert_str_eq(commands_of(app), "remove");
	cr_assert_str_eq(jstr(app, "placeSorted"), "3", "%s", r->body);
	cr_assert(json_is_object(ex), "%s", r->body);
	cr_assert_str_eq(jstr(ex, "rule"), "queue_points");
	cr_assert(json_is_false(json_object_get(ex, "ranked")), "%s", r->body);
	cr_assert_eq(jint(ex, "offeredThrough"), 0, "%s", r->body);
	cr_assert_null(json_object_get(ex, "lastOffered"), "no offer yet: %s", r->body);
	own = json_object_get(ex, "own");
	cr_assert_eq(jint(own, "points"), 100, "%s", r->body);
	cr_assert(matches(jstr(own, "appliedAt"), RE_F2), "%s", r->body);
	cr_assert(jstr(ex, "text") && *jstr(ex, "text"), "%s", r->body);
	hresp_free(r);
}

/* ---- the offer ---- */

Test(market_process, the_offer_is_a_question_with_f2_dates_and_f1_on_the_status)
{
	static const char *const keys[] = { "question", "created", "answerBefore", NULL };
	char p[256];
	struct hresp *r, *s;
	json_t *app, *data, *sapp;

	close_applications();
	app = get_app(anna, app_anna, &r);
	data = presentation(app, "questionYesNo");
	only_keys(data, keys);
	cr_assert(jstr(data, "question") && *jstr(data, "question"), "%s", r->body);
	cr_assert(matches(jstr(data, "created"), RE_F2), "%s", r->body);
	cr_assert(matches(jstr(data, "answerBefore"), RE_F2), "%s", r->body);
	cr_assert(!executing(app), "%s", r->body);
	cr_assert(json_is_true(json_object_get(app, "active")), "%s", r->body);
	cr_assert_str_eq(commands_of(app), "yes,no", "%s", r->body);
	cr_assert_str_eq(jstr(app, "placeSorted"), "1", "the rank: %s", r->body);
	hresp_free(r);

	/* the status shows the same step in F1 with the offset (M-08) */
	s = market_bearer(h, "GET", pathf(p, "/v2/market/objects/%lld/status", (long long)obj), anna, NULL);
	cr_assert_eq(s->status, 200, "%s", s->body);
	sapp = json_array_get(json_object_get(s->json, "applications"), 0);
	data = presentation(sapp, "questionYesNo");
	cr_assert(matches(jstr(data, "created"), RE_F1), "%s", s->body);
	cr_assert(matches(jstr(data, "answerBefore"), RE_F1), "%s", s->body);
	cr_assert_str_eq(commands_of(sapp), "yes,no", "%s", s->body);
	hresp_free(s);

	/* Cia (place 3) is not offered yet: registered, with the rank as place */
	app = get_app(cia, app_cia, &r);
	cr_assert_null(json_object_get(app, "presentation"), "%s", r->body);
	cr_assert_str_eq(jstr(app, "placeSorted"), "3", "%s", r->body);
	hresp_free(r);
}

Test(market_process, yes_gives_the_form_with_its_elements)
{
	static const char *const keys[] = { "message", "created", "answerBefore", "form", NULL };
	static const char *const fields[] = { "income", "accommodation", "household" };
	char p[256];
	struct hresp *r, *again, *st;
	json_t *app, *data, *form, *elements, *step;

	close_applications();
	r = command(anna, app_anna, "yes", NULL);
	app = json_object_get(r->json, "application");
	data = presentation(app, "form");
	only_keys(data, keys);
	cr_assert(matches(jstr(data, "created"), RE_F2), "%s", r->body);
	cr_assert_str_eq(commands_of(app), "remove,done", "%s", r->body);
	form = json_object_get(data, "form");
	cr_assert_str_eq(jstr(form, "__type"),
			 "Momentum.Pm.PortalApi.Version2.Client.Interfaces.ViewElement, "
			 "Momentum.Pm.PortalApi.Client.Interfaces");
	elements = json_object_get(form, "elements");
	cr_assert_eq(json_array_size(elements), 3, "%s", r->body);
	for (size_t i = 0; i < 3; i++) {
		json_t *sec = json_array_get(elements, i), *in;
		cr_assert_str_eq(jstr(sec, "type"), "section");
		cr_assert(matches(jstr(sec, "id"), "^[0-9A-Za-z]{10}$"), "%s", r->body);
		cr_assert(jstr(json_object_get(sec, "section"), "title"));
		in = json_array_get(json_object_get(json_object_get(sec, "section"), "elements"), 0);
		cr_assert_str_eq(jstr(in, "type"), "input");
		cr_assert(matches(jstr(in, "id"), "^[0-9A-Za-z]{10}$"), "%s", r->body);
		cr_assert_str_eq(jstr(json_object_get(in, "input"), "storage"), "applicant");
		cr_assert_str_eq(jstr(json_object_get(in, "input"), "field"), fields[i]);
		cr_assert_eq(json_is_true(json_object_get(json_object_get(json_object_get(in, "input"), "options"), "required")),
			     i < 2, "%s", r->body);
	}
	/* the history: the question, answered yes (M-17), its data with the answer */
	step = last_step(app);
	cr_assert_str_eq(jstr(json_object_get(step, "presentation"), "type"), "questionYesNo");
	cr_assert_str_eq(jstr(json_object_get(json_object_get(step, "presentation"), "data"), "answer"), "yes");
	cr_assert(jstr(json_object_get(json_object_get(step, "presentation"), "data"), "question"));
	cr_assert(matches(jstr(step, "occurred"), RE_F2), "%s", r->body);

	/* the status shows the history in F1 with the offset */
	st = market_bearer(h, "GET", pathf(p, "/v2/market/objects/%lld/status", (long long)obj), anna, NULL);
	step = last_step(json_array_get(json_object_get(st->json, "applications"), 0));
	cr_assert(matches(jstr(step, "occurred"), RE_F1), "%s", st->body);
	cr_assert(matches(jstr(json_object_get(json_object_get(step, "presentation"), "data"), "created"), RE_F1), "%s",
		  st->body);
	hresp_free(st);

	/* element ids do not change between reads */
	app = get_app(anna, app_anna, &again);
	cr_assert(json_equal(json_object_get(presentation(app, "form"), "form"), form), "%s", again->body);
	hresp_free(again);
	hresp_free(r);
}

Test(market_process, done_saves_the_form_to_the_profile_and_gives_the_viewing)
{
	static const char *const keys[] = { "text", "notes", "continues", NULL };
	struct hresp *r, *p;
	json_t *app, *data, *step;

	close_applications();
	command_ok(anna, app_anna, "yes", NULL);
	r = command(anna, app_anna, "done",
		    "{\"income\": {\"gross\": 41000}, \"accommodation\": {\"type\": \"sublet\"},"
		    " \"household\": {\"adults\": 2, \"children\": 1}}");
	app = json_object_get(r->json, "application");
	data = presentation(app, "viewingInfo");
	only_keys(data, keys);
	cr_assert(matches(jstr(data, "continues"), RE_F2), "%s", r->body);
	cr_assert_str_eq(commands_of(app), "", "%s", r->body);
	step = last_step(app);
	cr_assert_str_eq(jstr(json_object_get(step, "presentation"), "type"), "form");
	cr_assert_str_eq(jstr(json_object_get(json_object_get(step, "presentation"), "data"), "answer"), "done");
	cr_assert_null(json_object_get(json_object_get(json_object_get(step, "presentation"), "data"), "form"),
		       "the history shows the message, not the elements: %s", r->body);
	hresp_free(r);

	p = market_bearer(h, "GET", "/v2/market/applicant/profile", anna, NULL);
	cr_assert_eq(p->status, 200, "%s", p->body);
	cr_assert_eq(jint(json_object_get(p->json, "income"), "gross"), 41000, "%s", p->body);
	cr_assert_str_eq(jstr(json_object_get(p->json, "accommodation"), "type"), "sublet", "%s", p->body);
	cr_assert_eq(jint(json_object_get(p->json, "household"), "adults"), 2, "%s", p->body);
	cr_assert_eq(jint(json_object_get(p->json, "household"), "children"), 1, "%s", p->body);
	hresp_free(p);
}

/* ---- no, too late: annulled, the next offered; the explanation's numbers ---- */

Test(market_process, no_annuls_and_offers_the_next)
{
	struct hresp *r;
	json_t *app, *step, *ex;

	close_applications();
	r = command(bo, app_bo, "no", NULL);
	app = json_object_get(r->json, "application");
	cr_assert_str_eq(jstr(presentation(app, "annulled"), "description"), "Du tackade nej.", "%s", r->body);
	cr_assert(json_is_false(json_object_get(app, "active")), "%s", r->body);
	cr_assert(matches(jstr(app, "closed"), RE_F2), "%s", r->body);
	cr_assert_str_eq(jstr(app, "placeSorted"), "2", "a closed application keeps its rank: %s", r->body);
	step = last_step(app);
	cr_assert_str_eq(jstr(json_object_get(json_object_get(step, "presentation"), "data"), "answer"), "no");
	hresp_free(r);

	/* Cia, place 3, is offered now; offers went to places 1–3, place 3 had 100 points */
	app = get_app(cia, app_cia, &r);
	presentation(app, "questionYesNo");
	ex = json_object_get(app, "placeExplanation");
	cr_assert(json_is_true(json_object_get(ex, "ranked")), "%s", r->body);
	cr_assert_eq(jint(ex, "offeredThrough"), 3, "%s", r->body);
	hresp_free(r);

	/* Dan, place 4: his own inputs and the last offered place's */
	app = get_app(dan, app_dan, &r);
	cr_assert_str_eq(jstr(app, "placeSorted"), "4", "%s", r->body);
	ex = json_object_get(app, "placeExplanation");
	cr_assert_str_eq(jstr(ex, "rule"), "queue_points", "%s", r->body);
	cr_assert_eq(jint(ex, "rankedCount"), 4, "%s", r->body);
	cr_assert_eq(jint(json_object_get(ex, "own"), "place"), 4, "%s", r->body);
	cr_assert_eq(jint(json_object_get(ex, "own"), "points"), 50, "%s", r->body);
	cr_assert_eq(jint(ex, "offeredThrough"), 3, "%s", r->body);
	cr_assert_eq(jint(json_object_get(ex, "lastOffered"), "place"), 3, "%s", r->body);
	cr_assert_eq(jint(json_object_get(ex, "lastOffered"), "points"), 100, "%s", r->body);
	cr_assert(matches(jstr(json_object_get(ex, "lastOffered"), "appliedAt"), RE_F2), "%s", r->body);
	cr_assert(jstr(ex, "text") && *jstr(ex, "text"), "%s", r->body);
	hresp_free(r);
}

Test(market_process, too_late_shows_execution_then_annulled)
{
	struct hresp *r;
	json_t *app, *step;

	close_applications();
	/* 48 hours to answer: past them, the job has not run yet (Bo signs in again: tokens live 24 hours) */
	clock_at(HOUR + 60 + 48 * HOUR + 60);
	market_sign_in(h, "bo@example.se", "hemligt123", bo);
	app = get_app(bo, app_bo, &r);
	presentation(app, "questionYesNo");
	cr_assert(executing(app), "a passed answerBefore whose job has not run: %s", r->body);
	hresp_free(r);
	market_run_jobs(h);
	app = get_app(bo, app_bo, &r);
	presentation(app, "annulled");
	cr_assert(!executing(app), "%s", r->body);
	step = last_step(app);
	cr_assert_str_eq(jstr(json_object_get(json_object_get(step, "presentation"), "data"), "answer"), "late");
	hresp_free(r);
}

/* ---- the landlord's side: reserved, confirmed; signing, contract signed, completed ---- */

static void landlord_confirms(int64_t application_id)
{
	struct arena *a = arena_create(64 * 1024);
	struct error err;
	struct caller who;
	int64_t agreement;

	error_init(&err, a);
	cr_assert_eq(auth_token(core(), a, str_from_cstr(co.admin_token), &who, &err), 0, "%s", err.message);
	cr_assert_eq(process_reserve(core(), a, &who, obj, application_id, &err), 0, "%s", err.message);
	cr_assert_eq(process_confirm(core(), a, &who, obj, &agreement, &err), 0, "%s", err.message);
	arena_destroy(a);
}

Test(market_process, signing_contract_signed_and_completed)
{
	static const char *const keys[] = { "signingId", NULL };
	struct hresp *r;
	json_t *app, *data;

	close_applications();
	command_ok(anna, app_anna, "yes", NULL);
	command_ok(anna, app_anna, "done", "{\"income\": {\"gross\": 41000}, \"accommodation\": {\"type\": \"sublet\"}}");
	landlord_confirms(app_anna);

	app = get_app(anna, app_anna, &r);
	data = presentation(app, "signing");
	only_keys(data, keys);
	cr_assert(matches(jstr(data, "signingId"), "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"),
		  "the contract's uuid: %s", r->body);
	cr_assert(json_is_true(json_object_get(app, "active")), "%s", r->body);
	cr_assert_str_eq(commands_of(app), "sign", "%s", r->body);
	hresp_free(r);

	/* everyone else: completed (by the close-out job) */
	market_run_jobs(h);
	app = get_app(cia, app_cia, &r);
	data = presentation(app, "completed");
	cr_assert_eq(json_object_size(data), 0, "%s", r->body);
	cr_assert(jstr(app, "closed"), "%s", r->body);
	hresp_free(r);

	r = command(anna, app_anna, "sign", NULL);
	app = json_object_get(r->json, "application");
	data = presentation(app, "contractSigned");
	cr_assert_eq(json_object_size(data), 0, "%s", r->body);
	cr_assert(matches(jstr(app, "closed"), RE_F2), "%s", r->body);
	cr_assert_str_eq(jstr(json_object_get(json_object_get(last_step(app), "presentation"), "data"), "answer"), "sign");
	hresp_free(r);
}

/* ---- cancelled, removed, lock ---- */

Test(market_process, a_withdrawn_listing_cancels)
{
	static const char *const keys[] = { "description", NULL };
	char p[256];
	struct hresp *r;
	json_t *app, *data;

	r = harness_auth(h, "DELETE", pathf(p, "/api/v1/object_ad/%lld/", (long long)obj), co.admin_token, NULL);
	cr_assert_lt(r->status, 300, "%s", r->body);
	hresp_free(r);
	market_run_jobs(h); /* the close-out job ends the applications */
	app = get_app(anna, app_anna, &r);
	data = presentation(app, "cancelled");
	only_keys(data, keys);
	cr_assert(jstr(data, "description") && *jstr(data, "description"), "%s", r->body);
	cr_assert(matches(jstr(app, "closed"), RE_F2), "%s", r->body);
	hresp_free(r);
}

Test(market_process, remove_before_the_deadline)
{
	struct hresp *r = command(dan, app_dan, "remove", NULL);
	json_t *app = json_object_get(r->json, "application");

	presentation(app, "removed");
	cr_assert(json_is_true(json_object_get(app, "removed")), "%s", r->body);
	cr_assert_null(json_object_get(app, "placeSorted"), "a removed application has no live place: %s", r->body);
	hresp_free(r);
}

/* Locked is set by a landlord system; rendered from its step as written. */
Test(market_process, lock_shows_its_type_and_description)
{
	static const char *const keys[] = { "type", "description", NULL };
	struct hresp *r;
	json_t *app, *data;
	long long step = harness_sql_int(h, "INSERT INTO application_steps(application_id, state, created_at, data)"
				       " VALUES (%lld, 'locked', %lld, '{\"type\": \"fraud\", \"description\": \"Kontakta oss\","
				       " \"internal\": 1}') RETURNING id",
				       (long long)app_anna, (long long)t0 * 1000000);

	harness_sql(h, "UPDATE applications SET state = 'locked', step_id = %lld WHERE id = %lld", step,
		       (long long)app_anna);
	app = get_app(anna, app_anna, &r);
	data = presentation(app, "lock");
	only_keys(data, keys);
	cr_assert_str_eq(jstr(data, "type"), "fraud");
	cr_assert_str_eq(jstr(data, "description"), "Kontakta oss");
	hresp_free(r);
}

/* Stored data that is not an object shows as {} (never a broken answer). */
Test(market_process, broken_step_data_shows_empty)
{
	struct hresp *r;
	json_t *app;
	long long step = harness_sql_int(h, "INSERT INTO application_steps(application_id, state, created_at, data)"
				       " VALUES (%lld, 'question', %lld, 'not json') RETURNING id",
				       (long long)app_anna, (long long)t0 * 1000000);

	harness_sql(h, "UPDATE applications SET state = 'question', step_id = %lld WHERE id = %lld", step,
		       (long long)app_anna);
	app = get_app(anna, app_anna, &r);
	cr_assert_eq(json_object_size(presentation(app, "questionYesNo")), 0, "%s", r->body);
	hresp_free(r);
}

/* ---- refusals ---- */

Test(market_process, stale_etag_is_409)
{
	char old[32], body[256];
	struct hresp *r;

	close_applications();
	snprintf(old, sizeof(old), "%s", etag_of(anna, app_anna));
	command_ok(anna, app_anna, "yes", NULL);
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"yes\"}}", old);
	r = command_body(anna, app_anna, body);
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);
	/* not a number either */
	r = command_body(anna, app_anna, "{\"etag\": \"x\", \"command\": {\"type\": \"done\"}}");
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);
}

Test(market_process, bad_bodies_are_400_naming_the_member)
{
	static const struct {
		const char *body, *code, *field;
	} cases[] = {
		{ "{\"command\": {\"type\": \"yes\"}}", "BadRequest", "etag" },
		{ "{\"etag\": 57, \"command\": {\"type\": \"yes\"}}", NULL, "etag" },
		{ "{\"etag\": \"\", \"command\": {\"type\": \"yes\"}}", "BadRequest", "etag" },
		{ "{\"etag\": \"1\"}", "BadRequest", "command" },
		{ "{\"etag\": \"1\", \"command\": \"yes\"}", "BadRequest", "command" },
		{ "{\"etag\": \"1\", \"command\": {}}", "BadRequest", "command.type" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": 1}}", NULL, "command.type" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"maybe\"}}", "UnknownCommand", "command.type" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"yes\", \"data\": {}}}", "BadRequest", "command.data" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"done\", \"data\": 5}}", "BadRequest", "command.data" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"done\", \"data\": {\"income\": 5}}}", "BadRequest",
		  "command.data.income" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"done\", \"data\": {\"income\": {\"gross\": \"x\"}}}}",
		  "BadRequest", "command.data.income.gross" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"done\", \"data\": {\"income\": {\"gross\": -1}}}}",
		  "BadRequest", "command.data.income.gross" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"done\", \"data\": {\"accommodation\": {\"type\": \"castle\"}}}}",
		  "BadRequest", "command.data.accommodation.type" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"done\", \"data\": {\"household\": {\"children\": 1}}}}",
		  "BadRequest", "command.data.household.adults" },
		{ "{\"etag\": \"1\", \"command\": {\"type\": \"done\", \"data\": {\"household\": {\"adults\": 0}}}}",
		  "BadRequest", "command.data.household.adults" },
		{ "[]", "BadRequest", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hresp *r = command_body(anna, app_anna, cases[i].body);
		expect_error_member(r, cases[i].code, cases[i].field);
		hresp_free(r);
	}
}

Test(market_process, a_command_not_offered_now_is_400_unknown_command)
{
	char body[256];
	struct hresp *r;

	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"yes\"}}", etag_of(anna, app_anna));
	r = command_body(anna, app_anna, body);
	expect_market(r, 400, "UnknownCommand", "command.type");
	hresp_free(r);
}

Test(market_process, unknown_and_others_applications_are_404_and_anonymous_401)
{
	char body[256], p[256];
	struct hresp *r;

	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"remove\"}}", etag_of(anna, app_anna));
	r = command_body(bo, app_anna, body);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = command_body(anna, 999999, body);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = market_bearer(h, "POST", pathf(p, "/v2/market/%lld/applications/%lld", (long long)obj, (long long)app_anna),
			  NULL, body);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
}

/* ---- a rejection's reason; a lottery's places and tickets ---- */

Test(market_process, a_rejected_reservation_shows_the_reason)
{
	struct arena *a = arena_create(64 * 1024);
	struct error err;
	struct caller who;
	struct hresp *r;
	json_t *app, *data;

	close_applications();
	command_ok(anna, app_anna, "yes", NULL);
	command_ok(anna, app_anna, "done", "{\"income\": {\"gross\": 41000}, \"accommodation\": {\"type\": \"sublet\"}}");
	error_init(&err, a);
	cr_assert_eq(auth_token(core(), a, str_from_cstr(co.admin_token), &who, &err), 0, "%s", err.message);
	cr_assert_eq(process_reserve(core(), a, &who, obj, app_anna, &err), 0, "%s", err.message);
	cr_assert_eq(process_reject(core(), a, &who, obj, 1, &err), 0, "%s", err.message);
	arena_destroy(a);

	app = get_app(anna, app_anna, &r);
	data = presentation(app, "annulled");
	cr_assert_str_eq(jstr(data, "description"), "Insufficient income", "%s", r->body);
	cr_assert_null(json_object_get(data, "reason"), "the stored reason code is not shown: %s", r->body);
	hresp_free(r);
}

/* A random listing: no place before the draw; after it the drawn place and both tickets. */
Test(market_process, a_lottery_place_is_explained_by_tickets)
{
	int64_t apt = market_apartment(h, co.admin_token, estate, "1302", 2, 55, 8000, 59.3360, 18.0640, "11143");
	int64_t lot = market_listing(h, co.admin_token, apt, req_std,
				     ", \"access_date\": \"2027-03-01\", \"candidate_sorting_mode\": \"random\"");
	int64_t ids[4], saved = obj;
	const char *toks[4] = { anna, bo, cia, dan };
	struct arena *a = arena_create(64 * 1024);
	struct error err;
	struct hresp *r;
	json_t *app, *ex;
	bool ranked;

	harness_sql(h, "UPDATE object_ads SET start_processing_at = %lld, batch_size = 1 WHERE id = %lld",
		       (long long)(t0 + HOUR), (long long)lot);
	obj = lot;
	for (int i = 0; i < 4; i++)
		ids[i] = apply(toks[i]);
	obj = saved;

	app = get_app(dan, ids[3], &r);
	cr_assert_null(json_object_get(app, "placeSorted"), "no place before the draw: %s", r->body);
	ex = json_object_get(app, "placeExplanation");
	cr_assert_str_eq(jstr(ex, "rule"), "random", "%s", r->body);
	cr_assert_null(json_object_get(json_object_get(ex, "own"), "place"), "%s", r->body);
	cr_assert_null(json_object_get(json_object_get(ex, "own"), "ticket"), "no ticket before the draw: %s", r->body);
	hresp_free(r);

	error_init(&err, a);
	clock_at(HOUR + 60);
	cr_assert_eq(process_close(core(), a, lot, &ranked, &err), 0, "%s", err.message);
	cr_assert(ranked);
	arena_destroy(a);

	for (int i = 0; i < 4; i++) {
		json_t *own;
		app = get_app(toks[i], ids[i], &r);
		ex = json_object_get(app, "placeExplanation");
		own = json_object_get(ex, "own");
		cr_assert(json_is_true(json_object_get(ex, "ranked")), "%s", r->body);
		cr_assert(jstr(app, "placeSorted"), "%s", r->body);
		cr_assert_eq(atoll(jstr(app, "placeSorted")), jint(own, "place"), "%s", r->body);
		cr_assert(matches(jstr(own, "ticket"), "^[0-9a-f]{64}$"), "%s", r->body);
		cr_assert_eq(jint(ex, "offeredThrough"), 1, "%s", r->body);
		cr_assert_eq(jint(json_object_get(ex, "lastOffered"), "place"), 1, "%s", r->body);
		cr_assert(matches(jstr(json_object_get(ex, "lastOffered"), "ticket"), "^[0-9a-f]{64}$"), "%s", r->body);
		/* place 1 holds the smallest ticket (sha256-tickets-v1) */
		if (jint(own, "place") == 1)
			cr_assert_str_eq(jstr(own, "ticket"), jstr(json_object_get(ex, "lastOffered"), "ticket"));
		else
			cr_assert_gt(strcmp(jstr(own, "ticket"), jstr(json_object_get(ex, "lastOffered"), "ticket")), 0);
		hresp_free(r);
	}
}

/* HomeQ's free_insights from the same data: the live top before the deadline, the ranked places after it. */
Test(market_process, free_insights_follow_the_ranking)
{
	char p[256];
	struct hresp *r;
	json_t *top;

	/* Dan withdraws: his 50 points are no competition */
	command_ok(dan, app_dan, "remove", NULL);
	r = harness_request(h, "GET", pathf(p, "/api/v3/free_insights/%lld/", (long long)obj), NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	top = json_object_get(r->json, "queue_points_top_10");
	cr_assert_eq(json_array_size(top), 3, "%s", r->body);
	cr_assert_eq(json_integer_value(json_array_get(top, 0)), 300, "%s", r->body);
	cr_assert_eq(json_integer_value(json_array_get(top, 2)), 100, "%s", r->body);
	hresp_free(r);

	close_applications();
	command_ok(anna, app_anna, "no", NULL);
	r = harness_request(h, "GET", pathf(p, "/api/v3/free_insights/%lld/", (long long)obj), NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	top = json_object_get(r->json, "queue_points_top_10");
	cr_assert_str_eq(hresp_str(r, "frame"), "queue_points_info", "%s", r->body);
	cr_assert_eq(json_array_size(top), 3, "the ranked places, Anna's closed one too: %s", r->body);
	cr_assert_eq(json_integer_value(json_array_get(top, 0)), 300, "%s", r->body);
	cr_assert_eq(json_integer_value(json_array_get(top, 1)), 200, "%s", r->body);
	cr_assert_eq(json_integer_value(json_array_get(top, 2)), 100, "%s", r->body);
	hresp_free(r);
}
