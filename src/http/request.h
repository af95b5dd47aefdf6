/*
 * request.h — the plain request and response every layer above http/ sees.
 *
 * The HTTP adapter (http_server.c) fills a struct request from a connection and
 * sends whatever struct response the application leaves behind. Tests build the
 * same structs by hand (tests/api/harness.c), so nothing above this line needs a
 * socket. All memory is owned by req->arena and lives until the response is sent.
 */
#ifndef RENTD_REQUEST_H
#define RENTD_REQUEST_H

#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP_METHOD_COUNT
};

struct header {
	struct str name;
	struct str value;
};

#define REQUEST_MAX_HEADERS 64
#define RESPONSE_MAX_HEADERS 16

struct request {
	struct arena *arena;
	enum http_method method;
	struct str method_name; /* as sent, for logs */
	struct str path;        /* raw path, without '?' and the query */
	struct str query;       /* raw query string after '?', may be empty */
	struct header headers[REQUEST_MAX_HEADERS];
	size_t nheaders;
	struct str body;
	int body_too_large; /* the adapter stopped reading past the body limit */
	/*
	 * The adapter found the request head unacceptable (bad framing, no Host, a control
	 * character, too long): answer reject_status (400, 414, 431) naming reject_reason.
	 */
	int reject_status;
	const char *reject_reason;
	struct str request_id;
	/*
	 * The market dialect's deployed prefix /{Env}/{Tenant}/PmApi/v2/… (decisions.md M-33): the
	 * app serves it as /v2/… (path rewritten) and keeps the Tenant segment here; empty otherwise.
	 */
	struct str market_tenant;
	struct str client_addr; /* textual peer address */
	uint64_t start_ns;      /* monotonic clock at arrival */

	/*
	 * Suspension (see app.h, ctx_suspend): a handler that must wait for slow work
	 * leaves its state here and the request is handled again when the work is done.
	 * resume(resume_arg) is set by whoever calls app_handle() and is called from
	 * the worker that finished the job.
	 */
	void *async_state;
	void *async_job;
	void (*resume)(void *resume_arg);
	void *resume_arg;

	/*
	 * Upload routes (app.h ROUTE_UPLOAD): the adapter spools the body to a file instead
	 * of memory. body_file is its path (NULL: the body is in body); the adapter removes
	 * the file after the response unless the handler moved it away and set body_file_taken.
	 */
	const char *body_file;
	uint64_t body_file_len;
	int body_file_taken;
	int body_spool_failed; /* the spool file could not be written (disk full …) */
	int accepts_file_body; /* the caller sends file bodies of struct response (the adapter does) */
};

/* How the adapter receives a request's body (http_server.h body_plan). */
enum http_body_plan {
	HTTP_BODY_MEMORY, /* buffered in the arena, up to the global body limit */
	HTTP_BODY_SPOOL,  /* written to a temporary file, up to the limit the plan gives */
	HTTP_BODY_REFUSE, /* answered from the headers alone: the body is not read */
};

struct response {
	int status;
	struct str content_type; /* empty: no body */
	struct buf body;
	struct header headers[RESPONSE_MAX_HEADERS];
	size_t nheaders;
	int close_connection;
	/*
	 * A body sent from a file instead of body (has_file): file_len bytes of file_fd from
	 * file_offset. Whoever sends the response closes file_fd (app_handle() reads it into
	 * body for callers that do not set req->accepts_file_body).
	 */
	int has_file;
	int file_fd;
	uint64_t file_offset;
	uint64_t file_len;
};

enum http_method http_method_parse(struct str name);
/* A character of an RFC 9110 token (method, header name). */
int http_is_tchar(unsigned char ch);
const char *http_method_name(enum http_method m);
const char *http_status_text(int status);

/* Case-insensitive header lookup; STR_NULL (ptr NULL) when absent. */
struct str request_header(const struct request *req, const char *name);
/* If-None-Match: a list of tags, weak ones compared weakly (RFC 9110 §13.1.2), or "*". */
bool request_etag_matches(struct str if_none_match, struct str etag);

/* Adds a response header; name and value must outlive the response (literals or arena). */
void response_header(struct response *resp, const char *name, struct str value);

uint64_t clock_monotonic_ns(void);

#endif
