/*
 * store_applicants.h — applicant profiles, queue memberships and blocks (migration
 * 0020_applicants.sql).
 *
 * An applicant is a consumer user (store/identity/store_org.h) with a row in
 * applicant_profiles (0020, the screening's columns 0022); name, e-mail, phone and personal
 * number stay on the user.
 * Nothing here decides who may do what or counts points: core/market/applicants.c does.
 * Times are unix seconds; strings live in the caller's arena.
 */
#ifndef RENTD_STORE_APPLICANTS_H
#define RENTD_STORE_APPLICANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/*
 * Credit facts of one person as the applicant declares them (migration 0022): rentd has no
 * credit bureau (docs/DECISIONS.md).
 */
struct applicant_credit {
	int64_t payment_remarks; /* betalningsanmärkningar, >= 0 */
	bool bankruptcy;
	bool outstanding_debt;   /* debts with Kronofogden */
	bool debt_sanitization;  /* skuldsanering */
};

struct applicant_profile {
	int64_t user_id;
	struct str birth_date; /* YYYY-MM-DD, "" unknown */
	int64_t gross_income;  /* SEK a month before tax */
	struct str income_source;
	struct str occupation;
	struct str co_applicant_name; /* "" no co-applicant */
	struct str co_applicant_birth_date;
	int64_t co_applicant_income;
	int64_t adults;   /* residents including the applicant, >= 1 */
	int64_t children;
	struct str accommodation;
	bool pets;
	bool smoking;
	/* screening (0022): credit, moves, children's ages, co-applicant, warrantor */
	struct applicant_credit credit;
	int64_t moves;                     /* most address changes of an applicant in the last 5 years */
	struct str children_birth_years;   /* "2015,2019": one year per child; "" none stated */
	struct str co_applicant_income_source;
	struct str co_applicant_occupation;
	struct applicant_credit co_applicant_credit;
	bool has_warrantor;
	int64_t warrantor_income;          /* SEK a month before tax */
	struct applicant_credit warrantor_credit;
	int64_t last_active_at;
	int64_t token_generation; /* applicant tokens carry it; a sign-out adds one */
	int64_t created_at;
	int64_t updated_at;
};

struct queue_membership {
	int64_t id;
	int64_t user_id;
	struct str queue_type;
	int64_t joined_at;
};

struct applicant_block {
	int64_t id;
	int64_t user_id;
	struct str queue_type; /* ptr NULL: every queue */
	struct str display_name;
	struct str description;
	int64_t blocked_until;
};

/* Inserts p (created_at, updated_at, last_active_at as given). */
int store_applicant_insert(struct store *s, const struct applicant_profile *p, struct error *err);
/* ERROR_NOT_FOUND "no such applicant" when the user has no profile. */
int store_applicant_get(struct store *s, struct arena *a, int64_t user_id, struct applicant_profile *out,
			struct error *err);
/* Writes the editable columns of p and updated_at. */
int store_applicant_update(struct store *s, const struct applicant_profile *p, struct error *err);
int store_applicant_touch(struct store *s, int64_t user_id, int64_t now, struct error *err);
/* Sign-out: the token generation goes up by one, so every token issued before stops working. */
int store_applicant_sign_out(struct store *s, int64_t user_id, int64_t now, struct error *err);

/* The user ids of the first n applicants (by id) with a live membership of queue_type (ptr NULL: any). */
int store_applicant_ids(struct store *s, struct arena *a, struct str queue_type, int64_t n, int64_t **out,
			size_t *count, struct error *err);

/* The user's live memberships, ordered by queue type. */
int store_queue_memberships(struct store *s, struct arena *a, int64_t user_id, struct queue_membership **out,
			    size_t *n, struct error *err);
/* A new live membership; ERROR_CONFLICT when one exists. */
int store_queue_join(struct store *s, int64_t user_id, struct str queue_type, int64_t joined_at, int64_t *id,
		     struct error *err);
/* Ends the live membership; *left false when there was none. */
int store_queue_leave(struct store *s, int64_t user_id, struct str queue_type, int64_t now, bool *left,
		      struct error *err);

int store_block_insert(struct store *s, const struct applicant_block *b, int64_t now, int64_t *id,
		       struct error *err);
/* Blocks of the user still in force at now, latest end first. */
int store_blocks_active(struct store *s, struct arena *a, int64_t user_id, int64_t now,
			struct applicant_block **out, size_t *n, struct error *err);

#endif
