/*
 * landlord_org.c — HomeQ company and organization endpoints (homeq.md §7, §9).
 *
 *   GET|PATCH /api/v1/company/          POST /api/v1/company/reset/
 *   GET|POST  /api/v1/offices/          PATCH /api/v1/offices/{id}/    GET /api/v1/offices/{id}/logo
 *   GET       /api/v1/employees/        POST /api/v1/employees/api_user/
 *   GET|PATCH|DELETE /api/v1/employees/{employee_id}/
 *   GET|POST  /api/v1/right_profiles/   PATCH|DELETE /api/v1/right_profiles/{right_profile_id}/
 *   GET       /api/v1/rights/
 *   GET|POST  /api/v1/user_notes/       PATCH|DELETE /api/v1/user_notes/{note_id}/
 *   POST      /api/v1/existing_tenants/
 *
 * PUT is accepted wherever PATCH is, with the same partial semantics (decisions.md G-02).
 */
#include <sodium.h>
#include <stdio.h>

#include "core/media/media.h"
#include "core/identity/org.h"
#include "core/identity/password.h"
#include "core/identity/rights.h"
#include "dialects/dialects.h"
#include "dialects/landlord.h"

/* ---- company ---- */

/* SingleImage {id, thumbnail_url, url} of a file reference (§12.2; H-07 absolute URLs). */
static void write_image_ref(struct ctx *ctx, struct jw *w, const char *key, struct str id)
{
	struct file_reference ref;
	struct str file_key = STR_NULL;
	struct error ignored;

	jw_key(w, key);
	if (!id.ptr) {
		jw_null(w);
		return;
	}
	error_init(&ignored, ctx->req->arena);
	if (ctx->caller.kind == CALLER_EMPLOYEE)
		(void)media_reference_get(ctx->core, ctx->req->arena, &ctx->caller, id, &ref, &file_key, &ignored);
	jw_object_begin(w);
	jw_kv_str(w, "id", id);
	jw_kv_null(w, "thumbnail_url"); /* logos and covers get no thumbnails (§15 rule 27 lists the kinds that do) */
	jw_key(w, "url");
	if (file_key.ptr)
		jw_string(w, landlord_url(ctx, "/media/%.*s", STR_FMT(file_key)));
	else
		jw_null(w);
	jw_object_end(w);
}

static int tier_id(struct str tier)
{
	return str_eq_cstr(tier, "premium") ? 2 : 1;
}

static void write_company(struct ctx *ctx, struct jw *w, const struct company *co)
{
	jw_object_begin(w);
	jw_kv_str(w, "bankgiro", co->bankgiro);
	write_image_ref(ctx, w, "cover_image", co->cover_image_id);
	jw_kv_str(w, "external_reservation_link", co->external_reservation_link);
	jw_kv_bool(w, "has_fast_api_key", co->fast_api_key.len > 0);
	jw_kv_int(w, "id", co->id);
	write_image_ref(ctx, w, "logo_image", co->logo_image_id);
	jw_kv_int(w, "minimum_up_time", co->minimum_up_time);
	jw_kv_str(w, "name", co->name);
	jw_kv_str(w, "org_number", co->org_number);
	jw_kv_str(w, "postgiro", co->postgiro);
	jw_key(w, "tier");
	jw_object_begin(w);
	jw_key(w, "enabled_features");
	landlord_write_csv_array(w, co->enabled_features);
	jw_kv_int(w, "id", tier_id(co->tier));
	jw_kv_str(w, "name", co->tier);
	jw_object_end(w);
	jw_object_end(w);
}

static int get_company(struct ctx *ctx)
{
	struct company co, *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_ANY) < 0)
		return -1;
	if (ctx->caller.kind == CALLER_CONSUMER) {
		/* a consumer sees the list of companies, id and name (§7) */
		if (org_company_list(ctx->core, ctx->req->arena, &list, &n, ctx->err) < 0)
			return -1;
		w = ctx_json(ctx, 200);
		jw_array_begin(w);
		for (size_t i = 0; i < n; i++) {
			jw_object_begin(w);
			jw_kv_int(w, "id", list[i].id);
			jw_kv_str(w, "name", list[i].name);
			jw_object_end(w);
		}
		jw_array_end(w);
		return 0;
	}
	if (org_company_get(ctx->core, ctx->req->arena, &ctx->caller, &co, ctx->err) < 0)
		return -1;
	write_company(ctx, ctx_json(ctx, 200), &co);
	return 0;
}

static bool is_http_url(struct str s)
{
	return (str_has_prefix(s, STR_LIT("http://")) && s.len > 7) ||
	       (str_has_prefix(s, STR_LIT("https://")) && s.len > 8);
}

static void read_image_id(struct jr *r, const char *key, struct str *out, bool *set)
{
	/* the reference itself is checked by the core (company, kind, uploaded) */
	int rc = jr_string(r, key, JR_NULLABLE, 1, 64, out);
	if (rc == JR_NULL) {
		*out = STR_NULL;
		*set = true;
	} else if (rc == JR_SET) {
		*set = true;
	}
}

static int patch_company(struct ctx *ctx)
{
	struct company_patch p;
	struct company co;
	struct jr r;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	p.minimum_up_time = -1;
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "bankgiro", 0, 0, 20, &p.bankgiro);
	jr_string(&r, "postgiro", 0, 0, 20, &p.postgiro);
	jr_string(&r, "org_number", 0, 0, 20, &p.org_number);
	if (jr_string(&r, "external_reservation_link", 0, 0, 2000, &p.external_reservation_link) == JR_SET &&
	    p.external_reservation_link.len && !is_http_url(p.external_reservation_link))
		error_field(ctx->err, "external_reservation_link", RULE_FORMAT, "must be an http or https URL");
	jr_string(&r, "fast_api_key", 0, 0, 256, &p.fast_api_key);
	read_image_id(&r, "logo_image_id", &p.logo_image_id, &p.set_logo_image_id);
	read_image_id(&r, "cover_image_id", &p.cover_image_id, &p.set_cover_image_id);
	jr_int(&r, "minimum_up_time", 0, 24, 24 * 365, &p.minimum_up_time);
	if (error_failed(ctx->err))
		return -1;
	if (org_company_update(ctx->core, ctx->req->arena, &ctx->caller, &p, &co, ctx->err) < 0)
		return -1;
	write_company(ctx, ctx_json(ctx, 200), &co);
	return 0;
}

static int post_company_reset(struct ctx *ctx)
{
	struct jw *w;
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || org_company_reset(ctx->core, &ctx->caller, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_bool(w, "reset", true);
	jw_object_end(w);
	return 0;
}

/* ---- offices ---- */

static const char *const sorting_modes[] = { "queue_points", "random", "first_come_first", NULL };
static const char *const contract_systems[] = { "external", "manual_selection", "automatic",
						"manual_selection_lock", "automatic_strict", NULL };
static const char *const office_modes[] = { "default", "manage", NULL };

static void write_office(struct ctx *ctx, struct jw *w, const struct office *o)
{
	jw_object_begin(w);
	jw_kv_int(w, "batch_size", o->f.batch_size);
	jw_kv_str(w, "candidate_sorting_mode", o->f.candidate_sorting_mode);
	jw_kv_str(w, "contract_system", o->f.contract_system);
	jw_kv_bool(w, "default_email_for_contracts", o->f.default_email_for_contracts);
	jw_kv_bool(w, "default_email_for_offers", o->f.default_email_for_offers);
	jw_kv_bool(w, "default_email_for_viewings", o->f.default_email_for_viewings);
	jw_kv_str(w, "description", o->f.description);
	jw_kv_str(w, "email", o->f.email);
	jw_kv_int(w, "employee_count", o->employee_count);
	jw_kv_int(w, "id", o->id);
	jw_key(w, "logo");
	if (o->has_logo)
		jw_string(w, landlord_url(ctx, "/api/v1/offices/%lld/logo", (long long)o->id));
	else
		jw_null(w);
	jw_kv_str(w, "name", o->f.name);
	jw_kv_int(w, "offer_min_response_time", o->f.offer_min_response_time);
	jw_kv_int(w, "offer_per_ad", o->f.offer_per_ad);
	jw_kv_int(w, "offers_per_person", o->f.offers_per_person);
	jw_key(w, "parent");
	if (o->parent_id)
		jw_int(w, o->parent_id);
	else
		jw_null(w);
	jw_kv_int(w, "time_to_next_engagement", o->f.time_to_next_engagement);
	jw_object_end(w);
}

static int get_offices(struct ctx *ctx)
{
	struct office *list;
	size_t n;
	int64_t office_id;
	struct str mode;
	int m = -1;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	mode = query_get(&ctx->query, "mode");
	if (!mode.ptr || !mode.len)
		error_field(ctx->err, "mode", RULE_REQUIRED, "this query parameter is required (default or manage)");
	else
		for (int i = 0; office_modes[i]; i++)
			if (str_eq_cstr(mode, office_modes[i]))
				m = i;
	if (mode.len && m < 0)
		error_field(ctx->err, "mode", RULE_ENUM, "must be one of: default, manage");
	landlord_query_id(ctx, "office_id", false, &office_id);
	if (error_failed(ctx->err))
		return -1;
	if (org_office_list(ctx->core, ctx->req->arena, &ctx->caller, (enum office_mode)m, office_id, &list, &n,
			    ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_office(ctx, w, &list[i]);
	jw_array_end(w);
	return 0;
}

/* A plausible e-mail address: something@host.tld, no spaces, at most 254 characters. */
static bool is_email(struct str s)
{
	const char *at = memchr(s.ptr, '@', s.len);
	const char *dot;
	if (!at || at == s.ptr || s.len > 254)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] == ' ' || s.ptr[i] == '\t' || (unsigned char)s.ptr[i] < 0x20)
			return false;
	if (memchr(at + 1, '@', (size_t)(s.ptr + s.len - at - 1)))
		return false;
	dot = memchr(at + 1, '.', (size_t)(s.ptr + s.len - at - 1));
	return dot && dot > at + 1 && dot < s.ptr + s.len - 1;
}

#define LOGO_MAX_BYTES (2u * 1024 * 1024)

/* A base64 logo: decoded, at most 2 MiB, and a PNG or JPEG by its first bytes. */
static void read_logo(struct ctx *ctx, struct jr *r, struct office_input *in)
{
	struct str b64;
	int rc = jr_string(r, "logo", JR_NULLABLE, 1, LOGO_MAX_BYTES / 3 * 4 + 8, &b64);
	unsigned char *bin;
	size_t len;

	if (rc == JR_NULL) {
		in->has_logo = true;
		in->logo_bytes = STR_NULL;
		return;
	}
	if (rc != JR_SET)
		return;
	/* a data: URL prefix is tolerated, as browsers produce it */
	if (str_has_prefix(b64, STR_LIT("data:"))) {
		const char *comma = memchr(b64.ptr, ',', b64.len);
		if (comma)
			b64 = (struct str){ comma + 1, (size_t)(b64.ptr + b64.len - comma - 1) };
	}
	bin = arena_alloc(ctx->req->arena, b64.len);
	if (sodium_base642bin(bin, b64.len, b64.ptr, b64.len, "\r\n ", &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		error_field(ctx->err, "logo", RULE_FORMAT, "must be base64");
		return;
	}
	if (len > LOGO_MAX_BYTES) {
		error_field(ctx->err, "logo", RULE_LENGTH, "must be at most %u bytes", LOGO_MAX_BYTES);
		return;
	}
	if (len >= 8 && memcmp(bin, "\x89PNG\r\n\x1a\n", 8) == 0)
		in->logo_mime = STR_LIT("image/png");
	else if (len >= 3 && bin[0] == 0xFF && bin[1] == 0xD8 && bin[2] == 0xFF)
		in->logo_mime = STR_LIT("image/jpeg");
	else {
		error_field(ctx->err, "logo", RULE_FORMAT, "must be a PNG or JPEG image");
		return;
	}
	in->has_logo = true;
	in->logo_bytes = (struct str){ (const char *)bin, len };
}

/* OfficeCreate/OfficeUpdate (§9): on update every field is optional. */
static int read_office_input(struct ctx *ctx, bool create, struct office_input *in)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	int idx;
	unsigned req = create ? JR_REQUIRED : 0;

	memset(in, 0, sizeof(*in));
	in->has_name = jr_string(&r, "name", req, 1, 255, &in->f.name) == JR_SET;
	jr_int(&r, "parent", req, 1, INT64_MAX, &in->parent);
	in->has_description = jr_string(&r, "description", 0, 0, 2000, &in->f.description) == JR_SET;
	if (jr_string(&r, "email", JR_NULLABLE, 0, 254, &in->f.email) == JR_NULL) {
		in->f.email = STR_LIT("");
		in->has_email = true;
	} else if (in->f.email.ptr) {
		in->has_email = true;
		if (in->f.email.len && !is_email(in->f.email))
			error_field(ctx->err, "email", RULE_FORMAT, "must be an e-mail address");
	}
	if (jr_enum(&r, "candidate_sorting_mode", 0, sorting_modes, &idx) == JR_SET) {
		in->has_csm = true;
		in->f.candidate_sorting_mode = str_from_cstr(sorting_modes[idx]);
	}
	if (jr_enum(&r, "contract_system", 0, contract_systems, &idx) == JR_SET) {
		in->has_cs = true;
		in->f.contract_system = str_from_cstr(contract_systems[idx]);
	}
	in->has_batch = jr_int(&r, "batch_size", 0, 2, 1000, &in->f.batch_size) == JR_SET;
	in->has_omrt = jr_int(&r, "offer_min_response_time", 0, 24, 24 * 365, &in->f.offer_min_response_time) == JR_SET;
	in->has_opa = jr_int(&r, "offer_per_ad", 0, 1, 1000, &in->f.offer_per_ad) == JR_SET;
	in->has_opp = jr_int(&r, "offers_per_person", 0, 1, 1000, &in->f.offers_per_person) == JR_SET;
	in->has_ttne = jr_int(&r, "time_to_next_engagement", 0, 1, 365, &in->f.time_to_next_engagement) == JR_SET;
	in->has_dec = jr_bool(&r, "default_email_for_contracts", 0, &in->f.default_email_for_contracts) == JR_SET;
	in->has_deo = jr_bool(&r, "default_email_for_offers", 0, &in->f.default_email_for_offers) == JR_SET;
	in->has_dev = jr_bool(&r, "default_email_for_viewings", 0, &in->f.default_email_for_viewings) == JR_SET;
	read_logo(ctx, &r, in);
	return error_failed(ctx->err) ? -1 : 0;
}

static int post_offices(struct ctx *ctx)
{
	struct office_input in;
	int64_t id;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_office_input(ctx, true, &in) < 0 ||
	    org_office_create(ctx->core, ctx->req->arena, &ctx->caller, &in, &id, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_object_end(w);
	return 0;
}

static int patch_office(struct ctx *ctx)
{
	struct office_input in;
	int64_t id = route_param_int(&ctx->params, "id");
	struct office *list;
	size_t n;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_office_input(ctx, false, &in) < 0 ||
	    org_office_update(ctx->core, ctx->req->arena, &ctx->caller, id, &in, ctx->err) < 0 ||
	    org_office_list(ctx->core, ctx->req->arena, &ctx->caller, OFFICE_MODE_MANAGE, id, &list, &n, ctx->err) < 0)
		return -1;
	write_office(ctx, ctx_json(ctx, 200), &list[0]);
	return 0;
}

/* The office logo behind Office.logo: public, like the images it stands beside. */
static int get_office_logo(struct ctx *ctx)
{
	struct str bytes, mime;
	if (org_office_logo(ctx->core, ctx->req->arena, route_param_int(&ctx->params, "id"), &bytes, &mime, ctx->err) < 0)
		return -1;
	ctx->resp->status = 200;
	ctx->resp->content_type = mime;
	buf_init(&ctx->resp->body, ctx->req->arena, bytes.len + 1);
	buf_append_str(&ctx->resp->body, bytes);
	response_header(ctx->resp, "Cache-Control", STR_LIT("public, max-age=300"));
	return 0;
}

/* ---- employees ---- */

static struct str full_name(struct arena *a, const struct user *u)
{
	const char *sep = u->first_name.len && u->last_name.len ? " " : "";
	return str_from_cstr(arena_printf(a, "%.*s%s%.*s", STR_FMT(u->first_name), sep, STR_FMT(u->last_name)));
}

static void write_employee_list_item(struct ctx *ctx, struct jw *w, const struct user *u)
{
	jw_object_begin(w);
	jw_kv_bool(w, "api_user", u->api_user);
	jw_kv_str(w, "date_joined", u->date_joined);
	jw_kv_str(w, "email", u->email);
	jw_kv_str(w, "first_name", u->first_name);
	jw_kv_int(w, "id", u->id);
	jw_kv_bool(w, "joined", u->joined);
	jw_kv_str(w, "last_name", u->last_name);
	jw_kv_str(w, "name", full_name(ctx->req->arena, u));
	jw_kv_str(w, "right_profile_name", u->right_profile_name);
	jw_kv_str(w, "root_office_name", u->root_office_name);
	jw_kv_str(w, "username", u->username);
	jw_object_end(w);
}

static void write_ref(struct jw *w, const char *key, int64_t id, struct str name)
{
	jw_key(w, key);
	if (!id) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_kv_str(w, "name", name);
	jw_object_end(w);
}

/* EmployeeDetail, wrapped in a one-element list as the seed shows (decisions.md H-23). */
static void write_employee_detail(struct ctx *ctx, const struct user *u)
{
	struct jw *w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "employees");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kv_bool(w, "api_user", u->api_user);
	jw_kv_str(w, "email", u->email);
	jw_kv_str(w, "first_name", u->first_name);
	jw_kv_int(w, "id", u->id);
	jw_kv_bool(w, "joined", u->joined);
	jw_kv_str(w, "last_name", u->last_name);
	jw_kv_str(w, "personal_number", u->personal_number);
	jw_kv_str(w, "phone_number", u->phone);
	write_ref(w, "right_profile", u->right_profile_id, u->right_profile_name);
	write_ref(w, "root_office", u->root_office_id, u->root_office_name);
	write_ref(w, "selected_office", u->selected_office_id, u->selected_office_name);
	jw_object_end(w);
	jw_array_end(w);
	jw_object_end(w);
}

static int get_employees(struct ctx *ctx)
{
	struct user *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    org_employee_list(ctx->core, ctx->req->arena, &ctx->caller, &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "employees");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_employee_list_item(ctx, w, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int get_employee(struct ctx *ctx)
{
	struct user u;
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    org_employee_get(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "employee_id"),
			     &u, ctx->err) < 0)
		return -1;
	write_employee_detail(ctx, &u);
	return 0;
}

static int patch_employee(struct ctx *ctx)
{
	struct employee_patch p;
	struct jr r;
	struct user u;
	struct str pn = STR_NULL;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "first_name", 0, 0, 150, &p.first_name);
	jr_string(&r, "last_name", 0, 0, 150, &p.last_name);
	if (jr_string(&r, "personal_number", 0, 0, 13, &pn) == JR_SET) {
		if (pn.len == 0)
			p.personal_number = pn;
		else if (ssn_normalise(ctx->req->arena, pn, &p.personal_number) < 0)
			error_field(ctx->err, "personal_number", RULE_FORMAT,
				    "must be a Swedish personal number (YYYYMMDDNNNN or YYMMDD-NNNN)");
	}
	jr_string(&r, "phone_number", 0, 0, 32, &p.phone_number);
	jr_int(&r, "right_profile", 0, 1, INT64_MAX, &p.right_profile);
	jr_int(&r, "root_office", 0, 1, INT64_MAX, &p.root_office);
	jr_int(&r, "selected_office", 0, 1, INT64_MAX, &p.selected_office);
	if (error_failed(ctx->err))
		return -1;
	if (org_employee_update(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "employee_id"),
				&p, &u, ctx->err) < 0)
		return -1;
	write_employee_detail(ctx, &u);
	return 0;
}

static int delete_employee(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    org_employee_delete(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "employee_id"),
				ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* API user creation hashes the new password on the pool, like a login. */
struct api_user_job {
	struct workpool_job job;
	char password[25];
	char hash[PASSWORD_HASH_MAX];
	int rc;
};

static void api_user_hash(struct workpool_job *job)
{
	struct api_user_job *j = (struct api_user_job *)job;
	j->rc = password_hash(str_from_cstr(j->password), j->hash);
}

static int post_api_user(struct ctx *ctx)
{
	struct api_user_job *j = ctx_async_state(ctx);
	struct str username;
	char rnd[9];
	int64_t id;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	if (!j) {
		/* any body is accepted and ignored (decisions.md H-24) */
		if (org_api_user_allowed(&ctx->caller, ctx->err) < 0)
			return -1;
		j = arena_calloc(ctx->req->arena, 1, sizeof(*j));
		password_generate(j->password);
		j->job.run = api_user_hash;
		return ctx_suspend(ctx, j, &j->job);
	}
	if (j->rc < 0)
		return error_set(ctx->err, ERROR_INTERNAL, NULL, "password hashing failed");
	for (int i = 0; i < 8; i++)
		rnd[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[randombytes_uniform(36)];
	rnd[8] = '\0';
	username = str_from_cstr(arena_printf(ctx->req->arena, "api-%lld-%s", (long long)ctx->caller.user.company_id, rnd));
	if (org_api_user_create(ctx->core, ctx->req->arena, &ctx->caller, str_from_cstr(j->hash), username, &id,
				ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 201);
	jw_object_begin(w);
	jw_kv_int(w, "id", id);
	jw_kv_cstr(w, "password", j->password); /* shown this once; only the hash is kept */
	jw_kv_str(w, "username", username);
	jw_object_end(w);
	sodium_memzero(j->password, sizeof(j->password));
	return 0;
}

/* ---- rights and right profiles ---- */

static int get_rights(struct ctx *ctx)
{
	struct jw *w;
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "rights");
	jw_array_begin(w);
	for (size_t i = 0; i < rights_catalog_count; i++) {
		jw_object_begin(w);
		jw_kv_cstr(w, "description", rights_catalog[i].description);
		jw_kv_cstr(w, "name", rights_catalog[i].name);
		jw_kv_cstr(w, "path", rights_catalog[i].path);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static void write_profile(struct jw *w, const struct right_profile *p, bool with_count)
{
	jw_object_begin(w);
	jw_key(w, "company");
	if (p->company_id)
		jw_int(w, p->company_id);
	else
		jw_null(w);
	if (with_count)
		jw_kv_int(w, "employees", p->employees);
	jw_kv_int(w, "id", p->id);
	jw_kv_str(w, "name", p->name);
	jw_key(w, "rights");
	jw_array_begin(w);
	for (size_t i = 0; i < p->nrights; i++)
		jw_string(w, p->rights[i]);
	jw_array_end(w);
	jw_object_end(w);
}

static int get_right_profiles(struct ctx *ctx)
{
	struct right_profile *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    org_right_profile_list(ctx->core, ctx->req->arena, &ctx->caller, &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "right_profiles");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_profile(w, &list[i], true);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

/* Body of create and update: name (at least 5 characters) and rights, both required (§9). */
static int read_profile_body(struct ctx *ctx, bool rights_non_empty, struct str *name, struct str **rights,
			     size_t *n)
{
	struct jr r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "name", JR_REQUIRED, 5, 150, name);
	if (landlord_string_array(ctx, &r, "rights", JR_REQUIRED, 64, 128, rights, n) == JR_SET &&
	    rights_non_empty && *n == 0)
		error_field(ctx->err, "rights", RULE_LENGTH, "must name at least one right");
	return error_failed(ctx->err) ? -1 : 0;
}

static int post_right_profile(struct ctx *ctx)
{
	struct str name, *rights;
	size_t n;
	struct right_profile p;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_profile_body(ctx, false, &name, &rights, &n) < 0 ||
	    org_right_profile_create(ctx->core, ctx->req->arena, &ctx->caller, name, rights, n, &p, ctx->err) < 0)
		return -1;
	write_profile(ctx_json(ctx, 201), &p, false);
	return 0;
}

static int patch_right_profile(struct ctx *ctx)
{
	struct str name, *rights;
	size_t n;
	struct right_profile p;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || read_profile_body(ctx, true, &name, &rights, &n) < 0 ||
	    org_right_profile_update(ctx->core, ctx->req->arena, &ctx->caller,
				     route_param_int(&ctx->params, "right_profile_id"), name, rights, n, &p, ctx->err) < 0)
		return -1;
	write_profile(ctx_json(ctx, 200), &p, false);
	return 0;
}

static int delete_right_profile(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    org_right_profile_delete(ctx->core, &ctx->caller, route_param_int(&ctx->params, "right_profile_id"),
				     ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- user notes ---- */

static void write_note(struct jw *w, const struct user_note *n)
{
	jw_object_begin(w);
	landlord_write_author(w, n->author_id, n->author_name);
	jw_kv_str(w, "created", n->created_at);
	jw_kv_int(w, "id", n->id);
	jw_kv_str(w, "text", n->text);
	jw_kv_str(w, "updated", n->updated_at);
	jw_object_end(w);
}

static int get_notes(struct ctx *ctx)
{
	int64_t user_profile;
	struct user_note *list;
	size_t n;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 || landlord_query_id(ctx, "user_profile", true, &user_profile) < 0 ||
	    org_note_list(ctx->core, ctx->req->arena, &ctx->caller, user_profile, &list, &n, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_key(w, "notes");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		write_note(w, &list[i]);
	jw_array_end(w);
	jw_object_end(w);
	return 0;
}

static int post_note(struct ctx *ctx)
{
	struct jr r;
	struct str text;
	int64_t user_profile;
	struct user_note note;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "text", JR_REQUIRED, 1, 3500, &text);
	jr_int(&r, "user_profile", JR_REQUIRED, 1, INT64_MAX, &user_profile);
	if (error_failed(ctx->err) ||
	    org_note_create(ctx->core, ctx->req->arena, &ctx->caller, user_profile, text, &note, ctx->err) < 0)
		return -1;
	write_note(ctx_json(ctx, 201), &note);
	return 0;
}

static int patch_note(struct ctx *ctx)
{
	struct jr r;
	struct str text = STR_NULL;
	struct user_note note;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	jr_string(&r, "text", 0, 1, 3500, &text); /* optional on update (seed L2401) */
	if (error_failed(ctx->err) ||
	    org_note_update(ctx->core, ctx->req->arena, &ctx->caller, route_param_int(&ctx->params, "note_id"), text,
			    &note, ctx->err) < 0)
		return -1;
	write_note(ctx_json(ctx, 200), &note);
	return 0;
}

static int delete_note(struct ctx *ctx)
{
	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0 ||
	    org_note_delete(ctx->core, &ctx->caller, route_param_int(&ctx->params, "note_id"), ctx->err) < 0)
		return -1;
	ctx_status(ctx, 204);
	return 0;
}

/* ---- existing tenants ---- */

#define TENANT_OPS_MAX 500

static int post_existing_tenants(struct ctx *ctx)
{
	static const char *const actions[] = { "create", "delete", NULL };
	struct jr r;
	json_t *arr;
	struct tenant_op *ops;
	size_t n = 0;
	int64_t created, deleted;
	struct jw *w;

	if (ctx_auth(ctx, AUTH_EMPLOYEE) < 0)
		return -1;
	r = jr_root(ctx->err, ctx->body);
	if (jr_array(&r, "operations", JR_REQUIRED, TENANT_OPS_MAX, &arr) != JR_SET)
		return -1;
	if (json_array_size(arr) == 0)
		return error_field(ctx->err, "operations", RULE_LENGTH, "must have 1 to %d operations", TENANT_OPS_MAX);
	ops = arena_alloc(ctx->req->arena, json_array_size(arr) * sizeof(*ops));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		struct jr item = { ctx->err, NULL, arena_printf(ctx->req->arena, "operations[%zu]", i) };
		json_t *v = json_array_get(arr, i);
		struct str ssn;
		int action;

		if (!json_is_object(v)) {
			error_field(ctx->err, item.prefix, RULE_TYPE, "expected an object");
			continue;
		}
		item.obj = v;
		jr_enum(&item, "action", JR_REQUIRED, actions, &action);
		if (jr_string(&item, "ssn", JR_REQUIRED, 10, 13, &ssn) == JR_SET &&
		    ssn_normalise(ctx->req->arena, ssn, &ops[n].ssn) < 0)
			error_field(ctx->err, jr_path(&item, "ssn"), RULE_FORMAT, "not a valid Swedish personal number");
		if (!error_failed(ctx->err))
			ops[n++].remove = action == 1;
	}
	if (error_failed(ctx->err) ||
	    org_existing_tenants(ctx->core, &ctx->caller, ops, n, &created, &deleted, ctx->err) < 0)
		return -1;
	w = ctx_json(ctx, 200);
	jw_object_begin(w);
	jw_kv_int(w, "created", created);
	jw_kv_int(w, "deleted", deleted);
	jw_object_end(w);
	return 0;
}

#define L DIALECT_LANDLORD
#define J ROUTE_JSON

const struct route landlord_org_routes[] = {
	{ HTTP_GET, "/api/v1/company", get_company, L, 0 },
	{ HTTP_PATCH, "/api/v1/company", patch_company, L, J },
	{ HTTP_PUT, "/api/v1/company", patch_company, L, J },
	{ HTTP_POST, "/api/v1/company/reset", post_company_reset, L, J },
	{ HTTP_GET, "/api/v1/offices", get_offices, L, 0 },
	{ HTTP_POST, "/api/v1/offices", post_offices, L, J },
	{ HTTP_PATCH, "/api/v1/offices/{id:int}", patch_office, L, J },
	{ HTTP_PUT, "/api/v1/offices/{id:int}", patch_office, L, J },
	{ HTTP_GET, "/api/v1/offices/{id:int}/logo", get_office_logo, L, 0 },
	{ HTTP_GET, "/api/v1/employees", get_employees, L, 0 },
	{ HTTP_POST, "/api/v1/employees/api_user", post_api_user, L, J },
	{ HTTP_GET, "/api/v1/employees/{employee_id:int}", get_employee, L, 0 },
	{ HTTP_PATCH, "/api/v1/employees/{employee_id:int}", patch_employee, L, J },
	{ HTTP_PUT, "/api/v1/employees/{employee_id:int}", patch_employee, L, J },
	{ HTTP_DELETE, "/api/v1/employees/{employee_id:int}", delete_employee, L, 0 },
	{ HTTP_GET, "/api/v1/rights", get_rights, L, 0 },
	{ HTTP_GET, "/api/v1/right_profiles", get_right_profiles, L, 0 },
	{ HTTP_POST, "/api/v1/right_profiles", post_right_profile, L, J },
	{ HTTP_PATCH, "/api/v1/right_profiles/{right_profile_id:int}", patch_right_profile, L, J },
	{ HTTP_PUT, "/api/v1/right_profiles/{right_profile_id:int}", patch_right_profile, L, J },
	{ HTTP_DELETE, "/api/v1/right_profiles/{right_profile_id:int}", delete_right_profile, L, 0 },
	{ HTTP_GET, "/api/v1/user_notes", get_notes, L, 0 },
	{ HTTP_POST, "/api/v1/user_notes", post_note, L, J },
	{ HTTP_PATCH, "/api/v1/user_notes/{note_id:int}", patch_note, L, J },
	{ HTTP_PUT, "/api/v1/user_notes/{note_id:int}", patch_note, L, J },
	{ HTTP_DELETE, "/api/v1/user_notes/{note_id:int}", delete_note, L, 0 },
	{ HTTP_POST, "/api/v1/existing_tenants", post_existing_tenants, L, J },
};
const size_t landlord_org_routes_count = sizeof(landlord_org_routes) / sizeof(landlord_org_routes[0]);
