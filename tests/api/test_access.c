/*
 * The access matrix of the organization endpoints (homeq.md §9, §15 rules 6, 9;
 * decisions.md H-03, H-37): missing rights are 403 naming the right; ids of another
 * company or outside the caller's subtree are 404; consumer tokens are 403 on
 * employee endpoints; no token is 401. Refused writes change nothing.
 */
#include "org_common.h"

enum target { T_NONE, T_ROOT, T_OFFICE, T_EMPLOYEE, T_PROFILE, T_NOTE };

struct endpoint {
	const char *method;
	const char *path; /* with one %lld for the target id, if any */
	enum target target;
	const char *body; /* may contain one %lld: the root office */
	const char *right;
};

#define ORG "entity.organization"
#define EMP "entity.employees"

static const struct endpoint protected_endpoints[] = {
	{ "PATCH", "/api/v1/company/", T_NONE, "{\"bankgiro\":\"123-4567\"}", ORG },
	{ "PUT", "/api/v1/company/", T_NONE, "{\"bankgiro\":\"123-4567\"}", ORG },
	{ "POST", "/api/v1/company/reset/", T_NONE, "{}", ORG },
	{ "POST", "/api/v1/offices/", T_ROOT, "{\"name\":\"New\",\"parent\":%lld}", ORG },
	{ "PATCH", "/api/v1/offices/%lld/", T_OFFICE, "{\"name\":\"Renamed\"}", ORG },
	{ "PUT", "/api/v1/offices/%lld/", T_OFFICE, "{\"name\":\"Renamed\"}", ORG },
	{ "POST", "/api/v1/existing_tenants/", T_NONE, "{\"operations\":[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]}", ORG },
	{ "GET", "/api/v1/employees/", T_NONE, NULL, EMP },
	{ "GET", "/api/v1/employees/%lld/", T_EMPLOYEE, NULL, EMP },
	{ "PATCH", "/api/v1/employees/%lld/", T_EMPLOYEE, "{\"phone_number\":\"000\"}", EMP },
	{ "PUT", "/api/v1/employees/%lld/", T_EMPLOYEE, "{\"phone_number\":\"000\"}", EMP },
	{ "DELETE", "/api/v1/employees/%lld/", T_EMPLOYEE, NULL, EMP },
	{ "POST", "/api/v1/employees/api_user/", T_NONE, "{}", EMP },
	{ "POST", "/api/v1/right_profiles/", T_NONE, "{\"name\":\"Valid name\",\"rights\":[]}", "entity.right_profile.create" },
	{ "PATCH", "/api/v1/right_profiles/%lld/", T_PROFILE, "{\"name\":\"Valid name\",\"rights\":[\"entity.employees\"]}",
	  "entity.right_profile.update" },
	{ "PUT", "/api/v1/right_profiles/%lld/", T_PROFILE, "{\"name\":\"Valid name\",\"rights\":[\"entity.employees\"]}",
	  "entity.right_profile.update" },
	{ "DELETE", "/api/v1/right_profiles/%lld/", T_PROFILE, NULL, "entity.right_profile.delete" },
};
#define NPROTECTED (sizeof(protected_endpoints) / sizeof(protected_endpoints[0]))

/* Endpoints for employees only, with or without a right. */
static const struct endpoint employee_endpoints[] = {
	{ "GET", "/api/v1/offices/?mode=default", T_NONE, NULL, NULL },
	{ "GET", "/api/v1/rights/", T_NONE, NULL, NULL },
	{ "GET", "/api/v1/right_profiles/", T_NONE, NULL, NULL },
	{ "GET", "/api/v1/user_notes/?user_profile=%lld", T_EMPLOYEE, NULL, NULL },
	{ "POST", "/api/v1/user_notes/", T_NONE, "{\"text\":\"x\",\"user_profile\":1}", NULL },
	{ "PATCH", "/api/v1/user_notes/%lld/", T_NOTE, "{\"text\":\"changed\"}", NULL },
	{ "PUT", "/api/v1/user_notes/%lld/", T_NOTE, "{\"text\":\"changed\"}", NULL },
	{ "DELETE", "/api/v1/user_notes/%lld/", T_NOTE, NULL, NULL },
};
#define NEMPLOYEE (sizeof(employee_endpoints) / sizeof(employee_endpoints[0]))

static struct harness *h;
static struct fixture_company a, b;
static int64_t a_sub1, a_sub2, a_emp, a_profile, a_note, consumer;
static int64_t b_office, b_emp, b_profile, b_note;

static int64_t note_on(const char *token, int64_t user, const char *text)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/user_notes/", token, "{\"text\":\"%s\",\"user_profile\":%lld}", text,
			       (long long)user);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static int64_t profile_on(const char *token, const char *name)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/right_profiles/", token, "{\"name\":\"%s\",\"rights\":[]}", name);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &a);
	fixture_company(h, "Bygg", &b);
	a_sub1 = fixture_office(h, a.id, a.root_office, "Acme North");
	a_sub2 = fixture_office(h, a.id, a.root_office, "Acme South");
	a_emp = fixture_employee(h, a.id, a_sub2, "employee", "acme-emp", NULL);
	b_office = fixture_office(h, b.id, b.root_office, "Bygg City");
	b_emp = fixture_employee(h, b.id, b_office, "employee", "bygg-emp", NULL);
	consumer = fixture_consumer(h, "anna@example.com", NULL);
	a_profile = profile_on(a.admin_token, "Acme custom");
	b_profile = profile_on(b.admin_token, "Bygg custom");
	a_note = note_on(a.admin_token, consumer, "acme note");
	b_note = note_on(b.admin_token, consumer, "bygg note");
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(access, .init = setup, .fini = teardown);

/* tmpl with its "%lld" (if any) replaced by id. */
static void subst(char *out, size_t cap, const char *tmpl, int64_t id)
{
	const char *at = strstr(tmpl, "%lld");
	if (!at)
		snprintf(out, cap, "%s", tmpl);
	else
		snprintf(out, cap, "%.*s%lld%s", (int)(at - tmpl), tmpl, (long long)id, at + 4);
}

/* Sends the endpoint with ids of company A (or B when foreign). */
static struct hresp *call(const struct endpoint *e, const char *token, bool foreign)
{
	char path[512], body[512];
	int64_t id = 0;

	switch (e->target) {
	case T_NONE: break;
	case T_ROOT: id = foreign ? b.root_office : a.root_office; break;
	case T_OFFICE: id = foreign ? b_office : a_sub2; break;
	case T_EMPLOYEE: id = foreign ? b_emp : a_emp; break;
	case T_PROFILE: id = foreign ? b_profile : a_profile; break;
	case T_NOTE: id = foreign ? b_note : a_note; break;
	}
	if (e->target == T_EMPLOYEE && strstr(e->path, "user_profile"))
		id = consumer;
	subst(path, sizeof(path), e->path, id);
	if (!e->body)
		return harness_auth(h, e->method, path, token, NULL);
	subst(body, sizeof(body), e->body, id);
	return harness_auth(h, e->method, path, token, body);
}

/* Company A as its admin sees it, for read-back after refused writes. */
static void expect_company_a_untouched(void)
{
	struct hresp *r;
	json_t *e;
	char target[256];

	r = harness_auth(h, "GET", "/api/v1/company/", a.admin_token, NULL);
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "", "company unchanged");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/offices/?mode=manage", a.admin_token, NULL);
	cr_assert_eq(json_array_size(r->json), 3, "no office created: %s", r->body);
	cr_assert_str_eq(jstr(find_id(r->json, a_sub2), "name"), "Acme South");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/employees/", a.admin_token, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "employees")), 2, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", pathf(target, "/api/v1/employees/%lld/", (long long)a_emp), a.admin_token, NULL);
	cr_assert_eq(r->status, 200, "employee still there: %s", r->body);
	e = json_array_get(json_object_get(r->json, "employees"), 0);
	cr_assert_str_eq(jstr(e, "phone_number"), "");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/right_profiles/", a.admin_token, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "right_profiles")), 5);
	cr_assert_str_eq(jstr(find_id(json_object_get(r->json, "right_profiles"), a_profile), "name"), "Acme custom");
	hresp_free(r);
	r = harness_auth(h, "GET", pathf(target, "/api/v1/user_notes/?user_profile=%lld", (long long)consumer),
			 a.admin_token, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "notes")), 1, "%s", r->body);
	cr_assert_str_eq(jstr(find_id(json_object_get(r->json, "notes"), a_note), "text"), "acme note");
	hresp_free(r);
}

Test(access, observer_gets_403_naming_the_right_everywhere)
{
	char obs[1024];
	struct hresp *r;

	fixture_employee(h, a.id, 0, "observer", "obs", obs);
	for (size_t i = 0; i < NPROTECTED; i++) {
		r = call(&protected_endpoints[i], obs, false);
		cr_assert_eq(r->status, 403, "%s %s: %d %s", protected_endpoints[i].method, protected_endpoints[i].path,
			     r->status, r->body);
		expect_no_right(r, protected_endpoints[i].right);
		hresp_free(r);
	}
	/* the observer itself is the only new employee */
	r = harness_auth(h, "GET", "/api/v1/employees/", a.admin_token, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "employees")), 3, "no API user was made: %s", r->body);
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/existing_tenants/", a.admin_token,
		 "{\"operations\":[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]}");
	cr_assert_eq(hresp_int(r, "created"), 1, "the refused call stored nothing: %s", r->body);
	hresp_free(r);
}

Test(access, refused_writes_change_nothing)
{
	char obs[1024];
	struct hresp *r;
	int64_t obs_id = fixture_employee(h, a.id, 0, "observer", "obs", obs);
	char target[128];

	for (size_t i = 0; i < NPROTECTED; i++)
		expect_status_free(call(&protected_endpoints[i], obs, false), 403);
	/* drop the observer again so the read-back counts match */
	r = harness_auth(h, "DELETE", pathf(target, "/api/v1/employees/%lld/", (long long)obs_id), a.admin_token, NULL);
	cr_assert_eq(r->status, 204);
	hresp_free(r);
	expect_company_a_untouched();
}

Test(access, other_company_ids_are_404)
{
	struct hresp *r;
	char target[256];
	json_t *e;

	for (size_t i = 0; i < NPROTECTED; i++) {
		const struct endpoint *ep = &protected_endpoints[i];
		if (ep->target != T_OFFICE && ep->target != T_EMPLOYEE && ep->target != T_PROFILE)
			continue;
		r = call(ep, a.admin_token, true);
		cr_assert_eq(r->status, 404, "%s %s: %d %s", ep->method, ep->path, r->status, r->body);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
	}
	for (size_t i = 0; i < NEMPLOYEE; i++) {
		const struct endpoint *ep = &employee_endpoints[i];
		if (ep->target != T_NOTE)
			continue;
		r = call(ep, a.admin_token, true);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
	}
	r = harness_auth(h, "GET", pathf(target, "/api/v1/offices/?mode=manage&office_id=%lld", (long long)b_office),
			 a.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	/* B is as it was */
	r = harness_auth(h, "GET", pathf(target, "/api/v1/offices/?mode=manage&office_id=%lld", (long long)b_office),
			 b.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(json_array_get(r->json, 0), "name"), "Bygg City");
	hresp_free(r);
	r = harness_auth(h, "GET", pathf(target, "/api/v1/employees/%lld/", (long long)b_emp), b.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	e = json_array_get(json_object_get(r->json, "employees"), 0);
	cr_assert_str_eq(jstr(e, "phone_number"), "");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/right_profiles/", b.admin_token, NULL);
	cr_assert_str_eq(jstr(find_id(json_object_get(r->json, "right_profiles"), b_profile), "name"), "Bygg custom");
	hresp_free(r);
	r = harness_auth(h, "GET", pathf(target, "/api/v1/user_notes/?user_profile=%lld", (long long)consumer),
			 b.admin_token, NULL);
	cr_assert_str_eq(jstr(find_id(json_object_get(r->json, "notes"), b_note), "text"), "bygg note");
	hresp_free(r);
}

Test(access, sub_office_employee_cannot_reach_a_sibling)
{
	char adm[1024], mgr[1024], target[256];
	struct hresp *r;
	json_t *e;

	/* an admin profile (every right) and a manager, both rooted in North; a_emp is in South */
	fixture_employee(h, a.id, a_sub1, "admin", "north-admin", adm);
	fixture_employee(h, a.id, a_sub1, "manager", "north-mgr", mgr);

	for (int k = 0; k < 2; k++) {
		const char *tok = k ? mgr : adm;
		r = harness_auth(h, "GET", pathf(target, "/api/v1/offices/?mode=default&office_id=%lld", (long long)a_sub2),
				 tok, NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		r = harness_auth(h, "GET", "/api/v1/offices/?mode=default", tok, NULL);
		cr_assert_null(find_id(r->json, a_sub2), "%s", r->body);
		cr_assert_null(find_id(r->json, a.root_office), "%s", r->body);
		hresp_free(r);
		r = harness_auth(h, "GET", pathf(target, "/api/v1/employees/%lld/", (long long)a_emp), tok, NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		r = reqf(h, "PATCH", pathf(target, "/api/v1/employees/%lld/", (long long)a_emp), tok,
			 "{\"phone_number\":\"000\"}");
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		r = harness_auth(h, "DELETE", pathf(target, "/api/v1/employees/%lld/", (long long)a_emp), tok, NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		r = harness_auth(h, "GET", "/api/v1/employees/", tok, NULL);
		cr_assert_eq(r->status, 200, "%s", r->body);
		cr_assert_null(find_id(json_object_get(r->json, "employees"), a_emp), "%s", r->body);
		cr_assert_null(find_id(json_object_get(r->json, "employees"), a.admin_id), "%s", r->body);
		hresp_free(r);
	}
	/* the editing admin rooted in North cannot edit South itself */
	r = reqf(h, "PATCH", pathf(target, "/api/v1/offices/%lld/", (long long)a_sub2), adm, "{\"name\":\"Mine\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "PUT", pathf(target, "/api/v1/offices/%lld/", (long long)a.root_office), adm, "{\"name\":\"Mine\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	r = harness_auth(h, "GET", pathf(target, "/api/v1/employees/%lld/", (long long)a_emp), a.admin_token, NULL);
	cr_assert_eq(r->status, 200);
	e = json_array_get(json_object_get(r->json, "employees"), 0);
	cr_assert_str_eq(jstr(e, "phone_number"), "");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/offices/?mode=manage", a.admin_token, NULL);
	cr_assert_str_eq(jstr(find_id(r->json, a_sub2), "name"), "Acme South");
	cr_assert_str_eq(jstr(find_id(r->json, a.root_office), "name"), "Acme");
	hresp_free(r);
}

Test(access, consumer_token_is_403_on_employee_endpoints)
{
	char tok[1024];
	struct hresp *r;

	fixture_consumer(h, "bo@example.com", tok);
	for (size_t i = 0; i < NPROTECTED; i++) {
		r = call(&protected_endpoints[i], tok, false);
		cr_assert_eq(r->status, 403, "%s %s: %d %s", protected_endpoints[i].method, protected_endpoints[i].path,
			     r->status, r->body);
		expect_error(r, 403, "PermissionDenied");
		hresp_free(r);
	}
	for (size_t i = 0; i < NEMPLOYEE; i++) {
		r = call(&employee_endpoints[i], tok, false);
		cr_assert_eq(r->status, 403, "%s %s: %d %s", employee_endpoints[i].method, employee_endpoints[i].path,
			     r->status, r->body);
		expect_error(r, 403, "PermissionDenied");
		hresp_free(r);
	}
	expect_company_a_untouched();
}

Test(access, no_token_is_401)
{
	struct hresp *r;

	for (size_t i = 0; i < NPROTECTED; i++) {
		r = call(&protected_endpoints[i], NULL, false);
		cr_assert_eq(r->status, 401, "%s %s: %d %s", protected_endpoints[i].method, protected_endpoints[i].path,
			     r->status, r->body);
		expect_error(r, 401, "Unauthorized");
		hresp_free(r);
	}
	for (size_t i = 0; i < NEMPLOYEE; i++) {
		r = call(&employee_endpoints[i], NULL, false);
		expect_error(r, 401, "Unauthorized");
		hresp_free(r);
	}
	r = harness_auth(h, "GET", "/api/v1/company/", NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	expect_company_a_untouched();
}

Test(access, token_of_another_company_still_sees_only_its_own)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/employees/", b.admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_null(find_id(json_object_get(r->json, "employees"), a_emp));
	cr_assert_null(find_id(json_object_get(r->json, "employees"), a.admin_id));
	cr_assert(find_id(json_object_get(r->json, "employees"), b_emp));
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/offices/?mode=manage", b.admin_token, NULL);
	cr_assert_null(find_id(r->json, a.root_office));
	cr_assert_eq(json_array_size(r->json), 2);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/right_profiles/", b.admin_token, NULL);
	cr_assert_null(find_id(json_object_get(r->json, "right_profiles"), a_profile));
	hresp_free(r);
}
