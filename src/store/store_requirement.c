/* store_requirement.c — (being written) */
#include "store/store_projects.h"
