/*
 * log.h — structured logging: one JSON object per line on stderr.
 *
 * Each line is written with a single write(2), so lines from different worker
 * threads never interleave. Nothing here ever logs a header value or a body:
 * callers pass only what is safe to keep (method, path, status, ids, timings).
 */
#ifndef RENTD_LOG_H
#define RENTD_LOG_H

#include <stdint.h>

#include "base/str.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

struct access_entry {
	struct str request_id;
	struct str method;
	struct str path; /* without the query string, which may carry secrets */
	int status;
	uint64_t bytes;
	uint64_t micros;
};

/*
 * Paths that carry a secret (an invitation's token): a route pattern registered here, such
 * as "/invitations/{token}", marks its string parameters ({name}, not {name:int}) as
 * secrets, and every log line shows such a segment as "{name}" instead of its value:
 * the access log's path, and any path or URL inside a message's text (an unmatched method
 * or a longer path too: the literal segments up to the secret are what must match, case
 * aside). Register at start, before other threads log; at most LOG_SECRET_PATHS patterns,
 * -1 beyond. The pattern's storage must outlive logging (route tables are static).
 */
#define LOG_SECRET_PATHS 16
int log_secret_path(const char *pattern);

void log_set_level(enum log_level level);
void log_set_access(int enabled);
void log_set_fd(int fd);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like log_msg, tagged with the request id so it can be matched to its access line. */
void log_request_error(struct str request_id, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_access(const struct access_entry *e);

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
