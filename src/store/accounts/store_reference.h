/*
 * store_reference.h — the accounts dialect's reference data (migration 0011): the enum
 * lists of reference_values, countries and cities.
 *
 * Read-only at run time: the rows are the migration's. core/accounts/reference.c loads the lists
 * once per process and answers from memory; cities and countries are point reads.
 * Strings live in the caller's arena; a NULL column reads as ptr NULL.
 */
#ifndef RENTD_STORE_REFERENCE_H
#define RENTD_STORE_REFERENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/* One value of one list. */
struct reference_row {
	struct str list;  /* "account_types" */
	struct str value; /* "private"; languages: "en" */
	struct str label; /* languages: "english"; else empty */
};

/* Every row of every list, by list then documented position. */
int store_reference_all(struct store *s, struct arena *a, struct reference_row **out, size_t *n,
			struct error *err);

/* City (spotahome.md §3.5). */
struct city {
	struct str id;        /* slug: "madrid", "stockholm" */
	struct str long_name;
	struct str country_id;
	struct str default_commission_type;   /* "percentage" | "fixed" */
	int64_t default_commission_value;      /* ×100 */
};

/* Country (spotahome.md §3.5). */
struct country {
	struct str id, short_name, long_name, long_name_native, iso3166, slug;
	double vat;
	struct str zipcode_regex, iso;
	int64_t currency_id;
	struct str classifieds_email_name, classifieds_email; /* ptr NULL: member omitted */
	struct str bookings_email_name, bookings_email;
	struct str locale;
	bool visible;
	struct str bookings_phone;
};

/* ERROR_NOT_FOUND "no such city" / "no such country" for an unknown id (exact, case-sensitive). */
int store_city_get(struct store *s, struct arena *a, struct str id, struct city *out, struct error *err);
int store_country_get(struct store *s, struct arena *a, struct str id, struct country *out, struct error *err);

#endif
