/*
 * dialects.h — the three wire dialects: their route tables and error shapes.
 *
 * Each dialect file holds the handlers of one API family and a route table;
 * the server's assembly (wiring/server.c) hands dialect_tables and
 * dialect_render_error() to app_create(). Handlers parse the dialect's JSON, call core/, render
 * the dialect's JSON; no SQL and no rule another dialect would need too.
 */
#ifndef RENTD_DIALECTS_H
#define RENTD_DIALECTS_H

#include "app/app.h"

/* /healthz and /readyz (dialects/system.c) */
extern const struct route system_routes[];
extern const size_t system_routes_count;
/* GET and POST /test-clock when cfg->test_clock (--test-clock), logged loudly; -1 on a route conflict. */
int system_add_test_clock(struct app *app, const struct config *cfg);

/* Landlord dialect, one table per area */
extern const struct route landlord_auth_routes[];
extern const size_t landlord_auth_routes_count;
extern const struct route landlord_org_routes[];
extern const size_t landlord_org_routes_count;
extern const struct route landlord_inventory_routes[];
extern const size_t landlord_inventory_routes_count;
extern const struct route landlord_geo_routes[]; extern const size_t landlord_geo_routes_count;
extern const struct route landlord_media_routes[]; extern const size_t landlord_media_routes_count;
extern const struct route landlord_inventory_search_routes[]; extern const size_t landlord_inventory_search_routes_count;

extern const struct route landlord_requirements_routes[]; extern const size_t landlord_requirements_routes_count;
extern const struct route landlord_projects_routes[]; extern const size_t landlord_projects_routes_count;
extern const struct route landlord_listings_routes[]; extern const size_t landlord_listings_routes_count;
extern const struct route landlord_applications_routes[]; extern const size_t landlord_applications_routes_count;
extern const struct route landlord_cards_routes[]; extern const size_t landlord_cards_routes_count;
extern const struct route landlord_contracts_routes[]; extern const size_t landlord_contracts_routes_count;
extern const struct route landlord_agreements_routes[]; extern const size_t landlord_agreements_routes_count;
extern const struct route landlord_reservations_routes[]; extern const size_t landlord_reservations_routes_count;
extern const struct route landlord_insights_routes[]; extern const size_t landlord_insights_routes_count;
extern const struct route landlord_webhooks_routes[]; extern const size_t landlord_webhooks_routes_count;
/* The embeddable widget: scripts, styles and the project interest page (dialects/widgets.c) */
extern const struct route widgets_routes[]; extern const size_t widgets_routes_count;
/* The API reference: the OpenAPI documents and the page showing them (dialects/openapi.c) */
extern const struct route openapi_routes[]; extern const size_t openapi_routes_count;

/* Accounts dialect (Spotahome Landlords API), dialects/accounts*.c */
extern const struct route accounts_routes[]; extern const size_t accounts_routes_count;
extern const struct route accounts_contacts_routes[]; extern const size_t accounts_contacts_routes_count;
extern const struct route accounts_reference_routes[]; extern const size_t accounts_reference_routes_count;
extern const struct route accounts_changes_routes[]; extern const size_t accounts_changes_routes_count;

/* Market dialect (Momentum v2), dialects/market*.c: /assets/app-settings.json, applicants, objects */
extern const struct route market_routes[]; extern const size_t market_routes_count;
extern const struct route market_applicants_routes[]; extern const size_t market_applicants_routes_count;
extern const struct route market_applications_routes[]; extern const size_t market_applications_routes_count;
extern const struct route market_objects_routes[]; extern const size_t market_objects_routes_count;
/* rentd's extensions for the portal: agreements, their contracts, the logo (market_agreements.c) */
extern const struct route market_agreements_routes[]; extern const size_t market_agreements_routes_count;

/* Every table the server registers (struct route_table: app/app.h). */
extern const struct route_table dialect_tables[];
extern const size_t dialect_tables_count;

/*
 * Renders err as resp in the dialect's error shape (dialects/errors.c):
 *   landlord  {"correlation_id","description","error"[,"fields":{path:[reason…]}]}
 *             (decisions.md H-03; 412 ValidationError for schema violations)
 *   market    {"code","message"[,"field"]} (M-28)
 *   accounts  RFC 7807 problem {"detail","status","title","type"[,"validationMessages"]}
 *             (spotahome.md §1.3, S-38)
 */
void dialect_render_error(enum dialect d, const struct request *req, struct response *resp,
			  const struct error *err);

/* The HTTP status a dialect gives an error kind. */
int dialect_status(enum dialect d, enum error_kind kind);

#endif
