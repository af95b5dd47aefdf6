/*
 * views3d.c — the rules of 3D views (views3d.h), for apartments and projects alike.
 */
#include "core/listings/views3d.h"

#include "core/transaction.h"

int views3d_list(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		 int64_t parent_id, struct view3d **out, size_t *n, struct error *err)
{
	*n = 0;
	if (caller_require_right(who, o->right, err) < 0 || o->visible(c, a, who, parent_id, err) < 0)
		return -1;
	return store_view3d_list(c->store, a, o->table, parent_id, out, n, err);
}

static int create_rows(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		       int64_t parent_id, int64_t position, struct str title, struct str url, int64_t *id,
		       struct error *err)
{
	int64_t count;

	if (o->visible(c, a, who, parent_id, err) < 0 ||
	    store_view3d_count(c->store, o->table, parent_id, &count, err) < 0)
		return -1;
	if (count >= o->max)
		return error_set(err, ERROR_CONFLICT, "TooMany3dViews", "%s has at most %d 3D views.", o->noun,
				 o->max);
	return store_view3d_insert(c->store, o->table, parent_id, position, title, url, id, err);
}

int views3d_create(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		   int64_t parent_id, int64_t position, struct str title, struct str url, int64_t *id,
		   struct error *err)
{
	if (caller_require_right(who, o->right, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, create_rows(c, a, who, o, parent_id, position, title, url, id, err));
	return 0;
}

/* remove: delete the view, else update it. */
static int write_rows(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		      int64_t parent_id, int64_t id, int64_t position, struct str title, struct str url, bool remove,
		      struct error *err)
{
	if (o->visible(c, a, who, parent_id, err) < 0)
		return -1;
	return remove ? store_view3d_delete(c->store, o->table, parent_id, id, err)
		      : store_view3d_update(c->store, o->table, parent_id, id, position, title, url, err);
}

int views3d_update(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		   int64_t parent_id, int64_t id, int64_t position, struct str title, struct str url,
		   struct view3d *out, struct error *err)
{
	if (caller_require_right(who, o->right, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, write_rows(c, a, who, o, parent_id, id, position, title, url, false, err));
	return store_view3d_get(c->store, a, o->table, parent_id, id, out, err);
}

int views3d_delete(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		   int64_t parent_id, int64_t id, struct error *err)
{
	if (caller_require_right(who, o->right, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, write_rows(c, a, who, o, parent_id, id, -1, STR_NULL, STR_NULL, true, err));
	return 0;
}
