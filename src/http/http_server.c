#include "http/http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "http/gate.h"
#include "http/stream_guard.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct gate *gate; /* accepts, and holds each connection until its first head is read */
	http_handler handler;
	http_submit submit;
	void *arg;
	size_t body_limit;
	enum http_body_plan (*body_plan)(void *arg, struct request *req, uint64_t *limit);
	char spool_dir[1024];
	unsigned port;
	atomic_int in_flight;
	atomic_int draining;
	uint64_t head_timeout_ns; /* a new connection's first request head */
	uint64_t idle_timeout_ns; /* the next head on a kept-alive connection */
	size_t head_budget;       /* the gate's, and the stream guard's */
	/* every open connection, for the watchdog that enforces the head deadlines */
	pthread_mutex_t conns_lock;
	pthread_cond_t watchdog_wake;
	struct http_conn *conns;
	pthread_t watchdog;
	int watchdog_running;
	int stopping; /* under conns_lock */
};

/*
 * One per connection (MHD_OPTION_NOTIFY_CONNECTION). libmicrohttpd drops some requests
 * without calling NOTIFY_COMPLETED (a second protocol error on one request sets the
 * connection CLOSED directly), so the request in progress is remembered here and
 * released when the connection closes, whatever libmicrohttpd did before.
 */
struct http_conn {
	struct http_conn *prev, *next;
	struct http_req *current; /* begun by on_uri, not yet completed */
	MHD_socket fd;
	uint64_t requests; /* begun so far: the next one's index in the stream (http/stream_guard.h) */
	struct sockaddr_storage addr; /* the client's, to give its place under the limits back */
	/*
	 * Monotonic ns by which the request head must be complete; 0 while a head is not
	 * awaited. libmicrohttpd's idle timeout restarts with every byte, so a client that
	 * sends one header line every few seconds would hold the connection for ever.
	 */
	_Atomic uint64_t head_deadline;
};

/* One per request, at the start of its own arena. */
struct http_req {
	struct request req;
	struct buf body;
	struct MHD_Connection *conn;
	struct http_conn *hc;
	int started;
	int answered;
	int suspended;
	size_t discarded; /* body bytes dropped past the limit */
	uint64_t limit;   /* this request's body limit */
	int spool_fd;     /* HTTP_BODY_SPOOL: the open spool file, else -1 */
	int refused;      /* answered from the headers: the body stays unread */
	uint64_t index;   /* of the request on its connection, from 0 */
	/* stands for a head the stream guard refused: answered with its fault */
	int stream_fault;
	int fault_status;
	const char *fault_reason;
	int fault_too_large;
	struct str fault_method;
};

/* How much of an over-limit chunked body is drained to be able to answer 413. */
#define DISCARD_LIMIT (16u * 1024 * 1024)

/*
 * Each worker thread keeps one arena between requests: no malloc on the hot path.
 * A thread-specific key (not _Thread_local) so the arena is freed when libmicrohttpd's
 * worker threads exit.
 */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_destroy(void *a)
{
	arena_destroy(a);
}

static void spare_init(void)
{
	if (pthread_key_create(&spare_key, spare_destroy) != 0)
		die_oom();
}

static struct arena *spare_take(void)
{
	struct arena *a;
	pthread_once(&spare_once, spare_init);
	a = pthread_getspecific(spare_key);
	if (a)
		pthread_setspecific(spare_key, NULL);
	return a;
}

/* Keeps a for the next request of this thread, or frees it if one is kept already. */
static void spare_give(struct arena *a)
{
	pthread_once(&spare_once, spare_init);
	if (pthread_getspecific(spare_key)) {
		arena_destroy(a);
		return;
	}
	arena_reset(a);
	pthread_setspecific(spare_key, a);
}

/* fmt is libmicrohttpd's; the attribute tells clang's -Wformat-nonliteral so. */
__attribute__((format(printf, 2, 0)))
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;
	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

/*
 * A request for the stream guard's fault path, in the place of a head it refused: the
 * request is the refused one (its method and target as far as they were read), answered
 * with the fault. Only the guard's own stand-in matches the path and the request's index.
 */
static void stream_fault_take(struct http_req *hr)
{
	struct stream_fault sf;
	const char *path = stream_guard_fault_path();
	struct arena *a = hr->req.arena;
	const char *q;

	if (!str_eq(hr->req.path, str_from_cstr(path)) || hr->req.query.len ||
	    !stream_guard_fault(hr->hc->fd, &sf) || sf.in_body || sf.message != hr->index)
		return;
	hr->stream_fault = 1;
	hr->fault_status = sf.status;
	hr->fault_reason = sf.reason;
	hr->fault_too_large = sf.too_large;
	hr->fault_method = (struct str){ arena_strndup(a, sf.method, sf.method_len), sf.method_len };
	q = sf.target_len ? memchr(sf.target, '?', sf.target_len) : NULL;
	if (q) {
		size_t plen = (size_t)(q - sf.target);
		hr->req.path = (struct str){ arena_strndup(a, sf.target, plen), plen };
		hr->req.query = (struct str){ arena_strndup(a, q + 1, sf.target_len - plen - 1),
					      sf.target_len - plen - 1 };
	} else {
		hr->req.path = (struct str){ arena_strndup(a, sf.target, sf.target_len), sf.target_len };
	}
}

/* Called first for every request with the raw URI: the only place MHD shows the query undecoded. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server *s = cls;
	struct arena *a = spare_take();
	struct http_req *hr;
	const char *q;
	size_t len = strlen(uri);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	if (!a)
		a = arena_create(16 * 1024);
	hr = arena_calloc(a, 1, sizeof(*hr));
	hr->req.arena = a;
	hr->req.start_ns = clock_monotonic_ns();
	hr->req.accepts_file_body = 1;
	hr->spool_fd = -1;
	q = memchr(uri, '?', len);
	if (q) {
		hr->req.path = (struct str){ arena_strndup(a, uri, (size_t)(q - uri)), (size_t)(q - uri) };
		hr->req.query = (struct str){ arena_strndup(a, q + 1, len - (size_t)(q - uri) - 1),
					      len - (size_t)(q - uri) - 1 };
		/*
		 * libmicrohttpd would next split the query into argument records in the
		 * connection's small memory pool: a few hundred "a=1&" overflow it, and its
		 * 431 is then lost (the request hangs until the timeout and is never
		 * completed). rentd parses the query itself (http/query.h), so the copy MHD
		 * parses is ended right after the '?': the URI is MHD's own writable read
		 * buffer, only handed to this callback as const.
		 */
		((char *)uri)[q - uri + 1] = '\0';
	} else {
		hr->req.path = (struct str){ arena_strndup(a, uri, len), len };
		hr->req.query = STR_LIT("");
	}
	hr->hc = ci ? ci->socket_context : NULL;
	if (hr->hc) {
		hr->hc->current = hr;
		hr->index = hr->hc->requests++;
		stream_fault_take(hr);
	}
	atomic_fetch_add(&s->in_flight, 1);
	return hr;
}

/* Closes and removes a spool file that is still being written (over the limit, failed, aborted). */
static void spool_drop(struct http_req *hr)
{
	if (hr->spool_fd < 0)
		return;
	close(hr->spool_fd);
	hr->spool_fd = -1;
	if (hr->req.body_file)
		unlink(hr->req.body_file);
	hr->req.body_file = NULL;
}

static int spool_open(struct http_server *s, struct http_req *hr)
{
	char *path = arena_printf(hr->req.arena, "%s/upload-XXXXXX", s->spool_dir);
	hr->spool_fd = mkostemp(path, O_CLOEXEC);
	if (hr->spool_fd < 0) {
		log_error("http: cannot create a spool file in %s: %s", s->spool_dir, strerror(errno));
		return -1;
	}
	hr->req.body_file = path;
	return 0;
}

static int spool_write(struct http_req *hr, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(hr->spool_fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("http: cannot write the spool file %s: %s", hr->req.body_file, strerror(errno));
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The end of a request begun by on_uri: its spool file, its arena and its in-flight count. */
static void request_release(struct http_server *s, struct http_req *hr)
{
	if (hr->hc) {
		hr->hc->current = NULL;
		/* the next request may take as long to arrive as an idle connection may stay */
		atomic_store(&hr->hc->head_deadline, clock_monotonic_ns() + s->idle_timeout_ns);
	}
	spool_drop(hr);
	if (hr->req.body_file && !hr->req.body_file_taken)
		unlink(hr->req.body_file);
	spare_give(hr->req.arena);
	atomic_fetch_sub(&s->in_flight, 1);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_req *hr = *con_cls;

	(void)c;
	(void)toe;
	if (!hr)
		return;
	*con_cls = NULL;
	request_release(cls, hr);
}

/*
 * Set when libmicrohttpd reports a connection STARTED on this thread: a hand-over that
 * fails after that has already been reported CLOSED, and given its place back.
 */
static _Thread_local int started_here;

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *s = cls;
	struct http_conn *hc = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		hc = calloc(1, sizeof(*hc));
		if (!hc)
			die_oom();
		const union MHD_ConnectionInfo *ai = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		hc->fd = ci ? ci->connect_fd : MHD_INVALID_SOCKET;
		if (ai && ai->client_addr)
			memcpy(&hc->addr, ai->client_addr,
			       ai->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
								      : sizeof(struct sockaddr_in));
		started_here = 1;
		atomic_store(&hc->head_deadline, clock_monotonic_ns() + s->head_timeout_ns);
		pthread_mutex_lock(&s->conns_lock);
		hc->next = s->conns;
		if (s->conns)
			s->conns->prev = hc;
		s->conns = hc;
		pthread_mutex_unlock(&s->conns_lock);
		*socket_context = hc;
		return;
	}
	if (!hc)
		return;
	/* before libmicrohttpd closes the socket: the watchdog never shuts down a reused descriptor */
	pthread_mutex_lock(&s->conns_lock);
	if (hc->prev)
		hc->prev->next = hc->next;
	else
		s->conns = hc->next;
	if (hc->next)
		hc->next->prev = hc->prev;
	pthread_mutex_unlock(&s->conns_lock);
	stream_guard_release(hc->fd); /* before libmicrohttpd closes it, and the number is given out again */
	if (hc->current) {
		log_warn("http: a request dropped by libmicrohttpd without completion is released");
		hc->current->hc = NULL;
		request_release(s, hc->current);
	}
	gate_conn_closed(s->gate, (struct sockaddr *)&hc->addr);
	*socket_context = NULL;
	free(hc);
}

/*
 * Cuts connections whose request head is late: shutdown() (not close: the descriptor stays
 * libmicrohttpd's) makes its next read see the end, and it closes the connection the usual way.
 */
static void *watchdog_main(void *arg)
{
	struct http_server *s = arg;

	pthread_mutex_lock(&s->conns_lock);
	while (!s->stopping) {
		struct timespec until;
		uint64_t now = clock_monotonic_ns();
		unsigned cut = 0;

		for (struct http_conn *hc = s->conns; hc; hc = hc->next) {
			uint64_t d = atomic_load(&hc->head_deadline);
			if (d && now > d && hc->fd != MHD_INVALID_SOCKET) {
				atomic_store(&hc->head_deadline, 0);
				shutdown(hc->fd, SHUT_RDWR);
				cut++;
			}
		}
		if (cut)
			log_info("http: closed %u connection(s) whose request head was not complete in time", cut);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->watchdog_wake, &s->conns_lock, &until);
	}
	pthread_mutex_unlock(&s->conns_lock);
	return NULL;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct request *req = cls;
	(void)kind;
	if (req->nheaders < REQUEST_MAX_HEADERS) {
		req->headers[req->nheaders].name = str_from_cstr(key);
		req->headers[req->nheaders].value = str_from_cstr(value ? value : "");
		req->nheaders++;
	}
	return MHD_YES;
}

static void client_address_of(const struct sockaddr *sa, struct request *req)
{
	char tmp[INET6_ADDRSTRLEN] = "";

	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, tmp, sizeof(tmp));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, tmp, sizeof(tmp));
	req->client_addr = (struct str){ arena_strndup(req->arena, tmp, strlen(tmp)), strlen(tmp) };
}

static void client_address(struct MHD_Connection *c, struct request *req)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	client_address_of(ci ? ci->client_addr : NULL, req);
}

struct head_scan {
	const char *head_end;  /* just past the blank line ending the head in MHD's read buffer */
	const char *prev_end;  /* the end of the previous header's value, NULL before the first */
	const char *reason;    /* the first fault found */
	int status;
	size_t count, hosts, lengths, encodings;
	const char *length;    /* the first Content-Length value */
	const char *encoding;  /* the Transfer-Encoding value */
};

static int head_fault(struct head_scan *h, int status, const char *reason)
{
	if (!h->reason) {
		h->reason = reason;
		h->status = status;
	}
	return 0;
}

/*
 * The bytes between the end of a header's value and the start of the next line are the
 * line end libmicrohttpd overwrote with NULs (one or two, and the blank line's after the
 * last header). Anything else there was behind a NUL inside the value, which MHD's
 * strlen() cut off; a value outside its line was unfolded (obsolete line folding).
 */
static int line_rest_clean(const char *from, const char *to, size_t max)
{
	if (!to || to <= from || (size_t)(to - from) > max)
		return 0;
	for (const char *p = from; p < to; p++)
		if (*p)
			return 0;
	return 1;
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
				   const char *value, size_t value_size)
{
	struct head_scan *h = cls;

	(void)kind;
	h->count++;
	if (h->prev_end && !line_rest_clean(h->prev_end, key, 2))
		head_fault(h, 400, "a header value contains a control character or is folded over lines");
	h->prev_end = value ? value + value_size : NULL;
	if (key_size == 0)
		head_fault(h, 400, "a header line has no name");
	for (size_t i = 0; i < key_size; i++)
		if (!http_is_tchar((unsigned char)key[i]))
			return head_fault(h, 400, "a header name contains a character a name may not have"), MHD_YES;
	for (size_t i = 0; value && i < value_size; i++) {
		unsigned char ch = (unsigned char)value[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return head_fault(h, 400, "a header value contains a control character"), MHD_YES;
	}
	if (strcasecmp(key, "Host") == 0)
		h->hosts++;
	if (strcasecmp(key, "Content-Length") == 0) {
		if (h->lengths++ && strcmp(h->length, value ? value : ""))
			head_fault(h, 400, "the request has Content-Length headers with different values");
		if (!h->length)
			h->length = value ? value : "";
	}
	if (strcasecmp(key, "Transfer-Encoding") == 0) {
		h->encodings++;
		h->encoding = value ? value : "";
	}
	return MHD_YES;
}

/*
 * The checks libmicrohttpd 0.9.75 leaves to the application (RFC 9112): the message
 * framing (§6.1, §6.3), Host (§3.2), control characters in fields (RFC 9110 §5.5) and
 * the sizes rentd reads. Returns the status to refuse the request with (0: none).
 */
static int head_check(struct MHD_Connection *c, struct http_req *hr, const char *method, const char *version)
{
	struct head_scan h;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	int http11 = strcmp(version, MHD_HTTP_VERSION_1_1) == 0;

	memset(&h, 0, sizeof(h));
	h.head_end = ci ? method + ci->header_size : NULL;
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_header, &h);
	if (h.prev_end && !line_rest_clean(h.prev_end, h.head_end, 4))
		head_fault(&h, 400, "a header value contains a control character or is folded over lines");
	if (hr->req.path.len + hr->req.query.len + 1 > HEAD_MAX_TARGET)
		head_fault(&h, 414, HEAD_TARGET_TOO_LONG);
	if (h.count > REQUEST_MAX_HEADERS)
		head_fault(&h, 431, "the request has more than 64 header fields");
	if (http11 && h.hosts == 0)
		head_fault(&h, 400, "an HTTP/1.1 request must have a Host header");
	if (h.hosts > 1)
		head_fault(&h, 400, "the request has more than one Host header");
	if (h.encodings && h.lengths)
		head_fault(&h, 400, "the request has both Content-Length and Transfer-Encoding");
	if (h.encodings && !http11)
		head_fault(&h, 400, "Transfer-Encoding needs HTTP/1.1");
	if (h.encodings > 1 || (h.encodings && !str_case_eq(str_trim(str_from_cstr(h.encoding)), STR_LIT("chunked"))))
		head_fault(&h, 400, "the only transfer coding accepted is chunked, alone");
	if (h.reason) {
		hr->req.reject_status = h.status;
		hr->req.reject_reason = h.reason;
	}
	return h.status;
}

static void resume_connection(void *arg)
{
	struct http_req *hr = arg;
	MHD_resume_connection(hr->conn);
}

static enum MHD_Result answer(struct http_server *s, struct MHD_Connection *c, struct http_req *hr)
{
	struct response resp;
	struct MHD_Response *r;
	enum MHD_Result ok;

	hr->answered = 1;
	hr->req.body = buf_str(&hr->body);
	if (hr->spool_fd >= 0) { /* complete: the handler reads it by path */
		close(hr->spool_fd);
		hr->spool_fd = -1;
	}
	hr->conn = c;
	hr->req.resume = resume_connection;
	hr->req.resume_arg = hr;
	if (s->handler(s->arg, &hr->req, &resp) == 1) {
		/* park the connection first: the job may finish, and resume it, at once */
		hr->suspended = 1;
		MHD_suspend_connection(c);
		s->submit(s->arg, &hr->req);
		return MHD_YES;
	}
	if (resp.has_file) {
		/* MHD owns the descriptor from here on and closes it */
		r = MHD_create_response_from_fd_at_offset64(resp.file_len, resp.file_fd, resp.file_offset);
		if (!r)
			close(resp.file_fd);
	} else {
		r = MHD_create_response_from_buffer(resp.body.len, resp.body.ptr, MHD_RESPMEM_PERSISTENT);
	}
	if (!r)
		return MHD_NO;
	if (resp.content_type.len)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					arena_strdup_str(hr->req.arena, resp.content_type));
	for (size_t i = 0; i < resp.nheaders; i++)
		MHD_add_response_header(r, arena_strdup_str(hr->req.arena, resp.headers[i].name),
					arena_strdup_str(hr->req.arena, resp.headers[i].value));
	if (resp.close_connection || hr->refused || atomic_load(&s->draining))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ok = MHD_queue_response(c, (unsigned)resp.status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct http_req *hr = *con_cls;

	(void)url;
	if (!hr)
		return MHD_NO;
	if (!hr->started) {
		struct str cl;
		int64_t n;
		enum http_body_plan plan;

		hr->started = 1;
		if (hr->hc)
			atomic_store(&hr->hc->head_deadline, 0); /* the head is in: the idle timeout rules */
		if (hr->stream_fault) { /* the head it stands for, refused as the gate refuses a first one */
			hr->req.method_name = hr->fault_method;
			hr->req.method = http_method_parse(hr->req.method_name);
			client_address(c, &hr->req);
			buf_init(&hr->body, hr->req.arena, 0);
			if (hr->fault_too_large) {
				hr->req.body_too_large = 1;
			} else {
				hr->req.reject_status = hr->fault_status;
				hr->req.reject_reason = hr->fault_reason;
			}
			hr->refused = 1;
			return answer(s, c, hr);
		}
		hr->req.method_name = (struct str){ arena_strndup(hr->req.arena, method, strlen(method)),
						    strlen(method) };
		hr->req.method = http_method_parse(hr->req.method_name);
		MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &hr->req);
		client_address(c, &hr->req);
		buf_init(&hr->body, hr->req.arena, 0);
		if (head_check(c, hr, method, version)) {
			hr->refused = 1; /* answered now, with Connection: close: the body is never read */
			return answer(s, c, hr);
		}
		hr->limit = s->body_limit;
		plan = s->body_plan ? s->body_plan(s->arg, &hr->req, &hr->limit) : HTTP_BODY_MEMORY;
		if (plan == HTTP_BODY_MEMORY)
			hr->limit = s->body_limit;
		if (plan == HTTP_BODY_REFUSE) {
			hr->refused = 1;
			return answer(s, c, hr); /* decided by the headers: none of the body is read */
		}
		cl = request_header(&hr->req, "Content-Length");
		if (cl.ptr && str_to_int64(cl, &n) == 0 && (uint64_t)n > hr->limit) {
			hr->req.body_too_large = 1;
			return answer(s, c, hr); /* refuse before reading a byte of it */
		}
		if (plan == HTTP_BODY_SPOOL && spool_open(s, hr) < 0) {
			hr->req.body_spool_failed = 1;
			return answer(s, c, hr);
		}
		/* the second call answers: answering now would make MHD close the connection */
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (hr->spool_fd >= 0) {
			if (hr->req.body_file_len + *upload_data_size > hr->limit) {
				hr->req.body_too_large = 1; /* chunked past the limit */
				spool_drop(hr);
			} else if (spool_write(hr, upload_data, *upload_data_size) < 0) {
				hr->req.body_spool_failed = 1;
				hr->req.body_too_large = 1; /* drain like an oversized body */
				spool_drop(hr);
			} else {
				hr->req.body_file_len += *upload_data_size;
			}
		} else if (!hr->req.body_too_large) {
			if (hr->body.len + *upload_data_size <= hr->limit) {
				buf_append(&hr->body, upload_data, *upload_data_size);
			} else {
				/* a body without Content-Length outgrew the limit: stop keeping it */
				hr->req.body_too_large = 1;
				hr->body.len = 0;
			}
		}
		if (hr->req.body_too_large) {
			/*
			 * libmicrohttpd cannot answer in the middle of an upload, so the rest is
			 * read and dropped, up to a bound; past it the connection is cut.
			 */
			hr->discarded += *upload_data_size;
			if (hr->discarded > DISCARD_LIMIT)
				return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (hr->suspended) {
		hr->suspended = 0; /* resumed: the handler finishes the request */
		return answer(s, c, hr);
	}
	if (hr->answered)
		return MHD_YES;
	if (hr->hc) { /* a chunk the stream guard refused ended this body early: answered, not handled */
		struct stream_fault sf;
		if (stream_guard_fault(hr->hc->fd, &sf) && sf.in_body && sf.message == hr->index) {
			hr->req.reject_status = sf.status;
			hr->req.reject_reason = sf.reason;
			hr->refused = 1;
		}
	}
	return answer(s, c, hr);
}

/* The gate's hand-over: libmicrohttpd owns fd from here on, and closes it even on failure. */
static int gate_pass(void *arg, int fd, const struct sockaddr *addr, socklen_t addrlen)
{
	struct http_server *s = arg;

	started_here = 0;
	stream_guard_register(fd, s->head_budget); /* before libmicrohttpd reads a byte of it */
	if (MHD_add_connection(s->daemon, fd, addr, addrlen) == MHD_YES)
		return 0;
	log_warn("http: libmicrohttpd refused a connection: %s", strerror(errno));
	if (started_here)
		return 0; /* reported closed: released there */
	stream_guard_release(fd);
	return -1;
}

/*
 * The gate's refusals, answered by the application like head_check()'s (the dialect's
 * JSON error, an access-log line) and written out here as libmicrohttpd would have.
 */
static struct str gate_answer(void *arg, struct arena *a, const struct gate_verdict *v,
			      const struct sockaddr *addr)
{
	struct http_server *s = arg;
	struct request *req = arena_calloc(a, 1, sizeof(*req));
	struct response resp;
	struct buf out;
	const char *q = memchr(v->target.ptr ? v->target.ptr : "", '?', v->target.len);
	const char *phrase;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	req->arena = a;
	req->start_ns = clock_monotonic_ns();
	req->method_name = (struct str){ arena_strndup(a, v->method.ptr ? v->method.ptr : "", v->method.len),
					 v->method.len };
	req->method = http_method_parse(req->method_name);
	req->path = (struct str){ arena_strndup(a, v->target.ptr ? v->target.ptr : "",
						q ? (size_t)(q - v->target.ptr) : v->target.len),
				  q ? (size_t)(q - v->target.ptr) : v->target.len };
	req->query = q ? (struct str){ arena_strndup(a, q + 1, v->target.len - req->path.len - 1),
				       v->target.len - req->path.len - 1 }
		       : STR_LIT("");
	client_address_of(addr, req);
	if (v->too_large) {
		req->body_too_large = 1;
	} else {
		req->reject_status = v->status;
		req->reject_reason = v->reason;
	}
	if (s->handler(s->arg, req, &resp) != 0 || resp.has_file) { /* neither for a refusal */
		resp.status = v->status;
		resp.body = (struct buf){ 0 };
		resp.content_type = (struct str){ 0 };
		resp.nheaders = 0;
	}
	phrase = MHD_get_reason_phrase_for((unsigned)resp.status);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	buf_init(&out, a, 512 + resp.body.len);
	buf_printf(&out, "HTTP/1.1 %d %s\r\nDate: %s\r\nConnection: close\r\n", resp.status,
		   phrase && *phrase ? phrase : "Error", date);
	if (resp.content_type.len)
		buf_printf(&out, "Content-Type: %.*s\r\n", STR_FMT(resp.content_type));
	for (size_t i = 0; i < resp.nheaders; i++)
		buf_printf(&out, "%.*s: %.*s\r\n", STR_FMT(resp.headers[i].name), STR_FMT(resp.headers[i].value));
	buf_printf(&out, "Content-Length: %zu\r\n\r\n", resp.body.len);
	buf_append(&out, resp.body.ptr, resp.body.len);
	return buf_str(&out);
}

/* The listening socket, as libmicrohttpd made it (SO_REUSEADDR; IPv6 only on "::"). */
static int listen_open(const struct addrinfo *ai, char *msg, size_t msglen)
{
	int one = 1;
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0)
		goto fail;
	return fd;
fail:
	snprintf(msg, msglen, "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static unsigned listen_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Enough descriptors for connection_limit connections (the usual soft limit is 1024). */
static void raise_fd_limit(unsigned connection_limit)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)connection_limit + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("http: cannot raise the open-file limit to %llu", (unsigned long long)want);
}

int http_server_start(const struct http_server_options *opt, http_handler handler, http_submit submit,
		      void *arg, struct http_server **out, char *msg, size_t msglen)
{
	struct addrinfo hints, *ai = NULL;
	char port[16];
	struct http_server *s;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_NO_LISTEN_SOCKET;
	unsigned threads = opt->threads ? opt->threads : 1;
	struct gate_options go;
	char why[256];
	int rc, lfd;

	*out = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof(port), "%u", opt->port);
	rc = getaddrinfo(opt->host, port, &hints, &ai);
	if (rc != 0 || !ai) {
		snprintf(msg, msglen, "cannot resolve listen address %s: %s", opt->host, gai_strerror(rc));
		return -1;
	}
	lfd = listen_open(ai, why, sizeof(why));
	freeaddrinfo(ai);
	if (lfd < 0) {
		snprintf(msg, msglen, "cannot listen on %s:%u: %s", opt->host, opt->port, why);
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		die_oom();
	s->handler = handler;
	s->submit = submit;
	s->arg = arg;
	s->body_limit = opt->body_limit;
	s->body_plan = opt->body_plan;
	snprintf(s->spool_dir, sizeof(s->spool_dir), "%s", opt->spool_dir ? opt->spool_dir : "/tmp");
	s->head_timeout_ns = (uint64_t)(opt->header_timeout ? opt->header_timeout : 10) * 1000000000u;
	s->idle_timeout_ns = (uint64_t)(opt->connection_timeout ? opt->connection_timeout : 30) * 1000000000u;
	pthread_mutex_init(&s->conns_lock, NULL);
	pthread_cond_init(&s->watchdog_wake, NULL);
	raise_fd_limit(opt->connection_limit);
	/*
	 * The gate accepts and enforces the connection limit and the per-address cap;
	 * libmicrohttpd splits its own limit evenly over its workers, so it gets room enough
	 * that no worker refuses a connection the gate let in.
	 */
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL, /* first, or MHD logs the rest itself */
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)(opt->connection_limit + 64) * threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)opt->connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)opt->connection_memory,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_END);
	memset(&go, 0, sizeof(go));
	go.listen_fd = lfd;
	go.head_timeout_s = opt->header_timeout ? opt->header_timeout : 10;
	go.connection_limit = opt->connection_limit;
	go.per_ip_limit = opt->per_ip_connection_limit;
	go.head_budget = opt->connection_memory > 2048 ? opt->connection_memory - 1024 : 1024;
	s->head_budget = go.head_budget;
	go.pass = gate_pass;
	go.answer = gate_answer;
	go.arg = s;
	s->port = listen_port(lfd);
	if (s->daemon && pthread_create(&s->watchdog, NULL, watchdog_main, s) == 0)
		s->watchdog_running = 1;
	if (!s->daemon || !s->watchdog_running || gate_start(&go, &s->gate) != 0) {
		if (s->watchdog_running) {
			pthread_mutex_lock(&s->conns_lock);
			s->stopping = 1;
			pthread_cond_signal(&s->watchdog_wake);
			pthread_mutex_unlock(&s->conns_lock);
			pthread_join(s->watchdog, NULL);
		}
		if (s->daemon)
			MHD_stop_daemon(s->daemon);
		close(lfd);
		snprintf(msg, msglen, "cannot start the HTTP server on %s:%u", opt->host, opt->port);
		pthread_cond_destroy(&s->watchdog_wake);
		pthread_mutex_destroy(&s->conns_lock);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}

void http_server_stop(struct http_server *s, unsigned grace_ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	if (!s)
		return;
	atomic_store(&s->draining, 1);
	gate_stop(s->gate); /* no new connection; those without a complete head are closed */
	for (unsigned waited = 0; atomic_load(&s->in_flight) > 0 && waited < grace_ms; waited += 10)
		nanosleep(&ts, NULL);
	if (atomic_load(&s->in_flight) > 0)
		log_warn("stopping with %d request(s) still in flight", atomic_load(&s->in_flight));
	MHD_stop_daemon(s->daemon);
	gate_free(s->gate); /* after libmicrohttpd's last closed connection */
	pthread_mutex_lock(&s->conns_lock);
	s->stopping = 1;
	pthread_cond_signal(&s->watchdog_wake);
	pthread_mutex_unlock(&s->conns_lock);
	pthread_join(s->watchdog, NULL);
	pthread_cond_destroy(&s->watchdog_wake);
	pthread_mutex_destroy(&s->conns_lock);
	free(s);
}
