/*
 * store_accounts.h — accounts (the account columns of companies), their contacts, policy
 * texts per locale and booking conditions per country (migration 0009).
 *
 * An account is a company: struct account is the companies row seen by the accounts
 * dialect, with the owner's and the account manager's ids joined in. Strings live in
 * the caller's arena; a nullable text column reads as ptr NULL, a nullable integer as
 * ACCOUNT_UNSET. Nothing here checks who may do what (core/accounts/accounts.c does).
 */
#ifndef RENTD_STORE_ACCOUNTS_H
#define RENTD_STORE_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/* A nullable integer column that is NULL. */
#define ACCOUNT_UNSET INT64_MIN

enum contact_role { ROLE_BOOKING_MANAGER, ROLE_TENANT, ROLE_FINANCE, ROLE_COUNT };

/* Office-hour slots (S-10), in column order. */
enum office_hour { HOURS_WEEKDAYS_START, HOURS_WEEKDAYS_END, HOURS_WEEKEND_START, HOURS_WEEKEND_END, HOURS_COUNT };

struct account {
	int64_t company_id;
	struct str id;   /* companies.uuid: the account id */
	struct str uuid; /* the second, legacy id (S-06) */
	int64_t owner_user_id;  /* 0: none */
	struct str owner_uuid;  /* joined; ptr NULL without owner */
	struct str owner_email; /* joined */
	struct str name;
	struct str email;
	struct str locale;
	struct str website; /* nullable */
	struct str notes;   /* nullable */
	struct str city_id;
	struct str type;
	struct str plan;
	struct str commission_type;
	int64_t commission_value; /* ×100 */
	struct str admin_fee_type;
	int64_t admin_fee_value;  /* ×100 */
	struct str contract_type;
	struct str down_payment_type;
	int64_t down_payment_value; /* nullable */
	struct str cancellation_policy;
	int64_t booking_min_days, booking_max_days, booking_max_gap_days; /* nullable */
	struct str classification;
	int64_t manager_id;        /* 0: unassigned */
	struct str manager_uuid;   /* joined */
	struct str manager_email;  /* joined */
	struct str lead_source;    /* nullable */
	struct str activation_stage;
	struct str technology;
	struct str transfer_timing;
	struct str other_platforms_usage;
	bool consent_for_classifieds;
	struct str contract_provision;
	struct str communication_channel;
	struct str hours[HOURS_COUNT]; /* nullable each */
	int64_t published_listings, rentable_units, properties;
	bool is_active, is_owned_by_spotahome, is_externally_integrated;
	struct str additional_data; /* JSON object text; nullable */
	struct str creation_user;
	struct str created_at, updated_at;
	struct str first_listing_published_at, availabilities_notified_at; /* nullable */
	struct str first_booking_email_at, first_booking_sms_at, first_booking_accepted_at, first_booking_request_id;
	int64_t roles[ROLE_COUNT]; /* contact ids; 0: nobody */
};

struct account_filter {
	int64_t company_id;   /* 0: every company */
	const struct str *ids; /* account ids; n_ids 0: any */
	size_t n_ids;
	struct str email;     /* ptr NULL: any; case-insensitive equality */
	struct str name;      /* ptr NULL: any; case-insensitive substring */
	struct str phone_digits; /* ptr NULL: any; a live contact's phone digits */
	int64_t offset, limit;
};

/* ERROR_NOT_FOUND "no such account". */
int store_account_get(struct store *s, struct arena *a, int64_t company_id, struct account *out, struct error *err);
/*
 * A page of accounts in creation order and the number matching the filter. An unfiltered
 * page reads a maintained total and a narrow index, so its cost does not grow with the
 * number of accounts before it (migration 0016).
 */
int store_account_list(struct store *s, struct arena *a, const struct account_filter *f, struct account **out,
		       size_t *n, int64_t *total, struct error *err);
/* Writes every account column of a (and companies.name). */
int store_account_update(struct store *s, const struct account *a, struct error *err);
/* The company's owner; its e-mail becomes the account e-mail when it is one (contains '@'). */
int store_account_set_owner(struct store *s, int64_t company_id, int64_t user_id, struct str email,
			    struct error *err);
/* Whether email is another account's e-mail or (users) any live user's username, case-insensitive. */
int store_account_email_taken(struct store *s, struct str email, int64_t except_company_id, bool users,
			      bool *taken, struct error *err);
/* GDPR: blanks a user's personal data and login (username becomes "erased-<uuid>"). */
int store_account_erase_user(struct store *s, int64_t user_id, struct error *err);

/* Policy texts per locale (S-09), ordered by locale. */
struct account_policy {
	int64_t company_id;
	struct str locale;
	struct str policies;
	struct str translation_type;
};
int store_account_policies(struct store *s, struct arena *a, int64_t company_id, struct account_policy **out,
			   size_t *n, struct error *err);
/* Those of several companies at once (an account page), by company id, then locale. */
int store_account_policies_of(struct store *s, struct arena *a, const int64_t *company_ids, size_t ncompanies,
			      struct account_policy **out, size_t *n, struct error *err);
/* text ptr NULL removes the locale's text. */
int store_account_policy_set(struct store *s, int64_t company_id, struct str locale, struct str text,
			     struct error *err);

/* Booking conditions per country (#10). */
struct booking_condition {
	struct str country_id;
	int64_t gap_min_days, gap_max_days; /* nullable */
	struct str contract_type;           /* nullable */
};
int store_account_conditions(struct store *s, struct arena *a, int64_t company_id, struct booking_condition **out,
			     size_t *n, struct error *err);
int store_account_condition_set(struct store *s, int64_t company_id, const struct booking_condition *c,
				struct error *err);

/* Contacts (store_contact.c) */
struct contact {
	int64_t id;
	int64_t company_id;
	struct str first_name, last_name, email, phone;
	struct str address, zip_code, position, notes; /* nullable */
	struct str created_by, updated_by, created_at, updated_at;
	bool deleted;
};
/* actor: the e-mail recorded as creator/updater. */
int store_contact_insert(struct store *s, const struct contact *c, struct str actor, int64_t *id, struct error *err);
/* A live contact of the company; ERROR_NOT_FOUND "no such contact". */
int store_contact_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct contact *out,
		      struct error *err);
/* The company's live contacts in creation order. */
int store_contact_list(struct store *s, struct arena *a, int64_t company_id, struct contact **out, size_t *n,
		       struct error *err);
/* The live contacts of several companies at once (an account page), by company id, then creation order. */
int store_contact_list_of(struct store *s, struct arena *a, const int64_t *company_ids, size_t ncompanies,
			  struct contact **out, size_t *n, struct error *err);
int store_contact_update(struct store *s, const struct contact *c, struct str actor, struct error *err);
int store_contact_delete(struct store *s, int64_t company_id, int64_t id, struct str actor, struct error *err);
/* GDPR: blanks the personal members of one contact (id) or of all the company's contacts (id 0), deleted ones too. */
int store_contact_erase(struct store *s, int64_t company_id, int64_t id, struct error *err);
/* Ids of all the company's contacts, deleted ones too (for erasure events). */
int store_contact_ids(struct store *s, struct arena *a, int64_t company_id, int64_t **out, size_t *n,
		      struct error *err);

/* Only the digits of a phone number, in the arena ("+34 656" → "34656"). */
struct str phone_digits(struct arena *a, struct str phone);

#endif
