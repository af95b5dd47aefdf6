/*
 * Estates (homeq.md §10, §12.3, §15 rules 18, 19, 22, 23; decisions.md G-02, G-03,
 * G-04, H-03, H-10, H-14): create at the selected office or a given one, the
 * public and the landlord view, update limits and the bank-details right,
 * delete, scope and other companies.
 */
#include "org_common.h"

#define DESC200                                                                                             \
	"Ett lugnt område nära vatten och grönska, med skolor, förskolor och affärer inom gångavstånd. "     \
	"Pendeltåget tar dig till city på tjugo minuter och cykelbanorna går hela vägen in till stan, året om, varje dag."

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

TestSuite(estates, .init = setup, .fini = teardown);

static int64_t create_estate(const char *token, const char *body)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v4/estate", token, body);
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	cr_assert(id > 0);
	hresp_free(r);
	return id;
}

static struct hresp *get_estate(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v4/estate/%lld", (long long)id), token, NULL);
}

static const char apartment_body[] =
	"{\"estate\": %lld, \"street_name\": \"Storgatan\", \"street_number\": \"%s\", \"zip_code\": \"11129\","
	" \"national_id\": \"1001\", \"latitude\": 59.3293, \"longitude\": 18.0686, \"area\": 50, \"floor\": 2,"
	" \"rent\": 8000, \"rooms\": 2, \"balcony\": \"%s\", \"elevator\": %s}";

static void add_apartment(int64_t estate, const char *number, const char *balcony, const char *elevator)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", co.admin_token, apartment_body, (long long)estate, number,
			       balcony, elevator);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

Test(estates, seed_example_creates_with_200_at_the_selected_office)
{
	int64_t id = create_estate(co.admin_token, "{\"legal_name\": \"Solrosen I\", \"city\": \"Stockholm\"}");
	struct hresp *r = get_estate(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "office"), co.root_office);
	cr_assert_str_eq(hresp_str(r, "name"), "Solrosen I");
	cr_assert_str_eq(hresp_str(r, "city"), "Stockholm");
	cr_assert_eq(hresp_int(r, "apartment_count"), 0);
	cr_assert(json_is_null(json_object_get(r->json, "landlord_object_id")));
	cr_assert(json_is_null(json_object_get(r->json, "display_image")));
	hresp_free(r);
}

Test(estates, landlord_view_has_every_field)
{
	static const char *const keys[] = { "area_caption", "area_description", "area_image_caption", "area_images",
					    "city", "common_attributes", "cover_caption", "cover_description",
					    "estate_images", "id", "name", "apartment_count", "bankgiro",
					    "display_image", "estate_owner", "landlord_object_id", "office",
					    "org_number", "postgiro", NULL };
	int64_t office = fixture_office(h, co.id, co.root_office, "Söder");
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", co.admin_token,
			       "{\"legal_name\": \"Björken 2\", \"city\": \"Göteborg\", \"office\": %lld,"
			       " \"landlord_object_id\": \"EXT-1\", \"estate_owner\": \"Acme Fastigheter AB\","
			       " \"org_number\": \"556677-8899\", \"bankgiro\": \"123-4567\", \"postgiro\": \"12345-6\","
			       " \"area_caption\": \"Området\", \"area_description\": \"" DESC200 "\","
			       " \"area_image_caption\": \"Parken\", \"cover_caption\": \"Huset\","
			       " \"cover_description\": \"" DESC200 "\", \"unknown_member\": 1}",
			       (long long)office);
	int64_t id;

	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	r = get_estate(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_eq(hresp_int(r, "office"), office);
	cr_assert_str_eq(hresp_str(r, "landlord_object_id"), "EXT-1");
	cr_assert_str_eq(hresp_str(r, "org_number"), "556677-8899");
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "123-4567");
	cr_assert_str_eq(hresp_str(r, "cover_description"), DESC200);
	cr_assert_eq(json_array_size(json_object_get(r->json, "estate_images")), 0);
	hresp_free(r);
}

Test(estates, public_view_without_a_token)
{
	static const char *const keys[] = { "area_caption", "area_description", "area_image_caption", "area_images",
					    "city", "common_attributes", "cover_caption", "cover_description",
					    "estate_images", "id", "name", NULL };
	int64_t id = create_estate(co.admin_token,
				   "{\"legal_name\": \"Solrosen I\", \"city\": \"Stockholm\", \"bankgiro\": \"1\"}");
	struct fixture_company other;
	struct hresp *r = get_estate(NULL, id);

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_eq(hresp_int(r, "id"), id);
	expect_keys(json_object_get(r->json, "common_attributes"),
		    (const char *const[]){ "balcony", "bathtub", "dishwasher", "drier", "electricity_included",
					   "elevator", "garage", "handicap_friendly", "heating_included",
					   "internet_included", "kitchen_fan", "parking", "patio", "tv_included",
					   "washing_machine", NULL });
	hresp_free(r);
	/* another company's employee sees the public view too, never the bank details */
	fixture_company(h, "Other", &other);
	r = get_estate(other.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, keys);
	hresp_free(r);
	/* a bad token is still 401, not anonymous */
	r = get_estate("not-a-token", id);
	cr_assert_eq(r->status, 401, "%s", r->body);
	hresp_free(r);
	r = get_estate(NULL, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(estates, common_attributes_follow_the_apartments)
{
	int64_t id = create_estate(co.admin_token, "{\"legal_name\": \"Solrosen I\", \"city\": \"Stockholm\"}");
	struct hresp *r;
	json_t *ca;

	add_apartment(id, "1", "NORTH", "true");
	add_apartment(id, "2", "SOUTH", "false");
	r = get_estate(NULL, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	ca = json_object_get(r->json, "common_attributes");
	cr_assert(json_is_true(json_object_get(ca, "balcony")), "%s", r->body);
	cr_assert(json_is_false(json_object_get(ca, "elevator")), "%s", r->body);
	cr_assert(json_is_false(json_object_get(ca, "garage")), "%s", r->body);
	hresp_free(r);
	r = get_estate(co.admin_token, id);
	cr_assert_eq(hresp_int(r, "apartment_count"), 2);
	hresp_free(r);
}

Test(estates, create_validation)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v4/estate", co.admin_token, "{}");
	expect_invalid(r, "legal_name");
	cr_assert(has_field(r, "city"));
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v4/estate", co.admin_token,
			 "{\"legal_name\": 5, \"city\": \"Stock-holm!\", \"office\": \"x\", \"org_number\": \"5566\","
			 " \"area_caption\": \"x\", \"area_description\": \"too short\", \"cover_caption\": \"" 
			 "0123456789012345678901234567890123456789012345678901234567890123456789x\","
			 " \"cover_description\": \"short\", \"area_image_caption\": \"y\", \"bankgiro\": 12}");
	expect_invalid(r, "legal_name");
	cr_assert(has_field(r, "city"));
	cr_assert(has_field(r, "office"));
	cr_assert(has_field(r, "org_number"));
	cr_assert(has_field(r, "area_caption"));
	cr_assert(has_field(r, "area_description"));
	cr_assert(has_field(r, "area_image_caption"));
	cr_assert(has_field(r, "cover_caption"));
	cr_assert(has_field(r, "cover_description"));
	cr_assert(has_field(r, "bankgiro"));
	hresp_free(r);
	/* 1001 characters of description is over the create limit (H-14) */
	{
		char body[1400], desc[1002];
		memset(desc, 'a', 1001);
		desc[1001] = '\0';
		snprintf(body, sizeof(body), "{\"legal_name\": \"A\", \"city\": \"B\", \"area_description\": \"%s\"}",
			 desc);
		r = harness_auth(h, "POST", "/api/v4/estate", co.admin_token, body);
		expect_invalid(r, "area_description");
		hresp_free(r);
	}
	r = harness_auth(h, "POST", "/api/v4/estate", co.admin_token, "[1]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v4/estate", co.admin_token, "{\"legal_name\": ");
	expect_error(r, 400, "ParseError");
	hresp_free(r);
	/* Unicode letters pass the \w of the city pattern */
	create_estate(co.admin_token, "{\"legal_name\": \"Å\", \"city\": \"Upplands Väsby\", \"org_number\": \"\"}");
}

Test(estates, auth_rights_and_offices)
{
	char observer[1024], employee[1024];
	struct fixture_company other;
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	fixture_employee(h, co.id, co.root_office, "employee", "emp", employee);
	r = harness_auth(h, "POST", "/api/v4/estate", NULL, "{\"legal_name\": \"A\", \"city\": \"B\"}");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v4/estate", observer, "{\"legal_name\": \"A\", \"city\": \"B\"}");
	expect_no_right(r, "entity.estate.update");
	hresp_free(r);
	/* bank details need their own right, on create as on update */
	r = harness_auth(h, "POST", "/api/v4/estate", employee, "{\"legal_name\": \"A\", \"city\": \"B\", \"bankgiro\": \"1\"}");
	expect_no_right(r, "entity.estate.update.bank_details");
	hresp_free(r);
	create_estate(employee, "{\"legal_name\": \"A\", \"city\": \"B\"}");
	fixture_company(h, "Other", &other);
	r = reqf(h, "POST", "/api/v4/estate", co.admin_token, "{\"legal_name\": \"A\", \"city\": \"B\", \"office\": %lld}",
		 (long long)other.root_office);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v4/estate", co.admin_token,
			 "{\"legal_name\": \"A\", \"city\": \"B\", \"office\": 999999}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(estates, update_limits_and_bank_details)
{
	char employee[1024], p[512];
	int64_t id = create_estate(co.admin_token,
				   "{\"legal_name\": \"A\", \"city\": \"Stockholm\", \"bankgiro\": \"111-1111\"}");
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "employee", "emp", employee);
	pathf(p, "/api/v4/estate/%lld", (long long)id);
	/* update allows short and long descriptions (H-14): no minimum, up to 3000 */
	r = harness_auth(h, "PATCH", p, employee,
			 "{\"area_description\": \"kort\", \"cover_caption\": \"x\", \"legal_name\": \"B\","
			 " \"landlord_object_id\": null, \"org_number\": null, \"bankgiro\": \"111-1111\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "area_description"), "kort");
	cr_assert_str_eq(hresp_str(r, "name"), "B");
	cr_assert_str_eq(hresp_str(r, "city"), "Stockholm");
	cr_assert_str_eq(hresp_str(r, "org_number"), "");
	hresp_free(r);
	r = harness_auth(h, "PATCH", p, employee, "{\"bankgiro\": \"222-2222\"}");
	expect_no_right(r, "entity.estate.update.bank_details");
	hresp_free(r);
	r = harness_auth(h, "PUT", p, employee, "{\"postgiro\": \"1\"}");
	expect_no_right(r, "entity.estate.update.bank_details");
	hresp_free(r);
	r = harness_auth(h, "PUT", p, co.admin_token, "{\"bankgiro\": \"222-2222\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "222-2222");
	hresp_free(r);
	r = harness_auth(h, "PATCH", p, employee, "{\"cover_caption\": \"0123456789012345678901234567890123456789012345678901234567890123456789x\", \"city\": \"a/b\", \"org_number\": \"12\"}");
	expect_invalid(r, "cover_caption");
	cr_assert(has_field(r, "city"));
	cr_assert(has_field(r, "org_number"));
	hresp_free(r);
	{
		char body[3200], desc[3002];
		memset(desc, 'a', 3001);
		desc[3001] = '\0';
		snprintf(body, sizeof(body), "{\"area_description\": \"%s\"}", desc);
		r = harness_auth(h, "PATCH", p, employee, body);
		expect_invalid(r, "area_description");
		hresp_free(r);
		desc[3000] = '\0';
		snprintf(body, sizeof(body), "{\"area_description\": \"%s\"}", desc);
		r = harness_auth(h, "PATCH", p, employee, body);
		cr_assert_eq(r->status, 200, "%s", r->body);
		hresp_free(r);
	}
}

Test(estates, scope_observer_and_other_companies)
{
	char observer[1024], sub[1024], p[512];
	int64_t north = fixture_office(h, co.id, co.root_office, "North");
	int64_t south = fixture_office(h, co.id, co.root_office, "South");
	int64_t id;
	struct fixture_company other;
	struct hresp *r;

	r = reqf(h, "POST", "/api/v4/estate", co.admin_token, "{\"legal_name\": \"A\", \"city\": \"B\", \"office\": %lld}",
		 (long long)south);
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	pathf(p, "/api/v4/estate/%lld", (long long)id);
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	fixture_employee(h, co.id, north, "admin", "northadmin", sub);
	r = harness_auth(h, "PATCH", p, observer, "{\"legal_name\": \"C\"}");
	expect_no_right(r, "entity.estate.update");
	hresp_free(r);
	r = harness_auth(h, "DELETE", p, observer, NULL);
	expect_no_right(r, "entity.estate.update");
	hresp_free(r);
	/* outside the sub-office admin's subtree: 404 for writes, the public view for reads */
	r = harness_auth(h, "PATCH", p, sub, "{\"legal_name\": \"C\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", p, sub, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v4/estate", sub, "{\"legal_name\": \"A\", \"city\": \"B\", \"office\": %lld}",
		 (long long)south);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get_estate(sub, id);
	cr_assert_eq(r->status, 200);
	cr_assert_null(json_object_get(r->json, "bankgiro"));
	hresp_free(r);
	fixture_company(h, "Other", &other);
	r = harness_auth(h, "PATCH", p, other.admin_token, "{\"legal_name\": \"C\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", p, other.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "PATCH", "/api/v4/estate/999999", co.admin_token, "{}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(estates, delete_refuses_while_apartments_remain)
{
	char p[512], ap[512];
	int64_t id = create_estate(co.admin_token, "{\"legal_name\": \"A\", \"city\": \"Stockholm\"}");
	struct hresp *r;
	long long apt;

	r = reqf(h, "POST", "/api/v4/apartment", co.admin_token, apartment_body, (long long)id, "1", "NONE", "false");
	cr_assert_eq(r->status, 201, "%s", r->body);
	apt = hresp_int(r, "id");
	hresp_free(r);
	pathf(p, "/api/v4/estate/%lld", (long long)id);
	r = harness_auth(h, "DELETE", p, co.admin_token, NULL);
	expect_error(r, 409, "EstateHasApartments");
	hresp_free(r);
	expect_status_free(harness_auth(h, "DELETE", pathf(ap, "/api/v4/apartment/%lld", apt), co.admin_token, NULL),
			   204);
	expect_status_free(harness_auth(h, "DELETE", p, co.admin_token, NULL), 204);
	r = get_estate(co.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", p, co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(estates, company_reset_removes_the_inventory)
{
	int64_t id = create_estate(co.admin_token, "{\"legal_name\": \"A\", \"city\": \"Stockholm\"}");
	struct hresp *r;

	add_apartment(id, "1", "NONE", "false");
	expect_status_free(harness_auth(h, "POST", "/api/v1/company/reset/", co.admin_token, "{}"), 200);
	r = get_estate(co.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}
