/*
 * landlord_requirements.c — HomeQ requirement profiles (homeq.md §11e, §12.4).
 *
 *   GET|POST /api/v1/requirements/          GET|PATCH|DELETE /api/v1/requirements/{id}/
 *
 * PUT is accepted wherever PATCH is, with the same partial semantics (G-02); unknown
 * and read-only members are ignored (G-03), and so is parent_requirements_id on
 * update (H-29). Numbers may arrive as numeric strings (G-04). The seed gives only
 * lower bounds; the upper ones keep values meaningful (docs/DECISIONS.md).
 */
#include "core/inventory/requirements.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

#define REQ_NAME_MAX 256

/* Upper bounds of the integers and factors, in enum order; the lower ones are 0. */
static const int64_t number_max[REQ_NUMBER_COUNT] = { 100, 100, 1000, 150, 150 };
static const double factor_max[REQ_FACTOR_COUNT] = { 100, 100, 100 };

static const char *const calculation_types[] = { "RENT_FACTOR", "MONEY_AFTER_RENT", NULL };

/* RequirementProfile writable members (§11e): create and update differ only in name and parent. */
static int read_input(struct ctx *ctx, bool create, struct requirement_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	int type;

	memset(in, 0, sizeof(*in));
	in->has_name = jr_string(&r, "name", create ? JR_REQUIRED : 0, 1, REQ_NAME_MAX, &in->f.name) == JR_SET;
	if (create)
		jr_int(&r, "parent_requirements_id", JR_NULLABLE, 1, INT64_MAX, &in->parent_id);
	for (int i = 0; i < REQ_FLAG_COUNT; i++)
		in->has_flag[i] = jr_bool(&r, requirement_flag_names[i], 0, &in->f.flag[i]) == JR_SET;
	for (int i = 0; i < REQ_NUMBER_COUNT; i++)
		in->has_number[i] = jr_int(&r, requirement_number_names[i], 0, 0, number_max[i], &in->f.number[i]) ==
				    JR_SET;
	for (int i = 0; i < REQ_FACTOR_COUNT; i++)
		in->has_factor[i] = jr_double(&r, requirement_factor_names[i], 0, 0, factor_max[i], &in->f.factor[i]) ==
				    JR_SET;
	if (jr_enum(&r, "rent_calculation_type", 0, calculation_types, &type) == JR_SET) {
		in->has_money_after_rent = true;
		in->f.money_after_rent = type == 1;
	}
	return error_failed(ctx->err) ? -1 : 0;
}

/* The members of RequirementProfile in the seed's (alphabetical) order. */
enum member_kind { M_FLAG, M_NUMBER, M_FACTOR, M_AD_COUNT, M_CREATED, M_ID, M_NAME, M_PARENT, M_TYPE, M_UPDATED };

struct member {
	const char *name;
	enum member_kind kind;
	int index;
};

static const struct member members[] = {
	{ "activity_compensation", M_FLAG, REQ_ACTIVITY_COMPENSATION },
	{ "activity_grant", M_FLAG, REQ_ACTIVITY_GRANT },
	{ "ad_count", M_AD_COUNT, 0 },
	{ "bankruptcy", M_FLAG, REQ_BANKRUPTCY },
	{ "benefit_apartment", M_FLAG, REQ_BENEFIT_APARTMENT },
	{ "care_allowance", M_FLAG, REQ_CARE_ALLOWANCE },
	{ "child_allowance", M_FLAG, REQ_CHILD_ALLOWANCE },
	{ "create_date", M_CREATED, 0 },
	{ "debt_sanitization", M_FLAG, REQ_DEBT_SANITIZATION },
	{ "employment_permanent", M_FLAG, REQ_EMPLOYMENT_PERMANENT },
	{ "employment_temporary", M_FLAG, REQ_EMPLOYMENT_TEMPORARY },
	{ "extra_residents", M_NUMBER, REQ_EXTRA_RESIDENTS },
	{ "id", M_ID, 0 },
	{ "income_child_pension", M_FLAG, REQ_INCOME_CHILD_PENSION },
	{ "income_development_allowance", M_FLAG, REQ_INCOME_DEVELOPMENT_ALLOWANCE },
	{ "income_establishment_supplement", M_FLAG, REQ_INCOME_ESTABLISHMENT_SUPPLEMENT },
	{ "income_extra_cost_allowance", M_FLAG, REQ_INCOME_EXTRA_COST_ALLOWANCE },
	{ "income_housing_supplement", M_FLAG, REQ_INCOME_HOUSING_SUPPLEMENT },
	{ "income_housing_support", M_FLAG, REQ_INCOME_HOUSING_SUPPORT },
	{ "income_living_expense_supplement", M_FLAG, REQ_INCOME_LIVING_EXPENSE_SUPPLEMENT },
	{ "income_parental_leave", M_FLAG, REQ_INCOME_PARENTAL_LEAVE },
	{ "income_sick_leave", M_FLAG, REQ_INCOME_SICK_LEAVE },
	{ "income_student", M_FLAG, REQ_INCOME_STUDENT },
	{ "living_standard_factor", M_FACTOR, REQ_LIVING_STANDARD_FACTOR },
	{ "maintenance_allowance", M_FLAG, REQ_MAINTENANCE_ALLOWANCE },
	{ "maintenance_support", M_FLAG, REQ_MAINTENANCE_SUPPORT },
	{ "move_frequency", M_NUMBER, REQ_MOVE_FREQUENCY },
	{ "name", M_NAME, 0 },
	{ "outstanding_debt", M_FLAG, REQ_OUTSTANDING_DEBT },
	{ "parent_requirements_id", M_PARENT, 0 },
	{ "payment_remarks", M_NUMBER, REQ_PAYMENT_REMARKS },
	{ "pets", M_FLAG, REQ_PETS },
	{ "rent_calculation_type", M_TYPE, 0 },
	{ "rent_factor", M_FACTOR, REQ_RENT_FACTOR },
	{ "senior", M_FLAG, REQ_SENIOR },
	{ "senior_age", M_NUMBER, REQ_SENIOR_AGE },
	{ "smoking", M_FLAG, REQ_SMOKING },
	{ "student", M_FLAG, REQ_STUDENT },
	{ "unemployment_benefit", M_FLAG, REQ_UNEMPLOYMENT_BENEFIT },
	{ "update_date", M_UPDATED, 0 },
	{ "warrantor", M_FLAG, REQ_WARRANTOR },
	{ "warrantor_rent_factor", M_FACTOR, REQ_WARRANTOR_RENT_FACTOR },
	{ "youth", M_FLAG, REQ_YOUTH },
	{ "youth_age", M_NUMBER, REQ_YOUTH_AGE },
};

static void write_member(struct jw *w, const struct member *m, const struct requirement_profile *p)
{
	jw_key(w, m->name);
	switch (m->kind) {
	case M_FLAG: jw_bool(w, p->f.flag[m->index]); break;
	case M_NUMBER: jw_int(w, p->f.number[m->index]); break;
	case M_FACTOR: jw_double(w, p->f.factor[m->index]); break;
	case M_AD_COUNT: jw_int(w, p->ad_count); break;
	case M_CREATED: jw_string(w, p->created_at); break;
	case M_ID: jw_int(w, p->id); break;
	case M_NAME: jw_string(w, p->f.name); break;
	case M_PARENT:
		if (p->parent_id)
			jw_int(w, p->parent_id);
		else
			jw_null(w); /* H-29 */
		break;
	case M_TYPE: jw_cstr(w, p->f.money_after_rent ? "MONEY_AFTER_RENT" : "RENT_FACTOR"); break;
	case M_UPDATED: jw_string(w, p->updated_at); break;
	}
}

static void write_profile(struct jw *w, const struct requirement_profile *p)
{
	jw_object_begin(w);
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		write_member(w, &members[i], p);
	jw_object_end(w);
}

static int get_requirements(struct ctx *ctx)
{
	struct requirement_profile *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    requirements_list(ctx->core, ctx->req->arena, &ctx->caller, &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "requirements");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_profile(w, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int post_requirement(struct ctx *ctx)
{
	struct requirement_input in;
	int64_t id;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_input(ctx, true, &in) < 0 ||
	    requirements_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &id, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_object_end(w);
	return 0;
}

static int get_requirement(struct ctx *ctx)
{
	struct requirement_profile p;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    requirements_get(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"), &p,
			     ctx->err) < 0)
		return -1;
	write_profile(ctx_json(ctx, 200), &p);
	return 0;
}

static int patch_requirement(struct ctx *ctx)
{
	struct requirement_input in;
	struct requirement_profile p;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_input(ctx, false, &in) < 0 ||
	    requirements_update(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"), &in,
				&p, ctx->err) < 0)
		return -1;
	write_profile(ctx_json(ctx, 200), &p);
	return 0;
}

static int delete_requirement(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    requirements_delete(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "id"),
				ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* designated initializers: struct route may grow fields that these routes leave zero */
#define R(m, pattern_, fn, flags_) \
	{ .method = (m), .pattern = (pattern_), .handler = (fn), .dialect = DIALECT_LANDLORD, .flags = (flags_) }
#define J ROUTE_JSON

const struct route landlord_requirements_routes[] = {
	R(HTTP_GET, "/api/v1/requirements", get_requirements, 0),
	R(HTTP_POST, "/api/v1/requirements", post_requirement, J),
	R(HTTP_GET, "/api/v1/requirements/{id:int}", get_requirement, 0),
	R(HTTP_PATCH, "/api/v1/requirements/{id:int}", patch_requirement, J),
	R(HTTP_PUT, "/api/v1/requirements/{id:int}", patch_requirement, J),
	R(HTTP_DELETE, "/api/v1/requirements/{id:int}", delete_requirement, 0),
};
const size_t landlord_requirements_routes_count =
	sizeof(landlord_requirements_routes) / sizeof(landlord_requirements_routes[0]);
