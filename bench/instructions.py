#!/usr/bin/env python3
"""bench/instructions.py — instructions per request, counted by callgrind.

wrk's req/s moves with whatever else the machine is doing; the number of instructions a
request costs does not (valgrind counts them, it does not time them). This runs one rentd
under `valgrind --tool=callgrind` with instrumentation off, warms each case up, then counts
the instructions of N requests of the case (every thread of the server) and prints their
mean. Use it to compare two builds of rentd on a machine that is not quiet; use bench/run.sh
for the speed itself.

  bench/instructions.py --rentd BUILD/rentd --database DB [--cases small_json object_read
                        cards_typical market_object] [--requests 1000] [--warmup 200]
                        [--listing ID]

DB is copied first (a seeded database: BENCH_SEED_CACHE of bench/run.sh keeps one). The cases
are those of bench/run.sh with the same requests, and market_object: GET /v2/market/objects/{id}
of the same listing (the market's kept detail). --listing names the listing of object_read and
market_object instead of the first card of cards_typical. Needs valgrind (callgrind_control).
"""
import argparse
import glob
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

CARDS_TYPICAL = {"shapes": ["county.1"], "min_rent": 6000, "max_rent": 12000, "min_room": 2,
                 "sorting": "publish_date.desc", "amount": 20}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit(f"instructions: {method} {path} answered {r.status}: {data[:200]!r}")
    return data


def case_request(case, listing):
    if case == "small_json":
        return "GET", "/healthz", None
    if case == "db_read":
        return "GET", "/readyz", None
    if case == "object_read":
        return "GET", f"/api/v1/object/{listing}", None
    if case == "cards_typical":
        return "POST", "/api/v3/cards/", CARDS_TYPICAL
    if case == "market_object":
        return "GET", f"/v2/market/objects/{listing}", None
    sys.exit(f"instructions: unknown case {case}")


def total_ir(path):
    with open(path) as f:
        for line in f:
            m = re.match(r"(?:summary|totals): (\d+)", line)
            if m:
                return int(m.group(1))
    sys.exit(f"instructions: no total in {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--rentd", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--cases", nargs="+", default=["small_json", "object_read", "cards_typical"])
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--listing", type=int, help="the listing of object_read and market_object")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="rentd-instr-")
    db = os.path.join(tmp, "rentd.db")
    shutil.copy(args.database, db)
    port = free_port()
    out = os.path.join(tmp, "callgrind.out")
    # libvips loads its format modules at start; one of them (libjxl's libhwy) runs an
    # instruction valgrind does not know. rentd's thumbnails need none of those modules.
    env = dict(os.environ, VIPSHOME="/nonexistent")
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         args.rentd, "serve", "--listen", f"127.0.0.1:{port}", "--database", db, "--threads", "2",
         "--access-log", "off", "--log-level", "warn"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "valgrind.log"), "w"), env=env)
    try:
        deadline = time.time() + 300
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                request(conn, "GET", "/readyz")
                break
            except (OSError, http.client.HTTPException):
                if time.time() > deadline or server.poll() is not None:
                    with open(os.path.join(tmp, "valgrind.log")) as log:
                        sys.stderr.write(log.read()[-2000:])
                    sys.exit("instructions: rentd did not start under valgrind")
                time.sleep(0.5)
        listing = args.listing
        if listing is None and ("object_read" in args.cases or "market_object" in args.cases):
            cards = json.loads(request(conn, "POST", "/api/v3/cards/", CARDS_TYPICAL))
            listing = cards["results"][0]["id"]
        rev = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                             cwd=os.path.dirname(os.path.abspath(args.rentd))).stdout.strip()
        print(f"rentd {args.rentd} ({rev or 'no git'}), {args.requests} requests a case after "
              f"{args.warmup} uncounted, one keep-alive connection")
        for case in args.cases:
            method, path, body = case_request(case, listing)
            for _ in range(args.warmup):
                request(conn, method, path, body)
            before = set(glob.glob(out + "*"))
            subprocess.run(["callgrind_control", "--zero", str(server.pid)], check=True, capture_output=True)
            subprocess.run(["callgrind_control", "--instr=on", str(server.pid)], check=True, capture_output=True)
            for _ in range(args.requests):
                request(conn, method, path, body)
            subprocess.run(["callgrind_control", "--dump", str(server.pid)], check=True, capture_output=True)
            subprocess.run(["callgrind_control", "--instr=off", str(server.pid)], check=True, capture_output=True)
            dumps = sorted(set(glob.glob(out + "*")) - before, key=os.path.getmtime)
            if not dumps:
                sys.exit("instructions: callgrind wrote no dump")
            ir = sum(total_ir(d) for d in dumps)
            print(f"{case:16s} {ir / args.requests:12,.0f} instructions/request")
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
