/*
 * store_ratelimit.h — request counting for rate limits, shared by every process.
 *
 * A sliding window log: each allowed request of a key is one row that expires
 * `window` seconds later, so the count is exact at any moment (no burst at a
 * window boundary). At most `limit` rows live per key; expired rows of every key
 * are removed as hits arrive. One hit is one short write transaction.
 */
#ifndef RENTD_STORE_RATELIMIT_H
#define RENTD_STORE_RATELIMIT_H

#include <stdint.h>

#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/*
 * Counts one request of key at now (unix seconds) if fewer than limit requests
 * of key fall within the last window seconds. Returns 0 (counted), 1 (over the
 * limit: nothing counted, *retry_after = seconds until a slot frees, >= 1) or -1
 * (err filled). Must not be called inside store_begin()/store_commit().
 */
int store_rate_hit(struct store *s, struct str key, int64_t now, int64_t window, int64_t limit,
		   int *retry_after, struct error *err);

#endif
