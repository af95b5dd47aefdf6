#!/usr/bin/env python3
"""A throwaway S3-compatible server for a test run: s3rver, from the npm registry.

    tests/s3/s3_server.py CACHE_DIR COMMAND [ARGS...]

Installs s3rver as pinned by this folder's package.json and package-lock.json into CACHE_DIR
(a folder under the build directory; `npm ci` once, again only when the lock file changes),
starts it (tests/s3/s3rver_run.js: Signature Version 4 checked with a fresh random key pair)
on a free port of 127.0.0.1 with its data in a new temporary directory and one bucket, runs
COMMAND with

    RENTD_TEST_S3_ENDPOINT    http://127.0.0.1:PORT
    RENTD_TEST_S3_BUCKET      the bucket (rentd-test)
    RENTD_TEST_S3_ACCESS_KEY  the access key id and secret the server accepts
    RENTD_TEST_S3_SECRET_KEY
    RENTD_TEST_S3_DATA        s3rver's data directory: object KEY of the bucket is the file
                              DATA/BUCKET/KEY._S3rver_object

then stops the server and removes the directory, whatever COMMAND did. Exits with COMMAND's
status, or 77 (skipped) when there is no `node` command: `make test` installs Node.js with
scripts/install-deps.sh test.
"""
import fcntl
import hashlib
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUCKET = 'rentd-test'


def install(cache):
    """s3rver in CACHE/node_modules, as the lock file pins it; None or an error message."""
    os.makedirs(cache, exist_ok=True)
    lock = open(os.path.join(HERE, 'package-lock.json'), 'rb').read()
    want = hashlib.sha256(lock + open(os.path.join(HERE, 'package.json'), 'rb').read()).hexdigest()
    stamp = os.path.join(cache, 'installed')
    with open(os.path.join(cache, '.lock'), 'w') as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # suites run in parallel: one installs, the others wait
        if os.path.exists(stamp) and open(stamp).read() == want:
            return None
        if not shutil.which('npm'):
            return 'npm is missing: install it (scripts/install-deps.sh test)'
        for name in ('package.json', 'package-lock.json'):
            shutil.copyfile(os.path.join(HERE, name), os.path.join(cache, name))
        r = subprocess.run(['npm', 'ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
                           cwd=cache, capture_output=True, text=True)
        if r.returncode != 0:
            return 'npm ci failed in %s:\n%s%s' % (cache, r.stdout, r.stderr)
        with open(stamp, 'w') as f:
            f.write(want)
    return None


def start(cache, top, access_key, secret_key):
    """The server's process and port."""
    data = os.path.join(top, 'data')
    os.mkdir(data)
    env = dict(os.environ, S3RVER_ACCESS_KEY=access_key, S3RVER_SECRET_KEY=secret_key)
    env.pop('S3RVER_PORT', None)
    proc = subprocess.Popen(['node', os.path.join(HERE, 's3rver_run.js'), cache, data, BUCKET], cwd=top, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    line = b''
    while not line.endswith(b'\n'):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            raise RuntimeError('s3rver did not start within 60 s')
        chunk = os.read(proc.stdout.fileno(), 1)
        if not chunk:
            raise RuntimeError('s3rver exited at start (%s)' % proc.wait())
        line += chunk
    if not line.startswith(b'listening '):
        raise RuntimeError('s3rver said %r' % line)
    return proc, int(line.split()[1]), data


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    if not shutil.which('node'):
        print('s3_server: no node command: skipped (scripts/install-deps.sh test installs Node.js)', file=sys.stderr)
        return 77
    cache = os.path.abspath(sys.argv[1])
    problem = install(cache)
    if problem:
        print('s3_server: ' + problem, file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    top = tempfile.mkdtemp(prefix='rentd-s3-')
    proc = None
    try:
        access_key = 'RENTDTEST' + secrets.token_hex(6).upper()
        # AWS secrets are 40 characters of base64, '/' and '+' among them
        secret_key = secrets.token_urlsafe(24)[:30] + '/+' + secrets.token_hex(4)
        proc, port, data = start(cache, top, access_key, secret_key)
        endpoint = 'http://127.0.0.1:%d' % port
        print('s3_server: s3rver at %s, bucket %s' % (endpoint, BUCKET), file=sys.stderr)
        env = dict(os.environ, RENTD_TEST_S3_ENDPOINT=endpoint, RENTD_TEST_S3_BUCKET=BUCKET,
                   RENTD_TEST_S3_ACCESS_KEY=access_key, RENTD_TEST_S3_SECRET_KEY=secret_key,
                   RENTD_TEST_S3_DATA=data)
        return subprocess.run(sys.argv[2:], env=env).returncode
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(top, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
