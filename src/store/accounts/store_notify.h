/*
 * store_notify.h — invitations and the notification outbox (migration 0010).
 *
 * core/accounts/notify.c decides what is sent to whom and when; these functions only write and
 * read rows. Strings of returned rows live in the caller's arena. Times are unix seconds.
 */
#ifndef RENTD_STORE_NOTIFY_H
#define RENTD_STORE_NOTIFY_H

#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

struct invitation {
	int64_t id;
	int64_t user_id;
	struct str email;
	int64_t created_at;
	int64_t expires_at;
	int64_t used_at; /* 0: not yet */
};

int store_invitation_insert(struct store *s, int64_t user_id, struct str email, struct str token_hash,
			    int64_t created_at, int64_t expires_at, int64_t *id, struct error *err);
/* ERROR_NOT_FOUND when no invitation has this token hash. */
int store_invitation_by_hash(struct store *s, struct arena *a, struct str token_hash, struct invitation *out,
			     struct error *err);
/* Marks it used at now if it is still unused and unexpired; *changed 0 otherwise. */
int store_invitation_use(struct store *s, int64_t id, int64_t now, int *changed, struct error *err);

/* A pending invitation with what the operator needs to pass it on. */
struct invitation_pending {
	struct invitation inv;
	struct str company_uuid; /* the account id ("" for a user without a company) */
	struct str company_name;
	struct str state;        /* its e-mail's state: queued, sent, logged, failed */
	struct str link;         /* NULL once the e-mail was delivered */
};
/* Unused, unexpired invitations, oldest first. */
int store_invitation_pending(struct store *s, struct arena *a, int64_t now, struct invitation_pending **rows,
			     size_t *n, struct error *err);

struct notification {
	int64_t id;
	struct str kind;      /* "invitation", "availability_reminder" */
	int64_t company_id;   /* 0: none */
	int64_t invitation_id; /* 0: none */
	struct str recipient;
	struct str subject;
	struct str body;
	struct str link;      /* STR_NULL: none */
	struct str state;
	int64_t attempts;
	int64_t actor_user_id; /* 0: the command line */
	struct str actor_identity;
	struct str actor_email;
	struct str actor_name;
	int64_t created_at;
};

int store_notification_insert(struct store *s, const struct notification *n, int64_t *id, struct error *err);
/* ERROR_NOT_FOUND when absent. */
int store_notification_get(struct store *s, struct arena *a, int64_t id, struct notification *out,
			   struct error *err);
/*
 * queued → sent (body and link dropped: the e-mail holds them now) or logged (kept for
 * `rentd invitations list`), at now; *changed 0 when it was no longer queued.
 */
int store_notification_finish(struct store *s, int64_t id, const char *state, int64_t now, int *changed,
			      struct error *err);
/* One more failed attempt; state failed when final. */
int store_notification_failed(struct store *s, int64_t id, struct str last_error, int final, struct error *err);

/* GDPR: drops the company's notifications and its users' invitations (they hold addresses and names). */
int store_notify_forget_company(struct store *s, int64_t company_id, struct error *err);

/* companies.availabilities_notified_at (the Account's lastUpdateAvailabilitiesNotificationDate). */
int store_company_set_availabilities_notified(struct store *s, int64_t company_id, int64_t at, struct error *err);

#endif
