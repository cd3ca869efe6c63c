# Two commands do all the set-up: `make report` and `make test` create .venv on first use
# (from requirements.lock, exact versions), then run the notebooks or the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: report test test-fast bench validate lab clean-env

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.lock
	$(PY) -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (analysis)" >/dev/null
	touch $(STAMP)

report: $(STAMP)  ## execute every notebook: figures/ and reports/
	$(PY) -m analysis run $(ARGS)

test: $(STAMP)  ## run the test suite: unit tests and the notebook tests, with per-test progress
	$(PY) -m pytest -v $(ARGS)

test-fast: $(STAMP)  ## the unit tests only (no notebook is executed)
	$(PY) -m pytest -v -m "not notebooks" $(ARGS)

bench: $(STAMP)  ## time the pipeline (2.5, 25, 100 MB) and the report command; writes benchmark.csv
	$(PY) tools/bench.py $(ARGS)

validate: $(STAMP)  ## check seeds/ (or CORPUS=dir)
	$(PY) -m analysis validate --corpus $(or $(CORPUS),seeds)

# JupyterLab refuses to start as root unless told; the same target works for a user.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

lab: $(STAMP)  ## open JupyterLab in the project's environment (ARGS are passed on)
	$(PY) -m jupyter lab notebooks/ $(ROOT_FLAG) $(ARGS)

clean-env:
	rm -rf $(VENV)
