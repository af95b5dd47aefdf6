#include "cli.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "seed/accounts_seed.h"
#include "seed/applicant_seed.h"
#include "seed/application_seed.h"
#include "core/accounts/accounts.h"
#include "seed/demo_seed.h"
#include "seed/inventory_seed.h"
#include "seed/listing_seed.h"
#include "seed/webhook_seed.h"
#include "core/accounts/notify.h"
#include "core/contracts/contracts.h"
#include "core/identity/login.h"
#include "core/identity/org.h"
#include "core/identity/password.h"
#include "core/identity/totp.h"
#include "core/market/applicants.h"
#include "core/events.h"
#include "core/market/lottery.h"
#include "core/market/process.h"
#include "core/webhooks/webhooks.h"
#include "dialects/landlord.h" /* the webhook's JSON, as the API writes it */
#include "store/market/store_market_objects.h"
#include "store/market/store_process.h"
#include "store/store_copy.h"
#include "base/json_write.h"
#include "wiring/server.h"

struct cli_opts {
	const char *name, *admin_username, *admin_password, *username, *password, *office, *company;
	const char *right_profile, *email, *first_name, *last_name, *personal_number, *onoff;
	const char *apartments, *listings;
	const char *accounts, *events;
	const char *applicants, *birth_date, *queues, *count;
	const char *public_key;
	const char *applications, *listing, *offset;
	const char *webhook_events;
	const char *url, *description, *amount, *active, *delivery;
	const char *from, *to;
	bool early;
};

static const struct {
	const char *flag;
	size_t offset;
} cli_flags[] = {
	{ "--name", offsetof(struct cli_opts, name) },
	{ "--admin-username", offsetof(struct cli_opts, admin_username) },
	{ "--admin-password", offsetof(struct cli_opts, admin_password) },
	{ "--username", offsetof(struct cli_opts, username) },
	{ "--password", offsetof(struct cli_opts, password) },
	{ "--office", offsetof(struct cli_opts, office) },
	{ "--company", offsetof(struct cli_opts, company) },
	{ "--right-profile", offsetof(struct cli_opts, right_profile) },
	{ "--email", offsetof(struct cli_opts, email) },
	{ "--first-name", offsetof(struct cli_opts, first_name) },
	{ "--last-name", offsetof(struct cli_opts, last_name) },
	{ "--personal-number", offsetof(struct cli_opts, personal_number) },
	{ "--apartments", offsetof(struct cli_opts, apartments) },
	{ "--listings", offsetof(struct cli_opts, listings) },
	{ "--accounts", offsetof(struct cli_opts, accounts) },
	{ "--events", offsetof(struct cli_opts, events) },
	{ "--applicants", offsetof(struct cli_opts, applicants) },
	{ "--birth-date", offsetof(struct cli_opts, birth_date) },
	{ "--queues", offsetof(struct cli_opts, queues) },
	{ "--count", offsetof(struct cli_opts, count) },
	{ "--public-key", offsetof(struct cli_opts, public_key) },
	{ "--applications", offsetof(struct cli_opts, applications) },
	{ "--listing", offsetof(struct cli_opts, listing) },
	{ "--offset", offsetof(struct cli_opts, offset) },
	{ "--webhook-events", offsetof(struct cli_opts, webhook_events) },
	{ "--url", offsetof(struct cli_opts, url) },
	{ "--description", offsetof(struct cli_opts, description) },
	{ "--amount", offsetof(struct cli_opts, amount) },
	{ "--active", offsetof(struct cli_opts, active) },
	{ "--delivery", offsetof(struct cli_opts, delivery) },
	{ "--from", offsetof(struct cli_opts, from) },
	{ "--to", offsetof(struct cli_opts, to) },
};

/* A "--flag" that is neither a command flag nor a configuration flag: say so, with the nearest known one. */
static int unknown_flag(const char *arg)
{
	const char *names[sizeof(cli_flags) / sizeof(cli_flags[0])];
	char name[64], msg[256];
	size_t len;

	if (strncmp(arg, "--", 2) != 0)
		return 0;
	len = strcspn(arg + 2, "=");
	if (len >= sizeof(name))
		return 0; /* the configuration parser refuses it */
	memcpy(name, arg + 2, len);
	name[len] = '\0';
	if (config_is_option(name))
		return 0;
	for (size_t k = 0; k < sizeof(cli_flags) / sizeof(cli_flags[0]); k++)
		names[k] = cli_flags[k].flag;
	config_unknown_option(name, names, sizeof(names) / sizeof(names[0]), msg, sizeof(msg));
	fprintf(stderr, "rentd: %s\n", msg);
	return 1;
}

/* Splits argv into our flags and the server's configuration flags. */
static int parse(int argc, char **argv, int first, struct cli_opts *o, struct config *cfg)
{
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	int nrest = 0, rc = 0;
	char msg[512];

	if (!rest)
		die_oom();
	memset(o, 0, sizeof(*o));
	rest[nrest++] = argv[0];
	for (int i = first; i < argc; i++) {
		size_t k;
		for (k = 0; k < sizeof(cli_flags) / sizeof(cli_flags[0]); k++)
			if (strcmp(argv[i], cli_flags[k].flag) == 0)
				break;
		if (k < sizeof(cli_flags) / sizeof(cli_flags[0])) {
			if (i + 1 >= argc) {
				fprintf(stderr, "rentd: %s needs a value\n", argv[i]);
				rc = -1;
				break;
			}
			*(const char **)((char *)o + cli_flags[k].offset) = argv[++i];
		} else if (strcmp(argv[i], "on") == 0 || strcmp(argv[i], "off") == 0) {
			o->onoff = argv[i];
		} else if (strcmp(argv[i], "--early") == 0) {
			o->early = true;
		} else if (unknown_flag(argv[i])) {
			rc = -1;
			break;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	config_defaults(cfg);
	if (rc == 0 && (config_from_env(cfg, msg, sizeof(msg)) < 0 || config_from_args(cfg, nrest, rest, 1, msg, sizeof(msg)) < 0)) {
		fprintf(stderr, "rentd: %s\n", msg);
		rc = -1;
	}
	free(rest);
	return rc;
}

static int need(const char *value, const char *flag)
{
	if (value && *value)
		return 0;
	fprintf(stderr, "rentd: %s is required\n", flag);
	return -1;
}

struct env {
	struct arena *arena;
	struct store *store;
	struct server *server;
	struct core *core;
	struct error err;
};

static int env_open(const struct config *cfg, struct env *e)
{
	int applied;
	memset(e, 0, sizeof(*e));
	e->arena = arena_create(16 * 1024);
	error_init(&e->err, e->arena);
	log_set_access(0); /* a command's own requests are not traffic; serve turns it back on (main.c) */
	if (store_open(cfg->database, &e->store, &e->err) < 0 || store_migrate(e->store, &applied, &e->err) < 0) {
		fprintf(stderr, "rentd: %s\n", e->err.message ? e->err.message : "cannot open the database");
		return -1;
	}
	e->server = server_assemble(cfg, e->store);
	if (!e->server)
		return -1;
	e->core = server_core(e->server);
	return 0;
}

static void env_close(struct env *e)
{
	server_destroy(e->server);
	store_close(e->store);
	arena_destroy(e->arena);
}

static int fail(struct env *e)
{
	fprintf(stderr, "rentd: %s\n", e->err.message ? e->err.message : error_kind_name(e->err.kind));
	for (size_t i = 0; i < e->err.nfields; i++)
		fprintf(stderr, "  %s: %s\n", e->err.fields[i].path, e->err.fields[i].message);
	return 1;
}

static void print_json(struct buf *b)
{
	buf_putc(b, '\n');
	fwrite(b->ptr, 1, b->len, stdout);
	fflush(stdout);
}

static int hash_password(struct env *e, const char *password, char out[PASSWORD_HASH_MAX])
{
	if (strlen(password) < 8 || strlen(password) > 1024) {
		fprintf(stderr, "rentd: a password must have 8 to 1024 characters\n");
		return -1;
	}
	if (password_hash(str_from_cstr(password), out) < 0) {
		fprintf(stderr, "rentd: out of memory hashing the password\n");
		return -1;
	}
	(void)e;
	return 0;
}

static int create_company(struct env *e, const char *name, const char *user, const char *password,
			  struct company_created *out)
{
	char hash[PASSWORD_HASH_MAX];
	if (hash_password(e, password, hash) < 0)
		return -1;
	return org_company_create(e->core, e->arena, str_from_cstr(name), str_from_cstr(user), str_from_cstr(hash), out,
				  &e->err);
}

static int cmd_company_create(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	struct company_created cc;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (need(o->name, "--name") < 0 || need(o->admin_username, "--admin-username") < 0 ||
	    need(o->admin_password, "--admin-password") < 0)
		return 2;
	if (strlen(o->name) > 255 || strlen(o->admin_username) > 150) {
		fprintf(stderr, "rentd: the name has at most 255 and the username 150 characters\n");
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	if (create_company(&e, o->name, o->admin_username, o->admin_password, &cc) < 0) {
		rc = e.err.kind ? fail(&e) : 2;
		goto out;
	}
	buf_init(&b, e.arena, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "company_id", cc.company_id);
	jw_kv_str(&w, "company_uuid", cc.company_uuid);
	jw_kv_int(&w, "office_id", cc.office_id);
	jw_kv_int(&w, "employee_id", cc.employee_id);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

static int parse_id(const char *s, int64_t *out)
{
	return s && str_to_int64(str_from_cstr(s), out) == 0 && *out > 0 ? 0 : -1;
}

static int cmd_employee_create(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	struct employee_new en;
	char hash[PASSWORD_HASH_MAX];
	int64_t id;
	struct buf b;
	struct jw w;
	int rc = 1;

	memset(&en, 0, sizeof(en));
	if (need(o->company, "--company") < 0 || need(o->username, "--username") < 0 ||
	    need(o->password, "--password") < 0)
		return 2;
	if (parse_id(o->company, &en.company_id) < 0 || (o->office && parse_id(o->office, &en.office_id) < 0)) {
		fprintf(stderr, "rentd: --company and --office take positive integer ids\n");
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	if (hash_password(&e, o->password, hash) < 0)
		goto out;
	en.username = str_from_cstr(o->username);
	en.password_hash = str_from_cstr(hash);
	en.right_profile = str_from_cstr(o->right_profile);
	en.email = str_from_cstr(o->email);
	en.first_name = str_from_cstr(o->first_name);
	en.last_name = str_from_cstr(o->last_name);
	if (o->personal_number && ssn_normalise(e.arena, str_from_cstr(o->personal_number), &en.personal_number) < 0) {
		fprintf(stderr, "rentd: --personal-number is not a valid Swedish personal number\n");
		goto out;
	}
	if (org_employee_create(e.core, e.arena, &en, &id, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 64);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "employee_id", id);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* agent create: one of the operator's staff (accounts dialect); prints {"agent_id": uuid}. */
static int cmd_agent_create(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	char hash[PASSWORD_HASH_MAX];
	int64_t id;
	struct str uuid;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (need(o->email, "--email") < 0 || need(o->password, "--password") < 0)
		return 2;
	if (strlen(o->email) > 254 || (o->name && strlen(o->name) > 255)) {
		fprintf(stderr, "rentd: the e-mail has at most 254 and the name 255 characters\n");
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	if (hash_password(&e, o->password, hash) < 0)
		goto out;
	if (org_agent_create(e.core, e.arena, str_from_cstr(o->email), str_from_cstr(hash),
			     str_trim(str_from_cstr(o->name)), &id, &uuid, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 64);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_str(&w, "agent_id", uuid);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/*
 * applicant create --email E --password P --first-name F --last-name L
 *                  (--personal-number N | --birth-date YYYY-MM-DD) [--queues residential,parking]
 * A market applicant (core/market/applicants.h), the queues joined today.
 */
static int cmd_applicant_create(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	char hash[PASSWORD_HASH_MAX], qbuf[256];
	struct applicant_fields f;
	const char *queues[APPLICANT_QUEUE_COUNT];
	int64_t joined[APPLICANT_QUEUE_COUNT], id, now = (int64_t)time(NULL);
	size_t nq = 0;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (need(o->email, "--email") < 0 || need(o->password, "--password") < 0 ||
	    need(o->first_name, "--first-name") < 0 || need(o->last_name, "--last-name") < 0)
		return 2;
	if (!o->personal_number && !o->birth_date) {
		fprintf(stderr, "rentd: --personal-number or --birth-date is required\n");
		return 2;
	}
	if (strlen(o->email) > 254 || strlen(o->first_name) > 100 || strlen(o->last_name) > 100 ||
	    strlen(o->password) < APPLICANT_PASSWORD_MIN || strlen(o->password) > APPLICANT_PASSWORD_MAX) {
		fprintf(stderr, "rentd: the e-mail has at most 254 characters, names 100, the password %d to %d\n",
			APPLICANT_PASSWORD_MIN, APPLICANT_PASSWORD_MAX);
		return 2;
	}
	if (o->queues) {
		if (strlen(o->queues) >= sizeof(qbuf)) {
			fprintf(stderr, "rentd: --queues is too long\n");
			return 2;
		}
		snprintf(qbuf, sizeof(qbuf), "%s", o->queues);
		for (char *save = NULL, *q = strtok_r(qbuf, ",", &save); q; q = strtok_r(NULL, ",", &save)) {
			const struct queue_type *t = applicant_queue_type(str_from_cstr(q));
			if (!t || nq == APPLICANT_QUEUE_COUNT) {
				fprintf(stderr, "rentd: --queues takes residential, student, senior, youth, parking\n");
				return 2;
			}
			queues[nq] = t->id;
			joined[nq++] = now;
		}
	}
	memset(&f, 0, sizeof(f));
	f.email = str_from_cstr(o->email);
	f.first_name = str_from_cstr(o->first_name);
	f.last_name = str_from_cstr(o->last_name);
	f.personal_number = o->personal_number ? str_from_cstr(o->personal_number) : STR_LIT("");
	f.profile.birth_date = o->birth_date ? str_from_cstr(o->birth_date) : STR_LIT("");
	f.profile.adults = 1;
	if (env_open(cfg, &e) < 0)
		return 1;
	if (hash_password(&e, o->password, hash) < 0)
		goto out;
	if (store_begin(e.store, &e.err) < 0 ||
	    applicant_create_direct(e.core, e.arena, &f, str_from_cstr(hash), queues, joined, nq, &id, &e.err) < 0) {
		store_rollback(e.store);
		rc = fail(&e);
		goto out;
	}
	if (store_commit(e.store, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 64);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "applicant_id", id);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/*
 * applicant tokens --count N [--queues Q]: access tokens of the first N applicants (by id; in
 * queue Q when given), one a line, for load tests (bench/market_apply.py) and support.
 */
static int cmd_applicant_tokens(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	int64_t n, *ids, *own = NULL;
	size_t count;
	struct str token;
	int rc = 1;

	if (need(o->count, "--count") < 0)
		return 2;
	if (parse_id(o->count, &n) < 0 || n > 1000000) {
		fprintf(stderr, "rentd: --count takes 1 to 1000000\n");
		return 2;
	}
	if (o->queues && !applicant_queue_type(str_from_cstr(o->queues))) {
		fprintf(stderr, "rentd: --queues takes one of residential, student, senior, youth, parking\n");
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_applicant_ids(e.store, e.arena, o->queues ? str_from_cstr(o->queues) : STR_NULL, n, &ids, &count,
				&e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	/* the ids outlive the arena, which is emptied every 1000 tokens */
	if (!(own = malloc(count * sizeof(*own) + 1)))
		die_oom();
	memcpy(own, ids, count * sizeof(*own));
	for (size_t i = 0; i < count; i++) {
		if (i % 1000 == 0)
			arena_reset(e.arena);
		if (applicant_issue_token(e.core, e.arena, own[i], &token, &e.err) < 0) {
			rc = fail(&e);
			goto out;
		}
		printf("%.*s\n", STR_FMT(token));
	}
	rc = 0;
out:
	free(own);
	env_close(&e);
	return rc;
}

/* employee password | totp | device-verification, and checkin-token: act on one user by name. */
static int cmd_user(const struct config *cfg, const char *what, const struct cli_opts *o)
{
	struct env e;
	struct user u;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (need(o->username, "--username") < 0)
		return 2;
	if ((strcmp(what, "totp") == 0 || strcmp(what, "device-verification") == 0) && !o->onoff) {
		fprintf(stderr, "rentd: say on or off\n");
		return 2;
	}
	if ((strcmp(what, "password") == 0 && need(o->password, "--password") < 0) ||
	    (strcmp(what, "checkin-token") == 0 && need(o->personal_number, "--personal-number") < 0))
		return 2;
	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_user_get_by_username(e.store, e.arena, str_from_cstr(o->username), &u, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "employee_id", u.id);
	if (strcmp(what, "password") == 0) {
		char hash[PASSWORD_HASH_MAX];
		if (hash_password(&e, o->password, hash) < 0)
			goto out;
		if (store_user_set_password(e.store, u.id, str_from_cstr(hash), &e.err) < 0) {
			rc = fail(&e);
			goto out;
		}
	} else if (strcmp(what, "totp") == 0) {
		char secret[TOTP_SECRET_B32_LEN + 1] = "";
		if (strcmp(o->onoff, "on") == 0)
			totp_new_secret(secret);
		if (store_user_set_totp(e.store, u.id, str_from_cstr(secret), &e.err) < 0) {
			rc = fail(&e);
			goto out;
		}
		if (secret[0]) {
			jw_kv_cstr(&w, "totp_secret", secret);
			jw_kv_cstr(&w, "otpauth_uri",
				   arena_printf(e.arena, "otpauth://totp/rentd:%.*s?secret=%s&issuer=rentd",
						STR_FMT(u.username), secret));
		}
	} else if (strcmp(what, "device-verification") == 0) {
		if (store_user_set_device_verification(e.store, u.id, strcmp(o->onoff, "on") == 0, &e.err) < 0) {
			rc = fail(&e);
			goto out;
		}
	} else {
		struct str pn;
		if (ssn_normalise(e.arena, str_from_cstr(o->personal_number), &pn) < 0) {
			fprintf(stderr, "rentd: --personal-number is not a valid Swedish personal number\n");
			goto out;
		}
		jw_kv_str(&w, "checkin_token", login_checkin_token(e.core, e.arena, u.id, pn, 15 * 60));
	}
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* seed --accounts N [--events M]: accounts and outbox events for the benchmarks (seed/accounts_seed.h). */
static int cmd_seed_accounts(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	struct accounts_seed_result res;
	int64_t accounts = 0, events = 0;
	struct timespec t0, t1;
	struct buf b;
	struct jw w;
	int rc = 1;

	if ((o->accounts && (str_to_int64(str_from_cstr(o->accounts), &accounts) < 0 || accounts < 0 ||
			     accounts > ACCOUNTS_SEED_MAX)) ||
	    (o->events && (str_to_int64(str_from_cstr(o->events), &events) < 0 || events < 0 ||
			   events > EVENTS_SEED_MAX))) {
		fprintf(stderr, "rentd: --accounts takes 0 to %d, --events 0 to %d\n", ACCOUNTS_SEED_MAX, EVENTS_SEED_MAX);
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (accounts_seed(e.core, accounts, events, &res, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	buf_init(&b, e.arena, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "accounts", res.accounts);
	jw_kv_int(&w, "events", res.events);
	jw_kv_int(&w, "total_accounts", res.total_accounts);
	jw_kv_double(&w, "seconds", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* invitations list: the pending set-password links (core/accounts/notify.h), for an operator without SMTP. */
static int cmd_invitations_list(const struct config *cfg)
{
	struct env e;
	struct invitation_pending *rows;
	size_t n;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (env_open(cfg, &e) < 0)
		return 1;
	if (notify_pending_invitations(e.core, e.arena, &rows, &n, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 1024);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_key(&w, "invitations");
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(&w);
		jw_kv_str(&w, "email", rows[i].inv.email);
		jw_kv_str(&w, "account_id", rows[i].company_uuid);
		jw_kv_str(&w, "account_name", rows[i].company_name);
		jw_kv_cstr(&w, "created_at", events_time(e.arena, rows[i].inv.created_at * 1000000, EVENT_TIME_00_00));
		jw_kv_cstr(&w, "expires_at", events_time(e.arena, rows[i].inv.expires_at * 1000000, EVENT_TIME_00_00));
		jw_kv_str(&w, "email_state", rows[i].state);
		jw_key(&w, "link"); /* null once e-mailed: only the recipient has it then */
		jw_string(&w, rows[i].link);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* account remind-availabilities ID: queues the e-mail the server's job workers deliver. */
static int cmd_remind_availabilities(const struct config *cfg, const char *account_id)
{
	static const struct event_actor cli = { 0, { "cli", 3 }, { "", 0 }, { "", 0 } };
	struct env e;
	struct company co;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (!account_id || !*account_id || account_id[0] == '-') {
		fprintf(stderr, "rentd: usage: rentd account remind-availabilities ACCOUNT_ID\n");
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_company_get_by_uuid(e.store, e.arena, str_from_cstr(account_id), &co, &e.err) < 0 ||
	    notify_remind_availabilities(e.core, e.arena, co.id, &cli, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 128);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_str(&w, "account_id", co.uuid);
	jw_kv_bool(&w, "queued", true);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* account obfuscate ID: GDPR erasure of an account's personal data (core/accounts/accounts.h). */
static int cmd_account_obfuscate(const struct config *cfg, const char *account_id)
{
	static const struct event_actor cli = { 0, { "cli", 3 }, { "", 0 }, { "", 0 } };
	struct env e;
	struct company co;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (!account_id || !*account_id || account_id[0] == '-') {
		fprintf(stderr, "rentd: usage: rentd account obfuscate ACCOUNT_ID\n");
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_company_get_by_uuid(e.store, e.arena, str_from_cstr(account_id), &co, &e.err) < 0 ||
	    accounts_obfuscate(e.core, e.arena, NULL, co.id, &cli, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 128);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_str(&w, "account_id", co.uuid);
	jw_kv_bool(&w, "obfuscated", true);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* seed --applicants N: market applicants with queue memberships (seed/applicant_seed.h). */
static int cmd_seed_applicants(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	struct applicant_seed_result res;
	char hash[PASSWORD_HASH_MAX];
	int64_t n = 0;
	struct timespec t0, t1;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (parse_id(o->applicants, &n) < 0 || n > APPLICANT_SEED_MAX) {
		fprintf(stderr, "rentd: --applicants takes 1 to %d\n", APPLICANT_SEED_MAX);
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (hash_password(&e, APPLICANT_SEED_PASSWORD, hash) < 0)
		goto out;
	if (applicant_seed(e.core, n, str_from_cstr(hash), &res, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	buf_init(&b, e.arena, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "applicants", res.applicants);
	jw_kv_int(&w, "queue_memberships", res.memberships);
	jw_kv_cstr(&w, "first_email", res.first_email);
	jw_kv_cstr(&w, "password", APPLICANT_SEED_PASSWORD);
	jw_kv_double(&w, "seconds", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* A comma-separated list of listing ids ("12" or "12,40,41") into ids (at most max). */
static int parse_ids(const char *s, int64_t *ids, size_t max, size_t *n)
{
	*n = 0;
	while (s && *s) {
		size_t len = strcspn(s, ",");
		int64_t id;
		if (*n == max || str_to_int64((struct str){ s, len }, &id) < 0 || id <= 0)
			return -1;
		ids[(*n)++] = id;
		s += len;
		if (*s == ',' && !*++s)
			return -1; /* "12,": an empty last id */
	}
	return *n ? 0 : -1;
}

/* seed --applications N --listing ID[,ID…] [--offset K]: open applications (seed/application_seed.h). */
static int cmd_seed_applications(const struct config *cfg, const struct cli_opts *o)
{
	static int64_t listings[APPLICATION_SEED_LISTINGS];
	struct env e;
	struct application_seed_result res;
	int64_t n = 0, offset = 0;
	size_t nlistings;
	struct timespec t0, t1;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (parse_id(o->applications, &n) < 0 || n > APPLICATION_SEED_MAX ||
	    parse_ids(o->listing, listings, APPLICATION_SEED_LISTINGS, &nlistings) < 0 ||
	    (o->offset && (str_to_int64(str_from_cstr(o->offset), &offset) < 0 || offset < 0 || offset > APPLICANT_SEED_MAX))) {
		fprintf(stderr, "rentd: --applications takes 1 to %d, --listing 1 to %d listing ids separated by commas,"
				" --offset 0 to %d\n", APPLICATION_SEED_MAX, APPLICATION_SEED_LISTINGS, APPLICANT_SEED_MAX);
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (application_seed(e.core, listings, nlistings, n, offset, &res, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	buf_init(&b, e.arena, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "listings", (int64_t)nlistings);
	jw_kv_cstr(&w, "queue", res.queue);
	jw_kv_int(&w, "applications", res.applications);
	jw_kv_int(&w, "skipped", res.skipped);
	jw_kv_int(&w, "screening_failed", res.screening_failed);
	jw_kv_int(&w, "existing_tenants", res.existing_tenants);
	jw_kv_int(&w, "queue_points_min", res.points_min);
	jw_kv_int(&w, "queue_points_max", res.points_max);
	jw_kv_double(&w, "seconds", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* seed --webhook-events N --company ID --listing ID: reservation events in the outbox (seed/webhook_seed.h). */
static int cmd_seed_webhook_events(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	int64_t n = 0, company = 0, listing = 0;
	struct timespec t0, t1;
	int rc = 1;

	if (parse_id(o->webhook_events, &n) < 0 || n > WEBHOOK_SEED_MAX || !o->company || !o->listing ||
	    parse_id(o->company, &company) < 0 || parse_id(o->listing, &listing) < 0) {
		fprintf(stderr, "rentd: --webhook-events takes 1 to %d, with --company ID and --listing ID (one of its listings)\n",
			WEBHOOK_SEED_MAX);
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (webhook_seed(e.core, company, listing, n, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("{\"webhook_events\":%lld,\"seconds\":%.3f}\n", (long long)n,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* seed --listings N [--company ID]: generated listings with their cards (seed/listing_seed.h). */
static int cmd_seed_listings(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	struct listing_seed_result res;
	int64_t n = 0, company = 0;
	struct timespec t0, t1;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (parse_id(o->listings, &n) < 0 || n > LISTING_SEED_MAX || (o->company && parse_id(o->company, &company) < 0)) {
		fprintf(stderr, "rentd: --listings takes 1 to %d, --company a positive integer id\n", LISTING_SEED_MAX);
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (listing_seed(e.core, e.arena, company, n, &res, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	buf_init(&b, e.arena, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "company_id", res.company_id);
	jw_kv_int(&w, "apartments_created", res.apartments_created);
	jw_kv_int(&w, "listings", res.listings);
	jw_kv_int(&w, "projects", res.projects);
	jw_kv_int(&w, "cards", res.cards);
	jw_kv_double(&w, "seconds", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* seed --apartments N [--company ID]: generated inventory (seed/inventory_seed.h). */
static int cmd_seed(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	struct inventory_seed_result res;
	int64_t n = 0, company = 0;
	struct timespec t0, t1;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (o->webhook_events)
		return cmd_seed_webhook_events(cfg, o);
	if (o->applications && !o->apartments && !o->listings && !o->applicants)
		return cmd_seed_applications(cfg, o);
	if (o->applicants && !o->apartments && !o->listings)
		return cmd_seed_applicants(cfg, o);
	if (o->listings && !o->apartments)
		return cmd_seed_listings(cfg, o);
	if (!o->apartments && (o->accounts || o->events))
		return cmd_seed_accounts(cfg, o);
	if (!o->apartments) {
		fprintf(stderr, "rentd: seed needs what to generate: --apartments N, --listings N, --applicants N, "
				"--applications N --listing ID, or --accounts N [--events M] (see rentd --help)\n");
		return 2;
	}
	if (parse_id(o->apartments, &n) < 0 || n > INVENTORY_SEED_MAX || (o->company && parse_id(o->company, &company) < 0)) {
		fprintf(stderr, "rentd: --apartments takes 1 to %d, --company a positive integer id\n", INVENTORY_SEED_MAX);
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (inventory_seed(e.core, e.arena, company, n, &res, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	buf_init(&b, e.arena, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "company_id", res.company_id);
	jw_kv_int(&w, "office_id", res.office_id);
	jw_kv_int(&w, "estates", res.estates);
	jw_kv_int(&w, "apartments", res.apartments);
	jw_kv_double(&w, "seconds", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* A new random password for a demo user, and its argon2id hash (only the hash is stored). */
static int demo_password(struct env *e, char password[25], char hash[PASSWORD_HASH_MAX])
{
	password_generate(password);
	if (hash_password(e, password, hash) < 0)
		return error_set(&e->err, ERROR_INTERNAL, NULL, "hashing a demo password failed");
	return 0;
}

/*
 * The demo on an empty database: the company with its admin (demo_users[0]), the
 * accounts API's agent, and the portfolio of seed/demo_seed.h. The passwords are kept
 * in out only until the banner has shown them.
 */
static int seed_demo(struct env *e, struct cli_demo *out)
{
	char hash[PASSWORD_HASH_MAX];
	struct company_created cc;
	int64_t id;
	struct str uuid;

	for (size_t i = 0; i < demo_users_count; i++) {
		if (demo_password(e, out->passwords[i], hash) < 0)
			return -1;
		if (demo_users[i].kind == DEMO_LANDLORD &&
		    org_company_create(e->core, e->arena, STR_LIT(DEMO_COMPANY_NAME), str_from_cstr(demo_users[i].username),
				       str_from_cstr(hash), &cc, &e->err) < 0)
			return -1;
		if (demo_users[i].kind == DEMO_AGENT &&
		    org_agent_create(e->core, e->arena, str_from_cstr(demo_users[i].username), str_from_cstr(hash),
				     STR_LIT("Demo Operator"), &id, &uuid, &e->err) < 0)
			return -1;
		for (size_t k = 0; demo_users[i].kind == DEMO_APPLICANT && k < demo_applicants_count; k++)
			if (strcmp(demo_applicants[k].email, demo_users[i].username) == 0 &&
			    demo_applicant_create(e->core, e->arena, k, str_from_cstr(hash), &e->err) < 0)
				return -1;
	}
	out->created = true;
	return demo_seed(e->core, e->arena, cc.company_id, &out->seeded, &e->err);
}

int cli_seed_demo(const struct config *cfg, struct cli_demo *out)
{
	struct env e;
	struct company *list;
	size_t n;
	int rc = 1;

	memset(out, 0, sizeof(*out));
	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_company_list(e.store, e.arena, &list, &n, &e.err) < 0 || (n == 0 && seed_demo(&e, out) < 0) ||
	    demo_search_summary(e.core, e.arena, &out->searchable, &out->project, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	rc = 0;
out:
	env_close(&e);
	return rc;
}

/* The one-liner that logs the demo admin in and keeps the token in $TOKEN. */
static void print_login(FILE *f, const char *indent, const char *base, const char *password)
{
	fprintf(f,
		"%sTOKEN=$(curl -s -X POST %s/api/v2/tokens/ -H 'Content-Type: application/json' \\\n"
		"%s    -d '{\"username\": \"%s\", \"password\": \"%s\"}' | sed -n 's/.*\"token\": *\"\\([^\"]*\\)\".*/\\1/p')\n",
		indent, base, indent, demo_users[0].username, password);
}

void cli_demo_banner(FILE *f, const char *program, const struct config *cfg, const struct cli_demo *d,
		     const char *base)
{
	char shown[sizeof(cfg->database)];

	store_database_shown(cfg->database, shown, sizeof(shown));
	fprintf(f, "database  %s\n", shown);
	if (d->created)
		fprintf(f,
			"demo      %s created: %lld apartments in %lld buildings in %lld municipalities, %lld project,\n"
			"          %lld listings (%lld drafts), %lld pictures\n",
			DEMO_COMPANY_NAME, (long long)d->seeded.apartments, (long long)d->seeded.estates,
			(long long)d->seeded.municipalities, (long long)d->seeded.projects, (long long)d->seeded.listings,
			(long long)d->seeded.drafts, (long long)d->seeded.pictures);
	fprintf(f, "search    %lld cards (POST %s/api/v3/cards/)\n", (long long)d->searchable, base);
	for (size_t i = 0; i < demo_users_count; i++) {
		if (d->created)
			fprintf(f, "%s  %-24s password %s   %s\n", i ? "         " : "log in   ", demo_users[i].username,
				d->passwords[i], demo_users[i].role);
		else
			fprintf(f, "%s  %-24s %s\n", i ? "         " : "log in   ", demo_users[i].username,
				demo_users[i].role);
	}
	fprintf(f, "          %s; new ones: %s demo reset-passwords --database %s\n",
		d->created ? "the passwords are shown only now (only their hashes are stored)"
			   : "their passwords were shown at the first start",
		program, shown);
	fprintf(f, "next      1. log in (the token goes to $TOKEN):\n");
	print_login(f, "             ", base, d->created ? d->passwords[0] : "PASSWORD");
	if (d->project)
		fprintf(f, "          2. open %s/widgets/project?project=%lld   (a project's page, as landlords embed it)\n",
			base, (long long)d->project);
	else
		fprintf(f, "          2. curl -s %s/api/v1/company/ -H \"Authorization: JWT $TOKEN\"\n", base);
	fprintf(f, "          3. make test   (every test suite)\n");
	fflush(f);
}

/* demo reset-passwords: new random passwords for every demo user there is (demo_users[]). */
static int cmd_demo_reset_passwords(const struct config *cfg)
{
	struct env e;
	struct buf b;
	struct jw w;
	char password[DEMO_USERS_MAX][25];
	bool found[DEMO_USERS_MAX] = { false };
	size_t nfound = 0;
	int rc = 1;

	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_begin(e.store, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	for (size_t i = 0; i < demo_users_count && i < DEMO_USERS_MAX; i++) {
		char hash[PASSWORD_HASH_MAX];
		struct user u;
		if (store_user_get_by_username(e.store, e.arena, str_from_cstr(demo_users[i].username), &u, &e.err) < 0) {
			if (e.err.kind != ERROR_NOT_FOUND)
				goto fail;
			error_forget(&e.err);
			continue;
		}
		if (demo_password(&e, password[i], hash) < 0 || store_user_set_password(e.store, u.id, str_from_cstr(hash), &e.err) < 0)
			goto fail;
		found[i] = true;
		nfound++;
	}
	if (nfound == 0) {
		store_rollback(e.store);
		char shown[sizeof(cfg->database)];
		fprintf(stderr, "rentd: %s has no demo users (start it once with `rentd serve --demo`)\n",
			store_database_shown(cfg->database, shown, sizeof(shown)));
		goto out;
	}
	if (store_commit(e.store, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 512);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_key(&w, "users");
	jw_array_begin(&w);
	for (size_t i = 0; i < demo_users_count && i < DEMO_USERS_MAX; i++) {
		if (!found[i])
			continue;
		jw_object_begin(&w);
		jw_kv_cstr(&w, "username", demo_users[i].username);
		jw_kv_cstr(&w, "role", demo_users[i].role);
		jw_kv_cstr(&w, "password", password[i]);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	print_json(&b);
	if (found[0])
		print_login(stderr, "", arena_printf(e.arena, "http://127.0.0.1:%u", cfg->listen_port), password[0]);
	rc = 0;
	goto out;
fail:
	store_rollback(e.store);
	rc = fail(&e);
out:
	sodium_memzero(password, sizeof(password));
	env_close(&e);
	return rc;
}

/*
 * lottery verify LISTING: the stored draw checked and the order recomputed (docs/LOTTERY.md).
 * Exit 0: revealed and the commitment holds; 3: not drawn yet (the seed is secret); 1: the
 * seed does not hash to the commitment, or no lottery.
 */
static int cmd_lottery_verify(const struct config *cfg, const char *listing)
{
	struct lottery_verification v;
	struct env e;
	struct buf b;
	struct jw w;
	int64_t id;
	char hex[LOTTERY_HEX_LEN + 1];
	int rc = 1;

	if (!listing || parse_id(listing, &id) < 0 || id <= 0) {
		fprintf(stderr, "rentd: usage: rentd lottery verify LISTING_ID\n");
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	if (lottery_verify(e.core, e.arena, id, &v, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	buf_init(&b, e.arena, 256 + v.n * 96);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_int(&w, "listing", id);
	jw_kv_cstr(&w, "algorithm", LOTTERY_ALGORITHM);
	jw_kv_str(&w, "commitment", v.row.commitment_hex);
	jw_kv_cstr(&w, "committed_at", events_time(e.arena, v.row.committed_at, EVENT_TIME_00_00));
	if (!v.revealed) {
		jw_kv_cstr(&w, "result", "seed not revealed yet: the lottery has not been drawn");
		rc = 3;
	} else {
		jw_kv_str(&w, "seed", v.row.seed_hex);
		jw_kv_cstr(&w, "drawn_at", events_time(e.arena, v.row.drawn_at, EVENT_TIME_00_00));
		jw_kv_cstr(&w, "result", v.commitment_ok ? "commitment ok" : "COMMITMENT MISMATCH: SHA-256(seed) is not the commitment");
		jw_key(&w, "order");
		jw_array_begin(&w);
		for (size_t i = 0; i < v.n; i++) {
			lottery_hex(v.order[i].ticket, LOTTERY_HASH_BYTES, hex);
			jw_object_begin(&w);
			jw_kv_int(&w, "place", (int64_t)i + 1);
			jw_kv_int(&w, "application", v.order[i].application_id);
			jw_kv_cstr(&w, "ticket", hex);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		rc = v.commitment_ok ? 0 : 1;
	}
	jw_object_end(&w);
	print_json(&b);
out:
	env_close(&e);
	return rc;
}

/*
 * process close ID[,ID…] [--early]: the deadline job's work by hand (process_close()), timed
 * per listing. A listing whose applications close later is left alone ("due": false), or
 * with --early closed with the clock fixed at its deadline (core_clock_set(): the offers'
 * times are then counted from the deadline).
 */
static int cmd_process_close(const struct config *cfg, const char *list, const struct cli_opts *o)
{
	static int64_t ids[APPLICATION_SEED_LISTINGS];
	struct env e;
	size_t n;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (!list || parse_ids(list, ids, APPLICATION_SEED_LISTINGS, &n) < 0) {
		fprintf(stderr, "rentd: usage: rentd process close LISTING_ID[,LISTING_ID...] [--early] (at most %d)\n",
			APPLICATION_SEED_LISTINGS);
		return 2;
	}
	if (env_open(cfg, &e) < 0)
		return 1;
	buf_init(&b, e.arena, 256 + n * 128);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_key(&w, "listings");
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		struct market_object_summary sum;
		struct listing_process p;
		struct timespec t0, t1;
		bool due, found, ranked = false;

		core_clock_set(0);
		if (store_market_object_summary(e.store, e.arena, ids[i], &sum, &e.err) < 0)
			goto fail;
		due = sum.start_processing_at && sum.start_processing_at <= core_now();
		if (!due && o->early && sum.start_processing_at)
			core_clock_set(sum.start_processing_at * 1000000);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((due || o->early) && process_close(e.core, e.arena, ids[i], &ranked, &e.err) < 0)
			goto fail;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (store_process_get(e.store, e.arena, ids[i], &p, &found, &e.err) < 0)
			goto fail;
		jw_object_begin(&w);
		jw_kv_int(&w, "listing", ids[i]);
		jw_kv_str(&w, "rule", sum.sorting_mode);
		jw_kv_bool(&w, "due", due);
		jw_kv_bool(&w, "ranked", ranked);
		jw_kv_double(&w, "seconds", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (found) { /* by this run or an earlier one */
			jw_kv_int(&w, "applications", p.ranked);
			jw_kv_int(&w, "offered_through", p.offered_through);
		}
		jw_object_end(&w);
	}
	core_clock_set(0);
	jw_array_end(&w);
	jw_object_end(&w);
	print_json(&b);
	rc = 0;
	goto out;
fail:
	core_clock_set(0);
	rc = fail(&e);
out:
	env_close(&e);
	return rc;
}

static int cmd_contract_public_key(const struct config *cfg)
{
	struct contract_key key;
	struct buf b;
	struct jw w;

	if (server_contract_key(cfg, &key) < 0)
		return 1;
	contract_key_wipe(&key);
	buf_init(&b, NULL, 256);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_cstr(&w, "algorithm", "Ed25519");
	jw_kv_cstr(&w, "format", CONTRACT_SEAL_MAGIC);
	jw_kv_cstr(&w, "public_key", key.pk_hex);
	jw_object_end(&w);
	print_json(&b);
	buf_free(&b);
	return 0;
}

/* The whole file into the arena (at most CONTRACT_FILE_MAX bytes); -1 with a message on stderr. */
static int read_file(struct arena *a, const char *path, struct str *out)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "rentd: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf_init(&b, a, sizeof(chunk));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > CONTRACT_FILE_MAX) {
			fclose(f);
			fprintf(stderr, "rentd: %s is larger than %d bytes: not a contract of rentd\n", path, CONTRACT_FILE_MAX);
			return -1;
		}
		buf_append(&b, chunk, n);
	}
	if (ferror(f)) {
		fclose(f);
		fprintf(stderr, "rentd: cannot read %s\n", path);
		return -1;
	}
	fclose(f);
	*out = buf_str(&b);
	return 0;
}

/*
 * Offline: the file and a public key, nothing else (no database, no network). Without
 * --public-key the installation's key is used (its file is read, or created).
 */
static int cmd_contract_verify(const struct config *cfg, const char *path, const struct cli_opts *o)
{
	struct arena *a = arena_create(64 * 1024);
	struct contract_key key;
	struct contract_record r;
	enum contract_verdict verdict;
	const char *reason;
	struct str file;
	struct buf b;
	struct jw w;
	char when[32], hex[65];

	if (!path || !*path || path[0] == '-') {
		fprintf(stderr, "rentd: contract verify needs a FILE.pdf\n");
		arena_destroy(a);
		return 2;
	}
	if (o->public_key) {
		if (contract_key_parse_public(o->public_key, key.pk) < 0) {
			fprintf(stderr, "rentd: --public-key must be 64 hex digits (an Ed25519 public key)\n");
			arena_destroy(a);
			return 2;
		}
	} else if (server_contract_key(cfg, &key) < 0) {
		fprintf(stderr, "rentd: no key of this installation; give the published key with --public-key HEX\n");
		arena_destroy(a);
		return 1;
	}
	contract_key_wipe(&key);
	if (read_file(a, path, &file) < 0) {
		arena_destroy(a);
		return 1;
	}
	verdict = contract_verify_file(a, file, key.pk, &r, &reason);
	buf_init(&b, a, 1024);
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_cstr(&w, "file", path);
	jw_kv_bool(&w, "is_valid", verdict == CONTRACT_VALID);
	jw_kv_cstr(&w, "reason", reason);
	if (verdict != CONTRACT_NOT_SEALED && verdict != CONTRACT_MALFORMED) {
		jw_kv_str(&w, "uuid", r.uuid);
		sodium_bin2hex(hex, sizeof(hex), r.pdf_sha256, sizeof(r.pdf_sha256));
		jw_kv_cstr(&w, "pdf_sha256", hex);
		contract_time(r.sealed_at, when);
		jw_kv_cstr(&w, "sealed_at", when);
		sodium_bin2hex(hex, sizeof(hex), r.public_key, sizeof(r.public_key));
		jw_kv_cstr(&w, "sealed_by", hex);
		jw_key(&w, "signatories");
		jw_array_begin(&w);
		for (size_t i = 0; i < r.nsignatories; i++) {
			const struct contract_signatory *s = &r.signatories[i];
			jw_object_begin(&w);
			jw_kv_str(&w, "first_name", s->first_name);
			jw_kv_str(&w, "last_name", s->last_name);
			contract_time(s->signed_at, when);
			jw_kv_cstr(&w, "signed_at", when);
			jw_kv_cstr(&w, "signatory_type", contract_party_type_name(s->type));
			if (s->ssn.len)
				jw_kv_str(&w, "ssn", s->ssn);
			else
				jw_kv_null(&w, "ssn");
			jw_object_end(&w);
		}
		jw_array_end(&w);
	}
	jw_object_end(&w);
	print_json(&b);
	arena_destroy(a);
	return verdict == CONTRACT_VALID ? 0 : 1;
}

/* "a,b" → bits of the event types; -1 with a message naming an unknown one. */
static int parse_events(const char *list, unsigned *bits)
{
	struct str s = str_from_cstr(list);
	size_t start = 0;

	*bits = 0;
	for (size_t i = 0; i <= s.len; i++) {
		if (i < s.len && s.ptr[i] != ',')
			continue;
		struct str name = str_trim((struct str){ s.ptr + start, i - start });
		unsigned bit = webhook_event_bit(name);
		if (!bit) {
			fprintf(stderr, "rentd: --events: \"%.*s\" is not one of agreement_created, project_interaction,"
					" reservation, application_signature, signing_completed\n",
				STR_FMT(name));
			return -1;
		}
		*bits |= bit;
		start = i + 1;
	}
	return 0;
}

/*
 * webhook create|list|update|delete|test|rotate-secret|deliveries|redeliver: a company's webhook subscriptions
 * (core/webhooks/webhooks.h) through the API's core calls, printed as the API answers them.
 */
static int cmd_webhook(const struct config *cfg, const char *sub, const char *id_arg, const struct cli_opts *o)
{
	bool create = strcmp(sub, "create") == 0, list = strcmp(sub, "list") == 0, update = strcmp(sub, "update") == 0;
	int64_t company, id = 0, offset = 0, amount = WEBHOOK_DELIVERIES_AMOUNT_DEFAULT, delivery = 0;
	struct webhook_input in = { 0 };
	struct webhook hook;
	struct env e;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (need(o->company, "--company") < 0)
		return 2;
	if (parse_id(o->company, &company) < 0 || (!create && !list && parse_id(id_arg, &id) < 0) ||
	    (o->offset && (str_to_int64(str_from_cstr(o->offset), &offset) < 0 || offset < 0)) ||
	    (o->amount && (str_to_int64(str_from_cstr(o->amount), &amount) < 0 || amount < 1 ||
			   amount > WEBHOOK_DELIVERIES_AMOUNT_MAX))) {
		fprintf(stderr, "rentd: usage: rentd webhook %s%s --company ID%s\n", sub, create || list ? "" : " ID",
			strcmp(sub, "deliveries") == 0 ? " [--offset K] [--amount N (1-500)]" : "");
		return 2;
	}
	if (create && (need(o->url, "--url") < 0 || need(o->events, "--events") < 0))
		return 2;
	if (update && !o->url && !o->events && !o->description && !o->active) {
		fprintf(stderr, "rentd: webhook update needs --url, --events, --description or --active on|off\n");
		return 2;
	}
	if (o->events && parse_events(o->events, &in.events) < 0)
		return 2;
	if (o->active && strcmp(o->active, "on") && strcmp(o->active, "off")) {
		fprintf(stderr, "rentd: --active takes on or off\n");
		return 2;
	}
	if (strcmp(sub, "redeliver") == 0 && (need(o->delivery, "--delivery") < 0 || parse_id(o->delivery, &delivery) < 0))
		return 2;
	in.has_url = o->url != NULL;
	in.url = str_from_cstr(o->url);
	in.has_events = o->events != NULL;
	in.has_description = o->description != NULL;
	in.description = str_from_cstr(o->description);
	in.has_active = o->active != NULL;
	in.active = o->active && strcmp(o->active, "on") == 0;
	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_company_get(e.store, e.arena, company, &(struct company){ 0 }, &e.err) < 0)
		goto fail;
	buf_init(&b, e.arena, 4096);
	jw_init(&w, &b);
	if (create || update || strcmp(sub, "rotate-secret") == 0) {
		if ((create   ? webhooks_create(e.core, e.arena, company, &in, &hook, &e.err)
		     : update ? webhooks_update(e.core, e.arena, company, id, &in, &hook, &e.err)
			      : webhooks_rotate_secret(e.core, e.arena, company, id, &hook, &e.err)) < 0)
			goto fail;
		landlord_write_webhook(&w, &hook);
	} else if (list) {
		struct webhook *hooks;
		size_t n;
		if (webhooks_list(e.core, e.arena, company, &hooks, &n, &e.err) < 0)
			goto fail;
		landlord_write_webhooks(&w, hooks, n);
	} else if (strcmp(sub, "delete") == 0) {
		if (webhooks_delete(e.core, e.arena, company, id, &e.err) < 0)
			goto fail;
		jw_object_begin(&w);
		jw_kv_int(&w, "deleted", id);
		jw_object_end(&w);
	} else if (strcmp(sub, "test") == 0 || strcmp(sub, "redeliver") == 0) {
		struct str uuid;
		if ((strcmp(sub, "test") == 0 ? webhooks_test(e.core, e.arena, company, id, &uuid, &e.err)
					      : webhooks_redeliver(e.core, e.arena, company, id, delivery, &uuid, &e.err)) < 0)
			goto fail;
		jw_object_begin(&w);
		jw_kv_str(&w, "uuid", uuid);
		jw_object_end(&w);
	} else {
		struct webhook_delivery *d;
		size_t n;
		int64_t total;
		if (webhooks_deliveries(e.core, e.arena, company, id, offset, amount, &d, &n, &total, &e.err) < 0)
			goto fail;
		landlord_write_webhook_deliveries(&w, d, n, total);
	}
	print_json(&b);
	rc = 0;
	goto out;
fail:
	rc = fail(&e);
out:
	env_close(&e);
	return rc;
}

static void copy_progress(void *arg, const char *phase, const char *table, int64_t done, int64_t total)
{
	(void)arg;
	fprintf(stderr, "rentd copy: %s %s: %lld of %lld rows\n", phase, table, (long long)done, (long long)total);
}

/*
 * copy --from sqlite:FILE --to postgresql://…: the whole installation into a new PostgreSQL
 * database, every table's count and checksum compared before the commit (store/store_copy.h).
 * Exit 0 copied, 1 refused or failed (nothing committed but the destination's migrations),
 * 2 bad arguments.
 */
static int cmd_copy(const struct config *cfg, const struct cli_opts *o)
{
	struct arena *a;
	struct error err;
	struct store_copy_result res;
	struct timespec t0, t1;
	double secs;
	int rc;

	if (need(o->from, "--from sqlite:FILE") < 0 || need(o->to, "--to postgresql://…") < 0)
		return 2;
	if (strncmp(o->from, "sqlite:", 7) != 0 || !o->from[7]) {
		fprintf(stderr, "rentd: --from takes sqlite:FILE (the SQLite database file), not %s\n", o->from);
		return 2;
	}
	if (store_database_is_file(o->to)) {
		fprintf(stderr, "rentd: --to takes a postgresql://… (or postgres://…) URL\n");
		return 2;
	}
	log_set_level((enum log_level)cfg->log_level);
	a = arena_create(16 * 1024);
	error_init(&err, a);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = store_copy(o->from + 7, o->to, a, copy_progress, NULL, &res, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (size_t i = 0; i < res.ntables; i++)
		printf("%-34s %10lld rows  checksum %s  %s\n", res.tables[i].name, (long long)res.tables[i].rows,
		       res.tables[i].checksum, res.tables[i].ok ? "ok" : "DIFFERS");
	if (rc < 0) {
		fflush(stdout);
		fprintf(stderr, "rentd: copy failed: %s\n", err.message ? err.message : error_kind_name(err.kind));
		arena_destroy(a);
		return 1;
	}
	printf("total %zu tables, %lld rows copied and verified in %.1f s (%.0f rows/s); %d migration(s) applied "
	       "to the destination first\n",
	       res.ntables, (long long)res.rows, secs, secs > 0 ? (double)res.rows / secs : 0.0,
	       res.migrations_applied);
	fflush(stdout);
	arena_destroy(a);
	return 0;
}

int cli_main(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	const char *cmd = argv[1];
	const char *sub = argc > 2 ? argv[2] : "";

	if (strcmp(cmd, "company") == 0 && strcmp(sub, "create") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_company_create(&cfg, &o);
	}
	if (strcmp(cmd, "agent") == 0 && strcmp(sub, "create") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_agent_create(&cfg, &o);
	}
	if (strcmp(cmd, "applicant") == 0 && strcmp(sub, "create") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_applicant_create(&cfg, &o);
	}
	if (strcmp(cmd, "applicant") == 0 && strcmp(sub, "tokens") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_applicant_tokens(&cfg, &o);
	}
	if (strcmp(cmd, "employee") == 0 && strcmp(sub, "create") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_employee_create(&cfg, &o);
	}
	if (strcmp(cmd, "employee") == 0 &&
	    (strcmp(sub, "password") == 0 || strcmp(sub, "totp") == 0 || strcmp(sub, "device-verification") == 0)) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_user(&cfg, sub, &o);
	}
	if (strcmp(cmd, "invitations") == 0 && strcmp(sub, "list") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_invitations_list(&cfg);
	}
	if (strcmp(cmd, "account") == 0 && strcmp(sub, "obfuscate") == 0) {
		if (parse(argc, argv, 4, &o, &cfg) < 0)
			return 2;
		return cmd_account_obfuscate(&cfg, argc > 3 ? argv[3] : NULL);
	}
	if (strcmp(cmd, "account") == 0 && strcmp(sub, "remind-availabilities") == 0) {
		if (parse(argc, argv, 4, &o, &cfg) < 0)
			return 2;
		return cmd_remind_availabilities(&cfg, argc > 3 ? argv[3] : NULL);
	}
	if (strcmp(cmd, "lottery") == 0 && strcmp(sub, "verify") == 0) {
		const char *listing = argc > 3 && argv[3][0] != '-' ? argv[3] : NULL;
		if (parse(argc, argv, listing ? 4 : 3, &o, &cfg) < 0)
			return 2;
		return cmd_lottery_verify(&cfg, listing);
	}
	if (strcmp(cmd, "process") == 0 && strcmp(sub, "close") == 0) {
		const char *list = argc > 3 && argv[3][0] != '-' ? argv[3] : NULL;
		if (parse(argc, argv, list ? 4 : 3, &o, &cfg) < 0)
			return 2;
		return cmd_process_close(&cfg, list, &o);
	}
	if (strcmp(cmd, "webhook") == 0 &&
	    (strcmp(sub, "create") == 0 || strcmp(sub, "list") == 0 || strcmp(sub, "delete") == 0 ||
	     strcmp(sub, "test") == 0 || strcmp(sub, "rotate-secret") == 0 || strcmp(sub, "deliveries") == 0 ||
	     strcmp(sub, "update") == 0 || strcmp(sub, "redeliver") == 0)) {
		const char *id = argc > 3 && argv[3][0] != '-' ? argv[3] : NULL;
		if (parse(argc, argv, id ? 4 : 3, &o, &cfg) < 0)
			return 2;
		return cmd_webhook(&cfg, sub, id, &o);
	}
	if (strcmp(cmd, "seed") == 0) {
		if (parse(argc, argv, 2, &o, &cfg) < 0)
			return 2;
		return cmd_seed(&cfg, &o);
	}
	if (strcmp(cmd, "demo") == 0 && strcmp(sub, "reset-passwords") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_demo_reset_passwords(&cfg);
	}
	if (strcmp(cmd, "contract") == 0 && strcmp(sub, "public-key") == 0) {
		if (parse(argc, argv, 3, &o, &cfg) < 0)
			return 2;
		return cmd_contract_public_key(&cfg);
	}
	if (strcmp(cmd, "contract") == 0 && strcmp(sub, "verify") == 0) {
		if (parse(argc, argv, 4, &o, &cfg) < 0)
			return 2;
		return cmd_contract_verify(&cfg, argc > 3 ? argv[3] : NULL, &o);
	}
	if (strcmp(cmd, "copy") == 0) {
		if (parse(argc, argv, 2, &o, &cfg) < 0)
			return 2;
		return cmd_copy(&cfg, &o);
	}
	if (strcmp(cmd, "checkin-token") == 0) {
		if (parse(argc, argv, 2, &o, &cfg) < 0)
			return 2;
		return cmd_user(&cfg, "checkin-token", &o);
	}
	return -1;
}
