/* The workpool (base/workpool.h): plain jobs, and the batched pool of the group commit. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "base/workpool.h"

struct tjob {
	struct workpool_job job;
	int ran;       /* run calls */
	int batch;     /* the batch it ran in */
	int in_batch;  /* run between begin and end */
	atomic_int *done;
	int sleep_us;
};

struct batches {
	pthread_mutex_t lock;
	int begun, ended, open;
	int fail_begin_at, fail_end_at; /* 1-based batch numbers; 0: never */
	int max_seen;
	int current_size;
};

static struct batches B;

static void tjob_run(struct workpool_job *job)
{
	struct tjob *t = (struct tjob *)job;
	if (t->sleep_us)
		usleep((useconds_t)t->sleep_us);
	t->ran++;
	t->batch = B.begun;
	t->in_batch = B.open;
	B.current_size++;
}

static void tjob_done(struct workpool_job *job)
{
	struct tjob *t = (struct tjob *)job;
	atomic_fetch_add(t->done, 1);
}

static int hook_begin(void *arg)
{
	(void)arg;
	B.begun++;
	B.current_size = 0;
	if (B.begun == B.fail_begin_at)
		return -1;
	B.open = 1;
	return 0;
}

static int hook_end(void *arg, int ok)
{
	(void)arg;
	B.open = 0;
	B.ended++;
	if (B.current_size > B.max_seen)
		B.max_seen = B.current_size;
	if (!ok || B.ended == B.fail_end_at)
		return -1;
	return 0;
}

static void wait_done(atomic_int *done, int n)
{
	for (int i = 0; i < 5000 && atomic_load(done) < n; i++)
		usleep(1000);
	cr_assert_eq(atomic_load(done), n, "%d of %d jobs done", atomic_load(done), n);
}

static void init_jobs(struct tjob *jobs, int n, atomic_int *done)
{
	memset(jobs, 0, (size_t)n * sizeof(*jobs));
	for (int i = 0; i < n; i++) {
		jobs[i].job.run = tjob_run;
		jobs[i].job.done = tjob_done;
		jobs[i].done = done;
	}
}

Test(workpool, plain_pool_runs_every_job_once)
{
	struct workpool *p = workpool_create(2);
	struct tjob jobs[50];
	atomic_int done = 0;

	memset(&B, 0, sizeof(B));
	init_jobs(jobs, 50, &done);
	for (int i = 0; i < 50; i++)
		workpool_submit(p, &jobs[i].job);
	wait_done(&done, 50);
	for (int i = 0; i < 50; i++) {
		cr_assert_eq(jobs[i].ran, 1);
		cr_assert_eq(jobs[i].job.failed, 0);
	}
	workpool_destroy(p);
}

/* Jobs queued while a batch runs join it before its end (its commit): one begin, one end for all. */
Test(workpool, batched_pool_groups_queued_jobs)
{
	struct workpool_batch hooks = { NULL, hook_begin, hook_end };
	struct workpool *p;
	struct tjob jobs[100];
	atomic_int done = 0;

	memset(&B, 0, sizeof(B));
	p = workpool_create_batched(&hooks, 512);
	init_jobs(jobs, 100, &done);
	jobs[0].sleep_us = 50000; /* the first batch holds the thread while the rest queue up */
	workpool_submit(p, &jobs[0].job);
	usleep(10000);
	for (int i = 1; i < 100; i++)
		workpool_submit(p, &jobs[i].job);
	wait_done(&done, 100);
	for (int i = 0; i < 100; i++) {
		cr_assert_eq(jobs[i].ran, 1, "job %d", i);
		cr_assert_eq(jobs[i].in_batch, 1, "job %d ran outside a batch", i);
		cr_assert_eq(jobs[i].job.failed, 0);
	}
	cr_assert_eq(B.begun, B.ended);
	cr_assert_eq(B.begun, 1, "the 99 queued while the first ran joined its batch (%d batches)", B.begun);
	cr_assert_eq(B.max_seen, 100);
	workpool_destroy(p);
}

Test(workpool, batched_pool_respects_its_batch_size)
{
	struct workpool_batch hooks = { NULL, hook_begin, hook_end };
	struct workpool *p;
	struct tjob jobs[41];
	atomic_int done = 0;

	memset(&B, 0, sizeof(B));
	p = workpool_create_batched(&hooks, 10);
	init_jobs(jobs, 41, &done);
	jobs[0].sleep_us = 50000;
	workpool_submit(p, &jobs[0].job);
	usleep(10000);
	for (int i = 1; i < 41; i++)
		workpool_submit(p, &jobs[i].job);
	wait_done(&done, 41);
	cr_assert_eq(B.max_seen, 10);
	cr_assert_eq(B.begun, 5); /* 10 (the first and 9 that joined it) + 10 + 10 + 10 + 1 */
	workpool_destroy(p);
}

/* A failed end (the commit) fails every job of that batch and no other; a failed begin runs none of its jobs. */
Test(workpool, a_failed_batch_marks_its_jobs)
{
	struct workpool_batch hooks = { NULL, hook_begin, hook_end };
	struct workpool *p;
	struct tjob jobs[3];
	atomic_int done = 0;

	memset(&B, 0, sizeof(B));
	B.fail_end_at = 1;
	B.fail_begin_at = 2;
	p = workpool_create_batched(&hooks, 512);
	init_jobs(jobs, 3, &done);
	for (int i = 0; i < 3; i++) {
		workpool_submit(p, &jobs[i].job);
		wait_done(&done, i + 1); /* one batch each */
	}
	cr_assert_eq(jobs[0].ran, 1);
	cr_assert_eq(jobs[0].job.failed, 1, "the commit of its batch failed");
	cr_assert_eq(jobs[1].ran, 0, "its batch never began");
	cr_assert_eq(jobs[1].job.failed, 1);
	cr_assert_eq(jobs[2].ran, 1);
	cr_assert_eq(jobs[2].job.failed, 0);
	workpool_destroy(p);
}

/* workpool_run_sync hands the batch's verdict to the caller's job. */
Test(workpool, run_sync_reports_a_failed_batch)
{
	struct workpool_batch hooks = { NULL, hook_begin, hook_end };
	struct workpool *p;
	struct tjob job;
	atomic_int done = 0;

	memset(&B, 0, sizeof(B));
	B.fail_end_at = 1;
	p = workpool_create_batched(&hooks, 512);
	init_jobs(&job, 1, &done);
	workpool_run_sync(p, &job.job);
	cr_assert_eq(job.ran, 1);
	cr_assert_eq(job.job.failed, 1);
	cr_assert_eq(atomic_load(&done), 1);
	workpool_destroy(p);
}
