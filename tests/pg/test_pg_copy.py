#!/usr/bin/env python3
"""`rentd copy --from sqlite:FILE --to postgresql://…` against a real PostgreSQL 15 (issue 17).

Run by tests/pg/pg_cluster.py, which sets RENTD_TEST_PG_URL (each case creates a database of its
own in that cluster with psql).

1. A SQLite installation with rows in many tables (a company, listings with their apartments,
   estates, cards, pictures and projects, landlord accounts with contacts and outbox events,
   market applicants with queue places) is copied: exit 0, a line "… ok" per table of the schema,
   a total. Then compared independently of rentd's own checksum: every table, row by row, read
   with Python's sqlite3 and with psql's COPY, as multisets of typed values; identity sequences
   past the copied ids (SQLite's AUTOINCREMENT mark included); triggers enabled again and no
   foreign key left deferrable; and the same answers from `rentd serve` on both databases for
   a few resources.
2. Refusals, each exit 1 with its reason and nothing committed: the same copy again (the
   destination holds data), a source behind the latest schema version, an unreachable
   destination, and a value PostgreSQL cannot hold as it is (a NUL byte in a text: libpq sends
   text up to it) — caught by the read-back checksum, the table named, the destination left
   empty. Exit 2 for bad --from/--to.

usage: test_pg_copy.py RENTD_BINARY SOURCE_ROOT
"""
import atexit
import collections
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
BASE_URL = os.environ.get("RENTD_TEST_PG_URL")
PSQL = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


if not BASE_URL:
    print("RENTD_TEST_PG_URL is not set: run this through tests/pg/pg_cluster.py", file=sys.stderr)
    sys.exit(1)


def db_url(name):
    u = urllib.parse.urlsplit(BASE_URL)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))


def psql(url, sql, check_rc=True):
    r = subprocess.run([PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                       capture_output=True, text=True)
    if check_rc and r.returncode != 0:
        raise RuntimeError("psql %s: %s" % (sql, r.stderr))
    return r.stdout


def new_database(name):
    psql(BASE_URL, "DROP DATABASE IF EXISTS %s" % name)
    psql(BASE_URL, "CREATE DATABASE %s" % name)
    return db_url(name)


def rentd(*args, timeout=600):
    env = dict(os.environ, RENTD_GEO_DIR=os.path.join(ROOT, "data/geo"), RENTD_LOG_LEVEL="warn")
    return subprocess.run([RENTD, *args], capture_output=True, text=True, timeout=timeout, env=env)


def must(r, what):
    if r.returncode != 0:
        print(r.stdout, r.stderr, file=sys.stderr)
        raise RuntimeError("%s failed (exit %d)" % (what, r.returncode))
    return r


work = tempfile.mkdtemp(prefix="rentd-pg-copy-")
atexit.register(shutil.rmtree, work, True)  # also when a step raises
src = os.path.join(work, "source.db")
common = ["--database", src]

# ---- a source with rows in many tables ----
must(rentd("company", "create", "--name", "Acme", "--admin-username", "admin", "--admin-password", "password123",
           *common), "company create")
must(rentd("seed", "--listings", "300", *common), "seed --listings")
must(rentd("seed", "--accounts", "20", "--events", "300", *common), "seed --accounts")
must(rentd("seed", "--applicants", "150", *common), "seed --applicants")
lite = sqlite3.connect(src)
# rows the seeds do not write: a self-reference, a blob, NULLs, a deleted event (AUTOINCREMENT's mark)
lite.execute("INSERT INTO offices(company_id, parent_id, path, name, logo, logo_type)"
             " SELECT company_id, id, path || '2/', 'Branch', x'00ff10', 'image/png' FROM offices WHERE id = 1")
lite.execute("UPDATE offices SET parent_id = (SELECT MAX(id) FROM offices) WHERE id = 2")  # points forward
lite.execute("INSERT INTO rate_hits(key, expires) VALUES ('k', 1), ('k', 1), ('j', 2)")  # no key, a duplicate
max_seq = lite.execute("SELECT MAX(seq) FROM events").fetchone()[0]
lite.execute("DELETE FROM events WHERE seq = ?", (max_seq,))
lite.commit()
lite.close()

# ---- 1. the copy ----
dst = new_database("copy_ok")
t0 = time.monotonic()
r = rentd("copy", "--from", "sqlite:" + src, "--to", dst)
print(r.stdout)
print(r.stderr[-2000:], file=sys.stderr)
check(r.returncode == 0, "copy exits 0 (%d)" % r.returncode)
lines = [l for l in r.stdout.splitlines() if l.strip()]
table_lines = {l.split()[0]: l for l in lines if l.endswith(" ok")}
lite = sqlite3.connect(src)
schema_tables = sorted(psql(dst, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                                 " AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'").split())
check(len(schema_tables) > 50, "the destination has the schema's tables (%d)" % len(schema_tables))
check(sorted(table_lines) == schema_tables, "a line '… ok' for every table of the schema")
check(lines and lines[-1].startswith("total %d tables" % len(schema_tables)), "a total line: %s" % (lines[-1:]))
check("rows/s" in r.stdout, "the total gives rows/s")
for t in ("companies", "object_ads", "events", "card_geo", "applicant_profiles", "contacts", "offices"):
    n = lite.execute('SELECT COUNT(*) FROM "%s"' % t).fetchone()[0]
    check(t in table_lines and int(table_lines[t].split()[1]) == n and n > 0,
          "%s: %d rows printed, %d in the source" % (t, int(table_lines.get(t, "x 0").split()[1]), n))


def pg_columns(url):
    cols = collections.defaultdict(list)
    for line in psql(url, "SELECT table_name, column_name, data_type FROM information_schema.columns"
                          " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position").splitlines():
        t, c, ty = line.split("|")
        cols[t].append((c, ty))
    return cols


def unescape_copy(v):
    """PostgreSQL's COPY text format: \\N is NULL, backslash escapes."""
    if v == "\\N":
        return None
    out, i = [], 0
    simple = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
    while i < len(v):
        ch = v[i]
        if ch == "\\" and i + 1 < len(v):
            nxt = v[i + 1]
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
            out.append(nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def norm_pg(v, ty):
    if v is None:
        return None
    if ty in ("bigint", "integer", "smallint"):
        return int(v)
    if ty in ("double precision", "real"):
        return float(v)
    if ty == "bytea":
        return bytes.fromhex(v[2:])
    return v


def norm_lite(v, ty):
    if v is None:
        return None
    if ty == "bytea":
        return bytes(v) if isinstance(v, (bytes, bytearray)) else v.encode()
    if ty in ("double precision", "real"):
        return float(v)
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return v


columns = pg_columns(dst)
differing = []
for t in schema_tables:
    cols = columns[t]
    names = ", ".join('"%s"' % c for c, _ in cols)
    pg_rows = collections.Counter()
    out = subprocess.run([PSQL, "-X", "-q", "-d", dst, "-c", "COPY (SELECT %s FROM \"%s\") TO STDOUT" % (names, t)],
                         capture_output=True, text=True, check=True).stdout
    for line in out.split("\n"):
        if line == "":
            continue
        vals = line.split("\t")
        pg_rows[tuple(norm_pg(unescape_copy(v), ty) for v, (_, ty) in zip(vals, cols))] += 1
    lite_rows = collections.Counter(tuple(norm_lite(v, ty) for v, (_, ty) in zip(row, cols))
                                    for row in lite.execute('SELECT %s FROM "%s"' % (names, t)))
    if pg_rows != lite_rows:
        differing.append("%s (%d vs %d rows)" % (t, sum(lite_rows.values()), sum(pg_rows.values())))
check(not differing, "every table the same, row by row, read by sqlite3 and psql: %s" % (differing or "all"))
check(psql(dst, "SELECT COUNT(*) FROM rate_hits WHERE key = 'k'").strip() == "2",
      "a table without a key keeps its duplicate rows")

# identities: past the highest id, and past SQLite's AUTOINCREMENT mark for events
seq = int(psql(dst, "SELECT last_value FROM events_seq_seq").strip())
check(seq == max_seq, "the events sequence is at the deleted event's seq %d (SQLite's mark): %d" % (max_seq, seq))
off_max = lite.execute("SELECT MAX(id) FROM offices").fetchone()[0]
nxt = int(psql(dst, "SELECT nextval(pg_get_serial_sequence('offices', 'id'))").strip())
check(nxt == off_max + 1, "the next office id follows the copied ones (%d after %d)" % (nxt, off_max))
check(psql(dst, "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'").strip() == "0",
      "every trigger enabled again")
check(psql(dst, "SELECT COUNT(*) FROM pg_constraint WHERE condeferrable").strip() == "0",
      "no constraint left deferrable")
# a trigger counts again: an event deleted from the copy is counted off once
before = int(psql(dst, "SELECT n FROM event_counts WHERE company_id = 0").strip())
psql(dst, "DELETE FROM events WHERE seq = (SELECT MIN(seq) FROM events WHERE aggregate IN ('account', 'contact'))")
after = int(psql(dst, "SELECT n FROM event_counts WHERE company_id = 0").strip())
check(after == before - 1, "the events trigger counts again after the copy (%d → %d)" % (before, after))
lite.close()


# ---- the same answers from rentd serve on both databases ----
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(database, name):
    port = free_port()
    args = [RENTD, "serve", "--database", database, "--listen", "127.0.0.1:%d" % port,
            "--secret-file", os.path.join(work, "secret"), "--contract-key-file", os.path.join(work, "contract-key"),
            "--media-dir", os.path.join(work, "media"), "--public-url", "http://rentd.test", "--log-level", "warn"]
    log = open(os.path.join(work, name + ".log"), "w")
    p = subprocess.Popen(args, stdout=log, stderr=log, env=dict(os.environ, RENTD_GEO_DIR=os.path.join(ROOT, "data/geo")))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return p, "http://127.0.0.1:%d" % port
        except OSError:
            time.sleep(0.1)
    p.kill()
    raise RuntimeError("rentd serve on %s did not start" % name)


def get(base, path, token=None):
    req = urllib.request.Request(base + path, headers={"Authorization": "JWT " + token} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, None


def login(base):
    req = urllib.request.Request(base + "/api/v2/tokens/", data=json.dumps(
        {"username": "admin", "password": "password123"}).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())["token"]


def strip_now(v):
    """Drops what each answer makes at its own moment ("timestamp": now)."""
    if isinstance(v, dict):
        return {k: strip_now(x) for k, x in v.items() if k != "timestamp"}
    if isinstance(v, list):
        return [strip_now(x) for x in v]
    return v


servers = []
try:
    servers.append(serve(src, "sqlite"))
    servers.append(serve(dst, "postgresql"))
    (_, lite_base), (_, pg_base) = servers
    lite_token, pg_token = login(lite_base), login(pg_base)
    for path in ("/api/v1/company/", "/api/v1/employees/", "/api/v1/right_profiles/", "/api/v1/projects/",
                 "/api/v1/requirements/", "/api/v1/inventory/", "/api/v4/apartment/1/", "/api/v4/apartment/300/"):
        a, b = get(lite_base, path, lite_token), get(pg_base, path, pg_token)
        check(a[0] == 200 and b[0] == 200 and strip_now(a[1]) == strip_now(b[1]),
              "GET %s: the same answer on SQLite and on the copy (%d, %d)" % (path, a[0], b[0]))
finally:
    for p, _ in servers:
        p.terminate()
        p.wait(timeout=30)

# ---- 2. refusals ----
r = rentd("copy", "--from", "sqlite:" + src, "--to", dst)
check(r.returncode == 1 and "already holds data" in r.stderr,
      "a second copy into the same database is refused (%d): %s" % (r.returncode, r.stderr.strip()[-200:]))

behind = os.path.join(work, "behind.db")
shutil.copy(src, behind)
b = sqlite3.connect(behind)
b.execute("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)")
b.commit()
b.close()
dst2 = new_database("copy_behind")
r = rentd("copy", "--from", "sqlite:" + behind, "--to", dst2)
check(r.returncode == 1 and "run rentd migrate" in r.stderr,
      "a source behind the latest version is refused (%d): %s" % (r.returncode, r.stderr.strip()[-200:]))

u = urllib.parse.urlsplit(BASE_URL)
unreachable = urllib.parse.urlunsplit((u.scheme, u.netloc, "/x", "host=/nonexistent&port=5432", ""))
r = rentd("copy", "--from", "sqlite:" + src, "--to", unreachable)
check(r.returncode == 1 and "cannot connect to PostgreSQL" in r.stderr,
      "an unreachable destination: exit 1, said so (%d): %s" % (r.returncode, r.stderr.strip()[-200:]))

nul = os.path.join(work, "nul.db")
shutil.copy(src, nul)
n = sqlite3.connect(nul)
n.execute("UPDATE users SET first_name = 'Ann' || char(0) || 'a' WHERE id = 1")
n.commit()
n.close()
dst3 = new_database("copy_nul")
r = rentd("copy", "--from", "sqlite:" + nul, "--to", dst3)
check(r.returncode == 1 and "table users differs" in r.stderr and "users" in r.stdout and "DIFFERS" in r.stdout,
      "a value that does not survive is caught by the checksum, the table named (%d): %s"
      % (r.returncode, r.stderr.strip()[-300:]))
check(psql(dst3, "SELECT COUNT(*) FROM users").strip() == "0" and
      psql(dst3, "SELECT COUNT(*) FROM reference_values").strip() != "0",
      "after the failed copy the destination holds only its migrations' rows")
fixed = sqlite3.connect(nul)
fixed.execute("UPDATE users SET first_name = 'Anna' WHERE id = 1")
fixed.commit()
fixed.close()
r = rentd("copy", "--from", "sqlite:" + nul, "--to", dst3)
check(r.returncode == 0, "the copy into it succeeds once the source is fixed (%d)" % r.returncode)

for args, what in ((["--from", src, "--to", dst], "--from without sqlite:"),
                   (["--from", "sqlite:" + src, "--to", "mysql://x/y"], "--to not postgresql://"),
                   (["--from", "sqlite:" + src], "no --to"),
                   (["--to", dst], "no --from")):
    r = rentd("copy", *args)
    check(r.returncode == 2, "%s: exit 2 (%d): %s" % (what, r.returncode, r.stderr.strip()[-120:]))

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
