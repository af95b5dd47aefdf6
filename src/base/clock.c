/* The process's one time source (clock.h). */
#include "base/clock.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic int64_t fixed_us;    /* 0: the real time */
static _Atomic int64_t advanced_us; /* moved forward by, in all */

int64_t clock_now_us(void)
{
	int64_t fixed = atomic_load(&fixed_us);
	struct timespec ts;

	if (!fixed) {
		clock_gettime(CLOCK_REALTIME, &ts);
		fixed = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	return fixed + atomic_load(&advanced_us);
}

void clock_fix(int64_t us)
{
	atomic_store(&fixed_us, us);
	atomic_store(&advanced_us, 0);
}

int64_t clock_advance(int64_t us)
{
	if (us > 0)
		atomic_fetch_add(&advanced_us, us);
	return clock_now_us();
}

int64_t clock_advanced_us(void)
{
	return atomic_load(&advanced_us);
}
