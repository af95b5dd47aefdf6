/*
 * store_project_interest.h — e-mail sign-ups of people interested in a project (the
 * widget's project interest page, homeq.md §11g; migration 0015_project_interest.sql).
 *
 * One row per project and address, de-duplicated on the lower-cased address. Nothing
 * here checks rights or whether the project is published: core/listings/project_interest.c
 * decides that and passes the project in. Strings live in the caller's arena.
 */
#ifndef RENTD_STORE_PROJECT_INTEREST_H
#define RENTD_STORE_PROJECT_INTEREST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/* What the interest page and its checks need to know of a project. */
struct interest_project {
	int64_t id;
	int64_t company_id;
	int64_t office_id;
	struct str name;
	struct str company_name;
	bool published;
	bool closed;
};

struct project_interest {
	int64_t id;
	int64_t project_id;
	struct str email;
	struct str consent_at; /* the latest consent, YYYY-MM-DDTHH:MM:SSZ */
	struct str created_at; /* the first sign-up */
};

/* The project with its company's name, in any company; ERROR_NOT_FOUND "no such project". */
int store_interest_project(struct store *s, struct arena *a, int64_t project_id, struct interest_project *out,
			   struct error *err);

/* A sign-up being added: the address (trimmed, as entered) and its lower-cased key. */
struct interest_add {
	int64_t project_id;
	struct str email;
	struct str email_key;
	int64_t user_id;      /* the signed-in consumer whose address it is; 0: anonymous */
	struct str token_hash; /* hex SHA-256 of the new row's unsubscribe token */
	int64_t now;          /* unix seconds: created_at and consent_at */
};

/*
 * Adds in->email to the project's list; an existing sign-up with the same key keeps its row,
 * its token and its user and gets consent_at renewed. *created tells which happened; *id is
 * the row's id either way.
 */
int store_interest_add(struct store *s, const struct interest_add *in, int64_t *id, bool *created,
		       struct error *err);

/* A sign-up found by the hash of its unsubscribe token, with what its event names. */
struct interest_subscription {
	int64_t id;
	struct str email;
	struct interest_project project;
	int64_t user_id;                      /* 0: anonymous (or the user is gone) */
	struct str first_name, last_name, ssn; /* the user's; STR_NULL when anonymous */
};

/* ERROR_NOT_FOUND "no such sign-up" when no row has this token hash (used, or never made). */
int store_interest_by_token(struct store *s, struct arena *a, struct str token_hash,
			    struct interest_subscription *out, struct error *err);

/* Deletes the sign-up; *deleted false when it was gone already (another request took it). */
int store_interest_remove(struct store *s, int64_t id, bool *deleted, struct error *err);

/* The project's sign-ups in sign-up order, from offset, at most amount; *total counts them all. */
int store_interest_list(struct store *s, struct arena *a, int64_t project_id, int64_t offset, int64_t amount,
			struct project_interest **out, size_t *n, int64_t *total, struct error *err);

#endif
