/*
 * system.c — operational endpoints, outside the three API dialects.
 *
 *   GET /healthz  the process is up and answering (no dependency is touched)
 *   GET /readyz   the database answers and its schema is fully migrated
 *
 * and, only when the server was started with --test-clock (docs/DECISIONS.md), the test clock:
 *
 *   GET  /test-clock   {"now": "2027-01-14T12:00:05Z", "advancedSeconds": 86400}
 *   POST /test-clock   {"advanceSeconds": N} (1 ≤ N ≤ ten years): the server's time moves forward
 *                      by N seconds, the job workers are woken (a deadline passed is acted on at
 *                      once); answers as GET. Bad input is the landlord dialect's 412.
 */
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "dialects/dialects.h"
#include "json/json_read.h"

static int get_healthz(struct ctx *ctx)
{
	struct jw *w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_cstr(w, "status", "ok");
	jw_kv_cstr(w, "version", RENTD_VERSION);
	jw_object_end(w);
	return 0;
}

static int get_readyz(struct ctx *ctx)
{
	int64_t version;
	const char *backend;
	struct jw *w;

	if (core_ready(ctx->core, &version, &backend, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_cstr(w, "status", "ready");
	jw_kv_cstr(w, "database", backend);
	jw_kv_int(w, "schema_version", version);
	jw_object_end(w);
	return 0;
}

#define TEST_CLOCK_MAX_ADVANCE (10LL * 366 * 86400)

static int write_test_clock(struct ctx *ctx, int64_t now_us)
{
	time_t secs = (time_t)(now_us / 1000000);
	char when[32];
	struct tm tm;
	struct jw *w;

	gmtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_cstr(w, "now", when);
	jw_kv_int(w, "advancedSeconds", clock_advanced_us() / 1000000);
	jw_object_end(w);
	return 0;
}

static int get_test_clock(struct ctx *ctx)
{
	return write_test_clock(ctx, core_now_us());
}

static int post_test_clock(struct ctx *ctx)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	int64_t secs = 0, now;

	if (jr_int(&r, "advanceSeconds", JR_REQUIRED, 1, TEST_CLOCK_MAX_ADVANCE, &secs) != JR_SET)
		return -1;
	now = core_clock_advance(ctx->core, secs);
	log_warn("test clock: moved forward by %lld s (%lld s in all): the server's time is now %lld",
		 (long long)secs, (long long)(clock_advanced_us() / 1000000), (long long)(now / 1000000));
	return write_test_clock(ctx, now);
}

int system_add_test_clock(struct app *app, const struct config *cfg)
{
	static const struct route routes[] = {
		{ HTTP_GET, "/test-clock", get_test_clock, DIALECT_LANDLORD, 0 },
		{ HTTP_POST, "/test-clock", post_test_clock, DIALECT_LANDLORD, ROUTE_JSON },
	};

	if (!cfg->test_clock)
		return 0;
	log_warn("TEST CLOCK ON (--test-clock): POST /test-clock moves this server's time forward; "
		 "for tests only, never in production");
	return app_add_routes(app, routes, sizeof(routes) / sizeof(routes[0]));
}

const struct route system_routes[] = {
	{ HTTP_GET, "/healthz", get_healthz, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/readyz", get_readyz, DIALECT_LANDLORD, 0 },
};
const size_t system_routes_count = sizeof(system_routes) / sizeof(system_routes[0]);
