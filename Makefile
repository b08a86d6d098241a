# Two commands do all the set-up on a fresh machine:
#   make demo   installs everything and builds the archive (the sources in archive.yml: here the
#               demo articles in samples/) into site/
#   make test   installs the test dependencies (and Debian's chromium) and runs the whole suite
# The CI workflows (.github/workflows/) call these same targets: this file is the one place the
# steps are written down.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Say what is happening before every step that takes more than a few seconds.
SAY := @printf '\n==> %s\n'

.PHONY: demo test install install-test browser lint linkcheck update serve clean

demo: install
	$(SAY) "Ingesting the articles from the folders listed in archive.yml into content/ (the first run also compiles the place gazetteer, about 30-60 s)"
	$(BIN)/archive update --offline --quiet
	$(SAY) "Building the site with MkDocs (strict: a broken link fails the build) into site/"
	$(BIN)/archive build
	@echo "Demo archive built in site/. Serve it with: $(BIN)/archive serve   (then open http://127.0.0.1:8000/)"

test: install-test browser
	$(SAY) "Running the test suite (real MkDocs builds and a real browser: a few minutes)"
	$(BIN)/pytest

$(BIN)/python:
	$(SAY) "Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The install is editable (code changes need no reinstall): it runs again only when
# pyproject.toml changes, so chained targets (make lint test demo linkcheck) install once.
install: $(VENV)/.installed node_modules/.installed
install-test: $(VENV)/.installed-test node_modules/.installed

# The map's browser libraries and country outlines (Leaflet, markercluster, world-atlas), pinned in
# package.json/package-lock.json, installed from the npm registry; the build copies them into the site.
node_modules/.installed: package.json package-lock.json
	$(SAY) "Installing the map's browser libraries from npm (package-lock.json, a few seconds)"
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(SAY) "Installing the archive generator and its pinned dependencies into $(VENV) (about a minute the first time)"
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(SAY) "Installing the generator with its test and lint tools into $(VENV) (about a minute the first time)"
	$(BIN)/pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed

# Playwright drives Debian's chromium; its own browser download does not work offline.
# No recommended packages: they pull in avahi-daemon, printer tools and a terminal emulator,
# none of which a headless browser uses (its Depends alone launch it headless).
browser:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM_PATH" ] || \
	  { printf '\n==> %s\n' "Installing Debian's chromium for the browser tests (apt-get, no recommended packages)"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

lint: install-test
	$(SAY) "Linting with ruff (rules in pyproject.toml)"
	$(BIN)/ruff check .

# Every relative link and asset in the built site resolves to a file (run after `make demo`).
linkcheck: install
	$(SAY) "Checking every relative link in site/"
	$(BIN)/archive linkcheck site

# Ingest new articles from every source in archive.yml, feeds included (the scheduled workflow).
# Exit 1 (some input rejected, a feed unreachable) is listed in the summary, not fatal; 2 is.
update: install
	$(SAY) "Ingesting new articles from the feeds and folders listed in archive.yml (downloads the feeds)"
	$(BIN)/archive update --quiet --summary "$(or $(SUMMARY),update-summary.md)" || [ $$? -eq 1 ]

serve: install
	$(BIN)/archive serve

clean:
	rm -rf site content/articles content/.archive
