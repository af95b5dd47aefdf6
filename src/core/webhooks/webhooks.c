/*
 * webhooks.c — a company's webhook subscriptions, their delivery log, and the requests
 * asked for by hand (webhooks.h, "Subscriptions"); the sending is webhook_send.c's.
 */
#include "core/webhooks/webhooks.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/identity/rights.h"
#include "core/transaction.h"
#include "core/webhooks/webhook_target.h"
#include "json/json_read.h" /* utf8_length */
#include "store/store_internal.h" /* uuid_v4, as events.c makes the outbox's uuids */
#include "store/store_jobs.h"
#include "store/webhooks/store_webhooks.h"

#define SECRET_PREFIX "whsec_"
#define SECRET_BYTES 32 /* 64 hex digits */

const char *const webhook_event_names[] = {
	[WEBHOOK_AGREEMENT_CREATED] = "agreement_created",
	[WEBHOOK_PROJECT_INTERACTION] = "project_interaction",
	[WEBHOOK_RESERVATION] = "reservation",
	[WEBHOOK_APPLICATION_SIGNATURE] = "application_signature",
	[WEBHOOK_SIGNING_COMPLETED] = "signing_completed",
	[WEBHOOK_EVENT_COUNT] = NULL,
};

#define EVENTS_ALL ((1u << WEBHOOK_EVENT_COUNT) - 1)

unsigned webhook_event_bit(struct str type)
{
	for (unsigned i = 0; i < WEBHOOK_EVENT_COUNT; i++)
		if (str_eq_cstr(type, webhook_event_names[i]))
			return 1u << i;
	return 0;
}

int webhooks_authorize(const struct caller *who, int64_t *company_id, struct error *err)
{
	if (who->kind != CALLER_EMPLOYEE)
		return error_set(err, ERROR_FORBIDDEN, NULL, "Webhooks are managed by a company's employees: you need the right: %s",
				 RIGHT_ORGANIZATION);
	if (caller_require_right(who, RIGHT_ORGANIZATION, err) < 0)
		return -1;
	*company_id = who->user.company_id;
	return 0;
}

static void from_row(struct webhook *out, const struct webhook_subscription_row *r)
{
	memset(out, 0, sizeof(*out));
	out->id = r->id;
	out->company_id = r->company_id;
	out->url = r->url;
	out->events = r->events;
	out->description = r->description;
	out->active = r->active;
	out->secret = STR_NULL;
	out->position = r->position;
	out->head_seq = r->head_seq;
	out->next_attempt_us = r->next_attempt_us;
	out->failing_since_us = r->failing_since_us;
	out->created_us = r->created_us;
	out->updated_us = r->updated_us;
}

/* "whsec_" and 64 hex digits of libsodium's randomness, in the arena. */
static struct str new_secret(struct arena *a)
{
	unsigned char raw[SECRET_BYTES];
	char *out = arena_alloc(a, sizeof(SECRET_PREFIX) - 1 + 2 * SECRET_BYTES + 1);

	randombytes_buf(raw, sizeof(raw));
	memcpy(out, SECRET_PREFIX, sizeof(SECRET_PREFIX) - 1);
	sodium_bin2hex(out + sizeof(SECRET_PREFIX) - 1, 2 * SECRET_BYTES + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return (struct str){ out, sizeof(SECRET_PREFIX) - 1 + 2 * SECRET_BYTES };
}

/* The members given, checked as webhooks.h says; every bad one is recorded, then -1. */
static int validate(struct arena *a, const struct webhook_input *in, bool create, struct error *err)
{
	const char *why;

	if (create && !in->has_url)
		error_field(err, "url", RULE_REQUIRED, "This field is required.");
	else if (in->has_url && utf8_length(in->url) > WEBHOOK_URL_MAX)
		error_field(err, "url", RULE_LENGTH, "must have at most %d characters", WEBHOOK_URL_MAX);
	else if (in->has_url && webhook_url_check(a, in->url, webhooks_settings(), &why) < 0)
		error_field(err, "url", RULE_FORMAT, "%s", why);

	if (create && !in->has_events)
		error_field(err, "event_types", RULE_REQUIRED, "This field is required.");
	else if (in->has_events && in->events == 0)
		error_field(err, "event_types", RULE_REQUIRED, "must name at least one event type");
	else if (in->has_events && (in->events & ~EVENTS_ALL))
		error_field(err, "event_types", RULE_ENUM, "must name event types of: agreement_created,"
			    " project_interaction, reservation, application_signature, signing_completed");

	if (in->has_description && utf8_length(in->description) > WEBHOOK_DESCRIPTION_MAX)
		error_field(err, "description", RULE_LENGTH, "must have at most %d characters",
			    WEBHOOK_DESCRIPTION_MAX);
	return error_failed(err) ? -1 : 0;
}

static int create_rows(struct core *c, struct arena *a, int64_t company_id, const struct webhook_subscription_fields *f,
		       struct str secret, struct webhook_subscription_row *row, struct error *err)
{
	int64_t n;

	if (store_webhook_count(c->store, company_id, &n, err) < 0)
		return -1;
	if (n >= WEBHOOK_SUBSCRIPTIONS_MAX)
		return error_set(err, ERROR_CONFLICT, "WebhookLimitReached",
				 "A company has at most %d webhook subscriptions; delete one first.",
				 WEBHOOK_SUBSCRIPTIONS_MAX);
	return store_webhook_insert(c->store, a, company_id, f, secret, core_now_us(), row, err);
}

int webhooks_create(struct core *c, struct arena *a, int64_t company_id, const struct webhook_input *in,
		    struct webhook *out, struct error *err)
{
	struct webhook_subscription_fields f = { 0 };
	struct webhook_subscription_row row;
	struct str secret;

	if (validate(a, in, true, err) < 0)
		return -1;
	f.url = in->url;
	f.events = in->events;
	f.description = in->has_description ? in->description : STR_LIT("");
	f.active = in->has_active ? in->active : true;
	secret = new_secret(a);
	IN_TRANSACTION(c, err, create_rows(c, a, company_id, &f, secret, &row, err));
	from_row(out, &row);
	out->secret = secret;
	return 0;
}

int webhooks_list(struct core *c, struct arena *a, int64_t company_id, struct webhook **out, size_t *n,
		  struct error *err)
{
	struct webhook_subscription_row *rows;

	*out = NULL;
	if (store_webhook_list(c->store, a, company_id, &rows, n, err) < 0)
		return -1;
	*out = arena_alloc(a, (*n + 1) * sizeof(**out));
	for (size_t i = 0; i < *n; i++)
		from_row(&(*out)[i], &rows[i]);
	return 0;
}

int webhooks_get(struct core *c, struct arena *a, int64_t company_id, int64_t id, struct webhook *out,
		 struct error *err)
{
	struct webhook_subscription_row row;

	if (store_webhook_get(c->store, a, company_id, id, &row, err) < 0)
		return -1;
	from_row(out, &row);
	return 0;
}

static int update_rows(struct core *c, struct arena *a, int64_t company_id, int64_t id, const struct webhook_input *in,
		       struct error *err)
{
	struct webhook_subscription_row row;
	struct webhook_subscription_fields f;

	if (store_webhook_get(c->store, a, company_id, id, &row, err) < 0)
		return -1;
	f.url = in->has_url ? in->url : row.url;
	f.events = in->has_events ? in->events : row.events;
	f.description = in->has_description ? in->description : row.description;
	f.active = in->has_active ? in->active : row.active;
	if (store_webhook_update(c->store, company_id, id, &f, core_now_us(), err) < 0)
		return -1;
	/* a new URL is tried at once: the sending job comes now if something waits */
	return in->has_url ? webhooks_queue_pending(c, err) : 0;
}

int webhooks_update(struct core *c, struct arena *a, int64_t company_id, int64_t id,
		    const struct webhook_input *in, struct webhook *out, struct error *err)
{
	if (validate(a, in, false, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, update_rows(c, a, company_id, id, in, err));
	return webhooks_get(c, a, company_id, id, out, err);
}

int webhooks_delete(struct core *c, struct arena *a, int64_t company_id, int64_t id, struct error *err)
{
	(void)a;
	IN_TRANSACTION(c, err, store_webhook_delete(c->store, company_id, id, err));
	return 0;
}

int webhooks_rotate_secret(struct core *c, struct arena *a, int64_t company_id, int64_t id,
			   struct webhook *out, struct error *err)
{
	struct str secret = new_secret(a);
	int64_t now = core_now_us();

	IN_TRANSACTION(c, err,
		       store_webhook_rotate(c->store, company_id, id, secret,
					    now + (int64_t)WEBHOOK_ROTATION_OVERLAP * 1000000, now, err));
	if (webhooks_get(c, a, company_id, id, out, err) < 0)
		return -1;
	out->secret = secret;
	return 0;
}

int webhooks_deliveries(struct core *c, struct arena *a, int64_t company_id, int64_t id, int64_t offset,
			int64_t amount, struct webhook_delivery **out, size_t *n, int64_t *total, struct error *err)
{
	struct webhook_subscription_row sub;
	struct webhook_delivery_row *rows;

	*out = NULL;
	*n = 0;
	*total = 0;
	if (offset < 0)
		offset = 0;
	if (amount <= 0)
		amount = WEBHOOK_DELIVERIES_AMOUNT_DEFAULT;
	if (amount > WEBHOOK_DELIVERIES_AMOUNT_MAX)
		amount = WEBHOOK_DELIVERIES_AMOUNT_MAX;
	if (store_webhook_get(c->store, a, company_id, id, &sub, err) < 0 ||
	    store_webhook_deliveries(c->store, a, id, offset, amount, &rows, n, total, err) < 0)
		return -1;
	*out = arena_alloc(a, (*n + 1) * sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		const struct webhook_delivery_row *r = &rows[i];
		(*out)[i] = (struct webhook_delivery){
			.id = r->id,
			.subscription_id = r->subscription_id,
			.event_seq = r->event_seq,
			.event_uuid = r->event_uuid,
			.event_type = r->event_type,
			.attempt = r->attempt,
			.manual = r->manual,
			.attempted_us = r->attempted_us,
			.outcome = r->outcome,
			.status = r->status,
			.latency_us = r->latency_us,
			.error = r->error,
			.response = r->response,
		};
	}
	return 0;
}

/* Queues one WEBHOOK_JOB_SEND with this payload (inside the caller's transaction). */
static int queue_send(struct core *c, const char *payload, struct error *err)
{
	return store_job_insert(c->store, WEBHOOK_JOB_SEND, str_from_cstr(payload), core_now(), err);
}

static void wake_workers(struct core *c)
{
	if (c->jobs_wake)
		c->jobs_wake(c->jobs_wake_arg);
}

static int test_rows(struct core *c, struct arena *a, int64_t company_id, int64_t id, const char *payload,
		     struct error *err)
{
	struct webhook_subscription_row sub;

	if (store_webhook_get(c->store, a, company_id, id, &sub, err) < 0)
		return -1;
	return queue_send(c, payload, err);
}

int webhooks_test(struct core *c, struct arena *a, int64_t company_id, int64_t id, struct str *uuid,
		  struct error *err)
{
	char u[37];
	const char *payload;

	uuid_v4(u);
	payload = arena_printf(a, "%lld:test:%s:%lld", (long long)id, u, (long long)core_now_us());
	IN_TRANSACTION(c, err, test_rows(c, a, company_id, id, payload, err));
	wake_workers(c);
	*uuid = str_from_cstr(arena_strndup(a, u, strlen(u)));
	return 0;
}

static int redeliver_rows(struct core *c, struct arena *a, int64_t company_id, int64_t id, int64_t delivery_id,
			  struct str *uuid, struct error *err)
{
	struct webhook_subscription_row sub;
	struct webhook_delivery_row d;

	if (store_webhook_get(c->store, a, company_id, id, &sub, err) < 0 ||
	    store_webhook_delivery_get(c->store, a, id, delivery_id, &d, err) < 0)
		return -1;
	if (d.event_seq == 0)
		return error_set(err, ERROR_CONFLICT, "TestNotRedeliverable",
				 "A test event cannot be redelivered; send a new test.");
	*uuid = d.event_uuid;
	return queue_send(c, arena_printf(a, "%lld:%lld", (long long)id, (long long)d.event_seq), err);
}

int webhooks_redeliver(struct core *c, struct arena *a, int64_t company_id, int64_t id,
		       int64_t delivery_id, struct str *uuid, struct error *err)
{
	IN_TRANSACTION(c, err, redeliver_rows(c, a, company_id, id, delivery_id, uuid, err));
	wake_workers(c);
	return 0;
}
