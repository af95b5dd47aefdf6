#include "http/query.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int url_decode(struct arena *arena, struct str s, int plus_is_space, struct str *out)
{
	char *d;
	size_t j = 0;

	if (s.len == 0 || (!memchr(s.ptr, '%', s.len) && !(plus_is_space && memchr(s.ptr, '+', s.len)))) {
		*out = s; /* nothing to decode: keep pointing into the request */
		return 0;
	}
	d = arena_try_alloc(arena, s.len + 1);
	if (!d)
		return URL_DECODE_NO_MEMORY;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= s.len)
				return URL_DECODE_BAD_ESCAPE;
			hi = hexval(s.ptr[i + 1]);
			lo = hexval(s.ptr[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return URL_DECODE_BAD_ESCAPE;
			d[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			d[j++] = ' ';
		} else {
			d[j++] = c;
		}
	}
	d[j] = '\0';
	*out = (struct str){ d, j };
	return 0;
}

static int no_memory(struct error *err)
{
	return error_set(err, ERROR_TOO_LARGE, NULL,
			 "the query string cannot be decoded in the memory available now; try again later");
}

int query_parse(struct arena *arena, struct str raw, struct query *out, struct error *err)
{
	size_t count = 0, i = 0;

	out->items = NULL;
	out->n = 0;
	if (raw.len == 0)
		return 0;
	for (size_t k = 0; k < raw.len; k++)
		if (raw.ptr[k] == '&')
			count++;
	count++;
	if (count > QUERY_MAX_PARAMS)
		return error_set(err, ERROR_MALFORMED, "ParseError",
				 "the query string has more than %d parameters", QUERY_MAX_PARAMS);
	out->items = arena_try_alloc(arena, count * sizeof(*out->items));
	if (!out->items)
		return no_memory(err);
	while (i <= raw.len) {
		size_t start = i, eq = (size_t)-1;
		struct str k, v;

		while (i < raw.len && raw.ptr[i] != '&') {
			if (raw.ptr[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		if (i > start) {
			size_t kend = eq == (size_t)-1 ? i : eq;
			k = (struct str){ raw.ptr + start, kend - start };
			v = eq == (size_t)-1 ? (struct str){ raw.ptr + i, 0 }
					     : (struct str){ raw.ptr + eq + 1, i - eq - 1 };
			int rc = url_decode(arena, k, 1, &out->items[out->n].key);
			if (rc == 0)
				rc = url_decode(arena, v, 1, &out->items[out->n].value);
			if (rc == URL_DECODE_NO_MEMORY)
				return no_memory(err);
			if (rc < 0)
				return error_set(err, ERROR_MALFORMED, "ParseError",
						 "the query string has a malformed percent-escape near byte %zu",
						 start);
			out->n++;
		}
		i++; /* skip '&' (or step past the end) */
	}
	return 0;
}

struct str query_get(const struct query *q, const char *key)
{
	for (size_t i = 0; i < q->n; i++)
		if (str_eq_cstr(q->items[i].key, key))
			return q->items[i].value;
	return STR_NULL;
}
