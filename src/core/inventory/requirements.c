#include "core/inventory/requirements.h"

#include <math.h>
#include <string.h>

#include "core/listings/cards.h"
#include "core/identity/rights.h"
#include "core/transaction.h"

const char *const requirement_flag_names[REQ_FLAG_COUNT] = {
	"activity_compensation", "activity_grant", "bankruptcy", "benefit_apartment", "care_allowance",
	"child_allowance", "debt_sanitization", "employment_permanent", "employment_temporary",
	"income_child_pension", "income_development_allowance", "income_establishment_supplement",
	"income_extra_cost_allowance", "income_housing_supplement", "income_housing_support",
	"income_living_expense_supplement", "income_parental_leave", "income_sick_leave", "income_student",
	"maintenance_allowance", "maintenance_support", "outstanding_debt", "pets", "senior", "smoking", "student",
	"unemployment_benefit", "warrantor", "youth",
};

/* §12.4: six income kinds default to true, everything else to false. */
const bool requirement_flag_defaults[REQ_FLAG_COUNT] = {
	[REQ_INCOME_CHILD_PENSION] = true,	  [REQ_INCOME_DEVELOPMENT_ALLOWANCE] = true,
	[REQ_INCOME_ESTABLISHMENT_SUPPLEMENT] = true, [REQ_INCOME_EXTRA_COST_ALLOWANCE] = true,
	[REQ_INCOME_PARENTAL_LEAVE] = true,	  [REQ_INCOME_SICK_LEAVE] = true,
};

const char *const requirement_number_names[REQ_NUMBER_COUNT] = {
	"extra_residents", "move_frequency", "payment_remarks", "senior_age", "youth_age",
};
const int64_t requirement_number_defaults[REQ_NUMBER_COUNT] = { 0, 0, 0, 65, 25 };

const char *const requirement_factor_names[REQ_FACTOR_COUNT] = {
	"living_standard_factor", "rent_factor", "warrantor_rent_factor",
};
const double requirement_factor_defaults[REQ_FACTOR_COUNT] = { 1, 0, 0 };

/*
 * "All income_benefit's are allowed" (§15 rule 33): every public benefit or
 * allowance the profile can accept as income. Study support (income_student) is not
 * a benefit, and the employment flags are requirements, not incomes.
 */
const enum requirement_flag requirement_benefit_flags[] = {
	REQ_ACTIVITY_COMPENSATION, REQ_ACTIVITY_GRANT, REQ_CARE_ALLOWANCE, REQ_CHILD_ALLOWANCE,
	REQ_INCOME_CHILD_PENSION, REQ_INCOME_DEVELOPMENT_ALLOWANCE, REQ_INCOME_ESTABLISHMENT_SUPPLEMENT,
	REQ_INCOME_EXTRA_COST_ALLOWANCE, REQ_INCOME_HOUSING_SUPPLEMENT, REQ_INCOME_HOUSING_SUPPORT,
	REQ_INCOME_LIVING_EXPENSE_SUPPLEMENT, REQ_INCOME_PARENTAL_LEAVE, REQ_INCOME_SICK_LEAVE,
	REQ_MAINTENANCE_ALLOWANCE, REQ_MAINTENANCE_SUPPORT, REQ_UNEMPLOYMENT_BENEFIT, REQ_FLAG_COUNT,
};

void requirement_defaults(struct requirement_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->name = STR_LIT("");
	for (int i = 0; i < REQ_FLAG_COUNT; i++)
		f->flag[i] = requirement_flag_defaults[i];
	for (int i = 0; i < REQ_NUMBER_COUNT; i++)
		f->number[i] = requirement_number_defaults[i];
	for (int i = 0; i < REQ_FACTOR_COUNT; i++)
		f->factor[i] = requirement_factor_defaults[i];
}

void requirement_adjust(struct requirement_fields *f)
{
	if (!f->flag[REQ_BENEFIT_APARTMENT])
		return;
	for (size_t i = 0; requirement_benefit_flags[i] != REQ_FLAG_COUNT; i++)
		f->flag[requirement_benefit_flags[i]] = true;
	f->money_after_rent = true;
}

/* ---- profiles ---- */

/* Who may read: any employee of the company (the dialect has already refused other callers). */
static int visible_profile(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			   struct requirement_profile *out, struct error *err)
{
	return store_requirement_get(c->store, a, who->user.company_id, id, out, err);
}

int requirements_list(struct core *c, struct arena *a, const struct caller *who, struct requirement_profile **out,
		      size_t *n, struct error *err)
{
	return store_requirement_list(c->store, a, who->user.company_id, out, n, err);
}

int requirements_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		     struct requirement_profile *out, struct error *err)
{
	return visible_profile(c, a, who, id, out, err);
}

/* The request's members over base, then the automatic adjustments. */
static void apply_input(struct requirement_fields *f, const struct requirement_input *in)
{
	if (in->has_name)
		f->name = in->f.name;
	for (int i = 0; i < REQ_FLAG_COUNT; i++)
		if (in->has_flag[i])
			f->flag[i] = in->f.flag[i];
	for (int i = 0; i < REQ_NUMBER_COUNT; i++)
		if (in->has_number[i])
			f->number[i] = in->f.number[i];
	for (int i = 0; i < REQ_FACTOR_COUNT; i++)
		if (in->has_factor[i])
			f->factor[i] = in->f.factor[i];
	if (in->has_money_after_rent)
		f->money_after_rent = in->f.money_after_rent;
	requirement_adjust(f);
}

static int create_rows(struct core *c, struct arena *a, const struct caller *who, const struct requirement_input *in,
		       int64_t *id, struct error *err)
{
	struct requirement_fields f;

	if (in->parent_id) {
		struct requirement_profile parent;
		if (visible_profile(c, a, who, in->parent_id, &parent, err) < 0) {
			if (err->kind != ERROR_NOT_FOUND)
				return -1;
			error_forget(err);
			return error_field(err, "parent_requirements_id", RULE_RANGE,
					   "no requirement profile with this id belongs to your company");
		}
	}
	requirement_defaults(&f);
	apply_input(&f, in);
	return store_requirement_insert(c->store, who->user.company_id, in->parent_id, &f, id, err);
}

int requirements_create(struct core *c, struct arena *a, const struct caller *who, const struct requirement_input *in,
			int64_t *id, struct error *err)
{
	if (caller_require_right(who, RIGHT_OBJECT_AD_ADVANCED, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, create_rows(c, a, who, in, id, err));
	return 0;
}

/* The search cards of the listings that use the profile show its audience and pets/smoking rules. */
static int sync_cards(struct core *c, struct arena *a, int64_t id, struct error *err)
{
	int64_t *ids;
	size_t n;

	if (store_requirement_listings(c->store, a, id, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (cards_sync_listing(c, ids[i], err) < 0)
			return -1;
	return 0;
}

static int update_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		       const struct requirement_input *in, struct error *err)
{
	struct requirement_profile p;
	if (visible_profile(c, a, who, id, &p, err) < 0)
		return -1;
	apply_input(&p.f, in);
	if (store_requirement_update(c->store, id, &p.f, err) < 0)
		return -1;
	return sync_cards(c, a, id, err);
}

int requirements_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			const struct requirement_input *in, struct requirement_profile *out, struct error *err)
{
	if (caller_require_right(who, RIGHT_OBJECT_AD_ADVANCED, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, update_rows(c, a, who, id, in, err));
	return visible_profile(c, a, who, id, out, err);
}

static int delete_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	struct requirement_profile p;
	int64_t children;

	if (visible_profile(c, a, who, id, &p, err) < 0 || store_requirement_children(c->store, id, &children, err) < 0)
		return -1;
	if (p.ad_count > 0)
		return error_set(err, ERROR_CONFLICT, "RequirementProfileInUse",
				 "Requirement profile %lld is used by %lld listing(s); you can not delete a requirement"
				 " profile that is still associated with ads.",
				 (long long)id, (long long)p.ad_count);
	if (children > 0)
		return error_set(err, ERROR_CONFLICT, "RequirementProfileInUse",
				 "Requirement profile %lld is overridden by %lld soft-requirement profile(s);"
				 " delete them first.",
				 (long long)id, (long long)children);
	if (store_requirement_detach_deleted_ads(c->store, id, err) < 0)
		return -1;
	return store_requirement_delete(c->store, id, err);
}

int requirements_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	if (caller_require_right(who, RIGHT_OBJECT_AD_ADVANCED, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, delete_rows(c, a, who, id, err));
	return 0;
}

/* ---- evaluation ---- */

static const char *const income_kind_names[INCOME_KIND_COUNT] = {
	"employment", "entrepreneur", "retired", "retired_disabled", "student", "parental_leave",
	"livingexpensesupplement", "housingsupplement", "housingsupport", "unemployed", "activitycompensation",
	"activitygrant", "careallowance", "maintenanceallowance", "maintenancesupport", "childallowance",
	"establishmentallowance", "establishmentsupplement", "childpension", "developmentallowance",
	"extracostallowance", "sickleave", "sickleaveallowance", "other",
};

const char *income_kind_name(enum income_kind kind)
{
	return (unsigned)kind < INCOME_KIND_COUNT ? income_kind_names[kind] : "other";
}

#define ALWAYS (-1)
#define NEVER (-2)

/*
 * Which profile flag lets a kind of income count: ALWAYS for earned income and
 * pensions, NEVER for "other" (nothing to verify it against).
 */
static const int income_kind_flag[INCOME_KIND_COUNT] = {
	[INCOME_EMPLOYMENT] = ALWAYS,
	[INCOME_ENTREPRENEUR] = ALWAYS,
	[INCOME_RETIRED] = ALWAYS,
	[INCOME_RETIRED_DISABLED] = ALWAYS,
	[INCOME_STUDENT] = REQ_INCOME_STUDENT,
	[INCOME_PARENTAL_LEAVE] = REQ_INCOME_PARENTAL_LEAVE,
	[INCOME_LIVING_EXPENSE_SUPPLEMENT] = REQ_INCOME_LIVING_EXPENSE_SUPPLEMENT,
	[INCOME_HOUSING_SUPPLEMENT] = REQ_INCOME_HOUSING_SUPPLEMENT,
	[INCOME_HOUSING_SUPPORT] = REQ_INCOME_HOUSING_SUPPORT,
	[INCOME_UNEMPLOYMENT_BENEFIT] = REQ_UNEMPLOYMENT_BENEFIT,
	[INCOME_ACTIVITY_COMPENSATION] = REQ_ACTIVITY_COMPENSATION,
	[INCOME_ACTIVITY_GRANT] = REQ_ACTIVITY_GRANT,
	[INCOME_CARE_ALLOWANCE] = REQ_CARE_ALLOWANCE,
	[INCOME_MAINTENANCE_ALLOWANCE] = REQ_MAINTENANCE_ALLOWANCE,
	[INCOME_MAINTENANCE_SUPPORT] = REQ_MAINTENANCE_SUPPORT,
	[INCOME_CHILD_ALLOWANCE] = REQ_CHILD_ALLOWANCE,
	[INCOME_ESTABLISHMENT_ALLOWANCE] = REQ_INCOME_ESTABLISHMENT_SUPPLEMENT,
	[INCOME_ESTABLISHMENT_SUPPLEMENT] = REQ_INCOME_ESTABLISHMENT_SUPPLEMENT,
	[INCOME_CHILD_PENSION] = REQ_INCOME_CHILD_PENSION,
	[INCOME_DEVELOPMENT_ALLOWANCE] = REQ_INCOME_DEVELOPMENT_ALLOWANCE,
	[INCOME_EXTRA_COST_ALLOWANCE] = REQ_INCOME_EXTRA_COST_ALLOWANCE,
	[INCOME_SICK_LEAVE] = REQ_INCOME_SICK_LEAVE,
	[INCOME_SICK_LEAVE_ALLOWANCE] = REQ_INCOME_SICK_LEAVE,
	[INCOME_OTHER] = NEVER,
};

static const char *const rule_names[REQUIREMENT_RULE_COUNT] = {
	"APPLICANT_GROUP_INCOME", "APPLICANT_GROUP_PAYMENT_REMARKS", "APPLICANT_GROUP_BANKRUPTCY",
	"APPLICANT_GROUP_OUTSTANDING_DEBT", "APPLICANT_GROUP_DEBT_SANITIZATION", "APPLICANT_GROUP_MOVE_FREQUENCY",
	"APPLICANT_GROUP_RESIDENT_COUNT", "APPLICANT_GROUP_REQUIRES_STUDENT", "APPLICANT_GROUP_REQUIRES_YOUTH",
	"APPLICANT_GROUP_REQUIRES_SENIOR", "EMPLOYMENT", "PETS", "SMOKING", "WARRANTOR_INCOME",
	"WARRANTOR_PAYMENT_REMARKS", "WARRANTOR_BANKRUPTCY", "WARRANTOR_OUTSTANDING_DEBT",
	"WARRANTOR_DEBT_SANITIZATION",
};

const char *requirement_rule_name(enum requirement_rule rule)
{
	return (unsigned)rule < REQUIREMENT_RULE_COUNT ? rule_names[rule] : "";
}

static void judge(struct requirement_verdict *v, enum requirement_rule rule, bool pass, int64_t is_value,
		  int64_t ought_value)
{
	v->rules[rule] = (struct rule_result){ pass ? REQ_PASS : REQ_FAIL, is_value, ought_value };
}

/* The applicants' income that the profile accepts, SEK per month. */
static int64_t counted_income(const struct requirement_fields *r, const struct applicant_facts *x)
{
	int64_t sum = 0;
	for (size_t i = 0; i < x->nincomes; i++) {
		unsigned kind = (unsigned)x->incomes[i].kind;
		int flag = kind < INCOME_KIND_COUNT ? income_kind_flag[kind] : NEVER;
		if (x->incomes[i].monthly > 0 && (flag == ALWAYS || (flag >= 0 && r->flag[flag])))
			sum += x->incomes[i].monthly;
	}
	return sum;
}

/* Rounded up to whole SEK: a requirement is never made easier by rounding. */
static int64_t sek_up(double v)
{
	return v <= 0 ? 0 : (int64_t)ceil(v - 1e-9);
}

/*
 * The income rule. RENT_FACTOR: is = counted income, ought = rent_factor × rent.
 * MONEY_AFTER_RENT: is = income − rent, ought = living_standard_factor × normal amount.
 */
static void income_rule(const struct requirement_fields *r, const struct applicant_facts *x,
			struct requirement_verdict *v)
{
	int64_t income = counted_income(r, x);

	if (r->money_after_rent) {
		int64_t left = income - x->rent;
		int64_t ought = sek_up(r->factor[REQ_LIVING_STANDARD_FACTOR] * (double)x->normal_amount);
		judge(v, REQ_RULE_INCOME, left >= ought, left, ought);
	} else if (r->factor[REQ_RENT_FACTOR] > 0) {
		int64_t ought = sek_up(r->factor[REQ_RENT_FACTOR] * (double)x->rent);
		judge(v, REQ_RULE_INCOME, income >= ought, income, ought);
	}
}

/* The credit rules of one person: applicants (first = REQ_RULE_PAYMENT_REMARKS) or the warrantor. */
static void credit_rules(const struct requirement_fields *r, const struct credit_facts *cr,
			 enum requirement_rule remarks, enum requirement_rule bankruptcy, enum requirement_rule debt,
			 enum requirement_rule sanitization, struct requirement_verdict *v)
{
	judge(v, remarks, cr->payment_remarks <= r->number[REQ_PAYMENT_REMARKS], cr->payment_remarks,
	      r->number[REQ_PAYMENT_REMARKS]);
	judge(v, bankruptcy, r->flag[REQ_BANKRUPTCY] || !cr->bankruptcy, cr->bankruptcy, r->flag[REQ_BANKRUPTCY]);
	judge(v, debt, r->flag[REQ_OUTSTANDING_DEBT] || !cr->outstanding_debt, cr->outstanding_debt,
	      r->flag[REQ_OUTSTANDING_DEBT]);
	judge(v, sanitization, r->flag[REQ_DEBT_SANITIZATION] || !cr->debt_sanitization, cr->debt_sanitization,
	      r->flag[REQ_DEBT_SANITIZATION]);
}

/* Who the applicants are: age groups, studies, employment, household, pets, smoking, moves. */
static void person_rules(const struct requirement_fields *r, const struct applicant_facts *x,
			 struct requirement_verdict *v)
{
	if (r->flag[REQ_STUDENT])
		judge(v, REQ_RULE_REQUIRES_STUDENT, x->is_student, x->is_student, 1);
	if (r->flag[REQ_YOUTH])
		judge(v, REQ_RULE_REQUIRES_YOUTH, x->age <= r->number[REQ_YOUTH_AGE], x->age, r->number[REQ_YOUTH_AGE]);
	if (r->flag[REQ_SENIOR])
		judge(v, REQ_RULE_REQUIRES_SENIOR, x->age >= r->number[REQ_SENIOR_AGE], x->age,
		      r->number[REQ_SENIOR_AGE]);
	if (r->flag[REQ_EMPLOYMENT_PERMANENT] || r->flag[REQ_EMPLOYMENT_TEMPORARY]) {
		bool ok = x->occupation == OCCUPATION_PERMANENT ||
			  (r->flag[REQ_EMPLOYMENT_TEMPORARY] && x->occupation == OCCUPATION_TEMPORARY);
		judge(v, REQ_RULE_EMPLOYMENT, ok, x->occupation, r->flag[REQ_EMPLOYMENT_PERMANENT] ? 1 : 2);
	}
	if (r->number[REQ_EXTRA_RESIDENTS] > 0) {
		int64_t extra = x->household_size - (x->applicants > 0 ? x->applicants : 1);
		judge(v, REQ_RULE_RESIDENT_COUNT, extra <= r->number[REQ_EXTRA_RESIDENTS], extra,
		      r->number[REQ_EXTRA_RESIDENTS]);
	}
	if (r->number[REQ_MOVE_FREQUENCY] > 0)
		judge(v, REQ_RULE_MOVE_FREQUENCY, x->moves <= r->number[REQ_MOVE_FREQUENCY], x->moves,
		      r->number[REQ_MOVE_FREQUENCY]);
	judge(v, REQ_RULE_PETS, r->flag[REQ_PETS] || !x->pets, x->pets, r->flag[REQ_PETS]);
	judge(v, REQ_RULE_SMOKING, r->flag[REQ_SMOKING] || !x->smoking, x->smoking, r->flag[REQ_SMOKING]);
}

/* A warrantor stands in for a failed income rule when allowed, and must pass the credit rules. */
static void warrantor_rules(const struct requirement_fields *r, const struct applicant_facts *x,
			    struct requirement_verdict *v)
{
	int64_t ought;

	if (v->rules[REQ_RULE_INCOME].outcome != REQ_FAIL || !r->flag[REQ_WARRANTOR] || !x->has_warrantor)
		return;
	ought = sek_up(r->factor[REQ_WARRANTOR_RENT_FACTOR] * (double)x->rent);
	judge(v, REQ_RULE_WARRANTOR_INCOME, x->warrantor_income >= ought, x->warrantor_income, ought);
	credit_rules(r, &x->warrantor_credit, REQ_RULE_WARRANTOR_PAYMENT_REMARKS, REQ_RULE_WARRANTOR_BANKRUPTCY,
		     REQ_RULE_WARRANTOR_OUTSTANDING_DEBT, REQ_RULE_WARRANTOR_DEBT_SANITIZATION, v);
	if (v->rules[REQ_RULE_WARRANTOR_INCOME].outcome == REQ_PASS &&
	    v->rules[REQ_RULE_WARRANTOR_PAYMENT_REMARKS].outcome == REQ_PASS &&
	    v->rules[REQ_RULE_WARRANTOR_BANKRUPTCY].outcome == REQ_PASS &&
	    v->rules[REQ_RULE_WARRANTOR_OUTSTANDING_DEBT].outcome == REQ_PASS &&
	    v->rules[REQ_RULE_WARRANTOR_DEBT_SANITIZATION].outcome == REQ_PASS)
		v->rules[REQ_RULE_INCOME].outcome = REQ_PASS; /* the warrantor carries the income rule */
}

void requirements_evaluate(const struct requirement_fields *rules, const struct applicant_facts *facts,
			   struct requirement_verdict *out)
{
	memset(out, 0, sizeof(*out));
	income_rule(rules, facts, out);
	credit_rules(rules, &facts->credit, REQ_RULE_PAYMENT_REMARKS, REQ_RULE_BANKRUPTCY, REQ_RULE_OUTSTANDING_DEBT,
		     REQ_RULE_DEBT_SANITIZATION, out);
	person_rules(rules, facts, out);
	warrantor_rules(rules, facts, out);
	out->approved = true;
	for (int i = 0; i < REQUIREMENT_RULE_COUNT; i++) {
		/* a warrantor's failed rule only means the warrantor could not help */
		if (i >= REQ_RULE_WARRANTOR_INCOME)
			break;
		if (out->rules[i].outcome == REQ_FAIL)
			out->approved = false;
	}
}
