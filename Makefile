# Two commands matter: `make demo` and `make test`. Both set everything up themselves.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export THEMATICA_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo test venv lint typecheck imports pytest bench services clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python >= 3.11)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The assist extra's model runs on the CPU: take torch's CPU build where the machine
	# holds one (pip's find-links), so the CUDA libraries (gigabytes) stay out.
	$(BIN)/python -m pip install --quiet 'torch==2.13.0+cpu' 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,assist]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/thematica --db demo.db demo

services:
	@bash scripts/ensure-services.sh
	@bash scripts/ensure-chromium.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) services
	$(BIN)/pytest -q --cov --cov-report=term:skip-covered

test: lint typecheck imports pytest

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info demo.db*
