/* events.c — (being written) */
#include "core/events.h"
