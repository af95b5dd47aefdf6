/*
 * str.h — byte slices.
 *
 * A struct str points into memory it does not own (a request buffer, an arena, a
 * literal). It is never assumed to be NUL-terminated; convert with arena_strndup()
 * at library boundaries that need a C string.
 */
#ifndef RENTD_STR_H
#define RENTD_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct str {
	const char *ptr;
	size_t len;
};

#define STR_LIT(s) ((struct str){ (s), sizeof(s) - 1 })
#define STR_NULL ((struct str){ NULL, 0 })
#define STR_FMT(s) (int)(s).len, (s).ptr /* use with "%.*s" */

static inline struct str str_from_cstr(const char *s)
{
	return (struct str){ s, s ? strlen(s) : 0 };
}

static inline bool str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool str_eq_cstr(struct str a, const char *b)
{
	return str_eq(a, str_from_cstr(b));
}

static inline bool str_has_prefix(struct str s, struct str prefix)
{
	return s.len >= prefix.len && memcmp(s.ptr, prefix.ptr, prefix.len) == 0;
}

/* ASCII case-insensitive equality (header names, media types). */
bool str_case_eq(struct str a, struct str b);

/* Leading and trailing spaces and tabs removed. */
struct str str_trim(struct str s);

/*
 * Strict decimal: optional '-' then 1..19 digits, no spaces, no '+', no leading
 * zeros except "0" itself, and no overflow. Returns 0 or -1.
 */
int str_to_int64(struct str s, int64_t *out);

#endif
