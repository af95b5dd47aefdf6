#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_block *head; /* current block; older ones follow */
	struct arena_block *first;
	size_t first_size;
	size_t total_used;
};

bool (*alloc_fault_hook)(size_t size);

_Noreturn void die_oom(void)
{
	static const char msg[] = "rentd: out of memory\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	abort();
}

static struct arena_block *block_new(size_t size)
{
	struct arena_block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *arena_create(size_t first_block_size)
{
	struct arena *a = malloc(sizeof(*a));
	if (!a)
		die_oom();
	if (first_block_size < 256)
		first_block_size = 256;
	a->first_size = first_block_size;
	a->first = block_new(first_block_size);
	if (!a->first)
		die_oom();
	a->head = a->first;
	a->total_used = 0;
	return a;
}

static void free_blocks_until(struct arena_block *b, const struct arena_block *stop)
{
	while (b && b != stop) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
}

void arena_destroy(struct arena *a)
{
	if (!a)
		return;
	free_blocks_until(a->head, NULL);
	free(a);
}

void arena_reset(struct arena *a)
{
	free_blocks_until(a->head, a->first);
	a->head = a->first;
	a->first->used = 0;
	a->first->next = NULL;
	a->total_used = 0;
}

/* Bump-allocates, adding a block when the current one is full; NULL if malloc fails. */
static void *alloc_in(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t off = (b->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (size > SIZE_MAX / 2)
		return NULL;
	if (off > b->size || size > b->size - off) {
		size_t want = b->size * 2;
		if (want < size)
			want = size;
		b = block_new(want);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	b->used = off + size;
	a->total_used += size;
	return b->data + off;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = alloc_in(a, size);
	if (!p)
		die_oom();
	return p;
}

/* Every call may fail under the test seam, not only those that need a new block: any call
 * could need one, and a test should not have to know the block sizes to reach a failure. */
void *arena_try_alloc(struct arena *a, size_t size)
{
	if (alloc_fault(size))
		return NULL;
	return alloc_in(a, size);
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	void *p;
	if (size && count > SIZE_MAX / size)
		die_oom();
	p = arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup_str(struct arena *a, struct str s)
{
	return arena_strndup(a, s.ptr, s.len);
}

struct str arena_str_copy(struct arena *a, struct str s)
{
	return s.ptr ? (struct str){ arena_strndup(a, s.ptr, s.len), s.len } : s;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total_used;
}
