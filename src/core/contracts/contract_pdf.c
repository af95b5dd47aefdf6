/* The lease document, drawn with cairo's PDF surface (contract_pdf.h). */
#include "core/contracts/contract_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 56.0
#define FONT "DejaVu Sans"

static const char *const party_names[] = { "LANDLORD", "TENANT", "WARRANTOR" };
static const char *const party_titles[] = { "Hyresvärd", "Hyresgäst", "Borgensman" };

const char *contract_party_type_name(enum contract_party_type t)
{
	return party_names[t];
}

int contract_party_type_from_name(struct str name, enum contract_party_type *out)
{
	for (size_t i = 0; i < sizeof(party_names) / sizeof(party_names[0]); i++)
		if (str_eq_cstr(name, party_names[i])) {
			*out = (enum contract_party_type)i;
			return 0;
		}
	return -1;
}

/* UTF-8 without control characters (what a document line and the signed record can hold). */
static bool text_ok(struct str s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0;

	if (s.len > max)
		return false;
	while (i < s.len) {
		unsigned c = p[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (n == 0 || i + n > s.len || (n == 2 && c < 0xc2) || (n == 4 && c > 0xf4))
			return false;
		if (n == 1 && (c < 0x20 || c == 0x7f))
			return false;
		for (size_t k = 1; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

static int check_doc(const struct contract_doc *d, struct error *err)
{
	const struct {
		const char *name;
		struct str v;
	} texts[] = {
		{ "uuid", d->uuid },
		{ "landlord_name", d->landlord_name },
		{ "landlord_org_number", d->landlord_org_number },
		{ "street", d->street },
		{ "street_number", d->street_number },
		{ "zip_code", d->zip_code },
		{ "city", d->city },
		{ "apartment_number", d->apartment_number },
		{ "access_date", d->access_date },
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!text_ok(texts[i].v, CONTRACT_TEXT_MAX))
			error_field(err, texts[i].name, RULE_FORMAT, "must be UTF-8 text of at most %d bytes without control characters",
				    CONTRACT_TEXT_MAX);
	if (!text_ok(d->verify_url, CONTRACT_URL_MAX))
		error_field(err, "verify_url", RULE_FORMAT, "must be UTF-8 text of at most %d bytes without control characters",
			    CONTRACT_URL_MAX);
	if (d->nparties == 0 || d->nparties > CONTRACT_PARTIES_MAX)
		error_field(err, "parties", RULE_FORMAT, "a contract has 1 to %d parties", CONTRACT_PARTIES_MAX);
	for (size_t i = 0; i < d->nparties && i < CONTRACT_PARTIES_MAX; i++) {
		const struct contract_party *p = &d->parties[i];
		if (!text_ok(p->first_name, CONTRACT_TEXT_MAX) || !text_ok(p->last_name, CONTRACT_TEXT_MAX) ||
		    !text_ok(p->ssn, CONTRACT_TEXT_MAX) ||
		    (unsigned)p->type > CONTRACT_WARRANTOR)
			error_field(err, "parties", RULE_FORMAT, "party %zu has a bad type or text", i + 1);
	}
	return error_failed(err) ? -1 : 0;
}

struct page {
	cairo_t *cr;
	double y;
};

/* A line of text at x; shrunk to fit the line's width rather than running off the page. */
static void text_at(struct page *pg, double x, double size, bool bold, const char *text)
{
	cairo_text_extents_t ext;
	double avail = PAGE_W - MARGIN - x;

	cairo_select_font_face(pg->cr, FONT, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(pg->cr, size);
	cairo_text_extents(pg->cr, text, &ext);
	if (ext.x_advance > avail && ext.x_advance > 0)
		cairo_set_font_size(pg->cr, fmax(5.0, size * avail / ext.x_advance));
	cairo_move_to(pg->cr, x, pg->y);
	cairo_show_text(pg->cr, text);
}

static void heading(struct page *pg, const char *text)
{
	pg->y += 14;
	text_at(pg, MARGIN, 12, true, text);
	pg->y += 4;
	cairo_set_line_width(pg->cr, 0.5);
	cairo_move_to(pg->cr, MARGIN, pg->y);
	cairo_line_to(pg->cr, PAGE_W - MARGIN, pg->y);
	cairo_stroke(pg->cr);
	pg->y += 16;
}

/* "Label:   value" on one line. */
static void field(struct page *pg, const char *label, const char *value)
{
	text_at(pg, MARGIN, 10, false, label);
	text_at(pg, MARGIN + 150, 10, false, value);
	pg->y += 15;
}

/* 12.5 → "12,5", 3 → "3" (Swedish decimal comma). */
static void number_sv(char *out, size_t size, double v)
{
	char *dot;
	snprintf(out, size, "%.1f", v);
	if ((dot = strchr(out, '.'))) {
		if (dot[1] == '0')
			*dot = '\0';
		else
			*dot = ',';
	}
}

/* 6747 → "6 747" (a space between thousands). */
static void amount_sv(char *out, size_t size, int64_t v)
{
	char digits[32];
	size_t n, k = 0;
	snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? -v : v));
	n = strlen(digits);
	if (v < 0 && k + 1 < size)
		out[k++] = '-';
	for (size_t i = 0; i < n && k + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ' ';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

#define S(x) (int)(x).len, (x).ptr

static void draw(struct page *pg, const struct contract_doc *d)
{
	char line[CONTRACT_URL_MAX + 4 * CONTRACT_TEXT_MAX], num[64], when[32];
	time_t t = (time_t)d->created_at;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d", &tm);

	pg->y = MARGIN + 10;
	text_at(pg, MARGIN, 18, true, "Hyreskontrakt för bostadslägenhet");
	pg->y += 20;
	snprintf(line, sizeof(line), "Kontrakts-id: %.*s", S(d->uuid));
	text_at(pg, MARGIN, 9, false, line);
	pg->y += 13;
	snprintf(line, sizeof(line), "Upprättat: %s", when);
	text_at(pg, MARGIN, 9, false, line);
	pg->y += 10;

	heading(pg, "1. Hyresvärd");
	snprintf(line, sizeof(line), "%.*s", S(d->landlord_name));
	field(pg, "Namn", line);
	snprintf(line, sizeof(line), "%.*s", S(d->landlord_org_number));
	field(pg, "Organisationsnummer", d->landlord_org_number.len ? line : "–");

	heading(pg, "2. Hyresgäst");
	for (size_t i = 0; i < d->nparties; i++) {
		const struct contract_party *p = &d->parties[i];
		if (p->type != CONTRACT_TENANT)
			continue;
		snprintf(line, sizeof(line), "%.*s %.*s", S(p->first_name), S(p->last_name));
		field(pg, "Namn", line);
		snprintf(line, sizeof(line), "%.*s", S(p->ssn));
		field(pg, "Personnummer", p->ssn.len ? line : "–");
	}

	heading(pg, "3. Lägenhet");
	snprintf(line, sizeof(line), "%.*s %.*s, %.*s %.*s", S(d->street), S(d->street_number), S(d->zip_code),
		 S(d->city));
	field(pg, "Adress", line);
	snprintf(line, sizeof(line), "%.*s", S(d->apartment_number));
	field(pg, "Lägenhetsnummer", d->apartment_number.len ? line : "–");
	number_sv(num, sizeof(num), d->rooms);
	snprintf(line, sizeof(line), "%s rum och kök", num);
	field(pg, "Antal rum", line);
	number_sv(num, sizeof(num), d->area);
	snprintf(line, sizeof(line), "%s m²", num);
	field(pg, "Bostadsyta", line);
	number_sv(num, sizeof(num), d->floor);
	field(pg, "Våning", num);

	heading(pg, "4. Hyra");
	amount_sv(num, sizeof(num), d->rent);
	snprintf(line, sizeof(line), "%s kr per månad", num);
	field(pg, "Månadshyra", line);
	field(pg, "Betalning", "I förskott, senast sista vardagen före varje månad");

	heading(pg, "5. Tillträde");
	snprintf(line, sizeof(line), "%.*s", S(d->access_date));
	field(pg, "Tillträdesdag", d->access_date.len ? line : "Enligt överenskommelse");
	field(pg, "Hyrestid", "Tills vidare, med tre månaders ömsesidig uppsägningstid");

	heading(pg, "6. Underskrifter");
	text_at(pg, MARGIN, 9, false, "Parterna undertecknar detta kontrakt digitalt. Varje underskrift och tidpunkt");
	pg->y += 12;
	text_at(pg, MARGIN, 9, false, "registreras av rentd, som därefter förseglar dokumentet med sin egen signatur.");
	pg->y += 22;
	for (size_t i = 0; i < d->nparties; i++) {
		const struct contract_party *p = &d->parties[i];
		if (p->type == CONTRACT_LANDLORD)
			snprintf(line, sizeof(line), "%.*s %.*s för %.*s", S(p->first_name), S(p->last_name),
				 S(d->landlord_name));
		else
			snprintf(line, sizeof(line), "%.*s %.*s", S(p->first_name), S(p->last_name));
		text_at(pg, MARGIN, 10, true, party_titles[p->type]);
		text_at(pg, MARGIN + 150, 10, false, line);
		pg->y += 14;
		cairo_set_line_width(pg->cr, 0.3);
		cairo_move_to(pg->cr, MARGIN + 150, pg->y);
		cairo_line_to(pg->cr, PAGE_W - MARGIN, pg->y);
		cairo_stroke(pg->cr);
		pg->y += 20;
	}
	if (d->verify_url.len) {
		pg->y = PAGE_H - MARGIN;
		snprintf(line, sizeof(line), "Kontrollera kontraktet: %.*s", S(d->verify_url));
		text_at(pg, MARGIN, 8, false, line);
	}
}

int contract_render(const struct contract_doc *doc, struct buf *out, struct error *err)
{
	cairo_surface_t *surface;
	struct page pg = { 0 };
	cairo_status_t st;
	char meta[4 * CONTRACT_TEXT_MAX], date[32];
	time_t t = (time_t)doc->created_at;
	struct tm tm;
	size_t start = out->len;

	if (check_doc(doc, err) < 0)
		return -1;
	surface = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
	snprintf(meta, sizeof(meta), "Hyreskontrakt %.*s", S(doc->uuid));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, meta);
	snprintf(meta, sizeof(meta), "%.*s", S(doc->landlord_name));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, meta);
	snprintf(meta, sizeof(meta), "%.*s %.*s, %.*s %.*s", S(doc->street), S(doc->street_number), S(doc->zip_code),
		 S(doc->city));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, meta);
	snprintf(meta, sizeof(meta), "rentd-contract:%.*s", S(doc->uuid));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, meta);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "rentd");
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm); /* cairo's ISO 8601 form */
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date);

	pg.cr = cairo_create(surface);
	cairo_set_source_rgb(pg.cr, 0, 0, 0);
	draw(&pg, doc);
	cairo_show_page(pg.cr);
	st = cairo_status(pg.cr);
	cairo_destroy(pg.cr);
	cairo_surface_finish(surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		out->len = start;
		return error_set(err, ERROR_INTERNAL, NULL, "cairo could not draw the contract: %s (are fonts installed?)",
				 cairo_status_to_string(st));
	}
	return 0;
}
