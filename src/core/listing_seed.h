/* listing_seed.h — (being written) */
#ifndef RENTD_LISTING_SEED_H
#define RENTD_LISTING_SEED_H

#include "core/core.h"

#endif
