/*
 * db_sqlite.c — the SQLite backend of db.h.
 *
 * Each connection is opened in multi-thread mode (no per-call mutex: one thread
 * owns it) with WAL and explicit pragmas, because Debian's build defaults differ
 * from what a server wants. synchronous=FULL: a committed write survives a power
 * loss, which is our promise (the job workers alone relax it: store_relax_commits());
 * WAL keeps readers off the writer's path.
 */
#include "store/db.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/json_write.h"

/*
 * Prepared statements by SQL address: 2^12 slots for the ~330 statements rentd has, so the
 * table stays under 10 % full and a lookup almost never probes twice (a statement that
 * finds no slot within 8 probes is prepared anew on every use).
 */
#define STMT_CACHE_BITS 12
#define STMT_CACHE_SIZE (1u << STMT_CACHE_BITS)

struct sqlite_stmt {
	struct db_stmt base; /* first: a struct db_stmt * is a struct sqlite_stmt * */
	struct sqlite_db *db;
	sqlite3_stmt *stmt;
	bool running;          /* stepped since its last reset (db_on_write's check) */
	int64_t changes_before; /* the connection's total changes when its run began */
};

struct sqlite_db {
	struct db base; /* first: a struct db * is a struct sqlite_db * */
	sqlite3 *h;
	struct {
		const char *sql; /* key: address of the SQL literal */
		struct sqlite_stmt st;
	} cache[STMT_CACHE_SIZE];
	struct sqlite_stmt uncached; /* beyond the cache's capacity */
	int64_t busy_since; /* µs (monotonic) of the first try of the current wait for a lock */
	sqlite3_stmt *data_version; /* PRAGMA data_version (db_changed_elsewhere) */
	int64_t seen_version;        /* what it said last; -1: never asked */
};

#define DB(d) ((struct sqlite_db *)(d))
#define ST(s) ((struct sqlite_stmt *)(s))

static const char *const pragmas =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"PRAGMA foreign_keys=ON;"
	"PRAGMA temp_store=MEMORY;"
	"PRAGMA cache_size=-16384;"
	/* no commit copies the log into the database: store.c's checkpointer thread does (sqlite_checkpoint_passive) */
	"PRAGMA wal_autocheckpoint=0;";

static int sqlite_error(struct db *db, int rc, struct error *err, const char *what)
{
	int ext = sqlite3_extended_errcode(DB(db)->h);
	const char *msg = sqlite3_errmsg(DB(db)->h);

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

static int sqlite_exec(struct db *db, const char *sql, struct error *err);
static void sqlite_close(struct db *db);
static void sqlite_reset(struct db_stmt *st);
static void sqlite_rollback(struct db *db);

/*
 * The wait for another connection's write lock: at most BUSY_TIMEOUT_US, in short naps
 * that grow from 50 µs to 1 ms. SQLite's own timeout handler sleeps 1, 2, 5 … 100 ms between
 * tries, so a writer queued behind a 2 ms transaction would wait up to 100 ms: the letting
 * process's commands (measured in docs/BENCHMARKS.md) spent their time there, not on the disk.
 */
#define BUSY_TIMEOUT_US (5 * 1000000LL)
static int busy_wait(void *arg, int tries)
{
	struct sqlite_db *d = arg;
	struct timespec ts, nap;
	int64_t now, us;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	if (tries == 0)
		d->busy_since = now;
	else if (now - d->busy_since >= BUSY_TIMEOUT_US)
		return 0; /* SQLITE_BUSY: the caller answers 503 */
	us = tries < 5 ? 50LL << tries : 1000;
	nap.tv_sec = 0;
	nap.tv_nsec = (long)(us * 1000);
	nanosleep(&nap, NULL);
	return 1;
}

static int sqlite_open(const char *database, struct db **out, struct error *err)
{
	struct sqlite_db *d;
	int rc;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		die_oom();
	d->base.backend = &db_backend_sqlite;
	rc = sqlite3_open_v2(database, &d->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		error_set(err, ERROR_UNAVAILABLE, NULL, "cannot open database %s: %s", database,
			  d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		sqlite3_close(d->h);
		free(d);
		return -1;
	}
	d->seen_version = -1;
	sqlite3_extended_result_codes(d->h, 1);
	sqlite3_busy_handler(d->h, busy_wait, d);
	if (sqlite_exec(&d->base, pragmas, err) < 0) {
		sqlite_close(&d->base);
		return -1;
	}
	*out = &d->base;
	return 0;
}

static void sqlite_close(struct db *db)
{
	struct sqlite_db *d = DB(db);

	for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
		sqlite3_finalize(d->cache[i].st.stmt);
	sqlite3_finalize(d->uncached.stmt);
	sqlite3_finalize(d->data_version);
	sqlite3_close(d->h);
	free(d);
}

static bool sqlite_accepts(const char *database)
{
	(void)database; /* any file name, ":memory:" and "file:" URIs */
	return true;
}

/* db_on_write: outside a transaction the statements committed by themselves, whatever they did. */
static void wrote(struct db *db)
{
	if (db->on_write && sqlite3_get_autocommit(DB(db)->h))
		db->on_write(db->on_write_arg);
}

static int sqlite_exec(struct db *db, const char *sql, struct error *err)
{
	int rc = sqlite3_exec(DB(db)->h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sqlite_error(db, rc, err, "exec");
	wrote(db);
	return 0;
}

/*
 * db.h's array form "= ANY(?N)" in SQLite's words: " IN (SELECT value FROM json_each(?N))",
 * the array being bound as JSON text. Done once per statement, when it is prepared; NULL
 * when the SQL has no array (the common case: the SQL is used as it is).
 */
static char *sqlite_rewrite_arrays(const char *sql)
{
	static const char from[] = "= ANY(?", to[] = "IN (SELECT value FROM json_each(?";
	const char *p = sql, *hit;
	size_t n = 0, len = strlen(sql);
	char *out, *o;

	for (const char *q = sql; (q = strstr(q, from)); q += sizeof(from) - 1)
		n++;
	if (!n)
		return NULL;
	out = o = malloc(len + n * (sizeof(to) - sizeof(from) + 1) + 1);
	if (!out)
		die_oom();
	while ((hit = strstr(p, from))) {
		const char *num = hit + sizeof(from) - 1;
		size_t digits = strspn(num, "0123456789");

		memcpy(o, p, (size_t)(hit - p));
		o += hit - p;
		memcpy(o, to, sizeof(to) - 1);
		o += sizeof(to) - 1;
		memcpy(o, num, digits);
		o += digits;
		*o++ = ')'; /* closes json_each(; the ANY( parenthesis closes the SELECT */
		p = num + digits;
	}
	memcpy(o, p, strlen(p) + 1);
	return out;
}

static struct db_stmt *sqlite_prepare(struct db *db, const char *sql, struct error *err)
{
	struct sqlite_db *d = DB(db);
	/* Fibonacci hashing: the product's high bits are the well-mixed ones */
	size_t h = (size_t)(((uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15ull) >> (64 - STMT_CACHE_BITS));
	struct sqlite_stmt *slot = NULL;
	char *rewritten;
	int rc;

	for (size_t probe = 0; probe < 8; probe++) {
		size_t i = (h + probe) & (STMT_CACHE_SIZE - 1);
		if (d->cache[i].sql == sql)
			return &d->cache[i].st.base;
		if (!d->cache[i].sql) {
			d->cache[i].sql = sql;
			slot = &d->cache[i].st;
			break;
		}
	}
	if (!slot) {
		slot = &d->uncached;
		sqlite3_finalize(slot->stmt);
		slot->stmt = NULL;
	}
	slot->base.backend = &db_backend_sqlite;
	slot->db = d;
	rewritten = sqlite_rewrite_arrays(sql);
	rc = sqlite3_prepare_v3(d->h, rewritten ? rewritten : sql, -1, SQLITE_PREPARE_PERSISTENT,
				&slot->stmt, NULL);
	free(rewritten);
	if (rc != SQLITE_OK) {
		sqlite_error(db, rc, err, "prepare");
		for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
			if (&d->cache[i].st == slot)
				d->cache[i].sql = NULL;
		sqlite3_finalize(slot->stmt);
		slot->stmt = NULL;
		return NULL;
	}
	return &slot->base;
}

static void sqlite_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(ST(st)->stmt, idx, v);
}

static void sqlite_bind_double(struct db_stmt *st, int idx, double v)
{
	sqlite3_bind_double(ST(st)->stmt, idx, v);
}

static void sqlite_bind_text(struct db_stmt *st, int idx, struct str v)
{
	if (!v.ptr)
		sqlite3_bind_null(ST(st)->stmt, idx);
	else
		sqlite3_bind_text64(ST(st)->stmt, idx, v.ptr, v.len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sqlite_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
	sqlite3_bind_blob64(ST(st)->stmt, idx, data, len, SQLITE_TRANSIENT);
}

static void sqlite_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(ST(st)->stmt, idx);
}

/*
 * Arrays are bound as JSON text for json_each() (see sqlite_rewrite_arrays); the bytes are
 * handed to SQLite, which frees them.
 */
static void sqlite_bind_json(struct db_stmt *st, int idx, struct buf *b)
{
	sqlite3_bind_text64(ST(st)->stmt, idx, b->ptr, b->len, free, SQLITE_UTF8);
}

static void sqlite_bind_int_array(struct db_stmt *st, int idx, const int64_t *v, size_t n)
{
	struct buf b;

	if (!v) {
		sqlite3_bind_null(ST(st)->stmt, idx);
		return;
	}
	buf_init(&b, NULL, 21 * n + 2);
	buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", (long long)v[i]);
	buf_putc(&b, ']');
	sqlite_bind_json(st, idx, &b);
}

static void sqlite_bind_text_array(struct db_stmt *st, int idx, const struct str *v, size_t n)
{
	struct buf b;

	if (!v) {
		sqlite3_bind_null(ST(st)->stmt, idx);
		return;
	}
	buf_init(&b, NULL, 40 * n + 2);
	buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		json_escape_to(&b, v[i]);
	}
	buf_putc(&b, ']');
	sqlite_bind_json(st, idx, &b);
}

/*
 * db_on_write for a statement outside a transaction: it is committed when its run ends, at
 * SQLITE_DONE or at a reset after its rows (an INSERT … RETURNING read for its one row).
 */
static void run_ended(struct sqlite_stmt *s)
{
	if (s->running && s->db->base.on_write && sqlite3_total_changes64(s->db->h) != s->changes_before)
		wrote(&s->db->base);
	s->running = false;
}

static int sqlite_step(struct db_stmt *st, struct error *err)
{
	struct sqlite_stmt *s = ST(st);
	int rc;

	if (!s->running && s->db->base.on_write) {
		s->running = true;
		s->changes_before = sqlite3_total_changes64(s->db->h);
	}
	rc = sqlite3_step(s->stmt);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		run_ended(s);
		return DB_DONE;
	}
	sqlite_error(&ST(st)->db->base, rc, err, "step");
	sqlite_reset(st);
	return -1;
}

static int64_t sqlite_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(ST(st)->stmt, col);
}

static double sqlite_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(ST(st)->stmt, col);
}

static struct str sqlite_col_text(struct db_stmt *st, int col)
{
	const char *p;
	if (sqlite3_column_type(ST(st)->stmt, col) == SQLITE_BLOB) {
		p = sqlite3_column_blob(ST(st)->stmt, col);
		return (struct str){ p ? p : "", (size_t)sqlite3_column_bytes(ST(st)->stmt, col) };
	}
	p = (const char *)sqlite3_column_text(ST(st)->stmt, col);
	if (!p)
		return STR_NULL;
	return (struct str){ p, (size_t)sqlite3_column_bytes(ST(st)->stmt, col) };
}

static bool sqlite_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(ST(st)->stmt, col) == SQLITE_NULL;
}

static void sqlite_reset(struct db_stmt *st)
{
	sqlite3_reset(ST(st)->stmt);
	sqlite3_clear_bindings(ST(st)->stmt);
	run_ended(ST(st));
}

static int64_t sqlite_changes(struct db *db)
{
	return sqlite3_changes64(DB(db)->h);
}

static int sqlite_begin(struct db *db, struct error *err)
{
	return sqlite_exec(db, "BEGIN IMMEDIATE", err);
}

static int sqlite_commit(struct db *db, struct error *err)
{
	int rc = sqlite_exec(db, "COMMIT", err); /* db_on_write once it is committed */
	if (rc < 0)
		sqlite_rollback(db);
	return rc;
}

/* PRAGMA data_version moves when another connection, of any process, commits (SQLite's own words). */
static bool sqlite_changed_elsewhere(struct db *db)
{
	struct sqlite_db *d = DB(db);
	int64_t v;

	if (!d->data_version && sqlite3_prepare_v2(d->h, "PRAGMA data_version", -1, &d->data_version, NULL) != SQLITE_OK)
		return true;
	if (sqlite3_step(d->data_version) != SQLITE_ROW) {
		sqlite3_reset(d->data_version);
		return true;
	}
	v = sqlite3_column_int64(d->data_version, 0);
	sqlite3_reset(d->data_version);
	if (v == d->seen_version)
		return false;
	d->seen_version = v;
	return true;
}

static void sqlite_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(DB(db)->h))
		sqlite3_exec(DB(db)->h, "ROLLBACK", NULL, NULL, NULL);
}

static void sqlite_checkpoint(struct db *db)
{
	int rc;
	/*
	 * Another connection's checkpoint (the checkpointer thread's PASSIVE one, every 100 ms)
	 * makes this one give up at once with SQLITE_BUSY, without the busy handler: try again
	 * for up to ~200 ms, or the log is left unemptied.
	 */
	for (int i = 0; (rc = sqlite3_wal_checkpoint_v2(DB(db)->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL)) ==
				SQLITE_BUSY && i < 100;
	     i++)
		sqlite3_sleep(2);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_warn("checkpoint: %s", sqlite3_errmsg(DB(db)->h));
}

/*
 * The log's frames copied into the database without waiting for anyone (PASSIVE): run by
 * store.c's checkpointer thread, so that no commit does it. SQLite's automatic checkpoint
 * runs inside the commit that fills the log past 1,000 pages — at the letting process's
 * 320 commands a second, a few times a second, each holding up the group commit's writes
 * (docs/BENCHMARKS.md).
 */
static void sqlite_checkpoint_passive(struct db *db)
{
	int rc = sqlite3_wal_checkpoint_v2(DB(db)->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
		log_warn("checkpoint: %s", sqlite3_errmsg(DB(db)->h));
}

static int sqlite_schema_change_begin(struct db *db, struct error *err)
{
	return sqlite_exec(db, "PRAGMA foreign_keys=OFF", err);
}

static void sqlite_schema_change_end(struct db *db)
{
	struct error e;
	error_init(&e, NULL);
	if (sqlite_exec(db, "PRAGMA foreign_keys=ON", &e) < 0)
		log_error("cannot turn foreign keys back on: %s", e.message ? e.message : "");
}

static int sqlite_foreign_key_check(struct db *db, struct error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(DB(db)->h, "PRAGMA foreign_key_check", -1, &st, NULL);

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

static int sqlite_begin_read(struct db *db, bool plan_once, struct error *err)
{
	(void)plan_once; /* SQLite plans a statement once, when it is prepared */
	struct db_stmt *st = sqlite_prepare(db, sql_begin_read, err);
	int rc;
	if (!st)
		return -1;
	rc = sqlite_step(st, err);
	sqlite_reset(st);
	return rc < 0 ? -1 : 0;
}

static void sqlite_end_read(struct db *db)
{
	struct error e;
	struct db_stmt *st;
	error_init(&e, NULL);
	if ((st = sqlite_prepare(db, sql_end_read, &e))) {
		(void)sqlite_step(st, &e);
		sqlite_reset(st);
	}
	sqlite_rollback(db); /* a COMMIT that failed leaves the snapshot open: never keep it */
}

/* WAL with synchronous=NORMAL: a commit is durable once a later one (or a checkpoint) syncs the log. */
static int sqlite_relax_commits(struct db *db, struct error *err)
{
	return sqlite_exec(db, "PRAGMA synchronous=NORMAL", err);
}

const struct db_backend db_backend_sqlite = {
	.name = "sqlite",
	.accepts = sqlite_accepts,
	.open = sqlite_open,
	.close = sqlite_close,
	.exec = sqlite_exec,
	.prepare = sqlite_prepare,
	.bind_int = sqlite_bind_int,
	.bind_double = sqlite_bind_double,
	.bind_text = sqlite_bind_text,
	.bind_null = sqlite_bind_null,
	.bind_blob = sqlite_bind_blob,
	.bind_int_array = sqlite_bind_int_array,
	.bind_text_array = sqlite_bind_text_array,
	.step = sqlite_step,
	.col_int = sqlite_col_int,
	.col_double = sqlite_col_double,
	.col_text = sqlite_col_text,
	.col_is_null = sqlite_col_is_null,
	.reset = sqlite_reset,
	.changes = sqlite_changes,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.checkpoint = sqlite_checkpoint,
	.checkpoint_passive = sqlite_checkpoint_passive,
	.schema_change_begin = sqlite_schema_change_begin,
	.schema_change_end = sqlite_schema_change_end,
	.foreign_key_check = sqlite_foreign_key_check,
	.begin_read = sqlite_begin_read,
	.end_read = sqlite_end_read,
	.relax_commits = sqlite_relax_commits,
	.changed_elsewhere = sqlite_changed_elsewhere,
};
