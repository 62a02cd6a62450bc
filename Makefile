# The front door: one command per target, every target sets up what it needs first.
# Logic lives in Python (trace_check, bench); this file only names the commands.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Written after a successful sync; newer inputs mean the environment is out of date.
SYNCED := $(VENV)/.synced

.DEFAULT_GOAL := help
.PHONY: help sync test tlc check list replay fixtures workbook bench lint test-fm test-fm-fix test-fm1 test-fm1-fix new conform validate mutants coverage

help:
	@echo "make sync                              create .venv and install the pinned dependencies"
	@echo "make test                              run the whole test suite"
	@echo "make tlc FM=<id> [VARIANT=bug|fixed]   check one failure mode with TLC (see: make list)"
	@echo "make check                             every failure mode and variant against its expectation"
	@echo "make list                              the failure modes and their variants"
	@echo "make bench                             benchmarks, results in build/bench/results.json"
	@echo "make lint                              ruff and mypy"
	@echo "make workbook                          render the workbook from fresh results into build/workbook"
	@echo "make replay FM=<id> [VARIANT=bug]      replay its counterexample against the runtime, guard off and on"
	@echo "make fixtures                          re-record the saved counterexamples (read the diff first)"
	@echo "make conform FM=<id> [VARIANT=fixed]   drive the model's whole state graph into the runtime, both ways"
	@echo "make validate FM=<id> [VARIANT=fixed]  check recorded runs of the runtime against the spec with TLC"
	@echo "make mutants                           every deliberate runtime mutant must be caught by some check"
	@echo "make coverage [FM=\"<id> ...\"]          actions and relevant states each check reached, into build/coverage"
	@echo "make test-fm FM=<id>                   reproduce one failure mode (its repro tests)"
	@echo "make test-fm-fix FM=<id>               prove its guard and recovery (prevent and recover tests)"
	@echo "make test-fm1, make test-fm1-fix       the same for FM_001"
	@echo "make new FM=<id> TITLE=\"...\"           scaffold a pending failure-mode bundle"

sync: $(SYNCED)

$(SYNCED): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# -qq: errors only; a machine's pip configuration may otherwise warn once per package.
	$(BIN)/python -m pip install -qq -r requirements.lock
	@# setuptools warns on every editable install that local folders shadow installed ones; we know.
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

test: sync
	$(BIN)/pytest -n auto

tlc: sync
	@test -n "$(FM)" || { echo "usage: make tlc FM=<id> [VARIANT=bug|fixed]; the ids: make list" >&2; exit 2; }
	$(BIN)/failure-lab tlc $(FM) $(if $(VARIANT),--variant $(VARIANT))

check: sync
	$(BIN)/failure-lab check

list: sync
	@$(BIN)/failure-lab list

replay: sync
	@test -n "$(FM)" || { echo "usage: make replay FM=<id> [VARIANT=bug|liveness]; the ids: make list" >&2; exit 2; }
	$(BIN)/failure-lab replay $(FM) $(if $(VARIANT),--variant $(VARIANT))

fixtures: sync
	$(BIN)/failure-lab fixtures

conform: sync
	$(BIN)/failure-lab conform $(FM) $(if $(VARIANT),--variant $(VARIANT))

validate: sync
	$(BIN)/failure-lab validate $(FM) $(if $(VARIANT),--variant $(VARIANT))

mutants: sync
	$(BIN)/failure-lab mutants

coverage: sync
	$(BIN)/failure-lab coverage $(FM)

workbook: sync
	$(BIN)/failure-lab workbook

bench: sync
	$(BIN)/python -m bench

lint: sync
	$(BIN)/ruff check .
	$(BIN)/mypy

test-fm: sync
	@test -n "$(FM)" || { echo "usage: make test-fm FM=<id>; the ids: make list" >&2; exit 2; }
	$(BIN)/pytest failure_modes/$(FM) -k repro

test-fm-fix: sync
	@test -n "$(FM)" || { echo "usage: make test-fm-fix FM=<id>; the ids: make list" >&2; exit 2; }
	$(BIN)/pytest failure_modes/$(FM) -k "prevent or recover"

test-fm1:
	$(MAKE) test-fm FM=fm001_lease_expiry_duplicate

test-fm1-fix:
	$(MAKE) test-fm-fix FM=fm001_lease_expiry_duplicate

new: sync
	@test -n "$(FM)" -a -n "$(TITLE)" || { echo 'usage: make new FM=<id> TITLE="..."' >&2; exit 2; }
	$(BIN)/failure-lab new $(FM) --title "$(TITLE)"
