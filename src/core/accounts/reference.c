/*
 * reference.c — the accounts dialect's reference data (core/accounts/reference.h).
 *
 * reference_contains() runs on every account write, so the lists are read from the
 * database once and kept in a process-wide, read-only cache: the first caller loads it
 * under a mutex, everyone after reads it without a lock (an acquire load of `ready`).
 * The lists are migration data, identical in every database of this schema, so one
 * cache serves every store the process opens (the tests open many). A failed load is
 * retried by the next caller.
 */
#include "core/accounts/reference.h"

#include <pthread.h>
#include <stdatomic.h>

#include "base/log.h"

struct ref_list {
	struct str name;
	struct reference_value *values;
	size_t n;
};

static struct {
	pthread_mutex_t lock;
	atomic_bool ready;
	struct arena *arena; /* owns everything below; lives as long as the process */
	struct ref_list *lists;
	size_t n;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Groups rows (ordered by list, then position) into lists, all in a. */
static void build_lists(struct arena *a, const struct reference_row *rows, size_t n)
{
	size_t nlists = 0;

	for (size_t i = 0; i < n; i++)
		nlists += i == 0 || !str_eq(rows[i].list, rows[i - 1].list);
	cache.lists = arena_calloc(a, nlists ? nlists : 1, sizeof(*cache.lists));
	cache.n = 0;
	for (size_t i = 0; i < n; i++) {
		struct ref_list *l;
		if (i == 0 || !str_eq(rows[i].list, rows[i - 1].list)) {
			size_t k = i;
			while (k < n && str_eq(rows[k].list, rows[i].list))
				k++;
			l = &cache.lists[cache.n++];
			l->name = rows[i].list;
			l->values = arena_calloc(a, k - i, sizeof(*l->values));
		}
		l = &cache.lists[cache.n - 1];
		l->values[l->n].value = rows[i].value;
		l->values[l->n].label = rows[i].label.ptr ? rows[i].label : STR_LIT("");
		l->n++;
	}
}

static int load(struct core *c, struct error *err)
{
	struct arena *a;
	struct error lerr;
	struct reference_row *rows;
	size_t n;
	int rc = 0;

	if (atomic_load_explicit(&cache.ready, memory_order_acquire))
		return 0;
	pthread_mutex_lock(&cache.lock);
	if (!atomic_load_explicit(&cache.ready, memory_order_relaxed)) {
		a = arena_create(8 * 1024);
		error_init(&lerr, a);
		if (store_reference_all(c->store, a, &rows, &n, &lerr) < 0) {
			log_msg(LOG_ERROR, "reference data: %s", lerr.message ? lerr.message : "cannot be read");
			arena_destroy(a);
			rc = error_set(err, ERROR_INTERNAL, NULL, "the reference data cannot be read");
		} else {
			build_lists(a, rows, n);
			cache.arena = a;
			atomic_store_explicit(&cache.ready, true, memory_order_release);
		}
	}
	pthread_mutex_unlock(&cache.lock);
	return rc;
}

static const struct ref_list *find(const char *list)
{
	for (size_t i = 0; i < cache.n; i++)
		if (str_eq_cstr(cache.lists[i].name, list))
			return &cache.lists[i];
	return NULL;
}

int reference_list(struct core *c, struct arena *a, const char *list, struct reference_value **out, size_t *n,
		   struct error *err)
{
	const struct ref_list *l;

	*out = NULL;
	*n = 0;
	if (load(c, err) < 0)
		return -1;
	l = find(list);
	if (!l)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such reference list");
	*out = arena_calloc(a, l->n ? l->n : 1, sizeof(**out));
	memcpy(*out, l->values, l->n * sizeof(**out));
	*n = l->n;
	return 0;
}

bool reference_contains(struct core *c, const char *list, struct str value)
{
	struct error err;
	const struct ref_list *l;

	if (!atomic_load_explicit(&cache.ready, memory_order_acquire)) {
		struct arena *a = arena_create(1024);
		int rc;
		error_init(&err, a);
		rc = load(c, &err);
		arena_destroy(a);
		if (rc < 0)
			return false;
	}
	l = find(list);
	for (size_t i = 0; l && i < l->n; i++)
		if (str_eq(l->values[i].value, value))
			return true;
	return false;
}

int reference_city(struct core *c, struct arena *a, struct str id, struct city *out, struct error *err)
{
	return store_city_get(c->store, a, id, out, err);
}

int reference_country(struct core *c, struct arena *a, struct str id, struct country *out, struct error *err)
{
	return store_country_get(c->store, a, id, out, err);
}
