#!/usr/bin/env python3
"""The letting process's deadlines in real rentd processes (issue 15).

A deadline is a row in the durable job queue, so it must survive a crash and fire once when
several rentd processes share the database. Over real HTTP against the real binary:

1. one `rentd serve` on a fresh database (SQLite, or PostgreSQL in e2e_pg): a landlord publishes a listing (two offers
   at a time), four applicants register, join the queue and apply;
2. the server is killed with SIGKILL; the listing's applications are then made to have closed
   an hour ago (its start_processing_at and the close job queued before the crash moved back
   in the database — the day that would pass in real life), and a second close job for
   the same deadline is queued beside it;
3. two `rentd serve` processes start on that database, each with two job workers: both jobs
   run, between them, at once — one ranking, exactly two offers, the first two places;
4. the same yes command with the same etag is sent to both processes at once: exactly one is
   answered 200 and the other 409 StaleEtag.

usage: test_letting_processes.py RENTD_BINARY SOURCE_ROOT
"""
import os
import subprocess
import sys
import tempfile
import threading
import time

from e2e_server import Database, Server as RentdServer, check, failures, stop_all

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def Server(db, log, env):
    return RentdServer(RENTD, db.arg, env, ["--log-level", "warn"], stdout=log, stderr=log)


def personal_number(n):
    digits = "850505%03d" % n
    total = 0
    for i, ch in enumerate(digits):
        v = int(ch) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return "19850505-%s%d" % (digits[6:], (10 - total % 10) % 10)


def applicant(server, n, days):
    email = "p%d@example.se" % n
    st, body = server.call("POST", "/v2/applicants", {
        "email": email, "password": "hemligt123", "firstName": "P%d" % n, "lastName": "Ek",
        "personalNumber": personal_number(n), "income": {"gross": 40000, "source": "employment_permanent"},
        "household": {"adults": 1, "children": 0}, "accommodation": {"type": "rental"}})
    check(st == 201, "applicant %d registered (%d)" % (n, st))
    st, body = server.call("POST", "/v2/auth", {
        "method": "password", "identifier": email, "key": "hemligt123",
        "codeChallenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "codeChallengeMethod": "S256",
        "returnAddress": "https://minasidor.example.se/signin", "nonce": "n", "state": "s"})
    check(st == 200, "applicant %d signed in" % n)
    token = body["completed"]["accessToken"]
    st, _ = server.call("POST", "/v2/market/applicant/queues/residential", {"command": "join"}, token, "Bearer")
    check(st == 200, "applicant %d joined the queue" % n)
    return token, days


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RENTD_")}
        env["RENTD_GEO_DIR"] = os.path.join(ROOT, "data/geo")
        db = Database(os.path.join(tmp, "t.db"))
        log = open(os.path.join(tmp, "rentd.log"), "w")
        r = subprocess.run([RENTD, "company", "create", "--name", "Acme", "--admin-username", "admin",
                            "--admin-password", "admin-password-1", "--database", db.arg],
                           env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        check(r.returncode == 0, "company create: " + r.stderr[-300:])

        # 1. publish and apply
        one = Server(db, log, env)
        st, body = one.call("POST", "/api/v2/tokens/", {"username": "admin", "password": "admin-password-1"})
        check(st == 200, "landlord login")
        lt = body["token"]
        st, body = one.call("POST", "/api/v1/requirements/", {"name": "Standard"}, lt)
        check(st == 201, "requirement profile (%d %s)" % (st, body))
        req = body["id"]
        st, body = one.call("POST", "/api/v4/estate", {"legal_name": "Solrosen 1", "city": "Stockholm"}, lt)
        check(st == 200, "estate")
        estate = body["id"]
        st, body = one.call("POST", "/api/v4/apartment", {
            "estate": estate, "street_name": "Kungsgatan", "street_number": "7", "zip_code": "11143",
            "national_id": "1101", "latitude": 59.336, "longitude": 18.064, "area": 50, "floor": 2,
            "rent": 8000, "rooms": 2}, lt)
        check(st == 201, "apartment (%d %s)" % (st, body))
        st, body = one.call("POST", "/api/v1/object_ad/", {"apartment": body["id"], "requirement": req}, lt)
        check(st == 201, "listing (%d %s)" % (st, body))
        ad = body["id"]
        db.execute("UPDATE object_ads SET batch_size = 2 WHERE id = ?", (ad,))
        people = []
        for n, days in enumerate([400, 300, 200, 100], start=1):
            token, _ = applicant(one, n, days)
            st, body = one.call("POST", "/v2/market/%d/applications" % ad, {"command": {"type": "apply"}}, token,
                                "Bearer")
            check(st == 200, "applicant %d applied (%d %s)" % (n, st, body))
            people.append((token, int(body["id"][0])))
        # places by points: the applicants' queue days (the points at apply time are stored)
        for i, (token, app) in enumerate(people):
            db.execute("UPDATE applications SET queue_points = ? WHERE id = ?", (1000 - i, app))

        # 2. a crash, and the day passes
        one.kill9()
        now = int(time.time())
        db.execute("UPDATE object_ads SET start_processing_at = ? WHERE id = ?", (now - 3600, ad))
        n = db.execute("UPDATE jobs SET next_run_at = ? WHERE kind = 'process_close' AND payload LIKE ?",
                       (now - 3600, "%d@%%" % ad))
        # and a second close job due at the same time, so that the two processes can each take one at once
        db.execute("INSERT INTO jobs(kind, payload, state, attempts, next_run_at) VALUES ('process_close', ?, 'queued',"
                   " 0, ?)", ("%d@%d" % (ad, now - 3600), now - 3600))
        check(n == 1, "the close job was queued durably before the crash")

        # 3. two processes, one ranking
        a, b = Server(db, log, env), Server(db, log, env)
        deadline = time.monotonic() + 20
        offered = []
        while time.monotonic() < deadline:
            offered = [row[0] for row in db.query(
                "SELECT a.id FROM applications a JOIN application_ranks r ON r.application_id = a.id"
                " WHERE a.listing_id = ? AND a.state = 'question' ORDER BY r.rank", (ad,))]
            if len(offered) >= 2:
                break
            time.sleep(0.1)
        time.sleep(1.5)  # the second process's workers poll every second: give them their chance to double up
        offered = [row[0] for row in db.query(
            "SELECT a.id FROM applications a JOIN application_ranks r ON r.application_id = a.id"
                " WHERE a.listing_id = ? AND a.state = 'question' ORDER BY r.rank", (ad,))]
        check(offered == [people[0][1], people[1][1]], "the first two places are offered: %s" % offered)
        check(db.query("SELECT COUNT(*) FROM listing_processes WHERE listing_id = ?", (ad,))[0][0] == 1,
              "one ranking")
        check(db.query("SELECT COUNT(*) FROM events WHERE type = 'application_question'")[0][0] == 2,
              "two offers in the outbox, not four")
        check(db.query("SELECT COUNT(*) FROM jobs WHERE kind = 'process_close' AND state = 'done'")[0][0] == 2,
              "both close jobs ran (the second found the listing ranked)")

        # 4. the same etag to both processes at once
        token, app = people[0]
        st, body = a.call("GET", "/v2/market/applications/%d" % app, None, token, "Bearer")
        check(st == 200 and body["application"]["presentation"]["type"] == "questionYesNo",
              "the offer shows as questionYesNo")
        etag = body["application"]["etag"]
        answers = []

        def send(server):
            answers.append(server.call("POST", "/v2/market/%d/applications/%d" % (ad, app),
                                       {"etag": etag, "command": {"type": "yes"}}, token, "Bearer")[0])

        threads = [threading.Thread(target=send, args=(s,)) for s in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(sorted(answers) == [200, 409], "one yes wins, the other is 409: %s" % answers)
        check(db.query("SELECT state FROM applications WHERE id = ?", (app,))[0][0] == "form",
              "the application went on once")
        a.stop()
        b.stop()
        db.close()
        log.close()
        if failures:
            with open(os.path.join(tmp, "rentd.log")) as f:
                sys.stderr.write(f.read()[-3000:])
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        stop_all()
    sys.exit(rc)
