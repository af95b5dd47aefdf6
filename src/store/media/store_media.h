/*
 * store_media.h — stored files and file references. The background job queue is
 * store/store_jobs.h (included here for the callers that queue media work).
 *
 * Rows come back as plain structs whose strings live in the caller's arena. core/media/media.c
 * decides who may do what; these functions only read and write rows.
 */
#ifndef RENTD_STORE_MEDIA_H
#define RENTD_STORE_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_jobs.h"

struct stored_file {
	int64_t id;
	struct str key;      /* storage key: "<category>/<sha256>.<ext>" */
	struct str category; /* "apartment_images" */
	struct str sha256;   /* hex */
	struct str md5;      /* base64 */
	int64_t size;
	struct str mime_type;
	bool thumbnails_ready;      /* every thumbnail width is stored */
	int64_t compressed_file_id; /* videos: the compressed stored file; 0: none yet */
};

struct file_reference {
	struct str id;       /* 32 hex digits */
	int64_t company_id;  /* 0 for consumers */
	int64_t user_id;
	struct str entity_type;
	struct str mime_type;
	int64_t content_length;
	struct str content_md5; /* base64 */
	struct str content_name;
	struct str state;       /* "pending" | "uploaded" */
	int64_t stored_file_id; /* 0 while pending */
	int64_t expires_at;     /* unix seconds */
};

/*
 * A stored file with these bytes that the owner (company_id, or for a consumer 0 and
 * user_id) has an uploaded file reference to: deduplication never hands out bytes the
 * owner did not upload. 1 found (*out filled), 0 none, -1 error.
 */
int store_stored_file_find(struct store *s, struct arena *a, struct str md5, int64_t size, struct str category,
			   int64_t company_id, int64_t user_id, struct stored_file *out, struct error *err);
int store_stored_file_by_key(struct store *s, struct arena *a, struct str key, struct stored_file *out,
			     struct error *err);
/* ERROR_NOT_FOUND when absent. */
int store_stored_file_get(struct store *s, struct arena *a, int64_t id, struct stored_file *out, struct error *err);
int store_stored_file_insert(struct store *s, const struct stored_file *f, int64_t *id, struct error *err);
int store_stored_file_set_thumbnails_ready(struct store *s, int64_t id, struct error *err);
int store_stored_file_set_compressed(struct store *s, int64_t id, int64_t compressed_file_id, struct error *err);

int store_file_reference_insert(struct store *s, const struct file_reference *r, struct error *err);
/* ERROR_NOT_FOUND when absent. */
int store_file_reference_get(struct store *s, struct arena *a, struct str id, struct file_reference *out,
			     struct error *err);
/* pending → uploaded; *changed is 0 when it was not pending (used already). */
int store_file_reference_mark_uploaded(struct store *s, struct str id, int64_t stored_file_id, int *changed,
				       struct error *err);

#endif
