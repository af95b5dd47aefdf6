/* `rentd seed`: generated inventory (inventory_seed.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo/geo.h"
#include "core/inventory/inventory.h"
#include "seed/inventory_seed.h"
#include "store/inventory/store_inventory_search.h"

#define BATCH_APARTMENTS 5000

struct postal_row {
	char zip[6];
	char municipality_code[5];
};

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	/* splitmix64: small, fast, good enough for test data */
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi) /* inclusive */
{
	return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static const char *const street_first[] = {
	"Kungs", "Drottning", "Stor", "Lill", "Norr", "Söder", "Väster", "Öster", "Kyrk", "Skol", "Hamn", "Strand",
	"Park", "Skogs", "Björk", "Ek", "Lind", "Al", "Gran", "Tall", "Ros", "Lilje", "Sol", "Berg", "Dal", "Äng",
	"Sjö", "Bäck", "Kvarn", "Smed", "Tegel", "Bruks", "Järnvägs", "Stations", "Torg", "Fabriks", "Trädgårds",
	"Prästgårds", "Klöver", "Hassel", "Rönn", "Vall", "Mölle", "Fiskar", "Murar", "Snickar", "Linné", "Tor",
};
static const char *const street_last[] = { "gatan", "vägen", "stigen", "gränd", "backen", "allén", "leden", "torget" };
static const char *const block_names[] = {
	"Solrosen", "Blåklockan", "Eken", "Hjorten", "Räven", "Ugglan", "Lärkan", "Svalan", "Tornet", "Ankaret",
	"Kronan", "Måsen", "Vitsippan", "Lönnen", "Bävern", "Falken", "Granen", "Humlan", "Järven", "Kastanjen",
	"Liljan", "Mården", "Näktergalen", "Pilen", "Rosen", "Spiran", "Tranan", "Valnöten", "Zenit", "Örnen",
};
#define NFIRST (sizeof(street_first) / sizeof(street_first[0]))
#define NLAST (sizeof(street_last) / sizeof(street_last[0]))
#define NBLOCK (sizeof(block_names) / sizeof(block_names[0]))

/* SEK per m² and month: Stockholm ~115, the next cities less, the rest of the country ~80–90. */
static double base_rent(const char *municipality_code, double *weight)
{
	static const struct {
		const char *code;
		double rent, weight;
	} cities[] = {
		{ "0180", 115, 4 }, { "1480", 100, 3 }, { "1280", 95, 3 }, { "0380", 98, 2 }, { "0162", 108, 1.5 },
		{ "0163", 105, 1.5 }, { "0182", 108, 1.5 }, { "0580", 90, 1.5 }, { "1880", 88, 1.5 }, { "0680", 88, 1.5 },
	};
	for (size_t i = 0; i < sizeof(cities) / sizeof(cities[0]); i++)
		if (strcmp(cities[i].code, municipality_code) == 0) {
			*weight = cities[i].weight;
			return cities[i].rent;
		}
	*weight = 1;
	return strncmp(municipality_code, "01", 2) == 0 ? 95 : 85;
}

/* The postal codes with their cumulative weights. */
static int load_postal(struct arena *a, const char *dir, struct postal_row **rows, double **cum, size_t *n,
		       struct error *err)
{
	char path[1024], line[512];
	FILE *f;
	size_t cap = 16384, k = 0;
	double total = 0;

	snprintf(path, sizeof(path), "%s/postal_to_municipality.csv", dir);
	f = fopen(path, "r");
	if (!f)
		return error_set(err, ERROR_UNAVAILABLE, NULL, "cannot read %s", path);
	*rows = arena_alloc(a, cap * sizeof(**rows));
	*cum = arena_alloc(a, cap * sizeof(**cum));
	while (fgets(line, sizeof(line), f) && k < cap) {
		char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		double w;
		if (!c1 || !c2 || c1 - line != 5 || line[0] < '0' || line[0] > '9' || strlen(c2 + 1) < 4)
			continue;
		memcpy((*rows)[k].zip, line, 5);
		(*rows)[k].zip[5] = '\0';
		memcpy((*rows)[k].municipality_code, c2 + 1, 4);
		(*rows)[k].municipality_code[4] = '\0';
		base_rent((*rows)[k].municipality_code, &w);
		total += w;
		(*cum)[k++] = total;
	}
	fclose(f);
	*n = k;
	if (k == 0)
		return error_set(err, ERROR_UNAVAILABLE, NULL, "no postal codes in %s", path);
	return 0;
}

static size_t pick(struct rng *r, const double *cum, size_t n)
{
	double x = rng_unit(r) * cum[n - 1];
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cum[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const char *geo_dir(struct core *c)
{
	const char *dir = c->geo_dir && *c->geo_dir ? c->geo_dir : getenv("RENTD_GEO_DIR");
	return dir && *dir ? dir : "data/geo";
}

int inventory_seed(struct core *c, struct arena *a, int64_t company_id, int64_t apartments,
		   struct inventory_seed_result *out, struct error *err)
{
	struct rng r = { 0x5EED2024u };
	struct postal_row *rows = NULL;
	double *cum = NULL;
	size_t nrows = 0;
	int64_t done = 0, in_batch = 0, estate_seq = 0;
	bool open = false;
	char tag[16];

	memset(out, 0, sizeof(*out));
	if (apartments < 1 || apartments > INVENTORY_SEED_MAX)
		return error_field(err, "apartments", RULE_RANGE, "must be between 1 and %d", INVENTORY_SEED_MAX);
	if (geo_load(geo_dir(c), err) < 0 || load_postal(a, geo_dir(c), &rows, &cum, &nrows, err) < 0)
		return -1;
	if (!company_id && store_inventory_first_company(c->store, &company_id, err) < 0)
		return -1;
	if (store_inventory_root_office(c->store, company_id, &out->office_id, err) < 0)
		return -1;
	out->company_id = company_id;
	snprintf(tag, sizeof(tag), "S%lld", (long long)company_id);

	while (done < apartments) {
		const struct postal_row *pr = &rows[pick(&r, cum, nrows)];
		struct geo_postal gp;
		struct geo_estimate ge;
		double weight, rate, lat, lon;
		int64_t napts = rng_range(&r, 5, 40), estate_id, floors, number;
		const char *street;
		struct str city, street_key, city_key;
		char name[96], ext[64];
		bool placed = false;

		if (napts > apartments - done)
			napts = apartments - done;
		if (geo_postal(str_from_cstr(pr->zip), &gp) < 0 || geo_estimate(str_from_cstr(pr->zip), STR_NULL, &ge) < 0 ||
		    !*gp.municipality_name)
			continue;
		rate = base_rent(pr->municipality_code, &weight) * (0.85 + 0.3 * rng_unit(&r));
		lat = ge.latitude;
		lon = ge.longitude;
		for (int tries = 0; tries < 12; tries++) {
			struct geo_place gplace;
			double la = ge.latitude + (rng_unit(&r) - 0.5) * 0.06, lo = ge.longitude + (rng_unit(&r) - 0.5) * 0.1;
			if (geo_lookup(la, lo, &gplace) == 0 && gplace.complete &&
			    strcmp(gplace.municipality_code, pr->municipality_code) == 0) {
				lat = la;
				lon = lo;
				break;
			}
		}
		street = arena_printf(a, "%s%s", street_first[rng_next(&r) % NFIRST], street_last[rng_next(&r) % NLAST]);
		city = str_from_cstr(gp.municipality_name);
		city_key = inventory_fold(a, city);
		street_key = inventory_fold(a, str_from_cstr(street));
		floors = napts / 4 < 2 ? 2 : napts / 4 > 12 ? 12 : napts / 4;
		estate_seq++;
		if (!open) {
			if (store_begin(c->store, err) < 0)
				return -1;
			open = true;
		}
		snprintf(name, sizeof(name), "%s %lld", block_names[rng_next(&r) % NBLOCK], (long long)rng_range(&r, 1, 40));
		snprintf(ext, sizeof(ext), "%s-E%06lld", tag, (long long)estate_seq);
		if (store_inventory_seed_estate(c->store, company_id, out->office_id, str_from_cstr(name), city,
						str_from_cstr(ext), &estate_id, err) < 0)
			goto fail;
		number = rng_range(&r, 1, 60);
		for (int attempt = 0; attempt < 200 && !placed; attempt++, number += rng_range(&r, 1, 4)) {
			char num[24];
			snprintf(num, sizeof(num), "%lld", (long long)number);
			for (int64_t i = 0; i < napts; i++) {
				struct inventory_seed_apartment p = { 0 };
				char nid[48], aext[64];
				int64_t fl = i % floors + 1, rooms = 1 + (int64_t)(rng_unit(&r) * rng_unit(&r) * 6.0 + 0.6);
				double area;
				if (rooms > 6)
					rooms = 6;
				area = (double)rooms * 24.0 + (rng_unit(&r) - 0.3) * 22.0;
				area = area < 20 ? 20 : area > 160 ? 160 : round(area);
				snprintf(nid, sizeof(nid), "%lld%02lld", (long long)(10 + fl), (long long)(i / floors + 1));
				snprintf(aext, sizeof(aext), "%s-A%06lld-%02lld", tag, (long long)estate_seq, (long long)i + 1);
				p.estate_id = estate_id;
				p.national_id = str_from_cstr(nid);
				p.city_key = city_key;
				p.street_key = street_key;
				p.number_key = str_from_cstr(num);
				p.street_name = str_from_cstr(street);
				p.street_number = str_from_cstr(num);
				p.zip_code = str_from_cstr(pr->zip);
				p.county = str_from_cstr(gp.county_name);
				p.municipality = city;
				p.external_id = str_from_cstr(aext);
				p.latitude = lat + (rng_unit(&r) - 0.5) * 0.0004;
				p.longitude = lon + (rng_unit(&r) - 0.5) * 0.0006;
				p.area = area;
				p.floor = (double)fl;
				p.rooms = (double)rooms;
				p.rent = (int64_t)(area * rate / 10.0 + 0.5) * 10;
				p.balcony = rng_unit(&r) < 0.6 ? "PRESENT" : "NONE";
				p.dishwasher = rng_unit(&r) < 0.7 ? "PRESENT" : "NONE";
				p.washing_machine = rng_unit(&r) < 0.4 ? "PRESENT" : "NONE";
				p.water = "WARM_COLD_INCLUDED";
				p.elevator = floors > 3;
				p.heating_included = true;
				p.internet_included = rng_unit(&r) < 0.5;
				p.laundry_room = true;
				/*
				 * The first apartment of an address tells whether another run used it: inside a
				 * savepoint, since on PostgreSQL a failed statement would abort the whole batch.
				 */
				if (i == 0 && store_savepoint(c->store, err) < 0)
					goto fail;
				if (store_inventory_seed_apartment(c->store, &p, NULL, err) < 0) {
					/* another run used this address: try the next number */
					if (err->kind == ERROR_CONFLICT && i == 0) {
						store_savepoint_rollback(c->store);
						error_init(err, err->arena);
						break;
					}
					goto fail;
				}
				if (i == 0 && store_savepoint_release(c->store, err) < 0)
					goto fail;
				if (i == napts - 1)
					placed = true;
			}
		}
		if (!placed) {
			error_set(err, ERROR_CONFLICT, NULL, "no free address found");
			goto fail;
		}
		out->estates++;
		done += napts;
		in_batch += napts;
		if (in_batch >= BATCH_APARTMENTS) {
			if (store_commit(c->store, err) < 0)
				return -1;
			open = false;
			in_batch = 0;
		}
	}
	if (open && store_commit(c->store, err) < 0)
		return -1;
	out->apartments = done;
	return 0;
fail:
	store_rollback(c->store);
	return -1;
}
