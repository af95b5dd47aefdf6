/*
 * accounts.h — what every handler of the accounts dialect (Spotahome Landlords API,
 * spotahome.md) shares: authentication and account access, the acting person, HAL
 * pages, array query parameters and the deprecation marker.
 *
 * Files: accounts.c (accounts and their settings), accounts_contacts.c (contacts,
 * current and deprecated paths), accounts_reference.c (reference lists, cities,
 * countries, agents), accounts_changes.c (the changelog, obfuscation, invitations),
 * accounts_common.c (this header).
 */
#ifndef RENTD_DIALECTS_ACCOUNTS_H
#define RENTD_DIALECTS_ACCOUNTS_H

#include "app/app.h"
#include "core/events.h"

/* Default and largest itemsPerPage (S-18). */
#define HAL_DEFAULT_PER_PAGE 20
#define HAL_MAX_PER_PAGE 100

struct hal_page {
	int64_t page;     /* 1-based */
	int64_t per_page;
};

/*
 * page and itemsPerPage from the query: absent → 1 and default_per_page; itemsPerPage
 * above HAL_MAX_PER_PAGE is clamped; a non-number or a value below 1 is a 400 naming
 * the parameter.
 */
int hal_read_page(struct ctx *ctx, int64_t default_per_page, struct hal_page *out);

/*
 * The caller's filters, re-encoded for the HAL links (everything but page and
 * itemsPerPage, in request order; array parameters written as name[]=value, S-19).
 */
struct str hal_filters(struct ctx *ctx);

/*
 * Starts a 200 HAL page (spotahome.md §1.2, S-18): count, total, _links (self, first,
 * last always; next/previous when they exist; hrefs = path?filters&page=N&itemsPerPage=M),
 * then opens "_embedded": {rel: [ — the caller writes the items, then hal_end().
 * path is the documented path with /api ("/api/landlords/accounts").
 */
struct jw *hal_begin(struct ctx *ctx, const char *path, const struct hal_page *p, int64_t count, int64_t total,
		     const char *rel);
void hal_end(struct jw *w);

/*
 * Every value of an array parameter in all its forms (S-19): name[]=a, repeated name=a,
 * comma-separated name=a,b and name[0]=a. Empty values are skipped.
 */
void accounts_query_array(struct ctx *ctx, const char *name, struct str **out, size_t *n);

/* Landlord employee or agent token, bare or Bearer (S-41); sets ctx->caller. */
int accounts_auth(struct ctx *ctx);
static inline bool accounts_is_agent(const struct ctx *ctx)
{
	return ctx->caller.kind == CALLER_AGENT;
}

/*
 * The company behind an account id (a company UUID) that the caller may act on (S-40):
 * agents any, a landlord employee only its own company. Unknown id → 404; another
 * account → 403 when the endpoint documents 403 (forbidden_documented), else 404.
 * The decision is core's (accounts_resolve); this only hands it the request's caller.
 */
int accounts_company_for(struct ctx *ctx, struct str account_id, bool forbidden_documented, int64_t *company_id);

/* The acting person (S-42): token user, Requester header (quotes stripped) as e-mail. */
void accounts_actor(struct ctx *ctx, struct event_actor *out);

/* Marks a deprecated endpoint's response (Deprecation: true; see docs/DECISIONS.md). */
void accounts_deprecated(struct ctx *ctx);

#endif
