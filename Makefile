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

.PHONY: install system-packages run test lint format bench clean

# uv is installed into .tools/ when missing; the project environment is .venv/ from uv.lock.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

install: $(UV) system-packages
	$(UV) sync --frozen --python $(PYTHON)
	npm ci --no-audit --no-fund --loglevel=error
	DJANGO_SETTINGS_MODULE=config.settings.dev $(JIGAI) collectstatic --noinput -v 0

# The system Chromium the browser tests drive (Playwright, executable_path) and a CJK font for its pages
# (Debian/Ubuntu: apt-get, as root). Nothing is done when both are present; apt-get update runs only when
# something must be installed. Not root, or no apt-get: a warning says what to install — an error when
# JIGAI_REQUIRE_BROWSER=1 (CI), where a missing browser must fail.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
		|| command -v google-chrome >/dev/null 2>&1 || missing="chromium"; \
	{ fc-list :lang=zh family 2>/dev/null | grep -q . \
		|| dpkg-query -W -f='$${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed"; } \
		|| missing="$$missing fonts-noto-cjk"; \
	missing="$${missing# }"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "缺少系统软件包：$$missing（浏览器测试需要）。请以 root 运行 make install，或执行 apt-get install $$missing。" >&2; \
		[ "$${JIGAI_REQUIRE_BROWSER:-}" != 1 ]; exit; \
	fi; \
	echo "安装系统软件包：$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq && apt-get install -y -qq $$missing >/dev/null

run: install
	mkdir -p var
	$(JIGAI) migrate --noinput -v 0
	$(JIGAI) demo
	@# The audit table accepts appends only (a database trigger); today's signed anchor of the chain is
	@# written and the worker writes one every day after midnight (jigai/audit/tasks.py).
	$(JIGAI) audit protect
	@# 免申即享: the worker matches every enterprise with the open guideline each night (jigai/funding/matching).
	$(JIGAI) match --schedule
	@$(JIGAI) audit anchor --schedule || echo "警告：审计链校验未通过，未写入锚点（详见上方；jigai audit verify）。" >&2
	@echo ""
	@echo "技改通 已启动: http://$(HOST):$(PORT)/   (Ctrl+C 停止)"
	@echo ""
	@# The background worker (imports, large exports, calculator batches, mail) runs beside gunicorn; Ctrl+C
	@# stops gunicorn and the trap stops the worker (a shell's background job ignores SIGINT itself).
	@$(JIGAI) db_worker --no-reload --queue-name '*' -v 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
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
	@# The provincial-scale lists need PostgreSQL (they build their own database, jigai_bench, on that server).
	@case "$$DATABASE_URL" in \
	  postgres://*|postgresql://*) $(PY) bench/bench_scale.py ;; \
	  *) echo "跳过 bench/bench_scale.py（省级规模列表基准）：只在 PostgreSQL 上运行，请设置 DATABASE_URL=postgres://…" ;; \
	esac

clean:
	rm -rf $(VENV) $(TOOLS) node_modules staticfiles
