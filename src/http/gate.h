/*
 * gate.h — the door in front of libmicrohttpd: accepts connections and holds each one
 * until its first request head is complete and acceptable.
 *
 * libmicrohttpd 0.9.75 answers some faulty heads itself, with an HTML page, before any
 * callback rentd can hook: an HTTP version it does not speak (505), a malformed request
 * line or version (400), a header line without a colon (400), a Content-Length that is not
 * a number (400) or beyond 64 bits (413), and a head larger than its connection's memory
 * pool (414, 431). The gate reads the first head with MSG_PEEK (consuming nothing), refuses
 * exactly these itself with the application's JSON error (the answer callback), and hands
 * every other connection to libmicrohttpd (the pass callback) with its bytes untouched.
 * Everything else about a head (framing, Host, control characters, rentd's own size
 * limits) stays in http_server.c's head_check(), which sees every request.
 *
 * The gate also owns the connection limit and the per-address cap for a connection's
 * whole life: gate_conn_closed() is called when the connection ends, wherever it ended.
 * Only the first request of a connection passes the gate; what libmicrohttpd reads after
 * it goes through the stream guard (http/stream_guard.h), with the same scanner
 * (http/framing.h).
 */
#ifndef RENTD_HTTP_GATE_H
#define RENTD_HTTP_GATE_H

#include <stddef.h>
#include <sys/socket.h>

#include "base/arena.h"
#include "base/str.h"
#include "http/framing.h"

/* What gate_head_scan() found in the bytes it was shown. */
enum gate_scan {
	GATE_MORE,   /* the head is not complete yet, and may still become acceptable */
	GATE_PASS,   /* a complete head libmicrohttpd reads without answering it itself */
	GATE_REFUSE, /* answer status naming reason (or too_large), then close */
};

struct gate_verdict {
	int status;         /* 400, 413, 414, 431, 505 */
	const char *reason; /* static text */
	int too_large;      /* a Content-Length beyond 64 bits: answered as a body over the limit */
	/* from the request line when it could be read (pointers into the scanned bytes) */
	struct str method, target;
	size_t head_len; /* GATE_PASS: the head's length including its blank line */
};

/*
 * Scans the start of a connection's byte stream. budget bounds what libmicrohttpd can
 * hold of a head: its bytes plus GATE_FIELD_COST per header field (the record it keeps
 * in the connection's pool). A head that cannot end within it is refused now.
 */
#define GATE_FIELD_COST FRAME_FIELD_COST
enum gate_scan gate_head_scan(const char *p, size_t n, size_t budget, struct gate_verdict *v);

struct gate;

struct gate_options {
	int listen_fd;            /* listening, non-blocking; the gate closes it at stop */
	unsigned head_timeout_s;  /* the whole first head */
	unsigned connection_limit;
	unsigned per_ip_limit;    /* 0: none */
	size_t head_budget;       /* see gate_head_scan(): the connection memory less 1 KiB */
	/* hand fd over for good (libmicrohttpd closes it); 0 on success */
	int (*pass)(void *arg, int fd, const struct sockaddr *addr, socklen_t addrlen);
	/* the whole HTTP answer for a refused head, allocated in a (the gate writes it, then closes) */
	struct str (*answer)(void *arg, struct arena *a, const struct gate_verdict *v,
			     const struct sockaddr *addr);
	void *arg;
};

int gate_start(const struct gate_options *opt, struct gate **out);
/* Stops accepting, closes the listening socket and every connection still held. */
void gate_stop(struct gate *g);
/* Once libmicrohttpd has stopped too (it still reports closed connections until then). */
void gate_free(struct gate *g);
/*
 * A connection passed on has ended (libmicrohttpd closed it): its place under the limits
 * is free again. addr is the client's address as given to pass().
 */
void gate_conn_closed(struct gate *g, const struct sockaddr *addr);

#endif
