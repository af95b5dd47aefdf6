/* store_cards.h — (being written) */
#ifndef RENTD_STORE_CARDS_H
#define RENTD_STORE_CARDS_H

#include "store/store.h"

#endif
