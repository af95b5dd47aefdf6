/* The reference lists, countries and cities of migration 0011 (store/accounts/store_reference.h). */
#include "store/store_internal.h"
#include "store/accounts/store_reference.h"

static void read_reference(struct db_stmt *st, struct arena *a, void *row)
{
	struct reference_row *r = row;
	r->list = col_str(st, 0, a);
	r->value = col_str(st, 1, a);
	r->label = col_str(st, 2, a);
}

static const char sql_all[] = "SELECT list, value, label FROM reference_values ORDER BY list, position";

int store_reference_all(struct store *s, struct arena *a, struct reference_row **out, size_t *n,
			struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_all, err);

	*n = 0;
	if (!st)
		return -1;
	return stmt_collect(st, a, sizeof(**out), read_reference, (void **)out, n, err);
}

static void read_city(struct db_stmt *st, struct arena *a, void *row)
{
	struct city *c = row;
	c->id = col_str(st, 0, a);
	c->long_name = col_str(st, 1, a);
	c->country_id = col_str(st, 2, a);
	c->default_commission_type = col_str(st, 3, a);
	c->default_commission_value = db_col_int(st, 4);
}

static const char sql_city[] =
	"SELECT id, long_name, country_id, default_commission_type, default_commission_value"
	" FROM cities WHERE id = ?1";

int store_city_get(struct store *s, struct arena *a, struct str id, struct city *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_city, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	return stmt_one(st, a, read_city, out, "city", err);
}

static void read_country(struct db_stmt *st, struct arena *a, void *row)
{
	struct country *c = row;
	int i = 0;
	c->id = col_str(st, i++, a);
	c->short_name = col_str(st, i++, a);
	c->long_name = col_str(st, i++, a);
	c->long_name_native = col_str(st, i++, a);
	c->iso3166 = col_str(st, i++, a);
	c->slug = col_str(st, i++, a);
	c->vat = db_col_double(st, i++);
	c->zipcode_regex = col_str(st, i++, a);
	c->iso = col_str(st, i++, a);
	c->currency_id = db_col_int(st, i++);
	c->classifieds_email_name = col_str(st, i++, a);
	c->classifieds_email = col_str(st, i++, a);
	c->bookings_email_name = col_str(st, i++, a);
	c->bookings_email = col_str(st, i++, a);
	c->locale = col_str(st, i++, a);
	c->visible = db_col_int(st, i++) != 0;
	c->bookings_phone = col_str(st, i++, a);
}

static const char sql_country[] =
	"SELECT id, short_name, long_name, long_name_native, iso3166, slug, vat, zipcode_regex, iso, currency_id,"
	" classifieds_email_name, classifieds_email, bookings_email_name, bookings_email, locale, visible,"
	" bookings_phone FROM countries WHERE id = ?1";

int store_country_get(struct store *s, struct arena *a, struct str id, struct country *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_country, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	return stmt_one(st, a, read_country, out, "country", err);
}
