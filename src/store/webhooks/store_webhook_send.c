/* What the webhook sender reads and writes (store_webhook_send.h). */
#include "store/store_internal.h"
#include "store/webhooks/store_webhook_send.h"

static const char sql_mark_head[] =
	"UPDATE webhook_subscriptions SET head_seq = ?3"
	" WHERE company_id = ?1 AND active = 1 AND (event_types & ?2) <> 0 AND head_seq < ?3 RETURNING id";

int store_webhook_mark_head(struct store *s, int64_t company_id, unsigned bit, int64_t seq, bool *marked,
			    struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_mark_head, err);
	int rc;

	*marked = false;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, bit);
	db_bind_int(st, 3, seq);
	while ((rc = db_step(st, err)) == DB_ROW)
		*marked = true;
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * The job row is unique for its kind (jobs_webhook_delivery, migration 0028): a running job is
 * left alone (it looks again before it ends), a done or failed one is queued again, a queued
 * one is brought forward.
 */
static const char sql_queue_job[] =
	"INSERT INTO jobs(kind, payload, next_run_at) VALUES (?1, '', ?2)"
	" ON CONFLICT(payload) WHERE kind = 'webhook_delivery' DO UPDATE SET state = 'queued', next_run_at = ?2,"
	" locked_until = NULL, updated_at = ?3"
	" WHERE jobs.state IN ('done', 'failed') OR (jobs.state = 'queued' AND jobs.next_run_at > ?2)";

int store_webhook_queue_job(struct store *s, const char *kind, int64_t run_at, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_queue_job, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(kind));
	db_bind_int(st, 2, run_at);
	store_bind_now(st, 3);
	if (stmt_exec(st, err) < 0)
		return -1;
	store_note_job_queued();
	return 0;
}

#define TARGET_COLUMNS                                                                                  \
	"id, company_id, url, event_types, secret, previous_secret, previous_until_us, position, head_seq," \
	" head_attempts, failing_since_us"

static void read_target(struct db_stmt *st, struct arena *a, void *row)
{
	struct webhook_target_row *t = row;
	t->id = db_col_int(st, 0);
	t->company_id = db_col_int(st, 1);
	t->url = col_str(st, 2, a);
	t->events = (unsigned)db_col_int(st, 3);
	t->secret = col_str(st, 4, a);
	t->previous_secret = col_str(st, 5, a);
	t->previous_until_us = db_col_int(st, 6);
	t->position = db_col_int(st, 7);
	t->head_seq = db_col_int(st, 8);
	t->head_attempts = db_col_int(st, 9);
	t->failing_since_us = db_col_int(st, 10);
}

static const char sql_due[] = "SELECT " TARGET_COLUMNS " FROM webhook_subscriptions"
			      " WHERE head_seq > position AND next_attempt_us <= ?1 AND active = 1"
			      " ORDER BY next_attempt_us, id LIMIT ?2";

int store_webhook_due(struct store *s, struct arena *a, int64_t now_us, int64_t limit, struct webhook_target_row **out,
		      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_due, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, now_us);
	db_bind_int(st, 2, limit);
	return stmt_collect(st, a, sizeof(**out), read_target, (void **)out, n, err);
}

static const char sql_target[] = "SELECT " TARGET_COLUMNS " FROM webhook_subscriptions WHERE id = ?1";

int store_webhook_target(struct store *s, struct arena *a, int64_t id, struct webhook_target_row *out,
			 struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_target, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = stmt_row(st, err)) == 1) {
		read_target(st, a, out);
		db_reset(st);
	}
	return rc;
}

static const char sql_next_due[] = "SELECT MIN(next_attempt_us) FROM webhook_subscriptions"
				   " WHERE head_seq > position AND active = 1";

int store_webhook_next_due(struct store *s, int64_t *next_us, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_next_due, err);
	int rc;
	if (!st)
		return -1;
	*next_us = 0;
	if ((rc = stmt_row(st, err)) == 1) {
		/* every subscription's next_attempt_us is ≥ 0; 1 stands for "due at once" */
		if (!db_col_is_null(st, 0))
			*next_us = db_col_int(st, 0) > 0 ? db_col_int(st, 0) : 1;
		db_reset(st);
	}
	return rc < 0 ? -1 : 0;
}

static void read_event(struct db_stmt *st, struct arena *a, void *row)
{
	struct webhook_event_row *e = row;
	e->seq = db_col_int(st, 0);
	e->uuid = col_str(st, 1, a);
	e->type = col_str(st, 2, a);
	e->occurred_us = db_col_int(st, 3);
	e->payload = col_str(st, 4, a);
}

/* The type list repeats events_webhook's (migration 0028), so the partial index serves it. */
#define WEBHOOK_TYPES \
	"type IN ('agreement_created', 'project_interaction', 'reservation', 'application_signature', 'signing_completed')"

static const char sql_events[] = "SELECT seq, uuid, type, occurred_us, payload FROM events"
				 " WHERE company_id = ?1 AND seq > ?2 AND seq <= ?3 AND " WEBHOOK_TYPES
				 " ORDER BY seq LIMIT ?4";

int store_webhook_events(struct store *s, struct arena *a, int64_t company_id, int64_t after, int64_t upto,
			 int64_t limit, struct webhook_event_row **out, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_events, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, after);
	db_bind_int(st, 3, upto);
	db_bind_int(st, 4, limit);
	return stmt_collect(st, a, sizeof(**out), read_event, (void **)out, n, err);
}

static const char sql_event[] = "SELECT seq, uuid, type, occurred_us, payload FROM events"
				" WHERE company_id = ?1 AND seq = ?2 AND " WEBHOOK_TYPES;

int store_webhook_event(struct store *s, struct arena *a, int64_t company_id, int64_t seq,
			struct webhook_event_row *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_event, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, seq);
	if ((rc = stmt_row(st, err)) == 1) {
		read_event(st, a, out);
		db_reset(st);
	}
	return rc;
}

static const char sql_log[] =
	"INSERT INTO webhook_deliveries(subscription_id, event_seq, event_uuid, event_type, attempt, manual,"
	" attempted_us, outcome, status, latency_us, error, response)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12"
	" WHERE EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = ?1)";

int store_webhook_log(struct store *s, const struct webhook_attempt_row *r, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_log, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->subscription_id);
	if (r->event_seq)
		db_bind_int(st, 2, r->event_seq);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, r->event_uuid);
	db_bind_text(st, 4, r->event_type);
	db_bind_int(st, 5, r->attempt);
	db_bind_int(st, 6, r->manual);
	db_bind_int(st, 7, r->attempted_us);
	db_bind_text(st, 8, str_from_cstr(r->outcome));
	db_bind_int(st, 9, r->status);
	db_bind_int(st, 10, r->latency_us);
	db_bind_text(st, 11, r->error.ptr ? r->error : str_from_cstr(""));
	db_bind_text(st, 12, r->response.ptr ? r->response : str_from_cstr(""));
	return stmt_exec(st, err);
}

/* Never moves a position back: a subscription re-activated meanwhile starts at the outbox's end. */
static const char sql_progress[] =
	"UPDATE webhook_subscriptions SET position = CASE WHEN position > ?2 THEN position ELSE ?2 END,"
	" head_attempts = ?3, next_attempt_us = ?4, failing_since_us = ?5 WHERE id = ?1";

int store_webhook_progress(struct store *s, int64_t id, int64_t position, int64_t head_attempts,
			   int64_t next_attempt_us, int64_t failing_since_us, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_progress, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, position);
	db_bind_int(st, 3, head_attempts);
	db_bind_int(st, 4, next_attempt_us);
	if (failing_since_us)
		db_bind_int(st, 5, failing_since_us);
	else
		db_bind_null(st, 5);
	return stmt_exec(st, err);
}

/* The first rows by id are the oldest: a bounded read of the primary key, whatever the log's size. */
static const char sql_prune[] =
	"DELETE FROM webhook_deliveries WHERE attempted_us < ?1"
	" AND id IN (SELECT id FROM webhook_deliveries ORDER BY id LIMIT ?2)";

int store_webhook_prune(struct store *s, int64_t before_us, int64_t limit, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_prune, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, before_us);
	db_bind_int(st, 2, limit);
	return stmt_exec(st, err);
}
