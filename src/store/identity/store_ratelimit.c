/* Rate-limit counting: see store_ratelimit.h. */
#include "store/identity/store_ratelimit.h"

#include "store/store_internal.h"

static const char sql_purge[] = "DELETE FROM rate_hits WHERE expires <= ?1";
static const char sql_count[] = "SELECT COUNT(*), COALESCE(MIN(expires), 0) FROM rate_hits"
				" WHERE key = ?1 AND expires > ?2";
static const char sql_add[] = "INSERT INTO rate_hits(key, expires) VALUES (?1, ?2)";

int store_rate_hit(struct store *s, struct str key, int64_t now, int64_t window, int64_t limit,
		   int *retry_after, struct error *err)
{
	struct db *db = store_db(s, err);
	struct db_stmt *st;
	int64_t count, first;
	int rc = -1;

	*retry_after = 0;
	if (!db)
		return -1;
	/* the write lock first: two processes must not both see room for the last slot */
	if (db_begin(db, err) < 0)
		return -1;
	if (!(st = store_stmt(s, sql_purge, err)))
		goto out;
	db_bind_int(st, 1, now);
	if (stmt_exec(st, err) < 0)
		goto out;
	if (!(st = store_stmt(s, sql_count, err)))
		goto out;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	switch (stmt_row(st, err)) {
	case 1:
		break;
	case 0:
		error_set(err, ERROR_INTERNAL, NULL, "rate_hits: COUNT returned no row");
		/* fall through */
	default:
		goto out;
	}
	count = db_col_int(st, 0);
	first = db_col_int(st, 1);
	db_reset(st);
	if (count >= limit) {
		*retry_after = first - now > 0 ? (int)(first - now) : 1;
		rc = 1;
	} else {
		if (!(st = store_stmt(s, sql_add, err)))
			goto out;
		db_bind_text(st, 1, key);
		db_bind_int(st, 2, now + window);
		if (stmt_exec(st, err) < 0)
			goto out;
		rc = 0;
	}
	if (db_commit(db, err) < 0)
		return -1;
	return rc;
out:
	db_rollback(db);
	return -1;
}
