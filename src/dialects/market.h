/*
 * market.h — what every handler of the market dialect (Momentum Fastighet API v2, /v2/)
 * shares: its date formats, ids, numbers and the signed-in applicant.
 *
 * Dates (decisions.md M-08, momentum.md A.9), written as JSON strings from unix milliseconds:
 *   F1  "/Date(1785535200000)/"         market objects; with_offset: "/Date(…+0200)/" (the
 *                                       Europe/Stockholm offset) on #1 status and applicant/status
 *   F2  "2021-03-11T13:23:49.33+01:00"  applications and GET /v2/market/applicant: Stockholm
 *                                       local time, 0–3 fraction digits, trailing zeros dropped
 *   F3  "2023-05-22 23:59"              block.blockedUntilDate and checklist prose: Stockholm local
 * Ids and counts-as-text are strings (M-21); decimals have four digits ("4880.0000").
 *
 * The routes of /assets/app-settings.json live here too (market.c): the portal bootstrap of
 * M-33. The X-Api-Key check and the /{Env}/{Tenant}/PmApi/v2 prefix are the app's
 * (app/app.c), so every /v2/ route gets them without calling anything.
 */
#ifndef RENTD_DIALECTS_MARKET_H
#define RENTD_DIALECTS_MARKET_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "core/market/applicants.h"
#include "json/json_read.h"

void market_f1(struct jw *w, int64_t ms, bool with_offset);
void market_f2(struct jw *w, int64_t ms);
void market_f3(struct jw *w, int64_t secs);
/* F2/F3 text into buf (F2 needs 30 bytes, F3 17). */
void market_f2_text(int64_t ms, char *buf, size_t cap);
void market_f3_text(int64_t secs, char *buf, size_t cap);
void market_id(struct jw *w, int64_t id);
void market_decimal4(struct jw *w, double v);
/* size.roomsDisplayName "2 rum och kök" and, with_short, shortRoomsDisplayName "2 ROK" (M-03). */
void market_rooms_names(struct arena *a, struct jw *w, double rooms, bool with_short);
/* location.areaPath: the municipality, then its county. */
void market_area_path(struct jw *w, struct str municipality, struct str county);


/*
 * The signed-in applicant (an applicant token, AUTH_APPLICANT) loaded through core; 401
 * without one, or after a sign-out. ap->registered false: a consumer without a profile.
 */
int market_applicant(struct ctx *ctx, struct applicant *ap);

/* A reader over the body, which must be a JSON object (400 naming the body otherwise). */
int market_body(struct ctx *ctx, struct jr *r);

/*
 * The language of the texts an answer writes for people (the checklists' messages, the
 * screening's, the explained place: rentd's extension, docs/API.md): the one of Swedish and
 * English that Accept-Language weighs higher (RFC 9110 §12.4.2: q-values, the first at equal
 * weight, "en-GB" counts as "en"), Swedish — the market's own — when it names neither or is
 * absent. Texts written by landlords are never translated. The portal's first language is
 * chosen the same way (portal.c).
 */
enum lang market_accept_language(struct str header);
/* market_accept_language() of the request's Accept-Language. */
enum lang market_language(struct ctx *ctx);
/* Says so on an answer written in lang: Content-Language, and Vary: Accept-Language. */
void market_content_language(struct ctx *ctx, enum lang lang);

#endif
