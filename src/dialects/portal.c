/*
 * portal.c — the applicant portal (issue 18, docs/PORTAL.md): a "Mina sidor" for landlords
 * without a front-end team, built only on the public market API, so it is also that API's
 * reference client. Served from the binary (portal/ in the source tree, dialects/assets.h):
 *
 *   GET {prefix}                 index.html, with the page's language (Accept-Language: sv
 *                                unless English is preferred, market.h) and its base (the prefix)
 *   GET {prefix}/portal/{file}   its script, styles and pictures: ETag + If-None-Match → 304,
 *                                cached 5 minutes, gzip
 *
 * {prefix} is --portal-prefix ("/" by default); --no-portal registers neither. Pages are
 * addressed after the '#' (#/object/42), so the server answers one path whatever the page,
 * and a reload or the back button shows the same page. The index sends a Content-Security-
 * Policy that allows nothing but rentd itself: the portal makes no request elsewhere.
 */
#include <string.h>

#include "dialects/dialects.h"
#include "dialects/portal.h"
#include "dialects/assets.h"
#include "dialects/market.h"

#define PORTAL_CACHE_CONTROL "public, max-age=300"

static int get_index(struct ctx *ctx)
{
	const struct config *cfg = app_config(ctx->app);
	const char *prefix = cfg->portal_prefix;
	const char *base = strcmp(prefix, "/") == 0 ? "/" : arena_printf(ctx->req->arena, "%s/", prefix);
	const char *api = cfg->public_url;
	bool sv = market_language(ctx) == LANG_SV; /* the first visit's: as the market API's texts */
	/* the shell's few words, in the page's language, so that the first paint reads right */
	struct tvar vars[] = {
		{ "lang", sv ? STR_LIT("sv") : STR_LIT("en"), false },
		{ "base", str_from_cstr(base), false },
		{ "skip", sv ? STR_LIT("Hoppa till innehållet") : STR_LIT("Skip to content"), false },
		{ "title", sv ? STR_LIT("Lediga bostäder") : STR_LIT("Homes to let"), false },
		{ "loading", sv ? STR_LIT("Laddar…") : STR_LIT("Loading…"), false },
	};

	ctx->resp->status = 200;
	ctx->resp->content_type = STR_LIT("text/html; charset=utf-8");
	buf_init(&ctx->resp->body, ctx->req->arena, 2048);
	asset_render(&ctx->resp->body, asset_find(portal_assets, portal_assets_count, "index.html"), vars,
			sizeof(vars) / sizeof(vars[0]));
	/* rentd only: its own origin and the API's (apiBaseUrl, the public URL) */
	response_header(ctx->resp, "Content-Security-Policy",
			str_from_cstr(arena_printf(ctx->req->arena,
						   "default-src 'none'; script-src 'self'; style-src 'self'; "
						   "img-src 'self' blob: %s; connect-src 'self' %s; font-src 'self'; "
						   "manifest-src 'self'; base-uri 'self'; form-action 'self'; "
						   "frame-ancestors 'self'",
						   api, api)));
	response_header(ctx->resp, "Cache-Control", STR_LIT("no-cache"));
	response_header(ctx->resp, "Vary", STR_LIT("Accept-Language"));
	response_header(ctx->resp, "X-Content-Type-Options", STR_LIT("nosniff"));
	response_header(ctx->resp, "Referrer-Policy", STR_LIT("no-referrer"));
	return 0;
}

static int get_asset(struct ctx *ctx)
{
	struct str name = route_param(&ctx->params, "file");
	const char *cname = arena_strndup(ctx->req->arena, name.ptr, name.len);
	const struct embedded_asset *a = asset_find(portal_assets, portal_assets_count, cname);

	/* the page itself is a template: only through its route */
	if (!a || strcmp(cname, "index.html") == 0)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no portal file %s", cname);
	return asset_serve(ctx, a, PORTAL_CACHE_CONTROL);
}

int portal_add_routes(struct app *app, const struct config *cfg)
{
	char index[sizeof(cfg->portal_prefix)], assets[sizeof(cfg->portal_prefix) + 32];
	bool root = strcmp(cfg->portal_prefix, "/") == 0;
	struct route routes[2] = {
		{ HTTP_GET, index, get_index, DIALECT_LANDLORD, 0 },
		{ HTTP_GET, assets, get_asset, DIALECT_LANDLORD, 0 },
	};

	if (!cfg->portal)
		return 0;
	snprintf(index, sizeof(index), "%s", cfg->portal_prefix);
	snprintf(assets, sizeof(assets), "%s/portal/{file}", root ? "" : cfg->portal_prefix);
	return app_add_owned_routes(app, routes, 2);
}
