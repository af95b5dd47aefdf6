/*
 * accounts.h — landlord accounts and their contacts (the accounts dialect, spotahome.md
 * §2.1, §2.2, §2.5, §2.8, §2.9, §3.1, §3.2, §5), for any dialect.
 *
 * An account IS a company (decisions.md, cross-dialect mapping): the account id is the
 * company's uuid and every account field a column of companies (store/accounts/store_accounts.h).
 * Every write is one transaction that also appends its domain events (core/events.h), one
 * per changed aspect and only when a value really changes (S-48), so a failed write
 * leaves neither a change nor an event.
 *
 * Access: callers have already resolved the account id to a company the caller may see
 * (accounts_resolve). Writes here additionally need an agent, or
 * an employee of that company holding the organization right (ERROR_FORBIDDEN otherwise);
 * create, account managers and obfuscation are agent-only. who NULL is the operator's
 * command line, allowed everything.
 *
 * Field validation of the wire formats (types, lengths, enum values) is the dialect's;
 * the rules here are the ones that need the database: unknown agents, cities and contacts
 * are field errors (RULE_ENUM) named as the caller says, duplicates are ERROR_CONFLICT.
 */
#ifndef RENTD_ACCOUNTS_H
#define RENTD_ACCOUNTS_H

#include "core/identity/auth.h"
#include "core/core.h"
#include "core/events.h"
#include "store/accounts/store_accounts.h"

/* An account as shown: its row, its live contacts, its policy texts per locale. */
struct account_view {
	struct account a;
	struct contact *contacts;
	size_t ncontacts;
	struct account_policy *policies;
	size_t npolicies;
};

/*
 * The company behind an account id as the caller may see it (who NULL: the command line,
 * every account): an unknown id is ERROR_NOT_FOUND; an employee asking for another
 * company's account gets ERROR_FORBIDDEN where the route documents a 403
 * (forbidden_documented), else ERROR_NOT_FOUND, as if the account did not exist (S-40).
 */
int accounts_resolve(struct core *c, struct arena *a, const struct caller *who, struct str account_id,
		     bool forbidden_documented, int64_t *company_id, struct error *err);

int accounts_get(struct core *c, struct arena *a, int64_t company_id, struct account_view *out, struct error *err);
/* A page of accounts; an employee sees only its own company's (the filter's company_id is forced). */
int accounts_list(struct core *c, struct arena *a, const struct caller *who, struct account_filter *f,
		  struct account_view **out, size_t *n, int64_t *total, struct error *err);

/* POST /landlords/accounts (#2): every member required but notifiable. */
struct account_new {
	struct str name, email, type, phone, first_name, last_name, city_id, locale;
	bool notifiable;
};
/*
 * Creates the company (root office, default profiles, an admin employee whose username and
 * e-mail are the account e-mail, with an unusable password), its account fields (commission
 * from the city, S-44), the first contact holding every role, AccountWasCreated and
 * ContactWasCreated, and the invitation when notifiable. Agent-only. ERROR_CONFLICT when the
 * e-mail is another account's or a user's name. *id: the account id.
 */
int accounts_create(struct core *c, struct arena *a, const struct caller *who, const struct account_new *in,
		    const struct event_actor *actor, struct str *id, struct error *err);

/* The account fields a patch can set; bit n of account_patch.set is field n. */
enum account_field {
	AF_NAME, AF_EMAIL, AF_LOCALE, AF_WEBSITE, AF_NOTES, AF_TYPE, AF_PLAN,
	AF_COMMISSION,   /* commission_type and commission_value */
	AF_ADMIN_FEE,    /* admin_fee_type and admin_fee_value */
	AF_CONTRACT_TYPE,
	AF_DOWN_PAYMENT, /* down_payment_type and down_payment_value */
	AF_CANCELLATION, AF_MIN_DAYS, AF_MAX_DAYS, AF_MAX_GAP, AF_CLASSIFICATION,
	AF_MANAGER,      /* from account_patch.manager */
	AF_LEAD_SOURCE, AF_ACTIVATION, AF_TECHNOLOGY, AF_TRANSFER, AF_OTHER_PLATFORMS, AF_CONSENT, AF_PROVISION,
	AF_CHANNEL, AF_HOURS, AF_PUBLISHED, AF_TOTALS /* rentable_units and properties */,
	AF_POLICIES,     /* the canonical locale's text, from account_patch.policies */
	AF_PERSON,       /* the booking contact's person, from account_patch.person (#5) */
};
#define AF_BIT(f) (1ull << (f))

struct account_patch {
	uint64_t set;      /* AF_BIT()s of the members to change */
	struct account v;  /* their new values */
	/* AF_MANAGER: an agent id or e-mail, "unassigned" or ptr NULL (both unassign) */
	struct str manager;
	const char *manager_field; /* the member unknown agents are reported on */
	struct str policies;       /* AF_POLICIES: ptr NULL removes the text */
	struct contact person;     /* AF_PERSON: names, email, phone, address, zip code */
	/* AF_MIN_DAYS / AF_MAX_DAYS: the members a minimum above the maximum is reported on ("minDays") */
	const char *min_days_field, *max_days_field;
};
/*
 * Applies a patch (#5, #6, #8, #9, #11, #31, #46, #47, #48, #51, #52). The booking days are
 * checked as they will be stored (a minimum sent alone must not pass the stored maximum),
 * and an employee may resend its account's manager but not change it (ERROR_FORBIDDEN:
 * assigning the operator's account managers is agent-only, as #51).
 */
int accounts_update(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		    const struct account_patch *p, const struct event_actor *actor, struct error *err);

/* PUT /accommodation-providers/{id}/icalendar (#12): ERROR_CONFLICT when already integrated (S-45). */
int accounts_icalendar(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		       const struct event_actor *actor, struct error *err);

/* #10: merges the conditions of each country (country ids known, S-25). */
int accounts_booking_conditions(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
				const struct booking_condition *list, size_t n, const struct event_actor *actor,
				struct error *err);

/*
 * Additional data (S-17): data is a JSON object's text replacing the stored one (POST and
 * PUT alike); AccountAdditionalDataWasCreated the first time, …Updated after.
 */
int accounts_additional_data(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			     struct str data, const struct event_actor *actor, struct error *err);

/* Contacts (#17–#24). in: names, email, phone and the four nullable texts. */
int accounts_contact_create(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    const struct contact *in, const struct event_actor *actor, int64_t *id, struct error *err);
int accounts_contact_update(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    int64_t id, const struct contact *in, const struct event_actor *actor, struct error *err);
/* ERROR_CONFLICT while the contact holds a contact type (S-46). */
int accounts_contact_delete(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			    int64_t id, const struct event_actor *actor, struct error *err);
/* Each role must name a live contact of the account (S-47); errors name the role ("tenant"). */
int accounts_contact_types(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			   const int64_t roles[ROLE_COUNT], const struct event_actor *actor, struct error *err);
extern const char *const contact_role_names[ROLE_COUNT]; /* "booking_manager", "tenant", "finance" */

/*
 * GDPR erasure, agent-only: the account's personal data (e-mail, notes, website,
 * additional data, its contacts, its owner's e-mail, names, phone and login) or one
 * contact's; the events' stored copies are redacted (events_redact) and AccountWasObfuscated
 * / ContactWasObfuscated appended. The non-personal history stays.
 */
int accounts_obfuscate(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
		       const struct event_actor *actor, struct error *err);
int accounts_contact_obfuscate(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			       int64_t contact_id, const struct event_actor *actor, struct error *err);

#endif
