/* The inventory search and the seed's batch inserts (store_inventory_search.h). */
#include <stddef.h>
#include <string.h>

#include "store/store_internal.h"
#include "store/inventory/store_inventory_search.h"

/* The scope: ?1 company, ?2 <= path < ?3 (the prefix with its final '/' turned into '0'). */
#define SCOPE_OFFICES "SELECT id FROM offices WHERE company_id = ?1 AND path >= ?2 AND path < ?3"

static void bind_scope(struct db_stmt *st, struct arena *a, const struct inventory_filter *f)
{
	char *end = arena_strndup(a, f->office_path.ptr, f->office_path.len);
	if (f->office_path.len)
		end[f->office_path.len - 1] = (char)(end[f->office_path.len - 1] + 1); /* '/' + 1 = '0' */
	db_bind_int(st, 1, f->company_id);
	db_bind_text(st, 2, f->office_path);
	db_bind_text(st, 3, (struct str){ end, f->office_path.len });
}

/* ---- totals ---- */

static const char sql_office_totals[] =
	"SELECT COALESCE(SUM(c.estates), 0), COALESCE(SUM(c.apartments), 0), COALESCE(SUM(c.listings), 0),"
	" COALESCE(SUM(c.project_listings), 0) FROM offices o JOIN inventory_office_counts c ON c.office_id = o.id"
	" WHERE o.company_id = ?1 AND o.path >= ?2 AND o.path < ?3";

/* ---- the estate walk: (estate id, apartments, listings, project listings) in estate-id order ----
 * sql_walk_all reads a chunk at a time: the estates after ?4 (0: from the first), at most ?5.
 * A client library may receive a statement's whole answer before the first row is looked at
 * (libpq does), so a walk that stops early must also ask for little.
 * ?4 the estate id and ?5 its external id (NULL: any) for sql_walk_id; ?4 the external id for
 * sql_walk_external (PostgreSQL cannot type a parameter the statement does not use, so no gap):
 * these read every row they match (their total is the sum), one estate or the few that share
 * an external id. */

static const char sql_walk_all[] =
	"SELECT estate_id, apartments, listings, project_listings FROM inventory_estate_counts"
	" WHERE company_id = ?1 AND estate_id > ?4 AND office_id IN (" SCOPE_OFFICES ")"
	" ORDER BY estate_id LIMIT ?5";
static const char sql_walk_id[] =
	"SELECT estate_id, apartments, listings, project_listings FROM inventory_estate_counts"
	" WHERE estate_id = ?4 AND company_id = ?1 AND office_id IN (" SCOPE_OFFICES ")"
	" AND (CAST(?5 AS TEXT) IS NULL"
	" OR estate_id IN (SELECT id FROM estates WHERE id = ?4 AND landlord_object_id = ?5))";
static const char sql_walk_external[] =
	"SELECT c.estate_id, c.apartments, c.listings, c.project_listings FROM estates e"
	" JOIN inventory_estate_counts c ON c.estate_id = e.id"
	" WHERE e.company_id = ?1 AND e.landlord_object_id = ?4 AND c.office_id IN (" SCOPE_OFFICES ")"
	" ORDER BY c.estate_id";

/* ---- direct matches: (id, estate id) in page order, for the apartment and listing filters ---- */

static const char sql_apts_id[] =
	"SELECT p.id, p.estate_id FROM apartments p JOIN estates e ON e.id = p.estate_id"
	" WHERE p.id = ?4 AND e.company_id = ?1 AND e.office_id IN (" SCOPE_OFFICES ")"
	" AND (CAST(?5 AS TEXT) IS NULL OR p.landlord_object_id = ?5) AND (?6 = 0 OR e.id = ?6)"
	" AND (CAST(?7 AS TEXT) IS NULL OR e.landlord_object_id = ?7)";
static const char sql_apts_external[] =
	"SELECT p.id, p.estate_id FROM apartments p JOIN estates e ON e.id = p.estate_id"
	" WHERE p.landlord_object_id = ?5 AND e.company_id = ?1 AND e.office_id IN (" SCOPE_OFFICES ")"
	" AND (?6 = 0 OR e.id = ?6) AND (CAST(?7 AS TEXT) IS NULL OR e.landlord_object_id = ?7)"
	" ORDER BY p.estate_id, p.id";
/* ?12: the wanted statuses, when ?11 (their bits) is not 0 */
static const char sql_listings_match[] =
	"SELECT l.id, l.estate_id FROM object_ads l JOIN estates e ON e.id = l.estate_id"
	" JOIN apartments p ON p.id = l.apartment_id"
	" WHERE e.company_id = ?1 AND e.office_id IN (" SCOPE_OFFICES ")"
	" AND (?4 = 0 OR p.id = ?4) AND (CAST(?5 AS TEXT) IS NULL OR p.landlord_object_id = ?5)"
	" AND (?6 = 0 OR e.id = ?6) AND (CAST(?7 AS TEXT) IS NULL OR e.landlord_object_id = ?7)"
	" AND (?8 = 0 OR l.project_id = ?8) AND (?9 = 0 OR l.project_id IS NULL)"
	" AND (?10 = 0 OR EXISTS (SELECT 1 FROM object_ad_assignments g WHERE g.object_ad_id = l.id"
	" AND g.user_id = ?10)) AND (?11 = 0 OR l.status = ANY(?12))"
	" ORDER BY l.estate_id, l.id";

/* ---- documents ---- */

/* The documents of a page are read by id, many at once (x = ANY(?1)), in id order: doc_find. */

static const char sql_estate_docs_of[] =
	"SELECT e.id, e.company_id, e.office_id, COALESCE(c.apartments, 0), e.name, e.city, e.landlord_object_id,"
	" co.name, o.name, e.updated_at FROM estates e JOIN offices o ON o.id = e.office_id"
	" JOIN companies co ON co.id = e.company_id LEFT JOIN inventory_estate_counts c ON c.estate_id = e.id"
	" WHERE e.id = ANY(?1) ORDER BY e.id";

static void read_estate_doc(struct db_stmt *st, struct arena *a, void *row)
{
	struct inventory_estate_doc *d = row;
	d->id = db_col_int(st, 0);
	d->company_id = db_col_int(st, 1);
	d->office_id = db_col_int(st, 2);
	d->apartments = db_col_int(st, 3);
	d->name = col_str(st, 4, a);
	d->city = col_str(st, 5, a);
	d->external_id = col_str(st, 6, a);
	d->company_name = col_str(st, 7, a);
	d->office_name = col_str(st, 8, a);
	d->updated_at = col_str(st, 9, a);
}

/* The amenities in enum inventory_amenity order, as 0/1 (the estate CommonAttributes' mapping). */
#define AMENITY_COLUMNS                                                                             \
	" p.electricity_included, p.handicap_adapted, p.balcony <> 'NONE', p.bathtub = 'PRESENT',"       \
	" p.dishwasher = 'PRESENT', p.dryer = 'PRESENT', p.elevator, p.garage <> 'NONE',"               \
	" p.kitchen_fan = 'PRESENT', p.pantry, p.parking <> 'NONE', p.patio, p.shower,"                 \
	" p.washing_machine = 'PRESENT', p.heating_included, p.internet_included, p.cable_package_included," \
	" p.water <> 'PAY_EXTRA'"

/* has_ad, has_draft, has_rentals and the live listing, from the apartment's listings (index object_ads_apartment) */
#define LISTING_FLAG_COLUMNS                                                                              \
	" EXISTS (SELECT 1 FROM object_ads l WHERE l.apartment_id = p.id"                                     \
	" AND l.status NOT IN ('draft', 'deleted', 'rented')),"                                                \
	" EXISTS (SELECT 1 FROM object_ads l WHERE l.apartment_id = p.id AND l.status = 'draft'),"             \
	" (SELECT COUNT(*) FROM object_ads l WHERE l.apartment_id = p.id AND l.status = 'rented'),"           \
	" COALESCE((SELECT l.id FROM object_ads l WHERE l.apartment_id = p.id"                                \
	" AND l.status NOT IN ('deleted', 'rented')), 0)"

#define APARTMENT_DOC_COLUMNS                                                                        \
	"p.id, p.estate_id, p.national_id, p.street_name, p.street_number, p.zip_code, p.county,"        \
	" p.municipality, p.landlord_object_id, p.updated_at, p.latitude, p.longitude, p.area, p.floor," \
	" p.rooms, p.rent, (SELECT COUNT(*) FROM apartment_notes n WHERE n.apartment_id = p.id)," AMENITY_COLUMNS \
	"," LISTING_FLAG_COLUMNS

/*
 * The apartments of a walk's segments (segment_docs), in (estate, id) order: the first
 * segment's run (?1 estate, ?2 limit, ?3 offset), the whole estates between (?4), the last
 * segment's run (?5 estate, 0: none; ?6 limit): only the first and the last segment can be cut.
 */
static const char sql_apartment_segments[] =
	"SELECT * FROM (SELECT " APARTMENT_DOC_COLUMNS " FROM apartments p WHERE p.estate_id = ?1"
	" ORDER BY p.id LIMIT ?2 OFFSET ?3) AS a1"
	" UNION ALL SELECT " APARTMENT_DOC_COLUMNS " FROM apartments p WHERE p.estate_id = ANY(?4)"
	" UNION ALL SELECT * FROM (SELECT " APARTMENT_DOC_COLUMNS " FROM apartments p WHERE p.estate_id = ?5"
	" ORDER BY p.id LIMIT ?6) AS a2"
	" ORDER BY 2, 1";
static const char sql_apartment_docs_of[] =
	"SELECT " APARTMENT_DOC_COLUMNS " FROM apartments p WHERE p.id = ANY(?1) ORDER BY p.id";

static void read_apartment_doc(struct db_stmt *st, struct arena *a, void *row)
{
	struct inventory_apartment_doc *d = row;
	int c = 0;
	d->id = db_col_int(st, c++);
	d->estate_id = db_col_int(st, c++);
	d->national_id = col_str(st, c++, a);
	d->street_name = col_str(st, c++, a);
	d->street_number = col_str(st, c++, a);
	d->zip_code = col_str(st, c++, a);
	d->county = col_str(st, c++, a);
	d->municipality = col_str(st, c++, a);
	d->external_id = col_str(st, c++, a);
	d->updated_at = col_str(st, c++, a);
	d->latitude = db_col_double(st, c++);
	d->longitude = db_col_double(st, c++);
	d->area = db_col_double(st, c++);
	d->floor = db_col_double(st, c++);
	d->rooms = db_col_double(st, c++);
	d->rent = db_col_int(st, c++);
	d->notes_count = db_col_int(st, c++);
	for (int i = 0; i < INV_AMENITY_COUNT; i++)
		d->amenity[i] = db_col_int(st, c++) != 0;
	d->has_ad = db_col_int(st, c++) != 0;
	d->has_draft = db_col_int(st, c++) != 0;
	d->has_rentals = db_col_int(st, c++);
	d->live_listing = db_col_int(st, c++);
}

#define LISTING_DOC_SELECT                                                                                  \
	"SELECT l.id, l.apartment_id, l.estate_id, l.status, l.access_date, COALESCE(l.date_publish, 0),"         \
	" l.created_at, l.updated_at, l.is_short_lease, l.prior_access, l.short_lease_min_date,"                 \
	" l.short_lease_max_date, COALESCE(l.project_id, 0), pr.name, COALESCE(l.requirement_id, 0),"            \
	" COALESCE(rq.pets, 0), COALESCE(rq.smoking, 0), COALESCE(rq.senior, 0), COALESCE(rq.student, 0),"      \
	" COALESCE(rq.youth, 0) FROM object_ads l LEFT JOIN projects pr ON pr.id = l.project_id"                \
	" LEFT JOIN requirement_profiles rq ON rq.id = l.requirement_id"

/* The listings of a walk's segments, as sql_apartment_segments; ?7: no project listings. */
static const char sql_listing_segments[] =
	"SELECT * FROM (" LISTING_DOC_SELECT " WHERE l.estate_id = ?1 AND (?7 = 0 OR l.project_id IS NULL)"
	" ORDER BY l.id LIMIT ?2 OFFSET ?3) AS l1"
	" UNION ALL " LISTING_DOC_SELECT " WHERE l.estate_id = ANY(?4) AND (?7 = 0 OR l.project_id IS NULL)"
	" UNION ALL SELECT * FROM (" LISTING_DOC_SELECT " WHERE l.estate_id = ?5 AND (?7 = 0 OR l.project_id IS NULL)"
	" ORDER BY l.id LIMIT ?6) AS l2"
	" ORDER BY 3, 1";
static const char sql_listing_docs_of[] = LISTING_DOC_SELECT " WHERE l.id = ANY(?1) ORDER BY l.id";

static void read_listing_doc(struct db_stmt *st, struct arena *a, void *row)
{
	struct inventory_listing_doc *d = row;
	int c = 0;
	memset(d, 0, sizeof(*d));
	d->id = db_col_int(st, c++);
	d->apartment_id = db_col_int(st, c++);
	d->estate_id = db_col_int(st, c++);
	d->status = col_str(st, c++, a);
	d->access_date = col_str(st, c++, a);
	d->date_publish = db_col_int(st, c++);
	d->created_at = col_str(st, c++, a);
	d->updated_at = col_str(st, c++, a);
	d->is_short_lease = db_col_int(st, c++) != 0;
	d->prior_access = db_col_int(st, c++) != 0;
	d->short_lease_min_date = col_str(st, c++, a);
	d->short_lease_max_date = col_str(st, c++, a);
	d->project_id = db_col_int(st, c++);
	d->project_name = col_str(st, c++, a);
	d->requirement_id = db_col_int(st, c++);
	d->pets = db_col_int(st, c++) != 0;
	d->smoking = db_col_int(st, c++) != 0;
	d->senior = db_col_int(st, c++) != 0;
	d->student = db_col_int(st, c++) != 0;
	d->youth = db_col_int(st, c++) != 0;
}

/* ---- the page ---- */

/* A run of the page inside one estate: skip its first `skip` positions, take `take`. */
struct segment {
	int64_t estate_id;
	int64_t apartments; /* the estate's apartments (its listings follow them) */
	int64_t skip;
	int64_t take;
	/* segment_split's: the estate item, then runs of the estate's apartments and listings */
	bool estate_item;
	int64_t apt_skip, apt_take;
	int64_t lst_skip, lst_take;
};

/*
 * The page's items, built in two steps: each item is pushed in page order with the documents
 * its own query read; page_complete() then reads what the items still lack (apartments,
 * apartments' live listings, listings' assignments) with one statement each for the page.
 */
struct page {
	struct arena *a;
	struct inventory_item *items;
	int64_t *apartment_ids; /* per item: its apartment (0: an estate item) */
	size_t n;
	size_t cap;
};

static void page_push(struct page *p, enum inventory_type type, const struct inventory_estate_doc *e,
		      int64_t apartment_id, const struct inventory_apartment_doc *d,
		      const struct inventory_listing_doc *l)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct inventory_item *items = arena_alloc(p->a, cap * sizeof(*items));
		int64_t *ids = arena_alloc(p->a, cap * sizeof(*ids));
		if (p->n) {
			memcpy(items, p->items, p->n * sizeof(*items));
			memcpy(ids, p->apartment_ids, p->n * sizeof(*ids));
		}
		p->items = items;
		p->apartment_ids = ids;
		p->cap = cap;
	}
	p->items[p->n] = (struct inventory_item){ .type = type, .estate = e, .apartment = d, .listing = l };
	p->apartment_ids[p->n++] = apartment_id;
}

/* Every document type begins with its id: doc_find's key. */
_Static_assert(offsetof(struct inventory_estate_doc, id) == 0, "doc_find reads the leading id");
_Static_assert(offsetof(struct inventory_apartment_doc, id) == 0, "doc_find reads the leading id");
_Static_assert(offsetof(struct inventory_listing_doc, id) == 0, "doc_find reads the leading id");

/* The documents of ids (sql: "… WHERE x.id = ANY(?1) ORDER BY x.id"), in id order; none when n is 0. */
static int docs_of(struct store *s, struct arena *a, const char *sql, const int64_t *ids, size_t n, size_t size,
		   row_reader read, void **docs, size_t *ndocs, struct error *err)
{
	struct db_stmt *st;
	*docs = NULL;
	*ndocs = 0;
	if (n == 0)
		return 0;
	st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	db_bind_int_array(st, 1, ids, n);
	return stmt_collect(st, a, size, read, docs, ndocs, err);
}

/* The document with this id among docs_of()'s (size bytes each); ERROR_NOT_FOUND "no such <what>". */
static void *doc_find(void *docs, size_t n, size_t size, int64_t id, const char *what, struct error *err)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		char *doc = (char *)docs + mid * size;
		int64_t at;
		memcpy(&at, doc, sizeof(at));
		if (at == id)
			return doc;
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	error_set(err, ERROR_NOT_FOUND, NULL, "no such %s", what);
	return NULL;
}

/* The estates of ids (repeats allowed), for doc_find. */
static int estate_docs(struct store *s, struct arena *a, const int64_t *ids, size_t n,
		       struct inventory_estate_doc **docs, size_t *ndocs, struct error *err)
{
	return docs_of(s, a, sql_estate_docs_of, ids, n, sizeof(**docs), read_estate_doc, (void **)docs, ndocs, err);
}

/* The apartment documents the items lack (a listing's; a direct match's), in one statement. */
static int complete_apartments(struct store *s, struct page *p, struct error *err)
{
	int64_t *ids = arena_alloc(p->a, (p->n ? p->n : 1) * sizeof(*ids));
	struct inventory_apartment_doc *docs;
	size_t n = 0, ndocs;

	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].type != INVENTORY_ESTATE && !p->items[i].apartment)
			ids[n++] = p->apartment_ids[i];
	if (n == 0)
		return 0;
	if (docs_of(s, p->a, sql_apartment_docs_of, ids, n, sizeof(*docs), read_apartment_doc, (void **)&docs, &ndocs,
		    err) < 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		struct inventory_item *it = &p->items[i];
		if (it->type != INVENTORY_ESTATE && !it->apartment &&
		    !(it->apartment = doc_find(docs, ndocs, sizeof(*docs), p->apartment_ids[i], "apartment", err)))
			return -1;
	}
	return 0;
}

/* The live listings of the apartment items that have one, in one statement. */
static int complete_live_listings(struct store *s, struct page *p, struct error *err)
{
	int64_t *ids = arena_alloc(p->a, (p->n ? p->n : 1) * sizeof(*ids));
	struct inventory_listing_doc *docs;
	size_t n = 0, ndocs;

	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].type == INVENTORY_APARTMENT && p->items[i].apartment->live_listing)
			ids[n++] = p->items[i].apartment->live_listing;
	if (n == 0)
		return 0;
	if (docs_of(s, p->a, sql_listing_docs_of, ids, n, sizeof(*docs), read_listing_doc, (void **)&docs, &ndocs,
		    err) < 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		struct inventory_item *it = &p->items[i];
		if (it->type == INVENTORY_APARTMENT && it->apartment->live_listing &&
		    !(it->listing = doc_find(docs, ndocs, sizeof(*docs), it->apartment->live_listing, "listing", err)))
			return -1;
	}
	return 0;
}

/* The assignments of every listing on the page, in one statement. */
static int complete_assignments(struct store *s, struct page *p, struct error *err)
{
	int64_t *ids = arena_alloc(p->a, (p->n ? p->n : 1) * sizeof(*ids));
	struct listing_assignment *rows;
	size_t n = 0, nrows;

	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].listing)
			ids[n++] = p->items[i].listing->id;
	if (store_listing_assignments_of(s, p->a, ids, n, &rows, &nrows, err) < 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		/* the page's own documents: filled here, read-only once handed out */
		struct inventory_listing_doc *l = (struct inventory_listing_doc *)p->items[i].listing;
		size_t lo = 0, hi = nrows;
		if (!l)
			continue;
		while (lo < hi) { /* the first row of the listing: rows are in (listing id, id) order */
			size_t mid = lo + (hi - lo) / 2;
			if (rows[mid].listing_id < l->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		l->assignments = &rows[lo];
		for (l->n_assignments = 0; lo + l->n_assignments < nrows && rows[lo + l->n_assignments].listing_id == l->id;
		     l->n_assignments++)
			;
	}
	return 0;
}

/* What the pushed items lack: apartments first (an apartment names its live listing). */
static int page_complete(struct store *s, struct page *p, struct error *err)
{
	if (complete_apartments(s, p, err) < 0 || complete_live_listings(s, p, err) < 0)
		return -1;
	return complete_assignments(s, p, err);
}

/* Splits a segment into its parts: the estate item (when listed), its apartments, its listings. */
static void segment_split(const struct inventory_filter *f, struct segment *g)
{
	int64_t skip = g->skip, take = g->take;

	if (f->types & INVENTORY_ESTATE) {
		if (skip == 0) {
			g->estate_item = true;
			take--;
		} else {
			skip--;
		}
	}
	if (f->types & INVENTORY_APARTMENT) {
		if (take > 0 && skip < g->apartments) {
			g->apt_skip = skip;
			g->apt_take = g->apartments - skip < take ? g->apartments - skip : take;
			take -= g->apt_take;
			skip = 0;
		} else {
			skip -= g->apartments < skip ? g->apartments : skip;
		}
	}
	if (take > 0 && (f->types & INVENTORY_OBJECT_AD)) {
		g->lst_skip = skip;
		g->lst_take = take;
	}
}

/*
 * The apartments (listings false) or listings of the segments, in one statement, in (estate,
 * id) order. Only the first segment can skip and only the last can stop short: the ones
 * between are whole estates.
 */
static int segment_docs(struct store *s, struct arena *a, const struct inventory_filter *f,
			const struct segment *segs, size_t nsegs, bool listings, void **docs, size_t *ndocs,
			struct error *err)
{
	const struct segment *first = &segs[0], *last = nsegs > 1 ? &segs[nsegs - 1] : NULL;
	int64_t *between = arena_alloc(a, nsegs * sizeof(*between)), wanted = 0;
	size_t nbetween = 0;
	struct db_stmt *st;

	*docs = NULL;
	*ndocs = 0;
	for (size_t i = 0; i < nsegs; i++) {
		int64_t take = listings ? segs[i].lst_take : segs[i].apt_take;
		wanted += take;
		if (i > 0 && i + 1 < nsegs && take > 0)
			between[nbetween++] = segs[i].estate_id;
	}
	if (wanted == 0)
		return 0;
	st = store_stmt(s, listings ? sql_listing_segments : sql_apartment_segments, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, first->estate_id);
	db_bind_int(st, 2, listings ? first->lst_take : first->apt_take);
	db_bind_int(st, 3, listings ? first->lst_skip : first->apt_skip);
	db_bind_int_array(st, 4, between, nbetween);
	db_bind_int(st, 5, last ? last->estate_id : 0);
	db_bind_int(st, 6, !last ? 0 : listings ? last->lst_take : last->apt_take);
	if (listings) {
		db_bind_int(st, 7, f->exclude_projects);
		return stmt_collect(st, a, sizeof(struct inventory_listing_doc), read_listing_doc, docs, ndocs, err);
	}
	return stmt_collect(st, a, sizeof(struct inventory_apartment_doc), read_apartment_doc, docs, ndocs, err);
}

/* The segments' items in page order: each estate (when listed), its apartments, then its listings. */
static int fill_segments(struct store *s, struct page *p, const struct inventory_filter *f, struct segment *segs,
			 size_t nsegs, struct error *err)
{
	int64_t *ids = arena_alloc(p->a, nsegs * sizeof(*ids));
	struct inventory_estate_doc *estates;
	struct inventory_apartment_doc *apts;
	struct inventory_listing_doc *lsts;
	size_t nestates, napts, nlsts, ai = 0, li = 0;

	for (size_t i = 0; i < nsegs; i++) {
		segment_split(f, &segs[i]);
		ids[i] = segs[i].estate_id;
	}
	if (estate_docs(s, p->a, ids, nsegs, &estates, &nestates, err) < 0 ||
	    segment_docs(s, p->a, f, segs, nsegs, false, (void **)&apts, &napts, err) < 0 ||
	    segment_docs(s, p->a, f, segs, nsegs, true, (void **)&lsts, &nlsts, err) < 0)
		return -1;
	for (size_t i = 0; i < nsegs; i++) {
		const struct inventory_estate_doc *e =
			doc_find(estates, nestates, sizeof(*estates), segs[i].estate_id, "estate", err);
		if (!e)
			return -1;
		if (segs[i].estate_item)
			page_push(p, INVENTORY_ESTATE, e, 0, NULL, NULL);
		for (; ai < napts && apts[ai].estate_id == e->id; ai++)
			page_push(p, INVENTORY_APARTMENT, e, apts[ai].id, &apts[ai], NULL);
		for (; li < nlsts && lsts[li].estate_id == e->id; li++)
			page_push(p, INVENTORY_OBJECT_AD, e, lsts[li].apartment_id, NULL, &lsts[li]);
	}
	return page_complete(s, p, err);
}

/* An estate's items under the filter's types. */
static int64_t weight(const struct inventory_filter *f, int64_t apartments, int64_t listings, int64_t project_listings)
{
	return ((f->types & INVENTORY_ESTATE) ? 1 : 0) + ((f->types & INVENTORY_APARTMENT) ? apartments : 0) +
	       ((f->types & INVENTORY_OBJECT_AD) ? listings - (f->exclude_projects ? project_listings : 0) : 0);
}

/* The first chunk of sql_walk_all's rows, and the most a chunk grows to (it doubles each time). */
#define WALK_CHUNK_FIRST 32
#define WALK_CHUNK_MAX 4096

/* The walk's state: the window [offset, offset + amount), the segments found, the items before. */
struct walk {
	const struct inventory_filter *f;
	int64_t offset, need, cum;
	struct segment *segs;
	size_t nsegs, maxsegs;
};

/* One estate's counts: a segment when the window reaches into it (an estate without items of
 * the filter's types is none: it would take a segment's place and shorten the page). */
static void walk_row(struct walk *w, struct db_stmt *st)
{
	int64_t n = weight(w->f, db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3));
	if (n > 0 && w->need > 0 && w->cum + n > w->offset && w->nsegs < w->maxsegs) {
		int64_t skip = w->offset > w->cum ? w->offset - w->cum : 0;
		int64_t take = n - skip < w->need ? n - skip : w->need;
		w->segs[w->nsegs++] = (struct segment){ .estate_id = db_col_int(st, 0), .apartments = db_col_int(st, 1),
							 .skip = skip, .take = take };
		w->need -= take;
	}
	w->cum += n;
}

/* No apartment or listing filter: walk the estates' counts. */
static int search_walk(struct store *s, struct arena *a, const struct inventory_filter *f, int64_t offset,
		       int64_t amount, struct page *p, int64_t *total, struct error *err)
{
	bool filtered = f->estate_id || f->estate_external_id.ptr;
	struct walk w = { .f = f, .offset = offset, .need = amount, .maxsegs = (size_t)amount };
	struct db_stmt *st;
	int rc = 0;

	*total = 0;
	if (!filtered) {
		st = store_stmt(s, sql_office_totals, err);
		if (!st)
			return -1;
		bind_scope(st, a, f);
		if (stmt_row(st, err) < 0)
			return -1;
		*total = (f->types & INVENTORY_ESTATE) ? db_col_int(st, 0) : 0;
		*total += weight(f, db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3)) -
			  ((f->types & INVENTORY_ESTATE) ? 1 : 0);
		db_reset(st);
		if (offset >= *total)
			return 0;
	}
	w.segs = arena_alloc(a, w.maxsegs * sizeof(*w.segs));
	if (filtered) {
		st = store_stmt(s, f->estate_id ? sql_walk_id : sql_walk_external, err);
		if (!st)
			return -1;
		bind_scope(st, a, f);
		if (f->estate_id) {
			db_bind_int(st, 4, f->estate_id);
			db_bind_text(st, 5, f->estate_external_id);
		} else {
			db_bind_text(st, 4, f->estate_external_id);
		}
		while ((rc = db_step(st, err)) == DB_ROW)
			walk_row(&w, st);
		db_reset(st);
		if (rc < 0)
			return -1;
		*total = w.cum;
	} else {
		/* chunk by chunk until the window is filled or the estates end */
		int64_t last = 0, chunk = WALK_CHUNK_FIRST, rows;
		bool more;
		do {
			st = store_stmt(s, sql_walk_all, err);
			if (!st)
				return -1;
			bind_scope(st, a, f);
			db_bind_int(st, 4, last);
			db_bind_int(st, 5, chunk);
			rows = 0;
			while (w.need > 0 && (rc = db_step(st, err)) == DB_ROW) {
				rows++;
				last = db_col_int(st, 0);
				walk_row(&w, st);
			}
			db_reset(st);
			if (rc < 0)
				return -1;
			more = rows == chunk; /* a short chunk was the last */
			if (chunk < WALK_CHUNK_MAX)
				chunk *= 2;
		} while (w.need > 0 && more);
	}
	if (w.nsegs == 0)
		return 0;
	return fill_segments(s, p, f, w.segs, w.nsegs, err);
}

/* One ordered source of matches: its current row, if any. */
struct source {
	struct db_stmt *st;
	bool row;
	int64_t id, estate_id;
};

static int source_next(struct source *src, struct error *err)
{
	int rc;
	src->row = false;
	if (!src->st)
		return 0;
	rc = db_step(src->st, err);
	if (rc < 0) {
		src->st = NULL;
		return -1;
	}
	if (rc == DB_ROW) {
		src->row = true;
		src->id = db_col_int(src->st, 0);
		src->estate_id = db_col_int(src->st, 1);
	}
	return 0;
}

static void bind_direct(struct db_stmt *st, struct arena *a, const struct inventory_filter *f)
{
	bind_scope(st, a, f);
	db_bind_int(st, 4, f->apartment_id);
	db_bind_text(st, 5, f->apartment_external_id);
	db_bind_int(st, 6, f->estate_id);
	db_bind_text(st, 7, f->estate_external_id);
}

/* Binds ?11 and ?12: the bits of the statuses asked for (0: any) and their names. */
static void bind_statuses(struct db_stmt *st, unsigned statuses)
{
	struct str names[LISTING_STATUS_COUNT];
	size_t n = 0;

	for (int i = 0; i < LISTING_STATUS_COUNT; i++)
		if (statuses & (1u << i))
			names[n++] = str_from_cstr(listing_status_names[i]);
	db_bind_int(st, 11, statuses);
	db_bind_text_array(st, 12, names, n);
}

struct match {
	enum inventory_type type;
	int64_t id, estate_id;
};

/* The window's items: its estates and listings in one statement each, then page_complete(). */
static int direct_page(struct store *s, struct arena *a, struct page *p, const struct match *win, size_t nwin,
		       struct error *err)
{
	int64_t *ids = arena_alloc(a, (nwin ? nwin : 1) * sizeof(*ids));
	struct inventory_estate_doc *estates;
	struct inventory_listing_doc *listings;
	size_t n = 0, nestates, nlistings;

	if (nwin == 0)
		return 0;
	for (size_t k = 0; k < nwin; k++)
		ids[k] = win[k].estate_id;
	if (estate_docs(s, a, ids, nwin, &estates, &nestates, err) < 0)
		return -1;
	for (size_t k = 0; k < nwin; k++)
		if (win[k].type == INVENTORY_OBJECT_AD)
			ids[n++] = win[k].id;
	if (docs_of(s, a, sql_listing_docs_of, ids, n, sizeof(*listings), read_listing_doc, (void **)&listings,
		    &nlistings, err) < 0)
		return -1;
	for (size_t k = 0; k < nwin; k++) {
		const struct inventory_estate_doc *e =
			doc_find(estates, nestates, sizeof(*estates), win[k].estate_id, "estate", err);
		const struct inventory_listing_doc *l = NULL;
		if (!e)
			return -1;
		if (win[k].type == INVENTORY_APARTMENT) {
			page_push(p, INVENTORY_APARTMENT, e, win[k].id, NULL, NULL);
			continue;
		}
		if (!(l = doc_find(listings, nlistings, sizeof(*listings), win[k].id, "listing", err)))
			return -1;
		page_push(p, INVENTORY_OBJECT_AD, e, l->apartment_id, NULL, l);
	}
	return page_complete(s, p, err);
}

/*
 * An apartment or listing filter: the matching apartments and listings, merged in page
 * order (estate, then apartments before listings, then id) from two ordered queries,
 * counted in full and kept only inside the window.
 */
static int search_direct(struct store *s, struct arena *a, const struct inventory_filter *f, int64_t offset,
			 int64_t amount, struct page *p, int64_t *total, struct error *err)
{
	bool by_apartment = f->apartment_id || f->apartment_external_id.ptr;
	struct source apts = { 0 }, lsts = { 0 };
	struct match *win = arena_alloc(a, (size_t)amount * sizeof(*win));
	size_t nwin = 0;
	int64_t i = 0;
	int rc = 0;

	*total = 0;
	if ((f->types & INVENTORY_APARTMENT) && by_apartment) {
		apts.st = store_stmt(s, f->apartment_id ? sql_apts_id : sql_apts_external, err);
		if (!apts.st)
			return -1;
		bind_direct(apts.st, a, f);
	}
	if (f->types & INVENTORY_OBJECT_AD) {
		lsts.st = store_stmt(s, sql_listings_match, err);
		if (!lsts.st) {
			if (apts.st)
				db_reset(apts.st);
			return -1;
		}
		bind_direct(lsts.st, a, f);
		db_bind_int(lsts.st, 8, f->project_id);
		db_bind_int(lsts.st, 9, f->exclude_projects);
		db_bind_int(lsts.st, 10, f->employee_id);
		bind_statuses(lsts.st, f->statuses);
	}
	if (source_next(&apts, err) < 0 || source_next(&lsts, err) < 0)
		rc = -1;
	while (rc == 0 && (apts.row || lsts.row)) {
		bool take_apt = apts.row && (!lsts.row || apts.estate_id <= lsts.estate_id);
		struct source *src = take_apt ? &apts : &lsts;
		if (i >= offset && i < offset + amount)
			win[nwin++] = (struct match){ take_apt ? INVENTORY_APARTMENT : INVENTORY_OBJECT_AD, src->id,
						      src->estate_id };
		i++;
		rc = source_next(src, err);
	}
	if (apts.st)
		db_reset(apts.st);
	if (lsts.st)
		db_reset(lsts.st);
	if (rc < 0)
		return -1;
	*total = i;
	return direct_page(s, a, p, win, nwin, err);
}

bool store_inventory_walks(const struct inventory_filter *f)
{
	return !(f->apartment_id || f->apartment_external_id.ptr || f->project_id || f->employee_id || f->statuses);
}

int store_inventory_search(struct store *s, struct arena *a, const struct inventory_filter *f, int64_t offset,
			   int64_t amount, struct inventory_item **items, size_t *n, int64_t *total,
			   struct error *err)
{
	struct page p = { .a = a };
	bool by_apartment = f->apartment_id || f->apartment_external_id.ptr;
	bool by_listing = f->project_id || f->employee_id || f->statuses;
	unsigned types = f->types;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	if (by_apartment)
		types &= INVENTORY_APARTMENT | INVENTORY_OBJECT_AD; /* an estate document has no apartment */
	if (by_listing)
		types &= INVENTORY_OBJECT_AD;
	if (!types || amount <= 0 || offset < 0 || !f->office_path.len)
		return 0;
	if (!store_inventory_walks(f)) {
		struct inventory_filter g = *f;
		g.types = types;
		rc = search_direct(s, a, &g, offset, amount, &p, total, err);
	} else {
		rc = search_walk(s, a, f, offset, amount, &p, total, err);
	}
	if (rc < 0)
		return -1;
	*items = p.items;
	*n = p.n;
	return 0;
}

/* ---- seed ---- */

static const char sql_first_company[] = "SELECT id FROM companies ORDER BY id LIMIT 1";

int store_inventory_first_company(struct store *s, int64_t *company_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_first_company, err);
	int rc;
	if (!st)
		return -1;
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such company");
	*company_id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

static const char sql_root_office[] =
	"SELECT id FROM offices WHERE company_id = ?1 AND parent_id IS NULL ORDER BY id LIMIT 1";

int store_inventory_root_office(struct store *s, int64_t company_id, int64_t *office_id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_root_office, err);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such company");
	*office_id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

static const char sql_seed_estate[] =
	"INSERT INTO estates(company_id, office_id, name, city, landlord_object_id) VALUES (?1, ?2, ?3, ?4, ?5)"
	" RETURNING id";

int store_inventory_seed_estate(struct store *s, int64_t company_id, int64_t office_id, struct str name,
				struct str city, struct str external_id, int64_t *id, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_estate, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, company_id);
	db_bind_int(st, 2, office_id);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, city);
	db_bind_text(st, 5, external_id);
	if (stmt_insert_id(st, id, err) < 0)
		return -1;
	return 0;
}

static const char sql_seed_apartment[] =
	"INSERT INTO apartments(estate_id, national_id, city_key, street_key, number_key, street_name,"
	" street_number, zip_code, county, municipality, landlord_object_id, latitude, longitude, area, floor,"
	" rooms, rent, balcony, dishwasher, washing_machine, water, elevator, heating_included,"
	" internet_included, laundry_room) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"
	" ON CONFLICT(national_id, city_key, street_key, number_key) DO NOTHING RETURNING id";

/* A taken address is ERROR_CONFLICT without a failed statement: the seed tries the next number
 * in the same transaction, which a failed statement would abort on PostgreSQL. */

int store_inventory_seed_apartment(struct store *s, const struct inventory_seed_apartment *p, int64_t *id,
				   struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_seed_apartment, err);
	int c = 1, rc;
	if (!st)
		return -1;
	db_bind_int(st, c++, p->estate_id);
	db_bind_text(st, c++, p->national_id);
	db_bind_text(st, c++, p->city_key);
	db_bind_text(st, c++, p->street_key);
	db_bind_text(st, c++, p->number_key);
	db_bind_text(st, c++, p->street_name);
	db_bind_text(st, c++, p->street_number);
	db_bind_text(st, c++, p->zip_code);
	db_bind_text(st, c++, p->county);
	db_bind_text(st, c++, p->municipality);
	db_bind_text(st, c++, p->external_id);
	db_bind_double(st, c++, p->latitude);
	db_bind_double(st, c++, p->longitude);
	db_bind_double(st, c++, p->area);
	db_bind_double(st, c++, p->floor);
	db_bind_double(st, c++, p->rooms);
	db_bind_int(st, c++, p->rent);
	db_bind_text(st, c++, str_from_cstr(p->balcony));
	db_bind_text(st, c++, str_from_cstr(p->dishwasher));
	db_bind_text(st, c++, str_from_cstr(p->washing_machine));
	db_bind_text(st, c++, str_from_cstr(p->water));
	db_bind_int(st, c++, p->elevator);
	db_bind_int(st, c++, p->heating_included);
	db_bind_int(st, c++, p->internet_included);
	db_bind_int(st, c++, p->laundry_room);
	rc = stmt_row(st, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, ERROR_CONFLICT, NULL, "the address is taken");
	if (id)
		*id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}
