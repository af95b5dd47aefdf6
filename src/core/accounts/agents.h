/*
 * agents.h — the operator's staff ("agents" in the accounts dialect, users of kind
 * operator): lookup and listing. Creation is org_agent_create() (core/identity/org.h).
 *
 * Agent: id = user uuid, fullName = first + " " + last name, email, enabled = joined.
 */
#ifndef RENTD_AGENTS_H
#define RENTD_AGENTS_H

#include "core/core.h"
#include "store/identity/store_org.h"

/* An agent by id (uuid) or, when ref contains '@', by e-mail (case-insensitive); ERROR_NOT_FOUND. */
int agents_get(struct core *c, struct arena *a, struct str ref, struct user *out, struct error *err);

struct agent_query {
	struct str *ids;      /* uuids; n_ids 0: any */
	size_t n_ids;
	struct str email;     /* ptr NULL: any */
	int enabled;          /* -1 any, 0, 1 */
	struct str sort;      /* "_id,fullName,-email" (spotahome.md §2.7); ptr NULL: by _id */
	int64_t offset, limit;
};
/* A page of agents and the total matching; a bad sort field is ERROR_VALIDATION on "sort". */
int agents_list(struct core *c, struct arena *a, const struct agent_query *q, struct user **out, size_t *n,
		int64_t *total, struct error *err);

#endif
