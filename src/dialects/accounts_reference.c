/*
 * accounts_reference.c — the accounts dialect's reference data, cities, countries and agents
 * (spotahome.md §2.3, §2.4, §2.7, §2.10; decisions.md S-13, S-18…S-23, S-26, S-40, S-50).
 *
 *   plain arrays   #13 /accommodation-providers/types (public, deprecated), #15 contract-types,
 *                  #16 cancellation-policies, #30 contact-types (legacy), #42 account-classifications
 *                  (public); #29 /landlords/accounts/contacts/types → {"types": […]} (S-20)
 *   HAL pages      #14 /landlords/accounts/types, #35 languages (public), #36 transfer-timings,
 *                  #37 other-platforms-usages, #38 commission-types, #39 consents-for-classifieds/,
 *                  #40 management-info/technologies, #41 admin-fee-types, #43 account-classifications,
 *                  #44 account-activation-stages, #45 account-cancellation-policies
 *   objects        #49 /cities/{cityId}, #50 /countries/{countryId}
 *   agents         #25 /landlords/agents/{id}, #26 /landlords/agents, #27 /agents/{id} and #28 /agents
 *                  (deprecated, no sort)
 *
 * The values come from core/accounts/reference.h (migration 0011), never from literals here. Public
 * endpoints (S-22) do not look at the Authorization header at all; the others take a landlord
 * employee's or an agent's token (accounts_auth). Deprecated and legacy endpoints answer with
 * the Deprecation header (docs/DECISIONS.md).
 */
#include <stdint.h>

#include "core/accounts/agents.h"
#include "core/accounts/reference.h"
#include "dialects/accounts.h"
#include "dialects/dialects.h"

/* ---- reference lists ---- */

enum item_kind {
	ITEM_STRING, /* {"<member>": "value"} */
	ITEM_BOOL,   /* {"<member>": true}: the list holds "true" / "false" */
	ITEM_LANGUAGE, /* {"language": label, "locale": value} */
};

/* A HAL page of one reference list (spotahome.md §1.2 relation names and item members). */
struct hal_list {
	const char *list;   /* core/accounts/reference.h list name */
	const char *path;   /* the documented path with /api, for the links */
	const char *rel;    /* _embedded relation */
	const char *member; /* the item's one member */
	enum item_kind kind;
	bool public;        /* S-22: no 401 documented */
};

/* (page − 1) × itemsPerPage without overflow (a page far past the end is simply empty). */
static int64_t page_offset(const struct hal_page *p)
{
	return p->page - 1 > INT64_MAX / p->per_page ? INT64_MAX : (p->page - 1) * p->per_page;
}

static void write_item(struct jw *w, const struct hal_list *l, const struct reference_value *v)
{
	jw_object_begin(w);
	if (l->kind == ITEM_LANGUAGE) {
		jw_kv_str(w, "language", v->label);
		jw_kv_str(w, "locale", v->value);
	} else if (l->kind == ITEM_BOOL) {
		jw_kv_bool(w, l->member, str_eq_cstr(v->value, "true"));
	} else {
		jw_kv_str(w, l->member, v->value);
	}
	jw_object_end(w);
}

static int hal_reference(struct ctx *ctx, const struct hal_list *l)
{
	struct reference_value *values;
	struct hal_page p;
	size_t n;
	int64_t off, count;
	struct jw *w;

	if (!l->public && accounts_auth(ctx) < 0)
		return -1;
	if (hal_read_page(ctx, HAL_DEFAULT_PER_PAGE, &p) < 0)
		return -1;
	if (reference_list(ctx->core, ctx->req->arena, l->list, &values, &n, ctx->err) < 0)
		return -1;
	off = page_offset(&p);
	count = off >= (int64_t)n ? 0 : (int64_t)n - off < p.per_page ? (int64_t)n - off : p.per_page;
	w = hal_begin(ctx, l->path, &p, count, (int64_t)n, l->rel);
	for (int64_t i = 0; i < count; i++)
		write_item(w, l, &values[off + i]);
	hal_end(w);
	return 0;
}

#define HAL_LIST(fn, list, path, rel, member, kind, public)                                  \
	static int fn(struct ctx *ctx)                                                       \
	{                                                                                    \
		static const struct hal_list l = { list, path, rel, member, kind, public };  \
		return hal_reference(ctx, &l);                                               \
	}

HAL_LIST(get_account_types, "account_types", "/api/landlords/accounts/types", "sah:landlords:accounts:types", "type",
	 ITEM_STRING, false)
HAL_LIST(get_languages, "languages", "/api/landlords/languages", "sah:landlords:languages", "locale", ITEM_LANGUAGE,
	 true)
HAL_LIST(get_transfer_timings, "transfer_timings", "/api/landlords/transfer-timings",
	 "sah:landlords:transfer-timings", "type", ITEM_STRING, false)
HAL_LIST(get_other_platforms_usages, "other_platforms_usages", "/api/landlords/other-platforms-usages",
	 "sah:landlords:other-platforms-usages", "platform", ITEM_STRING, false)
HAL_LIST(get_commission_types, "commission_types", "/api/landlords/commission-types",
	 "sah:landlords:commission-types", "type", ITEM_STRING, false)
HAL_LIST(get_consents_for_classifieds, "consents_for_classifieds", "/api/landlords/consents-for-classifieds/",
	 "sah:landlords:consents-for-classifieds", "consent", ITEM_BOOL, false)
HAL_LIST(get_technologies, "technologies", "/api/landlords/management-info/technologies",
	 "sah:landlords:technologies", "type", ITEM_STRING, false)
HAL_LIST(get_admin_fee_types, "admin_fee_types", "/api/landlords/admin-fee-types", "sah:landlords:admin-fee-types",
	 "type", ITEM_STRING, false)
HAL_LIST(get_account_classifications, "account_classifications", "/api/landlords/account-classifications",
	 "sah:landlords:account-classifications", "type", ITEM_STRING, false)
HAL_LIST(get_activation_stages, "activation_stages", "/api/landlords/account-activation-stages",
	 "sah:landlords:account-activation-stages", "stage", ITEM_STRING, false)
HAL_LIST(get_account_cancellation_policies, "cancellation_policies", "/api/landlords/account-cancellation-policies",
	 "sah:landlords:account-cancellation-policies", "policy", ITEM_STRING, false)

/* A plain JSON array of a list's values (§2.3), or {"<wrap>": […]} when wrap is set (S-20). */
static int plain_reference(struct ctx *ctx, const char *list, const char *wrap, bool public, bool deprecated)
{
	struct reference_value *values;
	size_t n;
	struct jw *w;

	if (deprecated)
		accounts_deprecated(ctx);
	if (!public && accounts_auth(ctx) < 0)
		return -1;
	if (reference_list(ctx->core, ctx->req->arena, list, &values, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	if (wrap) {
		jw_object_begin(w);
		jw_key(w, wrap);
	}
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_string(w, values[i].value);
	jw_array_end(w);
	if (wrap)
		jw_object_end(w);
	return 0;
}

static int get_provider_types(struct ctx *ctx)
{
	return plain_reference(ctx, "account_types", NULL, true, true);
}

static int get_contract_types(struct ctx *ctx)
{
	return plain_reference(ctx, "contract_types", NULL, false, false);
}

static int get_cancellation_policies(struct ctx *ctx)
{
	return plain_reference(ctx, "cancellation_policies", NULL, false, false);
}

static int get_contact_types(struct ctx *ctx)
{
	return plain_reference(ctx, "contact_types", "types", false, false);
}

static int get_legacy_contact_types(struct ctx *ctx)
{
	return plain_reference(ctx, "contact_types", NULL, false, true);
}

static int get_provider_classifications(struct ctx *ctx)
{
	return plain_reference(ctx, "account_classifications", NULL, true, false);
}

/* ---- cities and countries ---- */

static int get_city(struct ctx *ctx)
{
	struct city c;
	struct jw *w;

	if (accounts_auth(ctx) < 0)
		return -1;
	/* S-23: an unknown city is 404, although #49 documents none */
	if (reference_city(ctx->core, ctx->req->arena, route_param(&ctx->params, "cityId"), &c, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "id", c.id);
	jw_kv_str(w, "longName", c.long_name);
	jw_kv_str(w, "countryId", c.country_id);
	jw_kv_str(w, "defaultAccountCommissionType", c.default_commission_type);
	jw_kv_int(w, "defaultAccountCommissionValue", c.default_commission_value);
	jw_object_end(w);
	return 0;
}

/* {"name", "email"}, or nothing when the country has none (the member is optional, §3.5). */
static void write_mailbox(struct jw *w, const char *key, struct str name, struct str email)
{
	if (!email.ptr || !email.len)
		return;
	jw_key(w, key);
	jw_object_begin(w);
	jw_kv_str(w, "name", name);
	jw_kv_str(w, "email", email);
	jw_object_end(w);
}

static int get_country(struct ctx *ctx)
{
	struct country c;
	struct jw *w;

	if (accounts_auth(ctx) < 0)
		return -1;
	if (reference_country(ctx->core, ctx->req->arena, route_param(&ctx->params, "countryId"), &c, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_str(w, "id", c.id);
	jw_kv_str(w, "shortName", c.short_name);
	jw_kv_str(w, "longName", c.long_name);
	jw_kv_str(w, "longNameNative", c.long_name_native);
	jw_kv_str(w, "iso3166", c.iso3166);
	jw_kv_str(w, "slug", c.slug);
	jw_kv_double(w, "vat", c.vat);
	jw_kv_str(w, "zipcodeRegex", c.zipcode_regex);
	jw_kv_str(w, "iso", c.iso);
	jw_kv_int(w, "currencyId", c.currency_id);
	write_mailbox(w, "classifiedsEmail", c.classifieds_email_name, c.classifieds_email);
	write_mailbox(w, "bookingsEmail", c.bookings_email_name, c.bookings_email);
	jw_kv_str(w, "locale", c.locale);
	jw_kv_bool(w, "visible", c.visible);
	jw_kv_str(w, "bookingsPhone", c.bookings_phone);
	jw_object_end(w);
	return 0;
}

/* ---- agents ---- */

/* Agent (spotahome.md §3.4): fullName joins first and last name as org_agent_create split them. */
static void write_agent(struct ctx *ctx, struct jw *w, const struct user *u)
{
	jw_object_begin(w);
	jw_kv_str(w, "id", u->uuid);
	jw_kv_cstr(w, "fullName", arena_printf(ctx->req->arena, "%.*s%s%.*s", STR_FMT(u->first_name),
						u->first_name.len && u->last_name.len ? " " : "",
						STR_FMT(u->last_name)));
	jw_kv_str(w, "email", u->email);
	jw_kv_bool(w, "enabled", u->joined);
	jw_object_end(w);
}

/*
 * Landlord employees may read agents as well as agents do (their account manager is one);
 * the agents endpoints document no 403 (docs/DECISIONS.md, S-40).
 */
static int agent_one(struct ctx *ctx, bool deprecated)
{
	struct user u;

	if (deprecated)
		accounts_deprecated(ctx);
	if (accounts_auth(ctx) < 0)
		return -1;
	if (agents_get(ctx->core, ctx->req->arena, route_param(&ctx->params, "id"), &u, ctx->err) < 0)
		return -1;
	write_agent(ctx, ctx_json(ctx, 200), &u);
	return 0;
}

static int get_agent(struct ctx *ctx)
{
	return agent_one(ctx, false);
}

static int get_agent_deprecated(struct ctx *ctx)
{
	return agent_one(ctx, true);
}

/* enabled: true/false (1/0); absent or empty: any. */
static int query_enabled(struct ctx *ctx, int *out)
{
	struct str s = str_trim(query_get(&ctx->query, "enabled"));

	*out = -1;
	if (!s.len)
		return 0;
	if (str_eq_cstr(s, "true") || str_eq_cstr(s, "1"))
		*out = 1;
	else if (str_eq_cstr(s, "false") || str_eq_cstr(s, "0"))
		*out = 0;
	else
		return error_field(ctx->err, "enabled", RULE_TYPE, "must be true or false");
	return 0;
}

static int agent_list(struct ctx *ctx, const char *path, const char *rel, bool sortable)
{
	struct agent_query q;
	struct hal_page p;
	struct user *agents;
	size_t n;
	int64_t total;
	struct jw *w;

	if (!sortable)
		accounts_deprecated(ctx);
	if (accounts_auth(ctx) < 0)
		return -1;
	memset(&q, 0, sizeof(q));
	hal_read_page(ctx, HAL_DEFAULT_PER_PAGE, &p);
	query_enabled(ctx, &q.enabled);
	if (error_failed(ctx->err))
		return -1;
	accounts_query_array(ctx, "ids", &q.ids, &q.n_ids);
	q.email = str_trim(query_get(&ctx->query, "email"));
	if (!q.email.len)
		q.email = STR_NULL;
	q.sort = sortable ? query_get(&ctx->query, "sort") : STR_NULL; /* #28 has no sort */
	q.offset = page_offset(&p);
	q.limit = p.per_page;
	if (agents_list(ctx->core, ctx->req->arena, &q, &agents, &n, &total, ctx->err) < 0)
		return -1;
	w = hal_begin(ctx, path, &p, (int64_t)n, total, rel);
	for (size_t i = 0; i < n; i++)
		write_agent(ctx, w, &agents[i]);
	hal_end(w);
	return 0;
}

static int get_agents(struct ctx *ctx)
{
	return agent_list(ctx, "/api/landlords/agents", "sah:landlords:agents", true);
}

static int get_agents_deprecated(struct ctx *ctx)
{
	return agent_list(ctx, "/api/agents", "sah:agents", false);
}

#define REF_ROUTE(p, fn, fl) { .method = HTTP_GET, .pattern = (p), .handler = (fn), .dialect = DIALECT_ACCOUNTS, .flags = (fl) }
const struct route accounts_reference_routes[] = {
	REF_ROUTE("/api/accommodation-providers/types", get_provider_types, 0),
	REF_ROUTE("/api/landlords/accounts/types", get_account_types, ROUTE_INVALID_400),
	REF_ROUTE("/api/accommodation-providers/contract-types", get_contract_types, 0),
	REF_ROUTE("/api/accommodation-providers/cancellation-policies", get_cancellation_policies, 0),
	REF_ROUTE("/api/landlords/agents/{id}", get_agent, 0),
	REF_ROUTE("/api/landlords/agents", get_agents, ROUTE_INVALID_400),
	REF_ROUTE("/api/agents/{id}", get_agent_deprecated, 0),
	REF_ROUTE("/api/agents", get_agents_deprecated, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/accounts/contacts/types", get_contact_types, 0),
	REF_ROUTE("/api/accommodation-providers/contact-types", get_legacy_contact_types, 0),
	REF_ROUTE("/api/landlords/languages", get_languages, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/transfer-timings", get_transfer_timings, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/other-platforms-usages", get_other_platforms_usages, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/commission-types", get_commission_types, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/consents-for-classifieds/", get_consents_for_classifieds, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/management-info/technologies", get_technologies, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/admin-fee-types", get_admin_fee_types, ROUTE_INVALID_400),
	REF_ROUTE("/api/accommodation-providers/account-classifications", get_provider_classifications, 0),
	REF_ROUTE("/api/landlords/account-classifications", get_account_classifications, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/account-activation-stages", get_activation_stages, ROUTE_INVALID_400),
	REF_ROUTE("/api/landlords/account-cancellation-policies", get_account_cancellation_policies, ROUTE_INVALID_400),
	REF_ROUTE("/api/cities/{cityId}", get_city, 0),
	REF_ROUTE("/api/countries/{countryId}", get_country, 0),
};
const size_t accounts_reference_routes_count = sizeof(accounts_reference_routes) / sizeof(accounts_reference_routes[0]);
