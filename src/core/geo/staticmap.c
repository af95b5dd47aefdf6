#include "core/geo/staticmap.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/geo/geo.h"

#define MERCATOR_MAX_LAT 85.0511287798066

/* palette indices */
enum { PX_SEA, PX_LAND, PX_MUNI, PX_COUNTY, PX_PIN, PX_PIN_EDGE, PX_PIN_DOT, PX_COLORS };

static const unsigned char palette[PX_COLORS][3] = {
	[PX_SEA] = { 170, 211, 223 },
	[PX_LAND] = { 242, 239, 233 },
	[PX_MUNI] = { 196, 186, 196 },
	[PX_COUNTY] = { 128, 112, 138 },
	[PX_PIN] = { 215, 48, 39 },
	[PX_PIN_EDGE] = { 128, 20, 14 },
	[PX_PIN_DOT] = { 255, 255, 255 },
};

/* The picture: rows of one PNG filter byte (0, none) and width palette indices. */
struct canvas {
	unsigned char *px;
	int w, h;
	size_t stride;
	double ox, oy; /* world pixel of the canvas's top-left corner */
	double world;  /* world width in pixels at this zoom */
};

static void *sm_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

static void put(struct canvas *c, int x, int y, unsigned char v)
{
	if (x >= 0 && y >= 0 && x < c->w && y < c->h)
		c->px[(size_t)y * c->stride + 1 + (size_t)x] = v;
}

static double world_x(double lon, double world)
{
	return (lon + 180.0) / 360.0 * world;
}

static double world_y(double lat, double world)
{
	double r = fmax(-MERCATOR_MAX_LAT, fmin(MERCATOR_MAX_LAT, lat)) * M_PI / 180.0;
	return (1.0 - asinh(tan(r)) / M_PI) / 2.0 * world;
}

static double lon_at(double x, double world)
{
	return x / world * 360.0 - 180.0;
}

static double lat_at(double y, double world)
{
	return atan(sinh(M_PI * (1.0 - 2.0 * y / world))) * 180.0 / M_PI;
}

/* ---------- filling: even-odd scanlines over the county rings ---------- */

struct edge {
	double x0, y0, x1, y1; /* canvas pixels, y0 < y1 */
};

struct edges {
	struct canvas *c;
	struct edge *e;
	size_t n, cap;
};

static int collect_edges(void *arg, const double *ll, size_t npts, const char *code)
{
	struct edges *E = arg;
	const struct canvas *c = E->c;
	double px = 0, py = 0;

	(void)code;
	for (size_t i = 0; i < npts; i++) {
		double x = world_x(ll[2 * i], c->world) - c->ox;
		double y = world_y(ll[2 * i + 1], c->world) - c->oy;
		if (i > 0 && py != y && !(py < 0 && y < 0) && !(py > c->h && y > c->h)) {
			struct edge *e;
			if (E->n == E->cap) {
				E->cap = E->cap ? E->cap * 2 : 1024;
				E->e = realloc(E->e, E->cap * sizeof(*E->e));
				if (!E->e)
					die_oom();
			}
			e = &E->e[E->n++];
			if (py < y)
				*e = (struct edge){ px, py, x, y };
			else
				*e = (struct edge){ x, y, px, py };
		}
		px = x;
		py = y;
	}
	return 0;
}

static int edge_cmp(const void *a, const void *b)
{
	double x = ((const struct edge *)a)->y0, y = ((const struct edge *)b)->y0;
	return (x > y) - (x < y);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Pixel i is inside when its centre i + 0.5 lies in a span [xs[2k], xs[2k+1]). */
static void fill_spans(struct canvas *c, int row, double *xs, size_t n)
{
	qsort(xs, n, sizeof(*xs), dbl_cmp);
	for (size_t k = 0; k + 1 < n; k += 2) {
		double a = fmax(ceil(xs[k] - 0.5), 0), b = fmin(ceil(xs[k + 1] - 0.5), c->w);
		unsigned char *p = c->px + (size_t)row * c->stride + 1;
		if (a < b)
			memset(p + (size_t)a, PX_LAND, (size_t)(b - a));
	}
}

static void fill_land(struct canvas *c, double box[4])
{
	struct edges E = { .c = c };
	struct edge **active = NULL;
	double *xs = NULL;
	size_t next = 0, nactive = 0;

	geo_rings_in_box(GEO_LAYER_COUNTIES, box[0], box[1], box[2], box[3], collect_edges, &E);
	if (E.n == 0)
		goto out;
	qsort(E.e, E.n, sizeof(*E.e), edge_cmp);
	active = sm_xmalloc(E.n * sizeof(*active));
	xs = sm_xmalloc(E.n * sizeof(*xs));
	for (int row = 0; row < c->h; row++) {
		double yc = row + 0.5;
		size_t k = 0, nx = 0;

		while (next < E.n && E.e[next].y0 <= yc)
			active[nactive++] = &E.e[next++];
		for (size_t i = 0; i < nactive; i++) {
			struct edge *e = active[i];
			if (e->y1 <= yc)
				continue;
			active[k++] = e;
			if (e->y0 <= yc)
				xs[nx++] = e->x0 + (yc - e->y0) * (e->x1 - e->x0) / (e->y1 - e->y0);
		}
		nactive = k;
		fill_spans(c, row, xs, nx);
	}
out:
	free(active);
	free(xs);
	free(E.e);
}

/* ---------- borders ---------- */

/* Liang–Barsky: clips the segment to [0, w) × [0, h); false when nothing is left. */
static bool clip(const struct canvas *c, double *x0, double *y0, double *x1, double *y1)
{
	double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
	double p[4] = { -dx, dx, -dy, dy };
	double q[4] = { *x0, (c->w - 1e-6) - *x0, *y0, (c->h - 1e-6) - *y0 };

	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return false;
			continue;
		}
		double t = q[i] / p[i];
		if (p[i] < 0) {
			if (t > t1)
				return false;
			if (t > t0)
				t0 = t;
		} else {
			if (t < t0)
				return false;
			if (t < t1)
				t1 = t;
		}
	}
	*x1 = *x0 + t1 * dx;
	*y1 = *y0 + t1 * dy;
	*x0 = *x0 + t0 * dx;
	*y0 = *y0 + t0 * dy;
	return true;
}

static void line(struct canvas *c, double x0, double y0, double x1, double y1, unsigned char v)
{
	double steps;

	if (!clip(c, &x0, &y0, &x1, &y1))
		return;
	/* after clipping the length is below w + h, so the loop is bounded */
	steps = ceil(fmax(fabs(x1 - x0), fabs(y1 - y0)));
	for (double i = 0; i <= steps; i++) {
		double t = steps > 0 ? i / steps : 0;
		put(c, (int)floor(x0 + (x1 - x0) * t), (int)floor(y0 + (y1 - y0) * t), v);
	}
}

struct border {
	struct canvas *c;
	unsigned char color;
};

static int draw_ring(void *arg, const double *ll, size_t npts, const char *code)
{
	struct border *b = arg;
	const struct canvas *c = b->c;
	double px = 0, py = 0;

	(void)code;
	for (size_t i = 0; i < npts; i++) {
		double x = world_x(ll[2 * i], c->world) - c->ox;
		double y = world_y(ll[2 * i + 1], c->world) - c->oy;
		/* consecutive vertices within a pixel add nothing at low zoom */
		if (i > 0 && (fabs(x - px) >= 0.5 || fabs(y - py) >= 0.5 || i + 1 == npts)) {
			line(b->c, px, py, x, y, b->color);
			px = x;
			py = y;
		} else if (i == 0) {
			px = x;
			py = y;
		}
	}
	return 0;
}

/* ---------- the pin: a disc on a stem whose tip is the centre pixel ---------- */

static void disc(struct canvas *c, double cx, double cy, double r, unsigned char v)
{
	for (int y = (int)floor(cy - r); y <= (int)ceil(cy + r); y++)
		for (int x = (int)floor(cx - r); x <= (int)ceil(cx + r); x++) {
			double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
			if (dx * dx + dy * dy <= r * r)
				put(c, x, y, v);
		}
}

static void pin(struct canvas *c)
{
	double tx = c->w / 2.0, ty = c->h / 2.0; /* the tip */
	double cy = ty - 13, r = 7;

	disc(c, tx, cy, r + 1, PX_PIN_EDGE);
	/* the stem: a triangle from the disc down to the tip */
	for (int y = (int)floor(cy); y < (int)ceil(ty); y++) {
		double half = (ty - (y + 0.5)) / (ty - cy) * (r - 1);
		for (int x = (int)floor(tx - half - 1); x <= (int)ceil(tx + half); x++) {
			double d = fabs(x + 0.5 - tx);
			if (d <= half + 1)
				put(c, x, y, d <= half ? PX_PIN : PX_PIN_EDGE);
		}
	}
	disc(c, tx, cy, r, PX_PIN);
	disc(c, tx, cy, 2.5, PX_PIN_DOT);
	put(c, (int)floor(tx), (int)floor(ty) - 1, PX_PIN_EDGE);
}

/* ---------- PNG ---------- */

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void chunk(struct buf *out, const char type[4], const unsigned char *data, size_t len)
{
	unsigned char hdr[8], crc[4];
	uLong sum = crc32(0, (const Bytef *)type, 4);

	be32(hdr, (uint32_t)len);
	memcpy(hdr + 4, type, 4);
	if (len)
		sum = crc32(sum, data, (uInt)len);
	be32(crc, (uint32_t)sum);
	buf_append(out, hdr, 8);
	if (len)
		buf_append(out, data, len);
	buf_append(out, crc, 4);
}

static void write_png(const struct canvas *c, struct buf *out)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char ihdr[13], plte[PX_COLORS * 3];
	size_t raw = c->stride * (size_t)c->h;
	uLongf zlen = compressBound((uLong)raw);
	unsigned char *z = sm_xmalloc(zlen);

	be32(ihdr, (uint32_t)c->w);
	be32(ihdr + 4, (uint32_t)c->h);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 3;  /* palette */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering (each row says "none") */
	ihdr[12] = 0; /* not interlaced */
	memcpy(plte, palette, sizeof(plte));
	/* the raster is at most 1281 × 1280 bytes: compress2 cannot fail on it */
	if (compress2(z, &zlen, c->px, (uLong)raw, 6) != Z_OK)
		die_oom();
	buf_append(out, sig, sizeof(sig));
	chunk(out, "IHDR", ihdr, sizeof(ihdr));
	chunk(out, "PLTE", plte, sizeof(plte));
	chunk(out, "IDAT", z, zlen);
	chunk(out, "IEND", NULL, 0);
	free(z);
}

int staticmap_render(const struct staticmap_params *p, struct buf *out, struct error *err)
{
	struct canvas c;
	struct border b;
	double box[4]; /* min_lat, min_lon, max_lat, max_lon */
	int bad = 0;

	if (!(p->latitude >= -STATICMAP_MAX_LAT && p->latitude <= STATICMAP_MAX_LAT))
		bad = error_field(err, "latitude", RULE_RANGE, "must be a number from -90 to 90");
	if (!(p->longitude >= -180.0 && p->longitude <= 180.0))
		bad = error_field(err, "longitude", RULE_RANGE, "must be a number from -180 to 180");
	if (p->zoom < STATICMAP_MIN_ZOOM || p->zoom > STATICMAP_MAX_ZOOM)
		bad = error_field(err, "zoom", RULE_RANGE, "must be an integer from %d to %d",
			STATICMAP_MIN_ZOOM, STATICMAP_MAX_ZOOM);
	if (p->width < STATICMAP_MIN_SIZE || p->width > STATICMAP_MAX_SIZE)
		bad = error_field(err, "width", RULE_RANGE, "must be an integer from %d to %d",
			STATICMAP_MIN_SIZE, STATICMAP_MAX_SIZE);
	if (p->height < STATICMAP_MIN_SIZE || p->height > STATICMAP_MAX_SIZE)
		bad = error_field(err, "height", RULE_RANGE, "must be an integer from %d to %d",
			STATICMAP_MIN_SIZE, STATICMAP_MAX_SIZE);
	if (bad)
		return -1;

	c.w = p->width;
	c.h = p->height;
	c.stride = (size_t)c.w + 1;
	c.world = 256.0 * ldexp(1.0, p->zoom);
	c.ox = world_x(p->longitude, c.world) - c.w / 2.0;
	c.oy = world_y(p->latitude, c.world) - c.h / 2.0;
	c.px = sm_xmalloc(c.stride * (size_t)c.h);
	memset(c.px, PX_SEA, c.stride * (size_t)c.h);
	for (int y = 0; y < c.h; y++)
		c.px[(size_t)y * c.stride] = 0; /* filter: none */

	/* the canvas in degrees, a pixel wider on each side so borders on the edge show */
	box[0] = lat_at(c.oy + c.h + 1, c.world);
	box[1] = fmax(-180.0, lon_at(c.ox - 1, c.world));
	box[2] = lat_at(c.oy - 1, c.world);
	box[3] = fmin(180.0, lon_at(c.ox + c.w + 1, c.world));

	fill_land(&c, box);
	b = (struct border){ &c, PX_MUNI };
	geo_rings_in_box(GEO_LAYER_MUNICIPALITIES, box[0], box[1], box[2], box[3], draw_ring, &b);
	b.color = PX_COUNTY;
	geo_rings_in_box(GEO_LAYER_COUNTIES, box[0], box[1], box[2], box[3], draw_ring, &b);
	if (!p->no_pin)
		pin(&c);
	write_png(&c, out);
	free(c.px);
	return 0;
}
