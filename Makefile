# Every target creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run test check lint fmt schema bench clean bench-probes bench-probes-quick

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/.installed  ## run the gateway on the embedded store
	$(BIN)/healthgate serve

test: $(BIN)/.installed  ## run the test suite
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy gateway resolvers storage tests

check: lint test

fmt: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: $(BIN)/.installed  ## rewrite schema.graphql from the code
	$(BIN)/healthgate export-schema --output schema.graphql

bench-probes: $(BIN)/.installed  ## 10,000 connectors at 60 s, over 3 intervals (about 5 minutes)
	$(BIN)/python -m bench.probes --connectors 10000 --interval 60 --intervals 3

bench-probes-quick: $(BIN)/.installed  ## EXTRA, shortened: 2,000 connectors at 10 s
	$(BIN)/python -m bench.probes --connectors 2000 --interval 10 --intervals 3

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

bench: $(BIN)/.installed  ## ping ingestion (needs wrk), deadline sweep, GraphQL benchmarks
	$(BIN)/python -m bench.pings
	$(BIN)/python -m bench.sweep
	$(BIN)/python -m bench.graphql_sources
	$(BIN)/python -m bench.subscriptions
