/* The sealed contract file: record, incremental update, offline verification (contract_seal.h). */
#include "core/contracts/contract_seal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DATA_KEY "/RentdSignedData <"
#define SIG_KEY "/RentdSignature <"

void contract_time(int64_t t, char out[32])
{
	time_t secs = (time_t)t;
	struct tm tm;
	gmtime_r(&secs, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "YYYY-MM-DDTHH:MM:SSZ" exactly → unix seconds; -1 otherwise. */
static int parse_time(struct str s, int64_t *out)
{
	char text[32], back[32];
	struct tm tm;
	const char *end;

	if (s.len != 20)
		return -1;
	memcpy(text, s.ptr, s.len);
	text[s.len] = '\0';
	memset(&tm, 0, sizeof(tm));
	end = strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return -1;
	*out = (int64_t)timegm(&tm);
	contract_time(*out, back);
	return strcmp(back, text) == 0 ? 0 : -1; /* one spelling per instant */
}

/* Text that may stand in a field of M: no control character (TAB and LF separate fields). */
static bool field_ok(struct str s)
{
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.ptr[i] < 0x20 || s.ptr[i] == 0x7f)
			return false;
	return true;
}

int contract_record_encode(const struct contract_record *r, struct buf *out, struct error *err)
{
	char hex[2 * CONTRACT_PUBLIC_KEY_BYTES + 1], when[32];

	if (!field_ok(r->uuid) || r->uuid.len == 0)
		return error_field(err, "uuid", RULE_FORMAT, "the contract uuid has a control character");
	if (r->nsignatories > CONTRACT_PARTIES_MAX)
		return error_field(err, "signatories", RULE_FORMAT, "at most %d signatories", CONTRACT_PARTIES_MAX);
	for (size_t i = 0; i < r->nsignatories; i++) {
		const struct contract_signatory *p = &r->signatories[i];
		if (!field_ok(p->first_name) || !field_ok(p->last_name) || !field_ok(p->ssn) ||
		    str_eq_cstr(p->ssn, "-") || (unsigned)p->type > CONTRACT_WARRANTOR)
			return error_field(err, "signatories", RULE_FORMAT, "signatory %zu has a control character", i + 1);
	}
	buf_append_cstr(out, CONTRACT_SEAL_MAGIC "\n");
	buf_printf(out, "uuid\t%.*s\n", (int)r->uuid.len, r->uuid.ptr);
	sodium_bin2hex(hex, sizeof(hex), r->pdf_sha256, sizeof(r->pdf_sha256));
	buf_printf(out, "pdf-sha256\t%s\n", hex);
	buf_printf(out, "pdf-size\t%llu\n", (unsigned long long)r->pdf_size);
	for (size_t i = 0; i < r->nsignatories; i++) {
		const struct contract_signatory *p = &r->signatories[i];
		contract_time(p->signed_at, when);
		buf_printf(out, "signatory\t%s\t%s\t%.*s\t%.*s\t%.*s\n", contract_party_type_name(p->type), when,
			   p->ssn.len ? (int)p->ssn.len : 1, p->ssn.len ? p->ssn.ptr : "-", (int)p->first_name.len,
			   p->first_name.ptr, (int)p->last_name.len, p->last_name.ptr);
	}
	contract_time(r->sealed_at, when);
	buf_printf(out, "sealed-at\t%s\n", when);
	sodium_bin2hex(hex, sizeof(hex), r->public_key, sizeof(r->public_key));
	buf_printf(out, "public-key\t%s\n", hex);
	return 0;
}

/* The next line of *m without its LF, split at TABs into at most max fields; -1 at the end or on a bare line. */
static int next_line(struct str *m, struct str *fields, size_t max, size_t *n)
{
	const char *nl = memchr(m->ptr, '\n', m->len);
	struct str line;
	if (!nl)
		return -1;
	line = (struct str){ m->ptr, (size_t)(nl - m->ptr) };
	m->ptr = nl + 1;
	m->len -= line.len + 1;
	*n = 0;
	for (;;) {
		const char *tab = memchr(line.ptr, '\t', line.len);
		size_t len = tab ? (size_t)(tab - line.ptr) : line.len;
		if (*n == max)
			return -1;
		fields[(*n)++] = (struct str){ line.ptr, len };
		if (!tab)
			return 0;
		line.ptr = tab + 1;
		line.len -= len + 1;
	}
}

static int hex_field(struct str s, uint8_t *out, size_t len)
{
	size_t got = 0;
	const char *end = NULL;
	if (s.len != 2 * len)
		return -1;
	for (size_t i = 0; i < s.len; i++)
		if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || (s.ptr[i] >= 'a' && s.ptr[i] <= 'f')))
			return -1;
	return sodium_hex2bin(out, len, s.ptr, s.len, NULL, &got, &end) == 0 && got == len ? 0 : -1;
}

int contract_record_decode(struct arena *a, struct str m, struct contract_record *r)
{
	struct str f[7], rest = m;
	size_t n;
	struct buf again;
	struct error err;
	int64_t v;

	memset(r, 0, sizeof(*r));
	if (next_line(&rest, f, 7, &n) < 0 || n != 1 || !str_eq_cstr(f[0], CONTRACT_SEAL_MAGIC))
		return -1;
	if (next_line(&rest, f, 7, &n) < 0 || n != 2 || !str_eq_cstr(f[0], "uuid"))
		return -1;
	r->uuid = arena_str_copy(a, f[1]);
	if (next_line(&rest, f, 7, &n) < 0 || n != 2 || !str_eq_cstr(f[0], "pdf-sha256") ||
	    hex_field(f[1], r->pdf_sha256, sizeof(r->pdf_sha256)) < 0)
		return -1;
	if (next_line(&rest, f, 7, &n) < 0 || n != 2 || !str_eq_cstr(f[0], "pdf-size") || str_to_int64(f[1], &v) < 0 ||
	    v <= 0)
		return -1;
	r->pdf_size = (uint64_t)v;
	for (;;) {
		struct contract_signatory *p;
		if (next_line(&rest, f, 7, &n) < 0)
			return -1;
		if (!str_eq_cstr(f[0], "signatory"))
			break;
		if (n != 6 || r->nsignatories == CONTRACT_PARTIES_MAX)
			return -1;
		p = &r->signatories[r->nsignatories++];
		if (contract_party_type_from_name(f[1], &p->type) < 0 || parse_time(f[2], &p->signed_at) < 0)
			return -1;
		p->ssn = str_eq_cstr(f[3], "-") ? STR_LIT("") : arena_str_copy(a, f[3]);
		p->first_name = arena_str_copy(a, f[4]);
		p->last_name = arena_str_copy(a, f[5]);
	}
	if (n != 2 || !str_eq_cstr(f[0], "sealed-at") || parse_time(f[1], &r->sealed_at) < 0)
		return -1;
	if (next_line(&rest, f, 7, &n) < 0 || n != 2 || !str_eq_cstr(f[0], "public-key") ||
	    hex_field(f[1], r->public_key, sizeof(r->public_key)) < 0 || rest.len != 0)
		return -1;
	/* one encoding per record: what does not encode back to the same bytes is not one */
	error_init(&err, a);
	buf_init(&again, a, m.len + 1);
	if (contract_record_encode(r, &again, &err) < 0 || !str_eq(buf_str(&again), m))
		return -1;
	return 0;
}

/* ---- the PDF around the record ---- */

/* The last occurrence of needle in s at or before `before` (an offset); -1 when none. */
static long rfind(struct str s, size_t before, const char *needle)
{
	size_t n = strlen(needle);
	if (n > s.len)
		return -1;
	for (size_t i = (before + n > s.len ? s.len - n : before) + 1; i-- > 0;)
		if (memcmp(s.ptr + i, needle, n) == 0)
			return (long)i;
	return -1;
}

/* A non-negative decimal after optional whitespace at s[*at]; -1 when none. */
static int64_t number_at(struct str s, size_t *at)
{
	int64_t v = 0;
	size_t i = *at, start;
	while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\n' || s.ptr[i] == '\r'))
		i++;
	start = i;
	while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9' && i - start < 15)
		v = v * 10 + (s.ptr[i++] - '0');
	if (i == start)
		return -1;
	*at = i;
	return v;
}

/*
 * The end of the dictionary whose "<<" is at s[open] (the offset just past its ">>"), skipping
 * literal and hex strings and nested dictionaries; 0 when it does not end.
 */
static size_t dict_end(struct str s, size_t open)
{
	int depth = 0;
	for (size_t i = open; i + 1 < s.len; i++) {
		char c = s.ptr[i];
		if (c == '<' && s.ptr[i + 1] == '<') {
			depth++;
			i++;
		} else if (c == '>' && s.ptr[i + 1] == '>') {
			i++;
			if (--depth == 0)
				return i + 1;
		} else if (c == '<') {
			while (i < s.len && s.ptr[i] != '>')
				i++;
		} else if (c == '(') {
			int parens = 0;
			for (; i < s.len; i++) {
				if (s.ptr[i] == '\\')
					i++;
				else if (s.ptr[i] == '(')
					parens++;
				else if (s.ptr[i] == ')' && --parens == 0)
					break;
			}
		}
	}
	return 0;
}

/* In the dictionary text d: the number after key ("/Size 20"), or the reference ("/Root 19 0 R"). */
static int64_t dict_number(struct str d, const char *key, int64_t *gen)
{
	long at = rfind(d, d.len, key);
	size_t i;
	int64_t v;
	if (at < 0)
		return -1;
	i = (size_t)at + strlen(key);
	v = number_at(d, &i);
	if (gen) {
		*gen = number_at(d, &i);
		while (i < d.len && d.ptr[i] == ' ')
			i++;
		if (*gen < 0 || i >= d.len || d.ptr[i] != 'R')
			return -1;
	}
	return v;
}

struct pdf_end {
	int64_t size, root, root_gen, prev;
	struct str info; /* the information dictionary's entries, between its << and >>; empty: none */
};

/* What the update needs of D: its last trailer's /Size, /Root, /Info and its startxref. */
static int read_end(struct str d, struct pdf_end *e)
{
	long sx = rfind(d, d.len, "startxref"), tr, obj;
	size_t i, end;
	int64_t info, info_gen;
	struct str dict;
	char head[48];

	memset(e, 0, sizeof(*e));
	if (sx < 0)
		return -1;
	i = (size_t)sx + strlen("startxref");
	if ((e->prev = number_at(d, &i)) < 0)
		return -1;
	tr = rfind(d, (size_t)sx, "trailer");
	if (tr < 0)
		return -1;
	i = (size_t)tr + strlen("trailer");
	while (i < (size_t)sx && d.ptr[i] != '<')
		i++;
	end = dict_end(d, i);
	if (!end || end > (size_t)sx)
		return -1;
	dict = (struct str){ d.ptr + i, end - i };
	if ((e->size = dict_number(dict, "/Size", NULL)) <= 0 || (e->root = dict_number(dict, "/Root", &e->root_gen)) <= 0)
		return -1;
	info = dict_number(dict, "/Info", &info_gen);
	if (info <= 0)
		return 0;
	snprintf(head, sizeof(head), "\n%lld %lld obj", (long long)info, (long long)info_gen);
	obj = rfind(d, d.len, head);
	if (obj < 0)
		return 0;
	i = (size_t)obj + strlen(head);
	while (i < d.len && d.ptr[i] != '<')
		i++;
	end = dict_end(d, i);
	if (!end)
		return -1;
	e->info = (struct str){ d.ptr + i + 2, end - i - 4 };
	return 0;
}

static void append_hex(struct buf *out, const uint8_t *bin, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	buf_reserve(out, 2 * len);
	for (size_t i = 0; i < len; i++) {
		out->ptr[out->len++] = digits[bin[i] >> 4];
		out->ptr[out->len++] = digits[bin[i] & 15];
	}
}

int contract_seal_tail(struct str pdf, struct str m, const uint8_t sig[CONTRACT_SIGNATURE_BYTES], struct buf *out)
{
	struct pdf_end e;
	size_t start = out->len, obj_at, xref_at;
	bool newline = pdf.len && pdf.ptr[pdf.len - 1] == '\n';

	if (read_end(pdf, &e) < 0)
		return -1;
	if (!newline)
		buf_putc(out, '\n');
	obj_at = pdf.len + (out->len - start);
	buf_printf(out, "%lld 0 obj\n<<", (long long)e.size);
	buf_append_str(out, e.info);
	buf_append_cstr(out, "   " DATA_KEY);
	append_hex(out, (const uint8_t *)m.ptr, m.len);
	buf_append_cstr(out, ">\n   " SIG_KEY);
	append_hex(out, sig, CONTRACT_SIGNATURE_BYTES);
	buf_append_cstr(out, ">\n>>\nendobj\n");
	xref_at = pdf.len + (out->len - start);
	buf_printf(out, "xref\n0 1\n0000000000 65535 f \n%lld 1\n%010llu 00000 n \n", (long long)e.size,
		   (unsigned long long)obj_at);
	buf_printf(out, "trailer\n<< /Size %lld\n   /Root %lld %lld R\n   /Info %lld 0 R\n   /Prev %lld\n>>\n",
		   (long long)e.size + 1, (long long)e.root, (long long)e.root_gen, (long long)e.size, (long long)e.prev);
	buf_printf(out, "startxref\n%llu\n%%%%EOF\n", (unsigned long long)xref_at);
	return 0;
}

int contract_seal(struct arena *a, struct str pdf, struct contract_record *r, const struct contract_key *key,
		  struct buf *out, struct error *err)
{
	struct buf m;
	uint8_t sig[CONTRACT_SIGNATURE_BYTES];

	crypto_hash_sha256(r->pdf_sha256, (const unsigned char *)pdf.ptr, pdf.len);
	r->pdf_size = pdf.len;
	memcpy(r->public_key, key->pk, sizeof(r->public_key));
	buf_init(&m, a, 1024);
	if (contract_record_encode(r, &m, err) < 0)
		return -1;
	crypto_sign_detached(sig, NULL, (const unsigned char *)m.ptr, m.len, key->sk);
	buf_append_str(out, pdf);
	if (contract_seal_tail(pdf, buf_str(&m), sig, out) < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "the contract PDF has no trailer to append the seal to");
	return 0;
}

/* The bytes of the hex string that starts at file[at] and ends at '>'; -1 when it is not one. */
static int hex_string(struct arena *a, struct str file, size_t at, size_t max, struct str *out)
{
	size_t end = at, len;
	uint8_t *bin;
	size_t got = 0;
	const char *stop = NULL;

	while (end < file.len && file.ptr[end] != '>')
		end++;
	len = end - at;
	if (end == file.len || len % 2 || len / 2 > max)
		return -1;
	bin = arena_alloc(a, len / 2 + 1);
	if (sodium_hex2bin(bin, len / 2, file.ptr + at, len, NULL, &got, &stop) != 0 || got != len / 2)
		return -1;
	*out = (struct str){ (const char *)bin, got };
	return 0;
}

enum contract_verdict contract_verify_file(struct arena *a, struct str file, const uint8_t pk[CONTRACT_PUBLIC_KEY_BYTES],
					   struct contract_record *r, const char **reason)
{
	long data_at = rfind(file, file.len, DATA_KEY), sig_at;
	struct str m, sig, pdf;
	uint8_t hash[32];
	struct buf tail;

	memset(r, 0, sizeof(*r));
	if (data_at < 0) {
		*reason = "the file carries no rentd contract seal";
		return CONTRACT_NOT_SEALED;
	}
	sig_at = rfind(file, file.len, SIG_KEY);
	if (sig_at < data_at ||
	    hex_string(a, file, (size_t)data_at + strlen(DATA_KEY), CONTRACT_RECORD_MAX, &m) < 0 ||
	    hex_string(a, file, (size_t)sig_at + strlen(SIG_KEY), CONTRACT_SIGNATURE_BYTES, &sig) < 0 ||
	    sig.len != CONTRACT_SIGNATURE_BYTES || contract_record_decode(a, m, r) < 0) {
		*reason = "the seal's record or signature cannot be read";
		return CONTRACT_MALFORMED;
	}
	if (r->pdf_size >= file.len) {
		*reason = "the seal's record names more bytes than the file has";
		return CONTRACT_MALFORMED;
	}
	pdf = (struct str){ file.ptr, (size_t)r->pdf_size };
	crypto_hash_sha256(hash, (const unsigned char *)pdf.ptr, pdf.len);
	if (sodium_memcmp(hash, r->pdf_sha256, sizeof(hash)) != 0) {
		*reason = "the lease document changed after it was signed (its SHA-256 differs)";
		return CONTRACT_TAMPERED;
	}
	buf_init(&tail, a, file.len - pdf.len + 64);
	if (contract_seal_tail(pdf, m, (const uint8_t *)sig.ptr, &tail) < 0 ||
	    !str_eq(buf_str(&tail), (struct str){ file.ptr + pdf.len, file.len - pdf.len })) {
		*reason = "the file changed after it was sealed (bytes around the seal differ)";
		return CONTRACT_TAMPERED;
	}
	if (sodium_memcmp(r->public_key, pk, CONTRACT_PUBLIC_KEY_BYTES) != 0) {
		*reason = "the file was sealed by another key than the one trusted";
		return CONTRACT_OTHER_KEY;
	}
	if (crypto_sign_verify_detached((const unsigned char *)sig.ptr, (const unsigned char *)m.ptr, m.len, pk) != 0) {
		*reason = "the seal's signature does not match its record";
		return CONTRACT_BAD_SIGNATURE;
	}
	*reason = "the contract is intact and sealed by the trusted key";
	return CONTRACT_VALID;
}
