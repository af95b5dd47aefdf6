#include "http/request.h"

#include <string.h>
#include <time.h>

static const char *const method_names[HTTP_METHOD_COUNT] = {
	[HTTP_GET] = "GET",     [HTTP_HEAD] = "HEAD",       [HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT",     [HTTP_PATCH] = "PATCH",     [HTTP_DELETE] = "DELETE",
	[HTTP_OPTIONS] = "OPTIONS", [HTTP_OTHER] = "OTHER",
};

enum http_method http_method_parse(struct str name)
{
	for (int m = 0; m < HTTP_OTHER; m++)
		if (str_eq_cstr(name, method_names[m]))
			return (enum http_method)m;
	return HTTP_OTHER;
}

const char *http_method_name(enum http_method m)
{
	return (m >= 0 && m < HTTP_METHOD_COUNT) ? method_names[m] : "OTHER";
}

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Unknown";
}

struct str request_header(const struct request *req, const char *name)
{
	struct str n = str_from_cstr(name);
	for (size_t i = 0; i < req->nheaders; i++)
		if (str_case_eq(req->headers[i].name, n))
			return req->headers[i].value;
	return STR_NULL;
}

bool request_etag_matches(struct str if_none_match, struct str etag)
{
	const char *p = if_none_match.ptr, *end = if_none_match.ptr + if_none_match.len;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		struct str item = str_trim((struct str){ p, (size_t)((comma ? comma : end) - p) });
		if (str_has_prefix(item, STR_LIT("W/")))
			item = (struct str){ item.ptr + 2, item.len - 2 };
		if (str_eq_cstr(item, "*") || str_eq(item, etag))
			return true;
		p = comma ? comma + 1 : end;
	}
	return false;
}

void response_header(struct response *resp, const char *name, struct str value)
{
	if (resp->nheaders >= RESPONSE_MAX_HEADERS)
		return;
	resp->headers[resp->nheaders].name = str_from_cstr(name);
	resp->headers[resp->nheaders].value = value;
	resp->nheaders++;
}

uint64_t clock_monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int http_is_tchar(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}
