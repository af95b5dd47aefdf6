/*
 * fuzz_staticmap.c — staticmap_render() on arbitrary parameters.
 *
 * Input: latitude and longitude as 8 bytes each, taken either raw (NaN,
 * infinities, anything) or scaled into a box around Sweden (byte 16, bit 0), so
 * most inputs draw real borders; then zoom, width and height as one and two
 * bytes (bit 1 of byte 16 lets them run over the limits). Out-of-range
 * parameters must be refused with a field error and nothing written; accepted
 * ones must give a valid PNG of exactly the requested size: signature, chunk
 * CRCs, IHDR, a PLTE covering every pixel's index, and an IDAT that inflates to
 * height rows of filter 0 plus width bytes. The data is the source tree's
 * data/geo/ (RENTD_GEO_DIR overrides).
 */
#include <math.h>
#include <string.h>
#include <zlib.h>

#include "core/geo/geo.h"
#include "core/geo/staticmap.h"
#include "fuzz.h"

#ifndef RENTD_GEO_DIR
#define RENTD_GEO_DIR "data/geo"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("RENTD_GEO_DIR");
	struct error err;

	(void)argc;
	(void)argv;
	error_init(&err, NULL);
	FUZZ_CHECK(geo_load(dir && *dir ? dir : RENTD_GEO_DIR, &err) == 0, "geo_load: %s",
		err.message ? err.message : "?");
	return 0;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void check_png(const unsigned char *p, size_t n, int w, int h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	const unsigned char *end = p + n, *idat = NULL;
	size_t nidat = 0, ncolors = 0, rawlen = (size_t)h * ((size_t)w + 1);
	unsigned char *raw;
	uLongf got = (uLongf)rawlen + 1;
	int state = 0; /* 0 IHDR next, 1 PLTE next, 2 IDAT next, 3 IEND next, 4 done */

	FUZZ_CHECK(n > 8 && memcmp(p, sig, 8) == 0, "signature");
	p += 8;
	while (p < end) {
		uint32_t len;
		FUZZ_CHECK(end - p >= 12, "truncated chunk");
		len = rd32(p);
		FUZZ_CHECK(len <= (size_t)(end - p) - 12, "chunk past the end");
		FUZZ_CHECK(rd32(p + 8 + len) == (uint32_t)crc32(0, p + 4, len + 4), "CRC of %.4s", p + 4);
		if (state == 0) {
			FUZZ_CHECK(memcmp(p + 4, "IHDR", 4) == 0 && len == 13, "IHDR first");
			FUZZ_CHECK(rd32(p + 8) == (uint32_t)w && rd32(p + 12) == (uint32_t)h,
				"size %ux%u, want %dx%d", rd32(p + 8), rd32(p + 12), w, h);
			FUZZ_CHECK(p[16] == 8 && p[17] == 3 && !p[18] && !p[19] && !p[20], "IHDR fields");
		} else if (state == 1) {
			FUZZ_CHECK(memcmp(p + 4, "PLTE", 4) == 0 && len % 3 == 0 && len && len <= 768, "PLTE");
			ncolors = len / 3;
		} else if (state == 2) {
			FUZZ_CHECK(memcmp(p + 4, "IDAT", 4) == 0, "IDAT");
			idat = p + 8;
			nidat = len;
		} else {
			FUZZ_CHECK(state == 3 && memcmp(p + 4, "IEND", 4) == 0 && len == 0, "IEND last");
		}
		state++;
		p += 12 + len;
	}
	FUZZ_CHECK(state == 4, "chunks missing");
	raw = malloc(rawlen + 1);
	FUZZ_CHECK(raw, "malloc");
	FUZZ_CHECK(uncompress(raw, &got, idat, (uLong)nidat) == Z_OK && got == rawlen, "IDAT inflates to %lu, want %zu",
		(unsigned long)got, rawlen);
	for (size_t y = 0; y < (size_t)h; y++) {
		FUZZ_CHECK(raw[y * ((size_t)w + 1)] == 0, "filter byte");
		for (size_t x = 1; x <= (size_t)w; x++)
			FUZZ_CHECK(raw[y * ((size_t)w + 1) + x] < ncolors, "index outside the palette");
	}
	free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct staticmap_params p;
	struct arena *a;
	struct error err;
	struct buf out;
	uint32_t u, v;
	bool valid;
	int rc;

	if (size < 22)
		return 0;
	if (data[16] & 1) {
		memcpy(&u, data, 4);
		memcpy(&v, data + 8, 4);
		p.latitude = 54.0 + 16.0 * (u / 4294967296.0);
		p.longitude = 9.0 + 17.0 * (v / 4294967296.0);
	} else {
		memcpy(&p.latitude, data, 8);
		memcpy(&p.longitude, data + 8, 8);
	}
	if (data[16] & 2) { /* anything, mostly refused */
		p.zoom = (int8_t)data[17];
		p.width = (int16_t)(data[18] | data[19] << 8);
		p.height = (int16_t)(data[20] | data[21] << 8);
	} else { /* in range, small enough to keep the fuzzer fast */
		p.zoom = data[17] % (STATICMAP_MAX_ZOOM + 1);
		p.width = 1 + (data[18] | data[19] << 8) % 400;
		p.height = 1 + (data[20] | data[21] << 8) % 300;
	}
	valid = p.latitude >= -90 && p.latitude <= 90 && p.longitude >= -180 && p.longitude <= 180 &&
		p.zoom >= STATICMAP_MIN_ZOOM && p.zoom <= STATICMAP_MAX_ZOOM &&
		p.width >= STATICMAP_MIN_SIZE && p.width <= STATICMAP_MAX_SIZE &&
		p.height >= STATICMAP_MIN_SIZE && p.height <= STATICMAP_MAX_SIZE;

	a = arena_create(4096);
	error_init(&err, a);
	buf_init(&out, a, 1024);
	rc = staticmap_render(&p, &out, &err);
	if (valid) {
		FUZZ_CHECK(rc == 0 && err.kind == ERROR_NONE, "refused %g %g z%d %dx%d", p.latitude, p.longitude,
			p.zoom, p.width, p.height);
		check_png((const unsigned char *)out.ptr, out.len, p.width, p.height);
	} else {
		FUZZ_CHECK(rc < 0 && err.kind == ERROR_VALIDATION && err.nfields > 0 && out.len == 0,
			"accepted %g %g z%d %dx%d", p.latitude, p.longitude, p.zoom, p.width, p.height);
	}
	arena_destroy(a);
	return 0;
}
