/* A bounded cache of byte strings valid for one version each (memo.h). */
#include "base/memo.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_STRIPES 64

/* data holds key, then version, then value; cap is its allocated size. */
struct memo_entry {
	uint64_t hash;
	size_t klen, vlen, len, cap;
	char *data;
};

struct memo {
	size_t mask;
	size_t max_value;
	pthread_mutex_t locks[MEMO_STRIPES];
	_Atomic size_t hits, misses;
	struct memo_entry *slots;
};

static uint64_t fnv1a(struct str s)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < s.len; i++)
		h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ull;
	return h;
}

struct memo *memo_new(size_t slots, size_t max_value)
{
	struct memo *m = calloc(1, sizeof(*m));
	size_t n = 1;
	if (!m)
		return NULL;
	while (n < slots)
		n <<= 1;
	m->slots = calloc(n, sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	m->mask = n - 1;
	m->max_value = max_value;
	for (int i = 0; i < MEMO_STRIPES; i++)
		pthread_mutex_init(&m->locks[i], NULL);
	return m;
}

void memo_free(struct memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i <= m->mask; i++)
		free(m->slots[i].data);
	for (int i = 0; i < MEMO_STRIPES; i++)
		pthread_mutex_destroy(&m->locks[i]);
	free(m->slots);
	free(m);
}

static bool holds(const struct memo_entry *e, uint64_t h, struct str key, struct str version)
{
	return e->data && e->hash == h && e->klen == key.len && e->vlen == version.len &&
	       memcmp(e->data, key.ptr, key.len) == 0 && memcmp(e->data + key.len, version.ptr, version.len) == 0;
}

bool memo_get(struct memo *m, struct str key, struct str version, struct arena *a, struct str *out)
{
	uint64_t h = fnv1a(key);
	size_t i = m ? h & m->mask : 0;
	struct memo_entry *e = m ? &m->slots[i] : NULL;
	pthread_mutex_t *lock = m ? &m->locks[i % MEMO_STRIPES] : NULL;
	char *copy = NULL;
	bool hit;

	if (!m)
		return false;
	pthread_mutex_lock(lock);
	hit = holds(e, h, key, version);
	if (hit && (copy = arena_alloc(a, e->len + 1))) {
		memcpy(copy, e->data + e->klen + e->vlen, e->len);
		copy[e->len] = '\0';
		*out = (struct str){ copy, e->len };
	}
	pthread_mutex_unlock(lock);
	hit = hit && copy;
	atomic_fetch_add_explicit(hit ? &m->hits : &m->misses, 1, memory_order_relaxed);
	return hit;
}

bool memo_get_fixed(struct memo *m, struct str key, struct str version, void *out, size_t len)
{
	uint64_t h = fnv1a(key);
	struct memo_entry *e;
	pthread_mutex_t *lock;
	bool hit;

	if (!m)
		return false;
	e = &m->slots[h & m->mask];
	lock = &m->locks[(h & m->mask) % MEMO_STRIPES];
	pthread_mutex_lock(lock);
	hit = holds(e, h, key, version) && e->len == len;
	if (hit)
		memcpy(out, e->data + e->klen + e->vlen, len);
	pthread_mutex_unlock(lock);
	atomic_fetch_add_explicit(hit ? &m->hits : &m->misses, 1, memory_order_relaxed);
	return hit;
}

void memo_put(struct memo *m, struct str key, struct str version, struct str value)
{
	uint64_t h = fnv1a(key);
	size_t i = m ? h & m->mask : 0, need = key.len + version.len + value.len;
	struct memo_entry *e = m ? &m->slots[i] : NULL;
	pthread_mutex_t *lock = m ? &m->locks[i % MEMO_STRIPES] : NULL;

	if (!m || value.len > m->max_value)
		return;
	pthread_mutex_lock(lock);
	if (need > e->cap) {
		char *grown = realloc(e->data, need);
		if (!grown) {
			pthread_mutex_unlock(lock);
			return;
		}
		e->data = grown;
		e->cap = need;
	}
	e->hash = h;
	e->klen = key.len;
	e->vlen = version.len;
	e->len = value.len;
	if (key.len)
		memcpy(e->data, key.ptr, key.len);
	if (version.len)
		memcpy(e->data + key.len, version.ptr, version.len);
	if (value.len)
		memcpy(e->data + key.len + version.len, value.ptr, value.len);
	pthread_mutex_unlock(lock);
}

void memo_stats(struct memo *m, size_t *hits, size_t *misses)
{
	*hits = m ? atomic_load(&m->hits) : 0;
	*misses = m ? atomic_load(&m->misses) : 0;
}
