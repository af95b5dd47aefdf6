/*
 * test_accounts_invite.c — the cross-dialect path of an account: an agent creates an
 * account with isNotifiable through the accounts dialect, the invitation waits in the
 * notification outbox (logged without SMTP, e-mailed by SMTP to a sink started here),
 * the owner sets a password with the link (JSON endpoint or the HTML form), logs in
 * through the landlord dialect and sees the same company; a company created on the
 * landlord side is listed as an account.
 *
 *   POST /api/v1/invitations/accept/   200, 412 ValidationError / InvitationUsed /
 *                                      InvitationExpired, 404 NotFound
 *   GET|POST /invitations/{token}      the HTML page and its form
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "core/accounts/notify.h"
#include "harness.h"
#include "smtp_sink.h"
#include "jobs/jobs.h"
#include "store/media/store_media.h"

static struct harness *h;
static char agent_tok[1024];

static void with_smtp(struct config *cfg)
{
	snprintf(cfg->smtp_url, sizeof(cfg->smtp_url), "smtp://127.0.0.1:%d", sink_port);
	snprintf(cfg->smtp_from, sizeof(cfg->smtp_from), "accounts@rentd.example");
	snprintf(cfg->public_url, sizeof(cfg->public_url), "https://rentd.example");
}

static void with_dead_smtp(struct config *cfg)
{
	snprintf(cfg->smtp_url, sizeof(cfg->smtp_url), "smtp://127.0.0.1:1");
}

static void with_public_url(struct config *cfg)
{
	snprintf(cfg->public_url, sizeof(cfg->public_url), "https://rentd.example");
}

static void setup_common(void (*tweak)(struct config *))
{
	h = harness_create_with(tweak);
	fixture_agent(h, "ada@ops.example", "Ada Agent", NULL, agent_tok);
}

static void setup(void)
{
	setup_common(with_public_url);
}

static void teardown(void)
{
	harness_destroy(h);
	if (sink_fd >= 0)
		close(sink_fd);
}

TestSuite(invite, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static struct hresp *agent_req(const char *method, const char *target, const char *body)
{
	char auth[1100];
	const char *headers[] = { auth, NULL };
	snprintf(auth, sizeof(auth), "Authorization: %s", agent_tok); /* the dialect's bare form */
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  headers);
}

/* POST /api/landlords/accounts; returns the account id (37 bytes in out). */
static void create_account_in(const char *name, const char *email, bool notifiable, const char *locale, char *out)
{
	char body[1024];
	struct hresp *r;
	const char *loc;

	snprintf(body, sizeof(body),
		 "{\"accountName\":\"%s\",\"accountEmail\":\"%s\",\"accountType\":\"private\",\"phone\":\"+34656889887\","
		 "\"contactFirstName\":\"John\",\"contactLastName\":\"Doe\",\"cityId\":\"madrid\",\"locale\":\"%s\","
		 "\"isNotifiable\":%s}",
		 name, email, locale, notifiable ? "true" : "false");
	r = agent_req("POST", "/api/landlords/accounts", body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	loc = hresp_header(r, "Location");
	cr_assert_not_null(loc);
	cr_assert(strncmp(loc, "/api/landlords/accounts/", 24) == 0, "%s", loc);
	snprintf(out, 37, "%s", loc + 24);
	hresp_free(r);
}

static void create_account(const char *name, const char *email, bool notifiable, char *out)
{
	create_account_in(name, email, notifiable, "es", out);
}

/* The pending invitations (caller destroys *a). */
static struct invitation_pending *pending(struct arena **a, size_t *n)
{
	struct invitation_pending *rows;
	struct error err;
	*a = arena_create(4096);
	error_init(&err, *a);
	cr_assert_eq(notify_pending_invitations(app_core(h->app), *a, &rows, n, &err), 0);
	return rows;
}

/* The token of the one pending invitation for email (44 bytes). */
static void token_of(const char *email, char *token)
{
	struct arena *a;
	size_t n;
	struct invitation_pending *rows = pending(&a, &n);
	const char *slash;

	for (size_t i = 0; i < n; i++) {
		if (!str_eq_cstr(rows[i].inv.email, email))
			continue;
		cr_assert_not_null(rows[i].link.ptr, "the link is kept while the e-mail is not delivered");
		cr_assert(strncmp(rows[i].link.ptr, "https://rentd.example/invitations/", 34) == 0, "%s",
			  rows[i].link.ptr);
		slash = strrchr(rows[i].link.ptr, '/');
		cr_assert_eq(strlen(slash + 1), NOTIFY_TOKEN_LEN);
		strcpy(token, slash + 1);
		arena_destroy(a);
		return;
	}
	cr_assert_fail("no pending invitation for %s", email);
}

static struct hresp *accept_invitation(const char *token, const char *password)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"token\":\"%s\",\"password\":\"%s\"}", token, password);
	return harness_request(h, "POST", "/api/v1/invitations/accept/", body);
}

/* Logs in through the landlord dialect; 0 and the token, or the failing status. */
static int login(const char *username, const char *password, char *token)
{
	char body[512];
	struct hresp *r;
	int status;

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
	r = harness_request(h, "POST", "/api/v2/tokens/", body);
	status = r->status;
	if (status == 200 && token)
		snprintf(token, 1024, "%s", hresp_str(r, "token"));
	hresp_free(r);
	return status == 200 ? 0 : status;
}

static int64_t count_jobs(const char *state)
{
	struct arena *a = arena_create(1024);
	struct error err;
	int64_t n = -1;
	error_init(&err, a);
	cr_assert_eq(store_job_count(h->store, state, &n, &err), 0);
	arena_destroy(a);
	return n;
}

/* ---- the whole path ---- */

Test(invite, account_owner_accepts_logs_in_and_sees_the_same_company)
{
	char id[37], token[64], ltok[1024];
	struct hresp *r;
	struct arena *a;
	size_t n;
	json_t *co;

	create_account("Casas Madrid SL", "owner@casas.example", true, id);
	token_of("owner@casas.example", token);
	cr_assert_eq(login("owner@casas.example", "", NULL), 412, "no password before the invitation is used");

	r = accept_invitation(token, "casas-madrid-2024");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "username"), "owner@casas.example");
	hresp_free(r);

	cr_assert_eq(login("owner@casas.example", "casas-madrid-2024", ltok), 0);
	r = harness_auth(h, "GET", "/api/v1/company/", ltok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "name"), "Casas Madrid SL");
	hresp_free(r);

	/* the same token in the accounts dialect, bare: its own account */
	{
		char auth[1100];
		const char *headers[] = { auth, NULL };
		snprintf(auth, sizeof(auth), "Authorization: %s", ltok);
		r = harness_request_ex(h, "GET", "/api/landlords/accounts/me", NULL, NULL, 0, headers);
	}
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "id"), id);
	cr_assert_str_eq(hresp_str(r, "accountName"), "Casas Madrid SL");
	cr_assert_str_eq(hresp_str(r, "accountEmail"), "owner@casas.example");
	hresp_free(r);

	/* the agent's view of the account is the company's */
	r = agent_req("GET", "/api/landlords/accounts?email=owner@casas.example", NULL);
	cr_assert_eq(r->status, 200);
	co = json_array_get(json_object_get(json_object_get(r->json, "_embedded"), "sah:accounts"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(co, "id")), id);
	hresp_free(r);

	/* used: once only, and no longer pending */
	r = accept_invitation(token, "another-password");
	cr_assert_eq(r->status, 412, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "error"), "InvitationUsed");
	hresp_free(r);
	cr_assert_eq(login("owner@casas.example", "another-password", NULL), 403, "the password did not change");
	pending(&a, &n);
	cr_assert_eq(n, 0);
	arena_destroy(a);
}

Test(invite, no_invitation_without_is_notifiable)
{
	char id[37];
	struct arena *a;
	size_t n;

	create_account("Quiet SL", "quiet@casas.example", false, id);
	pending(&a, &n);
	cr_assert_eq(n, 0);
	arena_destroy(a);
	cr_assert_eq(count_jobs("queued"), 0);
}

Test(invite, a_landlord_side_company_is_an_account)
{
	struct fixture_company co;
	struct hresp *r;
	json_t *items;
	bool found = false;

	fixture_company(h, "Bostäder i Norr AB", &co);
	r = agent_req("GET", "/api/landlords/accounts?itemsPerPage=100", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	items = json_object_get(json_object_get(r->json, "_embedded"), "sah:accounts");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		if (strcmp(json_string_value(json_object_get(it, "id")), co.uuid) == 0) {
			found = true;
			cr_assert_str_eq(json_string_value(json_object_get(it, "accountName")), "Bostäder i Norr AB");
		}
	}
	cr_assert(found, "company %s not listed: %s", co.uuid, r->body);
	hresp_free(r);
}

/* ---- bad tokens and bad input ---- */

Test(invite, expired_invitations_are_refused)
{
	char id[37], token[64];
	struct hresp *r;

	create_account("Late SL", "late@casas.example", true, id);
	token_of("late@casas.example", token);
	harness_sql(h, "UPDATE invitations SET expires_at = 1");
	r = accept_invitation(token, "late-password-1");
	cr_assert_eq(r->status, 412, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "error"), "InvitationExpired");
	hresp_free(r);
	{
		char path[128];
		snprintf(path, sizeof(path), "/invitations/%s", token);
		r = harness_request(h, "GET", path, NULL);
		cr_assert_eq(r->status, 410);
		cr_assert(strstr(r->body, "expired"), "%s", r->body);
		cr_assert_null(strstr(r->body, "<form"));
		hresp_free(r);
	}
	cr_assert_eq(login("late@casas.example", "late-password-1", NULL), 403);
}

Test(invite, unknown_tokens_are_not_found)
{
	static const char *const tokens[] = { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "short", "../../etc/passwd",
					      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+" };
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		struct hresp *r = accept_invitation(tokens[i], "a-good-password");
		cr_assert_eq(r->status, 404, "%s: %s", tokens[i], r->body);
		cr_assert_str_eq(hresp_str(r, "error"), "InvitationNotFound");
		cr_assert_not_null(hresp_str(r, "correlation_id"));
		hresp_free(r);
	}
}

Test(invite, bad_input_is_a_validation_error_naming_the_field)
{
	static const struct {
		const char *body;
		const char *field;
	} cases[] = {
		{ "{\"password\":\"a-good-password\"}", "token" },
		{ "{\"token\":\"AAAA\"}", "password" },
		{ "{\"token\":\"AAAA\",\"password\":\"short\"}", "password" },
		{ "{\"token\":5,\"password\":\"a-good-password\"}", "token" },
		{ "{\"token\":\"AAAA\",\"password\":[\"a-good-password\"]}", "password" },
		{ "[]", "body" },
	};
	char id[37], token[64];
	struct hresp *r;

	create_account("Strict SL", "strict@casas.example", true, id);
	token_of("strict@casas.example", token);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = harness_request(h, "POST", "/api/v1/invitations/accept/", cases[i].body);
		cr_assert_eq(r->status, 412, "%s: %s", cases[i].body, r->body);
		cr_assert_str_eq(hresp_str(r, "error"), "ValidationError");
		cr_assert_not_null(json_object_get(json_object_get(r->json, "fields"), cases[i].field), "%s: %s",
				   cases[i].body, r->body);
		hresp_free(r);
	}
	r = harness_request_ex(h, "POST", "/api/v1/invitations/accept/", "application/json", "{\"token\":", 9, NULL);
	cr_assert_eq(r->status, 400, "%s", r->body);
	hresp_free(r);
	/* a too long password of the right token is refused before anything changes */
	{
		char body[2200], pw[1100];
		memset(pw, 'p', 1025);
		pw[1025] = '\0';
		snprintf(body, sizeof(body), "{\"token\":\"%s\",\"password\":\"%s\"}", token, pw);
		r = harness_request(h, "POST", "/api/v1/invitations/accept/", body);
		cr_assert_eq(r->status, 412, "%s", r->body);
		hresp_free(r);
	}
	/* nothing of that used the invitation */
	r = accept_invitation(token, "strict-password");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

/* ---- the HTML page ---- */

Test(invite, the_link_opens_a_self_contained_form_that_sets_the_password)
{
	char id[37], token[64], path[128];
	struct hresp *r;
	const char *form_hdr[] = { NULL };

	create_account("Form SL", "form@casas.example", true, id);
	token_of("form@casas.example", token);
	snprintf(path, sizeof(path), "/invitations/%s", token);

	r = harness_request(h, "GET", path, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(r->content_type, "text/html; charset=utf-8");
	cr_assert_str_eq(hresp_header(r, "Cache-Control"), "no-store");
	cr_assert_str_eq(hresp_header(r, "Referrer-Policy"), "no-referrer");
	cr_assert(strstr(hresp_header(r, "Content-Security-Policy"), "default-src 'none'"));
	cr_assert(strstr(r->body, "<form method=\"post\""));
	cr_assert(strstr(r->body, "form@casas.example"));
	cr_assert_null(strstr(r->body, "<script"), "no scripts");
	cr_assert_null(strstr(r->body, "http"), "no external assets");
	hresp_free(r);

	r = harness_request_ex(h, "POST", path, "application/x-www-form-urlencoded",
			       "password=form-password-1&password2=form-password-2", 50, form_hdr);
	cr_assert_eq(r->status, 422, "%s", r->body);
	cr_assert(strstr(r->body, "differ"));
	cr_assert(strstr(r->body, "<form"), "the form is shown again");
	hresp_free(r);
	r = harness_request_ex(h, "POST", path, "application/x-www-form-urlencoded", "password=short&password2=short",
			       30, form_hdr);
	cr_assert_eq(r->status, 422, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(login("form@casas.example", "form-password-1", NULL), 403, "failed posts set nothing");

	r = harness_request_ex(h, "POST", path, "application/x-www-form-urlencoded",
			       "password=form+password%21&password2=form+password%21", 52, form_hdr);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(strstr(r->body, "Password set"));
	hresp_free(r);
	cr_assert_eq(login("form@casas.example", "form password!", NULL), 0);

	r = harness_request(h, "GET", path, NULL);
	cr_assert_eq(r->status, 410, "a used link says so");
	hresp_free(r);
	r = harness_request(h, "GET", "/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(r->content_type, "text/html; charset=utf-8");
	hresp_free(r);
}

/* ---- delivery ---- */

Test(invite, without_smtp_the_invitation_is_logged_without_its_link)
{
	char id[37], token[64], logpath[] = "/tmp/rentd-invite-log-XXXXXX", text[4096];
	int fd = mkstemp(logpath);
	struct arena *a;
	size_t n;
	struct invitation_pending *rows;
	ssize_t len;

	cr_assert(fd >= 0);
	create_account("Logged SL", "logged@casas.example", true, id);
	token_of("logged@casas.example", token);
	cr_assert_eq(count_jobs("queued"), 1);
	log_set_fd(fd);
	log_set_level(LOG_INFO);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	log_set_level(LOG_ERROR);
	log_set_fd(2);
	len = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	unlink(logpath);
	cr_assert_gt(len, 0);
	text[len] = '\0';
	cr_assert(strstr(text, "an invitation for logged@casas.example is waiting"), "%s", text);
	cr_assert_null(strstr(text, token), "the link is a secret: %s", text);
	cr_assert_eq(count_jobs("done"), 1);

	rows = pending(&a, &n);
	cr_assert_eq(n, 1);
	cr_assert(str_eq_cstr(rows[0].state, "logged"));
	cr_assert_not_null(rows[0].link.ptr, "the operator still finds the link with rentd invitations list");
	cr_assert(str_eq_cstr(rows[0].company_uuid, id));
	cr_assert(str_eq_cstr(rows[0].company_name, "Logged SL"));
	cr_assert_gt(rows[0].inv.expires_at, rows[0].inv.created_at + 6 * 86400);
	arena_destroy(a);
}

/* These make their own harness: the SMTP URL is part of its configuration. */
TestSuite(invite_smtp, .fini = teardown);

Test(invite_smtp, smtp_delivers_the_link)
{
	char id[37], token[64], ltok[1024];
	struct arena *a;
	size_t n;
	struct invitation_pending *rows;
	struct hresp *r;
	char *link;

	sink_start();
	setup_common(with_smtp);
	create_account_in("Mailed AB", "mailed@casas.example", true, "sv", id);
	token_of("mailed@casas.example", token);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_eq(sink_messages, 1);
	cr_assert(strstr(sink_envelope, "MAIL FROM:<accounts@rentd.example>"), "%s", sink_envelope);
	cr_assert(strstr(sink_envelope, "RCPT TO:<mailed@casas.example>"), "%s", sink_envelope);
	cr_assert(strstr(sink_mail, "To: mailed@casas.example\r\n"), "%s", sink_mail);
	cr_assert(strstr(sink_mail, "From: accounts@rentd.example\r\n"), "%s", sink_mail);
	cr_assert(strstr(sink_mail, "Subject: =?UTF-8?B?"), "non-ASCII subjects are encoded: %s", sink_mail);
	cr_assert(strstr(sink_mail, "Content-Type: text/plain; charset=utf-8"));
	link = strstr(sink_mail, "https://rentd.example/invitations/");
	cr_assert_not_null(link, "%s", sink_mail);
	cr_assert(strncmp(link + 34, token, NOTIFY_TOKEN_LEN) == 0);
	cr_assert(strstr(sink_mail, "Mailed AB"));
	cr_assert(strstr(sink_mail, "Välj ditt lösenord"), "the account's locale picks the text");

	/* delivered: the stored copy of the link is gone, the invitation still works */
	rows = pending(&a, &n);
	cr_assert_eq(n, 1);
	cr_assert(str_eq_cstr(rows[0].state, "sent"));
	cr_assert_null(rows[0].link.ptr);
	arena_destroy(a);
	r = accept_invitation(token, "mailed-password");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(login("mailed@casas.example", "mailed-password", ltok), 0);
	/* the job is done: running the queue again sends nothing */
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0);
	cr_assert_eq(sink_messages, 1);
}

Test(invite_smtp, a_failed_delivery_is_retried_by_the_job_queue)
{
	char id[37];
	struct arena *a;
	size_t n;
	struct invitation_pending *rows;

	setup_common(with_dead_smtp);
	create_account("Retry SL", "retry@casas.example", true, id);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_eq(count_jobs("queued"), 1, "queued again for a later attempt");
	cr_assert_eq(count_jobs("done"), 0);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0, "not due yet");
	rows = pending(&a, &n);
	cr_assert_eq(n, 1);
	cr_assert(str_eq_cstr(rows[0].state, "queued"));
	cr_assert_not_null(rows[0].link.ptr);
	arena_destroy(a);
}
