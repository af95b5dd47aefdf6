/* store_reference.c — (being written) */
#include "store/store_reference.h"
