/*
 * accounts.c — accounts and contacts (core/accounts/accounts.h): access, the reads and the writes.
 * The events' payloads are built in accounts_events.c (spotahome.md §5).
 *
 * Every write runs in one transaction that loads the account, changes it, compares old
 * and new member by member and appends one event per changed aspect: the payload is the
 * event's published JSON, before/after the changed members by their Account names for
 * the changelog (S-49).
 */
#include "core/accounts/accounts.h"

#include <stddef.h>
#include <stdio.h>

#include "core/accounts/accounts_events.h"
#include "core/accounts/agents.h"
#include "core/accounts/notify.h"
#include "core/identity/org.h"
#include "core/accounts/reference.h"
#include "core/identity/rights.h"
#include "core/transaction.h"

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

int accounts_resolve(struct core *c, struct arena *a, const struct caller *who, struct str account_id,
		     bool forbidden_documented, int64_t *company_id, struct error *err)
{
	struct company co;

	if (store_company_get_by_uuid(c->store, a, account_id, &co, err) < 0)
		return -1;
	if (who && who->kind == CALLER_EMPLOYEE && who->user.company_id != co.id) {
		if (forbidden_documented)
			return error_set(err, ERROR_FORBIDDEN, NULL, "another account");
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such account");
	}
	*company_id = co.id;
	return 0;
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
static int canonical_text(struct account_op *o, const struct account *x, struct str *out)
{
	struct account_policy *p;
	size_t n;

	if (store_account_policies(o->c->store, o->a, x->company_id, &p, &n, o->err) < 0)
		return -1;
	*out = policy_text(p, n, x->locale);
	return 0;
}

/* Writes x and emits what differs from old; the policy texts did not change. */
static int save(struct account_op *o, const struct account *old, const struct account *x)
{
	struct str text;

	if (store_account_update(o->c->store, x, o->err) < 0 || canonical_text(o, x, &text) < 0)
		return -1;
	if (account_roles_changed(old, x) && account_ev_roles(o, old, x) < 0)
		return -1;
	return account_ev_changes(o, old, x, text, text);
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
static int resolve_manager(struct account_op *o, const struct account_patch *p, struct account *x)
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
static int unique_email(struct account_op *o, const struct account *x)
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
static int update_person(struct account_op *o, struct account *x, const struct contact *in)
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
		return account_ev_contact_updated(o, x, &old, &k);
	}
	k = *in;
	k.company_id = x->company_id;
	if (store_contact_insert(o->c->store, &k, o->actor->email, &k.id, o->err) < 0 ||
	    store_contact_get(o->c->store, o->a, x->company_id, k.id, &k, o->err) < 0)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (!x->roles[i])
			x->roles[i] = k.id;
	return account_ev_contact_created(o, x, &k);
}

/* The booking days as they will be stored: a minimum sent alone is held against the stored maximum. */
static int check_days(struct account_op *o, const struct account_patch *p, const struct account *x)
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

static int update_rows(struct account_op *o, const struct caller *who, int64_t company_id,
		       const struct account_patch *p)
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
	if (account_roles_changed(&old, &x) && account_ev_roles(o, &old, &x) < 0)
		return -1;
	return account_ev_changes(o, &old, &x, before, after);
}

int accounts_update(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		    const struct account_patch *p, const struct event_actor *actor, struct error *err)
{
	struct account_op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, update_rows(&o, who, company_id, p));
	return 0;
}

static int icalendar_rows(struct account_op *o, int64_t company_id)
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
	struct account_op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, icalendar_rows(&o, company_id));
	return 0;
}

static bool condition_eq(const struct booking_condition *a, const struct booking_condition *b)
{
	return a->gap_min_days == b->gap_min_days && a->gap_max_days == b->gap_max_days &&
	       nstr_eq(a->contract_type, b->contract_type);
}

static int conditions_rows(struct account_op *o, int64_t company_id, const struct booking_condition *list, size_t n)
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
	return nchanged ? account_ev_conditions(o, &x, old, now, nchanged) : 0;
}

int accounts_booking_conditions(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
				const struct booking_condition *list, size_t n, const struct event_actor *actor,
				struct error *err)
{
	struct account_op o;

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
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, conditions_rows(&o, company_id, list, n));
	return 0;
}

static int data_rows(struct account_op *o, int64_t company_id, struct str data)
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
	return account_ev_additional_data(o, &old, &x, old.additional_data.ptr == NULL);
}

int accounts_additional_data(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			     struct str data, const struct event_actor *actor, struct error *err)
{
	struct account_op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, data_rows(&o, company_id, data));
	return 0;
}

/* ---- create ---- */

static int create_rows(struct account_op *o, const struct account_new *in, const struct city *city, struct str *id)
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
	if (store_account_update(o->c->store, &x, o->err) < 0 || account_ev_created(o, &x, &k, in->notifiable) < 0 ||
	    account_ev_contact_created(o, &x, &k) < 0)
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
	struct account_op o;

	if (agent_only(who, err) < 0)
		return -1;
	if (reference_city(c, a, in->city_id, &city, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return error_field(err, "cityId", RULE_ENUM, "not a known city id");
	}
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, create_rows(&o, in, &city, id));
	return 0;
}

/* ---- contacts ---- */

static int contact_create_rows(struct account_op *o, int64_t company_id, const struct contact *in, int64_t *id)
{
	struct account x;
	struct contact k = *in;

	k.company_id = company_id;
	if (store_account_get(o->c->store, o->a, company_id, &x, o->err) < 0 ||
	    store_contact_insert(o->c->store, &k, o->actor->email, id, o->err) < 0 ||
	    store_contact_get(o->c->store, o->a, company_id, *id, &k, o->err) < 0)
		return -1;
	return account_ev_contact_created(o, &x, &k);
}

int accounts_contact_create(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    const struct contact *in, const struct event_actor *actor, int64_t *id, struct error *err)
{
	struct account_op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_create_rows(&o, company_id, in, id));
	return 0;
}

static int contact_update_rows(struct account_op *o, int64_t company_id, int64_t id, const struct contact *in)
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
	return account_ev_contact_updated(o, &x, &old, &k);
}

int accounts_contact_update(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    int64_t id, const struct contact *in, const struct event_actor *actor, struct error *err)
{
	struct account_op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_update_rows(&o, company_id, id, in));
	return 0;
}

static int contact_delete_rows(struct account_op *o, int64_t company_id, int64_t id)
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
	return account_ev_contact_gone(o, &x, id, "ContactWasDeleted", STR_LIT("{\"deleted\":false}"),
			       STR_LIT("{\"deleted\":true}"));
}

int accounts_contact_delete(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    int64_t id, const struct event_actor *actor, struct error *err)
{
	struct account_op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_delete_rows(&o, company_id, id));
	return 0;
}

static int contact_types_rows(struct account_op *o, int64_t company_id, const int64_t roles[ROLE_COUNT])
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
	if (!account_roles_changed(&old, &x))
		return 0;
	return save(o, &old, &x);
}

int accounts_contact_types(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			   const int64_t roles[ROLE_COUNT], const struct event_actor *actor, struct error *err)
{
	struct account_op o;

	if (may_write(who, company_id, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_types_rows(&o, company_id, roles));
	return 0;
}

/* ---- GDPR erasure ---- */

static int obfuscate_rows(struct account_op *o, int64_t company_id)
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
		if (account_ev_contact_gone(o, &x, ids[i], "ContactWasObfuscated", STR_NULL, STR_NULL) < 0)
			return -1;
	return account_ev_obfuscated(o, &x);
}

int accounts_obfuscate(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		       const struct event_actor *actor, struct error *err)
{
	struct account_op o;

	if (agent_only(who, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, obfuscate_rows(&o, company_id));
	return 0;
}

/*
 * events_redact() nulls the contact's own events and every copy of it that other events
 * embed (AccountWasCreated and AccountContentWasUpdated list the contacts by id).
 */
static int contact_obfuscate_rows(struct account_op *o, int64_t company_id, int64_t id)
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
	    events_redact(o->c, company_id, "contact", account_contact_key(o, id), o->err) < 0)
		return -1;
	return account_ev_contact_gone(o, &x, id, "ContactWasObfuscated", STR_NULL, STR_NULL);
}

int accounts_contact_obfuscate(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			       int64_t contact_id, const struct event_actor *actor, struct error *err)
{
	struct account_op o;

	if (agent_only(who, err) < 0)
		return -1;
	account_op_init(&o, c, a, actor, err);
	IN_TRANSACTION(c, err, contact_obfuscate_rows(&o, company_id, contact_id));
	return 0;
}
