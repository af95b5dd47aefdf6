/* The reads of agreements (store_agreements.h). */
#include "store/contracts/store_agreements.h"

#include "store/store_internal.h"

#define AGREEMENT_COLUMNS                                                                                   \
	"SELECT g.id, g.company_id, g.office_id, g.listing_id, g.apartment_id, g.application_id, g.user_id," \
	" g.landlord_user_id, g.contract_uuid, g.created_at, g.signed_at, o.path, c.name, e.city,"          \
	" ap.street_name, ap.street_number,"                                                                 \
	" (SELECT f.key FROM media_links l JOIN file_references r ON r.id = l.reference"                    \
	" JOIN stored_files f ON f.id = r.stored_file_id"                                                    \
	" WHERE l.kind = 'apartment_picture' AND l.apartment_id = g.apartment_id"                           \
	" ORDER BY l.position, l.id LIMIT 1)"                                                                \
	" FROM agreements g JOIN companies c ON c.id = g.company_id"                                         \
	" LEFT JOIN offices o ON o.id = g.office_id"                                                         \
	" LEFT JOIN apartments ap ON ap.id = g.apartment_id LEFT JOIN estates e ON e.id = ap.estate_id"

/*
 * ?1 company (with ?2 <= office path < ?3: the subtree, its final '/' turned into '0'),
 * ?4 tenant, ?5 apartment, ?6 listing, ?7 signed after; NULL switches a test off.
 */
#define AGREEMENT_FILTER                                                                     \
	" WHERE (CAST(?1 AS BIGINT) IS NULL OR (g.company_id = ?1 AND o.path >= ?2 AND o.path < ?3))" \
	" AND (CAST(?4 AS BIGINT) IS NULL OR g.user_id = ?4)"                                 \
	" AND (CAST(?5 AS BIGINT) IS NULL OR g.apartment_id = ?5)"                            \
	" AND (CAST(?6 AS BIGINT) IS NULL OR g.listing_id = ?6)"                              \
	" AND (CAST(?7 AS BIGINT) IS NULL OR g.signed_at > ?7)"

static const char sql_count[] = "SELECT COUNT(*) FROM agreements g LEFT JOIN offices o ON o.id = g.office_id"
				AGREEMENT_FILTER;
static const char sql_page[] = AGREEMENT_COLUMNS AGREEMENT_FILTER " ORDER BY g.id DESC LIMIT ?8 OFFSET ?9";
static const char sql_get[] = AGREEMENT_COLUMNS " WHERE g.id = ?1";

static void read_agreement(struct db_stmt *st, struct arena *a, void *row)
{
	struct agreement_info *g = row;
	g->id = db_col_int(st, 0);
	g->company_id = db_col_int(st, 1);
	g->office_id = db_col_int(st, 2);
	g->listing_id = db_col_int(st, 3);
	g->apartment_id = db_col_int(st, 4);
	g->application_id = db_col_int(st, 5);
	g->user_id = db_col_int(st, 6);
	g->landlord_user_id = db_col_int(st, 7);
	g->contract_uuid = col_str(st, 8, a);
	g->created_at = db_col_int(st, 9);
	g->signed_at = db_col_is_null(st, 10) ? 0 : db_col_int(st, 10);
	g->office_path = db_col_is_null(st, 11) ? STR_LIT("") : col_str(st, 11, a);
	g->company_name = col_str(st, 12, a);
	g->city = db_col_is_null(st, 13) ? STR_LIT("") : col_str(st, 13, a);
	g->street = db_col_is_null(st, 14) ? STR_LIT("") : col_str(st, 14, a);
	g->street_number = db_col_is_null(st, 15) ? STR_LIT("") : col_str(st, 15, a);
	g->display_image = col_str(st, 16, a);
}

static void bind_optional(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

static void bind_filter(struct db_stmt *st, struct arena *a, const struct agreement_filter *f)
{
	bind_optional(st, 1, f->company_id);
	if (f->company_id && f->office_path.len) {
		char *end = arena_strndup(a, f->office_path.ptr, f->office_path.len);
		end[f->office_path.len - 1] = (char)(end[f->office_path.len - 1] + 1); /* '/' + 1 = '0' */
		db_bind_text(st, 2, f->office_path);
		db_bind_text(st, 3, (struct str){ end, f->office_path.len });
	} else {
		/* a company without a subtree sees nothing: an empty range */
		db_bind_text(st, 2, STR_LIT("1"));
		db_bind_text(st, 3, STR_LIT("0"));
	}
	bind_optional(st, 4, f->user_id);
	bind_optional(st, 5, f->apartment_id);
	bind_optional(st, 6, f->listing_id);
	if (f->has_signed_after)
		db_bind_int(st, 7, f->signed_after);
	else
		db_bind_null(st, 7);
}

int store_agreements_list(struct store *s, struct arena *a, const struct agreement_filter *f, int64_t offset,
			  int64_t limit, struct agreement_info **out, size_t *n, int64_t *total, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_count, err);
	int rc;

	*out = NULL;
	*n = 0;
	*total = 0;
	if (!st)
		return -1;
	bind_filter(st, a, f);
	if ((rc = stmt_row(st, err)) < 0)
		return -1;
	if (rc == 1) {
		*total = db_col_int(st, 0);
		db_reset(st);
	}
	if (*total <= offset)
		return 0;
	if (!(st = store_stmt(s, sql_page, err)))
		return -1;
	bind_filter(st, a, f);
	db_bind_int(st, 8, limit);
	db_bind_int(st, 9, offset);
	return stmt_collect(st, a, sizeof(**out), read_agreement, (void **)out, n, err);
}

int store_agreement_get(struct store *s, struct arena *a, int64_t id, struct agreement_info *out, struct error *err)
{
	struct db_stmt *st = store_stmt(s, sql_get, err);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	return stmt_one(st, a, read_agreement, out, "agreement", err);
}
