# Two commands do all the set-up on a fresh machine:
#   make demo   installs everything and builds the demo archive from samples/ into site/
#   make test   installs the test dependencies (and Debian's chromium) and runs the whole suite
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install install-test browser serve clean

demo: install
	$(BIN)/archive ingest samples --quiet
	$(BIN)/archive build
	@echo "Demo archive built in site/. Serve it with: $(BIN)/archive serve   (then open http://127.0.0.1:8000/)"

test: install-test browser
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

# Playwright drives Debian's chromium; its own browser download does not work offline.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$CHROMIUM_PATH" ] || \
	  { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

serve: install
	$(BIN)/archive serve

clean:
	rm -rf site content/articles content/.archive
