/*
 * events.c — the event outbox (core/events.h): appending inside the caller's
 * transaction, paging for the changelog, consumers' positions, the S-36 time formats
 * and GDPR redaction of stored payloads.
 */
#include "core/events.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_internal.h"
#include "core/webhooks/webhooks.h"
#include "store/accounts/store_notify.h"

struct str events_stored_time(struct arena *a, struct str stored, enum event_time_format f)
{
	if (!stored.ptr || stored.len < 20 || stored.ptr[stored.len - 1] != 'Z' || stored.ptr[10] != 'T')
		return stored;
	return str_from_cstr(arena_printf(a, "%.19s%s", stored.ptr, f == EVENT_TIME_0000 ? "+0000" : "+00:00"));
}

const char *events_time(struct arena *a, int64_t us, enum event_time_format f)
{
	time_t secs = (time_t)(us >= 0 ? us / 1000000 : (us - 999999) / 1000000);
	struct tm tm;
	char out[40];

	gmtime_r(&secs, &tm);
	switch (f) {
	case EVENT_TIME_0000:
		strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%S+0000", &tm);
		break;
	case EVENT_TIME_00_00:
		strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%S+00:00", &tm);
		break;
	case EVENT_TIME_Z:
		strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
		break;
	case EVENT_TIME_PHP:
	default:
		/* S-36: the PHP DateTime's date member; the seed's examples carry whole seconds */
		strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%S.000000", &tm);
		break;
	}
	return arena_strndup(a, out, strlen(out));
}

/* A payload, before or after text that is not JSON is a bug of its builder: refuse it. */
static int check_json(struct str text, const char *what, struct error *err)
{
	json_error_t jerr;
	json_t *v;

	if (!text.ptr)
		return 0;
	v = json_loadb(text.ptr, text.len, JSON_DECODE_ANY, &jerr);
	if (!v)
		return error_set(err, ERROR_INTERNAL, NULL, "event %s is not JSON: %s", what, jerr.text);
	json_decref(v);
	return 0;
}

int events_append(struct core *c, const struct event_new *e, int64_t *seq, struct error *err)
{
	char uuid[37];
	int64_t s;

	if (!e->type || !*e->type || !e->aggregate || !*e->aggregate || !e->payload.ptr)
		return error_set(err, ERROR_INTERNAL, NULL, "incomplete event");
	if (check_json(e->payload, "payload", err) < 0 || check_json(e->before, "before", err) < 0 ||
	    check_json(e->after, "after", err) < 0)
		return -1;
	uuid_v4(uuid);
	if (store_event_insert(c->store, e, uuid, &s, err) < 0 || webhooks_event_appended(c, e, s, err) < 0)
		return -1;
	if (seq)
		*seq = s;
	return 0;
}

int events_page(struct core *c, struct arena *a, int64_t company_id, int64_t offset, int64_t limit,
		struct event_row **rows, size_t *n, int64_t *total, struct error *err)
{
	if (offset < 0 || limit < 1)
		return error_set(err, ERROR_VALIDATION, NULL, "bad page");
	if (store_event_total(c->store, company_id, total, err) < 0)
		return -1;
	if (offset >= *total) {
		/* nothing there: skip the scan of a deep OFFSET */
		*rows = NULL;
		*n = 0;
		return 0;
	}
	return store_event_page(c->store, a, company_id, offset, limit, rows, n, err);
}

/* Consumer names are ours ("webhooks", "export"): short identifiers, never user input. */
static int check_consumer(const char *consumer, struct error *err)
{
	size_t len = consumer ? strlen(consumer) : 0;
	if (len == 0 || len > 64)
		return error_set(err, ERROR_VALIDATION, NULL, "bad consumer name");
	return 0;
}

int events_read(struct core *c, struct arena *a, const char *consumer, int64_t limit, struct event_row **rows,
		size_t *n, struct error *err)
{
	int64_t pos;

	if (check_consumer(consumer, err) < 0)
		return -1;
	if (limit < 1)
		return error_set(err, ERROR_VALIDATION, NULL, "bad limit");
	if (store_event_consumer_position(c->store, consumer, &pos, err) < 0)
		return -1;
	return store_event_after(c->store, a, pos, limit, rows, n, err);
}

int events_ack(struct core *c, const char *consumer, int64_t seq, struct error *err)
{
	if (check_consumer(consumer, err) < 0)
		return -1;
	if (seq < 0)
		return error_set(err, ERROR_VALIDATION, NULL, "bad position");
	return store_event_consumer_set(c->store, consumer, seq, err);
}

/*
 * Redaction. Members that hold personal data (of the landlord, its contacts and its own
 * staff, and of the people its webhook events name) are set to null wherever they occur in scope; everything else — ids, types,
 * commercial terms, times, agents' e-mails (accountManager) — stays, so the history
 * still says what changed when.
 */
static const char *const personal_members[] = {
	"firstName", "lastName", "contactFirstName", "contactLastName", "fullName", "userFullName", "email",
	"accountEmail", "phone", "contactPhone", "address", "zipCode", "position", "notes", "website",
	"aboutLandlord", "landlordGender", "landlordAge", "checkinCheckoutLocation",
	/* the landlord dialect's webhook events (homeq.md §13): applicants, followers, signatories, staff */
	"first_name", "last_name", "email_id", "ssn", "signatory_name",
};

static bool is_personal(const char *key)
{
	for (size_t i = 0; i < sizeof(personal_members) / sizeof(personal_members[0]); i++)
		if (strcmp(key, personal_members[i]) == 0)
			return true;
	return false;
}

struct redaction {
	const char *aggregate;   /* NULL: the whole account */
	struct str aggregate_id;
	char id_member[72];      /* "contactId" */
	bool forget_user;        /* the event's acting user is one of the company's own */
	bool changed;
};

/* Does this object stand for the redacted aggregate ({"id": 5} or {"contactId": 5})? */
static bool names_aggregate(const struct redaction *r, json_t *obj)
{
	const char *keys[2] = { "id", r->id_member };
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(obj, keys[i]);
		char num[32];
		if (json_is_string(v) && str_eq(r->aggregate_id, str_from_cstr(json_string_value(v))))
			return true;
		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
			if (str_eq_cstr(r->aggregate_id, num))
				return true;
		}
	}
	return false;
}

static void null_member(struct redaction *r, json_t *obj, const char *key, json_t *v)
{
	if (json_is_null(v))
		return;
	json_object_set_new(obj, key, json_null());
	r->changed = true;
}

static void redact_value(struct redaction *r, json_t *v, bool in_scope)
{
	const char *key;
	json_t *m;
	void *tmp;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			redact_value(r, m, in_scope);
		return;
	}
	if (!json_is_object(v))
		return;
	in_scope = in_scope || names_aggregate(r, v);
	json_object_foreach_safe(v, tmp, key, m) {
		if (strcmp(key, "user") == 0) {
			/* the actor: an agent keeps its e-mail, the landlord's own staff do not */
			if (r->forget_user && json_is_object(m))
				null_member(r, m, "email", json_object_get(m, "email"));
			continue;
		}
		if (in_scope && is_personal(key))
			null_member(r, v, key, m);
		else
			redact_value(r, m, in_scope);
	}
}

/* The redacted text of one JSON text, or text itself when nothing changed. */
static struct str redact_text(struct redaction *r, struct arena *a, struct str text, bool in_scope)
{
	json_t *root;
	char *out;
	struct str res;

	if (!text.ptr)
		return text;
	root = json_loadb(text.ptr, text.len, JSON_DECODE_ANY, NULL);
	if (!root)
		return text;
	r->changed = false;
	redact_value(r, root, in_scope);
	if (!r->changed) {
		json_decref(root);
		return text;
	}
	out = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(root);
	if (!out)
		die_oom();
	res = (struct str){ arena_strdup_str(a, str_from_cstr(out)), strlen(out) };
	free(out);
	return res;
}

static int redact_event(struct core *c, struct arena *a, struct redaction *r, const struct event_texts *ev,
			struct error *err)
{
	/* the aggregate's own events are personal throughout; others only where they name it */
	bool own = !r->aggregate ||
		   (str_eq_cstr(ev->aggregate, r->aggregate) && str_eq(ev->aggregate_id, r->aggregate_id));
	struct str p, b, af;
	bool any;

	r->forget_user = !r->aggregate && ev->actor_is_member;
	p = redact_text(r, a, ev->payload, own);
	any = p.ptr != ev->payload.ptr;
	b = redact_text(r, a, ev->before, own);
	any = any || b.ptr != ev->before.ptr;
	af = redact_text(r, a, ev->after, own);
	any = any || af.ptr != ev->after.ptr;
	if (!any)
		return 0;
	return store_event_rewrite(c->store, ev->seq, p, b, af, err);
}

int events_redact(struct core *c, int64_t company_id, const char *aggregate, struct str aggregate_id,
		  struct error *err)
{
	struct arena *a = arena_create(64 * 1024);
	struct redaction r = { .aggregate = aggregate, .aggregate_id = aggregate_id };
	struct event_texts *rows;
	size_t n;
	int rc = -1;

	if (aggregate)
		snprintf(r.id_member, sizeof(r.id_member), "%.60sId", aggregate);
	if (store_event_company_texts(c->store, a, company_id, &rows, &n, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (redact_event(c, a, &r, &rows[i], err) < 0)
			goto out;
	/* the whole account: its staff as actors, and the e-mails and invitations addressed to them */
	if (!aggregate && (store_event_forget_company_actors(c->store, company_id, err) < 0 ||
			   store_notify_forget_company(c->store, company_id, err) < 0))
		goto out;
	rc = 0;
out:
	arena_destroy(a);
	return rc;
}
