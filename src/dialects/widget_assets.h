/*
 * widget_assets.h — the widget's static files (widgets/ in the source tree), embedded into
 * the binary at build time by tools/embed_assets.py (struct embedded_asset: embedded.h).
 */
#ifndef RENTD_WIDGET_ASSETS_H
#define RENTD_WIDGET_ASSETS_H

#include "dialects/embedded.h"

/* Sorted by name, ending with an entry whose name is NULL. */
extern const struct embedded_asset widget_assets[];
extern const size_t widget_assets_count;

#endif
