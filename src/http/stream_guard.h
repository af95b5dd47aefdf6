/*
 * stream_guard.h — what libmicrohttpd reads of a connection after its first head.
 *
 * The gate (http/gate.h) answers a faulty first head in JSON; libmicrohttpd 0.9.75 would
 * answer the same faults in later requests of a kept-alive connection, and a malformed
 * chunk of a chunked body, with its own HTML page. It reads a connection's bytes only
 * with recv(2) (never read(2), recvfrom or recvmsg), and rentd defines recv(): the
 * dynamic linker binds libmicrohttpd's calls to it. For a descriptor registered here the
 * bytes go through http/framing.h's scanner first, and libmicrohttpd is handed a request's
 * head, each chunk-size line and each trailer section only once they are whole and
 * acceptable. At a fault the stream it reads ends there, cleanly:
 *
 *   - a faulty head becomes a request for stream_guard_fault_path() with Connection: close,
 *     which http_server.c answers with the dialect's JSON error for the recorded fault;
 *   - a faulty chunk ends the body (with the last chunk it lacks), and that request is
 *     answered 400 naming the fault instead of being handled;
 *
 * and nothing after it is read any more (the connection closes after the answer).
 * Other descriptors (the gate's, libcurl's) pass straight through.
 */
#ifndef RENTD_HTTP_STREAM_GUARD_H
#define RENTD_HTTP_STREAM_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "http/framing.h"

/*
 * Before fd is handed to libmicrohttpd; budget as the gate's head_budget. Released when
 * libmicrohttpd reports the connection closed (before it closes fd), or by the caller
 * when the hand-over failed before that.
 */
void stream_guard_register(int fd, size_t budget);
void stream_guard_release(int fd);

/* The fault found in fd's stream (from the thread that reads fd). */
struct stream_fault {
	uint64_t message; /* 0-based: which request of the connection it is in */
	int in_body;      /* in a chunked body, else a head replaced by a request for the fault path */
	int status;
	const char *reason;
	int too_large; /* a Content-Length beyond 64 bits */
	const char *method, *target; /* of a faulty head, as far as it was read */
	size_t method_len, target_len;
};
/* 1 and *out when fd's stream had a fault, else 0. */
int stream_guard_fault(int fd, struct stream_fault *out);

/* The path of the request standing for a faulty head: unique to this process, unguessable. */
const char *stream_guard_fault_path(void);

/*
 * The guard's work on one recv() of a registered descriptor, with the real recv given:
 * what libmicrohttpd sees. For fuzz/fuzz_stream_guard.c; recv() calls it.
 */
struct stream_guard;
struct stream_guard *stream_guard_new(size_t budget);
void stream_guard_free(struct stream_guard *g);
ssize_t stream_guard_recv(struct stream_guard *g, ssize_t (*real)(void *arg, char *buf, size_t len), void *arg,
			  char *buf, size_t len);
int stream_guard_fault_of(const struct stream_guard *g, struct stream_fault *out);

#endif
