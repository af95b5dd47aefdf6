/*
 * store_epoch.c — the views epoch: what spares a PostgreSQL process the round trip that asks
 * whether a kept view is still true (issue 17; docs/ARCHITECTURE.md, "Several processes on
 * PostgreSQL").
 *
 * The kept views (a listing's page, a search's count, a page of market objects) are kept
 * under a version read from the database: a listing's (listing_view_version) or the cards'
 * generation. On SQLite that read is a call into the library. On PostgreSQL it is a round
 * trip per request, which on a machine shared with the server costs as much as the rest of
 * the request. So the store keeps those versions too, under an epoch: a process-wide number
 * that moves whenever a change to them may have been committed —
 *   - by this process: every write it commits (db_on_write), before the write's answer is
 *     sent, so a client reads its own writes through the same process at once;
 *   - by any other: every statement that changes card_generation, listing_view_generations or
 *     listing_application_counts (which every change a view shows moves: migrations 0014,
 *     0017, 0024) notifies channel rentd_views (migration 0031), and a listener thread with a
 *     connection of its own moves the epoch when the notification arrives, which is within a
 *     fraction of a millisecond of the commit (measured in docs/BENCHMARKS.md).
 * A version is taken from the store's memo only while the listener is connected and the
 * epoch is the one the version was read under; it is put under the epoch read *before* the
 * database was asked, so a change committed after that read moves the epoch past it. While
 * the listener is not connected (starting, reconnecting with backoff after the server went
 * away) nothing is taken and every request reads, as before. Losing the connection moves the
 * epoch, and so does getting it back: what was kept before is never taken again.
 *
 * SQLite has no notifications (db_listen answers none): its stores never take a kept version.
 */
#include "store/store_epoch.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/memo.h"
#include "store/db.h"

#define CHANNEL "rentd_views"
#define KEPT_SLOTS 65536  /* versions of listings, and the cards' generation */
#define KEPT_MAX 64       /* bytes of one version */
#define PING_MS 1000      /* a quiet connection is asked whether it is still there */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

struct store_epoch {
	char *database;
	_Atomic uint64_t epoch;       /* starts at 1: 0 means "do not keep" */
	atomic_bool listening;        /* the listener is connected and LISTENing */
	bool notifies;                /* the backend has notifications (db_has_notifications) */
	pthread_mutex_t lock;         /* start() */
	atomic_bool started, stopping;
	bool running;                 /* the thread was started */
	pthread_t thread;
	int wake[2];                  /* a byte here ends the listener's wait (store_epoch_free) */
	struct memo *kept;
};

struct store_epoch *store_epoch_new(const char *database, bool notifies)
{
	struct store_epoch *e = calloc(1, sizeof(*e));
	if (!e || !(e->database = strdup(database)))
		die_oom();
	e->notifies = notifies;
	pthread_mutex_init(&e->lock, NULL);
	atomic_init(&e->epoch, 1);
	e->wake[0] = e->wake[1] = -1;
	return e;
}

static void sleep_ms(struct store_epoch *e, int64_t ms)
{
	struct pollfd p = { .fd = e->wake[0], .events = POLLIN };
	(void)poll(&p, 1, (int)ms); /* the wake pipe cuts it short */
}

static void *listener_main(void *arg)
{
	struct store_epoch *e = arg;
	int64_t backoff = BACKOFF_MIN_MS;
	bool said = false;

	while (!atomic_load(&e->stopping)) {
		struct db_listener *l = NULL;
		struct error err;
		int rc;

		error_init(&err, NULL);
		if (db_listen(e->database, CHANNEL, &l, &err) < 0 || !l) {
			if (!said)
				log_warn("the views' listener cannot connect (%s); every request reads versions until it does",
					 err.message ? err.message : "no reason given");
			said = true;
			error_forget(&err);
			sleep_ms(e, backoff);
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		if (said)
			log_info("the views' listener is connected again");
		said = false;
		backoff = BACKOFF_MIN_MS;
		atomic_fetch_add(&e->epoch, 1);
		atomic_store(&e->listening, true);
		for (rc = 0; rc >= 0 && !atomic_load(&e->stopping);) {
			struct pollfd p[2] = { { .fd = db_listener_fd(l), .events = POLLIN },
					       { .fd = e->wake[0], .events = POLLIN } };
			int n = poll(p, 2, PING_MS);
			if (n < 0 && errno != EINTR)
				rc = -1;
			else if (n >= 0 && !(p[1].revents & POLLIN))
				rc = db_listener_take(l, n == 0);
			if (rc > 0)
				atomic_fetch_add(&e->epoch, 1);
		}
		/* notifications may be lost from here until the next LISTEN: nothing kept is taken */
		atomic_store(&e->listening, false);
		atomic_fetch_add(&e->epoch, 1);
		db_listener_close(l);
		if (rc < 0 && !atomic_load(&e->stopping)) {
			log_warn("the views' listener lost its connection; every request reads versions until it is back");
			said = true;
		}
	}
	return NULL;
}

/* The listener starts with the first version asked for: commands that never serve never start it. */
static bool start(struct store_epoch *e)
{
	if (atomic_load(&e->started))
		return e->kept != NULL;
	pthread_mutex_lock(&e->lock);
	if (!atomic_load(&e->started) && e->notifies) {
		if (pipe(e->wake) == 0 && (e->kept = memo_new(KEPT_SLOTS, KEPT_MAX)) != NULL &&
		    pthread_create(&e->thread, NULL, listener_main, e) == 0) {
			e->running = true;
		} else {
			log_warn("the views' listener could not start; every request reads versions");
			memo_free(e->kept);
			e->kept = NULL;
		}
	}
	atomic_store(&e->started, true);
	pthread_mutex_unlock(&e->lock);
	return e->kept != NULL;
}

void store_epoch_free(struct store_epoch *e)
{
	if (!e)
		return;
	if (e->running) {
		atomic_store(&e->stopping, true);
		if (write(e->wake[1], "x", 1) < 0)
			log_warn("store_epoch: waking the listener: %s", strerror(errno));
		pthread_join(e->thread, NULL);
		memo_free(e->kept);
	}
	if (e->wake[0] >= 0) {
		close(e->wake[0]);
		close(e->wake[1]);
	}
	pthread_mutex_destroy(&e->lock);
	free(e->database);
	free(e);
}

void store_epoch_wrote(void *arg)
{
	struct store_epoch *e = arg;
	atomic_fetch_add(&e->epoch, 1);
}

uint64_t store_epoch_kept(struct store_epoch *e, struct str key, void *out, size_t len, bool *hit)
{
	uint64_t now;

	*hit = false;
	if (!start(e) || !e->kept || !atomic_load(&e->listening))
		return 0;
	now = atomic_load(&e->epoch);
	*hit = memo_get_fixed(e->kept, key, (struct str){ (const char *)&now, sizeof(now) }, out, len);
	/* a listener that went away while we looked: what we took may be older than a change */
	if (*hit && !atomic_load(&e->listening))
		*hit = false;
	return now;
}

void store_epoch_keep(struct store_epoch *e, struct str key, uint64_t epoch, const void *value, size_t len)
{
	if (epoch && e->kept)
		memo_put(e->kept, key, (struct str){ (const char *)&epoch, sizeof(epoch) },
			 (struct str){ value, len });
}

bool store_epoch_listening(struct store_epoch *e)
{
	return atomic_load(&e->listening);
}
