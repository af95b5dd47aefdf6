/*
 * storage.h on an S3-compatible object store, over its REST API with libcurl.
 *
 * Requests are signed by libcurl (CURLOPT_AWS_SIGV4, "aws:amz:<region>:s3"), which signs
 * every header it sends; the payload's hash goes in x-amz-content-sha256 (the SHA-256 of a
 * body in memory, UNSIGNED-PAYLOAD for a streamed file). URLs are path style
 * (endpoint/bucket/key: MinIO, Ceph RGW, Garage, s3rver and AWS all take it) or, on request,
 * virtual-host style (bucket.host/key).
 *
 * Connections: a small pool of curl easy handles, taken by a thread for one request and put
 * back; a handle keeps its connection (and TLS session) open, so consecutive requests reuse
 * it. An object read is fetched whole into an unlinked temporary file (O_TMPFILE) whose fd
 * the caller gets: nothing is cached between reads.
 */
#include "core/media/storage.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

#define S3_IDLE_MAX 32 /* handles kept between requests; more threads make and drop their own */
#define S3_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct storage_s3 {
	struct storage base;
	char *object_base; /* "<endpoint>/<bucket>/<prefix>/": a key is appended */
	char *bucket_url;  /* what storage_s3_check() HEADs */
	char *endpoint;    /* for messages */
	char *bucket;
	char *access_key;
	char *secret_key;
	char *ca_file;     /* NULL: the system's */
	char sigv4[96];
	char tmp[PATH_MAX];
	long connect_timeout, timeout;
	pthread_mutex_t lock;
	CURL *idle[S3_IDLE_MAX];
	int nidle;
	atomic_int denied_logged; /* a 403 is logged as an error once, then at debug level */
};

/* One request and its answer. */
struct s3_req {
	struct storage_s3 *s;
	CURL *h;
	const char *method;
	const char *url;
	/* the body sent: from memory (data, len) or from a file (in_fd) */
	const unsigned char *data;
	uint64_t len, sent;
	int in_fd;
	/* a 2xx answer's body goes to out_fd (when >= 0) */
	int out_fd;
	uint64_t got;
	int write_errno;
	/* the answer */
	long status;
	char code[64];    /* S3's error code: x-amz-error-code, or <Code> of an error body */
	char body[1024];  /* the start of an error body */
	size_t nbody;
	char curl_err[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- the handle pool ---- */

static CURL *handle_take(struct storage_s3 *s)
{
	CURL *h = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->nidle > 0)
		h = s->idle[--s->nidle];
	pthread_mutex_unlock(&s->lock);
	if (!h && !(h = curl_easy_init()))
		die_oom();
	return h;
}

static void handle_give_back(struct storage_s3 *s, CURL *h)
{
	curl_easy_reset(h); /* the options go; the open connection, DNS and TLS session caches stay */
	pthread_mutex_lock(&s->lock);
	if (s->nidle < S3_IDLE_MAX) {
		s->idle[s->nidle++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	if (h)
		curl_easy_cleanup(h);
}

/* ---- callbacks ---- */

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct s3_req *r = arg;
	size_t want = size * n;

	if (r->in_fd >= 0) {
		ssize_t got;
		do
			got = read(r->in_fd, buf, want);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return CURL_READFUNC_ABORT;
		r->sent += (uint64_t)got;
		return (size_t)got;
	}
	if (want > r->len - r->sent)
		want = (size_t)(r->len - r->sent);
	memcpy(buf, r->data + r->sent, want);
	r->sent += want;
	return want;
}

/* curl rewinds the body when it sends the request again (a reused connection that was closed). */
static int on_seek(void *arg, curl_off_t offset, int origin)
{
	struct s3_req *r = arg;

	if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > r->len)
		return CURL_SEEKFUNC_CANTSEEK;
	if (r->in_fd >= 0 && lseek(r->in_fd, (off_t)offset, SEEK_SET) < 0)
		return CURL_SEEKFUNC_FAIL;
	r->sent = (uint64_t)offset;
	return CURL_SEEKFUNC_OK;
}

static size_t on_write(char *p, size_t size, size_t n, void *arg)
{
	struct s3_req *r = arg;
	size_t len = size * n;
	long status = 0;

	curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &status);
	if (status / 100 == 2 && r->out_fd >= 0) {
		size_t left = len;
		while (left > 0) {
			ssize_t w = write(r->out_fd, p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				r->write_errno = w < 0 ? errno : ENOSPC;
				return 0; /* CURLE_WRITE_ERROR */
			}
			p += w;
			left -= (size_t)w;
		}
		r->got += len;
		return len;
	}
	if (status / 100 != 2 && r->nbody + 1 < sizeof(r->body)) {
		size_t keep = len < sizeof(r->body) - 1 - r->nbody ? len : sizeof(r->body) - 1 - r->nbody;
		memcpy(r->body + r->nbody, p, keep);
		r->nbody += keep;
		r->body[r->nbody] = '\0';
	}
	return len;
}

/* S3 names an error in x-amz-error-code on some answers without a body (HEAD). */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct s3_req *r = arg;
	size_t len = size * n;
	static const char name[] = "x-amz-error-code:";

	if (len > sizeof(name) - 1 && strncasecmp(p, name, sizeof(name) - 1) == 0) {
		const char *v = p + sizeof(name) - 1;
		size_t vl = len - (sizeof(name) - 1);
		while (vl > 0 && (*v == ' ' || *v == '\t'))
			v++, vl--;
		while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
			vl--;
		snprintf(r->code, sizeof(r->code), "%.*s", (int)(vl < sizeof(r->code) ? vl : sizeof(r->code) - 1), v);
	}
	return len;
}

/* ---- one request ---- */

static void req_init(struct s3_req *r, struct storage_s3 *s, const char *method, const char *url)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->method = method;
	r->url = url;
	r->in_fd = -1;
	r->out_fd = -1;
}

/* payload: the hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
static CURLcode perform(struct s3_req *r, const char *payload)
{
	struct storage_s3 *s = r->s;
	struct curl_slist *headers = NULL, *more;
	char hdr[96];
	CURLcode cc;
	bool upload = strcmp(r->method, "PUT") == 0;

	snprintf(hdr, sizeof(hdr), "x-amz-content-sha256: %s", payload);
	if (!(headers = curl_slist_append(NULL, hdr)) || !(more = curl_slist_append(headers, "Expect:")))
		die_oom();
	headers = more;
	r->h = handle_take(s);
	curl_easy_setopt(r->h, CURLOPT_URL, r->url);
	curl_easy_setopt(r->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(r->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->h, CURLOPT_AWS_SIGV4, s->sigv4);
	curl_easy_setopt(r->h, CURLOPT_USERNAME, s->access_key);
	curl_easy_setopt(r->h, CURLOPT_PASSWORD, s->secret_key);
	curl_easy_setopt(r->h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(r->h, CURLOPT_CONNECTTIMEOUT, s->connect_timeout);
	curl_easy_setopt(r->h, CURLOPT_TCP_KEEPALIVE, 1L);
	if (s->ca_file)
		curl_easy_setopt(r->h, CURLOPT_CAINFO, s->ca_file);
	curl_easy_setopt(r->h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(r->h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->h, CURLOPT_ERRORBUFFER, r->curl_err);
	if (upload || r->out_fd >= 0) {
		/* a body of any size: no limit on the whole, but a transfer that stalls is given up */
		curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(r->h, CURLOPT_LOW_SPEED_TIME, s->timeout);
	} else {
		curl_easy_setopt(r->h, CURLOPT_TIMEOUT, s->timeout);
	}
	if (upload) {
		curl_easy_setopt(r->h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(r->h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->len);
		curl_easy_setopt(r->h, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(r->h, CURLOPT_READDATA, r);
		curl_easy_setopt(r->h, CURLOPT_SEEKFUNCTION, on_seek);
		curl_easy_setopt(r->h, CURLOPT_SEEKDATA, r);
	} else if (strcmp(r->method, "HEAD") == 0) {
		curl_easy_setopt(r->h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(r->method, "GET") == 0) {
		curl_easy_setopt(r->h, CURLOPT_FILETIME, 1L);
	} else {
		curl_easy_setopt(r->h, CURLOPT_CUSTOMREQUEST, r->method);
	}
	cc = curl_easy_perform(r->h);
	curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &r->status);
	if (cc != CURLE_OK)
		r->status = 0;
	if (!r->code[0]) { /* <Code>…</Code> of an XML error body */
		const char *a = strstr(r->body, "<Code>"), *b = a ? strstr(a, "</Code>") : NULL;
		if (a && b && b - a - 6 < (long)sizeof(r->code))
			snprintf(r->code, sizeof(r->code), "%.*s", (int)(b - a - 6), a + 6);
	}
	curl_slist_free_all(headers);
	return cc;
}

static void req_done(struct s3_req *r, int64_t *filetime)
{
	if (filetime) {
		curl_off_t t = -1;
		curl_easy_getinfo(r->h, CURLINFO_FILETIME_T, &t);
		*filetime = t >= 0 ? (int64_t)t : (int64_t)time(NULL);
	}
	handle_give_back(r->s, r->h);
	r->h = NULL;
}

/*
 * The error of a request that did not answer as hoped: unreachable or 5xx → ERROR_UNAVAILABLE
 * (503, retry), anything else → ERROR_INTERNAL. A 403 is the credentials or the bucket's policy:
 * logged loudly once, as every request will fail alike until the configuration is fixed.
 */
static int req_error(struct s3_req *r, CURLcode cc, const char *key, struct error *err)
{
	struct storage_s3 *s = r->s;

	if (cc == CURLE_WRITE_ERROR && r->write_errno)
		return error_set(err, ERROR_INTERNAL, NULL, "S3 %s %s: cannot write a temporary file in %s: %s",
				 r->method, key, s->tmp, strerror(r->write_errno));
	if (cc == CURLE_READ_ERROR || cc == CURLE_ABORTED_BY_CALLBACK)
		return error_set(err, ERROR_INTERNAL, NULL, "S3 %s %s: cannot read the file to send", r->method, key);
	if (cc != CURLE_OK) {
		error_set(err, ERROR_UNAVAILABLE, NULL, "S3 %s %s at %s: %s", r->method, key, s->endpoint,
			  r->curl_err[0] ? r->curl_err : curl_easy_strerror(cc));
		err->retry_after = 5;
		return -1;
	}
	if (r->status >= 500) {
		error_set(err, ERROR_UNAVAILABLE, NULL, "S3 %s %s: the store answered %ld%s%s", r->method, key, r->status,
			  r->code[0] ? " " : "", r->code);
		err->retry_after = 5;
		return -1;
	}
	if (r->status == 403) {
		if (atomic_exchange(&s->denied_logged, 1) == 0)
			log_error("S3: %s refused access to the bucket %s (403 %s): check the access key id %s and its secret "
				  "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or --media-s3-credentials-file), --media-s3-region "
				  "and the bucket's policy; further refusals are logged at debug level",
				  s->endpoint, s->bucket, r->code[0] ? r->code : "Forbidden", s->access_key);
		else
			log_msg(LOG_DEBUG, "S3: %s %s refused (403 %s)", r->method, key, r->code);
	}
	return error_set(err, ERROR_INTERNAL, NULL, "S3 %s %s: the store answered %ld%s%s", r->method, key, r->status,
			 r->code[0] ? " " : "", r->code);
}

static char *object_url(struct storage_s3 *s, const char *key)
{
	size_t n = strlen(s->object_base) + strlen(key) + 1;
	char *url = malloc(n);
	if (!url)
		die_oom();
	snprintf(url, n, "%s%s", s->object_base, key);
	return url;
}

/* ---- the operations ---- */

static int s3_put_body(struct storage_s3 *s, const char *key, const unsigned char *data, int fd, uint64_t len,
		       const char *payload, struct error *err)
{
	struct s3_req r;
	char *url = object_url(s, key);
	CURLcode cc;
	int rc = 0;

	req_init(&r, s, "PUT", url);
	r.data = data;
	r.in_fd = fd;
	r.len = len;
	cc = perform(&r, payload);
	if (cc != CURLE_OK || r.status / 100 != 2)
		rc = req_error(&r, cc, key, err);
	req_done(&r, NULL);
	free(url);
	return rc;
}

static int s3_put(struct storage *st, const char *key, const void *data, size_t len, struct error *err)
{
	struct storage_s3 *s = (struct storage_s3 *)st;
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];

	if (!storage_key_valid(key))
		return error_set(err, ERROR_INTERNAL, NULL, "invalid storage key '%s'", key);
	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	return s3_put_body(s, key, data, -1, len, hex, err);
}

static int s3_put_file(struct storage *st, const char *key, const char *path, struct error *err)
{
	struct storage_s3 *s = (struct storage_s3 *)st;
	struct stat sb;
	int fd, rc;

	if (!storage_key_valid(key)) {
		unlink(path);
		return error_set(err, ERROR_INTERNAL, NULL, "invalid storage key '%s'", key);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		unlink(path);
		return error_set(err, ERROR_INTERNAL, NULL, "cannot open %s: %s", path, strerror(e));
	}
	/* streamed as it is read: hashing it first would read a file of up to --upload-limit twice */
	rc = s3_put_body(s, key, NULL, fd, (uint64_t)sb.st_size, "UNSIGNED-PAYLOAD", err);
	close(fd);
	unlink(path);
	return rc;
}

/* An unlinked file in dir for a download; -1 with errno set. */
static int anonymous_file(const char *dir)
{
	char path[PATH_MAX + 32];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	/* a file system without O_TMPFILE: a named file, unlinked at once */
	snprintf(path, sizeof(path), "%s/get-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static int s3_get(struct storage *st, const char *key, struct storage_object *obj, struct error *err)
{
	struct storage_s3 *s = (struct storage_s3 *)st;
	struct s3_req r;
	struct stat sb;
	char *url;
	CURLcode cc;
	int64_t mtime = 0;
	int fd, rc;

	if (!storage_key_valid(key))
		return 0;
	fd = anonymous_file(s->tmp);
	if (fd < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot create a temporary file in %s: %s", s->tmp,
				 strerror(errno));
	url = object_url(s, key);
	req_init(&r, s, "GET", url);
	r.out_fd = fd;
	cc = perform(&r, S3_EMPTY_SHA256);
	if (cc == CURLE_OK && r.status == 200) {
		rc = 1;
	} else if (cc == CURLE_OK && r.status == 404) {
		rc = 0;
	} else {
		rc = req_error(&r, cc, key, err);
	}
	req_done(&r, rc == 1 ? &mtime : NULL);
	free(url);
	if (rc == 1 && (fstat(fd, &sb) < 0 || (uint64_t)sb.st_size != r.got || lseek(fd, 0, SEEK_SET) < 0))
		rc = error_set(err, ERROR_INTERNAL, NULL, "S3 GET %s: the temporary file does not hold the object", key);
	if (rc != 1) {
		close(fd);
		return rc;
	}
	obj->fd = fd;
	obj->size = r.got;
	obj->mtime = mtime;
	return 1;
}

static int s3_exists(struct storage *st, const char *key)
{
	struct storage_s3 *s = (struct storage_s3 *)st;
	struct s3_req r;
	struct error err;
	char *url;
	CURLcode cc;
	int rc = 0;

	if (!storage_key_valid(key))
		return 0;
	url = object_url(s, key);
	req_init(&r, s, "HEAD", url);
	cc = perform(&r, S3_EMPTY_SHA256);
	if (cc == CURLE_OK && r.status == 200) {
		rc = 1;
	} else if (cc != CURLE_OK || r.status != 404) {
		struct arena *a = arena_create(1024);
		error_init(&err, a);
		req_error(&r, cc, key, &err);
		log_warn("storage: %s (taken as missing)", err.message);
		arena_destroy(a);
	}
	req_done(&r, NULL);
	free(url);
	return rc;
}

static int s3_remove(struct storage *st, const char *key, struct error *err)
{
	struct storage_s3 *s = (struct storage_s3 *)st;
	struct s3_req r;
	char *url;
	CURLcode cc;
	int rc = 0;

	if (!storage_key_valid(key))
		return error_set(err, ERROR_INTERNAL, NULL, "invalid storage key '%s'", key);
	url = object_url(s, key);
	req_init(&r, s, "DELETE", url);
	cc = perform(&r, S3_EMPTY_SHA256);
	if (cc != CURLE_OK || (r.status / 100 != 2 && r.status != 404))
		rc = req_error(&r, cc, key, err);
	req_done(&r, NULL);
	free(url);
	return rc;
}

static const char *s3_tmp_dir(const struct storage *st)
{
	return ((const struct storage_s3 *)st)->tmp;
}

static void s3_destroy(struct storage *st)
{
	struct storage_s3 *s = (struct storage_s3 *)st;

	for (int i = 0; i < s->nidle; i++)
		curl_easy_cleanup(s->idle[i]);
	pthread_mutex_destroy(&s->lock);
	if (s->secret_key) {
		sodium_memzero(s->secret_key, strlen(s->secret_key));
		free(s->secret_key);
	}
	free(s->access_key);
	free(s->object_base);
	free(s->bucket_url);
	free(s->endpoint);
	free(s->bucket);
	free(s->ca_file);
	free(s);
}

static const struct storage_ops s3_ops = {
	s3_put, s3_put_file, s3_get, s3_exists, s3_remove, s3_tmp_dir, s3_destroy,
};

/* ---- creation ---- */

static char *dup_or_die(const char *v)
{
	char *d = strdup(v ? v : "");
	if (!d)
		die_oom();
	return d;
}

static char *printf_or_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printf_or_die(const char *fmt, ...)
{
	va_list ap;
	char *out = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&out, fmt, ap);
	va_end(ap);
	if (n < 0)
		die_oom();
	return out;
}

static bool all_of(const char *v, const char *extra)
{
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(extra, *p)))
			return false;
	return true;
}

static int mkdir_p(const char *dir)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return -1;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0750) < 0 && errno != EEXIST ? -1 : 0;
}

struct storage *storage_s3_create(const struct storage_s3_settings *set, char *msg, size_t msglen)
{
	struct storage_s3 *s;
	const char *host;
	char prefix[600];
	size_t elen;

	if (!set->endpoint || (strncmp(set->endpoint, "http://", 7) && strncmp(set->endpoint, "https://", 8)) ||
	    strpbrk(set->endpoint, "?# \t\r\n")) {
		snprintf(msg, msglen, "the S3 endpoint must be an http:// or https:// URL without a query");
		return NULL;
	}
	if (!set->bucket || !*set->bucket || strlen(set->bucket) > 255 || set->bucket[0] == '.' ||
	    !all_of(set->bucket, ".-_")) {
		snprintf(msg, msglen, "invalid S3 bucket name '%s'", set->bucket ? set->bucket : "");
		return NULL;
	}
	if (!set->region || !*set->region || strlen(set->region) > 40 || !all_of(set->region, "-_")) {
		snprintf(msg, msglen, "invalid S3 region '%s'", set->region ? set->region : "");
		return NULL;
	}
	/* the prefix: key segments; surrounding slashes are dropped */
	{
		const char *p = set->prefix ? set->prefix : "";
		size_t n;
		while (*p == '/')
			p++;
		n = strlen(p);
		while (n > 0 && p[n - 1] == '/')
			n--;
		if (n >= sizeof(prefix) - 1) {
			snprintf(msg, msglen, "the S3 key prefix is too long");
			return NULL;
		}
		memcpy(prefix, p, n);
		prefix[n] = '\0';
		if (n && !storage_key_valid(prefix)) {
			snprintf(msg, msglen, "invalid S3 key prefix '%s': segments of letters, digits, '.', '_', '-'",
				 prefix);
			return NULL;
		}
		if (n)
			strcat(prefix, "/");
	}
	if (!set->access_key || !*set->access_key || !set->secret_key || !*set->secret_key) {
		snprintf(msg, msglen, "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
				      "--media-s3-credentials-file");
		return NULL;
	}
	if (!all_of(set->access_key, "-_+/=.") || strlen(set->access_key) > 128) {
		snprintf(msg, msglen, "the S3 access key id has characters an access key id cannot have");
		return NULL;
	}
	if (!set->tmp_dir || !*set->tmp_dir || strlen(set->tmp_dir) >= PATH_MAX || mkdir_p(set->tmp_dir) < 0) {
		snprintf(msg, msglen, "cannot create the temporary directory %s: %s", set->tmp_dir ? set->tmp_dir : "",
			 strerror(errno));
		return NULL;
	}
	if (set->ca_file && *set->ca_file && access(set->ca_file, R_OK) < 0) {
		snprintf(msg, msglen, "cannot read the CA file %s: %s", set->ca_file, strerror(errno));
		return NULL;
	}

	pthread_once(&curl_once, curl_setup);
	s = calloc(1, sizeof(*s));
	if (!s)
		die_oom();
	s->base.ops = &s3_ops;
	pthread_mutex_init(&s->lock, NULL);
	s->endpoint = dup_or_die(set->endpoint);
	elen = strlen(s->endpoint);
	while (elen > 0 && s->endpoint[elen - 1] == '/')
		s->endpoint[--elen] = '\0';
	s->bucket = dup_or_die(set->bucket);
	s->access_key = dup_or_die(set->access_key);
	s->secret_key = dup_or_die(set->secret_key);
	s->ca_file = set->ca_file && *set->ca_file ? dup_or_die(set->ca_file) : NULL;
	snprintf(s->sigv4, sizeof(s->sigv4), "aws:amz:%s:s3", set->region);
	snprintf(s->tmp, sizeof(s->tmp), "%s", set->tmp_dir);
	s->connect_timeout = set->connect_timeout > 0 ? set->connect_timeout : 5;
	s->timeout = set->request_timeout > 0 ? set->request_timeout : 30;

	host = strstr(s->endpoint, "://") + 3;
	if (set->virtual_host) {
		/* scheme://bucket.host[:port][/path]/ */
		s->bucket_url = printf_or_die("%.*s%s.%s/", (int)(host - s->endpoint), s->endpoint, s->bucket, host);
		s->object_base = printf_or_die("%s%s", s->bucket_url, prefix);
	} else {
		s->bucket_url = printf_or_die("%s/%s", s->endpoint, s->bucket);
		s->object_base = printf_or_die("%s/%s/%s", s->endpoint, s->bucket, prefix);
	}
	return &s->base;
}

int storage_s3_check(struct storage *st, char *msg, size_t msglen)
{
	struct storage_s3 *s = (struct storage_s3 *)st;
	struct s3_req r;
	CURLcode cc;
	long status;

	if (st->ops != &s3_ops)
		return 0;
	req_init(&r, s, "HEAD", s->bucket_url);
	cc = perform(&r, S3_EMPTY_SHA256);
	status = r.status;
	req_done(&r, NULL);
	if (cc != CURLE_OK) {
		snprintf(msg, msglen, "cannot reach the S3 endpoint %s: %s", s->endpoint,
			 r.curl_err[0] ? r.curl_err : curl_easy_strerror(cc));
		return -1;
	}
	if (status / 100 == 2)
		return 0;
	if (status == 403)
		snprintf(msg, msglen, "the S3 store %s refused access to the bucket %s (403%s%s): check the access key id "
				      "%s and its secret (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or "
				      "--media-s3-credentials-file), --media-s3-region and the bucket's policy",
			 s->endpoint, s->bucket, r.code[0] ? " " : "", r.code, s->access_key);
	else if (status == 404)
		snprintf(msg, msglen, "the S3 store %s has no bucket %s: create it first", s->endpoint, s->bucket);
	else if (status == 301 || status == 400)
		snprintf(msg, msglen, "the S3 store %s answered %ld%s%s for the bucket %s: is --media-s3-region right?",
			 s->endpoint, status, r.code[0] ? " " : "", r.code, s->bucket);
	else
		snprintf(msg, msglen, "the S3 store %s answered %ld%s%s for the bucket %s", s->endpoint, status,
			 r.code[0] ? " " : "", r.code, s->bucket);
	return -1;
}

/* ---- the credentials file ---- */

static char *trim(char *p)
{
	char *e;
	while (*p == ' ' || *p == '\t')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return p;
}

int storage_s3_credentials_load(const char *path, char *key, size_t keylen, char *secret, size_t secretlen,
				char *msg, size_t msglen)
{
	char line[1024];
	bool in_default = true;
	struct stat sb;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(msg, msglen, "cannot read the S3 credentials file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
		log_warn("the S3 credentials file %s is readable by others; chmod 600 it", path);
	key[0] = secret[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *l = trim(line), *eq, *name, *value;
		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			in_default = strcmp(l, "[default]") == 0;
			continue;
		}
		eq = strchr(l, '=');
		if (!in_default || !eq)
			continue;
		*eq = '\0';
		name = trim(l);
		value = trim(eq + 1);
		if (strcmp(name, "aws_access_key_id") == 0 && strlen(value) < keylen)
			snprintf(key, keylen, "%s", value);
		else if (strcmp(name, "aws_secret_access_key") == 0 && strlen(value) < secretlen)
			snprintf(secret, secretlen, "%s", value);
	}
	sodium_memzero(line, sizeof(line));
	fclose(f);
	if (!key[0] || !secret[0]) {
		snprintf(msg, msglen, "the S3 credentials file %s has no aws_access_key_id and aws_secret_access_key "
				      "(outside a section or in [default])", path);
		sodium_memzero(secret, secretlen);
		return -1;
	}
	return 0;
}
