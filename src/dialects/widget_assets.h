/*
 * widget_assets.h — the widget's static files (widgets/ in the source tree), embedded into
 * the binary at build time by tools/embed_assets.py, so a deployment is still one file.
 */
#ifndef RENTD_WIDGET_ASSETS_H
#define RENTD_WIDGET_ASSETS_H

#include <stddef.h>

struct embedded_asset {
	const char *name;         /* the file's base name: "overview.js" */
	const char *content_type; /* with its charset */
	const char *data;         /* len bytes, NUL-terminated for the templates */
	size_t len;
	const char *etag;         /* quoted strong validator from the bytes: "\"0123456789abcdef\"" */
};

/* Sorted by name, ending with an entry whose name is NULL. */
extern const struct embedded_asset widget_assets[];
extern const size_t widget_assets_count;

#endif
