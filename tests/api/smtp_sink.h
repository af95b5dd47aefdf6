/*
 * smtp_sink.h — a tiny SMTP server for API tests of e-mail: enough of RFC 5321 for libcurl,
 * on a free loopback port (sink_start(), then point the config's smtp_url at sink_port). It
 * keeps the envelope lines and the DATA of the last message. Static: one per test program.
 */
#ifndef RENTD_TEST_SMTP_SINK_H
#define RENTD_TEST_SMTP_SINK_H

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int sink_fd = -1, sink_port;
static pthread_t sink_thread;
static char sink_mail[16384];     /* the DATA of the last message */
static char sink_envelope[1024];  /* MAIL FROM and RCPT TO lines */
static int sink_messages;

static void sink_say(int fd, const char *s)
{
	ssize_t n = write(fd, s, strlen(s));
	(void)n;
}

static void sink_session(int fd)
{
	char buf[32768];
	size_t len = 0;
	int in_data = 0;

	sink_say(fd, "220 sink ESMTP\r\n");
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
		char *eol;
		if (n <= 0)
			return;
		len += (size_t)n;
		buf[len] = '\0';
		if (in_data) {
			char *end = strstr(buf, "\r\n.\r\n");
			if (!end)
				continue;
			*end = '\0';
			memcpy(sink_mail, buf, (size_t)(end - buf) < sizeof(sink_mail) ? (size_t)(end - buf) + 1 : 0);
			sink_messages++;
			sink_say(fd, "250 OK queued\r\n");
			memmove(buf, end + 5, len - (size_t)(end + 5 - buf));
			len -= (size_t)(end + 5 - buf);
			in_data = 0;
			continue;
		}
		while ((eol = strstr(buf, "\r\n")) != NULL) {
			*eol = '\0';
			if (strncasecmp(buf, "EHLO", 4) == 0)
				sink_say(fd, "250-sink\r\n250 SIZE 1000000\r\n");
			else if (strncasecmp(buf, "MAIL", 4) == 0 || strncasecmp(buf, "RCPT", 4) == 0) {
				size_t have = strlen(sink_envelope), l = strlen(buf);
				if (have + l + 2 < sizeof(sink_envelope)) {
					memcpy(sink_envelope + have, buf, l);
					memcpy(sink_envelope + have + l, "\n", 2);
				}
				sink_say(fd, "250 OK\r\n");
			} else if (strncasecmp(buf, "DATA", 4) == 0) {
				sink_say(fd, "354 go ahead\r\n");
				in_data = 1;
			} else if (strncasecmp(buf, "QUIT", 4) == 0) {
				sink_say(fd, "221 bye\r\n");
				return;
			} else
				sink_say(fd, "250 OK\r\n");
			memmove(buf, eol + 2, len - (size_t)(eol + 2 - buf) + 1);
			len -= (size_t)(eol + 2 - buf);
			if (in_data)
				break;
		}
	}
}

static void *sink_main(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(sink_fd, NULL, NULL);
		if (c < 0)
			return NULL;
		sink_session(c);
		close(c);
	}
}

static void sink_start(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);

	sink_fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(sink_fd >= 0);
	cr_assert_eq(bind(sink_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(sink_fd, 4), 0);
	cr_assert_eq(getsockname(sink_fd, (struct sockaddr *)&sa, &sl), 0);
	sink_port = ntohs(sa.sin_port);
	cr_assert_eq(pthread_create(&sink_thread, NULL, sink_main, NULL), 0);
	pthread_detach(sink_thread);
}

#endif
