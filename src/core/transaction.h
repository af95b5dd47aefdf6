/*
 * transaction.h — the one way core runs a write: all of it lands, or none.
 *
 * IN_TRANSACTION(c, err, body) opens a write transaction on c's store, evaluates body (an
 * int expression, < 0 on failure with err set), rolls back when it failed and commits
 * otherwise. On any failure the enclosing function returns -1; on success the statement
 * after it runs once the change is committed. For core/ only: a dialect never opens one.
 */
#ifndef RENTD_TRANSACTION_H
#define RENTD_TRANSACTION_H

#include "base/error.h"
#include "core/core.h"
#include "store/store.h"

/* Ends the transaction body opened: rc < 0 rolls back and returns -1 (err kept), else commits. */
static inline int core_transaction_end(struct core *c, int rc, struct error *err)
{
	if (rc < 0) {
		store_rollback(c->store);
		return -1;
	}
	return store_commit(c->store, err) < 0 ? -1 : 0;
}

#define IN_TRANSACTION(c, err, body)                                                                   \
	do {                                                                                           \
		if (store_begin((c)->store, (err)) < 0 || core_transaction_end((c), (body), (err)) < 0) \
			return -1;                                                                     \
	} while (0)

#endif
