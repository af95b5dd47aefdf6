-- 0028 on PostgreSQL: AUTOINCREMENT → identity, INTEGER → BIGINT.

-- Webhooks (issue 16; homeq.md §13, decisions H-18, H-42): a company's subscriptions, what
-- each has been sent, and the one durable job that sends (core/webhooks/webhooks.h).
--
-- A subscription reads the outbox like a consumer with a position of its own: the seq of the
-- last event it has handled (delivered, or given up on). head_seq is the seq of the newest
-- event it subscribes to, set by the appending transaction, so "has it anything to send" is
-- head_seq > position without reading the outbox. Deliveries go in outbox order, one request
-- in flight per subscription; a failure holds the subscription until next_attempt_us.
CREATE TABLE webhook_subscriptions (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
	url TEXT NOT NULL,
	event_types BIGINT NOT NULL,        -- a bit per type of webhook_event_names (core/webhooks/webhooks.h)
	description TEXT NOT NULL DEFAULT '',
	active BIGINT NOT NULL DEFAULT 1,
	secret TEXT NOT NULL,                -- "whsec_…": the HMAC key; the signature needs the key itself
	previous_secret TEXT,                -- the one before a rotation, still signed with until …
	previous_until_us BIGINT,           -- … this instant (µs)
	position BIGINT NOT NULL,           -- events.seq of the last event handled
	head_seq BIGINT NOT NULL,           -- events.seq of the newest event it subscribes to
	next_attempt_us BIGINT NOT NULL DEFAULT 0, -- the failing head event is retried from then on
	head_attempts BIGINT NOT NULL DEFAULT 0,    -- attempts made at the event after position
	failing_since_us BIGINT,            -- the first failed attempt at the head event; NULL: not failing
	created_us BIGINT NOT NULL,
	updated_us BIGINT NOT NULL
);
CREATE INDEX webhook_subscriptions_company ON webhook_subscriptions(company_id, id);
-- what the sender looks for: subscriptions with something to send
CREATE INDEX webhook_subscriptions_pending ON webhook_subscriptions(next_attempt_us) WHERE head_seq > position;

-- Every attempt, newest first per subscription (GET /api/v1/webhooks/{id}/deliveries/).
-- event_seq NULL: a test event. outcome: delivered (2xx), failed (will be retried), gave_up
-- (the event was older than the retry horizon), refused (the address was not allowed).
CREATE TABLE webhook_deliveries (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
	event_seq BIGINT,
	event_uuid TEXT NOT NULL,
	event_type TEXT NOT NULL,
	attempt BIGINT NOT NULL,            -- 1 for the first attempt at this event
	manual BIGINT NOT NULL DEFAULT 0,   -- 1: a test event or a redelivery asked for
	attempted_us BIGINT NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'gave_up', 'refused')),
	status BIGINT NOT NULL DEFAULT 0,   -- the HTTP status; 0: no answer
	latency_us BIGINT NOT NULL DEFAULT 0,
	error TEXT NOT NULL DEFAULT '',      -- why there was no 2xx ("timed out after 10 s", "address 10.0.0.1 is private")
	response TEXT NOT NULL DEFAULT ''    -- the answer's first bytes
);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, id);

-- The outbox's webhook events, by company: the sender reads a subscription's next events here
-- without stepping over the company's other events (applications write many).
CREATE INDEX events_webhook ON events(company_id, seq)
	WHERE type IN ('agreement_created', 'project_interaction', 'reservation', 'application_signature',
		       'signing_completed');

-- One sending job at a time (kind 'webhook_delivery', payload ''): the appending transaction
-- queues it with an upsert on this index, and it is one row that goes from done back to queued.
CREATE UNIQUE INDEX jobs_webhook_delivery ON jobs(payload) WHERE kind = 'webhook_delivery';
