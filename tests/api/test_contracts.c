/*
 * test_contracts.c — the digital contract through the API (issue 15; docs/API.md "Digital
 * contract", docs/DECISIONS.md "Digital contract"): a contract made by the core function the
 * letting process will call on confirm (contract_create(); the process itself comes later),
 * signed by the landlord's employee and the tenant (contract_sign()), then
 * GET /api/v1/digital_contract/verify/?uuid= before, between and after the signatures; a byte
 * changed in the stored file, or a signature changed in the database, makes it invalid; the
 * sealed file verifies offline with the key of GET /api/v1/digital_contract/public_key/; an
 * unknown uuid is 404, a missing or malformed one 412; a bad token 401; the rules of creating
 * and signing (another company's employee, an unknown application, a stranger, twice).
 */
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "core/contracts/contracts.h"
#include "org_common.h"

static struct harness *h;
static struct fixture_company co, other;
static int64_t application, tenant, employee;
static struct arena *arena; /* the core calls' (a test's arena, as a request's would be) */
static struct error err;

static int64_t post_id(const char *path, int status, const char *body)
{
	struct hresp *r = harness_auth(h, "POST", path, co.admin_token, body);
	int64_t id;
	cr_assert_eq(r->status, status, "%s: %s", path, r->body);
	id = hresp_int(r, "id");
	hresp_free(r);
	return id;
}

static void setup(void)
{
	char body[1024];
	int64_t estate, apartment, listing, req, step;

	h = harness_create();
	arena = arena_create(256 * 1024);
	error_init(&err, arena);
	fixture_company(h, "Bostäder i Solna AB", &co);
	fixture_company(h, "Other", &other);
	harness_sql(h, "UPDATE companies SET org_number = '556677-8899' WHERE id = %lld", (long long)co.id);
	req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id", (long long)co.id);
	snprintf(body, sizeof(body), "{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\", \"office\": %lld}",
		 (long long)co.root_office);
	estate = post_id("/api/v4/estate", 200, body);
	snprintf(body, sizeof(body),
		 "{\"estate\": %lld, \"street_name\": \"Kungsgatan\", \"street_number\": \"16A\", \"zip_code\": \"11143\","
		 " \"national_id\": \"1101\", \"latitude\": 59.3360, \"longitude\": 18.0640, \"area\": 57, \"floor\": 3,"
		 " \"rent\": 6747, \"rooms\": 1.5}",
		 (long long)estate);
	apartment = post_id("/api/v4/apartment", 201, body);
	snprintf(body, sizeof(body), "{\"apartment\": %lld, \"requirement\": %lld, \"access_date\": \"2027-01-01\"}",
		 (long long)apartment, (long long)req);
	listing = post_id("/api/v1/object_ad/", 201, body);

	tenant = fixture_consumer(h, "orjan@example.se", NULL);
	harness_sql(h, "UPDATE users SET first_name = 'Örjan', last_name = 'Åberg', personal_number = '19900101-1234'"
		" WHERE id = %lld",
		(long long)tenant);
	employee = co.admin_id;
	harness_sql(h, "UPDATE users SET first_name = 'Anna', last_name = 'Ek' WHERE id = %lld", (long long)employee);
	/* an application as the apply command writes it (store/market/store_applications.c) */
	application = harness_sql_int(h, "INSERT INTO applications(listing_id, company_id, user_id, queue_type, queue_points,"
			      " applied_at, state, screening_approved, updated_at)"
			      " VALUES (%lld, %lld, %lld, 'residential', 100, 1, 'signing', 1, 1) RETURNING id",
			      (long long)listing, (long long)co.id, (long long)tenant);
	step = harness_sql_int(h, "INSERT INTO application_steps(application_id, state, created_at) VALUES (%lld, 'signing', 1) RETURNING id",
		       (long long)application);
	harness_sql(h, "UPDATE applications SET step_id = %lld WHERE id = %lld", (long long)step, (long long)application);
}

static void teardown(void)
{
	harness_destroy(h);
	arena_destroy(arena);
}

TestSuite(contracts, .init = setup, .fini = teardown);

/* ---- the core calls the letting process will make ---- */

static struct core *core(void)
{
	error_init(&err, arena);
	return server_core(h->server);
}

static void create(struct contract *out)
{
	cr_assert_eq(contract_create(core(), arena, application, employee, 1795000000, out, &err), 0, "%s",
		     err.message ? err.message : err.nfields ? err.fields[0].message : "?");
	cr_assert_eq(out->uuid.len, 36);
}

static void sign(struct str uuid, int64_t user, int64_t at, struct contract_signed *out)
{
	cr_assert_eq(contract_sign(core(), arena, uuid, user, at, out, &err), 0, "%s",
		     err.message ? err.message : "?");
}

static struct hresp *verify(const char *uuid)
{
	char p[512];
	return harness_request(h, "GET", pathf(p, "/api/v1/digital_contract/verify/?uuid=%s", uuid), NULL);
}

static const char *cstr(struct str s)
{
	return arena_strdup_str(arena, s);
}

/* The sealed file of a contract in the media storage. */
static const char *sealed_path(struct str uuid)
{
	return arena_printf(arena, "%s/digital_contracts/%.*s-signed.pdf", app_config(h->app)->media_dir, STR_FMT(uuid));
}

static void signed_contract(struct contract *k)
{
	struct contract_signed s;
	create(k);
	sign(k->uuid, employee, 1795000100, &s);
	cr_assert(!s.sealed);
	sign(k->uuid, tenant, 1795000300, &s);
	cr_assert(s.sealed);
	cr_assert_eq(s.contract.sealed_at, 1795000300);
}

Test(contracts, create_records_the_parties_and_stores_the_lease)
{
	struct contract k;
	struct str pdf;
	bool sealed;

	create(&k);
	cr_assert_eq(k.nsigners, 2);
	cr_assert_eq(k.signers[0].type, CONTRACT_LANDLORD);
	cr_assert_str_eq(cstr(k.signers[0].first_name), "Anna");
	cr_assert_eq(k.signers[0].user_id, employee);
	cr_assert_eq(k.signers[1].type, CONTRACT_TENANT);
	cr_assert_str_eq(cstr(k.signers[1].last_name), "Åberg");
	cr_assert_str_eq(cstr(k.signers[1].ssn), "19900101-1234");
	cr_assert_eq(k.signers[1].signed_at, 0);
	cr_assert_eq(k.application_id, application);
	cr_assert_eq(k.company_id, co.id);
	cr_assert_eq(k.sealed_at, 0);

	/* the stored lease: a PDF naming the apartment, whose hash the row keeps */
	cr_assert_eq(contract_file(core(), arena, k.uuid, &pdf, &sealed, &err), 0);
	cr_assert(!sealed);
	cr_assert_eq((int64_t)pdf.len, k.pdf_size);
	cr_assert_eq(memcmp(pdf.ptr, "%PDF-", 5), 0);
	cr_assert(memmem(pdf.ptr, pdf.len, "/Subject (Kungsgatan 16A, 11143 Stockholm)", 42));
	{
		uint8_t hash[32];
		char hex[65];
		crypto_hash_sha256(hash, (const unsigned char *)pdf.ptr, pdf.len);
		sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
		cr_assert_str_eq(hex, cstr(k.pdf_sha256));
	}
}

Test(contracts, create_refuses_another_company_and_unknown_ids)
{
	struct contract k;
	cr_assert_eq(contract_create(core(), arena, application, other.admin_id, 1795000000, &k, &err), -1);
	cr_assert_eq(err.kind, ERROR_VALIDATION);
	cr_assert_str_eq(err.fields[0].path, "landlord_user_id");
	cr_assert_eq(contract_create(core(), arena, application, tenant, 1795000000, &k, &err), -1, "an applicant is no landlord");
	cr_assert_eq(err.kind, ERROR_VALIDATION);
	cr_assert_eq(contract_create(core(), arena, application, 999999, 1795000000, &k, &err), -1);
	cr_assert_eq(err.kind, ERROR_VALIDATION);
	cr_assert_eq(contract_create(core(), arena, 999999, employee, 1795000000, &k, &err), -1);
	cr_assert_eq(err.kind, ERROR_NOT_FOUND);
}

Test(contracts, sign_rules)
{
	struct contract k;
	struct contract_signed s;

	create(&k);
	cr_assert_eq(contract_sign(core(), arena, k.uuid, other.admin_id, 1795000100, &s, &err), -1, "a stranger");
	cr_assert_eq(err.kind, ERROR_NOT_FOUND);
	sign(k.uuid, tenant, 1795000100, &s);
	cr_assert_eq(s.signer.type, CONTRACT_TENANT);
	cr_assert_eq(s.signer.signed_at, 1795000100);
	cr_assert(!s.sealed);
	cr_assert_eq(contract_sign(core(), arena, k.uuid, tenant, 1795000200, &s, &err), -1, "twice");
	cr_assert_eq(err.kind, ERROR_CONFLICT);
	cr_assert_str_eq(err.code, "AlreadySigned");
	cr_assert_eq(contract_sign(core(), arena, STR_LIT("00000000-0000-4000-8000-000000000000"), tenant, 1795000200, &s,
				   &err),
		     -1);
	cr_assert_eq(err.kind, ERROR_NOT_FOUND);
}

/* ---- GET /api/v1/digital_contract/verify/ ---- */

Test(contracts, verify_before_between_and_after_the_signatures)
{
	struct contract k;
	struct contract_signed s;
	struct hresp *r;
	json_t *sigs, *one;

	create(&k);
	r = verify(cstr(k.uuid));
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "signatories")), 0);
	cr_assert(strstr(hresp_str(r, "reason"), "not every signatory"));
	hresp_free(r);

	sign(k.uuid, employee, 1795000100, &s);
	r = verify(cstr(k.uuid));
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "signatories")), 1, "%s", r->body);
	hresp_free(r);

	sign(k.uuid, tenant, 1795000300, &s);
	cr_assert(s.sealed);
	r = verify(cstr(k.uuid));
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "is_valid")), "%s", r->body);
	sigs = json_object_get(r->json, "signatories");
	cr_assert_eq(json_array_size(sigs), 2, "%s", r->body);
	one = json_array_get(sigs, 0);
	cr_assert_str_eq(jstr(one, "first_name"), "Anna");
	cr_assert_str_eq(jstr(one, "last_name"), "Ek");
	cr_assert_str_eq(jstr(one, "signed_at"), "2026-11-18T11:08:20Z");
	cr_assert_str_eq(jstr(one, "signatory_type"), "LANDLORD");
	cr_assert(json_is_null(json_object_get(one, "ssn")), "no personal number: null");
	one = json_array_get(sigs, 1);
	cr_assert_str_eq(jstr(one, "first_name"), "Örjan");
	cr_assert_str_eq(jstr(one, "last_name"), "Åberg");
	cr_assert_str_eq(jstr(one, "ssn"), "19900101-1234");
	cr_assert_str_eq(jstr(one, "signed_at"), "2026-11-18T11:11:40Z");
	cr_assert_str_eq(jstr(one, "signatory_type"), "TENANT");
	{
		static const char *const keys[] = { "first_name", "last_name", "signatory_type", "signed_at", "ssn", NULL };
		expect_keys(one, keys);
	}
	hresp_free(r);

	/* the uuid compares without case */
	{
		char *upper = arena_strdup_str(arena, k.uuid);
		for (char *p = upper; *p; p++)
			if (*p >= 'a' && *p <= 'f')
				*p = (char)(*p - 'a' + 'A');
		r = verify(upper);
		cr_assert(json_is_true(json_object_get(r->json, "is_valid")), "%s", r->body);
		hresp_free(r);
	}
}

Test(contracts, a_changed_byte_in_the_stored_file_is_not_valid)
{
	struct contract k;
	struct hresp *r;
	FILE *f;
	long size;
	int c;

	signed_contract(&k);
	f = fopen(sealed_path(k.uuid), "r+b");
	cr_assert(f, "%s", sealed_path(k.uuid));
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size / 3, SEEK_SET); /* inside the lease */
	c = fgetc(f);
	fseek(f, size / 3, SEEK_SET);
	fputc(c ^ 0x20, f);
	fclose(f);
	r = verify(cstr(k.uuid));
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	cr_assert(strstr(hresp_str(r, "reason"), "changed"), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(r->json, "signatories")), 2, "the recorded signatures still listed");
	hresp_free(r);

	/* put back, valid again; then the file is gone: not valid */
	f = fopen(sealed_path(k.uuid), "r+b");
	fseek(f, size / 3, SEEK_SET);
	fputc(c, f);
	fclose(f);
	r = verify(cstr(k.uuid));
	cr_assert(json_is_true(json_object_get(r->json, "is_valid")), "%s", r->body);
	hresp_free(r);
	cr_assert_eq(unlink(sealed_path(k.uuid)), 0);
	r = verify(cstr(k.uuid));
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	hresp_free(r);
}

Test(contracts, a_signature_changed_in_the_database_is_not_valid)
{
	struct contract k;
	struct hresp *r;

	signed_contract(&k);
	harness_sql(h, "UPDATE contract_signatures SET first_name = 'Annika' WHERE signatory_type = 'LANDLORD'");
	r = verify(cstr(k.uuid));
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	cr_assert(strstr(hresp_str(r, "reason"), "signatures differ"), "%s", r->body);
	hresp_free(r);
	harness_sql(h, "UPDATE contract_signatures SET first_name = 'Anna' WHERE signatory_type = 'LANDLORD'");
	harness_sql(h, "UPDATE contract_signatures SET signed_at = signed_at + 1 WHERE signatory_type = 'TENANT'");
	r = verify(cstr(k.uuid));
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	hresp_free(r);
}

Test(contracts, the_sealed_file_verifies_offline_with_the_published_key)
{
	struct contract k, k2;
	struct contract_record rec;
	struct hresp *r;
	struct str file;
	uint8_t pk[32];
	const char *reason;
	bool sealed;

	signed_contract(&k);
	r = harness_request(h, "GET", "/api/v1/digital_contract/public_key/", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "algorithm"), "Ed25519");
	cr_assert_str_eq(hresp_str(r, "format"), "rentd digital contract v1");
	cr_assert_eq(contract_key_parse_public(hresp_str(r, "public_key"), pk), 0, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "public_key"), core()->contract_key.pk_hex);
	hresp_free(r);

	cr_assert_eq(contract_file(core(), arena, k.uuid, &file, &sealed, &err), 0);
	cr_assert(sealed);
	cr_assert_eq(contract_verify_file(arena, file, pk, &rec, &reason), CONTRACT_VALID, "%s", reason);
	cr_assert(str_eq(rec.uuid, k.uuid));
	cr_assert_eq(rec.nsignatories, 2);

	/* another contract's sealed file put in its place: not valid (the record names the other) */
	signed_contract(&k2);
	cr_assert_eq(contract_file(core(), arena, k2.uuid, &file, &sealed, &err), 0);
	{
		FILE *f = fopen(sealed_path(k.uuid), "wb");
		cr_assert(f);
		cr_assert_eq(fwrite(file.ptr, 1, file.len, f), file.len);
		fclose(f);
	}
	r = verify(cstr(k.uuid));
	cr_assert(json_is_false(json_object_get(r->json, "is_valid")), "%s", r->body);
	cr_assert(strstr(hresp_str(r, "reason"), "another contract"), "%s", r->body);
	hresp_free(r);
}

Test(contracts, verify_errors)
{
	struct hresp *r;
	const char *bad_token[] = { "Authorization: JWT not.a.token", NULL };

	r = verify("00000000-0000-4000-8000-000000000000");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	r = verify("not-a-uuid");
	expect_invalid(r, "uuid");
	hresp_free(r);
	r = verify("0b4e7a0e-5bd1-4e2c-9d3a-2f1c2b3a4d5");
	expect_invalid(r, "uuid");
	hresp_free(r);
	r = verify("0b4e7a0e-5bd1-4e2c-9d3a-2f1c2b3a4d5e'");
	expect_invalid(r, "uuid");
	hresp_free(r);
	r = harness_request(h, "GET", "/api/v1/digital_contract/verify/", NULL);
	expect_invalid(r, "uuid");
	hresp_free(r);
	r = harness_request(h, "GET", "/api/v1/digital_contract/verify/?uuid=", NULL);
	expect_invalid(r, "uuid");
	hresp_free(r);
	r = harness_request_ex(h, "GET", "/api/v1/digital_contract/verify/?uuid=00000000-0000-4000-8000-000000000000", NULL,
			       NULL, 0, bad_token);
	cr_assert_eq(r->status, 401, "a bad token is refused even where none is needed (H-36): %s", r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/api/v1/digital_contract/verify/?uuid=00000000-0000-4000-8000-000000000000", NULL);
	cr_assert_eq(r->status, 405, "%s", r->body);
	hresp_free(r);
}

Test(contracts, verify_with_an_employee_token_answers_the_same)
{
	struct contract k;
	struct hresp *r;
	char p[512];

	signed_contract(&k);
	r = harness_auth(h, "GET", pathf(p, "/api/v1/digital_contract/verify/?uuid=%s", cstr(k.uuid)), other.admin_token,
			 NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(json_is_true(json_object_get(r->json, "is_valid")), "%s", r->body);
	hresp_free(r);
}

/* Both endpoints answer other origins: a verification page on a landlord's site may call them. */
Test(contracts, other_origins_may_verify)
{
	const char *const headers[] = { "Origin: https://landlord.example", "Access-Control-Request-Method: GET", NULL };
	struct hresp *r = harness_request_ex(h, "OPTIONS", "/api/v1/digital_contract/verify/?uuid=x", NULL, NULL, 0, headers);

	cr_assert_eq(r->status, 204, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	r = harness_request(h, "GET", "/api/v1/digital_contract/public_key", NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	r = verify("00000000-0000-4000-8000-000000000000");
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*", "errors too");
	hresp_free(r);
}
