/* landlord_listings.c — (being written) */
#include "dialects/dialects.h"

const struct route landlord_listings_routes[1] = { { 0 } };
const size_t landlord_listings_routes_count = 0;
