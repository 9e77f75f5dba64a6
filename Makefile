# The two commands: `make run` (the portal with demo data on http://127.0.0.1:8000) and
# `make test` (the whole test suite). Both build .venv when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
# The embedded mode needs no secrets; production sets its own (see .env.example).
export SECRET_KEY ?= insecure-local-only-key-for-the-embedded-mode

.PHONY: run test install messages messages-update lint format vendor bench clean

$(BIN)/.installed: requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(BIN)/.installed

messages-update: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l nb -l nn -l en --ignore .venv --ignore node_modules --ignore staticfiles --ignore static --ignore tests --no-location -v0

messages: install
	$(BIN)/python manage.py compilemessages --ignore .venv --ignore node_modules -v0

run: install messages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py import_municipalities
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install messages node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Copies Bootstrap and htmx from npm into static/vendor (committed, so `make run` needs no npm).
vendor: node_modules/.installed
	mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/bootstrap-icons
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
	cp -r node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/

# The load benchmark (not part of CI): region and national scale data in their own PostgreSQL
# databases, gunicorn with 2 workers, wrk per page; writes bench/results.md.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
