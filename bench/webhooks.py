#!/usr/bin/env python3
"""webhooks.py — 100,000 queued webhook events delivered to a local receiver, timed (issue 16).

    bench/webhooks.py [--events 100000] [--rentd build-bench/rentd] [--threads 2]
                      [--nginx /usr/sbin/nginx]

Makes a fresh database (a company and one listing: `rentd company create`, `rentd seed
--listings 1`), starts a private nginx as the receiver (POST /hook answered 204, each
request's arrival time and Idempotency-Key in its access log) and rentd (--webhook-allow-http
on, --webhook-allow-loopback on), subscribes the receiver to `reservation` through the API
(POST /api/v1/webhooks/), then:

1. the request path alone: wrk on GET /api/v1/object/{id} (the public listing read) for 5 s;
2. queues the events: `rentd seed --webhook-events N` (another process, in transactions of
   5,000: rentd's job worker notices within its 1 s poll), and once they are all queued runs
   the same wrk again while they are delivered;
3. waits until the receiver has every event and reports: events/s (deliveries over the time
   from the first arrival to the last), the delay from each event's commit (its occurred_us)
   to its arrival (p50/p99/max: with a backlog this is mostly waiting in line), duplicates and
   missing uuids (both must be 0), and the two wrk runs' p50/p99 side by side;
4. reference, same run: wrk POSTs one event's body to the same nginx with 1 connection (one
   request in flight, as rentd keeps per subscription) and with 16 — the receiver's ceiling
   on this machine.

rentd, nginx and wrk share the machine's cores: the figures are of all three together.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_commands import free_port, percentile, run, wait_ready  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NGINX_CONF = """daemon off;
master_process on;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; use epoll; }}
http {{
    log_format hook '$msec $http_idempotency_key';
    access_log off;
    tcp_nodelay on;
    keepalive_timeout 60s;
    keepalive_requests 1000000;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location = /hook {{ access_log {tmp}/hook.log hook buffer=256k flush=1s; return 204; }}
        location = /ref {{ return 204; }}
    }}
}}
"""


def api(port, method, path, body=None, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"JWT {token}")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def wrk(url, seconds, conns, script=None):
    cmd = ["wrk", f"-t{min(2, conns)}", f"-c{conns}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    stats = {"rps": 0.0, "p50": "?", "p99": "?"}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            stats["rps"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in ("50%", "99%"):
            stats["p" + parts[0][:-1]] = parts[1]
    return stats


def arrivals(path):
    seen = {}
    dups = 0
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                t, _, key = line.strip().partition(" ")
                if key in seen:
                    dups += 1
                else:
                    seen[key] = float(t)
    return seen, dups


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--rentd", default=os.path.join(ROOT, "build-bench", "rentd"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    args = ap.parse_args()
    rentd = os.path.abspath(args.rentd)
    tmp = tempfile.mkdtemp(prefix="rentd-webhooks-")
    db = os.path.join(tmp, "rentd.db")
    procs = []
    try:
        run([rentd, "company", "create", "--database", db, "--name", "Bench", "--admin-username",
             "bench@rentd.local", "--admin-password", "bench-password-1"])
        run([rentd, "seed", "--listings", "1", "--company", "1", "--database", db])
        listing = sqlite3.connect(db).execute("SELECT id FROM object_ads ORDER BY id LIMIT 1").fetchone()[0]

        nport, rport = free_port(), free_port()
        for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(tmp, d), exist_ok=True)
        with open(os.path.join(tmp, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=nport))
        procs.append(subprocess.Popen([args.nginx, "-p", tmp, "-c", os.path.join(tmp, "nginx.conf"),
                                       "-e", os.path.join(tmp, "error.log")]))
        log = open(os.path.join(tmp, "rentd.log"), "w")
        server = subprocess.Popen([rentd, "serve", "--database", db, "--listen", f"127.0.0.1:{rport}",
                                   "--threads", str(args.threads), "--access-log", "off",
                                   "--webhook-allow-http", "on", "--webhook-allow-loopback", "on"],
                                  stdout=log, stderr=log, env={**os.environ, "RENTD_GEO_DIR": os.path.join(ROOT, "data/geo")})
        procs.append(server)
        wait_ready(f"http://127.0.0.1:{rport}/healthz", server)
        token = api(rport, "POST", "/api/v2/tokens/", {"username": "bench@rentd.local",
                                                       "password": "bench-password-1"})["token"]
        api(rport, "POST", "/api/v1/webhooks/", {"url": f"http://127.0.0.1:{nport}/hook",
                                                 "event_types": ["reservation"]}, token)
        read_url = f"http://127.0.0.1:{rport}/api/v1/object/{listing}"
        idle = wrk(read_url, 5, 16)

        t0 = time.time()
        seed = subprocess.Popen([rentd, "seed", "--webhook-events", str(args.events), "--company", "1",
                                 "--listing", str(listing), "--database", db], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        if seed.wait(timeout=600) != 0:
            sys.exit(f"rentd seed --webhook-events failed: {seed.stderr.read()[-500:]}")
        queued = time.time() - t0
        busy = wrk(read_url, 5, 16)  # while the queued events are delivered
        want = args.events
        deadline = time.time() + 900
        hook_log = os.path.join(tmp, "hook.log")
        while time.time() < deadline:
            n = sum(1 for _ in open(hook_log)) if os.path.exists(hook_log) else 0
            if n >= want:
                break
            time.sleep(1)
        time.sleep(1.5)  # the access log's buffer is flushed every second
        seen, dups = arrivals(hook_log)
        conn = sqlite3.connect(db)
        committed = dict(conn.execute("SELECT uuid, occurred_us FROM events WHERE type = 'reservation'"))
        outcomes = dict(conn.execute("SELECT outcome, COUNT(*) FROM webhook_deliveries GROUP BY outcome"))
        missing = [u for u in committed if u not in seen]
        delays = sorted(seen[u] - committed[u] / 1e6 for u in committed if u in seen)
        first, last = min(seen.values()), max(seen.values())

        body = conn.execute("SELECT payload FROM events WHERE type = 'reservation' LIMIT 1").fetchone()[0]
        script = os.path.join(tmp, "post.lua")
        with open(script, "w") as f:
            f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                    f"wrk.body = {json.dumps(body)}\n")
        ref1 = wrk(f"http://127.0.0.1:{nport}/ref", 5, 1, script)
        ref16 = wrk(f"http://127.0.0.1:{nport}/ref", 5, 16, script)

        print(f"events queued: {len(committed)} in {queued:.1f} s; delivered: {len(seen)}"
              f" (log: {json.dumps(outcomes)}); duplicates: {dups}; missing: {len(missing)}")
        print(f"delivery: {len(seen) / max(last - first, 1e-9):.0f} events/s"
              f" ({len(seen)} from the first arrival to the last in {last - first:.2f} s)")
        print(f"commit → delivery: p50 {percentile(delays, 50) * 1000:.0f} ms, p99 {percentile(delays, 99) * 1000:.0f} ms,"
              f" max {delays[-1] * 1000:.0f} ms")
        print(f"request path, GET /api/v1/object/{{id}}, 16 connections, 5 s: idle {idle['rps']:.0f} req/s"
              f" p50 {idle['p50']} p99 {idle['p99']}; while delivering {busy['rps']:.0f} req/s"
              f" p50 {busy['p50']} p99 {busy['p99']}")
        print(f"reference: wrk POSTing an event's body to the same nginx: 1 connection {ref1['rps']:.0f} req/s"
              f" (p99 {ref1['p99']}), 16 connections {ref16['rps']:.0f} req/s (p99 {ref16['p99']})")
        if missing or len(seen) < want:
            sys.exit("not every event arrived")
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
