/*
 * projects.h — projects (new productions) and their sub-resources: pictures, videos,
 * 3D views, freetext entries, location, timeline entries, estates and the project
 * inventory (homeq.md §11f, §12.6, §15 rules 47–53; decisions.md H-04, H-09, H-13,
 * H-15, H-16, H-33).
 *
 * Every landlord function takes the caller and checks, in this order, its kind
 * (employees only: 403), its right (ERROR_FORBIDDEN naming it) and its scope: a
 * project of another company, or outside the caller's office subtree, is
 * ERROR_NOT_FOUND. The public reads (project GET, videos, freetext, location,
 * timeline, media) take any caller; an unpublished project is ERROR_NOT_FOUND to
 * everyone but the owner's employees. Writes are one transaction each.
 *
 * An estate is in at most one project (estates.project_id). Listings of a project
 * (object_ads.project_id, core/listings/listings.c) take their defaults from it through
 * projects_listing_defaults().
 */
#ifndef RENTD_PROJECTS_H
#define RENTD_PROJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/identity/auth.h"
#include "core/core.h"
#include "core/listings/views3d.h"
#include "store/listings/store_projects.h"

/*
 * What a project rental takes from its project when the listing request leaves the
 * field out (decisions.md H-06), and whether the project accepts listings at all.
 */
struct project_defaults {
	int64_t id;
	int64_t company_id;
	int64_t office_id;
	bool published;
	bool closed;
	bool active;                         /* published and not closed: ProjectNotActive otherwise */
	struct str candidate_sorting_mode;   /* "queue_points" | "random" | "first_come_first" */
	struct str contract_system;          /* the internal name (H-16): "external" … "automatic_strict" */
	bool is_short_lease;
	bool prioritize_existing_tenants;
	struct str preliminary_move_in_date; /* YYYY-MM-DD; ptr NULL: none (then access on agreement) */
};

/*
 * The defaults of project project_id (any company: the caller has already scoped the
 * apartment whose estate names it). ERROR_NOT_FOUND when there is no such project.
 * Runs inside or outside the caller's transaction.
 */
int projects_listing_defaults(struct core *c, struct arena *a, int64_t project_id, struct project_defaults *out,
			      struct error *err);
/* The project an estate is in; *project_id 0 when none (NoLinkedProject for a project rental). */
int projects_estate_project(struct core *c, int64_t estate_id, int64_t *project_id, struct error *err);

/*
 * Contract systems (decisions.md H-16): one internal enum, the office/listing names;
 * projects speak letters (A external, B manual_selection, C automatic,
 * D manual_selection_lock, S automatic_strict). Both directions accept either form.
 */
const char *contract_system_letter(struct str name_or_letter); /* NULL: unknown */
const char *contract_system_name(struct str name_or_letter);   /* NULL: unknown */

#define PROJECT_MAX_ITEMS 100 /* pictures per type, videos per type, 3D views, freetext and timeline entries */

/* A create or update; has_* say which members the request set. office 0: the selected office. */
struct project_input {
	int64_t office;
	struct project_fields f;
	bool has_name, has_external_id, has_published, has_closed, has_candidate_sorting_mode, has_contract_system,
		has_is_short_lease, has_prioritize_existing_tenants, has_apartment_count, has_area_info_description,
		has_area_info_header, has_info_description, has_info_header, has_preliminary_move_in_date,
		has_viewing_notes;
	bool has_show[PROJECT_MODULE_COUNT];
};

/* Everything the project GET shows besides the row. */
struct project_detail {
	struct project p;
	bool landlord_view;       /* an employee of the owner, in scope: ProjectLandlord */
	struct str company_name;
	struct str office_name;
	bool office_has_logo;     /* the project's logo is its office's */
	struct project_ranges ranges;
	struct project_entry *freetext;
	size_t nfreetext;
	struct project_entry *timeline;
	size_t ntimeline;
	bool has_location;
	struct project_location location;
};

/* The caller's projects (its root office subtree), optionally one external_id (ptr NULL: any). */
int projects_list(struct core *c, struct arena *a, const struct caller *who, struct str external_id,
		  struct project **out, size_t *n, struct error *err);
/* entity.Project.update; the office must be in the caller's subtree (404 otherwise). */
int projects_create(struct core *c, struct arena *a, const struct caller *who, const struct project_input *in,
		    struct project *out, struct error *err);
/*
 * For anyone: the landlord view for the owner's employees in scope, the public view
 * for everyone else, who gets ERROR_NOT_FOUND for a project that is not published.
 */
int projects_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct project_detail *out,
		 struct error *err);
/*
 * entity.Project.update, plus entity.object_ad.update.advanced to change the sorting
 * mode or contract system (H-04). Publishing: 412 ProjectNotPublishable naming what is
 * missing (open, info_header, info_description, at least one estate); a published
 * project cannot be unpublished (412 ProjectPublished).
 */
int projects_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		    const struct project_input *in, struct project *out, struct error *err);
/* 412 ProjectPublished once published (§15 rule 50); 412 HasAds while listings use it. */
int projects_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err);

/* ---- estates and inventory ---- */

/* Any employee in scope. */
int projects_estates(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		     struct project_estate **out, size_t *n, struct error *err);
/* 412 ProjectClosed, IllegalOfficeHierarchy, AlreadyInProject, in that order. */
int projects_estate_add(struct core *c, struct arena *a, const struct caller *who, int64_t id, int64_t estate_id,
			struct project_estate *out, struct error *err);
/* 412 NotInProject, HasAds. */
int projects_estate_remove(struct core *c, struct arena *a, const struct caller *who, int64_t id, int64_t estate_id,
			   struct error *err);
int projects_inventory(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		       struct project_inventory_item **out, size_t *n, struct error *err);

/* ---- pictures and videos (entity.Project.update; the video list is public) ---- */

/* The kinds of a wire type ("project_image" …), or -1. */
int project_media_kind_parse(struct str type);
/* The wire type of a kind, project_media_kind_parse()'s inverse. */
const char *project_media_kind_name(enum project_media_kind kind);
/* mask: bits 1 << kind. Pictures need the right; videos are readable like the project. */
int projects_media_list(struct core *c, struct arena *a, const struct caller *who, int64_t id, unsigned mask,
			struct project_media **out, size_t *n, struct error *err);
/* The reference must be an uploaded file of the caller's company of the kind's entity type. */
int projects_media_create(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  enum project_media_kind kind, struct str caption, struct str reference, int64_t *item_id,
			  struct error *err);
/* caption ptr NULL: unchanged; position < 0: unchanged. */
int projects_media_update(struct core *c, struct arena *a, const struct caller *who, int64_t id, unsigned mask,
			  int64_t item_id, struct str caption, int64_t position, struct project_media *out,
			  struct error *err);
int projects_media_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, unsigned mask,
			  int64_t item_id, struct error *err);

/* Everything GET /api/v1/projects/{id}/media shows (public, like the project). */
struct project_media_set {
	struct project_media *media;
	size_t nmedia;
	struct view3d *views;
	size_t nviews;
};
int projects_media_all(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		       struct project_media_set *out, struct error *err);

/* ---- 3D views: core/listings/views3d.h with this owner (entity.Project.update for all four) ---- */

extern const struct views3d_owner projects_views3d;

/*
 * ---- freetext and timeline entries (lists public; writes entity.Project.update) ----
 * One set of functions for both lists (store/listings/store_projects.h, struct project_entry); l
 * says which. At most PROJECT_MAX_ITEMS entries per list (ERROR_CONFLICT
 * "TooManyFreetextEntries" / "TooManyTimelineEntries").
 */

int projects_entry_list(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			int64_t id, struct project_entry **out, size_t *n, struct error *err);
int projects_entry_create(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			  int64_t id, const struct project_entry *e, int64_t *entry_id, struct error *err);
/* e->id names the entry; date/title/description ptr NULL, position < 0: unchanged. */
int projects_entry_update(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			  int64_t id, const struct project_entry *e, struct project_entry *out, struct error *err);
int projects_entry_delete(struct core *c, struct arena *a, const struct caller *who, enum project_entry_list l,
			  int64_t id, int64_t entry_id, struct error *err);

/* ---- location (GET public, ERROR_NOT_FOUND when none; PUT entity.Project.update) ---- */

int projects_location_get(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  struct project_location *out, struct error *err);
int projects_location_put(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  const struct project_location *l, struct error *err);

#endif
