/*
 * applicants.h — the market's applicants: registration, sign-in, profile, queues, blocks.
 *
 * An applicant is a consumer user (store/identity/store_org.h) with an applicant profile
 * (store/market/store_applicants.h). A consumer without a profile can sign in but is not a
 * registered applicant (GET /v2/market/applicant → registered false).
 *
 * Queues: one per queue type of applicant_queue_types[]. Points are whole days of the
 * current, unbroken membership, counted on the Europe/Stockholm calendar: 0 on the day of
 * joining, 1 the next day, and so on (one point a day, as Swedish housing queues count
 * "köpoäng"); leaving ends the membership and its points. applicant_points() is the one
 * place this rule lives: ranking at apply time copies its value into the application.
 *
 * Activity (B.4 role): last_active is renewed by sign-in, edits, queue changes and, at
 * most once an hour, by any signed-in market call; the applicant stays valid
 * APPLICANT_VALID_DAYS after it and is due for deletion APPLICANT_DELETE_DAYS after that.
 *
 * Slow work: registration hashes a password and sign-in checks one (argon2id), so both come
 * in two halves around a workpool job, like core/identity/login.h.
 */
#ifndef RENTD_APPLICANTS_H
#define RENTD_APPLICANTS_H

#include <stdbool.h>

#include "base/workpool.h"
#include "core/core.h"
#include "core/identity/auth.h"
#include "core/identity/login.h"
#include "core/identity/password.h"
#include "store/market/store_applicants.h"

#define APPLICANT_VALID_DAYS 365
#define APPLICANT_DELETE_DAYS 90
#define APPLICANT_TOUCH_SECONDS 3600
#define APPLICANT_MIN_AGE 18
#define APPLICANT_PASSWORD_MIN 8
#define APPLICANT_PASSWORD_MAX 1024
/* Bounds of the screening's members (migration 0022); a child is at most this old. */
#define APPLICANT_INCOME_MAX 10000000
#define APPLICANT_CHILDREN_MAX 20
#define APPLICANT_CHILD_MAX_AGE 25
#define APPLICANT_PAYMENT_REMARKS_MAX 1000
#define APPLICANT_MOVES_MAX 100

struct queue_type {
	const char *id;           /* residential, student, senior, youth, parking */
	const char *display_name; /* sv-SE, as the companion page's example */
	const char *description;
	int min_age;              /* inclusive */
	int max_age;              /* inclusive; 0: none */
	bool students_only;       /* occupation must be student */
};

#define APPLICANT_QUEUE_COUNT 5
extern const struct queue_type applicant_queue_types[APPLICANT_QUEUE_COUNT];
/* NULL when id names no queue. */
const struct queue_type *applicant_queue_type(struct str id);

/* Value sets of the profile (NULL-terminated; "" is "not stated" and allowed). */
extern const char *const applicant_income_sources[];
extern const char *const applicant_occupations[];
extern const char *const applicant_accommodations[];

struct applicant {
	struct user user;
	bool registered; /* has a profile; when false only user is filled */
	struct applicant_profile profile;
	struct queue_membership *queues; /* live memberships */
	size_t nqueues;
	struct applicant_block *blocks; /* in force now */
	size_t nblocks;
	int64_t now;
};

/* The registration (and the profile fields of an edit): user columns plus the profile. */
struct applicant_fields {
	struct str email; /* also the username (identifier of POST /v2/auth) */
	struct str first_name, last_name, phone, personal_number;
	struct applicant_profile profile;
};

struct applicant_registration {
	struct workpool_job job; /* hashes the password on the pool */
	struct applicant_fields f;
	struct str password;
	char hash[PASSWORD_HASH_MAX];
	int hash_rc;
};

/* Validates and copies r->f, r->password into a; then the caller runs r->job on the pool. */
int applicant_register_begin(struct core *c, struct arena *a, struct applicant_registration *r,
			     struct error *err);
/* Creates the user and its profile; ERROR_CONFLICT "AlreadyRegistered" for a taken e-mail. */
int applicant_register_finish(struct core *c, struct arena *a, struct applicant_registration *r, int64_t *user_id,
			      struct error *err);

/*
 * Sign-in: login_begin()/job/login_finish() with in->applicant set, then this issues the token,
 * and a refresh token when refresh is non-NULL.
 */
int applicant_sign_in_finish(struct core *c, struct arena *a, struct login *l, struct str *token,
			     struct str *refresh, struct error *err);
/*
 * A refresh token (from a sign-in that asked for one) for a new access token and a new
 * refresh token; ERROR_UNAUTHORIZED when it is not one, has expired, or was issued before a
 * sign-out.
 */
int applicant_refresh(struct core *c, struct arena *a, struct str refresh_token, struct str *token,
		      struct str *refresh, struct error *err);
/*
 * An access token for an applicant without its password: the operator's command line (load
 * tests, support). Whoever holds the database and the signing secret can make one anyway.
 */
int applicant_issue_token(struct core *c, struct arena *a, int64_t user_id, struct str *token, struct error *err);
/* Sign-out: every token of the applicant issued so far stops working. */
int applicant_sign_out(struct core *c, const struct caller *who, struct error *err);

/*
 * The caller (an applicant token) with its profile, live queues and blocks; renews
 * last_active when older than APPLICANT_TOUCH_SECONDS. A token from before a sign-out is
 * ERROR_UNAUTHORIZED.
 */
int applicant_load(struct core *c, struct arena *a, const struct caller *who, struct applicant *out,
		   struct error *err);

/* The applicant of a user id, as applicant_load() without the token and activity. */
int applicant_get(struct core *c, struct arena *a, int64_t user_id, struct applicant *out, struct error *err);

/* Writes the editable fields (validated as at registration); renews last_active. */
int applicant_update(struct core *c, struct arena *a, const struct applicant *cur, const struct applicant_fields *f,
		     struct error *err);

/*
 * The children's birth years of a profile ("2015,2019") into years (at most
 * APPLICANT_CHILDREN_MAX); the count, or -1 when the text is not such a list.
 */
int applicant_children_years(struct str list, int *years);
/* The Europe/Stockholm calendar year at now. */
int applicant_year(int64_t now);
/* Age in whole years at now from a YYYY-MM-DD birth date; -1 when unknown. */
int applicant_age(struct str birth_date, int64_t now);
/* Queue points of a membership joined at joined_at, at now (the rule above). */
int64_t applicant_points(int64_t joined_at, int64_t now);
/* role.validTo and role.deleteAfter of the B.4 shape. */
int64_t applicant_valid_to(const struct applicant *ap);
int64_t applicant_delete_after(const struct applicant *ap);
/* The live membership of a queue, or NULL. */
const struct queue_membership *applicant_membership(const struct applicant *ap, const char *queue_type);
/* The block in force for a queue (one for every queue counts), or NULL. */
const struct applicant_block *applicant_block_for(const struct applicant *ap, const char *queue_type);

/* The checklist of a queue command ("join" or "leave"), items in the order they are checked. */
enum queue_check { QCHECK_APPLICANT, QCHECK_JOIN, QCHECK_LEAVE, QCHECK_AGE, QCHECK_STUDENT, QCHECK_BLOCK };
struct queue_check_item {
	enum queue_check type;
	bool passed;
	const char *message; /* in the command's language (sv by default), failed items (and age limits) only */
};
struct queue_command {
	bool leave; /* false: join */
	struct queue_check_item items[5];
	size_t nitems;
	bool passed; /* every item passed */
};
const char *applicant_check_name(enum queue_check t);
/* The checklist of q's join (or leave) command for ap, its messages in lang. */
void applicant_queue_command(struct arena *a, const struct applicant *ap, const struct queue_type *q, bool leave,
			     enum lang lang, struct queue_command *out);

/*
 * Runs a queue command: joins or leaves. ERROR_FORBIDDEN "NotEligible" (403) with the
 * checklist in *cmd when an item fails, ERROR_CONFLICT "AlreadyMember"/"NotMember" (409)
 * when only join/leave fails. ap is updated.
 */
int applicant_queue_run(struct core *c, struct arena *a, struct applicant *ap, const struct queue_type *q, bool leave,
			enum lang lang, struct queue_command *cmd, struct error *err);

/* A block (an operator's or a landlord's decision); queue_type NULL: every queue. */
int applicant_block(struct core *c, int64_t user_id, const char *queue_type, struct str display_name,
		    struct str description, int64_t blocked_until, struct error *err);

/* Seeding and the CLI: an applicant with a given password hash and memberships (no pool). */
int applicant_create_direct(struct core *c, struct arena *a, const struct applicant_fields *f, struct str hash,
			    const char *const *queues, const int64_t *joined_at, size_t nqueues, int64_t *user_id,
			    struct error *err);

#endif
