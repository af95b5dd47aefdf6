/* accounts_reference.c — (being written) */
#include "dialects/dialects.h"

const struct route accounts_reference_routes[1] = { { 0 } };
const size_t accounts_reference_routes_count = 0;
