# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# the editable install also builds extraction's C tree pass (src/linkscope/extract/_walk.c)
$(STAMP): $(BIN)/python pyproject.toml src/linkscope/extract/_walk.c src/linkscope/extract/_prescan.c src/linkscope/extract/_prescan.h
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# options for the demo, e.g. make demo DEMO_ARGS="--ui-port 8100"
DEMO_ARGS ?=

demo: $(STAMP)
	$(BIN)/linkscope demo $(DEMO_ARGS)

# The browser tests drive Debian's chromium; install it when running as root and it is absent
# (they skip, saying why, when it still is not there).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y --no-install-recommends chromium; fi

test: $(STAMP) browser
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache linkscope-index \
		src/linkscope/extract/_walk*.so
