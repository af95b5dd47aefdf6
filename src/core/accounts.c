/*
 * accounts.c — accounts and contacts (core/accounts.h): access, the writes, and the
 * domain-event payloads of spotahome.md §5 (one small builder per event, S-28…S-36, S-48).
 *
 * Every write runs in one transaction that loads the account, changes it, compares old
 * and new member by member and appends one event per changed aspect: the payload is the
 * event's published JSON, before/after the changed members by their Account names for
 * the changelog (S-49).
 */
#include "core/accounts.h"

#include <stddef.h>
#include <stdio.h>

#include "core/agents.h"
#include "core/notify.h"
#include "core/org.h"
#include "core/reference.h"
#include "core/rights.h"
#include "json/json_write.h"

/* Runs body inside one write transaction: all of it lands, or none. */
#define IN_TRANSACTION(c, err, body)                        \
	do {                                                \
		if (store_begin((c)->store, (err)) < 0)     \
			return -1;                          \
		if ((body) < 0) {                           \
			store_rollback((c)->store);         \
			return -1;                          \
		}                                           \
		if (store_commit((c)->store, (err)) < 0)    \
			return -1;                          \
	} while (0)

const char *const contact_role_names[ROLE_COUNT] = { "booking_manager", "tenant", "finance" };

/* ---- access ---- */

static int agent_only(const struct caller *who, struct error *err)
{
	if (who && who->kind != CALLER_AGENT)
		return error_set(err, ERROR_FORBIDDEN, NULL, "only the operator's agents may do this");
	return 0;
}

/* Agents, or an employee of this company with the organization right (S-40). */
static int may_write(const struct caller *who, int64_t company_id, struct error *err)
{
	if (!who || who->kind == CALLER_AGENT)
		return 0;
	if (who->kind != CALLER_EMPLOYEE || who->user.company_id != company_id)
		return error_set(err, ERROR_FORBIDDEN, NULL, "another account");
	return caller_require_right(who, RIGHT_ORGANIZATION, err);
}

/* ---- reads ---- */

static int load_view(struct core *c, struct arena *a, struct account_view *v, struct error *err)
{
	if (store_contact_list(c->store, a, v->a.company_id, &v->contacts, &v->ncontacts, err) < 0)
		return -1;
	return store_account_policies(c->store, a, v->a.company_id, &v->policies, &v->npolicies, err);
}

int accounts_get(struct core *c, struct arena *a, int64_t company_id, struct account_view *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (store_account_get(c->store, a, company_id, &out->a, err) < 0)
		return -1;
	return load_view(c, a, out, err);
}

/*
 * The page's contacts and policies come in one read each for all its accounts, both in
 * company-id order as the page is: each account's share is the next run of each list.
 */
static int load_views(struct core *c, struct arena *a, struct account_view *v, size_t n, struct error *err)
{
	int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof(*ids));
	struct contact *contacts;
	struct account_policy *policies;
	size_t ncontacts, npolicies, k = 0, p = 0;

	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].a.company_id;
	if (store_contact_list_of(c->store, a, ids, n, &contacts, &ncontacts, err) < 0 ||
	    store_account_policies_of(c->store, a, ids, n, &policies, &npolicies, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		while (k < ncontacts && contacts[k].company_id < ids[i])
			k++;
		v[i].contacts = contacts + k;
		while (k < ncontacts && contacts[k].company_id == ids[i])
			k++;
		v[i].ncontacts = (size_t)(contacts + k - v[i].contacts);
		while (p < npolicies && policies[p].company_id < ids[i])
			p++;
		v[i].policies = policies + p;
		while (p < npolicies && policies[p].company_id == ids[i])
			p++;
		v[i].npolicies = (size_t)(policies + p - v[i].policies);
	}
	return 0;
}

int accounts_list(struct core *c, struct arena *a, const struct caller *who, struct account_filter *f,
		  struct account_view **out, size_t *n, int64_t *total, struct error *err)
{
	struct account *rows;

	if (who && who->kind == CALLER_EMPLOYEE)
		f->company_id = who->user.company_id;
	if (store_account_list(c->store, a, f, &rows, n, total, err) < 0)
		return -1;
	*out = arena_calloc(a, *n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++)
		(*out)[i].a = rows[i];
	return *n ? load_views(c, a, *out, *n, err) : 0;
}

/* "2024-01-02T03:04:05Z" (fraction allowed) → "2024-01-02T03:04:05<zone>"; other text stays. */
static struct str stored_time(struct arena *a, struct str t, const char *zone)
{
	if (!t.ptr || t.len < 20 || t.ptr[t.len - 1] != 'Z' || t.ptr[10] != 'T')
		return t;
	return str_from_cstr(arena_printf(a, "%.19s%s", t.ptr, zone));
}

struct str accounts_time(struct arena *a, struct str stored)
{
	return stored_time(a, stored, "+00:00");
}

/* ---- the operation's event context ---- */

struct op {
	struct core *c;
	struct arena *a;
	const struct event_actor *actor;
	int64_t now; /* µs: the one instant all the operation's events show */
	struct error *err;
};

static void op_init(struct op *o, struct core *c, struct arena *a, const struct event_actor *actor,
		    struct error *err)
{
	o->c = c;
	o->a = a;
	o->actor = actor;
	o->now = events_now_us();
	o->err = err;
}

static void w_begin(struct op *o, struct buf *b, struct jw *w)
{
	buf_init(b, o->a, 512);
	jw_init(w, b);
	jw_object_begin(w);
}

static struct str w_end(struct buf *b, struct jw *w)
{
	jw_object_end(w);
	return buf_str(b);
}

static void w_nstr(struct jw *w, const char *key, struct str v)
{
	jw_key(w, key);
	if (v.ptr)
		jw_string(w, v);
	else
		jw_null(w);
}

/* A nullable text as the events' required strings show it: "" when unset. */
static void w_text(struct jw *w, const char *key, struct str v)
{
	jw_kv_str(w, key, v.ptr ? v : STR_LIT(""));
}

static void w_nint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	if (v == ACCOUNT_UNSET)
		jw_null(w);
	else
		jw_int(w, v);
}

/* occurredOn in the event's own format (S-36). */
static void w_time(struct op *o, struct jw *w, enum event_time_format f)
{
	jw_key(w, "occurredOn");
	if (f != EVENT_TIME_PHP) {
		jw_cstr(w, events_time(o->a, o->now, f));
		return;
	}
	jw_object_begin(w);
	jw_kv_cstr(w, "date", events_time(o->a, o->now, f));
	jw_kv_int(w, "timezone_type", 3);
	jw_kv_cstr(w, "timezone", "UTC");
	jw_object_end(w);
}

/* "user": {email (nullable, with_email), identity}. */
static void w_user(struct op *o, struct jw *w, bool with_email)
{
	jw_key(w, "user");
	jw_object_begin(w);
	if (with_email)
		w_nstr(w, "email", o->actor->email.len ? o->actor->email : STR_NULL);
	jw_kv_str(w, "identity", o->actor->identity);
	jw_object_end(w);
}

static int emit(struct op *o, const char *type, int64_t company_id, const char *aggregate, struct str aggregate_id,
		struct str payload, struct str before, struct str after)
{
	struct event_new e = {
		.type = type,
		.company_id = company_id,
		.aggregate = aggregate,
		.aggregate_id = aggregate_id,
		.occurred_us = o->now,
		.actor = o->actor,
		.payload = payload,
		.before = before,
		.after = after,
	};
	return events_append(o->c, &e, NULL, o->err);
}

static int emit_account(struct op *o, const char *type, const struct account *x, struct str payload,
			struct str before, struct str after)
{
	return emit(o, type, x->company_id, "account", x->id, payload, before, after);
}

static struct str contact_key(struct op *o, int64_t id)
{
	return str_from_cstr(arena_printf(o->a, "%lld", (long long)id));
}

/* ---- members: the changelog's before/after and the change detection ---- */

enum member_kind { MK_STR, MK_NSTR, MK_INT, MK_NINT, MK_BOOL };

struct member {
	const char *key; /* the Account member ("commission.value") */
	enum member_kind kind;
	size_t off;      /* in struct account */
};

#define M(key, kind, field) { key, kind, offsetof(struct account, field) }

static bool member_eq(const struct member *m, const struct account *x, const struct account *y)
{
	const char *p = (const char *)x + m->off, *q = (const char *)y + m->off;

	switch (m->kind) {
	case MK_STR:
	case MK_NSTR: {
		const struct str *s = (const struct str *)(const void *)p, *t = (const struct str *)(const void *)q;
		return (s->ptr == NULL) == (t->ptr == NULL) && str_eq(*s, *t);
	}
	case MK_INT:
	case MK_NINT:
		return *(const int64_t *)(const void *)p == *(const int64_t *)(const void *)q;
	case MK_BOOL:
		return *(const bool *)(const void *)p == *(const bool *)(const void *)q;
	}
	return true;
}

static void member_write(struct jw *w, const struct member *m, const struct account *x)
{
	const void *p = (const char *)x + m->off;

	switch (m->kind) {
	case MK_STR:
	case MK_NSTR: w_nstr(w, m->key, *(const struct str *)p); break;
	case MK_INT: jw_kv_int(w, m->key, *(const int64_t *)p); break;
	case MK_NINT: w_nint(w, m->key, *(const int64_t *)p); break;
	case MK_BOOL: jw_kv_bool(w, m->key, *(const bool *)p); break;
	}
}

static bool changed(const struct member *m, size_t n, const struct account *old, const struct account *x)
{
	for (size_t i = 0; i < n; i++)
		if (!member_eq(&m[i], old, x))
			return true;
	return false;
}

/* The members of m that differ between old and x, as x has them. all: every member of m. */
static struct str members_json(struct op *o, const struct member *m, size_t n, const struct account *old,
			       const struct account *x, const struct account *from, bool all)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	for (size_t i = 0; i < n; i++)
		if (all || !member_eq(&m[i], old, x))
			member_write(&w, &m[i], from);
	return w_end(&b, &w);
}

#define NM(m) (sizeof(m) / sizeof((m)[0]))

static const struct member m_name[] = { M("accountName", MK_STR, name) };
static const struct member m_type[] = { M("type", MK_STR, type) };
static const struct member m_plan[] = { M("accountPlan", MK_STR, plan) };
static const struct member m_commission[] = { M("commission.type", MK_STR, commission_type),
					       M("commission.value", MK_INT, commission_value) };
static const struct member m_fee[] = { M("fees.feeType", MK_STR, admin_fee_type),
				       M("fees.feeValue", MK_INT, admin_fee_value) };
static const struct member m_contract[] = { M("contractType", MK_STR, contract_type) };
static const struct member m_down[] = { M("downPaymentType", MK_STR, down_payment_type),
					M("downPaymentValue", MK_NINT, down_payment_value) };
static const struct member m_cancel[] = { M("cancellationPolicy", MK_STR, cancellation_policy) };
static const struct member m_class[] = { M("accountClassification", MK_STR, classification) };
static const struct member m_totals[] = { M("totalProperties", MK_INT, properties),
					  M("totalRentableUnits", MK_INT, rentable_units) };
static const struct member m_tech[] = { M("technology", MK_STR, technology) };
static const struct member m_lead[] = { M("leadSource", MK_NSTR, lead_source) };
static const struct member m_roles[] = { M("booking_manager", MK_INT, roles[ROLE_BOOKING_MANAGER]),
					 M("tenant", MK_INT, roles[ROLE_TENANT]),
					 M("finance", MK_INT, roles[ROLE_FINANCE]) };
/* What AccountContentWasUpdated covers: the members no other event describes (S-48). */
static const struct member m_content[] = {
	M("accountEmail", MK_STR, email),
	M("locale", MK_STR, locale),
	M("website", MK_NSTR, website),
	M("notes", MK_NSTR, notes),
	M("cityId", MK_STR, city_id),
	M("contractProvision", MK_STR, contract_provision),
	M("preferredCommunicationChannel", MK_STR, communication_channel),
	M("numberPublishedListings", MK_INT, published_listings),
	M("transferTiming", MK_STR, transfer_timing),
	M("otherPlatformsUsage", MK_STR, other_platforms_usage),
	M("consentForClassifieds", MK_BOOL, consent_for_classifieds),
	M("activationStage", MK_STR, activation_stage),
	M("officeHours.weekdays.start", MK_NSTR, hours[HOURS_WEEKDAYS_START]),
	M("officeHours.weekdays.end", MK_NSTR, hours[HOURS_WEEKDAYS_END]),
	M("officeHours.weekend.start", MK_NSTR, hours[HOURS_WEEKEND_START]),
	M("officeHours.weekend.end", MK_NSTR, hours[HOURS_WEEKEND_END]),
	M("bookingAcceptanceTimePreferences.maxGapBetweenBookings.days", MK_NINT, booking_max_gap_days),
	M("bookingAcceptanceTimePreferences.bookingAcceptanceDaysRange.minDays", MK_NINT, booking_min_days),
	M("bookingAcceptanceTimePreferences.bookingAcceptanceDaysRange.maxDays", MK_NINT, booking_max_days),
	M("isExternallyIntegrated", MK_BOOL, is_externally_integrated),
};

/* Emits type with the payload built by fn when the members m changed. */
typedef void (*payload_fn)(struct op *o, struct jw *w, const struct account *x);

static int aspect(struct op *o, const char *type, const struct member *m, size_t n, const struct account *old,
		  const struct account *x, payload_fn fn)
{
	struct buf b;
	struct jw w;

	if (!changed(m, n, old, x))
		return 0;
	w_begin(o, &b, &w);
	fn(o, &w, x);
	return emit_account(o, type, x, w_end(&b, &w), members_json(o, m, n, old, x, old, false),
			    members_json(o, m, n, old, x, x, false));
}

/* ---- payloads (spotahome.md §5; S-28…S-36) ---- */

static void p_name_changed(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "id", x->id);
	jw_kv_str(w, "name", x->name);
	w_time(o, w, EVENT_TIME_00_00);
}

static void p_type_changed(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "id", x->id);
	jw_kv_str(w, "type", x->type);
	w_time(o, w, EVENT_TIME_00_00);
}

static void p_plan_changed(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "accountPlan", x->plan);
	w_user(o, w, false);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_commission_updated(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "id", x->id); /* S-30 */
	w_time(o, w, EVENT_TIME_0000);
	jw_kv_str(w, "type", x->commission_type);
	jw_kv_int(w, "value", x->commission_value);
}

/* The event's fee type (S-12): percentual → percentage, empty → fixed with value 0. */
static void w_event_fee(struct jw *w, const char *type_key, const char *value_key, const struct account *x)
{
	bool empty = str_eq_cstr(x->admin_fee_type, "empty");
	jw_kv_cstr(w, type_key, str_eq_cstr(x->admin_fee_type, "percentual") ? "percentage" : "fixed");
	jw_kv_int(w, value_key, empty ? 0 : x->admin_fee_value);
}

static void p_admin_fee_updated(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	w_event_fee(w, "feeType", "feeValue", x);
	w_user(o, w, false);
	w_time(o, w, EVENT_TIME_00_00);
}

static void p_contract_type_changed(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "contractType", x->contract_type);
	w_time(o, w, EVENT_TIME_0000);
}

/* weekly down payments count weeks: the value is numberOfWeeks */
static void p_down_payment_updated(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	w_time(o, w, EVENT_TIME_0000);
	jw_key(w, "downPaymentPreference");
	jw_object_begin(w);
	jw_key(w, "type");
	jw_object_begin(w);
	jw_kv_str(w, "type", x->down_payment_type);
	if (str_eq_cstr(x->down_payment_type, "weekly") && x->down_payment_value != ACCOUNT_UNSET)
		jw_kv_int(w, "numberOfWeeks", x->down_payment_value);
	jw_object_end(w);
	jw_object_end(w);
}

static void p_cancellation_updated(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "cancellationPolicy", x->cancellation_policy);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_classification_updated(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "accountClassification", x->classification);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_market_penetration_changed(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_int(w, "totalProperties", x->properties);
	jw_kv_int(w, "totalRentableUnits", x->rentable_units);
	w_user(o, w, true);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_technology_changed(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "technology", x->technology);
	w_user(o, w, true);
	w_time(o, w, EVENT_TIME_0000);
}

/* rentd extension (S-48) */
static void p_lead_source_changed(struct op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	w_nstr(w, "leadSource", x->lead_source);
	w_user(o, w, true);
	w_time(o, w, EVENT_TIME_0000);
}

/* {"key": value} for the changelog. */
static struct str one_member(struct op *o, const char *key, struct str v)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	w_nstr(&w, key, v);
	return w_end(&b, &w);
}

/* AccountManagerWasAssigned (S-28) and …Unassigned (S-29: "id"); accountManager = the agent's e-mail. */
static int ev_manager(struct op *o, const struct account *x, bool assigned, struct str email)
{
	struct buf b;
	struct jw w;
	struct str none = STR_LIT("unassigned");

	w_begin(o, &b, &w);
	jw_kv_str(&w, assigned ? "accountId" : "id", x->id);
	jw_kv_str(&w, "accountManager", email);
	w_time(o, &w, EVENT_TIME_PHP);
	return emit_account(o, assigned ? "AccountManagerWasAssigned" : "AccountManagerWasUnassigned", x,
			    w_end(&b, &w), one_member(o, "assignedAccountManager", assigned ? none : email),
			    one_member(o, "assignedAccountManager", assigned ? email : none));
}

/* {"email": …} wrappers and the like of the legacy accommodation-provider shapes. */
static void w_wrapped(struct jw *w, const char *key, const char *inner, struct str v)
{
	jw_key(w, key);
	jw_object_begin(w);
	w_nstr(w, inner, v);
	jw_object_end(w);
}

static void w_contact_accounting(struct op *o, struct jw *w, const struct contact *k)
{
	jw_key(w, "accounting");
	jw_object_begin(w);
	jw_kv_str(w, "creationUser", k->created_by);
	jw_kv_str(w, "updateUser", k->updated_by);
	jw_kv_str(w, "creationDate", stored_time(o->a, k->created_at, "+0000"));
	jw_kv_str(w, "updateDate", stored_time(o->a, k->updated_at, "+0000"));
	jw_object_end(w);
}

/* A contact inside AccountContentWasUpdated (id a number, email wrapped) or AccountWasCreated (id a string, S-31). */
static void w_event_contact(struct op *o, struct jw *w, const struct contact *k, bool legacy)
{
	jw_object_begin(w);
	if (legacy)
		jw_kv_int(w, "id", k->id);
	else
		jw_kv_str(w, "id", contact_key(o, k->id));
	jw_kv_str(w, "firstName", k->first_name);
	jw_kv_str(w, "lastName", k->last_name);
	if (legacy)
		w_wrapped(w, "email", "email", k->email);
	else
		jw_kv_str(w, "email", k->email);
	jw_kv_str(w, "phone", k->phone);
	w_text(w, "address", k->address);
	w_text(w, "zipCode", k->zip_code);
	w_text(w, "position", k->position);
	w_text(w, "notes", k->notes);
	w_contact_accounting(o, w, k);
	jw_kv_bool(w, "isDeleted", k->deleted);
	jw_object_end(w);
}

static void w_roles(struct jw *w, const struct account *x)
{
	jw_object_begin(w);
	for (int i = 0; i < ROLE_COUNT; i++) {
		jw_key(w, contact_role_names[i]);
		if (x->roles[i])
			jw_int(w, x->roles[i]);
		else
			jw_null(w);
	}
	jw_object_end(w);
}

/* The canonical locale's text before or after, as contentBefore/contentAfter. */
static void w_content(struct jw *w, const char *key, struct str locale, struct str policies)
{
	jw_key(w, key);
	jw_object_begin(w);
	jw_kv_str(w, "locale", locale);
	jw_kv_cstr(w, "translationType", "manual"); /* S-09: no automatic translations */
	if (policies.ptr)
		jw_kv_str(w, "policies", policies);
	jw_object_end(w);
}

static void w_days(struct jw *w, const char *key, int64_t v)
{
	if (v != ACCOUNT_UNSET)
		jw_kv_int(w, key, v);
}

static void w_accommodation_terms(struct jw *w, const struct account *x)
{
	jw_key(w, "commission");
	jw_object_begin(w);
	/* S-08: this legacy event counts commission in units, not ×100 */
	jw_kv_double(w, str_eq_cstr(x->commission_type, "fixed") ? "fixed" : "percentage",
		     (double)x->commission_value / 100.0);
	jw_object_end(w);
	w_wrapped(w, "type", "type", x->type);
	jw_kv_str(w, "locale", x->locale);
	jw_key(w, "fees");
	jw_object_begin(w);
	jw_key(w, "booking");
	jw_object_begin(w);
	w_event_fee(w, "type", "value", x);
	jw_object_end(w);
	jw_object_end(w);
	w_wrapped(w, "contractType", "type", x->contract_type);
	jw_key(w, "downPaymentPreference");
	jw_object_begin(w);
	w_wrapped(w, "type", "type", x->down_payment_type);
	jw_object_end(w);
}

static void w_accommodation_settings(struct jw *w, const struct account *x)
{
	jw_kv_bool(w, "isExternallyIntegrated", x->is_externally_integrated);
	w_wrapped(w, "cancellationPolicy", "policy", x->cancellation_policy);
	jw_key(w, "bookingAcceptanceTimePreferences");
	jw_object_begin(w);
	jw_key(w, "maxGapBetweenBookings");
	jw_object_begin(w);
	w_days(w, "days", x->booking_max_gap_days);
	jw_object_end(w);
	jw_key(w, "bookingAcceptanceDaysRange");
	jw_object_begin(w);
	w_days(w, "minDays", x->booking_min_days);
	w_days(w, "maxDays", x->booking_max_days);
	jw_object_end(w);
	jw_object_end(w);
	w_wrapped(w, "accountClassification", "type", x->classification);
	w_wrapped(w, "assignedAccountManager", "username", x->manager_id ? x->manager_email : STR_LIT("unassigned"));
	jw_kv_int(w, "numberPublishedListings", x->published_listings);
	w_wrapped(w, "contractProvision", "provision", x->contract_provision);
	w_wrapped(w, "preferredCommunicationChannel", "channel", x->communication_channel);
	jw_kv_int(w, "totalRentableUnits", x->rentable_units);
	jw_kv_int(w, "totalProperties", x->properties);
}

/* AccountContentWasUpdated (S-33): the whole legacy account state after the change. */
static int ev_content(struct op *o, const struct account *old, const struct account *x, struct str text_before,
		      struct str text_after)
{
	struct account_view v = { .a = *x };
	struct buf b;
	struct jw w;

	if (load_view(o->c, o->a, &v, o->err) < 0)
		return -1;
	w_begin(o, &b, &w);
	jw_key(&w, "accommodationProvider");
	jw_object_begin(&w);
	jw_kv_str(&w, "id", x->id);
	jw_kv_str(&w, "uuid", x->uuid);
	jw_kv_str(&w, "accountName", x->name);
	w_wrapped(&w, "accountEmail", "email", x->email);
	w_accommodation_terms(&w, x);
	jw_key(&w, "accounting");
	jw_object_begin(&w);
	jw_kv_str(&w, "creationUser", x->creation_user);
	jw_kv_str(&w, "updateUser", o->actor->email);
	jw_kv_str(&w, "creationDate", stored_time(o->a, x->created_at, "+0000"));
	jw_kv_cstr(&w, "updateDate", events_time(o->a, o->now, EVENT_TIME_0000));
	w_nstr(&w, "firstListingPublicationDate", stored_time(o->a, x->first_listing_published_at, "+0000"));
	jw_object_end(&w);
	w_text(&w, "notes", x->notes);
	jw_kv_bool(&w, "isDeleted", false);
	jw_key(&w, "translatableContentCollection");
	jw_object_begin(&w);
	jw_kv_str(&w, "canonicalLocale", x->locale);
	jw_key(&w, "translatableContents");
	jw_array_begin(&w);
	for (size_t i = 0; i < v.npolicies; i++) {
		jw_object_begin(&w);
		jw_kv_str(&w, "locale", v.policies[i].locale);
		jw_kv_str(&w, "translationType", v.policies[i].translation_type);
		jw_kv_null(&w, "translationProvider");
		jw_kv_str(&w, "policies", v.policies[i].policies);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	w_accommodation_settings(&w, x);
	jw_key(&w, "contactCollection");
	jw_object_begin(&w);
	jw_key(&w, "contacts");
	jw_array_begin(&w);
	for (size_t i = 0; i < v.ncontacts; i++)
		w_event_contact(o, &w, &v.contacts[i], true);
	jw_array_end(&w);
	jw_key(&w, "contactTypesAssignation");
	jw_object_begin(&w);
	jw_key(&w, "assignations");
	w_roles(&w, x);
	jw_object_end(&w);
	jw_object_end(&w);
	jw_object_end(&w);
	w_content(&w, "contentBefore", x->locale, text_before);
	w_content(&w, "contentAfter", x->locale, text_after);
	return emit_account(o, "AccountContentWasUpdated", x, w_end(&b, &w),
			    members_json(o, m_content, NM(m_content), old, x, old, false),
			    members_json(o, m_content, NM(m_content), old, x, x, false));
}

/* DefaultPoliciesWereChanged: the canonical locale's new text (S-09: manual, no provider). */
static int ev_policies(struct op *o, const struct account *x, struct str before, struct str after)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	w_time(o, &w, EVENT_TIME_0000);
	jw_key(&w, "content");
	jw_object_begin(&w);
	jw_kv_str(&w, "locale", x->locale);
	jw_kv_cstr(&w, "translationType", "manual");
	jw_kv_null(&w, "translationProvider");
	w_text(&w, "policies", after);
	jw_object_end(&w);
	return emit_account(o, "DefaultPoliciesWereChanged", x, w_end(&b, &w), one_member(o, "policies", before),
			    one_member(o, "policies", after));
}

/* Every event the difference between old and x calls for; texts: the canonical policies before/after. */
static int account_events(struct op *o, const struct account *old, const struct account *x, struct str text_before,
			  struct str text_after)
{
	bool policies = (text_before.ptr == NULL) != (text_after.ptr == NULL) || !str_eq(text_before, text_after);

	if (aspect(o, "AccountNameWasChanged", m_name, NM(m_name), old, x, p_name_changed) < 0 ||
	    aspect(o, "AccountTypeWasChanged", m_type, NM(m_type), old, x, p_type_changed) < 0 ||
	    aspect(o, "AccountPlanWasChanged", m_plan, NM(m_plan), old, x, p_plan_changed) < 0 ||
	    aspect(o, "CommissionWasUpdated", m_commission, NM(m_commission), old, x, p_commission_updated) < 0 ||
	    aspect(o, "AccountAdminFeeWasUpdated", m_fee, NM(m_fee), old, x, p_admin_fee_updated) < 0 ||
	    aspect(o, "ContractTypeWasChanged", m_contract, NM(m_contract), old, x, p_contract_type_changed) < 0 ||
	    aspect(o, "DownPaymentPreferenceWasUpdated", m_down, NM(m_down), old, x, p_down_payment_updated) < 0 ||
	    aspect(o, "CancellationPolicyWasUpdated", m_cancel, NM(m_cancel), old, x, p_cancellation_updated) < 0 ||
	    aspect(o, "AccountClassificationWasUpdated", m_class, NM(m_class), old, x, p_classification_updated) < 0 ||
	    aspect(o, "MarketPenetrationInfoWasChanged", m_totals, NM(m_totals), old, x,
		   p_market_penetration_changed) < 0 ||
	    aspect(o, "AccountTechnologyWasChanged", m_tech, NM(m_tech), old, x, p_technology_changed) < 0 ||
	    aspect(o, "LeadSourceWasChanged", m_lead, NM(m_lead), old, x, p_lead_source_changed) < 0)
		return -1;
	if (old->manager_id != x->manager_id) {
		if (old->manager_id && ev_manager(o, x, false, old->manager_email) < 0)
			return -1;
		if (x->manager_id && ev_manager(o, x, true, x->manager_email) < 0)
			return -1;
	}
	if (policies && ev_policies(o, x, text_before, text_after) < 0)
		return -1;
	if (policies || changed(m_content, NM(m_content), old, x))
		return ev_content(o, old, x, text_before, text_after);
	return 0;
}

/* ---- contact events ---- */

static struct str contact_json(struct op *o, const struct contact *k)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "firstName", k->first_name);
	jw_kv_str(&w, "lastName", k->last_name);
	jw_kv_str(&w, "email", k->email);
	jw_kv_str(&w, "phone", k->phone);
	w_nstr(&w, "address", k->address);
	w_nstr(&w, "zipCode", k->zip_code);
	w_nstr(&w, "position", k->position);
	w_nstr(&w, "notes", k->notes);
	return w_end(&b, &w);
}

static int ev_contact_created(struct op *o, const struct account *x, const struct contact *k)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	jw_kv_int(&w, "contactId", k->id);
	jw_kv_str(&w, "firstName", k->first_name);
	jw_kv_str(&w, "lastName", k->last_name);
	jw_kv_str(&w, "email", k->email);
	jw_kv_str(&w, "phone", k->phone);
	w_text(&w, "position", k->position);
	w_text(&w, "address", k->address);
	w_text(&w, "zipCode", k->zip_code);
	w_user(o, &w, false);
	w_time(o, &w, EVENT_TIME_00_00);
	return emit(o, "ContactWasCreated", x->company_id, "contact", contact_key(o, k->id), w_end(&b, &w), STR_NULL,
		    contact_json(o, k));
}

static int ev_contact_updated(struct op *o, const struct account *x, const struct contact *old,
			      const struct contact *k)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	jw_key(&w, "contact");
	jw_object_begin(&w);
	jw_kv_int(&w, "contactId", k->id);
	jw_kv_str(&w, "firstName", k->first_name);
	jw_kv_str(&w, "lastName", k->last_name);
	jw_kv_str(&w, "email", k->email);
	jw_kv_str(&w, "phone", k->phone);
	w_text(&w, "address", k->address);
	w_text(&w, "zipCode", k->zip_code);
	w_text(&w, "position", k->position);
	w_text(&w, "notes", k->notes);
	jw_kv_bool(&w, "deleted", false); /* S-35 */
	jw_object_end(&w);
	w_user(o, &w, false);
	w_time(o, &w, EVENT_TIME_00_00);
	return emit(o, "ContactWasUpdated", x->company_id, "contact", contact_key(o, k->id), w_end(&b, &w),
		    contact_json(o, old), contact_json(o, k));
}

/* ContactWasDeleted and ContactWasObfuscated share their shape. */
static int ev_contact_gone(struct op *o, const struct account *x, int64_t id, const char *type, struct str before,
			   struct str after)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	jw_kv_int(&w, "contactId", id);
	w_user(o, &w, false);
	w_time(o, &w, EVENT_TIME_00_00);
	return emit(o, type, x->company_id, "contact", contact_key(o, id), w_end(&b, &w), before, after);
}

static int ev_roles(struct op *o, const struct account *old, const struct account *x)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	w_time(o, &w, EVENT_TIME_0000);
	jw_key(&w, "assignation");
	w_roles(&w, x);
	return emit_account(o, "ContactTypesWereReassigned", x, w_end(&b, &w),
			    members_json(o, m_roles, NM(m_roles), old, x, old, false),
			    members_json(o, m_roles, NM(m_roles), old, x, x, false));
}

/* AccountWasCreated (S-31): valid JSON, contact ids as strings, the example's extra members. */
static int ev_created(struct op *o, const struct account *x, const struct contact *k, bool notifiable)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	jw_kv_str(&w, "accountName", x->name);
	jw_kv_str(&w, "accountEmail", x->email);
	jw_kv_str(&w, "locale", x->locale);
	jw_kv_str(&w, "contractType", x->contract_type);
	jw_key(&w, "commission");
	jw_object_begin(&w);
	jw_kv_int(&w, "value", x->commission_value);
	jw_kv_str(&w, "type", x->commission_type);
	jw_object_end(&w);
	jw_kv_str(&w, "type", x->type);
	jw_key(&w, "fees");
	jw_object_begin(&w);
	jw_key(&w, "booking");
	jw_object_begin(&w);
	w_event_fee(&w, "type", "value", x);
	jw_object_end(&w);
	jw_object_end(&w);
	jw_key(&w, "downPaymentPreference");
	jw_object_begin(&w);
	jw_kv_str(&w, "type", x->down_payment_type);
	jw_kv_null(&w, "numberOfWeeks");
	jw_object_end(&w);
	jw_kv_int(&w, "totalRentableUnits", x->rentable_units);
	jw_kv_int(&w, "totalProperties", x->properties);
	jw_key(&w, "contactCollection");
	jw_object_begin(&w);
	jw_key(&w, "contacts");
	jw_array_begin(&w);
	w_event_contact(o, &w, k, false);
	jw_array_end(&w);
	jw_key(&w, "contactTypesAssignation");
	w_roles(&w, x);
	jw_object_end(&w);
	jw_kv_str(&w, "activationStage", x->activation_stage);
	w_time(o, &w, EVENT_TIME_0000);
	w_user(o, &w, true);
	jw_kv_cstr(&w, "source", "outbound"); /* created by the operator's staff */
	jw_kv_bool(&w, "isNotifiable", notifiable);
	jw_kv_str(&w, "accountPlan", x->plan);
	return emit_account(o, "AccountWasCreated", x, w_end(&b, &w), STR_NULL,
			    members_json(o, m_name, NM(m_name), x, x, x, true));
}

static int ev_obfuscated(struct op *o, const struct account *x)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	w_user(o, &w, true); /* S-32 */
	w_time(o, &w, EVENT_TIME_0000);
	return emit_account(o, "AccountWasObfuscated", x, w_end(&b, &w), STR_NULL, STR_NULL);
}

/* AccountAdditionalDataWasCreated / …Updated: accountId (field list, S-17), the stored data. */
static int ev_additional_data(struct op *o, const struct account *old, const struct account *x, bool created)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	jw_key(&w, "data");
	jw_raw(&w, x->additional_data);
	w_user(o, &w, true);
	w_time(o, &w, EVENT_TIME_0000);
	return emit_account(o, created ? "AccountAdditionalDataWasCreated" : "AccountAdditionalDataWasUpdated", x,
			    w_end(&b, &w), old->additional_data.ptr ? old->additional_data : STR_NULL,
			    x->additional_data);
}

static void w_condition(struct jw *w, const struct booking_condition *k)
{
	jw_key_str(w, k->country_id);
	jw_object_begin(w);
	w_nint(w, "gapMinDays", k->gap_min_days);
	w_nint(w, "gapMaxDays", k->gap_max_days);
	w_nstr(w, "contractType", k->contract_type);
	jw_object_end(w);
}

/* rentd extension (S-48): the countries whose conditions changed, before and after. */
static int ev_conditions(struct op *o, const struct account *x, const struct booking_condition *old,
			 const struct booking_condition *now, size_t n)
{
	struct buf b, bb, ba;
	struct jw w, wb, wa;

	w_begin(o, &b, &w);
	w_begin(o, &bb, &wb);
	w_begin(o, &ba, &wa);
	jw_kv_str(&w, "accountId", x->id);
	jw_key(&w, "conditions");
	jw_object_begin(&w);
	for (size_t i = 0; i < n; i++) {
		w_condition(&w, &now[i]);
		w_condition(&wa, &now[i]);
		if (old[i].country_id.ptr)
			w_condition(&wb, &old[i]);
	}
	jw_object_end(&w);
	w_user(o, &w, true);
	w_time(o, &w, EVENT_TIME_0000);
	return emit_account(o, "BookingConditionsByCountryWereUpdated", x, w_end(&b, &w), w_end(&bb, &wb),
			    w_end(&ba, &wa));
}

/* ---- account writes ---- */

static bool nstr_eq(struct str a, struct str b)
{
	return (a.ptr == NULL) == (b.ptr == NULL) && str_eq(a, b);
}

static struct str policy_text(const struct account_policy *p, size_t n, struct str locale)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(p[i].locale, locale))
			return p[i].policies;
	return STR_NULL;
}

/* The canonical locale's policy text (S-09): the account's locale. */
static int canonical_text(struct op *o, const struct account *x, struct str *out)
{
	struct account_policy *p;
	size_t n;

	if (store_account_policies(o->c->store, o->a, x->company_id, &p, &n, o->err) < 0)
		return -1;
	*out = policy_text(p, n, x->locale);
	return 0;
}

/* Writes x and emits what differs from old; the policy texts did not change. */
static int save(struct op *o, const struct account *old, const struct account *x)
{
	struct str text;

	if (store_account_update(o->c->store, x, o->err) < 0 || canonical_text(o, x, &text) < 0)
		return -1;
	if (changed(m_roles, NM(m_roles), old, x) && ev_roles(o, old, x) < 0)
		return -1;
	return account_events(o, old, x, text, text);
}

static void apply(struct account *x, const struct account_patch *p)
{
	const struct account *v = &p->v;

#define TAKE(f, field)                          \
	do {                                    \
		if (p->set & AF_BIT(f))         \
			x->field = v->field;    \
	} while (0)
	TAKE(AF_NAME, name);
	TAKE(AF_EMAIL, email);
	TAKE(AF_LOCALE, locale);
	TAKE(AF_WEBSITE, website);
	TAKE(AF_NOTES, notes);
	TAKE(AF_TYPE, type);
	TAKE(AF_PLAN, plan);
	TAKE(AF_COMMISSION, commission_type);
	TAKE(AF_COMMISSION, commission_value);
	TAKE(AF_ADMIN_FEE, admin_fee_type);
	TAKE(AF_ADMIN_FEE, admin_fee_value);
	TAKE(AF_CONTRACT_TYPE, contract_type);
	TAKE(AF_DOWN_PAYMENT, down_payment_type);
	TAKE(AF_DOWN_PAYMENT, down_payment_value);
	TAKE(AF_CANCELLATION, cancellation_policy);
	TAKE(AF_MIN_DAYS, booking_min_days);
	TAKE(AF_MAX_DAYS, booking_max_days);
	TAKE(AF_MAX_GAP, booking_max_gap_days);
	TAKE(AF_CLASSIFICATION, classification);
	TAKE(AF_LEAD_SOURCE, lead_source);
	TAKE(AF_ACTIVATION, activation_stage);
	TAKE(AF_TECHNOLOGY, technology);
	TAKE(AF_TRANSFER, transfer_timing);
	TAKE(AF_OTHER_PLATFORMS, other_platforms_usage);
	TAKE(AF_CONSENT, consent_for_classifieds);
	TAKE(AF_PROVISION, contract_provision);
	TAKE(AF_CHANNEL, communication_channel);
	TAKE(AF_PUBLISHED, published_listings);
	TAKE(AF_TOTALS, rentable_units);
	TAKE(AF_TOTALS, properties);
#undef TAKE
	if (p->set & AF_BIT(AF_HOURS))
		memcpy(x->hours, v->hours, sizeof(x->hours));
}

/* An agent by id or e-mail (S-14); "unassigned" or none clears. Unknown → a field error. */
static int resolve_manager(struct op *o, const struct account_patch *p, struct account *x)
{
	struct user u;

	if (!p->manager.ptr || str_eq_cstr(p->manager, "unassigned")) {
		x->manager_id = 0;
		x->manager_uuid = x->manager_email = STR_NULL;
		return 0;
	}
	if (agents_get(o->c, o->a, p->manager, &u, o->err) < 0) {
		if (o->err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(o->err);
		return error_field(o->err, p->manager_field ? p->manager_field : "accountManagerId", RULE_ENUM,
				   "no agent has the id or e-mail %.*s",
				   (int)(p->manager.len > 80 ? 80 : p->manager.len), p->manager.ptr);
	}
	x->manager_id = u.id;
	x->manager_uuid = u.uuid;
	x->manager_email = u.email;
	return 0;
}

/* No two accounts share an e-mail (S-44 on create; kept on update, where it is a bad member). */
static int unique_email(struct op *o, const struct account *x)
{
	bool taken;

	if (!x->email.len)
		return 0;
	if (store_account_email_taken(o->c->store, x->email, x->company_id, false, &taken, o->err) < 0)
		return -1;
	if (taken)
		return error_field(o->err, "accountEmail", RULE_UNIQUE, "another account has this e-mail");
	return 0;
}

static bool person_eq(const struct contact *a, const struct contact *b)
{
	return str_eq(a->first_name, b->first_name) && str_eq(a->last_name, b->last_name) &&
	       str_eq(a->email, b->email) && str_eq(a->phone, b->phone) && nstr_eq(a->address, b->address) &&
	       nstr_eq(a->zip_code, b->zip_code) && nstr_eq(a->position, b->position) && nstr_eq(a->notes, b->notes);
}

/* #5's contact person is the booking contact; without one it is created and takes the empty roles. */
static int update_person(struct op *o, struct account *x, const struct contact *in)
{
	struct contact old, k;

	if (x->roles[ROLE_BOOKING_MANAGER]) {
		if (store_contact_get(o->c->store, o->a, x->company_id, x->roles[ROLE_BOOKING_MANAGER], &old,
				      o->err) < 0)
			return -1;
		k = old;
		k.first_name = in->first_name;
		k.last_name = in->last_name;
		k.email = in->email;
		k.phone = in->phone;
		k.address = in->address;
		k.zip_code = in->zip_code;
		if (person_eq(&old, &k))
			return 0;
		if (store_contact_update(o->c->store, &k, o->actor->email, o->err) < 0)
			return -1;
		return ev_contact_updated(o, x, &old, &k);
	}
	k = *in;
	k.company_id = x->company_id;
	if (store_contact_insert(o->c->store, &k, o->actor->email, &k.id, o->err) < 0 ||
	    store_contact_get(o->c->store, o->a, x->company_id, k.id, &k, o->err) < 0)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (!x->roles[i])
			x->roles[i] = k.id;
	return ev_contact_created(o, x, &k);
}

/* The booking days as they will be stored: a minimum sent alone is held against the stored maximum. */
static int check_days(struct op *o, const struct account_patch *p, const struct account *x)
{
	const char *field;

	if (!(p->set & (AF_BIT(AF_MIN_DAYS) | AF_BIT(AF_MAX_DAYS))) || x->booking_min_days == ACCOUNT_UNSET ||
	    x->booking_max_days == ACCOUNT_UNSET || x->booking_min_days <= x->booking_max_days)
		return 0;
	if (p->set & AF_BIT(AF_MIN_DAYS))
		field = p->min_days_field ? p->min_days_field : "minDays";
	else
		field = p->max_days_field ? p->max_days_field : "maxDays";
	return error_field(o->err, field, RULE_RANGE, "the minimum (%lld days) must not exceed the maximum (%lld days)",
			   (long long)x->booking_min_days, (long long)x->booking_max_days);
}

static int update_rows(struct op *o, const struct caller *who, int64_t company_id, const struct account_patch *p)
{
	struct account old, x;
	struct str before, after;

	if (store_account_get(o->c->store, o->a, company_id, &old, o->err) < 0)
		return -1;
	x = old;
	apply(&x, p);
	if (check_days(o, p, &x) < 0)
		return -1;
	if ((p->set & AF_BIT(AF_EMAIL)) && unique_email(o, &x) < 0)
		return -1;
	if ((p->set & AF_BIT(AF_MANAGER)) && resolve_manager(o, p, &x) < 0)
		return -1;
	/* #51 is agent-only; #5 and #47 must not be a way around it */
	if (who && who->kind != CALLER_AGENT && x.manager_id != old.manager_id)
		return error_set(o->err, ERROR_FORBIDDEN, NULL, "only the operator's agents assign account managers");
	if ((p->set & AF_BIT(AF_PERSON)) && update_person(o, &x, &p->person) < 0)
		return -1;
	if (canonical_text(o, &x, &before) < 0)
		return -1;
	after = (p->set & AF_BIT(AF_POLICIES)) ? p->policies : before;
	if (!nstr_eq(before, after) && store_account_policy_set(o->c->store, company_id, x.locale, after, o->err) < 0)
		return -1;
	if (store_account_update(o->c->store, &x, o->err) < 0)
		return -1;
	if (changed(m_roles, NM(m_roles), &old, &x) && ev_roles(o, &old, &x) < 0)
		return -1;
	return account_events(o, &old, &x, before, after);
}

int accounts_update(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		    const struct account_patch *p, const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, update_rows(&o, who, company_id, p));
	return 0;
}

static int icalendar_rows(struct op *o, int64_t company_id)
{
	struct account old, x;

	if (store_account_get(o->c->store, o->a, company_id, &old, o->err) < 0)
		return -1;
	if (old.is_externally_integrated)
		return error_set(o->err, ERROR_CONFLICT, "AlreadyIntegrated",
				 "Accommodation provider with ID %.*s is already integrated with icalendar.",
				 STR_FMT(old.id));
	x = old;
	x.is_externally_integrated = true;
	return save(o, &old, &x);
}

int accounts_icalendar(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		       const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, icalendar_rows(&o, company_id));
	return 0;
}

static bool condition_eq(const struct booking_condition *a, const struct booking_condition *b)
{
	return a->gap_min_days == b->gap_min_days && a->gap_max_days == b->gap_max_days &&
	       nstr_eq(a->contract_type, b->contract_type);
}

static int conditions_rows(struct op *o, int64_t company_id, const struct booking_condition *list, size_t n)
{
	struct account x;
	struct booking_condition *stored, *old = arena_calloc(o->a, n ? n : 1, sizeof(*old));
	struct booking_condition *now = arena_calloc(o->a, n ? n : 1, sizeof(*now));
	size_t nstored, nchanged = 0;

	if (store_account_get(o->c->store, o->a, company_id, &x, o->err) < 0 ||
	    store_account_conditions(o->c->store, o->a, company_id, &stored, &nstored, o->err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct booking_condition *prev = NULL;
		for (size_t k = 0; k < nstored; k++)
			if (str_eq(stored[k].country_id, list[i].country_id))
				prev = &stored[k];
		if (prev && condition_eq(prev, &list[i]))
			continue;
		if (store_account_condition_set(o->c->store, company_id, &list[i], o->err) < 0)
			return -1;
		if (prev)
			old[nchanged] = *prev;
		now[nchanged++] = list[i];
	}
	return nchanged ? ev_conditions(o, &x, old, now, nchanged) : 0;
}

int accounts_booking_conditions(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
				const struct booking_condition *list, size_t n, const struct event_actor *actor,
				struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct country co;
		if (reference_country(c, a, list[i].country_id, &co, err) == 0)
			continue;
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		error_field(err, arena_strdup_str(err->arena, list[i].country_id), RULE_ENUM, "not a known country id");
	}
	if (error_failed(err))
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, conditions_rows(&o, company_id, list, n));
	return 0;
}

static int data_rows(struct op *o, int64_t company_id, struct str data)
{
	struct account old, x;

	if (store_account_get(o->c->store, o->a, company_id, &old, o->err) < 0)
		return -1;
	if (old.additional_data.ptr && str_eq(old.additional_data, data))
		return 0;
	x = old;
	x.additional_data = data;
	if (store_account_update(o->c->store, &x, o->err) < 0)
		return -1;
	return ev_additional_data(o, &old, &x, old.additional_data.ptr == NULL);
}

int accounts_additional_data(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			     struct str data, const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, data_rows(&o, company_id, data));
	return 0;
}

/* ---- create ---- */

static int create_rows(struct op *o, const struct account_new *in, const struct city *city, struct str *id)
{
	struct company_created cc;
	struct account x;
	struct contact k;
	struct user u;
	bool taken;

	if (store_account_email_taken(o->c->store, in->email, 0, true, &taken, o->err) < 0)
		return -1;
	if (taken)
		return error_set(o->err, ERROR_CONFLICT, NULL, "the e-mail %.*s already belongs to an account or user",
				 STR_FMT(in->email));
	/* the admin's empty password hash matches no password: it is set through the invitation */
	if (org_company_create_rows(o->c, o->a, in->name, in->email, STR_LIT(""), &cc, o->err) < 0 ||
	    store_user_get(o->c->store, o->a, cc.employee_id, &u, o->err) < 0)
		return -1;
	u.first_name = in->first_name;
	u.last_name = in->last_name;
	u.phone = in->phone;
	if (store_user_update(o->c->store, &u, o->err) < 0 ||
	    store_account_get(o->c->store, o->a, cc.company_id, &x, o->err) < 0)
		return -1;
	x.email = in->email;
	x.type = in->type;
	x.city_id = city->id;
	x.locale = in->locale;
	x.commission_type = city->default_commission_type; /* S-44 */
	x.commission_value = city->default_commission_value;
	x.creation_user = o->actor->email.ptr ? o->actor->email : STR_LIT("");
	memset(&k, 0, sizeof(k));
	k.company_id = x.company_id;
	k.first_name = in->first_name;
	k.last_name = in->last_name;
	k.email = in->email;
	k.phone = in->phone;
	if (store_contact_insert(o->c->store, &k, o->actor->email, &k.id, o->err) < 0 ||
	    store_contact_get(o->c->store, o->a, x.company_id, k.id, &k, o->err) < 0)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		x.roles[i] = k.id;
	if (store_account_update(o->c->store, &x, o->err) < 0 || ev_created(o, &x, &k, in->notifiable) < 0 ||
	    ev_contact_created(o, &x, &k) < 0)
		return -1;
	if (in->notifiable && notify_invite(o->c, o->a, cc.employee_id, in->email, in->locale, o->err) < 0)
		return -1;
	*id = x.id;
	return 0;
}

int accounts_create(struct core *c, struct arena *a, const struct caller *who, const struct account_new *in,
		    const struct event_actor *actor, struct str *id, struct error *err)
{
	struct city city;
	struct op o;

	if (agent_only(who, err) < 0)
		return -1;
	if (reference_city(c, a, in->city_id, &city, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return error_field(err, "cityId", RULE_ENUM, "not a known city id");
	}
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, create_rows(&o, in, &city, id));
	return 0;
}

/* ---- contacts ---- */

static int contact_create_rows(struct op *o, int64_t company_id, const struct contact *in, int64_t *id)
{
	struct account x;
	struct contact k = *in;

	k.company_id = company_id;
	if (store_account_get(o->c->store, o->a, company_id, &x, o->err) < 0 ||
	    store_contact_insert(o->c->store, &k, o->actor->email, id, o->err) < 0 ||
	    store_contact_get(o->c->store, o->a, company_id, *id, &k, o->err) < 0)
		return -1;
	return ev_contact_created(o, &x, &k);
}

int accounts_contact_create(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    const struct contact *in, const struct event_actor *actor, int64_t *id, struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_create_rows(&o, company_id, in, id));
	return 0;
}

static int contact_update_rows(struct op *o, int64_t company_id, int64_t id, const struct contact *in)
{
	struct account x;
	struct contact old, k;

	if (store_account_get(o->c->store, o->a, company_id, &x, o->err) < 0 ||
	    store_contact_get(o->c->store, o->a, company_id, id, &old, o->err) < 0)
		return -1;
	k = old;
	k.first_name = in->first_name;
	k.last_name = in->last_name;
	k.email = in->email;
	k.phone = in->phone;
	k.address = in->address;
	k.zip_code = in->zip_code;
	k.position = in->position;
	k.notes = in->notes;
	if (person_eq(&old, &k))
		return 0;
	if (store_contact_update(o->c->store, &k, o->actor->email, o->err) < 0)
		return -1;
	return ev_contact_updated(o, &x, &old, &k);
}

int accounts_contact_update(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    int64_t id, const struct contact *in, const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_update_rows(&o, company_id, id, in));
	return 0;
}

static int contact_delete_rows(struct op *o, int64_t company_id, int64_t id)
{
	struct account x;
	struct contact k;

	if (store_account_get(o->c->store, o->a, company_id, &x, o->err) < 0 ||
	    store_contact_get(o->c->store, o->a, company_id, id, &k, o->err) < 0)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (x.roles[i] == id)
			return error_set(o->err, ERROR_CONFLICT, NULL,
					 "contact %lld is the account's %s contact; reassign the contact types first",
					 (long long)id, contact_role_names[i]);
	if (store_contact_delete(o->c->store, company_id, id, o->actor->email, o->err) < 0)
		return -1;
	return ev_contact_gone(o, &x, id, "ContactWasDeleted", STR_LIT("{\"deleted\":false}"),
			       STR_LIT("{\"deleted\":true}"));
}

int accounts_contact_delete(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    int64_t id, const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_delete_rows(&o, company_id, id));
	return 0;
}

static int contact_types_rows(struct op *o, int64_t company_id, const int64_t roles[ROLE_COUNT])
{
	struct account old, x;

	if (store_account_get(o->c->store, o->a, company_id, &old, o->err) < 0)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++) {
		struct contact k;
		if (store_contact_get(o->c->store, o->a, company_id, roles[i], &k, o->err) == 0)
			continue;
		if (o->err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(o->err);
		error_field(o->err, contact_role_names[i], RULE_ENUM, "no contact %lld in this account",
			    (long long)roles[i]);
	}
	if (error_failed(o->err))
		return -1;
	x = old;
	memcpy(x.roles, roles, sizeof(x.roles));
	if (!changed(m_roles, NM(m_roles), &old, &x))
		return 0;
	return save(o, &old, &x);
}

int accounts_contact_types(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			   const int64_t roles[ROLE_COUNT], const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_types_rows(&o, company_id, roles));
	return 0;
}

/* ---- GDPR erasure ---- */

static int obfuscate_rows(struct op *o, int64_t company_id)
{
	struct account old, x;
	int64_t *ids;
	size_t n;

	if (store_account_get(o->c->store, o->a, company_id, &old, o->err) < 0 ||
	    store_contact_ids(o->c->store, o->a, company_id, &ids, &n, o->err) < 0)
		return -1;
	x = old;
	x.email = STR_LIT("");
	x.website = x.notes = x.additional_data = STR_NULL;
	if (store_account_update(o->c->store, &x, o->err) < 0 ||
	    store_contact_erase(o->c->store, company_id, 0, o->err) < 0 ||
	    (old.owner_user_id && store_account_erase_user(o->c->store, old.owner_user_id, o->err) < 0) ||
	    events_redact(o->c, company_id, NULL, STR_NULL, o->err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ev_contact_gone(o, &x, ids[i], "ContactWasObfuscated", STR_NULL, STR_NULL) < 0)
			return -1;
	return ev_obfuscated(o, &x);
}

int accounts_obfuscate(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		       const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (agent_only(who, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, obfuscate_rows(&o, company_id));
	return 0;
}

/*
 * events_redact() nulls the contact's own events and every copy of it that other events
 * embed (AccountWasCreated and AccountContentWasUpdated list the contacts by id).
 */
static int contact_obfuscate_rows(struct op *o, int64_t company_id, int64_t id)
{
	struct account x;
	int64_t *ids;
	size_t n, i;

	if (store_account_get(o->c->store, o->a, company_id, &x, o->err) < 0 ||
	    store_contact_ids(o->c->store, o->a, company_id, &ids, &n, o->err) < 0)
		return -1;
	for (i = 0; i < n && ids[i] != id; i++)
		;
	if (i == n)
		return error_set(o->err, ERROR_NOT_FOUND, NULL, "no such contact");
	if (store_contact_erase(o->c->store, company_id, id, o->err) < 0 ||
	    events_redact(o->c, company_id, "contact", contact_key(o, id), o->err) < 0)
		return -1;
	return ev_contact_gone(o, &x, id, "ContactWasObfuscated", STR_NULL, STR_NULL);
}

int accounts_contact_obfuscate(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			       int64_t contact_id, const struct event_actor *actor, struct error *err)
{
	struct op o;

	if (agent_only(who, err) < 0)
		return -1;
	op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_obfuscate_rows(&o, company_id, contact_id));
	return 0;
}
