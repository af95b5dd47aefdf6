/*
 * job_kind.h — what an area hands the background job runner (jobs/jobs.h): each kind of
 * job it queues (store_job_insert) with the function that runs it.
 *
 * Each area defines its kinds beside its rules, as a table: media_job_kinds (core/media/media.h),
 * notify_job_kinds (core/accounts/notify.h), listings_job_kinds (core/listings/listings.h). The server's
 * assembly registers the tables with jobs_register() (server_register_job_kinds in
 * wiring/server.c), so the runner knows no kind of its own and a new area (webhook
 * deliveries) adds a table and one line there, not a branch in jobs/. The type lives in
 * core/ because the areas do, and core/ may not include jobs/ above it.
 */
#ifndef RENTD_JOB_KIND_H
#define RENTD_JOB_KIND_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "core/core.h"
#include "store/store_jobs.h"

/*
 * The runner's attempts at a job before it is left as 'failed': a run whose
 * job->attempts reaches it is the last (notify marks its e-mail failed then).
 */
#define JOBS_MAX_ATTEMPTS 5

/*
 * A kind of job and what runs it: run gets the claimed job, its payload as queued, and
 * returns 0 (done), -1 with err (retried later, or failed for good: jobs/jobs.h), or 1 when
 * it has put its job back in the queue itself (store_job_retry: a job that comes again).
 */
struct job_kind {
	const char *kind; /* the name it is queued under (store_job_insert) */
	int (*run)(struct core *c, struct arena *a, const struct job *job, struct error *err);
};

/* A payload that is one row id (the media and notify kinds); ERROR_VALIDATION otherwise. */
static inline int job_payload_id(const struct job *job, int64_t *id, struct error *err)
{
	if (str_to_int64(job->payload, id) < 0)
		return error_set(err, ERROR_VALIDATION, NULL, "bad payload");
	return 0;
}

#endif
