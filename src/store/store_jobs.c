/*
 * store_jobs.c — the durable job queue (store_jobs.h): one row per job in table jobs.
 */
#include "store/store_internal.h"
#include "store/store_jobs.h"

static const char sql_job_insert[] = "INSERT INTO jobs(kind, payload, next_run_at) VALUES (?1, ?2, ?3)";

static const char sql_job_queued[] = "SELECT 1 FROM jobs WHERE kind = ?1 AND payload = ?2 AND state = 'queued' LIMIT 1";

int store_job_queued(struct store *s, const char *kind, struct str payload, bool *queued, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_job_queued, err);
	int rc;
	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(kind));
	db_bind_text(st, 2, payload);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	*queued = rc == 1;
	if (rc == 1)
		db_reset(st);
	return 0;
}

int store_job_insert(struct store *s, const char *kind, struct str payload, int64_t run_at, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_job_insert, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(kind));
	db_bind_text(st, 2, payload);
	db_bind_int(st, 3, run_at);
	if (stmt_exec(st, err) < 0)
		return -1;
	store_note_job_queued();
	return 0;
}

/*
 * One statement claims, and two workers (threads or processes) never take the same job. On
 * SQLite the write lock serialises the UPDATEs and the second one no longer matches. On
 * PostgreSQL (READ COMMITTED, no write lock: db_pg.c) both subselects could pick the same row,
 * and the second UPDATE, once the first commits, would re-check only `id = <that id>` and take
 * it again: there the subselect locks the row it picks (FOR UPDATE) and passes over rows that
 * another claim holds (SKIP LOCKED), so concurrent claims take different jobs, and a row changed
 * by a claim that committed meanwhile is re-checked against the subselect's conditions. The
 * outer WHERE repeats those conditions on both backends: a job that is no longer runnable when
 * the UPDATE reaches it is never taken.
 */
#define JOB_RUNNABLE "((state = 'queued' AND next_run_at <= ?1) OR (state = 'running' AND locked_until < ?1))"
#define JOB_CLAIM(locking)                                                                                  \
	"UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?1 + ?2,"                  \
	" updated_at = ?3"                                                                                   \
	" WHERE id = (SELECT id FROM jobs WHERE " JOB_RUNNABLE " ORDER BY next_run_at, id LIMIT 1" locking ")" \
	" AND " JOB_RUNNABLE " RETURNING id, kind, payload, attempts"
static const char sql_job_claim_sqlite[] = JOB_CLAIM("");
static const char sql_job_claim_pg[] = JOB_CLAIM(" FOR UPDATE SKIP LOCKED");

int store_job_claim(struct store *s, struct arena *a, int64_t now, int64_t lease, struct job *out,
		    struct error *err)
{
	struct db *db = store_db(s, err);
	return db ? store_job_claim_on(db, a, now, lease, out, err) : -1;
}

int store_job_claim_on(struct db *db, struct arena *a, int64_t now, int64_t lease, struct job *out,
		       struct error *err)
{
	struct db_stmt *st = db_prepare(db, db_sql(db, sql_job_claim_sqlite, sql_job_claim_pg), err);
	int rc;
	if (!st)
		return -1;
	store_bind_now(st, 3);
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, lease);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	out->id = db_col_int(st, 0);
	out->kind = col_str(st, 1, a);
	out->payload = col_str(st, 2, a);
	out->attempts = db_col_int(st, 3);
	/* step to the end so the UPDATE's statement is complete before the reset */
	while (db_step(st, err) == DB_ROW)
		;
	db_reset(st);
	return 1;
}

static const char sql_job_done[] =
	"UPDATE jobs SET state = 'done', locked_until = NULL, last_error = NULL,"
	" updated_at = ?2 WHERE id = ?1";

int store_job_done(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_job_done, err);
	if (!st)
		return -1;
	store_bind_now(st, 2);
	db_bind_int(st, 1, id);
	return stmt_exec(st, err);
}

static const char sql_job_extend[] =
	"UPDATE jobs SET locked_until = ?2 WHERE id = ?1 AND state = 'running'";

int store_job_extend(struct store *s, int64_t id, int64_t locked_until, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_job_extend, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, locked_until);
	return stmt_exec(st, err);
}

static const char sql_job_retry[] =
	"UPDATE jobs SET state = CASE WHEN ?2 = 0 THEN 'failed' ELSE 'queued' END,"
	" next_run_at = CASE WHEN ?2 = 0 THEN next_run_at ELSE ?2 END, locked_until = NULL, last_error = ?3,"
	" updated_at = ?4 WHERE id = ?1";

int store_job_retry(struct store *s, int64_t id, int64_t next_run_at, struct str last_error, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_job_retry, err);
	if (!st)
		return -1;
	store_bind_now(st, 4);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, next_run_at);
	db_bind_text(st, 3, last_error);
	return stmt_exec(st, err);
}

static const char sql_job_count[] = "SELECT COUNT(*) FROM jobs WHERE state = ?1";

int store_job_count(struct store *s, const char *state, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_job_count, err);
	int rc;
	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(state));
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*n = rc ? db_col_int(st, 0) : 0;
	if (rc)
		db_reset(st);
	return 0;
}
