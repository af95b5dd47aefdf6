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
static const char sql_renew[] = "UPDATE project_interest SET consent_at = ?2 WHERE id = ?1";
static const char sql_insert[] =
	"INSERT INTO project_interest(project_id, email, email_key, user_id, token_hash, consent_at, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";

int store_interest_add(struct store *s, const struct interest_add *in, int64_t *id, bool *created,
		       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_find, err);
	int rc;

	*id = 0;
	*created = false;
	if (!st)
		return -1;
	db_bind_int(st, 1, in->project_id);
	db_bind_text(st, 2, in->email_key);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		*id = db_col_int(st, 0);
		db_reset(st);
		if (!(st = store_stmt(s, sql_renew, err)))
			return -1;
		db_bind_int(st, 1, *id);
		store_bind_time(st, 2, in->now);
		return stmt_exec(st, err);
	}
	if (!(st = store_stmt(s, sql_insert, err)))
		return -1;
	db_bind_int(st, 1, in->project_id);
	db_bind_text(st, 2, in->email);
	db_bind_text(st, 3, in->email_key);
	if (in->user_id)
		db_bind_int(st, 4, in->user_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, in->token_hash);
	store_bind_time(st, 6, in->now);
	*created = true;
	return stmt_insert_id(st, id, err);
}

static void read_subscription(struct db_stmt *st, struct arena *a, void *row)
{
	struct interest_subscription *r = row;
	r->id = db_col_int(st, 0);
	r->email = col_str(st, 1, a);
	r->project.id = db_col_int(st, 2);
	r->project.company_id = db_col_int(st, 3);
	r->project.office_id = db_col_int(st, 4);
	r->project.name = col_str(st, 5, a);
	r->project.company_name = col_str(st, 6, a);
	r->project.published = db_col_int(st, 7) != 0;
	r->project.closed = db_col_int(st, 8) != 0;
	r->user_id = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	r->first_name = col_str(st, 10, a);
	r->last_name = col_str(st, 11, a);
	r->ssn = col_str(st, 12, a);
}

/* any project state: a closed or unpublished project's followers can still leave */
static const char sql_by_token[] =
	"SELECT i.id, i.email, p.id, p.company_id, p.office_id, p.name, c.name, p.published, p.closed,"
	" u.id, u.first_name, u.last_name, u.personal_number"
	" FROM project_interest i JOIN projects p ON p.id = i.project_id JOIN companies c ON c.id = p.company_id"
	" LEFT JOIN users u ON u.id = i.user_id WHERE i.token_hash = ?1";

int store_interest_by_token(struct store *s, struct arena *a, struct str token_hash,
			    struct interest_subscription *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_by_token, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	return stmt_one(st, a, read_subscription, out, "sign-up", err);
}

static const char sql_remove[] = "DELETE FROM project_interest WHERE id = ?1";

int store_interest_remove(struct store *s, int64_t id, bool *deleted, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_remove, err);

	*deleted = false;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	*deleted = store_changes(s) == 1;
	return 0;
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
