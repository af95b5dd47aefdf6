/*
 * harness.h — in-process API tests: a request goes through app_handle() exactly as
 * the HTTP adapter would send it, with a fresh migrated database per harness (a copy of one
 * migrated template: a SQLite file, or with RENTD_TEST_PG_URL set — the suite api_pg — a
 * database of its own on that PostgreSQL cluster), and the response comes back with its JSON parsed.
 *
 *     struct harness *h = harness_create();
 *     struct hresp *r = harness_request(h, "POST", "/api/v4/estate", "{\"name\":\"x\"}");
 *     cr_assert_eq(r->status, 412);
 *     cr_assert_str_eq(json_string_value(json_object_get(r->json, "error")), "ValidationError");
 *     hresp_free(r);
 *     harness_destroy(h);
 */
#ifndef RENTD_TEST_HARNESS_H
#define RENTD_TEST_HARNESS_H

#include <jansson.h>

#include "app/app.h"
#include "store/store.h"
#include "wiring/server.h"

struct harness {
	struct config cfg;
	struct store *store;
	struct server *server; /* assembled as serve does it (wiring/server.h) */
	struct app *app;       /* server_app(server) */
	char pg_database[64];  /* PostgreSQL: this harness's database on the test cluster (harness.c) */
	int test_routes;       /* harness_add_routes was called: recorded exchanges say so */
};

struct hresp {
	struct arena *arena;
	int status;
	char *content_type; /* NULL when none */
	char *body;         /* NUL-terminated copy */
	size_t body_len;
	json_t *json;       /* parsed body, NULL if not JSON */
	struct header headers[RESPONSE_MAX_HEADERS];
	size_t nheaders;
};

struct harness *harness_create(void);
/* Like harness_create, with a configuration tweak (body limit, …) applied first. */
struct harness *harness_create_with(void (*tweak)(struct config *cfg));
void harness_destroy(struct harness *h);
/*
 * Routes of the test's own (fixtures of the request pipeline, in no dialect's table) added to
 * h's app; fails the test if app_add_routes does. Its exchanges are recorded as made on such a
 * harness, so the OpenAPI check knows an answer from a path of no document may be one of them.
 */
void harness_add_routes(struct harness *h, const struct route *routes, size_t n);

/* JSON body sent as application/json; NULL body: none. */
struct hresp *harness_request(struct harness *h, const char *method, const char *target, const char *body);
/*
 * Full control: extra headers as "Name: value" strings, NULL-terminated;
 * content_type NULL sends no Content-Type.
 */
struct hresp *harness_request_ex(struct harness *h, const char *method, const char *target,
				 const char *content_type, const char *body, size_t body_len,
				 const char *const *headers);

/*
 * Fixtures for authenticated tests. Passwords are hashed for real (argon2id), so
 * create few employees per test. Tokens are issued as a login would.
 */
struct fixture_company {
	int64_t id;
	char uuid[37];
	int64_t root_office;
	int64_t admin_id;
	char admin_username[64];
	char admin_token[1024];
};
/* A company with its root office, default profiles and an admin (password "admin-password"). */
void fixture_company(struct harness *h, const char *name, struct fixture_company *out);
/* An office below parent; returns its id. */
int64_t fixture_office(struct harness *h, int64_t company_id, int64_t parent, const char *name);
/* An employee with a default profile by name ("observer", "employee", "manager", "admin");
 * password "password-<username>"; *token receives a landlord token (1024 bytes). */
int64_t fixture_employee(struct harness *h, int64_t company_id, int64_t office, const char *profile,
			 const char *username, char *token);
/* A consumer user; *token (may be NULL) receives a consumer token. */
int64_t fixture_consumer(struct harness *h, const char *username, char *token);
/* An agent (operator staff) with password "password-<email>"; uuid (37 bytes, may be NULL)
 * receives its id, token (1024 bytes, may be NULL) an agent token. */
int64_t fixture_agent(struct harness *h, const char *email, const char *name, char *uuid, char *token);
/* A landlord token for a user id (as a login would issue). */
void fixture_token(struct harness *h, int64_t user_id, char *token);

/*
 * SQL on the harness's database, for state the API does not make and proof of what a request
 * wrote: through the store's own connection of the calling thread (store_db()), so the same on
 * SQLite and PostgreSQL, and the SQL must be valid on both (docs/ARCHITECTURE.md's portable
 * SQL: an INSERT whose id is wanted says RETURNING id, a comparison read as a number is CAST
 * AS INTEGER). printf-style: what is pasted in is the test's own constants and ids, never input.
 * Each fails the test on an error.
 */
/* One or more statements. */
__attribute__((format(printf, 2, 3))) void harness_sql(struct harness *h, const char *fmt, ...);
/* The first column of the first row as an integer (-1 when there is no row, 0 for NULL). */
__attribute__((format(printf, 2, 3))) long long harness_sql_int(struct harness *h, const char *fmt, ...);
/* The first column of the first row as text, which the caller frees; no row or NULL fails the test. */
__attribute__((format(printf, 2, 3))) char *harness_sql_text(struct harness *h, const char *fmt, ...);

/* A request with "Authorization: JWT <token>" (token NULL: none). */
struct hresp *harness_auth(struct harness *h, const char *method, const char *target, const char *token,
			   const char *body);

/* Integer member of the top-level object (or -1). */
long long hresp_int(const struct hresp *r, const char *key);

const char *hresp_header(const struct hresp *r, const char *name);
/* json_string_value of a top-level member, or NULL. */
const char *hresp_str(const struct hresp *r, const char *key);
void hresp_free(struct hresp *r);

#endif
