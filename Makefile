# Jaarverslag leerplicht en Doorstroompunt: the front door. `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.DELETE_ON_ERROR:

GEMEENTE ?= deventer
SCHOOLJAAR ?= 2022-2023
PYTHON ?= python3

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.geinstalleerd
LAB_STAMP := $(VENV)/.lab-geinstalleerd
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

REPORT_DIR := reports/$(GEMEENTE)/$(SCHOOLJAAR)
# Everything a report depends on; a missing params file is left out here so that the
# build itself can say so in Dutch.
CODE := $(wildcard src/jaarverslag/*.py) $(wildcard notebooks/*.ipynb) $(wildcard expectations/*.json) \
        $(wildcard templates/*/*) data/schema.yaml requirements.lock
REPORT_INPUTS := $(wildcard params/$(GEMEENTE)/$(SCHOOLJAAR).yaml) $(wildcard data/$(GEMEENTE)/*) $(CODE)

.PHONY: help report all validate verify lijst test bench lint lab lock clean distclean

# `make all -j2` builds two reports at a time: the -j number is passed on to the batch build.
JOBS = $(or $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS))),1)

help: ## Toon deze hulp
	@echo "Jaarverslag leerplicht en Doorstroompunt (GEMEENTE=$(GEMEENTE), SCHOOLJAAR=$(SCHOOLJAAR))"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || { echo "Omgeving .venv maken..."; $(PYTHON) -m venv $(VENV); }
	@echo "Pakketten installeren uit requirements.lock..."
	@$(PIP) install -r requirements.lock
	@$(PIP) install --no-deps -e .
	@touch $@

report: $(REPORT_DIR)/manifest.json ## Maak het verslag (ipynb, HTML, PDF) voor GEMEENTE en SCHOOLJAAR
	@echo "Verslag: $(REPORT_DIR)/jaarverslag.pdf"

$(REPORT_DIR)/manifest.json: $(STAMP) $(REPORT_INPUTS)
	@$(BIN)/jaarverslag build $(GEMEENTE) $(SCHOOLJAAR)

all: $(STAMP) ## Maak alle verslagen waarvoor params/ een bestand heeft (make all -j2: twee tegelijk)
	@$(BIN)/jaarverslag build --alle --werkers $(JOBS)

verify: $(STAMP) ## Controleer het verslag tegen zijn manifest en de huidige invoer
	@$(BIN)/jaarverslag verify $(GEMEENTE) $(SCHOOLJAAR)

lijst: $(STAMP) ## Toon welke verslagen er zijn en of ze actueel zijn
	@$(BIN)/jaarverslag lijst

validate: $(STAMP) ## Controleer alleen de invoergegevens (Great Expectations)
	@$(BIN)/jaarverslag validate $(GEMEENTE) $(SCHOOLJAAR)

test: $(STAMP) ## Draai alle tests (pytest)
	@$(BIN)/python -m pytest

bench: $(STAMP) ## Meet de build tegen de kale gereedschappen (schrijft benchmarks/results.md)
	@$(BIN)/python benchmarks/run.py

lint: $(STAMP) ## Controleer de code met ruff
	@$(BIN)/ruff check src tests benchmarks
	@$(BIN)/ruff format --check src tests benchmarks

$(LAB_STAMP): requirements-lab.lock $(STAMP)
	@$(PIP) install -r requirements-lab.lock
	@touch $@

lab: $(LAB_STAMP) ## Open JupyterLab in de projectomgeving (om notebooks te bekijken of aan te passen)
	@$(BIN)/jupyter lab notebooks/

lock: $(STAMP) ## Werk de lock-bestanden bij na een wijziging in pyproject.toml
	@$(PIP) install uv
	@$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header --quiet -o requirements.lock
	@$(BIN)/uv pip compile pyproject.toml --extra dev --extra lab -c requirements.lock --python-version 3.11 --no-header --quiet -o requirements-lab.lock

clean: ## Verwijder gemaakte verslagen en caches (de omgeving blijft)
	@find reports -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
	@rm -rf .pytest_cache .ruff_cache benchmarks/tmp
	@find . -name __pycache__ -not -path './.venv/*' -exec rm -rf {} +

distclean: clean ## Verwijder ook de omgeving .venv
	@rm -rf $(VENV)
