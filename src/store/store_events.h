/* store_events.h — (being written) */
#ifndef RENTD_STORE_EVENTS_H
#define RENTD_STORE_EVENTS_H

#include "store/store.h"

#endif
