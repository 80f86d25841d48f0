# Jaarverslag leerplicht en Doorstroompunt: the front door. `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.DELETE_ON_ERROR:

GEMEENTE ?= deventer
SCHOOLJAAR ?= 2022-2023
PYTHON ?= python3
# pytest-xdist workers for make test (the suite is mostly real builds: two at a time on two cores)
TEST_WORKERS ?= auto

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.geinstalleerd
DEV_STAMP := $(VENV)/.test-geinstalleerd
LAB_STAMP := $(VENV)/.lab-geinstalleerd
# uv installs the lock files in seconds. When it is not on PATH, make brings its own copy,
# once per user and uv version, into the user's cache (like uv's own package cache), so that
# the next clone on this machine starts without pip.
UV_VERSION := 0.13.9
UV_HOME := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/jaarverslag/uv-$(UV_VERSION)
UV := $(or $(shell command -v uv 2>/dev/null),$(UV_HOME)/bin/uv)
UV_PIP := $(UV) pip install --quiet --python $(BIN)/python
# What the system must provide (Pango, fonts; for tests Chromium and poppler) is checked,
# and on Debian/Ubuntu installed, by one script that holds the package list.
SYSTEEM := $(PYTHON) src/jaarverslag/systeem.py
# The project's own .venv keeps compiled bytecode even where the shell says not to write it:
# without it every build imports pandas, GX and matplotlib from source (4 s slower).
unexport PYTHONDONTWRITEBYTECODE
ifeq ($(shell uname -s),Darwin)
export DYLD_FALLBACK_LIBRARY_PATH ?= /opt/homebrew/lib:/usr/local/lib
endif

# A school year is JJJJ-JJJJ with consecutive years: make builds a path from it, so any other
# form (2022/2023) is refused before anything runs. The build checks it again.
SCHOOLJAAR_DOELEN := report validate verify reports/%
ifneq ($(filter $(SCHOOLJAAR_DOELEN),$(MAKECMDGOALS)),)
ifneq ($(shell s='$(subst ','',$(SCHOOLJAAR))'; [[ $$s =~ ^([0-9]{4})-([0-9]{4})$$ ]] && (( $${BASH_REMATCH[2]} == $${BASH_REMATCH[1]} + 1 )) && echo goed),goed)
$(error Fout: SCHOOLJAAR=$(SCHOOLJAAR) is geen schooljaar in de vorm JJJJ-JJJJ. Schrijf twee opeenvolgende jaren met een streepje, bijvoorbeeld SCHOOLJAAR=2022-2023)
endif
endif

REPORT_DIR := reports/$(GEMEENTE)/$(SCHOOLJAAR)
# Everything a report depends on; a missing params file is left out here so that the
# build itself can say so in Dutch.
CODE := $(shell find src/jaarverslag -name "*.py") $(wildcard notebooks/*.ipynb) $(wildcard expectations/*.json) \
        $(filter-out templates/nieuwe-gemeente/%,$(wildcard templates/*/* templates/*.docx)) data/schema.yaml data/verslag.yaml data/raadsmededeling.yaml requirements.lock
# The voorwoord, the stories and their photos: params/<gemeente>/<schooljaar>/ (see "Voorwoord, verhalen en huisstijl").
CONTENT := $(shell find params/$(GEMEENTE)/$(SCHOOLJAAR) -type f 2>/dev/null)
REPORT_INPUTS := $(wildcard params/$(GEMEENTE)/$(SCHOOLJAAR).yaml) $(CONTENT) $(wildcard data/$(GEMEENTE)/*) $(CODE)

.PHONY: help omgeving report all validate verify lijst bekijk duo test bench lint lab lock clean distclean systeem-verslag systeem-test

# `make all -j2` builds two reports at a time: the -j number is passed on to the batch build.
JOBS = $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),1)

help: ## Toon deze hulp
	@echo "Jaarverslag leerplicht en Doorstroompunt (GEMEENTE=$(GEMEENTE), SCHOOLJAAR=$(SCHOOLJAAR))"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(UV_HOME)/bin/uv:
	@echo "uv $(UV_VERSION) installeren (eenmalig, in $(UV_HOME))..."
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(UV_HOME) uv==$(UV_VERSION)

$(STAMP): requirements.lock pyproject.toml | $(UV)
	@test -x $(BIN)/python || { echo "Omgeving .venv maken..."; $(UV) venv --quiet --python $(PYTHON) $(VENV); }
	@echo "Pakketten installeren uit requirements.lock..."
	@$(UV_PIP) -r requirements.lock
	@$(UV_PIP) --no-deps -e .
	@rm -f $(DEV_STAMP) $(LAB_STAMP)
	@touch $@

$(DEV_STAMP): requirements-dev.lock $(STAMP)
	@echo "Test- en ontwikkelpakketten installeren uit requirements-dev.lock..."
	@$(UV_PIP) -r requirements-dev.lock
	@touch $@

omgeving: $(STAMP) ## Maak alleen de omgeving .venv (daarna werkt .venv/bin/jaarverslag)

systeem-verslag:
	@$(SYSTEEM) verslag

systeem-test:
	@$(SYSTEEM) test

report: $(REPORT_DIR)/accountant/manifest.json ## Maak het verslag (ipynb, HTML, PDF) voor GEMEENTE en SCHOOLJAAR
	@echo "Verslag: $(REPORT_DIR)/jaarverslag.pdf"

$(REPORT_DIR)/accountant/manifest.json: $(STAMP) $(REPORT_INPUTS) | systeem-verslag
	@$(BIN)/jaarverslag build $(GEMEENTE) $(SCHOOLJAAR)

all: $(STAMP) systeem-verslag ## Maak alle verslagen waarvoor params/ een bestand heeft (make all -j2: twee tegelijk)
	@$(BIN)/jaarverslag build --alle --werkers $(JOBS)

verify: $(STAMP) ## Controleer het verslag tegen zijn manifest en de huidige invoer
	@$(BIN)/jaarverslag verify $(GEMEENTE) $(SCHOOLJAAR)

duo: $(STAMP) ## Tel de vsv-cijfers uit DUO's bestanden (BESTANDEN="NRSP... NenR..."; OPTIES="--proef" of andere)
	@test -n "$(BESTANDEN)" || { echo 'Geef de DUO-bestanden: make duo BESTANDEN="/pad/NRSP2023V....csv /pad/NenR2023V....csv"'; exit 2; }
	@$(BIN)/jaarverslag duo $(GEMEENTE) $(BESTANDEN) $(OPTIES)

lijst: $(STAMP) ## Toon welke verslagen er zijn en of ze actueel zijn
	@$(BIN)/jaarverslag lijst

validate: $(STAMP) ## Controleer alleen de invoergegevens (Great Expectations)
	@$(BIN)/jaarverslag validate $(GEMEENTE) $(SCHOOLJAAR)

test: $(DEV_STAMP) systeem-test ## Draai alle tests (pytest; installeert eerst wat ontbreekt)
	@$(BIN)/python -m pytest -n $(TEST_WORKERS)

bench: $(DEV_STAMP) systeem-test ## Meet de build tegen de kale gereedschappen (schrijft benchmarks/results.md)
	@$(BIN)/python benchmarks/run.py $(if $(BASIS),--basis $(BASIS))

lint: $(DEV_STAMP) ## Controleer de code met ruff
	@$(BIN)/ruff check src tests benchmarks
	@$(BIN)/ruff format --check src tests benchmarks

$(LAB_STAMP): requirements-lab.lock $(DEV_STAMP)
	@$(UV_PIP) -r requirements-lab.lock
	@touch $@

bekijk: $(STAMP) systeem-verslag ## Meekijken tijdens het schrijven: het verslag op http://127.0.0.1:8000/, ververst bij elke wijziging (POORT=...)
	@$(BIN)/jaarverslag bekijk $(GEMEENTE) $(SCHOOLJAAR) --poort $(or $(POORT),8000)

lab: $(LAB_STAMP) ## Open JupyterLab in de projectomgeving (om notebooks te bekijken of aan te passen)
	@$(BIN)/jupyter lab notebooks/

LOCK := $(UV) pip compile pyproject.toml --python-version 3.11 --no-header --quiet
lock: | $(UV) ## Werk de lock-bestanden bij na een wijziging in pyproject.toml
	@$(LOCK) -o requirements.lock
	@$(LOCK) --extra dev -c requirements.lock -o requirements-dev.lock
	@$(LOCK) --extra dev --extra lab -c requirements-dev.lock -o requirements-lab.lock

# Editions are an archive: clean removes only what builds leave behind (see bouw/opruimen.py).
# It needs no environment: the command runs on the standard library alone.
clean: ## Verwijder wat builds achterlaten en caches; uitgaven blijven (jaarverslag uitgave-verwijderen)
	@PYTHONPATH=src $(or $(wildcard $(BIN)/python),$(PYTHON)) -m jaarverslag.cli opruimen
	@rm -rf .pytest_cache .ruff_cache benchmarks/tmp reports/.validatie reports/.grafieken
	@find . -name __pycache__ -not -path './.venv/*' -exec rm -rf {} +

distclean: clean ## Verwijder ook de omgeving .venv
	@rm -rf $(VENV)
