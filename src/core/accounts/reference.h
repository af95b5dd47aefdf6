/*
 * reference.h — the accounts dialect's reference data (spotahome.md §2.3, §2.4, §3.5,
 * §3.9, §4): enum lists, languages, cities and countries, each served from the
 * database (migration 0011), never from string literals in handlers. Validation of an
 * enum field asks reference_contains() so the lists and the checks cannot drift apart.
 *
 * List names (values in each list's documented order, S-13):
 *   account_types, contract_types, cancellation_policies, contact_types,
 *   account_classifications, transfer_timings, other_platforms_usages, commission_types,
 *   consents_for_classifieds, technologies, admin_fee_types, activation_stages,
 *   lead_sources, down_payment_types, contract_provisions, communication_channels,
 *   languages (value = locale, label = language name)
 */
#ifndef RENTD_REFERENCE_H
#define RENTD_REFERENCE_H

#include <stdbool.h>

#include "core/core.h"
#include "store/accounts/store_reference.h"

struct reference_value {
	struct str value; /* "private", "en" */
	struct str label; /* languages: "english"; else empty */
};

/*
 * The lists are read from the database once per process, on first use, and answered from
 * memory afterwards (thread-safe); they are the same in every database of this schema.
 */

/* The values of a list in order (the array is the caller's, in a); an unknown list is ERROR_NOT_FOUND. */
int reference_list(struct core *c, struct arena *a, const char *list, struct reference_value **out, size_t *n,
		   struct error *err);
/* Whether value is in the list (exact spelling); false also when the lists cannot be loaded. */
bool reference_contains(struct core *c, const char *list, struct str value);

/* struct city and struct country (spotahome.md §3.5) are defined in store/accounts/store_reference.h. */

/* ERROR_NOT_FOUND for an unknown id. */
int reference_city(struct core *c, struct arena *a, struct str id, struct city *out, struct error *err);
int reference_country(struct core *c, struct arena *a, struct str id, struct country *out, struct error *err);

#endif
