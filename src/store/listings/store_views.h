/*
 * store_views.h — 3D views: ordered lists of (title, url) under an apartment or a
 * project, the same rows in two tables (apartment_3d_views, project_3d_views).
 *
 * Positions are dense, 0, 1, 2 … in (position, id) order, and kept so by every write:
 * an insert or a move places the view (clamped to the end) and renumbers the rest; a
 * delete closes the gap.
 */
#ifndef RENTD_STORE_VIEWS_H
#define RENTD_STORE_VIEWS_H

#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/* Whose views: which table, and what parent_id is. */
enum view3d_owner { VIEW3D_APARTMENT, VIEW3D_PROJECT };

struct view3d {
	int64_t id;
	int64_t parent_id; /* the apartment's or the project's id */
	int64_t position;
	struct str title;
	struct str url;
};

int store_view3d_list(struct store *s, struct arena *a, enum view3d_owner o, int64_t parent_id, struct view3d **out,
		      size_t *n, struct error *err);
int store_view3d_count(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t *n, struct error *err);
/* position < 0: last. */
int store_view3d_insert(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t position, struct str title,
			struct str url, int64_t *id, struct error *err);
int store_view3d_get(struct store *s, struct arena *a, enum view3d_owner o, int64_t parent_id, int64_t id,
		     struct view3d *out, struct error *err);
/* position < 0, title/url ptr NULL: unchanged. ERROR_NOT_FOUND "no such 3D view" when there is none. */
int store_view3d_update(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t id, int64_t position,
			struct str title, struct str url, struct error *err);
int store_view3d_delete(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t id, struct error *err);

#endif
