/* store_cards.c — (being written) */
#include "store/store_cards.h"
