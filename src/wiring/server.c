#include "wiring/server.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "core/listings/listings.h"
#include "core/media/media.h"
#include "core/market/process.h"
#include "core/webhooks/webhooks.h"
#include "core/accounts/notify.h"
#include "core/media/storage.h"
#include "dialects/dialects.h"
#include "dialects/portal.h"
#include "jobs/jobs.h"

struct server {
	struct config cfg; /* with its derived settings; core's strings point into it */
	struct core core;
	struct app *app;
};

/*
 * "<directory of the database>/<name>": one directory holds all of an installation's state. A
 * PostgreSQL URL names no directory: the state is in var/, the default SQLite file's directory.
 */
static void beside_database(char *out, size_t size, const char *database, const char *name)
{
	const char *slash;

	if (!store_database_is_file(database)) {
		(void)mkdir("var", 0755); /* as SQLite's directory is made; an error shows when the file is opened */
		snprintf(out, size, "var/%s", name);
		return;
	}
	slash = strrchr(database, '/');
	snprintf(out, size, "%.*s%s%s", slash ? (int)(slash - database) : 0, database, slash ? "/" : "", name);
}

static void derive_config(struct config *cfg)
{
	if (!cfg->public_url[0])
		snprintf(cfg->public_url, sizeof(cfg->public_url), "http://%s%s%s:%u",
			 strchr(cfg->listen_host, ':') ? "[" : "", cfg->listen_host,
			 strchr(cfg->listen_host, ':') ? "]" : "", cfg->listen_port);
	if (!cfg->secret_file[0])
		beside_database(cfg->secret_file, sizeof(cfg->secret_file), cfg->database, "secret");
	if (!cfg->contract_key_file[0])
		beside_database(cfg->contract_key_file, sizeof(cfg->contract_key_file), cfg->database, "contract-key");
	if (!cfg->media_dir[0])
		beside_database(cfg->media_dir, sizeof(cfg->media_dir), cfg->database, "media");
}

/*
 * The media store the configuration names: local disk under --media-dir, or an S3-compatible
 * bucket (its temporary files in <media-dir>/tmp), checked with a HEAD of the bucket so that a
 * wrong endpoint, bucket or credentials stop the start with a clear message.
 */
static struct storage *media_store(struct config *cfg, char *msg, size_t msglen)
{
	struct storage *st;
	char tmp[sizeof(cfg->media_dir) + 8];
	char key[sizeof(cfg->media_s3_access_key)], secret[sizeof(cfg->media_s3_secret_key)];

	if (cfg->media_store != MEDIA_STORE_S3)
		return storage_local_create(cfg->media_dir, msg, msglen);
	if (!cfg->media_s3_endpoint[0] || !cfg->media_s3_bucket[0]) {
		snprintf(msg, msglen, "--media-store s3 needs --media-s3-endpoint and --media-s3-bucket");
		return NULL;
	}
	/* the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) wins over the file */
	if (!cfg->media_s3_access_key[0] && !cfg->media_s3_secret_key[0] && cfg->media_s3_credentials_file[0]) {
		if (storage_s3_credentials_load(cfg->media_s3_credentials_file, key, sizeof(key), secret, sizeof(secret),
						msg, msglen) < 0)
			return NULL;
	} else {
		snprintf(key, sizeof(key), "%s", cfg->media_s3_access_key);
		snprintf(secret, sizeof(secret), "%s", cfg->media_s3_secret_key);
	}
	snprintf(tmp, sizeof(tmp), "%s/tmp", cfg->media_dir);
	st = storage_s3_create(&(struct storage_s3_settings){
		.endpoint = cfg->media_s3_endpoint,
		.bucket = cfg->media_s3_bucket,
		.region = cfg->media_s3_region,
		.prefix = cfg->media_s3_prefix,
		.access_key = key,
		.secret_key = secret,
		.tmp_dir = tmp,
		.ca_file = cfg->media_s3_ca_file,
		.virtual_host = cfg->media_s3_virtual_host,
	}, msg, msglen);
	/* the store keeps its own copy */
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(cfg->media_s3_secret_key, sizeof(cfg->media_s3_secret_key));
	if (st && storage_s3_check(st, msg, msglen) < 0) {
		storage_destroy(st);
		return NULL;
	}
	if (st)
		log_info("media: S3 bucket %s at %s%s%s (temporary files in %s)", cfg->media_s3_bucket,
			 cfg->media_s3_endpoint, cfg->media_s3_prefix[0] ? ", keys under " : "", cfg->media_s3_prefix, tmp);
	return st;
}

/* The areas that queue background jobs, each with its own table of kinds (core/job_kind.h). */
static pthread_once_t job_kinds_once = PTHREAD_ONCE_INIT;
static int job_kinds_rc;

static void register_job_kinds(void)
{
	const struct {
		const char *area;
		const struct job_kind *kinds;
		size_t n;
	} areas[] = {
		{ "media", media_job_kinds, media_job_kinds_count },
		{ "notify", notify_job_kinds, notify_job_kinds_count },
		{ "listings", listings_job_kinds, listings_job_kinds_count },
		{ "process", process_job_kinds, process_job_kinds_count },
		{ "webhooks", webhook_job_kinds, webhook_job_kinds_count },
	};

	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		if (jobs_register(areas[i].kinds, areas[i].n) < 0) {
			log_error("cannot register the %s job kinds (a kind twice, or more than %d kinds)",
				  areas[i].area, JOBS_MAX_KINDS);
			job_kinds_rc = -1;
		}
}

int server_register_job_kinds(void)
{
	pthread_once(&job_kinds_once, register_job_kinds);
	return job_kinds_rc;
}

struct server *server_assemble(const struct config *cfg, struct store *store)
{
	struct server *s = calloc(1, sizeof(*s));
	struct app_parts parts;
	struct error err;
	char msg[512];
	int rc = -1;

	if (!s)
		die_oom();
	s->cfg = *cfg;
	derive_config(&s->cfg);

	if (server_register_job_kinds() < 0)
		goto out;
	s->core.token_ttl = s->cfg.token_ttl;
	s->core.geo_dir = s->cfg.geo_dir;
	s->core.public_url = s->cfg.public_url;
	s->core.smtp_url = s->cfg.smtp_url;
	s->core.smtp_from = s->cfg.smtp_from;
	webhooks_configure(&(struct webhook_settings){
		.allow_http = s->cfg.webhook_allow_http,
		.allow_loopback = s->cfg.webhook_allow_loopback,
		.retry_interval = s->cfg.webhook_retry_interval,
		.give_up = s->cfg.webhook_give_up,
		.timeout = s->cfg.webhook_timeout,
		.connect_timeout = s->cfg.webhook_timeout < 5 ? s->cfg.webhook_timeout : 5,
		.concurrency = s->cfg.webhook_concurrency,
		.resolve = s->cfg.webhook_resolve[0] ? s->cfg.webhook_resolve : NULL,
	});
	if (core_init(&s->core, store, s->cfg.password_threads) < 0) {
		log_error("cannot initialise the core (libsodium or memory)");
		goto out;
	}
	if (secrets_load(s->cfg.secret_file, s->cfg.secret, &s->core.secrets, msg, sizeof(msg)) < 0) {
		log_error("%s", msg);
		goto out;
	}
	if (contract_key_load(s->cfg.contract_key_file, s->cfg.contract_key, &s->core.contract_key, msg, sizeof(msg)) < 0) {
		log_error("%s", msg);
		goto out;
	}
	s->core.storage = media_store(&s->cfg, msg, sizeof(msg));
	if (!s->core.storage) {
		log_error("%s", msg);
		goto out;
	}

	error_init(&err, NULL);
	if (webhooks_resume(&s->core, &err) < 0) /* events left by a job that failed for good */
		log_warn("webhooks: cannot look for pending deliveries: %s", err.message ? err.message : "failed");

	parts.core = &s->core;
	parts.tables = dialect_tables;
	parts.ntables = dialect_tables_count;
	parts.render_error = dialect_render_error;
	s->app = app_create(&s->cfg, &parts);
	if (!s->app || portal_add_routes(s->app, &s->cfg) < 0 || system_add_test_clock(s->app, &s->cfg) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		server_destroy(s);
		return NULL;
	}
	return s;
}

void server_destroy(struct server *s)
{
	if (!s)
		return;
	core_fini(&s->core); /* joins the pool: no job is left running; safe on a partial core_init() */
	contract_key_wipe(&s->core.contract_key);
	storage_destroy(s->core.storage);
	app_destroy(s->app);
	free(s);
}

struct app *server_app(struct server *s)
{
	return s->app;
}

struct core *server_core(struct server *s)
{
	return &s->core;
}

int server_contract_key(const struct config *cfg, struct contract_key *out)
{
	struct config derived = *cfg;
	char msg[512];

	int rc;

	derive_config(&derived);
	rc = contract_key_load(derived.contract_key_file, derived.contract_key, out, msg, sizeof(msg));
	sodium_memzero(derived.contract_key, sizeof(derived.contract_key));
	sodium_memzero(derived.secret, sizeof(derived.secret));
	if (rc < 0)
		log_error("%s", msg);
	return rc;
}
