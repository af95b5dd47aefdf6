#!/usr/bin/env python3
"""A throwaway PostgreSQL 15 for a test run (issue 17), from Debian's postgresql-15 package.

    tests/pg/pg_cluster.py COMMAND [ARGS...]

initdb's a cluster in a new temporary directory, starts it with pg_ctl (no system service, no
TCP: a Unix socket in that directory), runs COMMAND with RENTD_TEST_PG_URL set to the cluster's
URL (also printed on stderr), then stops the cluster and removes the directory, whatever
COMMAND did. Exits with COMMAND's status.

PostgreSQL refuses to run as root. Run by root (a fresh Debian machine runs `make test` as
root), the cluster belongs to the unprivileged user `nobody`, which every Debian system has
(base-passwd): the directory is chowned to it and initdb, pg_ctl and postgres run with its uid
and gid (subprocess's user=/group=, no su or sudo needed). The test, still root, connects
through the socket as the database superuser "rentd". Run by anyone else, the cluster is
simply theirs.

The binaries are found in /usr/lib/postgresql/15/bin (or RENTD_PG_BIN); missing, this fails
and names the package: `make test` installs it (scripts/install-deps.sh test).

For a test that kills the server (tests/pg/test_pg_multi.py), COMMAND also gets
RENTD_TEST_PG_DATA, the data directory (the postmaster's pid is the first line of its
postmaster.pid), and RENTD_TEST_PG_RESTART, a command line (shlex) that starts the cluster
again after it died and waits until it accepts connections:

    tests/pg/pg_cluster.py --restart DATADIR

runs pg_ctl start as the data directory's owner (nobody when this runs as root), retrying for
up to 60 s while the dead postmaster's children still hold its shared memory; the cluster is
stopped and removed as usual when COMMAND ends.
"""
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PG_BIN = os.environ.get('RENTD_PG_BIN', '/usr/lib/postgresql/15/bin')
PORT = 5432  # only names the socket file; the socket lies in the private directory
SETTINGS = [
    "listen_addresses = ''",
    # a connection per thread that uses the store: an API test's harness a few (the test, the
    # writer, the pool, job workers), but `rentd serve` one per HTTP worker (one per CPU by
    # default) besides, and test_letting_processes runs two servers: 40 would not do on a
    # many-core machine. An idle slot costs a few kB of shared memory.
    'max_connections = 300',
    'shared_buffers = 16MB',
    # a throwaway cluster: nothing to survive a crash of the machine
    'fsync = off',
    'full_page_writes = off',
    # mmap files in the data directory rather than /dev/shm, which a chroot may lack
    'dynamic_shared_memory_type = mmap',
    "log_min_messages = warning",
    "timezone = 'UTC'",
]


def restart(data):
    """pg_ctl start on DATADIR (a cluster this script made, whose server died) as its owner."""
    top = os.path.dirname(os.path.abspath(data))
    as_user = {}
    if os.geteuid() == 0:
        st = os.stat(data)
        as_user = {'user': st.st_uid, 'group': st.st_gid, 'extra_groups': []}
    env = dict(os.environ, LC_ALL='C', LANG='C', PGTZ='UTC')
    env.pop('PGDATA', None)
    deadline = time.monotonic() + 60
    while True:
        r = subprocess.run([os.path.join(PG_BIN, 'pg_ctl'), '-D', data, '-l', os.path.join(top, 'postgres.log'),
                            '-w', '-t', '60', 'start'], cwd=top, env=env, capture_output=True, text=True,
                           **as_user)
        if r.returncode == 0:
            return 0
        if time.monotonic() > deadline:
            print(f'pg_cluster: pg_ctl start failed:\n{r.stdout}{r.stderr}', file=sys.stderr)
            return 1
        time.sleep(0.2)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--restart':
        return restart(sys.argv[2])
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for tool in ('initdb', 'pg_ctl', 'postgres'):
        if not os.access(os.path.join(PG_BIN, tool), os.X_OK):
            print(f'pg_cluster: {PG_BIN}/{tool} is missing: install postgresql-15 '
                  '(scripts/install-deps.sh test)', file=sys.stderr)
            return 1

    # meson's timeout and ^C end the run with a signal: stop and remove the cluster then too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    as_user = {}
    if os.geteuid() == 0:
        pw = pwd.getpwnam('nobody')
        as_user = {'user': pw.pw_uid, 'group': pw.pw_gid, 'extra_groups': []}
        # /tmp, not $TMPDIR: nobody must be able to reach the directory
        top = tempfile.mkdtemp(prefix='rentd-pg-', dir='/tmp')
        os.chown(top, pw.pw_uid, pw.pw_gid)
    else:
        top = tempfile.mkdtemp(prefix='rentd-pg-')
    os.chmod(top, 0o700)
    data = os.path.join(top, 'data')
    log = os.path.join(top, 'postgres.log')
    env = dict(os.environ, LC_ALL='C', LANG='C', PGTZ='UTC')
    env.pop('PGDATA', None)

    def pg(*args, **kw):
        return subprocess.run([os.path.join(PG_BIN, args[0]), *args[1:]], cwd=top, env=env,
                              **as_user, **kw)

    started = False
    try:
        r = pg('initdb', '-D', data, '-U', 'rentd', '-A', 'trust', '-E', 'UTF8', '--locale=C',
               '--no-sync', capture_output=True, text=True)
        if r.returncode != 0:
            print(f'pg_cluster: initdb failed:\n{r.stdout}{r.stderr}', file=sys.stderr)
            return 1
        with open(os.path.join(data, 'postgresql.conf'), 'a') as f:
            f.write('\n'.join(SETTINGS + [f"unix_socket_directories = '{top}'", f'port = {PORT}']) + '\n')
        r = pg('pg_ctl', '-D', data, '-l', log, '-w', '-t', '60', 'start', capture_output=True, text=True)
        if r.returncode != 0:
            print(f'pg_cluster: pg_ctl start failed:\n{r.stdout}{r.stderr}', file=sys.stderr)
            if os.path.exists(log):
                print(open(log).read(), file=sys.stderr)
            return 1
        started = True
        url = f'postgresql://rentd@/postgres?host={top}&port={PORT}'
        print(f'pg_cluster: PostgreSQL at {url}', file=sys.stderr)
        again = shlex.join([sys.executable, os.path.abspath(__file__), '--restart', data])
        return subprocess.run(sys.argv[1:], env=dict(os.environ, RENTD_TEST_PG_URL=url, RENTD_TEST_PG_DATA=data,
                                                     RENTD_TEST_PG_RESTART=again)).returncode
    finally:
        if started:
            r = pg('pg_ctl', '-D', data, '-m', 'fast', '-w', 'stop', capture_output=True, text=True)
            if r.returncode != 0:
                print(f'pg_cluster: pg_ctl stop failed:\n{r.stdout}{r.stderr}', file=sys.stderr)
                pg('pg_ctl', '-D', data, '-m', 'immediate', '-w', 'stop', capture_output=True)
        shutil.rmtree(top, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
