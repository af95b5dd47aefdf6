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
ALTER TABLE project_interest ADD COLUMN user_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX project_interest_token ON project_interest(token_hash) WHERE token_hash IS NOT NULL;

-- The confirmation of a new sign-up, with its unsubscribe link, goes through the notification
-- outbox too (core/accounts/notify.h): kind 'interest_confirmation'.
-- SQLite changes a CHECK only by rebuilding the table.
CREATE TABLE notifications__rebuilt (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL CHECK (kind IN ('invitation', 'availability_reminder', 'letting_offer', 'letting_allocated',
		'letting_not_allocated', 'letting_rejected', 'letting_cancelled', 'interest_confirmation')),
	company_id INTEGER REFERENCES companies(id),
	invitation_id INTEGER REFERENCES invitations(id) ON DELETE CASCADE,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	link TEXT,
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'logged', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	actor_user_id INTEGER,                    -- who asked (the reminder's event names them)
	actor_identity TEXT NOT NULL DEFAULT '',
	actor_email TEXT NOT NULL DEFAULT '',
	actor_name TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	sent_at INTEGER
);
INSERT INTO notifications__rebuilt (id, kind, company_id, invitation_id, recipient, subject, body, link, state, attempts, last_error, actor_user_id, actor_identity, actor_email, actor_name, created_at, sent_at) SELECT id, kind, company_id, invitation_id, recipient, subject, body, link, state, attempts, last_error, actor_user_id, actor_identity, actor_email, actor_name, created_at, sent_at FROM notifications;
DROP INDEX notifications_invitation;
DROP TABLE notifications;
ALTER TABLE notifications__rebuilt RENAME TO notifications;
CREATE INDEX notifications_invitation ON notifications(invitation_id);
