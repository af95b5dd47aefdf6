/* projects.h — (being written) */
#ifndef RENTD_PROJECTS_H
#define RENTD_PROJECTS_H

#include "core/core.h"

#endif
