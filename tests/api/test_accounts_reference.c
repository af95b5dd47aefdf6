/*
 * Accounts dialect reference data, cities and countries (spotahome.md §1.2, §2.3, §2.4,
 * §2.10, §3.5, §3.9; decisions.md S-13, S-18, S-20…S-23, S-26, S-50): every list with its
 * exact body in its documented order, HAL pages and their edges, the public endpoints,
 * authentication, and the city and country data (including Sweden's municipalities).
 */
#include <regex.h>

#include "org_common.h"
#include "store/db.h"

#define PROBLEM_TYPE "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html"
#define E401 "{\"detail\":\"Unauthorized user\",\"status\":401,\"title\":\"Unauthorized\",\"type\":\"" PROBLEM_TYPE "\"}"
#define E403 "{\"detail\":\"Forbidden access\",\"status\":403,\"title\":\"Forbidden\",\"type\":\"" PROBLEM_TYPE "\"}"
#define E404 "{\"detail\":\"The resource was not found\",\"status\":404,\"title\":\"Not Found\",\"type\":\"" \
	PROBLEM_TYPE "\"}"

static struct harness *h;
static struct fixture_company co;
static char agent_token[1024], consumer_token[1024];

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Reference AB", &co);
	fixture_agent(h, "ops@rentd.test", "Ada Ops", NULL, agent_token);
	fixture_consumer(h, "tenant@rentd.test", consumer_token);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(accounts_reference, .init = setup, .fini = teardown);

/* GET with "Authorization: <auth>" exactly as given (NULL: no header). */
static struct hresp *get_with(const char *target, const char *auth)
{
	char hdr[1200];
	const char *headers[] = { hdr, NULL };

	snprintf(hdr, sizeof(hdr), "Authorization: %s", auth ? auth : "");
	return harness_request_ex(h, "GET", target, NULL, NULL, 0, auth ? headers : NULL);
}

/* GET with a bare token (spotahome.md §7). */
static struct hresp *get(const char *target, const char *token)
{
	return get_with(target, token);
}

static void expect_body(struct hresp *r, int status, const char *body)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	cr_assert_str_eq(r->body, body);
	hresp_free(r);
}

/* ---- plain arrays (§2.3) ---- */

Test(accounts_reference, provider_types_are_public_deprecated_and_in_documented_order)
{
	const char *body = "[\"private\",\"property_manager\",\"real_estate_agency\",\"subletter\"]";
	struct hresp *r = get("/api/accommodation-providers/types", NULL);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(r->body, body);
	cr_assert_str_eq(r->content_type, "application/json");
	cr_assert_str_eq(hresp_header(r, "Deprecation"), "true");
	hresp_free(r);
	/* S-22: a token, valid or not, is ignored */
	expect_body(get("/api/accommodation-providers/types", "not.a.token"), 200, body);
	expect_body(get("/api/accommodation-providers/types", consumer_token), 200, body);
	expect_body(get("/api/accommodation-providers/types/", agent_token), 200, body);
}

Test(accounts_reference, plain_lists_have_their_documented_values)
{
	expect_body(get("/api/accommodation-providers/contract-types", agent_token), 200,
		    "[\"daily\",\"fortnightly\",\"monthly\"]");
	expect_body(get("/api/accommodation-providers/cancellation-policies", co.admin_token), 200,
		    "[\"standard\",\"flexible\",\"strict\"]");
	expect_body(get("/api/accommodation-providers/account-classifications", NULL), 200,
		    "[\"key\",\"key_development\",\"maintenance\",\"opportunistic\"]");
	expect_body(get("/api/accommodation-providers/account-classifications", "garbage"), 200,
		    "[\"key\",\"key_development\",\"maintenance\",\"opportunistic\"]");
	expect_body(get("/api/landlords/accounts/contacts/types", agent_token), 200,
		    "{\"types\":[\"booking_manager\",\"tenant\",\"finance\"]}");
}

Test(accounts_reference, legacy_contact_types_are_an_array_with_deprecation)
{
	struct hresp *r = get("/api/accommodation-providers/contact-types", co.admin_token);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(r->body, "[\"booking_manager\",\"tenant\",\"finance\"]");
	cr_assert_str_eq(hresp_header(r, "Deprecation"), "true");
	hresp_free(r);
	r = get("/api/accommodation-providers/contract-types", agent_token);
	cr_assert_null(hresp_header(r, "Deprecation"), "current endpoints are not deprecated");
	hresp_free(r);
}

/* ---- HAL lists (§2.4) ---- */

static const struct {
	const char *path; /* as requested and as the links write it */
	const char *rel;
	const char *member;
	const char *values[8];
	bool bools;
} hal_lists[] = {
	{ "/api/landlords/accounts/types", "sah:landlords:accounts:types", "type",
	  { "private", "property_manager", "real_estate_agency", "subletter" }, false },
	{ "/api/landlords/transfer-timings", "sah:landlords:transfer-timings", "type",
	  { "post_check_in", "booking_confirmation" }, false },
	{ "/api/landlords/other-platforms-usages", "sah:landlords:other-platforms-usages", "platform",
	  { "not_applicable", "transactional", "classified" }, false },
	{ "/api/landlords/commission-types", "sah:landlords:commission-types", "type", { "fixed", "percentage" },
	  false },
	{ "/api/landlords/consents-for-classifieds/", "sah:landlords:consents-for-classifieds", "consent",
	  { "true", "false" }, true },
	{ "/api/landlords/management-info/technologies", "sah:landlords:technologies", "type",
	  { "no_technology", "json_feed", "channel_manager", "pms", "calendar", "spreadsheet" }, false },
	{ "/api/landlords/admin-fee-types", "sah:landlords:admin-fee-types", "type", { "fixed", "percentual", "empty" },
	  false },
	{ "/api/landlords/account-classifications", "sah:landlords:account-classifications", "type",
	  { "key", "key_development", "maintenance", "opportunistic" }, false },
	{ "/api/landlords/account-activation-stages", "sah:landlords:account-activation-stages", "stage",
	  { "converted", "published", "onboarded", "not_applicable" }, false },
	{ "/api/landlords/account-cancellation-policies", "sah:landlords:account-cancellation-policies", "policy",
	  { "standard", "flexible", "strict" }, false },
};
#define N_HAL_LISTS (sizeof(hal_lists) / sizeof(hal_lists[0]))

static const char *href(const struct hresp *r, const char *rel)
{
	json_t *l = json_object_get(json_object_get(r->json, "_links"), rel);
	return l ? json_string_value(json_object_get(l, "href")) : NULL;
}

Test(accounts_reference, every_hal_list_is_one_full_page_in_documented_order)
{
	for (size_t i = 0; i < N_HAL_LISTS; i++) {
		char self[256];
		size_t n = 0;
		json_t *items;
		struct hresp *r = get(hal_lists[i].path, i % 2 ? agent_token : co.admin_token);

		while (n < 8 && hal_lists[i].values[n])
			n++;
		cr_assert_eq(r->status, 200, "%s: %s", hal_lists[i].path, r->body);
		cr_assert_eq(hresp_int(r, "count"), (long long)n, "%s", r->body);
		cr_assert_eq(hresp_int(r, "total"), (long long)n, "%s", r->body);
		snprintf(self, sizeof(self), "%s?page=1&itemsPerPage=20", hal_lists[i].path);
		cr_assert_str_eq(href(r, "self"), self);
		cr_assert_str_eq(href(r, "first"), self);
		cr_assert_str_eq(href(r, "last"), self);
		cr_assert_null(href(r, "next"), "%s", r->body);
		cr_assert_null(href(r, "previous"), "%s", r->body);
		cr_assert_eq(json_object_size(json_object_get(r->json, "_embedded")), 1, "%s", r->body);
		items = json_object_get(json_object_get(r->json, "_embedded"), hal_lists[i].rel);
		cr_assert(json_is_array(items), "%s: no %s in %s", hal_lists[i].path, hal_lists[i].rel, r->body);
		cr_assert_eq(json_array_size(items), n);
		for (size_t k = 0; k < n; k++) {
			json_t *item = json_array_get(items, k);
			json_t *v = json_object_get(item, hal_lists[i].member);
			cr_assert_eq(json_object_size(item), 1, "%s", r->body);
			if (hal_lists[i].bools)
				cr_assert(json_is_boolean(v) &&
						  json_is_true(v) == (strcmp(hal_lists[i].values[k], "true") == 0),
					  "%s", r->body);
			else
				cr_assert_str_eq(json_string_value(v), hal_lists[i].values[k], "%s", r->body);
		}
		hresp_free(r);
	}
}

Test(accounts_reference, account_types_page_is_exact)
{
	expect_body(get("/api/landlords/accounts/types", agent_token), 200,
		    "{\"count\":4,\"total\":4,\"_links\":{"
		    "\"self\":{\"href\":\"/api/landlords/accounts/types?page=1&itemsPerPage=20\"},"
		    "\"first\":{\"href\":\"/api/landlords/accounts/types?page=1&itemsPerPage=20\"},"
		    "\"last\":{\"href\":\"/api/landlords/accounts/types?page=1&itemsPerPage=20\"}},"
		    "\"_embedded\":{\"sah:landlords:accounts:types\":[{\"type\":\"private\"},{\"type\":\"property_manager\"},"
		    "{\"type\":\"real_estate_agency\"},{\"type\":\"subletter\"}]}}");
}

Test(accounts_reference, consents_are_json_booleans)
{
	expect_body(get("/api/landlords/consents-for-classifieds/?itemsPerPage=1&page=2", agent_token), 200,
		    "{\"count\":1,\"total\":2,\"_links\":{"
		    "\"self\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=2&itemsPerPage=1\"},"
		    "\"first\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=1&itemsPerPage=1\"},"
		    "\"last\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=2&itemsPerPage=1\"},"
		    "\"previous\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=1&itemsPerPage=1\"}},"
		    "\"_embedded\":{\"sah:landlords:consents-for-classifieds\":[{\"consent\":false}]}}");
	/* G-01: without the documented trailing slash too; links keep the documented form */
	expect_body(get("/api/landlords/consents-for-classifieds?itemsPerPage=1", agent_token), 200,
		    "{\"count\":1,\"total\":2,\"_links\":{"
		    "\"self\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=1&itemsPerPage=1\"},"
		    "\"first\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=1&itemsPerPage=1\"},"
		    "\"last\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=2&itemsPerPage=1\"},"
		    "\"next\":{\"href\":\"/api/landlords/consents-for-classifieds/?page=2&itemsPerPage=1\"}},"
		    "\"_embedded\":{\"sah:landlords:consents-for-classifieds\":[{\"consent\":true}]}}");
}

Test(accounts_reference, middle_page_has_next_and_previous)
{
	struct hresp *r = get("/api/landlords/account-cancellation-policies?page=2&itemsPerPage=1", agent_token);

	expect_body(r, 200,
		    "{\"count\":1,\"total\":3,\"_links\":{"
		    "\"self\":{\"href\":\"/api/landlords/account-cancellation-policies?page=2&itemsPerPage=1\"},"
		    "\"first\":{\"href\":\"/api/landlords/account-cancellation-policies?page=1&itemsPerPage=1\"},"
		    "\"last\":{\"href\":\"/api/landlords/account-cancellation-policies?page=3&itemsPerPage=1\"},"
		    "\"next\":{\"href\":\"/api/landlords/account-cancellation-policies?page=3&itemsPerPage=1\"},"
		    "\"previous\":{\"href\":\"/api/landlords/account-cancellation-policies?page=1&itemsPerPage=1\"}},"
		    "\"_embedded\":{\"sah:landlords:account-cancellation-policies\":[{\"policy\":\"flexible\"}]}}");
}

Test(accounts_reference, page_past_the_end_is_empty)
{
	expect_body(get("/api/landlords/management-info/technologies?page=9&itemsPerPage=4", agent_token), 200,
		    "{\"count\":0,\"total\":6,\"_links\":{"
		    "\"self\":{\"href\":\"/api/landlords/management-info/technologies?page=9&itemsPerPage=4\"},"
		    "\"first\":{\"href\":\"/api/landlords/management-info/technologies?page=1&itemsPerPage=4\"},"
		    "\"last\":{\"href\":\"/api/landlords/management-info/technologies?page=2&itemsPerPage=4\"},"
		    "\"previous\":{\"href\":\"/api/landlords/management-info/technologies?page=2&itemsPerPage=4\"}},"
		    "\"_embedded\":{\"sah:landlords:technologies\":[]}}");
	/* a page number whose offset overflows is just far past the end */
	{
		struct hresp *r = get("/api/landlords/commission-types?page=9223372036854775807&itemsPerPage=100",
				      agent_token);
		cr_assert_eq(r->status, 200, "%s", r->body);
		cr_assert_eq(hresp_int(r, "count"), 0);
		cr_assert_eq(hresp_int(r, "total"), 2);
		hresp_free(r);
	}
}

Test(accounts_reference, items_per_page_is_clamped_to_100)
{
	struct hresp *r = get("/api/landlords/admin-fee-types?itemsPerPage=5000", agent_token);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(href(r, "self"), "/api/landlords/admin-fee-types?page=1&itemsPerPage=100");
	cr_assert_eq(hresp_int(r, "count"), 3);
	hresp_free(r);
}

/* 400 (the lists document no 422) naming the parameter, in the problem shape. */
static void expect_bad_param(const char *target, const char *param)
{
	struct hresp *r = get(target, agent_token);
	json_t *vm;

	cr_assert_eq(r->status, 400, "%s: %d %s", target, r->status, r->body);
	cr_assert_str_eq(hresp_str(r, "title"), "Bad Request");
	cr_assert_str_eq(hresp_str(r, "detail"),
			 "The request could not be understood by the server due to malformed syntax");
	cr_assert_eq(hresp_int(r, "status"), 400);
	cr_assert_str_eq(hresp_str(r, "type"), PROBLEM_TYPE);
	vm = json_object_get(r->json, "validationMessages");
	cr_assert(json_is_object(json_object_get(vm, param)), "%s: %s", target, r->body);
	hresp_free(r);
}

Test(accounts_reference, bad_paging_is_400_naming_the_parameter)
{
	expect_bad_param("/api/landlords/accounts/types?page=0", "page");
	expect_bad_param("/api/landlords/accounts/types?page=abc", "page");
	expect_bad_param("/api/landlords/transfer-timings?page=-1", "page");
	expect_bad_param("/api/landlords/commission-types?page=1.5", "page");
	expect_bad_param("/api/landlords/languages?itemsPerPage=0", "itemsPerPage");
	expect_bad_param("/api/landlords/account-activation-stages?itemsPerPage=x", "itemsPerPage");
	expect_bad_param("/api/landlords/commission-types?page=99999999999999999999", "page");
}

/* ---- languages (#35, public) ---- */

Test(accounts_reference, languages_are_public_with_english_first)
{
	struct hresp *r = get("/api/landlords/languages", NULL);
	json_t *items;
	int sv = 0, es = 0;

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 8, "%s", r->body);
	items = json_object_get(json_object_get(r->json, "_embedded"), "sah:landlords:languages");
	cr_assert_eq(json_array_size(items), 8);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "language")), "english");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "locale")), "en");
	for (size_t i = 0; i < json_array_size(items); i++) {
		const char *loc = json_string_value(json_object_get(json_array_get(items, i), "locale"));
		const char *lang = json_string_value(json_object_get(json_array_get(items, i), "language"));
		cr_assert_eq(json_object_size(json_array_get(items, i)), 2);
		sv += strcmp(loc, "sv") == 0 && strcmp(lang, "swedish") == 0;
		es += strcmp(loc, "es") == 0 && strcmp(lang, "spanish") == 0;
	}
	cr_assert(sv == 1 && es == 1, "%s", r->body);
	hresp_free(r);

	expect_body(get("/api/landlords/languages?itemsPerPage=1", "Bearer expired.or.bad"), 200,
		    "{\"count\":1,\"total\":8,\"_links\":{"
		    "\"self\":{\"href\":\"/api/landlords/languages?page=1&itemsPerPage=1\"},"
		    "\"first\":{\"href\":\"/api/landlords/languages?page=1&itemsPerPage=1\"},"
		    "\"last\":{\"href\":\"/api/landlords/languages?page=8&itemsPerPage=1\"},"
		    "\"next\":{\"href\":\"/api/landlords/languages?page=2&itemsPerPage=1\"}},"
		    "\"_embedded\":{\"sah:landlords:languages\":[{\"language\":\"english\",\"locale\":\"en\"}]}}");
}

Test(accounts_reference, every_country_locale_is_a_language)
{
	static const char *const countries[] = { "spain", "uk", "sweden", "france", "italy", "germany",
						 "austria", "belgium", "ireland", "turkey", "uae" };
	struct hresp *langs = get("/api/landlords/languages", NULL);
	json_t *items = json_object_get(json_object_get(langs->json, "_embedded"), "sah:landlords:languages");

	for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
		char path[128];
		int found = 0;
		struct hresp *r = get(pathf(path, "/api/countries/%s", countries[i]), agent_token);
		cr_assert_eq(r->status, 200, "%s: %s", countries[i], r->body);
		for (size_t k = 0; k < json_array_size(items); k++)
			found |= strcmp(json_string_value(json_object_get(json_array_get(items, k), "locale")),
					hresp_str(r, "locale")) == 0;
		cr_assert(found, "%s locale %s is not a language", countries[i], hresp_str(r, "locale"));
		hresp_free(r);
	}
	hresp_free(langs);
}

/* ---- authentication (S-22, S-40, S-41) ---- */

static const char *const authed[] = {
	"/api/landlords/accounts/types",
	"/api/accommodation-providers/contract-types",
	"/api/accommodation-providers/cancellation-policies",
	"/api/landlords/accounts/contacts/types",
	"/api/accommodation-providers/contact-types",
	"/api/landlords/transfer-timings",
	"/api/landlords/other-platforms-usages",
	"/api/landlords/commission-types",
	"/api/landlords/consents-for-classifieds/",
	"/api/landlords/management-info/technologies",
	"/api/landlords/admin-fee-types",
	"/api/landlords/account-classifications",
	"/api/landlords/account-activation-stages",
	"/api/landlords/account-cancellation-policies",
	"/api/cities/madrid",
	"/api/countries/spain",
};

Test(accounts_reference, authenticated_endpoints_need_a_landlord_or_agent_token)
{
	char bearer[1100], jwt[1100];

	snprintf(bearer, sizeof(bearer), "Bearer %s", agent_token);
	snprintf(jwt, sizeof(jwt), "JWT %s", co.admin_token);
	for (size_t i = 0; i < sizeof(authed) / sizeof(authed[0]); i++) {
		struct hresp *r;
		expect_body(get(authed[i], NULL), 401, E401);
		expect_body(get(authed[i], "aa.bb.cc"), 401, E401);
		expect_body(get(authed[i], consumer_token), 403, E403);
		r = get_with(authed[i], bearer);
		cr_assert_eq(r->status, 200, "%s: %s", authed[i], r->body);
		hresp_free(r);
		r = get_with(authed[i], jwt);
		cr_assert_eq(r->status, 200, "%s: %s", authed[i], r->body);
		hresp_free(r);
	}
}

Test(accounts_reference, problem_bodies_have_the_problem_content_type)
{
	struct hresp *r = get("/api/landlords/transfer-timings", NULL);
	cr_assert_eq(r->status, 401);
	cr_assert_str_eq(r->content_type, "application/json");
	hresp_free(r);
}

/* ---- cities (#49) ---- */

Test(accounts_reference, madrid_is_the_seed_example)
{
	expect_body(get("/api/cities/madrid", agent_token), 200,
		    "{\"id\":\"madrid\",\"longName\":\"Madrid\",\"countryId\":\"spain\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
}

Test(accounts_reference, swedish_cities_are_the_municipalities)
{
	expect_body(get("/api/cities/stockholm", co.admin_token), 200,
		    "{\"id\":\"stockholm\",\"longName\":\"Stockholm\",\"countryId\":\"sweden\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
	expect_body(get("/api/cities/goteborg", co.admin_token), 200,
		    "{\"id\":\"goteborg\",\"longName\":\"Göteborg\",\"countryId\":\"sweden\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
	expect_body(get("/api/cities/malmo", co.admin_token), 200,
		    "{\"id\":\"malmo\",\"longName\":\"Malmö\",\"countryId\":\"sweden\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
	expect_body(get("/api/cities/upplands-vasby", co.admin_token), 200,
		    "{\"id\":\"upplands-vasby\",\"longName\":\"Upplands Väsby\",\"countryId\":\"sweden\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
	/* Habo and Håbo fold to the same slug: the one already in ASCII keeps it */
	expect_body(get("/api/cities/habo", co.admin_token), 200,
		    "{\"id\":\"habo\",\"longName\":\"Habo\",\"countryId\":\"sweden\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
	expect_body(get("/api/cities/habo-uppsala", co.admin_token), 200,
		    "{\"id\":\"habo-uppsala\",\"longName\":\"Håbo\",\"countryId\":\"sweden\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
}

/* Rows of a one-column query on the harness database. */
static size_t query_texts(const char *sql, char out[][64], size_t max)
{
	struct arena *a = arena_create(1024);
	struct error err;
	struct db *db;
	struct db_stmt *st;
	size_t n = 0;

	error_init(&err, a);
	db = store_db(h->store, &err);
	cr_assert_not_null(db);
	st = db_prepare(db, sql, &err);
	cr_assert_not_null(st, "%s", err.message ? err.message : "");
	while (db_step(st, &err) == DB_ROW) {
		struct str v = db_col_text(st, 0);
		cr_assert(n < max);
		snprintf(out[n++], 64, "%.*s", STR_FMT(v));
	}
	db_reset(st);
	arena_destroy(a);
	return n;
}

Test(accounts_reference, every_city_resolves_and_its_country_too)
{
	static char ids[400][64];
	static const char sql[] = "SELECT id FROM cities ORDER BY id";
	size_t n = query_texts(sql, ids, 400);
	size_t swedish = 0;

	cr_assert_eq(n, 310, "290 municipalities and the 20 Spotahome cities, got %zu", n);
	for (size_t i = 0; i < n; i++) {
		char path[128];
		struct hresp *r = get(pathf(path, "/api/cities/%s", ids[i]), agent_token);
		struct hresp *c;
		cr_assert_eq(r->status, 200, "%s: %s", ids[i], r->body);
		cr_assert_str_eq(hresp_str(r, "id"), ids[i]);
		for (const char *p = ids[i]; *p; p++)
			cr_assert((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-',
				  "slug %s is not lower-case ASCII", ids[i]);
		c = get(pathf(path, "/api/countries/%s", hresp_str(r, "countryId")), agent_token);
		cr_assert_eq(c->status, 200, "%s: country %s", ids[i], hresp_str(r, "countryId"));
		swedish += strcmp(hresp_str(r, "countryId"), "sweden") == 0;
		hresp_free(c);
		hresp_free(r);
	}
	cr_assert_eq(swedish, 290);
}

Test(accounts_reference, unknown_city_is_404)
{
	expect_body(get("/api/cities/atlantis", agent_token), 404, E404);
	expect_body(get("/api/cities/Madrid", agent_token), 404, E404);
	expect_body(get("/api/cities/atlantis", NULL), 401, E401);
}

/* ---- countries (#50, S-26) ---- */

Test(accounts_reference, spain_is_spain)
{
	expect_body(get("/api/countries/spain", agent_token), 200,
		    "{\"id\":\"spain\",\"shortName\":\"Spain\",\"longName\":\"Spain\",\"longNameNative\":\"España\","
		    "\"iso3166\":\"Spain\",\"slug\":\"spain\",\"vat\":0.21,"
		    "\"zipcodeRegex\":\"^(0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}$\",\"iso\":\"ES\",\"currencyId\":978,"
		    "\"locale\":\"es\",\"visible\":true,\"bookingsPhone\":\"\"}");
}

Test(accounts_reference, uk_has_the_seed_mailboxes_and_its_own_vat)
{
	struct hresp *r = get("/api/countries/uk", co.admin_token);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "id"), "uk");
	cr_assert_str_eq(hresp_str(r, "shortName"), "UK");
	cr_assert_str_eq(hresp_str(r, "longName"), "United Kingdom");
	cr_assert_str_eq(hresp_str(r, "iso3166"), "United Kingdom of Great Britain and Northern Ireland");
	cr_assert_str_eq(hresp_str(r, "iso"), "GB");
	cr_assert(json_real_value(json_object_get(r->json, "vat")) == 0.2, "%s", r->body);
	cr_assert_eq(hresp_int(r, "currencyId"), 826);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "classifiedsEmail"), "name")),
			 "Spotahome Classifieds UK");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "classifiedsEmail"), "email")),
			 "classifieds.uk@spotahome.com");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "bookingsEmail"), "name")),
			 "Spotahome Bookings United Kingdom");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "bookingsEmail"), "email")),
			 "bookings.uk@spotahome.com");
	cr_assert_str_eq(hresp_str(r, "bookingsPhone"), "+44 20 3808 6522");
	cr_assert_str_eq(hresp_str(r, "locale"), "en");
	hresp_free(r);
}

Test(accounts_reference, sweden_has_its_vat_and_postcode_pattern)
{
	expect_body(get("/api/countries/sweden", co.admin_token), 200,
		    "{\"id\":\"sweden\",\"shortName\":\"Sweden\",\"longName\":\"Sweden\",\"longNameNative\":\"Sverige\","
		    "\"iso3166\":\"Sweden\",\"slug\":\"sweden\",\"vat\":0.25,\"zipcodeRegex\":\"^[0-9]{3} ?[0-9]{2}$\","
		    "\"iso\":\"SE\",\"currencyId\":752,\"locale\":\"sv\",\"visible\":true,\"bookingsPhone\":\"\"}");
}

static const struct {
	const char *country;
	const char *good[3];
	const char *bad[3];
} postcodes[] = {
	{ "sweden", { "114 55", "11455", "98139" }, { "1145", "114 555", "SE-11455" } },
	{ "spain", { "28013", "08001", "52001" }, { "53001", "00123", "2801" } },
	{ "uk", { "SW1A 1AA", "M1 1AE", "GIR 0AA" }, { "SW1A", "Q1 1AA", "SW1A 1AAX" } },
	{ "france", { "75001", "69002", "20000" }, { "7500", "750011", "A5001" } },
	{ "italy", { "00184", "20121", "10121" }, { "0018", "001844", "I-00184" } },
	{ "germany", { "10115", "80331", "01067" }, { "1011", "101155", "D-10115" } },
	{ "austria", { "1010", "5020", "6020" }, { "0101", "10100", "A-1010" } },
	{ "belgium", { "1000", "2000", "9000" }, { "0999", "10000", "B-1000" } },
	{ "ireland", { "D02 X285", "A65F4E2", "D6W 1234" }, { "D02", "B02 X285", "D02 X2855" } },
	{ "turkey", { "34000", "06100", "81000" }, { "00100", "82000", "3400" } },
	{ "uae", { "", "12345", "1" }, { "ABC", "1234567", "12 34" } },
};

Test(accounts_reference, every_zipcode_regex_is_anchored_and_right)
{
	for (size_t i = 0; i < sizeof(postcodes) / sizeof(postcodes[0]); i++) {
		char path[128];
		struct hresp *r = get(pathf(path, "/api/countries/%s", postcodes[i].country), agent_token);
		const char *re = hresp_str(r, "zipcodeRegex");
		regex_t rx;

		cr_assert_eq(r->status, 200, "%s", r->body);
		cr_assert_str_eq(hresp_str(r, "id"), postcodes[i].country, "S-26: the requested country");
		cr_assert(re && re[0] == '^' && re[strlen(re) - 1] == '$', "%s: %s not anchored", postcodes[i].country,
			  re);
		cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0, "%s: %s does not compile",
			     postcodes[i].country, re);
		for (int k = 0; k < 3; k++) {
			cr_assert_eq(regexec(&rx, postcodes[i].good[k], 0, NULL, 0), 0, "%s: '%s' should match %s",
				     postcodes[i].country, postcodes[i].good[k], re);
			cr_assert_neq(regexec(&rx, postcodes[i].bad[k], 0, NULL, 0), 0, "%s: '%s' should not match %s",
				      postcodes[i].country, postcodes[i].bad[k], re);
		}
		regfree(&rx);
		cr_assert(json_real_value(json_object_get(r->json, "vat")) > 0 &&
				  json_real_value(json_object_get(r->json, "vat")) < 0.3,
			  "%s", r->body);
		hresp_free(r);
	}
}

Test(accounts_reference, unknown_country_is_404)
{
	expect_body(get("/api/countries/atlantis", agent_token), 404, E404);
	expect_body(get("/api/countries/%7BcountryId%7D", agent_token), 404, E404);
	expect_body(get("/api/countries/spain", NULL), 401, E401);
	expect_body(get("/api/countries/spain", consumer_token), 403, E403);
}

Test(accounts_reference, writes_are_not_allowed)
{
	struct hresp *r = harness_request(h, "POST", "/api/landlords/languages", "{}");
	cr_assert_eq(r->status, 405, "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "DELETE", "/api/cities/madrid", NULL);
	cr_assert_eq(r->status, 405, "%s", r->body);
	hresp_free(r);
	expect_body(get("/api/cities/madrid", agent_token), 200,
		    "{\"id\":\"madrid\",\"longName\":\"Madrid\",\"countryId\":\"spain\","
		    "\"defaultAccountCommissionType\":\"percentage\",\"defaultAccountCommissionValue\":600}");
}
