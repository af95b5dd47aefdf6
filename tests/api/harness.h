/*
 * harness.h — in-process API tests: a request goes through app_handle() exactly as
 * the HTTP adapter would send it, with a fresh migrated SQLite database per
 * harness, and the response comes back with its JSON parsed.
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

struct harness {
	struct config cfg;
	struct store *store;
	struct app *app;
	char dbpath[256];
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

/* JSON body sent as application/json; NULL body: none. */
struct hresp *harness_request(struct harness *h, const char *method, const char *target, const char *body);
/*
 * Full control: extra headers as "Name: value" strings, NULL-terminated;
 * content_type NULL sends no Content-Type.
 */
struct hresp *harness_request_ex(struct harness *h, const char *method, const char *target,
				 const char *content_type, const char *body, size_t body_len,
				 const char *const *headers);

const char *hresp_header(const struct hresp *r, const char *name);
/* json_string_value of a top-level member, or NULL. */
const char *hresp_str(const struct hresp *r, const char *key);
void hresp_free(struct hresp *r);

#endif
