/*
 * fuzz_accounts.c — the accounts dialect (Spotahome Landlords API) in-process: its
 * query parameters (ids / ids[] / sort / paging / filters) and the JSON bodies of its
 * write endpoints, sent through app_handle() with a valid agent or landlord token, so
 * the fuzzer spends its time past authentication, inside the handlers.
 *
 * Input layout:
 *
 *     byte 0          the operation (mod the table below): method and path template
 *     byte 1          bit 0: landlord token instead of the agent's; bit 1: Bearer scheme;
 *                     bit 2: a Requester header; bits 3-4: which account {id} stands for
 *                     (the agent-made account, the landlord's company, an unknown uuid,
 *                     or the first line's text); bits 5-7: which contact {contactId}
 *     up to '\n'      the query string (or, with bits 3-4 = 3, "idtext?query")
 *     the rest        the body (sent as application/json)
 *
 * Every answer must be below 500 and, when it says JSON, parse.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/config.h"
#include "base/arena.h"
#include "base/log.h"
#include "core/identity/auth.h"
#include "core/identity/org.h"
#include "fuzz.h"
#include "store/store.h"
#include "wiring/server.h"
#include "store/identity/store_org.h"

static struct config cfg;
static struct store *store;
static struct server *server;
static struct app *app;
static struct arena *arena;
static char dbpath[512];
static char agent_token[1024], landlord_token[1024];
static char account_id[64] = "00000000-0000-4000-8000-000000000000";
static char company_uuid[64];

static const struct {
	enum http_method method;
	const char *path; /* {id}: an account id; {contactId}: a contact id */
} ops[] = {
	{ HTTP_GET, "/api/landlords/accounts" },
	{ HTTP_POST, "/api/landlords/accounts" },
	{ HTTP_GET, "/api/landlords/accounts/changes" },
	{ HTTP_GET, "/api/landlords/accounts/{id}" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/basic-details" },
	{ HTTP_GET, "/api/landlords/accounts/me" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/type" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/plan" },
	{ HTTP_POST, "/api/landlords/accounts/{id}/booking-conditions-by-country" },
	{ HTTP_PUT, "/api/accommodation-providers/{id}/booking-acceptance-time-preferences" },
	{ HTTP_PUT, "/api/accommodation-providers/{id}/icalendar" },
	{ HTTP_POST, "/api/landlords/accounts/{id}/contacts" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/contacts/{contactId}" },
	{ HTTP_DELETE, "/api/landlords/accounts/{id}/contacts/{contactId}" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/contact-types" },
	{ HTTP_POST, "/api/accommodation-providers/{id}/contacts/" },
	{ HTTP_PUT, "/api/accommodation-providers/{id}/contacts/{contactId}" },
	{ HTTP_PUT, "/api/accommodation-providers/{id}/contact-types" },
	{ HTTP_PUT, "/api/accommodation-providers/{id}/policies" },
	{ HTTP_POST, "/api/landlords/accounts/additional-data" },
	{ HTTP_GET, "/api/landlords/accounts/{id}/additional-data" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/additional-data" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/booking-conditions" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/management-info" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/canonical-policies" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/account-managers" },
	{ HTTP_PUT, "/api/landlords/accounts/lead-source" },
	{ HTTP_PUT, "/api/landlords/accounts/{id}/lead-source" },
	{ HTTP_POST, "/api/landlords/accounts/{id}/availability-reminders" },
	{ HTTP_POST, "/api/landlords/accounts/{id}/obfuscate" },
	{ HTTP_POST, "/api/landlords/accounts/{id}/contacts/{contactId}/obfuscate" },
	{ HTTP_GET, "/api/landlords/agents" },
	{ HTTP_GET, "/api/agents" },
	{ HTTP_GET, "/api/landlords/agents/{id}" },
	{ HTTP_GET, "/api/landlords/languages" },
	{ HTTP_GET, "/api/landlords/accounts/types" },
	{ HTTP_GET, "/api/landlords/account-cancellation-policies" },
	{ HTTP_GET, "/api/cities/{id}" },
	{ HTTP_GET, "/api/countries/{id}" },
	{ HTTP_POST, "/api/v1/invitations/accept/" },
	{ HTTP_GET, "/invitations/{id}" },
	{ HTTP_POST, "/invitations/{id}" },
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

static const char *const contact_ids[] = { "1", "2", "3", "999999", "0", "-1", "abc", "9223372036854775808" };

static void cleanup(void)
{
	char side[600];

	server_destroy(server);
	store_close(store);
	arena_destroy(arena);
	unlink(dbpath);
	snprintf(side, sizeof(side), "%s-wal", dbpath);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", dbpath);
	unlink(side);
}

static void run(struct request *req, struct response *resp)
{
	while (app_handle(app, req, resp) == APP_SUSPENDED)
		app_run_pending(app, req);
}

static void token_for(struct arena *a, int64_t user_id, char *out)
{
	struct error err;
	struct user u;
	struct str t;

	error_init(&err, a);
	FUZZ_CHECK(store_user_get(store, a, user_id, &u, &err) == 0, "no user %lld", (long long)user_id);
	t = auth_issue(app_core(app), a, &u);
	FUZZ_CHECK(t.len < 1024, "token too long");
	memcpy(out, t.ptr, t.len);
	out[t.len] = '\0';
}

/* An account made through the API (so it has contacts and events), and a landlord-side company. */
static void seed(struct arena *a)
{
	static const char body[] =
		"{\"accountName\":\"Fuzz SL\",\"accountEmail\":\"fuzz@example.com\",\"accountType\":\"private\","
		"\"phone\":\"+34656889887\",\"contactFirstName\":\"John\",\"contactLastName\":\"Doe\","
		"\"cityId\":\"madrid\",\"locale\":\"es\",\"isNotifiable\":true}";
	struct company_created cc;
	struct request req;
	struct response resp;
	struct error err;
	struct str uuid;
	int64_t agent;
	char auth[1100];

	error_init(&err, a);
	FUZZ_CHECK(org_agent_create(app_core(app), a, STR_LIT("agent@fuzz.example"), STR_LIT(""), STR_LIT("Fuzz Agent"),
				    &agent, &uuid, &err) == 0, "agent: %s", err.message);
	token_for(a, agent, agent_token);
	FUZZ_CHECK(org_company_create(app_core(app), a, STR_LIT("Landlord AB"), STR_LIT("landlord@fuzz.example"),
				      STR_LIT(""), &cc, &err) == 0, "company: %s", err.message);
	token_for(a, cc.employee_id, landlord_token);
	snprintf(company_uuid, sizeof(company_uuid), "%.*s", STR_FMT(cc.company_uuid));

	memset(&req, 0, sizeof(req));
	req.arena = a;
	req.method = HTTP_POST;
	req.method_name = STR_LIT("POST");
	req.path = STR_LIT("/api/landlords/accounts");
	req.client_addr = STR_LIT("127.0.0.1");
	snprintf(auth, sizeof(auth), "%s", agent_token);
	req.headers[0] = (struct header){ STR_LIT("Authorization"), str_from_cstr(auth) };
	req.headers[1] = (struct header){ STR_LIT("Content-Type"), STR_LIT("application/json") };
	req.nheaders = 2;
	req.body = STR_LIT(body);
	run(&req, &resp);
	FUZZ_CHECK(resp.status == 201, "seeding the account: %d %.*s", resp.status, (int)resp.body.len, resp.body.ptr);
	for (size_t i = 0; i < resp.nheaders; i++) {
		struct str v = resp.headers[i].value;
		const char *slash = v.len ? memrchr(v.ptr, '/', v.len) : NULL;
		if (str_case_eq(resp.headers[i].name, STR_LIT("Location")) && slash)
			snprintf(account_id, sizeof(account_id), "%.*s", (int)(v.ptr + v.len - slash - 1), slash + 1);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct arena *a = arena_create(16 * 1024);
	struct error err;
	int applied, fd;

	(void)argc;
	(void)argv;
	log_set_access(0);
	log_set_level(LOG_OFF);
	error_init(&err, a);
	config_defaults(&cfg);
	cfg.body_limit = 4096;
	snprintf(cfg.secret, sizeof(cfg.secret), "rentd fuzz secret, not for production use");
	snprintf(dbpath, sizeof(dbpath), "%s/rentd-fuzz-accounts-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(dbpath);
	FUZZ_CHECK(fd >= 0, "mkstemp %s", dbpath);
	close(fd);
	snprintf(cfg.database, sizeof(cfg.database), "%s", dbpath);
	FUZZ_CHECK(store_open(dbpath, &store, &err) == 0, "store_open: %s", err.message);
	FUZZ_CHECK(store_migrate(store, &applied, &err) == 0, "store_migrate: %s", err.message);
	server = server_assemble(&cfg, store);
	FUZZ_CHECK(server, "server_assemble");
	app = server_app(server);
	seed(a);
	arena = arena_create(16 * 1024);
	arena_destroy(a);
	atexit(cleanup);
	return 0;
}

/* The template with {id} and {contactId} filled in. */
static struct str fill_path(const char *tmpl, struct str id, const char *contact)
{
	struct buf b;

	buf_init(&b, arena, 256);
	for (const char *p = tmpl; *p;) {
		if (strncmp(p, "{id}", 4) == 0) {
			buf_append_str(&b, id);
			p += 4;
		} else if (strncmp(p, "{contactId}", 11) == 0) {
			buf_append_cstr(&b, contact);
			p += 11;
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_str(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p, *end, *nl, *q;
	struct request req;
	struct response resp;
	struct str id, line;
	unsigned flags;
	size_t nh = 0;

	if (size < 2)
		return 0;
	arena_reset(arena);
	flags = data[1];
	p = (const char *)data + 2;
	end = (const char *)data + size;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	line = (struct str){ p, (size_t)(nl - p) };

	switch ((flags >> 3) & 3) {
	case 0: id = str_from_cstr(account_id); break;
	case 1: id = str_from_cstr(company_uuid); break;
	case 2: id = STR_LIT("3c2e15d7-ba6e-4995-aa19-a00267ca36dd"); break;
	default:
		/* the first line is "id?query": ids of any shape, percent escapes included */
		q = memchr(line.ptr, '?', line.len);
		id = (struct str){ line.ptr, q ? (size_t)(q - line.ptr) : line.len };
		if (!id.len || memchr(id.ptr, '/', id.len))
			id = STR_LIT("x");
		line = q ? (struct str){ q + 1, (size_t)(line.ptr + line.len - q - 1) } : STR_LIT("");
	}

	memset(&req, 0, sizeof(req));
	req.arena = arena;
	req.method = ops[data[0] % NOPS].method;
	req.method_name = str_from_cstr(http_method_name(req.method));
	req.path = fill_path(ops[data[0] % NOPS].path, id, contact_ids[(flags >> 5) & 7]);
	req.query = line;
	req.client_addr = STR_LIT("127.0.0.1");
	req.headers[nh].name = STR_LIT("Authorization");
	req.headers[nh++].value = str_from_cstr(arena_printf(arena, "%s%s", (flags & 2) ? "Bearer " : "",
							     (flags & 1) ? landlord_token : agent_token));
	if (flags & 4) {
		req.headers[nh].name = STR_LIT("Requester");
		req.headers[nh++].value = STR_LIT("\"operator@fuzz.example\"");
	}
	req.body = nl < end ? (struct str){ nl + 1, (size_t)(end - nl - 1) } : STR_LIT("");
	if (req.body.len) {
		req.headers[nh].name = STR_LIT("Content-Type");
		req.headers[nh++].value = STR_LIT("application/json");
	}
	req.nheaders = nh;
	if (req.body.len > cfg.body_limit)
		req.body_too_large = 1;
	run(&req, &resp);

	FUZZ_CHECK(resp.status >= 200 && resp.status < 500, "%d for %s %.*s?%.*s", resp.status,
		   http_method_name(req.method), STR_FMT(req.path), STR_FMT(req.query));
	/* bodiless 201/202/204 answers of this dialect declare JSON too (§1.1) */
	if (resp.body.len && resp.content_type.len && memmem(resp.content_type.ptr, resp.content_type.len, "json", 4)) {
		json_error_t je;
		json_t *j = json_loadb(resp.body.ptr, resp.body.len, JSON_REJECT_DUPLICATES, &je);
		FUZZ_CHECK(j, "%d response body is not JSON (%s): %.*s", resp.status, je.text,
			   (int)(resp.body.len > 300 ? 300 : resp.body.len), resp.body.ptr);
		json_decref(j);
	}
	return 0;
}
