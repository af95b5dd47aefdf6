/* The letting process's stored JSON: step data and outbox events (process_events.h). */
#include "core/market/process_events.h"

#include <jansson.h>
#include <string.h>

#include "base/buf.h"
#include "base/json_write.h"
#include "core/events.h"

/* ---- step data ---- */

struct doc {
	struct buf b;
	struct jw w;
};

static void doc_begin(struct doc *d, struct arena *a)
{
	buf_init(&d->b, a, 256);
	jw_init(&d->w, &d->b);
	jw_object_begin(&d->w);
}

static struct str doc_end(struct doc *d)
{
	jw_object_end(&d->w);
	return buf_str(&d->b);
}

struct str process_data_question(struct arena *a, int64_t created, int64_t answer_before)
{
	struct doc d;
	doc_begin(&d, a);
	jw_kv_cstr(&d.w, "question", "Fortsatt intresse?");
	jw_kv_int(&d.w, "created", created);
	jw_kv_int(&d.w, "answerBefore", answer_before);
	return doc_end(&d);
}

struct str process_data_form(struct arena *a, int64_t created, int64_t answer_before)
{
	static const char *const fields[] = { "income", "accommodation", "household" };
	struct doc d;
	doc_begin(&d, a);
	jw_kv_cstr(&d.w, "message", "Fyll i dina uppgifter: inkomst, nuvarande boende och hushåll.");
	jw_kv_int(&d.w, "created", created);
	jw_kv_int(&d.w, "answerBefore", answer_before);
	jw_key(&d.w, "fields");
	jw_array_begin(&d.w);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		jw_cstr(&d.w, fields[i]);
	jw_array_end(&d.w);
	return doc_end(&d);
}

struct str process_data_viewing(struct arena *a, struct str text, int64_t continues, bool reserved)
{
	struct doc d;
	doc_begin(&d, a);
	jw_kv_str(&d.w, "text", text);
	jw_kv_cstr(&d.w, "notes", reserved ? "Du är reserverad för lägenheten. Hyresvärden återkommer om kontraktet."
					    : "Hyresvärden kontaktar dig om tid för visning.");
	jw_kv_int(&d.w, "continues", continues);
	jw_kv_bool(&d.w, "reserved", reserved);
	return doc_end(&d);
}

struct str process_data_signing(struct arena *a, struct str signing_id)
{
	struct doc d;
	doc_begin(&d, a);
	jw_kv_str(&d.w, "signingId", signing_id);
	return doc_end(&d);
}

struct str process_data_cancelled(struct arena *a, const char *description)
{
	struct doc d;
	doc_begin(&d, a);
	jw_kv_cstr(&d.w, "description", description);
	return doc_end(&d);
}

struct str process_data_annulled(struct arena *a, const char *reason, struct str description)
{
	struct doc d;
	doc_begin(&d, a);
	jw_kv_cstr(&d.w, "reason", reason);
	if (description.ptr)
		jw_kv_str(&d.w, "description", description);
	return doc_end(&d);
}

static json_t *data_member(struct str data, const char *member, json_t **root)
{
	*root = data.ptr ? json_loadb(data.ptr, data.len, 0, NULL) : NULL;
	return *root ? json_object_get(*root, member) : NULL;
}

int64_t process_data_time(struct str data, const char *member)
{
	json_t *root, *v = data_member(data, member, &root);
	int64_t t = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
	json_decref(root);
	return t;
}

struct str process_data_string(struct arena *a, struct str data, const char *member)
{
	json_t *root, *v = data_member(data, member, &root);
	struct str s = json_is_string(v) ? arena_str_copy(a, (struct str){ json_string_value(v), json_string_length(v) })
					 : STR_NULL;
	json_decref(root);
	return s;
}

/* ---- events ---- */

static int append(struct core *c, struct arena *a, const char *type, int64_t company_id, const char *aggregate,
		  int64_t aggregate_id, int64_t actor_user_id, int64_t us, struct str payload, struct error *err)
{
	struct event_actor actor = { .user_id = actor_user_id,
				     .identity = actor_user_id ? STR_LIT("user") : STR_LIT("process") };
	struct event_new e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.company_id = company_id;
	e.aggregate = aggregate;
	e.aggregate_id = str_from_cstr(arena_printf(a, "%lld", (long long)aggregate_id));
	e.occurred_us = us;
	e.actor = &actor;
	e.payload = payload;
	return events_append(c, &e, NULL, err);
}

int process_event_application(struct core *c, struct arena *a, const char *type, const struct application *app,
			      struct str answer, int64_t actor_user_id, int64_t us, struct error *err)
{
	struct doc d;
	doc_begin(&d, a);
	jw_kv_cstr(&d.w, "type", type);
	jw_kv_int(&d.w, "application_id", app->id);
	jw_kv_int(&d.w, "object_ad_id", app->listing_id);
	jw_kv_int(&d.w, "company_id", app->company_id);
	jw_kv_str(&d.w, "state", app->state);
	if (answer.ptr)
		jw_kv_str(&d.w, "answer", answer);
	jw_kv_str(&d.w, "queue_type", app->queue_type);
	jw_kv_int(&d.w, "queue_points", app->queue_points);
	jw_kv_bool(&d.w, "screening_approved", app->screening_approved);
	if (app->rank)
		jw_kv_int(&d.w, "rank", app->rank);
	jw_kv_int(&d.w, "step_id", app->step_id);
	jw_kv_cstr(&d.w, "created", events_time(a, us, EVENT_TIME_00_00));
	return append(c, a, type, app->company_id, "application", app->id, actor_user_id, us, doc_end(&d), err);
}

/* The members every webhook event of a listing carries (homeq.md §13). */
static void listing_members(struct jw *w, struct arena *a, const char *type, const struct listing *l, int64_t us)
{
	jw_kv_cstr(w, "type", type);
	jw_kv_int(w, "apartment_id", l->apartment_id);
	jw_kv_int(w, "company_id", l->company_id);
	jw_kv_int(w, "object_ad_id", l->id);
	jw_kv_int(w, "office_id", l->office_id);
	jw_kv_cstr(w, "created", events_time(a, us / 1000000 * 1000000, EVENT_TIME_Z));
}

static void person(struct jw *w, const char *key, const struct user *u, bool employee)
{
	jw_key(w, key);
	if (!u) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_str(w, "email", u->email);
	jw_kv_str(w, "first_name", u->first_name);
	jw_kv_str(w, "last_name", u->last_name);
	if (!employee)
		jw_kv_str(w, "ssn", u->personal_number);
	jw_kv_int(w, "user_id", u->id);
	jw_object_end(w);
}

int process_event_reservation(struct core *c, struct arena *a, const struct listing *l, const struct user *applicant,
			      const struct user *employee, int64_t us, struct error *err)
{
	struct doc d;
	doc_begin(&d, a);
	listing_members(&d.w, a, "reservation", l, us);
	person(&d.w, "applicant", applicant, false);
	person(&d.w, "employee", employee, true);
	return append(c, a, "reservation", l->company_id, "listing", l->id, employee ? employee->id : 0, us,
		      doc_end(&d), err);
}

int process_event_signature(struct core *c, struct arena *a, const struct listing *l,
			    const struct contract_signer *signer, int64_t us, struct error *err)
{
	struct doc d;
	doc_begin(&d, a);
	listing_members(&d.w, a, "application_signature", l, us);
	jw_kv_cstr(&d.w, "signatory_name",
		   arena_printf(a, "%.*s %.*s", STR_FMT(signer->first_name), STR_FMT(signer->last_name)));
	jw_kv_cstr(&d.w, "signatory_type", contract_party_type_name(signer->type));
	return append(c, a, "application_signature", l->company_id, "listing", l->id, signer->user_id, us, doc_end(&d),
		      err);
}

int process_event_signing_completed(struct core *c, struct arena *a, const struct listing *l,
				    const struct contract *k, const struct user *tenant, const struct user *landlord,
				    int64_t us, struct error *err)
{
	struct doc d;
	doc_begin(&d, a);
	listing_members(&d.w, a, "signing_completed", l, us);
	jw_key(&d.w, "signatories");
	jw_array_begin(&d.w);
	for (size_t i = 0; i < k->nsigners; i++) {
		const struct contract_signer *s = &k->signers[i];
		const struct user *u = s->user_id == tenant->id ? tenant : s->user_id == landlord->id ? landlord : NULL;
		jw_object_begin(&d.w);
		jw_kv_str(&d.w, "email", u ? u->email : STR_LIT(""));
		jw_kv_str(&d.w, "first_name", s->first_name);
		jw_kv_str(&d.w, "last_name", s->last_name);
		jw_kv_cstr(&d.w, "signatory_type", contract_party_type_name(s->type));
		jw_kv_str(&d.w, "ssn", s->ssn);
		jw_object_end(&d.w);
	}
	jw_array_end(&d.w);
	jw_kv_str(&d.w, "contract_uuid", k->uuid);
	return append(c, a, "signing_completed", l->company_id, "listing", l->id, tenant->id, us, doc_end(&d), err);
}

int process_event_agreement(struct core *c, struct arena *a, const struct listing *l, int64_t agreement_id,
			    const struct user *employee, int64_t us, struct error *err)
{
	int64_t root = l->office_id;
	struct doc d;

	/* the office path is the ids from the root down, "/1/4/9/" */
	if (l->office_path.ptr && l->office_path.len > 1) {
		const char *end = memchr(l->office_path.ptr + 1, '/', l->office_path.len - 1);
		if (end)
			str_to_int64((struct str){ l->office_path.ptr + 1, (size_t)(end - l->office_path.ptr - 1) }, &root);
	}
	doc_begin(&d, a);
	jw_kv_cstr(&d.w, "type", "agreement_created");
	jw_kv_int(&d.w, "agreement_id", agreement_id);
	jw_kv_int(&d.w, "apartment_id", l->apartment_id);
	jw_kv_int(&d.w, "company_id", l->company_id);
	jw_kv_cstr(&d.w, "created", events_time(a, us / 1000000 * 1000000, EVENT_TIME_Z));
	person(&d.w, "employee", employee, true);
	jw_kv_int(&d.w, "object_ad_id", l->id);
	jw_kv_int(&d.w, "office_id", root);
	return append(c, a, "agreement_created", l->company_id, "listing", l->id, employee->id, us, doc_end(&d), err);
}
