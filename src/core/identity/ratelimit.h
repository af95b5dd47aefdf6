/*
 * ratelimit.h — per-key request limits (decisions.md H-39).
 *
 * The count lives in the store (store_ratelimit.h), so every rentd process on
 * the same database agrees. Keys name what is limited and for whom:
 * "staticmap:user:<id>" for a token's user, "staticmap:addr:<ip>" when anonymous.
 */
#ifndef RENTD_RATELIMIT_H
#define RENTD_RATELIMIT_H

#include <stdint.h>

#include "base/error.h"
#include "base/str.h"
#include "core/core.h"

/* The static map: 60 requests a minute (H-39). */
#define RATELIMIT_STATICMAP_LIMIT 60
#define RATELIMIT_STATICMAP_WINDOW 60

/*
 * Counts one request of key. 0 when within limit requests per window seconds,
 * else -1 with ERROR_RATE_LIMITED "RateLimited" and err->retry_after set (or
 * another error from the store).
 */
int ratelimit_hit(struct core *c, struct str key, int64_t limit, int64_t window, struct error *err);

#endif
