-- 0029 on PostgreSQL: the notifications kind CHECK replaced in place (SQLite rebuilds the table for it).

-- Following a project and stopping (issue 16; homeq.md §13 #2, the project_interaction
-- webhook event of decision H-18; docs/WIDGET.md, docs/DECISIONS.md).
--
-- A new sign-up gets a one-time unsubscribe link; only the hex SHA-256 of its token is kept
-- (as invitations keep theirs), so a copy of the database holds no usable link. Using the
-- link deletes the row. Sign-ups made before this migration have no token (NULL): they were
-- never e-mailed a link. user_id is the signed-in consumer who signed up with their own
-- address (NULL: an anonymous sign-up), so the UNSUBSCRIBED event names the same person as
-- the SUBSCRIBED one; erasing the user forgets the link.
ALTER TABLE project_interest ADD COLUMN token_hash TEXT;
ALTER TABLE project_interest ADD COLUMN user_id BIGINT REFERENCES users(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX project_interest_token ON project_interest(token_hash) WHERE token_hash IS NOT NULL;

-- The confirmation of a new sign-up, with its unsubscribe link, goes through the notification
-- outbox too (core/accounts/notify.h): kind 'interest_confirmation'.
-- (SQLite changes a CHECK only by rebuilding the table; PostgreSQL replaces the constraint.)
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
	ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('invitation', 'availability_reminder', 'letting_offer', 'letting_allocated',
		'letting_not_allocated', 'letting_rejected', 'letting_cancelled', 'interest_confirmation'));
