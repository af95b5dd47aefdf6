#include "core/identity/ratelimit.h"

#include "store/identity/store_ratelimit.h"

int ratelimit_hit(struct core *c, struct str key, int64_t limit, int64_t window, struct error *err)
{
	int retry_after, rc = store_rate_hit(c->store, key, core_now(), window, limit, &retry_after, err);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		error_set(err, ERROR_RATE_LIMITED, "RateLimited", NULL);
		err->retry_after = retry_after;
		return -1;
	}
	return 0;
}
