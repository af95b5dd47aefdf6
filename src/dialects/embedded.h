/*
 * embedded.h — static files embedded into the binary at build time by tools/embed_assets.py
 * (the widget's, widgets/, and the portal's, portal/), so a deployment is still one file; and
 * the one way they are served: ETag + If-None-Match → 304, a Cache-Control lifetime, the gzip
 * form to clients that accept it, and {{name}} templates.
 */
#ifndef RENTD_EMBEDDED_H
#define RENTD_EMBEDDED_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/str.h"

struct ctx;

struct embedded_asset {
	const char *name;         /* the file's base name: "overview.js" */
	const char *content_type; /* with its charset */
	const char *data;         /* len bytes, NUL-terminated for the templates */
	size_t len;
	const char *etag;         /* quoted strong validator from the bytes: "\"0123456789abcdef\"" */
	const char *gz;           /* the gzip form, or NULL when it would not be smaller */
	size_t gz_len;
};

/* The entry of table (sorted by name, ended by a NULL name) named name, or NULL. */
const struct embedded_asset *embedded_find(const struct embedded_asset *table, const char *name);

/*
 * Answers the asset: 200 with its bytes (gzip-encoded when the request's Accept-Encoding
 * takes gzip; Vary: Accept-Encoding), or 304 when If-None-Match has its ETag.
 */
void embedded_serve(struct ctx *ctx, const struct embedded_asset *a, const char *cache_control);

/* A template's variable: {{name}} is replaced by value, HTML-escaped unless raw. */
struct tvar {
	const char *name;
	struct str value;
	bool raw; /* an already rendered fragment */
};

void embedded_html_escape(struct buf *out, struct str s);
/* Appends the template a with every {{name}} replaced; a name without a value renders as nothing. */
void embedded_render(struct buf *out, const struct embedded_asset *a, const struct tvar *vars, size_t n);

#endif
