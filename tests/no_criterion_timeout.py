#!/usr/bin/env python3
"""No Criterion test or suite may set `.timeout`: meson's timeout (with tests/watchdog.py) bounds them.

    no_criterion_timeout.py TESTS_DIR

Why: Criterion 2.4.1 with BoxFort (Debian 12's libcriterion3) enforces `.timeout` from its runner
with a killer thread; when tests reach their timeout its runner can deadlock. The main thread then
waits on a mutex for good, with no thread left to reap the children, and the suite sits until
meson's own timeout kills it, with no report of which test was slow. Under CPU contention (ASan,
a busy machine) ordinary tests pass 60 s, so this turned slowness into hangs of whole suites
(api_employees, api_profiles, api_accounts_contacts in a fresh-root `make test`). A minimal
reproduction: 40 tests under ASan with `.timeout = 0.3` that each run for 4 s, `--jobs 2`.
"""
import glob
import os
import re
import sys

TIMEOUT = re.compile(r'\.timeout\s*=')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bad = []
    for path in sorted(glob.glob(os.path.join(sys.argv[1], '**', '*.c'), recursive=True)):
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                if TIMEOUT.search(line):
                    bad.append(f'{os.path.relpath(path, sys.argv[1])}:{n}: {line.strip()}')
    if bad:
        print('Criterion .timeout found (see this script for why it must not be used; meson\'s timeout in '
              'tests/meson.build bounds every suite):', *bad, sep='\n  ')
        sys.exit(1)
    print('no Criterion .timeout in', sys.argv[1])


if __name__ == '__main__':
    main()
