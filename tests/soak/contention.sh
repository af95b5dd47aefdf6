#!/bin/sh
# tests/soak/contention.sh [RUNS] [STRESS_WORKERS] — `make test` RUNS times in a row (default 5)
# while stress-ng keeps STRESS_WORKERS CPU hogs busy (default: one per core), so the suites'
# time limits are tested on a machine that is not ours alone. Stops at the first failure.
# Each run's output is kept in a temporary directory whose path is printed; one line per run:
#
#   run 1/5: ok in 1234 s
#
# Not part of `make test` (it runs it). Needs stress-ng: scripts/install-deps.sh bench.
set -u
cd "$(dirname "$0")/../.."

runs=${1:-5}
workers=${2:-$(nproc 2>/dev/null || echo 2)}
case $runs$workers in *[!0-9]*) echo "usage: $0 [RUNS] [STRESS_WORKERS]" >&2; exit 2 ;; esac
command -v stress-ng >/dev/null 2>&1 || { echo "$0: needs stress-ng (scripts/install-deps.sh bench)" >&2; exit 2; }

logs=$(mktemp -d "${TMPDIR:-/tmp}/rentd-contention.XXXXXX")
stress-ng --cpu "$workers" --timeout 0 --quiet &
stress=$!
trap 'kill $stress 2>/dev/null; wait $stress 2>/dev/null' EXIT INT TERM
echo "stress-ng --cpu $workers (pid $stress); logs in $logs"

i=1
while [ "$i" -le "$runs" ]; do
	start=$(date +%s)
	if make test </dev/null >"$logs/run$i.log" 2>&1; then
		echo "run $i/$runs: ok in $(($(date +%s) - start)) s"
	else
		echo "run $i/$runs: FAILED after $(($(date +%s) - start)) s; log: $logs/run$i.log"
		grep -E 'FAIL|TIMEOUT|Error|error:' "$logs/run$i.log" | head -n 20
		exit 1
	fi
	i=$((i + 1))
done
echo "$runs of $runs runs of make test green under stress-ng --cpu $workers"
