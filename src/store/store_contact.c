/* store_contact.c — (being written) */
#include "store/store_accounts.h"
