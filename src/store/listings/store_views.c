/*
 * store_views.c — 3D views of apartments and projects (store_views.h), and the one
 * renumbering of ordered child lists (store_internal.h) that they, project media and the
 * pictures and videos of apartments and estates use.
 */
#include "store/store_internal.h"
#include "store/listings/store_views.h"

struct slot {
	int64_t id;
	int64_t position;
};

static void read_slot(struct db_stmt *st, struct arena *a, void *row)
{
	struct slot *o = row;
	(void)a;
	o->id = db_col_int(st, 0);
	o->position = db_col_int(st, 1);
}

int store_renumber(struct store *s, const char *order_sql, const char *set_sql, int64_t parent_id, struct str kind,
		   int64_t moved, int64_t position, struct error *err)
{
	struct db_stmt *st = store_stmt(s, order_sql, err);
	struct slot *list;
	size_t n, next = 0;
	int64_t *order;

	if (!st)
		return -1;
	db_bind_int(st, 1, parent_id);
	if (kind.ptr)
		db_bind_text(st, 2, kind);
	if (stmt_collect(st, err->arena, sizeof(*list), read_slot, (void **)&list, &n, err) < 0)
		return -1;
	order = arena_alloc(err->arena, (n + 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		if (list[i].id != moved || position < 0)
			order[next++] = list[i].id;
	if (moved && position >= 0 && next < n) {
		size_t at = (size_t)position < next ? (size_t)position : next;
		for (size_t i = next; i > at; i--)
			order[i] = order[i - 1];
		order[at] = moved;
		next++;
	}
	for (size_t i = 0; i < next; i++) {
		if (list[i].id == order[i] && list[i].position == (int64_t)i)
			continue;
		st = store_stmt(s, set_sql, err);
		if (!st)
			return -1;
		db_bind_int(st, 1, order[i]);
		db_bind_int(st, 2, (int64_t)i);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- 3D views ---- */

/* One owner's statements: the same row shape in its own table. */
struct view_sql {
	const char *list, *get, *count, *insert, *update, *position, *del, *order;
};

#define VIEW_SQL(table, parent)                                                                               \
	{                                                                                                     \
		.list = "SELECT id, " parent ", position, title, url FROM " table " WHERE " parent " = ?1"      \
			" ORDER BY position, id",                                                             \
		.get = "SELECT id, " parent ", position, title, url FROM " table " WHERE " parent " = ?1"       \
		       " AND id = ?2",                                                                        \
		.count = "SELECT COUNT(*) FROM " table " WHERE " parent " = ?1",                              \
		.insert = "INSERT INTO " table "(" parent ", position, title, url) VALUES (?1, ?2, ?3, ?4)" \
			  " RETURNING id",                                                                      \
		.update = "UPDATE " table " SET title = COALESCE(?3, title), url = COALESCE(?4, url)"         \
			  " WHERE " parent " = ?1 AND id = ?2",                                               \
		.position = "UPDATE " table " SET position = ?2 WHERE id = ?1",                               \
		.del = "DELETE FROM " table " WHERE " parent " = ?1 AND id = ?2",                             \
		.order = "SELECT id, position FROM " table " WHERE " parent " = ?1 ORDER BY position, id",    \
	}

static const struct view_sql view_sql[] = {
	[VIEW3D_APARTMENT] = VIEW_SQL("apartment_3d_views", "apartment_id"),
	[VIEW3D_PROJECT] = VIEW_SQL("project_3d_views", "project_id"),
};

static void read_view(struct db_stmt *st, struct arena *a, void *row)
{
	struct view3d *v = row;
	v->id = db_col_int(st, 0);
	v->parent_id = db_col_int(st, 1);
	v->position = db_col_int(st, 2);
	v->title = col_str(st, 3, a);
	v->url = col_str(st, 4, a);
}

/* Binds (parent ?1, id ?2) of one view. */
static struct db_stmt *view_stmt(struct store *s, const char *sql, int64_t parent_id, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return NULL;
	db_bind_int(st, 1, parent_id);
	db_bind_int(st, 2, id);
	return st;
}

static int renumber(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t moved, int64_t position,
		    struct error *err)
{
	return store_renumber(s, view_sql[o].order, view_sql[o].position, parent_id, STR_NULL, moved, position, err);
}

int store_view3d_list(struct store *s, struct arena *a, enum view3d_owner o, int64_t parent_id, struct view3d **out,
		      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, view_sql[o].list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, parent_id);
	return stmt_collect(st, a, sizeof(**out), read_view, (void **)out, n, err);
}

int store_view3d_count(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, view_sql[o].count, err);
	int rc;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, parent_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

int store_view3d_insert(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t position, struct str title,
			struct str url, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, view_sql[o].insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, parent_id);
	db_bind_int(st, 2, INT32_MAX); /* last until renumbered */
	db_bind_text(st, 3, title.ptr ? title : STR_LIT(""));
	db_bind_text(st, 4, url);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return renumber(s, o, parent_id, *id, position, err);
}

int store_view3d_get(struct store *s, struct arena *a, enum view3d_owner o, int64_t parent_id, int64_t id,
		     struct view3d *out, struct error *err)
{
	struct db_stmt *st = view_stmt(s, view_sql[o].get, parent_id, id, err);
	if (!st)
		return -1;
	return stmt_one(st, a, read_view, out, "3D view", err);
}

int store_view3d_update(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t id, int64_t position,
			struct str title, struct str url, struct error *err)
{
	struct db_stmt *st = view_stmt(s, view_sql[o].update, parent_id, id, err);
	if (!st)
		return -1;
	db_bind_text(st, 3, title);
	db_bind_text(st, 4, url);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such 3D view");
	return position >= 0 ? renumber(s, o, parent_id, id, position, err) : 0;
}

int store_view3d_delete(struct store *s, enum view3d_owner o, int64_t parent_id, int64_t id, struct error *err)
{
	struct db_stmt *st = view_stmt(s, view_sql[o].del, parent_id, id, err);
	if (!st)
		return -1;
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such 3D view");
	return renumber(s, o, parent_id, 0, -1, err);
}
