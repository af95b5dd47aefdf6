/* Where a webhook may be sent (webhook_target.h). */
#include "core/webhooks/webhook_target.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* An IPv4 range that is not the public internet (RFC 6890's special-purpose registry). */
struct range4 {
	uint32_t net;
	int bits;
	const char *what;
};

static const struct range4 refused4[] = {
	{ 0x00000000, 8, "\"this network\"" },   /* 0.0.0.0/8 */
	{ 0x0a000000, 8, "private" },            /* 10.0.0.0/8 */
	{ 0x64400000, 10, "shared (carrier-grade NAT)" }, /* 100.64.0.0/10 */
	{ 0x7f000000, 8, "loopback" },           /* 127.0.0.0/8 */
	{ 0xa9fe0000, 16, "link-local" },        /* 169.254.0.0/16, the metadata service's */
	{ 0xac100000, 12, "private" },           /* 172.16.0.0/12 */
	{ 0xc0000000, 24, "reserved for protocols" }, /* 192.0.0.0/24 */
	{ 0xc0000200, 24, "for documentation" }, /* 192.0.2.0/24 */
	{ 0xc0a80000, 16, "private" },           /* 192.168.0.0/16 */
	{ 0xc6120000, 15, "for benchmarking" },  /* 198.18.0.0/15 */
	{ 0xc6336400, 24, "for documentation" }, /* 198.51.100.0/24 */
	{ 0xcb007100, 24, "for documentation" }, /* 203.0.113.0/24 */
	{ 0xe0000000, 4, "multicast" },          /* 224.0.0.0/4 */
	{ 0xf0000000, 4, "reserved" },           /* 240.0.0.0/4 and the broadcast address */
};

static const char *v4_refusal(uint32_t ip, bool allow_loopback)
{
	for (size_t i = 0; i < sizeof(refused4) / sizeof(refused4[0]); i++) {
		uint32_t mask = refused4[i].bits ? ~0u << (32 - refused4[i].bits) : 0;
		if ((ip & mask) == refused4[i].net) {
			if (allow_loopback && refused4[i].net == 0x7f000000)
				return NULL;
			return refused4[i].what;
		}
	}
	return NULL;
}

static uint32_t v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool prefix(const unsigned char *a, const unsigned char *p, int bits)
{
	int bytes = bits / 8, rest = bits % 8;
	if (memcmp(a, p, (size_t)bytes) != 0)
		return false;
	return rest == 0 || ((a[bytes] ^ p[bytes]) & (0xff << (8 - rest))) == 0;
}

static const char *v6_refusal(const unsigned char *a, bool allow_loopback)
{
	static const unsigned char zero[16], loop[16] = { [15] = 1 };
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	static const unsigned char sixto4[2] = { 0x20, 0x02 };
	static const unsigned char ula[1] = { 0xfc }, linklocal[2] = { 0xfe, 0x80 }, multicast[1] = { 0xff };
	static const unsigned char doc[4] = { 0x20, 0x01, 0x0d, 0xb8 };

	if (memcmp(a, zero, 16) == 0)
		return "unspecified";
	if (memcmp(a, loop, 16) == 0)
		return allow_loopback ? NULL : "loopback";
	if (memcmp(a, mapped, 12) == 0 || prefix(a, nat64, 96)) /* ::ffff:a.b.c.d, 64:ff9b::a.b.c.d */
		return v4_refusal(v4_at(a + 12), allow_loopback);
	if (prefix(a, sixto4, 16)) /* 2002:AABB:CCDD::: the IPv4 address AA.BB.CC.DD */
		return v4_refusal(v4_at(a + 2), allow_loopback);
	if (prefix(a, zero, 96)) /* the deprecated IPv4-compatible ::a.b.c.d */
		return "IPv4-compatible";
	if (prefix(a, ula, 7))
		return "private";
	if (prefix(a, linklocal, 10))
		return "link-local";
	if (prefix(a, multicast, 8))
		return "multicast";
	if (prefix(a, doc, 32))
		return "for documentation";
	return NULL;
}

bool webhook_address_allowed(const struct sockaddr *sa, bool allow_loopback, char *why, size_t whylen)
{
	char text[INET6_ADDRSTRLEN] = "?";
	const char *refusal;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		refusal = v4_refusal(ntohl(in->sin_addr.s_addr), allow_loopback);
		inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		refusal = v6_refusal(in6->sin6_addr.s6_addr, allow_loopback);
		inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
	} else {
		refusal = "not an internet address";
	}
	if (refusal && why)
		snprintf(why, whylen, "address %s is %s", text, refusal);
	return refusal == NULL;
}

/* The host of a URL as an address, when it is an IP literal ("[::1]" without its brackets). */
static bool literal_address(const char *host, struct sockaddr_storage *ss)
{
	char buf[INET6_ADDRSTRLEN + 2];
	size_t len = strlen(host);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		return true;
	}
	if (len >= 2 && len - 2 < sizeof(buf) && host[0] == '[' && host[len - 1] == ']') {
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		if (strchr(buf, '%')) /* a zone: link-local by nature */
			*strchr(buf, '%') = '\0';
		if (inet_pton(AF_INET6, buf, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
			ss->ss_family = AF_INET6;
			return true;
		}
	}
	return false;
}

int webhook_url_check(struct arena *a, struct str url, const struct webhook_settings *s, const char **why)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *fragment = NULL;
	struct sockaddr_storage ss;
	char reason[128];
	int rc = -1;

	*why = "is not a URL";
	if (url.len == 0 || memchr(url.ptr, '\0', url.len))
		return -1;
	for (size_t i = 0; i < url.len; i++)
		if ((unsigned char)url.ptr[i] <= ' ' || url.ptr[i] == 0x7f) {
			*why = "must not contain spaces or control characters";
			return -1;
		}
	{ /* libcurl reads "https:///x" as the host x */
		const char *sep = memmem(url.ptr, url.len, "://", 3);
		if (sep && (size_t)(sep - url.ptr) + 3 < url.len && sep[3] == '/') {
			*why = "must name a host";
			return -1;
		}
	}
	if (!(u = curl_url()))
		return -1;
	if (curl_url_set(u, CURLUPART_URL, arena_strndup(a, url.ptr, url.len), 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	if (strcmp(scheme, "https") != 0 && !(s->allow_http && strcmp(scheme, "http") == 0)) {
		*why = s->allow_http ? "must use https or http" : "must use https";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host[0]) {
		*why = "must name a host";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0) == CURLUE_OK) {
		*why = "must not have a fragment";
		goto out;
	}
	if (literal_address(host, &ss) && !webhook_address_allowed((struct sockaddr *)&ss, s->allow_loopback,
								   reason, sizeof(reason))) {
		*why = arena_printf(a, "%s", reason);
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(fragment);
	curl_url_cleanup(u);
	return rc;
}
