#include "core/core.h"

#include <sodium.h>
#include <time.h>

int core_init(struct core *c, struct store *store, unsigned pool_threads)
{
	if (sodium_init() < 0)
		return -1;
	c->store = store;
	if (c->token_ttl <= 0)
		c->token_ttl = 24 * 3600;
	c->pool = workpool_create(pool_threads);
	return 0;
}

void core_fini(struct core *c)
{
	workpool_destroy(c->pool);
	c->pool = NULL;
}

int64_t core_now(void)
{
	return (int64_t)time(NULL);
}
