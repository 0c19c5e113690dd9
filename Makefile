# Forecourt: `make run` to try it, `make test` to check it. Needs only Python 3.12+ and make.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.12+ found; override with `make run PYTHON=/path/to/python3`.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
COVERAGE_FLOOR ?= 90

.PHONY: help run install install-dev test lint typecheck pytest smoke lock env-example openapi bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed-run: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Forecourt needs Python 3.12 or newer on the PATH." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(PIP) install -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed-run ## Create .venv and install Forecourt

install-dev: $(VENV)/.installed-dev ## Also install the development tools

# The background worker (CSV imports, feeds, hold expiry, backups: `forecourt worker`) runs
# beside the development server, its output interleaved with the server's. Ctrl-C reaches
# both (one process group); the trap also stops the worker when the server exits any other way.
run: install ## Migrate, load demo data, serve on http://127.0.0.1:8000 with the background worker
	$(BIN)/forecourt migrate --noinput
	$(BIN)/forecourt seed-demo
	@echo "Forecourt: http://127.0.0.1:8000 with the background worker (Ctrl-C stops both)"
	@$(BIN)/forecourt worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/forecourt runserver 127.0.0.1:8000

lint: install-dev ## ruff lint and format check, the layer contract (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev ## mypy with django-stubs
	$(BIN)/mypy forecourt

pytest: install-dev ## The test suite with coverage (DATABASE_URL when set, else SQLite)
	FORECOURT_ENV=test $(BIN)/pytest --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)

test: lint typecheck pytest ## Everything CI checks: lint, types, tests with coverage

smoke: install-dev ## Quick pass on a throw-away SQLite database: tests and a served request
	FORECOURT_ENV=test DATABASE_URL= $(BIN)/pytest -q -m "not browser" -p no:cacheprovider
	bash scripts/smoke-serve.sh

lock: ## Re-freeze constraints.txt from a clean environment
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip -q install -e '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^forecourt' > constraints.txt
	rm -rf .lock-venv

env-example: install ## Rewrite .env.example from the configuration schema
	$(BIN)/python -c 'from forecourt.core.config import render_env_example as r; open(".env.example", "w").write(r())'

openapi: install ## Rewrite docs/api/openapi.json after an intended API change
	$(BIN)/forecourt export-openapi

bench: install-dev ## Load 1M vehicles into PostgreSQL and benchmark the API (bench/run.sh)
	bash bench/run.sh

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
