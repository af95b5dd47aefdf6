/*
 * The request pipeline's error handling in each dialect: unknown paths, methods,
 * bodies that are too large, not JSON, malformed or invalid, and request ids.
 * Fixture routes stand in for the domain endpoints.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"
#include "json/json_read.h"

static const char *const kinds[] = { "flat", "house", NULL };

/* POST: reads a body with every kind of rule, answers 201 with what it read. */
static int echo(struct ctx *ctx)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	struct str username = STR_NULL;
	int64_t rooms = 0;
	int kind = 0;
	struct jw *w;

	jr_string(&r, "username", JR_REQUIRED, 1, 10, &username);
	jr_int(&r, "rooms", 0, 1, 50, &rooms);
	jr_enum(&r, "kind", 0, kinds, &kind);
	if (error_failed(ctx->err))
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_str(w, "username", username);
	jw_kv_int(w, "rooms", rooms);
	jw_kv_cstr(w, "kind", kinds[kind]);
	jw_kv_int(w, "id", route_param_int(&ctx->params, "id"));
	jw_kv_str(w, "q", query_get(&ctx->query, "q").ptr ? query_get(&ctx->query, "q") : STR_LIT(""));
	jw_object_end(w);
	return 0;
}

static int not_found(struct ctx *ctx)
{
	return error_set(ctx->err, ERROR_NOT_FOUND, "NoSuchThing", "thing %lld does not exist",
			 (long long)route_param_int(&ctx->params, "id"));
}

static int internal(struct ctx *ctx)
{
	return error_set(ctx->err, ERROR_INTERNAL, NULL, "secret internal detail /var/lib/x");
}

static int silent_failure(struct ctx *ctx)
{
	(void)ctx;
	return -1;
}

static int half_json(struct ctx *ctx)
{
	struct jw *w = ctx_json(ctx, 200);
	jw_object_begin(w);
	return 0;
}

static int rate_limited(struct ctx *ctx)
{
	error_set(ctx->err, ERROR_RATE_LIMITED, NULL, NULL);
	ctx->err->retry_after = 42;
	return -1;
}

static const struct route fixtures[] = {
	{ HTTP_POST, "/api/v1/things/{id:int}", echo, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_PATCH, "/api/v1/things/{id:int}", echo, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_GET, "/api/v1/things/{id:int}", not_found, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/api/v1/internal", internal, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/api/v1/silent", silent_failure, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/api/v1/half", half_json, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/api/v1/limited", rate_limited, DIALECT_LANDLORD, 0 },
	{ HTTP_POST, "/v2/things/{id:int}", echo, DIALECT_MARKET, ROUTE_JSON },
	{ HTTP_POST, "/api/landlords/things/{id:int}", echo, DIALECT_ACCOUNTS, ROUTE_JSON },
};

static struct harness *h;

static void small_body(struct config *cfg) { cfg->body_limit = 2048; }

static void setup(void)
{
	h = harness_create_with(small_body);
	harness_add_routes(h, fixtures, sizeof(fixtures) / sizeof(fixtures[0]));
}
static void teardown(void) { harness_destroy(h); }

TestSuite(errors, .init = setup, .fini = teardown);

static json_t *field_reasons(const struct hresp *r, const char *field)
{
	return json_object_get(json_object_get(r->json, "fields"), field);
}

Test(errors, success_path_reads_every_field)
{
	struct hresp *r = harness_request(h, "POST", "/api/v1/things/7/?q=a%20b",
					  "{\"username\":\"åsa\",\"rooms\":\"3\",\"kind\":\"house\",\"extra\":1}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "username"), "åsa");
	cr_assert_eq(json_integer_value(json_object_get(r->json, "rooms")), 3);
	cr_assert_str_eq(hresp_str(r, "kind"), "house");
	cr_assert_eq(json_integer_value(json_object_get(r->json, "id")), 7);
	cr_assert_str_eq(hresp_str(r, "q"), "a b");
	cr_assert_null(json_object_get(r->json, "extra"), "unknown members are not echoed (G-03)");
	hresp_free(r);
}

Test(errors, unknown_path_is_json_404_in_each_dialect)
{
	struct hresp *r = harness_request(h, "GET", "/no/such/path", NULL);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(hresp_str(r, "error"), "NotFound");
	cr_assert_str_eq(hresp_str(r, "correlation_id"), hresp_header(r, "X-Request-Id"));
	cr_assert_str_eq(hresp_header(r, "X-Correlation-Id"), hresp_header(r, "X-Request-Id"));
	hresp_free(r);

	r = harness_request(h, "GET", "/v2/nothing", NULL);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(hresp_str(r, "code"), "NotFound");
	cr_assert_not_null(hresp_str(r, "message"));
	hresp_free(r);

	r = harness_request(h, "GET", "/api/landlords/nothing", NULL);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(r->content_type, "application/json");
	cr_assert_str_eq(hresp_str(r, "title"), "Not Found");
	cr_assert_str_eq(hresp_str(r, "detail"), "The resource was not found");
	cr_assert_eq(json_integer_value(json_object_get(r->json, "status")), 404);
	cr_assert_str_eq(hresp_str(r, "type"), "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html");
	hresp_free(r);
}

Test(errors, id_that_is_not_a_positive_integer_is_404)
{
	const char *paths[] = { "/api/v1/things/0", "/api/v1/things/-1", "/api/v1/things/abc",
				"/api/v1/things/99999999999999999999", "/api/v1/things/1.5",
				"/api/v1/things/007", "/api/v1/things//" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct hresp *r = harness_request(h, "GET", paths[i], NULL);
		cr_assert_eq(r->status, 404, "%s → %d", paths[i], r->status);
		cr_assert_str_eq(hresp_str(r, "error"), "NotFound");
		hresp_free(r);
	}
}

Test(errors, handler_error_keeps_its_code_and_message)
{
	struct hresp *r = harness_request(h, "GET", "/api/v1/things/12", NULL);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(hresp_str(r, "error"), "NoSuchThing");
	cr_assert_str_eq(hresp_str(r, "description"), "thing 12 does not exist");
	hresp_free(r);
}

Test(errors, method_not_allowed_lists_allowed_methods)
{
	struct hresp *r = harness_request(h, "DELETE", "/api/v1/things/3", NULL);
	cr_assert_eq(r->status, 405);
	cr_assert_str_eq(hresp_header(r, "Allow"), "GET, HEAD, POST, PATCH");
	hresp_free(r);
	r = harness_request(h, "BREW", "/api/v1/things/3", NULL);
	cr_assert_eq(r->status, 405);
	hresp_free(r);
}

Test(errors, body_over_the_limit_is_413)
{
	char big[4096];
	struct hresp *r;
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"username\":\"x\"}", 16);
	r = harness_request_ex(h, "POST", "/api/v1/things/1", "application/json", big, sizeof(big), NULL);
	cr_assert_eq(r->status, 413);
	cr_assert_str_eq(hresp_str(r, "error"), "PayloadTooLarge");
	hresp_free(r);
}

Test(errors, non_json_content_type_is_415)
{
	const char *body = "username=x";
	struct hresp *r = harness_request_ex(h, "POST", "/api/v1/things/1", "application/x-www-form-urlencoded",
					     body, strlen(body), NULL);
	cr_assert_eq(r->status, 415);
	cr_assert_str_eq(hresp_str(r, "error"), "UnsupportedMediaType");
	hresp_free(r);
	r = harness_request_ex(h, "POST", "/api/v1/things/1", NULL, "{}", 2, NULL);
	cr_assert_eq(r->status, 415, "a body without Content-Type is not taken for JSON");
	hresp_free(r);
	r = harness_request_ex(h, "POST", "/api/v1/things/1", "application/json; charset=utf-8",
			       "{\"username\":\"x\"}", 16, NULL);
	cr_assert_eq(r->status, 201, "parameters of the media type are allowed");
	hresp_free(r);
}

Test(errors, malformed_json_is_400_naming_the_position)
{
	struct hresp *r = harness_request(h, "POST", "/api/v1/things/1", "{\"username\": \"x\",\n  \"rooms\": }");
	cr_assert_eq(r->status, 400);
	cr_assert_str_eq(hresp_str(r, "error"), "ParseError");
	cr_assert_not_null(strstr(hresp_str(r, "description"), "line 2"), "%s", hresp_str(r, "description"));
	cr_assert_not_null(strstr(hresp_str(r, "description"), "column"));
	hresp_free(r);
}

Test(errors, empty_or_non_object_body_is_rejected)
{
	struct hresp *r = harness_request_ex(h, "POST", "/api/v1/things/1", "application/json", "", 0, NULL);
	cr_assert_eq(r->status, 412, "no body: the required field is missing");
	cr_assert_not_null(field_reasons(r, "body"));
	hresp_free(r);
	r = harness_request(h, "POST", "/api/v1/things/1", "[1,2]");
	cr_assert_eq(r->status, 412);
	cr_assert_not_null(field_reasons(r, "body"));
	hresp_free(r);
}

Test(errors, every_bad_field_is_reported_at_once)
{
	struct hresp *r = harness_request(h, "POST", "/api/v1/things/1",
					  "{\"rooms\": 99, \"kind\": \"castle\"}");
	cr_assert_eq(r->status, 412);
	cr_assert_str_eq(hresp_str(r, "error"), "ValidationError");
	cr_assert_not_null(strstr(hresp_str(r, "description"), "username"));
	cr_assert_eq(json_array_size(field_reasons(r, "username")), 1);
	cr_assert_eq(json_array_size(field_reasons(r, "rooms")), 1);
	cr_assert_eq(json_array_size(field_reasons(r, "kind")), 1);
	cr_assert_not_null(strstr(json_string_value(json_array_get(field_reasons(r, "kind"), 0)), "flat"));
	hresp_free(r);
}

Test(errors, wrong_type_and_too_long)
{
	struct hresp *r = harness_request(h, "POST", "/api/v1/things/1",
					  "{\"username\": \"abcdefghijk\", \"rooms\": true}");
	cr_assert_eq(r->status, 412);
	cr_assert_not_null(strstr(json_string_value(json_array_get(field_reasons(r, "username"), 0)), "at most 10"));
	cr_assert_not_null(strstr(json_string_value(json_array_get(field_reasons(r, "rooms"), 0)), "integer"));
	hresp_free(r);
}

Test(errors, market_dialect_shape)
{
	struct hresp *r = harness_request(h, "POST", "/v2/things/1", "{\"rooms\": 0}");
	cr_assert_eq(r->status, 400);
	cr_assert_str_eq(hresp_str(r, "code"), "BadRequest");
	cr_assert_not_null(hresp_str(r, "field"));
	cr_assert_null(hresp_header(r, "X-Correlation-Id"));
	hresp_free(r);
}

Test(errors, accounts_dialect_validation_messages)
{
	struct hresp *r = harness_request(h, "POST", "/api/landlords/things/1",
					  "{\"username\": \"abcdefghijklmnop\", \"kind\": \"x\"}");
	json_t *vm;
	cr_assert_eq(r->status, 422);
	cr_assert_str_eq(hresp_str(r, "title"), "Unprocessable Entity");
	vm = json_object_get(r->json, "validationMessages");
	cr_assert_not_null(json_object_get(json_object_get(vm, "username"), "stringLength"));
	cr_assert_not_null(json_object_get(json_object_get(vm, "kind"), "notInArray"));
	hresp_free(r);
	r = harness_request(h, "POST", "/api/landlords/things/1", "{");
	cr_assert_eq(r->status, 400);
	cr_assert_str_eq(hresp_str(r, "title"), "Bad Request");
	hresp_free(r);
}

Test(errors, internal_errors_leak_nothing)
{
	struct hresp *r = harness_request(h, "GET", "/api/v1/internal", NULL);
	cr_assert_eq(r->status, 500);
	cr_assert_str_eq(hresp_str(r, "error"), "InternalError");
	cr_assert_null(strstr(r->body, "secret"));
	cr_assert_null(strstr(r->body, "/var/lib"));
	hresp_free(r);
	r = harness_request(h, "GET", "/api/v1/silent", NULL);
	cr_assert_eq(r->status, 500);
	hresp_free(r);
	r = harness_request(h, "GET", "/api/v1/half", NULL);
	cr_assert_eq(r->status, 500, "an unfinished JSON document is never sent");
	cr_assert(json_is_object(r->json));
	hresp_free(r);
}

Test(errors, rate_limit_sets_retry_after)
{
	struct hresp *r = harness_request(h, "GET", "/api/v1/limited", NULL);
	cr_assert_eq(r->status, 429);
	cr_assert_str_eq(hresp_str(r, "error"), "RateLimited");
	cr_assert_str_eq(hresp_header(r, "Retry-After"), "42");
	hresp_free(r);
}

Test(errors, request_id_is_echoed_when_sane)
{
	const char *hdr[] = { "X-Request-Id: client-id.42_x", NULL };
	const char *bad[] = { "X-Request-Id: has spaces and \"quotes\"", NULL };
	struct hresp *r = harness_request_ex(h, "GET", "/healthz", NULL, NULL, 0, hdr);
	cr_assert_str_eq(hresp_header(r, "X-Request-Id"), "client-id.42_x");
	hresp_free(r);
	r = harness_request_ex(h, "GET", "/healthz", NULL, NULL, 0, bad);
	cr_assert_eq(strlen(hresp_header(r, "X-Request-Id")), 16, "an unsafe id is replaced");
	hresp_free(r);
}

Test(errors, generated_request_ids_differ)
{
	struct hresp *a = harness_request(h, "GET", "/healthz", NULL);
	struct hresp *b = harness_request(h, "GET", "/healthz", NULL);
	cr_assert_str_neq(hresp_header(a, "X-Request-Id"), hresp_header(b, "X-Request-Id"));
	hresp_free(a);
	hresp_free(b);
}

Test(errors, malformed_query_string_is_400)
{
	struct hresp *r = harness_request(h, "POST", "/api/v1/things/1?q=%zz", "{\"username\":\"x\"}");
	cr_assert_eq(r->status, 400);
	cr_assert_str_eq(hresp_str(r, "error"), "ParseError");
	hresp_free(r);
}
