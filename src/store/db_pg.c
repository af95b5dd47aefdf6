/*
 * db_pg.c — the PostgreSQL backend of db.h, with libpq (issue 17).
 *
 * One libpq connection per struct db, used by one thread (store_db() keeps one per worker
 * thread). The SQL's "?N" become "$N" once, when db_prepare() first sees a statement; the
 * statement is prepared on the server (PQprepare) at its first db_step() on the connection,
 * with the types of the parameters bound then, and executed by name after that
 * (PQexecPrepared, text results). Parameters:
 *
 *   db_bind_int        int8, text format        db_bind_int_array   int8[] as '{1,2}'
 *   db_bind_double     float8, text format      db_bind_text_array  text[] as '{"a","b"}'
 *   db_bind_blob       bytea, binary format     db_bind_null        NULL
 *   db_bind_text       untyped ("unknown"), text format: the server types it from where it
 *                      stands, as it would a literal — a TEXT column, a timestamptz, a jsonb.
 *
 * A statement whose parameter types change between executions (an int where a double was)
 * is prepared again with the new types; a NULL fits any type.
 *
 * Errors: a connection that is gone (SQLSTATE class 08, 57P01…57P03, or no SQLSTATE with the
 * connection bad) is ERROR_UNAVAILABLE, retry after 1 s; the next use of the connection
 * reconnects (PQreset) and prepares its statements again — except inside a transaction, whose
 * statements went with the old connection: there every call fails until db_rollback() or
 * db_commit() ends it, so no half of a transaction is ever committed on a new connection. A
 * reconnection that fails is tried again only after a backoff (100 ms doubling to 5 s, see
 * pg_ready); meanwhile the connection answers ERROR_UNAVAILABLE at once.
 * A serialization failure or deadlock (40001, 40P01) is also ERROR_UNAVAILABLE, as SQLite's
 * busy database is. A unique, foreign-key or other integrity violation (class 23) is
 * ERROR_CONFLICT with the SQLite backend's messages; anything else ERROR_INTERNAL with
 * PostgreSQL's message.
 *
 * Write transactions (db_begin) take one advisory lock, so they run one at a time across every
 * process on the database, as on SQLite: see pg_begin for why that and not SERIALIZABLE.
 *
 * An error inside a transaction aborts the whole transaction on PostgreSQL (SQLite undoes the
 * one statement): a caller that goes on after a failed statement brackets it with a savepoint
 * (store_savepoint, as the group commit's jobs do), and none other may (docs/ARCHITECTURE.md,
 * "Several processes on PostgreSQL").
 *
 * The schema is src/store/migrations/pg/ (store.c applies the set of the store's backend).
 */
#include "store/db.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"

/* PostgreSQL's type OIDs (server/catalog/pg_type_d.h, stable across versions) */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701
#define OID_TEXT_ARRAY 1009
#define OID_INT8_ARRAY 1016

/* Statements by SQL address, as db_sqlite.c keeps them (see there for the sizes). */
#define STMT_CACHE_BITS 12
#define STMT_CACHE_SIZE (1u << STMT_CACHE_BITS)

struct pg_param {
	Oid type;    /* 0: untyped (text), or NULL */
	int format;  /* 0 text, 1 binary */
	int len;
	char *val;   /* NULL: SQL NULL; else small or malloc'd */
	char small[32];
};

struct pg_stmt {
	struct db_stmt base; /* first: a struct db_stmt * is a struct pg_stmt * */
	struct pg_db *db;
	char *sql;            /* "$N" form, malloc'd */
	int nparams;          /* highest N */
	char name[16];        /* server-side name; "" for the uncached slot */
	uint64_t prepared_in; /* the connection epoch it was prepared in; 0: not prepared */
	Oid *prepared_types;  /* nparams types it was prepared with */
	bool *mentioned;      /* nparams: whether the SQL has that $N (a statement may skip numbers) */
	struct pg_param *params;
	const char **values;  /* nparams each, for PQexecPrepared */
	int *lengths, *formats;
	PGresult *res;        /* NULL until the first step */
	int row, nrows;
	char **decoded;       /* bytea columns of the current row, PQunescapeBytea'd */
	size_t ndecoded;
};

struct pg_db {
	struct db base; /* first: a struct db * is a struct pg_db * */
	PGconn *conn;
	uint64_t epoch;   /* bumped by every (re)connection: statements prepared before are gone */
	bool in_tx;       /* between begin/begin_read and commit/rollback/end_read */
	bool relaxed;     /* relax_commits() was asked: applied again after a reconnection */
	int64_t backoff_ms;      /* after a failed reconnection: the wait before the next try (0: none failed) */
	int64_t reconnect_at_ms; /* monotonic ms before which no reconnection is tried */
	int64_t changes;
	struct {
		const char *sql; /* key: address of the SQL literal */
		struct pg_stmt st;
	} cache[STMT_CACHE_SIZE];
	struct pg_stmt uncached;
};

#define DB(d) ((struct pg_db *)(d))
#define ST(s) ((struct pg_stmt *)(s))

static bool pg_accepts(const char *database)
{
	return strncmp(database, "postgres://", 11) == 0 || strncmp(database, "postgresql://", 13) == 0;
}

/* ERROR_UNAVAILABLE, "what: msg", retry after 1 s */
static int unavailable(struct error *err, const char *what, const char *msg)
{
	error_set(err, ERROR_UNAVAILABLE, NULL, "%s%s%s", what, msg ? ": " : "", msg ? msg : "");
	err->retry_after = 1;
	return -1;
}

/* libpq's messages end in a newline */
static const char *trimmed(struct error *err, const char *msg)
{
	size_t n = msg ? strlen(msg) : 0;
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return err->arena ? arena_printf(err->arena, "%.*s", (int)n, msg ? msg : "") : "see the log";
}

/* Fills err from a failed result (res may be NULL: libpq had no memory or no connection). */
static int pg_error(struct pg_db *d, const PGresult *res, struct error *err, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(d->conn);

	if (!msg || !*msg)
		msg = PQerrorMessage(d->conn);
	if (state && strncmp(state, "23", 2) == 0) {
		if (strcmp(state, "23505") == 0)
			return error_set(err, ERROR_CONFLICT, "Conflict", "a record with these values already exists");
		if (strcmp(state, "23503") == 0)
			return error_set(err, ERROR_CONFLICT, "Conflict", "the record is referenced by, or refers to, another record");
		return error_set(err, ERROR_CONFLICT, "Conflict", "a constraint failed: %s", trimmed(err, msg));
	}
	if ((state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
		       strcmp(state, "57P03") == 0)) ||
	    PQstatus(d->conn) != CONNECTION_OK) {
		log_warn("postgresql %s: the connection is lost: %s", what, trimmed(err, msg));
		return unavailable(err, "the database connection is lost", trimmed(err, msg));
	}
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0))
		return unavailable(err, "the database is busy", trimmed(err, msg));
	return error_set(err, ERROR_INTERNAL, NULL, "postgresql %s: %s (%s)", what, trimmed(err, msg),
			 state ? state : "no SQLSTATE");
}

/* Notices (e.g. "there is no transaction in progress") go to rentd's log, not to stderr. */
static void pg_notice(void *arg, const char *message)
{
	size_t n = strlen(message);
	(void)arg;
	while (n && message[n - 1] == '\n')
		n--;
	log_info("postgresql: %.*s", (int)n, message);
}

/* What every new connection runs: timestamps are bound from C as UTC; see pg_relax_commits. */
static int pg_session_setup(struct pg_db *d, struct error *err)
{
	PGresult *res;
	const char *sql = d->relaxed ? "SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'; SET synchronous_commit = off"
				     : "SET TimeZone = 'UTC'; SET client_encoding = 'UTF8'";

	res = PQexec(d->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_error(d, res, err, "session setup");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	d->epoch++;
	return 0;
}

static void pg_close(struct db *db);

/*
 * A new connection to database (a URL), or NULL with err (ERROR_UNAVAILABLE). Keywords given
 * here are defaults: later keywords win, and the URL's own (expanded from dbname) win over them.
 * listener: short TCP keepalives too, so a listener's round trip to a silent peer ends (db_listen).
 */
static PGconn *pg_connect(const char *database, bool listener, struct error *err)
{
	static const char *const keys[] = { "connect_timeout", "application_name", "keepalives", "keepalives_idle",
					    "keepalives_interval", "keepalives_count", "dbname", NULL };
	/* an empty value is no keyword: the other connections keep libpq's and the system's keepalives */
	const char *values[] = { "10", listener ? "rentd-listener" : "rentd", listener ? "1" : "", listener ? "5" : "",
				 listener ? "2" : "", listener ? "3" : "", database, NULL };
	PGconn *conn = PQconnectdbParams(keys, values, 1);

	if (!conn)
		die_oom();
	if (PQstatus(conn) != CONNECTION_OK) {
		/* the message names host and port; the URL is not repeated: it may hold a password */
		unavailable(err, "cannot connect to PostgreSQL", trimmed(err, PQerrorMessage(conn)));
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, pg_notice, NULL);
	return conn;
}

static int pg_open(const char *database, struct db **out, struct error *err)
{
	struct pg_db *d;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		die_oom();
	d->base.backend = &db_backend_pg;
	if (!(d->conn = pg_connect(database, false, err)) || pg_session_setup(d, err) < 0) {
		pg_close(&d->base);
		return -1;
	}
	*out = &d->base;
	return 0;
}

static void stmt_clear(struct pg_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
	for (size_t i = 0; i < s->ndecoded; i++)
		PQfreemem(s->decoded[i]);
	s->ndecoded = 0;
	for (int i = 0; i < s->nparams; i++) {
		struct pg_param *p = &s->params[i];
		if (p->val && p->val != p->small)
			free(p->val);
		p->val = NULL;
		p->type = 0;
		p->format = 0;
		p->len = 0;
	}
}

static void stmt_free(struct pg_stmt *s)
{
	stmt_clear(s);
	free(s->decoded);
	free(s->params);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	free(s->prepared_types);
	free(s->mentioned);
	free(s->sql);
	memset(s, 0, sizeof(*s));
}

static void pg_close(struct db *db)
{
	struct pg_db *d = DB(db);

	for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
		if (d->cache[i].sql)
			stmt_free(&d->cache[i].st);
	stmt_free(&d->uncached);
	PQfinish(d->conn);
	free(d);
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The wait after a failed reconnection: RECONNECT_FIRST_MS, doubling up to RECONNECT_MAX_MS. */
#define RECONNECT_FIRST_MS 100
#define RECONNECT_MAX_MS 5000
static int64_t next_backoff_ms(int64_t backoff_ms)
{
	if (backoff_ms <= 0)
		return RECONNECT_FIRST_MS;
	return backoff_ms >= RECONNECT_MAX_MS / 2 ? RECONNECT_MAX_MS : backoff_ms * 2;
}

/*
 * Before each round trip: a connection that broke is made again, unless a transaction was
 * open on it (that transaction is gone: the caller must roll back first). A reconnection that
 * fails is not tried again before its backoff has passed (100 ms, doubling to 5 s while the
 * server stays away): meanwhile every use answers ERROR_UNAVAILABLE at once, so a server that
 * restarts is not hammered by every thread of every process, and a request fails fast instead
 * of waiting for a connection timeout. The first success resets the backoff.
 */
static int pg_ready(struct pg_db *d, struct error *err)
{
	int64_t now;

	if (PQstatus(d->conn) == CONNECTION_OK)
		return 0;
	if (d->in_tx)
		return unavailable(err, "the database connection was lost inside a transaction", NULL);
	now = monotonic_ms();
	if (d->backoff_ms && now < d->reconnect_at_ms) {
		error_set(err, ERROR_UNAVAILABLE, NULL, "the database connection is lost; next try in %lld ms",
			  (long long)(d->reconnect_at_ms - now));
		err->retry_after = (int)((d->reconnect_at_ms - now + 999) / 1000);
		return -1;
	}
	PQreset(d->conn);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		d->backoff_ms = next_backoff_ms(d->backoff_ms);
		d->reconnect_at_ms = monotonic_ms() + d->backoff_ms;
		log_warn("postgresql: cannot reconnect (next try in %lld ms): %s", (long long)d->backoff_ms,
			 trimmed(err, PQerrorMessage(d->conn)));
		error_set(err, ERROR_UNAVAILABLE, NULL, "cannot reconnect to PostgreSQL (next try in %lld ms): %s",
			  (long long)d->backoff_ms, trimmed(err, PQerrorMessage(d->conn)));
		err->retry_after = (int)((d->backoff_ms + 999) / 1000);
		return -1;
	}
	d->backoff_ms = 0;
	log_info("reconnected to PostgreSQL");
	return pg_session_setup(d, err);
}

/* A statement of no parameters and no rows (SET, BEGIN, DDL; several at once with ';'). */
static int pg_command(struct pg_db *d, const char *sql, struct error *err, const char *what)
{
	PGresult *res;
	ExecStatusType status;

	if (pg_ready(d, err) < 0)
		return -1;
	res = PQexec(d->conn, sql);
	status = PQresultStatus(res);
	/* PGRES_EMPTY_QUERY: text of comments alone, as a migration with nothing to do (0018) */
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
		pg_error(d, res, err, what);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* Outside a transaction the statements committed by themselves: counted as a write (db_on_write), whatever they did. */
static int pg_exec(struct db *db, const char *sql, struct error *err)
{
	struct pg_db *d = DB(db);
	if (pg_command(d, sql, err, "exec") < 0)
		return -1;
	if (!d->in_tx && d->base.on_write)
		d->base.on_write(d->base.on_write_arg);
	return 0;
}

/*
 * "?N" → "$N", outside string literals ('…', E'…' with backslash escapes, $tag$…$tag$),
 * quoted identifiers ("…") and comments. Returns the new text, the highest N and, in
 * *mentioned (malloc'd, N entries; NULL when N is 0), whether the text has each 1…N. A '?'
 * without digits is left alone (PostgreSQL will say what it thinks of it).
 */
static char *rewrite_params(const char *sql, int *nparams, bool **mentioned)
{
	size_t len = strlen(sql);
	char *out = malloc(len + 1), *o = out;
	const char *p = sql;
	int max = 0;
	bool *seen = NULL;

	if (!out)
		die_oom();
	while (*p) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			bool backslashes = q == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
					   (p - 1 == sql || !(p[-2] == '_' || (p[-2] >= 'a' && p[-2] <= 'z') ||
							      (p[-2] >= 'A' && p[-2] <= 'Z') || (p[-2] >= '0' && p[-2] <= '9')));
			*o++ = *p++;
			while (*p) {
				if (backslashes && *p == '\\' && p[1]) {
					*o++ = *p++;
					*o++ = *p++;
					continue;
				}
				if (*p == q) {
					*o++ = *p++;
					if (*p == q) { /* '' or "" inside */
						*o++ = *p++;
						continue;
					}
					break;
				}
				*o++ = *p++;
			}
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			size_t n = end ? (size_t)(end + 2 - p) : strlen(p);
			memcpy(o, p, n);
			o += n;
			p += n;
			continue;
		}
		if (*p == '$') {
			/* a dollar quote: $$ or $tag$ (a tag does not start with a digit: that is $1) */
			size_t t = 1;
			while (p[t] == '_' || (p[t] >= 'a' && p[t] <= 'z') || (p[t] >= 'A' && p[t] <= 'Z') ||
			       (t > 1 && p[t] >= '0' && p[t] <= '9'))
				t++;
			if (p[t] == '$') {
				const char *end;
				char tag[64];
				size_t n;
				if (t + 1 < sizeof(tag)) {
					memcpy(tag, p, t + 1);
					tag[t + 1] = '\0';
					end = strstr(p + t + 1, tag);
					n = end ? (size_t)(end + t + 1 - p) : strlen(p);
					memcpy(o, p, n);
					o += n;
					p += n;
					continue;
				}
			}
			*o++ = *p++;
			continue;
		}
		if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			char *end;
			long n;
			errno = 0;
			n = strtol(p + 1, &end, 10);
			if (errno == 0 && n > 0 && n <= 65535) {
				if (n > max) {
					if (!(seen = realloc(seen, (size_t)n * sizeof(*seen))))
						die_oom();
					memset(seen + max, 0, (size_t)(n - max) * sizeof(*seen));
					max = (int)n;
				}
				seen[n - 1] = true;
				*o++ = '$';
				memcpy(o, p + 1, (size_t)(end - (p + 1)));
				o += end - (p + 1);
				p = end;
				continue;
			}
		}
		*o++ = *p++;
	}
	*o = '\0';
	*nparams = max;
	*mentioned = seen;
	return out;
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql, struct error *err)
{
	struct pg_db *d = DB(db);
	size_t h = (size_t)(((uint64_t)(uintptr_t)sql * 0x9E3779B97F4A7C15ull) >> (64 - STMT_CACHE_BITS));
	struct pg_stmt *slot = NULL;

	(void)err; /* the server sees the statement at its first step, with its parameters' types */
	for (size_t probe = 0; probe < 8; probe++) {
		size_t i = (h + probe) & (STMT_CACHE_SIZE - 1);
		if (d->cache[i].sql == sql)
			return &d->cache[i].st.base;
		if (!d->cache[i].sql) {
			d->cache[i].sql = sql;
			slot = &d->cache[i].st;
			snprintf(slot->name, sizeof(slot->name), "r%zu", i);
			break;
		}
	}
	if (!slot) {
		slot = &d->uncached;
		stmt_free(slot); /* name "": the unnamed statement, prepared at every step */
	}
	slot->base.backend = &db_backend_pg;
	slot->db = d;
	slot->sql = rewrite_params(sql, &slot->nparams, &slot->mentioned);
	if (slot->nparams) {
		slot->params = calloc((size_t)slot->nparams, sizeof(*slot->params));
		slot->prepared_types = calloc((size_t)slot->nparams, sizeof(*slot->prepared_types));
		slot->values = calloc((size_t)slot->nparams, sizeof(*slot->values));
		slot->lengths = calloc((size_t)slot->nparams, sizeof(*slot->lengths));
		slot->formats = calloc((size_t)slot->nparams, sizeof(*slot->formats));
		if (!slot->params || !slot->prepared_types || !slot->values || !slot->lengths || !slot->formats)
			die_oom();
	}
	return &slot->base;
}

static struct pg_param *param(struct db_stmt *st, int idx)
{
	struct pg_stmt *s = ST(st);
	struct pg_param *p;

	if (idx < 1 || idx > s->nparams)
		return NULL; /* as SQLite: a parameter the SQL does not have is ignored */
	p = &s->params[idx - 1];
	if (p->val && p->val != p->small)
		free(p->val);
	p->val = NULL;
	p->type = 0;
	p->format = 0;
	p->len = 0;
	return p;
}

/* Takes the bytes of b (malloc'd) as the parameter's value. */
static void param_take(struct pg_param *p, Oid type, int format, struct buf *b)
{
	p->type = type;
	p->format = format;
	p->len = (int)b->len;
	buf_putc(b, '\0');
	p->val = b->ptr;
}

static void pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	struct pg_param *p = param(st, idx);
	if (!p)
		return;
	p->type = OID_INT8;
	p->len = snprintf(p->small, sizeof(p->small), "%lld", (long long)v);
	p->val = p->small;
}

static void pg_bind_double(struct db_stmt *st, int idx, double v)
{
	struct pg_param *p = param(st, idx);
	if (!p)
		return;
	p->type = OID_FLOAT8;
	p->len = snprintf(p->small, sizeof(p->small), "%.17g", v); /* "inf", "nan": float8in takes them */
	p->val = p->small;
}

static void pg_bind_null(struct db_stmt *st, int idx)
{
	(void)param(st, idx);
}

static void pg_bind_text(struct db_stmt *st, int idx, struct str v)
{
	struct pg_param *p = param(st, idx);
	struct buf b;

	if (!p || !v.ptr)
		return;
	buf_init(&b, NULL, v.len + 1);
	buf_append(&b, v.ptr, v.len);
	param_take(p, 0, 0, &b);
}

static void pg_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
	struct pg_param *p = param(st, idx);
	struct buf b;

	if (!p)
		return;
	buf_init(&b, NULL, len + 1);
	buf_append(&b, data ? data : "", len);
	param_take(p, OID_BYTEA, 1, &b);
}

static void pg_bind_int_array(struct db_stmt *st, int idx, const int64_t *v, size_t n)
{
	struct pg_param *p = param(st, idx);
	struct buf b;

	if (!p)
		return;
	if (!v) {
		p->type = OID_INT8_ARRAY;
		return;
	}
	buf_init(&b, NULL, 21 * n + 3);
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", (long long)v[i]);
	buf_putc(&b, '}');
	param_take(p, OID_INT8_ARRAY, 0, &b);
}

/* Each element double-quoted, with '"' and '\' escaped by a backslash (array_in's rules). */
static void pg_bind_text_array(struct db_stmt *st, int idx, const struct str *v, size_t n)
{
	struct pg_param *p = param(st, idx);
	struct buf b;

	if (!p)
		return;
	if (!v) {
		p->type = OID_TEXT_ARRAY;
		return;
	}
	buf_init(&b, NULL, 40 * n + 3);
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_putc(&b, '"');
		for (size_t j = 0; j < v[i].len; j++) {
			if (v[i].ptr[j] == '"' || v[i].ptr[j] == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, v[i].ptr[j]);
		}
		buf_putc(&b, '"');
	}
	buf_putc(&b, '}');
	param_take(p, OID_TEXT_ARRAY, 0, &b);
}

/* Prepared on this connection with types that fit what is bound now? Else prepare (again). */
static int ensure_prepared(struct pg_stmt *s, struct error *err)
{
	struct pg_db *d = s->db;
	bool fits = s->prepared_in == d->epoch && s->name[0];
	PGresult *res;

	for (int i = 0; fits && i < s->nparams; i++)
		if (s->params[i].type && s->params[i].type != s->prepared_types[i])
			fits = false;
	if (fits)
		return 0;
	if (s->prepared_in == d->epoch && s->name[0]) {
		char sql[40];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		if (pg_command(d, sql, err, "deallocate") < 0)
			return -1;
	}
	s->prepared_in = 0;
	/*
	 * A number the SQL skips (SQLite ignores a value bound to it; the store binds a
	 * filter's whole parameter set to each of its statements) has no context for PostgreSQL
	 * to type it from: untyped (unbound, NULL or text), it is declared text, which takes
	 * any value (the SQL never reads it).
	 */
	for (int i = 0; i < s->nparams; i++)
		s->prepared_types[i] = s->params[i].type || s->mentioned[i] ? s->params[i].type : OID_TEXT;
	res = PQprepare(d->conn, s->name, s->sql, s->nparams, s->prepared_types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_error(d, res, err, "prepare");
		/* which statement: its text holds no values (they are bound), so it may be logged */
		if (err->kind == ERROR_INTERNAL)
			log_error("postgresql could not prepare: %.300s", s->sql);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	s->prepared_in = d->epoch;
	return 0;
}

static void pg_reset(struct db_stmt *st)
{
	stmt_clear(ST(st));
}

static int pg_execute(struct pg_stmt *s, struct error *err)
{
	struct pg_db *d = s->db;
	ExecStatusType status;
	const char *cmd;

	if (pg_ready(d, err) < 0 || ensure_prepared(s, err) < 0)
		return -1;
	for (int i = 0; i < s->nparams; i++) {
		s->values[i] = s->params[i].val;
		s->lengths[i] = s->params[i].len;
		s->formats[i] = s->params[i].format;
	}
	s->res = PQexecPrepared(d->conn, s->name, s->nparams, s->values, s->lengths, s->formats, 0);
	status = PQresultStatus(s->res);
	if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
		return pg_error(d, s->res, err, "step");
	/* as sqlite3_changes(): only what INSERT, UPDATE, DELETE (and MERGE) changed */
	cmd = PQcmdStatus(s->res);
	if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 || strncmp(cmd, "DELETE", 6) == 0 ||
	    strncmp(cmd, "MERGE", 5) == 0) {
		d->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
		if (!d->in_tx && d->changes > 0 && d->base.on_write) /* committed by itself */
			d->base.on_write(d->base.on_write_arg);
	}
	s->nrows = PQntuples(s->res);
	s->row = -1;
	return 0;
}

static int pg_step(struct db_stmt *st, struct error *err)
{
	struct pg_stmt *s = ST(st);

	if (!s->res) {
		if (pg_execute(s, err) < 0) {
			stmt_clear(s);
			return -1;
		}
	}
	for (size_t i = 0; i < s->ndecoded; i++)
		PQfreemem(s->decoded[i]);
	s->ndecoded = 0;
	if (s->row + 1 < s->nrows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->nrows;
	return DB_DONE;
}

static bool in_row(const struct pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);
	const char *v;

	if (!in_row(s, col) || PQgetisnull(s->res, s->row, col))
		return 0;
	v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static double pg_col_double(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);

	if (!in_row(s, col) || PQgetisnull(s->res, s->row, col))
		return 0;
	return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static struct str pg_col_text(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);
	const char *v;

	if (!in_row(s, col) || PQgetisnull(s->res, s->row, col))
		return STR_NULL;
	v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == OID_BYTEA) {
		size_t n = 0;
		unsigned char *bytes = PQunescapeBytea((const unsigned char *)v, &n);
		char **grown;
		if (!bytes)
			die_oom();
		grown = realloc(s->decoded, (s->ndecoded + 1) * sizeof(*s->decoded));
		if (!grown)
			die_oom();
		s->decoded = grown;
		s->decoded[s->ndecoded++] = (char *)bytes;
		return (struct str){ (const char *)bytes, n };
	}
	return (struct str){ v, (size_t)PQgetlength(s->res, s->row, col) };
}

static bool pg_col_is_null(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);
	return !in_row(s, col) || PQgetisnull(s->res, s->row, col);
}

static int64_t pg_changes(struct db *db)
{
	return DB(db)->changes;
}

/*
 * Write transactions take turns, as SQLite's BEGIN IMMEDIATE makes them: READ COMMITTED, then
 * a transaction-scoped advisory lock of one fixed key (WRITE_LOCK_KEY), waited for at most
 * 5 s as SQLite's busy timeout (lock_timeout: "the database is busy", ERROR_UNAVAILABLE) and
 * held until COMMIT or ROLLBACK. The lock is per database, so the write transactions of every
 * rentd process on it run one at a time; reads (db_begin_read, statements outside a
 * transaction) never take it. Each statement of a READ COMMITTED transaction sees every
 * commit made before it started, and every earlier writer has committed before the lock was
 * granted, so a check-then-write (look, then insert or update) sees what the writer before it
 * left and nobody writes in between: the store's checks stay correct as they are on SQLite.
 * And an event appended by one write transaction is committed, and visible, before the next
 * one can append: `events.seq` order is commit order, which the outbox's readers rely on
 * (docs/DECISIONS.md, "One event outbox", "PostgreSQL write transactions").
 *
 * Not SERIALIZABLE with retry: a serialization failure dooms the whole transaction, which for
 * the group commit is a batch of up to 512 API writes whose jobs have already run (their
 * results sit in memory, their clients are waiting), and for IN_TRANSACTION a C expression
 * with effects outside the database — neither can be re-run safely at begin/commit
 * granularity. Nor would it buy concurrency: nearly every write bumps the same counter rows
 * (card_generation, event_counts' total, listing_view_generations), so two write
 * transactions conflict anyway (and under row locks alone could deadlock on them). The
 * lock_timeout set with it bounds every lock wait of the transaction at 5 s, as SQLite's busy
 * timeout does.
 *
 * The lock is "rentd" in ASCII. Single statements outside a transaction (the job queue's
 * claim and updates, the session touches…) do not take it: each is atomic by itself and is
 * written to be right without it (docs/ARCHITECTURE.md, "Several processes on PostgreSQL").
 */
#define WRITE_LOCK_KEY "491328009316" /* 0x72656e7464 */
static const char sql_begin_write[] = "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '5s';"
				      " SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")";

static int pg_begin(struct db *db, struct error *err)
{
	struct pg_db *d = DB(db);
	if (pg_command(d, sql_begin_write, err, "begin") < 0) {
		/* the BEGIN may have run and the lock's wait failed: never leave that open */
		if (PQstatus(d->conn) == CONNECTION_OK && PQtransactionStatus(d->conn) != PQTRANS_IDLE)
			PQclear(PQexec(d->conn, "ROLLBACK"));
		return -1;
	}
	d->in_tx = true;
	return 0;
}

static void pg_rollback(struct db *db)
{
	struct pg_db *d = DB(db);
	PGTransactionStatusType ts = PQtransactionStatus(d->conn);

	d->in_tx = false;
	if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
		PQclear(PQexec(d->conn, "ROLLBACK"));
}

/*
 * COMMIT of a transaction that an error aborted answers "ROLLBACK" without an error:
 * that is a failed commit here.
 */
static int pg_commit(struct db *db, struct error *err)
{
	struct pg_db *d = DB(db);
	PGresult *res;
	int rc = 0;

	if (PQstatus(d->conn) != CONNECTION_OK) {
		d->in_tx = false;
		return unavailable(err, "the database connection was lost inside a transaction", NULL);
	}
	res = PQexec(d->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_error(d, res, err, "commit");
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		rc = error_set(err, ERROR_INTERNAL, NULL,
			       "postgresql commit: the transaction was rolled back after an earlier error");
	PQclear(res);
	pg_rollback(db);
	if (rc == 0 && d->base.on_write)
		d->base.on_write(d->base.on_write_arg);
	return rc;
}

/* A consistent snapshot of the database for several reads, as SQLite's deferred BEGIN. */
static int pg_begin_read(struct db *db, bool plan_once, struct error *err)
{
	struct pg_db *d = DB(db);
	const char *sql = plan_once ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
				      " SET LOCAL plan_cache_mode = force_generic_plan"
				    : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	if (pg_command(d, sql, err, "begin read") < 0)
		return -1;
	d->in_tx = true;
	return 0;
}

static void pg_end_read(struct db *db)
{
	struct pg_db *d = DB(db);
	if (PQstatus(d->conn) == CONNECTION_OK && PQtransactionStatus(d->conn) == PQTRANS_INTRANS)
		PQclear(PQexec(d->conn, "COMMIT"));
	pg_rollback(db); /* an aborted or failed one: never keep it open */
}

/*
 * LISTEN on a connection of its own (db_listen). Its socket is polled by the caller's thread;
 * PQconsumeInput reads what arrived and PQnotifies hands out the notifications. The ping is
 * a round trip ("SELECT 1"), so a server that went away is found on the next ping even when
 * the socket says nothing; TCP keepalives bound how long a round trip to a silent peer waits.
 */
struct pg_listener {
	struct db_listener base;
	PGconn *conn;
};

static void pg_listener_close(struct db_listener *base);

static int pg_listen(const char *database, const char *channel, struct db_listener **out, struct error *err)
{
	struct pg_listener *l;
	char *quoted, sql[160];
	PGresult *res;
	bool ok;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		die_oom();
	l->base.backend = &db_backend_pg;
	if (!(l->conn = pg_connect(database, true, err))) {
		free(l);
		return -1;
	}
	if (!(quoted = PQescapeIdentifier(l->conn, channel, strlen(channel))))
		die_oom();
	snprintf(sql, sizeof(sql), "LISTEN %s", quoted);
	PQfreemem(quoted);
	res = PQexec(l->conn, sql);
	if (!(ok = PQresultStatus(res) == PGRES_COMMAND_OK))
		unavailable(err, "postgresql listen", trimmed(err, PQresultErrorMessage(res)));
	PQclear(res);
	if (!ok) {
		pg_listener_close(&l->base);
		return -1;
	}
	*out = &l->base;
	return 0;
}

static int pg_listener_fd(struct db_listener *base)
{
	return PQsocket(((struct pg_listener *)base)->conn);
}

static int pg_listener_take(struct db_listener *base, bool ping)
{
	struct pg_listener *l = (struct pg_listener *)base;
	PGnotify *n;
	int count = 0;

	if (ping) {
		PGresult *res = PQexec(l->conn, "SELECT 1");
		bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		PQclear(res);
		if (!ok)
			return -1;
	}
	if (!PQconsumeInput(l->conn) || PQstatus(l->conn) != CONNECTION_OK)
		return -1;
	while ((n = PQnotifies(l->conn)) != NULL) {
		PQfreemem(n);
		count++;
	}
	return count;
}

static void pg_listener_close(struct db_listener *base)
{
	struct pg_listener *l = (struct pg_listener *)base;
	PQfinish(l->conn);
	free(l);
}

/* PostgreSQL checkpoints by itself (checkpoint_timeout, max_wal_size): nothing to do. */
static void pg_checkpoint(struct db *db)
{
	(void)db;
}

/*
 * Migrations: PostgreSQL alters tables in place and its DDL is transactional, so no table is
 * rebuilt and foreign keys stay enforced throughout; a migration cannot leave a dangling
 * reference behind (the statement that would fails), so the check has nothing to find.
 */
static int pg_schema_change_begin(struct db *db, struct error *err)
{
	(void)db;
	(void)err;
	return 0;
}

static void pg_schema_change_end(struct db *db)
{
	(void)db;
}

static int pg_foreign_key_check(struct db *db, struct error *err)
{
	(void)db;
	(void)err;
	return 0;
}

/*
 * The job workers' commits stop waiting for the WAL flush (synchronous_commit = off): as
 * SQLite's synchronous=NORMAL, a crash of the server may lose the last few commits (at most
 * 3 × wal_writer_delay, 600 ms by default), never corrupt the database. Kept across a
 * reconnection.
 */
static int pg_relax_commits(struct db *db, struct error *err)
{
	struct pg_db *d = DB(db);
	if (pg_command(d, "SET synchronous_commit = off", err, "relax commits") < 0)
		return -1;
	d->relaxed = true;
	return 0;
}

const struct db_backend db_backend_pg = {
	.name = "postgresql",
	.accepts = pg_accepts,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.bind_int_array = pg_bind_int_array,
	.bind_text_array = pg_bind_text_array,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_is_null = pg_col_is_null,
	.reset = pg_reset,
	.changes = pg_changes,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.checkpoint = pg_checkpoint,
	.checkpoint_passive = NULL, /* no checkpointer thread */
	.schema_change_begin = pg_schema_change_begin,
	.schema_change_end = pg_schema_change_end,
	.foreign_key_check = pg_foreign_key_check,
	.begin_read = pg_begin_read,
	.end_read = pg_end_read,
	.relax_commits = pg_relax_commits,
	.listen = pg_listen,
	.listener_fd = pg_listener_fd,
	.listener_take = pg_listener_take,
	.listener_close = pg_listener_close,
};
