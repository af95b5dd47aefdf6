#!/usr/bin/env python3
"""process_rank.py — the letting process ranks N applications on one listing, timed (issue 15).

    bench/process_rank.py [--applications 100000] [--modes queue_points,first_come_first,random]
                          [--rounds 1] [--rentd build-bench/rentd]

Makes a fresh database (a company, BENCH listings seeded in the past: `rentd seed --listings`,
so their applications have closed; enough applicants: `rentd seed --applicants`), and for
each candidate_sorting_mode picks one active residential listing of that mode whose deadline
has passed, puts N applications on it (`rentd seed --applications N --listing ID`: the same N
applicants on every listing, apply times over the listing's window, their real queue points
and screening verdicts, some existing tenants), then ranks it with `rentd process close ID`,
which calls process_close() (rank, then offer the first batch) and prints how long that took.
With --rounds R each round ranks a fresh copy of the seeded database (the ranking happens
once per listing).

Then it checks the outcome in the database: every open application has a place, places are
1..N without gaps, and the order is the mode's (queue points descending then apply time for
queue_points, apply time for first_come_first, the lottery's published order for random —
`rentd lottery verify`), with existing tenants first when the listing prioritizes them.

Prints one line per ranking: `RANK mode=… listing=… applications=… seconds=… ok=…`.
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, timeout=1800):
    # from the source tree: `rentd seed` reads the geography in data/geo
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} … failed ({p.returncode}): {p.stderr.strip()[-500:]}")
    return p.stdout


def pick_listing(db, mode, taken):
    """An active residential listing of mode whose applications have closed."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    row = con.execute(
        "SELECT o.id FROM object_ads o JOIN requirement_profiles r ON r.id = o.requirement_id"
        " WHERE o.status = 'active' AND o.candidate_sorting_mode = ? AND o.start_processing_at < ?"
        " AND r.student = 0 AND r.senior = 0 AND r.youth = 0 AND o.id NOT IN (%s)"
        " AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.listing_id = o.id)"
        " ORDER BY o.id LIMIT 1" % ",".join(str(t) for t in taken or [0]),
        (mode, int(time.time()) - 60)).fetchone()
    con.close()
    if not row:
        sys.exit(f"no active residential {mode} listing whose applications have closed")
    return row[0]


def check_order(rentd, db, listing, mode):
    """The places: 1..n, every open application, in the mode's order. Returns (n, problems)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    prio = con.execute("SELECT prioritize_existing_tenants FROM object_ads WHERE id = ?", (listing,)).fetchone()[0]
    rows = con.execute("SELECT a.id, r.rank, a.queue_points, a.applied_at, r.existing_tenant FROM applications a"
                       " LEFT JOIN application_ranks r ON r.application_id = a.id"
                       " WHERE a.listing_id = ? AND a.state <> 'removed' ORDER BY r.rank", (listing,)).fetchall()
    con.close()
    problems = []
    ranks = [r[1] for r in rows]
    if None in ranks:
        problems.append(f"{ranks.count(None)} applications without a place")
    if [r for r in ranks if r is not None] != list(range(1, len(rows) - ranks.count(None) + 1)):
        problems.append("places are not 1..n")
    ranked = [r for r in rows if r[1] is not None]
    if mode == "random":
        out = subprocess.run([rentd, "lottery", "verify", str(listing), "--database", db], capture_output=True,
                             text=True, cwd=ROOT)
        order = [o["application"] for o in json.loads(out.stdout).get("order", [])] if out.stdout else []
        if out.returncode != 0:
            problems.append(f"lottery verify exited {out.returncode}")
        want = order
    else:
        key = (lambda r: (-r[2], r[3], r[0])) if mode == "queue_points" else (lambda r: (r[3], r[0]))
        want = [r[0] for r in sorted(ranked, key=key)]
    if prio:
        # existing tenants first, each group in the mode's order
        tenants = {r[0] for r in ranked if r[4]}
        want = [i for i in want if i in tenants] + [i for i in want if i not in tenants]
    if [r[0] for r in ranked] != want:
        problems.append(f"the order is not the {mode} order")
    return len(ranked), problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--applications", type=int, default=100000)
    ap.add_argument("--modes", default="queue_points,first_come_first,random")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--listings", type=int, default=200, help="listings seeded to pick from")
    ap.add_argument("--rentd", default="build-bench/rentd")
    ap.add_argument("--target", type=float, default=1.0, help="seconds a ranking may take")
    args = ap.parse_args()
    rentd = os.path.join(ROOT, args.rentd) if not os.path.isabs(args.rentd) else args.rentd
    modes = args.modes.split(",")
    tmp = tempfile.mkdtemp(prefix="rentd-rank.")
    db = os.path.join(tmp, "rentd.db")
    ok, slowest = True, 0.0
    try:
        t0 = time.time()
        run([rentd, "company", "create", "--database", db, "--name", "Bench", "--admin-username",
             "bench@rentd.local", "--admin-password", "bench-password-1"])
        run([rentd, "seed", "--listings", str(args.listings), "--database", db, "--media-dir",
             os.path.join(tmp, "media")])
        # 88 % of seeded applicants queue for housing
        run([rentd, "seed", "--applicants", str(args.applications * 100 // 85 + 100), "--database", db])
        listings = {}
        for mode in modes:
            listings[mode] = pick_listing(db, mode, list(listings.values()))
            out = json.loads(run([rentd, "seed", "--applications", str(args.applications), "--listing",
                                  str(listings[mode]), "--database", db]))
            print(f"SEED mode={mode} listing={listings[mode]} applications={out['applications']}"
                  f" screening_failed={out['screening_failed']} existing_tenants={out['existing_tenants']}"
                  f" points={out['queue_points_min']}..{out['queue_points_max']} seconds={out['seconds']:.2f}",
                  flush=True)
        run([rentd, "migrate", "--database", db])  # checkpoints the WAL: the copies below are whole
        print(f"seeded in {time.time() - t0:.1f} s", flush=True)
        for r in range(1, args.rounds + 1):
            copy = db
            if args.rounds > 1:
                copy = os.path.join(tmp, f"round{r}.db")
                shutil.copyfile(db, copy)
            for mode in modes:
                out = json.loads(run([rentd, "process", "close", str(listings[mode]), "--database", copy]))
                res = out["listings"][0]
                n, problems = check_order(rentd, copy, listings[mode], mode)
                good = res["ranked"] and n == args.applications and not problems
                ok = ok and good
                slowest = max(slowest, res["seconds"])
                print(f"RANK round={r} mode={mode} listing={listings[mode]} applications={n}"
                      f" seconds={res['seconds']:.3f} offered_through={res.get('offered_through', '?')} ok={'yes' if good else 'NO'}"
                      + (f" problems={'; '.join(problems)}" if problems else ""), flush=True)
            if copy != db:
                os.unlink(copy)
        print(f"target: ranking {args.applications} applications < {args.target:g} s: "
              f"{'met' if slowest < args.target else 'MISSED'} (slowest {slowest:.3f} s)"
              + ("" if ok else "; the OUTCOME IS WRONG"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
