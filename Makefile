# kehoach: `make run` and `make test` work on a fresh machine (they install what is missing).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench schema clean system-deps browser-deps

install: $(STAMP) system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask,parquet]'
	touch $(STAMP)

# System packages, installed with apt-get when absent: Tesseract with Vietnamese data for scans,
# antiword (about 0.5 MB) for old Word .doc files.
system-deps:
	@command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie || \
	  ( command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null) \
	    || echo "warning: could not install tesseract-ocr tesseract-ocr-vie; scans will fail with a clear message" )
	@command -v antiword >/dev/null 2>&1 || \
	  ( command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword >/dev/null) \
	    || echo "warning: could not install antiword; .doc files will fail with a clear message" )

run: install
	$(BIN)/kehoach extract corpus -o outputs
	$(BIN)/kehoach catalogue outputs --db outputs/catalogue.sqlite
	$(BIN)/kehoach export outputs --format csv -o outputs/tables
	$(BIN)/kehoach audit outputs -o outputs
	$(BIN)/kehoach schema -o schemas/plan.schema.json

# Chromium (Debian package) for the browser tests, driven by Playwright as the system browser;
# installed with apt-get when absent. If it cannot be installed the browser tests fail loudly.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || \
	  ( command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "warning: could not install chromium; the browser tests will fail" )

test: install browser-deps
	$(BIN)/python -m pytest -q

bench: install
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf || ( command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null) ) || \
	  echo "warning: fonts-dejavu-core missing; benchmarks.unseen (typeset scans) is skipped"
	$(BIN)/python -m benchmarks.run

schema: install
	$(BIN)/kehoach schema -o schemas/plan.schema.json

clean:
	rm -rf $(VENV) outputs/*.json outputs/*.jsonl outputs/*.csv outputs/*.html outputs/tables outputs/catalogue.sqlite
