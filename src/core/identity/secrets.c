#include "core/identity/secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

static void derive(const void *master, size_t len, const char *label, uint8_t out[SECRET_KEY_BYTES])
{
	crypto_generichash(out, SECRET_KEY_BYTES, (const unsigned char *)label, strlen(label),
			   (const unsigned char *)master, len);
}

void secrets_derive(const void *master, size_t len, struct secrets *out)
{
	/* generichash keys are at most 64 bytes: hash a longer master down first */
	unsigned char m[crypto_generichash_KEYBYTES_MAX];
	if (len > sizeof(m)) {
		crypto_generichash(m, sizeof(m), master, len, NULL, 0);
		master = m;
		len = sizeof(m);
	}
	derive(master, len, "rentd jwt v1", out->jwt);
	derive(master, len, "rentd intercom v1", out->intercom);
	derive(master, len, "rentd media v1", out->media);
	sodium_memzero(m, sizeof(m));
}

int secrets_load(const char *path, const char *env_value, struct secrets *out, char *msg, size_t msglen)
{
	char hex[129];
	unsigned char raw[32];
	ssize_t n;
	int fd;
	struct stat st;

	if (env_value && *env_value) {
		if (strlen(env_value) < 32) {
			snprintf(msg, msglen, "RENTD_SECRET must be at least 32 characters");
			return -1;
		}
		secrets_derive(env_value, strlen(env_value), out);
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
		sodium_memzero(raw, sizeof(raw));
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			size_t len = strlen(hex);
			if (write(fd, hex, len) != (ssize_t)len || fsync(fd) != 0) {
				close(fd);
				unlink(path);
				snprintf(msg, msglen, "cannot write the secret file %s: %s", path, strerror(errno));
				return -1;
			}
			close(fd);
			log_info("created a new secret in %s", path);
		} else if (errno != EEXIST) {
			snprintf(msg, msglen, "cannot create the secret file %s: %s", path, strerror(errno));
			return -1;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC); /* another process may have won the race */
	}
	if (fd < 0) {
		snprintf(msg, msglen, "cannot read the secret file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		log_warn("the secret file %s is readable by others; chmod 600 it", path);
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 32) {
		snprintf(msg, msglen, "the secret file %s is shorter than 32 bytes", path);
		return -1;
	}
	while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r' || hex[n - 1] == ' '))
		n--;
	secrets_derive(hex, (size_t)n, out);
	sodium_memzero(hex, sizeof(hex));
	return 0;
}
