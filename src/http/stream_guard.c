/* recv() is defined here: glibc's fortified inline one must not be declared in this file. */
#undef _FORTIFY_SOURCE

#include "http/stream_guard.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/log.h"

struct stream_guard {
	struct frame f;
	/*
	 * Bytes read from the socket and not yet handed on: the first ready of them are
	 * (they lie before the safe point), the rest is a head, chunk-size line or trailer
	 * section still incomplete, already scanned.
	 */
	char *stash;
	size_t cap, len, ready;
	/* at a fault: what ends the stream instead, then nothing */
	int faulted;
	char sub[192];
	size_t sub_len, sub_off;
	struct stream_fault fault;
};

/* ---- the request that stands for a faulty head ---- */

static char fault_path[64];
static pthread_once_t fault_path_once = PTHREAD_ONCE_INIT;

static void fault_path_init(void)
{
	unsigned char r[16];
	char *p;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		uint64_t x;
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 32;
		for (size_t i = 0; i < sizeof(r); i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
			r[i] = (unsigned char)(x >> 56);
	}
	p = fault_path + snprintf(fault_path, sizeof(fault_path), "/.rentd-stream-fault/");
	for (size_t i = 0; i < sizeof(r); i++, p += 2) {
		p[0] = "0123456789abcdef"[r[i] >> 4];
		p[1] = "0123456789abcdef"[r[i] & 15];
	}
	*p = '\0';
}

const char *stream_guard_fault_path(void)
{
	pthread_once(&fault_path_once, fault_path_init);
	return fault_path;
}

/* ---- one connection's stream ---- */

struct stream_guard *stream_guard_new(size_t budget)
{
	struct stream_guard *g = calloc(1, sizeof(*g));

	if (!g)
		die_oom();
	frame_init(&g->f, budget);
	return g;
}

void stream_guard_free(struct stream_guard *g)
{
	if (!g)
		return;
	free(g->stash);
	free(g);
}

int stream_guard_fault_of(const struct stream_guard *g, struct stream_fault *out)
{
	if (!g->faulted)
		return 0;
	*out = g->fault;
	return 1;
}

/* The fault the scanner found: the stream ends at the safe point with g->sub. */
static void fault_found(struct stream_guard *g)
{
	const struct frame *f = &g->f;
	struct stream_fault *sf = &g->fault;

	g->faulted = 1;
	sf->message = f->message;
	sf->in_body = f->at != FRAME_AT_MESSAGE;
	sf->status = f->status;
	sf->reason = f->reason;
	sf->too_large = f->too_large;
	sf->method_len = frame_method(f, &sf->method);
	sf->target_len = frame_target(f, &sf->target);
	switch (f->at) {
	case FRAME_AT_MESSAGE:
		g->sub_len = (size_t)snprintf(g->sub, sizeof(g->sub),
					      "GET %s HTTP/1.1\r\nHost: rentd\r\nConnection: close\r\n\r\n",
					      stream_guard_fault_path());
		break;
	case FRAME_AT_CHUNK: /* where a chunk-size line would begin: the last chunk */
		g->sub_len = (size_t)snprintf(g->sub, sizeof(g->sub), "0\r\n\r\n");
		break;
	case FRAME_AT_CHUNK_END: /* after a chunk's data: its CRLF, then the last chunk */
		g->sub_len = (size_t)snprintf(g->sub, sizeof(g->sub), "\r\n0\r\n\r\n");
		break;
	default: /* FRAME_AT_TRAILERS: the end of the trailer section */
		g->sub_len = (size_t)snprintf(g->sub, sizeof(g->sub), "\r\n");
		break;
	}
	g->sub_off = 0;
}

/*
 * Scans n new bytes at p (they follow the g->len withheld ones). Returns how many bytes,
 * counted from the first withheld one, lie before the safe point; at a fault sets
 * g->faulted, and the bytes after the safe point are to be dropped.
 */
static size_t scan(struct stream_guard *g, const char *p, size_t n)
{
	uint64_t base = g->f.pos - g->len;
	size_t done = 0;

	while (done < n) {
		done += frame_scan(&g->f, p + done, n - done);
		if (g->f.event == FRAME_FAULT) {
			fault_found(g);
			break;
		}
	}
	return (size_t)(g->f.safe - base);
}

static void stash_room(struct stream_guard *g)
{
	if (g->stash)
		return;
	/* a withheld unit is at most a head within the budget, or a chunk-size line */
	g->cap = (g->f.budget > FRAME_CHUNK_LINE_MAX + 2 ? g->f.budget : FRAME_CHUNK_LINE_MAX + 2) + 1;
	g->stash = malloc(g->cap);
	if (!g->stash)
		die_oom();
}

static void stash_drop(struct stream_guard *g, size_t k)
{
	memmove(g->stash, g->stash + k, g->len - k);
	g->len -= k;
	g->ready -= k < g->ready ? k : g->ready;
}

/*
 * libmicrohttpd with epoll reads until a read comes back short, and takes a short read
 * to mean the socket is drained (it waits for the next edge): so a read is short here only
 * when the socket's read was, and a read from it is never answered short for withheld
 * bytes while more may wait in the socket.
 */
ssize_t stream_guard_recv(struct stream_guard *g, ssize_t (*real)(void *arg, char *buf, size_t len), void *arg,
			  char *buf, size_t len)
{
	size_t out = 0;

	if (len == 0)
		return real(arg, buf, 0);
	for (;;) {
		ssize_t n;

		if (g->ready) {
			size_t c = g->ready < len - out ? g->ready : len - out;
			memcpy(buf + out, g->stash, c);
			stash_drop(g, c);
			out += c;
		}
		if (g->faulted && !g->ready && g->sub_off < g->sub_len) {
			size_t c = g->sub_len - g->sub_off < len - out ? g->sub_len - g->sub_off : len - out;
			memcpy(buf + out, g->sub + g->sub_off, c);
			g->sub_off += c;
			out += c;
		}
		if (out == len)
			return (ssize_t)out;
		if (g->faulted) {
			if (out)
				return (ssize_t)out;
			/*
			 * Nothing after the fault is handed on. The end of the stream is not
			 * either: the request standing for the fault may still wait in
			 * libmicrohttpd's buffer behind earlier ones, and it closes the
			 * connection after answering it.
			 */
			n = real(arg, buf, len);
			if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				return n;
			errno = EAGAIN;
			return -1;
		}
		if (g->len == 0) { /* nothing withheld: read in place, then withhold an incomplete tail */
			size_t want = len - out, d;
			n = real(arg, buf + out, want);
			if (n <= 0)
				return out ? (ssize_t)out : n;
			d = scan(g, buf + out, (size_t)n);
			if (d < (size_t)n && !g->faulted) {
				stash_room(g);
				memcpy(g->stash, buf + out + d, (size_t)n - d);
				g->len = (size_t)n - d;
			}
			out += d;
			if (g->faulted)
				continue;
			if ((size_t)n < want) {
				if (out)
					return (ssize_t)out;
				errno = EAGAIN;
				return -1;
			}
			if (g->len == 0)
				return (ssize_t)out;
			continue; /* a full read with a tail withheld: the socket may hold more */
		}
		/* an incomplete unit is withheld: what comes next continues it */
		{
			size_t room = g->cap - g->len, d;
			n = real(arg, g->stash + g->len, room);
			if (n <= 0)
				return out ? (ssize_t)out : n;
			d = scan(g, g->stash + g->len, (size_t)n);
			g->len += (size_t)n;
			if (g->faulted)
				g->len = d; /* what lies after the safe point is dropped */
			g->ready = d;
			if (g->ready || g->faulted)
				continue;
			if ((size_t)n < room) {
				if (out)
					return (ssize_t)out;
				errno = EAGAIN;
				return -1;
			}
			/* a full stash without a verdict cannot be: the scanner refuses first */
			log_error("http: the stream guard's buffer is full without a verdict");
			errno = ECONNRESET;
			return -1;
		}
	}
}

/* ---- the descriptors handed to libmicrohttpd ---- */

#define PAGE_BITS 10
#define PAGES 1024 /* descriptors below 2^20 */

struct page {
	_Atomic(struct stream_guard *) slot[1 << PAGE_BITS];
};

static _Atomic(struct page *) pages[PAGES];

static _Atomic(struct stream_guard *) *slot_of(int fd, int create)
{
	struct page *pg;

	if (fd < 0 || (fd >> PAGE_BITS) >= PAGES)
		return NULL;
	pg = atomic_load_explicit(&pages[fd >> PAGE_BITS], memory_order_acquire);
	if (!pg && create) {
		struct page *fresh = calloc(1, sizeof(*fresh));
		if (!fresh)
			die_oom();
		if (atomic_compare_exchange_strong(&pages[fd >> PAGE_BITS], &pg, fresh))
			pg = fresh;
		else
			free(fresh); /* pg is the page another thread made */
	}
	return pg ? &pg->slot[fd & ((1 << PAGE_BITS) - 1)] : NULL;
}

void stream_guard_register(int fd, size_t budget)
{
	_Atomic(struct stream_guard *) *s = slot_of(fd, 1);
	struct stream_guard *old;

	if (!s) {
		log_warn("http: descriptor %d is beyond the stream guard's table: its requests are not framed", fd);
		return;
	}
	/* a registration left behind cannot be in use: fd was closed and given out again */
	old = atomic_exchange_explicit(s, stream_guard_new(budget), memory_order_acq_rel);
	stream_guard_free(old);
}

void stream_guard_release(int fd)
{
	_Atomic(struct stream_guard *) *s = slot_of(fd, 0);

	if (s)
		stream_guard_free(atomic_exchange_explicit(s, NULL, memory_order_acq_rel));
}

static struct stream_guard *guard_of(int fd)
{
	_Atomic(struct stream_guard *) *s = slot_of(fd, 0);
	return s ? atomic_load_explicit(s, memory_order_acquire) : NULL;
}

int stream_guard_fault(int fd, struct stream_fault *out)
{
	struct stream_guard *g = guard_of(fd);
	return g ? stream_guard_fault_of(g, out) : 0;
}

/* ---- recv(), as libmicrohttpd calls it ---- */

typedef ssize_t (*recv_fn)(int, void *, size_t, int);
static _Atomic(recv_fn) next_recv;

static ssize_t real_recv(int fd, void *buf, size_t len, int flags)
{
	recv_fn fn = atomic_load_explicit(&next_recv, memory_order_relaxed);

	if (!fn) {
		/* the next definition: libc's, or a sanitizer's interceptor in front of it */
		void *sym = dlsym(RTLD_NEXT, "recv");
		if (sym) {
			memcpy(&fn, &sym, sizeof(fn));
			atomic_store_explicit(&next_recv, fn, memory_order_relaxed);
		}
	}
	if (fn)
		return fn(fd, buf, len, flags);
	return syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL);
}

static ssize_t socket_read(void *arg, char *buf, size_t len)
{
	return real_recv(*(int *)arg, buf, len, 0);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	struct stream_guard *g = flags ? NULL : guard_of(fd);

	if (!g)
		return real_recv(fd, buf, len, flags);
	return stream_guard_recv(g, socket_read, &fd, buf, len);
}
