/*
 * fuzz_contract.c — a contract file given to `rentd contract verify` (core/contracts/contract_seal.h):
 * contract_verify_file() on any bytes, and a round trip: bytes that have a PDF trailer are
 * sealed as a lease, and the sealed file must verify, under rentd's key only, and no longer
 * once a byte of it is changed. One arena for the process, reset per input.
 */
#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "core/contracts/contract_seal.h"
#include "fuzz.h"

static struct arena *arena;
static struct contract_key key, other;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str file = { (const char *)data, size };
	struct contract_record r;
	struct error err;
	struct buf out;
	enum contract_verdict v;
	const char *reason = NULL;
	uint8_t seed[32];

	if (!arena) {
		arena = arena_create(64 * 1024);
		FUZZ_CHECK(sodium_init() >= 0, "sodium_init");
		memset(seed, 1, sizeof(seed));
		contract_key_from_seed(seed, &key);
		memset(seed, 2, sizeof(seed));
		contract_key_from_seed(seed, &other);
	}
	arena_reset(arena);
	error_init(&err, arena);

	v = contract_verify_file(arena, file, key.pk, &r, &reason);
	FUZZ_CHECK(reason != NULL, "no reason for verdict %d", (int)v);
	if (v == CONTRACT_VALID)
		FUZZ_CHECK(r.pdf_size < size && memcmp(r.public_key, key.pk, 32) == 0, "valid with a record outside the file");

	/* the round trip */
	memset(&r, 0, sizeof(r));
	r.uuid = STR_LIT("0b4e7a0e-5bd1-4e2c-9d3a-2f1c2b3a4d5e");
	r.sealed_at = 1795000300;
	r.signatories[0] = (struct contract_signatory){ CONTRACT_TENANT, STR_LIT("Örjan"), STR_LIT("Åberg"),
							STR_LIT("19900101-1234"), 1795000300 };
	r.nsignatories = 1;
	buf_init(&out, arena, size + 4096);
	if (contract_seal(arena, file, &r, &key, &out, &err) < 0)
		return 0; /* no trailer to append to */
	v = contract_verify_file(arena, buf_str(&out), key.pk, &r, &reason);
	FUZZ_CHECK(v == CONTRACT_VALID, "a freshly sealed file does not verify: %s", reason);
	FUZZ_CHECK(contract_verify_file(arena, buf_str(&out), other.pk, &r, &reason) == CONTRACT_OTHER_KEY,
		   "verified under another key");
	out.ptr[size ? (size_t)data[0] * 7919 % out.len : 0] ^= 0x10;
	v = contract_verify_file(arena, buf_str(&out), key.pk, &r, &reason);
	FUZZ_CHECK(v != CONTRACT_VALID, "a changed byte still verifies");
	return 0;
}
