#include "core/core.h"

#include <sodium.h>

#include "base/clock.h"
#include "base/log.h"

static int writer_begin(void *arg)
{
	struct core *c = arg;
	struct error err;
	error_init(&err, NULL);
	if (store_begin(c->store, &err) < 0) {
		log_warn("group commit: cannot begin: %s", err.message ? err.message : "failed");
		return -1;
	}
	return 0;
}

static int writer_end(void *arg, int ok)
{
	struct core *c = arg;
	struct error err;
	error_init(&err, NULL);
	if (!ok)
		return -1;
	if (store_commit(c->store, &err) < 0) { /* rolled back */
		log_warn("group commit: cannot commit: %s", err.message ? err.message : "failed");
		return -1;
	}
	return 0;
}

int core_init(struct core *c, struct store *store, unsigned pool_threads)
{
	if (sodium_init() < 0)
		return -1;
	c->store = store;
	if (c->token_ttl <= 0)
		c->token_ttl = 24 * 3600;
	c->pool = workpool_create(pool_threads);
	c->writer = workpool_create_batched(&(struct workpool_batch){ c, writer_begin, writer_end }, CORE_WRITER_BATCH_MAX);
	c->card_counts = memo_new(CORE_CARD_COUNT_SLOTS, sizeof(int64_t));
	c->listing_views = memo_new(CORE_LISTING_VIEW_SLOTS, CORE_LISTING_VIEW_MAX);
	c->card_pages = memo_new(CORE_CARD_PAGE_SLOTS, CORE_CARD_PAGE_MAX);
	c->market_cursors = memo_new(CORE_MARKET_CURSOR_SLOTS, 2 * sizeof(int64_t));
	c->inventory_pages = memo_new(CORE_INVENTORY_PAGE_SLOTS, CORE_INVENTORY_PAGE_MAX);
	c->callers = memo_new(CORE_CALLER_SLOTS, CORE_CALLER_MAX);
	return c->pool && c->card_counts && c->listing_views && c->card_pages && c->market_cursors &&
			       c->inventory_pages && c->callers
		       ? 0
		       : -1;
}

void core_fini(struct core *c)
{
	workpool_destroy(c->pool);
	workpool_destroy(c->writer);
	c->pool = c->writer = NULL;
	memo_free(c->card_counts);
	memo_free(c->listing_views);
	memo_free(c->card_pages);
	memo_free(c->market_cursors);
	memo_free(c->inventory_pages);
	memo_free(c->callers);
	c->card_counts = c->listing_views = c->card_pages = c->market_cursors = c->inventory_pages = c->callers = NULL;
}

uint64_t core_kept_epoch(struct core *c)
{
	return store_kept_epoch(c->store);
}

void core_clock_set(int64_t us)
{
	clock_fix(us);
}

int64_t core_clock_advance(struct core *c, int64_t secs)
{
	int64_t now = clock_advance(secs * 1000000);

	/* a job that has just come due runs now, not at the workers' next look (jobs.h) */
	if (c && c->jobs_wake)
		c->jobs_wake(c->jobs_wake_arg);
	return now;
}

int64_t core_now_us(void)
{
	return clock_now_us();
}

int64_t core_now(void)
{
	return core_now_us() / 1000000;
}

int core_ready(struct core *c, int64_t *version, const char **backend, struct error *err)
{
	int rc = -1;

	if (store_schema_version(c->store, version, err) < 0) {
		err->kind = ERROR_UNAVAILABLE; /* whatever failed, the answer is "not ready" */
		err->retry_after = 1;
		goto out;
	}
	if (*version < store_schema_latest()) {
		error_set(err, ERROR_UNAVAILABLE, NULL, "database schema is at %lld, %lld expected",
			  (long long)*version, (long long)store_schema_latest());
		err->retry_after = 5;
		goto out;
	}
	*backend = store_backend(c->store);
	rc = 0;
out:
	return rc;
}
