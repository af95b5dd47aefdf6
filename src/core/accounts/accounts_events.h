/*
 * accounts_events.h — the domain events of accounts and contacts, for core/accounts/accounts.c and
 * core/accounts/notify.c (a delivered reminder's event).
 *
 * accounts.c and notify.c decide what changed; the functions here turn a change into its
 * events and append them (events_append) inside the operation's open transaction. This
 * header includes neither core/accounts/accounts.h nor core/accounts/notify.h, so notify.c (called by
 * accounts.c) reaches the accounts' events without including the accounts module. Each event's
 * payload is the published body of spotahome.md §5 (S-28…S-36, S-48), its before/after
 * the changed members by their Account names for the changelog (S-49). All events of one
 * operation show the same instant (account_op.now).
 *
 * These JSON texts are stored formats, not response bodies: they are written once, when
 * the change commits, and kept in the outbox; responses are the dialect's.
 */
#ifndef RENTD_ACCOUNTS_EVENTS_H
#define RENTD_ACCOUNTS_EVENTS_H

#include <stdbool.h>

#include "core/events.h"
#include "store/accounts/store_accounts.h"

/* One write operation: where its events go and the one instant they show. */
struct account_op {
	struct core *c;
	struct arena *a;
	const struct event_actor *actor;
	int64_t now; /* µs: the one instant all the operation's events show */
	struct error *err;
};

void account_op_init(struct account_op *o, struct core *c, struct arena *a, const struct event_actor *actor,
		     struct error *err);

/* A contact's aggregate id in the outbox: its row id as text. */
struct str account_contact_key(struct account_op *o, int64_t id);

/* Every event the difference between old and x calls for; texts: the canonical policies before/after. */
int account_ev_changes(struct account_op *o, const struct account *old, const struct account *x,
		       struct str text_before, struct str text_after);

/* Whether the contact types (roles) differ; ContactTypesWereReassigned when they do. */
bool account_roles_changed(const struct account *old, const struct account *x);
int account_ev_roles(struct account_op *o, const struct account *old, const struct account *x);

/* AccountWasCreated (S-31), with the invitation's flag. */
int account_ev_created(struct account_op *o, const struct account *x, const struct contact *k, bool notifiable);
/* AccountWasObfuscated */
int account_ev_obfuscated(struct account_op *o, const struct account *x);
/* AccountAdditionalDataWasCreated (created) / …Updated. */
int account_ev_additional_data(struct account_op *o, const struct account *old, const struct account *x,
			       bool created);
/* BookingConditionsByCountryWereUpdated: old/now the n changed countries, before and after. */
int account_ev_conditions(struct account_op *o, const struct account *x, const struct booking_condition *old,
			  const struct booking_condition *now, size_t n);

/* ContactWasCreated, ContactWasUpdated (old → k). */
int account_ev_contact_created(struct account_op *o, const struct account *x, const struct contact *k);
int account_ev_contact_updated(struct account_op *o, const struct account *x, const struct contact *old,
			       const struct contact *k);
/* ContactWasDeleted and ContactWasObfuscated (type) share their shape; before/after for the changelog. */
int account_ev_contact_gone(struct account_op *o, const struct account *x, int64_t id, const char *type,
			    struct str before, struct str after);

/*
 * UpdateAvailabilitiesNotificationWasSent: x's availability reminder was delivered (or
 * handed to the log) at o->now; x as it was before, for the changelog's earlier date.
 */
int account_ev_availabilities_notified(struct account_op *o, const struct account *x);

#endif
