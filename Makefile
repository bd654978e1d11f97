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

run: install
	$(BIN)/watwerkt migrate --noinput --verbosity 0
	$(BIN)/watwerkt demo
	$(BIN)/watwerkt serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest -n auto

lint: install
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/overview.py

clean:
	rm -rf $(VENV) var build src/*.egg-info
