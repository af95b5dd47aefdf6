/*
 * fuzz_query.c — query strings: query_parse(), query_get(), url_decode().
 *
 * url_decode() is compared with a deliberately plain reference decoder written
 * from query.h's contract ('%' + two hex digits, never %00; '+' is a space when
 * asked); query_parse() results are checked against the raw string they came
 * from. One arena for the process, reset per input as a worker thread does.
 */
#include <string.h>

#include "base/arena.h"
#include "base/error.h"
#include "fuzz.h"
#include "http/query.h"

static struct arena *arena;

static int ref_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Reference: decoded bytes into out (size >= len), or -1. */
static long ref_decode(const unsigned char *s, size_t len, int plus_is_space, unsigned char *out)
{
	size_t j = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;
			if (len - i < 3)
				return -1;
			hi = ref_hex(s[i + 1]);
			lo = ref_hex(s[i + 2]);
			if (hi < 0 || lo < 0 || hi * 16 + lo == 0)
				return -1;
			out[j++] = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else {
			out[j++] = (plus_is_space && s[i] == '+') ? ' ' : s[i];
		}
	}
	return (long)j;
}

static void check_decode(struct str s, int plus_is_space)
{
	unsigned char *ref = arena_alloc(arena, s.len + 1);
	long n = ref_decode((const unsigned char *)s.ptr, s.len, plus_is_space, ref);
	struct str d;
	int rc = url_decode(arena, s, plus_is_space, &d);

	FUZZ_CHECK((rc < 0) == (n < 0), "url_decode rc %d, reference %ld (plus=%d)", rc, n, plus_is_space);
	if (rc == 0)
		FUZZ_CHECK(d.len == (size_t)n && (n == 0 || memcmp(d.ptr, ref, (size_t)n) == 0),
			   "url_decode output differs from the reference (plus=%d)", plus_is_space);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str raw = { (const char *)data, size };
	struct query q;
	struct error err;
	size_t amps = 0;

	if (!arena)
		arena = arena_create(16 * 1024);
	arena_reset(arena);
	error_init(&err, arena);

	check_decode(raw, 0);
	check_decode(raw, 1);

	for (size_t i = 0; i < size; i++)
		amps += data[i] == '&';
	if (query_parse(arena, raw, &q, &err) < 0) {
		FUZZ_CHECK(err.kind == ERROR_MALFORMED && err.message, "query_parse failed without an error");
		return 0;
	}
	FUZZ_CHECK(err.kind == ERROR_NONE, "query_parse succeeded with an error set");
	FUZZ_CHECK(q.n <= QUERY_MAX_PARAMS && q.n <= amps + 1, "%zu params from %zu '&'", q.n, amps);
	FUZZ_CHECK(size == 0 || amps + 1 <= QUERY_MAX_PARAMS, "too many parameters accepted");
	for (size_t i = 0; i < q.n; i++) {
		const struct query_param *p = &q.items[i];
		char *key;
		struct str first;
		size_t k;

		FUZZ_CHECK(p->key.len + p->value.len < size + 1, "param %zu longer than its input", i);
		FUZZ_CHECK(p->key.ptr && p->value.ptr, "param %zu has a NULL slice", i);
		if (memchr(p->key.ptr, '\0', p->key.len))
			continue; /* a raw NUL byte cannot be asked for with a C-string key */
		key = arena_strdup_str(arena, p->key);
		first = query_get(&q, key);
		for (k = 0; k < q.n && !str_eq(q.items[k].key, p->key); k++)
			;
		FUZZ_CHECK(k <= i && first.ptr == q.items[k].value.ptr && first.len == q.items[k].value.len,
			   "query_get(%s) is not the first value", key);
	}
	FUZZ_CHECK(query_get(&q, "\x01never-a-key").ptr == NULL || memchr(data, 1, size),
		   "query_get found an absent key");
	return 0;
}
