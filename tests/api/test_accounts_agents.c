/*
 * Accounts dialect agents (spotahome.md §2.7, §3.4; decisions.md S-18, S-19, S-40, S-50):
 * #25 and #27 one agent, #26 and #28 the list with its filters (ids in four encodings,
 * email, enabled), sort (asc, desc, several keys, bad fields), paging and links, who may
 * read them, and the deprecated twins.
 */
#include "core/identity/org.h"
#include "org_common.h"

#define PROBLEM_TYPE "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html"
#define E401 "{\"detail\":\"Unauthorized user\",\"status\":401,\"title\":\"Unauthorized\",\"type\":\"" PROBLEM_TYPE "\"}"
#define E403 "{\"detail\":\"Forbidden access\",\"status\":403,\"title\":\"Forbidden\",\"type\":\"" PROBLEM_TYPE "\"}"
#define E404 "{\"detail\":\"The resource was not found\",\"status\":404,\"title\":\"Not Found\",\"type\":\"" \
	PROBLEM_TYPE "\"}"

static struct harness *h;
static struct fixture_company co;
static char agent_token[1024], consumer_token[1024];
/* olga is the fixture agent with a token; carl is disabled */
static char olga[37], ada[37], bender[37], carl[37], dana[37];

/* An agent without a usable password (no hashing: fast). */
static void agent(const char *email, const char *name, char uuid[37])
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct str got;
	int64_t id;

	error_init(&err, a);
	cr_assert_eq(org_agent_create(app_core(h->app), a, str_from_cstr(email), STR_LIT(""), str_from_cstr(name), &id,
				      &got, &err),
		     0, "%s", err.message ? err.message : "");
	snprintf(uuid, 37, "%.*s", STR_FMT(got));
	arena_destroy(a);
}

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Agents AB", &co);
	fixture_agent(h, "ops@rentd.test", "Olga Ops", olga, agent_token);
	fixture_consumer(h, "tenant@rentd.test", consumer_token);
	agent("ada@rentd.test", "Ada Lovelace", ada);
	agent("bender@planetexpress.com", "bender Bending Rodríguez", bender);
	agent("carl@rentd.test", "Carl Zed", carl);
	agent("Dana@rentd.test", "Dana", dana);
	harness_sql(h, "UPDATE users SET joined = 0 WHERE username = 'carl@rentd.test'");
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(accounts_agents, .init = setup, .fini = teardown);

/* GET with a bare token (spotahome.md §7; NULL: no Authorization). */
static struct hresp *get(const char *target, const char *token)
{
	char hdr[1200];
	const char *headers[] = { hdr, NULL };

	snprintf(hdr, sizeof(hdr), "Authorization: %s", token ? token : "");
	return harness_request_ex(h, "GET", target, NULL, NULL, 0, token ? headers : NULL);
}

static void expect_body(struct hresp *r, int status, const char *body)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	cr_assert_str_eq(r->body, body);
	hresp_free(r);
}

static const char *href(const struct hresp *r, const char *rel)
{
	json_t *l = json_object_get(json_object_get(r->json, "_links"), rel);
	return l ? json_string_value(json_object_get(l, "href")) : NULL;
}

/* The embedded agents' ids, in order, joined by spaces (for one assertion with a readable diff). */
static const char *ids_of(const struct hresp *r, const char *rel, char *out, size_t len)
{
	json_t *items = json_object_get(json_object_get(r->json, "_embedded"), rel);
	size_t used = 0;

	cr_assert(json_is_array(items), "no %s: %s", rel, r->body);
	out[0] = '\0';
	for (size_t i = 0; i < json_array_size(items); i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " " : "",
					 json_string_value(json_object_get(json_array_get(items, i), "id")));
	return out;
}

static const char *join(char *out, size_t len, const char *const *ids, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " " : "", ids[i]);
	return out;
}

/* The list's order as the embedded ids; expected as uuids in order. */
static void expect_order(const char *target, const char *rel, const char *const *expected, size_t n)
{
	char got[512], want[512];
	struct hresp *r = get(target, agent_token);

	cr_assert_eq(r->status, 200, "%s: %s", target, r->body);
	cr_assert_eq(hresp_int(r, "count"), (long long)n, "%s: %s", target, r->body);
	cr_assert_str_eq(ids_of(r, rel, got, sizeof(got)), join(want, sizeof(want), expected, n), "%s", target);
	hresp_free(r);
}

static int by_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- one agent (#25, #27) ---- */

Test(accounts_agents, one_agent_is_exact_for_agents_and_employees)
{
	char path[256], body[512];

	snprintf(body, sizeof(body),
		 "{\"id\":\"%s\",\"fullName\":\"Ada Lovelace\",\"email\":\"ada@rentd.test\",\"enabled\":true}", ada);
	expect_body(get(pathf(path, "/api/landlords/agents/%s", ada), agent_token), 200, body);
	expect_body(get(pathf(path, "/api/landlords/agents/%s", ada), co.admin_token), 200, body);
	expect_body(get(pathf(path, "/api/landlords/agents/%s/", ada), co.admin_token), 200, body);
	snprintf(body, sizeof(body),
		 "{\"id\":\"%s\",\"fullName\":\"Carl Zed\",\"email\":\"carl@rentd.test\",\"enabled\":false}", carl);
	expect_body(get(pathf(path, "/api/landlords/agents/%s", carl), agent_token), 200, body);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"fullName\":\"Dana\",\"email\":\"Dana@rentd.test\",\"enabled\":true}",
		 dana);
	expect_body(get(pathf(path, "/api/landlords/agents/%s", dana), agent_token), 200, body);
}

Test(accounts_agents, one_agent_by_email)
{
	char path[256], body[512];

	snprintf(body, sizeof(body),
		 "{\"id\":\"%s\",\"fullName\":\"bender Bending Rodríguez\",\"email\":\"bender@planetexpress.com\","
		 "\"enabled\":true}",
		 bender);
	expect_body(get(pathf(path, "/api/landlords/agents/BENDER@planetexpress.com"), agent_token), 200, body);
}

Test(accounts_agents, deprecated_one_agent_has_the_same_body_and_deprecation)
{
	char path[256], body[512];
	struct hresp *r;

	snprintf(body, sizeof(body),
		 "{\"id\":\"%s\",\"fullName\":\"Olga Ops\",\"email\":\"ops@rentd.test\",\"enabled\":true}", olga);
	r = get(pathf(path, "/api/agents/%s", olga), co.admin_token);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(r->body, body);
	cr_assert_str_eq(hresp_header(r, "Deprecation"), "true");
	hresp_free(r);
	r = get(pathf(path, "/api/landlords/agents/%s", olga), co.admin_token);
	cr_assert_null(hresp_header(r, "Deprecation"));
	hresp_free(r);
}

Test(accounts_agents, unknown_agents_are_404)
{
	char path[256];
	struct hresp *r;

	expect_body(get("/api/landlords/agents/3c2e15d7-ba6e-4995-aa19-a00267ca36dd", agent_token), 404, E404);
	expect_body(get("/api/agents/3c2e15d7-ba6e-4995-aa19-a00267ca36dd", agent_token), 404, E404);
	expect_body(get("/api/landlords/agents/nobody@rentd.test", agent_token), 404, E404);
	/* a landlord's employee and a consumer are users, not agents */
	expect_body(get(pathf(path, "/api/landlords/agents/%s", co.admin_username), agent_token), 404, E404);
	expect_body(get("/api/landlords/agents/tenant@rentd.test", agent_token), 404, E404);
	r = get("/api/agents/nobody", agent_token);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(hresp_header(r, "Deprecation"), "true");
	hresp_free(r);
}

Test(accounts_agents, reading_agents_needs_an_agent_or_landlord_token)
{
	char path[256];
	static const char *const targets[] = { "/api/landlords/agents", "/api/agents" };

	expect_body(get(pathf(path, "/api/landlords/agents/%s", ada), NULL), 401, E401);
	expect_body(get(pathf(path, "/api/landlords/agents/%s", ada), "aa.bb.cc"), 401, E401);
	expect_body(get(pathf(path, "/api/landlords/agents/%s", ada), consumer_token), 403, E403);
	expect_body(get(pathf(path, "/api/agents/%s", ada), consumer_token), 403, E403);
	for (size_t i = 0; i < 2; i++) {
		expect_body(get(targets[i], NULL), 401, E401);
		expect_body(get(targets[i], consumer_token), 403, E403);
	}
}

/* ---- the list (#26, #28) ---- */

Test(accounts_agents, list_defaults_to_id_order_with_every_agent)
{
	const char *all[] = { olga, ada, bender, carl, dana };
	struct hresp *r = get("/api/landlords/agents", co.admin_token);

	qsort(all, 5, sizeof(all[0]), by_strcmp);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 5);
	cr_assert_eq(hresp_int(r, "total"), 5);
	cr_assert_str_eq(href(r, "self"), "/api/landlords/agents?page=1&itemsPerPage=20");
	cr_assert_str_eq(href(r, "first"), "/api/landlords/agents?page=1&itemsPerPage=20");
	cr_assert_str_eq(href(r, "last"), "/api/landlords/agents?page=1&itemsPerPage=20");
	cr_assert_null(href(r, "next"));
	cr_assert_null(href(r, "previous"));
	hresp_free(r);
	expect_order("/api/landlords/agents", "sah:landlords:agents", all, 5);
	expect_order("/api/landlords/agents?sort=_id", "sah:landlords:agents", all, 5);
}

Test(accounts_agents, list_page_is_exact)
{
	char body[2048];

	snprintf(body, sizeof(body),
		 "{\"count\":1,\"total\":1,\"_links\":{"
		 "\"self\":{\"href\":\"/api/landlords/agents?enabled=false&page=1&itemsPerPage=20\"},"
		 "\"first\":{\"href\":\"/api/landlords/agents?enabled=false&page=1&itemsPerPage=20\"},"
		 "\"last\":{\"href\":\"/api/landlords/agents?enabled=false&page=1&itemsPerPage=20\"}},"
		 "\"_embedded\":{\"sah:landlords:agents\":[{\"id\":\"%s\",\"fullName\":\"Carl Zed\","
		 "\"email\":\"carl@rentd.test\",\"enabled\":false}]}}",
		 carl);
	expect_body(get("/api/landlords/agents?enabled=false", agent_token), 200, body);
}

Test(accounts_agents, sort_by_full_name_ascending_and_descending)
{
	const char *asc[] = { ada, bender, carl, dana, olga };
	const char *desc[] = { olga, dana, carl, bender, ada };

	expect_order("/api/landlords/agents?sort=fullName", "sah:landlords:agents", asc, 5);
	expect_order("/api/landlords/agents?sort=%2BfullName", "sah:landlords:agents", asc, 5);
	expect_order("/api/landlords/agents?sort=-fullName", "sah:landlords:agents", desc, 5);
}

Test(accounts_agents, sort_by_several_keys)
{
	const char *enabled_then_email_desc[] = { carl, olga, dana, bender, ada };
	const char *enabled_desc_then_name[] = { ada, bender, dana, olga, carl };
	const char *email[] = { ada, bender, carl, dana, olga };

	expect_order("/api/landlords/agents?sort=enabled,-email", "sah:landlords:agents", enabled_then_email_desc, 5);
	expect_order("/api/landlords/agents?sort=-enabled,fullName,_id", "sah:landlords:agents", enabled_desc_then_name,
		     5);
	expect_order("/api/landlords/agents?sort=email", "sah:landlords:agents", email, 5);
	expect_order("/api/landlords/agents?sort=%20email%20,", "sah:landlords:agents", email, 5);
}

/* 400 naming the parameter (S-38: the list documents no 422). */
static void expect_bad_param(const char *target, const char *param)
{
	struct hresp *r = get(target, agent_token);
	json_t *vm;

	cr_assert_eq(r->status, 400, "%s: %d %s", target, r->status, r->body);
	cr_assert_str_eq(hresp_str(r, "title"), "Bad Request");
	cr_assert_eq(hresp_int(r, "status"), 400);
	cr_assert_str_eq(hresp_str(r, "type"), PROBLEM_TYPE);
	vm = json_object_get(r->json, "validationMessages");
	cr_assert(json_is_object(json_object_get(vm, param)), "%s: %s", target, r->body);
	cr_assert_eq(json_object_size(vm), 1, "%s", r->body);
	hresp_free(r);
}

Test(accounts_agents, bad_sort_enabled_and_paging_are_400)
{
	expect_bad_param("/api/landlords/agents?sort=name", "sort");
	expect_bad_param("/api/landlords/agents?sort=fullName,-fullName", "sort");
	expect_bad_param("/api/landlords/agents?sort=-", "sort");
	expect_bad_param("/api/landlords/agents?sort=FULLNAME", "sort");
	expect_bad_param("/api/landlords/agents?enabled=yes", "enabled");
	expect_bad_param("/api/landlords/agents?page=0", "page");
	expect_bad_param("/api/landlords/agents?itemsPerPage=-3", "itemsPerPage");
	expect_bad_param("/api/agents?enabled=maybe", "enabled");
	expect_bad_param("/api/agents?page=x", "page");
}

Test(accounts_agents, filter_by_enabled_and_email)
{
	const char *enabled[] = { ada, bender, dana, olga };
	const char *disabled[] = { carl };
	const char *dana_only[] = { dana };
	struct hresp *r;

	expect_order("/api/landlords/agents?enabled=true&sort=fullName", "sah:landlords:agents", enabled, 4);
	expect_order("/api/landlords/agents?enabled=1&sort=fullName", "sah:landlords:agents", enabled, 4);
	expect_order("/api/landlords/agents?enabled=false", "sah:landlords:agents", disabled, 1);
	expect_order("/api/landlords/agents?email=DANA%40RENTD.TEST", "sah:landlords:agents", dana_only, 1);
	expect_order("/api/landlords/agents?email=dana@rentd.test&enabled=true", "sah:landlords:agents", dana_only,
		     1);
	r = get("/api/landlords/agents?email=dana@rentd.test&enabled=false", agent_token);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 0);
	cr_assert_eq(hresp_int(r, "total"), 0);
	cr_assert_str_eq(href(r, "last"), "/api/landlords/agents?email=dana@rentd.test&enabled=false&page=1&itemsPerPage=20");
	hresp_free(r);
	/* an e-mail filter is equality, not a pattern */
	r = get("/api/landlords/agents?email=%25rentd.test", agent_token);
	cr_assert_eq(hresp_int(r, "total"), 0, "%s", r->body);
	hresp_free(r);
}

Test(accounts_agents, ids_in_every_encoding)
{
	char queries[6][200], target[1400], want[128], got[512], self[512];
	const char *pair[] = { ada, carl };

	qsort(pair, 2, sizeof(pair[0]), by_strcmp);
	join(want, sizeof(want), pair, 2);
	snprintf(queries[0], 200, "ids=%s&ids=%s", ada, carl);
	snprintf(queries[1], 200, "ids[]=%s&ids[]=%s", ada, carl);
	snprintf(queries[2], 200, "ids=%s,%s", ada, carl);
	snprintf(queries[3], 200, "ids[0]=%s&ids[1]=%s", ada, carl);
	snprintf(queries[4], 200, "ids%%5B%%5D=%s&ids%%5B%%5D=%s", ada, carl);
	snprintf(queries[5], 200, "ids=%s%%2C%s", ada, carl);
	for (size_t i = 0; i < 6; i++) {
		struct hresp *r;
		snprintf(target, sizeof(target), "/api/landlords/agents?%s", queries[i]);
		r = get(target, agent_token);
		cr_assert_eq(r->status, 200, "%s: %s", target, r->body);
		cr_assert_eq(hresp_int(r, "total"), 2, "%s: %s", target, r->body);
		cr_assert_str_eq(ids_of(r, "sah:landlords:agents", got, sizeof(got)), want, "%s", target);
		hresp_free(r);
	}
	/* links repeat the ids in the ids[]= form (S-19) */
	snprintf(target, sizeof(target), "/api/landlords/agents?ids=%s&ids=%s&itemsPerPage=1", ada, carl);
	{
		struct hresp *r = get(target, agent_token);
		snprintf(self, sizeof(self), "/api/landlords/agents?ids[]=%s&ids[]=%s&page=2&itemsPerPage=1", ada, carl);
		cr_assert_str_eq(href(r, "next"), self, "%s", r->body);
		hresp_free(r);
	}
}

Test(accounts_agents, unknown_ids_match_nothing)
{
	char target[512];
	const char *only_ada[] = { ada };
	struct hresp *r = get("/api/landlords/agents?ids=3c2e15d7-ba6e-4995-aa19-a00267ca36dd", agent_token);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 0);
	cr_assert_eq(hresp_int(r, "count"), 0);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(r->json, "_embedded"), "sah:landlords:agents")), 0);
	hresp_free(r);
	snprintf(target, sizeof(target), "/api/landlords/agents?ids[]=nope&ids[]=%s&ids[]=%%2C", ada);
	expect_order(target, "sah:landlords:agents", only_ada, 1);
	/* an employee's uuid is no agent's */
	snprintf(target, sizeof(target), "/api/landlords/agents?ids=%s", co.uuid);
	r = get(target, agent_token);
	cr_assert_eq(hresp_int(r, "total"), 0, "%s", r->body);
	hresp_free(r);
}

Test(accounts_agents, paging_repeats_the_filters_in_the_links)
{
	const char *second[] = { dana, olga };
	struct hresp *r = get("/api/landlords/agents?sort=fullName&enabled=true&page=2&itemsPerPage=2", agent_token);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 2);
	cr_assert_eq(hresp_int(r, "total"), 4);
	cr_assert_str_eq(href(r, "self"), "/api/landlords/agents?sort=fullName&enabled=true&page=2&itemsPerPage=2");
	cr_assert_str_eq(href(r, "first"), "/api/landlords/agents?sort=fullName&enabled=true&page=1&itemsPerPage=2");
	cr_assert_str_eq(href(r, "last"), "/api/landlords/agents?sort=fullName&enabled=true&page=2&itemsPerPage=2");
	cr_assert_str_eq(href(r, "previous"),
			 "/api/landlords/agents?sort=fullName&enabled=true&page=1&itemsPerPage=2");
	cr_assert_null(href(r, "next"));
	hresp_free(r);
	expect_order("/api/landlords/agents?sort=fullName&enabled=true&page=2&itemsPerPage=2", "sah:landlords:agents",
		     second, 2);

	r = get("/api/landlords/agents?sort=-fullName&page=1&itemsPerPage=2", agent_token);
	cr_assert_str_eq(href(r, "next"), "/api/landlords/agents?sort=-fullName&page=2&itemsPerPage=2");
	cr_assert_str_eq(href(r, "last"), "/api/landlords/agents?sort=-fullName&page=3&itemsPerPage=2");
	hresp_free(r);

	r = get("/api/landlords/agents?page=4&itemsPerPage=2", agent_token);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 0);
	cr_assert_eq(hresp_int(r, "total"), 5);
	cr_assert_str_eq(href(r, "previous"), "/api/landlords/agents?page=3&itemsPerPage=2");
	hresp_free(r);

	r = get("/api/landlords/agents?itemsPerPage=101", agent_token);
	cr_assert_str_eq(href(r, "self"), "/api/landlords/agents?page=1&itemsPerPage=100");
	cr_assert_eq(hresp_int(r, "count"), 5);
	hresp_free(r);
}

Test(accounts_agents, deprecated_list_has_its_relation_no_sort_and_deprecation)
{
	const char *all[] = { olga, ada, bender, carl, dana };
	const char *enabled_ids[] = { olga, ada, bender, dana };
	char got[512], want[512];
	struct hresp *r;

	qsort(all, 5, sizeof(all[0]), by_strcmp);
	qsort(enabled_ids, 4, sizeof(enabled_ids[0]), by_strcmp);
	r = get("/api/agents?sort=-fullName", co.admin_token);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Deprecation"), "true");
	cr_assert_str_eq(ids_of(r, "sah:agents", got, sizeof(got)), join(want, sizeof(want), all, 5),
			 "#28 has no sort: the default order");
	cr_assert_null(json_object_get(json_object_get(r->json, "_embedded"), "sah:landlords:agents"));
	hresp_free(r);
	expect_order("/api/agents?enabled=true", "sah:agents", enabled_ids, 4);
	r = get("/api/agents?enabled=true&itemsPerPage=3", agent_token);
	cr_assert_eq(hresp_int(r, "total"), 4);
	cr_assert_str_eq(href(r, "next"), "/api/agents?enabled=true&page=2&itemsPerPage=3");
	hresp_free(r);
}

Test(accounts_agents, agent_tokens_do_not_open_the_landlord_dialect)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/company/", agent_token, NULL);
	cr_assert_eq(r->status, 403, "%s", r->body);
	hresp_free(r);
}
