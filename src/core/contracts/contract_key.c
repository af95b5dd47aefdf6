/* rentd's contract-sealing key pair (contract_key.h). */
#include "core/contracts/contract_key.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

void contract_key_from_seed(const uint8_t seed[32], struct contract_key *out)
{
	crypto_sign_seed_keypair(out->pk, out->sk, seed);
	sodium_bin2hex(out->pk_hex, sizeof(out->pk_hex), out->pk, sizeof(out->pk));
}

void contract_key_wipe(struct contract_key *k)
{
	sodium_memzero(k->sk, sizeof(k->sk));
}

/* Exactly 2*len hex digits (surrounding whitespace allowed) → out. */
static int parse_hex(const char *hex, size_t hexlen, uint8_t *out, size_t len)
{
	size_t got = 0;
	const char *end = NULL;
	while (hexlen && (hex[hexlen - 1] == '\n' || hex[hexlen - 1] == '\r' || hex[hexlen - 1] == ' '))
		hexlen--;
	if (hexlen != 2 * len)
		return -1;
	if (sodium_hex2bin(out, len, hex, hexlen, NULL, &got, &end) != 0 || got != len || end != hex + hexlen)
		return -1;
	return 0;
}

int contract_key_parse_public(const char *hex, uint8_t pk[CONTRACT_PUBLIC_KEY_BYTES])
{
	return parse_hex(hex, strlen(hex), pk, CONTRACT_PUBLIC_KEY_BYTES);
}

int contract_key_load(const char *path, const char *env_hex, struct contract_key *out, char *msg, size_t msglen)
{
	uint8_t seed[32];
	char hex[2 * sizeof(seed) + 2];
	ssize_t n;
	int fd;
	struct stat st;

	if (env_hex && *env_hex) {
		if (parse_hex(env_hex, strlen(env_hex), seed, sizeof(seed)) < 0) {
			snprintf(msg, msglen, "RENTD_CONTRACT_KEY must be 64 hex digits (an Ed25519 seed)");
			return -1;
		}
		contract_key_from_seed(seed, out);
		sodium_memzero(seed, sizeof(seed));
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		randombytes_buf(seed, sizeof(seed));
		sodium_bin2hex(hex, sizeof(hex), seed, sizeof(seed));
		sodium_memzero(seed, sizeof(seed));
		hex[2 * sizeof(seed)] = '\n';
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			size_t len = 2 * sizeof(seed) + 1;
			if (write(fd, hex, len) != (ssize_t)len || fsync(fd) != 0) {
				close(fd);
				unlink(path);
				sodium_memzero(hex, sizeof(hex));
				snprintf(msg, msglen, "cannot write the contract key file %s: %s", path, strerror(errno));
				return -1;
			}
			close(fd);
			log_info("created a new contract signing key in %s", path);
		} else if (errno != EEXIST) {
			sodium_memzero(hex, sizeof(hex));
			snprintf(msg, msglen, "cannot create the contract key file %s: %s", path, strerror(errno));
			return -1;
		}
		sodium_memzero(hex, sizeof(hex));
		fd = open(path, O_RDONLY | O_CLOEXEC); /* another process may have won the race */
	}
	if (fd < 0) {
		snprintf(msg, msglen, "cannot read the contract key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		log_warn("the contract key file %s is readable by others; chmod 600 it", path);
	n = read(fd, hex, sizeof(hex));
	close(fd);
	if (n < 0 || parse_hex(hex, (size_t)n, seed, sizeof(seed)) < 0) {
		sodium_memzero(hex, sizeof(hex));
		snprintf(msg, msglen, "the contract key file %s does not hold 64 hex digits", path);
		return -1;
	}
	contract_key_from_seed(seed, out);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(hex, sizeof(hex));
	return 0;
}
