/*
 * store_cards.c — the card tables behind listing search (store_cards.h, migration
 * 0014_cards.sql).
 *
 * A card row is built by INSERT … SELECT from the listing, its apartment, estate and
 * requirement profile (or, for a project card, from its project ads' rows), with the
 * few values only C computes bound as parameters.
 *
 * The search SQL is a fixed set of string literals (db.h caches statements by their
 * address): one per driver (how rows are found first: an index range, card_geo — an
 * R*Tree, on PostgreSQL a GiST index —, or a few ids) and use (a page in the default order, a page in any other order, a
 * count). Every other filter is a residual test whose parameter is NULL when the
 * request does not use it, so one statement serves every combination of filters.
 */
#include "store/listings/store_cards.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"

#include "store/store_epoch.h"
#include "store/store_internal.h"

/* One integer (0 when there is no row). */
static int one_int(struct db_stmt *st, int64_t *out, struct error *err)
{
	int rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	*out = rc ? db_col_int(st, 0) : 0;
	if (rc)
		db_reset(st);
	return 0;
}

/* ---- writing ---- */

static const char sql_listing_source[] =
	"SELECT o.id, COALESCE(o.project_id, 0), COALESCE(pr.published, 0), o.status, p.latitude, p.longitude,"
	" p.zip_code, p.county, p.municipality FROM object_ads o JOIN apartments p ON p.id = o.apartment_id"
	" LEFT JOIN projects pr ON pr.id = o.project_id WHERE o.id = ?1";

static void read_listing_source(struct db_stmt *st, struct arena *a, void *row)
{
	struct card_listing_source *s = row;
	s->id = db_col_int(st, 0);
	s->project_id = db_col_int(st, 1);
	s->project_published = db_col_int(st, 2) != 0;
	s->status = col_str(st, 3, a);
	s->latitude = db_col_double(st, 4);
	s->longitude = db_col_double(st, 5);
	s->zip_code = col_str(st, 6, a);
	s->county_name = col_str(st, 7, a);
	s->municipality_name = col_str(st, 8, a);
}

int store_cards_listing_source(struct store *s, struct arena *a, int64_t listing_id, struct card_listing_source *out,
			       struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_listing_source, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, listing_id);
	return stmt_one(st, a, read_listing_source, out, "listing", err);
}

static const char sql_delete[] = "DELETE FROM cards WHERE id = ?1";

int store_cards_delete(struct store *s, int64_t card_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_delete, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, card_id);
	return stmt_exec(st, err);
}

/*
 * A comparison as the integer 0/1 (NULL stays NULL). SQLite's comparisons are integers
 * already; PostgreSQL's are booleans, which neither shift, OR nor go into a BIGINT column
 * without an explicit cast.
 */
#define FLAG(cond) "CAST(" cond " AS INTEGER)"

/* The search's amenity filters (cards.amenities), in the bit order of core/listings/cards.c. */
#define LISTING_AMENITIES                                                                                  \
	"(" FLAG("p.balcony <> 'NONE'") " | (" FLAG("p.bathtub = 'PRESENT'") " << 1)"                              \
	" | (" FLAG("p.dishwasher = 'PRESENT'") " << 2) | (" FLAG("p.dryer = 'PRESENT'") " << 3)"                   \
	" | (" FLAG("p.elevator <> 0") " << 4) | (" FLAG("p.garage <> 'NONE'") " << 5)"                             \
	" | (" FLAG("p.handicap_adapted <> 0") " << 6) | (" FLAG("p.kitchen_fan = 'PRESENT'") " << 7)"              \
	" | (" FLAG("p.parking <> 'NONE'") " << 8) | (" FLAG("p.patio <> 0") " << 9)"                               \
	" | (" FLAG("COALESCE(r.pets, 0) <> 0") " << 10) | (" FLAG("p.washing_machine = 'PRESENT'") " << 11))"

/* SearchAmenities of ExtendedIndividualCard (card_docs.features), in core/listings/cards.c's order. */
#define LISTING_FEATURES                                                                                   \
	"(" FLAG("p.balcony <> 'NONE'") " | (" FLAG("p.bathtub = 'PRESENT'") " << 1)"                              \
	" | (" FLAG("p.dishwasher = 'PRESENT'") " << 2) | (" FLAG("p.dryer = 'PRESENT'") " << 3)"                   \
	" | (" FLAG("p.electricity_included <> 0") " << 4) | (" FLAG("p.elevator <> 0") " << 5)"                    \
	" | (" FLAG("p.garage <> 'NONE'") " << 6) | (" FLAG("p.handicap_adapted <> 0") " << 7)"                     \
	" | (" FLAG("p.heating_included <> 0") " << 8) | (" FLAG("p.internet_included <> 0") " << 9)"               \
	" | (" FLAG("p.kitchen_fan = 'PRESENT'") " << 10) | (" FLAG("p.parking <> 'NONE'") " << 11)"                \
	" | (" FLAG("p.patio <> 0") " << 12) | (" FLAG("COALESCE(r.pets, 0) <> 0") " << 13)"                        \
	" | (" FLAG("p.cable_package_included <> 0") " << 14) | (" FLAG("p.washing_machine = 'PRESENT'") " << 15)"  \
	" | (" FLAG("p.water <> 'PAY_EXTRA'") " << 16))"

/* The requirement profile's audiences; none of them: everyone (bit 1). */
#define LISTING_AUDIENCE                                                                                   \
	"(CASE WHEN COALESCE(r.senior, 0) + COALESCE(r.youth, 0) + COALESCE(r.student, 0) = 0 THEN 1"         \
	" ELSE (" FLAG("r.senior <> 0") " << 1) | (" FLAG("r.youth <> 0") " << 2) | (" FLAG("r.student <> 0") " << 3)" \
	" END)"

#define CARD_COLUMNS                                                                                       \
	"INSERT INTO cards(id, kind, ref_id, state, modes, audience, amenities, company_id, office_id, estate_id,"  \
	" apartment_id, project_id, county, municipality, lat, lon, x, y, z, publish_date, rent, rent_max, area,"  \
	" area_max, rooms, rooms_max, floor, floor_max, boost_value, active_ads)"

/*
 * x rounded to 7 decimals, a double. PostgreSQL's round(x, n) takes a numeric only, and
 * arithmetic on the numeric it returns would be decimal (the unit vectors below then
 * differed from SQLite's in the last digit): it is made a double again at once. In
 * SQLite both casts leave the REAL as it is (an integral one becomes an INTEGER, which
 * round() returns as the same REAL), so its values are unchanged.
 */
#define ROUND7(x) "CAST(round(CAST(" x " AS NUMERIC), 7) AS DOUBLE PRECISION)"

/* A listing's card row; the place columns are expressions (bound values or a join). */
#define LISTING_CARD(kind, state, county, municipality, x, y, z)                                          \
	CARD_COLUMNS " SELECT 2 * o.id, " kind ", o.id, " state ","                                              \
	" CASE o.candidate_sorting_mode WHEN 'queue_points' THEN 1 WHEN 'random' THEN 2 ELSE 4 END,"              \
	" " LISTING_AUDIENCE ", " LISTING_AMENITIES ", o.company_id, e.office_id, p.estate_id, p.id,"            \
	" COALESCE(o.project_id, 0), " county ", " municipality ", " ROUND7("p.latitude") ", " ROUND7("p.longitude") "," \
	" " x ", " y ", " z ","                                                                                   \
	" COALESCE(o.date_publish, 0), p.rent, p.rent, p.area, p.area, p.rooms, p.rooms, p.floor, p.floor, 0, 1"   \
	" FROM object_ads o JOIN apartments p ON p.id = o.apartment_id JOIN estates e ON e.id = p.estate_id"     \
	" LEFT JOIN requirement_profiles r ON r.id = o.requirement_id"

static const char sql_put_listing[] = LISTING_CARD("?2", "?3", "?4", "?5", "?6", "?7", "?8") " WHERE o.id = ?1";

/*
 * The text aggregate, in the order of its subquery (which also selects the order's columns):
 * SQLite's group_concat() takes the rows in the order the ordered subquery yields them (and
 * has no string_agg before 3.44, no ORDER BY in an aggregate before 3.44); PostgreSQL's
 * string_agg() is told the order, as it promises none otherwise. A statement that joins
 * lines is composed twice from the same macros, once with each (store_stmt_by_backend()).
 */
#define AGG_SQLITE(expr, sep, order) "group_concat(" expr ", " sep ")"
#define AGG_PG(expr, sep, order) "string_agg(" expr ", " sep " ORDER BY " order ")"

/* A tab and a line feed: the characters themselves inside quotes (SQLite spells them char(9), PostgreSQL chr(9)). */
#define TAB "'\t'"
#define LF "'\n'"

/* "key<TAB>caption" lines of a list of stored files, in position order. */
#define MEDIA_LINES(AGG, from_where)                                                                       \
	"COALESCE((SELECT " AGG("k || " TAB " || cap", LF, "pos, mid") " FROM (SELECT f.key AS k,"              \
	" replace(replace(m.caption, " TAB ", ' '), " LF ", ' ') AS cap, m.position AS pos, m.id AS mid "         \
	from_where " ORDER BY m.position, m.id) AS ml), '')"
#define VIDEO_LINES(AGG, from_where)                                                                       \
	"COALESCE((SELECT " AGG("k", LF, "pos, mid") " FROM (SELECT COALESCE(c.key, f.key) AS k,"               \
	" m.position AS pos, m.id AS mid " from_where " ORDER BY m.position, m.id) AS vl), '')"
#define STORED " JOIN file_references fr ON fr.id = m.reference JOIN stored_files f ON f.id = fr.stored_file_id"

#define LISTING_DOC(AGG, now)                                                                             \
	"INSERT INTO card_docs(card_id, title, city, county_name, municipality_name, images, videos, date_access,"  \
	" short_lease, is_quick_apply, access_on_agreement, prior_access, street, street_number, zip, description,"  \
	" floor_plan, landlord_object_id, sorting_mode, features, indexed_at)"                                      \
	" SELECT 2 * o.id, p.street_name || ' ' || p.street_number, e.city, p.county, p.municipality, "              \
	MEDIA_LINES(AGG, "FROM media_links m" STORED " WHERE m.kind = 'apartment_picture' AND m.owner_id = p.id") ", " \
	VIDEO_LINES(AGG, "FROM media_links m" STORED " LEFT JOIN stored_files c ON c.id = f.compressed_file_id"     \
		    " WHERE m.kind = 'apartment_video' AND m.owner_id = p.id AND m.private = 0") ","                   \
	" o.access_date, " FLAG("o.is_short_lease <> 0") ", " FLAG("o.is_quick_apply <> 0") ","                   \
	" " FLAG("o.access_date IS NULL") ", " FLAG("o.prior_access <> 0") ","                                     \
	" p.street_name, p.street_number, p.zip_code, CASE WHEN o.description <> '' THEN o.description"             \
	" ELSE p.description END,"                                                                                  \
	" (SELECT f.key FROM file_references fr JOIN stored_files f ON f.id = fr.stored_file_id"                    \
	" WHERE fr.id = p.floor_plan_reference), p.landlord_object_id, o.candidate_sorting_mode, " LISTING_FEATURES "," \
	" " now                                                                                                     \
	" FROM object_ads o JOIN apartments p ON p.id = o.apartment_id JOIN estates e ON e.id = p.estate_id"        \
	" LEFT JOIN requirement_profiles r ON r.id = o.requirement_id"

/* the card's indexed_at is the parameter named in LISTING_DOC(now), bound from C */
static const char sql_put_listing_doc[] = LISTING_DOC(AGG_SQLITE, "?2") " WHERE o.id = ?1";
static const char sql_put_listing_doc_pg[] = LISTING_DOC(AGG_PG, "?2") " WHERE o.id = ?1";

static const char sql_put_geo[] = "INSERT INTO card_geo(id, min_lat, max_lat, min_lon, max_lon)"
				  " SELECT id, lat, lat, lon, lon FROM cards WHERE id = ?1";

static int put_geo(struct store *s, int64_t card_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_put_geo, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, card_id);
	return stmt_exec(st, err);
}

static void bind_place(struct db_stmt *st, int first, const struct card_place *p)
{
	db_bind_int(st, first, p->county);
	db_bind_int(st, first + 1, p->municipality);
	db_bind_double(st, first + 2, p->x);
	db_bind_double(st, first + 3, p->y);
	db_bind_double(st, first + 4, p->z);
}

int store_cards_put_listing(struct store *s, int64_t listing_id, enum card_kind kind, int state,
			    const struct card_place *place, struct error *err)
{
	struct db_stmt *st;

	if (store_cards_delete(s, card_id_listing(listing_id), err) < 0)
		return -1;
	if (!(st = store_stmt(s, sql_put_listing, err)))
		return -1;
	db_bind_int(st, 1, listing_id);
	db_bind_int(st, 2, kind);
	db_bind_int(st, 3, state);
	bind_place(st, 4, place);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (!(st = store_stmt_by_backend(s, sql_put_listing_doc, sql_put_listing_doc_pg, err)))
		return -1;
	db_bind_int(st, 1, listing_id);
	store_bind_now(st, 2);
	if (stmt_exec(st, err) < 0)
		return -1;
	return put_geo(s, card_id_listing(listing_id), err);
}

/* The project's active ads with a row (kind 2, state active). */
#define PROJECT_ADS " FROM cards a WHERE a.project_id = pr.id AND a.kind = 2 AND a.state = 1"

static const char sql_project_source[] =
	"SELECT pr.id, pr.published, pr.closed, (SELECT COUNT(*)" PROJECT_ADS "), l.project_id IS NOT NULL,"
	" COALESCE(l.latitude, (SELECT AVG(a.lat)" PROJECT_ADS "), 0),"
	" COALESCE(l.longitude, (SELECT AVG(a.lon)" PROJECT_ADS "), 0),"
	" COALESCE(l.city, (SELECT d.city FROM card_docs d JOIN cards a ON a.id = d.card_id"
	" WHERE a.project_id = pr.id AND a.kind = 2 AND a.state = 1 ORDER BY a.id LIMIT 1), '')"
	" FROM projects pr LEFT JOIN project_locations l ON l.project_id = pr.id WHERE pr.id = ?1";

static void read_project_source(struct db_stmt *st, struct arena *a, void *row)
{
	struct card_project_source *p = row;
	p->id = db_col_int(st, 0);
	p->published = db_col_int(st, 1) != 0;
	p->closed = db_col_int(st, 2) != 0;
	p->active_ads = db_col_int(st, 3);
	p->has_location = db_col_int(st, 4) != 0;
	p->latitude = db_col_double(st, 5);
	p->longitude = db_col_double(st, 6);
	p->city = col_str(st, 7, a);
}

int store_cards_project_source(struct store *s, struct arena *a, int64_t project_id,
			       struct card_project_source *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_project_source, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	return stmt_one(st, a, read_project_source, out, "project", err);
}

/* Bitwise OR over the ads: SQLite has no such aggregate, so one MAX per bit. */
#define OR4(col) "(MAX(" col " & 1) | MAX(" col " & 2) | MAX(" col " & 4) | MAX(" col " & 8))"
#define OR12(col)                                                                                          \
	"(" OR4(col) " | MAX(" col " & 16) | MAX(" col " & 32) | MAX(" col " & 64) | MAX(" col " & 128)"     \
	" | MAX(" col " & 256) | MAX(" col " & 512) | MAX(" col " & 1024) | MAX(" col " & 2048))"

static const char sql_put_project[] = CARD_COLUMNS
	" SELECT 2 * pr.id + 1, 1, pr.id, 1, g.modes, g.audience, g.amenities, pr.company_id, pr.office_id, 0, 0,"
	" pr.id, ?2, ?3, ?7, ?8, ?4, ?5, ?6, g.publish_date, g.rent, g.rent_max, g.area, g.area_max, g.rooms,"
	" g.rooms_max, g.floor, g.floor_max, 0, g.n"
	" FROM projects pr, (SELECT " OR4("a.modes") " AS modes, " OR4("a.audience") " AS audience, "
	OR12("a.amenities") " AS amenities, MAX(a.publish_date) AS publish_date, MIN(a.rent) AS rent,"
	" MAX(a.rent_max) AS rent_max, MIN(a.area) AS area, MAX(a.area_max) AS area_max, MIN(a.rooms) AS rooms,"
	" MAX(a.rooms_max) AS rooms_max, MIN(a.floor) AS floor, MAX(a.floor_max) AS floor_max, COUNT(*) AS n"
	" FROM cards a WHERE a.project_id = ?1 AND a.kind = 2 AND a.state = 1) g WHERE pr.id = ?1 AND g.n > 0";

#define PROJECT_DOC(AGG)                                                                                  \
	"INSERT INTO card_docs(card_id, title, city, county_name, municipality_name, images, videos, date_access,"  \
	" short_lease, sorting_mode, description, indexed_at)"                                                      \
	" SELECT 2 * pr.id + 1, pr.name, ?2, ?3, ?4, "                                                              \
	MEDIA_LINES(AGG, "FROM project_media m" STORED " WHERE m.project_id = pr.id AND m.kind = 'project_image'") ", " \
	VIDEO_LINES(AGG, "FROM project_media m" STORED " LEFT JOIN stored_files c ON c.id = f.compressed_file_id"   \
		    " WHERE m.project_id = pr.id AND m.kind = 'project_video'") ","                                    \
	" (SELECT " AGG("d", "','", "d") " FROM (SELECT DISTINCT ad.date_access AS d FROM cards a"                  \
	" JOIN card_docs ad ON ad.card_id = a.id WHERE a.project_id = pr.id AND a.kind = 2 AND a.state = 1"         \
	" AND ad.date_access IS NOT NULL ORDER BY 1) AS dl),"                                                       \
	" (SELECT MAX(CASE WHEN ad.short_lease <> 0 THEN 2 ELSE 1 END)"                                             \
	" | MIN(CASE WHEN ad.short_lease <> 0 THEN 2 ELSE 1 END)"                                                   \
	" FROM cards a JOIN card_docs ad ON ad.card_id = a.id WHERE a.project_id = pr.id AND a.kind = 2"            \
	" AND a.state = 1),"                                                                                        \
	" pr.candidate_sorting_mode, pr.info_description, ?5"                                                       \
	" FROM projects pr WHERE pr.id = ?1 AND EXISTS (SELECT 1 FROM cards WHERE id = 2 * ?1 + 1)"
static const char sql_put_project_doc[] = PROJECT_DOC(AGG_SQLITE);
static const char sql_put_project_doc_pg[] = PROJECT_DOC(AGG_PG);

int store_cards_put_project(struct store *s, int64_t project_id, const struct card_place *place,
			    struct str county_name, struct str municipality_name, struct str city, struct error *err)
{
	struct db_stmt *st;
	const struct card_place *p = place;

	if (store_cards_delete(s, card_id_project(project_id), err) < 0)
		return -1;
	if (!(st = store_stmt(s, sql_put_project, err)))
		return -1;
	db_bind_int(st, 1, project_id);
	bind_place(st, 2, p);
	db_bind_double(st, 7, p->lat);
	db_bind_double(st, 8, p->lon);
	if (stmt_exec(st, err) < 0)
		return -1;
	if (!(st = store_stmt_by_backend(s, sql_put_project_doc, sql_put_project_doc_pg, err)))
		return -1;
	store_bind_now(st, 5);
	db_bind_int(st, 1, project_id);
	db_bind_text(st, 2, city);
	db_bind_text(st, 3, county_name);
	db_bind_text(st, 4, municipality_name);
	if (stmt_exec(st, err) < 0)
		return -1;
	return put_geo(s, card_id_project(project_id), err);
}

static const char *const sql_listings_of[] = {
	[CARD_OWNER_APARTMENT] = "SELECT id FROM object_ads WHERE apartment_id = ?1"
				 " UNION SELECT ref_id FROM cards WHERE apartment_id = ?1 AND kind IN (0, 2)",
	[CARD_OWNER_ESTATE] = "SELECT id FROM object_ads WHERE estate_id = ?1"
			      " UNION SELECT ref_id FROM cards WHERE estate_id = ?1 AND kind IN (0, 2)",
	[CARD_OWNER_PROJECT] = "SELECT id FROM object_ads WHERE project_id = ?1"
			       " UNION SELECT ref_id FROM cards WHERE project_id = ?1 AND kind = 2",
};

static void read_id(struct db_stmt *st, struct arena *a, void *row)
{
	(void)a;
	*(int64_t *)row = db_col_int(st, 0);
}

int store_cards_listings_of(struct store *s, struct arena *a, enum card_owner owner, int64_t id, int64_t **ids,
			    size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_listings_of[owner], err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_collect(st, a, sizeof(**ids), read_id, (void **)ids, n, err);
}

static const char sql_dirty[] = "SELECT project_id FROM card_dirty_projects ORDER BY project_id";
static const char sql_dirty_clear[] = "DELETE FROM card_dirty_projects";
static const char sql_dirty_mark[] = "INSERT INTO card_dirty_projects(project_id) VALUES (?1)"
				     " ON CONFLICT (project_id) DO NOTHING";

int store_cards_take_dirty(struct store *s, struct arena *a, int64_t **ids, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_dirty, err);
	*n = 0;
	if (!st || stmt_collect(st, a, sizeof(**ids), read_id, (void **)ids, n, err) < 0)
		return -1;
	if (*n == 0)
		return 0;
	if (!(st = store_stmt(s, sql_dirty_clear, err)))
		return -1;
	return stmt_exec(st, err);
}

int store_cards_mark_dirty(struct store *s, int64_t project_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_dirty_mark, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, project_id);
	return stmt_exec(st, err);
}

/* ---- reading ---- */

/*
 * The residual filters; a NULL parameter switches its test off (typed by a CAST, which
 * PostgreSQL needs to type a bare parameter). Ranges test overlap (a project card spans
 * its listings' range; an individual row has min = max).
 *   ?1 kinds (bit per kind)  ?2 states  ?3 the company whose paused rows may show
 *   ?4 modes  ?5 amenities (all of them)  ?6 audiences (any; 0: no test)
 *   ?7/?8 rent  ?9/?10 area  ?11/?12 rooms  ?13/?14 floor (min/max)
 *   ?15 company  ?16 estate  ?17 project  ?38 ids on (0: off): ?18 the array of card ids
 *   ?19 shapes on: ?20 the array of county codes, ?21 of municipality codes
 *   ?22..?25 bounds (min_lat, max_lat, min_lon, max_lon)
 *   ?26..?29 radius: the centre's unit vector and the squared chord
 *   ?43 available by (YYYY-MM-DD; the market dialect's availableFrom): a card_docs test
 *   ?39 area names on: ?40 the names (municipality or county), a card_docs test
 * The tests of the common filters come first and read only columns of the walking
 * indexes (migration 0014), so that rows they reject never cost a table seek. The kind is
 * cast for PostgreSQL, whose >> shifts by an integer, not a bigint.
 */
/* Each test once; FILTER below switches the optional ones off by a NULL parameter. */
#define T_KIND "((?1 >> CAST(c.kind AS INTEGER)) & 1) <> 0"
#define T_STATE "(c.state & ?2) <> 0 AND (c.state <> 4 OR c.company_id = ?3)"
#define T_MODES "(c.modes & ?4) <> 0"
#define T_AMENITIES "(c.amenities & ?5) = ?5"
#define T_AUDIENCE "(c.audience & ?6) <> 0"
#define T_MIN_RENT "c.rent_max >= ?7"
#define T_MAX_RENT "c.rent <= ?8"
#define T_MIN_AREA "c.area_max >= ?9"
#define T_MAX_AREA "c.area <= ?10"
#define T_MIN_ROOM "c.rooms_max >= ?11"
#define T_MAX_ROOM "c.rooms <= ?12"
#define T_MIN_FLOOR "c.floor_max >= ?13"
#define T_MAX_FLOOR "c.floor <= ?14"
#define T_COMPANY "c.company_id = ?15"
#define T_BOUNDS "(c.lat >= ?22 AND c.lat <= ?23 AND c.lon >= ?24 AND c.lon <= ?25)"
#define T_ESTATE "c.estate_id = ?16"
#define T_PROJECT "c.project_id = ?17"
#define T_IDS "c.id = ANY(?18)"
#define T_SHAPES "(c.county = ANY(?20) OR c.municipality = ANY(?21))"
#define T_RADIUS "(c.x - ?26) * (c.x - ?26) + (c.y - ?27) * (c.y - ?27) + (c.z - ?28) * (c.z - ?28) <= ?29"
#define T_AVAILABLE_BY                                                                                     \
	"EXISTS (SELECT 1 FROM card_docs ad WHERE ad.card_id = c.id"                                            \
	" AND (ad.date_access IS NULL OR ad.date_access <= ?43))"
#define T_AREA_NAMES                                                                                       \
	"EXISTS (SELECT 1 FROM card_docs nd WHERE nd.card_id = c.id"                                            \
	" AND (nd.municipality_name = ANY(?40) OR nd.county_name = ANY(?40)))"

/* A filter parameter that is NULL when its test is off, typed for PostgreSQL. */
#define INT_OFF(n) "CAST(?" #n " AS INTEGER) IS NULL"
#define REAL_OFF(n) "CAST(?" #n " AS DOUBLE PRECISION) IS NULL"
#define FILTER                                                                                             \
	T_KIND " AND " T_STATE " AND " T_MODES " AND " T_AMENITIES " AND (?6 = 0 OR " T_AUDIENCE ")"             \
	" AND (" REAL_OFF(7) " OR " T_MIN_RENT ") AND (" REAL_OFF(8) " OR " T_MAX_RENT ")"                     \
	" AND (" REAL_OFF(9) " OR " T_MIN_AREA ") AND (" REAL_OFF(10) " OR " T_MAX_AREA ")"                    \
	" AND (" REAL_OFF(11) " OR " T_MIN_ROOM ") AND (" REAL_OFF(12) " OR " T_MAX_ROOM ")"                   \
	" AND (" REAL_OFF(13) " OR " T_MIN_FLOOR ") AND (" REAL_OFF(14) " OR " T_MAX_FLOOR ")"                 \
	" AND (" INT_OFF(15) " OR " T_COMPANY ")"                                                              \
	" AND (" REAL_OFF(22) " OR " T_BOUNDS ")"                                                              \
	" AND (" INT_OFF(16) " OR " T_ESTATE ")"                                                               \
	" AND (" INT_OFF(17) " OR " T_PROJECT ") AND (?38 = 0 OR " T_IDS ")"                                   \
	" AND (" INT_OFF(19) " OR " T_SHAPES ")"                                                               \
	" AND (" REAL_OFF(26) " OR " T_RADIUS ")"                                                              \
	" AND (CAST(?43 AS TEXT) IS NULL OR " T_AVAILABLE_BY ")"                                                \
	" AND (CAST(?39 AS INTEGER) IS NULL OR " T_AREA_NAMES ")"

/* How the rows are found first (store_cards_plan); the other filters then test each row. */
enum card_driver {
	CARD_DRIVE_ALL,          /* every card, in sort order (0: an unplanned query is still right) */
	CARD_DRIVE_COUNTY,       /* one county */
	CARD_DRIVE_MUNICIPALITY, /* one municipality */
	CARD_DRIVE_COMPANY,      /* one company */
	CARD_DRIVE_GEO,          /* card_geo's box */
	CARD_DRIVE_FEW,          /* one estate, one project or a list of ids */
	CARD_DRIVE_COUNT
};

/*
 * Geographic boxes: a box larger than GEO_DRIVE_MAX_AREA (square degrees) is searched by
 * walking the walking indexes in order, testing the box on their lat/lon; a smaller one
 * is asked of card_geo first, and found through it when it holds fewer than
 * GEO_DRIVE_MAX_ROWS cards (each then costs a table seek), else walked too (a dense
 * box fills a page after a few hundred index entries).
 */
#define GEO_DRIVE_MAX_AREA 0.25
#define GEO_DRIVE_MAX_ROWS 2000

/*
 * card_geo's boxes that meet the box (lat1..lat2, lon1..lon2). SQLite's card_geo is an
 * R*Tree, searched by these range constraints; PostgreSQL's a table with a GiST index on
 * box(point(min_lon, min_lat), point(max_lon, max_lat)), used only for an operator of that
 * very expression (&& overlaps; PostgreSQL's geometric comparisons allow 1e-6 of slack, and
 * the R*Tree stores 32-bit floats rounded outwards: both may yield a card just outside,
 * which FILTER's exact box test then drops). The one place the search's words differ.
 */
#define GEO_MEETS_SQLITE(lat1, lat2, lon1, lon2)                                                           \
	"max_lat >= " lat1 " AND min_lat <= " lat2 " AND max_lon >= " lon1 " AND min_lon <= " lon2
#define GEO_MEETS_PG(lat1, lat2, lon1, lon2)                                                               \
	"box(point(min_lon, min_lat), point(max_lon, max_lat)) && box(point(" lon1 ", " lat1 "), point(" lon2 ", " lat2 "))"

/* How rows are found first (?30..?33: the driver's values). */
#define DRIVE_ALL "1 = 1" /* a boolean: PostgreSQL's WHERE takes no integer */
#define DRIVE_COUNTY "c.county = ?30"
#define DRIVE_MUNICIPALITY "c.municipality = ?30"
#define DRIVE_COMPANY "c.company_id = ?30"
#define DRIVE_GEO(MEETS) "c.id IN (SELECT id FROM card_geo WHERE " MEETS("?30", "?31", "?32", "?33") ")"
#define DRIVE_FEW "(c.estate_id = ?16 OR c.project_id = ?17 OR c.id = ANY(?18))"

/*
 * Any order: ?34 the key (enum card_sort_key), ?35 1 ascending, -1 descending. A range
 * sorts by its low end ascending and its high end descending; ties by id in the same
 * direction. ?36 limit, ?37 offset.
 */
#define SORT_KEY                                                                                           \
	"(CASE ?34 WHEN 0 THEN c.publish_date"                                                                  \
	" WHEN 1 THEN CASE WHEN ?35 < 0 THEN c.area_max ELSE c.area END"                                        \
	" WHEN 2 THEN CASE WHEN ?35 < 0 THEN c.floor_max ELSE c.floor END"                                      \
	" WHEN 3 THEN CASE WHEN ?35 < 0 THEN c.rent_max ELSE c.rent END"                                        \
	" WHEN 4 THEN CASE WHEN ?35 < 0 THEN c.rooms_max ELSE c.rooms END"                                      \
	" WHEN 5 THEN (c.x - ?26) * (c.x - ?26) + (c.y - ?27) * (c.y - ?27) + (c.z - ?28) * (c.z - ?28)"         \
	" ELSE c.boost_value END)"

#define NEWEST " ORDER BY c.publish_date DESC, c.id DESC LIMIT ?36 OFFSET ?37"
#define ANY_ORDER " ORDER BY " SORT_KEY " * ?35, c.id * ?35 LIMIT ?36 OFFSET ?37"
/* A page is found by its ids alone (index-only), then each row is read by id. */
#define IDS(drive, order) "SELECT c.id FROM cards c WHERE " drive " AND " FILTER order
/*
 * The newest-first page after a known row (?41 its publish_date, ?42 its id) instead of
 * an OFFSET: the walk seeks to the row rather than stepping over every row before it.
 */
#define AFTER " AND c.publish_date <= ?41 AND (c.publish_date < ?41 OR c.id < ?42)"
#define IDS_AFTER(drive) "SELECT c.id FROM cards c WHERE " drive AFTER " AND " FILTER NEWEST
/* A pin needs only columns of the walking indexes. */
#define PINS(drive, order)                                                                                 \
	"SELECT c.id, c.kind, c.ref_id, c.state, c.lat, c.lon, c.active_ads FROM cards c WHERE " drive " AND "   \
	FILTER order
#define COUNT(drive) "SELECT COUNT(*) FROM cards c WHERE " drive " AND " FILTER

enum { USE_IDS_NEWEST, USE_IDS_ANY, USE_PINS_NEWEST, USE_PINS_ANY, USE_COUNT, USE_IDS_AFTER, USE_COUNT_ };

#define DRIVER_SQL(drive)                                                                                  \
	{ IDS(drive, NEWEST), IDS(drive, ANY_ORDER), PINS(drive, NEWEST), PINS(drive, ANY_ORDER), COUNT(drive),  \
	  IDS_AFTER(drive) }

static const char *const sql_search[CARD_DRIVE_COUNT][USE_COUNT_] = {
	[CARD_DRIVE_ALL] = DRIVER_SQL(DRIVE_ALL),
	[CARD_DRIVE_COUNTY] = DRIVER_SQL(DRIVE_COUNTY),
	[CARD_DRIVE_MUNICIPALITY] = DRIVER_SQL(DRIVE_MUNICIPALITY),
	[CARD_DRIVE_COMPANY] = DRIVER_SQL(DRIVE_COMPANY),
	[CARD_DRIVE_GEO] = DRIVER_SQL(DRIVE_GEO(GEO_MEETS_SQLITE)),
	[CARD_DRIVE_FEW] = DRIVER_SQL(DRIVE_FEW),
};
static const char *const sql_search_geo_pg[USE_COUNT_] = DRIVER_SQL(DRIVE_GEO(GEO_MEETS_PG));

/* q's plan, a walk over every card when it was never planned (or planned out of range). */
static enum card_driver plan_of(const struct card_query *q)
{
	return q->plan > 0 && q->plan < CARD_DRIVE_COUNT ? (enum card_driver)q->plan : CARD_DRIVE_ALL;
}

/*
 * PostgreSQL's search texts. PostgreSQL plans a prepared statement once for all values of
 * its parameters (a generic plan), and there a test that a NULL parameter switches off
 * still counts as a test: with FILTER's fifteen of them it expects almost no rows, and
 * sorts a county's bitmap rather than walking its index and stopping at the page's end
 * (200 ms instead of 0.1 ms at 100,000 listings). So on PostgreSQL the text names only the
 * tests that are on: made at run time for each driver, use and set of tests, from the same
 * T_ words as FILTER, and kept for the process's life (db_prepare() finds statements by
 * the text's address). At most PG_TEXTS sets; a rarer one runs FILTER's text, right but
 * planned worse. The parameters keep their numbers; one a text leaves out is still bound.
 */
enum {
	ON_AMENITIES, ON_AUDIENCE, ON_MIN_RENT, ON_MAX_RENT, ON_MIN_AREA, ON_MAX_AREA, ON_MIN_ROOM, ON_MAX_ROOM,
	ON_MIN_FLOOR, ON_MAX_FLOOR, ON_COMPANY, ON_BOUNDS, ON_ESTATE, ON_PROJECT, ON_IDS, ON_SHAPES, ON_RADIUS,
	ON_AVAILABLE_BY, ON_AREA_NAMES, ON_COUNT_
};
static const char *const optional_tests[ON_COUNT_] = {
	[ON_AMENITIES] = T_AMENITIES, [ON_AUDIENCE] = T_AUDIENCE,   [ON_MIN_RENT] = T_MIN_RENT,
	[ON_MAX_RENT] = T_MAX_RENT,   [ON_MIN_AREA] = T_MIN_AREA,   [ON_MAX_AREA] = T_MAX_AREA,
	[ON_MIN_ROOM] = T_MIN_ROOM,   [ON_MAX_ROOM] = T_MAX_ROOM,   [ON_MIN_FLOOR] = T_MIN_FLOOR,
	[ON_MAX_FLOOR] = T_MAX_FLOOR, [ON_COMPANY] = T_COMPANY,     [ON_BOUNDS] = T_BOUNDS,
	[ON_ESTATE] = T_ESTATE,       [ON_PROJECT] = T_PROJECT,     [ON_IDS] = T_IDS,
	[ON_SHAPES] = T_SHAPES,       [ON_RADIUS] = T_RADIUS,       [ON_AVAILABLE_BY] = T_AVAILABLE_BY,
	[ON_AREA_NAMES] = T_AREA_NAMES,
};

/* The optional tests q has on, a bit each (ON_*). */
static uint32_t tests_on(const struct card_query *q, enum card_driver drive)
{
	bool flags[ON_COUNT_] = {
		[ON_AMENITIES] = q->amenities != 0,
		[ON_AUDIENCE] = q->audience != 0,
		[ON_MIN_RENT] = q->min_rent.set,
		[ON_MAX_RENT] = q->max_rent.set,
		[ON_MIN_AREA] = q->min_area.set,
		[ON_MAX_AREA] = q->max_area.set,
		[ON_MIN_ROOM] = q->min_room.set,
		[ON_MAX_ROOM] = q->max_room.set,
		[ON_MIN_FLOOR] = q->min_floor.set,
		[ON_MAX_FLOOR] = q->max_floor.set,
		[ON_COMPANY] = q->company != 0,
		[ON_BOUNDS] = q->bounds,
		[ON_ESTATE] = q->estate != 0,
		[ON_PROJECT] = q->project != 0,
		[ON_IDS] = q->ids != NULL,
		/* one county's or municipality's walk already is the one shape's test */
		[ON_SHAPES] = q->shapes && drive != CARD_DRIVE_COUNTY && drive != CARD_DRIVE_MUNICIPALITY,
		[ON_RADIUS] = q->radius,
		[ON_AVAILABLE_BY] = q->available_by.ptr != NULL,
		[ON_AREA_NAMES] = q->area_names,
	};
	uint32_t on = 0;

	for (int i = 0; i < ON_COUNT_; i++)
		on |= (uint32_t)flags[i] << i;
	return on;
}

static const char *const drive_sql_pg[CARD_DRIVE_COUNT] = {
	[CARD_DRIVE_ALL] = DRIVE_ALL,		  [CARD_DRIVE_COUNTY] = DRIVE_COUNTY,
	[CARD_DRIVE_MUNICIPALITY] = DRIVE_MUNICIPALITY, [CARD_DRIVE_COMPANY] = DRIVE_COMPANY,
	[CARD_DRIVE_GEO] = DRIVE_GEO(GEO_MEETS_PG), [CARD_DRIVE_FEW] = DRIVE_FEW,
};

/* The text of a driver, a use and a set of tests (heap, never freed). */
static char *make_search_sql_pg(enum card_driver drive, int use, uint32_t on)
{
	static const char ids[] = "SELECT c.id FROM cards c WHERE ",
			  pins[] = "SELECT c.id, c.kind, c.ref_id, c.state, c.lat, c.lon, c.active_ads FROM cards c WHERE ",
			  count[] = "SELECT COUNT(*) FROM cards c WHERE ";
	const char *head = use == USE_COUNT ? count : use == USE_PINS_NEWEST || use == USE_PINS_ANY ? pins : ids;
	const char *order = use == USE_COUNT ? "" : use == USE_IDS_ANY || use == USE_PINS_ANY ? ANY_ORDER : NEWEST;
	struct buf b;

	buf_init(&b, NULL, 1024);
	buf_append_cstr(&b, head);
	buf_append_cstr(&b, drive_sql_pg[drive]);
	if (use == USE_IDS_AFTER)
		buf_append_cstr(&b, AFTER);
	buf_append_cstr(&b, " AND " T_KIND " AND " T_STATE " AND " T_MODES);
	for (int i = 0; i < ON_COUNT_; i++)
		if (on & (1u << i)) {
			buf_append_cstr(&b, " AND ");
			buf_append_cstr(&b, optional_tests[i]);
		}
	buf_append_cstr(&b, order);
	buf_putc(&b, '\0');
	return b.ptr;
}

#define PG_TEXTS 512
#define PG_SLOTS 1024 /* open addressing, twice PG_TEXTS */
static struct {
	pthread_mutex_t lock;
	size_t n;
	uint64_t keys[PG_SLOTS]; /* driver, use and tests, + 1 (0: an empty slot) */
	const char *texts[PG_SLOTS];
} pg_texts = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The kept text of a driver, a use and a set of tests; NULL when PG_TEXTS are kept already. */
static const char *search_sql_pg(enum card_driver drive, int use, uint32_t on)
{
	uint64_t key = (((uint64_t)drive * USE_COUNT_ + (uint64_t)use) << ON_COUNT_ | on) + 1;
	size_t at = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 54) % PG_SLOTS;
	const char *text = NULL;

	pthread_mutex_lock(&pg_texts.lock);
	while (pg_texts.keys[at] && pg_texts.keys[at] != key)
		at = (at + 1) % PG_SLOTS;
	if (pg_texts.keys[at]) {
		text = pg_texts.texts[at];
	} else if (pg_texts.n < PG_TEXTS) {
		text = pg_texts.texts[at] = make_search_sql_pg(drive, use, on);
		pg_texts.keys[at] = key;
		pg_texts.n++;
	}
	pthread_mutex_unlock(&pg_texts.lock);
	return text;
}

/* The statement of q's driver and a use: FILTER's text, or on PostgreSQL the tests q has on. */
static struct db_stmt *search_stmt(struct store *s, const struct card_query *q, int use, struct error *err)
{
	enum card_driver drive = plan_of(q);
	struct db *db = store_db(s, err);
	const char *sql;

	if (!db)
		return NULL;
	sql = db_sql(db, sql_search[drive][use], NULL);
	if (!sql && !(sql = search_sql_pg(drive, use, tests_on(q, drive))))
		sql = drive == CARD_DRIVE_GEO ? sql_search_geo_pg[use] : sql_search[drive][use];
	return db_prepare(db, sql, err);
}

/* The rows of a page with what they show, by the array ?1 of their ids (in no order). */
#define ROW_COLUMNS                                                                                        \
	"SELECT c.id, c.kind, c.ref_id, c.state, c.lat, c.lon, c.active_ads, c.company_id, c.office_id, c.estate_id,"  \
	" c.apartment_id, c.project_id, c.publish_date, c.rent, c.rent_max, c.area, c.area_max, c.rooms,"           \
	" c.rooms_max, c.floor, c.boost_value, c.audience, c.modes,"                                                \
	" d.title, d.city, d.county_name, d.municipality_name, d.images, d.videos, d.date_access, d.short_lease,"    \
	" d.is_quick_apply, d.access_on_agreement, d.prior_access, d.street, d.street_number, d.zip, d.description,"  \
	" d.floor_plan, d.landlord_object_id, d.sorting_mode, d.features, d.indexed_at"
#define ROW_FROM " FROM cards c JOIN card_docs d ON d.card_id = c.id WHERE c.id = ANY(?1)"
static const char sql_rows[] = ROW_COLUMNS ROW_FROM;
/* The market dialect's rows (card_query.market): also the listing's guid and its estate's name. */
static const char sql_rows_market[] = ROW_COLUMNS ","
	" CASE WHEN c.kind <> 1 THEN (SELECT o.uuid FROM object_ads o WHERE o.id = c.ref_id) END,"
	" (SELECT e.name FROM estates e WHERE e.id = c.estate_id)" ROW_FROM;

/* Counts from card_counts (card_query_countable): the kinds, states and modes of FILTER at one level. */
#define COUNT_FAST(where)                                                                                  \
	"SELECT COALESCE(SUM(n), 0) FROM card_counts WHERE " where " AND ((?1 >> CAST(kind AS INTEGER)) & 1) = 1"                \
	" AND (state & ?2) <> 0 AND (modes & ?4) <> 0"
static const char sql_count_country[] = COUNT_FAST("county = -1 AND municipality = -1");
static const char sql_count_counties[] = COUNT_FAST("county = ANY(?20) AND municipality = -1");
static const char sql_count_municipalities[] = COUNT_FAST("municipality = ANY(?21)");

static const char sql_generation[] = "SELECT value FROM card_generation WHERE id = 1";

static void bind_bound(struct db_stmt *st, int idx, struct card_bound b)
{
	if (b.set)
		db_bind_double(st, idx, b.value);
	else
		db_bind_null(st, idx);
}

static void bind_id(struct db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int(st, idx, id);
	else
		db_bind_null(st, idx);
}

static void bind_query(struct db_stmt *st, const struct card_query *q)
{
	db_bind_int(st, 1, q->kinds);
	db_bind_int(st, 2, q->states);
	db_bind_int(st, 3, q->own_company);
	db_bind_int(st, 4, q->modes);
	db_bind_int(st, 5, q->amenities);
	db_bind_int(st, 6, q->audience);
	bind_bound(st, 7, q->min_rent);
	bind_bound(st, 8, q->max_rent);
	bind_bound(st, 9, q->min_area);
	bind_bound(st, 10, q->max_area);
	bind_bound(st, 11, q->min_room);
	bind_bound(st, 12, q->max_room);
	bind_bound(st, 13, q->min_floor);
	bind_bound(st, 14, q->max_floor);
	bind_id(st, 15, q->company);
	bind_id(st, 16, q->estate);
	bind_id(st, 17, q->project);
	db_bind_int(st, 38, q->ids != NULL);
	db_bind_int_array(st, 18, q->ids, q->n_ids);
	if (q->shapes) {
		db_bind_int(st, 19, 1);
		db_bind_int_array(st, 20, q->counties, q->n_counties);
		db_bind_int_array(st, 21, q->municipalities, q->n_municipalities);
	} else {
		db_bind_null(st, 19);
	}
	if (q->bounds) {
		db_bind_double(st, 22, q->min_lat);
		db_bind_double(st, 23, q->max_lat);
		db_bind_double(st, 24, q->min_lon);
		db_bind_double(st, 25, q->max_lon);
	} else {
		db_bind_null(st, 22);
	}
	if (q->radius) {
		db_bind_double(st, 26, q->cx);
		db_bind_double(st, 27, q->cy);
		db_bind_double(st, 28, q->cz);
		db_bind_double(st, 29, q->chord2);
	} else {
		db_bind_null(st, 26);
		db_bind_null(st, 27);
		db_bind_null(st, 28);
	}
	if (q->available_by.ptr)
		db_bind_text(st, 43, q->available_by);
	else
		db_bind_null(st, 43);
	if (q->area_names) {
		db_bind_int(st, 39, 1);
		db_bind_text_array(st, 40, q->area_names, q->n_area_names);
	} else {
		db_bind_null(st, 39);
		db_bind_text_array(st, 40, NULL, 0);
	}
	switch (plan_of(q)) {
	case CARD_DRIVE_COUNTY:
	case CARD_DRIVE_MUNICIPALITY:
		db_bind_int(st, 30, q->one_shape);
		break;
	case CARD_DRIVE_COMPANY:
		db_bind_int(st, 30, q->company);
		break;
	case CARD_DRIVE_GEO:
		db_bind_double(st, 30, q->min_lat);
		db_bind_double(st, 31, q->max_lat);
		db_bind_double(st, 32, q->min_lon);
		db_bind_double(st, 33, q->max_lon);
		break;
	default:
		break;
	}
}

static struct str col_view(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? STR_NULL : db_col_text(st, col);
}

static void read_pin(struct db_stmt *st, struct card_hit *h)
{
	memset(h, 0, sizeof(*h));
	h->id = db_col_int(st, 0);
	h->kind = (enum card_kind)db_col_int(st, 1);
	h->ref_id = db_col_int(st, 2);
	h->state = (int)db_col_int(st, 3);
	h->lat = db_col_double(st, 4);
	h->lon = db_col_double(st, 5);
	h->active_ads = db_col_int(st, 6);
}

static void read_row(struct db_stmt *st, struct card_hit *h, struct card_doc *d)
{
	int c = 7;
	read_pin(st, h);
	h->company_id = db_col_int(st, c++);
	h->office_id = db_col_int(st, c++);
	h->estate_id = db_col_int(st, c++);
	h->apartment_id = db_col_int(st, c++);
	h->project_id = db_col_int(st, c++);
	h->publish_date = db_col_int(st, c++);
	h->rent = db_col_int(st, c++);
	h->rent_max = db_col_int(st, c++);
	h->area = db_col_double(st, c++);
	h->area_max = db_col_double(st, c++);
	h->rooms = db_col_double(st, c++);
	h->rooms_max = db_col_double(st, c++);
	h->floor = db_col_double(st, c++);
	h->boost_value = db_col_double(st, c++);
	h->audience = (unsigned)db_col_int(st, c++);
	h->modes = (unsigned)db_col_int(st, c++);
	d->title = col_view(st, c++);
	d->city = col_view(st, c++);
	d->county_name = col_view(st, c++);
	d->municipality_name = col_view(st, c++);
	d->images = col_view(st, c++);
	d->videos = col_view(st, c++);
	d->date_access = col_view(st, c++);
	d->short_lease = (int)db_col_int(st, c++);
	d->is_quick_apply = db_col_int(st, c++) != 0;
	d->access_on_agreement = db_col_int(st, c++) != 0;
	d->prior_access = db_col_int(st, c++) != 0;
	d->street = col_view(st, c++);
	d->street_number = col_view(st, c++);
	d->zip = col_view(st, c++);
	d->description = col_view(st, c++);
	d->floor_plan = col_view(st, c++);
	d->landlord_object_id = col_view(st, c++);
	d->sorting_mode = col_view(st, c++);
	d->features = (unsigned)db_col_int(st, c++);
	d->indexed_at = col_view(st, c++);
	d->guid = STR_NULL;
	d->estate_name = STR_NULL;
}

static void read_market_row(struct db_stmt *st, struct card_hit *h, struct card_doc *d)
{
	read_row(st, h, d);
	d->guid = col_view(st, 43);
	d->estate_name = col_view(st, 44);
}

/* The row's text, copied out of the statement into a (the row is handed on later). */
static void keep_doc(struct arena *a, struct card_doc *d)
{
	struct str *texts[] = { &d->title,  &d->city,	       &d->county_name, &d->municipality_name,
				&d->images, &d->videos,	       &d->date_access, &d->street,
				&d->street_number, &d->zip,    &d->description, &d->floor_plan,
				&d->landlord_object_id, &d->sorting_mode, &d->indexed_at, &d->guid,
				&d->estate_name };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		*texts[i] = arena_str_copy(a, *texts[i]);
}

struct page_slot {
	int64_t id;
	size_t at; /* the id's place in the page */
};

static int slot_cmp(const void *x, const void *y)
{
	int64_t a = ((const struct page_slot *)x)->id, b = ((const struct page_slot *)y)->id;
	return (a > b) - (a < b);
}

/* A page's rows are read this many at a time, their text kept in a scratch arena meanwhile. */
#define ROWS_WINDOW 64

/*
 * The rows of ids (in page order), handed on in that order: the statement returns them in
 * any order, so each is kept in scratch at its id's place first. 1 when the visitor stopped.
 */
static int visit_window(struct store *s, struct arena *scratch, const int64_t *ids, size_t n, bool market,
			card_visit visit, void *arg, struct error *err)
{
	struct db_stmt *st = store_stmt(s, market ? sql_rows_market : sql_rows, err);
	struct page_slot *slots = arena_alloc(scratch, n * sizeof(*slots));
	struct card_hit *hits = arena_calloc(scratch, n, sizeof(*hits));
	struct card_doc *docs = arena_alloc(scratch, n * sizeof(*docs));
	int rc;

	if (!st)
		return -1;
	for (size_t i = 0; i < n; i++)
		slots[i] = (struct page_slot){ ids[i], i };
	qsort(slots, n, sizeof(*slots), slot_cmp);
	db_bind_int_array(st, 1, ids, n);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct page_slot key = { db_col_int(st, 0), 0 };
		const struct page_slot *at = bsearch(&key, slots, n, sizeof(*slots), slot_cmp);
		if (!at)
			continue;
		if (market)
			read_market_row(st, &hits[at->at], &docs[at->at]);
		else
			read_row(st, &hits[at->at], &docs[at->at]);
		keep_doc(scratch, &docs[at->at]);
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int vrc;
		if (!hits[i].id)
			continue; /* gone since the page was found */
		if ((vrc = visit(arg, &hits[i], &docs[i], err)) != 0)
			return vrc < 0 || error_failed(err) ? -1 : 1;
	}
	return 0;
}

/* The page's rows by their ids (in page order), each handed on in that order. */
static int visit_rows(struct store *s, const int64_t *ids, size_t n, bool market, card_visit visit, void *arg,
		      struct error *err)
{
	struct arena *scratch = arena_create(32 * 1024);
	int rc = 0;

	for (size_t at = 0; at < n && rc == 0; at += ROWS_WINDOW) {
		rc = visit_window(s, scratch, ids + at, n - at < ROWS_WINDOW ? n - at : ROWS_WINDOW, market, visit, arg,
				  err);
		arena_reset(scratch);
	}
	arena_destroy(scratch);
	return rc < 0 ? -1 : 0;
}

int store_cards_search(struct store *s, struct arena *a, const struct card_query *q, bool pins, card_visit visit,
		       void *arg, struct error *err)
{
	bool newest = q->sort == CARD_SORT_PUBLISH_DATE && q->desc;
	bool after = q->after && newest && !pins;
	int use = pins ? (newest ? USE_PINS_NEWEST : USE_PINS_ANY)
		       : after ? USE_IDS_AFTER : (newest ? USE_IDS_NEWEST : USE_IDS_ANY);
	struct db_stmt *st = search_stmt(s, q, use, err);
	size_t cap = pins ? 0 : (size_t)(q->limit < 10000 ? q->limit : 10000), n = 0;
	int64_t *ids = pins ? NULL : arena_alloc(a, (cap + 1) * sizeof(*ids));
	int rc;

	if (!st)
		return -1;
	bind_query(st, q);
	db_bind_int(st, 34, q->sort);
	db_bind_int(st, 35, q->desc ? -1 : 1);
	db_bind_int(st, 36, q->limit);
	db_bind_int(st, 37, q->offset);
	if (after) {
		db_bind_int(st, 41, q->after_publish_date);
		db_bind_int(st, 42, q->after_id);
	}
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct card_hit h;
		int vrc;
		if (!pins) { /* a page: its ids first (index-only), then its rows in one statement */
			if (n == cap) {
				int64_t *more = arena_alloc(a, (2 * cap + 1) * sizeof(*ids));
				memcpy(more, ids, n * sizeof(*ids));
				ids = more;
				cap = 2 * cap + 1;
			}
			ids[n++] = db_col_int(st, 0);
			continue;
		}
		read_pin(st, &h);
		if ((vrc = visit(arg, &h, NULL, err)) != 0) {
			db_reset(st);
			return vrc < 0 || error_failed(err) ? -1 : 0;
		}
	}
	db_reset(st);
	if (rc < 0)
		return -1;
	return pins || !n ? 0 : visit_rows(s, ids, n, q->market, visit, arg, err);
}

bool card_query_countable(const struct card_query *q)
{
	return !(q->states & CARD_PAUSED) && !q->amenities && !q->audience && !q->min_rent.set && !q->max_rent.set &&
	       !q->min_area.set && !q->max_area.set && !q->min_room.set && !q->max_room.set && !q->min_floor.set &&
	       !q->max_floor.set && !q->company && !q->estate && !q->project && !q->ids && !q->bounds &&
	       !q->radius && !(q->shapes && q->n_counties && q->n_municipalities) && !q->available_by.ptr &&
	       !q->area_names;
}

static struct db_stmt *count_stmt(struct store *s, const struct card_query *q, struct error *err)
{
	if (!card_query_countable(q))
		return search_stmt(s, q, USE_COUNT, err);
	if (!q->shapes)
		return store_stmt(s, sql_count_country, err);
	return store_stmt(s, q->n_counties ? sql_count_counties : sql_count_municipalities, err);
}

int store_cards_count(struct store *s, const struct card_query *q, int64_t *total, struct error *err)
{
	struct db_stmt *st = count_stmt(s, q, err);
	int rc;

	*total = 0;
	if (!st)
		return -1;
	bind_query(st, q);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		*total = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

#define GEO_PROBE(MEETS) "SELECT COUNT(*) FROM (SELECT 1 FROM card_geo WHERE " MEETS("?1", "?2", "?3", "?4") " LIMIT ?5) AS g"
static const char sql_geo_probe[] = GEO_PROBE(GEO_MEETS_SQLITE);
static const char sql_geo_probe_pg[] = GEO_PROBE(GEO_MEETS_PG);

/* How many cards card_geo holds in q's box, counting up to limit. */
static int geo_probe(struct store *s, const struct card_query *q, int64_t limit, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt_by_backend(s, sql_geo_probe, sql_geo_probe_pg, err);
	if (!st)
		return -1;
	db_bind_double(st, 1, q->min_lat);
	db_bind_double(st, 2, q->max_lat);
	db_bind_double(st, 3, q->min_lon);
	db_bind_double(st, 4, q->max_lon);
	db_bind_int(st, 5, limit);
	return one_int(st, n, err);
}

int store_cards_plan(struct store *s, struct card_query *q, struct error *err)
{
	/* one shape's walking index when the request names exactly one, else the country's */
	enum card_driver by_shape = !q->shapes || !q->one_shape ? CARD_DRIVE_ALL
				    : q->n_counties	      ? CARD_DRIVE_COUNTY
							      : CARD_DRIVE_MUNICIPALITY;
	int64_t n;

	if (q->estate || q->project || q->ids) {
		q->plan = CARD_DRIVE_FEW;
	} else if (q->company) {
		q->plan = CARD_DRIVE_COMPANY;
	} else if (q->bounds && (q->max_lat - q->min_lat) * (q->max_lon - q->min_lon) < GEO_DRIVE_MAX_AREA) {
		if (geo_probe(s, q, GEO_DRIVE_MAX_ROWS, &n, err) < 0)
			return -1;
		q->plan = n < GEO_DRIVE_MAX_ROWS ? CARD_DRIVE_GEO : by_shape;
	} else {
		q->plan = by_shape;
	}
	return 0;
}

int store_cards_generation(struct store *s, int64_t *generation, struct error *err)
{
	struct str key = { "G", 1 };
	struct db_stmt *st;
	uint64_t epoch;
	int rc;

	*generation = 0;
	epoch = store_kept_epoch(s);
	if (store_epoch_get(store_epoch_of(s), epoch, key, generation, sizeof(*generation)))
		return 0;
	if (!(st = store_stmt(s, sql_generation, err)))
		return -1;
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	if (rc) {
		*generation = db_col_int(st, 0);
		db_reset(st);
	}
	store_epoch_keep(store_epoch_of(s), epoch, key, generation, sizeof(*generation));
	return 0;
}

/* ---- the listing generator ---- */

static const char sql_seed_free[] =
	"SELECT COUNT(*) FROM apartments a JOIN estates e ON e.id = a.estate_id WHERE e.company_id = ?1"
	" AND NOT EXISTS (SELECT 1 FROM object_ads o WHERE o.apartment_id = a.id AND o.status NOT IN ('deleted', 'rented'))";

int store_cards_seed_free_apartments(struct store *s, int64_t company_id, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_free, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	return one_int(st, n, err);
}

static const char sql_seed_admin[] = "SELECT MIN(id) FROM users WHERE company_id = ?1";

int store_cards_seed_admin(struct store *s, int64_t company_id, int64_t *user_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_admin, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	if (one_int(st, user_id, err) < 0)
		return -1;
	return *user_id ? 0 : error_set(err, ERROR_NOT_FOUND, NULL, "the company has no employee");
}

static const char sql_seed_requirement[] =
	"INSERT INTO requirement_profiles(company_id, name, senior, student, youth, pets, rent_factor)"
	" VALUES (?1, ?2, " FLAG("?3 = 'senior'") ", " FLAG("?3 = 'student'") ", " FLAG("?3 = 'youth'") ", ?4, 3)"
	" RETURNING id";

int store_cards_seed_requirement(struct store *s, int64_t company_id, const char *name, const char *audience,
				 bool pets, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_requirement, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_text(st, 2, str_from_cstr(name));
	db_bind_text(st, 3, str_from_cstr(audience));
	db_bind_int(st, 4, pets);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_seed_stored[] =
	"INSERT INTO stored_files(key, category, sha256, md5, size, mime_type, thumbnails_ready)"
	" VALUES (?1, ?2, ?3, ?4, ?5, 'image/jpeg', 0) ON CONFLICT(key) DO NOTHING";
static const char sql_seed_stored_id[] = "SELECT id FROM stored_files WHERE key = ?1";
static const char sql_seed_reference[] =
	"INSERT INTO file_references(id, company_id, user_id, entity_type, mime_type, content_length,"
	" content_md5, state, stored_file_id, expires_at, uploaded_at)"
	" VALUES (?1, ?2, ?3, ?4, 'image/jpeg', ?5, ?6, 'uploaded', ?7, 0, ?8)"
	" ON CONFLICT (id) DO NOTHING";

int store_cards_seed_image(struct store *s, int64_t company_id, int64_t user_id, const struct card_seed_image *img,
			   int64_t *stored_file_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_stored, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, img->key);
	db_bind_text(st, 2, str_from_cstr(img->category));
	db_bind_text(st, 3, img->sha256);
	db_bind_text(st, 4, img->md5);
	db_bind_int(st, 5, img->size);
	if (stmt_exec(st, err) < 0 || !(st = store_stmt(s, sql_seed_stored_id, err)))
		return -1;
	db_bind_text(st, 1, img->key);
	if (one_int(st, stored_file_id, err) < 0 || !(st = store_stmt(s, sql_seed_reference, err)))
		return -1;
	db_bind_text(st, 1, img->reference);
	db_bind_int(st, 2, company_id);
	db_bind_int(st, 3, user_id);
	db_bind_text(st, 4, str_from_cstr(img->entity_type));
	db_bind_int(st, 5, img->size);
	db_bind_text(st, 6, img->md5);
	db_bind_int(st, 7, *stored_file_id);
	store_bind_now(st, 8);
	return stmt_exec(st, err);
}

static const char sql_seed_project_estates[] =
	"SELECT e.id FROM estates e WHERE e.company_id = ?1 AND e.project_id IS NULL AND (e.id * 7919) % 1000 < ?2"
	" AND EXISTS (SELECT 1 FROM apartments a WHERE a.estate_id = e.id AND NOT EXISTS (SELECT 1 FROM object_ads o"
	" WHERE o.apartment_id = a.id AND o.status NOT IN ('deleted', 'rented'))) ORDER BY e.id";

int store_cards_seed_project_estates(struct store *s, struct arena *a, int64_t company_id, int per_mille,
				     int64_t **ids, size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_project_estates, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, per_mille);
	return stmt_collect(st, a, sizeof(**ids), read_id, (void **)ids, n, err);
}

static const char sql_seed_project[] =
	"INSERT INTO projects(company_id, office_id, name, published, publish_date, candidate_sorting_mode,"
	" contract_system, apartment_count, info_header, info_description, show_timeline_module, show_freetext_module)"
	" SELECT e.company_id, e.office_id, 'Kvarteret ' || e.name, 1, ?2,"
	" CASE e.id % 3 WHEN 0 THEN 'queue_points' WHEN 1 THEN 'first_come_first' ELSE 'random' END,"
	" 'manual_selection_lock', (SELECT COUNT(*) FROM apartments a WHERE a.estate_id = e.id),"
	" 'Nyproduktion i ' || e.city, 'Nybyggda hyresrätter med hög standard, nära service och kommunikationer.', 1, 1"
	" FROM estates e WHERE e.id = ?1"
	" RETURNING id";
static const char sql_seed_project_link[] = "UPDATE estates SET project_id = ?2 WHERE id = ?1";
static const char sql_seed_project_location[] =
	"INSERT INTO project_locations(project_id, city, latitude, longitude, street, street_number, zip_code)"
	" SELECT ?2, e.city, a.latitude, a.longitude, a.street_name, a.street_number, a.zip_code"
	" FROM estates e JOIN apartments a ON a.estate_id = e.id WHERE e.id = ?1 ORDER BY a.id LIMIT 1";
static const char sql_seed_project_media[] =
	"INSERT INTO project_media(project_id, kind, position, caption, reference) VALUES (?1, 'project_image', ?2, ?3, ?4)";

int store_cards_seed_project(struct store *s, int64_t estate_id, struct str picture0, struct str picture1,
			     int64_t *project_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_project, err);
	struct str pics[2] = { picture0, picture1 };
	static const char *const captions[2] = { "Fasad", "Innergård" };

	if (!st)
		return -1;
	db_bind_int(st, 1, estate_id);
	store_bind_date(st, 2, clock_now_us() / 1000000); /* today, in UTC */
	if (stmt_insert_id(st, project_id, err) < 0)
		return -1;
	if (!(st = store_stmt(s, sql_seed_project_link, err)))
		return -1;
	db_bind_int(st, 1, estate_id);
	db_bind_int(st, 2, *project_id);
	if (stmt_exec(st, err) < 0 || !(st = store_stmt(s, sql_seed_project_location, err)))
		return -1;
	db_bind_int(st, 1, estate_id);
	db_bind_int(st, 2, *project_id);
	if (stmt_exec(st, err) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (!(st = store_stmt(s, sql_seed_project_media, err)))
			return -1;
		db_bind_int(st, 1, *project_id);
		db_bind_int(st, 2, i);
		db_bind_text(st, 3, str_from_cstr(captions[i]));
		db_bind_text(st, 4, pics[i]);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}

/*
 * The spread (h: a hash of the apartment id): 94 % active, 2 % paused, 2 % reserved,
 * 1 % drafts, 1 % scheduled; queue points 60 %, first come 25 %, lottery 15 %; published
 * over the last 60 days; half with an access date in the next 90 days; 5 % short leases,
 * 10 % quick apply; profiles: everyone 56 %, everyone with pets 24 %, senior 8 %, student 7 %,
 * youth 5 %. Project estates give project rentals.
 */
/*
 * A version 4 uuid and a date (YYYY-MM-DD, UTC) of unix seconds, which the two have no
 * common words for: SQLite builds the uuid from randomblob() (h picks the variant digit)
 * and has date(…, 'unixepoch'); PostgreSQL has gen_random_uuid() and to_char().
 */
#define UUID_SQLITE                                                                                        \
	"lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)" \
	" || '-' || substr('89ab', 1 + h % 4, 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
#define UUID_PG "CAST(gen_random_uuid() AS TEXT)"
#define DATE_SQLITE(secs) "date(" secs ", 'unixepoch')"
#define DATE_PG(secs) "to_char(to_timestamp(" secs ") AT TIME ZONE 'UTC', 'YYYY-MM-DD')"

#define SEED_LISTINGS(UUID, DATE)                                                                          \
	"INSERT INTO object_ads(uuid, company_id, apartment_id, estate_id, project_id, requirement_id, status,"     \
	" access_date, date_publish, start_processing_at, candidate_sorting_mode, contract_system, batch_size,"     \
	" offer_per_ad, offers_per_person, offer_min_response_time, time_to_next_engagement, is_quick_apply,"      \
	" is_short_lease)"                                                                                          \
	" SELECT " UUID ", company_id, id, estate_id, project_id,"                                                  \
	" CASE WHEN h % 100 < 56 THEN ?5 WHEN h % 100 < 80 THEN ?6 WHEN h % 100 < 88 THEN ?7 WHEN h % 100 < 95 THEN ?8" \
	" ELSE ?9 END,"                                                                                             \
	" CASE WHEN h % 1000 < 940 THEN 'active' WHEN h % 1000 < 960 THEN 'paused' WHEN h % 1000 < 980 THEN 'reserved'" \
	" WHEN h % 1000 < 990 THEN 'draft' ELSE 'approved' END,"                                                    \
	" CASE WHEN h % 2 = 0 THEN " DATE("?4 + 86400 * (h % 90)") " END,"                                          \
	" CASE WHEN h % 1000 >= 990 THEN ?4 + 86400 * (1 + h % 20) WHEN h % 1000 >= 980 THEN NULL"                  \
	" ELSE ?4 - (h * 31) % 5184000 END,"                                                                        \
	" CASE WHEN h % 1000 >= 980 AND h % 1000 < 990 THEN NULL WHEN h % 1000 >= 990 THEN ?4 + 86400 * (2 + h % 20)" \
	" ELSE ?4 - (h * 31) % 5184000 + 86400 END,"                                                                \
	" CASE WHEN (h / 7) % 100 < 60 THEN 'queue_points' WHEN (h / 7) % 100 < 85 THEN 'first_come_first'"         \
	" ELSE 'random' END,"                                                                                       \
	" 'manual_selection_lock', 5, 5, 3, 48, 5, " FLAG("(h / 11) % 10 = 0") ", " FLAG("(h / 13) % 20 = 0")      \
	" FROM (SELECT a.id, a.estate_id, e.company_id, e.project_id, (a.id * 2654435761) % 1000003 AS h"           \
	" FROM apartments a JOIN estates e ON e.id = a.estate_id WHERE a.id > ?2 AND e.company_id = ?1"             \
	" AND NOT EXISTS (SELECT 1 FROM object_ads o WHERE o.apartment_id = a.id AND o.status NOT IN ('deleted', 'rented'))" \
	" ORDER BY a.id LIMIT ?3) AS fa"
static const char sql_seed_listings[] = SEED_LISTINGS(UUID_SQLITE, DATE_SQLITE);
static const char sql_seed_listings_pg[] = SEED_LISTINGS(UUID_PG, DATE_PG);
static const char sql_seed_range[] = "SELECT COALESCE(MAX(id), 0), COALESCE(MAX(apartment_id), 0) FROM object_ads"
				     " WHERE id > ?1";
static const char sql_seed_max[] = "SELECT COALESCE(MAX(id), 0) FROM object_ads";
/* One to three pictures per apartment that has none, from the shared files ?2..?4. */
static const char sql_seed_pictures[] =
	"INSERT INTO media_links(kind, apartment_id, position, caption, reference)"
	" SELECT 'apartment_picture', o.apartment_id, n.pos, n.caption, n.ref FROM object_ads o"
	" JOIN (SELECT 0 AS pos, 'Vardagsrum' AS caption, ?2 AS ref UNION ALL SELECT 1, 'Kök', ?3"
	" UNION ALL SELECT 2, 'Sovrum', ?4) n ON n.pos <= o.apartment_id % 3"
	" WHERE o.id > ?1 AND NOT EXISTS (SELECT 1 FROM media_links m WHERE m.kind = 'apartment_picture'"
	" AND m.owner_id = o.apartment_id) ORDER BY n.pos, o.id"; /* the ids in this order on both backends */

int store_cards_seed_listings(struct store *s, const struct card_seed_batch *b, int64_t *first, int64_t *last,
			      int64_t *last_apartment, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_max, err);
	int64_t before;
	int rc;

	*n = 0;
	if (!st || one_int(st, &before, err) < 0 || !(st = store_stmt_by_backend(s, sql_seed_listings, sql_seed_listings_pg, err)))
		return -1;
	db_bind_int(st, 1, b->company_id);
	db_bind_int(st, 2, b->after_apartment);
	db_bind_int(st, 3, b->limit);
	db_bind_int(st, 4, b->now);
	for (int i = 0; i < 5; i++)
		db_bind_int(st, 5 + i, b->requirement[i]);
	if (stmt_exec(st, err) < 0)
		return -1;
	*n = store_changes(s);
	*first = before + 1;
	if (!(st = store_stmt(s, sql_seed_range, err)))
		return -1;
	db_bind_int(st, 1, before);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	*last = rc ? db_col_int(st, 0) : before;
	*last_apartment = rc ? db_col_int(st, 1) : b->after_apartment;
	if (rc)
		db_reset(st);
	if (!(st = store_stmt(s, sql_seed_pictures, err)))
		return -1;
	db_bind_int(st, 1, before);
	for (int i = 0; i < 3; i++)
		db_bind_text(st, 2 + i, b->picture[i]);
	return stmt_exec(st, err);
}

static const char sql_seed_place_names[] =
	"SELECT DISTINCT p.municipality FROM object_ads o JOIN apartments p ON p.id = o.apartment_id"
	" WHERE o.id >= ?1 AND o.id <= ?2";
static const char sql_seed_places_table[] = "CREATE TEMP TABLE IF NOT EXISTS card_places(name TEXT PRIMARY KEY,"
					    " county INTEGER NOT NULL, municipality INTEGER NOT NULL)";
static const char sql_seed_place[] = "INSERT INTO card_places(name, county, municipality)"
				     " VALUES (?1, ?2, ?3) ON CONFLICT (name)"
				     " DO UPDATE SET county = excluded.county, municipality = excluded.municipality";

static void read_name(struct db_stmt *st, struct arena *a, void *row)
{
	*(struct str *)row = col_str(st, 0, a);
}

int store_cards_seed_place_names(struct store *s, struct arena *a, int64_t first, int64_t last, struct str **names,
				 size_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_place_names, err);
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, first);
	db_bind_int(st, 2, last);
	return stmt_collect(st, a, sizeof(**names), read_name, (void **)names, n, err);
}

int store_cards_seed_place(struct store *s, struct str name, int64_t county, int64_t municipality,
			   struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_places_table, err);
	if (!st || stmt_exec(st, err) < 0 || !(st = store_stmt(s, sql_seed_place, err)))
		return -1;
	db_bind_text(st, 1, name);
	db_bind_int(st, 2, county);
	db_bind_int(st, 3, municipality);
	return stmt_exec(st, err);
}

#define RAD_LAT "(" ROUND7("p.latitude") " * 0.017453292519943295)"
#define RAD_LON "(" ROUND7("p.longitude") " * 0.017453292519943295)"

static const char sql_seed_cards[] =
	LISTING_CARD("CASE WHEN o.project_id IS NULL THEN 0 ELSE 2 END",
		     "CASE o.status WHEN 'active' THEN 1 WHEN 'reserved' THEN 2 ELSE 4 END", "COALESCE(sp.county, 0)",
		     "COALESCE(sp.municipality, 0)", "cos(" RAD_LAT ") * cos(" RAD_LON ")",
		     "cos(" RAD_LAT ") * sin(" RAD_LON ")", "sin(" RAD_LAT ")")
	" LEFT JOIN card_places sp ON sp.name = p.municipality LEFT JOIN projects pr ON pr.id = o.project_id"
	" WHERE o.id >= ?1 AND o.id <= ?2 AND o.status IN ('active', 'reserved', 'paused')"
	" AND (o.project_id IS NULL OR pr.published <> 0)";
#define SEED_DOCS(AGG) LISTING_DOC(AGG, "?3") " JOIN cards c ON c.id = 2 * o.id WHERE o.id >= ?1 AND o.id <= ?2"
static const char sql_seed_docs[] = SEED_DOCS(AGG_SQLITE);
static const char sql_seed_docs_pg[] = SEED_DOCS(AGG_PG);
static const char sql_seed_geo[] = "INSERT INTO card_geo(id, min_lat, max_lat, min_lon, max_lon)"
				   " SELECT id, lat, lat, lon, lon FROM cards WHERE id >= 2 * ?1 AND id <= 2 * ?2 AND kind <> 1";

int store_cards_seed_cards(struct store *s, int64_t first, int64_t last, struct error *err)
{
	/* SQLite's text of each step, and PostgreSQL's where it differs */
	const char *const sqls[][2] = { { sql_seed_places_table, sql_seed_places_table },
					{ sql_seed_cards, sql_seed_cards },
					{ sql_seed_docs, sql_seed_docs_pg },
					{ sql_seed_geo, sql_seed_geo } };
	for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		struct db_stmt *st = store_stmt_by_backend(s, sqls[i][0], sqls[i][1], err);
		if (!st)
			return -1;
		if (i > 0) {
			db_bind_int(st, 1, first);
			db_bind_int(st, 2, last);
		}
		if (sqls[i][0] == sql_seed_docs)
			store_bind_now(st, 3);
		if (stmt_exec(st, err) < 0)
			return -1;
	}
	return 0;
}

static const char sql_total[] = "SELECT COUNT(*) FROM cards";

int store_cards_total(struct store *s, int64_t *n, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_total, err);
	if (!st)
		return -1;
	return one_int(st, n, err);
}
