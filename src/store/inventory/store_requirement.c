/* Requirement profiles (store_projects.h). */
#include "store/store_internal.h"
#include "store/listings/store_projects.h"

/* Every rule column, in the order of enum requirement_flag, _number, _factor, then the income rule. */
#define RULE_COLUMNS                                                                                       \
	"activity_compensation, activity_grant, bankruptcy, benefit_apartment, care_allowance, child_allowance," \
	" debt_sanitization, employment_permanent, employment_temporary, income_child_pension,"                \
	" income_development_allowance, income_establishment_supplement, income_extra_cost_allowance,"         \
	" income_housing_supplement, income_housing_support, income_living_expense_supplement,"                \
	" income_parental_leave, income_sick_leave, income_student, maintenance_allowance,"                    \
	" maintenance_support, outstanding_debt, pets, senior, smoking, student, unemployment_benefit,"        \
	" warrantor, youth, extra_residents, move_frequency, payment_remarks, senior_age, youth_age,"          \
	" living_standard_factor, rent_factor, warrantor_rent_factor, rent_calculation_type"

#define RULE_COLUMN_COUNT (REQ_FLAG_COUNT + REQ_NUMBER_COUNT + REQ_FACTOR_COUNT + 1)

/*
 * ad_count: listings that are not deleted and use the profile as their requirement or
 * as their soft requirement (a deleted one only waits for its purge).
 */
#define PROFILE_SELECT                                                                               \
	"SELECT id, company_id, parent_id, name, created_at, updated_at,"                             \
	" (SELECT COUNT(*) FROM object_ads x WHERE (x.requirement_id = r.id"                          \
	" OR x.soft_requirements_id = r.id) AND x.status <> 'deleted'), " RULE_COLUMNS                \
	" FROM requirement_profiles r"

static void read_profile(struct db_stmt *st, struct arena *a, void *row)
{
	struct requirement_profile *p = row;
	int col = 7;

	p->id = db_col_int(st, 0);
	p->company_id = db_col_int(st, 1);
	p->parent_id = db_col_int(st, 2);
	p->f.name = col_str(st, 3, a);
	p->created_at = col_str(st, 4, a);
	p->updated_at = col_str(st, 5, a);
	p->ad_count = db_col_int(st, 6);
	for (int i = 0; i < REQ_FLAG_COUNT; i++)
		p->f.flag[i] = db_col_int(st, col++) != 0;
	for (int i = 0; i < REQ_NUMBER_COUNT; i++)
		p->f.number[i] = db_col_int(st, col++);
	for (int i = 0; i < REQ_FACTOR_COUNT; i++)
		p->f.factor[i] = db_col_double(st, col++);
	p->f.money_after_rent = str_eq_cstr(db_col_text(st, col), "MONEY_AFTER_RENT");
}

/* Binds the rule columns at first .. first + RULE_COLUMN_COUNT - 1. */
static void bind_rules(struct db_stmt *st, int first, const struct requirement_fields *f)
{
	int at = first;
	for (int i = 0; i < REQ_FLAG_COUNT; i++)
		db_bind_int(st, at++, f->flag[i]);
	for (int i = 0; i < REQ_NUMBER_COUNT; i++)
		db_bind_int(st, at++, f->number[i]);
	for (int i = 0; i < REQ_FACTOR_COUNT; i++)
		db_bind_double(st, at++, f->factor[i]);
	db_bind_text(st, at, f->money_after_rent ? STR_LIT("MONEY_AFTER_RENT") : STR_LIT("RENT_FACTOR"));
}

static const char sql_insert[] =
	"INSERT INTO requirement_profiles(company_id, parent_id, name, " RULE_COLUMNS ") VALUES (?1, ?2, ?3,"
	" ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25,"
	" ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41)"
	" RETURNING id";

_Static_assert(3 + RULE_COLUMN_COUNT == 41, "sql_insert binds 41 parameters");

int store_requirement_insert(struct store *s, int64_t company_id, int64_t parent_id,
			     const struct requirement_fields *f, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	if (parent_id)
		db_bind_int(st, 2, parent_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, f->name);
	bind_rules(st, 4, f);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_get[] = PROFILE_SELECT " WHERE r.id = ?1 AND r.company_id = ?2";

int store_requirement_get(struct store *s, struct arena *a, int64_t company_id, int64_t id,
			  struct requirement_profile *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_profile, out, "requirement profile", err);
}

/* The rules only: no ad_count (0), which would count the listings of the profile on every screening. */
static const char sql_get_by_id[] = "SELECT id, company_id, parent_id, name, created_at, updated_at, 0, " RULE_COLUMNS
				    " FROM requirement_profiles r WHERE r.id = ?1";

int store_requirement_get_by_id(struct store *s, struct arena *a, int64_t id, struct requirement_profile *out,
				struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get_by_id, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_one(st, a, read_profile, out, "requirement profile", err);
}

static const char sql_list[] = PROFILE_SELECT " WHERE r.company_id = ?1 ORDER BY r.id";

int store_requirement_list(struct store *s, struct arena *a, int64_t company_id, struct requirement_profile **out,
			   size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_collect(st, a, sizeof(**out), read_profile, (void **)out, n, err);
}

static const char sql_update[] =
	"UPDATE requirement_profiles SET name = ?2, activity_compensation = ?3, activity_grant = ?4,"
	" bankruptcy = ?5, benefit_apartment = ?6, care_allowance = ?7, child_allowance = ?8,"
	" debt_sanitization = ?9, employment_permanent = ?10, employment_temporary = ?11,"
	" income_child_pension = ?12, income_development_allowance = ?13, income_establishment_supplement = ?14,"
	" income_extra_cost_allowance = ?15, income_housing_supplement = ?16, income_housing_support = ?17,"
	" income_living_expense_supplement = ?18, income_parental_leave = ?19, income_sick_leave = ?20,"
	" income_student = ?21, maintenance_allowance = ?22, maintenance_support = ?23, outstanding_debt = ?24,"
	" pets = ?25, senior = ?26, smoking = ?27, student = ?28, unemployment_benefit = ?29, warrantor = ?30,"
	" youth = ?31, extra_residents = ?32, move_frequency = ?33, payment_remarks = ?34, senior_age = ?35,"
	" youth_age = ?36, living_standard_factor = ?37, rent_factor = ?38, warrantor_rent_factor = ?39,"
	" rent_calculation_type = ?40, updated_at = ?41 WHERE id = ?1";

_Static_assert(2 + RULE_COLUMN_COUNT == 40, "sql_update binds 40 parameters");

int store_requirement_update(struct store *s, int64_t id, const struct requirement_fields *f, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	store_bind_now(st, 41);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, f->name);
	bind_rules(st, 3, f);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such requirement profile");
	return 0;
}

static const char sql_delete[] = "DELETE FROM requirement_profiles WHERE id = ?1";

int store_requirement_delete(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such requirement profile");
	return 0;
}

static const char sql_children[] = "SELECT COUNT(*) FROM requirement_profiles WHERE parent_id = ?1";

int store_requirement_children(struct store *s, int64_t id, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_children, err);
	int rc;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

static const char *const sql_detach[] = {
	"UPDATE object_ads SET requirement_id = NULL WHERE requirement_id = ?1 AND status = 'deleted'",
	"UPDATE object_ads SET soft_requirements_id = NULL WHERE soft_requirements_id = ?1 AND status = 'deleted'",
};

int store_requirement_detach_deleted_ads(struct store *s, int64_t id, struct error *err)
{
	for (size_t i = 0; i < sizeof(sql_detach) / sizeof(sql_detach[0]); i++) {
		struct db_stmt *st = store_stmt(s, sql_detach[i], err);
		if (!st)
			return -1;
		db_bind_int(st, 1, id);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}

static const char sql_listings[] =
	"SELECT id FROM object_ads WHERE requirement_id = ?1 AND status <> 'deleted' ORDER BY id";

static void read_id(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

int store_requirement_listings(struct store *s, struct arena *a, int64_t id, int64_t **ids, size_t *n,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_listings, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_collect(st, a, sizeof(**ids), read_id, (void **)ids, n, err);
}
