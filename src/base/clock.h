/*
 * clock.h — the process's one time source: Unix time (UTC) in microseconds.
 *
 * It is the real time, unless a test fixed it (clock_fix: the C tests of deadlines) or moved it
 * forward (clock_advance: `rentd serve --test-clock`, docs/DECISIONS.md). Everything that
 * decides with "now" reads it: the rules through core_now() / core_now_us() (core/core.h, their
 * name for it), the job queue's due times, the store's record times (store_bind_now). Logs,
 * the HTTP Date header and other transport stamps keep the real time: they say when something
 * really happened. Process-wide, like the time itself; safe from any thread.
 */
#ifndef RENTD_BASE_CLOCK_H
#define RENTD_BASE_CLOCK_H

#include <stdint.h>

/* The time: the fixed instant or the real time, plus what it was moved forward by. */
int64_t clock_now_us(void);
/* Fixes the time at us (µs since the epoch); 0 gives the real time back. Either clears the advance. */
void clock_fix(int64_t us);
/* Moves the time forward by us (> 0) from now on; the new time. */
int64_t clock_advance(int64_t us);
/* How far the time has been moved forward in all (µs, 0 when never). */
int64_t clock_advanced_us(void);

#endif
