/*
 * store_contracts.h — digital contracts and their signatures (migration 0026).
 *
 * Rows only: what a contract says, who may sign and when it is sealed are decided in
 * core/contracts/contracts.c. Times are unix seconds; strings live in the caller's arena.
 */
#ifndef RENTD_STORE_CONTRACTS_H
#define RENTD_STORE_CONTRACTS_H

#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct contract_row {
	int64_t id;
	struct str uuid;
	int64_t company_id;
	int64_t listing_id;     /* 0: none */
	int64_t application_id; /* 0: none */
	struct str storage_key;
	struct str pdf_sha256;  /* hex */
	int64_t pdf_size;
	struct str sealed_key;  /* ptr NULL: not sealed */
	int64_t sealed_at;      /* 0: not sealed */
	int64_t created_at;
};

struct contract_signature_row {
	int64_t id;
	int64_t contract_id;
	int64_t position;
	struct str signatory_type; /* LANDLORD, TENANT, WARRANTOR */
	int64_t user_id;           /* 0: none */
	struct str first_name, last_name, ssn;
	int64_t signed_at;         /* 0: not signed */
};

/* What a lease says, read in one statement from an application (its listing, apartment, company, applicant). */
struct contract_facts {
	int64_t application_id, listing_id, company_id, tenant_user_id;
	struct str application_state;
	int64_t application_closed_at; /* 0: open */
	struct str access_date;        /* ptr NULL: by agreement */
	struct str street, street_number, zip_code, city, apartment_number;
	double rooms, area, floor;
	int64_t rent;
	struct str company_name, company_org_number;
	struct str tenant_first_name, tenant_last_name, tenant_ssn;
};

/* ERROR_NOT_FOUND "no such application". */
int store_contract_facts(struct store *s, struct arena *a, int64_t application_id, struct contract_facts *out,
			 struct error *err);

/* Inserts c (c->id set) and its signatures (each id and contract_id set). Call inside a transaction. */
int store_contract_insert(struct store *s, struct contract_row *c, struct contract_signature_row *sigs, size_t n,
			  struct error *err);

/* ERROR_NOT_FOUND "no such contract". */
int store_contract_get(struct store *s, struct arena *a, struct str uuid, struct contract_row *out, struct error *err);

/* A contract's signatures in position order. */
int store_contract_signatures(struct store *s, struct arena *a, int64_t contract_id,
			      struct contract_signature_row **out, size_t *n, struct error *err);

/* Sets signed_at of an unsigned signature; *done false when it was signed already (nothing written). */
int store_contract_sign(struct store *s, int64_t signature_id, int64_t signed_at, bool *done, struct error *err);

/* Marks an unsealed contract sealed; *done false when it was sealed already. */
int store_contract_seal(struct store *s, int64_t contract_id, struct str sealed_key, int64_t sealed_at, bool *done,
			struct error *err);

#endif
