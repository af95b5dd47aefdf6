#!/usr/bin/env python3
"""The command line against the real binary: --help names every flag and command the code knows
(read from the code's own tables, so the test cannot go stale), unknown flags suggest the nearest
known one, `seed` without a target names its four, `serve` on a busy port fails before it
creates the database or the secret, and `webhook …` manages a company's subscriptions.

usage: test_cli.py RENTD_BINARY SOURCE_ROOT
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(args, cwd, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENTD_")}
    return subprocess.run([RENTD] + args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def source(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def config_options():
    """(flag, variable) of every configuration flag: config.c's env_map and set_option."""
    text = source("src/app/config.c")
    table = re.search(r"env_map\[\] = \{(.*?)\n\};", text, re.S).group(1)
    pairs = re.findall(r'\{ "(RENTD_[A-Z_]+)", "([a-z-]+)" \}', table)
    named = set(re.findall(r'strcmp\(name, "([a-z-]+)"\) == 0', text))
    check(named == {o for _, o in pairs}, "config.c: set_option and env_map name the same flags")
    return [("--" + o, v) for v, o in pairs]


def cli_commands():
    """Every command of cli.c's cli_main and main.c's main, as 'cmd' or 'cmd sub'."""
    commands = set()
    body = source("src/cli.c").split("int cli_main(", 1)[1]
    for cond in re.findall(r"\bif \((.*?)\) \{", body, re.S):
        cmds = re.findall(r'strcmp\(cmd, "([a-z-]+)"\)', cond)
        subs = re.findall(r'strcmp\(sub, "([a-z-]+)"\)', cond)
        for c in cmds:
            commands.update([c + " " + s for s in subs] or [c])
    main = source("src/main.c").split("int main(", 1)[1]
    commands.update(re.findall(r'strcmp\(cmd, "([a-z][a-z-]*)"\)', main))
    return sorted(commands)


def cli_flags():
    table = re.search(r"cli_flags\[\] = \{(.*?)\n\};", source("src/cli.c"), re.S).group(1)
    return re.findall(r'\{ "(--[a-z-]+)", offsetof', table)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


with tempfile.TemporaryDirectory() as tmp:
    # --help: complete
    r = run(["--help"], tmp)
    check(r.returncode == 0, "--help exits 0")
    usage = r.stdout
    options = config_options()
    check(len(options) >= 18, "found the configuration flags (%d)" % len(options))
    for flag, var in options:
        check(re.search(r"^\s*" + re.escape(flag) + r"\b", usage, re.M) is not None, "--help lists " + flag)
        check(var in usage, "--help lists " + var)
    commands = cli_commands()
    check(len(commands) >= 12, "found the commands (%d)" % len(commands))
    for cmd in commands:
        check(re.search(r"^  " + re.escape(cmd) + r"\b", usage, re.M) is not None, "--help lists `%s`" % cmd)
    for flag in cli_flags():
        check(re.search(re.escape(flag) + r"\b", usage) is not None, "--help lists the command flag " + flag)

    # unknown flags: the nearest known one
    r = run(["serve", "--port", "8080"], tmp)
    check(r.returncode == 2 and "unknown option --port (did you mean --listen?)" in r.stderr,
          "serve --port suggests --listen: " + r.stderr.strip())
    r = run(["serve", "--databse", "x.db"], tmp)
    check(r.returncode == 2 and "did you mean --database?" in r.stderr, "serve --databse suggests --database")
    r = run(["seed", "--apartment", "5"], tmp)
    check(r.returncode == 2 and "did you mean --apartments?" in r.stderr,
          "seed --apartment suggests --apartments: " + r.stderr.strip())
    r = run(["company", "create", "--nmae", "X"], tmp)
    check(r.returncode == 2 and "did you mean --name?" in r.stderr, "company create --nmae suggests --name")

    # seed without a target
    r = run(["seed", "--database", "seed.db"], tmp)
    check(r.returncode == 2 and all(f in r.stderr for f in ("--apartments", "--listings", "--accounts", "--events")),
          "seed alone names --apartments, --listings, --accounts, --events: " + r.stderr.strip())
    check(not os.path.exists(os.path.join(tmp, "seed.db")), "seed alone creates no database")

    # a busy port: a clear message, and nothing created
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    r = run(["serve", "--listen", "127.0.0.1:%d" % port, "--database", "var/busy.db"], tmp)
    busy.close()
    check(r.returncode != 0 and ("127.0.0.1:%d is in use (another rentd?)" % port) in r.stderr,
          "a busy port says so: " + r.stderr.strip()[-200:])
    check(not os.path.exists(os.path.join(tmp, "var")), "a busy port leaves no database or secret behind")

    # and a free one still serves (the check does not hold the port)
    port = free_port()
    p = subprocess.Popen([RENTD, "serve", "--listen", "127.0.0.1:%d" % port, "--database", "var/ok.db",
                          "--access-log", "off"], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, text=True)
    try:
        import time
        import urllib.request
        ok = False
        for _ in range(300):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2) as resp:
                    ok = resp.status == 200
                    break
            except OSError:
                if p.poll() is not None:
                    break
                time.sleep(0.1)
        check(ok, "serve on a free port answers /healthz")
    finally:
        p.terminate()
        p.wait(timeout=30)


def pdf_with_trailer():
    """A small PDF of our own (a classic xref table and trailer, an information dictionary)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
            b"<< /Title (Hyreskontrakt test) /Subject (Kungsgatan 16A, 11143 Stockholm) >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, o)
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 4\n   /Root 1 0 R\n   /Info 3 0 R\n>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def seal(d, sk, pk_hex, uuid):
    """docs/DECISIONS.md "Digital contract", written again from the text: D + the update carrying M and S."""
    import hashlib
    t = "2026-11-18T11:11:40Z"
    m = ("rentd digital contract v1\nuuid\t%s\npdf-sha256\t%s\npdf-size\t%d\n"
         "signatory\tLANDLORD\t2026-11-18T11:08:20Z\t-\tAnna\tEk\n"
         "signatory\tTENANT\t%s\t19900101-1234\tÖrjan\tÅberg\n"
         "sealed-at\t%s\npublic-key\t%s\n") % (uuid, hashlib.sha256(d).hexdigest(), len(d), t, t, pk_hex)
    m = m.encode("utf-8")
    sig = sk.sign(m)
    text = d.decode("latin-1")
    trailer = text[text.rindex("trailer"):]
    size = int(re.search(r"/Size (\d+)", trailer).group(1))
    root = re.search(r"/Root (\d+ \d+ R)", trailer).group(1)
    prev = int(re.search(r"startxref\s+(\d+)", trailer).group(1))
    info = re.search(r"/Info (\d+) (\d+) R", trailer)
    body = text[text.rindex("\n%s %s obj" % info.groups()):]
    inner = body[body.index("<<") + 2:body.index(">>")]
    obj = ("%d 0 obj\n<<%s   /RentdSignedData <%s>\n   /RentdSignature <%s>\n>>\nendobj\n"
           % (size, inner, m.hex(), sig.hex())).encode("latin-1")
    xref_at = len(d) + len(obj)
    tail = obj + ("xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n"
                  "trailer\n<< /Size %d\n   /Root %s\n   /Info %d 0 R\n   /Prev %d\n>>\n"
                  "startxref\n%d\n%%%%EOF\n" % (size, len(d), size + 1, root, size, prev, xref_at)).encode("latin-1")
    return d + tail


with tempfile.TemporaryDirectory() as tmp:
    # rentd contract public-key: made once (0600), the same afterwards
    os.mkdir(os.path.join(tmp, "var"))
    r = run(["contract", "public-key", "--database", "var/c.db"], tmp)
    check(r.returncode == 0, "contract public-key exits 0: " + r.stderr.strip()[-200:])
    key = json.loads(r.stdout)["public_key"] if r.returncode == 0 else ""
    check(re.fullmatch(r"[0-9a-f]{64}", key) is not None, "contract public-key prints 64 hex digits")
    path = os.path.join(tmp, "var", "contract-key")
    check(os.path.exists(path) and (os.stat(path).st_mode & 0o777) == 0o600, "the key file is created with mode 0600")
    check(key not in open(path).read(), "the key file holds the seed, not the public key")
    r = run(["contract", "public-key", "--database", "var/c.db"], tmp)
    check(r.returncode == 0 and json.loads(r.stdout)["public_key"] == key, "the same public key on the next run")
    check(not os.path.exists(os.path.join(tmp, "var", "c.db")), "contract public-key opens no database")

    # rentd contract verify: usage, a file that is not sealed
    r = run(["contract", "verify"], tmp)
    check(r.returncode == 2 and "FILE.pdf" in r.stderr, "contract verify without a file: 2 and the usage")
    plain = os.path.join(tmp, "plain.pdf")
    with open(plain, "wb") as f:
        f.write(pdf_with_trailer())
    r = run(["contract", "verify", plain, "--public-key", key], tmp)
    out = json.loads(r.stdout) if r.stdout else {}
    check(r.returncode == 1 and out.get("is_valid") is False and "no rentd contract seal" in out.get("reason", ""),
          "an unsealed PDF is not valid: " + r.stdout.strip())
    r = run(["contract", "verify", plain, "--public-key", "abc"], tmp)
    check(r.returncode == 2 and "64 hex digits" in r.stderr, "a bad --public-key is refused")
    r = run(["contract", "verify", os.path.join(tmp, "missing.pdf"), "--public-key", key], tmp)
    check(r.returncode == 1 and "cannot open" in r.stderr, "a missing file says so")

    # a file sealed by an independent implementation of the documented format verifies offline
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        Ed25519PrivateKey = None
        print("skip the independent sealer: python3 has no 'cryptography' module")
    if Ed25519PrivateKey:
        sk = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
        pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
        uuid = "0b4e7a0e-5bd1-4e2c-9d3a-2f1c2b3a4d5e"
        sealed = seal(pdf_with_trailer(), sk, pk, uuid)
        good = os.path.join(tmp, "sealed.pdf")
        with open(good, "wb") as f:
            f.write(sealed)
        r = run(["contract", "verify", good, "--public-key", pk], tmp)
        out = json.loads(r.stdout) if r.stdout else {}
        check(r.returncode == 0 and out.get("is_valid") is True, "an independently sealed file verifies: " + r.stdout.strip())
        check(out.get("uuid") == uuid and len(out.get("signatories", [])) == 2
              and out["signatories"][1]["first_name"] == "Örjan" and out["signatories"][0]["ssn"] is None,
              "verify prints the record's contract and signatories")
        # one byte changed in the lease, in the record, at the end; another key
        for at, what in ((40, "the lease"), (sealed.index(b"/RentdSignedData <") + 30, "the record"),
                         (len(sealed) - 3, "the trailer")):
            bad = bytearray(sealed)
            bad[at] ^= 0x01
            p = os.path.join(tmp, "bad.pdf")
            with open(p, "wb") as f:
                f.write(bad)
            r = run(["contract", "verify", p, "--public-key", pk], tmp)
            check(r.returncode == 1 and json.loads(r.stdout)["is_valid"] is False, "a byte changed in %s: not valid" % what)
        r = run(["contract", "verify", good, "--public-key", key], tmp)
        out = json.loads(r.stdout) if r.stdout else {}
        check(r.returncode == 1 and "another key" in out.get("reason", ""), "another public key: not valid")
        r = run(["contract", "verify", good, "--database", "var/c.db"], tmp)
        check(r.returncode == 1, "without --public-key, against the installation's own key: not valid here")

# rentd seed --applications and rentd process close (the letting process's benchmarks, issue 15)
with tempfile.TemporaryDirectory() as tmp:
    import sqlite3
    import time
    os.makedirs(os.path.join(tmp, "var"))
    db = ["--database", "var/p.db", "--geo-dir", os.path.join(ROOT, "data/geo"), "--media-dir", "var/media"]
    for args in (["company", "create", "--name", "P", "--admin-username", "p@example.se",
                  "--admin-password", "process-password-1"], ["seed", "--listings", "40"], ["seed", "--applicants", "400"]):
        r = run(args + db, tmp, timeout=120)
        check(r.returncode == 0, " ".join(args[:2]) + " exits 0: " + r.stderr.strip()[-200:])
    con = sqlite3.connect(os.path.join(tmp, "var/p.db"))
    closed = [i for (i,) in con.execute(
        "SELECT o.id FROM object_ads o JOIN requirement_profiles r ON r.id = o.requirement_id WHERE o.status = 'active'"
        " AND o.start_processing_at < ? AND r.student = 0 AND r.senior = 0 AND r.youth = 0 ORDER BY o.id",
        (int(time.time()) - 60,))]
    check(len(closed) >= 4, "seeded residential listings whose applications have closed (%d)" % len(closed))
    one, two, three = closed[:3]

    r = run(["seed", "--applications", "40", "--listing", str(one)] + db, tmp, timeout=60)
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check(out.get("applications") == 40 and out.get("queue") == "residential" and out.get("skipped") == 0,
          "seed --applications 40: 40 residential applications: " + (r.stdout + r.stderr).strip()[-300:])
    rows = con.execute("SELECT COUNT(DISTINCT user_id), COUNT(DISTINCT queue_points), COUNT(DISTINCT applied_at),"
                       " MIN(applied_at) >= o.date_publish * 1000000, MAX(applied_at) < o.start_processing_at * 1000000,"
                       " SUM(screening_approved = 0), MIN(state), MAX(state) FROM applications a"
                       " JOIN object_ads o ON o.id = a.listing_id WHERE listing_id = ?", (one,)).fetchone()
    check(rows[0] == 40 and rows[1] > 20 and rows[2] == 40, "40 applicants, varied points and apply times: %r" % (rows,))
    check(rows[3] == 1 and rows[4] == 1, "apply times within the listing's window: %r" % (rows,))
    check(rows[5] == out.get("screening_failed") and rows[6] == rows[7] == "registered",
          "the screening verdicts stored, every application registered: %r" % (rows,))
    r = run(["seed", "--applications", "40", "--listing", str(one)] + db, tmp, timeout=60)
    check(r.returncode == 0 and json.loads(r.stdout)["skipped"] == 40, "the same applicants again: all skipped")
    r = run(["seed", "--applications", "5", "--listing", "%d,%d" % (two, three), "--offset", "100"] + db, tmp)
    check(r.returncode == 0 and json.loads(r.stdout)["applications"] == 10, "two listings, five each: 10")
    users = [set(u for (u,) in con.execute("SELECT user_id FROM applications WHERE listing_id = ?", (l,)))
             for l in (two, three)]
    check(len(users[0]) == len(users[1]) == 5 and not users[0] & users[1], "each listing other applicants")
    for args, what in ((["--applications", "0", "--listing", str(one)], "--applications 0"),
                       (["--applications", "5", "--listing", "x"], "--listing x"),
                       (["--applications", "5", "--listing", "%d," % one], "--listing with an empty id"),
                       (["--applications", "5"], "no --listing"),
                       (["--applications", "5", "--listing", str(one), "--offset", "-1"], "--offset -1")):
        r = run(["seed"] + args + db, tmp)
        check(r.returncode == 2 and "--applications takes" in r.stderr, "seed %s: 2 and the usage" % what)
    r = run(["seed", "--applications", "5", "--listing", "999999"] + db, tmp)
    check(r.returncode == 1 and "not public" in r.stderr, "an unknown listing: 1, not public: " + r.stderr.strip())
    r = run(["seed", "--applications", "5000", "--listing", str(one)] + db, tmp)
    check(r.returncode == 1 and "seed more" in r.stderr, "more than the queue has: 1, says so: " + r.stderr.strip())

    r = run(["process", "close"] + db, tmp)
    check(r.returncode == 2 and "usage: rentd process close" in r.stderr, "process close without an id: usage")
    r = run(["process", "close", "%d,%d" % (one, two)] + db, tmp, timeout=60)
    out = json.loads(r.stdout)["listings"] if r.returncode == 0 else []
    check([(o["listing"], o["due"], o["ranked"]) for o in out] == [(one, True, True), (two, True, True)],
          "process close ranks two closed listings: " + (r.stdout + r.stderr).strip()[-300:])
    ranks = [k for (k,) in con.execute("SELECT r.rank FROM applications a LEFT JOIN application_ranks r"
                                       " ON r.application_id = a.id WHERE a.listing_id = ? ORDER BY r.rank", (one,))]
    check(ranks == list(range(1, 41)), "places 1..40: %r" % ranks[:5])
    offered = con.execute("SELECT COUNT(*) FROM applications WHERE listing_id = ? AND state = 'question'",
                          (one,)).fetchone()[0]
    check(offered >= 1, "the first batch offered (%d)" % offered)
    r = run(["process", "close", str(one)] + db, tmp)
    check(r.returncode == 0 and json.loads(r.stdout)["listings"][0]["ranked"] is False, "ranked once only")
    r = run(["process", "close", "999999"] + db, tmp)
    check(r.returncode == 1, "an unknown listing: 1")
    # a listing whose applications close tomorrow: left alone, or closed --early at its deadline
    ahead = closed[3]
    r = run(["seed", "--applications", "8", "--listing", str(ahead), "--offset", "200"] + db, tmp)
    check(r.returncode == 0, "seed on a fourth listing")
    con.execute("UPDATE object_ads SET start_processing_at = ? WHERE id = ?", (int(time.time()) + 86400, ahead))
    con.commit()
    r = run(["process", "close", str(ahead)] + db, tmp)
    o = json.loads(r.stdout)["listings"][0] if r.returncode == 0 else {}
    check(o.get("due") is False and o.get("ranked") is False, "a listing still open is left alone: " + r.stdout)
    r = run(["process", "close", str(ahead), "--early"] + db, tmp)
    o = json.loads(r.stdout)["listings"][0] if r.returncode == 0 else {}
    check(o.get("due") is False and o.get("ranked") is True, "--early closes it at its deadline: " + r.stdout)
    ranked_at = con.execute("SELECT ranked_at FROM listing_processes WHERE listing_id = ?", (ahead,)).fetchone()
    deadline = con.execute("SELECT start_processing_at FROM object_ads WHERE id = ?", (ahead,)).fetchone()[0]
    check(ranked_at is not None and ranked_at[0] == deadline * 1000000, "ranked at the deadline's time")
    con.close()

with tempfile.TemporaryDirectory() as tmp:
    # rentd webhook …: a company's subscriptions through the API's core calls (docs/API.md "Webhooks")
    db = ["--database", "w.db"]
    r = run(["company", "create", "--name", "Hooks", "--admin-username", "hooks@example.com",
             "--admin-password", "hooks-password"] + db, tmp, timeout=60)
    company = str(json.loads(r.stdout)["company_id"]) if r.returncode == 0 else "1"
    r = run(["webhook", "create", "--company", company, "--url", "https://hooks.example.com/in",
             "--events", "reservation,signing_completed", "--description", "CRM"] + db, tmp)
    hook = json.loads(r.stdout) if r.returncode == 0 else {}
    check(re.fullmatch(r"whsec_[0-9a-f]{64}", hook.get("secret", "")) is not None
          and hook.get("event_types") == ["reservation", "signing_completed"] and hook.get("description") == "CRM",
          "webhook create prints the subscription with its secret: " + (r.stdout + r.stderr).strip()[-300:])
    hid = str(hook.get("id", 0))
    r = run(["webhook", "list", "--company", company] + db, tmp)
    listed = json.loads(r.stdout)["results"] if r.returncode == 0 else []
    check([h["id"] for h in listed] == [hook.get("id")] and "whsec_" not in r.stdout,
          "webhook list shows it without the secret")
    r = run(["webhook", "rotate-secret", hid, "--company", company] + db, tmp)
    check(r.returncode == 0 and json.loads(r.stdout)["secret"] not in ("", hook.get("secret")),
          "webhook rotate-secret prints a new secret")
    r = run(["webhook", "test", hid, "--company", company] + db, tmp)
    uuid = json.loads(r.stdout).get("uuid", "") if r.returncode == 0 else ""
    check(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", uuid) is not None,
          "webhook test prints the test event's uuid: " + r.stdout.strip())
    import sqlite3
    con = sqlite3.connect(os.path.join(tmp, "w.db"))
    payloads = [p for (p,) in con.execute("SELECT payload FROM jobs WHERE kind = 'webhook_send'")]
    con.close()
    check(len(payloads) == 1 and payloads[0].startswith("%s:test:%s:" % (hid, uuid)), "the test is queued: %r" % payloads)
    r = run(["webhook", "deliveries", hid, "--company", company, "--amount", "10"] + db, tmp)
    check(r.returncode == 0 and json.loads(r.stdout) == {"results": [], "total": 0}, "webhook deliveries: none yet")
    r = run(["webhook", "update", hid, "--company", company, "--events", "reservation,signing_completed",
             "--active", "off"] + db, tmp)
    upd = json.loads(r.stdout) if r.returncode == 0 else {}
    check(upd.get("event_types") == ["reservation", "signing_completed"] and upd.get("is_active") is False
          and "secret" not in upd, "webhook update changes the types and switches it off: " + r.stdout.strip()[-200:])
    con = sqlite3.connect(os.path.join(tmp, "w.db"))
    con.execute("INSERT INTO webhook_deliveries(subscription_id, event_seq, event_uuid, event_type, attempt,"
                " attempted_us, outcome, status) VALUES (?, 7, 'e-uuid', 'reservation', 1, 1, 'delivered', 200)", (hid,))
    con.commit()
    (delivery,) = con.execute("SELECT max(id) FROM webhook_deliveries").fetchone()
    con.close()
    r = run(["webhook", "redeliver", hid, "--company", company, "--delivery", str(delivery)] + db, tmp)
    check(r.returncode == 0 and json.loads(r.stdout) == {"uuid": "e-uuid"}, "webhook redeliver: " + r.stdout.strip())
    con = sqlite3.connect(os.path.join(tmp, "w.db"))
    payloads = [p for (p,) in con.execute("SELECT payload FROM jobs WHERE kind = 'webhook_send' ORDER BY id")]
    con.close()
    check(payloads[-1:] == ["%s:7" % hid], "the redelivery is queued: %r" % payloads)
    for args, what in ((["create", "--company", company, "--url", "https://h.example.com/", "--events", "nope"],
                        "an unknown event type"),
                       (["create", "--company", company, "--events", "reservation"], "no --url"),
                       (["delete", "--company", company], "delete without an id"),
                       (["deliveries", hid, "--company", company, "--amount", "501"], "--amount 501"),
                       (["list"], "no --company"),
                       (["update", hid, "--company", company], "update without a change"),
                       (["update", hid, "--company", company, "--active", "maybe"], "--active maybe"),
                       (["redeliver", hid, "--company", company], "redeliver without --delivery")):
        r = run(["webhook"] + args + db, tmp)
        check(r.returncode == 2, "webhook %s: 2 (%s)" % (what, r.stderr.strip()[-120:]))
    r = run(["webhook", "create", "--company", company, "--url", "https://10.0.0.1/", "--events", "reservation"] + db, tmp)
    check(r.returncode == 1 and "url: address 10.0.0.1 is private" in r.stderr, "a private address: 1, says so: "
          + r.stderr.strip())
    r = run(["webhook", "list", "--company", "999"] + db, tmp)
    check(r.returncode == 1 and "no such company" in r.stderr, "an unknown company: 1, says so")
    r = run(["webhook", "delete", hid, "--company", company] + db, tmp)
    check(r.returncode == 0 and json.loads(r.stdout) == {"deleted": hook.get("id")}, "webhook delete")
    r = run(["webhook", "delete", hid, "--company", company] + db, tmp)
    check(r.returncode == 1 and "no such webhook subscription" in r.stderr, "deleted twice: 1, says so")

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
