#!/usr/bin/env python3
"""The lottery's documentation against itself and against the real binary (issue 15).

1. The Python block of docs/LOTTERY.md ("Reimplementing it"), run as written, gives the known
   commitments and orders (computed with hashlib when the algorithm was written down; the same
   figures as tests/unit/test_lottery.c), and the known answer the page states.
2. The listing generator's published random listings are committed (it writes them in SQL).
3. `rentd lottery verify` on a real database: a listing of the seed generator, applicants and
   their applications, and a lottery row as a draw leaves it (a known seed, its commitment,
   the ids drawn). The order it prints is the documentation's; before the draw it says the
   seed is not revealed and prints no seed; a seed that does not hash to the commitment is
   refused; a listing without a lottery and a bad argument are errors.

usage: test_lottery.py RENTD_BINARY SOURCE_ROOT
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from e2e_server import Database

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


# ---- 1. the documented example ----

with open(os.path.join(ROOT, "docs/LOTTERY.md"), encoding="utf-8") as f:
    page = f.read()
blocks = re.findall(r"```python\n(.*?)```", page, re.S)
check(len(blocks) == 1, "docs/LOTTERY.md has one Python block")
example = blocks[0]
code_lines = [l for l in example.splitlines() if l.strip()]
check(len(code_lines) <= 10, "the example is at most ten lines (%d)" % len(code_lines))
doc = {}
exec(example, doc)
lottery_order, commitment_ok = doc["lottery_order"], doc["commitment_ok"]

SEED_1 = bytes(range(32)).hex()
SEED_2 = "b02697f0f0080249357d59780acb09c2e79d1ab9b94d3ac10c5474b211315daa"
IDS = [3, 7, 17, 42, 100, 1001, 12345678901]
VECTORS = [
    (SEED_1, "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd", [17, 1001, 42, 12345678901, 100, 7, 3]),
    (SEED_2, "71ed9328b0b6bc9f95e3f2ac53a9a2dd7f865df43192aa40182a820804d85753", [42, 12345678901, 17, 1001, 7, 100, 3]),
]
for seed, commitment, order in VECTORS:
    check(commitment_ok(seed, commitment), "commitment of %s… holds" % seed[:8])
    check(not commitment_ok(seed, commitment.replace(commitment[0], "0" if commitment[0] != "0" else "1", 1)),
          "a changed commitment does not hold")
    check(lottery_order(seed, IDS) == order, "order under %s…: %s" % (seed[:8], lottery_order(seed, IDS)))
    check(lottery_order(seed, list(reversed(IDS))) == order, "the input's order does not matter")
check(lottery_order(SEED_1, IDS) != lottery_order(SEED_2, IDS), "another seed, another order")
check("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd" in page
      and "17, 1001, 42, 12345678901, 100, 7, 3" in page, "the page states the known answer")


# ---- 2. rentd lottery verify ----

def run(args, cwd, env):
    return subprocess.run([RENTD] + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


with tempfile.TemporaryDirectory() as tmp:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENTD_")}
    env["RENTD_GEO_DIR"] = os.path.join(ROOT, "data/geo")
    database = Database(os.path.join(tmp, "t.db"))
    db = ["--database", database.arg]
    r = run(["company", "create", "--name", "Acme", "--admin-username", "admin",
             "--admin-password", "admin-password-1"] + db, tmp, env)
    check(r.returncode == 0, "company create: " + r.stderr[-300:])
    r = run(["seed", "--listings", "60", "--company", "1"] + db, tmp, env)
    check(r.returncode == 0, "seed --listings: " + r.stderr[-300:])
    r = run(["seed", "--applicants", "5"] + db, tmp, env)
    check(r.returncode == 0, "seed --applicants: " + r.stderr[-300:])

    # the generator writes listings in SQL: its published random ones are committed too, its drafts not
    rows = database.query("SELECT o.status, CAST(d.listing_id IS NOT NULL AS INTEGER), length(d.commitment_hex)"
                          " FROM object_ads o LEFT JOIN lottery_draws d ON d.listing_id = o.id"
                          " WHERE o.candidate_sorting_mode = 'random'")
    check(any(r[0] != "draft" for r in rows), "the generator made published random listings (%d)" % len(rows))
    check(all(r[1] == (r[0] != "draft") for r in rows), "each published random listing, and no draft, has a commitment")
    check(all(r[2] == 64 for r in rows if r[1]), "commitments are 64 hex digits")
    check(database.query("SELECT COUNT(*) FROM lottery_draws d JOIN object_ads o ON o.id = d.listing_id"
                         " WHERE o.candidate_sorting_mode <> 'random'")[0][0] == 0, "no other listing has one")
    listing, other = [row[0] for row in database.query(
        "SELECT id FROM object_ads o WHERE NOT EXISTS (SELECT 1 FROM lottery_draws d WHERE d.listing_id = o.id)"
        " ORDER BY id LIMIT 2")]
    users = [row[0] for row in database.query("SELECT user_id FROM applicant_profiles ORDER BY user_id")]
    now = int(time.time() * 1e6)
    ids = []
    for k, user in enumerate(users):
        ids.append(database.query(
            "INSERT INTO applications(listing_id, company_id, user_id, queue_type, queue_points, applied_at, state,"
            " closed_at, screening_approved, updated_at) SELECT id, company_id, ?, 'residential', 0, ?, 'registered',"
            " NULL, 1, ? FROM object_ads WHERE id = ? RETURNING id", (user, now + k, now + k, listing))[0][0])
    seed, commitment = VECTORS[1][0], VECTORS[1][1]
    database.execute("UPDATE object_ads SET candidate_sorting_mode = 'random' WHERE id = ?", (listing,))
    database.execute("INSERT INTO lottery_draws(listing_id, seed_hex, commitment_hex, committed_at) VALUES (?, ?, ?, ?)",
                     (listing, seed, commitment, now - 10**9))

    # before the draw
    r = run(["lottery", "verify", str(listing)] + db, tmp, env)
    out = json.loads(r.stdout) if r.stdout.strip() else {}
    check(r.returncode == 3, "before the draw: exit 3 (%d)" % r.returncode)
    check("not revealed" in out.get("result", ""), "before the draw: says the seed is not revealed: " + r.stdout)
    check(seed not in r.stdout and "seed" not in out, "before the draw: no seed printed")
    check(out.get("commitment") == commitment, "before the draw: the commitment is printed")

    # the draw, as lottery_draw() leaves the row
    database.execute("UPDATE lottery_draws SET drawn_at = ?, application_ids = ? WHERE listing_id = ?",
                     (now, ",".join(str(i) for i in sorted(ids)), listing))
    r = run(["lottery", "verify", str(listing)] + db, tmp, env)
    out = json.loads(r.stdout) if r.stdout.strip() else {}
    check(r.returncode == 0, "after the draw: exit 0 (%d) %s" % (r.returncode, r.stderr[-300:]))
    check(out.get("result") == "commitment ok", "after the draw: commitment ok: " + r.stdout[:300])
    check(out.get("seed") == seed, "after the draw: the seed is printed")
    check(out.get("algorithm") == "sha256-tickets-v1", "the algorithm is named")
    printed = [e["application"] for e in out.get("order", [])]
    check(printed == lottery_order(seed, ids), "the order is the documentation's: %s" % printed)
    check([e["place"] for e in out.get("order", [])] == list(range(1, len(ids) + 1)), "places 1 … n")
    import hashlib
    check(all(e["ticket"] == hashlib.sha256(bytes.fromhex(seed) + str(e["application"]).encode()).hexdigest()
              for e in out.get("order", [])), "each ticket is SHA-256(seed || id)")

    # a seed that is not the one committed to
    database.execute("UPDATE lottery_draws SET seed_hex = ? WHERE listing_id = ?", (SEED_1, listing))
    r = run(["lottery", "verify", str(listing)] + db, tmp, env)
    check(r.returncode == 1 and "MISMATCH" in r.stdout, "another seed: exit 1 and MISMATCH (%d)" % r.returncode)

    # no lottery, bad arguments
    r = run(["lottery", "verify", str(other)] + db, tmp, env)
    check(r.returncode == 1 and "no lottery" in r.stderr, "a listing without a lottery: " + r.stderr.strip())
    for bad in (["lottery", "verify"], ["lottery", "verify", "abc"], ["lottery", "verify", "0"]):
        r = run(bad + db, tmp, env)
        check(r.returncode == 2 and "usage" in r.stderr, "%s: usage, exit 2 (%d)" % (" ".join(bad), r.returncode))
    database.close()

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
