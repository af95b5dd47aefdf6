/* Media: POST /api/v1/file_reference/, the signed upload, serving, thumbnails (homeq.md §11d, H-40). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "core/media/media.h"
#include "harness.h"
#include "jobs/jobs.h"

static char media_dir[256];

static void use_own_media_dir(struct config *cfg)
{
	snprintf(media_dir, sizeof(media_dir), "/tmp/rentd-media-XXXXXX");
	cr_assert(mkdtemp(media_dir));
	snprintf(cfg->media_dir, sizeof(cfg->media_dir), "%s", media_dir);
}

static void small_upload_limit(struct config *cfg)
{
	use_own_media_dir(cfg);
	cfg->upload_limit = 64;
}

static struct harness *h;
static struct fixture_company co;

static void setup(void)
{
	h = harness_create_with(use_own_media_dir);
	fixture_company(h, "Media AB", &co);
}

static void rm_rf(const char *path)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

static void teardown(void)
{
	harness_destroy(h);
	rm_rf(media_dir);
}

TestSuite(media, .init = setup, .fini = teardown);

/* Regular files below dir (recursively), tmp/ included. */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char p[1024];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			n += count_files(p);
		else
			n++;
	}
	closedir(d);
	return n;
}

static void md5_b64(const void *data, size_t len, char out[25])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	cr_assert(EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL));
	sodium_bin2base64(out, 25, md, mdlen, sodium_base64_VARIANT_ORIGINAL);
}

static struct hresp *post_ref(const char *token, const char *body)
{
	return harness_auth(h, "POST", "/api/v1/file_reference/", token, body);
}

static struct hresp *create_ref(const char *token, const char *entity, const char *mime, const void *data, size_t len)
{
	char md5[25], body[512];
	md5_b64(data, len, md5);
	snprintf(body, sizeof(body),
		 "{\"entity_type\":\"%s\",\"mime_type\":\"%s\",\"content_length\":%zu,\"content_md5\":\"%s\","
		 "\"content_name\":\"photo.jpg\"}",
		 entity, mime, len, md5);
	return post_ref(token, body);
}

static void assert_error(struct hresp *r, int status, const char *name)
{
	cr_assert_eq(r->status, status, "want %d %s, got %d: %s", status, name, r->status, r->body);
	cr_assert_str_eq(hresp_str(r, "error"), name, "got %s", r->body);
}

/* The signed URL without the public_url prefix (the harness takes paths). */
static char *signed_path(struct hresp *r)
{
	const char *url = hresp_str(r, "signed_url");
	const char *base = app_config(h->app)->public_url;
	cr_assert(url, "no signed_url: %s", r->body);
	cr_assert(!strncmp(url, base, strlen(base)), "not absolute on public_url: %s", url);
	return strdup(url + strlen(base));
}

static struct hresp *put_bytes(const char *path, const char *ctype, const void *data, size_t len,
			       const char *content_length)
{
	char cl[64];
	const char *headers[3] = { cl, NULL, NULL };
	if (content_length)
		snprintf(cl, sizeof(cl), "Content-Length: %s", content_length);
	else
		snprintf(cl, sizeof(cl), "Content-Length: %zu", len);
	return harness_request_ex(h, "PUT", path, ctype, data, len, headers);
}

/* A real JPEG of w x h made with libvips; g_free the result. */
static void *make_jpeg(int w, int hgt, size_t *len)
{
	VipsImage *img = NULL, *lin = NULL;
	void *buf = NULL;
	double a[] = { 1, 1, 1 }, b[] = { 40, 90, 160 };
	cr_assert_eq(VIPS_INIT("test_media"), 0);
	cr_assert_eq(vips_black(&img, w, hgt, "bands", 3, NULL), 0);
	cr_assert_eq(vips_linear(img, &lin, a, b, 3, "uchar", TRUE, NULL), 0);
	cr_assert_eq(vips_jpegsave_buffer(lin, &buf, len, "Q", 80, NULL), 0);
	g_object_unref(lin);
	g_object_unref(img);
	return buf;
}

static const unsigned char tiny_jpeg_head[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0 };

static void fake_jpeg(unsigned char *buf, size_t len)
{
	memset(buf, 0x42, len);
	memcpy(buf, tiny_jpeg_head, sizeof(tiny_jpeg_head));
}

static void assert_nothing_stored(void)
{
	cr_assert_eq(count_files(media_dir), 0, "files left in %s", media_dir);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM stored_files"), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM file_references WHERE state <> 'pending'"), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs"), 0);
}

/* ---- file references ---- */

Test(media, invalid_entity_type)
{
	const char *bodies[] = {
		"{}",
		"{\"entity_type\":\"house_image\",\"mime_type\":\"image/jpeg\",\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}",
		"{\"entity_type\":7,\"mime_type\":\"image/jpeg\",\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}",
	};
	for (size_t i = 0; i < 3; i++) {
		struct hresp *r = post_ref(co.admin_token, bodies[i]);
		assert_error(r, 412, "InvalidEntityType");
		hresp_free(r);
	}
}

Test(media, invalid_mime_type)
{
	const char *pairs[][2] = {
		{ "apartment_image", "application/pdf" }, { "floor_plan", "video/mp4" },
		{ "promotion_file", "image/png" },        { "apartment_video", "image/jpeg" },
		{ "logo_image", "image/gif" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char body[256];
		struct hresp *r;
		snprintf(body, sizeof(body),
			 "{\"entity_type\":\"%s\",\"mime_type\":\"%s\",\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}",
			 pairs[i][0], pairs[i][1]);
		r = post_ref(co.admin_token, body);
		assert_error(r, 412, "InvalidMimeType");
		hresp_free(r);
	}
}

Test(media, invalid_content_length)
{
	const char *lengths[] = { "", ",\"content_length\":0", ",\"content_length\":-5", ",\"content_length\":\"x\"",
				  ",\"content_length\":1.5" };
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		char body[256];
		struct hresp *r;
		snprintf(body, sizeof(body),
			 "{\"entity_type\":\"estate_image\",\"mime_type\":\"image/png\",\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"%s}",
			 lengths[i]);
		r = post_ref(co.admin_token, body);
		assert_error(r, 412, "InvalidContentLength");
		hresp_free(r);
	}
}

Test(media, exceeding_content_length)
{
	struct hresp *r = post_ref(co.admin_token, "{\"entity_type\":\"estate_image\",\"mime_type\":\"image/png\","
						   "\"content_length\":31457281,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	assert_error(r, 412, "ExceedingContentLength");
	hresp_free(r);
	r = post_ref(co.admin_token, "{\"entity_type\":\"promotion_file\",\"mime_type\":\"application/pdf\","
				     "\"content_length\":31457280,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = post_ref(co.admin_token, "{\"entity_type\":\"apartment_video\",\"mime_type\":\"video/mp4\","
				     "\"content_length\":2147483649,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	assert_error(r, 412, "ExceedingContentLength");
	hresp_free(r);
	r = post_ref(co.admin_token, "{\"entity_type\":\"apartment_video\",\"mime_type\":\"video/mp4\","
				     "\"content_length\":2147483648,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

Test(media, bad_md5_and_name)
{
	char body[1024], longname[300];
	struct hresp *r = post_ref(co.admin_token, "{\"entity_type\":\"estate_image\",\"mime_type\":\"image/png\","
						   "\"content_length\":10,\"content_md5\":\"not base64\"}");
	assert_error(r, 412, "ValidationError");
	cr_assert(strstr(r->body, "content_md5"));
	hresp_free(r);
	r = post_ref(co.admin_token, "{\"entity_type\":\"estate_image\",\"mime_type\":\"image/png\",\"content_length\":10}");
	assert_error(r, 412, "ValidationError");
	hresp_free(r);
	memset(longname, 'n', 256);
	longname[256] = '\0';
	snprintf(body, sizeof(body),
		 "{\"entity_type\":\"estate_image\",\"mime_type\":\"image/png\",\"content_length\":10,"
		 "\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\",\"content_name\":\"%s\"}",
		 longname);
	r = post_ref(co.admin_token, body);
	assert_error(r, 412, "ValidationError");
	cr_assert(strstr(r->body, "content_name"));
	hresp_free(r);
}

Test(media, permission_denied)
{
	char observer[1024], consumer[1024];
	struct hresp *r;
	fixture_employee(h, co.id, co.root_office, "observer", "obs@media", observer);
	fixture_consumer(h, "consumer@media", consumer);

	r = post_ref(observer, "{\"entity_type\":\"apartment_image\",\"mime_type\":\"image/jpeg\","
			       "\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	assert_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = post_ref(consumer, "{\"entity_type\":\"apartment_image\",\"mime_type\":\"image/jpeg\","
			       "\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	assert_error(r, 403, "PermissionDenied");
	hresp_free(r);
	/* H-37: consumers may upload chat files; so may every employee */
	r = post_ref(consumer, "{\"entity_type\":\"conversation_file\",\"mime_type\":\"application/pdf\","
			       "\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = post_ref(observer, "{\"entity_type\":\"conversation_file\",\"mime_type\":\"image/png\","
			       "\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = post_ref(NULL, "{\"entity_type\":\"conversation_file\",\"mime_type\":\"image/png\","
			   "\"content_length\":10,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\"}");
	cr_assert_eq(r->status, 401);
	hresp_free(r);
}

Test(media, create_answers_signed_url_and_headers)
{
	struct hresp *r = post_ref(co.admin_token, "{\"entity_type\":\"project_image\",\"mime_type\":\"image/jpeg\","
						   "\"content_length\":31457280,\"content_md5\":\"RrCnCF6WCrKM+DVDwsr7cw==\","
						   "\"content_name\":\"a.jpg\"}");
	json_t *hd;
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_eq(strlen(hresp_str(r, "file_reference")), 32);
	hd = json_object_get(r->json, "headers");
	cr_assert_str_eq(json_string_value(json_object_get(hd, "content-md5")), "RrCnCF6WCrKM+DVDwsr7cw==");
	cr_assert_str_eq(json_string_value(json_object_get(hd, "content-type")), "image/jpeg");
	cr_assert_str_eq(json_string_value(json_object_get(hd, "x-amz-acl")), "public-read");
	cr_assert(strstr(hresp_str(r, "signed_url"), "/media/upload/"));
	cr_assert(strstr(hresp_str(r, "signed_url"), hresp_str(r, "file_reference")));
	free(signed_path(r));
	hresp_free(r);
}

/* ---- upload ---- */

Test(media, upload_then_reuse_then_dedup)
{
	unsigned char data[300];
	struct hresp *r, *u;
	char *path, get_path[256];
	const char *url;

	fake_jpeg(data, sizeof(data));
	r = create_ref(co.admin_token, "floor_plan", "image/jpeg", data, sizeof(data));
	cr_assert_eq(r->status, 201, "%s", r->body);
	path = signed_path(r);
	u = put_bytes(path, "image/jpeg", data, sizeof(data), NULL);
	cr_assert_eq(u->status, 200, "%s", u->body);
	url = hresp_str(u, "url");
	cr_assert(url && strstr(url, "/media/floor_plans/") && strstr(url, ".jpg"), "%s", u->body);
	cr_assert_eq(count_files(media_dir), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM file_references WHERE state = 'uploaded'"), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs"), 0, "floor plans get no thumbnails");
	snprintf(get_path, sizeof(get_path), "%s", strstr(url, "/media/"));
	hresp_free(u);

	/* single use */
	u = put_bytes(path, "image/jpeg", data, sizeof(data), NULL);
	assert_error(u, 409, "AlreadyUploaded");
	hresp_free(u);

	/* the same bytes again: 200 without signed_url */
	hresp_free(r);
	r = create_ref(co.admin_token, "floor_plan", "image/jpeg", data, sizeof(data));
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(json_object_get(r->json, "signed_url"));
	cr_assert(hresp_str(r, "file_reference"));
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM file_references WHERE state = 'uploaded'"), 2);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM stored_files"), 1);
	hresp_free(r);

	/* served back */
	u = harness_request(h, "GET", get_path, NULL);
	cr_assert_eq(u->status, 200);
	cr_assert_eq(u->body_len, sizeof(data));
	cr_assert_eq(memcmp(u->body, data, sizeof(data)), 0);
	cr_assert_str_eq(u->content_type, "image/jpeg");
	cr_assert(hresp_header(u, "ETag"));
	hresp_free(u);
	free(path);
}

/*
 * Issue 12 finding 5: another company that knows only the MD5 and the length of a file
 * gets no uploaded reference to it; it must send the bytes, after which its own re-use
 * deduplicates as before, on the one stored copy.
 */
Test(media, dedup_only_of_own_uploads)
{
	unsigned char data[240];
	struct fixture_company other;
	struct hresp *r, *u, *g;
	char *path, *url, get_path[128];

	fake_jpeg(data, sizeof(data));
	data[200] = 0x17; /* bytes of this test only */
	r = create_ref(co.admin_token, "floor_plan", "image/jpeg", data, sizeof(data));
	cr_assert_eq(r->status, 201, "%s", r->body);
	path = signed_path(r);
	u = put_bytes(path, "image/jpeg", data, sizeof(data), NULL);
	cr_assert_eq(u->status, 200, "%s", u->body);
	url = strdup(hresp_str(u, "url"));
	hresp_free(u);
	hresp_free(r);
	free(path);

	fixture_company(h, "Oracle AB", &other);
	r = create_ref(other.admin_token, "floor_plan", "image/jpeg", data, sizeof(data));
	cr_assert_eq(r->status, 201, "the digest alone must not give another company's file: %s", r->body);
	cr_assert(hresp_str(r, "signed_url"), "%s", r->body);
	snprintf(get_path, sizeof(get_path), "/api/v1/file_reference/%s/", hresp_str(r, "file_reference"));
	g = harness_auth(h, "GET", get_path, other.admin_token, NULL);
	cr_assert_eq(g->status, 200, "%s", g->body);
	cr_assert(json_is_false(json_object_get(g->json, "uploaded")), "%s", g->body);
	cr_assert(json_is_null(json_object_get(g->json, "url")), "%s", g->body);
	hresp_free(g);

	/* sending the bytes works, onto the one content-addressed copy */
	path = signed_path(r);
	u = put_bytes(path, "image/jpeg", data, sizeof(data), NULL);
	cr_assert_eq(u->status, 200, "%s", u->body);
	cr_assert_str_eq(hresp_str(u, "url"), url);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM stored_files"), 1);
	hresp_free(u);
	hresp_free(r);
	free(path);

	/* and now its own re-use deduplicates */
	r = create_ref(other.admin_token, "floor_plan", "image/jpeg", data, sizeof(data));
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(json_object_get(r->json, "signed_url"));
	hresp_free(r);
	free(url);
}

Test(media, wrong_md5_leaves_nothing)
{
	unsigned char data[200], other[200];
	struct hresp *r, *u;
	char *path;
	fake_jpeg(data, sizeof(data));
	memcpy(other, data, sizeof(data));
	other[150] ^= 1;
	r = create_ref(co.admin_token, "apartment_image", "image/jpeg", data, sizeof(data));
	path = signed_path(r);
	u = put_bytes(path, "image/jpeg", other, sizeof(other), NULL);
	assert_error(u, 412, "BadDigest");
	hresp_free(u);
	assert_nothing_stored();
	/* the reference is still usable with the right bytes */
	u = put_bytes(path, "image/jpeg", data, sizeof(data), NULL);
	cr_assert_eq(u->status, 200, "%s", u->body);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'thumbnails' AND state = 'queued'"), 1);
	hresp_free(u);
	hresp_free(r);
	free(path);
}

Test(media, content_md5_header_must_match)
{
	unsigned char data[64];
	struct hresp *r, *u;
	char *path;
	const char *headers[] = { "Content-Length: 64", "Content-MD5: RrCnCF6WCrKM+DVDwsr7cw==", NULL };
	fake_jpeg(data, sizeof(data));
	r = create_ref(co.admin_token, "estate_image", "image/jpeg", data, sizeof(data));
	path = signed_path(r);
	u = harness_request_ex(h, "PUT", path, "image/jpeg", (const char *)data, sizeof(data), headers);
	assert_error(u, 412, "BadDigest");
	hresp_free(u);
	assert_nothing_stored();
	hresp_free(r);
	free(path);
}

Test(media, wrong_length_leaves_nothing)
{
	unsigned char data[200];
	struct hresp *r, *u;
	char *path;
	fake_jpeg(data, sizeof(data));
	r = create_ref(co.admin_token, "apartment_image", "image/jpeg", data, sizeof(data));
	path = signed_path(r);
	/* the header says another length */
	u = put_bytes(path, "image/jpeg", data, 150, "150");
	assert_error(u, 412, "InvalidContentLength");
	hresp_free(u);
	/* the header is right, the body short */
	u = put_bytes(path, "image/jpeg", data, 150, "200");
	assert_error(u, 412, "InvalidContentLength");
	hresp_free(u);
	/* no Content-Length at all */
	u = harness_request_ex(h, "PUT", path, "image/jpeg", (const char *)data, sizeof(data), NULL);
	assert_error(u, 412, "InvalidContentLength");
	hresp_free(u);
	assert_nothing_stored();
	hresp_free(r);
	free(path);
}

Test(media, wrong_type_leaves_nothing)
{
	unsigned char data[100];
	struct hresp *r, *u;
	char *path;
	memset(data, 'x', sizeof(data)); /* not a JPEG */
	r = create_ref(co.admin_token, "apartment_image", "image/jpeg", data, sizeof(data));
	path = signed_path(r);
	u = put_bytes(path, "image/png", data, sizeof(data), NULL);
	assert_error(u, 412, "InvalidMimeType");
	hresp_free(u);
	u = put_bytes(path, "image/jpeg", data, sizeof(data), NULL);
	assert_error(u, 412, "InvalidMimeType");
	hresp_free(u);
	assert_nothing_stored();
	hresp_free(r);
	free(path);
}

Test(media, expired_and_forged_urls)
{
	unsigned char data[100];
	struct hresp *r, *u;
	char *path, sig[44], forged[512];
	const char *id;
	int64_t past = core_now() - 10;

	fake_jpeg(data, sizeof(data));
	r = create_ref(co.admin_token, "apartment_image", "image/jpeg", data, sizeof(data));
	path = signed_path(r);
	id = hresp_str(r, "file_reference");

	media_sign(app_core(h->app)->secrets.media, str_from_cstr(id), past, sig);
	snprintf(forged, sizeof(forged), "/media/upload/%s?expires=%lld&signature=%s", id, (long long)past, sig);
	u = put_bytes(forged, "image/jpeg", data, sizeof(data), NULL);
	assert_error(u, 403, "ExpiredSignature");
	hresp_free(u);

	/* a later expiry with the old signature */
	snprintf(forged, sizeof(forged), "/media/upload/%s?expires=%lld&signature=%s", id, (long long)past + 999999, sig);
	u = put_bytes(forged, "image/jpeg", data, sizeof(data), NULL);
	assert_error(u, 403, "InvalidSignature");
	hresp_free(u);

	snprintf(forged, sizeof(forged), "/media/upload/%s", id);
	u = put_bytes(forged, "image/jpeg", data, sizeof(data), NULL);
	assert_error(u, 403, "InvalidSignature");
	hresp_free(u);

	/* another reference's signature */
	snprintf(forged, sizeof(forged), "/media/upload/%032d%s", 0, strchr(path, '?'));
	u = put_bytes(forged, "image/jpeg", data, sizeof(data), NULL);
	assert_error(u, 403, "InvalidSignature");
	hresp_free(u);

	assert_nothing_stored();
	hresp_free(r);
	free(path);
}

Test(media_limit, over_the_upload_limit)
{
	unsigned char data[100];
	struct fixture_company c2;
	struct hresp *r, *u;
	char *path;

	h = harness_create_with(small_upload_limit);
	fixture_company(h, "Small AB", &c2);
	fake_jpeg(data, sizeof(data));
	r = create_ref(c2.admin_token, "apartment_image", "image/jpeg", data, sizeof(data));
	cr_assert_eq(r->status, 201);
	path = signed_path(r);
	u = put_bytes(path, "image/jpeg", data, sizeof(data), NULL);
	cr_assert_eq(u->status, 413, "%s", u->body);
	hresp_free(u);
	assert_nothing_stored();
	hresp_free(r);
	free(path);
	teardown();
}

/* ---- serving ---- */

static char *upload_one(const char *entity, const void *data, size_t len)
{
	struct hresp *r = create_ref(co.admin_token, entity, "image/jpeg", data, len), *u;
	char *path = signed_path(r), *url;
	u = put_bytes(path, "image/jpeg", data, len, NULL);
	cr_assert_eq(u->status, 200, "%s", u->body);
	url = strdup(strstr(hresp_str(u, "url"), "/media/"));
	hresp_free(u);
	hresp_free(r);
	free(path);
	return url;
}

Test(media, etag_and_ranges)
{
	unsigned char data[1000];
	char *url, etag_hdr[200];
	const char *headers[2] = { etag_hdr, NULL };
	struct hresp *r;

	fake_jpeg(data, sizeof(data));
	url = upload_one("floor_plan", data, sizeof(data));
	r = harness_request(h, "GET", url, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(hresp_header(r, "Accept-Ranges"), "bytes");
	snprintf(etag_hdr, sizeof(etag_hdr), "If-None-Match: %s", hresp_header(r, "ETag"));
	hresp_free(r);

	r = harness_request_ex(h, "GET", url, NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 304);
	cr_assert_eq(r->body_len, 0);
	hresp_free(r);

	snprintf(etag_hdr, sizeof(etag_hdr), "Range: bytes=10-19");
	r = harness_request_ex(h, "GET", url, NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 206);
	cr_assert_eq(r->body_len, 10);
	cr_assert_eq(memcmp(r->body, data + 10, 10), 0);
	cr_assert_str_eq(hresp_header(r, "Content-Range"), "bytes 10-19/1000");
	hresp_free(r);

	snprintf(etag_hdr, sizeof(etag_hdr), "Range: bytes=-5");
	r = harness_request_ex(h, "GET", url, NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 206);
	cr_assert_eq(r->body_len, 5);
	cr_assert_str_eq(hresp_header(r, "Content-Range"), "bytes 995-999/1000");
	hresp_free(r);

	snprintf(etag_hdr, sizeof(etag_hdr), "Range: bytes=1000-");
	r = harness_request_ex(h, "GET", url, NULL, NULL, 0, headers);
	cr_assert_eq(r->status, 416);
	cr_assert_str_eq(hresp_header(r, "Content-Range"), "bytes */1000");
	hresp_free(r);

	/* unknown names and categories */
	r = harness_request(h, "GET", "/media/floor_plans/abc.jpg", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	r = harness_request(h, "GET", "/media/tmp/x", NULL);
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	free(url);
}

Test(media, reference_lookup)
{
	unsigned char data[100];
	struct fixture_company other;
	struct hresp *r, *g;
	char path[128];
	fake_jpeg(data, sizeof(data));
	r = create_ref(co.admin_token, "floor_plan", "image/jpeg", data, sizeof(data));
	snprintf(path, sizeof(path), "/api/v1/file_reference/%s/", hresp_str(r, "file_reference"));
	g = harness_auth(h, "GET", path, co.admin_token, NULL);
	cr_assert_eq(g->status, 200, "%s", g->body);
	cr_assert(json_is_false(json_object_get(g->json, "uploaded")));
	cr_assert(json_is_null(json_object_get(g->json, "url")));
	hresp_free(g);
	fixture_company(h, "Other AB", &other);
	g = harness_auth(h, "GET", path, other.admin_token, NULL);
	cr_assert_eq(g->status, 404);
	hresp_free(g);
	hresp_free(r);
}

/* ---- thumbnails ---- */

static int decoded_width(const char *body, size_t len)
{
	VipsImage *img = vips_image_new_from_buffer(body, len, "", NULL);
	int w;
	cr_assert(img, "not an image");
	w = vips_image_get_width(img);
	g_object_unref(img);
	return w;
}

Test(media, thumbnails_by_job)
{
	size_t len;
	void *jpeg = make_jpeg(1000, 500, &len);
	char *url = upload_one("apartment_image", jpeg, len);
	const char *name = strrchr(url, '/') + 1;
	char hash[65];

	g_free(jpeg);
	snprintf(hash, sizeof(hash), "%.64s", name);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE state = 'done'"), 1);
	for (int i = 0; i < MEDIA_THUMB_COUNT; i++) {
		char path[256];
		struct hresp *r;
		int want = media_thumb_widths[i] < 1000 ? media_thumb_widths[i] : 1000; /* never upscaled */
		snprintf(path, sizeof(path), "/media/%d/apartment_images/%s.jpeg", media_thumb_widths[i], hash);
		r = harness_request(h, "GET", path, NULL);
		cr_assert_eq(r->status, 200, "%s", path);
		cr_assert_str_eq(r->content_type, "image/jpeg");
		cr_assert_eq(decoded_width(r->body, r->body_len), want, "%s", path);
		hresp_free(r);
	}
	free(url);
}

Test(media, undecodable_image_fails_job_for_good)
{
	unsigned char data[300];
	char *url;
	fake_jpeg(data, sizeof(data)); /* a JPEG header, then garbage */
	url = upload_one("estate_image", data, sizeof(data));
	cr_assert_eq(VIPS_INIT("test_media"), 0);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE state = 'failed'"), 1);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0);
	free(url);
}
