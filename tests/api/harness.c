#include "harness.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "core/identity/org.h"
#include "core/identity/password.h"
#include "store/migrations.h"

/*
 * Every test process starts from a copy of one migrated database instead of replaying
 * every migration (SQLite parsing the schema history was most of a test's time). The
 * template is keyed by a hash of the migrations, so a new or changed migration makes a
 * new one; it is built under a temporary name and renamed, so processes racing to build
 * it never see half of one. Migrations themselves are tested by the store unit suite.
 */
static uint64_t harness_migrations_hash(void)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < store_migrations_sqlite_count; i++) {
		const struct migration *m = &store_migrations_sqlite[i];
		char version[32];
		snprintf(version, sizeof(version), "%lld:", (long long)m->version);
		for (const char *p = version; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		for (const char *p = m->sql; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	}
	return h;
}

static void harness_copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_TRUNC);

	cr_assert(in >= 0 && out >= 0, "copy %s to %s", from, to);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n, "write %s", to);
	cr_assert(n == 0, "read %s", from);
	close(in);
	close(out);
}

static void harness_template(char *path, size_t cap)
{
	struct arena *a;
	struct error err;
	struct store *s;
	char tmp[300];
	int applied, fd;

	snprintf(path, cap, "/tmp/rentd-test-template-%016llx.db",
		(unsigned long long)harness_migrations_hash());
	if (access(path, R_OK) == 0)
		return;
	a = arena_create(1024);
	error_init(&err, a);
	snprintf(tmp, sizeof(tmp), "%s-XXXXXX", path);
	fd = mkstemp(tmp);
	cr_assert(fd >= 0, "mkstemp");
	close(fd);
	cr_assert(store_open(tmp, &s, &err) == 0, "store_open: %s", err.message);
	cr_assert(store_migrate(s, &applied, &err) == 0, "migrate: %s", err.message);
	store_close(s); /* checkpoints: the template is one self-contained file */
	cr_assert(rename(tmp, path) == 0, "rename %s", tmp);
	arena_destroy(a);
}

struct harness *harness_create_with(void (*tweak)(struct config *cfg))
{
	struct harness *h = calloc(1, sizeof(*h));
	struct arena *a = arena_create(1024);
	struct error err;
	char template[256];
	int applied, fd;

	cr_assert(h);
	error_init(&err, a);
	log_set_access(0);
	log_set_level(LOG_ERROR);
	password_set_cost(PASSWORD_COST_MIN); /* same argon2id, minimum cost: tests hash a lot */
	config_defaults(&h->cfg);
	snprintf(h->cfg.secret, sizeof(h->cfg.secret), "rentd test secret, not for production use");
	/* the contract-sealing key's seed (core/contracts/contract_key.h), as RENTD_CONTRACT_KEY would give it */
	snprintf(h->cfg.contract_key, sizeof(h->cfg.contract_key), "%s",
		 "7465737420636f6e7472616374206b65792c206e6f7420666f722070726f6421");
	if (getenv("RENTD_GEO_DIR")) /* tests/meson.build points the geo suites at data/geo */
		snprintf(h->cfg.geo_dir, sizeof(h->cfg.geo_dir), "%s", getenv("RENTD_GEO_DIR"));
	if (tweak)
		tweak(&h->cfg);
	snprintf(h->dbpath, sizeof(h->dbpath), "/tmp/rentd-test-XXXXXX");
	fd = mkstemp(h->dbpath);
	cr_assert(fd >= 0, "mkstemp");
	close(fd);
	harness_template(template, sizeof(template));
	harness_copy_file(template, h->dbpath);
	snprintf(h->cfg.database, sizeof(h->cfg.database), "%s", h->dbpath);
	cr_assert(store_open(h->dbpath, &h->store, &err) == 0, "store_open: %s", err.message);
	cr_assert(store_migrate(h->store, &applied, &err) == 0, "migrate: %s", err.message);
	h->server = server_assemble(&h->cfg, h->store);
	cr_assert(h->server);
	h->app = server_app(h->server);
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
	server_destroy(h->server);
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

void fixture_token(struct harness *h, int64_t user_id, char *token)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct user u;
	struct str t;

	error_init(&err, a);
	cr_assert_eq(store_user_get(h->store, a, user_id, &u, &err), 0, "fixture_token: no user %lld", (long long)user_id);
	t = auth_issue(app_core(h->app), a, &u);
	cr_assert(t.len < 1024);
	memcpy(token, t.ptr, t.len);
	token[t.len] = '\0';
	arena_destroy(a);
}

static struct str hash_of(struct arena *a, const char *password)
{
	char *hash = arena_alloc(a, PASSWORD_HASH_MAX);
	cr_assert_eq(password_hash(str_from_cstr(password), hash), 0);
	return str_from_cstr(hash);
}

void fixture_company(struct harness *h, const char *name, struct fixture_company *out)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct company_created cc;

	error_init(&err, a);
	memset(out, 0, sizeof(*out));
	snprintf(out->admin_username, sizeof(out->admin_username), "admin@%s", name);
	cr_assert_eq(org_company_create(app_core(h->app), a, str_from_cstr(name), str_from_cstr(out->admin_username),
					hash_of(a, "admin-password"), &cc, &err), 0,
		     "fixture_company: %s", err.message ? err.message : "");
	out->id = cc.company_id;
	snprintf(out->uuid, sizeof(out->uuid), "%.*s", STR_FMT(cc.company_uuid));
	out->root_office = cc.office_id;
	out->admin_id = cc.employee_id;
	fixture_token(h, cc.employee_id, out->admin_token);
	arena_destroy(a);
}

int64_t fixture_office(struct harness *h, int64_t company_id, int64_t parent, const char *name)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct office_fields f;
	int64_t id;

	error_init(&err, a);
	memset(&f, 0, sizeof(f));
	f.name = str_from_cstr(name);
	f.candidate_sorting_mode = STR_LIT("queue_points");
	f.contract_system = STR_LIT("manual_selection_lock");
	f.batch_size = 5;
	f.offer_min_response_time = 48;
	f.offer_per_ad = 5;
	f.offers_per_person = 3;
	f.time_to_next_engagement = 5;
	cr_assert_eq(store_office_insert(h->store, company_id, parent, &f, &id, &err), 0);
	arena_destroy(a);
	return id;
}

int64_t fixture_employee(struct harness *h, int64_t company_id, int64_t office, const char *profile,
			 const char *username, char *token)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct employee_new e;
	int64_t id;
	char password[128];

	error_init(&err, a);
	memset(&e, 0, sizeof(e));
	snprintf(password, sizeof(password), "password-%s", username);
	e.company_id = company_id;
	e.office_id = office;
	e.right_profile = str_from_cstr(profile);
	e.username = str_from_cstr(username);
	e.password_hash = hash_of(a, password);
	e.first_name = STR_LIT("Test");
	e.last_name = str_from_cstr(username);
	cr_assert_eq(org_employee_create(app_core(h->app), a, &e, &id, &err), 0, "fixture_employee: %s",
		     err.message ? err.message : "");
	if (token)
		fixture_token(h, id, token);
	arena_destroy(a);
	return id;
}

int64_t fixture_consumer(struct harness *h, const char *username, char *token)
{
	struct arena *a = arena_create(4096);
	struct error err;
	struct user_insert u;
	int64_t id;

	error_init(&err, a);
	memset(&u, 0, sizeof(u));
	u.kind = USER_CONSUMER;
	u.username = str_from_cstr(username);
	u.email = str_from_cstr(username);
	u.first_name = STR_LIT("Consumer");
	cr_assert_eq(store_user_insert(h->store, &u, &id, &err), 0);
	if (token)
		fixture_token(h, id, token);
	arena_destroy(a);
	return id;
}

int64_t fixture_agent(struct harness *h, const char *email, const char *name, char *uuid, char *token)
{
	struct arena *a = arena_create(4096);
	struct error err;
	int64_t id;
	struct str got;
	char password[300];

	error_init(&err, a);
	snprintf(password, sizeof(password), "password-%s", email);
	cr_assert_eq(org_agent_create(app_core(h->app), a, str_from_cstr(email), hash_of(a, password),
				      str_from_cstr(name), &id, &got, &err), 0, "fixture_agent: %s",
		     err.message ? err.message : "");
	if (uuid)
		snprintf(uuid, 37, "%.*s", STR_FMT(got));
	if (token)
		fixture_token(h, id, token);
	arena_destroy(a);
	return id;
}

struct hresp *harness_auth(struct harness *h, const char *method, const char *target, const char *token,
			   const char *body)
{
	char hdr[1100];
	const char *headers[] = { hdr, NULL };
	snprintf(hdr, sizeof(hdr), "Authorization: JWT %s", token ? token : "");
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  token ? headers : NULL);
}

long long hresp_int(const struct hresp *r, const char *key)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
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
