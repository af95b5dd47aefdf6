/*
 * contracts.h — the digital contract of a letting (issue 15; homeq.md §8, §3, §13).
 *
 * The letting process (the engine that confirms a reservation) calls three functions:
 *
 *   contract_create()  on confirm: renders the lease PDF (contract_pdf.h) from the
 *                      application, its listing's apartment, the company and the applicant,
 *                      stores it in the media storage and records the signatories — the
 *                      landlord's signing employee and the tenant — unsigned.
 *   contract_sign()    a signatory signs (the engine has authenticated them: the employee in
 *                      the landlord dialect, the applicant with a signed-in command). The last
 *                      signature seals the contract: rentd's key signs the lease's SHA-256 and
 *                      the signatories (contract_seal.h), and the sealed file is stored beside
 *                      the lease.
 *   contract_verify()  GET /api/v1/digital_contract/verify/?uuid=: the sealed file, fetched from
 *                      the storage, verified offline-style against rentd's public key and
 *                      compared with the signatures recorded in the database.
 *
 * Who may create or sign is the caller's rule: these functions check only what the contract
 * itself requires (the landlord signer is an employee of the listing's company, a signer is
 * one of the contract's signatories, nobody signs twice). They record no outbox event; the
 * engine records application_signature and signing_completed (homeq.md §13) from what
 * contract_sign() returns, in its own transition.
 */
#ifndef RENTD_CONTRACTS_H
#define RENTD_CONTRACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/contracts/contract_seal.h"
#include "core/core.h"

#define CONTRACT_UUID_LEN 36
#define CONTRACT_FILE_MAX (30 * 1024 * 1024) /* HomeQ's limit of a digital_contract file (homeq.md §11) */

/* A canonical lower-case RFC 4122 uuid ("8-4-4-4-12" hex digits). */
bool contract_uuid_valid(struct str s);

struct contract_signer {
	enum contract_party_type type;
	int64_t user_id; /* 0: none */
	struct str first_name, last_name, ssn;
	int64_t signed_at; /* unix seconds; 0: not signed */
};

struct contract {
	struct str uuid;
	int64_t company_id, listing_id, application_id;
	struct str pdf_sha256; /* hex, of the lease as stored */
	int64_t pdf_size;
	int64_t created_at;
	int64_t sealed_at; /* 0: not every signatory has signed */
	struct contract_signer signers[CONTRACT_PARTIES_MAX];
	size_t nsigners;
};

/*
 * Makes the contract of application (its tenant: the applicant) with landlord_user_id (an
 * employee of the listing's company) signing for the landlord, at now (unix seconds).
 * ERROR_NOT_FOUND "no such application"; ERROR_VALIDATION naming landlord_user_id when that
 * user is not a live employee of the company.
 */
int contract_create(struct core *c, struct arena *a, int64_t application_id, int64_t landlord_user_id, int64_t now,
		    struct contract *out, struct error *err);
/* The same inside the caller's open transaction (the letting process's confirm). */
int contract_create_in_transaction(struct core *c, struct arena *a, int64_t application_id, int64_t landlord_user_id,
				   int64_t now, struct contract *out, struct error *err);

/* The contract and its signers; ERROR_NOT_FOUND "no such contract". */
int contract_get(struct core *c, struct arena *a, struct str uuid, struct contract *out, struct error *err);

struct contract_signed {
	struct contract_signer signer; /* who signed now */
	bool sealed;                   /* this signature was the last: the contract is sealed */
	struct contract contract;      /* after the signature */
};

/*
 * user_id signs the contract at now. ERROR_NOT_FOUND when there is no such contract or the
 * user is none of its signatories; ERROR_CONFLICT "AlreadySigned" when they signed before.
 */
int contract_sign(struct core *c, struct arena *a, struct str uuid, int64_t user_id, int64_t now,
		  struct contract_signed *out, struct error *err);
/* The same inside the caller's open transaction (a command of the letting process). */
int contract_sign_in_transaction(struct core *c, struct arena *a, struct str uuid, int64_t user_id, int64_t now,
				 struct contract_signed *out, struct error *err);

struct contract_verification {
	bool is_valid;
	const char *reason;                /* why, in a sentence */
	struct contract_signer *signatories; /* those who have signed, in the document's order */
	size_t nsignatories;
};

/*
 * Verifies the stored contract uuid: valid when it is sealed, its sealed file verifies
 * against rentd's public key (contract_verify_file()) and the file's record says what the
 * database says (the uuid, the lease's hash and size, each signature and the seal's time).
 * ERROR_VALIDATION naming uuid when it is not a uuid; ERROR_NOT_FOUND "no such contract".
 */
int contract_verify(struct core *c, struct arena *a, struct str uuid, struct contract_verification *out,
		    struct error *err);

/* The bytes of the contract's file: the sealed one once sealed, else the unsigned lease. */
int contract_file(struct core *c, struct arena *a, struct str uuid, struct str *pdf, bool *sealed, struct error *err);

#endif
