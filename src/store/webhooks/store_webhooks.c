/* Webhook subscriptions and their delivery log, as the API sees them (store_webhooks.h). */
#include "store/webhooks/store_webhooks.h"

#include "store/store_internal.h"

#define SUBSCRIPTION_COLUMNS                                                                        \
	"id, company_id, url, event_types, description, active, position, head_seq, next_attempt_us," \
	" failing_since_us, created_us, updated_us"

/* The outbox's end: where a new or re-activated subscription starts. */
#define OUTBOX_END "(SELECT COALESCE(MAX(seq), 0) FROM events)"

static void read_subscription(struct db_stmt *st, struct arena *a, void *row)
{
	struct webhook_subscription_row *w = row;

	w->id = db_col_int(st, 0);
	w->company_id = db_col_int(st, 1);
	w->url = col_str(st, 2, a);
	w->events = (unsigned)db_col_int(st, 3);
	w->description = col_str(st, 4, a);
	w->active = db_col_int(st, 5) != 0;
	w->position = db_col_int(st, 6);
	w->head_seq = db_col_int(st, 7);
	w->next_attempt_us = db_col_int(st, 8);
	w->failing_since_us = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	w->created_us = db_col_int(st, 10);
	w->updated_us = db_col_int(st, 11);
}

static const char sql_insert[] =
	"INSERT INTO webhook_subscriptions(company_id, url, event_types, description, active, secret, position,"
	" head_seq, created_us, updated_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, " OUTBOX_END ", " OUTBOX_END ", ?7, ?7)"
	" RETURNING " SUBSCRIPTION_COLUMNS;

int store_webhook_insert(struct store *s, struct arena *a, int64_t company_id,
			 const struct webhook_subscription_fields *f, struct str secret, int64_t now_us,
			 struct webhook_subscription_row *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, f->url);
	db_bind_int(st, 3, f->events);
	db_bind_text(st, 4, f->description.ptr ? f->description : STR_LIT(""));
	db_bind_int(st, 5, f->active);
	db_bind_text(st, 6, secret);
	db_bind_int(st, 7, now_us);
	return stmt_one(st, a, read_subscription, out, "webhook subscription", err);
}

static const char sql_count[] = "SELECT COUNT(*) FROM webhook_subscriptions WHERE company_id = ?1";

int store_webhook_count(struct store *s, int64_t company_id, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_count, err);
	int rc;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

static const char sql_list[] =
	"SELECT " SUBSCRIPTION_COLUMNS " FROM webhook_subscriptions WHERE company_id = ?1 ORDER BY id";

int store_webhook_list(struct store *s, struct arena *a, int64_t company_id, struct webhook_subscription_row **out,
		       size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_collect(st, a, sizeof(**out), read_subscription, (void **)out, n, err);
}

static const char sql_get[] =
	"SELECT " SUBSCRIPTION_COLUMNS " FROM webhook_subscriptions WHERE id = ?1 AND company_id = ?2";

int store_webhook_get(struct store *s, struct arena *a, int64_t company_id, int64_t id,
		      struct webhook_subscription_row *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_subscription, out, "webhook subscription", err);
}

/* In SET, a column on the right is its value before the UPDATE (SQLite and PostgreSQL alike). */
#define REACTIVATED "(active = 0 AND ?6 = 1)"

static const char sql_update[] =
	"UPDATE webhook_subscriptions SET url = ?3, event_types = ?4, description = ?5,"
	" position = CASE WHEN " REACTIVATED " THEN " OUTBOX_END " ELSE position END,"
	" head_seq = CASE WHEN " REACTIVATED " THEN " OUTBOX_END " ELSE head_seq END,"
	" failing_since_us = CASE WHEN " REACTIVATED " THEN NULL ELSE failing_since_us END,"
	" next_attempt_us = CASE WHEN " REACTIVATED " OR url <> ?3 THEN 0 ELSE next_attempt_us END,"
	" active = ?6, updated_us = ?7 WHERE id = ?1 AND company_id = ?2";

int store_webhook_update(struct store *s, int64_t company_id, int64_t id, const struct webhook_subscription_fields *f,
			 int64_t now_us, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	db_bind_text(st, 3, f->url);
	db_bind_int(st, 4, f->events);
	db_bind_text(st, 5, f->description.ptr ? f->description : STR_LIT(""));
	db_bind_int(st, 6, f->active);
	db_bind_int(st, 7, now_us);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such webhook subscription");
	return 0;
}

static const char sql_delete[] = "DELETE FROM webhook_subscriptions WHERE id = ?1 AND company_id = ?2";

int store_webhook_delete(struct store *s, int64_t company_id, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such webhook subscription");
	return 0;
}

static const char sql_rotate[] =
	"UPDATE webhook_subscriptions SET previous_secret = secret, previous_until_us = ?4, secret = ?3,"
	" updated_us = ?5 WHERE id = ?1 AND company_id = ?2";

int store_webhook_rotate(struct store *s, int64_t company_id, int64_t id, struct str secret,
			 int64_t previous_until_us, int64_t now_us, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_rotate, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	db_bind_text(st, 3, secret);
	db_bind_int(st, 4, previous_until_us);
	db_bind_int(st, 5, now_us);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such webhook subscription");
	return 0;
}

/* ---- the delivery log ---- */

#define DELIVERY_COLUMNS                                                                             \
	"id, subscription_id, event_seq, event_uuid, event_type, attempt, manual, attempted_us, outcome," \
	" status, latency_us, error, response"

static void read_delivery(struct db_stmt *st, struct arena *a, void *row)
{
	struct webhook_delivery_row *d = row;

	d->id = db_col_int(st, 0);
	d->subscription_id = db_col_int(st, 1);
	d->event_seq = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
	d->event_uuid = col_str(st, 3, a);
	d->event_type = col_str(st, 4, a);
	d->attempt = db_col_int(st, 5);
	d->manual = db_col_int(st, 6) != 0;
	d->attempted_us = db_col_int(st, 7);
	d->outcome = col_str(st, 8, a);
	d->status = (int)db_col_int(st, 9);
	d->latency_us = db_col_int(st, 10);
	d->error = col_str(st, 11, a);
	d->response = col_str(st, 12, a);
}

static const char sql_deliveries[] = "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries WHERE subscription_id = ?1"
				     " ORDER BY id DESC LIMIT ?2 OFFSET ?3";
static const char sql_deliveries_total[] = "SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = ?1";

int store_webhook_deliveries(struct store *s, struct arena *a, int64_t subscription_id, int64_t offset,
			     int64_t amount, struct webhook_delivery_row **out, size_t *n, int64_t *total,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_deliveries_total, err);
	int rc;

	*n = 0;
	*total = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, subscription_id);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	if (rc == 1) {
		*total = db_col_int(st, 0);
		db_reset(st);
	}
	if (!(st = store_stmt(s, sql_deliveries, err)))
		return -1;
	db_bind_int(st, 1, subscription_id);
	db_bind_int(st, 2, amount);
	db_bind_int(st, 3, offset);
	return stmt_collect(st, a, sizeof(**out), read_delivery, (void **)out, n, err);
}

static const char sql_delivery_get[] =
	"SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries WHERE id = ?1 AND subscription_id = ?2";

int store_webhook_delivery_get(struct store *s, struct arena *a, int64_t subscription_id, int64_t id,
			       struct webhook_delivery_row *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delivery_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, subscription_id);
	return stmt_one(st, a, read_delivery, out, "webhook delivery", err);
}
