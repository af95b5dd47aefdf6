/*
 * app.h — from a parsed request to a response: routing, body checks, handlers,
 * error rendering, request ids and the access log.
 *
 * The HTTP adapter calls app_handle() for every request; the test harness calls
 * it directly. A handler is a function of struct ctx: it reads ctx->params,
 * ctx->query and ctx->body, calls core/, and either writes a response through
 * ctx_json()/ctx_status() and returns 0, or fills ctx->err and returns -1, in
 * which case app_handle() renders the error in the route's dialect.
 *
 * Route tables live in each dialect (dialects/<name>.c); the server's assembly
 * (wiring/server.h) hands them and the dialects' error renderer to app_create(), so
 * app/ never includes dialects/. Adding an endpoint means adding one line to a table.
 */
#ifndef RENTD_APP_H
#define RENTD_APP_H

#include <jansson.h>

#include "app/config.h"
#include "base/error.h"
#include "base/workpool.h"
#include "core/identity/auth.h"
#include "core/core.h"
#include "http/query.h"
#include "http/request.h"
#include "http/router.h"
#include "base/json_write.h"

struct app;

enum dialect {
	DIALECT_LANDLORD, /* HomeQ Core: /api/v1…v4/ — also the default for unknown paths */
	DIALECT_MARKET,   /* Momentum v2: /v2/ */
	DIALECT_ACCOUNTS, /* Spotahome Landlords: /api/landlords… */
};

struct ctx {
	struct app *app;
	struct core *core; /* handlers reach the database only through core/ */
	struct request *req;
	struct response *resp;
	struct error *err;
	const struct route *route;
	struct route_params params;
	struct query query;
	json_t *body; /* ROUTE_JSON routes: the parsed body, NULL when empty */
	struct jw jw; /* set up by ctx_json() */
	struct caller caller; /* filled by ctx_auth() */
	bool headers_only;    /* ROUTE_UPLOAD: the call that decides whether to read the body */
	uint64_t body_limit;  /* ROUTE_UPLOAD, headers_only: the largest body to accept */
};

/* Returns 0 (response written), -1 (ctx->err filled) or CTX_SUSPENDED. */
typedef int (*route_fn)(struct ctx *ctx);

#define CTX_SUSPENDED 1

#define ROUTE_JSON 1u /* the body, when present, must be JSON (415/400 otherwise) */
/*
 * An upload: the body is not held in memory but spooled to a file (req->body_file) by
 * the adapter, up to --upload-limit instead of --body-limit. The handler is first called
 * with ctx->headers_only set, once the headers are in and before any of the body: it
 * returns 0 to receive the body (and may lower ctx->body_limit, e.g. to the declared
 * length) or -1 to have the request answered without reading its body. The real call
 * follows either way; after a -1 it has no body and must fail the same way (it repeats
 * the checks).
 */
#define ROUTE_UPLOAD 2u
/*
 * Accounts dialect: the status a validation failure gets where the endpoint does not
 * document 422 (decisions.md S-38: 400 on #5, #6, #8, #9, #34, #52; S-03: 409 on #17, #18).
 */
#define ROUTE_INVALID_400 4u
#define ROUTE_INVALID_409 8u
/*
 * The path carries a secret (an invitation's token): every string parameter of the
 * pattern is shown as "{name}" in every log line (base/log.h log_secret_path), whatever
 * the method or the rest of the path. Query strings are never logged.
 */
#define ROUTE_SECRET_PATH 16u

struct route {
	enum http_method method;
	const char *pattern;
	route_fn handler;
	enum dialect dialect;
	unsigned flags;
};

/* A table of routes and its length (a pointer: tables are sized in their own file). */
struct route_table {
	const struct route *routes;
	const size_t *count;
};

/* Writes err into resp in the shape of dialect d (the dialects' dialect_render_error). */
typedef void (*app_error_renderer)(enum dialect d, const struct request *req, struct response *resp,
				   const struct error *err);

/* What the app is built from; the server's assembly (wiring/server.h) fills it. */
struct app_parts {
	struct core *core; /* built by the caller; must outlive the app */
	const struct route_table *tables;
	size_t ntables;
	app_error_renderer render_error;
};

/*
 * A router over parts->tables, answering errors through parts->render_error. cfg is
 * copied; its derived fields (public_url, secret_file, contract_key_file, media_dir) must already be
 * filled (server_assemble() does). NULL on a conflicting route.
 */
struct app *app_create(const struct config *cfg, const struct app_parts *parts);
/* The router and CORS table; the core is the caller's. */
void app_destroy(struct app *app);

/* Adds routes (tests use it for fixtures); returns -1 on a conflicting route. */
int app_add_routes(struct app *app, const struct route *routes, size_t n);
/* The same for routes made at start (patterns from the configuration): copied, freed with the app. */
int app_add_owned_routes(struct app *app, const struct route *routes, size_t n);

enum { APP_DONE = 0, APP_SUSPENDED = 1 };

/*
 * Fills resp from req and returns APP_DONE. Never fails: every problem becomes an
 * error response. APP_SUSPENDED: a handler is waiting for slow work; the caller
 * must call app_submit(), then, once req->resume(req->resume_arg) has been called,
 * app_handle() again with the same request.
 */
int app_handle(struct app *app, struct request *req, struct response *resp);
void app_submit(struct app *app, struct request *req);
/* For callers without an event loop (tests, CLI): runs the pending job and waits. */
void app_run_pending(struct app *app, struct request *req);

/* The adapter's body_plan (http_server.h): memory, spool (ROUTE_UPLOAD) or refuse. */
enum http_body_plan app_body_plan(struct app *app, struct request *req, uint64_t *limit);
/* Where spooled uploads go: the media store's temporary directory (storage_tmp_dir). */
const char *app_spool_dir(const struct app *app);

struct core *app_core(struct app *app);
const struct config *app_config(const struct app *app);

/* Starts a JSON response with this status and returns the writer for its body. */
struct jw *ctx_json(struct ctx *ctx, int status);
/* A response without a body (204, or 201 with only a Location header). */
void ctx_status(struct ctx *ctx, int status);

/*
 * Suspends the request: job runs on the workpool, then the handler is called
 * again with ctx_async_state() returning state. Returns CTX_SUSPENDED for the
 * handler to return. state and job must live in the request's arena.
 */
int ctx_suspend(struct ctx *ctx, void *state, struct workpool_job *job);
/* The same on another pool: core->writer, the group commit of core/core.h. */
int ctx_suspend_on(struct ctx *ctx, struct workpool *pool, void *state, struct workpool_job *job);
void *ctx_async_state(const struct ctx *ctx);

enum auth_need {
	AUTH_OPTIONAL, /* no token: anonymous; a bad token is still 401 (decisions.md H-36) */
	AUTH_ANY,      /* employee or consumer token */
	AUTH_EMPLOYEE, /* employee token; consumer tokens get 403 (H-37) */
	AUTH_ACCOUNTS, /* the accounts dialect: employee or agent token, bare or Bearer (S-41); others 403 */
	AUTH_APPLICANT, /* the market dialect: an applicant token (POST /v2/auth); others 401 (M-27) */
	AUTH_PARTY,     /* a letting's parties: employee, consumer or applicant token (GET /api/v1/agreements/) */
};
/*
 * Authenticates from the Authorization header into ctx->caller. Agent tokens pass only
 * AUTH_ACCOUNTS; on accounts-dialect routes a bare token (no scheme) is accepted.
 * Applicant tokens pass only on market-dialect routes and with AUTH_PARTY (a tenant reads
 * its agreements with the token it signed in with), and market-dialect routes accept no
 * other token (401 either way: the credentials are not this API's).
 */
int ctx_auth(struct ctx *ctx, enum auth_need need);

enum dialect dialect_for_path(struct str path);

#endif
