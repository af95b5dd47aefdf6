/*
 * store_copy.c — `rentd copy --from sqlite:FILE --to postgresql://…` (store_copy.h).
 *
 * The source is always SQLite and the destination always PostgreSQL, so this file reads
 * SQLite's catalog (pragma_table_list, pragma_table_xinfo, sqlite_sequence) and writes
 * PostgreSQL's own statements (information_schema, OVERRIDING SYSTEM VALUE, DISABLE TRIGGER,
 * ALTER CONSTRAINT, setval, cursors): the one place outside the backends where SQL is not
 * portable, because copying between the two is what it is for. All of it goes through db.h.
 *
 *  1. Source: opened, never written; one read snapshot (a running server's later commits are
 *     not seen, but an exact copy wants the server stopped); its schema version must be this
 *     binary's latest. Destination: opened through the store and migrated to the latest.
 *  2. Tables: the destination's (information_schema), without schema_migrations; each must be
 *     in the source with the same columns, and every source table in the destination (SQLite's
 *     own tables — sqlite_sequence, the R*Tree's shadow tables — are not the schema's).
 *  3. One transaction on the destination: it must hold no row that its migrations did not
 *     write (a row's xmin is the transaction that wrote it; a migration's transaction also
 *     wrote its schema_migrations row), else the copy is refused — never an overwrite. Then
 *     every table is emptied (the migrations' reference data gives way to the source's),
 *     user triggers are disabled (the tables they keep — counts, cards, card_geo — are copied
 *     as they are, not counted twice), and foreign keys that point backwards in the copying
 *     order (self-references, cycles) are made DEFERRABLE INITIALLY DEFERRED for the
 *     transaction and back to what they were before it commits.
 *  4. Per table in foreign-key order: the source's rows (by primary key), every column but the
 *     generated ones inserted N rows to a statement, identity values kept (OVERRIDING SYSTEM
 *     VALUE); each row hashed on the way. Then the deferred checks run, triggers come back,
 *     identity sequences move past the copied maximum (or SQLite's AUTOINCREMENT high-water
 *     mark, whichever is higher: an id is never handed out twice).
 *  5. Every table read back from the destination (a cursor), counted and hashed the same way;
 *     any difference rolls it all back and names the table. Else COMMIT.
 *
 * Canonical values for the checksum, by the destination column's type: integers (bigint,
 * integer, smallint, boolean) in decimal; doubles with %.17g (exact); text as it is; bytea as
 * its bytes; NULL distinct from every value. A source value that is not of its column's type
 * (SQLite keeps '12abc' in an INTEGER column) is refused, not converted.
 *
 * Generated SQL: db_prepare() caches statements by the text's address (db.h), so every text
 * built here lives in one arena destroyed only after both connections are closed.
 */
#include "store/store_copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/db.h"
#include "store/store.h"

/* Rows per INSERT, fewer for wide tables: PostgreSQL takes at most 65535 parameters. */
#define ROWS_PER_INSERT 200
#define MAX_PARAMS 65535
#define ROWS_PER_FETCH 2000
#define PROGRESS_EVERY_S 3

enum col_kind { COL_INT, COL_DOUBLE, COL_TEXT, COL_BLOB, COL_OTHER };

struct copy_col {
	const char *name;
	enum col_kind kind;
	bool identity, generated;
};

struct copy_table {
	const char *name;
	struct copy_col *cols;
	size_t ncols, cap;
	const char **pk;
	size_t npk, pkcap;
	int64_t rows, identity_max;
	struct store_copy_sum src, dst;
};

struct copy_fk {
	const char *name;
	size_t child, parent;
	bool deferrable, altered;
};

struct copy {
	struct arena *sql; /* every generated SQL text and catalog name: freed after the connections close */
	struct error *err;
	struct db *src, *dst;
	struct copy_table *tables;
	size_t ntables;
	struct copy_fk *fks;
	size_t nfks;
	size_t *order;
	store_copy_progress progress;
	void *progress_arg;
	struct timespec last_progress;
};

/* ---- the checksum ---- */

void store_copy_row_begin(struct store_copy_row *r)
{
	crypto_hash_sha256_init(&r->st);
}

void store_copy_row_value(struct store_copy_row *r, const void *p, size_t n)
{
	unsigned char head[9];

	if (!p) {
		head[0] = 'N';
		crypto_hash_sha256_update(&r->st, head, 1);
		return;
	}
	head[0] = 'V';
	for (int i = 0; i < 8; i++)
		head[1 + i] = (unsigned char)((uint64_t)n >> (8 * i));
	crypto_hash_sha256_update(&r->st, head, sizeof(head));
	crypto_hash_sha256_update(&r->st, p, n);
}

void store_copy_row_end(struct store_copy_row *r, struct store_copy_sum *s)
{
	unsigned char d[crypto_hash_sha256_BYTES];
	unsigned carry = 0;

	crypto_hash_sha256_final(&r->st, d);
	for (int i = 0; i < 32; i++) {
		carry += (unsigned)s->sum[i] + d[i];
		s->sum[i] = (unsigned char)carry;
		carry >>= 8;
	}
	s->rows++;
}

bool store_copy_sum_eq(const struct store_copy_sum *a, const struct store_copy_sum *b)
{
	return a->rows == b->rows && memcmp(a->sum, b->sum, sizeof(a->sum)) == 0;
}

void store_copy_sum_hex(const struct store_copy_sum *s, char out[17])
{
	crypto_hash_sha256_state st;
	unsigned char d[crypto_hash_sha256_BYTES], rows[8];

	for (int i = 0; i < 8; i++)
		rows[i] = (unsigned char)((uint64_t)s->rows >> (8 * i));
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, rows, sizeof(rows));
	crypto_hash_sha256_update(&st, s->sum, sizeof(s->sum));
	crypto_hash_sha256_final(&st, d);
	sodium_bin2hex(out, 17, d, 8);
}

/* ---- the order ---- */

void store_copy_order(size_t n, const size_t (*edges)[2], size_t nedges, size_t *order, bool *backward)
{
	bool *placed = calloc(n ? n : 1, sizeof(*placed));
	size_t *pos = calloc(n ? n : 1, sizeof(*pos));

	if (!placed || !pos)
		die_oom();
	for (size_t k = 0; k < n; k++) {
		size_t pick = n;
		for (size_t t = 0; t < n && pick == n; t++) {
			bool ready = !placed[t];
			for (size_t e = 0; ready && e < nedges; e++)
				if (edges[e][0] == t && edges[e][1] != t && !placed[edges[e][1]])
					ready = false;
			if (ready)
				pick = t;
		}
		for (size_t t = 0; t < n && pick == n; t++) /* a cycle: the lowest unplaced table */
			if (!placed[t])
				pick = t;
		placed[pick] = true;
		pos[pick] = k;
		order[k] = pick;
	}
	for (size_t e = 0; e < nedges; e++)
		backward[e] = pos[edges[e][1]] >= pos[edges[e][0]];
	free(placed);
	free(pos);
}

/* ---- helpers ---- */

/* Puts what the copy was doing in front of err's message: "copying listings: …". */
static int fail_in(struct copy *c, const char *doing, const char *name)
{
	const char *inner = c->err->message ? c->err->message : "";
	char *msg;

	if (!c->err->arena)
		return -1;
	msg = arena_printf(c->err->arena, "%s%s%s: %s", doing, name ? " " : "", name ? name : "", inner);
	c->err->kind = c->err->kind ? c->err->kind : ERROR_INTERNAL;
	c->err->message = msg;
	return -1;
}

static void quote_ident(struct buf *b, const char *name)
{
	buf_putc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* The text of b, kept in c->sql until the connections are closed. */
static const char *keep(struct copy *c, struct buf *b)
{
	char *s = arena_strndup(c->sql, b->ptr, b->len);
	buf_free(b);
	return s;
}

static void progress(struct copy *c, const char *phase, const struct copy_table *t, int64_t done)
{
	struct timespec now;
	if (!c->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - c->last_progress.tv_sec < PROGRESS_EVERY_S)
		return;
	c->last_progress = now;
	c->progress(c->progress_arg, phase, t->name, done, t->rows);
}

static struct copy_table *table_named(struct copy *c, struct str name)
{
	for (size_t i = 0; i < c->ntables; i++)
		if (str_eq_cstr(name, c->tables[i].name))
			return &c->tables[i];
	return NULL;
}

static size_t table_index(struct copy *c, struct str name)
{
	struct copy_table *t = table_named(c, name);
	return t ? (size_t)(t - c->tables) : c->ntables;
}

static char *dup_col(struct copy *c, struct db_stmt *st, int col)
{
	struct str v = db_col_text(st, col);
	return arena_strndup(c->sql, v.ptr ? v.ptr : "", v.ptr ? v.len : 0);
}

static enum col_kind kind_of(struct str type)
{
	if (str_eq_cstr(type, "bigint") || str_eq_cstr(type, "integer") || str_eq_cstr(type, "smallint") ||
	    str_eq_cstr(type, "boolean"))
		return COL_INT;
	if (str_eq_cstr(type, "double precision") || str_eq_cstr(type, "real"))
		return COL_DOUBLE;
	if (str_eq_cstr(type, "text") || str_eq_cstr(type, "character varying") || str_eq_cstr(type, "character"))
		return COL_TEXT;
	if (str_eq_cstr(type, "bytea"))
		return COL_BLOB;
	return COL_OTHER; /* compared as the text each side gives: a difference fails the copy */
}

/* Runs a statement of no parameters and no rows that was built at run time. */
static int run(struct copy *c, struct db *db, struct buf *b)
{
	const char *sql = keep(c, b);
	return db_exec(db, sql, c->err);
}

/* ---- 1. the source ---- */

static const char sql_src_version[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

static int open_source(struct copy *c, const char *file)
{
	struct stat sb;
	struct db_stmt *st;
	int64_t version;
	int rc;

	/* SQLite would create a missing file: the source must exist */
	if (stat(file, &sb) < 0 || !S_ISREG(sb.st_mode))
		return error_set(c->err, ERROR_PRECONDITION, NULL, "the source %s is not a file", file);
	if (db_open(file, &c->src, c->err) < 0 || db_begin_read(c->src, false, c->err) < 0)
		return -1;
	st = db_prepare(c->src, sql_src_version, c->err);
	if (!st)
		return error_set(c->err, ERROR_PRECONDITION, NULL, "the source %s is not a rentd database (%s)", file,
				 c->err->message ? c->err->message : "no schema_migrations");
	rc = db_step(st, c->err);
	if (rc < 0)
		return -1;
	version = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (version < store_schema_latest())
		return error_set(c->err, ERROR_PRECONDITION, NULL,
				 "the source %s is at schema version %lld, this rentd's is %lld: run rentd migrate "
				 "--database %s on it first",
				 file, (long long)version, (long long)store_schema_latest(), file);
	if (version > store_schema_latest())
		return error_set(c->err, ERROR_PRECONDITION, NULL,
				 "the source %s is at schema version %lld, newer than this rentd's %lld: use the rentd "
				 "that wrote it",
				 file, (long long)version, (long long)store_schema_latest());
	return 0;
}

/* ---- 2. the schema, from the destination's catalog, checked against the source's ---- */

static const char sql_dst_tables[] =
	"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	" AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name";
static const char sql_dst_columns[] =
	"SELECT table_name, column_name, data_type, is_identity, is_generated FROM information_schema.columns"
	" WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position";
static const char sql_dst_pk[] =
	"SELECT k.table_name, k.column_name FROM information_schema.table_constraints t"
	" JOIN information_schema.key_column_usage k ON k.constraint_schema = t.constraint_schema"
	" AND k.constraint_name = t.constraint_name AND k.table_name = t.table_name"
	" WHERE t.table_schema = current_schema() AND t.constraint_type = 'PRIMARY KEY'"
	" ORDER BY k.table_name, k.ordinal_position";
static const char sql_dst_fks[] =
	"SELECT DISTINCT f.table_name, p.table_name, f.constraint_name, f.is_deferrable"
	" FROM information_schema.referential_constraints r"
	" JOIN information_schema.table_constraints f ON f.constraint_schema = r.constraint_schema"
	" AND f.constraint_name = r.constraint_name AND f.constraint_type = 'FOREIGN KEY'"
	" JOIN information_schema.table_constraints p ON p.constraint_schema = r.unique_constraint_schema"
	" AND p.constraint_name = r.unique_constraint_name"
	" WHERE f.table_schema = current_schema() ORDER BY 1, 3";
/* SQLite's: its own tables (sqlite_*) and an R*Tree's shadow tables are not the schema's */
static const char sql_src_tables[] =
	"SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')"
	" AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> 'schema_migrations' ORDER BY name";
static const char sql_src_columns[] = "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden <> 1";

static struct copy_col *col_named(struct copy_table *t, struct str name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (str_eq_cstr(name, t->cols[i].name))
			return &t->cols[i];
	return NULL;
}

static int read_destination_schema(struct copy *c)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if (!(st = db_prepare(c->dst, sql_dst_tables, c->err)))
		return -1;
	while ((rc = db_step(st, c->err)) == DB_ROW) {
		if (c->ntables == cap) {
			struct copy_table *bigger = arena_calloc(c->sql, cap ? 2 * cap : 64, sizeof(*bigger));
			if (cap)
				memcpy(bigger, c->tables, cap * sizeof(*bigger));
			c->tables = bigger;
			cap = cap ? 2 * cap : 64;
		}
		c->tables[c->ntables++].name = dup_col(c, st, 0);
	}
	if (rc < 0)
		return -1;
	db_reset(st);
	if (c->ntables == 0)
		return error_set(c->err, ERROR_INTERNAL, NULL, "the destination has no tables after its migrations");

	if (!(st = db_prepare(c->dst, sql_dst_columns, c->err)))
		return -1;
	while ((rc = db_step(st, c->err)) == DB_ROW) {
		struct copy_table *t = table_named(c, db_col_text(st, 0));
		struct copy_col *col;
		if (!t)
			continue; /* a view's, or schema_migrations' */
		if (t->ncols == t->cap) {
			struct copy_col *bigger = arena_calloc(c->sql, t->cap ? 2 * t->cap : 16, sizeof(*bigger));
			if (t->cap)
				memcpy(bigger, t->cols, t->cap * sizeof(*bigger));
			t->cols = bigger;
			t->cap = t->cap ? 2 * t->cap : 16;
		}
		col = &t->cols[t->ncols++];
		col->name = dup_col(c, st, 1);
		col->kind = kind_of(db_col_text(st, 2));
		col->identity = str_eq_cstr(db_col_text(st, 3), "YES");
		col->generated = !str_eq_cstr(db_col_text(st, 4), "NEVER");
	}
	if (rc < 0)
		return -1;
	db_reset(st);

	if (!(st = db_prepare(c->dst, sql_dst_pk, c->err)))
		return -1;
	while ((rc = db_step(st, c->err)) == DB_ROW) {
		struct copy_table *t = table_named(c, db_col_text(st, 0));
		if (!t)
			continue;
		if (t->npk == t->pkcap) {
			const char **bigger = arena_calloc(c->sql, t->pkcap ? 2 * t->pkcap : 4, sizeof(*bigger));
			if (t->pkcap)
				memcpy(bigger, t->pk, t->pkcap * sizeof(*bigger));
			t->pk = bigger;
			t->pkcap = t->pkcap ? 2 * t->pkcap : 4;
		}
		t->pk[t->npk++] = dup_col(c, st, 1);
	}
	if (rc < 0)
		return -1;
	db_reset(st);

	cap = 0;
	if (!(st = db_prepare(c->dst, sql_dst_fks, c->err)))
		return -1;
	while ((rc = db_step(st, c->err)) == DB_ROW) {
		size_t child = table_index(c, db_col_text(st, 0)), parent = table_index(c, db_col_text(st, 1));
		struct copy_fk *fk;
		if (child == c->ntables || parent == c->ntables)
			continue;
		if (c->nfks == cap) {
			struct copy_fk *bigger = arena_calloc(c->sql, cap ? 2 * cap : 64, sizeof(*bigger));
			if (cap)
				memcpy(bigger, c->fks, cap * sizeof(*bigger));
			c->fks = bigger;
			cap = cap ? 2 * cap : 64;
		}
		fk = &c->fks[c->nfks++];
		fk->child = child;
		fk->parent = parent;
		fk->name = dup_col(c, st, 2);
		fk->deferrable = str_eq_cstr(db_col_text(st, 3), "YES");
	}
	if (rc < 0)
		return -1;
	db_reset(st);
	return 0;
}

/* The same tables and columns on both sides, or no copy: a difference would lose data. */
static int check_source_schema(struct copy *c)
{
	struct db_stmt *st;
	int rc;

	if (!(st = db_prepare(c->src, sql_src_tables, c->err)))
		return -1;
	while ((rc = db_step(st, c->err)) == DB_ROW) {
		struct str name = db_col_text(st, 0);
		if (!table_named(c, name)) {
			error_set(c->err, ERROR_PRECONDITION, NULL,
				  "the source has a table %.*s that the destination's schema has not: is the "
				  "destination's rentd the same version?",
				  (int)name.len, name.ptr);
			db_reset(st);
			return -1;
		}
	}
	if (rc < 0)
		return -1;
	db_reset(st);
	for (size_t i = 0; i < c->ntables; i++) {
		struct copy_table *t = &c->tables[i];
		size_t seen = 0;
		if (!(st = db_prepare(c->src, sql_src_columns, c->err)))
			return -1;
		db_bind_text(st, 1, str_from_cstr(t->name));
		while ((rc = db_step(st, c->err)) == DB_ROW) {
			struct str name = db_col_text(st, 0);
			if (!col_named(t, name)) {
				error_set(c->err, ERROR_PRECONDITION, NULL,
					  "the source's table %s has a column %.*s that the destination's has not",
					  t->name, (int)name.len, name.ptr);
				db_reset(st);
				return -1;
			}
			seen++;
		}
		if (rc < 0)
			return -1;
		db_reset(st);
		if (seen == 0)
			return error_set(c->err, ERROR_PRECONDITION, NULL, "the source has no table %s", t->name);
		if (seen != t->ncols)
			return error_set(c->err, ERROR_PRECONDITION, NULL,
					 "the source's table %s has %zu columns, the destination's %zu", t->name, seen,
					 t->ncols);
	}
	return 0;
}

/* ---- 3. the destination: empty but for its migrations' rows, emptied, triggers off ---- */

static int check_destination_empty(struct copy *c)
{
	for (size_t i = 0; i < c->ntables; i++) {
		struct copy_table *t = &c->tables[i];
		struct buf b;
		struct db_stmt *st;
		int64_t n = 0;
		int rc;

		buf_init(&b, NULL, 128);
		buf_append_cstr(&b, "SELECT COUNT(*) FROM ");
		quote_ident(&b, t->name);
		buf_append_cstr(&b, " WHERE xmin NOT IN (SELECT xmin FROM schema_migrations)");
		if (!(st = db_prepare(c->dst, keep(c, &b), c->err)))
			return -1;
		rc = db_step(st, c->err);
		if (rc < 0)
			return -1;
		if (rc == DB_ROW)
			n = db_col_int(st, 0);
		db_reset(st);
		if (n > 0)
			return error_set(c->err, ERROR_CONFLICT, NULL,
					 "the destination already holds data: %lld row(s) of %s that its migrations did not "
					 "write; rentd copy fills only a new database (create an empty one and give it as --to)",
					 (long long)n, t->name);
	}
	return 0;
}

/* ALTER TABLE table [ALTER CONSTRAINT constraint] what, on the destination. */
static int alter_table(struct copy *c, const char *table, const char *constraint, const char *what)
{
	struct buf b;

	buf_init(&b, NULL, 128);
	buf_append_cstr(&b, "ALTER TABLE ");
	quote_ident(&b, table);
	if (constraint) {
		buf_append_cstr(&b, " ALTER CONSTRAINT ");
		quote_ident(&b, constraint);
	}
	buf_putc(&b, ' ');
	buf_append_cstr(&b, what);
	return run(c, c->dst, &b);
}

static int prepare_destination(struct copy *c)
{
	struct buf b;

	/* the migrations' reference data gives way to the source's; identities start again */
	buf_init(&b, NULL, 4096);
	buf_append_cstr(&b, "TRUNCATE TABLE ");
	for (size_t i = 0; i < c->ntables; i++) {
		if (i)
			buf_append_cstr(&b, ", ");
		quote_ident(&b, c->tables[i].name);
	}
	buf_append_cstr(&b, " RESTART IDENTITY");
	if (run(c, c->dst, &b) < 0)
		return fail_in(c, "emptying the destination", NULL);
	for (size_t i = 0; i < c->ntables; i++)
		if (alter_table(c, c->tables[i].name, NULL, "DISABLE TRIGGER USER") < 0)
			return fail_in(c, "disabling the triggers of", c->tables[i].name);
	for (size_t e = 0; e < c->nfks; e++) {
		struct copy_fk *fk = &c->fks[e];
		size_t pc = 0, pp = 0;
		for (size_t k = 0; k < c->ntables; k++) {
			if (c->order[k] == fk->child)
				pc = k;
			if (c->order[k] == fk->parent)
				pp = k;
		}
		if (pp < pc || fk->deferrable)
			continue;
		if (alter_table(c, c->tables[fk->child].name, fk->name, "DEFERRABLE INITIALLY DEFERRED") < 0)
			return fail_in(c, arena_printf(c->sql, "deferring the foreign key %s of %s", fk->name, c->tables[fk->child].name), NULL);
		fk->altered = true;
	}
	buf_init(&b, NULL, 64);
	buf_append_cstr(&b, "SET CONSTRAINTS ALL DEFERRED");
	return run(c, c->dst, &b);
}

/* After the rows: the deferred checks, the triggers and the constraints as they were. */
static int restore_destination(struct copy *c)
{
	struct buf b;

	buf_init(&b, NULL, 64);
	buf_append_cstr(&b, "SET CONSTRAINTS ALL IMMEDIATE");
	if (run(c, c->dst, &b) < 0)
		return fail_in(c, "checking the foreign keys", NULL);
	for (size_t e = 0; e < c->nfks; e++) {
		struct copy_fk *fk = &c->fks[e];
		if (!fk->altered)
			continue;
		if (alter_table(c, c->tables[fk->child].name, fk->name, "NOT DEFERRABLE") < 0)
			return -1;
	}
	for (size_t i = 0; i < c->ntables; i++)
		if (alter_table(c, c->tables[i].name, NULL, "ENABLE TRIGGER USER") < 0)
			return -1;
	return 0;
}

/* ---- 4. the rows ---- */

static const char sql_src_sequence[] = "SELECT seq FROM sqlite_sequence WHERE name = ?1";
static const char sql_dst_setval[] = "SELECT setval(pg_get_serial_sequence(?1, ?2), CAST(?3 AS BIGINT))";

static const char *select_sql(struct copy *c, const struct copy_table *t, bool by_key)
{
	struct buf b;

	buf_init(&b, NULL, 1024);
	buf_append_cstr(&b, "SELECT ");
	for (size_t i = 0; i < t->ncols; i++) {
		if (i)
			buf_append_cstr(&b, ", ");
		quote_ident(&b, t->cols[i].name);
	}
	buf_append_cstr(&b, " FROM ");
	quote_ident(&b, t->name);
	for (size_t i = 0; by_key && i < t->npk; i++) {
		buf_append_cstr(&b, i ? ", " : " ORDER BY ");
		quote_ident(&b, t->pk[i]);
	}
	return keep(c, &b);
}

static const char *insert_sql(struct copy *c, const struct copy_table *t, size_t rows)
{
	struct buf b;
	bool identity = false;
	size_t n = 0, param = 1;

	buf_init(&b, NULL, 4096);
	buf_append_cstr(&b, "INSERT INTO ");
	quote_ident(&b, t->name);
	buf_append_cstr(&b, " (");
	for (size_t i = 0; i < t->ncols; i++) {
		if (t->cols[i].generated)
			continue;
		if (n++)
			buf_append_cstr(&b, ", ");
		quote_ident(&b, t->cols[i].name);
		identity |= t->cols[i].identity;
	}
	buf_append_cstr(&b, identity ? ") OVERRIDING SYSTEM VALUE VALUES " : ") VALUES ");
	for (size_t r = 0; r < rows; r++) {
		buf_append_cstr(&b, r ? ", (" : "(");
		for (size_t i = 0; i < n; i++)
			buf_printf(&b, i ? ", ?%zu" : "?%zu", param++);
		buf_putc(&b, ')');
	}
	return keep(c, &b);
}

static size_t inserted_columns(const struct copy_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->ncols; i++)
		n += !t->cols[i].generated;
	return n;
}

/*
 * One source value: hashed, and bound to the insert at *param (unless generated). Integers and
 * doubles go as text in their canonical form, which the server types from the column.
 */
static int copy_value(struct copy *c, struct copy_table *t, size_t i, struct db_stmt *src, struct store_copy_row *row,
		      struct db_stmt *ins, int param)
{
	const struct copy_col *col = &t->cols[i];
	char num[40];
	struct str v;
	int n;

	if (db_col_is_null(src, (int)i)) {
		store_copy_row_value(row, NULL, 0);
		if (ins)
			db_bind_null(ins, param);
		return 0;
	}
	switch (col->kind) {
	case COL_INT: {
		int64_t x = db_col_int(src, (int)i);
		n = snprintf(num, sizeof(num), "%lld", (long long)x);
		v = db_col_text(src, (int)i);
		if (!str_eq_cstr(v, num))
			return error_set(c->err, ERROR_PRECONDITION, NULL,
					 "the source's %s.%s holds '%.*s', not an integer: nothing copied", t->name,
					 col->name, (int)(v.len > 40 ? 40 : v.len), v.ptr);
		if (col->identity && x > t->identity_max)
			t->identity_max = x;
		v = (struct str){ num, (size_t)n };
		break;
	}
	case COL_DOUBLE: {
		char *end, text[64];
		double x = db_col_double(src, (int)i);
		v = db_col_text(src, (int)i);
		if (v.len == 0 || v.len >= sizeof(text))
			end = NULL;
		else {
			memcpy(text, v.ptr, v.len);
			text[v.len] = '\0';
			(void)strtod(text, &end);
		}
		if (!end || *end)
			return error_set(c->err, ERROR_PRECONDITION, NULL,
					 "the source's %s.%s holds '%.*s', not a number: nothing copied", t->name, col->name,
					 (int)(v.len > 40 ? 40 : v.len), v.ptr);
		n = snprintf(num, sizeof(num), "%.17g", x);
		v = (struct str){ num, (size_t)n };
		break;
	}
	default:
		v = db_col_text(src, (int)i);
		if (!v.ptr)
			v = (struct str){ "", 0 };
	}
	store_copy_row_value(row, v.ptr, v.len);
	if (ins) {
		if (col->kind == COL_BLOB)
			db_bind_blob(ins, param, v.ptr, v.len);
		else
			db_bind_text(ins, param, v);
	}
	return 0;
}

static int run_insert(struct copy *c, struct copy_table *t, struct db_stmt *ins)
{
	int rc = db_step(ins, c->err);
	if (rc < 0)
		return fail_in(c, "copying", t->name);
	db_reset(ins);
	return 0;
}

static int copy_table_rows(struct copy *c, struct copy_table *t)
{
	const char *select = select_sql(c, t, true), *full, *part = NULL;
	size_t ncols = inserted_columns(t);
	size_t per = ROWS_PER_INSERT, in_batch = 0, batch = 0;
	struct db_stmt *src, *ins = NULL;
	struct buf count;
	int64_t left;
	int rc;

	if (ncols == 0)
		return error_set(c->err, ERROR_INTERNAL, NULL, "table %s has only generated columns", t->name);
	if (per * ncols > MAX_PARAMS)
		per = MAX_PARAMS / ncols;
	full = insert_sql(c, t, per);

	/* the count first (the same snapshot): the last statement is made for the rows left */
	buf_init(&count, NULL, 128);
	buf_append_cstr(&count, "SELECT COUNT(*) FROM ");
	quote_ident(&count, t->name);
	if (!(src = db_prepare(c->src, keep(c, &count), c->err)) || (rc = db_step(src, c->err)) < 0)
		return fail_in(c, "reading the source's", t->name);
	t->rows = left = rc == DB_ROW ? db_col_int(src, 0) : 0;
	db_reset(src);

	if (!(src = db_prepare(c->src, select, c->err)))
		return fail_in(c, "reading the source's", t->name);
	while ((rc = db_step(src, c->err)) == DB_ROW) {
		struct store_copy_row row;
		size_t param = 1 + in_batch * ncols;

		if (in_batch == 0) {
			if (left <= 0) {
				error_set(c->err, ERROR_INTERNAL, NULL, "the source's %s changed while it was read", t->name);
				goto fail;
			}
			batch = left < (int64_t)per ? (size_t)left : per;
			if (batch < per && !part)
				part = insert_sql(c, t, batch);
			if (!(ins = db_prepare(c->dst, batch < per ? part : full, c->err)))
				goto fail;
		}
		store_copy_row_begin(&row);
		for (size_t i = 0; i < t->ncols; i++) {
			bool generated = t->cols[i].generated;
			if (copy_value(c, t, i, src, &row, generated ? NULL : ins, (int)param) < 0)
				goto fail;
			param += !generated;
		}
		store_copy_row_end(&row, &t->src);
		if (++in_batch == batch) {
			if (run_insert(c, t, ins) < 0)
				goto fail;
			ins = NULL;
			in_batch = 0;
			left -= (int64_t)batch;
			progress(c, "copy", t, t->src.rows);
		}
	}
	if (rc < 0)
		return fail_in(c, "reading the source's", t->name);
	db_reset(src);
	if (in_batch || left)
		return error_set(c->err, ERROR_INTERNAL, NULL, "the source's %s changed while it was read", t->name);
	return 0;
fail:
	db_reset(src);
	if (ins)
		db_reset(ins);
	return -1;
}

/* Each identity sequence past the highest id copied or ever handed out by SQLite (AUTOINCREMENT). */
static int move_sequences(struct copy *c)
{
	for (size_t i = 0; i < c->ntables; i++) {
		struct copy_table *t = &c->tables[i];
		for (size_t k = 0; k < t->ncols; k++) {
			const struct copy_col *col = &t->cols[k];
			struct db_stmt *st;
			int64_t high = t->identity_max;
			struct buf name;
			int rc;

			if (!col->identity)
				continue;
			/* no sqlite_sequence (no AUTOINCREMENT table): nothing to learn there */
			if ((st = db_prepare(c->src, sql_src_sequence, c->err))) {
				db_bind_text(st, 1, str_from_cstr(t->name));
				if ((rc = db_step(st, c->err)) < 0)
					return fail_in(c, "reading sqlite_sequence for", t->name);
				if (rc == DB_ROW && db_col_int(st, 0) > high)
					high = db_col_int(st, 0);
				db_reset(st);
			} else {
				error_forget(c->err);
			}
			if (high <= 0)
				continue; /* TRUNCATE … RESTART IDENTITY left it at its start */
			if (!(st = db_prepare(c->dst, sql_dst_setval, c->err)))
				return -1;
			buf_init(&name, NULL, 64);
			quote_ident(&name, t->name);
			db_bind_text(st, 1, buf_str(&name));
			buf_free(&name);
			db_bind_text(st, 2, str_from_cstr(col->name));
			db_bind_int(st, 3, high);
			rc = db_step(st, c->err);
			db_reset(st);
			if (rc < 0)
				return fail_in(c, arena_printf(c->sql, "moving the identity of %s.%s", t->name, col->name), NULL);
		}
	}
	return 0;
}

/* ---- 5. read back ---- */

static int verify_table(struct copy *c, struct copy_table *t, size_t index)
{
	const char *select = select_sql(c, t, false);
	const char *fetch, *close;
	struct db_stmt *st;
	struct buf b;
	bool more = true;
	int rc;

	buf_init(&b, NULL, 1024);
	buf_printf(&b, "DECLARE rentd_copy_%zu NO SCROLL CURSOR FOR %s", index, select);
	if (run(c, c->dst, &b) < 0)
		return fail_in(c, "reading back", t->name);
	buf_init(&b, NULL, 64);
	buf_printf(&b, "FETCH FORWARD %d FROM rentd_copy_%zu", ROWS_PER_FETCH, index);
	fetch = keep(c, &b);
	buf_init(&b, NULL, 64);
	buf_printf(&b, "CLOSE rentd_copy_%zu", index);
	close = keep(c, &b);
	while (more) {
		int64_t got = 0;
		if (!(st = db_prepare(c->dst, fetch, c->err)))
			return -1;
		while ((rc = db_step(st, c->err)) == DB_ROW) {
			struct store_copy_row row;
			got++;
			store_copy_row_begin(&row);
			for (size_t i = 0; i < t->ncols; i++) {
				char num[40];
				struct str v;
				int n;
				if (db_col_is_null(st, (int)i)) {
					store_copy_row_value(&row, NULL, 0);
					continue;
				}
				switch (t->cols[i].kind) {
				case COL_INT:
					n = snprintf(num, sizeof(num), "%lld", (long long)db_col_int(st, (int)i));
					v = (struct str){ num, (size_t)n };
					break;
				case COL_DOUBLE:
					n = snprintf(num, sizeof(num), "%.17g", db_col_double(st, (int)i));
					v = (struct str){ num, (size_t)n };
					break;
				default:
					v = db_col_text(st, (int)i);
					if (!v.ptr)
						v = (struct str){ "", 0 };
				}
				store_copy_row_value(&row, v.ptr, v.len);
			}
			store_copy_row_end(&row, &t->dst);
		}
		if (rc < 0)
			return fail_in(c, "reading back", t->name);
		db_reset(st);
		more = got == ROWS_PER_FETCH;
		progress(c, "verify", t, t->dst.rows);
	}
	return db_exec(c->dst, close, c->err);
}

/* ---- all of it ---- */

static int copy_all(struct copy *c, const char *pg_url, struct arena *a, struct store_copy_result *out,
		    struct store **dest)
{
	size_t (*edges)[2];
	bool *backward;

	if (store_open(pg_url, dest, c->err) < 0 || store_migrate(*dest, &out->migrations_applied, c->err) < 0)
		return -1;
	if (!(c->dst = store_db(*dest, c->err)))
		return -1;
	if (read_destination_schema(c) < 0 || check_source_schema(c) < 0)
		return -1;

	edges = arena_calloc(c->sql, c->nfks + 1, sizeof(*edges));
	backward = arena_calloc(c->sql, c->nfks + 1, sizeof(*backward));
	c->order = arena_calloc(c->sql, c->ntables, sizeof(*c->order));
	for (size_t e = 0; e < c->nfks; e++) {
		edges[e][0] = c->fks[e].child;
		edges[e][1] = c->fks[e].parent;
	}
	store_copy_order(c->ntables, (const size_t(*)[2])edges, c->nfks, c->order, backward);

	if (db_begin(c->dst, c->err) < 0)
		return -1;
	if (check_destination_empty(c) < 0 || prepare_destination(c) < 0)
		goto fail;
	for (size_t k = 0; k < c->ntables; k++)
		if (copy_table_rows(c, &c->tables[c->order[k]]) < 0)
			goto fail;
	if (restore_destination(c) < 0 || move_sequences(c) < 0)
		goto fail;

	out->tables = arena_calloc(a, c->ntables, sizeof(*out->tables));
	for (size_t k = 0; k < c->ntables; k++) {
		struct copy_table *t = &c->tables[c->order[k]];
		struct store_copy_table *r = &out->tables[out->ntables++];

		if (verify_table(c, t, k) < 0)
			goto fail;
		r->name = arena_printf(a, "%s", t->name);
		r->rows = t->src.rows;
		store_copy_sum_hex(&t->src, r->checksum);
		r->ok = store_copy_sum_eq(&t->src, &t->dst);
		out->rows += t->src.rows;
		if (!r->ok) {
			char dst[17];
			store_copy_sum_hex(&t->dst, dst);
			error_set(c->err, ERROR_INTERNAL, NULL,
				  "table %s differs after the copy: the source has %lld rows (checksum %s), the "
				  "destination %lld (checksum %s); nothing was committed",
				  t->name, (long long)t->src.rows, r->checksum, (long long)t->dst.rows, dst);
			goto fail;
		}
	}
	if (db_commit(c->dst, c->err) < 0)
		return fail_in(c, "committing the copy", NULL);
	return 0;
fail:
	db_rollback(c->dst);
	return -1;
}

int store_copy(const char *sqlite_file, const char *pg_url, struct arena *a, store_copy_progress progress_fn,
	       void *progress_arg, struct store_copy_result *out, struct error *err)
{
	struct copy c;
	struct store *dest = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.sql = arena_create(64 * 1024);
	c.err = err;
	c.progress = progress_fn;
	c.progress_arg = progress_arg;
	clock_gettime(CLOCK_MONOTONIC, &c.last_progress);
	if (!db_backend_pg.accepts(pg_url))
		rc = error_set(err, ERROR_PRECONDITION, NULL, "the destination must be a postgresql:// URL");
	else if ((rc = open_source(&c, sqlite_file)) == 0)
		rc = copy_all(&c, pg_url, a, out, &dest);
	if (c.src) {
		db_end_read(c.src);
		db_close(c.src);
	}
	store_close(dest); /* closes c.dst */
	arena_destroy(c.sql); /* only now: the statement caches were keyed by these texts' addresses */
	return rc;
}
