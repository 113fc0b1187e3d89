# Sinergi: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FLASK := $(BIN)/flask --app wsgi
export SINERGI_INSTANCE ?= $(CURDIR)/instance

.PHONY: install run serve test lint bench chromium pdftools translations extract vendor clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d portal/translations 2>&1 | grep -v '^compiling' || true

# Extract source strings and merge them into the catalogues (run after changing strings).
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs '.* __pycache__' -k _l -k N_ -k Np_:1,2 --no-location --sort-output -o portal/translations/messages.pot . >/dev/null
	$(BIN)/pybabel update -N --ignore-obsolete -w 100 -i portal/translations/messages.pot -d portal/translations

run: install
	$(PY) -c "from portal.config import ensure_instance; ensure_instance()"
	$(FLASK) setup
	bash scripts/run.sh

serve: install
	$(PY) -c "from portal.config import ensure_instance; ensure_instance()"
	$(FLASK) setup --no-demo
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:5000 wsgi:app

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "No /usr/bin/chromium and not root: the browser tests will be skipped"; fi

# poppler-utils (pdftoppm, pdftotext, pdfsig) and zbar-tools (zbarimg) for the letter tests;
# HarfBuzz's subsetter, which WeasyPrint warns about (an error under pytest) when missing.
pdftools:
	@if command -v pdfsig >/dev/null && command -v zbarimg >/dev/null \
	  && /sbin/ldconfig -p | grep -q libharfbuzz-subset; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing poppler-utils, zbar-tools and libharfbuzz-subset0 for the letter tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils zbar-tools libharfbuzz-subset0 >/dev/null; \
	else echo "No pdfsig/zbarimg and not root: the signature and QR tests will be skipped"; fi

lint: $(VENV)/.installed
	$(BIN)/ruff check portal tests bench
	$(BIN)/ruff format --check portal tests bench

test: install chromium pdftools lint
	$(BIN)/pytest

bench: install
	$(PY) bench/run.py

vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) instance .pytest_cache
