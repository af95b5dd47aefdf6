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

/*
 * Adds email (trimmed, as entered) to the project's list, keyed by email_key (its lower-cased
 * form); an existing sign-up with the same key keeps its row and gets consent_at renewed.
 * *created tells which happened.
 */
int store_interest_add(struct store *s, int64_t project_id, struct str email, struct str email_key, bool *created,
		       struct error *err);

/* The project's sign-ups in sign-up order, from offset, at most amount; *total counts them all. */
int store_interest_list(struct store *s, struct arena *a, int64_t project_id, int64_t offset, int64_t amount,
			struct project_interest **out, size_t *n, int64_t *total, struct error *err);

#endif
