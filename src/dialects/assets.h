/*
 * assets.h — static files embedded into the binary at build time by tools/embed_assets.py, so a
 * deployment is still one file: the widget's (widgets/ in the source tree, served by
 * dialects/widgets.c), the applicant portal's (portal/, dialects/portal.c) and the API reference's (the JSON documents of docs/openapi/ and the
 * vendored Redoc of third_party/redoc/, served by dialects/openapi.c). One way to serve them:
 * asset_serve().
 */
#ifndef RENTD_ASSETS_H
#define RENTD_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/str.h"

#include "app/app.h"

struct embedded_asset {
	const char *name;         /* the file's base name: "overview.js" */
	const char *content_type; /* with its charset */
	const char *data;         /* len bytes, NUL-terminated for the templates */
	size_t len;
	const char *etag;         /* quoted strong validator from the bytes: "\"0123456789abcdef\"" */
	const char *gzip_data;    /* the bytes gzipped, or NULL when that would not pay */
	size_t gzip_len;
	const char *gzip_etag;    /* the gzipped representation's own tag: "\"0123456789abcdef-gz\"" */
};

/* Each sorted by name, ending with an entry whose name is NULL. */
extern const struct embedded_asset widget_assets[];
extern const size_t widget_assets_count;
extern const struct embedded_asset doc_assets[];
extern const size_t doc_assets_count;
extern const struct embedded_asset portal_assets[];
extern const size_t portal_assets_count;

/* The entry of table (n entries) named name, or NULL. */
const struct embedded_asset *asset_find(const struct embedded_asset *table, size_t n, const char *name);

/*
 * Answers a GET with the asset: 200 with its bytes, gzipped (Content-Encoding: gzip) when it has
 * a gzipped copy and Accept-Encoding allows gzip; 304 when If-None-Match names the tag of the
 * representation it would send. ETag, Cache-Control (cache_control), X-Content-Type-Options and,
 * for an asset with a gzipped copy, Vary: Accept-Encoding on both.
 */
int asset_serve(struct ctx *ctx, const struct embedded_asset *a, const char *cache_control);

/* A template's variable: {{name}} is replaced by value, HTML-escaped unless raw. */
struct tvar {
	const char *name;
	struct str value;
	bool raw; /* an already rendered fragment */
};

void asset_html_escape(struct buf *out, struct str s);
/* Appends the template a (NULL: nothing) with every {{name}} replaced; a name without a value renders as nothing. */
void asset_render(struct buf *out, const struct embedded_asset *a, const struct tvar *vars, size_t n);

#endif
