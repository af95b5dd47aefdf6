/*
 * Rights and right profiles (homeq.md §9, §12.2, §15 rules 7, 8, 11; decisions.md
 * G-02, H-03): the catalog, the four default profiles, create, update, delete.
 */
#include "org_common.h"

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

TestSuite(profiles, .init = setup, .fini = teardown);

static const char *rp_path(int64_t id)
{
	static char buf[512];
	return pathf(buf, "/api/v1/right_profiles/%lld/", (long long)id);
}

/* The company's profiles as its admin sees them (response in *out). */
static json_t *profiles(const char *token, struct hresp **out)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/right_profiles/", token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	*out = r;
	return json_object_get(r->json, "right_profiles");
}

static json_t *by_name(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach (arr, i, v)
		if (strcmp(jstr(v, "name"), name) == 0)
			return v;
	return NULL;
}

static int64_t profile_id(const char *name)
{
	struct hresp *r;
	json_t *p = by_name(profiles(co.admin_token, &r), name);
	int64_t id;
	cr_assert(p, "no profile %s", name);
	id = jint(p, "id");
	hresp_free(r);
	return id;
}

static size_t profile_count(void)
{
	struct hresp *r;
	size_t n = json_array_size(profiles(co.admin_token, &r));
	hresp_free(r);
	return n;
}

/* Creates a custom profile as the admin; returns its id. */
static int64_t create(const char *name, const char *rights_json)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/right_profiles/", co.admin_token, "{\"name\":\"%s\",\"rights\":%s}",
			       name, rights_json);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

Test(profiles, rights_catalog_has_the_fourteen_rights)
{
	static const char *const names[] = { "entity.Apartment.update", "entity.estate.update",
					     "entity.estate.update.bank_details", "entity.Project.update",
					     "entity.object_ad.create", "entity.object_ad.update",
					     "entity.object_ad.update.advanced", "entity.object_ad.delete",
					     "entity.employees", "entity.organization", "entity.right_profile.create",
					     "entity.right_profile.update", "entity.right_profile.delete",
					     "homeq.integration.capifast", NULL };
	static const char *const keys[] = { "description", "name", "path", NULL };
	char obs[1024];
	struct hresp *r;
	json_t *arr, *v, *paths = json_array();
	size_t i;

	fixture_employee(h, co.id, 0, "observer", "obs", obs);
	r = harness_auth(h, "GET", "/api/v1/rights/", obs, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_object_size(r->json), 1);
	arr = json_object_get(r->json, "rights");
	cr_assert_eq(json_array_size(arr), 14, "%s", r->body);
	json_array_foreach (arr, i, v) {
		expect_keys(v, keys);
		cr_assert(strlen(jstr(v, "name")) > 0 && strlen(jstr(v, "description")) > 0);
		json_array_append(paths, json_object_get(v, "path"));
	}
	for (i = 0; names[i]; i++)
		cr_assert(str_array_has(paths, names[i]), "missing right %s", names[i]);
	json_decref(paths);
	hresp_free(r);

	r = harness_auth(h, "GET", "/api/v1/rights/", NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
}

Test(profiles, four_default_profiles)
{
	static const char *const keys[] = { "company", "employees", "id", "name", "rights", NULL };
	char mgr[1024];
	struct hresp *r;
	json_t *arr, *v;
	size_t i;

	fixture_employee(h, co.id, 0, "manager", "mgr", mgr);
	fixture_employee(h, co.id, 0, "manager", "mgr2", NULL);
	arr = profiles(mgr, &r);
	cr_assert_eq(json_object_size(r->json), 1);
	cr_assert_eq(json_array_size(arr), 4, "%s", r->body);
	json_array_foreach (arr, i, v) {
		expect_keys(v, keys);
		cr_assert_eq(jint(v, "company"), co.id);
		cr_assert(json_is_array(json_object_get(v, "rights")));
	}
	cr_assert_eq(json_array_size(json_object_get(by_name(arr, "observer"), "rights")), 0);
	cr_assert_eq(json_array_size(json_object_get(by_name(arr, "admin"), "rights")), 14);
	cr_assert(str_array_has(json_object_get(by_name(arr, "manager"), "rights"), "entity.employees"));
	cr_assert(!str_array_has(json_object_get(by_name(arr, "manager"), "rights"), "entity.organization"));
	cr_assert(by_name(arr, "employee"));
	cr_assert_eq(jint(by_name(arr, "admin"), "employees"), 1);
	cr_assert_eq(jint(by_name(arr, "manager"), "employees"), 2);
	cr_assert_eq(jint(by_name(arr, "observer"), "employees"), 0);
	hresp_free(r);
}

Test(profiles, create_returns_the_profile)
{
	static const char *const keys[] = { "company", "id", "name", "rights", NULL };
	struct hresp *r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token,
				       "{\"name\":\"Leasing team\",\"rights\":[\"entity.object_ad.create\","
				       "\"entity.object_ad.update\"]}");
	json_t *arr, *p;
	int64_t id;

	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_eq(hresp_int(r, "company"), co.id);
	cr_assert_str_eq(hresp_str(r, "name"), "Leasing team");
	cr_assert_eq(json_array_size(json_object_get(r->json, "rights")), 2);
	id = hresp_int(r, "id");
	hresp_free(r);

	arr = profiles(co.admin_token, &r);
	cr_assert_eq(json_array_size(arr), 5);
	p = find_id(arr, id);
	cr_assert(p);
	cr_assert_eq(jint(p, "employees"), 0);
	cr_assert(str_array_has(json_object_get(p, "rights"), "entity.object_ad.create"));
	cr_assert(str_array_has(json_object_get(p, "rights"), "entity.object_ad.update"));
	hresp_free(r);

	/* the other company does not see it */
	{
		struct fixture_company other;
		fixture_company(h, "Other", &other);
		arr = profiles(other.admin_token, &r);
		cr_assert_eq(json_array_size(arr), 4);
		cr_assert_null(find_id(arr, id));
		hresp_free(r);
	}
}

Test(profiles, create_validation)
{
	size_t before = profile_count();
	struct hresp *r;

	r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token, "{\"name\":\"abcd\",\"rights\":[]}");
	expect_invalid(r, "name");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token, "{\"name\":\"Valid name\"}");
	expect_invalid(r, "rights");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token, "{\"rights\":[]}");
	expect_invalid(r, "name");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token,
			 "{\"name\":\"Valid name\",\"rights\":[\"entity.employees\",\"entity.everything\"]}");
	expect_invalid(r, "rights[1]");
	cr_assert(!has_field(r, "rights[0]"), "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token,
			 "{\"name\":\"Valid name\",\"rights\":[\"entity.employees\",5]}");
	expect_invalid(r, "rights[1]");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token,
			 "{\"name\":\"Valid name\",\"rights\":\"entity.employees\"}");
	expect_invalid(r, "rights");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", co.admin_token, "{\"name\":12345,\"rights\":[]}");
	expect_invalid(r, "name");
	hresp_free(r);
	cr_assert_eq(profile_count(), before, "failed creates create nothing");

	/* exactly five characters, and no rights, are fine on create */
	create("abcde", "[]");
	cr_assert_eq(profile_count(), before + 1);
}

Test(profiles, create_needs_the_right_and_grants_only_held_rights)
{
	char mgr[1024], maker[1024];
	int64_t maker_id, makers;
	size_t before;
	struct hresp *r;

	fixture_employee(h, co.id, 0, "manager", "mgr", mgr);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", mgr, "{\"name\":\"Mine mine\",\"rights\":[]}");
	expect_no_right(r, "entity.right_profile.create");
	hresp_free(r);

	/* someone who may create profiles, but holds only that right */
	makers = create("Profile makers", "[\"entity.right_profile.create\"]");
	maker_id = fixture_employee(h, co.id, 0, "observer", "maker", maker);
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/employees/%lld/", (long long)maker_id), co.admin_token,
		 "{\"right_profile\":%lld}", (long long)makers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);

	before = profile_count();
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", maker,
			 "{\"name\":\"Escalation\",\"rights\":[\"entity.right_profile.create\",\"entity.organization\"]}");
	expect_error(r, 403, "PermissionDenied");
	cr_assert(desc_contains(r, "entity.organization"), "%s", r->body);
	hresp_free(r);
	cr_assert_eq(profile_count(), before);
	r = harness_auth(h, "POST", "/api/v1/right_profiles/", maker,
			 "{\"name\":\"Copy of makers\",\"rights\":[\"entity.right_profile.create\"]}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

Test(profiles, update_and_put_alias)
{
	int64_t id = create("Leasing team", "[\"entity.object_ad.create\"]");
	struct hresp *r;
	json_t *p;

	r = reqf(h, "PATCH", rp_path(id), co.admin_token,
		 "{\"name\":\"Leasing crew\",\"rights\":[\"entity.object_ad.update\",\"entity.employees\"]}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "name"), "Leasing crew");
	cr_assert_eq(json_array_size(json_object_get(r->json, "rights")), 2);
	hresp_free(r);

	r = reqf(h, "PUT", rp_path(id), co.admin_token, "{\"name\":\"Leasing squad\",\"rights\":[\"entity.employees\"]}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);

	p = find_id(profiles(co.admin_token, &r), id);
	cr_assert_str_eq(jstr(p, "name"), "Leasing squad");
	cr_assert_eq(json_array_size(json_object_get(p, "rights")), 1);
	cr_assert(str_array_has(json_object_get(p, "rights"), "entity.employees"));
	hresp_free(r);
}

Test(profiles, update_validation_changes_nothing)
{
	int64_t id = create("Leasing team", "[\"entity.object_ad.create\"]");
	struct hresp *r;
	json_t *p;

	r = reqf(h, "PATCH", rp_path(id), co.admin_token, "{\"name\":\"Leasing crew\",\"rights\":[]}");
	expect_invalid(r, "rights");
	hresp_free(r);
	r = reqf(h, "PATCH", rp_path(id), co.admin_token, "{\"rights\":[\"entity.employees\"]}");
	expect_invalid(r, "name");
	hresp_free(r);
	r = reqf(h, "PUT", rp_path(id), co.admin_token, "{\"name\":\"Leasing crew\"}");
	expect_invalid(r, "rights");
	hresp_free(r);
	r = reqf(h, "PATCH", rp_path(id), co.admin_token, "{\"name\":\"Tiny\",\"rights\":[\"entity.employees\"]}");
	expect_invalid(r, "name");
	hresp_free(r);
	r = reqf(h, "PATCH", rp_path(id), co.admin_token, "{\"name\":\"Leasing crew\",\"rights\":[\"god.mode\"]}");
	expect_invalid(r, "rights[0]");
	hresp_free(r);
	r = reqf(h, "PATCH", rp_path(999999), co.admin_token, "{\"name\":\"Leasing crew\",\"rights\":[\"entity.employees\"]}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	p = find_id(profiles(co.admin_token, &r), id);
	cr_assert_str_eq(jstr(p, "name"), "Leasing team");
	cr_assert_eq(json_array_size(json_object_get(p, "rights")), 1);
	cr_assert(str_array_has(json_object_get(p, "rights"), "entity.object_ad.create"));
	hresp_free(r);
}

Test(profiles, update_needs_right_and_held_rights)
{
	int64_t id = create("Leasing team", "[\"entity.object_ad.create\"]");
	int64_t editors = create("Profile editors", "[\"entity.right_profile.update\"]");
	char mgr[1024], ed[1024];
	int64_t ed_id;
	struct hresp *r;
	json_t *p;

	fixture_employee(h, co.id, 0, "manager", "mgr", mgr);
	r = reqf(h, "PATCH", rp_path(id), mgr, "{\"name\":\"Leasing crew\",\"rights\":[\"entity.employees\"]}");
	expect_no_right(r, "entity.right_profile.update");
	hresp_free(r);

	ed_id = fixture_employee(h, co.id, 0, "observer", "editor", ed);
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/employees/%lld/", (long long)ed_id), co.admin_token,
		 "{\"right_profile\":%lld}", (long long)editors);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = reqf(h, "PATCH", rp_path(id), ed, "{\"name\":\"Leasing crew\",\"rights\":[\"entity.organization\"]}");
	expect_error(r, 403, "PermissionDenied");
	cr_assert(desc_contains(r, "entity.organization"), "%s", r->body);
	hresp_free(r);

	p = find_id(profiles(co.admin_token, &r), id);
	cr_assert_str_eq(jstr(p, "name"), "Leasing team");
	cr_assert(!str_array_has(json_object_get(p, "rights"), "entity.organization"));
	hresp_free(r);
}

Test(profiles, delete_unused_in_use_and_rights)
{
	int64_t unused = create("Unused profile", "[]");
	int64_t admin = profile_id("admin");
	char mgr[1024];
	struct hresp *r;
	json_t *arr;

	fixture_employee(h, co.id, 0, "manager", "mgr", mgr);
	r = harness_auth(h, "DELETE", rp_path(unused), mgr, NULL);
	expect_no_right(r, "entity.right_profile.delete");
	hresp_free(r);

	r = harness_auth(h, "DELETE", rp_path(admin), co.admin_token, NULL);
	expect_error(r, 409, "RightProfileInUse");
	hresp_free(r);

	r = harness_auth(h, "DELETE", rp_path(unused), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	cr_assert_eq(r->body_len, 0);
	hresp_free(r);
	r = harness_auth(h, "DELETE", rp_path(unused), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	arr = profiles(co.admin_token, &r);
	cr_assert_null(find_id(arr, unused));
	cr_assert(find_id(arr, admin));
	cr_assert_eq(json_array_size(arr), 4);
	hresp_free(r);
}

Test(profiles, profile_of_a_deleted_employee_can_be_deleted)
{
	int64_t custom = create("Temporary", "[]");
	int64_t e = fixture_employee(h, co.id, 0, "observer", "temp", NULL);
	char target[512];
	struct hresp *r;

	r = reqf(h, "PATCH", pathf(target, "/api/v1/employees/%lld/", (long long)e), co.admin_token,
		 "{\"right_profile\":%lld}", (long long)custom);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "DELETE", rp_path(custom), co.admin_token, NULL);
	expect_error(r, 409, "RightProfileInUse");
	hresp_free(r);
	r = harness_auth(h, "DELETE", pathf(target, "/api/v1/employees/%lld/", (long long)e), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "DELETE", rp_path(custom), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
}

Test(profiles, another_companys_profile_is_404)
{
	struct fixture_company other;
	int64_t theirs_in_use, theirs_unused;
	struct hresp *r;
	json_t *arr;

	fixture_company(h, "Other", &other);
	arr = profiles(other.admin_token, &r);
	theirs_in_use = jint(by_name(arr, "admin"), "id");
	theirs_unused = jint(by_name(arr, "observer"), "id");
	hresp_free(r);

	r = harness_auth(h, "DELETE", rp_path(theirs_unused), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", rp_path(theirs_in_use), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "PATCH", rp_path(theirs_unused), co.admin_token,
		 "{\"name\":\"Hijacked\",\"rights\":[\"entity.employees\"]}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "PUT", rp_path(theirs_in_use), co.admin_token, "{\"name\":\"Hijacked\",\"rights\":[\"entity.employees\"]}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	arr = profiles(other.admin_token, &r);
	cr_assert_eq(json_array_size(arr), 4);
	cr_assert_str_eq(jstr(find_id(arr, theirs_unused), "name"), "observer");
	cr_assert_eq(json_array_size(json_object_get(find_id(arr, theirs_in_use), "rights")), 14);
	hresp_free(r);
}
