/*
 * storage.h — where the bytes of media files live: put / get / exists / delete by key.
 *
 * A key is a relative path of safe segments ("apartment_images/<sha256>.png",
 * "320/apartment_images/<sha256>.jpeg"): [A-Za-z0-9._-] segments separated by '/',
 * none empty or starting with '.'. storage_key_valid() is the check every entry point
 * applies, so a key can never escape the store.
 *
 * Writes are atomic: a reader sees a complete object or none (local disk: a temporary
 * file, fsync, rename, fsync of the directory; S3: one PUT). Putting a key that exists
 * replaces it; content-addressed keys make that harmless.
 *
 * The interface is a table of functions with two implementations: local disk
 * (storage_local.c) and an S3-compatible object store (storage_s3.c, for several rentd
 * processes on several machines); the callers do not know which. A struct storage is
 * created once, shared by all threads, and destroyed after they stop.
 *
 * Errors: ERROR_UNAVAILABLE when the store cannot be reached or answers 5xx (the client
 * may retry: 503), ERROR_INTERNAL otherwise.
 */
#ifndef RENTD_STORAGE_H
#define RENTD_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct storage;

struct storage_object {
	/*
	 * Open for reading at offset 0; the caller closes it (or hands it to a response). Local
	 * disk: the file itself; S3: an unlinked temporary file holding the whole object.
	 */
	int fd;
	uint64_t size;
	int64_t mtime;   /* unix seconds */
};

struct storage_ops {
	int (*put)(struct storage *s, const char *key, const void *data, size_t len, struct error *err);
	/* Moves the file at path into key (the file is gone afterwards, also on failure). */
	int (*put_file)(struct storage *s, const char *key, const char *path, struct error *err);
	/* 1 found (obj filled), 0 not found, -1 error. */
	int (*get)(struct storage *s, const char *key, struct storage_object *obj, struct error *err);
	/* 1 or 0; an error counts as 0 (a caller that then puts the object learns of the error). */
	int (*exists)(struct storage *s, const char *key);
	/* Deleting a missing key is not an error. */
	int (*remove)(struct storage *s, const char *key, struct error *err);
	/*
	 * Where to build a file for put_file (the upload spool, ffmpeg's output): local disk's
	 * <dir>/tmp, on the store's file system so that put_file is a rename; S3: its temporary
	 * directory, which also holds the objects get reads.
	 */
	const char *(*tmp_dir)(const struct storage *s);
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
static inline const char *storage_tmp_dir(const struct storage *s)
{
	return s->ops->tmp_dir(s);
}
void storage_destroy(struct storage *s);

/*
 * Local disk below dir (created if missing, with dir/tmp for temporary files, which
 * must be on the same file system so that a rename is atomic). NULL with msg filled
 * when dir cannot be created.
 */
struct storage *storage_local_create(const char *dir, char *msg, size_t msglen);

/*
 * An S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage…) over its REST API with
 * libcurl, requests signed with Signature Version 4 (libcurl's CURLOPT_AWS_SIGV4). A key is
 * the object <prefix>/<key> of the bucket; objects read are fetched whole into unlinked
 * temporary files in tmp_dir.
 */
struct storage_s3_settings {
	const char *endpoint;   /* "https://host[:port][/path]" */
	const char *bucket;
	const char *region;     /* the signing region: "us-east-1" for most non-AWS stores */
	const char *prefix;     /* "" or slash-separated key segments the keys go under */
	const char *access_key; /* the access key id and the secret: never logged */
	const char *secret_key;
	const char *tmp_dir;    /* created if missing */
	const char *ca_file;    /* "" or NULL: the system's certificate authorities */
	bool virtual_host;      /* https://bucket.host/key instead of https://host/bucket/key */
	long connect_timeout;   /* seconds; 0: 5 */
	long request_timeout;   /* seconds a request without a body may take, and a body may stall; 0: 30 */
};
/* NULL with msg filled on a bad setting; no request is made (storage_s3_check does one). */
struct storage *storage_s3_create(const struct storage_s3_settings *set, char *msg, size_t msglen);
/*
 * A HEAD of the bucket, for a start-up check: 0 when it answers, else -1 with msg saying
 * what is wrong (unreachable, forbidden — the credentials —, no such bucket, the region).
 */
int storage_s3_check(struct storage *s, char *msg, size_t msglen);
/*
 * The access key id and secret from an AWS shared-credentials file ("aws_access_key_id = …",
 * "aws_secret_access_key = …", outside any section or in [default]). -1 with msg filled.
 */
int storage_s3_credentials_load(const char *path, char *key, size_t keylen, char *secret, size_t secretlen,
				char *msg, size_t msglen);

#endif
