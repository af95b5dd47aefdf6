/*
 * objects.c — market objects over the card search and the listing view (objects.h).
 */
#include "core/market/objects.h"

#include <string.h>

#include "base/buf.h"
#include "base/memo.h"
#include "store/listings/store_cards.h"

const struct market_type market_types[] = {
	{ "residential", "Bostad", "Bostad",
	  "Lägenheter som går att söka just nu. Logga in för att göra en intresseanmälan.", 1, 5 },
	{ "student", "Studentbostad", "Student", "Bostäder för dig som studerar.", 8, 5 },
	{ "senior", "Seniorbostad", "Senior", "Bostäder för dig som fyllt 55 år.", 2, 5 },
	{ "youth", "Ungdomsbostad", "Ungdom", "Bostäder för dig som är 18–25 år.", 4, 5 },
	{ "parking", "Fordonsplats", "Fordonsplats", "Parkeringsplatser och garage.", 0, 5 },
};
const size_t market_types_count = sizeof(market_types) / sizeof(market_types[0]);

const struct market_type *market_type_find(struct str s)
{
	for (size_t i = 0; i < market_types_count; i++)
		if (str_eq_cstr(s, market_types[i].id))
			return &market_types[i];
	for (size_t i = 0; i < market_types_count; i++)
		if (str_case_eq(s, str_from_cstr(market_types[i].display_name)) ||
		    str_case_eq(s, str_from_cstr(market_types[i].id)))
			return &market_types[i];
	return NULL;
}

const struct market_type *market_type_of(unsigned audience)
{
	/* market_types[]: residential 0, student 1, senior 2, youth 3 */
	if (audience & 8)
		return &market_types[1];
	if (audience & 2)
		return &market_types[2];
	if (audience & 4)
		return &market_types[3];
	return &market_types[0];
}

static void check_range(struct error *err, const char *max_name, struct card_bound min, struct card_bound max,
			const char *min_name)
{
	if (min.set && max.set && min.value > max.value)
		error_field(err, max_name, RULE_RANGE, "must not be less than %s", min_name);
}

/* Pages of a type without listings, and of an unknown type, are empty. */
static int empty_run(struct cards_run *run, struct error *err)
{
	run->total = 0;
	return run->start ? run->start(run->arg, run, err) : 0;
}

/* Every CURSOR_STEP-th row's position is kept, so pages of 25, 50, 100 or 500 find theirs. */
#define CURSOR_STEP 25

/* The filters of in (not the page) and a row position: a cursor's key. */
static struct str cursor_key(struct arena *a, const struct market_objects_query *in, int64_t position)
{
	struct buf b;
	const struct card_bound *bounds[6] = { &in->rooms_min, &in->rooms_max, &in->area_min,
					      &in->area_max, &in->price_min, &in->price_max };
	buf_init(&b, a, 128);
	buf_printf(&b, "%lld|%lld|%d|%s|", (long long)position, (long long)in->company_id, in->has_type,
		   in->type ? in->type->id : "");
	for (int i = 0; i < 6; i++)
		buf_printf(&b, bounds[i]->set ? "%.17g|" : "-|", bounds[i]->value);
	buf_printf(&b, "%.*s|", STR_FMT(in->available_by));
	for (size_t i = 0; i < in->n_areas; i++) {
		buf_printf(&b, "%zu:", in->areas[i].len);
		buf_append(&b, in->areas[i].ptr, in->areas[i].len);
	}
	return buf_str(&b);
}

struct cursor_run {
	struct core *c;
	struct arena *a;
	const struct market_objects_query *in;
	struct cards_run *outer;
	struct str version;
	int64_t position; /* of the next row visited */
};

static int cursor_start(void *arg, const struct cards_run *run, struct error *err)
{
	struct cursor_run *cr = arg;
	cr->outer->total = run->total;
	return cr->outer->start ? cr->outer->start(cr->outer->arg, cr->outer, err) : 0;
}

static int cursor_visit(void *arg, const struct card_hit *hit, const struct card_doc *doc, struct error *err)
{
	struct cursor_run *cr = arg;
	int rc = cr->outer->visit(cr->outer->arg, hit, doc, err);
	if (++cr->position % CURSOR_STEP == 0 && cr->version.len) {
		int64_t at[2] = { hit->publish_date, hit->id };
		memo_put(cr->c->market_cursors, cursor_key(cr->a, cr->in, cr->position), cr->version,
			 (struct str){ (const char *)at, sizeof(at) });
	}
	return rc;
}

/*
 * How far back a page looks for a kept cursor (in steps): a client paging in order finds
 * one at its own offset; a page reached any other way steps over at most this many rows
 * more than from the nearest cursor. Each try is one memo lookup (well under a microsecond).
 */
#define CURSOR_LOOKBACK 400

/* The nearest kept cursor at or before offset; q->offset is then counted from it. */
static void use_cursor(struct core *c, struct arena *a, const struct market_objects_query *in, struct str version,
		       struct card_query *q)
{
	int64_t first = in->offset - in->offset % CURSOR_STEP;
	struct str hit;

	for (int i = -1; i < CURSOR_LOOKBACK; i++) {
		int64_t at_offset = i < 0 ? in->offset : first - (int64_t)i * CURSOR_STEP;
		if (at_offset <= 0)
			return;
		if (i == 0 && at_offset == in->offset)
			continue;
		if (memo_get(c->market_cursors, cursor_key(a, in, at_offset), version, a, &hit) &&
		    hit.len == 2 * sizeof(int64_t)) {
			int64_t at[2];
			memcpy(at, hit.ptr, sizeof(at));
			q->after = true;
			q->after_publish_date = at[0];
			q->after_id = at[1];
			q->offset = in->offset - at_offset;
			return;
		}
	}
}

int market_objects_list(struct core *c, struct arena *a, const struct market_objects_query *in,
			struct cards_run *run, struct error *err)
{
	struct card_query q;
	struct cursor_run cr = { c, a, in, run, STR_NULL, in->offset };
	struct cards_run inner = { .mode = CARDS_MODE_LISTINGS, .arg = &cr, .start = cursor_start,
				   .visit = cursor_visit };

	check_range(err, "sizeRoomsMax", in->rooms_min, in->rooms_max, "sizeRoomsMin");
	check_range(err, "sizeAreaMax", in->area_min, in->area_max, "sizeAreaMin");
	check_range(err, "priceMax", in->price_min, in->price_max, "priceMin");
	if (in->limit < 0 || in->limit > MARKET_OBJECTS_LIMIT_MAX)
		error_field(err, "limit", RULE_RANGE, "must be between 0 and %d", MARKET_OBJECTS_LIMIT_MAX);
	if (in->offset < 0 || in->offset > MARKET_OBJECTS_OFFSET_MAX)
		error_field(err, "offset", RULE_RANGE, "must be between 0 and %d", MARKET_OBJECTS_OFFSET_MAX);
	if (error_failed(err))
		return -1;
	run->mode = CARDS_MODE_LISTINGS;
	if (in->has_type && (!in->type || !in->type->audience))
		return empty_run(run, err);

	memset(&q, 0, sizeof(q));
	/* every public listing: succession ads and the ads of published projects, active only */
	q.kinds = 1u << CARD_INDIVIDUAL | 1u << CARD_PROJECT_AD;
	q.states = CARD_ACTIVE;
	q.own_company = -1;
	q.modes = 1 | 2 | 4;
	q.audience = in->has_type ? in->type->audience : 0;
	q.min_room = in->rooms_min;
	q.max_room = in->rooms_max;
	q.min_area = in->area_min;
	q.max_area = in->area_max;
	q.min_rent = in->price_min; /* the rent is the whole monthly price (M-30) */
	q.max_rent = in->price_max;
	q.company = in->company_id;
	q.available_by = in->available_by;
	q.area_names = in->areas;
	q.n_area_names = in->areas ? in->n_areas : 0;
	q.market = true;
	q.sort = in->sort == MARKET_SORT_NEWEST	   ? CARD_SORT_PUBLISH_DATE
		 : in->sort <= MARKET_SORT_PRICE_DESC ? CARD_SORT_RENT
						      : CARD_SORT_AREA;
	q.desc = in->sort == MARKET_SORT_NEWEST || in->sort == MARKET_SORT_PRICE_DESC || in->sort == MARKET_SORT_AREA_DESC;
	q.offset = in->offset;
	q.limit = in->limit;
	/* the remembered page ends are positions in the newest-first order only */
	if (in->generation && in->sort == MARKET_SORT_NEWEST) {
		cr.version = (struct str){ (const char *)&in->generation, sizeof(in->generation) };
		use_cursor(c, a, in, cr.version, &q);
	}
	return cards_run_query(c, a, &q, false, &inner, err);
}

/* B.1's dispatch (M-14): all digits → local id; 21–64 of [A-Za-z0-9-] with a letter → guid; else access key. */
static enum market_id_kind id_kind(struct str id)
{
	bool digits = true, letter = false, guid_chars = true;
	for (size_t i = 0; i < id.len; i++) {
		char ch = id.ptr[i];
		bool is_digit = ch >= '0' && ch <= '9';
		bool is_letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
		digits &= is_digit;
		letter |= is_letter;
		guid_chars &= is_digit || is_letter || ch == '-';
	}
	if (digits)
		return MARKET_ID_LOCAL;
	if (guid_chars && letter && id.len >= 21 && id.len <= 64)
		return MARKET_ID_GUID;
	return MARKET_ID_ACCESS_KEY;
}

int market_object_resolve(struct core *c, struct str id, int64_t *listing_id, struct error *err)
{
	enum market_id_kind kind = id_kind(id);

	*listing_id = 0;
	if (id.len == 0 || id.len > 64)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such market object");
	if (kind == MARKET_ID_LOCAL) {
		if (str_to_int64(id, listing_id) < 0)
			*listing_id = 0;
	} else if (store_market_object_find(c->store, kind, id, listing_id, err) < 0) {
		return -1;
	}
	if (*listing_id <= 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such market object");
	return 0;
}

int market_object_version(struct core *c, int64_t listing_id, struct listing_view_version *out, struct error *err)
{
	return listings_public_version(c, listing_id, out, err);
}

int market_object_get(struct core *c, struct arena *a, int64_t listing_id, struct market_object *out,
		      struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (listings_public_get(c, a, listing_id, &out->v, &out->version, err) < 0)
		return -1;
	return store_market_object_floorplan(c->store, a, listing_id, 0, core_now(), &out->floorplan,
					     &out->has_floorplan, err);
}

int market_object_image(struct core *c, struct arena *a, int64_t listing_id, int64_t image_id,
			struct market_object_file *out, struct error *err)
{
	if (image_id <= 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such image");
	return store_market_object_image(c->store, a, listing_id, image_id, core_now(), out, err);
}

int market_object_thumbnail(struct core *c, struct arena *a, int64_t listing_id, struct market_object_file *out,
			    struct error *err)
{
	return store_market_object_thumbnail(c->store, a, listing_id, core_now(), out, err);
}

int market_object_floorplan(struct core *c, struct arena *a, int64_t listing_id, int64_t file_id,
			    struct market_object_file *out, struct error *err)
{
	bool found;
	if (file_id <= 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such file");
	if (store_market_object_floorplan(c->store, a, listing_id, file_id, core_now(), out, &found, err) < 0)
		return -1;
	return found ? 0 : error_set(err, ERROR_NOT_FOUND, NULL, "no such file");
}

int market_type_stats(struct core *c, const struct market_type *t, int64_t company_id, struct market_type_stats *out,
		      struct error *err)
{
	return store_market_type_stats(c->store, t->audience, company_id, out, err);
}

void market_thumbnail_version(struct str key, char out[19])
{
	const char *slash = key.ptr ? memchr(key.ptr, '/', key.len) : NULL;
	size_t rest = slash ? key.len - (size_t)(slash + 1 - key.ptr) : 0;

	out[0] = '\0';
	if (!slash || rest < 16)
		return;
	memcpy(out, "f-", 2);
	memcpy(out + 2, slash + 1, 16);
	out[18] = '\0';
}
