/* Pictures and videos of apartments and estates (store_inventory.h: media links). */
#include "store/store_internal.h"
#include "store/inventory/store_inventory.h"

static const char *const kind_names[MEDIA_LINK_KIND_COUNT] = {
	[MEDIA_LINK_APARTMENT_PICTURE] = "apartment_picture",
	[MEDIA_LINK_APARTMENT_VIDEO] = "apartment_video",
	[MEDIA_LINK_ESTATE_PICTURE] = "estate_picture",
	[MEDIA_LINK_ESTATE_AREA_PICTURE] = "estate_area_picture",
};

const char *store_media_link_kind_name(enum media_link_kind kind)
{
	return kind_names[kind];
}

static bool on_apartment(enum media_link_kind kind)
{
	return kind == MEDIA_LINK_APARTMENT_PICTURE || kind == MEDIA_LINK_APARTMENT_VIDEO;
}

static const char *what(enum media_link_kind kind)
{
	return kind == MEDIA_LINK_APARTMENT_VIDEO ? "video" : "picture";
}

#define LINK_SELECT                                                                                  \
	"SELECT l.id, l.owner_id, l.position, l.caption, l.private, l.reference, COALESCE(c.key, f.key)," \
	" f.category, f.sha256, f.thumbnails_ready FROM media_links l"                                \
	" JOIN file_references r ON r.id = l.reference JOIN stored_files f ON f.id = r.stored_file_id"  \
	" LEFT JOIN stored_files c ON c.id = f.compressed_file_id"

static void read_link(struct db_stmt *st, struct arena *a, void *row)
{
	struct media_link *l = row;
	l->id = db_col_int(st, 0);
	l->owner_id = db_col_int(st, 1);
	l->position = db_col_int(st, 2);
	l->caption = col_str(st, 3, a);
	l->is_private = db_col_int(st, 4) != 0;
	l->reference = col_str(st, 5, a);
	l->key = col_str(st, 6, a);
	l->category = col_str(st, 7, a);
	l->sha256 = col_str(st, 8, a);
	l->thumbnails = db_col_int(st, 9) != 0;
}

static const char sql_list[] = LINK_SELECT " WHERE l.kind = ?1 AND l.owner_id = ?2 ORDER BY l.position, l.id";
static const char sql_list_of[] =
	LINK_SELECT " WHERE l.kind = ?1 AND l.owner_id = ANY(?2) ORDER BY l.owner_id, l.position, l.id";
static const char sql_get[] = LINK_SELECT " WHERE l.kind = ?1 AND l.owner_id = ?2 AND l.id = ?3";
static const char sql_count[] = "SELECT COUNT(*) FROM media_links WHERE kind = ?1 AND owner_id = ?2";
static const char sql_insert[] =
	"INSERT INTO media_links(kind, apartment_id, estate_id, position, caption, private, reference)"
	" VALUES (?1, ?2, ?3, (SELECT COUNT(*) FROM media_links WHERE kind = ?1 AND owner_id = COALESCE(?2, ?3)),"
	" ?4, ?5, ?6)"
	" RETURNING id";
static const char sql_caption[] = "UPDATE media_links SET caption = COALESCE(?4, caption)"
				  " WHERE kind = ?1 AND owner_id = ?2 AND id = ?3";
static const char sql_position[] = "UPDATE media_links SET position = ?2 WHERE id = ?1";
static const char sql_delete[] = "DELETE FROM media_links WHERE kind = ?1 AND owner_id = ?2 AND id = ?3";
/*
 * The ids alone, for renumbering: a link whose file row went missing still has a place.
 * store_renumber binds the owner as ?1 and the kind as ?2.
 */
static const char sql_order[] =
	"SELECT id, position FROM media_links WHERE kind = ?2 AND owner_id = ?1 ORDER BY position, id";

static void bind_owner(struct db_stmt *st, enum media_link_kind kind, int64_t owner_id)
{
	db_bind_text(st, 1, str_from_cstr(kind_names[kind]));
	db_bind_int(st, 2, owner_id);
}

int store_media_link_list(struct store *s, struct arena *a, enum media_link_kind kind, int64_t owner_id,
			  struct media_link **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);
	*n = 0;
	if (!st)
		return -1;
	bind_owner(st, kind, owner_id);
	return stmt_collect(st, a, sizeof(**out), read_link, (void **)out, n, err);
}

int store_media_link_list_of(struct store *s, struct arena *a, enum media_link_kind kind, const int64_t *owner_ids,
			     size_t nowners, struct media_link **out, size_t *n, struct error *err)
{
	struct db_stmt *st;
	*out = NULL;
	*n = 0;
	if (nowners == 0)
		return 0;
	st = store_stmt(s, sql_list_of, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(kind_names[kind]));
	db_bind_int_array(st, 2, owner_ids, nowners);
	return stmt_collect(st, a, sizeof(**out), read_link, (void **)out, n, err);
}

int store_media_link_count(struct store *s, enum media_link_kind kind, int64_t owner_id, int64_t *n,
			   struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_count, err);
	int rc;
	*n = 0;
	if (!st)
		return -1;
	bind_owner(st, kind, owner_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

int store_media_link_insert(struct store *s, enum media_link_kind kind, int64_t owner_id, struct str caption,
			    bool is_private, struct str reference, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(kind_names[kind]));
	if (on_apartment(kind)) {
		db_bind_int(st, 2, owner_id);
		db_bind_null(st, 3);
	} else {
		db_bind_null(st, 2);
		db_bind_int(st, 3, owner_id);
	}
	db_bind_text(st, 4, caption.ptr ? caption : STR_LIT(""));
	db_bind_int(st, 5, is_private);
	db_bind_text(st, 6, reference);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

int store_media_link_get(struct store *s, struct arena *a, enum media_link_kind kind, int64_t owner_id, int64_t id,
			 struct media_link *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	bind_owner(st, kind, owner_id);
	db_bind_int(st, 3, id);
	return stmt_one(st, a, read_link, out, what(kind), err);
}

/*
 * Renumbers the list (store_renumber, the one helper of every ordered child list), with
 * link `moved` (0: none) placed at `position` (clamped to the end; < 0: where it is).
 */
static int renumber(struct store *s, enum media_link_kind kind, int64_t owner_id, int64_t moved, int64_t position,
		    struct error *err)
{
	return store_renumber(s, sql_order, sql_position, owner_id, str_from_cstr(kind_names[kind]), moved, position,
			      err);
}

int store_media_link_update(struct store *s, enum media_link_kind kind, int64_t owner_id, int64_t id,
			    struct str caption, int64_t position, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_caption, err);
	if (!st)
		return -1;
	bind_owner(st, kind, owner_id);
	db_bind_int(st, 3, id);
	db_bind_text(st, 4, caption);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such %s", what(kind));
	return position >= 0 ? renumber(s, kind, owner_id, id, position, err) : 0;
}

int store_media_link_delete(struct store *s, enum media_link_kind kind, int64_t owner_id, int64_t id,
			    struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	bind_owner(st, kind, owner_id);
	db_bind_int(st, 3, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such %s", what(kind));
	return renumber(s, kind, owner_id, 0, -1, err);
}
