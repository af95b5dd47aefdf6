/*
 * Following a project (issue 16; homeq.md §13 #2, decision H-18; docs/WIDGET.md): a new
 * sign-up records the SUBSCRIBED project_interaction event with exactly §13 #2's members and
 * queues the confirmation e-mail with its one-time unsubscribe link, in its transaction; a
 * refused or repeated sign-up records nothing; the link's page does not unsubscribe on GET;
 * its POST (the button, RFC 8058's one-click) and the JSON endpoint delete the sign-up and
 * record UNSUBSCRIBED; a used, unknown, malformed or missing token is a 4xx, never a 500.
 *
 *   GET|POST /widgets/project/unsubscribe?token=T    the link's page (HTML)
 *   POST     /api/v1/projects/interest/unsubscribe   {"token"} → 200, 404, 412
 */
#include "core/accounts/notify.h"
#include "core/events.h"
#include "core/listings/project_interest.h"
#include "market_common.h"
#include "smtp_sink.h"
#include "widgets_common.h"

static struct harness *h;
static struct fixture_company co;

static void with_public_url(struct config *cfg)
{
	snprintf(cfg->public_url, sizeof(cfg->public_url), "https://rentd.example");
}

static void setup_with(void (*tweak)(struct config *))
{
	h = harness_create_with(tweak);
	fixture_company(h, "Acme Bostäder", &co);
}

static void setup(void)
{
	setup_with(with_public_url);
}

static void teardown(void)
{
	harness_destroy(h);
	if (sink_fd >= 0)
		close(sink_fd);
	sink_fd = -1;
}

TestSuite(interest, .init = setup, .fini = teardown);

/* ---- helpers ---- */

static int64_t published(const char *name)
{
	return widgets_published_project(h, &co, name, 0);
}

static struct hresp *form_signup(int64_t project, const char *body, const char *lang)
{
	char p[512];
	pathf(p, "/widgets/project?project=%lld%s%s", (long long)project, lang ? "&lang=" : "", lang ? lang : "");
	return harness_request_ex(h, "POST", p, "application/x-www-form-urlencoded", body, strlen(body), NULL);
}

static void signup_ok(int64_t project, const char *email)
{
	char body[300];
	struct hresp *r;
	snprintf(body, sizeof(body), "email=%s&consent=yes", email);
	r = form_signup(project, body, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
}

static struct hresp *json_signup(int64_t project, const char *token, const char *body)
{
	char p[512];
	return harness_auth(h, "POST", pathf(p, "/api/v1/projects/%lld/interest", (long long)project), token, body);
}

static struct hresp *json_unsubscribe(const char *body)
{
	return harness_request(h, "POST", "/api/v1/projects/interest/unsubscribe", body);
}

/* The project_interaction events in outbox order: their payloads (a new array) and rows. */
static json_t *interest_events(struct event_row *rows_out, size_t max, size_t *count)
{
	struct arena *a = arena_create(1 << 16);
	struct event_row *rows;
	struct error err;
	json_t *out = json_array();
	size_t n, k = 0;

	error_init(&err, a);
	/* a consumer that never acknowledges reads from the start every time */
	cr_assert_eq(events_read(app_core(h->app), a, "test_interest", 10000, &rows, &n, &err), 0, "%s", err.message);
	for (size_t i = 0; i < n; i++) {
		json_t *payload;
		if (!str_eq_cstr(rows[i].type, "project_interaction"))
			continue;
		payload = json_loadb(rows[i].payload.ptr, rows[i].payload.len, 0, NULL);
		cr_assert_not_null(payload, "%.*s", STR_FMT(rows[i].payload));
		json_array_append_new(out, payload);
		if (rows_out && k < max) {
			rows_out[k] = rows[i];
			rows_out[k].aggregate = str_from_cstr(strndup(rows[i].aggregate.ptr, rows[i].aggregate.len));
			rows_out[k].aggregate_id = str_from_cstr(strndup(rows[i].aggregate_id.ptr, rows[i].aggregate_id.len));
			rows_out[k].uuid = STR_NULL;
			rows_out[k].payload = STR_NULL;
			rows_out[k].type = STR_NULL;
		}
		k++;
	}
	arena_destroy(a);
	if (count)
		*count = k;
	return out;
}

static size_t interest_event_count(void)
{
	size_t n;
	json_decref(interest_events(NULL, 0, &n));
	return n;
}

/* §13 #2's members, without uuid (the delivery adds the outbox row's). */
static void expect_event(json_t *ev, const char *interaction, int64_t project, const char *email)
{
	static const char *const keys[] = { "company_id", "created",   "email_id",   "first_name", "interaction_type",
					     "last_name",  "office_id", "project_id", "ssn",        "type",
					     NULL };
	const char *created = jstr(ev, "created");

	expect_keys(ev, keys);
	cr_assert_null(json_object_get(ev, "uuid"));
	cr_assert_str_eq(jstr(ev, "type"), "project_interaction");
	cr_assert_str_eq(jstr(ev, "interaction_type"), interaction);
	cr_assert_eq(jint(ev, "company_id"), co.id);
	cr_assert_eq(jint(ev, "office_id"), co.root_office);
	cr_assert_eq(jint(ev, "project_id"), project);
	cr_assert_str_eq(jstr(ev, "email_id"), email);
	/* "2026-12-07T04:42:03Z", as every webhook event (H-44) */
	cr_assert_eq(strlen(created), 20, "%s", created);
	cr_assert(created[4] == '-' && created[10] == 'T' && strcmp(created + 19, "Z") == 0, "%s", created);
}

static void expect_anonymous(json_t *ev)
{
	cr_assert(json_is_null(json_object_get(ev, "first_name")));
	cr_assert(json_is_null(json_object_get(ev, "last_name")));
	cr_assert(json_is_null(json_object_get(ev, "ssn")));
}

/* The queued confirmation to email: its link (the caller frees it). */
static char *confirmation_link(const char *email)
{
	return harness_sql_text(h, "SELECT link FROM notifications WHERE kind = 'interest_confirmation' AND recipient = '%s'"
			      " ORDER BY id DESC LIMIT 1",
			      email);
}

/* The link's path and query on this server, "/widgets/project/unsubscribe?token=…&lang=…". */
static void link_target(const char *link, char *out, size_t len)
{
	const char *p = strstr(link, "/widgets/project/unsubscribe?token=");
	cr_assert_not_null(p, "%s", link);
	snprintf(out, len, "%s", p);
}

/* The token of a link (NOTIFY_TOKEN_LEN characters). */
static void link_token(const char *link, char out[NOTIFY_TOKEN_LEN + 1])
{
	const char *p = strstr(link, "?token=");
	cr_assert_not_null(p, "%s", link);
	snprintf(out, NOTIFY_TOKEN_LEN + 1, "%s", p + 7);
	cr_assert_eq(strlen(out), NOTIFY_TOKEN_LEN);
	cr_assert(p[7 + NOTIFY_TOKEN_LEN] == '&', "%s", link);
}

static long long followers(int64_t project)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM project_interest WHERE project_id = %lld", (long long)project);
	return harness_sql_int(h, "%s", sql);
}

static bool body_has(const struct hresp *r, const char *needle)
{
	return r->body && strstr(r->body, needle) != NULL;
}

static void expect_html(const struct hresp *r, int status)
{
	cr_assert_eq(r->status, status, "expected %d, got %d: %s", status, r->status, r->body);
	cr_assert_str_eq(r->content_type, "text/html; charset=utf-8");
	cr_assert(body_has(r, "<!DOCTYPE html>"), "%s", r->body);
	cr_assert_str_eq(hresp_header(r, "Cache-Control"), "no-store");
	cr_assert_str_eq(hresp_header(r, "Referrer-Policy"), "no-referrer");
}

/* ---- the SUBSCRIBED event ---- */

Test(interest, sign_up_records_subscribed_with_exactly_the_documented_members)
{
	int64_t id = published("Eken");
	struct event_row rows[4];
	size_t n;
	json_t *evs;
	char agg[32];

	cr_assert_eq(interest_event_count(), 0);
	signup_ok(id, "+Anna.Svensson%40Example.se+");
	evs = interest_events(rows, 4, &n);
	cr_assert_eq(n, 1);
	expect_event(json_array_get(evs, 0), "SUBSCRIBED", id, "Anna.Svensson@Example.se");
	expect_anonymous(json_array_get(evs, 0));
	snprintf(agg, sizeof(agg), "%lld", (long long)id);
	cr_assert(str_eq_cstr(rows[0].aggregate, "project"));
	cr_assert(str_eq_cstr(rows[0].aggregate_id, agg));
	cr_assert_eq(rows[0].company_id, co.id);
	free((void *)rows[0].aggregate.ptr);
	free((void *)rows[0].aggregate_id.ptr);
	json_decref(evs);

	/* the JSON sign-up records the same */
	{
		struct hresp *r = json_signup(id, NULL, "{\"email\": \"bo@example.se\", \"consent\": true}");
		cr_assert_eq(r->status, 201, "%s", r->body);
		hresp_free(r);
	}
	evs = interest_events(NULL, 0, &n);
	cr_assert_eq(n, 2);
	expect_event(json_array_get(evs, 1), "SUBSCRIBED", id, "bo@example.se");
	json_decref(evs);
}

Test(interest, a_repeated_sign_up_records_nothing_new)
{
	int64_t id = published("Eken");

	signup_ok(id, "anna%40example.se");
	signup_ok(id, "ANNA%40Example.SE");
	{
		struct hresp *r = json_signup(id, NULL, "{\"email\": \"Anna@example.se\", \"consent\": true}");
		cr_assert_eq(r->status, 201, "%s", r->body);
		hresp_free(r);
	}
	cr_assert_eq(interest_event_count(), 1, "only the first sign-up is a new follow");
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM notifications WHERE kind = 'interest_confirmation'"), 1,
		     "and only it is e-mailed");
	cr_assert_eq(followers(id), 1);
}

Test(interest, refused_sign_ups_record_no_event_and_queue_no_email)
{
	int64_t id = published("Eken");
	int64_t draft = widgets_make_project(h, co.admin_token, "Draft", 0);
	struct hresp *r;
	char body[128];

	r = form_signup(id, "email=not-an-address&consent=yes", NULL);
	cr_assert_eq(r->status, 412);
	hresp_free(r);
	r = form_signup(id, "email=anna%40example.se", NULL);
	cr_assert_eq(r->status, 412);
	hresp_free(r);
	r = json_signup(id, NULL, "{\"email\": \"anna@example.se\", \"consent\": false}");
	cr_assert_eq(r->status, 412);
	hresp_free(r);
	r = json_signup(draft, NULL, "{\"email\": \"anna@example.se\", \"consent\": true}");
	cr_assert_eq(r->status, 404);
	hresp_free(r);
	cr_assert_eq(interest_event_count(), 0);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM notifications WHERE kind = 'interest_confirmation'"), 0);

	/* 4 attempts so far; the limit's rest succeeds, the next is refused and records nothing */
	for (int i = 4; i < RATELIMIT_INTEREST_LIMIT; i++) {
		snprintf(body, sizeof(body), "email=p%d%%40example.se&consent=yes", i);
		r = form_signup(id, body, NULL);
		cr_assert_eq(r->status, 200, "%s", r->body);
		hresp_free(r);
	}
	r = form_signup(id, "email=late%40example.se&consent=yes", NULL);
	cr_assert_eq(r->status, 429);
	hresp_free(r);
	cr_assert_eq(interest_event_count(), RATELIMIT_INTEREST_LIMIT - 4);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM notifications WHERE kind = 'interest_confirmation'"),
		     RATELIMIT_INTEREST_LIMIT - 4);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM notifications WHERE recipient = 'late@example.se'"), 0);
}

/* ---- the e-mail ---- */

Test(interest, confirmation_is_queued_with_a_link_whose_token_is_stored_hashed)
{
	int64_t id = published("Kvarteret Eken");
	char token[NOTIFY_TOKEN_LEN + 1];
	char *link, *body, *subject, *hash;
	struct arena *a = arena_create(4096);
	struct str want;

	signup_ok(id, "anna%40example.se");
	link = confirmation_link("anna@example.se");
	cr_assert(strncmp(link, "https://rentd.example/widgets/project/unsubscribe?token=", 56) == 0, "%s", link);
	cr_assert(strstr(link, "&lang=en"), "%s", link);
	link_token(link, token);
	body = harness_sql_text(h, "SELECT body FROM notifications WHERE kind = 'interest_confirmation'");
	subject = harness_sql_text(h, "SELECT subject FROM notifications WHERE kind = 'interest_confirmation'");
	cr_assert(strstr(body, link), "the body carries the link: %s", body);
	cr_assert(strstr(body, "Kvarteret Eken") && strstr(body, "Acme Bostäder"), "%s", body);
	cr_assert_str_eq(subject, "You are following Kvarteret Eken");
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM jobs WHERE kind = 'notification' AND state = 'queued'"), 1);

	/* the sign-up keeps the token's SHA-256 only */
	hash = harness_sql_text(h, "SELECT token_hash FROM project_interest");
	want = notify_token_hash(a, str_from_cstr(token));
	cr_assert_eq(strlen(hash), 64);
	cr_assert(str_eq_cstr(want, hash), "%s", hash);
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_interest WHERE token_hash IS NULL"), 0);
	free(link);
	free(body);
	free(subject);
	free(hash);
	arena_destroy(a);

	/* a Swedish page's sign-up is mailed in Swedish, its link opens the Swedish page */
	{
		struct hresp *r = form_signup(id, "email=bo%40example.se&consent=yes", "sv");
		cr_assert_eq(r->status, 200, "%s", r->body);
		hresp_free(r);
	}
	subject = harness_sql_text(h, "SELECT subject FROM notifications WHERE recipient = 'bo@example.se'");
	cr_assert_str_eq(subject, "Du följer Kvarteret Eken");
	link = confirmation_link("bo@example.se");
	cr_assert(strstr(link, "&lang=sv"), "%s", link);
	free(subject);
	free(link);
}

Test(interest, tokens_are_one_per_sign_up)
{
	int64_t id = published("Eken");
	char t1[NOTIFY_TOKEN_LEN + 1], t2[NOTIFY_TOKEN_LEN + 1];
	char *l1, *l2;

	signup_ok(id, "a%40example.se");
	signup_ok(id, "b%40example.se");
	l1 = confirmation_link("a@example.se");
	l2 = confirmation_link("b@example.se");
	link_token(l1, t1);
	link_token(l2, t2);
	cr_assert_str_neq(t1, t2);
	free(l1);
	free(l2);
}

/* ---- the link's page ---- */

Test(interest, get_shows_a_confirmation_and_unsubscribes_nothing)
{
	int64_t id = published("Eken");
	char target[256], *link;
	struct hresp *r;

	signup_ok(id, "anna%40example.se");
	link = confirmation_link("anna@example.se");
	link_target(link, target, sizeof(target));
	for (int i = 0; i < 2; i++) { /* a mail scanner, then the person */
		r = harness_request(h, "GET", target, NULL);
		expect_html(r, 200);
		cr_assert(body_has(r, "Eken"));
		cr_assert(body_has(r, "anna@example.se"), "%s", r->body);
		cr_assert(body_has(r, "<form class=\"rentd-interest__form\" method=\"post\""), "%s", r->body);
		cr_assert(body_has(r, "Stop following"));
		cr_assert(body_has(r, "href=\"/widgets/project.css\""));
		hresp_free(r);
	}
	r = harness_request(h, "HEAD", target, NULL);
	cr_assert_eq(r->status, 200);
	hresp_free(r);
	cr_assert_eq(followers(id), 1, "GET and HEAD do not unsubscribe");
	cr_assert_eq(interest_event_count(), 1);
	free(link);
}

Test(interest, post_unsubscribes_records_unsubscribed_and_the_link_is_then_spent)
{
	int64_t id = published("Eken");
	char target[256], *link;
	struct hresp *r;
	json_t *evs;
	size_t n;

	signup_ok(id, "Anna%40Example.se");
	link = confirmation_link("Anna@Example.se");
	link_target(link, target, sizeof(target));
	r = harness_request_ex(h, "POST", target, "application/x-www-form-urlencoded", "", 0, NULL);
	expect_html(r, 200);
	cr_assert(body_has(r, "Anna@Example.se no longer follows Eken"), "%s", r->body);
	hresp_free(r);
	cr_assert_eq(followers(id), 0, "the address is gone");
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM project_interest WHERE email_key = 'anna@example.se'"), 0);
	evs = interest_events(NULL, 0, &n);
	cr_assert_eq(n, 2);
	expect_event(json_array_get(evs, 1), "UNSUBSCRIBED", id, "Anna@Example.se");
	expect_anonymous(json_array_get(evs, 1));
	json_decref(evs);

	/* spent: both methods answer the used-link page, nothing more is recorded */
	r = harness_request_ex(h, "POST", target, "application/x-www-form-urlencoded", "", 0, NULL);
	expect_html(r, 404);
	cr_assert(body_has(r, "Link already used"), "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "GET", target, NULL);
	expect_html(r, 404);
	hresp_free(r);
	cr_assert_eq(interest_event_count(), 2);

	/* following again is a new follow: a new event, a new link */
	signup_ok(id, "anna%40example.se");
	cr_assert_eq(interest_event_count(), 3);
	{
		char *again = confirmation_link("anna@example.se");
		cr_assert_str_neq(again, link);
		free(again);
	}
	free(link);
}

Test(interest, swedish_pages)
{
	int64_t id = published("Eken");
	char target[256], *link;
	struct hresp *r;

	r = form_signup(id, "email=anna%40example.se&consent=yes", "sv");
	hresp_free(r);
	link = confirmation_link("anna@example.se");
	link_target(link, target, sizeof(target));
	r = harness_request(h, "GET", target, NULL);
	expect_html(r, 200);
	cr_assert(body_has(r, "<html lang=\"sv\">"));
	cr_assert(body_has(r, "Sluta följa"));
	hresp_free(r);
	r = harness_request_ex(h, "POST", target, "application/x-www-form-urlencoded", "", 0, NULL);
	expect_html(r, 200);
	cr_assert(body_has(r, "följer inte längre Eken"), "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "GET", "/widgets/project/unsubscribe?lang=sv", NULL);
	expect_html(r, 400);
	cr_assert(body_has(r, "Ofullständig länk"));
	hresp_free(r);
	free(link);
}

Test(interest, a_missing_malformed_or_unknown_token_is_a_page_never_a_500)
{
	static const char *const bad[] = { "", "?token=", "?token=abc", "?token=%zz",
					   "?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D",
					   "?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
	const char *unknown = "/widgets/project/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	char p[256];
	struct hresp *r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pathf(p, "/widgets/project/unsubscribe%s", bad[i]);
		r = harness_request(h, "GET", p, NULL);
		cr_assert(r->status == 400, "%s: %d %s", p, r->status, r->body);
		hresp_free(r);
		r = harness_request_ex(h, "POST", p, "application/x-www-form-urlencoded", "", 0, NULL);
		cr_assert(r->status == 400, "%s: %d %s", p, r->status, r->body);
		hresp_free(r);
	}
	r = harness_request(h, "GET", "/widgets/project/unsubscribe", NULL);
	expect_html(r, 400);
	cr_assert(body_has(r, "Incomplete link"), "%s", r->body);
	hresp_free(r);
	r = harness_request(h, "GET", unknown, NULL);
	expect_html(r, 404);
	cr_assert(body_has(r, "Link already used"));
	hresp_free(r);
	r = harness_request_ex(h, "POST", unknown, "application/json", "{}", 2, NULL);
	expect_html(r, 404);
	hresp_free(r);
	cr_assert_eq(interest_event_count(), 0);
}

Test(interest, a_token_in_the_form_body_works_when_the_query_has_none)
{
	int64_t id = published("Eken");
	char token[NOTIFY_TOKEN_LEN + 1], body[128], *link;
	struct hresp *r;

	signup_ok(id, "anna%40example.se");
	link = confirmation_link("anna@example.se");
	link_token(link, token);
	snprintf(body, sizeof(body), "token=%s", token);
	r = harness_request_ex(h, "POST", "/widgets/project/unsubscribe", "application/x-www-form-urlencoded", body,
			       strlen(body), NULL);
	expect_html(r, 200);
	hresp_free(r);
	cr_assert_eq(followers(id), 0);
	free(link);
}

Test(interest, a_token_ends_only_its_own_projects_follow)
{
	int64_t a = published("Eken");
	int64_t b = published("Björken");
	char ta[NOTIFY_TOKEN_LEN + 1], tb[NOTIFY_TOKEN_LEN + 1], body[128];
	char *la, *lb;
	struct hresp *r;
	json_t *evs;
	size_t n;

	signup_ok(a, "anna%40example.se");
	la = confirmation_link("anna@example.se");
	signup_ok(b, "anna%40example.se");
	lb = confirmation_link("anna@example.se");
	link_token(la, ta);
	link_token(lb, tb);
	cr_assert_str_neq(ta, tb);
	snprintf(body, sizeof(body), "{\"token\": \"%s\"}", ta);
	r = json_unsubscribe(body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(hresp_int(r, "project"), a);
	hresp_free(r);
	cr_assert_eq(followers(a), 0);
	cr_assert_eq(followers(b), 1, "the other project's follow stays");
	evs = interest_events(NULL, 0, &n);
	cr_assert_eq(n, 3);
	expect_event(json_array_get(evs, 2), "UNSUBSCRIBED", a, "anna@example.se");
	json_decref(evs);
	free(la);
	free(lb);
}

Test(interest, the_followers_of_a_closed_project_can_still_leave)
{
	int64_t id = published("Eken");
	char target[256], *link;
	struct hresp *r;

	signup_ok(id, "anna%40example.se");
	widgets_patch_project(h, co.admin_token, id, "{\"closed\": true}");
	link = confirmation_link("anna@example.se");
	link_target(link, target, sizeof(target));
	r = harness_request_ex(h, "POST", target, "application/x-www-form-urlencoded", "", 0, NULL);
	expect_html(r, 200);
	hresp_free(r);
	cr_assert_eq(followers(id), 0);
	cr_assert_eq(interest_event_count(), 2);
	free(link);
}

/* ---- the JSON unsubscribe ---- */

Test(interest, json_unsubscribe_is_200_then_404)
{
	int64_t id = published("Eken");
	char token[NOTIFY_TOKEN_LEN + 1], body[128], *link;
	static const char *const keys[] = { "email", "interaction_type", "project", NULL };
	struct hresp *r;

	signup_ok(id, "anna%40example.se");
	link = confirmation_link("anna@example.se");
	link_token(link, token);
	snprintf(body, sizeof(body), "{\"token\": \"%s\"}", token);
	r = json_unsubscribe(body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	expect_keys(r->json, keys);
	cr_assert_str_eq(hresp_str(r, "email"), "anna@example.se");
	cr_assert_str_eq(hresp_str(r, "interaction_type"), "UNSUBSCRIBED");
	cr_assert_eq(hresp_int(r, "project"), id);
	cr_assert_str_eq(hresp_header(r, "Access-Control-Allow-Origin"), "*");
	hresp_free(r);
	cr_assert_eq(followers(id), 0);
	r = json_unsubscribe(body);
	expect_error(r, 404, "NotFound");
	cr_assert(desc_contains(r, "used already"), "%s", r->body);
	hresp_free(r);
	cr_assert_eq(interest_event_count(), 2);
	free(link);
}

Test(interest, json_unsubscribe_bad_input_is_412_naming_the_token)
{
	struct hresp *r;

	r = json_unsubscribe("{}");
	expect_invalid(r, "token");
	hresp_free(r);
	r = json_unsubscribe("{\"token\": 12}");
	expect_invalid(r, "token");
	hresp_free(r);
	r = json_unsubscribe("{\"token\": \"\"}");
	expect_invalid(r, "token");
	hresp_free(r);
	r = json_unsubscribe("{\"token\": \"not a token\"}");
	expect_invalid(r, "token");
	cr_assert(desc_contains(r, "43"), "%s", r->body);
	hresp_free(r);
	r = json_unsubscribe("[\"x\"]");
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = json_unsubscribe(NULL);
	expect_error(r, 412, "ValidationError");
	hresp_free(r);
	r = harness_request_ex(h, "POST", "/api/v1/projects/interest/unsubscribe", "text/plain", "token=x", 7, NULL);
	expect_error(r, 415, "UnsupportedMediaType");
	hresp_free(r);
	r = json_unsubscribe("{\"token\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}");
	expect_error(r, 404, "NotFound");
	hresp_free(r);
	/* its preflight is open: a landlord's own page calls it */
	{
		const char *const headers[] = { "Origin: https://landlord.example", "Access-Control-Request-Method: POST",
						"Access-Control-Request-Headers: content-type", NULL };
		r = harness_request_ex(h, "OPTIONS", "/api/v1/projects/interest/unsubscribe", NULL, NULL, 0, headers);
		cr_assert_eq(r->status, 204, "%s", r->body);
		hresp_free(r);
	}
}

/* ---- a signed-in consumer ---- */

Test(interest, a_signed_in_consumer_with_their_own_address_is_named)
{
	int64_t id = published("Eken");
	char tok[1024], token[NOTIFY_TOKEN_LEN + 1], body[128], *link;
	int64_t user = fixture_consumer(h, "kim@example.se", tok);
	struct hresp *r;
	json_t *evs, *ev;
	size_t n;

	harness_sql(h, "UPDATE users SET first_name = 'Kim', last_name = 'Berg', personal_number = '19900101-1239'"
			  " WHERE id = %lld",
		       (long long)user);
	r = json_signup(id, tok, "{\"email\": \"Kim@Example.se\", \"consent\": true}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	/* another address of the same consumer is not tied to them */
	r = json_signup(id, tok, "{\"email\": \"other@example.se\", \"consent\": true}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	/* a bad token is refused, as on every endpoint (H-36) */
	r = json_signup(id, "not.a.token", "{\"email\": \"x@example.se\", \"consent\": true}");
	expect_error(r, 401, "Unauthorized");
	hresp_free(r);

	evs = interest_events(NULL, 0, &n);
	cr_assert_eq(n, 2);
	ev = json_array_get(evs, 0);
	expect_event(ev, "SUBSCRIBED", id, "Kim@Example.se");
	cr_assert_str_eq(jstr(ev, "first_name"), "Kim");
	cr_assert_str_eq(jstr(ev, "last_name"), "Berg");
	cr_assert_str_eq(jstr(ev, "ssn"), "19900101-1239");
	expect_anonymous(json_array_get(evs, 1));
	json_decref(evs);

	/* leaving names them too */
	link = confirmation_link("Kim@Example.se");
	link_token(link, token);
	snprintf(body, sizeof(body), "{\"token\": \"%s\"}", token);
	r = json_unsubscribe(body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	evs = interest_events(NULL, 0, &n);
	cr_assert_eq(n, 3);
	ev = json_array_get(evs, 2);
	expect_event(ev, "UNSUBSCRIBED", id, "Kim@Example.se");
	cr_assert_str_eq(jstr(ev, "first_name"), "Kim");
	cr_assert_str_eq(jstr(ev, "ssn"), "19900101-1239");
	json_decref(evs);
	free(link);
}

Test(interest, a_market_applicant_token_names_the_applicant)
{
	int64_t id = published("Eken");
	char tok[1024], p[128];
	struct hresp *r;
	json_t *evs, *ev;
	size_t n;

	market_register(h, "{\"email\": \"ada@example.se\", \"password\": \"hemligt123\", \"firstName\": \"Ada\","
			   " \"lastName\": \"Lind\", \"personalNumber\": \"19900101-0017\", \"birthDate\": \"1990-01-01\"}");
	market_sign_in(h, "ada@example.se", "hemligt123", tok);
	r = market_bearer(h, "POST", pathf(p, "/api/v1/projects/%lld/interest", (long long)id), tok,
			  "{\"email\": \"ada@example.se\", \"consent\": true}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	hresp_free(r);
	evs = interest_events(NULL, 0, &n);
	cr_assert_eq(n, 1);
	ev = json_array_get(evs, 0);
	expect_event(ev, "SUBSCRIBED", id, "ada@example.se");
	cr_assert_str_eq(jstr(ev, "first_name"), "Ada");
	cr_assert_str_eq(jstr(ev, "last_name"), "Lind");
	cr_assert_str_eq(jstr(ev, "ssn"), "199001010017", "as the market stores it, as the letting events write it");
	json_decref(evs);
}

/* ---- the e-mail over SMTP ---- */

static void with_smtp(struct config *cfg)
{
	snprintf(cfg->smtp_url, sizeof(cfg->smtp_url), "smtp://127.0.0.1:%d", sink_port);
	snprintf(cfg->smtp_from, sizeof(cfg->smtp_from), "projects@rentd.example");
	snprintf(cfg->public_url, sizeof(cfg->public_url), "https://rentd.example");
}

static void with_http_smtp(struct config *cfg)
{
	with_smtp(cfg);
	snprintf(cfg->public_url, sizeof(cfg->public_url), "http://rentd.example");
}

TestSuite(interest_smtp, .fini = teardown);

Test(interest_smtp, the_sent_email_has_list_unsubscribe_and_one_click_works)
{
	int64_t id;
	char target[256], header[300], *link;
	const char *list;
	struct hresp *r;

	sink_start();
	setup_with(with_smtp);
	id = published("Eken");
	signup_ok(id, "anna%40example.se");
	link = confirmation_link("anna@example.se");
	cr_assert_eq(market_run_jobs(h), 1);
	cr_assert_eq(sink_messages, 1);
	cr_assert(strstr(sink_envelope, "RCPT TO:<anna@example.se>"), "%s", sink_envelope);
	snprintf(header, sizeof(header), "List-Unsubscribe: <%s>\r\n", link);
	list = strstr(sink_mail, header);
	cr_assert_not_null(list, "%s", sink_mail);
	cr_assert(strstr(sink_mail, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), "%s", sink_mail);
	cr_assert(strstr(strstr(sink_mail, "\r\n\r\n"), link), "the body has the link too");
	/* delivered: the stored copy of the link is gone */
	cr_assert_eq(harness_sql_int(h, "SELECT COUNT(*) FROM notifications WHERE link IS NOT NULL"), 0);

	/* RFC 8058: the receiver POSTs "List-Unsubscribe=One-Click" to the link */
	link_target(link, target, sizeof(target));
	r = harness_request_ex(h, "POST", target, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click",
			       26, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(followers(id), 0);
	cr_assert_eq(interest_event_count(), 2);
	free(link);
}

Test(interest_smtp, one_click_is_offered_over_https_only)
{
	int64_t id;

	sink_start();
	setup_with(with_http_smtp);
	id = published("Eken");
	signup_ok(id, "anna%40example.se");
	cr_assert_eq(market_run_jobs(h), 1);
	cr_assert_eq(sink_messages, 1);
	cr_assert(strstr(sink_mail, "List-Unsubscribe: <http://rentd.example/widgets/project/unsubscribe?token="),
		  "%s", sink_mail);
	cr_assert_null(strstr(sink_mail, "List-Unsubscribe-Post"), "%s", sink_mail);
}
