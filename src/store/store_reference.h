/* store_reference.h — (being written) */
#ifndef RENTD_STORE_REFERENCE_H
#define RENTD_STORE_REFERENCE_H

#include "store/store.h"

#endif
