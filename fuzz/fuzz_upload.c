/*
 * fuzz_upload.c — the signed upload URL and the upload checks that need no database:
 * the URL's path and query (router + query_parse, as the app parses them), then
 * media_signature_check(), media_sniff() of the body, and storage_key_valid().
 *
 * Input: "<target>\n<body>", target being "/media/upload/<id>?expires=…&signature=…".
 *
 * Invariants: a signature is accepted only if it is exactly the one media_sign() makes
 * for that id and expiry, and only before the expiry; a URL signed by media_sign() for
 * a future expiry is always accepted (the first body byte picks this round trip); a
 * sniffed type has its magic number; a valid storage key can never leave the store.
 */
#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "core/media/media.h"
#include "core/media/storage.h"
#include "fuzz.h"
#include "http/query.h"
#include "http/router.h"

#define NOW 1700000000LL

static struct arena *arena;
static struct router *router;
static uint8_t key[SECRET_KEY_BYTES];
static int route_target;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	memset(key, 0x5a, sizeof(key));
	arena = arena_create(4096);
	router = router_create();
	if (router_add(router, HTTP_PUT, "/media/upload/{id}", &route_target) < 0)
		abort();
	return 0;
}

static void check_signature(struct str id, struct str expires, struct str sig)
{
	struct error err;
	int64_t exp;
	char want[44];
	int rc;

	error_init(&err, arena);
	rc = media_signature_check(key, id, expires, sig, NOW, &err);
	if (rc == 0) {
		FUZZ_CHECK(str_to_int64(expires, &exp) == 0 && exp > NOW, "accepted an expired or bad expiry");
		media_sign(key, id, exp, want);
		FUZZ_CHECK(sig.len == strlen(want) && memcmp(sig.ptr, want, sig.len) == 0, "accepted a forged signature");
		FUZZ_CHECK(id.len == 32, "accepted a malformed id");
	} else {
		FUZZ_CHECK(err.kind == ERROR_FORBIDDEN && err.code, "refusal without a 403 code");
	}
}

static void round_trip(const uint8_t *data, size_t size)
{
	char id[33], sig[44], num[24];
	struct error err;
	int64_t exp = NOW + 1 + (size ? data[0] : 0) * 17;
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++)
		id[i] = hex[(i < (int)size ? data[i] : i) & 15];
	id[32] = '\0';
	media_sign(key, str_from_cstr(id), exp, sig);
	snprintf(num, sizeof(num), "%lld", (long long)exp);
	error_init(&err, arena);
	FUZZ_CHECK(media_signature_check(key, str_from_cstr(id), str_from_cstr(num), str_from_cstr(sig), NOW, &err) == 0,
		   "a URL we signed was refused: %s", err.message ? err.message : "");
	error_init(&err, arena);
	FUZZ_CHECK(media_signature_check(key, str_from_cstr(id), str_from_cstr(num), str_from_cstr(sig), exp, &err) < 0,
		   "accepted at its expiry");
}

static void check_sniff(const uint8_t *b, size_t n)
{
	static const char *const types[] = { "image/jpeg", "image/jpg", "image/png", "application/pdf",
					     "video/mp4", "video/quicktime", "video/webm", "text/plain" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		bool ok = media_sniff(str_from_cstr(types[i]), b, n);
		if (!ok)
			continue;
		FUZZ_CHECK(n >= 3, "sniffed %s in %zu bytes", types[i], n);
		if (!strcmp(types[i], "image/png"))
			FUZZ_CHECK(b[0] == 0x89 && b[1] == 'P', "png without its magic");
		if (!strcmp(types[i], "image/jpeg"))
			FUZZ_CHECK(b[0] == 0xFF && b[1] == 0xD8, "jpeg without its magic");
		if (!strcmp(types[i], "application/pdf"))
			FUZZ_CHECK(b[0] == '%', "pdf without its magic");
		FUZZ_CHECK(strcmp(types[i], "text/plain") != 0, "sniffed text/plain");
	}
}

static void check_key(const uint8_t *b, size_t n)
{
	char k[256];
	size_t len = n < sizeof(k) - 1 ? n : sizeof(k) - 1;
	memcpy(k, b, len);
	k[len] = '\0';
	if (!storage_key_valid(k))
		return;
	/* no absolute path, no empty, "." or ".." segment ("a..b" is a harmless name) */
	FUZZ_CHECK(k[0] != '/' && k[0] != '.' && !strstr(k, "//") && k[strlen(k) - 1] != '/' &&
			   strncmp(k, "tmp/", 4) != 0 && !strstr(k, "/."),
		   "unsafe key accepted: %s", k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - data) : size;
	const uint8_t *body = nl ? nl + 1 : data + size;
	size_t blen = size - tlen - (nl ? 1 : 0);
	struct str target = { (const char *)data, tlen };
	const char *q = memchr(target.ptr, '?', target.len);
	struct str path = q ? (struct str){ target.ptr, (size_t)(q - target.ptr) } : target;
	struct str query = q ? (struct str){ q + 1, target.len - path.len - 1 } : STR_LIT("");
	struct router_match m;
	struct error err;
	struct query qs;

	arena_reset(arena);
	error_init(&err, arena);
	if (router_match(router, arena, HTTP_PUT, path, &m) == ROUTER_FOUND &&
	    query_parse(arena, query, &qs, &err) == 0)
		check_signature(route_param(&m.params, "id"), query_get(&qs, "expires"), query_get(&qs, "signature"));
	if (blen && (body[0] & 1))
		round_trip(body, blen);
	check_sniff(body, blen);
	check_key(data, size);
	return 0;
}
