/* Generated applicants (applicant_seed.h). */
#include "seed/applicant_seed.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/market/applicants.h"

static const char *const first_names[] = {
	"Anna", "Eva", "Maria", "Karin", "Sara", "Christina", "Lena", "Emma", "Kerstin", "Ingrid", "Marie",
	"Malin", "Jenny", "Hanna", "Linnéa", "Elin", "Ida", "Sofia", "Julia", "Astrid", "Maja", "Alva",
	"Lars", "Mikael", "Anders", "Johan", "Erik", "Per", "Karl", "Peter", "Thomas", "Jan", "Daniel",
	"Fredrik", "Hans", "Andreas", "Stefan", "Mohamed", "Oskar", "Viktor", "Elias", "Lucas", "Björn",
	"Åsa", "Göran", "Sven", "Nils", "Olof", "Ali", "Amir", "Fatima", "Leila",
};
static const char *const last_names[] = {
	"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
	"Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
	"Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Berg",
	"Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
	"Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund",
	"Danielsson", "Håkansson", "Lundin", "Björk", "Bergman", "Holm", "Samuelsson", "Fransson", "Nyström",
	"Ahmed", "Hassan", "Ali", "Mohammadi", "Nguyen", "Kaya", "Virtanen",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static int64_t between(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next(s) % (uint64_t)(hi - lo + 1));
}

/* a-z, å/ä → a, ö → o, é → e, anything else dropped: the local part of an e-mail address */
static void ascii_lower(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && n + 1 < cap; p++) {
		char c = 0;
		if (*p >= 'A' && *p <= 'Z')
			c = (char)(*p - 'A' + 'a');
		else if (*p >= 'a' && *p <= 'z')
			c = (char)*p;
		else if (*p == 0xc3 && p[1]) {
			unsigned char d = p[1];
			p++;
			c = (d == 0xa5 || d == 0xa4 || d == 0x85 || d == 0x84) ? 'a'
			    : (d == 0xb6 || d == 0x96) ? 'o' : (d == 0xa9 || d == 0x89) ? 'e' : 0;
		}
		if (c)
			out[n++] = c;
	}
	out[n] = '\0';
}

/* YYYYMMDDNNNC with a valid Luhn check digit C over the last ten digits. */
static void make_personal_number(int y, int m, int d, int serial, char out[13])
{
	int sum = 0;
	snprintf(out, 13, "%04u%02u%02u%03u0", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u,
		 (unsigned)serial % 1000u);
	for (int i = 0; i < 9; i++) {
		int v = (out[2 + i] - '0') * (i % 2 == 0 ? 2 : 1);
		sum += v > 9 ? v - 9 : v;
	}
	out[11] = (char)('0' + (10 - sum % 10) % 10);
}

static int64_t epoch_of(int y, int m, int d)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	return (int64_t)timegm(&tm);
}

struct person {
	struct applicant_fields f;
	char email[160], pn[13], years[APPLICANT_CHILDREN_MAX * 5 + 1];
	const char *queues[4];
	int64_t joined[4];
	size_t nqueues;
};

/*
 * Self-declared credit and moves, roughly as Sweden's population has them: most are clean;
 * some 5 % have payment remarks (1–6), 2 % debts with Kronofogden (most of them with
 * remarks too), under 1 % debt sanitization or a bankruptcy. Moves: 0–2 in five years for
 * most, a few move often. About one applicant in ten names a warrantor (a parent), most of
 * them young or with low income.
 */
static void seed_credit(uint64_t *s, struct applicant_credit *c)
{
	int64_t r = between(s, 0, 999);
	memset(c, 0, sizeof(*c));
	if (r < 50)
		c->payment_remarks = between(s, 1, 6);
	if (r < 20 || (r >= 50 && r < 55))
		c->outstanding_debt = true;
	if (r < 6)
		c->debt_sanitization = true;
	if (r >= 995)
		c->bankruptcy = true;
}

static void seed_screening(uint64_t *s, struct applicant_profile *pr)
{
	int64_t m = between(s, 0, 99);
	seed_credit(s, &pr->credit);
	pr->moves = m < 55 ? between(s, 0, 1) : m < 90 ? 2 : between(s, 3, 7);
	if (pr->co_applicant_name.len) {
		static const char *const sources[] = { "employment_permanent", "employment_temporary", "student",
						       "parental_leave" };
		int k = (int)between(s, 0, 9);
		k = k < 6 ? 0 : k < 8 ? 1 : k < 9 ? 2 : 3;
		pr->co_applicant_income_source = str_from_cstr(sources[k]);
		pr->co_applicant_occupation = str_from_cstr(k < 2 ? "employed" : sources[k]);
		seed_credit(s, &pr->co_applicant_credit);
	}
	if (between(s, 0, 99) < (pr->gross_income < 20000 ? 30 : 5)) {
		pr->has_warrantor = true;
		pr->warrantor_income = between(s, 28000, 70000) / 100 * 100;
		seed_credit(s, &pr->warrantor_credit);
		pr->warrantor_credit.payment_remarks = 0; /* nobody names a warrantor with remarks, nearly */
	}
}

static void make_person(uint64_t *s, int64_t now, int64_t run, int64_t k, struct person *p)
{
	const char *first = first_names[between(s, 0, COUNT(first_names) - 1)];
	const char *last = last_names[between(s, 0, COUNT(last_names) - 1)];
	char fa[24], la[24];
	int y = (int)between(s, 1945, 2007), m = (int)between(s, 1, 12), d = (int)between(s, 1, 28);
	int64_t born = epoch_of(y, m, d), adult = epoch_of(y + 18, m, d), age;
	int64_t earliest = now - (int64_t)APPLICANT_SEED_YEARS * 365 * 86400;
	int64_t r = between(s, 0, 99);
	struct applicant_profile *pr = &p->f.profile;

	memset(p, 0, sizeof(*p));
	(void)born;
	ascii_lower(first, fa, sizeof(fa));
	ascii_lower(last, la, sizeof(la));
	snprintf(p->email, sizeof(p->email), "%s.%s.%llx-%lld@example.se", fa, la, (unsigned long long)run,
		 (long long)k);
	make_personal_number(y, m, d, (int)between(s, 0, 999), p->pn);
	p->f.email = str_from_cstr(p->email);
	p->f.first_name = str_from_cstr(first);
	p->f.last_name = str_from_cstr(last);
	p->f.personal_number = (struct str){ p->pn, 12 };
	p->f.phone = STR_LIT("");
	age = (now - adult) / (365 * 86400) + 18;
	/* occupation and income by age */
	if (age >= 66 && r < 85) {
		pr->occupation = STR_LIT("retired");
		pr->income_source = STR_LIT("pension");
		pr->gross_income = between(s, 12000, 32000);
	} else if (age <= 27 && r < 45) {
		pr->occupation = STR_LIT("student");
		pr->income_source = STR_LIT("student");
		pr->gross_income = between(s, 10000, 14000);
	} else if (r < 80) {
		pr->occupation = STR_LIT("employed");
		pr->income_source = between(s, 0, 4) ? STR_LIT("employment_permanent") : STR_LIT("employment_temporary");
		pr->gross_income = between(s, 24000, 68000);
	} else if (r < 87) {
		pr->occupation = STR_LIT("self_employed");
		pr->income_source = STR_LIT("self_employed");
		pr->gross_income = between(s, 15000, 80000);
	} else if (r < 93) {
		pr->occupation = STR_LIT("unemployed");
		pr->income_source = STR_LIT("unemployment_benefit");
		pr->gross_income = between(s, 9000, 26000);
	} else {
		pr->occupation = STR_LIT("parental_leave");
		pr->income_source = STR_LIT("parental_leave");
		pr->gross_income = between(s, 15000, 35000);
	}
	pr->gross_income -= pr->gross_income % 100;
	pr->adults = 1;
	if (between(s, 0, 99) < 25 && age > 20) {
		pr->adults = 2;
		pr->co_applicant_name = str_from_cstr(first_names[between(s, 0, COUNT(first_names) - 1)]);
		pr->co_applicant_income = between(s, 0, 50000) / 100 * 100;
	}
	pr->children = age >= 24 && age <= 55 && between(s, 0, 99) < 30 ? between(s, 1, 3) : 0;
	if (pr->children) {
		/* born after the parent turned 20, at most 17 years ago */
		int this_year = applicant_year(now), from = y + 20 > this_year - 17 ? y + 20 : this_year - 17;
		size_t at = 0;
		for (int64_t i = 0; i < pr->children; i++)
			at += (size_t)snprintf(p->years + at, sizeof(p->years) - at, "%s%d", i ? "," : "",
					       (int)between(s, from, this_year));
		pr->children_birth_years = (struct str){ p->years, at };
	}
	{
		static const char *const acc[] = { "rental", "sublet", "owned_apartment", "owned_house", "lodger",
						   "with_parents", "student_housing", "other" };
		pr->accommodation = str_from_cstr(age <= 22 && between(s, 0, 1) ? "with_parents"
						  : pr->occupation.len == 7 && !memcmp(pr->occupation.ptr, "student", 7)
							  ? "student_housing"
							  : acc[between(s, 0, 7)]);
	}
	pr->pets = between(s, 0, 99) < 20;
	pr->smoking = between(s, 0, 99) < 8;
	seed_screening(s, pr);

	/* queues: joined evenly over 15 years, not before 18 */
#define JOIN(q)                                                                                   \
	do {                                                                                      \
		int64_t from = adult > earliest ? adult : earliest;                               \
		p->queues[p->nqueues] = (q);                                                      \
		p->joined[p->nqueues++] = from < now ? between(s, from, now) : now;               \
	} while (0)
	if (between(s, 0, 99) < 88)
		JOIN("residential");
	if (between(s, 0, 99) < 25)
		JOIN("parking");
	if (age >= 55 && between(s, 0, 99) < 50)
		JOIN("senior");
	else if (age <= 25 && between(s, 0, 99) < 60)
		JOIN("youth");
	if (pr->occupation.len == 7 && !memcmp(pr->occupation.ptr, "student", 7) && p->nqueues < 4)
		JOIN("student");
#undef JOIN
}

int applicant_seed(struct core *c, int64_t n, struct str password_hash, struct applicant_seed_result *out,
		   struct error *err)
{
	struct arena *a = arena_create(16 * 1024);
	int64_t now = core_now(), run = (int64_t)(now % 0xfffff);
	uint64_t s = 0x9E3779B97F4A7C15ull ^ (uint64_t)now;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	for (int64_t k = 0; k < n;) {
		int64_t end = k + APPLICANT_SEED_BATCH < n ? k + APPLICANT_SEED_BATCH : n;
		if (store_begin(c->store, err) < 0)
			goto out;
		for (; k < end; k++) {
			struct person p;
			int64_t id;
			arena_reset(a);
			make_person(&s, now, run, k, &p);
			if (applicant_create_direct(c, a, &p.f, password_hash, p.queues, p.joined, p.nqueues, &id, err) < 0) {
				store_rollback(c->store);
				goto out;
			}
			if (k == 0)
				snprintf(out->first_email, sizeof(out->first_email), "%s", p.email);
			out->applicants++;
			out->memberships += (int64_t)p.nqueues;
		}
		if (store_commit(c->store, err) < 0)
			goto out;
	}
	rc = 0;
out:
	arena_destroy(a);
	return rc;
}

/* ---- the demo's applicants ---- */

const struct demo_applicant demo_applicants[] = {
	{ "anna.lindqvist@demo.rentd.local", "Anna", "Lindqvist", "19880412-2383", "employed", 38500,
	  { "residential", "parking", NULL }, 9 },
	{ "elias.nyberg@demo.rentd.local", "Elias", "Nyberg", "20040923-4556", "student", 11800,
	  { "residential", "student", "youth" }, 2 },
};
const size_t demo_applicants_count = COUNT(demo_applicants);

int demo_applicant_create(struct core *c, struct arena *a, size_t i, struct str hash, struct error *err)
{
	const struct demo_applicant *d = &demo_applicants[i];
	struct applicant_fields f;
	int64_t joined[3], now = core_now(), id;
	size_t nq = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	f.email = str_from_cstr(d->email);
	f.first_name = str_from_cstr(d->first_name);
	f.last_name = str_from_cstr(d->last_name);
	f.personal_number = str_from_cstr(d->personal_number);
	f.phone = STR_LIT("070-123 45 67");
	f.profile.occupation = str_from_cstr(d->occupation);
	f.profile.income_source = str_from_cstr(strcmp(d->occupation, "student") == 0 ? "student"
										      : "employment_permanent");
	f.profile.gross_income = d->gross_income;
	f.profile.adults = 1;
	f.profile.accommodation = STR_LIT("sublet");
	while (nq < 3 && d->queues[nq]) {
		joined[nq] = now - (int64_t)d->years_in_queue * 365 * 86400 + (int64_t)nq * 86400 * 40;
		nq++;
	}
	if (store_begin(c->store, err) < 0)
		return -1;
	rc = applicant_create_direct(c, a, &f, hash, d->queues, joined, nq, &id, err);
	if (rc < 0) {
		store_rollback(c->store);
		return -1;
	}
	return store_commit(c->store, err);
}
