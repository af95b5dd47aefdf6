/*
 * End to end: the real rentd binary on a free loopback port, spoken to over TCP.
 *
 * RENTD_BIN names the binary (meson passes it). Each test starts its own server
 * with a fresh database, so tests are independent and can run in any order.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct server {
	pid_t pid;
	unsigned port;
	char dir[64];
	int out_fd; /* the server's stdout */
};

static struct server srv;

/* A client connection; bytes past one response are kept for the next (pipelining). */
struct conn {
	int fd;
	char buf[32768];
	size_t len;
};


/* Starts rentd on port 0 and reads the port it chose from its first stdout line. */
static void server_start(const char *const *extra)
{
	int pipefd[2];
	char line[256];
	size_t len = 0;
	const char *bin = getenv("RENTD_BIN");
	char db[128];

	cr_assert_not_null(bin, "RENTD_BIN is not set");
	snprintf(srv.dir, sizeof(srv.dir), "/tmp/rentd-e2e-XXXXXX");
	cr_assert_not_null(mkdtemp(srv.dir));
	snprintf(db, sizeof(db), "%s/db/rentd.db", srv.dir); /* the db/ directory does not exist yet */
	cr_assert_eq(pipe(pipefd), 0);
	srv.pid = fork();
	cr_assert(srv.pid >= 0);
	if (srv.pid == 0) {
		const char *argv[32] = { bin, "serve", "--listen", "127.0.0.1:0", "--database", db,
					 "--threads", "2", "--body-limit", "65536", "--log-level", "warn" };
		int n = 12;
		for (size_t i = 0; extra && extra[i] && n < 30; i++)
			argv[n++] = extra[i];
		argv[n] = NULL;
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	srv.out_fd = pipefd[0];
	while (len < sizeof(line) - 1) {
		struct pollfd p = { srv.out_fd, POLLIN, 0 };
		ssize_t r;
		cr_assert(poll(&p, 1, 10000) == 1, "rentd did not print its address within 10 s");
		r = read(srv.out_fd, line + len, 1);
		cr_assert(r == 1, "rentd exited before listening");
		if (line[len] == '\n')
			break;
		len++;
	}
	line[len] = '\0';
	cr_assert(sscanf(line, "rentd listening on http://127.0.0.1:%u", &srv.port) == 1, "%s", line);
}

/* SIGTERM, and the exit status (-1 if it had to be killed). */
static int server_stop(void)
{
	int status = 0;
	char cmd[128];

	if (srv.pid <= 0)
		return 0;
	kill(srv.pid, SIGTERM);
	for (int i = 0; i < 500; i++) {
		if (waitpid(srv.pid, &status, WNOHANG) == srv.pid) {
			srv.pid = 0;
			break;
		}
		usleep(20000);
	}
	if (srv.pid) {
		kill(srv.pid, SIGKILL);
		waitpid(srv.pid, &status, 0);
		srv.pid = 0;
		status = -1;
	}
	close(srv.out_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", srv.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", srv.dir);
	return status;
}

static void setup(void) { server_start(NULL); }
static void teardown(void) { server_stop(); }

static int connect_fd(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0, "connect: %s", strerror(errno));
	return fd;
}

static struct conn *connect_server(void)
{
	struct conn *c = calloc(1, sizeof(*c));
	cr_assert_not_null(c);
	c->fd = connect_fd();
	return c;
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c);
}

static void send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = send(fd, data, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the server may close early (413); the response tells */
		data += w;
		len -= (size_t)w;
	}
}

struct reply {
	int status;
	char headers[4096];
	char body[8192];
	size_t body_len;
	int closed; /* the server closed the connection after this reply */
};

static int conn_fill(struct conn *c)
{
	struct pollfd p = { c->fd, POLLIN, 0 };
	ssize_t n;
	if (c->len == sizeof(c->buf) - 1 || poll(&p, 1, 10000) != 1)
		return -1;
	n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
	if (n <= 0)
		return -1;
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	return 0;
}

/* Reads one HTTP/1.1 response with a Content-Length (all rentd responses have one). */
static int read_reply(struct conn *c, struct reply *r, int head)
{
	char *end;
	size_t hlen, total;
	long clen = 0;
	const char *cl;

	memset(r, 0, sizeof(*r));
	c->buf[c->len] = '\0';
	while (!(end = strstr(c->buf, "\r\n\r\n")))
		if (conn_fill(c) < 0)
			return -1;
	if (sscanf(c->buf, "HTTP/1.1 %d", &r->status) != 1)
		return -1;
	hlen = (size_t)(end - c->buf);
	snprintf(r->headers, sizeof(r->headers), "%.*s", (int)hlen, c->buf);
	cl = strcasestr(r->headers, "\r\nContent-Length:");
	if (cl)
		clen = strtol(cl + 17, NULL, 10);
	if (head)
		clen = 0;
	if (clen < 0 || (size_t)clen >= sizeof(r->body))
		return -1;
	total = hlen + 4 + (size_t)clen;
	while (c->len < total)
		if (conn_fill(c) < 0)
			return -1;
	memcpy(r->body, c->buf + hlen + 4, (size_t)clen);
	r->body_len = (size_t)clen;
	memmove(c->buf, c->buf + total, c->len - total);
	c->len -= total;
	c->buf[c->len] = '\0';
	r->closed = strcasestr(r->headers, "\r\nConnection: close") != NULL;
	return 0;
}

static int roundtrip(const char *request, struct reply *r)
{
	struct conn *c = connect_server();
	int rc;
	send_all(c->fd, request, strlen(request));
	rc = read_reply(c, r, strncmp(request, "HEAD ", 5) == 0);
	conn_close(c);
	return rc;
}

static const char *header(const struct reply *r, const char *name, char *out, size_t outlen)
{
	char key[128];
	const char *p;
	snprintf(key, sizeof(key), "\r\n%s:", name);
	p = strcasestr(r->headers, key);
	if (!p)
		return NULL;
	p += strlen(key);
	while (*p == ' ')
		p++;
	snprintf(out, outlen, "%.*s", (int)strcspn(p, "\r"), p);
	return out;
}

TestSuite(e2e, .init = setup, .fini = teardown);

Test(e2e, healthz_and_readyz)
{
	struct reply r;
	char v[128];
	cr_assert_eq(roundtrip("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(header(&r, "Content-Type", v, sizeof(v)), "application/json");
	cr_assert_not_null(strstr(r.body, "\"status\":\"ok\""));
	cr_assert_not_null(header(&r, "X-Request-Id", v, sizeof(v)));
	cr_assert_eq(roundtrip("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 200);
	cr_assert_not_null(strstr(r.body, "\"schema_version\":"));
}

Test(e2e, keep_alive_serves_1000_requests_on_one_connection)
{
	struct conn *c = connect_server();
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	struct reply r;

	for (int i = 0; i < 1000; i++) {
		send_all(c->fd, req, sizeof(req) - 1);
		cr_assert_eq(read_reply(c, &r, 0), 0, "request %d on the same connection failed", i);
		cr_assert_eq(r.status, 200);
		cr_assert_not(r.closed, "the server closed the connection after request %d", i);
	}
	conn_close(c);
}

Test(e2e, pipelined_requests_are_answered_in_order)
{
	struct conn *c = connect_server();
	static const char reqs[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
				   "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
				   "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n";
	struct reply r;
	send_all(c->fd, reqs, sizeof(reqs) - 1);
	cr_assert_eq(read_reply(c, &r, 0), 0);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(read_reply(c, &r, 0), 0);
	cr_assert_eq(r.status, 404);
	cr_assert_eq(read_reply(c, &r, 0), 0);
	cr_assert_eq(r.status, 200);
	conn_close(c);
}

Test(e2e, unknown_path_is_json_404)
{
	struct reply r;
	cr_assert_eq(roundtrip("GET /api/v9/nothing/here HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 404);
	cr_assert_not_null(strstr(r.body, "\"error\":\"NotFound\""));
	cr_assert_not_null(strstr(r.body, "\"correlation_id\":"));
}

Test(e2e, wrong_method_is_405_with_allow)
{
	struct reply r;
	char v[64];
	cr_assert_eq(roundtrip("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 405);
	cr_assert_str_eq(header(&r, "Allow", v, sizeof(v)), "GET, HEAD");
}

Test(e2e, head_has_headers_and_no_body)
{
	struct reply r;
	char v[64];
	struct conn *c = connect_server();
	static const char req[] = "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
				  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	send_all(c->fd, req, sizeof(req) - 1);
	cr_assert_eq(read_reply(c, &r, 1), 0);
	cr_assert_eq(r.status, 200);
	cr_assert_neq(atoi(header(&r, "Content-Length", v, sizeof(v))), 0);
	/* the next response starts right away: HEAD sent no body bytes */
	cr_assert_eq(read_reply(c, &r, 0), 0);
	cr_assert_eq(r.status, 200);
	cr_assert_not_null(strstr(r.body, "\"ok\""));
	conn_close(c);
}

Test(e2e, trailing_slash_is_optional)
{
	struct reply r;
	cr_assert_eq(roundtrip("GET /healthz/ HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 200);
}

Test(e2e, declared_body_over_the_limit_is_413_at_once)
{
	struct reply r;
	/* 10 MB announced, nothing sent: the answer must not wait for the body */
	cr_assert_eq(roundtrip("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			       "Content-Length: 10000000\r\n\r\n{", &r), 0);
	cr_assert_eq(r.status, 413);
	cr_assert_not_null(strstr(r.body, "PayloadTooLarge"));
}

Test(e2e, chunked_body_over_the_limit_is_413)
{
	struct conn *c = connect_server();
	struct reply r;
	char chunk[8192 + 16];
	static const char head[] = "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				   "Transfer-Encoding: chunked\r\n\r\n";
	send_all(c->fd, head, sizeof(head) - 1);
	memset(chunk, 'a', sizeof(chunk));
	memcpy(chunk, "2000\r\n", 6);
	memcpy(chunk + 6 + 8192, "\r\n", 2);
	for (int i = 0; i < 12; i++) /* 96 KiB > the 64 KiB limit of this server */
		send_all(c->fd, chunk, 6 + 8192 + 2);
	send_all(c->fd, "0\r\n\r\n", 5);
	cr_assert_eq(read_reply(c, &r, 0), 0);
	cr_assert_eq(r.status, 413);
	conn_close(c);
}

Test(e2e, bad_request_line_does_not_hurt_the_server)
{
	struct reply r;
	struct conn *c = connect_server();
	send_all(c->fd, "GARBAGE\r\n\r\n", 11);
	(void)read_reply(c, &r, 0); /* libmicrohttpd answers 400 or closes: both are fine */
	conn_close(c);
	cr_assert_eq(roundtrip("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 200);
}

Test(e2e, sigterm_finishes_the_request_in_flight)
{
	/*
	 * Send the head of a request with a body and stop: the request is in flight.
	 * SIGTERM arrives; the server must still answer it when the body completes,
	 * then exit 0.
	 */
	struct conn *c = connect_server();
	int status;
	struct reply r;
	static const char head[] = "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				   "Content-Length: 2\r\n\r\n";
	send_all(c->fd, head, sizeof(head) - 1);
	usleep(100000);
	kill(srv.pid, SIGTERM);
	usleep(200000);
	send_all(c->fd, "{}", 2);
	cr_assert_eq(read_reply(c, &r, 0), 0, "the request in flight was dropped");
	cr_assert_eq(r.status, 405);
	cr_assert(r.closed, "a draining server closes the connection after the answer");
	conn_close(c);
	for (int i = 0; i < 250 && waitpid(srv.pid, &status, WNOHANG) != srv.pid; i++)
		usleep(20000);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "rentd did not exit cleanly");
	srv.pid = 0;
}

Test(e2e, database_survives_a_restart)
{
	struct reply r;
	struct stat st;
	char path[128];
	snprintf(path, sizeof(path), "%s/db/rentd.db", srv.dir);
	cr_assert_eq(stat(path, &st), 0, "the database file was created with its directory");
	kill(srv.pid, SIGTERM);
	waitpid(srv.pid, NULL, 0);
	srv.pid = 0;
	close(srv.out_fd);
	{
		/* start again on the same directory: the migrated database is reused */
		char keep[64];
		const char *bin = getenv("RENTD_BIN");
		char cmd[512];
		FILE *p;
		int ok;
		snprintf(keep, sizeof(keep), "%s", srv.dir);
		snprintf(cmd, sizeof(cmd), "%s migrate --database %s 2>&1", bin, path);
		p = popen(cmd, "r");
		cr_assert_not_null(p);
		ok = 0;
		while (fgets(cmd, sizeof(cmd), p))
			if (strstr(cmd, "schema version"))
				ok = 1;
		cr_assert_eq(pclose(p), 0);
		cr_assert(ok, "rentd migrate did not report the schema version");
		snprintf(srv.dir, sizeof(srv.dir), "%s", keep);
	}
	server_start(NULL);
	cr_assert_eq(roundtrip("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 200);
}

/* Runs the rentd CLI against this server's database; returns its stdout. */
static void run_cli(const char *args, char *out, size_t outlen)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	snprintf(cmd, sizeof(cmd), "%s %s --database %s/db/rentd.db", getenv("RENTD_BIN"), args, srv.dir);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, outlen - 1, p);
	out[n] = '\0';
	cr_assert_eq(pclose(p), 0, "%s failed: %s", cmd, out);
}

static int post_json(const char *path, const char *ctype, const char *body, const char *auth, struct reply *r)
{
	char req[4096];
	snprintf(req, sizeof(req),
		 "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%s%s\r\n%s", path, ctype,
		 strlen(body), auth ? "Authorization: JWT " : "", auth ? auth : "", auth ? "\r\n" : "", body);
	return roundtrip(req, r);
}

Test(e2e, bootstrap_login_and_authenticated_read)
{
	char out[1024], token[1024], req[2048];
	struct reply r;
	const char *t, *end;

	run_cli("company create --name 'E2E Bostäder AB' --admin-username boss@e2e.test --admin-password 'correct horse'",
		out, sizeof(out));
	cr_assert_not_null(strstr(out, "\"company_uuid\":"), "%s", out);
	cr_assert_not_null(strstr(out, "\"employee_id\":1"), "%s", out);

	/* a JSON route refuses what is not JSON */
	cr_assert_eq(post_json("/api/v2/tokens/", "text/plain", "username=boss", NULL, &r), 0);
	cr_assert_eq(r.status, 415);
	cr_assert_eq(post_json("/api/v2/tokens/", "application/json", "{\"username\": ", NULL, &r), 0);
	cr_assert_eq(r.status, 400);
	cr_assert_not_null(strstr(r.body, "ParseError"));

	cr_assert_eq(post_json("/api/v2/tokens/", "application/json",
			       "{\"username\": \"boss@e2e.test\", \"password\": \"wrong\"}", NULL, &r), 0);
	cr_assert_eq(r.status, 403);
	cr_assert_eq(post_json("/api/v2/tokens/", "application/json",
			       "{\"username\": \"boss@e2e.test\", \"password\": \"correct horse\"}", NULL, &r), 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t = strstr(r.body, "\"token\":\"");
	cr_assert_not_null(t);
	t += 9;
	end = strchr(t, '"');
	cr_assert_not_null(end);
	snprintf(token, sizeof(token), "%.*s", (int)(end - t), t);

	snprintf(req, sizeof(req), "GET /api/v1/company/ HTTP/1.1\r\nHost: x\r\nAuthorization: JWT %s\r\n\r\n", token);
	cr_assert_eq(roundtrip(req, &r), 0);
	cr_assert_eq(r.status, 200);
	cr_assert_not_null(strstr(r.body, "\"name\":\"E2E Bostäder AB\""), "%s", r.body);
	cr_assert_eq(roundtrip("GET /api/v1/company/ HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 401);
}

/* How an operator starts in the accounts dialect: `rentd agent create`, log in, use the token bare. */
Test(e2e, agent_create_login_and_accounts_read)
{
	char out[512], token[1024], req[2048], id[40], cmd[1024];
	struct reply r;
	const char *t, *end;

	run_cli("agent create --email ops@e2e.test --password 'correct horse' --name 'Olga Ops'", out, sizeof(out));
	t = strstr(out, "{\"agent_id\":\"");
	cr_assert_not_null(t, "%s", out);
	snprintf(id, sizeof(id), "%.36s", t + 13);
	cr_assert_eq(strlen(id), 36, "%s", out);

	/* the same e-mail again (any case) is refused; a missing flag is a usage error */
	snprintf(cmd, sizeof(cmd), "%s agent create --email OPS@e2e.test --password 'correct horse' --database %s/db/rentd.db"
		 " >/dev/null 2>&1", getenv("RENTD_BIN"), srv.dir);
	cr_assert_eq(WEXITSTATUS(system(cmd)), 1);
	snprintf(cmd, sizeof(cmd), "%s agent create --email x@e2e.test --database %s/db/rentd.db >/dev/null 2>&1",
		 getenv("RENTD_BIN"), srv.dir);
	cr_assert_eq(WEXITSTATUS(system(cmd)), 2);

	cr_assert_eq(post_json("/api/v2/tokens/", "application/json",
			       "{\"username\": \"ops@e2e.test\", \"password\": \"correct horse\"}", NULL, &r), 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t = strstr(r.body, "\"token\":\"");
	cr_assert_not_null(t, "%s", r.body);
	t += 9;
	end = strchr(t, '"');
	cr_assert_not_null(end);
	snprintf(token, sizeof(token), "%.*s", (int)(end - t), t);

	snprintf(req, sizeof(req), "GET /api/landlords/agents/%s HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n\r\n", id,
		 token);
	cr_assert_eq(roundtrip(req, &r), 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	snprintf(out, sizeof(out), "{\"id\":\"%s\",\"fullName\":\"Olga Ops\",\"email\":\"ops@e2e.test\",\"enabled\":true}",
		 id);
	cr_assert_str_eq(r.body, out);
	snprintf(req, sizeof(req), "GET /api/landlords/agents/%s HTTP/1.1\r\nHost: x\r\n\r\n", id);
	cr_assert_eq(roundtrip(req, &r), 0);
	cr_assert_eq(r.status, 401);
}

Test(e2e, logins_do_not_block_other_requests)
{
	/*
	 * Password checks run on the work pool with the connection suspended: while
	 * several logins are in flight, a health check on another connection answers.
	 */
	char out[512];
	struct conn *logins[4];
	struct reply r;
	static const char body[] = "{\"username\": \"boss@e2e.test\", \"password\": \"correct horse\"}";
	char req[512];

	run_cli("company create --name Pool --admin-username boss@e2e.test --admin-password 'correct horse'", out,
		sizeof(out));
	snprintf(req, sizeof(req),
		 "POST /api/v2/tokens/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		 sizeof(body) - 1, body);
	for (int i = 0; i < 4; i++) {
		logins[i] = connect_server();
		send_all(logins[i]->fd, req, strlen(req));
	}
	usleep(5000); /* let the server read all four */
	cr_assert_eq(roundtrip("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", &r), 0);
	cr_assert_eq(r.status, 200);
	/*
	 * With the checks on the request threads (2 here), the health check could only
	 * have been answered after a login finished. Each argon2id check takes tens of
	 * milliseconds, so none of the logins can have been answered yet.
	 */
	for (int i = 0; i < 4; i++) {
		struct pollfd p = { logins[i]->fd, POLLIN, 0 };
		cr_assert_eq(poll(&p, 1, 0), 0, "login %d was answered before the health check", i);
	}
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(read_reply(logins[i], &r, 0), 0);
		cr_assert_eq(r.status, 200, "login %d: %s", i, r.body);
		conn_close(logins[i]);
	}
}

/* ---- media: file reference → signed URL → thumbnails (homeq.md §11d, §15 rules 25–28) ---- */

#include <openssl/evp.h>
#include <vips/vips.h>

/* One request on its own connection (Connection: close), the whole answer read until EOF. */
struct big_reply {
	int status;
	char *raw;  /* headers and body, NUL-terminated */
	char *body; /* inside raw */
	size_t body_len;
};

static void big_request(const char *head, const void *body, size_t body_len, struct big_reply *r)
{
	int fd = connect_fd();
	size_t cap = 1 << 16, len = 0;
	char *end;

	memset(r, 0, sizeof(*r));
	send_all(fd, head, strlen(head));
	if (body_len)
		send_all(fd, body, body_len);
	r->raw = malloc(cap);
	cr_assert_not_null(r->raw);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;
		cr_assert_eq(poll(&p, 1, 20000), 1, "no answer within 20 s");
		if (len + 1 == cap) {
			cap *= 2;
			r->raw = realloc(r->raw, cap);
			cr_assert_not_null(r->raw);
		}
		n = recv(fd, r->raw + len, cap - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	r->raw[len] = '\0';
	cr_assert_eq(sscanf(r->raw, "HTTP/1.1 %d", &r->status), 1, "no status line");
	end = strstr(r->raw, "\r\n\r\n");
	cr_assert_not_null(end);
	r->body = end + 4;
	r->body_len = len - (size_t)(r->body - r->raw);
}

static void big_free(struct big_reply *r)
{
	free(r->raw);
}

/* "key":"value" of a flat JSON answer (no escapes in the values we read). */
static void json_field(const char *json, const char *key, char *out, size_t outlen)
{
	char pat[64];
	const char *p, *e;
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(json, pat);
	cr_assert_not_null(p, "no %s in %s", key, json);
	p += strlen(pat);
	e = strchr(p, '"');
	cr_assert_not_null(e);
	snprintf(out, outlen, "%.*s", (int)(e - p), p);
}

static void e2e_login(char *token, size_t len)
{
	char out[1024];
	struct reply r;
	run_cli("company create --name 'Media AB' --admin-username media@e2e.test --admin-password 'correct horse'", out,
		sizeof(out));
	cr_assert_eq(post_json("/api/v2/tokens/", "application/json",
			       "{\"username\": \"media@e2e.test\", \"password\": \"correct horse\"}", NULL, &r), 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_field(r.body, "token", token, len);
}

static void *e2e_jpeg(int w, int h, size_t *len)
{
	VipsImage *img = NULL, *lin = NULL;
	void *buf = NULL;
	double a[] = { 1, 1, 1 }, b[] = { 200, 120, 40 };
	cr_assert_eq(VIPS_INIT("test_e2e"), 0);
	cr_assert_eq(vips_black(&img, w, h, "bands", 3, NULL), 0);
	cr_assert_eq(vips_linear(img, &lin, a, b, 3, "uchar", TRUE, NULL), 0);
	cr_assert_eq(vips_jpegsave_buffer(lin, &buf, len, "Q", 85, NULL), 0);
	g_object_unref(lin);
	g_object_unref(img);
	return buf;
}

/* Creates a reference for bytes and PUTs them to the signed URL; returns the file's path below the host. */
static void e2e_upload(const char *token, const char *entity, const void *data, size_t len, char *path, size_t pathlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char md5[32], body[512], req[4096], signed_url[512], url[512];
	const char *upload_path;
	struct reply r;
	struct big_reply b;
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	cr_assert(EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL));
	for (int i = 0, o = 0; i < 16; i += 3) { /* base64 of 16 bytes: 24 characters with "==" */
		unsigned v = (unsigned)md[i] << 16 | (i + 1 < 16 ? (unsigned)md[i + 1] << 8 : 0) | (i + 2 < 16 ? md[i + 2] : 0);
		md5[o++] = b64[v >> 18 & 63];
		md5[o++] = b64[v >> 12 & 63];
		md5[o++] = i + 1 < 16 ? b64[v >> 6 & 63] : '=';
		md5[o++] = i + 2 < 16 ? b64[v & 63] : '=';
		md5[o] = '\0';
	}
	snprintf(body, sizeof(body),
		 "{\"entity_type\":\"%s\",\"mime_type\":\"image/jpeg\",\"content_length\":%zu,\"content_md5\":\"%s\"}",
		 entity, len, md5);
	cr_assert_eq(post_json("/api/v1/file_reference/", "application/json", body, token, &r), 0);
	cr_assert_eq(r.status, 201, "%s", r.body);
	json_field(r.body, "signed_url", signed_url, sizeof(signed_url));
	upload_path = strstr(signed_url, "/media/upload/");
	cr_assert_not_null(upload_path, "%s", signed_url);
	cr_assert(!strncmp(signed_url, "http://", 7), "signed_url is absolute: %s", signed_url);
	snprintf(req, sizeof(req),
		 "PUT %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/jpeg\r\nContent-MD5: %s\r\n"
		 "x-amz-acl: public-read\r\nContent-Length: %zu\r\n\r\n",
		 upload_path, md5, len);
	big_request(req, data, len, &b);
	cr_assert_eq(b.status, 200, "%s", b.raw);
	json_field(b.body, "url", url, sizeof(url));
	snprintf(path, pathlen, "%s", strstr(url, "/media/"));
	big_free(&b);

	/* the same URL again: single use */
	big_request(req, data, len, &b);
	cr_assert_eq(b.status, 409, "%s", b.raw);
	big_free(&b);
}

/* Polls (bounded) until every thumbnail of an original is served; checks their decoded widths. */
static void e2e_expect_thumbnails(const char *original_path, int original_width, int seconds)
{
	static const int widths[] = { 320, 460, 840, 1440, 1920, 2880 };
	const char *slash = strrchr(original_path, '/');
	char category[64], hash[65];
	const char *cat_start = original_path + strlen("/media/");

	snprintf(category, sizeof(category), "%.*s", (int)(slash - cat_start), cat_start);
	snprintf(hash, sizeof(hash), "%.64s", slash + 1);
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		char req[512];
		struct big_reply b;
		VipsImage *img;
		int tries = 0;
		int want = widths[i] < original_width ? widths[i] : original_width;

		snprintf(req, sizeof(req), "GET /media/%d/%s/%s.jpeg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
			 widths[i], category, hash);
		for (;;) {
			big_request(req, NULL, 0, &b);
			if (b.status == 200 || ++tries > seconds * 10)
				break;
			cr_assert_eq(b.status, 404, "%s", b.raw);
			big_free(&b);
			usleep(100000);
		}
		cr_assert_eq(b.status, 200, "thumbnail %d not made within %d s", widths[i], seconds);
		cr_assert_not_null(strcasestr(b.raw, "\r\nContent-Type: image/jpeg"));
		img = vips_image_new_from_buffer(b.body, b.body_len, "", NULL);
		cr_assert_not_null(img, "thumbnail %d does not decode", widths[i]);
		cr_assert_eq(vips_image_get_width(img), want, "thumbnail %d", widths[i]);
		g_object_unref(img);
		big_free(&b);
	}
}

TestSuite(e2e_media);

Test(e2e_media, jpeg_upload_makes_thumbnails)
{
	char token[1024], path[256], req[512];
	size_t len;
	void *jpeg;
	struct big_reply b;

	server_start(NULL);
	e2e_login(token, sizeof(token));
	jpeg = e2e_jpeg(1600, 900, &len);
	e2e_upload(token, "apartment_image", jpeg, len, path, sizeof(path));

	/* the original, whole and by range */
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
	big_request(req, NULL, 0, &b);
	cr_assert_eq(b.status, 200);
	cr_assert_eq(b.body_len, len);
	cr_assert_eq(memcmp(b.body, jpeg, len), 0);
	big_free(&b);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: bytes=0-99\r\n\r\n", path);
	big_request(req, NULL, 0, &b);
	cr_assert_eq(b.status, 206);
	cr_assert_eq(b.body_len, 100);
	big_free(&b);

	e2e_expect_thumbnails(path, 1600, 30);
	g_free(jpeg);
	cr_assert_eq(server_stop(), 0, "rentd did not stop cleanly");
}

Test(e2e_media, queued_thumbnails_survive_a_restart)
{
	const char *no_workers[] = { "--job-workers", "0", NULL };
	char token[1024], path[256], olddir[64], db[128], req[512], cmd[128];
	const char *again[] = { "--database", db, NULL };
	struct big_reply b;
	size_t len;
	void *jpeg;
	int status;

	server_start(no_workers);
	e2e_login(token, sizeof(token));
	jpeg = e2e_jpeg(500, 300, &len);
	e2e_upload(token, "estate_image", jpeg, len, path, sizeof(path));
	g_free(jpeg);
	snprintf(req, sizeof(req), "GET /media/320/estate_images/%.64s.jpeg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		 strrchr(path, '/') + 1);
	big_request(req, NULL, 0, &b);
	cr_assert_eq(b.status, 404, "no worker ran: the job is still queued");
	big_free(&b);

	/* stop (SIGTERM) and start again on the same database, with the default worker */
	kill(srv.pid, SIGTERM);
	cr_assert_eq(waitpid(srv.pid, &status, 0), srv.pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "rentd did not stop cleanly");
	srv.pid = 0;
	close(srv.out_fd);
	snprintf(olddir, sizeof(olddir), "%s", srv.dir);
	snprintf(db, sizeof(db), "%s/db/rentd.db", olddir);
	server_start(again);
	e2e_expect_thumbnails(path, 500, 30);
	cr_assert_eq(server_stop(), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", olddir);
	cr_assert_eq(system(cmd), 0);
}

/*
 * ---- the demo: `rentd serve --demo` (what `make run` starts) ----
 *
 * stdout carries the plain banner, stderr only JSON log lines (kept in a file here to
 * find the access log in). The first start creates the demo and shows the passwords
 * once; a later start on the same database shows a reminder and the reset command.
 */

/* Starts `serve --demo` on dir/rentd.db; out: its stdout up to the banner's last line. */
static void demo_start(const char *dir, char *out, size_t outlen)
{
	const char *bin = getenv("RENTD_BIN");
	char db[128], log[128];
	size_t len = 0;
	int pipefd[2];

	cr_assert_not_null(getenv("RENTD_GEO_DIR"), "RENTD_GEO_DIR is not set");
	snprintf(db, sizeof(db), "%s/rentd.db", dir);
	snprintf(log, sizeof(log), "%s/stderr.log", dir);
	cr_assert_eq(pipe(pipefd), 0);
	srv.pid = fork();
	cr_assert(srv.pid >= 0);
	if (srv.pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		char lsan[512];
		/*
		 * Under LeakSanitizer: fontconfig, which pango loads for the pictures' text
		 * (vips_text), keeps pattern caches it never frees; the process's own leaks are
		 * still reported.
		 */
		FILE *supp;
		snprintf(lsan, sizeof(lsan), "%s/lsan.supp", dir);
		if ((supp = fopen(lsan, "w"))) {
			fputs("leak:libfontconfig.so\n", supp);
			fclose(supp);
		}
		snprintf(lsan, sizeof(lsan), "%s%ssuppressions=%s/lsan.supp:print_suppressions=0", getenv("LSAN_OPTIONS") ? getenv("LSAN_OPTIONS") : "",
			 getenv("LSAN_OPTIONS") ? ":" : "", dir);
		setenv("LSAN_OPTIONS", lsan, 1);
		dup2(pipefd[1], 1);
		dup2(fd, 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(bin, bin, "serve", "--demo", "--listen", "127.0.0.1:0", "--database", db, "--threads", "2",
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	srv.out_fd = pipefd[0];
	out[0] = '\0';
	while (!strstr(out, "3. make test") || out[len - 1] != '\n') {
		struct pollfd p = { srv.out_fd, POLLIN, 0 };
		ssize_t r;
		cr_assert(poll(&p, 1, 120000) == 1, "no banner within 120 s: %s", out);
		r = read(srv.out_fd, out + len, outlen - 1 - len);
		cr_assert(r > 0, "rentd exited before its banner: %s", out);
		len += (size_t)r;
		out[len] = '\0';
		cr_assert(len < outlen - 1, "banner too long");
	}
	cr_assert(sscanf(out, "rentd listening on http://127.0.0.1:%u", &srv.port) == 1, "%s", out);
}

static void demo_stop(void)
{
	int status;
	kill(srv.pid, SIGTERM);
	cr_assert_eq(waitpid(srv.pid, &status, 0), srv.pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "rentd did not stop cleanly");
	srv.pid = 0;
	close(srv.out_fd);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* 200 from POST /api/v2/tokens/ with this password? */
static int demo_login_status(const char *username, const char *password)
{
	char body[256];
	struct reply r;
	snprintf(body, sizeof(body), "{\"username\": \"%s\", \"password\": \"%s\"}", username, password);
	cr_assert_eq(post_json("/api/v2/tokens/", "application/json", body, NULL, &r), 0);
	return r.status;
}

/* The body of GET path (status 200 asserted); free() it. */
static char *demo_get(const char *path, size_t *len)
{
	char req[512];
	struct big_reply b;
	char *body;
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
	big_request(req, NULL, 0, &b);
	cr_assert_eq(b.status, 200, "GET %s: %d", path, b.status);
	body = malloc(b.body_len + 1);
	cr_assert_not_null(body);
	memcpy(body, b.body, b.body_len);
	body[b.body_len] = '\0';
	*len = b.body_len;
	big_free(&b);
	return body;
}

TestSuite(e2e_demo);

Test(e2e_demo, banner_search_pictures_project_restart_and_password_reset)
{
	static char out[8192], again[8192];
	char dir[64] = "/tmp/rentd-e2e-demo-XXXXXX", password[64], cmd[512], path[256];
	char urls[2][256], *search, *log, *pic[2];
	const char *p;
	long long shown = 0, total = -1, project = 0;
	size_t len, piclen[2];
	int distinct = 0, n = 0;
	struct big_reply b;
	const char *card_req = "POST /api/v3/cards/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			       "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	demo_start(dir, out, sizeof(out));

	/* one banner: the URL once, the passwords of both demo users, the reset command */
	cr_assert_eq(count_of(out, "listening"), 1, "%s", out);
	cr_assert_eq(count_of(out, "admin@demo.rentd.local   password "), 1, "%s", out);
	cr_assert_eq(count_of(out, "ops@demo.rentd.local     password "), 1, "%s", out);
	cr_assert_not_null(strstr(out, "demo reset-passwords --database "), "%s", out);
	p = strstr(out, "admin@demo.rentd.local   password ");
	cr_assert_eq(sscanf(p + strlen("admin@demo.rentd.local   password "), "%63s", password), 1);
	cr_assert_eq(demo_login_status("admin@demo.rentd.local", password), 200, "the banner's password logs in");

	/* the count the banner shows is what search shows */
	p = strstr(out, "\nsearch    ");
	cr_assert_not_null(p, "%s", out);
	cr_assert_eq(sscanf(p, "\nsearch    %lld cards", &shown), 1);
	big_request(card_req, NULL, 0, &b);
	cr_assert_eq(b.status, 200);
	p = strstr(b.body, "\"total_hits\":");
	cr_assert_not_null(p);
	total = atoll(p + 13);
	cr_assert_eq(shown, total, "the banner says %lld, search shows %lld", shown, total);
	cr_assert_geq(total, 30);
	search = strdup(b.body);
	big_free(&b);

	/* varied addresses: at least 20 distinct titles ("Odengatan 78") among the cards */
	{
		char titles[64][96];
		for (p = strstr(search, "\"title\":\""); p && n < 64; p = strstr(p + 1, "\"title\":\"")) {
			const char *e = strchr(p + 9, '"');
			bool seen = false;
			snprintf(titles[n], sizeof(titles[n]), "%.*s", (int)(e - p - 9), p + 9);
			for (int i = 0; i < n; i++)
				seen |= strcmp(titles[i], titles[n]) == 0;
			distinct += !seen;
			n++;
		}
	}
	cr_assert_geq(distinct, 20, "%d distinct addresses among %d cards", distinct, n);

	/* two apartments' pictures are different files with different bytes */
	n = 0;
	for (p = strstr(search, "/media/apartment_images/"); p && n < 2; p = strstr(p + 1, "/media/apartment_images/")) {
		snprintf(urls[n], sizeof(urls[n]), "%.*s", (int)strcspn(p, "\""), p);
		if (n == 0 || strcmp(urls[0], urls[n]) != 0)
			n++;
	}
	cr_assert_eq(n, 2, "two apartments with pictures");
	for (int i = 0; i < 2; i++)
		pic[i] = demo_get(urls[i], &piclen[i]);
	cr_assert(piclen[0] != piclen[1] || memcmp(pic[0], pic[1], piclen[0]) != 0, "%s and %s are the same bytes",
		  urls[0], urls[1]);
	free(pic[0]);
	free(pic[1]);
	free(search);

	/* a project, and its page for the landlord's iframe */
	p = strstr(out, "/widgets/project?project=");
	cr_assert_not_null(p, "%s", out);
	project = atoll(p + strlen("/widgets/project?project="));
	cr_assert_gt(project, 0);
	snprintf(path, sizeof(path), "/widgets/project?project=%lld", project);
	free(demo_get(path, &len));

	/* the access log is on under --demo (the default), JSON on stderr */
	demo_stop();
	snprintf(path, sizeof(path), "%s/stderr.log", dir);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	log = calloc(1, 1 << 20);
	cr_assert_not_null(log);
	len = fread(log, 1, (1 << 20) - 1, f);
	fclose(f);
	cr_assert_not_null(strstr(log, "\"msg\":\"access\",\"request_id\""), "no access log line: %s", log);
	cr_assert_not_null(strstr(log, "\"path\":\"/api/v3/cards/\""), "%s", log);
	for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n"))
		cr_assert_eq(line[0], '{', "a plain line on stderr: %s", line);
	free(log);

	/* a second start: no new demo, no password, the reminder and the reset command */
	demo_start(dir, again, sizeof(again));
	cr_assert_null(strstr(again, "created"), "%s", again);
	cr_assert_null(strstr(again, password), "a password printed again: %s", again);
	cr_assert_not_null(strstr(again, "their passwords were shown at the first start"), "%s", again);
	cr_assert_not_null(strstr(again, "demo reset-passwords --database "), "%s", again);
	cr_assert_not_null(strstr(again, "admin@demo.rentd.local"), "%s", again);
	p = strstr(again, "\nsearch    ");
	cr_assert_not_null(p);
	cr_assert_eq(atoll(p + 11), total);

	/* rentd demo reset-passwords: new passwords that log in, the old one no longer */
	{
		char json[1024], fresh[2][64];
		FILE *pp;
		snprintf(cmd, sizeof(cmd), "%s demo reset-passwords --database %s/rentd.db 2>/dev/null", getenv("RENTD_BIN"),
			 dir);
		pp = popen(cmd, "r");
		cr_assert_not_null(pp);
		len = fread(json, 1, sizeof(json) - 1, pp);
		json[len] = '\0';
		cr_assert_eq(pclose(pp), 0, "%s", json);
		p = strstr(json, "\"username\":\"admin@demo.rentd.local\"");
		cr_assert_not_null(p, "%s", json);
		json_field(p, "password", fresh[0], sizeof(fresh[0]));
		p = strstr(json, "\"username\":\"ops@demo.rentd.local\"");
		cr_assert_not_null(p, "%s", json);
		json_field(p, "password", fresh[1], sizeof(fresh[1]));
		cr_assert_eq(demo_login_status("admin@demo.rentd.local", fresh[0]), 200);
		cr_assert_eq(demo_login_status("ops@demo.rentd.local", fresh[1]), 200);
		cr_assert_eq(demo_login_status("admin@demo.rentd.local", password), 403, "the old password still works");
	}
	demo_stop();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* On a database without the demo, reset-passwords changes nothing and says why. */
Test(e2e, demo_reset_passwords_without_a_demo_fails)
{
	char cmd[512], out[512];
	size_t n;
	FILE *p;

	run_cli("company create --name 'Not A Demo AB' --admin-username boss@e2e.test --admin-password 'correct horse'",
		out, sizeof(out));
	snprintf(cmd, sizeof(cmd), "%s demo reset-passwords --database %s/db/rentd.db 2>&1", getenv("RENTD_BIN"), srv.dir);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	cr_assert_neq(pclose(p), 0, "%s", out);
	cr_assert_not_null(strstr(out, "has no demo users"), "%s", out);
	cr_assert_eq(demo_login_status("boss@e2e.test", "correct horse"), 200, "another company's admin is untouched");
}

/* ---- secrets in paths never reach the log (issue 12 finding 4) ---- */

#define E2E_TOKEN "Zq8xSecretInvitationToken_0123456789abcdef"

TestSuite(e2e_log);

Test(e2e_log, invitation_tokens_are_redacted_from_every_log_line)
{
	static const char *const extra[] = { "--log-level", "info", "--access-log", "on", NULL };
	static const char *const requests[] = {
		"GET /invitations/" E2E_TOKEN " HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /invitations/" E2E_TOKEN "/?lang=sv HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /invitations/" E2E_TOKEN " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: 12\r\n\r\npassword=abc",
		"DELETE /invitations/" E2E_TOKEN " HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /invitations/" E2E_TOKEN "/more HTTP/1.1\r\nHost: x\r\n\r\n",
	};
	char logpath[] = "/tmp/rentd-e2e-log-XXXXXX";
	int logfd = mkstemp(logpath), saved = dup(2);
	struct reply r;
	char *text;
	off_t n;

	cr_assert(logfd >= 0 && saved >= 0);
	dup2(logfd, 2); /* the server's stderr is its log */
	server_start(extra);
	dup2(saved, 2);
	close(saved);
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		cr_assert_eq(roundtrip(requests[i], &r), 0, "request %zu", i);
		cr_assert(r.status >= 200 && r.status < 500, "request %zu: %d", i, r.status);
	}
	cr_assert_eq(server_stop(), 0);
	n = lseek(logfd, 0, SEEK_END);
	text = calloc(1, (size_t)n + 1);
	cr_assert_eq(pread(logfd, text, (size_t)n, 0), n);
	close(logfd);
	unlink(logpath);
	cr_assert(strstr(text, "\"path\":\"/invitations/{token}\""), "no access line for the invitation page:\n%s", text);
	cr_assert_null(strstr(text, "Zq8xSecret"), "the invitation token is in the log:\n%s", text);
	free(text);
}
