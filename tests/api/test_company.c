/*
 * Company endpoints (homeq.md §7, §12.2, §15 rules 13, 14, 16; decisions.md G-02,
 * H-03, H-09, H-37): GET in both forms, PATCH/PUT with every field and its rules,
 * and the environment reset.
 */
#include <openssl/evp.h>
#include <sodium.h>

#include "org_common.h"

#define RIGHT_ORG "entity.organization"

static struct harness *h;
static struct fixture_company co;
static char media_dir[64];
static char logo_a[64], cover_b[64];

static void use_own_media_dir(struct config *cfg)
{
	snprintf(media_dir, sizeof(media_dir), "/tmp/rentd-company-XXXXXX");
	cr_assert(mkdtemp(media_dir));
	snprintf(cfg->media_dir, sizeof(cfg->media_dir), "%s", media_dir);
}

/* An uploaded file reference of this kind (a small PNG whose bytes differ per call). */
static void upload_png(const char *token, const char *entity, char out[64])
{
	static unsigned seq;
	unsigned char data[120], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char md5[25], cl[64];
	const char *headers[] = { cl, NULL };
	const char *base = app_config(h->app)->public_url, *url;
	struct hresp *r, *u;

	memset(data, 0x11, sizeof(data));
	memcpy(data, "\x89PNG\r\n\x1a\n", 8);
	snprintf((char *)data + 16, 16, "n%u", ++seq);
	cr_assert(EVP_Digest(data, sizeof(data), md, &mdlen, EVP_md5(), NULL));
	sodium_bin2base64(md5, sizeof(md5), md, mdlen, sodium_base64_VARIANT_ORIGINAL);
	r = reqf(h, "POST", "/api/v1/file_reference/", token,
		 "{\"entity_type\":\"%s\",\"mime_type\":\"image/png\",\"content_length\":%zu,\"content_md5\":\"%s\"}",
		 entity, sizeof(data), md5);
	cr_assert_eq(r->status, 201, "%s", r->body);
	snprintf(out, 64, "%s", hresp_str(r, "file_reference"));
	url = hresp_str(r, "signed_url");
	snprintf(cl, sizeof(cl), "Content-Length: %zu", sizeof(data));
	u = harness_request_ex(h, "PUT", url + strlen(base), "image/png", (const char *)data, sizeof(data), headers);
	cr_assert_eq(u->status, 200, "%s", u->body);
	hresp_free(u);
	hresp_free(r);
}

static void setup(void)
{
	h = harness_create_with(use_own_media_dir);
	fixture_company(h, "Acme", &co);
	upload_png(co.admin_token, "logo_image", logo_a);
	upload_png(co.admin_token, "cover_image", cover_b);
}

static void teardown(void)
{
	char cmd[128];
	harness_destroy(h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", media_dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(company, .init = setup, .fini = teardown);

/* The company as the admin reads it (caller frees). */
static struct hresp *get_company(void)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/company/", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	return r;
}

Test(company, get_as_employee_has_company_shape)
{
	static const char *const keys[] = { "bankgiro", "cover_image", "external_reservation_link",
					    "has_fast_api_key", "id", "logo_image", "minimum_up_time", "name",
					    "org_number", "postgiro", "tier", NULL };
	static const char *const tier_keys[] = { "enabled_features", "id", "name", NULL };
	char tok[1024];
	struct hresp *r;
	json_t *tier;

	fixture_employee(h, co.id, 0, "observer", "obs", tok);
	r = harness_auth(h, "GET", "/api/v1/company/", tok, NULL); /* no right needed to read */
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(r->content_type, "application/json");
	expect_keys(r->json, keys);
	cr_assert_eq(hresp_int(r, "id"), co.id);
	cr_assert_str_eq(hresp_str(r, "name"), "Acme");
	cr_assert_eq(hresp_int(r, "minimum_up_time"), 24);
	cr_assert(json_is_false(json_object_get(r->json, "has_fast_api_key")));
	cr_assert(json_is_null(json_object_get(r->json, "logo_image")));
	cr_assert(json_is_null(json_object_get(r->json, "cover_image")));
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "");
	cr_assert_str_eq(hresp_str(r, "postgiro"), "");
	cr_assert_str_eq(hresp_str(r, "org_number"), "");
	cr_assert_str_eq(hresp_str(r, "external_reservation_link"), "");
	tier = json_object_get(r->json, "tier");
	expect_keys(tier, tier_keys);
	cr_assert(json_is_array(json_object_get(tier, "enabled_features")));
	cr_assert(json_is_integer(json_object_get(tier, "id")));
	cr_assert(json_is_string(json_object_get(tier, "name")));
	hresp_free(r);
}

Test(company, employee_sees_only_its_own_company)
{
	struct fixture_company other;
	struct hresp *r;

	fixture_company(h, "Other", &other);
	r = harness_auth(h, "GET", "/api/v1/company/", other.admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(hresp_int(r, "id"), other.id);
	cr_assert_str_eq(hresp_str(r, "name"), "Other");
	hresp_free(r);
}

Test(company, consumer_gets_list_of_all_companies)
{
	static const char *const keys[] = { "id", "name", NULL };
	struct fixture_company other;
	char tok[1024];
	struct hresp *r;
	size_t i;
	json_t *v;

	fixture_company(h, "Bygg AB", &other);
	fixture_consumer(h, "anna@example.com", tok);
	r = harness_auth(h, "GET", "/api/v1/company/", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_array(r->json), "%s", r->body);
	cr_assert_eq(json_array_size(r->json), 2);
	json_array_foreach (r->json, i, v)
		expect_keys(v, keys);
	cr_assert_str_eq(jstr(find_id(r->json, co.id), "name"), "Acme");
	cr_assert_str_eq(jstr(find_id(r->json, other.id), "name"), "Bygg AB");
	hresp_free(r);
}

Test(company, get_without_token_is_401)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/company/", NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/company/", "not.a.token", NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
}

Test(company, patch_sets_every_field)
{
	struct hresp *r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token,
			       "{\"bankgiro\":\"5050-1055\",\"postgiro\":\"4711-2\",\"org_number\":\"556677-8899\","
			       "\"external_reservation_link\":\"https://crm.example.com/reserve\","
			       "\"fast_api_key\":\"k-123\",\"logo_image_id\":\"%s\",\"cover_image_id\":\"%s\","
			       "\"minimum_up_time\":48}",
			       logo_a, cover_b);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "5050-1055");
	hresp_free(r);

	r = get_company();
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "5050-1055");
	cr_assert_str_eq(hresp_str(r, "postgiro"), "4711-2");
	cr_assert_str_eq(hresp_str(r, "org_number"), "556677-8899");
	cr_assert_str_eq(hresp_str(r, "external_reservation_link"), "https://crm.example.com/reserve");
	cr_assert(json_is_true(json_object_get(r->json, "has_fast_api_key")));
	cr_assert_eq(hresp_int(r, "minimum_up_time"), 48);
	cr_assert_str_eq(jstr(json_object_get(r->json, "logo_image"), "id"), logo_a);
	cr_assert_str_eq(jstr(json_object_get(r->json, "cover_image"), "id"), cover_b);
	cr_assert_str_eq(hresp_str(r, "name"), "Acme");
	cr_assert(json_object_get(r->json, "fast_api_key") == NULL, "the key itself is never shown");
	hresp_free(r);
}

Test(company, patch_is_partial_and_put_is_an_alias)
{
	struct hresp *r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token,
			       "{\"bankgiro\":\"111-2222\",\"postgiro\":\"33-4\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);

	r = reqf(h, "PUT", "/api/v1/company/", co.admin_token, "{\"postgiro\":\"55-6\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "postgiro"), "55-6");
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "111-2222", "PUT keeps absent fields (G-02)");
	hresp_free(r);

	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "111-2222");
	cr_assert_str_eq(hresp_str(r, "postgiro"), "55-6");
	hresp_free(r);
}

Test(company, minimum_up_time_below_24_is_412_and_changes_nothing)
{
	struct hresp *r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token,
			       "{\"minimum_up_time\":23,\"bankgiro\":\"999-9999\"}");
	expect_invalid(r, "minimum_up_time");
	hresp_free(r);

	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"minimum_up_time\":24}");
	cr_assert_eq(r->status, 200, "24 is the minimum, inclusive: %s", r->body);
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"minimum_up_time\":-1}");
	expect_invalid(r, "minimum_up_time");
	hresp_free(r);

	r = get_company();
	cr_assert_eq(hresp_int(r, "minimum_up_time"), 24);
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "", "a failed write changes nothing");
	hresp_free(r);
}

Test(company, wrong_types_name_every_field)
{
	struct hresp *r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token,
			       "{\"bankgiro\":5,\"postgiro\":true,\"org_number\":[],\"minimum_up_time\":\"soon\","
			       "\"external_reservation_link\":{},\"fast_api_key\":1.5,\"logo_image_id\":7}");
	expect_invalid(r, "bankgiro");
	cr_assert(has_field(r, "postgiro"));
	cr_assert(has_field(r, "org_number"));
	cr_assert(has_field(r, "minimum_up_time"));
	cr_assert(has_field(r, "external_reservation_link"));
	cr_assert(has_field(r, "fast_api_key"));
	cr_assert(has_field(r, "logo_image_id"));
	hresp_free(r);

	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "[1,2]");
	cr_assert(r->status == 412 || r->status == 400, "a non-object body is refused: %d", r->status);
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"bankgiro\":");
	expect_error(r, 400, "ParseError");
	hresp_free(r);

	r = get_company();
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "");
	cr_assert(json_is_false(json_object_get(r->json, "has_fast_api_key")));
	hresp_free(r);
}

Test(company, too_long_strings_are_412)
{
	char link[2100];
	struct hresp *r;

	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"bankgiro\":\"%s\"}", "123456789012345678901");
	expect_invalid(r, "bankgiro");
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"org_number\":\"%s\"}", "123456789012345678901");
	expect_invalid(r, "org_number");
	hresp_free(r);

	snprintf(link, sizeof(link), "https://example.com/%s", "");
	memset(link + strlen(link), 'a', 2001 - strlen(link));
	link[2001] = '\0';
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"external_reservation_link\":\"%s\"}", link);
	expect_invalid(r, "external_reservation_link");
	hresp_free(r);

	r = get_company();
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "");
	cr_assert_str_eq(hresp_str(r, "org_number"), "");
	cr_assert_str_eq(hresp_str(r, "external_reservation_link"), "");
	hresp_free(r);
}

Test(company, external_reservation_link_must_be_http_url)
{
	static const char *const bad[] = { "ftp://example.com/x", "example.com", "https://", "javascript:alert(1)",
					   NULL };
	struct hresp *r;

	for (int i = 0; bad[i]; i++) {
		r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"external_reservation_link\":\"%s\"}", bad[i]);
		expect_invalid(r, "external_reservation_link");
		hresp_free(r);
	}
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token,
		 "{\"external_reservation_link\":\"http://crm.example.com/r?x=1\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = get_company();
	cr_assert_str_eq(hresp_str(r, "external_reservation_link"), "http://crm.example.com/r?x=1");
	hresp_free(r);
}

Test(company, images_must_be_uploaded_references_of_their_kind_and_null_clears)
{
	struct hresp *r;
	json_t *logo;
	char pending[64];

	/* unknown, of another kind (a cover as the logo), or a wrong type */
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"logo_image_id\":\"123\"}");
	expect_invalid(r, "logo_image_id");
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"logo_image_id\":\"%s\"}", cover_b);
	expect_invalid(r, "logo_image_id");
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"cover_image_id\":7}");
	expect_invalid(r, "cover_image_id");
	hresp_free(r);
	/* a reference that was never uploaded */
	r = reqf(h, "POST", "/api/v1/file_reference/", co.admin_token,
		 "{\"entity_type\":\"logo_image\",\"mime_type\":\"image/png\",\"content_length\":10,"
		 "\"content_md5\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	snprintf(pending, sizeof(pending), "%s", hresp_str(r, "file_reference"));
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"logo_image_id\":\"%s\"}", pending);
	expect_invalid(r, "logo_image_id");
	hresp_free(r);
	r = get_company();
	cr_assert(json_is_null(json_object_get(r->json, "logo_image")), "nothing was stored");
	hresp_free(r);

	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"logo_image_id\":\"%s\",\"cover_image_id\":\"%s\"}",
		 logo_a, cover_b);
	cr_assert_eq(r->status, 200, "%s", r->body);
	logo = json_object_get(r->json, "logo_image");
	cr_assert_str_eq(jstr(logo, "id"), logo_a);
	cr_assert_not_null(strstr(jstr(logo, "url"), "/media/"), "%s", r->body);
	cr_assert(json_is_null(json_object_get(logo, "thumbnail_url")));
	hresp_free(r);

	r = reqf(h, "PATCH", "/api/v1/company/", co.admin_token, "{\"logo_image_id\":null}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_null(json_object_get(r->json, "logo_image")));
	hresp_free(r);

	r = get_company();
	cr_assert(json_is_null(json_object_get(r->json, "logo_image")), "null clears the logo");
	cr_assert_str_eq(jstr(json_object_get(r->json, "cover_image"), "id"), cover_b, "cover untouched");
	hresp_free(r);
}

Test(company, patch_without_organization_right_is_403)
{
	char mgr[1024], obs[1024];
	struct hresp *r;

	fixture_employee(h, co.id, 0, "manager", "mgr", mgr);
	fixture_employee(h, co.id, 0, "observer", "obs", obs);
	r = reqf(h, "PATCH", "/api/v1/company/", mgr, "{\"bankgiro\":\"123-4567\"}");
	expect_no_right(r, RIGHT_ORG);
	hresp_free(r);
	r = reqf(h, "PUT", "/api/v1/company/", obs, "{\"minimum_up_time\":72}");
	expect_no_right(r, RIGHT_ORG);
	hresp_free(r);

	r = get_company();
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "");
	cr_assert_eq(hresp_int(r, "minimum_up_time"), 24);
	hresp_free(r);
}

Test(company, consumer_cannot_patch)
{
	char tok[1024];
	struct hresp *r;

	fixture_consumer(h, "bo@example.com", tok);
	r = reqf(h, "PATCH", "/api/v1/company/", tok, "{\"bankgiro\":\"123-4567\"}");
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/company/reset/", tok, "{}");
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v1/company/", NULL, "{\"bankgiro\":\"123-4567\"}");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);

	r = get_company();
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "");
	hresp_free(r);
}

Test(company, reset_needs_the_right_and_keeps_employees)
{
	char mgr[1024];
	int64_t mgr_id, office;
	struct hresp *r;

	office = fixture_office(h, co.id, co.root_office, "Göteborg");
	mgr_id = fixture_employee(h, co.id, office, "manager", "mgr", mgr);

	r = harness_auth(h, "POST", "/api/v1/company/reset/", mgr, "{}");
	expect_no_right(r, RIGHT_ORG);
	hresp_free(r);

	r = harness_auth(h, "POST", "/api/v1/company/reset/", co.admin_token, "{}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "reset")), "%s", r->body);
	hresp_free(r);

	/* employees, their tokens, offices and right profiles survive */
	r = harness_auth(h, "GET", "/api/v1/employees/", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(find_id(json_object_get(r->json, "employees"), mgr_id));
	cr_assert(find_id(json_object_get(r->json, "employees"), co.admin_id));
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/company/", mgr, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/offices/?mode=manage", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(find_id(r->json, office));
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/right_profiles/", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "right_profiles")), 4);
	hresp_free(r);
}

Test(company, reset_of_one_company_leaves_another_alone)
{
	struct fixture_company other;
	struct hresp *r;

	fixture_company(h, "Other", &other);
	r = reqf(h, "PATCH", "/api/v1/company/", other.admin_token, "{\"bankgiro\":\"123-4567\"}");
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/company/reset/", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "no body is fine for an action POST: %s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/company/", other.admin_token, NULL);
	cr_assert_str_eq(hresp_str(r, "bankgiro"), "123-4567");
	hresp_free(r);
}
