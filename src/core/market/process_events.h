/*
 * process_events.h — what the letting process stores as JSON (docs/ARCHITECTURE.md, "Wire
 * shapes and stored formats"): the data of each step's presentation (process.h lists the
 * shapes) and the outbox events of every transition.
 *
 * Events: an application's transition is "application_<state>" of the application
 * aggregate (the payload of issue 14's application_created, with the step's answer); the
 * landlord's webhook events of homeq.md §13 are recorded now in their documented members
 * (decisions.md H-18's distinct names: reservation, application_signature,
 * signing_completed, agreement_created) for the webhooks to deliver; the outbox row's uuid
 * is the event's uuid.
 */
#ifndef RENTD_MARKET_PROCESS_EVENTS_H
#define RENTD_MARKET_PROCESS_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/contracts/contracts.h"
#include "core/core.h"
#include "store/identity/store_org.h"
#include "store/listings/store_listings.h"
#include "store/market/store_applications.h"

/* ---- step data ---- */
struct str process_data_question(struct arena *a, int64_t created, int64_t answer_before);
struct str process_data_form(struct arena *a, int64_t created, int64_t answer_before);
struct str process_data_viewing(struct arena *a, struct str text, int64_t continues, bool reserved);
struct str process_data_signing(struct arena *a, struct str signing_id);
struct str process_data_cancelled(struct arena *a, const char *description);
struct str process_data_annulled(struct arena *a, const char *reason, struct str description);

/* A time member of a step's data (answerBefore, continues, created); 0 when absent. */
int64_t process_data_time(struct str data, const char *member);
/* A string member of a step's data, in a (signingId …); ptr NULL when absent. */
struct str process_data_string(struct arena *a, struct str data, const char *member);

/* ---- events, inside the caller's transaction ---- */

/* "application_<type>" for app as it is now; actor_user_id 0: the process. */
int process_event_application(struct core *c, struct arena *a, const char *type, const struct application *app,
			      struct str answer, int64_t actor_user_id, int64_t us, struct error *err);

/* homeq.md §13 #3: a listing reserved (employee NULL: the process). */
int process_event_reservation(struct core *c, struct arena *a, const struct listing *l, const struct user *applicant,
			      const struct user *employee, int64_t us, struct error *err);
/* §13 #4: one signature. */
int process_event_signature(struct core *c, struct arena *a, const struct listing *l,
			    const struct contract_signer *signer, int64_t us, struct error *err);
/* §13 #5: every signatory has signed. */
int process_event_signing_completed(struct core *c, struct arena *a, const struct listing *l,
				    const struct contract *k, const struct user *tenant, const struct user *landlord,
				    int64_t us, struct error *err);
/* §13 #1 (H-18: agreement_created): office_id is the company's root office. */
int process_event_agreement(struct core *c, struct arena *a, const struct listing *l, int64_t agreement_id,
			    const struct user *employee, int64_t us, struct error *err);

#endif
