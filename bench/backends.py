#!/usr/bin/env python3
"""backends.py — the same requests against rentd on SQLite and on PostgreSQL, same run (issue 17).

    bench/backends.py [--listings 1000000] [--seed-cache DIR] [--duration 10] [--warmup 2]
                      [--rounds 3] [--connections 32] [--wrk-threads 2] [--threads 2]
                      [--backends sqlite,pg] [--shared-buffers 2GB] [--pg-fill auto|copy|seed]
                      [--rentd build-bench/rentd] [--nginx /usr/sbin/nginx] [--out FILE]

The data: one SQLite database seeded as bench/run.sh does (`rentd company create` with the
bench admin, `rentd seed --listings N`: N listings over N apartments, which the inventory case
reads too), or the copy of it that --seed-cache DIR keeps as listings-N.db (the same file
name as run.sh's BENCH_SEED_CACHE, so either reuses the other's). Then the same data on
PostgreSQL 15: a private cluster (initdb + pg_ctl in a temporary directory, a Unix socket
only, no TCP; as `nobody` when run by root) with durable settings — fsync, full_page_writes
and synchronous_commit on, as SQLite's acknowledged writes are fsynced too — and
shared_buffers of --shared-buffers; a fresh database filled by `rentd copy --from sqlite:FILE
--to postgresql://…` (--pg-fill copy; `auto` uses it when `rentd help` lists it), or, until
that command exists, seeded on its own by `rentd company create` + `rentd seed --listings N
--database postgresql://…` (--pg-fill seed: generated data of the same shape, not the same
rows; the report says which was used). After the fill: VACUUM ANALYZE and a CHECKPOINT.

The cases (32 connections, anonymous unless said):
  object_read       GET /api/v1/object/{id} of the first listing of cards_typical's first page
  cards_typical     POST /api/v3/cards/ with run.sh's body (a county, a rent range, rooms >= 2,
                    newest first, 20 a page)
  inventory_first   GET /api/v1/inventory/?amount=10 with the admin's token
  apartment_create  POST /api/v4/apartment with the admin's token, a new apartment each request
                    (bench/apartment_create.lua: a street per wrk thread, numbered on; only 2xx
                    answers count, the others are reported as errors with the first one's text)
each against four setups, one after the other, servers started for each and stopped after:
  sqlite-1   one rentd (--threads T) on the SQLite file
  sqlite-2   two rentd processes on the same SQLite file, each on its own port
  pg-1, pg-2 the same on the PostgreSQL database
With two processes, one wrk per process runs at the same time with half the connections and
half the wrk threads each; their req/s are added and each one's p50/p99 is shown. nginx (a
private one, bench/nginx.conf.in) serves the read cases' exact bytes (as captured from
sqlite-1) in the same run. Each round runs every setup (the order reversed every other
round), each case after a warm-up; the table shows medians over the rounds.

Prints a markdown report (also written to --out, default bench/results/backends.md): the
versions and settings, the data, a table case × setup (req/s, p50, p99, errors, server CPU
per request with PostgreSQL's processes counted, other processes' CPU), and PostgreSQL's
req/s as a share of SQLite's for each case (the issue's bar for reads: within 2×, >= 50 %).

Only 127.0.0.1 and Unix sockets are used. Every process started here is stopped on exit,
even on failure or a signal; the cluster is stopped and the temporary directories removed.
"""
import argparse
import json
import os
import pwd
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_commands import cpu_ticks, free_port, wait_ready  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_BIN = os.environ.get("RENTD_PG_BIN", "/usr/lib/postgresql/15/bin")
USER, PASSWORD = "bench@rentd.local", "bench-password-1"
CARDS_BODY = ('{"shapes": ["county.1"], "min_rent": 6000, "max_rent": 12000, "min_room": 2, '
              '"sorting": "publish_date.desc", "amount": 20}')
READS = ["object_read", "cards_typical", "inventory_first"]
WRITES = ["apartment_create"]
PATHS = {"object_read": "/api/v1/object/@LISTING@", "cards_typical": "/api/v3/cards/?case=typical",
         "inventory_first": "/api/v1/inventory/?amount=10", "apartment_create": "/api/v4/apartment"}
AUTH = {"inventory_first", "apartment_create"}
SETUPS = [("sqlite-1", "sqlite", 1), ("sqlite-2", "sqlite", 2), ("pg-1", "pg", 1), ("pg-2", "pg", 2)]
# shown in the report: the durability settings, memory, and whatever else changes a plan or a write
PG_SHOW = ["server_version", "fsync", "full_page_writes", "synchronous_commit", "wal_sync_method",
           "wal_level", "shared_buffers", "effective_cache_size", "work_mem", "max_wal_size",
           "checkpoint_timeout", "max_connections", "huge_pages", "jit", "random_page_cost"]

procs = []  # every long-running process started here: stopped in reverse order on exit


def say(msg):
    print(f"backends: {msg}", file=sys.stderr, flush=True)


def run(cmd, timeout=600, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=env)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} … failed ({p.returncode}): {(p.stderr or p.stdout).strip()[-800:]}")
    return p.stdout


def stop(p, name, grace=15):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            say(f"{name} ({p.pid}) did not stop, killing it")
            p.kill()
            p.wait()
    if p in procs:
        procs.remove(p)


def http(port, method, path, body=None, token=None, timeout=60):
    """(status, body bytes) of a request to 127.0.0.1:port."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=body.encode() if isinstance(body, str) else body)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"JWT {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Cluster:
    """A private PostgreSQL 15 cluster in its own temporary directory, socket only."""

    def __init__(self, shared_buffers, extra):
        for tool in ("initdb", "pg_ctl", "postgres", "psql"):
            if not os.access(os.path.join(PG_BIN, tool), os.X_OK):
                sys.exit(f"{PG_BIN}/{tool} is missing: install postgresql-15 (scripts/install-deps.sh test)")
        self.as_user = {}
        if os.geteuid() == 0:  # PostgreSQL refuses root: the cluster is nobody's
            pw = pwd.getpwnam("nobody")
            self.as_user = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
            self.top = tempfile.mkdtemp(prefix="rentd-bench-pg-", dir="/tmp")
            os.chown(self.top, pw.pw_uid, pw.pw_gid)
        else:
            self.top = tempfile.mkdtemp(prefix="rentd-bench-pg-")
        os.chmod(self.top, 0o700)
        self.data = os.path.join(self.top, "data")
        self.log = os.path.join(self.top, "postgres.log")
        self.env = dict(os.environ, LC_ALL="C", LANG="C", PGTZ="UTC")
        self.env.pop("PGDATA", None)
        self.started = False
        self.settings = [
            "listen_addresses = ''",  # no TCP at all: the socket in self.top only
            f"unix_socket_directories = '{self.top}'",
            "port = 5432",
            "max_connections = 100",
            f"shared_buffers = {shared_buffers}",
            # durable, as SQLite's synchronous=FULL: an acknowledged commit is on disk
            "fsync = on",
            "full_page_writes = on",
            "synchronous_commit = on",
            # fewer forced checkpoints while the copy writes gigabytes (durability unchanged)
            "max_wal_size = 8GB",
            "effective_cache_size = 8GB",
            "dynamic_shared_memory_type = " + ("posix" if os.access("/dev/shm", os.W_OK) else "mmap"),
            "log_min_messages = warning",
            "timezone = 'UTC'",
        ] + list(extra)

    def pg(self, *args, **kw):
        return subprocess.run([os.path.join(PG_BIN, args[0]), *args[1:]], cwd=self.top, env=self.env,
                              **self.as_user, **kw)

    def start(self):
        r = self.pg("initdb", "-D", self.data, "-U", "rentd", "-A", "trust", "-E", "UTF8", "--locale=C",
                    capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            sys.exit(f"initdb failed:\n{r.stdout}{r.stderr}")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("\n# bench/backends.py\n" + "\n".join(self.settings) + "\n")
        r = self.pg("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "120", "start",
                    capture_output=True, text=True, timeout=180)
        if r.returncode != 0:
            tail = open(self.log).read()[-2000:] if os.path.exists(self.log) else ""
            sys.exit(f"pg_ctl start failed:\n{r.stdout}{r.stderr}{tail}")
        self.started = True
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.postmaster = int(f.readline())

    def url(self, db):
        return f"postgresql://rentd@/{db}?host={self.top}&port=5432"

    def psql(self, db, sql, timeout=7200):
        # as the caller (root included): the socket directory is reachable by root; trust auth
        r = subprocess.run([os.path.join(PG_BIN, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                            "-h", self.top, "-p", "5432", "-U", "rentd", "-d", db, "-c", sql],
                           capture_output=True, text=True, timeout=timeout, env=self.env)
        if r.returncode != 0:
            sys.exit(f"psql {sql[:60]!r} failed: {r.stderr.strip()[-500:]}")
        return r.stdout.strip()

    def pids(self):
        """The postmaster and its children (the backends serving rentd among them)."""
        out = [self.postmaster]
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == self.postmaster:
                            out.append(int(d))
                except (OSError, ValueError, IndexError):
                    pass
        return out

    def stop(self):
        if self.started:
            r = self.pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop",
                        capture_output=True, text=True)
            if r.returncode != 0:
                say(f"pg_ctl stop failed: {r.stdout}{r.stderr}; stopping it immediately")
                self.pg("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", capture_output=True)
            self.started = False
        shutil.rmtree(self.top, ignore_errors=True)


def parse_bench(out):
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        return None
    d = {}
    for kv in line.split()[1:]:
        k, _, v = kv.partition("=")
        d[k] = float(v)
    bad = next((ln[7:] for ln in out.splitlines() if ln.startswith("NON2XX ")), "")
    d["non2xx_text"] = bad
    return d


def main():
    ap = argparse.ArgumentParser(description="rentd on SQLite and PostgreSQL, same run (issue 17)")
    ap.add_argument("--listings", type=int, default=int(os.environ.get("BENCH_LISTINGS", 1000000)))
    ap.add_argument("--seed-cache", default=os.environ.get("BENCH_SEED_CACHE") or None)
    ap.add_argument("--duration", type=int, default=10, help="seconds per measured wrk run")
    ap.add_argument("--warmup", type=int, default=2, help="seconds of warm-up before each (discarded)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--wrk-threads", type=int, default=2, help="wrk threads in all (split over the wrk processes)")
    ap.add_argument("--threads", type=int, default=2, help="rentd --threads of each process")
    ap.add_argument("--backends", default="sqlite,pg")
    ap.add_argument("--cases", default=",".join(READS + WRITES))
    ap.add_argument("--shared-buffers", default="2GB")
    ap.add_argument("--pg-setting", action="append", default=[], metavar="'NAME = VALUE'",
                    help="another postgresql.conf line (repeatable)")
    ap.add_argument("--pg-fill", choices=["auto", "copy", "seed"], default="auto")
    ap.add_argument("--rentd", default=os.path.join(ROOT, "build-bench", "rentd"))
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "backends.md"))
    args = ap.parse_args()
    backends = [b for b in args.backends.split(",") if b]
    asked = [c for c in args.cases.split(",") if c]
    for b in backends:
        if b not in ("sqlite", "pg"):
            sys.exit(f"unknown backend {b} (sqlite, pg)")
    for c in asked:
        if c not in PATHS:
            sys.exit(f"unknown case {c} ({', '.join(PATHS)})")
    cases = [c for c in READS + WRITES if c in asked]  # the reads first: the write changes the data
    if "sqlite" not in backends:
        sys.exit("the sqlite backend is the reference and holds the seeded data: keep it in --backends")
    for tool in ("wrk", args.nginx):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (scripts/install-deps.sh bench)")
    rentd = os.path.abspath(args.rentd)
    setups = [s for s in SETUPS if s[1] in backends]

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    tmp = tempfile.mkdtemp(prefix="rentd-backends-")
    cluster = None
    t_start = time.time()
    try:
        os.chmod(tmp, 0o711)  # nginx's workers (nobody, under root) must reach the docroot
        sdb = os.path.join(tmp, "rentd.db")
        common = ["--secret-file", os.path.join(tmp, "secret"), "--contract-key-file",
                  os.path.join(tmp, "contract-key"), "--geo-dir", os.path.join(ROOT, "data", "geo")]
        timings = {}

        # --- the SQLite database: seeded, or the cached copy ---------------------------------
        cached = os.path.join(args.seed_cache, f"listings-{args.listings}.db") if args.seed_cache else None
        if cached and os.path.exists(cached):
            say(f"using the seeded database {cached}")
            shutil.copyfile(cached, sdb)
            seeded = "(cached) " + (open(cached + ".seed").read().strip() if os.path.exists(cached + ".seed") else "")
        else:
            say(f"seeding {args.listings} listings (rentd seed --listings; minutes at 1,000,000)")
            t0 = time.time()
            run([rentd, "company", "create", "--database", sdb, "--name", "Bench", "--admin-username", USER,
                 "--admin-password", PASSWORD])
            seeded = run([rentd, "seed", "--listings", str(args.listings), "--database", sdb, "--media-dir",
                          os.path.join(tmp, "media")], timeout=7200).strip()
            timings["seed (SQLite)"] = time.time() - t0
            if cached:
                os.makedirs(args.seed_cache, exist_ok=True)
                run([rentd, "migrate", "--database", sdb])  # checkpoints the WAL into the file
                shutil.copyfile(sdb, cached)
                with open(cached + ".seed", "w") as f:
                    f.write(seeded + "\n")
        run([rentd, "migrate", "--database", sdb])  # a cache of an older schema: brought up to date once
        say(f"seeded: {seeded}")
        data = {"sqlite": sdb}
        sizes = {"sqlite": os.path.getsize(sdb)}

        # --- PostgreSQL: the cluster and the same data ---------------------------------------
        fill = None
        if "pg" in backends:
            cluster = Cluster(args.shared_buffers, args.pg_setting)
            t0 = time.time()
            cluster.start()
            cluster.psql("postgres", "CREATE DATABASE rentd_bench")
            url = cluster.url("rentd_bench")
            data["pg"] = url
            has_copy = "copy --from" in run([rentd, "help"])
            fill = args.pg_fill if args.pg_fill != "auto" else ("copy" if has_copy else "seed")
            if fill == "copy":
                say(f"rentd copy --from sqlite:{sdb} --to {url}")
                t0 = time.time()
                out = run([rentd, "copy", "--from", f"sqlite:{sdb}", "--to", url], timeout=14400).strip()
                timings["rentd copy"] = time.time() - t0
                fill_note = (f"`rentd copy --from sqlite:FILE --to postgresql://…` of the SQLite database "
                             f"({(out.splitlines() or [''])[-1][:300]})")
            else:
                say(f"rentd seed --listings {args.listings} --database {url} (no rentd copy here)")
                t0 = time.time()
                run([rentd, "company", "create", "--database", url, "--name", "Bench", "--admin-username", USER,
                     "--admin-password", PASSWORD])
                out = run([rentd, "seed", "--listings", str(args.listings), "--database", url, "--media-dir",
                           os.path.join(tmp, "media-pg")], timeout=14400).strip()
                timings["seed (PostgreSQL)"] = time.time() - t0
                fill_note = (f"seeded on its own, not copied (`rentd copy` was not available): `rentd seed --listings "
                             f"{args.listings} --database postgresql://…` → {out[-300:]}; generated data of the "
                             f"same shape, not the same rows")
            t0 = time.time()
            cluster.psql("rentd_bench", "VACUUM ANALYZE")
            cluster.psql("rentd_bench", "CHECKPOINT")
            timings["VACUUM ANALYZE + CHECKPOINT"] = time.time() - t0
            sizes["pg"] = int(cluster.psql("rentd_bench", "SELECT pg_database_size(current_database())"))
            pg_version = cluster.psql("postgres", "SELECT version()")
            pg_settings = cluster.psql("postgres", "SELECT name || ' = ' || current_setting(name) FROM "
                                       "pg_settings WHERE name IN (" + ", ".join(f"'{n}'" for n in PG_SHOW)
                                       + ") ORDER BY name").splitlines()
            say(f"PostgreSQL filled ({fill}); database {sizes['pg'] / 1e9:.2f} GB")

        # --- servers ---------------------------------------------------------------------------
        media = os.path.join(tmp, "media")
        os.makedirs(media, exist_ok=True)
        logs = []

        def start_servers(backend, n):
            servers = []
            for i in range(n):  # one after the other: the first applies any migration alone
                port = free_port()
                log = open(os.path.join(tmp, f"rentd-{backend}-{i}.log"), "a")
                logs.append(log)
                p = subprocess.Popen([rentd, "serve", "--database", data[backend], "--listen", f"127.0.0.1:{port}",
                                      "--threads", str(args.threads), "--access-log", "off", "--log-level", "warn",
                                      "--media-dir", media, "--public-url", "http://127.0.0.1:8080", *common],
                                     stdout=log, stderr=log, cwd=ROOT, start_new_session=True)
                procs.append(p)
                wait_ready(f"http://127.0.0.1:{port}/readyz", p)
                servers.append((p, port))
            return servers

        def stop_servers(servers):
            for p, _ in reversed(servers):
                stop(p, "rentd")

        # per backend: the admin's token, the listing read, an estate for the creates, each case's bytes
        token, listing, estate, answer = {}, {}, {}, {}
        failed = {}  # (backend, case) → the answer that kept the case from being measured there
        for backend in backends:
            servers = start_servers(backend, 2)
            port, port2 = servers[0][1], servers[1][1]
            st, body = http(port, "POST", "/api/v2/tokens/", json.dumps({"username": USER, "password": PASSWORD}))
            if st != 200:
                sys.exit(f"{backend}: cannot log in ({st} {body[:200]!r})")
            token[backend] = json.loads(body)["token"]
            st, body = http(port2, "GET", "/api/v1/inventory/?amount=1", token=token[backend])
            if st != 200:
                sys.exit(f"{backend}: the second process refuses the first one's token ({st} {body[:200]!r})")
            st, body = http(port, "POST", PATHS["cards_typical"], CARDS_BODY)
            if st == 200 and json.loads(body).get("results"):
                listing[backend] = json.loads(body)["results"][0]["id"]
            elif backend == "pg" and fill == "copy":
                listing[backend] = listing["sqlite"]  # the copy keeps ids
            else:
                sys.exit(f"{backend}: cards_typical answered {st} without results: {body[:200]!r}")
            st, body = http(port, "POST", "/api/v4/estate", json.dumps({"legal_name": "Bench estate",
                                                                        "city": "Benchstad"}), token[backend])
            if st not in (200, 201) and backend == "sqlite":
                sys.exit(f"{backend}: POST /api/v4/estate answered {st}: {body[:300]!r}")
            estate[backend] = json.loads(body)["id"] if st in (200, 201) else 0  # 0: the create below fails
            for c in cases:
                if c in READS:
                    p = PATHS[c].replace("@LISTING@", str(listing[backend]))
                    st, body = (http(port, "POST", p, CARDS_BODY) if c == "cards_typical"
                                else http(port, "GET", p, token=token[backend] if c in AUTH else None))
                    if st != 200 and backend == "sqlite":
                        sys.exit(f"{backend}: {c} {p} answered {st}: {body[:300]!r}")
                    if st != 200:  # PostgreSQL still in the making: the case is reported, not run
                        failed[backend, c] = f"{st} {body[:200].decode(errors='replace')}".replace("|", "/")
                        say(f"{backend}: {c} answered {failed[backend, c]}: not measured there")
                        continue
                    answer[backend, c] = body
            # one create by hand, so a wrong body fails here with its answer rather than as wrk's errors
            st, body = http(port2, "POST", "/api/v4/apartment", json.dumps({
                "estate": estate[backend], "street_name": "Bench check", "street_number": "1", "zip_code": "11151",
                "national_id": "0001", "latitude": 59.3293, "longitude": 18.0686, "area": 42.5, "floor": 1,
                "rent": 9000, "rooms": 2}), token[backend])
            if st != 201 and backend == "sqlite":
                sys.exit(f"{backend}: POST /api/v4/apartment answered {st}: {body[:300]!r}")
            if st != 201:
                failed[backend, "apartment_create"] = f"{st} {body[:200].decode(errors='replace')}".replace("|", "/")
                say(f"{backend}: apartment_create answered {failed[backend, 'apartment_create']}: not measured there")
            stop_servers(servers)
            if any(b == backend for b, _ in failed):  # why: the servers' own words
                for i in range(2):
                    for ln in open(os.path.join(tmp, f"rentd-{backend}-{i}.log")).read().splitlines()[-6:]:
                        say(f"{backend} rentd {i + 1} log: {ln[:400]}")
        same = {c: ("pg", c) in answer and answer["pg", c] == answer["sqlite", c] for c in cases if c in READS}
        answers_dir = os.path.splitext(args.out)[0] + "-answers"  # each backend's bytes, to compare
        os.makedirs(answers_dir, exist_ok=True)
        for (b, c), body in answer.items():
            with open(os.path.join(answers_dir, f"{c}.{b}.json"), "wb") as f:
                f.write(body)

        # --- nginx serving sqlite-1's bytes ----------------------------------------------------
        docroot = os.path.join(tmp, "docroot")
        nport = None
        nginx_reads = [c for c in cases if c in READS]
        if nginx_reads:
            for c in nginx_reads:
                p = PATHS[c].replace("@LISTING@", str(listing["sqlite"]))
                path, _, q = p.partition("?")
                f = os.path.join(docroot, path.lstrip("/") + (f"@{q}" if q else ""))
                os.makedirs(os.path.dirname(f), exist_ok=True)
                with open(f, "wb") as fh:
                    fh.write(answer["sqlite", c])
            for dp, dn, fn in os.walk(docroot):
                os.chmod(dp, 0o755)
                for x in fn:
                    os.chmod(os.path.join(dp, x), 0o644)
            nport = free_port()
            ndir = os.path.join(tmp, "nginx")
            os.makedirs(ndir)
            conf = open(os.path.join(ROOT, "bench", "nginx.conf.in")).read()
            conf = (conf.replace("@TMPDIR@", ndir).replace("@PORT@", str(nport)).replace("@DOCROOT@", docroot)
                    .replace("worker_processes 2;", f"worker_processes {args.threads};")
                    .replace("location / { }", 'location / { try_files $uri "$uri@$args" =404; }'))
            with open(os.path.join(ndir, "nginx.conf"), "w") as f:
                f.write(conf)
            p = subprocess.Popen([args.nginx, "-p", ndir, "-c", os.path.join(ndir, "nginx.conf"), "-e",
                                  os.path.join(ndir, "error.log")], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            procs.append(p)
            nginx_proc = p
            for c in nginx_reads:
                pth = PATHS[c].replace("@LISTING@", str(listing["sqlite"]))
                for _ in range(100):
                    try:
                        st, body = (http(nport, "POST", pth, CARDS_BODY, timeout=2) if c == "cards_typical"
                                    else http(nport, "GET", pth, timeout=2))
                        break
                    except OSError:
                        if p.poll() is not None:
                            sys.exit(f"nginx exited: {open(os.path.join(ndir, 'error.log')).read()[-500:]}")
                        time.sleep(0.1)
                else:
                    sys.exit("nginx did not answer")
                if st != 200 or body != answer["sqlite", c]:
                    sys.exit(f"nginx's {pth} ({st}) differs from rentd's")

        # --- wrk -------------------------------------------------------------------------------
        hz = os.sysconf("SC_CLK_TCK")
        ncpu = os.cpu_count()

        def stat_cpu():
            with open("/proc/stat") as f:
                v = [int(x) for x in f.readline().split()[1:9]]
            return v[0] + v[1] + v[2], sum(v)  # busy (user+nice+system), all

        def children_ticks():
            r = resource.getrusage(resource.RUSAGE_CHILDREN)
            return (r.ru_utime + r.ru_stime) * hz

        def wrk_cmd(c, backend, port, conns, threads, seconds):
            url = f"http://127.0.0.1:{port}{PATHS[c].replace('@LISTING@', str(listing.get(backend, 0)))}"
            script = "bench/apartment_create.lua" if c in WRITES else "bench/report.lua"
            cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "-s", script]
            if c in AUTH and c not in WRITES:
                cmd += ["-H", f"Authorization: JWT {token[backend]}"]
            return cmd + [url]

        def wrk_runs(c, backend, ports, seconds, tag):
            """wrk against each port at once, the connections split; → the parsed BENCH lines."""
            n = len(ports)
            conns = max(1, args.connections // n)
            threads = max(1, min(conns, args.wrk_threads // n))
            ps = []
            for i, port in enumerate(ports):
                env = dict(os.environ)
                env.pop("BENCH_METHOD", None)
                env.pop("BENCH_BODY", None)
                if c == "cards_typical":
                    env.update(BENCH_METHOD="POST", BENCH_BODY=CARDS_BODY)
                if c in WRITES:
                    env.update(BENCH_TOKEN=token[backend], BENCH_ESTATE=str(estate[backend]),
                               BENCH_PREFIX=f"Bench {tag} P{i + 1}")
                ps.append(subprocess.Popen(wrk_cmd(c, backend, port, conns, threads, seconds), cwd=ROOT, env=env,
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
                procs.append(ps[-1])  # a signal now stops it too
            outs = []
            for p in ps:
                try:
                    outs.append(p.communicate(timeout=seconds + 60)[0])
                except subprocess.TimeoutExpired:
                    p.kill()
                    outs.append(p.communicate()[0])
                procs.remove(p)
            return outs

        res = {}  # (case, setup, round) → {"rps", "per": [BENCH dicts], "srv_us", "other"}

        def measure(c, setup, backend, ports, server_pids, r):
            tag = setup.replace("-", " ")  # a street name is letters, digits, spaces, ':' and '.'
            wrk_runs(c, backend, ports, args.warmup, f"{tag} R{r} W")
            pids0 = server_pids()
            s0 = cpu_ticks(pids0)
            w0 = children_ticks()
            b0, a0 = stat_cpu()
            outs = wrk_runs(c, backend, ports, args.duration, f"{tag} R{r} M")
            b1, a1 = stat_cpu()
            w1 = children_ticks()
            pids1 = server_pids()
            s1 = cpu_ticks(pids1)  # one that exited during the run loses its share: none should
            per = []
            for port, out in zip(ports, outs):
                d = parse_bench(out)
                if d is None:
                    sys.exit(f"wrk against {setup} {c} (port {port}) printed no BENCH line:\n{out[-1000:]}")
                per.append(d)
            ok_key = "rps_ok" if c in WRITES else "rps"
            reqs = sum(d["ok"] if c in WRITES else d["requests"] for d in per)
            srv = s1 - s0
            wall = (a1 - a0) / ncpu  # ticks of one CPU over the run
            other = max(0, (b1 - b0) - srv - (w1 - w0))
            res[c, setup, r] = {"rps": sum(d[ok_key] for d in per), "per": per,
                                "srv_us": 1e6 * srv / hz / reqs if reqs else 0.0,
                                "other": 100 * other / wall if wall else 0.0}
            errs = sum(errors(c, d) for d in per)
            say(f"round {r} {c} {setup}: {res[c, setup, r]['rps']:.0f} req/s, p99 "
                + " / ".join(f"{d['p99_ms']:.2f}" for d in per) + f" ms, errors {errs}, other processes "
                f"{res[c, setup, r]['other']:.0f}% of a core")

        run_order = [s[0] for s in setups] + (["nginx"] if nport else [])
        say(f"{args.rounds} round(s) of {', '.join(run_order)} × {', '.join(cases)}: wrk {args.connections} "
            f"connections, {args.warmup} s warm-up + {args.duration} s each")
        t_runs = time.time()
        load_before = os.getloadavg()
        for r in range(1, args.rounds + 1):
            order = run_order if r % 2 else list(reversed(run_order))
            for setup in order:
                if setup == "nginx":
                    pids = lambda: [nginx_proc.pid] + [int(x) for x in open(  # noqa: E731
                        f"/proc/{nginx_proc.pid}/task/{nginx_proc.pid}/children").read().split()]
                    for c in nginx_reads:
                        measure(c, "nginx", "sqlite", [nport], pids, r)
                    continue
                backend, n = next((b, k) for s, b, k in setups if s == setup)
                servers = start_servers(backend, n)
                if backend == "pg":
                    pids = lambda: [p.pid for p, _ in servers] + cluster.pids()  # noqa: E731
                else:
                    pids = lambda: [p.pid for p, _ in servers]  # noqa: E731
                for c in cases:  # the reads first, the write last
                    if (backend, c) in failed:
                        continue
                    measure(c, setup, backend, [port for _, port in servers], pids, r)
                    for p, port in servers:
                        if p.poll() is not None:
                            sys.exit(f"rentd ({setup}, port {port}) exited during {c}: status {p.returncode}")
                stop_servers(servers)
        timings["wrk runs"] = time.time() - t_runs

        # --- report ----------------------------------------------------------------------------
        def med(c, setup, f):
            vals = [f(res[c, setup, r]) for r in range(1, args.rounds + 1) if (c, setup, r) in res]
            return statistics.median(vals) if vals else None

        rows = []
        rows.append("| case | setup | req/s | p50 ms | p99 ms | errors | server CPU µs/req | other CPU % | vs nginx |")
        rows.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for c in cases:
            for setup in run_order:
                backend = next((b for s, b, _ in setups if s == setup), None)
                if (backend, c) in failed:
                    rows.append(f"| {c} | {setup} | not measured: {failed[backend, c][:120]} | | | | | | |")
                    continue
                if (c, setup, 1) not in res:
                    continue
                nproc = len(res[c, setup, 1]["per"])
                rps = med(c, setup, lambda x: x["rps"])
                p50 = " / ".join(f"{med(c, setup, lambda x: x['per'][i]['p50_ms']):.2f}" for i in range(nproc))
                p99 = " / ".join(f"{med(c, setup, lambda x: x['per'][i]['p99_ms']):.2f}" for i in range(nproc))
                errs = sum(errors(c, d) for r in range(1, args.rounds + 1) for d in res[c, setup, r]["per"])
                vs = ""
                if c in READS and setup != "nginx" and (c, "nginx", 1) in res:
                    vs = f"{100 * rps / med(c, 'nginx', lambda x: x['rps']):.0f}%"
                label = setup if setup == "nginx" else f"{setup} ({nproc} rentd)"
                rows.append(f"| {c} | {label} | {rps:.0f} | {p50} | {p99} | {errs} | "
                            f"{med(c, setup, lambda x: x['srv_us']):.1f} | {med(c, setup, lambda x: x['other']):.0f} | {vs} |")
        ratio = []
        if "pg" in backends:
            ratio.append("| case | PostgreSQL / SQLite, 1 rentd | PostgreSQL / SQLite, 2 rentd | target |")
            ratio.append("|---|---:|---:|---|")
            for c in cases:
                shares = []
                for k in (1, 2):
                    a, b = med(c, f"pg-{k}", lambda x: x["rps"]), med(c, f"sqlite-{k}", lambda x: x["rps"])
                    shares.append(100 * a / b if a is not None and b else None)
                cells = [f"{s:.0f}%" if s is not None else "—" for s in shares]
                if c in READS:
                    met = all(s is not None and s >= 50 for s in shares)
                    target = f"within 2× (≥ 50%): {'met' if met else 'MISSED'}"
                else:
                    target = "none"
                ratio.append(f"| {c} | {cells[0]} | {cells[1]} | {target} |")

        rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                             text=True).stdout.strip() or "no git"
        version = run([rentd, "version"]).strip()
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
        nginx_v = subprocess.run([args.nginx, "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
        wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1:2]
        sqlite_v = subprocess.run(["sh", "-c", f"ldd {rentd} | grep -o 'libsqlite3[^ ]*' | head -1; "
                                   "dpkg-query -W -f='${Version}' libsqlite3-0 2>/dev/null"],
                                  capture_output=True, text=True).stdout.split()
        lines = [
            f"# rentd on SQLite and PostgreSQL — {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
            "",
            f"    python3 bench/backends.py {' '.join(sys.argv[1:])}",
            "",
            f"- machine: {ncpu} CPUs, {cpu}, Linux {os.uname().release}; load average before the runs "
            f"{' '.join(f'{x:.1f}' for x in load_before)}",
            f"- {version} at {rev} ({rentd.replace(ROOT + '/', '')}), each process `--threads {args.threads} "
            f"--access-log off --log-level warn --public-url http://127.0.0.1:8080` (the same URLs from every port); nginx {nginx_v} (worker_processes {args.threads}); "
            f"wrk {' '.join(wrk_v)}",
            f"- SQLite: {' '.join(sqlite_v)} (rentd's own settings: WAL, synchronous=FULL, a 16 MB page cache "
            "per connection), file "
            f"{sizes['sqlite'] / 1e6:,.0f} MB",
        ]
        if "pg" in backends:
            lines += [
                f"- PostgreSQL: {pg_version}; a private cluster (Unix socket only), database "
                f"{sizes['pg'] / 1e6:,.0f} MB; settings: {'; '.join(pg_settings)}",
                f"- PostgreSQL's data: {fill_note}; then VACUUM ANALYZE and CHECKPOINT",
                f"- response bytes the same on both backends (each kept in {answers_dir.replace(ROOT + '/', '')}; a time of now in an answer may differ): "
                + ", ".join(f"{c} {'yes' if same[c] else 'no' if ('pg', c) in answer else '—'}" + (
                    f" ({len(answer['pg', c])} bytes against {len(answer['sqlite', c])})"
                    if not same[c] and ("pg", c) in answer else "") for c in same),
            ]
        lines += [
            f"- data: {seeded}",
            f"- per case and setup: {args.warmup} s warm-up (discarded), then {args.duration} s of wrk, "
            f"{args.connections} connections and {args.wrk_threads} wrk threads in all (with 2 rentd: one wrk per "
            f"process, half each, at the same time; req/s added, p50/p99 of each); {args.rounds} round(s), "
            "setups in alternating order, servers started per setup and round; medians",
            "- errors: socket errors and non-2xx answers (apartment_create counts only 2xx in req/s)"
            + "".join(f"; first non-2xx of {c} on {s}: {d['non2xx_text']}" for (c, s, r), v in sorted(res.items())
                      for d in v["per"][:1] if d.get("non2xx_text") and r == 1),
            "- server CPU: rentd processes, plus the cluster's processes for pg; other CPU: every other "
            "process on the machine (wrk excluded), % of one core",
            "- took: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
            + f", all {time.time() - t_start:.0f} s",
            "",
        ] + rows + [""] + ratio + [""]
        text = "\n".join(lines)
        print(text)
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)
        say(f"written to {args.out}")
    finally:
        for p in reversed(procs[:]):
            stop(p, "process")
        for log in locals().get("logs", []):
            log.close()
        if cluster:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def errors(c, d):
    socket_errors = d["err_connect"] + d["err_read"] + d["err_write"] + d["err_timeout"]
    return int(socket_errors + (d["non2xx"] if c in WRITES else d["err_status"]))


if __name__ == "__main__":
    main()
