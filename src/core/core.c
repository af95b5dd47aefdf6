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
	c->card_counts = memo_new(CORE_CARD_COUNT_SLOTS, sizeof(int64_t));
	c->listing_views = memo_new(CORE_LISTING_VIEW_SLOTS, CORE_LISTING_VIEW_MAX);
	return c->pool && c->card_counts && c->listing_views ? 0 : -1;
}

void core_fini(struct core *c)
{
	workpool_destroy(c->pool);
	c->pool = NULL;
	memo_free(c->card_counts);
	memo_free(c->listing_views);
	c->card_counts = c->listing_views = NULL;
}

int64_t core_now(void)
{
	return (int64_t)time(NULL);
}
