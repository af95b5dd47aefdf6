/*
 * store_webhooks.h — the rows of a company's webhook subscriptions and of their delivery
 * log (migration 0028), for core/webhooks/webhooks.c's API; the sender's own statements are
 * in store_webhook_send.h. Every read and write of a subscription is scoped to its company:
 * another company's id is ERROR_NOT_FOUND, as an unknown one.
 *
 * A new subscription, and one made active again, starts at the outbox's end: position =
 * head_seq = the newest events.seq, so it is sent only what is recorded from then on.
 * Times are µs since the epoch, given by the caller (core_now_us()).
 */
#ifndef RENTD_STORE_WEBHOOKS_H
#define RENTD_STORE_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/* One subscription, without its secrets (only insert and rotate are given the secret). */
struct webhook_subscription_row {
	int64_t id;
	int64_t company_id;
	struct str url;
	unsigned events; /* bits of core/webhooks/webhooks.h's enum webhook_event */
	struct str description;
	bool active;
	int64_t position, head_seq;
	int64_t next_attempt_us;  /* 0: not waiting */
	int64_t failing_since_us; /* 0: not failing */
	int64_t created_us, updated_us;
};

/* What a subscription is made or changed with. */
struct webhook_subscription_fields {
	struct str url;
	unsigned events;
	struct str description;
	bool active;
};

/* A new subscription with this secret, at the outbox's end; *out the row written. */
int store_webhook_insert(struct store *s, struct arena *a, int64_t company_id,
			 const struct webhook_subscription_fields *f, struct str secret, int64_t now_us,
			 struct webhook_subscription_row *out, struct error *err);
/* How many subscriptions the company has. */
int store_webhook_count(struct store *s, int64_t company_id, int64_t *n, struct error *err);
/* The company's subscriptions by id. */
int store_webhook_list(struct store *s, struct arena *a, int64_t company_id, struct webhook_subscription_row **out,
		       size_t *n, struct error *err);
int store_webhook_get(struct store *s, struct arena *a, int64_t company_id, int64_t id,
		      struct webhook_subscription_row *out, struct error *err);
/*
 * Writes every field of f. Made active again (it was not): back at the outbox's end, not
 * failing. A changed URL is tried at once (next_attempt_us 0).
 */
int store_webhook_update(struct store *s, int64_t company_id, int64_t id, const struct webhook_subscription_fields *f,
			 int64_t now_us, struct error *err);
/* Deletes it and its delivery log; its queued sends find no subscription and do nothing. */
int store_webhook_delete(struct store *s, int64_t company_id, int64_t id, struct error *err);
/* secret becomes the signing secret; the one it replaces still signs until previous_until_us. */
int store_webhook_rotate(struct store *s, int64_t company_id, int64_t id, struct str secret,
			 int64_t previous_until_us, int64_t now_us, struct error *err);

/* One attempt of the delivery log. */
struct webhook_delivery_row {
	int64_t id;
	int64_t subscription_id;
	int64_t event_seq; /* 0: a test event */
	struct str event_uuid;
	struct str event_type;
	int64_t attempt;
	bool manual;
	int64_t attempted_us;
	struct str outcome;
	int status;
	int64_t latency_us;
	struct str error;
	struct str response;
};

/* A subscription's log, newest first, from offset, at most amount rows; *total all its rows. */
int store_webhook_deliveries(struct store *s, struct arena *a, int64_t subscription_id, int64_t offset,
			     int64_t amount, struct webhook_delivery_row **out, size_t *n, int64_t *total,
			     struct error *err);
/* One row of the subscription's log (a row of another subscription is ERROR_NOT_FOUND). */
int store_webhook_delivery_get(struct store *s, struct arena *a, int64_t subscription_id, int64_t id,
			       struct webhook_delivery_row *out, struct error *err);

#endif
