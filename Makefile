# SOMET — the two commands of README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Where `make run` serves; in development the links SOMET writes point there (config.py)
export SOMET_HOST = $(HOST)
export SOMET_PORT = $(PORT)

.PHONY: run test install install-dev migrate demo lint bench clean translations messages \
	screenshots axe-core

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

## Compile the message catalogues (.po, committed) into .mo files (build output, not committed)
translations: install
	$(BIN)/pybabel -q compile -d somet/translations

## Re-extract the marked strings and merge them into the Russian and Kazakh catalogues
## (Babel skips folders starting with "_" when walking, so templates/_macros is named.)
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k _word:1c,2 \
		--add-comments=TRANSLATORS: --project=SOMET -o somet/translations/messages.pot \
		. $(shell find templates -path '*/_*/*' -name '*.html')
	$(BIN)/pybabel update -i somet/translations/messages.pot -d somet/translations \
		--no-fuzzy-matching --ignore-obsolete

## Install, migrate, load the demo data and serve on http://$(HOST):$(PORT) (default 127.0.0.1:5000;
## `make run PORT=5077` serves there, and every link SOMET writes points there too)
## (the job runner runs beside it while SOMET_RUN_JOBS_IN_PROCESS is on: development default)
run: demo translations
	$(FLASK) jobs run --if-enabled & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .

## Install and run the whole test suite (lint first: a lint error fails it too), on two cores
## (each pytest-xdist worker has its own SQLite files, and its own PostgreSQL database)
test: install-dev lint translations
	$(BIN)/python -m pytest -q -n 2

## Each role's home page at 1366 px and 390 px, from the demo centre, into docs/screenshots/
## (a temporary database; Debian's Chromium through Playwright, as the browser tests)
screenshots: install-dev translations
	$(BIN)/python tests/browser/screenshots.py

## Refresh the copy of axe-core that the accessibility tests inject (tests only, never served
## by the app): the pinned version from the npm registry, its licences beside it
AXE_CORE_VERSION := 4.14.1
AXE_CORE_DIR := tests/browser/vendor/axe-core
axe-core:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent axe-core@$(AXE_CORE_VERSION) >/dev/null \
		&& tar xzf axe-core-$(AXE_CORE_VERSION).tgz && cd - >/dev/null \
		&& cp $$tmp/package/axe.min.js $$tmp/package/LICENSE $$tmp/package/LICENSE-3RD-PARTY.txt \
			$(AXE_CORE_DIR)/ && rm -rf $$tmp
	head -c 20 $(AXE_CORE_DIR)/axe.min.js; echo

bench: install-dev
	$(BIN)/python bench/scheduling.py
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/web.py  # needs wrk (apt-get install wrk)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
