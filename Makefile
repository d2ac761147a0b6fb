# Jingzhun (精准帮扶): `make demo` to try it, `make test` to run every test.
# Both start with `setup`, which is idempotent: each step runs only when it has something to do.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP_STAMP := $(VENV)/.jingzhun-installed
NPM_STAMP := node_modules/.jingzhun-installed
LOCK := $(wildcard package-lock.json)
SYSTEM_PACKAGES := chromium fonts-noto-cjk gettext
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/jingzhun
PYTEST_ARGS ?=
DEMO_ARGS ?=

.PHONY: help setup system-packages python-env node-env vendor compile-messages \
	demo test test-postgres lint messages

help:
	@echo "make demo           set up, then run the demo college on http://127.0.0.1:8000"
	@echo "make test           set up, then run the whole test suite (SQLite)"
	@echo "make test-postgres  the same suite on PostgreSQL (POSTGRES_URL=$(POSTGRES_URL))"
	@echo "make lint           ruff, ruff format --check, mypy, import contracts"
	@echo "make messages       compile the translations (.po -> .mo)"
	@echo "make setup          system packages, .venv, node_modules, static/vendor"

setup: system-packages python-env node-env vendor compile-messages

# (a) Debian packages: installed when running as root and missing; named otherwise.
system-packages:
	@if ! command -v dpkg >/dev/null 2>&1; then \
		echo "NOTE: not a Debian system; make sure these are installed: $(SYSTEM_PACKAGES) (plus Node.js and npm)"; \
		exit 0; \
	fi; \
	missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
		dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -z "$$missing" ]; then \
		echo "System packages present: $(SYSTEM_PACKAGES)"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing system packages:$$missing"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	else \
		echo "NOTE: not root, so system packages are not installed. Missing:$$missing"; \
		echo "      Ask an administrator to run: apt-get install --no-install-recommends$$missing"; \
		echo "      (browser tests are skipped without chromium; Chinese needs fonts-noto-cjk)"; \
	fi

# (b) The virtualenv, reinstalled when pyproject.toml changes.
python-env: $(PIP_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PIP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# (c) Front-end packages, reinstalled when the lock file changes.
node-env: $(NPM_STAMP)

$(NPM_STAMP): package.json $(LOCK)
	@command -v npm >/dev/null 2>&1 || { echo "error: npm not found; install Node.js 18+ and npm" >&2; exit 1; }
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi
	@touch $@

vendor: $(NPM_STAMP) $(PIP_STAMP)
	$(BIN)/python scripts/vendor_assets.py

compile-messages: $(PIP_STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory messages; \
	else \
		echo "NOTE: gettext (msgfmt) is missing, so translations are not compiled; install gettext."; \
	fi

messages: $(PIP_STAMP)
	DJANGO_SETTINGS_MODULE=jingzhun.config.settings_test $(BIN)/jingzhun compilemessages \
		--ignore .venv --ignore node_modules --ignore .git --verbosity 0

demo: setup
	DEBUG=true $(BIN)/jingzhun demo $(DEMO_ARGS)

# pytest exits 5 when it collects no test; make treats that, like any failure, as an error.
test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: setup
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS)

# All four checks run; the target fails if any of them did.
lint: setup
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "== mypy jingzhun"; DEBUG=true $(BIN)/mypy jingzhun || status=1; \
	echo "== lint-imports"; $(BIN)/lint-imports || status=1; \
	exit $$status
