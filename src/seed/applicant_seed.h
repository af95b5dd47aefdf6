/*
 * applicant_seed.h — `rentd seed --applicants N`: applicants for tests and benchmarks, and
 * the demo's applicants.
 *
 * Each applicant is made by applicant_create_direct() (core/market/applicants.h), the same
 * rules as registration, in transactions of APPLICANT_SEED_BATCH: a Swedish first and last
 * name, a personal number with a valid check digit (born 1945–2007), an occupation with a
 * matching gross income (employed 24–68 kSEK a month, students on study grants, pensioners,
 * …), a household (a co-applicant for about a quarter, children), current accommodation,
 * pets and smoking at Swedish-looking rates. Queues: residential for most, parking for a
 * quarter, student / senior / youth where the applicant qualifies, each joined on a day
 * spread evenly over the last 15 years (never before the applicant turned 18), so queue
 * points range from 0 to about 5,500.
 *
 * Every seeded applicant signs in with the e-mail printed in the result pattern and the
 * password APPLICANT_SEED_PASSWORD (hashed once per run).
 */
#ifndef RENTD_APPLICANT_SEED_H
#define RENTD_APPLICANT_SEED_H

#include "core/core.h"

#define APPLICANT_SEED_MAX 2000000
#define APPLICANT_SEED_BATCH 2000
#define APPLICANT_SEED_PASSWORD "applicant-seed"
#define APPLICANT_SEED_YEARS 15

struct applicant_seed_result {
	int64_t applicants;
	int64_t memberships;
	char first_email[160]; /* the first applicant made, to sign in with */
};

/* password_hash: the argon2id hash every applicant gets (of APPLICANT_SEED_PASSWORD). */
int applicant_seed(struct core *c, int64_t n, struct str password_hash, struct applicant_seed_result *out,
		   struct error *err);

/* The demo's applicants (demo_users[] rows of kind DEMO_APPLICANT): fixed people, queues. */
struct demo_applicant {
	const char *email;
	const char *first_name, *last_name, *personal_number, *occupation;
	int64_t gross_income;
	const char *queues[3];
	int years_in_queue; /* joined this many years ago */
};
extern const struct demo_applicant demo_applicants[];
extern const size_t demo_applicants_count;
/* Creates demo_applicants[i] with password hash hash. */
int demo_applicant_create(struct core *c, struct arena *a, size_t i, struct str hash, struct error *err);

#endif
