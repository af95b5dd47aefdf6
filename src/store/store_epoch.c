/*
 * store_epoch.c — the kept epoch: what spares a request the reads whose answer has not
 * changed (issue 17; docs/ARCHITECTURE.md, "Several processes on PostgreSQL").
 *
 * The kept answers (a listing's page, a search's count, a page of market objects) are kept
 * under a version read from the database: a listing's (listing_view_version) or the cards'
 * generation. On PostgreSQL that read is a round trip per request, which on a machine shared
 * with the server costs as much as the rest of the request; and an answer with no version of
 * its own (a landlord's inventory page) could not be kept at all. So the store keeps versions,
 * and lets the core keep such answers, under the epoch: a process-wide number that moves
 * whenever anything in the database may have changed since —
 *   - by this process: every write it commits (db_on_write), before the write's answer is
 *     sent, so a client reads its own writes through the same process at once;
 *   - by another connection or process: on PostgreSQL every statement that changes a table
 *     notifies channel rentd_changes (migration 0031's statement triggers, on every table but
 *     the job queue and the login counters), and a listener thread with a connection of its
 *     own moves the epoch when the notification arrives, within a fraction of a millisecond of
 *     the commit; on SQLite the request asks its connection's PRAGMA data_version, which moves
 *     when any other connection commits (db_changed_elsewhere, a call into the library).
 * Something is taken from the memo only under the epoch it was kept under, and it is kept
 * under the epoch read *before* the database was asked, so a change committed after that
 * read moves the epoch past it. On PostgreSQL nothing is taken while the listener is not
 * connected (starting, or reconnecting with backoff after the server went away); losing the
 * connection moves the epoch, and so does getting it back.
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

#define CHANNEL "rentd_changes"
#define KEPT_SLOTS 65536  /* versions of listings, and the cards' generation */
#define KEPT_MAX 64       /* bytes of one version */
#define PING_MS 1000      /* a quiet connection is asked whether it is still there */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

struct store_epoch {
	char *database;
	_Atomic uint64_t epoch;       /* starts at 1: 0 means "do not keep" */
	atomic_bool listening;        /* the listener is connected and LISTENing */
	bool notifies;                /* PostgreSQL: a listener; else PRAGMA data_version (db_changed_elsewhere) */
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
				log_warn("the listener cannot connect (%s); nothing kept is used until it does",
					 err.message ? err.message : "no reason given");
			said = true;
			error_forget(&err);
			sleep_ms(e, backoff);
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		if (said)
			log_info("the listener is connected again");
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
			log_warn("the listener lost its connection; nothing kept is used until it is back");
			said = true;
		}
	}
	return NULL;
}

/* The listener starts with the first epoch asked for: commands that never serve never start it. */
static bool start(struct store_epoch *e)
{
	if (atomic_load(&e->started))
		return e->kept != NULL;
	pthread_mutex_lock(&e->lock);
	if (!atomic_load(&e->started)) {
		if (!(e->kept = memo_new(KEPT_SLOTS, KEPT_MAX)))
			log_warn("no memory for the kept versions; every request reads them");
		else if (e->notifies && (pipe(e->wake) != 0 || pthread_create(&e->thread, NULL, listener_main, e) != 0)) {
			log_warn("the listener could not start; every request reads what it needs");
			memo_free(e->kept);
			e->kept = NULL;
		} else {
			e->running = e->notifies;
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
	}
	memo_free(e->kept);
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

uint64_t store_epoch_now(struct store_epoch *e, struct db *db)
{
	if (!start(e))
		return 0;
	if (e->notifies)
		return atomic_load(&e->listening) ? atomic_load(&e->epoch) : 0;
	if (!db)
		return 0;
	if (db_changed_elsewhere(db))
		atomic_fetch_add(&e->epoch, 1);
	return atomic_load(&e->epoch);
}

bool store_epoch_get(struct store_epoch *e, uint64_t epoch, struct str key, void *out, size_t len)
{
	return epoch && e->kept &&
	       memo_get_fixed(e->kept, key, (struct str){ (const char *)&epoch, sizeof(epoch) }, out, len);
}

void store_epoch_keep(struct store_epoch *e, uint64_t epoch, struct str key, const void *value, size_t len)
{
	if (epoch && e->kept)
		memo_put(e->kept, key, (struct str){ (const char *)&epoch, sizeof(epoch) }, (struct str){ value, len });
}

bool store_epoch_listening(struct store_epoch *e)
{
	return atomic_load(&e->listening);
}
