# 睦邻社区云 — the two commands of the README, and a few helpers.
#   make run   set everything up on a fresh machine and serve on http://127.0.0.1:8000
#   make test  the whole test suite (PostgreSQL; browser journeys with Debian's Chromium)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DEBUG ?= true
export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test axe install migrate seed serve lint format messages compilemessages benchmark drill clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "睦邻社区云 is running on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	@echo "Demo accounts (password demo12345): admin, huyun, yangying, resident, volunteer, centre"
	@echo "Staff accounts then ask for a code: add this secret to an authenticator app (TOTP): $${DEMO_TOTP_SECRET:-MULINSHEQUYUNDEMOSTAFFTOTP234567}"
	@echo "Scheduled jobs (open_watch_alerts every 5 minutes, daily jobs) run beside it: manage.py run_jobs"
	@echo "Messages are delivered by the task-queue worker beside it: manage.py db_worker"
	$(PY) manage.py run_jobs & jobs=$$!; $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$jobs $$worker 2>/dev/null' EXIT INT TERM; \
	DATABASE_POOL_MIN=$${DATABASE_POOL_MIN:-8} $(VENV)/bin/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --worker-class gthread --threads 8 --access-logfile -

# The suite in parallel (pytest-xdist): each worker has its own test database
# (test_<name>_gw0…), its own demo district and its own live server for the browser
# journeys. TEST_WORKERS=0 runs it in one process; plain `pytest` does too.
TEST_WORKERS ?= auto
test: install axe
	$(PY) -m pytest -n $(TEST_WORKERS)

# axe-core (npm, pinned in package-lock.json) for the accessibility crawl.
axe:
	bash scripts/install-axe.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext. The compiled .mo files are committed, so `make run` does not.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --ignore=scripts

compilemessages: install
	$(PY) manage.py compilemessages --ignore=.venv

# The district-sized demo (seed_demo --scale district, once, in portal_bench), gunicorn and
# wrk (Debian's package: scripts/install-bench.sh); about 35 minutes. See benchmarks/run.py.
benchmark: install
	bash scripts/install-bench.sh
	$(PY) benchmarks/run.py

# Restarts and stops a private PostgreSQL cluster of its own under gunicorn (see README).
drill: install
	$(PY) scripts/db_fault_drill.py

clean:
	rm -rf $(VENV) var/static
