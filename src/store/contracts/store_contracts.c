/* Digital contracts and their signatures (store_contracts.h). */
#include "store/contracts/store_contracts.h"

#include "store/store_internal.h"

static const char sql_facts[] =
	"SELECT a.id, a.listing_id, a.company_id, a.user_id, a.state, a.closed_at, o.access_date,"
	" ap.street_name, ap.street_number, ap.zip_code, e.city, ap.national_id, ap.rooms, ap.area, ap.floor, ap.rent,"
	" co.name, co.org_number, u.first_name, u.last_name, u.personal_number"
	" FROM applications a JOIN object_ads o ON o.id = a.listing_id JOIN apartments ap ON ap.id = o.apartment_id"
	" JOIN estates e ON e.id = ap.estate_id JOIN companies co ON co.id = a.company_id JOIN users u ON u.id = a.user_id"
	" WHERE a.id = ?1";
static const char sql_insert[] =
	"INSERT INTO contracts(uuid, company_id, listing_id, application_id, storage_key, pdf_sha256, pdf_size, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
static const char sql_insert_signature[] =
	"INSERT INTO contract_signatures(contract_id, position, signatory_type, user_id, first_name, last_name, ssn)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char sql_get[] =
	"SELECT id, uuid, company_id, listing_id, application_id, storage_key, pdf_sha256, pdf_size, sealed_key,"
	" sealed_at, created_at FROM contracts WHERE uuid = ?1";
static const char sql_signatures[] =
	"SELECT id, contract_id, position, signatory_type, user_id, first_name, last_name, ssn, signed_at"
	" FROM contract_signatures WHERE contract_id = ?1 ORDER BY position";
static const char sql_sign[] = "UPDATE contract_signatures SET signed_at = ?2 WHERE id = ?1 AND signed_at IS NULL";
static const char sql_seal[] =
	"UPDATE contracts SET sealed_key = ?2, sealed_at = ?3 WHERE id = ?1 AND sealed_key IS NULL";

static int64_t col_id(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? 0 : db_col_int(st, col);
}

static void read_facts(struct db_stmt *st, struct arena *a, void *row)
{
	struct contract_facts *f = row;
	f->application_id = db_col_int(st, 0);
	f->listing_id = db_col_int(st, 1);
	f->company_id = db_col_int(st, 2);
	f->tenant_user_id = db_col_int(st, 3);
	f->application_state = col_str(st, 4, a);
	f->application_closed_at = col_id(st, 5);
	f->access_date = db_col_is_null(st, 6) ? STR_NULL : col_str(st, 6, a);
	f->street = col_str(st, 7, a);
	f->street_number = col_str(st, 8, a);
	f->zip_code = col_str(st, 9, a);
	f->city = col_str(st, 10, a);
	f->apartment_number = col_str(st, 11, a);
	f->rooms = db_col_double(st, 12);
	f->area = db_col_double(st, 13);
	f->floor = db_col_double(st, 14);
	f->rent = db_col_int(st, 15);
	f->company_name = col_str(st, 16, a);
	f->company_org_number = col_str(st, 17, a);
	f->tenant_first_name = col_str(st, 18, a);
	f->tenant_last_name = col_str(st, 19, a);
	f->tenant_ssn = col_str(st, 20, a);
}

int store_contract_facts(struct store *s, struct arena *a, int64_t application_id, struct contract_facts *out,
			 struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_facts, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, application_id);
	return stmt_one(st, a, read_facts, out, "application", err);
}

static void bind_id(struct db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int(st, idx, id);
	else
		db_bind_null(st, idx);
}

int store_contract_insert(struct store *s, struct contract_row *c, struct contract_signature_row *sigs, size_t n,
			  struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, c->uuid);
	db_bind_int(st, 2, c->company_id);
	bind_id(st, 3, c->listing_id);
	bind_id(st, 4, c->application_id);
	db_bind_text(st, 5, c->storage_key);
	db_bind_text(st, 6, c->pdf_sha256);
	db_bind_int(st, 7, c->pdf_size);
	db_bind_int(st, 8, c->created_at);
	if (stmt_insert_id(st, &c->id, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!(st = store_stmt(s, sql_insert_signature, err)))
			return -1;
		sigs[i].contract_id = c->id;
		db_bind_int(st, 1, c->id);
		db_bind_int(st, 2, sigs[i].position);
		db_bind_text(st, 3, sigs[i].signatory_type);
		bind_id(st, 4, sigs[i].user_id);
		db_bind_text(st, 5, sigs[i].first_name);
		db_bind_text(st, 6, sigs[i].last_name);
		db_bind_text(st, 7, sigs[i].ssn);
		if (stmt_insert_id(st, &sigs[i].id, err) < 0)
			return -1;
	}
	return 0;
}

static void read_contract(struct db_stmt *st, struct arena *a, void *row)
{
	struct contract_row *c = row;
	c->id = db_col_int(st, 0);
	c->uuid = col_str(st, 1, a);
	c->company_id = db_col_int(st, 2);
	c->listing_id = col_id(st, 3);
	c->application_id = col_id(st, 4);
	c->storage_key = col_str(st, 5, a);
	c->pdf_sha256 = col_str(st, 6, a);
	c->pdf_size = db_col_int(st, 7);
	c->sealed_key = db_col_is_null(st, 8) ? STR_NULL : col_str(st, 8, a);
	c->sealed_at = col_id(st, 9);
	c->created_at = db_col_int(st, 10);
}

int store_contract_get(struct store *s, struct arena *a, struct str uuid, struct contract_row *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, uuid);
	return stmt_one(st, a, read_contract, out, "contract", err);
}

static void read_signature(struct db_stmt *st, struct arena *a, void *row)
{
	struct contract_signature_row *p = row;
	p->id = db_col_int(st, 0);
	p->contract_id = db_col_int(st, 1);
	p->position = db_col_int(st, 2);
	p->signatory_type = col_str(st, 3, a);
	p->user_id = col_id(st, 4);
	p->first_name = col_str(st, 5, a);
	p->last_name = col_str(st, 6, a);
	p->ssn = col_str(st, 7, a);
	p->signed_at = col_id(st, 8);
}

int store_contract_signatures(struct store *s, struct arena *a, int64_t contract_id,
			      struct contract_signature_row **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_signatures, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, contract_id);
	return stmt_collect(st, a, sizeof(**out), read_signature, (void **)out, n, err);
}

int store_contract_sign(struct store *s, int64_t signature_id, int64_t signed_at, bool *done, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_sign, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, signature_id);
	db_bind_int(st, 2, signed_at);
	if (stmt_exec(st, err) < 0)
		return -1;
	*done = store_changes(s) == 1;
	return 0;
}

int store_contract_seal(struct store *s, int64_t contract_id, struct str sealed_key, int64_t sealed_at, bool *done,
			struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seal, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, contract_id);
	db_bind_text(st, 2, sealed_key);
	db_bind_int(st, 3, sealed_at);
	if (stmt_exec(st, err) < 0)
		return -1;
	*done = store_changes(s) == 1;
	return 0;
}
