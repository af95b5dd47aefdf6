#include "base/str.h"

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool str_case_eq(struct str a, struct str b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (ascii_lower(a.ptr[i]) != ascii_lower(b.ptr[i]))
			return false;
	return true;
}

struct str str_trim(struct str s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

int str_to_int64(struct str s, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0;
	uint64_t limit;

	if (s.len && s.ptr[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == s.len || s.len - i > 19)
		return -1;
	if (s.ptr[i] == '0' && s.len - i > 1)
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < s.len; i++) {
		unsigned d = (unsigned char)s.ptr[i] - '0';
		if (d > 9)
			return -1;
		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg && v == 0)
		return -1; /* "-0" is not a canonical integer */
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}
