/*
 * landlord.h — small pieces shared by the landlord dialect's files.
 */
#ifndef RENTD_LANDLORD_H
#define RENTD_LANDLORD_H

#include "app/app.h"
#include "json/json_read.h"

/* "a,b" → ["a","b"] */
void landlord_write_csv_array(struct jw *w, struct str csv);
/* "author": {"id", "name"} of the employee who wrote a note, or null (docs/DECISIONS.md). */
void landlord_write_author(struct jw *w, int64_t id, struct str name);
struct view3d;
/* A 3D view of an apartment or a project: {"id", "position", "title", "url"}. */
void landlord_write_view3d(struct jw *w, const struct view3d *v);
/* 200 {"results": [3D views…]}, the list of an apartment's or a project's views. */
void landlord_write_view3d_list(struct ctx *ctx, const struct view3d *list, size_t n);
/* An absolute URL: the configured public URL + path (printf-style). */
struct str landlord_url(struct ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct application_stats;
/*
 * ApplyStats (homeq.md §12.4) as member key: approval_status, with not_offered
 * approval_status_for_contract_not_offered, offer_status, and timestamp (the endpoint's
 * own time format, already written out).
 */
void landlord_write_apply_stats(struct jw *w, const char *key, const struct application_stats *s, bool not_offered,
				const char *timestamp);
/* A date-time member "YYYY-MM-DDTHH:MM:SSZ" (H-44) of µs since the epoch; 0 writes null. */
void landlord_kv_time_us(struct jw *w, const char *key, int64_t us);
struct webhook;
struct webhook_delivery;
/*
 * Webhooks (landlord_webhooks.c; also what `rentd webhook …` prints): a subscription, a list
 * of them {"results"}, and a page of a delivery log {"results", "total"}.
 */
void landlord_write_webhook(struct jw *w, const struct webhook *h);
void landlord_write_webhooks(struct jw *w, const struct webhook *list, size_t n);
void landlord_write_webhook_deliveries(struct jw *w, const struct webhook_delivery *list, size_t n, int64_t total);
/* A required positive-integer query parameter; 412 ValidationError naming it otherwise. */
int landlord_query_id(struct ctx *ctx, const char *name, bool required, int64_t *out);
/* An optional boolean query parameter (true|false|True|False|1|0; absent: false); a field error otherwise. */
void landlord_query_bool(struct ctx *ctx, const char *key, bool *out);
/* An optional integer query parameter in min..max (absent: def); a field error otherwise. */
void landlord_query_range(struct ctx *ctx, const char *key, int64_t min, int64_t max, int64_t def, int64_t *out);
/* Reads an array of strings (each 1..max_len) into the arena. */
int landlord_string_array(struct ctx *ctx, struct jr *r, const char *key, unsigned flags, size_t max_items,
			  size_t max_len, struct str **out, size_t *n);

#endif
