/*
 * The route tables and the OpenAPI documents agree (issue 19; docs/ARCHITECTURE.md "The API
 * reference"): every route of dialect_tables (src/dialects/tables.c) is an operation of its
 * dialect's embedded document (landlord, market, accounts: docs/openapi/), and every operation of
 * a document is a route of that dialect — method and path, the route's "{x:int}" written "{x}".
 * Each mismatch is printed.
 *
 * The comparison itself is tested on made-up tables and documents, so it is known to find what
 * it must.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "dialects/assets.h"
#include "dialects/dialects.h"

static const char *const document_files[] = {
	[DIALECT_LANDLORD] = "landlord.json",
	[DIALECT_MARKET] = "market.json",
	[DIALECT_ACCOUNTS] = "accounts.json",
};

static const char *const methods[] = { "get", "put", "post", "patch", "delete", "head", "options", "trace" };

/* The route's pattern as an OpenAPI path: "{id:int}" → "{id}". */
static void openapi_path(const char *pattern, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = pattern; *p && n + 1 < cap; p++) {
		if (*p == ':') {
			while (*p && *p != '}')
				p++;
			if (!*p)
				break;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
}

static void lower(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; *s && n + 1 < cap; s++)
		out[n++] = (char)((*s >= 'A' && *s <= 'Z') ? *s - 'A' + 'a' : *s);
	out[n] = '\0';
}

/*
 * Compares the routes of dialect d in tables with the operations of doc; prints each mismatch
 * under the label and returns how many there were.
 */
static int compare(const struct route_table *tables, size_t ntables, enum dialect d, json_t *doc,
		   const char *label)
{
	json_t *paths = json_object_get(doc, "paths"), *seen = json_object();
	int mismatches = 0;

	if (!json_is_object(paths)) {
		printf("%s: no \"paths\" object\n", label);
		json_decref(seen);
		return 1;
	}
	for (size_t t = 0; t < ntables; t++) {
		for (size_t i = 0; i < *tables[t].count; i++) {
			const struct route *r = &tables[t].routes[i];
			char path[512], method[16], key[600];
			json_t *item;

			if (r->dialect != d)
				continue;
			openapi_path(r->pattern, path, sizeof(path));
			lower(http_method_name(r->method), method, sizeof(method));
			snprintf(key, sizeof(key), "%s %s", method, path);
			json_object_set_new(seen, key, json_true());
			item = json_object_get(paths, path);
			if (!json_is_object(json_object_get(item, method))) {
				printf("%s: the route %s %s (%s) is not an operation of the document\n", label,
				       http_method_name(r->method), path, r->pattern);
				mismatches++;
			}
		}
	}
	{
		const char *path;
		json_t *item;
		json_object_foreach(paths, path, item) {
			for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
				char key[600];
				if (!json_object_get(item, methods[m]))
					continue;
				snprintf(key, sizeof(key), "%s %s", methods[m], path);
				if (!json_object_get(seen, key)) {
					printf("%s: the operation %s %s is not a route of its dialect\n", label, methods[m], path);
					mismatches++;
				}
			}
		}
	}
	json_decref(seen);
	return mismatches;
}

static json_t *embedded_document(enum dialect d)
{
	const struct embedded_asset *a = asset_find(doc_assets, doc_assets_count, document_files[d]);
	json_error_t e;
	json_t *doc;

	cr_assert_not_null(a, "docs/openapi/%s is not embedded", document_files[d]);
	doc = json_loadb(a->data, a->len, 0, &e);
	cr_assert_not_null(doc, "docs/openapi/%s: line %d: %s", document_files[d], e.line, e.text);
	return doc;
}

static void check_dialect(enum dialect d)
{
	json_t *doc = embedded_document(d);
	char label[64];
	int mismatches;

	snprintf(label, sizeof(label), "docs/openapi/%s", document_files[d]);
	mismatches = compare(dialect_tables, dialect_tables_count, d, doc, label);
	fflush(stdout);
	json_decref(doc);
	cr_assert_eq(mismatches, 0, "%s and the route tables differ in %d operation(s) (printed above)", label,
		     mismatches);
}

Test(openapi_routes, landlord_document_lists_the_landlord_routes)
{
	check_dialect(DIALECT_LANDLORD);
}

Test(openapi_routes, market_document_lists_the_market_routes)
{
	check_dialect(DIALECT_MARKET);
}

Test(openapi_routes, accounts_document_lists_the_accounts_routes)
{
	check_dialect(DIALECT_ACCOUNTS);
}

/* Every document: OpenAPI 3.1, a title, operationIds present and unique in it. */
Test(openapi_routes, documents_have_unique_operation_ids)
{
	for (int d = 0; d < 3; d++) {
		enum dialect dl = d == 0 ? DIALECT_LANDLORD : d == 1 ? DIALECT_MARKET : DIALECT_ACCOUNTS;
		json_t *doc = embedded_document(dl), *ids = json_object(), *item;
		const char *path;

		cr_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.1.0", "%s", document_files[dl]);
		cr_assert_not_null(json_string_value(json_object_get(json_object_get(doc, "info"), "title")));
		json_object_foreach(json_object_get(doc, "paths"), path, item) {
			for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
				json_t *op = json_object_get(item, methods[m]);
				const char *id = json_string_value(json_object_get(op, "operationId"));
				if (!op)
					continue;
				cr_expect_not_null(id, "%s: %s %s has no operationId", document_files[dl], methods[m], path);
				if (!id)
					continue;
				cr_expect_null(json_object_get(ids, id), "%s: operationId %s is used twice", document_files[dl], id);
				json_object_set_new(ids, id, json_true());
			}
		}
		json_decref(ids);
		json_decref(doc);
	}
}

/* ---- the comparison on made-up tables ---- */

static int handler(struct ctx *ctx)
{
	(void)ctx;
	return 0;
}

static const struct route fake_routes[] = {
	{ HTTP_GET, "/v2/things", handler, DIALECT_MARKET, 0 },
	{ HTTP_GET, "/v2/things/{id:int}", handler, DIALECT_MARKET, 0 },
	{ HTTP_PATCH, "/v2/things/{id:int}", handler, DIALECT_MARKET, 0 },
	{ HTTP_PUT, "/v2/things/{id:int}", handler, DIALECT_MARKET, 0 },
	{ HTTP_GET, "/api/other", handler, DIALECT_LANDLORD, 0 }, /* another dialect's: not compared */
};
static const size_t fake_count = sizeof(fake_routes) / sizeof(fake_routes[0]);
static const struct route_table fake_tables[] = { { fake_routes, &fake_count } };

static int compare_text(const char *text)
{
	json_error_t e;
	json_t *doc = json_loads(text, 0, &e);
	int n;
	cr_assert_not_null(doc, "%s", e.text);
	n = compare(fake_tables, 1, DIALECT_MARKET, doc, "made-up table (a mismatch expected)");
	json_decref(doc);
	return n;
}

Test(openapi_routes, comparison_accepts_a_matching_document)
{
	cr_assert_eq(compare_text("{\"paths\": {\"/v2/things\": {\"get\": {}},"
				  " \"/v2/things/{id}\": {\"get\": {}, \"patch\": {}, \"put\": {}, \"parameters\": []}}}"),
		     0);
}

Test(openapi_routes, comparison_finds_a_route_without_operation)
{
	/* PUT missing: a handler registered for two methods is two operations */
	cr_assert_eq(compare_text("{\"paths\": {\"/v2/things\": {\"get\": {}},"
				  " \"/v2/things/{id}\": {\"get\": {}, \"patch\": {}}}}"),
		     1);
}

Test(openapi_routes, comparison_finds_an_operation_without_route)
{
	cr_assert_eq(compare_text("{\"paths\": {\"/v2/things\": {\"get\": {}, \"post\": {}},"
				  " \"/v2/things/{id}\": {\"get\": {}, \"patch\": {}, \"put\": {}},"
				  " \"/api/other\": {\"get\": {}}}}"),
		     2);
}

Test(openapi_routes, comparison_wants_the_int_marker_gone)
{
	/* "{id:int}" in the document is not the route's path; both directions count */
	cr_assert_eq(compare_text("{\"paths\": {\"/v2/things\": {\"get\": {}},"
				  " \"/v2/things/{id:int}\": {\"get\": {}, \"patch\": {}, \"put\": {}}}}"),
		     6);
}

Test(openapi_routes, comparison_needs_paths)
{
	cr_assert_eq(compare_text("{\"openapi\": \"3.1.0\"}"), 1);
}

Test(openapi_routes, int_marker_is_removed)
{
	char out[128];
	openapi_path("/v2/market/objects/{id}/images/{imageId:int}", out, sizeof(out));
	cr_assert_str_eq(out, "/v2/market/objects/{id}/images/{imageId}");
	openapi_path("/api/v1/{a:int}/{b:int}", out, sizeof(out));
	cr_assert_str_eq(out, "/api/v1/{a}/{b}");
}
