/*
 * Accounts dialect accounts (spotahome.md §2.1, §2.2, §2.8, §2.9, §3.1, §5; decisions.md
 * S-01…S-50): #1 list, #2 create, #4 one account, #5 full update, #6 basic details, #7 me,
 * #8 type, #9 plan, #10 booking conditions by country, #11 booking acceptance preferences,
 * #12 iCalendar, #31 and #48 policies, #32–#34 additional data, #46 booking conditions,
 * #47 management info, #51 account managers, #52 lead source (and its S-16 alias), the
 * GDPR erasure; each with its documented codes, validation (422, or 400 per S-38), access
 * (S-40) and events (S-48): a write emits one event per changed aspect, a failed or idle
 * write none. The table-driven tests at the end change one member of a valid body at a time
 * (every required member omitted, every enum, type and length broken) and run every
 * endpoint through every kind of caller.
 */
#include "accounts_common.h"

TestSuite(accounts, .init = setup, .fini = teardown);

/* No string anywhere in v is "null" (S-07). */
static void no_null_strings(json_t *v, const char *where)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_string(v))
		cr_assert_str_neq(json_string_value(v), "null", "the string \"null\" at %s", where);
	else if (json_is_object(v))
		json_object_foreach (v, k, x)
			no_null_strings(x, k);
	else if (json_is_array(v))
		json_array_foreach (v, i, x)
			no_null_strings(x, where);
}

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

static bool is_uuid(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
			return false;
	return s[14] == '4';
}

static void expect_contact(json_t *k, long long id, const char *first, const char *last, const char *email,
			   const char *phone)
{
	static const char *const keys[] = { "id", "firstName", "lastName", "email", "phone", "address", "zipCode",
					    "position", "notes", NULL };
	cr_assert(json_is_object(k));
	expect_keys(k, keys);
	cr_assert_eq(jint(k, "id"), id);
	cr_assert_str_eq(jstr(k, "firstName"), first);
	cr_assert_str_eq(jstr(k, "lastName"), last);
	cr_assert_str_eq(jstr(k, "email"), email);
	cr_assert_str_eq(jstr(k, "phone"), phone);
	cr_assert(json_is_null(json_object_get(k, "address")));
	cr_assert(json_is_null(json_object_get(k, "zipCode")));
	cr_assert(json_is_null(json_object_get(k, "position")));
	cr_assert(json_is_null(json_object_get(k, "notes")));
}

static const char *const account_keys[] = {
	"id", "uuid", "userId", "accountName", "accountEmail", "locale", "website", "commission", "type", "notes",
	"fees", "contractType", "downPaymentType", "downPaymentValue", "tenantBookingContact", "financeContact",
	"policies", "bookingAcceptanceTimePreferences", "cancellationPolicy", "accountClassification",
	"assignedAccountManagerId", "assignedAccountManager", "isActive", "contacts", "bookingContact",
	"isOwnedBySpotahome", "accounting", "contractProvision", "preferredCommunicationChannel",
	"numberPublishedListings`", "numberPublishedListings", "totalRentableUnits", "totalProperties", "technology",
	"transferTiming", "otherPlatformsUsage", "officeHours", "activationStage", "consentForClassifieds", "cityId",
	"leadSource", "accountPlan", NULL,
};

static const char *owner_uuid(const char *username)
{
	static char out[37];
	struct arena *a = arena_create(4096);
	struct error err;
	struct user u;

	error_init(&err, a);
	cr_assert_eq(store_user_get_by_username(h->store, a, str_from_cstr(username), &u, &err), 0);
	snprintf(out, sizeof(out), "%.*s", STR_FMT(u.uuid));
	arena_destroy(a);
	return out;
}

/* ---- #2 create and #4 the Account body ---- */

Test(accounts, create_then_get_every_member)
{
	char id[37];
	json_t *j, *k, *contacts, *fees, *bat, *oh;
	long long cid;

	create(create_body, id);
	j = get_account(agent_token, id);
	expect_keys(j, account_keys);
	no_null_strings(j, "account");
	cr_assert_str_eq(jstr(j, "id"), id);
	cr_assert(is_uuid(jstr(j, "id")) && is_uuid(jstr(j, "uuid")));
	cr_assert_str_neq(jstr(j, "uuid"), id);
	cr_assert_str_eq(jstr(j, "userId"), owner_uuid("info@john.com"));
	cr_assert_str_eq(jstr(j, "accountName"), "RealEstate SL");
	cr_assert_str_eq(jstr(j, "accountEmail"), "info@john.com");
	cr_assert_str_eq(jstr(j, "locale"), "es");
	cr_assert(json_is_null(json_object_get(j, "website")));
	/* S-44: the city's default commission; S-08: value as a string of the ×100 integer */
	cr_assert_str_eq(sget(j, "commission.type"), "percentage");
	cr_assert_str_eq(sget(j, "commission.value"), "600");
	cr_assert_str_eq(jstr(j, "type"), "private");
	cr_assert(json_is_null(json_object_get(j, "notes")));
	fees = json_object_get(j, "fees");
	cr_assert_eq(json_array_size(fees), 1);
	cr_assert_str_eq(jstr(json_array_get(fees, 0), "feeType"), "empty");
	cr_assert_str_eq(jstr(json_array_get(fees, 0), "feeValue"), "0");
	cr_assert_str_eq(jstr(j, "contractType"), "monthly");
	cr_assert_str_eq(jstr(j, "downPaymentType"), "monthly");
	cr_assert(json_is_null(json_object_get(j, "downPaymentValue")));
	contacts = json_object_get(j, "contacts");
	cr_assert_eq(json_array_size(contacts), 1);
	cid = jint(json_array_get(contacts, 0), "id");
	cr_assert(cid > 0);
	expect_contact(json_array_get(contacts, 0), cid, "John", "Doe", "info@john.com", "+34656889887");
	expect_contact(json_object_get(j, "bookingContact"), cid, "John", "Doe", "info@john.com", "+34656889887");
	expect_contact(json_object_get(j, "tenantBookingContact"), cid, "John", "Doe", "info@john.com", "+34656889887");
	expect_contact(json_object_get(j, "financeContact"), cid, "John", "Doe", "info@john.com", "+34656889887");
	cr_assert(json_is_null(json_object_get(j, "policies")));
	/* S-07: unset string settings are omitted, never "null" */
	bat = json_object_get(j, "bookingAcceptanceTimePreferences");
	cr_assert_eq(json_object_size(json_object_get(bat, "maxGapBetweenBookings")), 0);
	cr_assert_eq(json_object_size(json_object_get(bat, "bookingAcceptanceDaysRange")), 0);
	cr_assert_str_eq(jstr(j, "cancellationPolicy"), "standard");
	cr_assert_str_eq(jstr(j, "accountClassification"), "opportunistic");
	cr_assert_str_eq(jstr(j, "assignedAccountManagerId"), "unassigned");
	cr_assert_str_eq(jstr(j, "assignedAccountManager"), "unassigned");
	cr_assert(json_is_true(json_object_get(j, "isActive")));
	cr_assert(json_is_false(json_object_get(j, "isOwnedBySpotahome")));
	k = json_object_get(j, "accounting");
	cr_assert_eq(json_object_size(k), 1, "only the creation user is known: %s", json_dumps(k, 0));
	cr_assert_str_eq(jstr(k, "creationUser"), "ops@rentd.test");
	cr_assert_str_eq(jstr(j, "contractProvision"), "unknown");
	cr_assert_str_eq(jstr(j, "preferredCommunicationChannel"), "no_preference");
	cr_assert_eq(jint(j, "numberPublishedListings`"), 0); /* S-05: both keys */
	cr_assert_eq(jint(j, "numberPublishedListings"), 0);
	cr_assert_eq(jint(j, "totalRentableUnits"), 0);
	cr_assert_eq(jint(j, "totalProperties"), 0);
	cr_assert_str_eq(jstr(j, "technology"), "no_technology");
	cr_assert_str_eq(jstr(j, "transferTiming"), "post_check_in");
	cr_assert_str_eq(jstr(j, "otherPlatformsUsage"), "not_applicable");
	oh = json_object_get(j, "officeHours");
	cr_assert(json_is_null(json_object_get(oh, "weekdays")) && json_is_null(json_object_get(oh, "weekend")));
	cr_assert_str_eq(jstr(j, "activationStage"), "not_applicable");
	cr_assert(json_is_false(json_object_get(j, "consentForClassifieds")));
	cr_assert_str_eq(jstr(j, "cityId"), "madrid");
	cr_assert(json_is_null(json_object_get(j, "leadSource")));
	cr_assert_str_eq(jstr(j, "accountPlan"), "standard");
	json_decref(j);
	cr_assert_str_eq(events_of(company_of(id)), "AccountWasCreated ContactWasCreated");
}

Test(accounts, create_emits_account_was_created)
{
	char id[37];
	json_t *e, *c;

	create(create_body, id);
	e = last_event(company_of(id), "AccountWasCreated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "accountId"), id);
	cr_assert_str_eq(jstr(e, "accountName"), "RealEstate SL");
	cr_assert_str_eq(jstr(e, "accountEmail"), "info@john.com");
	cr_assert_str_eq(jstr(e, "locale"), "es");
	cr_assert_eq(jint(json_object_get(e, "commission"), "value"), 600);
	cr_assert_str_eq(sget(e, "fees.booking.type"), "fixed");
	cr_assert_str_eq(sget(e, "source"), "outbound");
	cr_assert_str_eq(sget(e, "user.email"), "ops@rentd.test");
	cr_assert_str_eq(sget(e, "user.identity"), agent_uuid);
	c = json_array_get(json_object_get(json_object_get(e, "contactCollection"), "contacts"), 0);
	cr_assert(json_is_string(json_object_get(c, "id")), "S-31: contact id as a string");
	cr_assert(json_is_false(json_object_get(c, "isDeleted")));
	/* S-36: +0000 */
	cr_assert_eq(strlen(jstr(e, "occurredOn")), 24);
	cr_assert_str_eq(jstr(e, "occurredOn") + 19, "+0000");
	json_decref(e);
	e = last_event(company_of(id), "ContactWasCreated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "accountId"), id);
	cr_assert_str_eq(jstr(e, "occurredOn") + 19, "+00:00");
	cr_assert_str_eq(jstr(e, "firstName"), "John");
	json_decref(e);
}

Test(accounts, create_notifiable_owner_has_no_password)
{
	char id[37], body[sizeof(create_body) + 8];
	struct arena *a = arena_create(4096);
	struct error err;
	struct user u;

	snprintf(body, sizeof(body), "%s", create_body);
	memcpy(strstr(body, "false"), "true}", 6);
	create(body, id);
	error_init(&err, a);
	cr_assert_eq(store_user_get_by_username(h->store, a, STR_LIT("info@john.com"), &u, &err), 0);
	cr_assert_eq(u.password_hash.len, 0, "the owner's password is set through the invitation");
	cr_assert_eq(u.company_id, company_of(id));
	cr_assert_str_eq(arena_strdup_str(a, u.first_name), "John");
	arena_destroy(a);
}

Test(accounts, create_requires_every_member)
{
	static const char *const required[] = { "accountName", "accountEmail", "accountType", "phone",
						"contactFirstName", "contactLastName", "cityId", "locale", NULL };
	struct hresp *r = areq("POST", "/api/landlords/accounts", agent_token, "{}");
	int before = count_events(0);

	expect_problem(r, 422);
	for (int i = 0; required[i]; i++)
		cr_assert(names(r, required[i], "isEmpty"), "%s: %s", required[i], r->body);
	hresp_free(r);
	r = areq("POST", "/api/landlords/accounts", agent_token,
		 "{\"accountName\":\"\",\"accountEmail\":\"not-an-email\",\"accountType\":\"castle\",\"phone\":7,"
		 "\"contactFirstName\":\"J\",\"contactLastName\":\"D\",\"cityId\":\"atlantis\",\"locale\":\"xx\","
		 "\"isNotifiable\":\"maybe\"}");
	expect_field(r, 422, "accountName", "isEmpty");
	cr_assert(names(r, "accountEmail", "invalid"), "%s", r->body);
	cr_assert(names(r, "accountType", "notInArray"), "%s", r->body);
	cr_assert(names(r, "phone", "invalidType"), "%s", r->body);
	cr_assert(names(r, "locale", "notInArray"), "%s", r->body);
	cr_assert(names(r, "isNotifiable", "invalidType"), "%s", r->body);
	hresp_free(r);
	/* the city is checked once the members are well-formed */
	r = areq("POST", "/api/landlords/accounts", agent_token,
		 "{\"accountName\":\"A\",\"accountEmail\":\"a@b.c\",\"accountType\":\"private\",\"phone\":\"1\","
		 "\"contactFirstName\":\"J\",\"contactLastName\":\"D\",\"cityId\":\"atlantis\",\"locale\":\"es\"}");
	expect_field(r, 422, "cityId", "notInArray");
	hresp_free(r);
	r = areqf("POST", "/api/landlords/accounts", agent_token,
		  "{\"accountName\":\"%0300d\",\"accountEmail\":\"a@b.c\",\"accountType\":\"private\",\"phone\":\"1\","
		  "\"contactFirstName\":\"J\",\"contactLastName\":\"D\",\"cityId\":\"madrid\",\"locale\":\"es\"}",
		  0);
	expect_field(r, 422, "accountName", "stringLength");
	hresp_free(r);
	r = areq("POST", "/api/landlords/accounts", agent_token, "{\"accountName\":");
	expect_problem(r, 400);
	hresp_free(r);
	/* nothing was made */
	r = areq("GET", "/api/landlords/accounts", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "total"), 2, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(count_events(0), before);
}

Test(accounts, create_conflicts_on_a_used_email)
{
	char id[37];
	char body[sizeof(create_body) + 64];
	struct hresp *r;

	create(create_body, id);
	snprintf(body, sizeof(body), "%s", create_body);
	memcpy(strstr(body, "info@john.com"), "INFO@JOHN.COM", 13);
	r = areq("POST", "/api/landlords/accounts", agent_token, body);
	expect_problem(r, 409);
	hresp_free(r);
	/* the username of an existing user (the landlord-side company's admin) */
	r = areqf("POST", "/api/landlords/accounts", agent_token,
		  "{\"accountName\":\"Dup\",\"accountEmail\":\"%s\",\"accountType\":\"private\",\"phone\":\"1\","
		  "\"contactFirstName\":\"J\",\"contactLastName\":\"D\",\"cityId\":\"madrid\",\"locale\":\"es\"}",
		  co.admin_username);
	expect_problem(r, 409);
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "total"), 3, "%s", r->body);
	hresp_free(r);
}

Test(accounts, create_is_for_agents)
{
	struct hresp *r = areq("POST", "/api/landlords/accounts", co.admin_token, create_body);
	expect_problem(r, 403);
	hresp_free(r);
	r = areq("POST", "/api/landlords/accounts", consumer_token, create_body);
	expect_problem(r, 403);
	hresp_free(r);
	r = areq("POST", "/api/landlords/accounts", NULL, create_body);
	expect_problem(r, 401);
	hresp_free(r);
	r = areq("POST", "/api/landlords/accounts", "aa.bb.cc", create_body);
	expect_problem(r, 401);
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "total"), 2, "%s", r->body);
	hresp_free(r);
}

/* ---- #1 list ---- */

Test(accounts, landlord_side_company_is_an_account)
{
	struct hresp *r = areq("GET", "/api/landlords/accounts", agent_token, NULL);
	json_t *items = json_object_get(json_object_get(r->json, "_embedded"), "sah:accounts"), *acme = NULL, *v;
	size_t i;

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "count"), 2);
	cr_assert_eq(hresp_int(r, "total"), 2);
	json_array_foreach (items, i, v)
		if (strcmp(jstr(v, "id"), co.uuid) == 0)
			acme = v;
	cr_assert(acme, "%s", r->body);
	expect_keys(acme, account_keys);
	no_null_strings(acme, "account");
	cr_assert_str_eq(jstr(acme, "accountName"), "Acme");
	cr_assert_str_eq(jstr(acme, "accountEmail"), co.admin_username);
	cr_assert_str_eq(jstr(acme, "userId"), owner_uuid(co.admin_username));
	cr_assert_str_eq(jstr(acme, "cityId"), "stockholm");
	cr_assert_eq(json_array_size(json_object_get(acme, "contacts")), 0);
	cr_assert(json_is_null(json_object_get(acme, "bookingContact")));
	hresp_free(r);
}

Test(accounts, list_pages_and_links)
{
	char a[37], b[37];
	struct hresp *r;
	json_t *links;

	create(create_body, a);
	create("{\"accountName\":\"Second\",\"accountEmail\":\"second@x.es\",\"accountType\":\"subletter\","
	       "\"phone\":\"+34 600 000 001\",\"contactFirstName\":\"S\",\"contactLastName\":\"T\","
	       "\"cityId\":\"barcelona\",\"locale\":\"en\"}",
	       b);
	r = areq("GET", "/api/landlords/accounts?itemsPerPage=3", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "count"), 3);
	cr_assert_eq(hresp_int(r, "total"), 4);
	links = json_object_get(r->json, "_links");
	cr_assert_str_eq(sget(links, "self.href"), "/api/landlords/accounts?page=1&itemsPerPage=3");
	cr_assert_str_eq(sget(links, "first.href"), "/api/landlords/accounts?page=1&itemsPerPage=3");
	cr_assert_str_eq(sget(links, "last.href"), "/api/landlords/accounts?page=2&itemsPerPage=3");
	cr_assert_str_eq(sget(links, "next.href"), "/api/landlords/accounts?page=2&itemsPerPage=3");
	cr_assert_null(json_object_get(links, "previous"));
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts?page=2&itemsPerPage=3", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "count"), 1);
	links = json_object_get(r->json, "_links");
	cr_assert_str_eq(sget(links, "previous.href"), "/api/landlords/accounts?page=1&itemsPerPage=3");
	cr_assert_null(json_object_get(links, "next"));
	cr_assert_str_eq(jstr(json_array_get(json_object_get(json_object_get(r->json, "_embedded"), "sah:accounts"), 0),
			      "id"),
			 b);
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts?page=0", agent_token, NULL);
	expect_field(r, 400, "page", "invalidType");
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts?itemsPerPage=abc", agent_token, NULL);
	expect_field(r, 400, "itemsPerPage", "invalidType");
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts?page=9", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "count"), 0);
	cr_assert_eq(hresp_int(r, "total"), 4);
	hresp_free(r);
}

static long long list_total(const char *query)
{
	char target[512];
	struct hresp *r;
	long long total;

	snprintf(target, sizeof(target), "/api/landlords/accounts?%s", query);
	r = areq("GET", target, agent_token, NULL);
	cr_assert_eq(r->status, 200, "%s: %s", query, r->body);
	total = hresp_int(r, "total");
	cr_assert_eq(hresp_int(r, "count"), total);
	hresp_free(r);
	return total;
}

Test(accounts, list_filters)
{
	char a[37], q[256];

	create(create_body, a);
	/* S-43: email exact but case-insensitive, name substring, phone by digits ("+" decodes to a space) */
	cr_assert_eq(list_total("email=INFO%40john.com"), 1);
	cr_assert_eq(list_total("email=info@john"), 0);
	cr_assert_eq(list_total("accountName=realestate"), 1);
	cr_assert_eq(list_total("accountName=Ac"), 1);
	cr_assert_eq(list_total("contactPhone=+34656889887"), 1);
	cr_assert_eq(list_total("contactPhone=%2B34656889887"), 1);
	cr_assert_eq(list_total("contactPhone=+3499999999"), 0);
	cr_assert_eq(list_total("contactPhone=abc"), 0);
	cr_assert_eq(list_total("accountName=realestate&email=other@x.y"), 0);
	/* S-19: every encoding of ids */
	snprintf(q, sizeof(q), "ids=%s", a);
	cr_assert_eq(list_total(q), 1);
	snprintf(q, sizeof(q), "ids[]=%s&ids[]=%s", a, co.uuid);
	cr_assert_eq(list_total(q), 2);
	snprintf(q, sizeof(q), "ids=%s&ids=%s", a, other.uuid);
	cr_assert_eq(list_total(q), 2);
	snprintf(q, sizeof(q), "ids=%s,%s,%s", a, co.uuid, other.uuid);
	cr_assert_eq(list_total(q), 3);
	snprintf(q, sizeof(q), "ids[0]=%s", co.uuid);
	cr_assert_eq(list_total(q), 1);
	cr_assert_eq(list_total("ids=00000000-0000-4000-8000-000000000000"), 0);
}

Test(accounts, list_name_filter_takes_wildcards_literally)
{
	char a[37], b[37];

	create(create_body, a);
	create("{\"accountName\":\"50% Off_Homes\\\\Sthlm\",\"accountEmail\":\"deals@homes.example\","
	       "\"accountType\":\"private\",\"phone\":\"+46701234567\",\"contactFirstName\":\"Ann\","
	       "\"contactLastName\":\"Berg\",\"cityId\":\"madrid\",\"locale\":\"es\",\"isNotifiable\":false}",
	       b);
	/* S-43: a substring, case-insensitive; %, _ and \ in it stand for themselves */
	cr_assert_eq(list_total("accountName=%25"), 1);
	cr_assert_eq(list_total("accountName=_"), 1);
	cr_assert_eq(list_total("accountName=%5C"), 1);
	cr_assert_eq(list_total("accountName=0%25%20oFF_h"), 1);
	cr_assert_eq(list_total("accountName=5_"), 0);
	cr_assert_eq(list_total("accountName=%25%25"), 0);
	cr_assert_eq(list_total("accountName=S"), 2);
}

Test(accounts, list_filters_repeat_in_links)
{
	char a[37];
	struct hresp *r;

	create(create_body, a);
	/* S-19: links write every id as ids[]=, the comma-separated form too */
	r = areq("GET", "/api/landlords/accounts?accountName=real&ids=x,y&itemsPerPage=5", agent_token, NULL);
	cr_assert_str_eq(sget(json_object_get(r->json, "_links"), "self.href"),
			 "/api/landlords/accounts?accountName=real&ids[]=x&ids[]=y&page=1&itemsPerPage=5", "%s",
			 r->body);
	hresp_free(r);
	/* S-18: itemsPerPage above 100 is clamped */
	r = areq("GET", "/api/landlords/accounts?itemsPerPage=500", agent_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(sget(json_object_get(r->json, "_links"), "self.href"),
			 "/api/landlords/accounts?page=1&itemsPerPage=100", "%s", r->body);
	hresp_free(r);
}

Test(accounts, employee_lists_only_its_account)
{
	char a[37];
	struct hresp *r;

	create(create_body, a);
	r = areq("GET", "/api/landlords/accounts", co.admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "total"), 1);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(json_object_get(r->json, "_embedded"), "sah:accounts"), 0),
			      "id"),
			 co.uuid);
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts?ids[]=", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "total"), 3);
	hresp_free(r);
	expect_problem(r = areq("GET", "/api/landlords/accounts", NULL, NULL), 401);
	hresp_free(r);
	expect_problem(r = areq("GET", "/api/landlords/accounts", consumer_token, NULL), 403);
	hresp_free(r);
}

/* ---- #4 and #7 access ---- */

Test(accounts, get_access_rules)
{
	struct hresp *r;

	/* bare (the seed's form) and Bearer both work (S-41) */
	r = areq_ex("GET", path("/api/landlords/accounts/%s", co.uuid), BEARER, agent_token, NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = areq_ex("GET", path("/api/landlords/accounts/%s", co.uuid), BARE, co.admin_token, NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	/* another account: 403, documented on #4 (S-40) */
	expect_problem(r = areq("GET", path("/api/landlords/accounts/%s", other.uuid), co.admin_token, NULL), 403);
	hresp_free(r);
	expect_problem(r = areq("GET", "/api/landlords/accounts/00000000-0000-4000-8000-000000000000", agent_token,
				NULL),
		       404);
	hresp_free(r);
	expect_problem(r = areq("GET", path("/api/landlords/accounts/%s", co.uuid), NULL, NULL), 401);
	hresp_free(r);
	expect_problem(r = areq("GET", path("/api/landlords/accounts/%s", co.uuid), consumer_token, NULL), 403);
	hresp_free(r);
	/* G-01: a trailing slash */
	r = areq("GET", path("/api/landlords/accounts/%s/", co.uuid), agent_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

Test(accounts, me_is_the_callers_account)
{
	struct hresp *r = areq("GET", "/api/landlords/accounts/me", co.admin_token, NULL);

	/* the literal segment wins over {id} (S-39) */
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "id"), co.uuid);
	expect_keys(r->json, account_keys);
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts/me/", other.admin_token, NULL);
	cr_assert_str_eq(hresp_str(r, "id"), other.uuid);
	hresp_free(r);
	expect_problem(r = areq("GET", "/api/landlords/accounts/me", agent_token, NULL), 404);
	hresp_free(r);
	expect_problem(r = areq("GET", "/api/landlords/accounts/me", NULL, NULL), 401);
	hresp_free(r);
}

/* ---- #5 full update ---- */

static const char put_body[] =
	"{\"accountName\":\"name\",\"accountEmail\":\"info@landlords.com\",\"website\":\"http://spotahome.com\","
	"\"policies\":\"This is the policy\",\"commission\":{\"type\":\"fixed\",\"value\":2},\"locale\":\"es\","
	"\"notes\":\"note\",\"type\":\"private\",\"feeValue\":7,\"feeType\":\"fixed\",\"contractType\":\"daily\","
	"\"downPaymentType\":\"monthly\",\"downPaymentValue\":5,\"cancellationPolicy\":\"standard\","
	"\"accountClassification\":\"key\",\"assignedAccountManager\":\"unassigned\",\"firstName\":\"first\","
	"\"lastName\":\"last\",\"phone\":\"+34690377481\",\"email\":\"email@email.es\",\"address\":\"fake st.\","
	"\"zipCode\":\"12345\",\"contractProvision\":\"yes\",\"preferredCommunicationChannel\":\"phone\","
	"\"numberPublishedListings\":5,\"totalRentableUnits\":15,\"totalProperties\":25,\"technology\":"
	"\"no_technology\",\"transferTiming\":\"post_check_in\",\"otherPlatformsUsage\":\"not_applicable\","
	"\"officeHours\":{\"weekdays\":{\"start\":\"08:00\",\"end\":\"18:00\"},\"weekend\":{\"start\":\"09:00\","
	"\"end\":\"16:00\"}},\"activationStage\":\"converted\",\"consentForClassifieds\":false}";

Test(accounts, put_account_sets_everything)
{
	char id[37];
	const char *requester = "Requester: \"requester@spotahome.com\"";
	struct hresp *r;
	json_t *j, *k, *e, *before, *after;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	r = areq_ex("PUT", path("/api/landlords/accounts/%s", id), BARE, agent_token, put_body, requester);
	cr_assert_str_eq(r->content_type, "application/json"); /* as the seed lists it (§1.1) */
	expect_empty(r, 204);
	j = get_account(agent_token, id);
	no_null_strings(j, "account");
	cr_assert_str_eq(jstr(j, "accountName"), "name");
	cr_assert_str_eq(jstr(j, "accountEmail"), "info@landlords.com");
	cr_assert_str_eq(jstr(j, "website"), "http://spotahome.com");
	cr_assert_str_eq(sget(j, "commission.type"), "fixed");
	cr_assert_str_eq(sget(j, "commission.value"), "2"); /* S-08: a number in, a string out */
	cr_assert_str_eq(jstr(j, "notes"), "note");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "fees"), 0), "feeType"), "fixed");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "fees"), 0), "feeValue"), "7");
	cr_assert_str_eq(jstr(j, "contractType"), "daily");
	cr_assert_str_eq(jstr(j, "downPaymentValue"), "5");
	cr_assert_str_eq(jstr(j, "accountClassification"), "key");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "policies"), 0), "locale"), "es");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "policies"), 0), "policies"), "This is the policy");
	k = json_object_get(j, "bookingContact");
	cr_assert_str_eq(jstr(k, "firstName"), "first");
	cr_assert_str_eq(jstr(k, "email"), "email@email.es");
	cr_assert_str_eq(jstr(k, "address"), "fake st.");
	cr_assert_str_eq(jstr(k, "zipCode"), "12345");
	cr_assert_str_eq(jstr(j, "contractProvision"), "yes");
	cr_assert_str_eq(jstr(j, "preferredCommunicationChannel"), "phone");
	cr_assert_eq(jint(j, "numberPublishedListings`"), 5);
	cr_assert_eq(jint(j, "totalRentableUnits"), 15);
	cr_assert_eq(jint(j, "totalProperties"), 25);
	cr_assert_str_eq(sget(j, "officeHours.weekdays.start"), "08:00");
	cr_assert_str_eq(sget(j, "officeHours.weekdays.end"), "18:00"); /* S-10 */
	cr_assert_str_eq(sget(j, "officeHours.weekend.start"), "09:00");
	cr_assert_str_eq(jstr(j, "activationStage"), "converted");
	json_decref(j);
	cr_assert_str_eq(events_of(cid),
			 "AccountWasCreated ContactWasCreated ContactWasUpdated AccountNameWasChanged "
			 "CommissionWasUpdated AccountAdminFeeWasUpdated ContractTypeWasChanged "
			 "DownPaymentPreferenceWasUpdated AccountClassificationWasUpdated "
			 "MarketPenetrationInfoWasChanged "
			 "DefaultPoliciesWereChanged AccountContentWasUpdated");
	e = last_event(cid, "AccountNameWasChanged", &before, &after);
	cr_assert_str_eq(jstr(e, "id"), id);
	cr_assert_str_eq(jstr(e, "name"), "name");
	cr_assert_str_eq(jstr(e, "occurredOn") + 19, "+00:00");
	cr_assert_str_eq(jstr(before, "accountName"), "RealEstate SL");
	cr_assert_str_eq(jstr(after, "accountName"), "name");
	json_decref(e);
	json_decref(before);
	json_decref(after);
	e = last_event(cid, "MarketPenetrationInfoWasChanged", NULL, NULL);
	cr_assert_str_eq(sget(e, "user.email"), "requester@spotahome.com"); /* S-01, S-42 */
	cr_assert_eq(jint(e, "totalProperties"), 25);
	json_decref(e);
	e = last_event(cid, "AccountContentWasUpdated", NULL, NULL);
	cr_assert_str_eq(sget(e, "accommodationProvider.accountEmail.email"), "info@landlords.com");
	cr_assert(json_real_value(json_object_get(json_object_get(json_object_get(e, "accommodationProvider"),
								  "commission"),
						  "fixed")) == 0.02);
	cr_assert_str_eq(sget(e, "contentAfter.policies"), "This is the policy");
	cr_assert_null(json_object_get(json_object_get(e, "contentBefore"), "policies"));
	cr_assert_null(json_object_get(e, "occurredOn"), "S-36: AccountContentWasUpdated has none");
	json_decref(e);
	/* the same update again changes nothing: no event (S-48) */
	r = areq("PUT", path("/api/landlords/accounts/%s", id), agent_token, put_body);
	expect_empty(r, 204);
	cr_assert_eq(count_events(cid), 12);
}

/* Replaces the first from in buf (of size bytes) by to. */
static void replace(char *buf, size_t size, const char *from, const char *to)
{
	char *p = strstr(buf, from);
	char rest[8192];

	cr_assert(p, "%s not in the body", from);
	snprintf(rest, sizeof(rest), "%s", p + strlen(from));
	snprintf(p, size - (size_t)(p - buf), "%s%s", to, rest);
}

/* Every member of a NULL-terminated list is named with this validator. */
static void expect_all(const struct hresp *r, const char *const *fields, const char *validator)
{
	for (size_t i = 0; fields[i]; i++)
		cr_assert(names(r, fields[i], validator), "%s.%s not named: %s", fields[i], validator, r->body);
}

Test(accounts, put_account_names_every_required_member_and_enum)
{
	static const char *const required[] = {
		"accountName", "accountEmail", "commission", "locale", "type", "feeValue", "feeType", "contractType",
		"downPaymentType", "downPaymentValue", "cancellationPolicy", "accountClassification",
		"assignedAccountManager", "firstName", "lastName", "phone", "email", "address", "zipCode",
		"contractProvision", "preferredCommunicationChannel", "numberPublishedListings", "totalRentableUnits",
		"totalProperties", "technology", "transferTiming", "otherPlatformsUsage", "officeHours",
		"activationStage", "consentForClassifieds", NULL,
	};
	static const char *const enums[] = {
		"commission.type", "locale", "type", "feeType", "contractType", "downPaymentType", "cancellationPolicy",
		"accountClassification", "contractProvision", "preferredCommunicationChannel", "technology",
		"transferTiming", "otherPlatformsUsage", NULL,
	};
	char body[sizeof(put_body) + 256];
	struct hresp *r = areq("PUT", path("/api/landlords/accounts/%s", co.uuid), agent_token, "{}");

	expect_problem(r, 400);
	expect_all(r, required, "isEmpty");
	hresp_free(r);
	snprintf(body, sizeof(body), "%s", put_body);
	replace(body, sizeof(body), "{\"type\":\"fixed\"", "{\"type\":\"x1\"");
	replace(body, sizeof(body), "\"locale\":\"es\"", "\"locale\":\"x2\"");
	replace(body, sizeof(body), "\"type\":\"private\"", "\"type\":\"x3\"");
	replace(body, sizeof(body), "\"feeType\":\"fixed\"", "\"feeType\":\"x4\"");
	replace(body, sizeof(body), "\"contractType\":\"daily\"", "\"contractType\":\"x5\"");
	replace(body, sizeof(body), "\"downPaymentType\":\"monthly\"", "\"downPaymentType\":\"x6\"");
	replace(body, sizeof(body), "\"cancellationPolicy\":\"standard\"", "\"cancellationPolicy\":\"x7\"");
	replace(body, sizeof(body), "\"accountClassification\":\"key\"", "\"accountClassification\":\"x8\"");
	replace(body, sizeof(body), "\"contractProvision\":\"yes\"", "\"contractProvision\":\"x9\"");
	replace(body, sizeof(body), "\"preferredCommunicationChannel\":\"phone\"",
		"\"preferredCommunicationChannel\":\"x10\"");
	replace(body, sizeof(body), "\"technology\":\"no_technology\"", "\"technology\":\"x11\"");
	replace(body, sizeof(body), "\"transferTiming\":\"post_check_in\"", "\"transferTiming\":\"x12\"");
	replace(body, sizeof(body), "\"otherPlatformsUsage\":\"not_applicable\"", "\"otherPlatformsUsage\":\"x13\"");
	/* wrong types */
	replace(body, sizeof(body), "\"totalProperties\":25", "\"totalProperties\":\"many\"");
	replace(body, sizeof(body), "\"consentForClassifieds\":false", "\"consentForClassifieds\":\"no way\"");
	r = areq("PUT", path("/api/landlords/accounts/%s", co.uuid), agent_token, body);
	expect_problem(r, 400);
	expect_all(r, enums, "notInArray");
	cr_assert(names(r, "totalProperties", "invalidType") && names(r, "consentForClassifieds", "invalidType"), "%s",
		  r->body);
	hresp_free(r);
	cr_assert_eq(count_events(co.id), 0);
}

Test(accounts, put_account_validation_is_400)
{
	char id[37], body[sizeof(put_body) + 64];
	struct hresp *r;
	json_t *j;

	create(create_body, id);
	r = areq("PUT", path("/api/landlords/accounts/%s", id), agent_token, "{}");
	expect_field(r, 400, "accountName", "isEmpty");
	cr_assert(names(r, "commission", "isEmpty") && names(r, "officeHours", "isEmpty") &&
		  names(r, "assignedAccountManager", "isEmpty") && names(r, "consentForClassifieds", "isEmpty"),
		  "%s", r->body);
	cr_assert(!names(r, "website", "isEmpty") && !names(r, "policies", "isEmpty") && !names(r, "notes", "isEmpty"));
	hresp_free(r);
	snprintf(body, sizeof(body), "%s", put_body);
	memcpy(strstr(body, "\"daily\""), "\"dayly\"", 7);
	memcpy(strstr(body, "\"08:00\""), "\"8 a.m\"", 7);
	r = areq("PUT", path("/api/landlords/accounts/%s", id), agent_token, body);
	expect_field(r, 400, "contractType", "notInArray");
	cr_assert(names(r, "officeHours.weekdays.start", "regexNotMatch"), "%s", r->body);
	hresp_free(r);
	/* an unknown account manager (S-14) */
	snprintf(body, sizeof(body), "%s", put_body);
	memcpy(strstr(body, "\"unassigned\""), "\"nobody@x.y\"", 12);
	r = areq("PUT", path("/api/landlords/accounts/%s", id), agent_token, body);
	expect_field(r, 400, "assignedAccountManager", "notInArray");
	hresp_free(r);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(j, "accountName"), "RealEstate SL");
	cr_assert_eq(json_array_size(json_object_get(j, "contacts")), 1);
	json_decref(j);
	cr_assert_eq(count_events(company_of(id)), 2);
}

Test(accounts, put_account_aliases_and_managers)
{
	char id[37], body[sizeof(put_body) + 128];
	json_t *j;

	create(create_body, id);
	/* S-05 backtick key, S-11 "classifieds", S-12 "percentage", S-14 manager by e-mail, S-07 "null" */
	snprintf(body, sizeof(body), "%s", put_body);
	replace(body, sizeof(body), "\"numberPublishedListings\"", "\"numberPublishedListings`\"");
	replace(body, sizeof(body), "\"otherPlatformsUsage\":\"not_applicable\"",
		"\"otherPlatformsUsage\":\"classifieds\"");
	replace(body, sizeof(body), "\"feeType\":\"fixed\"", "\"feeType\":\"percentage\"");
	replace(body, sizeof(body), "\"unassigned\"", "\"ada@rentd.test\"");
	replace(body, sizeof(body), "\"note\"", "\"null\"");
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s", id), agent_token, body), 204);
	j = get_account(agent_token, id);
	cr_assert_eq(jint(j, "numberPublishedListings"), 5);
	cr_assert_str_eq(jstr(j, "otherPlatformsUsage"), "classified");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "fees"), 0), "feeType"), "percentual");
	cr_assert_str_eq(jstr(j, "assignedAccountManagerId"), ada_uuid);
	cr_assert_str_eq(jstr(j, "assignedAccountManager"), "ada@rentd.test");
	cr_assert(json_is_null(json_object_get(j, "notes")));
	json_decref(j);
	cr_assert(has_event(company_of(id), "AccountManagerWasAssigned"));
}

Test(accounts, put_account_access)
{
	struct hresp *r;

	/* #5 documents no 403: another account is 404 (S-40) */
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s", other.uuid), co.admin_token, put_body), 404);
	hresp_free(r);
	/* an employee without the organization right */
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s", co.uuid), observer_token, put_body), 403);
	hresp_free(r);
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s", co.uuid), NULL, put_body), 401);
	hresp_free(r);
	/* the landlord edits its own account */
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s", co.uuid), co.admin_token, put_body), 204);
	cr_assert_eq(count_events(other.id), 0);
}

/* ---- #6, #8, #9 ---- */

Test(accounts, basic_details)
{
	char id[37];
	struct hresp *r;
	json_t *j, *e;

	create(create_body, id);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/basic-details", id), agent_token,
			  "{\"accountName\":\"Renamed\",\"accountEmail\":\"new@landlords.com\",\"locale\":\"en\"}"),
		     204);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(j, "accountName"), "Renamed");
	cr_assert_str_eq(jstr(j, "accountEmail"), "new@landlords.com");
	cr_assert_str_eq(jstr(j, "locale"), "en");
	cr_assert(json_is_null(json_object_get(j, "notes")));
	json_decref(j);
	e = last_event(company_of(id), "AccountNameWasChanged", NULL, NULL);
	cr_assert_str_eq(jstr(e, "name"), "Renamed");
	json_decref(e);
	cr_assert(has_event(company_of(id), "AccountContentWasUpdated"));
	r = areq("PUT", path("/api/landlords/accounts/%s/basic-details", id), agent_token,
		 "{\"accountName\":5,\"locale\":\"xx\"}");
	expect_field(r, 400, "accountName", "invalidType");
	cr_assert(names(r, "accountEmail", "isEmpty") && names(r, "locale", "notInArray"), "%s", r->body);
	hresp_free(r);
	/* another account's e-mail */
	r = areqf("PUT", path("/api/landlords/accounts/%s/basic-details", id), agent_token,
		  "{\"accountName\":\"Renamed\",\"accountEmail\":\"%s\",\"locale\":\"en\"}", co.admin_username);
	expect_field(r, 400, "accountEmail", "recordFound");
	hresp_free(r);
	expect_problem(r = areq("PUT", "/api/landlords/accounts/00000000-0000-4000-8000-000000000000/basic-details",
				agent_token, "{}"),
		       404);
	hresp_free(r);
	cr_assert_eq(count_events(company_of(id)), 4);
}

Test(accounts, type_and_plan)
{
	char id[37];
	struct hresp *r;
	json_t *j, *e;

	create(create_body, id);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/type", id), agent_token, "{\"type\":\"subletter\"}"),
		     204);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/plan", id), agent_token, "{\"plan\":\"plus\"}"), 204);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(j, "type"), "subletter");
	cr_assert_str_eq(jstr(j, "accountPlan"), "plus");
	json_decref(j);
	e = last_event(company_of(id), "AccountTypeWasChanged", NULL, NULL);
	cr_assert_str_eq(jstr(e, "type"), "subletter");
	json_decref(e);
	e = last_event(company_of(id), "AccountPlanWasChanged", NULL, NULL);
	cr_assert_str_eq(jstr(e, "accountPlan"), "plus");
	cr_assert_str_eq(sget(e, "user.identity"), agent_uuid);
	json_decref(e);
	/* S-27: a bad type or an empty plan is 400 */
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/type", id), agent_token, "{\"type\":\"castle\"}"),
		       400, "type", "notInArray");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/plan", id), agent_token, "{\"plan\":\"\"}"),
		       400, "plan", "isEmpty");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/plan", id), agent_token, "{}"), 400, "plan",
		       "isEmpty");
	hresp_free(r);
	/* repeating a value is no change */
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/plan", id), agent_token, "{\"plan\":\"plus\"}"), 204);
	cr_assert_eq(count_events(company_of(id)), 4);
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s/type", other.uuid), co.admin_token,
				"{\"type\":\"private\"}"),
		       404);
	hresp_free(r);
}

/* ---- #10, #11, #12 ---- */

Test(accounts, booking_conditions_by_country)
{
	char id[37];
	struct hresp *r;
	json_t *e;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	r = areq("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", id), agent_token,
		 "{\"spain\":{\"gapMinDays\":30,\"gapMaxDays\":60,\"contractType\":\"daily\"},"
		 "\"sweden\":{\"gapMinDays\":null,\"gapMaxDays\":\"90\",\"contractType\":null}}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_eq(r->body_len, 0);
	cr_assert_null(hresp_header(r, "Location")); /* S-24 */
	hresp_free(r);
	e = last_event(cid, "BookingConditionsByCountryWereUpdated", NULL, NULL);
	cr_assert_eq(jint(json_object_get(json_object_get(e, "conditions"), "spain"), "gapMinDays"), 30);
	cr_assert_eq(jint(json_object_get(json_object_get(e, "conditions"), "sweden"), "gapMaxDays"), 90);
	json_decref(e);
	/* the same again: no change, no event; PUT is an alias (S-25) */
	expect_status(areq("PUT", path("/api/landlords/accounts/%s/booking-conditions-by-country", id), agent_token,
			   "{\"spain\":{\"gapMinDays\":30,\"gapMaxDays\":60,\"contractType\":\"daily\"}}"),
		      201);
	cr_assert_eq(count_events(cid), 3);
	/* the literal placeholder and unknown countries are 422 (S-25) */
	r = areq("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", id), agent_token,
		 "{\"{countryId}\":{\"gapMinDays\":30}}");
	expect_field(r, 422, "{countryId}", "notInArray");
	hresp_free(r);
	r = areq("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", id), agent_token,
		 "{\"spain\":{\"gapMinDays\":\"x\",\"contractType\":\"yearly\"},\"uk\":5}");
	expect_field(r, 422, "spain.gapMinDays", "invalidType");
	cr_assert(names(r, "spain.contractType", "notInArray") && names(r, "uk", "invalidType"), "%s", r->body);
	hresp_free(r);
	expect_field(r = areq("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", id),
				agent_token, "{}"),
		       422, "{countryId}", "isEmpty");
	hresp_free(r);
	/* #10 documents 403 for another account */
	expect_problem(r = areq("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", other.uuid),
				co.admin_token, "{\"spain\":{}}"),
		       403);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 3);
}

Test(accounts, booking_acceptance_time_preferences)
{
	char id[37];
	struct hresp *r;
	json_t *j, *bat;

	create(create_body, id);
	/* S-27: numbers as strings */
	expect_empty(areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
			  agent_token, "{\"days\":\"13\",\"minDays\":\"1\",\"maxDays\":16}"),
		     204);
	j = get_account(agent_token, id);
	bat = json_object_get(j, "bookingAcceptanceTimePreferences");
	cr_assert_str_eq(sget(bat, "maxGapBetweenBookings.days"), "13");
	cr_assert_str_eq(sget(bat, "bookingAcceptanceDaysRange.minDays"), "1");
	cr_assert_str_eq(sget(bat, "bookingAcceptanceDaysRange.maxDays"), "16");
	json_decref(j);
	cr_assert(has_event(company_of(id), "AccountContentWasUpdated"));
	expect_field(r = areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
				agent_token, "{\"days\":\"abc\"}"),
		       422, "days", "invalidType");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
				agent_token, "{\"minDays\":20,\"maxDays\":10}"),
		       422, "minDays", "between");
	hresp_free(r);
	/* "null" clears (S-07): the member is omitted again */
	expect_empty(areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
			  agent_token, "{\"days\":\"null\"}"),
		     204);
	j = get_account(agent_token, id);
	cr_assert_eq(json_object_size(json_object_get(json_object_get(j, "bookingAcceptanceTimePreferences"),
						      "maxGapBetweenBookings")),
		     0);
	json_decref(j);
	expect_problem(r = areq("PUT", "/api/accommodation-providers/00000000-0000-4000-8000-000000000000/"
				       "booking-acceptance-time-preferences",
				agent_token, "{}"),
		       404);
	hresp_free(r);
}

Test(accounts, icalendar_once)
{
	char id[37], detail[200];
	struct hresp *r;
	json_t *j;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	expect_empty(areq("PUT", path("/api/accommodation-providers/%s/icalendar", id), agent_token, NULL), 204);
	cr_assert(has_event(cid, "AccountContentWasUpdated"));
	r = areq("PUT", path("/api/accommodation-providers/%s/icalendar", id), agent_token, NULL);
	cr_assert_eq(r->status, 409, "%s", r->body);
	cr_assert_str_eq(r->content_type, "application/json"); /* its own body, not the common problem */
	cr_assert_eq(json_object_size(r->json), 4, "%s", r->body);
	snprintf(detail, sizeof(detail), "Accommodation provider with ID %s is already integrated with icalendar.", id);
	cr_assert_str_eq(hresp_str(r, "detail"), detail);
	cr_assert_str_eq(hresp_str(r, "title"), "Conflict");
	cr_assert_eq(hresp_int(r, "status"), 409);
	cr_assert_str_eq(hresp_str(r, "type"), PROBLEM_TYPE);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 3);
	j = last_event(cid, "AccountContentWasUpdated", NULL, NULL);
	cr_assert(json_is_true(json_object_get(json_object_get(j, "accommodationProvider"), "isExternallyIntegrated")));
	json_decref(j);
	expect_problem(r = areq("PUT", path("/api/accommodation-providers/%s/icalendar", other.uuid), co.admin_token,
				NULL),
		       404);
	hresp_free(r);
}

/* ---- #31, #48 policies ---- */

Test(accounts, policies_in_the_canonical_locale)
{
	char id[37];
	struct hresp *r;
	json_t *j, *e;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/canonical-policies", id), agent_token,
			  "{\"policies\":\"Landlord policies text\"}"),
		     204);
	j = get_account(agent_token, id);
	cr_assert_eq(json_array_size(json_object_get(j, "policies")), 1);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "policies"), 0), "locale"), "es");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "policies"), 0), "policies"), "Landlord policies text");
	json_decref(j);
	e = last_event(cid, "DefaultPoliciesWereChanged", NULL, NULL);
	cr_assert_str_eq(sget(e, "content.locale"), "es");
	cr_assert_str_eq(sget(e, "content.translationType"), "manual"); /* S-09 */
	cr_assert(json_is_null(json_object_get(json_object_get(e, "content"), "translationProvider")));
	cr_assert_str_eq(sget(e, "content.policies"), "Landlord policies text");
	json_decref(e);
	/* #31 replaces the same text; "\\n" and "€" arrive intact */
	expect_empty(areq("PUT", path("/api/accommodation-providers/%s/policies", id), agent_token,
			  "{\"policies\":\"* Pets: no\\\\n* Deposit: 500 \\u20ac\"}"),
		     204);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "policies"), 0), "policies"),
			 "* Pets: no\\n* Deposit: 500 \xe2\x82\xac");
	json_decref(j);
	/* null removes it */
	expect_empty(areq("PUT", path("/api/accommodation-providers/%s/policies", id), agent_token,
			  "{\"policies\":null}"),
		     204);
	j = get_account(agent_token, id);
	cr_assert(json_is_null(json_object_get(j, "policies")));
	json_decref(j);
	cr_assert_eq(count_events(cid), 8);
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/canonical-policies", id), agent_token, "{}"),
		       400, "policies", "isEmpty");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/accommodation-providers/%s/policies", id), agent_token,
				"{\"policies\":5}"),
		       400, "policies", "invalidType");
	hresp_free(r);
	/* #48 documents 403 for another account; #31 does not (404) */
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s/canonical-policies", other.uuid),
				co.admin_token, "{\"policies\":\"x\"}"),
		       403);
	hresp_free(r);
	expect_problem(r = areq("PUT", path("/api/accommodation-providers/%s/policies", other.uuid), co.admin_token,
				"{\"policies\":\"x\"}"),
		       404);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 8);
}

/* ---- #32–#34 additional data ---- */

Test(accounts, additional_data)
{
	char id[37];
	struct hresp *r;
	json_t *e, *data;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	r = areq("GET", path("/api/landlords/accounts/%s/additional-data", id), agent_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "id"), id);
	cr_assert(json_is_object(json_object_get(r->json, "data")) &&
		  json_object_size(json_object_get(r->json, "data")) == 0, "%s", r->body);
	hresp_free(r);
	r = areqf("POST", "/api/landlords/accounts/additional-data", agent_token,
		  "{\"id\":\"%s\",\"data\":{\"additionalLanguagesSpoken\":\"Spanish, French\","
		  "\"deposit\":\"halfMonth\","
		  "\"typeOfTenantContractRegistration\":\"fixedAmount\",\"valueOfTenantContractRegistration\":25,"
		  "\"isAnmeldungPermitted\":true,\"landlordAge\":\"31\",\"unknown\":1}}",
		  id);
	expect_empty(r, 201);
	r = areq("GET", path("/api/landlords/accounts/%s/additional-data", id), agent_token, NULL);
	cr_assert_str_eq(hresp_str(r, "id"), id);
	data = json_object_get(r->json, "data");
	cr_assert_eq(json_object_size(data), 6, "%s", r->body);
	cr_assert_str_eq(jstr(data, "deposit"), "halfMonth");
	cr_assert_eq(jint(data, "valueOfTenantContractRegistration"), 25);
	cr_assert_eq(jint(data, "landlordAge"), 31);
	cr_assert(json_is_true(json_object_get(data, "isAnmeldungPermitted")));
	hresp_free(r);
	e = last_event(cid, "AccountAdditionalDataWasCreated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "accountId"), id);
	cr_assert_str_eq(sget(e, "data.deposit"), "halfMonth");
	json_decref(e);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/additional-data", id), agent_token,
			  "{\"data\":{\"deposit\":400,\"costOfTenantContractRegistration\":25}}"),
		     204);
	r = areq("GET", path("/api/landlords/accounts/%s/additional-data", id), agent_token, NULL);
	data = json_object_get(r->json, "data");
	cr_assert_eq(json_object_size(data), 2, "%s", r->body);
	cr_assert_eq(jint(data, "deposit"), 400);
	hresp_free(r);
	cr_assert(has_event(cid, "AccountAdditionalDataWasUpdated"));
	/* validation: 422 on #32, 400 on #34 (S-38) */
	r = areqf("POST", "/api/landlords/accounts/additional-data", agent_token,
		  "{\"id\":\"%s\",\"data\":{\"landlordAge\":\"old\",\"isDomiciliationPermitted\":\"yes please\"}}", id);
	expect_field(r, 422, "data.landlordAge", "invalidType");
	cr_assert(names(r, "data.isDomiciliationPermitted", "invalidType"), "%s", r->body);
	hresp_free(r);
	expect_field(r = areq("POST", "/api/landlords/accounts/additional-data", agent_token, "{}"), 422, "id",
		       "isEmpty");
	cr_assert(names(r, "data", "isEmpty"));
	hresp_free(r);
	/* an account the caller cannot use is a bad id (#32 documents no 403/404) */
	r = areqf("POST", "/api/landlords/accounts/additional-data", co.admin_token, "{\"id\":\"%s\",\"data\":{}}", id);
	expect_field(r, 422, "id", "notInArray");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/additional-data", id), agent_token, "{}"), 400,
		       "data", "isEmpty");
	hresp_free(r);
	expect_problem(r = areq("GET", path("/api/landlords/accounts/%s/additional-data", other.uuid), co.admin_token,
				NULL),
		       404);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 4);
}

/* ---- #46, #47, #51, #52 ---- */

Test(accounts, booking_conditions)
{
	char id[37];
	struct hresp *r;
	json_t *j, *e;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/booking-conditions", id), agent_token,
			  "{\"commissionType\":\"fixed\",\"commissionValue\":1000,\"adminFeeType\":\"fixed\","
			  "\"adminFeeValue\":10000,\"contractType\":\"daily\",\"cancellationPolicy\":\"strict\","
			  "\"bookingMaxDays\":40,\"bookingMinDays\":30}"),
		     204);
	j = get_account(agent_token, id);
	cr_assert_str_eq(sget(j, "commission.type"), "fixed");
	cr_assert_str_eq(sget(j, "commission.value"), "1000");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "fees"), 0), "feeValue"), "10000");
	cr_assert_str_eq(jstr(j, "contractType"), "daily");
	cr_assert_str_eq(jstr(j, "cancellationPolicy"), "strict");
	cr_assert_str_eq(sget(j, "bookingAcceptanceTimePreferences.bookingAcceptanceDaysRange.minDays"), "30");
	cr_assert_str_eq(sget(j, "bookingAcceptanceTimePreferences.bookingAcceptanceDaysRange.maxDays"), "40");
	json_decref(j);
	cr_assert_str_eq(events_of(cid), "AccountWasCreated ContactWasCreated CommissionWasUpdated "
					 "AccountAdminFeeWasUpdated ContractTypeWasChanged "
					 "CancellationPolicyWasUpdated "
					 "AccountContentWasUpdated");
	e = last_event(cid, "CommissionWasUpdated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "id"), id); /* S-30 */
	cr_assert_eq(jint(e, "value"), 1000);
	json_decref(e);
	e = last_event(cid, "AccountAdminFeeWasUpdated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "feeType"), "fixed");
	cr_assert_eq(jint(e, "feeValue"), 10000);
	json_decref(e);
	/* S-12: "percentage" is accepted for percentual; the event says percentage */
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/booking-conditions", id), agent_token,
			  "{\"commissionType\":\"fixed\",\"commissionValue\":1000,\"adminFeeType\":\"percentage\","
			  "\"adminFeeValue\":500,\"contractType\":\"daily\",\"cancellationPolicy\":\"strict\"}"),
		     204);
	e = last_event(cid, "AccountAdminFeeWasUpdated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "feeType"), "percentage");
	json_decref(e);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(json_array_get(json_object_get(j, "fees"), 0), "feeType"), "percentual");
	/* absent booking days are kept */
	cr_assert_str_eq(sget(j, "bookingAcceptanceTimePreferences.bookingAcceptanceDaysRange.minDays"), "30");
	json_decref(j);
	r = areq("PUT", path("/api/landlords/accounts/%s/booking-conditions", id), agent_token, "{}");
	{
		static const char *const required[] = { "commissionType", "commissionValue", "adminFeeType",
							"adminFeeValue", "contractType", "cancellationPolicy", NULL };
		expect_problem(r, 422);
		expect_all(r, required, "isEmpty");
		cr_assert(!names(r, "bookingMinDays", "isEmpty") && !names(r, "bookingMaxDays", "isEmpty"));
	}
	hresp_free(r);
	r = areq("PUT", path("/api/landlords/accounts/%s/booking-conditions", id), agent_token,
		 "{\"commissionType\":\"x\",\"commissionValue\":1,\"adminFeeType\":\"x\",\"adminFeeValue\":1,"
		 "\"contractType\":\"x\",\"cancellationPolicy\":\"x\"}");
	{
		static const char *const enums[] = { "commissionType", "adminFeeType", "contractType",
						     "cancellationPolicy", NULL };
		expect_problem(r, 422);
		expect_all(r, enums, "notInArray");
	}
	hresp_free(r);
	r = areq("PUT", path("/api/landlords/accounts/%s/booking-conditions", id), agent_token,
		 "{\"commissionType\":\"all\",\"commissionValue\":-1,\"contractType\":\"daily\","
		 "\"cancellationPolicy\":\"strict\",\"bookingMaxDays\":\"many\"}");
	expect_field(r, 422, "commissionType", "notInArray");
	cr_assert(names(r, "commissionValue", "between") && names(r, "adminFeeType", "isEmpty") &&
		  names(r, "adminFeeValue", "isEmpty") && names(r, "bookingMaxDays", "invalidType"),
		  "%s", r->body);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 8);
}

Test(accounts, management_info)
{
	char id[37], body[1024];
	struct hresp *r;
	json_t *j, *e;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	snprintf(body, sizeof(body),
		 "{\"classification\":\"key\",\"totalProperties\":10,\"totalRentableUnits\":12,\"technology\":\"pms\","
		 "\"consentForClassifieds\":true,\"otherPlatformsUsage\":\"classifieds\",\"transferTiming\":"
		 "\"booking_confirmation\",\"accountManagerId\":\"%s\",\"activationStage\":\"converted\"}",
		 ada_uuid);
	r = areq("PUT", path("/api/landlords/accounts/%s/management-info", id), agent_token, body);
	cr_assert_null(r->content_type, "#47's 204 lists no headers");
	expect_empty(r, 204);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(j, "accountClassification"), "key");
	cr_assert_eq(jint(j, "totalProperties"), 10);
	cr_assert_eq(jint(j, "totalRentableUnits"), 12);
	cr_assert_str_eq(jstr(j, "technology"), "pms");
	cr_assert(json_is_true(json_object_get(j, "consentForClassifieds")));
	cr_assert_str_eq(jstr(j, "otherPlatformsUsage"), "classified"); /* S-11 */
	cr_assert_str_eq(jstr(j, "transferTiming"), "booking_confirmation");
	cr_assert_str_eq(jstr(j, "assignedAccountManagerId"), ada_uuid);
	cr_assert_str_eq(jstr(j, "assignedAccountManager"), "ada@rentd.test");
	cr_assert_str_eq(jstr(j, "activationStage"), "converted");
	json_decref(j);
	cr_assert_str_eq(events_of(cid), "AccountWasCreated ContactWasCreated AccountClassificationWasUpdated "
					 "MarketPenetrationInfoWasChanged AccountTechnologyWasChanged "
					 "AccountManagerWasAssigned AccountContentWasUpdated");
	e = last_event(cid, "AccountManagerWasAssigned", NULL, NULL);
	cr_assert_str_eq(jstr(e, "accountManager"), "ada@rentd.test"); /* S-28 */
	cr_assert_eq(jint(json_object_get(e, "occurredOn"), "timezone_type"), 3); /* S-36 */
	cr_assert_str_eq(sget(e, "occurredOn.timezone"), "UTC");
	json_decref(e);
	e = last_event(cid, "AccountTechnologyWasChanged", NULL, NULL);
	cr_assert_str_eq(jstr(e, "technology"), "pms");
	json_decref(e);
	/* S-15: #47 checks the activation stages; unknown agent → 422 (S-14) */
	r = areq("PUT", path("/api/landlords/accounts/%s/management-info", id), agent_token,
		 "{\"classification\":\"key\",\"totalProperties\":10,\"totalRentableUnits\":12,\"technology\":\"pms\","
		 "\"consentForClassifieds\":true,\"otherPlatformsUsage\":\"classifieds\",\"transferTiming\":"
		 "\"booking_confirmation\",\"accountManagerId\":\"aaaa.bbbb.cccc.1111\",\"activationStage\":\"done\"}");
	expect_field(r, 422, "activationStage", "notInArray");
	hresp_free(r);
	r = areq("PUT", path("/api/landlords/accounts/%s/management-info", id), agent_token,
		 "{\"classification\":\"key\",\"totalProperties\":10,\"totalRentableUnits\":12,\"technology\":\"pms\","
		 "\"consentForClassifieds\":true,\"otherPlatformsUsage\":\"classifieds\",\"transferTiming\":"
		 "\"booking_confirmation\",\"accountManagerId\":\"aaaa.bbbb.cccc.1111\",\"activationStage\":"
		 "\"onboarded\"}");
	expect_field(r, 422, "accountManagerId", "notInArray");
	hresp_free(r);
	r = areq("PUT", path("/api/landlords/accounts/%s/management-info", id), agent_token,
		 "{\"classification\":\"x\",\"totalProperties\":1,\"totalRentableUnits\":1,\"technology\":\"x\","
		 "\"consentForClassifieds\":true,\"otherPlatformsUsage\":\"x\",\"transferTiming\":\"x\","
		 "\"accountManagerId\":null,\"activationStage\":\"x\"}");
	{
		static const char *const enums[] = { "classification", "technology", "otherPlatformsUsage",
						     "transferTiming", "activationStage", NULL };
		expect_problem(r, 422);
		expect_all(r, enums, "notInArray");
	}
	hresp_free(r);
	r = areq("PUT", path("/api/landlords/accounts/%s/management-info", id), agent_token, "{}");
	{
		static const char *const required[] = { "classification", "totalProperties", "totalRentableUnits",
							"technology", "consentForClassifieds", "otherPlatformsUsage",
							"transferTiming", "accountManagerId", "activationStage", NULL };
		expect_problem(r, 422);
		expect_all(r, required, "isEmpty");
	}
	hresp_free(r);
	r = areq("PUT", path("/api/landlords/accounts/%s/management-info", id), agent_token,
		 "{\"totalProperties\":-3}");
	expect_field(r, 422, "classification", "isEmpty");
	cr_assert(names(r, "totalProperties", "between") && names(r, "accountManagerId", "isEmpty") &&
		  names(r, "consentForClassifieds", "isEmpty"),
		  "%s", r->body);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 7);
}

Test(accounts, account_managers)
{
	char id[37], body[128];
	struct hresp *r;
	json_t *j, *e;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	snprintf(body, sizeof(body), "{\"accountManagerId\":\"%s\"}", agent_uuid);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/account-managers", id), agent_token, body), 204);
	/* reassigning unassigns the first manager, then assigns the new one */
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/account-managers", id), agent_token,
			  "{\"accountManagerId\":\"ada@rentd.test\"}"),
		     204);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/account-managers", id), agent_token,
			  "{\"accountManagerId\":null}"),
		     204);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(j, "assignedAccountManagerId"), "unassigned");
	json_decref(j);
	cr_assert_str_eq(events_of(cid), "AccountWasCreated ContactWasCreated AccountManagerWasAssigned "
					 "AccountManagerWasUnassigned AccountManagerWasAssigned "
					 "AccountManagerWasUnassigned");
	e = last_event(cid, "AccountManagerWasUnassigned", NULL, NULL);
	cr_assert_str_eq(jstr(e, "id"), id); /* S-29 */
	cr_assert_str_eq(jstr(e, "accountManager"), "ada@rentd.test");
	json_decref(e);
	/* S-04: required (missing → 422), unknown → 422 */
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/account-managers", id), agent_token, "{}"), 422,
		       "accountManagerId", "isEmpty");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/account-managers", id), agent_token,
				"{\"accountManagerId\":\"f0925c22-519f-4bda-bffb-767136aa5aa2\"}"),
		       422, "accountManagerId", "notInArray");
	hresp_free(r);
	/* agents only; landlords get 403 even on their own account */
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s/account-managers", co.uuid), co.admin_token,
				body),
		       403);
	hresp_free(r);
	expect_problem(r = areq("PUT", "/api/landlords/accounts/00000000-0000-4000-8000-000000000000/account-managers",
				agent_token, body),
		       404);
	hresp_free(r);
	cr_assert_eq(count_events(cid), 6);
	cr_assert_eq(count_events(co.id), 0);
}

Test(accounts, lead_source)
{
	struct hresp *r;
	json_t *j, *e;

	/* #52 acts on the caller's own account; the literal segment wins over {id} */
	expect_empty(areq("PUT", "/api/landlords/accounts/lead-source", co.admin_token,
			  "{\"leadSource\":\"offlineMarketingCampaigns\"}"),
		     204);
	j = get_account(agent_token, co.uuid);
	cr_assert_str_eq(jstr(j, "leadSource"), "offlineMarketingCampaigns");
	json_decref(j);
	e = last_event(co.id, "LeadSourceWasChanged", NULL, NULL);
	cr_assert_str_eq(jstr(e, "leadSource"), "offlineMarketingCampaigns");
	cr_assert_str_eq(sget(e, "user.email"), co.admin_username);
	json_decref(e);
	/* S-16: a value outside the Account enum is 400; agents have no own account (404) but use the alias */
	expect_field(r = areq("PUT", "/api/landlords/accounts/lead-source", co.admin_token, "{\"leadSource\":\"tv\"}"),
		       400, "leadSource", "notInArray");
	hresp_free(r);
	expect_field(r = areq("PUT", "/api/landlords/accounts/lead-source", co.admin_token, "{}"), 400, "leadSource",
		       "isEmpty");
	hresp_free(r);
	expect_problem(r = areq("PUT", "/api/landlords/accounts/lead-source", agent_token, "{\"leadSource\":\"sem\"}"),
		       404);
	hresp_free(r);
	expect_problem(r = areq("PUT", "/api/landlords/accounts/lead-source", NULL, "{\"leadSource\":\"sem\"}"), 401);
	hresp_free(r);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/lead-source", co.uuid), agent_token,
			  "{\"leadSource\":null}"),
		     204);
	j = get_account(agent_token, co.uuid);
	cr_assert(json_is_null(json_object_get(j, "leadSource")));
	json_decref(j);
	cr_assert_eq(count_events(co.id), 2);
}

/* ---- GDPR ---- */

Test(accounts, obfuscate_erases_personal_data)
{
	char id[37];
	struct hresp *r;
	json_t *j, *k, *e;
	int64_t cid;

	create(create_body, id);
	cid = company_of(id);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/basic-details", id), agent_token,
			  "{\"accountName\":\"RealEstate SL\",\"accountEmail\":\"info@john.com\",\"locale\":\"es\","
			  "\"notes\":\"call John at home\"}"),
		     204);
	expect_problem(r = areq("POST", path("/api/landlords/accounts/%s/obfuscate", id), co.admin_token, NULL), 403);
	hresp_free(r);
	expect_empty(areq("POST", path("/api/landlords/accounts/%s/obfuscate", id), agent_token, NULL), 204);
	j = get_account(agent_token, id);
	cr_assert_str_eq(jstr(j, "accountEmail"), "");
	cr_assert(json_is_null(json_object_get(j, "notes")));
	cr_assert_str_eq(jstr(j, "accountName"), "RealEstate SL"); /* not personal: kept */
	k = json_array_get(json_object_get(j, "contacts"), 0);
	cr_assert_str_eq(jstr(k, "firstName"), "");
	cr_assert_str_eq(jstr(k, "email"), "");
	cr_assert_str_eq(jstr(k, "phone"), "");
	json_decref(j);
	/* the owner can no longer be found or log in by the old address */
	{
		struct arena *a = arena_create(4096);
		struct error err;
		struct user u;
		error_init(&err, a);
		cr_assert_neq(store_user_get_by_username(h->store, a, STR_LIT("info@john.com"), &u, &err), 0);
		arena_destroy(a);
	}
	cr_assert(has_event(cid, "ContactWasObfuscated"));
	e = last_event(cid, "AccountWasObfuscated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "accountId"), id);
	cr_assert_str_eq(sget(e, "user.email"), "ops@rentd.test");
	json_decref(e);
	/* history kept, personal members redacted */
	e = last_event(cid, "AccountWasCreated", NULL, NULL);
	cr_assert_str_eq(jstr(e, "accountName"), "RealEstate SL");
	cr_assert_str_neq(jstr(e, "accountEmail") ? jstr(e, "accountEmail") : "", "info@john.com");
	json_decref(e);
	expect_problem(r = areq("POST", "/api/landlords/accounts/00000000-0000-4000-8000-000000000000/obfuscate",
				agent_token, NULL),
		       404);
	hresp_free(r);
}

/* ---- table-driven validation: one member broken at a time ---- */

/* The account as an agent reads it, canonical JSON text (caller frees). */
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
	size_t n, at;

	if (value[0] != '#')
		return strdup(value);
	n = strtoul(value + 1, &end, 10);
	out = malloc(n + 3);
	cr_assert_not_null(out);
	out[0] = '"';
	memset(out + 1, 'x', n);
	if (*end == '@') {
		at = n - 5;
		memcpy(out + 1 + at, "@x.se", 5);
	}
	out[n + 1] = '"';
	out[n + 2] = '\0';
	return out;
}

/* body with the member at the dotted path set to value (see value_text) or, value NULL, removed (caller frees). */
static char *edited(const char *body, const char *dotted, const char *value)
{
	json_t *root = json_loads(body, 0, NULL), *o = root;
	char key[128], *out;
	const char *dot;

	cr_assert_not_null(root, "%s", body);
	while ((dot = strchr(dotted, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - dotted), dotted);
		o = json_object_get(o, key);
		cr_assert(json_is_object(o), "no object %s in %s", key, body);
		dotted = dot + 1;
	}
	if (value) {
		char *text = value_text(value);
		json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
		cr_assert_not_null(v, "%s", text);
		free(text);
		json_object_set_new(o, dotted, v);
	} else {
		cr_assert_eq(json_object_del(o, dotted), 0, "no member %s", dotted);
	}
	out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return out;
}

struct bad {
	const char *member;    /* dotted path, also the validationMessages key */
	const char *value;     /* JSON text (value_text); NULL: the member is left out */
	const char *validator; /* the Laminas validator name expected on member (S-38) */
};

/*
 * Each case alone, in an otherwise valid body, is answered status with validationMessages
 * naming exactly that member and validator; all of them together change nothing of the
 * account and append no event.
 */
static void expect_each_rejected(const char *method, const char *target, const char *good, int status,
				 const struct bad *cases, size_t n, const char *account)
{
	char *before = snapshot(account), *after;
	int64_t company = company_of(account);
	int events = count_events(company);

	for (size_t i = 0; i < n; i++) {
		char *body = edited(good, cases[i].member, cases[i].value);
		struct hresp *r = areq(method, target, agent_token, body);
		json_t *vm;

		expect_problem(r, status);
		vm = json_object_get(r->json, "validationMessages");
		cr_assert(names(r, cases[i].member, cases[i].validator), "%s %s: %s.%s not named: %s", method, target,
			  cases[i].member, cases[i].validator, r->body);
		cr_assert_eq(json_object_size(vm), 1, "%s=%s: only %s is wrong: %s", cases[i].member,
			     cases[i].value ? cases[i].value : "(absent)", cases[i].member, r->body);
		hresp_free(r);
		free(body);
	}
	after = snapshot(account);
	cr_assert_str_eq(after, before, "a failed %s %s changed the account", method, target);
	cr_assert_eq(count_events(company), events, "a failed %s %s appended an event", method, target);
	free(before);
	free(after);
}

#define NB(cases) (sizeof(cases) / sizeof((cases)[0]))

/* fmt with its one "%s" replaced by id (the endpoint tables hold paths, not printf formats). */
static const char *at_id(const char *fmt, const char *id)
{
	static char buf[8][512];
	static int i;
	const char *p = strstr(fmt, "%s");

	cr_assert_not_null(p, "%s", fmt);
	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%.*s%s%s", (int)(p - fmt), fmt, id, p + 2);
	return buf[i];
}

/* #2: every required member, enum, type, length and format; 422 (the create documents it). */
Test(accounts, create_rejects_each_bad_member)
{
	static const struct bad cases[] = {
		{ "accountName", NULL, "isEmpty" },          { "accountEmail", NULL, "isEmpty" },
		{ "accountType", NULL, "isEmpty" },          { "phone", NULL, "isEmpty" },
		{ "contactFirstName", NULL, "isEmpty" },     { "contactLastName", NULL, "isEmpty" },
		{ "cityId", NULL, "isEmpty" },               { "locale", NULL, "isEmpty" },
		{ "accountName", "\"\"", "isEmpty" },        { "contactLastName", "\"\"", "isEmpty" },
		{ "accountType", "\"castle\"", "notInArray" }, { "locale", "\"xx\"", "notInArray" },
		{ "cityId", "\"atlantis\"", "notInArray" },  { "accountName", "5", "invalidType" },
		{ "accountEmail", "true", "invalidType" },   { "accountType", "[]", "invalidType" },
		{ "phone", "7", "invalidType" },             { "contactFirstName", "{}", "invalidType" },
		{ "contactLastName", "1.5", "invalidType" }, { "cityId", "3", "invalidType" },
		{ "locale", "null", "isEmpty" },            { "isNotifiable", "\"maybe\"", "invalidType" },
		{ "accountName", "#256", "stringLength" },   { "accountEmail", "#255@", "stringLength" },
		{ "phone", "#65", "stringLength" },          { "contactFirstName", "#256", "stringLength" },
		{ "contactLastName", "#256", "stringLength" }, { "cityId", "#129", "stringLength" },
		{ "accountEmail", "\"info.john.com\"", "invalid" }, { "accountEmail", "\"in fo@john.com\"", "invalid" },
	};
	struct hresp *r;

	expect_each_rejected("POST", "/api/landlords/accounts", create_body, 422, cases, NB(cases), co.uuid);
	r = areq("GET", "/api/landlords/accounts", agent_token, NULL);
	cr_assert_eq(hresp_int(r, "total"), 2, "nothing was created: %s", r->body);
	hresp_free(r);
	/* the body itself: not JSON 400, not an object 422 */
	expect_problem(r = areq("POST", "/api/landlords/accounts", agent_token, "not json"), 400);
	hresp_free(r);
	expect_problem(r = areq("POST", "/api/landlords/accounts", agent_token, "[]"), 422);
	hresp_free(r);
	cr_assert_eq(count_events(0), 0);
}

/* #5: each of the 30 required members left out (notes reads as null, S-38), each enum, type and length. */
Test(accounts, put_account_rejects_each_bad_member)
{
	static const struct bad cases[] = {
		/* required (31 in the schema; notes is the nullable one read as null) */
		{ "accountName", NULL, "isEmpty" },
		{ "accountEmail", NULL, "isEmpty" },
		{ "commission", NULL, "isEmpty" },
		{ "commission.type", NULL, "isEmpty" },
		{ "commission.value", NULL, "isEmpty" },
		{ "locale", NULL, "isEmpty" },
		{ "type", NULL, "isEmpty" },
		{ "feeValue", NULL, "isEmpty" },
		{ "feeType", NULL, "isEmpty" },
		{ "contractType", NULL, "isEmpty" },
		{ "downPaymentType", NULL, "isEmpty" },
		{ "downPaymentValue", NULL, "isEmpty" },
		{ "cancellationPolicy", NULL, "isEmpty" },
		{ "accountClassification", NULL, "isEmpty" },
		{ "assignedAccountManager", NULL, "isEmpty" },
		{ "firstName", NULL, "isEmpty" },
		{ "lastName", NULL, "isEmpty" },
		{ "phone", NULL, "isEmpty" },
		{ "email", NULL, "isEmpty" },
		{ "address", NULL, "isEmpty" },
		{ "zipCode", NULL, "isEmpty" },
		{ "contractProvision", NULL, "isEmpty" },
		{ "preferredCommunicationChannel", NULL, "isEmpty" },
		{ "numberPublishedListings", NULL, "isEmpty" },
		{ "totalRentableUnits", NULL, "isEmpty" },
		{ "totalProperties", NULL, "isEmpty" },
		{ "technology", NULL, "isEmpty" },
		{ "transferTiming", NULL, "isEmpty" },
		{ "otherPlatformsUsage", NULL, "isEmpty" },
		{ "officeHours", NULL, "isEmpty" },
		{ "officeHours.weekdays", NULL, "isEmpty" },
		{ "officeHours.weekend", NULL, "isEmpty" },
		{ "officeHours.weekdays.start", NULL, "isEmpty" },
		{ "officeHours.weekend.start", NULL, "isEmpty" },
		{ "activationStage", NULL, "isEmpty" },
		{ "consentForClassifieds", NULL, "isEmpty" },
		{ "accountName", "\"\"", "isEmpty" },
		{ "firstName", "\"\"", "isEmpty" },
		/* every enum */
		{ "commission.type", "\"bogus\"", "notInArray" },
		{ "locale", "\"bogus\"", "notInArray" },
		{ "type", "\"bogus\"", "notInArray" },
		{ "feeType", "\"bogus\"", "notInArray" },
		{ "contractType", "\"bogus\"", "notInArray" },
		{ "downPaymentType", "\"bogus\"", "notInArray" },
		{ "cancellationPolicy", "\"bogus\"", "notInArray" },
		{ "accountClassification", "\"bogus\"", "notInArray" },
		{ "contractProvision", "\"bogus\"", "notInArray" },
		{ "preferredCommunicationChannel", "\"bogus\"", "notInArray" },
		{ "technology", "\"bogus\"", "notInArray" },
		{ "transferTiming", "\"bogus\"", "notInArray" },
		{ "otherPlatformsUsage", "\"bogus\"", "notInArray" },
		{ "assignedAccountManager", "\"nobody@rentd.test\"", "notInArray" },
		/* wrong types */
		{ "accountName", "5", "invalidType" },
		{ "accountEmail", "5", "invalidType" },
		{ "website", "5", "invalidType" },
		{ "policies", "[]", "invalidType" },
		{ "commission", "\"2\"", "invalidType" },
		{ "commission.type", "5", "invalidType" },
		{ "commission.value", "\"two\"", "invalidType" },
		{ "locale", "5", "invalidType" },
		{ "notes", "5", "invalidType" },
		{ "type", "5", "invalidType" },
		{ "feeValue", "\"seven\"", "invalidType" },
		{ "feeType", "5", "invalidType" },
		{ "contractType", "true", "invalidType" },
		{ "downPaymentType", "5", "invalidType" },
		{ "downPaymentValue", "\"five\"", "invalidType" },
		{ "cancellationPolicy", "5", "invalidType" },
		{ "accountClassification", "5", "invalidType" },
		{ "assignedAccountManager", "5", "invalidType" },
		{ "firstName", "5", "invalidType" },
		{ "lastName", "5", "invalidType" },
		{ "phone", "5", "invalidType" },
		{ "email", "5", "invalidType" },
		{ "address", "5", "invalidType" },
		{ "zipCode", "5", "invalidType" },
		{ "contractProvision", "5", "invalidType" },
		{ "preferredCommunicationChannel", "5", "invalidType" },
		{ "numberPublishedListings", "\"many\"", "invalidType" },
		{ "totalRentableUnits", "\"many\"", "invalidType" },
		{ "totalProperties", "[]", "invalidType" },
		{ "technology", "5", "invalidType" },
		{ "transferTiming", "5", "invalidType" },
		{ "otherPlatformsUsage", "5", "invalidType" },
		{ "officeHours", "5", "invalidType" },
		{ "officeHours.weekdays", "\"08:00\"", "invalidType" },
		{ "officeHours.weekdays.start", "8", "invalidType" },
		{ "officeHours.weekend.end", "16", "invalidType" },
		{ "activationStage", "5", "invalidType" },
		{ "consentForClassifieds", "\"maybe\"", "invalidType" },
		/* lengths, ranges, formats */
		{ "accountName", "#256", "stringLength" },
		{ "accountEmail", "#255@", "stringLength" },
		{ "website", "#2049", "stringLength" },
		{ "policies", "#65536", "stringLength" },
		{ "notes", "#5001", "stringLength" },
		{ "assignedAccountManager", "#255", "stringLength" },
		{ "firstName", "#256", "stringLength" },
		{ "lastName", "#256", "stringLength" },
		{ "phone", "#65", "stringLength" },
		{ "email", "#255@", "stringLength" },
		{ "address", "#256", "stringLength" },
		{ "zipCode", "#33", "stringLength" },
		{ "activationStage", "#65", "stringLength" },
		{ "commission.value", "-1", "between" },
		{ "feeValue", "-1", "between" },
		{ "downPaymentValue", "-1", "between" },
		{ "numberPublishedListings", "-1", "between" },
		{ "totalRentableUnits", "-1", "between" },
		{ "totalProperties", "100000001", "between" },
		{ "accountEmail", "\"landlords.com\"", "invalid" },
		{ "email", "\"email at email.es\"", "invalid" },
		{ "officeHours.weekdays.start", "\"24:00\"", "regexNotMatch" },
		{ "officeHours.weekend.end", "\"9.30\"", "regexNotMatch" },
	};
	char id[37];
	json_t *j;

	create(create_body, id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s", id), put_body, 400, cases, NB(cases), id);
	/* notes left out reads as null (S-38); end left out too (S-10) */
	{
		char *body = edited(put_body, "notes", NULL), *body2 = edited(body, "officeHours.weekend.end", NULL);
		expect_empty(areq("PUT", path("/api/landlords/accounts/%s", id), agent_token, body2), 204);
		free(body);
		free(body2);
	}
	j = get_account(agent_token, id);
	cr_assert(json_is_null(json_object_get(j, "notes")));
	cr_assert(json_is_null(json_object_get(json_object_get(json_object_get(j, "officeHours"), "weekend"), "end")));
	cr_assert_str_eq(sget(j, "officeHours.weekend.start"), "09:00");
	json_decref(j);
}

/* #6, #8, #9: 400 naming the member (S-38, S-27). */
Test(accounts, basic_details_type_and_plan_reject_each_bad_member)
{
	static const char basic[] =
		"{\"accountName\":\"A\",\"accountEmail\":\"a@b.es\",\"locale\":\"en\",\"notes\":\"n\"}";
	static const struct bad basic_cases[] = {
		{ "accountName", NULL, "isEmpty" },      { "accountEmail", NULL, "isEmpty" },
		{ "locale", NULL, "isEmpty" },           { "accountName", "\"\"", "isEmpty" },
		{ "accountName", "5", "invalidType" },   { "accountEmail", "5", "invalidType" },
		{ "locale", "5", "invalidType" },        { "notes", "5", "invalidType" },
		{ "locale", "\"xx\"", "notInArray" },    { "accountName", "#256", "stringLength" },
		{ "accountEmail", "#255@", "stringLength" }, { "notes", "#5001", "stringLength" },
		{ "accountEmail", "\"a.b.es\"", "invalid" },
	};
	static const struct bad type_cases[] = {
		{ "type", NULL, "isEmpty" }, { "type", "\"\"", "isEmpty" }, { "type", "5", "invalidType" },
		{ "type", "\"castle\"", "notInArray" },
	};
	static const struct bad plan_cases[] = {
		{ "plan", NULL, "isEmpty" }, { "plan", "\"\"", "isEmpty" }, { "plan", "5", "invalidType" },
		{ "plan", "#65", "stringLength" },
	};
	char id[37];

	create(create_body, id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/basic-details", id), basic, 400, basic_cases,
			     NB(basic_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/type", id), "{\"type\":\"subletter\"}", 400,
			     type_cases, NB(type_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/plan", id), "{\"plan\":\"plus\"}", 400, plan_cases,
			     NB(plan_cases), id);
}

/* #46 (422), #47 (422): every required member, enum and type. */
Test(accounts, booking_conditions_and_management_info_reject_each_bad_member)
{
	static const char conditions[] =
		"{\"commissionType\":\"fixed\",\"commissionValue\":1000,\"adminFeeType\":\"fixed\","
		"\"adminFeeValue\":10000,\"contractType\":\"daily\",\"cancellationPolicy\":\"standard\","
		"\"bookingMaxDays\":40,\"bookingMinDays\":30}";
	static const struct bad condition_cases[] = {
		{ "commissionType", NULL, "isEmpty" },          { "commissionValue", NULL, "isEmpty" },
		{ "adminFeeType", NULL, "isEmpty" },            { "adminFeeValue", NULL, "isEmpty" },
		{ "contractType", NULL, "isEmpty" },            { "cancellationPolicy", NULL, "isEmpty" },
		{ "commissionType", "\"bogus\"", "notInArray" }, { "adminFeeType", "\"bogus\"", "notInArray" },
		{ "contractType", "\"yearly\"", "notInArray" }, { "cancellationPolicy", "\"lax\"", "notInArray" },
		{ "commissionType", "5", "invalidType" },       { "commissionValue", "\"ten\"", "invalidType" },
		{ "adminFeeType", "5", "invalidType" },         { "adminFeeValue", "{}", "invalidType" },
		{ "contractType", "5", "invalidType" },         { "cancellationPolicy", "5", "invalidType" },
		{ "bookingMaxDays", "\"many\"", "invalidType" }, { "bookingMinDays", "true", "invalidType" },
		{ "commissionValue", "-1", "between" },         { "adminFeeValue", "1000000001", "between" },
		{ "bookingMaxDays", "3651", "between" },        { "bookingMinDays", "-1", "between" },
		{ "bookingMinDays", "41", "between" },
	};
	static const char management[] =
		"{\"classification\":\"key\",\"totalProperties\":10,\"totalRentableUnits\":10,\"technology\":\"pms\","
		"\"consentForClassifieds\":true,\"otherPlatformsUsage\":\"transactional\",\"transferTiming\":"
		"\"post_check_in\",\"accountManagerId\":null,\"activationStage\":\"converted\"}";
	static const struct bad management_cases[] = {
		{ "classification", NULL, "isEmpty" },          { "totalProperties", NULL, "isEmpty" },
		{ "totalRentableUnits", NULL, "isEmpty" },      { "technology", NULL, "isEmpty" },
		{ "consentForClassifieds", NULL, "isEmpty" },   { "otherPlatformsUsage", NULL, "isEmpty" },
		{ "transferTiming", NULL, "isEmpty" },          { "accountManagerId", NULL, "isEmpty" },
		{ "activationStage", NULL, "isEmpty" },         { "classification", "\"bogus\"", "notInArray" },
		{ "technology", "\"bogus\"", "notInArray" },    { "otherPlatformsUsage", "\"bogus\"", "notInArray" },
		{ "transferTiming", "\"bogus\"", "notInArray" }, { "activationStage", "\"bogus\"", "notInArray" },
		{ "accountManagerId", "\"nobody\"", "notInArray" }, { "classification", "5", "invalidType" },
		{ "totalProperties", "\"ten\"", "invalidType" }, { "totalRentableUnits", "[]", "invalidType" },
		{ "technology", "5", "invalidType" },           { "consentForClassifieds", "\"yes\"", "invalidType" },
		{ "otherPlatformsUsage", "5", "invalidType" },  { "transferTiming", "5", "invalidType" },
		{ "accountManagerId", "5", "invalidType" },     { "activationStage", "5", "invalidType" },
		{ "totalProperties", "-1", "between" },         { "totalRentableUnits", "100000001", "between" },
	};
	char id[37];

	create(create_body, id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/booking-conditions", id), conditions, 422,
			     condition_cases, NB(condition_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/management-info", id), management, 422,
			     management_cases, NB(management_cases), id);
}

/* #10, #11 (422), #31, #48 (400), #51 (422), #52 (400), #32 (422), #34 (400). */
Test(accounts, settings_reject_each_bad_member)
{
	static const char by_country[] = "{\"spain\":{\"gapMinDays\":30,\"gapMaxDays\":60,\"contractType\":\"daily\"}}";
	static const struct bad by_country_cases[] = {
		{ "spain", "5", "invalidType" },
		{ "spain.gapMinDays", "\"x\"", "invalidType" },
		{ "spain.gapMaxDays", "3651", "between" },
		{ "spain.gapMinDays", "61", "between" },
		{ "spain.contractType", "\"yearly\"", "notInArray" },
		{ "spain.contractType", "5", "invalidType" },
	};
	static const char acceptance[] = "{\"days\":\"13\",\"minDays\":\"1\",\"maxDays\":\"16\"}";
	static const struct bad acceptance_cases[] = {
		{ "days", "\"abc\"", "invalidType" }, { "minDays", "[]", "invalidType" },
		{ "maxDays", "true", "invalidType" }, { "days", "-1", "between" },
		{ "maxDays", "3651", "between" },     { "minDays", "17", "between" },
	};
	static const struct bad policies_cases[] = {
		{ "policies", "5", "invalidType" },
		{ "policies", "#65536", "stringLength" },
	};
	static const struct bad canonical_cases[] = {
		{ "policies", NULL, "isEmpty" }, { "policies", "\"\"", "isEmpty" }, { "policies", "null", "isEmpty" },
		{ "policies", "5", "invalidType" }, { "policies", "#65536", "stringLength" },
	};
	static const struct bad manager_cases[] = {
		{ "accountManagerId", NULL, "isEmpty" },
		{ "accountManagerId", "5", "invalidType" },
		{ "accountManagerId", "\"00000000-0000-4000-8000-000000000000\"", "notInArray" },
	};
	static const struct bad lead_cases[] = {
		{ "leadSource", NULL, "isEmpty" }, { "leadSource", "5", "invalidType" },
		{ "leadSource", "\"tv\"", "notInArray" }, { "leadSource", "\"\"", "notInArray" },
	};
	static const struct bad data_cases[] = {
		{ "data", NULL, "isEmpty" },
		{ "data", "[]", "invalidType" },
		{ "data.landlordAge", "\"old\"", "invalidType" },
		{ "data.isAnmeldungPermitted", "\"yes\"", "invalidType" },
		{ "data.rentPaymentMethod", "5", "invalidType" },
		{ "data.deposit", "true", "invalidType" },
		{ "data.aboutLandlord", "#5001", "stringLength" },
		{ "data.checkoutCleaningFeeAmount", "1e13", "between" },
	};
	char id[37], post_data[256];

	create(create_body, id);
	expect_each_rejected("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", id), by_country,
			     422, by_country_cases, NB(by_country_cases), id);
	expect_each_rejected("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
			     acceptance, 422, acceptance_cases, NB(acceptance_cases), id);
	expect_each_rejected("PUT", path("/api/accommodation-providers/%s/policies", id), "{\"policies\":\"p\"}", 400,
			     policies_cases, NB(policies_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/canonical-policies", id), "{\"policies\":\"p\"}",
			     400, canonical_cases, NB(canonical_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/account-managers", id),
			     "{\"accountManagerId\":\"ada@rentd.test\"}", 422, manager_cases, NB(manager_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/lead-source", id), "{\"leadSource\":\"sem\"}", 400,
			     lead_cases, NB(lead_cases), id);
	expect_each_rejected("PUT", path("/api/landlords/accounts/%s/additional-data", id),
			     "{\"data\":{\"deposit\":400,\"landlordAge\":31}}", 400, data_cases, NB(data_cases), id);
	snprintf(post_data, sizeof(post_data), "{\"id\":\"%s\",\"data\":{\"deposit\":\"halfMonth\"}}", id);
	expect_each_rejected("POST", "/api/landlords/accounts/additional-data", post_data, 422, data_cases,
			     NB(data_cases), id);
	{
		static const struct bad id_cases[] = {
			{ "id", NULL, "isEmpty" },
			{ "id", "5", "invalidType" },
			{ "id", "\"00000000-0000-4000-8000-000000000000\"", "notInArray" },
		};
		expect_each_rejected("POST", "/api/landlords/accounts/additional-data", post_data, 422, id_cases,
				     NB(id_cases), id);
	}
}

/* A body that is missing, not JSON or not an object is refused on every write and changes nothing. */
Test(accounts, writes_refuse_bodies_that_are_not_objects)
{
	static const struct {
		const char *method, *fmt;
		int status; /* for a JSON value that is not an object */
	} writes[] = {
		{ "PUT", "/api/landlords/accounts/%s", 400 },
		{ "PUT", "/api/landlords/accounts/%s/basic-details", 400 },
		{ "PUT", "/api/landlords/accounts/%s/type", 400 },
		{ "PUT", "/api/landlords/accounts/%s/plan", 400 },
		{ "POST", "/api/landlords/accounts/%s/booking-conditions-by-country", 422 },
		{ "PUT", "/api/accommodation-providers/%s/booking-acceptance-time-preferences", 422 },
		{ "PUT", "/api/accommodation-providers/%s/policies", 400 },
		{ "PUT", "/api/landlords/accounts/%s/additional-data", 400 },
		{ "PUT", "/api/landlords/accounts/%s/booking-conditions", 422 },
		{ "PUT", "/api/landlords/accounts/%s/management-info", 422 },
		{ "PUT", "/api/landlords/accounts/%s/canonical-policies", 400 },
		{ "PUT", "/api/landlords/accounts/%s/account-managers", 422 },
		{ "PUT", "/api/landlords/accounts/%s/lead-source", 400 },
	};
	char id[37], *before, *after;
	struct hresp *r;

	create(create_body, id);
	before = snapshot(id);
	for (size_t i = 0; i < NB(writes); i++) {
		const char *target = at_id(writes[i].fmt, id);
		r = areq(writes[i].method, target, agent_token, "{\"accountName\":");
		expect_problem(r, 400);
		hresp_free(r);
		r = areq(writes[i].method, target, agent_token, "[1,2]");
		expect_problem(r, writes[i].status);
		cr_assert(json_object_size(json_object_get(r->json, "validationMessages")) == 1, "%s: %s", target,
			  r->body);
		hresp_free(r);
		r = areq(writes[i].method, target, agent_token, "\"text\"");
		expect_problem(r, writes[i].status);
		hresp_free(r);
	}
	after = snapshot(id);
	cr_assert_str_eq(after, before);
	cr_assert_eq(count_events(company_of(id)), 2);
	free(before);
	free(after);
}

/* ---- access: every endpoint with an account id, every kind of caller ---- */

enum own_rule {
	OWN_OK,        /* an employee with the organization right succeeds on its own account */
	OWN_AGENTS,    /* agents only: 403 for every employee (S-40) */
	OWN_ELSEWHERE, /* not tried here: the body's e-mail would clash (put_account_access, basic_details) */
};

struct id_endpoint {
	const char *method, *fmt, *body;
	int other;         /* another account's id through an employee: 403 where documented, else 404 (S-40) */
	int ok;            /* the success status */
	enum own_rule own;
	bool observer;     /* an employee without the right succeeds too (reads) */
};

static const struct id_endpoint id_endpoints[] = {
	{ "GET", "/api/landlords/accounts/%s", NULL, 403, 200, OWN_OK, true },
	{ "PUT", "/api/landlords/accounts/%s", put_body, 404, 204, OWN_ELSEWHERE, false },
	{ "PUT", "/api/landlords/accounts/%s/basic-details",
	  "{\"accountName\":\"N\",\"accountEmail\":\"fresh@x.es\",\"locale\":\"en\"}", 404, 204, OWN_ELSEWHERE, false },
	{ "PUT", "/api/landlords/accounts/%s/type", "{\"type\":\"subletter\"}", 404, 204, OWN_OK, false },
	{ "PUT", "/api/landlords/accounts/%s/plan", "{\"plan\":\"plus\"}", 404, 204, OWN_OK, false },
	{ "POST", "/api/landlords/accounts/%s/booking-conditions-by-country", "{\"spain\":{\"gapMinDays\":1}}", 403,
	  201, OWN_OK, false },
	{ "PUT", "/api/accommodation-providers/%s/booking-acceptance-time-preferences", "{\"days\":3}", 404, 204,
	  OWN_OK, false },
	{ "PUT", "/api/accommodation-providers/%s/icalendar", NULL, 404, 204, OWN_OK, false },
	{ "PUT", "/api/accommodation-providers/%s/policies", "{\"policies\":\"p\"}", 404, 204, OWN_OK, false },
	{ "GET", "/api/landlords/accounts/%s/additional-data", NULL, 404, 200, OWN_OK, true },
	{ "PUT", "/api/landlords/accounts/%s/additional-data", "{\"data\":{\"deposit\":1}}", 404, 204, OWN_OK, false },
	{ "PUT", "/api/landlords/accounts/%s/booking-conditions",
	  "{\"commissionType\":\"fixed\",\"commissionValue\":1,\"adminFeeType\":\"fixed\",\"adminFeeValue\":1,"
	  "\"contractType\":\"daily\",\"cancellationPolicy\":\"strict\"}",
	  404, 204, OWN_OK, false },
	{ "PUT", "/api/landlords/accounts/%s/management-info",
	  "{\"classification\":\"key\",\"totalProperties\":1,\"totalRentableUnits\":1,\"technology\":\"pms\","
	  "\"consentForClassifieds\":true,\"otherPlatformsUsage\":\"transactional\",\"transferTiming\":"
	  "\"post_check_in\",\"accountManagerId\":null,\"activationStage\":\"converted\"}",
	  404, 204, OWN_OK, false },
	{ "PUT", "/api/landlords/accounts/%s/canonical-policies", "{\"policies\":\"p\"}", 403, 204, OWN_OK, false },
	{ "PUT", "/api/landlords/accounts/%s/account-managers", "{\"accountManagerId\":\"ada@rentd.test\"}", 403, 204,
	  OWN_AGENTS, false },
	{ "PUT", "/api/landlords/accounts/%s/lead-source", "{\"leadSource\":\"sem\"}", 404, 204, OWN_OK, false },
	{ "POST", "/api/landlords/accounts/%s/obfuscate", NULL, 403, 204, OWN_AGENTS, false },
};

Test(accounts, access_rules_of_every_endpoint_with_an_id)
{
	char id[37], *other_before, *other_after;
	struct hresp *r;

	create(create_body, id);
	other_before = snapshot(other.uuid);
	for (size_t i = 0; i < NB(id_endpoints); i++) {
		const struct id_endpoint *e = &id_endpoints[i];
		const char *mine = at_id(e->fmt, co.uuid), *theirs = at_id(e->fmt, other.uuid);

		/* no token, a bad one, in both schemes: 401 */
		expect_problem(r = areq_ex(e->method, mine, NONE, "", e->body, NULL), 401);
		hresp_free(r);
		expect_problem(r = areq_ex(e->method, mine, BARE, "aa.bb.cc", e->body, NULL), 401);
		hresp_free(r);
		expect_problem(r = areq_ex(e->method, mine, BEARER, "aa.bb.cc", e->body, NULL), 401);
		hresp_free(r);
		/* a consumer: 403 */
		expect_problem(r = areq(e->method, mine, consumer_token, e->body), 403);
		hresp_free(r);
		/* another account through an employee (S-40), also the admin with every right */
		expect_problem(r = areq(e->method, theirs, co.admin_token, e->body), e->other);
		hresp_free(r);
		expect_problem(r = areq(e->method, theirs, observer_token, e->body), e->other);
		hresp_free(r);
		/* an unknown id, and a malformed one */
		expect_problem(r = areq(e->method, at_id(e->fmt, "00000000-0000-4000-8000-000000000000"), agent_token,
					e->body),
			       404);
		hresp_free(r);
		expect_problem(r = areq(e->method, at_id(e->fmt, "not-a-uuid"), agent_token, e->body), 404);
		hresp_free(r);
		/* its own account: the organization right writes, every employee reads */
		r = areq(e->method, mine, observer_token, e->body);
		if (e->observer)
			cr_assert_eq(r->status, e->ok, "%s %s: %d %s", e->method, e->fmt, r->status, r->body);
		else
			expect_problem(r, 403);
		hresp_free(r);
		if (e->own != OWN_ELSEWHERE) {
			r = areq(e->method, mine, co.admin_token, e->body);
			if (e->own == OWN_OK)
				cr_assert_eq(r->status, e->ok, "%s %s: %d %s", e->method, e->fmt, r->status, r->body);
			else
				expect_problem(r, 403);
			hresp_free(r);
		}
		/* an agent, Bearer this time (S-41); Content-Type as listed, none on #47, #48, #51 (§1.1) */
		r = areq_ex(e->method, at_id(e->fmt, id), BEARER, agent_token, e->body, NULL);
		cr_assert_eq(r->status, e->ok, "%s %s: %d %s", e->method, e->fmt, r->status, r->body);
		if (strstr(e->fmt, "management-info") || strstr(e->fmt, "canonical-policies") ||
		    strstr(e->fmt, "account-managers"))
			cr_assert_null(r->content_type, "%s", e->fmt);
		else
			cr_assert(r->content_type && strcmp(r->content_type, "application/json") == 0, "%s: %s", e->fmt,
				  r->content_type ? r->content_type : "(none)");
		if (e->ok != 200)
			cr_assert_eq(r->body_len, 0, "%s: %s", e->fmt, r->body);
		hresp_free(r);
	}
	other_after = snapshot(other.uuid);
	cr_assert_str_eq(other_after, other_before, "a refused request changed another account");
	cr_assert_eq(count_events(other.id), 0);
	free(other_before);
	free(other_after);
}

/* #1, #2, #7, #32, #52: the endpoints without an account id in the path. */
Test(accounts, access_rules_of_the_endpoints_without_an_id)
{
	static const struct {
		const char *method, *target, *body;
	} endpoints[] = {
		{ "GET", "/api/landlords/accounts", NULL },
		{ "POST", "/api/landlords/accounts", create_body },
		{ "GET", "/api/landlords/accounts/me", NULL },
		{ "POST", "/api/landlords/accounts/additional-data", "{\"id\":\"x\",\"data\":{}}" },
		{ "PUT", "/api/landlords/accounts/lead-source", "{\"leadSource\":\"sem\"}" },
	};
	char body[128];
	struct hresp *r;

	for (size_t i = 0; i < NB(endpoints); i++) {
		expect_problem(r = areq_ex(endpoints[i].method, endpoints[i].target, NONE, "", endpoints[i].body, NULL),
			       401);
		hresp_free(r);
		expect_problem(r = areq_ex(endpoints[i].method, endpoints[i].target, BARE, "aa.bb.cc",
					   endpoints[i].body, NULL),
			       401);
		hresp_free(r);
		expect_problem(r = areq(endpoints[i].method, endpoints[i].target, consumer_token, endpoints[i].body),
			       403);
		hresp_free(r);
	}
	/* Bearer works on each (S-41) */
	r = areq_ex("GET", "/api/landlords/accounts", BEARER, agent_token, NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	r = areq_ex("POST", "/api/landlords/accounts", BEARER, agent_token, create_body, NULL);
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	r = areq_ex("GET", "/api/landlords/accounts/me", BEARER, observer_token, NULL, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "id"), co.uuid);
	hresp_free(r);
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"data\":{}}", co.uuid);
	expect_empty(areq_ex("POST", "/api/landlords/accounts/additional-data", BEARER, co.admin_token, body, NULL),
		     201);
	/* #32 with another account's id through an employee: a bad id (no 403/404 documented) */
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"data\":{}}", other.uuid);
	expect_field(r = areq("POST", "/api/landlords/accounts/additional-data", co.admin_token, body), 422, "id",
		     "notInArray");
	hresp_free(r);
	expect_empty(areq_ex("PUT", "/api/landlords/accounts/lead-source", BEARER, co.admin_token,
			     "{\"leadSource\":\"sem\"}", NULL),
		     204);
	/* the right is needed to write: an observer may read its account, not change it */
	expect_problem(r = areq("PUT", "/api/landlords/accounts/lead-source", observer_token,
				"{\"leadSource\":\"sem\"}"),
		       403);
	hresp_free(r);
	cr_assert_eq(count_events(other.id), 0);
}

/* ---- rules that need the stored state ---- */

/* #11 and #46 share the booking days: a minimum sent alone is held against the stored maximum. */
Test(accounts, booking_days_are_checked_against_the_stored_ones)
{
	char id[37], *before, *after;
	struct hresp *r;

	create(create_body, id);
	expect_empty(areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
			  agent_token, "{\"minDays\":5,\"maxDays\":10}"),
		     204);
	before = snapshot(id);
	expect_field(r = areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
			      agent_token, "{\"minDays\":20}"),
		     422, "minDays", "between");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
			      agent_token, "{\"maxDays\":\"4\"}"),
		     422, "maxDays", "between");
	hresp_free(r);
	expect_field(r = areq("PUT", path("/api/landlords/accounts/%s/booking-conditions", id), agent_token,
			      "{\"commissionType\":\"fixed\",\"commissionValue\":1,\"adminFeeType\":\"fixed\","
			      "\"adminFeeValue\":1,\"contractType\":\"daily\",\"cancellationPolicy\":\"strict\","
			      "\"bookingMinDays\":11}"),
		     422, "bookingMinDays", "between");
	hresp_free(r);
	after = snapshot(id);
	cr_assert_str_eq(after, before);
	free(before);
	free(after);
	/* clearing the maximum lifts the bound */
	expect_empty(areq("PUT", path("/api/accommodation-providers/%s/booking-acceptance-time-preferences", id),
			  agent_token, "{\"maxDays\":null,\"minDays\":20}"),
		     204);
	{
		json_t *j = get_account(agent_token, id);
		cr_assert_str_eq(sget(j, "bookingAcceptanceTimePreferences.bookingAcceptanceDaysRange.minDays"), "20");
		cr_assert_null(json_object_get(json_object_get(json_object_get(j, "bookingAcceptanceTimePreferences"),
							       "bookingAcceptanceDaysRange"),
					       "maxDays"));
		json_decref(j);
	}
}

/* #51 is agent-only (S-40); #5 and #47 carry the manager too, so an employee may resend it but not change it. */
Test(accounts, employees_cannot_change_the_account_manager)
{
	char body[sizeof(put_body) + 64], *before, *after;
	struct hresp *r;
	int events;

	/* by #5 and #47, unassigned → Ada: 403, nothing changes */
	before = snapshot(co.uuid);
	snprintf(body, sizeof(body), "%s", put_body);
	replace(body, sizeof(body), "\"unassigned\"", "\"ada@rentd.test\"");
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s", co.uuid), co.admin_token, body), 403);
	hresp_free(r);
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s/management-info", co.uuid), co.admin_token,
				"{\"classification\":\"key\",\"totalProperties\":1,\"totalRentableUnits\":1,"
				"\"technology\":\"pms\",\"consentForClassifieds\":true,\"otherPlatformsUsage\":"
				"\"transactional\",\"transferTiming\":\"post_check_in\",\"accountManagerId\":"
				"\"ada@rentd.test\",\"activationStage\":\"converted\"}"),
		       403);
	hresp_free(r);
	after = snapshot(co.uuid);
	cr_assert_str_eq(after, before);
	cr_assert_eq(count_events(co.id), 0);
	free(before);
	free(after);
	/* an agent assigns Ada; the landlord resends her (by id or e-mail) with its other changes */
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s", co.uuid), agent_token, body), 204);
	events = count_events(co.id);
	replace(body, sizeof(body), "\"accountName\":\"name\"", "\"accountName\":\"Acme Homes\"");
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s", co.uuid), co.admin_token, body), 204);
	cr_assert_eq(count_events(co.id), events + 1, "only AccountNameWasChanged: %s", events_of(co.id));
	snprintf(body, sizeof(body),
		 "{\"classification\":\"key\",\"totalProperties\":25,\"totalRentableUnits\":15,\"technology\":"
		 "\"no_technology\",\"consentForClassifieds\":false,\"otherPlatformsUsage\":\"not_applicable\","
		 "\"transferTiming\":\"post_check_in\",\"accountManagerId\":\"%s\",\"activationStage\":\"converted\"}",
		 ada_uuid);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/management-info", co.uuid), co.admin_token, body),
		     204);
	/* and may not unassign her */
	expect_problem(r = areq("PUT", path("/api/landlords/accounts/%s/management-info", co.uuid), co.admin_token,
				"{\"classification\":\"key\",\"totalProperties\":25,\"totalRentableUnits\":15,"
				"\"technology\":\"no_technology\",\"consentForClassifieds\":false,"
				"\"otherPlatformsUsage\":\"not_applicable\",\"transferTiming\":\"post_check_in\","
				"\"accountManagerId\":null,"
				"\"activationStage\":\"converted\"}"),
		       403);
	hresp_free(r);
	cr_assert_eq(count_events(co.id), events + 1);
	{
		json_t *j = get_account(agent_token, co.uuid);
		cr_assert_str_eq(jstr(j, "assignedAccountManager"), "ada@rentd.test");
		cr_assert_str_eq(jstr(j, "accountName"), "Acme Homes");
		json_decref(j);
	}
}

/* ---- the Account representation (§3.1) ---- */

/* accounting dates are ISO-8601 with +00:00 (S-36); members unknown are omitted (S-07). */
Test(accounts, accounting_dates)
{
	json_t *j, *acc, *first;

	harness_sql(h,
		    "UPDATE companies SET first_listing_published_at = '2014-06-05T12:55:29Z',"
		    " availabilities_notified_at = '2016-10-01T08:00:00Z',"
		    " first_booking_email_at = '2016-09-07T15:23:47Z',"
		    " first_booking_sms_at = '2016-09-07T15:25:16Z', first_booking_accepted_at = '2014-06-16T08:29:04Z',"
		    " first_booking_request_id = '37313' WHERE id = %lld",
		    (long long)co.id);
	j = get_account(agent_token, co.uuid);
	acc = json_object_get(j, "accounting");
	/* the landlord-side company has no creation user: omitted */
	cr_assert_eq(json_object_size(acc), 5, "%s", json_dumps(acc, 0));
	cr_assert_str_eq(jstr(acc, "firstListingPublicationDate"), "2014-06-05T12:55:29+00:00");
	cr_assert_str_eq(jstr(acc, "lastUpdateAvailabilitiesNotificationDate"), "2016-10-01T08:00:00+00:00");
	cr_assert_str_eq(jstr(acc, "firstBookingConfirmationRequestEmailDate"), "2016-09-07T15:23:47+00:00");
	cr_assert_str_eq(jstr(acc, "firstBookingConfirmationRequestSmsDate"), "2016-09-07T15:25:16+00:00");
	first = json_object_get(acc, "firstBookingAccepted");
	cr_assert_eq(json_object_size(first), 2);
	cr_assert_str_eq(jstr(first, "acceptanceDate"), "2014-06-16T08:29:04+00:00");
	cr_assert_str_eq(jstr(first, "bookingRequestId"), "37313");
	no_null_strings(j, "account");
	json_decref(j);
}

/* The list item, #4 and #7 are the same Account (§3.1: byte-identical bodies). */
Test(accounts, list_item_one_and_me_are_the_same_account)
{
	char one[37], q[128];
	struct hresp *r;
	json_t *item;
	char *a, *b, *c;

	create(create_body, one);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s", co.uuid), agent_token, put_body), 204);
	r = areq("GET", path("/api/landlords/accounts/%s", co.uuid), co.admin_token, NULL);
	a = json_dumps(r->json, JSON_COMPACT | JSON_SORT_KEYS);
	hresp_free(r);
	r = areq("GET", "/api/landlords/accounts/me", co.admin_token, NULL);
	b = json_dumps(r->json, JSON_COMPACT | JSON_SORT_KEYS);
	hresp_free(r);
	snprintf(q, sizeof(q), "/api/landlords/accounts?ids=%s", co.uuid);
	r = areq("GET", q, agent_token, NULL);
	item = json_array_get(json_object_get(json_object_get(r->json, "_embedded"), "sah:accounts"), 0);
	c = json_dumps(item, JSON_COMPACT | JSON_SORT_KEYS);
	hresp_free(r);
	cr_assert_str_eq(a, b);
	cr_assert_str_eq(a, c);
	free(a);
	free(b);
	free(c);
}

/* ---- the payloads A's operations append (spotahome.md §5, S-28…S-36, S-48) ---- */

static void expect_members(json_t *o, const char *where, const char *const *keys)
{
	size_t n = 0;

	cr_assert(json_is_object(o), "%s is not an object", where);
	for (; keys[n]; n++)
		cr_assert_not_null(json_object_get(o, keys[n]), "%s lacks %s: %s", where, keys[n], json_dumps(o, 0));
	cr_assert_eq(json_object_size(o), n, "%s has other members: %s", where, json_dumps(o, 0));
}

static bool time_is(const char *t, const char *zone)
{
	return t && strlen(t) == 19 + strlen(zone) && t[4] == '-' && t[10] == 'T' && t[13] == ':' &&
	       strcmp(t + 19, zone) == 0;
}

enum when { T0000, T00_00, TPHP, TNONE };

/* The newest payload of this type: exactly keys at the top, occurredOn in its format (S-36). */
static json_t *payload_is(int64_t company, const char *type, enum when w, const char *const *keys)
{
	json_t *p = last_event(company, type, NULL, NULL), *t = json_object_get(p, "occurredOn");

	expect_members(p, type, keys);
	if (w == T0000 || w == T00_00)
		cr_assert(time_is(json_string_value(t), w == T0000 ? "+0000" : "+00:00"), "%s occurredOn %s", type,
			  json_dumps(p, 0));
	else if (w == TPHP) {
		static const char *const php[] = { "date", "timezone_type", "timezone", NULL };
		const char *d;
		expect_members(t, "occurredOn", php);
		d = jstr(t, "date");
		cr_assert(strlen(d) == 26 && d[10] == ' ' && strcmp(d + 19, ".000000") == 0, "%s", d);
		cr_assert_eq(jint(t, "timezone_type"), 3);
		cr_assert_str_eq(jstr(t, "timezone"), "UTC");
	}
	return p;
}

Test(accounts, every_payload_has_exactly_its_members)
{
	static const char *const user_id[] = { "identity", NULL };
	static const char *const user_both[] = { "email", "identity", NULL };
	char id[37], body[512];
	int64_t cid;
	long long second;
	json_t *p, *k;

	create(create_body, id);
	cid = company_of(id);
	{
		static const char *const keys[] = { "accountId", "accountName", "accountEmail", "locale", "commission",
						    "type", "fees", "contractType", "downPaymentPreference",
						    "totalRentableUnits", "totalProperties", "contactCollection",
						    "occurredOn", "user", "source", "activationStage", "isNotifiable",
						    "accountPlan", NULL };
		static const char *const tv[] = { "type", "value", NULL };
		static const char *const booking[] = { "booking", NULL };
		static const char *const dpp[] = { "type", "numberOfWeeks", NULL };
		static const char *const coll[] = { "contacts", "contactTypesAssignation", NULL };
		static const char *const contact[] = { "id", "firstName", "lastName", "email", "phone",
						       "address", "zipCode", "position", "notes", "accounting",
						       "isDeleted", NULL };
		static const char *const accounting[] = { "creationUser", "updateUser", "creationDate", "updateDate",
							  NULL };
		static const char *const roles[] = { "booking_manager", "tenant", "finance", NULL };
		p = payload_is(cid, "AccountWasCreated", T0000, keys);
		expect_members(json_object_get(p, "commission"), "commission", tv);
		expect_members(json_object_get(p, "fees"), "fees", booking);
		expect_members(json_object_get(json_object_get(p, "fees"), "booking"), "fees.booking", tv);
		expect_members(json_object_get(p, "downPaymentPreference"), "downPaymentPreference", dpp);
		expect_members(json_object_get(p, "contactCollection"), "contactCollection", coll);
		k = json_array_get(json_object_get(json_object_get(p, "contactCollection"), "contacts"), 0);
		expect_members(k, "contact", contact);
		expect_members(json_object_get(k, "accounting"), "contact.accounting", accounting);
		cr_assert(time_is(jstr(json_object_get(k, "accounting"), "creationDate"), "+0000"));
		expect_members(json_object_get(json_object_get(p, "contactCollection"), "contactTypesAssignation"),
			       "contactTypesAssignation", roles);
		expect_members(json_object_get(p, "user"), "user", user_both);
		json_decref(p);
	}
	{
		static const char *const keys[] = { "accountId", "contactId", "firstName", "lastName", "email", "phone",
						    "position", "address", "zipCode", "user", "occurredOn", NULL };
		p = payload_is(cid, "ContactWasCreated", T00_00, keys);
		expect_members(json_object_get(p, "user"), "user", user_id);
		json_decref(p);
	}
	/* #5 with every aspect changed, weekly down payments, a manager */
	{
		char full[sizeof(put_body) + 128];
		snprintf(full, sizeof(full), "%s", put_body);
		replace(full, sizeof(full), "\"type\":\"private\"", "\"type\":\"subletter\"");
		replace(full, sizeof(full), "\"downPaymentType\":\"monthly\"", "\"downPaymentType\":\"weekly\"");
		replace(full, sizeof(full), "\"cancellationPolicy\":\"standard\"", "\"cancellationPolicy\":\"strict\"");
		replace(full, sizeof(full), "\"technology\":\"no_technology\"", "\"technology\":\"pms\"");
		replace(full, sizeof(full), "\"unassigned\"", "\"ada@rentd.test\"");
		expect_empty(areq("PUT", path("/api/landlords/accounts/%s", id), agent_token, full), 204);
	}
	{
		static const char *const keys[] = { "id", "name", "occurredOn", NULL };
		json_decref(payload_is(cid, "AccountNameWasChanged", T00_00, keys));
	}
	{
		static const char *const keys[] = { "id", "type", "occurredOn", NULL };
		json_decref(payload_is(cid, "AccountTypeWasChanged", T00_00, keys));
	}
	{
		static const char *const keys[] = { "id", "occurredOn", "type", "value", NULL };
		p = payload_is(cid, "CommissionWasUpdated", T0000, keys);
		cr_assert(json_is_integer(json_object_get(p, "value")));
		json_decref(p);
	}
	{
		static const char *const keys[] = { "accountId", "feeType", "feeValue", "user", "occurredOn", NULL };
		p = payload_is(cid, "AccountAdminFeeWasUpdated", T00_00, keys);
		expect_members(json_object_get(p, "user"), "user", user_id);
		json_decref(p);
	}
	{
		static const char *const keys[] = { "accountId", "contractType", "occurredOn", NULL };
		json_decref(payload_is(cid, "ContractTypeWasChanged", T0000, keys));
	}
	{
		static const char *const keys[] = { "accountId", "occurredOn", "downPaymentPreference", NULL };
		static const char *const dpp[] = { "type", NULL };
		static const char *const weekly[] = { "type", "numberOfWeeks", NULL };
		p = payload_is(cid, "DownPaymentPreferenceWasUpdated", T0000, keys);
		expect_members(json_object_get(p, "downPaymentPreference"), "downPaymentPreference", dpp);
		expect_members(json_object_get(json_object_get(p, "downPaymentPreference"), "type"),
			       "downPaymentPreference.type", weekly);
		cr_assert_eq(jint(json_object_get(json_object_get(p, "downPaymentPreference"), "type"),
				  "numberOfWeeks"),
			     5);
		json_decref(p);
	}
	{
		static const char *const keys[] = { "accountId", "cancellationPolicy", "occurredOn", NULL };
		json_decref(payload_is(cid, "CancellationPolicyWasUpdated", T0000, keys));
	}
	{
		static const char *const keys[] = { "accountId", "accountClassification", "occurredOn", NULL };
		json_decref(payload_is(cid, "AccountClassificationWasUpdated", T0000, keys));
	}
	{
		static const char *const keys[] = { "accountId", "totalProperties", "totalRentableUnits", "occurredOn",
						    "user", NULL };
		p = payload_is(cid, "MarketPenetrationInfoWasChanged", T0000, keys);
		expect_members(json_object_get(p, "user"), "user", user_both);
		json_decref(p);
	}
	{
		static const char *const keys[] = { "accountId", "technology", "user", "occurredOn", NULL };
		p = payload_is(cid, "AccountTechnologyWasChanged", T0000, keys);
		expect_members(json_object_get(p, "user"), "user", user_both);
		json_decref(p);
	}
	{
		static const char *const keys[] = { "accountId", "accountManager", "occurredOn", NULL };
		json_decref(payload_is(cid, "AccountManagerWasAssigned", TPHP, keys));
	}
	{
		static const char *const keys[] = { "accountId", "occurredOn", "content", NULL };
		static const char *const content[] = { "locale", "translationType", "translationProvider", "policies",
						       NULL };
		p = payload_is(cid, "DefaultPoliciesWereChanged", T0000, keys);
		expect_members(json_object_get(p, "content"), "content", content);
		json_decref(p);
	}
	{
		static const char *const keys[] = { "accommodationProvider", "contentBefore", "contentAfter", NULL };
		static const char *const ap[] = {
			"id", "uuid", "accountName", "accountEmail", "commission", "type", "locale", "fees",
			"contractType", "downPaymentPreference", "accounting", "notes", "isDeleted",
			"translatableContentCollection", "isExternallyIntegrated", "cancellationPolicy",
			"bookingAcceptanceTimePreferences", "accountClassification", "assignedAccountManager",
			"numberPublishedListings", "contractProvision", "preferredCommunicationChannel",
			"totalRentableUnits", "totalProperties", "contactCollection", NULL,
		};
		static const char *const accounting[] = { "creationUser", "updateUser", "creationDate", "updateDate",
							  "firstListingPublicationDate", NULL };
		static const char *const content[] = { "locale", "translationType", "policies", NULL };
		static const char *const coll[] = { "contacts", "contactTypesAssignation", NULL };
		json_t *a;
		p = payload_is(cid, "AccountContentWasUpdated", TNONE, keys);
		a = json_object_get(p, "accommodationProvider");
		expect_members(a, "accommodationProvider", ap);
		expect_members(json_object_get(a, "accounting"), "accommodationProvider.accounting", accounting);
		expect_members(json_object_get(a, "contactCollection"), "contactCollection", coll);
		k = json_array_get(json_object_get(json_object_get(a, "contactCollection"), "contacts"), 0);
		cr_assert(json_is_integer(json_object_get(k, "id")), "contact ids are numbers here (unlike S-31)");
		cr_assert_str_eq(sget(k, "email.email"), "email@email.es");
		expect_members(json_object_get(p, "contentAfter"), "contentAfter", content);
		cr_assert_str_eq(sget(a, "assignedAccountManager.username"), "ada@rentd.test");
		cr_assert_str_eq(sget(a, "accountEmail.email"), "info@landlords.com");
		cr_assert_str_eq(sget(a, "cancellationPolicy.policy"), "strict");
		json_decref(p);
	}
	/* #51: Ada → the first agent appends Unassigned(Ada) then Assigned */
	snprintf(body, sizeof(body), "{\"accountManagerId\":\"%s\"}", agent_uuid);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/account-managers", id), agent_token, body), 204);
	{
		static const char *const keys[] = { "id", "accountManager", "occurredOn", NULL };
		p = payload_is(cid, "AccountManagerWasUnassigned", TPHP, keys);
		cr_assert_str_eq(jstr(p, "accountManager"), "ada@rentd.test");
		json_decref(p);
	}
	/* #9, #52 alias, #10, #32/#34 */
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/plan", id), agent_token, "{\"plan\":\"plus\"}"), 204);
	{
		static const char *const keys[] = { "accountId", "accountPlan", "user", "occurredOn", NULL };
		p = payload_is(cid, "AccountPlanWasChanged", T0000, keys);
		expect_members(json_object_get(p, "user"), "user", user_id);
		json_decref(p);
	}
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/lead-source", id), agent_token,
			  "{\"leadSource\":\"sem\"}"),
		     204);
	{
		static const char *const keys[] = { "accountId", "leadSource", "user", "occurredOn", NULL };
		p = payload_is(cid, "LeadSourceWasChanged", T0000, keys);
		expect_members(json_object_get(p, "user"), "user", user_both);
		json_decref(p);
	}
	expect_status(areq("POST", path("/api/landlords/accounts/%s/booking-conditions-by-country", id), agent_token,
			   "{\"spain\":{\"gapMinDays\":1}}"),
		      201);
	{
		static const char *const keys[] = { "accountId", "conditions", "user", "occurredOn", NULL };
		static const char *const cond[] = { "gapMinDays", "gapMaxDays", "contractType", NULL };
		p = payload_is(cid, "BookingConditionsByCountryWereUpdated", T0000, keys);
		expect_members(json_object_get(json_object_get(p, "conditions"), "spain"), "conditions.spain", cond);
		json_decref(p);
	}
	snprintf(body, sizeof(body), "{\"id\":\"%s\",\"data\":{\"deposit\":\"halfMonth\"}}", id);
	expect_empty(areq("POST", "/api/landlords/accounts/additional-data", agent_token, body), 201);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/additional-data", id), agent_token,
			  "{\"data\":{\"deposit\":400}}"),
		     204);
	{
		static const char *const keys[] = { "accountId", "data", "user", "occurredOn", NULL };
		json_decref(payload_is(cid, "AccountAdditionalDataWasCreated", T0000, keys));
		json_decref(payload_is(cid, "AccountAdditionalDataWasUpdated", T0000, keys));
	}
	/* contacts: update, reassign, delete (#18, #20, #19) */
	second = 0;
	{
		struct hresp *r = areq("POST", path("/api/landlords/accounts/%s/contacts", id), agent_token,
				       "{\"firstName\":\"S\",\"lastName\":\"T\",\"email\":\"s@t.es\",\"phone\":\"1\"}");
		cr_assert_eq(r->status, 201, "%s", r->body);
		second = atoll(strrchr(hresp_header(r, "Location"), '/') + 1);
		hresp_free(r);
	}
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/contacts/%lld", id, second), agent_token,
			  "{\"firstName\":\"S2\",\"lastName\":\"T\",\"email\":\"s@t.es\",\"phone\":\"1\"}"),
		     204);
	{
		static const char *const keys[] = { "accountId", "contact", "user", "occurredOn", NULL };
		static const char *const contact[] = { "contactId", "firstName", "lastName", "email", "phone",
						       "address", "zipCode", "position", "notes", "deleted", NULL };
		p = payload_is(cid, "ContactWasUpdated", T00_00, keys);
		expect_members(json_object_get(p, "contact"), "contact", contact);
		json_decref(p);
	}
	snprintf(body, sizeof(body), "{\"booking_manager\":%lld,\"tenant\":%lld,\"finance\":%lld}", second, second,
		 second);
	expect_empty(areq("PUT", path("/api/landlords/accounts/%s/contact-types", id), agent_token, body), 204);
	{
		static const char *const keys[] = { "accountId", "occurredOn", "assignation", NULL };
		static const char *const roles[] = { "booking_manager", "tenant", "finance", NULL };
		p = payload_is(cid, "ContactTypesWereReassigned", T0000, keys);
		expect_members(json_object_get(p, "assignation"), "assignation", roles);
		json_decref(p);
	}
	{
		json_t *j = get_account(agent_token, id);
		long long first = jint(json_array_get(json_object_get(j, "contacts"), 0), "id");
		json_decref(j);
		expect_empty(areq("DELETE", path("/api/landlords/accounts/%s/contacts/%lld", id, first), agent_token,
				  NULL),
			     204);
	}
	{
		static const char *const keys[] = { "accountId", "contactId", "user", "occurredOn", NULL };
		json_decref(payload_is(cid, "ContactWasDeleted", T00_00, keys));
	}
	expect_empty(areq("POST", path("/api/landlords/accounts/%s/obfuscate", id), agent_token, NULL), 204);
	{
		static const char *const keys[] = { "accountId", "user", "occurredOn", NULL };
		static const char *const contact[] = { "accountId", "contactId", "user", "occurredOn", NULL };
		p = payload_is(cid, "AccountWasObfuscated", T0000, keys);
		expect_members(json_object_get(p, "user"), "user", user_both);
		json_decref(p);
		json_decref(payload_is(cid, "ContactWasObfuscated", T00_00, contact));
	}
}
