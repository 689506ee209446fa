# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: demo test lint typecheck unit suite venv clean bench audit translations

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 wird benötigt ($(PYTHON) nicht gefunden)."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qualimatch db upgrade
	$(BIN)/qualimatch seed-demo --port $(PORT)
	$(BIN)/qualimatch serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy service training models

# Fast lane for developers: no PostgreSQL, browser, gunicorn or training runs.
unit: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup -m "not slow and not browser and not postgres"

# Everything: lint, types and the full suite.
suite: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup

AUDIT_TOOL := $(VENV)/audit-tool

# pip-audit lives in a venv of its own so that its dependencies never mix with ours.
audit: $(STAMP)
	test -x $(AUDIT_TOOL)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_TOOL) && $(AUDIT_TOOL)/bin/pip install --quiet pip-audit==2.10.1; }
	$(BIN)/python .ci/audit.py $(AUDIT_TOOL)/bin/pip-audit $(BIN)/python

test: lint typecheck suite

# One message catalogue for all user text (German source, German shipped; the handout languages
# translate the handout's texts only). Extract, update the German catalogue, compile all .mo files
# (committed); run after changing any user text.
CATALOGUE := service/translations
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project qualimatch --copyright-holder qualimatch -o $(CATALOGUE)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGUE)/messages.pot -d $(CATALOGUE) -l de --init-missing \
		--no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/python .ci/german_catalogue.py
	$(BIN)/pybabel compile --statistics -d $(CATALOGUE)

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
