/*
 * store_events.h — the rows of the event outbox (migration 0010) and its consumers'
 * positions. core/events.c is the only caller; it decides what an event says, these
 * functions only write and read rows. The structs are the ones core/events.h speaks in.
 *
 * Totals come from event_counts, kept by triggers in the appending transaction, so a
 * total is one primary-key read at any outbox size.
 */
#ifndef RENTD_STORE_EVENTS_H
#define RENTD_STORE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"
#include "base/str.h"
#include "store/store.h"

/* Who acted (S-42): identity = the token user's uuid, email = Requester or the token's e-mail. */
struct event_actor {
	int64_t user_id;      /* 0: the operator's command line */
	struct str identity;  /* user uuid; "cli" for the command line */
	struct str email;     /* may be empty */
	struct str full_name; /* changelog userFullName */
};

struct event_new {
	const char *type;        /* "AccountWasCreated" */
	int64_t company_id;      /* the account/company the event is about; 0: none */
	const char *aggregate;   /* "account", "contact", "listing" … */
	struct str aggregate_id; /* its id as text (account uuid, contact id …) */
	int64_t occurred_us;     /* core_now_us(), the same instant the payload shows */
	const struct event_actor *actor;
	struct str payload;      /* JSON text */
	struct str before;       /* JSON text of the changed members before; STR_NULL: none */
	struct str after;        /* … and after */
};

struct event_row {
	int64_t seq;
	struct str uuid;
	struct str type;
	int64_t company_id;
	struct str company_uuid; /* the account id */
	struct str aggregate;
	struct str aggregate_id;
	int64_t occurred_us;
	struct str actor_identity;
	struct str actor_email;
	struct str actor_name;
	struct str payload;
	struct str before;
	struct str after;
};

/* Inserts e with this uuid; *seq gets its number. */
int store_event_insert(struct store *s, const struct event_new *e, const char *uuid, int64_t *seq,
		       struct error *err);

/* Newest first; company_id 0: every event. */
int store_event_page(struct store *s, struct arena *a, int64_t company_id, int64_t offset, int64_t limit,
		     struct event_row **rows, size_t *n, struct error *err);
/* Events of company_id (0: all) — the maintained count. */
int store_event_total(struct store *s, int64_t company_id, int64_t *total, struct error *err);

/* Oldest first, seq > after, at most limit. */
int store_event_after(struct store *s, struct arena *a, int64_t after, int64_t limit, struct event_row **rows,
		      size_t *n, struct error *err);

/* A consumer's position (0 for one never seen). */
int store_event_consumer_position(struct store *s, const char *name, int64_t *position, struct error *err);
/* Moves a consumer forward to position (never back). */
int store_event_consumer_set(struct store *s, const char *name, int64_t position, struct error *err);

/* What redaction needs of one event. */
struct event_texts {
	int64_t seq;
	struct str aggregate;
	struct str aggregate_id;
	struct str payload;
	struct str before;
	struct str after;
	bool actor_is_member; /* acted by one of the company's own users */
};
/* Every event of a company, oldest first (for redaction). */
int store_event_company_texts(struct store *s, struct arena *a, int64_t company_id, struct event_texts **rows,
			      size_t *n, struct error *err);
/* Replaces the three JSON texts of one event (before/after ptr NULL: SQL NULL). */
int store_event_rewrite(struct store *s, int64_t seq, struct str payload, struct str before, struct str after,
			struct error *err);
/* Blanks the actor e-mail and name of the company's events acted by one of its own users. */
int store_event_forget_company_actors(struct store *s, int64_t company_id, struct error *err);

#endif
