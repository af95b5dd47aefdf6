/* Project interest sign-ups and the landlord's list of them (project_interest.h). */
#include "core/listings/project_interest.h"

#include <sodium.h>
#include <string.h>

#include "core/accounts/notify.h"
#include "core/identity/ratelimit.h"
#include "core/identity/rights.h"
#include "core/listings/project_interest_events.h"
#include "core/transaction.h"
#include "store/identity/store_org.h"

/* atext of RFC 5322 plus the dots between atoms */
static bool local_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr(".!#$%&'*+/=?^_`{|}~-", ch));
}

static bool local_ok(struct str s)
{
	if (s.len == 0 || s.len > INTEREST_LOCAL_MAX || s.ptr[0] == '.' || s.ptr[s.len - 1] == '.')
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!local_char(s.ptr[i]) || (s.ptr[i] == '.' && i + 1 < s.len && s.ptr[i + 1] == '.'))
			return false;
	return true;
}

/* Host names of letters, digits and inner hyphens (IDN domains in their xn-- form), two labels at least. */
static bool domain_ok(struct str s)
{
	size_t label = 0, labels = 1;

	if (s.len == 0 || s.len > 253)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.ptr[i];
		if (ch == '.') {
			if (label == 0 || s.ptr[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
		if ((ch == '-' && label == 0) || ++label > 63)
			return false;
	}
	return labels >= 2 && label > 0 && s.ptr[s.len - 1] != '-';
}

bool project_interest_email_ok(struct str s)
{
	const char *at = s.len ? memrchr(s.ptr, '@', s.len) : NULL;

	if (!at || s.len > INTEREST_EMAIL_MAX)
		return false;
	return local_ok((struct str){ s.ptr, (size_t)(at - s.ptr) }) &&
	       domain_ok((struct str){ at + 1, s.len - (size_t)(at - s.ptr) - 1 });
}

int project_interest_page(struct core *c, struct arena *a, int64_t project_id, struct interest_project *out,
			  struct error *err)
{
	if (store_interest_project(c->store, a, project_id, out, err) < 0)
		return -1;
	/* a draft or a finished project collects no addresses and is not shown to the public */
	if (!out->published || out->closed)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such project");
	return 0;
}

static void check_fields(struct str email, int consent, struct error *err)
{
	if (email.len == 0)
		error_field(err, "email", RULE_REQUIRED, "an e-mail address is required");
	else if (email.len > INTEREST_EMAIL_MAX)
		error_field(err, "email", RULE_LENGTH, "must have at most %d characters", INTEREST_EMAIL_MAX);
	else if (!project_interest_email_ok(email))
		error_field(err, "email", RULE_FORMAT, "must be an e-mail address such as name@example.se");
	if (consent < 0)
		error_field(err, "consent", RULE_REQUIRED, "consent is required to store the address");
	else if (consent == 0)
		error_field(err, "consent", RULE_ENUM, "must be given (true): the address is stored only with consent");
}

/* The signed-in consumer, when the address is theirs: the event may name them. */
static void person_of(const struct interest_signup *in, struct str email, struct interest_person *out)
{
	const struct user *u = in->person;

	memset(out, 0, sizeof(*out));
	if (!u || u->kind != USER_CONSUMER || !(str_case_eq(u->email, email) || str_case_eq(u->username, email)))
		return;
	out->user_id = u->id;
	out->first_name = u->first_name;
	out->last_name = u->last_name;
	out->ssn = u->personal_number;
}

static int signup_rows(struct core *c, struct arena *a, int64_t project_id, const struct interest_signup *in,
		       struct str email, struct interest_project *project, struct error *err)
{
	char *key = arena_alloc(a, email.len + 1);
	char token[NOTIFY_TOKEN_LEN + 1];
	int64_t us = core_now_us();
	struct interest_person who;
	struct interest_add add;
	const char *link = NULL;
	bool created;
	int64_t id;
	int rc;

	/* looked up again inside the transaction: the project may have closed meanwhile */
	if (project_interest_page(c, a, project_id, project, err) < 0)
		return -1;
	for (size_t i = 0; i < email.len; i++)
		key[i] = email.ptr[i] >= 'A' && email.ptr[i] <= 'Z' ? (char)(email.ptr[i] - 'A' + 'a') : email.ptr[i];
	key[email.len] = '\0';
	person_of(in, email, &who);
	notify_token_new(token);
	memset(&add, 0, sizeof(add));
	add.project_id = project_id;
	add.email = email;
	add.email_key = (struct str){ key, email.len };
	add.user_id = who.user_id;
	add.token_hash = notify_token_hash(a, str_from_cstr(token));
	add.now = us / 1000000;
	rc = store_interest_add(c->store, &add, &id, &created, err);
	if (rc == 0 && created)
		link = arena_printf(a, "%s%s?token=%s&lang=%s", c->public_url ? c->public_url : "",
				    INTEREST_UNSUBSCRIBE_PATH, token,
				    in->locale.len >= 2 && strncmp(in->locale.ptr, "sv", 2) == 0 ? "sv" : "en");
	sodium_memzero(token, sizeof(token));
	/* a repeated sign-up only renewed its consent: no new follow, nothing to tell */
	if (rc < 0 || !created)
		return rc;
	if (interest_event_append(c, a, project, email, &who, INTEREST_SUBSCRIBED, us, err) < 0)
		return -1;
	return notify_interest(c, a, project->company_id, email, in->locale, project->name, project->company_name,
			       str_from_cstr(link), err);
}

int project_interest_signup(struct core *c, struct arena *a, struct str client_addr, int64_t project_id,
			    const struct interest_signup *in, struct interest_project *project, struct error *err)
{
	struct str email = str_trim(in->email);
	struct str key = str_from_cstr(arena_printf(a, "interest:addr:%.*s", STR_FMT(client_addr)));

	memset(project, 0, sizeof(*project));
	/* every attempt counts, refused ones too: they cost as much and probe as much */
	if (ratelimit_hit(c, key, RATELIMIT_INTEREST_LIMIT, RATELIMIT_INTEREST_WINDOW, err) < 0)
		return -1;
	if (project_interest_page(c, a, project_id, project, err) < 0)
		return -1;
	check_fields(email, in->consent, err);
	if (error_failed(err))
		return -1;
	IN_TRANSACTION(c, err, signup_rows(c, a, project_id, in, email, project, err));
	if (c->jobs_wake)
		c->jobs_wake(c->jobs_wake_arg);
	return 0;
}

/* ---- unsubscribing ---- */

static int find_token(struct core *c, struct arena *a, struct str token, struct interest_subscription *out,
		      struct error *err)
{
	if (!token.ptr || token.len == 0)
		return error_field(err, "token", RULE_REQUIRED, "the token of the unsubscribe link is required");
	if (!notify_token_shaped(token))
		return error_field(err, "token", RULE_FORMAT,
				   "must be the %d-character token of an unsubscribe link, as it is in the link",
				   NOTIFY_TOKEN_LEN);
	if (store_interest_by_token(c->store, a, notify_token_hash(a, token), out, err) < 0) {
		if (err->kind == ERROR_NOT_FOUND) {
			error_forget(err);
			return error_set(err, ERROR_NOT_FOUND, NULL,
					 "No sign-up has this unsubscribe token: it has been used already, or the "
					 "address is no longer on the list.");
		}
		return -1;
	}
	return 0;
}

static void unsubscribe_out(const struct interest_subscription *s, struct interest_unsubscribe *out)
{
	out->email = s->email;
	out->project = s->project;
}

int project_interest_unsubscribe_check(struct core *c, struct arena *a, struct str token,
				       struct interest_unsubscribe *out, struct error *err)
{
	struct interest_subscription s;

	memset(out, 0, sizeof(*out));
	if (find_token(c, a, token, &s, err) < 0)
		return -1;
	unsubscribe_out(&s, out);
	return 0;
}

static int unsubscribe_rows(struct core *c, struct arena *a, struct str token, struct interest_unsubscribe *out,
			    struct error *err)
{
	struct interest_subscription s;
	struct interest_person who;
	bool deleted;

	if (find_token(c, a, token, &s, err) < 0)
		return -1;
	if (store_interest_remove(c->store, s.id, &deleted, err) < 0)
		return -1;
	if (!deleted) /* another request used the link a moment ago: it recorded the event */
		return error_set(err, ERROR_NOT_FOUND, NULL, "No sign-up has this unsubscribe token: it has been used already.");
	memset(&who, 0, sizeof(who));
	who.user_id = s.user_id;
	who.first_name = s.first_name;
	who.last_name = s.last_name;
	who.ssn = s.ssn;
	unsubscribe_out(&s, out);
	return interest_event_append(c, a, &s.project, s.email, &who, INTEREST_UNSUBSCRIBED, core_now_us(), err);
}

int project_interest_unsubscribe(struct core *c, struct arena *a, struct str token, struct interest_unsubscribe *out,
				 struct error *err)
{
	memset(out, 0, sizeof(*out));
	IN_TRANSACTION(c, err, unsubscribe_rows(c, a, token, out, err));
	return 0;
}

int project_interest_list(struct core *c, struct arena *a, const struct caller *who, int64_t project_id,
			  int64_t offset, int64_t amount, struct project_interest **out, size_t *n, int64_t *total,
			  struct error *err)
{
	struct interest_project p;
	struct office o;

	*n = 0;
	*total = 0;
	if (who->kind != CALLER_EMPLOYEE)
		return error_set(err, ERROR_FORBIDDEN, "PermissionDenied", "This endpoint needs an employee token.");
	if (caller_require_right(who, RIGHT_PROJECT_UPDATE, err) < 0)
		return -1;
	if (store_interest_project(c->store, a, project_id, &p, err) < 0)
		return -1;
	if (p.company_id != who->user.company_id)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such project");
	if (store_office_get(c->store, a, p.company_id, p.office_id, &o, err) < 0)
		return -1;
	if (!caller_sees_path(who, o.path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such project");
	return store_interest_list(c->store, a, project_id, offset, amount, out, n, total, err);
}
