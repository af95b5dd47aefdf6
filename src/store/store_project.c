/* store_project.c — (being written) */
#include "store/store_projects.h"
