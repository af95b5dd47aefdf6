/* landlord_cards.c — (being written) */
#include "dialects/dialects.h"

const struct route landlord_cards_routes[1] = { { 0 } };
const size_t landlord_cards_routes_count = 0;
