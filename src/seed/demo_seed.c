/* The demo portfolio of `rentd serve --demo` (demo_seed.h). */
#include "seed/demo_seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vips/vips.h>

#include "core/identity/auth.h"
#include "core/listings/cards.h"
#include "core/geo/geo.h"
#include "core/inventory/inventory.h"
#include "seed/listing_seed.h"
#include "core/listings/listings.h"
#include "store/listings/store_cards.h"
#include "store/inventory/store_inventory_search.h"

const struct demo_user demo_users[] = {
	{ "admin@demo.rentd.local", "landlord admin (landlord API)", DEMO_LANDLORD },
	{ "ops@demo.rentd.local", "operator agent (accounts API)", DEMO_AGENT },
	{ "anna.lindqvist@demo.rentd.local", "applicant (market API, POST /v2/auth)", DEMO_APPLICANT },
	{ "elias.nyberg@demo.rentd.local", "applicant, student (market API)", DEMO_APPLICANT },
};
const size_t demo_users_count = sizeof(demo_users) / sizeof(demo_users[0]);

/* One building: real street names of real towns; the numbers and the property names are made up. */
struct demo_estate {
	const char *name;         /* the property ("fastighetsbeteckning") */
	const char *municipality; /* SCB code */
	const char *town;         /* the postal town whose codes the building may have */
	const char *street;
	int number;               /* the first entrance; the next ones are +2, +4 */
	int apartments;
	int rent;                 /* SEK per m² and year / 12, roughly the town's level */
	int colour;               /* index into facade[] */
	bool project;
};

static const struct demo_estate estates[] = {
	{ "Tranan 12", "0180", "Stockholm", "Odengatan", 78, 3, 128, 0, false },
	{ "Mullvaden 21", "0180", "Stockholm", "Hornsgatan", 54, 3, 131, 1, false },
	{ "Pelikanen 4", "0180", "Stockholm", "Götgatan", 91, 3, 126, 2, false },
	{ "Linnéstaden 7:3", "1480", "Göteborg", "Linnégatan", 24, 3, 104, 3, false },
	{ "Majorna 12:8", "1480", "Göteborg", "Karl Johansgatan", 41, 3, 98, 4, false },
	{ "Rådmannen 6", "1280", "Malmö", "Regementsgatan", 38, 3, 99, 5, false },
	{ "Möllevången 17", "1280", "Malmö", "Södra Förstadsgatan", 88, 3, 96, 0, false },
	{ "Luthagen 21:4", "0380", "Uppsala", "Sysslomansgatan", 15, 3, 102, 2, false },
	{ "Rosendal 3:1", "0380", "Uppsala", "Torgny Segerstedts allé", 12, 6, 118, 5, true },
	{ "Lövsångaren 3", "1980", "Västerås", "Vasagatan", 19, 3, 90, 1, false },
	{ "Nikolai 2:14", "1880", "Örebro", "Rudbecksgatan", 30, 3, 89, 3, false },
	{ "Eddan 9", "0580", "Linköping", "Ågatan", 47, 3, 92, 4, false },
	{ "Björnen 11", "2480", "Umeå", "Skolgatan", 62, 3, 91, 0, false },
	{ "Galten 18", "1281", "Lund", "Bredgatan", 9, 2, 101, 2, false },
};
#define NESTATES (sizeof(estates) / sizeof(estates[0]))

/* Ochre, Falu red, pale yellow, grey-blue, salmon, plaster white. */
static const double facade[6][3] = {
	{ 214, 170, 96 }, { 150, 52, 40 }, { 232, 214, 150 }, { 140, 160, 182 }, { 222, 150, 120 }, { 226, 222, 210 },
};

/* The requirement profiles, in the order the listings pick them. */
static const struct {
	const char *name, *audience;
	bool pets;
} profiles[] = {
	{ "Standard", "everyone", false }, { "Standard, husdjur", "everyone", true },
	{ "Seniorboende 65+", "senior", false }, { "Studentbostad", "student", false },
	{ "Ungdomsbostad", "youth", false },
};
#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))

/* ---- pictures ---- */

struct picture {
	const char *title, *subtitle;
	int colour, floors, entrances;
	int lit_floor, lit_column; /* the window to light, -1: none */
};

#define PIC_W 960
#define PIC_H 720 /* 4:3, the cards' own shape: a thumbnail crops nothing of the text */
#define BAND 118   /* the text band at the top */
#define GROUND 70

static int draw_text(VipsImage *img, const char *text, const char *font, int x, int y)
{
	static double ink[3] = { 38, 42, 48 };
	VipsImage *mask = NULL;
	int rc = vips_text(&mask, text, "font", font, "width", PIC_W - 2 * x, NULL) ||
		 vips_draw_mask(img, ink, 3, mask, x, y, NULL);
	if (mask)
		g_object_unref(mask);
	return rc ? -1 : 0;
}

/* A building's facade on its street, one window lit, with the address and the flat as text. */
static int draw_picture(const struct picture *p, void **buf, size_t *len)
{
	static double sky[3] = { 172, 206, 234 }, one[3] = { 1, 1, 1 };
	double ground[3] = { 96, 118, 84 }, band[3] = { 250, 249, 245 }, roof[3] = { 64, 62, 70 };
	double glass[3] = { 204, 222, 236 }, lit[3] = { 255, 212, 96 }, door[3] = { 92, 60, 40 };
	double wall[3] = { facade[p->colour][0], facade[p->colour][1], facade[p->colour][2] };
	VipsImage *base = NULL, *tinted = NULL, *u8 = NULL, *img = NULL;
	int columns = 3 * p->entrances, rc = -1;
	int storey = 64, height = p->floors * storey + 36, x0 = 96, width = PIC_W - 2 * x0;
	int top = PIC_H - GROUND - height;

	if (vips_black(&base, PIC_W, PIC_H, "bands", 3, NULL) || vips_linear(base, &tinted, one, sky, 3, NULL) ||
	    vips_cast(tinted, &u8, VIPS_FORMAT_UCHAR, NULL) || !(img = vips_image_copy_memory(u8)))
		goto out;
	if (vips_draw_rect(img, ground, 3, 0, PIC_H - GROUND, PIC_W, GROUND, "fill", TRUE, NULL) ||
	    vips_draw_rect(img, roof, 3, x0 - 14, top - 22, width + 28, 24, "fill", TRUE, NULL) ||
	    vips_draw_rect(img, wall, 3, x0, top, width, height, "fill", TRUE, NULL))
		goto out;
	for (int f = 0; f < p->floors; f++)
		for (int col = 0; col < columns; col++) {
			int cw = width / columns, x = x0 + col * cw + cw / 2 - 22, y = PIC_H - GROUND - (f + 1) * storey - 4;
			bool on = f == p->lit_floor && col == p->lit_column;
			if (f == 0 && col % 3 == 1) /* the entrance of each stairwell */
				rc = vips_draw_rect(img, door, 3, x + 4, y + 12, 36, storey - 8, "fill", TRUE, NULL);
			else
				rc = vips_draw_rect(img, on ? lit : glass, 3, x, y + 12, 44, 40, "fill", TRUE, NULL);
			if (rc)
				goto out;
		}
	rc = -1;
	if (vips_draw_rect(img, band, 3, 0, 0, PIC_W, BAND, "fill", TRUE, NULL) ||
	    draw_text(img, p->title, "sans bold 30", 32, 18) < 0 || draw_text(img, p->subtitle, "sans 22", 32, 70) < 0 ||
	    vips_jpegsave_buffer(img, buf, len, "Q", 82, "strip", TRUE, NULL))
		goto out;
	rc = 0;
out:
	if (base)
		g_object_unref(base);
	if (tinted)
		g_object_unref(tinted);
	if (u8)
		g_object_unref(u8);
	if (img)
		g_object_unref(img);
	return rc;
}

/* Draws and stores a picture; ref: the uploaded file reference to link. */
static int picture(struct core *c, struct arena *a, int64_t company, int64_t user, const struct picture *p,
		   const char *entity, const char *category, char ref[33], struct error *err)
{
	void *jpg = NULL;
	size_t len = 0;
	int rc;

	if (draw_picture(p, &jpg, &len) < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot draw a demo picture: %s", vips_error_buffer());
	rc = listing_seed_store_picture(c, a, company, user, jpg, len, entity, category, true, ref, err);
	g_free(jpg);
	return rc;
}

/* ---- places ---- */

static const char *geo_dir(struct core *c)
{
	const char *dir = c->geo_dir && *c->geo_dir ? c->geo_dir : getenv("RENTD_GEO_DIR");
	return dir && *dir ? dir : "data/geo";
}

/* A postal code of the town in that municipality, chosen by pick among them (data/geo). */
static int postal_code(struct core *c, const struct demo_estate *e, unsigned pick, char zip[6], struct error *err)
{
	char path[1024], line[256], want[128];
	char codes[64][6];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/postal_to_municipality.csv", geo_dir(c));
	snprintf(want, sizeof(want), ",%s,%s,", e->town, e->municipality);
	if (!(f = fopen(path, "r")))
		return error_set(err, ERROR_UNAVAILABLE, NULL, "cannot read %s", path);
	while (fgets(line, sizeof(line), f) && n < 64)
		if (strlen(line) > 5 && strncmp(line + 5, want, strlen(want)) == 0) {
			memcpy(codes[n], line, 5);
			codes[n++][5] = '\0';
		}
	fclose(f);
	if (n == 0)
		return error_set(err, ERROR_UNAVAILABLE, NULL, "no postal code of %s in %s", e->town, path);
	memcpy(zip, codes[pick % n], 6);
	return 0;
}

/* A point near the postal code's estimate that is still inside the municipality. */
static void position(const struct geo_estimate *ge, const char *municipality, unsigned seed, double *lat, double *lon)
{
	*lat = ge->latitude;
	*lon = ge->longitude;
	for (unsigned t = 0; t < 12; t++) {
		struct geo_place gp;
		double la = ge->latitude + ((double)((seed * 37 + t * 101) % 200) - 100) * 0.00012;
		double lo = ge->longitude + ((double)((seed * 53 + t * 67) % 200) - 100) * 0.0002;
		if (geo_lookup(la, lo, &gp) == 0 && gp.complete && strcmp(gp.municipality_code, municipality) == 0) {
			*lat = la;
			*lon = lo;
			return;
		}
	}
}

/* ---- the portfolio ---- */

struct demo_apartment {
	int64_t id, estate_id;
	size_t estate;
	int index;
};

static void apartment_shape(int k, int index, double *rooms, double *area, double *floor)
{
	static const double room_cycle[] = { 2, 1, 3, 4, 2, 3, 1, 5, 3, 2 };
	*rooms = room_cycle[k % 10];
	*area = *rooms * 23 + 12 + (k * 7) % 11;
	*floor = index + 1;
}

static int make_inventory(struct core *c, struct arena *a, int64_t company, int64_t office,
			  struct demo_apartment *apts, size_t *napts, struct demo_seed_result *out, struct error *err)
{
	int k = 0;

	*napts = 0;
	for (size_t i = 0; i < NESTATES; i++) {
		const struct demo_estate *e = &estates[i];
		char zip[6], ext[32];
		struct geo_postal gp;
		struct geo_estimate ge;
		double lat, lon;
		int64_t estate_id;
		struct str city, city_key, street_key;

		if (postal_code(c, e, (unsigned)i * 7, zip, err) < 0)
			return -1;
		if (geo_postal(str_from_cstr(zip), &gp) < 0 || geo_estimate(str_from_cstr(zip), STR_NULL, &ge) < 0)
			return error_set(err, ERROR_UNAVAILABLE, NULL, "postal code %s is not in the geography data", zip);
		position(&ge, e->municipality, (unsigned)i, &lat, &lon);
		city = str_from_cstr(gp.municipality_name);
		city_key = inventory_fold(a, city);
		street_key = inventory_fold(a, str_from_cstr(e->street));
		snprintf(ext, sizeof(ext), "DEMO-E%02zu", i + 1);
		if (store_inventory_seed_estate(c->store, company, office, str_from_cstr(e->name), city, str_from_cstr(ext),
						&estate_id, err) < 0)
			return -1;
		out->estates++;
		for (int j = 0; j < e->apartments; j++, k++) {
			struct inventory_seed_apartment p = { 0 };
			char num[24], nid[24], aext[48];
			double rooms, area, floor;

			apartment_shape(k, j / 2, &rooms, &area, &floor);
			snprintf(num, sizeof(num), "%d", e->number + 2 * (j / 2));
			snprintf(nid, sizeof(nid), "%d%02d", 10 + (int)floor, j % 2 + 1);
			snprintf(aext, sizeof(aext), "DEMO-E%02zu-A%02d", i + 1, j + 1);
			p.estate_id = estate_id;
			p.national_id = str_from_cstr(arena_strndup(a, nid, strlen(nid)));
			p.city_key = city_key;
			p.street_key = street_key;
			p.number_key = str_from_cstr(arena_strndup(a, num, strlen(num)));
			p.street_name = str_from_cstr(e->street);
			p.street_number = p.number_key;
			p.zip_code = str_from_cstr(zip);
			p.county = str_from_cstr(gp.county_name);
			p.municipality = city;
			p.external_id = str_from_cstr(aext);
			p.latitude = lat + (double)(j / 2) * 0.00018;
			p.longitude = lon + (double)(j / 2) * 0.00025;
			p.area = area;
			p.floor = floor;
			p.rooms = rooms;
			p.rent = (int64_t)(area * e->rent / 10.0 + 0.5) * 10;
			p.balcony = k % 3 ? "PRESENT" : "NONE";
			p.dishwasher = k % 4 ? "PRESENT" : "NONE";
			p.washing_machine = k % 2 ? "PRESENT" : "NONE";
			p.water = "WARM_COLD_INCLUDED";
			p.elevator = e->project || j > 1;
			p.heating_included = true;
			p.internet_included = k % 2 == 0;
			p.laundry_room = true;
			if (store_inventory_seed_apartment(c->store, &p, &apts[*napts].id, err) < 0)
				return -1;
			apts[*napts].estate = i;
			apts[*napts].estate_id = estate_id;
			apts[(*napts)++].index = j;
			out->apartments++;
		}
	}
	return 0;
}

/* The apartment's own picture, linked as the landlord API would. */
static int apartment_picture(struct core *c, struct arena *a, const struct caller *who,
			     const struct demo_apartment *ap, int k, struct error *err)
{
	const struct demo_estate *e = &estates[ap->estate];
	struct picture p;
	double rooms, area, floor;
	char ref[33];
	int64_t link;

	apartment_shape(k, ap->index / 2, &rooms, &area, &floor);
	p.title = arena_printf(a, "%s %d, %s", e->street, e->number + 2 * (ap->index / 2), e->town);
	p.subtitle = arena_printf(a, "%g rum och kök · %g m² · våning %g", rooms, area, floor);
	p.colour = e->colour;
	p.floors = e->project ? 5 : 4;
	p.entrances = (e->apartments + 1) / 2;
	p.lit_floor = (int)floor;
	p.lit_column = 3 * (ap->index / 2) + (ap->index % 2 ? 2 : 0);
	if (picture(c, a, who->user.company_id, who->user.id, &p, "apartment_image", "apartment_images", ref, err) < 0)
		return -1;
	return inventory_media_create(c, a, who, MEDIA_LINK_APARTMENT_PICTURE, ap->id, STR_LIT("Fasad"), false,
				      str_from_cstr(ref), &link, err);
}

/* The project's two pictures, then the project (published, located at its first entrance). */
static int make_project(struct core *c, struct arena *a, const struct caller *who, size_t estate, int64_t estate_id,
			int64_t *project_id, struct error *err)
{
	const struct demo_estate *e = &estates[estate];
	struct picture p = { 0 };
	char ref[2][33];

	p.title = arena_printf(a, "Kvarteret %s, %s", e->name, e->town);
	p.subtitle = arena_printf(a, "Nyproduktion: %d hyresrätter på %s, inflyttning i höst", e->apartments, e->street);
	p.colour = e->colour;
	p.floors = 5;
	p.entrances = (e->apartments + 1) / 2;
	p.lit_floor = -1;
	p.lit_column = -1;
	if (picture(c, a, who->user.company_id, who->user.id, &p, "project_image", "project_images", ref[0], err) < 0)
		return -1;
	p.subtitle = "Innergården: odlingslotter, cykelrum och lekplats";
	p.colour = 2;
	p.floors = 3;
	p.lit_floor = 2;
	p.lit_column = 4;
	if (picture(c, a, who->user.company_id, who->user.id, &p, "project_image", "project_images", ref[1], err) < 0)
		return -1;
	return store_cards_seed_project(c->store, estate_id, str_from_cstr(ref[0]), str_from_cstr(ref[1]), project_id,
					err);
}

/* YYYY-MM-DD, days from today. */
static struct str day_from_now(struct arena *a, int days)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	char out[16];
	localtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d", &tm);
	return str_from_cstr(arena_strndup(a, out, strlen(out)));
}

/* Listing k of the portfolio: the mix of sorting modes, audiences, short leases and dates. */
static int make_listing(struct core *c, struct arena *a, const struct caller *who, const struct demo_apartment *ap,
			int k, const int64_t requirement[NPROFILES], struct demo_seed_result *out, struct error *err)
{
	static const char *const modes[] = { "queue_points", "queue_points", "first_come_first", "random" };
	const struct demo_estate *e = &estates[ap->estate];
	struct listing_input in;
	double rooms, area, floor;
	int64_t id;

	memset(&in, 0, sizeof(in));
	apartment_shape(k, ap->index / 2, &rooms, &area, &floor);
	in.apartment = ap->id;
	in.is_draft = k == 5 || k == 23;
	in.is_project_rental = e->project;
	in.has_description = true;
	in.f.description = str_from_cstr(
		arena_printf(a, "Ljus %g:a om %g m² på våning %g, %s %d i %s. %s", rooms, area, floor, e->street,
			     e->number + 2 * (ap->index / 2), e->town,
			     e->project ? "Nybyggt med hög standard, nära service och kommunikationer."
					: "Välskött hus med tvättstuga och cykelrum på gården."));
	in.has_requirement = true;
	in.f.requirement_id = requirement[e->project ? (size_t)(k % 2) : (size_t)(k % (int)NPROFILES)];
	if (!e->project) {
		in.has_candidate_sorting_mode = true;
		in.f.candidate_sorting_mode = str_from_cstr(modes[k % 4]);
	}
	if (k % 2 == 0) {
		in.has_access_date = true;
		in.f.access_date = day_from_now(a, 30 + k);
	}
	if (k % 7 == 3) {
		in.has_is_short_lease = in.has_short_lease_min_date = in.has_short_lease_max_date = true;
		in.f.is_short_lease = true;
		in.f.short_lease_min_date = day_from_now(a, 30);
		in.f.short_lease_max_date = day_from_now(a, 365);
	}
	if (k % 5 == 4) {
		in.has_is_quick_apply = true;
		in.f.is_quick_apply = true;
	}
	if (listings_create(c, a, who, &in, &id, err) < 0)
		return -1;
	out->listings++;
	out->drafts += in.is_draft;
	return 0;
}

static int demo_caller(struct core *c, struct arena *a, struct caller *who, struct error *err)
{
	struct user u;
	if (store_user_get_by_username(c->store, a, str_from_cstr(demo_users[0].username), &u, err) < 0)
		return -1;
	return auth_token(c, a, auth_issue(c, a, &u), who, err);
}

int demo_seed(struct core *c, struct arena *a, int64_t company_id, struct demo_seed_result *out, struct error *err)
{
	struct demo_apartment apts[64];
	int64_t requirement[NPROFILES], office, project = 0;
	struct caller who;
	size_t napts = 0, project_estate = NESTATES;
	int64_t project_estate_id = 0;

	memset(out, 0, sizeof(*out));
	if (geo_load(geo_dir(c), err) < 0 || demo_caller(c, a, &who, err) < 0 ||
	    store_inventory_root_office(c->store, company_id, &office, err) < 0)
		return -1;
	if (store_begin(c->store, err) < 0)
		return -1;
	for (size_t i = 0; i < NPROFILES; i++)
		if (store_cards_seed_requirement(c->store, company_id, profiles[i].name, profiles[i].audience,
						 profiles[i].pets, &requirement[i], err) < 0)
			goto fail;
	if (make_inventory(c, a, company_id, office, apts, &napts, out, err) < 0)
		goto fail;
	for (size_t i = 0; i < napts; i++)
		if (estates[apts[i].estate].project && project_estate == NESTATES) {
			project_estate = apts[i].estate;
			project_estate_id = apts[i].estate_id;
		}
	if (project_estate < NESTATES && make_project(c, a, &who, project_estate, project_estate_id, &project, err) < 0)
		goto fail;
	if (store_commit(c->store, err) < 0)
		return -1;
	out->projects = project ? 1 : 0;
	out->pictures = 2 * out->projects;
	for (size_t i = 0; i < napts; i++) {
		if (apartment_picture(c, a, &who, &apts[i], (int)i, err) < 0 ||
		    make_listing(c, a, &who, &apts[i], (int)i, requirement, out, err) < 0)
			return -1;
		out->pictures++;
	}
	if (project) {
		if (store_begin(c->store, err) < 0)
			return -1;
		if (cards_sync_project(c, project, err) < 0)
			goto fail;
		if (store_commit(c->store, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < NESTATES; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= strcmp(estates[j].municipality, estates[i].municipality) == 0;
		out->municipalities += !seen;
	}
	return 0;
fail:
	store_rollback(c->store);
	return -1;
}

/* ---- what search shows ---- */

struct summary {
	int64_t total, project;
};

static int summary_start(void *arg, const struct cards_run *run, struct error *err)
{
	(void)err;
	((struct summary *)arg)->total = run->total;
	return 0;
}

static int summary_visit(void *arg, const struct card_hit *hit, const struct card_doc *doc, struct error *err)
{
	struct summary *s = arg;
	(void)doc;
	(void)err;
	if (hit->kind == CARD_PROJECT && !s->project)
		s->project = hit->ref_id;
	return 0;
}

int demo_search_summary(struct core *c, struct arena *a, int64_t *total, int64_t *project, struct error *err)
{
	struct caller anonymous;
	struct cards_request r;
	struct summary all = { 0, 0 }, projects = { 0, 0 };
	struct cards_run run = { .arg = &all, .start = summary_start, .visit = summary_visit };

	memset(&anonymous, 0, sizeof(anonymous));
	cards_request_defaults(&r);
	r.amount = 1;
	if (cards_search(c, a, &anonymous, &r, &run, err) < 0)
		return -1;
	r.card_type = CARDS_TYPE_PROJECTS;
	run = (struct cards_run){ .arg = &projects, .start = summary_start, .visit = summary_visit };
	if (cards_search(c, a, &anonymous, &r, &run, err) < 0)
		return -1;
	*total = all.total;
	*project = projects.project;
	return 0;
}
