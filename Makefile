# 技改通 — every target works on a fresh machine with only Python 3.11+, make and Node.js.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python
JIGAI := $(VENV)/bin/jigai
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format bench clean

# uv is installed into .tools/ when missing; the project environment is .venv/ from uv.lock.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

install: $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	npm ci --no-audit --no-fund --loglevel=error
	DJANGO_SETTINGS_MODULE=config.settings.dev $(JIGAI) collectstatic --noinput -v 0

run: install
	mkdir -p var
	$(JIGAI) migrate --noinput -v 0
	$(JIGAI) demo
	@echo ""
	@echo "技改通 已启动: http://$(HOST):$(PORT)/   (Ctrl+C 停止)"
	@echo ""
	$(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 3 --timeout 120 --access-logfile -

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(UV)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(VENV)/bin/pytest -p no:cacheprovider -n 2 --dist loadfile

bench: install
	$(PY) bench/bench_policy.py
	$(PY) bench/bench_excel.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules staticfiles
