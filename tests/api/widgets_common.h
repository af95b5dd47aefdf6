/*
 * widgets_common.h — projects for the suites of the project interest page (test_widgets.c,
 * test_project_interest.c): a project made through the landlord API, patched, and
 * published with the prerequisites of core/listings/projects.c. Static inline, as the other
 * *_common.h.
 */
#ifndef RENTD_TEST_WIDGETS_COMMON_H
#define RENTD_TEST_WIDGETS_COMMON_H

#include "org_common.h"

/* POST /api/v1/projects/ as token, in office (0: the caller's); the new id. */
static inline int64_t widgets_make_project(struct harness *h, const char *token, const char *name, int64_t office)
{
	json_t *body = json_pack("{s:s}", "name", name);
	char *text;
	struct hresp *r;
	int64_t id;

	if (office)
		json_object_set_new(body, "office", json_integer(office));
	text = json_dumps(body, 0);
	r = harness_auth(h, "POST", "/api/v1/projects/", token, text);
	cr_assert(r->status == 200 || r->status == 201, "project create: %d %s", r->status, r->body);
	id = hresp_int(r, "id");
	cr_assert(id > 0, "%s", r->body);
	hresp_free(r);
	free(text);
	json_decref(body);
	return id;
}

static inline void widgets_patch_project(struct harness *h, const char *token, int64_t id, const char *body)
{
	char p[512];
	struct hresp *r = harness_auth(h, "PATCH", pathf(p, "/api/v1/projects/%lld", (long long)id), token, body);
	cr_assert_eq(r->status, 200, "project patch %s: %d %s", body, r->status, r->body);
	hresp_free(r);
}

/* A published project of co in office (0: the root office): an info header and text and one estate. */
static inline int64_t widgets_published_project(struct harness *h, const struct fixture_company *co,
						const char *name, int64_t office)
{
	int64_t at = office ? office : co->root_office;
	int64_t id = widgets_make_project(h, co->admin_token, name, at);
	char p[512];
	struct hresp *r = reqf(h, "POST", "/api/v4/estate", co->admin_token,
			       "{\"legal_name\": \"Estate\", \"city\": \"Uppsala\", \"office\": %lld}", (long long)at);
	int64_t estate;

	cr_assert_eq(r->status, 200, "%s", r->body);
	estate = hresp_int(r, "id");
	hresp_free(r);
	r = harness_auth(h, "POST", pathf(p, "/api/v1/projects/%lld/estates/%lld", (long long)id, (long long)estate),
			 co->admin_token, NULL);
	cr_assert(r->status == 200 || r->status == 201 || r->status == 204, "add estate: %d %s", r->status, r->body);
	hresp_free(r);
	widgets_patch_project(h, co->admin_token, id, "{\"info_header\": \"New homes\", \"info_description\": \"Soon.\"}");
	widgets_patch_project(h, co->admin_token, id, "{\"published\": true}");
	return id;
}

#endif
