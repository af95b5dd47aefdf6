/* "Would I qualify?": an applicant against a requirement profile (screening.h). */
#include "core/market/screening.h"

#include <string.h>

#include "base/buf.h"
#include "base/json_write.h"

/*
 * Kronofogden's normal amounts (normalbelopp, 7 kap. 5 § utsökningsbalken), SEK a month:
 * what a household needs for its ordinary living costs besides housing, set every calendar
 * year in Kronofogden's regulations (KFMFS). MONEY_AFTER_RENT asks that income − rent is
 * at least living_standard_factor × the household's amount.
 *
 * A year is here only when its figures were found stated in a source: 2023 from KFMFS
 * 2022:1 (in force 1 January – 31 December 2023) and Kronofogden's announcement of
 * 28 November 2022. No source stating the figures of 2024 or later was found when this
 * table was written, so later years use 2023's (lower than theirs: the rule errs towards
 * the applicant). The rule: the latest year of the table not after now's year (Stockholm);
 * before the first year, the first. Add a row each December when the new KFMFS is out.
 */
enum { BAND_0_6, BAND_7_10, BAND_11_14, BAND_15_UP, BAND_COUNT };

static const struct normal_amounts {
	int year;
	int64_t single;  /* ensamstående */
	int64_t couple;  /* sammanlevande makar och därmed jämställda */
	int64_t child[BAND_COUNT];
} normal_amounts[] = {
	{ 2023, 5717, 9445, { 3055, 3667, 4279, 4889 } }, /* KFMFS 2022:1 */
};

static const struct normal_amounts *normal_amounts_of(int year)
{
	const struct normal_amounts *best = &normal_amounts[0];
	for (size_t i = 0; i < sizeof(normal_amounts) / sizeof(normal_amounts[0]); i++)
		if (normal_amounts[i].year <= year && normal_amounts[i].year >= best->year)
			best = &normal_amounts[i];
	return best;
}

/* The band of a child who reaches age this year (the table's bands: 0–6, 7–10, 11–14, 15+). */
static int band_of(int age)
{
	return age <= 6 ? BAND_0_6 : age <= 10 ? BAND_7_10 : age <= 14 ? BAND_11_14 : BAND_15_UP;
}

/*
 * Adults: one is single; two are a couple; each further adult (a grown-up child, a lodger
 * whose income the applicants do not declare) counts as a single adult. A child's age is
 * the age reached in the current year, so a birthday later in the year already counts.
 */
int64_t screening_normal_amount(int64_t adults, int64_t children, struct str birth_years, int64_t now)
{
	int year = applicant_year(now);
	const struct normal_amounts *t = normal_amounts_of(year);
	int years[APPLICANT_CHILDREN_MAX];
	int n = applicant_children_years(birth_years, years);
	int64_t sum = adults >= 2 ? t->couple + (adults - 2) * t->single : t->single;

	if (n < 0)
		n = 0;
	for (int i = 0; i < n && i < children; i++)
		sum += t->child[band_of(year - years[i] < 0 ? 0 : year - years[i])];
	for (int64_t i = n; i < children; i++)
		sum += t->child[BAND_15_UP]; /* age not stated: the largest amount */
	return sum;
}

/* ---- facts ---- */

static const struct {
	const char *source;
	enum income_kind kind;
} source_kinds[] = {
	{ "employment_permanent", INCOME_EMPLOYMENT },
	{ "employment_temporary", INCOME_EMPLOYMENT },
	{ "self_employed", INCOME_ENTREPRENEUR },
	{ "student", INCOME_STUDENT },
	{ "pension", INCOME_RETIRED },
	{ "unemployment_benefit", INCOME_UNEMPLOYMENT_BENEFIT },
	{ "activity_compensation", INCOME_ACTIVITY_COMPENSATION },
	{ "sick_leave", INCOME_SICK_LEAVE },
	{ "parental_leave", INCOME_PARENTAL_LEAVE },
	{ "other", INCOME_OTHER },
};

/* An unstated income source: the occupation's usual income. */
static const struct {
	const char *occupation;
	enum income_kind kind;
} occupation_kinds[] = {
	{ "employed", INCOME_EMPLOYMENT },
	{ "self_employed", INCOME_ENTREPRENEUR },
	{ "student", INCOME_STUDENT },
	{ "retired", INCOME_RETIRED },
	{ "unemployed", INCOME_UNEMPLOYMENT_BENEFIT },
	{ "parental_leave", INCOME_PARENTAL_LEAVE },
	{ "sick_leave", INCOME_SICK_LEAVE },
};

static enum income_kind income_kind_of(struct str source, struct str occupation)
{
	for (size_t i = 0; i < sizeof(source_kinds) / sizeof(source_kinds[0]); i++)
		if (str_eq_cstr(source, source_kinds[i].source))
			return source_kinds[i].kind;
	for (size_t i = 0; i < sizeof(occupation_kinds) / sizeof(occupation_kinds[0]); i++)
		if (str_eq_cstr(occupation, occupation_kinds[i].occupation))
			return occupation_kinds[i].kind;
	return INCOME_OTHER;
}

static enum occupation occupation_of(struct str source, struct str occupation)
{
	if (str_eq_cstr(source, "employment_permanent"))
		return OCCUPATION_PERMANENT;
	if (str_eq_cstr(source, "employment_temporary") || str_eq_cstr(occupation, "employed"))
		return OCCUPATION_TEMPORARY;
	if (!occupation.len || str_eq_cstr(occupation, "unemployed"))
		return OCCUPATION_NONE;
	return OCCUPATION_OTHER;
}

/* PERMANENT > TEMPORARY > OTHER > NONE */
static int occupation_rank(enum occupation o)
{
	return o == OCCUPATION_PERMANENT ? 3 : o == OCCUPATION_TEMPORARY ? 2 : o == OCCUPATION_OTHER ? 1 : 0;
}

static struct credit_facts credit_of(const struct applicant_credit *c)
{
	return (struct credit_facts){ c->payment_remarks, c->bankruptcy, c->outstanding_debt, c->debt_sanitization };
}

static void worst_credit(struct credit_facts *into, const struct applicant_credit *c)
{
	if (c->payment_remarks > into->payment_remarks)
		into->payment_remarks = c->payment_remarks;
	into->bankruptcy = into->bankruptcy || c->bankruptcy;
	into->outstanding_debt = into->outstanding_debt || c->outstanding_debt;
	into->debt_sanitization = into->debt_sanitization || c->debt_sanitization;
}

void screening_facts(struct arena *a, const struct applicant *ap, int64_t rent, int64_t now,
		     struct applicant_facts *out)
{
	const struct applicant_profile *p = &ap->profile;
	struct income_source *incomes = arena_alloc(a, 2 * sizeof(*incomes));
	bool co = p->co_applicant_name.len > 0;
	int64_t adults = p->adults < 1 ? 1 : p->adults;

	memset(out, 0, sizeof(*out));
	out->rent = rent;
	out->incomes = incomes;
	incomes[out->nincomes++] = (struct income_source){ income_kind_of(p->income_source, p->occupation),
							  p->gross_income };
	out->occupation = occupation_of(p->income_source, p->occupation);
	out->is_student = str_eq_cstr(p->occupation, "student");
	out->credit = credit_of(&p->credit);
	out->applicants = 1;
	if (co) {
		enum occupation o = occupation_of(p->co_applicant_income_source, p->co_applicant_occupation);
		if (p->co_applicant_income > 0)
			incomes[out->nincomes++] = (struct income_source){
				income_kind_of(p->co_applicant_income_source, p->co_applicant_occupation),
				p->co_applicant_income
			};
		if (occupation_rank(o) > occupation_rank(out->occupation))
			out->occupation = o;
		out->is_student = out->is_student && str_eq_cstr(p->co_applicant_occupation, "student");
		worst_credit(&out->credit, &p->co_applicant_credit);
		out->applicants = 2;
		if (adults < 2)
			adults = 2;
	}
	out->age = applicant_age(p->birth_date, now);
	out->household_size = adults + p->children;
	out->normal_amount = screening_normal_amount(adults, p->children, p->children_birth_years, now);
	out->pets = p->pets;
	out->smoking = p->smoking;
	out->moves = p->moves;
	out->has_warrantor = p->has_warrantor;
	if (p->has_warrantor) {
		out->warrantor_income = p->warrantor_income;
		out->warrantor_credit = credit_of(&p->warrantor_credit);
	}
}

/* ---- checks ---- */

static const char *const check_types[REQUIREMENT_RULE_COUNT] = {
	[REQ_RULE_INCOME] = "income",
	[REQ_RULE_PAYMENT_REMARKS] = "paymentRemarks",
	[REQ_RULE_BANKRUPTCY] = "bankruptcy",
	[REQ_RULE_OUTSTANDING_DEBT] = "outstandingDebt",
	[REQ_RULE_DEBT_SANITIZATION] = "debtSanitization",
	[REQ_RULE_MOVE_FREQUENCY] = "moveFrequency",
	[REQ_RULE_RESIDENT_COUNT] = "residents",
	[REQ_RULE_REQUIRES_STUDENT] = "student",
	[REQ_RULE_REQUIRES_YOUTH] = "youth",
	[REQ_RULE_REQUIRES_SENIOR] = "senior",
	[REQ_RULE_EMPLOYMENT] = "employment",
	[REQ_RULE_PETS] = "pets",
	[REQ_RULE_SMOKING] = "smoking",
	[REQ_RULE_WARRANTOR_INCOME] = "warrantorIncome",
	[REQ_RULE_WARRANTOR_PAYMENT_REMARKS] = "warrantorPaymentRemarks",
	[REQ_RULE_WARRANTOR_BANKRUPTCY] = "warrantorBankruptcy",
	[REQ_RULE_WARRANTOR_OUTSTANDING_DEBT] = "warrantorOutstandingDebt",
	[REQ_RULE_WARRANTOR_DEBT_SANITIZATION] = "warrantorDebtSanitization",
};

/* Whole kronor: Swedish "24 600", "-1 250" (a space between thousands), English "24,600". */
static const char *sek(struct arena *a, int64_t v, enum lang lang)
{
	char digits[24], out[40];
	size_t n = 0, k = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[k++] = '-';
	while (n) {
		out[k++] = digits[--n];
		if (n && n % 3 == 0)
			out[k++] = LANG_TEXT(lang, ' ', ',');
	}
	out[k] = '\0';
	return arena_printf(a, "%s", out);
}

static const char *counted(int64_t n, enum lang lang)
{
	return LANG_TEXT(lang, n == 1 ? "angiven" : "angivna", "given");
}

/* A rule that allows or forbids one fact: "Inga husdjur tillåts, husdjur angivna". */
static const char *yes_no(struct arena *a, bool allowed, bool held, const char *if_allowed,
			  const char *if_forbidden, const char *if_held, const char *if_not_held)
{
	return arena_printf(a, "%s, %s", allowed ? if_allowed : if_forbidden, held ? if_held : if_not_held);
}

static const char *employment_held(enum occupation o, enum lang lang)
{
	switch (o) {
	case OCCUPATION_PERMANENT: return LANG_TEXT(lang, "tillsvidareanställning angiven", "permanent employment given");
	case OCCUPATION_TEMPORARY: return LANG_TEXT(lang, "visstidsanställning angiven", "fixed-term employment given");
	case OCCUPATION_OTHER: return LANG_TEXT(lang, "annan sysselsättning angiven", "another occupation given");
	case OCCUPATION_NONE: break;
	}
	return LANG_TEXT(lang, "ingen anställning angiven", "no employment given");
}

/* The message of a credit rule (the applicants' or, with warrantor, the warrantor's). */
static const char *credit_message(struct arena *a, enum requirement_rule base, const struct requirement_fields *r,
				  const struct credit_facts *cr, bool warrantor, enum lang lang)
{
	const char *who = warrantor ? LANG_TEXT(lang, " (borgensman)", " (guarantor)") : "";
	int64_t most = r->number[REQ_PAYMENT_REMARKS];

	switch (base) {
	case REQ_RULE_PAYMENT_REMARKS:
		return most ? arena_printf(a, LANG_TEXT(lang, "Högst %s betalningsanmärkningar tillåts, %s %s%s",
							"At most %s payment remarks allowed, %s %s%s"),
					   sek(a, most, lang), sek(a, cr->payment_remarks, lang),
					   counted(cr->payment_remarks, lang), who)
			    : arena_printf(a, LANG_TEXT(lang, "Inga betalningsanmärkningar tillåts, %s %s%s",
							"No payment remarks allowed, %s %s%s"),
					   sek(a, cr->payment_remarks, lang), counted(cr->payment_remarks, lang), who);
	case REQ_RULE_BANKRUPTCY:
		return arena_printf(a, "%s%s",
				    yes_no(a, r->flag[REQ_BANKRUPTCY], cr->bankruptcy,
					   LANG_TEXT(lang, "Konkurs godtas", "A bankruptcy is accepted"),
					   LANG_TEXT(lang, "Ingen konkurs tillåts", "No bankruptcy allowed"),
					   LANG_TEXT(lang, "konkurs angiven", "a bankruptcy given"),
					   LANG_TEXT(lang, "ingen konkurs angiven", "no bankruptcy given")),
				    who);
	case REQ_RULE_OUTSTANDING_DEBT:
		return arena_printf(a, "%s%s",
				    yes_no(a, r->flag[REQ_OUTSTANDING_DEBT], cr->outstanding_debt,
					   LANG_TEXT(lang, "Skulder hos Kronofogden godtas",
						     "Debts with the Enforcement Authority (Kronofogden) are accepted"),
					   LANG_TEXT(lang, "Inga skulder hos Kronofogden tillåts",
						     "No debts with the Enforcement Authority (Kronofogden) allowed"),
					   LANG_TEXT(lang, "skulder angivna", "debts given"),
					   LANG_TEXT(lang, "inga skulder angivna", "no debts given")),
				    who);
	default:
		return arena_printf(a, "%s%s",
				    yes_no(a, r->flag[REQ_DEBT_SANITIZATION], cr->debt_sanitization,
					   LANG_TEXT(lang, "Skuldsanering godtas", "Debt relief is accepted"),
					   LANG_TEXT(lang, "Ingen skuldsanering tillåts", "No debt relief allowed"),
					   LANG_TEXT(lang, "skuldsanering angiven", "debt relief given"),
					   LANG_TEXT(lang, "ingen skuldsanering angiven", "no debt relief given")),
				    who);
	}
}

/* Needed, held, unit and message of one checked rule. The unit is a fixed value, not prose. */
static void describe(struct arena *a, const struct requirement_fields *r, const struct applicant_facts *x,
		     const struct requirement_verdict *v, enum requirement_rule rule, enum lang lang,
		     struct screening_check *c)
{
	const struct rule_result *res = &v->rules[rule];

	c->needed = res->ought_value;
	c->held = res->is_value;
	c->unit = "";
	switch (rule) {
	case REQ_RULE_INCOME:
		c->has_values = true;
		c->unit = "kr/mån";
		c->message = r->money_after_rent
				     ? arena_printf(a, LANG_TEXT(lang, "Minst %s kr/mån kvar efter hyran krävs, %s kr/mån kvar med angiven inkomst",
								 "At least %s SEK a month left after the rent is required, %s SEK a month left with the income given"),
						    sek(a, c->needed, lang), sek(a, c->held, lang))
				     : arena_printf(a, LANG_TEXT(lang, "Inkomst minst %s kr/mån krävs, %s kr/mån angiven",
								 "An income of at least %s SEK a month is required, %s SEK a month given"),
						    sek(a, c->needed, lang), sek(a, c->held, lang));
		if (c->passed && c->held < c->needed)
			c->message = arena_printf(a, LANG_TEXT(lang, "%s; borgensmannen uppfyller kravet",
							       "%s; the guarantor meets the requirement"),
						  c->message);
		break;
	case REQ_RULE_PAYMENT_REMARKS:
	case REQ_RULE_WARRANTOR_PAYMENT_REMARKS:
		c->has_values = true;
		c->unit = "st";
		c->message = credit_message(a, REQ_RULE_PAYMENT_REMARKS, r,
					    rule == REQ_RULE_PAYMENT_REMARKS ? &x->credit : &x->warrantor_credit,
					    rule != REQ_RULE_PAYMENT_REMARKS, lang);
		break;
	case REQ_RULE_BANKRUPTCY:
	case REQ_RULE_OUTSTANDING_DEBT:
	case REQ_RULE_DEBT_SANITIZATION:
		c->message = credit_message(a, rule, r, &x->credit, false, lang);
		break;
	case REQ_RULE_WARRANTOR_BANKRUPTCY:
	case REQ_RULE_WARRANTOR_OUTSTANDING_DEBT:
	case REQ_RULE_WARRANTOR_DEBT_SANITIZATION:
		c->message = credit_message(a, (enum requirement_rule)(rule - REQ_RULE_WARRANTOR_BANKRUPTCY + REQ_RULE_BANKRUPTCY), r,
					    &x->warrantor_credit, true, lang);
		break;
	case REQ_RULE_MOVE_FREQUENCY:
		c->has_values = true;
		c->unit = "st";
		c->message = arena_printf(a, LANG_TEXT(lang, "Högst %s flyttar de senaste 5 åren tillåts, %s %s",
						       "At most %s moves in the last 5 years allowed, %s %s"),
					  sek(a, c->needed, lang), sek(a, c->held, lang), counted(c->held, lang));
		break;
	case REQ_RULE_RESIDENT_COUNT:
		c->has_values = true;
		c->unit = "st";
		c->message = arena_printf(a, LANG_TEXT(lang, "Högst %s boende utöver de sökande tillåts, %s %s",
						       "At most %s residents besides the applicants allowed, %s %s"),
					  sek(a, c->needed, lang), sek(a, c->held, lang), counted(c->held, lang));
		break;
	case REQ_RULE_REQUIRES_STUDENT:
		c->message = x->is_student ? LANG_TEXT(lang, "Studerande krävs, studier angivna", "Studies required, studies given")
					   : LANG_TEXT(lang, "Studerande krävs, inga studier angivna",
						       "Studies required, no studies given");
		break;
	case REQ_RULE_REQUIRES_YOUTH:
	case REQ_RULE_REQUIRES_SENIOR:
		c->has_values = true;
		c->unit = "år";
		c->message = arena_printf(a, LANG_TEXT(lang, "Ålder %s %s år krävs, %s år angiven",
						       "An age of %s %s years is required, %s years given"),
					  rule == REQ_RULE_REQUIRES_YOUTH ? LANG_TEXT(lang, "högst", "at most")
									  : LANG_TEXT(lang, "minst", "at least"),
					  sek(a, c->needed, lang), sek(a, c->held, lang));
		break;
	case REQ_RULE_EMPLOYMENT:
		c->message = arena_printf(a, "%s, %s",
					  r->flag[REQ_EMPLOYMENT_PERMANENT]
						  ? LANG_TEXT(lang, "Tillsvidareanställning krävs", "Permanent employment required")
						  : LANG_TEXT(lang, "Anställning krävs (tills vidare eller visstid)",
							      "Employment required (permanent or fixed-term)"),
					  employment_held(x->occupation, lang));
		break;
	case REQ_RULE_PETS:
		c->message = yes_no(a, r->flag[REQ_PETS], x->pets, LANG_TEXT(lang, "Husdjur tillåts", "Pets allowed"),
				    LANG_TEXT(lang, "Inga husdjur tillåts", "No pets allowed"),
				    LANG_TEXT(lang, "husdjur angivna", "pets given"),
				    LANG_TEXT(lang, "inga husdjur angivna", "no pets given"));
		break;
	case REQ_RULE_SMOKING:
		c->message = yes_no(a, r->flag[REQ_SMOKING], x->smoking, LANG_TEXT(lang, "Rökning tillåts", "Smoking allowed"),
				    LANG_TEXT(lang, "Rökning tillåts inte", "No smoking allowed"),
				    LANG_TEXT(lang, "rökning angiven", "smoking given"),
				    LANG_TEXT(lang, "ingen rökning angiven", "no smoking given"));
		break;
	case REQ_RULE_WARRANTOR_INCOME:
		c->has_values = true;
		c->unit = "kr/mån";
		c->message = arena_printf(a, LANG_TEXT(lang, "Borgensmannens inkomst minst %s kr/mån krävs, %s kr/mån angiven",
						       "A guarantor's income of at least %s SEK a month is required, %s SEK a month given"),
					  sek(a, c->needed, lang), sek(a, c->held, lang));
		break;
	case REQUIREMENT_RULE_COUNT:
		break;
	}
	if (!c->has_values)
		c->needed = c->held = 0;
}

void screening_evaluate(struct arena *a, const struct requirement_fields *rules, const struct applicant *ap,
			int64_t rent, int64_t now, enum lang lang, struct screening *out)
{
	struct applicant_facts facts;

	memset(out, 0, sizeof(*out));
	out->has_profile = true;
	screening_facts(a, ap, rent, now, &facts);
	requirements_evaluate(rules, &facts, &out->verdict);
	out->approved = out->verdict.approved;
	for (int i = 0; i < REQUIREMENT_RULE_COUNT; i++) {
		struct screening_check *c;
		if (out->verdict.rules[i].outcome == REQ_NOT_CHECKED)
			continue;
		c = &out->checks[out->nchecks++];
		c->rule = (enum requirement_rule)i;
		c->type = check_types[i];
		c->passed = out->verdict.rules[i].outcome == REQ_PASS;
		describe(a, rules, &facts, &out->verdict, c->rule, lang, c);
	}
}

int market_screening(struct core *c, struct arena *a, const struct applicant *ap, int64_t requirement_id,
		     int64_t rent, struct screening *out, struct error *err)
{
	struct requirement_profile profile;

	memset(out, 0, sizeof(*out));
	if (!requirement_id) {
		out->approved = true;
		out->verdict.approved = true;
		return 0;
	}
	if (store_requirement_get_by_id(c->store, a, requirement_id, &profile, err) < 0)
		return -1;
	screening_evaluate(a, &profile.f, ap, rent, ap->now, LANG_SV, out);
	return 0;
}

struct str screening_json(struct arena *a, const struct screening *s)
{
	struct buf b;
	struct jw w;

	buf_init(&b, a, 256);
	jw_init(&w, &b);
	jw_array_begin(&w);
	for (size_t i = 0; i < s->nchecks; i++) {
		const struct screening_check *k = &s->checks[i];
		jw_object_begin(&w);
		jw_kv_cstr(&w, "type", k->type);
		jw_kv_cstr(&w, "rule", requirement_rule_name(k->rule));
		jw_kv_bool(&w, "passed", k->passed);
		if (k->has_values) {
			jw_kv_int(&w, "needed", k->needed);
			jw_kv_int(&w, "held", k->held);
			jw_kv_cstr(&w, "unit", k->unit ? k->unit : "");
		}
		jw_kv_cstr(&w, "message", k->message ? k->message : "");
		jw_object_end(&w);
	}
	jw_array_end(&w);
	return buf_str(&b);
}
