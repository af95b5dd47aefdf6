/*
 * workpool.h — a small fixed pool of threads for slow CPU-bound jobs.
 *
 * Password hashing (argon2id, ~80 ms and 64 MiB each) runs here so that request
 * threads stay free and the memory such jobs take is bounded by the pool's size.
 * Jobs run in submission order; each calls job->run(job) on a pool thread, then
 * job->done(job). The pool does not own jobs: the submitter keeps each alive
 * until done() has been called.
 */
#ifndef RENTD_WORKPOOL_H
#define RENTD_WORKPOOL_H

#include <stddef.h>

struct workpool_job {
	void (*run)(struct workpool_job *job);
	void (*done)(struct workpool_job *job);
	struct workpool_job *next; /* the pool's queue link */
};

struct workpool;

struct workpool *workpool_create(unsigned threads);
/* Runs every queued job, then joins the threads. */
void workpool_destroy(struct workpool *p);
void workpool_submit(struct workpool *p, struct workpool_job *job);

/* Submits job and waits for done(): for callers with nothing else to do (CLI, tests). */
void workpool_run_sync(struct workpool *p, struct workpool_job *job);

#endif
