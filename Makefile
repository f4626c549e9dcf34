# The two commands: `make run` serves the demo portal, `make test` runs the whole suite with real services.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format bench messages

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirement files change.
$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo --min-households 300
	@echo ""
	@echo "Civic is at http://127.0.0.1:8000  (API docs: http://127.0.0.1:8000/api/docs/)"
	@echo ""
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev-installed
	bash scripts/test.sh

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Recompile translations after editing locale/*/LC_MESSAGES/django.po (needs gettext's msgfmt).
messages: $(VENV)/.dev-installed
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

bench: $(VENV)/.dev-installed
	bash scripts/bench.sh
