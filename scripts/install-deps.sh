#!/usr/bin/env bash
# Installs the Debian 12 packages rentd needs for a purpose, if any are missing.
#
#   scripts/install-deps.sh run     build and serve
#   scripts/install-deps.sh test    + test suites, sanitizers, fuzzing, gdb (tests/watchdog.py),
#                                   PostgreSQL 15's server binaries for tests/pg/pg_cluster.py's
#                                   throwaway cluster (Debian's package also sets up and starts its
#                                   own cluster 15/main as a service; the tests do not use it),
#                                   python3-jsonschema (+ python3-rfc3987 for its uri format) for
#                                   tests/openapi/validate_responses.py, and Debian's nodejs and
#                                   npm for the tools tests fetch from the npm registry (Redocly
#                                   CLI, the generated clients, s3rver) only when the node and npm commands are missing:
#                                   a NodeSource node brings its own npm, which Debian's npm
#                                   package would conflict with
#   scripts/install-deps.sh bench   + wrk and nginx for the benchmarks, stress-ng for
#                                   tests/soak/contention.sh
#
# Uses apt-get when it can (root, or sudo without a password); otherwise prints
# the exact command to run and fails.
set -euo pipefail

purpose=${1:-run}
run_pkgs=(gcc make meson ninja-build pkg-config python3 libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev zlib1g-dev libdeflate-dev libvips-dev libcurl4-openssl-dev libcairo2-dev fonts-dejavu-core ffmpeg)
test_pkgs=(libcriterion-dev clang libclang-rt-14-dev curl chromium gdb postgresql-15 python3-jsonschema python3-rfc3987)
bench_pkgs=(wrk nginx-light curl stress-ng)

case "$purpose" in
run) want=("${run_pkgs[@]}") ;;
test) want=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
bench) want=("${run_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

# need_command CMD PACKAGE: the package only when the command is missing. A machine may have it
# from elsewhere (NodeSource's nodejs brings node and npm, and conflicts with Debian's npm).
need_command() {
	command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}
if [ "$purpose" = test ]; then
	# Redocly CLI, the clients generated from docs/openapi/ and s3rver, all from the npm registry
	need_command node nodejs
	need_command npm npm
fi
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
