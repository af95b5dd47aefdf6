/* Video compression with Debian's ffmpeg (media.h: media_video_compress). */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "core/media/media.h"
#include "core/media/storage.h"
#include "store/media/store_media.h"

extern char **environ;

/*
 * The long side at most MEDIA_VIDEO_LONG_SIDE, the short one at most
 * MEDIA_VIDEO_SHORT_SIDE, aspect kept, never upscaled, even dimensions (yuv420p).
 * iw/ih are after ffmpeg's autorotation, so portrait phone videos stay portrait.
 */
#define STR2(x) #x
#define STR(x) STR2(x)
#define LONG_SIDE STR(MEDIA_VIDEO_LONG_SIDE)
#define SHORT_SIDE STR(MEDIA_VIDEO_SHORT_SIDE)
static const char scale_filter[] =
	"scale=w='if(gt(iw,ih),min(" LONG_SIDE ",iw),min(" SHORT_SIDE ",iw))'"
	":h='if(gt(iw,ih),min(" SHORT_SIDE ",ih),min(" LONG_SIDE ",ih))'"
	":force_original_aspect_ratio=decrease:force_divisible_by=2";

static const char *ffmpeg_binary(void)
{
	const char *p = getenv("RENTD_FFMPEG");
	return p && *p ? p : "ffmpeg";
}

/* The last words of ffmpeg's log, on one line. */
static const char *log_tail(struct arena *a, int fd)
{
	char buf[400];
	off_t end = lseek(fd, 0, SEEK_END);
	off_t from = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	ssize_t n = end > 0 ? pread(fd, buf, sizeof(buf) - 1, from) : 0;

	if (n <= 0)
		return "no output";
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\r' || (unsigned char)buf[i] < 0x20)
			buf[i] = ' ';
	return arena_printf(a, "%s", buf);
}

/*
 * Runs argv with the input on fd 3, stdin from /dev/null and stdout/stderr into
 * log_fd; kills it after timeout seconds. 0: exited 0; 1: exited otherwise (*what
 * says how); -1: could not start or timed out (err filled).
 */
static int run_child(struct arena *a, char *const argv[], int in_fd, int log_fd, int timeout, const char **what,
		     struct error *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	int status = 0, rc, in_hi = -1, log_hi = -1;
	struct timespec start, now, pause = { 0, 20 * 1000 * 1000 };

	/* high copies, so that the dup2s below never meet a target that is also a source */
	in_hi = fcntl(in_fd, F_DUPFD_CLOEXEC, 10);
	log_hi = fcntl(log_fd, F_DUPFD_CLOEXEC, 10);
	if (in_hi < 0 || log_hi < 0) {
		rc = errno;
		if (in_hi >= 0)
			close(in_hi);
		if (log_hi >= 0)
			close(log_hi);
		return error_set(err, ERROR_INTERNAL, NULL, "cannot start ffmpeg: %s", strerror(rc));
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, log_hi, 1);
	posix_spawn_file_actions_adddup2(&fa, log_hi, 2);
	posix_spawn_file_actions_adddup2(&fa, in_hi, 3);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	posix_spawn_file_actions_addclosefrom_np(&fa, 4); /* no server socket or database leaks into the child */
#endif
	/* the worker thread may block or ignore signals; the child starts with the defaults */
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGHUP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(in_hi);
	close(log_hi);
	if (rc != 0)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot start %s: %s", argv[0], strerror(rc));

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			rc = errno;
			kill(pid, SIGKILL);
			return error_set(err, ERROR_INTERNAL, NULL, "waiting for ffmpeg: %s", strerror(rc));
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return error_set(err, ERROR_INTERNAL, NULL, "ffmpeg took more than %d s and was stopped", timeout);
		}
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 250 * 1000 * 1000)
			pause.tv_nsec *= 2; /* quick for short clips, cheap for long ones */
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	*what = WIFEXITED(status) ? arena_printf(a, "exit status %d", WEXITSTATUS(status))
				  : arena_printf(a, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return 1;
}

/* MD5 (base64), SHA-256 (hex) and size of a file. */
static int hash_file(struct arena *a, const char *path, struct str *md5, char sha_hex[65], int64_t *size,
		     struct error *err)
{
	static _Thread_local unsigned char chunk[64 * 1024];
	unsigned char md[EVP_MAX_MD_SIZE], sha[crypto_hash_sha256_BYTES];
	unsigned mdlen = 0;
	crypto_hash_sha256_state sst;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	char *b64 = arena_alloc(a, 25);
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
	ssize_t n;

	*size = 0;
	if (!m || !EVP_DigestInit_ex(m, EVP_md5(), NULL) || fd < 0) {
		error_set(err, ERROR_INTERNAL, NULL, "cannot hash %s: %s", path, fd < 0 ? strerror(errno) : "no MD5");
		goto out;
	}
	crypto_hash_sha256_init(&sst);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_set(err, ERROR_INTERNAL, NULL, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		EVP_DigestUpdate(m, chunk, (size_t)n);
		crypto_hash_sha256_update(&sst, chunk, (size_t)n);
		*size += n;
	}
	EVP_DigestFinal_ex(m, md, &mdlen);
	crypto_hash_sha256_final(&sst, sha);
	sodium_bin2base64(b64, 25, md, mdlen, sodium_base64_VARIANT_ORIGINAL);
	*md5 = str_from_cstr(b64);
	sodium_bin2hex(sha_hex, 65, sha, sizeof(sha));
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(m);
	return rc;
}

/* Records the compressed file: one transaction, a row for it (unless its bytes are known) and the link. */
static int record(struct core *c, struct arena *a, const struct stored_file *orig, const struct stored_file *out,
		  struct error *err)
{
	struct stored_file known;
	int64_t id;
	int found;

	if (store_begin(c->store, err) < 0)
		return -1;
	found = store_stored_file_by_key(c->store, a, out->key, &known, err);
	if (found < 0)
		goto fail;
	if (found)
		id = known.id;
	else if (store_stored_file_insert(c->store, out, &id, err) < 0)
		goto fail;
	if (store_stored_file_set_compressed(c->store, orig->id, id, err) < 0)
		goto fail;
	return store_commit(c->store, err);
fail:
	store_rollback(c->store);
	return -1;
}

int media_video_compress(struct core *c, struct arena *a, int64_t stored_file_id, struct error *err)
{
	struct stored_file sf, out;
	const struct media_entity *e;
	struct storage_object obj;
	const char *tmp, *what = NULL, *key;
	char *out_path = NULL, *log_path = NULL, sha_hex[65];
	int out_fd = -1, log_fd = -1, rc = -1, ran;

	if (store_stored_file_get(c->store, a, stored_file_id, &sf, err) < 0)
		return -1;
	if (sf.compressed_file_id)
		return 0; /* a job run twice (its lease ran out): done already */
	e = media_category_find(sf.category);
	if (!e || !e->compress)
		return error_set(err, ERROR_VALIDATION, NULL, "no compression for category %.*s", STR_FMT(sf.category));
	rc = storage_get(c->storage, arena_strdup_str(a, sf.key), &obj, err);
	if (rc <= 0)
		return rc < 0 ? -1 : error_set(err, ERROR_NOT_FOUND, NULL, "stored file %.*s is missing", STR_FMT(sf.key));
	rc = -1;

	tmp = storage_tmp_dir(c->storage);
	out_path = arena_printf(a, "%s/video-%lld-XXXXXX.mp4", tmp, (long long)sf.id);
	log_path = arena_printf(a, "%s/video-%lld-XXXXXX.log", tmp, (long long)sf.id);
	out_fd = mkostemps(out_path, 4, O_CLOEXEC);
	log_fd = out_fd < 0 ? -1 : mkostemps(log_path, 4, O_CLOEXEC);
	if (out_fd < 0 || log_fd < 0) {
		error_set(err, ERROR_INTERNAL, NULL, "cannot create a temporary file in %s: %s", tmp, strerror(errno));
		goto out;
	}
	close(out_fd);
	out_fd = -1;
	{
		char *argv[] = {
			(char *)ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
			"-i", "file:/dev/fd/3",
			"-map", "0:v:0", "-map", "0:a:0?", "-map_metadata", "-1", "-sn", "-dn",
			"-vf", (char *)scale_filter,
			"-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
			"-c:a", "aac", "-b:a", "128k", "-ac", "2",
			"-movflags", "+faststart", "-threads", "2", "-f", "mp4", out_path, NULL,
		};
		ran = run_child(a, argv, obj.fd, log_fd, MEDIA_VIDEO_TIMEOUT, &what, err);
	}
	close(obj.fd);
	obj.fd = -1;
	if (ran < 0) {
		if (err->message)
			err->message = arena_printf(a, "%s (%s)", err->message, log_tail(a, log_fd));
		goto out;
	}
	if (ran > 0) {
		/* ffmpeg read the file and refused it: the same bytes will be refused again */
		error_set(err, ERROR_VALIDATION, NULL, "ffmpeg could not compress %.*s (%s): %s", STR_FMT(sf.key), what,
			  log_tail(a, log_fd));
		goto out;
	}

	memset(&out, 0, sizeof(out));
	if (hash_file(a, out_path, &out.md5, sha_hex, &out.size, err) < 0)
		goto out;
	if (out.size <= 0) {
		error_set(err, ERROR_VALIDATION, NULL, "ffmpeg wrote nothing for %.*s", STR_FMT(sf.key));
		goto out;
	}
	key = arena_printf(a, "%.*s/%s.mp4", STR_FMT(sf.category), sha_hex);
	out.key = str_from_cstr(key);
	out.category = sf.category;
	out.sha256 = str_from_cstr(arena_printf(a, "%s", sha_hex));
	out.mime_type = STR_LIT("video/mp4");
	if (storage_put_file(c->storage, key, out_path, err) < 0) {
		out_path = NULL; /* put_file removes it also on failure */
		goto out;
	}
	out_path = NULL;
	/*
	 * The bytes stay if recording fails: content-addressed, a retry that makes the same
	 * bytes finds them in place, and an orphan costs only disk.
	 */
	if (record(c, a, &sf, &out, err) < 0)
		goto out;
	log_info("media: %.*s compressed to %s (%lld → %lld bytes)", STR_FMT(sf.key), key, (long long)sf.size,
		 (long long)out.size);
	rc = 0;
out:
	if (out_fd >= 0)
		close(out_fd);
	if (log_fd >= 0) {
		close(log_fd);
		unlink(log_path);
	}
	if (out_path)
		unlink(out_path);
	if (obj.fd >= 0)
		close(obj.fd);
	return rc;
}
