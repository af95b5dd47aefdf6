/* accounts_contacts.c — (being written) */
#include "dialects/dialects.h"

const struct route accounts_contacts_routes[1] = { { 0 } };
const size_t accounts_contacts_routes_count = 0;
