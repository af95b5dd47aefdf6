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

struct reference_value {
	struct str value; /* "private", "en" */
	struct str label; /* languages: "english"; else empty */
};

/* The values of a list in order; an unknown list is ERROR_NOT_FOUND. */
int reference_list(struct core *c, struct arena *a, const char *list, struct reference_value **out, size_t *n,
		   struct error *err);
/* Whether value is in the list (exact spelling). */
bool reference_contains(struct core *c, const char *list, struct str value);

struct city {
	struct str id;        /* slug: "madrid", "stockholm" */
	struct str long_name;
	struct str country_id;
	struct str default_commission_type;   /* "percentage" | "fixed" */
	int64_t default_commission_value;      /* ×100 */
};

struct country {
	struct str id, short_name, long_name, long_name_native, iso3166, slug;
	double vat;
	struct str zipcode_regex, iso;
	int64_t currency_id;
	struct str classifieds_email_name, classifieds_email; /* empty: member omitted */
	struct str bookings_email_name, bookings_email;
	struct str locale;
	bool visible;
	struct str bookings_phone;
};

/* ERROR_NOT_FOUND for an unknown id. */
int reference_city(struct core *c, struct arena *a, struct str id, struct city *out, struct error *err);
int reference_country(struct core *c, struct arena *a, struct str id, struct country *out, struct error *err);

#endif
