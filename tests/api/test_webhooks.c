/*
 * Webhook subscriptions in the landlord dialect (issue 16; core/webhooks/webhooks.h;
 * docs/API.md "Webhooks"): create, list, get, update (PATCH and PUT), delete, rotate the
 * secret, send a test event, read the delivery log and redeliver — each answer's shape, the
 * jobs the test and the redelivery queue, where a new or re-activated subscription starts;
 * every error: no token, no right, a consumer, another company's or an unknown id; bad
 * input: url (missing, not https, IP literals of refused ranges, too long), event_types
 * (missing, empty, not an array, unknown name), description, wrong types; the 26th
 * subscription. The sending itself is tested end to end (tests/e2e).
 */
#include "core/contracts/contracts.h" /* contract_uuid_valid */
#include "core/core.h"
#include "core/webhooks/webhooks.h"
#include "market_common.h"
#include "store/store_jobs.h"

#include <time.h>

#define RIGHT_ORG "entity.organization"
#define URL "https://hooks.example.com/rentd"
#define BODY "{\"url\": \"" URL "\", \"event_types\": [\"reservation\", \"signing_completed\"]}"

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

TestSuite(webhooks, .init = setup, .fini = teardown);

static const char *const webhook_keys[] = { "created", "description", "event_types", "id", "is_active",
					    "status", "updated", "url", NULL };
static const char *const created_keys[] = { "created", "description", "event_types", "id", "is_active",
					    "secret", "status", "updated", "url", NULL };
static const char *const status_keys[] = { "failing_since", "next_attempt", "pending", NULL };
static const char *const delivery_keys[] = { "attempt", "attempted_at", "error", "event_type", "event_uuid",
					     "id", "latency_ms", "manual", "outcome", "response", "status_code",
					     NULL };

/* "whsec_" and 64 lower-case hex digits. */
static void expect_secret(const char *s)
{
	cr_assert(s, "no secret");
	cr_assert_eq(strlen(s), 6 + 64, "%s", s);
	cr_assert_eq(strncmp(s, "whsec_", 6), 0, "%s", s);
	for (size_t i = 6; i < 70; i++)
		cr_assert(strchr("0123456789abcdef", s[i]), "%s", s);
}

/* POST /api/v1/webhooks/ with body, which must answer 201; the subscription's id (secret copied when given). */
static int64_t create_with(const char *token, const char *body, char *secret)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v1/webhooks/", token, body);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, created_keys);
	expect_secret(hresp_str(r, "secret"));
	if (secret)
		snprintf(secret, 80, "%s", hresp_str(r, "secret"));
	id = hresp_int(r, "id");
	cr_assert_gt(id, 0);
	hresp_free(r);
	return id;
}

static int64_t create(void)
{
	return create_with(co.admin_token, BODY, NULL);
}

static struct hresp *on(const char *method, const char *token, int64_t id, const char *rest, const char *body)
{
	char p[512];
	return harness_auth(h, method, pathf(p, "/api/v1/webhooks/%lld/%s", (long long)id, rest), token, body);
}

/* A row of the delivery log, straight into the table; its id. */
static long long log_row(int64_t sub, const char *seq, const char *uuid, long long attempted_us, const char *outcome,
			 int status, long long latency_us, const char *error)
{
	return harness_sql_int(h, "INSERT INTO webhook_deliveries(subscription_id, event_seq, event_uuid, event_type, attempt,"
			      " manual, attempted_us, outcome, status, latency_us, error, response)"
			      " VALUES (%lld, %s, '%s', 'reservation', 1, 0, %lld, '%s', %d, %lld, '%s', 'ok') RETURNING id",
			      (long long)sub, seq, uuid, attempted_us, outcome, status, latency_us, error);
}

/* One value of the test database, as text (in one of a few static buffers: two may be compared). */
__attribute__((format(printf, 1, 2))) static const char *db_text(const char *fmt, ...)
{
	static char slots[4][256];
	static unsigned next;
	char sql[1024], *v, *out = slots[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = harness_sql_text(h, "%s", sql);
	snprintf(out, sizeof(slots[0]), "%s", v);
	free(v);
	return out;
}

static bool job_queued(const char *payload)
{
	struct error err;
	bool queued = false;
	error_init(&err, NULL);
	cr_assert_eq(store_job_queued(h->store, WEBHOOK_JOB_SEND, str_from_cstr(payload), &queued, &err), 0);
	return queued;
}

/* ---- success paths ---- */

Test(webhooks, create_answers_the_subscription_with_its_secret)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v1/webhooks/", co.admin_token,
				       "{\"url\": \"" URL "\", \"event_types\": [\"signing_completed\", \"agreement_created\","
				       " \"reservation\"], \"description\": \"Our CRM\", \"unknown\": 1, \"id\": 99}");
	json_t *types, *status;

	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, created_keys);
	expect_secret(hresp_str(r, "secret"));
	cr_assert_str_eq(hresp_str(r, "url"), URL);
	cr_assert_str_eq(hresp_str(r, "description"), "Our CRM");
	cr_assert(json_is_true(json_object_get(r->json, "is_active")));
	cr_assert_neq(hresp_int(r, "id"), 99);
	types = json_object_get(r->json, "event_types");
	cr_assert_eq(json_array_size(types), 3, "%s", r->body);
	/* in the order of the five types (H-18), whatever the request's */
	cr_assert_str_eq(json_string_value(json_array_get(types, 0)), "agreement_created");
	cr_assert_str_eq(json_string_value(json_array_get(types, 1)), "reservation");
	cr_assert_str_eq(json_string_value(json_array_get(types, 2)), "signing_completed");
	status = json_object_get(r->json, "status");
	expect_keys(status, status_keys);
	cr_assert(json_is_false(json_object_get(status, "pending")));
	cr_assert(json_is_null(json_object_get(status, "failing_since")));
	cr_assert(json_is_null(json_object_get(status, "next_attempt")));
	cr_assert_eq(strlen(hresp_str(r, "created")), 20, "%s", r->body); /* YYYY-MM-DDTHH:MM:SSZ */
	cr_assert_eq(hresp_str(r, "created")[19], 'Z');
	cr_assert_str_eq(hresp_str(r, "created"), hresp_str(r, "updated"));
	hresp_free(r);
}

Test(webhooks, create_defaults_and_inactive)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v1/webhooks/", co.admin_token,
				       "{\"url\": \"" URL "\", \"event_types\": [\"reservation\"], \"is_active\": false,"
				       " \"description\": null}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "is_active")));
	cr_assert_str_eq(hresp_str(r, "description"), "");
	hresp_free(r);
}

Test(webhooks, list_get_never_show_the_secret_and_are_per_company)
{
	int64_t a = create(), b = create_with(co.admin_token, BODY, NULL);
	int64_t theirs = create_with(other.admin_token, BODY, NULL);
	struct hresp *r = harness_auth(h, "GET", "/api/v1/webhooks/", co.admin_token, NULL);
	json_t *results = json_object_get(r->json, "results");
	size_t i;
	json_t *v;

	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "results", NULL });
	cr_assert_eq(json_array_size(results), 2, "%s", r->body);
	cr_assert_eq(jint(json_array_get(results, 0), "id"), a);
	cr_assert_eq(jint(json_array_get(results, 1), "id"), b);
	json_array_foreach (results, i, v)
		expect_keys(v, webhook_keys);
	cr_assert_null(find_id(results, theirs));
	cr_assert_null(strstr(r->body, "whsec_"), "%s", r->body);
	hresp_free(r);

	r = on("GET", co.admin_token, a, "", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, webhook_keys);
	cr_assert_eq(hresp_int(r, "id"), a);
	cr_assert_null(strstr(r->body, "whsec_"), "%s", r->body);
	hresp_free(r);
}

Test(webhooks, list_empty)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/webhooks", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 0, "%s", r->body);
	hresp_free(r);
}

Test(webhooks, patch_changes_what_is_given_and_put_is_patch)
{
	int64_t id = create();
	struct hresp *r;

	r = on("PATCH", co.admin_token, id, "", "{\"description\": \"ERP\", \"secret\": \"whsec_x\", \"id\": 5}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, webhook_keys);
	cr_assert_str_eq(hresp_str(r, "description"), "ERP");
	cr_assert_str_eq(hresp_str(r, "url"), URL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "event_types")), 2, "%s", r->body);
	cr_assert_eq(hresp_int(r, "id"), id);
	hresp_free(r);

	r = on("PUT", co.admin_token, id, "",
	       "{\"url\": \"https://other.example.org/h?x=1\", \"event_types\": [\"project_interaction\"],"
	       " \"is_active\": false}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "url"), "https://other.example.org/h?x=1");
	cr_assert_str_eq(hresp_str(r, "description"), "ERP");
	cr_assert_eq(json_array_size(json_object_get(r->json, "event_types")), 1, "%s", r->body);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(r->json, "event_types"), 0)),
			 "project_interaction");
	cr_assert(json_is_false(json_object_get(r->json, "is_active")));
	hresp_free(r);

	/* an empty body changes nothing */
	r = on("PATCH", co.admin_token, id, "", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "description"), "ERP");
	hresp_free(r);

	/* the secret was not changed by the read-only member */
	cr_assert_str_neq(db_text("SELECT secret FROM webhook_subscriptions WHERE id = %lld", (long long)id),
			  "whsec_x");
}

Test(webhooks, delete_removes_it_and_its_log)
{
	int64_t id = create(), kept = create();
	struct hresp *r;

	log_row(id, "3", "11111111-1111-4111-8111-111111111111", 1000000, "delivered", 200, 1000, "");
	expect_status_free(on("DELETE", co.admin_token, id, "", NULL), 204);
	r = on("GET", co.admin_token, id, "", NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = on("DELETE", co.admin_token, id, "", NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = %lld",
					(long long)id),
			 "0");
	expect_status_free(on("GET", co.admin_token, kept, "", NULL), 200);
}

Test(webhooks, rotate_secret_answers_a_new_one_and_keeps_the_old_one_a_day)
{
	char first[80], second[80];
	int64_t id = create_with(co.admin_token, BODY, first);
	struct hresp *r;
	long long now = (long long)time(NULL) * 1000000; /* tokens are checked on this clock too */

	core_clock_set(now);
	r = on("POST", co.admin_token, id, "rotate_secret/", NULL);
	core_clock_set(0);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, created_keys);
	expect_secret(hresp_str(r, "secret"));
	snprintf(second, sizeof(second), "%s", hresp_str(r, "secret"));
	cr_assert_str_neq(first, second);
	hresp_free(r);

	cr_assert_str_eq(db_text("SELECT secret FROM webhook_subscriptions WHERE id = %lld", (long long)id),
			 second);
	cr_assert_str_eq(db_text("SELECT previous_secret FROM webhook_subscriptions WHERE id = %lld",
					(long long)id),
			 first);
	cr_assert_eq(atoll(db_text("SELECT previous_until_us FROM webhook_subscriptions WHERE id = %lld",
					  (long long)id)),
		     now + 24LL * 3600 * 1000000);

	r = harness_auth(h, "GET", "/api/v1/webhooks/", co.admin_token, NULL);
	cr_assert_null(strstr(r->body, "whsec_"), "%s", r->body);
	hresp_free(r);
}

Test(webhooks, a_new_subscription_starts_at_the_outbox_end)
{
	int64_t id;
	struct hresp *r;
	char end[32];

	harness_sql(h, "INSERT INTO events(uuid, type, company_id, aggregate, aggregate_id, occurred_us, payload)"
			  " VALUES ('22222222-2222-4222-8222-222222222222', 'reservation', %lld, 'listing', '1', 1, '{}')",
		       (long long)co.id);
	snprintf(end, sizeof(end), "%s", db_text("SELECT MAX(seq) FROM events"));
	cr_assert_gt(atoll(end), 0);
	id = create();
	cr_assert_str_eq(db_text("SELECT position FROM webhook_subscriptions WHERE id = %lld", (long long)id),
			 end);
	cr_assert_str_eq(db_text("SELECT head_seq FROM webhook_subscriptions WHERE id = %lld", (long long)id),
			 end);

	/* paused behind, failing, then made active again: at the end, not failing, nothing pending */
	harness_sql(h, "UPDATE webhook_subscriptions SET active = 0, position = 0, head_seq = %s,"
			  " failing_since_us = 1700000000000000, next_attempt_us = 1700000300000000 WHERE id = %lld",
		       end, (long long)id);
	r = on("GET", co.admin_token, id, "", NULL);
	cr_assert(json_is_true(json_object_get(json_object_get(r->json, "status"), "pending")), "%s", r->body);
	cr_assert_str_eq(jstr(json_object_get(r->json, "status"), "failing_since"), "2023-11-14T22:13:20Z", "%s", r->body);
	cr_assert_str_eq(jstr(json_object_get(r->json, "status"), "next_attempt"), "2023-11-14T22:18:20Z", "%s", r->body);
	hresp_free(r);
	harness_sql(h, "INSERT INTO events(uuid, type, company_id, aggregate, aggregate_id, occurred_us, payload)"
			  " VALUES ('33333333-3333-4333-8333-333333333333', 'reservation', %lld, 'listing', '1', 2, '{}')",
		       (long long)co.id);
	snprintf(end, sizeof(end), "%s", db_text("SELECT MAX(seq) FROM events"));
	r = on("PATCH", co.admin_token, id, "", "{\"is_active\": true}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(json_object_get(r->json, "status"), "pending")), "%s", r->body);
	cr_assert(json_is_null(json_object_get(json_object_get(r->json, "status"), "failing_since")), "%s", r->body);
	cr_assert(json_is_null(json_object_get(json_object_get(r->json, "status"), "next_attempt")), "%s", r->body);
	hresp_free(r);
	cr_assert_str_eq(db_text("SELECT position FROM webhook_subscriptions WHERE id = %lld", (long long)id),
			 end);
	cr_assert_str_eq(db_text("SELECT head_seq FROM webhook_subscriptions WHERE id = %lld", (long long)id),
			 end);
}

Test(webhooks, an_active_subscription_keeps_its_place_and_a_new_url_is_tried_at_once)
{
	int64_t id = create();
	struct hresp *r;

	harness_sql(h, "UPDATE webhook_subscriptions SET position = 4, head_seq = 9, failing_since_us = 1700000000000000,"
			  " next_attempt_us = 1700000300000000 WHERE id = %lld",
		       (long long)id);
	r = on("PATCH", co.admin_token, id, "", "{\"is_active\": true, \"description\": \"x\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(json_object_get(r->json, "status"), "pending")), "%s", r->body);
	cr_assert(json_is_string(json_object_get(json_object_get(r->json, "status"), "next_attempt")), "%s", r->body);
	hresp_free(r);
	r = on("PATCH", co.admin_token, id, "", "{\"url\": \"https://fixed.example.com/\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_null(json_object_get(json_object_get(r->json, "status"), "next_attempt")), "%s", r->body);
	cr_assert(json_is_string(json_object_get(json_object_get(r->json, "status"), "failing_since")), "%s", r->body);
	hresp_free(r);
	cr_assert_str_eq(db_text("SELECT position || ',' || head_seq FROM webhook_subscriptions WHERE id = %lld",
					(long long)id),
			 "4,9");
}

Test(webhooks, test_queues_one_send_with_a_fresh_uuid)
{
	int64_t id = create();
	long long now = (long long)time(NULL) * 1000000 + 123456; /* tokens are checked on this clock too */
	struct hresp *r;
	char payload[128], first[40];

	core_clock_set(now);
	r = on("POST", co.admin_token, id, "test/", NULL);
	core_clock_set(0);
	cr_assert_eq(r->status, 202, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "uuid", NULL });
	cr_assert(contract_uuid_valid(str_from_cstr(hresp_str(r, "uuid"))), "%s", r->body);
	cr_assert_eq(hresp_str(r, "uuid")[14], '4', "a v4 uuid: %s", r->body);
	snprintf(first, sizeof(first), "%s", hresp_str(r, "uuid"));
	snprintf(payload, sizeof(payload), "%lld:test:%s:%lld", (long long)id, first, now);
	cr_assert(job_queued(payload), "no job %s", payload);
	hresp_free(r);

	r = on("POST", co.admin_token, id, "test/", "{}");
	cr_assert_eq(r->status, 202, "%s", r->body);
	cr_assert_str_neq(hresp_str(r, "uuid"), first);
	hresp_free(r);
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook_send'"), "2");
}

Test(webhooks, redeliver_queues_the_logged_event_again)
{
	int64_t id = create();
	const char *uuid = "44444444-4444-4444-8444-444444444444";
	long long d = log_row(id, "7", uuid, 1700000000000000LL, "failed", 500, 12500, "status 500");
	struct hresp *r;
	char p[512], payload[64];

	r = harness_auth(h, "POST", pathf(p, "/api/v1/webhooks/%lld/deliveries/%lld/redeliver/", (long long)id, d),
			 co.admin_token, NULL);
	cr_assert_eq(r->status, 202, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "uuid", NULL });
	cr_assert_str_eq(hresp_str(r, "uuid"), uuid);
	hresp_free(r);
	snprintf(payload, sizeof(payload), "%lld:7", (long long)id);
	cr_assert(job_queued(payload), "no job %s", payload);
}

Test(webhooks, a_test_delivery_is_not_redelivered)
{
	int64_t id = create();
	long long d = log_row(id, "NULL", "55555555-5555-4555-8555-555555555555", 1, "delivered", 204, 1, "");
	char p[512];
	struct hresp *r = harness_auth(
		h, "POST", pathf(p, "/api/v1/webhooks/%lld/deliveries/%lld/redeliver/", (long long)id, d), co.admin_token, NULL);
	expect_error(r, 409, "TestNotRedeliverable");
	hresp_free(r);
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook_send'"), "0");
}

Test(webhooks, redeliver_of_another_subscriptions_delivery_is_not_found)
{
	int64_t id = create(), sibling = create(), theirs = create_with(other.admin_token, BODY, NULL);
	long long mine = log_row(sibling, "7", "66666666-6666-4666-8666-666666666666", 1, "failed", 500, 1, "x");
	long long foreign = log_row(theirs, "8", "77777777-7777-4777-8777-777777777777", 1, "failed", 500, 1, "x");
	char p[512];
	struct hresp *r;

	r = harness_auth(h, "POST", pathf(p, "/api/v1/webhooks/%lld/deliveries/%lld/redeliver/", (long long)id, mine),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "POST", pathf(p, "/api/v1/webhooks/%lld/deliveries/%lld/redeliver/", (long long)id, foreign),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "POST",
			 pathf(p, "/api/v1/webhooks/%lld/deliveries/%lld/redeliver/", (long long)theirs, foreign),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "POST", pathf(p, "/api/v1/webhooks/%lld/deliveries/999999/redeliver/", (long long)id),
			 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook_send'"), "0");
}

Test(webhooks, deliveries_newest_first_paged_with_total)
{
	int64_t id = create(), sibling = create();
	long long rows[5];
	struct hresp *r;
	json_t *results, *first;

	for (int i = 0; i < 5; i++) {
		char uuid[40];
		snprintf(uuid, sizeof(uuid), "8888888%d-8888-4888-8888-888888888888", i);
		rows[i] = log_row(id, "12", uuid, 1700000000000000LL + i * 1000000LL, i == 4 ? "delivered" : "failed",
				  i == 4 ? 200 : 0, 12500 + i, i == 4 ? "" : "timed out after 10 s");
	}
	log_row(sibling, "12", "99999999-9999-4999-8999-999999999999", 1, "delivered", 200, 1, "");

	r = on("GET", co.admin_token, id, "deliveries/", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, (const char *const[]){ "results", "total", NULL });
	cr_assert_eq(hresp_int(r, "total"), 5);
	results = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(results), 5);
	first = json_array_get(results, 0);
	expect_keys(first, delivery_keys);
	cr_assert_eq(jint(first, "id"), rows[4]);
	cr_assert_eq(jint(first, "status_code"), 200);
	cr_assert(json_is_null(json_object_get(first, "error")), "%s", r->body);
	cr_assert_str_eq(jstr(first, "outcome"), "delivered");
	cr_assert_str_eq(jstr(first, "event_type"), "reservation");
	cr_assert_str_eq(jstr(first, "event_uuid"), "88888884-8888-4888-8888-888888888888");
	cr_assert_str_eq(jstr(first, "attempted_at"), "2023-11-14T22:13:24Z");
	cr_assert_str_eq(jstr(first, "response"), "ok");
	cr_assert_eq(jint(first, "attempt"), 1);
	cr_assert(json_is_false(json_object_get(first, "manual")));
	cr_assert(json_is_real(json_object_get(first, "latency_ms")), "%s", r->body);
	cr_assert_float_eq(json_real_value(json_object_get(first, "latency_ms")), 12.504, 1e-9);
	cr_assert(json_is_null(json_object_get(json_array_get(results, 1), "status_code")), "%s", r->body);
	cr_assert_str_eq(jstr(json_array_get(results, 1), "error"), "timed out after 10 s");
	hresp_free(r);

	r = on("GET", co.admin_token, id, "deliveries/?offset=1&amount=2", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 5);
	results = json_object_get(r->json, "results");
	cr_assert_eq(json_array_size(results), 2);
	cr_assert_eq(jint(json_array_get(results, 0), "id"), rows[3]);
	cr_assert_eq(jint(json_array_get(results, 1), "id"), rows[2]);
	hresp_free(r);

	r = on("GET", co.admin_token, id, "deliveries/?offset=4&amount=500", NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 1, "%s", r->body);
	cr_assert_eq(jint(json_array_get(json_object_get(r->json, "results"), 0), "id"), rows[0]);
	hresp_free(r);

	r = on("GET", co.admin_token, id, "deliveries/?offset=9", NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), 0, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 5);
	hresp_free(r);
}

Test(webhooks, a_sending_run_forgets_log_rows_older_than_the_keep)
{
	int64_t sub = create();
	long long now = (long long)core_now_us(), day = 86400ll * 1000000;
	long long old1 = log_row(sub, "1", "old-1", now - (WEBHOOK_LOG_KEEP_DAYS + 2) * day, "delivered", 200, 10, "");
	long long old2 = log_row(sub, "2", "old-2", now - (WEBHOOK_LOG_KEEP_DAYS + 1) * day, "failed", 500, 10, "answered 500");
	long long kept = log_row(sub, "3", "kept", now - (WEBHOOK_LOG_KEEP_DAYS - 1) * day, "delivered", 200, 10, "");

	/* the sending job, with nothing to send: it prunes, finds nothing due and is done */
	harness_sql(h, "INSERT INTO jobs(kind, payload, next_run_at) VALUES ('%s', '', 0)", WEBHOOK_JOB_DELIVERY);
	cr_assert_eq(market_run_jobs(h), 1);
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM webhook_deliveries WHERE id IN (%lld, %lld)", old1, old2), "0");
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM webhook_deliveries WHERE id = %lld", kept), "1");
	cr_assert_str_eq(db_text("SELECT state FROM jobs WHERE kind = '%s'", WEBHOOK_JOB_DELIVERY), "done");
}

Test(webhooks, deliveries_bad_paging)
{
	int64_t id = create();
	const char *bad[][2] = { { "amount=0", "amount" },	{ "amount=501", "amount" }, { "amount=x", "amount" },
				 { "offset=-1", "offset" }, { "offset=1.5", "offset" } };
	char rest[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hresp *r = on("GET", co.admin_token, id, (snprintf(rest, sizeof(rest), "deliveries/?%s", bad[i][0]), rest),
				     NULL);
		expect_invalid(r, bad[i][1]);
		hresp_free(r);
	}
}

/* ---- who may ---- */

/* Every endpoint of subscription id (delivery d) with token; each must answer status with error name. */
static void expect_everywhere(const char *token, int64_t id, long long d, int status, const char *name)
{
	char p[512];
	struct {
		const char *method, *rest, *body; /* rest NULL: the list */
	} calls[] = {
		{ "GET", NULL, NULL },
		{ "POST", NULL, BODY },
		{ "GET", "", NULL },
		{ "PATCH", "", "{\"description\": \"x\"}" },
		{ "PUT", "", "{\"description\": \"x\"}" },
		{ "DELETE", "", NULL },
		{ "POST", "test/", NULL },
		{ "POST", "rotate_secret/", NULL },
		{ "GET", "deliveries/", NULL },
		{ "POST", "redeliver", NULL },
	};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct hresp *r;
		const char *rest = calls[i].rest;
		if (!rest && status == 404)
			continue; /* the company's own list, not someone's subscription */
		if (!rest)
			pathf(p, "/api/v1/webhooks/");
		else if (strcmp(rest, "redeliver") == 0)
			pathf(p, "/api/v1/webhooks/%lld/deliveries/%lld/redeliver/", (long long)id, d);
		else
			pathf(p, "/api/v1/webhooks/%lld/%s", (long long)id, rest);
		r = harness_auth(h, calls[i].method, p, token, calls[i].body);
		cr_assert_eq(r->status, status, "%s %s: %d %s", calls[i].method, p, r->status, r->body);
		expect_error(r, status, name);
		hresp_free(r);
	}
}

Test(webhooks, no_token_is_401)
{
	int64_t id = create();
	long long d = log_row(id, "1", "12121212-1212-4121-8121-121212121212", 1, "failed", 500, 1, "x");
	expect_everywhere(NULL, id, d, 401, "Unauthorized");
}

Test(webhooks, an_employee_without_the_right_is_403)
{
	char employee[1024], consumer[1024];
	int64_t id = create();
	long long d = log_row(id, "1", "13131313-1313-4131-8131-131313131313", 1, "failed", 500, 1, "x");
	struct hresp *r;

	fixture_employee(h, co.id, co.root_office, "manager", "webhook-manager", employee);
	r = harness_auth(h, "GET", "/api/v1/webhooks/", employee, NULL);
	expect_no_right(r, RIGHT_ORG);
	hresp_free(r);
	expect_everywhere(employee, id, d, 403, "PermissionDenied");
	fixture_consumer(h, "consumer@example.com", consumer);
	expect_everywhere(consumer, id, d, 403, "PermissionDenied");
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM webhook_subscriptions"), "1");
}

Test(webhooks, another_companys_subscription_is_404)
{
	int64_t theirs = create_with(other.admin_token, BODY, NULL);
	long long d = log_row(theirs, "1", "14141414-1414-4141-8141-141414141414", 1, "failed", 500, 1, "x");
	expect_everywhere(co.admin_token, theirs, d, 404, "NotFound");
	/* nothing of theirs changed */
	cr_assert_str_eq(db_text("SELECT description FROM webhook_subscriptions WHERE id = %lld",
					(long long)theirs),
			 "");
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook_send'"), "0");
}

Test(webhooks, an_unknown_id_is_404)
{
	create();
	expect_everywhere(co.admin_token, 999999, 1, 404, "NotFound");
}

/* ---- bad input ---- */

static void expect_create_invalid(const char *body, const char *field)
{
	struct hresp *r = harness_auth(h, "POST", "/api/v1/webhooks/", co.admin_token, body);
	expect_invalid(r, field);
	hresp_free(r);
}

Test(webhooks, url_missing_or_not_https)
{
	expect_create_invalid("{\"event_types\": [\"reservation\"]}", "url");
	expect_create_invalid("{}", "url");
	expect_create_invalid("{\"url\": \"\", \"event_types\": [\"reservation\"]}", "url");
	expect_create_invalid("{\"url\": \"http://hooks.example.com/\", \"event_types\": [\"reservation\"]}", "url");
	expect_create_invalid("{\"url\": \"ftp://hooks.example.com/\", \"event_types\": [\"reservation\"]}", "url");
	expect_create_invalid("{\"url\": \"hooks.example.com/x\", \"event_types\": [\"reservation\"]}", "url");
	expect_create_invalid("{\"url\": \"https://hooks.example.com/#frag\", \"event_types\": [\"reservation\"]}", "url");
	expect_create_invalid("{\"url\": \"https://hooks.example.com/a b\", \"event_types\": [\"reservation\"]}", "url");
	cr_assert_str_eq(db_text("SELECT COUNT(*) FROM webhook_subscriptions"), "0");
}

Test(webhooks, http_is_allowed_by_the_server_flag)
{
	struct webhook_settings s = *webhooks_settings();
	struct hresp *r;

	s.allow_http = true;
	webhooks_configure(&s);
	r = harness_auth(h, "POST", "/api/v1/webhooks/", co.admin_token,
			 "{\"url\": \"http://hooks.example.com/\", \"event_types\": [\"reservation\"]}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	expect_create_invalid("{\"url\": \"ftp://hooks.example.com/\", \"event_types\": [\"reservation\"]}", "url");
}

Test(webhooks, ip_literals_of_refused_ranges_are_refused)
{
	const char *hosts[] = { "10.1.2.3", "127.0.0.1", "[::1]", "169.254.169.254", "192.168.0.10", "172.16.5.4",
				"[fe80::1]", "[::ffff:10.0.0.1]", "0.0.0.0" };
	char body[256];

	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		struct hresp *r;
		snprintf(body, sizeof(body), "{\"url\": \"https://%s/hook\", \"event_types\": [\"reservation\"]}", hosts[i]);
		r = harness_auth(h, "POST", "/api/v1/webhooks/", co.admin_token, body);
		expect_invalid(r, "url");
		cr_assert(desc_contains(r, "address"), "%s: %s", hosts[i], r->body);
		hresp_free(r);
	}
	/* a public literal is fine */
	create_with(co.admin_token, "{\"url\": \"https://93.184.216.34/hook\", \"event_types\": [\"reservation\"]}", NULL);
	/* and an update is checked the same way */
	{
		int64_t id = create();
		struct hresp *r = on("PATCH", co.admin_token, id, "", "{\"url\": \"https://169.254.169.254/latest/\"}");
		expect_invalid(r, "url");
		hresp_free(r);
		r = on("GET", co.admin_token, id, "", NULL);
		cr_assert_str_eq(hresp_str(r, "url"), URL);
		hresp_free(r);
	}
}

Test(webhooks, too_long_url_and_description)
{
	size_t n = WEBHOOK_URL_MAX + 200;
	char *body = malloc(n + 200), *url = malloc(n);
	char desc[WEBHOOK_DESCRIPTION_MAX + 2];

	/* https://h.example.com/aaa… of WEBHOOK_URL_MAX + 1 characters */
	snprintf(url, n, "https://h.example.com/");
	memset(url + strlen(url), 'a', WEBHOOK_URL_MAX + 1 - strlen(url));
	url[WEBHOOK_URL_MAX + 1] = '\0';
	snprintf(body, n + 200, "{\"url\": \"%s\", \"event_types\": [\"reservation\"]}", url);
	expect_create_invalid(body, "url");
	url[WEBHOOK_URL_MAX] = '\0'; /* exactly the limit */
	snprintf(body, n + 200, "{\"url\": \"%s\", \"event_types\": [\"reservation\"]}", url);
	create_with(co.admin_token, body, NULL);

	memset(desc, 'd', WEBHOOK_DESCRIPTION_MAX + 1);
	desc[WEBHOOK_DESCRIPTION_MAX + 1] = '\0';
	snprintf(body, n + 200, "{\"url\": \"" URL "\", \"event_types\": [\"reservation\"], \"description\": \"%s\"}", desc);
	expect_create_invalid(body, "description");
	desc[WEBHOOK_DESCRIPTION_MAX] = '\0';
	snprintf(body, n + 200, "{\"url\": \"" URL "\", \"event_types\": [\"reservation\"], \"description\": \"%s\"}", desc);
	create_with(co.admin_token, body, NULL);
	free(body);
	free(url);
}

Test(webhooks, event_types_missing_empty_not_an_array_or_unknown)
{
	int64_t id;
	struct hresp *r;

	expect_create_invalid("{\"url\": \"" URL "\"}", "event_types");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": []}", "event_types");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": \"reservation\"}", "event_types");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": null}", "event_types");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": [\"reservation\", \"ping\"]}", "event_types");
	/* the documented literal of event 1 is signing_completed, of event 2 reservation (H-18): no other names */
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": [\"Reservation\"]}", "event_types");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": [1]}", "event_types[0]");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": [\"\"]}", "event_types[0]");

	id = create();
	r = on("PATCH", co.admin_token, id, "", "{\"event_types\": []}");
	expect_invalid(r, "event_types");
	hresp_free(r);
	r = on("PUT", co.admin_token, id, "", "{\"event_types\": [\"nope\"]}");
	expect_invalid(r, "event_types");
	hresp_free(r);
}

Test(webhooks, wrong_types)
{
	int64_t id = create();
	struct hresp *r;

	expect_create_invalid("{\"url\": 5, \"event_types\": [\"reservation\"]}", "url");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": [\"reservation\"], \"description\": 7}",
			      "description");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": [\"reservation\"], \"is_active\": \"maybe\"}",
			      "is_active");
	expect_create_invalid("{\"url\": \"" URL "\", \"event_types\": {\"reservation\": true}}", "event_types");
	r = harness_auth(h, "POST", "/api/v1/webhooks/", co.admin_token, "[]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = on("PATCH", co.admin_token, id, "", "{\"is_active\": [], \"url\": null}");
	expect_invalid(r, "is_active");
	cr_assert(has_field(r, "url"), "%s", r->body);
	hresp_free(r);
}

Test(webhooks, the_26th_subscription_is_a_conflict)
{
	struct hresp *r;
	char p[512];

	/* straight into the table: 25 creations through the API would only repeat one path */
	for (int i = 0; i < WEBHOOK_SUBSCRIPTIONS_MAX - 1; i++)
		harness_sql(h, "INSERT INTO webhook_subscriptions(company_id, url, event_types, secret, position, head_seq,"
				  " created_us, updated_us) VALUES (%lld, 'https://x.example.com/', 4, 'whsec_x', 0, 0, 1, 1)",
			       (long long)co.id);
	create();
	r = harness_auth(h, "POST", "/api/v1/webhooks/", co.admin_token, BODY);
	expect_error(r, 409, "WebhookLimitReached");
	cr_assert(desc_contains(r, "25"), "%s", r->body);
	hresp_free(r);
	/* another company is not counted against it */
	create_with(other.admin_token, BODY, NULL);
	/* after a delete there is room again */
	r = harness_auth(h, "GET", "/api/v1/webhooks/", co.admin_token, NULL);
	cr_assert_eq(json_array_size(json_object_get(r->json, "results")), WEBHOOK_SUBSCRIPTIONS_MAX);
	expect_status_free(harness_auth(h, "DELETE",
					pathf(p, "/api/v1/webhooks/%lld/",
					      (long long)jint(json_array_get(json_object_get(r->json, "results"), 0), "id")),
					co.admin_token, NULL),
			   204);
	hresp_free(r);
	create();
}

/* ---- the core, as the command line calls it ---- */

Test(webhooks, core_names_and_bits)
{
	cr_assert_eq(webhook_event_bit(STR_LIT("agreement_created")), 1u << WEBHOOK_AGREEMENT_CREATED);
	cr_assert_eq(webhook_event_bit(STR_LIT("project_interaction")), 1u << WEBHOOK_PROJECT_INTERACTION);
	cr_assert_eq(webhook_event_bit(STR_LIT("reservation")), 1u << WEBHOOK_RESERVATION);
	cr_assert_eq(webhook_event_bit(STR_LIT("application_signature")), 1u << WEBHOOK_APPLICATION_SIGNATURE);
	cr_assert_eq(webhook_event_bit(STR_LIT("signing_completed")), 1u << WEBHOOK_SIGNING_COMPLETED);
	cr_assert_eq(webhook_event_bit(STR_LIT("reservations")), 0);
	cr_assert_eq(webhook_event_bit(STR_LIT("")), 0);
	cr_assert_null(webhook_event_names[WEBHOOK_EVENT_COUNT]);
}

Test(webhooks, core_refuses_bits_outside_the_five)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct webhook out;
	struct webhook_input in = { .has_url = true, .url = STR_LIT(URL), .has_events = true, .events = 1u << 7 };

	error_init(&err, a);
	cr_assert_lt(webhooks_create(server_core(h->server), a, co.id, &in, &out, &err), 0);
	cr_assert_eq(err.kind, ERROR_VALIDATION);
	cr_assert_str_eq(err.fields[0].path, "event_types");
	arena_destroy(a);
}
