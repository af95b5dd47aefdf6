/*
 * error.h — the one internal error type.
 *
 * core/ and store/ describe what went wrong as a kind (which decides the HTTP
 * status family), an optional code (a stable identifier such as "UsernameMissing"
 * that the dialects put on the wire), a human message, and, for validation, every
 * offending field with the rule it broke. Each dialect maps this to its own wire
 * shape (dialects/errors.c); nothing below the dialects knows about HTTP bodies.
 *
 * Strings are either literals or allocated from err->arena, which lives as long as
 * the request. Functions that fail fill the error and return a negative number, so
 * callers write `return error_set(err, ...);`.
 */
#ifndef RENTD_ERROR_H
#define RENTD_ERROR_H

#include <stddef.h>

#include "base/arena.h"

enum error_kind {
	ERROR_NONE = 0,
	ERROR_MALFORMED,        /* body or parameters cannot be parsed at all */
	ERROR_VALIDATION,       /* well-formed, but fields break their rules */
	ERROR_PRECONDITION,     /* a documented named rule failed (HomeQ's 412s) */
	ERROR_UNAUTHORIZED,     /* missing or invalid credentials */
	ERROR_FORBIDDEN,        /* authenticated, but not allowed */
	ERROR_NOT_FOUND,        /* unknown id, or not visible to the caller */
	ERROR_METHOD_NOT_ALLOWED,
	ERROR_CONFLICT,         /* duplicate, or state forbids it */
	ERROR_TOO_LARGE,
	ERROR_UNSUPPORTED_MEDIA_TYPE,
	ERROR_RATE_LIMITED,
	ERROR_UNAVAILABLE,      /* dependency down (database) */
	ERROR_INTERNAL,         /* a fault of ours: logged, answered without detail */
};

/* Neutral rule names; dialects translate them (e.g. accounts: "length" → "stringLength"). */
#define RULE_REQUIRED "required"
#define RULE_TYPE "type"
#define RULE_LENGTH "length"
#define RULE_RANGE "range"
#define RULE_PATTERN "pattern"
#define RULE_ENUM "enum"
#define RULE_FORMAT "format"
#define RULE_UNIQUE "unique"

struct field_error {
	const char *path;    /* "address.zip_code", "items[2].id" */
	const char *rule;    /* RULE_* */
	const char *message; /* human reason */
};

struct error {
	struct arena *arena;
	enum error_kind kind;
	const char *code;    /* NULL: the dialect's default name for the kind */
	const char *message; /* NULL: the dialect's default text for the kind */
	int retry_after;     /* seconds, for ERROR_RATE_LIMITED / ERROR_UNAVAILABLE */
	int status;          /* 0: the dialect's status for kind; else this HTTP status (S-03, S-38) */
	struct field_error *fields;
	size_t nfields;
	size_t capfields;
};

#define ERROR_MAX_FIELDS 64

void error_init(struct error *err, struct arena *arena);

/* Sets kind, code and message (printf-style, may be NULL); returns -1. */
int error_set(struct error *err, enum error_kind kind, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Records one bad field (kind becomes ERROR_VALIDATION unless already set to
 * something else); returns -1. At most ERROR_MAX_FIELDS are kept.
 */
int error_field(struct error *err, const char *path, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Forgets a failure that the caller turns into something else (a NOT_FOUND that
 * becomes a field error), keeping the field errors recorded so far.
 */
void error_forget(struct error *err);

static inline int error_failed(const struct error *err)
{
	return err->kind != ERROR_NONE;
}

const char *error_kind_name(enum error_kind kind);

#endif
