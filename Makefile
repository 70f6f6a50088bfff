# Fanfold's short commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BIND ?= 127.0.0.1:8000

.PHONY: install run test lint typecheck bench bench-load screenshots clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Fanfold needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## build ./.venv with Fanfold and its tools

run: install  ## set up an SQLite archive under ./var with sample works; serve it with a task worker
	$(BIN)/fanfold migrate --noinput
	$(BIN)/fanfold load_samples
	$(BIN)/fanfold collectstatic --noinput --verbosity 0
	@echo "Fanfold is serving on http://$(BIND)/ (Ctrl-C stops it)"
	$(BIN)/fanfold serve --bind $(BIND) --task-workers 1

lint: install  ## ruff, mypy (strict) and the layer contracts
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install  ## lint, then the whole suite on SQLite and on PostgreSQL
	bash tools/run-tests

bench: install  ## reading-engine accuracy and speed, import and discovery benchmarks
	bash tools/run-bench

bench-load: install  ## pages on the wire (wrk, nginx in front) and a soak; LOAD_WORKS=5000 LOAD_SECONDS=5 LOAD_ROUNDS=1 LOAD_SOAK_SECONDS=30: quick
	bash tools/run-bench-load

screenshots: install  ## full-page PNGs of every page type at 1280 and 390 px into var/screenshots/
	PYTHONPATH=src $(BIN)/python tools/screenshots.py --out var/screenshots --skins $(or $(SKINS),light)

clean:
	rm -rf $(VENV) var build *.egg-info
