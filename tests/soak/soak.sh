#!/usr/bin/env bash
# tests/soak/soak.sh — hours of mixed traffic on 1,000 keep-alive connections: does rentd
# stay flat (memory, file descriptors, latency) and answer every request correctly?
#
# Starts its own rentd on 127.0.0.1 (a free port) with a temporary SQLite database seeded with
# `rentd company create` and `rentd seed --listings`, logs in once (argon2id logins cost
# ~80 ms each, so the token is reused by every connection), then runs wrk with
# tests/soak/soak.lua in slices of --slice seconds until --duration has passed. The mix: public
# reads (GET /api/v1/object/{id}, POST /api/v3/cards/), authenticated reads, writes (estates
# created, updated, deleted; apartment notes), failed logins (throttled: 429 is correct),
# bad input (malformed JSON, wrong types, bad query, unknown ids, a bad token).
#
# After each slice it records rentd's RSS and open file descriptors (/proc/PID/fd) with
# the connections idle, and the slice's request count, p99 and errors; a sampler also keeps
# the peaks while loaded. "before" is the end of the first slice (caches warm), "after" the
# end of the last. Prints a Markdown table ready for docs/RELIABILITY.md and exits 1 when:
#   - RSS grew by more than --rss-growth-mb (default 16) from before to after,
#   - the idle fd count grew by more than --fd-growth (default 8),
#   - any 5xx, any answer with a status not expected for its request, any answer that did not
#     come from rentd's request path, or any transport error (connect, read, write, or no
#     answer within --timeout seconds, default 30).
# --think-ms N makes each connection pause 0..2N ms between requests (default 0: flat out).
#
# Usage (from anywhere; builds nothing: run `make build` and `make deps-bench` first):
#   tests/soak/soak.sh [--duration 10m] [--connections 1000] [--slice 60] [--listings 2000]
#                      [--wrk-threads 2] [--server-threads 2] [--think-ms 0] [--timeout 30]
#                      [--rss-growth-mb 16] [--fd-growth 8] [--build build]
#                      [--serve-args "extra rentd serve flags"] [--keep]
# Durations take s, m or h (10m, 1h). Only 127.0.0.1 is contacted. Not part of `make test`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

duration=10m conns=1000 slice=60 listings=2000 wthreads=2 sthreads=2 think=0
rss_bound=16 fd_bound=8 build=build serve_args="" keep=0 timeout=30
while [ $# -gt 0 ]; do
	case $1 in
	--duration) duration=$2; shift 2 ;;
	--connections) conns=$2; shift 2 ;;
	--slice) slice=$2; shift 2 ;;
	--listings) listings=$2; shift 2 ;;
	--wrk-threads) wthreads=$2; shift 2 ;;
	--server-threads) sthreads=$2; shift 2 ;;
	--think-ms) think=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--rss-growth-mb) rss_bound=$2; shift 2 ;;
	--fd-growth) fd_bound=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--serve-args) serve_args=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "soak: unknown option $1 (--help)" >&2; exit 2 ;;
	esac
done

die() { echo "soak: $*" >&2; exit 2; }
say() { echo "soak: $*" >&2; }

secs() {
	case $1 in
	*s) echo "${1%s}" ;;
	*m) echo $(( ${1%m} * 60 )) ;;
	*h) echo $(( ${1%h} * 3600 )) ;;
	*) echo "$1" ;;
	esac
}
total_s=$(secs "$duration")
[[ $total_s =~ ^[0-9]+$ && $total_s -gt 0 && $slice =~ ^[0-9]+$ && $slice -gt 0 ]] \
	|| die "--duration must be like 300s, 10m or 1h and --slice a number of seconds"

for tool in wrk curl python3 setsid; do
	command -v "$tool" >/dev/null || die "$tool is missing (make deps-bench)"
done
case $build in /*) rentd_bin=$build/rentd ;; *) rentd_bin=$root/$build/rentd ;; esac
[ -x "$rentd_bin" ] || die "$rentd_bin is missing (make build)"

# 1,000 client sockets in wrk plus 1,000 in rentd (a child inherits the limit)
need_fds=$(( conns * 2 + 1024 ))
if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt "$need_fds" ]; then
	ulimit -Hn "$need_fds" 2>/dev/null || true
	ulimit -Sn "$need_fds" 2>/dev/null || ulimit -Sn "$(ulimit -Hn)"
fi
[ "$(ulimit -Sn)" = unlimited ] || [ "$(ulimit -Sn)" -ge "$(( conns + 64 ))" ] \
	|| die "open-file limit $(ulimit -Sn) is too low for $conns connections (raise the hard limit)"

tmp=$(mktemp -d /tmp/rentd-soak.XXXXXX)
rentd_pid=
sampler_pid=

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	set +e # a failing kill or wait here must not skip stopping rentd
	[ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null && wait "$sampler_pid" 2>/dev/null
	: # nothing above decides the exit status
	if [ -n "$rentd_pid" ] && kill -0 "$rentd_pid" 2>/dev/null; then
		kill -TERM "$rentd_pid"
		for _ in $(seq 150); do kill -0 "$rentd_pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$rentd_pid" 2>/dev/null && { say "rentd did not stop in 15 s, killing it"; kill -KILL "$rentd_pid"; }
		wait "$rentd_pid" 2>/dev/null || true
	fi
	if [ $rc -ne 0 ] && [ -s "$tmp/rentd.log" ]; then
		say "last lines of rentd.log:"; tail -n 20 "$tmp/rentd.log" >&2
	fi
	if [ "$keep" = 1 ] || [ $rc -eq 2 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
db=$tmp/rentd.db
user=soak@rentd.local
password=soak-password-1

"$rentd_bin" company create --database "$db" --name Soak --admin-username "$user" --admin-password "$password" \
	>/dev/null 2>>"$tmp/rentd.log" || die "rentd company create failed"
seeded=$("$rentd_bin" seed --listings "$listings" --company 1 --database "$db" --media-dir "$tmp/media" 2>>"$tmp/rentd.log") \
	|| die "rentd seed --listings failed"
say "seeded: $seeded"
python3 - "$db" >"$tmp/listings.txt" <<'PY' || die "cannot list public listings"
import sqlite3, sys, time
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for (i,) in db.execute("SELECT id FROM object_ads WHERE status IN ('active', 'reserved') AND date_publish <= ?",
                       (int(time.time()),)):
    print(i)
PY
apartment=$(sqlite3 "$db" "SELECT min(id) FROM apartments" 2>/dev/null || python3 -c \
	"import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT min(id) FROM apartments').fetchone()[0])" "$db")

# shellcheck disable=SC2086  # --serve-args is a list of flags
setsid "$rentd_bin" serve --listen "127.0.0.1:$port" --database "$db" --threads "$sthreads" \
	--access-log off --log-level warn $serve_args >>"$tmp/rentd.log" 2>&1 &
rentd_pid=$!
for _ in $(seq 150); do
	kill -0 "$rentd_pid" 2>/dev/null || die "rentd exited at start"
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/readyz" || true)" = 200 ] && break
	sleep 0.1
done

json_field() { python3 -c "import json, sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
token=$(curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' \
	-d "{\"username\": \"$user\", \"password\": \"$password\"}" "$base/api/v2/tokens/" | json_field token) \
	|| die "cannot log in"
estate=$(curl -sf --max-time 10 -X POST -H "Authorization: JWT $token" -H 'Content-Type: application/json' \
	-d '{"legal_name": "Soak fixed estate", "city": "Stockholm"}' "$base/api/v4/estate" | json_field id) \
	|| die "cannot create the estate the updates go to"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$rentd_pid/status"; }
fd_count() { find "/proc/$rentd_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# peaks while loaded, every 2 s
( while kill -0 "$rentd_pid" 2>/dev/null; do echo "$(date +%s) $(rss_kb) $(fd_count)"; sleep 2; done ) \
	>"$tmp/samples.txt" 2>/dev/null &
sampler_pid=$!

export SOAK_TOKEN=$token SOAK_ESTATE=$estate SOAK_APARTMENT=$apartment SOAK_LISTINGS=$tmp/listings.txt SOAK_THINK_MS=$think
start_rss=$(rss_kb) start_fd=$(fd_count)
say "rentd pid $rentd_pid on $base: RSS $((start_rss / 1024)) MB, $start_fd fds idle; $conns connections for ${total_s} s in slices of ${slice} s"

t_start=$(date +%s)
n=0
: >"$tmp/slices.txt"
while :; do
	elapsed=$(( $(date +%s) - t_start ))
	left=$(( total_s - elapsed ))
	[ $left -gt 0 ] || break
	d=$(( left < slice ? left : slice ))
	n=$((n + 1))
	s0=$(date +%s)
	SOAK_OUT=$tmp/slice$n.json timeout $(( d + 60 )) wrk -t "$wthreads" -c "$conns" -d "${d}s" --timeout "${timeout}s" \
		-s tests/soak/soak.lua "$base" >"$tmp/wrk$n.txt" 2>&1 || die "wrk failed in slice $n: $(tail -n 5 "$tmp/wrk$n.txt")"
	# idle means the server has closed wrk's connections: up to 60 s for a loaded server to see them go
	for _ in $(seq 120); do
		kill -0 "$rentd_pid" 2>/dev/null || { say "rentd died in slice $n"; exit 1; }
		[ "$(fd_count)" -le $(( start_fd + fd_bound )) ] && break
		sleep 0.5
	done
	peak=$(awk -v a="$s0" '$1 >= a { if ($2 > r) r = $2; if ($3 > f) f = $3 } END { print r + 0, f + 0 }' "$tmp/samples.txt")
	echo "$n $(( $(date +%s) - t_start )) $(rss_kb) $(fd_count) $peak $tmp/slice$n.json" >>"$tmp/slices.txt"
	say "slice $n: $(tail -n 1 "$tmp/slices.txt" | awk '{ printf "RSS %.1f MB, %d fds idle, peak %.1f MB / %d fds", $3 / 1024, $4, $5 / 1024, $6 }'); $(python3 -c \
		'import json, sys; s = json.load(open(sys.argv[1])); print("%d requests, p99 %.1f ms, %d 5xx, %d unexpected" % (s["requests"], s["p99_us"] / 1000, s["server_errors"], s["unexpected"] + s["unmatched"]))' \
		"$tmp/slice$n.json")"
done

export SOAK_RSS_BOUND=$rss_bound SOAK_FD_BOUND=$fd_bound SOAK_START_RSS=$start_rss SOAK_START_FD=$start_fd
set +e
python3 - "$tmp/slices.txt" "$conns" "$duration" "$slice" "$listings" "$sthreads" \
	"$(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')" <<'PY'
import json, os, sys
rows = [l.split() for l in open(sys.argv[1])]
conns, duration, slice_s, listings, sthreads, rev = sys.argv[2:8]
if not rows:
    print("soak: no slice ran", file=sys.stderr); sys.exit(2)
s = [json.load(open(r[6])) for r in rows]
mb = lambda kb: int(kb) / 1024
first, last = rows[0], rows[-1]
rss_growth = mb(last[2]) - mb(first[2])
fd_growth = int(last[3]) - int(first[3])
tot = lambda k: sum(x[k] for x in s)
transport = tot("connect_errors") + tot("read_errors") + tot("write_errors") + tot("timeouts")
bad = tot("unexpected") + tot("unmatched")
by_kind = {}
for x in s:
    for k, n in x["by_kind"].items():
        by_kind[k] = by_kind.get(k, 0) + n
rss_bound, fd_bound = float(os.environ["SOAK_RSS_BOUND"]), int(os.environ["SOAK_FD_BOUND"])
fails = []
if rss_growth > rss_bound: fails.append(f"RSS grew {rss_growth:.1f} MB (bound {rss_bound:g} MB)")
if fd_growth > fd_bound: fails.append(f"idle fds grew by {fd_growth} (bound {fd_bound})")
if tot("server_errors"): fails.append(f"{tot('server_errors')} answers were 5xx")
if bad: fails.append(f"{bad} answers had an unexpected status")
if transport: fails.append(f"{transport} transport errors")
secs = sum(x["duration_us"] for x in s) / 1e6
print()
print(f"Soak: `tests/soak/soak.sh --duration {duration} --connections {conns}` (slices of {slice_s} s, "
      f"{listings} seeded listings, rentd --threads {sthreads}, revision {rev})")
print()
print("| | before (end of slice 1) | after (end of last slice) | bound |")
print("|---|---|---|---|")
print(f"| RSS, idle | {mb(first[2]):.1f} MB | {mb(last[2]):.1f} MB ({rss_growth:+.1f}) | +{rss_bound:g} MB |")
print(f"| RSS, peak under load | {mb(first[4]):.1f} MB | {mb(last[4]):.1f} MB | |")
print(f"| open fds, idle | {first[3]} | {last[3]} ({fd_growth:+d}) | +{fd_bound} |")
print(f"| open fds, peak under load | {first[5]} | {last[5]} | |")
print(f"| p99 latency of the slice | {s[0]['p99_us'] / 1000:.1f} ms | {s[-1]['p99_us'] / 1000:.1f} ms | |")
print(f"| requests of the slice | {s[0]['requests']:,} | {s[-1]['requests']:,} | |")
print()
print("| whole run | value |")
print("|---|---|")
print(f"| wall time, slices | {secs:.0f} s, {len(s)} |")
print(f"| requests | {tot('requests'):,} ({tot('requests') / secs:,.0f}/s) |")
print(f"| worst slice p99 | {max(x['p99_us'] for x in s) / 1000:.1f} ms |")
print(f"| 5xx | {tot('server_errors')} |")
print(f"| unexpected statuses | {bad} |")
print(f"| transport errors (connect/read/write/timeout) | {tot('connect_errors')}/{tot('read_errors')}/"
      f"{tot('write_errors')}/{tot('timeouts')} |")
print(f"| RSS / fds at start (idle, before any traffic) | {int(os.environ['SOAK_START_RSS']) / 1024:.1f} MB / "
      f"{os.environ['SOAK_START_FD']} |")
print(f"| result | {'**FAIL**: ' + '; '.join(fails) if fails else 'pass'} |")
print()
print("Answers by request kind and status: " + ", ".join(f"{k}: {n:,}" for k, n in sorted(by_kind.items())))
sys.exit(1 if fails else 0)
PY
rc=$?
set -e
exit $rc
