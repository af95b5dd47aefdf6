#include "core/identity/jwt.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "base/buf.h"
#include "base/json_write.h"

static const char *const type_names[JWT_TYPE_COUNT] = { "landlord", "consumer", "checkin", "agent", "applicant",
								      "applicant_refresh" };
static const char header_b64[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"; /* {"alg":"HS256","typ":"JWT"} */

const char *jwt_type_name(enum jwt_type t)
{
	return (t >= 0 && t < JWT_TYPE_COUNT) ? type_names[t] : "unknown";
}

static void b64url_append(struct buf *b, const unsigned char *bin, size_t len)
{
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_reserve(b, cap);
	sodium_bin2base64(b->ptr + b->len, cap, bin, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	b->len += strlen(b->ptr + b->len);
}

struct str jwt_sign(struct arena *a, const uint8_t key[JWT_KEY_BYTES], const struct jwt_claims *c)
{
	struct buf payload, out;
	struct jw w;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	buf_init(&payload, a, 256);
	jw_init(&w, &payload);
	jw_object_begin(&w);
	jw_kv_cstr(&w, "typ", jwt_type_name(c->typ));
	jw_kv_int(&w, "sub", c->sub);
	if (c->typ == JWT_CHECKIN) {
		jw_kv_cstr(&w, "personal_number", c->personal_number);
	} else if (c->typ == JWT_APPLICANT || c->typ == JWT_APPLICANT_REFRESH) {
		jw_kv_int(&w, "gen", c->generation);
	} else if (c->typ != JWT_AGENT) {
		jw_kv_int(&w, "company", c->company);
		jw_kv_int(&w, "office", c->office);
	}
	jw_kv_int(&w, "iat", c->iat);
	jw_kv_int(&w, "exp", c->exp);
	jw_object_end(&w);

	buf_init(&out, a, 512);
	buf_append(&out, header_b64, sizeof(header_b64) - 1);
	buf_putc(&out, '.');
	b64url_append(&out, (const unsigned char *)payload.ptr, payload.len);
	crypto_auth_hmacsha256(mac, (const unsigned char *)out.ptr, out.len, key);
	buf_putc(&out, '.');
	b64url_append(&out, mac, sizeof(mac));
	buf_putc(&out, '\0');
	out.len--;
	return buf_str(&out);
}

/* Strict base64url (no padding, no whitespace) into a fresh NUL-terminated buffer. */
static int b64url_decode(struct str s, unsigned char *out, size_t cap, size_t *len)
{
	const char *end;
	if (s.len == 0)
		return -1;
	if (sodium_base642bin(out, cap - 1, s.ptr, s.len, NULL, len, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != s.ptr + s.len)
		return -1;
	out[*len] = '\0';
	return 0;
}

static json_t *decode_object(struct str part, unsigned char *tmp, size_t cap)
{
	size_t len;
	json_t *j;
	if (b64url_decode(part, tmp, cap, &len) < 0)
		return NULL;
	j = json_loadb((const char *)tmp, len, JSON_REJECT_DUPLICATES, NULL);
	if (j && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static int claim_int(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return -1; /* strict: we only ever sign integers */
	*out = json_integer_value(v);
	return 0;
}

enum jwt_status jwt_verify(const uint8_t key[JWT_KEY_BYTES], struct str token, int64_t now,
			   struct jwt_claims *out)
{
	unsigned char tmp[JWT_MAX_LEN];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	const char *d1, *d2;
	struct str hpart, ppart, spart;
	json_t *header = NULL, *payload = NULL, *v;
	size_t maclen;
	enum jwt_status st = JWT_MALFORMED;
	const char *typ;

	memset(out, 0, sizeof(*out));
	if (token.len == 0 || token.len > JWT_MAX_LEN)
		return JWT_MALFORMED;
	d1 = memchr(token.ptr, '.', token.len);
	if (!d1)
		return JWT_MALFORMED;
	d2 = memchr(d1 + 1, '.', (size_t)(token.ptr + token.len - d1 - 1));
	if (!d2 || memchr(d2 + 1, '.', (size_t)(token.ptr + token.len - d2 - 1)))
		return JWT_MALFORMED;
	hpart = (struct str){ token.ptr, (size_t)(d1 - token.ptr) };
	ppart = (struct str){ d1 + 1, (size_t)(d2 - d1 - 1) };
	spart = (struct str){ d2 + 1, (size_t)(token.ptr + token.len - d2 - 1) };

	/* the header decides nothing: it must say exactly HS256 */
	header = decode_object(hpart, tmp, sizeof(tmp));
	if (!header)
		goto out;
	v = json_object_get(header, "alg");
	if (!json_is_string(v) || strcmp(json_string_value(v), "HS256") != 0)
		goto out;
	v = json_object_get(header, "typ");
	if (v && (!json_is_string(v) || strcmp(json_string_value(v), "JWT") != 0))
		goto out;
	if (json_object_get(header, "crit"))
		goto out;

	if (b64url_decode(spart, tmp, sizeof(tmp), &maclen) < 0 || maclen != sizeof(mac))
		goto out;
	crypto_auth_hmacsha256(mac, (const unsigned char *)token.ptr, (size_t)(d2 - token.ptr), key);
	if (sodium_memcmp(mac, tmp, sizeof(mac)) != 0) {
		st = JWT_BAD_SIGNATURE;
		goto out;
	}

	payload = decode_object(ppart, tmp, sizeof(tmp));
	if (!payload)
		goto out;
	v = json_object_get(payload, "typ");
	if (!json_is_string(v))
		goto out;
	typ = json_string_value(v);
	out->typ = JWT_TYPE_COUNT;
	for (int t = 0; t < JWT_TYPE_COUNT; t++)
		if (strcmp(typ, type_names[t]) == 0)
			out->typ = (enum jwt_type)t;
	if (out->typ == JWT_TYPE_COUNT)
		goto out;
	if (claim_int(payload, "sub", &out->sub) < 0 || out->sub <= 0 ||
	    claim_int(payload, "iat", &out->iat) < 0 || claim_int(payload, "exp", &out->exp) < 0)
		goto out;
	if (out->typ == JWT_CHECKIN) {
		v = json_object_get(payload, "personal_number");
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) >= sizeof(out->personal_number))
			goto out;
		memcpy(out->personal_number, json_string_value(v), json_string_length(v) + 1);
	} else if (out->typ == JWT_APPLICANT || out->typ == JWT_APPLICANT_REFRESH) {
		if (claim_int(payload, "gen", &out->generation) < 0)
			goto out;
	} else if (out->typ != JWT_AGENT && (claim_int(payload, "company", &out->company) < 0 ||
		   claim_int(payload, "office", &out->office) < 0)) {
		goto out;
	}
	st = now >= out->exp ? JWT_EXPIRED : JWT_OK;
out:
	if (header)
		json_decref(header);
	if (payload)
		json_decref(payload);
	return st;
}
