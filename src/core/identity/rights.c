#include "core/identity/rights.h"

/* Every right the seed names (homeq.md §15 rule 8), nothing invented. */
const struct right_def rights_catalog[] = {
	{ RIGHT_APARTMENT_UPDATE, "Edit apartments", "Update apartments and their pictures, videos, 3D views and notes." },
	{ RIGHT_ESTATE_UPDATE, "Edit estates", "Update estates and their pictures and area pictures." },
	{ RIGHT_ESTATE_BANK_DETAILS, "Edit estate bank details", "Change the bankgiro and postgiro of estates." },
	{ RIGHT_PROJECT_UPDATE, "Edit projects", "Update projects and their media, estates and timeline." },
	{ RIGHT_OBJECT_AD_CREATE, "Create listings", "Create listings (object ads) for apartments." },
	{ RIGHT_OBJECT_AD_UPDATE, "Edit listings", "Update, pause and resume listings." },
	{ RIGHT_OBJECT_AD_ADVANCED, "Advanced listing settings", "Change the contract system and candidate sorting mode of listings." },
	{ RIGHT_OBJECT_AD_DELETE, "Delete listings", "Delete listings." },
	{ RIGHT_EMPLOYEES, "Manage employees", "List, edit and delete employees below your office, and create API users." },
	{ RIGHT_ORGANIZATION, "Manage the organization", "Edit the company, its offices, its existing-tenants list and its webhooks." },
	{ RIGHT_PROFILE_CREATE, "Create right profiles", "Create custom right profiles." },
	{ RIGHT_PROFILE_UPDATE, "Edit right profiles", "Change the name and rights of right profiles." },
	{ RIGHT_PROFILE_DELETE, "Delete right profiles", "Delete right profiles no employee uses." },
	{ RIGHT_CAPIFAST, "Capifast integration", "Use the Capifast integration." },
};
const size_t rights_catalog_count = sizeof(rights_catalog) / sizeof(rights_catalog[0]);

bool right_exists(struct str path)
{
	for (size_t i = 0; i < rights_catalog_count; i++)
		if (str_eq_cstr(path, rights_catalog[i].path))
			return true;
	return false;
}

static const char *const observer_rights[] = { NULL };
static const char *const employee_rights[] = {
	RIGHT_APARTMENT_UPDATE, RIGHT_ESTATE_UPDATE, RIGHT_PROJECT_UPDATE,
	RIGHT_OBJECT_AD_CREATE, RIGHT_OBJECT_AD_UPDATE, RIGHT_OBJECT_AD_DELETE, NULL,
};
static const char *const manager_rights[] = {
	RIGHT_APARTMENT_UPDATE, RIGHT_ESTATE_UPDATE, RIGHT_ESTATE_BANK_DETAILS, RIGHT_PROJECT_UPDATE,
	RIGHT_OBJECT_AD_CREATE, RIGHT_OBJECT_AD_UPDATE, RIGHT_OBJECT_AD_ADVANCED, RIGHT_OBJECT_AD_DELETE,
	RIGHT_EMPLOYEES, NULL,
};
static const char *const admin_rights[] = {
	RIGHT_APARTMENT_UPDATE, RIGHT_ESTATE_UPDATE, RIGHT_ESTATE_BANK_DETAILS, RIGHT_PROJECT_UPDATE,
	RIGHT_OBJECT_AD_CREATE, RIGHT_OBJECT_AD_UPDATE, RIGHT_OBJECT_AD_ADVANCED, RIGHT_OBJECT_AD_DELETE,
	RIGHT_EMPLOYEES, RIGHT_ORGANIZATION, RIGHT_PROFILE_CREATE, RIGHT_PROFILE_UPDATE,
	RIGHT_PROFILE_DELETE, RIGHT_CAPIFAST, NULL,
};

/* homeq seed L15: "four default access roles … observer, employee, manager, and admin" */
const struct default_profile default_profiles[] = {
	{ "observer", observer_rights },
	{ "employee", employee_rights },
	{ "manager", manager_rights },
	{ "admin", admin_rights },
};
const size_t default_profiles_count = sizeof(default_profiles) / sizeof(default_profiles[0]);
