/* Stored files and file references (store_media.h); the job queue is store_jobs.c. */
#include "store/media/store_media.h"

#include "store/store_internal.h"

#define STORED_COLUMNS "id, key, category, sha256, md5, size, mime_type, thumbnails_ready, COALESCE(compressed_file_id, 0)"

static void read_stored(struct db_stmt *st, struct arena *a, void *row)
{
	struct stored_file *f = row;
	f->id = db_col_int(st, 0);
	f->key = col_str(st, 1, a);
	f->category = col_str(st, 2, a);
	f->sha256 = col_str(st, 3, a);
	f->md5 = col_str(st, 4, a);
	f->size = db_col_int(st, 5);
	f->mime_type = col_str(st, 6, a);
	f->thumbnails_ready = db_col_int(st, 7) != 0;
	f->compressed_file_id = db_col_int(st, 8);
}

/* One row or none: 1 / 0 / -1. */
static int stored_maybe(struct db_stmt *st, struct arena *a, struct stored_file *out, struct error *err)
{
	int rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	read_stored(st, a, out);
	db_reset(st);
	return 1;
}

/*
 * Only files the owner holds an uploaded reference to: the same bytes uploaded by
 * someone else stay invisible, so a digest and a length alone prove nothing.
 */
static const char sql_stored_find[] =
	"SELECT " STORED_COLUMNS " FROM stored_files WHERE md5 = ?1 AND size = ?2 AND category = ?3"
	" AND EXISTS (SELECT 1 FROM file_references r WHERE r.stored_file_id = stored_files.id"
	" AND r.state = 'uploaded' AND (r.company_id = ?4 OR (?4 = 0 AND r.company_id IS NULL AND r.user_id = ?5)))"
	" ORDER BY id LIMIT 1";

int store_stored_file_find(struct store *s, struct arena *a, struct str md5, int64_t size, struct str category,
			   int64_t company_id, int64_t user_id, struct stored_file *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_stored_find, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, md5);
	db_bind_int(st, 2, size);
	db_bind_text(st, 3, category);
	db_bind_int(st, 4, company_id);
	db_bind_int(st, 5, user_id);
	return stored_maybe(st, a, out, err);
}

static const char sql_stored_by_key[] = "SELECT " STORED_COLUMNS " FROM stored_files WHERE key = ?1";

int store_stored_file_by_key(struct store *s, struct arena *a, struct str key, struct stored_file *out,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_stored_by_key, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	return stored_maybe(st, a, out, err);
}

static const char sql_stored_get[] = "SELECT " STORED_COLUMNS " FROM stored_files WHERE id = ?1";

int store_stored_file_get(struct store *s, struct arena *a, int64_t id, struct stored_file *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_stored_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_one(st, a, read_stored, out, "stored file", err);
}

static const char sql_stored_insert[] =
	"INSERT INTO stored_files(key, category, sha256, md5, size, mime_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" RETURNING id";

int store_stored_file_insert(struct store *s, const struct stored_file *f, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_stored_insert, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, f->key);
	db_bind_text(st, 2, f->category);
	db_bind_text(st, 3, f->sha256);
	db_bind_text(st, 4, f->md5);
	db_bind_int(st, 5, f->size);
	db_bind_text(st, 6, f->mime_type);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_stored_thumbs[] = "UPDATE stored_files SET thumbnails_ready = 1 WHERE id = ?1";

int store_stored_file_set_thumbnails_ready(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_stored_thumbs, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_exec(st, err);
}

static const char sql_stored_compressed[] = "UPDATE stored_files SET compressed_file_id = ?2 WHERE id = ?1";

int store_stored_file_set_compressed(struct store *s, int64_t id, int64_t compressed_file_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_stored_compressed, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, compressed_file_id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such stored file");
	return 0;
}

static const char sql_ref_insert[] =
	"INSERT INTO file_references(id, company_id, user_id, entity_type, mime_type, content_length, content_md5,"
	" content_name, state, stored_file_id, expires_at, uploaded_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	" CASE WHEN ?9 = 'uploaded' THEN ?12 END)";

int store_file_reference_insert(struct store *s, const struct file_reference *r, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_ref_insert, err);
	if (!st)
		return -1;
	store_bind_now(st, 12);
	db_bind_text(st, 1, r->id);
	if (r->company_id)
		db_bind_int(st, 2, r->company_id);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, r->user_id);
	db_bind_text(st, 4, r->entity_type);
	db_bind_text(st, 5, r->mime_type);
	db_bind_int(st, 6, r->content_length);
	db_bind_text(st, 7, r->content_md5);
	db_bind_text(st, 8, r->content_name.ptr ? r->content_name : STR_LIT(""));
	db_bind_text(st, 9, r->state);
	if (r->stored_file_id)
		db_bind_int(st, 10, r->stored_file_id);
	else
		db_bind_null(st, 10);
	db_bind_int(st, 11, r->expires_at);
	return stmt_exec(st, err);
}

static void read_ref(struct db_stmt *st, struct arena *a, void *row)
{
	struct file_reference *r = row;
	r->id = col_str(st, 0, a);
	r->company_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
	r->user_id = db_col_int(st, 2);
	r->entity_type = col_str(st, 3, a);
	r->mime_type = col_str(st, 4, a);
	r->content_length = db_col_int(st, 5);
	r->content_md5 = col_str(st, 6, a);
	r->content_name = col_str(st, 7, a);
	r->state = col_str(st, 8, a);
	r->stored_file_id = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	r->expires_at = db_col_int(st, 10);
}

static const char sql_ref_get[] =
	"SELECT id, company_id, user_id, entity_type, mime_type, content_length, content_md5, content_name, state,"
	" stored_file_id, expires_at FROM file_references WHERE id = ?1";

int store_file_reference_get(struct store *s, struct arena *a, struct str id, struct file_reference *out,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_ref_get, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	return stmt_one(st, a, read_ref, out, "file reference", err);
}

static const char sql_ref_uploaded[] =
	"UPDATE file_references SET state = 'uploaded', stored_file_id = ?2,"
	" uploaded_at = ?3 WHERE id = ?1 AND state = 'pending'";

int store_file_reference_mark_uploaded(struct store *s, struct str id, int64_t stored_file_id, int *changed,
				       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_ref_uploaded, err);
	if (!st)
		return -1;
	store_bind_now(st, 3);
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, stored_file_id);
	if (stmt_exec(st, err) < 0)
		return -1;
	*changed = store_changes(s) > 0;
	return 0;
}
