/* Open applications on listings, for the letting process's benchmarks (application_seed.h). */
#include "seed/application_seed.h"

#include <stdio.h>
#include <string.h>

#include "core/market/applicants.h"
#include "core/market/objects.h"
#include "core/market/screening.h"
#include "store/identity/store_org.h"
#include "store/listings/store_projects.h"
#include "store/market/store_applicants.h"
#include "store/market/store_applications.h"
#include "store/market/store_market_objects.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

/* What every application of one listing shares. */
struct target {
	int64_t id;
	struct market_object_facts facts;
	const struct market_type *type;
	struct requirement_profile rules;
	bool has_rules;
	int64_t from_us, span_us; /* apply times: [from, from + span) */
};

static int load_target(struct core *c, struct arena *a, int64_t id, struct target *t, struct error *err)
{
	struct market_object_summary sum;
	unsigned audience = 0;
	int64_t now = core_now(), end;
	bool found;

	memset(t, 0, sizeof(*t));
	t->id = id;
	if (store_market_object_facts(c->store, a, id, now, &t->facts, &found, err) < 0)
		return -1;
	if (!found)
		return error_set(err, ERROR_NOT_FOUND, NULL, "listing %lld is not public", (long long)id);
	if (store_market_object_summary(c->store, a, id, &sum, err) < 0)
		return -1;
	if (t->facts.requirement_id) {
		if (store_requirement_get_by_id(c->store, a, t->facts.requirement_id, &t->rules, err) < 0)
			return -1;
		t->has_rules = true;
		audience = (t->rules.f.flag[REQ_STUDENT] ? 8u : 0u) | (t->rules.f.flag[REQ_SENIOR] ? 2u : 0u) |
			   (t->rules.f.flag[REQ_YOUTH] ? 4u : 0u);
	}
	t->type = market_type_of(audience);
	end = t->facts.start_processing_at && t->facts.start_processing_at < now ? t->facts.start_processing_at : now;
	end -= 1;
	if (sum.date_publish && end - sum.date_publish >= 3600) {
		t->from_us = sum.date_publish * 1000000;
		t->span_us = (end - sum.date_publish) * 1000000;
	} else {
		t->from_us = (end - 7 * 86400) * 1000000;
		t->span_us = (int64_t)7 * 86400 * 1000000;
	}
	return 0;
}

/* One applicant's application on t; *written false when they have an open one there already. */
static int seed_one(struct core *c, struct arena *a, const struct target *t, int64_t user_id, uint64_t *rng,
		    struct application_seed_result *out, struct error *err)
{
	struct applicant ap;
	struct application app;
	const struct queue_membership *m;
	struct screening scr;
	bool exists;
	int changed;

	if (store_application_open_exists(c->store, t->id, user_id, &exists, err) < 0)
		return -1;
	if (exists) {
		out->skipped++;
		return 0;
	}
	if (applicant_get(c, a, user_id, &ap, err) < 0)
		return -1;
	memset(&app, 0, sizeof(app));
	app.listing_id = t->id;
	app.company_id = t->facts.company_id;
	app.user_id = user_id;
	app.queue_type = str_from_cstr(t->type->id);
	app.applied_at = t->from_us + (int64_t)(next(rng) % (uint64_t)t->span_us);
	m = applicant_membership(&ap, t->type->id);
	app.queue_points = m ? applicant_points(m->joined_at, app.applied_at / 1000000) : 0;
	app.state = STR_LIT("registered");
	memset(&scr, 0, sizeof(scr));
	scr.approved = true;
	if (t->has_rules && ap.registered)
		screening_evaluate(a, &t->rules.f, &ap, t->facts.rent, app.applied_at / 1000000, LANG_SV, &scr);
	app.screening_approved = scr.approved;
	app.screening = screening_json(a, &scr);
	if (store_application_insert(c->store, &app, STR_LIT("{}"), err) < 0)
		return -1;
	out->applications++;
	out->screening_failed += !scr.approved;
	if (out->applications == 1 || app.queue_points < out->points_min)
		out->points_min = app.queue_points;
	if (app.queue_points > out->points_max)
		out->points_max = app.queue_points;
	if (next(rng) % 1000 < APPLICATION_SEED_TENANT_PER_MILLE && ap.user.personal_number.len) {
		if (store_tenant_add(c->store, t->facts.company_id, ap.user.personal_number, &changed, err) < 0)
			return -1;
		out->existing_tenants += changed;
	}
	return 0;
}

int application_seed(struct core *c, const int64_t *listings, size_t n, int64_t per_listing, int64_t offset,
		     struct application_seed_result *out, struct error *err)
{
	struct arena *la = arena_create(64 * 1024), *a = arena_create(16 * 1024);
	int64_t *ids, want = offset + (int64_t)n * per_listing;
	size_t count;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct target t;
		uint64_t rng = 0x9E3779B97F4A7C15ull ^ ((uint64_t)listings[i] * 0xBF58476D1CE4E5B9ull);

		arena_reset(la);
		if (load_target(c, la, listings[i], &t, err) < 0)
			goto out;
		/* the applicants of its queue, up to the last position any listing of the run takes */
		if (store_applicant_ids(c->store, la, str_from_cstr(t.type->id), want, &ids, &count, err) < 0)
			goto out;
		if ((int64_t)count < want) {
			error_set(err, ERROR_PRECONDITION, NULL,
				  "the %s queue has %zu applicants, %lld are needed: seed more with rentd seed --applicants N",
				  t.type->id, count, (long long)want);
			goto out;
		}
		for (int64_t k = 0; k < per_listing;) {
			int64_t end = k + APPLICATION_SEED_BATCH < per_listing ? k + APPLICATION_SEED_BATCH : per_listing;
			if (store_begin(c->store, err) < 0)
				goto out;
			for (; k < end; k++) {
				arena_reset(a);
				if (seed_one(c, a, &t, ids[offset + (int64_t)i * per_listing + k], &rng, out, err) < 0) {
					store_rollback(c->store);
					goto out;
				}
			}
			if (store_commit(c->store, err) < 0)
				goto out;
		}
		snprintf(out->queue, sizeof(out->queue), "%s", t.type->id);
	}
	rc = 0;
out:
	arena_destroy(a);
	arena_destroy(la);
	return rc;
}
