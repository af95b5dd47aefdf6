/*
 * store_epoch.h — the kept epoch (store_epoch.c): a number that moves whenever the database
 * may have changed, under which the store keeps the versions of kept answers and the core
 * keeps answers that have no version of their own. Used by the store; the core asks
 * store_kept_epoch() (store.h).
 */
#ifndef RENTD_STORE_EPOCH_H
#define RENTD_STORE_EPOCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

struct db;
struct store_epoch;

/* notifies: the backend has notifications (db_has_notifications): a listener thread; else data_version. */
struct store_epoch *store_epoch_new(const char *database, bool notifies);
void store_epoch_free(struct store_epoch *e);

/* db_on_write's hook: this process committed a write. */
void store_epoch_wrote(void *arg);

/* The epoch now (db: the calling thread's connection), 0 when nothing may be kept or taken. */
uint64_t store_epoch_now(struct store_epoch *e, struct db *db);
/* A value of len bytes kept under (key, epoch): true and out filled. */
bool store_epoch_get(struct store_epoch *e, uint64_t epoch, struct str key, void *out, size_t len);
void store_epoch_keep(struct store_epoch *e, uint64_t epoch, struct str key, const void *value, size_t len);

/* For tests: the listener is connected. */
bool store_epoch_listening(struct store_epoch *e);

#endif
