/* Cross-origin access to the public endpoints (cors.h). */
#include "app/cors.h"

#include <stdlib.h>

#include "base/log.h"
#include "http/router.h"

/* The public endpoints: anonymous callers get the same answer here as anywhere (H-36, H-37). */
static const struct cors_rule {
	enum http_method method;
	const char *pattern;
} public_endpoints[] = {
	{ HTTP_POST, "/api/v3/cards" },
	{ HTTP_POST, "/api/v3/search" },
	{ HTTP_GET, "/api/v1/object/{id:int}" },
	{ HTTP_GET, "/api/v3/free_insights/{id:int}" },
	{ HTTP_GET, "/api/v1/projects/{id:int}" },
	{ HTTP_GET, "/api/v1/projects/{id:int}/media" },
	{ HTTP_GET, "/api/v1/projects/{id:int}/videos" },
	{ HTTP_GET, "/api/v1/projects/{id:int}/freetext" },
	{ HTTP_GET, "/api/v1/projects/{id:int}/location" },
	{ HTTP_GET, "/api/v1/projects/{id:int}/timeline" },
	{ HTTP_POST, "/api/v1/projects/{id:int}/interest" },
	{ HTTP_POST, "/api/v1/projects/interest/unsubscribe" },
	{ HTTP_GET, "/widgets/overview.js" },
	{ HTTP_GET, "/widgets/overview.css" },
	{ HTTP_GET, "/widgets/project.css" },
	{ HTTP_GET, "/widgets/project" },
	{ HTTP_POST, "/widgets/project" },
	{ HTTP_GET, "/api/v1/digital_contract/verify" },
	{ HTTP_GET, "/api/v1/digital_contract/public_key" },
	{ HTTP_GET, "/openapi/{name}" },
};

static const char marker = 1; /* the router's target: any non-NULL pointer */

struct cors {
	struct router *router;
};

struct cors *cors_create(void)
{
	struct cors *c = calloc(1, sizeof(*c));
	if (!c)
		die_oom();
	c->router = router_create();
	for (size_t i = 0; i < sizeof(public_endpoints) / sizeof(public_endpoints[0]); i++)
		if (router_add(c->router, public_endpoints[i].method, public_endpoints[i].pattern, &marker) < 0)
			log_error("cors: bad public endpoint %s", public_endpoints[i].pattern);
	return c;
}

void cors_destroy(struct cors *c)
{
	if (!c)
		return;
	router_destroy(c->router);
	free(c);
}

/*
 * The market API (Momentum v2) is a browser API as a whole: applicant portals on their own
 * origins call every /v2/ path with a Bearer token in a header (decisions.md, "CORS").
 */
static bool is_market(const struct request *req)
{
	return str_has_prefix(req->path, STR_LIT("/v2/")) || str_eq_cstr(req->path, "/assets/app-settings.json");
}

static bool is_public(const struct cors *c, struct request *req, enum http_method m)
{
	struct router_match match;
	if (is_market(req))
		return true;
	return router_match(c->router, req->arena, m, req->path, &match) == ROUTER_FOUND;
}

static void allow_origin(struct response *resp)
{
	response_header(resp, "Access-Control-Allow-Origin", STR_LIT("*"));
}

static void answer_preflight(struct response *resp, struct str methods, struct str headers)
{
	resp->status = 204;
	resp->content_type = STR_NULL;
	resp->body.len = 0;
	allow_origin(resp);
	response_header(resp, "Access-Control-Allow-Methods", methods);
	response_header(resp, "Access-Control-Allow-Headers", headers);
	response_header(resp, "Access-Control-Max-Age", STR_LIT(CORS_MAX_AGE));
	response_header(resp, "Allow", methods);
}

bool cors_preflight(const struct cors *c, struct request *req, struct response *resp)
{
	bool get, post;

	if (req->method != HTTP_OPTIONS)
		return false;
	if (is_market(req)) {
		/* what the market's clients send (momentum.md B.1; decisions.md M-31) */
		answer_preflight(resp, STR_LIT("GET, HEAD, POST, PUT, PATCH, OPTIONS"),
				 STR_LIT("Authorization, Content-Type, Accept-Language, X-Api-Key, X-Client-Version,"
					 " X-Momentum-Client, X-Momentum-Client-Id, X-Momentum-Client-Version,"
					 " X-Momentum-Device-Key, X-Request-Id"));
		return true;
	}
	get = is_public(c, req, HTTP_GET);
	post = is_public(c, req, HTTP_POST);
	if (!get && !post)
		return false;
	/* Authorization: the card search also answers token holders (H-36) */
	answer_preflight(resp,
			 get && post ? STR_LIT("GET, HEAD, POST, OPTIONS")
			 : get       ? STR_LIT("GET, HEAD, OPTIONS")
				     : STR_LIT("POST, OPTIONS"),
			 STR_LIT("Authorization, Content-Type, X-Request-Id"));
	return true;
}

void cors_apply(const struct cors *c, struct request *req, struct response *resp)
{
	if (req->method == HTTP_OPTIONS || !is_public(c, req, req->method))
		return;
	allow_origin(resp);
	/* what a page needs to back off and to report a failed call */
	response_header(resp, "Access-Control-Expose-Headers", STR_LIT("Retry-After, X-Request-Id"));
}
