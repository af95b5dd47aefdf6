/*
 * fuzz_app.c — the whole application in-process: app_handle() on a migrated
 * SQLite database, exactly as the HTTP adapter would call it.
 *
 * Input layout (so seeds stay readable):
 *
 *     byte 0          method: GET HEAD POST PUT PATCH DELETE OPTIONS OTHER (mod 8)
 *     up to '\n'      the request target, path[?query]
 *     header lines    "Name: value\n", at most 8, while a line starts with a
 *                     token and ':' (an empty line ends them early)
 *     the rest        the body
 *
 * Every request must get a 2xx..5xx answer that is not a 500 (a fault of ours),
 * with a body that parses when it says it is JSON.
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
#include "fuzz.h"
#include "store/store.h"
#include "wiring/server.h"

#define FUZZ_MAX_HEADERS 8

static struct config cfg;
static struct store *store;
static struct server *server;
static struct app *app;
static struct arena *arena;
static char dbpath[512];

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

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct arena *a = arena_create(1024);
	struct error err;
	int applied, fd;

	(void)argc;
	(void)argv;
	log_set_access(0);
	log_set_level(LOG_OFF);
	error_init(&err, a);
	config_defaults(&cfg);
	cfg.body_limit = 4096; /* below run.sh's -max_len, so the 413 path is reached too */
	snprintf(dbpath, sizeof(dbpath), "%s/rentd-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(dbpath);
	FUZZ_CHECK(fd >= 0, "mkstemp %s", dbpath);
	close(fd);
	snprintf(cfg.database, sizeof(cfg.database), "%s", dbpath);
	FUZZ_CHECK(store_open(dbpath, &store, &err) == 0, "store_open: %s", err.message);
	FUZZ_CHECK(store_migrate(store, &applied, &err) == 0, "store_migrate: %s", err.message);
	server = server_assemble(&cfg, store);
	FUZZ_CHECK(server, "server_assemble");
	app = server_app(server);
	arena = arena_create(16 * 1024);
	arena_destroy(a);
	atexit(cleanup);
	return 0;
}

static int is_token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_';
}

/* "Name: value" at p (up to the end of its line)? Returns the name length, or 0. */
static size_t header_name_len(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && is_token_char((unsigned char)p[i]))
		i++;
	return (i > 0 && i < n && p[i] == ':') ? i : 0;
}

static void parse_input(const uint8_t *data, size_t size, struct request *req)
{
	static const char *const other_methods[] = { "BREW", "TRACE", "CONNECT", "get" };
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	const char *nl, *q;

	memset(req, 0, sizeof(*req));
	req->arena = arena;
	req->method = (enum http_method)(data[0] % HTTP_METHOD_COUNT);
	req->method_name = req->method == HTTP_OTHER
				   ? str_from_cstr(other_methods[(data[0] / HTTP_METHOD_COUNT) % 4])
				   : str_from_cstr(http_method_name(req->method));
	req->client_addr = STR_LIT("127.0.0.1");

	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	q = memchr(p, '?', (size_t)(nl - p));
	req->path = (struct str){ p, (size_t)((q ? q : nl) - p) };
	req->query = q ? (struct str){ q + 1, (size_t)(nl - q - 1) } : STR_LIT("");
	p = nl < end ? nl + 1 : end;

	while (p < end && req->nheaders < FUZZ_MAX_HEADERS) {
		size_t name_len;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl == p) { /* empty line: the body follows */
			p++;
			break;
		}
		name_len = header_name_len(p, (size_t)(nl - p));
		if (!name_len)
			break;
		req->headers[req->nheaders].name = (struct str){ p, name_len };
		req->headers[req->nheaders].value =
			str_trim((struct str){ p + name_len + 1, (size_t)(nl - p - name_len - 1) });
		req->nheaders++;
		p = nl < end ? nl + 1 : end;
	}
	req->body = (struct str){ p, (size_t)(end - p) };
	if (req->body.len > cfg.body_limit)
		req->body_too_large = 1; /* as the adapter does */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req;
	struct response resp;
	int has_id = 0;

	if (size < 1)
		return 0;
	arena_reset(arena);
	parse_input(data, size, &req);
	/* a sign-in or a registration hashes on the worker pool: run it here, as the adapter would */
	while (app_handle(app, &req, &resp) == APP_SUSPENDED)
		app_run_pending(app, &req);

	FUZZ_CHECK(resp.status >= 200 && resp.status <= 599, "status %d", resp.status);
	FUZZ_CHECK(resp.status != 500, "500 for %s %.*s", http_method_name(req.method), STR_FMT(req.path));
	FUZZ_CHECK(resp.nheaders <= RESPONSE_MAX_HEADERS, "%zu response headers", resp.nheaders);
	for (size_t i = 0; i < resp.nheaders; i++) {
		FUZZ_CHECK(resp.headers[i].name.len && resp.headers[i].value.ptr, "header %zu empty", i);
		has_id |= str_case_eq(resp.headers[i].name, STR_LIT("X-Request-Id"));
		for (size_t k = 0; k < resp.headers[i].value.len; k++) {
			unsigned char c = (unsigned char)resp.headers[i].value.ptr[k];
			FUZZ_CHECK(c != '\r' && c != '\n' && c != '\0', "response header %.*s splits a line",
				   STR_FMT(resp.headers[i].name));
		}
	}
	FUZZ_CHECK(has_id, "no X-Request-Id");
	if (resp.content_type.len && memmem(resp.content_type.ptr, resp.content_type.len, "json", 4)) {
		json_error_t je;
		json_t *j = json_loadb(resp.body.ptr, resp.body.len, JSON_REJECT_DUPLICATES, &je);
		FUZZ_CHECK(j, "%d response body is not JSON (%s): %.*s", resp.status, je.text,
			   (int)(resp.body.len > 300 ? 300 : resp.body.len), resp.body.ptr);
		json_decref(j);
	}
	return 0;
}
