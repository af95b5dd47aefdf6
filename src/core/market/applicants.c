/* The market's applicants (applicants.h). */
#include "core/market/applicants.h"

#include <stdio.h>
#include <string.h>

#include "core/listings/listings.h"
#include "core/transaction.h"

const struct queue_type applicant_queue_types[APPLICANT_QUEUE_COUNT] = {
	{ "residential", "Bostad", "Kö till lägenheter.", APPLICANT_MIN_AGE, 0, false },
	{ "student", "Student", "Kö till studentbostäder; för dig som studerar.", APPLICANT_MIN_AGE, 0, true },
	{ "senior", "Senior", "Kö till seniorbostäder; från 55 år.", 55, 0, false },
	{ "youth", "Ungdom", "Kö till ungdomsbostäder; 18–25 år.", APPLICANT_MIN_AGE, 25, false },
	{ "parking", "Fordonsplats", "Kö till parkeringsplatser och garage.", APPLICANT_MIN_AGE, 0, false },
};

const char *const applicant_income_sources[] = { "", "employment_permanent", "employment_temporary",
						 "self_employed", "student", "pension", "unemployment_benefit",
						 "activity_compensation", "sick_leave", "parental_leave", "other",
						 NULL };
const char *const applicant_occupations[] = { "", "employed", "self_employed", "student", "retired",
					      "unemployed", "parental_leave", "sick_leave", "other", NULL };
const char *const applicant_accommodations[] = { "", "rental", "sublet", "owned_apartment", "owned_house",
						 "lodger", "with_parents", "student_housing", "other", NULL };

const struct queue_type *applicant_queue_type(struct str id)
{
	for (size_t i = 0; i < APPLICANT_QUEUE_COUNT; i++)
		if (str_eq_cstr(id, applicant_queue_types[i].id))
			return &applicant_queue_types[i];
	return NULL;
}

/* ---- dates ---- */

static int digits(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* A real calendar date YYYY-MM-DD (1900–2999); y, m, d out. */
static int parse_date(struct str s, int *y, int *m, int *d)
{
	if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-')
		return -1;
	*y = digits(s.ptr, 4);
	*m = digits(s.ptr + 5, 2);
	*d = digits(s.ptr + 8, 2);
	if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int applicant_age(struct str birth_date, int64_t now)
{
	int y, m, d, ty, tm, td, age;
	char today[11];

	if (parse_date(birth_date, &y, &m, &d) < 0)
		return -1;
	listings_day_of(now, today);
	if (parse_date((struct str){ today, 10 }, &ty, &tm, &td) < 0)
		return -1;
	age = ty - y - ((tm < m || (tm == m && td < d)) ? 1 : 0);
	return age < 0 ? -1 : age;
}

int applicant_year(int64_t now)
{
	char today[11];
	listings_day_of(now, today);
	return digits(today, 4);
}

int applicant_children_years(struct str list, int *years)
{
	size_t i = 0;
	int n = 0;

	while (i < list.len) {
		if (n == APPLICANT_CHILDREN_MAX || i + 4 > list.len)
			return -1;
		years[n] = digits(list.ptr + i, 4);
		if (years[n] < 0)
			return -1;
		n++;
		i += 4;
		if (i < list.len && (list.ptr[i] != ',' || ++i == list.len))
			return -1;
	}
	return n;
}

/* Days since 1970-01-01 of the Stockholm calendar date of t. */
static int64_t stockholm_day(int64_t t)
{
	int64_t s = t + listings_stockholm_offset(t);
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

int64_t applicant_points(int64_t joined_at, int64_t now)
{
	int64_t p = stockholm_day(now) - stockholm_day(joined_at);
	return p > 0 ? p : 0;
}

int64_t applicant_valid_to(const struct applicant *ap)
{
	return ap->profile.last_active_at + (int64_t)APPLICANT_VALID_DAYS * 86400;
}

int64_t applicant_delete_after(const struct applicant *ap)
{
	return applicant_valid_to(ap) + (int64_t)APPLICANT_DELETE_DAYS * 86400;
}

const struct queue_membership *applicant_membership(const struct applicant *ap, const char *queue_type)
{
	for (size_t i = 0; i < ap->nqueues; i++)
		if (str_eq_cstr(ap->queues[i].queue_type, queue_type))
			return &ap->queues[i];
	return NULL;
}

const struct applicant_block *applicant_block_for(const struct applicant *ap, const char *queue_type)
{
	for (size_t i = 0; i < ap->nblocks; i++)
		if (!ap->blocks[i].queue_type.ptr || str_eq_cstr(ap->blocks[i].queue_type, queue_type))
			return &ap->blocks[i];
	return NULL;
}

/* ---- validation ---- */

/*
 * A Swedish personal number: YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDD-NNNN or YYMMDDNNNN (a
 * two-digit year is the latest year not after now's; YYMMDD+NNNN a century before that), a
 * real date, Luhn over the last ten digits. Normalised to 12 digits in out (13 bytes); its date into birth (11 bytes).
 */
static int personal_number(struct str s, int64_t now, char out[13], char birth[11])
{
	char d[12];
	size_t n = 0;
	int sum = 0, y, m, day;
	bool centenarian = false; /* YYMMDD+NNNN: born more than 100 years ago */

	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] >= '0' && s.ptr[i] <= '9') {
			if (n == 12)
				return -1;
			d[n++] = s.ptr[i];
		} else if ((s.ptr[i] == '-' || s.ptr[i] == '+') && i == s.len - 5) {
			centenarian = s.ptr[i] == '+';
		} else {
			return -1;
		}
	}
	if (n == 10) {
		char today[11];
		int cy, yy = digits(d, 2), century;
		listings_day_of(now, today);
		cy = digits(today, 4);
		century = cy / 100;
		if (century * 100 + yy > cy)
			century--;
		if (centenarian)
			century--;
		memmove(d + 2, d, 10);
		d[0] = (char)('0' + century / 10);
		d[1] = (char)('0' + century % 10);
		n = 12;
	}
	if (n != 12 || (centenarian && s.len != 11))
		return -1;
	snprintf(birth, 11, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
	if (parse_date((struct str){ birth, 10 }, &y, &m, &day) < 0)
		return -1;
	for (int i = 0; i < 10; i++) {
		int v = (d[2 + i] - '0') * (i % 2 == 0 ? 2 : 1);
		sum += v > 9 ? v - 9 : v;
	}
	if (sum % 10 != 0)
		return -1;
	memcpy(out, d, 12);
	out[12] = '\0';
	return 0;
}

static bool in_set(struct str v, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (str_eq_cstr(v, set[i]))
			return true;
	return false;
}

static void validate_credit(const struct applicant_credit *c, const char *prefix, struct error *err)
{
	if (c->payment_remarks < 0 || c->payment_remarks > APPLICANT_PAYMENT_REMARKS_MAX)
		error_field(err, prefix, RULE_RANGE, "must be 0 to %d", APPLICANT_PAYMENT_REMARKS_MAX);
}

/* The screening's members (migration 0022): credit, moves, the children's birth years, warrantor. */
static void validate_screening(const struct applicant_profile *p, int64_t now, struct error *err)
{
	int years[APPLICANT_CHILDREN_MAX], n, this_year = applicant_year(now);

	validate_credit(&p->credit, "credit.paymentRemarks", err);
	validate_credit(&p->co_applicant_credit, "household.coApplicant.credit.paymentRemarks", err);
	validate_credit(&p->warrantor_credit, "warrantor.credit.paymentRemarks", err);
	if (p->moves < 0 || p->moves > APPLICANT_MOVES_MAX)
		error_field(err, "moves", RULE_RANGE, "must be 0 to %d", APPLICANT_MOVES_MAX);
	if (p->warrantor_income < 0 || p->warrantor_income > APPLICANT_INCOME_MAX)
		error_field(err, "warrantor.income", RULE_RANGE, "must be 0 to %d", APPLICANT_INCOME_MAX);
	if (!in_set(p->income_source, applicant_income_sources))
		error_field(err, "income.source", RULE_ENUM, "is not an income source");
	if (!in_set(p->occupation, applicant_occupations))
		error_field(err, "occupation", RULE_ENUM, "is not an occupation");
	if (!in_set(p->co_applicant_income_source, applicant_income_sources))
		error_field(err, "household.coApplicant.incomeSource", RULE_ENUM, "is not an income source");
	if (!in_set(p->co_applicant_occupation, applicant_occupations))
		error_field(err, "household.coApplicant.occupation", RULE_ENUM, "is not an occupation");
	if (!p->children_birth_years.len)
		return;
	n = applicant_children_years(p->children_birth_years, years);
	if (n < 0) {
		error_field(err, "household.childrenBirthYears", RULE_FORMAT, "must be a list of years");
		return;
	}
	for (int i = 0; i < n; i++) {
		if (years[i] > this_year || years[i] < this_year - APPLICANT_CHILD_MAX_AGE) {
			error_field(err, "household.childrenBirthYears", RULE_RANGE, "each year must be %d to %d",
				    this_year - APPLICANT_CHILD_MAX_AGE, this_year);
			return;
		}
	}
	if (n != p->children)
		error_field(err, "household.childrenBirthYears", RULE_RANGE,
			    "must list one birth year per child (household.children is %lld)", (long long)p->children);
}

/* Field errors for f (registration when full: every required member must be there). */
static int validate(struct arena *a, struct applicant_fields *f, int64_t now, struct error *err)
{
	struct applicant_profile *p = &f->profile;
	int age;

	if (!f->email.len || !memchr(f->email.ptr, '@', f->email.len) || f->email.ptr[0] == '@' ||
	    f->email.ptr[f->email.len - 1] == '@')
		error_field(err, "email", RULE_FORMAT, "must be an e-mail address");
	if (!f->first_name.len)
		error_field(err, "firstName", RULE_REQUIRED, "must not be empty");
	if (!f->last_name.len)
		error_field(err, "lastName", RULE_REQUIRED, "must not be empty");
	if (f->personal_number.len) {
		char pn[13], birth[11];
		if (personal_number(f->personal_number, now, pn, birth) < 0) {
			error_field(err, "personalNumber", RULE_FORMAT,
				    "must be a Swedish personal number (YYYYMMDD-NNNN) with a valid check digit");
		} else {
			if (p->birth_date.len && !str_eq_cstr(p->birth_date, birth))
				error_field(err, "birthDate", RULE_FORMAT, "must be the date of the personal number");
			f->personal_number = (struct str){ arena_strdup_str(a, (struct str){ pn, 12 }), 12 };
			p->birth_date = (struct str){ arena_strdup_str(a, (struct str){ birth, 10 }), 10 };
		}
	}
	if (!p->birth_date.len && !f->personal_number.len) {
		error_field(err, "birthDate", RULE_REQUIRED, "a birth date or a personal number is required");
	} else if (p->birth_date.len) {
		int y, m, d;
		age = applicant_age(p->birth_date, now);
		if (parse_date(p->birth_date, &y, &m, &d) < 0 || age < 0)
			error_field(err, "birthDate", RULE_FORMAT, "must be a past date, YYYY-MM-DD");
		else if (age < APPLICANT_MIN_AGE)
			error_field(err, "birthDate", RULE_RANGE, "applicants must be at least %d years old",
				    APPLICANT_MIN_AGE);
		else if (age > 130)
			error_field(err, "birthDate", RULE_RANGE, "must be a plausible birth date");
	}
	if (p->co_applicant_birth_date.len) {
		int y, m, d;
		if (parse_date(p->co_applicant_birth_date, &y, &m, &d) < 0 ||
		    applicant_age(p->co_applicant_birth_date, now) < 0)
			error_field(err, "household.coApplicant.birthDate", RULE_FORMAT, "must be a past date, YYYY-MM-DD");
	}
	if (!p->co_applicant_name.len &&
	    (p->co_applicant_birth_date.len || p->co_applicant_income || p->co_applicant_income_source.len ||
	     p->co_applicant_occupation.len || p->co_applicant_credit.payment_remarks ||
	     p->co_applicant_credit.bankruptcy || p->co_applicant_credit.outstanding_debt ||
	     p->co_applicant_credit.debt_sanitization))
		error_field(err, "household.coApplicant.name", RULE_REQUIRED, "a co-applicant needs a name");
	if (p->co_applicant_name.len && p->adults < 2)
		error_field(err, "household.adults", RULE_RANGE, "a household with a co-applicant has at least 2 adults");
	validate_screening(p, now, err);
	return error_failed(err) ? -1 : 0;
}

static struct str copy(struct arena *a, struct str s)
{
	return s.ptr ? arena_str_copy(a, s) : STR_LIT("");
}

static void copy_fields(struct arena *a, struct applicant_fields *f)
{
	struct applicant_profile *p = &f->profile;
	f->email = copy(a, str_trim(f->email));
	f->first_name = copy(a, str_trim(f->first_name));
	f->last_name = copy(a, str_trim(f->last_name));
	f->phone = copy(a, str_trim(f->phone));
	f->personal_number = copy(a, str_trim(f->personal_number));
	p->birth_date = copy(a, p->birth_date);
	p->income_source = copy(a, p->income_source);
	p->occupation = copy(a, p->occupation);
	p->co_applicant_name = copy(a, str_trim(p->co_applicant_name));
	p->co_applicant_birth_date = copy(a, p->co_applicant_birth_date);
	p->accommodation = copy(a, p->accommodation);
	p->children_birth_years = copy(a, p->children_birth_years);
	p->co_applicant_income_source = copy(a, p->co_applicant_income_source);
	p->co_applicant_occupation = copy(a, p->co_applicant_occupation);
	if (p->adults < 1)
		p->adults = 1;
	if (!p->has_warrantor) {
		p->warrantor_income = 0;
		memset(&p->warrantor_credit, 0, sizeof(p->warrantor_credit));
	}
}

/* ---- registration ---- */

static void hash_password(struct workpool_job *job)
{
	struct applicant_registration *r = (struct applicant_registration *)job;
	r->hash_rc = password_hash(r->password, r->hash);
}

int applicant_register_begin(struct core *c, struct arena *a, struct applicant_registration *r,
			     struct error *err)
{
	(void)c;
	copy_fields(a, &r->f);
	r->password = copy(a, r->password);
	if (r->password.len < APPLICANT_PASSWORD_MIN)
		error_field(err, "password", RULE_LENGTH, "must be at least %d characters", APPLICANT_PASSWORD_MIN);
	if (validate(a, &r->f, core_now(), err) < 0 || error_failed(err))
		return -1;
	r->job.run = hash_password;
	return 0;
}

static int insert_applicant(struct core *c, const struct applicant_fields *f, struct str hash,
			    const char *const *queues, const int64_t *joined_at, size_t nqueues, int64_t now,
			    int64_t *user_id, struct error *err)
{
	struct user_insert u;
	struct applicant_profile p = f->profile;

	memset(&u, 0, sizeof(u));
	u.kind = USER_CONSUMER;
	u.username = f->email;
	u.email = f->email;
	u.password_hash = hash;
	u.first_name = f->first_name;
	u.last_name = f->last_name;
	u.personal_number = f->personal_number;
	u.phone = f->phone;
	if (store_user_insert(c->store, &u, user_id, err) < 0) {
		if (err->kind == ERROR_CONFLICT) {
			error_forget(err);
			return error_field(err, "email", RULE_UNIQUE, "an account with this e-mail address exists");
		}
		return -1;
	}
	p.user_id = *user_id;
	p.created_at = p.updated_at = p.last_active_at = now;
	if (store_applicant_insert(c->store, &p, err) < 0)
		return -1;
	for (size_t i = 0; i < nqueues; i++) {
		int64_t id;
		if (store_queue_join(c->store, *user_id, str_from_cstr(queues[i]), joined_at[i], &id, err) < 0)
			return -1;
	}
	return 0;
}

int applicant_register_finish(struct core *c, struct arena *a, struct applicant_registration *r, int64_t *user_id,
			      struct error *err)
{
	(void)a;
	if (r->hash_rc < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "password hashing failed");
	IN_TRANSACTION(c, err,
		       insert_applicant(c, &r->f, str_from_cstr(r->hash), NULL, NULL, 0, core_now(), user_id, err));
	return 0;
}

int applicant_create_direct(struct core *c, struct arena *a, const struct applicant_fields *in, struct str hash,
			    const char *const *queues, const int64_t *joined_at, size_t nqueues, int64_t *user_id,
			    struct error *err)
{
	struct applicant_fields f = *in;
	copy_fields(a, &f);
	if (validate(a, &f, core_now(), err) < 0)
		return -1;
	for (size_t i = 0; i < nqueues; i++)
		if (!applicant_queue_type(str_from_cstr(queues[i])))
			return error_set(err, ERROR_VALIDATION, NULL, "unknown queue %s", queues[i]);
	/* the caller may hold a transaction (bulk seeding): no transaction of our own here */
	return insert_applicant(c, &f, hash, queues, joined_at, nqueues, core_now(), user_id, err);
}

/* ---- sign-in, sign-out, load ---- */

int applicant_sign_in_finish(struct core *c, struct arena *a, struct login *l, struct str *token,
			     struct str *refresh, struct error *err)
{
	struct caller who;
	struct applicant_profile p;
	int64_t gen = 0;

	if (login_finish(c, a, l, &who, token, err) < 0)
		return -1;
	if (store_applicant_get(c->store, a, who.user.id, &p, err) == 0) {
		gen = p.token_generation;
		IN_TRANSACTION(c, err, store_applicant_touch(c->store, who.user.id, core_now(), err));
	} else if (err->kind == ERROR_NOT_FOUND) {
		error_forget(err); /* a consumer who is not (yet) a registered applicant */
	} else {
		return -1;
	}
	*token = auth_issue_applicant(c, a, &who.user, gen, false);
	if (refresh)
		*refresh = auth_issue_applicant(c, a, &who.user, gen, true);
	return 0;
}

int applicant_refresh(struct core *c, struct arena *a, struct str refresh_token, struct str *token,
		      struct str *refresh, struct error *err)
{
	struct jwt_claims cl;
	struct applicant ap;

	if (jwt_verify(c->secrets.jwt, refresh_token, core_now(), &cl) != JWT_OK || cl.typ != JWT_APPLICANT_REFRESH)
		return error_set(err, ERROR_UNAUTHORIZED, "Unauthorized", "The refresh token is not valid.");
	if (applicant_get(c, a, cl.sub, &ap, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return error_set(err, ERROR_UNAUTHORIZED, "Unauthorized", "The refresh token is not valid.");
	}
	if (cl.generation != (ap.registered ? ap.profile.token_generation : 0))
		return error_set(err, ERROR_UNAUTHORIZED, "Unauthorized", "The refresh token is no longer valid (signed out).");
	if (ap.registered)
		IN_TRANSACTION(c, err, store_applicant_touch(c->store, ap.user.id, core_now(), err));
	*token = auth_issue_applicant(c, a, &ap.user, cl.generation, false);
	*refresh = auth_issue_applicant(c, a, &ap.user, cl.generation, true);
	return 0;
}

int applicant_sign_out(struct core *c, const struct caller *who, struct error *err)
{
	IN_TRANSACTION(c, err, store_applicant_sign_out(c->store, who->user.id, core_now(), err));
	return 0;
}

/* Profile, queues and blocks of out->user (registered false without a profile). */
static int load_rest(struct core *c, struct arena *a, struct applicant *out, struct error *err)
{
	out->now = core_now();
	if (store_applicant_get(c->store, a, out->user.id, &out->profile, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return 0;
	}
	out->registered = true;
	if (store_queue_memberships(c->store, a, out->user.id, &out->queues, &out->nqueues, err) < 0 ||
	    store_blocks_active(c->store, a, out->user.id, out->now, &out->blocks, &out->nblocks, err) < 0)
		return -1;
	return 0;
}

int applicant_get(struct core *c, struct arena *a, int64_t user_id, struct applicant *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (store_user_get(c->store, a, user_id, &out->user, err) < 0)
		return -1;
	if (out->user.kind != USER_CONSUMER)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such applicant");
	return load_rest(c, a, out, err);
}

int applicant_issue_token(struct core *c, struct arena *a, int64_t user_id, struct str *token, struct error *err)
{
	struct applicant ap;
	if (applicant_get(c, a, user_id, &ap, err) < 0)
		return -1;
	if (!ap.registered)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such applicant");
	*token = auth_issue_applicant(c, a, &ap.user, ap.profile.token_generation, false);
	return 0;
}

int applicant_load(struct core *c, struct arena *a, const struct caller *who, struct applicant *out,
		   struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->user = who->user;
	if (load_rest(c, a, out, err) < 0)
		return -1;
	if (who->token_generation != (out->registered ? out->profile.token_generation : 0))
		return error_set(err, ERROR_UNAUTHORIZED, "Unauthorized", "The token is no longer valid (signed out).");
	if (!out->registered)
		return 0;
	if (out->now - out->profile.last_active_at >= APPLICANT_TOUCH_SECONDS) {
		IN_TRANSACTION(c, err, store_applicant_touch(c->store, who->user.id, out->now, err));
		out->profile.last_active_at = out->now;
	}
	return 0;
}

/* ---- profile ---- */

static int update_applicant(struct core *c, const struct applicant *cur, const struct applicant_fields *f,
			    int64_t now, struct error *err)
{
	struct user u = cur->user;
	struct applicant_profile p = f->profile;

	u.first_name = f->first_name;
	u.last_name = f->last_name;
	u.phone = f->phone;
	u.personal_number = f->personal_number;
	if (store_user_update(c->store, &u, err) < 0)
		return -1;
	p.user_id = cur->user.id;
	p.last_active_at = now;
	p.updated_at = now;
	return store_applicant_update(c->store, &p, err);
}

int applicant_update(struct core *c, struct arena *a, const struct applicant *cur, const struct applicant_fields *in,
		     struct error *err)
{
	struct applicant_fields f = *in;
	int64_t now = core_now();

	if (!cur->registered)
		return error_set(err, ERROR_FORBIDDEN, "NotRegistered", "You are not a registered applicant.");
	copy_fields(a, &f);
	f.email = cur->user.email; /* the e-mail is the sign-in identifier: not editable here */
	if (validate(a, &f, now, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, update_applicant(c, cur, &f, now, err));
	return 0;
}

/* ---- queues ---- */

const char *applicant_check_name(enum queue_check t)
{
	switch (t) {
	case QCHECK_APPLICANT: return "applicant";
	case QCHECK_JOIN: return "join";
	case QCHECK_LEAVE: return "leave";
	case QCHECK_AGE: return "age";
	case QCHECK_STUDENT: return "student";
	case QCHECK_BLOCK: return "block";
	}
	return "unknown";
}

static void add(struct queue_command *cmd, enum queue_check t, bool passed, const char *message)
{
	struct queue_check_item *it = &cmd->items[cmd->nitems++];
	it->type = t;
	it->passed = passed;
	it->message = message;
	cmd->passed = cmd->passed && passed;
}

void applicant_queue_command(struct arena *a, const struct applicant *ap, const struct queue_type *q, bool leave,
			     enum lang lang, struct queue_command *cmd)
{
	bool member = applicant_membership(ap, q->id) != NULL;

	memset(cmd, 0, sizeof(*cmd));
	cmd->leave = leave;
	cmd->passed = true;
	add(cmd, QCHECK_APPLICANT, ap->registered,
	    ap->registered ? NULL : LANG_TEXT(lang, "Du är inte registrerad som sökande", "You are not registered as an applicant"));
	if (leave) {
		add(cmd, QCHECK_LEAVE, member, member ? NULL : LANG_TEXT(lang, "Du står inte i denna kö", "You are not in this queue"));
		return;
	}
	add(cmd, QCHECK_JOIN, !member, member ? LANG_TEXT(lang, "Du står redan i denna kö", "You are already in this queue") : NULL);
	if (q->min_age > APPLICANT_MIN_AGE || q->max_age) {
		int age = applicant_age(ap->profile.birth_date, ap->now);
		bool ok = age >= q->min_age && (!q->max_age || age <= q->max_age);
		add(cmd, QCHECK_AGE, ok,
		    ok ? NULL
		       : q->max_age ? arena_printf(a, LANG_TEXT(lang, "Kön är för dig som är %d–%d år", "The queue is for ages %d–%d"),
						   q->min_age, q->max_age)
				    : arena_printf(a, LANG_TEXT(lang, "Kön är för dig som är minst %d år",
								"The queue is for ages %d and over"),
						   q->min_age));
	}
	if (q->students_only) {
		bool ok = str_eq_cstr(ap->profile.occupation, "student");
		add(cmd, QCHECK_STUDENT, ok, ok ? NULL : LANG_TEXT(lang, "Kön är för dig som studerar", "The queue is for students"));
	}
	{
		const struct applicant_block *b = applicant_block_for(ap, q->id);
		add(cmd, QCHECK_BLOCK, !b, b ? LANG_TEXT(lang, "Du är spärrad från denna kö", "You are blocked from this queue") : NULL);
	}
}

int applicant_queue_run(struct core *c, struct arena *a, struct applicant *ap, const struct queue_type *q, bool leave,
			enum lang lang, struct queue_command *cmd, struct error *err)
{
	bool only_membership = true;
	int64_t now = core_now();

	applicant_queue_command(a, ap, q, leave, lang, cmd);
	if (!cmd->passed) {
		for (size_t i = 0; i < cmd->nitems; i++)
			if (!cmd->items[i].passed && cmd->items[i].type != QCHECK_JOIN && cmd->items[i].type != QCHECK_LEAVE)
				only_membership = false;
		if (only_membership)
			return error_set(err, ERROR_CONFLICT, leave ? "NotMember" : "AlreadyMember",
					 leave ? "You are not in this queue." : "You are already in this queue.");
		return error_set(err, ERROR_FORBIDDEN, "NotEligible", "You cannot %s this queue.",
				 leave ? "leave" : "join");
	}
	if (leave) {
		bool left;
		IN_TRANSACTION(c, err, store_queue_leave(c->store, ap->user.id, str_from_cstr(q->id), now, &left, err) < 0 ||
						       store_applicant_touch(c->store, ap->user.id, now, err) < 0 ? -1 : 0);
		if (!left)
			return error_set(err, ERROR_CONFLICT, "NotMember", "You are not in this queue.");
	} else {
		int64_t id;
		IN_TRANSACTION(c, err, store_queue_join(c->store, ap->user.id, str_from_cstr(q->id), now, &id, err) < 0 ||
						       store_applicant_touch(c->store, ap->user.id, now, err) < 0 ? -1 : 0);
	}
	ap->profile.last_active_at = now;
	return store_queue_memberships(c->store, a, ap->user.id, &ap->queues, &ap->nqueues, err);
}

int applicant_block(struct core *c, int64_t user_id, const char *queue_type, struct str display_name,
		    struct str description, int64_t blocked_until, struct error *err)
{
	struct applicant_block b;
	int64_t id;

	if (queue_type && !applicant_queue_type(str_from_cstr(queue_type)))
		return error_set(err, ERROR_VALIDATION, NULL, "unknown queue %s", queue_type);
	memset(&b, 0, sizeof(b));
	b.user_id = user_id;
	b.queue_type = queue_type ? str_from_cstr(queue_type) : STR_NULL;
	b.display_name = display_name;
	b.description = description;
	b.blocked_until = blocked_until;
	IN_TRANSACTION(c, err, store_block_insert(c->store, &b, core_now(), &id, err));
	return 0;
}
