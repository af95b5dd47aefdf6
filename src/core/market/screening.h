/*
 * screening.h — "would I qualify?": an applicant's declared profile against a listing's
 * requirement profile (homeq.md §12.4), as named checks with the value needed and the
 * value held ("Inkomst 24 600 kr/mån krävs, 21 000 kr/mån angiven").
 *
 * The rules themselves are requirements_evaluate() (core/inventory/requirements.h); this
 * module only turns an applicant (core/market/applicants.h) into its facts, adds the
 * household's normal amount (Kronofogden's normalbelopp, data in screening.c) for
 * MONEY_AFTER_RENT, and names the outcome of every rule that was checked.
 *
 * The market's status (A.1) shows it as a dry run; apply stores the verdict with the
 * application, and the letting process offers only applicants whose screening passed.
 */
#ifndef RENTD_MARKET_SCREENING_H
#define RENTD_MARKET_SCREENING_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "core/core.h"
#include "core/inventory/requirements.h"
#include "core/market/applicants.h"

struct screening_check {
	enum requirement_rule rule;
	const char *type;    /* wire name: "income", "paymentRemarks", "residents", "warrantorIncome", … */
	bool passed;
	bool has_values;     /* needed and held mean something for this rule */
	int64_t needed;      /* what the rule asks for (a least or a most, see message) */
	int64_t held;        /* what the applicant declared */
	const char *unit;    /* "kr/mån", "st", "år", … ("" none) */
	const char *message; /* always set, in the evaluation's language: what is needed and what is held */
};

struct screening {
	bool has_profile; /* the listing has a requirement profile; false: nothing to check, approved */
	bool approved;    /* no checked rule failed */
	struct requirement_verdict verdict;
	struct screening_check checks[REQUIREMENT_RULE_COUNT]; /* the checked rules, in rule order */
	size_t nchecks;
};

/*
 * The facts of an applicant (and co-applicant, household, warrantor) for a rent, at now.
 * out->incomes points into a: the applicant's income and the co-applicant's.
 *
 * Income kinds: the profile's income source (employment_* → employment, self_employed →
 * entrepreneur, pension → retired, student, unemployment_benefit, activity_compensation,
 * sick_leave, parental_leave; other never counts); an unstated source follows the
 * occupation. Occupation: the best of the applicants', employment_permanent → permanent,
 * employment_temporary or an employment of unstated form → temporary, self-employment and
 * the rest → other, unemployed or unstated → none. A student: every applicant's occupation is
 * student. Credit: the worst of the applicants'. Household: adults + children.
 */
void screening_facts(struct arena *a, const struct applicant *ap, int64_t rent, int64_t now,
		     struct applicant_facts *out);

/*
 * Kronofogden's normal amount, SEK a month, for a household of adults (>= 1) and the
 * children of the profile (birth years, "2015,2019"; a child without a stated year counts
 * in the oldest band), in the table's latest year not after now's (docs/DECISIONS.md).
 */
int64_t screening_normal_amount(int64_t adults, int64_t children, struct str birth_years, int64_t now);

/* Pure: rules against ap for a listing of rent SEK/month, at now (seconds); messages in lang, in a. */
void screening_evaluate(struct arena *a, const struct requirement_fields *rules, const struct applicant *ap,
			int64_t rent, int64_t now, enum lang lang, struct screening *out);

/*
 * Loads requirement profile requirement_id (0: the listing has none → has_profile false,
 * approved) and evaluates ap (a registered applicant) against it; ap->now is the time. The
 * messages are Swedish, as an application stores them.
 * The profile may be any company's: the listing that names it is the caller's to check.
 */
int market_screening(struct core *c, struct arena *a, const struct applicant *ap, int64_t requirement_id,
		     int64_t rent, struct screening *out, struct error *err);

/*
 * The checks as an application stores them (applications.screening): a JSON array of
 * {type, rule, passed, needed?, held?, unit?, message}, read back by the landlord's list.
 */
struct str screening_json(struct arena *a, const struct screening *s);

#endif
