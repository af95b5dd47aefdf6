/*
 * webhook_seed.h — `rentd seed --webhook-events N --company ID --listing ID`: N `reservation`
 * events of one listing in the outbox, recorded as the letting process records them
 * (process_event_reservation(), so every subscription of the company that wants them is
 * marked and the sending job queued), in transactions of WEBHOOK_SEED_BATCH, for the
 * webhook benchmark (issue 16: 100,000 queued events). The applicants named are made up.
 */
#ifndef RENTD_WEBHOOK_SEED_H
#define RENTD_WEBHOOK_SEED_H

#include <stdint.h>

#include "core/core.h"

#define WEBHOOK_SEED_MAX 1000000
#define WEBHOOK_SEED_BATCH 5000

int webhook_seed(struct core *c, int64_t company_id, int64_t listing_id, int64_t n, struct error *err);

#endif
