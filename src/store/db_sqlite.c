/*
 * db_sqlite.c — the SQLite backend of db.h.
 *
 * Each connection is opened in multi-thread mode (no per-call mutex: one thread
 * owns it) with WAL and explicit pragmas, because Debian's build defaults differ
 * from what a server wants. synchronous=FULL: a committed write survives a power
 * loss, which is our promise; WAL keeps readers off the writer's path.
 */
#include "store/db.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

/*
 * Prepared statements by SQL address: 2^12 slots for the ~330 statements rentd has, so the
 * table stays under 10 % full and a lookup almost never probes twice (a statement that
 * finds no slot within 8 probes is prepared anew on every use).
 */
#define STMT_CACHE_BITS 12
#define STMT_CACHE_SIZE (1u << STMT_CACHE_BITS)

struct db_stmt {
	struct db *db;
	sqlite3_stmt *stmt;
};

struct db {
	sqlite3 *h;
	struct {
		const char *sql; /* key: address of the SQL literal */
		struct db_stmt st;
	} cache[STMT_CACHE_SIZE];
	struct db_stmt uncached; /* beyond the cache's capacity */
};

static const char *const pragmas =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"PRAGMA foreign_keys=ON;"
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA cache_size=-16384;";

static int sqlite_error(struct db *db, int rc, struct error *err, const char *what)
{
	int ext = sqlite3_extended_errcode(db->h);
	const char *msg = sqlite3_errmsg(db->h);

	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			return error_set(err, ERROR_CONFLICT, "Conflict", "a record with these values already exists");
		if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			return error_set(err, ERROR_CONFLICT, "Conflict", "the record is referenced by, or refers to, another record");
		return error_set(err, ERROR_CONFLICT, "Conflict", "a constraint failed: %s", msg);
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		error_set(err, ERROR_UNAVAILABLE, NULL, "the database is busy");
		err->retry_after = 1;
		return -1;
	}
	return error_set(err, ERROR_INTERNAL, NULL, "sqlite %s: %s (%d)", what, msg, ext);
}

int db_open(const char *database, struct db **out, struct error *err)
{
	struct db *db;
	int rc;

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (!db)
		die_oom();
	rc = sqlite3_open_v2(database, &db->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		error_set(err, ERROR_UNAVAILABLE, NULL, "cannot open database %s: %s", database,
			  db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return -1;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, 5000);
	if (db_exec(db, pragmas, err) < 0) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
		sqlite3_finalize(db->cache[i].st.stmt);
	sqlite3_finalize(db->uncached.stmt);
	sqlite3_close(db->h);
	free(db);
}

const char *db_backend_name(const struct db *db)
{
	(void)db;
	return "sqlite";
}

int db_exec(struct db *db, const char *sql, struct error *err)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sqlite_error(db, rc, err, "exec");
	return 0;
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct error *err)
{
	/* Fibonacci hashing: the product's high bits are the well-mixed ones */
	size_t h = (size_t)(((uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15ull) >> (64 - STMT_CACHE_BITS));
	struct db_stmt *slot = NULL;
	int rc;

	for (size_t probe = 0; probe < 8; probe++) {
		size_t i = (h + probe) & (STMT_CACHE_SIZE - 1);
		if (db->cache[i].sql == sql)
			return &db->cache[i].st;
		if (!db->cache[i].sql) {
			db->cache[i].sql = sql;
			slot = &db->cache[i].st;
			break;
		}
	}
	if (!slot) {
		slot = &db->uncached;
		sqlite3_finalize(slot->stmt);
		slot->stmt = NULL;
	}
	slot->db = db;
	rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->stmt, NULL);
	if (rc != SQLITE_OK) {
		sqlite_error(db, rc, err, "prepare");
		for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
			if (&db->cache[i].st == slot)
				db->cache[i].sql = NULL;
		sqlite3_finalize(slot->stmt);
		slot->stmt = NULL;
		return NULL;
	}
	return slot;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->stmt, idx, v);
}

void db_bind_double(struct db_stmt *st, int idx, double v)
{
	sqlite3_bind_double(st->stmt, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, struct str v)
{
	if (!v.ptr)
		sqlite3_bind_null(st->stmt, idx);
	else
		sqlite3_bind_text64(st->stmt, idx, v.ptr, v.len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
	sqlite3_bind_blob64(st->stmt, idx, data, len, SQLITE_TRANSIENT);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(st->stmt, idx);
}

int db_step(struct db_stmt *st, struct error *err)
{
	int rc = sqlite3_step(st->stmt);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	sqlite_error(st->db, rc, err, "step");
	db_reset(st);
	return -1;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->stmt, col);
}

double db_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(st->stmt, col);
}

struct str db_col_text(struct db_stmt *st, int col)
{
	const char *p;
	if (sqlite3_column_type(st->stmt, col) == SQLITE_BLOB) {
		p = sqlite3_column_blob(st->stmt, col);
		return (struct str){ p ? p : "", (size_t)sqlite3_column_bytes(st->stmt, col) };
	}
	p = (const char *)sqlite3_column_text(st->stmt, col);
	if (!p)
		return STR_NULL;
	return (struct str){ p, (size_t)sqlite3_column_bytes(st->stmt, col) };
}

bool db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

void db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
}

int64_t db_changes(struct db *db)
{
	return sqlite3_changes64(db->h);
}

int db_begin(struct db *db, struct error *err)
{
	return db_exec(db, "BEGIN IMMEDIATE", err);
}

int db_commit(struct db *db, struct error *err)
{
	int rc = db_exec(db, "COMMIT", err);
	if (rc < 0)
		db_rollback(db);
	return rc;
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

void db_checkpoint(struct db *db)
{
	int rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_warn("checkpoint: %s", sqlite3_errmsg(db->h));
}

int db_schema_change_begin(struct db *db, struct error *err)
{
	return db_exec(db, "PRAGMA foreign_keys=OFF", err);
}

void db_schema_change_end(struct db *db)
{
	struct error e;
	error_init(&e, NULL);
	if (db_exec(db, "PRAGMA foreign_keys=ON", &e) < 0)
		log_error("cannot turn foreign keys back on: %s", e.message ? e.message : "");
}

int db_foreign_key_check(struct db *db, struct error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, "PRAGMA foreign_key_check", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return sqlite_error(db, rc, err, "foreign_key_check");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		error_set(err, ERROR_INTERNAL, NULL, "a row of %s refers to a missing row of %s",
			  (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 2));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sqlite_error(db, rc, err, "foreign_key_check");
}

/* The two statements go through the statement cache: a read snapshot costs no parsing. */
static const char sql_begin_read[] = "BEGIN";
static const char sql_end_read[] = "COMMIT";

int db_begin_read(struct db *db, struct error *err)
{
	struct db_stmt *st = db_prepare(db, sql_begin_read, err);
	int rc;
	if (!st)
		return -1;
	rc = db_step(st, err);
	db_reset(st);
	return rc < 0 ? -1 : 0;
}

void db_end_read(struct db *db)
{
	struct error e;
	struct db_stmt *st;
	error_init(&e, NULL);
	if ((st = db_prepare(db, sql_end_read, &e))) {
		(void)db_step(st, &e);
		db_reset(st);
	}
	db_rollback(db); /* a COMMIT that failed leaves the snapshot open: never keep it */
}
