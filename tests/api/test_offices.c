/*
 * Offices (homeq.md §9, §12.2, §15 rules 5, 6, 12; decisions.md G-02, H-03, H-32):
 * the list and its modes and scope, create with defaults and minimums, e-mail
 * flags, logos, update and moves in the tree.
 */
#include "org_common.h"

#define RIGHT_ORG "entity.organization"
#define PNG_B64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
#define PNG_LEN 70
#define JPEG_B64 "/9j/4AAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define TEXT_B64 "aGVsbG8sIHRoaXMgaXMgbm90IGFuIGltYWdl"

static struct harness *h;
static struct fixture_company co;

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(offices, .init = setup, .fini = teardown);

/* GET offices with this query as the caller (caller frees). */
static struct hresp *list(const char *token, const char *query)
{
	char target[256];
	snprintf(target, sizeof(target), "/api/v1/offices/?%s", query);
	return harness_auth(h, "GET", target, token, NULL);
}

/* One office as the admin sees it in manage mode (caller frees the response in *out). */
static json_t *office(int64_t id, struct hresp **out)
{
	char q[64];
	struct hresp *r;
	snprintf(q, sizeof(q), "mode=manage&office_id=%lld", (long long)id);
	r = list(co.admin_token, q);
	cr_assert_eq(r->status, 200, "office %lld: %s", (long long)id, r->body);
	cr_assert_eq(json_array_size(r->json), 1);
	*out = r;
	return json_array_get(r->json, 0);
}

static size_t office_count(void)
{
	struct hresp *r = list(co.admin_token, "mode=manage");
	size_t n;
	cr_assert_eq(r->status, 200);
	n = json_array_size(r->json);
	hresp_free(r);
	return n;
}

/* POST an office as the admin; returns its id (asserts 201). */
static int64_t create(const char *fmt_body)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v1/offices/", co.admin_token, fmt_body);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	cr_assert(id > 0);
	hresp_free(r);
	return id;
}

Test(offices, mode_is_required_and_an_enum)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/offices/", co.admin_token, NULL);
	expect_invalid(r, "mode");
	hresp_free(r);
	r = list(co.admin_token, "mode=");
	expect_invalid(r, "mode");
	hresp_free(r);
	r = list(co.admin_token, "mode=everything");
	expect_invalid(r, "mode");
	hresp_free(r);
	r = list(co.admin_token, "mode=default&office_id=abc");
	expect_invalid(r, "office_id");
	hresp_free(r);
	r = list(co.admin_token, "mode=default&office_id=-3");
	expect_invalid(r, "office_id");
	hresp_free(r);
}

Test(offices, list_has_office_shape)
{
	static const char *const keys[] = { "batch_size", "candidate_sorting_mode", "contract_system",
					    "default_email_for_contracts", "default_email_for_offers",
					    "default_email_for_viewings", "description", "email", "employee_count", "id",
					    "logo", "name", "offer_min_response_time", "offer_per_ad", "offers_per_person",
					    "parent", "time_to_next_engagement", NULL };
	struct hresp *r = list(co.admin_token, "mode=default");
	json_t *root;

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_array(r->json));
	cr_assert_eq(json_array_size(r->json), 1);
	root = json_array_get(r->json, 0);
	expect_keys(root, keys);
	cr_assert_eq(jint(root, "id"), co.root_office);
	cr_assert(json_is_null(json_object_get(root, "parent")));
	cr_assert_eq(jint(root, "employee_count"), 1);
	cr_assert_str_eq(jstr(root, "name"), "Acme");
	hresp_free(r);
}

Test(offices, office_id_of_another_company_is_404)
{
	struct fixture_company other;
	char q[64];
	struct hresp *r;

	fixture_company(h, "Other", &other);
	snprintf(q, sizeof(q), "mode=manage&office_id=%lld", (long long)other.root_office);
	r = list(co.admin_token, q);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	snprintf(q, sizeof(q), "mode=default&office_id=%lld", (long long)other.root_office);
	r = list(co.admin_token, q);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = list(co.admin_token, "mode=default&office_id=999999");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(offices, default_mode_is_the_callers_subtree)
{
	int64_t a = fixture_office(h, co.id, co.root_office, "Region A");
	int64_t a1 = fixture_office(h, co.id, a, "City A1");
	int64_t b = fixture_office(h, co.id, co.root_office, "Region B");
	char emp[1024], adm[1024], q[64];
	struct hresp *r;

	fixture_employee(h, co.id, a, "employee", "emp-a", emp);
	fixture_employee(h, co.id, a, "admin", "adm-a", adm);

	r = list(emp, "mode=default");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(r->json), 2, "%s", r->body);
	cr_assert(find_id(r->json, a) && find_id(r->json, a1));
	cr_assert_null(find_id(r->json, b));
	cr_assert_null(find_id(r->json, co.root_office));
	hresp_free(r);

	/* manage without entity.organization: still the subtree */
	r = list(emp, "mode=manage");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(r->json), 2, "%s", r->body);
	hresp_free(r);

	snprintf(q, sizeof(q), "mode=default&office_id=%lld", (long long)b);
	r = list(emp, q);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	snprintf(q, sizeof(q), "mode=manage&office_id=%lld", (long long)b);
	r = list(emp, q);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	snprintf(q, sizeof(q), "mode=default&office_id=%lld", (long long)a1);
	r = list(emp, q);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(r->json), 1);
	cr_assert_eq(jint(json_array_get(r->json, 0), "id"), a1);
	cr_assert_eq(jint(json_array_get(r->json, 0), "parent"), a);
	hresp_free(r);

	/* an admin profile rooted in A: default is the subtree, manage is everything (§15 rule 12) */
	r = list(adm, "mode=default");
	cr_assert_eq(json_array_size(r->json), 2, "%s", r->body);
	hresp_free(r);
	r = list(adm, "mode=manage");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(r->json), 4, "%s", r->body);
	cr_assert(find_id(r->json, b) && find_id(r->json, co.root_office));
	hresp_free(r);
}

Test(offices, create_applies_defaults)
{
	char body[128];
	struct hresp *r;
	json_t *o;
	int64_t id;

	snprintf(body, sizeof(body), "{\"name\":\"Lund\",\"parent\":%lld}", (long long)co.root_office);
	id = create(body);
	o = office(id, &r);
	cr_assert_str_eq(jstr(o, "name"), "Lund");
	cr_assert_eq(jint(o, "parent"), co.root_office);
	cr_assert_eq(jint(o, "batch_size"), 5);
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "queue_points");
	cr_assert_str_eq(jstr(o, "contract_system"), "manual_selection_lock");
	cr_assert_eq(jint(o, "offer_min_response_time"), 48);
	cr_assert_eq(jint(o, "offer_per_ad"), 5);
	cr_assert_eq(jint(o, "offers_per_person"), 3);
	cr_assert_eq(jint(o, "time_to_next_engagement"), 5);
	cr_assert(json_is_false(json_object_get(o, "default_email_for_contracts")));
	cr_assert(json_is_false(json_object_get(o, "default_email_for_offers")));
	cr_assert(json_is_false(json_object_get(o, "default_email_for_viewings")));
	cr_assert(json_is_null(json_object_get(o, "logo")));
	cr_assert_eq(jint(o, "employee_count"), 0);
	hresp_free(r);
}

Test(offices, create_sets_every_field)
{
	char body[1024];
	struct hresp *r;
	json_t *o;
	int64_t id;

	snprintf(body, sizeof(body),
		 "{\"name\":\"Uppsala\",\"parent\":%lld,\"description\":\"North\",\"email\":\"uppsala@acme.se\","
		 "\"candidate_sorting_mode\":\"random\",\"contract_system\":\"automatic_strict\",\"batch_size\":2,"
		 "\"offer_min_response_time\":24,\"offer_per_ad\":1,\"offers_per_person\":1,"
		 "\"time_to_next_engagement\":1,\"default_email_for_contracts\":true,"
		 "\"default_email_for_offers\":true,\"default_email_for_viewings\":false}",
		 (long long)co.root_office);
	id = create(body);
	o = office(id, &r);
	cr_assert_str_eq(jstr(o, "description"), "North");
	cr_assert_str_eq(jstr(o, "email"), "uppsala@acme.se");
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "random");
	cr_assert_str_eq(jstr(o, "contract_system"), "automatic_strict");
	cr_assert_eq(jint(o, "batch_size"), 2);
	cr_assert_eq(jint(o, "offer_min_response_time"), 24);
	cr_assert_eq(jint(o, "offer_per_ad"), 1);
	cr_assert_eq(jint(o, "offers_per_person"), 1);
	cr_assert_eq(jint(o, "time_to_next_engagement"), 1);
	cr_assert(json_is_true(json_object_get(o, "default_email_for_contracts")));
	cr_assert(json_is_true(json_object_get(o, "default_email_for_offers")));
	cr_assert(json_is_false(json_object_get(o, "default_email_for_viewings")));
	hresp_free(r);
}

Test(offices, every_minimum_is_enforced)
{
	static const struct {
		const char *field;
		int value;
	} below[] = {
		{ "batch_size", 1 },   { "offer_min_response_time", 23 }, { "offer_per_ad", 0 },
		{ "offers_per_person", 0 }, { "time_to_next_engagement", 0 },
	};
	size_t before = office_count();
	struct hresp *r;

	for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++) {
		r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"X\",\"parent\":%lld,\"%s\":%d}",
			 (long long)co.root_office, below[i].field, below[i].value);
		expect_invalid(r, below[i].field);
		hresp_free(r);
	}
	/* all at once: every field is reported */
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token,
		 "{\"name\":\"X\",\"parent\":%lld,\"batch_size\":1,\"offer_min_response_time\":0,\"offer_per_ad\":-1,"
		 "\"offers_per_person\":0,\"time_to_next_engagement\":0}",
		 (long long)co.root_office);
	expect_invalid(r, "batch_size");
	for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++)
		cr_assert(has_field(r, below[i].field), "%s not named: %s", below[i].field, r->body);
	hresp_free(r);
	cr_assert_eq(office_count(), before, "failed creates create nothing");
}

Test(offices, bad_enums_and_types_are_412)
{
	size_t before = office_count();
	struct hresp *r = reqf(h, "POST", "/api/v1/offices/", co.admin_token,
			       "{\"name\":\"X\",\"parent\":%lld,\"candidate_sorting_mode\":\"alphabetical\","
			       "\"contract_system\":\"lottery\"}",
			       (long long)co.root_office);
	expect_invalid(r, "candidate_sorting_mode");
	cr_assert(has_field(r, "contract_system"));
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token,
		 "{\"name\":7,\"parent\":\"root\",\"batch_size\":true,\"default_email_for_offers\":\"yes\","
		 "\"description\":[]}");
	expect_invalid(r, "name");
	cr_assert(has_field(r, "parent"));
	cr_assert(has_field(r, "batch_size"));
	cr_assert(has_field(r, "default_email_for_offers"));
	cr_assert(has_field(r, "description"));
	hresp_free(r);
	cr_assert_eq(office_count(), before);
}

Test(offices, name_and_parent_are_required)
{
	size_t before = office_count();
	struct hresp *r = harness_auth(h, "POST", "/api/v1/offices/", co.admin_token, "{}");
	expect_invalid(r, "name");
	cr_assert(has_field(r, "parent"), "%s", r->body);
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"\",\"parent\":%lld}",
		 (long long)co.root_office);
	expect_invalid(r, "name");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"Kiruna\"}");
	expect_invalid(r, "parent");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"Kiruna\",\"parent\":999999}");
	expect_invalid(r, "parent");
	hresp_free(r);
	cr_assert_eq(office_count(), before);
}

Test(offices, email_flag_without_email_is_office_email_required)
{
	static const char *const flags[] = { "default_email_for_contracts", "default_email_for_offers",
					     "default_email_for_viewings", NULL };
	size_t before = office_count();
	struct hresp *r;

	for (int i = 0; flags[i]; i++) {
		r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"X\",\"parent\":%lld,\"%s\":true}",
			 (long long)co.root_office, flags[i]);
		expect_error(r, 412, "OfficeEmailRequired");
		cr_assert(desc_contains(r, "Office email required"), "%s", r->body);
		hresp_free(r);
		r = reqf(h, "POST", "/api/v1/offices/", co.admin_token,
			 "{\"name\":\"X\",\"parent\":%lld,\"%s\":true,\"email\":\"\"}", (long long)co.root_office,
			 flags[i]);
		expect_error(r, 412, "OfficeEmailRequired");
		hresp_free(r);
	}
	cr_assert_eq(office_count(), before);
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token,
		 "{\"name\":\"X\",\"parent\":%lld,\"default_email_for_offers\":true,\"email\":\"x@acme.se\"}",
		 (long long)co.root_office);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

Test(offices, email_flag_rule_holds_on_update)
{
	char body[256];
	struct hresp *r;
	json_t *o;
	int64_t with, without;

	snprintf(body, sizeof(body),
		 "{\"name\":\"With\",\"parent\":%lld,\"email\":\"w@acme.se\",\"default_email_for_viewings\":true}",
		 (long long)co.root_office);
	with = create(body);
	snprintf(body, sizeof(body), "{\"name\":\"Without\",\"parent\":%lld}", (long long)co.root_office);
	without = create(body);

	/* clearing the email while a flag stays true */
	r = reqf(h, "PATCH", pathf(body, "/api/v1/offices/%lld/", (long long)with), co.admin_token, "{\"email\":\"\"}");
	expect_error(r, 412, "OfficeEmailRequired");
	hresp_free(r);
	r = reqf(h, "PUT", pathf(body, "/api/v1/offices/%lld/", (long long)with), co.admin_token, "{\"email\":null}");
	expect_error(r, 412, "OfficeEmailRequired");
	hresp_free(r);
	o = office(with, &r);
	cr_assert_str_eq(jstr(o, "email"), "w@acme.se", "unchanged");
	hresp_free(r);

	/* setting a flag on an office without email */
	r = reqf(h, "PATCH", pathf(body, "/api/v1/offices/%lld/", (long long)without), co.admin_token,
		 "{\"default_email_for_contracts\":true}");
	expect_error(r, 412, "OfficeEmailRequired");
	hresp_free(r);
	o = office(without, &r);
	cr_assert(json_is_false(json_object_get(o, "default_email_for_contracts")));
	hresp_free(r);

	/* clearing both at once is fine */
	r = reqf(h, "PATCH", pathf(body, "/api/v1/offices/%lld/", (long long)with), co.admin_token,
		 "{\"email\":\"\",\"default_email_for_viewings\":false}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "email"), "");
	hresp_free(r);
}

Test(offices, bad_email_is_412)
{
	static const char *const bad[] = { "not-an-email", "a@b", "@acme.se", "a b@acme.se", "a@@acme.se", NULL };
	size_t before = office_count();
	char target[64];
	struct hresp *r;

	for (int i = 0; bad[i]; i++) {
		r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"X\",\"parent\":%lld,\"email\":\"%s\"}",
			 (long long)co.root_office, bad[i]);
		expect_invalid(r, "email");
		hresp_free(r);
	}
	cr_assert_eq(office_count(), before);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)co.root_office), co.admin_token,
		 "{\"email\":\"nope\"}");
	expect_invalid(r, "email");
	hresp_free(r);
}

Test(offices, png_logo_is_served_at_its_url)
{
	char body[512], target[256];
	const char *url, *p;
	struct hresp *r, *img;
	json_t *o;
	int64_t id;

	snprintf(body, sizeof(body), "{\"name\":\"Logo\",\"parent\":%lld,\"logo\":\"%s\"}", (long long)co.root_office,
		 PNG_B64);
	id = create(body);
	o = office(id, &r);
	url = jstr(o, "logo");
	cr_assert(url, "logo is a URL: %s", r->body);
	snprintf(target, sizeof(target), "/api/v1/offices/%lld/logo", (long long)id);
	p = strstr(url, "/api/v1/offices/");
	cr_assert(p && strcmp(p, target) == 0, "logo URL %s", url);

	img = harness_request(h, "GET", p, NULL); /* public, like other images */
	cr_assert_eq(img->status, 200, "%s", img->body);
	cr_assert_str_eq(img->content_type, "image/png");
	cr_assert_eq(img->body_len, PNG_LEN);
	cr_assert(memcmp(img->body, "\x89PNG\r\n\x1a\n", 8) == 0);
	hresp_free(img);
	hresp_free(r);

	/* null removes it */
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)id), co.admin_token, "{\"logo\":null}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_null(json_object_get(r->json, "logo")));
	hresp_free(r);
	r = harness_request(h, "GET", pathf(target, "/api/v1/offices/%lld/logo", (long long)id), NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(offices, jpeg_logo_on_update_and_data_url)
{
	char target[128];
	struct hresp *r;

	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)co.root_office), co.admin_token,
		 "{\"logo\":\"data:image/jpeg;base64,%s\"}", JPEG_B64);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_string(json_object_get(r->json, "logo")));
	hresp_free(r);
	r = harness_request(h, "GET", pathf(target, "/api/v1/offices/%lld/logo", (long long)co.root_office), NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(r->content_type, "image/jpeg");
	hresp_free(r);
}

Test(offices, non_image_logo_is_412)
{
	size_t before = office_count();
	char target[128];
	struct hresp *r;

	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"X\",\"parent\":%lld,\"logo\":\"%s\"}",
		 (long long)co.root_office, TEXT_B64);
	expect_invalid(r, "logo");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"X\",\"parent\":%lld,\"logo\":\"%%%%%%\"}",
		 (long long)co.root_office);
	expect_invalid(r, "logo");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"X\",\"parent\":%lld,\"logo\":42}",
		 (long long)co.root_office);
	expect_invalid(r, "logo");
	hresp_free(r);
	cr_assert_eq(office_count(), before);

	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)co.root_office), co.admin_token,
		 "{\"logo\":\"%s\",\"name\":\"Renamed\"}", TEXT_B64);
	expect_invalid(r, "logo");
	hresp_free(r);
	r = harness_request(h, "GET", pathf(target, "/api/v1/offices/%lld/logo", (long long)co.root_office), NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(offices, update_changes_only_given_fields_and_put_is_alias)
{
	char target[128], body[128];
	struct hresp *r;
	json_t *o;
	int64_t id;

	snprintf(body, sizeof(body), "{\"name\":\"Kalmar\",\"parent\":%lld,\"batch_size\":7}", (long long)co.root_office);
	id = create(body);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)id), co.admin_token,
		 "{\"name\":\"Kalmar län\",\"offer_min_response_time\":72}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "id"), id);
	cr_assert_str_eq(hresp_str(r, "name"), "Kalmar län");
	cr_assert_eq(hresp_int(r, "offer_min_response_time"), 72);
	cr_assert_eq(hresp_int(r, "batch_size"), 7);
	hresp_free(r);

	r = reqf(h, "PUT", pathf(target, "/api/v1/offices/%lld/", (long long)id), co.admin_token,
		 "{\"contract_system\":\"external\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);

	/* an invalid update changes nothing, even its valid fields */
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)id), co.admin_token,
		 "{\"name\":\"Broken\",\"batch_size\":1}");
	expect_invalid(r, "batch_size");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)id), co.admin_token, "{\"name\":\"\"}");
	expect_invalid(r, "name");
	hresp_free(r);

	o = office(id, &r);
	cr_assert_str_eq(jstr(o, "name"), "Kalmar län");
	cr_assert_str_eq(jstr(o, "contract_system"), "external");
	cr_assert_eq(jint(o, "batch_size"), 7);
	cr_assert_eq(jint(o, "offer_min_response_time"), 72);
	cr_assert_eq(jint(o, "parent"), co.root_office);
	hresp_free(r);

	r = reqf(h, "PATCH", "/api/v1/offices/999999/", co.admin_token, "{\"name\":\"Ghost\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(offices, move_under_another_office_and_not_below_itself)
{
	int64_t a = fixture_office(h, co.id, co.root_office, "A");
	int64_t a1 = fixture_office(h, co.id, a, "A1");
	int64_t b = fixture_office(h, co.id, co.root_office, "B");
	char target[128], emp[1024];
	struct hresp *r;
	json_t *o;

	fixture_employee(h, co.id, a, "employee", "emp-a", emp);

	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)b), co.admin_token, "{\"parent\":%lld}",
		 (long long)a1);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "parent"), a1);
	hresp_free(r);

	/* B is now below A: A's employee sees it */
	r = list(emp, "mode=default");
	cr_assert(find_id(r->json, b), "moved office is in the subtree: %s", r->body);
	hresp_free(r);

	/* A below its own descendant B, or below itself: refused, nothing moves */
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)a), co.admin_token, "{\"parent\":%lld}",
		 (long long)b);
	expect_invalid(r, "parent");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)a), co.admin_token, "{\"parent\":%lld}",
		 (long long)a);
	expect_invalid(r, "parent");
	hresp_free(r);
	/* the root has no parent */
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)co.root_office), co.admin_token,
		 "{\"parent\":%lld}", (long long)a);
	expect_invalid(r, "parent");
	hresp_free(r);

	o = office(a, &r);
	cr_assert_eq(jint(o, "parent"), co.root_office);
	hresp_free(r);
	o = office(co.root_office, &r);
	cr_assert(json_is_null(json_object_get(o, "parent")));
	hresp_free(r);

	/* and back again: B's subtree path follows */
	r = reqf(h, "PUT", pathf(target, "/api/v1/offices/%lld/", (long long)b), co.admin_token, "{\"parent\":%lld}",
		 (long long)co.root_office);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = list(emp, "mode=default");
	cr_assert_null(find_id(r->json, b), "%s", r->body);
	hresp_free(r);
}

Test(offices, parent_of_another_company_is_412)
{
	struct fixture_company other;
	char target[128];
	int64_t a = fixture_office(h, co.id, co.root_office, "A");
	size_t before;
	struct hresp *r;
	json_t *o;

	fixture_company(h, "Other", &other);
	before = office_count();
	r = reqf(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\":\"X\",\"parent\":%lld}",
		 (long long)other.root_office);
	expect_invalid(r, "parent");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)a), co.admin_token, "{\"parent\":%lld}",
		 (long long)other.root_office);
	expect_invalid(r, "parent");
	hresp_free(r);
	cr_assert_eq(office_count(), before);
	o = office(a, &r);
	cr_assert_eq(jint(o, "parent"), co.root_office);
	hresp_free(r);

	/* the other company still has only its root office */
	r = list(other.admin_token, "mode=manage");
	cr_assert_eq(json_array_size(r->json), 1);
	hresp_free(r);
}

Test(offices, create_and_update_need_organization_right)
{
	char mgr[1024], target[128];
	size_t before = office_count();
	struct hresp *r;
	json_t *o;

	fixture_employee(h, co.id, 0, "manager", "mgr", mgr);
	r = reqf(h, "POST", "/api/v1/offices/", mgr, "{\"name\":\"X\",\"parent\":%lld}", (long long)co.root_office);
	expect_no_right(r, RIGHT_ORG);
	hresp_free(r);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)co.root_office), mgr,
		 "{\"name\":\"Taken over\"}");
	expect_no_right(r, RIGHT_ORG);
	hresp_free(r);
	cr_assert_eq(office_count(), before);
	o = office(co.root_office, &r);
	cr_assert_str_eq(jstr(o, "name"), "Acme");
	hresp_free(r);
}

Test(offices, sub_office_admin_creates_only_below_its_root)
{
	int64_t a = fixture_office(h, co.id, co.root_office, "A");
	int64_t b = fixture_office(h, co.id, co.root_office, "B");
	char adm[1024], target[128];
	struct hresp *r;
	int64_t id;

	fixture_employee(h, co.id, a, "admin", "adm-a", adm);
	r = reqf(h, "POST", "/api/v1/offices/", adm, "{\"name\":\"B child\",\"parent\":%lld}", (long long)b);
	expect_invalid(r, "parent");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/offices/", adm, "{\"name\":\"A child\",\"parent\":%lld}", (long long)a);
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)id), adm, "{\"parent\":%lld}",
		 (long long)b);
	expect_invalid(r, "parent");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)b), adm, "{\"name\":\"Mine\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(offices, moving_an_office_moves_its_subtree)
{
	int64_t a = fixture_office(h, co.id, co.root_office, "A");
	int64_t a1 = fixture_office(h, co.id, a, "A1");
	int64_t b = fixture_office(h, co.id, co.root_office, "B");
	char emp_b[1024], mgr_b[1024], target[128];
	int64_t in_a1;
	struct hresp *r;

	fixture_employee(h, co.id, b, "employee", "emp-b", emp_b);
	fixture_employee(h, co.id, b, "manager", "mgr-b", mgr_b);
	in_a1 = fixture_employee(h, co.id, a1, "employee", "emp-a1", NULL);

	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)a), co.admin_token, "{\"parent\":%lld}",
		 (long long)b);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);

	r = list(emp_b, "mode=default");
	cr_assert_eq(json_array_size(r->json), 3, "B, A and A1: %s", r->body);
	cr_assert(find_id(r->json, a1));
	hresp_free(r);
	/* the employee of A1 is now below B's manager */
	r = harness_auth(h, "GET", pathf(target, "/api/v1/employees/%lld/", (long long)in_a1), mgr_b, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}
