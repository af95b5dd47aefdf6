/*
 * store_copy.h — `rentd copy`: a whole SQLite installation into a new PostgreSQL database
 * (issue 17), every row checked.
 *
 * The source must be at this binary's latest schema version and is only read, in one read
 * snapshot. The destination is migrated to the latest version and must hold nothing but what
 * its migrations wrote (reference data, which the copy replaces with the source's). Every
 * table of the destination's schema is copied in foreign-key order, in one transaction that
 * commits only when each table's row count and checksum read back from the destination equal
 * the source's. How, and why so: store_copy.c's opening comment and docs/DECISIONS.md.
 */
#ifndef RENTD_STORE_COPY_H
#define RENTD_STORE_COPY_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"

struct store_copy_table {
	const char *name;
	int64_t rows;        /* the source's */
	char checksum[17];   /* the source's, 16 hex digits (store_copy_sum_hex) */
	bool ok;             /* the destination's count and checksum are the same */
};

struct store_copy_result {
	struct store_copy_table *tables; /* in the order copied; as far as verified when it failed */
	size_t ntables;
	int64_t rows;
	int migrations_applied; /* to the destination, before the copy */
};

/* Called every few seconds while a table is copied ("copy") or read back ("verify"). */
typedef void (*store_copy_progress)(void *arg, const char *phase, const char *table, int64_t done, int64_t total);

/*
 * Copies the SQLite database file sqlite_file into the PostgreSQL database pg_url. 0, or -1
 * with err saying why (a table's mismatch names the table) and nothing committed to the
 * destination but its migrations. out's strings are in a.
 */
int store_copy(const char *sqlite_file, const char *pg_url, struct arena *a, store_copy_progress progress,
	       void *progress_arg, struct store_copy_result *out, struct error *err);

/*
 * The parts, exposed for tests/unit/test_store_copy.c.
 *
 * A table's checksum: each row's values in one canonical form (see store_copy.c) hashed with
 * SHA-256, and the row digests added up as 256-bit numbers: the sum does not depend on the
 * order the rows are read in (PostgreSQL orders text by its collation, SQLite by bytes).
 */
struct store_copy_sum {
	unsigned char sum[32]; /* little-endian */
	int64_t rows;
};

struct store_copy_row {
	crypto_hash_sha256_state st;
};

void store_copy_row_begin(struct store_copy_row *r);
/* One column's value in canonical text form; p NULL is SQL NULL (distinct from ""). */
void store_copy_row_value(struct store_copy_row *r, const void *p, size_t n);
void store_copy_row_end(struct store_copy_row *r, struct store_copy_sum *s);
bool store_copy_sum_eq(const struct store_copy_sum *a, const struct store_copy_sum *b);
/* The first 8 bytes of SHA-256(rows, sum) in hex: what is printed. */
void store_copy_sum_hex(const struct store_copy_sum *s, char out[17]);

/*
 * The copying order of n tables (0 … n-1, by name) given foreign keys edges[i] = { child,
 * parent }: a parent before its children, ties and cycles broken by the lower index. Fills
 * order[n] and backward[nedges]: true for an edge whose parent comes at or after its child
 * (a self-reference, or a cycle), whose constraint must be deferred during the copy.
 */
void store_copy_order(size_t n, const size_t (*edges)[2], size_t nedges, size_t *order, bool *backward);

#endif
