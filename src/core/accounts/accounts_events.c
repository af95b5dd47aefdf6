/*
 * accounts_events.c — the domain events of accounts and contacts (accounts_events.h):
 * one small builder per event of spotahome.md §5 (S-28…S-36, S-48), the changelog's
 * before/after members (S-49), and the S-36 time forms they use.
 *
 * These are stored data formats, not response bodies: each payload is written once, in
 * the transaction of the change that it describes, and kept in the outbox
 * (docs/ARCHITECTURE.md, "Wire shapes and stored formats").
 */
#include "core/accounts/accounts_events.h"

#include <stddef.h>
#include <stdio.h>

#include "core/accounts/accounts.h"
#include "core/accounts/agents.h"
#include "base/json_write.h"

/* ---- the operation's event context ---- */


void account_op_init(struct account_op *o, struct core *c, struct arena *a, const struct event_actor *actor,
		    struct error *err)
{
	o->c = c;
	o->a = a;
	o->actor = actor;
	o->now = core_now_us();
	o->err = err;
}

static void w_begin(struct account_op *o, struct buf *b, struct jw *w)
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
static void w_time(struct account_op *o, struct jw *w, enum event_time_format f)
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
static void w_user(struct account_op *o, struct jw *w, bool with_email)
{
	jw_key(w, "user");
	jw_object_begin(w);
	if (with_email)
		w_nstr(w, "email", o->actor->email.len ? o->actor->email : STR_NULL);
	jw_kv_str(w, "identity", o->actor->identity);
	jw_object_end(w);
}

static int emit(struct account_op *o, const char *type, int64_t company_id, const char *aggregate,
		struct str aggregate_id, struct str payload, struct str before, struct str after)
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

static int emit_account(struct account_op *o, const char *type, const struct account *x, struct str payload,
			struct str before, struct str after)
{
	return emit(o, type, x->company_id, "account", x->id, payload, before, after);
}

struct str account_contact_key(struct account_op *o, int64_t id)
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
static struct str members_json(struct account_op *o, const struct member *m, size_t n, const struct account *old,
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
bool account_roles_changed(const struct account *old, const struct account *x)
{
	return changed(m_roles, NM(m_roles), old, x);
}

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
typedef void (*payload_fn)(struct account_op *o, struct jw *w, const struct account *x);

static int aspect(struct account_op *o, const char *type, const struct member *m, size_t n, const struct account *old,
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

static void p_name_changed(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "id", x->id);
	jw_kv_str(w, "name", x->name);
	w_time(o, w, EVENT_TIME_00_00);
}

static void p_type_changed(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "id", x->id);
	jw_kv_str(w, "type", x->type);
	w_time(o, w, EVENT_TIME_00_00);
}

static void p_plan_changed(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "accountPlan", x->plan);
	w_user(o, w, false);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_commission_updated(struct account_op *o, struct jw *w, const struct account *x)
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

static void p_admin_fee_updated(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	w_event_fee(w, "feeType", "feeValue", x);
	w_user(o, w, false);
	w_time(o, w, EVENT_TIME_00_00);
}

static void p_contract_type_changed(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "contractType", x->contract_type);
	w_time(o, w, EVENT_TIME_0000);
}

/* weekly down payments count weeks: the value is numberOfWeeks */
static void p_down_payment_updated(struct account_op *o, struct jw *w, const struct account *x)
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

static void p_cancellation_updated(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "cancellationPolicy", x->cancellation_policy);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_classification_updated(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "accountClassification", x->classification);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_market_penetration_changed(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_int(w, "totalProperties", x->properties);
	jw_kv_int(w, "totalRentableUnits", x->rentable_units);
	w_user(o, w, true);
	w_time(o, w, EVENT_TIME_0000);
}

static void p_technology_changed(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	jw_kv_str(w, "technology", x->technology);
	w_user(o, w, true);
	w_time(o, w, EVENT_TIME_0000);
}

/* rentd extension (S-48) */
static void p_lead_source_changed(struct account_op *o, struct jw *w, const struct account *x)
{
	jw_kv_str(w, "accountId", x->id);
	w_nstr(w, "leadSource", x->lead_source);
	w_user(o, w, true);
	w_time(o, w, EVENT_TIME_0000);
}

/* {"key": value} for the changelog. */
static struct str one_member(struct account_op *o, const char *key, struct str v)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	w_nstr(&w, key, v);
	return w_end(&b, &w);
}

/* AccountManagerWasAssigned (S-28) and …Unassigned (S-29: "id"); accountManager = the agent's e-mail. */
static int ev_manager(struct account_op *o, const struct account *x, bool assigned, struct str email)
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

static void w_contact_accounting(struct account_op *o, struct jw *w, const struct contact *k)
{
	jw_key(w, "accounting");
	jw_object_begin(w);
	jw_kv_str(w, "creationUser", k->created_by);
	jw_kv_str(w, "updateUser", k->updated_by);
	jw_kv_str(w, "creationDate", events_stored_time(o->a, k->created_at, EVENT_TIME_0000));
	jw_kv_str(w, "updateDate", events_stored_time(o->a, k->updated_at, EVENT_TIME_0000));
	jw_object_end(w);
}

/* A contact inside AccountContentWasUpdated (id a number, email wrapped) or AccountWasCreated (id a string, S-31). */
static void w_event_contact(struct account_op *o, struct jw *w, const struct contact *k, bool legacy)
{
	jw_object_begin(w);
	if (legacy)
		jw_kv_int(w, "id", k->id);
	else
		jw_kv_str(w, "id", account_contact_key(o, k->id));
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
static int ev_content(struct account_op *o, const struct account *old, const struct account *x, struct str text_before,
		      struct str text_after)
{
	struct account_view v = { .a = *x };
	struct buf b;
	struct jw w;

	if (store_contact_list(o->c->store, o->a, x->company_id, &v.contacts, &v.ncontacts, o->err) < 0 ||
	    store_account_policies(o->c->store, o->a, x->company_id, &v.policies, &v.npolicies, o->err) < 0)
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
	jw_kv_str(&w, "creationDate", events_stored_time(o->a, x->created_at, EVENT_TIME_0000));
	jw_kv_cstr(&w, "updateDate", events_time(o->a, o->now, EVENT_TIME_0000));
	w_nstr(&w, "firstListingPublicationDate", events_stored_time(o->a, x->first_listing_published_at, EVENT_TIME_0000));
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
static int ev_policies(struct account_op *o, const struct account *x, struct str before, struct str after)
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
int account_ev_changes(struct account_op *o, const struct account *old, const struct account *x, struct str text_before,
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

static struct str contact_json(struct account_op *o, const struct contact *k)
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

int account_ev_contact_created(struct account_op *o, const struct account *x, const struct contact *k)
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
	return emit(o, "ContactWasCreated", x->company_id, "contact", account_contact_key(o, k->id), w_end(&b, &w),
		    STR_NULL, contact_json(o, k));
}

int account_ev_contact_updated(struct account_op *o, const struct account *x, const struct contact *old,
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
	return emit(o, "ContactWasUpdated", x->company_id, "contact", account_contact_key(o, k->id), w_end(&b, &w),
		    contact_json(o, old), contact_json(o, k));
}

/* ContactWasDeleted and ContactWasObfuscated share their shape. */
int account_ev_contact_gone(struct account_op *o, const struct account *x, int64_t id, const char *type,
			    struct str before, struct str after)
{
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	jw_kv_int(&w, "contactId", id);
	w_user(o, &w, false);
	w_time(o, &w, EVENT_TIME_00_00);
	return emit(o, type, x->company_id, "contact", account_contact_key(o, id), w_end(&b, &w), before, after);
}

int account_ev_roles(struct account_op *o, const struct account *old, const struct account *x)
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
int account_ev_created(struct account_op *o, const struct account *x, const struct contact *k, bool notifiable)
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

int account_ev_obfuscated(struct account_op *o, const struct account *x)
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
int account_ev_additional_data(struct account_op *o, const struct account *old, const struct account *x, bool created)
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
int account_ev_conditions(struct account_op *o, const struct account *x, const struct booking_condition *old,
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

/*
 * UpdateAvailabilitiesNotificationWasSent (§5 #10): x's reminder was delivered at o->now;
 * x holds the account as it was before, so the changelog shows its earlier date (null
 * when it never had one) and o->now.
 */
int account_ev_availabilities_notified(struct account_op *o, const struct account *x)
{
	static const char key[] = "lastUpdateAvailabilitiesNotificationDate";
	struct buf b;
	struct jw w;

	w_begin(o, &b, &w);
	jw_kv_str(&w, "accountId", x->id);
	w_time(o, &w, EVENT_TIME_0000);
	return emit_account(o, "UpdateAvailabilitiesNotificationWasSent", x, w_end(&b, &w),
			    one_member(o, key, events_stored_time(o->a, x->availabilities_notified_at, EVENT_TIME_00_00)),
			    one_member(o, key, str_from_cstr(events_time(o->a, o->now, EVENT_TIME_00_00))));
}
