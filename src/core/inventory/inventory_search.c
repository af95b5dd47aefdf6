/* The inventory search's rules: scope and the filters (inventory_search.h). */
#include "core/inventory/inventory_search.h"

#include <string.h>

#include "core/listings/listing_applications.h"

const char *const inventory_listing_statuses[] = { "closing",  "approved", "active",   "rented",
						   "draft",    "deleted",  "reserved", "paused",
						   "rejected", "publishing", NULL };

int inventory_search(struct core *c, struct arena *a, const struct caller *who, const struct inventory_query *q,
		     struct inventory_page *out, struct error *err)
{
	struct inventory_filter f = { 0 };
	struct str root = who->user.root_office_path, selected = who->user.selected_office_path;

	int64_t *ids;

	memset(out, 0, sizeof(*out));
	if (who->kind != CALLER_EMPLOYEE)
		return error_set(err, ERROR_FORBIDDEN, "PermissionDenied", "an employee token is required");
	f.company_id = who->user.company_id;
	f.office_path = root;
	if (!q->use_root_office && selected.len && str_has_prefix(selected, root))
		f.office_path = selected;
	f.types = q->types ? q->types : INVENTORY_ESTATE | INVENTORY_APARTMENT | INVENTORY_OBJECT_AD;
	/* only listing documents carry a project, an assigned employee or a status */
	if (q->project_id || q->employee_id || q->statuses)
		f.types &= INVENTORY_OBJECT_AD;
	f.project_id = q->project_id;
	f.employee_id = q->employee_id;
	f.statuses = q->statuses;
	f.exclude_projects = q->exclude_projects;
	f.estate_id = q->estate_id;
	f.estate_external_id = q->estate_external_id;
	f.apartment_id = q->apartment_id;
	f.apartment_external_id = q->apartment_external_id;
	if (store_inventory_search(c->store, a, &f, q->offset, q->amount, &out->items, &out->n, &out->total, err) < 0)
		return -1;
	/* the documents' images: a page is small (amount ≤ 1000), one indexed read per entity */
	for (size_t i = 0; i < out->n; i++) {
		struct inventory_item *it = &out->items[i];
		if (store_media_link_list(c->store, a, MEDIA_LINK_ESTATE_PICTURE, it->estate->id, &it->estate_images,
					  &it->n_estate_images, err) < 0)
			return -1;
		if (it->apartment &&
		    store_media_link_list(c->store, a, MEDIA_LINK_APARTMENT_PICTURE, it->apartment->id,
					  &it->apartment_images, &it->n_apartment_images, err) < 0)
			return -1;
	}
	/* the listings' application counts: one grouped statement for the page (0 for an item without a listing) */
	ids = arena_alloc(a, (out->n ? out->n : 1) * sizeof(*ids));
	for (size_t i = 0; i < out->n; i++)
		ids[i] = out->items[i].listing ? out->items[i].listing->id : 0;
	out->current_stats = arena_alloc(a, (out->n ? out->n : 1) * sizeof(*out->current_stats));
	out->nightly_stats = arena_alloc(a, (out->n ? out->n : 1) * sizeof(*out->nightly_stats));
	out->midnight = listing_applications_midnight(core_now());
	return listing_applications_stats(c, a, ids, out->n, out->current_stats, out->nightly_stats, out->midnight,
					  err);
}
