/*
 * market.c — the market dialect's shared writers (market.h) and GET /assets/app-settings.json.
 */
#include "dialects/market.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/listings/listings.h"
#include "dialects/dialects.h"

/* An Accept-Language weight in thousandths ("q=0.8" → 800; RFC 9110 §12.4.2); -1 when malformed. */
static int qvalue(struct str v)
{
	int q = 0, scale = 1000;

	if (!v.len || (v.ptr[0] != '0' && v.ptr[0] != '1'))
		return -1;
	q = (v.ptr[0] - '0') * 1000;
	if (v.len == 1)
		return q;
	if (v.ptr[1] != '.' || v.len > 5)
		return -1;
	for (size_t i = 2; i < v.len; i++) {
		if (v.ptr[i] < '0' || v.ptr[i] > '9')
			return -1;
		scale /= 10;
		q += (v.ptr[i] - '0') * scale;
	}
	return q <= 1000 ? q : -1;
}

enum lang market_accept_language(struct str header)
{
	enum lang best = LANG_SV;
	int best_q = 0;

	for (size_t i = 0; header.ptr && i < header.len;) {
		size_t start = i, tag_end;
		struct str item, tag, params;
		int q = 1000;

		while (i < header.len && header.ptr[i] != ',')
			i++;
		item = str_trim((struct str){ header.ptr + start, i - start });
		i++; /* past the comma */
		for (tag_end = 0; tag_end < item.len && item.ptr[tag_end] != ';'; tag_end++)
			;
		tag = str_trim((struct str){ item.ptr, tag_end });
		params = (struct str){ item.ptr + tag_end, item.len - tag_end };
		while (params.len && params.ptr[0] == ';') { /* ";q=0.8", possibly with spaces */
			size_t n = 1;
			struct str p;
			while (n < params.len && params.ptr[n] != ';')
				n++;
			p = str_trim((struct str){ params.ptr + 1, n - 1 });
			if (p.len >= 2 && (p.ptr[0] == 'q' || p.ptr[0] == 'Q') && p.ptr[1] == '=')
				q = qvalue(str_trim((struct str){ p.ptr + 2, p.len - 2 }));
			params = (struct str){ params.ptr + n, params.len - n };
		}
		if (tag.len > 2 && tag.ptr[2] == '-') /* the primary subtag: "en-GB" is English */
			tag.len = 2;
		if (q <= best_q) /* not wanted, malformed, or no more wanted than the best so far (which came first) */
			continue;
		if (str_case_eq(tag, STR_LIT("sv")) || str_case_eq(tag, STR_LIT("en"))) {
			best = str_case_eq(tag, STR_LIT("en")) ? LANG_EN : LANG_SV;
			best_q = q;
		}
	}
	return best;
}

enum lang market_language(struct ctx *ctx)
{
	return market_accept_language(request_header(ctx->req, "Accept-Language"));
}

void market_content_language(struct ctx *ctx, enum lang lang)
{
	response_header(ctx->resp, "Content-Language", lang == LANG_EN ? STR_LIT("en") : STR_LIT("sv"));
	response_header(ctx->resp, "Vary", STR_LIT("Accept-Language"));
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

void market_f1(struct jw *w, int64_t ms, bool with_offset)
{
	char buf[48];
	if (with_offset) {
		int64_t off = listings_stockholm_offset(floor_div(ms, 1000));
		snprintf(buf, sizeof(buf), "/Date(%lld+%02lld%02lld)/", (long long)ms, (long long)(off / 3600),
			 (long long)(off % 3600 / 60));
	} else {
		snprintf(buf, sizeof(buf), "/Date(%lld)/", (long long)ms);
	}
	jw_cstr(w, buf);
}

/* Stockholm local civil time of t (seconds) and its offset. */
static void local_tm(int64_t secs, struct tm *tm, int64_t *off)
{
	time_t t;
	*off = listings_stockholm_offset(secs);
	t = (time_t)(secs + *off);
	gmtime_r(&t, tm);
}

void market_f2_text(int64_t ms, char *buf, size_t cap)
{
	int64_t secs = floor_div(ms, 1000), frac = ms - secs * 1000, off;
	struct tm tm;
	char f[8] = "";
	size_t n;

	local_tm(secs, &tm, &off);
	if (frac) {
		snprintf(f, sizeof(f), ".%03lld", (long long)frac);
		n = strlen(f);
		while (n > 1 && f[n - 1] == '0')
			f[--n] = '\0';
	}
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d%s+%02lld:%02lld", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, f, (long long)(off / 3600), (long long)(off % 3600 / 60));
}

void market_f3_text(int64_t secs, char *buf, size_t cap)
{
	char text[17];
	listings_minute_of(secs, text);
	snprintf(buf, cap, "%s", text);
}

void market_f2(struct jw *w, int64_t ms)
{
	char buf[48];
	market_f2_text(ms, buf, sizeof(buf));
	jw_cstr(w, buf);
}

void market_f3(struct jw *w, int64_t secs)
{
	char buf[32];
	market_f3_text(secs, buf, sizeof(buf));
	jw_cstr(w, buf);
}

void market_id(struct jw *w, int64_t id)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	jw_cstr(w, buf);
}

void market_decimal4(struct jw *w, double v)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.4f", v);
	if (n <= 0 || (size_t)n >= sizeof(buf) || strchr(buf, 'n') || strchr(buf, 'i')) {
		jw_null(w); /* NaN or infinity: not a JSON number */
		return;
	}
	jw_raw(w, (struct str){ buf, (size_t)n });
}

/* "2", "1,5" (a Swedish decimal comma, M-03). */
static const char *rooms_text(struct arena *a, double rooms)
{
	char *s = arena_printf(a, "%g", rooms);
	char *dot = strchr(s, '.');
	if (dot)
		*dot = ',';
	return s;
}

void market_rooms_names(struct arena *a, struct jw *w, double rooms, bool with_short)
{
	const char *n = rooms_text(a, rooms);
	if (rooms <= 0)
		return;
	jw_kv_cstr(w, "roomsDisplayName", arena_printf(a, "%s rum och kök", n));
	if (with_short)
		jw_kv_cstr(w, "shortRoomsDisplayName", arena_printf(a, "%s ROK", n));
}

/*
 * areaPath: the municipality, then its county (the market's regions; locationAreaDisplayName
 * matches them). A region's id is its name: the names are unique in Sweden and are what the
 * filter takes.
 */
void market_area_path(struct jw *w, struct str municipality, struct str county)
{
	const struct str names[2] = { municipality, county };
	jw_key(w, "areaPath");
	jw_array_begin(w);
	for (int i = 0; i < 2; i++) {
		if (!names[i].len)
			continue;
		jw_object_begin(w);
		jw_kv_str(w, "id", names[i]);
		jw_kv_str(w, "displayName", names[i]);
		jw_object_end(w);
	}
	jw_array_end(w);
}

int market_applicant(struct ctx *ctx, struct applicant *ap)
{
	if (ctx_auth(ctx, AUTH_APPLICANT) < 0)
		return -1;
	return applicant_load(ctx->core, ctx->req->arena, &ctx->caller, ap, ctx->err);
}

int market_body(struct ctx *ctx, struct jr *r)
{
	if (!ctx->body || !json_is_object(ctx->body))
		return error_field(ctx->err, "", RULE_TYPE, "the body must be a JSON object");
	*r = jr_root(ctx->err, ctx->body);
	return 0;
}

/*
 * GET /assets/app-settings.json — the portal's bootstrap file (decisions.md M-33, momentum.md
 * B.1): clients read apiBaseUrl and xApiKey from it, then call {apiBaseUrl}v2/… with the key.
 */
static int get_app_settings(struct ctx *ctx)
{
	const struct config *cfg = app_config(ctx->app);
	struct jw *w = ctx_json(ctx, 200);

	jw_object_begin(w);
	jw_kv_cstr(w, "apiBaseUrl", arena_printf(ctx->req->arena, "%s/", cfg->public_url));
	jw_kv_cstr(w, "xApiKey", cfg->market_api_key);
	jw_kv_cstr(w, "appInstanceId", "rentd");
	jw_kv_cstr(w, "appVersion", RENTD_VERSION);
	jw_object_end(w);
	return 0;
}

const struct route market_routes[] = {
	{ HTTP_GET, "/assets/app-settings.json", get_app_settings, DIALECT_MARKET, 0 },
};
const size_t market_routes_count = sizeof(market_routes) / sizeof(market_routes[0]);
