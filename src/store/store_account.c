/* store_account.c — (being written) */
#include "store/store_accounts.h"
