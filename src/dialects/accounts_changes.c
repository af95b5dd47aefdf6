/* accounts_changes.c — (being written) */
#include "dialects/dialects.h"

const struct route accounts_changes_routes[1] = { { 0 } };
const size_t accounts_changes_routes_count = 0;
