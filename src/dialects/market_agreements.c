/*
 * market_agreements.c — rentd's extensions of the market dialect for the applicant portal
 * (issue 18; docs/API.md "Market API: agreements, the brand, the map and the sort"): what a
 * "Mina sidor" shows after the letting process and that the seed's endpoints lack.
 *
 *   GET /v2/market/agreements                 the applicant's agreements, newest first
 *   GET /v2/market/agreements/{id}/contract   the agreement's digital contract (PDF): the
 *                                             lease before the tenant signs, the sealed file after
 *   GET /v2/client/files/logo                 the landlord's logo (--brand-logo), named by
 *                                             GET /v2/client/configuration
 *
 * The agreements are core/contracts/agreements.h's, read with the applicant as the caller
 * (the tenant sees its own, H-37); the landlord dialect's /api/v1/agreements/ reads the same.
 */
#include <stdio.h>
#include <string.h>

#include "core/contracts/agreements.h"
#include "dialects/dialects.h"
#include "dialects/market.h"

#define LOGO_MAX (1024 * 1024)

static void kv_f2(struct jw *w, const char *key, int64_t us)
{
	jw_key(w, key);
	market_f2(w, us / 1000);
}

static void kv_id(struct jw *w, const char *key, int64_t id)
{
	jw_key(w, key);
	market_id(w, id);
}

static int get_agreements(struct ctx *ctx)
{
	const struct config *cfg = app_config(ctx->app);
	struct agreements_query q = { .page = 1 };
	struct agreements_page page;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_APPLICANT) < 0 ||
	    agreements_list(ctx->core, ctx->req->arena, &ctx->caller, &q, &page, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_int(w, "count", page.total);
	jw_key(w, "items");
	jw_array_begin(w);
	for (size_t i = 0; i < page.n; i++) {
		const struct agreement_info *g = &page.items[i];
		jw_object_begin(w);
		kv_id(w, "id", g->id);
		kv_id(w, "marketObjectId", g->listing_id);
		kv_id(w, "applicationId", g->application_id);
		jw_kv_cstr(w, "displayName",
			   arena_printf(ctx->req->arena, "%.*s %.*s", STR_FMT(g->street), STR_FMT(g->street_number)));
		jw_kv_str(w, "city", g->city);
		jw_key(w, "landlord");
		jw_object_begin(w);
		jw_kv_str(w, "displayName", g->company_name);
		jw_object_end(w);
		kv_f2(w, "created", g->created_at);
		if (g->signed_at)
			kv_f2(w, "signed", g->signed_at);
		jw_kv_bool(w, "sealed", g->signed_at != 0);
		jw_key(w, "contract");
		jw_object_begin(w);
		jw_kv_str(w, "signingId", g->contract_uuid);
		jw_kv_cstr(w, "mimeType", "application/pdf");
		jw_kv_cstr(w, "address", arena_printf(ctx->req->arena, "%s/v2/market/agreements/%lld/contract",
						      cfg->public_url, (long long)g->id));
		jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int get_contract(struct ctx *ctx)
{
	struct str id = route_param(&ctx->params, "id");
	int64_t n;
	struct str pdf;
	bool sealed;

	if (ctx_auth(ctx, AUTH_APPLICANT) < 0)
		return -1;
	if (str_to_int64(id, &n) < 0 || n <= 0)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such agreement");
	if (agreements_contract_file(ctx->core, ctx->req->arena, &ctx->caller, n, &pdf, &sealed, ctx->err) < 0)
		return -1;
	ctx->resp->status = 200;
	ctx->resp->content_type = STR_LIT("application/pdf");
	buf_init(&ctx->resp->body, ctx->req->arena, pdf.len);
	buf_append(&ctx->resp->body, pdf.ptr, pdf.len);
	response_header(ctx->resp, "Content-Disposition",
			str_from_cstr(arena_printf(ctx->req->arena, "attachment; filename=\"%s-%lld.pdf\"",
						   sealed ? "kontrakt" : "kontrakt-osignerat", (long long)n)));
	response_header(ctx->resp, "Cache-Control", STR_LIT("private, no-store"));
	return 0;
}

static int get_logo(struct ctx *ctx)
{
	const struct config *cfg = app_config(ctx->app);
	size_t n = strlen(cfg->brand_logo);
	FILE *f;
	size_t got;
	char *data;

	if (!n)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no logo is configured");
	f = fopen(cfg->brand_logo, "rb");
	if (!f)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "the logo file cannot be read");
	data = arena_alloc(ctx->req->arena, LOGO_MAX + 1);
	got = fread(data, 1, LOGO_MAX + 1, f);
	fclose(f);
	if (got > LOGO_MAX)
		return error_set(ctx->err, ERROR_INTERNAL, NULL, "the logo file is larger than %d bytes", LOGO_MAX);
	ctx->resp->status = 200;
	ctx->resp->content_type = strcmp(cfg->brand_logo + n - 4, ".svg") == 0 ? STR_LIT("image/svg+xml")
										 : STR_LIT("image/png");
	buf_init(&ctx->resp->body, ctx->req->arena, got);
	buf_append(&ctx->resp->body, data, got);
	response_header(ctx->resp, "Cache-Control", STR_LIT("public, max-age=300"));
	/* an SVG is an image here, never a document with scripts */
	response_header(ctx->resp, "Content-Security-Policy", STR_LIT("default-src 'none'; style-src 'unsafe-inline'"));
	response_header(ctx->resp, "X-Content-Type-Options", STR_LIT("nosniff"));
	return 0;
}

const struct route market_agreements_routes[] = {
	{ HTTP_GET, "/v2/market/agreements", get_agreements, DIALECT_MARKET, 0 },
	{ HTTP_GET, "/v2/market/agreements/{id}/contract", get_contract, DIALECT_MARKET, 0 },
	{ HTTP_GET, "/v2/client/files/logo", get_logo, DIALECT_MARKET, 0 },
};
const size_t market_agreements_routes_count = sizeof(market_agreements_routes) / sizeof(market_agreements_routes[0]);
