/*
 * embedded.c — serving the embedded static files (embedded.h).
 */
#include "dialects/embedded.h"

#include <string.h>

#include "dialects/dialects.h"

const struct embedded_asset *embedded_find(const struct embedded_asset *table, const char *name)
{
	for (const struct embedded_asset *a = table; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

/* Whether Accept-Encoding lists gzip with a q above 0 (RFC 9110 §12.5.3; "*" counts too). */
static bool accepts_gzip(struct str ae)
{
	size_t i = 0;

	while (ae.ptr && i < ae.len) {
		size_t start = i, end;
		struct str item, coding;
		const char *semi;
		while (i < ae.len && ae.ptr[i] != ',')
			i++;
		end = i++;
		item = str_trim((struct str){ ae.ptr + start, end - start });
		semi = memchr(item.ptr, ';', item.len);
		coding = str_trim((struct str){ item.ptr, semi ? (size_t)(semi - item.ptr) : item.len });
		if (!str_case_eq(coding, STR_LIT("gzip")) && !str_eq_cstr(coding, "*"))
			continue;
		if (semi) {
			struct str q = str_trim((struct str){ semi + 1, item.len - (size_t)(semi + 1 - item.ptr) });
			/* q=0, q=0.0, q=0.000: refused */
			if (q.len >= 3 && (q.ptr[0] == 'q' || q.ptr[0] == 'Q') && q.ptr[1] == '=') {
				bool zero = q.ptr[2] == '0';
				for (size_t k = 3; zero && k < q.len; k++)
					zero = q.ptr[k] == '.' || q.ptr[k] == '0';
				if (zero)
					continue;
			}
		}
		return true;
	}
	return false;
}

void embedded_serve(struct ctx *ctx, const struct embedded_asset *a, const char *cache_control)
{
	struct str inm = request_header(ctx->req, "If-None-Match");
	bool gz = a->gz && accepts_gzip(request_header(ctx->req, "Accept-Encoding"));

	response_header(ctx->resp, "ETag", str_from_cstr(a->etag));
	response_header(ctx->resp, "Cache-Control", str_from_cstr(cache_control));
	response_header(ctx->resp, "X-Content-Type-Options", STR_LIT("nosniff"));
	if (a->gz)
		response_header(ctx->resp, "Vary", STR_LIT("Accept-Encoding"));
	if (inm.ptr && request_etag_matches(inm, str_from_cstr(a->etag))) {
		ctx_status(ctx, 304);
		return;
	}
	ctx->resp->status = 200;
	ctx->resp->content_type = str_from_cstr(a->content_type);
	if (gz)
		response_header(ctx->resp, "Content-Encoding", STR_LIT("gzip"));
	buf_init(&ctx->resp->body, ctx->req->arena, gz ? a->gz_len : a->len);
	buf_append(&ctx->resp->body, gz ? a->gz : a->data, gz ? a->gz_len : a->len);
}

void embedded_html_escape(struct buf *out, struct str s)
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

void embedded_render(struct buf *out, const struct embedded_asset *a, const struct tvar *vars, size_t n)
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
				embedded_html_escape(out, vars[i].value);
			break;
		}
		p = close + 2;
	}
}
