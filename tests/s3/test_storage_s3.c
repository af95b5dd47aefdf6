/*
 * core/media/storage_s3.c against a real S3-compatible server: s3rver, started by
 * tests/s3/s3_server.py with a random key pair (RENTD_TEST_S3_*), which checks every
 * request's Signature Version 4 (tests/s3/s3rver_run.js).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "core/media/storage.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v)
		cr_assert_fail("%s is not set: run this under tests/s3/s3_server.py", name);
	return v;
}

static char tmp_dir[256];
static struct arena *A; /* error messages */

static void make_tmp_dir(void)
{
	A = arena_create(4096);
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/rentd-s3-test-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp_dir));
}

static void remove_tmp_dir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	int rc = system(cmd);
	(void)rc;
	arena_destroy(A);
}

TestSuite(storage_s3, .init = make_tmp_dir, .fini = remove_tmp_dir);

/* A store on the test server; endpoint, key or secret NULL: the right ones. */
static struct storage *store_with(const char *endpoint, const char *key, const char *secret, const char *prefix)
{
	char msg[512] = "";
	struct storage *s = storage_s3_create(&(struct storage_s3_settings){
		.endpoint = endpoint ? endpoint : env("RENTD_TEST_S3_ENDPOINT"),
		.bucket = env("RENTD_TEST_S3_BUCKET"),
		.region = "us-east-1",
		.prefix = prefix,
		.access_key = key ? key : env("RENTD_TEST_S3_ACCESS_KEY"),
		.secret_key = secret ? secret : env("RENTD_TEST_S3_SECRET_KEY"),
		.tmp_dir = tmp_dir,
		.request_timeout = 10,
	}, msg, sizeof(msg));
	cr_assert_not_null(s, "storage_s3_create: %s", msg);
	return s;
}

static struct storage *store(void)
{
	return store_with(NULL, NULL, NULL, "");
}

/* An endpoint where nothing listens: a port the kernel gave and took back. */
static const char *dead_endpoint(void)
{
	static char url[64];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert(fd >= 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", ntohs(a.sin_port));
	return url;
}

/* The object's whole content through get; its size in *len. NULL when missing. */
static unsigned char *get_all(struct storage *s, const char *key, size_t *len)
{
	struct storage_object obj;
	struct error err;
	unsigned char *buf;
	size_t got = 0;
	int rc;

	error_init(&err, A);
	rc = storage_get(s, key, &obj, &err);
	cr_assert_geq(rc, 0, "get %s: %s", key, err.message ? err.message : "");
	if (rc == 0)
		return NULL;
	cr_assert_eq(lseek(obj.fd, 0, SEEK_CUR), 0, "the fd is at offset 0");
	buf = malloc(obj.size + 1);
	cr_assert_not_null(buf);
	while (got < obj.size) {
		ssize_t n = read(obj.fd, buf + got, obj.size - got);
		cr_assert_gt(n, 0);
		got += (size_t)n;
	}
	cr_assert_eq(read(obj.fd, buf + got, 1), 0, "nothing after the object's size");
	close(obj.fd);
	*len = got;
	return buf;
}

static void put_ok(struct storage *s, const char *key, const void *data, size_t len)
{
	struct error err;
	error_init(&err, A);
	cr_assert_eq(storage_put(s, key, data, len, &err), 0, "put %s: %s", key, err.message ? err.message : "");
}

/* The object as s3rver stored it on disk (its file store: DATA/BUCKET/KEY._S3rver_object). */
static bool on_server(const char *key)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s/%s._S3rver_object", env("RENTD_TEST_S3_DATA"), env("RENTD_TEST_S3_BUCKET"),
		 key);
	return access(path, F_OK) == 0;
}

/* A file of n pseudo-random bytes at path. */
static unsigned char *write_file(const char *path, size_t n, unsigned seed)
{
	unsigned char *b = malloc(n);
	int fd;
	cr_assert_not_null(b);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (unsigned char)(seed >> 16);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, b, n), (ssize_t)n);
	close(fd);
	return b;
}

Test(storage_s3, put_get_exists_remove)
{
	struct storage *s = store();
	struct storage_object obj;
	struct error err;
	const char *key = "apartment_images/0123abcd.png";
	unsigned char *got;
	size_t len;
	time_t now = time(NULL);

	put_ok(s, key, "\x89PNG bytes", 10);
	cr_assert(on_server(key), "the object is in the bucket under its key");
	cr_assert_eq(storage_exists(s, key), 1);
	got = get_all(s, key, &len);
	cr_assert_not_null(got);
	cr_assert_eq(len, 10);
	cr_assert_eq(memcmp(got, "\x89PNG bytes", 10), 0);
	free(got);

	error_init(&err, A);
	cr_assert_eq(storage_get(s, key, &obj, &err), 1);
	cr_assert_eq(obj.size, 10);
	cr_assert(obj.mtime >= now - 120 && obj.mtime <= now + 120, "mtime from Last-Modified: %lld vs %lld",
		  (long long)obj.mtime, (long long)now);
	close(obj.fd);

	/* putting again replaces */
	put_ok(s, key, "other", 5);
	got = get_all(s, key, &len);
	cr_assert_eq(len, 5);
	cr_assert_eq(memcmp(got, "other", 5), 0);
	free(got);

	cr_assert_eq(storage_delete(s, key, &err), 0, "%s", err.message ? err.message : "");
	cr_assert_not(on_server(key));
	cr_assert_eq(storage_exists(s, key), 0);
	cr_assert_null(get_all(s, key, &len));
	cr_assert_eq(storage_delete(s, key, &err), 0, "deleting a missing key is not an error");
	storage_destroy(s);
}

Test(storage_s3, empty_object)
{
	struct storage *s = store();
	size_t len = 99;
	unsigned char *got;

	put_ok(s, "empty/zero", "", 0);
	got = get_all(s, "empty/zero", &len);
	cr_assert_not_null(got);
	cr_assert_eq(len, 0);
	free(got);
	storage_destroy(s);
}

Test(storage_s3, missing_key)
{
	struct storage *s = store();
	struct storage_object obj;
	struct error err;
	size_t len;

	error_init(&err, A);
	cr_assert_null(get_all(s, "apartment_images/never-put.png", &len));
	cr_assert_eq(storage_get(s, "no/such/deep/key", &obj, &err), 0);
	cr_assert_eq(storage_exists(s, "apartment_images/never-put.png"), 0);
	storage_destroy(s);
}

Test(storage_s3, every_allowed_character)
{
	struct storage *s = store();
	const char *key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ/abcdefghijklmnopqrstuvwxyz/0123456789/a._-b/x-_.y.z";
	unsigned char *got;
	size_t len;

	cr_assert(storage_key_valid(key));
	put_ok(s, key, "chars", 5);
	cr_assert(on_server(key), "stored under exactly that key");
	cr_assert_eq(storage_exists(s, key), 1);
	got = get_all(s, key, &len);
	cr_assert_eq(len, 5);
	cr_assert_eq(memcmp(got, "chars", 5), 0);
	free(got);
	storage_destroy(s);
}

Test(storage_s3, invalid_keys_are_refused)
{
	struct storage *s = store();
	struct storage_object obj;
	struct error err;
	const char *bad[] = { "", "/abs", "a//b", "../up", "a/../b", ".hidden", "tmp/x", "sp ace", "q?x", "pct%20",
			      "a/" };
	char path[300];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error_init(&err, A);
		cr_assert_lt(storage_put(s, bad[i], "x", 1, &err), 0, "put '%s'", bad[i]);
		cr_assert_eq(storage_get(s, bad[i], &obj, &err), 0, "get '%s'", bad[i]);
		cr_assert_eq(storage_exists(s, bad[i]), 0);
		cr_assert_lt(storage_delete(s, bad[i], &err), 0, "delete '%s'", bad[i]);
	}
	/* put_file removes its file also then */
	snprintf(path, sizeof(path), "%s/spool", tmp_dir);
	free(write_file(path, 10, 1));
	cr_assert_lt(storage_put_file(s, "../x", path, &err), 0);
	cr_assert_neq(access(path, F_OK), 0, "the file is gone");
	storage_destroy(s);
}

Test(storage_s3, put_file_moves_the_file)
{
	struct storage *s = store();
	struct error err;
	char path[300];
	unsigned char *want, *got;
	size_t len;

	cr_assert_str_eq(storage_tmp_dir(s), tmp_dir);
	snprintf(path, sizeof(path), "%s/upload-1", storage_tmp_dir(s));
	want = write_file(path, 70000, 7);
	error_init(&err, A);
	cr_assert_eq(storage_put_file(s, "videos/v.mp4", path, &err), 0, "%s", err.message ? err.message : "");
	cr_assert_neq(access(path, F_OK), 0, "the file is gone");
	got = get_all(s, "videos/v.mp4", &len);
	cr_assert_eq(len, 70000);
	cr_assert_eq(memcmp(got, want, len), 0);
	free(got);
	free(want);
	storage_destroy(s);
}

Test(storage_s3, five_megabytes)
{
	struct storage *s = store();
	struct error err;
	char path[300];
	size_t n = 5 * 1024 * 1024 + 3, len;
	unsigned char *want, *got;

	snprintf(path, sizeof(path), "%s/big", tmp_dir);
	want = write_file(path, n, 42);
	put_ok(s, "big/from-memory", want, n);
	got = get_all(s, "big/from-memory", &len);
	cr_assert_eq(len, n);
	cr_assert_eq(memcmp(got, want, n), 0);
	free(got);

	error_init(&err, A);
	cr_assert_eq(storage_put_file(s, "big/from-file", path, &err), 0, "%s", err.message ? err.message : "");
	got = get_all(s, "big/from-file", &len);
	cr_assert_eq(len, n);
	cr_assert_eq(memcmp(got, want, n), 0);
	free(got);
	free(want);
	storage_destroy(s);
}

Test(storage_s3, prefix)
{
	struct storage *s = store_with(NULL, NULL, NULL, "/tenant-1/media/");
	struct storage *plain = store();
	char key[200];
	size_t len;
	unsigned char *got;

	put_ok(s, "apartment_images/p.png", "pre", 3);
	snprintf(key, sizeof(key), "tenant-1/media/apartment_images/p.png");
	cr_assert(on_server(key), "under the prefix");
	cr_assert_not(on_server("apartment_images/p.png"));
	got = get_all(plain, key, &len);
	cr_assert_not_null(got, "the same object without the prefix's store");
	cr_assert_eq(len, 3);
	free(got);
	cr_assert_eq(storage_exists(s, "apartment_images/p.png"), 1);
	storage_destroy(s);
	storage_destroy(plain);
}

/* bucket.host/key: s3rver takes BUCKET.s3.localhost (tests/s3/s3rver_run.js), which curl resolves to the loopback */
Test(storage_s3, virtual_host_style)
{
	char endpoint[128], msg[512];
	const char *port = strrchr(env("RENTD_TEST_S3_ENDPOINT"), ':') + 1;
	struct storage *s;
	unsigned char *got;
	size_t len;

	snprintf(endpoint, sizeof(endpoint), "http://s3.localhost:%s", port);
	s = storage_s3_create(&(struct storage_s3_settings){
		.endpoint = endpoint, .bucket = env("RENTD_TEST_S3_BUCKET"), .region = "us-east-1", .prefix = "vh",
		.access_key = env("RENTD_TEST_S3_ACCESS_KEY"), .secret_key = env("RENTD_TEST_S3_SECRET_KEY"),
		.tmp_dir = tmp_dir, .virtual_host = true }, msg, sizeof(msg));
	cr_assert_not_null(s, "%s", msg);
	cr_assert_eq(storage_s3_check(s, msg, sizeof(msg)), 0, "%s", msg);
	put_ok(s, "apartment_images/vh.png", "vhost", 5);
	cr_assert(on_server("vh/apartment_images/vh.png"), "in the bucket, under the prefix");
	got = get_all(s, "apartment_images/vh.png", &len);
	cr_assert_eq(len, 5);
	cr_assert_eq(memcmp(got, "vhost", 5), 0);
	free(got);
	storage_destroy(s);
}

Test(storage_s3, check)
{
	struct storage *s = store();
	struct storage *dead = store_with(dead_endpoint(), NULL, NULL, "");
	char msg[512];
	struct storage *nobucket;

	cr_assert_eq(storage_s3_check(s, msg, sizeof(msg)), 0);
	cr_assert_lt(storage_s3_check(dead, msg, sizeof(msg)), 0);
	cr_assert(strstr(msg, "cannot reach"), "%s", msg);
	nobucket = storage_s3_create(&(struct storage_s3_settings){
		.endpoint = env("RENTD_TEST_S3_ENDPOINT"), .bucket = "no-such-bucket", .region = "us-east-1",
		.access_key = env("RENTD_TEST_S3_ACCESS_KEY"), .secret_key = env("RENTD_TEST_S3_SECRET_KEY"),
		.tmp_dir = tmp_dir }, msg, sizeof(msg));
	cr_assert_not_null(nobucket);
	cr_assert_lt(storage_s3_check(nobucket, msg, sizeof(msg)), 0);
	cr_assert(strstr(msg, "no bucket no-such-bucket"), "%s", msg);
	storage_destroy(nobucket);
	storage_destroy(dead);
	storage_destroy(s);
}

/* The log written to a file: what a 403 says, and that it never says the secret. */
static char *log_of(void (*fn)(void))
{
	char path[300];
	static char text[8192];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/log", tmp_dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert(fd >= 0);
	log_set_fd(fd);
	log_set_level(LOG_DEBUG);
	fn();
	log_set_fd(2);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

static const char wrong_secret[] = "wrong-secret-WRONG/+secret-0123456789";

static void wrong_secret_requests(void)
{
	struct storage *s = store_with(NULL, NULL, wrong_secret, "");
	struct storage_object obj;
	struct error err;
	char msg[512], path[300];

	error_init(&err, A);
	cr_assert_lt(storage_put(s, "a/b", "x", 1, &err), 0, "a wrong secret is refused");
	cr_assert_eq(err.kind, ERROR_INTERNAL);
	cr_assert(strstr(err.message, "403 SignatureDoesNotMatch"), "%s", err.message);
	error_init(&err, A);
	cr_assert_lt(storage_get(s, "a/b", &obj, &err), 0);
	cr_assert(strstr(err.message, "403"), "%s", err.message);
	snprintf(path, sizeof(path), "%s/f", tmp_dir);
	free(write_file(path, 100, 3));
	cr_assert_lt(storage_put_file(s, "a/c", path, &err), 0);
	cr_assert_neq(access(path, F_OK), 0, "put_file removed the file after the failure");
	cr_assert_lt(storage_s3_check(s, msg, sizeof(msg)), 0);
	cr_assert(strstr(msg, "refused access") && strstr(msg, "403"), "%s", msg);
	cr_assert_null(strstr(msg, wrong_secret));
	cr_assert_null(strstr(msg, env("RENTD_TEST_S3_SECRET_KEY")));
	storage_destroy(s);
}

Test(storage_s3, wrong_secret)
{
	char *log = log_of(wrong_secret_requests);
	const char *first = strstr(log, "refused access to the bucket");

	cr_assert_not_null(first, "a 403 is logged: %s", log);
	cr_assert_null(strstr(first + 1, "refused access to the bucket"), "once: %s", log);
	cr_assert(strstr(log, env("RENTD_TEST_S3_ACCESS_KEY")), "the access key id is named: %s", log);
	cr_assert_null(strstr(log, wrong_secret), "the secret is never logged: %s", log);
	cr_assert_null(strstr(log, "wrong-secret"), "no part of it either");
}

Test(storage_s3, unknown_access_key)
{
	struct storage *s = store_with(NULL, "AKIDNOSUCHKEY", NULL, "");
	struct error err;
	char msg[512];

	error_init(&err, A);
	cr_assert_lt(storage_put(s, "a/b", "x", 1, &err), 0);
	cr_assert(strstr(err.message, "403 InvalidAccessKeyId"), "%s", err.message);
	cr_assert_lt(storage_s3_check(s, msg, sizeof(msg)), 0);
	cr_assert(strstr(msg, "AKIDNOSUCHKEY"), "%s", msg);
	storage_destroy(s);
}

Test(storage_s3, server_down_is_unavailable)
{
	struct storage *s = store_with(dead_endpoint(), NULL, NULL, "");
	struct storage_object obj;
	struct error err;
	char path[300];

	error_init(&err, A);
	cr_assert_lt(storage_put(s, "a/b", "x", 1, &err), 0);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE, "%s", err.message);
	error_init(&err, A);
	cr_assert_lt(storage_get(s, "a/b", &obj, &err), 0);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE);
	error_init(&err, A);
	cr_assert_lt(storage_delete(s, "a/b", &err), 0);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE);
	cr_assert_eq(storage_exists(s, "a/b"), 0);
	snprintf(path, sizeof(path), "%s/f", tmp_dir);
	free(write_file(path, 100, 3));
	error_init(&err, A);
	cr_assert_lt(storage_put_file(s, "a/c", path, &err), 0);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE);
	cr_assert_neq(access(path, F_OK), 0, "put_file removed the file after the failure");
	storage_destroy(s);
}

Test(storage_s3, server_error_is_unavailable)
{
	struct storage *s = store();
	struct storage_object obj;
	struct error err;

	/* tests/s3/s3rver_run.js answers 503 SlowDown for a key named unavailable-… */
	error_init(&err, A);
	cr_assert_lt(storage_put(s, "a/unavailable-1", "x", 1, &err), 0);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE);
	cr_assert(strstr(err.message, "503"), "%s", err.message);
	error_init(&err, A);
	cr_assert_lt(storage_get(s, "a/unavailable-1", &obj, &err), 0);
	cr_assert_eq(err.kind, ERROR_UNAVAILABLE);
	storage_destroy(s);
}

static struct storage *shared;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	for (int i = 0; i < 15; i++) {
		char key[64], body[64];
		size_t len;
		unsigned char *got;
		snprintf(key, sizeof(key), "threads/%d/%d", id, i);
		snprintf(body, sizeof(body), "thread %d object %d", id, i);
		put_ok(shared, key, body, strlen(body));
		got = get_all(shared, key, &len);
		cr_assert_not_null(got);
		cr_assert_eq(len, strlen(body));
		cr_assert_eq(memcmp(got, body, len), 0);
		free(got);
	}
	return NULL;
}

Test(storage_s3, threads_share_one_store)
{
	pthread_t t[4];

	shared = store();
	for (long i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, worker, (void *)i), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	storage_destroy(shared);
}

Test(storage_s3, bad_settings)
{
	char msg[256];
	struct storage_s3_settings ok = {
		.endpoint = "http://127.0.0.1:1", .bucket = "b", .region = "us-east-1", .prefix = "",
		.access_key = "AK", .secret_key = "SK", .tmp_dir = tmp_dir,
	}, bad;
	struct storage *s;

	s = storage_s3_create(&ok, msg, sizeof(msg));
	cr_assert_not_null(s, "%s", msg);
	storage_destroy(s);
#define REFUSED(field, value, says)                                                          \
	do {                                                                                 \
		bad = ok;                                                                    \
		bad.field = value;                                                           \
		msg[0] = '\0';                                                               \
		cr_assert_null(storage_s3_create(&bad, msg, sizeof(msg)), #field " " #value); \
		cr_assert(strstr(msg, says), "%s", msg);                                     \
	} while (0)
	REFUSED(endpoint, "ftp://host", "http://");
	REFUSED(endpoint, "127.0.0.1:9000", "http://");
	REFUSED(endpoint, "http://host/?x=1", "without a query");
	REFUSED(bucket, "", "bucket");
	REFUSED(bucket, "a/b", "bucket");
	REFUSED(bucket, ".x", "bucket");
	REFUSED(region, "", "region");
	REFUSED(region, "us east", "region");
	REFUSED(prefix, "a/../b", "prefix");
	REFUSED(prefix, "a b", "prefix");
	REFUSED(access_key, "", "AWS_ACCESS_KEY_ID");
	REFUSED(secret_key, "", "AWS_ACCESS_KEY_ID");
	REFUSED(access_key, "AK\r\nX-Injected: 1", "access key");
	REFUSED(tmp_dir, "/proc/no/such/dir", "temporary directory");
	REFUSED(ca_file, "/no/such/ca.pem", "CA file");
}

Test(storage_s3, credentials_file)
{
	char path[300], key[64], secret[64], msg[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/credentials", tmp_dir);
	f = fopen(path, "w");
	fputs("# comment\n[other]\naws_access_key_id = OTHER\naws_secret_access_key = other\n\n"
	      "[default]\r\naws_access_key_id=AKIDDEFAULT\r\n  aws_secret_access_key =  se/cr+et= \r\n", f);
	fclose(f);
	chmod(path, 0600);
	cr_assert_eq(storage_s3_credentials_load(path, key, sizeof(key), secret, sizeof(secret), msg, sizeof(msg)), 0,
		     "%s", msg);
	cr_assert_str_eq(key, "AKIDDEFAULT");
	cr_assert_str_eq(secret, "se/cr+et=");

	f = fopen(path, "w");
	fputs("aws_access_key_id = TOP\naws_secret_access_key = top\n", f);
	fclose(f);
	cr_assert_eq(storage_s3_credentials_load(path, key, sizeof(key), secret, sizeof(secret), msg, sizeof(msg)), 0);
	cr_assert_str_eq(key, "TOP");

	f = fopen(path, "w");
	fputs("[prod]\naws_access_key_id = P\naws_secret_access_key = p\n", f);
	fclose(f);
	cr_assert_lt(storage_s3_credentials_load(path, key, sizeof(key), secret, sizeof(secret), msg, sizeof(msg)), 0);
	cr_assert(strstr(msg, "has no aws_access_key_id"), "%s", msg);
	cr_assert_lt(storage_s3_credentials_load("/no/such/file", key, sizeof(key), secret, sizeof(secret), msg,
						 sizeof(msg)), 0);
	cr_assert(strstr(msg, "cannot read"), "%s", msg);
}
