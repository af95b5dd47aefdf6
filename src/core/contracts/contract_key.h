/*
 * contract_key.h — rentd's own Ed25519 key pair, which seals signed contracts.
 *
 * The key is kept like the token secret (core/identity/secrets.h) but in a file of its
 * own: the 32-byte Ed25519 seed as 64 hex digits, created with mode 0600 on first start
 * ('contract-key' beside the database unless --contract-key-file says otherwise), or given
 * in RENTD_CONTRACT_KEY (64 hex digits), which wins over the file. It is separate from the
 * token secret because it must outlive it: rotating the token secret (to end every session)
 * must not change the key that old contracts verify against. The seed is never logged; the
 * public key is published (GET /api/v1/digital_contract/public_key/, `rentd contract
 * public-key`).
 */
#ifndef RENTD_CONTRACT_KEY_H
#define RENTD_CONTRACT_KEY_H

#include <stddef.h>
#include <stdint.h>

#define CONTRACT_PUBLIC_KEY_BYTES 32
#define CONTRACT_SECRET_KEY_BYTES 64
#define CONTRACT_SIGNATURE_BYTES 64

struct contract_key {
	uint8_t pk[CONTRACT_PUBLIC_KEY_BYTES];
	uint8_t sk[CONTRACT_SECRET_KEY_BYTES]; /* libsodium's: seed then public key */
	char pk_hex[2 * CONTRACT_PUBLIC_KEY_BYTES + 1];
};

/*
 * env_hex (may be NULL or "") wins over the file; otherwise path is read, or created with a
 * fresh random seed (two processes starting together agree: the loser reads the winner's).
 */
int contract_key_load(const char *path, const char *env_hex, struct contract_key *out, char *msg, size_t msglen);

/* The key pair of a given seed (tests and tools). */
void contract_key_from_seed(const uint8_t seed[32], struct contract_key *out);

/* 64 hex digits → a public key; -1 when it is not exactly that. */
int contract_key_parse_public(const char *hex, uint8_t pk[CONTRACT_PUBLIC_KEY_BYTES]);

/* Wipes the secret half. */
void contract_key_wipe(struct contract_key *k);

#endif
