/* A company's notes on consumers, and its existing-tenants list. */
#include "store/store_internal.h"
#include "store/identity/store_org.h"

#define NOTE_COLUMNS                                                                           \
	"n.id, n.user_id, COALESCE(n.author_id, 0),"                                           \
	" COALESCE(TRIM(a.first_name || ' ' || a.last_name), ''), n.text, n.created_at, n.updated_at"

static void read_note(struct db_stmt *st, struct arena *a, void *row)
{
	struct user_note *n = row;
	n->id = db_col_int(st, 0);
	n->user_id = db_col_int(st, 1);
	n->author_id = db_col_int(st, 2);
	n->author_name = col_str(st, 3, a);
	n->text = col_str(st, 4, a);
	n->created_at = col_str(st, 5, a);
	n->updated_at = col_str(st, 6, a);
}

static const char sql_insert[] =
	"INSERT INTO user_notes(company_id, user_id, author_id, text) VALUES (?1, ?2, ?3, ?4)"
	" RETURNING id";

int store_note_insert(struct store *s, int64_t company_id, int64_t user_id, int64_t author_id,
		      struct str text, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, author_id);
	db_bind_text(st, 4, text);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_get[] =
	"SELECT " NOTE_COLUMNS " FROM user_notes n LEFT JOIN users a ON a.id = n.author_id"
	" WHERE n.id = ?1 AND n.company_id = ?2";
static const char sql_list[] =
	"SELECT " NOTE_COLUMNS " FROM user_notes n LEFT JOIN users a ON a.id = n.author_id"
	" WHERE n.company_id = ?1 AND n.user_id = ?2 ORDER BY n.created_at, n.id";

int store_note_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct user_note *out,
		   struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_note, out, "note", err);
}

int store_note_list(struct store *s, struct arena *a, int64_t company_id, int64_t user_id,
		    struct user_note **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);

	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, user_id);
	return stmt_collect(st, a, sizeof(**out), read_note, (void **)out, n, err);
}

static const char sql_update[] =
	"UPDATE user_notes SET text = ?3, updated_at = ?4"
	" WHERE id = ?1 AND company_id = ?2";
static const char sql_delete[] = "DELETE FROM user_notes WHERE id = ?1 AND company_id = ?2";

int store_note_update(struct store *s, int64_t company_id, int64_t id, struct str text, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	store_bind_now(st, 4);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	db_bind_text(st, 3, text);
	if (stmt_exec(st, err) < 0)
		return -1;
	return store_changes(s) ? 0 : error_set(err, ERROR_NOT_FOUND, NULL, "no such note");
}

int store_note_delete(struct store *s, int64_t company_id, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	if (stmt_exec(st, err) < 0)
		return -1;
	return store_changes(s) ? 0 : error_set(err, ERROR_NOT_FOUND, NULL, "no such note");
}

static const char sql_tenant_add[] = "INSERT INTO existing_tenants(company_id, ssn) VALUES (?1, ?2)"
				      " ON CONFLICT (company_id, ssn) DO NOTHING";
static const char sql_tenant_remove[] = "DELETE FROM existing_tenants WHERE company_id = ?1 AND ssn = ?2";
static const char sql_tenant_exists[] = "SELECT 1 FROM existing_tenants WHERE company_id = ?1 AND ssn = ?2";

static int tenant_change(struct store *s, const char *sql, int64_t company_id, struct str ssn, int *changed,
			 struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, ssn);
	if (stmt_exec(st, err) < 0)
		return -1;
	*changed = store_changes(s) > 0;
	return 0;
}

int store_tenant_add(struct store *s, int64_t company_id, struct str ssn, int *changed, struct error *err)
{
	return tenant_change(s, sql_tenant_add, company_id, ssn, changed, err);
}

int store_tenant_remove(struct store *s, int64_t company_id, struct str ssn, int *changed, struct error *err)
{
	return tenant_change(s, sql_tenant_remove, company_id, ssn, changed, err);
}

int store_tenant_exists(struct store *s, int64_t company_id, struct str ssn, bool *exists, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_tenant_exists, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, ssn);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*exists = rc == 1;
	if (rc == 1)
		db_reset(st);
	return 0;
}
