# The two set-up commands the README promises:
#   make demo   install, then run the player with the demo course on SQLite
#   make test   install test needs (Python packages, Debian's chromium), run the whole suite
# .ci/run calls `make test`, so CI proves the README.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: demo test install install-test browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python browser
	$(BIN)/python -m pip install -q -e '.[test]'

# Browser tests drive Debian's chromium (Playwright's own browser download does not work here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

demo: install
	$(BIN)/scorm-player demo --host $(HOST) --port $(PORT)

# pytest exits 5 when it collected no test; any non-zero exit fails `make test`.
test: install-test
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info
