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
#include <time.h>
#include <unistd.h>

#include "base/log.h"

struct http_server {
	struct MHD_Daemon *daemon;
	http_handler handler;
	http_submit submit;
	void *arg;
	size_t body_limit;
	enum http_body_plan (*body_plan)(void *arg, struct request *req, uint64_t *limit);
	char spool_dir[1024];
	unsigned port;
	atomic_int in_flight;
	atomic_int draining;
};

/* One per request, at the start of its own arena. */
struct http_req {
	struct request req;
	struct buf body;
	struct MHD_Connection *conn;
	int started;
	int answered;
	int suspended;
	size_t discarded; /* body bytes dropped past the limit */
	uint64_t limit;   /* this request's body limit */
	int spool_fd;     /* HTTP_BODY_SPOOL: the open spool file, else -1 */
	int refused;      /* answered from the headers: the body stays unread */
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

/* Called first for every request with the raw URI: the only place MHD shows the query undecoded. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server *s = cls;
	struct arena *a = spare_take();
	struct http_req *hr;
	const char *q;
	size_t len = strlen(uri);

	(void)c;
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
	} else {
		hr->req.path = (struct str){ arena_strndup(a, uri, len), len };
		hr->req.query = STR_LIT("");
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

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_req *hr = *con_cls;
	struct arena *a;

	(void)c;
	(void)toe;
	if (!hr)
		return;
	*con_cls = NULL;
	spool_drop(hr);
	if (hr->req.body_file && !hr->req.body_file_taken)
		unlink(hr->req.body_file);
	a = hr->req.arena;
	spare_give(a);
	atomic_fetch_sub(&s->in_flight, 1);
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

static void client_address(struct MHD_Connection *c, struct request *req)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char tmp[INET6_ADDRSTRLEN] = "";

	if (ci && ci->client_addr) {
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, tmp, sizeof(tmp));
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, tmp, sizeof(tmp));
	}
	req->client_addr = (struct str){ arena_strndup(req->arena, tmp, strlen(tmp)), strlen(tmp) };
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
	(void)version;
	if (!hr)
		return MHD_NO;
	if (!hr->started) {
		struct str cl;
		int64_t n;
		enum http_body_plan plan;

		hr->started = 1;
		hr->req.method_name = (struct str){ arena_strndup(hr->req.arena, method, strlen(method)),
						    strlen(method) };
		hr->req.method = http_method_parse(hr->req.method_name);
		MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &hr->req);
		client_address(c, &hr->req);
		buf_init(&hr->body, hr->req.arena, 0);
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
	return answer(s, c, hr);
}

int http_server_start(const struct http_server_options *opt, http_handler handler, http_submit submit,
		      void *arg, struct http_server **out, char *msg, size_t msglen)
{
	struct addrinfo hints, *ai = NULL;
	char port[16];
	struct http_server *s;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	const union MHD_DaemonInfo *di;
	int rc;

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
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s = calloc(1, sizeof(*s));
	if (!s)
		die_oom();
	s->handler = handler;
	s->submit = submit;
	s->arg = arg;
	s->body_limit = opt->body_limit;
	s->body_plan = opt->body_plan;
	snprintf(s->spool_dir, sizeof(s->spool_dir), "%s", opt->spool_dir ? opt->spool_dir : "/tmp");
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL, /* first, or MHD logs the rest itself */
		MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(opt->threads ? opt->threads : 1),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)opt->connection_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)opt->connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)opt->connection_memory,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!s->daemon) {
		snprintf(msg, msglen, "cannot listen on %s:%u (address in use or not available)", opt->host,
			 opt->port);
		free(s);
		return -1;
	}
	di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : opt->port;
	*out = s;
	return 0;
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}

void http_server_stop(struct http_server *s, unsigned grace_ms)
{
	MHD_socket fd;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	if (!s)
		return;
	atomic_store(&s->draining, 1);
	fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	for (unsigned waited = 0; atomic_load(&s->in_flight) > 0 && waited < grace_ms; waited += 10)
		nanosleep(&ts, NULL);
	if (atomic_load(&s->in_flight) > 0)
		log_warn("stopping with %d request(s) still in flight", atomic_load(&s->in_flight));
	MHD_stop_daemon(s->daemon);
	free(s);
}
