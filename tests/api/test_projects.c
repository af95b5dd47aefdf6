/*
 * Projects (homeq.md §11f, §12.6, §14, §15 rules 47–53; decisions.md G-01, G-02, G-03,
 * H-02, H-04, H-09, H-12, H-13, H-15, H-16, H-33, H-34, H-43): create (office default),
 * list (external_id, subtree), the public and the landlord view, update, publishing and
 * its prerequisites, delete, estates (every documented error), the inventory with its
 * stage rules, pictures, videos, 3D views, freetext, location, timeline, media, range
 * information, the listing defaults for project rentals, rights, scope and bad input.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "core/listings/projects.h"
#include "org_common.h"

#define RIGHT_PROJECT "entity.Project.update"
#define RIGHT_ADV "entity.object_ad.update.advanced"

static char media_dir[256];
static struct harness *h;
static struct fixture_company co, other;
static int64_t sub_office;
static unsigned upload_seq;

static void use_own_media_dir(struct config *cfg)
{
	snprintf(media_dir, sizeof(media_dir), "/tmp/rentd-projects-XXXXXX");
	cr_assert(mkdtemp(media_dir));
	snprintf(cfg->media_dir, sizeof(cfg->media_dir), "%s", media_dir);
}

static void setup(void)
{
	h = harness_create_with(use_own_media_dir);
	fixture_company(h, "Acme", &co);
	fixture_company(h, "Other", &other);
	sub_office = fixture_office(h, co.id, co.root_office, "Uppsala");
}

static void teardown(void)
{
	char cmd[300];
	harness_destroy(h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", media_dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(projects, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static int64_t created_id(struct hresp *r, int status)
{
	int64_t id;
	cr_assert_eq(r->status, status, "%s", r->body);
	id = hresp_int(r, "id");
	cr_assert(id > 0, "%s", r->body);
	hresp_free(r);
	return id;
}

static int64_t make_estate(const char *token, int64_t office)
{
	return created_id(reqf(h, "POST", "/api/v4/estate", token,
			       "{\"legal_name\": \"Estate\", \"city\": \"Uppsala\", \"office\": %lld}", (long long)office),
			  200);
}

static int64_t make_apartment(const char *token, int64_t estate, const char *nid, int rent)
{
	return created_id(reqf(h, "POST", "/api/v4/apartment", token,
			       "{\"estate\": %lld, \"street_name\": \"Gatan\", \"street_number\": \"%s\","
			       " \"zip_code\": \"75310\", \"national_id\": \"%s\", \"latitude\": 59.8586,"
			       " \"longitude\": 17.6389, \"area\": 40, \"floor\": 2, \"rent\": %d, \"rooms\": 2,"
			       " \"landlord_object_id\": \"L-%s\"}",
			       (long long)estate, nid + 3, nid, rent, nid),
			  201);
}

static int64_t make_project(const char *token, const char *name)
{
	return created_id(reqf(h, "POST", "/api/v1/projects/", token, "{\"name\": \"%s\"}", name), 201);
}

static int64_t make_requirement(const char *token)
{
	return created_id(harness_auth(h, "POST", "/api/v1/requirements/", token, "{\"name\": \"Standard\"}"), 201);
}

static const char *proj(char *p, int64_t id, const char *sub)
{
	return pathf(p, "/api/v1/projects/%lld%s", (long long)id, sub);
}

static struct hresp *get_project(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "GET", proj(p, id, ""), token, NULL);
}

static struct hresp *patch_project(const char *token, int64_t id, const char *body)
{
	char p[512];
	return harness_auth(h, "PATCH", proj(p, id, ""), token, body);
}

static struct hresp *add_estate(const char *token, int64_t id, int64_t estate)
{
	char p[512];
	return harness_auth(h, "POST", pathf(p, "/api/v1/projects/%lld/estates/%lld", (long long)id, (long long)estate),
			    token, NULL);
}

static struct hresp *remove_estate(const char *token, int64_t id, int64_t estate)
{
	char p[512];
	return harness_auth(h, "DELETE", pathf(p, "/api/v1/projects/%lld/estates/%lld/", (long long)id, (long long)estate),
			    token, NULL);
}

/* A project ready to publish: an estate of its office and the two info texts. */
static int64_t publishable(const char *name, int64_t *estate_out)
{
	int64_t id = make_project(co.admin_token, name), estate = make_estate(co.admin_token, co.root_office);
	expect_status_free(add_estate(co.admin_token, id, estate), 200);
	expect_status_free(patch_project(co.admin_token, id, "{\"info_header\": \"New homes\","
							      " \"info_description\": \"Forty new homes by the river.\"}"),
			   200);
	if (estate_out)
		*estate_out = estate;
	return id;
}

static int64_t published(const char *name, int64_t *estate_out)
{
	int64_t id = publishable(name, estate_out);
	expect_status_free(patch_project(co.admin_token, id, "{\"published\": true}"), 200);
	return id;
}

static const char *today(char buf[11])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
	return buf;
}

/* Everything the owner reads of a project (defined below). */
static char *snapshot(int64_t id);

/* ---- uploads (as test_inventory_media.c) ---- */

static char *upload(const char *token, const char *entity, const char *mime, const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char md5[25], cl[64], *id, *path = NULL;
	const char *headers[2] = { cl, NULL };
	const char *url, *base = app_config(h->app)->public_url;
	struct hresp *r;

	cr_assert(EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL));
	sodium_bin2base64(md5, sizeof(md5), md, mdlen, sodium_base64_VARIANT_ORIGINAL);
	r = reqf(h, "POST", "/api/v1/file_reference/", token,
		 "{\"entity_type\":\"%s\",\"mime_type\":\"%s\",\"content_length\":%zu,\"content_md5\":\"%s\"}", entity,
		 mime, len, md5);
	cr_assert(r->status == 201 || r->status == 200, "%s", r->body);
	id = strdup(hresp_str(r, "file_reference"));
	url = hresp_str(r, "signed_url");
	if (url)
		path = strdup(url + strlen(base));
	hresp_free(r);
	if (!path)
		return id;
	snprintf(cl, sizeof(cl), "Content-Length: %zu", len);
	r = harness_request_ex(h, "PUT", path, mime, data, len, headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	free(path);
	return id;
}

static char *upload_image(const char *token, const char *entity)
{
	unsigned char data[200];
	memset(data, 0x42, sizeof(data));
	memcpy(data, "\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);
	snprintf((char *)data + 20, 20, "n%u", ++upload_seq);
	return upload(token, entity, "image/jpeg", data, sizeof(data));
}

static char *upload_video(const char *token, const char *entity)
{
	unsigned char data[100];
	memset(data, 0, sizeof(data));
	memcpy(data, "\x00\x00\x00\x18"
		     "ftypmp42",
	       12);
	snprintf((char *)data + 40, 20, "v%u", ++upload_seq);
	return upload(token, entity, "video/mp4", data, sizeof(data));
}

/* ---- create and list ---- */

static const char *const list_keys[] = { "apartments", "closed", "external_id", "id", "name", "office",
					 "published", "status", NULL };

Test(projects, create_defaults_to_the_selected_office)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v1/projects/", co.admin_token,
				       "{\"name\": \"Riverside\", \"external_id\": \"EXT-1\"}");
	int64_t id;

	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "external_id", "id", "name", NULL });
	cr_assert_str_eq(hresp_str(r, "external_id"), "EXT-1");
	cr_assert_str_eq(hresp_str(r, "name"), "Riverside");
	id = hresp_int(r, "id");
	hresp_free(r);
	r = get_project(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(jint(json_object_get(r->json, "office"), "id"), co.root_office);
	/* the office's defaults: queue points, manual_selection_lock = "D" (H-16) */
	cr_assert_str_eq(hresp_str(r, "candidate_sorting_mode"), "queue_points");
	cr_assert_str_eq(hresp_str(r, "contract_system"), "D");
	cr_assert_str_eq(hresp_str(r, "status"), "Not published");
	cr_assert(json_is_false(json_object_get(r->json, "published")));
	cr_assert(json_is_null(json_object_get(r->json, "publish_date")));
	cr_assert(json_is_null(json_object_get(r->json, "close_date")));
	cr_assert(json_is_null(json_object_get(r->json, "preliminary_move_in_date")));
	cr_assert_str_eq(hresp_str(r, "info_header"), "");
	hresp_free(r);

	r = reqf(h, "POST", "/api/v1/projects", co.admin_token, "{\"name\": \"Sub\", \"office\": %lld}",
		 (long long)sub_office);
	id = created_id(r, 201);
	r = get_project(co.admin_token, id);
	cr_assert_eq(jint(json_object_get(r->json, "office"), "id"), sub_office);
	cr_assert(json_is_null(json_object_get(r->json, "external_id")));
	hresp_free(r);
}

Test(projects, create_in_an_office_out_of_reach_is_not_found)
{
	char subadmin[1024];
	struct hresp *r;

	fixture_employee(h, co.id, sub_office, "admin", "subadmin", subadmin);
	r = reqf(h, "POST", "/api/v1/projects/", co.admin_token, "{\"name\": \"X\", \"office\": %lld}",
		 (long long)other.root_office);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/projects/", subadmin, "{\"name\": \"X\", \"office\": %lld}",
		 (long long)co.root_office);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* without an office it lands in the sub-office admin's own */
	r = harness_auth(h, "POST", "/api/v1/projects/", subadmin, "{\"name\": \"Mine\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM projects"), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT office_id FROM projects"), sub_office);
}

Test(projects, create_bad_input)
{
	static const struct {
		const char *body;
		const char *field;
	} cases[] = {
		{ "{}", "name" },
		{ "{\"name\": \"\"}", "name" },
		{ "{\"name\": 7}", "name" },
		{ "{\"name\": \"x\", \"external_id\": 5}", "external_id" },
		{ "{\"name\": \"x\", \"office\": \"root\"}", "office" },
		{ "{\"name\": \"x\", \"office\": 0}", "office" },
	};
	char big[200];
	struct hresp *r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = harness_auth(h, "POST", "/api/v1/projects/", co.admin_token, cases[i].body);
		expect_invalid(r, cases[i].field);
		hresp_free(r);
	}
	memset(big, 'x', 129);
	big[129] = '\0';
	r = reqf(h, "POST", "/api/v1/projects/", co.admin_token, "{\"name\": \"%s\"}", big);
	expect_invalid(r, "name");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/projects/", co.admin_token, "{\"name\": \"x\", \"external_id\": \"%s\"}", big);
	expect_invalid(r, "external_id");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM projects"), 0);
}

Test(projects, list_with_external_id_and_scope)
{
	int64_t a = make_project(co.admin_token, "A"), b, c, theirs = make_project(other.admin_token, "Theirs");
	int64_t estate = make_estate(co.admin_token, co.root_office);
	char subadmin[1024];
	struct hresp *r;
	json_t *arr, *item;

	b = created_id(harness_auth(h, "POST", "/api/v1/projects/", co.admin_token,
				    "{\"name\": \"B\", \"external_id\": \"B-1\"}"),
		       201);
	c = created_id(reqf(h, "POST", "/api/v1/projects/", co.admin_token, "{\"name\": \"C\", \"office\": %lld}",
			    (long long)sub_office),
		       201);
	make_apartment(co.admin_token, estate, "1001", 8000);
	make_apartment(co.admin_token, estate, "1002", 9000);
	expect_status_free(add_estate(co.admin_token, a, estate), 200);

	r = harness_auth(h, "GET", "/api/v1/projects", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "projects", NULL });
	arr = json_object_get(r->json, "projects");
	cr_assert_eq(json_array_size(arr), 3, "%s", r->body);
	cr_assert_null(find_id(arr, theirs));
	item = find_id(arr, a);
	expect_keys(item, list_keys);
	cr_assert_eq(jint(item, "apartments"), 2);
	cr_assert_eq(jint(item, "office"), co.root_office);
	cr_assert_str_eq(jstr(item, "status"), "Not published");
	cr_assert(json_is_null(json_object_get(item, "external_id")));
	cr_assert_eq(jint(find_id(arr, b), "apartments"), 0);
	hresp_free(r);

	r = harness_auth(h, "GET", "/api/v1/projects/?external_id=B-1", co.admin_token, NULL);
	arr = json_object_get(r->json, "projects");
	cr_assert_eq(json_array_size(arr), 1, "%s", r->body);
	cr_assert_eq(jint(json_array_get(arr, 0), "id"), b);
	cr_assert_str_eq(jstr(json_array_get(arr, 0), "external_id"), "B-1");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/projects/?external_id=nope", co.admin_token, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "projects")), 0, "%s", r->body);
	hresp_free(r);

	/* an employee rooted in the sub-office sees its subtree only */
	fixture_employee(h, co.id, sub_office, "observer", "subobs", subadmin);
	r = harness_auth(h, "GET", "/api/v1/projects/", subadmin, NULL);
	arr = json_object_get(r->json, "projects");
	cr_assert_eq(json_array_size(arr), 1, "%s", r->body);
	cr_assert_eq(jint(json_array_get(arr, 0), "id"), c);
	hresp_free(r);
}

/* ---- views ---- */

static const char *const landlord_keys[] = {
	"apartment_count", "area_info_description", "area_info_header", "autopilot", "candidate_sorting_mode",
	"close_date", "closed", "contract_system", "external_id", "id", "info_description", "info_header",
	"is_short_lease", "landlord", "logo", "name", "office", "preliminary_move_in_date",
	"prioritize_existing_tenants", "public_profile_slug", "publish_date", "published", "range_information",
	"show_area_info_module", "show_area_media_module", "show_email_collection_module", "show_freetext_module",
	"show_timeline_module", "status", "viewing_notes", NULL
};

/* ProjectPublic plus the observed live extras the model has data for (H-43). */
static const char *const public_keys[] = {
	"apartment_count", "area_info_description", "area_info_header", "candidate_sorting_mode", "close_date",
	"closed", "contract_system", "freetext_entries", "id", "info_description", "info_header", "is_short_lease",
	"landlord", "logo", "name", "office", "preliminary_move_in_date", "project_location", "public_profile_slug",
	"publish_date", "published", "range_information", "show_area_info_module", "show_area_media_module",
	"show_email_collection_module", "show_freetext_module", "show_timeline_module", "status",
	"timeline_entries", NULL
};

Test(projects, landlord_view_and_public_view)
{
	int64_t id = publishable("Riverside", NULL);
	char consumer[1024], outsider[1024], p[512];
	struct hresp *r;
	json_t *ranges;

	fixture_consumer(h, "c@example.com", consumer);
	fixture_employee(h, co.id, sub_office, "admin", "outsider", outsider);

	r = get_project(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, landlord_keys);
	expect_keys(json_object_get(r->json, "autopilot"), (const char *const[]){ "next_engagement", "state", NULL });
	cr_assert_str_eq(jstr(json_object_get(r->json, "autopilot"), "state"), "INACTIVE");
	cr_assert_eq(jint(json_object_get(r->json, "landlord"), "id"), co.id);
	cr_assert_str_eq(jstr(json_object_get(r->json, "landlord"), "name"), "Acme");
	cr_assert(json_is_null(json_object_get(r->json, "logo")));
	ranges = json_object_get(r->json, "range_information");
	expect_keys(ranges, (const char *const[]){ "area", "floor", "rent", "rooms", NULL });
	cr_assert_eq(json_array_size(json_object_get(ranges, "rent")), 0, "no listings yet: %s", r->body);
	hresp_free(r);

	/* not published: invisible to the public, to consumers, to other companies and other subtrees */
	r = get_project(NULL, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get_project(consumer, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get_project(other.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get_project(outsider, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = patch_project(outsider, id, "{\"name\": \"Mine\"}"); /* another subtree: not found for writes either */
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "GET", proj(p, id, ""), "not-a-token", NULL);
	expect_error(r, 401, "Unauthorized"); /* H-36: a bad token on a public read is still 401 */
	hresp_free(r);

	expect_status_free(patch_project(co.admin_token, id, "{\"published\": true, \"viewing_notes\": \"Ring twice\"}"),
			   200);
	r = harness_request(h, "GET", proj(p, id, "/"), NULL); /* the trailing slash is optional (G-01) */
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, public_keys);
	cr_assert_str_eq(hresp_str(r, "status"), "Published");
	cr_assert_str_eq(jstr(json_object_get(r->json, "office"), "name"), "Acme");
	cr_assert(json_is_array(json_object_get(r->json, "freetext_entries")));
	cr_assert(json_is_null(json_object_get(r->json, "project_location")));
	cr_assert_null(json_object_get(r->json, "viewing_notes"), "landlord-only members stay out");
	hresp_free(r);
	r = get_project(consumer, id);
	expect_keys(r->json, public_keys);
	hresp_free(r);
	r = get_project(other.admin_token, id);
	expect_keys(r->json, public_keys);
	hresp_free(r);
	r = get_project(outsider, id);
	expect_keys(r->json, public_keys);
	hresp_free(r);
	r = get_project(NULL, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

/* ---- update ---- */

Test(projects, update_every_field)
{
	int64_t id = make_project(co.admin_token, "Riverside");
	struct hresp *r = patch_project(
		co.admin_token, id,
		"{\"apartment_count\": 40, \"area_info_description\": \"Green\", \"area_info_header\": \"Area\","
		" \"candidate_sorting_mode\": \"random\", \"contract_system\": \"B\", \"external_id\": \"EXT-9\","
		" \"info_description\": \"About\", \"info_header\": \"Info\", \"is_short_lease\": true, \"name\": \"River\","
		" \"preliminary_move_in_date\": \"2031-04-01\", \"prioritize_existing_tenants\": true,"
		" \"show_area_info_module\": true, \"show_area_media_module\": true,"
		" \"show_email_collection_module\": true, \"show_freetext_module\": true, \"show_timeline_module\": true,"
		" \"viewing_notes\": \"Ring twice\", \"unknown_member\": 1, \"id\": 77}");

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, landlord_keys);
	cr_assert_eq(hresp_int(r, "id"), id, "read-only members are ignored (G-03)");
	cr_assert_eq(hresp_int(r, "apartment_count"), 40);
	cr_assert_str_eq(hresp_str(r, "area_info_description"), "Green");
	cr_assert_str_eq(hresp_str(r, "area_info_header"), "Area");
	cr_assert_str_eq(hresp_str(r, "candidate_sorting_mode"), "random");
	cr_assert_str_eq(hresp_str(r, "contract_system"), "B");
	cr_assert_str_eq(hresp_str(r, "external_id"), "EXT-9");
	cr_assert_str_eq(hresp_str(r, "info_description"), "About");
	cr_assert_str_eq(hresp_str(r, "info_header"), "Info");
	cr_assert(json_is_true(json_object_get(r->json, "is_short_lease")));
	cr_assert_str_eq(hresp_str(r, "name"), "River");
	cr_assert_str_eq(hresp_str(r, "preliminary_move_in_date"), "2031-04-01");
	cr_assert(json_is_true(json_object_get(r->json, "prioritize_existing_tenants")));
	cr_assert(json_is_true(json_object_get(r->json, "show_area_info_module")));
	cr_assert(json_is_true(json_object_get(r->json, "show_timeline_module")));
	cr_assert_str_eq(hresp_str(r, "viewing_notes"), "Ring twice");
	hresp_free(r);

	/* names are accepted for contract_system and answered as letters (H-16); nulls clear */
	r = patch_project(co.admin_token, id,
			  "{\"contract_system\": \"automatic_strict\", \"area_info_header\": null,"
			  " \"preliminary_move_in_date\": null, \"external_id\": null}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "contract_system"), "S");
	cr_assert(json_is_null(json_object_get(r->json, "area_info_header")));
	cr_assert(json_is_null(json_object_get(r->json, "preliminary_move_in_date")));
	cr_assert(json_is_null(json_object_get(r->json, "external_id")));
	cr_assert_str_eq(hresp_str(r, "area_info_description"), "Green", "untouched members stay");
	hresp_free(r);
	/* PUT is an alias with the same partial semantics (G-02) */
	r = reqf(h, "PUT", pathf((char[512]){ 0 }, "/api/v1/projects/%lld", (long long)id), co.admin_token,
		 "{\"contract_system\": \"A\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "contract_system"), "A");
	cr_assert_str_eq(hresp_str(r, "name"), "River");
	hresp_free(r);
}

Test(projects, update_bad_input_changes_nothing)
{
	static const struct {
		const char *body;
		const char *field;
	} cases[] = {
		{ "{\"candidate_sorting_mode\": \"lottery\"}", "candidate_sorting_mode" },
		{ "{\"contract_system\": \"E\"}", "contract_system" },
		{ "{\"published\": \"yes\"}", "published" },
		{ "{\"closed\": 1}", "closed" },
		{ "{\"apartment_count\": -1}", "apartment_count" },
		{ "{\"apartment_count\": \"many\"}", "apartment_count" },
		{ "{\"preliminary_move_in_date\": \"2031-02-30\"}", "preliminary_move_in_date" },
		{ "{\"preliminary_move_in_date\": \"next year\"}", "preliminary_move_in_date" },
		{ "{\"name\": \"\"}", "name" },
		{ "{\"name\": null}", "name" },
		{ "{\"info_header\": null}", "info_header" },
		{ "{\"show_timeline_module\": \"on\"}", "show_timeline_module" },
		{ "{\"show_area_info_module\": 1}", "show_area_info_module" },
		{ "{\"show_area_media_module\": null}", "show_area_media_module" },
		{ "{\"show_email_collection_module\": \"yes\"}", "show_email_collection_module" },
		{ "{\"show_freetext_module\": []}", "show_freetext_module" },
		{ "{\"is_short_lease\": \"no\"}", "is_short_lease" },
		{ "{\"prioritize_existing_tenants\": 0}", "prioritize_existing_tenants" },
		{ "{\"apartment_count\": 100001}", "apartment_count" },
		{ "{\"apartment_count\": 1.5}", "apartment_count" },
		{ "{\"area_info_header\": 5}", "area_info_header" },
		{ "{\"area_info_description\": false}", "area_info_description" },
		{ "{\"info_description\": null}", "info_description" },
		{ "{\"viewing_notes\": 5}", "viewing_notes" },
		{ "{\"external_id\": 5}", "external_id" },
		{ "{\"candidate_sorting_mode\": null}", "candidate_sorting_mode" },
		{ "{\"contract_system\": \"b\"}", "contract_system" },
		{ "{\"preliminary_move_in_date\": \"2031-04-01T10:00:00Z\"}", "preliminary_move_in_date" },
		{ "{\"published\": null}", "published" },
	};
	int64_t id = make_project(co.admin_token, "Keep");
	char big[10010], *before = snapshot(id), *after;
	struct hresp *r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = patch_project(co.admin_token, id, cases[i].body);
		expect_invalid(r, cases[i].field);
		hresp_free(r);
	}
	memset(big, 'x', 10001);
	big[10001] = '\0';
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/projects/%lld", (long long)id), co.admin_token,
		 "{\"info_description\": \"%s\", \"area_info_description\": \"%s\"}", big, big);
	expect_invalid(r, "info_description");
	cr_assert(has_field(r, "area_info_description"), "%s", r->body);
	hresp_free(r);
	big[3001] = '\0';
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/projects/%lld", (long long)id), co.admin_token,
		 "{\"viewing_notes\": \"%s\"}", big);
	expect_invalid(r, "viewing_notes");
	hresp_free(r);
	big[129] = '\0';
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/projects/%lld", (long long)id), co.admin_token,
		 "{\"info_header\": \"%s\", \"area_info_header\": \"%s\", \"name\": \"%s\", \"external_id\": \"%s\"}",
		 big, big, big, big);
	expect_invalid(r, "info_header");
	cr_assert(has_field(r, "area_info_header") && has_field(r, "name") && has_field(r, "external_id"), "%s",
		  r->body);
	hresp_free(r);
	r = get_project(co.admin_token, id);
	cr_assert_str_eq(hresp_str(r, "name"), "Keep");
	cr_assert_str_eq(hresp_str(r, "info_header"), "");
	hresp_free(r);
	after = snapshot(id);
	cr_assert_str_eq(after, before, "a refused update changed the project");
	free(before);
	free(after);
}

/* H-04: sorting mode and contract system need the advanced listing right too. */
Test(projects, advanced_fields_need_the_advanced_right)
{
	int64_t id = make_project(co.admin_token, "P");
	char employee[1024];
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "employee", "emp", employee);
	r = patch_project(employee, id, "{\"candidate_sorting_mode\": \"random\"}");
	expect_no_right(r, RIGHT_ADV);
	hresp_free(r);
	r = patch_project(employee, id, "{\"contract_system\": \"C\", \"name\": \"Renamed\"}");
	expect_no_right(r, RIGHT_ADV);
	hresp_free(r);
	/* resending the stored values is no change */
	r = patch_project(employee, id,
			  "{\"candidate_sorting_mode\": \"queue_points\", \"contract_system\": \"D\","
			  " \"name\": \"Renamed\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "name"), "Renamed");
	hresp_free(r);
}

/* ---- publishing, closing, deleting ---- */

Test(projects, publishing_has_prerequisites)
{
	int64_t id = make_project(co.admin_token, "Early"), estate;
	char day[11];
	struct hresp *r = patch_project(co.admin_token, id, "{\"published\": true}");

	expect_error(r, 412, "ProjectNotPublishable");
	cr_assert(has_field(r, "info_header") && has_field(r, "info_description") && has_field(r, "estates"), "%s",
		  r->body);
	hresp_free(r);
	r = get_project(co.admin_token, id);
	cr_assert(json_is_false(json_object_get(r->json, "published")));
	hresp_free(r);

	id = publishable("Ready", &estate);
	r = patch_project(co.admin_token, id, "{\"published\": true, \"closed\": true}");
	expect_error(r, 412, "ProjectNotPublishable");
	cr_assert(has_field(r, "closed"), "%s", r->body);
	hresp_free(r);
	r = patch_project(co.admin_token, id, "{\"published\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "published")));
	cr_assert_str_eq(hresp_str(r, "status"), "Published");
	cr_assert_str_eq(hresp_str(r, "publish_date"), today(day));
	hresp_free(r);

	/* once published: no unpublishing, no deleting (§15 rule 50) */
	r = patch_project(co.admin_token, id, "{\"published\": false}");
	expect_error(r, 412, "ProjectPublished");
	hresp_free(r);
	r = harness_auth(h, "DELETE", pathf((char[512]){ 0 }, "/api/v1/projects/%lld", (long long)id), co.admin_token,
			 NULL);
	expect_error(r, 412, "ProjectPublished");
	hresp_free(r);

	/* closing: status Closed with its date; reopening clears it */
	r = patch_project(co.admin_token, id, "{\"closed\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "status"), "Closed");
	cr_assert_str_eq(hresp_str(r, "close_date"), day);
	hresp_free(r);
	r = patch_project(co.admin_token, id, "{\"closed\": false}");
	cr_assert_str_eq(hresp_str(r, "status"), "Published");
	cr_assert(json_is_null(json_object_get(r->json, "close_date")));
	hresp_free(r);
}

Test(projects, delete_an_unpublished_project)
{
	int64_t id = make_project(co.admin_token, "Gone"), estate = make_estate(co.admin_token, co.root_office);
	int64_t next = make_project(co.admin_token, "Next");
	char p[512];
	struct hresp *r;

	expect_status_free(add_estate(co.admin_token, id, estate), 200);
	r = harness_auth(h, "PUT", proj(p, id, "/location"), co.admin_token,
			 "{\"city\": \"Uppsala\", \"latitude\": 59.8, \"longitude\": 17.6}");
	expect_status_free(r, 200);
	r = harness_auth(h, "POST", proj(p, id, "/timeline"), co.admin_token,
			 "{\"date\": \"2030-01-01\", \"title\": \"Start\", \"description\": \"Digging\"}");
	expect_status_free(r, 201);
	expect_status_free(harness_auth(h, "DELETE", proj(p, id, "/"), co.admin_token, NULL), 204);
	r = get_project(co.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_timeline"), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_locations"), 0);
	/* its estate is free again */
	expect_status_free(add_estate(co.admin_token, next, estate), 200);
	r = harness_auth(h, "DELETE", proj(p, id, ""), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(projects, delete_with_listings_has_ads)
{
	int64_t id = make_project(co.admin_token, "Drafts"), estate = make_estate(co.admin_token, co.root_office);
	int64_t apt = make_apartment(co.admin_token, estate, "1001", 8000), ad;
	char p[512];
	struct hresp *r;

	expect_status_free(add_estate(co.admin_token, id, estate), 200);
	/* a draft project rental may be prepared before the project is published */
	ad = created_id(reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			     "{\"apartment\": %lld, \"is_project_rental\": true, \"is_draft\": true}", (long long)apt),
			201);
	r = harness_auth(h, "DELETE", proj(p, id, ""), co.admin_token, NULL);
	expect_error(r, 412, "HasAds");
	hresp_free(r);
	r = remove_estate(co.admin_token, id, estate);
	expect_error(r, 412, "HasAds");
	cr_assert(desc_contains(r, "You cannot remove this estate"), "%s", r->body);
	hresp_free(r);
	/* a deleted listing waits for its purge; it does not hold the project back */
	expect_status_free(harness_auth(h, "DELETE", pathf(p, "/api/v1/object_ad/%lld", (long long)ad), co.admin_token,
					NULL),
			   204);
	expect_status_free(harness_auth(h, "DELETE", proj(p, id, ""), co.admin_token, NULL), 204);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM projects"), 0);
}

/* ---- rights and scope ---- */

Test(projects, rights_and_callers)
{
	int64_t id = make_project(co.admin_token, "P"), estate = make_estate(co.admin_token, co.root_office);
	char observer[1024], consumer[1024], p[512];
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	fixture_consumer(h, "c@example.com", consumer);

	r = harness_auth(h, "POST", "/api/v1/projects/", observer, "{\"name\": \"Nope\"}");
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = patch_project(observer, id, "{\"name\": \"Nope\"}");
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = harness_auth(h, "DELETE", proj(p, id, ""), observer, NULL);
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = add_estate(observer, id, estate);
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = harness_auth(h, "POST", proj(p, id, "/freetext"), observer,
			 "{\"title\": \"T\", \"description\": \"D\", \"position\": 0}");
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = harness_auth(h, "GET", proj(p, id, "/3d_views"), observer, NULL);
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = harness_auth(h, "GET", proj(p, id, "/pictures?picture_type=project_image"), observer, NULL);
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);
	r = harness_auth(h, "PUT", proj(p, id, "/location"), observer,
			 "{\"city\": \"Uppsala\", \"latitude\": 59.8, \"longitude\": 17.6}");
	expect_no_right(r, RIGHT_PROJECT);
	hresp_free(r);

	/* reads of the landlord need no right */
	r = harness_auth(h, "GET", "/api/v1/projects/", observer, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "projects")), 1, "%s", r->body);
	hresp_free(r);
	expect_status_free(get_project(observer, id), 200);
	expect_status_free(harness_auth(h, "GET", proj(p, id, "/estates"), observer, NULL), 200);
	expect_status_free(harness_auth(h, "GET", proj(p, id, "/inventory"), observer, NULL), 200);

	/* consumers and anonymous callers reach only the public reads (H-37) */
	r = harness_auth(h, "GET", "/api/v1/projects/", consumer, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/projects/", consumer, "{\"name\": \"Nope\"}");
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/projects/", NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = harness_auth(h, "GET", proj(p, id, "/inventory"), NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM projects"), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM estates WHERE project_id IS NOT NULL"), 0);
}

Test(projects, other_companies_ids_are_not_found)
{
	int64_t theirs = make_project(other.admin_token, "Theirs");
	int64_t their_estate = make_estate(other.admin_token, other.root_office);
	int64_t mine = make_project(co.admin_token, "Mine");
	static const char *const subs[] = { "/estates", "/inventory", "/3d_views", "/pictures?picture_type=project_image",
					    "/videos", "/freetext", "/timeline", "/location", "/media" };
	char p[512];
	struct hresp *r;

	r = patch_project(co.admin_token, theirs, "{\"name\": \"Mine now\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", proj(p, theirs, ""), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		r = harness_auth(h, "GET", proj(p, theirs, subs[i]), co.admin_token, NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
	}
	r = add_estate(co.admin_token, theirs, their_estate);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = add_estate(co.admin_token, mine, their_estate);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "POST", proj(p, theirs, "/timeline"), co.admin_token,
			 "{\"date\": \"2030-01-01\", \"title\": \"T\", \"description\": \"D\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get_project(other.admin_token, theirs);
	cr_assert_str_eq(hresp_str(r, "name"), "Theirs");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM estates WHERE project_id IS NOT NULL"), 0);
}

/* ---- estates ---- */

Test(projects, estates_add_list_remove)
{
	int64_t id = make_project(co.admin_token, "P"), second = make_project(co.admin_token, "Q");
	int64_t estate = make_estate(co.admin_token, co.root_office);
	int64_t sub_estate = make_estate(co.admin_token, sub_office);
	char p[512];
	struct hresp *r;
	json_t *arr;

	make_apartment(co.admin_token, estate, "1001", 8000);
	r = add_estate(co.admin_token, id, estate);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "ads", "apartments", "id", "name", NULL });
	cr_assert_eq(hresp_int(r, "id"), estate);
	cr_assert_eq(hresp_int(r, "apartments"), 1);
	cr_assert_eq(hresp_int(r, "ads"), 0);
	cr_assert_str_eq(hresp_str(r, "name"), "Estate");
	hresp_free(r);

	r = harness_auth(h, "GET", proj(p, id, "/estates"), co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_array(r->json), "a bare array (L1944): %s", r->body);
	cr_assert_eq(json_array_size(r->json), 1);
	cr_assert_eq(jint(json_array_get(r->json, 0), "id"), estate);
	hresp_free(r);

	r = add_estate(co.admin_token, id, estate);
	expect_error(r, 412, "AlreadyInProject");
	hresp_free(r);
	r = add_estate(co.admin_token, second, estate);
	expect_error(r, 412, "AlreadyInProject");
	hresp_free(r);
	r = add_estate(co.admin_token, id, sub_estate);
	expect_error(r, 412, "IllegalOfficeHierarchy");
	hresp_free(r);
	r = add_estate(co.admin_token, id, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = remove_estate(co.admin_token, second, estate);
	expect_error(r, 412, "NotInProject");
	hresp_free(r);

	expect_status_free(remove_estate(co.admin_token, id, estate), 204);
	r = harness_auth(h, "GET", proj(p, id, "/estates"), co.admin_token, NULL);
	arr = r->json;
	cr_assert_eq(json_array_size(arr), 0, "%s", r->body);
	hresp_free(r);
	r = remove_estate(co.admin_token, id, estate);
	expect_error(r, 412, "NotInProject");
	hresp_free(r);

	/* a closed project takes no estates */
	expect_status_free(patch_project(co.admin_token, second, "{\"closed\": true}"), 200);
	r = add_estate(co.admin_token, second, estate);
	expect_error(r, 412, "ProjectClosed");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM estates WHERE project_id IS NOT NULL"), 0);
}

/* ---- inventory and stages (§11f) ---- */

static json_t *inventory_item(json_t *results, int64_t apartment)
{
	size_t i;
	json_t *v;
	json_array_foreach (results, i, v)
		if (jint(json_object_get(v, "apartment"), "id") == apartment)
			return v;
	return NULL;
}

Test(projects, inventory_shows_each_stage)
{
	int64_t estate, id = published("P", &estate), req = make_requirement(co.admin_token), ads[3];
	int64_t apts[4] = {
		make_apartment(co.admin_token, estate, "1001", 8000), make_apartment(co.admin_token, estate, "1002", 9000),
		make_apartment(co.admin_token, estate, "1003", 10000), make_apartment(co.admin_token, estate, "1004", 11000)
	};
	char p[512], sql[300];
	struct hresp *r;
	json_t *res, *it, *ad;

	/* 1002: listed; 1003: rented; 1004: rented and listed again */
	for (int i = 0; i < 3; i++)
		ads[i] = created_id(reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
					 "{\"apartment\": %lld, \"is_project_rental\": true, \"requirement\": %lld,"
					 " \"access_date\": \"2031-05-01\", \"prior_access\": true}",
					 (long long)apts[i + 1], (long long)req),
				    201);
	/* the applicant process will mark rentals; until it exists the test does */
	snprintf(sql, sizeof(sql), "UPDATE object_ads SET status = 'rented' WHERE id IN (%lld, %lld)", (long long)ads[1],
		 (long long)ads[2]);
	harness_sql(h, "%s", sql);
	created_id(reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			"{\"apartment\": %lld, \"is_project_rental\": true, \"is_draft\": true}", (long long)apts[3]),
		   201);

	r = harness_auth(h, "GET", proj(p, id, "/inventory"), co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	res = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(res), 4, "%s", r->body);

	it = inventory_item(res, apts[0]); /* not rented yet */
	expect_keys(it, (const char *const[]){ "apartment", "estate", "object_ad", "snapshots", NULL });
	expect_keys(json_object_get(it, "apartment"),
		    (const char *const[]){ "id", "landlord_object_id", "national_id", "notes_count", "rent", "rooms",
					   "street", "street_number", NULL });
	cr_assert_str_eq(jstr(json_object_get(it, "apartment"), "national_id"), "1001");
	cr_assert_str_eq(jstr(json_object_get(it, "apartment"), "landlord_object_id"), "L-1001");
	cr_assert_str_eq(jstr(json_object_get(it, "apartment"), "street"), "Gatan");
	cr_assert_eq(jint(json_object_get(it, "estate"), "id"), estate);
	cr_assert(json_is_null(json_object_get(it, "object_ad")));
	cr_assert_eq(json_array_size(json_object_get(it, "snapshots")), 0);

	it = inventory_item(res, apts[1]); /* being rented */
	ad = json_object_get(it, "object_ad");
	expect_keys(ad, (const char *const[]){ "applications", "id", "move_in_date", "prior_access_available",
					       "requirement", "status", NULL });
	cr_assert_eq(jint(ad, "id"), ads[0]);
	cr_assert_eq(jint(ad, "requirement"), req);
	cr_assert_eq(jint(ad, "applications"), 0);
	cr_assert_str_eq(jstr(ad, "status"), "active");
	cr_assert_str_eq(jstr(ad, "move_in_date"), "2031-05-01T00:00:00Z");
	cr_assert(json_is_true(json_object_get(ad, "prior_access_available")));
	cr_assert_eq(json_array_size(json_object_get(it, "snapshots")), 0);

	it = inventory_item(res, apts[2]); /* rented */
	cr_assert(json_is_null(json_object_get(it, "object_ad")));
	cr_assert_eq(json_array_size(json_object_get(it, "snapshots")), 1, "%s", r->body);
	expect_keys(json_array_get(json_object_get(it, "snapshots"), 0),
		    (const char *const[]){ "closed", "employee", "outcome", NULL });
	cr_assert_str_eq(jstr(json_array_get(json_object_get(it, "snapshots"), 0), "outcome"), "Rented");

	it = inventory_item(res, apts[3]); /* rented and being rented again */
	cr_assert_str_eq(jstr(json_object_get(it, "object_ad"), "status"), "draft");
	cr_assert(json_is_null(json_object_get(json_object_get(it, "object_ad"), "requirement")));
	cr_assert(json_is_null(json_object_get(json_object_get(it, "object_ad"), "move_in_date")));
	cr_assert_eq(json_array_size(json_object_get(it, "snapshots")), 1);
	hresp_free(r);

	/* the estate list counts the project's listings still standing */
	r = harness_auth(h, "GET", proj(p, id, "/estates"), co.admin_token, NULL);
	cr_assert_eq(jint(json_array_get(r->json, 0), "ads"), 4, "%s", r->body);
	cr_assert_eq(jint(json_array_get(r->json, 0), "apartments"), 4);
	hresp_free(r);
}

/* range_information: [min, max] over the project's public listings (§14: clients read it). */
Test(projects, range_information_from_active_listings)
{
	int64_t estate, id = published("P", &estate), req = make_requirement(co.admin_token);
	int64_t a = make_apartment(co.admin_token, estate, "1001", 8000);
	int64_t b = make_apartment(co.admin_token, estate, "1002", 12000);
	int64_t c = make_apartment(co.admin_token, estate, "1003", 99000);
	struct hresp *r;
	json_t *ranges, *rent;

	created_id(reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			"{\"apartment\": %lld, \"is_project_rental\": true, \"requirement\": %lld}", (long long)a,
			(long long)req),
		   201);
	created_id(reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			"{\"apartment\": %lld, \"is_project_rental\": true, \"requirement\": %lld}", (long long)b,
			(long long)req),
		   201);
	/* a draft is not public and does not count */
	created_id(reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			"{\"apartment\": %lld, \"is_project_rental\": true, \"is_draft\": true}", (long long)c),
		   201);
	r = get_project(NULL, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	ranges = json_object_get(r->json, "range_information");
	rent = json_object_get(ranges, "rent");
	cr_assert_eq(json_array_size(rent), 2, "%s", r->body);
	cr_assert_float_eq(json_number_value(json_array_get(rent, 0)), 8000, 1e-9);
	cr_assert_float_eq(json_number_value(json_array_get(rent, 1)), 12000, 1e-9);
	cr_assert_float_eq(json_number_value(json_array_get(json_object_get(ranges, "rooms"), 0)), 2, 1e-9);
	cr_assert_float_eq(json_number_value(json_array_get(json_object_get(ranges, "area"), 1)), 40, 1e-9);
	cr_assert_float_eq(json_number_value(json_array_get(json_object_get(ranges, "floor"), 0)), 2, 1e-9);
	hresp_free(r);
}

/* What L's project rentals take from the project (decisions.md H-06). */
Test(projects, listing_defaults)
{
	int64_t estate, id = publishable("P", &estate), found;
	struct core *c = app_core(h->app);
	struct arena *a = arena_create(4096);
	struct project_defaults d;
	struct error err;

	error_init(&err, a);
	expect_status_free(patch_project(co.admin_token, id,
					 "{\"candidate_sorting_mode\": \"first_come_first\", \"contract_system\": \"C\","
					 " \"is_short_lease\": true, \"prioritize_existing_tenants\": true,"
					 " \"preliminary_move_in_date\": \"2031-06-01\"}"),
			   200);
	cr_assert_eq(projects_listing_defaults(c, a, id, &d, &err), 0);
	cr_assert_eq(d.id, id);
	cr_assert_eq(d.company_id, co.id);
	cr_assert_eq(d.office_id, co.root_office);
	cr_assert(!d.published && !d.active && !d.closed);
	cr_assert(str_eq_cstr(d.candidate_sorting_mode, "first_come_first"));
	cr_assert(str_eq_cstr(d.contract_system, "automatic"));
	cr_assert(d.is_short_lease && d.prioritize_existing_tenants);
	cr_assert(str_eq_cstr(d.preliminary_move_in_date, "2031-06-01"));
	expect_status_free(patch_project(co.admin_token, id, "{\"published\": true}"), 200);
	cr_assert_eq(projects_listing_defaults(c, a, id, &d, &err), 0);
	cr_assert(d.published && d.active);
	expect_status_free(patch_project(co.admin_token, id, "{\"closed\": true}"), 200);
	cr_assert_eq(projects_listing_defaults(c, a, id, &d, &err), 0);
	cr_assert(d.closed && !d.active);
	cr_assert_eq(projects_estate_project(c, estate, &found, &err), 0);
	cr_assert_eq(found, id);
	cr_assert_eq(projects_listing_defaults(c, a, 999999, &d, &err), -1);
	cr_assert_eq(err.kind, ERROR_NOT_FOUND);
	cr_assert_str_eq(contract_system_letter(STR_LIT("manual_selection")), "B");
	cr_assert_str_eq(contract_system_name(STR_LIT("S")), "automatic_strict");
	cr_assert_null(contract_system_name(STR_LIT("X")));
	arena_destroy(a);
}

/* ---- pictures and videos ---- */

/* POST {"file_reference": ref<extra>} to the list. */
static int64_t add_media(const char *token, int64_t id, const char *list, const char *ref, const char *extra)
{
	char p[512];
	return created_id(reqf(h, "POST", proj(p, id, list), token, "{\"file_reference\": \"%s\"%s}", ref, extra), 201);
}

static void expect_ids(const char *target, const char *token, const int64_t *ids, size_t n)
{
	struct hresp *r = harness_auth(h, "GET", target, token, NULL);
	json_t *res;
	cr_assert_eq(r->status, 200, "%s", r->body);
	res = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(res), n, "%s", r->body);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(jint(json_array_get(res, i), "id"), ids[i], "item %zu: %s", i, r->body);
		cr_assert_eq(jint(json_array_get(res, i), "position"), (long long)i, "%s", r->body);
	}
	hresp_free(r);
}

Test(projects, pictures)
{
	int64_t id = make_project(co.admin_token, "P"), a, b, area;
	char *img1 = upload_image(co.admin_token, "project_image");
	char *img2 = upload_image(co.admin_token, "project_image");
	char *img3 = upload_image(co.admin_token, "project_area_image");
	char *estate_img = upload_image(co.admin_token, "estate_image");
	char p[512], list[512], caption[300];
	struct hresp *r;
	json_t *item;

	a = add_media(co.admin_token, id, "/pictures", img1, ", \"caption\": \"Front\"");
	b = add_media(co.admin_token, id, "/pictures", img2, "");
	area = add_media(co.admin_token, id, "/pictures", img3, ", \"picture_type\": \"project_area_image\"");
	proj(list, id, "/pictures?picture_type=project_image");
	expect_ids(list, co.admin_token, (int64_t[]){ a, b }, 2);
	expect_ids(proj(p, id, "/pictures?picture_type=project_area_image"), co.admin_token, (int64_t[]){ area }, 1);

	r = harness_auth(h, "GET", list, co.admin_token, NULL);
	item = json_array_get(json_object_get(r->json, "results"), 0);
	expect_keys(item, (const char *const[]){ "caption", "id", "picture_type", "position", "project", "reference",
						 "thumbnail_url", "url", NULL });
	cr_assert_str_eq(jstr(item, "caption"), "Front");
	cr_assert_str_eq(jstr(item, "picture_type"), "project_image");
	cr_assert_str_eq(jstr(item, "reference"), img1);
	cr_assert_eq(jint(item, "project"), id);
	cr_assert(strstr(jstr(item, "url"), "/media/project_images/") != NULL, "%s", r->body);
	hresp_free(r);

	/* picture_type is required and checked (H-34) */
	r = harness_auth(h, "GET", proj(p, id, "/pictures"), co.admin_token, NULL);
	expect_invalid(r, "picture_type");
	hresp_free(r);
	r = harness_auth(h, "GET", proj(p, id, "/pictures?picture_type=estate_image"), co.admin_token, NULL);
	expect_invalid(r, "picture_type");
	hresp_free(r);

	/* the file reference must be an uploaded project picture of the company */
	r = reqf(h, "POST", proj(p, id, "/pictures"), co.admin_token, "{\"file_reference\": \"%s\"}", estate_img);
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = reqf(h, "POST", proj(p, id, "/pictures"), co.admin_token,
		 "{\"file_reference\": \"%s\", \"picture_type\": \"project_area_image\"}", img1);
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = harness_auth(h, "POST", proj(p, id, "/pictures"), co.admin_token, "{\"file_reference\": \"nope\"}");
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = harness_auth(h, "POST", proj(p, id, "/pictures"), co.admin_token, "{}");
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = reqf(h, "POST", proj(p, id, "/pictures"), co.admin_token,
		 "{\"file_reference\": \"%s\", \"picture_type\": \"project_video\"}", img1);
	expect_invalid(r, "picture_type");
	hresp_free(r);
	/* caption: at most 70 on create, 255 on update (H-15) */
	memset(caption, 'c', 71);
	caption[71] = '\0';
	r = reqf(h, "POST", proj(p, id, "/pictures"), co.admin_token, "{\"file_reference\": \"%s\", \"caption\": \"%s\"}",
		 img1, caption);
	expect_invalid(r, "caption");
	hresp_free(r);
	memset(caption, 'c', 255);
	caption[255] = '\0';
	r = reqf(h, "PATCH", pathf(p, "/api/v1/projects/%lld/pictures/%lld", (long long)id, (long long)b),
		 co.admin_token, "{\"caption\": \"%s\", \"position\": 0}", caption);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "position"), 0);
	cr_assert_eq(strlen(hresp_str(r, "caption")), 255);
	hresp_free(r);
	expect_ids(list, co.admin_token, (int64_t[]){ b, a }, 2);
	caption[255] = 'c';
	caption[256] = '\0';
	r = reqf(h, "PATCH", pathf(p, "/api/v1/projects/%lld/pictures/%lld", (long long)id, (long long)b),
		 co.admin_token, "{\"caption\": \"%s\"}", caption);
	expect_invalid(r, "caption");
	hresp_free(r);

	/* a picture is not reachable as a video, nor under another project */
	r = harness_auth(h, "DELETE", pathf(p, "/api/v1/projects/%lld/videos/%lld", (long long)id, (long long)a),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	expect_status_free(harness_auth(h, "DELETE", pathf(p, "/api/v1/projects/%lld/pictures/%lld", (long long)id,
							   (long long)b),
					co.admin_token, NULL),
			   204);
	expect_ids(list, co.admin_token, (int64_t[]){ a }, 1);
	r = harness_auth(h, "DELETE", pathf(p, "/api/v1/projects/%lld/pictures/%lld", (long long)id, (long long)b),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	free(img1);
	free(img2);
	free(img3);
	free(estate_img);
}

Test(projects, videos_are_public_once_published)
{
	int64_t estate, id = publishable("P", &estate), v1, v2;
	char *vid = upload_video(co.admin_token, "project_video");
	char *area = upload_video(co.admin_token, "project_area_video");
	char p[512];
	struct hresp *r;
	json_t *item;

	v1 = add_media(co.admin_token, id, "/videos", vid, "");
	v2 = add_media(co.admin_token, id, "/videos", area, ", \"video_type\": \"project_area_video\"");
	r = reqf(h, "POST", proj(p, id, "/videos"), co.admin_token, "{\"file_reference\": \"%s\"}", area);
	expect_invalid(r, "file_reference"); /* an area video is not a project_video */
	hresp_free(r);
	r = reqf(h, "POST", proj(p, id, "/videos"), co.admin_token,
		 "{\"file_reference\": \"%s\", \"video_type\": \"apartment_video\"}", vid);
	expect_invalid(r, "video_type");
	hresp_free(r);

	r = harness_auth(h, "GET", proj(p, id, "/videos"), NULL, NULL);
	expect_error(r, 404, "NotFound"); /* not published yet */
	hresp_free(r);
	r = harness_auth(h, "GET", proj(p, id, "/videos"), co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	/* both types, each with its own positions */
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 2, "%s", r->body);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "results"), 0), "id"), v1);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "results"), 1), "id"), v2);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "results"), 1), "position"), 0);
	hresp_free(r);
	expect_status_free(patch_project(co.admin_token, id, "{\"published\": true}"), 200);
	r = harness_auth(h, "GET", proj(p, id, "/videos"), NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	item = json_array_get(json_object_get(r->json, "results"), 1);
	expect_keys(item, (const char *const[]){ "id", "position", "private", "project", "reference", "url",
						 "video_type", NULL });
	cr_assert_str_eq(jstr(item, "video_type"), "project_area_video");
	cr_assert(json_is_false(json_object_get(item, "private")));
	hresp_free(r);

	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld/videos/%lld", (long long)id, (long long)v1),
			 co.admin_token, "{\"position\": \"x\"}");
	expect_invalid(r, "position");
	hresp_free(r);
	r = harness_auth(h, "PUT", pathf(p, "/api/v1/projects/%lld/videos/%lld", (long long)id, (long long)v1),
			 co.admin_token, "{\"position\": 3}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "position"), 0, "positions are per type and clamped to the end");
	hresp_free(r);
	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld/pictures/%lld", (long long)id, (long long)v1),
			 co.admin_token, "{\"position\": 0}");
	expect_error(r, 404, "NotFound"); /* a video is not a picture */
	hresp_free(r);
	free(vid);
	free(area);
}

Test(projects, media_gathers_everything_publicly)
{
	int64_t estate, id = publishable("P", &estate), pic, vid_id, view;
	char *img = upload_image(co.admin_token, "project_image"), *vid = upload_video(co.admin_token, "project_video");
	char p[512];
	struct hresp *r;

	pic = add_media(co.admin_token, id, "/pictures", img, "");
	vid_id = add_media(co.admin_token, id, "/videos", vid, "");
	view = created_id(harness_auth(h, "POST", proj(p, id, "/3d_views"), co.admin_token,
				       "{\"url\": \"https://tour.example.com/1\", \"title\": \"Tour\"}"),
			  201);
	r = harness_auth(h, "GET", proj(p, id, "/media"), NULL, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	expect_status_free(patch_project(co.admin_token, id, "{\"published\": true}"), 200);
	r = harness_auth(h, "GET", proj(p, id, "/media"), NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "3d_views", "pictures", "videos", NULL });
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "pictures"), 0), "id"), pic);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "videos"), 0), "id"), vid_id);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "3d_views"), 0), "id"), view);
	cr_assert_eq(json_array_size(json_object_get(r->json, "pictures")), 1);
	cr_assert_eq(json_array_size(json_object_get(r->json, "videos")), 1);
	hresp_free(r);
	free(img);
	free(vid);
}

/* ---- 3D views ---- */

Test(projects, views)
{
	int64_t id = make_project(co.admin_token, "P"), a, b, c;
	char p[512], list[512];
	struct hresp *r;

	proj(list, id, "/3d_views");
	a = created_id(harness_auth(h, "POST", list, co.admin_token, "{\"url\": \"https://t.example/a\", \"title\": \"A\"}"),
		       201);
	b = created_id(harness_auth(h, "POST", list, co.admin_token, "{\"url\": \"https://t.example/b\"}"), 201);
	/* position as a numeric string (H-13) */
	c = created_id(harness_auth(h, "POST", list, co.admin_token,
				    "{\"url\": \"http://t.example/c\", \"position\": \"0\"}"),
		       201);
	expect_ids(list, co.admin_token, (int64_t[]){ c, a, b }, 3);
	r = harness_auth(h, "GET", list, co.admin_token, NULL);
	expect_keys(json_array_get(json_object_get(r->json, "results"), 1),
		    (const char *const[]){ "id", "position", "title", "url", NULL });
	hresp_free(r);

	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld/3d_views/%lld", (long long)id, (long long)c),
			 co.admin_token,
			 "{\"position\": 2, \"title\": \"C\","
			 " \"url\": \"https://t.example/long/enough/to/pass/seventy/characters/because/h13/allows/128\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "position"), 2);
	cr_assert_str_eq(hresp_str(r, "title"), "C");
	hresp_free(r);
	expect_ids(list, co.admin_token, (int64_t[]){ a, b, c }, 3);

	r = harness_auth(h, "POST", list, co.admin_token, "{\"title\": \"No url\"}");
	expect_invalid(r, "url");
	hresp_free(r);
	r = harness_auth(h, "POST", list, co.admin_token, "{\"url\": \"ftp://t.example/x\"}");
	expect_invalid(r, "url");
	hresp_free(r);
	r = harness_auth(h, "POST", list, co.admin_token, "{\"url\": \"https://t.example/x\", \"position\": \"first\"}");
	expect_invalid(r, "position");
	hresp_free(r);
	expect_status_free(harness_auth(h, "DELETE",
					pathf(p, "/api/v1/projects/%lld/3d_views/%lld", (long long)id, (long long)a),
					co.admin_token, NULL),
			   204);
	expect_ids(list, co.admin_token, (int64_t[]){ b, c }, 2);
	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld/3d_views/%lld", (long long)id, (long long)a),
			 co.admin_token, "{\"title\": \"gone\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

/* ---- freetext ---- */

Test(projects, freetext)
{
	int64_t estate, id = publishable("P", &estate), a, b;
	char p[512], list[512], title[300];
	struct hresp *r;
	json_t *res;

	proj(list, id, "/freetext");
	a = created_id(harness_auth(h, "POST", list, co.admin_token,
				    "{\"title\": \"Parking\", \"description\": \"Garage below\", \"position\": 2}"),
		       201);
	b = created_id(harness_auth(h, "POST", list, co.admin_token,
				    "{\"title\": \"Schools\", \"description\": \"Two nearby\", \"position\": 1}"),
		       201);
	r = harness_auth(h, "GET", list, co.admin_token, NULL);
	res = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(res), 2, "%s", r->body);
	cr_assert_eq(jint(json_array_get(res, 0), "id"), b, "ordered by position");
	expect_keys(json_array_get(res, 0), (const char *const[]){ "description", "id", "position", "title", NULL });
	hresp_free(r);
	r = harness_auth(h, "GET", list, NULL, NULL);
	expect_error(r, 404, "NotFound"); /* public once published */
	hresp_free(r);

	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld/freetext/%lld", (long long)id, (long long)a),
			 co.admin_token, "{\"position\": 0, \"title\": \"Garage\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "title"), "Garage");
	cr_assert_str_eq(hresp_str(r, "description"), "Garage below");
	cr_assert_eq(hresp_int(r, "position"), 0);
	hresp_free(r);
	expect_status_free(patch_project(co.admin_token, id, "{\"published\": true}"), 200);
	r = harness_auth(h, "GET", list, NULL, NULL);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "results"), 0), "id"), a, "%s", r->body);
	hresp_free(r);
	r = get_project(NULL, id);
	cr_assert_eq(json_array_size(json_object_get(r->json, "freetext_entries")), 2, "%s", r->body);
	hresp_free(r);

	r = harness_auth(h, "POST", list, co.admin_token, "{\"title\": \"T\", \"description\": \"D\"}");
	expect_invalid(r, "position");
	hresp_free(r);
	r = harness_auth(h, "POST", list, co.admin_token, "{\"position\": 1}");
	expect_invalid(r, "title");
	cr_assert(has_field(r, "description"), "%s", r->body);
	hresp_free(r);
	memset(title, 't', 257);
	title[257] = '\0';
	r = reqf(h, "POST", list, co.admin_token, "{\"title\": \"%s\", \"description\": \"D\", \"position\": 1}", title);
	expect_invalid(r, "title");
	hresp_free(r);
	/* DELETE ignores any body (H-12) and answers 204 */
	expect_status_free(harness_auth(h, "DELETE",
					pathf(p, "/api/v1/projects/%lld/freetext/%lld", (long long)id, (long long)b),
					co.admin_token, "{\"title\": \"ignored\"}"),
			   204);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_freetext"), 1);
}

/* ---- timeline ---- */

Test(projects, timeline)
{
	int64_t id = make_project(co.admin_token, "P"), a, b;
	char p[512], list[512];
	struct hresp *r;
	json_t *res;

	proj(list, id, "/timeline");
	a = created_id(harness_auth(h, "POST", list, co.admin_token,
				    "{\"date\": \"2031-01-01\", \"title\": \"Move in\", \"description\": \"Keys\"}"),
		       201);
	b = created_id(harness_auth(h, "POST", list, co.admin_token,
				    "{\"date\": \"2030-03-15\", \"title\": \"Ground\", \"description\": \"Breaking\"}"),
		       201);
	r = harness_auth(h, "GET", list, co.admin_token, NULL);
	res = json_object_get(r->json, "results");
	cr_assert_eq(jint(json_array_get(res, 0), "id"), b, "ordered by date: %s", r->body);
	expect_keys(json_array_get(res, 0), (const char *const[]){ "date", "description", "id", "title", NULL });
	cr_assert_str_eq(jstr(json_array_get(res, 0), "date"), "2030-03-15");
	hresp_free(r);

	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld/timeline/%lld", (long long)id, (long long)a),
			 co.admin_token, "{\"date\": \"2029-12-24\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "date"), "2029-12-24");
	cr_assert_str_eq(hresp_str(r, "title"), "Move in");
	hresp_free(r);

	r = harness_auth(h, "POST", list, co.admin_token,
			 "{\"date\": \"2031-13-01\", \"title\": \"T\", \"description\": \"D\"}");
	expect_invalid(r, "date");
	hresp_free(r);
	r = harness_auth(h, "POST", list, co.admin_token, "{\"title\": \"T\", \"description\": \"D\"}");
	expect_invalid(r, "date");
	hresp_free(r);
	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld/timeline/%lld", (long long)id, (long long)a),
			 co.admin_token, "{\"title\": 5}");
	expect_invalid(r, "title");
	hresp_free(r);
	expect_status_free(harness_auth(h, "DELETE",
					pathf(p, "/api/v1/projects/%lld/timeline/%lld", (long long)id, (long long)a),
					co.admin_token, NULL),
			   204);
	r = harness_auth(h, "DELETE", pathf(p, "/api/v1/projects/%lld/timeline/%lld", (long long)id, (long long)a),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_timeline"), 1);
}

/* ---- location ---- */

Test(projects, location)
{
	int64_t estate, id = published("P", &estate);
	char p[512], loc[512];
	struct hresp *r;

	proj(loc, id, "/location");
	r = harness_auth(h, "GET", loc, NULL, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "PUT", loc, co.admin_token, "{\"street\": \"Gatan\"}");
	expect_invalid(r, "city");
	cr_assert(has_field(r, "latitude") && has_field(r, "longitude"), "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "PUT", loc, co.admin_token, "{\"city\": \"Uppsala\", \"latitude\": 91, \"longitude\": 17.6}");
	expect_invalid(r, "latitude");
	hresp_free(r);
	r = harness_auth(h, "PUT", loc, co.admin_token,
			 "{\"city\": \"Uppsala\", \"latitude\": 59.86, \"longitude\": 17.64, \"street\": \"Gatan\","
			 " \"street_number\": \"4B\", \"zip_code\": \"75310\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "city", "latitude", "longitude", "street", "street_number",
						    "zip_code", NULL });
	hresp_free(r);
	/* PATCH is accepted; what it leaves out stays (G-02) */
	r = harness_auth(h, "PATCH", loc, co.admin_token,
			 "{\"city\": \"Uppsala C\", \"latitude\": 59.9, \"longitude\": 17.7}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "city"), "Uppsala C");
	cr_assert_str_eq(hresp_str(r, "street_number"), "4B");
	hresp_free(r);
	r = harness_auth(h, "GET", loc, NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "zip_code"), "75310");
	cr_assert_float_eq(json_number_value(json_object_get(r->json, "latitude")), 59.9, 1e-9);
	hresp_free(r);
	r = get_project(NULL, id);
	cr_assert_str_eq(jstr(json_object_get(r->json, "project_location"), "city"), "Uppsala C");
	hresp_free(r);
	r = harness_auth(h, "PUT", proj(p, id, "/location"), co.admin_token,
			 "{\"city\": \"U\", \"latitude\": 1, \"longitude\": 1, \"street_number\": \"12345678901234567\"}");
	expect_invalid(r, "street_number");
	hresp_free(r);
}

/* ---- every sub-resource: rights, scope, bad input (table-driven) ---- */

/* A project with one of everything: estate, picture, video, 3D view, freetext, timeline entry, location. */
struct full {
	int64_t id, estate, picture, video, view, freetext, timeline;
	char *img, *vid;
};

static void full_project(struct full *f)
{
	char p[512];

	f->id = make_project(co.admin_token, "Full");
	f->estate = make_estate(co.admin_token, co.root_office);
	expect_status_free(add_estate(co.admin_token, f->id, f->estate), 200);
	f->img = upload_image(co.admin_token, "project_image");
	f->vid = upload_video(co.admin_token, "project_video");
	f->picture = add_media(co.admin_token, f->id, "/pictures", f->img, ", \"caption\": \"Front\"");
	f->video = add_media(co.admin_token, f->id, "/videos", f->vid, "");
	f->view = created_id(harness_auth(h, "POST", proj(p, f->id, "/3d_views"), co.admin_token,
					  "{\"url\": \"https://tour.example.com/1\", \"title\": \"Tour\"}"),
			     201);
	f->freetext = created_id(harness_auth(h, "POST", proj(p, f->id, "/freetext"), co.admin_token,
					      "{\"title\": \"Parking\", \"description\": \"Garage\", \"position\": 1}"),
				 201);
	f->timeline = created_id(harness_auth(h, "POST", proj(p, f->id, "/timeline"), co.admin_token,
					      "{\"date\": \"2031-01-01\", \"title\": \"Keys\", \"description\": \"In\"}"),
				 201);
	expect_status_free(harness_auth(h, "PUT", proj(p, f->id, "/location"), co.admin_token,
					"{\"city\": \"Uppsala\", \"latitude\": 59.8, \"longitude\": 17.6}"),
			   200);
}

static void full_free(struct full *f)
{
	free(f->img);
	free(f->vid);
}

/* Everything the owner reads of the project, concatenated: equal before and after means nothing changed. */
static char *snapshot(int64_t id)
{
	static const char *const subs[] = { "", "/pictures?picture_type=project_image",
					    "/pictures?picture_type=project_area_image", "/videos", "/3d_views",
					    "/freetext", "/timeline", "/location", "/estates", "/inventory", "/media" };
	size_t len = 0;
	char *out = NULL, p[512];

	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		struct hresp *r = harness_auth(h, "GET", proj(p, id, subs[i]), co.admin_token, NULL);
		size_t n = strlen(r->body);
		/* a 404 (no location yet) is part of the state; its correlation id is not */
		cr_assert(r->status == 200 || r->status == 404, "%s: %s", subs[i], r->body);
		if (r->status == 404)
			n = 0;
		out = realloc(out, len + n + 6);
		cr_assert(out);
		len += (size_t)sprintf(out + len, "%d ", r->status);
		memcpy(out + len, r->body, n);
		out[len + n] = '\n';
		len += n + 1;
		out[len] = '\0';
		hresp_free(r);
	}
	return out;
}

/* One request of a table: method, path below /api/v1/projects/{id}, body. */
struct call {
	const char *method;
	char path[160];
	const char *body;
};

/* Every landlord operation on the project and its sub-resources; item ids from f. */
static size_t landlord_calls(const struct full *f, struct call *c)
{
	size_t n = 0;
#define CALL(m, b, ...) \
	(c[n].method = (m), snprintf(c[n].path, sizeof(c[n].path), __VA_ARGS__), c[n].body = (b), n++)
	CALL("PATCH", "{\"name\": \"X\"}", "%s", "");
	CALL("PUT", "{\"name\": \"X\"}", "%s", "");
	CALL("DELETE", NULL, "%s", "");
	CALL("POST", "{\"file_reference\": \"0123456789abcdef\"}", "/pictures");
	CALL("PATCH", "{\"caption\": \"X\"}", "/pictures/%lld", (long long)f->picture);
	CALL("PUT", "{\"caption\": \"X\"}", "/pictures/%lld", (long long)f->picture);
	CALL("DELETE", NULL, "/pictures/%lld", (long long)f->picture);
	CALL("POST", "{\"file_reference\": \"0123456789abcdef\"}", "/videos");
	CALL("PATCH", "{\"position\": 0}", "/videos/%lld", (long long)f->video);
	CALL("DELETE", NULL, "/videos/%lld", (long long)f->video);
	CALL("POST", "{\"url\": \"https://x.example/\"}", "/3d_views");
	CALL("PATCH", "{\"title\": \"X\"}", "/3d_views/%lld", (long long)f->view);
	CALL("DELETE", NULL, "/3d_views/%lld", (long long)f->view);
	CALL("POST", "{\"title\": \"T\", \"description\": \"D\", \"position\": 0}", "/freetext");
	CALL("PATCH", "{\"title\": \"X\"}", "/freetext/%lld", (long long)f->freetext);
	CALL("DELETE", NULL, "/freetext/%lld", (long long)f->freetext);
	CALL("POST", "{\"date\": \"2030-01-01\", \"title\": \"T\", \"description\": \"D\"}", "/timeline");
	CALL("PATCH", "{\"title\": \"X\"}", "/timeline/%lld", (long long)f->timeline);
	CALL("DELETE", NULL, "/timeline/%lld", (long long)f->timeline);
	CALL("PUT", "{\"city\": \"X\", \"latitude\": 1, \"longitude\": 1}", "/location");
	CALL("PATCH", "{\"city\": \"X\", \"latitude\": 1, \"longitude\": 1}", "/location");
	CALL("POST", NULL, "/estates/%lld", (long long)f->estate);
	CALL("DELETE", NULL, "/estates/%lld", (long long)f->estate);
	/* the two landlord lists behind the right (H-33) */
	CALL("GET", NULL, "/pictures?picture_type=project_image");
	CALL("GET", NULL, "/3d_views");
#undef CALL
	return n;
}

/* The reads: the owner's (estates, inventory) and the public ones of an unpublished project. */
static const char *const read_subs[] = { "", "/estates", "/inventory", "/videos", "/freetext", "/timeline",
					 "/location", "/media" };

/* §11f rights, H-33: every write and the two landlord lists need entity.Project.update; nothing changes. */
Test(projects, every_write_needs_the_right)
{
	struct full f;
	struct call calls[40];
	char observer[1024], p[512], *before, *after;
	size_t n;

	full_project(&f);
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	n = landlord_calls(&f, calls);
	before = snapshot(f.id);
	for (size_t i = 0; i < n; i++) {
		struct hresp *r = harness_auth(h, calls[i].method, proj(p, f.id, calls[i].path), observer, calls[i].body);
		cr_assert_eq(r->status, 403, "%s %s: %s", calls[i].method, calls[i].path, r->body);
		expect_no_right(r, RIGHT_PROJECT);
		hresp_free(r);
	}
	/* the owner's reads need no right */
	for (size_t i = 0; i < sizeof(read_subs) / sizeof(read_subs[0]); i++)
		expect_status_free(harness_auth(h, "GET", proj(p, f.id, read_subs[i]), observer, NULL), 200);
	after = snapshot(f.id);
	cr_assert_str_eq(after, before, "a refused write changed the project");
	free(before);
	free(after);
	full_free(&f);
}

/*
 * Another company's project, a project outside the caller's office subtree, an unknown
 * project, and another project's items: every operation is 404 and nothing changes
 * (the unpublished project's public reads included).
 */
Test(projects, every_operation_is_scoped)
{
	struct full f;
	struct call calls[40];
	char outsider[1024], p[512], *before, *after;
	const char *tokens[2];
	int64_t other_project = make_project(co.admin_token, "Q");
	size_t n;

	full_project(&f);
	fixture_employee(h, co.id, sub_office, "admin", "outsider", outsider);
	tokens[0] = other.admin_token;
	tokens[1] = outsider;
	n = landlord_calls(&f, calls);
	before = snapshot(f.id);
	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < n; i++) {
			struct hresp *r =
			    harness_auth(h, calls[i].method, proj(p, f.id, calls[i].path), tokens[t], calls[i].body);
			cr_assert_eq(r->status, 404, "caller %zu: %s %s: %s", t, calls[i].method, calls[i].path, r->body);
			expect_error(r, 404, "NotFound");
			hresp_free(r);
		}
		for (size_t i = 0; i < sizeof(read_subs) / sizeof(read_subs[0]); i++) {
			struct hresp *r = harness_auth(h, "GET", proj(p, f.id, read_subs[i]), tokens[t], NULL);
			expect_error(r, 404, "NotFound");
			hresp_free(r);
		}
	}
	/* an unknown project, and the items of f under another project of the same company */
	for (size_t i = 0; i < n; i++) {
		struct hresp *r = harness_auth(h, calls[i].method, proj(p, 999999, calls[i].path), co.admin_token,
					       calls[i].body);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		if (calls[i].path[0] && strchr(calls[i].path + 1, '/') && strcmp(calls[i].method, "POST") != 0 &&
		    !strstr(calls[i].path, "/estates/")) {
			r = harness_auth(h, calls[i].method, proj(p, other_project, calls[i].path), co.admin_token,
					 calls[i].body);
			cr_assert_eq(r->status, 404, "%s %s under another project: %s", calls[i].method, calls[i].path,
				     r->body);
			hresp_free(r);
		}
	}
	for (size_t i = 0; i < sizeof(read_subs) / sizeof(read_subs[0]); i++) {
		struct hresp *r = harness_auth(h, "GET", proj(p, 999999, read_subs[i]), co.admin_token, NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
	}
	after = snapshot(f.id);
	cr_assert_str_eq(after, before, "a refused request changed the project");
	free(before);
	free(after);
	full_free(&f);
}

/* "@" in tmpl replaced by arg; freed by the caller. */
static char *subst(const char *tmpl, const char *arg)
{
	const char *at = strchr(tmpl, '@');
	size_t n = strlen(tmpl) + (arg ? strlen(arg) : 0) + 1;
	char *out = malloc(n);
	cr_assert(out);
	if (!at || !arg) {
		snprintf(out, n, "%s", tmpl);
		return out;
	}
	snprintf(out, n, "%.*s%s%s", (int)(at - tmpl), tmpl, arg, at + 1);
	return out;
}

/* A JSON string of n copies of 'x', quoted, in buf. */
static const char *xs(char *buf, size_t n)
{
	buf[0] = '"';
	memset(buf + 1, 'x', n);
	buf[n + 1] = '"';
	buf[n + 2] = '\0';
	return buf;
}

/* Each sub-resource operation against its own table (G-04, H-13, H-15): one bad member, 412 naming it. */
Test(projects, sub_resource_bad_input_changes_nothing)
{
	static char s71[80], s129[140], s257[270], s10001[10010], s33[40];
	struct full f;
	char *before, *after, p[512], path[160];
	struct bad {
		const char *method;
		const char *sub; /* %lld: the item */
		int64_t item;
		const char *body; /* @: arg */
		const char *arg;
		const char *field;
	};

	full_project(&f);
	xs(s71, 71);
	xs(s129, 129);
	xs(s257, 257);
	xs(s10001, 10001);
	xs(s33, 33);
	{
		const struct bad cases[] = {
			{ "POST", "/freetext", 0, "{\"title\": \"T\", \"description\": @, \"position\": 1}", s10001,
			  "description" },
			{ "POST", "/freetext", 0, "{\"title\": \"T\", \"description\": \"\", \"position\": 1}", NULL,
			  "description" },
			{ "POST", "/freetext", 0, "{\"title\": \"T\", \"description\": \"D\", \"position\": -1}", NULL,
			  "position" },
			{ "POST", "/freetext", 0, "{\"title\": \"T\", \"description\": \"D\", \"position\": 10001}", NULL,
			  "position" },
			{ "POST", "/freetext", 0, "{\"title\": 5, \"description\": \"D\", \"position\": 1}", NULL, "title" },
			{ "POST", "/freetext", 0, "{\"title\": @, \"description\": \"D\", \"position\": 1}", s257, "title" },
			{ "PATCH", "/freetext/%lld", f.freetext, "{\"title\": \"\"}", NULL, "title" },
			{ "PATCH", "/freetext/%lld", f.freetext, "{\"title\": @}", s257, "title" },
			{ "PATCH", "/freetext/%lld", f.freetext, "{\"position\": \"first\"}", NULL, "position" },
			{ "PATCH", "/freetext/%lld", f.freetext, "{\"description\": null}", NULL, "description" },
			{ "PATCH", "/freetext/%lld", f.freetext, "{\"description\": @}", s10001, "description" },
			{ "POST", "/timeline", 0, "{\"date\": \"2030-01-01\", \"title\": @, \"description\": \"D\"}", s257,
			  "title" },
			{ "POST", "/timeline", 0, "{\"date\": \"2030-01-01\", \"title\": \"T\"}", NULL, "description" },
			{ "POST", "/timeline", 0, "{\"date\": \"2030-01-01\", \"description\": \"D\"}", NULL, "title" },
			{ "POST", "/timeline", 0, "{\"date\": 20300101, \"title\": \"T\", \"description\": \"D\"}", NULL,
			  "date" },
			{ "POST", "/timeline", 0, "{\"date\": \"2030-02-30\", \"title\": \"T\", \"description\": \"D\"}",
			  NULL, "date" },
			{ "POST", "/timeline", 0, "{\"date\": \"2030-01-01\", \"title\": \"T\", \"description\": @}", s10001,
			  "description" },
			{ "PATCH", "/timeline/%lld", f.timeline, "{\"date\": \"tomorrow\"}", NULL, "date" },
			{ "PATCH", "/timeline/%lld", f.timeline, "{\"date\": null}", NULL, "date" },
			{ "PATCH", "/timeline/%lld", f.timeline, "{\"description\": \"\"}", NULL, "description" },
			{ "PATCH", "/timeline/%lld", f.timeline, "{\"title\": @}", s257, "title" },
			{ "POST", "/3d_views", 0, "{\"url\": \"https://x.example/\", \"title\": @}", s71, "title" },
			{ "POST", "/3d_views", 0, "{\"url\": @}", s129, "url" },
			{ "POST", "/3d_views", 0, "{\"url\": 5}", NULL, "url" },
			{ "POST", "/3d_views", 0, "{\"url\": \"https://x.example/\", \"position\": -1}", NULL, "position" },
			{ "PATCH", "/3d_views/%lld", f.view, "{\"url\": \"mailto:a@b.se\"}", NULL, "url" },
			{ "PATCH", "/3d_views/%lld", f.view, "{\"title\": @}", s71, "title" },
			{ "PATCH", "/3d_views/%lld", f.view, "{\"position\": 101}", NULL, "position" },
			{ "PATCH", "/3d_views/%lld", f.view, "{\"position\": \"second\"}", NULL, "position" },
			{ "POST", "/pictures", 0, "{\"file_reference\": 5}", NULL, "file_reference" },
			{ "POST", "/pictures", 0, "{\"file_reference\": @}", s129, "file_reference" },
			{ "POST", "/pictures", 0, "{\"file_reference\": \"@\", \"caption\": 5}", f.img, "caption" },
			{ "POST", "/pictures", 0, "{\"file_reference\": \"@\", \"picture_type\": 1}", f.img,
			  "picture_type" },
			{ "PATCH", "/pictures/%lld", f.picture, "{\"position\": \"x\"}", NULL, "position" },
			{ "PATCH", "/pictures/%lld", f.picture, "{\"position\": -1}", NULL, "position" },
			{ "PATCH", "/pictures/%lld", f.picture, "{\"caption\": null}", NULL, "caption" },
			{ "POST", "/videos", 0, "{}", NULL, "file_reference" },
			{ "POST", "/videos", 0, "{\"file_reference\": \"@\", \"video_type\": 5}", f.vid, "video_type" },
			{ "POST", "/videos", 0, "{\"file_reference\": \"@\", \"video_type\": \"project_image\"}", f.vid,
			  "video_type" },
			{ "PATCH", "/videos/%lld", f.video, "{\"position\": -1}", NULL, "position" },
			{ "PUT", "/location", 0, "{\"city\": \"U\", \"latitude\": 59, \"longitude\": 181}", NULL,
			  "longitude" },
			{ "PUT", "/location", 0, "{\"city\": \"U\", \"latitude\": -91, \"longitude\": 1}", NULL,
			  "latitude" },
			{ "PUT", "/location", 0, "{\"city\": \"U\", \"latitude\": \"north\", \"longitude\": 1}", NULL,
			  "latitude" },
			{ "PUT", "/location", 0, "{\"city\": @, \"latitude\": 59, \"longitude\": 17}", s129, "city" },
			{ "PUT", "/location", 0, "{\"city\": \"\", \"latitude\": 59, \"longitude\": 17}", NULL, "city" },
			{ "PUT", "/location", 0, "{\"city\": \"U\", \"latitude\": 59, \"longitude\": 17, \"street\": @}",
			  s129, "street" },
			{ "PATCH", "/location", 0, "{\"city\": \"U\", \"latitude\": 59, \"longitude\": 17, \"zip_code\": @}",
			  s33, "zip_code" },
			{ "PATCH", "/location", 0, "{\"latitude\": 59, \"longitude\": 17}", NULL, "city" },
		};
		before = snapshot(f.id);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			char *body = subst(cases[i].body, cases[i].arg);
			struct hresp *r;
			if (cases[i].item) /* "/freetext/%lld" → "/freetext/<id>" */
				snprintf(path, sizeof(path), "%.*s%lld", (int)(strchr(cases[i].sub, '%') - cases[i].sub),
					 cases[i].sub, (long long)cases[i].item);
			else
				snprintf(path, sizeof(path), "%s", cases[i].sub);
			r = harness_auth(h, cases[i].method, proj(p, f.id, path), co.admin_token, body);
			cr_assert_eq(r->status, 412, "case %zu %s %s: %s", i, cases[i].method, path, r->body);
			expect_invalid(r, cases[i].field);
			hresp_free(r);
			free(body);
		}
		after = snapshot(f.id);
		cr_assert_str_eq(after, before, "a refused write changed the project");
		free(before);
		free(after);
	}
	full_free(&f);
}

/* Videos: delete (204, then 404), and the entry lists are public once the project is. */
Test(projects, video_delete_and_public_timeline)
{
	int64_t estate, id = publishable("P", &estate), v;
	char *vid = upload_video(co.admin_token, "project_video");
	char p[512];
	struct hresp *r;

	v = add_media(co.admin_token, id, "/videos", vid, "");
	created_id(harness_auth(h, "POST", proj(p, id, "/timeline"), co.admin_token,
				"{\"date\": \"2031-01-01\", \"title\": \"Keys\", \"description\": \"In\"}"),
		   201);
	r = harness_auth(h, "GET", proj(p, id, "/timeline"), NULL, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	expect_status_free(patch_project(co.admin_token, id, "{\"published\": true}"), 200);
	r = harness_auth(h, "GET", proj(p, id, "/timeline/"), NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 1, "%s", r->body);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "results"), 0), "title"), "Keys");
	hresp_free(r);
	r = get_project(NULL, id);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "timeline_entries"), 0), "date"), "2031-01-01");
	hresp_free(r);
	expect_status_free(harness_auth(h, "DELETE",
					pathf(p, "/api/v1/projects/%lld/videos/%lld/", (long long)id, (long long)v),
					co.admin_token, NULL),
			   204);
	r = harness_auth(h, "GET", proj(p, id, "/videos"), NULL, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 0, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "DELETE", pathf(p, "/api/v1/projects/%lld/videos/%lld", (long long)id, (long long)v),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_media"), 0);
	free(vid);
}

/* The public view shows the landlord's values of every member they share (ProjectPublic ⊂ ProjectLandlord). */
Test(projects, public_view_values_match_the_landlord_view)
{
	int64_t estate, id = publishable("Riverside", &estate);
	struct hresp *pub, *own;
	size_t n = 0;

	expect_status_free(
	    patch_project(co.admin_token, id,
			  "{\"published\": true, \"apartment_count\": 12, \"area_info_header\": \"Area\","
			  " \"area_info_description\": \"Green\", \"candidate_sorting_mode\": \"random\","
			  " \"contract_system\": \"C\", \"is_short_lease\": true, \"preliminary_move_in_date\": \"2031-04-01\","
			  " \"show_freetext_module\": true, \"external_id\": \"EXT-1\", \"viewing_notes\": \"Ring\","
			  " \"prioritize_existing_tenants\": true}"),
	    200);
	own = get_project(co.admin_token, id);
	pub = get_project(NULL, id);
	cr_assert_eq(pub->status, 200, "%s", pub->body);
	for (size_t i = 0; public_keys[i]; i++) {
		json_t *mine = json_object_get(own->json, public_keys[i]);
		if (!mine)
			continue; /* freetext_entries, project_location, timeline_entries: public only */
		cr_assert(json_equal(mine, json_object_get(pub->json, public_keys[i])), "%s differs: %s vs %s",
			  public_keys[i], own->body, pub->body);
		n++;
	}
	cr_assert_eq(n, 26, "shared members: %zu", n);
	cr_assert_eq(hresp_int(pub, "apartment_count"), 12);
	cr_assert_str_eq(hresp_str(pub, "contract_system"), "C");
	cr_assert_str_eq(hresp_str(pub, "candidate_sorting_mode"), "random");
	cr_assert_str_eq(hresp_str(pub, "preliminary_move_in_date"), "2031-04-01");
	/* nothing of the landlord's own */
	cr_assert(!strstr(pub->body, "EXT-1") && !strstr(pub->body, "Ring"), "%s", pub->body);
	hresp_free(own);
	hresp_free(pub);
}

/* §11f sub-resources: at most PROJECT_MAX_ITEMS entries per list; the next is 409 and writes nothing. */
Test(projects, lists_are_bounded)
{
	static const struct {
		const char *sub;
		const char *body;
		const char *error;
		const char *table;
	} lists[] = {
		{ "/freetext", "{\"title\": \"T\", \"description\": \"D\", \"position\": 1}", "TooManyFreetextEntries",
		  "project_freetext" },
		{ "/timeline", "{\"date\": \"2030-01-01\", \"title\": \"T\", \"description\": \"D\"}",
		  "TooManyTimelineEntries", "project_timeline" },
		{ "/3d_views", "{\"url\": \"https://tour.example.com/\"}", "TooMany3dViews", "project_3d_views" },
	};
	int64_t id = make_project(co.admin_token, "Big"), small = make_project(co.admin_token, "Small");
	char p[512], sql[128];
	struct hresp *r;

	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		for (int i = 0; i < PROJECT_MAX_ITEMS; i++)
			created_id(harness_auth(h, "POST", proj(p, id, lists[l].sub), co.admin_token, lists[l].body), 201);
		r = harness_auth(h, "POST", proj(p, id, lists[l].sub), co.admin_token, lists[l].body);
		expect_error(r, 409, lists[l].error);
		hresp_free(r);
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", lists[l].table);
		cr_assert_eq(harness_sql_int(h, "%s", sql), PROJECT_MAX_ITEMS);
		/* the bound is per project */
		created_id(harness_auth(h, "POST", proj(p, small, lists[l].sub), co.admin_token, lists[l].body), 201);
	}
}

/* ---- the environment reset ---- */

Test(projects, company_reset_removes_projects)
{
	int64_t estate, id = published("P", &estate);
	char *img = upload_image(co.admin_token, "project_image");
	int64_t theirs = make_project(other.admin_token, "Theirs");

	add_media(co.admin_token, id, "/pictures", img, "");
	expect_status_free(harness_auth(h, "POST", "/api/v1/company/reset/", co.admin_token, NULL), 200);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM projects WHERE company_id IN (SELECT id FROM companies"
			      " WHERE name = 'Acme')"),
		     0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_media"), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM file_references WHERE entity_type = 'project_image'"), 0);
	expect_status_free(get_project(other.admin_token, theirs), 200);
	free(img);
}

/* The project's search card follows every project write in the same transaction (core/listings/cards.h). */
Test(projects, search_cards_follow_the_project)
{
	int64_t estate, id = published("P", &estate), req = make_requirement(co.admin_token);
	int64_t a = make_apartment(co.admin_token, estate, "1001", 8000);
	struct hresp *r;
	json_t *card;

	created_id(reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			"{\"apartment\": %lld, \"is_project_rental\": true, \"requirement\": %lld}", (long long)a,
			(long long)req),
		   201);
	expect_status_free(patch_project(co.admin_token, id, "{\"name\": \"Renamed\"}"), 200);
	r = harness_auth(h, "POST", "/api/v3/cards/", NULL, "{}");
	cr_assert_eq(hresp_int(r, "total_hits"), 1, "%s", r->body);
	card = json_array_get(json_object_get(r->json, "results"), 0);
	cr_assert_str_eq(jstr(card, "type"), "project");
	cr_assert_str_eq(jstr(card, "title"), "Renamed", "%s", r->body);
	cr_assert_eq(jint(json_object_get(card, "references"), "project"), id);
	hresp_free(r);
	expect_status_free(patch_project(co.admin_token, id, "{\"closed\": true}"), 200);
	r = harness_auth(h, "POST", "/api/v3/cards/", NULL, "{}");
	cr_assert_eq(hresp_int(r, "total_hits"), 0, "a closed project has no card: %s", r->body);
	hresp_free(r);
}
