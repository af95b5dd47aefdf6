#include "core/listings/projects.h"

#include <string.h>
#include <time.h>

#include "core/listings/cards.h"
#include "core/media/media.h"
#include "core/identity/rights.h"
#include "core/transaction.h"
#include "store/inventory/store_inventory.h"

/* ---- contract systems (H-16) ---- */

static const char *const contract_names[] = { "external", "manual_selection", "automatic", "manual_selection_lock",
					      "automatic_strict" };
static const char *const contract_letters[] = { "A", "B", "C", "D", "S" };

static int contract_index(struct str v)
{
	for (int i = 0; i < 5; i++)
		if (str_eq_cstr(v, contract_names[i]) || str_eq_cstr(v, contract_letters[i]))
			return i;
	return -1;
}

const char *project_media_kind_name(enum project_media_kind kind)
{
	return store_project_media_kind_name(kind);
}

const char *contract_system_letter(struct str name_or_letter)
{
	int i = contract_index(name_or_letter);
	return i < 0 ? NULL : contract_letters[i];
}

const char *contract_system_name(struct str name_or_letter)
{
	int i = contract_index(name_or_letter);
	return i < 0 ? NULL : contract_names[i];
}

/* ---- scope ---- */

static int need_update_right(const struct caller *who, struct error *err)
{
	return caller_require_right(who, RIGHT_PROJECT_UPDATE, err);
}

/* A project of the caller's company in its subtree; else NOT_FOUND. */
static int visible_project(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct project *out,
			   struct error *err)
{
	if (store_project_get(c->store, a, who->user.company_id, id, out, err) < 0)
		return -1;
	if (!caller_sees_path(who, out->office_path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such project");
	return 0;
}

/* True when the caller is an employee of the owner whose subtree holds the project. */
static bool owner_view(const struct caller *who, const struct project *p)
{
	return who->kind == CALLER_EMPLOYEE && p->company_id == who->user.company_id &&
	       caller_sees_path(who, p->office_path);
}

/* For public reads: the owner's employees see it always, everyone else once it is published. */
static int readable_project(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    struct project *out, struct error *err)
{
	if (store_project_get(c->store, a, 0, id, out, err) < 0)
		return -1;
	if (!owner_view(who, out) && !out->f.published)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such project");
	return 0;
}

/* Today's UTC calendar date, YYYY-MM-DD, in the arena. */
static struct str today(struct arena *a)
{
	time_t now = (time_t)core_now();
	struct tm tm;
	char *buf = arena_alloc(a, 11);
	gmtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
	return (struct str){ buf, strlen(buf) };
}

/* ---- the project ---- */

int projects_listing_defaults(struct core *c, struct arena *a, int64_t project_id, struct project_defaults *out,
			      struct error *err)
{
	struct project p;

	memset(out, 0, sizeof(*out));
	if (store_project_get(c->store, a, 0, project_id, &p, err) < 0)
		return -1;
	out->id = p.id;
	out->company_id = p.company_id;
	out->office_id = p.office_id;
	out->published = p.f.published;
	out->closed = p.f.closed;
	out->active = p.f.published && !p.f.closed;
	out->candidate_sorting_mode = p.f.candidate_sorting_mode;
	out->contract_system = p.f.contract_system;
	out->is_short_lease = p.f.is_short_lease;
	out->prioritize_existing_tenants = p.f.prioritize_existing_tenants;
	out->preliminary_move_in_date = p.f.preliminary_move_in_date;
	return 0;
}

int projects_estate_project(struct core *c, int64_t estate_id, int64_t *project_id, struct error *err)
{
	return store_estate_project(c->store, estate_id, project_id, err);
}

int projects_list(struct core *c, struct arena *a, const struct caller *who, struct str external_id,
		  struct project **out, size_t *n, struct error *err)
{
	return store_project_list(c->store, a, who->user.company_id, who->user.root_office_path, external_id, out, n,
				  err);
}

/* A new project takes its office's sorting mode and contract system (§15 rule 5: offices hold defaults). */
static int create_rows(struct core *c, struct arena *a, const struct caller *who, const struct project_input *in,
		       int64_t *id, struct error *err)
{
	struct office o;
	struct project_fields f;
	int64_t office = in->office;

	if (!office)
		office = who->user.selected_office_id ? who->user.selected_office_id : who->user.root_office_id;
	if (store_office_get(c->store, a, who->user.company_id, office, &o, err) < 0)
		return -1;
	if (!caller_sees_path(who, o.path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such office");
	memset(&f, 0, sizeof(f));
	f.name = in->f.name;
	f.external_id = in->has_external_id ? in->f.external_id : STR_NULL;
	f.candidate_sorting_mode = o.f.candidate_sorting_mode;
	f.contract_system = o.f.contract_system;
	return store_project_insert(c->store, who->user.company_id, o.id, &f, id, err);
}

int projects_create(struct core *c, struct arena *a, const struct caller *who, const struct project_input *in,
		    struct project *out, struct error *err)
{
	int64_t id;

	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, create_rows(c, a, who, in, &id, err));
	return visible_project(c, a, who, id, out, err);
}

static int detail_of(struct core *c, struct arena *a, struct project_detail *d, struct error *err)
{
	struct company co;
	struct office o;
	const struct project *p = &d->p;

	if (store_company_get(c->store, a, p->company_id, &co, err) < 0 ||
	    store_office_get(c->store, a, p->company_id, p->office_id, &o, err) < 0 ||
	    store_project_ranges(c->store, p->id, &d->ranges, err) < 0 ||
	    store_project_entry_list(c->store, a, PROJECT_FREETEXT, p->id, &d->freetext, &d->nfreetext, err) < 0 ||
	    store_project_entry_list(c->store, a, PROJECT_TIMELINE, p->id, &d->timeline, &d->ntimeline, err) < 0)
		return -1;
	d->company_name = co.name;
	d->office_name = o.f.name;
	d->office_has_logo = o.has_logo;
	if (store_project_location_get(c->store, a, p->id, &d->location, err) == 0) {
		d->has_location = true;
	} else {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
	}
	return 0;
}

int projects_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct project_detail *out,
		 struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (readable_project(c, a, who, id, &out->p, err) < 0)
		return -1;
	out->landlord_view = owner_view(who, &out->p);
	return detail_of(c, a, out, err);
}

/* What publishing asks for (§15 rule 50: the seed says only that there are prerequisites). */
static int check_publishable(const struct project *p, const struct project_fields *f, struct error *err)
{
	if (!f->closed && f->info_header.len && f->info_description.len && p->estates > 0)
		return 0;
	error_set(err, ERROR_PRECONDITION, "ProjectNotPublishable",
		  "The project can not be published yet: it needs an info_header, an info_description and at"
		  " least one estate, and it must not be closed.");
	if (f->closed)
		error_field(err, "closed", RULE_RANGE, "a closed project can not be published");
	if (!f->info_header.len)
		error_field(err, "info_header", RULE_REQUIRED, "must be set before publishing");
	if (!f->info_description.len)
		error_field(err, "info_description", RULE_REQUIRED, "must be set before publishing");
	if (p->estates == 0)
		error_field(err, "estates", RULE_REQUIRED, "add at least one estate before publishing");
	return -1;
}

/* The request's members over the stored project. */
static void take_input(struct project_fields *f, const struct project_input *in)
{
#define TAKE(field)               \
	if (in->has_##field)      \
		f->field = in->f.field;
	TAKE(name)
	TAKE(external_id)
	TAKE(published)
	TAKE(closed)
	TAKE(candidate_sorting_mode)
	TAKE(contract_system)
	TAKE(is_short_lease)
	TAKE(prioritize_existing_tenants)
	TAKE(apartment_count)
	TAKE(area_info_description)
	TAKE(area_info_header)
	TAKE(info_description)
	TAKE(info_header)
	TAKE(preliminary_move_in_date)
	TAKE(viewing_notes)
#undef TAKE
	for (int i = 0; i < PROJECT_MODULE_COUNT; i++)
		if (in->has_show[i])
			f->show[i] = in->f.show[i];
}

static int update_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		       const struct project_input *in, struct error *err)
{
	struct project p;
	struct project_fields f;

	if (visible_project(c, a, who, id, &p, err) < 0)
		return -1;
	f = p.f;
	take_input(&f, in);
	/* H-04: the listing-level settings need the advanced right, but resending the stored value is no change */
	if ((!str_eq(f.candidate_sorting_mode, p.f.candidate_sorting_mode) ||
	     !str_eq(f.contract_system, p.f.contract_system)) &&
	    caller_require_right(who, RIGHT_OBJECT_AD_ADVANCED, err) < 0)
		return -1;
	if (p.f.published && !f.published)
		return error_set(err, ERROR_PRECONDITION, "ProjectPublished",
				 "A published project can not be unpublished; close it instead.");
	if (f.published && !p.f.published) {
		if (check_publishable(&p, &f, err) < 0)
			return -1;
		f.publish_date = today(a);
	}
	if (f.closed && !p.f.closed)
		f.close_date = today(a);
	else if (!f.closed)
		f.close_date = STR_NULL;
	if (store_project_update(c->store, id, &f, err) < 0)
		return -1;
	return cards_sync_project(c, id, err);
}

int projects_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		    const struct project_input *in, struct project *out, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, update_rows(c, a, who, id, in, err));
	return visible_project(c, a, who, id, out, err);
}

static int delete_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	struct project p;
	int64_t ads;

	if (visible_project(c, a, who, id, &p, err) < 0 || store_project_ads(c->store, id, 0, &ads, err) < 0)
		return -1;
	if (p.f.publish_date.ptr)
		return error_set(err, ERROR_PRECONDITION, "ProjectPublished",
				 "A published project can not be deleted through the API.");
	if (ads > 0)
		return error_set(err, ERROR_PRECONDITION, "HasAds",
				 "This project has %lld listing(s); delete them before the project.", (long long)ads);
	if (store_project_detach_deleted_ads(c->store, id, err) < 0 || store_project_delete(c->store, id, err) < 0)
		return -1;
	return cards_sync_project(c, id, err);
}

int projects_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, delete_rows(c, a, who, id, err));
	return 0;
}

/* ---- estates and inventory ---- */

int projects_estates(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		     struct project_estate **out, size_t *n, struct error *err)
{
	struct project p;
	*n = 0;
	if (visible_project(c, a, who, id, &p, err) < 0)
		return -1;
	return store_project_estates(c->store, a, id, out, n, err);
}

/* The estate, of the caller's company and in its subtree; else NOT_FOUND. */
static int visible_estate(struct core *c, struct arena *a, const struct caller *who, int64_t estate_id,
			  struct estate *out, struct error *err)
{
	if (store_estate_get(c->store, a, who->user.company_id, estate_id, out, err) < 0)
		return -1;
	if (!caller_sees_path(who, out->office_path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such estate");
	return 0;
}

static int estate_add_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id, int64_t estate_id,
			   struct error *err)
{
	struct project p;
	struct estate e;
	int64_t current;

	if (visible_project(c, a, who, id, &p, err) < 0 || visible_estate(c, a, who, estate_id, &e, err) < 0 ||
	    store_estate_project(c->store, estate_id, &current, err) < 0)
		return -1;
	if (p.f.closed)
		return error_set(err, ERROR_PRECONDITION, "ProjectClosed", "Project is already closed");
	if (e.office_id != p.office_id)
		return error_set(err, ERROR_PRECONDITION, "IllegalOfficeHierarchy",
				 "Estate and project need to belong to the same office");
	if (current)
		return error_set(err, ERROR_PRECONDITION, "AlreadyInProject",
				 "This estate is already added in a project.");
	if (store_estate_set_project(c->store, estate_id, id, err) < 0 || cards_sync_estate(c, estate_id, err) < 0)
		return -1;
	return cards_sync_project(c, id, err);
}

int projects_estate_add(struct core *c, struct arena *a, const struct caller *who, int64_t id, int64_t estate_id,
			struct project_estate *out, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, estate_add_rows(c, a, who, id, estate_id, err));
	return store_project_estate_get(c->store, a, id, estate_id, out, err);
}

static int estate_remove_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			      int64_t estate_id, struct error *err)
{
	struct project p;
	struct estate e;
	int64_t current, ads;

	if (visible_project(c, a, who, id, &p, err) < 0 || visible_estate(c, a, who, estate_id, &e, err) < 0 ||
	    store_estate_project(c->store, estate_id, &current, err) < 0)
		return -1;
	if (current != id)
		return error_set(err, ERROR_PRECONDITION, "NotInProject", "This estate is not part of this project.");
	if (store_project_ads(c->store, id, estate_id, &ads, err) < 0)
		return -1;
	if (ads > 0)
		return error_set(err, ERROR_PRECONDITION, "HasAds",
				 "This estate has ads. You cannot remove this estate from the project.");
	if (store_estate_set_project(c->store, estate_id, 0, err) < 0 || cards_sync_estate(c, estate_id, err) < 0)
		return -1;
	return cards_sync_project(c, id, err);
}

int projects_estate_remove(struct core *c, struct arena *a, const struct caller *who, int64_t id, int64_t estate_id,
			   struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, estate_remove_rows(c, a, who, id, estate_id, err));
	return 0;
}

int projects_inventory(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		       struct project_inventory_item **out, size_t *n, struct error *err)
{
	struct project p;
	*n = 0;
	if (visible_project(c, a, who, id, &p, err) < 0)
		return -1;
	return store_project_inventory(c->store, a, id, out, n, err);
}

/* ---- pictures and videos ---- */

#define PICTURE_MASK ((1u << PROJECT_MEDIA_IMAGE) | (1u << PROJECT_MEDIA_AREA_IMAGE))
#define VIDEO_MASK ((1u << PROJECT_MEDIA_VIDEO) | (1u << PROJECT_MEDIA_AREA_VIDEO))

int project_media_kind_parse(struct str type)
{
	for (int i = 0; i < PROJECT_MEDIA_KIND_COUNT; i++)
		if (str_eq_cstr(type, store_project_media_kind_name((enum project_media_kind)i)))
			return i;
	return -1;
}

int projects_media_list(struct core *c, struct arena *a, const struct caller *who, int64_t id, unsigned mask,
			struct project_media **out, size_t *n, struct error *err)
{
	struct project p;

	*n = 0;
	if (mask & ~VIDEO_MASK) {
		/* pictures: the landlord's, behind the right (H-33) */
		if (need_update_right(who, err) < 0 || visible_project(c, a, who, id, &p, err) < 0)
			return -1;
	} else if (readable_project(c, a, who, id, &p, err) < 0) {
		return -1;
	}
	return store_project_media_list(c->store, a, id, mask, out, n, err);
}

static int media_create_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			     enum project_media_kind kind, struct str caption, struct str reference, int64_t *item_id,
			     struct error *err)
{
	struct project p;
	int64_t count;
	bool video = (1u << kind) & VIDEO_MASK;

	if (visible_project(c, a, who, id, &p, err) < 0 ||
	    media_reference_usable(c, a, who, "file_reference", store_project_media_kind_name(kind), reference, err) <
		    0 ||
	    store_project_media_count(c->store, id, kind, &count, err) < 0)
		return -1;
	if (count >= PROJECT_MAX_ITEMS)
		return error_set(err, ERROR_CONFLICT, video ? "TooManyVideos" : "TooManyPictures",
				 "A project has at most %d %s of type %s.", PROJECT_MAX_ITEMS,
				 video ? "videos" : "pictures", store_project_media_kind_name(kind));
	if (store_project_media_insert(c->store, id, kind, caption, reference, item_id, err) < 0)
		return -1;
	return cards_sync_project(c, id, err);
}

int projects_media_create(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  enum project_media_kind kind, struct str caption, struct str reference, int64_t *item_id,
			  struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, media_create_rows(c, a, who, id, kind, caption, reference, item_id, err));
	return 0;
}

static int media_write_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id, unsigned mask,
			    int64_t item_id, struct str caption, int64_t position, bool remove, struct error *err)
{
	struct project p;
	struct project_media m;

	/* the item must be of the list the path names (a picture is not reachable under /videos) */
	if (visible_project(c, a, who, id, &p, err) < 0 ||
	    store_project_media_get(c->store, a, id, mask, item_id, &m, err) < 0)
		return -1;
	if (remove ? store_project_media_delete(c->store, id, item_id, err) < 0
		   : store_project_media_update(c->store, id, item_id, caption, position, err) < 0)
		return -1;
	return cards_sync_project(c, id, err);
}

int projects_media_update(struct core *c, struct arena *a, const struct caller *who, int64_t id, unsigned mask,
			  int64_t item_id, struct str caption, int64_t position, struct project_media *out,
			  struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, media_write_rows(c, a, who, id, mask, item_id, caption, position, false, err));
	return store_project_media_get(c->store, a, id, mask, item_id, out, err);
}

int projects_media_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, unsigned mask,
			  int64_t item_id, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, media_write_rows(c, a, who, id, mask, item_id, STR_NULL, -1, true, err));
	return 0;
}

int projects_media_all(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		       struct project_media_set *out, struct error *err)
{
	struct project p;

	memset(out, 0, sizeof(*out));
	if (readable_project(c, a, who, id, &p, err) < 0 ||
	    store_project_media_list(c->store, a, id, PICTURE_MASK | VIDEO_MASK, &out->media, &out->nmedia, err) < 0)
		return -1;
	return store_view3d_list(c->store, a, VIEW3D_PROJECT, id, &out->views, &out->nviews, err);
}

/* ---- 3D views (core/listings/views3d.h) ---- */

static int project_seen(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	struct project p;
	return visible_project(c, a, who, id, &p, err);
}

const struct views3d_owner projects_views3d = {
	.table = VIEW3D_PROJECT,
	.right = RIGHT_PROJECT_UPDATE,
	.visible = project_seen,
	.max = PROJECT_MAX_ITEMS,
	.noun = "A project",
};

/* ---- freetext and timeline entries ---- */

/* What a full list says (ERROR_CONFLICT), per list. */
static const struct {
	const char *code, *noun;
} entry_limit[] = {
	[PROJECT_FREETEXT] = { "TooManyFreetextEntries", "freetext entries" },
	[PROJECT_TIMELINE] = { "TooManyTimelineEntries", "timeline entries" },
};

int projects_entry_list(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			int64_t id, struct project_entry **out, size_t *n, struct error *err)
{
	struct project p;
	*n = 0;
	if (readable_project(c, a, who, id, &p, err) < 0)
		return -1;
	return store_project_entry_list(c->store, a, l, id, out, n, err);
}

static int entry_create_rows(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			     int64_t id, const struct project_entry *e, int64_t *entry_id, struct error *err)
{
	struct project p;
	int64_t count;

	if (visible_project(c, a, who, id, &p, err) < 0 || store_project_entry_count(c->store, l, id, &count, err) < 0)
		return -1;
	if (count >= PROJECT_MAX_ITEMS)
		return error_set(err, ERROR_CONFLICT, entry_limit[l].code, "A project has at most %d %s.",
				 PROJECT_MAX_ITEMS, entry_limit[l].noun);
	return store_project_entry_insert(c->store, l, id, e, entry_id, err);
}

int projects_entry_create(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			  int64_t id, const struct project_entry *e, int64_t *entry_id, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, entry_create_rows(c, a, who, l, id, e, entry_id, err));
	return 0;
}

static int entry_update_rows(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			     int64_t id, const struct project_entry *e, struct error *err)
{
	struct project p;
	struct project_entry cur;

	if (visible_project(c, a, who, id, &p, err) < 0 ||
	    store_project_entry_get(c->store, a, l, id, e->id, &cur, err) < 0)
		return -1;
	if (e->date.ptr)
		cur.date = e->date;
	if (e->title.ptr)
		cur.title = e->title;
	if (e->description.ptr)
		cur.description = e->description;
	if (e->position >= 0)
		cur.position = e->position;
	return store_project_entry_update(c->store, l, &cur, err);
}

int projects_entry_update(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			  int64_t id, const struct project_entry *e, struct project_entry *out, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, entry_update_rows(c, a, who, l, id, e, err));
	return store_project_entry_get(c->store, a, l, id, e->id, out, err);
}

static int entry_delete_rows(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			     int64_t id, int64_t entry_id, struct error *err)
{
	struct project p;
	if (visible_project(c, a, who, id, &p, err) < 0)
		return -1;
	return store_project_entry_delete(c->store, l, id, entry_id, err);
}

int projects_entry_delete(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			  int64_t id, int64_t entry_id, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, entry_delete_rows(c, a, who, l, id, entry_id, err));
	return 0;
}

/* ---- location ---- */

int projects_location_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  struct project_location *out, struct error *err)
{
	struct project p;
	if (readable_project(c, a, who, id, &p, err) < 0)
		return -1;
	if (store_project_location_get(c->store, a, id, out, err) < 0) {
		if (err->kind == ERROR_NOT_FOUND)
			err->message = "This project has no location yet.";
		return -1;
	}
	return 0;
}

/* Optional members left out keep their stored value (G-02's partial semantics). */
static int location_put_rows(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			     const struct project_location *l, struct error *err)
{
	struct project p;
	struct project_location cur, next = *l;

	if (visible_project(c, a, who, id, &p, err) < 0)
		return -1;
	if (store_project_location_get(c->store, a, id, &cur, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		memset(&cur, 0, sizeof(cur));
	}
	if (!next.street.ptr)
		next.street = cur.street;
	if (!next.street_number.ptr)
		next.street_number = cur.street_number;
	if (!next.zip_code.ptr)
		next.zip_code = cur.zip_code;
	if (store_project_location_put(c->store, id, &next, err) < 0)
		return -1;
	return cards_sync_project(c, id, err);
}

int projects_location_put(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  const struct project_location *l, struct error *err)
{
	if (need_update_right(who, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, location_put_rows(c, a, who, id, l, err));
	return 0;
}
