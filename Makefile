# One-command set-up: `make run` starts the app, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test browser validate screenshot bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/bodymap serve --host $(HOST) --port $(PORT)

# Browser tests use Debian's Chromium and ChromeDriver; nothing downloads a browser.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
		echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else \
		echo "chromium is missing: install Debian's chromium and chromium-driver (as root: apt-get install chromium chromium-driver)"; \
		echo "without them the browser tests are skipped (and fail when CI=true)"; \
	fi

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest -ra

validate: $(VENV)/.installed
	$(BIN)/bodymap validate

# Hanzi in the screenshot need a CJK font; readers' own browsers bring theirs.
screenshot: $(VENV)/.installed-test browser
	@fc-list :lang=zh | grep -q . || { [ "$$(id -u)" = "0" ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei; } || true
	$(BIN)/python docs/make_screenshot.py

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
