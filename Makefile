# rasid — two commands on a fresh machine: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= out
export RASID_DB ?= $(CURDIR)/$(OUT)/rasid.duckdb
export RASID_CACHE ?= $(CURDIR)/.cache

.PHONY: setup demo test bench lint clean eval-geo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/rasid demo --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(PY) benchmarks/run.py

# geocoder accuracy on the labelled mentions (build/dev/locked test, in aggregate): benchmarks/eval_geo.py
eval-geo: $(STAMP)
	$(PY) benchmarks/eval_geo.py

lint: $(STAMP)
	$(VENV)/bin/ruff check rasid tests benchmarks

clean:
	rm -rf $(OUT) .cache .pytest_cache
