#include "base/json_write.h"

#include <assert.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void jw_init(struct jw *w, struct buf *out)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
	w->in_obj[0] = false;
	w->after_key = false;
}

/* Separator before a value (array element or top level) or a key. */
static void before_element(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	assert(!w->in_obj[w->depth] && "jw: value written where a key is due");
	if (!w->first[w->depth])
		buf_putc(w->out, ',');
	w->first[w->depth] = false;
}

static void push(struct jw *w, bool obj, char c)
{
	before_element(w);
	buf_putc(w->out, c);
	if (w->depth >= JW_MAX_DEPTH)
		abort();
	w->depth++;
	w->first[w->depth] = true;
	w->in_obj[w->depth] = obj;
}

static void pop(struct jw *w, bool obj, char c)
{
	assert(w->depth > 0 && w->in_obj[w->depth] == obj && !w->after_key);
	(void)obj;
	buf_putc(w->out, c);
	w->depth--;
}

void jw_object_begin(struct jw *w) { push(w, true, '{'); }
void jw_object_end(struct jw *w) { pop(w, true, '}'); }
void jw_array_begin(struct jw *w) { push(w, false, '['); }
void jw_array_end(struct jw *w) { pop(w, false, ']'); }

void jw_key_str(struct jw *w, struct str key)
{
	assert(w->in_obj[w->depth] && !w->after_key && "jw: key outside an object");
	if (!w->first[w->depth])
		buf_putc(w->out, ',');
	w->first[w->depth] = false;
	json_escape_to(w->out, key);
	buf_putc(w->out, ':');
	w->after_key = true;
}

void jw_key(struct jw *w, const char *key)
{
	jw_key_str(w, str_from_cstr(key));
}

static const char hex[] = "0123456789abcdef";

/*
 * Length of the valid UTF-8 sequence at p (1..4), or 0 if the bytes there are not
 * a well-formed sequence (overlong forms, surrogates and values past U+10FFFF are
 * rejected, as RFC 3629 requires).
 */
static size_t utf8_valid_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (n >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned lo = 0x80, hi = 0xBF;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
		return (n >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80) ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned lo = 0x80, hi = 0xBF;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
		return (n >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
			(p[3] & 0xC0) == 0x80) ? 4 : 0;
	}
	return 0;
}

void json_escape_to(struct buf *b, struct str s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0, run = 0;

	buf_reserve(b, s.len + 2);
	buf_putc(b, '"');
	while (i < s.len) {
		unsigned c = p[i];
		size_t n;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			run++;
			continue;
		}
		buf_append(b, p + i - run, run);
		run = 0;
		if (c < 0x80) {
			buf_putc(b, '\\');
			switch (c) {
			case '"': buf_putc(b, '"'); break;
			case '\\': buf_putc(b, '\\'); break;
			case '\n': buf_putc(b, 'n'); break;
			case '\r': buf_putc(b, 'r'); break;
			case '\t': buf_putc(b, 't'); break;
			case '\b': buf_putc(b, 'b'); break;
			case '\f': buf_putc(b, 'f'); break;
			default:
				buf_append(b, "u00", 3);
				buf_putc(b, hex[c >> 4]);
				buf_putc(b, hex[c & 15]);
			}
			i++;
			continue;
		}
		n = utf8_valid_len(p + i, s.len - i);
		if (n == 0) {
			buf_append(b, "\xEF\xBF\xBD", 3); /* U+FFFD */
			i++;
			continue;
		}
		if (n == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))
			buf_append(b, p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
		else
			buf_append(b, p + i, n);
		i += n;
	}
	buf_append(b, p + i - run, run);
	buf_putc(b, '"');
}

void jw_string(struct jw *w, struct str s)
{
	before_element(w);
	json_escape_to(w->out, s);
}

void jw_cstr(struct jw *w, const char *s)
{
	if (!s)
		jw_null(w);
	else
		jw_string(w, str_from_cstr(s));
}

void jw_int(struct jw *w, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	before_element(w);
	buf_append(w->out, tmp, (size_t)n);
}

void jw_double(struct jw *w, double v)
{
	char tmp[32];
	int n;

	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	before_element(w);
	/*
	 * Shortest of %.15g .. %.17g that reads back to the same double. DBL_DIG (15)
	 * digits always survive a round trip for normal numbers, but subnormals carry
	 * fewer significant bits, so for them the search starts at one digit (5e-324).
	 */
	for (int prec = (v != 0 && fabs(v) < DBL_MIN) ? 1 : 15; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (prec == 17 || strtod(tmp, NULL) == v)
			break;
	}
	for (int i = 0; i < n; i++)
		if (tmp[i] == ',')
			tmp[i] = '.'; /* a locale with a decimal comma must not leak out */
	buf_append(w->out, tmp, (size_t)n);
}

void jw_bool(struct jw *w, bool v)
{
	before_element(w);
	if (v)
		buf_append(w->out, "true", 4);
	else
		buf_append(w->out, "false", 5);
}

void jw_null(struct jw *w)
{
	before_element(w);
	buf_append(w->out, "null", 4);
}

void jw_raw(struct jw *w, struct str json)
{
	before_element(w);
	buf_append_str(w->out, json);
}

bool jw_complete(const struct jw *w)
{
	return w->depth == 0 && !w->after_key && !w->first[0];
}
