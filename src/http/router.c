#include "http/router.h"

#include <stdlib.h>
#include <string.h>

#include "http/query.h"

enum seg_kind { SEG_LITERAL, SEG_INT, SEG_STR };

struct rnode {
	enum seg_kind kind;
	char *literal;      /* SEG_LITERAL */
	size_t literal_len;
	char *param_name;   /* SEG_INT / SEG_STR */
	struct rnode **children;
	size_t nchildren;
	const void *targets[HTTP_METHOD_COUNT];
};

struct router {
	struct rnode root;
};

/* router_add's allocations: NULL on failure (or when a test says so), and router_add fails */
static void *try_calloc(size_t n, size_t size)
{
	return alloc_fault(n * size) ? NULL : calloc(n, size);
}

static char *try_strndup(const char *s, size_t n)
{
	char *p = try_calloc(1, n + 1);
	if (p)
		memcpy(p, s, n);
	return p;
}

struct router *router_create(void)
{
	struct router *r = calloc(1, sizeof(struct router));
	if (!r)
		die_oom();
	return r;
}

static void node_free(struct rnode *n)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		node_free(n->children[i]);
		free(n->children[i]);
	}
	free(n->children);
	free(n->literal);
	free(n->param_name);
}

void router_destroy(struct router *r)
{
	if (!r)
		return;
	node_free(&r->root);
	free(r);
}

/* Finds or adds the child for one pattern segment. */
static struct rnode *child_for(struct rnode *n, const char *seg, size_t len)
{
	enum seg_kind kind = SEG_LITERAL;
	const char *name = NULL;
	size_t name_len = 0;
	struct rnode *c, **children;

	if (len >= 2 && seg[0] == '{' && seg[len - 1] == '}') {
		name = seg + 1;
		name_len = len - 2;
		kind = SEG_STR;
		if (name_len >= 4 && memcmp(name + name_len - 4, ":int", 4) == 0) {
			kind = SEG_INT;
			name_len -= 4;
		}
		/* "{:int}", "{id:integer}", "{a{b}": a typo must fail at start, not become a string */
		if (name_len == 0 || memchr(name, ':', name_len) || memchr(name, '{', name_len) ||
		    memchr(name, '}', name_len))
			return NULL;
	} else if (memchr(seg, '{', len) || memchr(seg, '}', len)) {
		return NULL;
	}
	for (size_t i = 0; i < n->nchildren; i++) {
		c = n->children[i];
		if (c->kind != kind)
			continue;
		if (kind == SEG_LITERAL && c->literal_len == len && memcmp(c->literal, seg, len) == 0)
			return c;
		if (kind != SEG_LITERAL) {
			/* one parameter child per kind: names must agree */
			if (strlen(c->param_name) != name_len || memcmp(c->param_name, name, name_len) != 0)
				return NULL;
			return c;
		}
	}
	/* out of memory: nothing half-built is left behind, and router_add fails */
	if (alloc_fault((n->nchildren + 1) * sizeof(*n->children)))
		return NULL;
	children = realloc(n->children, (n->nchildren + 1) * sizeof(*n->children));
	if (!children)
		return NULL;
	n->children = children;
	c = try_calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->kind = kind;
	if (kind == SEG_LITERAL) {
		c->literal = try_strndup(seg, len);
		c->literal_len = len;
	} else {
		c->param_name = try_strndup(name, name_len);
	}
	if (!c->literal && !c->param_name) {
		free(c);
		return NULL;
	}
	n->children[n->nchildren++] = c;
	return c;
}

int router_add(struct router *r, enum http_method method, const char *pattern, const void *target)
{
	struct rnode *n = &r->root;
	const char *p = pattern;
	int params = 0;

	if (pattern[0] != '/' || method == HTTP_HEAD || method >= HTTP_OTHER || !target)
		return -1;
	p++;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0) {
			if (slash)
				return -1; /* "//" */
			break;         /* trailing slash in a pattern: optional anyway */
		}
		n = child_for(n, p, len);
		if (!n)
			return -1;
		if (n->kind != SEG_LITERAL && ++params > ROUTER_MAX_PARAMS)
			return -1;
		p += len;
		if (*p == '/')
			p++;
	}
	if (n->targets[method])
		return -1;
	n->targets[method] = target;
	return 0;
}

static int seg_is_positive_int(struct str s, int64_t *out)
{
	return str_to_int64(s, out) == 0 && *out > 0;
}

struct match_state {
	struct arena *arena;
	enum http_method method;
	struct str segs[ROUTER_MAX_SEGMENTS];
	size_t nsegs;
	struct router_match *m;
	const struct rnode *other_method; /* first node matching the path but not the method */
	struct route_params other_params;
	unsigned other_allowed; /* methods of every node matching the path, for Allow */
};

static int method_slot(const struct rnode *n, enum http_method method)
{
	if (method == HTTP_HEAD)
		method = HTTP_GET;
	return n->targets[method] != NULL;
}

static int node_has_any(const struct rnode *n)
{
	for (int i = 0; i < HTTP_METHOD_COUNT; i++)
		if (n->targets[i])
			return 1;
	return 0;
}

static int walk(struct match_state *st, const struct rnode *n, size_t depth)
{
	struct route_params *p = &st->m->params;

	if (depth == st->nsegs) {
		if (method_slot(n, st->method)) {
			st->m->target = n->targets[st->method == HTTP_HEAD ? HTTP_GET : st->method];
			return 1;
		}
		if (node_has_any(n)) {
			if (!st->other_method) {
				st->other_method = n;
				st->other_params = *p;
			}
			for (int k = 0; k < HTTP_OTHER; k++)
				if (n->targets[k])
					st->other_allowed |= 1u << k;
		}
		return 0;
	}
	/* literals first, then integers, then strings */
	for (int pass = SEG_LITERAL; pass <= SEG_STR; pass++) {
		for (size_t i = 0; i < n->nchildren; i++) {
			const struct rnode *c = n->children[i];
			struct str seg = st->segs[depth];
			int64_t iv = 0;
			struct str decoded;
			int rc;

			if ((int)c->kind != pass)
				continue;
			if (c->kind == SEG_LITERAL) {
				if (c->literal_len != seg.len || memcmp(c->literal, seg.ptr, seg.len) != 0)
					continue;
				if (walk(st, c, depth + 1))
					return 1;
				continue;
			}
			if (c->kind == SEG_INT && !seg_is_positive_int(seg, &iv))
				continue;
			/* a branch left by a rejected router_add may hold one parameter too many */
			if (p->n == ROUTER_MAX_PARAMS)
				continue;
			/* a decoded segment is no longer than the request line, which the HTTP layer
			 * caps: no room for it means no room for anything, and a 404 would be a lie */
			rc = url_decode(st->arena, seg, 0, &decoded);
			if (rc == URL_DECODE_NO_MEMORY)
				die_oom();
			if (rc < 0 || decoded.len == 0)
				continue;
			p->names[p->n] = c->param_name;
			p->values[p->n] = decoded;
			p->ints[p->n] = iv;
			p->n++;
			if (walk(st, c, depth + 1))
				return 1;
			p->n--;
		}
	}
	return 0;
}

enum router_result router_match(const struct router *r, struct arena *arena, enum http_method method,
				struct str path, struct router_match *m)
{
	struct match_state st;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (path.len == 0 || path.ptr[0] != '/')
		return ROUTER_NOT_FOUND;
	if (path.len > 1 && path.ptr[path.len - 1] == '/') {
		path.len--; /* one optional trailing slash */
		if (path.ptr[path.len - 1] == '/')
			return ROUTER_NOT_FOUND; /* "//" at the end is an empty segment */
	}
	st.arena = arena;
	st.method = method;
	st.nsegs = 0;
	st.m = m;
	st.other_method = NULL;
	st.other_allowed = 0;
	i = 1;
	while (i < path.len) {
		size_t start = i;
		while (i < path.len && path.ptr[i] != '/')
			i++;
		if (i == start || st.nsegs == ROUTER_MAX_SEGMENTS)
			return ROUTER_NOT_FOUND; /* empty segment, or absurdly deep */
		st.segs[st.nsegs++] = (struct str){ path.ptr + start, i - start };
		i++;
	}
	/* HTTP_OTHER never has a target, so an unknown method on a known path is a 405 */
	if (walk(&st, &r->root, 0))
		return ROUTER_FOUND;
	if (st.other_method) {
		m->params = st.other_params;
		m->allowed = st.other_allowed;
		if (m->allowed & (1u << HTTP_GET))
			m->allowed |= 1u << HTTP_HEAD;
		return ROUTER_METHOD_NOT_ALLOWED;
	}
	return ROUTER_NOT_FOUND;
}

char *router_allow_header(struct arena *arena, unsigned allowed)
{
	struct buf b;
	buf_init(&b, arena, 64);
	for (int k = 0; k < HTTP_OTHER; k++) {
		if (!(allowed & (1u << k)))
			continue;
		if (b.len)
			buf_append(&b, ", ", 2);
		buf_append_cstr(&b, http_method_name((enum http_method)k));
	}
	buf_putc(&b, '\0');
	return b.ptr;
}

struct str route_param(const struct route_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return p->values[i];
	return STR_NULL;
}

int64_t route_param_int(const struct route_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return p->ints[i];
	return 0;
}
