/*
 * agents.c — the operator's staff as the accounts dialect sees them (core/accounts/agents.h):
 * lookup by id or e-mail, and the filtered, sorted, paged list of spotahome.md §2.7.
 */
#include "core/accounts/agents.h"

#include <string.h>

#include "store/accounts/store_agent.h"

int agents_get(struct core *c, struct arena *a, struct str ref, struct user *out, struct error *err)
{
	ref = str_trim(ref);
	if (!ref.len)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such agent");
	if (memchr(ref.ptr, '@', ref.len))
		return store_agent_get_by_email(c->store, a, ref, out, err);
	return store_agent_get(c->store, a, ref, out, err);
}

static const struct {
	const char *name;
	enum agent_sort_key key;
} sort_fields[] = {
	{ "_id", AGENT_SORT_ID },
	{ "fullName", AGENT_SORT_FULL_NAME },
	{ "email", AGENT_SORT_EMAIL },
	{ "enabled", AGENT_SORT_ENABLED },
};

/* One sort term: "fullName" ascending, "-fullName" descending (a "+" prefix is ascending too). */
static int sort_term(struct str term, struct store_agent_order *o, int *nkeys, struct error *err)
{
	bool desc = false;
	enum agent_sort_key key = AGENT_SORT_NONE;

	if (term.len && (term.ptr[0] == '-' || term.ptr[0] == '+')) {
		desc = term.ptr[0] == '-';
		term.ptr++;
		term.len--;
	}
	for (size_t i = 0; i < sizeof(sort_fields) / sizeof(sort_fields[0]); i++)
		if (str_eq_cstr(term, sort_fields[i].name))
			key = sort_fields[i].key;
	if (key == AGENT_SORT_NONE)
		return error_field(err, "sort", RULE_ENUM,
				   "unknown sort field '%.*s' (one of _id, fullName, email, enabled, '-' for descending)",
				   (int)(term.len > 64 ? 64 : term.len), term.ptr);
	for (int i = 0; i < *nkeys; i++)
		if (o->key[i] == key)
			return error_field(err, "sort", RULE_UNIQUE, "the field '%.*s' is given twice",
					   (int)(term.len > 64 ? 64 : term.len), term.ptr);
	o->key[*nkeys] = key;
	o->desc[*nkeys] = desc;
	(*nkeys)++;
	return 0;
}

/* "_id,fullName,-email" (spotahome.md §2.7); empty: by _id. */
static int parse_sort(struct str sort, struct store_agent_order *o, struct error *err)
{
	int nkeys = 0;

	memset(o, 0, sizeof(*o));
	while (sort.len) {
		const char *comma = memchr(sort.ptr, ',', sort.len);
		size_t len = comma ? (size_t)(comma - sort.ptr) : sort.len;
		struct str term = str_trim((struct str){ sort.ptr, len });

		if (term.len && sort_term(term, o, &nkeys, err) < 0)
			return -1;
		sort.ptr += comma ? len + 1 : len;
		sort.len -= comma ? len + 1 : len;
	}
	if (nkeys == 0)
		o->key[0] = AGENT_SORT_ID;
	return 0;
}

/* The ids for the store's membership test; an empty id or one with a comma is no uuid and is left out. */
static const struct str *ids_array(struct arena *a, const struct str *ids, size_t n, size_t *kept)
{
	struct str *out = arena_alloc(a, (n + 1) * sizeof(*out));

	*kept = 0;
	for (size_t i = 0; i < n; i++)
		if (ids[i].len && !memchr(ids[i].ptr, ',', ids[i].len))
			out[(*kept)++] = ids[i];
	return out;
}

int agents_list(struct core *c, struct arena *a, const struct agent_query *q, struct user **out, size_t *n,
		int64_t *total, struct error *err)
{
	struct store_agent_filter f;
	struct store_agent_order o;

	*out = NULL;
	*n = 0;
	*total = 0;
	if (parse_sort(q->sort.ptr ? q->sort : STR_LIT(""), &o, err) < 0)
		return -1;
	memset(&f, 0, sizeof(f));
	f.ids = q->n_ids ? ids_array(a, q->ids, q->n_ids, &f.n_ids) : NULL;
	f.email = q->email.ptr ? str_trim(q->email) : STR_NULL;
	f.enabled = q->enabled < 0 ? -1 : q->enabled != 0;
	return store_agent_list(c->store, a, &f, &o, q->offset, q->limit, out, n, total, err);
}
