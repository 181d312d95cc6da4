# Quick start: `make run`, then `make test`. See README.md.
VENV := .venv
BIN := $(VENV)/bin
# The first Python 3.11 or newer on the PATH.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$p; break; }; done)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run test test-postgres lint fmt migrations-check check-deploy seed bench bench-pair loadtest venv clean \
	backup restore-test

$(BIN)/activate:
	@test -n "$(PYTHON)" || { echo "make: Python 3.11 or newer is needed and none was found on PATH."; \
		echo "      Install it (python.org, or your system's python3.11 package) and run make again."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	@touch $@

venv: $(VENV)/.installed

run: venv
	DJANGO_DEBUG=true $(MANAGE) migrate --noinput
	DJANGO_DEBUG=true $(MANAGE) seed_demo
	@echo "Serving on http://$(HOST)/ (Ctrl-C stops it)"
	DJANGO_DEBUG=true $(MANAGE) runserver $(HOST)

seed: venv
	DJANGO_DEBUG=true $(MANAGE) seed_demo

# Time the main pages on the current database (seed it first; see docs/performance.md).
bench: venv
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=bench-only-$$(date +%s)-not-a-real-secret-key-xxxxxxxxxx \
	$(MANAGE) bench --runs $${RUNS:-30} --json bench-results.json --explain bench-explain.md

# This checkout against another (BEFORE=its directory), request by request, each on its own
# seeded database (BEFORE_DATABASE_URL, DATABASE_URL): demo/benchpair.py.
bench-pair: venv
	$(BIN)/python demo/benchpair.py "$(BEFORE)" "$(BEFORE_DATABASE_URL)" . "$(DATABASE_URL)" \
	--runs $${RUNS:-60}

# gunicorn under locust: USERS users for DURATION seconds, WORKERS workers, check-ins and notes
# for PATIENTS patients (PATIENTS=3: everyone writes to the same three). Seed it first.
loadtest: venv
	$(BIN)/python -m pip install --quiet '.[load]'
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=load-only-$$(date +%s)-not-a-real-secret-key-xxxxxxxxxx \
	$(MANAGE) loadtest --users $${USERS:-16} --seconds $${DURATION:-60} --workers $${WORKERS:-2} \
		--patients $${PATIENTS:-2000} --json loadtest-results.json

test: venv
	$(BIN)/pytest

# PostgreSQL must be running; DATABASE_URL names it (the test database gets a test_ prefix).
test-postgres: venv
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/clinic} $(BIN)/pytest

# PostgreSQL only; DATABASE_URL names the database, CLINIC_BACKUP_DIR the folder (README, Backups).
backup: venv
	$(MANAGE) backup

# The newest dump restored into a scratch database, migrated, its row counts compared.
restore-test: venv
	$(MANAGE) restore_test

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: venv
	DJANGO_DEBUG=true $(MANAGE) makemigrations --check --dry-run

check-deploy: venv
	DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=clinic.example.org DJANGO_CSRF_TRUSTED_ORIGINS=https://clinic.example.org \
	$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
