/*
 * cors.h — which endpoints a web page on another origin may call (CORS), decided in one
 * table (cors.c) rather than per handler.
 *
 * Only public endpoints are listed: the card search and the public search, the public
 * listing and project reads, the project interest sign-up and the widget's files — the
 * calls a landlord's own site makes from the browser (homeq.md §6, §11g, §14; decisions.md
 * H-36, H-38). They answer with "Access-Control-Allow-Origin: *" and never with
 * Access-Control-Allow-Credentials, so a browser sends no cookies or HTTP authentication
 * (rentd uses neither: tokens travel in the Authorization header, which a page can only
 * send when it already holds the token). The market API (every /v2/ path and
 * /assets/app-settings.json) is listed whole: it exists to be called by applicant portals
 * on their own origins, with the applicant's Bearer token in a header. Every other endpoint
 * gets no CORS header and its preflight is not answered, so the browser keeps landlord data
 * away from other origins.
 */
#ifndef RENTD_CORS_H
#define RENTD_CORS_H

#include <stdbool.h>

#include "http/request.h"

/* How long a browser may cache a preflight answer (Chromium caps it at 2 hours). */
#define CORS_MAX_AGE "7200"

struct cors;

struct cors *cors_create(void);
void cors_destroy(struct cors *c);

/*
 * An OPTIONS request on a public path: fills resp with the preflight answer (204, the
 * allowed methods and headers, max age) and returns true. Anything else: false, resp
 * untouched, and the request is routed as usual (an OPTIONS elsewhere is 405).
 */
bool cors_preflight(const struct cors *c, struct request *req, struct response *resp);

/* Adds the CORS headers to resp (success or error alike) when req's method and path are public. */
void cors_apply(const struct cors *c, struct request *req, struct response *resp);

#endif
