/*
 * accounts.c — the accounts dialect's accounts (spotahome.md §2.1, §2.2, §2.8, §2.9, §3.1):
 *
 *   GET|POST /api/landlords/accounts                     GET /api/landlords/accounts/me
 *   GET|PUT  /api/landlords/accounts/{id}
 *   PUT  /api/landlords/accounts/{id}/basic-details | type | plan | booking-conditions |
 *        management-info | canonical-policies | account-managers | lead-source (S-16 alias)
 *   PUT  /api/landlords/accounts/lead-source             (the caller's own account, S-16)
 *   POST /api/landlords/accounts/{id}/booking-conditions-by-country (PUT too, S-25)
 *   POST /api/landlords/accounts/additional-data         GET|PUT /api/landlords/accounts/{id}/additional-data
 *   PUT  /api/accommodation-providers/{id}/booking-acceptance-time-preferences | icalendar | policies
 *   POST /api/landlords/accounts/{id}/obfuscate          (rentd extension: GDPR erasure, agents only)
 *
 * Each operation validates against its own schema (G-04); enum members are checked
 * against the reference lists (core/accounts/reference.h), never literals. Validation failures are
 * 422 with validationMessages, or 400 where the endpoint documents no 422 (S-38: the
 * ROUTE_INVALID_400 routes). An account id the caller may not see is 403 where the
 * endpoint documents 403 and 404 elsewhere (S-40, accounts_company_for).
 */
#include <stdio.h>

#include "core/accounts/accounts.h"
#include "core/accounts/reference.h"
#include "dialects/accounts.h"
#include "dialects/dialects.h"
#include "json/json_read.h"

/* Limits of free texts (not in the seed; they keep input bounded). */
#define NAME_MAX_LEN 255
#define EMAIL_MAX_LEN 254
#define PHONE_MAX_LEN 64
#define NOTES_MAX_LEN 5000
#define URL_MAX_LEN 2048
#define POLICIES_MAX_LEN 65535
#define DAYS_MAX 3650
#define MONEY_MAX 1000000000LL /* ×100 */
#define COUNT_MAX 100000000LL

static const char *const haystack = "The input was not found in the haystack"; /* Laminas InArray */

/* ---- reading ---- */

/*
 * A nullable string member: JR_NULL for null and for the string "null" (S-07), which
 * clients copy from the seed's examples.
 */
static int read_nullable(struct jr *r, const char *key, unsigned flags, size_t max, struct str *out)
{
	int rc = jr_string(r, key, flags | JR_NULLABLE, 0, max, out);
	if (rc == JR_SET && str_eq_cstr(*out, "null"))
		rc = JR_NULL;
	if (rc == JR_NULL)
		*out = STR_NULL;
	return rc;
}

/* A nullable integer (numbers or numeric strings, S-27), ACCOUNT_UNSET for null / "null". */
static int read_nullable_int(struct jr *r, const char *key, unsigned flags, int64_t max, int64_t *out)
{
	json_t *v = r->obj ? json_object_get(r->obj, key) : NULL;
	int rc;

	if (json_is_string(v) && strcmp(json_string_value(v), "null") == 0)
		rc = JR_NULL;
	else
		rc = jr_int(r, key, flags | JR_NULLABLE, 0, max, out);
	if (rc == JR_NULL)
		*out = ACCOUNT_UNSET;
	return rc;
}

/* An e-mail address: something@something, no spaces. */
static int read_email(struct jr *r, const char *key, unsigned flags, struct str *out)
{
	int rc = jr_string(r, key, flags, 1, EMAIL_MAX_LEN, out);
	const char *at;

	if (rc != JR_SET)
		return rc;
	at = memchr(out->ptr, '@', out->len);
	if (!at || at == out->ptr || at == out->ptr + out->len - 1 || memchr(out->ptr, ' ', out->len)) {
		error_field(r->err, jr_path(r, key), RULE_FORMAT, "The input is not a valid email address");
		return JR_INVALID;
	}
	return JR_SET;
}

/*
 * A member whose value must be in a reference list; alias (may be NULL) is an accepted
 * spelling of canonical (S-11 "classifieds", S-12 "percentage").
 */
static int read_enum(struct ctx *ctx, struct jr *r, const char *key, unsigned flags, const char *list,
		     const char *alias, const char *canonical, struct str *out)
{
	int rc = jr_string(r, key, flags, 1, 128, out);

	if (rc != JR_SET)
		return rc;
	if (alias && str_eq_cstr(*out, alias))
		*out = str_from_cstr(canonical);
	if (!reference_contains(ctx->core, list, *out)) {
		error_field(r->err, jr_path(r, key), RULE_ENUM, "%s", haystack);
		return JR_INVALID;
	}
	return JR_SET;
}

static bool is_hhmm(struct str s)
{
	return s.len == 5 && s.ptr[2] == ':' && s.ptr[0] >= '0' && s.ptr[0] <= '2' && s.ptr[1] >= '0' &&
	       s.ptr[1] <= '9' && (s.ptr[0] < '2' || s.ptr[1] <= '3') && s.ptr[3] >= '0' && s.ptr[3] <= '5' &&
	       s.ptr[4] >= '0' && s.ptr[4] <= '9';
}

static int read_hour(struct jr *r, const char *key, struct str *out)
{
	int rc = read_nullable(r, key, 0, 5, out);
	if (rc == JR_SET && !is_hhmm(*out)) {
		error_field(r->err, jr_path(r, key), RULE_PATTERN, "must be a time HH:MM");
		return JR_INVALID;
	}
	return rc;
}

/* officeHours {weekdays, weekend}: each null or {start, end} (S-10: end missing → null). */
static void read_office_hours(struct jr *r, struct str hours[HOURS_COUNT])
{
	static const char *const slots[] = { "weekdays", "weekend" };
	struct jr oh, slot;

	for (int i = 0; i < HOURS_COUNT; i++)
		hours[i] = STR_NULL;
	if (jr_object(r, "officeHours", JR_REQUIRED, &oh) != JR_SET)
		return;
	for (int i = 0; i < 2; i++) {
		if (jr_object(&oh, slots[i], JR_REQUIRED | JR_NULLABLE, &slot) != JR_SET)
			continue;
		if (read_hour(&slot, "start", &hours[2 * i]) == JR_ABSENT)
			error_field(r->err, jr_path(&slot, "start"), RULE_REQUIRED, "this field is required");
		read_hour(&slot, "end", &hours[2 * i + 1]);
	}
}

static bool failed(struct ctx *ctx)
{
	return error_failed(ctx->err);
}

/* The account of the path's {id}, as accounts_company_for sees it. */
static int path_account(struct ctx *ctx, bool forbidden_documented, int64_t *company_id)
{
	if (accounts_auth(ctx) < 0)
		return -1;
	return accounts_company_for(ctx, route_param(&ctx->params, "id"), forbidden_documented, company_id);
}

/* 201/204 without a body; typed: the seed lists Content-Type: application/json even then (§1.1; not #47, #48, #51). */
static int no_content(struct ctx *ctx, int status, bool typed)
{
	ctx_status(ctx, status);
	if (typed)
		ctx->resp->content_type = STR_LIT("application/json");
	return 0;
}

/* ---- the Account representation (§3.1) ---- */

static void w_nullable(struct jw *w, const char *key, struct str v)
{
	jw_key(w, key);
	if (v.ptr)
		jw_string(w, v);
	else
		jw_null(w);
}

/* ×100 integers as strings inside Account (S-08). */
static void w_int_string(struct ctx *ctx, struct jw *w, const char *key, int64_t v)
{
	jw_kv_cstr(w, key, arena_printf(ctx->req->arena, "%lld", (long long)v));
}

/* Settings that are strings in the schema and unset: member omitted (S-07, S-27). */
static void w_optional_int_string(struct ctx *ctx, struct jw *w, const char *key, int64_t v)
{
	if (v != ACCOUNT_UNSET)
		w_int_string(ctx, w, key, v);
}

static void w_optional_time(struct ctx *ctx, struct jw *w, const char *key, struct str stored)
{
	if (stored.ptr && stored.len)
		jw_kv_str(w, key, events_stored_time(ctx->req->arena, stored, EVENT_TIME_00_00));
}

static void w_contact(struct jw *w, const struct contact *k)
{
	jw_object_begin(w);
	jw_kv_int(w, "id", k->id);
	jw_kv_str(w, "firstName", k->first_name);
	jw_kv_str(w, "lastName", k->last_name);
	jw_kv_str(w, "email", k->email);
	jw_kv_str(w, "phone", k->phone);
	w_nullable(w, "address", k->address);
	w_nullable(w, "zipCode", k->zip_code);
	w_nullable(w, "position", k->position);
	w_nullable(w, "notes", k->notes);
	jw_object_end(w);
}

/* The contact holding a role, or null when nobody does (a company made outside this dialect). */
static void w_role(struct jw *w, const char *key, const struct account_view *v, enum contact_role role)
{
	jw_key(w, key);
	for (size_t i = 0; i < v->ncontacts; i++)
		if (v->contacts[i].id == v->a.roles[role]) {
			w_contact(w, &v->contacts[i]);
			return;
		}
	jw_null(w);
}

static void w_terms(struct ctx *ctx, struct jw *w, const struct account *x)
{
	jw_key(w, "commission");
	jw_object_begin(w);
	jw_kv_str(w, "type", x->commission_type);
	w_int_string(ctx, w, "value", x->commission_value);
	jw_object_end(w);
	jw_kv_str(w, "type", x->type);
	w_nullable(w, "notes", x->notes);
	jw_key(w, "fees");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kv_str(w, "feeType", x->admin_fee_type);
	w_int_string(ctx, w, "feeValue", x->admin_fee_value);
	jw_object_end(w);
	jw_array_end(w);
	jw_kv_str(w, "contractType", x->contract_type);
	jw_kv_str(w, "downPaymentType", x->down_payment_type);
	jw_key(w, "downPaymentValue");
	if (x->down_payment_value == ACCOUNT_UNSET)
		jw_null(w);
	else
		jw_cstr(w, arena_printf(ctx->req->arena, "%lld", (long long)x->down_payment_value));
}

static void w_policies(struct jw *w, const struct account_view *v)
{
	jw_key(w, "policies");
	if (!v->npolicies) {
		jw_null(w);
		return;
	}
	jw_array_begin(w);
	for (size_t i = 0; i < v->npolicies; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "locale", v->policies[i].locale);
		jw_kv_str(w, "policies", v->policies[i].policies);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void w_acceptance(struct ctx *ctx, struct jw *w, const struct account *x)
{
	jw_key(w, "bookingAcceptanceTimePreferences");
	jw_object_begin(w);
	jw_key(w, "maxGapBetweenBookings");
	jw_object_begin(w);
	w_optional_int_string(ctx, w, "days", x->booking_max_gap_days);
	jw_object_end(w);
	jw_key(w, "bookingAcceptanceDaysRange");
	jw_object_begin(w);
	w_optional_int_string(ctx, w, "minDays", x->booking_min_days);
	w_optional_int_string(ctx, w, "maxDays", x->booking_max_days);
	jw_object_end(w);
	jw_object_end(w);
}

static void w_accounting(struct ctx *ctx, struct jw *w, const struct account *x)
{
	jw_key(w, "accounting");
	jw_object_begin(w);
	if (x->creation_user.len)
		jw_kv_str(w, "creationUser", x->creation_user);
	w_optional_time(ctx, w, "firstBookingConfirmationRequestEmailDate", x->first_booking_email_at);
	w_optional_time(ctx, w, "firstBookingConfirmationRequestSmsDate", x->first_booking_sms_at);
	w_optional_time(ctx, w, "firstListingPublicationDate", x->first_listing_published_at);
	w_optional_time(ctx, w, "lastUpdateAvailabilitiesNotificationDate", x->availabilities_notified_at);
	if (x->first_booking_accepted_at.ptr) {
		jw_key(w, "firstBookingAccepted");
		jw_object_begin(w);
		jw_kv_str(w, "acceptanceDate", events_stored_time(ctx->req->arena, x->first_booking_accepted_at, EVENT_TIME_00_00));
		if (x->first_booking_request_id.ptr)
			jw_kv_str(w, "bookingRequestId", x->first_booking_request_id);
		jw_object_end(w);
	}
	jw_object_end(w);
}

/* officeHours: {start, end} per slot, null when neither is set (S-10). */
static void w_office_hours(struct jw *w, const struct account *x)
{
	static const char *const slots[] = { "weekdays", "weekend" };

	jw_key(w, "officeHours");
	jw_object_begin(w);
	for (int i = 0; i < 2; i++) {
		jw_key(w, slots[i]);
		if (!x->hours[2 * i].ptr && !x->hours[2 * i + 1].ptr) {
			jw_null(w);
			continue;
		}
		jw_object_begin(w);
		w_nullable(w, "start", x->hours[2 * i]);
		w_nullable(w, "end", x->hours[2 * i + 1]);
		jw_object_end(w);
	}
	jw_object_end(w);
}

static void w_management(struct jw *w, const struct account *x)
{
	jw_kv_str(w, "contractProvision", x->contract_provision);
	jw_kv_str(w, "preferredCommunicationChannel", x->communication_channel);
	/* S-05: the schema's key with its backtick, and the clean key every input uses */
	jw_kv_int(w, "numberPublishedListings`", x->published_listings);
	jw_kv_int(w, "numberPublishedListings", x->published_listings);
	jw_kv_int(w, "totalRentableUnits", x->rentable_units);
	jw_kv_int(w, "totalProperties", x->properties);
	jw_kv_str(w, "technology", x->technology);
	jw_kv_str(w, "transferTiming", x->transfer_timing);
	jw_kv_str(w, "otherPlatformsUsage", x->other_platforms_usage);
	w_office_hours(w, x);
	jw_kv_str(w, "activationStage", x->activation_stage);
	jw_kv_bool(w, "consentForClassifieds", x->consent_for_classifieds);
}

static void w_account(struct ctx *ctx, struct jw *w, const struct account_view *v)
{
	const struct account *x = &v->a;
	struct str unassigned = STR_LIT("unassigned");

	jw_object_begin(w);
	jw_kv_str(w, "id", x->id);
	jw_kv_str(w, "uuid", x->uuid);
	w_nullable(w, "userId", x->owner_uuid);
	jw_kv_str(w, "accountName", x->name);
	jw_kv_str(w, "accountEmail", x->email);
	jw_kv_str(w, "locale", x->locale);
	w_nullable(w, "website", x->website);
	w_terms(ctx, w, x);
	w_role(w, "tenantBookingContact", v, ROLE_TENANT);
	w_role(w, "financeContact", v, ROLE_FINANCE);
	w_policies(w, v);
	w_acceptance(ctx, w, x);
	jw_kv_str(w, "cancellationPolicy", x->cancellation_policy);
	jw_kv_str(w, "accountClassification", x->classification);
	jw_kv_str(w, "assignedAccountManagerId", x->manager_id ? x->manager_uuid : unassigned);
	jw_kv_str(w, "assignedAccountManager", x->manager_id ? x->manager_email : unassigned);
	jw_kv_bool(w, "isActive", x->is_active);
	jw_key(w, "contacts");
	jw_array_begin(w);
	for (size_t i = 0; i < v->ncontacts; i++)
		w_contact(w, &v->contacts[i]);
	jw_array_end(w);
	w_role(w, "bookingContact", v, ROLE_BOOKING_MANAGER);
	jw_kv_bool(w, "isOwnedBySpotahome", x->is_owned_by_spotahome);
	w_accounting(ctx, w, x);
	w_management(w, x);
	jw_kv_str(w, "cityId", x->city_id);
	w_nullable(w, "leadSource", x->lead_source);
	jw_kv_str(w, "accountPlan", x->plan);
	jw_object_end(w);
}

/* ---- reads ---- */

/* GET /landlords/accounts (#1): filters per S-43, ids per S-19, paging per S-18. */
static int get_accounts(struct ctx *ctx)
{
	struct account_filter f;
	struct hal_page p;
	struct account_view *list;
	struct str *ids;
	size_t n, nids;
	int64_t total;
	struct str phone;
	struct jw *w;

	if (accounts_auth(ctx) < 0 || hal_read_page(ctx, HAL_DEFAULT_PER_PAGE, &p) < 0)
		return -1;
	memset(&f, 0, sizeof(f));
	accounts_query_array(ctx, "ids", &ids, &nids);
	f.ids = ids;
	f.n_ids = nids;
	f.email = str_trim(query_get(&ctx->query, "email"));
	f.name = str_trim(query_get(&ctx->query, "accountName"));
	phone = str_trim(query_get(&ctx->query, "contactPhone"));
	if (!f.email.len)
		f.email = STR_NULL;
	if (!f.name.len)
		f.name = STR_NULL;
	if (phone.len) {
		f.phone_digits = phone_digits(ctx->req->arena, phone);
		if (!f.phone_digits.len)
			f.phone_digits = STR_LIT("-"); /* no digits: no phone matches */
	}
	f.limit = p.per_page;
	f.offset = p.page - 1 > INT64_MAX / p.per_page ? INT64_MAX : (p.page - 1) * p.per_page;
	if (accounts_list(ctx->core, ctx->req->arena, &ctx->caller, &f, &list, &n, &total, ctx->err) < 0)
		return -1;
	w = hal_begin(ctx, "/api/landlords/accounts", &p, (int64_t)n, total, "sah:accounts");
	for (size_t i = 0; i < n; i++)
		w_account(ctx, w, &list[i]);
	hal_end(w);
	return 0;
}

static int write_account(struct ctx *ctx, int64_t company_id)
{
	struct account_view v;

	if (accounts_get(ctx->core, ctx->req->arena, company_id, &v, ctx->err) < 0)
		return -1;
	w_account(ctx, ctx_json(ctx, 200), &v);
	return 0;
}

/* GET /landlords/accounts/{id} (#4): never 409 (S-02). */
static int get_account(struct ctx *ctx)
{
	int64_t company_id;

	if (path_account(ctx, true, &company_id) < 0)
		return -1;
	return write_account(ctx, company_id);
}

/* The caller's own account: employees have one, agents none (404, S-16). */
static int own_account(struct ctx *ctx, int64_t *company_id)
{
	if (accounts_auth(ctx) < 0)
		return -1;
	if (ctx->caller.kind != CALLER_EMPLOYEE)
		return error_set(ctx->err, ERROR_NOT_FOUND, NULL, "the caller has no account of its own");
	*company_id = ctx->caller.user.company_id;
	return 0;
}

/* GET /landlords/accounts/me (#7) */
static int get_me(struct ctx *ctx)
{
	int64_t company_id = 0;

	if (own_account(ctx, &company_id) < 0)
		return -1;
	return write_account(ctx, company_id);
}

/* ---- create ---- */

/* POST /landlords/accounts (#2): agents only (S-40); 201 with Location, no body. */
static int post_account(struct ctx *ctx)
{
	struct jr r;
	struct account_new in;
	struct event_actor actor;
	struct str id;

	if (accounts_auth(ctx) < 0)
		return -1;
	if (!accounts_is_agent(ctx))
		return error_set(ctx->err, ERROR_FORBIDDEN, NULL, "only agents create accounts");
	r = jr_root(ctx->err, ctx->body);
	memset(&in, 0, sizeof(in));
	jr_string(&r, "accountName", JR_REQUIRED, 1, NAME_MAX_LEN, &in.name);
	read_email(&r, "accountEmail", JR_REQUIRED, &in.email);
	read_enum(ctx, &r, "accountType", JR_REQUIRED, "account_types", NULL, NULL, &in.type);
	jr_string(&r, "phone", JR_REQUIRED, 1, PHONE_MAX_LEN, &in.phone);
	jr_string(&r, "contactFirstName", JR_REQUIRED, 1, NAME_MAX_LEN, &in.first_name);
	jr_string(&r, "contactLastName", JR_REQUIRED, 1, NAME_MAX_LEN, &in.last_name);
	jr_string(&r, "cityId", JR_REQUIRED, 1, 128, &in.city_id);
	read_enum(ctx, &r, "locale", JR_REQUIRED, "languages", NULL, NULL, &in.locale);
	jr_bool(&r, "isNotifiable", 0, &in.notifiable);
	if (failed(ctx))
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &actor, &id, ctx->err) < 0)
		return -1;
	no_content(ctx, 201, true);
	response_header(ctx->resp, "Location",
			str_from_cstr(arena_printf(ctx->req->arena, "/api/landlords/accounts/%.*s", STR_FMT(id))));
	return 0;
}

/* ---- updates ---- */

/* Runs a patch on the path's account; 204. */
static int run_patch(struct ctx *ctx, int64_t company_id, const struct account_patch *p, bool typed)
{
	struct event_actor actor;

	if (failed(ctx))
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_update(ctx->core, ctx->req->arena, &ctx->caller, company_id, p, &actor, ctx->err) < 0)
		return -1;
	return no_content(ctx, 204, typed);
}

static void set(struct account_patch *p, enum account_field f, int rc)
{
	if (rc == JR_SET || rc == JR_NULL)
		p->set |= AF_BIT(f);
}

/* accountName, accountEmail, locale, notes (#5 and #6; notes missing reads as null, S-38). */
static void read_basic(struct ctx *ctx, struct jr *r, struct account_patch *p)
{
	set(p, AF_NAME, jr_string(r, "accountName", JR_REQUIRED, 1, NAME_MAX_LEN, &p->v.name));
	set(p, AF_EMAIL, read_email(r, "accountEmail", JR_REQUIRED, &p->v.email));
	set(p, AF_LOCALE, read_enum(ctx, r, "locale", JR_REQUIRED, "languages", NULL, NULL, &p->v.locale));
	if (read_nullable(r, "notes", 0, NOTES_MAX_LEN, &p->v.notes) != JR_INVALID)
		p->set |= AF_BIT(AF_NOTES);
}

/* PUT /landlords/accounts/{id}/basic-details (#6) */
static int put_basic_details(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	read_basic(ctx, &r, &p);
	return run_patch(ctx, company_id, &p, true);
}

/* PUT /landlords/accounts/{id}/type (#8): one of the account types, else 400 (S-27). */
static int put_type(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	set(&p, AF_TYPE, read_enum(ctx, &r, "type", JR_REQUIRED, "account_types", NULL, NULL, &p.v.type));
	return run_patch(ctx, company_id, &p, true);
}

/* PUT /landlords/accounts/{id}/plan (#9): any non-empty string (S-27). */
static int put_plan(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	set(&p, AF_PLAN, jr_string(&r, "plan", JR_REQUIRED, 1, 64, &p.v.plan));
	return run_patch(ctx, company_id, &p, true);
}

/* #5's contact person: the booking contact's names, e-mail, phone, address and zip code. */
static void read_person(struct jr *r, struct account_patch *p)
{
	struct contact *k = &p->person;

	jr_string(r, "firstName", JR_REQUIRED, 1, NAME_MAX_LEN, &k->first_name);
	jr_string(r, "lastName", JR_REQUIRED, 1, NAME_MAX_LEN, &k->last_name);
	jr_string(r, "phone", JR_REQUIRED, 1, PHONE_MAX_LEN, &k->phone);
	read_email(r, "email", JR_REQUIRED, &k->email);
	read_nullable(r, "address", JR_REQUIRED, NAME_MAX_LEN, &k->address);
	read_nullable(r, "zipCode", JR_REQUIRED, 32, &k->zip_code);
	p->set |= AF_BIT(AF_PERSON);
}

/* commission {type, value} of #5 */
static void read_commission_object(struct ctx *ctx, struct jr *r, struct account_patch *p)
{
	struct jr c;
	int t, v;

	if (jr_object(r, "commission", JR_REQUIRED, &c) != JR_SET)
		return;
	t = read_enum(ctx, &c, "type", JR_REQUIRED, "commission_types", NULL, NULL, &p->v.commission_type);
	v = jr_int(&c, "value", JR_REQUIRED, 0, MONEY_MAX, &p->v.commission_value);
	if (t == JR_SET && v == JR_SET)
		p->set |= AF_BIT(AF_COMMISSION);
}

static void read_management_common(struct ctx *ctx, struct jr *r, struct account_patch *p, bool full)
{
	const char *const cls = full ? "accountClassification" : "classification";
	int units;

	set(p, AF_CLASSIFICATION,
	    read_enum(ctx, r, cls, JR_REQUIRED, "account_classifications", NULL, NULL, &p->v.classification));
	units = jr_int(r, "totalRentableUnits", JR_REQUIRED, 0, COUNT_MAX, &p->v.rentable_units);
	if (jr_int(r, "totalProperties", JR_REQUIRED, 0, COUNT_MAX, &p->v.properties) == JR_SET && units == JR_SET)
		p->set |= AF_BIT(AF_TOTALS);
	set(p, AF_TECHNOLOGY,
	    read_enum(ctx, r, "technology", JR_REQUIRED, "technologies", NULL, NULL, &p->v.technology));
	set(p, AF_TRANSFER,
	    read_enum(ctx, r, "transferTiming", JR_REQUIRED, "transfer_timings", NULL, NULL, &p->v.transfer_timing));
	set(p, AF_OTHER_PLATFORMS, read_enum(ctx, r, "otherPlatformsUsage", JR_REQUIRED, "other_platforms_usages",
					     "classifieds", "classified", &p->v.other_platforms_usage));
	set(p, AF_CONSENT, jr_bool(r, "consentForClassifieds", JR_REQUIRED, &p->v.consent_for_classifieds));
}

/* #5 numberPublishedListings, also under the Account's backtick spelling (S-05). */
static void read_published(struct jr *r, struct account_patch *p)
{
	const char *key = r->obj && !json_object_get(r->obj, "numberPublishedListings") &&
					  json_object_get(r->obj, "numberPublishedListings`")
				  ? "numberPublishedListings`"
				  : "numberPublishedListings";
	set(p, AF_PUBLISHED, jr_int(r, key, JR_REQUIRED, 0, COUNT_MAX, &p->v.published_listings));
}

/* PUT /landlords/accounts/{id} (#5): the whole legacy account; 400 on bad input (S-38). */
static int put_account(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;
	int rc;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	read_basic(ctx, &r, &p);
	set(&p, AF_WEBSITE, read_nullable(&r, "website", 0, URL_MAX_LEN, &p.v.website));
	rc = read_nullable(&r, "policies", 0, POLICIES_MAX_LEN, &p.policies);
	set(&p, AF_POLICIES, rc);
	read_commission_object(ctx, &r, &p);
	set(&p, AF_TYPE, read_enum(ctx, &r, "type", JR_REQUIRED, "account_types", NULL, NULL, &p.v.type));
	rc = jr_int(&r, "feeValue", JR_REQUIRED, 0, MONEY_MAX, &p.v.admin_fee_value);
	if (read_enum(ctx, &r, "feeType", JR_REQUIRED, "admin_fee_types", "percentage", "percentual",
		      &p.v.admin_fee_type) == JR_SET && rc == JR_SET)
		p.set |= AF_BIT(AF_ADMIN_FEE);
	set(&p, AF_CONTRACT_TYPE,
	    read_enum(ctx, &r, "contractType", JR_REQUIRED, "contract_types", NULL, NULL, &p.v.contract_type));
	rc = read_enum(ctx, &r, "downPaymentType", JR_REQUIRED, "down_payment_types", NULL, NULL,
		       &p.v.down_payment_type);
	if (read_nullable_int(&r, "downPaymentValue", JR_REQUIRED, MONEY_MAX, &p.v.down_payment_value) >= JR_SET &&
	    rc == JR_SET)
		p.set |= AF_BIT(AF_DOWN_PAYMENT);
	set(&p, AF_CANCELLATION, read_enum(ctx, &r, "cancellationPolicy", JR_REQUIRED, "cancellation_policies", NULL,
					   NULL, &p.v.cancellation_policy));
	set(&p, AF_MANAGER, jr_string(&r, "assignedAccountManager", JR_REQUIRED, 1, EMAIL_MAX_LEN, &p.manager));
	p.manager_field = "assignedAccountManager";
	read_person(&r, &p);
	set(&p, AF_PROVISION, read_enum(ctx, &r, "contractProvision", JR_REQUIRED, "contract_provisions", NULL, NULL,
					&p.v.contract_provision));
	set(&p, AF_CHANNEL, read_enum(ctx, &r, "preferredCommunicationChannel", JR_REQUIRED, "communication_channels",
				      NULL, NULL, &p.v.communication_channel));
	read_published(&r, &p);
	read_management_common(ctx, &r, &p, true);
	read_office_hours(&r, p.v.hours);
	p.set |= AF_BIT(AF_HOURS);
	/* S-15: any string here; #47 checks the list */
	set(&p, AF_ACTIVATION, jr_string(&r, "activationStage", JR_REQUIRED, 1, 64, &p.v.activation_stage));
	return run_patch(ctx, company_id, &p, true);
}

/* PUT /landlords/accounts/{id}/booking-conditions (#46): no 400/404 documented, 422 for bad input. */
static int put_booking_conditions(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;
	int t, v;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	t = read_enum(ctx, &r, "commissionType", JR_REQUIRED, "commission_types", NULL, NULL, &p.v.commission_type);
	v = jr_int(&r, "commissionValue", JR_REQUIRED, 0, MONEY_MAX, &p.v.commission_value);
	if (t == JR_SET && v == JR_SET)
		p.set |= AF_BIT(AF_COMMISSION);
	t = read_enum(ctx, &r, "adminFeeType", JR_REQUIRED, "admin_fee_types", "percentage", "percentual",
		      &p.v.admin_fee_type);
	v = jr_int(&r, "adminFeeValue", JR_REQUIRED, 0, MONEY_MAX, &p.v.admin_fee_value);
	if (t == JR_SET && v == JR_SET)
		p.set |= AF_BIT(AF_ADMIN_FEE);
	set(&p, AF_CONTRACT_TYPE,
	    read_enum(ctx, &r, "contractType", JR_REQUIRED, "contract_types", NULL, NULL, &p.v.contract_type));
	set(&p, AF_CANCELLATION, read_enum(ctx, &r, "cancellationPolicy", JR_REQUIRED, "cancellation_policies", NULL,
					   NULL, &p.v.cancellation_policy));
	set(&p, AF_MAX_DAYS, read_nullable_int(&r, "bookingMaxDays", 0, DAYS_MAX, &p.v.booking_max_days));
	set(&p, AF_MIN_DAYS, read_nullable_int(&r, "bookingMinDays", 0, DAYS_MAX, &p.v.booking_min_days));
	p.min_days_field = "bookingMinDays"; /* core checks them against the stored days */
	p.max_days_field = "bookingMaxDays";
	return run_patch(ctx, company_id, &p, true);
}

/* PUT /landlords/accounts/{id}/management-info (#47) */
static int put_management_info(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	read_management_common(ctx, &r, &p, false);
	set(&p, AF_MANAGER, read_nullable(&r, "accountManagerId", JR_REQUIRED, EMAIL_MAX_LEN, &p.manager));
	p.manager_field = "accountManagerId";
	set(&p, AF_ACTIVATION, read_enum(ctx, &r, "activationStage", JR_REQUIRED, "activation_stages", NULL, NULL,
					 &p.v.activation_stage));
	return run_patch(ctx, company_id, &p, false);
}

/* PUT /landlords/accounts/{id}/canonical-policies (#48): the canonical locale's text (S-09). */
static int put_canonical_policies(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, true, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	set(&p, AF_POLICIES, jr_string(&r, "policies", JR_REQUIRED, 1, POLICIES_MAX_LEN, &p.policies));
	return run_patch(ctx, company_id, &p, false);
}

/* PUT /accommodation-providers/{id}/policies (#31): nullable, optional (absent: removed). */
static int put_policies(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	if (read_nullable(&r, "policies", 0, POLICIES_MAX_LEN, &p.policies) != JR_INVALID)
		p.set |= AF_BIT(AF_POLICIES);
	return run_patch(ctx, company_id, &p, true);
}

/* PUT /landlords/accounts/{id}/account-managers (#51): agents only; accountManagerId required, null unassigns (S-04) */
static int put_account_managers(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, true, &company_id) < 0)
		return -1;
	if (!accounts_is_agent(ctx))
		return error_set(ctx->err, ERROR_FORBIDDEN, NULL, "only agents assign account managers");
	r = jr_root(ctx->err, ctx->body);
	set(&p, AF_MANAGER, read_nullable(&r, "accountManagerId", JR_REQUIRED, EMAIL_MAX_LEN, &p.manager));
	p.manager_field = "accountManagerId";
	return run_patch(ctx, company_id, &p, false);
}

/* leadSource: a value of the Account enum or null, else 400 (S-16). */
static int lead_source(struct ctx *ctx, int64_t company_id)
{
	struct account_patch p = { 0 };
	struct jr r = jr_root(ctx->err, ctx->body);
	int rc = read_nullable(&r, "leadSource", JR_REQUIRED, 64, &p.v.lead_source);

	if (rc == JR_SET && !reference_contains(ctx->core, "lead_sources", p.v.lead_source)) {
		error_field(ctx->err, "leadSource", RULE_ENUM, "%s", haystack);
		rc = JR_INVALID;
	}
	set(&p, AF_LEAD_SOURCE, rc);
	return run_patch(ctx, company_id, &p, true);
}

/* PUT /landlords/accounts/lead-source (#52): the caller's own account. */
static int put_own_lead_source(struct ctx *ctx)
{
	int64_t company_id = 0;

	if (own_account(ctx, &company_id) < 0)
		return -1;
	return lead_source(ctx, company_id);
}

/* PUT /landlords/accounts/{id}/lead-source (S-16 alias for agents) */
static int put_lead_source(struct ctx *ctx)
{
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	return lead_source(ctx, company_id);
}

/* PUT /accommodation-providers/{id}/booking-acceptance-time-preferences (#11): numbers or numeric strings (S-27). */
static int put_acceptance_preferences(struct ctx *ctx)
{
	struct account_patch p = { 0 };
	struct jr r;
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	set(&p, AF_MAX_GAP, read_nullable_int(&r, "days", 0, DAYS_MAX, &p.v.booking_max_gap_days));
	set(&p, AF_MIN_DAYS, read_nullable_int(&r, "minDays", 0, DAYS_MAX, &p.v.booking_min_days));
	set(&p, AF_MAX_DAYS, read_nullable_int(&r, "maxDays", 0, DAYS_MAX, &p.v.booking_max_days));
	p.min_days_field = "minDays"; /* core checks them against the stored days */
	p.max_days_field = "maxDays";
	return run_patch(ctx, company_id, &p, true);
}

/* PUT /accommodation-providers/{id}/icalendar (#12): a repeat is 409 with its own detail (S-45). */
static int put_icalendar(struct ctx *ctx)
{
	struct event_actor actor;
	int64_t company_id;
	struct jw *w;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_icalendar(ctx->core, ctx->req->arena, &ctx->caller, company_id, &actor, ctx->err) == 0)
		return no_content(ctx, 204, true);
	if (ctx->err->kind != ERROR_CONFLICT)
		return -1;
	/* the documented body names the account, unlike the fixed E409 detail */
	w = ctx_json(ctx, 409);
	jw_object_begin(w);
	jw_kv_cstr(w, "type", "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html");
	jw_kv_cstr(w, "title", "Conflict");
	jw_kv_int(w, "status", 409);
	jw_kv_cstr(w, "detail", ctx->err->message);
	jw_object_end(w);
	error_forget(ctx->err);
	return 0;
}

/* One country's conditions {gapMinDays, gapMaxDays, contractType}, each nullable (S-25). */
static void read_condition(struct ctx *ctx, struct jr *r, const char *key, struct booking_condition *out)
{
	struct jr c;
	json_t *type;

	out->gap_min_days = out->gap_max_days = ACCOUNT_UNSET;
	out->contract_type = STR_NULL;
	if (jr_object(r, key, JR_REQUIRED, &c) != JR_SET)
		return;
	read_nullable_int(&c, "gapMinDays", 0, DAYS_MAX, &out->gap_min_days);
	read_nullable_int(&c, "gapMaxDays", 0, DAYS_MAX, &out->gap_max_days);
	type = json_object_get(c.obj, "contractType");
	if (type && !json_is_null(type) && !(json_is_string(type) && strcmp(json_string_value(type), "null") == 0) &&
	    read_enum(ctx, &c, "contractType", 0, "contract_types", NULL, NULL, &out->contract_type) != JR_SET)
		out->contract_type = STR_NULL;
	if (out->gap_min_days != ACCOUNT_UNSET && out->gap_max_days != ACCOUNT_UNSET &&
	    out->gap_min_days > out->gap_max_days)
		error_field(ctx->err, jr_path(&c, "gapMinDays"), RULE_RANGE, "must not be greater than gapMaxDays");
}

#define COUNTRIES_MAX 300

/* POST (PUT alias) /landlords/accounts/{id}/booking-conditions-by-country (#10): 201, no body. */
static int post_conditions_by_country(struct ctx *ctx)
{
	struct booking_condition *list;
	struct event_actor actor;
	int64_t company_id;
	struct jr r;
	const char *key;
	json_t *v;
	size_t n = 0;

	if (path_account(ctx, true, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	if (!r.obj)
		return -1;
	if (json_object_size(r.obj) == 0)
		return error_field(ctx->err, "{countryId}", RULE_REQUIRED, "at least one country id is required");
	if (json_object_size(r.obj) > COUNTRIES_MAX)
		return error_field(ctx->err, "{countryId}", RULE_RANGE, "at most %d country ids per request",
				   COUNTRIES_MAX);
	list = arena_calloc(ctx->req->arena, json_object_size(r.obj), sizeof(*list));
	json_object_foreach (r.obj, key, v) {
		list[n].country_id = str_from_cstr(key);
		read_condition(ctx, &r, key, &list[n++]);
	}
	if (failed(ctx))
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_booking_conditions(ctx->core, ctx->req->arena, &ctx->caller, company_id, list, n, &actor,
					ctx->err) < 0)
		return -1;
	return no_content(ctx, 201, true);
}

/* ---- additional data (S-17) ---- */

enum data_kind { DATA_STRING, DATA_NUMBER, DATA_BOOL, DATA_STRING_OR_NUMBER };

/* The union of the POST and PUT fields (§2.8), in the order they are stored and shown. */
static const struct {
	const char *key;
	enum data_kind kind;
} data_fields[] = {
	{ "additionalLanguagesSpoken", DATA_STRING },
	{ "deposit", DATA_STRING_OR_NUMBER },
	{ "rentPaymentMethod", DATA_STRING },
	{ "typeOfTenantContractRegistration", DATA_STRING },
	{ "valueOfTenantContractRegistration", DATA_NUMBER },
	{ "costOfTenantContractRegistration", DATA_NUMBER },
	{ "isDomiciliationPermitted", DATA_BOOL },
	{ "isAnmeldungPermitted", DATA_BOOL },
	{ "documentationRequired", DATA_STRING },
	{ "doesTheLandlordLiveOnTheProperty", DATA_BOOL },
	{ "landlordGender", DATA_STRING },
	{ "landlordAge", DATA_NUMBER },
	{ "aboutLandlord", DATA_STRING },
	{ "hasCheckoutCleaningFee", DATA_BOOL },
	{ "checkoutCleaningFeeAmount", DATA_NUMBER },
	{ "hasCheckinCheckoutPolicies", DATA_BOOL },
	{ "checkinCheckoutLocation", DATA_STRING },
	{ "earliestCheckinCheckoutTime", DATA_STRING },
	{ "latestCheckinCheckoutTime", DATA_STRING },
	{ "isWeekendHolidayOutOfHoursCheckinCheckoutPermitted", DATA_BOOL },
	{ "weekendHolidayCheckinCheckoutFeeAmount", DATA_NUMBER },
};

#define DATA_TEXT_MAX 5000
#define DATA_NUMBER_MAX 1e12

/* A number member as a number (numeric strings too, G-04), written to w. */
static void data_number(struct jr *r, const char *key, struct jw *w)
{
	double d;

	if (json_is_integer(json_object_get(r->obj, key))) {
		json_int_t i = json_integer_value(json_object_get(r->obj, key));
		if (i < -(json_int_t)DATA_NUMBER_MAX || i > (json_int_t)DATA_NUMBER_MAX) {
			error_field(r->err, jr_path(r, key), RULE_RANGE, "must be between -10^12 and 10^12");
			return;
		}
		jw_kv_int(w, key, (int64_t)i);
		return;
	}
	if (jr_double(r, key, 0, -DATA_NUMBER_MAX, DATA_NUMBER_MAX, &d) == JR_SET)
		jw_kv_double(w, key, d);
}

/* data {…}: the known fields with their types, re-encoded in table order (unknown ones ignored, G-03). */
static struct str read_data(struct ctx *ctx, struct jr *r)
{
	struct jr d;
	struct buf b;
	struct jw w;

	if (jr_object(r, "data", JR_REQUIRED, &d) != JR_SET)
		return STR_NULL;
	buf_init(&b, ctx->req->arena, 512);
	jw_init(&w, &b);
	jw_object_begin(&w);
	for (size_t i = 0; i < sizeof(data_fields) / sizeof(data_fields[0]); i++) {
		const char *key = data_fields[i].key;
		json_t *v = json_object_get(d.obj, key);
		struct str s;
		bool flag;
		if (!v || json_is_null(v))
			continue;
		if (data_fields[i].kind == DATA_BOOL) {
			if (jr_bool(&d, key, 0, &flag) == JR_SET)
				jw_kv_bool(&w, key, flag);
		} else if (data_fields[i].kind == DATA_NUMBER ||
			   (data_fields[i].kind == DATA_STRING_OR_NUMBER && json_is_number(v))) {
			data_number(&d, key, &w);
		} else if (jr_string(&d, key, 0, 0, DATA_TEXT_MAX, &s) == JR_SET) {
			jw_kv_str(&w, key, s);
		}
	}
	jw_object_end(&w);
	return buf_str(&b);
}

static int save_data(struct ctx *ctx, int64_t company_id, struct str data)
{
	struct event_actor actor;

	accounts_actor(ctx, &actor);
	return accounts_additional_data(ctx->core, ctx->req->arena, &ctx->caller, company_id, data, &actor, ctx->err);
}

/* POST /landlords/accounts/additional-data (#32): the account id in the body; 201 (no Location). */
static int post_additional_data(struct ctx *ctx)
{
	struct jr r;
	struct str id, data;
	int64_t company_id = 0;

	if (accounts_auth(ctx) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	if (jr_string(&r, "id", JR_REQUIRED, 1, 64, &id) == JR_SET &&
	    accounts_company_for(ctx, id, false, &company_id) < 0) {
		/* #32 documents no 403/404: an id the caller cannot use is a bad member */
		if (ctx->err->kind != ERROR_NOT_FOUND && ctx->err->kind != ERROR_FORBIDDEN)
			return -1;
		error_forget(ctx->err);
		error_field(ctx->err, "id", RULE_ENUM, "no such account");
	}
	data = read_data(ctx, &r);
	if (failed(ctx) || save_data(ctx, company_id, data) < 0)
		return -1;
	return no_content(ctx, 201, true);
}

/* PUT /landlords/accounts/{id}/additional-data (#34): 400 on bad input (S-38). */
static int put_additional_data(struct ctx *ctx)
{
	struct jr r;
	struct str data;
	int64_t company_id;

	if (path_account(ctx, false, &company_id) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	data = read_data(ctx, &r);
	if (failed(ctx) || save_data(ctx, company_id, data) < 0)
		return -1;
	return no_content(ctx, 204, true);
}

/* GET /landlords/accounts/{id}/additional-data (#33): {id, data}; data {} before any was stored. */
static int get_additional_data(struct ctx *ctx)
{
	struct account_view v;
	int64_t company_id;
	struct jw *w;

	if (path_account(ctx, false, &company_id) < 0 ||
	    accounts_get(ctx->core, ctx->req->arena, company_id, &v, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "id", v.a.id);
	jw_key(w, "data");
	jw_raw(w, v.a.additional_data.ptr ? v.a.additional_data : STR_LIT("{}"));
	jw_object_end(w);
	return 0;
}

/* POST /landlords/accounts/{id}/obfuscate (rentd extension): GDPR erasure; agents only, 204. */
static int post_obfuscate(struct ctx *ctx)
{
	struct event_actor actor;
	int64_t company_id;

	if (path_account(ctx, true, &company_id) < 0)
		return -1;
	accounts_actor(ctx, &actor);
	if (accounts_obfuscate(ctx->core, ctx->req->arena, &ctx->caller, company_id, &actor, ctx->err) < 0)
		return -1;
	return no_content(ctx, 204, true);
}

/* designated initializers: struct route may grow fields that these routes leave zero */
#define R(m, pattern_, fn, flags_) \
	{ .method = (m), .pattern = (pattern_), .handler = (fn), .dialect = DIALECT_ACCOUNTS, .flags = (flags_) }
#define J ROUTE_JSON
#define J400 (ROUTE_JSON | ROUTE_INVALID_400)

const struct route accounts_routes[] = {
	R(HTTP_GET, "/api/landlords/accounts", get_accounts, ROUTE_INVALID_400),
	R(HTTP_POST, "/api/landlords/accounts", post_account, J),
	R(HTTP_GET, "/api/landlords/accounts/me", get_me, 0),
	R(HTTP_PUT, "/api/landlords/accounts/lead-source", put_own_lead_source, J400),
	R(HTTP_POST, "/api/landlords/accounts/additional-data", post_additional_data, J),
	R(HTTP_GET, "/api/landlords/accounts/{id}", get_account, 0),
	R(HTTP_PUT, "/api/landlords/accounts/{id}", put_account, J400),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/basic-details", put_basic_details, J400),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/type", put_type, J400),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/plan", put_plan, J400),
	R(HTTP_POST, "/api/landlords/accounts/{id}/booking-conditions-by-country", post_conditions_by_country, J),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/booking-conditions-by-country", post_conditions_by_country, J),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/booking-conditions", put_booking_conditions, J),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/management-info", put_management_info, J),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/canonical-policies", put_canonical_policies, J400),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/account-managers", put_account_managers, J),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/lead-source", put_lead_source, J400),
	R(HTTP_GET, "/api/landlords/accounts/{id}/additional-data", get_additional_data, 0),
	R(HTTP_PUT, "/api/landlords/accounts/{id}/additional-data", put_additional_data, J400),
	R(HTTP_POST, "/api/landlords/accounts/{id}/obfuscate", post_obfuscate, J),
	R(HTTP_PUT, "/api/accommodation-providers/{id}/booking-acceptance-time-preferences", put_acceptance_preferences,
	  J),
	R(HTTP_PUT, "/api/accommodation-providers/{id}/icalendar", put_icalendar, J),
	R(HTTP_PUT, "/api/accommodation-providers/{id}/policies", put_policies, J400),
};
const size_t accounts_routes_count = sizeof(accounts_routes) / sizeof(accounts_routes[0]);
