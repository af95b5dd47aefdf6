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

/* Runs a statement that returns no rows; resets it. */
int stmt_exec(struct db_stmt *st, struct error *err);

/* Runs a statement expecting one row or none: 1 row (caller reads then resets), 0 none (reset). */
int stmt_row(struct db_stmt *st, struct error *err);

int64_t store_changes(struct store *s);
int64_t store_last_id(struct store *s);

#endif
