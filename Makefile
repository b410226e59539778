# matcher: two commands for a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

# Debian packages the test suite needs (throwaway PostgreSQL clusters, headless Chromium).
APT_PACKAGES := postgresql chromium
# Commands whose presence tells us the packages are installed.
PG_BIN := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))

.PHONY: help setup system-deps run serve db demo test fuzz load lint typecheck check bench clean

help:
	@echo "make run    - set up, create/upgrade the database, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite"
	@echo "make bench  - run the benchmarks and print their tables"
	@echo "make check  - ruff and mypy"
	@echo "make fuzz   - contract fuzzing with many more requests (FUZZ_EXAMPLES per operation)"
	@echo "make load   - load test: 100 users on PostgreSQL, latency percentiles, then matcher check"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

system-deps:
	@if [ -z "$(PG_BIN)" ] || ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing system packages: $(APT_PACKAGES)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
		else \
			echo "warning: $(APT_PACKAGES) missing and cannot apt-get install (not root); PostgreSQL and browser tests will be skipped"; \
		fi; \
	fi

db: setup
	$(BIN)/matcher db upgrade

demo: db
	$(BIN)/matcher demo --if-empty

run: demo
	@$(BIN)/matcher demo --print-logins
	$(BIN)/matcher serve --host $(HOST) --port $(PORT)

# Two passes: the whole suite on SQLite, then every database test again on a throwaway
# PostgreSQL cluster (one per worker; migrations from scratch). Both must pass.
test: setup system-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --database=postgresql

# Nightly-style contract fuzzing: many more generated requests per operation and role.
FUZZ_EXAMPLES ?= 60
fuzz: setup
	MATCHER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests/fuzz
	MATCHER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests/fuzz --database=postgresql

# Load test: 100 users against `matcher serve` on a throwaway PostgreSQL cluster, started at
# LOAD_SPAWN_RATE per second, measured for LOAD_SECONDS once all are running.
LOAD_USERS ?= 100
LOAD_SECONDS ?= 120
LOAD_SPAWN_RATE ?= 2
load: setup system-deps
	$(BIN)/python benchmarks/load/run.py --users $(LOAD_USERS) --seconds $(LOAD_SECONDS) \
		--spawn-rate $(LOAD_SPAWN_RATE)

lint: setup
	$(BIN)/ruff check matcher api web tests benchmarks
	$(BIN)/ruff format --check matcher api web tests benchmarks

typecheck: setup
	$(BIN)/mypy matcher api web

check: lint typecheck

bench: setup
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; \
		$(BIN)/python $$script || exit $$?; \
	done

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache .mypy_cache .ruff_cache
