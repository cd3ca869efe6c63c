# Two commands do all the set-up: `make report` and `make test` create .venv on first use
# (from requirements.lock, exact versions), then run the notebooks or the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: report test bench validate lab clean-env

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.lock
	$(PY) -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (analysis)" >/dev/null
	touch $(STAMP)

report: $(STAMP)  ## execute every notebook: figures/ and reports/
	$(PY) -m analysis run $(ARGS)

test: $(STAMP)  ## run the test suite
	$(PY) -m pytest $(ARGS)

bench: $(STAMP)  ## time the pipeline (2.5, 25, 100 MB) and the report command; writes benchmark.csv
	$(PY) -m analysis bench $(ARGS)

validate: $(STAMP)  ## check seeds/ (or CORPUS=dir)
	$(PY) -m analysis validate --corpus $(or $(CORPUS),seeds)

lab: $(STAMP)  ## open JupyterLab in the project's environment
	$(PY) -m jupyter lab notebooks/

clean-env:
	rm -rf $(VENV)
