# leaf_qgis — set-up, tests, packaging and the demo. `make demo` and `make test` each work on a fresh Debian 12
# machine: both depend on `make setup`, which is idempotent (a second run only checks).

SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := qgis python3-qgis qgis-providers pyqt5-dev-tools qttools5-dev-tools zip python3-venv xvfb xauth
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.requirements-installed
NETWORKS_SRC ?= ../shared/sl2p-networks
DEST ?= build/plugins
DEMO_DIR ?= demo
DESKTOP_ALGORITHM ?= leaf:produce_gee
DEMO := $(abspath $(DEMO_DIR))
DEMO_STEM := sample_2024_Jul
PLUGIN := leaf_qgis
SOURCES := $(shell find $(PLUGIN) -name '*.py' -not -path '*/__pycache__/*')
TS_FILES := i18n/leaf_qgis_fr.ts
PBT := $(abspath $(VENV))/bin/pb_tool
EXTLIBS := build/extlibs

# Headless Qt and the networks for everything run from here (tests set the same in tests/conftest.py).
export QT_QPA_PLATFORM := offscreen
export LEAF_QGIS_NETWORKS ?= $(abspath $(NETWORKS_SRC))

# qgis_process against a deployed plugin: throwaway profile, plugin folder, the venv first on PATH.
QGIS_PROCESS = PATH="$(abspath $(VENV))/bin:$$PATH" QGIS_PLUGINPATH="$(abspath $(DEST))" \
	QGIS_CUSTOM_CONFIG_PATH="$(abspath build/qgis-profile)" qgis_process.bin

.PHONY: docs-images desktop-check help setup apt venv networks test deploy extlibs package demo lint bench translate ts clean profile

help:
	@echo "make demo     - run the main job (sets up first); results in $(DEMO_DIR)/"
	@echo "make test     - run the whole test suite headless (sets up first)"
	@echo "make setup    - apt packages, .venv with pinned packages, SL2P networks (idempotent)"
	@echo "make deploy DEST=DIR  - runnable plugin folder DIR/$(PLUGIN) (translations compiled)"
	@echo "make package  - installable $(PLUGIN).zip (SL2P networks and earthengine-api bundled; pb_tool)"
	@echo "make lint | bench | translate | ts | desktop-check (QGIS desktop under Xvfb)"

setup: apt venv networks

apt:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
			--no-install-recommends $$missing; \
	fi

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements-dev.txt | apt
	@[ -x $(PY) ] || /usr/bin/python3 -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# The networks are never committed: verify the shared copy, or download the pinned files into the user cache.
networks: venv
	@if [ -d "$(NETWORKS_SRC)" ]; then $(PY) -m leaf_qgis.core.networks check --folder "$(NETWORKS_SRC)" --no-download; \
	else LEAF_QGIS_NETWORKS= $(PY) -m leaf_qgis.core.networks check; fi

test: setup translate lint
	$(PY) -m pytest -q

lint: venv
	$(PY) -m ruff check $(PLUGIN) tests

translate: $(TS_FILES:i18n/%.ts=$(PLUGIN)/i18n/%.qm)

$(PLUGIN)/i18n/%.qm: i18n/%.ts | apt
	@mkdir -p $(PLUGIN)/i18n
	@lrelease -silent $< -qm $@

# Refresh the catalogue from the sources (every tr() / QT_TRANSLATE_NOOP("leaf", ...) string, one context).
ts: venv
	@for ts in $(TS_FILES); do $(PY) i18n/update_catalogue.py $$ts $(SOURCES); done

# pb_tool (pb_tool.cfg) deploys the package: it copies the listed modules, files and sub-packages keeping their paths
# relative to where it runs, so it runs inside $(PLUGIN)/. pb_tool 3.5.3 cannot express the rest of our layout, done
# here: files at the repository root (metadata.txt, LICENSE, READMEs: a "../" path would land outside the plugin),
# the .qm compiled by `make translate` from i18n/*.ts at the root (its `translate` wants the .ts inside the plugin),
# __pycache__ left out of extra_dirs (it filters only single files), and an atomic swap of the deployed folder.
deploy: setup translate
	@rm -rf $(DEST)/.$(PLUGIN).staging && mkdir -p $(DEST)
	@cd $(PLUGIN) && $(PBT) deploy --config_file ../pb_tool.cfg -p "$(abspath $(DEST))/.$(PLUGIN).staging" -y -n \
		> /dev/null
	@find $(DEST)/.$(PLUGIN).staging -name __pycache__ -prune -exec rm -rf {} +
	@cp metadata.txt LICENSE README.md README.fr.md $(DEST)/.$(PLUGIN).staging/$(PLUGIN)/
	@rm -rf $(DEST)/$(PLUGIN) && mv $(DEST)/.$(PLUGIN).staging/$(PLUGIN) $(DEST)/$(PLUGIN) \
		&& rmdir $(DEST)/.$(PLUGIN).staging
	@echo "Deployed $(DEST)/$(PLUGIN)"

# earthengine-api and its pure-Python dependencies for the release zip (leaf_qgis/extlibs, used only when QGIS's
# Python has no `ee`: see leaf_qgis/engines/gee/extlibs.py). Exact versions and hashes in requirements-extlibs.txt;
# --platform any accepts only py3-none-any wheels, and any compiled file left would fail the build. googleapiclient's
# 600 static API descriptions (100 MB) go: earthengine-api builds its client from the server's discovery document
# (static_discovery=False). Fetched from PyPI (pip's cache) into build/, never committed.
extlibs: $(EXTLIBS)/.built

$(EXTLIBS)/.built: requirements-extlibs.txt | venv
	@rm -rf $(EXTLIBS).tmp $(EXTLIBS)
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-compile --only-binary=:all: --platform any \
		--require-hashes --target $(EXTLIBS).tmp -r requirements-extlibs.txt
	@rm -rf $(EXTLIBS).tmp/bin $(EXTLIBS).tmp/googleapiclient/discovery_cache/documents/*.json
	@find $(EXTLIBS).tmp -name __pycache__ -prune -exec rm -rf {} +
	@compiled=$$(find $(EXTLIBS).tmp -type f \( -name '*.so' -o -name '*.pyd' -o -name '*.dylib' -o -name '*.dll' \)); \
		if [ -n "$$compiled" ]; then echo "Compiled files in extlibs: $$compiled"; exit 1; fi
	@$(PY) -c 'import sys; from importlib.metadata import distributions; \
		print("Bundled with leaf_qgis, used only when QGIS has no earthengine-api. Licence texts: */licenses/."); \
		lic = lambda m: m["License-Expression"] or " ".join((m["License"] or "").split()[:6]) or "; ".join( \
			c.split(" :: ")[-1] for c in m.get_all("Classifier") or [] if c.startswith("License")); \
		[print(m["Name"] + "==" + m["Version"] + ": " + lic(m)) for m in sorted( \
			(d.metadata for d in distributions(path=[sys.argv[1]])), key=lambda m: m["Name"].lower())]' \
		$(EXTLIBS).tmp > $(EXTLIBS).tmp/LICENSES.txt
	@touch $(EXTLIBS).tmp/.built && mv $(EXTLIBS).tmp $(EXTLIBS)

profile:
	@mkdir -p build/qgis-profile/profiles/default/QGIS
	@printf '[PythonPlugins]\n$(PLUGIN)=true\n' > build/qgis-profile/profiles/default/QGIS/QGIS3.ini

# The release zip: the deployed plugin plus the SL2P networks and the earthengine-api bundle, zipped by pb_tool (which
# also stamps metadata.txt with the commit and build time).
package: setup extlibs
	@$(MAKE) --no-print-directory deploy DEST=build/package
	@$(PY) -m leaf_qgis.core.networks bundle build/package/$(PLUGIN)/networks
	@rm -rf build/package/$(PLUGIN)/extlibs && cp -r $(EXTLIBS) build/package/$(PLUGIN)/extlibs \
		&& rm build/package/$(PLUGIN)/extlibs/.built
	@rm -f $(PLUGIN).zip $(PLUGIN)/$(PLUGIN).zip && cd $(PLUGIN) \
		&& $(PBT) zip --config_file ../pb_tool.cfg -q -n -p "$(abspath build/package)" > /dev/null \
		&& mv $(PLUGIN).zip ../$(PLUGIN).zip
	@ls -l $(PLUGIN).zip

demo: setup
	@$(MAKE) --no-print-directory deploy DEST=$(DEST)
	@$(MAKE) --no-print-directory profile
	@mkdir -p $(DEMO_DIR)
	@$(PY) -m leaf_qgis.engines.local.sample $(DEMO_DIR)/input > /dev/null
	$(QGIS_PROCESS) run leaf:produce_local -- INPUT=$(DEMO)/input/sample_s2_20m.tif SENSOR=S2 \
		SUN_ZENITH=35 VIEW_ZENITH=5 RELATIVE_AZIMUTH=120 \
		ALGORITHM=SL2P-CCRS LANDCOVER=$(DEMO)/input/sample_landcover.tif MASK=$(DEMO)/input/sample_mask.tif \
		UNCERTAINTY=true \
		$$($(PY) -m leaf_qgis.core.products demo-outputs $(DEMO) $(DEMO_STEM) 20) \
		OUTPUT_QC=$(DEMO)/$(DEMO_STEM)_QC_20m.tif
	$(QGIS_PROCESS) run leaf:decode_qc -- INPUT=$(DEMO)/$(DEMO_STEM)_QC_20m.tif \
		$(foreach o,DOMAIN RANGE INVALID SENSOR,OUTPUT_$(o)=$(DEMO)/qc_decoded/$(DEMO_STEM)_QC_$(o).tif) > /dev/null
	@$(PY) -m leaf_qgis.styling.preview $(DEMO)/preview_lai_qc.png $(DEMO)/$(DEMO_STEM)_LAI_20m.tif \
		$(DEMO)/$(DEMO_STEM)_QC_20m.tif
	$(QGIS_PROCESS) run leaf:tile_grid -- LEVEL=tile OUTPUT=$(DEMO)/ccrs_tiles.gpkg > /dev/null
	$(QGIS_PROCESS) run leaf:produce_gee -- TILES=tile55 SENSOR=S2 YEAR=2024 MONTHS=Jul RESOLUTION=20 \
		DRY_RUN=true PLAN=$(DEMO)/gee_plan_tile55_2024_Jul.json > /dev/null
	@echo "Demo outputs in $(DEMO_DIR)/: SL2P maps of the synthetic sample scene ($(DEMO_STEM)_*.tif, with .qml"
	@echo "styles; rendered in preview_lai_qc.png), the decoded QC flags (qc_decoded/), the CCRS tile grid (ccrs_tiles.gpkg) and the Earth Engine"
	@echo "dry-run plan of tile55, July 2024 (gee_plan_tile55_2024_Jul.json: every export task and its graph)."

# The README images, regenerated from the demo outputs.
docs-images: demo
	@mkdir -p docs && cp $(DEMO_DIR)/preview_lai_qc.png docs/preview_lai_qc.png && echo "docs/preview_lai_qc.png"

# The real QGIS desktop under Xvfb opens the leaf dialogs; screenshots and the message log in build/desktop-check/.
desktop-check: setup
	@command -v xvfb-run > /dev/null || { echo "desktop-check needs xvfb-run (apt install xvfb xauth)"; exit 1; }
	$(PY) tests/desktop/check_desktop.py $(DESKTOP_ALGORITHM)

bench: setup
	$(PY) tests/bench/run_all.py

clean:
	rm -rf build $(PLUGIN).zip $(PLUGIN)/i18n/*.qm
