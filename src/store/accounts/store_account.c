/* Accounts: the account columns of companies, policy texts per locale, booking conditions per country. */
#include "store/accounts/store_accounts.h"

#include <string.h>

#include "base/buf.h"
#include "base/json_write.h"
#include "store/store_internal.h"

#define ACCOUNT_COLUMNS                                                                                         \
	"c.id, c.uuid, c.account_uuid, COALESCE(c.owner_user_id, 0), o.uuid, o.email, c.name, c.account_email,"     \
	" c.locale, c.website, c.notes, c.city_id, c.account_type, c.plan, c.commission_type, c.commission_value,"  \
	" c.admin_fee_type, c.admin_fee_value, c.contract_type, c.down_payment_type, c.down_payment_value,"        \
	" c.cancellation_policy, c.booking_min_days, c.booking_max_days, c.booking_max_gap_days,"                  \
	" c.account_classification, COALESCE(c.account_manager_id, 0), m.uuid, m.email, c.lead_source,"           \
	" c.activation_stage, c.technology, c.transfer_timing, c.other_platforms_usage, c.consent_for_classifieds," \
	" c.contract_provision, c.communication_channel, c.weekdays_start, c.weekdays_end, c.weekend_start,"       \
	" c.weekend_end, c.number_published_listings, c.total_rentable_units, c.total_properties, c.is_active,"     \
	" c.is_owned_by_spotahome, c.is_externally_integrated, c.additional_data, c.creation_user, c.created_at,"   \
	" c.updated_at, c.first_listing_published_at, c.availabilities_notified_at, c.first_booking_email_at,"     \
	" c.first_booking_sms_at, c.first_booking_accepted_at, c.first_booking_request_id,"                       \
	" COALESCE(c.booking_contact_id, 0), COALESCE(c.tenant_contact_id, 0), COALESCE(c.finance_contact_id, 0)"

#define ACCOUNT_FROM \
	" FROM companies c LEFT JOIN users o ON o.id = c.owner_user_id LEFT JOIN users m ON m.id = c.account_manager_id"

static int64_t col_nint(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? ACCOUNT_UNSET : db_col_int(st, col);
}

static void read_account(struct db_stmt *st, struct arena *a, void *row)
{
	struct account *x = row;
	int c = 0;

	x->company_id = db_col_int(st, c++);
	x->id = col_str(st, c++, a);
	x->uuid = col_str(st, c++, a);
	x->owner_user_id = db_col_int(st, c++);
	x->owner_uuid = col_str(st, c++, a);
	x->owner_email = col_str(st, c++, a);
	x->name = col_str(st, c++, a);
	x->email = col_str(st, c++, a);
	x->locale = col_str(st, c++, a);
	x->website = col_str(st, c++, a);
	x->notes = col_str(st, c++, a);
	x->city_id = col_str(st, c++, a);
	x->type = col_str(st, c++, a);
	x->plan = col_str(st, c++, a);
	x->commission_type = col_str(st, c++, a);
	x->commission_value = db_col_int(st, c++);
	x->admin_fee_type = col_str(st, c++, a);
	x->admin_fee_value = db_col_int(st, c++);
	x->contract_type = col_str(st, c++, a);
	x->down_payment_type = col_str(st, c++, a);
	x->down_payment_value = col_nint(st, c++);
	x->cancellation_policy = col_str(st, c++, a);
	x->booking_min_days = col_nint(st, c++);
	x->booking_max_days = col_nint(st, c++);
	x->booking_max_gap_days = col_nint(st, c++);
	x->classification = col_str(st, c++, a);
	x->manager_id = db_col_int(st, c++);
	x->manager_uuid = col_str(st, c++, a);
	x->manager_email = col_str(st, c++, a);
	x->lead_source = col_str(st, c++, a);
	x->activation_stage = col_str(st, c++, a);
	x->technology = col_str(st, c++, a);
	x->transfer_timing = col_str(st, c++, a);
	x->other_platforms_usage = col_str(st, c++, a);
	x->consent_for_classifieds = db_col_int(st, c++) != 0;
	x->contract_provision = col_str(st, c++, a);
	x->communication_channel = col_str(st, c++, a);
	for (int i = 0; i < HOURS_COUNT; i++)
		x->hours[i] = col_str(st, c++, a);
	x->published_listings = db_col_int(st, c++);
	x->rentable_units = db_col_int(st, c++);
	x->properties = db_col_int(st, c++);
	x->is_active = db_col_int(st, c++) != 0;
	x->is_owned_by_spotahome = db_col_int(st, c++) != 0;
	x->is_externally_integrated = db_col_int(st, c++) != 0;
	x->additional_data = col_str(st, c++, a);
	x->creation_user = col_str(st, c++, a);
	x->created_at = col_str(st, c++, a);
	x->updated_at = col_str(st, c++, a);
	x->first_listing_published_at = col_str(st, c++, a);
	x->availabilities_notified_at = col_str(st, c++, a);
	x->first_booking_email_at = col_str(st, c++, a);
	x->first_booking_sms_at = col_str(st, c++, a);
	x->first_booking_accepted_at = col_str(st, c++, a);
	x->first_booking_request_id = col_str(st, c++, a);
	for (int i = 0; i < ROLE_COUNT; i++)
		x->roles[i] = db_col_int(st, c++);
}

static const char sql_get[] = "SELECT " ACCOUNT_COLUMNS ACCOUNT_FROM " WHERE c.id = ?1";

int store_account_get(struct store *s, struct arena *a, int64_t company_id, struct account *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_one(st, a, read_account, out, "account", err);
}

/*
 * The list (#1) in three steps, each cheap at 10⁴ accounts and more: the total, the page's
 * ids, then those rows in full. Unfiltered, the total is account_count and the ids come off
 * the narrow companies_account_list index (migration 0016), so neither a COUNT(*) nor a
 * deep offset walks the wide companies rows. Filtered, the most selective filter given
 * drives the query through its index (company, ids, e-mail, a contact's phone) and
 * ACCOUNT_FILTERS, where every filter is off when its parameter is NULL (0 for the
 * company and for the number of ids), decides: the driving term is one of the filters
 * repeated, so any combination matches exactly what ACCOUNT_FILTERS alone would. The name
 * substring alone can only scan: its count scans companies_account_search, which holds
 * every column the filters read, and its page the rows in id order, stopping after the page.
 * ids bind as one array parameter, however many there are (?6 their number, 0: any). The
 * e-mail compares lower() of both sides (the index of migration 0019), the name is a LIKE
 * pattern made in C (name_pattern), both portable to PostgreSQL.
 */
#define ACCOUNT_FILTERS                                                                                 \
	" AND (?1 = 0 OR c.id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR lower(c.account_email) = lower(?2))"   \
	" AND (CAST(?3 AS TEXT) IS NULL OR lower(c.name) LIKE ?3 ESCAPE '\\')"                              \
	" AND (CAST(?4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM contacts k WHERE k.company_id = c.id"     \
	" AND k.deleted_at IS NULL AND k.phone_digits = ?4))"                                                \
	" AND (?6 = 0 OR c.uuid = ANY(?5))"

#define COUNT_BY(drive) "SELECT COUNT(*) FROM companies c WHERE " drive ACCOUNT_FILTERS
/* the count's parameters are ?1..?6, the page's limit and offset after them: PostgreSQL
 * cannot type a parameter no text mentions */
#define PAGE_BY(drive) "SELECT c.id FROM companies c WHERE " drive ACCOUNT_FILTERS " ORDER BY c.id LIMIT ?7 OFFSET ?8"
#define DRIVE_PHONE_TERM \
	"c.id IN (SELECT k.company_id FROM contacts k WHERE k.deleted_at IS NULL AND k.phone_digits = ?4)"

enum drive { DRIVE_COMPANY, DRIVE_IDS, DRIVE_EMAIL, DRIVE_PHONE, DRIVE_SCAN };

static const struct {
	const char *count, *page;
} drives[] = {
	[DRIVE_COMPANY] = { COUNT_BY("c.id = ?1"), PAGE_BY("c.id = ?1") },
	[DRIVE_IDS] = { COUNT_BY("c.uuid = ANY(?5)"),
			PAGE_BY("c.uuid = ANY(?5)") },
	[DRIVE_EMAIL] = { COUNT_BY("lower(c.account_email) = lower(?2)"),
			  PAGE_BY("lower(c.account_email) = lower(?2)") },
	[DRIVE_PHONE] = { COUNT_BY(DRIVE_PHONE_TERM), PAGE_BY(DRIVE_PHONE_TERM) },
	[DRIVE_SCAN] = { COUNT_BY("1 = 1"), PAGE_BY("1 = 1") }, /* a boolean: PostgreSQL's AND takes no 1 */
};

static const char sql_total_all[] = "SELECT n FROM account_count WHERE id = 1";
static const char sql_page_all[] = "SELECT id FROM companies ORDER BY id LIMIT ?1 OFFSET ?2";
static const char sql_rows[] =
	"SELECT " ACCOUNT_COLUMNS ACCOUNT_FROM " WHERE c.id = ANY(?1) ORDER BY c.id";

static bool filtered(const struct account_filter *f)
{
	return f->company_id || f->n_ids || f->email.ptr || f->name.ptr || f->phone_digits.ptr;
}

/* The filter whose index finds the fewest rows first. */
static enum drive drive_of(const struct account_filter *f)
{
	if (f->company_id)
		return DRIVE_COMPANY;
	if (f->n_ids)
		return DRIVE_IDS;
	if (f->email.ptr)
		return DRIVE_EMAIL;
	if (f->phone_digits.ptr)
		return DRIVE_PHONE;
	return DRIVE_SCAN;
}

/*
 * The name filter as a LIKE pattern: "%name%" in lower case (ASCII, as SQLite's lower()),
 * its wildcards and the escape character escaped with '\'. STR_NULL for no filter.
 */
static struct str name_pattern(struct arena *a, struct str name)
{
	struct buf b;

	if (!name.ptr)
		return STR_NULL;
	buf_init(&b, a, 2 * name.len + 3);
	buf_putc(&b, '%');
	for (size_t i = 0; i < name.len; i++) {
		char ch = name.ptr[i];
		if (ch == '%' || ch == '_' || ch == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch);
	}
	buf_putc(&b, '%');
	return buf_str(&b);
}

static void bind_filter(struct db_stmt *st, const struct account_filter *f, struct str name)
{
	db_bind_int(st, 1, f->company_id);
	db_bind_text(st, 2, f->email);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, f->phone_digits);
	db_bind_text_array(st, 5, f->ids, f->n_ids);
	db_bind_int(st, 6, (int64_t)f->n_ids);
}

static int read_total(struct db_stmt *st, int64_t *total, struct error *err)
{
	int rc = stmt_row(st, err);

	if (rc < 0)
		return -1;
	*total = rc ? db_col_int(st, 0) : 0;
	if (rc)
		db_reset(st);
	return 0;
}

static void read_company_id(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

/* The total and the page's company ids, in id order. */
static int list_ids(struct store *s, struct arena *a, const struct account_filter *f, int64_t **ids, size_t *n,
		    int64_t *total, struct error *err)
{
	bool all = !filtered(f);
	enum drive d = drive_of(f);
	struct db_stmt *st = store_stmt(s, all ? sql_total_all : drives[d].count, err);
	struct str name = name_pattern(a, f->name);

	if (!st)
		return -1;
	if (!all)
		bind_filter(st, f, name);
	if (read_total(st, total, err) < 0)
		return -1;
	st = store_stmt(s, all ? sql_page_all : drives[d].page, err);
	if (!st)
		return -1;
	if (!all)
		bind_filter(st, f, name);
	db_bind_int(st, all ? 1 : 7, f->limit);
	db_bind_int(st, all ? 2 : 8, f->offset);
	return stmt_collect(st, a, sizeof(**ids), read_company_id, (void **)ids, n, err);
}

int store_account_list(struct store *s, struct arena *a, const struct account_filter *f, struct account **out,
		       size_t *n, int64_t *total, struct error *err)
{
	struct db_stmt *st;
	int64_t *ids;
	size_t nids;

	*n = 0;
	*out = NULL;
	if (list_ids(s, a, f, &ids, &nids, total, err) < 0)
		return -1;
	if (!nids)
		return 0;
	st = store_stmt(s, sql_rows, err);
	if (!st)
		return -1;
	db_bind_int_array(st, 1, ids, nids);
	return stmt_collect(st, a, sizeof(**out), read_account, (void **)out, n, err);
}

static void bind_nint(struct db_stmt *st, int idx, int64_t v)
{
	if (v == ACCOUNT_UNSET)
		db_bind_null(st, idx);
	else
		db_bind_int(st, idx, v);
}

static void bind_id(struct db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int(st, idx, id);
	else
		db_bind_null(st, idx);
}

static const char sql_update[] =
	"UPDATE companies SET name = ?2, account_email = ?3, locale = ?4, website = ?5, notes = ?6, city_id = ?7,"
	" account_type = ?8, plan = ?9, commission_type = ?10, commission_value = ?11, admin_fee_type = ?12,"
	" admin_fee_value = ?13, contract_type = ?14, down_payment_type = ?15, down_payment_value = ?16,"
	" cancellation_policy = ?17, booking_min_days = ?18, booking_max_days = ?19, booking_max_gap_days = ?20,"
	" account_classification = ?21, account_manager_id = ?22, lead_source = ?23, activation_stage = ?24,"
	" technology = ?25, transfer_timing = ?26, other_platforms_usage = ?27, consent_for_classifieds = ?28,"
	" contract_provision = ?29, communication_channel = ?30, weekdays_start = ?31, weekdays_end = ?32,"
	" weekend_start = ?33, weekend_end = ?34, number_published_listings = ?35, total_rentable_units = ?36,"
	" total_properties = ?37, is_active = ?38, is_owned_by_spotahome = ?39, is_externally_integrated = ?40,"
	" additional_data = ?41, creation_user = ?42, booking_contact_id = ?43, tenant_contact_id = ?44,"
	" finance_contact_id = ?45, updated_at = ?46 WHERE id = ?1";

int store_account_update(struct store *s, const struct account *x, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	int c = 1;

	if (!st)
		return -1;
	store_bind_now(st, 46);
	db_bind_int(st, c++, x->company_id);
	db_bind_text(st, c++, x->name);
	db_bind_text(st, c++, x->email);
	db_bind_text(st, c++, x->locale);
	db_bind_text(st, c++, x->website);
	db_bind_text(st, c++, x->notes);
	db_bind_text(st, c++, x->city_id);
	db_bind_text(st, c++, x->type);
	db_bind_text(st, c++, x->plan);
	db_bind_text(st, c++, x->commission_type);
	db_bind_int(st, c++, x->commission_value);
	db_bind_text(st, c++, x->admin_fee_type);
	db_bind_int(st, c++, x->admin_fee_value);
	db_bind_text(st, c++, x->contract_type);
	db_bind_text(st, c++, x->down_payment_type);
	bind_nint(st, c++, x->down_payment_value);
	db_bind_text(st, c++, x->cancellation_policy);
	bind_nint(st, c++, x->booking_min_days);
	bind_nint(st, c++, x->booking_max_days);
	bind_nint(st, c++, x->booking_max_gap_days);
	db_bind_text(st, c++, x->classification);
	bind_id(st, c++, x->manager_id);
	db_bind_text(st, c++, x->lead_source);
	db_bind_text(st, c++, x->activation_stage);
	db_bind_text(st, c++, x->technology);
	db_bind_text(st, c++, x->transfer_timing);
	db_bind_text(st, c++, x->other_platforms_usage);
	db_bind_int(st, c++, x->consent_for_classifieds);
	db_bind_text(st, c++, x->contract_provision);
	db_bind_text(st, c++, x->communication_channel);
	for (int i = 0; i < HOURS_COUNT; i++)
		db_bind_text(st, c++, x->hours[i]);
	db_bind_int(st, c++, x->published_listings);
	db_bind_int(st, c++, x->rentable_units);
	db_bind_int(st, c++, x->properties);
	db_bind_int(st, c++, x->is_active);
	db_bind_int(st, c++, x->is_owned_by_spotahome);
	db_bind_int(st, c++, x->is_externally_integrated);
	db_bind_text(st, c++, x->additional_data);
	db_bind_text(st, c++, x->creation_user);
	for (int i = 0; i < ROLE_COUNT; i++)
		bind_id(st, c++, x->roles[i]);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such account");
	return 0;
}

static const char sql_set_owner[] =
	"UPDATE companies SET owner_user_id = ?2,"
	" account_email = COALESCE(CAST(?3 AS TEXT), account_email) WHERE id = ?1";

int store_account_set_owner(struct store *s, int64_t company_id, int64_t user_id, struct str email,
			    struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_set_owner, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, user_id);
	/* an e-mail becomes the account's, a username that is not one leaves it */
	db_bind_text(st, 3, email.ptr && memchr(email.ptr, '@', email.len) ? email : STR_NULL);
	return stmt_exec(st, err);
}

static const char sql_email_taken[] =
	"SELECT CASE WHEN EXISTS (SELECT 1 FROM companies WHERE lower(account_email) = lower(?1) AND id <> ?2)"
	" OR (?3 <> 0 AND EXISTS (SELECT 1 FROM users WHERE username = ?1 AND deleted_at IS NULL))"
	" THEN 1 ELSE 0 END"; /* ?3 an integer flag: PostgreSQL's AND takes booleans only */

int store_account_email_taken(struct store *s, struct str email, int64_t except_company_id, bool users,
			      bool *taken, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_email_taken, err);
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_int(st, 2, except_company_id);
	db_bind_int(st, 3, users);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*taken = rc && db_col_int(st, 0) != 0;
	if (rc)
		db_reset(st);
	return 0;
}

static const char sql_erase_user[] =
	"UPDATE users SET username = 'erased-' || uuid, email = '', first_name = '', last_name = '', phone = '',"
	" personal_number = '', password_hash = '', totp_secret = '' WHERE id = ?1";

int store_account_erase_user(struct store *s, int64_t user_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_erase_user, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	return stmt_exec(st, err);
}

/* ---- policies per locale ---- */

static void read_policy(struct db_stmt *st, struct arena *a, void *row)
{
	struct account_policy *p = row;
	p->company_id = db_col_int(st, 0);
	p->locale = col_str(st, 1, a);
	p->policies = col_str(st, 2, a);
	p->translation_type = col_str(st, 3, a);
}

static const char sql_policies[] = "SELECT company_id, locale, policies, translation_type FROM account_policies"
				   " WHERE company_id = ?1 ORDER BY locale";
static const char sql_policies_of[] =
	"SELECT company_id, locale, policies, translation_type FROM account_policies"
	" WHERE company_id = ANY(?1) ORDER BY company_id, locale";

int store_account_policies(struct store *s, struct arena *a, int64_t company_id, struct account_policy **out,
			   size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_policies, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_collect(st, a, sizeof(**out), read_policy, (void **)out, n, err);
}

int store_account_policies_of(struct store *s, struct arena *a, const int64_t *company_ids, size_t ncompanies,
			      struct account_policy **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_policies_of, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int_array(st, 1, company_ids, ncompanies);
	return stmt_collect(st, a, sizeof(**out), read_policy, (void **)out, n, err);
}

static const char sql_policy_set[] =
	"INSERT INTO account_policies(company_id, locale, policies) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (company_id, locale) DO UPDATE SET policies = excluded.policies, translation_type = 'manual'";
static const char sql_policy_delete[] = "DELETE FROM account_policies WHERE company_id = ?1 AND locale = ?2";

int store_account_policy_set(struct store *s, int64_t company_id, struct str locale, struct str text,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, text.ptr ? sql_policy_set : sql_policy_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, locale);
	if (text.ptr)
		db_bind_text(st, 3, text);
	return stmt_exec(st, err);
}

/* ---- booking conditions per country ---- */

static void read_condition(struct db_stmt *st, struct arena *a, void *row)
{
	struct booking_condition *c = row;
	c->country_id = col_str(st, 0, a);
	c->gap_min_days = col_nint(st, 1);
	c->gap_max_days = col_nint(st, 2);
	c->contract_type = col_str(st, 3, a);
}

static const char sql_conditions[] =
	"SELECT country_id, gap_min_days, gap_max_days, contract_type FROM account_booking_conditions"
	" WHERE company_id = ?1 ORDER BY country_id";

int store_account_conditions(struct store *s, struct arena *a, int64_t company_id, struct booking_condition **out,
			     size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_conditions, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_collect(st, a, sizeof(**out), read_condition, (void **)out, n, err);
}

static const char sql_condition_set[] =
	"INSERT INTO account_booking_conditions(company_id, country_id, gap_min_days, gap_max_days, contract_type)"
	" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (company_id, country_id) DO UPDATE SET"
	" gap_min_days = excluded.gap_min_days, gap_max_days = excluded.gap_max_days,"
	" contract_type = excluded.contract_type";

int store_account_condition_set(struct store *s, int64_t company_id, const struct booking_condition *c,
				struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_condition_set, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, c->country_id);
	bind_nint(st, 3, c->gap_min_days);
	bind_nint(st, 4, c->gap_max_days);
	db_bind_text(st, 5, c->contract_type);
	return stmt_exec(st, err);
}
