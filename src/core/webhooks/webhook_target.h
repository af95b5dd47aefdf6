/*
 * webhook_target.h — where a webhook may be sent (issue 16, "Safety"; docs/WEBHOOKS.md).
 *
 * A subscription's URL is https (http only with --webhook-allow-http), has a host, and no
 * fragment. The address actually connected must be public: loopback (127.0.0.0/8, ::1;
 * allowed by --webhook-allow-loopback for tests), private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), shared (100.64/10), link-local (169.254/16 — the cloud metadata service —,
 * fe80::/10), unspecified, "this network", benchmarking, documentation, multicast and
 * reserved ranges are refused, and an IPv6 address that embeds an IPv4 one (::ffff:a.b.c.d,
 * 64:ff9b::/96, 2002::/16) is judged by it. The check runs on the socket address that libcurl
 * is about to connect (webhook_send.c's open-socket callback), on every attempt, so a name
 * that resolves somewhere else the next time (DNS rebinding) is caught too.
 */
#ifndef RENTD_WEBHOOK_TARGET_H
#define RENTD_WEBHOOK_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "base/arena.h"
#include "base/str.h"
#include "core/webhooks/webhooks.h"

/*
 * 0 when url may be subscribed under s; -1 with *why set (a sentence for the field error:
 * "must use https", "must name a host", "must not have a fragment", "address 10.0.0.1 is
 * private", "is not a URL"). An IP-literal host is checked here; a name only when sent.
 */
int webhook_url_check(struct arena *a, struct str url, const struct webhook_settings *s, const char **why);

/* Whether sa may be connected; when not, why gets e.g. "address 169.254.169.254 is link-local". */
bool webhook_address_allowed(const struct sockaddr *sa, bool allow_loopback, char *why, size_t whylen);

#endif
