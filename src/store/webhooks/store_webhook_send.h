/*
 * store_webhook_send.h — what the webhook sender reads and writes (migration 0028;
 * core/webhooks/webhook_send.c is the only caller): the appending transaction's mark, the
 * one sending job, the subscriptions with something to send, their next events, and the
 * record of each attempt.
 */
#ifndef RENTD_STORE_WEBHOOK_SEND_H
#define RENTD_STORE_WEBHOOK_SEND_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/*
 * In the appending transaction: head_seq = seq for the company's active subscriptions
 * wanting a type of this bit; *marked tells whether any does.
 */
int store_webhook_mark_head(struct store *s, int64_t company_id, unsigned bit, int64_t seq, bool *marked,
			    struct error *err);

/* Queues the one sending job (kind, payload "") to run at run_at: a done one comes back, a later one sooner. */
int store_webhook_queue_job(struct store *s, const char *kind, int64_t run_at, struct error *err);

/* A subscription as the sender needs it. */
struct webhook_target_row {
	int64_t id, company_id;
	struct str url;
	unsigned events;
	struct str secret, previous_secret; /* previous: STR_NULL when none */
	int64_t previous_until_us;
	int64_t position, head_seq, head_attempts;
	int64_t failing_since_us; /* 0: not failing */
};

/* Active subscriptions with events after their position and due (next_attempt_us <= now_us), oldest wait first. */
int store_webhook_due(struct store *s, struct arena *a, int64_t now_us, int64_t limit, struct webhook_target_row **out,
		      size_t *n, struct error *err);
/* One subscription of any state (a manual send); 0 when it is gone. */
int store_webhook_target(struct store *s, struct arena *a, int64_t id, struct webhook_target_row *out,
			 struct error *err);
/* The earliest next_attempt_us of an active subscription with something to send; 0 when none has. */
int store_webhook_next_due(struct store *s, int64_t *next_us, struct error *err);

/* An outbox event as it is sent. */
struct webhook_event_row {
	int64_t seq;
	struct str uuid, type, payload;
	int64_t occurred_us;
};

/* The company's webhook events with after < seq <= upto, oldest first, at most limit. */
int store_webhook_events(struct store *s, struct arena *a, int64_t company_id, int64_t after, int64_t upto,
			 int64_t limit, struct webhook_event_row **out, size_t *n, struct error *err);
/* One event of the company; 0 when there is none with that seq. */
int store_webhook_event(struct store *s, struct arena *a, int64_t company_id, int64_t seq,
			struct webhook_event_row *out, struct error *err);

/* One attempt for the log (a row of webhook_deliveries). */
struct webhook_attempt_row {
	int64_t subscription_id;
	int64_t event_seq; /* 0: a test event */
	struct str event_uuid, event_type;
	int64_t attempt;
	bool manual;
	int64_t attempted_us;
	const char *outcome;
	int status;
	int64_t latency_us;
	struct str error, response;
};
/* Logs a; nothing when the subscription is gone. */
int store_webhook_log(struct store *s, const struct webhook_attempt_row *a, struct error *err);

/* Removes the log's oldest rows (at most limit, in id order) attempted before before_us. */
int store_webhook_prune(struct store *s, int64_t before_us, int64_t limit, struct error *err);

/* Where the subscription stands after attempts: its position, head attempts, next attempt and failing since. */
int store_webhook_progress(struct store *s, int64_t id, int64_t position, int64_t head_attempts,
			   int64_t next_attempt_us, int64_t failing_since_us, struct error *err);

#endif
