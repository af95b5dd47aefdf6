/*
 * org.h — companies, offices, employees, right profiles, user notes and existing
 * tenants: the rules of homeq.md §7, §9 and §15 (rules 5–16), for any dialect.
 *
 * Every function takes the caller and enforces its right and its office scope:
 * an id outside the caller's company or office subtree is ERROR_NOT_FOUND (never
 * 403, so ids of other companies are not disclosed); a missing right is
 * ERROR_FORBIDDEN naming the right. Writes are one transaction each.
 */
#ifndef RENTD_ORG_H
#define RENTD_ORG_H

#include "core/identity/auth.h"
#include "core/core.h"
#include "store/identity/store_org.h"

/* Operator bootstrap: a company with its root office, four default profiles, an admin. */
struct company_created {
	int64_t company_id;
	struct str company_uuid;
	int64_t office_id;
	int64_t employee_id;
};
int org_company_create(struct core *c, struct arena *a, struct str name, struct str admin_username,
		       struct str admin_password_hash, struct company_created *out, struct error *err);
/* The same rows inside the caller's open transaction (the accounts dialect's account create). */
int org_company_create_rows(struct core *c, struct arena *a, struct str name, struct str admin_username,
			    struct str admin_password_hash, struct company_created *out, struct error *err);

/* An employee created by the operator (CLI) in a company, at an office, with a profile by name or id. */
struct employee_new {
	int64_t company_id;
	int64_t office_id;          /* 0: the company's root office */
	struct str right_profile;   /* a profile name; empty: "employee" */
	struct str username;
	struct str password_hash;
	struct str email;
	struct str first_name;
	struct str last_name;
	struct str personal_number;
	struct str phone;
};
int org_employee_create(struct core *c, struct arena *a, const struct employee_new *e, int64_t *id,
			struct error *err);

/*
 * An agent (the operator's staff, users of kind operator) created by the operator (CLI
 * `rentd agent create`): e-mail is also the username; name is split at its first space into
 * first and last name (the accounts dialect's fullName joins them again).
 */
int org_agent_create(struct core *c, struct arena *a, struct str email, struct str password_hash, struct str name,
		     int64_t *id, struct str *uuid, struct error *err);

/* Company */
/* Every company, id and name (what a consumer sees). */
int org_company_list(struct core *c, struct arena *a, struct company **out, size_t *n, struct error *err);
int org_company_get(struct core *c, struct arena *a, const struct caller *who, struct company *out,
		    struct error *err);
/* Fields absent in the patch are NULL / -1. */
struct company_patch {
	struct str bankgiro, postgiro, org_number, external_reservation_link, fast_api_key;
	struct str logo_image_id, cover_image_id; /* set_* says whether to change (value may be null) */
	bool set_logo_image_id, set_cover_image_id;
	int64_t minimum_up_time; /* -1: unchanged */
};
int org_company_update(struct core *c, struct arena *a, const struct caller *who, const struct company_patch *p,
		       struct company *out, struct error *err);
int org_company_reset(struct core *c, const struct caller *who, struct error *err);

/* Offices */
enum office_mode { OFFICE_MODE_DEFAULT, OFFICE_MODE_MANAGE };
int org_office_list(struct core *c, struct arena *a, const struct caller *who, enum office_mode mode,
		    int64_t office_id, struct office **out, size_t *n, struct error *err);
/* has_* flags say which fields the request set; parent 0 on update: unchanged. */
struct office_input {
	int64_t parent;
	struct office_fields f;
	bool has_name, has_description, has_email, has_csm, has_cs, has_batch, has_omrt, has_opa, has_opp,
		has_ttne, has_dec, has_deo, has_dev;
	bool has_logo;
	struct str logo_bytes; /* ptr NULL with has_logo: remove */
	struct str logo_mime;
};
int org_office_create(struct core *c, struct arena *a, const struct caller *who, const struct office_input *in,
		      int64_t *id, struct error *err);
int org_office_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		      const struct office_input *in, struct error *err);
int org_office_logo(struct core *c, struct arena *a, int64_t id, struct str *bytes, struct str *mime,
		    struct error *err);

/* Employees */
int org_employee_list(struct core *c, struct arena *a, const struct caller *who, struct user **out, size_t *n,
		      struct error *err);
int org_employee_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct user *out,
		     struct error *err);
struct employee_patch {
	struct str first_name, last_name, personal_number, phone_number; /* ptr NULL: unchanged */
	int64_t right_profile, root_office, selected_office;               /* 0: unchanged */
};
int org_employee_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			const struct employee_patch *p, struct user *out, struct error *err);
int org_employee_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err);
/* API user: the caller's selected office, the "employee" profile; password shown once. */
int org_api_user_create(struct core *c, struct arena *a, const struct caller *who, struct str password_hash,
			struct str username, int64_t *id, struct error *err);
/* Checks the right to create API users before the (slow) password hash is made. */
int org_api_user_allowed(const struct caller *who, struct error *err);

/* Right profiles */
int org_right_profile_list(struct core *c, struct arena *a, const struct caller *who, struct right_profile **out,
			   size_t *n, struct error *err);
int org_right_profile_create(struct core *c, struct arena *a, const struct caller *who, struct str name,
			     const struct str *rights, size_t n, struct right_profile *out, struct error *err);
int org_right_profile_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			     struct str name, const struct str *rights, size_t n, struct right_profile *out,
			     struct error *err);
int org_right_profile_delete(struct core *c, const struct caller *who, int64_t id, struct error *err);

/* User notes on consumers */
int org_note_list(struct core *c, struct arena *a, const struct caller *who, int64_t user_profile,
		  struct user_note **out, size_t *n, struct error *err);
int org_note_create(struct core *c, struct arena *a, const struct caller *who, int64_t user_profile,
		    struct str text, struct user_note *out, struct error *err);
/* text ptr NULL: unchanged. */
int org_note_update(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct str text,
		    struct user_note *out, struct error *err);
int org_note_delete(struct core *c, const struct caller *who, int64_t id, struct error *err);

/* Existing tenants: each operation's ssn already normalised (ssn_normalise). */
struct tenant_op {
	bool remove;
	struct str ssn;
};
int org_existing_tenants(struct core *c, const struct caller *who, const struct tenant_op *ops, size_t n,
			 int64_t *created, int64_t *deleted, struct error *err);

/*
 * Swedish personal identity number → 12 digits YYYYMMDDNNNN: accepts 10 or 12
 * digits with an optional '-' or '+' (100 years or older) before the last four,
 * checks the date and the Luhn digit. -1 when invalid.
 */
int ssn_normalise(struct arena *a, struct str in, struct str *out);

#endif
