#include "base/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json_write.h"

static _Atomic int log_level_now = LOG_INFO;
static _Atomic int log_access_on = 1;
static _Atomic int log_fd = 2;

static const char *secret_paths[LOG_SECRET_PATHS];
static _Atomic int secret_path_count;

int log_secret_path(const char *pattern)
{
	int n = secret_path_count;
	for (int i = 0; i < n; i++)
		if (strcmp(secret_paths[i], pattern) == 0)
			return 0;
	if (n == LOG_SECRET_PATHS)
		return -1;
	secret_paths[n] = pattern;
	secret_path_count = n + 1;
	return 0;
}

/* Where a path segment ends in free text: a separator, or a byte no URL has unescaped. */
static bool segment_end(char c)
{
	return c == '/' || c == '?' || c == '#' || (unsigned char)c <= ' ' || c == '"' || c == '\\' || c == '\'' ||
	       c == '<' || c == '>' || c == '`' || c == 0x7f;
}

/*
 * Matches pattern's segments against text from its '/' at t; on a match through the last
 * secret segment, writes the redacted span to out and returns its length in text, else 0.
 */
static size_t redact_at(const char *pattern, struct str text, size_t t, struct buf *out)
{
	const char *p = pattern;
	size_t i = t, end_secret = 0, n = 0;
	struct buf tmp;

	buf_init(&tmp, NULL, 128);
	while (*p == '/' && i < text.len && text.ptr[i] == '/') {
		const char *pe = strchr(p + 1, '/');
		size_t plen = pe ? (size_t)(pe - (p + 1)) : strlen(p + 1);
		size_t s = i + 1, e = s;
		while (e < text.len && !segment_end(text.ptr[e]))
			e++;
		if (e == s || plen == 0)
			break;
		if (p[1] == '{') {
			bool is_int = plen > 5 && memcmp(p + plen - 4, ":int", 4) == 0;
			if (is_int) {
				size_t k = s;
				while (k < e && text.ptr[k] >= '0' && text.ptr[k] <= '9')
					k++;
				if (k < e)
					break;
				buf_append(&tmp, text.ptr + i, e - i);
			} else {
				buf_putc(&tmp, '/');
				buf_append(&tmp, p + 1, plen);
				end_secret = e;
			}
		} else {
			if (e - s != plen || strncasecmp(text.ptr + s, p + 1, plen) != 0)
				break;
			buf_append(&tmp, text.ptr + i, e - i);
		}
		if (end_secret)
			n = tmp.len; /* what to emit: up to the last secret segment seen */
		i = e;
		p += 1 + plen;
	}
	if (end_secret)
		buf_append(out, tmp.ptr, n);
	buf_free(&tmp);
	return end_secret ? end_secret - t : 0;
}

/*
 * text with every registered secret path segment replaced, into out (initialised). A path
 * is matched from its start only; free text (a message) at every '/', since a path or URL
 * may start anywhere in it (an inner segment matching costs at most a redacted word).
 */
static void redact(struct str text, bool is_path, struct buf *out)
{
	int n = secret_path_count;
	size_t i = 0;

	while (i < text.len) {
		size_t used = 0;
		if (text.ptr[i] == '/' && (!is_path || i == 0))
			for (int k = 0; k < n && !used; k++)
				used = redact_at(secret_paths[k], text, i, out);
		if (used) {
			i += used;
			continue;
		}
		buf_putc(out, text.ptr[i++]);
	}
}

/* A key whose value is a path (is_path) or may hold one: written redacted. */
static void kv_redacted(struct jw *w, const char *key, struct str text, bool is_path)
{
	struct buf r;
	if (!secret_path_count || !memchr(text.ptr ? text.ptr : "", '/', text.len)) {
		jw_kv_str(w, key, text);
		return;
	}
	buf_init(&r, NULL, text.len + 16);
	redact(text, is_path, &r);
	jw_kv_str(w, key, (struct str){ r.ptr, r.len });
	buf_free(&r);
}

void log_set_level(enum log_level level) { log_level_now = (int)level; }
void log_set_access(int enabled) { log_access_on = enabled; }
void log_set_fd(int fd) { log_fd = fd; }

static const char *level_name(enum log_level l)
{
	switch (l) {
	case LOG_DEBUG: return "debug";
	case LOG_INFO: return "info";
	case LOG_WARN: return "warn";
	case LOG_ERROR: return "error";
	case LOG_OFF: break;
	}
	return "off";
}

static void begin_line(struct jw *w, struct buf *b, const char *level)
{
	struct timespec ts;
	struct tm tm;
	char stamp[64];

	buf_init(b, NULL, 512);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000));
	jw_init(w, b);
	jw_object_begin(w);
	jw_kv_cstr(w, "time", stamp);
	jw_kv_cstr(w, "level", level);
}

static void end_line(struct jw *w, struct buf *b)
{
	ssize_t r;
	jw_object_end(w);
	buf_putc(b, '\n');
	r = write(log_fd, b->ptr, b->len);
	(void)r;
	buf_free(b);
}

/* The attribute lets clang's -Wformat-nonliteral (in -Wformat=2) see fmt is checked by the callers. */
__attribute__((format(printf, 3, 0)))
static void vlog(enum log_level level, struct str request_id, const char *fmt, va_list ap)
{
	char msg[768];
	struct buf b;
	struct jw w;
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	begin_line(&w, &b, level_name(level));
	if (request_id.len)
		jw_kv_str(&w, "request_id", request_id);
	kv_redacted(&w, "msg", (struct str){ msg, (size_t)n }, false);
	end_line(&w, &b);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	if ((int)level < log_level_now)
		return;
	va_start(ap, fmt);
	vlog(level, STR_NULL, fmt, ap);
	va_end(ap);
}

void log_request_error(struct str request_id, const char *fmt, ...)
{
	va_list ap;
	if (LOG_ERROR < log_level_now)
		return;
	va_start(ap, fmt);
	vlog(LOG_ERROR, request_id, fmt, ap);
	va_end(ap);
}

void log_access(const struct access_entry *e)
{
	struct buf b;
	struct jw w;

	if (!log_access_on || LOG_INFO < log_level_now)
		return;
	begin_line(&w, &b, "info");
	jw_kv_cstr(&w, "msg", "access");
	jw_kv_str(&w, "request_id", e->request_id);
	jw_kv_str(&w, "method", e->method);
	kv_redacted(&w, "path", e->path, true);
	jw_kv_int(&w, "status", e->status);
	jw_kv_int(&w, "bytes", (int64_t)e->bytes);
	jw_kv_int(&w, "micros", (int64_t)e->micros);
	end_line(&w, &b);
}
