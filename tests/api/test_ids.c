/*
 * Ids are never given again (issue 12 finding 6): company A creates and deletes a row,
 * company B creates the next one of the same kind, and B's id is not A's old one. With
 * a plain INTEGER PRIMARY KEY SQLite hands out max(id) + 1, so B got A's id and a stale
 * link of A's showed B's data (migration 0018 makes these tables AUTOINCREMENT).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

enum parent { P_NONE, P_ESTATE, P_APARTMENT, P_PROJECT };

struct id_case {
	const char *what;
	enum parent parent;
	const char *create; /* "{p}": the parent's id */
	const char *body;   /* "{p}": the parent's id, "{n}": a number unique to the request */
	const char *remove; /* "{p}", "{id}" */
};

static const struct id_case id_cases[] = {
	{ "estate", P_NONE, "/api/v4/estate/", "{\"legal_name\": \"Ids {n}\", \"city\": \"Stockholm\"}",
	  "/api/v4/estate/{id}" },
	{ "apartment", P_ESTATE, "/api/v4/apartment/",
	  "{\"estate\": {p}, \"street_name\": \"Idgatan\", \"street_number\": \"{n}\", \"zip_code\": \"11129\","
	  " \"national_id\": \"{n}\", \"latitude\": 59.3293, \"longitude\": 18.0686, \"area\": 50, \"floor\": 2,"
	  " \"rent\": 8000, \"rooms\": 2}",
	  "/api/v4/apartment/{id}" },
	{ "requirement profile", P_NONE, "/api/v1/requirements/", "{\"name\": \"Profile {n}\"}",
	  "/api/v1/requirements/{id}" },
	{ "project", P_NONE, "/api/v1/projects/", "{\"name\": \"Project {n}\"}", "/api/v1/projects/{id}" },
	{ "webhook subscription", P_NONE, "/api/v1/webhooks/",
	  "{\"url\": \"https://hooks{n}.example.com/\", \"event_types\": [\"reservation\"]}", "/api/v1/webhooks/{id}" },
	{ "right profile", P_NONE, "/api/v1/right_profiles/", "{\"name\": \"Rights {n}\", \"rights\": []}",
	  "/api/v1/right_profiles/{id}" },
	{ "user note", P_NONE, "/api/v1/user_notes/", "{\"text\": \"Note {n}\", \"user_profile\": {c}}",
	  "/api/v1/user_notes/{id}" },
	{ "apartment note", P_APARTMENT, "/api/v4/apartment/{p}/notes/", "{\"text\": \"Note {n}\"}",
	  "/api/v4/apartment/{p}/notes/{id}" },
	{ "apartment 3D view", P_APARTMENT, "/api/v4/apartment/{p}/3d_views/",
	  "{\"url\": \"https://my.matterport.com/show/?m={n}\"}", "/api/v4/apartment/{p}/3d_views/{id}" },
	{ "project free text", P_PROJECT, "/api/v1/projects/{p}/freetext/",
	  "{\"title\": \"T{n}\", \"description\": \"D\", \"position\": 1}", "/api/v1/projects/{p}/freetext/{id}" },
};

struct tenant {
	struct fixture_company co;
	int64_t parents[4]; /* by enum parent */
};

static struct harness *h;
static struct tenant a, b;
static int64_t consumer;
static int serial;

/* tmpl with {p}, {id}, {n} and {c} replaced. */
static void fill(char *out, size_t size, const char *tmpl, int64_t parent, int64_t id)
{
	size_t o = 0;
	while (*tmpl && o + 24 < size) {
		char num[24];
		const char *key = NULL;
		int64_t v = 0;
		if (!strncmp(tmpl, "{p}", 3))
			key = "{p}", v = parent;
		else if (!strncmp(tmpl, "{id}", 4))
			key = "{id}", v = id;
		else if (!strncmp(tmpl, "{n}", 3))
			key = "{n}", v = 1000 + serial;
		else if (!strncmp(tmpl, "{c}", 3))
			key = "{c}", v = consumer;
		if (!key) {
			out[o++] = *tmpl++;
			continue;
		}
		snprintf(num, sizeof(num), "%lld", (long long)v);
		memcpy(out + o, num, strlen(num));
		o += strlen(num);
		tmpl += strlen(key);
	}
	cr_assert(!*tmpl, "template too long");
	out[o] = 0;
}

static int64_t create(struct tenant *t, const struct id_case *c)
{
	char path[256], body[1024];
	struct hresp *r;
	int64_t id;

	serial++;
	fill(path, sizeof(path), c->create, t->parents[c->parent], 0);
	fill(body, sizeof(body), c->body, t->parents[c->parent], 0);
	r = harness_auth(h, "POST", path, t->co.admin_token, body);
	cr_assert(r->status == 200 || r->status == 201, "%s: POST %s %s → %d %s", c->what, path, body, r->status,
		  r->body);
	id = hresp_int(r, "id");
	cr_assert_gt(id, 0, "%s: %s", c->what, r->body);
	hresp_free(r);
	return id;
}

static void delete(struct tenant *t, const struct id_case *c, int64_t id)
{
	char path[256];
	struct hresp *r;
	fill(path, sizeof(path), c->remove, t->parents[c->parent], id);
	r = harness_auth(h, "DELETE", path, t->co.admin_token, NULL);
	cr_assert(r->status == 200 || r->status == 204, "%s: DELETE %s → %d %s", c->what, path, r->status, r->body);
	hresp_free(r);
}

static void parents(struct tenant *t)
{
	t->parents[P_ESTATE] = create(t, &id_cases[0]);
	t->parents[P_APARTMENT] = create(t, &id_cases[1]);
	t->parents[P_PROJECT] = create(t, &id_cases[3]);
}

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Ids A AB", &a.co);
	fixture_company(h, "Ids B AB", &b.co);
	consumer = fixture_consumer(h, "ids@example.com", NULL);
	parents(&a);
	parents(&b);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(ids, .init = setup, .fini = teardown);

/* A creates and deletes one of each kind; then `next` creates one: its id must be new. */
static void expect_fresh_ids(struct tenant *next)
{
	for (size_t i = 0; i < sizeof(id_cases) / sizeof(id_cases[0]); i++) {
		const struct id_case *c = &id_cases[i];
		int64_t gone = create(&a, c), id;
		delete(&a, c, gone);
		id = create(next, c);
		cr_expect_gt(id, gone, "%s: %s got id %lld after company A deleted %lld", c->what,
			     next == &a ? "company A" : "company B", (long long)id, (long long)gone);
	}
}

Test(ids, a_deleted_id_is_never_given_to_another_company)
{
	expect_fresh_ids(&b);
}

Test(ids, a_deleted_id_is_not_given_again_in_the_same_company)
{
	expect_fresh_ids(&a);
}
