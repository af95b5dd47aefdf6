/*
 * webhook_send.c — the sending of webhook events (webhooks.h, "Delivery"): the settings, the
 * appending transaction's hook and the job kinds.
 */
#include "core/webhooks/webhooks.h"

#include <pthread.h>

static pthread_once_t settings_once = PTHREAD_ONCE_INIT;
static struct webhook_settings settings = {
	.retry_interval = 300,
	.give_up = 7 * 24 * 3600,
	.timeout = 10,
	.connect_timeout = 5,
	.concurrency = 16,
};

static void settings_init(void)
{
}

void webhooks_configure(const struct webhook_settings *s)
{
	pthread_once(&settings_once, settings_init);
	settings = *s;
}

const struct webhook_settings *webhooks_settings(void)
{
	return &settings;
}
