/*
 * The language of the market API's own texts (rentd's extension, docs/API.md "Languages"): the
 * "may I apply?" checklist and the screening of GET /v2/market/objects/{id}/status, the failed
 * checklist of a refused apply, placeExplanation.text of the applications (the list, one, a
 * command's answer), and the queues' checklists (GET /v2/market/applicant, a refused queue
 * command) are English when Accept-Language prefers English to Swedish, Swedish otherwise;
 * without English asked for, the answers are byte for byte what they were. Each says its
 * language (Content-Language, Vary). What is stored — the screening the landlord reads — is
 * Swedish whatever the language of the apply; a landlord's texts are never translated.
 */
#include <string.h>

#include "dialects/market.h"
#include "market_common.h"

static struct harness *h;
static struct fixture_company co;
static int64_t obj;

/* 2028-01-01 00:00 CET: applications are open until 2027-12-31 23:59. */
#define OPEN_UNTIL 1830294000LL
#define EN "en-GB,en;q=0.9,sv;q=0.5"

/* Anna: 32,000 kr a month, which is below 4 × 9,000 kr. */
static const char *const anna =
	"{\"email\": \"anna@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Anna\","
	" \"lastName\": \"Svensson\", \"personalNumber\": \"19900101-0017\", \"phone\": \"070-1234567\","
	" \"income\": {\"gross\": 32000, \"source\": \"employment_permanent\"}, \"occupation\": \"employed\","
	" \"household\": {\"adults\": 1, \"children\": 0}, \"accommodation\": {\"type\": \"sublet\"},"
	" \"pets\": false, \"smoking\": false}";

/* Acme's listing on Kungsgatan 1201 (9,000 kr, income at least 4 × the rent), open until 2027-12-31 23:59. */
static void setup(void)
{
	char body[256];
	int64_t estate, req, apt;

	h = harness_create();
	fixture_company(h, "Acme", &co);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200, body);
	req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, rent_factor)"
				 " VALUES (%lld, 'Inkomst', 4) RETURNING id", (long long)co.id);
	apt = market_apartment(h, co.admin_token, estate, "1201", 3, 80, 9000, 59.3360, 18.0640, "11143");
	obj = market_listing(h, co.admin_token, apt, req, ", \"access_date\": \"2027-03-01\"");
	harness_sql(h, "UPDATE object_ads SET start_processing_at = %lld, candidate_sorting_mode = 'queue_points'"
		       " WHERE id = %lld", OPEN_UNTIL, (long long)obj);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(market_language, .init = setup, .fini = teardown);

/* A request with Accept-Language al (NULL: none) and the applicant's token (NULL: none). */
static struct hresp *call(const char *method, const char *target, const char *tok, const char *al, const char *body)
{
	char auth[1200], lang[256];
	const char *headers[3] = { NULL, NULL, NULL };
	size_t n = 0;

	if (tok) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
		headers[n++] = auth;
	}
	if (al) {
		snprintf(lang, sizeof(lang), "Accept-Language: %s", al);
		headers[n++] = lang;
	}
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  headers);
}

static const char *status_path(void)
{
	static char p[128];
	return pathf(p, "/v2/market/objects/%lld/status", (long long)obj);
}

/* The message of the checklist item of type in an array of checklist items (NULL: none). */
static const char *item_message(json_t *items, const char *type)
{
	size_t i;
	json_t *it;
	json_array_foreach (items, i, it)
		if (jstr(it, "type") && !strcmp(jstr(it, "type"), type))
			return jstr(it, "message");
	return NULL;
}

/* The status answer's apply checklist. */
static json_t *apply_checklist(const struct hresp *r)
{
	return json_object_get(json_array_get(json_object_get(r->json, "commands"), 0), "checklist");
}

static const char *screening_message(const struct hresp *r, const char *type)
{
	return item_message(json_object_get(json_object_get(r->json, "screening"), "checks"), type);
}

static void says(const struct hresp *r, const char *lang)
{
	cr_assert_str_eq(hresp_header(r, "Content-Language"), lang, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Vary"), "Accept-Language");
}

static void anna_in(char *tok)
{
	market_register(h, anna);
	market_sign_in(h, "anna@example.se", "hemligt123", tok);
}

/* ---- Accept-Language ---- */

Test(market_language, the_preferred_of_swedish_and_english)
{
	static const struct {
		const char *header;
		enum lang want;
	} cases[] = {
		{ NULL, LANG_SV },
		{ "", LANG_SV },
		{ "en", LANG_EN },
		{ "EN-us", LANG_EN },
		{ "en-GB,en;q=0.9,sv;q=0.5", LANG_EN },
		{ "sv-SE,sv;q=0.9,en;q=0.5", LANG_SV },
		{ "sv, en", LANG_SV },
		{ "en, sv", LANG_EN },
		{ "de-DE,de;q=0.9", LANG_SV },
		{ "de-DE, en;q=0.5", LANG_EN },
		{ "sv;q=0.3, en;q=0.8", LANG_EN },
		{ "en;q=0.3, sv;q=0.8", LANG_SV },
		{ "en ; q=0.7 , sv;q=0.7", LANG_EN },  /* equal weights: the first */
		{ "en;q=0", LANG_SV },                 /* not acceptable */
		{ "en;q=2, sv;q=0.1", LANG_SV },       /* a malformed weight is left out */
		{ "en;q=abc", LANG_SV },
		{ "english, svenska", LANG_SV },       /* neither tag */
		{ "*", LANG_SV },
		{ ",,;, en", LANG_EN },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(market_accept_language(cases[i].header ? str_from_cstr(cases[i].header) : STR_NULL),
			     cases[i].want, "%s", cases[i].header ? cases[i].header : "(none)");
}

/* ---- may I apply? ---- */

Test(market_language, the_status_in_swedish_and_in_english)
{
	char tok[1024];
	struct hresp *sv, *en;
	json_t *a, *b;

	anna_in(tok);
	sv = call("GET", status_path(), tok, NULL, NULL);
	en = call("GET", status_path(), tok, EN, NULL);
	cr_assert_eq(sv->status, 200, "%s", sv->body);
	cr_assert_eq(en->status, 200, "%s", en->body);
	says(sv, "sv");
	says(en, "en");
	cr_assert_str_eq(item_message(apply_checklist(sv), "open"), "Intresseanmälan möjlig t o m 2027-12-31 23:59");
	cr_assert_str_eq(item_message(apply_checklist(en), "open"), "Applications are taken until 2027-12-31 23:59");
	cr_assert_str_eq(item_message(apply_checklist(sv), "queue"), "Du står inte i kön Bostad");
	cr_assert_str_eq(item_message(apply_checklist(en), "queue"), "You are not in the queue Bostad");
	cr_assert_str_eq(screening_message(sv, "income"), "Inkomst minst 36 000 kr/mån krävs, 32 000 kr/mån angiven");
	cr_assert_str_eq(screening_message(en, "income"),
			 "An income of at least 36,000 SEK a month is required, 32,000 SEK a month given");
	/* only the prose differs: the same members, values and units */
	a = json_deep_copy(sv->json);
	b = json_deep_copy(en->json);
	{
		json_t *lists[] = { apply_checklist(&(struct hresp){ .json = a }), apply_checklist(&(struct hresp){ .json = b }),
				    json_object_get(json_object_get(a, "screening"), "checks"),
				    json_object_get(json_object_get(b, "screening"), "checks") };
		for (size_t l = 0; l < 4; l++) {
			size_t i;
			json_t *it;
			json_array_foreach (lists[l], i, it)
				json_object_del(it, "message");
		}
	}
	cr_assert(json_equal(a, b), "%s\n%s", sv->body, en->body);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(json_object_get(en->json, "screening"), "checks"), 0), "unit"),
			 "kr/mån");
	json_decref(a);
	json_decref(b);
	hresp_free(sv);
	hresp_free(en);
}

Test(market_language, without_english_the_answer_is_as_before)
{
	char tok[1024];
	static const char *const swedish[] = { "sv", "sv-SE,sv;q=0.9,en;q=0.5", "de-DE,de;q=0.9", "en;q=0", "" };
	struct hresp *none, *r;

	anna_in(tok);
	none = call("GET", status_path(), tok, NULL, NULL);
	cr_assert(strstr(none->body, "\"Logga in") == NULL && strstr(none->body, "Inkomst minst 36 000 kr/mån"),
		  "%s", none->body);
	for (size_t i = 0; i < sizeof(swedish) / sizeof(swedish[0]); i++) {
		r = call("GET", status_path(), tok, swedish[i], NULL);
		cr_assert_eq(r->body_len, none->body_len, "%s", swedish[i]);
		cr_assert(memcmp(r->body, none->body, r->body_len) == 0, "%s: %s", swedish[i], r->body);
		hresp_free(r);
	}
	r = call("GET", status_path(), tok, "en", NULL);
	cr_assert(strcmp(r->body, none->body) != 0);
	hresp_free(r);
	hresp_free(none);
}

Test(market_language, anonymous)
{
	struct hresp *sv = call("GET", status_path(), NULL, "sv", NULL), *en = call("GET", status_path(), NULL, "en", NULL);

	cr_assert_str_eq(item_message(apply_checklist(sv), "login"), "Logga in för att göra en intresseanmälan");
	cr_assert_str_eq(item_message(apply_checklist(en), "login"), "Sign in to apply");
	cr_assert_str_eq(item_message(apply_checklist(en), "applicant"), "Sign in to see whether you meet the requirement");
	says(en, "en");
	hresp_free(sv);
	hresp_free(en);
}

/* ---- apply ---- */

Test(market_language, a_refused_apply_names_its_checks_in_the_language)
{
	char tok[1024], p[128];
	struct hresp *sv, *en;

	anna_in(tok);
	pathf(p, "/v2/market/%lld/applications", (long long)obj);
	sv = call("POST", p, tok, NULL, "{\"command\": {\"type\": \"apply\"}}");
	en = call("POST", p, tok, "en", "{\"command\": {\"type\": \"apply\"}}");
	expect_market(sv, 403, "NotEligible", NULL);
	expect_market(en, 403, "NotEligible", NULL);
	cr_assert_str_eq(item_message(json_object_get(sv->json, "checklist"), "queue"), "Du står inte i kön Bostad");
	cr_assert_str_eq(item_message(json_object_get(en->json, "checklist"), "queue"), "You are not in the queue Bostad");
	cr_assert_str_eq(hresp_str(sv, "message"), hresp_str(en, "message"), "the error's own message is not prose of the market");
	hresp_free(sv);
	hresp_free(en);
}

Test(market_language, an_apply_in_english_stores_the_screening_in_swedish)
{
	char tok[1024], p[128];
	struct hresp *r;
	char *stored;

	anna_in(tok);
	market_join(h, tok, "residential");
	r = call("POST", pathf(p, "/v2/market/%lld/applications", (long long)obj), tok, "en",
		 "{\"command\": {\"type\": \"apply\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	stored = harness_sql_text(h, "SELECT screening FROM applications WHERE listing_id = %lld", (long long)obj);
	cr_assert(strstr(stored, "Inkomst minst 36 000 kr/mån krävs, 32 000 kr/mån angiven"), "%s", stored);
	cr_assert(!strstr(stored, "SEK"), "%s", stored);
	free(stored);
	/* and a second apply, in English, is refused in English */
	r = call("POST", p, tok, "en", "{\"command\": {\"type\": \"apply\"}}");
	expect_market(r, 409, "AlreadyApplied", NULL);
	cr_assert_str_eq(item_message(json_object_get(r->json, "checklist"), "applied"), "You have already applied");
	hresp_free(r);
}

/* ---- my applications: the explained place ---- */

static const char *explanation(const struct hresp *r, bool list)
{
	json_t *app = list ? json_array_get(json_object_get(r->json, "items"), 0) : json_object_get(r->json, "application");
	return jstr(json_object_get(app, "placeExplanation"), "text");
}

Test(market_language, the_explained_place)
{
	static const char *const sv_text = "Ordningen avgörs av köpoäng, vid lika poäng ansökningstid när ansökningstiden"
					   " har gått ut. Just nu är du på plats 1.";
	static const char *const en_text = "The order is decided by queue points, and the time of applying between equal"
					   " points when the time to apply has ended. Right now you are in place 1.";
	char tok[1024], p[128], body[128];
	struct hresp *r;
	const char *id;
	char app[32];

	anna_in(tok);
	market_join(h, tok, "residential");
	r = call("POST", pathf(p, "/v2/market/%lld/applications", (long long)obj), tok, NULL,
		 "{\"command\": {\"type\": \"apply\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	snprintf(app, sizeof(app), "%s", json_string_value(json_array_get(json_object_get(r->json, "id"), 0)));
	hresp_free(r);

	r = call("GET", "/v2/market/applications", tok, NULL, NULL);
	cr_assert_str_eq(explanation(r, true), sv_text, "%s", r->body);
	says(r, "sv");
	hresp_free(r);
	r = call("GET", "/v2/market/applications", tok, EN, NULL);
	cr_assert_str_eq(explanation(r, true), en_text, "%s", r->body);
	says(r, "en");
	hresp_free(r);
	r = call("GET", pathf(p, "/v2/market/applications/%s", app), tok, NULL, NULL);
	cr_assert_str_eq(explanation(r, false), sv_text, "%s", r->body);
	hresp_free(r);
	r = call("GET", pathf(p, "/v2/market/applications/%s", app), tok, EN, NULL);
	cr_assert_str_eq(explanation(r, false), en_text, "%s", r->body);
	says(r, "en");
	id = jstr(json_object_get(r->json, "application"), "etag");
	snprintf(body, sizeof(body), "{\"etag\": \"%s\", \"command\": {\"type\": \"remove\"}}", id);
	hresp_free(r);
	/* a command's answer: the application as it is then, explained in the request's language */
	r = call("POST", pathf(p, "/v2/market/%lld/applications/%s", (long long)obj, app), tok, EN, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(explanation(r, false) && !strncmp(explanation(r, false), "The order is decided by", 23), "%s", r->body);
	says(r, "en");
	hresp_free(r);
}

/* ---- the queues ---- */

static json_t *queue(const struct hresp *r, const char *id)
{
	size_t i;
	json_t *q;
	json_array_foreach (json_object_get(r->json, "queues"), i, q)
		if (!strcmp(jstr(q, "id"), id))
			return q;
	cr_assert_fail("no queue %s: %s", id, r->body);
	return NULL;
}

Test(market_language, the_queues_checklists)
{
	char tok[1024];
	struct hresp *sv, *en;
	json_t *c_sv, *c_en;

	anna_in(tok);
	sv = call("GET", "/v2/market/applicant", tok, NULL, NULL);
	en = call("GET", "/v2/market/applicant", tok, EN, NULL);
	c_sv = json_object_get(json_array_get(json_object_get(queue(sv, "student"), "commands"), 0), "checklist");
	c_en = json_object_get(json_array_get(json_object_get(queue(en, "student"), "commands"), 0), "checklist");
	cr_assert_str_eq(item_message(c_sv, "student"), "Kön är för dig som studerar", "%s", sv->body);
	cr_assert_str_eq(item_message(c_en, "student"), "The queue is for students", "%s", en->body);
	cr_assert_str_eq(item_message(json_object_get(json_array_get(json_object_get(queue(en, "senior"), "commands"), 0),
						      "checklist"),
				      "age"),
			 "The queue is for ages 55 and over");
	/* the queues' names are the market's, not prose: the same */
	cr_assert_str_eq(jstr(queue(en, "residential"), "displayName"), jstr(queue(sv, "residential"), "displayName"));
	says(sv, "sv");
	says(en, "en");
	hresp_free(sv);
	hresp_free(en);

	sv = call("POST", "/v2/market/applicant/queues/student", tok, NULL, "{\"command\": \"join\"}");
	en = call("POST", "/v2/market/applicant/queues/student", tok, "en", "{\"command\": \"join\"}");
	expect_market(sv, 403, "NotEligible", NULL);
	expect_market(en, 403, "NotEligible", NULL);
	cr_assert_str_eq(item_message(json_object_get(sv->json, "checklist"), "student"), "Kön är för dig som studerar");
	cr_assert_str_eq(item_message(json_object_get(en->json, "checklist"), "student"), "The queue is for students");
	hresp_free(sv);
	hresp_free(en);
	en = call("POST", "/v2/market/applicant/queues/residential", tok, "en", "{\"command\": \"join\"}");
	cr_assert_eq(en->status, 200, "%s", en->body);
	says(en, "en");
	hresp_free(en);
}

/* ---- a landlord's words stay as written ---- */

Test(market_language, the_landlords_texts_are_not_translated)
{
	char p[128];
	struct hresp *sv = call("GET", pathf(p, "/v2/market/objects/%lld", (long long)obj), NULL, NULL, NULL);
	struct hresp *en = call("GET", p, NULL, "en", NULL);

	cr_assert_eq(sv->status, 200, "%s", sv->body);
	cr_assert(strstr(en->body, "Ljus lägenhet 1201"), "%s", en->body);
	cr_assert_eq(sv->body_len, en->body_len);
	cr_assert(memcmp(sv->body, en->body, sv->body_len) == 0);
	hresp_free(sv);
	hresp_free(en);
}
