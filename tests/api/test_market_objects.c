/*
 * Market objects, the market dialect's read side (momentum.md B.1, B.2, B.3, B.5, A.9;
 * decisions.md M-03, M-08, M-14, M-20, M-21, M-23, M-26, M-28, M-30, M-32, M-35):
 * the list's paging and true count, every filter, every bad parameter (400 naming it),
 * the detail by local id, guid and access key, unknown, draft and paused objects (404),
 * the type metadata (routed before {id}), the pictures, thumbnail and floor plan (bytes,
 * ETag, 304, version), the client configuration, and the shapes member by member against
 * real responses (tests/data/market/).
 */
#include <openssl/evp.h>
#include <regex.h>
#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

#include "market_common.h"

static char media_dir[256];
static struct harness *h;
static struct fixture_company co;
static int64_t estate, apt_a, apt_b, apt_c, apt_d, apt_e, req_std, req_student;
static int64_t obj_a, obj_b, obj_c, obj_draft, obj_paused;
static unsigned upload_seq;
static unsigned char picture_bytes[200], plan_bytes[200];

/* ---- the database and fixtures (market_common.h) ---- */

static int64_t post_id(const char *path, int status, const char *body)
{
	return market_post_id(h, co.admin_token, path, status, body);
}

static int64_t make_apartment(const char *nid, double rooms, double area, int rent, double lat, double lon,
			      const char *zip)
{
	return market_apartment(h, co.admin_token, estate, nid, rooms, area, rent, lat, lon, zip);
}

static int64_t make_listing(int64_t apartment, int64_t requirement, const char *extra)
{
	return market_listing(h, co.admin_token, apartment, requirement, extra);
}

/* An uploaded file reference of entity whose bytes are out (200 bytes starting with magic). */
static char *upload(const char *entity, const char *mime, const char *magic, size_t magic_len, unsigned char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char md5[25], cl[64], *id, *path;
	const char *headers[2] = { cl, NULL }, *url, *base = app_config(h->app)->public_url;
	struct hresp *r;

	memset(out, 0x42, 200);
	memcpy(out, magic, magic_len);
	snprintf((char *)out + 40, 20, "n%u", ++upload_seq);
	cr_assert(EVP_Digest(out, 200, md, &mdlen, EVP_md5(), NULL));
	sodium_bin2base64(md5, sizeof(md5), md, mdlen, sodium_base64_VARIANT_ORIGINAL);
	r = reqf(h, "POST", "/api/v1/file_reference/", co.admin_token,
		 "{\"entity_type\":\"%s\",\"mime_type\":\"%s\",\"content_length\":200,\"content_md5\":\"%s\"}", entity,
		 mime, md5);
	cr_assert(r->status == 201, "%s", r->body);
	id = strdup(hresp_str(r, "file_reference"));
	url = hresp_str(r, "signed_url");
	path = strdup(url + strlen(base));
	hresp_free(r);
	snprintf(cl, sizeof(cl), "Content-Length: 200");
	r = harness_request_ex(h, "PUT", path, mime, (const char *)out, 200, headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	free(path);
	return id;
}

static void use_own_media_dir(struct config *cfg)
{
	snprintf(media_dir, sizeof(media_dir), "/tmp/rentd-mobj-XXXXXX");
	cr_assert(mkdtemp(media_dir));
	snprintf(cfg->media_dir, sizeof(cfg->media_dir), "%s", media_dir);
}

/*
 * Five apartments in Stockholm (one in Uppsala): A 1.5 rooms 57 m² 6747 kr (student, with a
 * picture and a floor plan, access 2027-03-01), B 3 rooms 80 m² 9000 kr (access on
 * agreement), C 2 rooms 60 m² 7500 kr in Uppsala (access 2027-01-15), a draft and a paused one.
 */
static void setup(void)
{
	char *pic, *plan;
	struct hresp *r;

	h = harness_create_with(use_own_media_dir);
	fixture_company(h, "Acme", &co);
	{
		char body[1024];
		snprintf(body, sizeof(body),
			 "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld,"
			 " \"area_description\": \"Ett lugnt område nära city, med parker, skolor och affärer inom"
			 " gångavstånd. Tunnelbanan ligger fem minuter bort och bussarna går ofta. Här finns bibliotek,"
			 " simhall och en stor lekplats för barnen, och till vattnet är det bara en kort promenad.\"}",
			 (long long)co.root_office);
		estate = post_id("/api/v4/estate", 200, body);
	}
	apt_a = make_apartment("1101", 1.5, 57, 6747, 59.3360, 18.0640, "11143");
	apt_b = make_apartment("1102", 3, 80, 9000, 59.3360, 18.0640, "11143");
	apt_c = make_apartment("1103", 2, 60, 7500, 59.8586, 17.6389, "75320");
	apt_d = make_apartment("1104", 2, 60, 7000, 59.3360, 18.0640, "11143");
	apt_e = make_apartment("1105", 2, 60, 7000, 59.3360, 18.0640, "11143");
	req_std = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id", (long long)co.id);
	req_student = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name, student) VALUES (%lld, 'Student', 1) RETURNING id",
			      (long long)co.id);

	pic = upload("apartment_image", "image/jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", 10, picture_bytes);
	r = reqf(h, "POST", pathf((char[128]){ 0 }, "/api/v4/apartment/%lld/pictures", (long long)apt_a), co.admin_token,
		 "{\"file_reference\": \"%s\", \"caption\": \"Köket\"}", pic);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	plan = upload("floor_plan", "application/pdf", "%PDF-1.4\n", 9, plan_bytes);
	r = reqf(h, "PATCH", pathf((char[128]){ 0 }, "/api/v4/apartment/%lld", (long long)apt_a), co.admin_token,
		 "{\"floor_plan_reference\": \"%s\"}", plan);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	free(pic);
	free(plan);

	obj_a = make_listing(apt_a, req_student, ", \"access_date\": \"2027-03-01\", \"description\": \"Studentetta\"");
	obj_b = make_listing(apt_b, req_std, "");
	obj_c = make_listing(apt_c, req_std, ", \"access_date\": \"2027-01-15\"");
	obj_draft = make_listing(apt_d, req_std, ", \"is_draft\": true");
	obj_paused = make_listing(apt_e, req_std, "");
	r = reqf(h, "PATCH", pathf((char[128]){ 0 }, "/api/v1/object_ad/%lld", (long long)obj_paused), co.admin_token,
		 "{\"status\": \"paused\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

static void teardown(void)
{
	char cmd[300];
	harness_destroy(h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", media_dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(market_objects, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static struct hresp *get(const char *target)
{
	return harness_request(h, "GET", target, NULL);
}

static struct hresp *getf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct hresp *getf(const char *fmt, ...)
{
	char target[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(target, sizeof(target), fmt, ap);
	va_end(ap);
	return get(target);
}

/* The localIds of a list answer, as a sorted "1,2,3" string (count checked against items when whole). */
static void local_ids(const struct hresp *r, char *out, size_t cap)
{
	json_t *items = json_object_get(r->json, "items");
	long long ids[64];
	size_t n = json_array_size(items), len = 0;
	cr_assert(n < 64);
	for (size_t i = 0; i < n; i++)
		ids[i] = atoll(json_string_value(json_object_get(json_array_get(items, i), "localId")));
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (ids[j] < ids[i]) {
				long long t = ids[i];
				ids[i] = ids[j];
				ids[j] = t;
			}
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%lld", i ? "," : "", ids[i]);
}

/* The query's objects must be exactly `expect` (sorted local ids), and count must say so. */
static void expect_list(const char *query, const char *expect)
{
	char got[512];
	struct hresp *r = getf("/v2/market/objects?%s", query);
	size_t n;
	cr_assert_eq(r->status, 200, "%s: %s", query, r->body);
	local_ids(r, got, sizeof(got));
	cr_assert_str_eq(got, expect, "%s: %s", query, r->body);
	n = *expect ? 1 : 0;
	for (const char *p = expect; *p; p++)
		n += *p == ',';
	cr_assert_eq(jint(r->json, "count"), (long long)n, "%s: %s", query, r->body);
	hresp_free(r);
}

static char *ids3(int64_t a, int64_t b, int64_t c)
{
	static char buf[64];
	int64_t v[3] = { a, b, c }, t;
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (v[j] < v[i]) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	snprintf(buf, sizeof(buf), "%lld,%lld,%lld", (long long)v[0], (long long)v[1], (long long)v[2]);
	return buf;
}

static const char *id1(int64_t a)
{
	static char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)a);
	return buf;
}

static const char *id2(int64_t a, int64_t b)
{
	static char buf[48];
	snprintf(buf, sizeof(buf), "%lld,%lld", (long long)(a < b ? a : b), (long long)(a < b ? b : a));
	return buf;
}

static void expect_bad(const char *query, const char *field)
{
	struct hresp *r = getf("/v2/market/objects?%s", query);
	cr_assert_eq(r->status, 400, "%s: %d %s", query, r->status, r->body);
	cr_assert_str_eq(jstr(r->json, "code"), "BadRequest", "%s", r->body);
	cr_assert_str_eq(jstr(r->json, "field"), field, "%s: %s", query, r->body);
	cr_assert(json_is_string(json_object_get(r->json, "message")));
	hresp_free(r);
}

/* ---- the list ---- */

Test(market_objects, list_pages_with_a_true_stable_count)
{
	char seen[512] = "", page[64];
	struct hresp *r;
	long long count = -1;
	int pages = 0;

	/* a client's loop: offset += limit until offset >= count, count never changing */
	for (int offset = 0;; offset += 1) {
		r = getf("/v2/market/objects?offset=%d&limit=1", offset);
		cr_assert_eq(r->status, 200, "%s", r->body);
		if (count < 0)
			count = jint(r->json, "count");
		cr_assert_eq(jint(r->json, "count"), count, "count changed between pages");
		local_ids(r, page, sizeof(page));
		if (*page && strlen(seen) + strlen(page) + 2 < sizeof(seen)) {
			if (*seen)
				strcat(seen, ",");
			strcat(seen, page);
		}
		hresp_free(r);
		pages++;
		if (offset + 1 >= count)
			break;
	}
	cr_assert_eq(count, 3);
	cr_assert_eq(pages, 3);
	/* newest first: the three public objects, never the draft or the paused one */
	r = get("/v2/market/objects");
	local_ids(r, page, sizeof(page));
	cr_assert_str_eq(page, ids3(obj_a, obj_b, obj_c));
	hresp_free(r);
	cr_assert(strstr(seen, id1(obj_a)) && strstr(seen, id1(obj_b)) && strstr(seen, id1(obj_c)));
	cr_assert_null(strstr(seen, id1(obj_draft)));

	/* past the end: the count, no items; limit=500 honoured; limit=0 only counts; a trailing slash */
	r = get("/v2/market/objects?offset=3&limit=500");
	cr_assert_eq(r->status, 200);
	cr_assert_eq(jint(r->json, "count"), 3);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0);
	hresp_free(r);
	expect_list("limit=500", ids3(obj_a, obj_b, obj_c));
	r = get("/v2/market/objects/?limit=0");
	cr_assert_eq(r->status, 200, "never a redirect: %d", r->status);
	cr_assert_eq(jint(r->json, "count"), 3);
	cr_assert_eq(json_array_size(json_object_get(r->json, "items")), 0);
	hresp_free(r);
}

Test(market_objects, a_change_moves_the_count_and_the_kept_page)
{
	struct hresp *r;
	expect_list("limit=50", ids3(obj_a, obj_b, obj_c));
	r = reqf(h, "PATCH", pathf((char[128]){ 0 }, "/api/v1/object_ad/%lld", (long long)obj_b), co.admin_token,
		 "{\"status\": \"paused\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	expect_list("limit=50", id2(obj_a, obj_c));
}

/* The ids of a page, in order, as "id,id,…". */
static void page_ids(const char *query, char *out, size_t cap)
{
	struct hresp *r = getf("/v2/market/objects?%s", query);
	json_t *items = json_object_get(r->json, "items");
	size_t len = 0;
	cr_assert_eq(r->status, 200, "%s: %s", query, r->body);
	out[0] = '\0';
	for (size_t i = 0; i < json_array_size(items) && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "",
					json_string_value(json_object_get(json_array_get(items, i), "localId")));
	hresp_free(r);
}

/* Deep pages start from where earlier pages ended (kept cursors): the same rows as an OFFSET. */
Test(market_objects, deep_pages_from_kept_cursors_are_the_offsets_rows)
{
	static char all[8192], want[4096], got[4096];
	const char *p;
	int offsets[] = { 25, 35, 50, 52, 3, 26 }, n = 0;
	char *ids[80];

	for (int i = 0; i < 57; i++) {
		char nid[8];
		snprintf(nid, sizeof(nid), "2%03d", i);
		make_listing(make_apartment(nid, 2, 60, 7000 + i, 59.3360, 18.0640, "11143"), req_std, "");
	}
	/* the truth: every object in order, in one page (no cursor is used for offset 0) */
	page_ids("limit=500", all, sizeof(all));
	for (p = all; *p && n < 80; n++) {
		const char *comma = strchr(p, ',');
		ids[n] = strndup(p, comma ? (size_t)(comma - p) : strlen(p));
		p = comma ? comma + 1 : p + strlen(p);
	}
	cr_assert_eq(n, 60);
	/* pages of 30 from 0 keep cursors at 25 and 50; then other offsets and limits */
	page_ids("limit=30", got, sizeof(got));
	page_ids("offset=30&limit=30", got, sizeof(got));
	for (size_t k = 0; k < sizeof(offsets) / sizeof(offsets[0]); k++) {
		size_t len = 0;
		char q[64];
		want[0] = '\0';
		for (int i = offsets[k]; i < offsets[k] + 10 && i < n; i++)
			len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s", len ? "," : "", ids[i]);
		snprintf(q, sizeof(q), "offset=%d&limit=10", offsets[k]);
		page_ids(q, got, sizeof(got));
		cr_assert_str_eq(got, want, "%s", q);
		page_ids(q, got, sizeof(got)); /* kept */
		cr_assert_str_eq(got, want, "%s (kept)", q);
	}
	for (int i = 0; i < n; i++)
		free(ids[i]);
}

Test(market_objects, every_filter)
{
	/* type: an id, a display name (M-26), a type without listings, an unknown type (M-23) */
	expect_list("type=student", id1(obj_a));
	expect_list("type=Studentbostad", id1(obj_a));
	expect_list("type=residential", id2(obj_b, obj_c));
	expect_list("type=parking", "");
	expect_list("type=commercial", "");
	/* rooms, area, price: inclusive bounds (M-30) */
	expect_list("sizeRoomsMin=2", id2(obj_b, obj_c));
	expect_list("sizeRoomsMax=2", id2(obj_a, obj_c));
	expect_list("sizeRoomsMin=1,5&sizeRoomsMax=1.5", id1(obj_a));
	expect_list("sizeAreaMin=60", id2(obj_b, obj_c));
	expect_list("sizeAreaMax=60", id2(obj_a, obj_c));
	expect_list("sizeAreaMin=58&sizeAreaMax=79", id1(obj_c));
	expect_list("priceMin=7500", id2(obj_b, obj_c));
	expect_list("priceMax=7500", id2(obj_a, obj_c));
	expect_list("priceMin=6748&priceMax=8999", id1(obj_c));
	/* availableFrom: available on that date (access by then, or on agreement), in all three forms (M-08) */
	expect_list("availableFrom=2027-02-01", id2(obj_b, obj_c));
	expect_list("availableFrom=2027-03-01", ids3(obj_a, obj_b, obj_c));
	expect_list("availableFrom=2027-02-01T12:00:00%2B01:00", id2(obj_b, obj_c));
	expect_list("availableFrom=2027-01-14", id1(obj_b));
	expect_list("availableFrom=/Date(1801479600000)/", id2(obj_b, obj_c)); /* 2027-02-01 12:00 CET */
	expect_list("availableFrom=/Date(1801479600000%2B0100)/", id2(obj_b, obj_c));
	/* locationAreaDisplayName: municipality or county names (areaPath), any of them */
	expect_list("locationAreaDisplayName=Uppsala", id1(obj_c));
	expect_list("locationAreaDisplayName=Stockholm", id2(obj_a, obj_b));
	expect_list("locationAreaDisplayName=Stockholm&locationAreaDisplayName=Uppsala", ids3(obj_a, obj_b, obj_c));
	expect_list("locationAreaDisplayName=Stockholms%20l%C3%A4n", id2(obj_a, obj_b));
	expect_list("locationAreaDisplayName=Lund", "");
	/* together, and case-insensitive names as ASP.NET binds them */
	expect_list("type=residential&sizeroomsmin=2&PRICEMAX=8000", id1(obj_c));
}

Test(market_objects, bad_parameters_are_400_naming_them)
{
	expect_bad("limit=501", "limit");
	expect_bad("limit=-1", "limit");
	expect_bad("limit=ten", "limit");
	expect_bad("offset=-5", "offset");
	expect_bad("offset=1.5", "offset");
	expect_bad("offset=999999999999", "offset");
	expect_bad("sizeRoomsMin=x", "sizeRoomsMin");
	expect_bad("sizeRoomsMax=-1", "sizeRoomsMax");
	expect_bad("sizeAreaMin=1e400", "sizeAreaMin");
	expect_bad("sizeAreaMax=abc", "sizeAreaMax");
	expect_bad("priceMin=NaN", "priceMin");
	expect_bad("priceMax=%20", "priceMax");
	expect_bad("sizeRoomsMin=3&sizeRoomsMax=2", "sizeRoomsMax");
	expect_bad("sizeAreaMin=90&sizeAreaMax=50", "sizeAreaMax");
	expect_bad("priceMin=9000&priceMax=100", "priceMax");
	expect_bad("availableFrom=2026-02-30", "availableFrom");
	expect_bad("availableFrom=tomorrow", "availableFrom");
	expect_bad("availableFrom=/Date(abc)/", "availableFrom");
	{
		char q[400] = "locationAreaDisplayName=";
		memset(q + strlen(q), 'a', 250);
		expect_bad(q, "locationAreaDisplayName");
	}
}

/* The query's objects' local ids in the answer's order. */
static void expect_order(const char *query, int64_t a, int64_t b, int64_t c)
{
	char got[128], want[128];
	struct hresp *r = getf("/v2/market/objects?%s", query);
	json_t *items = json_object_get(r->json, "items");
	size_t len = 0;

	cr_assert_eq(r->status, 200, "%s: %s", query, r->body);
	got[0] = '\0';
	for (size_t i = 0; i < json_array_size(items); i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", i ? "," : "",
					json_string_value(json_object_get(json_array_get(items, i), "localId")));
	snprintf(want, sizeof(want), "%lld,%lld,%lld", (long long)a, (long long)b, (long long)c);
	cr_assert_str_eq(got, want, "%s: %s", query, r->body);
	cr_assert_eq(jint(r->json, "count"), 3, "%s", r->body);
	hresp_free(r);
}

/* rentd's extension for the portal: sort (a: 6747 kr, 57 m²; b: 9000, 80; c: 7500, 60) */
Test(market_objects, sort)
{
	expect_order("sort=priceAsc", obj_a, obj_c, obj_b);
	expect_order("sort=priceDesc", obj_b, obj_c, obj_a);
	expect_order("sort=areaAsc", obj_a, obj_c, obj_b);
	expect_order("SORT=areadesc", obj_b, obj_c, obj_a);
	expect_order("sort=newest", obj_c, obj_b, obj_a);
	expect_order("sort=", obj_c, obj_b, obj_a);
	/* paging in another order: the next page follows that order, not a kept newest-first cursor */
	for (int i = 0; i < 3; i++) {
		const int64_t want[3] = { obj_a, obj_c, obj_b };
		struct hresp *r = getf("/v2/market/objects?sort=priceAsc&limit=1&offset=%d", i);
		cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "items"), 0), "localId"), id1(want[i]),
				 "offset %d: %s", i, r->body);
		cr_assert_eq(jint(r->json, "count"), 3);
		hresp_free(r);
	}
	expect_bad("sort=cheapest", "sort");
}

/* ---- one object ---- */

Test(market_objects, detail_by_local_id_guid_and_access_key)
{
	char *guid = harness_sql_text(h, "SELECT uuid FROM object_ads WHERE id = %lld", (long long)obj_a);
	char *key = harness_sql_text(h, "SELECT access_key FROM object_ads WHERE id = %lld", (long long)obj_a);
	const char *forms[3] = { id1(obj_a), guid, key };
	struct hresp *r;

	cr_assert_eq(strlen(key), 17);
	for (int i = 0; i < 3; i++) {
		r = getf("/v2/market/objects/%s", forms[i]);
		cr_assert_eq(r->status, 200, "%s: %s", forms[i], r->body);
		cr_assert_str_eq(jstr(r->json, "id"), guid);
		cr_assert_str_eq(jstr(r->json, "localId"), id1(obj_a));
		cr_assert_str_eq(jstr(r->json, "type"), "student");
		/* rentd's extension for the portal's map: the apartment's position */
		{
			json_t *pos = json_object_get(json_object_get(r->json, "location"), "position");
			cr_assert(json_real_value(json_object_get(pos, "latitude")) > 59.335 &&
				  json_real_value(json_object_get(pos, "latitude")) < 59.337, "%s", r->body);
			cr_assert(json_real_value(json_object_get(pos, "longitude")) > 18.063 &&
				  json_real_value(json_object_get(pos, "longitude")) < 18.065, "%s", r->body);
		}
		hresp_free(r);
		r = getf("/v2/market/objects/%s/", forms[i]); /* the trailing slash: the same, no redirect */
		cr_assert_eq(r->status, 200);
		hresp_free(r);
	}
	/* the list's id is the guid the detail answers to */
	r = get("/v2/market/objects?type=student");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(r->json, "items"), 0), "id"), guid);
	hresp_free(r);
	free(guid);
	free(key);
}

Test(market_objects, unknown_draft_and_paused_objects_are_404)
{
	const char *targets[] = { "/v2/market/objects/999999", "/v2/market/objects/0",
				  "/v2/market/objects/123e4567-e89b-12d3-a456-426614174000",
				  "/v2/market/objects/knotakey", "/v2/market/objects/99999999999999999999999" };
	struct hresp *r;
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		r = get(targets[i]);
		cr_assert_eq(r->status, 404, "%s: %d", targets[i], r->status);
		cr_assert_str_eq(jstr(r->json, "code"), "NotFound");
		hresp_free(r);
	}
	for (int i = 0; i < 2; i++) {
		int64_t id = i ? obj_paused : obj_draft;
		char *guid = harness_sql_text(h, "SELECT uuid FROM object_ads WHERE id = %lld", (long long)id);
		r = getf("/v2/market/objects/%lld", (long long)id);
		cr_assert_eq(r->status, 404, "%s", r->body);
		hresp_free(r);
		r = getf("/v2/market/objects/%s", guid);
		cr_assert_eq(r->status, 404, "%s", r->body);
		hresp_free(r);
		r = getf("/v2/market/objects/%s/thumbnail", guid);
		cr_assert_eq(r->status, 404, "%s", r->body);
		hresp_free(r);
		free(guid);
	}
}

/* ---- types and configuration ---- */

Test(market_objects, type_metadata)
{
	struct hresp *r = get("/v2/market/objects/types/residential");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(r->json, "displayName"), "Bostad");
	cr_assert_eq(jint(r->json, "numberOfMarketObjects"), 2);
	cr_assert_str_eq(jstr(r->json, "minNumberOfRooms"), "2");
	cr_assert_str_eq(jstr(r->json, "maxNumberOfRooms"), "3");
	cr_assert_str_eq(jstr(r->json, "minPrice"), "7500");
	cr_assert_str_eq(jstr(r->json, "maxPrice"), "9000");
	cr_assert_str_eq(jstr(r->json, "maxNumberOfApplications"), "5");
	hresp_free(r);
	r = get("/v2/market/objects/types/parking/");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(jint(r->json, "numberOfMarketObjects"), 0);
	hresp_free(r);
	r = get("/v2/market/objects/types/villa");
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(jstr(r->json, "code"), "NotFound");
	hresp_free(r);
}

Test(market_objects, client_configuration)
{
	struct hresp *r = get("/v2/client/configuration?market=true");
	json_t *types;
	cr_assert_eq(r->status, 200, "%s", r->body);
	types = json_object_get(json_object_get(r->json, "market"), "types");
	cr_assert_eq(json_array_size(types), 5);
	cr_assert_str_eq(jstr(json_array_get(types, 0), "id"), "residential");
	cr_assert_str_eq(jstr(json_array_get(types, 4), "displayName"), "Fordonsplats");
	/* every type the configuration names lists */
	for (size_t i = 0; i < json_array_size(types); i++) {
		struct hresp *l = getf("/v2/market/objects?type=%s&limit=500", jstr(json_array_get(types, i), "id"));
		cr_assert_eq(l->status, 200);
		hresp_free(l);
	}
	hresp_free(r);
	r = get("/v2/client/configuration");
	cr_assert_eq(r->status, 200);
	cr_assert_null(json_object_get(r->json, "market"));
	cr_assert_str_eq(jstr(json_object_get(r->json, "app"), "name"), "Mina sidor");
	hresp_free(r);
	r = get("/v2/client/configuration?market=maybe");
	cr_assert_eq(r->status, 400);
	cr_assert_str_eq(jstr(r->json, "field"), "market");
	hresp_free(r);
}

/* ---- files ---- */

static const char *header(const struct hresp *r, const char *name)
{
	return hresp_header(r, name);
}

/* The response's bytes: a file response is read from its descriptor. */
static bool body_is(struct hresp *r, const unsigned char *bytes, size_t len)
{
	return r->body_len == len && memcmp(r->body, bytes, len) == 0;
}

Test(market_objects, images_thumbnail_and_floor_plan)
{
	struct hresp *r = getf("/v2/market/objects/%lld", (long long)obj_a);
	json_t *files = json_object_get(r->json, "files"), *img, *plan;
	char path[512], etag[256], inm[300], version[64];
	const char *base = app_config(h->app)->public_url, *headers[2] = { inm, NULL };
	struct hresp *l;

	cr_assert_eq(r->status, 200, "%s", r->body);
	img = json_array_get(json_object_get(files, "locationImage"), 0);
	plan = json_array_get(json_object_get(files, "floorplan"), 0);
	cr_assert_str_eq(jstr(img, "displayName"), "Köket");
	cr_assert_str_eq(jstr(img, "mimeType"), "image/jpeg");
	cr_assert_str_eq(jstr(plan, "mimeType"), "application/pdf");

	/* the picture's address: its bytes, an ETag, 304 for that ETag */
	snprintf(path, sizeof(path), "%s", jstr(img, "address") + strlen(base));
	l = get(path);
	cr_assert_eq(l->status, 200, "%s: %d", path, l->status);
	cr_assert(body_is(l, picture_bytes, sizeof(picture_bytes)));
	cr_assert_not_null(header(l, "ETag"));
	snprintf(etag, sizeof(etag), "%s", header(l, "ETag"));
	hresp_free(l);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	l = harness_request_ex(h, "GET", path, NULL, NULL, 0, headers);
	cr_assert_eq(l->status, 304);
	hresp_free(l);

	/* the floor plan */
	snprintf(path, sizeof(path), "%s", jstr(plan, "address") + strlen(base));
	l = get(path);
	cr_assert_eq(l->status, 200, "%s: %d", path, l->status);
	cr_assert(body_is(l, plan_bytes, sizeof(plan_bytes)));
	hresp_free(l);
	l = getf("/v2/market/objects/%lld/files/999999", (long long)obj_a);
	cr_assert_eq(l->status, 404);
	hresp_free(l);
	l = getf("/v2/market/objects/%lld/images/999999", (long long)obj_a);
	cr_assert_eq(l->status, 404);
	hresp_free(l);
	/* another object's picture is not this one's */
	l = getf("/v2/market/objects/%lld/images/%s", (long long)obj_b, strrchr(jstr(img, "address"), '/') + 1);
	cr_assert_eq(l->status, 404);
	hresp_free(l);
	hresp_free(r);

	/* the thumbnail: the list's version, honoured */
	r = get("/v2/market/objects?type=student");
	img = json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "thumbnail");
	cr_assert(json_is_true(json_object_get(img, "exists")));
	cr_assert_str_eq(jstr(img, "displayName"), "Köket");
	snprintf(version, sizeof(version), "%s", jstr(img, "version"));
	cr_assert_eq(strlen(version), 18);
	hresp_free(r);
	l = getf("/v2/market/objects/%lld/thumbnail?width=320&height=240&version=%s", (long long)obj_a, version);
	cr_assert_eq(l->status, 200, "%s", l->body);
	cr_assert(body_is(l, picture_bytes, sizeof(picture_bytes))); /* no thumbnail stored yet: the original */
	hresp_free(l);
	l = getf("/v2/market/objects/%lld/thumbnail?version=f-0000000000000000", (long long)obj_a);
	cr_assert_eq(l->status, 404);
	hresp_free(l);
	l = getf("/v2/market/objects/%lld/thumbnail?width=0", (long long)obj_a);
	cr_assert_eq(l->status, 400);
	cr_assert_str_eq(jstr(l->json, "field"), "width");
	hresp_free(l);
	/* an object without pictures: exists false in the list, 404 for its thumbnail */
	r = get("/v2/market/objects?type=residential");
	img = json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "thumbnail");
	cr_assert(json_is_false(json_object_get(img, "exists")));
	cr_assert_eq(json_object_size(img), 1);
	hresp_free(r);
	l = getf("/v2/market/objects/%lld/thumbnail", (long long)obj_b);
	cr_assert_eq(l->status, 404);
	hresp_free(l);
}

/* ---- shapes against real responses ---- */

static json_t *reference(const char *name)
{
	const char *dir = getenv("RENTD_MARKET_REFERENCE");
	char path[512];
	json_error_t e;
	json_t *j;
	cr_assert_not_null(dir, "RENTD_MARKET_REFERENCE is not set (tests/meson.build)");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	j = json_load_file(path, 0, &e);
	cr_assert_not_null(j, "%s: %s", path, e.text);
	return j;
}

/* Members rentd writes that the reference item lacks, each documented in momentum.md B.3 / M-35. */
static bool extra_allowed(const char *path)
{
	static const char *const ok[] = { "location.officialApartmentNumber", "location.areaPath[].id",
					  /* rentd's extension, the portal's maps */
					  "location.position", "items[].location.position", NULL };
	for (int i = 0; ok[i]; i++)
		if (strcmp(path, ok[i]) == 0)
			return true;
	return false;
}

/*
 * ours and ref agree member by member: every member of ref is in ours (unless optional_ok
 * says it may be absent), every member of ours is in ref (or documented), each with the
 * same JSON type; arrays compare their first elements.
 */
static void same_shape(json_t *ours, json_t *ref, const char *path, const char *const *absent_ok)
{
	const char *key;
	json_t *v;
	char sub[256];

	cr_assert_eq(json_typeof(ours) == JSON_TRUE || json_typeof(ours) == JSON_FALSE ? JSON_TRUE : json_typeof(ours),
		     json_typeof(ref) == JSON_TRUE || json_typeof(ref) == JSON_FALSE ? JSON_TRUE : json_typeof(ref),
		     "%s: type differs", path);
	if (json_is_array(ours)) {
		snprintf(sub, sizeof(sub), "%s[]", path);
		if (json_array_size(ours) && json_array_size(ref))
			same_shape(json_array_get(ours, 0), json_array_get(ref, 0), sub, absent_ok);
		return;
	}
	if (!json_is_object(ours))
		return;
	json_object_foreach(ref, key, v) {
		bool may_lack = false;
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", key);
		for (int i = 0; absent_ok && absent_ok[i]; i++)
			may_lack |= strcmp(absent_ok[i], sub) == 0;
		if (!json_object_get(ours, key)) {
			cr_assert(may_lack, "%s: missing", sub);
			continue;
		}
		same_shape(json_object_get(ours, key), v, sub, absent_ok);
	}
	json_object_foreach(ours, key, v) {
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", key);
		cr_assert(json_object_get(ref, key) || extra_allowed(sub), "%s: not in the real response", sub);
		cr_assert(!json_is_null(v), "%s: null (M-20: absent members are omitted)", sub);
	}
}

static bool matches(const char *re, const char *s)
{
	regex_t rx;
	bool ok;
	cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

Test(market_objects, shapes_match_the_real_responses)
{
	json_t *list = reference("list-response.json"), *detail = reference("detail-response.json");
	json_t *type = reference("type-residential.json");
	struct hresp *r;

	/* the list item of an object with everything the real one shows */
	r = get("/v2/market/objects?type=student");
	cr_assert_eq(r->status, 200);
	same_shape(r->json, list, "", NULL);
	/* number and date formats as written (M-21, M-08) */
	cr_assert(matches("\"price\":6747\\.0000[,}]", r->body), "%s", r->body);
	cr_assert(matches("\"area\":57\\.0000[,}]", r->body), "%s", r->body);
	cr_assert(matches("\"availableFrom\":\"/Date\\(1803855600000\\)/\"", r->body), "%s", r->body); /* 2027-03-01 CET */
	cr_assert(matches("\"roomsDisplayName\":\"1,5 rum och kök\",\"shortRoomsDisplayName\":\"1,5 ROK\"", r->body));
	cr_assert(matches("\"localId\":\"[0-9]+\"", r->body));
	hresp_free(r);

	r = getf("/v2/market/objects/%lld", (long long)obj_a);
	cr_assert_eq(r->status, 200);
	same_shape(r->json, detail, "", NULL);
	cr_assert(matches("\"openTo\":\"/Date\\([0-9]+\\)/\"", r->body), "%s", r->body);
	cr_assert(matches("\"number\":\"AN-[0-9]+\"", r->body));
	hresp_free(r);

	/* an object with less: absent optional members are omitted, never null */
	r = getf("/v2/market/objects/%lld", (long long)obj_b);
	cr_assert_eq(r->status, 200);
	same_shape(r->json, detail, "",
		   (const char *const[]){ "availability.availableFrom", "info.area", "files.locationImage", "files.floorplan",
					  NULL });
	cr_assert_eq(json_object_size(json_object_get(r->json, "availability")), 0);
	hresp_free(r);

	r = get("/v2/market/objects/types/residential");
	cr_assert_eq(r->status, 200);
	same_shape(r->json, type, "", NULL);
	hresp_free(r);
	json_decref(list);
	json_decref(detail);
	json_decref(type);
}
