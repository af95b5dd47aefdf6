/*
 * accounts_changes.c — the account changelog (#3, GET /api/landlords/accounts/changes),
 * availability reminders (a rentd extension standing for the seed's
 * UpdateAvailabilitiesNotificationWasSent), and the invitation link an account's owner
 * receives: its HTML page and form (/invitations/{token}) and the landlord dialect's
 * POST /api/v1/invitations/accept/.
 *
 * The changelog renders outbox rows (core/events.h) as AccountChange items (S-49):
 * agents see every account (accountId filters; an unknown one is an empty page), a
 * landlord employee only its own account (another accountId → 404, S-40: #3 documents
 * no 403).
 */
#include "dialects/accounts.h"

#include <sodium.h>
#include <string.h>

#include "base/log.h"
#include "core/accounts/notify.h"
#include "core/identity/password.h"
#include "dialects/dialects.h"
#include "json/json_read.h"

/* ---- GET /api/landlords/accounts/changes ---- */

/* changedBy (S-42): the recorded e-mail, else the actor's identity ("cli", a user uuid). */
static struct str changed_by(const struct event_row *r)
{
	return r->actor_email.len ? r->actor_email : r->actor_identity;
}

static void write_change(struct ctx *ctx, struct jw *w, const struct event_row *r)
{
	jw_object_begin(w);
	jw_kv_str(w, "id", r->uuid);
	jw_kv_str(w, "accountId", r->company_uuid.ptr ? r->company_uuid : STR_LIT(""));
	jw_kv_str(w, "changedBy", changed_by(r));
	jw_kv_str(w, "userFullName", r->actor_name);
	/* JSON text, encoded once (S-49); "{}" where nothing was there (a creation has no before) */
	jw_kv_str(w, "before", r->before.ptr ? r->before : STR_LIT("{}"));
	jw_kv_str(w, "after", r->after.ptr ? r->after : STR_LIT("{}"));
	jw_kv_cstr(w, "type", arena_printf(ctx->req->arena, "Sah\\Domain\\%.*s", STR_FMT(r->type)));
	jw_kv_cstr(w, "occurredOn", events_time(ctx->req->arena, r->occurred_us, EVENT_TIME_00_00));
	jw_object_end(w);
}

/*
 * Which company's changes: *company_id 0 = every account (agents without a filter);
 * *none set when the filter names no account (an agent gets an empty page).
 */
static int changes_scope(struct ctx *ctx, int64_t *company_id, bool *none)
{
	struct str id = str_trim(query_get(&ctx->query, "accountId"));

	*none = false;
	*company_id = accounts_is_agent(ctx) ? 0 : ctx->caller.user.company_id;
	if (!id.ptr || !id.len)
		return 0;
	if (accounts_company_for(ctx, id, false, company_id) == 0)
		return 0;
	/* for a landlord an unknown account and another's look alike: 404 either way */
	if (ctx->err->kind != ERROR_NOT_FOUND || !accounts_is_agent(ctx))
		return -1;
	error_forget(ctx->err);
	ctx->err->kind = ERROR_NONE;
	*none = true;
	return 0;
}

static int get_changes(struct ctx *ctx)
{
	struct event_row *rows = NULL;
	struct hal_page p;
	int64_t company_id, offset, total = 0;
	size_t n = 0;
	bool none;
	struct jw *w;

	if (accounts_auth(ctx) < 0 || hal_read_page(ctx, HAL_DEFAULT_PER_PAGE, &p) < 0 ||
	    changes_scope(ctx, &company_id, &none) < 0)
		return -1;
	/* a page far past the end still reports the total: the offset just saturates */
	offset = p.page - 1 <= INT64_MAX / p.per_page ? (p.page - 1) * p.per_page : INT64_MAX;
	if (!none && events_page(ctx->core, ctx->req->arena, company_id, offset, p.per_page, &rows, &n, &total,
				 ctx->err) < 0)
		return -1;
	w = hal_begin(ctx, "/api/landlords/accounts/changes", &p, (int64_t)n, total, "accountChanges");
	for (size_t i = 0; i < n; i++)
		write_change(ctx, w, &rows[i]);
	hal_end(w);
	return 0;
}

/* ---- POST /api/landlords/accounts/{id}/availability-reminders ---- */

static int post_availability_reminder(struct ctx *ctx)
{
	struct event_actor who;
	int64_t company_id;

	if (accounts_auth(ctx) < 0)
		return -1;
	if (!accounts_is_agent(ctx))
		return error_set(ctx->err, ERROR_FORBIDDEN, NULL, "agents only");
	if (accounts_company_for(ctx, route_param(&ctx->params, "id"), true, &company_id) < 0)
		return -1;
	accounts_actor(ctx, &who);
	if (notify_remind_availabilities(ctx->core, ctx->req->arena, company_id, &who, ctx->err) < 0)
		return -1;
	ctx_status(ctx, 202);
	ctx->resp->content_type = STR_LIT("application/json"); /* §1.1: every answer declares it, bodiless too */
	return 0;
}

/* ---- accepting an invitation: the password is hashed on the pool, like a login ---- */

struct accept_job {
	struct workpool_job job;
	struct str token;
	char *password; /* arena copy, wiped after hashing */
	size_t password_len;
	struct str email;
	char hash[PASSWORD_HASH_MAX];
	int rc;
};

static void accept_hash(struct workpool_job *job)
{
	struct accept_job *j = (struct accept_job *)job;
	j->rc = password_hash((struct str){ j->password, j->password_len }, j->hash);
	sodium_memzero(j->password, j->password_len);
}

/* Checks the token (so a bad link costs no hash) and starts hashing the password. */
static int accept_begin(struct ctx *ctx, struct str token, struct str password)
{
	struct accept_job *j = arena_calloc(ctx->req->arena, 1, sizeof(*j));

	if (notify_invitation_check(ctx->core, ctx->req->arena, token, &j->email, ctx->err) < 0)
		return -1;
	j->token = (struct str){ arena_strdup_str(ctx->req->arena, token), token.len };
	j->password = arena_strdup_str(ctx->req->arena, password);
	j->password_len = password.len;
	j->job.run = accept_hash;
	return ctx_suspend(ctx, j, &j->job);
}

static int accept_finish(struct ctx *ctx, struct accept_job *j)
{
	if (j->rc < 0)
		return error_set(ctx->err, ERROR_INTERNAL, NULL, "password hashing failed");
	return notify_invitation_accept(ctx->core, ctx->req->arena, j->token, str_from_cstr(j->hash), ctx->err);
}

/* POST /api/v1/invitations/accept/ {"token", "password"} → 200 {"username"} (landlord dialect). */
static int post_invitation_accept(struct ctx *ctx)
{
	struct accept_job *j = ctx_async_state(ctx);
	struct str token = STR_NULL, password = STR_NULL;
	struct jw *w;

	if (!j) {
		struct jr r = jr_root(ctx->err, ctx->body);
		jr_string(&r, "token", JR_REQUIRED, 1, 128, &token);
		jr_string(&r, "password", JR_REQUIRED, NOTIFY_PASSWORD_MIN, NOTIFY_PASSWORD_MAX, &password);
		if (error_failed(ctx->err))
			return -1;
		return accept_begin(ctx, token, password);
	}
	if (accept_finish(ctx, j) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "username", j->email);
	jw_object_end(w);
	return 0;
}

/* ---- /invitations/{token}: the page behind the e-mailed link ---- */

static void html_text(struct buf *b, struct str s)
{
	for (size_t i = 0; i < s.len; i++) {
		switch (s.ptr[i]) {
		case '<': buf_append_cstr(b, "&lt;"); break;
		case '>': buf_append_cstr(b, "&gt;"); break;
		case '&': buf_append_cstr(b, "&amp;"); break;
		case '"': buf_append_cstr(b, "&quot;"); break;
		case '\'': buf_append_cstr(b, "&#39;"); break;
		default: buf_putc(b, s.ptr[i]);
		}
	}
}

/*
 * A self-contained page: no scripts, no external assets. The token is in the URL, so the
 * page is never cached and sends no Referer; the form posts back to the same address.
 */
static void html_page(struct ctx *ctx, int status, const char *title, struct str message, bool form)
{
	struct buf *b = &ctx->resp->body;

	ctx->resp->status = status;
	ctx->resp->content_type = STR_LIT("text/html; charset=utf-8");
	response_header(ctx->resp, "Cache-Control", STR_LIT("no-store"));
	response_header(ctx->resp, "Referrer-Policy", STR_LIT("no-referrer"));
	response_header(ctx->resp, "X-Frame-Options", STR_LIT("DENY"));
	response_header(ctx->resp, "Content-Security-Policy",
			STR_LIT("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"));
	buf_init(b, ctx->req->arena, 2048);
	buf_append_cstr(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
	buf_append_cstr(b, title);
	buf_append_cstr(b, "</title><style>body{font-family:sans-serif;max-width:28em;margin:3em auto;padding:0 1em}"
			   "label{display:block;margin-top:1em}input{width:100%;padding:.4em;box-sizing:border-box}"
			   "button{margin-top:1.5em;padding:.5em 1.5em}.msg{padding:.6em;background:#f3f3f3}</style>"
			   "</head><body><h1>");
	buf_append_cstr(b, title);
	buf_append_cstr(b, "</h1><p class=\"msg\">");
	html_text(b, message);
	buf_append_cstr(b, "</p>");
	if (form)
		buf_append_cstr(b, "<form method=\"post\" action=\"\">"
				   "<label for=\"password\">New password (at least 8 characters)</label>"
				   "<input type=\"password\" id=\"password\" name=\"password\" minlength=\"8\""
				   " maxlength=\"1024\" autocomplete=\"new-password\" required>"
				   "<label for=\"password2\">Repeat it</label>"
				   "<input type=\"password\" id=\"password2\" name=\"password2\" minlength=\"8\""
				   " maxlength=\"1024\" autocomplete=\"new-password\" required>"
				   "<button type=\"submit\">Set password</button></form>");
	buf_append_cstr(b, "</body></html>\n");
}

/* The page for a link that cannot be used (unknown, used, expired), bad input or a fault. */
static int html_error(struct ctx *ctx)
{
	enum error_kind k = ctx->err->kind;
	int status = k == ERROR_NOT_FOUND ? 404 : k == ERROR_PRECONDITION ? 410 : k == ERROR_VALIDATION ? 422
		     : k == ERROR_MALFORMED ? 400 : k == ERROR_UNAVAILABLE ? 503 : 500;
	const char *msg = status == 404 ? "This invitation link is not valid."
			  : status == 410 && ctx->err->message ? ctx->err->message
			  : status == 422 && ctx->err->nfields ? ctx->err->fields[0].message
			  : status == 400 ? "The form could not be read."
					  : "Please try again in a moment.";

	if (status >= 500)
		log_request_error(ctx->req->request_id, "invitation page: %s", ctx->err->message ? ctx->err->message : "?");
	html_page(ctx, status, "Invitation", str_from_cstr(msg), status == 422);
	error_forget(ctx->err);
	ctx->err->kind = ERROR_NONE;
	return 0;
}

static int get_invitation_page(struct ctx *ctx)
{
	struct str email;

	if (notify_invitation_check(ctx->core, ctx->req->arena, route_param(&ctx->params, "token"), &email,
				    ctx->err) < 0)
		return html_error(ctx);
	html_page(ctx, 200, "Choose your password",
		  str_from_cstr(arena_printf(ctx->req->arena, "Choose the password for %.*s. You log in with this "
							      "e-mail address and the password.",
					     STR_FMT(email))),
		  true);
	return 0;
}

static int post_invitation_page(struct ctx *ctx)
{
	struct accept_job *j = ctx_async_state(ctx);
	struct str token = route_param(&ctx->params, "token");

	if (!j) {
		struct query form;
		struct str pw, pw2;
		if (query_parse(ctx->req->arena, ctx->req->body, &form, ctx->err) < 0)
			return html_error(ctx);
		pw = query_get(&form, "password");
		pw2 = query_get(&form, "password2");
		if (!pw.ptr || utf8_length(pw) < NOTIFY_PASSWORD_MIN || utf8_length(pw) > NOTIFY_PASSWORD_MAX)
			error_field(ctx->err, "password", RULE_LENGTH, "The password needs 8 to 1024 characters.");
		else if (!pw2.ptr || !str_eq(pw, pw2))
			error_field(ctx->err, "password2", RULE_PATTERN, "The two passwords differ.");
		if (error_failed(ctx->err) || accept_begin(ctx, token, pw) < 0)
			return html_error(ctx);
		return CTX_SUSPENDED;
	}
	if (accept_finish(ctx, j) < 0)
		return html_error(ctx);
	html_page(ctx, 200, "Password set",
		  str_from_cstr(arena_printf(ctx->req->arena, "Your password is set. Log in as %.*s.",
					     STR_FMT(j->email))),
		  false);
	return 0;
}

const struct route accounts_changes_routes[] = {
	{ HTTP_GET, "/api/landlords/accounts/changes", get_changes, DIALECT_ACCOUNTS, ROUTE_INVALID_400 },
	{ HTTP_POST, "/api/landlords/accounts/{id}/availability-reminders", post_availability_reminder,
	  DIALECT_ACCOUNTS, ROUTE_JSON },
	{ HTTP_POST, "/api/v1/invitations/accept", post_invitation_accept, DIALECT_LANDLORD, ROUTE_JSON },
	{ HTTP_GET, "/invitations/{token}", get_invitation_page, DIALECT_LANDLORD, ROUTE_SECRET_PATH },
	{ HTTP_POST, "/invitations/{token}", post_invitation_page, DIALECT_LANDLORD, ROUTE_SECRET_PATH },
};
const size_t accounts_changes_routes_count = sizeof(accounts_changes_routes) / sizeof(accounts_changes_routes[0]);
