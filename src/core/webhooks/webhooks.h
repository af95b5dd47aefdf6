/*
 * webhooks.h — the landlord's own systems hear the outbox's webhook events (issue 16;
 * homeq.md §13 with decision H-18's distinct type names, H-42; docs/WEBHOOKS.md).
 *
 * Subscriptions. A company's admin (right entity.organization) subscribes a URL to some of
 * the five event types. Every call is scoped to the caller's company: a subscription of
 * another company is ERROR_NOT_FOUND. The URL must be https (http only when the server runs
 * with --webhook-allow-http), without a fragment, at most WEBHOOK_URL_MAX characters; an IP
 * literal of a private, loopback, link-local or otherwise non-public range is refused at once
 * (names are checked on every attempt, on the address actually connected). The secret
 * ("whsec_" and 64 hex digits) is shown by create and by rotate only; a rotation keeps
 * signing with the previous secret too for WEBHOOK_ROTATION_OVERLAP seconds.
 * A new or re-activated subscription starts at the outbox's end: it is sent what is
 * recorded from then on, never the history.
 *
 * Delivery (core/webhooks/webhook_send.c). events_append() calls webhooks_event_appended()
 * in the appending transaction: each active subscription of the event's company that wants
 * its type gets head_seq = the event's seq, and the one sending job (WEBHOOK_JOB_DELIVERY)
 * is queued. The job, run by a job worker, sends with libcurl's multi interface: up to
 * webhook_settings.concurrency subscriptions at once, one request in flight per
 * subscription, in outbox order. A 2xx answer moves the subscription's position past the
 * event; anything else (a status, a timeout, a refused address) records the attempt and
 * holds the subscription until now + retry_interval, when the same event is sent again; an
 * event older than give_up when its attempt fails is given up (recorded) and the next one
 * follows. Each attempt is a row of the delivery log. A process killed between a send and
 * its record sends the event again: delivery is at least once, `uuid` is the receiver's
 * de-duplication key.
 *
 * The request: POST, Content-Type: application/json, the body the §13 payload with its
 * `uuid`; headers Idempotency-Key: <uuid>, X-Webhook-Event: <type>, X-Webhook-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret> (a second v1 with
 * the previous secret during a rotation). Redirects are not followed; at most
 * WEBHOOK_RESPONSE_KEEP bytes of the answer are kept and WEBHOOK_RESPONSE_READ read.
 */
#ifndef RENTD_WEBHOOKS_H
#define RENTD_WEBHOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/core.h"
#include "core/identity/auth.h"
#include "core/job_kind.h"
#include "store/store_events.h"

#define WEBHOOK_URL_MAX 2048
#define WEBHOOK_DESCRIPTION_MAX 256
#define WEBHOOK_SUBSCRIPTIONS_MAX 25       /* per company */
#define WEBHOOK_ROTATION_OVERLAP (24 * 3600) /* seconds the previous secret still signs */
#define WEBHOOK_RESPONSE_KEEP 1024          /* bytes of an answer kept in the delivery log */
#define WEBHOOK_RESPONSE_READ (64 * 1024)   /* bytes of an answer read before the connection is dropped */
#define WEBHOOK_LOG_KEEP_DAYS 30 /* the delivery log forgets older attempts (each sending run prunes a little) */
#define WEBHOOK_DELIVERIES_AMOUNT_DEFAULT 50
#define WEBHOOK_DELIVERIES_AMOUNT_MAX 500

/*
 * The job kinds: the ordered sending (one job, payload ""), and one request asked for, whose
 * payload is "<subscription id>:<event seq>" for a redelivery or
 * "<subscription id>:test:<uuid>:<created µs>" for a test event.
 */
#define WEBHOOK_JOB_DELIVERY "webhook_delivery"
#define WEBHOOK_JOB_SEND "webhook_send"

/* The event types a subscription may choose (H-18), a bit each in this order. */
enum webhook_event {
	WEBHOOK_AGREEMENT_CREATED,
	WEBHOOK_PROJECT_INTERACTION,
	WEBHOOK_RESERVATION,
	WEBHOOK_APPLICATION_SIGNATURE,
	WEBHOOK_SIGNING_COMPLETED,
	WEBHOOK_EVENT_COUNT
};
/* "agreement_created", … in enum order, NULL-terminated. */
extern const char *const webhook_event_names[];
/* The bit of a type name; 0 when it is none of them. */
unsigned webhook_event_bit(struct str type);

/* How the server sends (configuration: docs/WEBHOOKS.md); set once before the job runs. */
struct webhook_settings {
	bool allow_http;        /* --webhook-allow-http: http:// URLs too (development) */
	bool allow_loopback;    /* --webhook-allow-loopback: 127.0.0.0/8 and ::1 may be connected (tests) */
	int64_t retry_interval; /* seconds between attempts at a failing event (300) */
	int64_t give_up;        /* seconds after an event's creation when a failed attempt is its last (7 days) */
	int64_t timeout;        /* seconds a whole request may take (10, H-42) */
	int64_t connect_timeout; /* seconds to connect (5) */
	unsigned concurrency;   /* subscriptions sent to at once by one job (16) */
	const char *resolve;    /* RENTD_WEBHOOK_RESOLVE (tests): "host:port:address[,…]" pinned names */
};
void webhooks_configure(const struct webhook_settings *s);
const struct webhook_settings *webhooks_settings(void);

struct webhook {
	int64_t id;
	int64_t company_id;
	struct str url;
	unsigned events; /* bits of enum webhook_event */
	struct str description;
	bool active;
	struct str secret; /* filled by create and rotate only; else STR_NULL */
	int64_t position, head_seq;
	int64_t next_attempt_us;  /* 0: not waiting */
	int64_t failing_since_us; /* 0: not failing */
	int64_t created_us, updated_us;
};

/* What create and update were given; has_* false: not given (update keeps it). */
struct webhook_input {
	bool has_url, has_events, has_description, has_active;
	struct str url;
	unsigned events; /* at least one bit */
	struct str description;
	bool active;
};

/*
 * The company whose subscriptions the caller manages: an employee with entity.organization
 * (else ERROR_FORBIDDEN naming the right); anyone else ERROR_FORBIDDEN. The command line
 * (cli.c) names the company itself. Every call below is scoped to that company_id.
 */
int webhooks_authorize(const struct caller *who, int64_t *company_id, struct error *err);

/*
 * Validation names the member: "url" (required on create; RULE_FORMAT for a bad URL, a scheme
 * that is not allowed or a refused address; RULE_LENGTH), "event_types" (required, RULE_ENUM
 * for a name that is none of the five, at least one), "description" (RULE_LENGTH). A company
 * with WEBHOOK_SUBSCRIPTIONS_MAX subscriptions gets ERROR_CONFLICT.
 */
int webhooks_create(struct core *c, struct arena *a, int64_t company_id, const struct webhook_input *in,
		    struct webhook *out, struct error *err);
int webhooks_list(struct core *c, struct arena *a, int64_t company_id, struct webhook **out, size_t *n,
		  struct error *err);
int webhooks_get(struct core *c, struct arena *a, int64_t company_id, int64_t id, struct webhook *out,
		 struct error *err);
int webhooks_update(struct core *c, struct arena *a, int64_t company_id, int64_t id,
		    const struct webhook_input *in, struct webhook *out, struct error *err);
int webhooks_delete(struct core *c, struct arena *a, int64_t company_id, int64_t id, struct error *err);
/* A new secret (out->secret); the old one signs too for WEBHOOK_ROTATION_OVERLAP seconds. */
int webhooks_rotate_secret(struct core *c, struct arena *a, int64_t company_id, int64_t id,
			   struct webhook *out, struct error *err);

/* One row of the delivery log. */
struct webhook_delivery {
	int64_t id;
	int64_t subscription_id;
	int64_t event_seq; /* 0: a test event */
	struct str event_uuid;
	struct str event_type;
	int64_t attempt;
	bool manual;
	int64_t attempted_us;
	struct str outcome; /* delivered, failed, gave_up, refused */
	int status;         /* HTTP status; 0: no answer */
	int64_t latency_us;
	struct str error;
	struct str response; /* at most WEBHOOK_RESPONSE_KEEP bytes */
};

/* The log, newest first (offset/amount), and its total. */
int webhooks_deliveries(struct core *c, struct arena *a, int64_t company_id, int64_t id, int64_t offset,
			int64_t amount, struct webhook_delivery **out, size_t *n, int64_t *total, struct error *err);

/*
 * Queues one request outside the order (WEBHOOK_JOB_SEND): a test event ("type": "ping",
 * a fresh uuid in *uuid) or the event of one logged delivery again (redeliver; its uuid). A
 * delivery of another subscription is ERROR_NOT_FOUND; a test delivery cannot be redelivered
 * (ERROR_CONFLICT: send a new test). The attempt is logged as manual; positions do not move.
 */
int webhooks_test(struct core *c, struct arena *a, int64_t company_id, int64_t id, struct str *uuid,
		  struct error *err);
int webhooks_redeliver(struct core *c, struct arena *a, int64_t company_id, int64_t id,
		       int64_t delivery_id, struct str *uuid, struct error *err);

/*
 * Called by events_append() inside the appending transaction, for every event: does nothing
 * unless its type is a webhook type; else sets head_seq of the company's active subscriptions
 * that want it and queues the sending job.
 */
int webhooks_event_appended(struct core *c, const struct event_new *e, int64_t seq, struct error *err);

/*
 * At a server's start: queues the sending job when a subscription has something to send (a
 * job that failed for good on a database error leaves its events to the next start, or to
 * the next event, else).
 */
int webhooks_resume(struct core *c, struct error *err);
/* The same inside the caller's transaction (a subscription whose URL changed is tried at once). */
int webhooks_queue_pending(struct core *c, struct error *err);

/* The job kinds (WEBHOOK_JOB_DELIVERY, WEBHOOK_JOB_SEND), registered by wiring/server.c. */
extern const struct job_kind webhook_job_kinds[];
extern const size_t webhook_job_kinds_count;

#endif
