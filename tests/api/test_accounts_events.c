/*
 * test_accounts_events.c — the domain events of spotahome.md §5 through the event outbox.
 *
 * For each of the 26 events (and the two rentd extensions of S-48) the operation that
 * emits it is called over the API as an agent with a Requester header; the event must
 * then appear in GET /api/landlords/accounts/changes with its type, accountId, changedBy
 * (the Requester, S-42), userFullName and before/after (JSON text, S-49), and its stored
 * payload (read in-process with events_page) must carry the members of §5 with the
 * occurredOn format of S-36. Failed operations (400, 404, 409, 422) and writes that
 * change nothing emit nothing. Then the changelog itself: paging, links, filters and who
 * may read what.
 *
 * FirstListingWasPublished (§5 #8) is emitted by the listings of issue 6 when a company
 * publishes its first listing; its test lives with them.
 */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/events.h"
#include "harness.h"
#include "jobs/jobs.h"
#include "store/identity/store_org.h"

#define REQUESTER "requester@ops.example"

static struct harness *h;
static char agent_tok[1024], agent_uuid[37], bob_uuid[37];
static char account[37];
static int64_t company;
static char pathbuf[512];

static const char *path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *path(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pathbuf, sizeof(pathbuf), fmt, ap);
	va_end(ap);
	return pathbuf;
}

/* As the agent, bare token (the dialect's form), with a quoted Requester (S-01 strips quotes). */
static struct hresp *op(const char *method, const char *target, const char *body)
{
	char auth[1100];
	const char *headers[] = { auth, "Requester: \"" REQUESTER "\"", NULL };
	snprintf(auth, sizeof(auth), "Authorization: %s", agent_tok);
	return harness_request_ex(h, method, target, body ? "application/json" : NULL, body, body ? strlen(body) : 0,
				  headers);
}

static void op_ok(const char *method, const char *target, const char *body, int status)
{
	struct hresp *r = op(method, target, body);
	cr_assert_eq(r->status, status, "%s %s: %d %s", method, target, r->status, r->body);
	hresp_free(r);
}

static void create_account(const char *name, const char *email, char *id)
{
	char body[1024];
	struct hresp *r;
	const char *loc;

	snprintf(body, sizeof(body),
		 "{\"accountName\":\"%s\",\"accountEmail\":\"%s\",\"accountType\":\"private\",\"phone\":\"+34656889887\","
		 "\"contactFirstName\":\"John\",\"contactLastName\":\"Doe\",\"cityId\":\"madrid\",\"locale\":\"es\"}",
		 name, email);
	r = op("POST", "/api/landlords/accounts", body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	loc = hresp_header(r, "Location");
	cr_assert_not_null(loc);
	snprintf(id, 37, "%s", loc + strlen("/api/landlords/accounts/"));
	hresp_free(r);
}

static int64_t company_of(const char *id)
{
	struct arena *a = arena_create(1024);
	struct error err;
	struct company co;
	error_init(&err, a);
	cr_assert_eq(store_company_get_by_uuid(h->store, a, str_from_cstr(id), &co, &err), 0);
	arena_destroy(a);
	return co.id;
}

static void setup(void)
{
	h = harness_create();
	fixture_agent(h, "ada@ops.example", "Ada Agent", agent_uuid, agent_tok);
	fixture_agent(h, "bob@ops.example", "Bob Manager", bob_uuid, NULL);
	create_account("Casas Madrid SL", "owner@casas.example", account);
	company = company_of(account);
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(events, .init = setup, .fini = teardown);

/* ---- reading the outbox back ---- */

static bool matches(const char *re, const char *s)
{
	regex_t rx;
	int rc;
	cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	return rc == 0;
}

#define RE_UUID "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
#define RE_0000 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+0000$"
#define RE_00_00 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+00:00$"
#define RE_PHP "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.000000$"

/* The changelog page of one account (caller frees). */
static struct hresp *changes(const char *query)
{
	char q[512];
	snprintf(q, sizeof(q), "%s", query); /* query may be pathbuf itself */
	return op("GET", path("/api/landlords/accounts/changes?%s", q), NULL);
}

static int64_t account_changes(const char *id)
{
	struct hresp *r = changes(path("accountId=%s&itemsPerPage=1", id));
	int64_t t;
	cr_assert_eq(r->status, 200, "%s", r->body);
	t = hresp_int(r, "total");
	hresp_free(r);
	return t;
}

static int64_t all_changes(void)
{
	struct hresp *r = changes("itemsPerPage=1");
	int64_t t;
	cr_assert_eq(r->status, 200, "%s", r->body);
	t = hresp_int(r, "total");
	hresp_free(r);
	return t;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

/*
 * The newest AccountChange of this type on the account, checked for what every item
 * carries (S-49, S-42); returns a new reference.
 */
static json_t *change(const char *id, const char *type)
{
	char want[128];
	struct hresp *r = changes(path("accountId=%s&itemsPerPage=100", id));
	json_t *items, *found = NULL;

	cr_assert_eq(r->status, 200, "%s", r->body);
	snprintf(want, sizeof(want), "Sah\\Domain\\%s", type);
	items = json_object_get(json_object_get(r->json, "_embedded"), "accountChanges");
	for (size_t i = 0; !found && i < json_array_size(items); i++)
		if (strcmp(jstr(json_array_get(items, i), "type"), want) == 0)
			found = json_incref(json_array_get(items, i));
	cr_assert_not_null(found, "no %s in %s", type, r->body);
	hresp_free(r);
	cr_assert(matches(RE_UUID, jstr(found, "id")), "%s", jstr(found, "id"));
	cr_assert_str_eq(jstr(found, "accountId"), id);
	cr_assert_str_eq(jstr(found, "changedBy"), REQUESTER);
	cr_assert_str_eq(jstr(found, "userFullName"), "Ada Agent");
	cr_assert(matches(RE_00_00, jstr(found, "occurredOn")), "%s", jstr(found, "occurredOn"));
	cr_assert_eq(json_object_size(found), 8, "exactly the AccountChange members");
	return found;
}

/* before or after of an AccountChange, decoded once (they are JSON text, S-49). */
static json_t *side(json_t *item, const char *which)
{
	json_t *v = json_loads(jstr(item, which), JSON_DECODE_ANY, NULL);
	cr_assert_not_null(v, "%s is not JSON text: %s", which, jstr(item, which));
	cr_assert(json_is_object(v), "%s is not an object", which);
	return v;
}

/* The newest stored payload of this type for the account's company (new reference). */
static json_t *payload(int64_t company_id, const char *type)
{
	struct arena *a = arena_create(64 * 1024);
	struct error err;
	struct event_row *rows;
	size_t n;
	int64_t total;
	json_t *p = NULL;

	error_init(&err, a);
	cr_assert_eq(events_page(app_core(h->app), a, company_id, 0, 500, &rows, &n, &total, &err), 0);
	for (size_t i = 0; !p && i < n; i++)
		if (str_eq_cstr(rows[i].type, type))
			p = json_loadb(rows[i].payload.ptr, rows[i].payload.len, 0, NULL);
	arena_destroy(a);
	cr_assert_not_null(p, "no stored %s", type);
	return p;
}

/* A member by dotted path ("contact.contactId", "contacts.0.id"); NULL when absent. */
static json_t *at(json_t *v, const char *dotted)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", dotted);
	for (char *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
	return v;
}

/* A member of a before/after object: their keys are flat ("commission.value"). */
static json_t *flat(json_t *side_obj, const char *key)
{
	json_t *v = json_object_get(side_obj, key);
	cr_assert_not_null(v, "no %s in %s", key, json_dumps(side_obj, 0));
	return v;
}

static void has(json_t *p, const char *const *members)
{
	for (size_t i = 0; members[i]; i++)
		cr_assert_not_null(at(p, members[i]), "payload lacks %s: %s", members[i], json_dumps(p, 0));
}

static const char *str_at(json_t *p, const char *dotted)
{
	json_t *v = at(p, dotted);
	cr_assert(json_is_string(v), "%s is not a string", dotted);
	return json_string_value(v);
}

static long long int_at(json_t *p, const char *dotted)
{
	json_t *v = at(p, dotted);
	cr_assert(json_is_integer(v), "%s is not an integer", dotted);
	return (long long)json_integer_value(v);
}

static void occurred(json_t *p, const char *re)
{
	cr_assert(matches(re, str_at(p, "occurredOn")), "occurredOn %s", str_at(p, "occurredOn"));
}

static void occurred_php(json_t *p)
{
	cr_assert(matches(RE_PHP, str_at(p, "occurredOn.date")), "%s", str_at(p, "occurredOn.date"));
	cr_assert_eq(int_at(p, "occurredOn.timezone_type"), 3);
	cr_assert_str_eq(str_at(p, "occurredOn.timezone"), "UTC");
}

/* user {email, identity}: the Requester and the agent (S-42). */
static void user_is_agent(json_t *p, bool with_email)
{
	cr_assert_str_eq(str_at(p, "user.identity"), agent_uuid);
	if (with_email)
		cr_assert_str_eq(str_at(p, "user.email"), REQUESTER);
}

/* ---- AccountWasCreated (#12) and ContactWasCreated (#23) ---- */

Test(events, account_creation)
{
	static const char *const created[] = {
		"accountId", "accountName", "accountEmail", "locale", "commission.type", "commission.value", "type",
		"fees.booking.type", "fees.booking.value", "contractType", "downPaymentPreference.type",
		"totalRentableUnits", "totalProperties", "contactCollection.contacts.0.id",
		"contactCollection.contacts.0.firstName", "contactCollection.contacts.0.lastName",
		"contactCollection.contacts.0.email", "contactCollection.contacts.0.phone",
		"contactCollection.contacts.0.accounting.creationUser", "contactCollection.contacts.0.accounting.updateUser",
		"contactCollection.contacts.0.accounting.creationDate", "contactCollection.contacts.0.accounting.updateDate",
		"contactCollection.contacts.0.isDeleted", "contactCollection.contactTypesAssignation.booking_manager",
		"contactCollection.contactTypesAssignation.tenant", "contactCollection.contactTypesAssignation.finance",
		"occurredOn", "user.email", "user.identity", "source", "isNotifiable", "accountPlan", "activationStage",
		NULL,
	};
	static const char *const contact[] = { "accountId", "contactId", "firstName", "lastName", "email", "phone",
					       "position", "address", "zipCode", "user.identity", "occurredOn", NULL };
	json_t *c = change(account, "AccountWasCreated"), *p, *after;

	cr_assert_str_eq(jstr(c, "before"), "{}", "nothing was there before");
	after = side(c, "after");
	cr_assert_str_eq(str_at(after, "accountName"), "Casas Madrid SL");
	json_decref(after);
	json_decref(c);

	p = payload(company, "AccountWasCreated");
	has(p, created);
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "accountEmail"), "owner@casas.example");
	cr_assert_eq(int_at(p, "commission.value"), 600, "Madrid's default commission, ×100 (S-37, S-44)");
	cr_assert(json_is_string(at(p, "contactCollection.contacts.0.id")), "S-31: contact ids as strings");
	cr_assert(json_is_boolean(at(p, "contactCollection.contacts.0.isDeleted")));
	occurred(p, RE_0000);
	user_is_agent(p, true);
	cr_assert_str_eq(str_at(p, "source"), "outbound");
	json_decref(p);

	c = change(account, "ContactWasCreated");
	json_decref(c);
	p = payload(company, "ContactWasCreated");
	has(p, contact);
	cr_assert(json_is_integer(at(p, "contactId")));
	cr_assert_str_eq(str_at(p, "firstName"), "John");
	occurred(p, RE_00_00);
	user_is_agent(p, false);
	json_decref(p);
	cr_assert_eq(account_changes(account), 2, "exactly the two creation events");
}

/* ---- AccountNameWasChanged (#20), AccountTypeWasChanged (#21), AccountPlanWasChanged (#15) ---- */

Test(events, name_type_and_plan)
{
	json_t *c, *p, *b, *a;
	int64_t before;

	op_ok("PUT", path("/api/landlords/accounts/%s/basic-details", account),
	      "{\"accountName\":\"Casas Nuevas SL\",\"accountEmail\":\"owner@casas.example\",\"locale\":\"es\",\"notes\":null}",
	      204);
	c = change(account, "AccountNameWasChanged");
	b = side(c, "before");
	a = side(c, "after");
	cr_assert_str_eq(str_at(b, "accountName"), "Casas Madrid SL");
	cr_assert_str_eq(str_at(a, "accountName"), "Casas Nuevas SL");
	json_decref(a);
	json_decref(b);
	json_decref(c);
	p = payload(company, "AccountNameWasChanged");
	cr_assert_str_eq(str_at(p, "id"), account);
	cr_assert_str_eq(str_at(p, "name"), "Casas Nuevas SL");
	occurred(p, RE_00_00);
	json_decref(p);

	op_ok("PUT", path("/api/landlords/accounts/%s/type", account), "{\"type\":\"subletter\"}", 204);
	c = change(account, "AccountTypeWasChanged");
	a = side(c, "after");
	cr_assert_str_eq(str_at(a, "type"), "subletter");
	json_decref(a);
	json_decref(c);
	p = payload(company, "AccountTypeWasChanged");
	cr_assert_str_eq(str_at(p, "id"), account);
	cr_assert_str_eq(str_at(p, "type"), "subletter");
	occurred(p, RE_00_00);
	json_decref(p);

	op_ok("PUT", path("/api/landlords/accounts/%s/plan", account), "{\"plan\":\"plus\"}", 204);
	c = change(account, "AccountPlanWasChanged");
	b = side(c, "before");
	cr_assert_str_eq(str_at(b, "accountPlan"), "standard");
	json_decref(b);
	json_decref(c);
	p = payload(company, "AccountPlanWasChanged");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "accountPlan"), "plus");
	user_is_agent(p, false);
	occurred(p, RE_0000);
	json_decref(p);

	/* S-48: only a real change is an event */
	before = account_changes(account);
	op_ok("PUT", path("/api/landlords/accounts/%s/plan", account), "{\"plan\":\"plus\"}", 204);
	op_ok("PUT", path("/api/landlords/accounts/%s/type", account), "{\"type\":\"subletter\"}", 204);
	cr_assert_eq(account_changes(account), before);
}

/* ---- CommissionWasUpdated (#6), AccountAdminFeeWasUpdated (#22), ContractTypeWasChanged (#9),
 *      CancellationPolicyWasUpdated (#5) ---- */

Test(events, booking_conditions)
{
	json_t *c, *p, *a;

	op_ok("PUT", path("/api/landlords/accounts/%s/booking-conditions", account),
	      "{\"commissionType\":\"fixed\",\"commissionValue\":1000,\"adminFeeType\":\"percentual\",\"adminFeeValue\":500,"
	      "\"contractType\":\"daily\",\"cancellationPolicy\":\"strict\",\"bookingMaxDays\":40,\"bookingMinDays\":30}",
	      204);

	c = change(account, "CommissionWasUpdated");
	a = side(c, "after");
	cr_assert_eq(json_integer_value(flat(a, "commission.value")), 1000);
	json_decref(a);
	json_decref(c);
	p = payload(company, "CommissionWasUpdated");
	cr_assert_str_eq(str_at(p, "id"), account, "S-30");
	cr_assert_str_eq(str_at(p, "type"), "fixed");
	cr_assert_eq(int_at(p, "value"), 1000);
	occurred(p, RE_0000);
	json_decref(p);

	json_decref(change(account, "AccountAdminFeeWasUpdated"));
	p = payload(company, "AccountAdminFeeWasUpdated");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "feeType"), "percentage", "S-12: percentual is the event's percentage");
	cr_assert_eq(int_at(p, "feeValue"), 500);
	user_is_agent(p, false);
	occurred(p, RE_00_00);
	json_decref(p);

	json_decref(change(account, "ContractTypeWasChanged"));
	p = payload(company, "ContractTypeWasChanged");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "contractType"), "daily");
	occurred(p, RE_0000);
	json_decref(p);

	c = change(account, "CancellationPolicyWasUpdated");
	a = side(c, "before");
	cr_assert_str_eq(str_at(a, "cancellationPolicy"), "standard");
	json_decref(a);
	json_decref(c);
	p = payload(company, "CancellationPolicyWasUpdated");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "cancellationPolicy"), "strict");
	occurred(p, RE_0000);
	json_decref(p);
}

/* ---- AccountClassificationWasUpdated (#2), MarketPenetrationInfoWasChanged (#16),
 *      AccountTechnologyWasChanged (#17), AccountManagerWasAssigned/Unassigned (#3, #4) ---- */

Test(events, management_info_and_account_manager)
{
	char body[1024];
	json_t *c, *p, *a;

	snprintf(body, sizeof(body),
		 "{\"classification\":\"key\",\"totalProperties\":10,\"totalRentableUnits\":12,\"technology\":\"pms\","
		 "\"consentForClassifieds\":true,\"otherPlatformsUsage\":\"classifieds\",\"transferTiming\":"
		 "\"booking_confirmation\",\"accountManagerId\":\"%s\",\"activationStage\":\"converted\"}",
		 bob_uuid);
	op_ok("PUT", path("/api/landlords/accounts/%s/management-info", account), body, 204);

	json_decref(change(account, "AccountClassificationWasUpdated"));
	p = payload(company, "AccountClassificationWasUpdated");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "accountClassification"), "key");
	occurred(p, RE_0000);
	json_decref(p);

	c = change(account, "MarketPenetrationInfoWasChanged");
	a = side(c, "after");
	cr_assert_eq(int_at(a, "totalProperties"), 10);
	cr_assert_eq(int_at(a, "totalRentableUnits"), 12);
	json_decref(a);
	json_decref(c);
	p = payload(company, "MarketPenetrationInfoWasChanged");
	cr_assert_eq(int_at(p, "totalProperties"), 10);
	cr_assert_eq(int_at(p, "totalRentableUnits"), 12);
	user_is_agent(p, true);
	occurred(p, RE_0000);
	json_decref(p);

	json_decref(change(account, "AccountTechnologyWasChanged"));
	p = payload(company, "AccountTechnologyWasChanged");
	cr_assert_str_eq(str_at(p, "technology"), "pms");
	user_is_agent(p, true);
	occurred(p, RE_0000);
	json_decref(p);

	c = change(account, "AccountManagerWasAssigned");
	a = side(c, "after");
	cr_assert_str_eq(str_at(a, "assignedAccountManager"), "bob@ops.example");
	json_decref(a);
	json_decref(c);
	p = payload(company, "AccountManagerWasAssigned");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "accountManager"), "bob@ops.example", "S-28: the agent's e-mail");
	occurred_php(p);
	json_decref(p);

	op_ok("PUT", path("/api/landlords/accounts/%s/account-managers", account), "{\"accountManagerId\":null}", 204);
	json_decref(change(account, "AccountManagerWasUnassigned"));
	p = payload(company, "AccountManagerWasUnassigned");
	cr_assert_str_eq(str_at(p, "id"), account, "S-29: the field list's id");
	cr_assert_str_eq(str_at(p, "accountManager"), "bob@ops.example");
	occurred_php(p);
	json_decref(p);
}

/* ---- DownPaymentPreferenceWasUpdated (#7), through the full update (#5) ---- */

Test(events, down_payment_preference)
{
	static const char body[] =
		"{\"accountName\":\"Casas Madrid SL\",\"accountEmail\":\"owner@casas.example\",\"website\":null,"
		"\"policies\":null,\"commission\":{\"type\":\"percentage\",\"value\":600},\"locale\":\"es\","
		"\"notes\":null,\"type\":\"private\",\"feeValue\":0,\"feeType\":\"empty\",\"contractType\":\"monthly\","
		"\"downPaymentType\":\"weekly\",\"downPaymentValue\":2,\"cancellationPolicy\":\"standard\","
		"\"accountClassification\":\"opportunistic\",\"assignedAccountManager\":\"unassigned\","
		"\"firstName\":\"John\",\"lastName\":\"Doe\",\"phone\":\"+34656889887\",\"email\":\"owner@casas.example\","
		"\"address\":\"Calle Mayor 1\",\"zipCode\":\"28013\",\"contractProvision\":\"unknown\","
		"\"preferredCommunicationChannel\":\"no_preference\",\"numberPublishedListings\":0,"
		"\"totalRentableUnits\":0,\"totalProperties\":0,\"technology\":\"no_technology\","
		"\"transferTiming\":\"post_check_in\",\"otherPlatformsUsage\":\"not_applicable\","
		"\"officeHours\":{\"weekdays\":null,\"weekend\":null},\"activationStage\":\"not_applicable\","
		"\"consentForClassifieds\":false}";
	json_t *c, *p, *b;

	op_ok("PUT", path("/api/landlords/accounts/%s", account), body, 204);
	c = change(account, "DownPaymentPreferenceWasUpdated");
	b = side(c, "before");
	cr_assert_str_eq(str_at(b, "downPaymentType"), "monthly");
	json_decref(b);
	json_decref(c);
	p = payload(company, "DownPaymentPreferenceWasUpdated");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "downPaymentPreference.type.type"), "weekly");
	cr_assert_eq(int_at(p, "downPaymentPreference.type.numberOfWeeks"), 2);
	occurred(p, RE_0000);
	json_decref(p);
}

/* ---- DefaultPoliciesWereChanged (#1) and AccountContentWasUpdated (#14) ---- */

Test(events, policies_and_content)
{
	static const char *const provider[] = {
		"accommodationProvider.id", "accommodationProvider.uuid", "accommodationProvider.accountName",
		"accommodationProvider.accountEmail.email", "accommodationProvider.commission",
		"accommodationProvider.type.type", "accommodationProvider.locale", "accommodationProvider.fees",
		"accommodationProvider.contractType.type", "accommodationProvider.downPaymentPreference.type.type",
		"accommodationProvider.accounting.creationUser", "accommodationProvider.accounting.creationDate",
		"accommodationProvider.isDeleted", "accommodationProvider.translatableContentCollection.canonicalLocale",
		"accommodationProvider.translatableContentCollection.translatableContents.0.policies",
		"accommodationProvider.isExternallyIntegrated", "accommodationProvider.cancellationPolicy.policy",
		"accommodationProvider.bookingAcceptanceTimePreferences", "accommodationProvider.accountClassification.type",
		"accommodationProvider.assignedAccountManager.username", "accommodationProvider.numberPublishedListings",
		"accommodationProvider.contractProvision.provision",
		"accommodationProvider.preferredCommunicationChannel.channel", "accommodationProvider.totalRentableUnits",
		"accommodationProvider.totalProperties", "accommodationProvider.contactCollection.contacts.0.id",
		"accommodationProvider.contactCollection.contactTypesAssignation.assignations.tenant",
		"contentBefore.locale", "contentBefore.translationType", "contentAfter.locale",
		"contentAfter.translationType", "contentAfter.policies", NULL,
	};
	json_t *c, *p, *a;

	op_ok("PUT", path("/api/landlords/accounts/%s/canonical-policies", account),
	      "{\"policies\":\"No smoking. No parties.\"}", 204);
	c = change(account, "DefaultPoliciesWereChanged");
	a = side(c, "after");
	cr_assert_str_eq(str_at(a, "policies"), "No smoking. No parties.");
	json_decref(a);
	json_decref(c);
	p = payload(company, "DefaultPoliciesWereChanged");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "content.locale"), "es");
	cr_assert_str_eq(str_at(p, "content.translationType"), "manual");
	cr_assert(json_is_null(at(p, "content.translationProvider")));
	cr_assert_str_eq(str_at(p, "content.policies"), "No smoking. No parties.");
	occurred(p, RE_0000);
	json_decref(p);

	json_decref(change(account, "AccountContentWasUpdated"));
	p = payload(company, "AccountContentWasUpdated");
	has(p, provider);
	cr_assert_null(at(p, "occurredOn"), "S-36: AccountContentWasUpdated has no occurredOn");
	cr_assert_null(at(p, "contentBefore.policies"), "no text before");
	json_decref(p);

	/* the iCalendar flag is content too (S-48) */
	op_ok("PUT", path("/api/accommodation-providers/%s/icalendar", account), NULL, 204);
	c = change(account, "AccountContentWasUpdated");
	a = side(c, "after");
	cr_assert(json_is_true(flat(a, "isExternallyIntegrated")), "%s", jstr(c, "after"));
	json_decref(a);
	json_decref(c);
}

/* ---- ContactWasCreated (#23), ContactWasUpdated (#26), ContactTypesWereReassigned (#11),
 *      ContactWasDeleted (#24), ContactWasObfuscated (#25) ---- */

static long long new_contact(const char *first)
{
	long long id;
	char body[512];
	struct hresp *r;
	const char *loc;

	snprintf(body, sizeof(body),
		 "{\"firstName\":\"%s\",\"lastName\":\"Ruiz\",\"email\":\"%s@casas.example\",\"phone\":\"+34600111222\","
		 "\"address\":null,\"zipCode\":null,\"position\":\"Manager\",\"notes\":null}",
		 first, first);
	r = op("POST", path("/api/landlords/accounts/%s/contacts", account), body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	loc = hresp_header(r, "Location");
	cr_assert_not_null(loc);
	id = atoll(strrchr(loc, '/') + 1);
	hresp_free(r);
	return id;
}

Test(events, contacts)
{
	long long ana, eva;
	json_t *c, *p, *b, *a;

	ana = new_contact("Ana");
	p = payload(company, "ContactWasCreated");
	cr_assert_eq(int_at(p, "contactId"), ana);
	cr_assert_str_eq(str_at(p, "position"), "Manager");
	json_decref(p);

	op_ok("PUT", path("/api/landlords/accounts/%s/contacts/%lld", account, ana),
	      "{\"firstName\":\"Ana\",\"lastName\":\"Ruiz\",\"email\":\"ana@casas.example\",\"phone\":\"+34600999888\"}",
	      204);
	c = change(account, "ContactWasUpdated");
	b = side(c, "before");
	a = side(c, "after");
	cr_assert_str_eq(str_at(b, "phone"), "+34600111222");
	cr_assert_str_eq(str_at(a, "phone"), "+34600999888");
	json_decref(b);
	json_decref(a);
	json_decref(c);
	p = payload(company, "ContactWasUpdated");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_eq(int_at(p, "contact.contactId"), ana);
	cr_assert_str_eq(str_at(p, "contact.phone"), "+34600999888");
	cr_assert(json_is_boolean(at(p, "contact.deleted")), "S-35");
	has(p, (const char *const[]){ "contact.firstName", "contact.lastName", "contact.email", "contact.address",
				      "contact.zipCode", "contact.position", "contact.notes", NULL });
	user_is_agent(p, false);
	occurred(p, RE_00_00);
	json_decref(p);

	{
		char body[128];
		snprintf(body, sizeof(body), "{\"booking_manager\":%lld,\"tenant\":%lld,\"finance\":%lld}", ana, ana, ana);
		op_ok("PUT", path("/api/landlords/accounts/%s/contact-types", account), body, 204);
	}
	json_decref(change(account, "ContactTypesWereReassigned"));
	p = payload(company, "ContactTypesWereReassigned");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_eq(int_at(p, "assignation.booking_manager"), ana);
	cr_assert_eq(int_at(p, "assignation.tenant"), ana);
	cr_assert_eq(int_at(p, "assignation.finance"), ana);
	occurred(p, RE_0000);
	json_decref(p);

	eva = new_contact("Eva");
	op_ok("DELETE", path("/api/landlords/accounts/%s/contacts/%lld", account, eva), NULL, 204);
	json_decref(change(account, "ContactWasDeleted"));
	p = payload(company, "ContactWasDeleted");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_eq(int_at(p, "contactId"), eva);
	user_is_agent(p, false);
	occurred(p, RE_00_00);
	json_decref(p);

	op_ok("POST", path("/api/landlords/accounts/%s/contacts/%lld/obfuscate", account, ana), NULL, 204);
	json_decref(change(account, "ContactWasObfuscated"));
	p = payload(company, "ContactWasObfuscated");
	cr_assert_eq(int_at(p, "contactId"), ana);
	user_is_agent(p, false);
	occurred(p, RE_00_00);
	json_decref(p);
	/* the outbox forgot Ana's personal data, and kept John's */
	p = payload(company, "ContactWasUpdated");
	cr_assert(json_is_null(at(p, "contact.phone")), "redacted: %s", json_dumps(p, 0));
	cr_assert(json_is_null(at(p, "contact.firstName")));
	cr_assert_eq(int_at(p, "contact.contactId"), ana);
	json_decref(p);
	p = payload(company, "AccountWasCreated");
	cr_assert_str_eq(str_at(p, "contactCollection.contacts.0.firstName"), "John");
	json_decref(p);
}

/* ---- AccountAdditionalDataWasCreated (#18) / …Updated (#19) ---- */

Test(events, additional_data)
{
	json_t *c, *p, *a;

	{
		char body[256];
		snprintf(body, sizeof(body), "{\"id\":\"%s\",\"data\":{\"deposit\":\"halfMonth\",\"landlordAge\":31}}",
			 account);
		op_ok("POST", "/api/landlords/accounts/additional-data", body, 201);
	}
	c = change(account, "AccountAdditionalDataWasCreated");
	cr_assert_str_eq(jstr(c, "before"), "{}");
	json_decref(c);
	p = payload(company, "AccountAdditionalDataWasCreated");
	cr_assert_str_eq(str_at(p, "accountId"), account, "S-17: the field list's accountId");
	cr_assert_str_eq(str_at(p, "data.deposit"), "halfMonth");
	user_is_agent(p, true);
	occurred(p, RE_0000);
	json_decref(p);

	op_ok("PUT", path("/api/landlords/accounts/%s/additional-data", account),
	      "{\"data\":{\"deposit\":400,\"costOfTenantContractRegistration\":25}}", 204);
	c = change(account, "AccountAdditionalDataWasUpdated");
	a = side(c, "after");
	cr_assert_eq(int_at(a, "deposit"), 400);
	json_decref(a);
	json_decref(c);
	p = payload(company, "AccountAdditionalDataWasUpdated");
	cr_assert_eq(int_at(p, "data.costOfTenantContractRegistration"), 25);
	user_is_agent(p, true);
	occurred(p, RE_0000);
	json_decref(p);
}

/* ---- the rentd extensions of S-48 ---- */

Test(events, rentd_extensions)
{
	json_t *c, *p, *a;

	op_ok("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", account),
	      "{\"spain\":{\"gapMinDays\":30,\"gapMaxDays\":60,\"contractType\":\"daily\"}}", 201);
	c = change(account, "BookingConditionsByCountryWereUpdated");
	a = side(c, "after");
	cr_assert_eq(int_at(a, "spain.gapMinDays"), 30, "conditions are keyed by country");
	json_decref(a);
	json_decref(c);
	p = payload(company, "BookingConditionsByCountryWereUpdated");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	cr_assert_str_eq(str_at(p, "conditions.spain.contractType"), "daily");
	occurred(p, RE_0000);
	json_decref(p);

	op_ok("PUT", path("/api/landlords/accounts/%s/lead-source", account), "{\"leadSource\":\"organic\"}", 204);
	c = change(account, "LeadSourceWasChanged");
	a = side(c, "before");
	cr_assert(json_is_null(at(a, "leadSource")));
	json_decref(a);
	json_decref(c);
	p = payload(company, "LeadSourceWasChanged");
	cr_assert_str_eq(str_at(p, "leadSource"), "organic");
	user_is_agent(p, true);
	occurred(p, RE_0000);
	json_decref(p);
}

/* ---- UpdateAvailabilitiesNotificationWasSent (#10): reminders ---- */

Test(events, availability_reminder)
{
	struct fixture_company landlord;
	json_t *c, *p, *a;
	struct hresp *r;
	int64_t before;

	before = account_changes(account);
	op_ok("POST", path("/api/landlords/accounts/%s/availability-reminders", account), NULL, 202);
	cr_assert_eq(account_changes(account), before, "queued, not sent yet: no event");
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	c = change(account, "UpdateAvailabilitiesNotificationWasSent");
	a = side(c, "after");
	cr_assert(matches(RE_00_00, str_at(a, "lastUpdateAvailabilitiesNotificationDate")));
	json_decref(a);
	a = side(c, "before");
	cr_assert(json_is_null(at(a, "lastUpdateAvailabilitiesNotificationDate")));
	json_decref(a);
	json_decref(c);
	p = payload(company, "UpdateAvailabilitiesNotificationWasSent");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	occurred(p, RE_0000);
	cr_assert_eq(json_object_size(p), 2);
	json_decref(p);
	r = op("GET", path("/api/landlords/accounts/%s", account), NULL);
	cr_assert_eq(r->status, 200);
	cr_assert(matches(RE_00_00, str_at(r->json, "accounting.lastUpdateAvailabilitiesNotificationDate")), "%s",
		  r->body);
	hresp_free(r);

	/* agents only; unknown accounts; no token */
	fixture_company(h, "bostader.example", &landlord);
	{
		char auth[1100];
		const char *headers[] = { auth, NULL };
		snprintf(auth, sizeof(auth), "Authorization: %s", landlord.admin_token);
		r = harness_request_ex(h, "POST", path("/api/landlords/accounts/%s/availability-reminders", landlord.uuid),
				       NULL, NULL, 0, headers);
	}
	cr_assert_eq(r->status, 403, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "title"), "Forbidden");
	hresp_free(r);
	r = op("POST", "/api/landlords/accounts/3c2e15d7-ba6e-4995-aa19-a00267ca36dd/availability-reminders", NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	cr_assert_eq(hresp_int(r, "status"), 404);
	hresp_free(r);
	r = harness_request(h, "POST", path("/api/landlords/accounts/%s/availability-reminders", account), NULL);
	cr_assert_eq(r->status, 401);
	hresp_free(r);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0, "the refused requests queued nothing");
	/* a landlord-side company has no contacts: the reminder goes to its account e-mail, the admin's */
	op_ok("POST", path("/api/landlords/accounts/%s/availability-reminders", landlord.uuid), NULL, 202);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	json_decref(change(landlord.uuid, "UpdateAvailabilitiesNotificationWasSent"));
	/* and without any usable address the reminder is refused */
	fixture_company(h, "Bostäder utan adress", &landlord);
	r = op("POST", path("/api/landlords/accounts/%s/availability-reminders", landlord.uuid), NULL);
	cr_assert_eq(r->status, 409, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0);
}

/* A later reminder's changelog shows the earlier one's date as its before. */
Test(events, availability_reminder_again_shows_the_earlier_date)
{
	static const char key[] = "lastUpdateAvailabilitiesNotificationDate";
	char first[64];
	json_t *c, *a;
	int64_t before = account_changes(account);

	op_ok("POST", path("/api/landlords/accounts/%s/availability-reminders", account), NULL, 202);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	c = change(account, "UpdateAvailabilitiesNotificationWasSent");
	a = side(c, "after");
	snprintf(first, sizeof(first), "%s", str_at(a, key));
	json_decref(a);
	json_decref(c);

	op_ok("POST", path("/api/landlords/accounts/%s/availability-reminders", account), NULL, 202);
	cr_assert_eq(jobs_run_one(app_core(h->app)), 1);
	cr_assert_eq(account_changes(account), before + 2);
	c = change(account, "UpdateAvailabilitiesNotificationWasSent"); /* the newest */
	a = side(c, "before");
	cr_assert_str_eq(str_at(a, key), first);
	json_decref(a);
	a = side(c, "after");
	cr_assert(matches(RE_00_00, str_at(a, key)));
	cr_assert_eq(json_object_size(a), 1);
	json_decref(a);
	json_decref(c);
}

/* ---- AccountWasObfuscated (#13) ---- */

Test(events, account_obfuscation)
{
	json_t *c, *p;

	op_ok("POST", path("/api/landlords/accounts/%s/obfuscate", account), NULL, 204);
	c = change(account, "AccountWasObfuscated");
	json_decref(c);
	p = payload(company, "AccountWasObfuscated");
	cr_assert_str_eq(str_at(p, "accountId"), account);
	user_is_agent(p, true);
	occurred(p, RE_0000);
	json_decref(p);
	/* the history stays, its personal members do not */
	p = payload(company, "AccountWasCreated");
	cr_assert(json_is_null(at(p, "accountEmail")), "%s", json_dumps(p, 0));
	cr_assert(json_is_null(at(p, "contactCollection.contacts.0.firstName")));
	cr_assert(json_is_null(at(p, "contactCollection.contacts.0.phone")));
	cr_assert_str_eq(str_at(p, "accountName"), "Casas Madrid SL");
	cr_assert_eq(int_at(p, "commission.value"), 600);
	cr_assert_str_eq(str_at(p, "user.email"), REQUESTER, "the agent who acted is not the data subject");
	json_decref(p);
	c = change(account, "AccountWasCreated");
	json_decref(c);
}

/* ---- failed operations emit nothing ---- */

/* tmpl with {id} replaced by the account id. */
static const char *with_account(const char *tmpl)
{
	const char *at_id = strstr(tmpl, "{id}");
	if (!at_id)
		return tmpl;
	return path("%.*s%s%s", (int)(at_id - tmpl), tmpl, account, at_id + 4);
}

Test(events, failed_operations_emit_nothing)
{
	static const struct {
		const char *method, *target, *body;
		int status;
	} cases[] = {
		{ "PUT", "/api/landlords/accounts/{id}/type", "{\"type\":\"castle\"}", 400 },
		{ "PUT", "/api/landlords/accounts/{id}/plan", "{\"plan\":\"\"}", 400 },
		{ "PUT", "/api/landlords/accounts/{id}/basic-details", "{\"accountName\":\"x\"}", 400 },
		{ "PUT", "/api/landlords/accounts/{id}/booking-conditions",
		  "{\"commissionType\":\"fixed\",\"commissionValue\":1000,\"adminFeeType\":\"bogus\",\"adminFeeValue\":1,"
		  "\"contractType\":\"daily\",\"cancellationPolicy\":\"strict\"}",
		  422 },
		{ "PUT", "/api/landlords/accounts/{id}/management-info", "{\"classification\":\"key\"}", 422 },
		{ "PUT", "/api/landlords/accounts/{id}/account-managers", "{\"accountManagerId\":\"nobody@ops.example\"}",
		  422 },
		{ "PUT", "/api/landlords/accounts/{id}/contacts/999999",
		  "{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"a@b.example\",\"phone\":\"1\"}", 404 },
		{ "PUT", "/api/landlords/accounts/{id}/contact-types",
		  "{\"booking_manager\":999999,\"tenant\":1,\"finance\":1}", 422 },
		{ "POST", "/api/landlords/accounts/{id}/booking-conditions-by-country", "{\"{countryId}\":{}}", 422 },
		{ "POST", "/api/landlords/accounts/{id}/availability-reminders", "[", 400 },
		{ "PUT", "/api/landlords/accounts/3c2e15d7-ba6e-4995-aa19-a00267ca36dd/plan", "{\"plan\":\"plus\"}", 404 },
		{ "POST", "/api/landlords/accounts",
		  "{\"accountName\":\"Dup\",\"accountEmail\":\"OWNER@casas.example\",\"accountType\":\"private\","
		  "\"phone\":\"1\",\"contactFirstName\":\"A\",\"contactLastName\":\"B\",\"cityId\":\"madrid\","
		  "\"locale\":\"es\"}",
		  409 },
		{ "POST", "/api/landlords/accounts", "{\"accountName\":\"No city\"}", 422 },
	};
	int64_t all = all_changes();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hresp *r = op(cases[i].method, with_account(cases[i].target), cases[i].body);
		cr_assert_eq(r->status, cases[i].status, "%s %s: %d %s", cases[i].method, cases[i].target, r->status,
			     r->body);
		hresp_free(r);
		cr_assert_eq(all_changes(), all, "%s %s emitted an event", cases[i].method, cases[i].target);
	}
	cr_assert_eq(jobs_run_one(app_core(h->app)), 0, "nor queued anything");
}

/* ---- the changelog: paging, links, filters, access ---- */

Test(events, changelog_pages_newest_first_with_links)
{
	char other[37];
	struct hresp *r;
	json_t *items, *links;

	for (int i = 0; i < 3; i++)
		op_ok("PUT", path("/api/landlords/accounts/%s/plan", account), i % 2 ? "{\"plan\":\"standard\"}"
										      : "{\"plan\":\"plus\"}",
		      204);
	create_account("Other SL", "other@casas.example", other);
	cr_assert_eq(account_changes(account), 5);
	cr_assert_eq(account_changes(other), 2);
	cr_assert_eq(all_changes(), 7);

	r = changes(path("accountId=%s&itemsPerPage=2&page=2", account));
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 2);
	cr_assert_eq(hresp_int(r, "total"), 5);
	links = json_object_get(r->json, "_links");
	cr_assert_str_eq(str_at(links, "self.href"),
			 path("/api/landlords/accounts/changes?accountId=%s&page=2&itemsPerPage=2", account));
	cr_assert_str_eq(str_at(links, "first.href"),
			 path("/api/landlords/accounts/changes?accountId=%s&page=1&itemsPerPage=2", account));
	cr_assert_str_eq(str_at(links, "last.href"),
			 path("/api/landlords/accounts/changes?accountId=%s&page=3&itemsPerPage=2", account));
	cr_assert_not_null(at(links, "next.href"));
	cr_assert_not_null(at(links, "previous.href"));
	items = json_object_get(json_object_get(r->json, "_embedded"), "accountChanges");
	cr_assert_eq(json_array_size(items), 2);
	/* newest first: page 1 holds the three plan changes' last two, page 2 the first and ContactWasCreated */
	cr_assert_str_eq(jstr(json_array_get(items, 0), "type"), "Sah\\Domain\\AccountPlanWasChanged");
	cr_assert_str_eq(jstr(json_array_get(items, 1), "type"), "Sah\\Domain\\ContactWasCreated");
	hresp_free(r);

	/* everything, default page size 20 */
	r = changes("");
	cr_assert_eq(r->status, 200);
	cr_assert_eq(hresp_int(r, "count"), 7);
	items = json_object_get(json_object_get(r->json, "_embedded"), "accountChanges");
	cr_assert_str_eq(jstr(json_array_get(items, 0), "accountId"), other);
	cr_assert_null(at(r->json, "_links.next"));
	cr_assert_null(at(r->json, "_links.previous"));
	cr_assert_str_eq(str_at(r->json, "_links.last.href"), "/api/landlords/accounts/changes?page=1&itemsPerPage=20");
	hresp_free(r);

	/* past the end: an empty page; an unknown account: an empty page */
	r = changes(path("accountId=%s&page=9", account));
	cr_assert_eq(r->status, 200);
	cr_assert_eq(hresp_int(r, "count"), 0);
	cr_assert_eq(hresp_int(r, "total"), 5);
	hresp_free(r);
	r = changes("accountId=3c2e15d7-ba6e-4995-aa19-a00267ca36dd");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 0);
	cr_assert_eq(hresp_int(r, "total"), 0);
	cr_assert_eq(json_array_size(at(r->json, "_embedded.accountChanges")), 0);
	hresp_free(r);

	/* bad paging is a 400 naming the parameter; huge pages are clamped (S-18) */
	r = changes("page=0");
	cr_assert_eq(r->status, 400, "%s", r->body);
	cr_assert_not_null(at(r->json, "validationMessages.page"), "%s", r->body);
	hresp_free(r);
	r = changes("itemsPerPage=abc");
	cr_assert_eq(r->status, 400);
	cr_assert_not_null(at(r->json, "validationMessages.itemsPerPage"));
	hresp_free(r);
	r = changes("itemsPerPage=5000&page=99999999999999999");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 0);
	cr_assert_eq(hresp_int(r, "total"), 7);
	cr_assert(strstr(str_at(r->json, "_links.self.href"), "itemsPerPage=100"));
	hresp_free(r);
}

static struct hresp *as(const char *token, const char *target)
{
	char auth[1100];
	const char *headers[] = { auth, NULL };
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	return harness_request_ex(h, "GET", target, NULL, NULL, 0, headers);
}

Test(events, a_landlord_reads_only_its_own_account)
{
	struct fixture_company mine;
	struct hresp *r;
	json_t *items;

	fixture_company(h, "Bostäder AB", &mine);
	op_ok("PUT", path("/api/landlords/accounts/%s/plan", mine.uuid), "{\"plan\":\"plus\"}", 204);

	r = as(mine.admin_token, "/api/landlords/accounts/changes");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 1, "only its own account's changes: %s", r->body);
	items = at(r->json, "_embedded.accountChanges");
	cr_assert_str_eq(jstr(json_array_get(items, 0), "accountId"), mine.uuid);
	cr_assert_str_eq(jstr(json_array_get(items, 0), "changedBy"), REQUESTER);
	hresp_free(r);
	r = as(mine.admin_token, path("/api/landlords/accounts/changes?accountId=%s", mine.uuid));
	cr_assert_eq(r->status, 200);
	cr_assert_eq(hresp_int(r, "total"), 1);
	hresp_free(r);

	/* another account, known or not, is a 404 (S-40: #3 documents no 403) */
	r = as(mine.admin_token, path("/api/landlords/accounts/changes?accountId=%s", account));
	cr_assert_eq(r->status, 404, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "detail"), "The resource was not found");
	hresp_free(r);
	r = as(mine.admin_token, "/api/landlords/accounts/changes?accountId=3c2e15d7-ba6e-4995-aa19-a00267ca36dd");
	cr_assert_eq(r->status, 404);
	hresp_free(r);

	/* no token, a bad token */
	r = harness_request(h, "GET", "/api/landlords/accounts/changes", NULL);
	cr_assert_eq(r->status, 401);
	cr_assert_str_eq(hresp_str(r, "detail"), "Unauthorized user");
	hresp_free(r);
	r = as("aa.bb.cc", "/api/landlords/accounts/changes");
	cr_assert_eq(r->status, 401);
	hresp_free(r);
}

Test(events, changed_by_falls_back_to_the_token_email)
{
	char auth[1100];
	const char *headers[] = { auth, NULL };
	struct hresp *r;
	json_t *c;

	snprintf(auth, sizeof(auth), "Authorization: %s", agent_tok);
	r = harness_request_ex(h, "PUT", path("/api/landlords/accounts/%s/plan", account), "application/json",
			       "{\"plan\":\"plus\"}", 15, headers);
	cr_assert_eq(r->status, 204, "%s", r->body);
	hresp_free(r);
	r = changes(path("accountId=%s&itemsPerPage=1", account));
	c = json_array_get(at(r->json, "_embedded.accountChanges"), 0);
	cr_assert_str_eq(jstr(c, "type"), "Sah\\Domain\\AccountPlanWasChanged");
	cr_assert_str_eq(jstr(c, "changedBy"), "ada@ops.example", "S-42: without Requester, the token's e-mail");
	hresp_free(r);
}
