#include "base/workpool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "base/arena.h"

struct workpool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct workpool_job *head, *tail;
	bool stopping;
	bool batched;
	struct workpool_batch batch;
	unsigned max_batch;
	unsigned nthreads;
	pthread_t threads[];
};

/* Detaches up to max queued jobs (the lock held); *n gets their number. */
static struct workpool_job *take_jobs(struct workpool *p, unsigned max, unsigned *n)
{
	struct workpool_job *first = p->head, *last = first;
	*n = 0;
	if (!first || !max)
		return NULL;
	for (*n = 1; last->next && *n < max; last = last->next)
		(*n)++;
	p->head = last->next;
	if (!p->head)
		p->tail = NULL;
	last->next = NULL;
	return first;
}

/*
 * The batched pool's thread: every queued job (up to max_batch) between one begin and one
 * end. Jobs that arrive while the batch runs join it before the commit, so a job that just
 * missed the start does not wait for a whole second commit.
 */
static void *batch_worker(struct workpool *p)
{
	for (;;) {
		struct workpool_job *first, *more, *job, *next;
		unsigned n, k;
		int rc;

		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->cond, &p->lock);
		first = take_jobs(p, p->max_batch, &n);
		pthread_mutex_unlock(&p->lock);
		if (!first)
			return NULL;

		rc = p->batch.begin(p->batch.arg);
		for (job = first; job; job = job->next) {
			if (rc >= 0)
				job->run(job);
			if (!job->next && rc >= 0 && n < p->max_batch) { /* late arrivals join */
				pthread_mutex_lock(&p->lock);
				more = take_jobs(p, p->max_batch - n, &k);
				pthread_mutex_unlock(&p->lock);
				job->next = more;
				n += k;
			}
		}
		rc = p->batch.end(p->batch.arg, rc >= 0) < 0 || rc < 0 ? -1 : 0;
		for (job = first; job; job = next) {
			next = job->next; /* done() may free the job */
			job->failed = rc < 0;
			job->done(job);
		}
	}
}

static void *worker(void *arg)
{
	struct workpool *p = arg;

	if (p->batched)
		return batch_worker(p);
	for (;;) {
		struct workpool_job *job;

		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->cond, &p->lock);
		job = p->head;
		if (!job) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		p->head = job->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		job->run(job);
		job->done(job);
	}
}

struct workpool *workpool_create(unsigned threads)
{
	struct workpool *p;

	if (threads == 0)
		threads = 1;
	p = calloc(1, sizeof(*p) + threads * sizeof(pthread_t));
	if (!p)
		die_oom();
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (unsigned i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			die_oom();
		p->nthreads++;
	}
	return p;
}

struct workpool *workpool_create_batched(const struct workpool_batch *batch, unsigned max_batch)
{
	struct workpool *p = calloc(1, sizeof(*p) + sizeof(pthread_t));
	if (!p)
		die_oom();
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->batched = true;
	p->batch = *batch;
	p->max_batch = max_batch ? max_batch : 1;
	if (pthread_create(&p->threads[0], NULL, worker, p) != 0)
		die_oom();
	p->nthreads = 1;
	return p;
}

void workpool_destroy(struct workpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void workpool_submit(struct workpool *p, struct workpool_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = job;
	else
		p->head = job;
	p->tail = job;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

struct sync_job {
	struct workpool_job job;
	struct workpool_job *inner;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool finished;
};

static void sync_run(struct workpool_job *job)
{
	struct sync_job *s = (struct sync_job *)job;
	s->inner->run(s->inner);
}

static void sync_done(struct workpool_job *job)
{
	struct sync_job *s = (struct sync_job *)job;
	s->inner->failed = job->failed;
	if (s->inner->done)
		s->inner->done(s->inner);
	pthread_mutex_lock(&s->lock);
	s->finished = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void workpool_run_sync(struct workpool *p, struct workpool_job *job)
{
	struct sync_job s = { .job = { sync_run, sync_done, NULL, 0 }, .inner = job, .finished = false };

	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	workpool_submit(p, &s.job);
	pthread_mutex_lock(&s.lock);
	while (!s.finished)
		pthread_cond_wait(&s.cond, &s.lock);
	pthread_mutex_unlock(&s.lock);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
}
