#include <stdio.h>
#include <string.h>

#include "dialects/dialects.h"

int dialect_status(enum dialect d, enum error_kind kind)
{
	switch (kind) {
	case ERROR_NONE: return 200;
	case ERROR_MALFORMED: return 400;
	case ERROR_VALIDATION:
		/* HomeQ answers schema violations with 412 (H-03); Momentum 400 (M-27); Spotahome 422 (S-38) */
		return d == DIALECT_LANDLORD ? 412 : d == DIALECT_MARKET ? 400 : 422;
	case ERROR_PRECONDITION: return d == DIALECT_ACCOUNTS ? 422 : 412;
	case ERROR_UNAUTHORIZED: return 401;
	case ERROR_FORBIDDEN: return 403;
	case ERROR_NOT_FOUND: return 404;
	case ERROR_METHOD_NOT_ALLOWED: return 405;
	case ERROR_CONFLICT: return 409;
	case ERROR_TOO_LARGE: return 413;
	case ERROR_UNSUPPORTED_MEDIA_TYPE: return 415;
	case ERROR_RATE_LIMITED: return 429;
	case ERROR_UNAVAILABLE: return 503;
	case ERROR_INTERNAL: return 500;
	}
	return 500;
}

/* Default identifiers per kind: HomeQ's error names (H-03) and Momentum's codes (M-28). */
static const char *default_code(enum dialect d, enum error_kind kind)
{
	switch (kind) {
	case ERROR_NONE: return "None";
	case ERROR_MALFORMED: return d == DIALECT_MARKET ? "BadRequest" : "ParseError";
	case ERROR_VALIDATION: return d == DIALECT_MARKET ? "BadRequest" : "ValidationError";
	case ERROR_PRECONDITION: return "PreconditionFailed";
	case ERROR_UNAUTHORIZED: return "Unauthorized";
	case ERROR_FORBIDDEN: return d == DIALECT_MARKET ? "Forbidden" : "PermissionDenied";
	case ERROR_NOT_FOUND: return "NotFound";
	case ERROR_METHOD_NOT_ALLOWED: return "MethodNotAllowed";
	case ERROR_CONFLICT: return "Conflict";
	case ERROR_TOO_LARGE: return "PayloadTooLarge";
	case ERROR_UNSUPPORTED_MEDIA_TYPE: return "UnsupportedMediaType";
	case ERROR_RATE_LIMITED: return "RateLimited";
	case ERROR_UNAVAILABLE: return "ServiceUnavailable";
	case ERROR_INTERNAL: return "InternalError";
	}
	return "InternalError";
}

static const char *default_message(enum error_kind kind)
{
	switch (kind) {
	case ERROR_MALFORMED: return "The request could not be parsed.";
	case ERROR_VALIDATION: return "The request has invalid fields.";
	case ERROR_PRECONDITION: return "A precondition of this operation failed.";
	case ERROR_UNAUTHORIZED: return "Authentication credentials were not provided or are invalid.";
	case ERROR_FORBIDDEN: return "You do not have permission to perform this action.";
	case ERROR_NOT_FOUND: return "Not found.";
	case ERROR_METHOD_NOT_ALLOWED: return "Method not allowed.";
	case ERROR_CONFLICT: return "The request conflicts with the current state of the resource.";
	case ERROR_TOO_LARGE: return "The request body is too large.";
	case ERROR_UNSUPPORTED_MEDIA_TYPE: return "Unsupported media type.";
	case ERROR_RATE_LIMITED: return "You have been rate limited. Please try again later.";
	case ERROR_UNAVAILABLE: return "The service is temporarily unavailable. Please try again later.";
	case ERROR_INTERNAL: return "Internal server error.";
	case ERROR_NONE: break;
	}
	return "";
}

/* The text a client sees: never the internal detail of a 500 or a 503. */
static const char *public_message(const struct request *req, const struct error *err)
{
	if (err->kind == ERROR_INTERNAL || err->kind == ERROR_UNAVAILABLE || !err->message) {
		if (err->kind == ERROR_VALIDATION && err->nfields) {
			const struct field_error *f = &err->fields[0];
			return arena_printf(req->arena, "%s: %s%s", f->path[0] ? f->path : "body", f->message,
					    err->nfields > 1 ? " (and more, see fields)" : "");
		}
		return default_message(err->kind);
	}
	return err->message;
}

static void render_landlord(const struct request *req, struct jw *w, const struct error *err,
			    enum dialect d)
{
	jw_object_begin(w);
	jw_kv_str(w, "correlation_id", req->request_id);
	jw_kv_cstr(w, "description", public_message(req, err));
	jw_kv_cstr(w, "error", err->code && err->kind != ERROR_INTERNAL ? err->code : default_code(d, err->kind));
	if (err->nfields) {
		/* every bad field with all its reasons, so a client fixes them in one round */
		jw_key(w, "fields");
		jw_object_begin(w);
		for (size_t i = 0; i < err->nfields; i++) {
			int seen = 0;
			for (size_t k = 0; k < i; k++)
				seen |= strcmp(err->fields[k].path, err->fields[i].path) == 0;
			if (seen)
				continue;
			jw_key(w, err->fields[i].path[0] ? err->fields[i].path : "body");
			jw_array_begin(w);
			for (size_t k = i; k < err->nfields; k++)
				if (strcmp(err->fields[k].path, err->fields[i].path) == 0)
					jw_cstr(w, err->fields[k].message);
			jw_array_end(w);
		}
		jw_object_end(w);
	}
	jw_object_end(w);
}

static void render_market(const struct request *req, struct jw *w, const struct error *err)
{
	jw_object_begin(w);
	/* a parse error is M-28's BadRequest whatever the reader called it */
	jw_kv_cstr(w, "code", err->code && err->kind != ERROR_INTERNAL && err->kind != ERROR_MALFORMED
				      ? err->code
				      : default_code(DIALECT_MARKET, err->kind));
	jw_kv_cstr(w, "message", public_message(req, err));
	if (err->nfields)
		jw_kv_cstr(w, "field", err->fields[0].path[0] ? err->fields[0].path : "body");
	jw_object_end(w);
}

/* Laminas validator names (S-38) for our neutral rules. */
static const char *laminas_validator(const char *rule)
{
	if (strcmp(rule, RULE_REQUIRED) == 0)
		return "isEmpty";
	if (strcmp(rule, RULE_LENGTH) == 0)
		return "stringLength";
	if (strcmp(rule, RULE_ENUM) == 0)
		return "notInArray";
	if (strcmp(rule, RULE_TYPE) == 0)
		return "invalidType";
	if (strcmp(rule, RULE_RANGE) == 0)
		return "between";
	if (strcmp(rule, RULE_PATTERN) == 0)
		return "regexNotMatch";
	if (strcmp(rule, RULE_UNIQUE) == 0)
		return "recordFound";
	return "invalid";
}

static const struct {
	int status;
	const char *title;
	const char *detail;
} problems[] = {
	{ 400, "Bad Request", "The request could not be understood by the server due to malformed syntax" },
	{ 401, "Unauthorized", "Unauthorized user" },
	{ 403, "Forbidden", "Forbidden access" },
	{ 404, "Not Found", "The resource was not found" },
	{ 409, "Conflict", "The request could not be completed due to a conflict with the current state of the resource" },
	{ 422, "Unprocessable Entity", "The request was well formed but was unable to be followed due to semantic errors" },
	{ 500, "Internal Server Error", "Internal Server Error" },
};

static void render_accounts(const struct request *req, struct jw *w, const struct error *err, int status)
{
	const char *title = http_status_text(status);
	const char *detail = NULL;

	/* S-03: #17/#18 answer validation failures 409 with the E422 body (its detail and title) */
	int body_status = err->kind == ERROR_VALIDATION && status == 409 ? 422 : status;

	for (size_t i = 0; i < sizeof(problems) / sizeof(problems[0]); i++)
		if (problems[i].status == body_status) {
			title = problems[i].title;
			detail = problems[i].detail; /* the documented bodies are exact (spotahome.md §1.3) */
		}
	if (!detail)
		detail = public_message(req, err);
	jw_object_begin(w);
	jw_kv_cstr(w, "detail", detail);
	jw_kv_int(w, "status", status);
	jw_kv_cstr(w, "title", title);
	jw_kv_cstr(w, "type", "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html");
	if (err->nfields) {
		jw_key(w, "validationMessages");
		jw_object_begin(w);
		for (size_t i = 0; i < err->nfields; i++) {
			int seen = 0;
			for (size_t k = 0; k < i; k++)
				seen |= strcmp(err->fields[k].path, err->fields[i].path) == 0;
			if (seen)
				continue;
			jw_key(w, err->fields[i].path[0] ? err->fields[i].path : "body");
			jw_object_begin(w);
			for (size_t k = i; k < err->nfields; k++) {
				int dup = 0;
				if (strcmp(err->fields[k].path, err->fields[i].path) != 0)
					continue;
				for (size_t j = i; j < k; j++)
					dup |= strcmp(err->fields[j].path, err->fields[i].path) == 0 &&
					       strcmp(err->fields[j].rule, err->fields[k].rule) == 0;
				if (!dup)
					jw_kv_cstr(w, laminas_validator(err->fields[k].rule), err->fields[k].message);
			}
			jw_object_end(w);
		}
		jw_object_end(w);
	}
	jw_object_end(w);
}

void dialect_render_error(enum dialect d, const struct request *req, struct response *resp,
			  const struct error *err)
{
	struct jw w;
	int status = err->status ? err->status : dialect_status(d, err->kind);

	resp->status = status;
	/* every dialect declares application/json, the accounts problem bodies too (spotahome.md §1.1) */
	resp->content_type = STR_LIT("application/json");
	buf_init(&resp->body, req->arena, 256);
	jw_init(&w, &resp->body);
	if (d == DIALECT_MARKET)
		render_market(req, &w, err);
	else if (d == DIALECT_ACCOUNTS)
		render_accounts(req, &w, err, status);
	else
		render_landlord(req, &w, err, d);
	if (d == DIALECT_LANDLORD)
		response_header(resp, "X-Correlation-Id", req->request_id);
	if ((err->kind == ERROR_RATE_LIMITED || err->kind == ERROR_UNAVAILABLE) && err->retry_after > 0)
		response_header(resp, "Retry-After",
				str_from_cstr(arena_printf(req->arena, "%d", err->retry_after)));
}
