# Two entry points (see README): `make demo` screens the bundled sample, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# every domain plugin under plugins/ is its own distribution, installed beside the core
PLUGINS := $(dir $(wildcard plugins/*/pyproject.toml))

.PHONY: demo test lint typecheck pytest clean

$(STAMP): pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' $(foreach p,$(PLUGINS),-e $(p))
	touch $(STAMP)

# Screen the bundled sample and print prioritized alerts. The sample holds a few invalid
# records on purpose, so exit code 1 ("some records were errors") counts as success here.
demo: $(STAMP)
	$(BIN)/riskscreen screen examples/observations.jsonl; status=$$?; [ $$status -le 1 ]

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks fuzz $(wildcard plugins)
	$(BIN)/ruff format --check src tests examples benchmarks fuzz $(wildcard plugins)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
