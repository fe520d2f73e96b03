# rangemap: needs only Python 3.11+, pip and make. `make test` also drives Chromium for the
# real-browser tests (Debian/Ubuntu: `sudo apt-get install chromium`); without it they are
# skipped locally, and CI (RANGEMAP_REQUIRE_BROWSER=1) fails instead.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: map test quick bench geodata clean default-map vendor-js

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "rangemap needs Python 3.11 or newer; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## make map: set up and render the default scenario's map (one self-contained HTML file); prints its path
map: $(STAMP)
	$(BIN)/rangemap render --offline

## make default-map: regenerate docs/default-map.png (the README's picture: the default scenario's static map)
default-map: $(STAMP)
	$(BIN)/python -c "import rangemap; print(rangemap.static_map(rangemap.run_scenario(rangemap.load_scenario()), 'docs/default-map.png'))"

## make test: set up, check the wings' import layers and the types, then run the whole test suite
## (geodesic accuracy, data, CLI, exports, browser, notebook, docstring examples)
test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || echo "note: no 'chromium' on PATH: the real-browser tests will be skipped (Debian/Ubuntu: sudo apt-get install chromium)" >&2
	$(BIN)/lint-imports
	$(BIN)/python -m mypy rangemap
	$(BIN)/python -m pytest

## make quick: the inner loop: import layers, types and the tests not marked slow (under 90 s on a quiet 2-core machine)
quick: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m mypy rangemap
	$(BIN)/python -m pytest -m "not slow" -q

## make bench: speed and accuracy benchmarks (ratios against baselines measured in the same run)
bench: $(STAMP)
	$(BIN)/python benchmarks/footprint.py
	$(BIN)/python benchmarks/gazetteer.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/static.py

## make vendor-js: fetch GeographicLib's JavaScript geodesic (MIT) from npm into rangemap/assets (needs npm)
GEOGRAPHICLIB_JS_VERSION ?= 2.2.0
vendor-js:
	rm -rf build/vendor-js && mkdir -p build/vendor-js
	cd build/vendor-js && npm pack --silent geographiclib-geodesic@$(GEOGRAPHICLIB_JS_VERSION) && tar xzf geographiclib-geodesic-$(GEOGRAPHICLIB_JS_VERSION).tgz
	cp build/vendor-js/package/geographiclib-geodesic.min.js build/vendor-js/package/LICENSE.txt build/vendor-js/package/package.json rangemap/assets/geographiclib-geodesic/

## make geodata: rebuild geodata/ from the raw Natural Earth files (SRC=../shared/geodata)
geodata: $(STAMP)
	$(BIN)/python tools/build_geodata.py $(SRC)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis out test-artifacts
