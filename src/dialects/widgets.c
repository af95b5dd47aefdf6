/*
 * widgets.c — the embeddable widget and the project interest page (homeq.md §11g;
 * docs/WIDGET.md), with the landlord's read of the sign-ups the page collects.
 *
 *   GET  /widgets/overview.js             the listing widget's script     } embedded files (widgets/),
 *   GET  /widgets/overview.css            its styles                      } ETag + If-None-Match → 304,
 *   GET  /widgets/project.css             the interest page's styles      } cached 5 minutes, gzip
 *   GET  /widgets/project?project=ID      the interest page for the seed's iframe (HTML, sv/en)
 *   POST /widgets/project?project=ID      its form (urlencoded): a thank-you page, or the form
 *                                         again with the reasons (412), 404 page, 429
 *   GET  /widgets/project/unsubscribe?token=T   the e-mailed link: a page asking to confirm (a GET
 *                                         changes nothing: mail scanners open links)
 *   POST /widgets/project/unsubscribe?token=T   its button (and RFC 8058's one-click POST): the
 *                                         sign-up deleted, a page saying so; 400/404 pages
 *   POST /api/v1/projects/{id}/interest   the same sign-up as JSON, for a landlord's own form
 *   POST /api/v1/projects/interest/unsubscribe  the unsubscribe as JSON {"token"}, for a landlord's
 *                                         own page
 *   GET  /api/v1/projects/{id}/interest   the landlord's list of sign-ups (offset, amount)
 *
 * The pages are rendered from embedded templates: {{name}} is replaced by a value that is
 * HTML-escaped, except the one slot that takes an already rendered fragment. CORS for the
 * public ones is app/cors.c's business.
 */
#include <string.h>

#include "core/listings/project_interest.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"
#include "dialects/assets.h"

/* The widget files change with a release; a short lifetime lets pages pick up fixes soon. */
#define ASSET_CACHE_CONTROL "public, max-age=300"

/* ---- embedded files (dialects/assets.h) ---- */

static const struct embedded_asset *widget_asset(const char *name)
{
	return asset_find(widget_assets, widget_assets_count, name);
}

static int serve_asset(struct ctx *ctx, const char *name)
{
	const struct embedded_asset *a = widget_asset(name);

	if (!a)
		return error_set(ctx->err, ERROR_INTERNAL, NULL, "the widget file %s is not embedded", name);
	return asset_serve(ctx, a, ASSET_CACHE_CONTROL);
}

static int get_overview_js(struct ctx *ctx)
{
	return serve_asset(ctx, "overview.js");
}

static int get_overview_css(struct ctx *ctx)
{
	return serve_asset(ctx, "overview.css");
}

static int get_project_css(struct ctx *ctx)
{
	return serve_asset(ctx, "project.css");
}

/* Appends the template with every {{name}} replaced (asset_render()). */
static void render(struct buf *out, const char *template_name, const struct tvar *vars, size_t n)
{
	asset_render(out, widget_asset(template_name), vars, n);
}

/* ---- the interest page ---- */

/* Every text of the page in one language. %s: the project's, the company's or the address's name. */
struct page_texts {
	const char *lang;
	const char *intro;          /* %s company */
	const char *email_label;
	const char *consent;        /* %s company */
	const char *submit;
	const char *thanks;         /* %s address, %s project */
	const char *missing_title;
	const char *missing_text;
	const char *email_required;
	const char *email_invalid;
	const char *consent_missing;
	const char *rate_limited;   /* %s minutes */
	const char *unreadable;
	const char *unsub_title;
	const char *unsub_text;     /* %s project, %s address */
	const char *unsub_button;
	const char *unsub_done;     /* %s address, %s project */
	const char *unsub_unknown_title;
	const char *unsub_unknown_text;
	const char *unsub_bad_title;
	const char *unsub_bad_text;
};

static const struct page_texts texts_en = {
	"en",
	"Leave your e-mail address and %s will let you know when the apartments in this project can be applied for.",
	"E-mail address",
	"I agree that %s stores my e-mail address to contact me about this project. I can withdraw my consent at "
	"any time.",
	"Notify me",
	"Thank you! We will e-mail %s when there is news about %s.",
	"Project not found",
	"This project does not exist or does not collect sign-ups.",
	"Enter your e-mail address.",
	"Enter a valid e-mail address, such as name@example.se.",
	"Tick the box to give your consent.",
	"Too many sign-ups from your network. Please try again in %s minutes.",
	"The form could not be read. Please try again.",
	"Stop following",
	"Do you want to stop following %s? Press the button and %s is removed from the list.",
	"Stop following",
	"Done. %s no longer follows %s and the address has been removed from the list.",
	"Link already used",
	"This link has been used already, or the address is no longer on the list. Nothing more needs to be done.",
	"Incomplete link",
	"This unsubscribe link is incomplete. Open the link in the e-mail as it is, or copy all of it.",
};

static const struct page_texts texts_sv = {
	"sv",
	"Lämna din e-postadress så meddelar %s dig när lägenheterna i projektet går att söka.",
	"E-postadress",
	"Jag godkänner att %s sparar min e-postadress för att kontakta mig om projektet. Jag kan när som helst "
	"återkalla mitt samtycke.",
	"Meddela mig",
	"Tack! Vi mejlar %s när det finns nyheter om %s.",
	"Projektet hittades inte",
	"Projektet finns inte eller tar inte emot intresseanmälningar.",
	"Fyll i din e-postadress.",
	"Fyll i en giltig e-postadress, till exempel namn@exempel.se.",
	"Kryssa i rutan för att lämna ditt samtycke.",
	"För många anmälningar från ditt nätverk. Försök igen om %s minuter.",
	"Formuläret kunde inte läsas. Försök igen.",
	"Sluta följa",
	"Vill du sluta följa %s? Tryck på knappen så tas %s bort från listan.",
	"Sluta följa",
	"Klart. %s följer inte längre %s och adressen har tagits bort från listan.",
	"Länken är redan använd",
	"Länken har redan använts eller så finns adressen inte längre på listan. Du behöver inte göra något mer.",
	"Ofullständig länk",
	"Länken för att sluta följa är ofullständig. Öppna länken i mejlet som den är, eller kopiera hela.",
};

/* ?lang=sv|en, else the first language of Accept-Language, else English. */
static const struct page_texts *page_language(struct ctx *ctx)
{
	struct str lang = query_get(&ctx->query, "lang");

	if (!lang.ptr)
		lang = str_trim(request_header(ctx->req, "Accept-Language"));
	return lang.ptr && lang.len >= 2 && str_case_eq((struct str){ lang.ptr, 2 }, STR_LIT("sv")) &&
			       (lang.len == 2 || lang.ptr[2] == '-' || lang.ptr[2] == ',' || lang.ptr[2] == ';')
		       ? &texts_sv
		       : &texts_en;
}

static void html_page(struct ctx *ctx, int status, const struct page_texts *t, const char *title, const char *state,
		      struct str content)
{
	struct tvar vars[] = {
		{ "lang", str_from_cstr(t->lang), false },
		{ "title", str_from_cstr(title), false },
		{ "state", str_from_cstr(state), false },
		{ "content", content, true },
	};
	ctx->resp->status = status;
	ctx->resp->content_type = STR_LIT("text/html; charset=utf-8");
	buf_init(&ctx->resp->body, ctx->req->arena, 4096);
	render(&ctx->resp->body, "project.html", vars, sizeof(vars) / sizeof(vars[0]));
	/* made for an iframe on the landlord's site: any page may frame it; it loads only our styles */
	response_header(ctx->resp, "Content-Security-Policy",
			STR_LIT("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
				"base-uri 'none'; frame-ancestors *"));
	response_header(ctx->resp, "Cache-Control", STR_LIT("no-store"));
	response_header(ctx->resp, "X-Content-Type-Options", STR_LIT("nosniff"));
	response_header(ctx->resp, "Referrer-Policy", STR_LIT("no-referrer"));
}

static int missing_page(struct ctx *ctx, const struct page_texts *t)
{
	struct buf content;
	struct tvar vars[] = {
		{ "heading", str_from_cstr(t->missing_title), false },
		{ "text", str_from_cstr(t->missing_text), false },
	};
	buf_init(&content, ctx->req->arena, 512);
	render(&content, "project_missing.html", vars, sizeof(vars) / sizeof(vars[0]));
	html_page(ctx, 404, t, t->missing_title, "missing", buf_str(&content));
	return 0;
}

/* What the form shows besides the project: the values sent back and the reasons. */
struct form_state {
	struct str email;
	bool consent;
	const char *notice; /* a message for the whole form */
	const char *email_error;
	const char *consent_error;
};

/* text with its first "%s" replaced by a and its second by b (the texts are data: no printf) */
static const char *fill(struct ctx *ctx, const char *text, const char *a, const char *b)
{
	struct buf out;
	const char *args[2] = { a, b };
	int next = 0;

	buf_init(&out, ctx->req->arena, 256);
	for (const char *p = text; *p; p++) {
		if (p[0] == '%' && p[1] == 's' && next < 2) {
			buf_append_cstr(&out, args[next++]);
			p++;
		} else {
			buf_putc(&out, *p);
		}
	}
	buf_putc(&out, '\0');
	return out.ptr;
}

static const char *cstr(struct ctx *ctx, struct str s)
{
	return arena_strndup(ctx->req->arena, s.ptr ? s.ptr : "", s.len);
}

static int form_page(struct ctx *ctx, int status, const struct page_texts *t, const struct interest_project *p,
		     const struct form_state *f)
{
	struct buf content;
	const char *company = cstr(ctx, p->company_name);
	struct tvar vars[] = {
		{ "project", p->name, false },
		{ "intro", str_from_cstr(fill(ctx, t->intro, company, "")), false },
		{ "notice", str_from_cstr(f->notice ? f->notice : ""), false },
		{ "notice_hidden", f->notice ? STR_LIT("") : STR_LIT(" hidden"), false },
		{ "email_label", str_from_cstr(t->email_label), false },
		{ "email", f->email, false },
		{ "email_invalid", f->email_error ? STR_LIT("true") : STR_LIT("false"), false },
		{ "email_error", str_from_cstr(f->email_error ? f->email_error : ""), false },
		{ "email_error_hidden", f->email_error ? STR_LIT("") : STR_LIT(" hidden"), false },
		{ "consent_checked", f->consent ? STR_LIT(" checked") : STR_LIT(""), false },
		{ "consent_text", str_from_cstr(fill(ctx, t->consent, company, "")), false },
		{ "consent_invalid", f->consent_error ? STR_LIT("true") : STR_LIT("false"), false },
		{ "consent_error", str_from_cstr(f->consent_error ? f->consent_error : ""), false },
		{ "consent_error_hidden", f->consent_error ? STR_LIT("") : STR_LIT(" hidden"), false },
		{ "submit", str_from_cstr(t->submit), false },
	};
	buf_init(&content, ctx->req->arena, 2048);
	render(&content, "project_form.html", vars, sizeof(vars) / sizeof(vars[0]));
	html_page(ctx, status, t, cstr(ctx, p->name), "form", buf_str(&content));
	return 0;
}

static int thanks_page(struct ctx *ctx, const struct page_texts *t, const struct interest_project *p,
		       struct str email)
{
	struct buf content;
	const char *thanks = fill(ctx, t->thanks, cstr(ctx, email), cstr(ctx, p->name));
	struct tvar vars[] = {
		{ "project", p->name, false },
		{ "thanks", str_from_cstr(thanks), false },
	};
	buf_init(&content, ctx->req->arena, 512);
	render(&content, "project_thanks.html", vars, sizeof(vars) / sizeof(vars[0]));
	html_page(ctx, 200, t, cstr(ctx, p->name), "thanks", buf_str(&content));
	return 0;
}

/* ?project=ID: a positive integer, else 0 (the page then says the project is not found). */
static int64_t page_project_id(struct ctx *ctx)
{
	struct str v = query_get(&ctx->query, "project");
	int64_t id;
	return v.ptr && str_to_int64(v, &id) == 0 && id > 0 ? id : 0;
}

static int get_project_page(struct ctx *ctx)
{
	const struct page_texts *t = page_language(ctx);
	int64_t id = page_project_id(ctx);
	struct interest_project p;
	struct form_state f = { 0 };
	struct error e;

	error_init(&e, ctx->req->arena);
	if (!id || project_interest_page(ctx->core, ctx->req->arena, id, &p, &e) < 0) {
		if (id && e.kind != ERROR_NOT_FOUND) {
			*ctx->err = e;
			return -1;
		}
		return missing_page(ctx, t);
	}
	return form_page(ctx, 200, t, &p, &f);
}

/* A checkbox sends its value when ticked and nothing when not: any "no" value also refuses. */
static int form_consent(struct str v)
{
	if (!v.ptr)
		return -1;
	return str_case_eq(v, STR_LIT("yes")) || str_case_eq(v, STR_LIT("on")) || str_case_eq(v, STR_LIT("true")) ||
	       str_eq_cstr(v, "1");
}

static bool is_form(struct str content_type)
{
	const char *semi = content_type.ptr ? memchr(content_type.ptr, ';', content_type.len) : NULL;
	struct str type = semi ? (struct str){ content_type.ptr, (size_t)(semi - content_type.ptr) } : content_type;
	return content_type.ptr && str_case_eq(str_trim(type), STR_LIT("application/x-www-form-urlencoded"));
}

/* The reasons of a refused sign-up, in the page's language, on the form's fields. */
static void form_reasons(const struct error *e, const struct page_texts *t, struct form_state *f)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const struct field_error *fe = &e->fields[i];
		if (strcmp(fe->path, "email") == 0 && !f->email_error)
			f->email_error = strcmp(fe->rule, RULE_REQUIRED) == 0 ? t->email_required : t->email_invalid;
		else if (strcmp(fe->path, "consent") == 0)
			f->consent_error = t->consent_missing;
	}
}

static int post_project_page(struct ctx *ctx)
{
	const struct page_texts *t = page_language(ctx);
	int64_t id = page_project_id(ctx);
	struct interest_signup in = { .email = STR_NULL, .consent = -1 };
	struct interest_project p;
	struct form_state f = { 0 };
	struct query form = { 0 };
	const char *minutes;
	int retry_after;
	struct error e;

	error_init(&e, ctx->req->arena);
	if (!id)
		return missing_page(ctx, t);
	if (!is_form(request_header(ctx->req, "Content-Type")) ||
	    query_parse(ctx->req->arena, ctx->req->body, &form, &e) < 0) {
		if (project_interest_page(ctx->core, ctx->req->arena, id, &p, &e) < 0)
			return missing_page(ctx, t);
		f.notice = t->unreadable;
		return form_page(ctx, 400, t, &p, &f);
	}
	in.email = query_get(&form, "email");
	in.consent = form_consent(query_get(&form, "consent"));
	in.locale = str_from_cstr(t->lang);
	f.email = str_trim(in.email);
	f.consent = in.consent == 1;
	if (project_interest_signup(ctx->core, ctx->req->arena, ctx->req->client_addr, id, &in, &p, &e) == 0)
		return thanks_page(ctx, t, &p, f.email);
	switch (e.kind) {
	case ERROR_NOT_FOUND:
		return missing_page(ctx, t);
	case ERROR_VALIDATION:
		form_reasons(&e, t, &f);
		return form_page(ctx, dialect_status(DIALECT_LANDLORD, ERROR_VALIDATION), t, &p, &f);
	case ERROR_RATE_LIMITED:
		/* the limit is checked first: the project is read for the page only now */
		minutes = arena_printf(ctx->req->arena, "%d", (e.retry_after + 59) / 60);
		retry_after = e.retry_after;
		error_init(&e, ctx->req->arena);
		if (project_interest_page(ctx->core, ctx->req->arena, id, &p, &e) < 0)
			return missing_page(ctx, t);
		f.notice = fill(ctx, t->rate_limited, minutes, "");
		form_page(ctx, 429, t, &p, &f);
		response_header(ctx->resp, "Retry-After",
				str_from_cstr(arena_printf(ctx->req->arena, "%d", retry_after)));
		return 0;
	default:
		*ctx->err = e;
		return -1;
	}
}

/* ---- unsubscribing ---- */

/* A page of the unsubscribe link that says why it did nothing (the missing page's layout). */
static int unsubscribe_notice(struct ctx *ctx, const struct page_texts *t, int status, const char *state,
			      const char *title, const char *text)
{
	struct buf content;
	struct tvar vars[] = {
		{ "heading", str_from_cstr(title), false },
		{ "text", str_from_cstr(text), false },
	};
	buf_init(&content, ctx->req->arena, 512);
	render(&content, "project_missing.html", vars, sizeof(vars) / sizeof(vars[0]));
	html_page(ctx, status, t, title, state, buf_str(&content));
	return 0;
}

/* A failed look-up as a page: a bad link 400, a used or unknown one 404, anything else the error. */
static int unsubscribe_failed(struct ctx *ctx, const struct page_texts *t, struct error *e)
{
	if (e->kind == ERROR_VALIDATION)
		return unsubscribe_notice(ctx, t, 400, "invalid", t->unsub_bad_title, t->unsub_bad_text);
	if (e->kind == ERROR_NOT_FOUND)
		return unsubscribe_notice(ctx, t, 404, "missing", t->unsub_unknown_title, t->unsub_unknown_text);
	*ctx->err = *e;
	return -1;
}

static int get_unsubscribe_page(struct ctx *ctx)
{
	const struct page_texts *t = page_language(ctx);
	struct str token = query_get(&ctx->query, "token");
	struct interest_unsubscribe u;
	struct buf content;
	struct error e;

	error_init(&e, ctx->req->arena);
	if (project_interest_unsubscribe_check(ctx->core, ctx->req->arena, token, &u, &e) < 0)
		return unsubscribe_failed(ctx, t, &e);
	{
		struct tvar vars[] = {
			{ "project", u.project.name, false },
			{ "text",
			  str_from_cstr(fill(ctx, t->unsub_text, cstr(ctx, u.project.name), cstr(ctx, u.email))),
			  false },
			{ "token", token, false },
			{ "button", str_from_cstr(t->unsub_button), false },
		};
		buf_init(&content, ctx->req->arena, 1024);
		render(&content, "project_unsubscribe.html", vars, sizeof(vars) / sizeof(vars[0]));
	}
	html_page(ctx, 200, t, t->unsub_title, "unsubscribe", buf_str(&content));
	return 0;
}

/*
 * The page's button posts to the link itself, token in the query; RFC 8058's one-click POST
 * (body "List-Unsubscribe=One-Click", urlencoded or multipart) too. A form field "token" is
 * read only when the query has none.
 */
static int post_unsubscribe_page(struct ctx *ctx)
{
	const struct page_texts *t = page_language(ctx);
	struct str token = query_get(&ctx->query, "token");
	struct interest_unsubscribe u;
	struct query form = { 0 };
	struct buf content;
	struct error e;

	error_init(&e, ctx->req->arena);
	if (!token.ptr && is_form(request_header(ctx->req, "Content-Type")) &&
	    query_parse(ctx->req->arena, ctx->req->body, &form, &e) == 0)
		token = query_get(&form, "token");
	error_init(&e, ctx->req->arena);
	if (project_interest_unsubscribe(ctx->core, ctx->req->arena, token, &u, &e) < 0)
		return unsubscribe_failed(ctx, t, &e);
	{
		struct tvar vars[] = {
			{ "project", u.project.name, false },
			{ "thanks",
			  str_from_cstr(fill(ctx, t->unsub_done, cstr(ctx, u.email), cstr(ctx, u.project.name))),
			  false },
		};
		buf_init(&content, ctx->req->arena, 512);
		render(&content, "project_thanks.html", vars, sizeof(vars) / sizeof(vars[0]));
	}
	html_page(ctx, 200, t, t->unsub_title, "unsubscribed", buf_str(&content));
	return 0;
}

static int post_unsubscribe(struct ctx *ctx)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	struct interest_unsubscribe u;
	struct str token = STR_NULL;
	struct jw *w;

	jr_string(&r, "token", JR_REQUIRED, 1, 1000, &token);
	if (error_failed(ctx->err))
		return -1;
	if (project_interest_unsubscribe(ctx->core, ctx->req->arena, token, &u, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "email", u.email);
	jw_kv_cstr(w, "interaction_type", "UNSUBSCRIBED");
	jw_kv_int(w, "project", u.project.id);
	jw_object_end(w);
	return 0;
}

/* ---- the JSON sign-up and the landlord's list ---- */

static int post_interest(struct ctx *ctx)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	struct interest_signup in = { .email = STR_NULL, .consent = -1 };
	struct interest_project p;
	bool consent;
	struct jw *w;

	/* a consumer's own token (optional; a bad one is 401, H-36): the event then names them */
	if (str_trim(request_header(ctx->req, "Authorization")).len && ctx_auth(ctx, AUTH_PARTY) < 0)
		return -1;
	if (ctx->caller.kind == CALLER_CONSUMER || ctx->caller.kind == CALLER_APPLICANT)
		in.person = &ctx->caller.user;
	in.locale = str_from_cstr(page_language(ctx)->lang);
	/* types here; presence and the rules in core, so both forms of the sign-up say the same */
	jr_string(&r, "email", 0, 0, 100000, &in.email);
	if (jr_bool(&r, "consent", 0, &consent) == JR_SET)
		in.consent = consent;
	if (error_failed(ctx->err))
		return -1;
	if (project_interest_signup(ctx->core, ctx->req->arena, ctx->req->client_addr,
				    route_param_int(&ctx->params, "id"), &in, &p, ctx->err) < 0)
		return -1;
	/* the same answer for a new and a repeated address: the form tells no one who signed up */
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_str(w, "email", str_trim(in.email));
	jw_kv_int(w, "project", p.id);
	jw_object_end(w);
	return 0;
}

static void query_range(struct ctx *ctx, const char *key, int64_t min, int64_t max, int64_t def, int64_t *out)
{
	struct str v = query_get(&ctx->query, key);
	*out = def;
	if (!v.ptr)
		return;
	if (str_to_int64(v, out) < 0)
		error_field(ctx->err, key, RULE_TYPE, "must be an integer");
	else if (*out < min || *out > max)
		error_field(ctx->err, key, RULE_RANGE, "must be between %lld and %lld", (long long)min, (long long)max);
}

static int get_interest(struct ctx *ctx)
{
	struct project_interest *list;
	size_t n;
	int64_t offset, amount, total;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	query_range(ctx, "offset", 0, INT32_MAX, 0, &offset);
	query_range(ctx, "amount", 1, INTEREST_AMOUNT_MAX, INTEREST_AMOUNT_DEFAULT, &amount);
	if (error_failed(ctx->err))
		return -1;
	if (project_interest_list(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				  offset, amount, &list, &n, &total, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "results");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(w);
		jw_kv_str(w, "consent_date", list[i].consent_at);
		jw_kv_str(w, "created", list[i].created_at);
		jw_kv_str(w, "email", list[i].email);
		jw_kv_int(w, "id", list[i].id);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_kv_int(w, "total", total);
	jw_object_end(w);
	return 0;
}

/* designated: the table does not depend on struct route's later members */
#define WIDGET_ROUTE(m, p, fn, fl) \
	{ .method = (m), .pattern = (p), .handler = (fn), .dialect = DIALECT_LANDLORD, .flags = (fl) }
const struct route widgets_routes[] = {
	WIDGET_ROUTE(HTTP_GET, "/widgets/overview.js", get_overview_js, 0),
	WIDGET_ROUTE(HTTP_GET, "/widgets/overview.css", get_overview_css, 0),
	WIDGET_ROUTE(HTTP_GET, "/widgets/project.css", get_project_css, 0),
	WIDGET_ROUTE(HTTP_GET, "/widgets/project", get_project_page, 0),
	WIDGET_ROUTE(HTTP_POST, "/widgets/project", post_project_page, 0),
	WIDGET_ROUTE(HTTP_GET, "/widgets/project/unsubscribe", get_unsubscribe_page, 0),
	WIDGET_ROUTE(HTTP_POST, "/widgets/project/unsubscribe", post_unsubscribe_page, 0),
	WIDGET_ROUTE(HTTP_POST, "/api/v1/projects/interest/unsubscribe", post_unsubscribe, ROUTE_JSON),
	WIDGET_ROUTE(HTTP_POST, "/api/v1/projects/{id:int}/interest", post_interest, ROUTE_JSON),
	WIDGET_ROUTE(HTTP_GET, "/api/v1/projects/{id:int}/interest", get_interest, 0),
};
const size_t widgets_routes_count = sizeof(widgets_routes) / sizeof(widgets_routes[0]);
