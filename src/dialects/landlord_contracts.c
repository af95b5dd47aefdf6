/*
 * landlord_contracts.c — the digital contract (homeq.md §8; docs/API.md "Digital contract"):
 *
 *   GET /api/v1/digital_contract/verify/?uuid=   public, as HomeQ lists it (no Authorization)
 *   GET /api/v1/digital_contract/public_key/     public: the key that seals contracts (ours)
 *
 * verify answers {"is_valid", "signatories": [{first_name, last_name, signed_at, ssn}]} as
 * HomeQ's, with our members reason (why, in a sentence) and, per signatory, signatory_type
 * (homeq.md §13's LANDLORD/TENANT/WARRANTOR). The signatories are those who have signed, as
 * recorded, in the document's order; ssn is null for one without a personal number. A
 * missing or malformed uuid is 412 ValidationError naming uuid; an unknown one 404. The
 * uuid is the capability: random (122 bits), printed only in the lease itself, whose
 * holder reads the same names and personal numbers on its first page (docs/DECISIONS.md
 * "Digital contract").
 */
#include "core/contracts/contracts.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

static int get_verify(struct ctx *ctx)
{
	struct contract_verification v;
	struct str uuid = query_get(&ctx->query, "uuid");
	struct jw *w;
	char when[32];

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0)
		return -1;
	if (!uuid.ptr || uuid.len == 0)
		return error_field(ctx->err, "uuid", RULE_REQUIRED, "this query parameter is required");
	if (uuid.len == CONTRACT_UUID_LEN) { /* uuids compare without case: the stored one is lower case */
		char *lower = arena_strdup_str(ctx->req->arena, uuid);
		for (size_t i = 0; i < uuid.len; i++)
			if (lower[i] >= 'A' && lower[i] <= 'F')
				lower[i] = (char)(lower[i] - 'A' + 'a');
		uuid = (struct str){ lower, uuid.len };
	}
	if (contract_verify(ctx->core, ctx->req->arena, uuid, &v, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_bool(w, "is_valid", v.is_valid);
	jw_kv_cstr(w, "reason", v.reason);
	jw_key(w, "signatories");
	jw_array_begin(w);
	for (size_t i = 0; i < v.nsignatories; i++) {
		const struct contract_signer *s = &v.signatories[i];
		jw_object_begin(w);
		jw_kv_str(w, "first_name", s->first_name);
		jw_kv_str(w, "last_name", s->last_name);
		contract_time(s->signed_at, when);
		jw_kv_cstr(w, "signed_at", when);
		jw_kv_cstr(w, "signatory_type", contract_party_type_name(s->type));
		if (s->ssn.len)
			jw_kv_str(w, "ssn", s->ssn);
		else
			jw_kv_null(w, "ssn");
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int get_public_key(struct ctx *ctx)
{
	struct jw *w;

	if (ctx_auth(ctx, AUTH_OPTIONAL) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_cstr(w, "algorithm", "Ed25519");
	jw_kv_cstr(w, "format", CONTRACT_SEAL_MAGIC);
	jw_kv_cstr(w, "public_key", ctx->core->contract_key.pk_hex);
	jw_object_end(w);
	return 0;
}

const struct route landlord_contracts_routes[] = {
	{ HTTP_GET, "/api/v1/digital_contract/verify", get_verify, DIALECT_LANDLORD, 0 },
	{ HTTP_GET, "/api/v1/digital_contract/public_key", get_public_key, DIALECT_LANDLORD, 0 },
};
const size_t landlord_contracts_routes_count = sizeof(landlord_contracts_routes) / sizeof(landlord_contracts_routes[0]);
