/* Reservation events for the webhook benchmark (webhook_seed.h). */
#include "seed/webhook_seed.h"

#include "core/market/process_events.h"
#include "core/transaction.h"
#include "store/listings/store_listings.h"

static int batch(struct core *c, struct arena *a, const struct listing *l, int64_t from, int64_t n, struct error *err)
{
	for (int64_t i = from; i < from + n; i++) {
		struct user u = { .id = 0 };
		u.first_name = str_from_cstr(arena_printf(a, "Seed%lld", (long long)i));
		u.last_name = str_from_cstr("Applicant");
		u.email = str_from_cstr(arena_printf(a, "seed%lld@example.se", (long long)i));
		u.personal_number = str_from_cstr("19900101-0000");
		if (process_event_reservation(c, a, l, &u, NULL, core_now_us(), err) < 0)
			return -1;
	}
	return 0;
}

int webhook_seed(struct core *c, int64_t company_id, int64_t listing_id, int64_t n, struct error *err)
{
	struct arena *a = arena_create(16 * 1024), *b = arena_create(1024 * 1024);
	struct listing l;
	int rc = -1;

	if (store_listing_get(c->store, a, company_id, listing_id, &l, err) < 0)
		goto out;
	for (int64_t done = 0; done < n; done += WEBHOOK_SEED_BATCH) {
		int64_t k = n - done < WEBHOOK_SEED_BATCH ? n - done : WEBHOOK_SEED_BATCH;
		arena_reset(b);
		if (store_begin(c->store, err) < 0 || core_transaction_end(c, batch(c, b, &l, done, k, err), err) < 0)
			goto out;
	}
	rc = 0;
out:
	arena_destroy(a);
	arena_destroy(b);
	return rc;
}
