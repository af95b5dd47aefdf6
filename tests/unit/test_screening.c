/*
 * test_screening.c — "would I qualify?" (core/market/screening.h): applicant profiles
 * against requirement rule sets, pure (no database): the facts, Kronofogden's normal
 * amount by household, and each check's outcome, needed and held values and message.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "core/market/screening.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_create(16 * 1024);
}

static void teardown(void)
{
	arena_destroy(arena);
}

TestSuite(screening, .init = setup, .fini = teardown);

/* Noon UTC of a date (Stockholm's date is the same). */
static int64_t at(int y, int m, int d)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	return (int64_t)timegm(&tm);
}

/* A single applicant born 1990-05-01, permanently employed at gross SEK a month, clean credit. */
static struct applicant person(int64_t gross)
{
	struct applicant ap;
	memset(&ap, 0, sizeof(ap));
	ap.registered = true;
	ap.now = at(2026, 6, 15);
	ap.profile.birth_date = STR_LIT("1990-05-01");
	ap.profile.gross_income = gross;
	ap.profile.income_source = STR_LIT("employment_permanent");
	ap.profile.occupation = STR_LIT("employed");
	ap.profile.adults = 1;
	ap.profile.co_applicant_name = STR_LIT("");
	ap.profile.co_applicant_income_source = STR_LIT("");
	ap.profile.co_applicant_occupation = STR_LIT("");
	ap.profile.children_birth_years = STR_LIT("");
	return ap;
}

static void with_co_applicant(struct applicant *ap, int64_t income, const char *source, const char *occupation)
{
	ap->profile.co_applicant_name = STR_LIT("Bo Svensson");
	ap->profile.co_applicant_birth_date = STR_LIT("1989-03-04");
	ap->profile.co_applicant_income = income;
	ap->profile.co_applicant_income_source = str_from_cstr(source);
	ap->profile.co_applicant_occupation = str_from_cstr(occupation);
	ap->profile.adults = 2;
}

static struct requirement_fields rules(void)
{
	struct requirement_fields r;
	requirement_defaults(&r);
	return r;
}

/* The check of a rule type, or NULL when it was not checked. */
static const struct screening_check *check(const struct screening *s, const char *type)
{
	for (size_t i = 0; i < s->nchecks; i++)
		if (strcmp(s->checks[i].type, type) == 0)
			return &s->checks[i];
	return NULL;
}

static const struct screening_check *run(const struct requirement_fields *r, const struct applicant *ap,
					 int64_t rent, struct screening *s, const char *type)
{
	const struct screening_check *c;
	screening_evaluate(arena, r, ap, rent, ap->now, LANG_SV, s);
	cr_assert(s->has_profile);
	c = check(s, type);
	cr_assert_not_null(c, "no %s check", type);
	cr_assert(c->message && *c->message, "every check has a message");
	return c;
}

/* ---- RENT_FACTOR ---- */

Test(screening, rent_factor_names_needed_and_held)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(21000);
	struct screening s;
	const struct screening_check *c;

	r.factor[REQ_RENT_FACTOR] = 3;
	c = run(&r, &ap, 8200, &s, "income");
	cr_assert_not(c->passed);
	cr_assert_not(s.approved);
	cr_assert(c->has_values);
	cr_assert_eq(c->needed, 24600);
	cr_assert_eq(c->held, 21000);
	cr_assert_str_eq(c->unit, "kr/mån");
	cr_assert_str_eq(c->message, "Inkomst minst 24 600 kr/mån krävs, 21 000 kr/mån angiven");

	ap.profile.gross_income = 24600;
	c = run(&r, &ap, 8200, &s, "income");
	cr_assert(c->passed);
	cr_assert(s.approved);
}

Test(screening, rent_factor_counts_only_accepted_incomes)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(30000);
	struct screening s;
	const struct screening_check *c;

	r.factor[REQ_RENT_FACTOR] = 3;
	ap.profile.income_source = STR_LIT("student");
	ap.profile.occupation = STR_LIT("student");
	c = run(&r, &ap, 9000, &s, "income");
	cr_assert_eq(c->held, 0, "study support counts only when the profile accepts it");
	cr_assert_not(c->passed);

	r.flag[REQ_INCOME_STUDENT] = true;
	c = run(&r, &ap, 9000, &s, "income");
	cr_assert_eq(c->held, 30000);
	cr_assert(c->passed);

	/* an unstated source follows the occupation: a pension always counts */
	ap.profile.income_source = STR_LIT("");
	ap.profile.occupation = STR_LIT("retired");
	r.flag[REQ_INCOME_STUDENT] = false;
	c = run(&r, &ap, 9000, &s, "income");
	cr_assert_eq(c->held, 30000);
}

Test(screening, couple_incomes_add_up)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(20000);
	struct screening s;
	const struct screening_check *c;

	r.factor[REQ_RENT_FACTOR] = 3;
	with_co_applicant(&ap, 12000, "employment_temporary", "employed");
	c = run(&r, &ap, 10000, &s, "income");
	cr_assert_eq(c->held, 32000);
	cr_assert_eq(c->needed, 30000);
	cr_assert(c->passed);
}

/* ---- MONEY_AFTER_RENT and the normal amount ---- */

Test(screening, normal_amount_table_2023)
{
	int64_t now = at(2023, 3, 1);

	/* KFMFS 2022:1: 5 717 single, 9 445 a couple, children 3 055 / 3 667 / 4 279 / 4 889 */
	cr_assert_eq(screening_normal_amount(1, 0, STR_LIT(""), now), 5717);
	cr_assert_eq(screening_normal_amount(2, 0, STR_LIT(""), now), 9445);
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2017"), now), 5717 + 3055, "6 years: 0–6");
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2016"), now), 5717 + 3667, "7 years: 7–10");
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2013"), now), 5717 + 3667, "10 years: 7–10");
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2012"), now), 5717 + 4279, "11 years: 11–14");
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2009"), now), 5717 + 4279, "14 years: 11–14");
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2008"), now), 5717 + 4889, "15 years: 15+");
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2023"), now), 5717 + 3055, "born this year");
	cr_assert_eq(screening_normal_amount(2, 2, STR_LIT(""), now), 9445 + 2 * 4889, "unstated ages: 15+");
	cr_assert_eq(screening_normal_amount(3, 0, STR_LIT(""), now), 9445 + 5717, "a third adult is single");
}

Test(screening, normal_amount_year_rule)
{
	/* the latest year of the table not after now's; before the first, the first */
	cr_assert_eq(screening_normal_amount(1, 0, STR_LIT(""), at(2026, 6, 15)), 5717);
	cr_assert_eq(screening_normal_amount(1, 0, STR_LIT(""), at(2020, 6, 15)), 5717);
	/* ages move with the calendar: born 2016 is 7 in 2023 and 10 in 2026 */
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2016"), at(2026, 1, 2)), 5717 + 3667);
	cr_assert_eq(screening_normal_amount(1, 1, STR_LIT("2016"), at(2027, 1, 2)), 5717 + 4279);
}

Test(screening, money_after_rent_single)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(15000);
	struct screening s;
	const struct screening_check *c;

	r.money_after_rent = true;
	c = run(&r, &ap, 10000, &s, "income");
	cr_assert_not(c->passed);
	cr_assert_eq(c->needed, 5717);
	cr_assert_eq(c->held, 5000);
	cr_assert_str_eq(c->message, "Minst 5 717 kr/mån kvar efter hyran krävs, 5 000 kr/mån kvar med angiven inkomst");

	ap.profile.gross_income = 15717;
	cr_assert(run(&r, &ap, 10000, &s, "income")->passed);

	/* more rent than income: a negative amount left */
	ap.profile.gross_income = 8000;
	c = run(&r, &ap, 10000, &s, "income");
	cr_assert_eq(c->held, -2000);
	cr_assert_str_eq(c->message, "Minst 5 717 kr/mån kvar efter hyran krävs, -2 000 kr/mån kvar med angiven inkomst");
}

Test(screening, money_after_rent_couple_with_children_of_every_band)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(40000);
	struct applicant_facts x;
	struct screening s;
	const struct screening_check *c;
	/* in 2026: 3, 8, 12 and 16 years old */
	const int64_t normal = 9445 + 3055 + 3667 + 4279 + 4889;

	r.money_after_rent = true;
	r.factor[REQ_LIVING_STANDARD_FACTOR] = 1.5;
	with_co_applicant(&ap, 25000, "employment_permanent", "employed");
	ap.profile.children = 4;
	ap.profile.children_birth_years = STR_LIT("2023,2018,2014,2010");
	screening_facts(arena, &ap, 14000, ap.now, &x);
	cr_assert_eq(x.normal_amount, normal);
	cr_assert_eq(x.household_size, 6);
	cr_assert_eq(x.applicants, 2);
	cr_assert_eq(x.nincomes, 2);

	c = run(&r, &ap, 14000, &s, "income");
	cr_assert_eq(c->needed, 38003, "1.5 × 25 335 = 38 002.5, rounded up");
	cr_assert_eq(c->held, 65000 - 14000);
	cr_assert(c->passed);
	cr_assert_str_eq(c->message, "Minst 38 003 kr/mån kvar efter hyran krävs, 51 000 kr/mån kvar med angiven inkomst");

	/* the same household with younger children needs less */
	ap.profile.children_birth_years = STR_LIT("2023,2022,2021,2020");
	screening_facts(arena, &ap, 14000, ap.now, &x);
	cr_assert_eq(x.normal_amount, 9445 + 4 * 3055);
}

/* ---- credit ---- */

Test(screening, payment_remarks_worst_of_the_applicants)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(30000);
	struct screening s;
	const struct screening_check *c;

	with_co_applicant(&ap, 20000, "employment_permanent", "employed");
	ap.profile.co_applicant_credit.payment_remarks = 2;
	c = run(&r, &ap, 9000, &s, "paymentRemarks");
	cr_assert_not(c->passed);
	cr_assert_not(s.approved);
	cr_assert_eq(c->needed, 0);
	cr_assert_eq(c->held, 2);
	cr_assert_str_eq(c->unit, "st");
	cr_assert_str_eq(c->message, "Inga betalningsanmärkningar tillåts, 2 angivna");

	r.number[REQ_PAYMENT_REMARKS] = 2;
	c = run(&r, &ap, 9000, &s, "paymentRemarks");
	cr_assert(c->passed);
	cr_assert_str_eq(c->message, "Högst 2 betalningsanmärkningar tillåts, 2 angivna");
}

Test(screening, debts_bankruptcy_and_sanitization)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(30000);
	struct screening s;
	const struct screening_check *c;

	ap.profile.credit.outstanding_debt = true;
	c = run(&r, &ap, 9000, &s, "outstandingDebt");
	cr_assert_not(c->passed);
	cr_assert_not(c->has_values);
	cr_assert_str_eq(c->message, "Inga skulder hos Kronofogden tillåts, skulder angivna");
	cr_assert(run(&r, &ap, 9000, &s, "bankruptcy")->passed);
	cr_assert(run(&r, &ap, 9000, &s, "debtSanitization")->passed);
	cr_assert_not(s.approved);

	r.flag[REQ_OUTSTANDING_DEBT] = true;
	c = run(&r, &ap, 9000, &s, "outstandingDebt");
	cr_assert(c->passed);
	cr_assert_str_eq(c->message, "Skulder hos Kronofogden godtas, skulder angivna");
	cr_assert(s.approved);

	ap.profile.credit.bankruptcy = true;
	cr_assert_not(run(&r, &ap, 9000, &s, "bankruptcy")->passed);
	ap.profile.credit.bankruptcy = false;
	ap.profile.credit.debt_sanitization = true;
	cr_assert_str_eq(run(&r, &ap, 9000, &s, "debtSanitization")->message,
			 "Ingen skuldsanering tillåts, skuldsanering angiven");
}

/* ---- the household and the person ---- */

Test(screening, move_frequency)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(30000);
	struct screening s;
	const struct screening_check *c;

	ap.profile.moves = 4;
	screening_evaluate(arena, &r, &ap, 9000, ap.now, LANG_SV, &s);
	cr_assert_null(check(&s, "moveFrequency"), "0: not checked");

	r.number[REQ_MOVE_FREQUENCY] = 3;
	c = run(&r, &ap, 9000, &s, "moveFrequency");
	cr_assert_not(c->passed);
	cr_assert_eq(c->needed, 3);
	cr_assert_eq(c->held, 4);
	cr_assert_str_eq(c->message, "Högst 3 flyttar de senaste 5 åren tillåts, 4 angivna");
	ap.profile.moves = 3;
	cr_assert(run(&r, &ap, 9000, &s, "moveFrequency")->passed);
}

Test(screening, residents_besides_the_applicants)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(30000);
	struct screening s;
	const struct screening_check *c;

	r.number[REQ_EXTRA_RESIDENTS] = 2;
	ap.profile.children = 3;
	c = run(&r, &ap, 9000, &s, "residents");
	cr_assert_not(c->passed);
	cr_assert_eq(c->held, 3);
	cr_assert_eq(c->needed, 2);
	cr_assert_str_eq(c->message, "Högst 2 boende utöver de sökande tillåts, 3 angivna");

	/* a co-applicant is an applicant, not an extra resident */
	with_co_applicant(&ap, 20000, "employment_permanent", "employed");
	ap.profile.children = 2;
	c = run(&r, &ap, 9000, &s, "residents");
	cr_assert(c->passed);
	cr_assert_eq(c->held, 2);
}

Test(screening, student_youth_senior)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(12000);
	struct screening s;
	const struct screening_check *c;

	r.flag[REQ_STUDENT] = true;
	r.flag[REQ_YOUTH] = true;
	ap.profile.occupation = STR_LIT("student");
	ap.profile.income_source = STR_LIT("student");
	c = run(&r, &ap, 5000, &s, "student");
	cr_assert(c->passed);
	c = check(&s, "youth");
	cr_assert_not_null(c);
	cr_assert_not(c->passed, "36 years old at 2026-06-15");
	cr_assert_eq(c->held, 36);
	cr_assert_eq(c->needed, 25);
	cr_assert_str_eq(c->unit, "år");
	cr_assert_str_eq(c->message, "Ålder högst 25 år krävs, 36 år angiven");

	ap.profile.birth_date = STR_LIT("2002-01-01");
	cr_assert(run(&r, &ap, 5000, &s, "youth")->passed);
	/* a student household: every applicant studies */
	with_co_applicant(&ap, 0, "", "employed");
	c = run(&r, &ap, 5000, &s, "student");
	cr_assert_not(c->passed);
	cr_assert_str_eq(c->message, "Studerande krävs, inga studier angivna");

	r = rules();
	r.flag[REQ_SENIOR] = true;
	ap = person(20000);
	c = run(&r, &ap, 5000, &s, "senior");
	cr_assert_not(c->passed);
	cr_assert_str_eq(c->message, "Ålder minst 65 år krävs, 36 år angiven");
	ap.profile.birth_date = STR_LIT("1950-01-01");
	cr_assert(run(&r, &ap, 5000, &s, "senior")->passed);
}

Test(screening, employment_best_of_the_applicants)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(30000);
	struct screening s;
	const struct screening_check *c;

	r.flag[REQ_EMPLOYMENT_PERMANENT] = true;
	ap.profile.income_source = STR_LIT("employment_temporary");
	c = run(&r, &ap, 9000, &s, "employment");
	cr_assert_not(c->passed);
	cr_assert_str_eq(c->message, "Tillsvidareanställning krävs, visstidsanställning angiven");
	with_co_applicant(&ap, 20000, "employment_permanent", "employed");
	cr_assert(run(&r, &ap, 9000, &s, "employment")->passed);
}

Test(screening, pets_and_smoking_are_always_checked)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(30000);
	struct screening s;

	ap.profile.pets = true;
	cr_assert_str_eq(run(&r, &ap, 9000, &s, "pets")->message, "Inga husdjur tillåts, husdjur angivna");
	cr_assert_not(s.approved);
	cr_assert(run(&r, &ap, 9000, &s, "smoking")->passed);
	r.flag[REQ_PETS] = true;
	cr_assert(run(&r, &ap, 9000, &s, "pets")->passed);
	cr_assert(s.approved);
}

/* ---- warrantor ---- */

Test(screening, warrantor_stands_in_for_a_failed_income)
{
	struct requirement_fields r = rules();
	struct applicant ap = person(20000);
	struct screening s;
	const struct screening_check *c;

	r.factor[REQ_RENT_FACTOR] = 3;
	r.factor[REQ_WARRANTOR_RENT_FACTOR] = 4;
	ap.profile.has_warrantor = true;
	ap.profile.warrantor_income = 45000;

	/* the profile allows no warrantor: the income fails, no warrantor checks */
	c = run(&r, &ap, 10000, &s, "income");
	cr_assert_not(c->passed);
	cr_assert_null(check(&s, "warrantorIncome"));

	r.flag[REQ_WARRANTOR] = true;
	c = run(&r, &ap, 10000, &s, "income");
	cr_assert(c->passed);
	cr_assert(s.approved);
	cr_assert_eq(c->held, 20000);
	cr_assert_str_eq(c->message, "Inkomst minst 30 000 kr/mån krävs, 20 000 kr/mån angiven; borgensmannen uppfyller kravet");
	c = check(&s, "warrantorIncome");
	cr_assert_not_null(c);
	cr_assert(c->passed);
	cr_assert_eq(c->needed, 40000);
	cr_assert_eq(c->held, 45000);
	cr_assert_str_eq(c->message, "Borgensmannens inkomst minst 40 000 kr/mån krävs, 45 000 kr/mån angiven");
	cr_assert_not_null(check(&s, "warrantorPaymentRemarks"));

	/* a warrantor with a payment remark cannot help */
	ap.profile.warrantor_credit.payment_remarks = 1;
	c = run(&r, &ap, 10000, &s, "warrantorPaymentRemarks");
	cr_assert_not(c->passed);
	cr_assert_str_eq(c->message, "Inga betalningsanmärkningar tillåts, 1 angiven (borgensman)");
	cr_assert_not(check(&s, "income")->passed);
	cr_assert_not(s.approved);

	/* an income that passes on its own never asks for the warrantor */
	ap.profile.gross_income = 30000;
	run(&r, &ap, 10000, &s, "income");
	cr_assert_null(check(&s, "warrantorIncome"));
	cr_assert(s.approved);
}

/* ---- no profile ---- */

Test(screening, no_requirement_profile_is_approved)
{
	struct applicant ap = person(0);
	struct screening s;
	struct error err;

	memset(&err, 0, sizeof(err));
	ap.profile.pets = true;
	cr_assert_eq(market_screening(NULL, arena, &ap, 0, 9000, &s, &err), 0);
	cr_assert_not(s.has_profile);
	cr_assert(s.approved);
	cr_assert_eq(s.nchecks, 0);
}
