/* landlord_requirements.c — (being written) */
#include "dialects/dialects.h"

const struct route landlord_requirements_routes[1] = { { 0 } };
const size_t landlord_requirements_routes_count = 0;
