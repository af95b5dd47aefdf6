/* cards.c — (being written) */
#include "core/cards.h"
