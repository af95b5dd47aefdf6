#include "core/identity/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <string.h>

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void totp_new_secret(char out[TOTP_SECRET_B32_LEN + 1])
{
	unsigned char raw[TOTP_SECRET_BYTES];
	unsigned buffer = 0;
	int bits = 0;
	size_t o = 0;

	randombytes_buf(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++) {
		buffer = (buffer << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32_alphabet[(buffer >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	out[o] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

static int b32_decode(const char *s, unsigned char *out, size_t cap, size_t *len)
{
	unsigned buffer = 0;
	int bits = 0;
	size_t o = 0;

	for (; *s; s++) {
		const char *p;
		char c = *s;
		if (c == '=' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		p = strchr(b32_alphabet, c);
		if (!p || c == '\0')
			return -1;
		buffer = (buffer << 5) | (unsigned)(p - b32_alphabet);
		bits += 5;
		if (bits >= 8) {
			if (o == cap)
				return -1;
			out[o++] = (unsigned char)(buffer >> (bits - 8));
			bits -= 8;
		}
	}
	*len = o;
	return o ? 0 : -1;
}

int totp_code(const char *secret_b32, int64_t step)
{
	unsigned char key[64], msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	size_t keylen;
	unsigned off;
	uint32_t bin;

	if (b32_decode(secret_b32, key, sizeof(key), &keylen) < 0)
		return -1;
	for (int i = 7; i >= 0; i--, step >>= 8)
		msg[i] = (unsigned char)(step & 0xff);
	if (!HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), mac, &maclen) || maclen < 20)
		return -1;
	sodium_memzero(key, sizeof(key));
	off = mac[maclen - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	      ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	return (int)(bin % 1000000);
}

int64_t totp_verify(const char *secret_b32, struct str code, int64_t now, int64_t last_step)
{
	int64_t step = now / TOTP_STEP_SECONDS;
	int want = 0;

	if (code.len != 6)
		return -1;
	for (size_t i = 0; i < 6; i++) {
		if (code.ptr[i] < '0' || code.ptr[i] > '9')
			return -1;
		want = want * 10 + (code.ptr[i] - '0');
	}
	for (int64_t s = step - 1; s <= step + 1; s++)
		if (s > last_step && totp_code(secret_b32, s) == want)
			return s;
	return -1;
}
