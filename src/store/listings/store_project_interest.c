/* Project interest sign-ups (store_project_interest.h). */
#include "store/store_internal.h"
#include "store/listings/store_project_interest.h"

static void read_project(struct db_stmt *st, struct arena *a, void *row)
{
	struct interest_project *p = row;
	p->id = db_col_int(st, 0);
	p->company_id = db_col_int(st, 1);
	p->office_id = db_col_int(st, 2);
	p->name = col_str(st, 3, a);
	p->company_name = col_str(st, 4, a);
	p->published = db_col_int(st, 5) != 0;
	p->closed = db_col_int(st, 6) != 0;
}

static const char sql_project[] =
	"SELECT p.id, p.company_id, p.office_id, p.name, c.name, p.published, p.closed"
	" FROM projects p JOIN companies c ON c.id = p.company_id WHERE p.id = ?1";

int store_interest_project(struct store *s, struct arena *a, int64_t project_id, struct interest_project *out,
			   struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_project, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	return stmt_one(st, a, read_project, out, "project", err);
}

static const char sql_find[] = "SELECT id FROM project_interest WHERE project_id = ?1 AND email_key = ?2";
static const char sql_renew[] =
	"UPDATE project_interest SET consent_at = ?2 WHERE id = ?1";
static const char sql_insert[] = "INSERT INTO project_interest(project_id, email, email_key) VALUES (?1, ?2, ?3)";

int store_interest_add(struct store *s, int64_t project_id, struct str email, struct str email_key, bool *created,
		       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_find, err);
	int64_t id = 0;
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_text(st, 2, email_key);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		id = db_col_int(st, 0);
		db_reset(st);
	}
	*created = rc == 0;
	if (rc == 1) {
		if (!(st = store_stmt(s, sql_renew, err)))
			return -1;
		store_bind_now(st, 2);
		db_bind_int(st, 1, id);
		return stmt_exec(st, err);
	}
	if (!(st = store_stmt(s, sql_insert, err)))
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, email_key);
	return stmt_exec(st, err);
}

static void read_interest(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_interest *p = row;
	p->id = db_col_int(st, 0);
	p->project_id = db_col_int(st, 1);
	p->email = col_str(st, 2, a);
	p->consent_at = col_str(st, 3, a);
	p->created_at = col_str(st, 4, a);
}

static const char sql_count[] = "SELECT COUNT(*) FROM project_interest WHERE project_id = ?1";
static const char sql_list[] =
	"SELECT id, project_id, email, consent_at, created_at FROM project_interest"
	" WHERE project_id = ?1 ORDER BY id LIMIT ?2 OFFSET ?3";

int store_interest_list(struct store *s, struct arena *a, int64_t project_id, int64_t offset, int64_t amount,
			struct project_interest **out, size_t *n, int64_t *total, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_count, err);
	int rc;

	*n = 0;
	*total = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		*total = db_col_int(st, 0);
		db_reset(st);
	}
	if (!(st = store_stmt(s, sql_list, err)))
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, amount);
	db_bind_int(st, 3, offset);
	return stmt_collect(st, a, sizeof(**out), read_interest, (void **)out, n, err);
}
