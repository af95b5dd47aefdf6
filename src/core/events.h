/*
 * events.h — the one event outbox of rentd (decisions.md, "One event outbox").
 *
 * Every change that a domain event describes appends its event in the same store
 * transaction as the change: events_append() must be called between store_begin() and
 * store_commit() of the writing operation, so an event exists if and only if its change
 * was committed. Rows are numbered by a monotonic seq; consumers (the accounts
 * changelog, the landlord webhooks later) read forward from their own stored position.
 *
 * The payload is the event's published JSON (for the accounts dialect: the domain-event
 * body of spotahome.md §5 with its own occurredOn format, S-36); before/after are the
 * changed members as JSON text for the changelog (S-49).
 */
#ifndef RENTD_EVENTS_H
#define RENTD_EVENTS_H

#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/core.h"
#include "store/store_events.h"

/* struct event_actor, event_new and event_row are defined in store/store_events.h. */

/* occurredOn formats of S-36 */
enum event_time_format {
	EVENT_TIME_0000,  /* 2017-06-30T14:08:48+0000 */
	EVENT_TIME_00_00, /* 2017-08-18T13:37:36+00:00 */
	EVENT_TIME_PHP,   /* "2017-07-20 14:09:40.000000" (the date member of the PHP DateTime object) */
	EVENT_TIME_Z,     /* 2017-08-18T13:37:36Z: HomeQ's webhook `created` (H-44) */
};
/* The instant us in format f, in the arena. */
const char *events_time(struct arena *a, int64_t us, enum event_time_format f);

/*
 * A stored UTC timestamp ("2024-01-02T03:04:05Z", a fraction allowed and dropped) with
 * format f's zone ("+0000" for EVENT_TIME_0000, else "+00:00", S-36); other text stays,
 * ptr NULL stays NULL.
 */
struct str events_stored_time(struct arena *a, struct str stored, enum event_time_format f);

/* Appends one event inside the caller's open transaction; *seq (may be NULL) gets its number. */
int events_append(struct core *c, const struct event_new *e, int64_t *seq, struct error *err);

/*
 * One page of the accounts changelog (the outbox's account and contact events, not e.g. the
 * market's application events), newest first: company_id 0 = every company;
 * offset/limit page it; *total counts all matching rows (kept cheap for 10^6 events).
 */
int events_page(struct core *c, struct arena *a, int64_t company_id, int64_t offset, int64_t limit,
		struct event_row **rows, size_t *n, int64_t *total, struct error *err);

/*
 * Consumers with their own positions: events after the consumer's position, oldest
 * first (at most limit); events_ack() stores the new position.
 */
int events_read(struct core *c, struct arena *a, const char *consumer, int64_t limit, struct event_row **rows,
		size_t *n, struct error *err);
int events_ack(struct core *c, const char *consumer, int64_t seq, struct error *err);

/*
 * GDPR erasure (AccountWasObfuscated, ContactWasObfuscated): inside the caller's
 * transaction, replaces the personal members (names, e-mail addresses, phones,
 * addresses, zip codes, notes, positions, free texts) of the stored payloads and
 * before/after texts of the company's events — only those of one aggregate when
 * aggregate is not NULL — by null, keeping the rest of the history. For a whole account
 * (aggregate NULL) it also blanks the actor e-mail and name where one of the company's
 * own users acted, and drops the company's queued e-mails and invitations (core/accounts/notify.h).
 * Within other events of the company, only the objects naming the aggregate
 * ({"id": …} or {"<aggregate>Id": …}, e.g. a contact inside AccountWasCreated) are redacted.
 */
int events_redact(struct core *c, int64_t company_id, const char *aggregate, struct str aggregate_id,
		  struct error *err);

#endif
