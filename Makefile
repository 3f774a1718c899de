# Two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PGDIR ?= /tmp/warden-pg-$(shell id -u)-$$PPID
PGPORT ?= 55432

.PHONY: demo test test-sqlite test-postgres test-browser lint typecheck clean

$(BIN)/warden: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(BIN)/warden

demo: $(BIN)/warden
	$(BIN)/warden demo

lint: $(BIN)/warden
	$(BIN)/ruff check warden tests bench
	$(BIN)/ruff format --check warden tests bench

typecheck: $(BIN)/warden
	$(BIN)/mypy --strict warden  # strict = true in [tool.mypy] too; said here so CI cannot drift

# The whole suite: lint, SQLite, PostgreSQL (throwaway cluster), then the browser journeys in Debian chromium.
test: $(BIN)/warden
	bash scripts/test.sh

clean:
	rm -rf $(VENV) var
