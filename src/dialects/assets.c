/*
 * assets.c — finding and serving the embedded static files (assets.h).
 */
#include "dialects/assets.h"

#include <string.h>

const struct embedded_asset *asset_find(const struct embedded_asset *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

/* ";q=0", ";q=0.0", ";q=0.000" (RFC 9110 §12.4.2): the coding is refused. */
static bool q_zero(struct str params)
{
	params = str_trim(params);
	if (params.len < 3 || (params.ptr[0] != 'q' && params.ptr[0] != 'Q') || params.ptr[1] != '=')
		return false;
	for (size_t i = 2; i < params.len; i++)
		if (params.ptr[i] != '0' && params.ptr[i] != '.')
			return false;
	return true;
}

/* Accept-Encoding allows gzip (RFC 9110 §12.5.3): named with q > 0, or not named and "*" with q > 0. */
static bool accepts_gzip(struct str h)
{
	const char *p = h.ptr, *end = h.ptr + h.len;
	int gzip = -1, star = -1; /* -1 not named, 0 refused, 1 allowed */

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		struct str item = str_trim((struct str){ p, (size_t)((comma ? comma : end) - p) });
		const char *semi = item.len ? memchr(item.ptr, ';', item.len) : NULL;
		struct str coding = str_trim((struct str){ item.ptr, semi ? (size_t)(semi - item.ptr) : item.len });
		int allowed = !(semi && q_zero((struct str){ semi + 1, item.len - (size_t)(semi + 1 - item.ptr) }));

		if (str_case_eq(coding, STR_LIT("gzip")) || str_case_eq(coding, STR_LIT("x-gzip")))
			gzip = allowed;
		else if (str_eq_cstr(coding, "*"))
			star = allowed;
		p = comma ? comma + 1 : end;
	}
	return gzip >= 0 ? gzip == 1 : star == 1;
}

int asset_serve(struct ctx *ctx, const struct embedded_asset *a, const char *cache_control)
{
	struct str inm = request_header(ctx->req, "If-None-Match");
	struct str ae = request_header(ctx->req, "Accept-Encoding");
	bool gz = a->gzip_data && ae.ptr && accepts_gzip(ae);
	struct str etag = str_from_cstr(gz ? a->gzip_etag : a->etag);

	response_header(ctx->resp, "ETag", etag);
	response_header(ctx->resp, "Cache-Control", str_from_cstr(cache_control));
	response_header(ctx->resp, "X-Content-Type-Options", STR_LIT("nosniff"));
	if (a->gzip_data)
		response_header(ctx->resp, "Vary", STR_LIT("Accept-Encoding"));
	if (inm.ptr && request_etag_matches(inm, etag)) {
		ctx_status(ctx, 304);
		return 0;
	}
	if (gz)
		response_header(ctx->resp, "Content-Encoding", STR_LIT("gzip"));
	ctx->resp->status = 200;
	ctx->resp->content_type = str_from_cstr(a->content_type);
	buf_init(&ctx->resp->body, ctx->req->arena, gz ? a->gzip_len : a->len);
	buf_append(&ctx->resp->body, gz ? a->gzip_data : a->data, gz ? a->gzip_len : a->len);
	return 0;
}

void asset_html_escape(struct buf *out, struct str s)
{
	for (size_t i = 0; i < s.len; i++) {
		switch (s.ptr[i]) {
		case '&': buf_append_cstr(out, "&amp;"); break;
		case '<': buf_append_cstr(out, "&lt;"); break;
		case '>': buf_append_cstr(out, "&gt;"); break;
		case '"': buf_append_cstr(out, "&quot;"); break;
		case '\'': buf_append_cstr(out, "&#39;"); break;
		default: buf_putc(out, s.ptr[i]);
		}
	}
}

void asset_render(struct buf *out, const struct embedded_asset *a, const struct tvar *vars, size_t n)
{
	const char *p = a ? a->data : "", *end = a ? a->data + a->len : p;

	while (p < end) {
		const char *open = strstr(p, "{{"), *close = open ? strstr(open + 2, "}}") : NULL;
		struct str name;
		if (!open || !close) {
			buf_append(out, p, (size_t)(end - p));
			break;
		}
		buf_append(out, p, (size_t)(open - p));
		name = (struct str){ open + 2, (size_t)(close - open - 2) };
		for (size_t i = 0; i < n; i++) {
			if (!str_eq_cstr(name, vars[i].name))
				continue;
			if (vars[i].raw)
				buf_append_str(out, vars[i].value);
			else
				asset_html_escape(out, vars[i].value);
			break;
		}
		p = close + 2;
	}
}
