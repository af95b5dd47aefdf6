/*
 * Accounts dialect contacts (spotahome.md §2.5, §2.6, §3.2, §5; decisions.md S-03, S-07,
 * S-24, S-40, S-46, S-47, S-50): #17 create, #18 update, #19 delete, #20 contact types and
 * their deprecated /accommodation-providers twins #21–#24 (same effect, Deprecation header,
 * 422 instead of S-03's 409), the GDPR erasure of one contact, access, and the events each
 * write emits (none when it fails or changes nothing). The table-driven tests at the end break
 * one member of a valid body at a time and run every contacts endpoint through every kind
 * of caller.
 */
#include "accounts_common.h"

TestSuite(accounts_contacts, .init = setup, .fini = teardown);

static const char *sget(json_t *o, const char *dotted)
{
	char key[128];
	const char *dot;

	while ((dot = strchr(dotted, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - dotted), dotted);
		o = json_object_get(o, key);
		dotted = dot + 1;
	}
	return json_string_value(json_object_get(o, dotted));
}

static const char contact_body[] =
	"{\"firstName\":\"Jane\",\"lastName\":\"Roe\",\"email\":\"jane@roe.es\",\"phone\":\"+34 600 111 222\","
	"\"address\":\"null\",\"zipCode\":\"null\",\"position\":\"null\",\"notes\":\"null\"}";

/* POST a contact to the account at prefix ("/api/landlords/accounts" or the deprecated one); its id. */
static long long add_contact(const char *prefix, const char *account, const char *token, const char *body)
{
	struct hresp *r = areq("POST", path("%s/%s/contacts", prefix, account), token, body);
	const char *loc = hresp_header(r, "Location");
	char want[256];
	long long id;

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_eq(r->body_len, 0);
	cr_assert_str_eq(r->content_type, "application/json");
	cr_assert(loc, "no Location");
	/* S-24: always the current path */
	snprintf(want, sizeof(want), "/api/landlords/accounts/%s/contacts/", account);
	cr_assert(strncmp(loc, want, strlen(want)) == 0, "%s", loc);
	id = atoll(loc + strlen(want));
	cr_assert(id > 0);
	hresp_free(r);
	return id;
}

/* The account's contact with this id (borrowed from j), or NULL. */
static json_t *contact_in(json_t *j, long long id)
{
	return find_id(json_object_get(j, "contacts"), id);
}

static void expect_deprecated(const struct hresp *r)
{
	const char *d = hresp_header(r, "Deprecation");
	cr_assert(d && strcmp(d, "true") == 0, "no Deprecation header: %d %s", r->status, r->body);
}

/* ---- #17, #21 ---- */

Test(accounts_contacts, create)
{
	long long id = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
	json_t *j = get_account(agent_token, co.uuid), *k = contact_in(j, id), *e, *before, *after;

	cr_assert(k, "the contact is listed");
	cr_assert_str_eq(jstr(k, "firstName"), "Jane");
	cr_assert_str_eq(jstr(k, "lastName"), "Roe");
	cr_assert_str_eq(jstr(k, "email"), "jane@roe.es");
	cr_assert_str_eq(jstr(k, "phone"), "+34 600 111 222");
	/* S-07: the seed's "null" strings are read as null */
	cr_assert(json_is_null(json_object_get(k, "address")) && json_is_null(json_object_get(k, "zipCode")) &&
		  json_is_null(json_object_get(k, "position")) && json_is_null(json_object_get(k, "notes")));
	json_decref(j);
	e = last_event(co.id, "ContactWasCreated", &before, &after);
	cr_assert_str_eq(jstr(e, "accountId"), co.uuid);
	cr_assert_eq(jint(e, "contactId"), id);
	cr_assert_str_eq(jstr(e, "email"), "jane@roe.es");
	cr_assert_str_eq(jstr(e, "position"), "");
	cr_assert_str_eq(sget(e, "user.identity"), agent_uuid);
	cr_assert_str_eq(jstr(e, "occurredOn") + 19, "+00:00");
	cr_assert_null(before);
	cr_assert_str_eq(jstr(after, "firstName"), "Jane");
	json_decref(e);
	json_decref(after);
	/* the landlord adds to its own account too */
	add_contact("/api/landlords/accounts", co.uuid, co.admin_token,
		    "{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"a@b.se\",\"phone\":\"08-123\","
		    "\"address\":\"Storgatan 1\",\"zipCode\":\"11122\",\"position\":\"CEO\",\"notes\":\"n\"}");
	cr_assert_eq(count_events(co.id), 2);
}

Test(accounts_contacts, create_validation_is_409_with_the_422_body)
{
	struct hresp *r = areq("POST", path("/api/landlords/accounts/%s/contacts", co.uuid), agent_token, "{}");
	json_t *j;

	/* S-03: HTTP 409, the E422 body's detail and title, status 409 */
	expect_problem_as(r, 409, 409, "Unprocessable Entity");
	cr_assert_str_eq(hresp_str(r, "detail"),
			 "The request was well formed but was unable to be followed due to semantic errors");
	cr_assert(names(r, "firstName", "isEmpty") && names(r, "lastName", "isEmpty") && names(r, "email", "isEmpty") &&
		  names(r, "phone", "isEmpty"),
		  "%s", r->body);
	cr_assert(!names(r, "address", "isEmpty"));
	hresp_free(r);
	r = areqf("POST", path("/api/landlords/accounts/%s/contacts", co.uuid), agent_token,
		  "{\"firstName\":5,\"lastName\":\"\",\"email\":\"no-at\",\"phone\":\"1\",\"address\":7,"
		  "\"notes\":\"%05001d\"}",
		  0);
	expect_problem_as(r, 409, 409, "Unprocessable Entity");
	cr_assert(names(r, "firstName", "invalidType") && names(r, "lastName", "isEmpty") &&
		  names(r, "email", "invalid") && names(r, "address", "invalidType") &&
		  names(r, "notes", "stringLength"),
		  "%s", r->body);
	hresp_free(r);
	expect_problem(r = areq("POST", path("/api/landlords/accounts/%s/contacts", co.uuid), agent_token, "[1"), 400);
	hresp_free(r);
	/* the deprecated twin answers 422 as documented, with the Deprecation header */
	r = areq("POST", path("/api/accommodation-providers/%s/contacts/", co.uuid), agent_token, "{}");
	expect_field(r, 422, "firstName", "isEmpty");
	expect_deprecated(r);
	hresp_free(r);
	j = get_account(agent_token, co.uuid);
	cr_assert_eq(json_array_size(json_object_get(j, "contacts")), 0);
	json_decref(j);
	cr_assert_eq(count_events(co.id), 0);
}

Test(accounts_contacts, deprecated_create_is_the_same_contact)
{
	struct hresp *r;
	long long id;
	json_t *j;

	r = areq("POST", path("/api/accommodation-providers/%s/contacts/", co.uuid), agent_token, contact_body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	expect_deprecated(r);
	hresp_free(r);
	id = add_contact("/api/accommodation-providers", co.uuid, agent_token, contact_body);
	j = get_account(agent_token, co.uuid);
	cr_assert_eq(json_array_size(json_object_get(j, "contacts")), 2);
	cr_assert(contact_in(j, id));
	json_decref(j);
	cr_assert_str_eq(events_of(co.id), "ContactWasCreated ContactWasCreated");
}

/* ---- #18, #22 ---- */

Test(accounts_contacts, update)
{
	long long id = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
	const char *update = "{\"firstName\":\"Janet\",\"lastName\":\"Roe\",\"email\":\"janet@roe.es\","
			     "\"phone\":\"+34 600 111 222\",\"position\":\"Owner\"}";
	char target[256];
	struct hresp *r;
	json_t *j, *e, *before, *after;

	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld", co.uuid, id);
	expect_empty(areq("PUT", target, agent_token, update), 204);
	j = get_account(agent_token, co.uuid);
	cr_assert_str_eq(jstr(contact_in(j, id), "firstName"), "Janet");
	cr_assert_str_eq(jstr(contact_in(j, id), "position"), "Owner");
	json_decref(j);
	e = last_event(co.id, "ContactWasUpdated", &before, &after);
	cr_assert_str_eq(jstr(e, "accountId"), co.uuid);
	cr_assert_eq(jint(json_object_get(e, "contact"), "contactId"), id);
	cr_assert_str_eq(sget(e, "contact.email"), "janet@roe.es");
	cr_assert(json_is_false(json_object_get(json_object_get(e, "contact"), "deleted"))); /* S-35 */
	cr_assert_str_eq(jstr(before, "firstName"), "Jane");
	cr_assert_str_eq(jstr(after, "firstName"), "Janet");
	json_decref(e);
	json_decref(before);
	json_decref(after);
	/* the same again: no change, no event */
	expect_empty(areq("PUT", target, agent_token, update), 204);
	cr_assert_eq(count_events(co.id), 2);
	/* validation: 409 (S-03) here, 422 on the deprecated path */
	r = areq("PUT", target, agent_token, "{\"firstName\":\"\"}");
	expect_problem_as(r, 409, 409, "Unprocessable Entity");
	cr_assert(names(r, "firstName", "isEmpty") && names(r, "phone", "isEmpty"), "%s", r->body);
	hresp_free(r);
	snprintf(target, sizeof(target), "/api/accommodation-providers/%s/contacts/%lld", co.uuid, id);
	r = areq("PUT", target, agent_token, "{\"firstName\":\"\"}");
	expect_field(r, 422, "firstName", "isEmpty");
	expect_deprecated(r);
	hresp_free(r);
	r = areq("PUT", target, agent_token, contact_body);
	cr_assert_eq(r->status, 204, "%s", r->body);
	expect_deprecated(r);
	hresp_free(r);
	j = get_account(agent_token, co.uuid);
	cr_assert_str_eq(jstr(contact_in(j, id), "firstName"), "Jane");
	json_decref(j);
	cr_assert_eq(count_events(co.id), 3);
}

Test(accounts_contacts, update_unknown_contacts)
{
	long long mine = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
	long long theirs = add_contact("/api/landlords/accounts", other.uuid, agent_token, contact_body);
	char target[256];
	struct hresp *r;

	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld", co.uuid, theirs);
	expect_problem(r = areq("PUT", target, agent_token, contact_body), 404);
	hresp_free(r);
	expect_problem(r = areq("DELETE", target, agent_token, NULL), 404);
	hresp_free(r);
	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/999999", co.uuid);
	expect_problem(r = areq("PUT", target, agent_token, contact_body), 404);
	hresp_free(r);
	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/abc", co.uuid);
	expect_problem(r = areq("PUT", target, agent_token, contact_body), 404);
	hresp_free(r);
	/* another account through the landlord's token: 404 (no contacts endpoint documents 403) */
	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld", other.uuid, theirs);
	expect_problem(r = areq("PUT", target, co.admin_token, contact_body), 404);
	hresp_free(r);
	expect_problem(r = areq("DELETE", target, co.admin_token, NULL), 404);
	hresp_free(r);
	expect_problem(r = areq("POST", path("/api/landlords/accounts/%s/contacts", other.uuid), co.admin_token,
				contact_body),
		       404);
	hresp_free(r);
	cr_assert(mine != theirs);
	cr_assert_eq(count_events(co.id), 1);
	cr_assert_eq(count_events(other.id), 1);
}

/* ---- #19, #23 ---- */

Test(accounts_contacts, delete_needs_no_contact_type)
{
	char id[37], target[256], types[256];
	long long first, second;
	struct hresp *r;
	json_t *j, *e;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	j = get_account(agent_token, id);
	first = jint(json_object_get(j, "bookingContact"), "id");
	json_decref(j);
	/* S-46: the contact holds every contact type → 409 on both paths */
	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld", id, first);
	expect_problem(r = areq("DELETE", target, agent_token, NULL), 409);
	hresp_free(r);
	snprintf(target, sizeof(target), "/api/accommodation-providers/%s/contacts/%lld", id, first);
	r = areq("DELETE", target, agent_token, NULL);
	expect_problem(r, 409);
	expect_deprecated(r);
	hresp_free(r);
	second = add_contact("/api/landlords/accounts", id, agent_token, contact_body);
	snprintf(types, sizeof(types), "{\"booking_manager\":%lld,\"tenant\":%lld,\"finance\":%lld}", second, second,
		 second);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/contact-types", id), agent_token, types), 204);
	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld", id, first);
	expect_empty(areq("DELETE", target, agent_token, NULL), 204);
	j = get_account(agent_token, id);
	cr_assert_eq(json_array_size(json_object_get(j, "contacts")), 1);
	cr_assert_null(contact_in(j, first));
	cr_assert_eq(jint(json_object_get(j, "financeContact"), "id"), second);
	json_decref(j);
	e = last_event(cid, "ContactWasDeleted", NULL, NULL);
	cr_assert_eq(jint(e, "contactId"), first);
	cr_assert_str_eq(jstr(e, "accountId"), id);
	json_decref(e);
	/* deleted: gone for every operation */
	expect_problem(r = areq("DELETE", target, agent_token, NULL), 404);
	hresp_free(r);
	expect_problem(r = areq("PUT", target, agent_token, contact_body), 404);
	hresp_free(r);
	cr_assert_str_eq(events_of(cid), "AccountWasCreated ContactWasCreated ContactWasCreated "
					 "ContactTypesWereReassigned ContactWasDeleted");
}

Test(accounts_contacts, deprecated_delete)
{
	long long id = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
	char target[256];
	struct hresp *r;
	json_t *j;

	snprintf(target, sizeof(target), "/api/accommodation-providers/%s/contacts/%lld/", co.uuid, id);
	r = areq("DELETE", target, agent_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	expect_deprecated(r);
	hresp_free(r);
	j = get_account(agent_token, co.uuid);
	cr_assert_eq(json_array_size(json_object_get(j, "contacts")), 0);
	json_decref(j);
	cr_assert(has_event(co.id, "ContactWasDeleted"));
}

/* ---- #20, #24 ---- */

Test(accounts_contacts, reassign_contact_types)
{
	char id[37], body[256];
	long long a, b, theirs;
	struct hresp *r;
	json_t *j, *e, *before, *after;
	int64_t cid;
	const char *requester = "Requester: requester@spotahome.com";

	create(create_body, id);
	cid = company_of(id);
	j = get_account(agent_token, id);
	a = jint(json_object_get(j, "bookingContact"), "id");
	json_decref(j);
	b = add_contact("/api/landlords/accounts", id, agent_token, contact_body);
	theirs = add_contact("/api/landlords/accounts", other.uuid, agent_token, contact_body);
	snprintf(body, sizeof(body), "{\"booking_manager\":%lld,\"tenant\":%lld,\"finance\":\"%lld\"}", b, a, b);
	r = areq_ex("PUT", path("/api/landlords/accounts/%s/contact-types", id), BARE, agent_token, body, requester);
	expect_empty(r, 204);
	j = get_account(agent_token, id);
	cr_assert_eq(jint(json_object_get(j, "bookingContact"), "id"), b);
	cr_assert_eq(jint(json_object_get(j, "tenantBookingContact"), "id"), a);
	cr_assert_eq(jint(json_object_get(j, "financeContact"), "id"), b);
	json_decref(j);
	e = last_event(cid, "ContactTypesWereReassigned", &before, &after);
	cr_assert_eq(jint(json_object_get(e, "assignation"), "booking_manager"), b);
	cr_assert_eq(jint(json_object_get(e, "assignation"), "tenant"), a);
	cr_assert_eq(jint(json_object_get(e, "assignation"), "finance"), b);
	cr_assert_str_eq(jstr(e, "occurredOn") + 19, "+0000");
	cr_assert_eq(jint(before, "booking_manager"), a);
	cr_assert_eq(jint(after, "booking_manager"), b);
	cr_assert_null(json_object_get(after, "tenant"), "only the changed roles: %s", json_dumps(after, 0));
	json_decref(e);
	json_decref(before);
	json_decref(after);
	/* the same assignment: no event; the deprecated twin does the same, with its header */
	r = areq("PUT", path("/api/accommodation-providers/%s/contact-types", id), agent_token, body);
	cr_assert_eq(r->status, 204, "%s", r->body);
	expect_deprecated(r);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 4);
	/* S-47: every role a live contact of this account, else 422 naming the role */
	r = areq("PUT", path("/api/landlords/accounts/%s/contact-types", id), agent_token, "{}");
	expect_field(r, 422, "booking_manager", "isEmpty");
	cr_assert(names(r, "tenant", "isEmpty") && names(r, "finance", "isEmpty"), "%s", r->body);
	hresp_free(r);
	snprintf(body, sizeof(body), "{\"booking_manager\":%lld,\"tenant\":%lld,\"finance\":999999}", a, theirs);
	r = areq("PUT", path("/api/landlords/accounts/%s/contact-types", id), agent_token, body);
	expect_field(r, 422, "tenant", "notInArray");
	cr_assert(names(r, "finance", "notInArray") && !names(r, "booking_manager", "notInArray"), "%s", r->body);
	hresp_free(r);
	r = areq("PUT", path("/api/accommodation-providers/%s/contact-types", id), agent_token,
		 "{\"booking_manager\":\"x\",\"tenant\":0,\"finance\":null}");
	expect_field(r, 422, "booking_manager", "invalidType");
	cr_assert(names(r, "tenant", "between") && names(r, "finance", "isEmpty"), "%s", r->body);
	expect_deprecated(r);
	hresp_free(r);
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s/contact-types", other.uuid), co.admin_token,
				body),
		       404);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 4);
}

Test(accounts_contacts, deleted_contacts_take_no_roles)
{
	long long a = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
	long long b = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
	char target[256], body[256];
	struct hresp *r;

	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld", co.uuid, b);
	expect_empty(areq("DELETE", target, agent_token, NULL), 204);
	snprintf(body, sizeof(body), "{\"booking_manager\":%lld,\"tenant\":%lld,\"finance\":%lld}", a, b, a);
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/contact-types", co.uuid), agent_token, body), 422,
		     "tenant", "notInArray");
	hresp_free(r);
}

/* ---- access ---- */

Test(accounts_contacts, access)
{
	struct hresp *r;
	char target[256];
	long long id;

	expect_problem(r = areq("POST", path("/api/landlords/accounts/%s/contacts", co.uuid), NULL, contact_body), 401);
	hresp_free(r);
	expect_problem(r = areq("POST", path("/api/landlords/accounts/%s/contacts", co.uuid), consumer_token,
				contact_body),
		       403);
	hresp_free(r);
	/* an employee without the organization right */
	expect_problem(r = areq("POST", path("/api/landlords/accounts/%s/contacts", co.uuid), observer_token,
				contact_body),
		       403);
	hresp_free(r);
	/* Bearer works too (S-41) */
	r = areq_ex("POST", path("/api/landlords/accounts/%s/contacts", co.uuid), BEARER, co.admin_token, contact_body,
		    NULL);
	expect_status(r, 201);
	id = 0;
	{
		json_t *j = get_account(agent_token, co.uuid);
		id = jint(json_array_get(json_object_get(j, "contacts"), 0), "id");
		json_decref(j);
	}
	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld", co.uuid, id);
	expect_problem(r = areq("DELETE", target, observer_token, NULL), 403);
	hresp_free(r);
	expect_problem(r = areq("DELETE", target, NULL, NULL), 401);
	hresp_free(r);
	expect_problem(r = areq("DELETE", "/api/landlords/accounts/00000000-0000-4000-8000-000000000000/contacts/1",
				agent_token, NULL),
		       404);
	hresp_free(r);
	cr_assert_eq(count_events(co.id), 1);
}

/* ---- GDPR ---- */

/* The ContactWasCreated payload of one of co's contacts (caller decrefs). */
static json_t *created_event(long long contact_id)
{
	struct arena *a = arena_create(1 << 16);
	struct error err;
	struct event_row *rows;
	size_t n;
	int64_t total;
	json_t *found = NULL;

	error_init(&err, a);
	cr_assert_eq(events_page(app_core(h->app), a, co.id, 0, 200, &rows, &n, &total, &err), 0);
	for (size_t i = 0; i < n && !found; i++) {
		json_t *p;
		if (!str_eq_cstr(rows[i].type, "ContactWasCreated"))
			continue;
		p = json_loadb(rows[i].payload.ptr, rows[i].payload.len, 0, NULL);
		if (jint(p, "contactId") == contact_id)
			found = p;
		else
			json_decref(p);
	}
	arena_destroy(a);
	cr_assert(found, "no ContactWasCreated for %lld", contact_id);
	return found;
}

Test(accounts_contacts, obfuscate_one_contact)
{
	long long a = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
	long long b = add_contact("/api/landlords/accounts", co.uuid, agent_token,
				  "{\"firstName\":\"Keep\",\"lastName\":\"Me\",\"email\":\"keep@me.se\","
				  "\"phone\":\"1\"}");
	char target[256];
	struct hresp *r;
	json_t *j, *e;

	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/%lld/obfuscate", co.uuid, a);
	expect_problem(r = areq("POST", target, co.admin_token, NULL), 403);
	hresp_free(r);
	expect_empty(areq("POST", target, agent_token, NULL), 204);
	j = get_account(agent_token, co.uuid);
	cr_assert_str_eq(jstr(contact_in(j, a), "firstName"), "");
	cr_assert_str_eq(jstr(contact_in(j, a), "email"), "");
	cr_assert_str_eq(jstr(contact_in(j, b), "firstName"), "Keep");
	json_decref(j);
	e = last_event(co.id, "ContactWasObfuscated", NULL, NULL);
	cr_assert_eq(jint(e, "contactId"), a);
	json_decref(e);
	/* the contact's own events are redacted, the other's kept */
	e = created_event(a);
	cr_assert_eq(jint(e, "contactId"), a);
	cr_assert(!jstr(e, "email") || strcmp(jstr(e, "email"), "jane@roe.es") != 0, "%s", json_dumps(e, 0));
	cr_assert(!jstr(e, "firstName") || strcmp(jstr(e, "firstName"), "Jane") != 0);
	json_decref(e);
	e = created_event(b);
	cr_assert_str_eq(jstr(e, "email"), "keep@me.se");
	json_decref(e);
	cr_assert_null(strstr(events_of(co.id), "ContactWasDeleted"));
	snprintf(target, sizeof(target), "/api/landlords/accounts/%s/contacts/999999/obfuscate", co.uuid);
	expect_problem(r = areq("POST", target, agent_token, NULL), 404);
	hresp_free(r);
	(void)ada_uuid;
}

/* ---- table-driven validation: one member broken at a time ---- */

/* The account as an agent reads it (its contacts included), canonical JSON text (caller frees). */
static char *snapshot(const char *id)
{
	json_t *j = get_account(agent_token, id);
	char *out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(j);
	return out;
}

/* "#N": a JSON string of N characters; "#N@": an e-mail address of N characters; else value itself. */
static char *value_text(const char *value)
{
	char *end, *out;
	size_t n;

	if (value[0] != '#')
		return strdup(value);
	n = strtoul(value + 1, &end, 10);
	out = malloc(n + 3);
	cr_assert_not_null(out);
	out[0] = '"';
	memset(out + 1, 'x', n);
	if (*end == '@')
		memcpy(out + 1 + n - 5, "@x.se", 5);
	out[n + 1] = '"';
	out[n + 2] = '\0';
	return out;
}

/* body with the top-level member key set to value (see value_text) or, value NULL, removed (caller frees). */
static char *edited(const char *body, const char *key, const char *value)
{
	json_t *root = json_loads(body, 0, NULL);
	char *out;

	cr_assert_not_null(root, "%s", body);
	if (value) {
		char *text = value_text(value);
		json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
		cr_assert_not_null(v, "%s", text);
		free(text);
		json_object_set_new(root, key, v);
	} else {
		cr_assert_eq(json_object_del(root, key), 0, "no member %s", key);
	}
	out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return out;
}

struct bad {
	const char *member;    /* also the validationMessages key */
	const char *value;     /* JSON text (value_text); NULL: the member is left out */
	const char *validator; /* the Laminas validator name expected on member (S-38) */
};

#define NB(cases) (sizeof(cases) / sizeof((cases)[0]))

/* 422, or S-03's 409 with the E422 detail and title (status 409). */
static void expect_rejection(const struct hresp *r, int status)
{
	if (status != 409) {
		expect_problem(r, status);
		return;
	}
	expect_problem_as(r, 409, 409, "Unprocessable Entity");
	cr_assert_str_eq(hresp_str(r, "detail"),
			 "The request was well formed but was unable to be followed due to semantic errors");
}

/*
 * Each case alone, in an otherwise valid body, is answered status with validationMessages
 * naming exactly that member and validator (and the Deprecation header on the deprecated
 * paths); all of them together change nothing of the account and append no event.
 */
static void expect_each_rejected(const char *method, const char *target, const char *good, int status,
				 const struct bad *cases, size_t n, const char *account)
{
	char *before = snapshot(account), *after;
	int64_t company = company_of(account);
	int events = count_events(company);
	bool deprecated = strncmp(target, "/api/accommodation-providers/", 29) == 0;

	for (size_t i = 0; i < n; i++) {
		char *body = edited(good, cases[i].member, cases[i].value);
		struct hresp *r = areq(method, target, agent_token, body);

		expect_rejection(r, status);
		cr_assert(names(r, cases[i].member, cases[i].validator), "%s %s: %s.%s not named: %s", method, target,
			  cases[i].member, cases[i].validator, r->body);
		cr_assert_eq(json_object_size(json_object_get(r->json, "validationMessages")), 1,
			     "%s=%s: only %s is wrong: %s", cases[i].member,
			     cases[i].value ? cases[i].value : "(absent)", cases[i].member, r->body);
		if (deprecated)
			expect_deprecated(r);
		hresp_free(r);
		free(body);
	}
	after = snapshot(account);
	cr_assert_str_eq(after, before, "a failed %s %s changed the account", method, target);
	cr_assert_eq(count_events(company), events, "a failed %s %s appended an event", method, target);
	free(before);
	free(after);
}

static const struct bad contact_cases[] = {
	{ "firstName", NULL, "isEmpty" },      { "lastName", NULL, "isEmpty" },
	{ "email", NULL, "isEmpty" },          { "phone", NULL, "isEmpty" },
	{ "firstName", "\"\"", "isEmpty" },    { "lastName", "\"\"", "isEmpty" },
	{ "email", "\"\"", "isEmpty" },        { "phone", "\"\"", "isEmpty" },
	{ "firstName", "null", "isEmpty" },    { "phone", "null", "isEmpty" },
	{ "firstName", "5", "invalidType" },   { "lastName", "[]", "invalidType" },
	{ "email", "{}", "invalidType" },      { "phone", "34600111222", "invalidType" },
	{ "address", "5", "invalidType" },     { "zipCode", "28045", "invalidType" },
	{ "position", "true", "invalidType" }, { "notes", "[\"n\"]", "invalidType" },
	{ "firstName", "#256", "stringLength" }, { "lastName", "#256", "stringLength" },
	{ "email", "#255@", "stringLength" },  { "phone", "#65", "stringLength" },
	{ "address", "#256", "stringLength" }, { "zipCode", "#33", "stringLength" },
	{ "position", "#256", "stringLength" }, { "notes", "#5001", "stringLength" },
	{ "email", "\"jane.roe.es\"", "invalid" }, { "email", "\"@roe.es\"", "invalid" },
};

/* #17/#18: 409 with the E422 body (S-03); #21/#22: 422 as documented; every member of §2.5's table. */
Test(accounts_contacts, create_and_update_reject_each_bad_member)
{
	char id[37];
	long long k;

	create(create_body, id);
	k = add_contact("/api/landlords/accounts", id, agent_token, contact_body);
	expect_each_rejected("POST", path("/api/landlords/accounts/%s/contacts", id), contact_body, 409, contact_cases,
			     NB(contact_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/contacts/%lld", id, k), contact_body, 409,
			     contact_cases, NB(contact_cases), id);
	expect_each_rejected("POST", path("/api/accommodation-providers/%s/contacts/", id), contact_body, 422,
			     contact_cases, NB(contact_cases), id);
	expect_each_rejected("PUT", path("/api/accommodation-providers/%s/contacts/%lld", id, k), contact_body, 422,
			     contact_cases, NB(contact_cases), id);
}

/* #20, #24: each role required, a whole number, a live contact of this account (S-47); 422. */
Test(accounts_contacts, contact_types_reject_each_bad_member)
{
	static const struct bad cases[] = {
		{ "booking_manager", NULL, "isEmpty" },    { "tenant", NULL, "isEmpty" },
		{ "finance", NULL, "isEmpty" },            { "booking_manager", "null", "isEmpty" },
		{ "booking_manager", "\"x\"", "invalidType" }, { "tenant", "true", "invalidType" },
		{ "finance", "[1]", "invalidType" },       { "tenant", "1.5", "invalidType" },
		{ "booking_manager", "0", "between" },     { "finance", "-4", "between" },
		{ "tenant", "999999", "notInArray" },
	};
	char id[37], good[256];
	long long k, theirs;

	create(create_body, id);
	k = add_contact("/api/landlords/accounts", id, agent_token, contact_body);
	theirs = add_contact("/api/landlords/accounts", other.uuid, agent_token, contact_body);
	snprintf(good, sizeof(good), "{\"booking_manager\":%lld,\"tenant\":%lld,\"finance\":%lld}", k, k, k);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/contact-types", id), good, 422, cases, NB(cases),
			     id);
	expect_each_rejected("PUT", path("/api/accommodation-providers/%s/contact-types", id), good, 422, cases,
			     NB(cases), id);
	{
		/* another account's contact is not this account's */
		char theirs_text[32];
		struct bad other_contact = { "finance", theirs_text, "notInArray" };
		snprintf(theirs_text, sizeof(theirs_text), "%lld", theirs);
		expect_each_rejected("PUT", path("/api/landlords/accounts/%s/contact-types", id), good, 422,
				     &other_contact, 1, id);
	}
}

/* ---- access: every contacts endpoint, every kind of caller ---- */

/* fmt with "%s" replaced by the account id and "{c}" by the contact id. */
static const char *fill(const char *fmt, const char *account, long long contact)
{
	static char buf[8][512];
	static int i;
	char num[24];
	size_t o = 0;

	i = (i + 1) % 8;
	snprintf(num, sizeof(num), "%lld", contact);
	for (const char *p = fmt; *p && o + 64 < sizeof(buf[i]);) {
		if (strncmp(p, "%s", 2) == 0) {
			o += (size_t)snprintf(buf[i] + o, sizeof(buf[i]) - o, "%s", account);
			p += 2;
		} else if (strncmp(p, "{c}", 3) == 0) {
			o += (size_t)snprintf(buf[i] + o, sizeof(buf[i]) - o, "%s", num);
			p += 3;
		} else {
			buf[i][o++] = *p++;
		}
	}
	buf[i][o] = '\0';
	return buf[i];
}

static const struct {
	const char *method, *fmt, *body; /* body may hold {c} too */
	int ok;
	bool agents_only;
} contact_endpoints[] = {
	{ "POST", "/api/landlords/accounts/%s/contacts", contact_body, 201, false },
	{ "PUT", "/api/landlords/accounts/%s/contacts/{c}", contact_body, 204, false },
	{ "DELETE", "/api/landlords/accounts/%s/contacts/{c}", NULL, 204, false },
	{ "PUT", "/api/landlords/accounts/%s/contact-types", "{\"booking_manager\":{c},\"tenant\":{c},\"finance\":{c}}",
	  204, false },
	{ "POST", "/api/accommodation-providers/%s/contacts/", contact_body, 201, false },
	{ "PUT", "/api/accommodation-providers/%s/contacts/{c}", contact_body, 204, false },
	{ "DELETE", "/api/accommodation-providers/%s/contacts/{c}", NULL, 204, false },
	{ "PUT", "/api/accommodation-providers/%s/contact-types",
	  "{\"booking_manager\":{c},\"tenant\":{c},\"finance\":{c}}", 204, false },
	{ "POST", "/api/landlords/accounts/%s/contacts/{c}/obfuscate", NULL, 204, true },
};

/* One request; the deprecated paths must carry their header whatever the answer. */
static struct hresp *call(size_t row, enum auth_style style, const char *token, const char *account, long long k)
{
	const char *body = contact_endpoints[row].body;
	char filled[256];
	struct hresp *r;

	if (body) {
		snprintf(filled, sizeof(filled), "%s", fill(body, account, k));
		body = filled;
	}
	r = areq_ex(contact_endpoints[row].method, fill(contact_endpoints[row].fmt, account, k), style, token, body,
		    NULL);
	if (strncmp(contact_endpoints[row].fmt, "/api/accommodation-providers/", 29) == 0)
		expect_deprecated(r);
	return r;
}

Test(accounts_contacts, access_rules_of_every_endpoint)
{
	char id[37], *other_before, *other_after;
	long long theirs = add_contact("/api/landlords/accounts", other.uuid, agent_token, contact_body);
	int other_events = count_events(other.id);
	struct hresp *r;

	create(create_body, id);
	other_before = snapshot(other.uuid);
	for (size_t i = 0; i < NB(contact_endpoints); i++) {
		const char *m = contact_endpoints[i].method, *f = contact_endpoints[i].fmt;
		long long mine = add_contact("/api/landlords/accounts", co.uuid, agent_token, contact_body);
		long long fresh = add_contact("/api/landlords/accounts", id, agent_token, contact_body);

		expect_problem(r = call(i, NONE, "", co.uuid, mine), 401);
		hresp_free(r);
		expect_problem(r = call(i, BARE, "aa.bb.cc", co.uuid, mine), 401);
		hresp_free(r);
		expect_problem(r = call(i, BEARER, "aa.bb.cc", co.uuid, mine), 401);
		hresp_free(r);
		expect_problem(r = call(i, BARE, consumer_token, co.uuid, mine), 403);
		hresp_free(r);
		/* another account (no contacts endpoint documents 403: 404, S-40), unknown ids */
		expect_problem(r = call(i, BARE, co.admin_token, other.uuid, theirs), 404);
		hresp_free(r);
		expect_problem(r = call(i, BARE, observer_token, other.uuid, theirs), 404);
		hresp_free(r);
		expect_problem(r = call(i, BARE, agent_token, "00000000-0000-4000-8000-000000000000", mine), 404);
		hresp_free(r);
		if (strstr(f, "{c}")) {
			/* a contact of another account, through this account's path; an unknown contact */
			expect_problem(r = call(i, BARE, agent_token, co.uuid, theirs), 404);
			hresp_free(r);
			expect_problem(r = call(i, BARE, agent_token, co.uuid, 999999), 404);
			hresp_free(r);
		}
		/* its own account: the organization right is needed (S-40) */
		expect_problem(r = call(i, BARE, observer_token, co.uuid, mine), 403);
		hresp_free(r);
		r = call(i, BARE, co.admin_token, co.uuid, mine);
		if (contact_endpoints[i].agents_only)
			expect_problem(r, 403);
		else
			cr_assert_eq(r->status, contact_endpoints[i].ok, "%s %s: %d %s", m, f, r->status, r->body);
		hresp_free(r);
		/* an agent, Bearer (S-41); no body, Content-Type as the seed lists it (§1.1) */
		r = call(i, BEARER, agent_token, id, fresh);
		cr_assert_eq(r->status, contact_endpoints[i].ok, "%s %s: %d %s", m, f, r->status, r->body);
		cr_assert_eq(r->body_len, 0);
		cr_assert(r->content_type && strcmp(r->content_type, "application/json") == 0, "%s", f);
		hresp_free(r);
	}
	other_after = snapshot(other.uuid);
	cr_assert_str_eq(other_after, other_before, "a refused request changed another account");
	cr_assert_eq(count_events(other.id), other_events);
	free(other_before);
	free(other_after);
}
