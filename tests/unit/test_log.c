/* base/log: secrets in paths never reach a log line (issue 12 finding 4). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

#define TOKEN "jgS4Avsu_GgnZZzscGLU-Hr3na1NmULwQ_JkaqlqyTE"

static FILE *captured;

static void setup(void)
{
	captured = tmpfile();
	cr_assert_not_null(captured);
	log_set_fd(fileno(captured));
	log_set_level(LOG_INFO);
	log_set_access(1);
	cr_assert_eq(log_secret_path("/invitations/{token}"), 0);
	cr_assert_eq(log_secret_path("/invitations/{token}"), 0, "registering twice is harmless");
	cr_assert_eq(log_secret_path("/api/x/{id:int}/confirm/{code}"), 0);
}

static void teardown(void)
{
	log_set_fd(2);
	fclose(captured);
}

TestSuite(log, .init = setup, .fini = teardown);

/* Everything logged so far; free() it. */
static char *read_log(void)
{
	long n;
	char *text;
	fflush(captured);
	n = lseek(fileno(captured), 0, SEEK_END);
	text = calloc(1, (size_t)n + 1);
	cr_assert_eq(pread(fileno(captured), text, (size_t)n, 0), n);
	return text;
}

static void access_line(const char *method, const char *path)
{
	struct access_entry e = { .request_id = STR_LIT("r1"), .method = str_from_cstr(method),
				  .path = str_from_cstr(path), .status = 200 };
	log_access(&e);
}

Test(log, access_log_redacts_the_token_for_every_method_and_longer_paths)
{
	char *text;
	access_line("GET", "/invitations/" TOKEN);
	access_line("POST", "/invitations/" TOKEN "/");
	access_line("DELETE", "/Invitations/" TOKEN "/more/segments");
	access_line("GET", "/api/x/12/confirm/" TOKEN);
	text = read_log();
	cr_assert_null(strstr(text, TOKEN), "the token is in the log:\n%s", text);
	cr_assert_null(strstr(text, "jgS4Avsu"), "part of the token is in the log:\n%s", text);
	cr_assert(strstr(text, "\"path\":\"/invitations/{token}\""), "%s", text);
	cr_assert(strstr(text, "\"path\":\"/invitations/{token}/\""), "%s", text);
	cr_assert(strstr(text, "\"path\":\"/Invitations/{token}/more/segments\""), "%s", text);
	cr_assert(strstr(text, "\"path\":\"/api/x/12/confirm/{code}\""), "the id stays: %s", text);
	free(text);
}

Test(log, messages_redact_paths_and_urls_inside_their_text)
{
	char *text;
	log_warn("http: cannot parse GET /invitations/%s HTTP/1.1", TOKEN);
	log_info("link http://127.0.0.1:8080/invitations/%s?x=1 sent", TOKEN);
	log_error("\"/invitations/%s\"", TOKEN);
	text = read_log();
	cr_assert_null(strstr(text, TOKEN), "the token is in the log:\n%s", text);
	cr_assert(strstr(text, "GET /invitations/{token} HTTP/1.1"), "%s", text);
	cr_assert(strstr(text, "http://127.0.0.1:8080/invitations/{token}?x=1 sent"), "%s", text);
	free(text);
}

Test(log, other_paths_are_logged_as_they_are)
{
	char *text;
	access_line("GET", "/invitations/");
	access_line("GET", "/api/v1/invitations/accept/");
	access_line("GET", "/api/x/abc/confirm/" TOKEN); /* not an id: not the route */
	log_info("moved /a/b//c");
	text = read_log();
	cr_assert(strstr(text, "\"path\":\"/invitations/\""), "%s", text);
	cr_assert(strstr(text, "\"path\":\"/api/v1/invitations/accept/\""), "%s", text);
	cr_assert(strstr(text, "/api/x/abc/confirm/" TOKEN), "%s", text);
	cr_assert(strstr(text, "moved /a/b//c"), "%s", text);
	free(text);
}
