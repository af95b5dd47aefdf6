/* storage.h on a local directory: temp + fsync + rename, then fsync of the directory. */
#include "core/media/storage.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

struct storage_local {
	struct storage base;
	char dir[PATH_MAX];
	char tmp[PATH_MAX + 8];
};

bool storage_key_valid(const char *key)
{
	size_t seglen = 0;
	size_t n = 0;

	if (!key || !*key || strncmp(key, "tmp/", 4) == 0) /* tmp/ holds files being written */
		return false;
	for (const char *p = key;; p++, n++) {
		char c = *p;
		if (n > 512)
			return false;
		if (c == '/' || c == '\0') {
			if (seglen == 0 || p[-(long)seglen] == '.')
				return false;
			if (c == '\0')
				return true;
			seglen = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return false;
		seglen++;
	}
}

void storage_destroy(struct storage *s)
{
	if (s)
		s->ops->destroy(s);
}

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* "<dir>/<key>" and its parent directory, created. */
static int object_path(struct storage_local *l, const char *key, char *path, size_t len, struct error *err)
{
	char parent[PATH_MAX];
	char *slash;

	if (!storage_key_valid(key))
		return error_set(err, ERROR_INTERNAL, NULL, "invalid storage key '%s'", key);
	if ((size_t)snprintf(path, len, "%s/%s", l->dir, key) >= len)
		return error_set(err, ERROR_INTERNAL, NULL, "storage path too long");
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	*slash = '\0';
	if (mkdir_p(parent) < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot create %s: %s", parent, strerror(errno));
	return 0;
}

/* Renames an fsynced temporary file into place and makes the rename durable. */
static int commit_temp(const char *tmp, const char *path, struct error *err)
{
	char parent[PATH_MAX];
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return error_set(err, ERROR_INTERNAL, NULL, "cannot rename into %s: %s", path, strerror(e));
	}
	snprintf(parent, sizeof(parent), "%s", path);
	*strrchr(parent, '/') = '\0';
	if (fsync_dir(parent) < 0)
		log_warn("storage: fsync of %s failed: %s", parent, strerror(errno));
	return 0;
}

static int local_put(struct storage *s, const char *key, const void *data, size_t len, struct error *err)
{
	struct storage_local *l = (struct storage_local *)s;
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	const char *p = data;
	int fd;

	if (object_path(l, key, path, sizeof(path), err) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s/put-XXXXXX", l->tmp);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot create a temporary file in %s: %s", l->tmp,
				 strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, 0640) < 0 || fsync(fd) < 0)
		goto fail;
	close(fd);
	return commit_temp(tmp, path, err);
fail:
	error_set(err, ERROR_INTERNAL, NULL, "cannot write %s: %s", tmp, strerror(errno));
	close(fd);
	unlink(tmp);
	return -1;
}

static int local_put_file(struct storage *s, const char *key, const char *src, struct error *err)
{
	struct storage_local *l = (struct storage_local *)s;
	char path[PATH_MAX];
	int fd;

	if (object_path(l, key, path, sizeof(path), err) < 0) {
		unlink(src);
		return -1;
	}
	fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fchmod(fd, 0640) < 0 || fsync(fd) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		unlink(src);
		return error_set(err, ERROR_INTERNAL, NULL, "cannot sync %s: %s", src, strerror(e));
	}
	close(fd);
	/* src is in l->tmp (same file system) when it comes from the upload spool; else rename fails */
	return commit_temp(src, path, err);
}

static int local_get(struct storage *s, const char *key, struct storage_object *obj, struct error *err)
{
	struct storage_local *l = (struct storage_local *)s;
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (!storage_key_valid(key))
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", l->dir, key) >= sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return error_set(err, ERROR_INTERNAL, NULL, "cannot open %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	obj->fd = fd;
	obj->size = (uint64_t)st.st_size;
	obj->mtime = (int64_t)st.st_mtime;
	return 1;
}

static int local_exists(struct storage *s, const char *key)
{
	struct storage_local *l = (struct storage_local *)s;
	char path[PATH_MAX];
	struct stat st;

	if (!storage_key_valid(key) || (size_t)snprintf(path, sizeof(path), "%s/%s", l->dir, key) >= sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int local_remove(struct storage *s, const char *key, struct error *err)
{
	struct storage_local *l = (struct storage_local *)s;
	char path[PATH_MAX];

	if (!storage_key_valid(key) || (size_t)snprintf(path, sizeof(path), "%s/%s", l->dir, key) >= sizeof(path))
		return error_set(err, ERROR_INTERNAL, NULL, "invalid storage key '%s'", key);
	if (unlink(path) < 0 && errno != ENOENT)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot delete %s: %s", path, strerror(errno));
	return 0;
}

static const char *local_tmp_dir(const struct storage *s)
{
	return ((const struct storage_local *)s)->tmp;
}

static void local_destroy(struct storage *s)
{
	free(s);
}

static const struct storage_ops local_ops = {
	local_put, local_put_file, local_get, local_exists, local_remove, local_tmp_dir, local_destroy,
};

struct storage *storage_local_create(const char *dir, char *msg, size_t msglen)
{
	struct storage_local *l = calloc(1, sizeof(*l));
	if (!l)
		die_oom();
	l->base.ops = &local_ops;
	if (!*dir || strlen(dir) + 8 >= sizeof(l->dir)) {
		snprintf(msg, msglen, "invalid media directory '%s'", dir);
		free(l);
		return NULL;
	}
	snprintf(l->dir, sizeof(l->dir), "%s", dir);
	while (strlen(l->dir) > 1 && l->dir[strlen(l->dir) - 1] == '/')
		l->dir[strlen(l->dir) - 1] = '\0';
	snprintf(l->tmp, sizeof(l->tmp), "%s/tmp", l->dir);
	if (mkdir_p(l->tmp) < 0) {
		snprintf(msg, msglen, "cannot create the media directory %s: %s", l->tmp, strerror(errno));
		free(l);
		return NULL;
	}
	return &l->base;
}
