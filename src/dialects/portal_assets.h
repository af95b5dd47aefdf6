/*
 * portal_assets.h — the applicant portal's static files (portal/ in the source tree),
 * embedded into the binary at build time by tools/embed_assets.py (embedded.h).
 */
#ifndef RENTD_PORTAL_ASSETS_H
#define RENTD_PORTAL_ASSETS_H

#include "dialects/embedded.h"

/* Sorted by name, ending with an entry whose name is NULL. */
extern const struct embedded_asset portal_assets[];
extern const size_t portal_assets_count;

#endif
