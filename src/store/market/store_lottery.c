/* The lottery draws of random listings (store_lottery.h). */
#include "store/market/store_lottery.h"

#include <string.h>

#include "base/buf.h"
#include "store/store_internal.h"

/* RETURNING gives a row only when the insert happened (SQLite ≥ 3.35, PostgreSQL alike). */
static const char sql_commit[] =
	"INSERT INTO lottery_draws(listing_id, seed_hex, commitment_hex, committed_at) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (listing_id) DO NOTHING RETURNING listing_id";
static const char sql_get[] =
	"SELECT listing_id, seed_hex, commitment_hex, committed_at, drawn_at, application_ids FROM lottery_draws"
	" WHERE listing_id = ?1";
static const char sql_reveal[] =
	"UPDATE lottery_draws SET drawn_at = ?2, application_ids = ?3 WHERE listing_id = ?1 AND drawn_at IS NULL";
static const char sql_uncommitted[] =
	"SELECT o.id FROM object_ads o WHERE o.id BETWEEN ?1 AND ?2 AND o.candidate_sorting_mode = 'random'"
	" AND o.status IN ('approved', 'active', 'paused', 'reserved')"
	" AND NOT EXISTS (SELECT 1 FROM lottery_draws d WHERE d.listing_id = o.id) ORDER BY o.id";
static const char sql_open[] =
	"SELECT id FROM applications WHERE listing_id = ?1 AND closed_at IS NULL ORDER BY id";

int store_lottery_commit(struct store *s, int64_t listing_id, struct str seed_hex, struct str commitment_hex,
			 int64_t committed_at, bool *inserted, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_commit, err);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_text(st, 2, seed_hex);
	db_bind_text(st, 3, commitment_hex);
	db_bind_int(st, 4, committed_at);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	*inserted = rc == 1;
	if (rc == 1)
		db_reset(st);
	return 0;
}

/* "1,5,9" → ids (the stored text is ours: digits and commas). */
static void parse_ids(struct arena *a, struct str text, int64_t **ids, size_t *n)
{
	size_t count = text.len ? 1 : 0, k = 0;
	int64_t v = 0;

	for (size_t i = 0; i < text.len; i++)
		count += text.ptr[i] == ',';
	*ids = count ? arena_alloc(a, count * sizeof(int64_t)) : NULL;
	for (size_t i = 0; i <= text.len && count; i++) {
		if (i == text.len || text.ptr[i] == ',') {
			(*ids)[k++] = v;
			v = 0;
		} else {
			v = v * 10 + (text.ptr[i] - '0');
		}
	}
	*n = k;
}

int store_lottery_get(struct store *s, struct arena *a, int64_t listing_id, struct lottery_draw_row *out,
		      bool *found, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	*found = rc == 1;
	memset(out, 0, sizeof(*out));
	if (!*found)
		return 0;
	out->listing_id = db_col_int(st, 0);
	out->seed_hex = col_str(st, 1, a);
	out->commitment_hex = col_str(st, 2, a);
	out->committed_at = db_col_int(st, 3);
	out->drawn_at = db_col_is_null(st, 4) ? 0 : db_col_int(st, 4);
	if (!db_col_is_null(st, 5))
		parse_ids(a, db_col_text(st, 5), &out->application_ids, &out->n_application_ids);
	db_reset(st);
	return 0;
}

int store_lottery_reveal(struct store *s, struct arena *a, int64_t listing_id, int64_t drawn_at, const int64_t *ids,
			 size_t n, bool *done, struct error *err)
{
	struct db_stmt *st;
	struct buf b;

	buf_init(&b, a, n * 8 + 16);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, i ? ",%lld" : "%lld", (long long)ids[i]);
	if (!(st = store_stmt(s, sql_reveal, err)))
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, drawn_at);
	db_bind_text(st, 3, b.ptr ? buf_str(&b) : STR_LIT(""));
	if (stmt_exec(st, err) < 0)
		return -1;
	*done = store_changes(s) == 1;
	return 0;
}

static void read_id(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

int store_lottery_open_applications(struct store *s, struct arena *a, int64_t listing_id, int64_t **ids, size_t *n,
				    struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_open, err);
	void *rows;

	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	if (stmt_collect(st, a, sizeof(int64_t), read_id, &rows, n, err) < 0)
		return -1;
	*ids = rows;
	return 0;
}

int store_lottery_uncommitted(struct store *s, struct arena *a, int64_t first, int64_t last, int64_t **ids,
			      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_uncommitted, err);
	void *rows;

	if (!st)
		return -1;
	db_bind_int(st, 1, first);
	db_bind_int(st, 2, last);
	if (stmt_collect(st, a, sizeof(int64_t), read_id, &rows, n, err) < 0)
		return -1;
	*ids = rows;
	return 0;
}
