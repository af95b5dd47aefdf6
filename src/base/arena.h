/*
 * arena.h — per-request bump allocator.
 *
 * Everything a request needs (parsed headers, query, JSON output, error details) is
 * allocated from the request's arena and released at once when the response has
 * been sent. arena_reset() keeps the first block so a worker thread can reuse one
 * arena for request after request without calling malloc.
 *
 * Allocation failure is fatal (die_oom): the server cannot answer without memory.
 * The exception is arena_try_alloc(), for the few allocations whose size follows the
 * input (a decoded query string): there the caller answers "too large, try again"
 * instead, see docs/RELIABILITY.md.
 */
#ifndef RENTD_ARENA_H
#define RENTD_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

struct arena;

struct arena *arena_create(size_t first_block_size);
void arena_destroy(struct arena *a);
void arena_reset(struct arena *a);

/* Aligned for any type; never returns NULL. */
void *arena_alloc(struct arena *a, size_t size);
/* As arena_alloc, but NULL (and the arena unchanged) when memory is short. */
void *arena_try_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup_str(struct arena *a, struct str s);
/* s copied into the arena (NUL-terminated there); ptr NULL stays NULL. */
struct str arena_str_copy(struct arena *a, struct str s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Bytes handed out since the last reset (for tests and limits). */
size_t arena_used(const struct arena *a);

_Noreturn void die_oom(void);

/*
 * Test seam for allocation failure. NULL in the server, so alloc_fault() costs one load
 * and one predictable branch. A test points it at a function that says "fail this one"
 * (tests/unit/test_alloc_fault.c fails the Nth call for every N). It is consulted only
 * where a failure has a clean way out: arena_try_alloc(), router_add() and the allocator
 * json_read.c gives jansson. Not thread-safe to set while other threads allocate.
 */
extern bool (*alloc_fault_hook)(size_t size);

static inline bool alloc_fault(size_t size)
{
	return alloc_fault_hook && alloc_fault_hook(size);
}

#endif
