/* accounts.c — (being written) */
#include "core/accounts.h"
