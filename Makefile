# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint catalog bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

locales/%/LC_MESSAGES/canbo.mo: locales/%/LC_MESSAGES/canbo.po $(STAMP)
	$(BIN)/pybabel compile -d locales -D canbo -l $*

install: $(STAMP) locales/vi/LC_MESSAGES/canbo.mo locales/en/LC_MESSAGES/canbo.mo

run: install
	$(BIN)/canbo db upgrade
	$(BIN)/canbo units load
	$(BIN)/canbo demo
	$(BIN)/canbo run

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Re-extract user text into the catalogues after adding or changing a message.
catalog: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k plural:1,2 --no-location --sort-output -o locales/canbo.pot .
	$(BIN)/pybabel update -i locales/canbo.pot -d locales -D canbo --no-fuzzy-matching --ignore-obsolete

bench: install
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info canbo.db
