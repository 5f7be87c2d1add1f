# mqdash — developer and CI entry points.
#
#   make deps      apt packages + .venv (paho-mqtt, pytest); quick when all is there
#   make build     swift build (debug)          make release   swift build -c release
#   make run       deps, then mqdash $(ARGS) built in release (default: --broker --demo, a first look with no setup)
#   make install   the release binary into PREFIX (default /usr/local; e.g. PREFIX=~/.local, DESTDIR for
#                  packagers): bin/mqdash, share/mqdash/themes, share/man/man1, bash/zsh/fish completions
#                  (run, install and dist share one -static-stdlib release build in .build-dist)
#   make uninstall removes exactly what `make install PREFIX=...` put there (it keeps a list of it)
#   make dist      .build-dist/mqdash-VERSION-linux-ARCH.tar.gz: the -static-stdlib release binary, themes,
#                  man pages and completions; needs only libncursesw6 and libsqlite3 on the target
#   make dist-test make dist, then unpack the tarball into an empty folder and run mqdash from there
#                  (Tests/Dist/test_tarball.py; part of `make test`, where its cold static release build
#                  is the longest step after the debug build and the fuzz build)
#   make install-test   install/uninstall of the debug binary into a scratch PREFIX (part of `make test`)
#   make generated      regenerate dist/man and dist/completions from the ArgumentParser definitions
#   make check-generated  fail when dist/ differs from what the current code generates (part of `make test`)
#   make test      deps, then XCTest (all targets), check-generated, install-test, dist-test, fuzz-ci, the tmux e2e
#                  tests, the broker suite, the docs suite and the interop suite; each prints its count of
#                  skipped tests and fails on a skip that Tests/skip-allowlist.txt does not explain
#   make unit      XCTest only (its skips checked the same way)
#   make interop   only the interop suite (MQDASH_REFERENCE=1 runs it against mosquitto_sub/pub)
#   make e2e       the dashboard end to end in tmux against mosquitto (Tests/EndToEnd)
#   make broker-tests            the black-box broker suite (Tests/BrokerBlackBox) against `mqdash broker`
#   make broker-tests-reference  the same suite against mosquitto itself (how the suite is checked)
#   make docs-test               the docs (Tests/Docs): every example of docs/usage runs, every page is linked
#   make bench     the release micro benchmarks, <part>-bench each (BENCHES=store-bench for one)
#   make fuzz      libFuzzer for $(FUZZ_SECONDS) s on each target: the decoder on Fuzz/corpus, the broker
#                  on Fuzz/broker-corpus (grows the corpora)
#   make fuzz-ci   the same for 60 s each, side by side, on copies of the corpora (the committed ones are
#                  untouched), built unoptimised to spare CI the optimised build; crashes land in Fuzz/artifacts/

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

SWIFT ?= swift
ARGS ?= --broker --demo
FUZZ_SECONDS ?= 300
# Every micro benchmark is an executable named after the part it measures, like the fuzz targets.
BENCHES ?= core-bench dashboard-bench decoder-bench store-bench

# iproute2 and procps: the tests call `ss` and `pgrep`.
APT_PACKAGES := libncursesw5-dev libsqlite3-dev zlib1g-dev mosquitto mosquitto-clients tmux ncurses-term openssl python3-venv \
                iproute2 procps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian's python3 is the one python3-venv is for; fall back to whatever python3 is on PATH.
PYTHON ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3)
VENV := .venv
VENV_PY := $(VENV)/bin/python
PY_REQUIREMENTS := Tests/PythonSupport/requirements.txt

MQDASH_BIN ?= $(CURDIR)/.build/debug/mqdash
INTEROP_ARGS ?= -q
# XCTest's output, kept for the skip check.
XCTEST_LOG := .build/xctest.log
SKIP_CHECK = $(PYTHON) Tests/PythonSupport/skipallowlist.py

# The release number, kept in one Swift file (mqdash --version, the broker's $SYS/broker/version).
VERSION := $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/MQTTCore/MQDashRelease.swift)
PREFIX ?= /usr/local
DESTDIR ?=
# The binary that run, install and dist use links the Swift runtime and Foundation statically, so
# an installed mqdash keeps working without the toolchain. Its own scratch folder, so that switching
# between it and `make release` (benchmarks) rebuilds neither. No DWARF for the Swift code (-gnone):
# the tarball strips it anyway, the symbol table stays (a crash's backtrace still names functions),
# and not making it shortens this cold build, the longest step of `make test`.
DIST_SCRATCH := .build-dist
DIST_BUILD := -c release --static-swift-stdlib --scratch-path $(DIST_SCRATCH) -Xswiftc -gnone
DIST_BIN := $(DIST_SCRATCH)/release/mqdash
DIST_NAME := mqdash-$(VERSION)-linux-$(shell uname -m)
DIST_TARBALL := $(DIST_SCRATCH)/$(DIST_NAME).tar.gz

# `make fuzz` builds the targets optimised, to search fast; CI's minute of fuzzing (`fuzz-ci`) builds them
# unoptimised, which compiles in about half the time and still replays the corpora and searches from them.
FUZZ_CONFIG ?= release
# CI's build also skips DWARF for the Swift code (a crash still names its functions; replay the saved
# input locally for lines).
FUZZ_EXTRA_FLAGS ?=
FUZZ_SCRATCH := .build-fuzz
FUZZ_BIN = $(FUZZ_SCRATCH)/$(FUZZ_CONFIG)/mqtt-fuzz
FUZZ_CORPUS := Fuzz/corpus
BROKER_FUZZ_BIN = $(FUZZ_SCRATCH)/$(FUZZ_CONFIG)/broker-fuzz
BROKER_FUZZ_CORPUS := Fuzz/broker-corpus
PAYLOAD_FUZZ_BIN = $(FUZZ_SCRATCH)/$(FUZZ_CONFIG)/decoder-fuzz
PAYLOAD_FUZZ_CORPUS := Fuzz/decoder-corpus
# Swift's own crash backtracer would catch the fuzz targets' traps before libFuzzer could save the input.
FUZZ_ENV := SWIFT_BACKTRACE=enable=no
FUZZ_ARTIFACTS := Fuzz/artifacts

.PHONY: deps apt-deps venv build release dist-binary run install uninstall dist dist-test install-test generated check-generated \
	test unit xctest interop e2e broker-tests broker-tests-reference docs-test bench fuzz fuzz-ci fuzz-build clean

deps: apt-deps venv

apt-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

venv:
	@if ! [ -x $(VENV_PY) ] || ! $(VENV_PY) -c 'import sys, pytest, paho.mqtt as p; sys.exit(int(p.__version__.split(".")[0]) < 2)' 2>/dev/null; then \
	  echo "deps: preparing $(VENV)"; \
	  [ -x $(VENV_PY) ] || $(PYTHON) -m venv $(VENV); \
	  $(VENV_PY) -m pip install --disable-pip-version-check -q -r $(PY_REQUIREMENTS); \
	fi

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# Only the mqdash product: the benchmarks and fuzz targets are not needed to run or install it.
dist-binary:
	$(SWIFT) build $(DIST_BUILD) --product mqdash

# Release, because a debug build of the dashboard is not what a first look should feel like.
run: deps
	$(SWIFT) run $(DIST_BUILD) mqdash $(ARGS)

install: dist-binary
	scripts/install-layout.sh install "$(DESTDIR)$(PREFIX)" $(DIST_BIN)

uninstall:
	scripts/install-layout.sh uninstall "$(DESTDIR)$(PREFIX)"

dist: dist-binary
	rm -rf $(DIST_SCRATCH)/stage $(DIST_TARBALL)
	scripts/install-layout.sh install $(DIST_SCRATCH)/stage/$(DIST_NAME) $(DIST_BIN)
	# DWARF is a third of the binary (160 MB -> 104 MB, tarball 51 MB -> 33 MB); the symbol table stays,
	# so a crash's backtrace still names functions.
	strip --strip-debug $(DIST_SCRATCH)/stage/$(DIST_NAME)/bin/mqdash
	tar -C $(DIST_SCRATCH)/stage --owner=0 --group=0 -czf $(DIST_TARBALL) $(DIST_NAME)
	@echo "dist: $(DIST_TARBALL) ($$(du -h $(DIST_TARBALL) | cut -f1))"

dist-test: dist venv
	MQDASH_DIST_TARBALL=$(CURDIR)/$(DIST_TARBALL) $(VENV_PY) -m pytest Tests/Dist/test_tarball.py $(INTEROP_ARGS)

install-test: venv
	MQDASH_BIN=$(MQDASH_BIN) $(VENV_PY) -m pytest Tests/Dist/test_install_layout.py $(INTEROP_ARGS)

generated: build
	scripts/generate-dist-docs.sh dist $(MQDASH_BIN)

check-generated: build
	fresh=$$(mktemp -d); trap 'rm -rf "$$fresh"' EXIT; \
	scripts/generate-dist-docs.sh "$$fresh" $(MQDASH_BIN); \
	diff -ru dist "$$fresh" || { echo "check-generated: dist/ is out of date; run 'make generated' and commit it" >&2; exit 1; }

# The interop suite goes last so that its pytest summary closes the run.
# Each step's start time goes to the log, so that CI's time can be read step by step.
STEP_LINE = echo "=== $$(date -u +%T) make test: $(1)"
STEP = @$(STEP_LINE)
TEST_STEPS = xctest check-generated install-test dist-test fuzz-ci e2e broker-tests docs-test interop
test: deps
	$(call STEP,build)
	$(SWIFT) build --build-tests
	@for step in $(TEST_STEPS); do \
		$(call STEP_LINE,$$step); \
		echo "$(MAKE) --no-print-directory $$step"; \
		$(MAKE) --no-print-directory $$step || exit 1; \
	done
	$(call STEP,done)

unit: venv
	$(SWIFT) build --build-tests
	$(MAKE) --no-print-directory xctest

# All tests are XCTest, so the empty Swift Testing pass is switched off rather than reporting "0 tests".
# The output goes to the screen and to $(XCTEST_LOG), whose skips are then checked against the list.
xctest:
	$(SWIFT) test --skip-build --disable-swift-testing 2>&1 | tee $(XCTEST_LOG)
	$(SKIP_CHECK) xctest $(XCTEST_LOG)

interop: venv
	MQDASH_BIN=$(MQDASH_BIN) $(VENV_PY) -m pytest Tests/Interop $(INTEROP_ARGS)

e2e: venv
	MQDASH_BIN=$(MQDASH_BIN) $(VENV_PY) -m pytest Tests/EndToEnd $(INTEROP_ARGS)

# The black-box broker suite (part of `make test`): bridges, reload, metrics and the hostile clients included.
broker-tests: venv
	MQDASH_BIN=$(MQDASH_BIN) MQDASH_BROKER_UNDER_TEST=mqdash $(VENV_PY) -m pytest Tests/BrokerBlackBox $(INTEROP_ARGS)

# The usage pages' examples run against a `mqdash broker` the suite starts; see docs/testing.md.
docs-test: venv
	MQDASH_BIN=$(MQDASH_BIN) $(VENV_PY) -m pytest Tests/Docs $(INTEROP_ARGS)

broker-tests-reference: venv
	MQDASH_BROKER_UNDER_TEST=mosquitto $(VENV_PY) -m pytest Tests/BrokerBlackBox $(INTEROP_ARGS)

bench:
	for bench in $(BENCHES); do $(SWIFT) build -c release --product $$bench && .build/release/$$bench; done

fuzz-build:
	for target in mqtt-fuzz broker-fuzz decoder-fuzz; do \
	  $(SWIFT) build -c $(FUZZ_CONFIG) --scratch-path $(FUZZ_SCRATCH) --product $$target -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
	    $(FUZZ_EXTRA_FLAGS); \
	done

fuzz: fuzz-build
	mkdir -p $(FUZZ_CORPUS) $(FUZZ_ARTIFACTS)
	$(FUZZ_ENV) $(FUZZ_BIN) $(FUZZ_CORPUS) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_ARTIFACTS)/
	$(FUZZ_ENV) $(BROKER_FUZZ_BIN) $(BROKER_FUZZ_CORPUS) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_ARTIFACTS)/
	$(FUZZ_ENV) $(PAYLOAD_FUZZ_BIN) $(PAYLOAD_FUZZ_CORPUS) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_ARTIFACTS)/

# The three targets run side by side (each is one process), so CI waits 60 s, not 180.
fuzz-ci: FUZZ_SECONDS = 60
fuzz-ci: FUZZ_CONFIG = debug
fuzz-ci: FUZZ_EXTRA_FLAGS = -Xswiftc -gnone
fuzz-ci: fuzz-build
	mkdir -p $(FUZZ_ARTIFACTS)
	work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; \
	mkdir "$$work/decoder" "$$work/broker" "$$work/payload"; \
	if [ -d $(FUZZ_CORPUS) ]; then cp -R $(FUZZ_CORPUS)/. "$$work/decoder"/; fi; \
	cp -R $(BROKER_FUZZ_CORPUS)/. "$$work/broker"/; \
	cp -R $(PAYLOAD_FUZZ_CORPUS)/. "$$work/payload"/; \
	$(FUZZ_ENV) $(FUZZ_BIN) "$$work/decoder" -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(CURDIR)/$(FUZZ_ARTIFACTS)/ \
	  > "$$work/decoder.log" 2>&1 & decoder=$$!; \
	$(FUZZ_ENV) $(BROKER_FUZZ_BIN) "$$work/broker" -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(CURDIR)/$(FUZZ_ARTIFACTS)/ \
	  > "$$work/broker.log" 2>&1 & broker=$$!; \
	$(FUZZ_ENV) $(PAYLOAD_FUZZ_BIN) "$$work/payload" -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(CURDIR)/$(FUZZ_ARTIFACTS)/ \
	  > "$$work/payload.log" 2>&1 & payload=$$!; \
	status=0; wait $$decoder || status=1; wait $$broker || status=1; wait $$payload || status=1; \
	echo "--- mqtt-fuzz"; tail -n 25 "$$work/decoder.log"; echo "--- broker-fuzz"; tail -n 25 "$$work/broker.log"; \
	echo "--- decoder-fuzz"; tail -n 25 "$$work/payload.log"; \
	exit $$status

clean:
	rm -rf .build $(FUZZ_SCRATCH) $(DIST_SCRATCH)
