/*
 * test_webhook_target.c — where a webhook may go (core/webhooks/webhook_target.h): every
 * refused range by an address inside it and one just outside, IPv6 forms that embed an IPv4
 * address, the loopback allowance, and the URL rules.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "base/arena.h"
#include "core/webhooks/webhook_target.h"

static struct arena *arena;

static void setup(void) { arena = arena_create(4096); }
static void teardown(void) { arena_destroy(arena); }

TestSuite(webhook_target, .init = setup, .fini = teardown);

static bool allowed(const char *text, bool loopback, char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, text, &((struct sockaddr_in *)&ss)->sin_addr) == 1)
		ss.ss_family = AF_INET;
	else if (inet_pton(AF_INET6, text, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1)
		ss.ss_family = AF_INET6;
	else
		cr_assert_fail("not an address: %s", text);
	return webhook_address_allowed((struct sockaddr *)&ss, loopback, why, whylen);
}

static void refused(const char *text, const char *what)
{
	char why[160] = "";
	cr_assert_not(allowed(text, false, why, sizeof(why)), "%s was allowed", text);
	cr_assert(strstr(why, what), "%s: \"%s\" does not say %s", text, why, what);
	cr_assert(strstr(why, text) || strchr(text, ':'), "%s: \"%s\" does not name it", text, why);
}

static void public(const char *text)
{
	char why[160] = "";
	cr_assert(allowed(text, false, why, sizeof(why)), "%s refused: %s", text, why);
}

Test(webhook_target, ipv4_ranges)
{
	refused("0.0.0.0", "this network");
	refused("10.0.0.1", "private");
	refused("10.255.255.255", "private");
	public("11.0.0.1");
	refused("100.64.0.1", "shared");
	public("100.128.0.1");
	refused("127.0.0.1", "loopback");
	refused("127.8.9.10", "loopback");
	refused("169.254.169.254", "link-local");
	refused("172.16.0.1", "private");
	refused("172.31.255.255", "private");
	public("172.32.0.1");
	public("172.15.255.255");
	refused("192.168.1.1", "private");
	refused("192.0.2.5", "documentation");
	refused("198.18.0.1", "benchmarking");
	refused("198.51.100.7", "documentation");
	refused("203.0.113.9", "documentation");
	refused("224.0.0.1", "multicast");
	refused("255.255.255.255", "reserved");
	public("8.8.8.8");
	public("1.1.1.1");
	public("193.10.1.1");
}

Test(webhook_target, ipv6_ranges)
{
	refused("::", "unspecified");
	refused("::1", "loopback");
	refused("fe80::1", "link-local");
	refused("fd00:ec2::254", "private");
	refused("fc00::1", "private");
	refused("ff02::1", "multicast");
	refused("2001:db8::1", "documentation");
	refused("::ffff:10.0.0.1", "private");      /* IPv4-mapped */
	refused("::ffff:169.254.169.254", "link-local");
	refused("64:ff9b::7f00:1", "loopback");      /* NAT64 of 127.0.0.1 */
	refused("2002:a00:1::", "private");          /* 6to4 of 10.0.0.1 */
	public("2a00:1450:4001:800::200e");
	public("::ffff:8.8.8.8");
}

Test(webhook_target, loopback_allowance)
{
	char why[160] = "";
	cr_assert(allowed("127.0.0.1", true, why, sizeof(why)));
	cr_assert(allowed("::1", true, why, sizeof(why)));
	cr_assert(allowed("::ffff:127.0.0.1", true, why, sizeof(why)));
	cr_assert_not(allowed("10.0.0.1", true, why, sizeof(why)), "the allowance is loopback only");
	cr_assert_not(allowed("169.254.169.254", true, why, sizeof(why)));
}

static void url_ok(const struct webhook_settings *s, const char *url)
{
	const char *why = NULL;
	cr_assert_eq(webhook_url_check(arena, str_from_cstr(url), s, &why), 0, "%s: %s", url, why);
}

static void url_bad(const struct webhook_settings *s, const char *url, const char *what)
{
	const char *why = NULL;
	cr_assert_eq(webhook_url_check(arena, str_from_cstr(url), s, &why), -1, "%s was accepted", url);
	cr_assert(why && strstr(why, what), "%s: \"%s\" does not say %s", url, why ? why : "", what);
}

Test(webhook_target, urls)
{
	struct webhook_settings strict = { .allow_http = false }, dev = { .allow_http = true, .allow_loopback = true };

	url_ok(&strict, "https://hooks.example.se/rentd");
	url_ok(&strict, "https://hooks.example.se:8443/a/b?x=1");
	url_ok(&strict, "https://localhost/"); /* a name: checked when sent */
	url_ok(&strict, "https://8.8.8.8/");
	url_bad(&strict, "http://hooks.example.se/", "https");
	url_ok(&dev, "http://hooks.example.se/");
	url_bad(&dev, "ftp://hooks.example.se/", "https or http");
	url_bad(&strict, "https://10.1.2.3/hook", "private");
	url_bad(&strict, "https://127.0.0.1:9000/", "loopback");
	url_ok(&dev, "http://127.0.0.1:9000/");
	url_bad(&strict, "https://[::1]/", "loopback");
	url_bad(&strict, "https://169.254.169.254/latest/meta-data/", "link-local");
	url_bad(&strict, "https://[fe80::1%25eth0]/", "link-local");
	url_bad(&strict, "https://hooks.example.se/#frag", "fragment");
	url_bad(&strict, "https://hooks.example.se/a b", "spaces");
	url_bad(&strict, "https:///path", "");
	url_bad(&strict, "not a url", "");
	url_bad(&strict, "", "URL");
}
