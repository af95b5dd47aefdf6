/*
 * project_interest_events.h — the outbox event of following a project (docs/ARCHITECTURE.md,
 * "Wire shapes and stored formats"): homeq.md §13 #2 "when a consumer starts or stops
 * following a project", type project_interaction (decisions.md H-18), recorded inside the
 * transaction that adds or removes the sign-up, for the webhooks to deliver.
 *
 * Payload members, exactly those of §13 #2 but `uuid` (the delivery adds the outbox row's):
 * company_id, created (EVENT_TIME_00_00, whole seconds, as the letting process's events),
 * email_id (the address), first_name, interaction_type ("SUBSCRIBED" / "UNSUBSCRIBED"),
 * last_name, office_id (the project's office), project_id, ssn, type. The names and ssn are
 * null for an anonymous sign-up (docs/DECISIONS.md). Aggregate "project", its id the
 * project's, company the project's company.
 */
#ifndef RENTD_PROJECT_INTEREST_EVENTS_H
#define RENTD_PROJECT_INTEREST_EVENTS_H

#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "core/core.h"
#include "store/listings/store_project_interest.h"

#define INTEREST_EVENT_TYPE "project_interaction"
#define INTEREST_SUBSCRIBED "SUBSCRIBED"
#define INTEREST_UNSUBSCRIBED "UNSUBSCRIBED"

/* Who follows: a signed-in consumer's names and personal number; ptr NULL (or empty): unknown. */
struct interest_person {
	int64_t user_id; /* 0: anonymous */
	struct str first_name, last_name, ssn;
};

/* Appends the event inside the caller's open transaction; us: the change's instant. */
int interest_event_append(struct core *c, struct arena *a, const struct interest_project *p, struct str email,
			  const struct interest_person *who, const char *interaction, int64_t us, struct error *err);

#endif
