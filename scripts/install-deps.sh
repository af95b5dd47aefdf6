#!/usr/bin/env bash
# Installs the Debian 12 packages rentd needs for a purpose, if any are missing.
#
#   scripts/install-deps.sh run     build and serve
#   scripts/install-deps.sh test    + test suites, sanitizers, fuzzing, gdb (tests/watchdog.py),
#                                   PostgreSQL 15's server binaries for tests/pg/pg_cluster.py's
#                                   throwaway cluster (Debian's package also sets up and starts its
#                                   own cluster 15/main as a service; the tests do not use it),
#                                   and Node.js + npm if the node and npm commands are missing
#   scripts/install-deps.sh bench   + wrk and nginx for the benchmarks, stress-ng for
#                                   tests/soak/contention.sh
#
# Uses apt-get when it can (root, or sudo without a password); otherwise prints
# the exact command to run and fails.
set -euo pipefail

purpose=${1:-run}
run_pkgs=(gcc make meson ninja-build pkg-config python3 libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev zlib1g-dev libdeflate-dev libvips-dev libcurl4-openssl-dev libcairo2-dev fonts-dejavu-core ffmpeg)
test_pkgs=(libcriterion-dev clang libclang-rt-14-dev curl chromium gdb postgresql-15)
bench_pkgs=(wrk nginx-light curl stress-ng)

case "$purpose" in
run) want=("${run_pkgs[@]}") ;;
test) want=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
bench) want=("${run_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

# Node.js and npm for the test tools from the npm registry (tests/s3/: s3rver). Only when the
# commands are missing: a machine with its own Node.js (NodeSource's nodejs brings npm) keeps it.
if [ "$purpose" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
	want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=(sudo -n)
else
	echo "rentd needs these Debian packages: ${missing[*]}" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >&2
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
