/* Agreements as their parties read them (agreements.h). */
#include "core/contracts/agreements.h"

#include <string.h>

#include "core/contracts/contracts.h"
#include "core/market/applicants.h"

/*
 * The caller's part of the filter; ERROR_FORBIDDEN for a caller who has no agreements, and
 * ERROR_UNAUTHORIZED for an applicant token from before a sign-out (applicant_load()).
 */
static int scope(struct core *c, struct arena *a, const struct caller *who, struct agreement_filter *f,
		 struct error *err)
{
	struct applicant ap;

	switch (who->kind) {
	case CALLER_EMPLOYEE:
		f->company_id = who->user.company_id;
		f->office_path = who->user.root_office_path;
		return 0;
	case CALLER_APPLICANT:
		if (applicant_load(c, a, who, &ap, err) < 0)
			return -1;
		f->user_id = who->user.id;
		return 0;
	case CALLER_CONSUMER:
		f->user_id = who->user.id;
		return 0;
	default:
		return error_set(err, ERROR_FORBIDDEN, "PermissionDenied",
				 "Agreements are read with an employee or a consumer token.");
	}
}

static bool sees(const struct caller *who, const struct agreement_info *g)
{
	if (who->kind == CALLER_EMPLOYEE)
		return g->company_id == who->user.company_id && caller_sees_path(who, g->office_path);
	return (who->kind == CALLER_CONSUMER || who->kind == CALLER_APPLICANT) && g->user_id == who->user.id;
}

int agreements_list(struct core *c, struct arena *a, const struct caller *who, const struct agreements_query *q,
		    struct agreements_page *out, struct error *err)
{
	struct agreement_filter f = { 0 };
	int64_t page = q->page < 1 ? 1 : q->page;
	int rc;

	memset(out, 0, sizeof(*out));
	if (scope(c, a, who, &f, err) < 0)
		return -1;
	f.apartment_id = q->apartment_id;
	f.listing_id = q->listing_id;
	f.has_signed_after = q->has_signed_after;
	f.signed_after = q->signed_after;
	if (store_read_begin(c->store, err) < 0)
		return -1;
	rc = store_agreements_list(c->store, a, &f, (page - 1) * AGREEMENTS_PAGE_SIZE, AGREEMENTS_PAGE_SIZE,
				   &out->items, &out->n, &out->total, err);
	store_read_end(c->store);
	return rc;
}

int agreements_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct agreement_info *out,
		   struct error *err)
{
	struct agreement_filter f = { 0 };

	if (scope(c, a, who, &f, err) < 0)
		return -1;
	if (store_agreement_get(c->store, a, id, out, err) < 0)
		return -1;
	if (!sees(who, out))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such agreement");
	return 0;
}

int agreements_contract_file(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct str *pdf,
			     bool *sealed, struct error *err)
{
	struct agreement_info g;

	if (agreements_get(c, a, who, id, &g, err) < 0)
		return -1;
	return contract_file(c, a, g.contract_uuid, pdf, sealed, err);
}
