#!/usr/bin/env python3
"""Webhooks against a real receiver (issue 16, "Done when"; core/webhooks/webhooks.h).

`rentd serve --demo` on a fresh SQLite database, with short settings (retry every second, a
three-second timeout); a small threaded HTTP/1.1 receiver on 127.0.0.1 in this process, whose
answer the test scripts per subscription (each subscription posts to a path of its own):
200, 500, hang past the timeout, or hold the answer until told. Every request is recorded
(headers, body, arrival). `rentd seed --webhook-events N` appends reservation events.

1. delivery: each event arrives once, in outbox order, its body the stored §13 payload plus
   `uuid` (= Idempotency-Key); the signature verifies with Python's own hmac (verify() below);
2. retry after 500: failed, failed, delivered in the delivery log; later events wait for it;
   a 302 is not followed (a failure, retried);
3. retry after a timeout: failed "timed out after 3 s", then delivered; another subscription
   to the same events is meanwhile delivered at once;
5. at-least-once across kill -9: the receiver holds its answer, rentd is SIGKILLed, the
   receiver answers, rentd restarts on the same database: once the sending job's lease has run
   out the event comes again with the same uuid; de-duplicated by uuid, every event once;
4. give up (on the restarted server, give-up 3 s): always 500 → gave_up, then the next event
   is delivered once the receiver answers 200;
7. test event, redelivery, rotation: POST …/test/ → a "ping" signed with the secret;
   redeliver a delivered event → it comes again with its uuid; after rotate_secret both the
   new and the previous secret verify;
6. SSRF: a server without --webhook-allow-loopback refuses http://127.0.0.1:PORT/ (also
   [::1] and 2130706433), https://10.1.2.3/ (also [::ffff:10.1.2.3]) and
   https://169.254.169.254/ at create (412 naming url), and at send http://localhost:PORT/
   (loopback) and a name pinned to 10.1.2.3 (private) — the receiver gets nothing.
Subscriptions go through the landlord API (POST /api/v1/webhooks/, the demo admin's JWT),
the delivery log through GET …/deliveries/. Any sanitizer report in the servers' stderr
fails the test (build-asan).

usage: test_webhooks.py RENTD_BINARY SOURCE_ROOT
"""
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from e2e_server import RUNNING, Database, Server as RentdServer, check, failures, stop_all

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
T0 = time.monotonic()


def note(what):
    print("note " + what, flush=True)


# docs/WEBHOOKS.md "Verifying the signature", as written there
def verify(secret: str, header: str, body: bytes, tolerance=300) -> bool:
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    t = next((v for k, v in parts if k == "t"), "0")
    mac = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return abs(time.time() - int(t)) <= tolerance and any(k == "v1" and hmac.compare_digest(v, mac) for k, v in parts)


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def wait_for(cond, seconds, step=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(step)
    return cond()


# ---- the receiver ----

class Receiver:
    """POSTs to /s/<name>: recorded; answered as self.script[name](request, earlier tries of its uuid) says:
    ("status", code[, body]), ("redirect", url) (302), ("hang", seconds) then 200, or ("hold", threading.Event)
    then 200."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.script = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                # Python writes the head and the body apart: without this, delayed ACK costs 40 ms a request
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                req = {"path": self.path, "name": self.path.split("/")[-1],
                       "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body,
                       "at": time.monotonic(), "wall": time.time(), "status": None}
                req["uuid"] = req["headers"].get("idempotency-key")
                with receiver.lock:
                    tries = sum(1 for r in receiver.requests if r["path"] == req["path"] and r["uuid"] == req["uuid"])
                    receiver.requests.append(req)
                    rule = receiver.script.get(req["name"])
                action = rule(req, tries) if rule else ("status", 200)
                if action[0] == "hang":
                    time.sleep(action[1])
                elif action[0] == "hold":
                    action[1].wait(60)
                status = action[1] if action[0] == "status" else 302 if action[0] == "redirect" else 200
                req["status"] = status if action[0] in ("status", "redirect") else action[0]  # "hang", "hold": late
                answer = action[2] if action[0] == "status" and len(action) > 2 else b"ok"
                try:
                    self.send_response(status)
                    if action[0] == "redirect":
                        self.send_header("Location", action[1])
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    self.wfile.flush()
                except OSError:
                    req["answered"] = False  # the client had gone (a timeout, a killed rentd)
                    self.close_connection = True

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that went away (a timeout, a killed rentd, libcurl done reading a long answer)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, name, host="127.0.0.1"):
        return "http://%s:%d/s/%s" % (host, self.port, name)

    def of(self, name):
        with self.lock:
            return [r for r in self.requests if r["name"] == name]


# ---- rentd ----

# a 3 s timeout: a loaded machine (the ASan suite in a fresh root) must not time out a healthy receiver
SHORT = ["--webhook-allow-http", "on", "--webhook-retry-interval", "1", "--webhook-timeout", "3"]


class Server(RentdServer):
    """rentd with its stdout (the demo banner) and stderr (the log) in files of tmp."""

    def __init__(self, tmp, db, env, args, demo=False):
        port_files = os.path.join(tmp, "rentd-%d" % len(RUNNING))
        self.out, self.err_path = port_files + ".stdout", port_files + ".log"
        self.err = open(self.err_path, "w")
        with open(self.out, "w") as out:
            super().__init__(RENTD, db, env, ["--log-level", "info"] + args + (["--demo"] if demo else []),
                             stdout=out, stderr=self.err, ready_seconds=60)

    def stop(self):
        super().stop()
        self.err.close()


class Rentd:
    """The database, the company and listing events are seeded for, and the subscriptions."""

    def __init__(self, tmp, env):
        self.tmp, self.env = tmp, env
        self.db = Database(os.path.join(tmp, "t.db"))
        self.server = None
        self.listing = None
        self.token = None

    def start(self, args, demo=False):
        self.server = Server(self.tmp, self.db.arg, self.env, args, demo)
        if demo:  # the demo admin's password is in the banner, shown once
            banner = wait_for(lambda: (lambda text: "next " in text and text)(read(self.server.out)), 10)
            line = next(ln for ln in banner.splitlines() if "admin@demo.rentd.local" in ln)
            st, body = self.server.call("POST", "/api/v2/tokens/", {
                "username": "admin@demo.rentd.local", "password": line.split("password")[1].split()[0]})
            check(st == 200, "the demo admin logs in (%d)" % st)
            self.token = body["token"]
        return self.server

    def api(self, method, path, body=None):
        return self.server.call(method, path, body, self.token)

    def sql(self, query, params=()):
        return self.db.query(query, params)

    def subscribe(self, url):
        """A subscription of the demo company to every event type: (id, secret)."""
        st, body = self.api("POST", "/api/v1/webhooks/", {"url": url, "event_types": EVENT_TYPES, "description": "e2e"})
        check(st == 201 and body["secret"].startswith("whsec_") and body["url"] == url,
              "subscribed %s (%d)" % (url, st))
        return body["id"], body["secret"]

    def deactivate(self, sub):
        st, body = self.api("PATCH", "/api/v1/webhooks/%d/" % sub, {"is_active": False})
        check(st == 200 and body["is_active"] is False and "secret" not in body, "subscription %d made inactive" % sub)

    def deliveries(self, sub, rows=0):
        """The delivery log of a subscription, oldest first, once it has that many rows (5 s at most): rentd
        records an attempt just after its answer, so a moment after the receiver has answered."""
        return wait_for(lambda: self.log(sub) if len(self.log(sub)) >= rows else None, 5) or self.log(sub)

    def log(self, sub):
        st, body = self.api("GET", "/api/v1/webhooks/%d/deliveries/?amount=500" % sub)
        if st != 200:
            return []
        return [{"id": d["id"], "uuid": d["event_uuid"], "type": d["event_type"], "attempt": d["attempt"],
                 "outcome": d["outcome"], "status": d["status_code"] or 0, "error": d["error"] or "",
                 "manual": d["manual"], "latency_ms": d["latency_ms"], "response": d["response"]}
                for d in reversed(body["results"])]

    def seed(self, n):
        """n reservation events of the listing: [(seq, uuid, payload)] in outbox order."""
        last = self.sql("SELECT COALESCE(MAX(seq), 0) FROM events")[0][0]
        r = subprocess.run([RENTD, "seed", "--webhook-events", str(n), "--company", "1", "--listing",
                            str(self.listing), "--database", self.db.arg], env=self.env, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        check(r.returncode == 0, "seed %d event(s) %s" % (n, r.stderr[-300:]))
        self.seeded_at = time.monotonic()
        return self.sql("SELECT seq, uuid, payload FROM events WHERE type = 'reservation' AND seq > ? ORDER BY seq",
                        (last,))


EVENT_TYPES = ["agreement_created", "project_interaction", "reservation", "application_signature",
               "signing_completed"]
RESERVATION_MEMBERS = {"apartment_id", "applicant", "company_id", "created", "employee", "object_ad_id",
                       "office_id", "type", "uuid"}  # homeq.md §13, the reservation event's required members


def delivered_once_each(receiver, name, events):
    """Waits until every event has been answered 200 on the name's path; the 200s' uuids in arrival order."""
    want = [e[1] for e in events]

    def done():
        ok = [r["uuid"] for r in receiver.of(name) if r["status"] == 200]
        return ok if set(want) <= set(ok) else None
    return wait_for(done, 20) or [r["uuid"] for r in receiver.of(name) if r["status"] == 200]


def phase_delivery(rd, rx):
    sub, secret = rd.subscribe(rx.url("deliver"))
    started = time.monotonic()
    events = rd.seed(5)
    got = delivered_once_each(rx, "deliver", events)
    reqs = rx.of("deliver")
    check(len(events) == 5, "five reservation events in the outbox")
    check(got == [e[1] for e in events], "1. each event arrives once, in seq order")
    if reqs:
        print("     seed command %.2f s, its exit to the first request %.2f s, the five requests within %.3f s"
              % (rd.seeded_at - started, reqs[0]["at"] - rd.seeded_at, reqs[-1]["at"] - reqs[0]["at"]))
    check(len(reqs) == 5, "1. five requests, no more: %d" % len(reqs))
    bodies_ok = sigs_ok = wrong_ok = headers_ok = True
    for e, r in zip(events, reqs):
        body = json.loads(r["body"])
        stored = json.loads(e[2])
        bodies_ok &= body == dict(stored, uuid=e[1]) and RESERVATION_MEMBERS <= set(body) and \
            body["type"] == "reservation" and body["uuid"] == r["uuid"] and bool(body["created"])
        h = r["headers"]
        headers_ok &= h.get("content-type") == "application/json" and h.get("x-webhook-event") == "reservation" \
            and r["path"] == "/s/deliver"
        sigs_ok &= verify(secret, h.get("x-webhook-signature", ""), r["body"])
        wrong_ok &= not verify("whsec_" + "0" * 64, h.get("x-webhook-signature", ""), r["body"])
    check(bodies_ok, "1. body = the stored §13 reservation payload + uuid (= Idempotency-Key), created, type")
    check(headers_ok, "1. Content-Type: application/json, X-Webhook-Event: reservation")
    check(sigs_ok, "1. X-Webhook-Signature verifies with the subscription's secret (Python hmac)")
    check(wrong_ok, "1. ... and not with another secret")
    check(not verify(secret, reqs[0]["headers"]["x-webhook-signature"], reqs[0]["body"] + b" "),
          "1. ... nor over a changed body")
    log = rd.deliveries(sub, 5)
    check([(d["uuid"], d["attempt"], d["outcome"], d["status"]) for d in log] ==
          [(e[1], 1, "delivered", 200) for e in events], "1. the delivery log: five delivered, attempt 1, 200")
    print("     latency_ms in the log: %s" % ", ".join("%.1f" % d["latency_ms"] for d in log))
    rd.deactivate(sub)


def phase_retry_500(rd, rx):
    sub, secret = rd.subscribe(rx.url("retry500"))
    events = None
    rx.script["retry500"] = lambda req, tries: ("status", 500 if req["uuid"] == events[0][1] and tries < 2 else 200)
    events = rd.seed(3)
    got = delivered_once_each(rx, "retry500", events)
    reqs = rx.of("retry500")
    check(got == [e[1] for e in events], "2. all three delivered, in seq order")
    check([(r["uuid"], r["status"]) for r in reqs] ==
          [(events[0][1], 500), (events[0][1], 500), (events[0][1], 200), (events[1][1], 200), (events[2][1], 200)],
          "2. the first event: 500, 500, 200; the later ones wait for it: %s" % [r["status"] for r in reqs])
    gaps = [reqs[i + 1]["at"] - reqs[i]["at"] for i in range(2)]
    # at least the interval; the job queue's whole seconds (next_run_at) make it 1–2 s more
    check(all(g >= 0.9 for g in gaps), "2. retries a retry interval apart: %s s" % ["%.2f" % g for g in gaps])
    check(all(verify(secret, r["headers"]["x-webhook-signature"], r["body"]) for r in reqs),
          "2. every attempt signed")
    log = rd.deliveries(sub, 5)
    check([(d["uuid"], d["attempt"], d["outcome"], d["status"]) for d in log] ==
          [(events[0][1], 1, "failed", 500), (events[0][1], 2, "failed", 500), (events[0][1], 3, "delivered", 200),
           (events[1][1], 1, "delivered", 200), (events[2][1], 1, "delivered", 200)],
          "2. the delivery log: failed 1, failed 2, delivered 3, then 1, 1: %s"
          % [(d["attempt"], d["outcome"]) for d in log])
    check(log[0]["error"] == "answered 500", "2. the failure's error: %r" % log[0]["error"])
    rd.deactivate(sub)


def phase_redirect(rd, rx):
    sub, _ = rd.subscribe(rx.url("redirect"))
    rx.script["redirect"] = lambda req, tries: ("redirect", rx.url("elsewhere")) if tries == 0 else ("status", 200)
    events = rd.seed(1)
    got = delivered_once_each(rx, "redirect", events)
    log = rd.deliveries(sub, 2)
    check(got == [events[0][1]] and rx.of("elsewhere") == [], "2. a 302 is not followed: nothing at its Location")
    check([(d["outcome"], d["status"], d["error"]) for d in log] ==
          [("failed", 302, "answered 302"), ("delivered", 200, "")],
          "2. ... it is a failure (answered 302), then the retry is delivered")
    rd.deactivate(sub)


def phase_long_answer(rd, rx):
    sub, _ = rd.subscribe(rx.url("long"))
    rx.script["long"] = lambda req, tries: ("status", 500 if tries == 0 else 200, b"x" * (100 * 1024))
    events = rd.seed(1)
    delivered_once_each(rx, "long", events)
    log = rd.deliveries(sub, 2)
    check([(d["outcome"], d["status"]) for d in log] == [("failed", 500), ("delivered", 200)],
          "2. a 100 KiB answer: 500 failed, 200 delivered: %s" % [(d["outcome"], d["status"]) for d in log])
    check(log and len(log[0]["response"]) == 1024, "2. ... the log keeps its first 1024 bytes")
    check(log and log[0]["error"] == "answered 500", "2. ... the failure's error: %r" % (log[0]["error"] if log else None))
    rd.deactivate(sub)


def phase_timeout(rd, rx):
    sub, _ = rd.subscribe(rx.url("timeout"))
    other, _ = rd.subscribe(rx.url("bystander"))  # the same events, answered at once
    events = None
    rx.script["timeout"] = lambda req, tries: ("hang", 4.5) if req["uuid"] == events[0][1] and tries == 0 \
        else ("status", 200)
    events = rd.seed(2)
    got = delivered_once_each(rx, "timeout", events)
    reqs = rx.of("timeout")
    check(got == [e[1] for e in events], "3. both delivered, in order")
    check([r["uuid"] for r in reqs] == [events[0][1], events[0][1], events[1][1]],
          "3. the first event twice (hung, then answered), the second once")
    log = rd.deliveries(sub, 3)
    check([(d["attempt"], d["outcome"]) for d in log] == [(1, "failed"), (2, "delivered"), (1, "delivered")],
          "3. the delivery log: failed, delivered, delivered: %s" % [(d["attempt"], d["outcome"]) for d in log])
    check(log and log[0]["error"].startswith("timed out") and log[0]["status"] == 0,
          "3. the failure: %r, no status" % (log[0]["error"] if log else None))
    if len(reqs) >= 2:
        print("     the retry came %.2f s after the hung request began" % (reqs[1]["at"] - reqs[0]["at"]))
    by = rx.of("bystander")
    check([r["uuid"] for r in by] == [e[1] for e in events] and reqs and by[-1]["at"] < reqs[0]["at"] + 2.5,
          "3. another subscription of the same events is not held up: both delivered %.2f s after the hang began"
          % ((by[-1]["at"] - reqs[0]["at"]) if by and reqs else -1))
    rd.deactivate(sub)
    rd.deactivate(other)


def phase_kill9(rd, rx, restart_args):
    """Returns the restarted server's seconds from the kill to the event sent again."""
    sub, secret = rd.subscribe(rx.url("crash"))
    hold = threading.Event()
    events = None
    rx.script["crash"] = lambda req, tries: ("hold", hold) if req["uuid"] == events[0][1] and tries == 0 \
        else ("status", 200)
    events = rd.seed(3)
    held = wait_for(lambda: rx.of("crash"), 10)
    check(bool(held) and held[0]["uuid"] == events[0][1], "5. the first event's request arrives and is held")
    rd.server.kill9()
    killed = time.monotonic()
    hold.set()  # the receiver answers: nobody hears it
    time.sleep(0.2)
    lease = rd.sql("SELECT locked_until - ?, state FROM jobs WHERE kind = 'webhook_delivery'", (int(time.time()),))
    check(bool(lease) and lease[0][1] == "running", "5. the sending job was running when killed (lease %s s left)"
          % (lease[0][0] if lease else None))
    rd.start(restart_args)
    note("restarted in %.1f s" % rd.server.start_seconds)
    check(rd.deliveries(sub) == [], "5. nothing recorded for the killed attempt")
    delivered_once_each(rx, "crash", events)
    reqs = rx.of("crash")
    uuids = [r["uuid"] for r in reqs]
    again = [r for r in reqs[1:] if r["uuid"] == events[0][1]]
    check(bool(again), "5. after the restart the held event is sent again with the same uuid")
    resent = again[0]["at"] - killed if again else None
    if again:
        check(verify(secret, again[0]["headers"]["x-webhook-signature"], again[0]["body"]) and
              json.loads(again[0]["body"]) == json.loads(reqs[0]["body"]),
              "5. ... the same body, signed (%.1f s after the kill: the lease running out)" % resent)
    dedup = list(dict.fromkeys(uuids))
    check(dedup == [e[1] for e in events], "5. de-duplicated by uuid: every seeded event exactly once, in order")
    check(uuids.count(events[0][1]) == 2 and len(uuids) == 4, "5. sent %d times in all (3 events + 1 again)"
          % len(uuids))
    check([r["uuid"] for r in reqs[1:] if r["status"] == 200] == [e[1] for e in events],
          "5. answered 200 after the restart: all three, in order")
    log = rd.deliveries(sub, 3)
    check([(d["uuid"], d["outcome"]) for d in log] == [(e[1], "delivered") for e in events],
          "5. the delivery log: each delivered once (the killed attempt left no row)")
    rd.deactivate(sub)
    return resent


def phase_give_up(rd, rx, give_up):
    sub, _ = rd.subscribe(rx.url("giveup"))
    healthy = threading.Event()
    rx.script["giveup"] = lambda req, tries: ("status", 200 if healthy.is_set() else 500)
    first = rd.seed(1)
    created = time.monotonic()

    def given_up():
        return [d for d in rd.deliveries(sub) if d["outcome"] == "gave_up"]
    gave = wait_for(given_up, give_up + 10, 0.1)
    took = time.monotonic() - created
    log = rd.deliveries(sub)
    check(len(gave) == 1 and gave[0]["uuid"] == first[0][1],
          "4. the event is given up (%.1f s after it was appended; horizon %d s)" % (took, give_up))
    check(all(d["outcome"] == "failed" and d["status"] == 500 for d in log[:-1]) and log[-1]["outcome"] == "gave_up"
          and [d["attempt"] for d in log] == list(range(1, len(log) + 1)),
          "4. the log: failed × %d, then gave_up: %s" % (len(log) - 1, [(d["attempt"], d["outcome"]) for d in log]))
    check(len(rx.of("giveup")) == len(log) and all(r["status"] == 500 for r in rx.of("giveup")),
          "4. the receiver saw every attempt (%d), each answered 500" % len(rx.of("giveup")))
    time.sleep(1.5)
    check(len(rx.of("giveup")) == len(log), "4. no attempt after giving up")
    healthy.set()
    second = rd.seed(1)
    got = delivered_once_each(rx, "giveup", second)
    check(got == [second[0][1]], "4. the next event is delivered once the receiver answers 200")
    log = rd.deliveries(sub, len(log) + 1)
    check(log[-1]["outcome"] == "delivered" and log[-1]["uuid"] == second[0][1], "4. ... and logged delivered")
    rd.deactivate(sub)


def phase_manual(rd, rx):
    sub, secret = rd.subscribe(rx.url("manual"))
    events = rd.seed(1)
    delivered_once_each(rx, "manual", events)
    log = rd.deliveries(sub, 1)
    st, body = rd.api("POST", "/api/v1/webhooks/%d/test/" % sub)
    check(st == 202 and body.get("uuid"), "7. POST …/test/ → 202 with a uuid (%d)" % st)
    ping = body["uuid"] if st == 202 else None
    got = wait_for(lambda: [r for r in rx.of("manual") if r["uuid"] == ping], 10)
    if got:
        b = json.loads(got[0]["body"])
        check(b["type"] == "ping" and b["uuid"] == ping and b.get("created") and
              got[0]["headers"].get("x-webhook-event") == "ping", "7. the receiver gets a ping: %s" % b)
        check(verify(secret, got[0]["headers"]["x-webhook-signature"], got[0]["body"]), "7. ... signed with the secret")
    else:
        check(False, "7. the receiver gets a ping")
    log = rd.deliveries(sub, 2)
    check(len(log) == 2 and log[1]["uuid"] == ping and log[1]["manual"] and log[1]["outcome"] == "delivered",
          "7. the ping is logged, manual, delivered")
    st, body = rd.api("POST", "/api/v1/webhooks/%d/deliveries/%d/redeliver/" % (sub, log[0]["id"]))
    check(st == 202 and body.get("uuid") == events[0][1], "7. redeliver the delivered event → 202, its uuid (%d)" % st)
    again = wait_for(lambda: [r for r in rx.of("manual") if r["uuid"] == events[0][1]][1:], 10)
    check(bool(again) and json.loads(again[0]["body"]) == json.loads(rx.of("manual")[0]["body"]) and
          verify(secret, again[0]["headers"]["x-webhook-signature"], again[0]["body"]),
          "7. ... it arrives again: the same uuid and body, signed")
    log = rd.deliveries(sub, 3)
    check(log[-1]["uuid"] == events[0][1] and log[-1]["manual"] and log[-1]["attempt"] == 1, "7. ... logged manual")
    st, body = rd.api("POST", "/api/v1/webhooks/%d/deliveries/%d/redeliver/" % (sub, log[1]["id"]))
    check(st == 409, "7. a ping is not redelivered: %d %s" % (st, body))
    st, body = rd.api("POST", "/api/v1/webhooks/%d/rotate_secret/" % sub)
    fresh = body.get("secret") if st == 200 else None
    check(st == 200 and fresh and fresh != secret, "7. rotate_secret → 200 with a new secret")
    st, body = rd.api("POST", "/api/v1/webhooks/%d/test/" % sub)
    got = wait_for(lambda: [r for r in rx.of("manual") if r["uuid"] == (body or {}).get("uuid")], 10)
    if got and fresh:
        h = got[0]["headers"]["x-webhook-signature"]
        check(h.count("v1=") == 2 and verify(fresh, h, got[0]["body"]) and verify(secret, h, got[0]["body"]),
              "7. after the rotation the new and the previous secret both verify")
    else:
        check(False, "7. a ping after the rotation")
    rd.deactivate(sub)


def phase_ssrf(rd, rx):
    for url, why in ((rx.url("refused"), "loopback"), ("https://169.254.169.254/latest/meta-data/", "link-local"),
                     ("https://10.1.2.3/", "private"), ("http://[::1]:%d/" % rx.port, "loopback"),
                     ("https://[::ffff:10.1.2.3]/", "private"),
                     (rx.url("decimal", "2130706433"), "127.0.0.1 is loopback")):  # 127.0.0.1 as one number
        st, body = rd.api("POST", "/api/v1/webhooks/", {"url": url, "event_types": ["reservation"]})
        check(st == 412 and why in " ".join(((body or {}).get("fields") or {}).get("url") or []),
              "6. %s refused at create: %d %s" % (url, st, body))
    local, _ = rd.subscribe(rx.url("localhost", "localhost"))
    internal, _ = rd.subscribe("https://internal.example:443/s/internal")
    rd.seed(1)

    def logged():
        a, b = rd.deliveries(local), rd.deliveries(internal)
        return (a, b) if a and b else None
    a, b = wait_for(logged, 10) or (rd.deliveries(local), rd.deliveries(internal))
    # localhost is 127.0.0.1 and (where the resolver gives it) ::1: every address tried is named
    check(bool(a) and a[0]["outcome"] == "refused" and a[0]["status"] == 0 and
          a[0]["error"] != "" and set(a[0]["error"].split(", ")) <= {"address 127.0.0.1 is loopback", "address ::1 is loopback"},
          "6. http://localhost:PORT/ refused when sent: %r" % (a[0]["error"] if a else None))
    check(bool(b) and b[0]["outcome"] == "refused" and "private" in b[0]["error"] and "10.1.2.3" in b[0]["error"],
          "6. internal.example pinned to 10.1.2.3 refused when sent: %r" % (b[0]["error"] if b else None))
    time.sleep(0.5)
    check(rx.of("localhost") == [] and rx.of("internal") == [], "6. the receiver got nothing")
    rd.deactivate(local)
    rd.deactivate(internal)


def sanitizer_reports(paths):
    found = []
    for p in paths:
        text = read(p)
        for marker in ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:"):
            if marker in text:
                found.append("%s: %s" % (os.path.basename(p), marker))
    return found


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RENTD_")}
        env["RENTD_GEO_DIR"] = os.path.join(ROOT, "data/geo")
        rx = Receiver()
        rd = Rentd(tmp, env)
        logs = []
        try:
            settings = SHORT + ["--webhook-allow-loopback", "on", "--webhook-give-up", "60"]
            one = rd.start(settings, demo=True)
            logs.append(one.err_path)
            note("serve --demo ready in %.1f s" % one.start_seconds)
            rd.listing = rd.sql("SELECT MIN(id) FROM object_ads WHERE company_id = 1")[0][0]
            check(rd.listing is not None, "the demo company has a listing")
            # the demo's thumbnails first: with the job workers busy, the first delivery would wait for them
            t = time.monotonic()
            wait_for(lambda: rd.sql("SELECT COUNT(*) FROM jobs WHERE state = 'running' OR (state = 'queued'"
                                    " AND next_run_at <= ?)", (int(time.time()),))[0][0] == 0, 30, 0.1)
            note("the demo's background jobs done %.1f s after ready" % (time.monotonic() - t))
            phases = []
            for name, phase in (("1 delivery", phase_delivery), ("2 retry after 500", phase_retry_500),
                                ("2 a redirect", phase_redirect), ("2 a long answer", phase_long_answer),
                                ("3 retry after a timeout", phase_timeout)):
                t = time.monotonic()
                phase(rd, rx)
                phases.append((name, time.monotonic() - t))
            t = time.monotonic()
            give_up = 3
            phase_kill9(rd, rx, SHORT + ["--webhook-allow-loopback", "on", "--webhook-give-up", str(give_up)])
            logs.append(rd.server.err_path)
            phases.append(("5 kill -9", time.monotonic() - t))
            t = time.monotonic()
            phase_give_up(rd, rx, give_up)
            phases.append(("4 give up", time.monotonic() - t))
            t = time.monotonic()
            phase_manual(rd, rx)
            phases.append(("7 test, redeliver, rotate", time.monotonic() - t))
            rd.server.stop()
            t = time.monotonic()
            rd.start(SHORT + ["--webhook-give-up", "60", "--webhook-resolve", "internal.example:443:10.1.2.3"])
            logs.append(rd.server.err_path)
            phase_ssrf(rd, rx)
            phases.append(("6 SSRF", time.monotonic() - t))
            rd.server.stop()
            print("     phases: " + ", ".join("%s %.1f s" % p for p in phases))
            doc = read(os.path.join(ROOT, "docs/WEBHOOKS.md"))
            start = doc.find("def verify(")
            check(start > 0 and doc[start:doc.index("```", start)].strip() in read(__file__),
                  "docs/WEBHOOKS.md's verify() is, line for line, the one this test checks every request with")
            reports = sanitizer_reports(logs)
            check(reports == [], "no sanitizer report in the servers' stderr: %s" % reports)
        finally:
            stop_all()
            rx.httpd.shutdown()
            if failures:
                for p in logs:
                    sys.stderr.write("---- %s\n%s\n" % (os.path.basename(p), read(p)[-3000:]))
    print("%d failure(s) in %.1f s" % (len(failures), time.monotonic() - T0))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        stop_all()
    sys.exit(rc)
