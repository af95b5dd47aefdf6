/*
 * notify.h — invitations and the durable notification outbox.
 *
 * An invitation is a one-time, expiring set-password link for a user created without a
 * usable password (an account's owner, created by POST /api/landlords/accounts with
 * isNotifiable). notify_invite() runs inside the caller's transaction: it stores the
 * invitation (only a hash of its token) and queues its e-mail in the notification
 * outbox, so the account and its invitation exist together or not at all. A job sends
 * queued e-mails by SMTP through libcurl when an SMTP URL is configured; otherwise the
 * link is logged for the operator and listed by `rentd invitations list`.
 */
#ifndef RENTD_NOTIFY_H
#define RENTD_NOTIFY_H

#include "core/core.h"

/* Inside the caller's transaction. */
int notify_invite(struct core *c, struct arena *a, int64_t user_id, struct str email, struct str locale,
		  struct error *err);

#endif
