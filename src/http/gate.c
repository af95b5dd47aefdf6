#include "http/gate.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/log.h"
#include "http/request.h"

/* ---- the head scan: http/framing.h's scanner over the stream's first head ---- */

enum gate_scan gate_head_scan(const char *p, size_t n, size_t budget, struct gate_verdict *v)
{
	struct frame f;
	const char *m;
	size_t done;

	memset(v, 0, sizeof(*v));
	frame_init(&f, budget);
	done = frame_scan(&f, p, n);
	if (f.event == FRAME_NONE)
		return GATE_MORE;
	/* a passed head's request line is whole; a refused one's as far as it was read */
	if (f.event == FRAME_HEAD || frame_method(&f, &m))
		v->method = (struct str){ p + f.method_off, f.method_len };
	if (f.event == FRAME_HEAD || frame_target(&f, &m))
		v->target = (struct str){ p + f.target_off, f.target_len };
	if (f.event == FRAME_HEAD) {
		v->head_len = done;
		return GATE_PASS;
	}
	v->status = f.status;
	v->reason = f.reason;
	v->too_large = f.too_large;
	return GATE_REFUSE;
}

/* ---- the gate's thread: accept, hold, pass or answer ---- */

/* A connection the gate holds: its head is not complete, or it was answered and drains. */
struct held {
	struct held *prev, *next;
	int fd;
	int lingering; /* answered and shut for writing: read and dropped until the client closes */
	int in_epoll;
	uint64_t deadline;
	socklen_t addrlen;
	struct sockaddr_storage addr;
};

/* How many connections one address has open, in the gate or in libmicrohttpd. */
struct ip_slot {
	struct ip_slot *next;
	unsigned char key[17];
	unsigned count;
};

#define IP_BUCKETS 1024
/* How long an answered connection may take to read the answer and close its end. */
#define LINGER_NS (2ull * 1000000000u)
#define SWEEP_NS (250ull * 1000 * 1000)

struct gate {
	struct gate_options opt;
	uint64_t head_timeout_ns;
	int epfd, stopfd;
	pthread_t thread;
	struct held *held; /* the gate thread's alone */
	char *peek;        /* head_budget + 1 bytes */
	struct arena *arena;
	uint64_t listen_paused_until; /* out of descriptors: accept again later */
	int stopped;
	/* the limits: taken by the gate thread, given back from libmicrohttpd's too */
	pthread_mutex_t lock;
	unsigned open;
	struct ip_slot *ips[IP_BUCKETS];
};

static size_t ip_key(const struct sockaddr *sa, unsigned char key[17], unsigned *bucket)
{
	size_t len = 1;
	uint32_t h = 2166136261u;

	memset(key, 0, 17);
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		len += 4;
	} else if (sa->sa_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		len += 16;
	}
	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	*bucket = h % IP_BUCKETS;
	return len;
}

/* Takes a place under the connection limit and the address's cap; -1 when either is full. */
static int limits_take(struct gate *g, const struct sockaddr *sa)
{
	unsigned char key[17];
	unsigned b;
	struct ip_slot *s;
	int rc = -1;

	ip_key(sa, key, &b);
	pthread_mutex_lock(&g->lock);
	if (g->open >= g->opt.connection_limit)
		goto out;
	for (s = g->ips[b]; s && memcmp(s->key, key, sizeof(key)); s = s->next)
		;
	if (s && g->opt.per_ip_limit && s->count >= g->opt.per_ip_limit)
		goto out;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			die_oom();
		memcpy(s->key, key, sizeof(key));
		s->next = g->ips[b];
		g->ips[b] = s;
	}
	s->count++;
	g->open++;
	rc = 0;
out:
	pthread_mutex_unlock(&g->lock);
	return rc;
}

void gate_conn_closed(struct gate *g, const struct sockaddr *sa)
{
	unsigned char key[17];
	unsigned b;

	ip_key(sa, key, &b);
	pthread_mutex_lock(&g->lock);
	for (struct ip_slot **pp = &g->ips[b]; *pp; pp = &(*pp)->next) {
		struct ip_slot *s = *pp;
		if (memcmp(s->key, key, sizeof(key)))
			continue;
		if (--s->count == 0) {
			*pp = s->next;
			free(s);
		}
		g->open--;
		break;
	}
	pthread_mutex_unlock(&g->lock);
}

static void held_unlink(struct gate *g, struct held *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else
		g->held = h->next;
	if (h->next)
		h->next->prev = h->prev;
}

static void held_close(struct gate *g, struct held *h)
{
	held_unlink(g, h);
	close(h->fd); /* also leaves the epoll set */
	gate_conn_closed(g, (struct sockaddr *)&h->addr);
	free(h);
}

/* Reads and drops what the client sends; 0 once it has closed its end (or failed). */
static int drain(int fd)
{
	char sink[4096];
	for (;;) {
		ssize_t n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

/* Returns 1 while h is still held (draining), 0 once closed. */
static int answer_refused(struct gate *g, struct held *h, const struct gate_verdict *v)
{
	struct str a = g->opt.answer(g->opt.arg, g->arena, v, (struct sockaddr *)&h->addr);
	ssize_t w;

	do
		w = send(h->fd, a.ptr, a.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (w < 0 && errno == EINTR);
	arena_reset(g->arena);
	/*
	 * Closing with unread bytes would reset the connection, and the client could lose the
	 * answer: shut the sending side, then read until the client closes (or LINGER_NS).
	 */
	shutdown(h->fd, SHUT_WR);
	h->lingering = 1;
	h->deadline = clock_monotonic_ns() + LINGER_NS;
	if (drain(h->fd))
		return 1;
	held_close(g, h);
	return 0;
}

/*
 * Looks at what has arrived of the head (nothing is consumed): wait, pass on or answer.
 * events are epoll's: a client that has shut its sending side cannot complete a head.
 */
static int inspect(struct gate *g, struct held *h, uint32_t events)
{
	struct gate_verdict v;
	ssize_t n;

	if (h->lingering) {
		if (drain(h->fd))
			return 1;
		held_close(g, h);
		return 0;
	}
	do
		n = recv(h->fd, g->peek, g->opt.head_budget + 1, MSG_PEEK | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 1;
	if (n <= 0) {
		held_close(g, h); /* the client left before sending a head */
		return 0;
	}
	switch (gate_head_scan(g->peek, (size_t)n, g->opt.head_budget, &v)) {
	case GATE_MORE:
		if (!(events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
			return 1;
		held_close(g, h);
		return 0;
	case GATE_REFUSE:
		return answer_refused(g, h, &v);
	case GATE_PASS:
		break;
	}
	if (h->in_epoll)
		epoll_ctl(g->epfd, EPOLL_CTL_DEL, h->fd, NULL); /* before it is libmicrohttpd's */
	held_unlink(g, h);
	if (g->opt.pass(g->opt.arg, h->fd, (struct sockaddr *)&h->addr, h->addrlen) != 0)
		gate_conn_closed(g, (struct sockaddr *)&h->addr); /* closed by the failed hand-over */
	free(h);
	return 0;
}

static void accept_all(struct gate *g)
{
	for (;;) {
		struct held *h;
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct epoll_event ev;
		int fd = accept4(g->opt.listen_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				/* the backlog waits; polling the listener now would spin */
				log_warn("http: cannot accept a connection: %s", strerror(errno));
				epoll_ctl(g->epfd, EPOLL_CTL_DEL, g->opt.listen_fd, NULL);
				g->listen_paused_until = clock_monotonic_ns() + 100ull * 1000 * 1000;
			}
			return;
		}
		if (limits_take(g, (struct sockaddr *)&ss) < 0) {
			close(fd); /* as libmicrohttpd did at its limits */
			continue;
		}
		h = calloc(1, sizeof(*h));
		if (!h)
			die_oom();
		h->fd = fd;
		h->addr = ss;
		h->addrlen = sl;
		h->deadline = clock_monotonic_ns() + g->head_timeout_ns;
		h->next = g->held;
		if (g->held)
			g->held->prev = h;
		g->held = h;
		/* the head has usually arrived with the connection: then it never enters the set */
		if (!inspect(g, h, 0))
			continue;
		ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET; /* reports what arrived since the peek too */
		ev.data.ptr = h;
		if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
			held_close(g, h);
		else
			h->in_epoll = 1;
	}
}

/* Closes the connections whose head (or whose answer's reading) is late. */
static void sweep(struct gate *g, uint64_t now)
{
	unsigned cut = 0;
	struct held *next;

	for (struct held *h = g->held; h; h = next) {
		next = h->next;
		if (now <= h->deadline)
			continue;
		cut += !h->lingering;
		held_close(g, h);
	}
	if (cut)
		log_info("http: closed %u connection(s) whose request head was not complete in time", cut);
	if (g->listen_paused_until && now >= g->listen_paused_until) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
		g->listen_paused_until = 0;
		epoll_ctl(g->epfd, EPOLL_CTL_ADD, g->opt.listen_fd, &ev);
	}
}

static void *gate_main(void *arg)
{
	struct gate *g = arg;
	struct epoll_event evs[64];
	uint64_t next_sweep = clock_monotonic_ns() + SWEEP_NS;

	for (;;) {
		int n = epoll_wait(g->epfd, evs, 64, 250);
		uint64_t now;

		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL)
				accept_all(g);
			else if (evs[i].data.ptr == &g->stopfd)
				return NULL;
			else
				inspect(g, evs[i].data.ptr, evs[i].events);
		}
		now = clock_monotonic_ns();
		if (now >= next_sweep) {
			sweep(g, now);
			next_sweep = now + SWEEP_NS;
		}
	}
}

int gate_start(const struct gate_options *opt, struct gate **out)
{
	struct gate *g = calloc(1, sizeof(*g));
	struct epoll_event ev;

	if (!g)
		die_oom();
	g->opt = *opt;
	g->head_timeout_ns = (uint64_t)opt->head_timeout_s * 1000000000u;
	g->peek = malloc(opt->head_budget + 1);
	if (!g->peek)
		die_oom();
	g->arena = arena_create(16 * 1024);
	pthread_mutex_init(&g->lock, NULL);
	g->epfd = epoll_create1(EPOLL_CLOEXEC);
	g->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g->epfd < 0 || g->stopfd < 0)
		goto fail;
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, opt->listen_fd, &ev) != 0)
		goto fail;
	ev.data.ptr = &g->stopfd;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, g->stopfd, &ev) != 0)
		goto fail;
	/*
	 * *out before the thread: the first connection can be passed to libmicrohttpd, and
	 * closed there (gate_conn_closed(*out)), before pthread_create() returns.
	 */
	*out = g;
	if (pthread_create(&g->thread, NULL, gate_main, g) != 0) {
		*out = NULL;
		goto fail;
	}
	return 0;
fail:
	log_error("http: cannot start the connection gate: %s", strerror(errno));
	g->opt.listen_fd = -1; /* still the caller's */
	g->thread = pthread_self();
	gate_free(g);
	return -1;
}

void gate_stop(struct gate *g)
{
	uint64_t one = 1;

	if (!g || g->stopped)
		return;
	g->stopped = 1;
	if (!pthread_equal(g->thread, pthread_self())) {
		if (write(g->stopfd, &one, sizeof(one)) != sizeof(one))
			log_warn("http: cannot wake the connection gate: %s", strerror(errno));
		pthread_join(g->thread, NULL);
	}
	while (g->held)
		held_close(g, g->held);
	if (g->opt.listen_fd >= 0)
		close(g->opt.listen_fd);
	if (g->epfd >= 0)
		close(g->epfd);
	if (g->stopfd >= 0)
		close(g->stopfd);
}

void gate_free(struct gate *g)
{
	if (!g)
		return;
	gate_stop(g);
	for (size_t b = 0; b < IP_BUCKETS; b++)
		while (g->ips[b]) {
			struct ip_slot *s = g->ips[b];
			g->ips[b] = s->next;
			free(s);
		}
	pthread_mutex_destroy(&g->lock);
	arena_destroy(g->arena);
	free(g->peek);
	free(g);
}
