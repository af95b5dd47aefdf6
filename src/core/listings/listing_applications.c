/* A listing's applications for its landlord (listing_applications.h). */
#include "core/listings/listing_applications.h"

#include <jansson.h>
#include <string.h>

#include "core/listings/listings.h"

int64_t listing_applications_midnight(int64_t now)
{
	int64_t day = now % 86400;
	return now - (day < 0 ? day + 86400 : day);
}

int listing_applications_stats(struct core *c, struct arena *a, const int64_t *ids, size_t n,
			       struct application_stats *current, struct application_stats *nightly, int64_t then,
			       struct error *err)
{
	struct listing_application_stats *rows;
	size_t nrows;

	for (size_t i = 0; i < n; i++) {
		current[i] = (struct application_stats){ 0 };
		if (nightly)
			nightly[i] = (struct application_stats){ 0 };
	}
	if (store_listing_application_stats(c->store, a, ids, n, nightly ? then * 1000000 : 0, &rows, &nrows, err) < 0)
		return -1;
	/* a page is small (≤ 1000 listings) and the rows fewer: no index needed */
	for (size_t r = 0; r < nrows; r++)
		for (size_t i = 0; i < n; i++)
			if (ids[i] == rows[r].listing_id) {
				current[i] = rows[r].current;
				if (nightly)
					nightly[i] = rows[r].then;
			}
	return 0;
}

static struct str json_str(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return STR_LIT("");
	return str_from_cstr(arena_strndup(a, json_string_value(v), json_string_length(v)));
}

static bool json_int(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		*out = json_integer_value(v);
	else if (json_is_real(v))
		*out = (int64_t)json_real_value(v);
	else
		return false;
	return true;
}

/*
 * The stored screening (core/market/screening.h's checks, written by the apply command).
 * It is our own data, but a row that does not hold the expected array only loses its
 * checks: the list is still answered.
 */
static void decode_checks(struct arena *a, struct str stored, struct application_check **out, size_t *n)
{
	json_t *root = json_loadb(stored.ptr ? stored.ptr : "", stored.len, 0, NULL);
	size_t count = json_is_array(root) ? json_array_size(root) : 0, k = 0;

	*out = count ? arena_alloc(a, count * sizeof(**out)) : NULL;
	for (size_t i = 0; i < count; i++) {
		json_t *o = json_array_get(root, i);
		struct application_check *ch = &(*out)[k];
		bool has_needed, has_held;
		if (!json_is_object(o))
			continue;
		memset(ch, 0, sizeof(*ch));
		ch->rule = json_str(a, o, "rule");
		ch->type = json_str(a, o, "type");
		ch->passed = json_is_true(json_object_get(o, "passed"));
		has_needed = json_int(o, "needed", &ch->needed);
		has_held = json_int(o, "held", &ch->held);
		ch->has_values = has_needed && has_held; /* both read, whichever is missing */
		ch->unit = json_str(a, o, "unit");
		ch->message = json_str(a, o, "message");
		k++;
	}
	*n = k;
	json_decref(root);
}

const char *listing_application_offer_status(const struct listing_application *p)
{
	static const char *const yes[] = { "form", "viewing", "signing", "contract_signed" };
	if (str_eq_cstr(p->state, "question"))
		return "pending";
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (str_eq_cstr(p->state, yes[i]))
			return "yes";
	return p->declined ? "no" : NULL;
}

int listing_applications_list(struct core *c, struct arena *a, const struct caller *who, int64_t listing_id,
			      const struct listing_applications_query *q, struct listing_applications_page *out,
			      struct error *err)
{
	struct listing l;
	struct listing_application *rows;
	enum application_order order;
	int rc;

	memset(out, 0, sizeof(*out));
	if (who->kind != CALLER_EMPLOYEE)
		return error_set(err, ERROR_FORBIDDEN, "PermissionDenied", "an employee token is required");
	if (store_read_begin(c->store, err) < 0)
		return -1;
	rc = listings_visible(c, a, who, listing_id, &l, err);
	if (rc == 0) {
		/* random: in order of application until the lottery draws (DECISIONS.md) */
		order = str_eq_cstr(l.f.candidate_sorting_mode, "queue_points") ? APPLICATION_ORDER_QUEUE_POINTS
										 : APPLICATION_ORDER_FIRST_COME;
		out->sorting_mode = l.f.candidate_sorting_mode;
		rc = store_listing_applications(c->store, a, listing_id, order, q->closed, q->offset, q->amount, &rows,
						&out->n, &out->total, err);
	}
	if (rc == 0)
		rc = store_process_get(c->store, a, listing_id, &out->process, &out->ranked, err);
	if (rc == 0)
		rc = listing_applications_stats(c, a, &listing_id, 1, &out->stats, NULL, 0, err);
	store_read_end(c->store);
	if (rc < 0)
		return -1;
	out->items = out->n ? arena_alloc(a, out->n * sizeof(*out->items)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		out->items[i].app = rows[i];
		decode_checks(a, rows[i].screening, &out->items[i].checks, &out->items[i].n_checks);
		out->items[i].offer_status = listing_application_offer_status(&rows[i]);
		out->items[i].reserved = out->ranked && out->process.reserved_application_id == rows[i].id;
	}
	return 0;
}
