/* store_projects.h — (being written) */
#ifndef RENTD_STORE_PROJECTS_H
#define RENTD_STORE_PROJECTS_H

#include "store/store.h"

#endif
