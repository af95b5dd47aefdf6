/* The project_interaction event of the outbox (project_interest_events.h). */
#include "core/listings/project_interest_events.h"

#include <string.h>

#include "base/buf.h"
#include "base/json_write.h"
#include "core/events.h"

/* A known text, else null (an anonymous sign-up has no names, a consumer may have no number). */
static void text_or_null(struct jw *w, const char *key, struct str v)
{
	if (v.ptr && v.len)
		jw_kv_str(w, key, v);
	else
		jw_kv_null(w, key);
}

int interest_event_append(struct core *c, struct arena *a, const struct interest_project *p, struct str email,
			  const struct interest_person *who, const char *interaction, int64_t us, struct error *err)
{
	static const struct interest_person nobody = { 0 };
	struct event_actor actor = { 0 };
	struct event_new e;
	struct buf b;
	struct jw w;

	if (!who)
		who = &nobody;
	buf_init(&b, a, 384);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_cstr(&w, "type", INTEREST_EVENT_TYPE);
	jw_kv_int(&w, "company_id", p->company_id);
	jw_kv_cstr(&w, "created", events_time(a, us / 1000000 * 1000000, EVENT_TIME_Z));
	jw_kv_str(&w, "email_id", email);
	text_or_null(&w, "first_name", who->first_name);
	jw_kv_cstr(&w, "interaction_type", interaction);
	text_or_null(&w, "last_name", who->last_name);
	jw_kv_int(&w, "office_id", p->office_id);
	jw_kv_int(&w, "project_id", p->id);
	text_or_null(&w, "ssn", who->ssn);
	jw_object_end(&w);

	/* the person who followed or left; an anonymous visitor of the public page is "public" */
	actor.user_id = who->user_id;
	actor.identity = who->user_id ? STR_LIT("user") : STR_LIT("public");
	memset(&e, 0, sizeof(e));
	e.type = INTEREST_EVENT_TYPE;
	e.company_id = p->company_id;
	e.aggregate = "project";
	e.aggregate_id = str_from_cstr(arena_printf(a, "%lld", (long long)p->id));
	e.occurred_us = us;
	e.actor = &actor;
	e.payload = buf_str(&b);
	return events_append(c, &e, NULL, err);
}
