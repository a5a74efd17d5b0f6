# Communiqué — two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint bench screenshots sample clean install-desktop

setup: $(STAMP)

# Re-install only when the declared dependencies change (idempotent).
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: setup
	$(PY) main.py $(ARGS)

test: setup lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	$(PY) bench/run_all.py

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m viewer.screenshots docs

sample: setup
	$(PY) db/sample/make_sample.py

# The menu entry, icon and AppStream metainfo for this user (XDG dirs); Exec runs .venv's command.
install-desktop: setup
	$(PY) main.py install-desktop

clean:
	rm -rf $(VENV) .pytest_cache
