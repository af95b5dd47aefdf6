#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "app/cors.h"
#include "base/log.h"
#include "core/media/storage.h"
#include "json/json_read.h"

struct app {
	struct config cfg;
	struct core *core; /* the server's (wiring/server.h): built before the app, freed after */
	app_error_renderer render_error; /* the dialects' error shapes */
	struct router *router;
	struct cors *cors; /* which public endpoints other origins may call */
	struct owned_routes *owned; /* routes made at start (app_add_owned_routes()) */
};

/* Routes and patterns made at start from the configuration, freed with the app. */
struct owned_routes {
	struct owned_routes *next;
	size_t n;
	struct route routes[];
};

/* The pool job that wraps a handler's job and resumes the request afterwards. */
struct async_wrap {
	struct workpool_job job;
	struct workpool_job *inner;
	struct request *req;
	struct workpool *pool; /* where it runs */
};

static void wrap_run(struct workpool_job *job)
{
	struct async_wrap *w = (struct async_wrap *)job;
	w->inner->run(w->inner);
}

static void wrap_done(struct workpool_job *job)
{
	struct async_wrap *w = (struct async_wrap *)job;
	w->inner->failed = job->failed;
	if (w->inner->done)
		w->inner->done(w->inner);
	if (w->req->resume)
		w->req->resume(w->req->resume_arg);
}

struct app *app_create(const struct config *cfg, const struct app_parts *parts)
{
	struct app *app = calloc(1, sizeof(*app));
	if (!app)
		die_oom();

	app->cfg = *cfg;
	app->core = parts->core;
	app->render_error = parts->render_error;
	app->router = router_create();
	app->cors = cors_create();
	for (size_t i = 0; i < parts->ntables; i++) {
		if (app_add_routes(app, parts->tables[i].routes, *parts->tables[i].count) < 0) {
			app_destroy(app);
			return NULL;
		}
	}
	return app;
}

struct core *app_core(struct app *app)
{
	return app->core;
}

const struct config *app_config(const struct app *app)
{
	return &app->cfg;
}

void app_destroy(struct app *app)
{
	if (!app)
		return;
	router_destroy(app->router);
	cors_destroy(app->cors);
	while (app->owned) {
		struct owned_routes *o = app->owned;
		app->owned = o->next;
		for (size_t i = 0; i < o->n; i++)
			free((char *)o->routes[i].pattern);
		free(o);
	}
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
		if ((routes[i].flags & ROUTE_SECRET_PATH) && log_secret_path(routes[i].pattern) < 0) {
			log_error("too many routes with a secret in the path (at most %d)", LOG_SECRET_PATHS);
			return -1;
		}
	}
	return 0;
}

int app_add_owned_routes(struct app *app, const struct route *routes, size_t n)
{
	struct owned_routes *o = calloc(1, sizeof(*o) + n * sizeof(o->routes[0]));

	if (!o)
		die_oom();
	o->next = app->owned;
	app->owned = o;
	for (size_t i = 0; i < n; i++) {
		o->routes[i] = routes[i];
		o->routes[i].pattern = strdup(routes[i].pattern);
		if (!o->routes[i].pattern)
			die_oom();
		o->n = i + 1;
	}
	return app_add_routes(app, o->routes, n);
}

const char *app_spool_dir(const struct app *app)
{
	return app->core->storage ? storage_tmp_dir(app->core->storage) : "/tmp";
}

static void ctx_setup(struct app *app, struct ctx *ctx, struct request *req, struct response *resp,
		      struct error *err)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->app = app;
	ctx->core = app->core;
	ctx->req = req;
	ctx->resp = resp;
	ctx->err = err;
}

static void market_prefix(struct request *req);

enum http_body_plan app_body_plan(struct app *app, struct request *req, uint64_t *limit)
{
	struct router_match m;
	struct error err;
	struct response resp;
	struct ctx ctx;
	const struct route *route;

	market_prefix(req);
	if (router_match(app->router, req->arena, req->method, req->path, &m) != ROUTER_FOUND)
		return HTTP_BODY_MEMORY;
	route = m.target;
	if (!(route->flags & ROUTE_UPLOAD))
		return HTTP_BODY_MEMORY;
	memset(&resp, 0, sizeof(resp));
	buf_init(&resp.body, req->arena, 0);
	error_init(&err, req->arena);
	ctx_setup(app, &ctx, req, &resp, &err);
	ctx.route = route;
	ctx.params = m.params;
	ctx.headers_only = true;
	ctx.body_limit = app->cfg.upload_limit;
	if (query_parse(req->arena, req->query, &ctx.query, &err) < 0 || route->handler(&ctx) < 0)
		return HTTP_BODY_REFUSE;
	*limit = ctx.body_limit < app->cfg.upload_limit ? ctx.body_limit : app->cfg.upload_limit;
	return HTTP_BODY_SPOOL;
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

/* A path segment of a deployment prefix: 1–64 characters of [A-Za-z0-9_-]. */
static size_t prefix_segment(struct str p, size_t at)
{
	size_t i = at;
	while (i < p.len && i - at < 65) {
		char c = p.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			break;
		i++;
	}
	return i > at && i - at <= 64 && i < p.len && p.ptr[i] == '/' ? i - at : 0;
}

/*
 * /{Env}/{Tenant}/PmApi/v2[/…] → /v2[/…] (decisions.md M-33: the deployed base URL of real
 * Momentum tenants, "PmApi" and "v2" in any case), keeping Tenant in req->market_tenant.
 */
static void market_prefix(struct request *req)
{
	struct str p = req->path;
	size_t env, tenant, at;
	char *np;

	if (p.len < 12 || p.ptr[0] != '/' || !(env = prefix_segment(p, 1)) ||
	    !(tenant = prefix_segment(p, 2 + env)))
		return;
	at = 3 + env + tenant;
	if (p.len < at + 8 || !str_case_eq((struct str){ p.ptr + at, 8 }, STR_LIT("PmApi/v2")) ||
	    (p.len > at + 8 && p.ptr[at + 8] != '/'))
		return;
	req->market_tenant = (struct str){ p.ptr + 2 + env, tenant };
	np = arena_alloc(req->arena, p.len - at - 6 + 4);
	memcpy(np, "/v2", 3);
	memcpy(np + 3, p.ptr + at + 8, p.len - at - 8);
	np[p.len - at - 5] = '\0';
	req->path = (struct str){ np, p.len - at - 5 };
}

/* decisions.md M-31: X-Api-Key is accepted everywhere and required only when configured. */
static int market_api_key_ok(const struct app *app, const struct request *req)
{
	struct str k = request_header(req, "X-Api-Key");
	return !app->cfg.market_api_key_required || (k.ptr && str_eq_cstr(k, app->cfg.market_api_key));
}

struct jw *ctx_json(struct ctx *ctx, int status)
{
	ctx->resp->status = status;
	ctx->resp->content_type = STR_LIT("application/json");
	buf_init(&ctx->resp->body, ctx->req->arena, 512);
	jw_init(&ctx->jw, &ctx->resp->body);
	return &ctx->jw;
}

int ctx_suspend_on(struct ctx *ctx, struct workpool *pool, void *state, struct workpool_job *job)
{
	struct async_wrap *w = arena_calloc(ctx->req->arena, 1, sizeof(*w));
	w->job.run = wrap_run;
	w->job.done = wrap_done;
	w->inner = job;
	w->req = ctx->req;
	w->pool = pool;
	ctx->req->async_state = state;
	ctx->req->async_job = w;
	return CTX_SUSPENDED;
}

int ctx_suspend(struct ctx *ctx, void *state, struct workpool_job *job)
{
	return ctx_suspend_on(ctx, ctx->core->pool, state, job);
}

void *ctx_async_state(const struct ctx *ctx)
{
	return ctx->req->async_state;
}

void app_submit(struct app *app, struct request *req)
{
	struct async_wrap *w = req->async_job;
	req->async_job = NULL;
	(void)app;
	workpool_submit(w->pool, &w->job);
}

void app_run_pending(struct app *app, struct request *req)
{
	struct async_wrap *w = req->async_job;
	req->async_job = NULL;
	(void)app;
	workpool_run_sync(w->pool, &w->job);
}

int ctx_auth(struct ctx *ctx, enum auth_need need)
{
	struct str h = request_header(ctx->req, "Authorization");
	struct str token;
	bool market;

	memset(&ctx->caller, 0, sizeof(ctx->caller));
	if (!h.ptr || str_trim(h).len == 0) {
		if (need == AUTH_OPTIONAL)
			return 0;
		return error_set(ctx->err, ERROR_UNAUTHORIZED, "Unauthorized",
				 "Authentication credentials were not provided.");
	}
	token = auth_header_token(h);
	if (!token.ptr && ctx->route && ctx->route->dialect == DIALECT_ACCOUNTS)
		token = str_trim(h); /* "Authorization: aa.bb.cc" (spotahome.md §7, S-41) */
	if (!token.ptr)
		return error_set(ctx->err, ERROR_UNAUTHORIZED, "Unauthorized",
				 "The Authorization header must be 'JWT <token>' or 'Bearer <token>'.");
	if (auth_token(ctx->core, ctx->req->arena, token, &ctx->caller, ctx->err) < 0)
		return -1;
	if (need == AUTH_PARTY && ctx->caller.kind == CALLER_APPLICANT)
		return 0;
	market = need == AUTH_APPLICANT || (ctx->route && ctx->route->dialect == DIALECT_MARKET);
	if (market != (ctx->caller.kind == CALLER_APPLICANT)) {
		memset(&ctx->caller, 0, sizeof(ctx->caller));
		return error_set(ctx->err, ERROR_UNAUTHORIZED, "Unauthorized",
				 market ? "The market API needs an applicant token (POST /v2/auth)."
					: "Applicant tokens are accepted by the market API (/v2/) only.");
	}
	if (market)
		return 0;
	if (need == AUTH_ACCOUNTS) {
		if (ctx->caller.kind != CALLER_EMPLOYEE && ctx->caller.kind != CALLER_AGENT)
			return error_set(ctx->err, ERROR_FORBIDDEN, "PermissionDenied",
					 "This endpoint needs a landlord or agent token.");
		return 0;
	}
	if (ctx->caller.kind == CALLER_AGENT)
		return error_set(ctx->err, ERROR_FORBIDDEN, "PermissionDenied",
				 "Agent tokens are accepted by the accounts API only.");
	if (need == AUTH_EMPLOYEE && ctx->caller.kind != CALLER_EMPLOYEE)
		return error_set(ctx->err, ERROR_FORBIDDEN, "PermissionDenied",
				 "This endpoint needs an employee token.");
	return 0;
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

static int dispatch(struct app *app, struct ctx *ctx, enum dialect *dialect)
{
	int rc;
	struct request *req = ctx->req;
	struct router_match m;
	enum router_result rr;

	*dialect = dialect_for_path(req->path);
	if (req->reject_status) {
		/* a path too long to be read is no dialect's: the landlord shape, like unknown paths */
		if (req->reject_status == 414)
			*dialect = DIALECT_LANDLORD;
		error_set(ctx->err, ERROR_MALFORMED, NULL, "%s", req->reject_reason);
		ctx->err->status = req->reject_status;
		return APP_DONE;
	}
	if (req->body_spool_failed) {
		error_set(ctx->err, ERROR_UNAVAILABLE, NULL, "the upload could not be written to the spool directory");
		return APP_DONE;
	}
	rr = router_match(app->router, req->arena, req->method, req->path, &m);
	if (req->body_too_large) {
		if (rr == ROUTER_FOUND && (((const struct route *)m.target)->flags & ROUTE_UPLOAD))
			error_set(ctx->err, ERROR_TOO_LARGE, NULL,
				  "the upload is larger than its declared length or the upload limit (%llu bytes)",
				  (unsigned long long)app->cfg.upload_limit);
		else
			error_set(ctx->err, ERROR_TOO_LARGE, NULL, "the request body is larger than %zu bytes",
				  app->cfg.body_limit);
		return APP_DONE;
	}
	if (rr == ROUTER_NOT_FOUND) {
		error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no resource at this path");
		return APP_DONE;
	}
	if (rr == ROUTER_METHOD_NOT_ALLOWED) {
		response_header(ctx->resp, "Allow", str_from_cstr(router_allow_header(req->arena, m.allowed)));
		error_set(ctx->err, ERROR_METHOD_NOT_ALLOWED, NULL, "%.*s is not allowed on this path",
			  STR_FMT(req->method_name));
		return APP_DONE;
	}
	ctx->route = m.target;
	ctx->params = m.params;
	*dialect = ctx->route->dialect;
	if (*dialect == DIALECT_MARKET && str_has_prefix(req->path, STR_LIT("/v2")) && !market_api_key_ok(app, req)) {
		error_set(ctx->err, ERROR_UNAUTHORIZED, "Unauthorized", "This API needs the portal key in X-Api-Key.");
		return APP_DONE;
	}
	if (query_parse(req->arena, req->query, &ctx->query, ctx->err) < 0)
		return APP_DONE;
	if ((ctx->route->flags & ROUTE_JSON) && read_json_body(ctx) < 0)
		return APP_DONE;
	if ((ctx->route->flags & ROUTE_UPLOAD) && (uint64_t)req->body.len > app->cfg.upload_limit) {
		/* an in-memory body (tests, tools): the adapter spools and limits before this */
		error_set(ctx->err, ERROR_TOO_LARGE, NULL, "uploads are limited to %llu bytes",
			  (unsigned long long)app->cfg.upload_limit);
		return APP_DONE;
	}
	rc = ctx->route->handler(ctx);
	if (rc == CTX_SUSPENDED)
		return APP_SUSPENDED;
	if (rc < 0 && ctx->err->kind == ERROR_NONE)
		error_set(ctx->err, ERROR_INTERNAL, NULL, "handler failed without saying why");
	if (ctx->err->kind == ERROR_NONE && ctx->jw.out && !jw_complete(&ctx->jw))
		error_set(ctx->err, ERROR_INTERNAL, NULL, "handler left an incomplete JSON document");
	return APP_DONE;
}

/* For callers without file bodies (tests): the file's bytes into resp->body; closes the file. */
static void file_body_to_memory(struct request *req, struct response *resp, int keep)
{
	uint64_t off = resp->file_offset, left = resp->file_len;

	if (keep) {
		buf_init(&resp->body, req->arena, (size_t)left + 1);
		while (left > 0) {
			char chunk[16384];
			ssize_t n = pread(resp->file_fd, chunk, left < sizeof(chunk) ? (size_t)left : sizeof(chunk),
					  (off_t)off);
			if (n <= 0)
				break;
			buf_append(&resp->body, chunk, (size_t)n);
			off += (uint64_t)n;
			left -= (uint64_t)n;
		}
	}
	close(resp->file_fd);
	resp->has_file = 0;
}

int app_handle(struct app *app, struct request *req, struct response *resp)
{
	struct error err;
	struct ctx ctx;
	enum dialect dialect = DIALECT_LANDLORD;
	struct access_entry ae;

	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	buf_init(&resp->body, req->arena, 256);
	error_init(&err, req->arena);
	ctx_setup(app, &ctx, req, resp, &err);
	if (!req->request_id.len)
		req->request_id = request_id_for(req);
	market_prefix(req);

	/* a preflight on a public path is answered without a route (app/cors.h) */
	if (!cors_preflight(app->cors, req, resp) && dispatch(app, &ctx, &dialect) == APP_SUSPENDED) {
		if (ctx.body)
			json_decref(ctx.body);
		return APP_SUSPENDED;
	}
	if (ctx.body)
		json_decref(ctx.body);
	if (resp->has_file && (err.kind != ERROR_NONE || !req->accepts_file_body))
		file_body_to_memory(req, resp, err.kind == ERROR_NONE);
	if (err.kind != ERROR_NONE) {
		if (err.kind == ERROR_INTERNAL || err.kind == ERROR_UNAVAILABLE)
			log_request_error(req->request_id, "%s: %s", error_kind_name(err.kind),
					  err.message ? err.message : "(no detail)");
		if (err.kind == ERROR_VALIDATION && !err.status && ctx.route)
			err.status = (ctx.route->flags & ROUTE_INVALID_400) ? 400
				     : (ctx.route->flags & ROUTE_INVALID_409) ? 409 : 0;
		app->render_error(dialect, req, resp, &err);
	}
	cors_apply(app->cors, req, resp);
	response_header(resp, "X-Request-Id", req->request_id);
	if (req->body_too_large || req->reject_status)
		resp->close_connection = 1; /* the rest of the body was not read */

	ae.request_id = req->request_id;
	ae.method = req->method_name;
	ae.path = req->path;
	ae.status = resp->status;
	ae.bytes = resp->has_file ? resp->file_len : resp->body.len;
	ae.micros = req->start_ns ? (clock_monotonic_ns() - req->start_ns) / 1000 : 0;
	log_access(&ae);
	return APP_DONE;
}
