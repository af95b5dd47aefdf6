/*
 * User notes and existing tenants (homeq.md §9, §12.2, §15 rule 15; decisions.md
 * G-02, H-03, H-41).
 */
#include "org_common.h"

static struct harness *h;
static struct fixture_company co;
static int64_t consumer;

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	consumer = fixture_consumer(h, "anna@example.com", NULL);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(notes, .init = setup, .fini = teardown);
TestSuite(tenants, .init = setup, .fini = teardown);

static const char *note_path(int64_t id)
{
	static char buf[512];
	return pathf(buf, "/api/v1/user_notes/%lld/", (long long)id);
}

/* The notes on a consumer as this caller sees them (response in *out). */
static json_t *notes(const char *token, int64_t user, struct hresp **out)
{
	char target[128];
	struct hresp *r;
	snprintf(target, sizeof(target), "/api/v1/user_notes/?user_profile=%lld", (long long)user);
	r = harness_auth(h, "GET", target, token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	*out = r;
	return json_object_get(r->json, "notes");
}

static int64_t create_note(const char *token, const char *text)
{
	struct hresp *r = reqf(h, "POST", "/api/v1/user_notes/", token, "{\"text\":\"%s\",\"user_profile\":%lld}", text,
			       (long long)consumer);
	int64_t id;
	cr_assert_eq(r->status, 201, "%s", r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

Test(notes, list_needs_user_profile)
{
	struct hresp *r = harness_auth(h, "GET", "/api/v1/user_notes/", co.admin_token, NULL);
	expect_invalid(r, "user_profile");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/user_notes/?user_profile=abc", co.admin_token, NULL);
	expect_invalid(r, "user_profile");
	hresp_free(r);
	r = harness_auth(h, "GET", "/api/v1/user_notes/?user_profile=999999", co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* an employee is not a user profile */
	r = reqf(h, "GET", pathf((char[512]){ 0 }, "/api/v1/user_notes/?user_profile=%lld", (long long)co.admin_id),
		 co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
}

Test(notes, create_list_shape)
{
	static const char *const keys[] = { "author", "created", "id", "text", "updated", NULL };
	struct hresp *r;
	json_t *arr, *n;
	int64_t id;

	r = reqf(h, "POST", "/api/v1/user_notes/", co.admin_token, "{\"text\":\"Called, will send papers\",\"user_profile\":%lld}",
		 (long long)consumer);
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_keys(r->json, keys);
	id = hresp_int(r, "id");
	cr_assert_str_eq(hresp_str(r, "text"), "Called, will send papers");
	cr_assert_eq(jint(json_object_get(r->json, "author"), "id"), co.admin_id);
	cr_assert(hresp_str(r, "created") && hresp_str(r, "updated"));
	hresp_free(r);

	arr = notes(co.admin_token, consumer, &r);
	cr_assert_eq(json_array_size(arr), 1);
	n = find_id(arr, id);
	expect_keys(n, keys);
	cr_assert_str_eq(jstr(n, "text"), "Called, will send papers");
	hresp_free(r);
}

Test(notes, create_validation)
{
	char big[3600];
	struct hresp *r;
	json_t *arr;

	r = reqf(h, "POST", "/api/v1/user_notes/", co.admin_token, "{\"text\":\"\",\"user_profile\":%lld}",
		 (long long)consumer);
	expect_invalid(r, "text");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/user_notes/", co.admin_token, "{\"user_profile\":%lld}", (long long)consumer);
	expect_invalid(r, "text");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/user_notes/", co.admin_token, "{\"text\":\"hello\"}");
	expect_invalid(r, "user_profile");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/user_notes/", co.admin_token, "{\"text\":5,\"user_profile\":\"anna\"}");
	expect_invalid(r, "text");
	cr_assert(has_field(r, "user_profile"));
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/user_notes/", co.admin_token, "{\"text\":\"hello\",\"user_profile\":999999}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	memset(big, 'a', 3501);
	big[3501] = '\0';
	r = reqf(h, "POST", "/api/v1/user_notes/", co.admin_token, "{\"text\":\"%s\",\"user_profile\":%lld}", big,
		 (long long)consumer);
	expect_invalid(r, "text");
	hresp_free(r);
	arr = notes(co.admin_token, consumer, &r);
	cr_assert_eq(json_array_size(arr), 0, "failed creates create nothing");
	hresp_free(r);

	big[3500] = '\0';
	create_note(co.admin_token, big);
}

Test(notes, update_and_delete)
{
	int64_t id = create_note(co.admin_token, "first");
	struct hresp *r;
	json_t *arr;

	r = reqf(h, "PATCH", note_path(id), co.admin_token, "{\"text\":\"second\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "text"), "second");
	cr_assert_eq(hresp_int(r, "id"), id);
	hresp_free(r);
	r = reqf(h, "PUT", note_path(id), co.admin_token, "{\"text\":\"third\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	/* text is optional on update (seed L2401): an empty patch answers the note unchanged */
	r = reqf(h, "PATCH", note_path(id), co.admin_token, "{}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "text"), "third");
	hresp_free(r);
	r = reqf(h, "PATCH", note_path(999999), co.admin_token, "{}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	r = reqf(h, "PATCH", note_path(id), co.admin_token, "{\"text\":\"\"}");
	expect_invalid(r, "text");
	hresp_free(r);
	r = reqf(h, "PATCH", note_path(id), co.admin_token, "{\"text\":[]}");
	expect_invalid(r, "text");
	hresp_free(r);
	r = reqf(h, "PATCH", note_path(999999), co.admin_token, "{\"text\":\"x\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	arr = notes(co.admin_token, consumer, &r);
	cr_assert_str_eq(jstr(find_id(arr, id), "text"), "third");
	hresp_free(r);

	r = harness_auth(h, "DELETE", note_path(id), co.admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	r = harness_auth(h, "DELETE", note_path(id), co.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	arr = notes(co.admin_token, consumer, &r);
	cr_assert_eq(json_array_size(arr), 0);
	hresp_free(r);
}

Test(notes, other_company_sees_and_touches_nothing)
{
	struct fixture_company other;
	int64_t id = create_note(co.admin_token, "ours");
	struct hresp *r;
	json_t *arr;

	fixture_company(h, "Other", &other);
	arr = notes(other.admin_token, consumer, &r);
	cr_assert_eq(json_array_size(arr), 0, "%s", r->body);
	hresp_free(r);
	r = reqf(h, "PATCH", note_path(id), other.admin_token, "{\"text\":\"theirs now\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = harness_auth(h, "DELETE", note_path(id), other.admin_token, NULL);
	expect_error(r, 404, "NotFound");
	hresp_free(r);

	arr = notes(co.admin_token, consumer, &r);
	cr_assert_eq(json_array_size(arr), 1);
	cr_assert_str_eq(jstr(find_id(arr, id), "text"), "ours");
	hresp_free(r);
}

Test(notes, consumer_and_anonymous_are_refused)
{
	char tok[1024];
	struct hresp *r;

	fixture_consumer(h, "bo@example.com", tok);
	r = harness_auth(h, "GET", pathf((char[512]){ 0 }, "/api/v1/user_notes/?user_profile=%lld", (long long)consumer),
			 tok, NULL);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/user_notes/", tok, "{\"text\":\"x\",\"user_profile\":%lld}", (long long)consumer);
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = reqf(h, "POST", "/api/v1/user_notes/", NULL, "{\"text\":\"x\",\"user_profile\":%lld}", (long long)consumer);
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
}

/* ---- existing tenants ---- */

static struct hresp *tenants(const char *token, const char *ops)
{
	return reqf(h, "POST", "/api/v1/existing_tenants/", token, "{\"operations\":%s}", ops);
}

static void expect_counts(struct hresp *r, long long created, long long deleted)
{
	static const char *const keys[] = { "created", "deleted", NULL };
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_eq(hresp_int(r, "created"), created, "%s", r->body);
	cr_assert_eq(hresp_int(r, "deleted"), deleted, "%s", r->body);
	hresp_free(r);
}

Test(tenants, create_and_delete_are_counted_once)
{
	/* 121212-1212 and 201212121212 are the same person once normalised */
	expect_counts(tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"},"
					      "{\"action\":\"create\",\"ssn\":\"201212121212\"},"
					      "{\"action\":\"create\",\"ssn\":\"191212121212\"}]"),
		      2, 0);
	expect_counts(tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"1212121212\"}]"), 0, 0);
	expect_counts(tenants(co.admin_token, "[{\"action\":\"delete\",\"ssn\":\"20121212-1212\"},"
					      "{\"action\":\"delete\",\"ssn\":\"201212121212\"}]"),
		      0, 1);
	expect_counts(tenants(co.admin_token, "[{\"action\":\"delete\",\"ssn\":\"201212121212\"},"
					      "{\"action\":\"create\",\"ssn\":\"201212121212\"}]"),
		      1, 0);
}

Test(tenants, lists_are_per_company)
{
	struct fixture_company other;
	fixture_company(h, "Other", &other);
	expect_counts(tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]"), 1, 0);
	expect_counts(tenants(other.admin_token, "[{\"action\":\"delete\",\"ssn\":\"121212-1212\"}]"), 0, 0);
	expect_counts(tenants(other.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]"), 1, 0);
	expect_counts(tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]"), 0, 0);
}

Test(tenants, operation_count_is_1_to_500)
{
	size_t cap = 600 * 48 + 64, len = 0;
	char *ops = malloc(cap);
	struct hresp *r;

	r = tenants(co.admin_token, "[]");
	expect_invalid(r, "operations");
	hresp_free(r);
	r = harness_auth(h, "POST", "/api/v1/existing_tenants/", co.admin_token, "{}");
	expect_invalid(r, "operations");
	hresp_free(r);
	r = tenants(co.admin_token, "{\"action\":\"create\"}");
	expect_invalid(r, "operations");
	hresp_free(r);

	ops[len++] = '[';
	for (int i = 0; i < 501; i++)
		len += (size_t)snprintf(ops + len, cap - len, "%s{\"action\":\"create\",\"ssn\":\"121212-1212\"}",
					i ? "," : "");
	ops[len++] = ']';
	ops[len] = '\0';
	r = tenants(co.admin_token, ops);
	expect_invalid(r, "operations");
	hresp_free(r);
	/* nothing was stored */
	expect_counts(tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]"), 1, 0);

	/* exactly 500 is fine */
	{
		char *last = strrchr(ops, '{');
		*(last - 1) = ']';
		*last = '\0';
	}
	r = tenants(co.admin_token, ops);
	expect_counts(r, 0, 0);
	free(ops);
}

Test(tenants, bad_action_and_ssn_name_the_operation)
{
	struct hresp *r;

	r = tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"},{\"action\":\"upsert\",\"ssn\":\"121212-1212\"}]");
	expect_invalid(r, "operations[1].action");
	hresp_free(r);
	r = tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"},{\"action\":\"create\",\"ssn\":\"121212-1213\"}]");
	expect_invalid(r, "operations[1].ssn");
	hresp_free(r);
	r = tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"19991399-0000\"}]");
	expect_invalid(r, "operations[0].ssn");
	hresp_free(r);
	r = tenants(co.admin_token, "[{\"ssn\":\"121212-1212\"},{\"action\":\"delete\"},7]");
	expect_invalid(r, "operations[0].action");
	cr_assert(has_field(r, "operations[1].ssn"), "%s", r->body);
	cr_assert(has_field(r, "operations[2]"), "%s", r->body);
	hresp_free(r);
	r = tenants(co.admin_token, "[{\"action\":1,\"ssn\":1212121212}]");
	expect_invalid(r, "operations[0].action");
	cr_assert(has_field(r, "operations[0].ssn"), "%s", r->body);
	hresp_free(r);

	/* none of the valid operations above landed */
	expect_counts(tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]"), 1, 0);
}

Test(tenants, needs_the_organization_right)
{
	char mgr[1024], tok[1024];
	struct hresp *r;

	fixture_employee(h, co.id, 0, "manager", "mgr", mgr);
	r = tenants(mgr, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]");
	expect_no_right(r, "entity.organization");
	hresp_free(r);
	fixture_consumer(h, "bo@example.com", tok);
	r = tenants(tok, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]");
	expect_error(r, 403, "PermissionDenied");
	hresp_free(r);
	r = tenants(NULL, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);
	/* nothing was stored by the refused calls */
	expect_counts(tenants(co.admin_token, "[{\"action\":\"create\",\"ssn\":\"121212-1212\"}]"), 1, 0);
}
