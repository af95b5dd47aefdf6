/* requirements.c — (being written) */
#include "core/requirements.h"
