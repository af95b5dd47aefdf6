/*
 * Pictures and videos of apartments and estates (homeq.md §4, §10, §12.3, §15 rules
 * 27–29; decisions.md H-07, H-09, H-33): the four lists with create, list, update and
 * delete, positions, the file-reference rules (412 naming file_reference), rights (403
 * naming the right), scope (404), the estate views' estate_images / area_images /
 * display_image, thumbnails, video compression by ffmpeg, and the company reset.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "core/inventory/inventory.h"
#include "core/media/media.h"
#include "jobs/jobs.h"
#include "org_common.h"

#define RIGHT_APT "entity.Apartment.update"
#define RIGHT_ESTATE "entity.estate.update"

static char media_dir[256];
static struct harness *h;
static struct fixture_company co;
static int64_t estate, apt;
static unsigned upload_seq;

static void use_own_media_dir(struct config *cfg)
{
	snprintf(media_dir, sizeof(media_dir), "/tmp/rentd-imedia-XXXXXX");
	cr_assert(mkdtemp(media_dir));
	snprintf(cfg->media_dir, sizeof(cfg->media_dir), "%s", media_dir);
}

static int64_t make_estate(const char *token)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", token, "{\"legal_name\": \"E\", \"city\": \"Stockholm\"}");
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static int64_t make_apartment(const char *token, int64_t est, const char *nid)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", token,
			       "{\"estate\": %lld, \"street_name\": \"Drottninggatan\", \"street_number\": \"3\","
			       " \"zip_code\": \"11151\", \"national_id\": \"%s\", \"latitude\": 59.3293,"
			       " \"longitude\": 18.0686, \"area\": 42.5, \"floor\": 1, \"rent\": 9000, \"rooms\": 1.5}",
			       (long long)est, nid);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static void setup(void)
{
	h = harness_create_with(use_own_media_dir);
	fixture_company(h, "Acme", &co);
	estate = make_estate(co.admin_token);
	apt = make_apartment(co.admin_token, estate, "1001");
}

static void teardown(void)
{
	char cmd[300];
	harness_destroy(h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", media_dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(inventory_media, .init = setup, .fini = teardown);

/* ---- uploads ---- */

static void md5_b64(const void *data, size_t len, char out[25])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	cr_assert(EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL));
	sodium_bin2base64(out, 25, md, mdlen, sodium_base64_VARIANT_ORIGINAL);
}

/* A file reference (pending); *signed_path receives the upload path (NULL: none). */
static char *new_ref(const char *token, const char *entity, const char *mime, const void *data, size_t len,
		     char **signed_path)
{
	char md5[25];
	struct hresp *r;
	char *id;
	const char *url, *base = app_config(h->app)->public_url;

	md5_b64(data, len, md5);
	r = reqf(h, "POST", "/api/v1/file_reference/", token,
		 "{\"entity_type\":\"%s\",\"mime_type\":\"%s\",\"content_length\":%zu,\"content_md5\":\"%s\"}", entity,
		 mime, len, md5);
	cr_assert(r->status == 201 || r->status == 200, "%s", r->body);
	id = strdup(hresp_str(r, "file_reference"));
	url = hresp_str(r, "signed_url");
	*signed_path = url ? strdup(url + strlen(base)) : NULL;
	hresp_free(r);
	return id;
}

/* An uploaded file reference of entity with these bytes; free the result. */
static char *upload(const char *token, const char *entity, const char *mime, const void *data, size_t len)
{
	char *path, cl[64];
	const char *headers[2] = { cl, NULL };
	char *id = new_ref(token, entity, mime, data, len, &path);
	struct hresp *u;

	if (!path)
		return id; /* the same bytes are stored already */
	snprintf(cl, sizeof(cl), "Content-Length: %zu", len);
	u = harness_request_ex(h, "PUT", path, mime, data, len, headers);
	cr_assert_eq(u->status, 200, "%s", u->body);
	hresp_free(u);
	free(path);
	return id;
}

/* A JPEG header then bytes that differ per call (distinct stored files). */
static char *upload_image(const char *token, const char *entity)
{
	unsigned char data[200];
	memset(data, 0x42, sizeof(data));
	memcpy(data, "\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);
	snprintf((char *)data + 20, 20, "n%u", ++upload_seq);
	return upload(token, entity, "image/jpeg", data, sizeof(data));
}

/* A bare ISO-media header: enough for a stored video that nobody compresses. */
static char *upload_fake_video(const char *token)
{
	unsigned char data[100];
	memset(data, 0, sizeof(data));
	memcpy(data, "\x00\x00\x00\x18" "ftypmp42", 12);
	snprintf((char *)data + 40, 20, "v%u", ++upload_seq);
	return upload(token, "apartment_video", "video/mp4", data, sizeof(data));
}

/* ---- requests ---- */

static const char *sub(char *p, const char *owner, int64_t id, const char *list)
{
	return pathf(p, "/api/v4/%s/%lld/%s", owner, (long long)id, list);
}

static const char *item(char *p, const char *owner, int64_t id, const char *list, long long item_id)
{
	return pathf(p, "/api/v4/%s/%lld/%s/%lld", owner, (long long)id, list, item_id);
}

static int64_t add_link(const char *token, const char *owner, int64_t id, const char *list, const char *ref,
		    const char *extra)
{
	char p[512];
	struct hresp *r = reqf(h, "POST", sub(p, owner, id, list), token, "{\"file_reference\": \"%s\"%s}", ref,
			       extra ? extra : "");
	int64_t out;
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "id", NULL });
	out = hresp_int(r, "id");
	hresp_free(r);
	return out;
}

static struct hresp *list(const char *token, const char *owner, int64_t id, const char *what)
{
	char p[512];
	struct hresp *r = harness_auth(h, "GET", sub(p, owner, id, what), token, NULL);
	if (r->status == 200)
		cr_assert(json_is_array(json_object_get(r->json, "results")), "%s", r->body);
	return r;
}

static json_t *results(struct hresp *r)
{
	return json_object_get(r->json, "results");
}

/* The ids of the list in order, and positions 0..n-1 checked. */
static void expect_order(const char *owner, int64_t id, const char *what, const int64_t *ids, size_t n)
{
	struct hresp *r = list(co.admin_token, owner, id, what);
	json_t *arr;
	cr_assert_eq(r->status, 200, "%s", r->body);
	arr = results(r);
	cr_assert_eq(json_array_size(arr), n, "%s", r->body);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(jint(json_array_get(arr, i), "id"), ids[i], "item %zu: %s", i, r->body);
		cr_assert_eq(jint(json_array_get(arr, i), "position"), (long long)i, "%s", r->body);
	}
	hresp_free(r);
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *url_prefix(const char *dir)
{
	static char buf[700];
	snprintf(buf, sizeof(buf), "%s/media/%s/", app_config(h->app)->public_url, dir);
	return buf;
}

/* ---- apartment pictures ---- */

Test(inventory_media, apartment_pictures_create_list_update_delete)
{
	char *ref[3], p[512];
	int64_t id[3];
	struct hresp *r;
	json_t *it;

	for (int i = 0; i < 3; i++)
		ref[i] = upload_image(co.admin_token, "apartment_image");
	id[0] = add_link(co.admin_token, "apartment", apt, "pictures", ref[0], ", \"caption\": \"Kitchen\"");
	id[1] = add_link(co.admin_token, "apartment", apt, "pictures", ref[1], NULL);
	id[2] = add_link(co.admin_token, "apartment", apt, "pictures", ref[2], ", \"caption\": \"Hall\"");

	r = list(co.admin_token, "apartment", apt, "pictures");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(results(r)), 3);
	it = json_array_get(results(r), 0);
	expect_keys(it, (const char *const[]){ "apartment", "caption", "id", "position", "reference", "thumbnail_url",
					       "url", NULL });
	cr_assert_eq(jint(it, "apartment"), apt);
	cr_assert_str_eq(jstr(it, "caption"), "Kitchen");
	cr_assert_eq(jint(it, "id"), id[0]);
	cr_assert_eq(jint(it, "position"), 0);
	cr_assert_str_eq(jstr(it, "reference"), ref[0]);
	cr_assert(starts_with(jstr(it, "url"), url_prefix("apartment_images")), "%s", r->body);
	cr_assert(json_is_null(json_object_get(it, "thumbnail_url")), "no thumbnails before the job: %s", r->body);
	cr_assert_str_eq(jstr(json_array_get(results(r), 1), "caption"), "");
	hresp_free(r);
	expect_order("apartment", apt, "pictures", (int64_t[]){ id[0], id[1], id[2] }, 3);

	/* the url serves the file */
	r = list(co.admin_token, "apartment", apt, "pictures");
	{
		const char *url = jstr(json_array_get(results(r), 0), "url");
		struct hresp *g = harness_request(h, "GET", strstr(url, "/media/"), NULL);
		cr_assert_eq(g->status, 200);
		cr_assert_eq(g->body_len, 200);
		hresp_free(g);
	}
	hresp_free(r);

	/* update: caption, then position; PUT is PATCH (G-02) */
	r = reqf(h, "PATCH", item(p, "apartment", apt, "pictures", id[1]), co.admin_token, "{\"caption\": \"Living room\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "caption"), "Living room");
	cr_assert_eq(hresp_int(r, "position"), 1);
	cr_assert_eq(hresp_int(r, "id"), id[1]);
	hresp_free(r);
	r = reqf(h, "PUT", item(p, "apartment", apt, "pictures", id[2]), co.admin_token, "{\"position\": 0}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "position"), 0);
	cr_assert_str_eq(hresp_str(r, "caption"), "Hall", "caption unchanged");
	hresp_free(r);
	expect_order("apartment", apt, "pictures", (int64_t[]){ id[2], id[0], id[1] }, 3);
	/* past the end: last */
	r = reqf(h, "PATCH", item(p, "apartment", apt, "pictures", id[2]), co.admin_token, "{\"position\": 50}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "position"), 2);
	hresp_free(r);
	expect_order("apartment", apt, "pictures", (int64_t[]){ id[0], id[1], id[2] }, 3);
	/* the same place: nothing moves; an empty body changes nothing */
	expect_status_free(reqf(h, "PATCH", item(p, "apartment", apt, "pictures", id[1]), co.admin_token, "{\"position\": 1}"), 200);
	expect_status_free(reqf(h, "PATCH", item(p, "apartment", apt, "pictures", id[1]), co.admin_token, "{}"), 200);
	expect_order("apartment", apt, "pictures", (int64_t[]){ id[0], id[1], id[2] }, 3);

	/* delete renumbers */
	r = harness_auth(h, "DELETE", item(p, "apartment", apt, "pictures", id[0]), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	expect_order("apartment", apt, "pictures", (int64_t[]){ id[1], id[2] }, 2);
	r = harness_auth(h, "DELETE", item(p, "apartment", apt, "pictures", id[0]), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "PATCH", item(p, "apartment", apt, "pictures", id[0]), co.admin_token, "{\"caption\": \"x\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* a new one goes last */
	id[0] = add_link(co.admin_token, "apartment", apt, "pictures", ref[0], NULL);
	expect_order("apartment", apt, "pictures", (int64_t[]){ id[1], id[2], id[0] }, 3);
	for (int i = 0; i < 3; i++)
		free(ref[i]);
}

Test(inventory_media, bad_input)
{
	char *ref = upload_image(co.admin_token, "apartment_image"), p[512], long_caption[80];
	int64_t pic;
	struct hresp *r;

	memset(long_caption, 'a', 71);
	long_caption[71] = '\0';
	sub(p, "apartment", apt, "pictures");
	r = reqf(h, "POST", p, co.admin_token, "{\"caption\": \"x\"}");
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = reqf(h, "POST", p, co.admin_token, "{\"file_reference\": 12}");
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = reqf(h, "POST", p, co.admin_token, "{\"file_reference\": \"\"}");
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = reqf(h, "POST", p, co.admin_token, "{\"file_reference\": \"%0129d\"}", 0);
	expect_invalid(r, "file_reference");
	hresp_free(r);
	r = reqf(h, "POST", p, co.admin_token, "{\"file_reference\": \"%s\", \"caption\": \"%s\"}", ref, long_caption);
	expect_invalid(r, "caption");
	hresp_free(r);
	r = reqf(h, "POST", p, co.admin_token, "{\"file_reference\": \"%s\", \"caption\": 5}", ref);
	expect_invalid(r, "caption");
	hresp_free(r);
	r = reqf(h, "POST", p, co.admin_token, "{\"file_reference\": \"%s\"", ref);
	cr_assert_eq(r->status, 400, "%s", r->body);
	hresp_free(r);
	r = harness_request_ex(h, "POST", p, "text/plain", "x", 1,
			       (const char *const[]){ "Authorization: JWT x", NULL });
	cr_assert(r->status == 415 || r->status == 401, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM media_links"), 0, "a refused request changes nothing");

	pic = add_link(co.admin_token, "apartment", apt, "pictures", ref, NULL);
	item(p, "apartment", apt, "pictures", pic);
	r = reqf(h, "PATCH", p, co.admin_token, "{\"position\": -1}");
	expect_invalid(r, "position");
	hresp_free(r);
	r = reqf(h, "PATCH", p, co.admin_token, "{\"position\": \"first\"}");
	expect_invalid(r, "position");
	hresp_free(r);
	r = reqf(h, "PATCH", p, co.admin_token, "{\"position\": 1.5}");
	expect_invalid(r, "position");
	hresp_free(r);
	r = reqf(h, "PATCH", p, co.admin_token, "{\"caption\": \"%s\"}", long_caption);
	expect_invalid(r, "caption");
	hresp_free(r);
	/* numbers as strings (G-04) */
	r = reqf(h, "PATCH", p, co.admin_token, "{\"position\": \"0\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);

	/* unknown ids, and ids that the router refuses */
	r = list(co.admin_token, "apartment", 999999, "pictures");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v4/apartment/abc/pictures", co.admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
	r = reqf(h, "PATCH", "/api/v4/apartment/1/pictures/x", co.admin_token, "{}");
	cr_assert_eq(r->status, 404, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "GET", sub(p, "apartment", apt, "pictures"), NULL, NULL);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	free(ref);
}

/* ---- file references ---- */

Test(inventory_media, file_reference_must_match_the_list)
{
	char *apt_img = upload_image(co.admin_token, "apartment_image");
	char *est_img = upload_image(co.admin_token, "estate_image");
	char *area_img = upload_image(co.admin_token, "estate_area_image");
	char *video = upload_fake_video(co.admin_token);
	char *floor = upload_image(co.admin_token, "floor_plan");
	char *pending, *path, p[512];
	struct fixture_company other;
	char *foreign;
	unsigned char bytes[50] = { 0xFF, 0xD8, 0xFF, 7 };
	struct {
		const char *owner;
		const char *list;
		const char *ref;
	} wrong[] = {
		{ "apartment", "pictures", est_img },   { "apartment", "pictures", video },
		{ "apartment", "pictures", floor },     { "apartment", "videos", apt_img },
		{ "estate", "pictures", area_img },     { "estate", "pictures", apt_img },
		{ "estate", "area_pictures", est_img }, { "estate", "area_pictures", video },
		{ "apartment", "pictures", "0123456789abcdef0123456789abcdef" },
		{ "apartment", "pictures", "not-a-reference" },
	};

	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		int64_t owner = !strcmp(wrong[i].owner, "apartment") ? apt : estate;
		struct hresp *r = reqf(h, "POST", sub(p, wrong[i].owner, owner, wrong[i].list), co.admin_token,
				       "{\"file_reference\": \"%s\"}", wrong[i].ref);
		expect_invalid(r, "file_reference");
		hresp_free(r);
	}
	{
		struct hresp *r = reqf(h, "POST", sub(p, "apartment", apt, "pictures"), co.admin_token,
				       "{\"file_reference\": \"%s\"}", est_img);
		cr_assert(strstr(r->body, "apartment_image") && strstr(r->body, "estate_image"),
			  "names both entity types: %s", r->body);
		hresp_free(r);
	}

	/* not uploaded yet */
	pending = new_ref(co.admin_token, "apartment_image", "image/jpeg", bytes, sizeof(bytes), &path);
	cr_assert(path);
	{
		struct hresp *r = reqf(h, "POST", sub(p, "apartment", apt, "pictures"), co.admin_token,
				       "{\"file_reference\": \"%s\"}", pending);
		expect_invalid(r, "file_reference");
		cr_assert(strstr(r->body, "uploaded"), "%s", r->body);
		hresp_free(r);
	}

	/* another company's upload, even of the right type */
	fixture_company(h, "Other", &other);
	foreign = upload_image(other.admin_token, "apartment_image");
	{
		struct hresp *r = reqf(h, "POST", sub(p, "apartment", apt, "pictures"), co.admin_token,
				       "{\"file_reference\": \"%s\"}", foreign);
		expect_invalid(r, "file_reference");
		hresp_free(r);
	}
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM media_links"), 0);

	/* the right ones */
	add_link(co.admin_token, "apartment", apt, "pictures", apt_img, NULL);
	add_link(co.admin_token, "apartment", apt, "videos", video, NULL);
	add_link(co.admin_token, "estate", estate, "pictures", est_img, NULL);
	add_link(co.admin_token, "estate", estate, "area_pictures", area_img, NULL);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM media_links"), 4);
	free(apt_img), free(est_img), free(area_img), free(video), free(floor), free(pending), free(path), free(foreign);
}

/* ---- rights and scope ---- */

static void expect_denied(const char *token, const char *owner, int64_t id, const char *what, int64_t item_id,
			  const char *right, int status)
{
	char p[512];
	struct hresp *r[4];
	r[0] = list(token, owner, id, what);
	r[1] = reqf(h, "POST", sub(p, owner, id, what), token, "{\"file_reference\": \"0123456789abcdef0123456789abcdef\"}");
	r[2] = reqf(h, "PATCH", item(p, owner, id, what, item_id), token, "{\"position\": 0}");
	r[3] = harness_auth(h, "DELETE", item(p, owner, id, what, item_id), token, NULL);
	for (int i = 0; i < 4; i++) {
		if (status == 403)
			expect_no_right(r[i], right);
		else
			expect_error(r[i], 404, "NotFound");
		hresp_free(r[i]);
	}
}

Test(inventory_media, rights_and_scope)
{
	char observer[1024], subtoken[1024];
	char *apt_img = upload_image(co.admin_token, "apartment_image");
	char *video = upload_fake_video(co.admin_token);
	char *est_img = upload_image(co.admin_token, "estate_image");
	char *area_img = upload_image(co.admin_token, "estate_area_image");
	int64_t pic = add_link(co.admin_token, "apartment", apt, "pictures", apt_img, NULL);
	int64_t vid = add_link(co.admin_token, "apartment", apt, "videos", video, NULL);
	int64_t epic = add_link(co.admin_token, "estate", estate, "pictures", est_img, NULL);
	int64_t apic = add_link(co.admin_token, "estate", estate, "area_pictures", area_img, NULL);
	int64_t office = fixture_office(h, co.id, co.root_office, "Malmö");
	struct fixture_company other;

	/* an observer: 403 naming the group's right, on all four operations (H-33) */
	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	expect_denied(observer, "apartment", apt, "pictures", pic, RIGHT_APT, 403);
	expect_denied(observer, "apartment", apt, "videos", vid, RIGHT_APT, 403);
	expect_denied(observer, "estate", estate, "pictures", epic, RIGHT_ESTATE, 403);
	expect_denied(observer, "estate", estate, "area_pictures", apic, RIGHT_ESTATE, 403);

	/* another company's admin, and an employee of a sibling subtree: 404 */
	fixture_company(h, "Other", &other);
	expect_denied(other.admin_token, "apartment", apt, "pictures", pic, NULL, 404);
	expect_denied(other.admin_token, "apartment", apt, "videos", vid, NULL, 404);
	expect_denied(other.admin_token, "estate", estate, "pictures", epic, NULL, 404);
	expect_denied(other.admin_token, "estate", estate, "area_pictures", apic, NULL, 404);
	fixture_employee(h, co.id, office, "admin", "sub", subtoken);
	expect_denied(subtoken, "apartment", apt, "pictures", pic, NULL, 404);
	expect_denied(subtoken, "estate", estate, "area_pictures", apic, NULL, 404);

	/* an item of another list of the same owner is not found through this one */
	{
		char p[512];
		struct hresp *r = reqf(h, "PATCH", item(p, "apartment", apt, "pictures", vid), co.admin_token, "{}");
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		r = harness_auth(h, "DELETE", item(p, "estate", estate, "pictures", apic), co.admin_token, NULL);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
	}
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM media_links"), 4, "nothing changed");
	free(apt_img), free(video), free(est_img), free(area_img);
}

/* ---- videos ---- */

Test(inventory_media, apartment_videos)
{
	char *v1 = upload_fake_video(co.admin_token), *v2 = upload_fake_video(co.admin_token), p[512];
	int64_t a = add_link(co.admin_token, "apartment", apt, "videos", v1, ", \"caption\": \"Tour\", \"private\": true");
	int64_t b = add_link(co.admin_token, "apartment", apt, "videos", v2, NULL);
	struct hresp *r = list(co.admin_token, "apartment", apt, "videos");
	json_t *it;

	cr_assert_eq(r->status, 200, "%s", r->body);
	it = json_array_get(results(r), 0);
	expect_keys(it, (const char *const[]){ "apartment", "id", "position", "private", "reference", "url", NULL });
	cr_assert_eq(jint(it, "apartment"), apt);
	cr_assert(json_is_true(json_object_get(it, "private")));
	cr_assert(json_is_false(json_object_get(json_array_get(results(r), 1), "private")), "default false");
	cr_assert_str_eq(jstr(it, "reference"), v1);
	cr_assert(starts_with(jstr(it, "url"), url_prefix("apartment_videos")), "%s", r->body);
	cr_assert(strstr(jstr(it, "url"), ".mp4"));
	hresp_free(r);

	r = reqf(h, "POST", sub(p, "apartment", apt, "videos"), co.admin_token,
		 "{\"file_reference\": \"%s\", \"private\": \"yes\"}", v1);
	expect_invalid(r, "private");
	hresp_free(r);

	/* update takes position only; caption is not a video update field (G-03) */
	r = reqf(h, "PATCH", item(p, "apartment", apt, "videos", b), co.admin_token,
		 "{\"position\": 0, \"caption\": \"ignored\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "apartment", "id", "position", "private", "reference", "url", NULL });
	cr_assert_eq(hresp_int(r, "position"), 0);
	hresp_free(r);
	expect_order("apartment", apt, "videos", (int64_t[]){ b, a }, 2);
	expect_status_free(harness_auth(h, "DELETE", item(p, "apartment", apt, "videos", b), co.admin_token, NULL), 204);
	expect_order("apartment", apt, "videos", (int64_t[]){ a }, 1);
	/* each video queued one compress job */
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'compress_video'"), 2);
	free(v1), free(v2);
}

/* ---- estates ---- */

Test(inventory_media, estate_pictures_and_the_estate_views)
{
	char *e1 = upload_image(co.admin_token, "estate_image"), *e2 = upload_image(co.admin_token, "estate_image");
	char *a1 = upload_image(co.admin_token, "estate_area_image"), p[512];
	struct hresp *r;
	json_t *it, *imgs;
	int64_t p1, p2, q1;
	char first_url[700];

	/* none yet */
	r = harness_auth(h, "GET", pathf(p, "/api/v4/estate/%lld", (long long)estate), co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "estate_images")), 0);
	cr_assert(json_is_null(json_object_get(r->json, "display_image")));
	hresp_free(r);

	p1 = add_link(co.admin_token, "estate", estate, "pictures", e1, ", \"caption\": \"Front\"");
	p2 = add_link(co.admin_token, "estate", estate, "pictures", e2, NULL);
	q1 = add_link(co.admin_token, "estate", estate, "area_pictures", a1, ", \"caption\": \"Park\"");

	r = list(co.admin_token, "estate", estate, "pictures");
	cr_assert_eq(r->status, 200, "%s", r->body);
	it = json_array_get(results(r), 0);
	expect_keys(it, (const char *const[]){ "caption", "estate", "id", "position", "reference", "thumbnail_url", "url",
					       NULL });
	cr_assert_eq(jint(it, "estate"), estate);
	cr_assert_str_eq(jstr(it, "caption"), "Front");
	cr_assert(starts_with(jstr(it, "url"), url_prefix("estate_images")));
	snprintf(first_url, sizeof(first_url), "%s", jstr(it, "url"));
	hresp_free(r);
	r = list(co.admin_token, "estate", estate, "area_pictures");
	it = json_array_get(results(r), 0);
	cr_assert_eq(jint(it, "id"), q1);
	cr_assert(starts_with(jstr(it, "url"), url_prefix("estate_area_images")));
	hresp_free(r);

	/* the landlord view */
	r = harness_auth(h, "GET", pathf(p, "/api/v4/estate/%lld", (long long)estate), co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	imgs = json_object_get(r->json, "estate_images");
	cr_assert_eq(json_array_size(imgs), 2);
	expect_keys(json_array_get(imgs, 0), (const char *const[]){ "id", "url", NULL });
	cr_assert_eq(jint(json_array_get(imgs, 0), "id"), p1);
	cr_assert_eq(jint(json_array_get(imgs, 1), "id"), p2);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "area_images"), 0), "id"), q1);
	cr_assert_str_eq(hresp_str(r, "display_image"), first_url);
	hresp_free(r);

	/* the public view: the images, no display_image */
	r = harness_auth(h, "GET", pathf(p, "/api/v4/estate/%lld", (long long)estate), NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "estate_images")), 2);
	cr_assert_eq(json_array_size(json_object_get(r->json, "area_images")), 1);
	cr_assert_null(json_object_get(r->json, "display_image"));
	hresp_free(r);

	/* moving the second picture first changes the display image; PATCH estate answers with it too */
	expect_status_free(reqf(h, "PATCH", item(p, "estate", estate, "pictures", p2), co.admin_token, "{\"position\": 0}"), 200);
	r = reqf(h, "PATCH", pathf(p, "/api/v4/estate/%lld", (long long)estate), co.admin_token, "{\"estate_owner\": \"X\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "estate_images"), 0), "id"), p2);
	cr_assert_str_neq(hresp_str(r, "display_image"), first_url);
	hresp_free(r);

	/* area picture update and delete */
	r = reqf(h, "PATCH", item(p, "estate", estate, "area_pictures", q1), co.admin_token, "{\"caption\": \"Lake\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "caption"), "Lake");
	hresp_free(r);
	expect_status_free(harness_auth(h, "DELETE", item(p, "estate", estate, "area_pictures", q1), co.admin_token, NULL), 204);
	expect_order("estate", estate, "area_pictures", NULL, 0);

	/* an estate without apartments can be deleted: its pictures go with it */
	{
		int64_t lone = make_estate(co.admin_token);
		add_link(co.admin_token, "estate", lone, "pictures", e1, NULL);
		expect_status_free(harness_auth(h, "DELETE", pathf(p, "/api/v4/estate/%lld", (long long)lone), co.admin_token, NULL), 204);
		cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM media_links WHERE estate_id IS NOT NULL"), 2);
	}
	free(e1), free(e2), free(a1);
}

Test(inventory_media, list_limit)
{
	char *ref = upload_image(co.admin_token, "estate_area_image"), p[512];
	struct hresp *r;
	for (int i = 0; i < INVENTORY_MAX_MEDIA; i++)
		add_link(co.admin_token, "estate", estate, "area_pictures", ref, NULL);
	r = reqf(h, "POST", sub(p, "estate", estate, "area_pictures"), co.admin_token, "{\"file_reference\": \"%s\"}", ref);
	expect_error(r, 409, "TooManyPictures");
	hresp_free(r);
	free(ref);
}

Test(inventory_media, deleting_the_apartment_and_resetting_the_company)
{
	char *img = upload_image(co.admin_token, "apartment_image"), *est = upload_image(co.admin_token, "estate_image");
	char *logo = upload_image(co.admin_token, "logo_image");
	int64_t apt2 = make_apartment(co.admin_token, estate, "1002");
	char p[512];
	struct fixture_company other;
	char *theirs;
	int64_t their_estate;

	add_link(co.admin_token, "apartment", apt, "pictures", img, NULL);
	add_link(co.admin_token, "apartment", apt2, "pictures", img, NULL);
	add_link(co.admin_token, "estate", estate, "pictures", est, NULL);
	expect_status_free(harness_auth(h, "DELETE", pathf(p, "/api/v4/apartment/%lld", (long long)apt2), co.admin_token, NULL), 204);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM media_links"), 2);

	fixture_company(h, "Other", &other);
	their_estate = make_estate(other.admin_token);
	theirs = upload_image(other.admin_token, "estate_image");
	add_link(other.admin_token, "estate", their_estate, "pictures", theirs, NULL);

	expect_status_free(harness_auth(h, "POST", "/api/v1/company/reset/", co.admin_token, "{}"), 200);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM media_links"), 1, "only the other company's link is left");
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM estates"), 1);
	/* the inventory's file references went with it; the logo and the other company's stayed */
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM file_references WHERE company_id = 1"), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM file_references WHERE entity_type = 'logo_image'"), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM file_references WHERE company_id <> 1"), 1);
	free(img), free(est), free(theirs), free(logo);
}

/* ---- thumbnails ---- */

Test(inventory_media, thumbnail_url_once_the_job_ran)
{
	VipsImage *img = NULL;
	void *jpeg = NULL;
	size_t len = 0;
	char *ref;
	struct hresp *r;
	const char *thumb;

	cr_assert_eq(VIPS_INIT("test_inventory_media"), 0);
	cr_assert_eq(vips_black(&img, 400, 300, "bands", 3, NULL), 0);
	cr_assert_eq(vips_jpegsave_buffer(img, &jpeg, &len, NULL), 0);
	g_object_unref(img);
	ref = upload(co.admin_token, "apartment_image", "image/jpeg", jpeg, len);
	g_free(jpeg);
	add_link(co.admin_token, "apartment", apt, "pictures", ref, NULL);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	r = list(co.admin_token, "apartment", apt, "pictures");
	thumb = jstr(json_array_get(results(r), 0), "thumbnail_url");
	cr_assert(starts_with(thumb, url_prefix("320/apartment_images")), "%s", r->body);
	cr_assert(strstr(thumb, ".jpeg"));
	{
		struct hresp *g = harness_request(h, "GET", strstr(thumb, "/media/"), NULL);
		cr_assert_eq(g->status, 200, "%s", thumb);
		cr_assert_str_eq(g->content_type, "image/jpeg");
		hresp_free(g);
	}
	hresp_free(r);
	free(ref);
}

/* ---- video compression ---- */

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;
	cr_assert(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	cr_assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ffprobe's codec names of a file's streams, comma-separated. */
static void probe(const char *path, char *out, size_t outlen)
{
	char cmd[1200], line[64];
	FILE *p;
	out[0] = '\0';
	snprintf(cmd, sizeof(cmd), "ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '%s'", path);
	p = popen(cmd, "r");
	cr_assert(p);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (*out)
			strncat(out, ",", outlen - strlen(out) - 1);
		strncat(out, line, outlen - strlen(out) - 1);
	}
	pclose(p);
}

Test(inventory_media, videos_are_compressed_to_h264_by_a_job)
{
	char src[300], cmd[800], codecs[128], stored[1200], original_url[700];
	void *data;
	size_t len;
	char *ref;
	struct hresp *r;
	const char *url;
	struct stat st;

	/* a 1-second MPEG-4 Part 2 + AAC clip, so that H.264 in the result shows the work was done */
	snprintf(src, sizeof(src), "%s-src.mp4", media_dir);
	snprintf(cmd, sizeof(cmd),
		 "ffmpeg -nostdin -v error -y -f lavfi -i testsrc=duration=1:size=640x360:rate=25"
		 " -f lavfi -i sine=frequency=440:duration=1 -c:v mpeg4 -c:a aac -shortest '%s'",
		 src);
	cr_assert_eq(system(cmd), 0, "ffmpeg is needed for this test (scripts/install-deps.sh)");
	probe(src, codecs, sizeof(codecs));
	cr_assert_str_eq(codecs, "mpeg4,aac");
	data = read_file(src, &len);
	unlink(src);
	ref = upload(co.admin_token, "apartment_video", "video/mp4", data, len);
	free(data);
	add_link(co.admin_token, "apartment", apt, "videos", ref, NULL);

	/* until the job has run, the original */
	r = list(co.admin_token, "apartment", apt, "videos");
	snprintf(original_url, sizeof(original_url), "%s", jstr(json_array_get(results(r), 0), "url"));
	hresp_free(r);
	cr_assert(starts_with(original_url, url_prefix("apartment_videos")));
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'compress_video' AND state = 'queued'"), 1);

	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'compress_video' AND state = 'done'"), 1,
		     "the job failed; see the log");
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0);

	r = list(co.admin_token, "apartment", apt, "videos");
	url = jstr(json_array_get(results(r), 0), "url");
	cr_assert(starts_with(url, url_prefix("apartment_videos")), "%s", r->body);
	cr_assert_str_neq(url, original_url, "the url now points at the compressed file");
	cr_assert(strstr(url, ".mp4"));
	snprintf(stored, sizeof(stored), "%s/%s", media_dir, strstr(url, "/media/") + 7);
	cr_assert_eq(stat(stored, &st), 0, "compressed file %s", stored);
	cr_assert(st.st_size > 0);
	probe(stored, codecs, sizeof(codecs));
	cr_assert_str_eq(codecs, "h264,aac");
	{
		struct hresp *g = harness_request(h, "GET", strstr(url, "/media/"), NULL);
		cr_assert_eq(g->status, 200);
		cr_assert_str_eq(g->content_type, "video/mp4");
		cr_assert_eq(g->body_len, (size_t)st.st_size);
		hresp_free(g);
	}
	hresp_free(r);
	/* the original is still stored (the same bytes may be uploaded again) */
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM stored_files WHERE category = 'apartment_videos'"), 2);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM stored_files WHERE compressed_file_id IS NOT NULL"), 1);
	free(ref);
}

Test(inventory_media, undecodable_video_fails_for_good_and_keeps_the_original)
{
	char *ref = upload_fake_video(co.admin_token);
	struct hresp *r;
	char before[700];

	add_link(co.admin_token, "apartment", apt, "videos", ref, NULL);
	r = list(co.admin_token, "apartment", apt, "videos");
	snprintf(before, sizeof(before), "%s", jstr(json_array_get(results(r), 0), "url"));
	hresp_free(r);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'compress_video' AND state = 'failed'"), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE last_error LIKE '%%ffmpeg%%'"), 1);
	r = list(co.admin_token, "apartment", apt, "videos");
	cr_assert_str_eq(jstr(json_array_get(results(r), 0), "url"), before);
	hresp_free(r);
	free(ref);
}

Test(inventory_media, apartment_file_references_must_be_uploaded_files_of_their_kind)
{
	char p[128];
	char *plan = upload_image(co.admin_token, "floor_plan");
	char *picture = upload_image(co.admin_token, "apartment_image");
	struct hresp *r;
	json_t *fields;

	snprintf(p, sizeof(p), "/api/v4/apartment/%lld", (long long)apt);
	r = reqf(h, "PATCH", p, co.admin_token, "{\"floor_plan_reference\": \"%s\"}", plan);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "floor_plan_reference"), plan);
	hresp_free(r);

	/* an image reference is not a floor plan, and an unknown id is nothing */
	r = reqf(h, "PATCH", p, co.admin_token,
		 "{\"floor_plan_reference\": \"%s\", \"promotion_file_reference\": \"0123456789abcdef\", \"rent\": 1}",
		 picture);
	cr_assert_eq(r->status, 412, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "error"), "ValidationError");
	fields = json_object_get(r->json, "fields");
	cr_assert_not_null(json_object_get(fields, "floor_plan_reference"), "%s", r->body);
	cr_assert_not_null(json_object_get(fields, "promotion_file_reference"), "%s", r->body);
	hresp_free(r);

	/* nothing changed */
	r = harness_auth(h, "GET", p, co.admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(hresp_str(r, "floor_plan_reference"), plan);
	cr_assert_neq(hresp_int(r, "rent"), 1);
	hresp_free(r);

	/* null clears it */
	r = reqf(h, "PATCH", p, co.admin_token, "{\"floor_plan_reference\": null}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_null(json_object_get(r->json, "floor_plan_reference")));
	hresp_free(r);
	free(plan);
	free(picture);
}

Test(inventory_media, inventory_documents_carry_their_pictures)
{
	char *img = upload_image(co.admin_token, "apartment_image"), *est = upload_image(co.admin_token, "estate_image");
	int64_t pic = add_link(co.admin_token, "apartment", apt, "pictures", img, ", \"caption\": \"Kitchen\"");
	struct hresp *r;
	json_t *items, *found = NULL;

	add_link(co.admin_token, "estate", estate, "pictures", est, NULL);
	r = harness_auth(h, "GET", "/api/v1/inventory/?type=apartment", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	items = json_object_get(r->json, "results");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *a = json_object_get(json_array_get(items, i), "apartment");
		if (json_integer_value(json_object_get(a, "id")) == apt)
			found = json_array_get(items, i);
	}
	cr_assert_not_null(found, "%s", r->body);
	{
		json_t *imgs = json_object_get(json_object_get(found, "apartment"), "images");
		json_t *eimgs = json_object_get(json_object_get(found, "estate"), "images");
		cr_assert_eq(json_array_size(imgs), 1, "%s", r->body);
		cr_assert_eq(json_integer_value(json_object_get(json_array_get(imgs, 0), "id")), pic);
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(imgs, 0), "caption")), "Kitchen");
		cr_assert(starts_with(json_string_value(json_object_get(json_array_get(imgs, 0), "url")),
				      app_config(h->app)->public_url));
		cr_assert_eq(json_array_size(eimgs), 1, "%s", r->body);
	}
	hresp_free(r);
	free(img), free(est);
}
