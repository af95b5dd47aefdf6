/*
 * media.h — file references, signed uploads, stored files and thumbnails (homeq.md §11d,
 * §15 rules 25–28; decisions.md H-07, H-40).
 *
 * The flow: media_reference_create() validates a file reference request (entity type
 * family, mime type, length, base64 MD5, the caller's right) and either finds a stored
 * file with the same MD5 and size in the same category (dedup: no upload needed) or
 * records a pending reference and returns the path of a signed upload URL:
 *
 *     /media/upload/<reference>?expires=<unix>&signature=<base64url HMAC-SHA256>
 *
 * signed with the `media` key (core/identity/secrets.h) over "PUT\n<reference>\n<expires>", valid
 * MEDIA_URL_TTL seconds and usable once. media_upload_precheck() checks everything that
 * the headers alone decide (signature, expiry, single use, Content-Length and Content-Type
 * against the reference); media_upload_commit() then checks the bytes (length, MD5, magic
 * number), stores them content-addressed under "<category>/<sha256>.<ext>" (storage.h),
 * marks the reference uploaded and queues the thumbnail job, all or nothing.
 *
 * Thumbnails (media_thumbnails_make, libvips): JPEG at every MEDIA_THUMB_WIDTHS width,
 * aspect kept, never upscaled (an original narrower than a width is re-encoded at its own
 * size, so every thumbnail URL of the seed's rule exists), stored under
 * "<width>/<category>/<sha256>.jpeg", then marks the stored file thumbnails_ready.
 *
 * Videos (media_video_compress, §15 rule 29): every new video of a category that
 * compresses (apartment_video, project_video, project_area_video) gets a
 * "compress_video" job. It runs Debian's ffmpeg ($RENTD_FFMPEG, else `ffmpeg` on the
 * PATH) as a child process with a timeout, reading the original straight from storage
 * and writing an H.264 (yuv420p, CRF 23) + AAC (128 kb/s, stereo) MP4 with faststart,
 * at most 1280 px on the long side and 720 px on the short one (never upscaled),
 * metadata stripped. The result is stored content-addressed as a stored file of the
 * same category ("<category>/<sha256>.mp4") and recorded as the original's
 * compressed_file_id; from then on links to the video serve it. Until then, or when
 * ffmpeg cannot read the video (the job fails for good), the original is served.
 */
#ifndef RENTD_MEDIA_H
#define RENTD_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "core/identity/auth.h"
#include "core/core.h"
#include "core/job_kind.h"
#include "store/media/store_media.h"

#define MEDIA_LIMIT_FILES 31457280ll    /* 30 MiB: images, files, PDFs */
#define MEDIA_LIMIT_VIDEOS 2147483648ll /* 2 GiB */
#define MEDIA_URL_TTL 3600              /* seconds a signed upload URL is valid (H-40) */
#define MEDIA_CONTENT_NAME_MAX 255
#define MEDIA_MAX_PIXELS (100ll * 1000 * 1000) /* larger images are not thumbnailed */
#define MEDIA_VIDEO_TIMEOUT 1800 /* seconds one ffmpeg run may take before it is killed */
#define MEDIA_VIDEO_LONG_SIDE 1280
#define MEDIA_VIDEO_SHORT_SIDE 720

/*
 * The media area's job kinds (core/job_kind.h), each with a stored_files id as payload:
 * MEDIA_JOB_THUMBNAILS → media_thumbnails_make(); MEDIA_JOB_COMPRESS_VIDEO →
 * media_video_compress(), whose lease is first extended to MEDIA_VIDEO_TIMEOUT + 60 s
 * because ffmpeg may run that long.
 */
#define MEDIA_JOB_THUMBNAILS "thumbnails"
#define MEDIA_JOB_COMPRESS_VIDEO "compress_video"
extern const struct job_kind media_job_kinds[];
extern const size_t media_job_kinds_count;

#define MEDIA_THUMB_COUNT 6
extern const int media_thumb_widths[MEDIA_THUMB_COUNT]; /* 320 460 840 1440 1920 2880 */

enum media_family { MEDIA_IMAGES, MEDIA_FILES, MEDIA_PDFS, MEDIA_VIDEOS };

struct media_entity {
	const char *name;     /* "apartment_image" */
	const char *category; /* "apartment_images": the URL directory */
	enum media_family family;
	const char *right;    /* NULL: any employee (and consumers for conversation_file) */
	bool thumbnails;
	bool compress;        /* videos that get the compress_video job */
};

const struct media_entity *media_entity_find(struct str name);
/* The entity of a category directory ("apartment_images"), or NULL. */
const struct media_entity *media_category_find(struct str category);

struct media_reference_input {
	struct str entity_type;
	struct str mime_type;
	struct str content_md5;   /* base64 of the 16 bytes */
	struct str content_name;  /* optional */
	int64_t content_length;   /* <= 0: missing or not an integer */
};

struct media_reference_result {
	struct str id;            /* 32 hex digits */
	bool exists;              /* a stored file matched: no upload */
	struct str upload_path;   /* path and query of the signed URL (when !exists) */
	struct str mime_type;     /* as given (the header to send) */
	struct str content_md5;   /* canonical base64 */
};

/*
 * Errors (homeq.md §11d): 412 InvalidEntityType, 403 PermissionDenied, 412 InvalidMimeType,
 * 412 InvalidContentLength, 412 ExceedingContentLength, 412 ValidationError (content_md5,
 * content_name), in that order.
 */
int media_reference_create(struct core *c, struct arena *a, const struct caller *who,
			   const struct media_reference_input *in, struct media_reference_result *out,
			   struct error *err);

/* The reference as its creator (or an employee of its company) sees it; 404 otherwise. */
int media_reference_get(struct core *c, struct arena *a, const struct caller *who, struct str id,
			struct file_reference *ref, struct str *key, struct error *err);

/*
 * A file reference a field may name: of the caller's company, uploaded, of entity
 * type want. Every refusal is one field error on field (412 in the landlord dialect).
 */
int media_reference_usable(struct core *c, struct arena *a, const struct caller *who, const char *field,
			   const char *want, struct str id, struct error *err);

/* base64url (no padding) HMAC-SHA256 of "PUT\n<id>\n<expires>"; out holds 44 bytes. */
void media_sign(const uint8_t key[SECRET_KEY_BYTES], struct str ref_id, int64_t expires, char out[44]);
/* 403 InvalidSignature (malformed or wrong), then 403 ExpiredSignature (expires <= now). */
int media_signature_check(const uint8_t key[SECRET_KEY_BYTES], struct str ref_id, struct str expires,
			  struct str signature, int64_t now, struct error *err);

/* True when the first bytes look like mime (JPEG, PNG, PDF, MP4/QuickTime, WebM). */
bool media_sniff(struct str mime, const uint8_t *head, size_t n);
/* File extension of a mime type ("jpg", "png", "pdf", "mp4", …), or NULL. */
const char *media_extension(struct str mime);
/* Content-Type for a stored key from its extension ("application/octet-stream" if unknown). */
const char *media_content_type(struct str key);

struct media_upload {
	struct str ref_id, expires, signature; /* from the URL */
	struct str content_type;               /* headers as sent; ptr NULL when absent */
	struct str content_length;
	struct str content_md5;
	/* the body: in memory, or spooled to a file of body_len bytes (moved into storage on success) */
	struct str body;
	const char *body_file;
	uint64_t body_len;
	int body_file_consumed; /* set when body_file was moved into storage */
};

/*
 * What the headers decide, before any byte of the body is read: 403 InvalidSignature /
 * ExpiredSignature, 404 unknown reference, 409 AlreadyUploaded, 412 InvalidContentLength
 * (missing or not the declared length), 413 past upload_limit, 412 InvalidMimeType
 * (Content-Type not the declared one), 412 BadDigest (Content-MD5 not the declared one).
 * *declared receives the declared length.
 */
int media_upload_precheck(struct core *c, struct arena *a, const struct media_upload *up, uint64_t upload_limit,
			  int64_t now, uint64_t *declared, struct error *err);
/*
 * The precheck, then the bytes: 412 InvalidContentLength (length), 412 BadDigest (MD5),
 * 412 InvalidMimeType (magic number); then stores and commits. *key receives the stored key.
 * On failure nothing is left behind and the reference stays pending.
 */
int media_upload_commit(struct core *c, struct arena *a, struct media_upload *up, uint64_t upload_limit,
			int64_t now, struct str *key, struct error *err);

/* The thumbnail job for a stored file (jobs/); needs vips_init(). */
int media_thumbnails_make(struct core *c, struct arena *a, int64_t stored_file_id, struct error *err);

/*
 * The compress_video job for a stored video (jobs/). Done already: 0 without work.
 * ERROR_VALIDATION (ffmpeg refused the input: retrying cannot help) or ERROR_INTERNAL
 * (no ffmpeg, timeout, storage), with ffmpeg's last words in the message.
 */
int media_video_compress(struct core *c, struct arena *a, int64_t stored_file_id, struct error *err);

#endif
