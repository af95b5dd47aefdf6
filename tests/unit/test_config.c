/*
 * test_config.c — configuration defaults, environment and command-line flags.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "base/log.h"

static struct config c;
static char msg[256];

static const char *const env_names[] = {
	"RENTD_LISTEN", "RENTD_DATABASE", "RENTD_THREADS", "RENTD_BODY_LIMIT", "RENTD_CONNECTION_LIMIT",
	"RENTD_CONNECTION_TIMEOUT", "RENTD_ACCESS_LOG", "RENTD_LOG_LEVEL", "RENTD_MEDIA_STORE",
	"RENTD_MEDIA_S3_ENDPOINT", "RENTD_MEDIA_S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
};

static void clear_env(void)
{
	for (size_t i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
		unsetenv(env_names[i]);
}

static void setup(void)
{
	clear_env();
	config_defaults(&c);
	msg[0] = '\0';
}

TestSuite(config, .init = setup, .fini = clear_env);

/* argv from a NULL-terminated list, program name first. */
static int args(const char *const *list)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)"rentd";
	for (; *list; list++)
		argv[argc++] = (char *)*list;
	argv[argc] = NULL;
	return config_from_args(&c, argc, argv, 1, msg, sizeof(msg));
}

#define ARGS(...) args((const char *const[]){ __VA_ARGS__, NULL })

/* ---- defaults ---- */

Test(config, defaults)
{
	struct config d;
	memset(&d, 0x5A, sizeof(d));
	config_defaults(&d);
	cr_assert_str_eq(d.listen_host, "127.0.0.1");
	cr_assert_eq(d.listen_port, 8080);
	cr_assert_str_eq(d.database, "var/rentd.db");
	cr_assert_eq(d.threads, 0);
	cr_assert_eq(d.body_limit, 1024 * 1024);
	cr_assert_eq(d.connection_limit, 4096);
	cr_assert_eq(d.connection_timeout, 30);
	cr_assert_eq(d.header_timeout, 10);
	cr_assert_eq(d.per_ip_connection_limit, 256);
	cr_assert_eq(d.connection_memory, 16 * 1024);
	cr_assert_eq(d.access_log, 1);
	cr_assert_eq(d.log_level, LOG_INFO);
}

/* the slow-header defences (issue 12): a head deadline of at least 1 s; a per-address cap, 0 = none */
Test(config, header_timeout_and_per_ip_limit)
{
	cr_assert_eq(ARGS("--header-timeout", "3", "--per-ip-connection-limit", "0"), 0, "%s", msg);
	cr_assert_eq(c.header_timeout, 3);
	cr_assert_eq(c.per_ip_connection_limit, 0);
	cr_assert_eq(ARGS("--header-timeout", "0"), -1);
	cr_assert_eq(ARGS("--per-ip-connection-limit", "-1"), -1);
	cr_assert_eq(c.header_timeout, 3);
}

/* ---- listen ---- */

Test(config, listen_host_port)
{
	cr_assert_eq(config_parse_listen(&c, "0.0.0.0:9090"), 0);
	cr_assert_str_eq(c.listen_host, "0.0.0.0");
	cr_assert_eq(c.listen_port, 9090);
	cr_assert_eq(config_parse_listen(&c, "localhost:1"), 0);
	cr_assert_str_eq(c.listen_host, "localhost");
	cr_assert_eq(c.listen_port, 1);
	cr_assert_eq(config_parse_listen(&c, "example.org:65535"), 0);
	cr_assert_eq(c.listen_port, 65535);
}

Test(config, listen_ipv6_brackets)
{
	cr_assert_eq(config_parse_listen(&c, "[::1]:8080"), 0);
	cr_assert_str_eq(c.listen_host, "::1");
	cr_assert_eq(c.listen_port, 8080);
	cr_assert_eq(config_parse_listen(&c, "[fe80::1:2]:443"), 0);
	cr_assert_str_eq(c.listen_host, "fe80::1:2");
	cr_assert_eq(c.listen_port, 443);
}

Test(config, listen_bad_values_leave_config_alone)
{
	static const char *const bad[] = {
		"127.0.0.1",        /* no port */
		"127.0.0.1:",       /* empty port */
		":8080",            /* empty host */
		"[]:8080",          /* empty bracketed host */
		"host:65536",       /* out of range */
		"host:99999999999999999999999",
		"host:-1",
		"host:+80",
		"host:80x",
		"host:0x50",
		"host:eighty",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_lt(config_parse_listen(&c, bad[i]), 0, "'%s' accepted", bad[i]);
		cr_assert_str_eq(c.listen_host, "127.0.0.1", "'%s' changed the host", bad[i]);
		cr_assert_eq(c.listen_port, 8080, "'%s' changed the port", bad[i]);
	}
}

Test(config, listen_host_too_long)
{
	char v[400];
	memset(v, 'h', 300);
	strcpy(v + 300, ":80");
	cr_assert_lt(config_parse_listen(&c, v), 0);
	cr_assert_str_eq(c.listen_host, "127.0.0.1");
	/* the longest host that fits */
	memset(v, 'h', sizeof(c.listen_host) - 1);
	strcpy(v + sizeof(c.listen_host) - 1, ":80");
	cr_assert_eq(config_parse_listen(&c, v), 0);
	cr_assert_eq(strlen(c.listen_host), sizeof(c.listen_host) - 1);
}

/* ---- flags ---- */

Test(config, args_separate_values)
{
	cr_assert_eq(ARGS("--listen", "0.0.0.0:9000", "--database", "/tmp/x.db", "--threads", "4",
			  "--body-limit", "2048", "--connection-limit", "10", "--connection-timeout", "5",
			  "--access-log", "off", "--log-level", "debug"),
		     0, "%s", msg);
	cr_assert_str_eq(c.listen_host, "0.0.0.0");
	cr_assert_eq(c.listen_port, 9000);
	cr_assert_str_eq(c.database, "/tmp/x.db");
	cr_assert_eq(c.threads, 4);
	cr_assert_eq(c.body_limit, 2048);
	cr_assert_eq(c.connection_limit, 10);
	cr_assert_eq(c.connection_timeout, 5);
	cr_assert_eq(c.access_log, 0);
	cr_assert_eq(c.log_level, LOG_DEBUG);
}

Test(config, args_equals_values)
{
	cr_assert_eq(ARGS("--listen=[::1]:7000", "--database=a=b.db", "--threads=0", "--log-level=off",
			  "--access-log=on"),
		     0, "%s", msg);
	cr_assert_str_eq(c.listen_host, "::1");
	cr_assert_eq(c.listen_port, 7000);
	cr_assert_str_eq(c.database, "a=b.db", "only the first '=' separates name and value");
	cr_assert_eq(c.threads, 0);
	cr_assert_eq(c.log_level, LOG_OFF);
	cr_assert_eq(c.access_log, 1);
}

Test(config, args_later_wins)
{
	cr_assert_eq(ARGS("--threads", "2", "--threads=3"), 0, "%s", msg);
	cr_assert_eq(c.threads, 3);
}

Test(config, args_first_index_skips_subcommand)
{
	char *argv[] = { (char *)"rentd", (char *)"serve", (char *)"--threads", (char *)"8", NULL };
	cr_assert_eq(config_from_args(&c, 4, argv, 2, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(c.threads, 8);
}

Test(config, args_none)
{
	char *argv[] = { (char *)"rentd", NULL };
	cr_assert_eq(config_from_args(&c, 1, argv, 1, msg, sizeof(msg)), 0);
	cr_assert_eq(c.listen_port, 8080);
}

Test(config, args_unknown_flag)
{
	cr_assert_lt(ARGS("--frobnicate", "1"), 0);
	cr_assert_not_null(strstr(msg, "unknown option"), "%s", msg);
	cr_assert_not_null(strstr(msg, "frobnicate"), "%s", msg);
}

Test(config, args_unknown_flag_with_equals)
{
	cr_assert_lt(ARGS("--frobnicate=1"), 0);
	cr_assert_not_null(strstr(msg, "frobnicate"), "%s", msg);
}

Test(config, args_overlong_flag_name)
{
	char name[200];
	memset(name, 'x', sizeof(name) - 1);
	name[0] = '-';
	name[1] = '-';
	name[sizeof(name) - 1] = '\0';
	cr_assert_lt(ARGS(name, "1"), 0);
	cr_assert_not_null(strstr(msg, "unknown option"), "%s", msg);
	memcpy(name + 150, "=1", 3);
	cr_assert_lt(ARGS(name), 0);
	cr_assert_not_null(strstr(msg, "unknown option"), "%s", msg);
}

Test(config, args_missing_value)
{
	cr_assert_lt(ARGS("--threads"), 0);
	cr_assert_str_eq(msg, "--threads needs a value");
	cr_assert_eq(c.threads, 0);
}

Test(config, args_positional_rejected)
{
	cr_assert_lt(ARGS("serve"), 0);
	cr_assert_not_null(strstr(msg, "unexpected argument 'serve'"), "%s", msg);
	cr_assert_lt(ARGS("-t", "4"), 0);
}

Test(config, args_bad_numbers)
{
	static const char *const bad[][2] = {
		{ "--threads", "abc" },          { "--threads", "-1" },      { "--threads", "257" },
		{ "--threads", "4x" },           { "--threads", "" },        { "--threads", "+4" },
		{ "--body-limit", "1023" },      { "--body-limit", "0" },    { "--body-limit", "4294967296" },
		{ "--body-limit", "99999999999999999999999" },
		{ "--connection-limit", "0" },   { "--connection-limit", "1000001" },
		{ "--connection-timeout", "0" }, { "--connection-timeout", "3601" },
		{ "--access-log", "yes" },       { "--log-level", "verbose" }, { "--log-level", "INFO" },
		{ "--database", "" },            { "--listen", "nowhere" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_defaults(&c);
		msg[0] = '\0';
		cr_assert_lt(ARGS(bad[i][0], bad[i][1]), 0, "%s '%s' accepted", bad[i][0], bad[i][1]);
		cr_assert_not_null(strstr(msg, "invalid value"), "%s: %s", bad[i][0], msg);
		cr_assert_not_null(strstr(msg, bad[i][0]), "%s", msg);
	}
	/* nothing changed along the way */
	config_defaults(&c);
	struct config d;
	config_defaults(&d);
	cr_assert_lt(ARGS("--threads", "nope"), 0);
	cr_assert_eq(memcmp(&c, &d, sizeof(c)), 0);
}

Test(config, args_number_bounds_inclusive)
{
	cr_assert_eq(ARGS("--threads", "256", "--body-limit", "1024", "--connection-limit", "1000000",
			  "--connection-timeout", "3600"),
		     0, "%s", msg);
	cr_assert_eq(c.threads, 256);
	cr_assert_eq(c.body_limit, 1024);
	cr_assert_eq(c.connection_limit, 1000000);
	cr_assert_eq(c.connection_timeout, 3600);
	cr_assert_eq(ARGS("--body-limit", "2147483648", "--connection-limit", "1", "--connection-timeout", "1"),
		     0, "%s", msg);
	cr_assert_eq(c.body_limit, (size_t)1 << 31);
}

Test(config, args_log_levels)
{
	static const char *const names[] = { "debug", "info", "warn", "error", "off" };
	static const int levels[] = { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(ARGS("--log-level", names[i]), 0);
		cr_assert_eq(c.log_level, levels[i]);
	}
}

Test(config, args_database_too_long)
{
	char v[1100];
	memset(v, 'd', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	cr_assert_lt(ARGS("--database", v), 0);
	cr_assert_str_eq(c.database, "var/rentd.db");
}

Test(config, args_stop_at_first_error)
{
	cr_assert_lt(ARGS("--threads", "2", "--bogus", "x", "--connection-limit", "5"), 0);
	cr_assert_eq(c.threads, 2);
	cr_assert_eq(c.connection_limit, 4096, "flags after the bad one are not applied");
}

/* the media store: local (default) or an S3-compatible bucket */
Test(config, media_store)
{
	cr_assert_eq(c.media_store, MEDIA_STORE_LOCAL);
	cr_assert_str_eq(c.media_s3_region, "us-east-1");
	cr_assert_eq(c.media_s3_virtual_host, 0);
	cr_assert_eq(ARGS("--media-store", "s3", "--media-s3-endpoint", "https://s3.example.net:9000/", "--media-s3-bucket",
			  "rentd-media", "--media-s3-region", "eu-north-1", "--media-s3-prefix", "prod/media",
			  "--media-s3-credentials-file", "/etc/rentd/s3", "--media-s3-ca-file", "/etc/rentd/ca.pem",
			  "--media-s3-url-style", "virtual-host"),
		     0, "%s", msg);
	cr_assert_eq(c.media_store, MEDIA_STORE_S3);
	cr_assert_str_eq(c.media_s3_endpoint, "https://s3.example.net:9000/");
	cr_assert_str_eq(c.media_s3_bucket, "rentd-media");
	cr_assert_str_eq(c.media_s3_region, "eu-north-1");
	cr_assert_str_eq(c.media_s3_prefix, "prod/media");
	cr_assert_str_eq(c.media_s3_credentials_file, "/etc/rentd/s3");
	cr_assert_str_eq(c.media_s3_ca_file, "/etc/rentd/ca.pem");
	cr_assert_eq(c.media_s3_virtual_host, 1);
	cr_assert_eq(ARGS("--media-store", "local", "--media-s3-url-style", "path"), 0);
	cr_assert_eq(c.media_store, MEDIA_STORE_LOCAL);
	cr_assert_eq(c.media_s3_virtual_host, 0);

	cr_assert_lt(ARGS("--media-store", "S3"), 0);
	cr_assert_str_eq(msg, "invalid value for --media-store: 'S3'");
	cr_assert_lt(ARGS("--media-store", "nfs"), 0);
	cr_assert_lt(ARGS("--media-s3-endpoint", "s3.example.net"), 0);
	cr_assert_lt(ARGS("--media-s3-endpoint", "ftp://s3.example.net"), 0);
	cr_assert_lt(ARGS("--media-s3-bucket", ""), 0);
	cr_assert_lt(ARGS("--media-s3-region", ""), 0);
	cr_assert_lt(ARGS("--media-s3-url-style", "vhost"), 0);
	cr_assert_lt(ARGS("--media-s3-credentials-file", ""), 0);
	cr_assert_lt(ARGS("--media-s3-storage", "s3"), 0);
	cr_assert(strstr(msg, "did you mean --media-store?"), "%s", msg);
}

/* ---- environment ---- */

/* the S3 store's flags have RENTD_ twins; its credentials come as every S3 tool reads them */
Test(config, env_media_s3)
{
	setenv("RENTD_MEDIA_STORE", "s3", 1);
	setenv("RENTD_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000", 1);
	setenv("RENTD_MEDIA_S3_BUCKET", "b", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1);
	cr_assert_eq(config_from_env(&c, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(c.media_store, MEDIA_STORE_S3);
	cr_assert_str_eq(c.media_s3_endpoint, "http://127.0.0.1:9000");
	cr_assert_str_eq(c.media_s3_bucket, "b");
	cr_assert_str_eq(c.media_s3_access_key, "AKIDEXAMPLE");
	cr_assert_str_eq(c.media_s3_secret_key, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
	cr_assert_eq(config_is_option("media-s3-secret-key"), 0, "the secret is no flag");

	setenv("RENTD_MEDIA_STORE", "s4", 1);
	cr_assert_lt(config_from_env(&c, msg, sizeof(msg)), 0);
	cr_assert(strstr(msg, "(from RENTD_MEDIA_STORE)"), "%s", msg);
}

Test(config, env_empty_keeps_defaults)
{
	struct config d;
	config_defaults(&d);
	cr_assert_eq(config_from_env(&c, msg, sizeof(msg)), 0);
	cr_assert_eq(memcmp(&c, &d, sizeof(c)), 0);
}

Test(config, env_values)
{
	setenv("RENTD_LISTEN", "[::]:8443", 1);
	setenv("RENTD_DATABASE", "/srv/rentd.db", 1);
	setenv("RENTD_THREADS", "16", 1);
	setenv("RENTD_BODY_LIMIT", "65536", 1);
	setenv("RENTD_CONNECTION_LIMIT", "100", 1);
	setenv("RENTD_CONNECTION_TIMEOUT", "60", 1);
	setenv("RENTD_ACCESS_LOG", "off", 1);
	setenv("RENTD_LOG_LEVEL", "warn", 1);
	cr_assert_eq(config_from_env(&c, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_str_eq(c.listen_host, "::");
	cr_assert_eq(c.listen_port, 8443);
	cr_assert_str_eq(c.database, "/srv/rentd.db");
	cr_assert_eq(c.threads, 16);
	cr_assert_eq(c.body_limit, 65536);
	cr_assert_eq(c.connection_limit, 100);
	cr_assert_eq(c.connection_timeout, 60);
	cr_assert_eq(c.access_log, 0);
	cr_assert_eq(c.log_level, LOG_WARN);
}

Test(config, env_bad_value_names_variable)
{
	setenv("RENTD_THREADS", "many", 1);
	cr_assert_lt(config_from_env(&c, msg, sizeof(msg)), 0);
	cr_assert_not_null(strstr(msg, "RENTD_THREADS"), "%s", msg);
	cr_assert_not_null(strstr(msg, "many"), "%s", msg);
	cr_assert_eq(c.threads, 0);
}

Test(config, env_bad_listen)
{
	setenv("RENTD_LISTEN", "[::1]:70000", 1);
	cr_assert_lt(config_from_env(&c, msg, sizeof(msg)), 0);
	cr_assert_not_null(strstr(msg, "RENTD_LISTEN"), "%s", msg);
	cr_assert_eq(c.listen_port, 8080);
}

Test(config, env_unset_is_ignored)
{
	setenv("RENTD_THREADS", "3", 1);
	cr_assert_eq(config_from_env(&c, msg, sizeof(msg)), 0);
	cr_assert_eq(c.threads, 3);
	unsetenv("RENTD_THREADS");
	config_defaults(&c);
	cr_assert_eq(config_from_env(&c, msg, sizeof(msg)), 0);
	cr_assert_eq(c.threads, 0);
}

Test(config, env_then_args_args_win)
{
	setenv("RENTD_THREADS", "3", 1);
	setenv("RENTD_DATABASE", "env.db", 1);
	cr_assert_eq(config_from_env(&c, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(ARGS("--threads", "5"), 0, "%s", msg);
	cr_assert_eq(c.threads, 5);
	cr_assert_str_eq(c.database, "env.db");
}

Test(config, message_fits_small_buffer)
{
	char small[8];
	memset(small, 'Z', sizeof(small));
	char *argv[] = { (char *)"rentd", (char *)"--a-very-long-unknown-option", (char *)"x", NULL };
	cr_assert_lt(config_from_args(&c, 3, argv, 1, small, sizeof(small)), 0);
	cr_assert_eq(small[sizeof(small) - 1], '\0', "message must be truncated, not overflow");
	setenv("RENTD_THREADS", "bad-bad-bad", 1);
	memset(small, 'Z', sizeof(small));
	cr_assert_lt(config_from_env(&c, small, sizeof(small)), 0);
	cr_assert_lt(strlen(small), sizeof(small));
}

Test(config, args_unknown_flag_suggests_the_nearest)
{
	cr_assert_lt(ARGS("--port", "9090"), 0);
	cr_assert_str_eq(msg, "unknown option --port (did you mean --listen?)");
	cr_assert_lt(ARGS("--databse=x.db"), 0);
	cr_assert_str_eq(msg, "unknown option --databse (did you mean --database?)");
	cr_assert_lt(ARGS("--smtp-form", "a@b.se"), 0);
	cr_assert_str_eq(msg, "unknown option --smtp-form (did you mean --smtp-from?)");
	/* another word, not a typo: no guess */
	cr_assert_lt(ARGS("--frobnicate", "1"), 0);
	cr_assert_null(strstr(msg, "did you mean"), "%s", msg);
}

Test(config, args_unknown_flag_last_is_unknown_not_missing_a_value)
{
	cr_assert_lt(ARGS("--threds"), 0);
	cr_assert_str_eq(msg, "unknown option --threds (did you mean --threads?)");
}

Test(config, suggest_takes_a_command_s_own_flags)
{
	static const char *const extra[] = { "--apartments", "--listings" };
	cr_assert_str_eq(config_suggest("--apartment", extra, 2), "apartments");
	cr_assert_str_eq(config_suggest("listen", extra, 2), "listen");
	cr_assert_null(config_suggest("x", extra, 2));
	cr_assert(config_is_option("--geo-dir"));
	cr_assert(!config_is_option("apartments"));
}
