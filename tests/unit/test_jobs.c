/*
 * test_jobs.c — the registry of job kinds (jobs/jobs.h), the areas' kinds registered by
 * the server's assembly (wiring/server.h), and the queue's leased claim
 * (store/store_jobs.h) on a real migrated SQLite database.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/log.h"
#include "core/listings/listings.h"
#include "core/media/media.h"
#include "core/accounts/notify.h"
#include "jobs/jobs.h"
#include "store/store_jobs.h"
#include "wiring/server.h"

static struct arena *arena;
static struct error err;
static char dbpath[64];
static struct store *st;
static struct core core;
static int runs;
static struct str seen_payload;

static void setup(void)
{
	int applied, fd;

	log_set_level(LOG_OFF);
	arena = arena_create(4096);
	error_init(&err, arena);
	snprintf(dbpath, sizeof(dbpath), "/tmp/rentd-jobs-XXXXXX");
	fd = mkstemp(dbpath);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(store_open(dbpath, &st, &err), 0);
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "%s", err.message);
	memset(&core, 0, sizeof(core));
	core.store = st;
	runs = 0;
}

static void teardown(void)
{
	char side[80];
	store_close(st);
	unlink(dbpath);
	snprintf(side, sizeof(side), "%s-wal", dbpath);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", dbpath);
	unlink(side);
	arena_destroy(arena);
}

TestSuite(jobs, .init = setup, .fini = teardown);

static int run_probe(struct core *c, struct arena *a, const struct job *job, struct error *e)
{
	(void)c;
	(void)e;
	runs++;
	seen_payload = (struct str){ arena_strndup(arena, job->payload.ptr, job->payload.len), job->payload.len };
	(void)a;
	return 0;
}

static int64_t count(const char *state)
{
	int64_t n = -1;
	cr_assert_eq(store_job_count(st, state, &n, &err), 0, "%s", err.message);
	return n;
}

Test(jobs, a_registered_kind_runs_with_its_payload)
{
	static const struct job_kind k[] = { { "test_probe", run_probe } };

	cr_assert_eq(jobs_register(k, 1), 0);
	cr_assert_eq(store_job_insert(st, "test_probe", STR_LIT("42"), 0, &err), 0, "%s", err.message);
	cr_assert_eq(jobs_run_one(&core), 1);
	cr_assert_eq(runs, 1);
	cr_assert(str_eq_cstr(seen_payload, "42"));
	cr_assert_eq(count("done"), 1);
}

Test(jobs, a_kind_is_registered_once)
{
	static const struct job_kind k[] = { { "test_twice", run_probe } };

	cr_assert_eq(jobs_register(k, 1), 0);
	cr_assert_eq(jobs_register(k, 1), -1);
}

/* The runner has no kind of its own: a kind the media area queues is free until it is registered. */
Test(jobs, the_runner_knows_no_kind_of_its_own)
{
	static const struct job_kind k[] = { { MEDIA_JOB_THUMBNAILS, run_probe } };

	cr_assert_eq(jobs_register(k, 1), 0);
	cr_assert_eq(store_job_insert(st, MEDIA_JOB_THUMBNAILS, STR_LIT("7"), 0, &err), 0, "%s", err.message);
	cr_assert_eq(jobs_run_one(&core), 1);
	cr_assert_eq(runs, 1, "the registered run, not one of the runner's");
	cr_assert_eq(count("done"), 1);
}

/*
 * The server's assembly registers every area's table, once however often it is asked:
 * afterwards each of their kinds is taken, so the workers can run every job the areas queue.
 */
Test(jobs, the_server_registers_every_areas_kinds)
{
	const struct {
		const struct job_kind *kinds;
		size_t n;
	} areas[] = {
		{ media_job_kinds, media_job_kinds_count },
		{ notify_job_kinds, notify_job_kinds_count },
		{ listings_job_kinds, listings_job_kinds_count },
	};
	const char *queued[] = { MEDIA_JOB_THUMBNAILS, MEDIA_JOB_COMPRESS_VIDEO, NOTIFY_JOB_KIND, LISTINGS_JOB_PUBLISH,
				 LISTINGS_JOB_PURGE };
	size_t total = 0;

	cr_assert_eq(server_register_job_kinds(), 0);
	cr_assert_eq(server_register_job_kinds(), 0, "a second assembly in the same process registers nothing again");
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		for (size_t j = 0; j < areas[i].n; j++) {
			cr_assert_eq(jobs_register(&areas[i].kinds[j], 1), -1, "%s not registered",
				     areas[i].kinds[j].kind);
			total++;
		}
	cr_assert_eq(total, sizeof(queued) / sizeof(queued[0]));
	for (size_t i = 0; i < sizeof(queued) / sizeof(queued[0]); i++) {
		struct job_kind probe = { queued[i], run_probe };
		cr_assert_eq(jobs_register(&probe, 1), -1, "%s is queued but not registered", queued[i]);
	}
}

Test(jobs, an_unknown_kind_fails_at_once)
{
	cr_assert_eq(store_job_insert(st, "nobody_registered_this", STR_LIT("1"), 0, &err), 0, "%s", err.message);
	cr_assert_eq(jobs_run_one(&core), 1);
	cr_assert_eq(count("failed"), 1);
	cr_assert_eq(count("queued"), 0);
}

Test(jobs, a_claim_holds_until_its_lease_expires)
{
	struct job a, b;

	cr_assert_eq(store_job_insert(st, "test_lease", STR_LIT("x"), 100, &err), 0, "%s", err.message);
	cr_assert_eq(store_job_claim(st, arena, 99, 60, &a, &err), 0, "not due yet");
	cr_assert_eq(store_job_claim(st, arena, 100, 60, &a, &err), 1, "%s", err.message);
	cr_assert_eq(a.attempts, 1);
	/* another worker (or process) finds nothing while the lease holds … */
	cr_assert_eq(store_job_claim(st, arena, 160, 60, &b, &err), 0);
	/* … and takes the job over once it has expired */
	cr_assert_eq(store_job_claim(st, arena, 161, 60, &b, &err), 1, "%s", err.message);
	cr_assert_eq(b.id, a.id);
	cr_assert_eq(b.attempts, 2);
}
