#include "base/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, struct arena *arena, size_t initial_cap)
{
	b->arena = arena;
	b->len = 0;
	b->cap = initial_cap ? initial_cap : 64;
	b->ptr = arena ? arena_alloc(arena, b->cap) : malloc(b->cap);
	if (!b->ptr)
		die_oom();
}

void buf_free(struct buf *b)
{
	if (!b->arena)
		free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void buf_reserve(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX / 2 - b->len)
		die_oom();
	need = b->len + extra;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->arena) {
		p = arena_alloc(b->arena, cap);
		if (b->len)
			memcpy(p, b->ptr, b->len);
	} else {
		p = realloc(b->ptr, cap);
		if (!p)
			die_oom();
	}
	b->ptr = p;
	b->cap = cap;
}

void buf_append(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_reserve(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
}

void buf_append_str(struct buf *b, struct str s)
{
	buf_append(b, s.ptr, s.len);
}

void buf_append_cstr(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}
