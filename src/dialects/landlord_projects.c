/* landlord_projects.c — (being written) */
#include "dialects/dialects.h"

const struct route landlord_projects_routes[1] = { { 0 } };
const size_t landlord_projects_routes_count = 0;
