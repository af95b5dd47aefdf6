#include "core/identity/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static enum password_cost cost = PASSWORD_COST_INTERACTIVE;

void password_set_cost(enum password_cost c)
{
	cost = c;
}

int password_hash(struct str password, char out[PASSWORD_HASH_MAX])
{
	unsigned long long ops = cost == PASSWORD_COST_MIN ? crypto_pwhash_argon2id_OPSLIMIT_MIN
							   : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = cost == PASSWORD_COST_MIN ? crypto_pwhash_argon2id_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer");
	return crypto_pwhash_str_alg(out, password.ptr ? password.ptr : "", password.len, ops, mem,
				     crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

bool password_check(const char *hash, struct str password)
{
	if (!hash || !*hash)
		return false;
	return crypto_pwhash_str_verify(hash, password.ptr ? password.ptr : "", password.len) == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	if (password_hash(STR_LIT("rentd: no such user"), dummy_hash) < 0)
		dummy_hash[0] = '\0';
}

void password_dummy_check(struct str password)
{
	pthread_once(&dummy_once, dummy_init);
	(void)password_check(dummy_hash, password);
}

void password_generate(char out[25])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	for (int i = 0; i < 24; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[24] = '\0';
}
