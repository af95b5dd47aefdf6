/* The digital contract of a letting: create, sign and seal, verify (contracts.h). */
#include "core/contracts/contracts.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/media/storage.h"
#include "core/transaction.h"
#include "store/contracts/store_contracts.h"
#include "store/identity/store_org.h"

bool contract_uuid_valid(struct str s)
{
	if (s.len != CONTRACT_UUID_LEN)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.ptr[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != '-')
				return false;
		} else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
			return false;
		}
	}
	return true;
}

static struct str new_uuid(struct arena *a)
{
	uint8_t b[16];
	char *out = arena_alloc(a, CONTRACT_UUID_LEN + 1);
	randombytes_buf(b, sizeof(b));
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, CONTRACT_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
		 b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return (struct str){ out, CONTRACT_UUID_LEN };
}

/* The media storage keys: the lease as rendered, and the sealed file. */
static const char *lease_key(struct arena *a, struct str uuid)
{
	return arena_printf(a, "digital_contracts/%.*s.pdf", STR_FMT(uuid));
}

static const char *sealed_key(struct arena *a, struct str uuid)
{
	return arena_printf(a, "digital_contracts/%.*s-signed.pdf", STR_FMT(uuid));
}

static struct str hex_of(struct arena *a, const uint8_t *bin, size_t len)
{
	char *out = arena_alloc(a, 2 * len + 1);
	sodium_bin2hex(out, 2 * len + 1, bin, len);
	return (struct str){ out, 2 * len };
}

/* Reads a whole storage object into the arena; 0 found, 1 missing, -1 error. */
static int read_object(struct core *c, struct arena *a, const char *key, struct str *out, struct error *err)
{
	struct storage_object obj;
	char *bytes;
	size_t got = 0;
	int rc = storage_get(c->storage, key, &obj, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return 1;
	if (obj.size > CONTRACT_FILE_MAX) {
		close(obj.fd);
		return error_set(err, ERROR_INTERNAL, NULL, "the contract file %s is larger than %d bytes", key,
				 CONTRACT_FILE_MAX);
	}
	bytes = arena_alloc(a, (size_t)obj.size + 1);
	while (got < obj.size) {
		ssize_t n = read(obj.fd, bytes + got, (size_t)obj.size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(obj.fd);
			return error_set(err, ERROR_INTERNAL, NULL, "cannot read the contract file %s", key);
		}
		got += (size_t)n;
	}
	close(obj.fd);
	*out = (struct str){ bytes, got };
	return 0;
}

static void signer_of(const struct contract_signature_row *row, struct contract_signer *out)
{
	enum contract_party_type t = CONTRACT_TENANT;
	contract_party_type_from_name(row->signatory_type, &t);
	out->type = t;
	out->user_id = row->user_id;
	out->first_name = row->first_name;
	out->last_name = row->last_name;
	out->ssn = row->ssn;
	out->signed_at = row->signed_at;
}

static int load(struct core *c, struct arena *a, struct str uuid, struct contract_row *row, struct contract *out,
		struct error *err)
{
	struct contract_signature_row *sigs;
	size_t n;

	if (store_contract_get(c->store, a, uuid, row, err) < 0 ||
	    store_contract_signatures(c->store, a, row->id, &sigs, &n, err) < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->uuid = row->uuid;
	out->company_id = row->company_id;
	out->listing_id = row->listing_id;
	out->application_id = row->application_id;
	out->pdf_sha256 = row->pdf_sha256;
	out->pdf_size = row->pdf_size;
	out->created_at = row->created_at;
	out->sealed_at = row->sealed_at;
	for (size_t i = 0; i < n && i < CONTRACT_PARTIES_MAX; i++)
		signer_of(&sigs[i], &out->signers[out->nsigners++]);
	return 0;
}

int contract_get(struct core *c, struct arena *a, struct str uuid, struct contract *out, struct error *err)
{
	struct contract_row row;
	if (!contract_uuid_valid(uuid))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such contract");
	return load(c, a, uuid, &row, out, err);
}

static int create(struct core *c, struct arena *a, int64_t application_id, int64_t landlord_user_id, int64_t now,
		  bool in_transaction, struct contract *out, struct error *err)
{
	struct contract_facts f;
	struct user landlord;
	struct contract_doc doc = { 0 };
	struct contract_row row = { 0 };
	struct contract_signature_row sigs[2];
	struct buf pdf;
	uint8_t hash[32];
	const char *key;

	if (store_contract_facts(c->store, a, application_id, &f, err) < 0)
		return -1;
	if (store_user_get(c->store, a, landlord_user_id, &landlord, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return error_field(err, "landlord_user_id", RULE_FORMAT, "no such employee");
	}
	if (landlord.kind != USER_EMPLOYEE || landlord.company_id != f.company_id)
		return error_field(err, "landlord_user_id", RULE_FORMAT, "not an employee of the listing's company");

	doc.uuid = new_uuid(a);
	doc.created_at = now;
	doc.landlord_name = f.company_name;
	doc.landlord_org_number = f.company_org_number;
	doc.street = f.street;
	doc.street_number = f.street_number;
	doc.zip_code = f.zip_code;
	doc.city = f.city;
	doc.apartment_number = f.apartment_number;
	doc.rooms = f.rooms;
	doc.area = f.area;
	doc.floor = f.floor;
	doc.rent = f.rent;
	doc.access_date = f.access_date.ptr ? f.access_date : STR_LIT("");
	if (c->public_url && *c->public_url)
		doc.verify_url = str_from_cstr(arena_printf(a, "%s/api/v1/digital_contract/verify/?uuid=%.*s",
							    c->public_url, STR_FMT(doc.uuid)));
	doc.parties[0] = (struct contract_party){ CONTRACT_LANDLORD, landlord.first_name, landlord.last_name,
						   landlord.personal_number };
	doc.parties[1] = (struct contract_party){ CONTRACT_TENANT, f.tenant_first_name, f.tenant_last_name, f.tenant_ssn };
	doc.nparties = 2;

	buf_init(&pdf, a, 64 * 1024);
	if (contract_render(&doc, &pdf, err) < 0)
		return -1;
	crypto_hash_sha256(hash, (const unsigned char *)pdf.ptr, pdf.len);
	key = lease_key(a, doc.uuid);
	/* the file first: a failed insert leaves an orphan file under a fresh uuid, never a row without its file */
	if (storage_put(c->storage, key, pdf.ptr, pdf.len, err) < 0)
		return -1;

	row.uuid = doc.uuid;
	row.company_id = f.company_id;
	row.listing_id = f.listing_id;
	row.application_id = f.application_id;
	row.storage_key = str_from_cstr(key);
	row.pdf_sha256 = hex_of(a, hash, sizeof(hash));
	row.pdf_size = (int64_t)pdf.len;
	row.created_at = now;
	for (size_t i = 0; i < 2; i++) {
		sigs[i] = (struct contract_signature_row){ 0 };
		sigs[i].position = (int64_t)i + 1;
		sigs[i].signatory_type = str_from_cstr(contract_party_type_name(doc.parties[i].type));
		sigs[i].user_id = i == 0 ? landlord.id : f.tenant_user_id;
		sigs[i].first_name = doc.parties[i].first_name;
		sigs[i].last_name = doc.parties[i].last_name;
		sigs[i].ssn = doc.parties[i].ssn;
	}
	if (in_transaction) {
		if (store_contract_insert(c->store, &row, sigs, 2, err) < 0)
			return -1;
	} else {
		IN_TRANSACTION(c, err, store_contract_insert(c->store, &row, sigs, 2, err));
	}
	return load(c, a, doc.uuid, &row, out, err);
}

int contract_create(struct core *c, struct arena *a, int64_t application_id, int64_t landlord_user_id, int64_t now,
		    struct contract *out, struct error *err)
{
	return create(c, a, application_id, landlord_user_id, now, false, out, err);
}

int contract_create_in_transaction(struct core *c, struct arena *a, int64_t application_id, int64_t landlord_user_id,
				   int64_t now, struct contract *out, struct error *err)
{
	return create(c, a, application_id, landlord_user_id, now, true, out, err);
}

/* The record of the seal from the contract's signers (all signed). */
static void record_of(const struct contract *k, int64_t sealed_at, struct contract_record *r)
{
	memset(r, 0, sizeof(*r));
	r->uuid = k->uuid;
	r->sealed_at = sealed_at;
	for (size_t i = 0; i < k->nsigners; i++) {
		struct contract_signatory *s = &r->signatories[r->nsignatories++];
		s->type = k->signers[i].type;
		s->first_name = k->signers[i].first_name;
		s->last_name = k->signers[i].last_name;
		s->ssn = k->signers[i].ssn;
		s->signed_at = k->signers[i].signed_at;
	}
}

/* Inside the signing transaction: every signer has signed, so rentd seals the lease. */
static int seal(struct core *c, struct arena *a, const struct contract_row *row, struct contract *k, int64_t now,
		struct error *err)
{
	struct contract_record r;
	struct str lease;
	struct buf out;
	uint8_t hash[32];
	const char *key = sealed_key(a, k->uuid);
	bool done;
	int rc = read_object(c, a, row->storage_key.ptr, &lease, err);

	if (rc < 0)
		return -1;
	crypto_hash_sha256(hash, (const unsigned char *)lease.ptr, lease.len);
	if (rc == 1 || !str_eq(hex_of(a, hash, sizeof(hash)), row->pdf_sha256))
		return error_set(err, ERROR_INTERNAL, NULL, "the stored lease of contract %.*s is missing or changed: not sealed",
				 STR_FMT(k->uuid));
	record_of(k, now, &r);
	buf_init(&out, a, lease.len + 4096);
	if (contract_seal(a, lease, &r, &c->contract_key, &out, err) < 0 ||
	    storage_put(c->storage, key, out.ptr, out.len, err) < 0 ||
	    store_contract_seal(c->store, row->id, str_from_cstr(key), now, &done, err) < 0)
		return -1;
	k->sealed_at = now;
	return 0;
}

static int sign_locked(struct core *c, struct arena *a, struct str uuid, int64_t user_id, int64_t now,
		       struct contract_signed *out, struct error *err)
{
	struct contract_row row;
	struct contract *k = &out->contract;
	size_t who = CONTRACT_PARTIES_MAX, unsigned_left = 0;
	bool done;

	if (load(c, a, uuid, &row, k, err) < 0)
		return -1;
	/* the user's first unsigned signatory row, else their first (a user may stand twice: tenant and warrantor) */
	for (size_t i = 0; i < k->nsigners; i++)
		if (user_id && k->signers[i].user_id == user_id &&
		    (who == CONTRACT_PARTIES_MAX || (k->signers[who].signed_at && !k->signers[i].signed_at)))
			who = i;
	if (who == CONTRACT_PARTIES_MAX)
		return error_set(err, ERROR_NOT_FOUND, NULL, "not a signatory of this contract");
	if (k->signers[who].signed_at)
		return error_set(err, ERROR_CONFLICT, "AlreadySigned", "this signatory signed the contract already");
	{
		struct contract_signature_row *sigs;
		size_t n;
		if (store_contract_signatures(c->store, a, row.id, &sigs, &n, err) < 0 ||
		    store_contract_sign(c->store, sigs[who].id, now, &done, err) < 0)
			return -1;
		if (!done) /* not reachable inside the write transaction; kept as the store's guarantee */
			return error_set(err, ERROR_CONFLICT, "AlreadySigned", "this signatory signed the contract already");
	}
	k->signers[who].signed_at = now;
	out->signer = k->signers[who];
	for (size_t i = 0; i < k->nsigners; i++)
		unsigned_left += !k->signers[i].signed_at;
	out->sealed = unsigned_left == 0 && !row.sealed_key.ptr;
	if (out->sealed && seal(c, a, &row, k, now, err) < 0)
		return -1;
	return 0;
}

int contract_sign(struct core *c, struct arena *a, struct str uuid, int64_t user_id, int64_t now,
		  struct contract_signed *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (!contract_uuid_valid(uuid))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such contract");
	IN_TRANSACTION(c, err, sign_locked(c, a, uuid, user_id, now, out, err));
	return 0;
}

int contract_sign_in_transaction(struct core *c, struct arena *a, struct str uuid, int64_t user_id, int64_t now,
				 struct contract_signed *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (!contract_uuid_valid(uuid))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such contract");
	return sign_locked(c, a, uuid, user_id, now, out, err);
}

/* Whether the sealed file's record says what the database says. */
static const char *record_mismatch(struct arena *a, const struct contract_record *r, const struct contract *k)
{
	if (!str_eq(r->uuid, k->uuid))
		return "the sealed file is another contract's";
	if (!str_eq(hex_of(a, r->pdf_sha256, sizeof(r->pdf_sha256)), k->pdf_sha256) ||
	    (int64_t)r->pdf_size != k->pdf_size)
		return "the sealed file holds another lease than the one stored";
	if (r->sealed_at != k->sealed_at || r->nsignatories != k->nsigners)
		return "the sealed file's signatures differ from the recorded ones";
	for (size_t i = 0; i < k->nsigners; i++) {
		const struct contract_signatory *s = &r->signatories[i];
		const struct contract_signer *d = &k->signers[i];
		if (s->type != d->type || s->signed_at != d->signed_at || !str_eq(s->first_name, d->first_name) ||
		    !str_eq(s->last_name, d->last_name) || !str_eq(s->ssn, d->ssn))
			return "the sealed file's signatures differ from the recorded ones";
	}
	return NULL;
}

int contract_verify(struct core *c, struct arena *a, struct str uuid, struct contract_verification *out,
		    struct error *err)
{
	struct contract_row row;
	struct contract k;
	struct contract_record r;
	struct str file;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!contract_uuid_valid(uuid))
		return error_field(err, "uuid", RULE_FORMAT, "must be a contract uuid (36 lower-case characters, 8-4-4-4-12)");
	if (load(c, a, uuid, &row, &k, err) < 0)
		return -1;
	out->signatories = arena_alloc(a, sizeof(*out->signatories) * (k.nsigners + 1));
	for (size_t i = 0; i < k.nsigners; i++)
		if (k.signers[i].signed_at)
			out->signatories[out->nsignatories++] = k.signers[i];
	if (!row.sealed_key.ptr) {
		out->reason = "not every signatory has signed yet";
		return 0;
	}
	if ((rc = read_object(c, a, row.sealed_key.ptr, &file, err)) < 0)
		return -1;
	if (rc == 1) {
		out->reason = "the sealed file is missing from the storage";
		return 0;
	}
	out->is_valid = contract_verify_file(a, file, c->contract_key.pk, &r, &out->reason) == CONTRACT_VALID;
	if (out->is_valid && (out->reason = record_mismatch(a, &r, &k)) != NULL)
		out->is_valid = false;
	if (out->is_valid)
		out->reason = "the contract is intact, signed by every signatory and sealed by rentd";
	return 0;
}

int contract_file(struct core *c, struct arena *a, struct str uuid, struct str *pdf, bool *sealed, struct error *err)
{
	struct contract_row row;
	struct contract k;
	int rc;

	if (contract_get(c, a, uuid, &k, err) < 0 || store_contract_get(c->store, a, uuid, &row, err) < 0)
		return -1;
	*sealed = row.sealed_key.ptr != NULL;
	rc = read_object(c, a, *sealed ? row.sealed_key.ptr : row.storage_key.ptr, pdf, err);
	if (rc == 1)
		return error_set(err, ERROR_NOT_FOUND, NULL, "the contract's file is missing from the storage");
	return rc;
}
