# One-command set-up: `make run` starts the app, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050

PLOTLY_BASIC := bodymap/app/assets/plotly-basic.min.js
# Not in assets/: Dash would load it on every page. The 3D view fetches it when first shown.
PLOTLY_GL3D := bodymap/app/gl3d/plotly-gl3d.min.js

.PHONY: run test browser system validate screenshot bench clean catalogs

# Interface translations: the .po catalogs are kept in git, their compiled .mo are built here
# (the app compiles a missing one in memory, so an install without `make` still speaks them).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard bodymap/locales/*/LC_MESSAGES/bodymap.po))
catalogs: $(CATALOGS)
bodymap/locales/%/LC_MESSAGES/bodymap.mo: bodymap/locales/%/LC_MESSAGES/bodymap.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -D bodymap -d bodymap/locales -l $* --use-fuzzy

# After changing interface strings: refresh the template and every catalog, then translate what is new.
messages: | $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -c TRANSLATORS: --no-location --sort-output --project bodymap \
		--copyright-holder "bodymap contributors" -o bodymap/locales/bodymap.pot bodymap
	$(BIN)/pybabel -q update -D bodymap -i bodymap/locales/bodymap.pot -d bodymap/locales --no-fuzzy-matching

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# plotly.js's basic bundle (scatter, shapes, annotations: all the app draws) is a
# third of the full one. It comes from the npm registry, matched to the plotly.js
# version of the installed plotly package; without npm the app serves the full bundle.
$(PLOTLY_BASIC): | $(VENV)/.installed
	@version=$$($(BIN)/python -c "from plotly.offline import get_plotlyjs_version as v; print(v())"); \
	tmp=$$(mktemp -d); \
	if command -v npm >/dev/null 2>&1 && (cd $$tmp && npm pack --silent "plotly.js-basic-dist-min@$$version" >/dev/null 2>&1); then \
		tar -xzf $$tmp/plotly.js-basic-dist-min-$$version.tgz -C $$tmp package/plotly-basic.min.js && \
		mv $$tmp/package/plotly-basic.min.js $@ && echo "plotly.js basic bundle $$version"; \
	else \
		echo "npm is not available: the app will serve plotly's full bundle"; \
	fi; \
	rm -rf $$tmp

# The gl3d bundle (mesh3d, scatter3d) for the 3D view, fetched the same way; without
# npm the 3D view loads plotly's full bundle instead.
$(PLOTLY_GL3D): | $(VENV)/.installed
	@version=$$($(BIN)/python -c "from plotly.offline import get_plotlyjs_version as v; print(v())"); \
	tmp=$$(mktemp -d); \
	if command -v npm >/dev/null 2>&1 && (cd $$tmp && npm pack --silent "plotly.js-gl3d-dist-min@$$version" >/dev/null 2>&1); then \
		tar -xzf $$tmp/plotly.js-gl3d-dist-min-$$version.tgz -C $$tmp package/plotly-gl3d.min.js && \
		mkdir -p $(dir $@) && mv $$tmp/package/plotly-gl3d.min.js $@ && echo "plotly.js gl3d bundle $$version"; \
	else \
		echo "npm is not available: the 3D view will load plotly's full bundle"; \
	fi; \
	rm -rf $$tmp

run: $(VENV)/.installed $(PLOTLY_BASIC) $(PLOTLY_GL3D) catalogs system
	$(BIN)/bodymap serve --host $(HOST) --port $(PORT)

# PDF and PNG exports: librsvg's converter (CairoSVG's cairo library as the
# fallback), and a CJK font for hanzi.
system:
	@missing=""; \
	command -v rsvg-convert >/dev/null 2>&1 || missing="$$missing librsvg2-bin"; \
	ldconfig -p 2>/dev/null | grep -q "libcairo.so.2" || missing="$$missing libcairo2"; \
	{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || missing="$$missing fonts-wqy-zenhei"; \
	if [ -z "$$missing" ]; then true; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "for PDF/PNG exports install:$$missing (apt-get install$$missing)"; \
	fi

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

test: $(VENV)/.installed-test $(PLOTLY_BASIC) $(PLOTLY_GL3D) catalogs system browser
	$(BIN)/python -m pytest -ra

validate: $(VENV)/.installed
	$(BIN)/bodymap validate

screenshot: $(VENV)/.installed-test system browser
	$(BIN)/python docs/make_screenshot.py

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/loading.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache $(PLOTLY_BASIC) $(PLOTLY_GL3D)
