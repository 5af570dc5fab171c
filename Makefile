# Two commands for users: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test clean

$(STAMP): setup.cfg setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# the CPU build of torch first: a plain `torch` requirement would pull a CUDA build
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,neural,ja]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q -n 2 tests

# the default model (Python -> English, from the Django corpus) is built once into the user cache
demo: $(STAMP)
	$(VENV)/bin/pseudogen train --default --resume
	@echo "--- examples/demo.py, one statement per line, and its pseudo-code:"
	$(VENV)/bin/pseudogen translate examples/demo.py | paste examples/demo.py - | sed 's/\t/   =>   /'

clean:
	rm -rf $(VENV) build *.egg-info
