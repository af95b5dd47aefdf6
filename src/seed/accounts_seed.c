/* `rentd seed --accounts N --events M`: benchmark data for the accounts dialect (accounts_seed.h). */
#include "seed/accounts_seed.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "core/accounts/accounts.h"
#include "core/events.h"
#include "base/json_write.h"
#include "store/identity/store_org.h"

static const char *const types[] = { "private", "property_manager", "real_estate_agency", "subletter" };
static const char *const cities[] = { "madrid", "barcelona", "stockholm", "goteborg" };
static const char *const locales[] = { "es", "en", "sv", "es" };
static const char *const first_names[] = { "Lucía", "Hugo", "Martina", "Erik", "Sofía", "Elsa", "Mateo", "Oskar" };
static const char *const last_names[] = { "García", "Lindqvist", "Fernández", "Berg", "López", "Nilsson" };

#define PICK(arr, i) arr[(size_t)(i) % (sizeof(arr) / sizeof(arr[0]))]

static const struct event_actor seed_actor = { 0, { "cli", 3 }, { "seed@rentd.example", 18 }, { "rentd seed", 10 } };

static int seed_accounts(struct core *c, int64_t want, int64_t *made, struct error *err)
{
	struct arena *a = arena_create(16 * 1024);
	int64_t number = 0, misses = 0;
	int rc = 0;

	*made = 0;
	while (*made < want) {
		struct account_new in;
		struct str id;

		arena_reset(a);
		number++;
		memset(&in, 0, sizeof(in));
		in.name = str_from_cstr(arena_printf(a, "Seed Landlords %06lld SL", (long long)number));
		in.email = str_from_cstr(arena_printf(a, "seed%06lld@seed.rentd.example", (long long)number));
		in.type = str_from_cstr(PICK(types, number));
		in.phone = str_from_cstr(arena_printf(a, "+34 6%08lld", (long long)(number % 100000000)));
		in.first_name = str_from_cstr(PICK(first_names, number));
		in.last_name = str_from_cstr(PICK(last_names, number / 3));
		in.city_id = str_from_cstr(PICK(cities, number / 7));
		in.locale = str_from_cstr(PICK(locales, number / 5));
		if (accounts_create(c, a, NULL, &in, &seed_actor, &id, err) == 0) {
			(*made)++;
			continue;
		}
		/* a number an earlier run used: take the next, for a while */
		if (err->kind != ERROR_CONFLICT || ++misses > want + 1000000) {
			rc = -1;
			break;
		}
		error_forget(err);
		err->kind = ERROR_NONE;
	}
	arena_destroy(a);
	return rc;
}

/* One synthetic change of an account: type, payload and before/after, as the operations write them. */
static void seed_change(struct arena *a, int64_t k, const struct company *co, int64_t us, struct event_new *e)
{
	struct buf b;
	struct jw w;
	int kind = (int)(k % 4);

	buf_init(&b, a, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	e->aggregate = "account";
	e->aggregate_id = co->uuid;
	switch (kind) {
	case 0:
		e->type = "AccountNameWasChanged";
		jw_kv_str(&w, "id", co->uuid);
		jw_kv_str(&w, "name", co->name);
		jw_kv_cstr(&w, "occurredOn", events_time(a, us, EVENT_TIME_00_00));
		e->before = str_from_cstr(arena_printf(a, "{\"name\":\"%.*s (old)\"}", STR_FMT(co->name)));
		e->after = str_from_cstr(arena_printf(a, "{\"name\":\"%.*s\"}", STR_FMT(co->name)));
		break;
	case 1:
		e->type = "AccountPlanWasChanged";
		jw_kv_str(&w, "accountId", co->uuid);
		jw_kv_cstr(&w, "accountPlan", k % 8 == 1 ? "plus" : "standard");
		jw_key(&w, "user");
		jw_object_begin(&w);
		jw_kv_cstr(&w, "identity", "cli");
		jw_object_end(&w);
		jw_kv_cstr(&w, "occurredOn", events_time(a, us, EVENT_TIME_0000));
		e->before = STR_LIT("{\"accountPlan\":\"standard\"}");
		e->after = str_from_cstr(k % 8 == 1 ? "{\"accountPlan\":\"plus\"}" : "{\"accountPlan\":\"standard\"}");
		break;
	case 2:
		e->type = "ContactWasUpdated";
		e->aggregate = "contact";
		e->aggregate_id = str_from_cstr(arena_printf(a, "%lld", (long long)co->id));
		jw_kv_str(&w, "accountId", co->uuid);
		jw_key(&w, "contact");
		jw_object_begin(&w);
		jw_kv_int(&w, "contactId", co->id);
		jw_kv_cstr(&w, "firstName", PICK(first_names, k));
		jw_kv_cstr(&w, "lastName", PICK(last_names, k));
		jw_kv_cstr(&w, "email", arena_printf(a, "contact%lld@seed.rentd.example", (long long)co->id));
		jw_kv_cstr(&w, "phone", "+34 600 000 000");
		jw_kv_null(&w, "address");
		jw_kv_null(&w, "zipCode");
		jw_kv_null(&w, "position");
		jw_kv_null(&w, "notes");
		jw_kv_bool(&w, "deleted", false);
		jw_object_end(&w);
		jw_key(&w, "user");
		jw_object_begin(&w);
		jw_kv_cstr(&w, "identity", "cli");
		jw_object_end(&w);
		jw_kv_cstr(&w, "occurredOn", events_time(a, us, EVENT_TIME_00_00));
		e->before = STR_LIT("{\"phone\":\"+34 600 000 001\"}");
		e->after = STR_LIT("{\"phone\":\"+34 600 000 000\"}");
		break;
	default:
		e->type = "CommissionWasUpdated";
		jw_kv_str(&w, "id", co->uuid);
		jw_kv_cstr(&w, "occurredOn", events_time(a, us, EVENT_TIME_0000));
		jw_kv_cstr(&w, "type", "percentage");
		jw_kv_int(&w, "value", 500 + k % 700);
		e->before = STR_LIT("{\"commission\":{\"type\":\"percentage\",\"value\":600}}");
		e->after = str_from_cstr(arena_printf(a, "{\"commission\":{\"type\":\"percentage\",\"value\":%lld}}",
						      (long long)(500 + k % 700)));
		break;
	}
	jw_object_end(&w);
	e->payload = buf_str(&b);
}

static int seed_batch(struct core *c, struct arena *a, const struct company *list, size_t n, int64_t from,
		      int64_t count, int64_t total, int64_t end_us, struct error *err)
{
	if (store_begin(c->store, err) < 0)
		return -1;
	for (int64_t k = from; k < from + count; k++) {
		struct event_new e;
		const struct company *co = &list[(size_t)k % n];

		arena_reset(a);
		memset(&e, 0, sizeof(e));
		e.company_id = co->id;
		e.occurred_us = end_us - (total - k) * 1000000;
		e.actor = &seed_actor;
		seed_change(a, k, co, e.occurred_us, &e);
		if (events_append(c, &e, NULL, err) < 0) {
			store_rollback(c->store);
			return -1;
		}
	}
	return store_commit(c->store, err);
}

static int seed_events(struct core *c, struct arena *list_arena, int64_t want, struct error *err)
{
	struct arena *a = arena_create(16 * 1024);
	struct company *list;
	size_t n;
	int64_t end_us = core_now_us();
	int rc = 0;

	if (store_company_list(c->store, list_arena, &list, &n, err) < 0) {
		rc = -1;
	} else if (n == 0) {
		rc = error_set(err, ERROR_VALIDATION, NULL, "no accounts to seed events for (give --accounts too)");
	} else {
		for (int64_t k = 0; rc == 0 && k < want; k += EVENTS_SEED_BATCH)
			rc = seed_batch(c, a, list, n, k, want - k < EVENTS_SEED_BATCH ? want - k : EVENTS_SEED_BATCH, want,
					end_us, err);
	}
	arena_destroy(a);
	return rc;
}

int accounts_seed(struct core *c, int64_t accounts, int64_t events, struct accounts_seed_result *out,
		  struct error *err)
{
	struct arena *a = arena_create(64 * 1024);
	struct company *list;
	size_t n;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (accounts < 0 || accounts > ACCOUNTS_SEED_MAX || events < 0 || events > EVENTS_SEED_MAX) {
		error_set(err, ERROR_VALIDATION, NULL, "out of range");
		goto out;
	}
	if (accounts && seed_accounts(c, accounts, &out->accounts, err) < 0)
		goto out;
	if (events && seed_events(c, a, events, err) < 0)
		goto out;
	out->events = events;
	arena_reset(a);
	if (store_company_list(c->store, a, &list, &n, err) < 0)
		goto out;
	out->total_accounts = (int64_t)n;
	rc = 0;
out:
	arena_destroy(a);
	return rc;
}
