/*
 * market_applicants.c — applicants in the market dialect (Momentum v2).
 *
 *   POST  /v2/applicants                          register (decisions: our path; no public one)
 *   POST  /v2/auth                                embedded sign-in, method "password" (B.6, M-34)
 *   POST  /v2/auth/logout                         sign-out (B.3)
 *   GET   /v2/market/applicant                    registered, role, queues with commands (B.4)
 *   GET   /v2/market/applicant/status             queue points, F1 dates (B.3)
 *   GET   /v2/market/applicant/profile            the profile (the fields of the seed's form)
 *   PATCH /v2/market/applicant/profile            edit it (PUT the same)
 *   POST  /v2/market/applicant/queues/{queueId}   {"command": "join" | "leave"} (B.4 commands)
 *
 * Errors are M-28's {"code","message"[,"field"]}; a refused queue command adds "checklist".
 */
#include <string.h>

#include "dialects/dialects.h"
#include "dialects/market.h"

#define NAME_MAX_LEN 100
#define EMAIL_MAX_LEN 254
#define PHONE_MAX_LEN 32
#define PERSONAL_NUMBER_MAX_LEN 13
#define INCOME_MAX APPLICANT_INCOME_MAX
#define CHALLENGE_MIN 43 /* RFC 7636: an S256 challenge is 43 base64url characters */
#define CHALLENGE_MAX 128

/* ---- the profile: reading ---- */

/* An optional string: set → *out, null → "" (cleared), absent → unchanged. */
static void opt_str(struct jr *r, const char *key, size_t max, struct str *out)
{
	struct str v;
	int rc = jr_string(r, key, JR_NULLABLE, 0, max, &v);
	if (rc == JR_SET)
		*out = str_trim(v);
	else if (rc == JR_NULL)
		*out = STR_LIT("");
}

static void opt_enum(struct jr *r, const char *key, const char *const *values, struct str *out)
{
	int i;
	int rc = jr_enum(r, key, JR_NULLABLE, values, &i);
	if (rc == JR_SET)
		*out = str_from_cstr(values[i]);
	else if (rc == JR_NULL)
		*out = STR_LIT("");
}

static void opt_bool(struct jr *r, const char *key, bool *out)
{
	bool v;
	if (jr_bool(r, key, 0, &v) == JR_SET)
		*out = v;
}

/* credit{paymentRemarks, bankruptcy, outstandingDebt, debtSanitization} over c; null: all clear. */
static void read_credit(struct jr *r, struct applicant_credit *c)
{
	struct jr o;
	int64_t n;
	int rc = jr_object(r, "credit", JR_NULLABLE, &o);

	if (rc == JR_NULL) {
		memset(c, 0, sizeof(*c));
	} else if (rc == JR_SET) {
		if (jr_int(&o, "paymentRemarks", 0, 0, APPLICANT_PAYMENT_REMARKS_MAX, &n) == JR_SET)
			c->payment_remarks = n;
		opt_bool(&o, "bankruptcy", &c->bankruptcy);
		opt_bool(&o, "outstandingDebt", &c->outstanding_debt);
		opt_bool(&o, "debtSanitization", &c->debt_sanitization);
	}
}

/*
 * household.childrenBirthYears: an array of years, stored as "2015,2019" (null or []: none).
 * Sent without household.children, it sets the number of children too; core checks the range.
 */
static void read_children_years(struct ctx *ctx, struct jr *household, bool children_sent,
				struct applicant_profile *p)
{
	json_t *arr, *v;
	size_t i, at = 0;
	char *out;
	int rc = jr_array(household, "childrenBirthYears", JR_NULLABLE, APPLICANT_CHILDREN_MAX, &arr);

	if (rc == JR_NULL) {
		p->children_birth_years = STR_LIT("");
		return;
	}
	if (rc != JR_SET)
		return;
	out = arena_alloc(ctx->req->arena, json_array_size(arr) * 5 + 1);
	out[0] = '\0';
	json_array_foreach(arr, i, v) {
		json_int_t y = json_is_integer(v) ? json_integer_value(v) : -1;
		if (y < 1000 || y > 9999) {
			error_field(ctx->err, arena_printf(ctx->req->arena, "%s[%zu]", jr_path(household, "childrenBirthYears"), i),
				    json_is_integer(v) ? RULE_RANGE : RULE_TYPE, "expected a four-digit year");
			return;
		}
		at += (size_t)snprintf(out + at, 6, "%s%04d", i ? "," : "", (int)y);
	}
	p->children_birth_years = str_from_cstr(out);
	if (!children_sent)
		p->children = (int64_t)json_array_size(arr);
}

/*
 * The members of the profile over f (absent members keep f's values: PATCH). At registration
 * (reg) email, firstName and lastName are required; core checks the rest (age, dates, the
 * personal number).
 */
static void read_fields(struct ctx *ctx, struct jr *r, struct applicant_fields *f, bool reg)
{
	struct applicant_profile *p = &f->profile;
	struct jr income, household, co, acc, warrantor;
	int64_t n;
	int rc;

	if (reg)
		jr_string(r, "email", JR_REQUIRED, 3, EMAIL_MAX_LEN, &f->email);
	jr_string(r, "firstName", reg ? JR_REQUIRED : 0, 1, NAME_MAX_LEN, &f->first_name);
	jr_string(r, "lastName", reg ? JR_REQUIRED : 0, 1, NAME_MAX_LEN, &f->last_name);
	opt_str(r, "phone", PHONE_MAX_LEN, &f->phone);
	opt_str(r, "personalNumber", PERSONAL_NUMBER_MAX_LEN, &f->personal_number);
	opt_str(r, "birthDate", 10, &p->birth_date);
	if (jr_object(r, "income", JR_NULLABLE, &income) == JR_SET) {
		if (jr_int(&income, "gross", 0, 0, INCOME_MAX, &n) == JR_SET)
			p->gross_income = n;
		opt_enum(&income, "source", applicant_income_sources, &p->income_source);
	}
	opt_enum(r, "occupation", applicant_occupations, &p->occupation);
	if (jr_object(r, "household", JR_NULLABLE, &household) == JR_SET) {
		bool children_sent;
		if (jr_int(&household, "adults", 0, 1, 20, &n) == JR_SET)
			p->adults = n;
		children_sent = jr_int(&household, "children", 0, 0, APPLICANT_CHILDREN_MAX, &n) == JR_SET;
		if (children_sent)
			p->children = n;
		read_children_years(ctx, &household, children_sent, p);
		rc = jr_object(&household, "coApplicant", JR_NULLABLE, &co);
		if (rc == JR_NULL) {
			p->co_applicant_name = p->co_applicant_birth_date = STR_LIT("");
			p->co_applicant_income_source = p->co_applicant_occupation = STR_LIT("");
			p->co_applicant_income = 0;
			memset(&p->co_applicant_credit, 0, sizeof(p->co_applicant_credit));
		} else if (rc == JR_SET) {
			opt_str(&co, "name", 2 * NAME_MAX_LEN, &p->co_applicant_name);
			opt_str(&co, "birthDate", 10, &p->co_applicant_birth_date);
			if (jr_int(&co, "income", 0, 0, INCOME_MAX, &n) == JR_SET)
				p->co_applicant_income = n;
			opt_enum(&co, "incomeSource", applicant_income_sources, &p->co_applicant_income_source);
			opt_enum(&co, "occupation", applicant_occupations, &p->co_applicant_occupation);
			read_credit(&co, &p->co_applicant_credit);
		}
	}
	if (jr_object(r, "accommodation", JR_NULLABLE, &acc) == JR_SET)
		opt_enum(&acc, "type", applicant_accommodations, &p->accommodation);
	opt_bool(r, "pets", &p->pets);
	opt_bool(r, "smoking", &p->smoking);
	read_credit(r, &p->credit);
	if (jr_int(r, "moves", 0, 0, APPLICANT_MOVES_MAX, &n) == JR_SET)
		p->moves = n;
	rc = jr_object(r, "warrantor", JR_NULLABLE, &warrantor);
	if (rc == JR_NULL) {
		p->has_warrantor = false;
	} else if (rc == JR_SET) {
		p->has_warrantor = true;
		if (jr_int(&warrantor, "income", 0, 0, INCOME_MAX, &n) == JR_SET)
			p->warrantor_income = n;
		read_credit(&warrantor, &p->warrantor_credit);
	}
}

/* ---- the profile: writing ---- */

static void kv_opt(struct jw *w, const char *key, struct str v)
{
	if (v.len)
		jw_kv_str(w, key, v);
}

static void write_credit(struct jw *w, const struct applicant_credit *c)
{
	jw_key(w, "credit");
	jw_object_begin(w);
	jw_kv_int(w, "paymentRemarks", c->payment_remarks);
	jw_kv_bool(w, "bankruptcy", c->bankruptcy);
	jw_kv_bool(w, "outstandingDebt", c->outstanding_debt);
	jw_kv_bool(w, "debtSanitization", c->debt_sanitization);
	jw_object_end(w);
}

static void write_profile(struct jw *w, const struct user *u, const struct applicant_profile *p)
{
	int years[APPLICANT_CHILDREN_MAX];
	int nyears = applicant_children_years(p->children_birth_years, years);

	jw_object_begin(w);
	jw_key(w, "id");
	market_id(w, u->id);
	jw_kv_str(w, "email", u->email);
	jw_kv_str(w, "firstName", u->first_name);
	jw_kv_str(w, "lastName", u->last_name);
	kv_opt(w, "personalNumber", u->personal_number);
	kv_opt(w, "birthDate", p->birth_date);
	kv_opt(w, "phone", u->phone);
	jw_key(w, "income");
	jw_object_begin(w);
	jw_kv_int(w, "gross", p->gross_income);
	kv_opt(w, "source", p->income_source);
	jw_object_end(w);
	kv_opt(w, "occupation", p->occupation);
	jw_key(w, "household");
	jw_object_begin(w);
	jw_kv_int(w, "adults", p->adults);
	jw_kv_int(w, "children", p->children);
	jw_key(w, "childrenBirthYears");
	jw_array_begin(w);
	for (int i = 0; i < nyears; i++)
		jw_int(w, years[i]);
	jw_array_end(w);
	if (p->co_applicant_name.len) {
		jw_key(w, "coApplicant");
		jw_object_begin(w);
		jw_kv_str(w, "name", p->co_applicant_name);
		kv_opt(w, "birthDate", p->co_applicant_birth_date);
		jw_kv_int(w, "income", p->co_applicant_income);
		kv_opt(w, "incomeSource", p->co_applicant_income_source);
		kv_opt(w, "occupation", p->co_applicant_occupation);
		write_credit(w, &p->co_applicant_credit);
		jw_object_end(w);
	}
	jw_object_end(w);
	if (p->accommodation.len) {
		jw_key(w, "accommodation");
		jw_object_begin(w);
		jw_kv_str(w, "type", p->accommodation);
		jw_object_end(w);
	}
	jw_kv_bool(w, "pets", p->pets);
	jw_kv_bool(w, "smoking", p->smoking);
	write_credit(w, &p->credit);
	jw_kv_int(w, "moves", p->moves);
	if (p->has_warrantor) {
		jw_key(w, "warrantor");
		jw_object_begin(w);
		jw_kv_int(w, "income", p->warrantor_income);
		write_credit(w, &p->warrantor_credit);
		jw_object_end(w);
	}
	jw_object_end(w);
}

/* ---- registration ---- */

static int post_applicants(struct ctx *ctx)
{
	struct applicant_registration *reg = ctx_async_state(ctx);
	struct applicant ap;
	int64_t id;

	if (!reg) {
		struct jr r;
		reg = arena_calloc(ctx->req->arena, 1, sizeof(*reg));
		reg->f.profile.adults = 1;
		if (market_body(ctx, &r) < 0)
			return -1;
		read_fields(ctx, &r, &reg->f, true);
		jr_string(&r, "password", JR_REQUIRED, 0, APPLICANT_PASSWORD_MAX, &reg->password);
		if (error_failed(ctx->err))
			return -1;
		if (applicant_register_begin(ctx->core, ctx->req->arena, reg, ctx->err) < 0)
			return -1;
		return ctx_suspend(ctx, reg, &reg->job);
	}
	if (applicant_register_finish(ctx->core, ctx->req->arena, reg, &id, ctx->err) < 0)
		return -1;
	if (applicant_get(ctx->core, ctx->req->arena, id, &ap, ctx->err) < 0)
		return -1;
	response_header(ctx->resp, "Location", STR_LIT("/v2/market/applicant/profile"));
	write_profile(ctx_json(ctx, 201), &ap.user, &ap.profile);
	return 0;
}

/* ---- sign-in and sign-out ---- */

static bool base64url(struct str s)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.' || c == '~'))
			return false;
	}
	return true;
}

/* {"completed": {"accessToken"[, "refreshToken"]}} (B.6, M-34) */
static void write_completed(struct ctx *ctx, struct str token, struct str refresh)
{
	struct jw *w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "completed");
	jw_object_begin(w);
	jw_kv_str(w, "accessToken", token);
	if (refresh.ptr)
		jw_kv_str(w, "refreshToken", refresh);
	jw_object_end(w);
	jw_object_end(w);
}

/* The sign-in in progress: the login and whether a refresh token was asked for. */
struct auth_state {
	struct login login; /* first: its job is the pool job */
	bool refresh;
};

static int post_auth(struct ctx *ctx)
{
	static const char *const methods[] = { "password", "refreshToken", NULL };
	static const char *const challenge_methods[] = { "S256", NULL };
	struct auth_state *st = ctx_async_state(ctx);
	struct str token, refresh = STR_NULL;

	if (!st) {
		struct login_input in;
		struct jr r;
		struct str challenge = STR_NULL, ignored;
		int method = 0, cm = -1, crc, cmrc;
		bool want_refresh = false;

		memset(&in, 0, sizeof(in));
		if (market_body(ctx, &r) < 0)
			return -1;
		jr_enum(&r, "method", JR_REQUIRED, methods, &method);
		if (method == 1) {
			/* our refresh grant (decisions): key is the refresh token of an earlier sign-in */
			if (jr_string(&r, "key", JR_REQUIRED, 1, JWT_MAX_LEN, &in.password) != JR_SET || error_failed(ctx->err))
				return -1;
			if (applicant_refresh(ctx->core, ctx->req->arena, in.password, &token, &refresh, ctx->err) < 0)
				return -1;
			write_completed(ctx, token, refresh);
			return 0;
		}
		jr_string(&r, "identifier", JR_REQUIRED, 1, EMAIL_MAX_LEN, &in.username);
		jr_string(&r, "key", JR_REQUIRED, 1, APPLICANT_PASSWORD_MAX, &in.password);
		/* PKCE (B.6): checked where sent; S256 only */
		crc = jr_string(&r, "codeChallenge", JR_NULLABLE, CHALLENGE_MIN, CHALLENGE_MAX, &challenge);
		cmrc = jr_enum(&r, "codeChallengeMethod", JR_NULLABLE, challenge_methods, &cm);
		if (crc == JR_SET && !base64url(challenge))
			error_field(ctx->err, "codeChallenge", RULE_FORMAT, "must be base64url (RFC 7636)");
		if (crc == JR_SET && cmrc != JR_SET && cmrc != JR_INVALID)
			error_field(ctx->err, "codeChallengeMethod", RULE_REQUIRED, "must be S256 with a codeChallenge");
		if (cmrc == JR_SET && crc != JR_SET && crc != JR_INVALID)
			error_field(ctx->err, "codeChallenge", RULE_REQUIRED, "is required with codeChallengeMethod");
		jr_string(&r, "returnAddress", JR_NULLABLE, 0, 2048, &ignored);
		jr_string(&r, "nonce", JR_NULLABLE, 0, 256, &ignored);
		jr_string(&r, "state", JR_NULLABLE, 0, 1024, &ignored);
		jr_bool(&r, "requestRefreshToken", JR_NULLABLE, &want_refresh);
		if (error_failed(ctx->err))
			return -1;
		in.client_addr = ctx->req->client_addr;
		in.applicant = true;
		st = arena_calloc(ctx->req->arena, 1, sizeof(*st));
		st->refresh = want_refresh;
		if (login_begin(ctx->core, ctx->req->arena, &in, &st->login, ctx->err) < 0)
			return -1;
		return ctx_suspend(ctx, st, &st->login.job);
	}
	if (applicant_sign_in_finish(ctx->core, ctx->req->arena, &st->login, &token, st->refresh ? &refresh : NULL,
				     ctx->err) < 0) {
		/* M-34: a failed sign-in is 401 without "completed" (the landlord login's 403 is HomeQ's) */
		if (ctx->err->kind == ERROR_FORBIDDEN)
			return error_set(ctx->err, ERROR_UNAUTHORIZED, "Unauthorized", "Wrong identifier or key.");
		return -1;
	}
	write_completed(ctx, token, refresh);
	return 0;
}

static int post_auth_logout(struct ctx *ctx)
{
	struct applicant ap;
	struct jw *w;

	if (ctx->body && !json_is_object(ctx->body))
		return error_field(ctx->err, "", RULE_TYPE, "the body must be a JSON object");
	if (market_applicant(ctx, &ap) < 0)
		return -1;
	if (ap.registered && applicant_sign_out(ctx->core, &ctx->caller, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_object_end(w);
	return 0;
}

/* ---- the applicant and its queues ---- */

static void write_checklist(struct jw *w, const struct queue_command *cmd)
{
	jw_array_begin(w);
	for (size_t i = 0; i < cmd->nitems; i++) {
		jw_object_begin(w);
		jw_kv_bool(w, "passed", cmd->items[i].passed);
		jw_kv_cstr(w, "type", applicant_check_name(cmd->items[i].type));
		if (cmd->items[i].message)
			jw_kv_cstr(w, "message", cmd->items[i].message);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_block(struct jw *w, const struct applicant_block *b)
{
	jw_key(w, "block");
	jw_object_begin(w);
	jw_kv_str(w, "displayName", b->display_name);
	if (b->description.len)
		jw_kv_str(w, "displayDescription", b->description);
	jw_key(w, "blockedUntilDate");
	market_f3(w, b->blocked_until);
	jw_object_end(w);
}

/* One queue of GET /v2/market/applicant (B.4). */
static void write_queue(struct ctx *ctx, struct jw *w, const struct applicant *ap, const struct queue_type *q)
{
	const struct queue_membership *m = applicant_membership(ap, q->id);
	const struct applicant_block *b = applicant_block_for(ap, q->id);
	struct queue_command cmd;

	applicant_queue_command(ctx->req->arena, ap, q, m != NULL, market_language(ctx), &cmd);
	jw_object_begin(w);
	jw_kv_cstr(w, "id", q->id);
	jw_kv_cstr(w, "displayName", q->display_name);
	jw_kv_cstr(w, "description", q->description);
	if (m) {
		jw_key(w, "joined");
		market_f2(w, m->joined_at * 1000);
	}
	jw_kv_bool(w, "isMember", m != NULL);
	jw_kv_cstr(w, "value", arena_printf(ctx->req->arena, "%lld",
					    (long long)(m ? applicant_points(m->joined_at, ap->now) : 0)));
	jw_key(w, "valueUnit");
	jw_object_begin(w);
	jw_kv_cstr(w, "id", "point");
	jw_kv_cstr(w, "displayName", "Poäng");
	jw_object_end(w);
	jw_key(w, "commands");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kv_cstr(w, "command", m ? "leave" : "join");
	jw_kv_cstr(w, "displayName", m ? "Gå ur" : "Gå med");
	jw_key(w, "checklist");
	write_checklist(w, &cmd);
	jw_object_end(w);
	jw_array_end(w);
	if (b)
		write_block(w, b);
	jw_object_end(w);
}

static int get_applicant(struct ctx *ctx)
{
	struct applicant ap;
	struct jw *w;

	if (market_applicant(ctx, &ap) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	market_content_language(ctx, market_language(ctx));
	jw_object_begin(w);
	jw_kv_bool(w, "registered", ap.registered);
	if (ap.registered) {
		jw_key(w, "role");
		jw_object_begin(w);
		jw_key(w, "lastActive");
		market_f2(w, ap.profile.last_active_at * 1000);
		jw_key(w, "validTo");
		market_f2(w, applicant_valid_to(&ap) * 1000);
		jw_key(w, "deleteAfter");
		market_f2(w, applicant_delete_after(&ap) * 1000);
		jw_object_end(w);
	}
	jw_key(w, "queues");
	jw_array_begin(w);
	for (size_t i = 0; i < APPLICANT_QUEUE_COUNT; i++)
		write_queue(ctx, w, &ap, &applicant_queue_types[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int get_applicant_status(struct ctx *ctx)
{
	struct applicant ap;
	struct jw *w;

	if (market_applicant(ctx, &ap) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "queues");
	jw_array_begin(w);
	for (size_t i = 0; i < APPLICANT_QUEUE_COUNT; i++) {
		const struct queue_type *q = &applicant_queue_types[i];
		const struct queue_membership *m = applicant_membership(&ap, q->id);
		if (!m)
			continue;
		jw_object_begin(w);
		jw_kv_cstr(w, "displayName", q->display_name);
		jw_kv_cstr(w, "value",
			   arena_printf(ctx->req->arena, "%lld", (long long)applicant_points(m->joined_at, ap.now)));
		jw_kv_cstr(w, "valueUnitDisplayName", "Poäng");
		jw_key(w, "joined");
		market_f1(w, m->joined_at * 1000, true);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int get_profile(struct ctx *ctx)
{
	struct applicant ap;

	if (market_applicant(ctx, &ap) < 0)
		return -1;
	if (!ap.registered)
		return error_set(ctx->err, ERROR_NOT_FOUND, "NotRegistered", "You are not a registered applicant.");
	write_profile(ctx_json(ctx, 200), &ap.user, &ap.profile);
	return 0;
}

static int patch_profile(struct ctx *ctx)
{
	struct applicant ap;
	struct applicant_fields f;
	struct jr r;

	if (market_applicant(ctx, &ap) < 0 || market_body(ctx, &r) < 0)
		return -1;
	if (!ap.registered)
		return error_set(ctx->err, ERROR_NOT_FOUND, "NotRegistered", "You are not a registered applicant.");
	memset(&f, 0, sizeof(f));
	f.email = ap.user.email;
	f.first_name = ap.user.first_name;
	f.last_name = ap.user.last_name;
	f.phone = ap.user.phone;
	f.personal_number = ap.user.personal_number;
	f.profile = ap.profile;
	read_fields(ctx, &r, &f, false);
	if (json_object_get(ctx->body, "email"))
		error_field(ctx->err, "email", RULE_FORMAT, "the e-mail address is the sign-in identifier and cannot be changed here");
	if (error_failed(ctx->err))
		return -1;
	if (applicant_update(ctx->core, ctx->req->arena, &ap, &f, ctx->err) < 0 ||
	    applicant_get(ctx->core, ctx->req->arena, ap.user.id, &ap, ctx->err) < 0)
		return -1;
	write_profile(ctx_json(ctx, 200), &ap.user, &ap.profile);
	return 0;
}

/* POST /v2/market/applicant/queues/{queueId}: {"command": "join"} or {"command": {"type": "join"}}. */
static int post_queue_command(struct ctx *ctx)
{
	static const char *const commands[] = { "join", "leave", NULL };
	const struct queue_type *q = applicant_queue_type(route_param(&ctx->params, "queueId"));
	struct applicant ap;
	struct queue_command cmd;
	struct jr r, obj;
	int which = -1;
	struct jw *w;

	if (market_applicant(ctx, &ap) < 0 || market_body(ctx, &r) < 0)
		return -1;
	if (json_is_object(json_object_get(ctx->body, "command"))) {
		jr_object(&r, "command", 0, &obj);
		jr_enum(&obj, "type", JR_REQUIRED, commands, &which);
	} else {
		jr_enum(&r, "command", JR_REQUIRED, commands, &which);
	}
	if (error_failed(ctx->err)) {
		ctx->err->code = "UnknownCommand";
		return -1;
	}
	if (!q)
		return error_set(ctx->err, ERROR_NOT_FOUND, "NotFound", "No such queue.");
	if (applicant_queue_run(ctx->core, ctx->req->arena, &ap, q, which == 1, market_language(ctx), &cmd, ctx->err) < 0) {
		if (ctx->err->kind != ERROR_FORBIDDEN)
			return -1;
		/* M-28: a refused command names its failed checklist items */
		w = ctx_json(ctx, 403);
		jw_object_begin(w);
		jw_kv_cstr(w, "code", "NotEligible");
		jw_kv_cstr(w, "message", ctx->err->message);
		jw_key(w, "checklist");
		write_checklist(w, &cmd);
		jw_object_end(w);
		error_forget(ctx->err);
		return 0;
	}
	w = ctx_json(ctx, 200);
	market_content_language(ctx, market_language(ctx));
	write_queue(ctx, w, &ap, q);
	return 0;
}

const struct route market_applicants_routes[] = {
	{ HTTP_POST, "/v2/applicants", post_applicants, DIALECT_MARKET, ROUTE_JSON },
	{ HTTP_POST, "/v2/auth", post_auth, DIALECT_MARKET, ROUTE_JSON },
	{ HTTP_POST, "/v2/auth/logout", post_auth_logout, DIALECT_MARKET, ROUTE_JSON },
	{ HTTP_GET, "/v2/market/applicant", get_applicant, DIALECT_MARKET, 0 },
	{ HTTP_GET, "/v2/market/applicant/status", get_applicant_status, DIALECT_MARKET, 0 },
	{ HTTP_GET, "/v2/market/applicant/profile", get_profile, DIALECT_MARKET, 0 },
	{ HTTP_PATCH, "/v2/market/applicant/profile", patch_profile, DIALECT_MARKET, ROUTE_JSON },
	{ HTTP_PUT, "/v2/market/applicant/profile", patch_profile, DIALECT_MARKET, ROUTE_JSON },
	{ HTTP_POST, "/v2/market/applicant/queues/{queueId}", post_queue_command, DIALECT_MARKET, ROUTE_JSON },
};
const size_t market_applicants_routes_count = sizeof(market_applicants_routes) / sizeof(market_applicants_routes[0]);
