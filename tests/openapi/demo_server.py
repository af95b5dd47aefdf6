"""demo_server.py — what the OpenAPI tests share: `rentd serve --demo` on a database of its own
(tests/e2e/e2e_server.py's Server and Database), the demo users' passwords from its banner, and
the sanitizer reports in its log (the ASan build's `make test` runs these tests too).

FACTOR is the suites' timeout multiplier (RENTD_TEST_TIMEOUT_MULTIPLIER, 3 under ASan): the
waits here scale with it.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from e2e_server import Database, Server, check  # noqa: E402

FACTOR = float(os.environ.get("RENTD_TEST_TIMEOUT_MULTIPLIER") or 1)


def start(rentd, root, tmp):
    """(server, database, {user: password}, log path): a demo server, once its banner is printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENTD_")}
    env["RENTD_GEO_DIR"] = os.path.join(root, "data/geo")
    out_path, err_path = os.path.join(tmp, "rentd.out"), os.path.join(tmp, "rentd.log")
    db = Database(os.path.join(tmp, "t.db"))
    with open(out_path, "w") as out, open(err_path, "w") as err:
        server = Server(rentd, db.arg, env, ["--demo"], stdout=out, stderr=err, ready_seconds=60 * FACTOR)
    started, banner = time.monotonic(), ""
    while "next " not in banner and time.monotonic() - started < 30 * FACTOR:
        time.sleep(0.1)
        with open(out_path) as f:
            banner = f.read()
    # "admin@demo.rentd.local   password 16UAXc007Vtno5DyzN23lwi7   landlord admin (landlord API)"
    password = dict(re.findall(r"(\S+@demo\.rentd\.local)\s+password\s+(\S+)", banner))
    check(len(password) == 4, "the demo banner shows its four users' passwords")
    return server, db, password, err_path


def settle(db, seconds=60):
    """Wait until the job workers have nothing due (the demo's thumbnails, the search index)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds * FACTOR:
        due = db.query("SELECT COUNT(*) FROM jobs WHERE state = 'running' OR (state = 'queued' AND next_run_at <= ?)",
                       (int(time.time()),))[0][0]
        if due == 0:
            return
        time.sleep(0.1)
    check(False, "the job workers are done in %d s" % (seconds * FACTOR))


def finish(err_path, failures):
    """After the server stopped: no sanitizer report in its log; on failure, the log's end."""
    with open(err_path) as f:
        log = f.read()
    found = [m for m in ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:")
             if m in log]
    check(not found, "no sanitizer report in rentd's log: %s" % found)
    if failures:
        sys.stderr.write("---- rentd's log (end)\n" + log[-3000:])
