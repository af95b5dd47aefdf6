/*
 * demo_seed.h — the demo portfolio `rentd serve --demo` creates on an empty database:
 * a small Swedish landlord that looks real to a first visitor, made in a few seconds:
 * the pictures' thumbnails are queued as jobs, which the server's job workers make
 * once it listens, exactly as after an upload (until then a picture's links serve the
 * original).
 *
 * What it holds: fourteen estates on real streets in nine municipalities (Stockholm,
 * Göteborg, Malmö, Uppsala, Västerås, Örebro, Linköping, Umeå, Lund), each building
 * with two or three entrances (street numbers) and a postal code of its town from the
 * geography data (data/geo, core/geo/geo.h); one of them, in Uppsala, is a published
 * new-build project with two pictures of its own, whose apartments are project
 * rentals. Every apartment has a picture of its own drawn with libvips (its facade with
 * its window lit, the address, rooms, area and floor as text), stored through the same
 * storage, file reference and thumbnail job as an upload (listing_seed_store_picture)
 * and linked with inventory_media_create. The listings are made by listings_create as
 * the demo admin (the same rules and search cards as the API): a mix of candidate
 * sorting modes, requirement profiles for everyone, pets, seniors, students and youth,
 * short leases, access dates, quick apply, and two drafts that search does not show.
 *
 * The demo's people are in demo_users[]: the landlord admin, the accounts API's operator
 * and two market applicants (`rentd demo reset-passwords` walks the table).
 */
#ifndef RENTD_DEMO_SEED_H
#define RENTD_DEMO_SEED_H

#include "core/core.h"

#define DEMO_COMPANY_NAME "Demo Fastigheter AB"

/* DEMO_APPLICANT: a market applicant (seed/applicant_seed.h demo_applicants[], same e-mail) */
enum demo_user_kind { DEMO_LANDLORD, DEMO_AGENT, DEMO_APPLICANT };

struct demo_user {
	const char *username;
	const char *role; /* what the banner and the reset command call it */
	enum demo_user_kind kind;
};

extern const struct demo_user demo_users[];
extern const size_t demo_users_count;

struct demo_seed_result {
	int64_t estates, apartments, listings, drafts, pictures, projects, municipalities;
};

/* Fills the company (its admin: demo_users[0]) with the portfolio; geo_dir as for `rentd seed`. */
int demo_seed(struct core *c, struct arena *a, int64_t company_id, struct demo_seed_result *out, struct error *err);

/*
 * What public search shows now (POST /api/v3/cards/ with no filter, as an anonymous
 * caller): *total the number of cards, *project the id of the first project card (0: none).
 */
int demo_search_summary(struct core *c, struct arena *a, int64_t *total, int64_t *project, struct error *err);

#endif
