/*
 * store_agent.h — agents: the operator's staff, users of kind operator (the accounts
 * dialect's /landlords/agents, spotahome.md §2.7).
 *
 * Rows are struct user (store/identity/store_org.h) with the columns an agent has: id, uuid, kind,
 * username, email, first/last name, joined, date_joined; the rest is zero. Deleted users
 * are never returned. Strings live in the caller's arena.
 */
#ifndef RENTD_STORE_AGENT_H
#define RENTD_STORE_AGENT_H

#include "store/identity/store_org.h"

/* By uuid, or by e-mail (an agent's username is its e-mail; case-insensitive). ERROR_NOT_FOUND "no such agent". */
int store_agent_get(struct store *s, struct arena *a, struct str uuid, struct user *out, struct error *err);
int store_agent_get_by_email(struct store *s, struct arena *a, struct str email, struct user *out,
			     struct error *err);

/* Sort keys of a list. */
enum agent_sort_key { AGENT_SORT_NONE, AGENT_SORT_ID, AGENT_SORT_FULL_NAME, AGENT_SORT_EMAIL, AGENT_SORT_ENABLED };
#define AGENT_SORT_MAX 4

struct store_agent_filter {
	const struct str *ids; /* uuids; NULL: any (n_ids 0 then matches nothing) */
	size_t n_ids;
	struct str email; /* case-insensitive equality; ptr NULL: any */
	int enabled;     /* -1 any, 0, 1 */
};

struct store_agent_order {
	enum agent_sort_key key[AGENT_SORT_MAX]; /* AGENT_SORT_NONE ends the list */
	bool desc[AGENT_SORT_MAX];
};

/*
 * A page of the agents matching f, ordered by o then by creation (the insertion id), and
 * the number of all matching agents. Names and e-mails sort case-insensitively (ASCII).
 */
int store_agent_list(struct store *s, struct arena *a, const struct store_agent_filter *f,
		     const struct store_agent_order *o, int64_t offset, int64_t limit, struct user **out, size_t *n,
		     int64_t *total, struct error *err);

#endif
