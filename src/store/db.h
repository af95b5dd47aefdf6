/*
 * db.h — the statement-level database interface inside store/.
 *
 * The store files (store/store_*.c) write their SQL once against this interface; a backend
 * (db_sqlite.c, and db_pg.c with libpq) implements it as a table of methods (struct
 * db_backend below) and db.c dispatches to it. Parameters are numbered
 * "?1, ?2 …" in the SQL text (a PostgreSQL backend rewrites them to "$1 …") and
 * are always bound, never pasted into SQL.
 *
 * A struct db is one connection, used by one thread at a time. db_prepare()
 * caches statements by the address of the SQL text, so SQL must be a string
 * literal (static storage): the cache makes a repeated query cost one lookup.
 * Every statement obtained from db_prepare() must be finished with db_reset()
 * before the next db_prepare() of the same SQL on that connection.
 * SQL built at run time (store_copy.c's, per table) goes through db_prepare() too, so its
 * text must stay allocated, unchanged, until the connection is closed: a freed text's address
 * could come back holding other SQL and find the old statement. That is the one way; there is
 * no uncached prepare.
 *
 * Errors: a unique or foreign-key violation becomes ERROR_CONFLICT, a lock that
 * outlasts the busy timeout ERROR_UNAVAILABLE, anything else ERROR_INTERNAL with
 * the backend's message (logged, never sent to clients).
 */
#ifndef RENTD_DB_H
#define RENTD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/str.h"

struct db;
struct db_stmt;
struct db_listener;

enum { DB_DONE = 0, DB_ROW = 1 };

/*
 * A backend is a table of methods, as SQLite's sqlite3_vfs: db.c's functions below only
 * dispatch to it. A backend's connection and statement structs begin with struct db and
 * struct db_stmt, so the functions find their backend from any connection or statement.
 * db_open() asks each backend in turn whether it takes the database string (a PostgreSQL
 * URI "postgres://…" or "postgresql://…" goes to the libpq backend; SQLite takes a
 * file name); each method has the contract of the function of the same name.
 */
struct db_backend {
	const char *name;
	bool (*accepts)(const char *database);
	int (*open)(const char *database, struct db **out, struct error *err);
	void (*close)(struct db *db);
	int (*exec)(struct db *db, const char *sql, struct error *err);
	struct db_stmt *(*prepare)(struct db *db, const char *sql, struct error *err);
	void (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	void (*bind_double)(struct db_stmt *st, int idx, double v);
	void (*bind_text)(struct db_stmt *st, int idx, struct str v);
	void (*bind_null)(struct db_stmt *st, int idx);
	void (*bind_blob)(struct db_stmt *st, int idx, const void *data, size_t len);
	void (*bind_int_array)(struct db_stmt *st, int idx, const int64_t *v, size_t n);
	void (*bind_text_array)(struct db_stmt *st, int idx, const struct str *v, size_t n);
	int (*step)(struct db_stmt *st, struct error *err);
	int64_t (*col_int)(struct db_stmt *st, int col);
	double (*col_double)(struct db_stmt *st, int col);
	struct str (*col_text)(struct db_stmt *st, int col);
	bool (*col_is_null)(struct db_stmt *st, int col);
	void (*reset)(struct db_stmt *st);
	int64_t (*changes)(struct db *db);
	int (*begin)(struct db *db, struct error *err);
	int (*commit)(struct db *db, struct error *err);
	void (*rollback)(struct db *db);
	void (*checkpoint)(struct db *db);
	int (*schema_change_begin)(struct db *db, struct error *err);
	void (*schema_change_end)(struct db *db);
	int (*foreign_key_check)(struct db *db, struct error *err);
	int (*begin_read)(struct db *db, bool plan_once, struct error *err);
	void (*end_read)(struct db *db);
	int (*relax_commits)(struct db *db, struct error *err);
	void (*checkpoint_passive)(struct db *db); /* NULL: the backend needs none (store.c's checkpointer) */
	/* NULL, NULL, NULL, NULL: the backend has no notifications (db_listen) */
	int (*listen)(const char *database, const char *channel, struct db_listener **out, struct error *err);
	int (*listener_fd)(struct db_listener *l);
	int (*listener_take)(struct db_listener *l, bool ping);
	void (*listener_close)(struct db_listener *l);
	bool (*changed_elsewhere)(struct db *db); /* NULL: never asked (a backend with notifications) */
};

struct db {
	const struct db_backend *backend;
	void (*on_write)(void *arg); /* db_on_write */
	void *on_write_arg;
};

struct db_listener {
	const struct db_backend *backend;
};

struct db_stmt {
	const struct db_backend *backend;
};

extern const struct db_backend db_backend_sqlite;
extern const struct db_backend db_backend_pg; /* db_pg.c: libpq, issue 17 */

int db_open(const char *database, struct db **out, struct error *err);
void db_close(struct db *db);
const char *db_backend_name(const struct db *db);

/* Runs one or more statements without parameters (migrations, pragmas). */
int db_exec(struct db *db, const char *sql, struct error *err);

struct db_stmt *db_prepare(struct db *db, const char *sql, struct error *err);
/*
 * The one SQL text of two that this connection's backend runs: `sqlite` on SQLite, `pg` on
 * PostgreSQL. Both are string literals, so db_prepare()'s cache by address still works. For
 * the few statements whose correctness needs what only one backend has (the job claim's
 * FOR UPDATE SKIP LOCKED); every other statement is one portable text.
 */
const char *db_sql(const struct db *db, const char *sqlite, const char *pg);
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
void db_bind_double(struct db_stmt *st, int idx, double v);
void db_bind_text(struct db_stmt *st, int idx, struct str v); /* ptr NULL binds NULL */
void db_bind_null(struct db_stmt *st, int idx);
void db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len);
/*
 * Arrays: the SQL says "x = ANY(?N)" (PostgreSQL's own form; the SQLite backend rewrites
 * it when it prepares the statement) and binds ?N with one of these. An empty array matches
 * nothing, and so does NULL (v NULL binds NULL).
 */
void db_bind_int_array(struct db_stmt *st, int idx, const int64_t *v, size_t n);
void db_bind_text_array(struct db_stmt *st, int idx, const struct str *v, size_t n);
/* DB_ROW, DB_DONE, or -1 with err filled (the statement is reset then). */
int db_step(struct db_stmt *st, struct error *err);
int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
/* Valid until the next db_step/db_reset of st; also reads blobs. */
struct str db_col_text(struct db_stmt *st, int col);
bool db_col_is_null(struct db_stmt *st, int col);
void db_reset(struct db_stmt *st);
/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t db_changes(struct db *db);
/* No last-insert-id: an INSERT that needs the new id says RETURNING id (portable). */

/*
 * Write transactions take the write lock up front, so they run one at a time, also across
 * processes: SQLite's BEGIN IMMEDIATE; on PostgreSQL READ COMMITTED and a transaction-scoped
 * advisory lock (db_pg.c). Waiting longer than 5 s for it is ERROR_UNAVAILABLE.
 */
int db_begin(struct db *db, struct error *err);
int db_commit(struct db *db, struct error *err);
void db_rollback(struct db *db);
/* Writes what the write-ahead log holds back into the database file, as far as readers allow (no-op without a log). */
void db_checkpoint(struct db *db);
/*
 * Migrations: a migration that rebuilds a table (SQLite cannot add AUTOINCREMENT in place)
 * drops tables that others refer to, so foreign keys are not enforced between
 * db_schema_change_begin() and db_schema_change_end() (both outside a transaction), and
 * db_foreign_key_check() refuses a migration that left a dangling reference before it
 * commits. A backend that alters tables in place makes the first two no-ops.
 */
int db_schema_change_begin(struct db *db, struct error *err);
void db_schema_change_end(struct db *db);
int db_foreign_key_check(struct db *db, struct error *err);
/*
 * A read snapshot (BEGIN, deferred); db_end_read() ends it, committing or rolling back.
 * plan_once: its statements are planned once for every value of their parameters, as SQLite
 * always plans them; on PostgreSQL (SET LOCAL plan_cache_mode = force_generic_plan, sent with
 * the BEGIN) for statements whose text names only the tests that are on (store_cards.c's
 * search), where planning each execution anew costs more than running it.
 */
int db_begin_read(struct db *db, bool plan_once, struct error *err);
void db_end_read(struct db *db);
/* This connection's commits stop waiting for the disk (store_relax_commits()). */
int db_relax_commits(struct db *db, struct error *err);
/* Whether the backend wants its log copied into the database in the background, and doing it once. */
bool db_wants_checkpointer(struct db *db);
void db_checkpoint_passive(struct db *db);

/*
 * Telling other processes that something changed (PostgreSQL's LISTEN/NOTIFY; the store's
 * views epoch, store_epoch.c). A backend without notifications (SQLite: every process reads
 * the file itself) answers db_listen() with 0 and *out NULL.
 *
 * db_listen: a connection of its own that listens on channel; -1 with err when it cannot
 * connect. db_listener_fd: its socket, to poll for reading. db_listener_take: reads what has
 * arrived without waiting (ping: first a round trip, which finds a connection that is gone
 * even when no byte arrives): the number of notifications, 0 none, -1 the connection is gone
 * (close it and listen again: notifications sent meanwhile are lost).
 */
bool db_has_notifications(const struct db *db);
/*
 * Without notifications (SQLite): whether another connection, of this process or another,
 * committed since the last call on this connection (the first call answers true). A backend
 * with notifications answers false: its listener hears the changes.
 */
bool db_changed_elsewhere(struct db *db);
int db_listen(const char *database, const char *channel, struct db_listener **out, struct error *err);
int db_listener_fd(struct db_listener *l);
int db_listener_take(struct db_listener *l, bool ping);
void db_listener_close(struct db_listener *l);
/*
 * fn(arg) is called after each write this connection commits: a write transaction's COMMIT,
 * a statement outside a transaction that changed rows, or a db_exec() outside a transaction
 * (whatever its statements did). Only backends with notifications
 * call it (their processes keep what a notification can invalidate); NULL fn: no calls.
 */
void db_on_write(struct db *db, void (*fn)(void *arg), void *arg);

#endif
