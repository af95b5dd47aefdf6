/*
 * core.h — the business layer's shared context.
 *
 * One struct core per process: the store, the signing keys, the token lifetime and
 * the pool that runs password hashing. Every core_* function takes it first. The
 * core never sees HTTP or wire JSON; it takes plain arguments and fills plain
 * structs and a struct error.
 */
#ifndef RENTD_CORE_H
#define RENTD_CORE_H

#include <stdint.h>

#include "base/memo.h"
#include "base/workpool.h"
#include "core/contracts/contract_key.h"
#include "core/identity/secrets.h"
#include "store/store.h"

struct storage;

struct core {
	struct store *store;
	struct secrets secrets;
	struct contract_key contract_key; /* seals signed contracts (core/contracts/contract_key.h) */
	int64_t token_ttl; /* seconds */
	struct workpool *pool;
	/*
	 * The group commit: a batched pool (base/workpool.h) whose thread runs every queued
	 * write job inside one transaction and commits once, so a burst of small writes (10,000
	 * applicants applying at once) shares each fsync. A job brackets its writes with
	 * store_savepoint()/_release() and takes them back with store_savepoint_rollback() when
	 * it fails; job->failed is set when the batch's commit failed.
	 */
	struct workpool *writer;
	const char *geo_dir; /* data/geo/ of the source tree (geo_load); NULL: "data/geo" */
	struct storage *storage; /* media bytes (core/media/storage.h); owned by the server (wiring/server.c) */
	/* called after a commit that queued a background job (jobs/ sets it; NULL: none) */
	void (*jobs_wake)(void *arg);
	void *jobs_wake_arg;
	/* e-mail (core/accounts/notify.h), pointing into the server's configuration */
	const char *public_url; /* base of the links in e-mails */
	const char *smtp_url;   /* smtp:// or smtps://; "": e-mails are handed to the log */
	const char *smtp_from;  /* the sender address */
	struct memo *card_counts; /* search counts while their card_generation holds (core/listings/cards.c) */
	/* rendered public listing views while their listing_view_version holds (core/listings/listings.h) */
	struct memo *listing_views;
	/* rendered search pages while their card_generation holds: the market's objects
	 * (dialects/market_objects.c) and the landlord dialect's cards (dialects/landlord_cards.c) */
	struct memo *card_pages;
	/*
	 * rendered inventory pages while nothing in the database changed (the kept epoch:
	 * core_kept_epoch) within the second (dialects/landlord_inventory_search.c)
	 */
	struct memo *inventory_pages;
	/* the user and rights behind a token while the kept epoch holds (core/identity/auth.c) */
	struct memo *callers;
	/* where a market-object page starts, while the card_generation holds (core/market/objects.c) */
	struct memo *market_cursors;
};

#define CORE_WRITER_BATCH_MAX 512 /* jobs in one group commit */
#define CORE_CARD_COUNT_SLOTS 4096
#define CORE_LISTING_VIEW_SLOTS 4096     /* ~3 kB a view: at most ~12 MB */
#define CORE_LISTING_VIEW_MAX (64 * 1024) /* a longer view is rendered every time */
#define CORE_CARD_PAGE_SLOTS 256          /* at most 256 × 256 kB = 64 MB */
#define CORE_CARD_PAGE_MAX (256 * 1024)   /* a page of 500 objects is ~300 kB: rendered every time */
#define CORE_MARKET_CURSOR_SLOTS 16384     /* (publish_date, id) of a page's first row: ~3 MB */
#define CORE_CALLER_SLOTS 4096              /* ~1 kB a user with its rights: ~4 MB */
#define CORE_CALLER_MAX (16 * 1024)         /* a user with more rights is read every time */
#define CORE_INVENTORY_PAGE_SLOTS 256       /* at most 256 × 256 kB = 64 MB */
#define CORE_INVENTORY_PAGE_MAX (256 * 1024) /* a page of 10 is ~20 kB; a longer page is made every time */

/* libsodium, the pool and the memos; the secrets must already be loaded into c. */
int core_init(struct core *c, struct store *store, unsigned pool_threads);
void core_fini(struct core *c);

/*
 * The kept epoch (store_kept_epoch): an answer read now may be kept under it and given again
 * while it holds, for an answer with no version of its own; 0: keep nothing. Read it before
 * the reads whose answer is kept.
 */
uint64_t core_kept_epoch(struct core *c);

/*
 * The language of the texts core writes for people — the "may I apply?" and queue checklists,
 * the screening's checks, the explained place: Swedish, the market's own and the default, or
 * English (the market dialect's Accept-Language). What is stored (an application's screening,
 * a step's data, events) is written in Swedish whatever the request's language.
 */
enum lang { LANG_SV = 0, LANG_EN };
/* The text of lang among two string literals (so printf formats stay checked by the compiler). */
#define LANG_TEXT(lang, sv, en) ((lang) == LANG_EN ? (en) : (sv))

/*
 * The clock of every rule: Unix time in seconds and in microseconds (UTC), the process's one
 * time source (base/clock.h, which the store's record times read too). It is the real time
 * unless a test has fixed it with core_clock_set() or moved it forward with
 * core_clock_advance(): the letting process's deadlines are tested by moving this clock,
 * never by sleeping. Process-wide, like the time itself.
 */
int64_t core_now(void);
int64_t core_now_us(void);
/* Fixes the clock at us (microseconds since the epoch); 0 gives the real time back. Tests only. */
void core_clock_set(int64_t us);
/*
 * Moves the clock forward by secs (> 0) and wakes the job workers, so that a deadline it passed
 * is acted on at once; the new time in µs. The test clock of `serve --test-clock` (POST
 * /test-clock, dialects/system.c) and nothing else: never on in production.
 */
int64_t core_clock_advance(struct core *c, int64_t secs);

/*
 * Whether the database answers and its schema is fully migrated (GET /readyz): 0 with
 * *version and *backend ("sqlite", …); else -1 with err ERROR_UNAVAILABLE and a
 * retry_after (1 s when the database failed, 5 s while a migration is missing).
 */
int core_ready(struct core *c, int64_t *version, const char **backend, struct error *err);

#endif
