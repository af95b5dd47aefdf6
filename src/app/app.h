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
 * Route tables live in each dialect (dialects/<name>.c) and are registered by
 * app_create(); adding an endpoint means adding one line to a table.
 */
#ifndef RENTD_APP_H
#define RENTD_APP_H

#include <jansson.h>

#include "app/config.h"
#include "base/error.h"
#include "http/query.h"
#include "http/request.h"
#include "http/router.h"
#include "json/json_write.h"

struct store;
struct app;

enum dialect {
	DIALECT_LANDLORD, /* HomeQ Core: /api/v1…v4/ — also the default for unknown paths */
	DIALECT_MARKET,   /* Momentum v2: /v2/ */
	DIALECT_ACCOUNTS, /* Spotahome Landlords: /api/landlords… */
};

struct ctx {
	struct app *app;
	struct store *store;
	struct request *req;
	struct response *resp;
	struct error *err;
	const struct route *route;
	struct route_params params;
	struct query query;
	json_t *body; /* ROUTE_JSON routes: the parsed body, NULL when empty */
	struct jw jw; /* set up by ctx_json() */
};

typedef int (*route_fn)(struct ctx *ctx);

#define ROUTE_JSON 1u /* the body, when present, must be JSON (415/400 otherwise) */

struct route {
	enum http_method method;
	const char *pattern;
	route_fn handler;
	enum dialect dialect;
	unsigned flags;
};

struct app *app_create(const struct config *cfg, struct store *store);
void app_destroy(struct app *app);

/* Adds routes (tests use it for fixtures); returns -1 on a conflicting route. */
int app_add_routes(struct app *app, const struct route *routes, size_t n);

/* Fills resp from req. Never fails: every problem becomes an error response. */
void app_handle(struct app *app, struct request *req, struct response *resp);

/* Starts a JSON response with this status and returns the writer for its body. */
struct jw *ctx_json(struct ctx *ctx, int status);
/* A response without a body (204, or 201 with only a Location header). */
void ctx_status(struct ctx *ctx, int status);

enum dialect dialect_for_path(struct str path);

#endif
