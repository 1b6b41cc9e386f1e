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

# plotly.js's cartesian bundle (scatter and heatmap: all the page draws) from the npm registry:
# 1.5 MB that Chromium evaluates in about 0.4 s, where the full 4.8 MB bundle the plotly package
# ships takes 0.8 s of every page's opening (issue 18). Its version is the one inside the plotly
# package (requirements.txt); the tarball is checked against its pinned SHA-1. Without npm the
# page uses the full bundle (dashboard/live_plot.py plotly_js), slower to open, and says so here.
PLOTLY_JS := 4.1.1
PLOTLY_JS_SHA1 := 4282e25097f00195aa7aeafb3f1678d6bf25a36c
CARTESIAN := static/plotly-cartesian-$(PLOTLY_JS).min.js
$(CARTESIAN):
	@command -v npm >/dev/null || { echo "npm not found: the page uses plotly.js's full bundle (slower to open)"; exit 0; }; \
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent plotly.js-cartesian-dist-min@$(PLOTLY_JS) >/dev/null \
	&& echo "$(PLOTLY_JS_SHA1)  plotly.js-cartesian-dist-min-$(PLOTLY_JS).tgz" | sha1sum --quiet -c - \
	&& tar xzf plotly.js-cartesian-dist-min-$(PLOTLY_JS).tgz package/plotly-cartesian.min.js \
	&& mv package/plotly-cartesian.min.js $(CURDIR)/$@.partial && mv $(CURDIR)/$@.partial $(CURDIR)/$@ \
	&& rm -rf $$tmp || echo "npm could not fetch plotly.js's cartesian bundle: the page uses the full one"

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt $(VENV)/.stamp-run
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# This machine only (127.0.0.1, pinned in .streamlit/config.toml).
run: $(VENV)/.stamp-run $(CARTESIAN)
	$(PY) -m streamlit run app.py --server.port=$(PORT)

# Open to the network, on purpose, for the host names visitors will use (comma-separated):
#   make serve HOSTS=rnnviz.example.org
# Put it behind a TLS proxy with rate limits: docs/deploy.md.
comma := ,
serve: $(VENV)/.stamp-run $(CARTESIAN)
	@test -n "$(HOSTS)" || { echo "make serve needs HOSTS=name[,name...]: the host names visitors use (docs/deploy.md)"; exit 2; }
	$(PY) -m streamlit run app.py --server.port=$(PORT) --server.address=0.0.0.0 \
		$(foreach host,$(subst $(comma), ,$(HOSTS)),--server.allowedHosts=$(host))

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint $(CARTESIAN)
	$(PY) -m pytest

bench: $(VENV)/.stamp-dev $(CARTESIAN)
	$(PY) -m bench

# The server under load (issue 10): 200 largest links, 20 held, 30 sessions, a neighbour; about 8 min.
load: $(VENV)/.stamp-dev
	$(PY) -m bench.load

screenshot: $(VENV)/.stamp-dev
	$(PY) -m bench.screenshot

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
