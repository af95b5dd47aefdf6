/*
 * accounts_common.c — the accounts dialect's shared pieces (dialects/accounts.h).
 */
#include "dialects/accounts.h"

#include <ctype.h>
#include <string.h>

#include "core/accounts/accounts.h"

int hal_read_page(struct ctx *ctx, int64_t default_per_page, struct hal_page *out)
{
	static const char *const names[] = { "page", "itemsPerPage" };
	int64_t v[2] = { 1, default_per_page };

	for (int i = 0; i < 2; i++) {
		struct str s = query_get(&ctx->query, names[i]);
		if (!s.ptr || str_trim(s).len == 0)
			continue;
		if (str_to_int64(str_trim(s), &v[i]) < 0 || v[i] < 1)
			return error_field(ctx->err, names[i], RULE_TYPE, "must be a whole number of at least 1");
	}
	out->page = v[0];
	out->per_page = v[1] > HAL_MAX_PER_PAGE ? HAL_MAX_PER_PAGE : v[1];
	return 0;
}

/* Percent-encodes a query key or value (RFC 3986 unreserved characters stay). */
static void put_encoded(struct buf *b, struct str s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == '@') {
			buf_putc(b, (char)ch);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[ch >> 4]);
			buf_putc(b, hex[ch & 15]);
		}
	}
}

/* "ids[]", "ids[0]" → "ids"; other keys unchanged. */
static struct str base_key(struct str key, bool *is_array)
{
	const char *br = key.len ? memchr(key.ptr, '[', key.len) : NULL;
	*is_array = br && key.ptr[key.len - 1] == ']';
	return *is_array ? (struct str){ key.ptr, (size_t)(br - key.ptr) } : key;
}

struct str hal_filters(struct ctx *ctx)
{
	struct buf b;

	buf_init(&b, ctx->req->arena, 128);
	for (size_t i = 0; i < ctx->query.n; i++) {
		const struct query_param *q = &ctx->query.items[i];
		bool arr;
		struct str k = base_key(q->key, &arr);

		if (str_eq_cstr(k, "page") || str_eq_cstr(k, "itemsPerPage") || k.len == 0)
			continue;
		if (!arr && !str_eq_cstr(k, "ids")) {
			if (b.len)
				buf_putc(&b, '&');
			put_encoded(&b, k);
			buf_putc(&b, '=');
			put_encoded(&b, q->value);
			continue;
		}
		/* an array: one name[]=value per item, also for the comma-separated form (S-19) */
		for (struct str v = q->value; v.len;) {
			const char *comma = memchr(v.ptr, ',', v.len);
			size_t len = comma ? (size_t)(comma - v.ptr) : v.len;
			struct str item = str_trim((struct str){ v.ptr, len });
			if (item.len) {
				if (b.len)
					buf_putc(&b, '&');
				put_encoded(&b, k);
				buf_append_cstr(&b, "[]=");
				put_encoded(&b, item);
			}
			v.ptr += comma ? len + 1 : len;
			v.len -= comma ? len + 1 : len;
		}
	}
	return buf_str(&b);
}

static void write_link(struct ctx *ctx, struct jw *w, const char *rel, const char *path, struct str filters,
		       int64_t page, int64_t per_page)
{
	jw_key(w, rel);
	jw_object_begin(w);
	jw_kv_cstr(w, "href", arena_printf(ctx->req->arena, "%s?%.*s%spage=%lld&itemsPerPage=%lld", path,
					   STR_FMT(filters), filters.len ? "&" : "", (long long)page,
					   (long long)per_page));
	jw_object_end(w);
}

struct jw *hal_begin(struct ctx *ctx, const char *path, const struct hal_page *p, int64_t count, int64_t total,
		     const char *rel)
{
	struct str filters = hal_filters(ctx);
	int64_t last = total > 0 ? (total + p->per_page - 1) / p->per_page : 1;
	struct jw *w = ctx_json(ctx, 200);

	jw_object_begin(w);
	jw_kv_int(w, "count", count);
	jw_kv_int(w, "total", total);
	jw_key(w, "_links");
	jw_object_begin(w);
	write_link(ctx, w, "self", path, filters, p->page, p->per_page);
	write_link(ctx, w, "first", path, filters, 1, p->per_page);
	write_link(ctx, w, "last", path, filters, last, p->per_page);
	if (p->page < last)
		write_link(ctx, w, "next", path, filters, p->page + 1, p->per_page);
	if (p->page > 1)
		write_link(ctx, w, "previous", path, filters, p->page - 1 < last ? p->page - 1 : last, p->per_page);
	jw_object_end(w);
	jw_key(w, "_embedded");
	jw_object_begin(w);
	jw_key(w, rel);
	jw_array_begin(w);
	return w;
}

void hal_end(struct jw *w)
{
	jw_array_end(w);
	jw_object_end(w);
	jw_object_end(w);
}

void accounts_query_array(struct ctx *ctx, const char *name, struct str **out, size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < ctx->query.n; i++) {
		bool arr;
		struct str k = base_key(ctx->query.items[i].key, &arr);
		struct str v = ctx->query.items[i].value;
		if (!str_eq_cstr(k, name))
			continue;
		cap += 1;
		for (size_t j = 0; j < v.len; j++)
			cap += v.ptr[j] == ',';
	}
	if (!cap)
		return;
	*out = arena_alloc(ctx->req->arena, cap * sizeof(**out));
	for (size_t i = 0; i < ctx->query.n; i++) {
		bool arr;
		struct str k = base_key(ctx->query.items[i].key, &arr);
		struct str v = ctx->query.items[i].value;
		if (!str_eq_cstr(k, name))
			continue;
		while (v.len) {
			const char *comma = memchr(v.ptr, ',', v.len);
			size_t len = comma ? (size_t)(comma - v.ptr) : v.len;
			struct str item = str_trim((struct str){ v.ptr, len });
			if (item.len)
				(*out)[(*n)++] = item;
			v.ptr += comma ? len + 1 : len;
			v.len -= comma ? len + 1 : len;
		}
	}
}

int accounts_auth(struct ctx *ctx)
{
	return ctx_auth(ctx, AUTH_ACCOUNTS);
}

int accounts_company_for(struct ctx *ctx, struct str account_id, bool forbidden_documented, int64_t *company_id)
{
	return accounts_resolve(ctx->core, ctx->req->arena, &ctx->caller, account_id, forbidden_documented,
				company_id, ctx->err);
}

void accounts_actor(struct ctx *ctx, struct event_actor *out)
{
	const struct user *u = &ctx->caller.user;
	struct str req = str_trim(request_header(ctx->req, "Requester"));

	if (req.len >= 2 && req.ptr[0] == '"' && req.ptr[req.len - 1] == '"') /* S-01 */
		req = str_trim((struct str){ req.ptr + 1, req.len - 2 });
	memset(out, 0, sizeof(*out));
	out->user_id = u->id;
	out->identity = u->uuid;
	out->email = req.len && req.len <= 254 ? req : u->email;
	out->full_name = str_from_cstr(arena_printf(ctx->req->arena, "%.*s%s%.*s", STR_FMT(u->first_name),
						    u->first_name.len && u->last_name.len ? " " : "",
						    STR_FMT(u->last_name)));
}

void accounts_deprecated(struct ctx *ctx)
{
	response_header(ctx->resp, "Deprecation", STR_LIT("true"));
}
