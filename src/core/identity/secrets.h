/*
 * secrets.h — the server's signing keys.
 *
 * One master secret (RENTD_SECRET, or a file created on first start with mode
 * 0600) from which every key is derived with a label, so a key used for tokens is
 * never also used for anything else. The master secret is never logged.
 */
#ifndef RENTD_SECRETS_H
#define RENTD_SECRETS_H

#include <stddef.h>
#include <stdint.h>

#define SECRET_KEY_BYTES 32

struct secrets {
	uint8_t jwt[SECRET_KEY_BYTES];      /* HS256 tokens */
	uint8_t intercom[SECRET_KEY_BYTES]; /* employee intercom_hash */
	uint8_t media[SECRET_KEY_BYTES];    /* signed upload URLs (core/media/media.h) */
};

/*
 * env_value (may be NULL) wins over the file; it must be at least 32 characters.
 * Otherwise path is read, or created with a fresh random secret.
 */
int secrets_load(const char *path, const char *env_value, struct secrets *out, char *msg, size_t msglen);

/* Keys from a given master, for tests and tools. */
void secrets_derive(const void *master, size_t len, struct secrets *out);

#endif
