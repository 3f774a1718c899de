# Two commands on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PGDIR ?= /tmp/warden-pg-$(shell id -u)-$$PPID
PGPORT ?= 55432

.PHONY: demo test test-sqlite test-postgres test-browser lint typecheck clean lock audit-deps matcher

LOCK := requirements.lock
LOCK_PIP := requirements-pip.lock

# Every dependency from the lock file, each checked against its SHA-256 (pip --require-hashes); then Warden
# itself, without resolving anything again.
$(BIN)/warden: pyproject.toml $(LOCK) $(LOCK_PIP)
	$(PY) -m venv $(VENV)
	# The locked pip first (hash-checked): pip 23.2, which venv ships on Python 3.11, rejects an extra's pin
	# (weasyprint's fonttools[woff]) in hash mode once a newer release of that package exists on the index.
	$(BIN)/pip install -q --require-hashes -r $(LOCK_PIP)
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(BIN)/warden

# The matcher's hot modules compiled by mypyc (needs gcc and the Python headers); rebuilt when a matcher
# module changes. Until then the package runs them as Python (warden/screening/matcher/__init__.py).
MATCHER_STAMP := warden/screening/matcher/_build/SOURCES
$(MATCHER_STAMP): $(BIN)/warden $(wildcard warden/screening/matcher/*.py) scripts/build_matcher.py
	$(BIN)/python scripts/build_matcher.py

matcher: $(MATCHER_STAMP)

# Re-resolve the lock after changing the dependencies in pyproject.toml (needs the package index).
lock: $(BIN)/warden
	$(BIN)/pip-compile -q --extra dev --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml
	{ sed -n '1,2p' $(LOCK_PIP); awk '/^pip==/{p=1} p&&/^[a-z]/&&!/^pip==/{exit} p&&!/^ *#/' $(LOCK); } > $(LOCK_PIP).new
	mv $(LOCK_PIP).new $(LOCK_PIP)

# Known vulnerabilities in the locked dependencies (fails on one; says so when the database is unreachable).
audit-deps: $(BIN)/warden
	$(BIN)/python scripts/dep_audit.py

demo: $(BIN)/warden $(MATCHER_STAMP)
	$(BIN)/warden demo

lint: $(BIN)/warden
	$(BIN)/ruff check warden tests bench
	$(BIN)/ruff format --check warden tests bench

typecheck: $(BIN)/warden
	$(BIN)/mypy --strict warden  # strict = true in [tool.mypy] too; said here so CI cannot drift

# The whole suite: lint, SQLite, PostgreSQL (throwaway cluster), then the browser journeys in Debian chromium.
test: $(BIN)/warden $(MATCHER_STAMP)
	bash scripts/test.sh

clean:
	rm -rf $(VENV) var warden/screening/matcher/_build
