#include "harness.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

struct harness *harness_create_with(void (*tweak)(struct config *cfg))
{
	struct harness *h = calloc(1, sizeof(*h));
	struct arena *a = arena_create(1024);
	struct error err;
	int applied, fd;

	cr_assert(h);
	error_init(&err, a);
	log_set_access(0);
	log_set_level(LOG_ERROR);
	config_defaults(&h->cfg);
	snprintf(h->cfg.secret, sizeof(h->cfg.secret), "rentd test secret, not for production use");
	if (tweak)
		tweak(&h->cfg);
	snprintf(h->dbpath, sizeof(h->dbpath), "/tmp/rentd-test-XXXXXX");
	fd = mkstemp(h->dbpath);
	cr_assert(fd >= 0, "mkstemp");
	close(fd);
	snprintf(h->cfg.database, sizeof(h->cfg.database), "%s", h->dbpath);
	cr_assert(store_open(h->dbpath, &h->store, &err) == 0, "store_open: %s", err.message);
	cr_assert(store_migrate(h->store, &applied, &err) == 0, "migrate: %s", err.message);
	h->app = app_create(&h->cfg, h->store);
	cr_assert(h->app);
	arena_destroy(a);
	return h;
}

struct harness *harness_create(void)
{
	return harness_create_with(NULL);
}

void harness_destroy(struct harness *h)
{
	char side[300];
	app_destroy(h->app);
	store_close(h->store);
	unlink(h->dbpath);
	snprintf(side, sizeof(side), "%s-wal", h->dbpath);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", h->dbpath);
	unlink(side);
	free(h);
}

struct hresp *harness_request_ex(struct harness *h, const char *method, const char *target,
				 const char *content_type, const char *body, size_t body_len,
				 const char *const *headers)
{
	struct arena *a = arena_create(8192);
	struct request req;
	struct response resp;
	struct hresp *r = arena_calloc(a, 1, sizeof(*r));
	const char *q = strchr(target, '?');

	memset(&req, 0, sizeof(req));
	req.arena = a;
	req.method_name = str_from_cstr(method);
	req.method = http_method_parse(req.method_name);
	req.path = q ? (struct str){ target, (size_t)(q - target) } : str_from_cstr(target);
	req.query = q ? str_from_cstr(q + 1) : STR_LIT("");
	req.client_addr = STR_LIT("127.0.0.1");
	if (content_type) {
		req.headers[req.nheaders].name = STR_LIT("Content-Type");
		req.headers[req.nheaders++].value = str_from_cstr(content_type);
	}
	for (size_t i = 0; headers && headers[i]; i++) {
		const char *colon = strchr(headers[i], ':');
		cr_assert(colon, "header without ':'");
		req.headers[req.nheaders].name = (struct str){ headers[i], (size_t)(colon - headers[i]) };
		req.headers[req.nheaders++].value = str_trim(str_from_cstr(colon + 1));
	}
	if (body) {
		req.body = (struct str){ body, body_len };
		if (body_len > h->cfg.body_limit)
			req.body_too_large = 1; /* as the adapter does */
	}
	while (app_handle(h->app, &req, &resp) == APP_SUSPENDED)
		app_run_pending(h->app, &req);

	r->arena = a;
	r->status = resp.status;
	r->content_type = resp.content_type.len ? arena_strdup_str(a, resp.content_type) : NULL;
	r->body = arena_strndup(a, resp.body.ptr ? resp.body.ptr : "", resp.body.len);
	r->body_len = resp.body.len;
	memcpy(r->headers, resp.headers, sizeof(resp.headers));
	r->nheaders = resp.nheaders;
	if (r->body_len)
		r->json = json_loadb(r->body, r->body_len, 0, NULL);
	return r;
}

struct hresp *harness_request(struct harness *h, const char *method, const char *target, const char *body)
{
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body,
				  body ? strlen(body) : 0, NULL);
}

const char *hresp_header(const struct hresp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (str_case_eq(r->headers[i].name, str_from_cstr(name)))
			return arena_strdup_str(r->arena, r->headers[i].value);
	return NULL;
}

const char *hresp_str(const struct hresp *r, const char *key)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	return v ? json_string_value(v) : NULL;
}

void hresp_free(struct hresp *r)
{
	if (!r)
		return;
	if (r->json)
		json_decref(r->json);
	arena_destroy(r->arena);
}
