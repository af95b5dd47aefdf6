/* Account contacts (soft-deleted, S-46) and the erasure of their personal data. */
#include "store/accounts/store_accounts.h"
#include "store/store_internal.h"

struct str phone_digits(struct arena *a, struct str phone)
{
	char *d = arena_alloc(a, phone.len + 1);
	size_t n = 0;

	for (size_t i = 0; i < phone.len; i++)
		if (phone.ptr[i] >= '0' && phone.ptr[i] <= '9')
			d[n++] = phone.ptr[i];
	d[n] = '\0';
	return (struct str){ d, n };
}

/* Phones are at most 64 characters (the dialect's limit), so their digits fit. */
#define PHONE_DIGITS_MAX 64

static struct str digits_of(struct str phone, char *buf)
{
	size_t n = 0;
	for (size_t i = 0; i < phone.len && n < PHONE_DIGITS_MAX; i++)
		if (phone.ptr[i] >= '0' && phone.ptr[i] <= '9')
			buf[n++] = phone.ptr[i];
	return (struct str){ buf, n };
}

#define CONTACT_COLUMNS                                                                                   \
	"id, company_id, first_name, last_name, email, phone, address, zip_code, position, notes, created_by," \
	" updated_by, created_at, updated_at, deleted_at IS NOT NULL"

static void read_contact(struct db_stmt *st, struct arena *a, void *row)
{
	struct contact *k = row;
	int c = 0;

	k->id = db_col_int(st, c++);
	k->company_id = db_col_int(st, c++);
	k->first_name = col_str(st, c++, a);
	k->last_name = col_str(st, c++, a);
	k->email = col_str(st, c++, a);
	k->phone = col_str(st, c++, a);
	k->address = col_str(st, c++, a);
	k->zip_code = col_str(st, c++, a);
	k->position = col_str(st, c++, a);
	k->notes = col_str(st, c++, a);
	k->created_by = col_str(st, c++, a);
	k->updated_by = col_str(st, c++, a);
	k->created_at = col_str(st, c++, a);
	k->updated_at = col_str(st, c++, a);
	k->deleted = db_col_int(st, c++) != 0;
}

/* Binds the person's members from first on: names, e-mail, phone (and its digits), the four nullable texts. */
static void bind_person(struct db_stmt *st, int first, const struct contact *k, struct str digits)
{
	int c = first;
	db_bind_text(st, c++, k->first_name);
	db_bind_text(st, c++, k->last_name);
	db_bind_text(st, c++, k->email);
	db_bind_text(st, c++, k->phone);
	db_bind_text(st, c++, digits);
	db_bind_text(st, c++, k->address);
	db_bind_text(st, c++, k->zip_code);
	db_bind_text(st, c++, k->position);
	db_bind_text(st, c++, k->notes);
}

static const char sql_insert[] =
	"INSERT INTO contacts(company_id, first_name, last_name, email, phone, phone_digits, address, zip_code,"
	" position, notes, created_by, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
	" RETURNING id";

int store_contact_insert(struct store *s, const struct contact *k, struct str actor, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	char digits[PHONE_DIGITS_MAX];

	if (!st)
		return -1;
	db_bind_int(st, 1, k->company_id);
	bind_person(st, 2, k, digits_of(k->phone, digits));
	db_bind_text(st, 11, actor.ptr ? actor : STR_LIT(""));
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_get[] =
	"SELECT " CONTACT_COLUMNS " FROM contacts WHERE id = ?1 AND company_id = ?2 AND deleted_at IS NULL";

int store_contact_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct contact *out,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_contact, out, "contact", err);
}

static const char sql_list[] =
	"SELECT " CONTACT_COLUMNS " FROM contacts WHERE company_id = ?1 AND deleted_at IS NULL ORDER BY id";

int store_contact_list(struct store *s, struct arena *a, int64_t company_id, struct contact **out, size_t *n,
		       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_collect(st, a, sizeof(**out), read_contact, (void **)out, n, err);
}

static const char sql_list_of[] = "SELECT " CONTACT_COLUMNS " FROM contacts"
				  " WHERE company_id = ANY(?1) AND deleted_at IS NULL"
				  " ORDER BY company_id, id";

int store_contact_list_of(struct store *s, struct arena *a, const int64_t *company_ids, size_t ncompanies,
			  struct contact **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list_of, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int_array(st, 1, company_ids, ncompanies);
	return stmt_collect(st, a, sizeof(**out), read_contact, (void **)out, n, err);
}

static const char sql_update[] =
	"UPDATE contacts SET first_name = ?3, last_name = ?4, email = ?5, phone = ?6, phone_digits = ?7,"
	" address = ?8, zip_code = ?9, position = ?10, notes = ?11, updated_by = ?12,"
	" updated_at = ?13"
	" WHERE id = ?1 AND company_id = ?2 AND deleted_at IS NULL";

int store_contact_update(struct store *s, const struct contact *k, struct str actor, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	char digits[PHONE_DIGITS_MAX];

	if (!st)
		return -1;
	store_bind_now(st, 13);
	db_bind_int(st, 1, k->id);
	db_bind_int(st, 2, k->company_id);
	bind_person(st, 3, k, digits_of(k->phone, digits));
	db_bind_text(st, 12, actor.ptr ? actor : STR_LIT(""));
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such contact");
	return 0;
}

static const char sql_delete[] =
	"UPDATE contacts SET deleted_at = ?4, updated_by = ?3,"
	" updated_at = ?4"
	" WHERE id = ?1 AND company_id = ?2 AND deleted_at IS NULL";

int store_contact_delete(struct store *s, int64_t company_id, int64_t id, struct str actor, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	store_bind_now(st, 4);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	db_bind_text(st, 3, actor.ptr ? actor : STR_LIT(""));
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such contact");
	return 0;
}

/* The creator/updater e-mails are personal data too (they may name the landlord's own staff). */
static const char sql_erase[] =
	"UPDATE contacts SET first_name = '', last_name = '', email = '', phone = '', phone_digits = '',"
	" address = NULL, zip_code = NULL, position = NULL, notes = NULL, created_by = '', updated_by = ''"
	" WHERE company_id = ?1 AND (?2 = 0 OR id = ?2)";

int store_contact_erase(struct store *s, int64_t company_id, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_erase, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, id);
	return stmt_exec(st, err);
}

static void read_id(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

static const char sql_ids[] = "SELECT id FROM contacts WHERE company_id = ?1 ORDER BY id";

int store_contact_ids(struct store *s, struct arena *a, int64_t company_id, int64_t **out, size_t *n,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_ids, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_collect(st, a, sizeof(**out), read_id, (void **)out, n, err);
}
