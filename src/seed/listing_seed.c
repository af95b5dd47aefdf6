/* `rentd seed --listings N`: generated listings and their cards (listing_seed.h). */
#include "seed/listing_seed.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vips/vips.h>

#include "core/listings/cards.h"
#include "core/geo/geo.h"
#include "core/market/lottery.h"
#include "seed/inventory_seed.h"
#include "core/media/media.h"
#include "core/media/storage.h"
#include "store/listings/store_cards.h"
#include "store/inventory/store_inventory_search.h"

#define BATCH 20000
#define PROJECT_PER_MILLE 30
#define IMAGES 5 /* three apartment pictures, two project pictures */

struct seed_image {
	char ref[33];
};

/* A 1024×768 JPEG in one of a few calm colours, with a lighter band, so pictures differ. */
static int make_jpeg(int i, void **buf, size_t *len)
{
	static const double colours[IMAGES][3] = {
		{ 196, 164, 132 }, { 120, 150, 170 }, { 170, 190, 150 }, { 200, 120, 90 }, { 140, 140, 160 },
	};
	VipsImage *base = NULL, *lit = NULL, *band = NULL, *out = NULL, *u8 = NULL;
	double one[3] = { 1, 1, 1 };
	int rc = -1;

	if (vips_black(&base, 1024, 768, "bands", 3, NULL) ||
	    vips_linear(base, &lit, one, (double *)colours[i], 3, NULL) ||
	    vips_draw_rect1(lit, 235, 0, 300 + 60 * i, 1024, 120, "fill", TRUE, NULL) || vips_copy(lit, &band, NULL) ||
	    vips_cast(band, &out, VIPS_FORMAT_UCHAR, NULL) || vips_copy(out, &u8, NULL) ||
	    vips_jpegsave_buffer(u8, buf, len, "Q", 80, "strip", TRUE, NULL))
		goto out;
	rc = 0;
out:
	if (base)
		g_object_unref(base);
	if (lit)
		g_object_unref(lit);
	if (band)
		g_object_unref(band);
	if (out)
		g_object_unref(out);
	if (u8)
		g_object_unref(u8);
	return rc;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int listing_seed_store_picture(struct core *c, struct arena *a, int64_t company, int64_t user, const void *jpg,
			       size_t len, const char *entity, const char *category, bool queue, char ref[33],
			       struct error *err)
{
	unsigned char sha[crypto_hash_sha256_BYTES], md5[EVP_MAX_MD_SIZE], refh[crypto_hash_sha256_BYTES];
	unsigned mdlen = 0;
	char key[128], shahex[65], md5b64[25], seed[160];
	int64_t stored;
	struct card_seed_image img;

	crypto_hash_sha256(sha, jpg, len);
	hex(sha, sizeof(sha), shahex);
	EVP_Digest(jpg, len, md5, &mdlen, EVP_md5(), NULL);
	sodium_bin2base64(md5b64, sizeof(md5b64), md5, mdlen, sodium_base64_VARIANT_ORIGINAL);
	snprintf(key, sizeof(key), "%s/%s.jpg", category, shahex);
	/* the reference id: a hash of the category and the file, so reruns find it */
	snprintf(seed, sizeof(seed), "%s/%s", entity, shahex);
	crypto_hash_sha256(refh, (const unsigned char *)seed, strlen(seed));
	hex(refh, 16, ref);
	if (storage_put(c->storage, key, jpg, len, err) < 0)
		return -1;
	img = (struct card_seed_image){ .entity_type = entity, .category = category, .key = str_from_cstr(key),
					.sha256 = str_from_cstr(shahex), .md5 = str_from_cstr(md5b64),
					.reference = str_from_cstr(ref), .size = (int64_t)len };
	if (store_cards_seed_image(c->store, company, user, &img, &stored, err) < 0)
		return -1;
	if (queue)
		return store_job_insert(c->store, MEDIA_JOB_THUMBNAILS, str_from_cstr(arena_printf(a, "%lld", (long long)stored)),
					core_now(), err);
	return media_thumbnails_make(c, a, stored, err);
}

/* Stores picture i of an entity type (once: content-addressed) with an uploaded file reference. */
static int seed_image(struct core *c, struct arena *a, int64_t company, int64_t user, int i, const char *entity,
		      const char *category, struct seed_image *out, struct error *err)
{
	void *jpg = NULL;
	size_t len = 0;
	int rc;

	if (make_jpeg(i, &jpg, &len) < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot make a picture: %s", vips_error_buffer());
	rc = listing_seed_store_picture(c, a, company, user, jpg, len, entity, category, false, out->ref, err);
	g_free(jpg);
	return rc;
}

static int seed_requirements(struct core *c, int64_t company, int64_t ids[5], struct error *err)
{
	static const struct {
		const char *name, *audience;
		bool pets;
	} profiles[5] = {
		{ "Standard", "everyone", false }, { "Standard, husdjur", "everyone", true },
		{ "Seniorboende 65+", "senior", false }, { "Studentbostad", "student", false },
		{ "Ungdomsbostad", "youth", false },
	};
	for (int i = 0; i < 5; i++)
		if (store_cards_seed_requirement(c->store, company, profiles[i].name, profiles[i].audience, profiles[i].pets,
						 &ids[i], err) < 0)
			return -1;
	return 0;
}

static const char *geo_dir(struct core *c)
{
	const char *dir = c->geo_dir && *c->geo_dir ? c->geo_dir : getenv("RENTD_GEO_DIR");
	return dir && *dir ? dir : "data/geo";
}

/* The SCB codes of the batch's municipalities, for the bulk card statements. */
static int seed_places(struct core *c, struct arena *a, int64_t first, int64_t last, struct error *err)
{
	struct str *names;
	size_t n;

	if (store_cards_seed_place_names(c->store, a, first, last, &names, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct geo_estimate e;
		if (geo_estimate(STR_NULL, names[i], &e) < 0 || e.match != GEO_MATCH_MUNICIPALITY)
			continue;
		if (store_cards_seed_place(c->store, names[i], atoi(e.county_code), atoi(e.municipality_code), err) < 0)
			return -1;
	}
	return 0;
}

static int seed_projects(struct core *c, struct arena *a, int64_t company, const struct seed_image *img,
			 int64_t **ids, size_t *n, struct error *err)
{
	int64_t *estates;
	size_t ne;

	*n = 0;
	if (store_cards_seed_project_estates(c->store, a, company, PROJECT_PER_MILLE, &estates, &ne, err) < 0)
		return -1;
	*ids = arena_alloc(a, (ne + 1) * sizeof(int64_t));
	for (size_t i = 0; i < ne; i++)
		if (store_cards_seed_project(c->store, estates[i], str_from_cstr(img[3].ref), str_from_cstr(img[4].ref),
					     &(*ids)[(*n)++], err) < 0)
			return -1;
	return 0;
}

static int64_t clock_now(void)
{
	return (int64_t)time(NULL);
}

/* The listings, BATCH per transaction, each batch with its cards and the lotteries of its random ones. */
static int seed_batches(struct core *c, struct arena *a, struct card_seed_batch *b, int64_t want, int64_t *made,
			struct error *err)
{
	*made = 0;
	while (*made < want) {
		int64_t first, last, last_apartment, n;
		size_t lotteries;
		b->limit = want - *made < BATCH ? want - *made : BATCH;
		if (store_begin(c->store, err) < 0)
			return -1;
		if (store_cards_seed_listings(c->store, b, &first, &last, &last_apartment, &n, err) < 0 ||
		    (n > 0 && (seed_places(c, a, first, last, err) < 0 || store_cards_seed_cards(c->store, first, last, err) < 0 ||
			       lottery_commit_missing(c, a, first, last, &lotteries, err) < 0))) {
			store_rollback(c->store);
			return -1;
		}
		if (store_commit(c->store, err) < 0)
			return -1;
		if (n == 0)
			break;
		*made += n;
		b->after_apartment = last_apartment;
		fprintf(stderr, "\rrentd: %lld listings", (long long)*made);
	}
	fprintf(stderr, "\n");
	return 0;
}

int listing_seed(struct core *c, struct arena *a, int64_t company_id, int64_t listings, struct listing_seed_result *out,
		 struct error *err)
{
	static const char *const entity[IMAGES] = { "apartment_image", "apartment_image", "apartment_image",
						    "project_image", "project_image" };
	struct seed_image img[IMAGES];
	struct card_seed_batch b;
	int64_t free_apartments, user, *projects;
	size_t nprojects;

	memset(out, 0, sizeof(*out));
	if (listings < 1 || listings > LISTING_SEED_MAX)
		return error_field(err, "listings", RULE_RANGE, "must be between 1 and %d", LISTING_SEED_MAX);
	if (geo_load(geo_dir(c), err) < 0)
		return -1;
	if (!company_id && store_inventory_first_company(c->store, &company_id, err) < 0)
		return -1;
	out->company_id = company_id;
	if (store_cards_seed_free_apartments(c->store, company_id, &free_apartments, err) < 0)
		return -1;
	if (free_apartments < listings) {
		struct inventory_seed_result ir;
		if (inventory_seed(c, a, company_id, listings - free_apartments, &ir, err) < 0)
			return -1;
		out->apartments_created = ir.apartments;
	}
	memset(&b, 0, sizeof(b));
	b.company_id = company_id;
	b.now = clock_now();
	if (store_cards_seed_admin(c->store, company_id, &user, err) < 0 || store_begin(c->store, err) < 0)
		return -1;
	for (int i = 0; i < IMAGES; i++)
		if (seed_image(c, a, company_id, user, i, entity[i], i < 3 ? "apartment_images" : "project_images", &img[i],
			       err) < 0)
			goto fail;
	if (seed_requirements(c, company_id, b.requirement, err) < 0 ||
	    seed_projects(c, a, company_id, img, &projects, &nprojects, err) < 0)
		goto fail;
	if (store_commit(c->store, err) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		b.picture[i] = str_from_cstr(img[i].ref);
	if (seed_batches(c, a, &b, listings, &out->listings, err) < 0)
		return -1;
	/* the project cards, now that their listings have rows */
	if (store_begin(c->store, err) < 0)
		return -1;
	for (size_t i = 0; i < nprojects; i++)
		if (cards_sync_project(c, projects[i], err) < 0)
			goto fail;
	if (store_commit(c->store, err) < 0)
		return -1;
	out->projects = (int64_t)nprojects;
	return store_cards_total(c->store, &out->cards, err);
fail:
	store_rollback(c->store);
	return -1;
}
