/*
 * Listings (object ads) and the public object view (homeq.md §11b, §11c, §12.4, §12.5,
 * §14, §15 rules 36–42; decisions.md G-02, H-03–H-08, H-16, H-17, H-35, H-38, H-39,
 * H-44): create with every field, default and documented error, the office and
 * project defaults, drafts, scheduled publishing through the timer job, pause and
 * resume, delete and purge, rights (403 naming the right), scope (other companies and
 * offices), the rate limit of the detail, the public view (never a draft, a paused, a
 * scheduled or a deleted listing), FirstListingWasPublished, the inventory's listing
 * documents and the company reset.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/listings/listings.h"
#include "jobs/jobs.h"
#include "org_common.h"

#define RIGHT_CREATE "entity.object_ad.create"
#define RIGHT_UPDATE "entity.object_ad.update"
#define RIGHT_ADVANCED "entity.object_ad.update.advanced"
#define RIGHT_DELETE "entity.object_ad.delete"

static char media_dir[256];
static struct harness *h;
static struct fixture_company co, other;
static int64_t estate, apt, apt2, req, other_apt, other_req;
static unsigned upload_seq;

/* ---- the database, for fixtures the API does not make and for proof that nothing changed ---- */

static long long listing_rows(void)
{
	return harness_sql_int(h, "SELECT COUNT(*) FROM object_ads");
}

/* A requirement profile row (core/inventory/requirements.c owns its API; the listing only refers to it). */
static int64_t make_requirement(int64_t company, const char *name, const char *flags)
{
	return harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name%s) VALUES (%lld, '%s'%s) RETURNING id",
		       flags ? ", pets, smoking, senior, student, youth" : "", (long long)company, name,
		       flags ? flags : "");
}

/* A project of the root office holding est; published 0/1. */
static int64_t make_project(int64_t company, int64_t office, int64_t est, int published, int closed)
{
	int64_t id =
	    harness_sql_int(h, "INSERT INTO projects(company_id, office_id, name, published, closed, candidate_sorting_mode,"
		    " contract_system, is_short_lease, prioritize_existing_tenants, preliminary_move_in_date)"
		    " VALUES (%lld, %lld, 'Nyproduktion', %d, %d, 'random', 'automatic', 1, 1, '2099-06-01') RETURNING id",
		    (long long)company, (long long)office, published, closed);
	harness_sql(h, "UPDATE estates SET project_id = %lld WHERE id = %lld", (long long)id, (long long)est);
	return id;
}

/* ---- API fixtures ---- */

static int64_t make_estate(const char *token, int64_t office)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", token,
			       "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld,"
			       " \"landlord_object_id\": \"estate-1712\"}",
			       (long long)office);
	int64_t id;
	cr_assert_eq(r->status, 200, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static int64_t make_apartment(const char *token, int64_t est, const char *nid)
{
	struct hresp *r = reqf(h, "POST", "/api/v4/apartment", token,
			       "{\"estate\": %lld, \"street_name\": \"Kungsgatan\", \"street_number\": \"16A\","
			       " \"zip_code\": \"11143\", \"national_id\": \"%s\", \"latitude\": 59.3360,"
			       " \"longitude\": 18.0640, \"area\": 57, \"floor\": 3, \"rent\": 6747, \"rooms\": 1.5,"
			       " \"balcony\": \"SOUTH\", \"dishwasher\": \"PRESENT\", \"elevator\": true,"
			       " \"landlord_object_id\": \"123-444\", \"description\": \"Ljus trea\"}",
			       (long long)est, nid);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	fixture_company(h, "Other", &other);
	estate = make_estate(co.admin_token, co.root_office);
	apt = make_apartment(co.admin_token, estate, "1101");
	apt2 = make_apartment(co.admin_token, estate, "1102");
	req = make_requirement(co.id, "Standard", NULL);
	other_apt = make_apartment(other.admin_token, make_estate(other.admin_token, other.root_office), "1201");
	other_req = make_requirement(other.id, "Theirs", NULL);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(listings, .init = setup, .fini = teardown);

/* The Stockholm date days from today. */
static const char *day(int days, char buf[11])
{
	listings_day_of((int64_t)time(NULL) + days * 86400, buf);
	return buf;
}

static int64_t create(const char *token, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t create(const char *token, const char *fmt, ...)
{
	char body[2048];
	struct hresp *r;
	int64_t id;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	r = harness_auth(h, "POST", "/api/v1/object_ad/", token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "id", NULL });
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

/* A published listing of apt with the company's requirement. */
static int64_t create_active(int64_t apartment)
{
	return create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld}", (long long)apartment,
		      (long long)req);
}

static struct hresp *get(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v1/object_ad/%lld/", (long long)id), token, NULL);
}

static struct hresp *patch(const char *token, int64_t id, const char *body)
{
	char p[512];
	return harness_auth(h, "PATCH", pathf(p, "/api/v1/object_ad/%lld", (long long)id), token, body);
}

static struct hresp *del(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "DELETE", pathf(p, "/api/v1/object_ad/%lld/", (long long)id), token, NULL);
}

static struct hresp *public_view(const char *token, int64_t id)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v1/object/%lld", (long long)id), token, NULL);
}

static json_t *ad(const struct hresp *r)
{
	json_t *o = json_object_get(r->json, "object_ad");
	cr_assert(json_is_object(o), "no object_ad: %s", r->body);
	return o;
}

static const char *status_of(int64_t id)
{
	static char buf[32];
	struct hresp *r = get(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	snprintf(buf, sizeof(buf), "%s", jstr(ad(r), "status"));
	hresp_free(r);
	return buf;
}

/* "YYYY-MM-DD" → "YYYY-MM-DDT00:00:00Z" (date_access, H-17). */
static const char *midnight(const char *d)
{
	static char buf[32];
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", d);
	return buf;
}

/* "YYYY-MM-DDTHH:MM:SSZ" → unix seconds. */
static long long when(const char *iso)
{
	struct tm tm = { 0 };
	cr_assert(iso && strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm), "not a date-time: %s", iso ? iso : "(null)");
	return (long long)timegm(&tm);
}

/* ---- create, the full detail ---- */

Test(listings, create_minimal_and_the_full_detail)
{
	static const char *const top[] = { "apartment", "estate", "object_ad", "project", "requirements", NULL };
	static const char *const ad_keys[] = {
		"access_on_agreement", "approval_rejection_text", "assignments", "batch_size", "candidate_sorting_mode",
		"contract_system", "current_stats", "date_access", "date_created", "date_publish", "description", "id",
		"is_quick_apply", "is_short_lease", "offer_notes", "prior_access", "prioritize_existing_tenants",
		"short_lease_max_date", "short_lease_min_date", "soft_requirements_id", "start_processing_at", "status",
		NULL
	};
	static const char *const apt_keys[] = { "address", "amenities", "area", "description", "external_id", "floor",
						"id", "images", "location", "rent", "rooms", "videos", NULL };
	static const char *const address_keys[] = { "city", "county", "lgh", "municipality", "street_name",
						    "street_number", "zip_code", NULL };
	long long before = (long long)time(NULL);
	int64_t id = create_active(apt);
	struct hresp *r = get(co.admin_token, id);
	json_t *o, *a, *e, *g, *stats, *am;

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, top);
	o = ad(r);
	expect_keys(o, ad_keys);
	cr_assert_eq(jint(o, "id"), id);
	cr_assert_str_eq(jstr(o, "status"), "active");
	/* the root office's defaults (§9: queue_points, manual_selection_lock, batch 5) */
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "queue_points");
	cr_assert_str_eq(jstr(o, "contract_system"), "manual_selection_lock");
	cr_assert_eq(jint(o, "batch_size"), 5);
	cr_assert(json_is_true(json_object_get(o, "access_on_agreement")));
	cr_assert(json_is_null(json_object_get(o, "date_access")));
	cr_assert(json_is_null(json_object_get(o, "approval_rejection_text")));
	cr_assert(json_is_null(json_object_get(o, "offer_notes")));
	cr_assert(json_is_null(json_object_get(o, "soft_requirements_id")));
	cr_assert(json_is_null(json_object_get(o, "short_lease_min_date")));
	cr_assert(json_is_null(json_object_get(o, "short_lease_max_date")));
	cr_assert(json_is_false(json_object_get(o, "is_quick_apply")));
	cr_assert(json_is_false(json_object_get(o, "is_short_lease")));
	cr_assert(json_is_false(json_object_get(o, "prior_access")));
	cr_assert(json_is_false(json_object_get(o, "prioritize_existing_tenants")));
	cr_assert_str_eq(jstr(o, "description"), "");
	/* published now; processing starts after the company's minimum_up_time (24 h) */
	cr_assert(when(jstr(o, "date_publish")) >= before && when(jstr(o, "date_publish")) <= (long long)time(NULL));
	cr_assert_eq(when(jstr(o, "start_processing_at")), when(jstr(o, "date_publish")) + 24 * 3600);
	cr_assert(when(jstr(o, "date_created")) >= before - 1);
	/* the creating employee is assigned */
	g = json_object_get(o, "assignments");
	cr_assert_eq(json_array_size(g), 1);
	expect_keys(json_array_get(g, 0),
		    (const char *const[]){ "first_name", "id", "landlord_profile_id", "last_name", NULL });
	cr_assert_eq(jint(json_array_get(g, 0), "landlord_profile_id"), co.admin_id);
	stats = json_object_get(o, "current_stats");
	expect_keys(stats, (const char *const[]){ "approval_status", "approval_status_for_contract_not_offered",
						  "offer_status", "timestamp", NULL });
	cr_assert_eq(jint(json_object_get(stats, "approval_status"), "processing"), 0);
	cr_assert_eq(jint(json_object_get(stats, "offer_status"), "yes"), 0);
	/* the apartment */
	a = json_object_get(r->json, "apartment");
	expect_keys(a, apt_keys);
	expect_keys(json_object_get(a, "address"), address_keys);
	cr_assert_str_eq(jstr(json_object_get(a, "address"), "lgh"), "1101");
	cr_assert_str_eq(jstr(json_object_get(a, "address"), "city"), "Stockholm");
	cr_assert_str_eq(jstr(json_object_get(a, "address"), "street_number"), "16A");
	am = json_object_get(a, "amenities");
	cr_assert_eq(json_object_size(am), 18);
	cr_assert(json_is_true(json_object_get(am, "has_balcony")));
	cr_assert(json_is_true(json_object_get(am, "has_dishwasher")));
	cr_assert(json_is_true(json_object_get(am, "has_elevator")));
	cr_assert(json_is_true(json_object_get(am, "has_shower")));
	cr_assert(json_is_false(json_object_get(am, "has_garage")));
	cr_assert_eq(jint(a, "id"), apt);
	cr_assert_eq(jint(a, "rent"), 6747);
	cr_assert(json_number_value(json_object_get(a, "rooms")) == 1.5);
	cr_assert(json_number_value(json_object_get(a, "area")) == 57);
	cr_assert(json_number_value(json_object_get(a, "floor")) == 3);
	cr_assert_str_eq(jstr(a, "external_id"), "123-444");
	cr_assert_str_eq(jstr(a, "description"), "Ljus trea");
	cr_assert(json_number_value(json_object_get(json_object_get(a, "location"), "lat")) > 59.33);
	cr_assert_eq(json_array_size(json_object_get(a, "images")), 0);
	cr_assert_eq(json_array_size(json_object_get(a, "videos")), 0);
	/* the estate */
	e = json_object_get(r->json, "estate");
	expect_keys(e,
		    (const char *const[]){ "company", "display_image", "external_id", "id", "images", "name", NULL });
	cr_assert_eq(jint(json_object_get(e, "company"), "id"), co.id);
	cr_assert_str_eq(jstr(json_object_get(e, "company"), "name"), "Acme");
	cr_assert_str_eq(jstr(e, "name"), "Solrosen 1");
	cr_assert_str_eq(jstr(e, "external_id"), "estate-1712");
	cr_assert(json_is_null(json_object_get(e, "display_image")));
	cr_assert(json_is_null(json_object_get(r->json, "project")));
	expect_keys(json_object_get(r->json, "requirements"), (const char *const[]){ "id", "name", NULL });
	cr_assert_eq(jint(json_object_get(r->json, "requirements"), "id"), req);
	cr_assert_str_eq(jstr(json_object_get(r->json, "requirements"), "name"), "Standard");
	hresp_free(r);
	/* trailing slash optional, every read (G-01) */
	r = harness_auth(h, "GET", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
			 NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

/* The seed's example body (L1234ff) with dates ahead of us: every field lands. */
Test(listings, seed_example_every_field)
{
	char access[11], publish[11], min[11], max[11];
	struct hresp *r;
	json_t *o;
	int64_t id =
	    create(co.admin_token,
		   "{\"access_date\": \"%s\", \"apartment\": %lld, \"candidate_sorting_mode\": \"first_come_first\","
		   " \"contract_system\": \"external\", \"date_publish\": \"%s\", \"is_draft\": false,"
		   " \"is_project_rental\": false, \"is_quick_apply\": true, \"is_short_lease\": true,"
		   " \"offer_notes\": \"Bring ID\", \"prior_access\": true, \"prioritize_customers\": true,"
		   " \"requirement\": %lld, \"short_lease_max_date\": \"%s\", \"short_lease_min_date\": \"%s\","
		   " \"description\": \"# Trea\\nMed balkong\", \"unknown_member\": 1}",
		   day(30, access), (long long)apt, day(3, publish), (long long)req, day(400, max), day(100, min));

	r = get(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	o = ad(r);
	/* a date_publish ahead: approved (scheduled), not public yet */
	cr_assert_str_eq(jstr(o, "status"), "approved");
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "first_come_first");
	cr_assert_str_eq(jstr(o, "contract_system"), "external");
	cr_assert(json_is_false(json_object_get(o, "access_on_agreement")));
	cr_assert_str_eq(jstr(o, "date_access"), midnight(access));
	cr_assert(json_is_true(json_object_get(o, "is_quick_apply")));
	cr_assert(json_is_true(json_object_get(o, "is_short_lease")));
	cr_assert(json_is_true(json_object_get(o, "prior_access")));
	cr_assert(json_is_true(json_object_get(o, "prioritize_existing_tenants")));
	cr_assert_str_eq(jstr(o, "offer_notes"), "Bring ID");
	cr_assert_str_eq(jstr(o, "short_lease_min_date"), min);
	cr_assert_str_eq(jstr(o, "short_lease_max_date"), max);
	cr_assert_str_eq(jstr(o, "description"), "# Trea\nMed balkong");
	/* date_publish is the publish date's Stockholm midnight */
	{
		char d[11];
		listings_day_of(when(jstr(o, "date_publish")), d);
		cr_assert_str_eq(d, publish);
		cr_assert(when(jstr(o, "date_publish")) > (long long)time(NULL));
		cr_assert_eq(when(jstr(o, "start_processing_at")), when(jstr(o, "date_publish")) + 24 * 3600);
	}
	hresp_free(r);
	r = public_view(NULL, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(listings, office_defaults_are_inherited)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/offices/", co.admin_token,
			       "{\"name\": \"Syd\", \"parent\": %lld, \"candidate_sorting_mode\": \"random\","
			       " \"contract_system\": \"automatic\", \"batch_size\": 7}",
			       (long long)co.root_office);
	int64_t office, est, a, id;
	json_t *o;

	cr_assert(r->status == 201 || r->status == 200, "%s", r->body);
	office = hresp_int(r, "id");
	hresp_free(r);
	est = make_estate(co.admin_token, office);
	a = make_apartment(co.admin_token, est, "2101");
	id = create_active(a);
	r = get(co.admin_token, id);
	o = ad(r);
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "random");
	cr_assert_str_eq(jstr(o, "contract_system"), "automatic");
	cr_assert_eq(jint(o, "batch_size"), 7);
	hresp_free(r);
	/* the listing keeps what it was created with */
	expect_status_free(reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/offices/%lld/", (long long)office),
				co.admin_token, "{\"batch_size\": 9}"),
			   200);
	r = get(co.admin_token, id);
	cr_assert_eq(jint(ad(r), "batch_size"), 7);
	hresp_free(r);
}

/* decisions.md H-16: a project letter is accepted and the name is emitted. */
Test(listings, contract_system_letters)
{
	int64_t id = create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"contract_system\": \"S\"}",
			    (long long)apt, (long long)req);
	struct hresp *r = get(co.admin_token, id);
	cr_assert_str_eq(jstr(ad(r), "contract_system"), "automatic_strict");
	hresp_free(r);
}

/* ---- bad input ---- */

Test(listings, bad_input_names_every_field_and_changes_nothing)
{
	char long_text[12000];
	struct hresp *r;

	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = 0;
	r = harness_auth(h, "POST", "/api/v1/object_ad/", co.admin_token, "{}");
	expect_invalid(r, "apartment");
	hresp_free(r);
	r = reqf(
	    h, "POST", "/api/v1/object_ad/", co.admin_token,
	    "{\"apartment\": \"x\", \"is_draft\": \"yes\", \"requirement\": 0, \"candidate_sorting_mode\": \"lottery\","
	    " \"contract_system\": \"Z\", \"access_date\": \"2024-13-01\", \"date_publish\": \"tomorrow\","
	    " \"short_lease_min_date\": \"2023-02-29\", \"is_short_lease\": 1, \"offer_notes\": 5,"
	    " \"prioritize_customers\": \"no\", \"description\": \"%s\"}",
	    long_text);
	expect_error(r, 412, "ValidationError");
	cr_assert(has_field(r, "apartment"));
	cr_assert(has_field(r, "is_draft"));
	cr_assert(has_field(r, "requirement"));
	cr_assert(has_field(r, "candidate_sorting_mode"));
	cr_assert(has_field(r, "contract_system"));
	cr_assert(has_field(r, "access_date"));
	cr_assert(has_field(r, "date_publish"));
	cr_assert(has_field(r, "short_lease_min_date"));
	cr_assert(has_field(r, "is_short_lease"));
	cr_assert(has_field(r, "offer_notes"));
	cr_assert(has_field(r, "prioritize_customers"));
	cr_assert(has_field(r, "description"));
	hresp_free(r);
	/* not JSON */
	r = harness_auth(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": ");
	expect_error(r, 400, "ParseError");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/object_ad/", co.admin_token, "[1]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
}

Test(listings, patch_bad_input)
{
	int64_t id = create_active(apt);
	struct hresp *r = patch(co.admin_token, id,
				"{\"status\": \"sold\", \"requirement\": 0, \"soft_requirements_id\": \"a\","
				" \"access_date\": \"01/02/2030\", \"date_publish\": null, \"is_short_lease\": null}");
	expect_error(r, 412, "ValidationError");
	cr_assert(has_field(r, "status"));
	cr_assert(has_field(r, "requirement"));
	cr_assert(has_field(r, "soft_requirements_id"));
	cr_assert(has_field(r, "access_date"));
	cr_assert(has_field(r, "date_publish"));
	cr_assert(has_field(r, "is_short_lease"));
	hresp_free(r);
	cr_assert_str_eq(status_of(id), "active");
}

/* ---- documented errors of create ---- */

Test(listings, apartment_has_ad)
{
	int64_t id = create_active(apt);
	struct hresp *r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			       "{\"apartment\": %lld, \"is_draft\": true}", (long long)apt);
	expect_error(r, 412, "ApartmentHasAd");
	cr_assert_str_eq(hresp_str(r, "description"), "Can not create an Ad on an apartment that already has one.");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 1);
	/* a deleted listing no longer counts */
	expect_status_free(del(co.admin_token, id), 204);
	create_active(apt);
}

Test(listings, missing_requirement_unless_draft)
{
	struct hresp *r =
	    reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": %lld}", (long long)apt);
	int64_t id;

	expect_error(r, 412, "MissingRequirement");
	cr_assert_str_eq(hresp_str(r, "description"),
			 "You need to provide a requirement to create an Ad if not a Draft.");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": %lld, \"requirement\": null}",
		 (long long)apt);
	expect_error(r, 412, "MissingRequirement");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
	/* a draft may wait for its requirement; date_publish is ignored for drafts */
	id = create(co.admin_token, "{\"apartment\": %lld, \"is_draft\": true, \"date_publish\": \"2030-01-01\"}",
		    (long long)apt);
	r = get(co.admin_token, id);
	cr_assert_str_eq(jstr(ad(r), "status"), "draft");
	cr_assert(json_is_null(json_object_get(ad(r), "date_publish")));
	cr_assert(json_is_null(json_object_get(ad(r), "start_processing_at")));
	cr_assert(json_is_null(json_object_get(r->json, "requirements")));
	hresp_free(r);
}

Test(listings, requirement_of_another_company)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			       "{\"apartment\": %lld, \"requirement\": %lld}", (long long)apt, (long long)other_req);
	expect_error(r, 403, "PermissionError");
	cr_assert_str_eq(hresp_str(r, "description"), "Requirement does not belong to the company");
	hresp_free(r);
	/* an id nobody has belongs to no company of the caller's either */
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": %lld, \"requirement\": 999999}",
		 (long long)apt);
	expect_error(r, 403, "PermissionError");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
}

Test(listings, office_not_a_sub_office_of_the_user)
{
	char token[1024];
	int64_t sub = fixture_office(h, co.id, co.root_office, "Syd");
	int64_t sub_apt = make_apartment(co.admin_token, make_estate(co.admin_token, sub), "3101");
	struct hresp *r;

	fixture_employee(h, co.id, sub, "admin", "syd-admin", token);
	/* the root office's apartment is outside the employee's subtree */
	r = reqf(h, "POST", "/api/v1/object_ad/", token, "{\"apartment\": %lld, \"requirement\": %lld}", (long long)apt,
		 (long long)req);
	expect_error(r, 403, "PermissionError");
	cr_assert_str_eq(hresp_str(r, "description"), "Office in question is not a sub office of the user");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
	/* its own office's is fine, and the root office sees it too */
	{
		int64_t id = create(token, "{\"apartment\": %lld, \"requirement\": %lld}", (long long)sub_apt,
				    (long long)req);
		expect_status_free(get(co.admin_token, id), 200);
		/* the sub office does not see the root office's listings */
		id = create_active(apt);
		r = get(token, id);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		r = patch(token, id, "{\"description\": \"x\"}");
		expect_error(r, 412, "AdDoesNotExist");
		hresp_free(r);
		r = del(token, id);
		expect_error(r, 412, "NoSuchObjectAd");
		hresp_free(r);
	}
}

Test(listings, apartment_of_another_company_or_unknown)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			       "{\"apartment\": %lld, \"requirement\": %lld}", (long long)other_apt, (long long)req);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": 999999, \"requirement\": %lld}",
		 (long long)req);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
}

Test(listings, apartment_that_cannot_have_an_ad)
{
	struct hresp *r;
	expect_status_free(reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v4/apartment/%lld", (long long)apt),
				co.admin_token, "{\"can_create_ad_listing\": false}"),
			   200);
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld}",
		 (long long)apt, (long long)req);
	expect_error(r, 412, "ApartmentCannotHaveAd");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
}

Test(listings, date_validation)
{
	char past[11], later[11], sooner[11];
	struct hresp *r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
			       "{\"apartment\": %lld, \"requirement\": %lld, \"access_date\": \"%s\"}", (long long)apt,
			       (long long)req, day(-2, past));
	int64_t id;

	expect_error(r, 412, "DateValidationError");
	hresp_free(r);
	r = reqf(
	    h, "POST", "/api/v1/object_ad/", co.admin_token,
	    "{\"apartment\": %lld, \"requirement\": %lld, \"is_short_lease\": true, \"short_lease_min_date\": \"%s\","
	    " \"short_lease_max_date\": \"%s\"}",
	    (long long)apt, (long long)req, day(60, later), day(30, sooner));
	expect_error(r, 412, "DateValidationError");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
	/* today is fine; a date-time is reduced to its Stockholm date (H-17) */
	id = create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"access_date\": \"%sT12:00:00Z\"}",
		    (long long)apt, (long long)req, day(30, later));
	r = get(co.admin_token, id);
	cr_assert_str_eq(jstr(ad(r), "date_access"), midnight(later));
	hresp_free(r);
	/* update: a past access date is refused, the stored one sent back is not a change */
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
		 "{\"access_date\": \"%s\"}", past);
	expect_error(r, 412, "DateValidationError");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
		 "{\"access_date\": \"%s\"}", later);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "date_access"), midnight(later));
	hresp_free(r);
	/* null: access on agreement, and prior access means nothing then (H-05) */
	r = patch(co.admin_token, id, "{\"access_date\": null, \"prior_access\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(ad(r), "access_on_agreement")));
	cr_assert(json_is_null(json_object_get(ad(r), "date_access")));
	cr_assert(json_is_false(json_object_get(ad(r), "prior_access")));
	hresp_free(r);
}

/* ---- projects ---- */

Test(listings, project_rentals)
{
	int64_t est2 = make_estate(co.admin_token, co.root_office), a2 = make_apartment(co.admin_token, est2, "4101");
	int64_t est3 = make_estate(co.admin_token, co.root_office), a3 = make_apartment(co.admin_token, est3, "4201");
	int64_t project, closed, id;
	struct hresp *r;
	json_t *o;

	/* no project for the estate */
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
		 "{\"apartment\": %lld, \"requirement\": %lld, \"is_project_rental\": true}", (long long)apt,
		 (long long)req);
	expect_error(r, 412, "NoLinkedProject");
	cr_assert_str_eq(hresp_str(r, "description"), "There is no linked project.");
	hresp_free(r);
	/* a project that is not published */
	project = make_project(co.id, co.root_office, est2, 0, 0);
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
		 "{\"apartment\": %lld, \"requirement\": %lld, \"is_project_rental\": true}", (long long)a2,
		 (long long)req);
	expect_error(r, 412, "ProjectNotActive");
	cr_assert_str_eq(hresp_str(r, "description"), "Project is not active");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 0);
	/* a draft may be prepared meanwhile, but not published before the project is */
	id = create(co.admin_token, "{\"apartment\": %lld, \"is_project_rental\": true, \"is_draft\": true}",
		    (long long)a2);
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
		 "{\"status\": \"active\", \"requirement\": %lld}", (long long)req);
	expect_error(r, 412, "ProjectNotActive");
	hresp_free(r);
	cr_assert_str_eq(status_of(id), "draft");
	harness_sql(h, "UPDATE projects SET published = 1 WHERE id = %lld", (long long)project);
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
		 "{\"status\": \"active\", \"requirement\": %lld}", (long long)req);
	cr_assert_eq(r->status, 200, "%s", r->body);
	o = ad(r);
	cr_assert_str_eq(jstr(o, "status"), "active");
	/* the project's defaults (H-06) */
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "random");
	cr_assert_str_eq(jstr(o, "contract_system"), "automatic");
	cr_assert(json_is_true(json_object_get(o, "is_short_lease")));
	cr_assert(json_is_true(json_object_get(o, "prioritize_existing_tenants")));
	cr_assert_str_eq(jstr(o, "date_access"), "2099-06-01T00:00:00Z");
	cr_assert_eq(jint(json_object_get(r->json, "project"), "id"), project);
	cr_assert_str_eq(jstr(json_object_get(r->json, "project"), "name"), "Nyproduktion");
	hresp_free(r);
	/* explicit values win; without the flag the same estate makes a succession ad */
	expect_status_free(del(co.admin_token, id), 204);
	id = create(co.admin_token,
		    "{\"apartment\": %lld, \"requirement\": %lld, \"is_project_rental\": true,"
		    " \"candidate_sorting_mode\": \"queue_points\", \"is_short_lease\": false}",
		    (long long)a2, (long long)req);
	r = get(co.admin_token, id);
	cr_assert_str_eq(jstr(ad(r), "candidate_sorting_mode"), "queue_points");
	cr_assert_str_eq(jstr(ad(r), "contract_system"), "automatic");
	cr_assert(json_is_false(json_object_get(ad(r), "is_short_lease")));
	hresp_free(r);
	/* paused while the project closes: it cannot be resumed, as it could not be published */
	expect_status_free(patch(co.admin_token, id, "{\"status\": \"paused\"}"), 200);
	harness_sql(h, "UPDATE projects SET closed = 1 WHERE id = %lld", (long long)project);
	r = patch(co.admin_token, id, "{\"status\": \"active\"}");
	expect_error(r, 412, "ProjectNotActive");
	hresp_free(r);
	cr_assert_str_eq(status_of(id), "paused");
	harness_sql(h, "UPDATE projects SET closed = 0 WHERE id = %lld", (long long)project);
	expect_status_free(patch(co.admin_token, id, "{\"status\": \"active\"}"), 200);
	cr_assert_str_eq(status_of(id), "active");
	expect_status_free(del(co.admin_token, id), 204);
	id = create_active(a2);
	r = get(co.admin_token, id);
	cr_assert(json_is_null(json_object_get(r->json, "project")));
	cr_assert_str_eq(jstr(ad(r), "candidate_sorting_mode"), "queue_points");
	hresp_free(r);
	/* a closed project takes nothing, not even drafts */
	closed = make_project(co.id, co.root_office, est3, 1, 1);
	(void)closed;
	r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
		 "{\"apartment\": %lld, \"is_project_rental\": true, \"is_draft\": true}", (long long)a3);
	expect_error(r, 412, "ProjectNotActive");
	hresp_free(r);
}

/* ---- rights and tokens ---- */

Test(listings, rights)
{
	char observer[1024], employee[1024], consumer[1024];
	int64_t id = create_active(apt);
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "observer", "obs", observer);
	fixture_employee(h, co.id, co.root_office, "employee", "emp", employee);
	fixture_consumer(h, "c@example.com", consumer);
	r = reqf(h, "POST", "/api/v1/object_ad/", observer, "{\"apartment\": %lld, \"requirement\": %lld}",
		 (long long)apt2, (long long)req);
	expect_no_right(r, RIGHT_CREATE);
	hresp_free(r);
	r = patch(observer, id, "{\"description\": \"x\"}");
	expect_no_right(r, RIGHT_UPDATE);
	hresp_free(r);
	r = del(observer, id);
	expect_no_right(r, RIGHT_DELETE);
	hresp_free(r);
	/* reading needs no right */
	expect_status_free(get(observer, id), 200);
	/* the advanced right guards a change of sorting mode or contract system (H-04) */
	r = reqf(h, "POST", "/api/v1/object_ad/", employee,
		 "{\"apartment\": %lld, \"requirement\": %lld, \"contract_system\": \"external\"}", (long long)apt2,
		 (long long)req);
	expect_no_right(r, RIGHT_ADVANCED);
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/object_ad/", employee,
		 "{\"apartment\": %lld, \"requirement\": %lld, \"candidate_sorting_mode\": \"random\"}",
		 (long long)apt2, (long long)req);
	expect_no_right(r, RIGHT_ADVANCED);
	hresp_free(r);
	cr_assert_eq(listing_rows(), 1);
	/* the value it gets anyway is not a change */
	create(employee, "{\"apartment\": %lld, \"requirement\": %lld, \"candidate_sorting_mode\": \"queue_points\","
			 " \"contract_system\": \"manual_selection_lock\"}",
	       (long long)apt2, (long long)req);
	r = patch(employee, id, "{\"contract_system\": \"automatic\"}");
	expect_no_right(r, RIGHT_ADVANCED);
	hresp_free(r);
	r = patch(employee, id, "{\"contract_system\": \"manual_selection_lock\", \"description\": \"ok\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	/* consumers and anonymous callers */
	r = get(consumer, id);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/object_ad/", consumer, "{\"apartment\": %lld}", (long long)apt2);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = get(NULL, id);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = del(NULL, id);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	cr_assert_str_eq(status_of(id), "active");
}

Test(listings, other_company_ids)
{
	int64_t mine = create_active(apt);
	int64_t theirs = create(other.admin_token, "{\"apartment\": %lld, \"requirement\": %lld}", (long long)other_apt,
				(long long)other_req);
	struct hresp *r = get(co.admin_token, theirs);

	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = get(co.admin_token, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = patch(co.admin_token, theirs, "{\"description\": \"mine now\"}");
	expect_error(r, 412, "AdDoesNotExist");
	cr_assert_str_eq(hresp_str(r, "description"), "Could not find the requested ad.");
	hresp_free(r);
	r = patch(co.admin_token, 999999, "{}");
	expect_error(r, 412, "AdDoesNotExist");
	hresp_free(r);
	r = del(co.admin_token, theirs);
	expect_error(r, 412, "NoSuchObjectAd");
	cr_assert_str_eq(hresp_str(r, "description"), "There is no such ad with this id");
	hresp_free(r);
	r = del(co.admin_token, 999999);
	expect_error(r, 412, "NoSuchObjectAd");
	hresp_free(r);
	/* their listing is untouched, and they cannot use our requirement either */
	r = get(other.admin_token, theirs);
	cr_assert_str_eq(jstr(ad(r), "status"), "active");
	cr_assert_str_eq(jstr(ad(r), "description"), "");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)theirs), other.admin_token,
		 "{\"requirement\": %lld}", (long long)req);
	expect_error(r, 403, "PermissionError");
	hresp_free(r);
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)mine), co.admin_token,
		 "{\"soft_requirements_id\": %lld}", (long long)other_req);
	expect_error(r, 403, "PermissionError");
	hresp_free(r);
}

/* ---- update ---- */

Test(listings, patch_every_field_and_put_alias)
{
	char min[11], max[11];
	int64_t soft = make_requirement(co.id, "Soft", NULL), req2 = make_requirement(co.id, "Strict", NULL);
	int64_t id = create_active(apt);
	struct hresp *r =
	    reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld/", (long long)id), co.admin_token,
		 "{\"description\": \"Ny text\", \"offer_notes\": \"Ring först\", \"is_short_lease\": true,"
		 " \"short_lease_min_date\": \"%s\", \"short_lease_max_date\": \"%s\","
		 " \"prioritize_existing_tenants\": true, \"requirement\": %lld, \"soft_requirements_id\": %lld,"
		 " \"candidate_sorting_mode\": \"random\", \"contract_system\": \"B\"}",
		 day(10, min), day(20, max), (long long)req2, (long long)soft);
	json_t *o;

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json,
		    (const char *const[]){ "apartment", "estate", "object_ad", "project", "requirements", NULL });
	o = ad(r);
	cr_assert_str_eq(jstr(o, "description"), "Ny text");
	cr_assert_str_eq(jstr(o, "offer_notes"), "Ring först");
	cr_assert(json_is_true(json_object_get(o, "is_short_lease")));
	cr_assert_str_eq(jstr(o, "short_lease_min_date"), min);
	cr_assert_str_eq(jstr(o, "short_lease_max_date"), max);
	cr_assert(json_is_true(json_object_get(o, "prioritize_existing_tenants")));
	cr_assert_eq(jint(o, "soft_requirements_id"), soft);
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "random");
	cr_assert_str_eq(jstr(o, "contract_system"), "manual_selection");
	cr_assert_eq(jint(json_object_get(r->json, "requirements"), "id"), req2);
	cr_assert_str_eq(jstr(json_object_get(r->json, "requirements"), "name"), "Strict");
	hresp_free(r);
	/* PUT is the same partial update (G-02); null clears */
	r = harness_auth(h, "PUT", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
			 "{\"offer_notes\": null, \"soft_requirements_id\": null, \"prioritize_customers\": false,"
			 " \"short_lease_min_date\": null}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	o = ad(r);
	cr_assert(json_is_null(json_object_get(o, "offer_notes")));
	cr_assert(json_is_null(json_object_get(o, "soft_requirements_id")));
	cr_assert(json_is_null(json_object_get(o, "short_lease_min_date")));
	cr_assert_str_eq(jstr(o, "short_lease_max_date"), max);
	cr_assert(json_is_false(json_object_get(o, "prioritize_existing_tenants")));
	cr_assert_str_eq(jstr(o, "description"), "Ny text");
	hresp_free(r);
	/* a published listing needs its requirement */
	r = patch(co.admin_token, id, "{\"requirement\": null}");
	expect_error(r, 412, "MissingRequirement");
	hresp_free(r);
	/* short-lease dates out of order */
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
		 "{\"short_lease_min_date\": \"%s\"}", day(40, min));
	expect_error(r, 412, "DateValidationError");
	hresp_free(r);
	r = get(co.admin_token, id);
	cr_assert_eq(jint(json_object_get(r->json, "requirements"), "id"), req2);
	cr_assert(json_is_null(json_object_get(ad(r), "short_lease_min_date")));
	hresp_free(r);
}

/* ---- status ---- */

Test(listings, pause_resume_and_invalid_transitions)
{
	int64_t id = create_active(apt);
	struct hresp *r = patch(co.admin_token, id, "{\"status\": \"paused\"}");

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "status"), "paused");
	hresp_free(r);
	r = public_view(NULL, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = patch(co.admin_token, id, "{\"status\": \"active\"}");
	cr_assert_str_eq(jstr(ad(r), "status"), "active");
	hresp_free(r);
	expect_status_free(public_view(NULL, id), 200);
	/* the applicant process and DELETE drive the rest; a published listing is no draft again */
	{
		static const char *const refused[] = { "draft", "rented", "reserved", "closing", "deleted", "rejected",
							"publishing", "approved", NULL };
		for (int i = 0; refused[i]; i++) {
			char body[64];
			snprintf(body, sizeof(body), "{\"status\": \"%s\"}", refused[i]);
			r = patch(co.admin_token, id, body);
			expect_error(r, 412, "InvalidStatus");
			hresp_free(r);
		}
	}
	/* the publish date of a published listing is history */
	r = patch(co.admin_token, id, "{\"date_publish\": \"2099-01-01\"}");
	expect_error(r, 412, "InvalidStatus");
	hresp_free(r);
	cr_assert_str_eq(status_of(id), "active");
}

Test(listings, draft_publish)
{
	int64_t id = create(co.admin_token, "{\"apartment\": %lld, \"is_draft\": true}", (long long)apt);
	struct hresp *r = public_view(NULL, id);

	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = patch(co.admin_token, id, "{\"status\": \"active\"}");
	expect_error(r, 412, "MissingRequirement");
	hresp_free(r);
	r = patch(co.admin_token, id, "{\"status\": \"paused\"}");
	expect_error(r, 412, "InvalidStatus");
	hresp_free(r);
	cr_assert_str_eq(status_of(id), "draft");
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
		 "{\"status\": \"active\", \"requirement\": %lld}", (long long)req);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "status"), "active");
	cr_assert(jstr(ad(r), "date_publish") != NULL);
	hresp_free(r);
	expect_status_free(public_view(NULL, id), 200);
}

/* ---- scheduled publishing: the timer job ---- */

/* Moves the clock for the queued publish job: its run time is now past. */
static void job_is_due(void)
{
	harness_sql(h, "UPDATE jobs SET next_run_at = next_run_at - 40 * 86400 WHERE kind = 'listing_publish' AND state = "
		"'queued'");
}

Test(listings, scheduled_publishing_through_the_timer_job)
{
	char publish[11];
	int64_t id = create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"date_publish\": \"%s\"}",
			    (long long)apt, (long long)req, day(2, publish));
	struct core *c = app_core(h->app);
	struct hresp *r;

	cr_assert_str_eq(status_of(id), "approved");
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'listing_publish' AND state = 'queued'"), 1);
	/* nothing is due yet: a request does not publish it, time does */
	cr_assert_eq(jobs_run_one(c), 0);
	r = public_view(NULL, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM events WHERE type = 'FirstListingWasPublished'"), 0);
	job_is_due();
	cr_assert_eq(jobs_run_one(c), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'listing_publish' AND state = 'done'"), 1);
	cr_assert_str_eq(status_of(id), "active");
	r = public_view(NULL, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	/* the first publication of the company, by the timer */
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM events WHERE type = 'FirstListingWasPublished' AND company_id = %lld",
			    (long long)co.id),
		     1);
	cr_assert_eq(harness_sql_int(h, "SELECT first_listing_published_at IS NOT NULL FROM companies WHERE id = %lld",
			    (long long)co.id),
		     1);
}

Test(listings, rescheduled_and_withdrawn_timers_do_nothing)
{
	char d2[11], d5[11];
	int64_t id = create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"date_publish\": \"%s\"}",
			    (long long)apt, (long long)req, day(2, d2));
	struct core *c = app_core(h->app);
	struct hresp *r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id),
			       co.admin_token, "{\"date_publish\": \"%s\"}", day(5, d5));

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "status"), "approved");
	hresp_free(r);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'listing_publish'"), 2);
	/* only the old timer is due: it finds the listing rescheduled and leaves it */
	harness_sql(h, "UPDATE jobs SET next_run_at = 1 WHERE kind = 'listing_publish' AND id = (SELECT MIN(id) FROM jobs"
		" WHERE kind = 'listing_publish')");
	cr_assert_eq(jobs_run_one(c), 1);
	cr_assert_str_eq(status_of(id), "approved");
	/* taken back to draft: the new timer does nothing either */
	r = patch(co.admin_token, id, "{\"status\": \"draft\"}");
	cr_assert_str_eq(jstr(ad(r), "status"), "draft");
	hresp_free(r);
	job_is_due();
	cr_assert_eq(jobs_run_one(c), 1);
	cr_assert_str_eq(status_of(id), "draft");
	/* published now, on request */
	r = patch(co.admin_token, id, "{\"status\": \"approved\", \"date_publish\": \"2000-01-01\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "status"), "active");
	cr_assert(when(jstr(ad(r), "date_publish")) >= (long long)time(NULL) - 5);
	hresp_free(r);
}

Test(listings, approved_published_now)
{
	char d[11];
	int64_t id = create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"date_publish\": \"%s\"}",
			    (long long)apt, (long long)req, day(9, d));
	struct hresp *r = patch(co.admin_token, id, "{\"status\": \"active\"}");

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "status"), "active");
	cr_assert(when(jstr(ad(r), "date_publish")) <= (long long)time(NULL));
	hresp_free(r);
	expect_status_free(public_view(NULL, id), 200);
	/* its timer, when it comes, finds nothing to do */
	job_is_due();
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_str_eq(status_of(id), "active");
}

/* ---- the first publication event ---- */

Test(listings, first_listing_was_published_once)
{
	json_t *payload;
	char *text;
	json_error_t jerr;

	create(co.admin_token, "{\"apartment\": %lld, \"is_draft\": true}", (long long)apt);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM events WHERE type = 'FirstListingWasPublished'"), 0);
	create_active(apt2);
	create(other.admin_token, "{\"apartment\": %lld, \"requirement\": %lld}", (long long)other_apt,
	       (long long)other_req);
	{
		int64_t a3 = make_apartment(co.admin_token, estate, "1103");
		create_active(a3);
	}
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM events WHERE type = 'FirstListingWasPublished' AND company_id = %lld",
			    (long long)co.id),
		     1);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM events WHERE type = 'FirstListingWasPublished'"), 2);
	/* {accountId: the company's uuid, occurredOn: "…+0000"} (spotahome.md §5 #8, S-36) */
	text = harness_sql_text(h, "SELECT payload FROM events WHERE type = 'FirstListingWasPublished' AND company_id = %lld",
				(long long)co.id);
	payload = json_loads(text, 0, &jerr);
	free(text);
	cr_assert(payload);
	expect_keys(payload, (const char *const[]){ "accountId", "occurredOn", NULL });
	cr_assert_str_eq(jstr(payload, "accountId"), co.uuid);
	cr_assert_eq(strlen(jstr(payload, "occurredOn")), 24);
	cr_assert(strstr(jstr(payload, "occurredOn"), "+0000"));
	json_decref(payload);
}

/* ---- delete ---- */

Test(listings, delete_marks_then_the_job_purges)
{
	int64_t id = create_active(apt);
	struct core *c = app_core(h->app);
	struct hresp *r = del(co.admin_token, id);

	cr_assert_eq(r->status, 204, "%s", r->body);
	cr_assert_eq(r->body_len, 0);
	hresp_free(r);
	/* marked deleted until the background job removes it */
	cr_assert_str_eq(status_of(id), "deleted");
	r = public_view(NULL, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = del(co.admin_token, id);
	expect_error(r, 412, "InvalidStatus");
	cr_assert_str_eq(hresp_str(r, "description"), "Cannot delete a listing in this status.");
	hresp_free(r);
	r = patch(co.admin_token, id, "{\"description\": \"x\"}");
	expect_error(r, 412, "InvalidStatus");
	hresp_free(r);
	cr_assert_eq(jobs_run_one(c), 1);
	cr_assert_eq(listing_rows(), 0);
	r = get(co.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = del(co.admin_token, id);
	expect_error(r, 412, "NoSuchObjectAd");
	hresp_free(r);
}

Test(listings, delete_only_from_approved_active_draft_paused)
{
	static const char *const refused[] = { "closing", "rented", "reserved", "rejected", "publishing", NULL };
	char d[11];
	int64_t draft = create(co.admin_token, "{\"apartment\": %lld, \"is_draft\": true}", (long long)apt);
	int64_t approved =
	    create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"date_publish\": \"%s\"}",
		   (long long)apt2, (long long)req, day(4, d));
	int64_t a3 = make_apartment(co.admin_token, estate, "1103"),
		a4 = make_apartment(co.admin_token, estate, "1104");
	int64_t paused = create_active(a3), other_status = create_active(a4);

	expect_status_free(patch(co.admin_token, paused, "{\"status\": \"paused\"}"), 200);
	expect_status_free(del(co.admin_token, draft), 204);
	expect_status_free(del(co.admin_token, approved), 204);
	expect_status_free(del(co.admin_token, paused), 204);
	/* the applicant process's states (set here as it will set them) cannot be deleted */
	for (int i = 0; refused[i]; i++) {
		struct hresp *r;
		harness_sql(h, "UPDATE object_ads SET status = '%s' WHERE id = %lld", refused[i], (long long)other_status);
		r = del(co.admin_token, other_status);
		expect_error(r, 412, "InvalidStatus");
		hresp_free(r);
		cr_assert_str_eq(status_of(other_status), refused[i]);
	}
}

/* ---- the detail's rate limit ---- */

Test(listings, detail_rate_limit)
{
	char token[1024];
	int64_t id = create_active(apt);
	struct hresp *r;
	const char *retry;

	for (int i = 0; i < 60; i++) {
		r = get(co.admin_token, id);
		cr_assert_eq(r->status, 200, "request %d: %s", i + 1, r->body);
		hresp_free(r);
	}
	r = get(co.admin_token, id);
	expect_error(r, 429, "RateLimited");
	cr_assert_str_eq(hresp_str(r, "description"), "You have been rate limited. Please try again later.");
	retry = hresp_header(r, "Retry-After");
	cr_assert(retry, "no Retry-After");
	cr_assert(atoi(retry) >= 1 && atoi(retry) <= 60, "Retry-After: %s", retry);
	hresp_free(r);
	/* per caller: a colleague is not limited; writes are not limited */
	fixture_employee(h, co.id, co.root_office, "employee", "colleague", token);
	expect_status_free(get(token, id), 200);
	expect_status_free(patch(co.admin_token, id, "{\"description\": \"still\"}"), 200);
}

/* ---- the public view ---- */

Test(listings, public_view_of_an_active_listing)
{
	static const char *const keys[] = { "access_on_agreement",
					    "apartment",
					    "area",
					    "candidate_sorting_mode",
					    "date_access",
					    "date_publish",
					    "description",
					    "estate",
					    "floor",
					    "id",
					    "images",
					    "is_quick_apply",
					    "is_short_lease",
					    "prior_access",
					    "project",
					    "rent",
					    "requirements",
					    "rooms",
					    "short_lease_max_date",
					    "short_lease_min_date",
					    "status",
					    NULL };
	char consumer[1024];
	int64_t flagged = make_requirement(co.id, "Husdjur", ", 1, 0, 1, 0, 0");
	int64_t id = create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"is_short_lease\": true,"
					    " \"description\": \"Fin utsikt\", \"offer_notes\": \"secret\"}",
			    (long long)apt, (long long)flagged);
	struct hresp *r = public_view(NULL, id);
	json_t *o, *a, *rq;

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "object_ad", NULL });
	o = ad(r);
	expect_keys(o, keys);
	cr_assert_eq(jint(o, "id"), id);
	cr_assert_str_eq(jstr(o, "status"), "active");
	cr_assert(json_number_value(json_object_get(o, "floor")) == 3);
	cr_assert(json_number_value(json_object_get(o, "rooms")) == 1.5);
	cr_assert_eq(jint(o, "rent"), 6747);
	cr_assert_str_eq(jstr(o, "candidate_sorting_mode"), "queue_points");
	cr_assert(json_is_true(json_object_get(o, "is_short_lease")));
	cr_assert(when(jstr(o, "date_publish")) <= (long long)time(NULL));
	cr_assert_str_eq(jstr(o, "description"), "Fin utsikt");
	a = json_object_get(o, "apartment");
	expect_keys(a, (const char *const[]){ "address", "amenities", "area", "description", "floor", "id", "images",
					     "location", "rent", "rooms", "videos", NULL });
	expect_keys(json_object_get(o, "estate"),
		    (const char *const[]){ "company", "display_image", "id", "images", "name", NULL });
	cr_assert_str_eq(jstr(json_object_get(json_object_get(o, "estate"), "company"), "name"), "Acme");
	rq = json_object_get(o, "requirements");
	expect_keys(rq, (const char *const[]){ "allows_pets", "allows_smoking", "id", "is_senior", "is_student",
					      "is_youth", NULL });
	cr_assert(json_is_true(json_object_get(rq, "allows_pets")));
	cr_assert(json_is_false(json_object_get(rq, "allows_smoking")));
	cr_assert(json_is_true(json_object_get(rq, "is_senior")));
	/* nothing of the landlord's own: no offer notes, references, staff or statistics */
	cr_assert(!strstr(r->body, "secret"));
	cr_assert(!strstr(r->body, "123-444"));
	cr_assert(!strstr(r->body, "assignments"));
	hresp_free(r);
	/* any token will do; a bad one is 401 (H-36) */
	fixture_consumer(h, "c@example.com", consumer);
	expect_status_free(public_view(consumer, id), 200);
	expect_status_free(public_view(other.admin_token, id), 200);
	r = public_view("not-a-token", id);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	r = public_view(NULL, 999999);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

/* ---- every member alone (table-driven) ---- */

struct bad_member {
	const char *key;
	const char *value; /* JSON; "@": a string of 10001 x, "#": one of 3001 x */
};

/* "@" / "#" expanded; freed by the caller. */
static char *bad_value(const char *v)
{
	size_t n = strcmp(v, "@") == 0 ? 10001 : strcmp(v, "#") == 0 ? 3001 : 0;
	char *out;
	if (!n)
		return strdup(v);
	out = malloc(n + 3);
	cr_assert(out);
	out[0] = '"';
	memset(out + 1, 'x', n);
	out[n + 1] = '"';
	out[n + 2] = '\0';
	return out;
}

/* ListingCreate (§11c): each member alone and wrong is 412 naming it, and no listing is made. */
Test(listings, create_each_member_alone)
{
	static const struct bad_member cases[] = {
		{ "apartment", "\"x\"" }, { "apartment", "0" }, { "apartment", "-3" }, { "apartment", "null" },
		{ "apartment", "1.5" }, { "is_draft", "\"yes\"" }, { "is_draft", "null" }, { "is_draft", "1" },
		{ "is_project_rental", "\"yes\"" }, { "is_project_rental", "0" }, { "requirement", "\"x\"" },
		{ "requirement", "0" }, { "requirement", "-1" }, { "requirement", "[]" }, { "description", "5" },
		{ "description", "@" }, { "description", "null" }, { "access_date", "5" },
		{ "access_date", "\"2030-13-01\"" }, { "access_date", "\"\"" }, { "access_date", "\"next week\"" },
		{ "access_date", "\"2030-06-01T25:00:00Z\"" }, { "candidate_sorting_mode", "\"lottery\"" },
		{ "candidate_sorting_mode", "null" }, { "candidate_sorting_mode", "1" }, { "contract_system", "\"Z\"" },
		{ "contract_system", "\"\"" }, { "contract_system", "5" }, { "contract_system", "\"a\"" },
		{ "date_publish", "5" }, { "date_publish", "\"tomorrow\"" }, { "date_publish", "\"2030-02-30\"" },
		{ "is_quick_apply", "\"yes\"" }, { "is_quick_apply", "null" }, { "is_short_lease", "1" },
		{ "offer_notes", "5" }, { "offer_notes", "#" }, { "prior_access", "\"no\"" },
		{ "prioritize_customers", "\"no\"" }, { "prioritize_existing_tenants", "1" },
		{ "short_lease_max_date", "\"2030-02-30\"" }, { "short_lease_max_date", "5" },
		{ "short_lease_min_date", "\"x\"" }, { "short_lease_min_date", "true" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v = bad_value(cases[i].value);
		struct hresp *r;
		if (strcmp(cases[i].key, "apartment") == 0)
			r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"requirement\": %lld, \"apartment\": %s}",
				 (long long)req, v);
		else if (strcmp(cases[i].key, "requirement") == 0)
			r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token, "{\"apartment\": %lld, \"requirement\": %s}",
				 (long long)apt, v);
		else
			r = reqf(h, "POST", "/api/v1/object_ad/", co.admin_token,
				 "{\"apartment\": %lld, \"requirement\": %lld, \"%s\": %s}", (long long)apt, (long long)req,
				 cases[i].key, v);
		cr_assert_eq(r->status, 412, "%s = %s: %s", cases[i].key, cases[i].value, r->body);
		expect_invalid(r, cases[i].key);
		hresp_free(r);
		free(v);
	}
	cr_assert_eq(listing_rows(), 0);
}

/* The detail without its clock (current_stats.timestamp is "now"), as a string. */
static char *detail_state(int64_t id)
{
	struct hresp *r = get(co.admin_token, id);
	char *s;
	cr_assert_eq(r->status, 200, "%s", r->body);
	json_object_del(ad(r), "current_stats");
	s = json_dumps(r->json, JSON_SORT_KEYS);
	hresp_free(r);
	return s;
}

/* ListingUpdate (§11c): each member alone and wrong is 412 naming it, and the listing is unchanged. */
Test(listings, patch_each_member_alone)
{
	static const struct bad_member cases[] = {
		{ "description", "5" }, { "description", "@" }, { "description", "null" }, { "access_date", "5" },
		{ "access_date", "\"2030-13-01\"" }, { "access_date", "\"01/02/2030\"" },
		{ "candidate_sorting_mode", "\"lottery\"" }, { "candidate_sorting_mode", "null" },
		{ "contract_system", "\"Z\"" }, { "contract_system", "null" }, { "date_publish", "null" },
		{ "date_publish", "\"soon\"" }, { "date_publish", "5" }, { "is_short_lease", "null" },
		{ "is_short_lease", "\"true\"" }, { "is_quick_apply", "1" }, { "offer_notes", "5" }, { "offer_notes", "#" },
		{ "prior_access", "\"no\"" }, { "prioritize_customers", "0" }, { "prioritize_existing_tenants", "null" },
		{ "requirement", "\"x\"" }, { "requirement", "0" }, { "requirement", "2.5" },
		{ "short_lease_max_date", "\"2030-00-10\"" }, { "short_lease_min_date", "7" },
		{ "soft_requirements_id", "\"a\"" }, { "soft_requirements_id", "1.5" }, { "soft_requirements_id", "-2" },
		{ "status", "\"sold\"" }, { "status", "null" }, { "status", "5" }, { "status", "\"ACTIVE\"" },
	};
	int64_t id = create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"description\": \"Keep\","
					    " \"offer_notes\": \"Keep\", \"is_short_lease\": true}",
			    (long long)apt, (long long)req);
	char *before = detail_state(id), *after;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v = bad_value(cases[i].value);
		struct hresp *r = reqf(h, i % 2 ? "PUT" : "PATCH",
				       pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
				       "{\"%s\": %s}", cases[i].key, v);
		cr_assert_eq(r->status, 412, "%s = %s: %s", cases[i].key, cases[i].value, r->body);
		expect_invalid(r, cases[i].key);
		hresp_free(r);
		free(v);
	}
	after = detail_state(id);
	cr_assert_str_eq(after, before, "a refused update changed the listing");
	free(before);
	free(after);
}

/* The members patch_every_field leaves out, the advanced right on the sorting mode, an unknown id by PUT. */
Test(listings, patch_the_other_members)
{
	char access[11], employee[1024];
	int64_t id = create_active(apt);
	struct hresp *r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id),
			       co.admin_token,
			       "{\"is_quick_apply\": true, \"access_date\": \"%s\", \"prior_access\": true,"
			       " \"prioritize_customers\": true, \"status\": \"active\"}",
			       day(14, access));
	json_t *o;

	cr_assert_eq(r->status, 200, "%s", r->body);
	o = ad(r);
	cr_assert(json_is_true(json_object_get(o, "is_quick_apply")));
	cr_assert(json_is_true(json_object_get(o, "prior_access")));
	cr_assert(json_is_false(json_object_get(o, "access_on_agreement")));
	cr_assert_str_eq(jstr(o, "date_access"), midnight(access));
	cr_assert(json_is_true(json_object_get(o, "prioritize_existing_tenants")));
	cr_assert_str_eq(jstr(o, "status"), "active");
	hresp_free(r);
	r = patch(co.admin_token, id, "{\"is_quick_apply\": false}");
	cr_assert(json_is_false(json_object_get(ad(r), "is_quick_apply")));
	cr_assert(json_is_true(json_object_get(ad(r), "prior_access")), "untouched members stay");
	hresp_free(r);
	fixture_employee(h, co.id, co.root_office, "employee", "emp", employee);
	r = patch(employee, id, "{\"candidate_sorting_mode\": \"first_come_first\"}");
	expect_no_right(r, RIGHT_ADVANCED);
	hresp_free(r);
	r = patch(employee, id, "{\"candidate_sorting_mode\": \"queue_points\", \"is_quick_apply\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "candidate_sorting_mode"), "queue_points");
	hresp_free(r);
	r = harness_auth(h, "PUT", "/api/v1/object_ad/999999/", co.admin_token, "{\"description\": \"x\"}");
	expect_error(r, 412, "AdDoesNotExist");
	hresp_free(r);
	/* soft_requirements_id 0, as the seed's example sends it, is none like null */
	r = reqf(h, "PATCH", pathf((char[512]){ 0 }, "/api/v1/object_ad/%lld", (long long)id), co.admin_token,
		 "{\"soft_requirements_id\": %lld}", (long long)make_requirement(co.id, "Soft", NULL));
	cr_assert(jint(ad(r), "soft_requirements_id") > 0, "%s", r->body);
	hresp_free(r);
	r = patch(co.admin_token, id, "{\"soft_requirements_id\": 0}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_null(json_object_get(ad(r), "soft_requirements_id")), "%s", r->body);
	hresp_free(r);
}

/*
 * The public view shows a listing only while applicants can see it: active (its
 * date_publish reached) or reserved (the card search's reserved cards link here);
 * every other status, and an active one whose date is ahead, is 404.
 */
Test(listings, public_view_by_status)
{
	static const char *const hidden[] = { "closing", "approved", "rented", "draft", "deleted", "paused",
					      "rejected", "publishing", NULL };
	int64_t id = create_active(apt), theirs;
	struct hresp *r;

	for (int i = 0; hidden[i]; i++) {
		harness_sql(h, "UPDATE object_ads SET status = '%s' WHERE id = %lld", hidden[i], (long long)id);
		r = public_view(NULL, id);
		cr_assert_eq(r->status, 404, "%s: %s", hidden[i], r->body);
		expect_error(r, 404, "NotFound");
		hresp_free(r);
		/* nor to the owner's employees: this is the public view */
		r = public_view(co.admin_token, id);
		cr_assert_eq(r->status, 404, "%s: %s", hidden[i], r->body);
		hresp_free(r);
	}
	harness_sql(h, "UPDATE object_ads SET status = 'reserved' WHERE id = %lld", (long long)id);
	r = public_view(NULL, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(jstr(ad(r), "status"), "reserved");
	hresp_free(r);
	harness_sql(h, "UPDATE object_ads SET status = 'active', date_publish = %lld WHERE id = %lld",
		(long long)time(NULL) + 3600, (long long)id);
	r = public_view(NULL, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* another company's draft is as invisible as ours */
	theirs = create(other.admin_token, "{\"apartment\": %lld, \"is_draft\": true}", (long long)other_apt);
	r = public_view(co.admin_token, theirs);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

/*
 * The server keeps rendered public views (core->listing_views) while the listing's
 * version holds (migration 0017). Each change below — through the API or straight into
 * the database, as another process would — must show in the very next read.
 */
static json_t *view_of(int64_t id, struct hresp **keep)
{
	struct hresp *r = public_view(NULL, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	*keep = r;
	return ad(r);
}

static void expect_view_int(int64_t id, const char *what, const char *const path[], long long want)
{
	struct hresp *r;
	json_t *v = view_of(id, &r);
	for (int i = 0; path[i]; i++)
		v = json_object_get(v, path[i]);
	cr_assert(json_is_number(v), "%s: not a number in %s", what, r->body);
	cr_assert_eq((long long)json_number_value(v), want, "%s: %s", what, r->body);
	hresp_free(r);
}

static void expect_view_str(int64_t id, const char *what, const char *const path[], const char *want)
{
	struct hresp *r;
	json_t *v = view_of(id, &r);
	for (int i = 0; path[i]; i++)
		v = json_object_get(v, path[i]);
	cr_assert(json_is_string(v), "%s: not a string in %s", what, r->body);
	cr_assert_str_eq(json_string_value(v), want, "%s: %s", what, r->body);
	hresp_free(r);
}

Test(listings, public_view_follows_every_change)
{
	int64_t id = create_active(apt), project;
	struct hresp *r;
	json_t *rq;
	char p[512];

	/* the listing itself */
	expect_view_str(id, "description", (const char *const[]){ "description", NULL }, "");
	expect_status_free(patch(co.admin_token, id, "{\"description\": \"Nyrenoverad\"}"), 200);
	expect_view_str(id, "description", (const char *const[]){ "description", NULL }, "Nyrenoverad");
	/* its apartment, through the API */
	expect_view_int(id, "rent", (const char *const[]){ "rent", NULL }, 6747);
	r = harness_auth(h, "PATCH", pathf(p, "/api/v4/apartment/%lld", (long long)apt), co.admin_token,
			 "{\"rent\": 7100}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	expect_view_int(id, "rent", (const char *const[]){ "rent", NULL }, 7100);
	expect_view_int(id, "apartment rent", (const char *const[]){ "apartment", "rent", NULL }, 7100);
	/* its estate, through the API */
	expect_view_str(id, "estate", (const char *const[]){ "estate", "name", NULL }, "Solrosen 1");
	r = harness_auth(h, "PATCH", pathf(p, "/api/v4/estate/%lld", (long long)estate), co.admin_token,
			 "{\"legal_name\": \"Solrosen 2\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	expect_view_str(id, "estate", (const char *const[]){ "estate", "name", NULL }, "Solrosen 2");
	/* its requirement profile, through the API */
	rq = json_object_get(view_of(id, &r), "requirements");
	cr_assert(json_is_false(json_object_get(rq, "allows_pets")), "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/requirements/%lld", (long long)req), co.admin_token,
			 "{\"pets\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	rq = json_object_get(view_of(id, &r), "requirements");
	cr_assert(json_is_true(json_object_get(rq, "allows_pets")), "%s", r->body);
	hresp_free(r);
	/* its company, written by another process */
	expect_view_str(id, "company", (const char *const[]){ "estate", "company", "name", NULL }, "Acme");
	harness_sql(h, "UPDATE companies SET name = 'Acme Bostäder' WHERE id = %lld", (long long)co.id);
	expect_view_str(id, "company", (const char *const[]){ "estate", "company", "name", NULL }, "Acme Bostäder");
	/* its project, written by another process */
	project = make_project(co.id, co.root_office, estate, 1, 0);
	harness_sql(h, "UPDATE object_ads SET project_id = %lld WHERE id = %lld", (long long)project, (long long)id);
	expect_view_str(id, "project", (const char *const[]){ "project", "name", NULL }, "Nyproduktion");
	harness_sql(h, "UPDATE projects SET name = 'Kvarteret Lärkan' WHERE id = %lld", (long long)project);
	expect_view_str(id, "project", (const char *const[]){ "project", "name", NULL }, "Kvarteret Lärkan");
	/* paused: gone at once; resumed: back */
	expect_status_free(patch(co.admin_token, id, "{\"status\": \"paused\"}"), 200);
	r = public_view(NULL, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	expect_status_free(patch(co.admin_token, id, "{\"status\": \"active\"}"), 200);
	expect_view_int(id, "id", (const char *const[]){ "id", NULL }, id);
	/* a change to another company's rows leaves this company's version alone */
	{
		long long before = harness_sql_int(h, "SELECT value FROM listing_view_generations WHERE company_id = %lld",
					  (long long)co.id);
		harness_sql(h, "UPDATE companies SET name = 'Other AB' WHERE id = %lld", (long long)other.id);
		cr_assert_eq(harness_sql_int(h, "SELECT value FROM listing_view_generations WHERE company_id = %lld",
				    (long long)co.id),
			     before);
	}
}

/* Proof that views are kept: a row changed behind the version's back is not seen until the version moves. */
Test(listings, public_view_is_kept_while_its_version_holds)
{
	int64_t id = create_active(apt);
	struct hresp *first, *again;
	size_t hits, misses, hits_after;

	first = public_view(NULL, id);
	cr_assert_eq(first->status, 200, "%s", first->body);
	memo_stats(app_core(h->app)->listing_views, &hits, &misses);
	/* the rent changes, and the counter is put back as if nothing had happened */
	harness_sql(h, "UPDATE apartments SET rent = 9999 WHERE id = %lld;"
		" UPDATE listing_view_generations SET value = value - 1 WHERE company_id = %lld",
		(long long)apt, (long long)co.id);
	again = public_view(NULL, id);
	cr_assert_eq(again->status, 200, "%s", again->body);
	cr_assert_str_eq(again->body, first->body); /* the kept bytes */
	memo_stats(app_core(h->app)->listing_views, &hits_after, &misses);
	cr_assert_eq(hits_after, hits + 1);
	hresp_free(again);
	/* the version moves: the next read renders anew */
	harness_sql(h, "UPDATE listing_view_generations SET value = value + 1 WHERE company_id = %lld", (long long)co.id);
	expect_view_int(id, "rent", (const char *const[]){ "rent", NULL }, 9999);
	/* and visibility is never taken from a kept view: a status change alone hides it */
	harness_sql(h, "UPDATE object_ads SET status = 'paused' WHERE id = %lld;"
		" UPDATE listing_view_generations SET value = value - 1 WHERE company_id = %lld",
		(long long)id, (long long)co.id);
	again = public_view(NULL, id);
	expect_error(again, 404, "NotFound");
	hresp_free(again);
	hresp_free(first);
}

/* ---- the inventory carries listings ---- */

static struct hresp *inventory(const char *token, const char *query)
{
	char p[512];
	return harness_auth(h, "GET", pathf(p, "/api/v1/inventory/?%s", query), token, NULL);
}

/* The identifiers of a page, space-separated, and its total. */
static void expect_page(const char *query, long long total, const char *ids)
{
	struct hresp *r = inventory(co.admin_token, query);
	char got[2048] = "";
	size_t i;
	json_t *v;

	cr_assert_eq(r->status, 200, "%s: %s", query, r->body);
	cr_assert_eq(hresp_int(r, "total"), total, "%s: total %lld: %s", query, hresp_int(r, "total"), r->body);
	json_array_foreach (json_object_get(r->json, "results"), i, v) {
		if (i)
			strcat(got, " ");
		strcat(got, jstr(v, "identifier"));
	}
	cr_assert_str_eq(got, ids, "%s", query);
	hresp_free(r);
}

Test(listings, inventory_items_carry_their_listings)
{
	static const char *const ad_keys[] = { "access_on_agreement", "assignments", "current_stats", "date_access",
					       "date_created", "date_publish", "id", "is_short_lease", "nightly_stats",
					       "prior_access", "short_lease_max_date", "short_lease_min_date", "status",
					       NULL };
	int64_t active = create_active(apt);
	int64_t draft = create(co.admin_token, "{\"apartment\": %lld, \"is_draft\": true}", (long long)apt2);
	char buf[512], q[128];
	struct hresp *r;
	json_t *items, *it, *o, *ap;

	/* estate, its apartments, then its listings */
	snprintf(buf, sizeof(buf), "estate.%lld apartment.%lld apartment.%lld object_ad.%lld object_ad.%lld",
		 (long long)estate, (long long)apt, (long long)apt2, (long long)active, (long long)draft);
	expect_page("amount=100", 5, buf);
	snprintf(buf, sizeof(buf), "apartment.%lld object_ad.%lld", (long long)apt2, (long long)active);
	expect_page("amount=2&offset=2", 5, buf);
	snprintf(buf, sizeof(buf), "object_ad.%lld object_ad.%lld", (long long)active, (long long)draft);
	expect_page("type=object_ad", 2, buf);
	snprintf(buf, sizeof(buf), "object_ad.%lld", (long long)draft);
	expect_page("listing.status=draft", 1, buf);
	expect_page("listing.status=paused,rented", 0, "");
	snprintf(q, sizeof(q), "listing.employee.id=%lld", (long long)co.admin_id);
	snprintf(buf, sizeof(buf), "object_ad.%lld object_ad.%lld", (long long)active, (long long)draft);
	expect_page(q, 2, buf);
	expect_page("listing.employee.id=999999", 0, "");
	snprintf(q, sizeof(q), "apartment.id=%lld", (long long)apt);
	snprintf(buf, sizeof(buf), "apartment.%lld object_ad.%lld", (long long)apt, (long long)active);
	expect_page(q, 2, buf);
	snprintf(q, sizeof(q), "apartment.id=%lld&type=object_ad", (long long)apt2);
	snprintf(buf, sizeof(buf), "object_ad.%lld", (long long)draft);
	expect_page(q, 1, buf);
	/* the listing document */
	snprintf(q, sizeof(q), "type=object_ad&listing.status=active");
	r = inventory(co.admin_token, q);
	items = json_object_get(r->json, "results");
	it = json_array_get(items, 0);
	expect_keys(it, (const char *const[]){ "apartment", "estate", "identifier", "indexed_at", "object_ad",
					       "project", "requirements", "reserved_application", "type", NULL });
	cr_assert_str_eq(jstr(it, "type"), "object_ad");
	o = json_object_get(it, "object_ad");
	expect_keys(o, ad_keys);
	cr_assert_eq(jint(o, "id"), active);
	cr_assert_str_eq(jstr(o, "status"), "active");
	cr_assert_eq(strlen(jstr(o, "date_publish")), 26); /* H-44: this endpoint's format */
	cr_assert(strstr(jstr(o, "date_created"), ".000000"));
	cr_assert(json_is_null(json_object_get(o, "date_access")));
	cr_assert_eq(json_array_size(json_object_get(o, "assignments")), 1);
	expect_keys(json_object_get(o, "nightly_stats"),
		    (const char *const[]){ "approval_status", "offer_status", "timestamp", NULL });
	expect_keys(json_object_get(it, "requirements"), (const char *const[]){ "allows_pets", "allows_smoking",
										"is_senior", "is_student", "is_youth",
										"pk", NULL });
	cr_assert_eq(jint(json_object_get(it, "requirements"), "pk"), req);
	cr_assert(json_is_null(json_object_get(it, "project")));
	cr_assert(json_is_null(json_object_get(it, "reserved_application")));
	ap = json_object_get(it, "apartment");
	cr_assert_eq(jint(ap, "id"), apt);
	cr_assert_eq(jint(ap, "has_ad"), 1);
	cr_assert_eq(jint(ap, "has_draft"), 0);
	hresp_free(r);
	/* an apartment item carries its live listing; a draft makes has_draft */
	snprintf(q, sizeof(q), "apartment.id=%lld&type=apartment", (long long)apt2);
	r = inventory(co.admin_token, q);
	it = json_array_get(json_object_get(r->json, "results"), 0);
	cr_assert_str_eq(jstr(it, "type"), "apartment");
	cr_assert_eq(jint(json_object_get(it, "object_ad"), "id"), draft);
	cr_assert_str_eq(jstr(json_object_get(it, "object_ad"), "status"), "draft");
	cr_assert(json_is_null(json_object_get(it, "requirements"))); /* a draft without one */
	cr_assert_eq(jint(json_object_get(it, "apartment"), "has_ad"), 0);
	cr_assert_eq(jint(json_object_get(it, "apartment"), "has_draft"), 1);
	cr_assert_eq(jint(json_object_get(it, "apartment"), "has_rentals"), 0);
	hresp_free(r);
	/* purged listings leave the inventory */
	expect_status_free(del(co.admin_token, draft), 204);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	snprintf(buf, sizeof(buf), "object_ad.%lld", (long long)active);
	expect_page("type=object_ad", 1, buf);
}

Test(listings, inventory_projects_and_exclude_projects)
{
	int64_t est2 = make_estate(co.admin_token, co.root_office), a2 = make_apartment(co.admin_token, est2, "5101");
	int64_t project = make_project(co.id, co.root_office, est2, 1, 0);
	int64_t plain = create_active(apt);
	int64_t in_project =
	    create(co.admin_token, "{\"apartment\": %lld, \"requirement\": %lld, \"is_project_rental\": true}",
		   (long long)a2, (long long)req);
	char buf[512], q[64];
	struct hresp *r;
	json_t *it;

	snprintf(q, sizeof(q), "project.id=%lld", (long long)project);
	snprintf(buf, sizeof(buf), "object_ad.%lld", (long long)in_project);
	expect_page(q, 1, buf);
	snprintf(buf, sizeof(buf), "object_ad.%lld", (long long)plain);
	expect_page("type=object_ad&exclude_projects=true", 1, buf);
	snprintf(buf, sizeof(buf),
		 "estate.%lld apartment.%lld apartment.%lld object_ad.%lld estate.%lld apartment.%lld",
		 (long long)estate, (long long)apt, (long long)apt2, (long long)plain, (long long)est2, (long long)a2);
	expect_page("exclude_projects=true&amount=50", 6, buf);
	snprintf(buf, sizeof(buf), "estate.%lld apartment.%lld object_ad.%lld", (long long)est2, (long long)a2,
		 (long long)in_project);
	snprintf(q, sizeof(q), "estate.id=%lld", (long long)est2);
	expect_page(q, 3, buf);
	r = inventory(co.admin_token, "type=object_ad&listing.status=active&exclude_projects=false&amount=1&offset=1");
	it = json_array_get(json_object_get(r->json, "results"), 0);
	cr_assert_eq(jint(json_object_get(it, "project"), "id"), project);
	cr_assert_str_eq(jstr(json_object_get(it, "project"), "name"), "Nyproduktion");
	hresp_free(r);
	/* another company sees none of it */
	r = inventory(other.admin_token, "type=object_ad");
	cr_assert_eq(hresp_int(r, "total"), 0);
	hresp_free(r);
}

Test(listings, company_reset_removes_listings)
{
	create_active(apt);
	create(co.admin_token, "{\"apartment\": %lld, \"is_draft\": true}", (long long)apt2);
	create(other.admin_token, "{\"apartment\": %lld, \"requirement\": %lld}", (long long)other_apt,
	       (long long)other_req);
	expect_status_free(harness_auth(h, "POST", "/api/v1/company/reset/", co.admin_token, NULL), 200);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM object_ads WHERE company_id = %lld", (long long)co.id), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM object_ads WHERE company_id = %lld", (long long)other.id), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT COALESCE(SUM(listings), 0) FROM inventory_office_counts WHERE company_id = %lld",
			    (long long)co.id),
		     0);
}

Test(listings, apartment_delete_takes_its_listings)
{
	int64_t id = create_active(apt);
	struct hresp *r;

	create_active(apt2);
	expect_status_free(harness_auth(h, "DELETE", pathf((char[512]){ 0 }, "/api/v4/apartment/%lld", (long long)apt),
					co.admin_token, NULL),
			   204);
	r = get(co.admin_token, id);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_eq(listing_rows(), 1);
	cr_assert_eq(harness_sql_int(h, "SELECT listings FROM inventory_estate_counts WHERE estate_id = %lld", (long long)estate),
		     1);
	cr_assert_eq(
	    harness_sql_int(h, "SELECT listings FROM inventory_office_counts WHERE office_id = %lld", (long long)co.root_office),
	    1);
	r = inventory(co.admin_token, "type=object_ad");
	cr_assert_eq(hresp_int(r, "total"), 1);
	hresp_free(r);
}

/* ---- the calendar (core/listings/listings.h) ---- */

Test(listings_calendar, stockholm_dates_and_instants)
{
	char d[11];
	int64_t t;

	cr_assert_eq(listings_parse_instant(STR_LIT("2024-07-01"), &t), 0);
	cr_assert_eq(t, 1719784800); /* 2024-06-30T22:00:00Z: summer time */
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-01-15"), &t), 0);
	cr_assert_eq(t, 1705273200); /* 2024-01-14T23:00:00Z: winter time */
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-03-31"), &t), 0);
	cr_assert_eq(t, 1711839600); /* the switch day's midnight is still winter time */
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-05-01T10:00:00+02:00"), &t), 0);
	cr_assert_eq(t, 1714550400);
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-05-01T08:00:00"), &t), 0); /* no zone: UTC (H-44) */
	cr_assert_eq(t, 1714550400);
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-05-01T08:00:00.123456Z"), &t), 0);
	cr_assert_eq(t, 1714550400);
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-05-01 09:00+0100"), &t), 0);
	cr_assert_eq(t, 1714550400);
	cr_assert_eq(listings_parse_day(STR_LIT("2024-03-31T22:30:00Z"), d), 0);
	cr_assert_str_eq(d, "2024-04-01");
	cr_assert_eq(listings_parse_day(STR_LIT("2024-01-01T23:30:00Z"), d), 0);
	cr_assert_str_eq(d, "2024-01-02");
	cr_assert_eq(listings_parse_day(STR_LIT("2024-10-27T00:30:00Z"), d), 0);
	cr_assert_str_eq(d, "2024-10-27");
	cr_assert_eq(listings_parse_day(STR_LIT("2024-02-29"), d), 0);
	cr_assert_str_eq(d, "2024-02-29");
	cr_assert_eq(listings_parse_day(STR_LIT("2023-02-29"), d), -1);
	cr_assert_eq(listings_parse_day(STR_LIT("2024-13-01"), d), -1);
	cr_assert_eq(listings_parse_day(STR_LIT("24-01-01"), d), -1);
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-05-01T25:00:00Z"), &t), -1);
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-05-01T10:00:00Zjunk"), &t), -1);
	cr_assert_eq(listings_parse_instant(STR_LIT("2024-05-01T10:00:00+2"), &t), -1);
	listings_day_of(1719784800, d);
	cr_assert_str_eq(d, "2024-07-01");
	listings_day_of(1719784799, d);
	cr_assert_str_eq(d, "2024-06-30");
}

/* ---- images and videos in the detail and the public view ---- */

static void use_own_media_dir(struct config *cfg)
{
	snprintf(media_dir, sizeof(media_dir), "/tmp/rentd-lmedia-XXXXXX");
	cr_assert(mkdtemp(media_dir));
	snprintf(cfg->media_dir, sizeof(cfg->media_dir), "%s", media_dir);
}

static void media_setup(void)
{
	h = harness_create_with(use_own_media_dir);
	fixture_company(h, "Acme", &co);
	estate = make_estate(co.admin_token, co.root_office);
	apt = make_apartment(co.admin_token, estate, "1101");
	req = make_requirement(co.id, "Standard", NULL);
}

static void media_teardown(void)
{
	char cmd[300];
	harness_destroy(h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", media_dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(listing_media, .init = media_setup, .fini = media_teardown);

/* An uploaded file reference of entity (the bytes differ per call); free the result. */
static char *upload(const char *entity, const char *mime, const char *magic, size_t magic_len)
{
	unsigned char data[200], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char md5[25], cl[64], *id, *path;
	const char *headers[2] = { cl, NULL }, *url, *base = app_config(h->app)->public_url;
	struct hresp *r;

	memset(data, 0x42, sizeof(data));
	memcpy(data, magic, magic_len);
	snprintf((char *)data + 40, 20, "n%u", ++upload_seq);
	cr_assert(EVP_Digest(data, sizeof(data), md, &mdlen, EVP_md5(), NULL));
	sodium_bin2base64(md5, sizeof(md5), md, mdlen, sodium_base64_VARIANT_ORIGINAL);
	r = reqf(h, "POST", "/api/v1/file_reference/", co.admin_token,
		 "{\"entity_type\":\"%s\",\"mime_type\":\"%s\",\"content_length\":%zu,\"content_md5\":\"%s\"}", entity,
		 mime, sizeof(data), md5);
	cr_assert(r->status == 201, "%s", r->body);
	id = strdup(hresp_str(r, "file_reference"));
	url = hresp_str(r, "signed_url");
	path = strdup(url + strlen(base));
	hresp_free(r);
	snprintf(cl, sizeof(cl), "Content-Length: %zu", sizeof(data));
	r = harness_request_ex(h, "PUT", path, mime, (const char *)data, sizeof(data), headers);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	free(path);
	return id;
}

static void link_media(const char *owner, int64_t owner_id, const char *list, const char *ref, const char *extra)
{
	struct hresp *r =
	    reqf(h, "POST", pathf((char[512]){ 0 }, "/api/v4/%s/%lld/%s", owner, (long long)owner_id, list),
		 co.admin_token, "{\"file_reference\": \"%s\"%s}", ref, extra);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
}

Test(listing_media, images_and_videos)
{
	char *pic = upload("apartment_image", "image/jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);
	char *epic = upload("estate_image", "image/jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);
	char *pub = upload("apartment_video", "video/mp4", "\x00\x00\x00\x18" "ftypmp42", 12);
	char *priv = upload("apartment_video", "video/mp4", "\x00\x00\x00\x18" "ftypmp42", 12);
	int64_t id;
	struct hresp *r;
	json_t *img, *vids, *e;

	link_media("apartment", apt, "pictures", pic, ", \"caption\": \"Balkongen\"");
	link_media("estate", estate, "pictures", epic, "");
	link_media("apartment", apt, "videos", pub, "");
	link_media("apartment", apt, "videos", priv, ", \"private\": true");
	id = create_active(apt);
	r = get(co.admin_token, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	img = json_array_get(json_object_get(json_object_get(r->json, "apartment"), "images"), 0);
	expect_keys(img, (const char *const[]){ "caption", "id", "position", "thumbnail_url", "url", NULL });
	cr_assert_str_eq(jstr(img, "caption"), "Balkongen");
	cr_assert_eq(jint(img, "position"), 0);
	cr_assert(strncmp(jstr(img, "url"), "http", 4) == 0);
	cr_assert(json_is_null(json_object_get(img, "thumbnail_url"))); /* no thumbnails made yet */
	vids = json_object_get(json_object_get(r->json, "apartment"), "videos");
	cr_assert_eq(json_array_size(vids), 2);
	expect_keys(json_array_get(vids, 1), (const char *const[]){ "position", "private", "url", NULL });
	cr_assert(json_is_true(json_object_get(json_array_get(vids, 1), "private")));
	e = json_object_get(r->json, "estate");
	cr_assert_eq(json_array_size(json_object_get(e, "images")), 1);
	cr_assert_str_eq(jstr(e, "display_image"), jstr(json_array_get(json_object_get(e, "images"), 0), "url"));
	hresp_free(r);
	/* the public view: the pictures, and only the public video */
	r = public_view(NULL, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(ad(r), "images")), 1);
	vids = json_object_get(json_object_get(ad(r), "apartment"), "videos");
	cr_assert_eq(json_array_size(vids), 1);
	cr_assert(json_is_false(json_object_get(json_array_get(vids, 0), "private")));
	hresp_free(r);
	free(pic);
	free(epic);
	free(pub);
	free(priv);
}

/* Pictures added, made into thumbnails and removed show in the next public read (the kept views, migration 0017). */
Test(listing_media, public_view_follows_media_changes)
{
	char *pic = upload("apartment_image", "image/jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);
	char *epic = upload("estate_image", "image/jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);
	int64_t id = create_active(apt), pid;
	struct hresp *r;
	json_t *img;
	char p[512];

	r = public_view(NULL, id);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(ad(r), "images")), 0);
	cr_assert(json_is_null(json_object_get(json_object_get(ad(r), "estate"), "display_image")));
	hresp_free(r);
	link_media("apartment", apt, "pictures", pic, ", \"caption\": \"Köket\"");
	r = public_view(NULL, id);
	img = json_array_get(json_object_get(ad(r), "images"), 0);
	cr_assert(img, "%s", r->body);
	cr_assert_str_eq(jstr(img, "caption"), "Köket");
	cr_assert(json_is_null(json_object_get(img, "thumbnail_url")));
	pid = jint(img, "id");
	hresp_free(r);
	/* the thumbnail job marks the file (here: another process does) */
	harness_sql(h, "UPDATE stored_files SET thumbnails_ready = 1 WHERE id ="
		" (SELECT stored_file_id FROM file_references WHERE id = '%s')",
		pic);
	r = public_view(NULL, id);
	img = json_array_get(json_object_get(ad(r), "images"), 0);
	cr_assert(json_is_string(json_object_get(img, "thumbnail_url")), "%s", r->body);
	hresp_free(r);
	/* a caption edited, then the picture removed */
	r = reqf(h, "PATCH", pathf(p, "/api/v4/apartment/%lld/pictures/%lld", (long long)apt, (long long)pid),
		 co.admin_token, "{\"caption\": \"Vardagsrummet\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = public_view(NULL, id);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(ad(r), "images"), 0), "caption"), "Vardagsrummet");
	hresp_free(r);
	r = harness_auth(h, "DELETE", pathf(p, "/api/v4/apartment/%lld/pictures/%lld", (long long)apt, (long long)pid),
			 co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	r = public_view(NULL, id);
	cr_assert_eq(json_array_size(json_object_get(ad(r), "images")), 0, "%s", r->body);
	hresp_free(r);
	/* an estate picture is the estate's display image */
	link_media("estate", estate, "pictures", epic, "");
	r = public_view(NULL, id);
	cr_assert(json_is_string(json_object_get(json_object_get(ad(r), "estate"), "display_image")), "%s", r->body);
	hresp_free(r);
	free(pic);
	free(epic);
}
