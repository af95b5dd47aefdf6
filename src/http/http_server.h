/*
 * http_server.h — the HTTP adapter: the only code that knows libmicrohttpd.
 *
 * It listens itself: a gate thread (http/gate.h) accepts, enforces the connection
 * limits, answers the heads libmicrohttpd would refuse with its own HTML page, and
 * hands every other connection to libmicrohttpd (epoll, an internal pool of worker
 * threads, keep-alive), which turns each request into a struct request, calls the
 * handler on the worker thread, and sends the struct response the handler fills. The
 * gate calls the handler too, on its own thread, for the heads it refuses. The handler must be
 * thread-safe; everything request-scoped lives in req->arena, which is reused by
 * the worker thread once the response has been sent.
 *
 * Bodies larger than body_limit are never buffered: the handler is called at once
 * with req->body_too_large set, and the connection is closed after the answer.
 *
 * Request heads are checked before the handler sees them (RFC 9112 framing, Host,
 * control characters, target length, header count); a faulty one reaches the handler
 * with req->reject_status set and its connection is closed after the answer. A new
 * connection must deliver its first request head within header_timeout (the gate
 * closes it), a kept-alive one its next head within connection_timeout of the previous
 * response (a watchdog thread shuts it down), however steadily they trickle.
 *
 * Large uploads: when the options give a body_plan, it is asked once the headers are
 * in. HTTP_BODY_SPOOL streams the body to a temporary file in spool_dir (req->body_file),
 * up to the limit the plan sets, never holding more than one chunk in memory;
 * HTTP_BODY_REFUSE calls the handler at once without reading the body (a bad signed
 * URL costs no disk). Responses may be sent from a file (struct response has_file).
 */
#ifndef RENTD_HTTP_SERVER_H
#define RENTD_HTTP_SERVER_H

#include <stddef.h>

#include "http/request.h"

/*
 * The handler fills resp and returns 0, or returns 1 to suspend: the adapter then
 * parks the connection, calls submit(arg, req), and calls the handler again once
 * req->resume(req->resume_arg) has been called (from any thread).
 */
typedef int (*http_handler)(void *arg, struct request *req, struct response *resp);
typedef void (*http_submit)(void *arg, struct request *req);

struct http_server_options {
	const char *host; /* numeric or name; "0.0.0.0", "::" for all */
	unsigned port;    /* 0: any free port (see http_server_port) */
	unsigned threads;
	unsigned connection_limit;
	unsigned connection_timeout; /* seconds */
	unsigned header_timeout;     /* seconds a new connection has for its whole first request head */
	unsigned per_ip_connection_limit; /* 0: none */
	size_t connection_memory;
	size_t body_limit;
	/* NULL: every body in memory up to body_limit. Called with the handler's arg. */
	enum http_body_plan (*body_plan)(void *arg, struct request *req, uint64_t *limit);
	const char *spool_dir; /* where HTTP_BODY_SPOOL files go */
};

struct http_server;

int http_server_start(const struct http_server_options *opt, http_handler handler, http_submit submit,
		      void *arg, struct http_server **out, char *msg, size_t msglen);
unsigned http_server_port(const struct http_server *s);

/*
 * Graceful stop: stop accepting, let requests in flight finish (at most
 * grace_ms), then close every connection and join the workers.
 */
void http_server_stop(struct http_server *s, unsigned grace_ms);

#endif
