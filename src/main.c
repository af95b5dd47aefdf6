/*
 * main.c — the rentd command line: serve, migrate, version, help.
 *
 * serve wires the process together: config → store (opened and migrated here) →
 * core and app (server_assemble(), wiring/server.h) → jobs and the HTTP server.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include "app/app.h"
#include "cli.h"
#include "app/config.h"
#include "base/log.h"
#include "http/http_server.h"
#include "jobs/jobs.h"
#include "store/store.h"
#include "wiring/server.h"

static const char usage[] =
	"rentd " RENTD_VERSION " — rental-housing marketplace server\n"
	"\n"
	"usage: rentd COMMAND [OPTIONS]\n"
	"\n"
	"commands:\n"
	"  serve      migrate the database, then serve HTTP until SIGINT/SIGTERM\n"
	"  migrate    apply pending database migrations and exit\n"
	"  version    print the version\n"
	"  company create --name NAME --admin-username USER --admin-password PASS\n"
	"             create a company with its root office, default right profiles and an admin\n"
	"  employee create --company ID --username USER --password PASS [--office ID]\n"
	"             [--right-profile observer|employee|manager|admin|NAME] [--email E]\n"
	"             [--first-name F] [--last-name L] [--personal-number N]\n"
	"  agent create --email EMAIL --password PASS [--name NAME]\n"
	"             create one of the operator's staff (accounts API); prints its id\n"
	"  employee password --username USER --password PASS\n"
	"  employee totp --username USER on|off        two-factor login (prints the secret)\n"
	"  employee device-verification --username USER on|off\n"
	"  checkin-token --username USER --personal-number N\n"
	"             a 15-minute token that registers a new device for that person\n"
	"  seed --apartments N [--company ID]\n"
	"             generate N apartments in estates of 5-40 across Sweden (geography from\n"
	"             --geo-dir/RENTD_GEO_DIR, default data/geo) for the company (default: lowest id)\n"
	"  seed --listings N [--company ID]\n"
	"             generate N listings (and their search cards, projects and pictures) over free\n"
	"             apartments of the company, generating apartments first when there are too few\n"
	"  seed --accounts N [--events M]\n"
	"             generate N landlord accounts (accounts API) and M outbox events spread over them\n"
	"  seed --applicants N\n"
	"             generate N market applicants with queue places joined over 15 years\n"
	"             (password applicant-seed)\n"
	"  seed --applications N --listing ID[,ID...] [--offset K]\n"
	"             N open applications on each listing, by seeded applicants of its queue (the\n"
	"             K+1st on; each listing other ones), over its window, with their points and\n"
	"             screening: benchmarks of the letting process\n"
	"  seed --webhook-events N --company ID --listing ID\n"
	"             N reservation events of the listing in the outbox, sent to the company's\n"
	"             webhooks: the webhook benchmark\n"
	"  applicant create --email E --password P --first-name F --last-name L\n"
	"             (--personal-number N | --birth-date YYYY-MM-DD) [--queues residential,parking]\n"
	"             create a market applicant, in the queues named (joined today)\n"
	"  applicant tokens --count N [--queues QUEUE]\n"
	"             access tokens of the first N applicants (in QUEUE), one a line: load tests\n"
	"  invitations list\n"
	"             the pending invitation e-mails of landlord accounts, with their set-password links\n"
	"  account remind-availabilities ACCOUNT_ID\n"
	"             queue an e-mail asking the account's booking contact to update its availabilities\n"
	"  account obfuscate ACCOUNT_ID\n"
	"             erase the personal data of a landlord account (GDPR)\n";

/* The commands, continued (C17 promises string literals of 4095 characters only). */
static const char usage_more[] =
	"  lottery verify LISTING_ID\n"
	"             check a random listing's drawn lottery: SHA-256(seed) = the commitment, and\n"
	"             the order recomputed (docs/LOTTERY.md); exit 3 while the seed is secret\n"
	"  process close LISTING_ID[,ID...] [--early]\n"
	"             rank the applications of listings whose applications have closed and offer the\n"
	"             first batch, timed (what the deadline's job does); --early: also those that close\n"
	"             later, with the clock at their deadline\n"
	"  webhook create --company ID --url URL --events TYPE[,TYPE...] [--description D]\n"
	"             subscribe a company's system to webhook events (agreement_created,\n"
	"             project_interaction, reservation, application_signature, signing_completed);\n"
	"             prints the subscription with its signing secret (shown only here and on rotation)\n"
	"  webhook list --company ID\n"
	"  webhook update ID --company ID [--url URL] [--events TYPE,...] [--description D] [--active on|off]\n"
	"  webhook delete ID --company ID\n"
	"  webhook test ID --company ID           queue a test event (\"type\": \"ping\") to it\n"
	"  webhook rotate-secret ID --company ID  a new secret; the old one also signs for 24 hours\n"
	"  webhook deliveries ID --company ID [--offset K] [--amount N]\n"
	"             its delivery log, newest first (docs/API.md \"Webhooks\")\n"
	"  webhook redeliver ID --company ID --delivery N   send that logged delivery's event again\n"
	"  contract public-key\n"
	"             the Ed25519 public key that seals signed contracts (creates the key on first use)\n"
	"  contract verify FILE.pdf [--public-key HEX]\n"
	"             verify a signed contract offline; without --public-key, against this installation's\n"
	"             key; exit 0 valid, 1 not valid\n"
	"  copy --from sqlite:FILE --to postgresql://USER@HOST/DB\n"
	"             copy a SQLite installation (at the latest schema version; only read) into a new\n"
	"             PostgreSQL database, migrated first; every table's rows counted and checksummed\n"
	"             on both sides before the one commit. Stop the server first for an exact copy\n"
	"  demo reset-passwords\n"
	"             new random passwords for the demo's users (made by serve --demo); prints them\n"
	"  help       print this text (also --help, -h)\n"
	"\n";

/* A second string: C17 promises string literals of 4095 characters only. */
static const char usage_options[] =
	"options (each also read from the environment variable shown):\n"
	"  --listen HOST:PORT          RENTD_LISTEN            default 127.0.0.1:8080\n"
	"  --database PATH             RENTD_DATABASE          default var/rentd.db (SQLite file;\n"
	"                                                      postgresql://… for PostgreSQL 15, state in var/)\n"
	"  --threads N                 RENTD_THREADS           worker threads, default one per CPU\n"
	"  --body-limit BYTES          RENTD_BODY_LIMIT        default 1048576; larger bodies get 413\n"
	"  --connection-limit N        RENTD_CONNECTION_LIMIT  default 4096\n"
	"  --connection-timeout SECS   RENTD_CONNECTION_TIMEOUT idle keep-alive timeout, default 30\n"
	"  --header-timeout SECS       RENTD_HEADER_TIMEOUT whole request head of a new connection, default 10\n"
	"  --per-ip-connection-limit N RENTD_PER_IP_CONNECTION_LIMIT connections per client address, default 256 (0: none)\n"
	"  --access-log on|off         RENTD_ACCESS_LOG        default on\n"
	"  --log-level LEVEL           RENTD_LOG_LEVEL         debug|info|warn|error|off, default info\n"
	"  --secret-file PATH          RENTD_SECRET_FILE       signing secret, created on first start;\n"
	"                                                      default: 'secret' beside the database\n"
	"                              RENTD_SECRET            the secret itself (>= 32 chars), instead of the file\n"
	"  --contract-key-file PATH    RENTD_CONTRACT_KEY_FILE the key sealing signed contracts, created on first start;\n"
	"                                                      default: 'contract-key' beside the database\n"
	"                              RENTD_CONTRACT_KEY      the key's seed itself (64 hex digits), instead of the file\n"
	"  --token-ttl SECS            RENTD_TOKEN_TTL         login token lifetime, default 86400\n"
	"  --password-threads N        RENTD_PASSWORD_THREADS  argon2id pool, default 2\n"
	"  --public-url URL            RENTD_PUBLIC_URL        base of absolute URLs in answers\n"
	"  --media-dir PATH            RENTD_MEDIA_DIR         uploaded files and thumbnails;\n"
	"                                                      default: 'media' beside the database\n"
	"  --media-store local|s3      RENTD_MEDIA_STORE       where uploaded files go: --media-dir (default), or an\n"
	"                                                      S3-compatible bucket (then --media-dir holds temporary files)\n"
	"  --media-s3-endpoint URL     RENTD_MEDIA_S3_ENDPOINT the store, e.g. https://s3.eu-north-1.amazonaws.com\n"
	"  --media-s3-bucket NAME      RENTD_MEDIA_S3_BUCKET   the bucket (it must exist)\n"
	"  --media-s3-region R         RENTD_MEDIA_S3_REGION   the signing region, default us-east-1\n"
	"  --media-s3-prefix P         RENTD_MEDIA_S3_PREFIX   keys go under P/ in the bucket, default none\n"
	"  --media-s3-credentials-file PATH\n"
	"                              RENTD_MEDIA_S3_CREDENTIALS_FILE  an AWS credentials file; AWS_ACCESS_KEY_ID\n"
	"                                                      and AWS_SECRET_ACCESS_KEY in the environment win\n"
	"  --media-s3-ca-file PATH     RENTD_MEDIA_S3_CA_FILE  CA certificates for the store's TLS, default the system's\n"
	"  --media-s3-url-style path|virtual-host\n"
	"                              RENTD_MEDIA_S3_URL_STYLE  host/bucket/key (default) or bucket.host/key\n"
	"  --upload-limit BYTES        RENTD_UPLOAD_LIMIT      largest upload (spooled to disk), default 2147483648\n"
	"  --job-workers N             RENTD_JOB_WORKERS       background job threads (thumbnails, e-mails), default 1\n"
	"  --geo-dir PATH              RENTD_GEO_DIR           Swedish geography data, default data/geo\n"
	"  --smtp-url URL              RENTD_SMTP_URL          smtp://[user:password@]host[:port] or smtps://…;\n"
	"                                                      without it e-mails go to the log\n"
	"  --smtp-from ADDRESS         RENTD_SMTP_FROM         sender of e-mails, default rentd@localhost\n"
	"";
static const char usage_webhook_options[] =
	"  --webhook-retry-interval S  RENTD_WEBHOOK_RETRY_INTERVAL  seconds between attempts at a failing\n"
	"                                                      webhook event, default 300\n"
	"  --webhook-give-up S         RENTD_WEBHOOK_GIVE_UP   seconds after an event when its failed attempt is\n"
	"                                                      the last, default 604800 (7 days)\n"
	"  --webhook-timeout S         RENTD_WEBHOOK_TIMEOUT   seconds a webhook request may take, default 10\n"
	"  --webhook-concurrency N     RENTD_WEBHOOK_CONCURRENCY  subscriptions sent to at once, default 16\n"
	"  --webhook-allow-http on|off RENTD_WEBHOOK_ALLOW_HTTP  http:// webhook URLs too (development), default off\n"
	"  --webhook-allow-loopback on|off\n"
	"                              RENTD_WEBHOOK_ALLOW_LOOPBACK  let webhooks reach 127.0.0.0/8 and ::1 (tests),\n"
	"                                                      default off\n"
	"  --webhook-resolve H:P:A[,…] RENTD_WEBHOOK_RESOLVE   pin host H, port P to address A (still checked)\n"
	"  --market-api-key KEY        RENTD_MARKET_API_KEY    the market portal key (X-Api-Key), named by\n"
	"                                                      /assets/app-settings.json; default rentd-market\n"
	"  --market-api-key-required on|off\n"
	"                              RENTD_MARKET_API_KEY_REQUIRED  refuse /v2/ calls without it (401), default off\n"
	"  --portal on|off             RENTD_PORTAL            the applicant portal (docs/PORTAL.md), default on;\n"
	"                                                      --no-portal is --portal off\n"
	"  --portal-prefix PATH        RENTD_PORTAL_PREFIX     where the portal is served, default /\n"
	"  --brand-colour #RRGGBB      RENTD_BRAND_COLOUR      the landlord's primary colour (portal, client\n"
	"                                                      configuration), default rentd's\n"
	"  --brand-logo FILE           RENTD_BRAND_LOGO        the landlord's logo, an .svg or .png file\n"
	"  --test-clock                                        serve, for tests only: POST /test-clock moves the\n"
	"                                                      server's time forward (never in production)\n"
	"  --demo                                              serve: on an empty database, create the demo landlord;\n"
	"                                                      print its users and next commands\n";

/* mkdir -p of the directory holding a database file, so a fresh checkout starts. */
static int ensure_parent_dir(const char *path)
{
	char dir[1024];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		return -1;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int open_store(const struct config *cfg, struct store **store)
{
	struct arena *a = arena_create(4096);
	struct error err;
	int applied = 0;
	int rc = -1;

	error_init(&err, a);
	if (strstr(cfg->database, "://") == NULL && ensure_parent_dir(cfg->database) < 0) {
		log_error("cannot create the directory of %s: %s", cfg->database, strerror(errno));
		goto out;
	}
	if (store_open(cfg->database, store, &err) < 0) {
		log_error("%s", err.message ? err.message : "cannot open the database");
		goto out;
	}
	if (store_migrate(*store, &applied, &err) < 0) {
		log_error("%s", err.message ? err.message : "migration failed");
		store_close(*store);
		*store = NULL;
		goto out;
	}
	if (applied) {
		char shown[sizeof(cfg->database)];
		log_info("database %s migrated (%d migration(s) applied)",
			 store_database_shown(cfg->database, shown, sizeof(shown)), applied);
	}
	rc = 0;
out:
	arena_destroy(a);
	return rc;
}

/*
 * Whether serve can listen where it is told to, checked before anything is created: a second
 * rentd on a busy port must fail without leaving a database and a secret behind. The probe binds
 * with SO_REUSEADDR as libmicrohttpd does, so a port in TIME_WAIT is free here as it is there.
 * Port 0 (any free port) always is; a name that does not resolve is left to the server's message.
 */
static int check_listen_address(const struct config *cfg)
{
	struct addrinfo hints, *ai = NULL;
	char port[16];
	const char *v6 = strchr(cfg->listen_host, ':') ? "[" : "";
	int fd, rc = 0, one = 1;

	if (cfg->listen_port == 0)
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof(port), "%u", cfg->listen_port);
	if (getaddrinfo(cfg->listen_host, port, &hints, &ai) != 0 || !ai)
		return 0;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			if (errno == EADDRINUSE)
				fprintf(stderr, "rentd: %s%s%s:%u is in use (another rentd?); choose another with --listen HOST:PORT\n",
					v6, cfg->listen_host, *v6 ? "]" : "", cfg->listen_port);
			else
				fprintf(stderr, "rentd: cannot listen on %s%s%s:%u: %s\n", v6, cfg->listen_host,
					*v6 ? "]" : "", cfg->listen_port, strerror(errno));
			rc = -1;
		}
		close(fd);
	}
	freeaddrinfo(ai);
	return rc;
}

static int app_handler(void *arg, struct request *req, struct response *resp)
{
	return app_handle(arg, req, resp);
}

static void app_submitter(void *arg, struct request *req)
{
	app_submit(arg, req);
}

static enum http_body_plan app_planner(void *arg, struct request *req, uint64_t *limit)
{
	return app_body_plan(arg, req, limit);
}

/*
 * What serve prints: stdout is for people and scripts, in plain text — first the one
 * line "rentd listening on URL" (scripts and tests read the port from it), then with
 * --demo the banner (cli_demo_banner); stderr carries only the JSON log lines
 * (base/log.h), so `2>rentd.log` keeps a clean log. demo NULL: no banner.
 */
static int cmd_serve(const struct config *cfg, const char *program, struct cli_demo *demo)
{
	struct store *store = NULL;
	struct server *assembled = NULL;
	struct app *app = NULL;
	struct http_server *server = NULL;
	struct jobs *jobs = NULL;
	struct http_server_options opt;
	sigset_t sigs;
	char msg[512], base[300];
	int sig = 0;
	long ncpu;

	/* block the stop signals before any thread starts, so only sigwait below sees them */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* the configured access log, whatever a command run before serving (the demo seed) set */
	log_set_access(cfg->access_log);
	if (open_store(cfg, &store) < 0)
		return 1;
	assembled = server_assemble(cfg, store);
	if (!assembled) {
		store_close(store);
		return 1;
	}
	app = server_app(assembled);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	opt.host = cfg->listen_host;
	opt.port = cfg->listen_port;
	opt.threads = cfg->threads ? cfg->threads : (unsigned)(ncpu > 0 ? ncpu : 1);
	opt.connection_limit = cfg->connection_limit;
	opt.connection_timeout = cfg->connection_timeout;
	opt.header_timeout = cfg->header_timeout;
	opt.per_ip_connection_limit = cfg->per_ip_connection_limit;
	opt.connection_memory = cfg->connection_memory;
	opt.body_limit = cfg->body_limit;
	opt.body_plan = app_planner;
	opt.spool_dir = app_spool_dir(app);
	jobs = jobs_start(server_core(assembled), cfg->job_workers);
	if (http_server_start(&opt, app_handler, app_submitter, app, &server, msg, sizeof(msg)) < 0) {
		log_error("%s", msg);
		jobs_stop(jobs);
		server_destroy(assembled);
		store_close(store);
		return 1;
	}
	snprintf(base, sizeof(base), "http://%s%s%s:%u", strchr(cfg->listen_host, ':') ? "[" : "", cfg->listen_host,
		 strchr(cfg->listen_host, ':') ? "]" : "", http_server_port(server));
	log_info("rentd %s started (%u worker threads)", RENTD_VERSION, opt.threads);
	printf("rentd listening on %s\n", base);
	if (demo) {
		cli_demo_banner(stdout, program, cfg, demo, base);
		sodium_memzero(demo->passwords, sizeof(demo->passwords));
	}
	fflush(stdout);

	while (sigwait(&sigs, &sig) != 0)
		;
	log_info("signal %d: stopping (finishing requests in flight)", sig);
	http_server_stop(server, 10000);
	jobs_stop(jobs); /* after the server: no request can queue a job any more */
	server_destroy(assembled);
	store_close(store);
	log_info("stopped cleanly");
	return 0;
}

static int cmd_migrate(const struct config *cfg)
{
	struct store *store = NULL;
	char shown[sizeof(cfg->database)];
	if (open_store(cfg, &store) < 0)
		return 1;
	printf("database %s is at schema version %lld\n", store_database_shown(cfg->database, shown, sizeof(shown)),
	       (long long)store_schema_latest());
	store_close(store);
	return 0;
}

int main(int argc, char **argv)
{
	struct config cfg;
	char msg[512];
	const char *cmd = argc > 1 ? argv[1] : "help";
	struct cli_demo demo_info;
	int demo = 0;

	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		fputs(usage_more, stdout);
		fputs(usage_options, stdout);
		fputs(usage_webhook_options, stdout);
		return argc > 1 ? 0 : 2;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("rentd %s\n", RENTD_VERSION);
		return 0;
	}
	if (argc > 1) {
		int rc = cli_main(argc, argv);
		if (rc >= 0)
			return rc;
	}
	if (strcmp(cmd, "serve") != 0 && strcmp(cmd, "migrate") != 0) {
		fprintf(stderr, "rentd: unknown command '%s'\n\n%s%s%s", cmd, usage, usage_more, usage_options);
		return 2;
	}
	config_defaults(&cfg);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0) {
			demo = 1;
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(char *));
			argc--;
			i--;
		}
	}
	if (config_from_env(&cfg, msg, sizeof(msg)) < 0 ||
	    config_from_args(&cfg, argc, argv, 2, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "rentd: %s\n", msg);
		return 2;
	}
	log_set_level((enum log_level)cfg.log_level);
	log_set_access(cfg.access_log);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(&cfg);
	if (check_listen_address(&cfg) < 0) /* before the database and the secret exist */
		return 1;
	if (VIPS_INIT(argv[0]) != 0) { /* once, before any thread uses it (thumbnail jobs) */
		fprintf(stderr, "rentd: cannot initialise libvips: %s\n", vips_error_buffer());
		return 1;
	}
	if (demo) {
		struct store *store = NULL;
		if (open_store(&cfg, &store) < 0) /* creates var/ and migrates before seeding */
			return 1;
		store_close(store);
		if (cli_seed_demo(&cfg, &demo_info) != 0)
			return 1;
	}
	{
		int rc = cmd_serve(&cfg, argv[0], demo ? &demo_info : NULL);
		vips_shutdown();
		return rc;
	}
}
