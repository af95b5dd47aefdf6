/*
 * system.c — operational endpoints, outside the three API dialects.
 *
 *   GET /healthz  the process is up and answering (no dependency is touched)
 *   GET /readyz   the database answers and its schema is fully migrated
 */
#include "dialects/dialects.h"

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

const struct route system_routes[] = {
	{ HTTP_GET, "/healthz", get_healthz, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/readyz", get_readyz, DIALECT_LANDLORD, 0 },
};
const size_t system_routes_count = sizeof(system_routes) / sizeof(system_routes[0]);
