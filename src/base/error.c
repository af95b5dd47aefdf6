#include "base/error.h"

#include <stdarg.h>
#include <string.h>

void error_init(struct error *err, struct arena *arena)
{
	memset(err, 0, sizeof(*err));
	err->arena = arena;
}

int error_set(struct error *err, enum error_kind kind, const char *code, const char *fmt, ...)
{
	err->kind = kind;
	err->code = code;
	err->message = NULL;
	if (fmt && err->arena) {
		va_list ap;
		va_start(ap, fmt);
		err->message = arena_vprintf(err->arena, fmt, ap);
		va_end(ap);
	} else if (fmt) {
		err->message = fmt; /* no arena to format into: keep the template */
	}
	return -1;
}

int error_field(struct error *err, const char *path, const char *rule, const char *fmt, ...)
{
	struct field_error *f;
	va_list ap;

	if (err->kind == ERROR_NONE)
		err->kind = ERROR_VALIDATION;
	if (err->nfields >= ERROR_MAX_FIELDS || !err->arena)
		return -1;
	if (err->nfields == err->capfields) {
		size_t cap = err->capfields ? err->capfields * 2 : 4;
		struct field_error *n = arena_alloc(err->arena, cap * sizeof(*n));
		if (err->nfields)
			memcpy(n, err->fields, err->nfields * sizeof(*n));
		err->fields = n;
		err->capfields = cap;
	}
	f = &err->fields[err->nfields++];
	f->path = arena_strndup(err->arena, path, strlen(path));
	f->rule = rule;
	va_start(ap, fmt);
	f->message = arena_vprintf(err->arena, fmt, ap);
	va_end(ap);
	return -1;
}

void error_forget(struct error *err)
{
	err->kind = err->nfields ? ERROR_VALIDATION : ERROR_NONE;
	err->code = NULL;
	err->message = NULL;
	err->retry_after = 0;
}

const char *error_kind_name(enum error_kind kind)
{
	switch (kind) {
	case ERROR_NONE: return "none";
	case ERROR_MALFORMED: return "malformed";
	case ERROR_VALIDATION: return "validation";
	case ERROR_PRECONDITION: return "precondition";
	case ERROR_UNAUTHORIZED: return "unauthorized";
	case ERROR_FORBIDDEN: return "forbidden";
	case ERROR_NOT_FOUND: return "not_found";
	case ERROR_METHOD_NOT_ALLOWED: return "method_not_allowed";
	case ERROR_CONFLICT: return "conflict";
	case ERROR_TOO_LARGE: return "too_large";
	case ERROR_UNSUPPORTED_MEDIA_TYPE: return "unsupported_media_type";
	case ERROR_RATE_LIMITED: return "rate_limited";
	case ERROR_UNAVAILABLE: return "unavailable";
	case ERROR_INTERNAL: return "internal";
	}
	return "unknown";
}
