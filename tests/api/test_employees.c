/*
 * Employees (homeq.md §9, §12.2, §15 rules 6, 9, 10; decisions.md H-03, H-23, H-24):
 * list below the selected office, detail, the editing rules of self and manager,
 * personal numbers, delete and API users.
 */
#include "org_common.h"

#define RIGHT_EMP "entity.employees"

static struct harness *h;
static struct fixture_company co;
static int64_t office_a, office_a1, office_b;

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	office_a = fixture_office(h, co.id, co.root_office, "Region A");
	office_a1 = fixture_office(h, co.id, office_a, "City A1");
	office_b = fixture_office(h, co.id, co.root_office, "Region B");
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(employees, .init = setup, .fini = teardown);

static const char *emp_path(int64_t id)
{
	static char buf[512];
	return pathf(buf, "/api/v1/employees/%lld/", (long long)id);
}

/* The detail object of an employee as the admin reads it (response in *out). */
static json_t *detail(int64_t id, struct hresp **out)
{
	struct hresp *r = harness_auth(h, "GET", emp_path(id), co.admin_token, NULL);
	json_t *arr;
	cr_assert_eq(r->status, 200, "employee %lld: %s", (long long)id, r->body);
	arr = json_object_get(r->json, "employees");
	cr_assert(json_is_array(arr) && json_array_size(arr) == 1, "%s", r->body);
	*out = r;
	return json_array_get(arr, 0);
}

static long long ref_id(json_t *o, const char *key)
{
	return jint(json_object_get(o, key), "id");
}

/* The id of the company's default profile with this name. */
static int64_t profile_id(const char *name)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/right_profiles/", co.admin_token, NULL);
	size_t i;
	json_t *v;
	int64_t id = 0;
	json_array_foreach (json_object_get(r->json, "right_profiles"), i, v)
		if (strcmp(jstr(v, "name"), name) == 0)
			id = jint(v, "id");
	hresp_free(r);
	cr_assert(id > 0, "no profile %s", name);
	return id;
}

Test(employees, list_shape_and_scope_below_selected_office)
{
	static const char *const keys[] = { "api_user", "date_joined", "email", "first_name", "id", "joined",
					    "last_name", "name", "right_profile_name", "root_office_name", "username",
					    NULL };
	char mgr[1024];
	int64_t m = fixture_employee(h, co.id, office_a, "manager", "mgr-a", mgr);
	int64_t e1 = fixture_employee(h, co.id, office_a1, "employee", "emp-a1", NULL);
	int64_t e2 = fixture_employee(h, co.id, office_b, "employee", "emp-b", NULL);
	struct hresp *r;
	json_t *arr, *it;

	r = harness_auth(h, "GET", "/api/v1/employees/", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	arr = json_object_get(r->json, "employees");
	cr_assert_eq(json_array_size(arr), 4, "%s", r->body);
	it = find_id(arr, e1);
	expect_keys(it, keys);
	cr_assert_str_eq(jstr(it, "username"), "emp-a1");
	cr_assert_str_eq(jstr(it, "right_profile_name"), "employee");
	cr_assert_str_eq(jstr(it, "root_office_name"), "City A1");
	cr_assert_str_eq(jstr(it, "name"), "Test emp-a1");
	cr_assert(json_is_false(json_object_get(it, "api_user")));
	hresp_free(r);

	/* a manager rooted in A sees A's subtree only */
	r = harness_auth(h, "GET", "/api/v1/employees/", mgr, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	arr = json_object_get(r->json, "employees");
	cr_assert_eq(json_array_size(arr), 2, "%s", r->body);
	cr_assert(find_id(arr, m) && find_id(arr, e1));
	cr_assert_null(find_id(arr, e2));
	cr_assert_null(find_id(arr, co.admin_id));
	hresp_free(r);

	/* the admin selects office B: the list follows the selected office */
	r = reqf(h, "PATCH", emp_path(co.admin_id), co.admin_token, "{\"selected_office\":%lld}", (long long)office_b);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/employees/", co.admin_token, NULL);
	arr = json_object_get(r->json, "employees");
	cr_assert_eq(json_array_size(arr), 1, "%s", r->body);
	cr_assert(find_id(arr, e2));
	hresp_free(r);
}

Test(employees, list_needs_the_right)
{
	char obs[1024];
	struct hresp *r;

	fixture_employee(h, co.id, 0, "observer", "obs", obs);
	r = harness_auth(h, "GET", "/api/v1/employees/", obs, NULL);
	expect_no_right(r, RIGHT_EMP);
	hresp_free(r);
}

Test(employees, detail_shape_and_self_without_right)
{
	static const char *const keys[] = { "api_user", "email", "first_name", "id", "joined", "last_name",
					    "personal_number", "phone_number", "right_profile", "root_office",
					    "selected_office", NULL };
	static const char *const ref_keys[] = { "id", "name", NULL };
	char obs[1024];
	int64_t id = fixture_employee(h, co.id, office_a, "observer", "obs", obs);
	struct hresp *r;
	json_t *arr, *e;

	r = harness_auth(h, "GET", emp_path(id), obs, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_object_size(r->json), 1, "only the wrapper: %s", r->body);
	arr = json_object_get(r->json, "employees");
	cr_assert_eq(json_array_size(arr), 1);
	e = json_array_get(arr, 0);
	expect_keys(e, keys);
	expect_keys(json_object_get(e, "right_profile"), ref_keys);
	expect_keys(json_object_get(e, "root_office"), ref_keys);
	expect_keys(json_object_get(e, "selected_office"), ref_keys);
	cr_assert_eq(jint(e, "id"), id);
	cr_assert_str_eq(jstr(json_object_get(e, "right_profile"), "name"), "observer");
	cr_assert_eq(ref_id(e, "root_office"), office_a);
	cr_assert_str_eq(jstr(json_object_get(e, "root_office"), "name"), "Region A");
	cr_assert_eq(ref_id(e, "selected_office"), office_a);
	cr_assert_str_eq(jstr(e, "last_name"), "obs");
	hresp_free(r);

	/* somebody else's detail needs the right */
	r = harness_auth(h, "GET", emp_path(co.admin_id), obs, NULL);
	expect_no_right(r, RIGHT_EMP);
	hresp_free(r);
	r = harness_auth(h, "GET", emp_path(999999), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(employees, self_edits_own_fields)
{
	char tok[1024];
	int64_t id = fixture_employee(h, co.id, office_a, "observer", "self", tok);
	struct hresp *r;
	json_t *e;

	r = reqf(h, "PATCH", emp_path(id), tok,
		 "{\"first_name\":\"Sara\",\"last_name\":\"Lind\",\"phone_number\":\"+46701234567\","
		 "\"personal_number\":\"121212-1212\",\"selected_office\":%lld}",
		 (long long)office_a1);
	cr_assert_eq(r->status, 200, "%s", r->body);
	e = json_array_get(json_object_get(r->json, "employees"), 0);
	cr_assert_str_eq(jstr(e, "first_name"), "Sara");
	hresp_free(r);

	e = detail(id, &r);
	cr_assert_str_eq(jstr(e, "first_name"), "Sara");
	cr_assert_str_eq(jstr(e, "last_name"), "Lind");
	cr_assert_str_eq(jstr(e, "phone_number"), "+46701234567");
	cr_assert_str_eq(jstr(e, "personal_number"), "201212121212", "normalised to 12 digits");
	cr_assert_eq(ref_id(e, "selected_office"), office_a1);
	cr_assert_eq(ref_id(e, "root_office"), office_a);
	hresp_free(r);

	/* PUT is the same partial update */
	r = reqf(h, "PUT", emp_path(id), tok, "{\"phone_number\":\"08-123 45\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	e = json_array_get(json_object_get(r->json, "employees"), 0);
	cr_assert_str_eq(jstr(e, "phone_number"), "08-123 45");
	cr_assert_str_eq(jstr(e, "first_name"), "Sara");
	hresp_free(r);
}

Test(employees, self_cannot_change_own_profile_or_root)
{
	char tok[1024];
	int64_t id = fixture_employee(h, co.id, office_a, "manager", "self", tok);
	int64_t admin_profile = profile_id("admin");
	struct hresp *r;
	json_t *e;

	r = reqf(h, "PATCH", emp_path(id), tok, "{\"right_profile\":%lld}", (long long)admin_profile);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"root_office\":%lld,\"first_name\":\"Sneaky\"}", (long long)office_a1);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	/* not even the admin on itself */
	r = reqf(h, "PATCH", emp_path(co.admin_id), co.admin_token, "{\"root_office\":%lld}", (long long)office_a);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);

	e = detail(id, &r);
	cr_assert_str_eq(jstr(json_object_get(e, "right_profile"), "name"), "manager");
	cr_assert_eq(ref_id(e, "root_office"), office_a);
	cr_assert_str_eq(jstr(e, "first_name"), "Test", "the whole request failed");
	hresp_free(r);
	e = detail(co.admin_id, &r);
	cr_assert_eq(ref_id(e, "root_office"), co.root_office);
	hresp_free(r);
}

Test(employees, selected_office_outside_root_is_412)
{
	char tok[1024];
	int64_t id = fixture_employee(h, co.id, office_a, "observer", "self", tok);
	struct fixture_company other;
	struct hresp *r;
	json_t *e;

	fixture_company(h, "Other", &other);
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"selected_office\":%lld}", (long long)office_b);
	expect_invalid(r, "selected_office");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"selected_office\":%lld}", (long long)co.root_office);
	expect_invalid(r, "selected_office");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"selected_office\":%lld}", (long long)other.root_office);
	expect_invalid(r, "selected_office");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"selected_office\":\"A1\"}");
	expect_invalid(r, "selected_office");
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_eq(ref_id(e, "selected_office"), office_a);
	hresp_free(r);
}

Test(employees, manager_edits_others_within_the_rules)
{
	char mgr[1024];
	int64_t observer = profile_id("observer");
	int64_t id;
	struct hresp *r;
	json_t *e;

	fixture_employee(h, co.id, office_a, "manager", "mgr", mgr);
	id = fixture_employee(h, co.id, office_a, "employee", "emp", NULL);

	r = reqf(h, "PATCH", emp_path(id), mgr,
		 "{\"right_profile\":%lld,\"root_office\":%lld,\"phone_number\":\"070-1\","
		 "\"personal_number\":\"191212121212\"}",
		 (long long)observer, (long long)office_a1);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_eq(ref_id(e, "right_profile"), observer);
	cr_assert_str_eq(jstr(json_object_get(e, "right_profile"), "name"), "observer");
	cr_assert_eq(ref_id(e, "root_office"), office_a1);
	cr_assert_eq(ref_id(e, "selected_office"), office_a1, "a new root office resets the selected office");
	cr_assert_str_eq(jstr(e, "phone_number"), "070-1");
	cr_assert_str_eq(jstr(e, "personal_number"), "191212121212");
	hresp_free(r);

	/* names and the selected office are the employee's own business */
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"first_name\":\"Renamed\"}");
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"last_name\":\"Renamed\"}");
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"selected_office\":%lld}", (long long)office_a1);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_str_eq(jstr(e, "first_name"), "Test");
	cr_assert_str_eq(jstr(e, "last_name"), "emp");
	hresp_free(r);
}

Test(employees, root_office_change_resets_selected_office)
{
	char tok[1024];
	int64_t id = fixture_employee(h, co.id, office_a, "employee", "emp", tok);
	struct hresp *r;
	json_t *e;

	r = reqf(h, "PATCH", emp_path(id), tok, "{\"selected_office\":%lld}", (long long)office_a1);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), co.admin_token, "{\"root_office\":%lld}", (long long)office_b);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_eq(ref_id(e, "root_office"), office_b);
	cr_assert_eq(ref_id(e, "selected_office"), office_b);
	hresp_free(r);
}

Test(employees, manager_targets_must_be_visible)
{
	char mgr[1024];
	struct fixture_company other;
	int64_t id, foreign_profile = 0;
	struct hresp *r;
	json_t *e;
	size_t i;
	json_t *v;

	fixture_company(h, "Other", &other);
	r = harness_auth(h, "GET", "/api/v1/right_profiles/", other.admin_token, NULL);
	json_array_foreach (json_object_get(r->json, "right_profiles"), i, v)
		if (strcmp(jstr(v, "name"), "observer") == 0)
			foreign_profile = jint(v, "id");
	hresp_free(r);

	fixture_employee(h, co.id, office_a, "manager", "mgr", mgr);
	id = fixture_employee(h, co.id, office_a1, "employee", "emp", NULL);

	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"right_profile\":%lld}", (long long)foreign_profile);
	expect_invalid(r, "right_profile");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"right_profile\":999999}");
	expect_invalid(r, "right_profile");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"root_office\":%lld}", (long long)office_b);
	expect_invalid(r, "root_office");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"root_office\":%lld}", (long long)other.root_office);
	expect_invalid(r, "root_office");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"right_profile\":\"admin\"}");
	expect_invalid(r, "right_profile");
	hresp_free(r);

	e = detail(id, &r);
	cr_assert_str_eq(jstr(json_object_get(e, "right_profile"), "name"), "employee");
	cr_assert_eq(ref_id(e, "root_office"), office_a1);
	hresp_free(r);
}

Test(employees, manager_cannot_hand_out_rights_it_lacks)
{
	char mgr[1024];
	int64_t id;
	struct hresp *r;
	json_t *e;

	fixture_employee(h, co.id, office_a, "manager", "mgr", mgr);
	id = fixture_employee(h, co.id, office_a, "employee", "emp", NULL);
	/* the admin profile carries entity.organization, which a manager does not hold (§15 rule 11 spirit) */
	r = reqf(h, "PATCH", emp_path(id), mgr, "{\"right_profile\":%lld}", (long long)profile_id("admin"));
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_str_eq(jstr(json_object_get(e, "right_profile"), "name"), "employee");
	hresp_free(r);
	/* the admin holds every right: it may */
	r = reqf(h, "PATCH", emp_path(id), co.admin_token, "{\"right_profile\":%lld}", (long long)profile_id("admin"));
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

Test(employees, personal_number_is_validated_and_normalised)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "121212-1212", "201212121212" },
		{ "1212121212", "201212121212" },
		{ "121212+1212", "191212121212" },
		{ "19121212-1212", "191212121212" },
		{ "", "" },
	};
	static const char *const bad[] = { "121212-1213", "19121312-1212", "abcdefghij", "12121", "1212121212121",
					   "12-1212-1212", NULL };
	char tok[1024];
	int64_t id = fixture_employee(h, co.id, office_a, "observer", "self", tok);
	struct hresp *r;
	json_t *e;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		r = reqf(h, "PATCH", emp_path(id), tok, "{\"personal_number\":\"%s\"}", good[i].in);
		cr_assert_eq(r->status, 200, "%s: %s", good[i].in, r->body);
		e = json_array_get(json_object_get(r->json, "employees"), 0);
		cr_assert_str_eq(jstr(e, "personal_number"), good[i].out, "%s", good[i].in);
		hresp_free(r);
	}
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"personal_number\":\"121212-1212\"}");
	hresp_free(r);
	for (int i = 0; bad[i]; i++) {
		r = reqf(h, "PATCH", emp_path(id), tok, "{\"personal_number\":\"%s\"}", bad[i]);
		expect_invalid(r, "personal_number");
		hresp_free(r);
	}
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"personal_number\":1212121212}");
	expect_invalid(r, "personal_number");
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_str_eq(jstr(e, "personal_number"), "201212121212");
	hresp_free(r);
}

Test(employees, field_types_and_lengths)
{
	char tok[1024], longname[200];
	int64_t id = fixture_employee(h, co.id, office_a, "observer", "self", tok);
	struct hresp *r;
	json_t *e;

	memset(longname, 'x', 151);
	longname[151] = '\0';
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"first_name\":\"%s\"}", longname);
	expect_invalid(r, "first_name");
	hresp_free(r);
	r = reqf(h, "PATCH", emp_path(id), tok, "{\"first_name\":1,\"last_name\":false,\"phone_number\":{}}");
	expect_invalid(r, "first_name");
	cr_assert(has_field(r, "last_name") && has_field(r, "phone_number"), "%s", r->body);
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_str_eq(jstr(e, "first_name"), "Test");
	hresp_free(r);
}

Test(employees, email_cannot_be_changed)
{
	char tok[1024];
	int64_t id = fixture_employee(h, co.id, office_a, "observer", "self@acme.se", tok);
	struct hresp *r;
	json_t *e;

	r = reqf(h, "PATCH", emp_path(id), tok, "{\"email\":\"new@acme.se\"}");
	cr_assert(r->status == 200 || r->status == 412 || r->status == 403, "%d %s", r->status, r->body);
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_str_eq(jstr(e, "email"), "self@acme.se");
	hresp_free(r);
}

Test(employees, delete_rules_and_token_revocation)
{
	char obs[1024], mgr[1024], victim_tok[1024];
	int64_t mgr_id, victim;
	struct hresp *r;

	fixture_employee(h, co.id, office_a, "observer", "obs", obs);
	mgr_id = fixture_employee(h, co.id, office_a, "manager", "mgr", mgr);
	victim = fixture_employee(h, co.id, office_a1, "employee", "victim", victim_tok);

	r = harness_auth(h, "DELETE", emp_path(victim), obs, NULL);
	expect_no_right(r, RIGHT_EMP);
	hresp_free(r);
	r = harness_auth(h, "DELETE", emp_path(mgr_id), mgr, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = harness_auth(h, "DELETE", emp_path(co.admin_id), mgr, NULL);
	expect_error(r, 404, "NotFound"); /* the admin is above the manager */
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/company/", victim_tok, NULL);
	cr_assert_eq(r->status, 200, "the victim still works: %s", r->body);
	hresp_free(r);

	r = harness_auth(h, "DELETE", emp_path(victim), mgr, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	cr_assert_eq(r->body_len, 0);
	hresp_free(r);

	r = harness_auth(h, "GET", emp_path(victim), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", emp_path(victim), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/employees/", co.admin_token, NULL);
	cr_assert_null(find_id(json_object_get(r->json, "employees"), victim));
	cr_assert(find_id(json_object_get(r->json, "employees"), mgr_id));
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/company/", victim_tok, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = harness_auth(h, "GET", emp_path(victim), victim_tok, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	/* the deleted employee cannot log in either */
	r = harness_request(h, "POST", "/api/v2/tokens/", "{\"username\":\"victim\",\"password\":\"password-victim\"}");
	cr_assert_neq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

Test(employees, api_user_is_created_and_logs_in)
{
	char body[256];
	struct hresp *r, *login;
	int64_t id;
	const char *username, *password;
	json_t *it, *e;
	static const char *const keys[] = { "id", "password", "username", NULL };

	r = harness_auth(h, "POST", "/api/v1/employees/api_user/", co.admin_token, "{}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, keys);
	id = hresp_int(r, "id");
	username = hresp_str(r, "username");
	password = hresp_str(r, "password");
	cr_assert(id > 0 && username && password && strlen(password) >= 16, "%s", r->body);

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
	login = harness_request(h, "POST", "/api/v2/tokens/", body);
	cr_assert_eq(login->status, 200, "%s", login->body);
	cr_assert(hresp_str(login, "token"), "%s", login->body);
	hresp_free(login);
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"wrong-password\"}", username);
	login = harness_request(h, "POST", "/api/v2/tokens/", body);
	expect_error(login, 403, "PermissionDenied");
	hresp_free(login);
	hresp_free(r);

	r = harness_auth(h, "GET", "/api/v1/employees/", co.admin_token, NULL);
	it = find_id(json_object_get(r->json, "employees"), id);
	cr_assert(it, "%s", r->body);
	cr_assert(json_is_true(json_object_get(it, "api_user")));
	cr_assert_str_eq(jstr(it, "right_profile_name"), "employee");
	hresp_free(r);
	e = detail(id, &r);
	cr_assert(json_is_true(json_object_get(e, "api_user")));
	cr_assert_eq(ref_id(e, "root_office"), co.root_office, "the caller's selected office (H-24)");
	hresp_free(r);

	/* any body, or none, is accepted (H-24) */
	r = harness_auth(h, "POST", "/api/v1/employees/api_user/", co.admin_token, NULL);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_neq(hresp_int(r, "id"), id);
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/employees/api_user/", co.admin_token, "{\"name\":\"ignored\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

Test(employees, api_user_gets_the_selected_office_and_needs_the_right)
{
	char mgr[1024], obs[1024];
	struct hresp *r;
	json_t *e;
	int64_t id;
	size_t before;

	fixture_employee(h, co.id, office_a, "manager", "mgr", mgr);
	fixture_employee(h, co.id, office_a, "observer", "obs", obs);
	r = harness_auth(h, "GET", "/api/v1/employees/", co.admin_token, NULL);
	before = json_array_size(json_object_get(r->json, "employees"));
	hresp_free(r);

	r = harness_auth(h, "POST", "/api/v1/employees/api_user/", obs, "{}");
	expect_no_right(r, RIGHT_EMP);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/employees/", co.admin_token, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "employees")), before);
	hresp_free(r);

	r = harness_auth(h, "POST", "/api/v1/employees/api_user/", mgr, "{}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	e = detail(id, &r);
	cr_assert_eq(ref_id(e, "root_office"), office_a);
	hresp_free(r);
}

Test(employees, manager_cannot_change_or_delete_a_colleague_with_more_rights)
{
	char mgr[1024];
	int64_t boss;
	struct hresp *r;
	json_t *e;

	fixture_employee(h, co.id, office_a, "manager", "mgr2", mgr);
	boss = fixture_employee(h, co.id, office_a, "admin", "boss", NULL);
	/* same office, but the admin holds entity.organization, which the manager lacks */
	r = reqf(h, "PATCH", emp_path(boss), mgr, "{\"right_profile\":%lld}", (long long)profile_id("observer"));
	expect_error(r, 403, "PermissionDenied");
	cr_assert_not_null(strstr(hresp_str(r, "description"), "entity."), "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "DELETE", emp_path(boss), mgr, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	e = detail(boss, &r);
	cr_assert_str_eq(jstr(json_object_get(e, "right_profile"), "name"), "admin", "nothing changed");
	hresp_free(r);
}
