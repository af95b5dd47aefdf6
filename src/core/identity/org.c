#include "core/identity/org.h"

#include <stdio.h>
#include <time.h>

#include "core/media/media.h"
#include "core/identity/password.h"
#include "core/identity/rights.h"
#include "core/transaction.h"
#include "store/accounts/store_accounts.h"

static const struct office_fields office_defaults = {
	.candidate_sorting_mode = { "queue_points", 12 },
	.contract_system = { "manual_selection_lock", 21 },
	.batch_size = 5,
	.offer_min_response_time = 48,
	.offer_per_ad = 5,
	.offers_per_person = 3,
	.time_to_next_engagement = 5,
};

int org_company_create_rows(struct core *c, struct arena *a, struct str name, struct str admin_username,
			    struct str admin_password_hash, struct company_created *out, struct error *err)
{
	struct company co;
	struct office_fields f = office_defaults;
	struct user_insert u;
	int64_t admin_profile = 0;

	if (store_company_insert(c->store, a, name, &co, err) < 0)
		return -1;
	out->company_id = co.id;
	out->company_uuid = co.uuid;
	f.name = name;
	if (store_office_insert(c->store, co.id, 0, &f, &out->office_id, err) < 0)
		return -1;
	for (size_t i = 0; i < default_profiles_count; i++) {
		struct str rights[32];
		size_t n = 0;
		int64_t id;
		for (const char *const *r = default_profiles[i].rights; *r; r++)
			rights[n++] = str_from_cstr(*r);
		if (store_right_profile_insert(c->store, co.id, str_from_cstr(default_profiles[i].name), rights, n,
					       &id, err) < 0)
			return -1;
		if (strcmp(default_profiles[i].name, "admin") == 0)
			admin_profile = id;
	}
	memset(&u, 0, sizeof(u));
	u.kind = USER_EMPLOYEE;
	u.username = admin_username;
	u.email = admin_username;
	u.password_hash = admin_password_hash;
	u.first_name = STR_LIT("Admin");
	u.company_id = co.id;
	u.right_profile_id = admin_profile;
	u.root_office_id = out->office_id;
	if (store_user_insert(c->store, &u, &out->employee_id, err) < 0)
		return -1;
	/* the admin owns the company's account (the accounts dialect's userId) */
	return store_account_set_owner(c->store, co.id, out->employee_id, admin_username, err);
}

int org_company_create(struct core *c, struct arena *a, struct str name, struct str admin_username,
		       struct str admin_password_hash, struct company_created *out, struct error *err)
{
	IN_TRANSACTION(c, err, org_company_create_rows(c, a, name, admin_username, admin_password_hash, out, err));
	return 0;
}

static int root_office_of(struct core *c, struct arena *a, int64_t company_id, struct office *out, struct error *err)
{
	struct office *list;
	size_t n;
	if (store_office_list(c->store, a, company_id, STR_LIT(""), &list, &n, err) < 0)
		return -1;
	if (n == 0)
		return error_set(err, ERROR_NOT_FOUND, NULL, "the company has no offices");
	*out = list[0]; /* ordered by path: the root comes first */
	return 0;
}

static int employee_create_rows(struct core *c, struct arena *a, const struct employee_new *e, int64_t *id,
				struct error *err)
{
	struct office o;
	struct user_insert u;
	int64_t profile;
	const char *pname = e->right_profile.len ? arena_strdup_str(a, e->right_profile) : "employee";

	if (e->office_id) {
		if (store_office_get(c->store, a, e->company_id, e->office_id, &o, err) < 0)
			return -1;
	} else if (root_office_of(c, a, e->company_id, &o, err) < 0) {
		return -1;
	}
	if (store_right_profile_default(c->store, e->company_id, pname, &profile, err) < 0)
		return -1;
	memset(&u, 0, sizeof(u));
	u.kind = USER_EMPLOYEE;
	u.username = e->username;
	u.email = e->email.len ? e->email : e->username;
	u.password_hash = e->password_hash;
	u.first_name = e->first_name;
	u.last_name = e->last_name;
	u.personal_number = e->personal_number;
	u.phone = e->phone;
	u.company_id = e->company_id;
	u.right_profile_id = profile;
	u.root_office_id = o.id;
	return store_user_insert(c->store, &u, id, err);
}

int org_employee_create(struct core *c, struct arena *a, const struct employee_new *e, int64_t *id,
			struct error *err)
{
	IN_TRANSACTION(c, err, employee_create_rows(c, a, e, id, err));
	return 0;
}

int org_agent_create(struct core *c, struct arena *a, struct str email, struct str password_hash, struct str name,
		     int64_t *id, struct str *uuid, struct error *err)
{
	struct user_insert u;
	struct user got;
	const char *sp = name.len ? memchr(name.ptr, ' ', name.len) : NULL;

	email = str_trim(email);
	if (email.len < 3 || email.len > 254 || !memchr(email.ptr, '@', email.len))
		return error_field(err, "email", RULE_FORMAT, "an e-mail address is required");
	memset(&u, 0, sizeof(u));
	u.kind = USER_OPERATOR;
	u.username = email;
	u.email = email;
	u.password_hash = password_hash;
	u.first_name = sp ? (struct str){ name.ptr, (size_t)(sp - name.ptr) } : name;
	u.last_name = sp ? str_trim((struct str){ sp + 1, name.len - (size_t)(sp - name.ptr) - 1 }) : STR_LIT("");
	if (store_user_insert(c->store, &u, id, err) < 0) {
		if (err->kind == ERROR_CONFLICT) {
			error_forget(err);
			return error_set(err, ERROR_CONFLICT, "Conflict", "a user with this e-mail already exists");
		}
		return -1;
	}
	if (store_user_get(c->store, a, *id, &got, err) < 0)
		return -1;
	*uuid = got.uuid;
	return 0;
}

/* ---- company ---- */

int org_company_list(struct core *c, struct arena *a, struct company **out, size_t *n, struct error *err)
{
	return store_company_list(c->store, a, out, n, err);
}

int org_company_get(struct core *c, struct arena *a, const struct caller *who, struct company *out,
		    struct error *err)
{
	return store_company_get(c->store, a, who->user.company_id, out, err);
}

int org_company_update(struct core *c, struct arena *a, const struct caller *who, const struct company_patch *p,
		       struct company *out, struct error *err)
{
	struct company co;

	if (caller_require_right(who, RIGHT_ORGANIZATION, err) < 0)
		return -1;
	if (p->set_logo_image_id && p->logo_image_id.ptr)
		media_reference_usable(c, a, who, "logo_image_id", "logo_image", p->logo_image_id, err);
	if (p->set_cover_image_id && p->cover_image_id.ptr)
		media_reference_usable(c, a, who, "cover_image_id", "cover_image", p->cover_image_id, err);
	if (error_failed(err))
		return -1;
	if (store_company_get(c->store, a, who->user.company_id, &co, err) < 0)
		return -1;
	if (p->bankgiro.ptr)
		co.bankgiro = p->bankgiro;
	if (p->postgiro.ptr)
		co.postgiro = p->postgiro;
	if (p->org_number.ptr)
		co.org_number = p->org_number;
	if (p->external_reservation_link.ptr)
		co.external_reservation_link = p->external_reservation_link;
	if (p->fast_api_key.ptr)
		co.fast_api_key = p->fast_api_key;
	if (p->set_logo_image_id)
		co.logo_image_id = p->logo_image_id;
	if (p->set_cover_image_id)
		co.cover_image_id = p->cover_image_id;
	if (p->minimum_up_time >= 0)
		co.minimum_up_time = p->minimum_up_time;
	IN_TRANSACTION(c, err, store_company_update(c->store, &co, err));
	return store_company_get(c->store, a, co.id, out, err);
}

int org_company_reset(struct core *c, const struct caller *who, struct error *err)
{
	if (caller_require_right(who, RIGHT_ORGANIZATION, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, store_company_reset(c->store, who->user.company_id, err));
	return 0;
}

/* ---- offices ---- */

/* An office of the caller's company at or below its root office; else NOT_FOUND. */
static int visible_office(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			  struct office *out, struct error *err)
{
	if (store_office_get(c->store, a, who->user.company_id, id, out, err) < 0)
		return -1;
	if (!caller_sees_path(who, out->path))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such office");
	return 0;
}

int org_office_list(struct core *c, struct arena *a, const struct caller *who, enum office_mode mode,
		    int64_t office_id, struct office **out, size_t *n, struct error *err)
{
	struct str prefix = who->user.root_office_path;

	if (mode == OFFICE_MODE_MANAGE && caller_has_right(who, RIGHT_ORGANIZATION))
		prefix = STR_LIT("");
	if (office_id) {
		struct office o;
		if (store_office_get(c->store, a, who->user.company_id, office_id, &o, err) < 0)
			return -1;
		if (!str_has_prefix(o.path, prefix))
			return error_set(err, ERROR_NOT_FOUND, NULL, "no such office");
		*out = arena_alloc(a, sizeof(**out));
		**out = o;
		*n = 1;
		return 0;
	}
	return store_office_list(c->store, a, who->user.company_id, prefix, out, n, err);
}

static int check_office_email(const struct office_fields *f, struct error *err)
{
	if ((f->default_email_for_contracts || f->default_email_for_offers || f->default_email_for_viewings) &&
	    str_trim(f->email).len == 0)
		return error_set(err, ERROR_PRECONDITION, "OfficeEmailRequired",
				 "Office email required when it is flagged for use.");
	return 0;
}

static void merge_office(struct office_fields *f, const struct office_input *in)
{
	if (in->has_name) f->name = in->f.name;
	if (in->has_description) f->description = in->f.description;
	if (in->has_email) f->email = in->f.email;
	if (in->has_csm) f->candidate_sorting_mode = in->f.candidate_sorting_mode;
	if (in->has_cs) f->contract_system = in->f.contract_system;
	if (in->has_batch) f->batch_size = in->f.batch_size;
	if (in->has_omrt) f->offer_min_response_time = in->f.offer_min_response_time;
	if (in->has_opa) f->offer_per_ad = in->f.offer_per_ad;
	if (in->has_opp) f->offers_per_person = in->f.offers_per_person;
	if (in->has_ttne) f->time_to_next_engagement = in->f.time_to_next_engagement;
	if (in->has_dec) f->default_email_for_contracts = in->f.default_email_for_contracts;
	if (in->has_deo) f->default_email_for_offers = in->f.default_email_for_offers;
	if (in->has_dev) f->default_email_for_viewings = in->f.default_email_for_viewings;
}

static int office_create_rows(struct core *c, const struct caller *who, const struct office_input *in,
			      const struct office_fields *f, int64_t *id, struct error *err)
{
	if (store_office_insert(c->store, who->user.company_id, in->parent, f, id, err) < 0)
		return -1;
	if (in->has_logo && in->logo_bytes.ptr)
		return store_office_set_logo(c->store, *id, in->logo_bytes.ptr, in->logo_bytes.len, in->logo_mime, err);
	return 0;
}

int org_office_create(struct core *c, struct arena *a, const struct caller *who, const struct office_input *in,
		      int64_t *id, struct error *err)
{
	struct office parent;
	struct office_fields f = office_defaults;

	if (caller_require_right(who, RIGHT_ORGANIZATION, err) < 0)
		return -1;
	if (visible_office(c, a, who, in->parent, &parent, err) < 0) {
		if (err->kind == ERROR_NOT_FOUND) {
			error_forget(err);
			return error_field(err, "parent", RULE_RANGE, "no office %lld is visible to you",
					   (long long)in->parent);
		}
		return -1;
	}
	merge_office(&f, in);
	if (check_office_email(&f, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, office_create_rows(c, who, in, &f, id, err));
	return 0;
}

static int office_update_rows(struct core *c, const struct office *o, const struct office_input *in,
			      const struct office_fields *f, struct error *err)
{
	if (store_office_update(c->store, o, in->parent ? in->parent : o->parent_id, f, err) < 0)
		return -1;
	if (in->has_logo)
		return store_office_set_logo(c->store, o->id, in->logo_bytes.ptr, in->logo_bytes.len, in->logo_mime, err);
	return 0;
}

int org_office_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
		      const struct office_input *in, struct error *err)
{
	struct office o, parent;
	struct office_fields f;

	if (caller_require_right(who, RIGHT_ORGANIZATION, err) < 0)
		return -1;
	if (visible_office(c, a, who, id, &o, err) < 0)
		return -1;
	if (in->parent && in->parent != o.parent_id) {
		if (!o.parent_id)
			return error_field(err, "parent", RULE_RANGE, "the company's root office has no parent");
		if (visible_office(c, a, who, in->parent, &parent, err) < 0) {
			if (err->kind != ERROR_NOT_FOUND)
				return -1;
			error_forget(err);
			return error_field(err, "parent", RULE_RANGE, "no office %lld is visible to you",
					   (long long)in->parent);
		}
		if (str_has_prefix(parent.path, o.path))
			return error_field(err, "parent", RULE_RANGE, "an office cannot be moved below itself");
	}
	f = o.f;
	merge_office(&f, in);
	if (check_office_email(&f, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, office_update_rows(c, &o, in, &f, err));
	return 0;
}

int org_office_logo(struct core *c, struct arena *a, int64_t id, struct str *bytes, struct str *mime,
		    struct error *err)
{
	return store_office_get_logo(c->store, a, id, bytes, mime, err);
}

/* ---- employees ---- */

/* A live employee of the caller's company whose root office the caller reaches (or itself). */
static int visible_employee(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			    struct user *out, struct error *err)
{
	if (id == who->user.id) {
		*out = who->user; /* loaded by the authentication of this very request */
		return 0;
	}
	if (store_user_get(c->store, a, id, out, err) < 0)
		return -1;
	if (out->kind != USER_EMPLOYEE || out->company_id != who->user.company_id ||
	    (out->id != who->user.id && !caller_sees_path(who, out->root_office_path)))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such employee");
	return 0;
}

int org_employee_list(struct core *c, struct arena *a, const struct caller *who, struct user **out, size_t *n,
		      struct error *err)
{
	if (caller_require_right(who, RIGHT_EMPLOYEES, err) < 0)
		return -1;
	/* the selected office, unless a move took it out of the caller's reach: then the root */
	return store_employee_list(c->store, a, who->user.company_id,
				   caller_sees_path(who, who->user.selected_office_path) ? who->user.selected_office_path
											 : who->user.root_office_path,
				   out, n, err);
}

int org_employee_get(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct user *out,
		     struct error *err)
{
	if (id != who->user.id && caller_require_right(who, RIGHT_EMPLOYEES, err) < 0)
		return -1;
	return visible_employee(c, a, who, id, out, err);
}

static int forbid(struct error *err, const char *why)
{
	return error_set(err, ERROR_FORBIDDEN, "PermissionDenied", "%s", why);
}

/*
 * Nobody edits or deletes a colleague who holds a right they lack: a manager cannot
 * demote or remove an admin, even in the same office.
 */
static int outranks_or_equals(struct core *c, struct arena *a, const struct caller *who, const struct user *u,
			      struct error *err)
{
	struct str *rights;
	size_t n;

	if (!u->right_profile_id)
		return 0;
	if (store_right_profile_rights(c->store, a, u->right_profile_id, &rights, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!caller_has_right(who, arena_strdup_str(a, rights[i])))
			return error_set(err, ERROR_FORBIDDEN, "PermissionDenied",
					 "You can not change an employee who has the right %.*s, which you do not have.",
					 STR_FMT(rights[i]));
	return 0;
}

int org_employee_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			const struct employee_patch *p, struct user *out, struct error *err)
{
	struct user u;
	bool self = id == who->user.id;

	if (!self && caller_require_right(who, RIGHT_EMPLOYEES, err) < 0)
		return -1;
	if (visible_employee(c, a, who, id, &u, err) < 0 || (!self && outranks_or_equals(c, a, who, &u, err) < 0))
		return -1;
	if (self && p->right_profile)
		return forbid(err, "You can not edit your own right profile.");
	if (self && p->root_office)
		return forbid(err, "You can not edit your own root office.");
	if (!self && p->selected_office)
		return forbid(err, "The selected office can only be changed by the employee.");
	if (!self && (p->first_name.ptr || p->last_name.ptr))
		return forbid(err, "Only the employee can change their own name.");
	if (p->first_name.ptr)
		u.first_name = p->first_name;
	if (p->last_name.ptr)
		u.last_name = p->last_name;
	if (p->personal_number.ptr)
		u.personal_number = p->personal_number;
	if (p->phone_number.ptr)
		u.phone = p->phone_number;
	if (p->right_profile) {
		struct right_profile rp;
		if (store_right_profile_get(c->store, a, who->user.company_id, p->right_profile, &rp, err) < 0) {
			if (err->kind != ERROR_NOT_FOUND)
				return -1;
			error_forget(err);
			return error_field(err, "right_profile", RULE_RANGE, "no right profile %lld",
					   (long long)p->right_profile);
		}
		/* as with profiles themselves: nobody hands out a right they do not hold */
		for (size_t i = 0; rp.id != u.right_profile_id && i < rp.nrights; i++) {
			char *r = arena_strdup_str(a, rp.rights[i]);
			if (!caller_has_right(who, r))
				return error_set(err, ERROR_FORBIDDEN, "PermissionDenied",
						 "You can not give the right profile %.*s: it has the right %s, which you do not have.",
						 STR_FMT(rp.name), r);
		}
		u.right_profile_id = rp.id;
	}
	if (p->root_office) {
		struct office o;
		if (visible_office(c, a, who, p->root_office, &o, err) < 0) {
			if (err->kind != ERROR_NOT_FOUND)
				return -1;
			error_forget(err);
			return error_field(err, "root_office", RULE_RANGE, "no office %lld is visible to you",
					   (long long)p->root_office);
		}
		u.root_office_id = o.id;
		u.selected_office_id = o.id; /* a new root office resets the selected one (§9) */
	}
	if (p->selected_office) {
		struct office o;
		if (visible_office(c, a, who, p->selected_office, &o, err) < 0) {
			if (err->kind != ERROR_NOT_FOUND)
				return -1;
			error_forget(err);
			return error_field(err, "selected_office", RULE_RANGE,
					   "the selected office must be at or below your root office");
		}
		u.selected_office_id = o.id;
	}
	IN_TRANSACTION(c, err, store_user_update(c->store, &u, err));
	return store_user_get(c->store, a, id, out, err);
}

int org_employee_delete(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct error *err)
{
	struct user u;
	if (caller_require_right(who, RIGHT_EMPLOYEES, err) < 0)
		return -1;
	if (visible_employee(c, a, who, id, &u, err) < 0)
		return -1;
	if (u.id == who->user.id)
		return forbid(err, "You can not delete yourself.");
	if (outranks_or_equals(c, a, who, &u, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, store_user_delete(c->store, id, err));
	return 0;
}

int org_api_user_allowed(const struct caller *who, struct error *err)
{
	return caller_require_right(who, RIGHT_EMPLOYEES, err);
}

int org_api_user_create(struct core *c, struct arena *a, const struct caller *who, struct str password_hash,
			struct str username, int64_t *id, struct error *err)
{
	struct user_insert u;
	int64_t profile;

	if (org_api_user_allowed(who, err) < 0)
		return -1;
	if (store_right_profile_default(c->store, who->user.company_id, "employee", &profile, err) < 0)
		return -1;
	memset(&u, 0, sizeof(u));
	u.kind = USER_EMPLOYEE;
	u.username = username;
	u.password_hash = password_hash;
	u.first_name = STR_LIT("API");
	u.last_name = STR_LIT("user");
	u.company_id = who->user.company_id;
	u.right_profile_id = profile;
	u.root_office_id = who->user.selected_office_id;
	u.api_user = true;
	(void)a;
	IN_TRANSACTION(c, err, store_user_insert(c->store, &u, id, err));
	return 0;
}

/* ---- right profiles ---- */

int org_right_profile_list(struct core *c, struct arena *a, const struct caller *who, struct right_profile **out,
			   size_t *n, struct error *err)
{
	return store_right_profile_list(c->store, a, who->user.company_id, out, n, err);
}

/* Every right must exist, and nobody grants a right they do not hold themselves. */
static int check_rights(const struct caller *who, const struct str *rights, size_t n, struct error *err)
{
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof(path), "rights[%zu]", i);
		if (!right_exists(rights[i]))
			error_field(err, path, RULE_ENUM, "\"%.*s\" is not a right (see GET /api/v1/rights/)",
				    (int)(rights[i].len > 80 ? 80 : rights[i].len), rights[i].ptr);
	}
	if (error_failed(err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *r = arena_strdup_str(err->arena, rights[i]);
		if (!caller_has_right(who, r))
			return error_set(err, ERROR_FORBIDDEN, "PermissionDenied",
					 "You can not grant the right %s, which you do not have.", r);
	}
	return 0;
}

int org_right_profile_create(struct core *c, struct arena *a, const struct caller *who, struct str name,
			     const struct str *rights, size_t n, struct right_profile *out, struct error *err)
{
	int64_t id;
	if (caller_require_right(who, RIGHT_PROFILE_CREATE, err) < 0 || check_rights(who, rights, n, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, store_right_profile_insert(c->store, who->user.company_id, name, rights, n, &id, err));
	return store_right_profile_get(c->store, a, who->user.company_id, id, out, err);
}

int org_right_profile_update(struct core *c, struct arena *a, const struct caller *who, int64_t id,
			     struct str name, const struct str *rights, size_t n, struct right_profile *out,
			     struct error *err)
{
	struct right_profile rp;
	if (caller_require_right(who, RIGHT_PROFILE_UPDATE, err) < 0)
		return -1;
	if (store_right_profile_get(c->store, a, who->user.company_id, id, &rp, err) < 0)
		return -1;
	if (rp.company_id == 0)
		return forbid(err, "Common right profiles can not be changed.");
	if (check_rights(who, rights, n, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, store_right_profile_update(c->store, id, name, rights, n, err));
	return store_right_profile_get(c->store, a, who->user.company_id, id, out, err);
}

int org_right_profile_delete(struct core *c, const struct caller *who, int64_t id, struct error *err)
{
	if (caller_require_right(who, RIGHT_PROFILE_DELETE, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, store_right_profile_delete(c->store, who->user.company_id, id, err));
	return 0;
}

/* ---- user notes ---- */

static int consumer_exists(struct core *c, struct arena *a, int64_t id, struct error *err)
{
	struct user u;
	if (store_user_get(c->store, a, id, &u, err) < 0 || u.kind != USER_CONSUMER) {
		if (err->kind != ERROR_NONE && err->kind != ERROR_NOT_FOUND)
			return -1;
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such user profile");
	}
	return 0;
}

int org_note_list(struct core *c, struct arena *a, const struct caller *who, int64_t user_profile,
		  struct user_note **out, size_t *n, struct error *err)
{
	if (consumer_exists(c, a, user_profile, err) < 0)
		return -1;
	return store_note_list(c->store, a, who->user.company_id, user_profile, out, n, err);
}

int org_note_create(struct core *c, struct arena *a, const struct caller *who, int64_t user_profile,
		    struct str text, struct user_note *out, struct error *err)
{
	int64_t id;
	if (consumer_exists(c, a, user_profile, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, store_note_insert(c->store, who->user.company_id, user_profile, who->user.id, text, &id, err));
	return store_note_get(c->store, a, who->user.company_id, id, out, err);
}

int org_note_update(struct core *c, struct arena *a, const struct caller *who, int64_t id, struct str text,
		    struct user_note *out, struct error *err)
{
	if (text.ptr) /* absent: nothing to change, answer the note as it is */
		IN_TRANSACTION(c, err, store_note_update(c->store, who->user.company_id, id, text, err));
	return store_note_get(c->store, a, who->user.company_id, id, out, err);
}

int org_note_delete(struct core *c, const struct caller *who, int64_t id, struct error *err)
{
	IN_TRANSACTION(c, err, store_note_delete(c->store, who->user.company_id, id, err));
	return 0;
}

/* ---- existing tenants ---- */

static int tenant_rows(struct core *c, const struct caller *who, const struct tenant_op *ops, size_t n,
		       int64_t *created, int64_t *deleted, struct error *err)
{
	for (size_t i = 0; i < n; i++) {
		int changed = 0;
		int rc = ops[i].remove ? store_tenant_remove(c->store, who->user.company_id, ops[i].ssn, &changed, err)
				       : store_tenant_add(c->store, who->user.company_id, ops[i].ssn, &changed, err);
		if (rc < 0)
			return -1;
		if (changed)
			(*(ops[i].remove ? deleted : created))++;
	}
	return 0;
}

int org_existing_tenants(struct core *c, const struct caller *who, const struct tenant_op *ops, size_t n,
			 int64_t *created, int64_t *deleted, struct error *err)
{
	*created = *deleted = 0;
	if (caller_require_right(who, RIGHT_ORGANIZATION, err) < 0)
		return -1;
	IN_TRANSACTION(c, err, tenant_rows(c, who, ops, n, created, deleted, err));
	return 0;
}

static bool valid_date(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int max;
	if (m < 1 || m > 12 || d < 1)
		return false;
	max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	/* samordningsnummer: day + 60 */
	if (d > 60)
		d -= 60;
	return d <= max;
}

int ssn_normalise(struct arena *a, struct str in, struct str *out)
{
	char digits[13];
	size_t nd = 0;
	char sep = 0;
	int y, m, d, sum = 0;
	char *res;

	in = str_trim(in);
	for (size_t i = 0; i < in.len; i++) {
		char ch = in.ptr[i];
		if (ch >= '0' && ch <= '9') {
			if (nd == 12)
				return -1;
			digits[nd++] = ch;
		} else if ((ch == '-' || ch == '+') && !sep && in.len - i == 5) {
			sep = ch;
		} else {
			return -1;
		}
	}
	if (nd != 10 && nd != 12)
		return -1;
	res = arena_alloc(a, 13);
	if (nd == 12) {
		memcpy(res, digits, 12);
	} else {
		/* the century from today's date; '+' means a hundred years older */
		time_t now = (time_t)core_now();
		struct tm tm;
		int yy = (digits[0] - '0') * 10 + (digits[1] - '0');
		int this_year;
		int century;
		gmtime_r(&now, &tm);
		this_year = tm.tm_year + 1900;
		century = this_year / 100;
		if (century * 100 + yy > this_year)
			century--;
		if (sep == '+')
			century--;
		res[0] = (char)('0' + century / 10);
		res[1] = (char)('0' + century % 10);
		memcpy(res + 2, digits, 10);
	}
	res[12] = '\0';
	y = (res[0] - '0') * 1000 + (res[1] - '0') * 100 + (res[2] - '0') * 10 + (res[3] - '0');
	m = (res[4] - '0') * 10 + (res[5] - '0');
	d = (res[6] - '0') * 10 + (res[7] - '0');
	if (!valid_date(y, m, d))
		return -1;
	/* Luhn over the last ten digits */
	for (int i = 0; i < 10; i++) {
		int v = (res[2 + i] - '0') * ((i % 2 == 0) ? 2 : 1);
		sum += v > 9 ? v - 9 : v;
	}
	if (sum % 10 != 0)
		return -1;
	*out = (struct str){ res, 12 };
	return 0;
}
