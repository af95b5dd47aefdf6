/* Thumbnails with libvips (media.h: media_thumbnails_make). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vips/vips.h>

#include "core/media/media.h"
#include "core/media/storage.h"
#include "store/media/store_media.h"

/* The whole original in memory: images are at most MEDIA_LIMIT_FILES (30 MiB). */
static int read_all(struct core *c, const char *key, unsigned char **out, size_t *len, struct error *err)
{
	struct storage_object obj;
	unsigned char *buf;
	size_t got = 0;
	int rc = storage_get(c->storage, key, &obj, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "stored file %s is missing", key);
	if (obj.size == 0 || obj.size > (uint64_t)MEDIA_LIMIT_FILES) {
		close(obj.fd);
		return error_set(err, ERROR_VALIDATION, NULL, "%s is not a thumbnailable size", key);
	}
	buf = malloc((size_t)obj.size);
	if (!buf)
		die_oom();
	while (got < obj.size) {
		ssize_t n = pread(obj.fd, buf + got, (size_t)obj.size - got, (off_t)got);
		if (n <= 0) {
			close(obj.fd);
			free(buf);
			return error_set(err, ERROR_INTERNAL, NULL, "cannot read %s", key);
		}
		got += (size_t)n;
	}
	close(obj.fd);
	*out = buf;
	*len = got;
	return 0;
}

static const char *vips_message(struct arena *a)
{
	const char *m = arena_printf(a, "%s", vips_error_buffer());
	vips_error_clear();
	return m;
}

/* One JPEG thumbnail of width w (never wider than the original), into jpg/jpglen (g_free). */
static int make_one(const unsigned char *buf, size_t len, int w, void **jpg, size_t *jpglen)
{
	VipsImage *thumb = NULL, *flat = NULL;
	int rc = -1;

	if (vips_thumbnail_buffer((void *)buf, len, &thumb, w, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, NULL))
		goto out;
	if (vips_image_hasalpha(thumb)) {
		/* JPEG has no alpha: transparent PNG areas become white, not black */
		VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
		int f = vips_flatten(thumb, &flat, "background", white, NULL);
		vips_area_unref(VIPS_AREA(white));
		if (f)
			goto out;
	}
	if (vips_jpegsave_buffer(flat ? flat : thumb, jpg, jpglen, "Q", 82, "strip", TRUE, "optimize_coding", TRUE,
				 NULL))
		goto out;
	rc = 0;
out:
	if (flat)
		g_object_unref(flat);
	if (thumb)
		g_object_unref(thumb);
	return rc;
}

int media_thumbnails_make(struct core *c, struct arena *a, int64_t stored_file_id, struct error *err)
{
	struct stored_file sf;
	const struct media_entity *e;
	unsigned char *buf = NULL;
	size_t len = 0;
	VipsImage *hdr;
	int rc = -1;

	if (store_stored_file_get(c->store, a, stored_file_id, &sf, err) < 0)
		return -1;
	e = media_category_find(sf.category);
	if (!e || !e->thumbnails)
		return error_set(err, ERROR_VALIDATION, NULL, "no thumbnails for category %.*s", STR_FMT(sf.category));
	if (read_all(c, arena_strdup_str(a, sf.key), &buf, &len, err) < 0)
		return -1;
	/* the header alone first: refuse decompression bombs before decoding a pixel */
	hdr = vips_image_new_from_buffer(buf, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
	if (!hdr) {
		error_set(err, ERROR_VALIDATION, NULL, "cannot decode %.*s: %s", STR_FMT(sf.key), vips_message(a));
		goto out;
	}
	if ((int64_t)vips_image_get_width(hdr) * vips_image_get_height(hdr) > MEDIA_MAX_PIXELS) {
		g_object_unref(hdr);
		error_set(err, ERROR_VALIDATION, NULL, "%.*s has more than %lld pixels", STR_FMT(sf.key),
			  (long long)MEDIA_MAX_PIXELS);
		goto out;
	}
	g_object_unref(hdr);
	for (int i = 0; i < MEDIA_THUMB_COUNT; i++) {
		void *jpg = NULL;
		size_t jpglen = 0;
		const char *key = arena_printf(a, "%d/%.*s/%.*s.jpeg", media_thumb_widths[i], STR_FMT(sf.category),
					       STR_FMT(sf.sha256));
		if (make_one(buf, len, media_thumb_widths[i], &jpg, &jpglen) < 0) {
			error_set(err, ERROR_VALIDATION, NULL, "thumbnail %s: %s", key, vips_message(a));
			goto out;
		}
		rc = storage_put(c->storage, key, jpg, jpglen, err);
		g_free(jpg);
		if (rc < 0)
			goto out;
	}
	rc = store_stored_file_set_thumbnails_ready(c->store, sf.id, err);
out:
	free(buf);
	return rc;
}
