/* listings.h — (being written) */
#ifndef RENTD_LISTINGS_H
#define RENTD_LISTINGS_H

#include "core/core.h"

#endif
