# The verbs people type. `make demo` and `make test` work from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
EULEREYE := $(VENV)/bin/eulereye
# Offline machines take Terraform providers from a local mirror (empty elsewhere).
TF_CLI_CONFIG := $(shell scripts/terraform-cli-config.sh)
ifneq ($(TF_CLI_CONFIG),)
export TF_CLI_CONFIG_FILE := $(TF_CLI_CONFIG)
endif

.PHONY: help install system-deps demo test unit bench clean
help:  ## list the verbs
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(VENV)/.installed: requirements.txt requirements-fcn.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed system-deps  ## install Python packages (.venv) and Tesseract

system-deps:
	@scripts/install-system-deps.sh

demo: install  ## process the bundled sample pages into ./out
	$(EULEREYE) process samples/pages --out out
	@echo "Done: text in out/ocr_plain_text/, ALTO in out/alto/, per-page manifests in out/manifest/"

test: testdata install  ## run every test (unit, pipeline, AWS-emulated, terraform)
	$(PY) -m pytest -n 2 --dist loadgroup

bench: testdata install  ## benchmark against plain tesseract; writes bench/RESULTS.md
	$(PY) bench/run.py

clean:  ## remove outputs and the virtualenv
	rm -rf out $(VENV) .pytest_cache

-include mk/*.mk
