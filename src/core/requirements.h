/* requirements.h — (being written) */
#ifndef RENTD_REQUIREMENTS_H
#define RENTD_REQUIREMENTS_H

#include "core/core.h"

#endif
