/*
 * framing.h — where the requests of one connection's byte stream begin and end, and
 * whether libmicrohttpd 0.9.75 would refuse one of them with its own HTML page.
 *
 * A pure scanner, fed the stream's bytes in whatever pieces they arrive (the verdict
 * does not depend on the pieces): each request head (RFC 9112 §2–§5), its body by
 * Content-Length, or chunked (§7.1, decoded for its framing only, trailer section
 * included), then the next head. It finds exactly the faults libmicrohttpd answers
 * itself, in HTML, before any callback rentd can hook (a version it does not speak, a
 * malformed request line, a header line without a colon, a bad Content-Length, a head
 * beyond the connection's memory pool, a malformed chunk), and leaves everything else
 * about a head to http_server.c's head_check(), which sees every request.
 *
 * The connection gate (http/gate.h) runs it over each connection's first head; the
 * stream guard (http/stream_guard.h) over everything libmicrohttpd reads after that.
 */
#ifndef RENTD_HTTP_FRAMING_H
#define RENTD_HTTP_FRAMING_H

#include <stddef.h>
#include <stdint.h>

/* The longest request target (path and query) rentd reads; longer ones get 414. */
#define HEAD_MAX_TARGET 8192
#define HEAD_TARGET_TOO_LONG "the request target is longer than 8192 bytes"

/* What a header field costs in libmicrohttpd's connection pool besides its bytes. */
#define FRAME_FIELD_COST 64
/* The longest chunk-size line (extensions included) read. */
#define FRAME_CHUNK_LINE_MAX 4096
/* How much of the method and of the target a frame keeps (for the answer to a fault). */
#define FRAME_KEEP_METHOD 32
#define FRAME_KEEP_TARGET 1024

enum frame_event {
	FRAME_NONE,  /* every byte shown was scanned */
	FRAME_HEAD,  /* a head ended: frame_scan() returned just after its blank line */
	FRAME_FAULT, /* a fault: status and reason say which; nothing more is scanned */
};

/* Where the last safe point (see frame.safe) lies, which says how to end the stream there. */
enum frame_at {
	FRAME_AT_MESSAGE,   /* between two requests */
	FRAME_AT_CHUNK,     /* where a chunk-size line begins (just after the head) */
	FRAME_AT_CHUNK_END, /* after a chunk's data, before its CRLF */
	FRAME_AT_TRAILERS,  /* after the last chunk's line, where the trailer section begins */
};

struct frame {
	size_t budget; /* the bytes plus FRAME_FIELD_COST per field a head may cost */
	uint64_t pos;  /* bytes scanned since the stream began */
	/*
	 * The safe point: the stream up to here can be handed on, since no fault can be
	 * found in it any more; a fault found later lies after it (in a head, a chunk-size
	 * line or a trailer section, which are handed on whole or not at all).
	 */
	uint64_t safe;
	uint64_t message;   /* 0-based: the request the safe point is in or before */
	unsigned char at;   /* enum frame_at, of the safe point */
	unsigned char event;
	unsigned char faulted;
	int status;         /* FRAME_FAULT: 400, 413, 414, 431, 505 */
	const char *reason; /* static text */
	int too_large;      /* a Content-Length beyond 64 bits: answered as a body over the limit */

	/* the head (or trailer section) being read */
	unsigned char state;
	unsigned char cr;        /* the last byte was a CR */
	unsigned char bare_cr;   /* the current line has a CR that does not end it */
	unsigned char line_kind; /* what the current field line is */
	unsigned char bad;       /* the current line's first fault, judged at its end */
	unsigned char spaces; /* of the request line so far: 1 after the method, 2 after the target */
	unsigned char http11, chunked_value, length_differs, method_bad, target_ctl;
	size_t bytes, fields, cost;
	size_t name_len, value_state;
	uint64_t value;
	unsigned lengths, encodings;
	uint64_t length;
	/* the request line, kept for the answer */
	uint64_t method_off, target_off; /* stream offsets */
	size_t method_len, target_len, version_len;
	char version[8];
	char method[FRAME_KEEP_METHOD];
	char target[FRAME_KEEP_TARGET];
	/* the body */
	uint64_t remaining;
	size_t chunk_digits, chunk_line;
};

void frame_init(struct frame *f, size_t budget);

/*
 * Scans the next n bytes of the stream. Returns how many were scanned: all of them, or
 * fewer when a head ended (f->event FRAME_HEAD: just after its blank line) or a fault was
 * found (FRAME_FAULT; from then on nothing is scanned).
 */
size_t frame_scan(struct frame *f, const char *p, size_t n);

/*
 * The method and the target (at most FRAME_KEEP_* bytes of them) of the head being read,
 * as far as its request line was read; empty once its request ended.
 */
size_t frame_method(const struct frame *f, const char **p);
size_t frame_target(const struct frame *f, const char **p);

#endif
