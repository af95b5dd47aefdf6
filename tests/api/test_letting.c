/*
 * test_letting.c — the whole letting story over the HTTP pipeline (issue 15's end-to-end
 * test), both dialects on one database:
 *
 *   a landlord publishes a listing (income at least 3 × rent, two offers at a time);
 *   applicants of differing profiles ask "may I apply?" — each failing check is named — and
 *   apply; the deadline passes (the test clock); the first two approved are offered; one says
 *   yes (a stale etag is 409), one says no and the next is offered; the yes fills in the form
 *   and reaches the viewing; so does the next; the landlord reserves the first, rejects them
 *   with a reason (the next is offered), reserves and confirms the second; the agreement is
 *   listed for the landlord and the tenant; the tenant signs; the contract verifies and a
 *   tampered copy does not; the outbox holds every event, in order.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/market/applicants.h"
#include "jobs/jobs.h"
#include "market_common.h"

#define T 1799928000LL /* applications close at 2027-01-14 12:00 UTC */
#define US 1000000LL

static struct harness *h;
static struct fixture_company co;
static int serial;

static void setup(void)
{
	core_clock_set((T - 86400) * US); /* the listing is published a day before T */
	h = harness_create();
	cr_assert_eq(server_register_job_kinds(), 0);
	fixture_company(h, "Acme Bostäder", &co);
}

static void teardown(void)
{
	core_clock_set(0);
	harness_destroy(h);
}

TestSuite(letting, .init = setup, .fini = teardown);

struct person {
	char name[16];
	char tok[1024];
	int64_t user;
	int64_t app;
};

/* Registers and signs in; joins the residential queue days ago when days >= 0. */
static void person(struct person *p, const char *name, int income, int days)
{
	char body[768], pnr[16], email[64];
	struct hresp *r;

	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(email, sizeof(email), "%s@example.se", name);
	market_personal_number("19850505", ++serial, pnr);
	snprintf(body, sizeof(body),
		 "{\"email\": \"%s\", \"password\": \"hemligt123\", \"firstName\": \"%s\", \"lastName\": \"Ek\","
		 " \"personalNumber\": \"%s\", \"income\": {\"gross\": %d, \"source\": \"employment_permanent\"},"
		 " \"household\": {\"adults\": 1, \"children\": 0}}",
		 email, name, pnr, income);
	market_register(h, body);
	market_sign_in(h, email, "hemligt123", p->tok);
	r = market_bearer(h, "GET", "/v2/market/applicant/profile", p->tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	p->user = atoll(hresp_str(r, "id"));
	hresp_free(r);
	if (days >= 0) {
		market_join(h, p->tok, "residential");
		harness_sql(h, "UPDATE queue_memberships SET joined_at = joined_at - %d WHERE user_id = %lld",
			       days * 86400, (long long)p->user);
	}
}

/* Moves the clock to when, gives everyone a token valid then, and runs the jobs now due. */
static void clock_at(int64_t when, struct person *people, size_t n)
{
	core_clock_set(when * US);
	fixture_token(h, co.admin_id, co.admin_token);
	for (size_t i = 0; i < n; i++)
		market_reissue(h, people[i].user, people[i].tok);
	market_run_jobs(h);
}

/* GET #4 (the caller frees *r): the application object. */
static json_t *application(const struct person *p, struct hresp **r)
{
	char target[128];
	snprintf(target, sizeof(target), "/v2/market/applications/%lld", (long long)p->app);
	*r = market_bearer(h, "GET", target, p->tok, NULL);
	cr_assert_eq((*r)->status, 200, "%s", (*r)->body);
	return json_object_get((*r)->json, "application");
}

/* The presentation type ("" when none) and the etag. */
static void look(const struct person *p, char type[32], char etag[32])
{
	struct hresp *r;
	json_t *app = application(p, &r), *pr = json_object_get(app, "presentation");
	snprintf(type, 32, "%s", pr && jstr(pr, "type") ? jstr(pr, "type") : "");
	snprintf(etag, 32, "%s", jstr(app, "etag"));
	hresp_free(r);
}

static void expect_type(const struct person *p, const char *type)
{
	char got[32], etag[32];
	look(p, got, etag);
	cr_assert_str_eq(got, type, "%s's application", p->name);
}

static struct hresp *command(const struct person *p, int64_t ad, const char *etag, const char *cmd, const char *data)
{
	char target[128], body[512];
	snprintf(target, sizeof(target), "/v2/market/%lld/applications/%lld", (long long)ad, (long long)p->app);
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"%s\"%s%s}}", etag, cmd,
		 data ? ", \"data\": " : "", data ? data : "");
	return market_bearer(h, "POST", target, p->tok, body);
}

/* A command with the current etag; must be 200, and the answer is the application after it. */
static void answer(const struct person *p, int64_t ad, const char *cmd, const char *data, const char *then)
{
	char type[32], etag[32];
	struct hresp *r;
	json_t *pr;
	look(p, type, etag);
	r = command(p, ad, etag, cmd, data);
	cr_assert_eq(r->status, 200, "%s %s: %s", p->name, cmd, r->body);
	pr = json_object_get(json_object_get(r->json, "application"), "presentation");
	cr_assert_str_eq(pr && jstr(pr, "type") ? jstr(pr, "type") : "", then, "%s", r->body);
	hresp_free(r);
}

static struct hresp *landlord(const char *method, const char *target, const char *body)
{
	return harness_auth(h, method, target, co.admin_token, body);
}

static void expect_landlord(const char *method, const char *target, const char *body, int status)
{
	struct hresp *r = landlord(method, target, body);
	cr_assert_eq(r->status, status, "%s %s %s: %s", method, target, body ? body : "", r->body);
	hresp_free(r);
}

/* The named checks of "may I apply?" that failed, "a,b" (checklist, then screening). */
static void failing(const struct person *p, int64_t ad, char *out, size_t len)
{
	char target[128];
	struct hresp *r;
	json_t *item, *k;
	size_t i, used = 0;

	snprintf(target, sizeof(target), "/v2/market/objects/%lld/status", (long long)ad);
	r = market_bearer(h, "GET", target, p->tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	*out = '\0';
	json_array_foreach (json_object_get(r->json, "commands"), i, item) {
		json_t *list = json_object_get(item, "checklist");
		size_t j;
		json_array_foreach (list, j, k)
			if (json_is_false(json_object_get(k, "passed"))) {
				cr_assert(jstr(k, "message"), "a failing item says why: %s", r->body);
				used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "," : "", jstr(k, "type"));
			}
	}
	json_array_foreach (json_object_get(json_object_get(r->json, "screening"), "checks"), i, k)
		if (json_is_false(json_object_get(k, "passed"))) {
			cr_assert(jstr(k, "message"), "a failing check says why: %s", r->body);
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "," : "", jstr(k, "type"));
		}
	hresp_free(r);
}

static int64_t apply(struct person *p, int64_t ad)
{
	char target[128];
	struct hresp *r;
	snprintf(target, sizeof(target), "/v2/market/%lld/applications", (long long)ad);
	r = market_bearer(h, "POST", target, p->tok, "{\"command\": {\"type\": \"apply\"}}");
	cr_assert_eq(r->status, 200, "%s: %s", p->name, r->body);
	p->app = atoll(json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);
	return p->app;
}

/* ---- the story ---- */

Test(letting, from_published_to_a_signed_contract)
{
	char target[256], failed[256], type[32], etag[32], uuid[64], body[128], *events;
	struct person ps[6];
	struct person *anna = &ps[0], *bo = &ps[1], *cai = &ps[2], *dana = &ps[3], *erik = &ps[4], *fia = &ps[5];
	int64_t estate, apt, req, ad, agreement;
	struct hresp *r;
	json_t *v;

	/* the landlord: two offers at a time, income at least 3 × 8 000 kr */
	expect_landlord("PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)co.root_office),
			"{\"batch_size\": 2}", 200);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200,
				"{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\"}");
	req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, rent_factor) VALUES (%lld, 'Inkomst', 3) RETURNING id",
			     (long long)co.id);
	apt = market_apartment(h, co.admin_token, estate, "1401", 2, 55, 8000, 59.336, 18.064, "11143");
	ad = market_listing(h, co.admin_token, apt, req,
			    ", \"candidate_sorting_mode\": \"queue_points\", \"access_date\": \"2027-04-01\","
			    " \"offer_notes\": \"Visning lördag 11:00, Kungsgatan 1401.\"");
	{
		char *at = harness_sql_text(h, "SELECT start_processing_at FROM object_ads WHERE id = %lld", (long long)ad);
		cr_assert_eq(atoll(at), T, "the listing closes a day after its publication");
		free(at);
	}

	/* applicants of differing profiles, an hour before the deadline */
	core_clock_set((T - 3600) * US);
	fixture_token(h, co.admin_id, co.admin_token);
	person(anna, "anna", 40000, 900);
	person(bo, "bo", 45000, 800);
	person(cai, "cai", 30000, 700);
	person(dana, "dana", 50000, 600);
	person(erik, "erik", 15000, 1000); /* most points, too little income */
	person(fia, "fia", 60000, -1);     /* not in the queue */

	failing(anna, ad, failed, sizeof(failed));
	cr_assert_str_eq(failed, "");
	failing(erik, ad, failed, sizeof(failed));
	cr_assert_str_eq(failed, "income", "erik would not qualify: his income is named");
	failing(fia, ad, failed, sizeof(failed));
	cr_assert_str_eq(failed, "queue", "fia is not in the queue");
	r = market_bearer(h, "POST", pathf(target, "/v2/market/%lld/applications", (long long)ad), fia->tok,
			  "{\"command\": {\"type\": \"apply\"}}");
	expect_market(r, 403, "NotEligible", NULL);
	hresp_free(r);
	for (int i = 0; i < 5; i++)
		apply(&ps[i], ad);
	expect_type(anna, "");

	/* the deadline passes: places by points — erik 1 (screening failed), anna 2, bo 3, cai 4, dana 5 */
	clock_at(T + 60, ps, 6);
	expect_type(erik, "");
	expect_type(anna, "questionYesNo");
	expect_type(bo, "questionYesNo");
	expect_type(cai, "");

	/* anna: a stale etag is refused and changes nothing; then yes → the form */
	look(anna, type, etag);
	r = command(anna, ad, "1", "yes", NULL);
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);
	answer(anna, ad, "yes", NULL, "form");
	r = command(anna, ad, etag, "done", NULL); /* the question's etag is stale now */
	expect_market(r, 409, "StaleEtag", NULL);
	hresp_free(r);
	/* the form: the accommodation is missing from her profile, so done without it names it */
	look(anna, type, etag);
	r = command(anna, ad, etag, "done", NULL);
	expect_market(r, 400, NULL, "command.data.accommodation");
	hresp_free(r);
	answer(anna, ad, "done", "{\"accommodation\": {\"type\": \"sublet\"}, \"household\": {\"adults\": 2, \"children\": 0}}",
	       "viewingInfo");

	/* bo says no: cai is offered */
	answer(bo, ad, "no", NULL, "annulled");
	expect_type(cai, "questionYesNo");
	answer(cai, ad, "yes", NULL, "form");
	answer(cai, ad, "done", "{\"accommodation\": {\"type\": \"rental\"}}", "viewingInfo");

	/* the landlord reserves anna, then rejects her with a reason: dana is offered */
	expect_landlord("GET", "/api/v1/rejection_reasons/", NULL, 200);
	snprintf(body, sizeof(body), "{\"application\": %lld}", (long long)anna->app);
	expect_landlord("POST", pathf(target, "/api/v1/object_ad/%lld/reservation/", (long long)ad), body, 200);
	expect_landlord("POST", pathf(target, "/api/v1/object_ad/%lld/reservation/reject/", (long long)ad),
			"{\"reason\": 1}", 200);
	expect_type(anna, "annulled");
	expect_type(dana, "questionYesNo");

	/* cai is reserved and confirmed: cai signs, everyone else is completed */
	snprintf(body, sizeof(body), "{\"application\": %lld}", (long long)cai->app);
	expect_landlord("POST", pathf(target, "/api/v1/object_ad/%lld/reservation/", (long long)ad), body, 200);
	r = landlord("POST", pathf(target, "/api/v1/object_ad/%lld/reservation/confirm/", (long long)ad), NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	cr_assert_gt(market_run_jobs(h), 0, "the others are completed by a job");
	expect_type(dana, "completed");
	expect_type(erik, "completed");
	expect_type(cai, "signing");
	{
		json_t *app = application(cai, &r);
		const char *id = jstr(json_object_get(json_object_get(app, "presentation"), "data"), "signingId");
		cr_assert(id, "%s", r->body);
		snprintf(uuid, sizeof(uuid), "%s", id);
		hresp_free(r);
	}

	/* the agreement, for the landlord and for the tenant */
	r = landlord("GET", "/api/v1/agreements/", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(jint(r->json, "total"), 1, "%s", r->body);
	v = json_array_get(json_object_get(r->json, "results"), 0);
	agreement = jint(v, "id");
	cr_assert_str_eq(jstr(json_object_get(v, "landlord"), "name"), "Acme Bostäder");
	hresp_free(r);
	r = market_bearer(h, "GET", "/api/v1/agreements/", cai->tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "results"), 0), "id"), agreement, "%s", r->body);
	hresp_free(r);
	r = market_bearer(h, "GET", "/api/v1/agreements/", dana->tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(jint(r->json, "total"), 0, "another applicant sees none: %s", r->body);
	hresp_free(r);

	/* the contract is not valid before the tenant signs; then it is, and a tampered copy is not */
	r = harness_request(h, "GET", pathf(target, "/api/v1/digital_contract/verify/?uuid=%s", uuid), NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	hresp_free(r);
	answer(cai, ad, "sign", NULL, "contractSigned");
	r = harness_request(h, "GET", pathf(target, "/api/v1/digital_contract/verify/?uuid=%s", uuid), NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "is_valid")), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "signatories")), 2, "%s", r->body);
	hresp_free(r);
	{
		char path[2048];
		FILE *f;
		snprintf(path, sizeof(path), "%s/digital_contracts/%s-signed.pdf", app_config(h->app)->media_dir, uuid);
		long size;
		int ch;
		f = fopen(path, "r+b");
		cr_assert(f, "%s", path);
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fseek(f, size / 3, SEEK_SET); /* inside the lease */
		ch = fgetc(f);
		fseek(f, size / 3, SEEK_SET);
		fputc(ch ^ 0x20, f);
		fclose(f);
	}
	r = harness_request(h, "GET", pathf(target, "/api/v1/digital_contract/verify/?uuid=%s", uuid), NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "a changed byte: %s", r->body);
	hresp_free(r);

	/* the listing is rented */
	r = landlord("GET", pathf(target, "/api/v1/object_ad/%lld/", (long long)ad), NULL);
	cr_assert_str_eq(jstr(json_object_get(r->json, "object_ad"), "status"), "rented", "%s", r->body);
	hresp_free(r);

	/* every event, in order */
	{ /* one row at a time: no group_concat/string_agg that both backends have */
		long long n = harness_sql_int(h, "SELECT COUNT(*) FROM events WHERE aggregate IN ('application', 'listing')");
		size_t len = 0;

		events = calloc(1, 4096);
		cr_assert(events);
		for (long long i = 0; i < n; i++) {
			char *one = harness_sql_text(h, "SELECT type || ':' || CAST(aggregate_id AS TEXT) FROM events WHERE"
						      " aggregate IN ('application', 'listing') ORDER BY seq LIMIT 1 OFFSET %lld", i);
			len += (size_t)snprintf(events + len, 4096 - len, "%s%s", i ? " " : "", one);
			cr_assert(len < 4096);
			free(one);
		}
	}
	{
		char want[2048];
		long long A = anna->app, B = bo->app, C = cai->app, D = dana->app, E = erik->app, L = ad;
		snprintf(want, sizeof(want),
			 "application_created:%lld application_created:%lld application_created:%lld"
			 " application_created:%lld application_created:%lld"
			 " application_question:%lld application_question:%lld" /* offers: places 2, 3 */
			 " application_form:%lld application_viewing:%lld"      /* anna yes, done */
			 " application_annulled:%lld application_question:%lld" /* bo no → cai */
			 " application_form:%lld application_viewing:%lld"      /* cai yes, done */
			 " application_viewing:%lld reservation:%lld"           /* anna reserved */
			 " application_annulled:%lld application_question:%lld" /* rejected → dana */
			 " application_viewing:%lld reservation:%lld"           /* cai reserved */
			 " application_signing:%lld application_signature:%lld" /* confirmed, the landlord signs */
			 " agreement_created:%lld application_completed:%lld application_completed:%lld" /* by place: erik, dana */
			 " application_signature:%lld application_contract_signed:%lld signing_completed:%lld",
			 A, B, C, D, E, A, B, A, A, B, C, C, C, A, L, A, D, C, L, C, L, L, E, D, L, C, L);
		cr_assert_str_eq(events, want);
	}
	free(events);
}
