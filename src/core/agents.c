/* agents.c — (being written) */
#include "core/agents.h"
