#include "app/app.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/log.h"
#include "dialects/dialects.h"
#include "json/json_read.h"

struct app {
	struct config cfg;
	struct store *store;
	struct router *router;
};

struct app *app_create(const struct config *cfg, struct store *store)
{
	struct app *app = calloc(1, sizeof(*app));
	if (!app)
		die_oom();
	app->cfg = *cfg;
	app->store = store;
	app->router = router_create();
	if (app_add_routes(app, system_routes, system_routes_count) < 0) {
		app_destroy(app);
		return NULL;
	}
	return app;
}

void app_destroy(struct app *app)
{
	if (!app)
		return;
	router_destroy(app->router);
	free(app);
}

int app_add_routes(struct app *app, const struct route *routes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (router_add(app->router, routes[i].method, routes[i].pattern, &routes[i]) < 0) {
			log_error("route %s %s conflicts with another or is malformed",
				  http_method_name(routes[i].method), routes[i].pattern);
			return -1;
		}
	}
	return 0;
}

enum dialect dialect_for_path(struct str path)
{
	static const char *const accounts[] = { "/api/landlords", "/api/accommodation-providers",
						"/api/agents", "/api/cities", "/api/countries" };
	if (str_has_prefix(path, STR_LIT("/v2/")) || str_eq_cstr(path, "/v2"))
		return DIALECT_MARKET;
	for (size_t i = 0; i < sizeof(accounts) / sizeof(accounts[0]); i++) {
		struct str p = str_from_cstr(accounts[i]);
		if (str_has_prefix(path, p) && (path.len == p.len || path.ptr[p.len] == '/'))
			return DIALECT_ACCOUNTS;
	}
	return DIALECT_LANDLORD;
}

struct jw *ctx_json(struct ctx *ctx, int status)
{
	ctx->resp->status = status;
	ctx->resp->content_type = STR_LIT("application/json");
	buf_init(&ctx->resp->body, ctx->req->arena, 512);
	jw_init(&ctx->jw, &ctx->resp->body);
	return &ctx->jw;
}

void ctx_status(struct ctx *ctx, int status)
{
	ctx->resp->status = status;
	ctx->resp->content_type = STR_NULL;
	ctx->resp->body.len = 0;
}

/* Request ids: the client's if it is sane, else 16 random hex digits. */
static struct str request_id_for(struct request *req)
{
	static _Thread_local uint64_t state;
	struct str given = request_header(req, "X-Request-Id");
	char *id;
	uint64_t x;

	if (given.ptr && given.len >= 1 && given.len <= 128) {
		size_t i;
		for (i = 0; i < given.len; i++) {
			char c = given.ptr[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '-' || c == '_' || c == '.'))
				break;
		}
		if (i == given.len)
			return given;
	}
	while (state == 0)
		if (getrandom(&state, sizeof(state), 0) != sizeof(state))
			state = clock_monotonic_ns() | 1;
	/* xorshift64*: ids need to be unique, not secret */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	x = state * 0x2545F4914F6CDD1Dull;
	id = arena_alloc(req->arena, 17);
	for (int i = 15; i >= 0; i--, x >>= 4)
		id[i] = "0123456789abcdef"[x & 15];
	id[16] = '\0';
	return (struct str){ id, 16 };
}

static int is_json_media_type(struct str ct)
{
	struct str type = ct;
	const char *semi = memchr(ct.ptr, ';', ct.len);
	if (semi)
		type.len = (size_t)(semi - ct.ptr);
	type = str_trim(type);
	if (str_case_eq(type, STR_LIT("application/json")))
		return 1;
	/* application/problem+json, application/hal+json, … */
	return type.len > 5 && str_case_eq((struct str){ type.ptr + type.len - 5, 5 }, STR_LIT("+json")) &&
	       str_has_prefix(type, STR_LIT("application/"));
}

static int read_json_body(struct ctx *ctx)
{
	struct request *req = ctx->req;
	struct str ct;

	if (req->body.len == 0)
		return 0;
	ct = request_header(req, "Content-Type");
	if (!ct.ptr || !is_json_media_type(ct))
		return error_set(ctx->err, ERROR_UNSUPPORTED_MEDIA_TYPE, NULL,
				 "the body must be sent with Content-Type: application/json");
	ctx->body = json_read_parse(req->body, ctx->err);
	return ctx->body ? 0 : -1;
}

static void dispatch(struct app *app, struct ctx *ctx, enum dialect *dialect)
{
	struct request *req = ctx->req;
	struct router_match m;
	enum router_result rr;

	*dialect = dialect_for_path(req->path);
	if (req->body_too_large) {
		error_set(ctx->err, ERROR_TOO_LARGE, NULL, "the request body is larger than %zu bytes",
			  app->cfg.body_limit);
		return;
	}
	rr = router_match(app->router, req->arena, req->method, req->path, &m);
	if (rr == ROUTER_NOT_FOUND) {
		error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no resource at this path");
		return;
	}
	if (rr == ROUTER_METHOD_NOT_ALLOWED) {
		response_header(ctx->resp, "Allow", str_from_cstr(router_allow_header(req->arena, m.allowed)));
		error_set(ctx->err, ERROR_METHOD_NOT_ALLOWED, NULL, "%.*s is not allowed on this path",
			  STR_FMT(req->method_name));
		return;
	}
	ctx->route = m.target;
	ctx->params = m.params;
	*dialect = ctx->route->dialect;
	if (query_parse(req->arena, req->query, &ctx->query, ctx->err) < 0)
		return;
	if ((ctx->route->flags & ROUTE_JSON) && read_json_body(ctx) < 0)
		return;
	if (ctx->route->handler(ctx) < 0 && ctx->err->kind == ERROR_NONE)
		error_set(ctx->err, ERROR_INTERNAL, NULL, "handler failed without saying why");
	if (ctx->err->kind == ERROR_NONE && ctx->jw.out && !jw_complete(&ctx->jw))
		error_set(ctx->err, ERROR_INTERNAL, NULL, "handler left an incomplete JSON document");
}

void app_handle(struct app *app, struct request *req, struct response *resp)
{
	struct error err;
	struct ctx ctx;
	enum dialect dialect = DIALECT_LANDLORD;
	struct access_entry ae;

	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	buf_init(&resp->body, req->arena, 256);
	error_init(&err, req->arena);
	memset(&ctx, 0, sizeof(ctx));
	ctx.app = app;
	ctx.store = app->store;
	ctx.req = req;
	ctx.resp = resp;
	ctx.err = &err;
	req->request_id = request_id_for(req);

	dispatch(app, &ctx, &dialect);
	if (ctx.body)
		json_decref(ctx.body);
	if (err.kind != ERROR_NONE) {
		if (err.kind == ERROR_INTERNAL || err.kind == ERROR_UNAVAILABLE)
			log_request_error(req->request_id, "%s: %s", error_kind_name(err.kind),
					  err.message ? err.message : "(no detail)");
		dialect_render_error(dialect, req, resp, &err);
	}
	response_header(resp, "X-Request-Id", req->request_id);
	if (req->body_too_large)
		resp->close_connection = 1; /* the rest of the body was not read */

	ae.request_id = req->request_id;
	ae.method = req->method_name;
	ae.path = req->path;
	ae.status = resp->status;
	ae.bytes = resp->body.len;
	ae.micros = req->start_ns ? (clock_monotonic_ns() - req->start_ns) / 1000 : 0;
	log_access(&ae);
}
