/*
 * contract_pdf.h — the lease document: a plain description of a letting in, a PDF out.
 *
 * contract_render() draws an A4 lease ("Hyreskontrakt för bostadslägenhet") with cairo's PDF
 * surface: the contract id, the landlord (company and organisation number), the tenants, the
 * apartment (address, apartment number, rooms, area, floor), the monthly rent, the access
 * date and one signature line per signatory, under Swedish headings. The document's
 * metadata carries the title ("Hyreskontrakt <uuid>"), the landlord as author, the address
 * as subject and "rentd-contract:<uuid>" as keywords, so a reader (or a test) finds them
 * without parsing the page's text.
 *
 * Pure but for the fonts: the output depends only on doc and on the system's fonts
 * (fontconfig's "DejaVu Sans"; Debian's fonts-dejavu-core); the creation date written is
 * doc->created_at, so the same doc renders the same bytes on the same machine. The bytes
 * are what the signatories sign (core/contracts/contract_seal.h), so a contract is rendered
 * once and stored, never rendered again to be checked.
 */
#ifndef RENTD_CONTRACT_PDF_H
#define RENTD_CONTRACT_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/str.h"

/* HomeQ's signatory_type (homeq.md §13): who a signatory is in the contract. */
enum contract_party_type {
	CONTRACT_LANDLORD,  /* signs for the landlord company */
	CONTRACT_TENANT,
	CONTRACT_WARRANTOR, /* borgensman */
};

#define CONTRACT_PARTIES_MAX 8
#define CONTRACT_TEXT_MAX 256 /* bytes of any one text of the document but the URL (names, streets: <= 254) */
#define CONTRACT_URL_MAX 1024 /* bytes of verify_url (the configured public URL is up to 511) */

/* "LANDLORD", "TENANT", "WARRANTOR"; from_name: 0, or -1 for another name. */
const char *contract_party_type_name(enum contract_party_type t);
int contract_party_type_from_name(struct str name, enum contract_party_type *out);

struct contract_party {
	enum contract_party_type type;
	struct str first_name, last_name;
	struct str ssn; /* personnummer; empty: none (a landlord's signing employee may have none) */
};

struct contract_doc {
	struct str uuid;              /* the contract id, printed and in the metadata */
	int64_t created_at;           /* unix seconds: the document's date and its CreationDate */
	struct str landlord_name;     /* the company */
	struct str landlord_org_number;
	struct str street, street_number, zip_code, city;
	struct str apartment_number;  /* the national apartment number (lägenhetsnummer) */
	double rooms, area, floor;
	int64_t rent;                 /* SEK a month */
	struct str access_date;       /* YYYY-MM-DD; empty: access by agreement */
	struct str verify_url;        /* printed under the signatures; empty: none */
	struct contract_party parties[CONTRACT_PARTIES_MAX];
	size_t nparties;
};

/*
 * Appends the PDF to out (a %PDF-1.5 file, a few tens of kB). ERROR_VALIDATION when a text
 * is longer than CONTRACT_TEXT_MAX (the URL: CONTRACT_URL_MAX), has a control character or
 * is not UTF-8, or when there is no party; ERROR_INTERNAL when cairo fails (no fonts: the message says so).
 */
int contract_render(const struct contract_doc *doc, struct buf *out, struct error *err);

#endif
