#include "store/store.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/store_epoch.h"
#include "store/store_internal.h"

#include <sodium.h>

struct conn_entry {
	struct db *db;
	struct conn_entry *next;
};

struct store {
	char *database;
	uint64_t generation; /* tells this store's thread-local connections from another's */
	pthread_mutex_t lock;
	struct conn_entry *conns; /* every connection opened, closed by store_close */
	const char *backend;
	atomic_int bookkeeping_ready; /* schema_migrations exists */
	/* the checkpointer (SQLite): copies the log into the database every CHECKPOINT_MS */
	pthread_t checkpointer;
	bool has_checkpointer, stopping;
	pthread_cond_t stop;
	/* called after a commit whose transaction queued a job (store_on_job_queued) */
	void (*job_queued)(void *arg);
	void *job_queued_arg;
	struct store_epoch *epoch; /* the kept views' versions (store_epoch.c) */
};

#define CHECKPOINT_MS 100

static _Atomic uint64_t store_generations = 1;

#define TL_SLOTS 4
static _Thread_local struct {
	uint64_t generation;
	struct db *db;
} tl_conns[TL_SLOTS];

/* This thread's open transaction queued a job (store_job_insert, store_job_queue_upsert). */
static _Thread_local bool tl_job_queued;

static void *checkpointer_main(void *arg)
{
	struct store *s = arg;
	struct error err;

	error_init(&err, NULL);
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		struct timespec until;
		struct db *db;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += CHECKPOINT_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->stop, &s->lock, &until);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->lock); /* store_db() takes it to register a new connection */
		if ((db = store_db(s, &err)) != NULL)
			db_checkpoint_passive(db);
		else
			error_forget(&err);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int store_open(const char *database, struct store **out, struct error *err)
{
	struct store *s;
	struct db *db;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		die_oom();
	s->database = strdup(database);
	if (!s->database)
		die_oom();
	s->generation = atomic_fetch_add(&store_generations, 1);
	pthread_mutex_init(&s->lock, NULL);
	/* open one connection now so a bad path fails at start, not on the first request */
	db = store_db(s, err);
	if (!db) {
		store_close(s);
		return -1;
	}
	s->backend = db_backend_name(db);
	s->epoch = store_epoch_new(database, db_has_notifications(db));
	db_on_write(db, store_epoch_wrote, s->epoch); /* the first connection was opened before the epoch */
	pthread_cond_init(&s->stop, NULL);
	if (db_wants_checkpointer(db))
		s->has_checkpointer = pthread_create(&s->checkpointer, NULL, checkpointer_main, s) == 0;
	*out = s;
	return 0;
}

bool store_database_is_file(const char *database)
{
	return !db_backend_pg.accepts(database);
}

/* A URL parameter at p whose value is a secret: libpq's password= and sslpassword=. */
static bool secret_parameter(const char *p)
{
	size_t name = strcspn(p, "=&");
	return p[name] == '=' && name >= 8 && strncmp(p + name - 8, "password", 8) == 0;
}

const char *store_database_shown(const char *database, char *out, size_t n)
{
	const char *userinfo = strstr(database, "://"), *at = NULL, *colon = NULL;
	bool url = userinfo && !store_database_is_file(database);
	size_t o = 0;

	if (url) {
		userinfo += 3;
		at = userinfo + strcspn(userinfo, "@/?");
		colon = *at == '@' ? memchr(userinfo, ':', (size_t)(at - userinfo)) : NULL;
	}
	for (const char *p = database; *p && o + 13 < n;) {
		if (colon && p == colon + 1) { /* user:PASSWORD@host */
			memcpy(out + o, "***", 3);
			o += 3;
			p = at;
		} else if (url && p > at && (p[-1] == '?' || p[-1] == '&') && secret_parameter(p)) {
			size_t name = strcspn(p, "=") + 1; /* password=, sslpassword= */
			if (o + name + 3 >= n)
				break;
			memcpy(out + o, p, name);
			memcpy(out + o + name, "***", 3);
			o += name + 3;
			p += name + strcspn(p + name, "&");
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->has_checkpointer) {
		pthread_mutex_lock(&s->lock);
		s->stopping = true;
		pthread_cond_signal(&s->stop);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->checkpointer, NULL);
		s->has_checkpointer = false;
	}
	store_epoch_free(s->epoch); /* its listener thread first: it uses no connection of the store's */
	s->epoch = NULL;
	pthread_mutex_lock(&s->lock);
	for (struct conn_entry *e = s->conns, *next; e; e = next) {
		next = e->next;
		db_close(e->db);
		free(e);
	}
	s->conns = NULL;
	pthread_mutex_unlock(&s->lock);
	for (int i = 0; i < TL_SLOTS; i++)
		if (tl_conns[i].generation == s->generation)
			tl_conns[i].generation = 0;
	pthread_mutex_destroy(&s->lock);
	if (s->backend)
		pthread_cond_destroy(&s->stop);
	free(s->database);
	free(s);
}

const char *store_backend(const struct store *s)
{
	return s->backend;
}

struct db *store_db(struct store *s, struct error *err)
{
	struct conn_entry *e;
	struct db *db;
	int victim = 0;

	for (int i = 0; i < TL_SLOTS; i++) {
		if (tl_conns[i].generation == s->generation)
			return tl_conns[i].db;
		if (tl_conns[i].generation == 0)
			victim = i;
	}
	if (db_open(s->database, &db, err) < 0)
		return NULL;
	if (s->epoch)
		db_on_write(db, store_epoch_wrote, s->epoch);
	e = malloc(sizeof(*e));
	if (!e)
		die_oom();
	e->db = db;
	pthread_mutex_lock(&s->lock);
	e->next = s->conns;
	s->conns = e;
	pthread_mutex_unlock(&s->lock);
	/* a slot of a store that is gone may be reused; a live store's connection stays owned by it */
	tl_conns[victim].generation = s->generation;
	tl_conns[victim].db = db;
	return db;
}

int store_begin(struct store *s, struct error *err)
{
	struct db *db = store_db(s, err);
	return db ? db_begin(db, err) : -1;
}

int store_commit(struct store *s, struct error *err)
{
	struct db *db = store_db(s, err);
	bool queued = tl_job_queued;

	tl_job_queued = false;
	if (!db || db_commit(db, err) < 0)
		return -1;
	if (queued && s->job_queued)
		s->job_queued(s->job_queued_arg);
	return 0;
}

void store_on_job_queued(struct store *s, void (*fn)(void *arg), void *arg)
{
	s->job_queued = fn;
	s->job_queued_arg = arg;
}

void store_note_job_queued(void)
{
	tl_job_queued = true;
}

int store_relax_commits(struct store *s, struct error *err)
{
	struct db *db = store_db(s, err);
	return db ? db_relax_commits(db, err) : -1;
}

static int exec_sql(struct store *s, const char *sql, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	return st ? stmt_exec(st, err) : -1;
}

int store_savepoint(struct store *s, struct error *err)
{
	return exec_sql(s, "SAVEPOINT job", err);
}

int store_savepoint_release(struct store *s, struct error *err)
{
	return exec_sql(s, "RELEASE SAVEPOINT job", err);
}

void store_savepoint_rollback(struct store *s)
{
	struct error err;
	error_init(&err, NULL);
	if (exec_sql(s, "ROLLBACK TO SAVEPOINT job", &err) == 0)
		exec_sql(s, "RELEASE SAVEPOINT job", &err);
}

/* This thread's connection if it has one: a thread without one has no transaction to end, so never open one for that. */
static struct db *open_conn(const struct store *s)
{
	for (int i = 0; i < TL_SLOTS; i++)
		if (tl_conns[i].generation == s->generation)
			return tl_conns[i].db;
	return NULL;
}

void store_rollback(struct store *s)
{
	struct db *db = open_conn(s);
	tl_job_queued = false;
	if (db)
		db_rollback(db);
}

int store_read_begin(struct store *s, struct error *err)
{
	struct db *db = store_db(s, err);
	return db ? db_begin_read(db, false, err) : -1;
}

int store_search_begin(struct store *s, struct error *err)
{
	struct db *db = store_db(s, err);
	return db ? db_begin_read(db, true, err) : -1;
}

void store_read_end(struct store *s)
{
	struct db *db = open_conn(s);
	if (db)
		db_end_read(db);
}

static const char sql_create_migrations[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL)";
static const char sql_current_version[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char sql_record_migration[] =
	"INSERT INTO schema_migrations(version, name, applied_at) VALUES (?1, ?2, ?3)";

/* Now to the millisecond, as the table's old default wrote it: 2024-01-02T03:04:05.678Z. */
static void bind_now_ms(struct db_stmt *st, int idx)
{
	struct timespec ts;
	struct tm tm;
	char out[32];
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(out, sizeof(out), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000));
	db_bind_text(st, idx, (struct str){ out, (size_t)n }); /* the backend copies the text */
}

static int current_version(struct db *db, int64_t *version, struct error *err)
{
	struct db_stmt *st = db_prepare(db, sql_current_version, err);
	int rc;
	if (!st)
		return -1;
	rc = db_step(st, err);
	if (rc < 0)
		return -1;
	*version = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return 0;
}

static const char sql_applied[] = "SELECT 1 FROM schema_migrations WHERE version = ?1";

static int migration_applied(struct db *db, int64_t version, bool *applied, struct error *err)
{
	struct db_stmt *st = db_prepare(db, sql_applied, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, version);
	rc = db_step(st, err);
	if (rc < 0)
		return -1;
	*applied = rc == DB_ROW;
	db_reset(st);
	return 0;
}

int store_schema_version(struct store *s, int64_t *version, struct error *err)
{
	struct db *db = store_db(s, err);
	if (!db)
		return -1;
	/*
	 * An empty database has no bookkeeping table yet: it is at version 0, not an
	 * error. Create it once per store, not on every call (readyz is hot).
	 */
	if (!atomic_load(&s->bookkeeping_ready)) {
		if (db_exec(db, sql_create_migrations, err) < 0)
			return -1;
		atomic_store(&s->bookkeeping_ready, 1);
	}
	return current_version(db, version, err);
}

const struct migration *store_migrations_of(const char *backend, size_t *count)
{
	if (backend && strcmp(backend, "sqlite") == 0) {
		*count = store_migrations_sqlite_count;
		return store_migrations_sqlite;
	}
	if (backend && strcmp(backend, "postgresql") == 0) {
		*count = store_migrations_pg_count;
		return store_migrations_pg;
	}
	*count = 0;
	return NULL;
}

/* Both sets have the same versions (tools/embed_migrations.py checks it at build time). */
int64_t store_schema_latest(void)
{
	return store_migrations_sqlite_count ? store_migrations_sqlite[store_migrations_sqlite_count - 1].version : 0;
}

int store_migrate(struct store *s, int *applied, struct error *err)
{
	struct db *db = store_db(s, err);
	const struct migration *set;
	size_t count;

	*applied = 0;
	if (!db)
		return -1;
	set = store_migrations_of(s->backend, &count);
	if (!set)
		return error_set(err, ERROR_INTERNAL, NULL, "no migrations for the %s backend", s->backend);
	if (db_exec(db, sql_create_migrations, err) < 0)
		return -1;
	atomic_store(&s->bookkeeping_ready, 1);
	if (db_schema_change_begin(db, err) < 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const struct migration *m = &set[i];
		struct db_stmt *st;

		bool applied_before;

		/*
		 * BEGIN IMMEDIATE, then look: two processes starting at once apply each
		 * migration once. Each version is looked up by itself, not compared with the
		 * highest applied one, so a migration merged with a lower number than one
		 * already applied is still applied.
		 */
		if (db_begin(db, err) < 0) {
			db_schema_change_end(db);
			return -1;
		}
		if (migration_applied(db, m->version, &applied_before, err) < 0)
			goto fail;
		if (applied_before) {
			db_rollback(db);
			continue;
		}
		if (db_exec(db, m->sql, err) < 0 || db_foreign_key_check(db, err) < 0) {
			err->kind = ERROR_INTERNAL;
			err->message = arena_printf(err->arena, "migration %04lld_%s failed: %s",
						    (long long)m->version, m->name,
						    err->message ? err->message : "");
			goto fail;
		}
		st = db_prepare(db, sql_record_migration, err);
		if (!st)
			goto fail;
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, str_from_cstr(m->name));
		bind_now_ms(st, 3);
		if (db_step(st, err) < 0)
			goto fail;
		db_reset(st);
		if (db_commit(db, err) < 0)
			goto fail;
		log_info("applied migration %04lld_%s", (long long)m->version, m->name);
		(*applied)++;
	}
	/*
	 * What a migration wrote would otherwise wait in the write-ahead log until enough later
	 * writes fill it; until then every read that misses the page cache looks there first
	 * (measured: 10% more CPU a card search after a migration at start, docs/BENCHMARKS.md).
	 */
	db_schema_change_end(db);
	if (*applied)
		db_checkpoint(db);
	return 0;
fail:
	db_rollback(db);
	db_schema_change_end(db);
	return -1;
}

struct str col_str(struct db_stmt *st, int col, struct arena *a)
{
	struct str v = db_col_text(st, col);
	if (!v.ptr)
		return STR_NULL;
	return (struct str){ arena_strndup(a, v.ptr, v.len), v.len };
}

void uuid_v4(char out[37])
{
	unsigned char b[16];
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

struct db_stmt *store_stmt(struct store *s, const char *sql, struct error *err)
{
	struct db *db = store_db(s, err);
	return db ? db_prepare(db, sql, err) : NULL;
}

struct db_stmt *store_stmt_by_backend(struct store *s, const char *sqlite_sql, const char *pg_sql,
				      struct error *err)
{
	struct db *db = store_db(s, err);
	if (!db)
		return NULL;
	return db_prepare(db, db_sql(db, sqlite_sql, pg_sql), err);
}

int stmt_exec(struct db_stmt *st, struct error *err)
{
	int rc = db_step(st, err);
	if (rc < 0)
		return -1;
	db_reset(st);
	return 0;
}

void store_bind_now(struct db_stmt *st, int idx)
{
	store_bind_time(st, idx, clock_now_us() / 1000000); /* the one clock: base/clock.h */
}

static void bind_utc(struct db_stmt *st, int idx, int64_t secs, bool date_only)
{
	time_t t = (time_t)secs;
	struct tm tm;
	char out[32];
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(out, sizeof(out), date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
	db_bind_text(st, idx, (struct str){ out, n }); /* the backend copies the text */
}

void store_bind_time(struct db_stmt *st, int idx, int64_t secs)
{
	bind_utc(st, idx, secs, false);
}

void store_bind_date(struct db_stmt *st, int idx, int64_t secs)
{
	bind_utc(st, idx, secs, true);
}

int stmt_insert_id(struct db_stmt *st, int64_t *id, struct error *err)
{
	int rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_INTERNAL, NULL, "an INSERT … RETURNING returned no row");
	if (id)
		*id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

int stmt_row(struct db_stmt *st, struct error *err)
{
	int rc = db_step(st, err);
	if (rc < 0)
		return -1;
	if (rc == DB_DONE) {
		db_reset(st);
		return 0;
	}
	return 1;
}

int stmt_collect(struct db_stmt *st, struct arena *a, size_t row_size, row_reader read, void **out, size_t *n,
		 struct error *err)
{
	size_t cap = 8;
	char *rows = arena_alloc(a, cap * row_size);
	int rc;

	*n = 0;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (*n == cap) {
			char *bigger = arena_alloc(a, 2 * cap * row_size);
			memcpy(bigger, rows, cap * row_size);
			rows = bigger;
			cap *= 2;
		}
		read(st, a, rows + (*n)++ * row_size);
	}
	if (rc < 0)
		return -1;
	db_reset(st);
	*out = rows;
	return 0;
}

int stmt_one(struct db_stmt *st, struct arena *a, row_reader read, void *row, const char *what, struct error *err)
{
	int rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such %s", what);
	read(st, a, row);
	db_reset(st);
	return 0;
}

struct store_epoch *store_epoch_of(struct store *s)
{
	return s->epoch;
}

uint64_t store_kept_epoch(struct store *s)
{
	struct error err;
	struct db *db;

	error_init(&err, NULL);
	if (!(db = store_db(s, &err))) {
		error_forget(&err);
		return 0;
	}
	return store_epoch_now(s->epoch, db);
}

int64_t store_changes(struct store *s)
{
	struct error e;
	struct db *db;
	error_init(&e, NULL);
	db = store_db(s, &e);
	return db ? db_changes(db) : 0;
}

