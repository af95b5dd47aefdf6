#!/usr/bin/env python3
"""Guard for `make test`: every suite is configured, and every configured test really ran.

    scripts/check-suites.py BUILD_DIR                           before `meson test`
    scripts/check-suites.py BUILD_DIR --ran [--no-suite S]...   after it

Before: the build directory must define a test for every tests/unit/test_*.c and
tests/api/test_*.c (twice: suite api on SQLite, api_pg on PostgreSQL), every tests/pg/test_*.c,
the e2e suites (e2e and e2e_pg) and every tests/browser/test_*.py. A build/ configured by
`make run` without Criterion has none of them; this makes sure `make test` switched them on
instead of running an empty or partial list and reporting success.

After (--ran): meson's log of the last run (BUILD_DIR/meson-logs/testlog.json) must hold a
passing result for every configured test; a skipped test (exit status 77, e.g. the browser
test without chromium) is a failure here, since `make test` installs everything it needs. The
suites the run left out on purpose (meson test --no-suite S, the Makefile's PENDING_SUITES) are
named the same way here and not required.
"""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def configured(build):
    out = subprocess.run(['meson', 'introspect', '--tests', build], check=True, capture_output=True,
                         text=True).stdout
    return {t['name']: t['suite'] for t in json.loads(out)}  # suites read 'rentd:unit'


def expected():
    def stems(pattern):
        return [os.path.basename(f)[len('test_'):].rsplit('.', 1)[0]
                for f in glob.glob(os.path.join(ROOT, 'tests', pattern))]
    want = {t: 'unit' for t in stems('unit/test_*.c')}
    want.update({'api_' + t: 'api' for t in stems('api/test_*.c')})
    want.update({'api_pg_' + t: 'api_pg' for t in stems('api/test_*.c')})  # through tests/pg/pg_cluster.py
    want['e2e'] = 'e2e'
    want.update({'e2e_pg_' + t: 'e2e_pg' for t in ('lottery_verify', 'letting_processes', 'webhooks_receiver')})
    want.update({t: 'pg' for t in stems('pg/test_*.c')})  # run by tests/pg/pg_cluster.py
    want.update({'browser_' + t: 'browser' for t in stems('browser/test_*.py')})
    want['openapi_validator'] = 'unit'  # tests/openapi/test_validate_responses.py
    want['openapi_lint'] = 'openapi'  # tests/openapi/lint_documents.py
    want.update({t: 's3' for t in ('storage_s3', 'media_s3', 'media_s3_pg')})  # run by tests/s3/s3_server.py
    return want


def main():
    args = sys.argv[2:]
    ran = args[:1] == ['--ran']
    flags = args[1:] if ran else args  # --no-suite S pairs, after --ran only
    if len(sys.argv) < 2 or (flags and not ran) or len(flags) % 2 or flags[0::2] != ['--no-suite'] * (len(flags) // 2):
        sys.exit(__doc__)
    skipped = flags[1::2]
    build = sys.argv[1]
    tests = configured(build)
    if not ran:
        missing = sorted(n for n, suite in expected().items()
                         if n not in tests or 'rentd:' + suite not in tests[n])
        if missing:
            sys.exit(f'check-suites: {build} has no test for: {" ".join(missing)} '
                     f'({len(tests)} tests configured; is it configured with -Dtests=true?)')
        print(f'check-suites: {build}: all {len(tests)} tests configured')
        return
    results = {}
    with open(os.path.join(build, 'meson-logs', 'testlog.json')) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)  # its names read 'rentd:unit / arena'
                results[r['name'].split(' / ', 1)[-1]] = r['result']
    required = {n for n, suites in tests.items() if not any('rentd:' + s in suites for s in skipped)}
    bad = sorted(f'{n} ({results.get(n, "did not run")})' for n in required
                 if results.get(n) not in ('OK', 'EXPECTEDFAIL'))
    if bad:
        sys.exit(f'check-suites: {build}: not passed: {", ".join(bad)}')
    left = f' ({len(tests) - len(required)} of suites {", ".join(skipped)} left out)' if skipped else ''
    print(f'check-suites: {build}: all {len(required)} tests ran and passed{left}')


if __name__ == '__main__':
    main()
