/*
 * staticmap.h — a small PNG map centred on a point, drawn from the geo data.
 *
 * Serves HomeQ's GET /api/v1|v2/static_map/ (homeq.md §11a, decisions.md H-25).
 * The picture is a Web-Mercator view (the projection of web map tiles: at zoom z
 * the world is 256·2^z pixels wide) of width × height pixels whose centre pixel
 * is the requested point: sea, Swedish territory filled from the county polygons,
 * municipality borders, county borders over them, and a pin whose tip is the
 * point. There is no street-level detail: the shipped data has only the borders.
 *
 * The PNG is written here (8-bit palette, one IDAT deflated with zlib): no image
 * library. Rendering reads the geo data (core/geo/geo.h, which must be loaded; without
 * it the map is only sea and the pin) and is thread-safe. Its cost is bounded by
 * the pixel count and the border vertices in view (a few ms at the defaults).
 */
#ifndef RENTD_STATICMAP_H
#define RENTD_STATICMAP_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/error.h"

#define STATICMAP_MIN_ZOOM 0
#define STATICMAP_MAX_ZOOM 20
#define STATICMAP_MIN_SIZE 1
#define STATICMAP_MAX_SIZE 1280 /* per side: at most 1.6 MB of pixels per request */
#define STATICMAP_MAX_LAT 90.0  /* accepted; drawn clamped to Mercator's ±85.0511° */

struct staticmap_params {
	double latitude;  /* WGS84 degrees, -90..90 */
	double longitude; /* -180..180 */
	int zoom;         /* STATICMAP_MIN_ZOOM..STATICMAP_MAX_ZOOM */
	int width;        /* pixels, STATICMAP_MIN_SIZE..STATICMAP_MAX_SIZE */
	int height;
	bool no_pin;      /* the map alone: the caller marks its own points (the portal's search) */
};

/*
 * Appends the PNG to out. 0, or -1 with an ERROR_VALIDATION naming the bad
 * parameter ("latitude", "longitude", "zoom", "width", "height") when one is out
 * of range; nothing is appended then.
 */
int staticmap_render(const struct staticmap_params *p, struct buf *out, struct error *err);

#endif
