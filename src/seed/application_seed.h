/*
 * application_seed.h — `rentd seed --applications N --listing ID[,ID…] [--offset K]`: open
 * applications on listings, fast, for the letting process's benchmarks (issue 15: ranking
 * 100,000 applications on one listing; offers to answer).
 *
 * The applicants are seeded ones (`rentd seed --applicants`) of the listing's queue (its
 * market type: residential unless its requirement profile asks for students, seniors or
 * youths), taken in id order: listing i of the list gets the applicants at positions
 * K + i·N + 1 … K + (i + 1)·N, so the listings of one run have different applicants and
 * separate runs on the same K have the same ones (people apply for many listings). An
 * applicant who already has an open application there is skipped.
 *
 * Each application is what an apply stores (core/market/applications.h), written with
 * store_application_insert() in transactions of APPLICATION_SEED_BATCH, without the checks
 * of "may I apply?" (the listing's window may have closed: that is the point) and without
 * the outbox event:
 *   applied_at   spread at random (seeded, repeatable) over the listing's window, from its
 *                publication to its deadline (or to now when the deadline is ahead); the last
 *                seven days before that end when the window is shorter than an hour;
 *   queue_points the applicant's points in the queue at applied_at (applicant_points());
 *   screening    the listing's requirement profile evaluated for the applicant at applied_at
 *                (screening_evaluate()): the seeded profiles' payment remarks, incomes and
 *                households fail some of them, as they would;
 * and about APPLICATION_SEED_TENANT_PER_MILLE of the applicants become existing tenants of
 * the listing's company (existing_tenants, by personal number), for
 * prioritize_existing_tenants.
 */
#ifndef RENTD_APPLICATION_SEED_H
#define RENTD_APPLICATION_SEED_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define APPLICATION_SEED_MAX 1000000  /* applications a listing */
#define APPLICATION_SEED_LISTINGS 1000 /* listings a run */
#define APPLICATION_SEED_BATCH 5000
#define APPLICATION_SEED_TENANT_PER_MILLE 30

struct application_seed_result {
	int64_t applications;      /* written */
	int64_t skipped;           /* the applicant had an open application there already */
	int64_t screening_failed;  /* of those written */
	int64_t existing_tenants;  /* applicants made existing tenants of the company */
	int64_t points_min, points_max;
	char queue[16];            /* the queue of the last listing */
};

/* per_listing applications on each of the n listings, from the applicant at position offset on. */
int application_seed(struct core *c, const int64_t *listings, size_t n, int64_t per_listing, int64_t offset,
		     struct application_seed_result *out, struct error *err);

#endif
