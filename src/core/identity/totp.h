/*
 * totp.h — time-based one-time passwords (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits).
 *
 * Secrets are kept as RFC 4648 base32, the form authenticator apps take. A code is
 * accepted for the current step and one step either side; the caller stores the
 * accepted step and passes it back as last_step so a code is never accepted twice.
 */
#ifndef RENTD_TOTP_H
#define RENTD_TOTP_H

#include <stdint.h>

#include "base/str.h"

#define TOTP_STEP_SECONDS 30
#define TOTP_SECRET_BYTES 20
#define TOTP_SECRET_B32_LEN 32 /* 20 bytes in base32 */

/* A fresh random secret, base32, NUL-terminated (out must hold 33 bytes). */
void totp_new_secret(char out[TOTP_SECRET_B32_LEN + 1]);

/* The code for one time step; -1 if the secret is not valid base32. */
int totp_code(const char *secret_b32, int64_t step);

/* The step matched (> last_step) when code is valid at unix time now, else -1. */
int64_t totp_verify(const char *secret_b32, struct str code, int64_t now, int64_t last_step);

#endif
