/*
 * test_contracts.c — the digital contract without a database (core/contracts/): the lease
 * PDF (a PDF, its metadata naming the address and the contract, the same bytes for the same
 * document), the signed record's one encoding, sealing and offline verification (a round
 * trip; every changed byte, an appended update, a truncation, another key, a forged record
 * all fail), the structure of the appended PDF update, and the key file (created 0600 once,
 * read back; the environment's seed wins; bad contents refused).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "core/contracts/contract_key.h"
#include "core/contracts/contract_pdf.h"
#include "core/contracts/contract_seal.h"

#define UUID "0b4e7a0e-5bd1-4e2c-9d3a-2f1c2b3a4d5e"

static struct arena *arena;
static struct error err;
static struct contract_key key, other_key;

static void setup(void)
{
	uint8_t seed[32];
	arena = arena_create(64 * 1024);
	error_init(&err, arena);
	cr_assert_geq(sodium_init(), 0);
	memset(seed, 7, sizeof(seed));
	contract_key_from_seed(seed, &key);
	memset(seed, 8, sizeof(seed));
	contract_key_from_seed(seed, &other_key);
}

static void teardown(void)
{
	arena_destroy(arena);
}

TestSuite(contracts, .init = setup, .fini = teardown);

static struct contract_doc lease(void)
{
	struct contract_doc d = { 0 };
	d.uuid = STR_LIT(UUID);
	d.created_at = 1795000000;
	d.landlord_name = STR_LIT("Bostäder i Solna AB");
	d.landlord_org_number = STR_LIT("556677-8899");
	d.street = STR_LIT("Kungsgatan");
	d.street_number = STR_LIT("16A");
	d.zip_code = STR_LIT("11143");
	d.city = STR_LIT("Stockholm");
	d.apartment_number = STR_LIT("1101");
	d.rooms = 1.5;
	d.area = 57;
	d.floor = 3;
	d.rent = 6747;
	d.access_date = STR_LIT("2027-01-01");
	d.parties[0] = (struct contract_party){ CONTRACT_LANDLORD, STR_LIT("Anna"), STR_LIT("Ek"), STR_LIT("") };
	d.parties[1] = (struct contract_party){ CONTRACT_TENANT, STR_LIT("Örjan"), STR_LIT("Åberg"), STR_LIT("19900101-1234") };
	d.nparties = 2;
	return d;
}

static struct str render(const struct contract_doc *d)
{
	struct buf b;
	buf_init(&b, arena, 32 * 1024);
	cr_assert_eq(contract_render(d, &b, &err), 0, "%s", err.message ? err.message : "validation");
	return buf_str(&b);
}

static bool contains(struct str hay, const char *needle)
{
	return memmem(hay.ptr, hay.len, needle, strlen(needle)) != NULL;
}

static struct contract_record record(void)
{
	struct contract_record r;
	memset(&r, 0, sizeof(r));
	r.uuid = STR_LIT(UUID);
	r.sealed_at = 1795000300;
	r.signatories[0] = (struct contract_signatory){ CONTRACT_LANDLORD, STR_LIT("Anna"), STR_LIT("Ek"), STR_LIT(""), 1795000100 };
	r.signatories[1] =
		(struct contract_signatory){ CONTRACT_TENANT, STR_LIT("Örjan"), STR_LIT("Åberg"), STR_LIT("19900101-1234"), 1795000300 };
	r.nsignatories = 2;
	return r;
}

static struct str sealed(struct str pdf, const struct contract_key *k)
{
	struct contract_record r = record();
	struct buf out;
	buf_init(&out, arena, pdf.len + 4096);
	cr_assert_eq(contract_seal(arena, pdf, &r, k, &out, &err), 0, "%s", err.message ? err.message : "validation");
	return buf_str(&out);
}

static enum contract_verdict verify(struct str file, const struct contract_key *k)
{
	struct contract_record r;
	const char *reason;
	return contract_verify_file(arena, file, k->pk, &r, &reason);
}

/* ---- the lease ---- */

Test(contracts, render_is_a_pdf_naming_the_address_and_the_contract)
{
	struct contract_doc d = lease();
	struct str pdf = render(&d), again;

	cr_assert_gt(pdf.len, 1000);
	cr_assert_eq(memcmp(pdf.ptr, "%PDF-", 5), 0, "starts with %%PDF-");
	cr_assert(contains((struct str){ pdf.ptr + pdf.len - 7, 7 }, "%%EOF"), "ends with %%%%EOF");
	/* the metadata: the address as the subject, the contract as the title and the keywords */
	cr_assert(contains(pdf, "/Subject (Kungsgatan 16A, 11143 Stockholm)"));
	cr_assert(contains(pdf, "/Title (Hyreskontrakt " UUID ")"));
	cr_assert(contains(pdf, "/Keywords (rentd-contract:" UUID ")"));
	cr_assert(contains(pdf, "/Creator (rentd)"));
	/* a name with å/ä/ö is UTF-16BE in the metadata: "Bostäder" */
	cr_assert(contains(pdf, "0042006F0073007400E400640065007200"), "the landlord (author) in UTF-16");
	/* one page, with a font embedded (the text is drawn, not left to the reader's fonts) */
	cr_assert(contains(pdf, "/Type /Page"));
	cr_assert(contains(pdf, "/FontFile"));
	/* the same document, the same bytes (the creation date is the contract's) */
	again = render(&d);
	cr_assert(str_eq(pdf, again), "rendering is deterministic");
	/* another address, other bytes */
	d.street_number = STR_LIT("18");
	again = render(&d);
	cr_assert(!str_eq(pdf, again));
	cr_assert(contains(again, "/Subject (Kungsgatan 18, 11143 Stockholm)"));
}

Test(contracts, render_refuses_bad_text_and_no_parties)
{
	struct contract_doc d = lease();
	struct buf b;
	char longname[CONTRACT_TEXT_MAX + 2];

	buf_init(&b, arena, 1024);
	d.parties[1].first_name = STR_LIT("Ör\njan");
	cr_assert_eq(contract_render(&d, &b, &err), -1);
	cr_assert_eq(err.kind, ERROR_VALIDATION);
	cr_assert_eq(b.len, 0, "nothing written");

	error_init(&err, arena);
	d = lease();
	d.city = (struct str){ "\xff\xfe", 2 };
	cr_assert_eq(contract_render(&d, &b, &err), -1, "not UTF-8");
	cr_assert_str_eq(err.fields[0].path, "city");

	error_init(&err, arena);
	d = lease();
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	d.landlord_name = str_from_cstr(longname);
	cr_assert_eq(contract_render(&d, &b, &err), -1, "too long");
	cr_assert_str_eq(err.fields[0].path, "landlord_name");

	error_init(&err, arena);
	d = lease();
	d.nparties = 0;
	cr_assert_eq(contract_render(&d, &b, &err), -1, "no party");
	cr_assert_str_eq(err.fields[0].path, "parties");
}

Test(contracts, render_without_access_date_or_org_number)
{
	struct contract_doc d = lease();
	d.access_date = STR_LIT("");
	d.landlord_org_number = STR_LIT("");
	d.verify_url = STR_LIT("https://rentd.example/api/v1/digital_contract/verify/?uuid=" UUID);
	cr_assert_gt(render(&d).len, 1000);
	/* a long public URL still fits (shrunk to the line) */
	{
		char url[CONTRACT_URL_MAX + 1];
		memset(url, 'x', sizeof(url) - 1);
		memcpy(url, "https://", 8);
		url[600] = '\0';
		d.verify_url = str_from_cstr(url);
		cr_assert_gt(render(&d).len, 1000);
	}
}

/* ---- the signed record ---- */

Test(contracts, record_has_one_encoding)
{
	struct contract_record r = record(), back;
	struct buf m, again;
	char *bad;

	memset(r.pdf_sha256, 0xab, sizeof(r.pdf_sha256));
	r.pdf_size = 12345;
	memcpy(r.public_key, key.pk, sizeof(r.public_key));
	buf_init(&m, arena, 1024);
	cr_assert_eq(contract_record_encode(&r, &m, &err), 0);
	cr_assert(contains(buf_str(&m), "rentd digital contract v1\nuuid\t" UUID "\npdf-sha256\tabab"));
	cr_assert(contains(buf_str(&m), "\npdf-size\t12345\n"));
	cr_assert(contains(buf_str(&m), "\nsignatory\tLANDLORD\t2026-11-18T11:08:20Z\t-\tAnna\tEk\n"), "%.*s",
		  (int)m.len, m.ptr);
	cr_assert(contains(buf_str(&m), "\nsignatory\tTENANT\t2026-11-18T11:11:40Z\t19900101-1234\tÖrjan\tÅberg\n"));
	cr_assert(contains(buf_str(&m), "\nsealed-at\t2026-11-18T11:11:40Z\npublic-key\t"));
	cr_assert_eq(contract_record_decode(arena, buf_str(&m), &back), 0);
	cr_assert_eq(back.nsignatories, 2);
	cr_assert(str_eq(back.signatories[1].first_name, STR_LIT("Örjan")));
	cr_assert_eq(back.signatories[0].ssn.len, 0);
	cr_assert_eq(back.sealed_at, r.sealed_at);
	buf_init(&again, arena, 1024);
	contract_record_encode(&back, &again, &err);
	cr_assert(str_eq(buf_str(&m), buf_str(&again)));

	/* other spellings of the same record are not records */
	bad = arena_strdup_str(arena, buf_str(&m));
	*strstr(bad, "abab") = 'A'; /* upper-case hex */
	cr_assert_eq(contract_record_decode(arena, str_from_cstr(bad), &back), -1);
	bad = arena_strdup_str(arena, buf_str(&m));
	memcpy(strstr(bad, "T11:08:20Z"), "T11:08:20+", 10);
	cr_assert_eq(contract_record_decode(arena, str_from_cstr(bad), &back), -1);
	cr_assert_eq(contract_record_decode(arena, (struct str){ m.ptr, m.len - 1 }, &back), -1, "without the last LF");

	/* a TAB or LF in a name cannot be encoded */
	r.signatories[1].last_name = STR_LIT("Å\tberg");
	cr_assert_eq(contract_record_encode(&r, &m, &err), -1);
}

/* ---- sealing and verifying ---- */

Test(contracts, seal_and_verify_round_trip)
{
	struct contract_doc d = lease();
	struct str pdf = render(&d), file = sealed(pdf, &key);
	struct contract_record r;
	const char *reason;
	uint8_t hash[32];

	cr_assert_gt(file.len, pdf.len);
	cr_assert_eq(memcmp(file.ptr, pdf.ptr, pdf.len), 0, "the lease's bytes come first, unchanged");
	cr_assert_eq(contract_verify_file(arena, file, key.pk, &r, &reason), CONTRACT_VALID, "%s", reason);
	cr_assert(str_eq(r.uuid, STR_LIT(UUID)));
	cr_assert_eq(r.pdf_size, pdf.len);
	crypto_hash_sha256(hash, (const unsigned char *)pdf.ptr, pdf.len);
	cr_assert_eq(memcmp(hash, r.pdf_sha256, 32), 0);
	cr_assert_eq(memcmp(r.public_key, key.pk, 32), 0);
	cr_assert_eq(r.nsignatories, 2);
	cr_assert_eq(r.signatories[0].type, CONTRACT_LANDLORD);
	cr_assert(str_eq(r.signatories[1].ssn, STR_LIT("19900101-1234")));
	/* the document's own metadata stays in the new information dictionary */
	cr_assert(contains((struct str){ file.ptr + pdf.len, file.len - pdf.len }, "/Subject (Kungsgatan 16A, 11143 Stockholm)"));
	/* an unsealed lease is no sealed contract */
	cr_assert_eq(verify(pdf, &key), CONTRACT_NOT_SEALED);
}

/* The update is a well-formed PDF incremental update: its xref entry and startxref point at what they name. */
Test(contracts, seal_is_a_pdf_incremental_update)
{
	struct contract_doc d = lease();
	struct str pdf = render(&d), file = sealed(pdf, &key);
	char *tail = arena_strndup(arena, file.ptr + pdf.len, file.len - pdf.len);
	char *p, obj[32];
	long long size, n, offset, xref, prev, root;

	/* D's trailer: /Size, /Root and its startxref */
	/* (the end of D is text: its font streams, with NUL bytes, come before) */
	p = strstr(arena_strndup(arena, pdf.ptr + pdf.len - 600, 600), "trailer");
	cr_assert(p);
	cr_assert_eq(sscanf(strstr(p, "/Size"), "/Size %lld", &size), 1);
	cr_assert_eq(sscanf(strstr(p, "/Root"), "/Root %lld 0 R", &root), 1);
	cr_assert_eq(sscanf(strstr(p, "startxref"), "startxref %lld", &prev), 1);

	/* the update: object <Size> at the offset its xref gives, a trailer chaining to D's */
	snprintf(obj, sizeof(obj), "%lld 0 obj\n<<", size);
	cr_assert_eq(strncmp(tail, obj, strlen(obj)), 0, "%s", tail);
	p = strstr(tail, "xref\n0 1\n0000000000 65535 f \n");
	cr_assert(p);
	cr_assert_eq(sscanf(p, "xref\n0 1\n0000000000 65535 f \n%lld 1\n%lld 00000 n \n", &n, &offset), 2);
	cr_assert_eq(n, size);
	cr_assert_eq(offset, (long long)pdf.len);
	cr_assert_eq(strncmp(file.ptr + offset, obj, strlen(obj)), 0);
	p = strstr(tail, "trailer\n");
	cr_assert(p);
	{
		char expect[256];
		snprintf(expect, sizeof(expect), "trailer\n<< /Size %lld\n   /Root %lld 0 R\n   /Info %lld 0 R\n   /Prev %lld\n>>\n",
			 size + 1, root, size, prev);
		cr_assert_eq(strncmp(p, expect, strlen(expect)), 0, "%s", p);
	}
	cr_assert_eq(sscanf(strstr(tail, "startxref\n"), "startxref\n%lld", &xref), 1);
	cr_assert_eq(strncmp(file.ptr + xref, "xref\n", 5), 0, "startxref points at the new xref");
	cr_assert_eq(strcmp(tail + strlen(tail) - 6, "%%EOF\n"), 0);
}

Test(contracts, every_changed_byte_fails)
{
	struct contract_doc d = lease();
	struct str pdf = render(&d), file = sealed(pdf, &key);
	char *copy = arena_alloc(arena, file.len);
	size_t tried = 0;

	/* every byte of the seal, and every 23rd of the lease */
	for (size_t i = 0; i < file.len; i += i < pdf.len ? 23 : 1) {
		enum contract_verdict v;
		memcpy(copy, file.ptr, file.len);
		copy[i] ^= 0x01;
		v = verify((struct str){ copy, file.len }, &key);
		cr_assert_neq(v, CONTRACT_VALID, "byte %zu of %zu changed, still valid", i, file.len);
		if (i < pdf.len)
			cr_assert_eq(v, CONTRACT_TAMPERED, "a changed lease byte %zu is tampering", i);
		tried++;
	}
	cr_assert_gt(tried, 1000);
}

Test(contracts, appended_truncated_and_replaced_files_fail)
{
	struct contract_doc d = lease();
	struct str pdf = render(&d), file = sealed(pdf, &key);
	struct buf more;
	const char *m;
	char *copy;

	/* an update appended after the seal (a reader would show its objects) */
	buf_init(&more, arena, file.len + 64);
	buf_append_str(&more, file);
	buf_append_cstr(&more, "5 0 obj\n(changed)\nendobj\n");
	cr_assert_eq(verify(buf_str(&more), &key), CONTRACT_TAMPERED);
	/* cut short */
	cr_assert_neq(verify((struct str){ file.ptr, file.len - 1 }, &key), CONTRACT_VALID);
	cr_assert_neq(verify((struct str){ file.ptr, pdf.len + 10 }, &key), CONTRACT_VALID);
	/* another lease under the same seal */
	d.rent = 4000;
	{
		struct str other = render(&d);
		buf_init(&more, arena, file.len + 64);
		buf_append_str(&more, other);
		buf_append(&more, file.ptr + pdf.len, file.len - pdf.len);
		cr_assert_eq(verify(buf_str(&more), &key), CONTRACT_TAMPERED);
	}
	/* a name changed in the record (hex digits swapped for others): the signature fails */
	copy = arena_strndup(arena, file.ptr, file.len);
	m = memmem(copy, file.len, "/RentdSignedData <", 18);
	cr_assert(m);
	{
		char *at = strstr((char *)m, "416e6e61"); /* "Anna" */
		cr_assert(at);
		memcpy(at, "416e6e62", 8); /* "Annb" */
	}
	cr_assert_eq(verify((struct str){ copy, file.len }, &key), CONTRACT_BAD_SIGNATURE);
}

Test(contracts, another_key_fails)
{
	struct contract_doc d = lease();
	struct str pdf = render(&d);
	struct str file = sealed(pdf, &other_key);
	struct contract_record r;
	const char *reason;

	cr_assert_eq(verify(file, &other_key), CONTRACT_VALID);
	cr_assert_eq(contract_verify_file(arena, file, key.pk, &r, &reason), CONTRACT_OTHER_KEY);
	cr_assert(strstr(reason, "another key"));
}

/* A record that claims the trusted key but was signed by another: the signature fails. */
Test(contracts, forged_record_fails)
{
	struct contract_doc d = lease();
	struct str pdf = render(&d);
	struct contract_record r = record();
	struct buf m, file;
	uint8_t sig[CONTRACT_SIGNATURE_BYTES];

	crypto_hash_sha256(r.pdf_sha256, (const unsigned char *)pdf.ptr, pdf.len);
	r.pdf_size = pdf.len;
	memcpy(r.public_key, key.pk, sizeof(r.public_key)); /* claims rentd's key */
	buf_init(&m, arena, 1024);
	cr_assert_eq(contract_record_encode(&r, &m, &err), 0);
	crypto_sign_detached(sig, NULL, (const unsigned char *)m.ptr, m.len, other_key.sk);
	buf_init(&file, arena, pdf.len + 4096);
	buf_append_str(&file, pdf);
	cr_assert_eq(contract_seal_tail(pdf, buf_str(&m), sig, &file), 0);
	cr_assert_eq(verify(buf_str(&file), &key), CONTRACT_BAD_SIGNATURE);
}

Test(contracts, garbage_is_not_valid)
{
	const char *samples[] = { "", "%PDF-1.5\n%%EOF\n", "/RentdSignedData <zz>", "/RentdSignedData <00> /RentdSignature <00>",
				  "/RentdSignedData <7265> /RentdSignature <" };
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		cr_assert_neq(verify(str_from_cstr(samples[i]), &key), CONTRACT_VALID, "%s", samples[i]);
	cr_assert_eq(verify(STR_LIT("%PDF-1.5\n%%EOF\n"), &key), CONTRACT_NOT_SEALED);
	cr_assert_eq(verify(STR_LIT("/RentdSignedData <7265> /RentdSignature <00>"), &key), CONTRACT_MALFORMED);
}

/* ---- the key ---- */

Test(contracts, key_file_is_created_once_and_read_back)
{
	char dir[] = "/tmp/rentd-contract-key-XXXXXX", path[256], msg[256];
	struct contract_key a, b, e;
	struct stat st;
	int fd;

	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/contract-key", dir);
	cr_assert_eq(contract_key_load(path, NULL, &a, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	cr_assert_eq(st.st_size, 65, "64 hex digits and a newline");
	cr_assert_eq(contract_key_load(path, "", &b, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(memcmp(a.pk, b.pk, 32), 0, "the same key on the next start");
	cr_assert_str_eq(a.pk_hex, b.pk_hex);
	cr_assert_eq(strlen(a.pk_hex), 64);

	/* the environment's seed wins over the file */
	cr_assert_eq(contract_key_load(path, "0707070707070707070707070707070707070707070707070707070707070707", &e, msg,
				       sizeof(msg)),
		     0, "%s", msg);
	cr_assert_eq(memcmp(e.pk, key.pk, 32), 0);
	cr_assert_eq(contract_key_load(path, "07", &e, msg, sizeof(msg)), -1);
	cr_assert(strstr(msg, "RENTD_CONTRACT_KEY"));

	/* a file that is no key */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	cr_assert(write(fd, "not a key\n", 10) == 10);
	close(fd);
	cr_assert_eq(contract_key_load(path, NULL, &e, msg, sizeof(msg)), -1);
	cr_assert(strstr(msg, "64 hex digits"), "%s", msg);
	unlink(path);
	rmdir(dir);

	/* a public key in hex */
	cr_assert_eq(contract_key_parse_public(a.pk_hex, b.pk), 0);
	cr_assert_eq(memcmp(a.pk, b.pk, 32), 0);
	cr_assert_eq(contract_key_parse_public("abc", b.pk), -1);
}

Test(contracts, party_type_names)
{
	enum contract_party_type t;
	cr_assert_str_eq(contract_party_type_name(CONTRACT_WARRANTOR), "WARRANTOR");
	cr_assert_eq(contract_party_type_from_name(STR_LIT("TENANT"), &t), 0);
	cr_assert_eq(t, CONTRACT_TENANT);
	cr_assert_eq(contract_party_type_from_name(STR_LIT("tenant"), &t), -1);
}
