/*
 * rights.h — the catalog of rights and the four default right profiles.
 *
 * A right is a dotted name ("entity.estate.update"). Every endpoint that needs one
 * checks it with caller_require_right() (core/identity/auth.h); this file only says which
 * rights exist and what the default profiles hold.
 */
#ifndef RENTD_RIGHTS_H
#define RENTD_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

struct right_def {
	const char *path;        /* the right's name as sent on the wire */
	const char *name;        /* short human name */
	const char *description;
};

extern const struct right_def rights_catalog[];
extern const size_t rights_catalog_count;

bool right_exists(struct str path);

/* The profiles created with each company, with their rights (NULL-terminated). */
struct default_profile {
	const char *name;
	const char *const *rights;
};
extern const struct default_profile default_profiles[];
extern const size_t default_profiles_count;

#define RIGHT_APARTMENT_UPDATE "entity.Apartment.update"
#define RIGHT_ESTATE_UPDATE "entity.estate.update"
#define RIGHT_ESTATE_BANK_DETAILS "entity.estate.update.bank_details"
#define RIGHT_PROJECT_UPDATE "entity.Project.update"
#define RIGHT_OBJECT_AD_CREATE "entity.object_ad.create"
#define RIGHT_OBJECT_AD_UPDATE "entity.object_ad.update"
#define RIGHT_OBJECT_AD_ADVANCED "entity.object_ad.update.advanced"
#define RIGHT_OBJECT_AD_DELETE "entity.object_ad.delete"
#define RIGHT_EMPLOYEES "entity.employees"
#define RIGHT_ORGANIZATION "entity.organization"
#define RIGHT_PROFILE_CREATE "entity.right_profile.create"
#define RIGHT_PROFILE_UPDATE "entity.right_profile.update"
#define RIGHT_PROFILE_DELETE "entity.right_profile.delete"
#define RIGHT_CAPIFAST "homeq.integration.capifast"

#endif
