# Helpline — the two commands that matter: `make run` and `make test`.
# Each target installs what is missing first: CI and new machines start bare.

SWIFT      ?= swift
DEBS       := libzmq3-dev libmsgpack-dev libsqlite3-dev libpq-dev postgresql pkg-config python3-venv tmux gcc
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ENDPOINT   ?= tcp://127.0.0.1:5555
JOURNAL    ?= data/helpline.db
# The web console (`helpline web`): its port, and the users file (created on first `make run`).
WEB_PORT   ?= 8080
WEB_DEMO_PORT ?= 8081
USERS      ?= data/users.jsonl
# What the browser tests need: Debian's Chromium and its driver (never a downloaded browser),
# node for the page's own unit tests.
WEB_DEBS   := chromium chromium-driver nodejs python3-venv openssl
WEB_VENV   := Tests/web/.venv
BUILD_LOG  := .build/helpline-build.log
RELEASE_SUM := .build/release-sources.sum

# An optimised build, started clean whenever a source changed since the last one. SwiftPM's
# incremental release build can keep a stale class size across modules: after a stored
# property was added to the routing core, it rebuilt the core and the broker library but not
# the `helpline` executable, which then allocated the broker too small (heap corruption).
# $(1): extra `swift build` arguments.
define release_build
	@mkdir -p .build
	@sum=$$(cat Package.swift $$(find Sources -type f | LC_ALL=C sort) | sha256sum | cut -c1-64); \
	if [ "$$(cat $(RELEASE_SUM) 2>/dev/null)" != "$$sum" ]; then \
	  echo "sources changed since the last release build: building from clean"; \
	  rm -rf .build/release .build/*-linux-gnu/release; \
	fi; \
	$(SWIFT) build -c release $(1) && echo "$$sum" > $(RELEASE_SUM)
endef

.PHONY: all deps deps-web build release run test test-swift test-python test-conformance test-web demo bench chaos fuzz fuzz-smoke clean

all: build

## deps: install the Debian packages Helpline needs (apt-get update once, only when something is missing)
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if ! dpkg -s postgresql >/dev/null 2>&1; then \
	    echo "(postgresql: the tests start their own servers, so no system cluster is created)"; \
	    $(SUDO) mkdir -p /etc/postgresql-common/createcluster.d; \
	    echo "create_main_cluster = false" | $(SUDO) tee /etc/postgresql-common/createcluster.d/helpline.conf >/dev/null; \
	  fi; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## build: debug build; fails on any compiler warning in Helpline's own code
build: deps
	@mkdir -p .build
	$(SWIFT) build 2>&1 | tee $(BUILD_LOG)
	@if grep -E "^/.*(Sources|Tests)/.*warning:" $(BUILD_LOG); then echo "error: compiler warnings (Helpline builds with zero)"; exit 1; fi

## release: optimised build of the helpline tool (from clean when a source changed)
release: deps
	$(call release_build,--product helpline)

## run: the broker (loopback endpoint, journal in ./data) and the web console beside it, on
## loopback; the first run creates an administrator and prints its password once.
run: release
	@mkdir -p data
	@.build/release/helpline broker --endpoint $(ENDPOINT) --journal $(JOURNAL) & broker=$$!; \
	trap 'kill $$broker 2>/dev/null; wait $$broker 2>/dev/null' EXIT INT TERM; \
	.build/release/helpline web --endpoint $(ENDPOINT) --users $(USERS) --first-admin admin --port $(WEB_PORT)

## test: install, build, run every test suite (Swift, then the other clients, then the
## conformance kit, then the web console in a browser)
test: build test-swift test-python test-conformance test-web

test-swift: build
	$(SWIFT) build --build-tests 2>&1 | tee $(BUILD_LOG)
	@if grep -E "^/.*(Sources|Tests)/.*warning:" $(BUILD_LOG); then echo "error: compiler warnings in tests"; exit 1; fi
	$(SWIFT) test --skip-build

test-python:
	@if [ -f clients/python/pyproject.toml ]; then $(MAKE) -C clients/python test; else echo "no Python client yet"; fi

## test-conformance: proto-spec/conformance (the HLP/1 kit, pyzmq + msgpack in its own venv)
## against a fresh debug `helpline broker` on ipc://, started and stopped by PID by the kit
CONFORMANCE_VENV := .build/conformance-venv
CONFORMANCE_BROKER = $$($(SWIFT) build --show-bin-path)/helpline broker --endpoint {endpoint} --journal memory \
	--accept-timeout-ms 500 --retention-ms 1000 --max-open-tickets-per-client 20 --log-level error
test-conformance: build $(CONFORMANCE_VENV)/.installed
	$(CONFORMANCE_VENV)/bin/python proto-spec/conformance/hlpconform.py --retention-ms 1000 --open-ticket-quota 20 \
	  --start "$(CONFORMANCE_BROKER)"

$(CONFORMANCE_VENV)/.installed: | deps
	python3 -m venv $(CONFORMANCE_VENV)
	$(CONFORMANCE_VENV)/bin/pip install -q pyzmq msgpack
	touch $@

## deps-web: Chromium, its driver and node (Debian packages), selenium in a venv
deps-web:
	@missing=""; for p in $(WEB_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@if [ ! -f $(WEB_VENV)/.installed ] || [ Tests/web/requirements.txt -nt $(WEB_VENV)/.installed ]; then \
	  python3 -m venv $(WEB_VENV) && $(WEB_VENV)/bin/pip install -q -r Tests/web/requirements.txt && touch $(WEB_VENV)/.installed; \
	fi

## test-web: the console page's own logic (node --test), then the browser suite (pytest,
## selenium, headless Chromium) against the debug `helpline`
test-web: build deps-web
	node --test Tests/web/
	$(WEB_VENV)/bin/python -m pytest -q Tests/web

## demo: a broker, simulated agents and humans, one minute; the web console on the demo's
## broker too (same users file as `make run`), with 20 s to open it before the first ticket
demo: release
	@mkdir -p data
	.build/release/helpline demo --web-users $(USERS) --web-port $(WEB_DEMO_PORT) --web-pause 20

## bench: the default benchmark suite (under 5 minutes; see bench/README.md). Add a Majordomo
## broker to compare with: make bench MDP_ENDPOINT=tcp://127.0.0.1:5555 [MDP_PID=1234]
bench: deps
	@mkdir -p .build
	gcc -O2 -Wall -Wextra -o .build/bench-forwarder bench/forwarder.c -lzmq
	$(call release_build,)
	.build/release/helpline-bench --forwarder .build/bench-forwarder \
	  $(if $(MDP_ENDPOINT),--mdp-endpoint $(MDP_ENDPOINT)) $(if $(MDP_PID),--mdp-pid $(MDP_PID)) $(BENCH_ARGS)

## chaos: clients and consoles (Python SDK) under load while the broker, a console and a client
## are killed -9 and frozen; checks every ticket's outcome (bench/README.md, "chaos")
chaos: release
	@$(MAKE) -s -C clients/python .venv/.installed
	clients/python/.venv/bin/python bench/chaos/chaos.py $(CHAOS_ARGS)

## fuzz: each libFuzzer target (fuzz/*.swift) for FUZZ_SECONDS (default 60) from the committed corpus
FUZZ_SECONDS ?= 60
fuzz: deps
	fuzz/run.sh $(FUZZ_SECONDS)

## fuzz-smoke: each fuzz target for 10 s; CI runs it after `make test` (with its build, ~1 min)
fuzz-smoke: deps
	fuzz/run.sh 10

clean:
	rm -rf .build
