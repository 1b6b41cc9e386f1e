# Two commands do everything: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run serve test lint bench load screenshot clean

# The virtual environment is rebuilt only when a requirements file is newer than its stamp.
$(VENV)/.stamp-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt $(VENV)/.stamp-run
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# This machine only (127.0.0.1, pinned in .streamlit/config.toml).
run: $(VENV)/.stamp-run
	$(PY) -m streamlit run app.py --server.port=$(PORT)

# Open to the network, on purpose, for the host names visitors will use (comma-separated):
#   make serve HOSTS=rnnviz.example.org
# Put it behind a TLS proxy with rate limits: docs/deploy.md.
comma := ,
serve: $(VENV)/.stamp-run
	@test -n "$(HOSTS)" || { echo "make serve needs HOSTS=name[,name...]: the host names visitors use (docs/deploy.md)"; exit 2; }
	$(PY) -m streamlit run app.py --server.port=$(PORT) --server.address=0.0.0.0 \
		$(foreach host,$(subst $(comma), ,$(HOSTS)),--server.allowedHosts=$(host))

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest

bench: $(VENV)/.stamp-dev
	$(PY) -m bench

# The server under load (issue 10): 200 largest links, 20 held, 30 sessions, a neighbour; about 8 min.
load: $(VENV)/.stamp-dev
	$(PY) -m bench.load

screenshot: $(VENV)/.stamp-dev
	$(PY) -m bench.screenshot

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
