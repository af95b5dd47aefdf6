/* Right profiles and their rights. */
#include "store/store_internal.h"
#include "store/identity/store_org.h"

static const char sql_insert[] = "INSERT INTO right_profiles(company_id, name) VALUES (?1, ?2)"
	" RETURNING id";
static const char sql_add_right[] =
	"INSERT INTO right_profile_rights(right_profile_id, right_name) VALUES (?1, ?2)"
	" ON CONFLICT (right_profile_id, right_name) DO NOTHING";
static const char sql_clear_rights[] = "DELETE FROM right_profile_rights WHERE right_profile_id = ?1";

static int set_rights(struct store *s, int64_t id, const struct str *rights, size_t n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_clear_rights, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		st = store_stmt(s, sql_add_right, err);
		if (!st)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, rights[i]);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}

int store_right_profile_insert(struct store *s, int64_t company_id, struct str name,
			       const struct str *rights, size_t nrights, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	if (company_id)
		db_bind_int(st, 1, company_id);
	else
		db_bind_null(st, 1);
	db_bind_text(st, 2, name);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return set_rights(s, *id, rights, nrights, err);
}

static const char sql_rights_of[] =
	"SELECT right_name FROM right_profile_rights WHERE right_profile_id = ?1 ORDER BY right_name";

static void read_right(struct db_stmt *st, struct arena *a, void *row)
{
	*(struct str *)row = col_str(st, 0, a);
}

static int load_rights(struct store *s, struct arena *a, struct right_profile *p, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_rights_of, err);

	p->nrights = 0;
	p->rights = NULL;
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	return stmt_collect(st, a, sizeof(*p->rights), read_right, (void **)&p->rights, &p->nrights, err);
}

int store_right_profile_rights(struct store *s, struct arena *a, int64_t id, struct str **rights, size_t *n,
			       struct error *err)
{
	struct right_profile p = { .id = id };
	if (load_rights(s, a, &p, err) < 0)
		return -1;
	*rights = p.rights;
	*n = p.nrights;
	return 0;
}

#define PROFILE_COLUMNS                                                                   \
	"p.id, COALESCE(p.company_id, 0), p.name,"                                         \
	" (SELECT COUNT(*) FROM users u WHERE u.right_profile_id = p.id AND u.deleted_at IS NULL)"

static const char sql_get[] =
	"SELECT " PROFILE_COLUMNS " FROM right_profiles p"
	" WHERE p.id = ?1 AND (p.company_id = ?2 OR p.company_id IS NULL)";
static const char sql_list[] =
	"SELECT " PROFILE_COLUMNS " FROM right_profiles p"
	" WHERE p.company_id = ?1 OR p.company_id IS NULL ORDER BY p.id";

static void read_profile(struct db_stmt *st, struct arena *a, void *row)
{
	struct right_profile *p = row;
	p->id = db_col_int(st, 0);
	p->company_id = db_col_int(st, 1);
	p->name = col_str(st, 2, a);
	p->employees = db_col_int(st, 3);
	p->rights = NULL;
	p->nrights = 0;
}

int store_right_profile_get(struct store *s, struct arena *a, int64_t company_id, int64_t id,
			    struct right_profile *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	if (stmt_one(st, a, read_profile, out, "right profile", err) < 0)
		return -1;
	return load_rights(s, a, out, err);
}

int store_right_profile_list(struct store *s, struct arena *a, int64_t company_id,
			     struct right_profile **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);

	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	if (stmt_collect(st, a, sizeof(**out), read_profile, (void **)out, n, err) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (load_rights(s, a, &(*out)[i], err) < 0)
			return -1;
	return 0;
}

static const char sql_rename[] = "UPDATE right_profiles SET name = ?2 WHERE id = ?1";

int store_right_profile_update(struct store *s, int64_t id, struct str name, const struct str *rights,
			       size_t nrights, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_rename, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, name);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (!store_changes(s))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such right profile");
	return set_rights(s, id, rights, nrights, err);
}

/* No row when the profile is not the company's: another company's profile is not found, never "in use". */
static const char sql_in_use[] =
	"SELECT COUNT(u.id) FROM right_profiles rp"
	" LEFT JOIN users u ON u.right_profile_id = rp.id AND u.deleted_at IS NULL"
	" WHERE rp.id = ?1 AND rp.company_id = ?2 GROUP BY rp.id";
static const char sql_delete[] = "DELETE FROM right_profiles WHERE id = ?1 AND company_id = ?2";
static const char sql_detach_deleted[] =
	"UPDATE users SET right_profile_id = NULL WHERE right_profile_id = ?1 AND deleted_at IS NOT NULL";

int store_right_profile_delete(struct store *s, int64_t company_id, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_in_use, err);
	int64_t users;
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such right profile");
	users = db_col_int(st, 0);
	db_reset(st);
	if (users > 0)
		return error_set(err, ERROR_CONFLICT, "RightProfileInUse",
				 "%lld employee(s) still have this right profile", (long long)users);
	st = store_stmt(s, sql_detach_deleted, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	if (stmt_exec(st, err) < 0)
		return -1;
	return store_changes(s) ? 0 : error_set(err, ERROR_NOT_FOUND, NULL, "no such right profile");
}

static const char sql_default[] =
	"SELECT id FROM right_profiles WHERE company_id = ?1 AND name = ?2 ORDER BY id LIMIT 1";

int store_right_profile_default(struct store *s, int64_t company_id, const char *name, int64_t *id,
				struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_default, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, str_from_cstr(name));
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "the company has no '%s' right profile", name);
	*id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}
