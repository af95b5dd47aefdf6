/* Invitations and the notification outbox (store_notify.h). */
#include "store/accounts/store_notify.h"

#include "store/store_internal.h"

static const char sql_inv_insert[] =
	"INSERT INTO invitations(user_id, email, token_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	" RETURNING id";

int store_invitation_insert(struct store *s, int64_t user_id, struct str email, struct str token_hash,
			    int64_t created_at, int64_t expires_at, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_inv_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, token_hash);
	db_bind_int(st, 4, created_at);
	db_bind_int(st, 5, expires_at);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

#define INVITATION_COLUMNS "i.id, i.user_id, i.email, i.created_at, i.expires_at, COALESCE(i.used_at, 0)"

static void read_invitation(struct db_stmt *st, struct arena *a, void *row)
{
	struct invitation *r = row;
	r->id = db_col_int(st, 0);
	r->user_id = db_col_int(st, 1);
	r->email = col_str(st, 2, a);
	r->created_at = db_col_int(st, 3);
	r->expires_at = db_col_int(st, 4);
	r->used_at = db_col_int(st, 5);
}

static const char sql_inv_by_hash[] = "SELECT " INVITATION_COLUMNS " FROM invitations i WHERE i.token_hash = ?1";

int store_invitation_by_hash(struct store *s, struct arena *a, struct str token_hash, struct invitation *out,
			     struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_inv_by_hash, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	return stmt_one(st, a, read_invitation, out, "invitation", err);
}

static const char sql_inv_use[] =
	"UPDATE invitations SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2";

int store_invitation_use(struct store *s, int64_t id, int64_t now, int *changed, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_inv_use, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, now);
	if (stmt_exec(st, err) < 0)
		return -1;
	*changed = store_changes(s) > 0;
	return 0;
}

static void read_pending(struct db_stmt *st, struct arena *a, void *row)
{
	struct invitation_pending *r = row;
	read_invitation(st, a, &r->inv);
	r->company_uuid = col_str(st, 6, a);
	r->company_name = col_str(st, 7, a);
	r->state = col_str(st, 8, a);
	r->link = col_str(st, 9, a);
}

static const char sql_inv_pending[] =
	"SELECT " INVITATION_COLUMNS ", COALESCE(c.uuid, ''), COALESCE(c.name, ''), COALESCE(n.state, 'queued'), n.link"
	" FROM invitations i JOIN users u ON u.id = i.user_id LEFT JOIN companies c ON c.id = u.company_id"
	" LEFT JOIN notifications n ON n.invitation_id = i.id"
	" WHERE i.used_at IS NULL AND i.expires_at > ?1 ORDER BY i.id";

int store_invitation_pending(struct store *s, struct arena *a, int64_t now, struct invitation_pending **rows,
			     size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_inv_pending, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, now);
	return stmt_collect(st, a, sizeof(**rows), read_pending, (void **)rows, n, err);
}

static const char sql_notif_insert[] =
	"INSERT INTO notifications(kind, company_id, invitation_id, recipient, subject, body, link, actor_user_id,"
	" actor_identity, actor_email, actor_name, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	" RETURNING id";

static void bind_id_or_null(struct db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int(st, idx, id);
	else
		db_bind_null(st, idx);
}

static struct str or_empty(struct str s)
{
	return s.ptr ? s : STR_LIT("");
}

int store_notification_insert(struct store *s, const struct notification *n, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_notif_insert, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, n->kind);
	bind_id_or_null(st, 2, n->company_id);
	bind_id_or_null(st, 3, n->invitation_id);
	db_bind_text(st, 4, n->recipient);
	db_bind_text(st, 5, n->subject);
	db_bind_text(st, 6, n->body);
	db_bind_text(st, 7, n->link);
	bind_id_or_null(st, 8, n->actor_user_id);
	db_bind_text(st, 9, or_empty(n->actor_identity));
	db_bind_text(st, 10, or_empty(n->actor_email));
	db_bind_text(st, 11, or_empty(n->actor_name));
	db_bind_int(st, 12, n->created_at);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static void read_notification(struct db_stmt *st, struct arena *a, void *row)
{
	struct notification *r = row;
	r->id = db_col_int(st, 0);
	r->kind = col_str(st, 1, a);
	r->company_id = db_col_int(st, 2);
	r->invitation_id = db_col_int(st, 3);
	r->recipient = col_str(st, 4, a);
	r->subject = col_str(st, 5, a);
	r->body = col_str(st, 6, a);
	r->link = col_str(st, 7, a);
	r->state = col_str(st, 8, a);
	r->attempts = db_col_int(st, 9);
	r->actor_user_id = db_col_int(st, 10);
	r->actor_identity = col_str(st, 11, a);
	r->actor_email = col_str(st, 12, a);
	r->actor_name = col_str(st, 13, a);
	r->created_at = db_col_int(st, 14);
}

static const char sql_notif_get[] =
	"SELECT id, kind, COALESCE(company_id, 0), COALESCE(invitation_id, 0), recipient, subject, body, link, state,"
	" attempts, COALESCE(actor_user_id, 0), actor_identity, actor_email, actor_name, created_at"
	" FROM notifications WHERE id = ?1";

int store_notification_get(struct store *s, struct arena *a, int64_t id, struct notification *out,
			   struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_notif_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_one(st, a, read_notification, out, "notification", err);
}

static const char sql_notif_finish[] =
	"UPDATE notifications SET state = ?2, sent_at = ?3, attempts = attempts + 1, last_error = NULL,"
	" body = CASE WHEN ?2 = 'sent' THEN '' ELSE body END, link = CASE WHEN ?2 = 'sent' THEN NULL ELSE link END"
	" WHERE id = ?1 AND state = 'queued'";

int store_notification_finish(struct store *s, int64_t id, const char *state, int64_t now, int *changed,
			      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_notif_finish, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, str_from_cstr(state));
	db_bind_int(st, 3, now);
	if (stmt_exec(st, err) < 0)
		return -1;
	*changed = store_changes(s) > 0;
	return 0;
}

static const char sql_notif_failed[] =
	"UPDATE notifications SET attempts = attempts + 1, last_error = ?2,"
	" state = CASE WHEN ?3 THEN 'failed' ELSE state END WHERE id = ?1 AND state = 'queued'";

int store_notification_failed(struct store *s, int64_t id, struct str last_error, int final, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_notif_failed, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, last_error);
	db_bind_int(st, 3, final != 0);
	return stmt_exec(st, err);
}

static const char sql_company_reminded[] =
	"UPDATE companies SET availabilities_notified_at = ?2,"
	" updated_at = ?3 WHERE id = ?1";

int store_company_set_availabilities_notified(struct store *s, int64_t company_id, int64_t at, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_company_reminded, err);
	if (!st)
		return -1;
	store_bind_now(st, 3);
	db_bind_int(st, 1, company_id);
	store_bind_time(st, 2, at);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such account");
	return 0;
}

static const char *const sql_forget[] = {
	"DELETE FROM notifications WHERE company_id = ?1"
	" OR invitation_id IN (SELECT i.id FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.company_id = ?1)",
	"DELETE FROM invitations WHERE user_id IN (SELECT id FROM users WHERE company_id = ?1)",
	NULL,
};

int store_notify_forget_company(struct store *s, int64_t company_id, struct error *err)
{
	for (size_t i = 0; sql_forget[i]; i++) {
		struct db_stmt *st = store_stmt(s, sql_forget[i], err);
		if (!st)
			return -1;
		db_bind_int(st, 1, company_id);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}
