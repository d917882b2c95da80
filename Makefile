# One entry point for people and CI: `make demo` and `make test` build .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench clean system-deps

# Debian packages some tests use, as file-that-shows-it-is-installed:package. Missing ones are
# installed when run as root (CI); elsewhere the tests that need them skip, saying why.
SYSTEM_DEPS := /usr/bin/pdftoppm:poppler-utils \
               /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc:fonts-noto-cjk \
               /usr/bin/chromium:chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/cloudkyc demo --out out

system-deps:
	@missing=; for dep in $(SYSTEM_DEPS); do [ -e "$${dep%%:*}" ] || missing="$$missing $${dep#*:}"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	else echo "make: not installed:$$missing (as root: apt-get install$$missing); tests needing them skip" >&2; fi

test: $(STAMP) system-deps
	$(BIN)/pytest -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/dashboard.py

clean:
	rm -rf $(VENV) out .pytest_cache
