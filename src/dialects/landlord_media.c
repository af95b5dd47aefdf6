/*
 * Media (homeq.md §11d, §15 rules 25–28): file references, the signed upload endpoint,
 * and the stored files and thumbnails themselves.
 *
 *   POST /api/v1/file_reference/             create a reference (201 + signed_url, or 200: exists)
 *   GET  /api/v1/file_reference/{id}/        our extension: state and URL of a reference
 *   PUT  /media/upload/{id}?expires=&signature=   the signed URL (no Authorization)
 *   GET  /media/{category}/{name}            an original  (ETag, If-None-Match, Range)
 *   GET  /media/{width}/{category}/{name}    a thumbnail, the seed's URL rule
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/media/media.h"
#include "core/media/storage.h"
#include "dialects/dialects.h"

static const char *absolute(struct ctx *ctx, struct str path)
{
	return arena_printf(ctx->req->arena, "%s%.*s", app_config(ctx->app)->public_url, STR_FMT(path));
}

/* ---- file references ---- */

static struct str json_str(json_t *body, const char *key, int *wrong_type)
{
	json_t *v = body ? json_object_get(body, key) : NULL;
	if (!v || json_is_null(v))
		return STR_NULL;
	if (!json_is_string(v)) {
		*wrong_type = 1;
		return STR_LIT("");
	}
	return (struct str){ json_string_value(v), json_string_length(v) };
}

/* An integer, or a numeric string (G-04); 0 when missing or anything else. */
static int64_t json_length(json_t *body)
{
	json_t *v = body ? json_object_get(body, "content_length") : NULL;
	int64_t n = 0;
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_string(v) && str_to_int64((struct str){ json_string_value(v), json_string_length(v) }, &n) == 0)
		return n;
	return 0;
}

static int post_file_reference(struct ctx *ctx)
{
	struct media_reference_input in;
	struct media_reference_result res;
	json_t *body = json_is_object(ctx->body) ? ctx->body : NULL;
	int ignored = 0, bad_name = 0;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_ANY) < 0)
		return -1;
	memset(&in, 0, sizeof(in));
	in.entity_type = json_str(body, "entity_type", &ignored);
	in.mime_type = json_str(body, "mime_type", &ignored);
	in.content_md5 = json_str(body, "content_md5", &ignored);
	in.content_name = json_str(body, "content_name", &bad_name);
	in.content_length = json_length(body);
	if (bad_name)
		error_field(ctx->err, "content_name", RULE_TYPE, "must be a string");
	if (media_reference_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &res, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, res.exists ? 200 : 201);
	jw_object_begin(w);
	jw_kv_str(w, "file_reference", res.id);
	jw_key(w, "headers");
	jw_object_begin(w);
	jw_kv_str(w, "content-md5", res.content_md5);
	jw_kv_str(w, "content-type", res.mime_type);
	jw_kv_cstr(w, "x-amz-acl", "public-read");
	jw_object_end(w);
	if (!res.exists)
		jw_kv_cstr(w, "signed_url", absolute(ctx, res.upload_path));
	jw_object_end(w);
	return 0;
}

static int get_file_reference(struct ctx *ctx)
{
	struct file_reference ref;
	struct str key;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_ANY) < 0 ||
	    media_reference_get(ctx->core, ctx->req->arena, &ctx->caller, route_param(&ctx->params, "id"), &ref, &key,
				ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "file_reference", ref.id);
	jw_kv_str(w, "entity_type", ref.entity_type);
	jw_kv_str(w, "mime_type", ref.mime_type);
	jw_kv_int(w, "content_length", ref.content_length);
	jw_kv_str(w, "content_name", ref.content_name);
	jw_kv_bool(w, "uploaded", ref.stored_file_id != 0);
	if (key.ptr)
		jw_kv_cstr(w, "url", absolute(ctx, str_from_cstr(arena_printf(ctx->req->arena, "/media/%.*s", STR_FMT(key)))));
	else
		jw_kv_null(w, "url");
	jw_object_end(w);
	return 0;
}

/* ---- the signed upload ---- */

static void upload_from_request(struct ctx *ctx, struct media_upload *up)
{
	memset(up, 0, sizeof(*up));
	up->ref_id = route_param(&ctx->params, "id");
	up->expires = query_get(&ctx->query, "expires");
	up->signature = query_get(&ctx->query, "signature");
	up->content_type = request_header(ctx->req, "Content-Type");
	up->content_length = request_header(ctx->req, "Content-Length");
	up->content_md5 = request_header(ctx->req, "Content-MD5");
	up->body = ctx->req->body;
	up->body_file = ctx->req->body_file;
	up->body_len = ctx->req->body_file ? ctx->req->body_file_len : ctx->req->body.len;
}

static int put_upload(struct ctx *ctx)
{
	struct media_upload up;
	struct str key;
	const char *url;
	int rc;
	struct jw *w;

	upload_from_request(ctx, &up);
	if (ctx->headers_only) /* before the body: refuse a bad URL without storing a byte */
		return media_upload_precheck(ctx->core, ctx->req->arena, &up, app_config(ctx->app)->upload_limit,
					     core_now(), &ctx->body_limit, ctx->err);
	rc = media_upload_commit(ctx->core, ctx->req->arena, &up, app_config(ctx->app)->upload_limit, core_now(), &key,
				 ctx->err);
	if (up.body_file_consumed)
		ctx->req->body_file_taken = 1;
	if (rc < 0)
		return -1;
	url = absolute(ctx, str_from_cstr(arena_printf(ctx->req->arena, "/media/%.*s", STR_FMT(key))));
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "file_reference", up.ref_id);
	jw_kv_cstr(w, "url", url);
	jw_object_end(w);
	response_header(ctx->resp, "Location", str_from_cstr(url));
	return 0;
}

/* ---- serving ---- */

/* "<64 hex>.<ext>" → the hex part; STR_NULL when the name is not one of ours. */
static struct str content_name_hash(struct str name, const char *want_ext)
{
	const char *dot = memchr(name.ptr, '.', name.len);
	struct str ext;
	if (!dot || dot - name.ptr != 64)
		return STR_NULL;
	for (size_t i = 0; i < 64; i++)
		if (!((name.ptr[i] >= '0' && name.ptr[i] <= '9') || (name.ptr[i] >= 'a' && name.ptr[i] <= 'f')))
			return STR_NULL;
	ext = (struct str){ dot + 1, name.len - 65 };
	if (want_ext ? !str_eq_cstr(ext, want_ext)
		     : !(str_eq_cstr(ext, "jpg") || str_eq_cstr(ext, "png") || str_eq_cstr(ext, "pdf") ||
			 str_eq_cstr(ext, "mp4") || str_eq_cstr(ext, "mov") || str_eq_cstr(ext, "m4v") ||
			 str_eq_cstr(ext, "webm")))
		return STR_NULL;
	return (struct str){ name.ptr, 64 };
}

enum range_result { RANGE_NONE, RANGE_OK, RANGE_UNSATISFIABLE };

/* One "bytes=" range (RFC 9110 §14.1.2); several ranges or a malformed one: the whole file. */
static enum range_result parse_range(struct str h, uint64_t size, uint64_t *first, uint64_t *last)
{
	struct str spec, a, b;
	const char *dash;
	int64_t x, y;

	if (!h.ptr)
		return RANGE_NONE;
	h = str_trim(h);
	if (!str_has_prefix(h, STR_LIT("bytes=")))
		return RANGE_NONE;
	spec = str_trim((struct str){ h.ptr + 6, h.len - 6 });
	if (memchr(spec.ptr, ',', spec.len) || !(dash = memchr(spec.ptr, '-', spec.len)))
		return RANGE_NONE;
	a = str_trim((struct str){ spec.ptr, (size_t)(dash - spec.ptr) });
	b = str_trim((struct str){ dash + 1, spec.len - (size_t)(dash - spec.ptr) - 1 });
	if (a.len == 0) { /* suffix: the last y bytes */
		if (str_to_int64(b, &y) < 0 || y < 0)
			return RANGE_NONE;
		if (y == 0 || size == 0)
			return RANGE_UNSATISFIABLE;
		*first = (uint64_t)y >= size ? 0 : size - (uint64_t)y;
		*last = size - 1;
		return RANGE_OK;
	}
	if (str_to_int64(a, &x) < 0 || x < 0)
		return RANGE_NONE;
	if (b.len) {
		if (str_to_int64(b, &y) < 0 || y < x)
			return RANGE_NONE;
	} else {
		y = INT64_MAX;
	}
	if ((uint64_t)x >= size)
		return RANGE_UNSATISFIABLE;
	*first = (uint64_t)x;
	*last = (uint64_t)y >= size ? size - 1 : (uint64_t)y;
	return RANGE_OK;
}

static int serve(struct ctx *ctx, const char *key, struct str etag_value)
{
	struct storage_object obj;
	struct str etag = str_from_cstr(arena_printf(ctx->req->arena, "\"%.*s\"", STR_FMT(etag_value)));
	struct str inm = request_header(ctx->req, "If-None-Match");
	uint64_t first = 0, last = 0;
	enum range_result rr;
	int rc = storage_get(ctx->core->storage, key, &obj, ctx->err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such file");
	response_header(ctx->resp, "ETag", etag);
	response_header(ctx->resp, "Cache-Control", STR_LIT("public, max-age=31536000, immutable"));
	response_header(ctx->resp, "Accept-Ranges", STR_LIT("bytes"));
	if (inm.ptr && request_etag_matches(inm, etag)) {
		close(obj.fd);
		ctx_status(ctx, 304);
		return 0;
	}
	rr = parse_range(request_header(ctx->req, "Range"), obj.size, &first, &last);
	if (rr == RANGE_UNSATISFIABLE) {
		close(obj.fd);
		ctx_status(ctx, 416);
		response_header(ctx->resp, "Content-Range",
				str_from_cstr(arena_printf(ctx->req->arena, "bytes */%llu", (unsigned long long)obj.size)));
		return 0;
	}
	ctx->resp->status = 200;
	ctx->resp->content_type = str_from_cstr(media_content_type(str_from_cstr(key)));
	ctx->resp->has_file = 1;
	ctx->resp->file_fd = obj.fd;
	ctx->resp->file_offset = 0;
	ctx->resp->file_len = obj.size;
	if (rr == RANGE_OK) {
		ctx->resp->status = 206;
		ctx->resp->file_offset = first;
		ctx->resp->file_len = last - first + 1;
		response_header(ctx->resp, "Content-Range",
				str_from_cstr(arena_printf(ctx->req->arena, "bytes %llu-%llu/%llu", (unsigned long long)first,
							   (unsigned long long)last, (unsigned long long)obj.size)));
	}
	return 0;
}

static int get_media(struct ctx *ctx)
{
	struct str category = route_param(&ctx->params, "category");
	struct str name = route_param(&ctx->params, "name");
	struct str hash = content_name_hash(name, NULL);

	if (!media_category_find(category) || !hash.ptr)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such file");
	return serve(ctx, arena_printf(ctx->req->arena, "%.*s/%.*s", STR_FMT(category), STR_FMT(name)), hash);
}

static int get_media_thumbnail(struct ctx *ctx)
{
	int64_t width = route_param_int(&ctx->params, "width");
	struct str category = route_param(&ctx->params, "category");
	struct str name = route_param(&ctx->params, "name");
	const struct media_entity *e = media_category_find(category);
	struct str hash = content_name_hash(name, "jpeg");
	bool known = false;

	for (int i = 0; i < MEDIA_THUMB_COUNT; i++)
		known |= media_thumb_widths[i] == width;
	if (!known || !e || !e->thumbnails || !hash.ptr)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "no such thumbnail");
	return serve(ctx,
		     arena_printf(ctx->req->arena, "%lld/%.*s/%.*s", (long long)width, STR_FMT(category), STR_FMT(name)),
		     str_from_cstr(arena_printf(ctx->req->arena, "%lld-%.*s", (long long)width, STR_FMT(hash))));
}

#define L DIALECT_LANDLORD
#define J ROUTE_JSON

const struct route landlord_media_routes[] = {
	{ HTTP_POST, "/api/v1/file_reference", post_file_reference, L, J },
	{ HTTP_GET, "/api/v1/file_reference/{id}", get_file_reference, L, 0 },
	{ HTTP_PUT, "/media/upload/{id}", put_upload, L, ROUTE_UPLOAD },
	{ HTTP_GET, "/media/{category}/{name}", get_media, L, 0 },
	{ HTTP_GET, "/media/{width:int}/{category}/{name}", get_media_thumbnail, L, 0 },
};
const size_t landlord_media_routes_count = sizeof(landlord_media_routes) / sizeof(landlord_media_routes[0]);
