/*
 * test_reservations.c — the landlord's side of the letting process (homeq.md §11c
 * Reservations; docs/API.md "Reservations", docs/DECISIONS.md "Reservations"): GET
 * /api/v1/rejection_reasons/, then a listing taken through the engine (applications close on
 * the test clock, offers, yes and done through the market API) and reserved, rejected with a
 * reason, the next reserved and confirmed — the candidate list, the listing's status, the
 * agreement and its contract at each step — and every refusal: bad bodies, unknown or
 * foreign listings, a candidate who has not said yes, nobody reserved, rights and tokens.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "jobs/jobs.h"
#include "market_common.h"

static struct harness *h;
static struct fixture_company co, other;
static int64_t estate, req, other_listing;
static int people;

/* Listings are published at T - 24 h, so their applications close at T (as test_process.c). */
#define T 1799928000LL
#define US 1000000LL

static void setup(void)
{
	char body[256];
	int64_t other_estate, other_req, apt;

	core_clock_set((T - 86400) * US);
	h = harness_create();
	cr_assert_eq(server_register_job_kinds(), 0);
	fixture_company(h, "Acme", &co);
	fixture_company(h, "Other", &other);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200, body);
	req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, rent_factor) VALUES (%lld, 'Inkomst', 3) RETURNING id",
			     (long long)co.id);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Theirs 1\", \"city\": \"Uppsala\", \"office\": %lld}",
		 (long long)other.root_office);
	other_estate = market_post_id(h, other.admin_token, "/api/v4/estate", 200, body);
	other_req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Theirs') RETURNING id",
				   (long long)other.id);
	apt = market_apartment(h, other.admin_token, other_estate, "2201", 2, 50, 8000, 59.858, 17.639, "75320");
	other_listing = market_listing(h, other.admin_token, apt, other_req, "");
}

static void teardown(void)
{
	core_clock_set(0);
	harness_destroy(h);
}

TestSuite(reservations, .init = setup, .fini = teardown);

/* ---- fixtures ---- */

/* A listing (rent 8000) published at T - 24 h, closing at T, offering to batch at a time. */
static int64_t listing(int batch)
{
	char nid[16];
	int64_t apt, id;
	snprintf(nid, sizeof(nid), "%d", 1301 + people++);
	core_clock_set((T - 86400) * US);
	apt = market_apartment(h, co.admin_token, estate, nid, 2, 50, 8000, 59.336, 18.064, "11143");
	id = market_listing(h, co.admin_token, apt, req, ", \"candidate_sorting_mode\": \"queue_points\"");
	harness_sql(h, "UPDATE object_ads SET batch_size = %d, offer_min_response_time = 48 WHERE id = %lld", batch,
		       (long long)id);
	core_clock_set((T - 3600) * US);
	return id;
}

/* An applicant in the residential queue for days; its token into tok (1024 bytes). */
static void applicant(int days, char *tok)
{
	char body[768], email[64], pnr[16];
	struct hresp *r;
	int64_t id;

	snprintf(email, sizeof(email), "p%d@example.se", people++);
	market_personal_number("19900101", people, pnr);
	snprintf(body, sizeof(body),
		 "{\"email\": \"%s\", \"password\": \"hemligt123\", \"firstName\": \"P%d\", \"lastName\": \"Q\","
		 " \"personalNumber\": \"%s\", \"income\": {\"gross\": 40000, \"source\": \"employment_permanent\"},"
		 " \"household\": {\"adults\": 1, \"children\": 0}, \"accommodation\": {\"type\": \"sublet\"}}",
		 email, people, pnr);
	market_register(h, body);
	market_sign_in(h, email, "hemligt123", tok);
	market_join(h, tok, "residential");
	r = market_bearer(h, "GET", "/v2/market/applicant/profile", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = atoll(hresp_str(r, "id"));
	hresp_free(r);
	harness_sql(h, "UPDATE queue_memberships SET joined_at = joined_at - %d WHERE user_id = %lld", days * 86400,
		       (long long)id);
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

/* The application's presentation type ("" none) and etag (16 bytes each), as its applicant sees it. */
static void look(const char *tok, int64_t id, char *type, char *etag)
{
	char target[128];
	struct hresp *r;
	json_t *app, *p;
	snprintf(target, sizeof(target), "/v2/market/applications/%lld", (long long)id);
	r = market_bearer(h, "GET", target, tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	app = json_object_get(r->json, "application");
	p = json_object_get(app, "presentation");
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

/* The applicant answers its application's current step with cmd (must be 200). */
static void answer(const char *tok, int64_t ad, int64_t id, const char *cmd)
{
	char target[128], body[256], type[16], etag[16];
	struct hresp *r;
	look(tok, id, type, etag);
	snprintf(target, sizeof(target), "/v2/market/%lld/applications/%lld", (long long)ad, (long long)id);
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"%s\"}}", etag, cmd);
	r = market_bearer(h, "POST", target, tok, body);
	cr_assert_eq(r->status, 200, "%s: %s", cmd, r->body);
	hresp_free(r);
}

/* Moves the clock past the close (T + 60 s), runs the jobs and renews the landlords' tokens. */
static void close_applications(void)
{
	core_clock_set((T + 60) * US);
	market_run_jobs(h);
	fixture_token(h, co.admin_id, co.admin_token);
	fixture_token(h, other.admin_id, other.admin_token);
}

static struct hresp *post(const char *token, int64_t ad, const char *what, const char *body)
{
	char target[256];
	snprintf(target, sizeof(target), "/api/v1/object_ad/%lld/reservation/%s", (long long)ad, what);
	return harness_auth(h, "POST", target, token, body);
}

static void expect_status(struct hresp *r, const char *status)
{
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "status"), status, "%s", r->body);
}

static const char *listing_status(int64_t ad)
{
	static char out[32];
	char target[128];
	struct hresp *r;
	snprintf(target, sizeof(target), "/api/v1/object_ad/%lld/", (long long)ad);
	r = harness_auth(h, "GET", target, co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	snprintf(out, sizeof(out), "%s", jstr(json_object_get(r->json, "object_ad"), "status"));
	hresp_free(r);
	return out;
}

/* The candidate list's item of application id (closed ones included); the caller frees *r. */
static json_t *candidate(int64_t ad, int64_t id, struct hresp **r)
{
	char target[128];
	snprintf(target, sizeof(target), "/api/v1/object_ad/%lld/applications/?closed=true&amount=100", (long long)ad);
	*r = harness_auth(h, "GET", target, co.admin_token, NULL);
	cr_assert_eq((*r)->status, 200, "%s", (*r)->body);
	return find_id(json_object_get((*r)->json, "results"), id);
}

/*
 * A listing with three candidates after the close (batch 2): a1 (place 1) said yes and did
 * the form (viewing), a2 (place 2) said yes (form), a3 (place 3) not offered yet.
 */
struct scene {
	int64_t ad, a1, a2, a3;
	char t1[1024], t2[1024], t3[1024];
};

static void scene(struct scene *s)
{
	s->ad = listing(2);
	applicant(300, s->t1);
	applicant(200, s->t2);
	applicant(100, s->t3);
	s->a1 = apply(s->t1, s->ad);
	s->a2 = apply(s->t2, s->ad);
	s->a3 = apply(s->t3, s->ad);
	close_applications();
	answer(s->t1, s->ad, s->a1, "yes");
	answer(s->t1, s->ad, s->a1, "done");
	answer(s->t2, s->ad, s->a2, "yes");
	cr_assert_str_eq(type_of(s->t1, s->a1), "viewingInfo");
	cr_assert_str_eq(type_of(s->t2, s->a2), "form");
	cr_assert_str_eq(type_of(s->t3, s->a3), "");
}

/* ---- rejection reasons ---- */

Test(reservations, rejection_reasons)
{
	char observer[1024], consumer[1024];
	struct hresp *r;
	json_t *reasons, *first;

	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	r = harness_auth(h, "GET", "/api/v1/rejection_reasons/", observer, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "reasons", NULL });
	reasons = json_object_get(r->json, "reasons");
	cr_assert_eq(json_array_size(reasons), 7, "%s", r->body);
	first = json_array_get(reasons, 0);
	expect_keys(first, (const char *const[]){ "description", "id", NULL });
	cr_assert_eq(jint(first, "id"), 1);
	cr_assert_str_eq(jstr(first, "description"), "Insufficient income");
	cr_assert_str_eq(jstr(json_array_get(reasons, 6), "description"), "Other");
	hresp_free(r);
	/* without the trailing slash too */
	r = harness_auth(h, "GET", "/api/v1/rejection_reasons", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/rejection_reasons/", NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	fixture_consumer(h, "consumer@example.se", consumer);
	r = harness_auth(h, "GET", "/api/v1/rejection_reasons/", consumer, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
}

/* ---- the whole way ---- */

Test(reservations, reserve_reject_reserve_confirm_sign)
{
	struct scene s;
	struct hresp *r;
	json_t *it, *g;
	int64_t agreement;
	char target[256];

	scene(&s);
	/* nobody reserved yet */
	it = candidate(s.ad, s.a1, &r);
	cr_assert(json_is_false(json_object_get(it, "reserved")), "%s", r->body);
	cr_assert_eq(jint(it, "rank"), 1);
	cr_assert_str_eq(jstr(it, "offer_status"), "yes");
	cr_assert(json_is_null(json_object_get(json_object_get(r->json, "process"), "reserved_application")), "%s",
		  r->body);
	hresp_free(r);

	/* reserve place 1 */
	snprintf(target, sizeof(target), "{\"application\": %lld}", (long long)s.a1);
	r = post(co.admin_token, s.ad, "", target);
	expect_status(r, "reserved");
	cr_assert_eq(hresp_int(r, "application"), s.a1, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "application", "status", NULL });
	hresp_free(r);
	cr_assert_str_eq(listing_status(s.ad), "reserved");
	it = candidate(s.ad, s.a1, &r);
	cr_assert(json_is_true(json_object_get(it, "reserved")), "%s", r->body);
	cr_assert_eq(jint(json_object_get(r->json, "process"), "reserved_application"), s.a1, "%s", r->body);
	hresp_free(r);
	/* a second reservation while one stands: the listing is no longer active */
	snprintf(target, sizeof(target), "{\"application\": %lld}", (long long)s.a2);
	r = post(co.admin_token, s.ad, "", target);
	expect_error(r, 412, "InvalidStatus");
	hresp_free(r);

	/* reject it: annulled with the reason, the listing active, place 3 offered */
	r = post(co.admin_token, s.ad, "reject/", "{\"reason\": 5}");
	expect_status(r, "active");
	expect_keys(r->json, (const char *const[]){ "status", NULL });
	hresp_free(r);
	cr_assert_str_eq(listing_status(s.ad), "active");
	cr_assert_str_eq(type_of(s.t1, s.a1), "annulled");
	cr_assert_str_eq(type_of(s.t3, s.a3), "questionYesNo");
	it = candidate(s.ad, s.a1, &r);
	cr_assert_eq(jint(it, "rejection_reason"), 5, "%s", r->body);
	cr_assert(json_is_null(json_object_get(it, "offer_status")), "%s", r->body);
	cr_assert(json_is_false(json_object_get(it, "reserved")), "%s", r->body);
	cr_assert_str_eq(jstr(it, "state"), "annulled");
	/* ApplyStats: a2 yes, a3 pending, the rejected one neither */
	{
		json_t *offer = json_object_get(json_object_get(r->json, "current_stats"), "offer_status");
		cr_assert_eq(jint(offer, "yes"), 1, "%s", r->body);
		cr_assert_eq(jint(offer, "pending"), 1, "%s", r->body);
		cr_assert_eq(jint(offer, "no"), 0, "%s", r->body);
	}
	hresp_free(r);
	/* nobody reserved now: confirm and reject have nothing to act on */
	r = post(co.admin_token, s.ad, "confirm/", NULL);
	expect_error(r, 412, "NoReservation");
	hresp_free(r);
	r = post(co.admin_token, s.ad, "reject/", "{\"reason\": 1}");
	expect_error(r, 412, "NoReservation");
	hresp_free(r);

	/* place 2 finishes the form; reserved and confirmed */
	answer(s.t2, s.ad, s.a2, "done");
	snprintf(target, sizeof(target), "{\"application\": %lld}", (long long)s.a2);
	r = post(co.admin_token, s.ad, "", target);
	expect_status(r, "reserved");
	hresp_free(r);
	r = post(co.admin_token, s.ad, "confirm/", NULL);
	expect_status(r, "rented");
	expect_keys(r->json, (const char *const[]){ "agreement", "status", NULL });
	agreement = hresp_int(r, "agreement");
	cr_assert_gt(agreement, 0, "%s", r->body);
	hresp_free(r);
	cr_assert_str_eq(listing_status(s.ad), "rented");
	cr_assert_str_eq(type_of(s.t2, s.a2), "signing");
	market_run_jobs(h); /* the other applications are ended by a job (process_close_out) */
	cr_assert_str_eq(type_of(s.t3, s.a3), "completed");
	/* confirmed once: nothing reserved any more */
	r = post(co.admin_token, s.ad, "confirm/", "");
	expect_error(r, 412, "NoReservation");
	hresp_free(r);

	/* the agreement: the landlord's and the tenant's (its market token) */
	snprintf(target, sizeof(target), "/api/v1/agreements/?rental_id=%lld", (long long)s.ad);
	r = harness_auth(h, "GET", target, co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 1, "%s", r->body);
	g = json_array_get(json_object_get(r->json, "results"), 0);
	cr_assert_eq(jint(g, "id"), agreement);
	cr_assert_eq(jint(g, "rental_id"), s.ad);
	cr_assert_str_eq(jstr(json_object_get(g, "apartment"), "street"), "Kungsgatan");
	cr_assert_str_eq(jstr(json_object_get(g, "landlord"), "name"), "Acme");
	cr_assert(json_is_null(json_object_get(g, "signed")), "%s", r->body);
	hresp_free(r);
	r = market_bearer(h, "GET", "/api/v1/agreements/", s.t2, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 1, "%s", r->body);
	hresp_free(r);
	r = market_bearer(h, "GET", "/api/v1/agreements/", s.t1, NULL);
	cr_assert_eq(hresp_int(r, "total"), 0, "%s", r->body);
	hresp_free(r);

	/* the tenant signs: the contract sealed, the agreement signed, the file verifies */
	answer(s.t2, s.ad, s.a2, "sign");
	cr_assert_str_eq(type_of(s.t2, s.a2), "contractSigned");
	r = market_bearer(h, "GET", "/api/v1/agreements/", s.t2, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	g = json_array_get(json_object_get(r->json, "results"), 0);
	cr_assert(json_is_string(json_object_get(g, "signed")), "%s", r->body);
	hresp_free(r);
	snprintf(target, sizeof(target), "/api/v1/agreements/%lld/digital_contract/", (long long)agreement);
	r = market_bearer(h, "GET", target, s.t2, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(r->content_type, "application/pdf");
	cr_assert(memmem(r->body, r->body_len, "/RentdSignature", 15), "not the sealed file");
	hresp_free(r);
	{
		char *uuid = harness_sql_text(h, "SELECT contract_uuid FROM agreements WHERE id = %lld", (long long)agreement);
		snprintf(target, sizeof(target), "/api/v1/digital_contract/verify/?uuid=%s", uuid);
		free(uuid);
		r = harness_request(h, "GET", target, NULL);
		cr_assert_eq(r->status, 200, "%s", r->body);
		cr_assert(json_is_true(json_object_get(r->json, "is_valid")), "%s", r->body);
		hresp_free(r);
	}
}

/* ---- refusals ---- */

Test(reservations, who_is_no_candidate)
{
	struct scene s;
	struct hresp *r;
	char body[64];
	int64_t theirs;
	char tok[1024];

	scene(&s);
	/* place 3 was never offered; place 2 has said yes (form): a candidate too */
	snprintf(body, sizeof(body), "{\"application\": %lld}", (long long)s.a3);
	r = post(co.admin_token, s.ad, "", body);
	expect_invalid(r, "application");
	hresp_free(r);
	/* unknown, and another listing's application */
	r = post(co.admin_token, s.ad, "", "{\"application\": 999999}");
	expect_invalid(r, "application");
	hresp_free(r);
	core_clock_set((T - 3600) * US);
	{
		int64_t ad2 = listing(1);
		applicant(50, tok);
		theirs = apply(tok, ad2);
	}
	core_clock_set((T + 60) * US);
	snprintf(body, sizeof(body), "{\"application\": %lld}", (long long)theirs);
	r = post(co.admin_token, s.ad, "", body);
	expect_invalid(r, "application");
	hresp_free(r);
	cr_assert_str_eq(listing_status(s.ad), "active");
}

Test(reservations, bad_bodies)
{
	static const struct {
		const char *what, *body, *field;
	} cases[] = {
		{ "", NULL, "application" },
		{ "", "{}", "application" },
		{ "", "{\"application\": null}", "application" },
		{ "", "{\"application\": \"x\"}", "application" },
		{ "", "{\"application\": 0}", "application" },
		{ "", "{\"application\": -4}", "application" },
		{ "", "{\"application\": 1.5}", "application" },
		{ "", "{\"application\": true}", "application" },
		{ "", "[1]", "body" },
		{ "reject/", NULL, "reason" },
		{ "reject/", "{}", "reason" },
		{ "reject/", "{\"reason\": \"abc\"}", "reason" },
		{ "reject/", "{\"reason\": 0}", "reason" },
		{ "reject/", "{\"reason\": []}", "reason" },
		{ "reject/", "{\"application\": 1}", "reason" },
	};
	struct scene s;
	char body[64];
	struct hresp *r;

	scene(&s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = post(co.admin_token, s.ad, cases[i].what, cases[i].body);
		expect_invalid(r, cases[i].field);
		hresp_free(r);
	}
	/* not JSON */
	r = post(co.admin_token, s.ad, "", "{\"application\": ");
	cr_assert_eq(r->status, 400, "%s", r->body);
	hresp_free(r);
	/* a reason that is none of the list, once someone is reserved */
	snprintf(body, sizeof(body), "{\"application\": %lld}", (long long)s.a1);
	r = post(co.admin_token, s.ad, "", body);
	expect_status(r, "reserved");
	hresp_free(r);
	r = post(co.admin_token, s.ad, "reject/", "{\"reason\": 99}");
	expect_invalid(r, "reason");
	hresp_free(r);
	cr_assert_str_eq(listing_status(s.ad), "reserved"); /* nothing changed */
	cr_assert_str_eq(type_of(s.t1, s.a1), "viewingInfo");
}

Test(reservations, a_listing_the_caller_does_not_see)
{
	static const char *const whats[] = { "", "confirm/", "reject/" };
	struct scene s;
	char syd[1024], body[64];
	int64_t sub_office;
	struct hresp *r;

	scene(&s);
	sub_office = fixture_office(h, co.id, co.root_office, "Syd");
	fixture_employee(h, co.id, sub_office, "admin", "syd-admin", syd);
	snprintf(body, sizeof(body), "{\"application\": %lld, \"reason\": 1}", (long long)s.a1);
	for (size_t i = 0; i < 3; i++) {
		/* another company's listing, its own listing for another company, an unknown one, outside the subtree */
		r = post(co.admin_token, other_listing, whats[i], body);
		expect_error(r, 412, "NoSuchObjectAd");
		hresp_free(r);
		r = post(other.admin_token, s.ad, whats[i], body);
		expect_error(r, 412, "NoSuchObjectAd");
		hresp_free(r);
		r = post(co.admin_token, 999999, whats[i], body);
		expect_error(r, 412, "NoSuchObjectAd");
		hresp_free(r);
		r = post(syd, s.ad, whats[i], body);
		expect_error(r, 412, "NoSuchObjectAd");
		hresp_free(r);
	}
	cr_assert_str_eq(listing_status(s.ad), "active");
	r = harness_auth(h, "POST", "/api/v1/object_ad/abc/reservation/", co.admin_token, body);
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
}

Test(reservations, rights_and_tokens)
{
	static const char *const whats[] = { "", "confirm/", "reject/" };
	struct scene s;
	char observer[1024], consumer[1024], body[64];
	struct hresp *r;

	scene(&s);
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	fixture_consumer(h, "consumer@example.se", consumer);
	snprintf(body, sizeof(body), "{\"application\": %lld, \"reason\": 1}", (long long)s.a1);
	for (size_t i = 0; i < 3; i++) {
		r = post(observer, s.ad, whats[i], body);
		expect_no_right(r, "entity.object_ad.update");
		hresp_free(r);
		r = post(consumer, s.ad, whats[i], body);
		expect_error(r, 403, "PermissionDenied");
		hresp_free(r);
		r = post(NULL, s.ad, whats[i], body);
		expect_error(r, 401, "Unauthorized");
		hresp_free(r);
		/* an applicant's token is the market API's */
		r = post(s.t1, s.ad, whats[i], body);
		expect_error(r, 401, "Unauthorized");
		hresp_free(r);
	}
	cr_assert_str_eq(listing_status(s.ad), "active");
}

Test(reservations, a_listing_that_is_not_active)
{
	struct scene s;
	char body[64], target[128];
	struct hresp *r;

	scene(&s);
	snprintf(target, sizeof(target), "/api/v1/object_ad/%lld", (long long)s.ad);
	r = harness_auth(h, "PATCH", target, co.admin_token, "{\"status\": \"paused\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	snprintf(body, sizeof(body), "{\"application\": %lld}", (long long)s.a1);
	r = post(co.admin_token, s.ad, "", body);
	expect_error(r, 412, "InvalidStatus");
	hresp_free(r);
	r = post(co.admin_token, s.ad, "confirm/", NULL);
	expect_error(r, 412, "NoReservation");
	hresp_free(r);
}
