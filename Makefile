# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test lint typecheck lock venv dev-venv translations translations-update clean

# axe-core for the accessibility tests (tests/browser), installed from package-lock.json (see the end).
AXE := node_modules/axe-core/axe.min.js

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installed from the lock files: every package, direct or indirect, at one version with its hashes.
# requirements*.txt name what the code uses; after changing one, run `make lock` and commit both.
$(VENV)/.runtime: requirements.lock | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock requirements.lock $(VENV)/.runtime
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.runtime
dev-venv: $(VENV)/.dev

# Emailed links, QR codes and calendar URLs (the demo's too) follow the port unless BASE_URL is set.
run: export BASE_URL ?= http://127.0.0.1:$(PORT)
run: venv translations vendor-js
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

lint: dev-venv typecheck
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r app config.py wsgi.py

# The type checker over app/ (configuration: [tool.mypy] in pyproject.toml); part of `make lint`.
typecheck: dev-venv
	$(BIN)/mypy

# Regenerate the lock files from requirements*.txt with pip-tools (pinned), in a throwaway venv
# so .venv is not touched. Needs the package index; the result is committed.
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := $(or $(TMPDIR),/tmp)/masterclass-lock-venv
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip $(PIP_TOOLS)
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -o requirements-dev.lock requirements-dev.txt
	rm -rf $(LOCK_VENV)

test: dev-venv lint translations $(AXE)
	$(BIN)/pytest

# Compiled catalogues (*.mo) are built, never committed.
translations: venv
	$(BIN)/pybabel compile -d app/translations

# After adding or changing strings: refresh messages.pot and the catalogues, then translate
# the new entries in app/translations/hu/LC_MESSAGES/messages.po (tests/i18n fails until then).
translations-update: venv
	$(BIN)/pybabel extract --ignore-dirs=".* __pycache__ node_modules" -F babel.cfg -k _l -k lazy_gettext --project=Masterclass --sort-by-file -o app/translations/messages.pot .
	$(BIN)/pybabel update -d app/translations -i app/translations/messages.pot --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# ---- Badges and check-in: the camera decoder for browsers without BarcodeDetector ----
# barcode-detector (ZXing C++ compiled to WebAssembly) is installed by npm from package-lock.json
# and served from static/vendor (git-ignored), never from a CDN. Needs node and npm.
VENDOR_BD := static/vendor/barcode-detector
.PHONY: vendor-js
vendor-js: $(VENDOR_BD)/ponyfill.js

$(VENDOR_BD)/ponyfill.js: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(VENDOR_BD)
	cp node_modules/barcode-detector/dist/iife/ponyfill.js $(VENDOR_BD)/ponyfill.js
	cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm $(VENDOR_BD)/zxing_reader.wasm
	cp node_modules/barcode-detector/LICENSE $(VENDOR_BD)/LICENSE-barcode-detector
	cp node_modules/zxing-wasm/LICENSE $(VENDOR_BD)/LICENSE-zxing-wasm

# ---- Benchmarks (issue 8): `make bench` on PostgreSQL, `make bench-sqlite`, `make bench-scale` ----
# Needs PostgreSQL (DATABASE: masterclass_bench_*, dropped and created) and, for bench-scale, Redis.
# wrk is Debian's package, installed here when missing. Results: bench/results.json and the table.
BENCH_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
.PHONY: bench bench-sqlite bench-scale bench-tools

$(VENV)/.bench: requirements-bench.txt requirements-dev.lock requirements.lock $(VENV)/.dev
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

bench-tools: $(VENV)/.bench
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }

bench: bench-tools
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-sqlite: bench-tools
	$(BIN)/python -m bench.run --sqlite $(BENCH_ARGS)

bench-scale: bench-tools
	$(BIN)/python -m bench.scale $(BENCH_ARGS)

# ---- Browser tests: axe-core from npm, screenshots of the key pages (docs/screenshots) ----
# Both drive Debian's /usr/bin/chromium through Playwright; no browser is ever downloaded.
$(AXE): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

.PHONY: screenshots
screenshots: dev-venv
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m tests.browser.screenshots
