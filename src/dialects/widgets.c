/* widgets.c — (being written) */
#include "dialects/dialects.h"

const struct route widgets_routes[1] = { { 0 } };
const size_t widgets_routes_count = 0;
