/* Background job workers and the registry of job kinds (jobs.h). */
#include "jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "store/store_jobs.h"

struct jobs {
	struct core *core;
	pthread_t *threads;
	unsigned nthreads;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stopping;
	int wakeups;
};

/* ---- the registry: the kinds come from the areas (core/job_kind.h), none from here ---- */

static struct {
	pthread_mutex_t mu;
	struct job_kind kinds[JOBS_MAX_KINDS];
	size_t n;
} registry = { .mu = PTHREAD_MUTEX_INITIALIZER };

int jobs_register(const struct job_kind *kinds, size_t n)
{
	int rc = 0;

	pthread_mutex_lock(&registry.mu);
	for (size_t i = 0; i < n && rc == 0; i++) {
		for (size_t j = 0; j < registry.n; j++)
			if (strcmp(registry.kinds[j].kind, kinds[i].kind) == 0)
				rc = -1;
		if (rc == 0 && registry.n == JOBS_MAX_KINDS)
			rc = -1;
		if (rc == 0)
			registry.kinds[registry.n++] = kinds[i];
	}
	pthread_mutex_unlock(&registry.mu);
	return rc;
}

static int run_job(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	int (*run)(struct core *, struct arena *, const struct job *, struct error *) = NULL;

	pthread_mutex_lock(&registry.mu);
	for (size_t i = 0; i < registry.n && !run; i++)
		if (str_eq_cstr(job->kind, registry.kinds[i].kind))
			run = registry.kinds[i].run;
	pthread_mutex_unlock(&registry.mu);
	if (!run)
		return error_set(err, ERROR_VALIDATION, NULL, "unknown job kind %.*s", STR_FMT(job->kind));
	return run(c, a, job, err);
}

int jobs_run_one(struct core *c)
{
	struct arena *a = arena_create(16 * 1024);
	struct error err, err2;
	struct job job;
	int64_t now = core_now();
	int rc;

	error_init(&err, a);
	error_init(&err2, a);
	rc = store_job_claim(c->store, a, now, JOBS_LEASE, &job, &err);
	if (rc <= 0) {
		if (rc < 0)
			log_error("jobs: cannot claim a job: %s", err.message ? err.message : "?");
		arena_destroy(a);
		return rc;
	}
	rc = run_job(c, a, &job, &err);
	if (rc > 0) {
		/* the kind has put the job back itself (core/job_kind.h) */
	} else if (rc == 0) {
		if (store_job_done(c->store, job.id, &err2) < 0)
			log_error("jobs: job %lld done but not recorded: %s", (long long)job.id, err2.message);
		else
			log_info("jobs: %.*s job %lld done", STR_FMT(job.kind), (long long)job.id);
	} else {
		/* validation and not-found failures cannot get better by waiting */
		int permanent = err.kind == ERROR_VALIDATION || err.kind == ERROR_NOT_FOUND ||
				job.attempts >= JOBS_MAX_ATTEMPTS;
		int64_t next = permanent ? 0 : core_now() + (30ll << (job.attempts - 1 < 10 ? job.attempts - 1 : 10));
		const char *msg = err.message ? err.message : "failed";
		log_warn("jobs: %.*s job %lld attempt %lld failed%s: %s", STR_FMT(job.kind), (long long)job.id,
			 (long long)job.attempts, permanent ? " for good" : "", msg);
		if (store_job_retry(c->store, job.id, next, str_from_cstr(msg), &err2) < 0)
			log_error("jobs: cannot record the failure of job %lld: %s", (long long)job.id, err2.message);
	}
	arena_destroy(a);
	return 1;
}

static void wake(void *arg)
{
	struct jobs *j = arg;
	pthread_mutex_lock(&j->mu);
	j->wakeups++;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static void *worker(void *arg)
{
	struct jobs *j = arg;
	struct error err;

	error_init(&err, NULL);
	/* background work yields the processor to requests: Linux's nice value is per thread */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), JOBS_NICE) < 0)
		log_warn("jobs: the worker keeps the server's priority: %s", strerror(errno));
	if (store_relax_commits(j->core->store, &err) < 0) /* its work is run again if lost: store.h */
		log_warn("jobs: the worker's commits stay synchronous: %s", err.message ? err.message : "failed");
	for (;;) {
		struct timespec ts;
		pthread_mutex_lock(&j->mu);
		if (j->stopping) {
			pthread_mutex_unlock(&j->mu);
			break;
		}
		pthread_mutex_unlock(&j->mu);
		if (jobs_run_one(j->core) == 1)
			continue;
		pthread_mutex_lock(&j->mu);
		if (!j->stopping && j->wakeups == 0) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&j->cv, &j->mu, &ts);
		}
		if (j->wakeups > 0)
			j->wakeups--;
		pthread_mutex_unlock(&j->mu);
	}
	return NULL;
}

struct jobs *jobs_start(struct core *c, unsigned workers)
{
	struct jobs *j = calloc(1, sizeof(*j));
	if (!j)
		die_oom();
	j->core = c;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	if (workers) {
		j->threads = calloc(workers, sizeof(*j->threads));
		if (!j->threads)
			die_oom();
	}
	for (unsigned i = 0; i < workers; i++) {
		if (pthread_create(&j->threads[i], NULL, worker, j) != 0) {
			log_error("jobs: cannot start worker %u", i);
			break;
		}
		j->nthreads++;
	}
	c->jobs_wake_arg = j;
	c->jobs_wake = wake;
	store_on_job_queued(c->store, wake, j);
	return j;
}

void jobs_stop(struct jobs *j)
{
	if (!j)
		return;
	j->core->jobs_wake = NULL;
	j->core->jobs_wake_arg = NULL;
	store_on_job_queued(j->core->store, NULL, NULL);
	pthread_mutex_lock(&j->mu);
	j->stopping = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	for (unsigned i = 0; i < j->nthreads; i++)
		pthread_join(j->threads[i], NULL);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j->threads);
	free(j);
}
