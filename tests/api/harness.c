#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/log.h"
#include "core/identity/org.h"
#include "core/identity/password.h"
#include "store/db.h"
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

/*
 * PostgreSQL (RENTD_TEST_PG_URL set, by tests/pg/pg_cluster.py for the suite api_pg): each harness
 * gets a database of its own on that throwaway cluster, CREATE DATABASE … TEMPLATE of one
 * migrated template database. The template is made once per cluster (every test process of a
 * run shares it, as every process shares the SQLite template file) and keyed by the same hash
 * of the migrations; the processes take turns under an advisory lock, and it is built under
 * another name and renamed only once migrated, so a failed migration leaves no template that
 * looks ready. A test's database is dropped by harness_destroy (a failed test's is left for the
 * cluster's removal).
 */
static const char *harness_pg_cluster(void)
{
	const char *url = getenv("RENTD_TEST_PG_URL");
	return url && *url ? url : NULL;
}

/* The cluster's URL with its database name replaced by name ("postgresql://user@/db?host=…"). */
static void harness_pg_url(const char *cluster, const char *name, char *out, size_t cap)
{
	const char *auth = strstr(cluster, "://"), *path, *rest;
	int n;

	cr_assert(auth, "RENTD_TEST_PG_URL is not a URL: %s", cluster);
	path = strchr(auth + 3, '/');
	cr_assert(path, "RENTD_TEST_PG_URL has no database name: %s", cluster);
	rest = path + strcspn(path, "?");
	n = snprintf(out, cap, "%.*s/%s%s", (int)(path - cluster), cluster, name, rest);
	cr_assert(n > 0 && (size_t)n < cap, "URL too long: %s", cluster);
}

/* One statement of text on the cluster's maintenance connection (CREATE/DROP DATABASE, locks). */
static void harness_pg_exec(struct db *admin, const char *sql)
{
	struct arena *a = arena_create(1024);
	struct error err;

	error_init(&err, a);
	cr_assert_eq(db_exec(admin, sql, &err), 0, "%s: %s", sql, err.message);
	arena_destroy(a);
}

static struct db *harness_pg_admin(const char *cluster)
{
	struct arena *a = arena_create(1024);
	struct error err;
	struct db *admin;

	error_init(&err, a);
	cr_assert_eq(db_open(cluster, &admin, &err), 0, "%s: %s", cluster, err.message);
	arena_destroy(a);
	return admin;
}

static void harness_pg_template(struct db *admin, const char *cluster, char *name, size_t cap)
{
	static const char sql_exists[] = "SELECT COUNT(*) FROM pg_database WHERE datname = ?1";
	struct arena *a = arena_create(1024);
	struct error err;
	struct db_stmt *st;
	struct store *s;
	char building[96], url[1024], sql[256];
	int applied;
	bool exists;

	error_init(&err, a);
	snprintf(name, cap, "rentd_template_%016llx", (unsigned long long)harness_migrations_hash());
	snprintf(building, sizeof(building), "%s_building", name);
	harness_pg_exec(admin, "SELECT pg_advisory_lock(17)"); /* released with the session, whatever happens */
	st = db_prepare(admin, sql_exists, &err);
	cr_assert(st, "%s", err.message);
	db_bind_text(st, 1, str_from_cstr(name));
	cr_assert_eq(db_step(st, &err), DB_ROW, "%s", err.message);
	exists = db_col_int(st, 0) > 0;
	db_reset(st);
	if (!exists) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", building); /* a failed attempt's */
		harness_pg_exec(admin, sql);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", building);
		harness_pg_exec(admin, sql);
		harness_pg_url(cluster, building, url, sizeof(url));
		cr_assert(store_open(url, &s, &err) == 0, "store_open: %s", err.message);
		cr_assert(store_migrate(s, &applied, &err) == 0, "migrate: %s", err.message);
		store_close(s);
		snprintf(sql, sizeof(sql), "ALTER DATABASE %s RENAME TO %s", building, name);
		harness_pg_exec(admin, sql);
	}
	harness_pg_exec(admin, "SELECT pg_advisory_unlock(17)");
	arena_destroy(a);
}

/* h->pg_database: a new database on the cluster, a copy of the migrated template; its URL into url. */
static void harness_pg_create(struct harness *h, const char *cluster, char *url, size_t cap)
{
	static unsigned made;
	struct db *admin = harness_pg_admin(cluster);
	char template[64], sql[256];

	harness_pg_template(admin, cluster, template, sizeof(template));
	snprintf(h->pg_database, sizeof(h->pg_database), "rentd_test_%ld_%u", (long)getpid(), made++);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE %s", h->pg_database, template);
	harness_pg_exec(admin, sql);
	db_close(admin);
	harness_pg_url(cluster, h->pg_database, url, cap);
}

static void harness_pg_drop(const struct harness *h, const char *cluster)
{
	struct db *admin = harness_pg_admin(cluster);
	char sql[256];

	/* waits (up to 5 s) for the store's closed connections to be gone on the server's side */
	snprintf(sql, sizeof(sql), "DROP DATABASE %s", h->pg_database);
	harness_pg_exec(admin, sql);
	db_close(admin);
}

/* SQLite: a new file, a copy of the migrated template file. */
static void harness_sqlite_create(char *path, size_t cap)
{
	char template[256];
	int fd;

	snprintf(path, cap, "/tmp/rentd-test-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0, "mkstemp");
	close(fd);
	harness_template(template, sizeof(template));
	harness_copy_file(template, path);
}

struct harness *harness_create_with(void (*tweak)(struct config *cfg))
{
	struct harness *h = calloc(1, sizeof(*h));
	struct arena *a = arena_create(1024);
	const char *cluster = harness_pg_cluster();
	struct error err;
	int applied;

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
	if (cluster)
		harness_pg_create(h, cluster, h->cfg.database, sizeof(h->cfg.database));
	else
		harness_sqlite_create(h->cfg.database, sizeof(h->cfg.database));
	cr_assert(store_open(h->cfg.database, &h->store, &err) == 0, "store_open: %s", err.message);
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
	const char *cluster = harness_pg_cluster();
	char side[1100];

	server_destroy(h->server);
	store_close(h->store);
	if (cluster) {
		harness_pg_drop(h, cluster);
	} else {
		unlink(h->cfg.database);
		snprintf(side, sizeof(side), "%s-wal", h->cfg.database);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", h->cfg.database);
		unlink(side);
	}
	free(h);
}

/*
 * With RENTD_TEST_RECORD_DIR set (the Makefile's test-unit sets it for its meson test run), every
 * exchange is appended as one JSON line to <dir>/<Criterion suite>.<pid>.jsonl for
 * tests/openapi/validate_responses.py, which checks each answer against docs/openapi/: method,
 * path and query as sent, the request's content type (never its body), status, the response's
 * content type, and its body when it is JSON (else only its length); whether the harness has
 * routes of the test's own (harness_add_routes), whether the exchange is the portal's or the test
 * clock's (routes added at run time, in no document), and whether an allocation failure was being
 * injected (alloc_fault_hook set: answers no client can provoke). One file per process
 * (Criterion forks per test) and one O_APPEND write() per line, so parallel tests never
 * interleave. A recording that cannot be written fails the test: a silent gap would let the
 * check pass on fewer answers than the suites received.
 */
/*
 * A gzip-encoded answer's bytes, inflated (zlib), for the recording; NULL when they do not
 * inflate (the recording then keeps only their length, and the check reports the missing body).
 */
static json_t *gunzip_json(const struct hresp *r)
{
	z_stream z = { 0 };
	size_t cap = r->body_len * 4 + 4096, len = 0;
	char *out = malloc(cap);
	json_t *body = NULL;
	int rc = Z_OK;

	if (!out || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)r->body;
	z.avail_in = (uInt)r->body_len;
	while (rc == Z_OK) {
		if (len == cap) {
			char *more = realloc(out, cap * 2);
			if (!more)
				break;
			out = more;
			cap *= 2;
		}
		z.next_out = (Bytef *)out + len;
		z.avail_out = (uInt)(cap - len);
		rc = inflate(&z, Z_NO_FLUSH);
		len = cap - z.avail_out;
	}
	if (rc == Z_STREAM_END)
		body = json_loadb(out, len, JSON_DECODE_ANY, NULL);
	inflateEnd(&z);
	free(out);
	return body;
}

/* Whether path (len bytes) is the portal's page or one of its files under h's prefix (portal.c). */
static bool portal_path(const struct harness *h, const char *path, size_t len)
{
	const char *prefix = h->cfg.portal_prefix;
	size_t n = strcmp(prefix, "/") == 0 ? 0 : strlen(prefix);

	if (!h->cfg.portal)
		return false;
	if ((n == 0 && len == 1 && path[0] == '/') ||
	    (n && strncmp(path, prefix, n) == 0 && (len == n || (len == n + 1 && path[n] == '/'))))
		return true;
	return len > n + 8 && strncmp(path, prefix, n) == 0 && strncmp(path + n, "/portal/", 8) == 0;
}

/* Whether path (len bytes) is the test clock's, on a harness started with it (system.c). */
static bool test_clock_path(const struct harness *h, const char *path, size_t len)
{
	return h->cfg.test_clock && len >= 11 && strncmp(path, "/test-clock", 11) == 0 &&
	       (len == 11 || (len == 12 && path[11] == '/'));
}

static void harness_record(const struct harness *h, const char *method, const char *target,
			   const char *content_type, const struct hresp *r)
{
	const char *dir = getenv("RENTD_TEST_RECORD_DIR");
	const char *q = strchr(target, '?');
	char path[4096];
	json_t *line;
	char *text;
	size_t len;
	int fd;

	if (!dir || !*dir)
		return;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		cr_assert_fail("RENTD_TEST_RECORD_DIR %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s.%ld.jsonl", dir,
		 criterion_current_test ? criterion_current_test->category : "harness", (long)getpid());
	line = json_pack("{s:s, s:s%, s:s, s:s?, s:s?, s:i, s:s?, s:s}", "method", method,
			 "path", target, q ? (size_t)(q - target) : strlen(target), "query", q ? q + 1 : "",
			 "request_content_type", content_type,
			 "test", criterion_current_test ? criterion_current_test->name : NULL,
			 "status", r->status, "content_type", r->content_type,
			 "backend", getenv("RENTD_TEST_PG_URL") ? "postgresql" : "sqlite");
	cr_assert(line, "recording: json_pack failed");
	if (h->test_routes)
		json_object_set_new(line, "test_routes", json_true());
	if (portal_path(h, target, q ? (size_t)(q - target) : strlen(target)))
		json_object_set_new(line, "portal", json_true());
	if (test_clock_path(h, target, q ? (size_t)(q - target) : strlen(target)))
		json_object_set_new(line, "test_clock", json_true());
	if (alloc_fault_hook)
		json_object_set_new(line, "alloc_fault", json_true());
	if (criterion_current_test && criterion_current_test->category)
		json_object_set_new(line, "suite", json_string(criterion_current_test->category));
	if (r->body_len && r->content_type && strstr(r->content_type, "json")) {
		/* JSON_DECODE_ANY: a bare string or number is JSON too; what does not parse is kept as text */
		const char *encoding = hresp_header(r, "Content-Encoding");
		json_t *body = encoding && strcasecmp(encoding, "gzip") == 0 ? gunzip_json(r)
			       : r->json ? json_incref(r->json)
					 : json_loadb(r->body, r->body_len, JSON_DECODE_ANY, NULL);
		json_object_set_new(line, body ? "body" : "body_text",
				    body ? body : json_stringn(r->body, r->body_len));
	} else {
		json_object_set_new(line, "body_length", json_integer((json_int_t)r->body_len));
	}
	text = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(line);
	cr_assert(text, "recording: json_dumps failed");
	len = strlen(text);
	text[len] = '\n'; /* over the NUL: written with its length, never read as a string */
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (fd < 0)
		cr_assert_fail("recording to %s: %s", path, strerror(errno));
	if (write(fd, text, len + 1) != (ssize_t)(len + 1))
		cr_assert_fail("recording to %s: short write", path);
	close(fd);
	free(text);
}

void harness_add_routes(struct harness *h, const struct route *routes, size_t n)
{
	cr_assert_eq(app_add_routes(h->app, routes, n), 0, "app_add_routes failed");
	h->test_routes = 1;
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
	harness_record(h, method, target, content_type, r);
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

/*
 * db_prepare() caches a statement by the address of its text (store/db.h), which must therefore
 * never hold another statement later: each text the tests format is kept once, for the process.
 */
static const char *harness_sql_interned(const char *sql)
{
	static struct interned {
		struct interned *next;
		char sql[];
	} *texts;
	struct interned *t;

	for (t = texts; t; t = t->next)
		if (strcmp(t->sql, sql) == 0)
			return t->sql;
	t = malloc(sizeof(*t) + strlen(sql) + 1);
	cr_assert(t);
	strcpy(t->sql, sql);
	t->next = texts;
	texts = t;
	return t->sql;
}

/* fmt's text, which the caller frees (a test's batch of statements may be long). */
__attribute__((format(printf, 1, 0))) static char *harness_sql_format(const char *fmt, va_list ap)
{
	va_list again;
	char *sql;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	cr_assert(n >= 0, "%s", fmt);
	sql = malloc((size_t)n + 1);
	cr_assert(sql);
	vsnprintf(sql, (size_t)n + 1, fmt, ap);
	return sql;
}

/* The statement of fmt, stepped once: DB_ROW (then the caller resets it) or DB_DONE. */
__attribute__((format(printf, 2, 0))) static struct db_stmt *harness_sql_step(struct harness *h, const char *fmt,
										va_list ap, int *rc)
{
	struct arena *a = arena_create(1024);
	char *sql = harness_sql_format(fmt, ap);
	struct error err;
	struct db *db;
	struct db_stmt *st;

	error_init(&err, a);
	db = store_db(h->store, &err);
	cr_assert(db, "store_db: %s", err.message);
	st = db_prepare(db, harness_sql_interned(sql), &err);
	cr_assert(st, "%s: %s", sql, err.message);
	*rc = db_step(st, &err);
	cr_assert(*rc >= 0, "%s: %s", sql, err.message);
	free(sql);
	arena_destroy(a);
	return st;
}

void harness_sql(struct harness *h, const char *fmt, ...)
{
	struct arena *a = arena_create(1024);
	struct error err;
	struct db *db;
	va_list ap;
	char *sql;

	va_start(ap, fmt);
	sql = harness_sql_format(fmt, ap);
	va_end(ap);
	error_init(&err, a);
	db = store_db(h->store, &err);
	cr_assert(db, "store_db: %s", err.message);
	cr_assert_eq(db_exec(db, sql, &err), 0, "%s: %s", sql, err.message);
	free(sql);
	arena_destroy(a);
}

long long harness_sql_int(struct harness *h, const char *fmt, ...)
{
	struct db_stmt *st;
	long long out = -1;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = harness_sql_step(h, fmt, ap, &rc);
	va_end(ap);
	if (rc == DB_ROW)
		out = (long long)db_col_int(st, 0);
	db_reset(st);
	return out;
}

char *harness_sql_text(struct harness *h, const char *fmt, ...)
{
	struct db_stmt *st;
	char *out = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = harness_sql_step(h, fmt, ap, &rc);
	va_end(ap);
	if (rc == DB_ROW && !db_col_is_null(st, 0)) {
		struct str v = db_col_text(st, 0);
		out = strndup(v.ptr ? v.ptr : "", v.len);
		cr_assert(out);
	}
	db_reset(st);
	cr_assert(out, "no value: %s", fmt);
	return out;
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
