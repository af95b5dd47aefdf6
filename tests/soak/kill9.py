#!/usr/bin/env python3
"""kill9.py — does rentd keep every write it acknowledged when it is killed with SIGKILL?

Runs N cycles (--cycles, default 100) against one SQLite database in a temporary directory:

  1. start `rentd serve` on a free 127.0.0.1 port and log in once;
  2. run --clients (default 8) concurrent keep-alive clients, each creating estates
     (POST /api/v4/estate) with unique names ("k9-<cycle>-<client>-<n>") as fast as it can;
  3. after a random time (--min-run .. --max-run seconds) send SIGKILL to rentd;
  4. restart rentd on the same database and check that every write that got a 2xx answer
     with an id is there: all of them in the database file (id and name, via sqlite3), and
     a random sample of --api-sample through GET /api/v4/estate/{id} (the server's view).

At the end every acknowledged write of every cycle is checked once more (a later crash must
not lose an earlier write). Prints cycles, acknowledged writes, writes in flight at the kill
(no answer: they may or may not have landed, both are correct) and lost writes as a Markdown
table; exits 1 on any lost write, 2 on a setup failure.

Standard library only. Only 127.0.0.1 is contacted. Not part of `make test` (it runs for
minutes): `python3 tests/soak/kill9.py --cycles 100` from the repository root after
`make build`.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ADMIN = "kill9@rentd.local"
PASSWORD = "kill9-password-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = "JWT " + token
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


class Server:
    def __init__(self, binary, db, log):
        self.binary, self.db, self.log = binary, db, log
        self.proc = None
        self.port = None

    def start(self, threads):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--database", self.db,
             "--threads", str(threads), "--access-log", "off", "--log-level", "warn"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"rentd exited with {self.proc.returncode} at start")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                st, _ = request(c, "GET", "/readyz")
                c.close()
                if st == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("rentd did not become ready in 15 s")

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc:
            self.proc.wait()
        self.proc = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.proc = None

    def conn(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def login(self):
        c = self.conn()
        st, body = request(c, "POST", "/api/v2/tokens/", {"username": ADMIN, "password": PASSWORD})
        c.close()
        if st != 200:
            raise RuntimeError(f"login answered {st}: {body[:200]!r}")
        return json.loads(body)["token"]


def writer(server, token, cycle, client, stop, acked, stats, lock):
    """Creates estates until stop is set or the connection dies (the kill)."""
    conn = server.conn()
    n = 0
    mine = []
    in_flight = 0
    unexpected = []
    while not stop.is_set():
        name = f"k9-{cycle}-{client}-{n}"
        n += 1
        try:
            st, body = request(conn, "POST", "/api/v4/estate", {"legal_name": name, "city": "Stockholm"}, token)
        except (OSError, http.client.HTTPException):
            in_flight += 1  # sent (or being sent) when the server died: no acknowledgement
            break
        if 200 <= st < 300:
            mine.append((json.loads(body)["id"], name))
        else:
            unexpected.append((st, body[:200]))
    conn.close()
    with lock:
        acked.extend(mine)
        stats["in_flight"] += in_flight
        stats["unexpected"].extend(unexpected)


def check_db(db, acked):
    """The acknowledged (id, name) pairs missing from the database file."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        con.execute("CREATE TEMP TABLE want (id INTEGER NOT NULL, name TEXT NOT NULL)")
        con.executemany("INSERT INTO want VALUES (?, ?)", acked)
        missing = con.execute(
            "SELECT w.id, w.name FROM want w LEFT JOIN estates e ON e.id = w.id AND e.name = w.name "
            "WHERE e.id IS NULL").fetchall()
    finally:
        con.close()
    return missing


def check_api(server, token, sample):
    missing = []
    conn = server.conn()
    for eid, name in sample:
        st, body = request(conn, "GET", f"/api/v4/estate/{eid}", token=token)
        if st != 200 or json.loads(body).get("name") != name:
            missing.append((eid, name, st))
    conn.close()
    return missing


def in_flight_landed(db, cycle):
    """How many writes of the cycle are in the database (acknowledged or not)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM estates WHERE name LIKE ?", (f"k9-{cycle}-%",)).fetchone()[0]
    finally:
        con.close()


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cycles", type=int, default=100)
    ap.add_argument("--clients", type=int, default=8, help="concurrent writers per cycle")
    ap.add_argument("--min-run", type=float, default=0.2, help="seconds of load before the kill, at least")
    ap.add_argument("--max-run", type=float, default=1.5, help="seconds of load before the kill, at most")
    ap.add_argument("--threads", type=int, default=2, help="rentd --threads")
    ap.add_argument("--api-sample", type=int, default=50, help="acknowledged writes per cycle read back over HTTP")
    ap.add_argument("--rentd", default=os.path.join(root, "build", "rentd"))
    ap.add_argument("--seed", type=int, default=None, help="random seed (kill moments); default: time")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(time.time())
    rng = random.Random(seed)
    os.chdir(root)  # rentd reads data/ relative to the working directory

    tmp = tempfile.mkdtemp(prefix="rentd-kill9.")
    db = os.path.join(tmp, "rentd.db")
    log = open(os.path.join(tmp, "rentd.log"), "ab")
    server = Server(a.rentd, db, log)
    all_acked = []
    lost = []
    stats = {"in_flight": 0, "unexpected": []}
    landed_unacked = 0
    t0 = time.monotonic()
    rc = 0
    try:
        subprocess.run([a.rentd, "company", "create", "--database", db, "--name", "Kill9",
                        "--admin-username", ADMIN, "--admin-password", PASSWORD],
                       check=True, stdout=subprocess.DEVNULL, stderr=log)
        server.start(a.threads)
        token = server.login()
        for cycle in range(1, a.cycles + 1):
            stop = threading.Event()
            acked = []
            lock = threading.Lock()
            workers = [threading.Thread(target=writer, args=(server, token, cycle, i, stop, acked, stats, lock))
                       for i in range(a.clients)]
            for w in workers:
                w.start()
            time.sleep(rng.uniform(a.min_run, a.max_run))
            server.kill9()
            stop.set()
            for w in workers:
                w.join()
            server.start(a.threads)
            token = server.login()
            missing = check_db(db, acked)
            missing_api = check_api(server, token, rng.sample(acked, min(a.api_sample, len(acked))))
            landed_unacked += in_flight_landed(db, cycle) - len(acked) + len(missing)
            all_acked.extend(acked)
            lost.extend(missing)
            if missing or missing_api:
                print(f"cycle {cycle}: LOST {len(missing)} in the database, {len(missing_api)} over HTTP: "
                      f"{(missing or missing_api)[:5]}", file=sys.stderr)
            if cycle % 10 == 0 or cycle == a.cycles:
                print(f"kill9: cycle {cycle}/{a.cycles}: {len(all_acked)} acknowledged, {len(lost)} lost "
                      f"({time.monotonic() - t0:.0f} s)", file=sys.stderr)
            lost.extend((eid, name) for eid, name, _ in missing_api if (eid, name) not in missing)
        final_missing = check_db(db, all_acked)
        for m in final_missing:
            if m not in lost:
                lost.append(m)
        server.stop()
    except (RuntimeError, subprocess.CalledProcessError, OSError) as e:
        print(f"kill9: setup failure: {e}", file=sys.stderr)
        rc = 2
    finally:
        server.kill9()
        log.close()
        if rc == 2 or a.keep:
            print(f"kill9: kept {tmp} (rentd.log inside)", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if rc == 2:
        return rc
    unexpected = stats["unexpected"]
    print()
    print("| kill -9 durability | value |")
    print("|---|---|")
    print(f"| command | `python3 tests/soak/kill9.py --cycles {a.cycles} --clients {a.clients} "
          f"--min-run {a.min_run} --max-run {a.max_run} --seed {seed}` |")
    print(f"| cycles (kill -9, restart, check) | {a.cycles} |")
    print(f"| acknowledged writes (2xx with an id) | {len(all_acked)} |")
    print(f"| **acknowledged writes lost** | **{len(lost)}** |")
    print(f"| writes in flight at the kill (no answer) | {stats['in_flight']} |")
    print(f"| of those, found in the database after restart | {landed_unacked} |")
    print(f"| answers other than 2xx | {len(unexpected)} |")
    print(f"| wall time | {time.monotonic() - t0:.0f} s |")
    if unexpected:
        print(f"kill9: unexpected answers, first: {unexpected[:3]}", file=sys.stderr)
    return 1 if lost or unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
