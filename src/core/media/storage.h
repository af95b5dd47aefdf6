/*
 * storage.h — where the bytes of media files live: put / get / exists / delete by key.
 *
 * A key is a relative path of safe segments ("apartment_images/<sha256>.png",
 * "320/apartment_images/<sha256>.jpeg"): [A-Za-z0-9._-] segments separated by '/',
 * none empty or starting with '.'. storage_key_valid() is the check every entry point
 * applies, so a key can never escape the store.
 *
 * Writes are atomic: a reader sees a complete object or none (local disk: a temporary
 * file, fsync, rename, fsync of the directory). Putting a key that exists replaces it;
 * content-addressed keys make that harmless.
 *
 * The interface is a table of functions so that an S3-compatible store can replace the
 * local-disk one (storage_local_create) without touching its callers. A struct storage
 * is created once, shared by all threads, and destroyed after they stop.
 */
#ifndef RENTD_STORAGE_H
#define RENTD_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct storage;

struct storage_object {
	int fd;          /* open for reading; the caller closes it (or hands it to a response) */
	uint64_t size;
	int64_t mtime;   /* unix seconds */
};

struct storage_ops {
	int (*put)(struct storage *s, const char *key, const void *data, size_t len, struct error *err);
	/* Moves the file at path into key (the file is gone afterwards, also on failure). */
	int (*put_file)(struct storage *s, const char *key, const char *path, struct error *err);
	/* 1 found (obj filled), 0 not found, -1 error. */
	int (*get)(struct storage *s, const char *key, struct storage_object *obj, struct error *err);
	int (*exists)(struct storage *s, const char *key);
	/* Deleting a missing key is not an error. */
	int (*remove)(struct storage *s, const char *key, struct error *err);
	void (*destroy)(struct storage *s);
};

struct storage {
	const struct storage_ops *ops;
};

bool storage_key_valid(const char *key);

static inline int storage_put(struct storage *s, const char *key, const void *data, size_t len, struct error *err)
{
	return s->ops->put(s, key, data, len, err);
}
static inline int storage_put_file(struct storage *s, const char *key, const char *path, struct error *err)
{
	return s->ops->put_file(s, key, path, err);
}
static inline int storage_get(struct storage *s, const char *key, struct storage_object *obj, struct error *err)
{
	return s->ops->get(s, key, obj, err);
}
static inline int storage_exists(struct storage *s, const char *key)
{
	return s->ops->exists(s, key);
}
static inline int storage_delete(struct storage *s, const char *key, struct error *err)
{
	return s->ops->remove(s, key, err);
}
void storage_destroy(struct storage *s);

/*
 * Local disk below dir (created if missing, with dir/tmp for temporary files, which
 * must be on the same file system so that a rename is atomic). NULL with msg filled
 * when dir cannot be created.
 */
struct storage *storage_local_create(const char *dir, char *msg, size_t msglen);
/* The directory for temporary files of a local store ("<dir>/tmp"); NULL for other stores. */
const char *storage_local_tmp_dir(const struct storage *s);

#endif
