/* accounts.c — (being written) */
#include "dialects/dialects.h"

const struct route accounts_routes[1] = { { 0 } };
const size_t accounts_routes_count = 0;
