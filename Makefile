# SOMET — the two commands of README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev migrate demo lint bench clean

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

## Install, migrate, load the demo data and serve on http://127.0.0.1:5000
run: demo
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .

## Install and run the whole test suite (lint first: a lint error fails it too)
test: install-dev lint
	$(BIN)/python -m pytest -q

bench: install-dev
	$(BIN)/python bench/scheduling.py
	$(BIN)/python bench/certificates.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
