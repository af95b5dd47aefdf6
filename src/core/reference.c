/* reference.c — (being written) */
#include "core/reference.h"
