/* The event outbox's rows and its consumers' positions (store_events.h). */
#include "store/store_events.h"

#include "store/store_internal.h"

#define EVENT_COLUMNS                                                                                      \
	"e.seq, e.uuid, e.type, COALESCE(e.company_id, 0), c.uuid, e.aggregate, e.aggregate_id, e.occurred_us," \
	" e.actor_identity, e.actor_email, e.actor_name, e.payload, e.before, e.after"                     \
	" FROM events e LEFT JOIN companies c ON c.id = e.company_id"

static void read_event(struct db_stmt *st, struct arena *a, void *row)
{
	struct event_row *r = row;
	r->seq = db_col_int(st, 0);
	r->uuid = col_str(st, 1, a);
	r->type = col_str(st, 2, a);
	r->company_id = db_col_int(st, 3);
	r->company_uuid = col_str(st, 4, a);
	r->aggregate = col_str(st, 5, a);
	r->aggregate_id = col_str(st, 6, a);
	r->occurred_us = db_col_int(st, 7);
	r->actor_identity = col_str(st, 8, a);
	r->actor_email = col_str(st, 9, a);
	r->actor_name = col_str(st, 10, a);
	r->payload = col_str(st, 11, a);
	r->before = col_str(st, 12, a);
	r->after = col_str(st, 13, a);
}

static const char sql_insert[] =
	"INSERT INTO events(uuid, type, company_id, aggregate, aggregate_id, occurred_us, actor_user_id,"
	" actor_identity, actor_email, actor_name, payload, before, after)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
	" RETURNING seq";

/* '' rather than NULL for the NOT NULL text columns */
static struct str or_empty(struct str s)
{
	return s.ptr ? s : STR_LIT("");
}

int store_event_insert(struct store *s, const struct event_new *e, const char *uuid, int64_t *seq,
		       struct error *err)
{
	static const struct event_actor nobody = { 0 };
	const struct event_actor *who = e->actor ? e->actor : &nobody;
	struct db_stmt *st = store_stmt(s, sql_insert, err);

	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(uuid));
	db_bind_text(st, 2, str_from_cstr(e->type));
	if (e->company_id)
		db_bind_int(st, 3, e->company_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, str_from_cstr(e->aggregate));
	db_bind_text(st, 5, or_empty(e->aggregate_id));
	db_bind_int(st, 6, e->occurred_us);
	if (who->user_id)
		db_bind_int(st, 7, who->user_id);
	else
		db_bind_null(st, 7);
	db_bind_text(st, 8, or_empty(who->identity));
	db_bind_text(st, 9, or_empty(who->email));
	db_bind_text(st, 10, or_empty(who->full_name));
	db_bind_text(st, 11, e->payload);
	db_bind_text(st, 12, e->before);
	db_bind_text(st, 13, e->after);
	if (stmt_insert_id(st, seq, err) < 0)
		return -1;
	return 0;
}

/*
 * The page's seqs come from a narrow covering index (events_changelog, events_changelog_company), so an
 * OFFSET steps over index entries, not over table rows and their joins; only the page's
 * rows are then read.
 */
/* The accounts changelog's events (migration 0023: the counts and indexes are of these only). */
#define CHANGELOG "aggregate IN ('account', 'contact')"
static const char sql_page_all[] =
	"SELECT " EVENT_COLUMNS " WHERE e.seq IN (SELECT seq FROM events WHERE " CHANGELOG
	" ORDER BY seq DESC LIMIT ?2 OFFSET ?1)"
	" ORDER BY e.seq DESC";
static const char sql_page_company[] =
	"SELECT " EVENT_COLUMNS " WHERE e.seq IN (SELECT seq FROM events WHERE company_id = ?3 AND " CHANGELOG
	" ORDER BY seq DESC LIMIT ?2 OFFSET ?1) ORDER BY e.seq DESC";

int store_event_page(struct store *s, struct arena *a, int64_t company_id, int64_t offset, int64_t limit,
		     struct event_row **rows, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, company_id ? sql_page_company : sql_page_all, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, offset);
	db_bind_int(st, 2, limit);
	if (company_id)
		db_bind_int(st, 3, company_id);
	return stmt_collect(st, a, sizeof(**rows), read_event, (void **)rows, n, err);
}

static const char sql_total[] = "SELECT n FROM event_counts WHERE company_id = ?1";

int store_event_total(struct store *s, int64_t company_id, int64_t *total, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_total, err);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*total = rc ? db_col_int(st, 0) : 0;
	if (rc)
		db_reset(st);
	return 0;
}

static const char sql_after[] = "SELECT " EVENT_COLUMNS " WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2";

int store_event_after(struct store *s, struct arena *a, int64_t after, int64_t limit, struct event_row **rows,
		      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_after, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, after);
	db_bind_int(st, 2, limit);
	return stmt_collect(st, a, sizeof(**rows), read_event, (void **)rows, n, err);
}

static const char sql_consumer_get[] = "SELECT position FROM event_consumers WHERE name = ?1";

int store_event_consumer_position(struct store *s, const char *name, int64_t *position, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_consumer_get, err);
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, str_from_cstr(name));
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*position = rc ? db_col_int(st, 0) : 0;
	if (rc)
		db_reset(st);
	return 0;
}

/* The larger position wins (a CASE: SQLite's two-argument max() is GREATEST on PostgreSQL). */
static const char sql_consumer_set[] =
	"INSERT INTO event_consumers(name, position) VALUES (?1, ?2)"
	" ON CONFLICT(name) DO UPDATE SET position = CASE WHEN event_consumers.position > excluded.position"
	" THEN event_consumers.position ELSE excluded.position END,"
	" updated_at = ?3";

int store_event_consumer_set(struct store *s, const char *name, int64_t position, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_consumer_set, err);
	if (!st)
		return -1;
	store_bind_now(st, 3);
	db_bind_text(st, 1, str_from_cstr(name));
	db_bind_int(st, 2, position);
	return stmt_exec(st, err);
}

static void read_texts(struct db_stmt *st, struct arena *a, void *row)
{
	struct event_texts *r = row;
	r->seq = db_col_int(st, 0);
	r->aggregate = col_str(st, 1, a);
	r->aggregate_id = col_str(st, 2, a);
	r->payload = col_str(st, 3, a);
	r->before = col_str(st, 4, a);
	r->after = col_str(st, 5, a);
	r->actor_is_member = db_col_int(st, 6) != 0;
}

static const char sql_company_texts[] =
	"SELECT e.seq, e.aggregate, e.aggregate_id, e.payload, e.before, e.after,"
	" CASE WHEN u.company_id = e.company_id THEN 1 ELSE 0 END FROM events e LEFT JOIN users u ON u.id = e.actor_user_id"
	" WHERE e.company_id = ?1 ORDER BY e.seq";

int store_event_company_texts(struct store *s, struct arena *a, int64_t company_id, struct event_texts **rows,
			      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_company_texts, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_collect(st, a, sizeof(**rows), read_texts, (void **)rows, n, err);
}

static const char sql_rewrite[] = "UPDATE events SET payload = ?2, before = ?3, after = ?4 WHERE seq = ?1";

int store_event_rewrite(struct store *s, int64_t seq, struct str payload, struct str before, struct str after,
			struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_rewrite, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, seq);
	db_bind_text(st, 2, payload);
	db_bind_text(st, 3, before);
	db_bind_text(st, 4, after);
	return stmt_exec(st, err);
}

static const char sql_forget_actors[] =
	"UPDATE events SET actor_email = '', actor_name = '' WHERE company_id = ?1"
	" AND actor_user_id IN (SELECT id FROM users WHERE company_id = ?1)";

int store_event_forget_company_actors(struct store *s, int64_t company_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_forget_actors, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return stmt_exec(st, err);
}
