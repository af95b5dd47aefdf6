/*
 * password.h — argon2id password hashes (libsodium), in PHC string form.
 *
 * Each hash or check costs ~64 MiB and tens of milliseconds by design, so these
 * functions are called only from the workpool (see app.h: ctx_suspend), never on a
 * request thread. password_dummy_check() spends the same time on an unknown user so
 * a login's duration does not tell whether a username exists.
 */
#ifndef RENTD_PASSWORD_H
#define RENTD_PASSWORD_H

#include <stdbool.h>

#include "base/str.h"

#define PASSWORD_HASH_MAX 128

enum password_cost {
	PASSWORD_COST_INTERACTIVE, /* production: libsodium's interactive limits (64 MiB) */
	PASSWORD_COST_MIN,         /* test suites only: the same algorithm at its minimum cost */
};
/* Set once at start, before any hashing. */
void password_set_cost(enum password_cost cost);

/* 0, or -1 if out of memory. out must hold PASSWORD_HASH_MAX bytes. */
int password_hash(struct str password, char out[PASSWORD_HASH_MAX]);
bool password_check(const char *hash, struct str password);
void password_dummy_check(struct str password);

/* A random password for API users: 24 characters of [A-Za-z0-9]. out holds 25 bytes. */
void password_generate(char out[25]);

#endif
