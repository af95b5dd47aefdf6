#!/usr/bin/env python3
"""process_commands.py — applicants answer their offers at once, over HTTP, timed (issue 15).

    bench/process_commands.py [--concurrency 200] [--offers 1000] [--rentd build-bench/rentd]
                              [--threads 2] [--no-share 20]

Makes a fresh database (a company, listings seeded in the past, so their applications have
closed: `rentd seed --listings`; applicants: `rentd seed --applicants`), puts 12 applications
by different applicants on each of about offers/5 residential listings (`rentd seed
--applications 12 --listing ID,ID,…`: each listing other applicants) and ranks them with
`rentd process close ID,ID,…`, which offers each listing's first batch (5 approved
candidates: the questionYesNo step). It takes the applicants' tokens (`rentd applicant
tokens`), starts rentd and finds each applicant's offered application and its etag (GET
/v2/market/applications; these reads are reported, not part of the command figures).

Then `concurrency` keep-alive connections, each one applicant at a time, answer every offer,
each command after a pause drawn from 0..think seconds (a person reading the question and
filling the form; --think 0: as fast as answers come back, every connection always waiting
for one): POST /v2/market/{marketObjectId}/applications/{id} with
{"etag", "command": {"type": "yes"}}, then with the etag of that answer {"command": {"type":
"done"}} (the form), or — for every no_share'th % of the applicants — {"type": "no"}.
Prints the answer latency p50/p90/p99/max per command and over all, throughput, every
error (any answer but 200 is one), the server's CPU per command, and the outcome checked in
the database (every yes+done application in viewing, every no annulled, the next candidate
offered for each no).

Reference, same run: a private nginx (bench/nginx.conf.in) serves the bytes of one yes
answer as a static file, and the same client sends the same requests (same bodies, same
connections, same order) to it (nginx answers a POST to a file with the file:
error_page 405 =200). Its figures are the floor of this client and this machine.

The client is Python asyncio on the same two cores as the server: its latency includes the
client's own scheduling, so the figures are upper bounds.
"""
import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PER_LISTING = 12


def run(cmd, timeout=1800):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} … failed ({p.returncode}): {p.stderr.strip()[-500:]}")
    return p.stdout


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


def wait_ready(url, proc):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit(f"{url}: the server exited")
        try:
            if urllib.request.urlopen(url, timeout=1).status == 200:
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{url} did not answer")


def cpu_ticks(pids):
    t = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                v = f.read().rsplit(")", 1)[1].split()
            t += int(v[11]) + int(v[12])
        except OSError:
            pass
    return t


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


class Conn:
    """One keep-alive HTTP/1.1 connection (Content-Length answers only)."""

    def __init__(self, port):
        self.port = port
        self.r = self.w = None

    async def request(self, method, path, headers, body=b""):
        if self.w is None:
            self.r, self.w = await asyncio.open_connection("127.0.0.1", self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.w.write(head.encode() + b"\r\n" + body)
        raw = await self.r.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            k, _, v = line.partition(":")
            if k.strip().lower() == "content-length":
                length = int(v)
        data = await self.r.readexactly(length) if length else b""
        return status, data

    def close(self):
        if self.w:
            self.w.close()


async def find_offers(port, tokens, concurrency):
    """Each token's offered application: (token, listing, application, etag); and the read latencies."""
    queue = list(reversed(tokens))
    offers, lat, errors = [], [], []

    async def worker():
        c = Conn(port)
        while queue:
            token = queue.pop()
            t = time.perf_counter()
            status, data = await c.request("GET", "/v2/market/applications", {"Authorization": "Bearer " + token})
            lat.append(time.perf_counter() - t)
            if status != 200:
                errors.append((status, data[:200]))
                continue
            for item in json.loads(data).get("items", []):
                if (item.get("presentation") or {}).get("type") == "questionYesNo":
                    offers.append((token, item["marketObject"]["id"], item["id"], item["etag"]))
        c.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return offers, sorted(lat), errors


def body(etag, command):
    return json.dumps({"etag": etag, "command": {"type": command}}).encode()


async def answer_all(port, offers, concurrency, no_share, think, fixed_path=None, fixed_etag=None):
    """Every offer answered (yes then done, or no) over concurrency connections, each command
    after a pause of 0..think seconds (the same pauses in every run). fixed_path: the reference
    (every request to that one path, the etag of the yes answer sent again)."""
    queue = list(reversed(range(len(offers))))
    lat = {"yes": [], "done": [], "no": []}
    errors, outcome = [], {}

    async def worker():
        c = Conn(port)
        while queue:
            i = queue.pop()
            token, listing, app, etag = offers[i]
            path = fixed_path or f"/v2/market/{listing}/applications/{app}"
            hdr = {"Authorization": "Bearer " + token}
            steps = ["no"] if i % 100 < no_share else ["yes", "done"]
            pauses = random.Random(i)
            for cmd in steps:
                if think:
                    await asyncio.sleep(pauses.uniform(0, think))
                t = time.perf_counter()
                status, data = await c.request("POST", path, hdr, body(etag, cmd))
                lat[cmd].append(time.perf_counter() - t)
                if status != 200:
                    errors.append((cmd, status, data[:300]))
                    break
                etag = fixed_etag or json.loads(data)["application"]["etag"]
            outcome[app] = steps[0]
        c.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - t0, {k: sorted(v) for k, v in lat.items()}, errors, outcome


def report(name, elapsed, lat, errors, cpu_s=None):
    ms = lambda v: f"{v * 1000:.2f}"
    allv = sorted(v for vs in lat.values() for v in vs)
    print(f"{name}: {len(allv)} commands in {elapsed:.2f} s = {len(allv) / elapsed:.0f} commands/s,"
          f" errors {len(errors)}" + (f", server CPU {1e6 * cpu_s / max(len(allv), 1):.0f} µs a command" if cpu_s else ""))
    for k, v in list(lat.items()) + [("all", allv)]:
        if v:
            print(f"  {k:5} n={len(v):5}  p50 {ms(percentile(v, 50))}  p90 {ms(percentile(v, 90))}"
                  f"  p99 {ms(percentile(v, 99))}  max {ms(v[-1])} ms")
    for e in errors[:10]:
        print("  error:", e)
    return allv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--offers", type=int, default=1000, help="about this many offered applications")
    ap.add_argument("--think", type=float, default=1.0,
                    help="each command after a pause of 0..THINK s (0: as fast as answers come)")
    ap.add_argument("--no-share", type=int, default=20, help="%% of the applicants who say no")
    ap.add_argument("--rentd", default="build-bench/rentd")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--target", type=float, default=20.0, help="p99 bound of a command's answer, ms")
    ap.add_argument("--perf", help="record the server with perf during the commands into this file")
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    args = ap.parse_args()
    rentd = os.path.join(ROOT, args.rentd) if not os.path.isabs(args.rentd) else args.rentd
    tmp = tempfile.mkdtemp(prefix="rentd-commands.")
    db = os.path.join(tmp, "rentd.db")
    server = nginx = None
    ok = True
    try:
        nlistings = (args.offers + 4) // 5 * 21 // 20  # a few more: some listings offer fewer than 5
        run([rentd, "company", "create", "--database", db, "--name", "Bench", "--admin-username",
             "bench@rentd.local", "--admin-password", "bench-password-1"])
        run([rentd, "seed", "--listings", str(nlistings * 2 + 50), "--database", db, "--media-dir",
             os.path.join(tmp, "media")])
        run([rentd, "seed", "--applicants", str(nlistings * PER_LISTING * 100 // 85 + 200), "--database", db])
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        listings = [r[0] for r in con.execute(
            "SELECT o.id FROM object_ads o JOIN requirement_profiles r ON r.id = o.requirement_id"
            " WHERE o.status = 'active' AND o.start_processing_at < ? AND r.student = 0 AND r.senior = 0"
            " AND r.youth = 0 ORDER BY o.id LIMIT ?", (int(time.time()) - 60, nlistings))]
        con.close()
        if len(listings) < nlistings:
            sys.exit(f"only {len(listings)} residential listings whose applications have closed")
        ids = ",".join(map(str, listings))
        seeded = json.loads(run([rentd, "seed", "--applications", str(PER_LISTING), "--listing", ids, "--database", db]))
        closed = json.loads(run([rentd, "process", "close", ids, "--database", db]))
        print(f"setup: {len(listings)} listings, {seeded['applications']} applications"
              f" ({seeded['screening_failed']} failing screening), ranked in"
              f" {sum(r['seconds'] for r in closed['listings']):.2f} s", flush=True)
        tokens = run([rentd, "applicant", "tokens", "--count", str(len(listings) * PER_LISTING), "--queues",
                      "residential", "--database", db]).split()

        port = free_port()
        server = subprocess.Popen([rentd, "serve", "--listen", f"127.0.0.1:{port}", "--database", db,
                                   "--threads", str(args.threads), "--access-log", "off", "--log-level", "warn",
                                   "--media-dir", os.path.join(tmp, "media")],
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "rentd.log"), "w"),
                                  start_new_session=True)
        wait_ready(f"http://127.0.0.1:{port}/readyz", server)
        offers, read_lat, read_err = asyncio.run(find_offers(port, tokens, args.concurrency))
        print(f"reads: {len(read_lat)} GET /v2/market/applications, p50 {percentile(read_lat, 50) * 1000:.2f}"
              f" p99 {percentile(read_lat, 99) * 1000:.2f} ms, errors {len(read_err)}; {len(offers)} offers",
              flush=True)
        if read_err or len(offers) < args.concurrency:
            sys.exit(f"not enough offers ({len(offers)}) or read errors: {read_err[:3]}")

        # one yes answer's bytes for the reference, from an offer the run does not use
        sample = offers.pop()
        status, sample_body = asyncio.run(_one(port, sample))
        if status != 200:
            sys.exit(f"the sample yes answered {status}: {sample_body[:300]!r}")

        perf = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-p", str(server.pid), "-o", args.perf],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if args.perf else None
        cpu0 = cpu_ticks([server.pid])
        elapsed, lat, errors, outcome = asyncio.run(answer_all(port, offers, args.concurrency, args.no_share,
                                                                 args.think))
        cpu_s = (cpu_ticks([server.pid]) - cpu0) / os.sysconf("SC_CLK_TCK")
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait(timeout=60)
        allv = report(f"rentd (--threads {args.threads}, {args.concurrency} connections)", elapsed, lat, errors, cpu_s)
        p99, rentd_errors = percentile(allv, 99) * 1000, len(errors)
        ok = ok and not errors

        # the outcome
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        states = {}
        for app, cmd in outcome.items():
            st = con.execute("SELECT state FROM applications WHERE id = ?", (int(app),)).fetchone()[0]
            states[(cmd, st)] = states.get((cmd, st), 0) + 1
        offered = con.execute("SELECT COUNT(*) FROM applications WHERE state = 'question'").fetchone()[0]
        con.close()
        print("outcome:", ", ".join(f"{c} → {s}: {n}" for (c, s), n in sorted(states.items())),
              f"; offers open now (next candidates after a no): {offered}")
        good = all((c == "yes" and s == "viewing") or (c == "no" and s == "annulled") for (c, s) in states)
        ok = ok and good

        # the reference: nginx serving the yes answer's bytes at one path
        docroot = os.path.join(tmp, "docroot")
        path = f"/v2/market/{sample[1]}/applications/{sample[2]}"
        os.makedirs(os.path.dirname(docroot + path), exist_ok=True)
        with open(docroot + path, "wb") as f:
            f.write(sample_body)
        nport = free_port()
        with open(os.path.join(ROOT, "bench/nginx.conf.in")) as f:
            conf = f.read().replace("@TMPDIR@", tmp).replace("@PORT@", str(nport)).replace("@DOCROOT@", docroot)
        conf = conf.replace("worker_processes 2;", f"worker_processes {args.threads};")
        with open(os.path.join(tmp, "nginx.conf"), "w") as f:
            f.write(conf)
        os.chmod(tmp, 0o755)
        nginx = subprocess.Popen([args.nginx, "-p", tmp, "-c", os.path.join(tmp, "nginx.conf"), "-e",
                                  os.path.join(tmp, "error.log")], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        wait_ready(f"http://127.0.0.1:{nport}{path}", nginx)
        cpu0 = cpu_ticks([nginx.pid] + children(nginx.pid))
        elapsed, lat, errors, _ = asyncio.run(answer_all(nport, offers, args.concurrency, args.no_share,
                                                         args.think, fixed_path=path, fixed_etag=sample[3]))
        cpu_s = (cpu_ticks([nginx.pid] + children(nginx.pid)) - cpu0) / os.sysconf("SC_CLK_TCK")
        report(f"nginx, the same bytes ({len(sample_body)} B, worker_processes {args.threads}, same pauses)", elapsed, lat,
               errors, cpu_s)
        print("outcome:", "ok" if ok else "WRONG")
        print(f"target: command answers p99 < {args.target:g} ms with no errors: "
              f"{'met' if ok and p99 < args.target else 'MISSED'} (p99 {p99:.2f} ms, {rentd_errors} errors)")
    finally:
        for p in (server, nginx):
            if p:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


async def _one(port, offer):
    c = Conn(port)
    token, listing, app, etag = offer
    r = await c.request("POST", f"/v2/market/{listing}/applications/{app}", {"Authorization": "Bearer " + token},
                        body(etag, "yes"))
    c.close()
    return r


if __name__ == "__main__":
    main()
