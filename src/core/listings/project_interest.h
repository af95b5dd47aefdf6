/*
 * project_interest.h — people interested in a project leave their e-mail address on the
 * project's interest page (the seed's iframe, homeq.md §11g), and the landlord reads the
 * list (docs/WIDGET.md, docs/API.md).
 *
 * Sign-ups are public: anyone may sign up for a published project that is not closed;
 * any other project is ERROR_NOT_FOUND, so unpublished projects cannot be probed. An
 * address is stored only with consent, once per project (case-insensitively), with the
 * time of its latest consent. Sign-up attempts are rate-limited per client address.
 *
 * Following (issue 16, homeq.md §13 #2): a sign-up that makes a new row is a SUBSCRIBED
 * project_interaction event (core/listings/project_interest_events.h) and a confirmation
 * e-mail with a one-time unsubscribe link, both in the sign-up's transaction; a repeated
 * sign-up of an address already on the list only renews its consent (no event, no e-mail).
 * The link, <public-url>INTEREST_UNSUBSCRIBE_PATH?token=…, ends the follow: the row is deleted
 * and an UNSUBSCRIBED event recorded in one transaction. Only the token's SHA-256 is stored
 * (core/accounts/notify.h's token helpers). Looking a token up never needs the project to be
 * open: the followers of a closed project can still leave.
 *
 * The landlord list follows the project rules of core/listings/projects.h: employees only (403),
 * the right entity.Project.update (403 naming it), and a project of another company or
 * outside the caller's office subtree is ERROR_NOT_FOUND.
 */
#ifndef RENTD_PROJECT_INTEREST_H
#define RENTD_PROJECT_INTEREST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/identity/auth.h"
#include "core/core.h"
#include "store/listings/store_project_interest.h"

/* RFC 5321: a path holds at most 254 characters of address, a local part at most 64. */
#define INTEREST_EMAIL_MAX 254
#define INTEREST_LOCAL_MAX 64
/* Sign-up attempts per client address: a household behind one address fits, a script does not. */
#define RATELIMIT_INTEREST_LIMIT 10
#define RATELIMIT_INTEREST_WINDOW 600
/* The landlord list pages with offset/amount. */
#define INTEREST_AMOUNT_DEFAULT 1000
#define INTEREST_AMOUNT_MAX 10000

/* Where the e-mailed link points (dialects/widgets.c serves it). */
#define INTEREST_UNSUBSCRIBE_PATH "/widgets/project/unsubscribe"

/*
 * A sign-up as submitted; consent: -1 absent, 0 refused, 1 given. locale: the e-mail's
 * language ("sv…" Swedish, else English). person: the signed-in consumer making it (NULL:
 * anonymous); its names and personal number go into the event only when email is the
 * person's own address (users.email or the username, case-insensitively) — else the
 * sign-up is anonymous, so no one's identity is tied to an address that is not theirs.
 */
struct interest_signup {
	struct str email;
	int consent;
	struct str locale;
	const struct user *person;
};

/* The project whose page may be shown: published and not closed, else ERROR_NOT_FOUND. */
int project_interest_page(struct core *c, struct arena *a, int64_t project_id, struct interest_project *out,
			  struct error *err);

/*
 * Records a sign-up in one transaction. Checks in this order: the rate limit of
 * client_addr (ERROR_RATE_LIMITED with retry_after), the project (as for the page; *project
 * is filled when it may be shown), then the fields: "email" (required, an address of at most
 * INTEREST_EMAIL_MAX ASCII characters) and "consent" (required, must be given) — every bad
 * field is reported at once. in->email is trimmed first.
 */
int project_interest_signup(struct core *c, struct arena *a, struct str client_addr, int64_t project_id,
			    const struct interest_signup *in, struct interest_project *project, struct error *err);

/* What an unsubscribe token names: the address and its project (any state). */
struct interest_unsubscribe {
	struct str email;
	struct interest_project project;
};

/*
 * The sign-up of an unsubscribe token, changing nothing (the confirmation page: a GET must
 * not unsubscribe, mail scanners open links). token missing or empty: ERROR_VALIDATION on
 * "token" (RULE_REQUIRED); not of the token's shape: RULE_FORMAT; no sign-up has it (used
 * already, or never made): ERROR_NOT_FOUND.
 */
int project_interest_unsubscribe_check(struct core *c, struct arena *a, struct str token,
				       struct interest_unsubscribe *out, struct error *err);

/* Deletes the sign-up of token and records UNSUBSCRIBED, in one transaction; errors as above. */
int project_interest_unsubscribe(struct core *c, struct arena *a, struct str token, struct interest_unsubscribe *out,
				 struct error *err);

/* True when s (already trimmed) is an address we accept. */
bool project_interest_email_ok(struct str s);

/* The landlord's list of a project's sign-ups (see the rules above). */
int project_interest_list(struct core *c, struct arena *a, const struct caller *who, int64_t project_id,
			  int64_t offset, int64_t amount, struct project_interest **out, size_t *n, int64_t *total,
			  struct error *err);

#endif
