# The two commands of the README: `make run` and `make test`.
# Both build .venv from requirements.lock (hashes checked) when it is missing or stale.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint typecheck unit pg browser-deps lock clean bench bench-deps

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/allymap serve

browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Debian's chromium. Run:  sudo apt-get install -y chromium"; exit 1; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

test: $(STAMP) browser-deps lint
	ALLYMAP_DATA_DIR=$$(mktemp -d) DATABASE_URL= $(BIN)/python -m django makemigrations --check --dry-run --settings=allymap.settings
	ALLYMAP_TEST_DB=sqlite DATABASE_URL= $(BIN)/pytest -p no:cacheprovider
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$DATABASE_URL)"; \
	  ALLYMAP_TEST_DB=postgresql $(BIN)/pytest -p no:cacheprovider; \
	else \
	  echo "== DATABASE_URL is not set: the PostgreSQL run is skipped"; \
	fi

# The benchmarks (bench/README.md): figures and verdicts, recorded outside the repository.
bench: $(STAMP) bench-deps
	$(BIN)/python bench/open_intervention.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/load.py

# bench/load.py drives the server with Debian's wrk (a load generator written in C).
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's wrk for bench/load.py…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else \
	    echo "bench/load.py needs wrk. Run:  sudo apt-get install -y wrk"; exit 1; \
	  fi; \
	fi

# Re-pin requirements.lock after changing pyproject.toml.
lock:
	$(PYTHON) -m piptools compile --quiet --extra dev --extra build --generate-hashes --strip-extras --allow-unsafe -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
