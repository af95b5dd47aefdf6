#!/usr/bin/env python3
"""market_apply.py — N applicants apply for one listing at once, over HTTP, timed.

    bench/market_apply.py [--applicants 10000] [--concurrency 128] [--rentd build-bench/rentd]

Makes a fresh database (a company, a few listings, applicants with queue places over 15
years: `rentd seed`), takes the access tokens of N residential-queue applicants
(`rentd applicant tokens`), starts rentd (2 worker threads, access log off) and has
`concurrency` keep-alive connections send the N applies (POST /v2/market/{id}/applications)
to ONE residential listing as fast as answers come back: each applicant once, every request a
different person. Prints req/s, the latency percentiles and every non-200 answer, then checks
the outcome: exactly N applications of N different applicants on the listing in the
database, each with the points its applicant held, and a live place for each (the first
and the last by points, through GET /v2/market/applications).

An apply is a write (a transaction with the application, its first step and an outbox
event, committed with synchronous=FULL), so there is no static nginx answer to compare it
with; the client runs on the same two cores as the server (Python threads: it costs the
server some of its CPU, so the figures are a floor).
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, **kw):
    # from the source tree: `rentd seed` reads the geography in data/geo
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, **kw).stdout


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, int(round(p / 100.0 * (len(sorted_values) - 1))))
    return sorted_values[k]


def post(base, path, token, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": "JWT " + token} if token else {})})
    return json.load(urllib.request.urlopen(req))


def publish_listing(base, db):
    """A new listing, open for applications now, through the landlord API: the seeded ones
    were published in the past and most of their windows have closed."""
    token = post(base, "/api/v2/tokens/", None, {"username": "bench@rentd.local", "password": "bench-password-1"})["token"]
    requirement = post(base, "/api/v1/requirements/", token, {"name": "Bench"})["id"]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    apartment = con.execute("SELECT id FROM apartments WHERE id NOT IN (SELECT apartment_id FROM object_ads"
                            " WHERE status NOT IN ('deleted', 'rented')) ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    return post(base, "/api/v1/object_ad/", token, {"apartment": apartment, "requirement": requirement})["id"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--applicants", type=int, default=10000)
    ap.add_argument("--concurrency", type=int, default=128)
    ap.add_argument("--rentd", default="build-bench/rentd")
    ap.add_argument("--threads", type=int, default=2, help="rentd worker threads")
    args = ap.parse_args()
    rentd = os.path.join(ROOT, args.rentd) if not os.path.isabs(args.rentd) else args.rentd
    tmp = tempfile.mkdtemp(prefix="rentd-apply.")
    db = os.path.join(tmp, "rentd.db")
    server = None
    try:
        run([rentd, "company", "create", "--database", db, "--name", "Bench", "--admin-username",
             "bench@rentd.local", "--admin-password", "bench-password-1"])
        run([rentd, "seed", "--apartments", "30", "--database", db])
        run([rentd, "seed", "--listings", "20", "--database", db, "--media-dir", os.path.join(tmp, "media")])
        # 88 % of seeded applicants queue for housing: seed enough for N residential members
        run([rentd, "seed", "--applicants", str(args.applicants * 100 // 85 + 100), "--database", db])
        tokens = run([rentd, "applicant", "tokens", "--count", str(args.applicants), "--queues", "residential",
                      "--database", db]).split()
        if len(tokens) != args.applicants:
            sys.exit(f"only {len(tokens)} residential applicants")
        port = free_port()
        server = subprocess.Popen([rentd, "serve", "--listen", f"127.0.0.1:{port}", "--database", db,
                                   "--threads", str(args.threads), "--access-log", "off", "--log-level", "warn",
                                   "--media-dir", os.path.join(tmp, "media")],
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "rentd.log"), "w"),
                                  start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if urllib.request.urlopen(base + "/readyz", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("rentd did not start")
        listing = str(publish_listing(base, db))

        lock = threading.Lock()
        queue = list(reversed(tokens))
        latencies, failures = [], []

        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            body = b'{"command": {"type": "apply"}}'
            mine = []
            while True:
                with lock:
                    if not queue:
                        break
                    token = queue.pop()
                t = time.perf_counter()
                conn.request("POST", f"/v2/market/{listing}/applications", body,
                             {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                r = conn.getresponse()
                answer = r.read()
                mine.append(time.perf_counter() - t)
                if r.status != 200:
                    with lock:
                        failures.append((r.status, answer[:200]))
            with lock:
                latencies.extend(mine)
            conn.close()

        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t0

        lat = sorted(latencies)
        ms = lambda v: f"{v * 1000:.1f}"
        print(f"applies: {len(lat)} to listing {listing} over {args.concurrency} connections in {elapsed:.2f} s "
              f"= {len(lat) / elapsed:.0f} req/s")
        print(f"latency ms: p50 {ms(percentile(lat, 50))}  p90 {ms(percentile(lat, 90))}  "
              f"p99 {ms(percentile(lat, 99))}  max {ms(lat[-1])}")
        print(f"errors: {len(failures)}")
        for status, answer in failures[:10]:
            print(f"  HTTP {status}: {answer!r}")

        # the outcome, from the database and the applicants' own view
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        n, people, zero = con.execute(
            "SELECT COUNT(*), COUNT(DISTINCT user_id), SUM(queue_points = 0) FROM applications"
            " WHERE listing_id = ? AND closed_at IS NULL", (int(listing),)).fetchone()
        events = con.execute("SELECT COUNT(*) FROM events WHERE aggregate = 'application'").fetchone()[0]
        print(f"stored: {n} open applications of {people} applicants, {events} outbox events, "
              f"{zero} with 0 points")
        ok = not failures and n == people == args.applicants == events
        for order in ("DESC", "ASC"):
            uid = con.execute(f"SELECT user_id FROM applications WHERE listing_id = ? ORDER BY queue_points {order},"
                              f" applied_at {'ASC' if order == 'DESC' else 'DESC'} LIMIT 1", (int(listing),)).fetchone()[0]
            index = con.execute("SELECT COUNT(*) FROM applicant_profiles WHERE user_id < ? AND EXISTS (SELECT 1 FROM"
                                " queue_memberships m WHERE m.user_id = applicant_profiles.user_id AND"
                                " m.queue_type = 'residential' AND m.left_at IS NULL)", (uid,)).fetchone()[0]
            req = urllib.request.Request(base + "/v2/market/applications",
                                         headers={"Authorization": "Bearer " + tokens[index]})
            item = json.load(urllib.request.urlopen(req))["items"][0]
            want = "1" if order == "DESC" else str(args.applicants)
            print(f"placeSorted of the {'most' if order == 'DESC' else 'fewest'} points: {item.get('placeSorted')}"
                  f" (expected {want})")
            ok = ok and item.get("placeSorted") == want
        print("outcome:", "ok" if ok else "WRONG")
        sys.exit(0 if ok else 1)
    finally:
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
