#include "http/framing.h"

#include <stdint.h>
#include <string.h>

#include "http/request.h"

enum {
	F_START,        /* before a request line: empty lines are skipped (RFC 9112 §2.2) */
	F_METHOD,
	F_TARGET,
	F_VERSION,      /* to the end of the request line */
	F_FIELD_START,  /* the start of a field line, or the blank line ending the head */
	F_FIELD_NAME,
	F_FIELD_VALUE,
	F_FIELD_FOLDED, /* a line starting with whitespace: head_check() refuses it */
	F_BODY,         /* Content-Length bytes */
	F_CHUNK_SIZE,
	F_CHUNK_EXT,
	F_CHUNK_LF,
	F_CHUNK_DATA,
	F_CHUNK_DATA_CR,
	F_CHUNK_DATA_LF,
	F_TRAILER_START,
	F_TRAILER_NAME,
	F_TRAILER_VALUE,
	F_OPAQUE,       /* framing head_check() refuses: the connection closes after the answer */
};

/* what a byte handler found: besides these, 0 (go on) and -1 (a fault) */
enum {
	STEP_SAFE = 1,      /* a safe point after this byte */
	STEP_MESSAGE = 2,   /* the request ends with this byte */
	STEP_HEAD = 3,      /* its head ends with this byte, and a body follows */
	STEP_HEAD_ONLY = 4, /* its head ends with this byte, and so does the request */
};

/* what the field line being read is, by its name (bits while the name is read) */
enum { LINE_LENGTH = 1, LINE_ENCODING = 2 };

#define HEAD_TOO_LARGE "the request head is too large (about 15 KiB at most, 64 bytes less for each header field)"
#define CHUNK_MALFORMED "the chunked body is malformed: a chunk-size line must be hex digits, then optional extensions, then CRLF"

static const char content_length[] = "content-length";
static const char transfer_encoding[] = "transfer-encoding";

void frame_init(struct frame *f, size_t budget)
{
	memset(f, 0, sizeof(*f));
	f->budget = budget;
	f->state = F_START;
	f->at = FRAME_AT_MESSAGE;
}

static size_t fault(struct frame *f, int status, const char *reason)
{
	f->status = status;
	f->reason = reason;
	f->faulted = 1;
	f->event = FRAME_FAULT;
	return 0;
}

/* The request ends at pos: the next head begins (its request line's record stays till then). */
static void message_end(struct frame *f)
{
	f->message++;
	f->state = F_START;
	f->safe = f->pos;
	f->at = FRAME_AT_MESSAGE;
	f->cr = f->bare_cr = 0;
	f->chunked_value = f->length_differs = 0;
	f->bytes = f->fields = f->cost = 0;
	f->lengths = f->encodings = 0;
	f->length = 0;
	f->too_large = 0;
	f->spaces = 0;
}

static int lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* RFC 9112 §3: method SP request-target SP HTTP-version, judged as libmicrohttpd would read it. */
static int request_line_end(struct frame *f)
{
	if (f->bare_cr)
		return fault(f, 400, "the request head contains a bare CR"), -1;
	if (f->state == F_METHOD || f->method_len == 0)
		return fault(f, 400, "the request line is malformed (method, target, HTTP version)"), -1;
	if (f->method_bad)
		return fault(f, 400, "the request method is not a token"), -1;
	if (f->state == F_TARGET || f->target_len == 0)
		return fault(f, 400, "the request line is malformed (method, target, HTTP version)"), -1;
	if (f->target_ctl)
		return fault(f, 400, "the request target contains a control character"), -1;
	/* HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3) */
	if (f->version_len != 8 || memcmp(f->version, "HTTP/", 5) != 0 || f->version[5] < '0' ||
	    f->version[5] > '9' || f->version[6] != '.' || f->version[7] < '0' || f->version[7] > '9')
		return fault(f, 400, "the request line's HTTP version is malformed"), -1;
	/* HTTP/1.x with x > 1 is answered as 1.1, as RFC 9110 §2.5 asks */
	if (f->version[5] != '1')
		return fault(f, 505, "the HTTP version is not supported: rentd speaks HTTP/1.0 and HTTP/1.1"), -1;
	f->http11 = f->version[7] == '1';
	f->state = F_FIELD_START;
	return 0;
}

/*
 * A field line has ended. Content-Length = 1*DIGIT (RFC 9110 §8.6) after the whitespace
 * that follows the colon; whitespace after the digits is refused too (libmicrohttpd does
 * not trim it and would answer its own 400).
 */
static int field_line_end(struct frame *f)
{
	if (f->bare_cr)
		return fault(f, 400, "the request head contains a bare CR"), -1;
	if (f->state == F_FIELD_NAME)
		return fault(f, 400, "a header line has no colon"), -1;
	if (f->state == F_FIELD_VALUE && f->line_kind == LINE_LENGTH) {
		if (f->value_state == 0 || f->value_state == 2)
			return fault(f, 400, "the Content-Length header is not a number"), -1;
		if (f->value_state == 3) {
			f->too_large = 1; /* refused once the head is read: a later fault may be the reason */
		} else if (f->lengths++ == 0) {
			f->length = f->value;
		} else if (f->value != f->length) {
			f->length_differs = 1;
		}
	}
	if (f->state == F_FIELD_VALUE && f->line_kind == LINE_ENCODING) {
		f->chunked_value = f->encodings == 0 && f->value_state == 1 && f->value == 7;
		f->encodings++;
	}
	f->state = F_FIELD_START;
	return 0;
}

/* The blank line: the head is whole. Decides how its body is framed. */
static int head_end(struct frame *f)
{
	if (f->bare_cr)
		return fault(f, 400, "the request head contains a bare CR"), -1;
	if (f->too_large)
		return fault(f, 413, "the Content-Length is beyond 64 bits"), -1;
	f->cost = f->bytes + f->fields * FRAME_FIELD_COST;
	/*
	 * As libmicrohttpd frames it (Transfer-Encoding first, then Content-Length) where
	 * head_check() lets the request through; where it refuses the framing the request is
	 * answered at once with Connection: close, and nothing after its head is read.
	 */
	if (f->encodings) {
		if (f->encodings == 1 && f->chunked_value && !f->lengths && f->http11) {
			f->state = F_CHUNK_SIZE;
			f->at = FRAME_AT_CHUNK;
			f->chunk_digits = f->chunk_line = 0;
			f->remaining = 0;
		} else {
			f->state = F_OPAQUE;
		}
		return STEP_HEAD;
	}
	if (f->lengths && f->length_differs) {
		f->state = F_OPAQUE;
		return STEP_HEAD;
	}
	if (f->lengths && f->length) {
		f->state = F_BODY;
		f->remaining = f->length;
		return STEP_HEAD;
	}
	return STEP_HEAD_ONLY;
}

static void keep(char *dst, size_t cap, size_t len, unsigned char c)
{
	if (len < cap)
		dst[len] = (char)c;
}

/* One byte of a head: -1 on a fault, STEP_HEAD or STEP_HEAD_ONLY when the head ends with it. */
static int head_byte(struct frame *f, unsigned char c)
{
	f->bytes++;
	if (f->state <= F_VERSION) {
		if (f->bytes > f->budget)
			return fault(f, 414, HEAD_TARGET_TOO_LONG), -1;
	} else if (f->bytes + f->fields * FRAME_FIELD_COST > f->budget) {
		return fault(f, 431, HEAD_TOO_LARGE), -1;
	}
	if (f->state == F_START) {
		if (c == '\r' || c == '\n')
			return 0;
		f->state = F_METHOD;
		f->method_off = f->pos;
		f->method_len = f->target_len = f->version_len = 0;
		f->method_bad = f->target_ctl = f->http11 = f->spaces = 0;
	}
	if (c == '\r') {
		if (f->cr)
			f->bare_cr = 1;
		f->cr = 1;
		return 0;
	}
	if (c == '\n') {
		f->cr = 0;
		switch (f->state) {
		case F_METHOD:
		case F_TARGET:
		case F_VERSION:
			return request_line_end(f);
		case F_FIELD_START:
			return head_end(f);
		default:
			return field_line_end(f);
		}
	}
	if (f->cr) {
		f->bare_cr = 1;
		f->cr = 0;
	}
	switch (f->state) {
	case F_METHOD:
		if (c == ' ') {
			f->state = F_TARGET;
			f->target_off = f->pos + 1;
			f->spaces = 1;
			break;
		}
		if (!http_is_tchar(c))
			f->method_bad = 1;
		keep(f->method, sizeof(f->method), f->method_len++, c);
		break;
	case F_TARGET:
		if (c == ' ') {
			f->state = F_VERSION;
			f->spaces = 2;
			break;
		}
		if (c <= 0x20 || c == 0x7f)
			f->target_ctl = 1;
		keep(f->target, sizeof(f->target), f->target_len++, c);
		break;
	case F_VERSION:
		keep(f->version, sizeof(f->version), f->version_len++, c);
		break;
	case F_FIELD_START:
		if (c == ' ' || c == '\t') { /* obsolete folding: head_check() refuses it */
			f->state = F_FIELD_FOLDED;
			break;
		}
		f->fields++;
		if (f->bytes + f->fields * FRAME_FIELD_COST > f->budget)
			return fault(f, 431, HEAD_TOO_LARGE), -1;
		f->state = F_FIELD_NAME;
		f->name_len = 0;
		f->line_kind = LINE_LENGTH | LINE_ENCODING;
		/* fall through */
	case F_FIELD_NAME:
		if (c == ':') {
			f->line_kind = (f->line_kind & LINE_LENGTH) && f->name_len == sizeof(content_length) - 1
					       ? LINE_LENGTH
				       : (f->line_kind & LINE_ENCODING) && f->name_len == sizeof(transfer_encoding) - 1
					       ? LINE_ENCODING
					       : 0;
			f->state = F_FIELD_VALUE;
			f->value_state = 0;
			f->value = 0;
			break;
		}
		if (f->name_len >= sizeof(content_length) - 1 || lower(c) != content_length[f->name_len])
			f->line_kind &= ~LINE_LENGTH;
		if (f->name_len >= sizeof(transfer_encoding) - 1 || lower(c) != transfer_encoding[f->name_len])
			f->line_kind &= ~LINE_ENCODING;
		f->name_len++;
		break;
	case F_FIELD_VALUE:
		if (f->line_kind == LINE_LENGTH) {
			/* value_state: 0 before the digits, 1 digits, 2 not a number, 3 beyond 64 bits */
			if (f->value_state == 0 && (c == ' ' || c == '\t'))
				break;
			if (c < '0' || c > '9') {
				f->value_state = 2;
			} else if (f->value_state < 2) {
				f->value_state = 1;
				if (f->value > ((uint64_t)INT64_MAX - (uint64_t)(c - '0')) / 10)
					f->value_state = 3;
				else
					f->value = f->value * 10 + (uint64_t)(c - '0');
			}
		} else if (f->line_kind == LINE_ENCODING) {
			/* as libmicrohttpd compares it: "chunked" after the whitespace, nothing after */
			if (f->value_state == 0 && (c == ' ' || c == '\t'))
				break;
			if (f->value_state < 2 && f->value < 7 && lower(c) == (unsigned char)"chunked"[f->value]) {
				f->value_state = 1;
				f->value++;
			} else {
				f->value_state = 2;
			}
		}
		break;
	default: /* F_FIELD_FOLDED */
		break;
	}
	return 0;
}

/* One byte of a trailer section (RFC 9112 §7.1.2): field lines, then a blank line. */
static int trailer_byte(struct frame *f, unsigned char c)
{
	size_t limit = f->budget > f->cost ? f->budget - f->cost : 0;

	f->bytes++;
	if (f->bytes + f->fields * FRAME_FIELD_COST > limit)
		return fault(f, 431, "the chunked body's trailer section is too large"), -1;
	if (c == '\r') {
		if (f->cr)
			return fault(f, 400, "the chunked body's trailer section contains a bare CR"), -1;
		f->cr = 1;
		return 0;
	}
	if (f->cr && c != '\n')
		return fault(f, 400, "the chunked body's trailer section contains a bare CR"), -1;
	f->cr = 0;
	switch (f->state) {
	case F_TRAILER_START:
		if (c == '\n')
			return STEP_MESSAGE;
		if (c == ' ' || c == '\t')
			return fault(f, 400, "a trailer field is folded over lines"), -1;
		f->fields++;
		f->state = F_TRAILER_NAME;
		f->name_len = 0;
		/* fall through */
	case F_TRAILER_NAME:
		if (c == ':') {
			if (!f->name_len)
				return fault(f, 400, "a trailer line has no field name"), -1;
			f->state = F_TRAILER_VALUE;
			break;
		}
		if (c == '\n')
			return fault(f, 400, "a trailer line has no colon"), -1;
		if (!http_is_tchar(c))
			return fault(f, 400, "a trailer field name contains a character a name may not have"), -1;
		f->name_len++;
		break;
	default: /* F_TRAILER_VALUE */
		if (c == '\n') {
			f->state = F_TRAILER_START;
			break;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fault(f, 400, "a trailer field value contains a control character"), -1;
		break;
	}
	return 0;
}

static int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * One byte of a chunk's framing (RFC 9112 §7.1): chunk-size [chunk-ext] CRLF, and the
 * CRLF after the data. Stricter than the RFC where libmicrohttpd reads it otherwise:
 * the line ends with CRLF (a bare LF or CR would let it skip a byte of data), no
 * whitespace before an extension, at most 15 hex digits.
 */
static int chunk_byte(struct frame *f, unsigned char c)
{
	if (++f->chunk_line > FRAME_CHUNK_LINE_MAX)
		return fault(f, 400, "a chunk-size line of the chunked body is too long"), -1;
	switch (f->state) {
	case F_CHUNK_DATA_CR:
		if (c != '\r')
			return fault(f, 400, "a chunk of the chunked body is not followed by CRLF"), -1;
		f->state = F_CHUNK_DATA_LF;
		return 0;
	case F_CHUNK_DATA_LF:
		if (c != '\n')
			return fault(f, 400, "a chunk of the chunked body is not followed by CRLF"), -1;
		f->state = F_CHUNK_SIZE;
		f->chunk_digits = 0;
		f->remaining = 0;
		return 0;
	case F_CHUNK_SIZE: {
		int d = hex_digit(c);
		if (d >= 0) {
			if (++f->chunk_digits > 15)
				return fault(f, 400, "a chunk size of the chunked body has more than 15 hex digits"), -1;
			f->remaining = f->remaining * 16 + (uint64_t)d;
			return 0;
		}
		if (!f->chunk_digits || (c != ';' && c != '\r'))
			return fault(f, 400, CHUNK_MALFORMED), -1;
		f->state = c == ';' ? F_CHUNK_EXT : F_CHUNK_LF;
		return 0;
	}
	case F_CHUNK_EXT:
		if (c == '\r')
			f->state = F_CHUNK_LF;
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fault(f, 400, CHUNK_MALFORMED), -1;
		return 0;
	default: /* F_CHUNK_LF */
		if (c != '\n')
			return fault(f, 400, CHUNK_MALFORMED), -1;
		f->chunk_line = 0;
		if (f->remaining) {
			f->state = F_CHUNK_DATA;
			return STEP_SAFE;
		}
		f->state = F_TRAILER_START; /* the last chunk */
		f->at = FRAME_AT_TRAILERS;
		f->bytes = f->fields = f->name_len = 0;
		f->cr = 0;
		return STEP_SAFE;
	}
}

/*
 * How many of the next bytes head_byte() would only count: those of a target, or of a
 * field name or value that is neither Content-Length nor Transfer-Encoding, up to a line
 * end, a colon, a control character or the budget (those bytes, and the rest, go one at a
 * time).
 */
static size_t run(struct frame *f, const char *p, size_t n)
{
	size_t j = 0, room;

	if (f->cr)
		return 0;
	if (f->state == F_TARGET) {
		room = f->budget - f->bytes;
		if (n > room)
			n = room;
		while (j < n && (unsigned char)p[j] > 0x20 && p[j] != 0x7f)
			j++;
		if (f->target_len < sizeof(f->target))
			memcpy(f->target + f->target_len, p,
			       j < sizeof(f->target) - f->target_len ? j : sizeof(f->target) - f->target_len);
		f->target_len += j;
		return j;
	}
	if (f->state == F_FIELD_NAME && f->line_kind == 0) { /* a name that is not one of the two */
		room = f->budget - (f->bytes + f->fields * FRAME_FIELD_COST);
		if (n > room)
			n = room;
		while (j < n && p[j] != ':' && p[j] != '\r' && p[j] != '\n')
			j++;
		f->name_len += j;
		return j;
	}
	if ((f->state == F_FIELD_VALUE && f->line_kind == 0) || f->state == F_FIELD_FOLDED) {
		room = f->budget - (f->bytes + f->fields * FRAME_FIELD_COST);
		if (n > room)
			n = room;
		while (j < n && p[j] != '\r' && p[j] != '\n')
			j++;
	}
	return j;
}

size_t frame_scan(struct frame *f, const char *p, size_t n)
{
	size_t i = 0;

	f->event = f->faulted ? FRAME_FAULT : FRAME_NONE;
	while (i < n && !f->faulted) {
		int rc;

		switch (f->state) {
		case F_OPAQUE:
			f->pos += n - i;
			f->safe = f->pos;
			return n;
		case F_BODY:
		case F_CHUNK_DATA: {
			size_t take = f->remaining < n - i ? (size_t)f->remaining : n - i;
			f->remaining -= take;
			f->pos += take;
			f->safe = f->pos;
			i += take;
			if (f->remaining)
				continue;
			if (f->state == F_BODY) {
				message_end(f);
			} else {
				f->state = F_CHUNK_DATA_CR;
				f->at = FRAME_AT_CHUNK_END;
				f->chunk_line = 0;
			}
			continue;
		}
		case F_CHUNK_SIZE:
		case F_CHUNK_EXT:
		case F_CHUNK_LF:
		case F_CHUNK_DATA_CR:
		case F_CHUNK_DATA_LF:
			rc = chunk_byte(f, (unsigned char)p[i]);
			break;
		case F_TRAILER_START:
		case F_TRAILER_NAME:
		case F_TRAILER_VALUE:
			rc = trailer_byte(f, (unsigned char)p[i]);
			break;
		default: {
			size_t j = run(f, p + i, n - i);
			if (j) { /* bytes head_byte() would only count (and keep) */
				f->bytes += j;
				f->pos += j;
				i += j;
				continue;
			}
			rc = head_byte(f, (unsigned char)p[i]);
			break;
		}
		}
		if (rc < 0)
			return i;
		f->pos++;
		i++;
		switch (rc) {
		case STEP_SAFE:
			f->safe = f->pos;
			break;
		case STEP_MESSAGE:
			message_end(f);
			break;
		case STEP_HEAD:
			f->safe = f->pos;
			f->event = FRAME_HEAD;
			return i;
		case STEP_HEAD_ONLY:
			message_end(f);
			f->event = FRAME_HEAD;
			return i;
		default:
			break;
		}
	}
	return i;
}

size_t frame_method(const struct frame *f, const char **p)
{
	*p = f->method;
	if (f->spaces < 1 || !f->method_len || f->method_bad)
		return 0;
	return f->method_len < sizeof(f->method) ? f->method_len : sizeof(f->method);
}

size_t frame_target(const struct frame *f, const char **p)
{
	*p = f->target;
	if (f->spaces < 2 || !f->target_len || f->target_ctl)
		return 0;
	return f->target_len < sizeof(f->target) ? f->target_len : sizeof(f->target);
}
