/*
 * migrations.h — the numbered SQL migrations compiled into the binary.
 *
 * Generated at build time from src/store/migrations/sqlite/NNNN_name.sql by
 * tools/embed_migrations.py: add a file with the next number, never edit one
 * that has shipped.
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

extern const struct migration store_migrations[];
extern const size_t store_migrations_count;

#endif
