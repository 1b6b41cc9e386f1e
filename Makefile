# Two commands do everything: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench screenshot clean

# The virtual environment is rebuilt only when a requirements file is newer than its stamp.
$(VENV)/.stamp-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt $(VENV)/.stamp-run
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.stamp-run
	$(PY) -m streamlit run app.py --server.port=$(PORT)

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest

bench: $(VENV)/.stamp-dev
	$(PY) -m bench

screenshot: $(VENV)/.stamp-dev
	$(PY) -m bench.screenshot

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
