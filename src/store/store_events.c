/* store_events.c — (being written) */
#include "store/store_events.h"
