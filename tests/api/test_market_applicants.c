/*
 * The market dialect's applicants (Momentum v2, docs/API.md "Market API"): registration,
 * POST /v2/auth (B.6, M-34) and logout, GET /v2/market/applicant (B.4) and its status (B.3),
 * the profile, queue commands, blocks; tokens of one API refused by the other; the deployed
 * prefix (M-33), /assets/app-settings.json and the optional X-Api-Key (M-31); the date formats.
 */
#include "org_common.h"

#include <regex.h>

#include "core/market/applicants.h"
#include "dialects/market.h"

static struct harness *h;

static void setup(void)
{
	h = harness_create();
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(market_applicants, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static struct hresp *bearer(const char *method, const char *target, const char *token, const char *body)
{
	char auth[1200];
	const char *headers[] = { auth, NULL };
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  token ? headers : NULL);
}

/* M-28: {"code","message"[,"field"]} with this status and code; field when given. */
static void expect_market(const struct hresp *r, int status, const char *code, const char *field)
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

static const char *const anna =
	"{\"email\": \"anna@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Anna\","
	" \"lastName\": \"Svensson\", \"personalNumber\": \"19900101-0017\", \"phone\": \"070-1234567\","
	" \"income\": {\"gross\": 32000, \"source\": \"employment_permanent\"}, \"occupation\": \"employed\","
	" \"household\": {\"adults\": 1, \"children\": 0}, \"accommodation\": {\"type\": \"sublet\"},"
	" \"pets\": true, \"smoking\": false}";

static void register_ok(const char *body)
{
	struct hresp *r = harness_request(h, "POST", "/v2/applicants", body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

/* Signs in and returns the access token in tok (1024 bytes). */
static void sign_in(const char *email, const char *password, char *tok)
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

static void anna_in(char *tok)
{
	register_ok(anna);
	sign_in("anna@example.se", "hemligt123", tok);
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

static json_t *queue_of(json_t *applicant, const char *id)
{
	json_t *queues = json_object_get(applicant, "queues"), *q;
	size_t i;
	json_array_foreach(queues, i, q)
		if (strcmp(json_string_value(json_object_get(q, "id")), id) == 0)
			return q;
	return NULL;
}

static struct hresp *queue_cmd(const char *tok, const char *queue, const char *body)
{
	char p[256];
	return bearer("POST", pathf(p, "/v2/market/applicant/queues/%s", queue), tok, body);
}

/* ---- registration ---- */

Test(market_applicants, register_answers_the_profile)
{
	struct hresp *r = harness_request(h, "POST", "/v2/applicants", anna);
	json_t *income, *household;

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Location"), "/v2/market/applicant/profile");
	cr_assert(json_is_string(json_object_get(r->json, "id")), "ids are strings (M-21): %s", r->body);
	cr_assert_str_eq(hresp_str(r, "email"), "anna@example.se");
	cr_assert_str_eq(hresp_str(r, "personalNumber"), "199001010017");
	cr_assert_str_eq(hresp_str(r, "birthDate"), "1990-01-01");
	income = json_object_get(r->json, "income");
	cr_assert_eq(json_integer_value(json_object_get(income, "gross")), 32000);
	cr_assert_str_eq(json_string_value(json_object_get(income, "source")), "employment_permanent");
	household = json_object_get(r->json, "household");
	cr_assert_eq(json_integer_value(json_object_get(household, "adults")), 1);
	cr_assert_null(json_object_get(household, "coApplicant"), "absent members are omitted (M-20)");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "accommodation"), "type")), "sublet");
	cr_assert(json_is_true(json_object_get(r->json, "pets")));
	cr_assert_null(json_object_get(r->json, "password"));
	hresp_free(r);
}

Test(market_applicants, register_with_a_birth_date_only)
{
	register_ok("{\"email\": \"bo@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Bo\","
		    " \"lastName\": \"Ek\", \"birthDate\": \"1950-06-30\"}");
}

/* The short forms of a personal number: the century is the latest possible, "+" a century earlier. */
Test(market_applicants, personal_number_forms)
{
	static const struct {
		const char *pn, *normal, *birth;
	} ok[] = {
		{ "900101-0017", "199001010017", "1990-01-01" },
		{ "9001010017", "199001010017", "1990-01-01" },
		{ "199001010017", "199001010017", "1990-01-01" },
		{ "250101+0017", "192501010017", "1925-01-01" },
	};
	char body[512], email[64];
	struct hresp *r;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(email, sizeof(email), "p%zu@example.se", i);
		snprintf(body, sizeof(body), "{\"email\": \"%s\", \"password\": \"hemligt123\", \"firstName\": \"A\","
			 " \"lastName\": \"B\", \"personalNumber\": \"%s\"}", email, ok[i].pn);
		r = harness_request(h, "POST", "/v2/applicants", body);
		cr_assert_eq(r->status, 201, "%s: %s", ok[i].pn, r->body);
		cr_assert_str_eq(hresp_str(r, "personalNumber"), ok[i].normal);
		cr_assert_str_eq(hresp_str(r, "birthDate"), ok[i].birth);
		hresp_free(r);
	}
	/* 2025: too young; "+" with the long form; a separator elsewhere */
	static const char *const bad[] = { "250101-0017", "19900101+0017", "9001-010017", "199001010017x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "{\"email\": \"q%zu@example.se\", \"password\": \"hemligt123\", \"firstName\": \"A\","
			 " \"lastName\": \"B\", \"personalNumber\": \"%s\"}", i, bad[i]);
		r = harness_request(h, "POST", "/v2/applicants", body);
		cr_assert_eq(r->status, 400, "%s: %s", bad[i], r->body);
		hresp_free(r);
	}
}

Test(market_applicants, register_bad_input)
{
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\"}", "email" },
		{ "{\"email\": \"a@b.se\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\"}", "password" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\"}", "firstName" },
		{ "{\"email\": \"a@b.se\", \"password\": \"short\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\"}", "password" },
		{ "{\"email\": \"not-an-address\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\"}", "email" },
		{ "{\"email\": 42, \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\"}", "email" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\"}", "birthDate" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-02-30\"}", "birthDate" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"2020-01-01\"}", "birthDate" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"personalNumber\": \"19900101-0018\"}", "personalNumber" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\", \"occupation\": \"astronaut\"}", "occupation" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\", \"income\": {\"gross\": -1}}", "income.gross" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\", \"income\": {\"source\": \"lottery\"}}", "income.source" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\", \"household\": {\"adults\": 0}}", "household.adults" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\", \"pets\": \"yes\"}", "pets" },
		{ "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"A\", \"lastName\": \"B\", \"birthDate\": \"1990-01-01\", \"accommodation\": {\"type\": \"castle\"}}", "accommodation.type" },
		{ "[1, 2]", "body" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hresp *r = harness_request(h, "POST", "/v2/applicants", cases[i].body);
		expect_market(r, 400, "BadRequest", cases[i].field);
		hresp_free(r);
	}
}

Test(market_applicants, register_too_long_and_malformed)
{
	char body[1024], name[202];
	struct hresp *r;

	memset(name, 'x', 101);
	name[101] = '\0';
	snprintf(body, sizeof(body), "{\"email\": \"a@b.se\", \"password\": \"hemligt123\", \"firstName\": \"%s\","
		 " \"lastName\": \"B\", \"birthDate\": \"1990-01-01\"}", name);
	r = harness_request(h, "POST", "/v2/applicants", body);
	expect_market(r, 400, "BadRequest", "firstName");
	hresp_free(r);
	r = harness_request(h, "POST", "/v2/applicants", "{\"email\": ");
	expect_market(r, 400, "BadRequest", NULL);
	hresp_free(r);
}

Test(market_applicants, register_twice_is_a_conflict)
{
	struct hresp *r;
	register_ok(anna);
	r = harness_request(h, "POST", "/v2/applicants", anna);
	expect_market(r, 400, "BadRequest", "email");
	hresp_free(r);
}

/* ---- sign-in and sign-out ---- */

Test(market_applicants, sign_in_through_the_deployed_prefix)
{
	struct hresp *r;
	register_ok(anna);
	r = harness_request(h, "POST", "/Prod/Acme/PmApi/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"ANNA@example.se\", \"key\": \"hemligt123\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_string(json_object_get(json_object_get(r->json, "completed"), "accessToken")), "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/Test/NassjoKommun/PmApi/V2/auth",
			    "{\"method\": \"password\", \"identifier\": \"anna@example.se\", \"key\": \"hemligt123\"}");
	cr_assert_eq(r->status, 200, "V2 in upper case too: %s", r->body);
	hresp_free(r);
}

Test(market_applicants, wrong_password_is_401_without_completed)
{
	struct hresp *r;
	register_ok(anna);
	r = harness_request(h, "POST", "/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"anna@example.se\", \"key\": \"wrong-one\"}");
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = harness_request(h, "POST", "/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"nobody@example.se\", \"key\": \"hemligt123\"}");
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
}

Test(market_applicants, sign_in_is_throttled)
{
	struct hresp *r;
	register_ok(anna);
	for (int i = 0; i < LOGIN_MAX_USER_FAILURES; i++) {
		r = harness_request(h, "POST", "/v2/auth",
				    "{\"method\": \"password\", \"identifier\": \"anna@example.se\", \"key\": \"wrong-one\"}");
		cr_assert_eq(r->status, 401, "%s", r->body);
		hresp_free(r);
	}
	r = harness_request(h, "POST", "/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"anna@example.se\", \"key\": \"hemligt123\"}");
	expect_market(r, 429, "RateLimited", NULL);
	cr_assert(hresp_header(r, "Retry-After"));
	hresp_free(r);
}

Test(market_applicants, sign_in_bad_input)
{
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"identifier\": \"a@b.se\", \"key\": \"x\"}", "method" },
		{ "{\"method\": \"bankid\", \"identifier\": \"a@b.se\", \"key\": \"x\"}", "method" },
		{ "{\"method\": \"password\", \"key\": \"x\"}", "identifier" },
		{ "{\"method\": \"password\", \"identifier\": \"a@b.se\"}", "key" },
		{ "{\"method\": \"password\", \"identifier\": 7, \"key\": \"x\"}", "identifier" },
		{ "{\"method\": \"password\", \"identifier\": \"a@b.se\", \"key\": \"x\", \"codeChallenge\": \"short\", \"codeChallengeMethod\": \"S256\"}", "codeChallenge" },
		{ "{\"method\": \"password\", \"identifier\": \"a@b.se\", \"key\": \"x\", \"codeChallenge\": \"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\", \"codeChallengeMethod\": \"plain\"}", "codeChallengeMethod" },
		{ "{\"method\": \"password\", \"identifier\": \"a@b.se\", \"key\": \"x\", \"codeChallenge\": \"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\"}", "codeChallengeMethod" },
		{ "{\"method\": \"password\", \"identifier\": \"a@b.se\", \"key\": \"x\", \"codeChallenge\": \"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM\", \"codeChallengeMethod\": \"S256\"}", "codeChallenge" },
		{ "{\"method\": \"password\", \"identifier\": \"a@b.se\", \"key\": \"x\", \"codeChallengeMethod\": \"S256\"}", "codeChallenge" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hresp *r = harness_request(h, "POST", "/v2/auth", cases[i].body);
		expect_market(r, 400, "BadRequest", cases[i].field);
		hresp_free(r);
	}
}

Test(market_applicants, logout_ends_the_token)
{
	char tok[1024], again[1024];
	struct hresp *r;

	anna_in(tok);
	r = bearer("POST", "/v2/auth/logout", tok, "{\"returnAddress\": \"https://x.se/\", \"global\": false, \"keepSingleSignOn\": false}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applicant/status", tok, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = bearer("POST", "/v2/auth/logout", tok, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	/* a new sign-in works at once */
	sign_in("anna@example.se", "hemligt123", again);
	r = bearer("GET", "/v2/market/applicant/status", again, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

Test(market_applicants, refresh_tokens)
{
	char tok[1024], refresh[1024], body[1400];
	struct hresp *r;
	json_t *completed;

	register_ok(anna);
	r = harness_request(h, "POST", "/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"anna@example.se\", \"key\": \"hemligt123\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(json_object_get(json_object_get(r->json, "completed"), "refreshToken"), "only when asked: %s", r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"anna@example.se\", \"key\": \"hemligt123\","
			    " \"requestRefreshToken\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	completed = json_object_get(r->json, "completed");
	cr_assert(json_is_string(json_object_get(completed, "refreshToken")), "%s", r->body);
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(completed, "accessToken")));
	snprintf(refresh, sizeof(refresh), "%s", json_string_value(json_object_get(completed, "refreshToken")));
	hresp_free(r);
	/* a refresh token is no credential, here or on the landlord API */
	r = bearer("GET", "/v2/market/applicant/status", refresh, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = bearer("GET", "/api/v1/company/", refresh, NULL);
	cr_assert_eq(r->status, 401, "%s", r->body);
	hresp_free(r);
	/* it buys a new access token (and refresh token) */
	snprintf(body, sizeof(body), "{\"method\": \"refreshToken\", \"key\": \"%s\"}", refresh);
	r = harness_request(h, "POST", "/v2/auth", body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	completed = json_object_get(r->json, "completed");
	cr_assert(json_is_string(json_object_get(completed, "refreshToken")), "%s", r->body);
	{
		char fresh[1024];
		struct hresp *s2;
		snprintf(fresh, sizeof(fresh), "%s", json_string_value(json_object_get(completed, "accessToken")));
		s2 = bearer("GET", "/v2/market/applicant/status", fresh, NULL);
		cr_assert_eq(s2->status, 200, "%s", s2->body);
		hresp_free(s2);
	}
	hresp_free(r);
	/* an access token is not a refresh token */
	snprintf(body, sizeof(body), "{\"method\": \"refreshToken\", \"key\": \"%s\"}", tok);
	r = harness_request(h, "POST", "/v2/auth", body);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = harness_request(h, "POST", "/v2/auth", "{\"method\": \"refreshToken\"}");
	expect_market(r, 400, "BadRequest", "key");
	hresp_free(r);
	/* after a sign-out the refresh token is dead too */
	r = bearer("POST", "/v2/auth/logout", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	snprintf(body, sizeof(body), "{\"method\": \"refreshToken\", \"key\": \"%s\"}", refresh);
	r = harness_request(h, "POST", "/v2/auth", body);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
}

Test(market_applicants, user_endpoints_need_a_token)
{
	static const char *const gets[] = { "/v2/market/applicant", "/v2/market/applicant/status",
					    "/v2/market/applicant/profile" };
	struct hresp *r;
	for (size_t i = 0; i < 3; i++) {
		r = harness_request(h, "GET", gets[i], NULL);
		expect_market(r, 401, "Unauthorized", NULL);
		hresp_free(r);
		r = bearer("GET", gets[i], "not.a.token", NULL);
		expect_market(r, 401, "Unauthorized", NULL);
		hresp_free(r);
	}
	r = harness_request(h, "POST", "/v2/auth/logout", NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = harness_request(h, "POST", "/v2/market/applicant/queues/residential", "{\"command\": \"join\"}");
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
}

Test(market_applicants, landlord_and_consumer_tokens_are_refused_on_v2)
{
	struct fixture_company co;
	char consumer[1024];
	struct hresp *r;

	fixture_company(h, "Acme", &co);
	fixture_consumer(h, "c@example.se", consumer);
	r = bearer("GET", "/v2/market/applicant", co.admin_token, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applicant/status", consumer, NULL);
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
	/* and an employee cannot sign in through the market */
	r = harness_request(h, "POST", "/v2/auth",
			    "{\"method\": \"password\", \"identifier\": \"admin@Acme\", \"key\": \"admin-password\"}");
	expect_market(r, 401, "Unauthorized", NULL);
	hresp_free(r);
}

Test(market_applicants, applicant_token_is_refused_on_api)
{
	char tok[1024];
	struct hresp *r;
	anna_in(tok);
	r = bearer("GET", "/api/v1/company/", tok, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = bearer("GET", "/api/v1/employees/", tok, NULL);
	cr_assert_eq(r->status, 401, "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/api/v2/tokens/",
			    "{\"username\": \"anna@example.se\", \"password\": \"hemligt123\"}");
	expect_error(r, 403, "PermissionDenied"); /* applicants cannot log in as landlords */
	hresp_free(r);
}

/* ---- the applicant (B.4) and its status (B.3) ---- */

Test(market_applicants, applicant_shape)
{
	char tok[1024];
	struct hresp *r;
	json_t *role, *res, *cmd, *item;

	anna_in(tok);
	r = bearer("GET", "/v2/market/applicant", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "registered")));
	role = json_object_get(r->json, "role");
	/* F2 (M-08): Stockholm local time with its offset, 0–3 fraction digits */
	static const char *const f2 = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?\\+0[12]:00$";
	cr_assert(matches(json_string_value(json_object_get(role, "lastActive")), f2), "%s", r->body);
	cr_assert(matches(json_string_value(json_object_get(role, "validTo")), f2), "%s", r->body);
	cr_assert(matches(json_string_value(json_object_get(role, "deleteAfter")), f2), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "queues")), 5);
	res = queue_of(r->json, "residential");
	cr_assert_str_eq(json_string_value(json_object_get(res, "displayName")), "Bostad");
	cr_assert(json_is_false(json_object_get(res, "isMember")));
	cr_assert_str_eq(json_string_value(json_object_get(res, "value")), "0", "points are strings");
	cr_assert_null(json_object_get(res, "joined"), "joined only for members");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(res, "valueUnit"), "id")), "point");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(res, "valueUnit"), "displayName")), "Poäng");
	cmd = json_array_get(json_object_get(res, "commands"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(cmd, "command")), "join");
	item = json_array_get(json_object_get(cmd, "checklist"), 0);
	cr_assert(json_is_boolean(json_object_get(item, "passed")));
	cr_assert(json_is_string(json_object_get(item, "type")));
	hresp_free(r);
}

Test(market_applicants, join_leave_and_status)
{
	char tok[1024];
	struct hresp *r;
	json_t *q, *cmd;

	anna_in(tok);
	r = queue_cmd(tok, "residential", "{\"command\": \"join\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "isMember")), "%s", r->body);
	cmd = json_array_get(json_object_get(r->json, "commands"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(cmd, "command")), "leave");
	cr_assert_str_eq(json_string_value(json_object_get(cmd, "displayName")), "Gå ur");
	hresp_free(r);
	r = queue_cmd(tok, "parking", "{\"command\": {\"type\": \"join\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);

	r = bearer("GET", "/v2/market/applicant/status", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "queues")), 2, "%s", r->body);
	q = json_array_get(json_object_get(r->json, "queues"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(q, "displayName")), "Bostad");
	cr_assert_str_eq(json_string_value(json_object_get(q, "value")), "0");
	cr_assert_str_eq(json_string_value(json_object_get(q, "valueUnitDisplayName")), "Poäng");
	/* F1 with the Stockholm offset (M-08) */
	cr_assert(matches(json_string_value(json_object_get(q, "joined")), "^/Date\\([0-9]{13}\\+0[12]00\\)/$"), "%s",
		  r->body);
	hresp_free(r);

	r = queue_cmd(tok, "residential", "{\"command\": \"join\"}");
	expect_market(r, 409, "AlreadyMember", NULL);
	hresp_free(r);
	r = queue_cmd(tok, "residential", "{\"command\": \"leave\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "isMember")), "%s", r->body);
	hresp_free(r);
	r = queue_cmd(tok, "residential", "{\"command\": \"leave\"}");
	expect_market(r, 409, "NotMember", NULL);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applicant/status", tok, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "queues")), 1, "%s", r->body);
	hresp_free(r);
}

Test(market_applicants, queue_command_errors)
{
	char tok[1024];
	struct hresp *r;
	json_t *item;
	size_t i;
	bool age_failed = false;

	anna_in(tok);
	r = queue_cmd(tok, "castles", "{\"command\": \"join\"}");
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
	r = queue_cmd(tok, "residential", "{\"command\": \"dance\"}");
	expect_market(r, 400, "UnknownCommand", "command");
	hresp_free(r);
	r = queue_cmd(tok, "residential", "{\"command\": {\"type\": 3}}");
	expect_market(r, 400, "UnknownCommand", "command.type");
	hresp_free(r);
	r = queue_cmd(tok, "residential", "{}");
	expect_market(r, 400, "UnknownCommand", "command");
	hresp_free(r);
	/* Anna (born 1990) is no senior: 403 with the failed item */
	r = queue_cmd(tok, "senior", "{\"command\": \"join\"}");
	cr_assert_eq(r->status, 403, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "code"), "NotEligible");
	json_array_foreach(json_object_get(r->json, "checklist"), i, item)
		if (strcmp(json_string_value(json_object_get(item, "type")), "age") == 0)
			age_failed = json_is_false(json_object_get(item, "passed")) &&
				     json_is_string(json_object_get(item, "message"));
	cr_assert(age_failed, "%s", r->body);
	hresp_free(r);
	/* nor a student */
	r = queue_cmd(tok, "student", "{\"command\": \"join\"}");
	cr_assert_eq(r->status, 403, "%s", r->body);
	hresp_free(r);
}

Test(market_applicants, points_are_days_of_membership)
{
	int64_t now = 1796587412; /* 2026-12-06 21:03 CET */
	cr_assert_eq(applicant_points(now, now), 0);
	cr_assert_eq(applicant_points(now - 86400, now), 1);
	cr_assert_eq(applicant_points(now - 163 * 86400, now), 163);
	/* calendar days in Stockholm: 23:30 yesterday to 00:30 today is one day */
	cr_assert_eq(applicant_points(1796598000 - 3600 * 2, 1796598000 + 60), 1); /* 22:00 → 00:01 local */
	cr_assert_eq(applicant_points(now + 100, now), 0, "never negative");
}

Test(market_applicants, blocks_show_and_refuse_joining)
{
	char tok[1024];
	struct hresp *r;
	struct arena *a = arena_create(4096);
	struct error err;
	json_t *q, *block;
	int64_t id;

	anna_in(tok);
	r = bearer("GET", "/v2/market/applicant/profile", tok, NULL);
	id = atoll(hresp_str(r, "id"));
	hresp_free(r);
	error_init(&err, a);
	/* 2027-05-22 23:59 Stockholm (CEST) */
	cr_assert_eq(applicant_block(app_core(h->app), id, "parking", STR_LIT("Ej godkänd"),
				     STR_LIT("Du uppfyller inte kraven i vår uthyrningspolicy."), 1811023140, &err), 0);
	arena_destroy(a);
	r = bearer("GET", "/v2/market/applicant", tok, NULL);
	q = queue_of(r->json, "parking");
	block = json_object_get(q, "block");
	cr_assert(json_is_object(block), "%s", r->body);
	cr_assert_str_eq(json_string_value(json_object_get(block, "displayName")), "Ej godkänd");
	cr_assert_str_eq(json_string_value(json_object_get(block, "blockedUntilDate")), "2027-05-22 23:59", "F3: %s",
			 r->body);
	cr_assert_null(json_object_get(queue_of(r->json, "residential"), "block"));
	hresp_free(r);
	r = queue_cmd(tok, "parking", "{\"command\": \"join\"}");
	cr_assert_eq(r->status, 403, "%s", r->body);
	hresp_free(r);
	r = queue_cmd(tok, "residential", "{\"command\": \"join\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

Test(market_applicants, unregistered_consumer_is_not_registered)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct user_insert u;
	char hash[PASSWORD_HASH_MAX], tok[1024];
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
	sign_in("plain@example.se", "hemligt123", tok);
	r = bearer("GET", "/v2/market/applicant", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "registered")));
	cr_assert_null(json_object_get(r->json, "role"));
	hresp_free(r);
	r = bearer("GET", "/v2/market/applicant/profile", tok, NULL);
	expect_market(r, 404, "NotRegistered", NULL);
	hresp_free(r);
	r = queue_cmd(tok, "residential", "{\"command\": \"join\"}");
	cr_assert_eq(r->status, 403, "%s", r->body);
	hresp_free(r);
}

/* ---- the profile ---- */

Test(market_applicants, profile_read_and_edit)
{
	char tok[1024];
	struct hresp *r;
	json_t *co;

	anna_in(tok);
	r = bearer("PATCH", "/v2/market/applicant/profile", tok,
		   "{\"lastName\": \"Ek\", \"income\": {\"gross\": 41000}, \"household\": {\"adults\": 2,"
		   " \"coApplicant\": {\"name\": \"Bo Ek\", \"birthDate\": \"1989-03-04\", \"income\": 30000}},"
		   " \"smoking\": true, \"phone\": null}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "lastName"), "Ek");
	cr_assert_str_eq(hresp_str(r, "firstName"), "Anna", "absent members keep their value");
	cr_assert_null(json_object_get(r->json, "phone"), "null clears: %s", r->body);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(r->json, "income"), "gross")), 41000);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "income"), "source")),
			 "employment_permanent");
	co = json_object_get(json_object_get(r->json, "household"), "coApplicant");
	cr_assert_str_eq(json_string_value(json_object_get(co, "name")), "Bo Ek");
	cr_assert(json_is_true(json_object_get(r->json, "smoking")));
	hresp_free(r);
	r = bearer("GET", "/v2/market/applicant/profile", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "lastName"), "Ek");
	hresp_free(r);
	/* a co-applicant needs two adults; null removes the co-applicant */
	r = bearer("PATCH", "/v2/market/applicant/profile", tok, "{\"household\": {\"adults\": 1}}");
	expect_market(r, 400, "BadRequest", "household.adults");
	hresp_free(r);
	r = bearer("PUT", "/v2/market/applicant/profile", tok, "{\"household\": {\"adults\": 1, \"coApplicant\": null}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(json_object_get(json_object_get(r->json, "household"), "coApplicant"));
	hresp_free(r);
}

Test(market_applicants, profile_edit_bad_input)
{
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"firstName\": \"\"}", "firstName" },
		{ "{\"firstName\": 5}", "firstName" },
		{ "{\"email\": \"new@example.se\"}", "email" },
		{ "{\"birthDate\": \"1991-01-01\"}", "birthDate" }, /* not the personal number's date */
		{ "{\"occupation\": \"pirate\"}", "occupation" },
		{ "{\"household\": {\"children\": 99}}", "household.children" },
		{ "{\"household\": {\"coApplicant\": {\"birthDate\": \"1990-01-01\"}}}", "household.coApplicant.name" },
		{ "{\"smoking\": 1}", "smoking" },
		{ "\"text\"", "body" },
	};
	char tok[1024];

	anna_in(tok);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hresp *r = bearer("PATCH", "/v2/market/applicant/profile", tok, cases[i].body);
		expect_market(r, 400, "BadRequest", cases[i].field);
		hresp_free(r);
	}
}

/* The screening's members (migration 0022): credit, moves, children's birth years, co-applicant, warrantor. */
Test(market_applicants, screening_members_round_trip)
{
	char tok[1024];
	struct hresp *r;
	json_t *household, *co, *credit, *warrantor, *years;

	register_ok("{\"email\": \"cia@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Cia\","
		    " \"lastName\": \"Ek\", \"birthDate\": \"1985-02-01\", \"income\": {\"gross\": 30000,"
		    " \"source\": \"employment_permanent\"}, \"occupation\": \"employed\","
		    " \"credit\": {\"paymentRemarks\": 2, \"bankruptcy\": false, \"outstandingDebt\": true,"
		    " \"debtSanitization\": false}, \"moves\": 3,"
		    " \"household\": {\"adults\": 2, \"childrenBirthYears\": [2020, 2016],"
		    " \"coApplicant\": {\"name\": \"Dan Ek\", \"income\": 25000, \"incomeSource\": \"employment_temporary\","
		    " \"occupation\": \"employed\", \"credit\": {\"paymentRemarks\": 1}}},"
		    " \"warrantor\": {\"income\": 52000, \"credit\": {\"paymentRemarks\": 0, \"debtSanitization\": true}}}");
	sign_in("cia@example.se", "hemligt123", tok);
	r = bearer("GET", "/v2/market/applicant/profile", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	credit = json_object_get(r->json, "credit");
	cr_assert_eq(json_integer_value(json_object_get(credit, "paymentRemarks")), 2, "%s", r->body);
	cr_assert(json_is_false(json_object_get(credit, "bankruptcy")));
	cr_assert(json_is_true(json_object_get(credit, "outstandingDebt")));
	cr_assert(json_is_false(json_object_get(credit, "debtSanitization")));
	cr_assert_eq(json_integer_value(json_object_get(r->json, "moves")), 3);
	household = json_object_get(r->json, "household");
	cr_assert_eq(json_integer_value(json_object_get(household, "children")), 2,
		     "the birth years give the number of children: %s", r->body);
	years = json_object_get(household, "childrenBirthYears");
	cr_assert_eq(json_array_size(years), 2);
	cr_assert_eq(json_integer_value(json_array_get(years, 0)), 2020);
	cr_assert_eq(json_integer_value(json_array_get(years, 1)), 2016);
	co = json_object_get(household, "coApplicant");
	cr_assert_str_eq(json_string_value(json_object_get(co, "incomeSource")), "employment_temporary");
	cr_assert_str_eq(json_string_value(json_object_get(co, "occupation")), "employed");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(co, "credit"), "paymentRemarks")), 1);
	warrantor = json_object_get(r->json, "warrantor");
	cr_assert(json_is_object(warrantor), "%s", r->body);
	cr_assert_eq(json_integer_value(json_object_get(warrantor, "income")), 52000);
	cr_assert(json_is_true(json_object_get(json_object_get(warrantor, "credit"), "debtSanitization")));
	hresp_free(r);

	/* PATCH: absent members stay, null clears credit, the years and the warrantor */
	r = bearer("PATCH", "/v2/market/applicant/profile", tok,
		   "{\"credit\": null, \"warrantor\": null, \"household\": {\"children\": 0, \"childrenBirthYears\": null}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	credit = json_object_get(r->json, "credit");
	cr_assert_eq(json_integer_value(json_object_get(credit, "paymentRemarks")), 0, "%s", r->body);
	cr_assert(json_is_false(json_object_get(credit, "outstandingDebt")));
	cr_assert_null(json_object_get(r->json, "warrantor"), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(r->json, "household"), "childrenBirthYears")), 0);
	cr_assert_eq(json_integer_value(json_object_get(r->json, "moves")), 3, "absent: kept");
	hresp_free(r);

	/* a new warrantor starts clean; the co-applicant's null removes its credit too */
	r = bearer("PATCH", "/v2/market/applicant/profile", tok,
		   "{\"warrantor\": {\"income\": 40000}, \"household\": {\"adults\": 1, \"coApplicant\": null}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	warrantor = json_object_get(r->json, "warrantor");
	cr_assert_eq(json_integer_value(json_object_get(warrantor, "income")), 40000, "%s", r->body);
	cr_assert(json_is_false(json_object_get(json_object_get(warrantor, "credit"), "debtSanitization")), "%s", r->body);
	cr_assert_null(json_object_get(json_object_get(r->json, "household"), "coApplicant"));
	hresp_free(r);
	r = bearer("PATCH", "/v2/market/applicant/profile", tok,
		   "{\"household\": {\"adults\": 2, \"coApplicant\": {\"name\": \"Eva Ek\"}}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	co = json_object_get(json_object_get(r->json, "household"), "coApplicant");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(co, "credit"), "paymentRemarks")), 0, "%s", r->body);
	cr_assert_null(json_object_get(co, "occupation"), "%s", r->body);
	hresp_free(r);
}

Test(market_applicants, screening_members_bad_input)
{
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"credit\": 5}", "credit" },
		{ "{\"credit\": {\"paymentRemarks\": \"two\"}}", "credit.paymentRemarks" },
		{ "{\"credit\": {\"paymentRemarks\": -1}}", "credit.paymentRemarks" },
		{ "{\"credit\": {\"paymentRemarks\": 1001}}", "credit.paymentRemarks" },
		{ "{\"credit\": {\"bankruptcy\": \"yes\"}}", "credit.bankruptcy" },
		{ "{\"credit\": {\"outstandingDebt\": 1}}", "credit.outstandingDebt" },
		{ "{\"credit\": {\"debtSanitization\": null}}", "credit.debtSanitization" },
		{ "{\"moves\": -1}", "moves" },
		{ "{\"moves\": 101}", "moves" },
		{ "{\"moves\": true}", "moves" },
		{ "{\"household\": {\"childrenBirthYears\": \"2015\"}}", "household.childrenBirthYears" },
		{ "{\"household\": {\"childrenBirthYears\": [\"2015\"]}}", "household.childrenBirthYears[0]" },
		{ "{\"household\": {\"childrenBirthYears\": [2015, 15]}}", "household.childrenBirthYears[1]" },
		{ "{\"household\": {\"childrenBirthYears\": [2999]}}", "household.childrenBirthYears" },
		{ "{\"household\": {\"childrenBirthYears\": [1950]}}", "household.childrenBirthYears" },
		{ "{\"household\": {\"children\": 2, \"childrenBirthYears\": [2020]}}", "household.childrenBirthYears" },
		{ "{\"household\": {\"childrenBirthYears\": [2020, 2020, 2020, 2020, 2020, 2020, 2020, 2020, 2020, 2020,"
		  " 2020, 2020, 2020, 2020, 2020, 2020, 2020, 2020, 2020, 2020, 2020]}}", "household.childrenBirthYears" },
		{ "{\"household\": {\"coApplicant\": {\"occupation\": \"pirate\"}}}", "household.coApplicant.occupation" },
		{ "{\"household\": {\"coApplicant\": {\"incomeSource\": \"lottery\"}}}", "household.coApplicant.incomeSource" },
		{ "{\"household\": {\"coApplicant\": {\"credit\": {\"paymentRemarks\": -3}}}}",
		  "household.coApplicant.credit.paymentRemarks" },
		{ "{\"household\": {\"coApplicant\": {\"credit\": {\"bankruptcy\": true}}}}", "household.coApplicant.name" },
		{ "{\"warrantor\": 7}", "warrantor" },
		{ "{\"warrantor\": {\"income\": -5}}", "warrantor.income" },
		{ "{\"warrantor\": {\"income\": 10000001}}", "warrantor.income" },
		{ "{\"warrantor\": {\"income\": \"much\"}}", "warrantor.income" },
		{ "{\"warrantor\": {\"credit\": {\"debtSanitization\": \"no\"}}}", "warrantor.credit.debtSanitization" },
		{ "{\"warrantor\": {\"credit\": {\"paymentRemarks\": 5000}}}", "warrantor.credit.paymentRemarks" },
	};
	char tok[1024];
	struct hresp *r;

	anna_in(tok);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = bearer("PATCH", "/v2/market/applicant/profile", tok, cases[i].body);
		expect_market(r, 400, "BadRequest", cases[i].field);
		hresp_free(r);
	}
	/* the stored years must keep matching the number of children */
	r = bearer("PATCH", "/v2/market/applicant/profile", tok, "{\"household\": {\"childrenBirthYears\": [2020, 2022]}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = bearer("PATCH", "/v2/market/applicant/profile", tok, "{\"household\": {\"children\": 3}}");
	expect_market(r, 400, "BadRequest", "household.childrenBirthYears");
	hresp_free(r);
	/* registration checks them too */
	r = harness_request(h, "POST", "/v2/applicants",
			    "{\"email\": \"x@example.se\", \"password\": \"hemligt123\", \"firstName\": \"X\","
			    " \"lastName\": \"Y\", \"birthDate\": \"1990-01-01\", \"moves\": 500}");
	expect_market(r, 400, "BadRequest", "moves");
	hresp_free(r);
}

Test(market_applicants, another_applicants_data_is_not_visible)
{
	char anna_tok[1024], bo_tok[1024];
	struct hresp *r;

	anna_in(anna_tok);
	register_ok("{\"email\": \"bo@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Bo\","
		    " \"lastName\": \"Ek\", \"birthDate\": \"1950-06-30\"}");
	sign_in("bo@example.se", "hemligt123", bo_tok);
	r = queue_cmd(anna_tok, "residential", "{\"command\": \"join\"}");
	hresp_free(r);
	r = bearer("GET", "/v2/market/applicant/profile", bo_tok, NULL);
	cr_assert_str_eq(hresp_str(r, "email"), "bo@example.se");
	cr_assert_null(strstr(r->body, "anna"), "%s", r->body);
	hresp_free(r);
	r = bearer("GET", "/v2/market/applicant/status", bo_tok, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "queues")), 0, "%s", r->body);
	hresp_free(r);
	/* Bo (76) may join the senior queue; Anna's edit does not touch Bo */
	r = queue_cmd(bo_tok, "senior", "{\"command\": \"join\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

/* ---- bootstrap, prefix, API key ---- */

Test(market_applicants, app_settings_shape)
{
	struct hresp *r = harness_request(h, "GET", "/assets/app-settings.json", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_object_size(r->json), 4, "%s", r->body);
	cr_assert(hresp_str(r, "apiBaseUrl") && matches(hresp_str(r, "apiBaseUrl"), "^https?://.*/$"), "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "xApiKey"), "rentd-market");
	cr_assert(hresp_str(r, "appInstanceId"));
	cr_assert(hresp_str(r, "appVersion"));
	hresp_free(r);
}

Test(market_applicants, prefix_paths_and_trailing_slash)
{
	char tok[1024];
	struct hresp *r;

	anna_in(tok);
	r = bearer("GET", "/Prod/Vidingehem/PmApi/v2/market/applicant/status/", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = bearer("GET", "/Prod/Vidingehem/pmapi/V2/market/applicant", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	/* not the prefix: the landlord dialect's 404 */
	r = bearer("GET", "/Prod/Vidingehem/Other/v2/market/applicant", tok, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
	r = bearer("GET", "/Prod/Vidingehem/PmApi/v2x/market/applicant", tok, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
	/* unknown /v2/ paths answer in the market shape */
	r = harness_request(h, "GET", "/Prod/X/PmApi/v2/nothing/here", NULL);
	expect_market(r, 404, "NotFound", NULL);
	hresp_free(r);
}

Test(market_applicants, api_key_is_optional_and_accepted)
{
	char tok[1024];
	const char *headers[3];
	char auth[1200];
	struct hresp *r;

	anna_in(tok);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
	headers[0] = auth;
	headers[1] = "X-Api-Key: rentd-market";
	headers[2] = NULL;
	r = harness_request_ex(h, "GET", "/v2/market/applicant/status", NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	headers[1] = "X-Api-Key: some-other-portal";
	r = harness_request_ex(h, "GET", "/v2/market/applicant/status", NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 200, "not required by default (M-31): %s", r->body);
	hresp_free(r);
}

static void require_key(struct config *cfg)
{
	snprintf(cfg->market_api_key, sizeof(cfg->market_api_key), "portal-key-1");
	cfg->market_api_key_required = 1;
}

Test(market_applicants_key, required_api_key)
{
	struct harness *hk = harness_create_with(require_key);
	const char *good[] = { "X-Api-Key: portal-key-1", NULL };
	const char *bad[] = { "X-Api-Key: portal-key-2", NULL };
	const char *auth_body = "{\"method\": \"password\", \"identifier\": \"x@y.se\", \"key\": \"hemligt123\"}";
	struct hresp *r;

	r = harness_request_ex(hk, "POST", "/v2/auth", "application/json", auth_body, strlen(auth_body), NULL);
	cr_assert_eq(r->status, 401, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "code"), "Unauthorized");
	hresp_free(r);
	r = harness_request_ex(hk, "POST", "/v2/auth", "application/json", auth_body, strlen(auth_body), bad);
	cr_assert_eq(r->status, 401, "%s", r->body);
	hresp_free(r);
	/* with the key: on to the sign-in itself (an unknown user: 401 from the password check) */
	r = harness_request_ex(hk, "POST", "/v2/auth", "application/json", "{}", 2, good);
	cr_assert_eq(r->status, 400, "the key let it through to validation: %s", r->body);
	hresp_free(r);
	/* the bootstrap file names the key and needs none */
	r = harness_request(hk, "GET", "/assets/app-settings.json", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "xApiKey"), "portal-key-1");
	hresp_free(r);
	harness_destroy(hk);
}

/* ---- the dialect's writers ---- */

Test(market_applicants_formats, dates_ids_decimals)
{
	struct arena *a = arena_create(4096);
	struct buf b;
	struct jw w;
	char t[48];

	buf_init(&b, a, 256);
	jw_init(&w, &b);
	jw_array_begin(&w);
	market_f1(&w, 1785535200000, false);
	market_f1(&w, 1677661869310, true);
	market_f1(&w, 1785535200000, true);
	market_id(&w, 2597125);
	market_decimal4(&w, 4880);
	market_decimal4(&w, 5035.6);
	jw_array_end(&w);
	cr_assert_str_eq(arena_strndup(a, b.ptr, b.len),
			 "[\"/Date(1785535200000)/\",\"/Date(1677661869310+0100)/\",\"/Date(1785535200000+0200)/\","
			 "\"2597125\",4880.0000,5035.6000]");
	market_f2_text(1615465429330, t, sizeof(t));
	cr_assert_str_eq(t, "2021-03-11T13:23:49.33+01:00");
	market_f2_text(1617141600000, t, sizeof(t));
	cr_assert_str_eq(t, "2021-03-31T00:00:00+02:00");
	market_f2_text(1611584273357, t, sizeof(t));
	cr_assert_str_eq(t, "2021-01-25T15:17:53.357+01:00");
	market_f3_text(1684792740, t, sizeof(t));
	cr_assert_str_eq(t, "2023-05-22 23:59");
	arena_destroy(a);
}
