/*
 * config.h — runtime configuration: defaults, then environment, then flags.
 */
#ifndef RENTD_CONFIG_H
#define RENTD_CONFIG_H

#include <stddef.h>

struct config {
	char listen_host[256];
	unsigned listen_port;
	char database[1024];
	unsigned threads;            /* worker threads; 0 = one per CPU */
	size_t body_limit;           /* bytes; larger bodies get 413 */
	unsigned connection_limit;
	unsigned connection_timeout; /* seconds of inactivity before a connection is closed */
	unsigned header_timeout;     /* seconds a new connection has to send its whole request head */
	unsigned per_ip_connection_limit; /* concurrent connections from one address; 0 = no cap */
	size_t connection_memory;    /* libmicrohttpd per-connection buffer (headers, not the body) */
	int access_log;
	int log_level;               /* enum log_level */
	char secret_file[1024];      /* created with a random secret on first start; "" = beside the database */
	char secret[256];            /* RENTD_SECRET (environment only): wins over the file */
	char contract_key_file[1024]; /* the Ed25519 seed sealing contracts; "" = 'contract-key' beside the database */
	char contract_key[80];       /* RENTD_CONTRACT_KEY (environment only, 64 hex digits): wins over the file */
	long token_ttl;              /* seconds a login token is valid */
	unsigned password_threads;   /* the pool that hashes passwords */
	char public_url[512];        /* base of absolute URLs in responses; default from --listen */
	char geo_dir[1024];          /* Swedish geography (core/geo/geo.h): --geo-dir, RENTD_GEO_DIR */
	char media_dir[1024];        /* stored media files; "" = 'media' beside the database */
	/*
	 * The media store (core/media/storage.h): local disk under media_dir, or an S3-compatible
	 * bucket (several rentd on several machines), with media_dir/tmp for temporary files.
	 */
	int media_store;             /* enum config_media_store */
	char media_s3_endpoint[512]; /* http(s)://host[:port][/path] */
	char media_s3_bucket[256];
	char media_s3_region[64];    /* the signing region; default us-east-1 */
	char media_s3_prefix[512];   /* keys go under <prefix>/ in the bucket; "" = the bucket's root */
	char media_s3_credentials_file[1024]; /* an AWS shared-credentials file; the environment wins */
	char media_s3_ca_file[1024]; /* "" = the system's certificate authorities */
	int media_s3_virtual_host;   /* bucket.host/key URLs instead of host/bucket/key */
	char media_s3_access_key[256]; /* AWS_ACCESS_KEY_ID (environment only) */
	char media_s3_secret_key[256]; /* AWS_SECRET_ACCESS_KEY (environment only) */
	unsigned long long upload_limit; /* bytes an upload (PUT of a signed URL) may have */
	unsigned job_workers;        /* background job threads of `serve` (0: none) */
	char smtp_url[1024];         /* smtp://[user:pass@]host[:port] or smtps://…; "" = e-mails go to the log */
	char smtp_from[256];         /* the sender address of e-mails */
	/* webhooks (core/webhooks/webhooks.h, struct webhook_settings) */
	int webhook_allow_http;        /* http:// subscription URLs too (development) */
	int webhook_allow_loopback;    /* 127.0.0.0/8 and ::1 may be connected (tests) */
	unsigned webhook_retry_interval; /* seconds between attempts at a failing event */
	unsigned webhook_give_up;      /* seconds after an event when a failed attempt is its last */
	unsigned webhook_timeout;      /* seconds a request may take */
	unsigned webhook_concurrency;  /* subscriptions sent to at once */
	char webhook_resolve[512];     /* "host:port:address[,…]": names pinned to addresses */
	/*
	 * The market dialect's portal key (decisions.md M-31): /assets/app-settings.json names it
	 * as xApiKey; with market_api_key_required a /v2/ call without it (X-Api-Key) is 401.
	 */
	char market_api_key[128];
	int market_api_key_required;
	/*
	 * The applicant portal (dialects/portal.c, docs/PORTAL.md): served at portal_prefix ("/" or
	 * "/a/b", no trailing slash but the root's) unless portal is off (--no-portal). The brand:
	 * a primary colour "#rrggbb" ("" = rentd's) and a logo file (SVG or PNG, "" = none), named
	 * by GET /v2/client/configuration.
	 */
	int portal;
	char portal_prefix[128];
	char brand_colour[8];
	char brand_logo[1024];
	/*
	 * The test clock (--test-clock, off by default; docs/DECISIONS.md): POST /test-clock moves
	 * the server's time forward (dialects/system.c). A bare flag with no environment variable,
	 * so it is never on unless the command line of that very start says so.
	 */
	int test_clock;
};

enum config_media_store { MEDIA_STORE_LOCAL, MEDIA_STORE_S3 };

void config_defaults(struct config *c);
/* RENTD_* variables; returns -1 and writes a message to msg on a bad value. */
int config_from_env(struct config *c, char *msg, size_t msglen);
/* "--listen HOST:PORT" style flags from argv[first..]; -1 on a bad or unknown flag. */
int config_from_args(struct config *c, int argc, char **argv, int first, char *msg, size_t msglen);
int config_parse_listen(struct config *c, const char *value);
/*
 * For "unknown option" messages: the known flag nearest to name (leading dashes ignored), among
 * the configuration flags and extra (a command's own flags), by alias ("port" → "listen") or by
 * a small edit distance; without dashes, or NULL when nothing is near.
 */
const char *config_suggest(const char *name, const char *const *extra, size_t nextra);
/* "unknown option --NAME (did you mean --NEAR?)" into msg, NEAR from config_suggest(); returns -1. */
int config_unknown_option(const char *name, const char *const *extra, size_t nextra, char *msg, size_t msglen);
/* Whether name (leading dashes ignored) is a configuration flag. */
int config_is_option(const char *name);

#endif
