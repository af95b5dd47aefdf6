#include "base/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "json/json_write.h"

static _Atomic int log_level_now = LOG_INFO;
static _Atomic int log_access_on = 1;
static _Atomic int log_fd = 2;

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
	jw_kv_str(&w, "msg", (struct str){ msg, (size_t)n });
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
	jw_kv_str(&w, "path", e->path);
	jw_kv_int(&w, "status", e->status);
	jw_kv_int(&w, "bytes", (int64_t)e->bytes);
	jw_kv_int(&w, "micros", (int64_t)e->micros);
	end_line(&w, &b);
}
