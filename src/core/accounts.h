/* accounts.h — (being written) */
#ifndef RENTD_ACCOUNTS_H
#define RENTD_ACCOUNTS_H

#include "core/core.h"

#endif
