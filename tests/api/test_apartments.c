/*
 * Apartments (homeq.md §4, §12.3, §15 rules 18, 20, 21; decisions.md G-02, G-03,
 * H-03, H-09, H-28, H-30, H-33): create with the seed's example, defaults, every
 * field rule, the system-wide identity (409 naming the holder), county and
 * municipality from the position or the zip code, update, delete, rights, scope,
 * 3D views and notes.
 */
#include "org_common.h"

#define RIGHT_APT "entity.Apartment.update"

static struct harness *h;
static struct fixture_company co;
static int64_t estate;

static int64_t make_estate(const char *token, const char *city, int64_t office)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", token, "{\"legal_name\": \"E\", \"city\": \"%s\", \"office\": %lld}",
			       city, (long long)office);
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	estate = make_estate(co.admin_token, "Stockholm", co.root_office);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(apartments, .init = setup, .fini = teardown);

/* The seed's python example (L42-L85), county and municipality included (ignored, G-03). */
static const char seed_example[] =
	"{\"estate\": %lld, \"street_name\": \"Street name\", \"street_number\": \"4\", \"zip_code\": \"19448\","
	" \"longitude\": 17.9429115, \"latitude\": 59.3975395, \"county\": \"Stockholm\","
	" \"municipality\": \"Upplands Väsby\", \"rooms\": 4, \"floor\": 3, \"area\": 81.40, \"rent\": 7400,"
	" \"description\": \"Description of the apartment\", \"national_id\": \"1304\","
	" \"landlord_object_id\": \"AF43CD7U\", \"renovation_date\": \"2017-01-14\", \"washing_machine\": \"PREPARED\","
	" \"dishwasher\": \"PRESENT\", \"balcony\": \"NORTH\", \"dryer\": \"NONE\", \"bathtub\": \"PRESENT\","
	" \"internet_included\": true, \"cable_package_included\": false, \"water\": \"COLD_INCLUDED\","
	" \"garage\": \"INCLUDED\", \"parking\": \"INCLUDED\", \"electricity_included\": true,"
	" \"heating_included\": true, \"laundry_room\": true, \"security_door\": true, \"shower\": true,"
	" \"kitchen_fan\": \"PRESENT\", \"patio\": true, \"handicap_adapted\": true, \"accessibility_adapted\": true,"
	" \"elevator\": true, \"pantry\": true}";

/* A minimal apartment in Stockholm city: national_id and street number vary. */
static const char minimal[] =
	"{\"estate\": %lld, \"street_name\": \"Drottninggatan\", \"street_number\": \"%s\", \"zip_code\": \"11151\","
	" \"national_id\": \"%s\", \"latitude\": 59.3293, \"longitude\": 18.0686, \"area\": 42.5, \"floor\": 1,"
	" \"rent\": 9000, \"rooms\": 1.5}";

static int64_t create_min(const char *token, int64_t est, const char *number, const char *nid)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", token, minimal, (long long)est, number, nid);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static struct hresp *get_apt(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v4/apartment/%lld", (long long)id), token, NULL);
}

Test(apartments, seed_example_creates_with_201)
{
	static const char *const keys[] = {
		"accessibility_adapted", "area", "balcony", "bathtub", "cable_package_included", "can_create_ad_listing",
		"city", "county", "description", "dishwasher", "dryer", "electricity_included", "elevator", "estate",
		"floor", "floor_plan_reference", "garage", "handicap_adapted", "heating_included", "id",
		"internet_included", "kitchen_fan", "landlord_object_id", "latitude", "laundry_room", "longitude",
		"municipality", "national_id", "pantry", "parking", "patio", "promotion_file_reference",
		"renovation_date", "rent", "rooms", "security_door", "shower", "street_name", "street_number",
		"washing_machine", "water", "zip_code", NULL
	};
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", co.admin_token, seed_example, (long long)estate);
	int64_t id;

	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "can_create_ad_listing", "estate", "id", NULL });
	cr_assert(json_is_true(json_object_get(r->json, "can_create_ad_listing")));
	cr_assert_eq(hresp_int(r, "estate"), estate);
	id = hresp_int(r, "id");
	hresp_free(r);
	r = get_apt(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_str_eq(hresp_str(r, "city"), "Stockholm");
	/* derived from the position (Akalla, in Stockholm), not the request's "Upplands Väsby" (H-28) */
	cr_assert_str_eq(hresp_str(r, "county"), "Stockholms län");
	cr_assert_str_eq(hresp_str(r, "municipality"), "Stockholm");
	cr_assert_str_eq(hresp_str(r, "water"), "COLD_INCLUDED");
	cr_assert_str_eq(hresp_str(r, "renovation_date"), "2017-01-14");
	cr_assert_str_eq(hresp_str(r, "landlord_object_id"), "AF43CD7U");
	cr_assert(json_real_value(json_object_get(r->json, "area")) > 81.39);
	cr_assert_eq(hresp_int(r, "rent"), 7400);
	cr_assert(json_is_true(json_object_get(r->json, "pantry")));
	hresp_free(r);
}

Test(apartments, defaults_and_stockholm_derivation)
{
	int64_t id = create_min(co.admin_token, estate, "12 B", "1101");
	struct hresp *r = get_apt(co.admin_token, id);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "county"), "Stockholms län");
	cr_assert_str_eq(hresp_str(r, "municipality"), "Stockholm");
	cr_assert_str_eq(hresp_str(r, "balcony"), "NONE");
	cr_assert_str_eq(hresp_str(r, "garage"), "NONE");
	cr_assert_str_eq(hresp_str(r, "water"), "PAY_EXTRA");
	cr_assert(json_is_true(json_object_get(r->json, "shower")));
	cr_assert(json_is_false(json_object_get(r->json, "elevator")));
	cr_assert(json_is_null(json_object_get(r->json, "renovation_date")));
	cr_assert(json_is_null(json_object_get(r->json, "floor_plan_reference")));
	cr_assert_str_eq(hresp_str(r, "description"), "");
	hresp_free(r);
}

Test(apartments, zip_code_is_the_fallback_off_shore)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", co.admin_token,
			       "{\"estate\": %lld, \"street_name\": \"Havet\", \"street_number\": \"1\", \"zip_code\": \"11151\","
			       " \"national_id\": \"1001\", \"latitude\": 57.0, \"longitude\": 5.0, \"area\": 40, \"floor\": 0,"
			       " \"rent\": 1, \"rooms\": 1}",
			       (long long)estate);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	r = get_apt(co.admin_token, id);
	cr_assert_str_eq(hresp_str(r, "county"), "Stockholms län", "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "municipality"), "Stockholm");
	hresp_free(r);
}

Test(apartments, create_validation)
{
	static const char *const required[] = { "estate", "street_name", "street_number", "zip_code", "national_id",
						"latitude", "longitude", "area", "floor", "rent", "rooms", NULL };
	struct hresp *r = harness_auth(h, "POST", "/api/v4/apartment", co.admin_token, "{}");
	expect_error(r, 412, "ValidationError");
	for (size_t i = 0; required[i]; i++)
		cr_assert(has_field(r, required[i]), "%s not named: %s", required[i], r->body);
	hresp_free(r);
	r = reqf(h, "POST", "/api/v4/apartment", co.admin_token,
		 "{\"estate\": \"x\", \"street_name\": \"Gatan; DROP\", \"street_number\": \"04\", \"zip_code\": \"1234\","
		 " \"national_id\": \"12a4\", \"latitude\": 91, \"longitude\": \"east\", \"area\": 0.5, \"floor\": true,"
		 " \"rent\": 0, \"rooms\": 0, \"balcony\": \"UP\", \"water\": \"FREE\", \"elevator\": \"yes\","
		 " \"renovation_date\": \"2017-02-30\", \"description\": 3, \"landlord_object_id\": 7,"
		 " \"floor_plan_reference\": \"\"}");
	{
		static const char *const bad[] = { "estate", "street_name", "street_number", "zip_code", "national_id",
						   "latitude", "longitude", "area", "floor", "rent", "rooms", "balcony",
						   "water", "elevator", "renovation_date", "description",
						   "landlord_object_id", "floor_plan_reference", NULL };
		expect_error(r, 412, "ValidationError");
		for (size_t i = 0; bad[i]; i++)
			cr_assert(has_field(r, bad[i]), "%s not named: %s", bad[i], r->body);
	}
	hresp_free(r);
	/* lengths: street_number ≤ 16, street_name ≤ 128, description ≤ 3000 */
	r = reqf(h, "POST", "/api/v4/apartment", co.admin_token,
		 "{\"estate\": %lld, \"street_name\": \"%0129d\", \"street_number\": \"12345678901234567\","
		 " \"zip_code\": \"11151\", \"national_id\": \"1001\", \"latitude\": 59, \"longitude\": 18, \"area\": 1,"
		 " \"floor\": 1, \"rent\": 1, \"rooms\": 1}",
		 (long long)estate, 0);
	expect_invalid(r, "street_name");
	cr_assert(has_field(r, "street_number"));
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v4/apartment", co.admin_token, "\"just a string\"");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
}

Test(apartments, swedish_letters_pass_the_patterns)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", co.admin_token,
			       "{\"estate\": %lld, \"street_name\": \"Sankt Göransgatan 2:a vån.\", \"street_number\": \"12 Ö\","
			       " \"zip_code\": \"11217\", \"national_id\": \"0001\", \"latitude\": \"59.33\","
			       " \"longitude\": 18.03, \"area\": \"55\", \"floor\": -1, \"rent\": \"7000\", \"rooms\": 2}",
			       (long long)estate);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = reqf(h, "POST", "/api/v4/apartment", co.admin_token,
		 "{\"estate\": %lld, \"street_name\": \"Åsögatan\", \"street_number\": \"7ab\", \"zip_code\": \"11632\","
		 " \"national_id\": \"0001\", \"latitude\": 59.31, \"longitude\": 18.08, \"area\": 55, \"floor\": 0,"
		 " \"rent\": 7000, \"rooms\": 2}",
		 (long long)estate);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

Test(apartments, duplicate_identity_is_409_naming_the_holder)
{
	int64_t first = create_min(co.admin_token, estate, "4 b", "1201");
	struct fixture_company other;
	int64_t other_estate;
	struct hresp *r;

	/* same identity, other case and spacing: "DROTTNINGGATAN", "4  B", city "stockholm" */
	r = reqf(h, "POST", "/api/v4/apartment", co.admin_token,
		 "{\"estate\": %lld, \"street_name\": \"DROTTNINGGATAN\", \"street_number\": \"4  B\", \"zip_code\": \"11151\","
		 " \"national_id\": \"1201\", \"latitude\": 59.3293, \"longitude\": 18.0686, \"area\": 42, \"floor\": 1,"
		 " \"rent\": 9000, \"rooms\": 1}",
		 (long long)estate);
	expect_error(r, 409, "ApartmentAlreadyExists");
	cr_assert_eq(hresp_int(r, "existing_apartment"), first, "%s", r->body);
	{
		char needle[64];
		snprintf(needle, sizeof(needle), "Apartment %lld", (long long)first);
		cr_assert(desc_contains(r, needle), "%s", r->body);
	}
	hresp_free(r);
	/* system-wide: another company's estate in the same city holds the same identity */
	fixture_company(h, "Other", &other);
	other_estate = make_estate(other.admin_token, "STOCKHOLM", other.root_office);
	r = reqf(h, "POST", "/api/v4/apartment", other.admin_token, minimal, (long long)other_estate, "4 b", "1201");
	expect_error(r, 409, "ApartmentAlreadyExists");
	cr_assert_eq(hresp_int(r, "existing_apartment"), first);
	hresp_free(r);
	/* another city, number or national id is another apartment */
	create_min(co.admin_token, make_estate(co.admin_token, "Solna", co.root_office), "4 b", "1201");
	create_min(co.admin_token, estate, "4", "1201");
	create_min(co.admin_token, estate, "4 b", "1202");
}

Test(apartments, update_is_partial_and_checks_identity)
{
	char p[512];
	int64_t a = create_min(co.admin_token, estate, "1", "1001");
	int64_t b = create_min(co.admin_token, estate, "2", "1001");
	struct hresp *r;

	pathf(p, "/api/v4/apartment/%lld", (long long)b);
	r = harness_auth(h, "PATCH", p, co.admin_token,
			 "{\"rent\": 9500, \"balcony\": \"SOUTH\", \"can_create_ad_listing\": false, \"estate\": 999,"
			 " \"renovation_date\": \"2020-02-29\", \"latitude\": 59.5184, \"longitude\": 17.9113}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "rent"), 9500);
	cr_assert_eq(hresp_int(r, "estate"), estate);
	cr_assert_str_eq(hresp_str(r, "balcony"), "SOUTH");
	cr_assert_str_eq(hresp_str(r, "street_number"), "2");
	cr_assert(json_is_false(json_object_get(r->json, "can_create_ad_listing")));
	cr_assert_str_eq(hresp_str(r, "municipality"), "Upplands Väsby");
	hresp_free(r);
	r = harness_auth(h, "PUT", p, co.admin_token, "{\"street_number\": \"1\", \"renovation_date\": null}");
	expect_error(r, 409, "ApartmentAlreadyExists");
	cr_assert_eq(hresp_int(r, "existing_apartment"), a);
	hresp_free(r);
	r = harness_auth(h, "PATCH", p, co.admin_token,
			 "{\"national_id\": \"1\", \"zip_code\": \"abcde\", \"area\": 0, \"rooms\": 0, \"rent\": 0,"
			 " \"street_name\": \"\", \"water\": \"none\", \"shower\": 1}");
	{
		static const char *const bad[] = { "national_id", "zip_code", "area", "rooms", "rent", "street_name",
						   "water", "shower", NULL };
		expect_error(r, 412, "ValidationError");
		for (size_t i = 0; bad[i]; i++)
			cr_assert(has_field(r, bad[i]), "%s not named: %s", bad[i], r->body);
	}
	hresp_free(r);
	/* a failed update changed nothing */
	r = get_apt(co.admin_token, b);
	cr_assert_str_eq(hresp_str(r, "street_number"), "2");
	cr_assert_str_eq(hresp_str(r, "renovation_date"), "2020-02-29");
	hresp_free(r);
}

Test(apartments, rights_scope_and_other_companies)
{
	char observer[1024], sub[1024], p[512];
	int64_t north = fixture_office(h, co.id, co.root_office, "North");
	int64_t south = fixture_office(h, co.id, co.root_office, "South");
	int64_t south_estate = make_estate(co.admin_token, "Stockholm", south);
	int64_t id = create_min(co.admin_token, south_estate, "1", "1001");
	struct fixture_company other;
	struct hresp *r;

	pathf(p, "/api/v4/apartment/%lld", (long long)id);
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	fixture_employee(h, co.id, north, "admin", "northadmin", sub);
	r = reqf(h, "POST", "/api/v4/apartment", observer, minimal, (long long)estate, "9", "1001");
	expect_no_right(r, RIGHT_APT);
	hresp_free(r);
	r = harness_auth(h, "PATCH", p, observer, "{\"rent\": 5}");
	expect_no_right(r, RIGHT_APT);
	hresp_free(r);
	r = harness_auth(h, "DELETE", p, observer, NULL);
	expect_no_right(r, RIGHT_APT);
	hresp_free(r);
	/* an observer reads */
	expect_status_free(get_apt(observer, id), 200);
	/* outside the sub-office admin's subtree */
	r = get_apt(sub, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v4/apartment", sub, minimal, (long long)south_estate, "9", "1001");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "PATCH", p, sub, "{\"rent\": 5}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* another company */
	fixture_company(h, "Other", &other);
	r = get_apt(other.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", p, other.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v4/apartment", other.admin_token, minimal, (long long)estate, "9", "1001");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* unknown ids and no token */
	r = get_apt(co.admin_token, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v4/apartment", co.admin_token, minimal, 999999LL, "9", "1001");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get_apt(NULL, id);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	/* delete, then it is gone */
	expect_status_free(harness_auth(h, "DELETE", p, co.admin_token, NULL), 204);
	r = get_apt(co.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

/* ---- 3D views ---- */

static int64_t add_view(int64_t apt, const char *body)
{
	char p[512];
	struct hresp *r = harness_auth(h, "POST", pathf(p, "/api/v4/apartment/%lld/3d_views", (long long)apt),
				       co.admin_token, body);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

/* The ids of the apartment's views in list order. */
static void view_order(int64_t apt, int64_t *ids, size_t n)
{
	char p[512];
	struct hresp *r = harness_auth(h, "GET", pathf(p, "/api/v4/apartment/%lld/3d_views", (long long)apt),
				       co.admin_token, NULL);
	json_t *list;
	cr_assert_eq(r->status, 200, "%s", r->body);
	list = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(list), n, "%s", r->body);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(jint(json_array_get(list, i), "id"), ids[i], "%s", r->body);
		cr_assert_eq(jint(json_array_get(list, i), "position"), (long long)i, "%s", r->body);
	}
	hresp_free(r);
}

Test(apartments, views_keep_a_stable_order)
{
	int64_t apt = create_min(co.admin_token, estate, "1", "1001");
	int64_t a = add_view(apt, "{\"url\": \"https://my.matterport.com/show/?m=a\", \"title\": \"Hall\"}");
	int64_t b = add_view(apt, "{\"url\": \"https://my.matterport.com/show/?m=b\"}");
	int64_t c = add_view(apt, "{\"url\": \"https://my.matterport.com/show/?m=c\", \"position\": \"0\"}");
	char p[512];
	struct hresp *r;

	view_order(apt, (int64_t[]){ c, a, b }, 3);
	pathf(p, "/api/v4/apartment/%lld/3d_views/%lld", (long long)apt, (long long)c);
	r = harness_auth(h, "PATCH", p, co.admin_token, "{\"position\": 2, \"title\": \"Kök\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "id", "position", "title", "url", NULL });
	cr_assert_str_eq(hresp_str(r, "title"), "Kök");
	cr_assert_str_eq(hresp_str(r, "url"), "https://my.matterport.com/show/?m=c");
	hresp_free(r);
	view_order(apt, (int64_t[]){ a, b, c }, 3);
	expect_status_free(harness_auth(h, "DELETE", pathf(p, "/api/v4/apartment/%lld/3d_views/%lld", (long long)apt,
							   (long long)a),
					co.admin_token, NULL),
			   204);
	view_order(apt, (int64_t[]){ b, c }, 2);
	r = harness_auth(h, "DELETE", p, co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(apartments, view_validation_rights_and_scope)
{
	int64_t apt = create_min(co.admin_token, estate, "1", "1001");
	char p[512], observer[1024];
	struct fixture_company other;
	struct hresp *r;
	int64_t v;

	pathf(p, "/api/v4/apartment/%lld/3d_views", (long long)apt);
	r = harness_auth(h, "POST", p, co.admin_token, "{}");
	expect_invalid(r, "url");
	hresp_free(r);
	r = harness_auth(h, "POST", p, co.admin_token,
			 "{\"url\": \"ftp://x\", \"title\": \"0123456789012345678901234567890123456789012345678901234567890123456789x\","
			 " \"position\": \"first\"}");
	expect_invalid(r, "url");
	cr_assert(has_field(r, "title"));
	cr_assert(has_field(r, "position"));
	hresp_free(r);
	v = add_view(apt, "{\"url\": \"https://example.com/" 
			  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\"}");
	/* update allows 70 characters of url (§16 #4, G-04) */
	r = harness_auth(h, "PATCH", pathf(p, "/api/v4/apartment/%lld/3d_views/%lld", (long long)apt, (long long)v),
			 co.admin_token,
			 "{\"url\": \"https://example.com/0123456789012345678901234567890123456789012345678901234567890\","
			 " \"position\": \"x\"}");
	expect_invalid(r, "url");
	cr_assert(has_field(r, "position"));
	hresp_free(r);
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	r = harness_auth(h, "GET", pathf(p, "/api/v4/apartment/%lld/3d_views", (long long)apt), observer, NULL);
	expect_no_right(r, RIGHT_APT);
	hresp_free(r);
	fixture_company(h, "Other", &other);
	r = harness_auth(h, "GET", p, other.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "POST", p, other.admin_token, "{\"url\": \"https://x.se\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "PATCH", pathf(p, "/api/v4/apartment/%lld/3d_views/999999", (long long)apt), co.admin_token,
			 "{\"title\": \"x\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v4/apartment/999999/3d_views", co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

/* ---- notes ---- */

Test(apartments, notes)
{
	int64_t apt = create_min(co.admin_token, estate, "1", "1001");
	char p[512], np[512], observer[1024];
	struct fixture_company other;
	struct hresp *r;
	int64_t id;
	json_t *notes;

	pathf(p, "/api/v4/apartment/%lld/notes", (long long)apt);
	r = harness_auth(h, "POST", p, co.admin_token, "{\"context\": \"R\", \"text\": \"Ny diskmaskin 2023\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "apartment", "author", "context", "created", "id", "text", "updated",
						    NULL });
	cr_assert_eq(hresp_int(r, "apartment"), apt);
	cr_assert_str_eq(hresp_str(r, "context"), "R");
	cr_assert_eq(jint(json_object_get(r->json, "author"), "id"), co.admin_id);
	id = hresp_int(r, "id");
	hresp_free(r);
	r = harness_auth(h, "POST", p, co.admin_token, "{\"text\": \"default context\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "context"), "A");
	hresp_free(r);
	r = harness_auth(h, "POST", p, co.admin_token, "{\"context\": \"X\"}");
	expect_invalid(r, "context");
	cr_assert(has_field(r, "text"));
	hresp_free(r);
	{
		char body[3100], text[3002];
		memset(text, 'n', 3001);
		text[3001] = '\0';
		snprintf(body, sizeof(body), "{\"text\": \"%s\"}", text);
		r = harness_auth(h, "POST", p, co.admin_token, body);
		expect_invalid(r, "text");
		hresp_free(r);
	}
	pathf(np, "/api/v4/apartment/%lld/notes/%lld", (long long)apt, (long long)id);
	r = harness_auth(h, "PATCH", np, co.admin_token, "{\"text\": \"Ändrad\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "text"), "Ändrad");
	cr_assert_str_eq(hresp_str(r, "context"), "R");
	hresp_free(r);
	r = harness_auth(h, "PATCH", np, co.admin_token, "{\"text\": 5}");
	expect_invalid(r, "text");
	hresp_free(r);
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	r = harness_auth(h, "GET", p, observer, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	notes = json_object_get(r->json, "notes");
	cr_assert_eq(json_array_size(notes), 2);
	cr_assert_eq(jint(json_array_get(notes, 0), "id"), id);
	hresp_free(r);
	r = harness_auth(h, "POST", p, observer, "{\"text\": \"x\"}");
	expect_no_right(r, RIGHT_APT);
	hresp_free(r);
	r = harness_auth(h, "DELETE", np, observer, NULL);
	expect_no_right(r, RIGHT_APT);
	hresp_free(r);
	fixture_company(h, "Other", &other);
	r = harness_auth(h, "GET", p, other.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "PATCH", np, other.admin_token, "{\"text\": \"x\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	expect_status_free(harness_auth(h, "DELETE", np, co.admin_token, NULL), 204);
	r = harness_auth(h, "DELETE", np, co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* deleting the apartment takes its notes and views with it */
	add_view(apt, "{\"url\": \"https://x.se/v\"}");
	expect_status_free(harness_auth(h, "DELETE", pathf(p, "/api/v4/apartment/%lld", (long long)apt), co.admin_token,
					NULL),
			   204);
}
