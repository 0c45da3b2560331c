# billing-kb: `make serve` to browse the site, `make test` to run every check.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
LINTED := plugins tests $(wildcard scripts)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: install serve site check test lint format lock clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

serve: install  ## build the site from notes/ and serve it at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: install  ## build the site into site/
	$(BIN)/mkdocs build --strict

check: install  ## check every note and link
	$(BIN)/kb check

lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: install
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

test: lint  ## the whole test suite: ruff, pytest (unit, site build --strict, browser)
	$(BIN)/python -m pytest

lock: install  ## rewrite requirements.lock from the installed environment
	{ echo "# Exact versions of every Python package billing-kb needs (runtime and tests). Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable --all | grep -v -e '^pip==' -e '^billing-kb' | sort -f; } > requirements.lock

clean:
	rm -rf site $(VENV) .pytest_cache .ruff_cache .kb-cache
