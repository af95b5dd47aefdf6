/* Apartments, their 3D views and their notes. */
#include "store/store_internal.h"
#include "store/inventory/store_inventory.h"

/* Column order: the struct apartment_fields order, then choices and flags in enum order. */
#define APARTMENT_COLUMNS                                                                         \
	"p.id, p.estate_id, e.company_id, o.path, e.city, p.county, p.municipality, p.created_at,"     \
	" p.national_id, p.street_name, p.street_number, p.zip_code, p.latitude, p.longitude, p.area," \
	" p.floor, p.rent, p.rooms, p.description, p.landlord_object_id, p.renovation_date,"          \
	" p.floor_plan_reference, p.promotion_file_reference,"                                        \
	" p.balcony, p.bathtub, p.dishwasher, p.dryer, p.kitchen_fan, p.washing_machine, p.garage,"   \
	" p.parking, p.water,"                                                                        \
	" p.accessibility_adapted, p.cable_package_included, p.electricity_included, p.elevator,"     \
	" p.handicap_adapted, p.heating_included, p.internet_included, p.laundry_room, p.pantry,"     \
	" p.patio, p.security_door, p.shower, p.can_create_ad_listing"

static void read_apartment(struct db_stmt *st, struct arena *a, void *row)
{
	struct apartment *p = row;
	int c = 0;
	p->id = db_col_int(st, c++);
	p->estate_id = db_col_int(st, c++);
	p->company_id = db_col_int(st, c++);
	p->office_path = col_str(st, c++, a);
	p->city = col_str(st, c++, a);
	p->county = col_str(st, c++, a);
	p->municipality = col_str(st, c++, a);
	p->created_at = col_str(st, c++, a);
	p->f.national_id = col_str(st, c++, a);
	p->f.street_name = col_str(st, c++, a);
	p->f.street_number = col_str(st, c++, a);
	p->f.zip_code = col_str(st, c++, a);
	p->f.latitude = db_col_double(st, c++);
	p->f.longitude = db_col_double(st, c++);
	p->f.area = db_col_double(st, c++);
	p->f.floor = db_col_double(st, c++);
	p->f.rent = db_col_int(st, c++);
	p->f.rooms = db_col_double(st, c++);
	p->f.description = col_str(st, c++, a);
	p->f.landlord_object_id = col_str(st, c++, a);
	p->f.renovation_date = col_str(st, c++, a);
	p->f.floor_plan_reference = col_str(st, c++, a);
	p->f.promotion_file_reference = col_str(st, c++, a);
	for (int i = 0; i < APT_CHOICE_COUNT; i++)
		p->f.choice[i] = col_str(st, c++, a);
	for (int i = 0; i < APT_FLAG_COUNT; i++)
		p->f.flag[i] = db_col_int(st, c++) != 0;
}

/* Binds the settable columns from first on: identity (4), county, municipality, fields. */
static void bind_apartment(struct db_stmt *st, int first, const struct apartment_fields *f,
			   const struct apartment_identity *key, struct str county, struct str municipality)
{
	int c = first;
	db_bind_text(st, c++, key->national_id);
	db_bind_text(st, c++, key->city_key);
	db_bind_text(st, c++, key->street_key);
	db_bind_text(st, c++, key->number_key);
	db_bind_text(st, c++, county.ptr ? county : STR_LIT(""));
	db_bind_text(st, c++, municipality.ptr ? municipality : STR_LIT(""));
	db_bind_text(st, c++, f->street_name);
	db_bind_text(st, c++, f->street_number);
	db_bind_text(st, c++, f->zip_code);
	db_bind_double(st, c++, f->latitude);
	db_bind_double(st, c++, f->longitude);
	db_bind_double(st, c++, f->area);
	db_bind_double(st, c++, f->floor);
	db_bind_int(st, c++, f->rent);
	db_bind_double(st, c++, f->rooms);
	db_bind_text(st, c++, f->description.ptr ? f->description : STR_LIT(""));
	db_bind_text(st, c++, f->landlord_object_id);
	db_bind_text(st, c++, f->renovation_date);
	db_bind_text(st, c++, f->floor_plan_reference);
	db_bind_text(st, c++, f->promotion_file_reference);
	for (int i = 0; i < APT_CHOICE_COUNT; i++)
		db_bind_text(st, c++, f->choice[i]);
	for (int i = 0; i < APT_FLAG_COUNT; i++)
		db_bind_int(st, c++, f->flag[i]);
}

static const char sql_insert[] =
	"INSERT INTO apartments(estate_id, national_id, city_key, street_key, number_key, county, municipality,"
	" street_name, street_number, zip_code, latitude, longitude, area, floor, rent, rooms, description,"
	" landlord_object_id, renovation_date, floor_plan_reference, promotion_file_reference,"
	" balcony, bathtub, dishwasher, dryer, kitchen_fan, washing_machine, garage, parking, water,"
	" accessibility_adapted, cable_package_included, electricity_included, elevator, handicap_adapted,"
	" heating_included, internet_included, laundry_room, pantry, patio, security_door, shower,"
	" can_create_ad_listing) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36,"
	" ?37, ?38, ?39, ?40, ?41, ?42, ?43)"
	" RETURNING id";

int store_apartment_insert(struct store *s, int64_t estate_id, const struct apartment_fields *f,
			   const struct apartment_identity *key, struct str county, struct str municipality,
			   int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, estate_id);
	bind_apartment(st, 2, f, key, county, municipality);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_get[] =
	"SELECT " APARTMENT_COLUMNS " FROM apartments p JOIN estates e ON e.id = p.estate_id"
	" JOIN offices o ON o.id = e.office_id WHERE p.id = ?1 AND e.company_id = ?2";

int store_apartment_get(struct store *s, struct arena *a, int64_t company_id, int64_t id, struct apartment *out,
			struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, company_id);
	return stmt_one(st, a, read_apartment, out, "apartment", err);
}

static const char sql_find[] =
	"SELECT id FROM apartments WHERE national_id = ?1 AND city_key = ?2 AND street_key = ?3"
	" AND number_key = ?4 AND id <> ?5";

int store_apartment_find(struct store *s, const struct apartment_identity *key, int64_t exclude_id, int64_t *found,
			 struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_find, err);
	int rc;
	*found = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, key->national_id);
	db_bind_text(st, 2, key->city_key);
	db_bind_text(st, 3, key->street_key);
	db_bind_text(st, 4, key->number_key);
	db_bind_int(st, 5, exclude_id);
	rc = stmt_row(st, err);
	if (rc <= 0)
		return rc;
	*found = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

static const char sql_update[] =
	"UPDATE apartments SET national_id = ?2, city_key = ?3, street_key = ?4, number_key = ?5, county = ?6,"
	" municipality = ?7, street_name = ?8, street_number = ?9, zip_code = ?10, latitude = ?11,"
	" longitude = ?12, area = ?13, floor = ?14, rent = ?15, rooms = ?16, description = ?17,"
	" landlord_object_id = ?18, renovation_date = ?19, floor_plan_reference = ?20,"
	" promotion_file_reference = ?21, balcony = ?22, bathtub = ?23, dishwasher = ?24, dryer = ?25,"
	" kitchen_fan = ?26, washing_machine = ?27, garage = ?28, parking = ?29, water = ?30,"
	" accessibility_adapted = ?31, cable_package_included = ?32, electricity_included = ?33,"
	" elevator = ?34, handicap_adapted = ?35, heating_included = ?36, internet_included = ?37,"
	" laundry_room = ?38, pantry = ?39, patio = ?40, security_door = ?41, shower = ?42,"
	" can_create_ad_listing = ?43, updated_at = ?44 WHERE id = ?1";

int store_apartment_update(struct store *s, int64_t id, const struct apartment_fields *f,
			   const struct apartment_identity *key, struct str county, struct str municipality,
			   struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_update, err);
	if (!st)
		return -1;
	store_bind_now(st, 44);
	db_bind_int(st, 1, id);
	bind_apartment(st, 2, f, key, county, municipality);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such apartment");
	return 0;
}

static const char sql_delete[] = "DELETE FROM apartments WHERE id = ?1";

int store_apartment_delete(struct store *s, int64_t id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such apartment");
	return 0;
}

/* ---- notes ---- */

#define NOTE_COLUMNS                                                                       \
	"n.id, n.apartment_id, COALESCE(n.author_id, 0),"                                  \
	" COALESCE(TRIM(u.first_name || ' ' || u.last_name), ''), n.context, n.text, n.created_at, n.updated_at"

static void read_note(struct db_stmt *st, struct arena *a, void *row)
{
	struct apartment_note *n = row;
	n->id = db_col_int(st, 0);
	n->apartment_id = db_col_int(st, 1);
	n->author_id = db_col_int(st, 2);
	n->author_name = col_str(st, 3, a);
	n->context = col_str(st, 4, a);
	n->text = col_str(st, 5, a);
	n->created_at = col_str(st, 6, a);
	n->updated_at = col_str(st, 7, a);
}

static const char sql_note_insert[] =
	"INSERT INTO apartment_notes(apartment_id, author_id, context, text) VALUES (?1, ?2, ?3, ?4)"
	" RETURNING id";
static const char sql_note_get[] =
	"SELECT " NOTE_COLUMNS " FROM apartment_notes n LEFT JOIN users u ON u.id = n.author_id"
	" WHERE n.apartment_id = ?1 AND n.id = ?2";
static const char sql_note_list[] =
	"SELECT " NOTE_COLUMNS " FROM apartment_notes n LEFT JOIN users u ON u.id = n.author_id"
	" WHERE n.apartment_id = ?1 ORDER BY n.created_at, n.id";
static const char sql_note_update[] =
	"UPDATE apartment_notes SET text = ?3, updated_at = ?4"
	" WHERE apartment_id = ?1 AND id = ?2";
static const char sql_note_delete[] = "DELETE FROM apartment_notes WHERE apartment_id = ?1 AND id = ?2";

int store_apartment_note_insert(struct store *s, int64_t apartment_id, int64_t author_id, struct str context,
				struct str text, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_note_insert, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, apartment_id);
	if (author_id)
		db_bind_int(st, 2, author_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, context);
	db_bind_text(st, 4, text);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

int store_apartment_note_get(struct store *s, struct arena *a, int64_t apartment_id, int64_t id,
			     struct apartment_note *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_note_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, apartment_id);
	db_bind_int(st, 2, id);
	return stmt_one(st, a, read_note, out, "note", err);
}

int store_apartment_note_list(struct store *s, struct arena *a, int64_t apartment_id, struct apartment_note **out,
			      size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_note_list, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, apartment_id);
	return stmt_collect(st, a, sizeof(**out), read_note, (void **)out, n, err);
}

static int note_write(struct store *s, const char *sql, int64_t apartment_id, int64_t id, struct str text,
		      struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, apartment_id);
	db_bind_int(st, 2, id);
	if (text.ptr) { /* the update: its text and time */
		db_bind_text(st, 3, text);
		store_bind_now(st, 4);
	}
	if (stmt_exec(st, err) < 0)
		return -1;
	if (store_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such note");
	return 0;
}

int store_apartment_note_update(struct store *s, int64_t apartment_id, int64_t id, struct str text,
				struct error *err)
{
	return note_write(s, sql_note_update, apartment_id, id, text, err);
}

int store_apartment_note_delete(struct store *s, int64_t apartment_id, int64_t id, struct error *err)
{
	return note_write(s, sql_note_delete, apartment_id, id, STR_NULL, err);
}
