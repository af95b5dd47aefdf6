/*
 * db.c — db.h's functions: pick a backend when a connection opens, then dispatch every
 * call to the backend's method (an indirect call: nothing next to what a statement costs).
 */
#include "store/db.h"

#include <string.h>

/* Asked in order; SQLite last, since it takes any file name. */
static const struct db_backend *const db_backends[] = { &db_backend_pg, &db_backend_sqlite };

int db_open(const char *database, struct db **out, struct error *err)
{
	*out = NULL;
	for (size_t i = 0; i < sizeof(db_backends) / sizeof(db_backends[0]); i++)
		if (db_backends[i]->accepts(database))
			return db_backends[i]->open(database, out, err);
	return error_set(err, ERROR_UNAVAILABLE, NULL, "cannot open database %s: no backend takes it",
			 database);
}

void db_close(struct db *db)
{
	if (db)
		db->backend->close(db);
}

const char *db_backend_name(const struct db *db)
{
	return db->backend->name;
}

int db_exec(struct db *db, const char *sql, struct error *err)
{
	return db->backend->exec(db, sql, err);
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct error *err)
{
	return db->backend->prepare(db, sql, err);
}

const char *db_sql(const struct db *db, const char *sqlite, const char *pg)
{
	return db->backend == &db_backend_pg ? pg : sqlite;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	st->backend->bind_int(st, idx, v);
}

void db_bind_double(struct db_stmt *st, int idx, double v)
{
	st->backend->bind_double(st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, struct str v)
{
	st->backend->bind_text(st, idx, v);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	st->backend->bind_null(st, idx);
}

void db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
	st->backend->bind_blob(st, idx, data, len);
}

void db_bind_int_array(struct db_stmt *st, int idx, const int64_t *v, size_t n)
{
	st->backend->bind_int_array(st, idx, v, n);
}

void db_bind_text_array(struct db_stmt *st, int idx, const struct str *v, size_t n)
{
	st->backend->bind_text_array(st, idx, v, n);
}

int db_step(struct db_stmt *st, struct error *err)
{
	return st->backend->step(st, err);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->backend->col_int(st, col);
}

double db_col_double(struct db_stmt *st, int col)
{
	return st->backend->col_double(st, col);
}

struct str db_col_text(struct db_stmt *st, int col)
{
	return st->backend->col_text(st, col);
}

bool db_col_is_null(struct db_stmt *st, int col)
{
	return st->backend->col_is_null(st, col);
}

void db_reset(struct db_stmt *st)
{
	st->backend->reset(st);
}

int64_t db_changes(struct db *db)
{
	return db->backend->changes(db);
}

int db_begin(struct db *db, struct error *err)
{
	return db->backend->begin(db, err);
}

int db_commit(struct db *db, struct error *err)
{
	return db->backend->commit(db, err);
}

void db_rollback(struct db *db)
{
	db->backend->rollback(db);
}

void db_checkpoint(struct db *db)
{
	db->backend->checkpoint(db);
}

int db_schema_change_begin(struct db *db, struct error *err)
{
	return db->backend->schema_change_begin(db, err);
}

void db_schema_change_end(struct db *db)
{
	db->backend->schema_change_end(db);
}

int db_foreign_key_check(struct db *db, struct error *err)
{
	return db->backend->foreign_key_check(db, err);
}

int db_begin_read(struct db *db, bool plan_once, struct error *err)
{
	return db->backend->begin_read(db, plan_once, err);
}

void db_end_read(struct db *db)
{
	db->backend->end_read(db);
}

int db_relax_commits(struct db *db, struct error *err)
{
	return db->backend->relax_commits(db, err);
}

bool db_wants_checkpointer(struct db *db)
{
	return db->backend->checkpoint_passive != NULL;
}

void db_checkpoint_passive(struct db *db)
{
	db->backend->checkpoint_passive(db);
}

bool db_has_notifications(const struct db *db)
{
	return db->backend->listen != NULL;
}

bool db_changed_elsewhere(struct db *db)
{
	return db->backend->changed_elsewhere ? db->backend->changed_elsewhere(db) : false;
}

int db_listen(const char *database, const char *channel, struct db_listener **out, struct error *err)
{
	*out = NULL;
	for (size_t i = 0; i < sizeof(db_backends) / sizeof(db_backends[0]); i++)
		if (db_backends[i]->accepts(database))
			return db_backends[i]->listen ? db_backends[i]->listen(database, channel, out, err) : 0;
	return error_set(err, ERROR_UNAVAILABLE, NULL, "cannot open database %s: no backend takes it",
			 database);
}

int db_listener_fd(struct db_listener *l)
{
	return l->backend->listener_fd(l);
}

int db_listener_take(struct db_listener *l, bool ping)
{
	return l->backend->listener_take(l, ping);
}

void db_listener_close(struct db_listener *l)
{
	if (l)
		l->backend->listener_close(l);
}

void db_on_write(struct db *db, void (*fn)(void *arg), void *arg)
{
	db->on_write = fn;
	db->on_write_arg = arg;
}
