/*
 * migrations.h — the numbered SQL migrations compiled into the binary, one set per backend.
 *
 * Generated at build time from src/store/migrations/sqlite/NNNN_name.sql and
 * src/store/migrations/pg/NNNN_name.sql by tools/embed_migrations.py, which fails the build
 * unless both sets have the same versions and names: add a file with the next number to each,
 * never edit one that has shipped. store_migrate() applies the set of the store's backend.
 */
#ifndef RENTD_MIGRATIONS_H
#define RENTD_MIGRATIONS_H

#include <stddef.h>
#include <stdint.h>

struct migration {
	int64_t version;
	const char *name;
	const char *sql;
};

extern const struct migration store_migrations_sqlite[];
extern const size_t store_migrations_sqlite_count;
extern const struct migration store_migrations_pg[];
extern const size_t store_migrations_pg_count;

/* The set for db_backend_name()'s name ("sqlite", "postgresql"); NULL for any other. */
const struct migration *store_migrations_of(const char *backend, size_t *count);

#endif
