/*
 * listings.c — the rules of listings (listings.h): create, read, update, delete, the
 * public view, the publish and purge jobs, and the Stockholm calendar they use.
 */
#include "core/listings/listings.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "core/listings/cards.h"
#include "core/listings/listing_applications.h"
#include "core/market/process.h"
#include "core/events.h"
#include "core/listings/projects.h"
#include "core/identity/rights.h"
#include "core/transaction.h"
#include "base/json_write.h"
#include "store/media/store_media.h"
#include "store/identity/store_org.h"

/* ---- the Stockholm calendar ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* The day (since the epoch) of the last Sunday of a month with 31 days. */
static int64_t last_sunday(int y, int m)
{
	int64_t z = days_from_civil(y, m, 31);
	int64_t weekday = ((z + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
	return z - weekday;
}

/* UTC+1, or UTC+2 from the last Sunday of March to the last Sunday of October, 01:00 UTC (EU rule). */
static int64_t stockholm_offset(int64_t t)
{
	int y, m, d;
	civil_from_days(floor_div(t, 86400), &y, &m, &d);
	if (t >= last_sunday(y, 3) * 86400 + 3600 && t < last_sunday(y, 10) * 86400 + 3600)
		return 7200;
	return 3600;
}

int64_t listings_stockholm_offset(int64_t t)
{
	return stockholm_offset(t);
}

void listings_day_of(int64_t t, char out[11])
{
	int y, m, d;
	civil_from_days(floor_div(t + stockholm_offset(t), 86400), &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

void listings_minute_of(int64_t t, char out[17])
{
	int64_t local = t + stockholm_offset(t), secs = local - floor_div(local, 86400) * 86400;
	char day[11];
	int y, m, d;
	civil_from_days(floor_div(local, 86400), &y, &m, &d);
	snprintf(day, sizeof(day), "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	snprintf(out, 17, "%s %02u:%02u", day, (unsigned)(secs / 3600) % 100u, (unsigned)(secs % 3600 / 60) % 100u);
}

/* 00:00 Stockholm time of a date: midnight is never inside a switch (they happen at 02:00/03:00). */
static int64_t stockholm_midnight(int y, int m, int d)
{
	int64_t z = days_from_civil(y, m, d), summer = z * 86400 - 7200;
	return stockholm_offset(summer) == 7200 ? summer : z * 86400 - 3600;
}

static int digits(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* YYYY-MM-DD at p (10 bytes available), a real calendar date. */
static int parse_ymd(const char *p, int *y, int *m, int *d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	*y = digits(p, 4);
	*m = digits(p + 5, 2);
	*d = digits(p + 8, 2);
	if (p[4] != '-' || p[7] != '-' || *y < 1000 || *m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1])
		return -1;
	if (*m == 2 && *d == 29 && !(*y % 4 == 0 && (*y % 100 != 0 || *y % 400 == 0)))
		return -1;
	return 0;
}

/* "YYYY-MM-DD[T ]HH:MM[:SS[.f…]][Z|±HH[:]MM]" → the instant; no zone: UTC (H-44). */
static int parse_datetime(struct str s, int64_t *out)
{
	const char *p = s.ptr;
	size_t i = 16;
	int y, mo, d, h, mi, sec = 0;
	int64_t zone = 0;

	if (s.len < 16 || parse_ymd(p, &y, &mo, &d) < 0 || (p[10] != 'T' && p[10] != 't' && p[10] != ' '))
		return -1;
	h = digits(p + 11, 2);
	mi = digits(p + 14, 2);
	if (p[13] != ':' || h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	if (i < s.len && p[i] == ':') {
		if (i + 3 > s.len || (sec = digits(p + i + 1, 2)) < 0 || sec > 59)
			return -1;
		i += 3;
		if (i < s.len && p[i] == '.') {
			size_t start = ++i;
			while (i < s.len && p[i] >= '0' && p[i] <= '9')
				i++;
			if (i == start || i - start > 9)
				return -1;
		}
	}
	if (i < s.len && (p[i] == 'Z' || p[i] == 'z')) {
		i++;
	} else if (i < s.len && (p[i] == '+' || p[i] == '-')) {
		int zh, zm;
		size_t colon = i + 3 < s.len && p[i + 3] == ':';
		if (i + 5 + colon > s.len || (zh = digits(p + i + 1, 2)) < 0 || zh > 23 ||
		    (zm = digits(p + i + 3 + colon, 2)) < 0 || zm > 59)
			return -1;
		zone = (p[i] == '-' ? -1 : 1) * (int64_t)(zh * 3600 + zm * 60);
		i += 5 + colon;
	}
	if (i != s.len)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - zone;
	return 0;
}

int listings_parse_day(struct str s, char out[11])
{
	int y, m, d;
	int64_t t;

	if (!s.ptr)
		return -1;
	if (s.len == 10) {
		if (parse_ymd(s.ptr, &y, &m, &d) < 0)
			return -1;
		memcpy(out, s.ptr, 10);
		out[10] = '\0';
		return 0;
	}
	if (parse_datetime(s, &t) < 0)
		return -1;
	listings_day_of(t, out);
	return 0;
}

int listings_parse_instant(struct str s, int64_t *out)
{
	int y, m, d;

	if (!s.ptr)
		return -1;
	if (s.len == 10) {
		if (parse_ymd(s.ptr, &y, &m, &d) < 0)
			return -1;
		*out = stockholm_midnight(y, m, d);
		return 0;
	}
	return parse_datetime(s, out);
}

/* decisions.md H-16: names, or the project letters by documented order. */
const char *listings_contract_system(struct str s)
{
	static const char *const names[] = { "external", "manual_selection", "automatic", "manual_selection_lock",
					     "automatic_strict" };
	static const char letters[] = "ABCDS";
	for (size_t i = 0; i < 5; i++)
		if (str_eq_cstr(s, names[i]) || (s.len == 1 && s.ptr[0] == letters[i]))
			return names[i];
	return NULL;
}

/* ---- scope ---- */

/*
 * A listing of the caller's company in its subtree. Anything else does not exist for
 * the caller: code NULL is 404, else the 412 the endpoint documents under that name.
 */
static int visible_listing(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			   const char *code, const char *why, struct listing *out, struct error *err)
{
	if (store_listing_get(c->store, a, who->user.company_id, id, out, err) == 0 &&
	    caller_sees_path(who, out->office_path))
		return 0;
	if (error_failed(err) && err->kind != ERROR_NOT_FOUND)
		return -1;
	return error_set(err, code ? ERROR_PRECONDITION : ERROR_NOT_FOUND, code, "%s", why);
}

int listings_visible(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct listing *out,
		     struct error *err)
{
	return visible_listing(c, a, who, id, NULL, "no such listing", out, err);
}

/* A requirement profile the listing may use: one of the caller's company (403 PermissionError otherwise). */
static int own_requirement(struct core *c, const struct caller *who, int64_t id, struct error *err)
{
	int64_t company;
	if (!id)
		return 0;
	if (store_listing_requirement_company(c->store, id, &company, err) < 0)
		return -1;
	if (company != who->user.company_id)
		return error_set(err, ERROR_FORBIDDEN, "PermissionError", "Requirement does not belong to the company");
	return 0;
}

static int advanced_right(const struct caller *who, const struct listing_input *in, const struct listing_fields *was,
			  struct error *err)
{
	/* sending the value it would have anyway is not a change (H-04) */
	if ((in->has_candidate_sorting_mode &&
	     !str_eq(in->f.candidate_sorting_mode, was->candidate_sorting_mode)) ||
	    (in->has_contract_system && !str_eq(in->f.contract_system, was->contract_system)))
		return caller_require_right(who, RIGHT_OBJECT_AD_ADVANCED, err);
	return 0;
}

/* ---- dates ---- */

static int today_or_later(struct str day, const char *what, struct error *err)
{
	char today[11];
	listings_day_of(core_now(), today);
	if (day.ptr && day.len == 10 && memcmp(day.ptr, today, 10) < 0)
		return error_set(err, ERROR_PRECONDITION, "DateValidationError",
				 "The %s you provided is not valid: %.*s is before today (%s).", what, STR_FMT(day),
				 today);
	return 0;
}

/*
 * The date rules of a listing's fields after a change (H-05): a new access date is not in
 * the past (one sent back unchanged is not new), the short-lease dates are in order.
 */
static int check_dates(const struct listing_input *in, struct str was_access, struct listing_fields *f,
		       struct error *err)
{
	bool same = was_access.ptr && f->access_date.ptr && str_eq(was_access, f->access_date);
	if (in->has_access_date && !same && today_or_later(f->access_date, "access date", err) < 0)
		return -1;
	if ((in->has_short_lease_min_date || in->has_short_lease_max_date) && f->short_lease_min_date.ptr &&
	    f->short_lease_max_date.ptr && memcmp(f->short_lease_min_date.ptr, f->short_lease_max_date.ptr, 10) > 0)
		return error_set(err, ERROR_PRECONDITION, "DateValidationError",
				 "The short lease dates you provided are not valid: short_lease_min_date %.*s is after"
				 " short_lease_max_date %.*s.",
				 STR_FMT(f->short_lease_min_date), STR_FMT(f->short_lease_max_date));
	if (!f->access_date.ptr)
		f->prior_access = false; /* access on agreement: nothing to access before (H-05) */
	return 0;
}

static const char *iso_time(struct arena *a, int64_t t)
{
	time_t secs = (time_t)t;
	struct tm tm;
	char out[32];
	gmtime_r(&secs, &tm);
	strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strndup(a, out, strlen(out));
}

/* ---- publication ---- */

/* The accounts dialect's FirstListingWasPublished (spotahome.md §5 #8, S-36), once per company. */
static int first_publication(struct core *c, struct arena *a, const struct caller *who, int64_t company_id,
			     struct error *err)
{
	int64_t us = core_now_us();
	const char *at = iso_time(a, us / 1000000);
	struct event_actor actor = { 0 };
	struct event_new e;
	struct company co;
	struct buf b;
	struct jw w;
	bool first;

	if (store_listing_first_published(c->store, company_id, str_from_cstr(at), &first, err) < 0)
		return -1;
	if (!first)
		return 0;
	if (store_company_get(c->store, a, company_id, &co, err) < 0)
		return -1;
	buf_init(&b, a, 128);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_str(&w, "accountId", co.uuid);
	jw_kv_cstr(&w, "occurredOn", events_time(a, us, EVENT_TIME_0000));
	jw_object_end(&w);
	memset(&e, 0, sizeof(e));
	e.type = "FirstListingWasPublished";
	e.company_id = company_id;
	e.aggregate = "account";
	e.aggregate_id = co.uuid;
	e.occurred_us = us;
	if (who && who->kind == CALLER_EMPLOYEE) {
		actor.user_id = who->user.id;
		actor.identity = who->user.uuid;
		actor.email = who->user.email;
		actor.full_name = str_from_cstr(arena_printf(a, "%.*s %.*s", STR_FMT(who->user.first_name),
							     STR_FMT(who->user.last_name)));
		e.actor = &actor;
	}
	e.payload = buf_str(&b);
	e.before = STR_LIT("{\"firstListingPublicationDate\":null}");
	e.after = str_from_cstr(arena_printf(a, "{\"firstListingPublicationDate\":\"%s\"}",
					     events_time(a, us, EVENT_TIME_00_00)));
	return events_append(c, &e, NULL, err);
}

static int schedule(struct core *c, struct arena *a, const struct listing *l, struct error *err)
{
	struct str payload =
		str_from_cstr(arena_printf(a, "%lld@%lld", (long long)l->id, (long long)l->f.date_publish));
	return store_job_insert(c->store, LISTINGS_JOB_PUBLISH, payload, l->f.date_publish, err);
}

/* A project rental may go public only while its project is active. */
static int project_active(struct core *c, struct arena *a, int64_t project_id, struct error *err)
{
	struct project_defaults pd;
	if (!project_id)
		return 0;
	if (projects_listing_defaults(c, a, project_id, &pd, err) < 0)
		return -1;
	if (!pd.active)
		return error_set(err, ERROR_PRECONDITION, "ProjectNotActive", "Project is not active");
	return 0;
}

/*
 * Publishes l (in memory): a requirement is needed and a project rental's project must
 * be active; a date_publish still ahead makes it approved (the timer publishes it),
 * otherwise it is active now. *went_active says whether it became public.
 */
static int publish(struct core *c, struct arena *a, struct listing *l, bool *went_active, struct error *err)
{
	int64_t now = core_now(), hours;

	*went_active = false;
	if (!l->f.requirement_id)
		return error_set(err, ERROR_PRECONDITION, "MissingRequirement",
				 "You need to provide a requirement to create an Ad if not a Draft.");
	if (project_active(c, a, l->project_id, err) < 0 ||
	    store_listing_company_up_time(c->store, l->company_id, &hours, err) < 0)
		return -1;
	if (l->f.date_publish > now) {
		l->status = LISTING_APPROVED;
	} else {
		l->status = LISTING_ACTIVE;
		l->f.date_publish = now;
		*went_active = true;
	}
	l->start_processing_at = l->f.date_publish + hours * 3600;
	return 0;
}

/*
 * After the row is written: the card, the lottery's commitment of a published random listing,
 * the letting process's deadline (process_listing_written),
 * the timer of a scheduled listing, the first-publication event.
 */
static int after_write(struct core *c, struct arena *a, const struct caller *who, const struct listing *l,
		       bool went_active, bool reschedule, struct error *err)
{
	if (cards_sync_listing(c, l->id, err) < 0 || lottery_listing_written(c, l, err) < 0 ||
	    process_listing_written(c, a, l, err) < 0)
		return -1;
	if (reschedule && l->status == LISTING_APPROVED && schedule(c, a, l, err) < 0)
		return -1;
	if (went_active && first_publication(c, a, who, l->company_id, err) < 0)
		return -1;
	return 0;
}

/* ---- create ---- */

/* The office's settings, then the project's (H-06), then what the request says. */
static int listing_defaults(struct core *c, struct arena *a, const struct caller *who, const struct estate *e,
			    int64_t project_id, struct listing_fields *f, struct error *err)
{
	struct office o;
	const char *cs;

	memset(f, 0, sizeof(*f));
	if (store_office_get(c->store, a, who->user.company_id, e->office_id, &o, err) < 0)
		return -1;
	cs = listings_contract_system(o.f.contract_system);
	f->description = STR_LIT("");
	f->candidate_sorting_mode = o.f.candidate_sorting_mode;
	f->contract_system = str_from_cstr(cs ? cs : "manual_selection_lock"); /* the offices' CHECK-free column */
	f->batch_size = o.f.batch_size;
	f->offer_per_ad = o.f.offer_per_ad;
	f->offers_per_person = o.f.offers_per_person;
	f->offer_min_response_time = o.f.offer_min_response_time;
	f->time_to_next_engagement = o.f.time_to_next_engagement;
	if (project_id) {
		struct project_defaults pd;
		if (projects_listing_defaults(c, a, project_id, &pd, err) < 0)
			return -1;
		f->candidate_sorting_mode = pd.candidate_sorting_mode;
		f->contract_system = pd.contract_system;
		f->is_short_lease = pd.is_short_lease;
		f->prioritize_existing_tenants = pd.prioritize_existing_tenants;
		f->access_date = pd.preliminary_move_in_date;
	}
	return 0;
}

static void take_fields(const struct listing_input *in, struct listing_fields *f)
{
#define TAKE(field)                       \
	if (in->has_##field)              \
		f->field = in->f.field;
	TAKE(description)
	TAKE(access_date)
	TAKE(prior_access)
	TAKE(date_publish)
	TAKE(candidate_sorting_mode)
	TAKE(contract_system)
	TAKE(is_quick_apply)
	TAKE(is_short_lease)
	TAKE(short_lease_min_date)
	TAKE(short_lease_max_date)
	TAKE(prioritize_existing_tenants)
	TAKE(offer_notes)
#undef TAKE
	if (in->has_requirement)
		f->requirement_id = in->f.requirement_id;
	if (in->has_soft_requirements)
		f->soft_requirements_id = in->f.soft_requirements_id;
}

/* The apartment a listing is created for, with its estate; ApartmentHasAd and the office rule. */
static int listable_apartment(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			      struct apartment *p, struct estate *e, struct error *err)
{
	int64_t live;

	if (store_apartment_get(c->store, a, who->user.company_id, id, p, err) < 0 ||
	    store_estate_get(c->store, a, who->user.company_id, p->estate_id, e, err) < 0)
		return -1;
	if (!caller_sees_path(who, p->office_path))
		return error_set(err, ERROR_FORBIDDEN, "PermissionError",
				 "Office in question is not a sub office of the user");
	if (!p->f.flag[APT_CAN_CREATE_AD_LISTING])
		return error_set(err, ERROR_PRECONDITION, "ApartmentCannotHaveAd",
				 "Apartment %lld does not allow listings (can_create_ad_listing is false).",
				 (long long)id);
	if (store_listing_live(c->store, id, &live, err) < 0)
		return -1;
	if (live)
		return error_set(err, ERROR_PRECONDITION, "ApartmentHasAd",
				 "Can not create an Ad on an apartment that already has one.");
	return 0;
}

/* NoLinkedProject / ProjectNotActive for a project rental; *project_id 0 for a succession ad. */
static int rental_project(struct core *c, struct arena *a, const struct listing_input *in, const struct estate *e,
			  int64_t *project_id, struct error *err)
{
	struct project_defaults pd;

	*project_id = 0;
	if (!in->is_project_rental)
		return 0;
	if (projects_estate_project(c, e->id, project_id, err) < 0)
		return -1;
	if (!*project_id)
		return error_set(err, ERROR_PRECONDITION, "NoLinkedProject", "There is no linked project.");
	if (projects_listing_defaults(c, a, *project_id, &pd, err) < 0)
		return -1;
	/* a draft may be prepared before its project is published, never in a closed one */
	if (pd.closed || (!pd.active && !in->is_draft))
		return error_set(err, ERROR_PRECONDITION, "ProjectNotActive", "Project is not active");
	return 0;
}

static int create_rows(struct core *c, struct arena *a, const struct caller *who, const struct listing_input *in,
		       int64_t *id, struct error *err)
{
	struct apartment p;
	struct estate e;
	struct listing l;
	bool went_active = false;

	memset(&l, 0, sizeof(l));
	if (listable_apartment(c, a, who, in->apartment, &p, &e, err) < 0 ||
	    rental_project(c, a, in, &e, &l.project_id, err) < 0 ||
	    listing_defaults(c, a, who, &e, l.project_id, &l.f, err) < 0 ||
	    advanced_right(who, in, &l.f, err) < 0)
		return -1;
	take_fields(in, &l.f);
	if (own_requirement(c, who, l.f.requirement_id, err) < 0 || check_dates(in, STR_NULL, &l.f, err) < 0)
		return -1;
	l.company_id = who->user.company_id;
	l.apartment_id = p.id;
	l.estate_id = e.id;
	l.created_by = who->user.id;
	if (in->is_draft) {
		l.status = LISTING_DRAFT;
		l.f.date_publish = 0; /* ignored for drafts (§11c) */
	} else if (publish(c, a, &l, &went_active, err) < 0) {
		return -1;
	}
	if (store_listing_insert(c->store, &l, &l.id, err) < 0) {
		if (err->kind == ERROR_CONFLICT) /* a concurrent create won the partial unique index */
			return error_set(err, ERROR_PRECONDITION, "ApartmentHasAd",
					 "Can not create an Ad on an apartment that already has one.");
		return -1;
	}
	*id = l.id;
	if (store_listing_assign(c->store, l.id, who->user.id, err) < 0)
		return -1;
	return after_write(c, a, who, &l, went_active, true, err);
}

int listings_create(struct core *c, struct arena *a, const struct caller *who, const struct listing_input *in,
		    int64_t *id, struct error *err)
{
	if (caller_require_right(who, RIGHT_OBJECT_AD_CREATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, create_rows(c, a, who, in, id, err));
	return 0;
}

/* ---- read ---- */

/* What a view shows besides the listing row; the staff assigned to it only for the landlord's detail. */
static int fill_view(struct core *c, struct arena *a, struct listing_view *v, bool landlord, struct error *err)
{
	const struct listing *l = &v->l;
	struct company co;

	v->has_requirement = false;
	v->assignments = NULL;
	v->n_assignments = 0;
	v->stats = (struct application_stats){ 0 };
	if (store_apartment_get(c->store, a, l->company_id, l->apartment_id, &v->apartment, err) < 0 ||
	    store_estate_get(c->store, a, l->company_id, l->estate_id, &v->estate, err) < 0 ||
	    store_company_get(c->store, a, l->company_id, &co, err) < 0 ||
	    store_media_link_list(c->store, a, MEDIA_LINK_APARTMENT_PICTURE, l->apartment_id, &v->apartment_images,
				  &v->n_apartment_images, err) < 0 ||
	    store_media_link_list(c->store, a, MEDIA_LINK_APARTMENT_VIDEO, l->apartment_id, &v->apartment_videos,
				  &v->n_apartment_videos, err) < 0 ||
	    store_media_link_list(c->store, a, MEDIA_LINK_ESTATE_PICTURE, l->estate_id, &v->estate_images,
				  &v->n_estate_images, err) < 0 ||
	    (landlord && store_listing_assignments(c->store, a, l->id, &v->assignments, &v->n_assignments, err) < 0) ||
	    (landlord && listing_applications_stats(c, a, &l->id, 1, &v->stats, NULL, 0, err) < 0) ||
	    lottery_of_listing(c, a, l, &v->lottery, &v->has_lottery, err) < 0)
		return -1;
	v->company_name = co.name;
	if (l->f.requirement_id) {
		if (store_listing_requirement_flags(c->store, l->f.requirement_id, &v->requirement, err) < 0)
			return -1;
		v->has_requirement = true;
	}
	return 0;
}

int listings_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct listing_view *out,
		 struct error *err)
{
	int rc;

	if (store_read_begin(c->store, err) < 0)
		return -1;
	rc = visible_listing(c, a, who, id, NULL, "no such listing", &out->l, err) < 0 ||
			     fill_view(c, a, out, true, err) < 0
		     ? -1
		     : 0;
	store_read_end(c->store);
	return rc;
}

/*
 * Drafts, scheduled, paused, deleted … are nobody's business but the landlord's. A
 * reserved listing stays public: the card search shows it (reserved: true) and its
 * card's uri is this view.
 */
static int public_listing(const struct listing_view_version *v, struct error *err)
{
	if ((v->status != LISTING_ACTIVE && v->status != LISTING_RESERVED) || v->date_publish > core_now())
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such listing");
	return 0;
}

int listings_public_version(struct core *c, int64_t id, struct listing_view_version *version, struct error *err)
{
	if (store_listing_view_version(c->store, id, version, err) < 0)
		return -1;
	return public_listing(version, err);
}

int listings_public_get(struct core *c, struct arena *a, int64_t id, struct listing_view *out,
			struct listing_view_version *version, struct error *err)
{
	int rc;

	if (store_read_begin(c->store, err) < 0)
		return -1;
	rc = listings_public_version(c, id, version, err) < 0 || store_listing_get(c->store, a, 0, id, &out->l, err) < 0 ||
			     fill_view(c, a, out, false, err) < 0
		     ? -1
		     : 0;
	store_read_end(c->store);
	return rc;
}

/* ---- update ---- */

/*
 * The status a PATCH asks for, from the current one (listings.h). *publishing: the
 * listing goes through publish(). reserved, rented, closing, rejected, publishing and
 * deleted are reached by other processes (the applicant process, DELETE), not here.
 */
static int status_change(enum listing_status from, enum listing_status to, bool *publishing, struct error *err)
{
	*publishing = false;
	if (from == to)
		return 0;
	if ((from == LISTING_DRAFT && (to == LISTING_ACTIVE || to == LISTING_APPROVED)) ||
	    (from == LISTING_APPROVED && to == LISTING_ACTIVE)) {
		*publishing = true;
		return 0;
	}
	if ((from == LISTING_APPROVED && to == LISTING_DRAFT) || (from == LISTING_ACTIVE && to == LISTING_PAUSED) ||
	    (from == LISTING_PAUSED && to == LISTING_ACTIVE))
		return 0;
	return error_set(err, ERROR_PRECONDITION, "InvalidStatus", "Cannot change a listing from %s to %s.",
			 listing_status_names[from], listing_status_names[to]);
}

/*
 * Applies a status and/or publish date change to l (its fields already updated; was_publish
 * is the date_publish before); *went_active and *reschedule say what follows.
 */
static int update_status(struct core *c, struct arena *a, const struct listing_input *in, int64_t was_publish,
			 struct listing *l, bool *went_active, bool *reschedule, struct error *err)
{
	enum listing_status from = l->status, to = in->has_status ? in->status : from;
	bool publishing;

	*went_active = *reschedule = false;
	if (status_change(from, to, &publishing, err) < 0)
		return -1;
	if (in->has_date_publish && in->f.date_publish != was_publish && from != LISTING_DRAFT &&
	    from != LISTING_APPROVED)
		return error_set(err, ERROR_PRECONDITION, "InvalidStatus",
				 "The publish date of a %s listing cannot change.", listing_status_names[from]);
	if (from == LISTING_APPROVED && to == LISTING_ACTIVE)
		l->f.date_publish = core_now(); /* publish now what was scheduled */
	if (from == LISTING_APPROVED && to == LISTING_APPROVED && in->has_date_publish &&
	    in->f.date_publish != was_publish)
		publishing = true; /* rescheduled, or due now */
	if (publishing) {
		if (publish(c, a, l, went_active, err) < 0)
			return -1;
		*reschedule = l->status == LISTING_APPROVED;
		return 0;
	}
	/* resuming makes the listing public again: a project rental's project must still be active, as to publish */
	if (from == LISTING_PAUSED && to == LISTING_ACTIVE && project_active(c, a, l->project_id, err) < 0)
		return -1;
	l->status = to;
	*went_active = to == LISTING_ACTIVE && from != LISTING_ACTIVE;
	return 0;
}

static int update_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		       const struct listing_input *in, struct error *err)
{
	struct listing l;
	struct str was_access;
	int64_t was_publish;
	bool went_active, reschedule;

	if (visible_listing(c, a, who, id, "AdDoesNotExist", "Could not find the requested ad.", &l, err) < 0)
		return -1;
	if (l.status == LISTING_DELETED)
		return error_set(err, ERROR_PRECONDITION, "InvalidStatus", "A deleted listing cannot be changed.");
	if (advanced_right(who, in, &l.f, err) < 0)
		return -1;
	was_access = l.f.access_date;
	was_publish = l.f.date_publish;
	take_fields(in, &l.f);
	if ((in->has_requirement && own_requirement(c, who, l.f.requirement_id, err) < 0) ||
	    (in->has_soft_requirements && own_requirement(c, who, l.f.soft_requirements_id, err) < 0) ||
	    check_dates(in, was_access, &l.f, err) < 0 ||
	    update_status(c, a, in, was_publish, &l, &went_active, &reschedule, err) < 0)
		return -1;
	if (l.status != LISTING_DRAFT && !l.f.requirement_id)
		return error_set(err, ERROR_PRECONDITION, "MissingRequirement",
				 "Only a draft may be without a requirement profile.");
	if (store_listing_update(c->store, &l, err) < 0)
		return -1;
	return after_write(c, a, who, &l, went_active, reschedule, err);
}

int listings_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		    const struct listing_input *in, struct listing_view *out, struct error *err)
{
	if (caller_require_right(who, RIGHT_OBJECT_AD_UPDATE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, update_rows(c, a, who, id, in, err));
	return listings_get(c, a, who, id, out, err);
}

/* ---- delete ---- */

static int delete_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	struct listing l;

	if (visible_listing(c, a, who, id, "NoSuchObjectAd", "There is no such ad with this id", &l, err) < 0)
		return -1;
	if (l.status != LISTING_APPROVED && l.status != LISTING_ACTIVE && l.status != LISTING_DRAFT &&
	    l.status != LISTING_PAUSED)
		return error_set(err, ERROR_PRECONDITION, "InvalidStatus", "Cannot delete a listing in this status.");
	if (store_listing_mark_deleted(c->store, id, err) < 0 || cards_sync_listing(c, id, err) < 0)
		return -1;
	l.status = LISTING_DELETED;
	if (process_listing_written(c, a, &l, err) < 0) /* its open applications cancelled */
		return -1;
	return store_job_insert(c->store, LISTINGS_JOB_PURGE, str_from_cstr(arena_printf(a, "%lld", (long long)id)),
				core_now(), err);
}

int listings_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	if (caller_require_right(who, RIGHT_OBJECT_AD_DELETE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, delete_rows(c, a, who, id, err));
	if (c->jobs_wake)
		c->jobs_wake(c->jobs_wake_arg);
	return 0;
}

/* ---- jobs ---- */

/* "<id>@<date_publish>": a job whose listing has since been rescheduled, published or removed does nothing. */
static int job_publish_rows(struct core *c, struct arena *a, struct str payload, struct error *err)
{
	const char *at;
	int64_t id, when;
	struct listing l;
	bool went_active;

	if (!payload.ptr || !(at = memchr(payload.ptr, '@', payload.len)) ||
	    str_to_int64((struct str){ payload.ptr, (size_t)(at - payload.ptr) }, &id) < 0 ||
	    str_to_int64((struct str){ at + 1, payload.len - (size_t)(at + 1 - payload.ptr) }, &when) < 0)
		return error_set(err, ERROR_VALIDATION, NULL, "bad payload");
	if (store_listing_get(c->store, a, 0, id, &l, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return 0;
	}
	if (l.status != LISTING_APPROVED || l.f.date_publish != when)
		return 0;
	if (l.project_id && project_active(c, a, l.project_id, err) < 0) {
		if (err->kind != ERROR_PRECONDITION)
			return -1;
		/* stays approved: an employee publishes it once the project is active again */
		log_warn("listings: listing %lld not published: its project %lld is not active", (long long)id,
			 (long long)l.project_id);
		error_forget(err);
		return 0;
	}
	l.status = LISTING_ACTIVE;
	if (l.f.date_publish > core_now()) {
		/* a clock behind the one that queued the job: public means published, so now */
		l.start_processing_at += core_now() - l.f.date_publish;
		l.f.date_publish = core_now();
	}
	went_active = true;
	if (store_listing_update(c->store, &l, err) < 0)
		return -1;
	return after_write(c, a, NULL, &l, went_active, false, err);
}

static int job_purge_rows(struct core *c, struct str payload, struct error *err)
{
	int64_t id;
	int removed;

	if (str_to_int64(payload, &id) < 0)
		return error_set(err, ERROR_VALIDATION, NULL, "bad payload");
	if (store_listing_purge(c->store, id, &removed, err) < 0)
		return -1;
	return removed ? cards_sync_listing(c, id, err) : 0;
}

static int run_publish(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	IN_TRANSACTION(c, err, job_publish_rows(c, a, job->payload, err));
	return 0;
}

static int run_purge(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	(void)a;
	IN_TRANSACTION(c, err, job_purge_rows(c, job->payload, err));
	return 0;
}

const struct job_kind listings_job_kinds[] = {
	{ LISTINGS_JOB_PUBLISH, run_publish },
	{ LISTINGS_JOB_PURGE, run_purge },
};
const size_t listings_job_kinds_count = sizeof(listings_job_kinds) / sizeof(listings_job_kinds[0]);
