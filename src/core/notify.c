/* notify.c — (being written) */
#include "core/notify.h"
