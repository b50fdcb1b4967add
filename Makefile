# Newsroom: `make run` serves the site with demo content; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

CHROMIUM ?= /usr/bin/chromium

.PHONY: run serve bench soak audit test test-fast lint system-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py make_renditions
	$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(BIN)/python -m newsroom.together \
	  -- $(BIN)/python manage.py runserver $(HOST):$(PORT) \
	  -- $(BIN)/python manage.py db_worker \
	  -- $(BIN)/python manage.py catch_mail

# The site as it runs in production on one machine: gunicorn, DEBUG off, static files compressed
# and hashed, and the task worker beside it (newsroom/together.py stops both as one). The secret
# key comes from DJANGO_SECRET_KEY, or one made once and kept in var/.
serve: $(VENV)/.installed var/secret-key
	$(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}" \
	  $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}" \
	  HOST=$(HOST) PORT=$(PORT) exec $(BIN)/python -m newsroom.together \
	  -- $(BIN)/python manage.py serve \
	  -- $(BIN)/python manage.py db_worker

# How fast the site serves its pages at size, uncached and cached, next to the same article as a
# static file: builds a synthetic newsroom in var/bench/ once, then runs gunicorn and wrk
# (see README). BENCH_ARTICLES and BENCH_DURATION (seconds per page) may be set.
BENCH_ARTICLES ?= 100000
BENCH_DURATION ?= 10
BENCH_DIR := $(CURDIR)/var/bench

bench: $(VENV)/.installed var/secret-key
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing wrk from the system's packages"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "The benchmark needs wrk — install with: sudo apt-get install -y wrk"; exit 1; \
	  fi; \
	}
	@mkdir -p $(BENCH_DIR)
	DJANGO_DEBUG=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}" \
	  NEWSROOM_VAR_DIR=$(BENCH_DIR) DATABASE_URL=sqlite:///$(BENCH_DIR)/newsroom.sqlite3 \
	  NEWSROOM_MEDIA_ROOT=$(BENCH_DIR)/media NEWSROOM_CACHE_DIR=$(BENCH_DIR)/cache \
	  REDIS_URL= NEWSROOM_S3_BUCKET= NEWSROOM_SERVE_MEDIA=true \
	  $(BIN)/python manage.py bench --articles $(BENCH_ARTICLES) --duration $(BENCH_DURATION)

# The site through load and crashes, as `make serve` runs it, on a synthetic newsroom in var/soak/
# (built once): readers and an editor for SOAK_SECONDS, then SOAK_SAVES saves through the admin
# with the server killed at random moments. Fails on any 5xx, locked database, stale page or lost
# save; writes var/soak/report.json.
SOAK_ARTICLES ?= 5000
SOAK_SECONDS ?= 180
SOAK_SAVES ?= 200
SOAK_DIR := $(CURDIR)/var/soak

soak: $(VENV)/.installed-test var/secret-key
	@mkdir -p $(SOAK_DIR)
	DJANGO_DEBUG=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}" \
	  NEWSROOM_VAR_DIR=$(SOAK_DIR) DATABASE_URL=sqlite:///$(SOAK_DIR)/newsroom.sqlite3 \
	  NEWSROOM_MEDIA_ROOT=$(SOAK_DIR)/media NEWSROOM_CACHE_DIR=$(SOAK_DIR)/cache \
	  REDIS_URL= NEWSROOM_S3_BUCKET= NEWSROOM_SERVE_MEDIA=true \
	  SOAK_ARTICLES=$(SOAK_ARTICLES) SOAK_SECONDS=$(SOAK_SECONDS) SOAK_SAVES=$(SOAK_SAVES) \
	  $(BIN)/python manage.py soak

var/secret-key: | $(BIN)/python
	@mkdir -p var
	@umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "The HTML checks need Node.js and npm: apt-get install -y nodejs npm"; fi

# The browser tests drive the system's Chromium, the HTML checker runs on Java and the cache tests
# start a Redis server. Install them from the system's packages where we can; elsewhere, say how.
system-tools:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing from the system's packages"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	  else \
	    echo "The browser, HTML and cache checks need:$$missing — install with: sudo apt-get install -y$$missing"; \
	  fi; \
	fi

test: $(VENV)/.installed-test node_modules/.package-lock.json system-tools
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r articles newsroom -q
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# Everything but the browser and the site's operations, on every core: for quick loops while
# working. The demo's pictures and their renditions are kept between runs (in .pytest_cache).
# Whole files to each worker: a module that makes its data once (see module_transaction in
# tests/conftest.py) then makes it once, not once on every worker.
test-fast: $(VENV)/.installed-test node_modules/.package-lock.json
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not browser and not operations"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/bandit -c pyproject.toml -r articles newsroom -q

# Known vulnerabilities in every pinned package, looked up in OSV's database (online): fails on a
# finding, and on any package it could not check.
audit: $(VENV)/.installed-test
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
	  --vulnerability-service osv -r requirements.txt -r requirements-test.txt
