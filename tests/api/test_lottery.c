/*
 * The verifiable lottery of random listings (issue 15; core/market/lottery.h, docs/LOTTERY.md,
 * docs/API.md "The lottery of a random listing"): the commitment made when a random listing is published (created
 * active or scheduled, a draft published, a published listing made random) and shown on the
 * landlord's listing detail and the market object's detail — and on no other listing's; the
 * seed secret until the draw; the draw (lottery_draw(), as the letting process will call it)
 * revealing the seed and fixing the open applications, idempotent; and the order recomputed
 * here by an independent implementation (OpenSSL's SHA-256 and a sort of this file, not the
 * server's function) from what the API publishes, with the commitment published before the
 * draw matching the revealed seed.
 *
 * Applications are rows as the apply command writes them, inserted directly (as in
 * test_landlord_applications.c) so that open and closed ones can be made at will.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <time.h>

#include "core/market/lottery.h"
#include "market_common.h"

static struct harness *h;
static struct fixture_company co;
static int64_t req, estate;
static int nid;

static void setup(void)
{
	h = harness_create();
	fixture_company(h, "Acme", &co);
	req = harness_sql_int(h, "INSERT INTO requirement_profiles(company_id, name) VALUES (%lld, 'Standard') RETURNING id",
			     (long long)co.id);
	estate = market_post_id(h, co.admin_token, "/api/v4/estate", 200,
				"{\"legal_name\": \"Solrosen 1\", \"city\": \"Stockholm\"}");
}

static void teardown(void)
{
	harness_destroy(h);
}

TestSuite(lottery, .init = setup, .fini = teardown);

/* ---- fixtures ---- */

/* A listing of a new apartment; extra: more members of the create body ("" for none). */
static int64_t listing(const char *extra)
{
	char body[512], number[16];
	int64_t apartment;

	snprintf(number, sizeof(number), "%d", 1101 + nid++);
	apartment = market_apartment(h, co.admin_token, estate, number, 2, 50, 7000, 59.336, 18.064, "11143");
	snprintf(body, sizeof(body), "{\"apartment\": %lld, \"requirement\": %lld%s%s}", (long long)apartment,
		 (long long)req, *extra ? ", " : "", extra);
	return market_post_id(h, co.admin_token, "/api/v1/object_ad/", 201, body);
}

/* An open (registered) application, or a closed (removed) one, of a new consumer. */
static int64_t application(int64_t ad, bool open)
{
	char user[64];
	long long now = (long long)time(NULL) * 1000000, id;
	snprintf(user, sizeof(user), "applicant%d@example.se", nid++);
	id = harness_sql_int(h, "INSERT INTO applications(listing_id, company_id, user_id, queue_type, queue_points,"
			    " applied_at, state, closed_at, screening_approved, updated_at)"
			    " SELECT id, company_id, %lld, 'residential', 0, %lld, '%s', %s, 1, %lld FROM object_ads"
			    " WHERE id = %lld RETURNING id",
			    (long long)fixture_consumer(h, user, NULL), now, open ? "registered" : "removed",
			    open ? "NULL" : "1", now, (long long)ad);
	harness_sql(h, "INSERT INTO application_steps(application_id, state, created_at) VALUES (%lld, 'registered', %lld)",
		       id, now);
	harness_sql(h, "UPDATE applications SET step_id = (SELECT MAX(id) FROM application_steps) WHERE id = %lld", id);
	return id;
}

/* The landlord's object_ad.lottery (NULL: absent); *r to free. */
static json_t *landlord_lottery(int64_t ad, struct hresp **r)
{
	char p[128];
	*r = harness_auth(h, "GET", pathf(p, "/api/v1/object_ad/%lld/", (long long)ad), co.admin_token, NULL);
	cr_assert_eq((*r)->status, 200, "%s", (*r)->body);
	return json_object_get(json_object_get((*r)->json, "object_ad"), "lottery");
}

/* The market detail's lottery (NULL: absent); *r to free. */
static json_t *market_lottery(int64_t ad, struct hresp **r)
{
	char p[128];
	*r = harness_request(h, "GET", pathf(p, "/v2/market/objects/%lld", (long long)ad), NULL);
	cr_assert_eq((*r)->status, 200, "%s", (*r)->body);
	return json_object_get((*r)->json, "lottery");
}

static bool is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The stored commitment's published form before the draw, on both details; returns it (free it). */
static char *expect_committed(int64_t ad)
{
	struct hresp *r1, *r2;
	json_t *l = landlord_lottery(ad, &r1), *m = market_lottery(ad, &r2);
	char *seed = harness_sql_text(h, "SELECT seed_hex FROM lottery_draws WHERE listing_id = %lld", (long long)ad);
	char *commitment;

	cr_assert(json_is_object(l), "no lottery on the landlord detail: %s", r1->body);
	cr_assert(json_is_object(m), "no lottery on the market detail: %s", r2->body);
	cr_assert_str_eq(jstr(l, "algorithm"), "sha256-tickets-v1");
	cr_assert(is_hex64(jstr(l, "commitment")), "%s", r1->body);
	cr_assert(json_is_string(json_object_get(l, "committed_at")), "%s", r1->body);
	cr_assert(json_is_null(json_object_get(l, "seed")), "%s", r1->body);
	cr_assert(json_is_null(json_object_get(l, "drawn_at")), "%s", r1->body);
	cr_assert(json_is_null(json_object_get(l, "application_ids")), "%s", r1->body);
	cr_assert_str_eq(jstr(m, "commitment"), jstr(l, "commitment"));
	cr_assert_str_eq(jstr(m, "algorithm"), "sha256-tickets-v1");
	cr_assert(json_is_string(json_object_get(m, "committedAt")), "%s", r2->body);
	cr_assert(json_is_false(json_object_get(m, "drawn")), "%s", r2->body);
	cr_assert_null(json_object_get(m, "seed"), "%s", r2->body);
	cr_assert_null(json_object_get(m, "applicationIds"), "%s", r2->body);
	/* the secret is nowhere in either answer */
	cr_assert(is_hex64(seed));
	cr_assert_null(strstr(r1->body, seed), "the seed leaked: %s", r1->body);
	cr_assert_null(strstr(r2->body, seed), "the seed leaked: %s", r2->body);
	commitment = strdup(jstr(l, "commitment"));
	free(seed);
	hresp_free(r1);
	hresp_free(r2);
	return commitment;
}

static void expect_no_lottery(int64_t ad, bool public_)
{
	struct hresp *r1, *r2 = NULL;
	cr_assert_null(landlord_lottery(ad, &r1), "%s", r1->body);
	if (public_)
		cr_assert_null(market_lottery(ad, &r2), "%s", r2->body);
	hresp_free(r1);
	if (r2)
		hresp_free(r2);
}

/* ---- the independent implementation: OpenSSL, and a sort of our own ---- */

static void sha256(const unsigned char *data, size_t len, unsigned char out[32])
{
	unsigned int n = 0;
	cr_assert_eq(EVP_Digest(data, len, out, &n, EVP_sha256(), NULL), 1);
	cr_assert_eq(n, 32);
}

static void unhex(const char *hex, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
}

static void tohex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

struct ticket {
	long long id;
	unsigned char t[32];
};

static int cmp_ticket(const void *pa, const void *pb)
{
	const struct ticket *a = pa, *b = pb;
	int c = memcmp(a->t, b->t, 32);
	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* docs/LOTTERY.md: ticket = SHA-256(seed || decimal id), ascending by bytes, then by id. */
static void recompute(const char *seed_hex, const long long *ids, size_t n, long long *order)
{
	struct ticket t[64];
	unsigned char buf[32 + 24];

	cr_assert_leq(n, 64);
	unhex(seed_hex, buf, 32);
	for (size_t i = 0; i < n; i++) {
		int len = snprintf((char *)buf + 32, 24, "%lld", ids[i]);
		t[i].id = ids[i];
		sha256(buf, 32 + (size_t)len, t[i].t);
	}
	qsort(t, n, sizeof(t[0]), cmp_ticket);
	for (size_t i = 0; i < n; i++)
		order[i] = t[i].id;
}

/* ---- the commitment ---- */

Test(lottery, a_random_listing_is_committed_when_published)
{
	int64_t ad = listing("\"candidate_sorting_mode\": \"random\"");
	char *c = expect_committed(ad);
	free(c);
}

Test(lottery, other_listings_have_no_lottery)
{
	expect_no_lottery(listing(""), true); /* the office's default: queue_points */
	expect_no_lottery(listing("\"candidate_sorting_mode\": \"first_come_first\""), true);
	/* a random draft is not published: nothing is committed yet */
	expect_no_lottery(listing("\"candidate_sorting_mode\": \"random\", \"is_draft\": true"), false);
}

Test(lottery, a_scheduled_listing_is_committed_before_it_is_public)
{
	int64_t ad = listing("\"candidate_sorting_mode\": \"random\", \"date_publish\": \"2099-01-01\"");
	struct hresp *r;
	json_t *l = landlord_lottery(ad, &r);
	cr_assert(json_is_object(l), "%s", r->body);
	cr_assert(is_hex64(jstr(l, "commitment")), "%s", r->body);
	hresp_free(r);
}

Test(lottery, publishing_a_draft_or_becoming_random_commits)
{
	int64_t draft = listing("\"candidate_sorting_mode\": \"random\", \"is_draft\": true"), ad = listing("");
	char p[128], *c1, *c2;
	struct hresp *r;

	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/object_ad/%lld/", (long long)draft), co.admin_token,
			 "{\"status\": \"active\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	c1 = expect_committed(draft);

	r = harness_auth(h, "PATCH", pathf(p, "/api/v1/object_ad/%lld/", (long long)ad), co.admin_token,
			 "{\"candidate_sorting_mode\": \"random\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	/* the PATCH answers the detail after the change: the commitment is in it already */
	cr_assert(json_is_object(json_object_get(json_object_get(r->json, "object_ad"), "lottery")), "%s", r->body);
	hresp_free(r);
	c2 = expect_committed(ad);
	cr_assert_str_neq(c1, c2, "two listings, two seeds");
	free(c1);
	free(c2);
}

Test(lottery, a_commitment_is_never_replaced)
{
	int64_t ad = listing("\"candidate_sorting_mode\": \"random\"");
	char p[128], *before = expect_committed(ad), *after;
	struct hresp *r;

	/* edits, a pause and a resume, a mode change away and back */
	const char *patches[] = { "{\"description\": \"Ny text\"}", "{\"status\": \"paused\"}", "{\"status\": \"active\"}",
				  "{\"candidate_sorting_mode\": \"queue_points\"}",
				  "{\"candidate_sorting_mode\": \"random\"}" };
	for (size_t i = 0; i < sizeof(patches) / sizeof(patches[0]); i++) {
		r = harness_auth(h, "PATCH", pathf(p, "/api/v1/object_ad/%lld/", (long long)ad), co.admin_token,
				 patches[i]);
		cr_assert_eq(r->status, 200, "%s: %s", patches[i], r->body);
		if (i == 3) /* queue_points now: no lottery shown */
			cr_assert_null(json_object_get(json_object_get(r->json, "object_ad"), "lottery"), "%s", r->body);
		hresp_free(r);
	}
	after = expect_committed(ad);
	cr_assert_str_eq(before, after);
	free(before);
	free(after);
}

/* ---- the draw ---- */

static void draw(int64_t ad, struct arena *a, struct lottery_result *out)
{
	struct error err;
	error_init(&err, a);
	cr_assert_eq(lottery_draw(server_core(h->server), a, ad, out, &err), 0, "%s",
		     err.message ? err.message : "draw failed");
}

Test(lottery, the_draw_reveals_the_seed_and_anyone_can_recompute_the_order)
{
	int64_t ad = listing("\"candidate_sorting_mode\": \"random\"");
	char *published = expect_committed(ad), p[128], hex[65];
	long long ids[8], expected[8];
	unsigned char seed[32], digest[32];
	struct arena *a = arena_create(4096);
	struct lottery_result res;
	struct hresp *r1, *r2, *r0;
	json_t *l, *m, *v;
	size_t i, n = 0;

	for (int k = 0; k < 6; k++)
		application(ad, true);
	application(ad, false); /* closed before the draw: not in it */
	/* the market detail is kept rendered: read it once so the draw must move it on */
	cr_assert_not_null(market_lottery(ad, &r0));
	hresp_free(r0);

	draw(ad, a, &res);
	cr_assert_eq(res.n, 6);
	cr_assert(res.lottery.drawn);

	l = landlord_lottery(ad, &r1);
	m = market_lottery(ad, &r2);
	cr_assert(json_is_object(l), "%s", r1->body);
	cr_assert(is_hex64(jstr(l, "seed")), "%s", r1->body);
	cr_assert(json_is_string(json_object_get(l, "drawn_at")), "%s", r1->body);
	cr_assert_str_eq(jstr(l, "commitment"), published);
	cr_assert(json_is_true(json_object_get(m, "drawn")), "%s", r2->body);
	cr_assert_str_eq(jstr(m, "seed"), jstr(l, "seed"), "%s", r2->body);
	cr_assert(json_is_string(json_object_get(m, "drawnAt")), "%s", r2->body);

	/* the commitment published before the draw is SHA-256 of the revealed seed */
	unhex(jstr(l, "seed"), seed, 32);
	sha256(seed, 32, digest);
	tohex(digest, 32, hex);
	cr_assert_str_eq(hex, published);

	/* the ids drawn are published (ascending), the same on both details */
	json_array_foreach (json_object_get(l, "application_ids"), i, v) {
		cr_assert_lt(n, 8);
		ids[n++] = (long long)json_integer_value(v);
		cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "applicationIds"), i)),
				 pathf(p, "%lld", ids[n - 1]));
	}
	cr_assert_eq(n, 6, "%s", r1->body);
	for (i = 1; i < n; i++)
		cr_assert_lt(ids[i - 1], ids[i]);

	/* the order, recomputed from what is published alone, is the draw's */
	recompute(jstr(l, "seed"), ids, n, expected);
	for (i = 0; i < n; i++)
		cr_assert_eq(res.order[i].application_id, expected[i], "place %zu", i + 1);

	/* a changed seed would give another order */
	seed[0] ^= 0x80;
	tohex(seed, 32, hex);
	recompute(hex, ids, n, ids);
	cr_assert_neq(memcmp(ids, expected, n * sizeof(ids[0])), 0);

	free(published);
	hresp_free(r1);
	hresp_free(r2);
	arena_destroy(a);
}

Test(lottery, drawing_again_gives_the_same_order)
{
	int64_t ad = listing("\"candidate_sorting_mode\": \"random\""), first[8];
	struct arena *a = arena_create(4096);
	struct lottery_result one, two;
	char *drawn_at, *again;
	size_t n;

	for (int k = 0; k < 5; k++)
		application(ad, true);
	draw(ad, a, &one);
	n = one.n;
	cr_assert_eq(n, 5);
	for (size_t i = 0; i < n; i++)
		first[i] = one.order[i].application_id;
	drawn_at = harness_sql_text(h, "SELECT drawn_at FROM lottery_draws WHERE listing_id = %lld", (long long)ad);

	/* what happens to the applications after the draw does not change it */
	application(ad, true);
	harness_sql(h, "UPDATE applications SET closed_at = 1, state = 'removed' WHERE id = %lld",
		       (long long)first[0]);
	draw(ad, a, &two);
	cr_assert_eq(two.n, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(two.order[i].application_id, first[i], "place %zu", i + 1);
	again = harness_sql_text(h, "SELECT drawn_at FROM lottery_draws WHERE listing_id = %lld", (long long)ad);
	cr_assert_str_eq(again, drawn_at, "the draw's time stays the first draw's");
	free(again);
	free(drawn_at);
	arena_destroy(a);
}

Test(lottery, a_draw_with_no_applications_is_empty_and_revealed)
{
	int64_t ad = listing("\"candidate_sorting_mode\": \"random\"");
	struct arena *a = arena_create(4096);
	struct lottery_result res;
	struct hresp *r;
	json_t *l;

	draw(ad, a, &res);
	cr_assert_eq(res.n, 0);
	l = landlord_lottery(ad, &r);
	cr_assert(is_hex64(jstr(l, "seed")), "%s", r->body);
	cr_assert_eq(json_array_size(json_object_get(l, "application_ids")), 0, "%s", r->body);
	hresp_free(r);
	arena_destroy(a);
}

Test(lottery, no_commitment_no_draw)
{
	int64_t ad = listing("");
	struct arena *a = arena_create(4096);
	struct lottery_result res;
	struct error err;

	error_init(&err, a);
	cr_assert_eq(lottery_draw(server_core(h->server), a, ad, &res, &err), -1);
	cr_assert_eq(err.kind, ERROR_PRECONDITION);
	cr_assert_str_eq(err.code, "LotteryNotCommitted");
	error_init(&err, a);
	cr_assert_eq(lottery_draw(server_core(h->server), a, 999999, &res, &err), -1);
	cr_assert_eq(err.kind, ERROR_PRECONDITION);
	arena_destroy(a);
}

Test(lottery, verify_before_and_after_the_draw)
{
	int64_t ad = listing("\"candidate_sorting_mode\": \"random\"");
	struct arena *a = arena_create(4096);
	struct lottery_verification v;
	struct lottery_result res;
	struct error err;

	application(ad, true);
	application(ad, true);
	error_init(&err, a);
	cr_assert_eq(lottery_verify(server_core(h->server), a, ad, &v, &err), 0);
	cr_assert(!v.revealed);
	draw(ad, a, &res);
	cr_assert_eq(lottery_verify(server_core(h->server), a, ad, &v, &err), 0);
	cr_assert(v.revealed);
	cr_assert(v.commitment_ok);
	cr_assert_eq(v.n, 2);
	cr_assert_eq(v.order[0].application_id, res.order[0].application_id);
	cr_assert_eq(v.order[1].application_id, res.order[1].application_id);

	/* a seed that is not the one committed to is caught */
	harness_sql(h, "UPDATE lottery_draws SET seed_hex = '%s' WHERE listing_id = %lld",
		       "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", (long long)ad);
	cr_assert_eq(lottery_verify(server_core(h->server), a, ad, &v, &err), 0);
	cr_assert(!v.commitment_ok);
	error_init(&err, a);
	cr_assert_eq(lottery_verify(server_core(h->server), a, listing(""), &v, &err), -1);
	cr_assert_eq(err.kind, ERROR_NOT_FOUND);
	arena_destroy(a);
}
