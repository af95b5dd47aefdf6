/*
 * fuzz_http_head.c — the connection gate's head scan, gate_head_scan() (http/gate.h).
 *
 * The first two bytes choose the budget (64 bytes up to 16 KiB, so the size limits are
 * reached), the rest is what a client sent. Beyond memory safety (the bytes are copied
 * to a buffer of their exact size), the checks are the ones the gate relies on as bytes
 * trickle in: a verdict is whole (a refusal has a status and a reason), a passed head
 * ends with its blank line inside the bytes, every shorter prefix of a passed head asks
 * for more, and bytes after the head change nothing.
 */
#include <string.h>

#include "fuzz.h"
#include "http/gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gate_verdict v, w;
	enum gate_scan rc;
	size_t budget;
	char *p;

	if (size < 2)
		return 0;
	budget = 64 + (((size_t)data[0] | (size_t)data[1] << 8) % 16384);
	size -= 2;
	p = malloc(size ? size : 1);
	FUZZ_CHECK(p, "out of memory");
	memcpy(p, data + 2, size);
	rc = gate_head_scan(p, size, budget, &v);
	if (rc == GATE_REFUSE) {
		FUZZ_CHECK(v.reason && *v.reason, "a refusal without a reason");
		FUZZ_CHECK(v.status == 400 || v.status == 413 || v.status == 414 || v.status == 431 ||
				   v.status == 505,
			   "status %d", v.status);
	}
	if (rc == GATE_PASS) {
		FUZZ_CHECK(v.head_len >= 2 && v.head_len <= size && p[v.head_len - 1] == '\n', "head_len %zu of %zu",
			   v.head_len, size);
		FUZZ_CHECK(v.method.len && v.method.ptr >= p && v.method.ptr + v.method.len <= p + size, "method");
		FUZZ_CHECK(v.target.len && v.target.ptr >= p && v.target.ptr + v.target.len <= p + size, "target");
		FUZZ_CHECK(!v.too_large, "a passed head with a Content-Length beyond 64 bits");
		for (size_t k = 0; k < v.head_len; k += 1 + k / 8)
			FUZZ_CHECK(gate_head_scan(p, k, budget, &w) == GATE_MORE,
				   "a prefix of %zu bytes of a %zu-byte head did not ask for more", k, v.head_len);
		FUZZ_CHECK(gate_head_scan(p, v.head_len, budget, &w) == GATE_PASS && w.head_len == v.head_len,
			   "the head alone is not passed the same way");
	}
	free(p);
	return 0;
}
