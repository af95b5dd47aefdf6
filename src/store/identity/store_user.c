/* Users (employees, operator staff, consumers), their device tokens, login throttling. */
#include <string.h>

#include "store/store_internal.h"
#include "store/identity/store_org.h"

static const char *const kind_names[] = { "employee", "operator", "consumer" };

#define USER_COLUMNS                                                                              \
	"u.id, u.uuid, u.kind, u.username, u.email, u.password_hash, u.first_name, u.last_name,"      \
	" u.personal_number, u.phone, COALESCE(u.company_id, 0), COALESCE(u.right_profile_id, 0),"    \
	" COALESCE(u.root_office_id, 0), COALESCE(u.selected_office_id, 0), u.api_user, u.joined,"    \
	" u.totp_secret, u.totp_last_step, u.device_verification, u.date_joined,"                     \
	" COALESCE(rp.name, ''), COALESCE(ro.name, ''), COALESCE(ro.path, ''), COALESCE(so.name, ''),"\
	" COALESCE(so.path, '')"
#define USER_JOINS                                                \
	" FROM users u"                                           \
	" LEFT JOIN right_profiles rp ON rp.id = u.right_profile_id" \
	" LEFT JOIN offices ro ON ro.id = u.root_office_id"       \
	" LEFT JOIN offices so ON so.id = u.selected_office_id"

static void read_user(struct db_stmt *st, struct arena *a, void *row)
{
	struct user *u = row;
	struct str kind;
	u->id = db_col_int(st, 0);
	u->uuid = col_str(st, 1, a);
	kind = db_col_text(st, 2);
	u->kind = str_eq_cstr(kind, "operator") ? USER_OPERATOR
		  : str_eq_cstr(kind, "consumer") ? USER_CONSUMER : USER_EMPLOYEE;
	u->username = col_str(st, 3, a);
	u->email = col_str(st, 4, a);
	u->password_hash = col_str(st, 5, a);
	u->first_name = col_str(st, 6, a);
	u->last_name = col_str(st, 7, a);
	u->personal_number = col_str(st, 8, a);
	u->phone = col_str(st, 9, a);
	u->company_id = db_col_int(st, 10);
	u->right_profile_id = db_col_int(st, 11);
	u->root_office_id = db_col_int(st, 12);
	u->selected_office_id = db_col_int(st, 13);
	u->api_user = db_col_int(st, 14) != 0;
	u->joined = db_col_int(st, 15) != 0;
	u->totp_secret = col_str(st, 16, a);
	u->totp_last_step = db_col_int(st, 17);
	u->device_verification = db_col_int(st, 18) != 0;
	u->date_joined = col_str(st, 19, a);
	u->right_profile_name = col_str(st, 20, a);
	u->root_office_name = col_str(st, 21, a);
	u->root_office_path = col_str(st, 22, a);
	u->selected_office_name = col_str(st, 23, a);
	u->selected_office_path = col_str(st, 24, a);
}

static const char sql_insert[] =
	"INSERT INTO users(uuid, kind, username, email, password_hash, first_name, last_name,"
	" personal_number, phone, company_id, right_profile_id, root_office_id, selected_office_id, api_user)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)"
	" RETURNING id";

static void bind_opt_id(struct db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int(st, idx, id);
	else
		db_bind_null(st, idx);
}

static struct str or_empty(struct str s)
{
	return s.ptr ? s : STR_LIT("");
}

int store_user_insert(struct store *s, const struct user_insert *u, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	char uuid[37];

	if (!st)
		return -1;
	uuid_v4(uuid);
	db_bind_text(st, 1, str_from_cstr(uuid));
	db_bind_text(st, 2, str_from_cstr(kind_names[u->kind]));
	db_bind_text(st, 3, u->username);
	db_bind_text(st, 4, or_empty(u->email));
	db_bind_text(st, 5, or_empty(u->password_hash));
	db_bind_text(st, 6, or_empty(u->first_name));
	db_bind_text(st, 7, or_empty(u->last_name));
	db_bind_text(st, 8, or_empty(u->personal_number));
	db_bind_text(st, 9, or_empty(u->phone));
	bind_opt_id(st, 10, u->company_id);
	bind_opt_id(st, 11, u->right_profile_id);
	bind_opt_id(st, 12, u->root_office_id);
	db_bind_int(st, 13, u->api_user);
	if (stmt_insert_id(st, id, err) < 0) {
		if (err->kind == ERROR_CONFLICT)
			error_set(err, ERROR_CONFLICT, "UsernameTaken", "the username is already taken");
		return -1;
	}
	return 0;
}

static const char sql_get[] = "SELECT " USER_COLUMNS USER_JOINS " WHERE u.id = ?1 AND u.deleted_at IS NULL";
static const char sql_get_name[] =
	"SELECT " USER_COLUMNS USER_JOINS " WHERE u.username = ?1 AND u.deleted_at IS NULL";

int store_user_get(struct store *s, struct arena *a, int64_t id, struct user *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_one(st, a, read_user, out, "user", err);
}

/* A row per right (one with a NULL right when there is none), each with the user's columns. */
static const char sql_get_with_rights[] = "SELECT " USER_COLUMNS ", r.right_name" USER_JOINS
	" LEFT JOIN right_profile_rights r ON r.right_profile_id = u.right_profile_id"
	" WHERE u.id = ?1 AND u.deleted_at IS NULL ORDER BY r.right_name";

int store_user_get_with_rights(struct store *s, struct arena *a, int64_t id, struct user *out, struct str **rights,
			       size_t *nrights, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get_with_rights, err);
	struct str *list = NULL;
	size_t n = 0, cap = 0;
	bool found = false;
	int rc;

	*rights = NULL;
	*nrights = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (!found)
			read_user(st, a, out);
		found = true;
		if (db_col_is_null(st, 25))
			continue;
		if (n == cap) {
			size_t grown_cap = cap ? 2 * cap : 8;
			struct str *grown = arena_alloc(a, grown_cap * sizeof(*grown));
			if (n)
				memcpy(grown, list, n * sizeof(*grown));
			list = grown;
			cap = grown_cap;
		}
		list[n++] = col_str(st, 25, a);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	if (!found)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such user");
	*rights = list;
	*nrights = n;
	return 0;
}

int store_user_get_by_username(struct store *s, struct arena *a, struct str username, struct user *out,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get_name, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	return stmt_one(st, a, read_user, out, "user", err);
}

static const char sql_list[] =
	"SELECT " USER_COLUMNS USER_JOINS
	" WHERE u.company_id = ?1 AND u.kind = 'employee' AND u.deleted_at IS NULL"
	" AND substr(ro.path, 1, length(?2)) = ?2 ORDER BY u.last_name, u.first_name, u.id";

int store_employee_list(struct store *s, struct arena *a, int64_t company_id, struct str path_prefix,
			struct user **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);

	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, or_empty(path_prefix));
	return stmt_collect(st, a, sizeof(**out), read_user, (void **)out, n, err);
}

static const char sql_update[] =
	"UPDATE users SET first_name = ?2, last_name = ?3, personal_number = ?4, phone = ?5,"
	" right_profile_id = ?6, root_office_id = ?7, selected_office_id = ?8, email = ?9"
	" WHERE id = ?1 AND deleted_at IS NULL";

int store_user_update(struct store *s, const struct user *u, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, u->id);
	db_bind_text(st, 2, or_empty(u->first_name));
	db_bind_text(st, 3, or_empty(u->last_name));
	db_bind_text(st, 4, or_empty(u->personal_number));
	db_bind_text(st, 5, or_empty(u->phone));
	bind_opt_id(st, 6, u->right_profile_id);
	bind_opt_id(st, 7, u->root_office_id);
	bind_opt_id(st, 8, u->selected_office_id);
	db_bind_text(st, 9, or_empty(u->email));
	if (stmt_exec(st, err) < 0)
		return -1;
	return store_changes(s) ? 0 : error_set(err, ERROR_NOT_FOUND, NULL, "no such user");
}

static const char sql_delete[] =
	"UPDATE users SET deleted_at = ?2, password_hash = '',"
	" totp_secret = '' WHERE id = ?1 AND deleted_at IS NULL";
static const char sql_delete_devices[] = "DELETE FROM device_tokens WHERE user_id = ?1";

int store_user_delete(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	store_bind_now(st, 2);
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (!store_changes(s))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such user");
	st = store_stmt(s, sql_delete_devices, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_exec(st, err);
}

static int set_column(struct store *s, const char *sql, int64_t id, struct str text, int64_t num,
		      int use_text, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (use_text)
		db_bind_text(st, 2, text);
	else
		db_bind_int(st, 2, num);
	if (stmt_exec(st, err) < 0)
		return -1;
	return store_changes(s) ? 0 : error_set(err, ERROR_NOT_FOUND, NULL, "no such user");
}

static const char sql_set_totp[] = "UPDATE users SET totp_secret = ?2, totp_last_step = 0 WHERE id = ?1 AND deleted_at IS NULL";
/* conditional: of two logins racing with one code, only the first advances the step */
static const char sql_set_step[] =
	"UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND deleted_at IS NULL AND totp_last_step < ?2";
static const char sql_set_devver[] = "UPDATE users SET device_verification = ?2 WHERE id = ?1 AND deleted_at IS NULL";
static const char sql_set_password[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1 AND deleted_at IS NULL";

int store_user_set_totp(struct store *s, int64_t id, struct str secret, struct error *err)
{
	return set_column(s, sql_set_totp, id, or_empty(secret), 0, 1, err);
}

int store_user_set_totp_step(struct store *s, int64_t id, int64_t step, struct error *err)
{
	if (set_column(s, sql_set_step, id, STR_NULL, step, 0, err) == 0)
		return 0;
	if (err->kind == ERROR_NOT_FOUND)
		error_set(err, ERROR_CONFLICT, NULL, "the time step was already used");
	return -1;
}

int store_user_set_device_verification(struct store *s, int64_t id, bool on, struct error *err)
{
	return set_column(s, sql_set_devver, id, STR_NULL, on, 0, err);
}

int store_user_set_password(struct store *s, int64_t id, struct str hash, struct error *err)
{
	return set_column(s, sql_set_password, id, hash, 0, 1, err);
}

static const char sql_device_known[] = "SELECT 1 FROM device_tokens WHERE user_id = ?1 AND token_hash = ?2";
static const char sql_device_add[] = "INSERT INTO device_tokens(user_id, token_hash) VALUES (?1, ?2)"
				     " ON CONFLICT (user_id, token_hash) DO NOTHING";

int store_device_token_known(struct store *s, int64_t user_id, struct str token_hash, bool *known,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_device_known, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, token_hash);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*known = rc == 1;
	if (rc == 1)
		db_reset(st);
	return 0;
}

int store_device_token_add(struct store *s, int64_t user_id, struct str token_hash, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_device_add, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, token_hash);
	return stmt_exec(st, err);
}

static const char sql_failures[] = "SELECT failures, window_start FROM login_failures WHERE key = ?1 AND window_start >= ?2";
static const char sql_failure_add[] =
	"INSERT INTO login_failures(key, window_start, failures) VALUES (?1, ?2, 1)"
	" ON CONFLICT(key) DO UPDATE SET" /* the stored row's columns qualified: PostgreSQL wants it */
	" failures = CASE WHEN login_failures.window_start <= ?2 - ?3 THEN 1 ELSE login_failures.failures + 1 END,"
	" window_start = CASE WHEN login_failures.window_start <= ?2 - ?3 THEN ?2"
	" ELSE login_failures.window_start END";
static const char sql_failures_clear[] = "DELETE FROM login_failures WHERE key = ?1";

int store_login_failures(struct store *s, struct str key, int64_t since, int64_t *failures,
			 int64_t *window_start, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_failures, err);
	int rc;
	*failures = 0;
	*window_start = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, since);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		*failures = db_col_int(st, 0);
		*window_start = db_col_int(st, 1);
		db_reset(st);
	}
	return 0;
}

int store_login_failure_add(struct store *s, struct str key, int64_t now, int64_t window, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_failure_add, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, window);
	return stmt_exec(st, err);
}

int store_login_failures_clear(struct store *s, struct str key, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_failures_clear, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	return stmt_exec(st, err);
}
