/* Agents: users of kind operator (store/accounts/store_agent.h). */
#include "store/accounts/store_agent.h"
#include "store/store_internal.h"

#define AGENT_COLUMNS "u.id, u.uuid, u.username, u.email, u.first_name, u.last_name, u.joined, u.date_joined"
#define AGENT_LIVE " u.kind = 'operator' AND u.deleted_at IS NULL"

static void read_agent(struct db_stmt *st, struct arena *a, void *row)
{
	struct user *u = row;
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	u->uuid = col_str(st, 1, a);
	u->kind = USER_OPERATOR;
	u->username = col_str(st, 2, a);
	u->email = col_str(st, 3, a);
	u->first_name = col_str(st, 4, a);
	u->last_name = col_str(st, 5, a);
	u->joined = db_col_int(st, 6) != 0;
	u->date_joined = col_str(st, 7, a);
}

static const char sql_get[] = "SELECT " AGENT_COLUMNS " FROM users u WHERE u.uuid = ?1 AND" AGENT_LIVE;
/* username is the e-mail and has a case-insensitive unique index */
static const char sql_get_email[] = "SELECT " AGENT_COLUMNS " FROM users u WHERE u.username = ?1 AND" AGENT_LIVE;

int store_agent_get(struct store *s, struct arena *a, struct str uuid, struct user *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, uuid);
	return stmt_one(st, a, read_agent, out, "agent", err);
}

int store_agent_get_by_email(struct store *s, struct arena *a, struct str email, struct user *out,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get_email, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, email);
	return stmt_one(st, a, read_agent, out, "agent", err);
}

/* ?1..?4, the list's other parameters after them: the count has no unused parameter, which
 * PostgreSQL could not type */
#define AGENT_FILTER                                                \
	" FROM users u WHERE" AGENT_LIVE                            \
	" AND (?4 = 0 OR u.uuid = ANY(?1))"                         \
	" AND (CAST(?2 AS TEXT) IS NULL OR lower(u.email) = lower(?2))" \
	" AND (?3 < 0 OR u.joined = ?3)"

/*
 * One sort slot: key code ?K (NULL: unused), descending flag ?D. ASC and DESC cannot be
 * bound, so each slot is two terms of which only the one for its direction is not NULL.
 * The text keys and the integer one (joined) are terms of their own: PostgreSQL's CASE
 * cannot mix text and bigint; the term of the other keys is NULL on every row, a tie. ?K is
 * cast: PostgreSQL would take an unused slot's NULL for text in CASE ?K WHEN 1.
 */
#define AGENT_TEXT_KEY(K)                                                                              \
	"(CASE CAST(" K " AS INTEGER) WHEN 1 THEN u.uuid"                                              \
	" WHEN 2 THEN lower(u.first_name || CASE WHEN u.first_name <> '' AND u.last_name <> ''"       \
	" THEN ' ' ELSE '' END || u.last_name)"                                                        \
	" WHEN 3 THEN lower(u.email) END)"
#define AGENT_INT_KEY(K) "(CASE CAST(" K " AS INTEGER) WHEN 4 THEN u.joined END)"
#define AGENT_DIR(K, D, DIR, ORDER)                                                                   \
	"CASE WHEN " D " = " DIR " THEN " AGENT_TEXT_KEY(K) " END " ORDER ", CASE WHEN " D " = " DIR \
	" THEN " AGENT_INT_KEY(K) " END " ORDER ", "
#define AGENT_SLOT(K, D) AGENT_DIR(K, D, "0", "ASC") AGENT_DIR(K, D, "1", "DESC")

static const char sql_list[] =
	"SELECT " AGENT_COLUMNS AGENT_FILTER " ORDER BY " AGENT_SLOT("?7", "?8") AGENT_SLOT("?9", "?10")
	AGENT_SLOT("?11", "?12") AGENT_SLOT("?13", "?14") "u.id LIMIT ?5 OFFSET ?6";
static const char sql_count[] = "SELECT count(*)" AGENT_FILTER;

static void bind_filter(struct db_stmt *st, const struct store_agent_filter *f)
{
	db_bind_text_array(st, 1, f->ids, f->n_ids);
	db_bind_int(st, 4, f->ids != NULL);
	db_bind_text(st, 2, f->email);
	db_bind_int(st, 3, f->enabled);
}

static int count_agents(struct store *s, const struct store_agent_filter *f, int64_t *total, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_count, err);
	int rc;

	if (!st)
		return -1;
	bind_filter(st, f);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*total = rc ? db_col_int(st, 0) : 0;
	if (rc)
		db_reset(st);
	return 0;
}

int store_agent_list(struct store *s, struct arena *a, const struct store_agent_filter *f,
		     const struct store_agent_order *o, int64_t offset, int64_t limit, struct user **out, size_t *n,
		     int64_t *total, struct error *err)
{
	struct db_stmt *st;

	*n = 0;
	*out = NULL;
	if (count_agents(s, f, total, err) < 0)
		return -1;
	st = store_stmt(s, sql_list, err);
	if (!st)
		return -1;
	bind_filter(st, f);
	db_bind_int(st, 5, limit);
	db_bind_int(st, 6, offset);
	for (int i = 0, used = 1; i < AGENT_SORT_MAX; i++) {
		used = used && o->key[i] != AGENT_SORT_NONE; /* the first NONE ends the keys */
		if (used) {
			db_bind_int(st, 7 + 2 * i, o->key[i]);
			db_bind_int(st, 8 + 2 * i, o->desc[i]);
		} else {
			db_bind_null(st, 7 + 2 * i);
			db_bind_null(st, 8 + 2 * i);
		}
	}
	return stmt_collect(st, a, sizeof(**out), read_agent, (void **)out, n, err);
}
