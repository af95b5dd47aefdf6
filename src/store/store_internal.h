/*
 * store_internal.h — helpers shared by the store_*.c files (never included above store/).
 */
#ifndef RENTD_STORE_INTERNAL_H
#define RENTD_STORE_INTERNAL_H

#include "base/arena.h"
#include "store/db.h"
#include "store/store.h"

/* A column's text copied into the arena (NULL stays ptr NULL). */
struct str col_str(struct db_stmt *st, int col, struct arena *a);

/* A random RFC 4122 version-4 UUID, lower case, NUL-terminated. */
void uuid_v4(char out[37]);

/* Prepares sql on this thread's connection; NULL with err set on failure. */
struct db_stmt *store_stmt(struct store *s, const char *sql, struct error *err);

/* store_stmt() of db_sql(sqlite_sql, pg_sql) (db.h): a statement whose words differ by backend. */
struct db_stmt *store_stmt_by_backend(struct store *s, const char *sqlite_sql, const char *pg_sql,
				      struct error *err);

/* Runs a statement that returns no rows; resets it. */
int stmt_exec(struct db_stmt *st, struct error *err);

/* Runs a statement expecting one row or none: 1 row (caller reads then resets), 0 none (reset). */
int stmt_row(struct db_stmt *st, struct error *err);

/* Reads the current row of st into *row (a struct of the caller's type). */
typedef void (*row_reader)(struct db_stmt *st, struct arena *a, void *row);

/* Steps st to its end, reading every row into an array in a; resets st. */
int stmt_collect(struct db_stmt *st, struct arena *a, size_t row_size, row_reader read, void **out, size_t *n,
		 struct error *err);

/* Reads the one row of st into *row, or fills ERROR_NOT_FOUND "no such <what>"; resets st. */
int stmt_one(struct db_stmt *st, struct arena *a, row_reader read, void *row, const char *what, struct error *err);

/*
 * Renumbers an ordered child list 0, 1, 2 … in its current order, with item `moved`
 * (0: none) placed at `position` (clamped to the end; < 0: where it is). order_sql
 * selects (id, position) of the list in order with ?1 = the parent (and ?2 = kind when
 * kind.ptr); set_sql sets position ?2 of row ?1. Only rows whose position changes are
 * written. In store_views.c.
 */
int store_renumber(struct store *s, const char *order_sql, const char *set_sql, int64_t parent_id, struct str kind,
		   int64_t moved, int64_t position, struct error *err);

/*
 * Runs an INSERT … RETURNING id (the portable way to learn a new row's id; PostgreSQL
 * has no last-insert-id of a connection): *id (may be NULL) gets the returned id; resets st.
 */
int stmt_insert_id(struct db_stmt *st, int64_t *id, struct error *err);

/*
 * Binds "now" at idx as the stored timestamps are written ("2024-01-02T03:04:05Z", UTC,
 * whole seconds): computed in C, not strftime('now') in SQL, so the statement is portable, and
 * from the process's one clock (base/clock.h), so a test clock moves them with the rules' "now".
 */
void store_bind_now(struct db_stmt *st, int idx);
/* The same for the instant secs (seconds since the epoch). */
void store_bind_time(struct db_stmt *st, int idx, int64_t secs);
/* The UTC date of the instant secs, "2024-01-02" (SQL's date() of it, computed in C). */
void store_bind_date(struct db_stmt *st, int idx, int64_t secs);

int64_t store_changes(struct store *s);

/* The store's views epoch (store_epoch.h): versions a read may take instead of asking the database. */
struct store_epoch *store_epoch_of(struct store *s);

#endif
