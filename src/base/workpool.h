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
	int failed;                /* a batched pool's: the batch around the job failed (see below) */
};

struct workpool;

struct workpool *workpool_create(unsigned threads);
/* Runs every queued job, then joins the threads. */
void workpool_destroy(struct workpool *p);
void workpool_submit(struct workpool *p, struct workpool_job *job);

/*
 * A batched pool: one thread that takes every queued job at once (at most max_batch), calls
 * begin(arg), each job's run — jobs queued meanwhile join the batch, up to max_batch — then
 * end(arg, ok) — ok false when begin failed, and then no
 * job ran — and finally each job's done with job->failed set when begin or end returned < 0.
 * This is group commit: the jobs write inside one transaction that begin opens and end
 * commits, so a burst of writers shares one commit (and its fsync) instead of queueing for
 * one each. A job that must not take the others down with it keeps its own work undoable
 * (a savepoint).
 */
struct workpool_batch {
	void *arg;
	int (*begin)(void *arg);
	int (*end)(void *arg, int ok);
};
struct workpool *workpool_create_batched(const struct workpool_batch *batch, unsigned max_batch);

/* Submits job and waits for done(): for callers with nothing else to do (CLI, tests). */
void workpool_run_sync(struct workpool *p, struct workpool_job *job);

#endif
