/*
 * The sub-resources of a project (store_projects.h): pictures and videos, 3D views,
 * freetext entries, timeline entries and the location.
 */
#include "store/store_internal.h"
#include "store/listings/store_projects.h"

static const char *const kind_names[PROJECT_MEDIA_KIND_COUNT] = {
	[PROJECT_MEDIA_IMAGE] = "project_image",
	[PROJECT_MEDIA_AREA_IMAGE] = "project_area_image",
	[PROJECT_MEDIA_VIDEO] = "project_video",
	[PROJECT_MEDIA_AREA_VIDEO] = "project_area_video",
};

const char *store_project_media_kind_name(enum project_media_kind kind)
{
	return kind_names[kind];
}

static enum project_media_kind kind_of(struct str name)
{
	for (int i = 0; i < PROJECT_MEDIA_KIND_COUNT; i++)
		if (str_eq_cstr(name, kind_names[i]))
			return (enum project_media_kind)i;
	return PROJECT_MEDIA_IMAGE;
}

static int count_of(struct store *s, const char *sql, int64_t project_id, struct str kind, int64_t *n,
		    struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	int rc;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	if (kind.ptr)
		db_bind_text(st, 2, kind);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

/* Deletes the row (project_id ?1, id ?2) with sql; ERROR_NOT_FOUND naming what when none. */
static int delete_one(struct store *s, const char *sql, int64_t project_id, int64_t id, const char *what,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such %s", what);
	return 0;
}

/* ---- pictures and videos ---- */

#define MEDIA_SELECT                                                                                         \
	"SELECT m.id, m.project_id, m.kind, m.position, m.caption, m.reference, COALESCE(c.key, f.key),"      \
	" f.category, f.sha256, f.thumbnails_ready FROM project_media m"                                    \
	" JOIN file_references r ON r.id = m.reference JOIN stored_files f ON f.id = r.stored_file_id"        \
	" LEFT JOIN stored_files c ON c.id = f.compressed_file_id"

static void read_media(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_media *m = row;
	m->id = db_col_int(st, 0);
	m->project_id = db_col_int(st, 1);
	m->kind = kind_of(db_col_text(st, 2));
	m->position = db_col_int(st, 3);
	m->caption = col_str(st, 4, a);
	m->reference = col_str(st, 5, a);
	m->key = col_str(st, 6, a);
	m->category = col_str(st, 7, a);
	m->sha256 = col_str(st, 8, a);
	m->thumbnails = db_col_int(st, 9) != 0;
}

/* ?2 is a bit mask of kinds: the kind's bit is 1 << its index in kind_names. */
#define KIND_IN_MASK                                                                                  \
	" (CASE m.kind WHEN 'project_image' THEN 1 WHEN 'project_area_image' THEN 2 WHEN 'project_video'" \
	" THEN 4 ELSE 8 END) & ?2 <> 0"

static const char sql_media_list[] =
	MEDIA_SELECT " WHERE m.project_id = ?1 AND" KIND_IN_MASK
		     " ORDER BY CASE m.kind WHEN 'project_image' THEN 0 WHEN 'project_area_image' THEN 1"
		     " WHEN 'project_video' THEN 2 ELSE 3 END, m.position, m.id";
static const char sql_media_get[] = MEDIA_SELECT " WHERE m.project_id = ?1 AND" KIND_IN_MASK " AND m.id = ?3";
static const char sql_media_count[] = "SELECT COUNT(*) FROM project_media WHERE project_id = ?1 AND kind = ?2";
static const char sql_media_insert[] =
	"INSERT INTO project_media(project_id, kind, position, caption, reference) VALUES (?1, ?2,"
	" (SELECT COUNT(*) FROM project_media WHERE project_id = ?1 AND kind = ?2), ?3, ?4)"
	" RETURNING id";
static const char sql_media_kind[] = "SELECT kind FROM project_media WHERE project_id = ?1 AND id = ?2";
static const char sql_media_caption[] =
	"UPDATE project_media SET caption = COALESCE(?3, caption) WHERE project_id = ?1 AND id = ?2";
static const char sql_media_position[] = "UPDATE project_media SET position = ?2 WHERE id = ?1";
static const char sql_media_delete[] = "DELETE FROM project_media WHERE project_id = ?1 AND id = ?2";
/* the ids alone, for renumbering: an item whose file row went missing still has a place */
static const char sql_media_order[] =
	"SELECT id, position FROM project_media WHERE project_id = ?1 AND kind = ?2 ORDER BY position, id";

_Static_assert(PROJECT_MEDIA_KIND_COUNT == 4, "KIND_IN_MASK knows four kinds");

int store_project_media_list(struct store *s, struct arena *a, int64_t project_id, unsigned mask,
			     struct project_media **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_media_list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, mask);
	return stmt_collect(st, a, sizeof(**out), read_media, (void **)out, n, err);
}

int store_project_media_count(struct store *s, int64_t project_id, enum project_media_kind kind, int64_t *n,
			      struct error *err)
{
	return count_of(s, sql_media_count, project_id, str_from_cstr(kind_names[kind]), n, err);
}

int store_project_media_insert(struct store *s, int64_t project_id, enum project_media_kind kind, struct str caption,
			       struct str reference, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_media_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_text(st, 2, str_from_cstr(kind_names[kind]));
	db_bind_text(st, 3, caption.ptr ? caption : STR_LIT(""));
	db_bind_text(st, 4, reference);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

int store_project_media_get(struct store *s, struct arena *a, int64_t project_id, unsigned mask, int64_t id,
			    struct project_media *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_media_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, mask);
	db_bind_int(st, 3, id);
	return stmt_one(st, a, read_media, out, mask & 3u ? "picture" : "video", err);
}

/* The kind of item id, for renumbering its list; ptr NULL when there is no such item. */
static int media_kind(struct store *s, struct arena *a, int64_t project_id, int64_t id, struct str *kind,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_media_kind, err);
	int rc;
	*kind = STR_NULL;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*kind = col_str(st, 0, a);
	db_reset(st);
	return 0;
}

int store_project_media_update(struct store *s, int64_t project_id, int64_t id, struct str caption, int64_t position,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_media_caption, err);
	struct str kind;

	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, caption);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such picture or video");
	if (position < 0)
		return 0;
	if (media_kind(s, err->arena, project_id, id, &kind, err) < 0)
		return -1;
	return store_renumber(s, sql_media_order, sql_media_position, project_id, kind, id, position, err);
}

int store_project_media_delete(struct store *s, int64_t project_id, int64_t id, struct error *err)
{
	struct str kind;

	if (media_kind(s, err->arena, project_id, id, &kind, err) < 0)
		return -1;
	if (delete_one(s, sql_media_delete, project_id, id, "picture or video", err) < 0)
		return -1;
	return store_renumber(s, sql_media_order, sql_media_position, project_id, kind, 0, -1, err);
}

/* ---- freetext and timeline entries ---- */

/* A list's statements; column 2 of a row (and ?2 of insert, ?3 of update) is its key. */
struct entry_sql {
	const char *list, *get, *count, *insert, *update, *del;
	const char *what; /* "freetext entry": in "no such …" */
	bool dated;       /* the key is the date (text), else the position */
};

static const struct entry_sql entry_sql[] = {
	[PROJECT_FREETEXT] = {
		.list = "SELECT id, project_id, position, NULL, title, description FROM project_freetext"
			" WHERE project_id = ?1 ORDER BY position, id",
		.get = "SELECT id, project_id, position, NULL, title, description FROM project_freetext"
		       " WHERE project_id = ?1 AND id = ?2",
		.count = "SELECT COUNT(*) FROM project_freetext WHERE project_id = ?1",
		.insert = "INSERT INTO project_freetext(project_id, position, title, description)"
			  " VALUES (?1, ?2, ?3, ?4) RETURNING id",
		.update = "UPDATE project_freetext SET position = ?3, title = ?4, description = ?5"
			  " WHERE project_id = ?1 AND id = ?2",
		.del = "DELETE FROM project_freetext WHERE project_id = ?1 AND id = ?2",
		.what = "freetext entry",
		.dated = false,
	},
	[PROJECT_TIMELINE] = {
		.list = "SELECT id, project_id, -1, date, title, description FROM project_timeline"
			" WHERE project_id = ?1 ORDER BY date, id",
		.get = "SELECT id, project_id, -1, date, title, description FROM project_timeline"
		       " WHERE project_id = ?1 AND id = ?2",
		.count = "SELECT COUNT(*) FROM project_timeline WHERE project_id = ?1",
		.insert = "INSERT INTO project_timeline(project_id, date, title, description)"
			  " VALUES (?1, ?2, ?3, ?4) RETURNING id",
		.update = "UPDATE project_timeline SET date = ?3, title = ?4, description = ?5"
			  " WHERE project_id = ?1 AND id = ?2",
		.del = "DELETE FROM project_timeline WHERE project_id = ?1 AND id = ?2",
		.what = "timeline entry",
		.dated = true,
	},
};

static void read_entry(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_entry *e = row;
	e->id = db_col_int(st, 0);
	e->project_id = db_col_int(st, 1);
	e->position = db_col_int(st, 2);
	e->date = col_str(st, 3, a);
	e->title = col_str(st, 4, a);
	e->description = col_str(st, 5, a);
}

/* Binds e's key, title and description from parameter first on. */
static void bind_entry(struct db_stmt *st, const struct entry_sql *q, int first, const struct project_entry *e)
{
	if (q->dated)
		db_bind_text(st, first, e->date);
	else
		db_bind_int(st, first, e->position);
	db_bind_text(st, first + 1, e->title);
	db_bind_text(st, first + 2, e->description);
}

int store_project_entry_list(struct store *s, struct arena *a, enum project_entry_list l, int64_t project_id,
			     struct project_entry **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, entry_sql[l].list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	return stmt_collect(st, a, sizeof(**out), read_entry, (void **)out, n, err);
}

int store_project_entry_count(struct store *s, enum project_entry_list l, int64_t project_id, int64_t *n,
			      struct error *err)
{
	return count_of(s, entry_sql[l].count, project_id, STR_NULL, n, err);
}

int store_project_entry_insert(struct store *s, enum project_entry_list l, int64_t project_id,
			       const struct project_entry *e, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, entry_sql[l].insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	bind_entry(st, &entry_sql[l], 2, e);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

int store_project_entry_get(struct store *s, struct arena *a, enum project_entry_list l, int64_t project_id,
			    int64_t id, struct project_entry *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, entry_sql[l].get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_int(st, 2, id);
	return stmt_one(st, a, read_entry, out, entry_sql[l].what, err);
}

int store_project_entry_update(struct store *s, enum project_entry_list l, const struct project_entry *e,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, entry_sql[l].update, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, e->project_id);
	db_bind_int(st, 2, e->id);
	bind_entry(st, &entry_sql[l], 3, e);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such %s", entry_sql[l].what);
	return 0;
}

int store_project_entry_delete(struct store *s, enum project_entry_list l, int64_t project_id, int64_t id,
			       struct error *err)
{
	return delete_one(s, entry_sql[l].del, project_id, id, entry_sql[l].what, err);
}

/* ---- location ---- */

static void read_location(struct db_stmt *st, struct arena *a, void *row)
{
	struct project_location *l = row;
	l->city = col_str(st, 0, a);
	l->latitude = db_col_double(st, 1);
	l->longitude = db_col_double(st, 2);
	l->street = col_str(st, 3, a);
	l->street_number = col_str(st, 4, a);
	l->zip_code = col_str(st, 5, a);
}

static const char sql_location_get[] = "SELECT city, latitude, longitude, street, street_number, zip_code"
				       " FROM project_locations WHERE project_id = ?1";
static const char sql_location_put[] =
	"INSERT INTO project_locations(project_id, city, latitude, longitude, street, street_number, zip_code)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(project_id) DO UPDATE SET city = excluded.city,"
	" latitude = excluded.latitude, longitude = excluded.longitude, street = excluded.street,"
	" street_number = excluded.street_number, zip_code = excluded.zip_code";

int store_project_location_get(struct store *s, struct arena *a, int64_t project_id, struct project_location *out,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_location_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	return stmt_one(st, a, read_location, out, "location", err);
}

int store_project_location_put(struct store *s, int64_t project_id, const struct project_location *l,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_location_put, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	db_bind_text(st, 2, l->city);
	db_bind_double(st, 3, l->latitude);
	db_bind_double(st, 4, l->longitude);
	db_bind_text(st, 5, l->street.ptr ? l->street : STR_LIT(""));
	db_bind_text(st, 6, l->street_number.ptr ? l->street_number : STR_LIT(""));
	db_bind_text(st, 7, l->zip_code.ptr ? l->zip_code : STR_LIT(""));
	return stmt_exec(st, err);
}
