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
	$(PY) -m pip install --quiet -e '.[test,neural,ja,web,cpp]'
	touch $(STAMP)

# the browser test drives Debian's headless Chromium; without root (or apt) it is skipped, saying why
test: $(STAMP)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) || \
		echo "note: cannot install chromium and chromium-driver here; the browser test will be skipped"
	$(PY) -m pytest -q -n 2 tests

# the default model (Python -> English, from Django and the modern-Python supplement) is built once into the
# user cache; then a file is translated, beside its code, and as a web page
demo: $(STAMP)
	$(VENV)/bin/pseudogen train --default --resume
	@echo "--- examples/demo.py and its pseudo-code:"
	$(VENV)/bin/pseudogen translate examples/demo.py --format side-by-side --width 120
	$(VENV)/bin/pseudogen translate examples/demo.py --format html -o demo.html
	@echo "--- the same as a web page (hover a phrase to see the code it came from): $(CURDIR)/demo.html"

clean:
	rm -rf $(VENV) build *.egg-info
