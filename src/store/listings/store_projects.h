/*
 * store_projects.h — requirement profiles, projects and the projects' sub-resources:
 * pictures and videos, 3D views, freetext entries, timeline entries, location, the
 * estates of a project and its inventory.
 *
 * Rows come back as plain structs whose strings live in the caller's arena. The store
 * checks nothing but what the arguments say: core/inventory/requirements.c and core/listings/projects.c
 * decide who may see or change what and pass the company in; an id that does not
 * exist (or belongs to another company) is ERROR_NOT_FOUND. A string field whose ptr
 * is NULL is SQL NULL (the wire's null) where the column allows it.
 */
#ifndef RENTD_STORE_PROJECTS_H
#define RENTD_STORE_PROJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"
#include "store/listings/store_views.h"

/* ---- requirement profiles ---- */

/* The profile's booleans, in column order (wire names and defaults in core/inventory/requirements.h). */
enum requirement_flag {
	REQ_ACTIVITY_COMPENSATION, REQ_ACTIVITY_GRANT, REQ_BANKRUPTCY, REQ_BENEFIT_APARTMENT, REQ_CARE_ALLOWANCE,
	REQ_CHILD_ALLOWANCE, REQ_DEBT_SANITIZATION, REQ_EMPLOYMENT_PERMANENT, REQ_EMPLOYMENT_TEMPORARY,
	REQ_INCOME_CHILD_PENSION, REQ_INCOME_DEVELOPMENT_ALLOWANCE, REQ_INCOME_ESTABLISHMENT_SUPPLEMENT,
	REQ_INCOME_EXTRA_COST_ALLOWANCE, REQ_INCOME_HOUSING_SUPPLEMENT, REQ_INCOME_HOUSING_SUPPORT,
	REQ_INCOME_LIVING_EXPENSE_SUPPLEMENT, REQ_INCOME_PARENTAL_LEAVE, REQ_INCOME_SICK_LEAVE, REQ_INCOME_STUDENT,
	REQ_MAINTENANCE_ALLOWANCE, REQ_MAINTENANCE_SUPPORT, REQ_OUTSTANDING_DEBT, REQ_PETS, REQ_SENIOR, REQ_SMOKING,
	REQ_STUDENT, REQ_UNEMPLOYMENT_BENEFIT, REQ_WARRANTOR, REQ_YOUTH, REQ_FLAG_COUNT
};

/* The profile's integers, in column order. */
enum requirement_number {
	REQ_EXTRA_RESIDENTS, REQ_MOVE_FREQUENCY, REQ_PAYMENT_REMARKS, REQ_SENIOR_AGE, REQ_YOUTH_AGE, REQ_NUMBER_COUNT
};

/* The profile's factors, in column order. */
enum requirement_factor { REQ_LIVING_STANDARD_FACTOR, REQ_RENT_FACTOR, REQ_WARRANTOR_RENT_FACTOR, REQ_FACTOR_COUNT };

/* Every column a create or update writes. */
struct requirement_fields {
	struct str name;
	bool flag[REQ_FLAG_COUNT];
	int64_t number[REQ_NUMBER_COUNT];
	double factor[REQ_FACTOR_COUNT];
	bool money_after_rent; /* rent_calculation_type MONEY_AFTER_RENT (else RENT_FACTOR) */
};

struct requirement_profile {
	int64_t id;
	int64_t company_id;
	int64_t parent_id; /* 0: none */
	struct requirement_fields f;
	int64_t ad_count;  /* listings (not deleted) that use it */
	struct str created_at;
	struct str updated_at;
};

int store_requirement_insert(struct store *s, int64_t company_id, int64_t parent_id,
			     const struct requirement_fields *f, int64_t *id, struct error *err);
int store_requirement_get(struct store *s, struct arena *a, int64_t company_id, int64_t id,
			  struct requirement_profile *out, struct error *err);
/*
 * Any company's profile, its rules only (ad_count 0: counting its listings would cost a scan
 * on every screening): the market screens against the profile a published listing names.
 */
int store_requirement_get_by_id(struct store *s, struct arena *a, int64_t id, struct requirement_profile *out,
				struct error *err);
/* The company's profiles, oldest first. */
int store_requirement_list(struct store *s, struct arena *a, int64_t company_id, struct requirement_profile **out,
			   size_t *n, struct error *err);
int store_requirement_update(struct store *s, int64_t id, const struct requirement_fields *f, struct error *err);
int store_requirement_delete(struct store *s, int64_t id, struct error *err);
/* Soft-requirement profiles that override this one. */
int store_requirement_children(struct store *s, int64_t id, int64_t *n, struct error *err);
/* The listings (not deleted) whose requirement it is: their search cards show its rules. */
int store_requirement_listings(struct store *s, struct arena *a, int64_t id, int64_t **ids, size_t *n,
			       struct error *err);
/* Deleted listings (awaiting their purge) let go of the profile, so that it can be deleted. */
int store_requirement_detach_deleted_ads(struct store *s, int64_t id, struct error *err);

/* ---- projects ---- */

/* The show_*_module switches, in column order. */
enum project_module {
	PROJECT_SHOW_AREA_INFO, PROJECT_SHOW_AREA_MEDIA, PROJECT_SHOW_EMAIL_COLLECTION, PROJECT_SHOW_FREETEXT,
	PROJECT_SHOW_TIMELINE, PROJECT_MODULE_COUNT
};

/* Every project column a create or update writes. */
struct project_fields {
	struct str name;
	struct str external_id;             /* ptr NULL: none */
	bool published;
	bool closed;
	struct str publish_date;            /* YYYY-MM-DD; ptr NULL: never published */
	struct str close_date;              /* YYYY-MM-DD; ptr NULL: open */
	struct str candidate_sorting_mode;
	struct str contract_system;         /* internal name (decisions.md H-16) */
	bool is_short_lease;
	bool prioritize_existing_tenants;
	int64_t apartment_count;
	struct str area_info_description;   /* ptr NULL: null */
	struct str area_info_header;        /* ptr NULL: null */
	struct str info_description;
	struct str info_header;
	struct str preliminary_move_in_date; /* ptr NULL: none */
	bool show[PROJECT_MODULE_COUNT];
	struct str viewing_notes;
};

struct project {
	int64_t id;
	int64_t company_id;
	int64_t office_id;
	struct str office_path; /* the office's "/1/4/" */
	struct project_fields f;
	int64_t estates;        /* estates in the project */
	int64_t apartments;     /* apartments of those estates */
	struct str created_at;
};

int store_project_insert(struct store *s, int64_t company_id, int64_t office_id, const struct project_fields *f,
			 int64_t *id, struct error *err);
/* company_id 0: any company (public reads). */
int store_project_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct project *out,
		      struct error *err);
/* The company's projects in offices at or below path_prefix; external_id ptr NULL: any. */
int store_project_list(struct store *s, struct arena *a, int64_t company_id, struct str path_prefix,
		       struct str external_id, struct project **out, size_t *n, struct error *err);
int store_project_update(struct store *s, int64_t id, const struct project_fields *f, struct error *err);
int store_project_delete(struct store *s, int64_t id, struct error *err);

/* Listings (not deleted) made in the context of the project; estate_id 0: of every estate. */
int store_project_ads(struct store *s, int64_t project_id, int64_t estate_id, int64_t *n, struct error *err);
/* Deleted listings (awaiting their purge) let go of the project, so that it can be deleted. */
int store_project_detach_deleted_ads(struct store *s, int64_t project_id, struct error *err);

/* min/max over the project's public (active) listings' apartments; n 0: none. */
struct project_ranges {
	int64_t n;
	double area[2], floor[2], rooms[2];
	int64_t rent[2];
};
int store_project_ranges(struct store *s, int64_t project_id, struct project_ranges *out, struct error *err);

/* ---- the estates of a project ---- */

struct project_estate {
	int64_t id;
	struct str name;
	int64_t apartments;
	int64_t ads; /* the project's listings on its apartments (not deleted) */
};

int store_project_estates(struct store *s, struct arena *a, int64_t project_id, struct project_estate **out,
			  size_t *n, struct error *err);
int store_project_estate_get(struct store *s, struct arena *a, int64_t project_id, int64_t estate_id,
			     struct project_estate *out, struct error *err);
/* The project of an estate (any company); *project_id 0: none. ERROR_NOT_FOUND: no such estate. */
int store_estate_project(struct store *s, int64_t estate_id, int64_t *project_id, struct error *err);
/* project_id 0: out of any project. */
int store_estate_set_project(struct store *s, int64_t estate_id, int64_t project_id, struct error *err);

/* ---- the project inventory (§11f) ---- */

struct project_snapshot {
	struct str closed;   /* date-time the rental ended */
	struct str employee; /* who rented it out; "" when unknown */
};

struct project_inventory_item {
	int64_t apartment_id;
	struct str landlord_object_id; /* ptr NULL: none */
	struct str national_id;
	int64_t notes_count;
	int64_t rent;
	double rooms;
	struct str street;
	struct str street_number;
	int64_t estate_id;
	struct str estate_name;
	int64_t ad_id;                 /* the current project listing; 0: none */
	int64_t ad_applications;
	struct str ad_move_in_date;    /* date-time; ptr NULL: access on agreement */
	bool ad_prior_access;
	int64_t ad_requirement;        /* 0: none */
	struct str ad_status;
	struct project_snapshot *snapshots;
	size_t nsnapshots;
};

int store_project_inventory(struct store *s, struct arena *a, int64_t project_id, struct project_inventory_item **out,
			    size_t *n, struct error *err);

/* ---- pictures and videos ---- */

/* The four lists; the stored kind is the file reference's entity type. */
enum project_media_kind {
	PROJECT_MEDIA_IMAGE, PROJECT_MEDIA_AREA_IMAGE, PROJECT_MEDIA_VIDEO, PROJECT_MEDIA_AREA_VIDEO,
	PROJECT_MEDIA_KIND_COUNT
};

struct project_media {
	int64_t id;
	int64_t project_id;
	enum project_media_kind kind;
	int64_t position;    /* dense per (project, kind) */
	struct str caption;
	struct str reference;
	struct str key;      /* storage key to serve: the compressed video if any, else the original */
	struct str category; /* of the original ("project_images") */
	struct str sha256;   /* of the original: the thumbnails' names */
	bool thumbnails;     /* the thumbnail job has stored every width */
};

/* "project_image", "project_area_image", "project_video", "project_area_video". */
const char *store_project_media_kind_name(enum project_media_kind kind);
/* The lists of the kinds in mask (bit 1 << kind), in (kind, position, id) order. */
int store_project_media_list(struct store *s, struct arena *a, int64_t project_id, unsigned mask,
			     struct project_media **out, size_t *n, struct error *err);
int store_project_media_count(struct store *s, int64_t project_id, enum project_media_kind kind, int64_t *n,
			      struct error *err);
/* Appends the item at the end of its kind's list. */
int store_project_media_insert(struct store *s, int64_t project_id, enum project_media_kind kind, struct str caption,
			       struct str reference, int64_t *id, struct error *err);
/* Any of the kinds in mask. */
int store_project_media_get(struct store *s, struct arena *a, int64_t project_id, unsigned mask, int64_t id,
			    struct project_media *out, struct error *err);
/* caption ptr NULL: unchanged; position < 0: unchanged, else moved there (clamped to the end). */
int store_project_media_update(struct store *s, int64_t project_id, int64_t id, struct str caption, int64_t position,
			       struct error *err);
int store_project_media_delete(struct store *s, int64_t project_id, int64_t id, struct error *err);

/* ---- 3D views: store/listings/store_views.h (VIEW3D_PROJECT) ---- */

/*
 * ---- freetext and timeline entries ----
 * Two lists of the same row shape: (title, description) entries under a project, kept
 * in (position, id) order for freetext (the position is the client's) and in (date, id)
 * order for the timeline. One set of functions serves both; the list says which.
 */

enum project_entry_list { PROJECT_FREETEXT, PROJECT_TIMELINE };

struct project_entry {
	int64_t id;
	int64_t project_id;
	int64_t position; /* PROJECT_FREETEXT; -1 on the timeline */
	struct str date;  /* PROJECT_TIMELINE: YYYY-MM-DD; ptr NULL in freetext */
	struct str title;
	struct str description;
};

int store_project_entry_list(struct store *s, struct arena *a, enum project_entry_list l, int64_t project_id,
			     struct project_entry **out, size_t *n, struct error *err);
int store_project_entry_count(struct store *s, enum project_entry_list l, int64_t project_id, int64_t *n,
			      struct error *err);
/* Writes e's title, description and its list's key (position or date). */
int store_project_entry_insert(struct store *s, enum project_entry_list l, int64_t project_id,
			       const struct project_entry *e, int64_t *id, struct error *err);
int store_project_entry_get(struct store *s, struct arena *a, enum project_entry_list l, int64_t project_id,
			    int64_t id, struct project_entry *out, struct error *err);
/* e names the row (project_id, id); ERROR_NOT_FOUND when there is none. */
int store_project_entry_update(struct store *s, enum project_entry_list l, const struct project_entry *e,
			       struct error *err);
int store_project_entry_delete(struct store *s, enum project_entry_list l, int64_t project_id, int64_t id,
			       struct error *err);

/* ---- location ---- */

struct project_location {
	struct str city;
	double latitude;
	double longitude;
	struct str street;
	struct str street_number;
	struct str zip_code;
};

/* ERROR_NOT_FOUND when the project has none. */
int store_project_location_get(struct store *s, struct arena *a, int64_t project_id, struct project_location *out,
			       struct error *err);
/* Inserts or replaces. */
int store_project_location_put(struct store *s, int64_t project_id, const struct project_location *l,
			       struct error *err);

#endif
