# Akari: the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12 from pyenv or the system; uv never downloads an interpreter.
PY312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)
export UV_PYTHON := $(PY312)
export UV_PYTHON_DOWNLOADS := never
UV := $(PY312) -m uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/akari
DEMO_ADDR ?= 127.0.0.1:8000
# Production-like environment for `check --deploy` (nothing secret: used only for the check).
DEPLOY_ENV := DEBUG=0 ALLOWED_HOSTS=akari.example.org \
	SECRET_KEY=deploy-check-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ

.PHONY: help system-deps install messages compilemessages db-up migrate demo serve test lint typecheck \
	checks pytest bench bench-large clean

help:
	@echo "make demo   install everything, migrate, load the demo, serve on http://$(DEMO_ADDR)"
	@echo "make test   the whole quality gate and test suite (PostgreSQL)"
	@echo "make bench  benchmarks (ratios against baselines measured in the same run)"

## Debian packages: Chromium (browser tests), Noto CJK (Japanese rendering), gettext (catalogues),
## Pango (WeasyPrint PDFs).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v pg_isready >/dev/null 2>&1 || missing="$$missing postgresql-client"; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Please install these Debian packages:$$missing"; exit 1; fi; \
	fi

install: system-deps
	@test -n "$(PY312)" || { echo "Python 3.12 is required (pyenv install 3.12, or apt-get install python3.12)"; exit 1; }
	@$(UV) --version >/dev/null 2>&1 || $(PY312) -m pip install --quiet uv
	$(UV) sync --frozen --quiet
	@mkdir -p var
	@$(MAKE) --no-print-directory compilemessages

## Translation catalogues: one per app, in src/akari/<app>/locale.
messages:
	@for app in src/akari/*/; do \
		if [ -d "$$app/locale" ]; then (cd "$$app" && ../../../$(PY) ../../../manage.py makemessages -l ja -l en --no-obsolete >/dev/null) ; fi; \
	done
	@echo "Catalogues updated; translate the new entries in src/akari/*/locale/ja/LC_MESSAGES/django.po"

compilemessages:
	@cd src && ../$(PY) ../manage.py compilemessages -v 0

db-up:
	@pg_isready -h 127.0.0.1 -p 5432 -q || { \
		echo "Starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) load_demo
	@echo "Task worker (sends e-mail to the console): log in var/worker.log"
	@$(MANAGE) db_worker > var/worker.log 2>&1 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(MANAGE) runserver $(DEMO_ADDR)

lint:
	$(PY) -m ruff check src tests bench
	$(PY) -m ruff format --check src tests bench

typecheck:
	$(PY) -m mypy src

checks:
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

pytest: db-up
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest --create-db -q

test: install lint typecheck checks pytest

bench: install db-up
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/run.py
	$(PY) bench/review_assignment.py
	$(PY) bench/schedule.py --size S
	$(PY) bench/schedule.py --size M
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/booking_storm.py

# The stress size of the scheduler benchmark (about 3 minutes on 2 cores).
bench-large: install
	$(PY) bench/schedule.py --size L

clean:
	rm -rf .venv var .mypy_cache .ruff_cache
