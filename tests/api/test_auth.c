/*
 * test_auth.c — HomeQ authentication (homeq.md §1, §15 rules 1–4) and the
 * deprecation endpoint (§2, decisions.md H-26):
 *
 *   POST /api/v2/tokens/          login: success shape, every documented error, bad
 *                                 input, two-factor, device verification, throttling
 *   POST /api/v2/tokens/verify/   every documented 401 reason
 *   GET  /api/v1/company/, /api/v1/employees/   the same tokens on authenticated
 *                                 endpoints (H-03 401, H-37 consumer 403)
 *   GET  /api/v1/deprecation/     Deprecation and Sunset headers
 *
 * Time is never waited for: TOTP codes are computed for the current step, expired
 * tokens are signed with an exp in the past.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/memo.h"
#include "core/identity/login.h"
#include "core/identity/org.h"
#include "core/identity/password.h"
#include "core/identity/totp.h"
#include "harness.h"

#define ADMIN_PASSWORD "admin-password"
#define PN "198112189876"
#define OTHER_PN "197010632391"

static struct harness *h;
static struct arena *arena;
static struct error err;
static struct fixture_company co;

static void setup(void)
{
	h = harness_create();
	arena = arena_create(8192);
	error_init(&err, arena);
	fixture_company(h, "acme", &co);
}

static void teardown(void)
{
	arena_destroy(arena);
	harness_destroy(h);
}

TestSuite(auth, .init = setup, .fini = teardown);

/* ---- helpers ---- */

/* {"k": v, …} from key/value C strings (NULL-terminated list), JSON-escaped. */
static char *json_body(const char *k1, ...)
{
	json_t *o = json_object();
	va_list ap;
	char *dumped, *out;

	va_start(ap, k1);
	for (const char *k = k1; k; k = va_arg(ap, const char *))
		json_object_set_new(o, k, json_string(va_arg(ap, const char *)));
	va_end(ap);
	dumped = json_dumps(o, JSON_COMPACT);
	out = arena_printf(arena, "%s", dumped);
	free(dumped);
	json_decref(o);
	return out;
}

static struct hresp *login_raw(const char *body)
{
	return harness_request(h, "POST", "/api/v2/tokens/", body);
}

static struct hresp *login(const char *username, const char *password)
{
	return login_raw(json_body("username", username, "password", password, NULL));
}

static struct hresp *verify_raw(const char *body)
{
	return harness_request(h, "POST", "/api/v2/tokens/verify/", body);
}

static struct hresp *verify(const char *token)
{
	return verify_raw(json_body("token", token, NULL));
}

static struct hresp *get_with(const char *path, const char *authorization)
{
	char hdr[8192];
	const char *headers[] = { hdr, NULL };
	snprintf(hdr, sizeof(hdr), "Authorization: %s", authorization);
	return harness_request_ex(h, "GET", path, NULL, NULL, 0, headers);
}

/* Asserts a landlord error body and frees r. description NULL: not checked. */
static void expect_error(struct hresp *r, int status, const char *error, const char *description)
{
	cr_assert_eq(r->status, status, "want %d %s, got %d: %s", status, error, r->status, r->body);
	cr_assert_not_null(r->json, "not JSON: %s", r->body);
	cr_assert_not_null(hresp_str(r, "error"), "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "error"), error, "%s", r->body);
	cr_assert_not_null(hresp_str(r, "description"), "%s", r->body);
	if (description)
		cr_assert_str_eq(hresp_str(r, "description"), description);
	cr_assert_not_null(hresp_str(r, "correlation_id"), "%s", r->body);
	cr_assert_null(json_object_get(r->json, "token"), "an error carries no token");
	hresp_free(r);
}

static void expect_unauthorized(struct hresp *r, const char *description)
{
	expect_error(r, 401, "Unauthorized", description);
}

static void expect_validation(struct hresp *r, const char *field)
{
	cr_assert_not_null(json_object_get(json_object_get(r->json, "fields"), field), "no fields.%s in %s", field,
			   r->body);
	expect_error(r, 412, "ValidationError", NULL);
}

static const char *member_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

static long long member_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_integer(v), "%s is not an integer", key);
	return (long long)json_integer_value(v);
}

/*
 * Checks a TokenResponse (exactly the seed's members, L575ff) for user_id of the
 * fixture company; copies its token into token_out (may be NULL).
 */
static void expect_token_response(struct hresp *r, int64_t user_id, const char *username, char *token_out)
{
	json_t *company, *employee, *profile, *rights;
	const char *hash;

	cr_assert_eq(r->status, 200, "%d: %s", r->status, r->body);
	cr_assert_not_null(r->json);
	cr_assert_eq(json_object_size(r->json), 4, "%s", r->body);

	company = json_object_get(r->json, "company");
	cr_assert(json_is_object(company));
	cr_assert_eq(json_object_size(company), 4, "%s", r->body);
	cr_assert(json_is_boolean(json_object_get(company, "beta_program")));
	cr_assert(json_is_array(json_object_get(company, "enabled_features")));
	cr_assert_eq(member_int(company, "id"), co.id);
	cr_assert_str_eq(member_str(company, "name"), "acme");

	employee = json_object_get(r->json, "employee");
	cr_assert(json_is_object(employee));
	cr_assert_eq(json_object_size(employee), 10, "%s", r->body);
	member_str(employee, "email");
	member_str(employee, "first_name");
	member_str(employee, "last_name");
	member_str(employee, "personal_number");
	member_str(employee, "phone");
	cr_assert_eq(member_int(employee, "id"), user_id);
	cr_assert_str_eq(member_str(employee, "username"), username);
	cr_assert_eq(member_int(employee, "root_office"), co.root_office);
	cr_assert_gt(member_int(employee, "selected_office"), 0);
	hash = member_str(employee, "intercom_hash");
	cr_assert_eq(strlen(hash), 64, "intercom_hash %s", hash);
	cr_assert_eq(strspn(hash, "0123456789abcdef"), 64, "intercom_hash %s", hash);

	profile = json_object_get(r->json, "right_profile");
	cr_assert(json_is_object(profile));
	cr_assert_eq(json_object_size(profile), 3, "%s", r->body);
	cr_assert_gt(member_int(profile, "id"), 0);
	cr_assert_gt(strlen(member_str(profile, "name")), 0);
	rights = json_object_get(profile, "rights");
	cr_assert(json_is_array(rights));
	for (size_t i = 0; i < json_array_size(rights); i++)
		cr_assert(json_is_string(json_array_get(rights, i)));

	cr_assert_gt(strlen(member_str(r->json, "token")), 20);
	if (token_out) {
		cr_assert_lt(strlen(hresp_str(r, "token")), 1024);
		strcpy(token_out, hresp_str(r, "token"));
	}
}

static bool has_right(struct hresp *r, const char *right)
{
	json_t *rights = json_object_get(json_object_get(r->json, "right_profile"), "rights");
	for (size_t i = 0; i < json_array_size(rights); i++)
		if (strcmp(json_string_value(json_array_get(rights, i)), right) == 0)
			return true;
	return false;
}

/* An employee of the fixture company with a personal number; password "password-<username>". */
static int64_t employee_with_pn(const char *username, const char *personal_number)
{
	struct employee_new e;
	char *hash = arena_alloc(arena, PASSWORD_HASH_MAX);
	int64_t id;

	memset(&e, 0, sizeof(e));
	cr_assert_eq(password_hash(str_from_cstr(arena_printf(arena, "password-%s", username)), hash), 0);
	e.company_id = co.id;
	e.right_profile = STR_LIT("employee");
	e.username = str_from_cstr(username);
	e.password_hash = str_from_cstr(hash);
	e.first_name = STR_LIT("Pia");
	e.last_name = STR_LIT("Persson");
	e.email = str_from_cstr(username);
	e.personal_number = personal_number ? str_from_cstr(personal_number) : STR_NULL;
	cr_assert_eq(org_employee_create(app_core(h->app), arena, &e, &id, &err), 0, "%s",
		     err.message ? err.message : "");
	return id;
}

static const char *password_of(const char *username)
{
	return arena_printf(arena, "password-%s", username);
}

static const char *sign(const struct jwt_claims *c)
{
	return jwt_sign(arena, app_core(h->app)->secrets.jwt, c).ptr;
}

static struct jwt_claims claims_for_admin(void)
{
	struct jwt_claims c;
	memset(&c, 0, sizeof(c));
	c.typ = JWT_LANDLORD;
	c.sub = co.admin_id;
	c.company = co.id;
	c.office = co.root_office;
	c.iat = time(NULL);
	c.exp = c.iat + 3600;
	return c;
}

static const char *checkin_token(int64_t user_id, const char *pn, int64_t ttl)
{
	return login_checkin_token(app_core(h->app), arena, user_id, str_from_cstr(pn), ttl).ptr;
}

static char *b64url(const char *text)
{
	size_t len = strlen(text);
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(arena, cap);
	sodium_bin2base64(out, cap, (const unsigned char *)text, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* A token with this header and payload, correctly HS256-signed with the server's key. */
static const char *forge(const char *header, const char *payload)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *signing = arena_printf(arena, "%s.%s", b64url(header), b64url(payload));
	crypto_auth_hmacsha256(mac, (const unsigned char *)signing, strlen(signing), app_core(h->app)->secrets.jwt);
	return arena_printf(arena, "%s.%s", signing, sodium_bin2base64(arena_alloc(arena, 64), 64, mac, sizeof(mac),
								   sodium_base64_VARIANT_URLSAFE_NO_PADDING));
}

/* A six-digit string that is not the code of any step the server accepts now. */
static const char *wrong_code(const char *secret)
{
	int64_t step = time(NULL) / TOTP_STEP_SECONDS;
	for (int c = 0;; c += 7919) {
		bool used = false;
		for (int64_t s = step - 2; s <= step + 2; s++)
			used |= totp_code(secret, s) == c % 1000000;
		if (!used)
			return arena_printf(arena, "%06d", c % 1000000);
	}
}

static const char *code_for(const char *secret, int64_t step)
{
	return arena_printf(arena, "%06d", totp_code(secret, step));
}

static void enable_totp(int64_t user_id, char secret[TOTP_SECRET_B32_LEN + 1])
{
	totp_new_secret(secret);
	cr_assert_eq(store_user_set_totp(h->store, user_id, str_from_cstr(secret), &err), 0);
}

/* ---- POST /api/v2/tokens/: success ---- */

Test(auth, login_returns_token_company_employee_and_right_profile)
{
	char token[1024];
	struct hresp *r = login(co.admin_username, ADMIN_PASSWORD);

	expect_token_response(r, co.admin_id, co.admin_username, token);
	cr_assert_str_eq(member_str(json_object_get(r->json, "right_profile"), "name"), "admin");
	cr_assert(has_right(r, "entity.organization"), "%s", r->body);
	cr_assert_str_eq(r->content_type, "application/json");
	hresp_free(r);

	r = get_with("/api/v1/company/", arena_printf(arena, "JWT %s", token));
	cr_assert_eq(r->status, 200, "JWT scheme: %d %s", r->status, r->body);
	cr_assert_eq(hresp_int(r, "id"), co.id, "%s", r->body);
	hresp_free(r);
	r = get_with("/api/v1/company/", arena_printf(arena, "Bearer %s", token));
	cr_assert_eq(r->status, 200, "Bearer scheme: %d %s", r->status, r->body);
	hresp_free(r);
	r = get_with("/api/v1/company/", arena_printf(arena, "bearer   %s  ", token));
	cr_assert_eq(r->status, 200, "scheme is case-insensitive, spaces trimmed: %d %s", r->status, r->body);
	hresp_free(r);
}

Test(auth, login_as_another_profile_reports_that_profile)
{
	int64_t id = fixture_employee(h, co.id, 0, "observer", "olle@acme", NULL);
	struct hresp *r = login("olle@acme", password_of("olle@acme"));
	expect_token_response(r, id, "olle@acme", NULL);
	cr_assert_str_eq(member_str(json_object_get(r->json, "right_profile"), "name"), "observer");
	cr_assert(!has_right(r, "entity.organization"));
	hresp_free(r);
}

Test(auth, username_is_case_insensitive)
{
	struct hresp *r = login("ADMIN@Acme", ADMIN_PASSWORD);
	expect_token_response(r, co.admin_id, co.admin_username, NULL);
	hresp_free(r);
}

Test(auth, personal_number_and_names_are_reported)
{
	int64_t id = employee_with_pn("pia@acme", PN);
	struct hresp *r = login("pia@acme", password_of("pia@acme"));
	json_t *e;
	expect_token_response(r, id, "pia@acme", NULL);
	e = json_object_get(r->json, "employee");
	cr_assert_str_eq(member_str(e, "personal_number"), PN);
	cr_assert_str_eq(member_str(e, "first_name"), "Pia");
	cr_assert_str_eq(member_str(e, "last_name"), "Persson");
	hresp_free(r);
}

/* ---- POST /api/v2/tokens/: documented errors ---- */

Test(auth, username_missing)
{
	const char *const bodies[] = {
		"{\"password\":\"x\"}", "{\"username\":\"\",\"password\":\"x\"}", "{\"username\":null,\"password\":\"x\"}",
		"{}",                   "{\"username\":null,\"password\":null}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect_error(login_raw(bodies[i]), 412, "UsernameMissing", "Please provide a username.");
	/* no body at all */
	expect_error(harness_request(h, "POST", "/api/v2/tokens/", NULL), 412, "UsernameMissing",
		     "Please provide a username.");
}

Test(auth, password_missing)
{
	const char *const bodies[] = {
		"{\"username\":\"admin@acme\"}",
		"{\"username\":\"admin@acme\",\"password\":\"\"}",
		"{\"username\":\"admin@acme\",\"password\":null}",
		"{\"username\":\"nobody\"}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect_error(login_raw(bodies[i]), 412, "PasswordMissing", "Please provide a password.");
}

Test(auth, permission_denied_for_wrong_password_unknown_user_and_consumer)
{
	char *hash = arena_alloc(arena, PASSWORD_HASH_MAX);
	int64_t consumer = fixture_consumer(h, "carl@example.com", NULL);

	expect_error(login(co.admin_username, "wrong-password"), 403, "PermissionDenied",
		     "Please provide correct username and password");
	expect_error(login(co.admin_username, "ADMIN-PASSWORD"), 403, "PermissionDenied", NULL);
	expect_error(login(co.admin_username, ADMIN_PASSWORD " "), 403, "PermissionDenied", NULL);
	expect_error(login("nobody@acme", ADMIN_PASSWORD), 403, "PermissionDenied",
		     "Please provide correct username and password");

	/* a consumer cannot log in here, even with the right password */
	cr_assert_eq(password_hash(STR_LIT("consumer-password"), hash), 0);
	cr_assert_eq(store_user_set_password(h->store, consumer, str_from_cstr(hash), &err), 0);
	expect_error(login("carl@example.com", "consumer-password"), 403, "PermissionDenied",
		     "Please provide correct username and password");
	expect_error(login("carl@example.com", ""), 412, "PasswordMissing", NULL);
}

Test(auth, deleted_employee_cannot_log_in)
{
	int64_t id = fixture_employee(h, co.id, 0, "employee", "dora@acme", NULL);
	struct hresp *r = login("dora@acme", password_of("dora@acme"));
	cr_assert_eq(r->status, 200, "%s", r->body);
	hresp_free(r);
	cr_assert_eq(store_user_delete(h->store, id, &err), 0);
	expect_error(login("dora@acme", password_of("dora@acme")), 403, "PermissionDenied", NULL);
}

Test(auth, missing_right_profile_is_409)
{
	int64_t id = fixture_employee(h, co.id, 0, "employee", "nils@acme", NULL);
	harness_sql(h, "UPDATE users SET right_profile_id = NULL WHERE id = %lld", (long long)id);
	expect_error(login("nils@acme", password_of("nils@acme")), 409, "MissingRightProfile",
		     "The user has no right profile associated.");
	/* the password is checked first: a wrong one is still 403 */
	expect_error(login("nils@acme", "wrong"), 403, "PermissionDenied", NULL);
}

Test(auth, totp_missing_and_invalid)
{
	char secret[TOTP_SECRET_B32_LEN + 1];
	enable_totp(co.admin_id, secret);

	expect_error(login(co.admin_username, ADMIN_PASSWORD), 412, "MissingTotpToken",
		     "You require a two_factor_token in order to log in.");
	expect_error(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
					 "two_factor_token", "", NULL)),
		     412, "MissingTotpToken", NULL);
	expect_error(login_raw(arena_printf(arena, "{\"username\":\"%s\",\"password\":\"%s\",\"two_factor_token\":null}",
					    co.admin_username, ADMIN_PASSWORD)),
		     412, "MissingTotpToken", NULL);

	const char *const bad[] = { wrong_code(secret), "abcdef", "12345", "1234567", "      " };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
						 "two_factor_token", bad[i], NULL)),
			     412, "InvalidTotpToken", "The two factor token that you provided is not correct.");
}

Test(auth, totp_wrong_password_is_403_before_the_code_is_looked_at)
{
	char secret[TOTP_SECRET_B32_LEN + 1];
	const char *code;
	struct hresp *r;

	enable_totp(co.admin_id, secret);
	code = code_for(secret, time(NULL) / TOTP_STEP_SECONDS);
	expect_error(login_raw(json_body("username", co.admin_username, "password", "wrong", "two_factor_token", code,
					 NULL)),
		     403, "PermissionDenied", NULL);
	expect_error(login(co.admin_username, "wrong"), 403, "PermissionDenied", NULL);
	/* the code was not used up by the failed attempt */
	r = login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD, "two_factor_token", code,
				NULL));
	expect_token_response(r, co.admin_id, co.admin_username, NULL);
	hresp_free(r);
}

Test(auth, totp_code_is_accepted_once)
{
	char secret[TOTP_SECRET_B32_LEN + 1];
	int64_t step = time(NULL) / TOTP_STEP_SECONDS;
	const char *code;
	struct hresp *r;

	enable_totp(co.admin_id, secret);
	code = code_for(secret, step);
	r = login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD, "two_factor_token", code,
				NULL));
	expect_token_response(r, co.admin_id, co.admin_username, NULL);
	hresp_free(r);

	expect_error(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
					 "two_factor_token", code, NULL)),
		     412, "InvalidTotpToken", "The two factor token that you provided is not correct.");

	/* the next step's code (within the window) works once, surrounding spaces trimmed */
	code = arena_printf(arena, " %s ", code_for(secret, step + 1));
	r = login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD, "two_factor_token", code,
				NULL));
	expect_token_response(r, co.admin_id, co.admin_username, NULL);
	hresp_free(r);
	expect_error(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
					 "two_factor_token", code, NULL)),
		     412, "InvalidTotpToken", NULL);
	/* and an older one is no good after a newer one */
	expect_error(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
					 "two_factor_token", code_for(secret, step - 1), NULL)),
		     412, "InvalidTotpToken", NULL);
}

Test(auth, totp_codes_two_steps_away_are_refused)
{
	char secret[TOTP_SECRET_B32_LEN + 1];
	const int offsets[] = { -2, 2, -3, 3 };

	enable_totp(co.admin_id, secret);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		int64_t step = time(NULL) / TOTP_STEP_SECONDS;
		const char *code = code_for(secret, step + offsets[i]);
		bool collides = false;
		struct hresp *r;

		for (int64_t k = step - 1; k <= step + 1; k++)
			collides |= totp_code(secret, k) == atoi(code);
		if (collides)
			continue; /* one in ~250000: the code is also another step's */
		r = login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD, "two_factor_token",
					code, NULL));
		if (time(NULL) / TOTP_STEP_SECONDS != step) {
			/* a step boundary passed during the request: +2 became +1; ask again */
			hresp_free(r);
			i--;
			continue;
		}
		expect_error(r, 412, "InvalidTotpToken", NULL);
	}
}

Test(auth, missing_device_token)
{
	int64_t id = employee_with_pn("dev@acme", PN);
	cr_assert_eq(store_user_set_device_verification(h->store, id, true, &err), 0);
	expect_error(login("dev@acme", password_of("dev@acme")), 412, "MissingDeviceToken",
		     "You need to provide a device token in order to log in.");
	expect_error(login_raw(json_body("username", "dev@acme", "password", password_of("dev@acme"), "device_token",
					 "", NULL)),
		     412, "MissingDeviceToken", NULL);
	/* a wrong password is still reported as such */
	expect_error(login("dev@acme", "wrong"), 403, "PermissionDenied", NULL);
}

Test(auth, new_device_needs_a_checkin_token)
{
	int64_t id = employee_with_pn("dev@acme", PN);
	cr_assert_eq(store_user_set_device_verification(h->store, id, true, &err), 0);
	expect_error(login_raw(json_body("username", "dev@acme", "password", password_of("dev@acme"), "device_token",
					 "phone-1", NULL)),
		     412, "MissingCheckinToken", "To register device token you need to provide checkin token.");
	expect_error(login_raw(json_body("username", "dev@acme", "password", password_of("dev@acme"), "device_token",
					 "phone-1", "checkin_token", "", NULL)),
		     412, "MissingCheckinToken", NULL);
}

Test(auth, checkin_token_must_name_this_person)
{
	int64_t id = employee_with_pn("dev@acme", PN);
	int64_t other = employee_with_pn("twin@acme", PN);
	struct jwt_claims landlord = claims_for_admin();
	const char *const bad[] = {
		checkin_token(id, OTHER_PN, 300),    /* another personal number */
		checkin_token(other, PN, 300),       /* same number, issued to another user */
		checkin_token(id, PN, -10),          /* expired */
		checkin_token(id, "19811218987", 300),
		sign(&landlord),                     /* not a checkin token */
		"not.a.token",
		"garbage",
	};

	cr_assert_eq(store_user_set_device_verification(h->store, id, true, &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(login_raw(json_body("username", "dev@acme", "password", password_of("dev@acme"),
						 "device_token", "phone-1", "checkin_token", bad[i], NULL)),
			     412, "MissmatchPersonalNumber",
			     "The checkin token does not contain the right personal number.");
	/* none of the failures registered the device */
	expect_error(login_raw(json_body("username", "dev@acme", "password", password_of("dev@acme"), "device_token",
					 "phone-1", NULL)),
		     412, "MissingCheckinToken", NULL);
}

Test(auth, employee_without_personal_number_cannot_register_a_device)
{
	int64_t id = employee_with_pn("nopn@acme", NULL);
	cr_assert_eq(store_user_set_device_verification(h->store, id, true, &err), 0);
	expect_error(login_raw(json_body("username", "nopn@acme", "password", password_of("nopn@acme"),
					 "device_token", "phone-1", "checkin_token", checkin_token(id, PN, 300), NULL)),
		     412, "MissmatchPersonalNumber", NULL);
}

Test(auth, checkin_registers_the_device_for_later_logins)
{
	int64_t id = employee_with_pn("dev@acme", PN);
	const char *pw = password_of("dev@acme");
	struct hresp *r;

	cr_assert_eq(store_user_set_device_verification(h->store, id, true, &err), 0);

	/* a wrong password with a good checkin token registers nothing */
	expect_error(login_raw(json_body("username", "dev@acme", "password", "wrong", "device_token", "phone-1",
					 "checkin_token", checkin_token(id, PN, 300), NULL)),
		     403, "PermissionDenied", NULL);
	expect_error(login_raw(json_body("username", "dev@acme", "password", pw, "device_token", "phone-1", NULL)), 412,
		     "MissingCheckinToken", NULL);

	r = login_raw(json_body("username", "dev@acme", "password", pw, "device_token", "phone-1", "checkin_token",
				checkin_token(id, PN, 300), NULL));
	expect_token_response(r, id, "dev@acme", NULL);
	hresp_free(r);

	/* the same device needs no checkin token any more */
	r = login_raw(json_body("username", "dev@acme", "password", pw, "device_token", "phone-1", NULL));
	expect_token_response(r, id, "dev@acme", NULL);
	hresp_free(r);
	/* a checkin token sent anyway does no harm */
	r = login_raw(json_body("username", "dev@acme", "password", pw, "device_token", "phone-1", "checkin_token",
				"garbage", NULL));
	expect_token_response(r, id, "dev@acme", NULL);
	hresp_free(r);

	/* another device still needs one, and the device token is not shared with other users */
	expect_error(login_raw(json_body("username", "dev@acme", "password", pw, "device_token", "phone-2", NULL)), 412,
		     "MissingCheckinToken", NULL);
	expect_error(login_raw(json_body("username", "dev@acme", "password", pw, NULL)), 412, "MissingDeviceToken",
		     NULL);
	{
		int64_t other = employee_with_pn("other@acme", OTHER_PN);
		cr_assert_eq(store_user_set_device_verification(h->store, other, true, &err), 0);
		expect_error(login_raw(json_body("username", "other@acme", "password", password_of("other@acme"),
						 "device_token", "phone-1", NULL)),
			     412, "MissingCheckinToken", NULL);
	}
}

Test(auth, device_verification_off_ignores_device_tokens)
{
	struct hresp *r = login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
					      "device_token", "phone-1", "checkin_token", "garbage", NULL));
	expect_token_response(r, co.admin_id, co.admin_username, NULL);
	hresp_free(r);
}

Test(auth, totp_and_device_a_failed_device_step_does_not_use_up_the_code)
{
	int64_t id = employee_with_pn("both@acme", PN);
	const char *pw = password_of("both@acme");
	char secret[TOTP_SECRET_B32_LEN + 1];
	const char *code;
	struct hresp *r;

	enable_totp(id, secret);
	cr_assert_eq(store_user_set_device_verification(h->store, id, true, &err), 0);
	code = code_for(secret, time(NULL) / TOTP_STEP_SECONDS);

	expect_error(login_raw(json_body("username", "both@acme", "password", pw, NULL)), 412, "MissingTotpToken", NULL);
	expect_error(login_raw(json_body("username", "both@acme", "password", pw, "two_factor_token", code, NULL)), 412,
		     "MissingDeviceToken", NULL);
	expect_error(login_raw(json_body("username", "both@acme", "password", pw, "two_factor_token", code,
					 "device_token", "phone-1", NULL)),
		     412, "MissingCheckinToken", NULL);
	/* a failed request changes nothing (GUIDE "Errors"): the same code completes the login */
	r = login_raw(json_body("username", "both@acme", "password", pw, "two_factor_token", code, "device_token",
				"phone-1", "checkin_token", checkin_token(id, PN, 300), NULL));
	expect_token_response(r, id, "both@acme", NULL);
	hresp_free(r);
	/* and then it is used up */
	expect_error(login_raw(json_body("username", "both@acme", "password", pw, "two_factor_token", code,
					 "device_token", "phone-1", NULL)),
		     412, "InvalidTotpToken", NULL);
}

/* ---- POST /api/v2/tokens/: bad input ---- */

Test(auth, wrong_types_are_validation_errors)
{
	expect_validation(login_raw("{\"username\":5,\"password\":\"x\"}"), "username");
	expect_validation(login_raw("{\"username\":true,\"password\":\"x\"}"), "username");
	expect_validation(login_raw("{\"username\":[\"admin@acme\"],\"password\":\"x\"}"), "username");
	expect_validation(login_raw("{\"username\":{},\"password\":\"x\"}"), "username");
	expect_validation(login_raw("{\"username\":\"admin@acme\",\"password\":5}"), "password");
	expect_validation(login_raw("{\"username\":\"admin@acme\",\"password\":\"x\",\"two_factor_token\":123456}"),
			  "two_factor_token");
	expect_validation(login_raw("{\"username\":\"admin@acme\",\"password\":\"x\",\"device_token\":1}"),
			  "device_token");
	expect_validation(login_raw("{\"username\":\"admin@acme\",\"password\":\"x\",\"checkin_token\":[]}"),
			  "checkin_token");
}

Test(auth, every_bad_field_is_reported_at_once)
{
	struct hresp *r = login_raw("{\"username\":5,\"password\":6}");
	json_t *fields = json_object_get(r->json, "fields");
	cr_assert_not_null(json_object_get(fields, "username"), "%s", r->body);
	cr_assert_not_null(json_object_get(fields, "password"), "%s", r->body);
	expect_error(r, 412, "ValidationError", NULL);
}

Test(auth, too_long_fields)
{
	char name[152], *pw = arena_alloc(arena, 1026);
	struct hresp *r;

	memset(name, 'a', 151);
	name[151] = '\0';
	expect_validation(login(name, "x"), "username");
	name[150] = '\0'; /* 150 is allowed: an unknown user */
	expect_error(login(name, "x"), 403, "PermissionDenied", NULL);

	memset(pw, 'p', 1025);
	pw[1025] = '\0';
	expect_validation(login(co.admin_username, pw), "password");
	/* a token past 1024 characters is malformed input; a merely wrong one gets its own error */
	expect_validation(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
					      "two_factor_token", pw, NULL)),
			  "two_factor_token");

	/* lengths count characters: 150 two-byte characters are fine */
	{
		char *wide = arena_alloc(arena, 301);
		for (int i = 0; i < 150; i++)
			memcpy(wide + 2 * i, "å", 2);
		wide[300] = '\0';
		r = login(wide, "x");
		expect_error(r, 403, "PermissionDenied", NULL);
	}
}

Test(auth, body_must_be_an_object)
{
	const char *const bodies[] = { "[]", "[{\"username\":\"admin@acme\"}]", "\"admin@acme\"", "5", "true" };
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct hresp *r = login_raw(bodies[i]);
		cr_assert_eq(r->status, 412, "%s → %d %s", bodies[i], r->status, r->body);
		expect_error(r, 412, "ValidationError", NULL);
	}
}

Test(auth, malformed_json_is_400)
{
	const char *const bodies[] = { "{", "{\"username\":", "{'username':'a'}", "username=a&password=b",
				       "{\"username\":\"a\",}", "{\"username\":\"a\"}}" };
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect_error(login_raw(bodies[i]), 400, "ParseError", NULL);
}

Test(auth, non_json_content_type_is_415)
{
	const char *body = "{\"username\":\"admin@acme\",\"password\":\"admin-password\"}";
	expect_error(harness_request_ex(h, "POST", "/api/v2/tokens/", "application/x-www-form-urlencoded",
					"username=admin%40acme&password=admin-password", 45, NULL),
		     415, "UnsupportedMediaType", NULL);
	expect_error(harness_request_ex(h, "POST", "/api/v2/tokens/", "text/plain", body, strlen(body), NULL), 415,
		     "UnsupportedMediaType", NULL);
	expect_error(harness_request_ex(h, "POST", "/api/v2/tokens/verify/", "text/plain", body, strlen(body), NULL),
		     415, "UnsupportedMediaType", NULL);
}

Test(auth, other_methods_are_405)
{
	struct hresp *r = harness_request(h, "GET", "/api/v2/tokens/", NULL);
	cr_assert_eq(r->status, 405, "%d %s", r->status, r->body);
	hresp_free(r);
}

/* ---- throttling ---- */

Test(auth, too_many_failures_for_a_username_are_429_with_retry_after)
{
	struct hresp *r;
	const char *retry;

	for (int i = 0; i < LOGIN_MAX_USER_FAILURES; i++)
		expect_error(login(co.admin_username, "wrong"), 403, "PermissionDenied", NULL);

	r = login(co.admin_username, ADMIN_PASSWORD);
	cr_assert_eq(r->status, 429, "%d %s", r->status, r->body);
	retry = hresp_header(r, "Retry-After");
	cr_assert_not_null(retry);
	cr_assert_gt(atoi(retry), 0, "Retry-After: %s", retry);
	cr_assert_leq(atoi(retry), LOGIN_WINDOW_SECONDS, "Retry-After: %s", retry);
	expect_error(r, 429, "RateLimited", NULL);

	/* the same username in other letters is the same account */
	expect_error(login("ADMIN@ACME", ADMIN_PASSWORD), 429, "RateLimited", NULL);
	/* missing fields are still reported first */
	expect_error(login_raw(json_body("username", co.admin_username, NULL)), 412, "PasswordMissing", NULL);
}

Test(auth, a_success_clears_the_username_failures)
{
	struct hresp *r;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < LOGIN_MAX_USER_FAILURES - 1; i++)
			expect_error(login(co.admin_username, "wrong"), 403, "PermissionDenied", NULL);
		r = login(co.admin_username, ADMIN_PASSWORD);
		cr_assert_eq(r->status, 200, "round %d: %d %s", round, r->status, r->body);
		hresp_free(r);
	}
}

Test(auth, wrong_totp_codes_count_as_failures)
{
	char secret[TOTP_SECRET_B32_LEN + 1];
	enable_totp(co.admin_id, secret);
	for (int i = 0; i < LOGIN_MAX_USER_FAILURES; i++)
		expect_error(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD,
						 "two_factor_token", wrong_code(secret), NULL)),
			     412, "InvalidTotpToken", NULL);
	expect_error(login_raw(json_body("username", co.admin_username, "password", ADMIN_PASSWORD, "two_factor_token",
					 code_for(secret, time(NULL) / TOTP_STEP_SECONDS), NULL)),
		     429, "RateLimited", NULL);
}

Test(auth, other_usernames_from_the_same_client_until_the_address_limit)
{
	int64_t bob = fixture_employee(h, co.id, 0, "employee", "bob@acme", NULL);
	int failures = 0;
	struct hresp *r;

	for (int i = 0; i < LOGIN_MAX_USER_FAILURES; i++, failures++)
		expect_error(login(co.admin_username, "wrong"), 403, "PermissionDenied", NULL);
	expect_error(login(co.admin_username, ADMIN_PASSWORD), 429, "RateLimited", NULL);

	/* the client is not blocked for bob */
	r = login("bob@acme", password_of("bob@acme"));
	expect_token_response(r, bob, "bob@acme", NULL);
	hresp_free(r);

	/* unknown usernames count against the client too, each below its own limit */
	for (int i = 0; failures < LOGIN_MAX_ADDR_FAILURES; i++, failures++) {
		r = login(arena_printf(arena, "ghost%d@acme", i / (LOGIN_MAX_USER_FAILURES - 1)), "wrong");
		cr_assert_eq(r->status, 403, "failure %d: %d %s", failures, r->status, r->body);
		hresp_free(r);
	}
	r = login("bob@acme", password_of("bob@acme"));
	cr_assert_eq(r->status, 429, "client limit: %d %s", r->status, r->body);
	cr_assert_gt(atoi(hresp_header(r, "Retry-After") ? hresp_header(r, "Retry-After") : "0"), 0);
	expect_error(r, 429, "RateLimited", NULL);
}

/* ---- POST /api/v2/tokens/verify/ ---- */

Test(auth, verify_echoes_the_token_and_describes_its_owner)
{
	char token[1024];
	struct hresp *r = login(co.admin_username, ADMIN_PASSWORD);
	expect_token_response(r, co.admin_id, co.admin_username, token);
	hresp_free(r);

	r = verify(token);
	expect_token_response(r, co.admin_id, co.admin_username, NULL);
	cr_assert_str_eq(hresp_str(r, "token"), token, "the same token, not a new one");
	cr_assert(has_right(r, "entity.organization"));
	hresp_free(r);

	/* a fixture token (auth_issue) as well */
	r = verify(co.admin_token);
	expect_token_response(r, co.admin_id, co.admin_username, NULL);
	cr_assert_str_eq(hresp_str(r, "token"), co.admin_token);
	hresp_free(r);
}

Test(auth, verify_needs_a_token)
{
	expect_unauthorized(verify_raw("{}"), "Please provide a token");
	expect_unauthorized(verify_raw("{\"token\":\"\"}"), "Please provide a token");
	expect_unauthorized(verify_raw("{\"token\":null}"), "Please provide a token");
	expect_unauthorized(harness_request(h, "POST", "/api/v2/tokens/verify/", NULL), "Please provide a token");
	/* the Authorization header is not where verify looks */
	{
		char hdr[1100];
		const char *headers[] = { hdr, NULL };
		snprintf(hdr, sizeof(hdr), "Authorization: JWT %s", co.admin_token);
		expect_unauthorized(harness_request_ex(h, "POST", "/api/v2/tokens/verify/", "application/json", "{}", 2,
						       headers),
				    "Please provide a token");
	}
}

Test(auth, verify_bad_input)
{
	expect_validation(verify_raw("{\"token\":5}"), "token");
	expect_validation(verify_raw("{\"token\":[\"a.b.c\"]}"), "token");
	expect_error(verify_raw("[]"), 412, "ValidationError", NULL);
	expect_error(verify_raw("{\"token\":"), 400, "ParseError", NULL);
	{
		char *big = arena_alloc(arena, JWT_MAX_LEN + 2);
		memset(big, 'a', JWT_MAX_LEN + 1);
		big[JWT_MAX_LEN + 1] = '\0';
		expect_validation(verify(big), "token");
	}
}

Test(auth, verify_refuses_consumer_and_checkin_tokens)
{
	char consumer[1024];
	fixture_consumer(h, "carl@example.com", consumer);
	expect_unauthorized(verify(consumer), "The token needs to be a landlord token");
	expect_unauthorized(verify(checkin_token(co.admin_id, PN, 300)), "The token needs to be a landlord token");
}

Test(auth, verify_deleted_user)
{
	char token[1024];
	int64_t id = fixture_employee(h, co.id, 0, "employee", "gone@acme", token);
	cr_assert_eq(store_user_delete(h->store, id, &err), 0);
	expect_unauthorized(verify(token), "User specified in the token was not found");
}

Test(auth, verify_user_that_never_existed_or_is_of_another_kind)
{
	struct jwt_claims c = claims_for_admin();
	int64_t consumer = fixture_consumer(h, "carl@example.com", NULL);

	c.sub = 999999;
	expect_unauthorized(verify(sign(&c)), "User specified in the token was not found");
	/* a landlord token naming a consumer */
	c.sub = consumer;
	expect_unauthorized(verify(sign(&c)), "User specified in the token was not found");
	/* a consumer token naming an employee */
	c = claims_for_admin();
	c.typ = JWT_CONSUMER;
	expect_unauthorized(verify(sign(&c)), "User specified in the token was not found");
}

Test(auth, verify_company_changed)
{
	struct fixture_company other;
	fixture_company(h, "other", &other);
	harness_sql(h, "UPDATE users SET company_id = %lld, root_office_id = %lld, selected_office_id = %lld WHERE id = %lld",
	    (long long)other.id, (long long)other.root_office, (long long)other.root_office, (long long)co.admin_id);
	expect_unauthorized(verify(co.admin_token), "You need to reissue the token as your company id changed.");
	expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "JWT %s", co.admin_token)),
			    "You need to reissue the token as your company id changed.");
}

Test(auth, verify_expired)
{
	struct jwt_claims c = claims_for_admin();
	c.iat = time(NULL) - 7200;
	c.exp = time(NULL) - 1;
	expect_unauthorized(verify(sign(&c)), "Signature of the token is expired");
	c.exp = time(NULL) - 365 * 24 * 3600;
	expect_unauthorized(verify(sign(&c)), "Signature of the token is expired");
}

static const char *good_payload(void)
{
	return arena_printf(arena, "{\"typ\":\"landlord\",\"sub\":%lld,\"company\":%lld,\"office\":%lld,\"iat\":%lld,"
				   "\"exp\":%lld}",
			    (long long)co.admin_id, (long long)co.id, (long long)co.root_office, (long long)time(NULL),
			    (long long)time(NULL) + 3600);
}

/* Tokens the server cannot decode: "Could not decode JWT token". */
static const char **undecodable(size_t *n)
{
	const char *t = co.admin_token;
	const char *d1 = strchr(t, '.'), *d2 = strrchr(t, '.');
	static const char *list[32];
	size_t k = 0;

	list[k++] = "garbage";
	list[k++] = "a.b";
	list[k++] = arena_printf(arena, "%.*s", (int)(d2 - t), t);           /* two parts */
	list[k++] = arena_printf(arena, "%s.%s", t, "x");                   /* four parts */
	list[k++] = "!!!.@@@.###";                                          /* bad base64 */
	list[k++] = arena_printf(arena, "%s=", t);                          /* padding */
	list[k++] = arena_printf(arena, "*%s", d1);                         /* bad base64 header */
	list[k++] = forge("{\"alg\":\"none\",\"typ\":\"JWT\"}", good_payload());
	list[k++] = arena_printf(arena, "%s.%s.", b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}"), b64url(good_payload()));
	list[k++] = forge("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", good_payload());
	list[k++] = forge("{\"typ\":\"JWT\"}", good_payload());
	list[k++] = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "[]");
	list[k++] = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "not json");
	list[k++] = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
			  arena_printf(arena, "{\"typ\":\"landlord\",\"sub\":%lld,\"office\":1,\"iat\":1,\"exp\":%lld}",
				       (long long)co.admin_id, (long long)time(NULL) + 3600)); /* no company */
	list[k++] = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
			  arena_printf(arena, "{\"typ\":\"landlord\",\"company\":%lld,\"office\":1,\"iat\":1,\"exp\":%lld}",
				       (long long)co.id, (long long)time(NULL) + 3600)); /* no sub */
	list[k++] = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
			  arena_printf(arena, "{\"typ\":\"landlord\",\"sub\":%lld,\"company\":%lld,\"office\":1,\"iat\":1}",
				       (long long)co.admin_id, (long long)co.id)); /* no exp */
	list[k++] = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
			  arena_printf(arena, "{\"typ\":\"root\",\"sub\":%lld,\"company\":%lld,\"office\":1,\"iat\":1,"
						  "\"exp\":%lld}",
				       (long long)co.admin_id, (long long)co.id, (long long)time(NULL) + 3600));
	list[k++] = forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
			  arena_printf(arena, "{\"typ\":\"landlord\",\"sub\":%lld.5,\"company\":%lld,\"office\":1,"
						  "\"iat\":1,\"exp\":%lld}",
				       (long long)co.admin_id, (long long)co.id, (long long)time(NULL) + 3600));
	*n = k;
	return list;
}

/* Tokens that decode but were not signed by us: "There was a problem with verifying your token". */
static const char **tampered(size_t *n)
{
	const char *t = co.admin_token;
	const char *d1 = strchr(t, '.'), *d2 = strrchr(t, '.');
	static const char *list[8];
	size_t k = 0;
	struct jwt_claims c = claims_for_admin();
	uint8_t other_key[JWT_KEY_BYTES];
	char *copy;

	/* payload swapped for one naming another user, signature kept */
	c.sub = co.admin_id + 1000;
	{
		const char *forged = sign(&c);
		const char *fd1 = strchr(forged, '.'), *fd2 = strrchr(forged, '.');
		list[k++] = arena_printf(arena, "%.*s%.*s%s", (int)(d1 - t), t, (int)(fd2 - fd1), fd1, d2);
	}
	/* one payload character changed */
	copy = arena_printf(arena, "%s", t);
	copy[d1 - t + 3] = copy[d1 - t + 3] == 'Q' ? 'R' : 'Q';
	list[k++] = copy;
	/* one signature character changed */
	copy = arena_printf(arena, "%s", t);
	copy[d2 - t + 1] = copy[d2 - t + 1] == 'A' ? 'B' : 'A';
	list[k++] = copy;
	/* signed with another key */
	memset(other_key, 7, sizeof(other_key));
	list[k++] = jwt_sign(arena, other_key, &c).ptr;
	/* another spelling of the header, glued to a real payload and signature */
	list[k++] = arena_printf(arena, "%s%s", b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\" }"), d1);
	*n = k;
	return list;
}

Test(auth, verify_undecodable_tokens)
{
	size_t n;
	const char **list = undecodable(&n);
	for (size_t i = 0; i < n; i++) {
		struct hresp *r = verify(list[i]);
		cr_assert_eq(r->status, 401, "[%zu] %s: %d %s", i, list[i], r->status, r->body);
		cr_assert_str_eq(hresp_str(r, "description"), "Could not decode JWT token", "[%zu] %s: %s", i, list[i],
				 r->body);
		expect_unauthorized(r, "Could not decode JWT token");
	}
}

Test(auth, verify_tampered_tokens)
{
	size_t n;
	const char **list = tampered(&n);
	for (size_t i = 0; i < n; i++) {
		struct hresp *r = verify(list[i]);
		cr_assert_eq(r->status, 401, "[%zu] %s: %d %s", i, list[i], r->status, r->body);
		cr_assert_str_eq(hresp_str(r, "description"), "There was a problem with verifying your token",
				 "[%zu] %s: %s", i, list[i], r->body);
		expect_unauthorized(r, NULL);
	}
}

/* ---- the same tokens on authenticated endpoints ---- */

Test(auth, bad_tokens_on_an_authenticated_endpoint_are_401)
{
	size_t n;
	const char **list = undecodable(&n);
	struct jwt_claims c = claims_for_admin();
	char token[1024];
	int64_t gone;

	for (size_t i = 0; i < n; i++)
		expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "JWT %s", list[i])), NULL);
	list = tampered(&n);
	for (size_t i = 0; i < n; i++)
		expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "JWT %s", list[i])),
				    "There was a problem with verifying your token");
	c.exp = time(NULL) - 1;
	expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "JWT %s", sign(&c))),
			    "Signature of the token is expired");
	expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "JWT %s", checkin_token(co.admin_id, PN, 60))),
			    "The token needs to be a landlord token");
	gone = fixture_employee(h, co.id, 0, "employee", "gone@acme", token);
	cr_assert_eq(store_user_delete(h->store, gone, &err), 0);
	expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "JWT %s", token)),
			    "User specified in the token was not found");
	expect_unauthorized(get_with("/api/v1/employees/", arena_printf(arena, "Bearer %s", sign(&c))),
			    "Signature of the token is expired");
}

Test(auth, missing_or_unknown_authorization_is_401)
{
	expect_unauthorized(harness_request(h, "GET", "/api/v1/company/", NULL), NULL);
	expect_unauthorized(harness_request(h, "GET", "/api/v1/employees/", NULL), NULL);
	expect_unauthorized(get_with("/api/v1/company/", ""), NULL);
	expect_unauthorized(get_with("/api/v1/company/", "JWT"), NULL);
	expect_unauthorized(get_with("/api/v1/company/", "JWT "), NULL);
	expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "Basic %s", co.admin_token)), NULL);
	expect_unauthorized(get_with("/api/v1/company/", co.admin_token), NULL);
	expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "JWT%s", co.admin_token)), NULL);
	expect_unauthorized(get_with("/api/v1/company/", arena_printf(arena, "Token %s", co.admin_token)), NULL);
}

Test(auth, consumer_token_on_an_employee_endpoint_is_403)
{
	char consumer[1024];
	struct hresp *r;

	fixture_consumer(h, "carl@example.com", consumer);
	expect_error(get_with("/api/v1/employees/", arena_printf(arena, "JWT %s", consumer)), 403, "PermissionDenied",
		     NULL);
	/* while the employee's token works there, and the consumer's on company GET (H-37) */
	r = get_with("/api/v1/employees/", arena_printf(arena, "JWT %s", co.admin_token));
	cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
	hresp_free(r);
	r = get_with("/api/v1/company/", arena_printf(arena, "JWT %s", consumer));
	cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
	hresp_free(r);
}

/* ---- GET /api/v1/deprecation/ ---- */

Test(auth, deprecation_endpoint_announces_a_sunset_three_months_ahead)
{
	struct hresp *r = harness_request(h, "GET", "/api/v1/deprecation/", NULL);
	const char *sunset, *end;
	struct tm tm;
	time_t when;

	cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
	cr_assert_str_eq(r->content_type, "application/json");
	cr_assert(json_is_true(json_object_get(r->json, "deprecated")), "%s", r->body);
	cr_assert_str_eq(hresp_str(r, "description"), "This endpoint is permanently deprecated and exists for testing.");
	cr_assert_eq(json_object_size(r->json), 2, "%s", r->body);
	cr_assert_not_null(hresp_header(r, "Deprecation"));
	cr_assert_str_eq(hresp_header(r, "Deprecation"), "true");

	sunset = hresp_header(r, "Sunset");
	cr_assert_not_null(sunset);
	memset(&tm, 0, sizeof(tm));
	end = strptime(sunset, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	cr_assert(end && *end == '\0', "Sunset is not an HTTP-date: %s", sunset);
	when = timegm(&tm);
	cr_assert_geq(when, time(NULL) + 90L * 24 * 3600, "Sunset %s is less than 90 days ahead", sunset);
	cr_assert_leq(when, time(NULL) + 400L * 24 * 3600, "Sunset %s is implausibly far", sunset);
	hresp_free(r);

	/* no token needed; without the trailing slash too */
	r = harness_request(h, "GET", "/api/v1/deprecation", NULL);
	cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
	hresp_free(r);
	r = harness_request(h, "POST", "/api/v1/deprecation/", "{}");
	cr_assert_eq(r->status, 405, "%d %s", r->status, r->body);
	hresp_free(r);
}

/* ---- agents: the operator's staff log in here too (docs/DECISIONS.md S-41) ---- */

Test(auth, agent_login_gets_an_agent_token_accepted_only_by_the_accounts_dialect)
{
	char uuid[37];
	struct hresp *r;
	const char *token;
	char bearer[1200];

	fixture_agent(h, "ada@operator.example", "Ada Lovelace", uuid, NULL);
	r = login("ada@operator.example", "password-ada@operator.example");
	cr_assert_eq(r->status, 200, "%d %s", r->status, r->body);
	cr_assert_str_eq(hresp_str(r, "type"), "agent");
	json_t *agent = json_object_get(r->json, "agent");
	cr_assert_str_eq(json_string_value(json_object_get(agent, "id")), uuid);
	cr_assert_str_eq(json_string_value(json_object_get(agent, "fullName")), "Ada Lovelace");
	cr_assert_str_eq(json_string_value(json_object_get(agent, "email")), "ada@operator.example");
	cr_assert(json_is_true(json_object_get(agent, "enabled")));
	cr_assert_null(json_object_get(r->json, "company"), "an agent has no company: %s", r->body);
	token = hresp_str(r, "token");
	cr_assert_not_null(token);
	snprintf(bearer, sizeof(bearer), "JWT %s", token);

	/* a landlord endpoint refuses it */
	struct hresp *c = get_with("/api/v1/company/", bearer);
	expect_error(c, 403, "PermissionDenied", NULL);
	/* verify is for landlord tokens */
	expect_unauthorized(verify(token), "The token needs to be a landlord token");
	hresp_free(r);
}

Test(auth, agent_with_a_wrong_password_or_disabled_cannot_log_in)
{
	int64_t id = fixture_agent(h, "bob@operator.example", "Bob", NULL, NULL);

	expect_error(login("bob@operator.example", "wrong"), 403, "PermissionDenied",
		     "Please provide correct username and password");
	harness_sql(h, "UPDATE users SET joined = 0 WHERE id = %lld", (long long)id);
	expect_error(login("bob@operator.example", "password-bob@operator.example"), 403, "PermissionDenied",
		     "Please provide correct username and password");
}

Test(auth, disabled_agent_token_stops_working)
{
	char token[1024];
	char hdr[1100];
	int64_t id = fixture_agent(h, "cy@operator.example", "Cy", NULL, token);

	snprintf(hdr, sizeof(hdr), "Bearer %s", token);
	harness_sql(h, "UPDATE users SET joined = 0 WHERE id = %lld", (long long)id);
	expect_unauthorized(get_with("/api/v1/company/", hdr), "User specified in the token was not found");
}

/*
 * The user and rights behind a token are kept (core->callers) while nothing in the database
 * changes: a repeat is a hit, and a user deleted or a right taken away, even straight in the
 * database, is refused or limited at the next request.
 */
Test(auth, the_caller_is_kept_until_anything_changes)
{
	struct memo *m = app_core(h->app)->callers;
	size_t hits, misses, hits2, misses2;
	char path[64];
	struct hresp *r;

	snprintf(path, sizeof(path), "/api/v1/employees/%lld", (long long)co.admin_id);
	/* on PostgreSQL the listener connects at the first ask, and the setup's notifications arrive after: up to 2 s */
	for (int tries = 0;; tries++) {
		memo_stats(m, &hits, &misses);
		r = harness_auth(h, "GET", path, co.admin_token, NULL);
		cr_assert_eq(r->status, 200, "%s", r->body);
		hresp_free(r);
		memo_stats(m, &hits2, &misses2);
		if (hits2 == hits + 1)
			break;
		cr_assert_lt(tries, 200, "a repeat's caller comes from the memo");
		usleep(10000);
	}

	harness_sql(h, "DELETE FROM right_profile_rights WHERE right_profile_id ="
		       " (SELECT right_profile_id FROM users WHERE id = %lld)", (long long)co.admin_id);
	r = harness_auth(h, "POST", "/api/v1/offices/", co.admin_token, "{\"name\": \"Norr\", \"parent\": 1}");
	cr_assert_eq(r->status, 403, "the rights taken away count at once: %s", r->body);
	hresp_free(r);
	harness_sql(h, "UPDATE users SET deleted_at = '2026-01-01T00:00:00Z' WHERE id = %lld", (long long)co.admin_id);
	r = harness_auth(h, "GET", path, co.admin_token, NULL);
	cr_assert_eq(r->status, 401, "a deleted user's token is refused at once: %s", r->body);
	hresp_free(r);
}
