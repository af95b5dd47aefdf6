/* listings.c — (being written) */
#include "core/listings.h"
