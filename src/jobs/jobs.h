/*
 * jobs.h — background workers over the durable job queue (store/store_jobs.h), and the
 * registry of job kinds: each area registers {kind, run} pairs; a worker runs a claimed
 * job with the run registered under its kind.
 *
 * A job is claimed with one UPDATE … RETURNING (queued and due, or running with an expired
 * lease), so several threads or processes share a queue and a job whose worker died is
 * taken again once its lease (JOBS_LEASE seconds) runs out. A failed job is retried with
 * a growing delay (30 s, 60 s, 120 s, …) up to JOBS_MAX_ATTEMPTS, then left as 'failed';
 * a job that can never succeed (undecodable image) fails at once.
 *
 * The runner knows no kind of its own: each area defines its kinds in core/ (struct
 * job_kind, core/job_kind.h: media_job_kinds, notify_job_kinds, listings_job_kinds) and
 * the server's assembly registers them (server_register_job_kinds, wiring/server.h)
 * before any worker runs.
 *
 * jobs_start() runs `workers` threads and sets core->jobs_wake so that a commit that
 * queues a job wakes one at once (they also poll every second). jobs_stop() lets each
 * worker finish the job it is running, then joins them: queued jobs stay queued for the
 * next start. libvips must be initialised before (main.c: VIPS_INIT).
 */
#ifndef RENTD_JOBS_H
#define RENTD_JOBS_H

#include <stddef.h>

#include "base/arena.h"
#include "base/error.h"
#include "core/core.h"
#include "core/job_kind.h"
#include "store/store_jobs.h"

#define JOBS_LEASE 300
/* The workers' nice value: thumbnails, e-mails and webhooks give way to requests on a busy machine. */
#define JOBS_NICE 10
#define JOBS_MAX_KINDS 32
/* JOBS_MAX_ATTEMPTS and struct job_kind are in core/job_kind.h, beside the areas that define kinds. */

/*
 * Adds kinds to the process's registry, before workers run them (jobs_start,
 * jobs_run_one). -1 when a kind is registered already or the registry (JOBS_MAX_KINDS)
 * is full: the kinds before it stay registered. A job of a kind nobody registered fails
 * at once (ERROR_VALIDATION "unknown job kind …").
 */
int jobs_register(const struct job_kind *kinds, size_t n);

struct jobs;

struct jobs *jobs_start(struct core *c, unsigned workers);
void jobs_stop(struct jobs *j);

/* Runs one due job on the calling thread: 1 ran one (done or not), 0 none due, -1 queue error. */
int jobs_run_one(struct core *c);

#endif
