/*
 * requirements.h — requirement profiles: a company's eligibility rules for its
 * listings (homeq.md §11e, §12.4 RequirementProfile, §15 rules 31–35), and the one
 * function that evaluates an applicant against them.
 *
 * Profiles belong to the company (no office scope): any employee of the company
 * reads them; creating, changing and deleting them needs
 * entity.object_ad.update.advanced (docs/DECISIONS.md). Another company's profile
 * is ERROR_NOT_FOUND. Writes are one transaction each.
 *
 * Automatic adjustments (§15 rule 33), on create and on every update: a benefit
 * apartment (benefit_apartment true) allows every benefit income (the flags of
 * requirement_benefit_flags) and uses MONEY_AFTER_RENT, whatever the request says.
 *
 * What the flags mean when an applicant is evaluated (docs/DECISIONS.md §12.4):
 *   - income kinds (activity_compensation … unemployment_benefit, income_*): true =
 *     that kind of income counts towards the income requirement; wages, business
 *     income and pensions always count;
 *   - pets, smoking, bankruptcy, outstanding_debt, debt_sanitization: true = allowed;
 *     payment_remarks: the most payment remarks allowed (0: none);
 *   - employment_permanent: a permanent employment is required; employment_temporary:
 *     a temporary or permanent employment is required;
 *   - student / youth / senior: the applicant must be a student / at most youth_age /
 *     at least senior_age years old;
 *   - extra_residents: the most residents besides the applicants (0: no limit);
 *     move_frequency: the most moves in the credit report's period (0: not checked);
 *   - income: RENT_FACTOR — counted income ≥ rent_factor × rent (0: not checked);
 *     MONEY_AFTER_RENT — counted income − rent ≥ living_standard_factor × the
 *     household's normal amount (Kronofogden's normalbelopp, given in the facts);
 *   - warrantor: a warrantor may stand in for the income requirement when the
 *     warrantor's income ≥ warrantor_rent_factor × rent and the warrantor passes the
 *     same credit rules.
 */
#ifndef RENTD_REQUIREMENTS_H
#define RENTD_REQUIREMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/identity/auth.h"
#include "core/core.h"
#include "store/listings/store_projects.h"

/* Wire names and defaults, in the order of enum requirement_flag / _number / _factor. */
extern const char *const requirement_flag_names[REQ_FLAG_COUNT];
extern const bool requirement_flag_defaults[REQ_FLAG_COUNT];
extern const char *const requirement_number_names[REQ_NUMBER_COUNT];
extern const int64_t requirement_number_defaults[REQ_NUMBER_COUNT];
extern const char *const requirement_factor_names[REQ_FACTOR_COUNT];
extern const double requirement_factor_defaults[REQ_FACTOR_COUNT];
/* The benefit incomes a benefit apartment allows, terminated by REQ_FLAG_COUNT. */
extern const enum requirement_flag requirement_benefit_flags[];

/* A create or update; has_* say which members the request set (update). */
struct requirement_input {
	struct requirement_fields f;
	int64_t parent_id; /* create only; 0: none */
	bool has_name, has_money_after_rent;
	bool has_flag[REQ_FLAG_COUNT];
	bool has_number[REQ_NUMBER_COUNT];
	bool has_factor[REQ_FACTOR_COUNT];
};

/* The seed's defaults (§12.4), name empty. */
void requirement_defaults(struct requirement_fields *f);
/* §15 rule 33 on f. */
void requirement_adjust(struct requirement_fields *f);

int requirements_list(struct core *c, struct arena *a, const struct caller *who, struct requirement_profile **out,
		      size_t *n, struct error *err);
/* The parent must be one of the company's profiles (field error on parent_requirements_id). */
int requirements_create(struct core *c, struct arena *a, const struct caller *who, const struct requirement_input *in,
			int64_t *id, struct error *err);
int requirements_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		     struct requirement_profile *out, struct error *err);
int requirements_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			const struct requirement_input *in, struct requirement_profile *out, struct error *err);
/* ERROR_CONFLICT "RequirementProfileInUse" while listings or soft-requirement profiles use it. */
int requirements_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err);

/* ---- evaluating an applicant ---- */

/* Income kinds, after the seed's ClaimType (§12.1). */
enum income_kind {
	INCOME_EMPLOYMENT, INCOME_ENTREPRENEUR, INCOME_RETIRED, INCOME_RETIRED_DISABLED, INCOME_STUDENT,
	INCOME_PARENTAL_LEAVE, INCOME_LIVING_EXPENSE_SUPPLEMENT, INCOME_HOUSING_SUPPLEMENT, INCOME_HOUSING_SUPPORT,
	INCOME_UNEMPLOYMENT_BENEFIT, INCOME_ACTIVITY_COMPENSATION, INCOME_ACTIVITY_GRANT, INCOME_CARE_ALLOWANCE,
	INCOME_MAINTENANCE_ALLOWANCE, INCOME_MAINTENANCE_SUPPORT, INCOME_CHILD_ALLOWANCE,
	INCOME_ESTABLISHMENT_ALLOWANCE, INCOME_ESTABLISHMENT_SUPPLEMENT, INCOME_CHILD_PENSION,
	INCOME_DEVELOPMENT_ALLOWANCE, INCOME_EXTRA_COST_ALLOWANCE, INCOME_SICK_LEAVE, INCOME_SICK_LEAVE_ALLOWANCE,
	INCOME_OTHER, INCOME_KIND_COUNT
};

/* The ClaimType of a kind ("employment", "sickleaveallowance", …). */
const char *income_kind_name(enum income_kind kind);

enum occupation { OCCUPATION_NONE, OCCUPATION_PERMANENT, OCCUPATION_TEMPORARY, OCCUPATION_OTHER };

struct income_source {
	enum income_kind kind;
	int64_t monthly; /* SEK per month */
};

/* What the credit report says about one person. */
struct credit_facts {
	int64_t payment_remarks;
	bool bankruptcy;
	bool outstanding_debt;   /* debts with Kronofogden */
	bool debt_sanitization;
};

/* Everything the rules look at, for the applicant group of one application. */
struct applicant_facts {
	int64_t rent;                  /* the listing's monthly rent */
	int64_t normal_amount;         /* Kronofogden's normal amount for the household, SEK per month */
	const struct income_source *incomes; /* the applicants' (main and co-applicant) */
	size_t nincomes;
	enum occupation occupation;    /* the best among the applicants */
	bool is_student;
	int64_t age;                   /* of the main applicant, in whole years */
	int64_t applicants;            /* 1 or 2 */
	int64_t household_size;        /* everyone who will live there, applicants included */
	bool pets;
	bool smoking;
	int64_t moves;                 /* address changes in the credit report's period */
	struct credit_facts credit;    /* the worst among the applicants */
	bool has_warrantor;
	int64_t warrantor_income;      /* SEK per month */
	struct credit_facts warrantor_credit;
};

/* One rule per check; the ids of the seed's ApprovalCheck where one exists. */
enum requirement_rule {
	REQ_RULE_INCOME, REQ_RULE_PAYMENT_REMARKS, REQ_RULE_BANKRUPTCY, REQ_RULE_OUTSTANDING_DEBT,
	REQ_RULE_DEBT_SANITIZATION, REQ_RULE_MOVE_FREQUENCY, REQ_RULE_RESIDENT_COUNT, REQ_RULE_REQUIRES_STUDENT,
	REQ_RULE_REQUIRES_YOUTH, REQ_RULE_REQUIRES_SENIOR, REQ_RULE_EMPLOYMENT, REQ_RULE_PETS, REQ_RULE_SMOKING,
	REQ_RULE_WARRANTOR_INCOME, REQ_RULE_WARRANTOR_PAYMENT_REMARKS, REQ_RULE_WARRANTOR_BANKRUPTCY,
	REQ_RULE_WARRANTOR_OUTSTANDING_DEBT, REQ_RULE_WARRANTOR_DEBT_SANITIZATION, REQUIREMENT_RULE_COUNT
};

enum rule_outcome { REQ_NOT_CHECKED, REQ_PASS, REQ_FAIL };

struct rule_result {
	enum rule_outcome outcome;
	int64_t is_value;    /* what the applicant has (ApprovalCheck is_value) */
	int64_t ought_value; /* what the rule asks for (ought_value) */
};

struct requirement_verdict {
	bool approved; /* no rule failed */
	struct rule_result rules[REQUIREMENT_RULE_COUNT];
};

/* "APPLICANT_GROUP_INCOME", "WARRANTOR_BANKRUPTCY", …; "PETS", "SMOKING", "EMPLOYMENT" for ours. */
const char *requirement_rule_name(enum requirement_rule rule);

/*
 * Evaluates an applicant group against a profile's rules: pure, no I/O. Every rule
 * gets an outcome; the warrantor rules are checked only when the applicants' own
 * income fails, the profile allows a warrantor and the group has one.
 */
void requirements_evaluate(const struct requirement_fields *rules, const struct applicant_facts *facts,
			   struct requirement_verdict *out);

#endif
