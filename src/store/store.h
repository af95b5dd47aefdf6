/*
 * store.h — the persistence interface the layers above store/ use.
 *
 * A struct store is shared by all threads; each worker thread gets its own
 * database connection on first use (store_db()), so no connection is ever used by
 * two threads. The backend is chosen by the database string: a file path is
 * SQLite, a "postgresql://…" or "postgres://…" URL PostgreSQL (store/db_pg.c).
 *
 * Nothing here exposes SQL or a backend type: callers ask for domain operations
 * (store_<entity>_<verb>, one file per entity under store/) and get plain C
 * structs and struct error back.
 *
 * Ownership: store_open() returns a store the caller frees with store_close(),
 * after every thread that used it has stopped.
 */
#ifndef RENTD_STORE_H
#define RENTD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

struct store;
struct db;

int store_open(const char *database, struct store **out, struct error *err);
/* Whether the database string names a file (SQLite) rather than a server (a PostgreSQL URL). */
bool store_database_is_file(const char *database);
/*
 * The database string as rentd prints and logs it: a URL's password (user:PASSWORD@, or a
 * password=… parameter) becomes "***". Returns out (size n ≥ 1); a file name is unchanged.
 */
const char *store_database_shown(const char *database, char *out, size_t n);
void store_close(struct store *s);

/* Applies pending migrations, each in its own transaction; *applied counts them. */
int store_migrate(struct store *s, int *applied, struct error *err);

/* Highest applied migration (0 on an empty database). */
int store_schema_version(struct store *s, int64_t *version, struct error *err);
/* Highest migration this binary knows. */
int64_t store_schema_latest(void);
const char *store_backend(const struct store *s);

/* This thread's connection (opened on first use). For the files of store/ only. */
struct db *store_db(struct store *s, struct error *err);

/*
 * Write transactions spanning several store calls (core/ uses these to make a
 * request all-or-nothing). Nesting is not supported.
 */
int store_begin(struct store *s, struct error *err);
int store_commit(struct store *s, struct error *err);
void store_rollback(struct store *s);

/*
 * fn(arg) runs after each commit of a transaction that queued a background job (the job
 * runner's wake-up: jobs_start sets it, NULL clears it), on the committing thread. The store's
 * job writers mark the transaction with store_note_job_queued(); a job queued outside a
 * transaction wakes nobody (the workers poll every second).
 */
void store_on_job_queued(struct store *s, void (*fn)(void *arg), void *arg);
void store_note_job_queued(void);

/*
 * One undoable part of an open transaction (SQL SAVEPOINT, the same on both backends): a
 * job of the group commit (core->writer) that fails takes back its own writes and leaves
 * the others' in the batch. Not nested.
 */
int store_savepoint(struct store *s, struct error *err);
int store_savepoint_release(struct store *s, struct error *err);
void store_savepoint_rollback(struct store *s);

/*
 * A read snapshot spanning several store calls: every read between the two sees the
 * same committed state, and the database's locks are taken once instead of once per
 * statement (a request that reads ten rows pays for one lock, not ten). Not inside a
 * write transaction; store_read_end() always leaves the connection outside one.
 */
int store_read_begin(struct store *s, struct error *err);
/*
 * store_read_begin() for statements that one plan fits for every value (db_begin_read's
 * plan_once): the card search, whose texts on PostgreSQL name only the tests that are on,
 * and the inventory's walk (lookups by key). Not for texts that switch tests off by a NULL
 * parameter: PostgreSQL plans those better for each execution.
 */
int store_search_begin(struct store *s, struct error *err);
void store_read_end(struct store *s);

/*
 * The kept epoch (store/store_epoch.c): a number that moves whenever anything in the database
 * may have changed — a write this process committed (at once), another connection's or
 * process's (SQLite: at the next call; PostgreSQL: when its notification arrives, well under
 * a millisecond). An answer read from the database may be kept under it and given again
 * while it holds; 0 when nothing may be kept (PostgreSQL's listener not connected). Read it
 * *before* reading what is kept under it.
 */
uint64_t store_kept_epoch(struct store *s);

/*
 * The calling thread's commits stop waiting for the disk (SQLite: synchronous=NORMAL in WAL;
 * PostgreSQL: synchronous_commit off): after a power loss its last commits may be missing,
 * never half there. For the background job workers only: no client was ever answered on
 * the strength of their commits, and the durable job queue runs a job whose "done" was lost
 * again (at least once), while their fsyncs would hold the one write lock that the answered
 * writes of the group commit wait for (docs/BENCHMARKS.md, the letting process's commands).
 */
int store_relax_commits(struct store *s, struct error *err);

#endif
