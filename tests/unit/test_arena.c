/*
 * test_arena.c — the per-request arena and the growable buffer.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"

static int is_aligned(const void *p)
{
	return ((uintptr_t)p % alignof(max_align_t)) == 0;
}

Test(arena, allocations_are_aligned_for_any_type)
{
	struct arena *a = arena_create(1024);
	static const size_t sizes[] = { 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *p = arena_alloc(a, sizes[i]);
		cr_assert_not_null(p);
		cr_assert(is_aligned(p), "allocation %zu (size %zu) at %p is misaligned", i, sizes[i], p);
	}
	arena_destroy(a);
}

Test(arena, allocations_do_not_overlap)
{
	struct arena *a = arena_create(256);
	unsigned char *ptrs[200];

	for (int i = 0; i < 200; i++) {
		ptrs[i] = arena_alloc(a, 13);
		memset(ptrs[i], i, 13);
	}
	for (int i = 0; i < 200; i++)
		for (int j = 0; j < 13; j++)
			cr_assert_eq(ptrs[i][j], (unsigned char)i, "block %d byte %d was overwritten", i, j);
	arena_destroy(a);
}

Test(arena, grows_beyond_first_block)
{
	/* the first block is 256 bytes: 100 allocations of 64 need many more blocks */
	struct arena *a = arena_create(256);
	char *ptrs[100];

	for (int i = 0; i < 100; i++) {
		ptrs[i] = arena_alloc(a, 64);
		cr_assert(is_aligned(ptrs[i]));
		memset(ptrs[i], 'a' + (i % 26), 64);
	}
	cr_assert_eq(arena_used(a), 100 * 64);
	for (int i = 0; i < 100; i++) {
		cr_assert_eq(ptrs[i][0], 'a' + (i % 26));
		cr_assert_eq(ptrs[i][63], 'a' + (i % 26));
	}
	arena_destroy(a);
}

Test(arena, tiny_first_block_is_rounded_up)
{
	struct arena *a = arena_create(1);
	char *p = arena_alloc(a, 200);
	memset(p, 'x', 200);
	cr_assert_eq(arena_used(a), 200);
	arena_destroy(a);
}

Test(arena, used_counts_bytes_handed_out)
{
	struct arena *a = arena_create(4096);
	cr_assert_eq(arena_used(a), 0);
	arena_alloc(a, 10);
	cr_assert_eq(arena_used(a), 10);
	arena_alloc(a, 5);
	cr_assert_eq(arena_used(a), 15);
	arena_calloc(a, 4, 8);
	cr_assert_eq(arena_used(a), 47);
	arena_destroy(a);
}

Test(arena, reset_keeps_working)
{
	struct arena *a = arena_create(512);

	for (int round = 0; round < 5; round++) {
		char *big = arena_alloc(a, 10000); /* forces extra blocks each round */
		memset(big, 'z', 10000);
		for (int i = 0; i < 50; i++) {
			char want[64];
			char *s = arena_printf(a, "round %d item %d", round, i);
			snprintf(want, sizeof(want), "round %d item %d", round, i);
			cr_assert_str_eq(s, want);
		}
		cr_assert_gt(arena_used(a), 10000);
		arena_reset(a);
		cr_assert_eq(arena_used(a), 0, "round %d: used after reset is %zu", round, arena_used(a));
	}
	/* after resets the arena still hands out distinct, usable memory */
	char *x = arena_alloc(a, 100);
	char *y = arena_alloc(a, 100);
	cr_assert_neq(x, y);
	memset(x, 1, 100);
	memset(y, 2, 100);
	cr_assert_eq(x[99], 1);
	cr_assert_eq(y[0], 2);
	arena_destroy(a);
}

Test(arena, reset_reuses_first_block)
{
	struct arena *a = arena_create(1024);
	char *first = arena_alloc(a, 16);
	arena_alloc(a, 5000);
	arena_reset(a);
	char *again = arena_alloc(a, 16);
	cr_assert_eq(first, again, "after reset the first block should be reused from its start");
	arena_destroy(a);
}

Test(arena, calloc_zeroes)
{
	struct arena *a = arena_create(256);
	/* dirty the first block, then reset so calloc lands on used memory */
	memset(arena_alloc(a, 200), 0xAB, 200);
	arena_reset(a);
	unsigned char *p = arena_calloc(a, 50, 4);
	for (int i = 0; i < 200; i++)
		cr_assert_eq(p[i], 0, "byte %d not zero", i);
	arena_destroy(a);
}

Test(arena, strndup_copies_and_terminates)
{
	struct arena *a = arena_create(256);
	const char src[] = "hello, world";
	char *s = arena_strndup(a, src, 5);
	cr_assert_str_eq(s, "hello");
	cr_assert_eq(s[5], '\0');
	cr_assert_neq(s, src);

	char *e = arena_strndup(a, NULL, 0);
	cr_assert_str_eq(e, "");

	/* embedded NUL is copied as bytes, the result is still terminated after len */
	char *n = arena_strndup(a, "a\0b", 3);
	cr_assert_eq(n[0], 'a');
	cr_assert_eq(n[1], '\0');
	cr_assert_eq(n[2], 'b');
	cr_assert_eq(n[3], '\0');

	char *d = arena_strdup_str(a, (struct str){ "slice-and-more", 5 });
	cr_assert_str_eq(d, "slice");
	arena_destroy(a);
}

Test(arena, printf_formats)
{
	struct arena *a = arena_create(256);
	cr_assert_str_eq(arena_printf(a, "%d-%s-%zu", -42, "x", (size_t)7), "-42-x-7");
	cr_assert_str_eq(arena_printf(a, "%s", ""), "");
	cr_assert_str_eq(arena_printf(a, "%.*s", 3, "abcdef"), "abc");
	arena_destroy(a);
}

Test(arena, printf_longer_than_block)
{
	struct arena *a = arena_create(256);
	char pad[3001];
	memset(pad, 'q', 3000);
	pad[3000] = '\0';
	char *s = arena_printf(a, "<%s>", pad);
	cr_assert_eq(strlen(s), 3002);
	cr_assert_eq(s[0], '<');
	cr_assert_eq(s[1], 'q');
	cr_assert_eq(s[3000], 'q');
	cr_assert_eq(s[3001], '>');
	arena_destroy(a);
}

Test(arena, large_allocations)
{
	struct arena *a = arena_create(256);
	char *small = arena_alloc(a, 8);
	memcpy(small, "1234567", 8);
	size_t big_n = 8u << 20; /* 8 MiB, far past any doubled block */
	unsigned char *big = arena_alloc(a, big_n);
	cr_assert(is_aligned(big));
	memset(big, 0x5A, big_n);
	cr_assert_eq(big[0], 0x5A);
	cr_assert_eq(big[big_n - 1], 0x5A);
	/* allocations after a big one still work and do not overlap it */
	char *after = arena_alloc(a, 32);
	memset(after, 'k', 32);
	cr_assert_eq(big[big_n - 1], 0x5A);
	cr_assert_str_eq(small, "1234567");
	cr_assert_eq(arena_used(a), 8 + big_n + 32);
	arena_reset(a);
	cr_assert_eq(arena_used(a), 0);
	arena_destroy(a);
}

Test(arena, zero_sized_allocations)
{
	struct arena *a = arena_create(256);
	void *p = arena_alloc(a, 0);
	cr_assert_not_null(p);
	void *q = arena_calloc(a, 0, 16);
	cr_assert_not_null(q);
	cr_assert_eq(arena_used(a), 0);
	arena_destroy(a);
}

Test(arena, destroy_null_is_noop)
{
	arena_destroy(NULL);
	cr_assert(1);
}

Test(arena, oversized_calloc_dies, .signal = SIGABRT)
{
	struct arena *a = arena_create(256);
	arena_calloc(a, SIZE_MAX / 2, 4);
}

Test(arena, absurd_alloc_dies, .signal = SIGABRT)
{
	struct arena *a = arena_create(256);
	arena_alloc(a, SIZE_MAX - 8);
}

/* ---- buf ---- */

Test(buf, heap_mode_grows_by_doubling)
{
	struct buf b;
	buf_init(&b, NULL, 4);
	cr_assert_null(b.arena);
	cr_assert_eq(b.cap, 4);
	cr_assert_eq(b.len, 0);
	buf_append(&b, "abcd", 4);
	cr_assert_eq(b.cap, 4);
	buf_putc(&b, 'e');
	cr_assert_eq(b.cap, 8);
	buf_append(&b, "fghijklmnopq", 12);
	cr_assert_eq(b.len, 17);
	cr_assert_eq(b.cap, 32);
	cr_assert_eq(memcmp(b.ptr, "abcdefghijklmnopq", 17), 0);
	buf_free(&b);
	cr_assert_null(b.ptr);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, 0);
}

Test(buf, default_capacity)
{
	struct buf b;
	buf_init(&b, NULL, 0);
	cr_assert_eq(b.cap, 64);
	buf_free(&b);
}

Test(buf, heap_mode_large_content)
{
	struct buf b;
	buf_init(&b, NULL, 1);
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, (char)('0' + i % 10));
	cr_assert_eq(b.len, 100000);
	cr_assert_geq(b.cap, 100000);
	for (int i = 0; i < 100000; i += 997)
		cr_assert_eq(b.ptr[i], '0' + i % 10);
	buf_free(&b);
}

Test(buf, arena_mode_grows_and_keeps_content)
{
	struct arena *a = arena_create(256);
	struct buf b;
	buf_init(&b, a, 8);
	cr_assert_eq(b.arena, a);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%03d,", i);
	cr_assert_eq(b.len, 4000);
	cr_assert_geq(b.cap, 4000);
	cr_assert_eq(memcmp(b.ptr, "000,001,002,", 12), 0);
	cr_assert_eq(memcmp(b.ptr + 3996, "999,", 4), 0);
	/* buf_free on an arena buffer only forgets it; the arena owns the bytes */
	buf_free(&b);
	cr_assert_null(b.ptr);
	arena_destroy(a);
}

Test(buf, append_variants)
{
	struct arena *a = arena_create(256);
	struct buf b;
	buf_init(&b, a, 2);
	buf_append_cstr(&b, "ab");
	buf_append_str(&b, STR_LIT("cd"));
	buf_append(&b, "ef", 2);
	buf_append(&b, NULL, 0); /* empty append is a no-op */
	buf_append_cstr(&b, "");
	buf_putc(&b, 'g');
	struct str s = buf_str(&b);
	cr_assert_eq(s.len, 7);
	cr_assert(str_eq_cstr(s, "abcdefg"));
	arena_destroy(a);
}

Test(buf, printf_exact_fit_and_growth)
{
	struct buf b;
	buf_init(&b, NULL, 8);
	/* 7 characters plus NUL fits exactly in 8 */
	buf_printf(&b, "%s", "1234567");
	cr_assert_eq(b.len, 7);
	cr_assert_eq(b.cap, 8);
	/* 8 characters need room for the NUL: it must grow, not truncate */
	buf_printf(&b, "%s", "ABCDEFGH");
	cr_assert_eq(b.len, 15);
	cr_assert_eq(memcmp(b.ptr, "1234567ABCDEFGH", 15), 0);
	cr_assert_eq(b.ptr[15], '\0');
	buf_printf(&b, "%d", 42);
	cr_assert_eq(b.len, 17);
	cr_assert_eq(memcmp(b.ptr, "1234567ABCDEFGH42", 17), 0);
	buf_free(&b);
}

Test(buf, printf_into_full_buffer)
{
	struct buf b;
	buf_init(&b, NULL, 4);
	buf_append(&b, "wxyz", 4); /* len == cap: no room even for NUL */
	buf_printf(&b, "%s", "!");
	cr_assert_eq(b.len, 5);
	cr_assert_eq(memcmp(b.ptr, "wxyz!", 5), 0);
	buf_free(&b);
}

Test(buf, reserve_guarantees_room)
{
	struct buf b;
	buf_init(&b, NULL, 16);
	buf_append(&b, "0123456789", 10);
	buf_reserve(&b, 100);
	cr_assert_geq(b.cap - b.len, 100);
	cr_assert_eq(b.len, 10);
	cr_assert_eq(memcmp(b.ptr, "0123456789", 10), 0);
	size_t cap = b.cap;
	buf_reserve(&b, 1); /* already enough: no change */
	cr_assert_eq(b.cap, cap);
	buf_free(&b);
}

Test(buf, absurd_reserve_dies, .signal = SIGABRT)
{
	struct buf b;
	buf_init(&b, NULL, 16);
	buf_reserve(&b, SIZE_MAX - 4);
}
