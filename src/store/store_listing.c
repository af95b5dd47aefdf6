/* store_listing.c — (being written) */
#include "store/store_listings.h"
