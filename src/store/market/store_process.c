/* The letting process's own rows (store_process.h). */
#include "store/market/store_process.h"

#include "store/store_internal.h"

static const char sql_create[] =
	"INSERT INTO listing_processes(listing_id, company_id, ranked_at, rule, ranked) VALUES (?1, ?2, ?3, ?4, 0)"
	" ON CONFLICT (listing_id) DO NOTHING RETURNING listing_id";
static const char sql_get[] =
	"SELECT listing_id, company_id, ranked_at, rule, ranked, offered_through, COALESCE(reserved_application_id, 0),"
	" COALESCE(reserved_by, 0), COALESCE(reserved_at, 0) FROM listing_processes WHERE listing_id = ?1";
static const char sql_set_ranked[] = "UPDATE listing_processes SET ranked = ?2 WHERE listing_id = ?1";
static const char sql_offered[] =
	"UPDATE listing_processes SET offered_through = ?2 WHERE listing_id = ?1 AND offered_through < ?2";
static const char sql_reserve[] =
	"UPDATE listing_processes SET reserved_application_id = ?2, reserved_by = ?3, reserved_at = ?4"
	" WHERE listing_id = ?1 AND reserved_application_id IS NULL";
static const char sql_unreserve[] =
	"UPDATE listing_processes SET reserved_application_id = NULL, reserved_by = NULL, reserved_at = NULL"
	" WHERE listing_id = ?1";
static const char sql_reasons[] = "SELECT id, description FROM rejection_reasons ORDER BY id";
static const char sql_agreement_insert[] =
	"INSERT INTO agreements(company_id, office_id, listing_id, apartment_id, application_id, user_id,"
	" landlord_user_id, contract_uuid, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
static const char sql_agreement_signed[] =
	"UPDATE agreements SET signed_at = ?2 WHERE contract_uuid = ?1 AND signed_at IS NULL";
static const char sql_form[] =
	"UPDATE applicant_profiles SET"
	" gross_income = CASE WHEN ?2 < 0 THEN gross_income ELSE ?2 END,"
	" accommodation = COALESCE(CAST(?3 AS TEXT), accommodation),"
	" adults = CASE WHEN ?4 < 0 THEN adults ELSE ?4 END,"
	" children = CASE WHEN ?5 < 0 THEN children ELSE ?5 END, updated_at = ?6 WHERE user_id = ?1";

int store_process_create(struct store *s, const struct listing_process *p, bool *created, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_create, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, p->listing_id);
	db_bind_int(st, 2, p->company_id);
	db_bind_int(st, 3, p->ranked_at);
	db_bind_text(st, 4, p->rule);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	*created = rc == 1;
	if (rc == 1)
		db_reset(st);
	return 0;
}

static void read_process(struct db_stmt *st, struct arena *a, void *row)
{
	struct listing_process *p = row;
	p->listing_id = db_col_int(st, 0);
	p->company_id = db_col_int(st, 1);
	p->ranked_at = db_col_int(st, 2);
	p->rule = col_str(st, 3, a);
	p->ranked = db_col_int(st, 4);
	p->offered_through = db_col_int(st, 5);
	p->reserved_application_id = db_col_int(st, 6);
	p->reserved_by = db_col_int(st, 7);
	p->reserved_at = db_col_int(st, 8);
}

int store_process_get(struct store *s, struct arena *a, int64_t listing_id, struct listing_process *out,
		      bool *found, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	struct listing_process *rows;
	size_t n;
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	if (stmt_collect(st, a, sizeof(*rows), read_process, (void **)&rows, &n, err) < 0)
		return -1;
	*found = n > 0;
	if (n)
		*out = rows[0];
	return 0;
}

static int exec2(struct store *s, const char *sql, int64_t a1, int64_t a2, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, a1);
	db_bind_int(st, 2, a2);
	return stmt_exec(st, err);
}

int store_process_set_ranked(struct store *s, int64_t listing_id, int64_t ranked, struct error *err)
{
	return exec2(s, sql_set_ranked, listing_id, ranked, err);
}

int store_process_offered(struct store *s, int64_t listing_id, int64_t place, struct error *err)
{
	return exec2(s, sql_offered, listing_id, place, err);
}

int store_process_reserve(struct store *s, int64_t listing_id, int64_t application_id, int64_t by, int64_t now,
			  bool *reserved, struct error *err)
{
	struct db_stmt *st = store_stmt(s, application_id ? sql_reserve : sql_unreserve, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	if (application_id) {
		db_bind_int(st, 2, application_id);
		if (by)
			db_bind_int(st, 3, by);
		else
			db_bind_null(st, 3);
		db_bind_int(st, 4, now);
	}
	if (stmt_exec(st, err) < 0)
		return -1;
	*reserved = !application_id || store_changes(s) == 1;
	return 0;
}

static void read_reason(struct db_stmt *st, struct arena *a, void *row)
{
	struct rejection_reason_row *p = row;
	p->id = db_col_int(st, 0);
	p->description = col_str(st, 1, a);
}

int store_rejection_reasons(struct store *s, struct arena *a, struct rejection_reason_row **out, size_t *n,
			    struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_reasons, err);
	if (!st)
		return -1;
	return stmt_collect(st, a, sizeof(**out), read_reason, (void **)out, n, err);
}

int store_agreement_insert(struct store *s, struct agreement_row *r, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_agreement_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->company_id);
	db_bind_int(st, 2, r->office_id);
	db_bind_int(st, 3, r->listing_id);
	db_bind_int(st, 4, r->apartment_id);
	db_bind_int(st, 5, r->application_id);
	db_bind_int(st, 6, r->user_id);
	db_bind_int(st, 7, r->landlord_user_id);
	db_bind_text(st, 8, r->contract_uuid);
	db_bind_int(st, 9, r->created_at);
	return stmt_insert_id(st, &r->id, err);
}

int store_agreement_signed(struct store *s, struct str contract_uuid, int64_t now, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_agreement_signed, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, contract_uuid);
	db_bind_int(st, 2, now);
	return stmt_exec(st, err);
}

int store_applicant_form(struct store *s, int64_t user_id, int64_t income, struct str accommodation, int64_t adults,
			 int64_t children, int64_t now, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_form, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, income);
	if (accommodation.ptr)
		db_bind_text(st, 3, accommodation);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, adults);
	db_bind_int(st, 5, children);
	db_bind_int(st, 6, now);
	return stmt_exec(st, err);
}
