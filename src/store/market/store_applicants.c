/* Applicant profiles, queue memberships and blocks (store_applicants.h). */
#include "store/market/store_applicants.h"

#include "store/store_internal.h"

#define PROFILE_COLUMNS                                                                                    \
	"user_id, birth_date, gross_income, income_source, occupation, co_applicant_name,"                 \
	" co_applicant_birth_date, co_applicant_income, adults, children, accommodation, pets, smoking," \
	" payment_remarks, bankruptcy, outstanding_debt, debt_sanitization, moves, children_birth_years,"  \
	" co_applicant_income_source, co_applicant_occupation, co_applicant_payment_remarks,"             \
	" co_applicant_bankruptcy, co_applicant_outstanding_debt, co_applicant_debt_sanitization,"        \
	" has_warrantor, warrantor_income, warrantor_payment_remarks, warrantor_bankruptcy,"              \
	" warrantor_outstanding_debt, warrantor_debt_sanitization,"                                       \
	" last_active_at, token_generation, created_at, updated_at"

/* Parameters ?1 (user_id) .. ?EDITABLE are the editable columns, in PROFILE_COLUMNS order. */
#define EDITABLE 31

static const char sql_insert[] = "INSERT INTO applicant_profiles(" PROFILE_COLUMNS ")"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
				 " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33,"
				 " ?34, ?35)";
static const char sql_get[] = "SELECT " PROFILE_COLUMNS " FROM applicant_profiles WHERE user_id = ?1";
static const char sql_update[] =
	"UPDATE applicant_profiles SET birth_date = ?2, gross_income = ?3, income_source = ?4, occupation = ?5,"
	" co_applicant_name = ?6, co_applicant_birth_date = ?7, co_applicant_income = ?8, adults = ?9,"
	" children = ?10, accommodation = ?11, pets = ?12, smoking = ?13, payment_remarks = ?14,"
	" bankruptcy = ?15, outstanding_debt = ?16, debt_sanitization = ?17, moves = ?18,"
	" children_birth_years = ?19, co_applicant_income_source = ?20, co_applicant_occupation = ?21,"
	" co_applicant_payment_remarks = ?22, co_applicant_bankruptcy = ?23, co_applicant_outstanding_debt = ?24,"
	" co_applicant_debt_sanitization = ?25, has_warrantor = ?26, warrantor_income = ?27,"
	" warrantor_payment_remarks = ?28, warrantor_bankruptcy = ?29, warrantor_outstanding_debt = ?30,"
	" warrantor_debt_sanitization = ?31, last_active_at = ?32, updated_at = ?33"
	" WHERE user_id = ?1";
static const char sql_touch[] = "UPDATE applicant_profiles SET last_active_at = ?2 WHERE user_id = ?1";
static const char sql_sign_out[] =
	"UPDATE applicant_profiles SET token_generation = token_generation + 1, last_active_at = ?2 WHERE user_id = ?1";

static struct str or_empty(struct str s)
{
	return s.ptr ? s : STR_LIT("");
}

/* The four credit columns from parameter at. */
static void bind_credit(struct db_stmt *st, int at, const struct applicant_credit *c)
{
	db_bind_int(st, at, c->payment_remarks);
	db_bind_int(st, at + 1, c->bankruptcy);
	db_bind_int(st, at + 2, c->outstanding_debt);
	db_bind_int(st, at + 3, c->debt_sanitization);
}

static void bind_editable(struct db_stmt *st, const struct applicant_profile *p)
{
	db_bind_int(st, 1, p->user_id);
	db_bind_text(st, 2, or_empty(p->birth_date));
	db_bind_int(st, 3, p->gross_income);
	db_bind_text(st, 4, or_empty(p->income_source));
	db_bind_text(st, 5, or_empty(p->occupation));
	db_bind_text(st, 6, or_empty(p->co_applicant_name));
	db_bind_text(st, 7, or_empty(p->co_applicant_birth_date));
	db_bind_int(st, 8, p->co_applicant_income);
	db_bind_int(st, 9, p->adults);
	db_bind_int(st, 10, p->children);
	db_bind_text(st, 11, or_empty(p->accommodation));
	db_bind_int(st, 12, p->pets);
	db_bind_int(st, 13, p->smoking);
	bind_credit(st, 14, &p->credit);
	db_bind_int(st, 18, p->moves);
	db_bind_text(st, 19, or_empty(p->children_birth_years));
	db_bind_text(st, 20, or_empty(p->co_applicant_income_source));
	db_bind_text(st, 21, or_empty(p->co_applicant_occupation));
	bind_credit(st, 22, &p->co_applicant_credit);
	db_bind_int(st, 26, p->has_warrantor);
	db_bind_int(st, 27, p->warrantor_income);
	bind_credit(st, 28, &p->warrantor_credit);
}

int store_applicant_insert(struct store *s, const struct applicant_profile *p, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	bind_editable(st, p);
	db_bind_int(st, EDITABLE + 1, p->last_active_at);
	db_bind_int(st, EDITABLE + 2, p->token_generation);
	db_bind_int(st, EDITABLE + 3, p->created_at);
	db_bind_int(st, EDITABLE + 4, p->updated_at);
	return stmt_exec(st, err);
}

/* The four credit columns from column at. */
static void read_credit(struct db_stmt *st, int at, struct applicant_credit *c)
{
	c->payment_remarks = db_col_int(st, at);
	c->bankruptcy = db_col_int(st, at + 1) != 0;
	c->outstanding_debt = db_col_int(st, at + 2) != 0;
	c->debt_sanitization = db_col_int(st, at + 3) != 0;
}

static void read_profile(struct db_stmt *st, struct arena *a, void *row)
{
	struct applicant_profile *p = row;
	p->user_id = db_col_int(st, 0);
	p->birth_date = col_str(st, 1, a);
	p->gross_income = db_col_int(st, 2);
	p->income_source = col_str(st, 3, a);
	p->occupation = col_str(st, 4, a);
	p->co_applicant_name = col_str(st, 5, a);
	p->co_applicant_birth_date = col_str(st, 6, a);
	p->co_applicant_income = db_col_int(st, 7);
	p->adults = db_col_int(st, 8);
	p->children = db_col_int(st, 9);
	p->accommodation = col_str(st, 10, a);
	p->pets = db_col_int(st, 11) != 0;
	p->smoking = db_col_int(st, 12) != 0;
	read_credit(st, 13, &p->credit);
	p->moves = db_col_int(st, 17);
	p->children_birth_years = col_str(st, 18, a);
	p->co_applicant_income_source = col_str(st, 19, a);
	p->co_applicant_occupation = col_str(st, 20, a);
	read_credit(st, 21, &p->co_applicant_credit);
	p->has_warrantor = db_col_int(st, 25) != 0;
	p->warrantor_income = db_col_int(st, 26);
	read_credit(st, 27, &p->warrantor_credit);
	p->last_active_at = db_col_int(st, EDITABLE);
	p->token_generation = db_col_int(st, EDITABLE + 1);
	p->created_at = db_col_int(st, EDITABLE + 2);
	p->updated_at = db_col_int(st, EDITABLE + 3);
}

int store_applicant_get(struct store *s, struct arena *a, int64_t user_id, struct applicant_profile *out,
			struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	return stmt_one(st, a, read_profile, out, "applicant", err);
}

int store_applicant_update(struct store *s, const struct applicant_profile *p, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	bind_editable(st, p);
	db_bind_int(st, EDITABLE + 1, p->last_active_at);
	db_bind_int(st, EDITABLE + 2, p->updated_at);
	return stmt_exec(st, err);
}

static int update_two(struct store *s, const char *sql, int64_t user_id, int64_t v, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, v);
	return stmt_exec(st, err);
}

int store_applicant_touch(struct store *s, int64_t user_id, int64_t now, struct error *err)
{
	return update_two(s, sql_touch, user_id, now, err);
}

int store_applicant_sign_out(struct store *s, int64_t user_id, int64_t now, struct error *err)
{
	return update_two(s, sql_sign_out, user_id, now, err);
}

static const char sql_ids[] =
	"SELECT p.user_id FROM applicant_profiles p WHERE CAST(?1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM"
	" queue_memberships m WHERE m.user_id = p.user_id AND m.queue_type = ?1 AND m.left_at IS NULL)"
	" ORDER BY p.user_id LIMIT ?2";

static void read_id(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

int store_applicant_ids(struct store *s, struct arena *a, struct str queue_type, int64_t n, int64_t **out,
			size_t *count, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_ids, err);
	if (!st)
		return -1;
	if (queue_type.ptr)
		db_bind_text(st, 1, queue_type);
	else
		db_bind_null(st, 1);
	db_bind_int(st, 2, n);
	return stmt_collect(st, a, sizeof(**out), read_id, (void **)out, count, err);
}

/* ---- queues ---- */

static const char sql_memberships[] =
	"SELECT id, user_id, queue_type, joined_at FROM queue_memberships"
	" WHERE user_id = ?1 AND left_at IS NULL ORDER BY queue_type";
static const char sql_join[] =
	"INSERT INTO queue_memberships(user_id, queue_type, joined_at) VALUES (?1, ?2, ?3) RETURNING id";
static const char sql_leave[] =
	"UPDATE queue_memberships SET left_at = ?3 WHERE user_id = ?1 AND queue_type = ?2 AND left_at IS NULL";

static void read_membership(struct db_stmt *st, struct arena *a, void *row)
{
	struct queue_membership *m = row;
	m->id = db_col_int(st, 0);
	m->user_id = db_col_int(st, 1);
	m->queue_type = col_str(st, 2, a);
	m->joined_at = db_col_int(st, 3);
}

int store_queue_memberships(struct store *s, struct arena *a, int64_t user_id, struct queue_membership **out,
			    size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_memberships, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	return stmt_collect(st, a, sizeof(**out), read_membership, (void **)out, n, err);
}

int store_queue_join(struct store *s, int64_t user_id, struct str queue_type, int64_t joined_at, int64_t *id,
		     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_join, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, queue_type);
	db_bind_int(st, 3, joined_at);
	return stmt_insert_id(st, id, err);
}

int store_queue_leave(struct store *s, int64_t user_id, struct str queue_type, int64_t now, bool *left,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_leave, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, queue_type);
	db_bind_int(st, 3, now);
	if (stmt_exec(st, err) < 0)
		return -1;
	*left = store_changes(s) > 0;
	return 0;
}

/* ---- blocks ---- */

static const char sql_block_insert[] =
	"INSERT INTO applicant_blocks(user_id, queue_type, display_name, description, blocked_until, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char sql_blocks_active[] =
	"SELECT id, user_id, queue_type, display_name, description, blocked_until FROM applicant_blocks"
	" WHERE user_id = ?1 AND blocked_until > ?2 ORDER BY blocked_until DESC, id";

int store_block_insert(struct store *s, const struct applicant_block *b, int64_t now, int64_t *id,
		       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_block_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, b->user_id);
	db_bind_text(st, 2, b->queue_type);
	db_bind_text(st, 3, b->display_name);
	db_bind_text(st, 4, b->description.ptr ? b->description : STR_LIT(""));
	db_bind_int(st, 5, b->blocked_until);
	db_bind_int(st, 6, now);
	return stmt_insert_id(st, id, err);
}

static void read_block(struct db_stmt *st, struct arena *a, void *row)
{
	struct applicant_block *b = row;
	b->id = db_col_int(st, 0);
	b->user_id = db_col_int(st, 1);
	b->queue_type = col_str(st, 2, a);
	b->display_name = col_str(st, 3, a);
	b->description = col_str(st, 4, a);
	b->blocked_until = db_col_int(st, 5);
}

int store_blocks_active(struct store *s, struct arena *a, int64_t user_id, int64_t now,
			struct applicant_block **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_blocks_active, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, now);
	return stmt_collect(st, a, sizeof(**out), read_block, (void **)out, n, err);
}
