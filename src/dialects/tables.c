/* The route tables the server registers (wiring/server.c): add a dialect area's table here. */
#include "dialects/dialects.h"

const struct route_table dialect_tables[] = {
	{ system_routes, &system_routes_count },
	{ landlord_auth_routes, &landlord_auth_routes_count },
	{ landlord_org_routes, &landlord_org_routes_count },
	{ landlord_inventory_routes, &landlord_inventory_routes_count },
	{ landlord_geo_routes, &landlord_geo_routes_count },
	{ landlord_media_routes, &landlord_media_routes_count },
	{ landlord_inventory_search_routes, &landlord_inventory_search_routes_count },
	{ landlord_requirements_routes, &landlord_requirements_routes_count },
	{ landlord_projects_routes, &landlord_projects_routes_count },
	{ landlord_listings_routes, &landlord_listings_routes_count },
	{ landlord_applications_routes, &landlord_applications_routes_count },
	{ landlord_cards_routes, &landlord_cards_routes_count },
	{ landlord_contracts_routes, &landlord_contracts_routes_count },
	{ landlord_agreements_routes, &landlord_agreements_routes_count },
	{ landlord_reservations_routes, &landlord_reservations_routes_count },
	{ landlord_insights_routes, &landlord_insights_routes_count },
	{ landlord_webhooks_routes, &landlord_webhooks_routes_count },
	{ widgets_routes, &widgets_routes_count },
	{ openapi_routes, &openapi_routes_count },
	{ accounts_routes, &accounts_routes_count },
	{ accounts_contacts_routes, &accounts_contacts_routes_count },
	{ accounts_reference_routes, &accounts_reference_routes_count },
	{ accounts_changes_routes, &accounts_changes_routes_count },
	{ market_routes, &market_routes_count },
	{ market_applicants_routes, &market_applicants_routes_count },
	{ market_applications_routes, &market_applications_routes_count },
	{ market_objects_routes, &market_objects_routes_count },
	{ market_agreements_routes, &market_agreements_routes_count },
};
const size_t dialect_tables_count = sizeof(dialect_tables) / sizeof(dialect_tables[0]);
