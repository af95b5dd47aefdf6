#include "app/config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen_host, sizeof(c->listen_host), "127.0.0.1");
	c->listen_port = 8080;
	snprintf(c->database, sizeof(c->database), "var/rentd.db");
	c->threads = 0;
	c->body_limit = 1024 * 1024;
	c->connection_limit = 4096;
	c->connection_timeout = 30;
	c->header_timeout = 10;
	c->per_ip_connection_limit = 256;
	/* libmicrohttpd clears this pool between keep-alive requests: keep it small (headers only) */
	c->connection_memory = 16 * 1024;
	c->access_log = 1;
	c->log_level = LOG_INFO;
	c->token_ttl = 24 * 3600;
	c->password_threads = 2;
	snprintf(c->geo_dir, sizeof(c->geo_dir), "data/geo");
	c->upload_limit = 2147483648ull; /* the video limit: uploads are spooled to disk, not memory */
	c->job_workers = 1;
	snprintf(c->smtp_from, sizeof(c->smtp_from), "rentd@localhost");
	c->webhook_retry_interval = 300;      /* HomeQ: every 5 minutes … */
	c->webhook_give_up = 7 * 24 * 3600;   /* … for at most 7 days */
	c->webhook_timeout = 10;              /* H-42 */
	c->webhook_concurrency = 16;
	snprintf(c->market_api_key, sizeof(c->market_api_key), "rentd-market");
	c->media_store = MEDIA_STORE_LOCAL;
	snprintf(c->media_s3_region, sizeof(c->media_s3_region), "us-east-1");
	c->portal = 1;
	snprintf(c->portal_prefix, sizeof(c->portal_prefix), "/");
}

/*
 * "/" or "/seg[/seg…]" of [A-Za-z0-9._~-], no empty segment; one trailing slash is dropped.
 * The first segment may not be one of rentd's own (the APIs, media, widgets…), so the
 * portal never shadows them.
 */
static int parse_prefix(struct config *c, const char *v)
{
	static const char *const taken[] = { "v2", "api", "media", "widgets", "invitations", "assets",
					     "healthz", "readyz", "metrics", "test-clock", "Prod", "Test" };
	size_t n = strlen(v), first;

	if (n == 0 || v[0] != '/' || n >= sizeof(c->portal_prefix))
		return -1;
	first = strcspn(v + 1, "/");
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (strlen(taken[i]) == first && strncasecmp(v + 1, taken[i], first) == 0)
			return -1;
	if (n > 1 && v[n - 1] == '/')
		n--;
	for (size_t i = 1; i < n; i++) {
		char ch = v[i];
		if (ch == '/' ? v[i - 1] == '/' || i == n - 1
			      : !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
				  strchr("._~-", ch)))
			return -1;
	}
	memcpy(c->portal_prefix, v, n);
	c->portal_prefix[n] = '\0';
	return 0;
}

/* "#rrggbb" (hex digits in either case), kept in lower case. */
static int parse_colour(struct config *c, const char *v)
{
	if (strlen(v) != 7 || v[0] != '#')
		return -1;
	for (int i = 1; i < 7; i++) {
		char ch = v[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
			return -1;
		c->brand_colour[i] = (char)(ch >= 'A' && ch <= 'F' ? ch - 'A' + 'a' : ch);
	}
	c->brand_colour[0] = '#';
	c->brand_colour[7] = '\0';
	return 0;
}

/* An e-mail address fit for an SMTP envelope and a header: local@domain, no spaces or brackets. */
static int plain_address(const char *v)
{
	const char *at = strchr(v, '@');
	if (!at || at == v || !at[1] || strchr(at + 1, '@'))
		return -1;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>\"(),;:[]\\", *p))
			return -1;
	return 0;
}

static int parse_uint(const char *s, unsigned long long min, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int config_parse_listen(struct config *c, const char *value)
{
	const char *colon = strrchr(value, ':');
	unsigned long long port;
	size_t hostlen;
	const char *host = value;

	if (!colon || parse_uint(colon + 1, 0, 65535, &port) < 0)
		return -1;
	hostlen = (size_t)(colon - value);
	if (hostlen >= 2 && host[0] == '[' && host[hostlen - 1] == ']') {
		host++;
		hostlen -= 2;
	}
	if (hostlen == 0 || hostlen >= sizeof(c->listen_host))
		return -1;
	memcpy(c->listen_host, host, hostlen);
	c->listen_host[hostlen] = '\0';
	c->listen_port = (unsigned)port;
	return 0;
}

static int parse_level(const char *v, int *out)
{
	static const char *const names[] = { "debug", "info", "warn", "error", "off" };
	for (int i = 0; i < 5; i++)
		if (strcmp(v, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

int config_unknown_option(const char *name, const char *const *extra, size_t nextra, char *msg, size_t msglen)
{
	const char *near = config_suggest(name, extra, nextra);
	snprintf(msg, msglen, "unknown option --%s%s%s%s", name, near ? " (did you mean --" : "", near ? near : "",
		 near ? "?)" : "");
	return -1;
}

/* One setting by its flag name (without "--"); shared by env and argv. */
static int set_option(struct config *c, const char *name, const char *v, char *msg, size_t msglen)
{
	unsigned long long n;

	if (strcmp(name, "listen") == 0) {
		if (config_parse_listen(c, v) < 0)
			goto bad;
	} else if (strcmp(name, "database") == 0) {
		if (!*v || strlen(v) >= sizeof(c->database))
			goto bad;
		snprintf(c->database, sizeof(c->database), "%s", v);
	} else if (strcmp(name, "threads") == 0) {
		if (parse_uint(v, 0, 256, &n) < 0)
			goto bad;
		c->threads = (unsigned)n;
	} else if (strcmp(name, "body-limit") == 0) {
		if (parse_uint(v, 1024, 1ull << 31, &n) < 0)
			goto bad;
		c->body_limit = (size_t)n;
	} else if (strcmp(name, "connection-limit") == 0) {
		if (parse_uint(v, 1, 1000000, &n) < 0)
			goto bad;
		c->connection_limit = (unsigned)n;
	} else if (strcmp(name, "connection-timeout") == 0) {
		if (parse_uint(v, 1, 3600, &n) < 0)
			goto bad;
		c->connection_timeout = (unsigned)n;
	} else if (strcmp(name, "header-timeout") == 0) {
		if (parse_uint(v, 1, 3600, &n) < 0)
			goto bad;
		c->header_timeout = (unsigned)n;
	} else if (strcmp(name, "per-ip-connection-limit") == 0) {
		if (parse_uint(v, 0, 1000000, &n) < 0)
			goto bad;
		c->per_ip_connection_limit = (unsigned)n;
	} else if (strcmp(name, "access-log") == 0) {
		if (strcmp(v, "on") && strcmp(v, "off"))
			goto bad;
		c->access_log = strcmp(v, "on") == 0;
	} else if (strcmp(name, "secret-file") == 0) {
		if (!*v || strlen(v) >= sizeof(c->secret_file))
			goto bad;
		snprintf(c->secret_file, sizeof(c->secret_file), "%s", v);
	} else if (strcmp(name, "contract-key-file") == 0) {
		if (!*v || strlen(v) >= sizeof(c->contract_key_file))
			goto bad;
		snprintf(c->contract_key_file, sizeof(c->contract_key_file), "%s", v);
	} else if (strcmp(name, "token-ttl") == 0) {
		if (parse_uint(v, 60, 366ull * 24 * 3600, &n) < 0)
			goto bad;
		c->token_ttl = (long)n;
	} else if (strcmp(name, "password-threads") == 0) {
		if (parse_uint(v, 1, 64, &n) < 0)
			goto bad;
		c->password_threads = (unsigned)n;
	} else if (strcmp(name, "public-url") == 0) {
		if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
			goto bad;
		if (strlen(v) >= sizeof(c->public_url))
			goto bad;
		snprintf(c->public_url, sizeof(c->public_url), "%s", v);
		while (strlen(c->public_url) > 8 && c->public_url[strlen(c->public_url) - 1] == '/')
			c->public_url[strlen(c->public_url) - 1] = '\0';
	} else if (strcmp(name, "media-dir") == 0) {
		if (!*v || strlen(v) >= sizeof(c->media_dir))
			goto bad;
		snprintf(c->media_dir, sizeof(c->media_dir), "%s", v);
	} else if (strcmp(name, "media-store") == 0) {
		if (strcmp(v, "local") && strcmp(v, "s3"))
			goto bad;
		c->media_store = strcmp(v, "s3") == 0 ? MEDIA_STORE_S3 : MEDIA_STORE_LOCAL;
	} else if (strcmp(name, "media-s3-endpoint") == 0) {
		if ((strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) || strlen(v) >= sizeof(c->media_s3_endpoint))
			goto bad;
		snprintf(c->media_s3_endpoint, sizeof(c->media_s3_endpoint), "%s", v);
	} else if (strcmp(name, "media-s3-bucket") == 0) {
		if (!*v || strlen(v) >= sizeof(c->media_s3_bucket))
			goto bad;
		snprintf(c->media_s3_bucket, sizeof(c->media_s3_bucket), "%s", v);
	} else if (strcmp(name, "media-s3-region") == 0) {
		if (!*v || strlen(v) >= sizeof(c->media_s3_region))
			goto bad;
		snprintf(c->media_s3_region, sizeof(c->media_s3_region), "%s", v);
	} else if (strcmp(name, "media-s3-prefix") == 0) {
		if (strlen(v) >= sizeof(c->media_s3_prefix))
			goto bad;
		snprintf(c->media_s3_prefix, sizeof(c->media_s3_prefix), "%s", v);
	} else if (strcmp(name, "media-s3-credentials-file") == 0) {
		if (!*v || strlen(v) >= sizeof(c->media_s3_credentials_file))
			goto bad;
		snprintf(c->media_s3_credentials_file, sizeof(c->media_s3_credentials_file), "%s", v);
	} else if (strcmp(name, "media-s3-ca-file") == 0) {
		if (strlen(v) >= sizeof(c->media_s3_ca_file))
			goto bad;
		snprintf(c->media_s3_ca_file, sizeof(c->media_s3_ca_file), "%s", v);
	} else if (strcmp(name, "media-s3-url-style") == 0) {
		if (strcmp(v, "path") && strcmp(v, "virtual-host"))
			goto bad;
		c->media_s3_virtual_host = strcmp(v, "virtual-host") == 0;
	} else if (strcmp(name, "upload-limit") == 0) {
		if (parse_uint(v, 1024, 1ull << 40, &n) < 0)
			goto bad;
		c->upload_limit = n;
	} else if (strcmp(name, "job-workers") == 0) {
		if (parse_uint(v, 0, 64, &n) < 0)
			goto bad;
		c->job_workers = (unsigned)n;
	} else if (strcmp(name, "geo-dir") == 0) {
		if (!*v || strlen(v) >= sizeof(c->geo_dir))
			goto bad;
		snprintf(c->geo_dir, sizeof(c->geo_dir), "%s", v);
	} else if (strcmp(name, "smtp-url") == 0) {
		if ((*v && strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8)) || strlen(v) >= sizeof(c->smtp_url))
			goto bad;
		snprintf(c->smtp_url, sizeof(c->smtp_url), "%s", v);
	} else if (strcmp(name, "smtp-from") == 0) {
		if (strlen(v) >= sizeof(c->smtp_from) || plain_address(v) < 0)
			goto bad;
		snprintf(c->smtp_from, sizeof(c->smtp_from), "%s", v);
	} else if (strcmp(name, "webhook-allow-http") == 0 || strcmp(name, "webhook-allow-loopback") == 0) {
		if (strcmp(v, "on") && strcmp(v, "off"))
			goto bad;
		*(strcmp(name, "webhook-allow-http") == 0 ? &c->webhook_allow_http : &c->webhook_allow_loopback) =
			strcmp(v, "on") == 0;
	} else if (strcmp(name, "webhook-retry-interval") == 0) {
		if (parse_uint(v, 1, 24 * 3600, &n) < 0)
			goto bad;
		c->webhook_retry_interval = (unsigned)n;
	} else if (strcmp(name, "webhook-give-up") == 0) {
		if (parse_uint(v, 1, 30 * 24 * 3600, &n) < 0)
			goto bad;
		c->webhook_give_up = (unsigned)n;
	} else if (strcmp(name, "webhook-timeout") == 0) {
		if (parse_uint(v, 1, 60, &n) < 0)
			goto bad;
		c->webhook_timeout = (unsigned)n;
	} else if (strcmp(name, "webhook-concurrency") == 0) {
		if (parse_uint(v, 1, 256, &n) < 0)
			goto bad;
		c->webhook_concurrency = (unsigned)n;
	} else if (strcmp(name, "webhook-resolve") == 0) {
		if (strlen(v) >= sizeof(c->webhook_resolve))
			goto bad;
		snprintf(c->webhook_resolve, sizeof(c->webhook_resolve), "%s", v);
	} else if (strcmp(name, "market-api-key") == 0) {
		/* a header value: visible ASCII, no spaces */
		if (!*v || strlen(v) >= sizeof(c->market_api_key))
			goto bad;
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 127)
				goto bad;
		snprintf(c->market_api_key, sizeof(c->market_api_key), "%s", v);
	} else if (strcmp(name, "market-api-key-required") == 0) {
		if (strcmp(v, "on") && strcmp(v, "off"))
			goto bad;
		c->market_api_key_required = strcmp(v, "on") == 0;
	} else if (strcmp(name, "portal") == 0) {
		if (strcmp(v, "on") && strcmp(v, "off"))
			goto bad;
		c->portal = strcmp(v, "on") == 0;
	} else if (strcmp(name, "portal-prefix") == 0) {
		if (parse_prefix(c, v) < 0)
			goto bad;
	} else if (strcmp(name, "brand-colour") == 0) {
		if (*v && parse_colour(c, v) < 0)
			goto bad;
		if (!*v)
			c->brand_colour[0] = '\0';
	} else if (strcmp(name, "brand-logo") == 0) {
		size_t len = strlen(v);
		if (len >= sizeof(c->brand_logo) ||
		    (len && !(len > 4 && (strcmp(v + len - 4, ".svg") == 0 || strcmp(v + len - 4, ".png") == 0))))
			goto bad;
		snprintf(c->brand_logo, sizeof(c->brand_logo), "%s", v);
	} else if (strcmp(name, "log-level") == 0) {
		if (parse_level(v, &c->log_level) < 0)
			goto bad;
	} else {
		return config_unknown_option(name, NULL, 0, msg, msglen);
	}
	return 0;
bad:
	snprintf(msg, msglen, "invalid value for --%s: '%s'", name, v);
	return -1;
}

static const struct {
	const char *env;
	const char *option;
} env_map[] = {
	{ "RENTD_LISTEN", "listen" },
	{ "RENTD_DATABASE", "database" },
	{ "RENTD_THREADS", "threads" },
	{ "RENTD_BODY_LIMIT", "body-limit" },
	{ "RENTD_CONNECTION_LIMIT", "connection-limit" },
	{ "RENTD_CONNECTION_TIMEOUT", "connection-timeout" },
	{ "RENTD_HEADER_TIMEOUT", "header-timeout" },
	{ "RENTD_PER_IP_CONNECTION_LIMIT", "per-ip-connection-limit" },
	{ "RENTD_ACCESS_LOG", "access-log" },
	{ "RENTD_LOG_LEVEL", "log-level" },
	{ "RENTD_SECRET_FILE", "secret-file" },
	{ "RENTD_CONTRACT_KEY_FILE", "contract-key-file" },
	{ "RENTD_TOKEN_TTL", "token-ttl" },
	{ "RENTD_PASSWORD_THREADS", "password-threads" },
	{ "RENTD_PUBLIC_URL", "public-url" },
	{ "RENTD_GEO_DIR", "geo-dir" },
	{ "RENTD_MEDIA_DIR", "media-dir" },
	{ "RENTD_MEDIA_STORE", "media-store" },
	{ "RENTD_MEDIA_S3_ENDPOINT", "media-s3-endpoint" },
	{ "RENTD_MEDIA_S3_BUCKET", "media-s3-bucket" },
	{ "RENTD_MEDIA_S3_REGION", "media-s3-region" },
	{ "RENTD_MEDIA_S3_PREFIX", "media-s3-prefix" },
	{ "RENTD_MEDIA_S3_CREDENTIALS_FILE", "media-s3-credentials-file" },
	{ "RENTD_MEDIA_S3_CA_FILE", "media-s3-ca-file" },
	{ "RENTD_MEDIA_S3_URL_STYLE", "media-s3-url-style" },
	{ "RENTD_UPLOAD_LIMIT", "upload-limit" },
	{ "RENTD_JOB_WORKERS", "job-workers" },
	{ "RENTD_SMTP_URL", "smtp-url" },
	{ "RENTD_SMTP_FROM", "smtp-from" },
	{ "RENTD_WEBHOOK_ALLOW_HTTP", "webhook-allow-http" },
	{ "RENTD_WEBHOOK_ALLOW_LOOPBACK", "webhook-allow-loopback" },
	{ "RENTD_WEBHOOK_RETRY_INTERVAL", "webhook-retry-interval" },
	{ "RENTD_WEBHOOK_GIVE_UP", "webhook-give-up" },
	{ "RENTD_WEBHOOK_TIMEOUT", "webhook-timeout" },
	{ "RENTD_WEBHOOK_CONCURRENCY", "webhook-concurrency" },
	{ "RENTD_WEBHOOK_RESOLVE", "webhook-resolve" },
	{ "RENTD_MARKET_API_KEY", "market-api-key" },
	{ "RENTD_MARKET_API_KEY_REQUIRED", "market-api-key-required" },
	{ "RENTD_PORTAL", "portal" },
	{ "RENTD_PORTAL_PREFIX", "portal-prefix" },
	{ "RENTD_BRAND_COLOUR", "brand-colour" },
	{ "RENTD_BRAND_LOGO", "brand-logo" },
};

/* Names people try for a flag that is called something else here. */
static const struct {
	const char *guess;
	const char *option;
} option_aliases[] = {
	{ "port", "listen" }, { "host", "listen" }, { "bind", "listen" }, { "address", "listen" },
	{ "db", "database" }, { "workers", "threads" }, { "secret", "secret-file" }, { "smtp", "smtp-url" },
};

/* Levenshtein distance of two short flag names (each < 64 characters, else "far"). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void consider(const char *name, const char *candidate, const char **best, size_t *best_d)
{
	size_t d;
	while (*candidate == '-')
		candidate++;
	d = edit_distance(name, candidate);
	if (d < *best_d) {
		*best = candidate;
		*best_d = d;
	}
}

const char *config_suggest(const char *name, const char *const *extra, size_t nextra)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, limit;

	while (*name == '-')
		name++;
	for (size_t i = 0; i < sizeof(option_aliases) / sizeof(option_aliases[0]); i++)
		if (strcmp(name, option_aliases[i].guess) == 0)
			return option_aliases[i].option;
	for (size_t i = 0; i < sizeof(env_map) / sizeof(env_map[0]); i++)
		consider(name, env_map[i].option, &best, &best_d);
	for (size_t i = 0; i < nextra; i++)
		consider(name, extra[i], &best, &best_d);
	/* a typo, not another word: at most a third of the name wrong (two edits for short names) */
	limit = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
	return best_d <= limit && best_d < strlen(name) ? best : NULL;
}

int config_is_option(const char *name)
{
	while (*name == '-')
		name++;
	for (size_t i = 0; i < sizeof(env_map) / sizeof(env_map[0]); i++)
		if (strcmp(name, env_map[i].option) == 0)
			return 1;
	return 0;
}

int config_from_env(struct config *c, char *msg, size_t msglen)
{
	const char *secret = getenv("RENTD_SECRET");
	if (secret) {
		if (strlen(secret) >= sizeof(c->secret)) {
			snprintf(msg, msglen, "RENTD_SECRET is longer than %zu characters", sizeof(c->secret) - 1);
			return -1;
		}
		snprintf(c->secret, sizeof(c->secret), "%s", secret);
	}
	secret = getenv("RENTD_CONTRACT_KEY");
	if (secret) {
		if (strlen(secret) >= sizeof(c->contract_key)) {
			snprintf(msg, msglen, "RENTD_CONTRACT_KEY is longer than %zu characters", sizeof(c->contract_key) - 1);
			return -1;
		}
		snprintf(c->contract_key, sizeof(c->contract_key), "%s", secret);
	}
	/* the S3 media store's credentials, under the names every S3 tool reads */
	{
		static const struct {
			const char *env;
			size_t off, size;
		} aws[] = {
			{ "AWS_ACCESS_KEY_ID", offsetof(struct config, media_s3_access_key), sizeof(c->media_s3_access_key) },
			{ "AWS_SECRET_ACCESS_KEY", offsetof(struct config, media_s3_secret_key), sizeof(c->media_s3_secret_key) },
		};
		for (size_t i = 0; i < sizeof(aws) / sizeof(aws[0]); i++) {
			const char *v = getenv(aws[i].env);
			if (!v)
				continue;
			if (strlen(v) >= aws[i].size) {
				snprintf(msg, msglen, "%s is longer than %zu characters", aws[i].env, aws[i].size - 1);
				return -1;
			}
			snprintf((char *)c + aws[i].off, aws[i].size, "%s", v);
		}
	}
	for (size_t i = 0; i < sizeof(env_map) / sizeof(env_map[0]); i++) {
		const char *v = getenv(env_map[i].env);
		if (v && set_option(c, env_map[i].option, v, msg, msglen) < 0) {
			size_t l = strlen(msg);
			snprintf(msg + l, msglen - l, " (from %s)", env_map[i].env);
			return -1;
		}
	}
	return 0;
}

int config_from_args(struct config *c, int argc, char **argv, int first, char *msg, size_t msglen)
{
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		const char *eq;
		char name[64];
		const char *value;

		if (strcmp(a, "--no-portal") == 0) { /* the switch for --portal off */
			c->portal = 0;
			continue;
		}
		if (strcmp(a, "--test-clock") == 0) { /* a switch, and on the command line only */
			c->test_clock = 1;
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			snprintf(msg, msglen, "unexpected argument '%s'", a);
			return -1;
		}
		a += 2;
		eq = strchr(a, '=');
		if (eq) {
			if ((size_t)(eq - a) >= sizeof(name))
				goto unknown;
			memcpy(name, a, (size_t)(eq - a));
			name[eq - a] = '\0';
			value = eq + 1;
		} else {
			if (strlen(a) >= sizeof(name))
				goto unknown;
			snprintf(name, sizeof(name), "%s", a);
			if (!config_is_option(name)) /* "unknown", not "needs a value", for a typo at the end */
				return config_unknown_option(name, NULL, 0, msg, msglen);
			if (i + 1 >= argc) {
				snprintf(msg, msglen, "--%s needs a value", name);
				return -1;
			}
			value = argv[++i];
		}
		if (set_option(c, name, value, msg, msglen) < 0)
			return -1;
		continue;
unknown:
		snprintf(msg, msglen, "unknown option '%s'", argv[i]);
		return -1;
	}
	return 0;
}
