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
 *
 * The link is <public-url>/invitations/<token>: 32 random bytes, base64url. Accepting it
 * (notify_invitation_accept) sets the user's password once and marks the invitation
 * used, in one transaction; an unknown token is ERROR_NOT_FOUND, a used or expired one
 * ERROR_PRECONDITION with code InvitationUsed / InvitationExpired.
 *
 * Availability reminders (the seed's UpdateAvailabilitiesNotificationWasSent) queue an
 * e-mail to an account's booking contact; delivering it (or handing it to the log)
 * records the event and companies.availabilities_notified_at in the transaction that
 * marks the notification done.
 *
 * Delivery is at least once: a worker that dies between the SMTP conversation and its
 * commit sends the e-mail again on the job's next attempt.
 */
#ifndef RENTD_NOTIFY_H
#define RENTD_NOTIFY_H

#include <stdbool.h>

#include "core/core.h"
#include "core/events.h"
#include "core/job_kind.h"
#include "store/accounts/store_notify.h"

#define NOTIFY_INVITATION_TTL (7 * 24 * 3600) /* seconds an invitation link is valid */
#define NOTIFY_TOKEN_LEN 43                   /* base64url of 32 bytes, no padding */
#define NOTIFY_JOB_KIND "notification"        /* job payload: a notifications id */
#define NOTIFY_PASSWORD_MIN 8                 /* the password rules of `rentd employee password` */
#define NOTIFY_PASSWORD_MAX 1024

/*
 * One-time link tokens (invitations, project interest unsubscribe links): 32 random bytes
 * as base64url (NOTIFY_TOKEN_LEN characters). Only the hex SHA-256 is stored, so a copy of
 * the database holds no usable link; notify_token_shaped() tells whether text can be one at
 * all, before anything is looked up.
 */
void notify_token_new(char out[NOTIFY_TOKEN_LEN + 1]);
struct str notify_token_hash(struct arena *a, struct str token);
bool notify_token_shaped(struct str token);

/* Inside the caller's transaction. */
int notify_invite(struct core *c, struct arena *a, int64_t user_id, struct str email, struct str locale,
		  struct error *err);

/*
 * Whether token names a usable invitation (before the slow password hash is made);
 * *email (may be NULL) gets the invited address.
 */
int notify_invitation_check(struct core *c, struct arena *a, struct str token, struct str *email,
			    struct error *err);
/* Sets the invited user's password hash and marks the invitation used (one transaction). */
int notify_invitation_accept(struct core *c, struct arena *a, struct str token, struct str password_hash,
			     struct error *err);

/* Queues an availability reminder to the account's booking contact (its own transaction). */
int notify_remind_availabilities(struct core *c, struct arena *a, int64_t company_id,
				 const struct event_actor *actor, struct error *err);

/*
 * The job: delivers one queued notification. last_attempt: the job queue will not try
 * again, so a failure marks the notification failed. A delivery failure is
 * ERROR_UNAVAILABLE (worth retrying); a notification that can never be sent is
 * ERROR_VALIDATION.
 */

/*
 * The letting process's e-mails to an applicant (issue 15), queued inside the caller's
 * transaction: an offer (with its answer deadline), "you got it", "you did not get it", a
 * rejected reservation (with the landlord's reason), a withdrawn listing. In Swedish, the
 * market's language; address is the applicant's e-mail (nothing is queued when it is empty).
 */
enum letting_mail { LETTING_OFFER, LETTING_ALLOCATED, LETTING_NOT_ALLOCATED, LETTING_REJECTED, LETTING_CANCELLED };
int notify_letting(struct core *c, struct arena *a, enum letting_mail kind, int64_t company_id, struct str address,
		   struct str first_name, struct str object, struct str detail, struct error *err);

/*
 * The project interest confirmation (issue 16), queued inside the caller's transaction: a
 * new sign-up is told that it follows project (of company) and gets the link that ends it
 * (link, also sent as the List-Unsubscribe header of RFC 2369 with RFC 8058's one-click
 * List-Unsubscribe-Post when it is https). locale "sv…" is Swedish, anything else English.
 */
int notify_interest(struct core *c, struct arena *a, int64_t company_id, struct str address, struct str locale,
		    struct str project, struct str company, struct str link, struct error *err);

int notify_deliver(struct core *c, struct arena *a, int64_t notification_id, bool last_attempt, struct error *err);

/* The notify area's job kind (core/job_kind.h): NOTIFY_JOB_KIND → notify_deliver(). */
extern const struct job_kind notify_job_kinds[];
extern const size_t notify_job_kinds_count;

/* Unused, unexpired invitations with their accounts and links (`rentd invitations list`). */
int notify_pending_invitations(struct core *c, struct arena *a, struct invitation_pending **out, size_t *n,
			       struct error *err);

#endif
