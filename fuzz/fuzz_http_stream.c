/*
 * fuzz_http_stream.c — the framing scanner over a whole connection's stream
 * (http/framing.h) and the stream guard in front of libmicrohttpd (http/stream_guard.h).
 *
 * The first two bytes choose the budget (64 bytes up to 16 KiB), the third seeds how the
 * rest (what a client sent) is cut into socket reads and how large libmicrohttpd's reads
 * are. The checks:
 *   - the scanner's verdict and safe point do not depend on how the bytes are cut;
 *   - what the guard hands on is the stream up to the safe point, then, at a fault, one
 *     of the four endings and nothing more; without one, never a byte past the safe point;
 *   - it answers a read short (which libmicrohttpd takes for "the socket is drained")
 *     only when the socket's read was short, or after a fault's ending;
 *   - a fault has a status and a reason.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "http/framing.h"
#include "http/stream_guard.h"

struct socket_sim {
	const char *p;
	size_t n, at;  /* the stream, and how much of it the guard has read */
	size_t piece;  /* the end of what has "arrived" */
	uint32_t rng;
	int drained;   /* the last read of this call came back short */
};

static uint32_t next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static ssize_t sim_read(void *arg, char *buf, size_t len)
{
	struct socket_sim *s = arg;
	size_t c;

	if (s->at == s->n) {
		s->drained = 1;
		return 0;
	}
	if (s->at == s->piece) { /* drained: the next piece arrives for the next call */
		s->piece += 1 + next(&s->rng) % 3000;
		if (s->piece > s->n)
			s->piece = s->n;
		s->drained = 1;
		errno = EAGAIN;
		return -1;
	}
	c = s->piece - s->at < len ? s->piece - s->at : len;
	memcpy(buf, s->p + s->at, c);
	s->at += c;
	if (c < len)
		s->drained = 1;
	return (ssize_t)c;
}

static const char *const endings[] = { "0\r\n\r\n", "\r\n0\r\n\r\n", "\r\n" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame whole, cut;
	struct socket_sim s;
	struct stream_guard *g;
	struct stream_fault sf;
	size_t budget, got = 0, cap;
	char *out, buf[4096];
	uint32_t rng;

	if (size < 3)
		return 0;
	budget = 64 + (((size_t)data[0] | (size_t)data[1] << 8) % 16384);
	rng = 0x9e3779b9u ^ data[2];
	data += 3;
	size -= 3;

	/* the scanner, all at once and in pieces */
	frame_init(&whole, budget);
	for (size_t done = 0; done < size && !whole.faulted;)
		done += frame_scan(&whole, (const char *)data + done, size - done);
	frame_init(&cut, budget);
	for (size_t done = 0; done < size && !cut.faulted;) {
		size_t k = 1 + next(&rng) % 64;
		if (k > size - done)
			k = size - done;
		done += frame_scan(&cut, (const char *)data + done, k);
	}
	FUZZ_CHECK(whole.faulted == cut.faulted && whole.status == cut.status && whole.reason == cut.reason &&
			   whole.safe == cut.safe && whole.message == cut.message && whole.at == cut.at,
		   "the verdict depends on the pieces: %d/%d %llu/%llu", whole.status, cut.status,
		   (unsigned long long)whole.safe, (unsigned long long)cut.safe);
	FUZZ_CHECK(whole.safe <= whole.pos && whole.pos <= size, "safe %llu pos %llu size %zu",
		   (unsigned long long)whole.safe, (unsigned long long)whole.pos, size);
	if (whole.faulted)
		FUZZ_CHECK(whole.reason && *whole.reason && whole.status >= 400 && whole.status <= 505, "a bare fault");

	/* the guard, between a socket and libmicrohttpd's reads */
	memset(&s, 0, sizeof(s));
	s.p = (const char *)data;
	s.n = size;
	s.rng = rng;
	s.piece = size ? 1 + next(&s.rng) % (size < 3000 ? size : 3000) : 0;
	cap = size + 256;
	out = malloc(cap);
	FUZZ_CHECK(out, "out of memory");
	g = stream_guard_new(budget);
	for (int calls = 0; calls < 100000; calls++) {
		size_t len = 1 + next(&rng) % sizeof(buf);
		ssize_t r;

		s.drained = 0;
		r = stream_guard_recv(g, sim_read, &s, buf, len);
		if (r > 0) {
			FUZZ_CHECK(got + (size_t)r <= cap, "more bytes handed on than the stream had");
			memcpy(out + got, buf, (size_t)r);
			got += (size_t)r;
		}
		FUZZ_CHECK(r < 0 || (size_t)r <= len, "a read of %zu returned %zd", len, r);
		if ((r < 0 || (size_t)r < len) && !stream_guard_fault_of(g, &sf))
			FUZZ_CHECK(s.drained, "a short read (%zd of %zu) with the socket not drained", r, len);
		if (r == 0 || (r < 0 && s.at == s.n))
			break;
	}
	if (stream_guard_fault_of(g, &sf)) {
		size_t head = (size_t)whole.safe;
		int known = 0;
		FUZZ_CHECK(whole.faulted && sf.status == whole.status && sf.reason == whole.reason, "another fault");
		FUZZ_CHECK(got > head && memcmp(out, data, head) == 0, "the bytes before the fault changed");
		if (!sf.in_body)
			known = got - head > 4 && memcmp(out + head, "GET /", 5) == 0 &&
				memcmp(out + got - 4, "\r\n\r\n", 4) == 0;
		for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++)
			known |= sf.in_body && got - head == strlen(endings[i]) &&
				 memcmp(out + head, endings[i], got - head) == 0;
		FUZZ_CHECK(known, "an unknown ending after %zu bytes: %.*s", head, (int)(got - head), out + head);
	} else {
		FUZZ_CHECK(!whole.faulted, "a fault the guard missed");
		FUZZ_CHECK(got == whole.safe && memcmp(out, data, got) == 0, "handed on %zu bytes, safe %llu", got,
			   (unsigned long long)whole.safe);
	}
	stream_guard_free(g);
	free(out);
	return 0;
}
