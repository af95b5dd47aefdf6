#include "dialects/landlord.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/contracts/contract_seal.h"         /* contract_time */
#include "core/listings/listing_applications.h" /* struct application_stats */
#include "core/listings/views3d.h"              /* struct view3d */

void landlord_write_csv_array(struct jw *w, struct str csv)
{
	size_t start = 0;
	jw_array_begin(w);
	for (size_t i = 0; i <= csv.len; i++) {
		if (i == csv.len || csv.ptr[i] == ',') {
			if (i > start)
				jw_string(w, (struct str){ csv.ptr + start, i - start });
			start = i + 1;
		}
	}
	jw_array_end(w);
}

void landlord_kv_time_us(struct jw *w, const char *key, int64_t us)
{
	char when[32];
	if (!us) {
		jw_kv_null(w, key);
		return;
	}
	contract_time(us / 1000000, when);
	jw_kv_cstr(w, key, when);
}

void landlord_write_view3d(struct jw *w, const struct view3d *v)
{
	jw_object_begin(w);
	jw_kv_int(w, "id", v->id);
	jw_kv_int(w, "position", v->position);
	jw_kv_str(w, "title", v->title);
	jw_kv_str(w, "url", v->url);
	jw_object_end(w);
}

void landlord_write_view3d_list(struct ctx *ctx, const struct view3d *list, size_t n)
{
	struct jw *w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		landlord_write_view3d(w, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
}

void landlord_write_author(struct jw *w, int64_t id, struct str name)
{
	jw_key(w, "author");
	if (!id) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_kv_str(w, "name", name);
	jw_object_end(w);
}

static void write_three(struct jw *w, const char *key, const char *const names[3], int64_t a, int64_t b, int64_t c)
{
	jw_key(w, key);
	jw_object_begin(w);
	jw_kv_int(w, names[0], a);
	jw_kv_int(w, names[1], b);
	jw_kv_int(w, names[2], c);
	jw_object_end(w);
}

void landlord_write_apply_stats(struct jw *w, const char *key, const struct application_stats *s, bool not_offered,
				const char *timestamp)
{
	static const char *const approval[3] = { "accepted", "processing", "rejected" };
	static const char *const offer[3] = { "no", "pending", "yes" };
	jw_key(w, key);
	jw_object_begin(w);
	write_three(w, "approval_status", approval, s->accepted, s->processing, s->rejected);
	if (not_offered)
		write_three(w, "approval_status_for_contract_not_offered", approval, s->not_offered_accepted,
			    s->not_offered_processing, s->not_offered_rejected);
	write_three(w, "offer_status", offer, s->offer_no, s->offer_pending, s->offer_yes);
	jw_kv_cstr(w, "timestamp", timestamp);
	jw_object_end(w);
}

struct str landlord_url(struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *path;
	va_start(ap, fmt);
	path = arena_vprintf(ctx->req->arena, fmt, ap);
	va_end(ap);
	return str_from_cstr(arena_printf(ctx->req->arena, "%s%s", app_config(ctx->app)->public_url, path));
}

int landlord_query_id(struct ctx *ctx, const char *name, bool required, int64_t *out)
{
	struct str v = query_get(&ctx->query, name);
	*out = 0;
	if (!v.ptr || v.len == 0) {
		if (required)
			return error_field(ctx->err, name, RULE_REQUIRED, "this query parameter is required");
		return 0;
	}
	if (str_to_int64(v, out) < 0 || *out <= 0)
		return error_field(ctx->err, name, RULE_TYPE, "must be a positive integer");
	return 0;
}

int landlord_string_array(struct ctx *ctx, struct jr *r, const char *key, unsigned flags, size_t max_items,
			  size_t max_len, struct str **out, size_t *n)
{
	json_t *arr;
	int rc = jr_array(r, key, flags, max_items, &arr);

	*out = NULL;
	*n = 0;
	if (rc != JR_SET)
		return rc;
	*out = arena_alloc(ctx->req->arena, (json_array_size(arr) + 1) * sizeof(**out));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		const char *path = arena_printf(ctx->req->arena, "%s[%zu]", jr_path(r, key), i);
		if (!json_is_string(v)) {
			error_field(ctx->err, path, RULE_TYPE, "expected a string");
			continue;
		}
		if (json_string_length(v) == 0 || utf8_length((struct str){ json_string_value(v), json_string_length(v) }) > max_len) {
			error_field(ctx->err, path, RULE_LENGTH, "must be 1 to %zu characters long", max_len);
			continue;
		}
		(*out)[(*n)++] = (struct str){ json_string_value(v), json_string_length(v) };
	}
	return error_failed(ctx->err) ? JR_INVALID : JR_SET;
}

void landlord_query_bool(struct ctx *ctx, const char *key, bool *out)
{
	struct str v = query_get(&ctx->query, key);
	*out = false;
	if (!v.ptr)
		return;
	if (str_eq_cstr(v, "true") || str_eq_cstr(v, "True") || str_eq_cstr(v, "1"))
		*out = true;
	else if (!str_eq_cstr(v, "false") && !str_eq_cstr(v, "False") && !str_eq_cstr(v, "0"))
		error_field(ctx->err, key, RULE_TYPE, "must be true or false");
}

void landlord_query_range(struct ctx *ctx, const char *key, int64_t min, int64_t max, int64_t def, int64_t *out)
{
	struct str v = query_get(&ctx->query, key);
	*out = def;
	if (!v.ptr)
		return;
	if (str_to_int64(v, out) < 0) {
		error_field(ctx->err, key, RULE_TYPE, "must be an integer");
	} else if (*out < min || *out > max) {
		error_field(ctx->err, key, RULE_RANGE, "must be between %lld and %lld", (long long)min,
			    (long long)max);
	}
}
