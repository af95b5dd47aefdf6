/*
 * Requirement profiles (homeq.md §11e, §12.4, §15 rules 31–35; decisions.md G-02, G-03,
 * G-04, H-03, H-29): create with every default and every field, list, get, update
 * (partial, PUT alias, the parent is fixed), the benefit-apartment adjustments on
 * create and update, delete (in use by listings or soft profiles: 409), bad input,
 * rights, other companies' ids — and, as a unit suite, requirements_evaluate().
 */
#include "core/inventory/requirements.h"
#include "org_common.h"

#define RIGHT_ADV "entity.object_ad.update.advanced"

static struct harness *h;
static struct fixture_company co, other;

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	fixture_company(h, "Other", &other);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(requirements, .init = setup, .fini = teardown);

static const char *const profile_keys[] = {
	"activity_compensation", "activity_grant", "ad_count", "bankruptcy", "benefit_apartment", "care_allowance",
	"child_allowance", "create_date", "debt_sanitization", "employment_permanent", "employment_temporary",
	"extra_residents", "id", "income_child_pension", "income_development_allowance",
	"income_establishment_supplement", "income_extra_cost_allowance", "income_housing_supplement",
	"income_housing_support", "income_living_expense_supplement", "income_parental_leave", "income_sick_leave",
	"income_student", "living_standard_factor", "maintenance_allowance", "maintenance_support", "move_frequency",
	"name", "outstanding_debt", "parent_requirements_id", "payment_remarks", "pets", "rent_calculation_type",
	"rent_factor", "senior", "senior_age", "smoking", "student", "unemployment_benefit", "update_date",
	"warrantor", "warrantor_rent_factor", "youth", "youth_age", NULL
};

static int64_t create(const char *token, const char *body)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v1/requirements/", token, body);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "id", NULL });
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static struct hresp *get(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v1/requirements/%lld/", (long long)id), token, NULL);
}

static struct hresp *patch(const char *method, const char *token, int64_t id, const char *body)
{
	char p[512];
	return harness_auth(h, method, pathf(p, "/api/v1/requirements/%lld", (long long)id), token, body);
}

static bool jbool(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_boolean(v), "%s is not a boolean", key);
	return json_is_true(v);
}

static double jnum(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_number(v), "%s is not a number", key);
	return json_number_value(v);
}

static size_t count_profiles(const char *token)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/requirements/", token, NULL);
	size_t n;
	cr_assert_eq(r->status, 200, "%s", r->body);
	n = json_array_size(json_object_get(r->json, "requirements"));
	hresp_free(r);
	return n;
}

static bool is_datetime(const char *s)
{
	/* YYYY-MM-DDTHH:MM:SSZ (H-44) */
	return s && strlen(s) == 20 && s[4] == '-' && s[10] == 'T' && s[19] == 'Z';
}

Test(requirements, create_with_defaults)
{
	int64_t id = create(co.admin_token, "{\"name\": \"Standard\"}");
	struct hresp *r = get(co.admin_token, id);
	json_t *o = r->json;

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(o, profile_keys);
	cr_assert_eq(jint(o, "id"), id);
	cr_assert_str_eq(jstr(o, "name"), "Standard");
	cr_assert_eq(jint(o, "ad_count"), 0);
	cr_assert(json_is_null(json_object_get(o, "parent_requirements_id")));
	cr_assert(is_datetime(jstr(o, "create_date")), "%s", r->body);
	cr_assert(is_datetime(jstr(o, "update_date")), "%s", r->body);
	/* §12.4: six income kinds default to true, the other booleans to false */
	for (size_t i = 0; i < REQ_FLAG_COUNT; i++)
		cr_assert_eq(jbool(o, requirement_flag_names[i]), requirement_flag_defaults[i], "%s",
			     requirement_flag_names[i]);
	cr_assert(jbool(o, "income_sick_leave"));
	cr_assert(!jbool(o, "pets"));
	cr_assert_eq(jint(o, "extra_residents"), 0);
	cr_assert_eq(jint(o, "move_frequency"), 0);
	cr_assert_eq(jint(o, "payment_remarks"), 0);
	cr_assert_eq(jint(o, "senior_age"), 65);
	cr_assert_eq(jint(o, "youth_age"), 25);
	cr_assert_float_eq(jnum(o, "living_standard_factor"), 1.0, 1e-9);
	cr_assert_float_eq(jnum(o, "rent_factor"), 0.0, 1e-9);
	cr_assert_float_eq(jnum(o, "warrantor_rent_factor"), 0.0, 1e-9);
	cr_assert_str_eq(jstr(o, "rent_calculation_type"), "RENT_FACTOR");
	hresp_free(r);
}

/* Every writable member set away from its default comes back as sent. */
Test(requirements, create_with_every_field)
{
	int64_t id = create(co.admin_token,
			    "{\"name\": \"Strict\", \"activity_compensation\": true, \"activity_grant\": true,"
			    " \"bankruptcy\": true, \"care_allowance\": true, \"child_allowance\": true,"
			    " \"debt_sanitization\": true, \"employment_permanent\": true, \"employment_temporary\": true,"
			    " \"extra_residents\": 2, \"income_child_pension\": false,"
			    " \"income_development_allowance\": false,"
			    " \"income_establishment_supplement\": false, \"income_extra_cost_allowance\": false,"
			    " \"income_housing_supplement\": true, \"income_housing_support\": true,"
			    " \"income_living_expense_supplement\": true, \"income_parental_leave\": false,"
			    " \"income_sick_leave\": false, \"income_student\": true, \"living_standard_factor\": 1.5,"
			    " \"maintenance_allowance\": true, \"maintenance_support\": true, \"move_frequency\": 3,"
			    " \"outstanding_debt\": true, \"payment_remarks\": 1, \"pets\": true, \"rent_factor\": 3,"
			    " \"senior\": true, \"senior_age\": 70, \"smoking\": true, \"student\": true,"
			    " \"unemployment_benefit\": true, \"warrantor\": true, \"warrantor_rent_factor\": 4.5,"
			    " \"youth\": true, \"youth_age\": 30, \"rent_calculation_type\": \"RENT_FACTOR\"}");
	struct hresp *r = get(co.admin_token, id);
	json_t *o = r->json;

	cr_assert_eq(r->status, 200, "%s", r->body);
	for (size_t i = 0; i < REQ_FLAG_COUNT; i++)
		if (i != REQ_BENEFIT_APARTMENT)
			cr_assert_eq(jbool(o, requirement_flag_names[i]), !requirement_flag_defaults[i], "%s",
				     requirement_flag_names[i]);
	cr_assert(!jbool(o, "benefit_apartment"));
	cr_assert_eq(jint(o, "extra_residents"), 2);
	cr_assert_eq(jint(o, "move_frequency"), 3);
	cr_assert_eq(jint(o, "payment_remarks"), 1);
	cr_assert_eq(jint(o, "senior_age"), 70);
	cr_assert_eq(jint(o, "youth_age"), 30);
	cr_assert_float_eq(jnum(o, "living_standard_factor"), 1.5, 1e-9);
	cr_assert_float_eq(jnum(o, "rent_factor"), 3.0, 1e-9);
	cr_assert_float_eq(jnum(o, "warrantor_rent_factor"), 4.5, 1e-9);
	cr_assert_str_eq(jstr(o, "rent_calculation_type"), "RENT_FACTOR");
	hresp_free(r);
}

Test(requirements, money_after_rent_and_numbers_as_strings)
{
	int64_t id = create(co.admin_token, "{\"name\": \"MAR\", \"rent_calculation_type\": \"MONEY_AFTER_RENT\","
					    " \"living_standard_factor\": \"1.25\", \"payment_remarks\": \"2\"}");
	struct hresp *r = get(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "rent_calculation_type"), "MONEY_AFTER_RENT");
	cr_assert_float_eq(jnum(r->json, "living_standard_factor"), 1.25, 1e-9);
	cr_assert_eq(hresp_int(r, "payment_remarks"), 2);
	hresp_free(r);
}

Test(requirements, list_is_the_company_s_own_in_order)
{
	int64_t a = create(co.admin_token, "{\"name\": \"A\"}");
	int64_t b = create(co.admin_token, "{\"name\": \"B\"}");
	int64_t x = create(other.admin_token, "{\"name\": \"X\"}");
	struct hresp *r = harness_auth(h, "GET", "/api/v1/requirements", co.admin_token, NULL);
	json_t *arr;

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "requirements", NULL });
	arr = json_object_get(r->json, "requirements");
	cr_assert_eq(json_array_size(arr), 2, "%s", r->body);
	cr_assert_eq(jint(json_array_get(arr, 0), "id"), a);
	cr_assert_eq(jint(json_array_get(arr, 1), "id"), b);
	cr_assert_null(find_id(arr, x));
	expect_keys(json_array_get(arr, 0), profile_keys);
	hresp_free(r);
}

/* §15 rule 33: benefit_apartment allows every benefit income and forces MONEY_AFTER_RENT. */
static void expect_benefit_adjusted(json_t *o)
{
	for (size_t i = 0; requirement_benefit_flags[i] != REQ_FLAG_COUNT; i++)
		cr_assert(jbool(o, requirement_flag_names[requirement_benefit_flags[i]]), "%s",
			  requirement_flag_names[requirement_benefit_flags[i]]);
	cr_assert_str_eq(jstr(o, "rent_calculation_type"), "MONEY_AFTER_RENT");
}

Test(requirements, benefit_apartment_adjusts_on_create)
{
	int64_t id = create(co.admin_token, "{\"name\": \"Benefit\", \"benefit_apartment\": true,"
					    " \"rent_calculation_type\": \"RENT_FACTOR\", \"income_housing_support\": false,"
					    " \"unemployment_benefit\": false, \"income_sick_leave\": false}");
	struct hresp *r = get(co.admin_token, id);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(jbool(r->json, "benefit_apartment"));
	expect_benefit_adjusted(r->json);
	/* not benefits: study support and the employment requirements stay as they were */
	cr_assert(!jbool(r->json, "income_student"));
	cr_assert(!jbool(r->json, "employment_permanent"));
	hresp_free(r);
}

Test(requirements, benefit_apartment_adjusts_on_update)
{
	int64_t id = create(co.admin_token, "{\"name\": \"Plain\"}");
	struct hresp *r = patch("PATCH", co.admin_token, id, "{\"benefit_apartment\": true}");

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, profile_keys);
	expect_benefit_adjusted(r->json);
	hresp_free(r);
	/* while it is a benefit apartment, the adjusted members can not be turned off */
	r = patch("PATCH", co.admin_token, id,
		  "{\"income_housing_support\": false, \"rent_calculation_type\": \"RENT_FACTOR\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_benefit_adjusted(r->json);
	hresp_free(r);
	/* once it is not, they can */
	r = patch("PATCH", co.admin_token, id,
		  "{\"benefit_apartment\": false, \"income_housing_support\": false,"
		  " \"rent_calculation_type\": \"RENT_FACTOR\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(!jbool(r->json, "benefit_apartment"));
	cr_assert(!jbool(r->json, "income_housing_support"));
	cr_assert(jbool(r->json, "unemployment_benefit")); /* adjusted earlier, untouched since */
	cr_assert_str_eq(hresp_str(r, "rent_calculation_type"), "RENT_FACTOR");
	hresp_free(r);
}

Test(requirements, update_is_partial_put_is_an_alias_and_the_parent_is_fixed)
{
	int64_t parent = create(co.admin_token, "{\"name\": \"Parent\"}");
	int64_t other_parent = create(co.admin_token, "{\"name\": \"Other parent\"}");
	char body[200];
	int64_t id;
	struct hresp *r;

	snprintf(body, sizeof(body), "{\"name\": \"Soft\", \"parent_requirements_id\": %lld, \"pets\": true}",
		 (long long)parent);
	id = create(co.admin_token, body);
	snprintf(body, sizeof(body), "{\"name\": \"Soft 2\", \"parent_requirements_id\": %lld, \"rent_factor\": 2.5}",
		 (long long)other_parent);
	r = patch("PUT", co.admin_token, id, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "name"), "Soft 2");
	cr_assert_float_eq(jnum(r->json, "rent_factor"), 2.5, 1e-9);
	cr_assert(jbool(r->json, "pets"), "untouched members keep their value");
	cr_assert_eq(hresp_int(r, "parent_requirements_id"), parent, "H-29: the parent is fixed at creation");
	hresp_free(r);
	r = patch("PATCH", co.admin_token, id, "{}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "name"), "Soft 2");
	hresp_free(r);
}

Test(requirements, parent_must_be_the_company_s)
{
	int64_t foreign = create(other.admin_token, "{\"name\": \"Foreign\"}");
	char body[200];
	struct hresp *r;

	snprintf(body, sizeof(body), "{\"name\": \"Soft\", \"parent_requirements_id\": %lld}", (long long)foreign);
	r = harness_auth(h, "POST", "/api/v1/requirements/", co.admin_token, body);
	expect_invalid(r, "parent_requirements_id");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/requirements/", co.admin_token,
			 "{\"name\": \"Soft\", \"parent_requirements_id\": 999999}");
	expect_invalid(r, "parent_requirements_id");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/requirements/", co.admin_token,
			 "{\"name\": \"Soft\", \"parent_requirements_id\": null}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(count_profiles(co.admin_token), 1);
}

Test(requirements, bad_input_names_the_field_and_changes_nothing)
{
	static const struct {
		const char *body;
		const char *field;
	} cases[] = {
		{ "{}", "name" },
		{ "{\"name\": \"\"}", "name" },
		{ "{\"name\": 5}", "name" },
		{ "{\"name\": \"x\", \"pets\": \"yes\"}", "pets" },
		{ "{\"name\": \"x\", \"extra_residents\": -1}", "extra_residents" },
		{ "{\"name\": \"x\", \"payment_remarks\": 1.5}", "payment_remarks" },
		{ "{\"name\": \"x\", \"move_frequency\": \"often\"}", "move_frequency" },
		{ "{\"name\": \"x\", \"rent_factor\": -0.5}", "rent_factor" },
		{ "{\"name\": \"x\", \"warrantor_rent_factor\": \"abc\"}", "warrantor_rent_factor" },
		{ "{\"name\": \"x\", \"living_standard_factor\": 1000}", "living_standard_factor" },
		{ "{\"name\": \"x\", \"senior_age\": 500}", "senior_age" },
		{ "{\"name\": \"x\", \"rent_calculation_type\": \"INCOME\"}", "rent_calculation_type" },
		{ "{\"name\": \"x\", \"parent_requirements_id\": \"abc\"}", "parent_requirements_id" },
	};
	char name[300];
	struct hresp *r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = harness_auth(h, "POST", "/api/v1/requirements/", co.admin_token, cases[i].body);
		expect_invalid(r, cases[i].field);
		hresp_free(r);
	}
	memset(name, 'n', 257);
	name[257] = '\0';
	r = reqf(h, "POST", "/api/v1/requirements/", co.admin_token, "{\"name\": \"%s\"}", name);
	expect_invalid(r, "name");
	hresp_free(r);
	name[256] = '\0'; /* exactly 256 is allowed */
	r = reqf(h, "POST", "/api/v1/requirements/", co.admin_token, "{\"name\": \"%s\"}", name);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/requirements/", co.admin_token, "[1, 2]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/requirements/", co.admin_token, "{\"name\": ");
	expect_error(r, 400, "ParseError");
	hresp_free(r);
	cr_assert_eq(count_profiles(co.admin_token), 1);
}

Test(requirements, bad_update_changes_nothing)
{
	int64_t id = create(co.admin_token, "{\"name\": \"Keep\", \"pets\": true}");
	struct hresp *r = patch("PATCH", co.admin_token, id, "{\"name\": \"Changed\", \"pets\": 1, \"youth_age\": -3}");

	expect_invalid(r, "pets");
	cr_assert(has_field(r, "youth_age"), "%s", r->body);
	hresp_free(r);
	r = get(co.admin_token, id);
	cr_assert_str_eq(hresp_str(r, "name"), "Keep");
	cr_assert(jbool(r->json, "pets"));
	hresp_free(r);
}

Test(requirements, rights_and_callers)
{
	char employee[1024], observer[1024], consumer[1024];
	int64_t id;
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "employee", "emp", employee);
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	fixture_consumer(h, "consumer@example.com", consumer);
	id = create(co.admin_token, "{\"name\": \"Standard\"}");

	/* reading needs no right; writing needs the advanced listing right (docs/DECISIONS.md) */
	cr_assert_eq(count_profiles(observer), 1);
	r = get(observer, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/requirements/", employee, "{\"name\": \"Nope\"}");
	expect_no_right(r, RIGHT_ADV);
	hresp_free(r);
	r = patch("PATCH", employee, id, "{\"name\": \"Nope\"}");
	expect_no_right(r, RIGHT_ADV);
	hresp_free(r);
	r = patch("DELETE", observer, id, NULL);
	expect_no_right(r, RIGHT_ADV);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/requirements/", consumer, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/requirements/", NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = get(co.admin_token, id);
	cr_assert_str_eq(hresp_str(r, "name"), "Standard");
	hresp_free(r);
	cr_assert_eq(count_profiles(co.admin_token), 1);
}

Test(requirements, other_company_ids_are_not_found)
{
	int64_t theirs = create(other.admin_token, "{\"name\": \"Theirs\"}");
	struct hresp *r = get(co.admin_token, theirs);

	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = patch("PATCH", co.admin_token, theirs, "{\"name\": \"Mine\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = patch("DELETE", co.admin_token, theirs, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get(co.admin_token, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get(other.admin_token, theirs);
	cr_assert_str_eq(hresp_str(r, "name"), "Theirs");
	hresp_free(r);
}

Test(requirements, delete_and_soft_profiles)
{
	int64_t parent = create(co.admin_token, "{\"name\": \"Parent\"}");
	char body[200];
	int64_t soft;
	struct hresp *r;

	snprintf(body, sizeof(body), "{\"name\": \"Soft\", \"parent_requirements_id\": %lld}", (long long)parent);
	soft = create(co.admin_token, body);
	r = patch("DELETE", co.admin_token, parent, NULL);
	expect_error(r, 409, "RequirementProfileInUse");
	hresp_free(r);
	expect_status_free(patch("DELETE", co.admin_token, soft, NULL), 204);
	r = get(co.admin_token, soft);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	expect_status_free(patch("DELETE", co.admin_token, parent, NULL), 204);
	cr_assert_eq(count_profiles(co.admin_token), 0);
}

/* A profile used by a listing counts it and can not be deleted until the listing is (§15 rule 34). */
Test(requirements, in_use_by_a_listing)
{
	int64_t id = create(co.admin_token, "{\"name\": \"Used\"}");
	int64_t estate, apt, ad;
	char p[512];
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", co.admin_token, "{\"legal_name\": \"E\", \"city\": \"Uppsala\"}");

	cr_assert_eq(r->status, 200, "%s", r->body);
	estate = hresp_int(r, "id");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v4/apartment", co.admin_token,
		 "{\"estate\": %lld, \"street_name\": \"Gatan\", \"street_number\": \"1\", \"zip_code\": \"75310\","
		 " \"national_id\": \"1001\", \"latitude\": 59.8586, \"longitude\": 17.6389, \"area\": 40, \"floor\": 1,"
		 " \"rent\": 8000, \"rooms\": 2}",
		 (long long)estate);
	cr_assert_eq(r->status, 201, "%s", r->body);
	apt = hresp_int(r, "id");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld}",
		 (long long)apt, (long long)id);
	cr_assert_eq(r->status, 201, "%s", r->body);
	ad = hresp_int(r, "id");
	hresp_free(r);

	r = get(co.admin_token, id);
	cr_assert_eq(hresp_int(r, "ad_count"), 1, "%s", r->body);
	hresp_free(r);

	/* the listing's search card follows the profile's audience in the same write */
	r = harness_auth(h, "POST", "/api/v3/cards/", NULL, "{\"tags\": [\"senior\"]}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total_hits"), 0, "%s", r->body);
	hresp_free(r);
	expect_status_free(patch("PATCH", co.admin_token, id, "{\"senior\": true}"), 200);
	r = harness_auth(h, "POST", "/api/v3/cards/", NULL, "{\"tags\": [\"senior\"]}");
	cr_assert_eq(hresp_int(r, "total_hits"), 1, "%s", r->body);
	hresp_free(r);

	r = patch("DELETE", co.admin_token, id, NULL);
	expect_error(r, 409, "RequirementProfileInUse");
	cr_assert(desc_contains(r, "associated with ads"), "%s", r->body);
	hresp_free(r);
	cr_assert_eq(count_profiles(co.admin_token), 1);

	/* a deleted listing only waits for its purge: it no longer uses the profile */
	expect_status_free(harness_auth(h, "DELETE", pathf(p, "/api/v1/object_ad/%lld/", (long long)ad), co.admin_token,
					NULL),
			   204);
	r = get(co.admin_token, id);
	cr_assert_eq(hresp_int(r, "ad_count"), 0, "%s", r->body);
	hresp_free(r);
	expect_status_free(patch("DELETE", co.admin_token, id, NULL), 204);
	cr_assert_eq(count_profiles(co.admin_token), 0);
}

/* One member set to one bad value, on create (with a good name) or on update. */
static void expect_member_refused(int64_t id, const char *key, const char *value)
{
	struct hresp *r = id ? reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/requirements/%lld", (long long)id),
				    co.admin_token, "{\"%s\": %s}", key, value)
			     : reqf(h, "POST", "/api/v1/requirements/", co.admin_token, "{\"name\": \"x\", \"%s\": %s}",
				    key, value);
	cr_assert_eq(r->status, 412, "%s %s = %s: %s", id ? "PATCH" : "POST", key, value, r->body);
	expect_invalid(r, key);
	hresp_free(r);
}

/*
 * Every writable member of RequirementProfile, alone and wrong (type, range, null), on
 * create and on update: 412 naming it, and nothing is written (the stored profile reads
 * back byte for byte as before).
 */
Test(requirements, every_member_is_validated_alone)
{
	static const char *const bad_flag[] = { "\"yes\"", "1", "null", "[]" };
	static const char *const bad_number[] = { "-1", "\"many\"", "1.5", "1000000", "null" };
	static const char *const bad_factor[] = { "-0.1", "\"x\"", "100.5", "null", "{}" };
	static const char *const bad_type[] = { "\"INCOME\"", "\"rent_factor\"", "1", "null" };
	char long_name[300];
	int64_t id = create(co.admin_token, "{\"name\": \"Keep\", \"pets\": true, \"rent_factor\": 3}");
	struct hresp *before = get(co.admin_token, id), *after;

	for (int op = 0; op < 2; op++) {
		int64_t target = op ? id : 0;
		for (size_t i = 0; i < REQ_FLAG_COUNT; i++)
			for (size_t k = 0; k < sizeof(bad_flag) / sizeof(bad_flag[0]); k++)
				expect_member_refused(target, requirement_flag_names[i], bad_flag[k]);
		for (size_t i = 0; i < REQ_NUMBER_COUNT; i++)
			for (size_t k = 0; k < sizeof(bad_number) / sizeof(bad_number[0]); k++)
				expect_member_refused(target, requirement_number_names[i], bad_number[k]);
		for (size_t i = 0; i < REQ_FACTOR_COUNT; i++)
			for (size_t k = 0; k < sizeof(bad_factor) / sizeof(bad_factor[0]); k++)
				expect_member_refused(target, requirement_factor_names[i], bad_factor[k]);
		for (size_t k = 0; k < sizeof(bad_type) / sizeof(bad_type[0]); k++)
			expect_member_refused(target, "rent_calculation_type", bad_type[k]);
	}
	/* name on update: optional, but never empty, null, a number or longer than 256 */
	memset(long_name, 'n', 259);
	long_name[0] = long_name[258] = '"';
	long_name[259] = '\0';
	expect_member_refused(id, "name", "\"\"");
	expect_member_refused(id, "name", "null");
	expect_member_refused(id, "name", "5");
	expect_member_refused(id, "name", long_name);
	cr_assert_eq(count_profiles(co.admin_token), 1);
	after = get(co.admin_token, id);
	cr_assert_str_eq(after->body, before->body, "a refused update changed the profile");
	hresp_free(before);
	hresp_free(after);
}

/* Ids nobody has: 404 for every operation on one profile (H-03). */
Test(requirements, unknown_ids_are_not_found)
{
	static const char *const methods[] = { "GET", "PATCH", "PUT", "DELETE" };
	create(co.admin_token, "{\"name\": \"Mine\"}");
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct hresp *r = harness_auth(h, methods[i], "/api/v1/requirements/999999/", co.admin_token,
					       i == 1 || i == 2 ? "{\"name\": \"x\"}" : NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
	}
	cr_assert_eq(count_profiles(co.admin_token), 1);
}

/* The environment reset keeps requirement profiles (seed L800, §15 rule 14). */
Test(requirements, company_reset_keeps_them)
{
	create(co.admin_token, "{\"name\": \"Kept\"}");
	expect_status_free(harness_auth(h, "POST", "/api/v1/company/reset/", co.admin_token, NULL), 200);
	cr_assert_eq(count_profiles(co.admin_token), 1);
}

/* ---- requirements_evaluate(): a unit suite over plain structs ---- */

static struct requirement_fields rules;
static struct applicant_facts facts;
static struct income_source incomes[4];

static void unit_setup(void)
{
	requirement_defaults(&rules);
	memset(&facts, 0, sizeof(facts));
	memset(incomes, 0, sizeof(incomes));
	incomes[0] = (struct income_source){ INCOME_EMPLOYMENT, 30000 };
	facts.rent = 10000;
	facts.incomes = incomes;
	facts.nincomes = 1;
	facts.occupation = OCCUPATION_PERMANENT;
	facts.age = 40;
	facts.applicants = 1;
	facts.household_size = 1;
}

TestSuite(requirements_evaluate, .init = unit_setup);

static struct requirement_verdict run(void)
{
	struct requirement_verdict v;
	requirements_evaluate(&rules, &facts, &v);
	return v;
}

static enum rule_outcome outcome(enum requirement_rule rule)
{
	return run().rules[rule].outcome;
}

Test(requirements_evaluate, defaults_approve_a_plain_applicant)
{
	struct requirement_verdict v = run();
	cr_assert(v.approved);
	/* rent_factor 0: the income rule is not checked; the default credit rules are */
	cr_assert_eq(v.rules[REQ_RULE_INCOME].outcome, REQ_NOT_CHECKED);
	cr_assert_eq(v.rules[REQ_RULE_PAYMENT_REMARKS].outcome, REQ_PASS);
	cr_assert_eq(v.rules[REQ_RULE_PETS].outcome, REQ_PASS);
	cr_assert_eq(v.rules[REQ_RULE_EMPLOYMENT].outcome, REQ_NOT_CHECKED);
	cr_assert_eq(v.rules[REQ_RULE_WARRANTOR_INCOME].outcome, REQ_NOT_CHECKED);
	cr_assert_str_eq(requirement_rule_name(REQ_RULE_INCOME), "APPLICANT_GROUP_INCOME");
	cr_assert_str_eq(requirement_rule_name(REQ_RULE_WARRANTOR_DEBT_SANITIZATION), "WARRANTOR_DEBT_SANITIZATION");
}

Test(requirements_evaluate, rent_factor_counts_income_at_least_factor_times_rent)
{
	struct requirement_verdict v;
	rules.factor[REQ_RENT_FACTOR] = 3;
	v = run();
	cr_assert_eq(v.rules[REQ_RULE_INCOME].outcome, REQ_PASS); /* 30000 >= 3 x 10000 */
	cr_assert_eq(v.rules[REQ_RULE_INCOME].is_value, 30000);
	cr_assert_eq(v.rules[REQ_RULE_INCOME].ought_value, 30000);
	incomes[0].monthly = 29999;
	v = run();
	cr_assert_eq(v.rules[REQ_RULE_INCOME].outcome, REQ_FAIL);
	cr_assert(!v.approved);
	rules.factor[REQ_RENT_FACTOR] = 2.5; /* fractional factors round the requirement up */
	facts.rent = 9999;
	v = run();
	cr_assert_eq(v.rules[REQ_RULE_INCOME].ought_value, 24998);
}

Test(requirements_evaluate, only_accepted_income_kinds_count)
{
	rules.factor[REQ_RENT_FACTOR] = 3;
	incomes[0] = (struct income_source){ INCOME_EMPLOYMENT, 20000 };
	incomes[1] = (struct income_source){ INCOME_HOUSING_SUPPORT, 6000 };
	incomes[2] = (struct income_source){ INCOME_SICK_LEAVE_ALLOWANCE, 4000 };
	incomes[3] = (struct income_source){ INCOME_OTHER, 50000 };
	facts.nincomes = 4;
	/* housing support is not accepted by default, sick leave is, "other" never */
	cr_assert_eq(run().rules[REQ_RULE_INCOME].is_value, 24000);
	cr_assert_eq(outcome(REQ_RULE_INCOME), REQ_FAIL);
	rules.flag[REQ_INCOME_HOUSING_SUPPORT] = true;
	cr_assert_eq(run().rules[REQ_RULE_INCOME].is_value, 30000);
	cr_assert_eq(outcome(REQ_RULE_INCOME), REQ_PASS);
	rules.flag[REQ_INCOME_SICK_LEAVE] = false;
	cr_assert_eq(run().rules[REQ_RULE_INCOME].is_value, 26000);
	cr_assert_str_eq(income_kind_name(INCOME_SICK_LEAVE_ALLOWANCE), "sickleaveallowance");
}

Test(requirements_evaluate, money_after_rent_compares_with_the_normal_amount)
{
	struct requirement_verdict v;
	rules.money_after_rent = true;
	rules.factor[REQ_LIVING_STANDARD_FACTOR] = 1.5;
	facts.normal_amount = 6000;
	incomes[0].monthly = 19000; /* 19000 - 10000 = 9000 >= 1.5 x 6000 */
	v = run();
	cr_assert_eq(v.rules[REQ_RULE_INCOME].outcome, REQ_PASS);
	cr_assert_eq(v.rules[REQ_RULE_INCOME].is_value, 9000);
	cr_assert_eq(v.rules[REQ_RULE_INCOME].ought_value, 9000);
	incomes[0].monthly = 18999;
	cr_assert_eq(outcome(REQ_RULE_INCOME), REQ_FAIL);
}

Test(requirements_evaluate, benefit_apartment_accepts_benefits)
{
	rules.flag[REQ_BENEFIT_APARTMENT] = true;
	requirement_adjust(&rules);
	cr_assert(rules.money_after_rent);
	facts.normal_amount = 5000;
	incomes[0] = (struct income_source){ INCOME_UNEMPLOYMENT_BENEFIT, 12000 };
	incomes[1] = (struct income_source){ INCOME_HOUSING_SUPPLEMENT, 4000 };
	facts.nincomes = 2;
	cr_assert_eq(run().rules[REQ_RULE_INCOME].is_value, 6000);
	cr_assert_eq(outcome(REQ_RULE_INCOME), REQ_PASS);
}

Test(requirements_evaluate, credit_rules)
{
	facts.credit.payment_remarks = 1;
	cr_assert_eq(outcome(REQ_RULE_PAYMENT_REMARKS), REQ_FAIL); /* 0 allowed by default */
	rules.number[REQ_PAYMENT_REMARKS] = 1;
	cr_assert_eq(outcome(REQ_RULE_PAYMENT_REMARKS), REQ_PASS);
	facts.credit.bankruptcy = true;
	facts.credit.outstanding_debt = true;
	facts.credit.debt_sanitization = true;
	cr_assert_eq(outcome(REQ_RULE_BANKRUPTCY), REQ_FAIL);
	cr_assert_eq(outcome(REQ_RULE_OUTSTANDING_DEBT), REQ_FAIL);
	cr_assert_eq(outcome(REQ_RULE_DEBT_SANITIZATION), REQ_FAIL);
	rules.flag[REQ_BANKRUPTCY] = rules.flag[REQ_OUTSTANDING_DEBT] = rules.flag[REQ_DEBT_SANITIZATION] = true;
	cr_assert(run().approved);
}

Test(requirements_evaluate, who_the_applicants_are)
{
	rules.flag[REQ_STUDENT] = true;
	cr_assert_eq(outcome(REQ_RULE_REQUIRES_STUDENT), REQ_FAIL);
	facts.is_student = true;
	cr_assert_eq(outcome(REQ_RULE_REQUIRES_STUDENT), REQ_PASS);
	rules.flag[REQ_YOUTH] = true;
	facts.age = 25;
	cr_assert_eq(outcome(REQ_RULE_REQUIRES_YOUTH), REQ_PASS);
	facts.age = 26;
	cr_assert_eq(outcome(REQ_RULE_REQUIRES_YOUTH), REQ_FAIL);
	rules.flag[REQ_YOUTH] = false;
	rules.flag[REQ_SENIOR] = true;
	facts.age = 64;
	cr_assert_eq(outcome(REQ_RULE_REQUIRES_SENIOR), REQ_FAIL);
	facts.age = 65;
	cr_assert_eq(outcome(REQ_RULE_REQUIRES_SENIOR), REQ_PASS);
	facts.pets = true;
	cr_assert_eq(outcome(REQ_RULE_PETS), REQ_FAIL);
	rules.flag[REQ_PETS] = true;
	cr_assert_eq(outcome(REQ_RULE_PETS), REQ_PASS);
	facts.smoking = true;
	cr_assert_eq(outcome(REQ_RULE_SMOKING), REQ_FAIL);
}

Test(requirements_evaluate, employment)
{
	rules.flag[REQ_EMPLOYMENT_PERMANENT] = true;
	facts.occupation = OCCUPATION_TEMPORARY;
	cr_assert_eq(outcome(REQ_RULE_EMPLOYMENT), REQ_FAIL);
	rules.flag[REQ_EMPLOYMENT_TEMPORARY] = true;
	cr_assert_eq(outcome(REQ_RULE_EMPLOYMENT), REQ_PASS);
	rules.flag[REQ_EMPLOYMENT_PERMANENT] = false;
	cr_assert_eq(outcome(REQ_RULE_EMPLOYMENT), REQ_PASS);
	facts.occupation = OCCUPATION_NONE;
	cr_assert_eq(outcome(REQ_RULE_EMPLOYMENT), REQ_FAIL);
}

Test(requirements_evaluate, household_and_moves)
{
	facts.household_size = 6;
	facts.applicants = 2;
	facts.moves = 9;
	cr_assert_eq(outcome(REQ_RULE_RESIDENT_COUNT), REQ_NOT_CHECKED); /* 0: no limit */
	cr_assert_eq(outcome(REQ_RULE_MOVE_FREQUENCY), REQ_NOT_CHECKED);
	rules.number[REQ_EXTRA_RESIDENTS] = 4;
	cr_assert_eq(outcome(REQ_RULE_RESIDENT_COUNT), REQ_PASS);
	rules.number[REQ_EXTRA_RESIDENTS] = 3;
	cr_assert_eq(outcome(REQ_RULE_RESIDENT_COUNT), REQ_FAIL);
	rules.number[REQ_MOVE_FREQUENCY] = 9;
	cr_assert_eq(outcome(REQ_RULE_MOVE_FREQUENCY), REQ_PASS);
	rules.number[REQ_MOVE_FREQUENCY] = 8;
	cr_assert_eq(outcome(REQ_RULE_MOVE_FREQUENCY), REQ_FAIL);
}

Test(requirements_evaluate, a_warrantor_carries_a_failed_income_rule)
{
	struct requirement_verdict v;
	rules.factor[REQ_RENT_FACTOR] = 3;
	rules.factor[REQ_WARRANTOR_RENT_FACTOR] = 5;
	incomes[0].monthly = 15000;
	facts.has_warrantor = true;
	facts.warrantor_income = 50000;
	v = run();
	cr_assert(!v.approved, "a warrantor helps only where the profile allows one");
	cr_assert_eq(v.rules[REQ_RULE_WARRANTOR_INCOME].outcome, REQ_NOT_CHECKED);
	rules.flag[REQ_WARRANTOR] = true;
	v = run();
	cr_assert(v.approved);
	cr_assert_eq(v.rules[REQ_RULE_INCOME].outcome, REQ_PASS);
	cr_assert_eq(v.rules[REQ_RULE_WARRANTOR_INCOME].outcome, REQ_PASS);
	cr_assert_eq(v.rules[REQ_RULE_WARRANTOR_INCOME].ought_value, 50000);
	facts.warrantor_credit.payment_remarks = 2;
	v = run();
	cr_assert(!v.approved);
	cr_assert_eq(v.rules[REQ_RULE_WARRANTOR_PAYMENT_REMARKS].outcome, REQ_FAIL);
	cr_assert_eq(v.rules[REQ_RULE_INCOME].outcome, REQ_FAIL);
	facts.warrantor_credit.payment_remarks = 0;
	facts.warrantor_income = 49999;
	cr_assert(!run().approved);
	/* the applicants' own income suffices: the warrantor is not looked at */
	incomes[0].monthly = 30000;
	v = run();
	cr_assert(v.approved);
	cr_assert_eq(v.rules[REQ_RULE_WARRANTOR_INCOME].outcome, REQ_NOT_CHECKED);
}
