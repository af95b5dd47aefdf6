#!/usr/bin/env bash
# bench/run.sh — rentd against nginx serving the same bytes, with wrk (`make bench`).
#
# Builds a release rentd in build-bench, starts it on a free loopback port with a
# fresh database, captures each case's exact response body, has a private nginx
# serve those bodies as static files on another loopback port, then runs wrk with
# the same settings against both and prints req/s, p50, p99 and the rentd/nginx
# ratio. Results also go to bench/results/latest.md (gitignored).
#
# Environment (defaults in brackets):
#   BENCH_CONNECTIONS [64]  BENCH_THREADS [2]  BENCH_DURATION [10s]  BENCH_WARMUP [2s]
#   BENCH_SERVER_THREADS [2]  rentd --threads and nginx worker_processes
#   BENCH_BUILD [build-bench] BENCH_CASES ["small_json db_read auth_read login"]
#
# Cases: small_json GET /healthz; db_read GET /readyz; auth_read GET /api/v1/employees/1
# with a login token (token check + two point reads); login POST /api/v2/tokens/ (argon2id
# bound, rentd only: nginx cannot check a password, so its row is the small_json reference).
# inventory_first, inventory_filtered, inventory_deep: GET /api/v1/inventory/ (first page;
# type=apartment within one estate; offset 90000) with the token, 32 connections, against
# BENCH_APARTMENTS [100000] apartments made by `rentd seed` before the server starts (only
# when one of these cases is selected). geo_lookup: POST /api/v1/geo/lookup with a JSON body
# and the token, 32 connections, rentd only (nginx cannot answer a POST with a static file).
# accounts_list, accounts_changes, accounts_changes_account, accounts_changes_deep: the
# accounts dialect with an agent's token (bare, as the dialect documents it), 32
# connections: GET /api/landlords/accounts (a page of 20), GET /api/landlords/accounts/changes
# (first page of 20 of everything; one account's first page; page 5000), against
# BENCH_ACCOUNTS [10000] accounts and BENCH_EVENTS [1000000] outbox events made by
# `rentd seed --accounts N --events M` before the server starts (only for these cases).
# cards_typical, search_county, cards_pins, cards_pins_1, object_read: listing search against
# BENCH_LISTINGS [1000000] listings made by `rentd seed --listings N` before the server starts
# (only for these cases; BENCH_SEED_CACHE=DIR keeps the seeded database there and reuses it):
# POST /api/v3/cards/ with a county, a rent range, rooms >= 2, newest first, amount 20; POST
# /api/v3/search page 1 of a county (20 a page); POST /api/v3/cards/ {"card_pin": true} (the
# whole-country pin answer, 10000 pins) at 32 connections and at 1; GET /api/v1/object/{id}
# of a listing from the first page. Anonymous, 32 connections, each next to nginx answering
# the same bytes (nginx.conf.in turns its 405 for a POST to a static file into the file).
# object_read_spread: GET /api/v1/object/{id} over BENCH_SPREAD [100000] different public
# listings in random order (bench/spread.lua), so nearly every read misses the server's
# kept views and renders: rentd only.
# market_status: GET /v2/market/objects/{id}/status ("may I apply?", with the screening) of the
# newest residential object for a signed-in applicant (Bearer token of one of 200 seeded
# applicants), 32 connections, over the seeded listings, next to nginx answering the same bytes.
# market_objects, market_objects_deep: GET /v2/market/objects?limit=50 (the first page) and
# ?offset=50000&limit=50 over the seeded listings (the market dialect, anonymous, 32
# connections, next to nginx answering the same bytes); market_objects_spread: pages of 50 at
# every offset of the first BENCH_SPREAD objects in random order, so nearly every request
# renders its page: rentd only.
# process_rank, process_commands: the letting process (issue 15), run by their own drivers,
# which make their own database and servers (rentd and nginx are not shared with the wrk
# cases): bench/process_rank.py ranks BENCH_RANK_APPLICATIONS [100000] applications on one
# listing per candidate_sorting_mode (`rentd seed --applications`, `rentd process close`),
# BENCH_RANK_ROUNDS [1] times, target < 1 s each; bench/process_commands.py has
# BENCH_COMMAND_CONCURRENCY [200] applicants at once answer about BENCH_COMMAND_OFFERS [1000]
# offers (POST /v2/market/{id}/applications/{id}: yes then done, or no), each command after
# a pause of 0..BENCH_COMMAND_THINK [1] s (0: as fast as answers come), target p99 < 20 ms
# with no errors, and sends the same requests to nginx serving a yes answer's bytes. Their
# output goes to the report as it is.
# webhooks: issue 16, its own driver too: bench/webhooks.py queues BENCH_WEBHOOK_EVENTS [100000]
# reservation events for one subscription whose receiver is a private nginx, and reports
# events/s, the delay from commit to delivery, and the request path's latency (wrk on a listing
# read) idle and while the events are delivered, with wrk POSTing to the same nginx as reference.
# backends: issue 17, its own driver: bench/backends.py seeds BENCH_LISTINGS listings into SQLite
# (reusing BENCH_SEED_CACHE's listings-N.db), copies them into a private PostgreSQL 15 cluster
# with durable settings (fsync, full_page_writes, synchronous_commit on; shared_buffers
# BENCH_PG_SHARED_BUFFERS [2GB]) by `rentd copy` (seeded there when copy is missing), and runs
# object_read, cards_typical, inventory_first and apartment_create (POST /api/v4/apartment, a new
# apartment each request) at 32 connections against SQLite and PostgreSQL with 1 and with 2 rentd
# processes (one wrk per process, half the connections each), nginx on the reads' bytes, for
# BENCH_DURATION × BENCH_ROUNDS [3]; it prints the table and PostgreSQL's req/s as a share of SQLite's
# (BENCH_BACKENDS=sqlite: the SQLite half alone).
#
# Needs wrk, nginx, curl, python3 (scripts/install-deps.sh bench). Only 127.0.0.1
# is ever targeted. Every process it starts is stopped on exit, even on failure.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

conns=${BENCH_CONNECTIONS:-64}
wthreads=${BENCH_THREADS:-2}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
sthreads=${BENCH_SERVER_THREADS:-2}
build=${BENCH_BUILD:-build-bench}
cases=${BENCH_CASES:-small_json db_read auth_read login}
nginx_bin=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

bench_user=bench@rentd.local
bench_password=bench-password-1
login_body="{\"username\": \"$bench_user\", \"password\": \"$bench_password\"}"
declare -A case_path=([small_json]=/healthz [db_read]=/readyz [auth_read]=/api/v1/employees/1 [login]=/api/v2/tokens/
	[inventory_first]='/api/v1/inventory/?amount=10' [inventory_filtered]='/api/v1/inventory/?type=apartment&estate.id=2000'
	[inventory_deep]='/api/v1/inventory/?offset=90000&amount=10' [geo_lookup]=/api/v1/geo/lookup
	[accounts_list]='/api/landlords/accounts?page=1&itemsPerPage=20'
	[accounts_changes]='/api/landlords/accounts/changes?page=1&itemsPerPage=20'
	[accounts_changes_account]='/api/landlords/accounts/changes?accountId=@ACCOUNT@&page=1&itemsPerPage=20'
	[accounts_changes_deep]='/api/landlords/accounts/changes?page=5000&itemsPerPage=20'
	[cards_typical]='/api/v3/cards/?case=typical' [search_county]='/api/v3/search?case=county'
	[cards_pins]='/api/v3/cards/?case=pins' [cards_pins_1]='/api/v3/cards/?case=pins1'
	[object_read]='/api/v1/object/@LISTING@' [object_read_spread]='/api/v1/object/@LISTING@'
	[market_objects]='/v2/market/objects?limit=50' [market_objects_deep]='/v2/market/objects?offset=50000&limit=50'
	[market_objects_spread]='/v2/market/objects?limit=50'
	[market_status]='/v2/market/objects/@MARKET_OBJECT@/status')
declare -A case_target=([small_json]=60 [db_read]=40 [inventory_first]=0 [cards_typical]=0 [search_county]=0
	[cards_pins]=0 [cards_pins_1]=0 [object_read]=50 [market_objects]=60)   # rentd req/s as % of nginx's (none: reported only)
declare -A case_p99=([db_read]=5 [inventory_first]=20 [cards_typical]=20 [cards_pins_1]=50)  # rentd p99 bound in ms, if any
declare -A case_rps=([geo_lookup]=10000 [cards_typical]=5000 [market_status]=5000)                # rentd-only rows: req/s target, if any
declare -A case_auth=([auth_read]=1 [inventory_first]=1 [inventory_filtered]=1 [inventory_deep]=1 [geo_lookup]=1
	[accounts_list]=1 [accounts_changes]=1 [accounts_changes_account]=1 [accounts_changes_deep]=1
	[market_status]=1) # sends a token
declare -A case_applicant=([market_status]=1) # the token is a market applicant's (Bearer)
declare -A case_agent=([accounts_list]=1 [accounts_changes]=1 [accounts_changes_account]=1 [accounts_changes_deep]=1) # the agent's
declare -A case_nginx=([login]=0 [geo_lookup]=0 [object_read_spread]=0 [market_objects_spread]=0)        # 0: no nginx row (a POST, or many paths: nothing static to compare)
declare -A case_body=([login]=$login_body [geo_lookup]='{"latitude": 59.3293, "longitude": 18.0686}'
	[cards_typical]='{"shapes": ["county.1"], "min_rent": 6000, "max_rent": 12000, "min_room": 2, "sorting": "publish_date.desc", "amount": 20}'
	[search_county]='{"shapes": ["county.1"], "page": 1, "amount": 20}'
	[cards_pins]='{"card_pin": true}' [cards_pins_1]='{"card_pin": true}') # POST bodies
declare -A case_conns=([login]=8 [inventory_first]=32 [inventory_filtered]=32 [inventory_deep]=32 [geo_lookup]=32
	[accounts_list]=32 [accounts_changes]=32 [accounts_changes_account]=32 [accounts_changes_deep]=32
	[cards_typical]=32 [search_county]=32 [cards_pins]=32 [cards_pins_1]=1 [object_read]=32 [object_read_spread]=32
	[market_objects]=32 [market_objects_deep]=32 [market_objects_spread]=32 [market_status]=32)
declare -A case_script=([object_read_spread]=bench/spread.lua [market_objects_spread]=bench/spread.lua) # wrk script (default bench/report.lua)
apartments=${BENCH_APARTMENTS:-100000}
bench_listings=${BENCH_LISTINGS:-1000000}
seed_cache=${BENCH_SEED_CACHE:-}
bench_accounts=${BENCH_ACCOUNTS:-10000}
bench_events=${BENCH_EVENTS:-1000000}
agent_user=bench-agent@rentd.local
agent_password=bench-agent-password-1

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

for tool in wrk curl python3 timeout setsid; do
	command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh bench)"
done
[ -x "$nginx_bin" ] || die "nginx is missing (scripts/install-deps.sh bench)"

# wrk takes 10s / 1m; timeout needs plain seconds to bound each run.
secs() {
	case $1 in
	*ms) echo 1 ;;
	*s) echo "${1%s}" ;;
	*m) echo $(( ${1%m} * 60 )) ;;
	*h) echo $(( ${1%h} * 3600 )) ;;
	*) echo "$1" ;;
	esac
}
dur_s=$(secs "$duration")
warm_s=$(secs "$warmup")
[[ $dur_s =~ ^[0-9]+$ && $warm_s =~ ^[0-9]+$ ]] || die "BENCH_DURATION/BENCH_WARMUP must be like 10s or 1m"

tmp=$(mktemp -d /tmp/rentd-bench.XXXXXX)
rentd_pid=
nginx_pid=

stop_pid() { # pid, name: TERM, wait up to 5 s, then KILL its process group
	local pid=$1 name=$2 i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "$name ($pid) did not stop, killing it"
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$nginx_pid" nginx
	stop_pid "$rentd_pid" rentd
	if [ $rc -ne 0 ]; then
		for f in rentd.log error.log; do
			[ -s "$tmp/$f" ] && { say "last lines of $f:"; tail -n 20 "$tmp/$f" >&2; }
		done
	fi
	rm -rf "$tmp"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() { # url, pid: up to 10 s for a 200
	local url=$1 pid=$2 i
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 1
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}

# --- build ------------------------------------------------------------------
if [ ! -f "$build/build.ninja" ]; then
	timeout 300 meson setup "$build" -Dtests=false -Dbuildtype=release >/dev/null \
		|| die "meson setup $build failed"
fi
timeout 600 ninja -C "$build" >/dev/null || die "ninja -C $build failed"
rentd_bin=$root/$build/rentd
rentd_version=$("$rentd_bin" version 2>/dev/null | sed 's/^rentd //' || true)
rentd_rev=$(git -C "$root" describe --always --dirty 2>/dev/null || echo "no git")

# --- cases with their own driver ---------------------------------------------------------
declare -A case_driver=([process_rank]="bench/process_rank.py --applications ${BENCH_RANK_APPLICATIONS:-100000}
	--rounds ${BENCH_RANK_ROUNDS:-1}"
	[process_commands]="bench/process_commands.py --concurrency ${BENCH_COMMAND_CONCURRENCY:-200}
	--offers ${BENCH_COMMAND_OFFERS:-1000} --think ${BENCH_COMMAND_THINK:-1} --threads $sthreads --nginx $nginx_bin"
	[webhooks]="bench/webhooks.py --events ${BENCH_WEBHOOK_EVENTS:-100000} --threads $sthreads --nginx $nginx_bin"
	[backends]="bench/backends.py --listings $bench_listings${seed_cache:+ --seed-cache $seed_cache} --duration $dur_s
	--warmup $warm_s --rounds ${BENCH_ROUNDS:-3} --threads $sthreads --shared-buffers ${BENCH_PG_SHARED_BUFFERS:-2GB}
	--backends ${BENCH_BACKENDS:-sqlite,pg} --nginx $nginx_bin")
declare -A case_driver_timeout=([backends]=21600) # seconds; default 3600 (backends seeds and copies 1,000,000 listings)
driver_cases='' wrk_cases=''
for c in $cases; do
	if [ -n "${case_driver[$c]:-}" ]; then driver_cases+=" $c"; else wrk_cases+=" $c"; fi
done
driver_out=$tmp/drivers.txt
: >"$driver_out"
for c in $driver_cases; do
	say "$c: python3 ${case_driver[$c]//$'\n\t'/ } --rentd $build/rentd"
	{ echo "### $c"; echo; echo "    python3 ${case_driver[$c]//$'\n\t'/ } --rentd $build/rentd"; echo; } >>"$driver_out"
	# shellcheck disable=SC2086 # the driver's arguments are words
	timeout "${case_driver_timeout[$c]:-3600}" python3 ${case_driver[$c]} --rentd "$rentd_bin" 2>&1 | tee "$tmp/$c.out" >&2 \
		|| die "$c failed: $(tail -n 5 "$tmp/$c.out")"
	sed 's/^/    /' "$tmp/$c.out" >>"$driver_out"
	echo >>"$driver_out"
done
cases=${wrk_cases# }
if [ -z "$cases" ]; then
	mkdir -p bench/results
	{
		echo "# rentd benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo
		echo "- machine: $(nproc) CPUs, $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*:[[:space:]]*//'), Linux $(uname -r)"
		echo "- rentd $rentd_version at $rentd_rev ($build, release)"
		echo
		cat "$driver_out"
	} >bench/results/latest.md
	say "written to bench/results/latest.md"
	exit 0
fi

# --- rentd ------------------------------------------------------------------
rport=$(free_port)
mkdir -p "$tmp/db"
"$rentd_bin" company create --database "$tmp/db/rentd.db" --name Bench --admin-username "$bench_user" \
	--admin-password "$bench_password" >/dev/null 2>"$tmp/rentd.log" || die "rentd company create failed"
seed_note=
if [[ " $cases " == *" inventory_"* ]]; then
	say "seeding $apartments apartments (rentd seed)"
	seed_out=$(timeout 600 "$rentd_bin" seed --apartments "$apartments" --database "$tmp/db/rentd.db" 2>>"$tmp/rentd.log") \
		|| die "rentd seed failed"
	seed_note="seeded: $seed_out"
	say "$seed_note"
fi
if [[ " $cases " == *" accounts_"* ]]; then
	say "seeding $bench_accounts accounts and $bench_events events (rentd seed)"
	accounts_out=$(timeout 1800 "$rentd_bin" seed --accounts "$bench_accounts" --events "$bench_events" \
		--database "$tmp/db/rentd.db" 2>>"$tmp/rentd.log") || die "rentd seed --accounts failed"
	"$rentd_bin" agent create --email "$agent_user" --password "$agent_password" --name "Bench Agent" \
		--database "$tmp/db/rentd.db" >/dev/null 2>>"$tmp/rentd.log" || die "rentd agent create failed"
	seed_note="${seed_note:+$seed_note; }seeded: $accounts_out"
	say "seeded: $accounts_out"
fi
if [[ " $cases " == *" cards_"* || " $cases " == *" search_"* || " $cases " == *" object_read"* ||
	" $cases " == *" market_objects"* || " $cases " == *" market_status "* ]]; then
	cached=${seed_cache:+$seed_cache/listings-$bench_listings.db}
	if [ -n "$cached" ] && [ -f "$cached" ]; then
		say "using the seeded database $cached"
		cp "$cached" "$tmp/db/rentd.db"
		listings_out="(cached) $(cat "$cached.seed" 2>/dev/null || true)"
	else
		say "seeding $bench_listings listings (rentd seed --listings; minutes at 1,000,000)"
		listings_out=$(timeout 7200 "$rentd_bin" seed --listings "$bench_listings" --database "$tmp/db/rentd.db" \
			--media-dir "$tmp/media" 2>>"$tmp/rentd.log") || die "rentd seed --listings failed"
		if [ -n "$cached" ]; then
			mkdir -p "$seed_cache"
			"$rentd_bin" migrate --database "$tmp/db/rentd.db" >/dev/null 2>&1 || true  # checkpoints the WAL
			cp "$tmp/db/rentd.db" "$cached" && echo "$listings_out" >"$cached.seed"
		fi
	fi
	seed_note="${seed_note:+$seed_note; }seeded: $listings_out"
	say "seeded: $listings_out"
fi
if [[ " $cases " == *" market_status "* ]]; then
	# a signed-in applicant of the housing queue (the token from the command line: no argon2id)
	"$rentd_bin" seed --applicants 200 --database "$tmp/db/rentd.db" >/dev/null 2>>"$tmp/rentd.log" \
		|| die "rentd seed --applicants failed"
	applicant_token=$("$rentd_bin" applicant tokens --count 1 --queues residential --database "$tmp/db/rentd.db" \
		2>>"$tmp/rentd.log") || die "rentd applicant tokens failed"
fi
setsid "$rentd_bin" serve --listen "127.0.0.1:$rport" --database "$tmp/db/rentd.db" \
	--threads "$sthreads" --access-log off --log-level warn >"$tmp/rentd.log" 2>&1 &
rentd_pid=$!
wait_http "http://127.0.0.1:$rport/readyz" "$rentd_pid" || die "rentd did not become ready on port $rport"
token=$(curl -s --max-time 10 -X POST -H 'Content-Type: application/json' -d "$login_body" \
	"http://127.0.0.1:$rport/api/v2/tokens/" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') \
	|| die "cannot log in to rentd"
agent_token=
if [[ " $cases " == *" accounts_"* ]]; then
	agent_token=$(curl -s --max-time 10 -X POST -H 'Content-Type: application/json' \
		-d "{\"username\": \"$agent_user\", \"password\": \"$agent_password\"}" \
		"http://127.0.0.1:$rport/api/v2/tokens/" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') \
		|| die "cannot log in as the agent"
	# one seeded account's id for accounts_changes_account: the first of the list
	account=$(curl -s --max-time 10 -H "Authorization: $agent_token" \
		"http://127.0.0.1:$rport/api/landlords/accounts?itemsPerPage=1" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["_embedded"]["sah:accounts"][0]["id"])') \
		|| die "cannot list the accounts"
	case_path[accounts_changes_account]=${case_path[accounts_changes_account]/@ACCOUNT@/$account}
fi
if [[ " $cases " == *" object_read"* ]]; then
	# a listing of the typical search's first page, for GET /api/v1/object/{id}
	listing=$(curl -s --max-time 10 -X POST -H 'Content-Type: application/json' -d "${case_body[cards_typical]}" \
		"http://127.0.0.1:$rport/api/v3/cards/" | python3 -c 'import json, sys; print(json.load(sys.stdin)["results"][0]["id"])') \
		|| die "cannot find a listing"
	case_path[object_read]=${case_path[object_read]/@LISTING@/$listing}
	case_path[object_read_spread]=${case_path[object_read_spread]/@LISTING@/$listing}
fi
if [[ " $cases " == *" object_read_spread "* ]]; then
	# object_read_spread: BENCH_SPREAD [100000] public listings in random order (far more than
	# the server keeps rendered), read round-robin by bench/spread.lua
	export BENCH_PATHS=$tmp/spread_paths.txt
	python3 - "$tmp/db/rentd.db" "${BENCH_SPREAD:-100000}" >"$BENCH_PATHS" <<'PY' || die "cannot list public listings"
import sqlite3, sys, time
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for (i,) in db.execute("SELECT id FROM object_ads WHERE status IN ('active', 'reserved') AND date_publish <= ?"
                       " ORDER BY random() LIMIT ?", (int(time.time()), int(sys.argv[2]))):
    print(f"/api/v1/object/{i}")
PY
	say "object_read_spread: $(wc -l <"$BENCH_PATHS") listings"
fi
if [[ " $cases " == *" market_objects_spread "* ]]; then
	# market_objects_spread: pages of 50 at every offset of the first BENCH_SPREAD [100000]
	# objects, in random order: far more pages than the server keeps (core->market_pages),
	# so nearly every request renders its page (rentd only; one BENCH_PATHS file per case)
	BENCH_MARKET_PATHS="$tmp/market_paths.txt"
	python3 - "${BENCH_SPREAD:-100000}" >"$BENCH_MARKET_PATHS" <<'PY' || die "cannot list market pages"
import random, sys
n = int(sys.argv[1])
offsets = list(range(0, n, 50))
random.Random(14).shuffle(offsets)
print("\n".join(f"/v2/market/objects?offset={o}&limit=50" for o in offsets))
PY
	say "market_objects_spread: $(wc -l <"$BENCH_MARKET_PATHS") pages"
fi
if [[ " $cases " == *" market_status "* ]]; then
	# the newest residential object (its application window is open)
	object=$(curl -s --max-time 10 "http://127.0.0.1:$rport/v2/market/objects?type=residential&limit=1" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["localId"])') \
		|| die "cannot find a market object"
	case_path[market_status]=${case_path[market_status]/@MARKET_OBJECT@/$object}
fi
# The Authorization header of a case: the agent's bare token (accounts dialect), an applicant's, or the login's.
auth_of() {
	if [ -n "${case_agent[$1]:-}" ]; then echo "Authorization: $agent_token"
	elif [ -n "${case_applicant[$1]:-}" ]; then echo "Authorization: Bearer $applicant_token"
	else echo "Authorization: JWT $token"; fi
}

# --- capture each case's exact bytes -------------------------------------------
docroot=$tmp/docroot
# A path's file: /a/b as is; /a/b/?q=1 as /a/b/@q=1 (nginx: try_files $uri "$uri@$args",
# so paths that differ only in their query each get their own bytes).
docfile() {
	case $1 in
	*\?*) echo "$docroot/${1%%\?*}@${1#*\?}" ;;
	*) echo "$docroot/${1#/}" ;;
	esac
}
mkdir -p "$docroot"
declare -A body_bytes hdr_bytes
for c in $cases; do
	p=${case_path[$c]:-}
	[ -n "$p" ] || die "unknown case $c"
	if [ "${case_nginx[$c]:-1}" = 0 ]; then
		if [ -n "${case_body[$c]:-}" ]; then
			code=$(curl -s --max-time 10 -o "$tmp/$c.body" -w '%{http_code}' -X POST -H "Authorization: JWT $token" \
				-H 'Content-Type: application/json' -d "${case_body[$c]}" "http://127.0.0.1:$rport$p")
		else
			code=$(curl -s --max-time 10 -o "$tmp/$c.body" -w '%{http_code}' "http://127.0.0.1:$rport$p")
		fi
		[ "$code" = 200 ] || die "$p answered $code"
		body_bytes[$c]=$(stat -c %s "$tmp/$c.body")
		continue
	fi
	f=$(docfile "$p")
	mkdir -p "$(dirname "$f")"
	if [ -n "${case_body[$c]:-}" ]; then # a POST whose answer nginx serves as a file
		code=$(curl -s --max-time 60 -o "$f" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
			-d "${case_body[$c]}" "http://127.0.0.1:$rport$p")
	else
		code=$(curl -s --max-time 10 -o "$f" -w '%{http_code}' -H "$(auth_of "$c")" \
			"http://127.0.0.1:$rport$p")
	fi
	[ "$code" = 200 ] || die "GET $p answered $code"
	body_bytes[$c]=$(stat -c %s "$f")
done
chmod -R a+rX "$tmp"   # nginx's workers run as nobody when started by root

# --- nginx ------------------------------------------------------------------
nport=$(free_port)
while [ "$nport" = "$rport" ]; do nport=$(free_port); done
sed -e "s|@TMPDIR@|$tmp|g" -e "s|@PORT@|$nport|g" -e "s|@DOCROOT@|$docroot|g" \
	-e "s|^worker_processes 2;|worker_processes $sthreads;|" \
	-e 's|location / { }|location / { try_files $uri "$uri@$args" =404; }|' \
	bench/nginx.conf.in >"$tmp/nginx.conf"
timeout 10 "$nginx_bin" -t -q -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" \
	|| die "nginx rejects $tmp/nginx.conf"
setsid "$nginx_bin" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" >/dev/null 2>&1 &
nginx_pid=$!
for c in $cases; do
	p=${case_path[$c]}
	[ "${case_nginx[$c]:-1}" = 0 ] && continue
	wait_http "http://127.0.0.1:$nport$p" "$nginx_pid" || die "nginx does not serve $p on port $nport"
	curl -s --max-time 5 "http://127.0.0.1:$nport$p" | cmp -s - "$(docfile "$p")" \
		|| die "nginx's $p differs from rentd's"
done
nginx_version=$("$nginx_bin" -v 2>&1 | sed 's|.*nginx/||')
wrk_version=$(wrk -v 2>&1 | head -n1 | awk '{print $2}' || true)

for c in $cases; do
	p=${case_path[$c]}
	for s in rentd nginx; do
		port=$rport; [ $s = nginx ] && port=$nport
		if [ "${case_nginx[$c]:-1}" = 0 ]; then
			hdr_bytes[$c.$s]=-
			continue
		fi
		if [ -n "${case_body[$c]:-}" ]; then
			hdr_bytes[$c.$s]=$(curl -s --max-time 60 -o /dev/null -w '%{size_header}' -X POST \
				-H 'Content-Type: application/json' -d "${case_body[$c]}" "http://127.0.0.1:$port$p")
		else
			hdr_bytes[$c.$s]=$(curl -s --max-time 5 -o /dev/null -w '%{size_header}' \
				-H "$(auth_of "$c")" "http://127.0.0.1:$port$p")
		fi
	done
done

# --- CPU accounting -------------------------------------------------------------
# wrk, rentd and nginx share the CPUs, and so does anything else running on the
# machine. Each run records the CPU time of the server, of wrk and of everyone else
# (from /proc/stat), so a row measured next to a busy neighbour is visible as such.
hz=$(getconf CLK_TCK)
sys_busy() { awk '/^cpu /{print $2 + $3 + $4; exit}' /proc/stat; }   # user+nice+system ticks
sys_all() { awk '/^cpu /{s = 0; for (i = 2; i <= 9; i++) s += $i; print s; exit}' /proc/stat; }
pids_ticks() { # utime+stime of the processes given, all threads included
	local p t=0 v
	for p in "$@"; do
		v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
		t=$((t + v))
	done
	echo $t
}
server_pids() { # rentd, or nginx's master and workers
	if [ "$1" = rentd ]; then echo "$rentd_pid"; else echo "$nginx_pid" $(cat /proc/"$nginx_pid"/task/*/children 2>/dev/null); fi
}
children_ticks() { # file written by the times builtin → CPU of the shell's finished children
	awk -v hz="$hz" 'NR == 2 {
		t = 0
		for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); t += a[1] * 60 + a[2] }
		printf "%d\n", t * hz }' "$1"
}
ncpu=$(nproc)

# Wait (bounded) for the machine to be quiet before measuring.
idle_wait=${BENCH_IDLE_WAIT:-60}
background_pct() { # CPU used by others over 1 s, as % of all CPUs
	local b0 a0 b1 a1
	b0=$(sys_busy); a0=$(sys_all); sleep 1; b1=$(sys_busy); a1=$(sys_all)
	awk -v b=$((b1 - b0)) -v a=$((a1 - a0)) 'BEGIN { printf "%.0f", (a > 0 ? 100 * b / a : 0) }'
}
bg=$(background_pct)
for ((i = 0; i < idle_wait && bg > 15; i += 1)); do
	((i % 10 == 0)) && say "machine busy (${bg}% CPU used by other processes), waiting up to ${idle_wait}s"
	bg=$(background_pct)
done
((bg > 15)) && say "warning: ${bg}% CPU used by other processes; figures will be low and noisy"
background_before=$bg

# --- wrk ----------------------------------------------------------------------
rounds=${BENCH_ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer"
declare -A res
run_wrk() { # case server port round → sets res[case.server.round]
	local c=$1 s=$2 port=$3 r=$4 url line st0 st1 b0 b1 a0 a1 w0 w1 out
	local cn=${case_conns[$c]:-$conns}
	local wt=$((wthreads < cn ? wthreads : cn))  # wrk needs a connection per thread
	local -a hdr=()
	url="http://127.0.0.1:$port${case_path[$c]}"
	[ -n "${case_auth[$c]:-}" ] && hdr=(-H "$(auth_of "$c")")
	if [ -n "${case_body[$c]:-}" ]; then
		export BENCH_METHOD=POST BENCH_BODY=${case_body[$c]}
	else
		unset BENCH_METHOD BENCH_BODY
	fi
	local script=${case_script[$c]:-bench/report.lua}
	if [ "$c" = market_objects_spread ]; then export BENCH_PATHS=$BENCH_MARKET_PATHS; else export BENCH_PATHS=$tmp/spread_paths.txt; fi
	timeout $((warm_s + 20)) wrk -t "$wt" -c "$cn" -d "$warmup" "${hdr[@]}" -s "$script" "$url" >/dev/null 2>&1 \
		|| die "wrk warm-up against $s $url failed"
	out=$tmp/wrk.$c.$s.$r.txt
	# times must run in this shell, not in a $(…) subshell, to see wrk among its children
	times >"$tmp/times0"
	st0=$(pids_ticks $(server_pids "$s")); b0=$(sys_busy); a0=$(sys_all)
	timeout $((dur_s + 30)) wrk -t "$wt" -c "$cn" -d "$duration" "${hdr[@]}" -s "$script" "$url" >"$out" 2>&1 || true
	st1=$(pids_ticks $(server_pids "$s")); b1=$(sys_busy); a1=$(sys_all)
	times >"$tmp/times1"
	w0=$(children_ticks "$tmp/times0"); w1=$(children_ticks "$tmp/times1")
	line=$(grep '^BENCH ' "$out" || true)
	if ! kill -0 "$rentd_pid" 2>/dev/null; then
		wait "$rentd_pid" && st=0 || st=$?
		rentd_pid=
		die "rentd exited during the $c run (status $st$( ((st > 128)) && echo ", signal $((st - 128))"))"
	fi
	[ -n "$line" ] || { cat "$out" >&2; die "wrk against $s $url printed no BENCH line"; }
	# CPU in % of one core, over the run: server, wrk, and everything else
	res[$c.$s.$r]="$line $(awk -v s=$((st1 - st0)) -v w=$((w1 - w0)) -v b=$((b1 - b0)) -v a=$((a1 - a0)) \
		-v n="$ncpu" -v req="$(field "$line" requests)" -v hz="$hz" 'BEGIN {
			wall = a / n   # ticks of one CPU over the run
			o = b - s - w; if (o < 0) o = 0
			printf "srv_cpu=%.0f wrk_cpu=%.0f other_cpu=%.0f srv_us_per_req=%.1f",
				100 * s / wall, 100 * w / wall, 100 * o / wall, (req > 0 ? 1e6 * s / hz / req : 0) }')"
}
field() { # line key
	tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}
median() { # numbers on stdin → their median
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
med() { # case server key → median over the rounds
	local r
	for ((r = 1; r <= rounds; r++)); do field "${res[$1.$2.$r]}" "$3"; done | median
}

say "rentd $rentd_version on :$rport, nginx $nginx_version on :$nport; wrk -t$wthreads -c$conns" \
	"-d$duration (after a ${warmup} warm-up), $rounds round(s), servers alternating"
for ((r = 1; r <= rounds; r++)); do
	for c in $cases; do
		order="rentd nginx"; ((r % 2 == 0)) && order="nginx rentd"
		[ "${case_nginx[$c]:-1}" = 0 ] && order=rentd
		for s in $order; do
			port=$rport; [ $s = nginx ] && port=$nport
			run_wrk "$c" "$s" "$port" "$r"
			say "round $r $c $s: $(field "${res[$c.$s.$r]}" rps) req/s," \
				"p99 $(field "${res[$c.$s.$r]}" p99_ms) ms, other processes $(field "${res[$c.$s.$r]}" other_cpu)% of a core"
		done
	done
done

# --- report -------------------------------------------------------------------
# the server's resident memory now and at its peak (kB → MB)
rentd_mem=$(awk '/^VmRSS|^VmHWM/ { printf "%s%s %.0f MB", (n++ ? ", " : ""), $1, $2 / 1024 }' \
	"/proc/$rentd_pid/status" 2>/dev/null || true)
date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*:[[:space:]]*//')
table=$tmp/table.md
{
	echo "| case | server | req/s | p50 ms | p90 ms | p99 ms | errors | server CPU µs/req | CPU % server / wrk / other | rentd/nginx | target |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|"
	for c in $cases; do
		if [ "${case_nginx[$c]:-1}" = 0 ]; then
			errs=0
			for ((r = 1; r <= rounds; r++)); do
				for k in err_connect err_read err_write err_status err_timeout; do
					errs=$((errs + $(field "${res[$c.rentd.$r]}" $k)))
				done
			done
			v=—
			[ -n "${case_rps[$c]:-}" ] && v=$(awk -v a="$(med "$c" rentd rps)" -v t="${case_rps[$c]}" \
				'BEGIN { printf ">= %d req/s: %s", t, (a >= t ? "met" : "MISSED") }')
			printf '| %s | rentd (-c%s) | %.0f | %.2f | %.2f | %.2f | %d | %.1f | %.0f / %.0f / %.0f | — | %s |\n' \
				"$c" "${case_conns[$c]:-$conns}" "$(med "$c" rentd rps)" "$(med "$c" rentd p50_ms)" \
				"$(med "$c" rentd p90_ms)" "$(med "$c" rentd p99_ms)" "$errs" "$(med "$c" rentd srv_us_per_req)" \
				"$(med "$c" rentd srv_cpu)" "$(med "$c" rentd wrk_cpu)" "$(med "$c" rentd other_cpu)" "$v"
			continue
		fi
		rr=$(med "$c" rentd rps)
		nr=$(med "$c" nginx rps)
		ratio=$(awk -v a="$rr" -v b="$nr" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
		verdict=$(awk -v a="$rr" -v b="$nr" -v t="${case_target[$c]:--1}" -v minrps="${case_rps[$c]:-0}" \
			-v p99="$(med "$c" rentd p99_ms)" -v lim="${case_p99[$c]:-0}" 'BEGIN {
				if (t < 0) { print "no target"; exit }
				ok = b > 0 && 100 * a / b >= t; s = ">= " t "%"
				if (t == 0) { ok = 1; s = "" }   # no ratio target: only the bounds below
				if (minrps > 0) { ok = ok && a >= minrps; s = s (s == "" ? "" : ", ") ">= " minrps " req/s" }
				if (lim > 0) { ok = ok && p99 < lim; s = s (s == "" ? "" : ", ") "p99 < " lim " ms" }
				if (s == "") { print "no target"; exit }
				printf "%s: %s", s, (ok ? "met" : "MISSED") }')
		for s in rentd nginx; do
			errs=0
			for ((r = 1; r <= rounds; r++)); do
				for k in err_connect err_read err_write err_status err_timeout; do
					errs=$((errs + $(field "${res[$c.$s.$r]}" $k)))
				done
			done
			if [ $s = rentd ]; then rt=$ratio v=$verdict; else rt= v=; fi
			printf '| %s | %s | %.0f | %.2f | %.2f | %.2f | %d | %.1f | %.0f / %.0f / %.0f | %s | %s |\n' \
				"$c" "$s" "$(med "$c" $s rps)" "$(med "$c" $s p50_ms)" "$(med "$c" $s p90_ms)" \
				"$(med "$c" $s p99_ms)" "$errs" "$(med "$c" $s srv_us_per_req)" "$(med "$c" $s srv_cpu)" \
				"$(med "$c" $s wrk_cpu)" "$(med "$c" $s other_cpu)" "$rt" "$v"
		done
	done
} >"$table"

mkdir -p bench/results
{
	echo "# rentd benchmark — $date_utc"
	echo
	echo "- machine: $ncpu CPUs, $cpu, Linux $(uname -r); other processes used ${background_before}% of all CPUs just before the run"
	echo "- rentd $rentd_version at $rentd_rev ($build, release, --threads $sthreads, --access-log off)," \
		"nginx $nginx_version (worker_processes $sthreads, access_log off), wrk $wrk_version"
	echo "- per case and server: wrk -t$wthreads -c$conns -d$warmup (warm-up, discarded), then" \
		"wrk -t$wthreads -c$conns -d$duration -s bench/report.lua URL; $rounds round(s), order alternating; medians shown"
	echo "- wrk and both servers share the same $ncpu CPUs; CPU columns are % of one core over the run"
	[ -n "$seed_note" ] && echo "- seeded data: $seed_note"
	[ -n "$rentd_mem" ] && echo "- rentd memory after the runs: $rentd_mem"
	echo "- response sizes, headers + body bytes:$(for c in $cases; do
		printf ' %s rentd %s+%s, nginx %s+%s;' "$c" "${hdr_bytes[$c.rentd]}" "${body_bytes[$c]}" \
			"${hdr_bytes[$c.nginx]}" "${body_bytes[$c]}"; done)"
	echo
	cat "$table"
	echo
	[ -s "$driver_out" ] && { cat "$driver_out"; echo; }
	echo "Raw lines (report.lua, plus CPU accounting by run.sh):"
	echo
	for ((r = 1; r <= rounds; r++)); do
		for c in $cases; do for s in rentd nginx; do
			[ -n "${res[$c.$s.$r]:-}" ] && echo "    r$r $c $s ${res[$c.$s.$r]}"
		done; done
	done
} >bench/results/latest.md

echo
cat "$table"
echo
say "written to bench/results/latest.md"
