/*
 * accounts_seed.h — `rentd seed --accounts N --events M`: benchmark data for the accounts
 * dialect.
 *
 * Accounts are made by accounts_create() itself (company, root office, owner, first
 * contact, AccountWasCreated and ContactWasCreated), one transaction each, so the data
 * is exactly what the API would have made: "Seed Landlords 000001 SL" with
 * seed000001@seed.rentd.example, types, cities (Madrid, Barcelona, Stockholm, Göteborg)
 * and locales in turn. A number another run already used is skipped.
 *
 * Events are synthetic but well-formed changes of the existing accounts, spread round
 * robin over them (AccountNameWasChanged, AccountPlanWasChanged, ContactWasUpdated,
 * CommissionWasUpdated with their S-36 payloads and before/after), appended through
 * events_append() in transactions of EVENTS_SEED_BATCH, one second apart ending now.
 */
#ifndef RENTD_ACCOUNTS_SEED_H
#define RENTD_ACCOUNTS_SEED_H

#include "core/core.h"

#define ACCOUNTS_SEED_MAX 1000000
#define EVENTS_SEED_MAX 100000000
#define EVENTS_SEED_BATCH 10000

struct accounts_seed_result {
	int64_t accounts; /* made by this run */
	int64_t events;
	int64_t total_accounts; /* companies in the database afterwards */
};

int accounts_seed(struct core *c, int64_t accounts, int64_t events, struct accounts_seed_result *out,
		  struct error *err);

#endif
