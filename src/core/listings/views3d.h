/*
 * views3d.h — the rules of 3D views, one set for every owner (apartments, projects).
 *
 * An owner says which table holds its views (store/listings/store_views.h), the right every
 * operation needs (ERROR_FORBIDDEN without it), how a caller sees the parent (its
 * ERROR_NOT_FOUND otherwise) and how many views a parent may have (ERROR_CONFLICT
 * "TooMany3dViews" beyond). Writes run in one transaction.
 */
#ifndef RENTD_VIEWS3D_H
#define RENTD_VIEWS3D_H

#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/identity/auth.h"
#include "core/core.h"
#include "store/listings/store_views.h"

struct views3d_owner {
	enum view3d_owner table;
	const char *right;
	/* The parent exists and the caller sees it; the owner's ERROR_NOT_FOUND otherwise. */
	int (*visible)(struct core *c, struct arena *a, const struct caller *who, int64_t parent_id,
		       struct error *err);
	int max;
	const char *noun; /* "An apartment": in "An apartment has at most 100 3D views." */
};

int views3d_list(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		 int64_t parent_id, struct view3d **out, size_t *n, struct error *err);
/* position < 0: last. */
int views3d_create(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		   int64_t parent_id, int64_t position, struct str title, struct str url, int64_t *id,
		   struct error *err);
/* position < 0, title/url ptr NULL: unchanged. out: the view as stored after the change. */
int views3d_update(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		   int64_t parent_id, int64_t id, int64_t position, struct str title, struct str url,
		   struct view3d *out, struct error *err);
int views3d_delete(struct core *c, struct arena *a, const struct caller *who, const struct views3d_owner *o,
		   int64_t parent_id, int64_t id, struct error *err);

#endif
