/*
 * memo.h — a bounded, thread-safe cache of byte strings that stay true until a version
 * changes.
 *
 * The truth lives elsewhere (the database); a memo only spares recomputing it. A caller
 * reads the current version from where the truth lives — a generation counter the
 * database keeps — and asks for (key, version): an entry is returned only when both its
 * key and its version are byte-for-byte the ones asked for, so a stale entry is never
 * served, it is just not found. On a miss the caller computes the value and puts it
 * under the version it read *before or with* computing it (a value newer than its
 * version is harmless: that version will not be asked for again once a newer exists).
 *
 * Direct-mapped: the key's bytes pick one slot, and a put replaces whatever the slot
 * held. Memory is bounded by slots × (key + version + value), and values longer than
 * max_value are not kept. A hit copies the value into the caller's arena, so nothing
 * handed out is ever freed under a reader. Locks are striped over the slots. A NULL
 * memo keeps nothing (every get misses).
 */
#ifndef RENTD_MEMO_H
#define RENTD_MEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/str.h"

struct memo;

/* NULL when out of memory. slots is rounded up to a power of two. */
struct memo *memo_new(size_t slots, size_t max_value);
void memo_free(struct memo *m);

/* True and *out (in a) when the slot holds exactly (key, version). */
bool memo_get(struct memo *m, struct str key, struct str version, struct arena *a, struct str *out);
/* The same for a value of exactly len bytes, copied into out (no arena): false when absent or of another length. */
bool memo_get_fixed(struct memo *m, struct str key, struct str version, void *out, size_t len);
/* Keeps value under (key, version) unless it is too long or memory runs out (then nothing changes). */
void memo_put(struct memo *m, struct str key, struct str version, struct str value);

/* Hits and misses since memo_new (for tests and the logs). */
void memo_stats(struct memo *m, size_t *hits, size_t *misses);

#endif
