/*
 * test_events.c — the event outbox (core/events.h) on a real migrated SQLite database:
 * appending only with the transaction, numbering, paging and totals, consumers'
 * positions, the S-36 time formats and GDPR redaction.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/log.h"
#include "core/events.h"
#include "store/db.h"
#include "store/identity/store_org.h"

static struct arena *arena;
static struct error err;
static char dbpath[64];
static struct store *st;
static struct core core;
static int64_t co1, co2;
static struct str co1_uuid;

static int64_t company(const char *name, struct str *uuid)
{
	struct company c;
	cr_assert_eq(store_company_insert(st, arena, str_from_cstr(name), &c, &err), 0, "%s", err.message);
	if (uuid)
		*uuid = c.uuid;
	return c.id;
}

static void setup(void)
{
	int applied, fd;

	log_set_level(LOG_OFF);
	arena = arena_create(4096);
	error_init(&err, arena);
	snprintf(dbpath, sizeof(dbpath), "/tmp/rentd-events-XXXXXX");
	fd = mkstemp(dbpath);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(store_open(dbpath, &st, &err), 0);
	cr_assert_eq(store_migrate(st, &applied, &err), 0, "%s", err.message);
	memset(&core, 0, sizeof(core));
	core.store = st;
	co1 = company("One AB", &co1_uuid);
	co2 = company("Two AB", NULL);
}

static void teardown(void)
{
	char side[80];
	store_close(st);
	unlink(dbpath);
	snprintf(side, sizeof(side), "%s-wal", dbpath);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", dbpath);
	unlink(side);
	arena_destroy(arena);
}

TestSuite(events, .init = setup, .fini = teardown);

static const struct event_actor agent = { 0, { "agent-uuid", 10 }, { "agent@ops.example", 17 },
					  { "Ada Agent", 9 } };

/* Appends one event in its own transaction; returns its seq. */
static int64_t append(int64_t company_id, const char *type, const char *aggregate, const char *agg_id,
		      const char *payload, const char *before, const char *after, const struct event_actor *who)
{
	struct event_new e = { .type = type, .company_id = company_id, .aggregate = aggregate,
			       .aggregate_id = str_from_cstr(agg_id), .occurred_us = core_now_us(), .actor = who,
			       .payload = str_from_cstr(payload), .before = str_from_cstr(before),
			       .after = str_from_cstr(after) };
	int64_t seq = 0;
	cr_assert_eq(store_begin(st, &err), 0);
	cr_assert_eq(events_append(&core, &e, &seq, &err), 0, "%s", err.message ? err.message : "?");
	cr_assert_eq(store_commit(st, &err), 0);
	return seq;
}

static int64_t total(int64_t company_id)
{
	struct event_row *rows;
	size_t n;
	int64_t t = -1;
	cr_assert_eq(events_page(&core, arena, company_id, 0, 1, &rows, &n, &t, &err), 0);
	return t;
}

Test(events, time_formats_of_s36_are_utc)
{
	int64_t us = 1498831728123456ll; /* 2017-06-30 14:08:48.123456 UTC */
	cr_assert_str_eq(events_time(arena, us, EVENT_TIME_0000), "2017-06-30T14:08:48+0000");
	cr_assert_str_eq(events_time(arena, us, EVENT_TIME_00_00), "2017-06-30T14:08:48+00:00");
	cr_assert_str_eq(events_time(arena, us, EVENT_TIME_PHP), "2017-06-30 14:08:48.000000");
	cr_assert(core_now_us() > 1700000000ll * 1000000);
}

Test(events, an_event_exists_only_if_its_transaction_commits)
{
	struct event_new e = { .type = "AccountNameWasChanged", .company_id = co1, .aggregate = "account",
			       .aggregate_id = co1_uuid, .occurred_us = 1, .actor = &agent,
			       .payload = STR_LIT("{\"id\":\"x\",\"name\":\"n\"}") };
	int64_t seq;

	cr_assert_eq(store_begin(st, &err), 0);
	cr_assert_eq(events_append(&core, &e, &seq, &err), 0);
	store_rollback(st);
	cr_assert_eq(total(co1), 0);
	cr_assert_eq(total(0), 0);

	append(co1, "AccountNameWasChanged", "account", "x", "{}", NULL, NULL, &agent);
	cr_assert_eq(total(co1), 1);
	cr_assert_eq(total(0), 1);
	cr_assert_eq(total(co2), 0);
}

Test(events, seq_grows_and_is_never_reused)
{
	struct db *db;
	int64_t a = append(co1, "A", "account", "x", "{}", NULL, NULL, &agent);
	int64_t b = append(co1, "B", "account", "x", "{}", NULL, NULL, &agent);

	cr_assert_gt(b, a);
	db = store_db(st, &err);
	cr_assert_eq(db_exec(db, "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)", &err), 0);
	cr_assert_eq(total(0), 1, "the count follows a removal");
	cr_assert_gt(append(co1, "C", "account", "x", "{}", NULL, NULL, &agent), b);
}

Test(events, payloads_that_are_not_json_are_refused)
{
	struct event_new e = { .type = "X", .company_id = co1, .aggregate = "account", .aggregate_id = co1_uuid,
			       .occurred_us = 1, .payload = STR_LIT("{not json") };
	cr_assert_eq(store_begin(st, &err), 0);
	cr_assert_lt(events_append(&core, &e, NULL, &err), 0);
	cr_assert_eq(err.kind, ERROR_INTERNAL);
	error_init(&err, arena);
	e.payload = STR_LIT("{}");
	e.after = STR_LIT("[1,");
	cr_assert_lt(events_append(&core, &e, NULL, &err), 0);
	store_rollback(st);
	cr_assert_eq(total(0), 0);
}

Test(events, pages_are_newest_first_per_company_with_totals)
{
	struct event_row *rows;
	size_t n;
	int64_t t;

	for (int i = 0; i < 5; i++)
		append(co1, "AccountNameWasChanged", "account", "x", arena_printf(arena, "{\"i\":%d}", i), NULL, NULL,
		       &agent);
	append(co2, "AccountTypeWasChanged", "account", "y", "{}", NULL, NULL, &agent);

	cr_assert_eq(events_page(&core, arena, co1, 1, 2, &rows, &n, &t, &err), 0);
	cr_assert_eq(t, 5);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(rows[0].payload.ptr, "{\"i\":3}");
	cr_assert_str_eq(rows[1].payload.ptr, "{\"i\":2}");
	cr_assert_gt(rows[0].seq, rows[1].seq);
	cr_assert(str_eq(rows[0].company_uuid, co1_uuid));
	cr_assert_str_eq(rows[0].actor_email.ptr, "agent@ops.example");
	cr_assert_str_eq(rows[0].actor_name.ptr, "Ada Agent");
	cr_assert_str_eq(rows[0].actor_identity.ptr, "agent-uuid");
	cr_assert_eq(rows[0].uuid.len, 36);
	cr_assert_null(rows[0].before.ptr);

	cr_assert_eq(events_page(&core, arena, 0, 0, 10, &rows, &n, &t, &err), 0);
	cr_assert_eq(t, 6);
	cr_assert_eq(n, 6);
	cr_assert_str_eq(rows[0].type.ptr, "AccountTypeWasChanged");

	cr_assert_eq(events_page(&core, arena, co1, 5, 10, &rows, &n, &t, &err), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(t, 5);
}

Test(events, consumers_read_forward_from_their_own_positions)
{
	struct event_row *rows;
	size_t n;
	int64_t s1 = append(co1, "A", "account", "x", "{}", NULL, NULL, &agent);
	int64_t s2 = append(co2, "B", "account", "y", "{}", NULL, NULL, &agent);
	int64_t s3 = append(co1, "C", "account", "x", "{}", NULL, NULL, &agent);

	cr_assert_eq(events_read(&core, arena, "webhooks", 2, &rows, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(rows[0].seq, s1);
	cr_assert_eq(rows[1].seq, s2);
	cr_assert_eq(events_ack(&core, "webhooks", s2, &err), 0);
	cr_assert_eq(events_read(&core, arena, "webhooks", 10, &rows, &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(rows[0].seq, s3);
	/* a stale acknowledgement never moves a consumer back */
	cr_assert_eq(events_ack(&core, "webhooks", s1, &err), 0);
	cr_assert_eq(events_read(&core, arena, "webhooks", 10, &rows, &n, &err), 0);
	cr_assert_eq(n, 1);
	/* another consumer has its own position */
	cr_assert_eq(events_read(&core, arena, "export", 10, &rows, &n, &err), 0);
	cr_assert_eq(n, 3);
	cr_assert_lt(events_read(&core, arena, "", 10, &rows, &n, &err), 0);
}

static json_t *payload_of(int64_t seq, const char *which)
{
	struct event_row *rows;
	size_t n;
	int64_t t;
	cr_assert_eq(events_page(&core, arena, 0, 0, 100, &rows, &n, &t, &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].seq != seq)
			continue;
		struct str s = strcmp(which, "payload") == 0 ? rows[i].payload
			       : strcmp(which, "before") == 0 ? rows[i].before
							      : strcmp(which, "after") == 0 ? rows[i].after : rows[i].actor_email;
		if (strcmp(which, "actor") == 0)
			return json_stringn(s.ptr, s.len);
		return json_loadb(s.ptr, s.len, 0, NULL);
	}
	cr_assert_fail("no event %lld", (long long)seq);
	return NULL;
}

static const char *member(json_t *obj, const char *path)
{
	json_t *v = obj;
	char buf[128], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
	if (!v)
		return "(absent)";
	if (json_is_null(v))
		return "null";
	if (json_is_string(v))
		return json_string_value(v);
	return json_is_integer(v) ? "(int)" : "(other)";
}

static int64_t member_user(int64_t company_id)
{
	struct user_insert u = { .kind = USER_OPERATOR, .username = STR_LIT("owner@one.example"),
				 .email = STR_LIT("owner@one.example"), .password_hash = STR_LIT(""),
				 .first_name = STR_LIT("Olle"), .last_name = STR_LIT("Owner"), .company_id = company_id };
	int64_t id;
	cr_assert_eq(store_user_insert(st, &u, &id, &err), 0, "%s", err.message);
	return id;
}

static int64_t redact(int64_t company_id, const char *aggregate, const char *id)
{
	cr_assert_eq(store_begin(st, &err), 0);
	cr_assert_eq(events_redact(&core, company_id, aggregate, str_from_cstr(id), &err), 0, "%s",
		     err.message ? err.message : "?");
	cr_assert_eq(store_commit(st, &err), 0);
	return 0;
}

Test(events, redacting_an_account_nulls_personal_members_and_keeps_the_rest)
{
	struct event_actor owner = { member_user(co1), STR_LIT("owner-uuid"), STR_LIT("owner@one.example"),
				     STR_LIT("Olle Owner") };
	int64_t created = append(co1, "AccountWasCreated", "account", "x",
				 "{\"accountId\":\"x\",\"accountName\":\"One AB\",\"accountEmail\":\"o@one.example\","
				 "\"commission\":{\"type\":\"fixed\",\"value\":1000},\"contactCollection\":{\"contacts\":"
				 "[{\"id\":\"7\",\"firstName\":\"Eva\",\"phone\":\"+46 70\",\"isDeleted\":false}]},"
				 "\"user\":{\"email\":\"agent@ops.example\",\"identity\":\"agent-uuid\"}}",
				 NULL, "{\"accountEmail\":\"o@one.example\"}", &agent);
	int64_t by_owner = append(co1, "ContactWasUpdated", "contact", "7",
				  "{\"accountId\":\"x\",\"contact\":{\"contactId\":7,\"notes\":\"call after 5\"},"
				  "\"user\":{\"email\":\"owner@one.example\",\"identity\":\"owner-uuid\"}}",
				  "{\"notes\":null}", "{\"notes\":\"call after 5\"}", &owner);
	int64_t other = append(co2, "ContactWasCreated", "contact", "7", "{\"contactId\":7,\"firstName\":\"Kim\"}",
			       NULL, NULL, &agent);
	json_t *p;

	redact(co1, NULL, "");
	p = payload_of(created, "payload");
	cr_assert_str_eq(member(p, "accountEmail"), "null");
	cr_assert_str_eq(member(p, "accountName"), "One AB", "the account's name is not personal data");
	cr_assert_str_eq(member(p, "commission.type"), "fixed");
	cr_assert_str_eq(member(p, "contactCollection.contacts.0.firstName"), "null");
	cr_assert_str_eq(member(p, "contactCollection.contacts.0.phone"), "null");
	cr_assert_str_eq(member(p, "contactCollection.contacts.0.id"), "7");
	cr_assert_str_eq(member(p, "user.email"), "agent@ops.example", "an agent acting keeps its e-mail");
	json_decref(p);
	p = payload_of(created, "after");
	cr_assert_str_eq(member(p, "accountEmail"), "null");
	json_decref(p);

	p = payload_of(by_owner, "payload");
	cr_assert_str_eq(member(p, "contact.notes"), "null");
	cr_assert_str_eq(member(p, "user.email"), "null", "the landlord's own staff are erased as actors");
	cr_assert_str_eq(member(p, "user.identity"), "owner-uuid");
	json_decref(p);
	p = payload_of(by_owner, "actor");
	cr_assert_str_eq(json_string_value(p), "");
	json_decref(p);
	p = payload_of(created, "actor");
	cr_assert_str_eq(json_string_value(p), "agent@ops.example");
	json_decref(p);

	p = payload_of(other, "payload");
	cr_assert_str_eq(member(p, "firstName"), "Kim", "another account's events are untouched");
	json_decref(p);
}

/* Any event's payload (events_page shows the accounts changelog only): a fresh consumer reads all. */
static json_t *outbox_payload(int64_t seq)
{
	struct event_row *rows;
	size_t n;
	cr_assert_eq(events_read(&core, arena, "redaction-check", 1000, &rows, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		if (rows[i].seq == seq)
			return json_loadb(rows[i].payload.ptr, rows[i].payload.len, 0, NULL);
	cr_assert_fail("no event %lld", (long long)seq);
	return NULL;
}

Test(events, redacting_an_account_nulls_the_people_of_its_webhook_events)
{
	int64_t reserved = append(co1, "reservation", "listing", "40",
				  "{\"type\":\"reservation\",\"object_ad_id\":40,\"applicant\":{\"email\":\"a@b.se\","
				  "\"first_name\":\"Anna\",\"last_name\":\"Berg\",\"ssn\":\"199001011234\",\"user_id\":9}}",
				  NULL, NULL, &agent);
	int64_t followed = append(co1, "project_interaction", "project", "3",
				  "{\"type\":\"project_interaction\",\"project_id\":3,\"email_id\":\"f@b.se\","
				  "\"first_name\":null,\"interaction_type\":\"SUBSCRIBED\",\"ssn\":null}",
				  NULL, NULL, &agent);
	int64_t signed_ = append(co1, "application_signature", "listing", "40",
				 "{\"type\":\"application_signature\",\"signatory_name\":\"Anna Berg\","
				 "\"signatory_type\":\"TENANT\"}",
				 NULL, NULL, &agent);
	json_t *p;

	redact(co1, NULL, "");
	p = outbox_payload(reserved);
	cr_assert_str_eq(member(p, "applicant.email"), "null");
	cr_assert_str_eq(member(p, "applicant.first_name"), "null");
	cr_assert_str_eq(member(p, "applicant.last_name"), "null");
	cr_assert_str_eq(member(p, "applicant.ssn"), "null");
	cr_assert_str_eq(member(p, "applicant.user_id"), "(int)", "ids stay");
	cr_assert_str_eq(member(p, "type"), "reservation");
	json_decref(p);
	p = outbox_payload(followed);
	cr_assert_str_eq(member(p, "email_id"), "null");
	cr_assert_str_eq(member(p, "interaction_type"), "SUBSCRIBED");
	json_decref(p);
	p = outbox_payload(signed_);
	cr_assert_str_eq(member(p, "signatory_name"), "null");
	cr_assert_str_eq(member(p, "signatory_type"), "TENANT");
	json_decref(p);
}

Test(events, redacting_a_contact_touches_only_that_contact)
{
	int64_t created = append(co1, "AccountWasCreated", "account", "x",
				 "{\"accountEmail\":\"o@one.example\",\"contactCollection\":{\"contacts\":["
				 "{\"id\":\"7\",\"firstName\":\"Eva\"},{\"id\":\"8\",\"firstName\":\"Bo\"}]}}",
				 NULL, NULL, &agent);
	int64_t upd7 = append(co1, "ContactWasUpdated", "contact", "7",
			      "{\"accountId\":\"x\",\"contact\":{\"contactId\":7,\"firstName\":\"Eva\"}}",
			      "{\"firstName\":\"Evy\"}", "{\"firstName\":\"Eva\"}", &agent);
	int64_t upd8 = append(co1, "ContactWasUpdated", "contact", "8",
			      "{\"accountId\":\"x\",\"contact\":{\"contactId\":8,\"firstName\":\"Bo\"}}",
			      "{\"firstName\":\"Bob\"}", "{\"firstName\":\"Bo\"}", &agent);
	json_t *p;

	redact(co1, "contact", "7");
	p = payload_of(created, "payload");
	cr_assert_str_eq(member(p, "accountEmail"), "o@one.example");
	cr_assert_str_eq(member(p, "contactCollection.contacts.0.firstName"), "null");
	cr_assert_str_eq(member(p, "contactCollection.contacts.1.firstName"), "Bo");
	json_decref(p);
	p = payload_of(upd7, "before");
	cr_assert_str_eq(member(p, "firstName"), "null");
	json_decref(p);
	p = payload_of(upd7, "payload");
	cr_assert_str_eq(member(p, "contact.firstName"), "null");
	cr_assert_str_eq(member(p, "contact.contactId"), "(int)");
	json_decref(p);
	p = payload_of(upd8, "before");
	cr_assert_str_eq(member(p, "firstName"), "Bob");
	json_decref(p);
}

Test(events, stored_times_take_the_formats_zone)
{
	struct str t = STR_LIT("2024-01-02T03:04:05.123Z");

	cr_assert(str_eq_cstr(events_stored_time(arena, t, EVENT_TIME_0000), "2024-01-02T03:04:05+0000"));
	cr_assert(str_eq_cstr(events_stored_time(arena, t, EVENT_TIME_00_00), "2024-01-02T03:04:05+00:00"));
	cr_assert(str_eq_cstr(events_stored_time(arena, STR_LIT("tomorrow"), EVENT_TIME_0000), "tomorrow"));
	cr_assert_null(events_stored_time(arena, STR_NULL, EVENT_TIME_00_00).ptr);
}
