/*
 * landlord_agreements.c — agreements (homeq.md §3, §12.8; docs/API.md "Agreements";
 * docs/DECISIONS.md "Agreements"):
 *
 *   GET /api/v1/agreements/                       employee, consumer or applicant token (H-37)
 *   GET /api/v1/agreements/{id}/digital_contract/ the contract's PDF (our extension)
 *
 * The tenant is an applicant of the market dialect, so its token (POST /v2/auth, "JWT" or
 * "Bearer") is accepted here (AUTH_PARTY), the one landlord route that takes it.
 *
 * The list's query: page (1-based, AGREEMENTS_PAGE_SIZE a page), apartment_id, rental_id
 * (the listing the agreement let), signed_after (a date — its Stockholm midnight — or a
 * date-time, UTC without a zone). A bad value is 412 ValidationError naming the parameter.
 *
 * Answer {"results": [Agreement], "total"}: an Agreement is apartment {city, country,
 * display_image, street, street_nr}, created, digital_contract (the absolute URL of the
 * PDF route above), id, landlord {name}, movello_session_url (null: rentd has no moving
 * service), with our members rental_id and signed (the instant the contract was sealed, or
 * null). Date-times "YYYY-MM-DDTHH:MM:SSZ" (H-44).
 */
#include "core/contracts/agreements.h"
#include "core/listings/listings.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

#define AGREEMENT_COUNTRY "SE" /* every apartment of rentd is in Sweden */

static void write_agreement(struct ctx *ctx, struct jw *w, const struct agreement_info *g)
{
	jw_object_begin(w);
	jw_key(w, "apartment");
	jw_object_begin(w);
	jw_kv_str(w, "city", g->city);
	jw_kv_cstr(w, "country", AGREEMENT_COUNTRY);
	if (g->display_image.ptr)
		jw_kv_str(w, "display_image", landlord_url(ctx, "/media/%.*s", STR_FMT(g->display_image)));
	else
		jw_kv_null(w, "display_image");
	jw_kv_str(w, "street", g->street);
	jw_kv_str(w, "street_nr", g->street_number);
	jw_object_end(w);
	landlord_kv_time_us(w, "created", g->created_at);
	jw_kv_str(w, "digital_contract",
		  landlord_url(ctx, "/api/v1/agreements/%lld/digital_contract/", (long long)g->id));
	jw_kv_int(w, "id", g->id);
	jw_key(w, "landlord");
	jw_object_begin(w);
	jw_kv_str(w, "name", g->company_name);
	jw_object_end(w);
	jw_kv_null(w, "movello_session_url");
	jw_kv_int(w, "rental_id", g->listing_id);
	landlord_kv_time_us(w, "signed", g->signed_at);
	jw_object_end(w);
}

static void query_signed_after(struct ctx *ctx, struct agreements_query *q)
{
	struct str v = query_get(&ctx->query, "signed_after");
	int64_t t;
	if (!v.ptr)
		return;
	if (listings_parse_instant(v, &t) < 0) {
		error_field(ctx->err, "signed_after", RULE_FORMAT, "must be a date (YYYY-MM-DD) or an ISO 8601 date-time");
		return;
	}
	q->has_signed_after = true;
	q->signed_after = t * 1000000;
}

static int get_agreements(struct ctx *ctx)
{
	struct agreements_query q = { 0 };
	struct agreements_page page;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_PARTY) < 0)
		return -1;
	landlord_query_range(ctx, "page", 1, AGREEMENTS_PAGE_MAX, 1, &q.page);
	landlord_query_id(ctx, "apartment_id", false, &q.apartment_id);
	landlord_query_id(ctx, "rental_id", false, &q.listing_id);
	query_signed_after(ctx, &q);
	if (error_failed(ctx->err) || agreements_list(ctx->core, ctx->req->arena, &ctx->caller, &q, &page, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < page.n; i++)
		write_agreement(ctx, w, &page.items[i]);
	jw_array_end(w);
	jw_kv_int(w, "total", page.total);
	jw_object_end(w);
	return 0;
}

static int get_digital_contract(struct ctx *ctx)
{
	struct str pdf;
	bool sealed;

	if (ctx_auth(ctx, AUTH_PARTY) < 0 ||
	    agreements_contract_file(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				     &pdf, &sealed, ctx->err) < 0)
		return -1;
	ctx->resp->status = 200;
	ctx->resp->content_type = STR_LIT("application/pdf");
	buf_init(&ctx->resp->body, ctx->req->arena, pdf.len);
	buf_append(&ctx->resp->body, pdf.ptr, pdf.len);
	response_header(ctx->resp, "Cache-Control", STR_LIT("private, no-store"));
	return 0;
}

const struct route landlord_agreements_routes[] = {
	{ HTTP_GET, "/api/v1/agreements", get_agreements, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/api/v1/agreements/{id:int}/digital_contract", get_digital_contract, DIALECT_LANDLORD, 0 },
};
const size_t landlord_agreements_routes_count =
	sizeof(landlord_agreements_routes) / sizeof(landlord_agreements_routes[0]);
