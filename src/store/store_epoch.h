/*
 * store_epoch.h — the views epoch (store_epoch.c): versions of the kept views, kept in the
 * process while PostgreSQL's notifications say nothing changed. Used by the store only.
 */
#ifndef RENTD_STORE_EPOCH_H
#define RENTD_STORE_EPOCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

struct store_epoch;

/* notifies: the database's backend has notifications (db_has_notifications); else nothing is kept. */
struct store_epoch *store_epoch_new(const char *database, bool notifies);
void store_epoch_free(struct store_epoch *e);

/* db_on_write's hook: this process committed a write. */
void store_epoch_wrote(void *arg);

/*
 * A kept version of len bytes under key: *hit and out filled when it is still true. Returns
 * the epoch to keep a version read now under (store_epoch_keep), 0 when nothing may be kept.
 */
uint64_t store_epoch_kept(struct store_epoch *e, struct str key, void *out, size_t len, bool *hit);
void store_epoch_keep(struct store_epoch *e, struct str key, uint64_t epoch, const void *value, size_t len);

/* For tests: the listener is connected. */
bool store_epoch_listening(struct store_epoch *e);

#endif
