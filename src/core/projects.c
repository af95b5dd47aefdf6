/* projects.c — (being written) */
#include "core/projects.h"
