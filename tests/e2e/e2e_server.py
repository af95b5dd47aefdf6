"""e2e_server.py — what the end-to-end tests that run real `rentd serve` processes share: the
list of failed checks, a free loopback port, a test's database, and a server with its HTTP
calls, kill -9 and stop.

Every server started is in RUNNING; a test's entry point stops them all (stop_all) whatever
happened, so no rentd outlives its test.

The database is SQLite (a file in the test's directory) or, with RENTD_TEST_PG_URL set (by
tests/pg/pg_cluster.py: the suite e2e_pg), a fresh database of its own on that PostgreSQL 15
cluster, reached for the test's own reads and writes through psql (Python has no libpq here).
"""
import csv
import http.client
import io
import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time

failures = []
RUNNING = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PG_URL = os.environ.get("RENTD_TEST_PG_URL")
PSQL = os.path.join(os.environ.get("RENTD_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql")
_NULL = "\x01NULL"  # what psql prints for NULL, told apart from an empty string
_databases = itertools.count(1)


def _pg_url(name):
    """The cluster's URL ("postgresql://user@/db?host=…") with the database name replaced."""
    head, _, rest = PG_URL.partition("://")
    auth, slash, path = rest.partition("/")
    query = path.partition("?")[2]
    return "%s://%s/%s%s" % (head, auth, name, "?" + query if query else "")


def _psql(url, sql, variables=()):
    cmd = [PSQL, "-X", "-q", "--csv", "-t", "-v", "ON_ERROR_STOP=1", "-P", "null=" + _NULL, "-d", url]
    for i, value in enumerate(variables, 1):
        cmd += ["-v", "p%d=%s" % (i, value)]
    r = subprocess.run(cmd, input=sql, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("psql: %s: %s" % (sql, r.stderr.strip()))
    return r.stdout


class Database:
    """A test's database: .arg is what `--database` takes; query/execute run SQL valid on SQLite
    and PostgreSQL 15 with "?" parameters (each a committed statement of its own).

    path: the SQLite file (used without RENTD_TEST_PG_URL); relative paths are the test's."""

    def __init__(self, path):
        self.con = None
        if PG_URL:
            self.name = "rentd_e2e_%d_%d" % (os.getpid(), next(_databases))
            _psql(PG_URL, "CREATE DATABASE %s" % self.name)
            self.arg = _pg_url(self.name)
        else:
            self.arg = path

    def _sqlite(self):
        if self.con is None:
            self.con = sqlite3.connect(self.arg, timeout=30, isolation_level=None)
        return self.con

    def query(self, sql, params=()):
        """Every row as a tuple; on PostgreSQL, psql's text read back: an integer as int, NULL as None."""
        if not PG_URL:
            return self._sqlite().execute(sql, params).fetchall()
        n = itertools.count(1)
        text = _psql(self.arg, re.sub(r"\?", lambda _: ":'p%d'" % next(n), sql) + ";\n",
                     [str(p) for p in params])
        def value(v):
            return None if v == _NULL else int(v) if re.fullmatch(r"-?[0-9]+", v) else v
        return [tuple(value(v) for v in row) for row in csv.reader(io.StringIO(text))]

    def execute(self, sql, params=()):
        """A write; how many rows it changed."""
        if not PG_URL:
            return self._sqlite().execute(sql, params).rowcount
        rows = self.query("WITH changed AS (%s RETURNING 1) SELECT COUNT(*) FROM changed" % sql, params)
        return rows[0][0]

    def close(self):
        if self.con is not None:
            self.con.close()
            self.con = None


class Server:
    """`rentd serve` on a free port of 127.0.0.1 with two job workers and no access log; ready
    when /readyz answers 200 (start_seconds: how long that took)."""

    def __init__(self, rentd, db, env, args=(), stdout=None, stderr=None, ready_seconds=20):
        self.port = free_port()
        cmd = [rentd, "serve", "--listen", "127.0.0.1:%d" % self.port, "--database", db, "--job-workers", "2",
               "--access-log", "off"] + list(args)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=env,
                                     start_new_session=True)
        RUNNING.append(self)
        started = time.monotonic()
        while not self.ready():
            if time.monotonic() - started > ready_seconds:
                raise RuntimeError("rentd did not become ready in %d s" % ready_seconds)
            time.sleep(0.05)
        self.start_seconds = time.monotonic() - started

    def ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError("rentd exited with %d at start" % self.proc.returncode)
        try:
            return self.call("GET", "/readyz")[0] == 200
        except OSError:
            return False

    def call(self, method, path, body=None, token=None, scheme="JWT"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = scheme + " " + token
        c.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        try:
            return r.status, json.loads(data) if data else None
        except ValueError:
            return r.status, data

    def kill9(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


def stop_all():
    for server in RUNNING:
        server.stop()
