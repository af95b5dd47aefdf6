/*
 * store_jobs.h — the durable background job queue (table jobs).
 *
 * A job is a kind (the name its runner is registered under, jobs/jobs.h), a payload
 * text and the time it may run. Workers take jobs with a claim that carries a lease:
 * the claim marks the job running until now + lease in one statement, so two workers
 * — threads of one rentd or several rentd processes over the same database — never hold
 * the same job, and a job whose worker died is claimed again once its lease has expired.
 * Nothing here is an in-process lock. Times are seconds since the epoch, from the caller.
 */
#ifndef RENTD_STORE_JOBS_H
#define RENTD_STORE_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct job {
	int64_t id;
	struct str kind;
	struct str payload;
	int64_t attempts; /* including this one */
};

int store_job_insert(struct store *s, const char *kind, struct str payload, int64_t run_at, struct error *err);
/* Whether a job of kind with this payload is queued (not yet claimed). */
int store_job_queued(struct store *s, const char *kind, struct str payload, bool *queued, struct error *err);
/*
 * Claims the next runnable job (queued and due, or running with an expired lease):
 * state running, attempts + 1, locked_until now + lease. 1 claimed, 0 none, -1 error.
 */
int store_job_claim(struct store *s, struct arena *a, int64_t now, int64_t lease, struct job *out,
		    struct error *err);
/* The same claim on a given connection (tests/pg races two connections with it). */
int store_job_claim_on(struct db *db, struct arena *a, int64_t now, int64_t lease, struct job *out,
		       struct error *err);
int store_job_done(struct store *s, int64_t id, struct error *err);
/* A running job's lease now ends at locked_until (a job that knows it will take long). */
int store_job_extend(struct store *s, int64_t id, int64_t locked_until, struct error *err);
/* Back to queued at next_run_at, or failed for good when next_run_at is 0. */
int store_job_retry(struct store *s, int64_t id, int64_t next_run_at, struct str last_error, struct error *err);
/* Jobs in a state ("queued", "running", "done", "failed"). */
int store_job_count(struct store *s, const char *state, int64_t *n, struct error *err);

#endif
