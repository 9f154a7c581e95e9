# remedy_model: `make` or `make help` lists the targets. Each installs into .venv first.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast lint format train evaluate bench bench-all trends audit serve clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## create .venv and install the package with its dev tools

demo: install ## train on the embedded cases if needed and show a worked example
	$(BIN)/remedy demo

test: install ## lint, format check, then every test (slow ones included): what CI runs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) -m pytest

test-fast: install ## the tests not marked slow
	$(PY) -m pytest -m "not slow"

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

train: install ## fit and save models/remedy.npz
	$(BIN)/remedy train

evaluate: install ## grouped cross-validation against the baselines
	$(BIN)/remedy evaluate

bench: install ## speed figures of the recommender
	$(PY) benchmarks/bench_speed.py

bench-all: bench ## every benchmark (speed, trends, ingest, web, API load)
	$(PY) benchmarks/bench_trends.py
	-$(PY) benchmarks/bench_ingest.py
	-$(PY) benchmarks/bench_web.py
	-$(PY) benchmarks/bench_api_load.py

audit: install ## the consistency audit into reports/audit
	$(BIN)/remedy audit --out reports/audit

trends: install ## the trends report into reports/trends
	$(BIN)/remedy trends --out reports/trends

serve: install ## the local web page on http://127.0.0.1:8000
	$(BIN)/remedy serve

clean: ## remove the virtual environment, caches and built models
	rm -rf $(VENV) .pytest_cache .ruff_cache models/*.npz models/*.json reports
