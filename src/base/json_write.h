/*
 * json_write.h — streaming JSON writer.
 *
 * Appends RFC 8259 JSON to a struct buf as the caller walks its data: no tree is
 * built. Commas and the key/value alternation are tracked here, so a caller only
 * says what comes next. Output is always valid UTF-8: invalid input bytes in a
 * string become U+FFFD; control characters, '"' and '\' are escaped, and so are
 * U+2028/U+2029 so the output is safe inside a <script> too. Doubles are printed
 * in the shortest form that reads back exactly, with '.' whatever the locale;
 * NaN and infinities, which JSON cannot hold, are written as null.
 *
 * Misuse (a value where a key is due, unbalanced ends, nesting past
 * JW_MAX_DEPTH) is a programming error and aborts in debug builds.
 */
#ifndef RENTD_JSON_WRITE_H
#define RENTD_JSON_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/str.h"

#define JW_MAX_DEPTH 64

struct jw {
	struct buf *out;
	int depth;
	bool first[JW_MAX_DEPTH + 1];   /* no element written yet at this level */
	bool in_obj[JW_MAX_DEPTH + 1];  /* level is an object */
	bool after_key;                 /* a key was written; its value is due */
};

void jw_init(struct jw *w, struct buf *out);

void jw_object_begin(struct jw *w);
void jw_object_end(struct jw *w);
void jw_array_begin(struct jw *w);
void jw_array_end(struct jw *w);

void jw_key(struct jw *w, const char *key);
void jw_key_str(struct jw *w, struct str key);

void jw_string(struct jw *w, struct str s);
void jw_cstr(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Already-encoded JSON, inserted as one value (trusted input only). */
void jw_raw(struct jw *w, struct str json);

/* key + value in one call, for the common case. */
static inline void jw_kv_str(struct jw *w, const char *k, struct str v) { jw_key(w, k); jw_string(w, v); }
static inline void jw_kv_cstr(struct jw *w, const char *k, const char *v) { jw_key(w, k); jw_cstr(w, v); }
static inline void jw_kv_int(struct jw *w, const char *k, int64_t v) { jw_key(w, k); jw_int(w, v); }
static inline void jw_kv_double(struct jw *w, const char *k, double v) { jw_key(w, k); jw_double(w, v); }
static inline void jw_kv_bool(struct jw *w, const char *k, bool v) { jw_key(w, k); jw_bool(w, v); }
static inline void jw_kv_null(struct jw *w, const char *k) { jw_key(w, k); jw_null(w); }

/* True when every begun container was ended (a complete document). */
bool jw_complete(const struct jw *w);

/* Appends s as a JSON string literal (quotes included) to b. */
void json_escape_to(struct buf *b, struct str s);

#endif
