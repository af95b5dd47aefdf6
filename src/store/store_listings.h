/* store_listings.h — (being written) */
#ifndef RENTD_STORE_LISTINGS_H
#define RENTD_STORE_LISTINGS_H

#include "store/store.h"

#endif
