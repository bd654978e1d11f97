# The two commands that work on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export WATWERKT_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint format bench install clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Plain HTTP on this machine only: without Secure cookies, or the browser would
# not send the console's session cookie back. `watwerkt serve` alone keeps them
# Secure, and `watwerkt check --deploy` warns whenever they are not (docs/console.md).
LOOPBACK_COOKIES := $(if $(filter 127.0.0.1 localhost ::1,$(HOST)),WATWERKT_SECURE_COOKIES=$${WATWERKT_SECURE_COOKIES:-false})

run: install
	$(BIN)/watwerkt migrate --noinput --verbosity 0
	$(BIN)/watwerkt demo
	$(LOOPBACK_COOKIES) $(BIN)/watwerkt serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest -n auto

lint: install
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/overview.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/fastpath.py
	@if command -v wrk >/dev/null && command -v nginx >/dev/null; then bench/http.sh; \
	else echo "bench/http.sh skipped: it needs wrk and nginx (apt-get install wrk nginx-light)"; fi

clean:
	rm -rf $(VENV) var build src/*.egg-info
