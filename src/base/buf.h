/*
 * buf.h — growable byte buffer.
 *
 * Backed by an arena (request-scoped output: the arena owns the bytes) or, with a
 * NULL arena, by malloc (the owner calls buf_free). Growth doubles the capacity.
 */
#ifndef RENTD_BUF_H
#define RENTD_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/str.h"

struct buf {
	struct arena *arena; /* NULL: heap */
	char *ptr;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b, struct arena *arena, size_t initial_cap);
void buf_free(struct buf *b); /* heap buffers only; no-op for arena buffers */
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_append_str(struct buf *b, struct str s);
void buf_append_cstr(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void buf_putc(struct buf *b, char c)
{
	if (b->len == b->cap)
		buf_reserve(b, 1);
	b->ptr[b->len++] = c;
}

static inline struct str buf_str(const struct buf *b)
{
	return (struct str){ b->ptr, b->len };
}

#endif
