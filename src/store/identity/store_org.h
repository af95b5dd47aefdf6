/*
 * store_org.h — companies, offices, users, right profiles, device tokens, login
 * throttling, user notes and existing tenants.
 *
 * Rows come back as plain structs whose strings live in the caller's arena.
 * Nothing here checks rights or visibility beyond what the arguments say: core/
 * decides who may do what, and passes the company and office-path scope in.
 * An id that does not exist (or is outside the given scope) is ERROR_NOT_FOUND.
 */
#ifndef RENTD_STORE_ORG_H
#define RENTD_STORE_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct company {
	int64_t id;
	struct str uuid;
	struct str name;
	struct str org_number;
	struct str bankgiro;
	struct str postgiro;
	struct str external_reservation_link;
	int64_t minimum_up_time;
	struct str logo_image_id;  /* ptr NULL: none */
	struct str cover_image_id; /* ptr NULL: none */
	struct str fast_api_key;
	struct str enabled_features; /* comma-separated */
	bool beta_program;
	struct str tier;
	struct str created_at;
};

/* Every office column that a create or update can set. */
struct office_fields {
	struct str name;
	struct str description;
	struct str email;
	struct str candidate_sorting_mode;
	struct str contract_system;
	int64_t batch_size;
	int64_t offer_min_response_time;
	int64_t offer_per_ad;
	int64_t offers_per_person;
	int64_t time_to_next_engagement;
	bool default_email_for_contracts;
	bool default_email_for_offers;
	bool default_email_for_viewings;
};

struct office {
	int64_t id;
	int64_t company_id;
	int64_t parent_id; /* 0: the company's root office */
	struct str path;   /* "/1/4/9/" */
	struct office_fields f;
	bool has_logo;
	int64_t employee_count;
};

enum user_kind { USER_EMPLOYEE, USER_OPERATOR, USER_CONSUMER };

struct user {
	int64_t id;
	struct str uuid;
	enum user_kind kind;
	struct str username;
	struct str email;
	struct str password_hash;
	struct str first_name;
	struct str last_name;
	struct str personal_number;
	struct str phone;
	int64_t company_id;
	int64_t right_profile_id; /* 0: none */
	int64_t root_office_id;
	int64_t selected_office_id;
	bool api_user;
	bool joined;
	struct str totp_secret; /* empty: two-factor off */
	int64_t totp_last_step;
	bool device_verification;
	struct str date_joined;
	/* joined in by the reads */
	struct str right_profile_name;
	struct str root_office_name;
	struct str root_office_path;
	struct str selected_office_name;
	struct str selected_office_path;
};

struct right_profile {
	int64_t id;
	int64_t company_id; /* 0: common profile */
	struct str name;
	struct str *rights;
	size_t nrights;
	int64_t employees;
};

struct user_note {
	int64_t id;
	int64_t user_id;
	int64_t author_id;
	struct str author_name;
	struct str text;
	struct str created_at;
	struct str updated_at;
};

/* Companies */
int store_company_insert(struct store *s, struct arena *a, struct str name, struct company *out, struct error *err);
int store_company_get(struct store *s, struct arena *a, int64_t id, struct company *out, struct error *err);
int store_company_get_by_uuid(struct store *s, struct arena *a, struct str uuid, struct company *out, struct error *err);
int store_company_update(struct store *s, const struct company *c, struct error *err);
/* Every company, id and name, ordered by name. */
int store_company_list(struct store *s, struct arena *a, struct company **out, size_t *n, struct error *err);

/* Offices. parent_id 0 makes the company's root office. */
int store_office_insert(struct store *s, int64_t company_id, int64_t parent_id,
			const struct office_fields *f, int64_t *id, struct error *err);
int store_office_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct office *out,
		     struct error *err);
/* Offices of the company whose path starts with path_prefix ("" for all), by path. */
int store_office_list(struct store *s, struct arena *a, int64_t company_id, struct str path_prefix,
		      struct office **out, size_t *n, struct error *err);
/* Writes f; a new parent (new_parent_id != o->parent_id) moves the whole subtree. */
int store_office_update(struct store *s, const struct office *o, int64_t new_parent_id,
			const struct office_fields *f, struct error *err);
int store_office_set_logo(struct store *s, int64_t office_id, const void *bytes, size_t len,
			  struct str mime, struct error *err);
int store_office_get_logo(struct store *s, struct arena *a, int64_t office_id, struct str *bytes,
			  struct str *mime, struct error *err);

/* Users */
struct user_insert {
	enum user_kind kind;
	struct str username;
	struct str email;
	struct str password_hash;
	struct str first_name;
	struct str last_name;
	struct str personal_number;
	struct str phone;
	int64_t company_id;
	int64_t right_profile_id;
	int64_t root_office_id;
	bool api_user;
};
int store_user_insert(struct store *s, const struct user_insert *u, int64_t *id, struct error *err);
/* A live (not deleted) user by id or by username (case-insensitive). */
int store_user_get(struct store *s, struct arena *a, int64_t id, struct user *out, struct error *err);
/* store_user_get() and the rights of the user's right profile (none without one), in one statement. */
int store_user_get_with_rights(struct store *s, struct arena *a, int64_t id, struct user *out, struct str **rights,
			       size_t *nrights, struct error *err);
int store_user_get_by_username(struct store *s, struct arena *a, struct str username, struct user *out,
			       struct error *err);
/* Live employees of the company whose root office is at or below path_prefix. */
int store_employee_list(struct store *s, struct arena *a, int64_t company_id, struct str path_prefix,
			struct user **out, size_t *n, struct error *err);
/* Writes the editable columns of u (names, phone, personal number, profile, offices). */
int store_user_update(struct store *s, const struct user *u, struct error *err);
int store_user_delete(struct store *s, int64_t id, struct error *err);
int store_user_set_totp(struct store *s, int64_t id, struct str secret, struct error *err);
/* Records an accepted TOTP step; ERROR_CONFLICT when it is not newer than the last one. */
int store_user_set_totp_step(struct store *s, int64_t id, int64_t step, struct error *err);
int store_user_set_device_verification(struct store *s, int64_t id, bool on, struct error *err);
int store_user_set_password(struct store *s, int64_t id, struct str hash, struct error *err);

/* Right profiles */
int store_right_profile_insert(struct store *s, int64_t company_id, struct str name,
			       const struct str *rights, size_t nrights, int64_t *id, struct error *err);
/* A profile of this company or a common one. */
int store_right_profile_get(struct store *s, struct arena *a, int64_t company_id, int64_t id,
			    struct right_profile *out, struct error *err);
/* Only the rights of a profile (the hot path of every authenticated request). */
int store_right_profile_rights(struct store *s, struct arena *a, int64_t id, struct str **rights, size_t *n,
			       struct error *err);
int store_right_profile_list(struct store *s, struct arena *a, int64_t company_id,
			     struct right_profile **out, size_t *n, struct error *err);
int store_right_profile_update(struct store *s, int64_t id, struct str name, const struct str *rights,
			       size_t nrights, struct error *err);
/* ERROR_CONFLICT while employees use it. */
int store_right_profile_delete(struct store *s, int64_t company_id, int64_t id, struct error *err);
/* The profile id of the company's default profile with this name. */
int store_right_profile_default(struct store *s, int64_t company_id, const char *name, int64_t *id,
				struct error *err);

/* Device tokens (stored as hashes) */
int store_device_token_known(struct store *s, int64_t user_id, struct str token_hash, bool *known,
			     struct error *err);
int store_device_token_add(struct store *s, int64_t user_id, struct str token_hash, struct error *err);

/* Login throttling: failures of key within the window that started at or after since. */
int store_login_failures(struct store *s, struct str key, int64_t since, int64_t *failures,
			 int64_t *window_start, struct error *err);
int store_login_failure_add(struct store *s, struct str key, int64_t now, int64_t window, struct error *err);
int store_login_failures_clear(struct store *s, struct str key, struct error *err);

/* User notes (a company's notes on a consumer) */
int store_note_insert(struct store *s, int64_t company_id, int64_t user_id, int64_t author_id,
		      struct str text, int64_t *id, struct error *err);
int store_note_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct user_note *out,
		   struct error *err);
int store_note_list(struct store *s, struct arena *a, int64_t company_id, int64_t user_id,
		    struct user_note **out, size_t *n, struct error *err);
int store_note_update(struct store *s, int64_t company_id, int64_t id, struct str text, struct error *err);
int store_note_delete(struct store *s, int64_t company_id, int64_t id, struct error *err);

/* Existing tenants; *changed is 1 when the row was added / removed. */
int store_tenant_add(struct store *s, int64_t company_id, struct str ssn, int *changed, struct error *err);
int store_tenant_remove(struct store *s, int64_t company_id, struct str ssn, int *changed, struct error *err);
int store_tenant_exists(struct store *s, int64_t company_id, struct str ssn, bool *exists, struct error *err);

/* Environment reset: removes the company's inventory and everything hanging off it. */
int store_company_reset(struct store *s, int64_t company_id, struct error *err);

#endif
