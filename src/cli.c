#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "base/log.h"
#include "core/inventory_seed.h"
#include "core/login.h"
#include "core/org.h"
#include "core/password.h"
#include "core/totp.h"
#include "json/json_write.h"

struct cli_opts {
	const char *name, *admin_username, *admin_password, *username, *password, *office, *company;
	const char *right_profile, *email, *first_name, *last_name, *personal_number, *onoff;
	const char *apartments;
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
};

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
	struct app *app;
	struct core *core;
	struct error err;
};

static int env_open(const struct config *cfg, struct env *e)
{
	int applied;
	memset(e, 0, sizeof(*e));
	e->arena = arena_create(16 * 1024);
	error_init(&e->err, e->arena);
	log_set_access(0);
	if (store_open(cfg->database, &e->store, &e->err) < 0 || store_migrate(e->store, &applied, &e->err) < 0) {
		fprintf(stderr, "rentd: %s\n", e->err.message ? e->err.message : "cannot open the database");
		return -1;
	}
	e->app = app_create(cfg, e->store);
	if (!e->app)
		return -1;
	e->core = app_core(e->app);
	return 0;
}

static void env_close(struct env *e)
{
	app_destroy(e->app);
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

/* seed --apartments N [--company ID]: generated inventory (core/inventory_seed.h). */
static int cmd_seed(const struct config *cfg, const struct cli_opts *o)
{
	struct env e;
	struct inventory_seed_result res;
	int64_t n = 0, company = 0;
	struct timespec t0, t1;
	struct buf b;
	struct jw w;
	int rc = 1;

	if (need(o->apartments, "--apartments") < 0)
		return 2;
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

int cli_seed_demo(const struct config *cfg)
{
	struct env e;
	struct company *list;
	size_t n;
	int rc = 1;

	if (env_open(cfg, &e) < 0)
		return 1;
	if (store_company_list(e.store, e.arena, &list, &n, &e.err) < 0) {
		rc = fail(&e);
		goto out;
	}
	if (n == 0) {
		char password[25];
		struct company_created cc;
		password_generate(password);
		if (create_company(&e, "Demo Fastigheter AB", "admin@demo.rentd.local", password, &cc) < 0) {
			rc = fail(&e);
			goto out;
		}
		printf("demo company %lld created; log in as admin@demo.rentd.local with password %s\n"
		       "  curl -s -X POST http://127.0.0.1:%u/api/v2/tokens/ -H 'Content-Type: application/json' \\\n"
		       "       -d '{\"username\": \"admin@demo.rentd.local\", \"password\": \"%s\"}'\n",
		       (long long)cc.company_id, password, cfg->listen_port, password);
		fflush(stdout);
	}
	rc = 0;
out:
	env_close(&e);
	return rc;
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
	if (strcmp(cmd, "seed") == 0) {
		if (parse(argc, argv, 2, &o, &cfg) < 0)
			return 2;
		return cmd_seed(&cfg, &o);
	}
	if (strcmp(cmd, "checkin-token") == 0) {
		if (parse(argc, argv, 2, &o, &cfg) < 0)
			return 2;
		return cmd_user(&cfg, "checkin-token", &o);
	}
	return -1;
}
