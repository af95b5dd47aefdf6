/*
 * test_ssn.c — ssn_normalise(): Swedish personal identity numbers to 12 digits.
 *
 * Check digits were computed with the Luhn rule over the last ten digits, so each
 * "bad date" case below fails on its date alone.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/arena.h"
#include "core/identity/org.h"

static struct arena *arena;

static void setup(void) { arena = arena_create(1024); }
static void teardown(void) { arena_destroy(arena); }

TestSuite(ssn, .init = setup, .fini = teardown);

static void assert_ok(const char *in, const char *want)
{
	struct str out = STR_NULL;
	int rc = ssn_normalise(arena, str_from_cstr(in), &out);
	cr_assert_eq(rc, 0, "ssn_normalise(\"%s\") failed", in);
	cr_assert_eq(out.len, 12, "\"%s\" → %zu digits", in, out.len);
	cr_assert(str_eq_cstr(out, want), "\"%s\" → \"%.*s\", want \"%s\"", in, STR_FMT(out), want);
}

static void assert_bad(const char *in)
{
	struct str out = STR_LIT("untouched");
	int rc = ssn_normalise(arena, str_from_cstr(in), &out);
	cr_assert_lt(rc, 0, "ssn_normalise(\"%s\") accepted it as \"%.*s\"", in, STR_FMT(out));
	cr_assert(str_eq_cstr(out, "untouched"), "out written on failure for \"%s\"", in);
}

Test(ssn, twelve_digits)
{
	assert_ok("198112189876", "198112189876");
	assert_ok("19811218-9876", "198112189876");
	assert_ok("  198112189876 ", "198112189876");
	assert_ok("200002291235", "200002291235"); /* 2000 is a leap year */
}

Test(ssn, ten_digits_take_the_century_from_today)
{
	assert_ok("8112189876", "198112189876");
	assert_ok("811218-9876", "198112189876");
	assert_ok("1212314569", "201212314569");
	assert_ok("121231-4569", "201212314569");
	assert_ok("0402291231", "200402291231");
}

Test(ssn, plus_means_a_hundred_years_older)
{
	assert_ok("811218+9876", "188112189876");
	assert_ok("121231+4569", "191212314569");
	assert_ok("460101+1234", "184601011234");
	/* 2000-02-29 exists, 1900-02-29 does not */
	assert_ok("000229-1235", "200002291235");
	assert_bad("000229+1235");
}

Test(ssn, luhn_failures)
{
	assert_bad("8112189877");
	assert_bad("811218-9870");
	assert_bad("198112189875");
	assert_bad("19811218-9871");
	assert_bad("0000000001");
}

Test(ssn, bad_dates)
{
	assert_bad("8113189875"); /* month 13 */
	assert_bad("8100159873"); /* month 0 */
	assert_bad("8112329878"); /* 32 December */
	assert_bad("8112009876"); /* day 0 */
	assert_bad("8102309872"); /* 30 February */
	assert_bad("8102299875"); /* 29 February 1981 */
	assert_bad("1204310005"); /* 31 April */
	assert_bad("2019022912341"); /* 13 digits */
}

Test(ssn, samordningsnummer_day_plus_sixty)
{
	assert_ok("7010632391", "197010632391");
	assert_ok("701063-2391", "197010632391");
	assert_ok("0101611234", "200101611234"); /* 1 + 60 */
	assert_ok("0101911238", "200101911238"); /* 31 + 60 */
	assert_bad("0101921237");               /* 32 + 60 */
	assert_bad("8112509875");               /* day 50: neither a date nor +60 */
	assert_bad("8112609873");               /* day 60 = day 0 + 60 */
}

Test(ssn, garbage)
{
	const char *const bad[] = {
		"", "   ", "abc", "811218-98a6", "81121-89876", "8112189-876", "811218--9876",
		"811218-+9876", "811218 9876", "811218-9876-", "-8112189876", "811218987",
		"81121898761", "1981121898761", "19811218987600", "811218_9876", "８１１２１８９８７６",
		"8112189876\n1", "+", "-",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_bad(bad[i]);
}

Test(ssn, embedded_nul_is_rejected)
{
	struct str out = STR_NULL;
	cr_assert_lt(ssn_normalise(arena, (struct str){ "811218\0" "9876", 11 }, &out), 0);
}
