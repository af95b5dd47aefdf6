-- 0005 on PostgreSQL: INTEGER → BIGINT; otherwise the same.

-- Requests counted for rate limits (decisions.md H-39): one row per request of a
-- key ("staticmap:user:12", "staticmap:addr:192.0.2.7") until it leaves the
-- sliding window. Counted here, not in memory, so that several rentd processes
-- behind one load balancer share the count.
CREATE TABLE rate_hits (
	key TEXT NOT NULL,
	expires BIGINT NOT NULL -- unix seconds: the request's time plus the window
);
CREATE INDEX rate_hits_key ON rate_hits(key, expires);
CREATE INDEX rate_hits_expires ON rate_hits(expires);
