/*
 * contract_seal.h — the signed contract file: the lease PDF, sealed by rentd's key with the
 * record of who signed it, verifiable offline (docs/DECISIONS.md "Digital contract").
 *
 * A sealed file is D ‖ T. D is the lease PDF exactly as rendered and stored when the
 * contract was made (core/contracts/contract_pdf.h). T is a PDF incremental update that adds
 * one object, a new document information dictionary: D's own entries (title, author, …)
 * followed by
 *
 *     /RentdSignedData <hex of M>  /RentdSignature <hex of S>
 *
 * and a cross-reference section and trailer pointing at it (/Prev: D's cross-reference), so
 * every PDF reader still opens the file, and shows the lease. M, the signed record, is UTF-8
 * text, one field a line, fields separated by one TAB, lines ended by LF:
 *
 *     rentd digital contract v1
 *     uuid        <the contract's uuid>
 *     pdf-sha256  <SHA-256 of D, 64 lower-case hex digits>
 *     pdf-size    <the length of D in bytes, decimal>
 *     signatory   <LANDLORD|TENANT|WARRANTOR> <signed_at> <ssn or "-"> <first name> <last name>
 *     …           (one line per signatory, in the document's order)
 *     sealed-at   <time>
 *     public-key  <the sealing Ed25519 public key, 64 lower-case hex digits>
 *
 * times as "YYYY-MM-DDTHH:MM:SSZ" (UTC). S is the detached Ed25519 signature of M's bytes
 * (libsodium crypto_sign_detached). T is a function of D, M and S alone
 * (contract_seal_tail()), so a verifier rebuilds it and compares: any byte changed anywhere
 * in the file — in the lease, in the record, in the signature, or an update appended after
 * the seal — makes the file invalid.
 */
#ifndef RENTD_CONTRACT_SEAL_H
#define RENTD_CONTRACT_SEAL_H

#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/str.h"
#include "core/contracts/contract_key.h"
#include "core/contracts/contract_pdf.h"

#define CONTRACT_SEAL_MAGIC "rentd digital contract v1"
#define CONTRACT_RECORD_MAX (16 * 1024) /* bytes of M a verifier accepts */

struct contract_signatory {
	enum contract_party_type type;
	struct str first_name, last_name, ssn; /* ssn empty: none ("-" in M) */
	int64_t signed_at;                     /* unix seconds */
};

struct contract_record {
	struct str uuid;
	uint8_t pdf_sha256[32];
	uint64_t pdf_size;
	struct contract_signatory signatories[CONTRACT_PARTIES_MAX];
	size_t nsignatories;
	int64_t sealed_at;
	uint8_t public_key[CONTRACT_PUBLIC_KEY_BYTES];
};

/* M of r into out; ERROR_VALIDATION when a text has a TAB, LF or another control character. */
int contract_record_encode(const struct contract_record *r, struct buf *out, struct error *err);
/* M → r (texts in a); -1 when it is not exactly the encoding of a record. */
int contract_record_decode(struct arena *a, struct str m, struct contract_record *r);

/*
 * Seals pdf (D): fills the record's hash, size and public key from pdf and key, signs M and
 * writes D ‖ T to out. r's uuid, signatories and sealed_at are the caller's.
 */
int contract_seal(struct arena *a, struct str pdf, struct contract_record *r, const struct contract_key *key,
		  struct buf *out, struct error *err);

/* T for D, M and S (exposed for the tests: a verifier rebuilds it). */
int contract_seal_tail(struct str pdf, struct str m, const uint8_t sig[CONTRACT_SIGNATURE_BYTES], struct buf *out);

enum contract_verdict {
	CONTRACT_VALID,
	CONTRACT_NOT_SEALED,   /* no rentd record in the file */
	CONTRACT_MALFORMED,    /* a record that does not parse, or points outside the file */
	CONTRACT_TAMPERED,     /* the lease's bytes or the file around the record changed */
	CONTRACT_OTHER_KEY,    /* sealed by another key than the one trusted */
	CONTRACT_BAD_SIGNATURE /* the record or its signature changed */
};

/*
 * Verifies a sealed file against the trusted public key pk, offline. r is filled whenever
 * the record parses (also when the verdict is not VALID); *reason is a sentence saying why.
 */
enum contract_verdict contract_verify_file(struct arena *a, struct str file, const uint8_t pk[CONTRACT_PUBLIC_KEY_BYTES],
					   struct contract_record *r, const char **reason);

/* "2024-01-02T03:04:05Z" of unix seconds t, into out (21 bytes). */
void contract_time(int64_t t, char out[32]);

#endif
