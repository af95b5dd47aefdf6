#include "core/geo/geojson.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

/* jansson's JSON_PARSER_MAX_DEPTH: a value this many values deep still parses */
#define GJ_MAX_DEPTH 2048

/* roles of the objects whose members matter; other containers are only checked */
enum gj_role { GJ_NONE, GJ_FEATURE, GJ_GEOMETRY, GJ_PROPERTIES };
#define GJ_OBJECT 0x80 /* stack entry: object (else array), low bits its role */

#define GJ_NOWHERE SIZE_MAX

struct gj_buf {
	char *p;
	size_t n, cap;
};

struct gj {
	const char *s;
	size_t len;
	unsigned char stack[GJ_MAX_DEPTH];
	struct gj_buf key, code, type;
	/* the feature's members, found by gj_value(GJ_FEATURE): string/array starts */
	size_t code_at, type_at, coords_at;
};

static void gj_put(struct gj_buf *b, const char *p, size_t n)
{
	if (!b)
		return;
	if (b->cap - b->n < n + 1) {
		size_t cap = b->cap ? b->cap : 32;
		while (cap - b->n < n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			die_oom();
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static size_t gj_ws(const struct gj *g, size_t p)
{
	while (p < g->len && (g->s[p] == ' ' || g->s[p] == '\n' || g->s[p] == '\r' || g->s[p] == '\t'))
		p++;
	return p;
}

static bool gj_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int gj_hex4(const struct gj *g, size_t p)
{
	int v = 0;

	if (p + 4 > g->len)
		return -1;
	for (size_t i = p; i < p + 4; i++) {
		char c = g->s[i];
		v <<= 4;
		if (gj_digit(c))
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Length of the strict UTF-8 sequence at p (no overlongs, surrogates, > U+10FFFF), or 0. */
static size_t gj_utf8(const struct gj *g, size_t p)
{
	const unsigned char *u = (const unsigned char *)g->s + p;
	size_t n, avail = g->len - p;
	uint32_t v;

	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		n = 2, v = u[0] & 0x1Fu;
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
		n = 3, v = u[0] & 0x0Fu;
	else if (u[0] >= 0xF0 && u[0] <= 0xF4)
		n = 4, v = u[0] & 0x07u;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (u[i] < 0x80 || u[i] > 0xBF)
			return 0;
		v = (v << 6) | (u[i] & 0x3Fu);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (n == 3 && v < 0x800) ||
		(n == 4 && v < 0x10000))
		return 0;
	return n;
}

/* The string at *pos (its opening quote), checked like jansson, decoded into out if given. */
static bool gj_string(const struct gj *g, size_t *pos, struct gj_buf *out)
{
	size_t p = *pos + 1;

	if (out) {
		out->n = 0;
		gj_put(out, "", 0);
	}
	for (;;) {
		size_t q = p;
		unsigned char c;

		while (q < g->len && (unsigned char)g->s[q] >= 0x20 && (unsigned char)g->s[q] < 0x80 &&
			g->s[q] != '"' && g->s[q] != '\\')
			q++;
		gj_put(out, g->s + p, q - p);
		p = q;
		if (p >= g->len)
			return false;
		c = (unsigned char)g->s[p];
		if (c == '"') {
			*pos = p + 1;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c >= 0x80) {
			size_t n = gj_utf8(g, p);
			if (!n)
				return false;
			gj_put(out, g->s + p, n);
			p += n;
			continue;
		}
		/* an escape */
		if (p + 1 >= g->len)
			return false;
		switch (g->s[p + 1]) {
		case '"': case '\\': case '/':
			gj_put(out, g->s + p + 1, 1);
			break;
		case 'b': gj_put(out, "\b", 1); break;
		case 'f': gj_put(out, "\f", 1); break;
		case 'n': gj_put(out, "\n", 1); break;
		case 'r': gj_put(out, "\r", 1); break;
		case 't': gj_put(out, "\t", 1); break;
		case 'u': {
			long v = gj_hex4(g, p + 2);
			char u8[4];
			size_t n;

			if (v <= 0) /* malformed, or \u0000 (jansson refuses NUL) */
				return false;
			p += 4;
			if (v >= 0xDC00 && v <= 0xDFFF)
				return false;
			if (v >= 0xD800 && v <= 0xDBFF) {
				long lo;
				if (p + 3 >= g->len || g->s[p + 2] != '\\' || g->s[p + 3] != 'u')
					return false;
				lo = gj_hex4(g, p + 4);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return false;
				v = ((v - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
				p += 6;
			}
			if (v < 0x80) {
				u8[0] = (char)v, n = 1;
			} else if (v < 0x800) {
				u8[0] = (char)(0xC0 | (v >> 6)), u8[1] = (char)(0x80 | (v & 0x3F)), n = 2;
			} else if (v < 0x10000) {
				u8[0] = (char)(0xE0 | (v >> 12)), u8[1] = (char)(0x80 | ((v >> 6) & 0x3F));
				u8[2] = (char)(0x80 | (v & 0x3F)), n = 3;
			} else {
				u8[0] = (char)(0xF0 | (v >> 18)), u8[1] = (char)(0x80 | ((v >> 12) & 0x3F));
				u8[2] = (char)(0x80 | ((v >> 6) & 0x3F)), u8[3] = (char)(0x80 | (v & 0x3F));
				n = 4;
			}
			gj_put(out, u8, n);
			break;
		}
		default:
			return false;
		}
		p += 2;
	}
}

/*
 * strtod() on the number token [p, end), whatever the locale (jansson's way:
 * the '.' becomes the locale's decimal point). errno as strtod leaves it.
 */
static double gj_strtod(const char *p, size_t n)
{
	char small[64], *tok = n < sizeof(small) ? small : malloc(n + 1);
	const char *point = localeconv()->decimal_point;
	double v;

	if (!tok)
		die_oom();
	memcpy(tok, p, n);
	tok[n] = '\0';
	if (*point != '.') {
		char *dot = strchr(tok, '.');
		if (dot)
			*dot = *point;
	}
	errno = 0;
	v = strtod(tok, NULL);
	if (tok != small) {
		int e = errno;
		free(tok);
		errno = e;
	}
	return v;
}

/* A number token's parts, scanned by gj_number. */
struct gj_num {
	bool neg, is_int, exact;  /* exact: mant * 10^e10 fits the fast path */
	uint64_t mant;            /* the significant digits, if at most 19 */
	long e10;                 /* ... times ten to this */
	long lead;                /* the leading digit's power of ten + 1 (0 for zero) */
	size_t start, end;
};

/*
 * The number at *pos, with jansson's grammar ('-'? int frac? exp?, no leading
 * zeros, no '+'). The conversion is left to gj_double; here only what decides
 * validity is worked out (integer or real overflow).
 */
static bool gj_number(const struct gj *g, size_t *pos, struct gj_num *n)
{
	const char *s = g->s;
	size_t p = *pos, nd = 0, nint = 0;
	long exp = 0, frac = 0, lz = 0;
	bool sig = false;

	*n = (struct gj_num){ .start = p, .exact = true };
	if (p < g->len && s[p] == '-')
		n->neg = true, p++;
	if (p >= g->len || !gj_digit(s[p]))
		return false;
	if (s[p] == '0') {
		p++;
		if (p < g->len && gj_digit(s[p]))
			return false;
	} else {
		while (p < g->len && gj_digit(s[p])) {
			if (nd < 19)
				n->mant = n->mant * 10 + (uint64_t)(s[p] - '0');
			else
				n->exact = false;
			nd++, nint++, p++;
		}
		sig = true;
	}
	n->is_int = !(p < g->len && (s[p] == '.' || s[p] == 'e' || s[p] == 'E'));
	if (n->is_int) {
		n->end = *pos = p;
		/* jansson reads integers with strtoll: beyond long long is an error */
		if (nd > 19)
			return false;
		if (nd == 19) {
			const char *lim = n->neg ? "9223372036854775808" : "9223372036854775807";
			return memcmp(s + (p - 19), lim, 19) <= 0;
		}
		return true;
	}
	if (s[p] == '.') {
		p++;
		if (p >= g->len || !gj_digit(s[p]))
			return false;
		while (p < g->len && gj_digit(s[p])) {
			if (!sig && s[p] == '0') {
				lz++; /* leading zeros of 0.000123 */
			} else {
				sig = true;
				if (nd < 19)
					n->mant = n->mant * 10 + (uint64_t)(s[p] - '0');
				else
					n->exact = false;
				nd++;
			}
			frac++, p++;
		}
	}
	if (p < g->len && (s[p] == 'e' || s[p] == 'E')) {
		bool eneg = false;
		p++;
		if (p < g->len && (s[p] == '+' || s[p] == '-'))
			eneg = s[p] == '-', p++;
		if (p >= g->len || !gj_digit(s[p]))
			return false;
		while (p < g->len && gj_digit(s[p])) {
			if (exp < 100000000)
				exp = exp * 10 + (s[p] - '0');
			p++;
		}
		if (eneg)
			exp = -exp;
	}
	n->end = *pos = p;
	/* the value is mant * 10^e10 when no digit was dropped */
	n->e10 = exp - frac;
	if (!n->exact || n->mant > (UINT64_C(1) << 53) || n->e10 < -22 || n->e10 > 22)
		n->exact = false;
	if (!sig)
		return true; /* zero */
	/* |value| < 10^lead: below DBL_MAX when lead <= 308, no overflow possible */
	n->lead = (nint ? (long)nint : -lz) + exp;
	if (n->lead <= DBL_MAX_10_EXP)
		return true;
	{
		double v = gj_strtod(s + n->start, n->end - n->start);
		return !((v == HUGE_VAL || v == -HUGE_VAL) && errno == ERANGE);
	}
}

/*
 * gj_number's verdict, quickly for the common shape: -?digits(.digits)? that
 * cannot overflow (fewer than 19 integer digits, no exponent).
 */
static bool gj_number_check(const struct gj *g, size_t *pos)
{
	const char *s = g->s;
	size_t p = *pos, q;
	struct gj_num n;

	if (p < g->len && s[p] == '-')
		p++;
	q = p;
	if (p < g->len && s[p] == '0')
		p++;
	else
		while (p < g->len && gj_digit(s[p]))
			p++;
	if (p == q || p - q >= 19 || (p < g->len && gj_digit(s[p])))
		return gj_number(g, pos, &n); /* no digit, a leading zero, or long */
	if (p < g->len && s[p] == '.') {
		q = ++p;
		while (p < g->len && gj_digit(s[p]))
			p++;
		if (p == q)
			return false;
	}
	if (p < g->len && (s[p] == 'e' || s[p] == 'E'))
		return gj_number(g, pos, &n);
	*pos = p;
	return true;
}

static const double gj_pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/*
 * The value of a valid number token, as jansson gives it: integers through long
 * long (so "-0" is +0.0), reals bit-identical to strtod. The fast path is
 * Clinger's: a mantissa below 2^53 and a power of ten up to 22 are both exact
 * doubles, so one IEEE multiplication or division rounds correctly, as strtod
 * does. Not with excess precision (FLT_EVAL_METHOD != 0: x87), which would round
 * twice.
 */
static double gj_double(const struct gj *g, const struct gj_num *n)
{
	if (n->is_int) {
		if (n->end - n->start - n->neg <= 18) {
			long long v = (long long)n->mant;
			return (double)(n->neg ? -v : v);
		}
		{
			/* 19 digits, within long long (gj_number checked); -2^63 has no positive twin */
			uint64_t u = 0;
			for (size_t i = n->start + n->neg; i < n->end; i++)
				u = u * 10 + (uint64_t)(g->s[i] - '0');
			if (!n->neg)
				return (double)(long long)u;
			return u == UINT64_C(1) << 63 ? (double)LLONG_MIN : (double)-(long long)u;
		}
	}
#if FLT_EVAL_METHOD == 0
	if (n->exact) {
		double v = (double)n->mant;
		v = n->e10 < 0 ? v / gj_pow10[-n->e10] : v * gj_pow10[n->e10];
		return n->neg ? -v : v;
	}
#endif
	return gj_strtod(g->s + n->start, n->end - n->start);
}

/* Which of the tracked members key is, given the object's role. */
static enum gj_role gj_member(struct gj *g, enum gj_role role, size_t val_at)
{
	const char *k = g->key.p; /* decoded: no NUL inside, gj_string refuses \u0000 */
	char c = val_at < g->len ? g->s[val_at] : '\0';

	switch (role) {
	case GJ_FEATURE:
		if (strcmp(k, "geometry") == 0) {
			/* the last one counts: forget what an earlier geometry had */
			g->type_at = g->coords_at = GJ_NOWHERE;
			return GJ_GEOMETRY;
		}
		if (strcmp(k, "properties") == 0) {
			g->code_at = GJ_NOWHERE;
			return GJ_PROPERTIES;
		}
		break;
	case GJ_GEOMETRY:
		if (strcmp(k, "type") == 0)
			g->type_at = c == '"' ? val_at : GJ_NOWHERE;
		else if (strcmp(k, "coordinates") == 0)
			g->coords_at = c == '[' ? val_at : GJ_NOWHERE;
		break;
	case GJ_PROPERTIES:
		if (strcmp(k, "code") == 0)
			g->code_at = c == '"' ? val_at : GJ_NOWHERE;
		break;
	case GJ_NONE:
		break;
	}
	return GJ_NONE;
}

/*
 * One JSON value at *pos (advanced past it on success), checked exactly as
 * jansson's json_loadb(JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK) would, without
 * recursion. role GJ_FEATURE records the feature's members in g.
 */
static bool gj_value(struct gj *g, size_t *pos, enum gj_role role)
{
	const char *s = g->s;
	size_t p = *pos, d = 0, nuls = 0;
	enum gj_role next = role;

	if (role == GJ_FEATURE)
		g->code_at = g->type_at = g->coords_at = GJ_NOWHERE;
value:
	/* jansson counts depth in values: this one is d + 1 deep */
	if (d + 1 > GJ_MAX_DEPTH)
		return false;
	p = gj_ws(g, p);
	if (p >= g->len)
		return false;
	switch (s[p]) {
	case '{':
		g->stack[d++] = (unsigned char)(GJ_OBJECT | next);
		p = gj_ws(g, p + 1);
		if (p < g->len && s[p] == '}') {
			d--, p++;
			goto after;
		}
		goto key;
	case '[':
		g->stack[d++] = 0;
		p = gj_ws(g, p + 1);
		next = GJ_NONE;
		if (p < g->len && s[p] == ']') {
			d--, p++;
			goto after;
		}
		goto value;
	case '"':
		if (!gj_string(g, &p, NULL))
			return false;
		goto after;
	case 't': case 'f': case 'n': {
		/* jansson reads a run of letters, then compares it */
		size_t q = p;
		while (q < g->len && ((s[q] >= 'a' && s[q] <= 'z') || (s[q] >= 'A' && s[q] <= 'Z')))
			q++;
		if (!((q - p == 4 && memcmp(s + p, "true", 4) == 0) ||
			    (q - p == 5 && memcmp(s + p, "false", 5) == 0) ||
			    (q - p == 4 && memcmp(s + p, "null", 4) == 0)))
			return false;
		p = q;
		goto scalar;
	}
	default:
		if (!gj_number_check(g, &p))
			return false;
		goto scalar;
	}
scalar:
	/*
	 * jansson's quirk, kept so that files read the same: the byte it looked at
	 * after a number or true/false/null, given back, reads as "no byte" when it
	 * is NUL, so inside a container that NUL is skipped and the position it
	 * reports ends up one byte short.
	 */
	if (d > 0 && p < g->len && s[p] == '\0')
		p++, nuls++;
	goto after;
key: {
	/* p is at a member's key, inside the object on top of the stack */
	enum gj_role in = (enum gj_role)(g->stack[d - 1] & ~GJ_OBJECT);

	if (p >= g->len || s[p] != '"' || !gj_string(g, &p, in != GJ_NONE ? &g->key : NULL))
		return false;
	p = gj_ws(g, p);
	if (p >= g->len || s[p] != ':')
		return false;
	p = gj_ws(g, p + 1);
	next = in != GJ_NONE ? gj_member(g, in, p) : GJ_NONE;
	goto value;
}
after:
	if (d == 0) {
		*pos = p - nuls;
		return true;
	}
	p = gj_ws(g, p);
	if (p >= g->len)
		return false;
	if (s[p] == ',') {
		p = gj_ws(g, p + 1);
		next = GJ_NONE;
		if (g->stack[d - 1] & GJ_OBJECT)
			goto key;
		goto value;
	}
	if (s[p] == ((g->stack[d - 1] & GJ_OBJECT) ? '}' : ']')) {
		d--, p++;
		goto after;
	}
	return false;
}

int geojson_read(const char *text, size_t len, size_t *pos_out, bool *any, geojson_feature_fn fn,
	void *arg)
{
	struct gj *g = calloc(1, sizeof(*g));
	size_t pos, nfeatures = 0;
	int rc = -1;

	if (!g)
		die_oom();
	g->s = text;
	g->len = len;
	*any = false;
	pos = gj_ws(g, 0);
	if (pos >= len || text[pos] != '{')
		goto out;
	pos = gj_ws(g, pos + 1);
	/* the collection: the same walk as the jansson-based loader had, member by member */
	while (pos < len && text[pos] != '}') {
		bool features;

		if (text[pos] != '"') {
			/* as before: a key that is some other valid value fails after it */
			gj_value(g, &pos, GJ_NONE);
			goto out;
		}
		if (!gj_string(g, &pos, &g->key))
			goto out;
		features = strcmp(g->key.p, "features") == 0;
		pos = gj_ws(g, pos);
		if (pos >= len || text[pos] != ':')
			goto out;
		pos = gj_ws(g, pos + 1);
		if (features) {
			if (pos >= len || text[pos] != '[')
				goto out;
			*any = true;
			pos = gj_ws(g, pos + 1);
			while (pos < len && text[pos] != ']') {
				struct geojson_feature f = { .index = nfeatures, .start = pos, .text_ = text,
					.len_ = len };
				size_t end = pos, p;

				if (!gj_value(g, &end, GJ_FEATURE))
					goto out;
				if (g->code_at != GJ_NOWHERE) {
					p = g->code_at;
					gj_string(g, &p, &g->code);
					f.code = g->code.p;
				}
				if (g->type_at != GJ_NOWHERE) {
					p = g->type_at;
					gj_string(g, &p, &g->type);
					f.type = g->type.p;
				}
				f.coordinates = g->coords_at != GJ_NOWHERE;
				f.coords_ = g->coords_at;
				nfeatures++;
				if ((rc = fn(arg, &f)) != 0)
					goto done;
				rc = -1;
				pos = gj_ws(g, end);
				if (pos < len && text[pos] == ',')
					pos = gj_ws(g, pos + 1);
				else if (pos >= len || text[pos] != ']')
					goto out;
			}
			if (pos >= len)
				goto out;
			pos++;
		} else if (!gj_value(g, &pos, GJ_NONE)) {
			goto out;
		}
		pos = gj_ws(g, pos);
		if (pos < len && text[pos] == ',')
			pos = gj_ws(g, pos + 1);
		else if (pos >= len || text[pos] != '}')
			goto out;
	}
	if (pos < len)
		rc = 0;
out:
	*pos_out = pos;
done:
	free(g->key.p);
	free(g->code.p);
	free(g->type.p);
	free(g);
	return rc;
}

/* ---------- coordinates (already checked by gj_value) ---------- */

struct gj_rings {
	struct gj g;
	double **xy;
	size_t *npts, *cap;
	geojson_ring_fn ring;
	void *arg;
};

/* Skips a valid value; p at its first byte. */
static size_t gj_skip(const struct gj *g, size_t p)
{
	size_t d = 0;

	do {
		char c;
		p = gj_ws(g, p);
		if (p >= g->len)
			return p;
		c = g->s[p];
		if (c == '"') {
			for (p++; p < g->len && g->s[p] != '"'; p++)
				if (g->s[p] == '\\')
					p++;
			p++;
		} else if (c == '[' || c == '{') {
			d++, p++;
		} else if (c == ']' || c == '}') {
			d--, p++;
		} else if (c == ',' || c == ':') {
			p++;
		} else {
			while (p < g->len && g->s[p] != ',' && g->s[p] != ']' && g->s[p] != '}' &&
				g->s[p] != ' ' && g->s[p] != '\n' && g->s[p] != '\r' && g->s[p] != '\t')
				p++;
		}
	} while (d > 0 && p < g->len);
	return p;
}

/*
 * A position's number at *p, or false when that member is not a number. The text
 * is valid JSON here; the usual coordinate, -?digits.digits with at most 15
 * digits, converts in line (gj_double's fast path, the same arithmetic).
 */
static bool gj_coord(const struct gj *g, size_t *p, double *v)
{
	struct gj_num n;
	const char *s = g->s;
	size_t q = gj_ws(g, *p), nd = 0, frac = 0;
	uint64_t m = 0;
	bool neg = false, dot = false;

#if FLT_EVAL_METHOD == 0
	if (q < g->len && s[q] == '-')
		neg = true, q++;
	for (; q < g->len && gj_digit(s[q]) && nd <= 15; q++)
		m = m * 10 + (uint64_t)(s[q] - '0'), nd++;
	if (q < g->len && s[q] == '.') {
		size_t f0 = ++q;
		dot = true;
		for (; q < g->len && gj_digit(s[q]) && nd <= 15; q++)
			m = m * 10 + (uint64_t)(s[q] - '0'), nd++;
		frac = q - f0;
	}
	if (nd > 0 && nd <= 15 && q < g->len && s[q] != 'e' && s[q] != 'E' && !gj_digit(s[q])) {
		*p = q + (s[q] == '\0'); /* gj_value's NUL quirk */
		if (!dot)
			*v = (double)(neg ? -(long long)m : (long long)m); /* jansson: an integer */
		else
			*v = neg ? -((double)m / gj_pow10[frac]) : (double)m / gj_pow10[frac];
		return true;
	}
#endif
	*p = gj_ws(g, *p);
	if (*p >= g->len || !(g->s[*p] == '-' || gj_digit(g->s[*p])) || !gj_number(g, p, &n))
		return false;
	*v = gj_double(g, &n);
	if (*p < g->len && g->s[*p] == '\0')
		(*p)++;
	return true;
}

/* [x, y, ...] at *p; the pair appended. */
static bool gj_position(struct gj_rings *r, size_t *pos)
{
	const struct gj *g = &r->g;
	size_t p = gj_ws(g, *pos);
	double x, y;

	if (p >= g->len || g->s[p] != '[')
		return false;
	p++;
	if (!gj_coord(g, &p, &x))
		return false;
	p = gj_ws(g, p);
	if (p >= g->len || g->s[p] != ',')
		return false;
	p++;
	if (!gj_coord(g, &p, &y))
		return false;
	for (p = gj_ws(g, p); p < g->len && g->s[p] == ','; p = gj_ws(g, p))
		p = gj_skip(g, p + 1);
	if (p >= g->len || g->s[p] != ']')
		return false;
	*pos = p + 1;
	if (*r->npts == *r->cap) {
		*r->cap = *r->cap ? *r->cap * 2 : 4096;
		if (*r->cap > SIZE_MAX / (2 * sizeof(double)))
			die_oom();
		*r->xy = realloc(*r->xy, *r->cap * 2 * sizeof(double));
		if (!*r->xy)
			die_oom();
	}
	(*r->xy)[2 * *r->npts] = x;
	(*r->xy)[2 * *r->npts + 1] = y;
	(*r->npts)++;
	return true;
}

/*
 * An array at *pos whose members each(r, &p) reads; -1 if it is not an array or
 * a member fails, or each's non-zero return. empty_ok: [] passes.
 */
static int gj_array(struct gj_rings *r, size_t *pos, bool empty_ok,
	int (*each)(struct gj_rings *, size_t *))
{
	const struct gj *g = &r->g;
	size_t p = gj_ws(g, *pos);
	int rc;

	if (p >= g->len || g->s[p] != '[')
		return -1;
	p = gj_ws(g, p + 1);
	if (p < g->len && g->s[p] == ']') {
		*pos = p + 1;
		return empty_ok ? 0 : -1;
	}
	for (;;) {
		if ((rc = each(r, &p)) != 0)
			return rc;
		p = gj_ws(g, p);
		if (p < g->len && g->s[p] == ',') {
			p++;
			continue;
		}
		if (p < g->len && g->s[p] == ']')
			break;
		return -1;
	}
	*pos = p + 1;
	return 0;
}

static int gj_position_each(struct gj_rings *r, size_t *p)
{
	return gj_position(r, p) ? 0 : -1;
}

static int gj_ring(struct gj_rings *r, size_t *p)
{
	size_t first = *r->npts;
	int rc = gj_array(r, p, true, gj_position_each);

	return rc ? rc : r->ring(r->arg, first, *r->npts - first);
}

static int gj_polygon(struct gj_rings *r, size_t *p)
{
	return gj_array(r, p, false, gj_ring);
}

int geojson_polygons(const struct geojson_feature *f, bool multi, double **xy, size_t *npts,
	size_t *cap, geojson_ring_fn ring, void *arg)
{
	struct gj_rings rings, *r = &rings;
	size_t p = f->coords_;

	r->g.s = f->text_;
	r->g.len = f->len_;
	r->xy = xy;
	r->npts = npts;
	r->cap = cap;
	r->ring = ring;
	r->arg = arg;
	return multi ? gj_array(r, &p, true, gj_polygon) : gj_polygon(r, &p);
}
