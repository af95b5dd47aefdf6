/*
 * landlord_geo.c — HomeQ geography endpoints (homeq.md §5, §11a; decisions.md H-25,
 * H-33, H-34, H-37, H-39).
 *
 *   POST /api/v1/geo/estimate    address → estimated position, county, municipality
 *   POST /api/v1/geo/lookup      position → county, municipality
 *   GET  /api/v1/static_map/     PNG map centred on a position (public, 60/min)
 *   GET  /api/v2/static_map/     the same operation (H-25)
 *
 * The geo data (core/geo/geo.h) is loaded on the first request that needs it, from
 * core->geo_dir (--geo-dir), else $RENTD_GEO_DIR, else "data/geo"; the first such
 * request waits for it (0.5–2 s). Missing data is 503, its detail logged.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "core/geo/geo.h"
#include "core/identity/ratelimit.h"
#include "core/geo/staticmap.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

static int geo_ready(struct ctx *ctx)
{
	const char *dir = ctx->core->geo_dir && *ctx->core->geo_dir ? ctx->core->geo_dir : getenv("RENTD_GEO_DIR");

	if (geo_loaded())
		return 0;
	if (geo_load(dir && *dir ? dir : "data/geo", ctx->err) < 0) {
		/* missing data is the deployment's fault, not the request's: 503, detail logged */
		ctx->err->kind = ERROR_UNAVAILABLE;
		return -1;
	}
	return 0;
}

/* ---- POST /api/v1/geo/estimate ---- */

static const char *match_name(enum geo_match m)
{
	switch (m) {
	case GEO_MATCH_POSTAL: return "zip_code";
	case GEO_MATCH_MUNICIPALITY: return "municipality";
	case GEO_MATCH_LOCALITY: return "postal_town";
	case GEO_MATCH_NONE: break;
	}
	return "none";
}

static bool all_digits(struct str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return true;
}

static int post_estimate(struct ctx *ctx)
{
	struct str city, street_name, street_number, zip = STR_NULL;
	struct geo_estimate e;
	struct jr r;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "city", JR_REQUIRED, 1, 128, &city);
	jr_string(&r, "street_name", JR_REQUIRED, 1, 128, &street_name);
	jr_string(&r, "street_number", JR_REQUIRED, 1, 128, &street_number);
	if (jr_string(&r, "zip_code", JR_NULLABLE, 0, 5, &zip) == JR_SET && zip.len &&
	    (zip.len != 5 || !all_digits(zip)))
		error_field(ctx->err, "zip_code", RULE_PATTERN, "must be five digits");
	if (error_failed(ctx->err))
		return -1;
	if (geo_ready(ctx) < 0)
		return -1;
	/* the data has no street addresses: the street only has to be present */
	if (geo_estimate(zip, city, &e) < 0)
		return error_set(ctx->err, ERROR_NOT_FOUND, "NotFound",
				 "Neither zip_code nor city is a known Swedish postal code, municipality or postal town.");
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "county", str_from_cstr(e.county_name));
	jw_kv_bool(w, "estimate", true);
	jw_kv_double(w, "latitude", e.latitude);
	jw_kv_double(w, "longitude", e.longitude);
	jw_kv_str(w, "match", str_from_cstr(match_name(e.match)));
	jw_kv_str(w, "municipality", str_from_cstr(e.municipality_name));
	jw_object_end(w);
	return 0;
}

/* ---- POST /api/v1/geo/lookup ---- */

static int post_lookup(struct ctx *ctx)
{
	double lat = 0, lon = 0;
	struct geo_place p;
	struct jr r;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_double(&r, "latitude", JR_REQUIRED, -90, 90, &lat);
	jr_double(&r, "longitude", JR_REQUIRED, -180, 180, &lon);
	if (error_failed(ctx->err))
		return -1;
	if (geo_ready(ctx) < 0)
		return -1;
	geo_lookup(lat, lon, &p);
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_bool(w, "complete", p.complete);
	jw_kv_str(w, "county", str_from_cstr(p.county_name));
	jw_kv_str(w, "municipality", str_from_cstr(p.municipality_name));
	jw_object_end(w);
	return 0;
}

/* ---- GET /api/v1|v2/static_map/ ---- */

/* A query number: decimal, finite. false (field error recorded) when malformed. */
static bool query_double(struct ctx *ctx, const char *name, bool *present, double *out)
{
	struct str v = query_get(&ctx->query, name);
	char *s, *end;

	*present = v.ptr && v.len;
	if (!*present)
		return true;
	s = arena_strdup_str(ctx->req->arena, v);
	errno = 0;
	*out = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(*out) || v.len > 64) {
		error_field(ctx->err, name, RULE_TYPE, "must be a number");
		return false;
	}
	return true;
}

/* A query integer in [min, max], or def when absent. */
static void query_int(struct ctx *ctx, const char *name, int64_t def, int64_t min, int64_t max, int *out)
{
	struct str v = query_get(&ctx->query, name);
	int64_t n = def;

	if (v.ptr && v.len && str_to_int64(v, &n) < 0) {
		error_field(ctx->err, name, RULE_TYPE, "must be an integer");
		return;
	}
	if (n < min || n > max) {
		error_field(ctx->err, name, RULE_RANGE, "must be an integer from %lld to %lld", (long long)min,
			    (long long)max);
		return;
	}
	*out = (int)n;
}

static void query_coord(struct ctx *ctx, const char *name, double limit, double *out)
{
	bool present;

	if (!query_double(ctx, name, &present, out))
		return;
	if (!present)
		error_field(ctx->err, name, RULE_REQUIRED, "this query parameter is required");
	else if (!(*out >= -limit && *out <= limit))
		error_field(ctx->err, name, RULE_RANGE, "must be a number from %g to %g", -limit, limit);
}

static int get_static_map(struct ctx *ctx)
{
	struct staticmap_params p = { 0 };
	struct str key;
	int64_t company;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0)
		return -1;
	/* every request counts, malformed ones too: they cost us as much to refuse */
	if (ctx->caller.kind != CALLER_ANONYMOUS)
		key = str_from_cstr(arena_printf(ctx->req->arena, "staticmap:user:%lld", (long long)ctx->caller.user.id));
	else
		key = str_from_cstr(arena_printf(ctx->req->arena, "staticmap:addr:%.*s", STR_FMT(ctx->req->client_addr)));
	if (ratelimit_hit(ctx->core, key, RATELIMIT_STATICMAP_LIMIT, RATELIMIT_STATICMAP_WINDOW, ctx->err) < 0)
		return -1;

	/* the company is only attribution: not looked up, so ids cannot be probed (docs/DECISIONS.md) */
	landlord_query_id(ctx, "company", true, &company);
	query_coord(ctx, "latitude", STATICMAP_MAX_LAT, &p.latitude);
	query_coord(ctx, "longitude", 180, &p.longitude);
	query_int(ctx, "zoom", 8, STATICMAP_MIN_ZOOM, STATICMAP_MAX_ZOOM, &p.zoom);
	query_int(ctx, "width", 715, STATICMAP_MIN_SIZE, STATICMAP_MAX_SIZE, &p.width);
	query_int(ctx, "height", 210, STATICMAP_MIN_SIZE, STATICMAP_MAX_SIZE, &p.height);
	/* rentd's extension: pin=false draws the map alone (the portal marks its own points) */
	{
		struct str pin = query_get(&ctx->query, "pin");
		if (pin.ptr && (str_eq_cstr(pin, "false") || str_eq_cstr(pin, "0")))
			p.no_pin = true;
		else if (pin.ptr && !str_eq_cstr(pin, "true") && !str_eq_cstr(pin, "1"))
			error_field(ctx->err, "pin", RULE_TYPE, "must be true or false");
	}
	if (error_failed(ctx->err))
		return -1;
	if (geo_ready(ctx) < 0)
		return -1;
	ctx->resp->status = 200;
	ctx->resp->content_type = STR_LIT("image/png");
	buf_init(&ctx->resp->body, ctx->req->arena, 16384);
	if (staticmap_render(&p, &ctx->resp->body, ctx->err) < 0)
		return -1;
	response_header(ctx->resp, "Cache-Control", STR_LIT("public, max-age=86400"));
	return 0;
}

/* designated: the table does not depend on struct route's later members */
#define GEO_ROUTE(m, p, fn, fl) { .method = (m), .pattern = (p), .handler = (fn), .dialect = DIALECT_LANDLORD, .flags = (fl) }
const struct route landlord_geo_routes[] = {
	GEO_ROUTE(HTTP_POST, "/api/v1/geo/estimate", post_estimate, ROUTE_JSON),
	GEO_ROUTE(HTTP_POST, "/api/v1/geo/lookup", post_lookup, ROUTE_JSON),
	GEO_ROUTE(HTTP_GET, "/api/v1/static_map", get_static_map, 0),
	GEO_ROUTE(HTTP_GET, "/api/v2/static_map", get_static_map, 0),
};
const size_t landlord_geo_routes_count = sizeof(landlord_geo_routes) / sizeof(landlord_geo_routes[0]);
