/* store_accounts.h — (being written) */
#ifndef RENTD_STORE_ACCOUNTS_H
#define RENTD_STORE_ACCOUNTS_H

#include "store/store.h"

#endif
