/* listing_seed.c — (being written) */
#include "core/listing_seed.h"
