/*
 * openapi.c — the API's own reference: the three dialects' OpenAPI 3.1 documents and a page
 * that shows them with the vendored Redoc viewer, all embedded (assets.h), nothing loaded from
 * elsewhere (docs/ARCHITECTURE.md "The API reference").
 *
 *   GET /openapi/{name}               landlord.json, market.json, accounts.json (docs/openapi/):
 *                                     application/json, ETag → 304, gzip when accepted; else 404
 *   GET /docs                         the reference page of the landlord document, with links to
 *   GET /docs/{name}                  the others: landlord, market, accounts; else 404
 *   GET /docs/redoc.standalone.js     Redoc (third_party/redoc/), as the documents
 *
 * The page's Content-Security-Policy lets it load only this server's script and documents, so
 * the viewer cannot fetch fonts, logos or anything else from another site (it links to a
 * logo on a CDN; the browser never asks for it).
 */
#include <string.h>

#include "dialects/assets.h"
#include "dialects/dialects.h"

#define DOC_CACHE_CONTROL "public, max-age=300"

static const struct api_document {
	const char *name;  /* /docs/{name} */
	const char *file;  /* /openapi/{file}, the embedded asset */
	const char *title; /* the dialect */
	const char *api;   /* the public API it is compatible with */
} documents[] = {
	{ "landlord", "landlord.json", "Landlord", "HomeQ Core API" },
	{ "market", "market.json", "Market", "Momentum API v2" },
	{ "accounts", "accounts.json", "Accounts", "Spotahome Landlords API" },
};
#define DOCUMENTS_COUNT (sizeof(documents) / sizeof(documents[0]))

static int serve_doc_asset(struct ctx *ctx, const char *file)
{
	const struct embedded_asset *a = asset_find(doc_assets, doc_assets_count, file);
	if (!a)
		return error_set(ctx->err, ERROR_INTERNAL, NULL, "the file %s is not embedded", file);
	return asset_serve(ctx, a, DOC_CACHE_CONTROL);
}

static int get_document(struct ctx *ctx)
{
	struct str name = route_param(&ctx->params, "name");

	for (size_t i = 0; i < DOCUMENTS_COUNT; i++)
		if (str_eq_cstr(name, documents[i].file))
			return serve_doc_asset(ctx, documents[i].file);
	return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such document: landlord.json, market.json or accounts.json");
}

static int get_redoc(struct ctx *ctx)
{
	return serve_doc_asset(ctx, "redoc.standalone.js");
}

/* The page's fonts are the system's (Redoc's own would come from a font service). */
#define REDOC_THEME                                                                                     \
	"{&quot;typography&quot;:{&quot;fontFamily&quot;:&quot;system-ui, sans-serif&quot;,"              \
	"&quot;headings&quot;:{&quot;fontFamily&quot;:&quot;system-ui, sans-serif&quot;},"                 \
	"&quot;code&quot;:{&quot;fontFamily&quot;:&quot;ui-monospace, monospace&quot;}}}"

static int reference_page(struct ctx *ctx, const struct api_document *d)
{
	struct buf *b = &ctx->resp->body;

	ctx->resp->status = 200;
	ctx->resp->content_type = STR_LIT("text/html; charset=utf-8");
	buf_init(b, ctx->req->arena, 2048);
	buf_printf(b,
		   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>rentd %s API reference (%s)</title>\n"
		   "<style>\n"
		   "body { margin: 0; font-family: system-ui, sans-serif; }\n"
		   ".rentd-docs-nav { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: baseline;"
		   " padding: 0.75rem 1.25rem; border-bottom: 1px solid #ddd; background: #fafafa; }\n"
		   ".rentd-docs-nav a { color: #32329f; text-decoration: none; }\n"
		   ".rentd-docs-nav a[aria-current] { font-weight: 600; text-decoration: underline; }\n"
		   "</style>\n</head>\n<body>\n"
		   "<nav class=\"rentd-docs-nav\" aria-label=\"API documents\">\n<strong>rentd API reference</strong>\n",
		   d->title, d->api);
	for (size_t i = 0; i < DOCUMENTS_COUNT; i++)
		buf_printf(b, "<a href=\"/docs/%s\"%s>%s (%s)</a>\n", documents[i].name,
			   &documents[i] == d ? " aria-current=\"page\"" : "", documents[i].title, documents[i].api);
	buf_printf(b,
		   "<a href=\"/openapi/%s\">OpenAPI document</a>\n</nav>\n"
		   "<redoc spec-url=\"/openapi/%s\" expand-responses=\"200,201\" required-props-first=\"true\""
		   " show-extensions=\"x-rentd-extension\" theme=\"" REDOC_THEME "\"></redoc>\n"
		   "<script src=\"/docs/redoc.standalone.js\"></script>\n</body>\n</html>\n",
		   d->file, d->file);
	/* this server's script and documents only; Redoc's styles are inline, its search a blob worker */
	response_header(ctx->resp, "Content-Security-Policy",
			STR_LIT("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
				"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
				"worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"));
	response_header(ctx->resp, "Cache-Control", STR_LIT("no-cache"));
	response_header(ctx->resp, "X-Content-Type-Options", STR_LIT("nosniff"));
	response_header(ctx->resp, "Referrer-Policy", STR_LIT("no-referrer"));
	return 0;
}

static int get_docs(struct ctx *ctx)
{
	return reference_page(ctx, &documents[0]);
}

static int get_docs_page(struct ctx *ctx)
{
	struct str name = route_param(&ctx->params, "name");

	for (size_t i = 0; i < DOCUMENTS_COUNT; i++)
		if (str_eq_cstr(name, documents[i].name))
			return reference_page(ctx, &documents[i]);
	return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such API reference: landlord, market or accounts");
}

/* designated: the table does not depend on struct route's later members */
#define DOC_ROUTE(p, fn) { .method = HTTP_GET, .pattern = (p), .handler = (fn), .dialect = DIALECT_LANDLORD, .flags = 0 }
const struct route openapi_routes[] = {
	DOC_ROUTE("/openapi/{name}", get_document),
	DOC_ROUTE("/docs", get_docs),
	DOC_ROUTE("/docs/redoc.standalone.js", get_redoc),
	DOC_ROUTE("/docs/{name}", get_docs_page),
};
const size_t openapi_routes_count = sizeof(openapi_routes) / sizeof(openapi_routes[0]);
