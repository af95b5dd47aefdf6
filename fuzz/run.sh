#!/bin/sh
# fuzz/run.sh BUILD_DIR SECONDS — run every libFuzzer target for a bounded time.
#
# Each target starts from a scratch copy of its committed seeds (fuzz/corpus/<t>/),
# which is where libFuzzer writes the inputs it finds; the committed directory is
# passed too, read-only, so the repository is never modified. Crash, leak, timeout
# and OOM inputs go to a temporary artifact directory whose path is printed.
# One summary line per target; exits 1 if any target failed. Targets run FUZZ_JOBS
# (default: the number of cores) at a time.
#
#   make fuzz FUZZ_SECONDS=30    (sets up build-fuzz with clang, then runs this)
#   KEEP=1 fuzz/run.sh build-fuzz 60    keeps the scratch corpora for inspection
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD_DIR SECONDS" >&2
	exit 2
fi
case $2 in
'' | *[!0-9]*) echo "$0: SECONDS must be a number" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" 2>/dev/null && pwd) || { echo "$0: no build directory $1" >&2; exit 2; }
seconds=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/rentd-fuzz.XXXXXX")
artifacts=$work/artifacts
mkdir -p "$artifacts"

# UBSan only reports by default; make every finding a crash libFuzzer saves.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export TMPDIR="$work" # fuzz_app's SQLite file goes here too

# target:max_len — bodies and query strings larger than this add nothing but time
targets="fuzz_json_read:8192 fuzz_http_head:4096 fuzz_http_stream:4096 fuzz_query:2048 fuzz_router:512 fuzz_app:8192 fuzz_auth:4200 fuzz_geo:256 fuzz_staticmap:64 fuzz_upload:4096 fuzz_accounts:4096 fuzz_geojson:4096 fuzz_contract:8192"

# One target: its summary line(s) go to $work/<t>/summary, a failure also to $work/<t>/failed.
run_target() {
	t=${1%%:*}
	max_len=${1#*:}
	bin=$build/fuzz/$t
	seeds=$here/corpus/$t
	out=$work/$t/summary
	mkdir -p "$work/$t/corpus" "$artifacts/$t"
	if [ ! -x "$bin" ]; then
		echo "$t: FAILED (no binary $bin; configure with -Dfuzz=true)" >"$out"
		: >"$work/$t/failed"
		return
	fi
	if [ -d "$seeds" ]; then
		cp "$seeds"/* "$work/$t/corpus/" 2>/dev/null
	else
		seeds=
	fi
	log=$work/$t/log
	# cd: libFuzzer writes nothing into the repository, whatever its options
	(cd "$work/$t" && "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$max_len" \
		-timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/$t/" \
		"$work/$t/corpus" ${seeds:+"$seeds"}) </dev/null >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*corp: \([0-9]*\).*/\1 \2 \3/p' "$log" | tail -n 1)
	read -r edges features units <<-EOF
	$cov
	EOF
	summary="${execs:-?} execs (${rate:-?}/s), cov ${edges:-?} edges, ft ${features:-?}, corpus ${units:-?}"
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ $rc -ne 0 ] || [ -n "$crash" ]; then
		: >"$work/$t/failed"
		{
			echo "$t: FAILED (exit $rc) after $summary"
			[ -n "$crash" ] && echo "$t: crashing input: $crash"
			echo "$t: log: $log"
			grep -E 'ERROR: |SUMMARY: |check failed|runtime error' "$log" | head -n 5 | sed "s/^/$t:   /"
		} >"$out"
	else
		echo "$t: ok, $summary" >"$out"
	fi
}

# As many targets at once as there are cores (FUZZ_JOBS overrides): each gets its full
# time, and the run takes a fraction of the wall-clock time of one after another.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
running=0
for spec in $targets; do
	run_target "$spec" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

failed=0
for spec in $targets; do
	t=${spec%%:*}
	cat "$work/$t/summary"
	[ -e "$work/$t/failed" ] && failed=1
done

if [ $failed -ne 0 ]; then
	echo "fuzzing found problems; artifacts and logs kept in $work" >&2
	exit 1
fi
if [ "${KEEP:-0}" = 1 ]; then
	echo "scratch corpora kept in $work"
else
	rm -rf "$work"
fi
exit 0
