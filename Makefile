# rentd — the two commands are `make run` and `make test` (see README.md).
# Everything is built by Meson + Ninja; this file only sequences the steps.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
MESON_FLAGS ?=
# meson's --timeout-multiplier for the ASan stage; tests/watchdog.py is told the same factor
ASAN_TIMEOUT_MULTIPLIER ?= 3

# Suites that are configured but left out of `make test` (none now; check-suites.py is told the
# same). The ASan stage leaves out api_pg and e2e_pg, the SQLite suites run again on PostgreSQL:
# its point is memory errors in rentd's C, which the same suites find on SQLite, and the pg suite
# covers db_pg.c, copy and two processes under ASan; doubling ASan's longest stage buys little.
# It leaves out openapi too (the lint of docs/openapi/, no C in it).
PENDING_SUITES ?=
ASAN_PENDING_SUITES ?= $(PENDING_SUITES) api_pg e2e_pg openapi
NO_SUITES = $(foreach s,$(PENDING_SUITES),--no-suite $(s))
ASAN_NO_SUITES = $(foreach s,$(ASAN_PENDING_SUITES),--no-suite $(s))

# Node.js trusts its own copy of the public CAs, not the machine's: where HTTPS goes through a
# proxy whose CA the machine trusts (update-ca-certificates), npm at test time (Redocly CLI, the
# generated clients, s3rver) would refuse the registry while curl and Python accept it. So the
# tests' Node.js trusts the machine's store as well, unless NODE_EXTRA_CA_CERTS says otherwise.
SYSTEM_CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt
ifneq ($(wildcard $(SYSTEM_CA_BUNDLE)),)
export NODE_EXTRA_CA_CERTS ?= $(SYSTEM_CA_BUNDLE)
endif

.PHONY: all build run test test-unit openapi-check test-openapi test-asan test-configure fuzz bench clean deps-run deps-test deps-bench

all: build

deps-run:
	@scripts/install-deps.sh run
deps-test:
	@scripts/install-deps.sh test
deps-bench:
	@scripts/install-deps.sh bench

# `make run` needs only the run packages: without Criterion (a test package) the build/ it
# creates has no test suites. `make test` turns them on in the same build/ (test-configure).
$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dtests=$$(pkg-config --exists criterion && echo true || echo false) $(MESON_FLAGS)

build: deps-run $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Serve on 127.0.0.1:8080 with an embedded SQLite database under var/.
run: build
	./$(BUILD)/rentd serve --demo $(ARGS)

# Every suite: the normal build, the ASan+UBSan build, then bounded fuzzing.
test: deps-test
	$(MAKE) test-unit test-asan fuzz

# A build/ made by `make run` has -Dtests=false: switch the suites on (Criterion is then
# required, so a missing test package fails here rather than skipping suites).
test-configure: $(BUILD)/build.ninja
	meson configure $(BUILD) -Dtests=true

# The API suites (api, api_pg) record every exchange they make into $(EXCHANGES) (tests/api/harness.c),
# and once all suites have passed, tests/openapi/validate_responses.py checks each answer against
# docs/openapi/. Alone: make openapi-check (after a meson test run with RENTD_TEST_RECORD_DIR set).
EXCHANGES ?= $(abspath $(BUILD))/openapi-exchanges

test-unit: test-configure
	ninja -C $(BUILD)
	scripts/check-suites.py $(BUILD)
	rm -rf $(EXCHANGES) && mkdir -p $(EXCHANGES)
	RENTD_TEST_RECORD_DIR=$(EXCHANGES) meson test -C $(BUILD) --print-errorlogs $(NO_SUITES)
	scripts/check-suites.py $(BUILD) --ran $(NO_SUITES)
	$(MAKE) openapi-check

openapi-check:
	python3 tests/openapi/validate_responses.py $(EXCHANGES)

# The OpenAPI checks alone: the SQLite API suites recording, the response check, Redocly's lint.
test-openapi: test-configure
	ninja -C $(BUILD)
	rm -rf $(EXCHANGES) && mkdir -p $(EXCHANGES)
	RENTD_TEST_RECORD_DIR=$(EXCHANGES) meson test -C $(BUILD) --print-errorlogs --suite api
	$(MAKE) openapi-check
	meson test -C $(BUILD) --print-errorlogs openapi_lint

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Dtests=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

test-asan: $(ASAN_BUILD)/build.ninja
	meson configure $(ASAN_BUILD) -Dtests=true
	ninja -C $(ASAN_BUILD)
	scripts/check-suites.py $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	RENTD_TEST_TIMEOUT_MULTIPLIER=$(ASAN_TIMEOUT_MULTIPLIER) \
		meson test -C $(ASAN_BUILD) --print-errorlogs --timeout-multiplier $(ASAN_TIMEOUT_MULTIPLIER) $(ASAN_NO_SUITES)
	scripts/check-suites.py $(ASAN_BUILD) --ran $(ASAN_NO_SUITES)

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false

fuzz: $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: deps-bench build
	bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
