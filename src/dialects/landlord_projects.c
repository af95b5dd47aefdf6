/*
 * landlord_projects.c — HomeQ projects and their sub-resources (homeq.md §11f, §12.6, §14).
 *
 *   GET|POST /api/v1/projects/                      GET|PATCH|DELETE /api/v1/projects/{id}
 *   GET|POST /api/v1/projects/{id}/pictures          PATCH|DELETE …/pictures/{picture_id}
 *   GET|POST /api/v1/projects/{id}/videos            PATCH|DELETE …/videos/{video_id}
 *   GET|POST /api/v1/projects/{id}/3d_views          PATCH|DELETE …/3d_views/{3d_view_id}
 *   GET|POST /api/v1/projects/{id}/freetext          PATCH|DELETE …/freetext/{freetext_id}
 *   GET|POST /api/v1/projects/{id}/timeline          PATCH|DELETE …/timeline/{timeline_id}
 *   GET|PUT  /api/v1/projects/{id}/location
 *   GET      /api/v1/projects/{id}/estates           POST|DELETE …/estates/{estate_id}
 *   GET      /api/v1/projects/{id}/inventory         GET /api/v1/projects/{id}/media
 *
 * The project's id is {id} in every path (the seed calls it project_id in some): the
 * router wants one parameter name per position. The project GET and the video,
 * freetext, timeline, location and media lists are public (H-33); everything else
 * takes an employee token. PUT is accepted wherever PATCH is and PATCH on the
 * location, all with partial semantics (G-02). Each operation is validated against
 * its own table (G-04, H-13, H-15); unknown and read-only members are ignored (G-03).
 */
#include <string.h>

#include "core/media/media.h"
#include "core/listings/projects.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

#define TEXT_MAX 10000 /* descriptions without a documented limit */
#define POSITION_MAX 10000
#define APARTMENT_COUNT_MAX 100000

static const char *const sorting_modes[] = { "queue_points", "random", "first_come_first", NULL };
/* Letters first: projects speak letters and accept names too (H-16). */
static const char *const contract_systems[] = { "A",	     "B",		 "C",	      "D",
						"S",	     "external",	 "manual_selection", "automatic",
						"manual_selection_lock", "automatic_strict", NULL };
static const char *const picture_types[] = { "project_image", "project_area_image", NULL };
static const char *const video_types[] = { "project_video", "project_area_video", NULL };
static const char *const module_names[PROJECT_MODULE_COUNT] = {
	"show_area_info_module", "show_area_media_module", "show_email_collection_module", "show_freetext_module",
	"show_timeline_module",
};

#define PICTURE_MASK ((1u << PROJECT_MEDIA_IMAGE) | (1u << PROJECT_MEDIA_AREA_IMAGE))
#define VIDEO_MASK ((1u << PROJECT_MEDIA_VIDEO) | (1u << PROJECT_MEDIA_AREA_VIDEO))

/* ---- field syntax ---- */

static bool is_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* YYYY-MM-DD, a real calendar date. */
static bool is_date(struct str s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-' || !is_digits(s.ptr, 4) || !is_digits(s.ptr + 5, 2) ||
	    !is_digits(s.ptr + 8, 2))
		return false;
	y = (s.ptr[0] - '0') * 1000 + (s.ptr[1] - '0') * 100 + (s.ptr[2] - '0') * 10 + (s.ptr[3] - '0');
	m = (s.ptr[5] - '0') * 10 + (s.ptr[6] - '0');
	d = (s.ptr[8] - '0') * 10 + (s.ptr[9] - '0');
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* A date member; JR_SET only when it is a real YYYY-MM-DD date. */
static int read_date(struct jr *r, const char *key, unsigned flags, struct str *out)
{
	struct str v;
	int rc = jr_string(r, key, flags, 10, 10, &v);
	if (rc != JR_SET)
		return rc;
	if (!is_date(v)) {
		error_field(r->err, jr_path(r, key), RULE_FORMAT, "must be a date, YYYY-MM-DD");
		return JR_INVALID;
	}
	*out = v;
	return JR_SET;
}

static bool is_http_url(struct str s)
{
	return (str_has_prefix(s, STR_LIT("http://")) && s.len > 7) ||
	       (str_has_prefix(s, STR_LIT("https://")) && s.len > 8);
}

/* A string member that may be null; *has says whether the request set it either way. */
static void read_nullable(struct jr *r, const char *key, size_t max, struct str *out, bool *has)
{
	int rc = jr_string(r, key, JR_NULLABLE, 0, max, out);
	if (rc == JR_NULL)
		*out = STR_NULL;
	*has = rc == JR_SET || rc == JR_NULL;
}

static void kv_str_or_null(struct jw *w, const char *key, struct str s)
{
	jw_key(w, key);
	if (s.ptr)
		jw_string(w, s);
	else
		jw_null(w);
}

static void write_id(struct ctx *ctx, int status, int64_t id)
{
	struct jw *w = ctx_json(ctx, status);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_object_end(w);
}

static int64_t project_id(const struct ctx *ctx)
{
	return route_param_int(&ctx->params, "id");
}

/* ---- the project ---- */

/* ProjectCreate (§11f): name, external_id, office. */
static int read_create(struct ctx *ctx, struct project_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);

	memset(in, 0, sizeof(*in));
	in->has_name = jr_string(&r, "name", JR_REQUIRED, 1, 128, &in->f.name) == JR_SET;
	read_nullable(&r, "external_id", 128, &in->f.external_id, &in->has_external_id);
	jr_int(&r, "office", JR_NULLABLE, 1, INT64_MAX, &in->office);
	return error_failed(ctx->err) ? -1 : 0;
}

/* ProjectUpdate (§11f): every member optional. */
static int read_update(struct ctx *ctx, struct project_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	struct project_fields *f = &in->f;
	int idx, rc;

	memset(in, 0, sizeof(*in));
	in->has_apartment_count = jr_int(&r, "apartment_count", 0, 0, APARTMENT_COUNT_MAX, &f->apartment_count) ==
				  JR_SET;
	read_nullable(&r, "area_info_description", TEXT_MAX, &f->area_info_description,
		      &in->has_area_info_description);
	read_nullable(&r, "area_info_header", 128, &f->area_info_header, &in->has_area_info_header);
	if (jr_enum(&r, "candidate_sorting_mode", 0, sorting_modes, &idx) == JR_SET) {
		in->has_candidate_sorting_mode = true;
		f->candidate_sorting_mode = str_from_cstr(sorting_modes[idx]);
	}
	in->has_closed = jr_bool(&r, "closed", 0, &f->closed) == JR_SET;
	if (jr_enum(&r, "contract_system", 0, contract_systems, &idx) == JR_SET) {
		in->has_contract_system = true;
		f->contract_system = str_from_cstr(contract_system_name(str_from_cstr(contract_systems[idx])));
	}
	read_nullable(&r, "external_id", 128, &f->external_id, &in->has_external_id);
	in->has_info_description = jr_string(&r, "info_description", 0, 0, TEXT_MAX, &f->info_description) == JR_SET;
	in->has_info_header = jr_string(&r, "info_header", 0, 0, 128, &f->info_header) == JR_SET;
	in->has_is_short_lease = jr_bool(&r, "is_short_lease", 0, &f->is_short_lease) == JR_SET;
	in->has_name = jr_string(&r, "name", 0, 1, 128, &f->name) == JR_SET;
	rc = read_date(&r, "preliminary_move_in_date", JR_NULLABLE, &f->preliminary_move_in_date);
	if (rc == JR_NULL)
		f->preliminary_move_in_date = STR_NULL;
	in->has_preliminary_move_in_date = rc == JR_SET || rc == JR_NULL;
	in->has_prioritize_existing_tenants =
		jr_bool(&r, "prioritize_existing_tenants", 0, &f->prioritize_existing_tenants) == JR_SET;
	in->has_published = jr_bool(&r, "published", 0, &f->published) == JR_SET;
	for (int i = 0; i < PROJECT_MODULE_COUNT; i++)
		in->has_show[i] = jr_bool(&r, module_names[i], 0, &f->show[i]) == JR_SET;
	in->has_viewing_notes = jr_string(&r, "viewing_notes", 0, 0, 3000, &f->viewing_notes) == JR_SET;
	return error_failed(ctx->err) ? -1 : 0;
}

static const char *status_of(const struct project *p)
{
	return p->f.closed ? "Closed" : p->f.published ? "Published" : "Not published";
}

/* [min, max] of a range; [] when the project has no public listing. */
static void write_range(struct jw *w, const char *key, int64_t n, const double v[2])
{
	jw_key(w, key);
	jw_array_begin(w);
	if (n > 0) {
		jw_double(w, v[0]);
		jw_double(w, v[1]);
	}
	jw_array_end(w);
}

static void write_ranges(struct jw *w, const struct project_ranges *r)
{
	double rent[2] = { (double)r->rent[0], (double)r->rent[1] };
	jw_key(w, "range_information");
	jw_object_begin(w);
	write_range(w, "area", r->n, r->area);
	write_range(w, "floor", r->n, r->floor);
	write_range(w, "rent", r->n, rent);
	write_range(w, "rooms", r->n, r->rooms);
	jw_object_end(w);
}

static void write_ref(struct jw *w, const char *key, int64_t id, struct str name)
{
	jw_key(w, key);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	if (name.ptr)
		jw_kv_str(w, "name", name); /* the observed live extra (§11f, H-43) */
	jw_object_end(w);
}

/* A freetext entry has a position, a timeline entry a date; members in alphabetical order. */
static void write_entry(struct jw *w, enum project_entry_list l, const struct project_entry *e)
{
	jw_object_begin(w);
	if (l == PROJECT_TIMELINE)
		jw_kv_str(w, "date", e->date);
	jw_kv_str(w, "description", e->description);
	jw_kv_int(w, "id", e->id);
	if (l == PROJECT_FREETEXT)
		jw_kv_int(w, "position", e->position);
	jw_kv_str(w, "title", e->title);
	jw_object_end(w);
}

static void write_location(struct jw *w, const struct project_location *l)
{
	jw_object_begin(w);
	jw_kv_str(w, "city", l->city);
	jw_kv_double(w, "latitude", l->latitude);
	jw_kv_double(w, "longitude", l->longitude);
	jw_kv_str(w, "street", l->street);
	jw_kv_str(w, "street_number", l->street_number);
	jw_kv_str(w, "zip_code", l->zip_code);
	jw_object_end(w);
}

/*
 * ProjectPublic (L3884) for everyone, ProjectLandlord (L3553) for the owner's
 * employees, keys in the seed's (alphabetical) order. The public view also carries
 * the observed live extras the model has data for (H-43): landlord.name,
 * office.name, project_location and timeline_entries.
 */
static void write_project(struct ctx *ctx, struct jw *w, const struct project_detail *d)
{
	const struct project *p = &d->p;
	const struct project_fields *f = &p->f;
	bool landlord = d->landlord_view;

	jw_object_begin(w);
	jw_kv_int(w, "apartment_count", f->apartment_count);
	kv_str_or_null(w, "area_info_description", f->area_info_description);
	kv_str_or_null(w, "area_info_header", f->area_info_header);
	if (landlord) {
		/* no autopilot runs engagements before the applicant process exists */
		jw_key(w, "autopilot");
		jw_object_begin(w);
		jw_kv_null(w, "next_engagement");
		jw_kv_cstr(w, "state", "INACTIVE");
		jw_object_end(w);
	}
	jw_kv_str(w, "candidate_sorting_mode", f->candidate_sorting_mode);
	kv_str_or_null(w, "close_date", f->close_date);
	jw_kv_bool(w, "closed", f->closed);
	jw_kv_cstr(w, "contract_system", contract_system_letter(f->contract_system));
	if (landlord) {
		kv_str_or_null(w, "external_id", f->external_id);
	} else {
		jw_key(w, "freetext_entries");
		jw_array_begin(w);
		for (size_t i = 0; i < d->nfreetext; i++)
			write_entry(w, PROJECT_FREETEXT, &d->freetext[i]);
		jw_array_end(w);
	}
	jw_kv_int(w, "id", p->id);
	jw_kv_str(w, "info_description", f->info_description);
	jw_kv_str(w, "info_header", f->info_header);
	jw_kv_bool(w, "is_short_lease", f->is_short_lease);
	write_ref(w, "landlord", p->company_id, d->company_name);
	jw_key(w, "logo");
	if (d->office_has_logo)
		jw_string(w, landlord_url(ctx, "/api/v1/offices/%lld/logo", (long long)p->office_id));
	else
		jw_null(w);
	jw_kv_str(w, "name", f->name);
	write_ref(w, "office", p->office_id, d->office_name);
	kv_str_or_null(w, "preliminary_move_in_date", f->preliminary_move_in_date);
	if (landlord)
		jw_kv_bool(w, "prioritize_existing_tenants", f->prioritize_existing_tenants);
	else {
		jw_key(w, "project_location");
		if (d->has_location)
			write_location(w, &d->location);
		else
			jw_null(w);
	}
	jw_kv_null(w, "public_profile_slug"); /* companies have no public profile page */
	kv_str_or_null(w, "publish_date", f->publish_date);
	jw_kv_bool(w, "published", f->published);
	write_ranges(w, &d->ranges);
	for (int i = 0; i < PROJECT_MODULE_COUNT; i++)
		jw_kv_bool(w, module_names[i], f->show[i]);
	jw_kv_cstr(w, "status", status_of(p));
	if (!landlord) {
		jw_key(w, "timeline_entries");
		jw_array_begin(w);
		for (size_t i = 0; i < d->ntimeline; i++)
			write_entry(w, PROJECT_TIMELINE, &d->timeline[i]);
		jw_array_end(w);
	} else {
		jw_kv_str(w, "viewing_notes", f->viewing_notes);
	}
	jw_object_end(w);
}

static int get_projects(struct ctx *ctx)
{
	struct project *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_list(ctx->core, ctx->req->arena, &ctx->caller, query_get(&ctx->query, "external_id"), &list, &n,
			  ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "projects");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w);
		jw_kv_int(w, "apartments", list[i].apartments);
		jw_kv_bool(w, "closed", list[i].f.closed);
		kv_str_or_null(w, "external_id", list[i].f.external_id);
		jw_kv_int(w, "id", list[i].id);
		jw_kv_str(w, "name", list[i].f.name);
		jw_kv_int(w, "office", list[i].office_id);
		jw_kv_bool(w, "published", list[i].f.published);
		jw_kv_cstr(w, "status", status_of(&list[i]));
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int post_project(struct ctx *ctx)
{
	struct project_input in;
	struct project p;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_create(ctx, &in) < 0 ||
	    projects_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &p, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	kv_str_or_null(w, "external_id", p.f.external_id);
	jw_kv_int(w, "id", p.id);
	jw_kv_str(w, "name", p.f.name);
	jw_object_end(w);
	return 0;
}

static int get_project(struct ctx *ctx)
{
	struct project_detail d;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 ||
	    projects_get(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &d, ctx->err) < 0)
		return -1;
	write_project(ctx, ctx_json(ctx, 200), &d);
	return 0;
}

static int patch_project(struct ctx *ctx)
{
	struct project_input in;
	struct project p;
	struct project_detail d;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_update(ctx, &in) < 0 ||
	    projects_update(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &in, &p, ctx->err) < 0 ||
	    projects_get(ctx->core, ctx->req->arena, &ctx->caller, p.id, &d, ctx->err) < 0)
		return -1;
	write_project(ctx, ctx_json(ctx, 200), &d);
	return 0;
}

static int delete_project(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_delete(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- estates and inventory ---- */

static void write_estate(struct jw *w, const struct project_estate *e)
{
	jw_object_begin(w);
	jw_kv_int(w, "ads", e->ads);
	jw_kv_int(w, "apartments", e->apartments);
	jw_kv_int(w, "id", e->id);
	jw_kv_str(w, "name", e->name);
	jw_object_end(w);
}

/* A bare array, as the seed shows it (L1944). */
static int get_estates(struct ctx *ctx)
{
	struct project_estate *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_estates(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_estate(w, &list[i]);
	jw_array_end(w);
	return 0;
}

/* An action POST: 200 (H-02) with the estate as the project now lists it. */
static int post_estate(struct ctx *ctx)
{
	struct project_estate e;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_estate_add(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx),
				route_param_int(&ctx->params, "estate_id"), &e, ctx->err) < 0)
		return -1;
	write_estate(ctx_json(ctx, 200), &e);
	return 0;
}

static int delete_estate(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_estate_remove(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx),
				   route_param_int(&ctx->params, "estate_id"), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* The listing as its date-time (H-17: access dates are emitted as midnight UTC). */
static void write_ad(struct ctx *ctx, struct jw *w, const struct project_inventory_item *it)
{
	jw_key(w, "object_ad");
	if (!it->ad_id) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_int(w, "applications", it->ad_applications);
	jw_kv_int(w, "id", it->ad_id);
	jw_key(w, "move_in_date");
	if (it->ad_move_in_date.ptr)
		jw_cstr(w, arena_printf(ctx->req->arena, "%.*sT00:00:00Z", STR_FMT(it->ad_move_in_date)));
	else
		jw_null(w);
	jw_kv_bool(w, "prior_access_available", it->ad_prior_access);
	jw_key(w, "requirement");
	if (it->ad_requirement)
		jw_int(w, it->ad_requirement);
	else
		jw_null(w);
	jw_kv_str(w, "status", it->ad_status);
	jw_object_end(w);
}

static void write_item(struct ctx *ctx, struct jw *w, const struct project_inventory_item *it)
{
	jw_object_begin(w);
	jw_key(w, "apartment");
	jw_object_begin(w);
	jw_kv_int(w, "id", it->apartment_id);
	kv_str_or_null(w, "landlord_object_id", it->landlord_object_id);
	jw_kv_str(w, "national_id", it->national_id);
	jw_kv_int(w, "notes_count", it->notes_count);
	jw_kv_int(w, "rent", it->rent);
	jw_kv_double(w, "rooms", it->rooms);
	jw_kv_str(w, "street", it->street);
	jw_kv_str(w, "street_number", it->street_number);
	jw_object_end(w);
	jw_key(w, "estate");
	jw_object_begin(w);
	jw_kv_int(w, "id", it->estate_id);
	jw_kv_str(w, "name", it->estate_name);
	jw_object_end(w);
	write_ad(ctx, w, it);
	jw_key(w, "snapshots");
	jw_array_begin(w);
	for (size_t i = 0; i < it->nsnapshots; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "closed", it->snapshots[i].closed);
		jw_kv_str(w, "employee", it->snapshots[i].employee);
		jw_kv_cstr(w, "outcome", "Rented");
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static int get_inventory(struct ctx *ctx)
{
	struct project_inventory_item *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_inventory(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_item(ctx, w, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

/* ---- pictures and videos ---- */

static bool is_video(const struct project_media *m)
{
	return ((1u << m->kind) & VIDEO_MASK) != 0;
}

/*
 * H-09's items: pictures {caption, id, picture_type, position, project, reference,
 * thumbnail_url, url}, videos {id, position, private, project, reference, url, video_type}.
 */
static void write_media(struct ctx *ctx, struct jw *w, const struct project_media *m)
{
	const char *type = project_media_kind_name(m->kind);

	jw_object_begin(w);
	if (!is_video(m))
		jw_kv_str(w, "caption", m->caption);
	jw_kv_int(w, "id", m->id);
	if (!is_video(m))
		jw_kv_cstr(w, "picture_type", type);
	jw_kv_int(w, "position", m->position);
	if (is_video(m))
		jw_kv_bool(w, "private", false); /* project videos are public: the API has no way to hide one */
	jw_kv_int(w, "project", m->project_id);
	jw_kv_str(w, "reference", m->reference);
	if (!is_video(m)) {
		/* the smallest thumbnail of §15 rule 28, once the thumbnail job has stored them */
		jw_key(w, "thumbnail_url");
		if (m->thumbnails)
			jw_string(w, landlord_url(ctx, "/media/%d/%.*s/%.*s.jpeg", media_thumb_widths[0],
						  STR_FMT(m->category), STR_FMT(m->sha256)));
		else
			jw_null(w);
	}
	jw_kv_str(w, "url", landlord_url(ctx, "/media/%.*s", STR_FMT(m->key)));
	if (is_video(m))
		jw_kv_cstr(w, "video_type", type);
	jw_object_end(w);
}

static void write_media_list(struct ctx *ctx, struct jw *w, const struct project_media *list, size_t n)
{
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_media(ctx, w, &list[i]);
	jw_array_end(w);
}

/* picture_type is required on the picture list (H-34: a query parameter). */
static int picture_type_query(struct ctx *ctx, unsigned *mask)
{
	struct str v = query_get(&ctx->query, "picture_type");
	if (!v.ptr || !v.len)
		return error_field(ctx->err, "picture_type", RULE_REQUIRED,
				   "this query parameter is required: project_image or project_area_image");
	for (int i = 0; picture_types[i]; i++)
		if (str_eq_cstr(v, picture_types[i])) {
			*mask = 1u << project_media_kind_parse(v);
			return 0;
		}
	return error_field(ctx->err, "picture_type", RULE_ENUM, "must be one of: project_image, project_area_image");
}

static bool is_video_route(const struct ctx *ctx)
{
	return strstr(ctx->route->pattern, "/videos") != NULL;
}

static int get_media_list(struct ctx *ctx)
{
	bool videos = is_video_route(ctx);
	unsigned mask = VIDEO_MASK;
	struct project_media *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, videos ? AUTH_OPTIONAL : AUTH_EMPLOYEE) < 0 ||
	    (!videos && picture_type_query(ctx, &mask) < 0) ||
	    projects_media_list(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), mask, &list, &n,
				ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	write_media_list(ctx, w, list, n);
	jw_object_end(w);
	return 0;
}

static int post_media(struct ctx *ctx)
{
	bool videos = is_video_route(ctx);
	struct jr r;
	struct str caption = STR_NULL, reference = STR_NULL;
	int type = 0;
	int64_t id;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	if (!videos)
		jr_string(&r, "caption", 0, 0, 70, &caption); /* 70 on create, 255 on update (H-15) */
	jr_string(&r, "file_reference", JR_REQUIRED, 1, 128, &reference);
	jr_enum(&r, videos ? "video_type" : "picture_type", 0, videos ? video_types : picture_types, &type);
	if (error_failed(ctx->err) ||
	    projects_media_create(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx),
				  (enum project_media_kind)project_media_kind_parse(
					  str_from_cstr(videos ? video_types[type] : picture_types[type])),
				  caption, reference, &id, ctx->err) < 0)
		return -1;
	write_id(ctx, 201, id);
	return 0;
}

static int64_t media_item_id(const struct ctx *ctx)
{
	return route_param_int(&ctx->params, is_video_route(ctx) ? "video_id" : "picture_id");
}

/* Pictures: caption and position; videos: position only (the seed's update tables). */
static int patch_media(struct ctx *ctx)
{
	bool videos = is_video_route(ctx);
	struct jr r;
	struct str caption = STR_NULL;
	int64_t position = -1;
	struct project_media m;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	if (!videos)
		jr_string(&r, "caption", 0, 0, 255, &caption);
	jr_int(&r, "position", 0, 0, POSITION_MAX, &position);
	if (error_failed(ctx->err) ||
	    projects_media_update(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx),
				  videos ? VIDEO_MASK : PICTURE_MASK, media_item_id(ctx), caption, position, &m,
				  ctx->err) < 0)
		return -1;
	write_media(ctx, ctx_json(ctx, 200), &m);
	return 0;
}

static int delete_media(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_media_delete(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx),
				  is_video_route(ctx) ? VIDEO_MASK : PICTURE_MASK, media_item_id(ctx), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/*
 * GET /api/v1/projects/{id}/media (§14, observed without a documented shape): every
 * picture, video and 3D view of a project the caller may read, in the list items'
 * shapes: {"pictures": [...], "videos": [...], "3d_views": [...]}.
 */
static int get_all_media(struct ctx *ctx)
{
	struct project_media_set set;
	size_t npictures = 0;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 ||
	    projects_media_all(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &set, ctx->err) < 0)
		return -1;
	while (npictures < set.nmedia && !is_video(&set.media[npictures]))
		npictures++; /* pictures come first (store order: kind, position) */
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "3d_views");
	jw_array_begin(w);
	for (size_t i = 0; i < set.nviews; i++)
		landlord_write_view3d(w, &set.views[i]);
	jw_array_end(w);
	jw_key(w, "pictures");
	write_media_list(ctx, w, set.media, npictures);
	jw_key(w, "videos");
	write_media_list(ctx, w, set.media + npictures, set.nmedia - npictures);
	jw_object_end(w);
	return 0;
}

/* ---- 3D views ---- */

static int get_views(struct ctx *ctx)
{
	struct view3d *list;
	size_t n;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    views3d_list(ctx->core, ctx->req->arena, &ctx->caller, &projects_views3d, project_id(ctx), &list, &n,
			 ctx->err) < 0)
		return -1;
	landlord_write_view3d_list(ctx, list, n);
	return 0;
}

/* position: a number or numeric string on both operations; url up to 128 on both (H-13). */
static void read_view(struct jr *r, bool create, int64_t *position, struct str *title, struct str *url)
{
	struct str v;
	jr_int(r, "position", 0, 0, PROJECT_MAX_ITEMS, position);
	jr_string(r, "title", 0, 0, 70, title);
	if (jr_string(r, "url", create ? JR_REQUIRED : 0, 1, 128, &v) == JR_SET) {
		if (is_http_url(v))
			*url = v;
		else
			error_field(r->err, "url", RULE_FORMAT, "must be an http or https URL");
	}
}

static int post_view(struct ctx *ctx)
{
	struct jr r;
	struct str title = STR_NULL, url = STR_NULL;
	int64_t position = -1, id;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	read_view(&r, true, &position, &title, &url);
	if (error_failed(ctx->err) ||
	    views3d_create(ctx->core, ctx->req->arena, &ctx->caller, &projects_views3d, project_id(ctx), position,
			   title, url, &id, ctx->err) < 0)
		return -1;
	write_id(ctx, 201, id);
	return 0;
}

static int patch_view(struct ctx *ctx)
{
	struct jr r;
	struct str title = STR_NULL, url = STR_NULL;
	int64_t position = -1;
	struct view3d v;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	read_view(&r, false, &position, &title, &url);
	if (error_failed(ctx->err) ||
	    views3d_update(ctx->core, ctx->req->arena, &ctx->caller, &projects_views3d, project_id(ctx),
			   route_param_int(&ctx->params, "3d_view_id"), position, title, url, &v, ctx->err) < 0)
		return -1;
	landlord_write_view3d(ctx_json(ctx, 200), &v);
	return 0;
}

static int delete_view(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    views3d_delete(ctx->core, ctx->req->arena, &ctx->caller, &projects_views3d, project_id(ctx),
			   route_param_int(&ctx->params, "3d_view_id"), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- freetext and timeline entries ---- */

static void read_freetext(struct jr *r, bool create, struct project_entry *e)
{
	unsigned req = create ? JR_REQUIRED : 0;
	memset(e, 0, sizeof(*e));
	e->position = -1;
	jr_string(r, "description", req, 1, TEXT_MAX, &e->description);
	jr_int(r, "position", req, 0, POSITION_MAX, &e->position);
	jr_string(r, "title", req, 1, 256, &e->title);
}

static void read_timeline(struct jr *r, bool create, struct project_entry *e)
{
	unsigned req = create ? JR_REQUIRED : 0;
	memset(e, 0, sizeof(*e));
	e->position = -1;
	read_date(r, "date", req, &e->date);
	jr_string(r, "description", req, 1, TEXT_MAX, &e->description);
	jr_string(r, "title", req, 1, 256, &e->title);
}

/* One list of entries on the wire: which list, its route's entry id, its reader. */
struct entry_wire {
	enum project_entry_list list;
	const char *id_param;
	void (*read)(struct jr *r, bool create, struct project_entry *e);
};

static const struct entry_wire freetext_wire = { PROJECT_FREETEXT, "freetext_id", read_freetext };
static const struct entry_wire timeline_wire = { PROJECT_TIMELINE, "timeline_id", read_timeline };

static int get_entries(struct ctx *ctx, const struct entry_wire *k)
{
	struct project_entry *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 || projects_entry_list(ctx->core, ctx->req->arena, &ctx->caller, k->list,
								     project_id(ctx), &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_entry(w, k->list, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int post_entry(struct ctx *ctx, const struct entry_wire *k)
{
	struct jr r;
	struct project_entry e;
	int64_t id;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	k->read(&r, true, &e);
	if (error_failed(ctx->err) || projects_entry_create(ctx->core, ctx->req->arena, &ctx->caller, k->list,
							    project_id(ctx), &e, &id, ctx->err) < 0)
		return -1;
	write_id(ctx, 201, id);
	return 0;
}

static int patch_entry(struct ctx *ctx, const struct entry_wire *k)
{
	struct jr r;
	struct project_entry e, out;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	k->read(&r, false, &e);
	e.id = route_param_int(&ctx->params, k->id_param);
	if (error_failed(ctx->err) || projects_entry_update(ctx->core, ctx->req->arena, &ctx->caller, k->list,
							    project_id(ctx), &e, &out, ctx->err) < 0)
		return -1;
	write_entry(ctx_json(ctx, 200), k->list, &out);
	return 0;
}

static int delete_entry(struct ctx *ctx, const struct entry_wire *k)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    projects_entry_delete(ctx->core, ctx->req->arena, &ctx->caller, k->list, project_id(ctx),
				  route_param_int(&ctx->params, k->id_param), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204); /* a body, if any, is ignored (H-12) */
	return 0;
}

/* the route table's handlers take the context alone */
static int get_freetext(struct ctx *ctx) { return get_entries(ctx, &freetext_wire); }
static int post_freetext(struct ctx *ctx) { return post_entry(ctx, &freetext_wire); }
static int patch_freetext(struct ctx *ctx) { return patch_entry(ctx, &freetext_wire); }
static int delete_freetext(struct ctx *ctx) { return delete_entry(ctx, &freetext_wire); }
static int get_timeline(struct ctx *ctx) { return get_entries(ctx, &timeline_wire); }
static int post_timeline(struct ctx *ctx) { return post_entry(ctx, &timeline_wire); }
static int patch_timeline(struct ctx *ctx) { return patch_entry(ctx, &timeline_wire); }
static int delete_timeline(struct ctx *ctx) { return delete_entry(ctx, &timeline_wire); }

/* ---- location ---- */

static int get_location(struct ctx *ctx)
{
	struct project_location l;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0 ||
	    projects_location_get(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &l, ctx->err) < 0)
		return -1;
	write_location(ctx_json(ctx, 200), &l);
	return 0;
}

/* PUT canonical, PATCH accepted (G-02): city, latitude and longitude stay required on both. */
static int put_location(struct ctx *ctx)
{
	struct jr r;
	struct project_location l;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	memset(&l, 0, sizeof(l));
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "city", JR_REQUIRED, 1, 128, &l.city);
	jr_double(&r, "latitude", JR_REQUIRED, -90, 90, &l.latitude);
	jr_double(&r, "longitude", JR_REQUIRED, -180, 180, &l.longitude);
	jr_string(&r, "street", 0, 0, 128, &l.street);
	jr_string(&r, "street_number", 0, 0, 16, &l.street_number);
	jr_string(&r, "zip_code", 0, 0, 32, &l.zip_code);
	if (error_failed(ctx->err) ||
	    projects_location_put(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &l, ctx->err) < 0 ||
	    projects_location_get(ctx->core, ctx->req->arena, &ctx->caller, project_id(ctx), &l, ctx->err) < 0)
		return -1;
	write_location(ctx_json(ctx, 200), &l);
	return 0;
}

/* designated initializers: struct route may grow fields that these routes leave zero */
#define R(m, pattern_, fn, flags_) \
	{ .method = (m), .pattern = (pattern_), .handler = (fn), .dialect = DIALECT_LANDLORD, .flags = (flags_) }
#define J ROUTE_JSON
#define P "/api/v1/projects/{id:int}"

const struct route landlord_projects_routes[] = {
	R(HTTP_GET, "/api/v1/projects", get_projects, 0),
	R(HTTP_POST, "/api/v1/projects", post_project, J),
	R(HTTP_GET, P, get_project, 0),
	R(HTTP_PATCH, P, patch_project, J),
	R(HTTP_PUT, P, patch_project, J),
	R(HTTP_DELETE, P, delete_project, 0),
	R(HTTP_GET, P "/pictures", get_media_list, 0),
	R(HTTP_POST, P "/pictures", post_media, J),
	R(HTTP_PATCH, P "/pictures/{picture_id:int}", patch_media, J),
	R(HTTP_PUT, P "/pictures/{picture_id:int}", patch_media, J),
	R(HTTP_DELETE, P "/pictures/{picture_id:int}", delete_media, 0),
	R(HTTP_GET, P "/videos", get_media_list, 0),
	R(HTTP_POST, P "/videos", post_media, J),
	R(HTTP_PATCH, P "/videos/{video_id:int}", patch_media, J),
	R(HTTP_PUT, P "/videos/{video_id:int}", patch_media, J),
	R(HTTP_DELETE, P "/videos/{video_id:int}", delete_media, 0),
	R(HTTP_GET, P "/3d_views", get_views, 0),
	R(HTTP_POST, P "/3d_views", post_view, J),
	R(HTTP_PATCH, P "/3d_views/{3d_view_id:int}", patch_view, J),
	R(HTTP_PUT, P "/3d_views/{3d_view_id:int}", patch_view, J),
	R(HTTP_DELETE, P "/3d_views/{3d_view_id:int}", delete_view, 0),
	R(HTTP_GET, P "/freetext", get_freetext, 0),
	R(HTTP_POST, P "/freetext", post_freetext, J),
	R(HTTP_PATCH, P "/freetext/{freetext_id:int}", patch_freetext, J),
	R(HTTP_PUT, P "/freetext/{freetext_id:int}", patch_freetext, J),
	R(HTTP_DELETE, P "/freetext/{freetext_id:int}", delete_freetext, 0),
	R(HTTP_GET, P "/timeline", get_timeline, 0),
	R(HTTP_POST, P "/timeline", post_timeline, J),
	R(HTTP_PATCH, P "/timeline/{timeline_id:int}", patch_timeline, J),
	R(HTTP_PUT, P "/timeline/{timeline_id:int}", patch_timeline, J),
	R(HTTP_DELETE, P "/timeline/{timeline_id:int}", delete_timeline, 0),
	R(HTTP_GET, P "/location", get_location, 0),
	R(HTTP_PUT, P "/location", put_location, J),
	R(HTTP_PATCH, P "/location", put_location, J),
	R(HTTP_GET, P "/estates", get_estates, 0),
	R(HTTP_POST, P "/estates/{estate_id:int}", post_estate, J),
	R(HTTP_DELETE, P "/estates/{estate_id:int}", delete_estate, 0),
	R(HTTP_GET, P "/inventory", get_inventory, 0),
	R(HTTP_GET, P "/media", get_all_media, 0),
};
const size_t landlord_projects_routes_count = sizeof(landlord_projects_routes) / sizeof(landlord_projects_routes[0]);
