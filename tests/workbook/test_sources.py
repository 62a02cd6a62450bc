"""Quoting the specs: definitions come out exactly as written, variables in declaration order."""

from __future__ import annotations

import re

from workbook_support import ROOT

from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import load_mapping
from failure_lab.workbook.evidence import read_catalogue
from failure_lab.workbook.sources import definitions, extended_module, variables


def test_every_catalogue_invariant_is_quoted_verbatim_from_its_spec() -> None:
    for entry in read_catalogue(ROOT):
        spec_text = (ROOT / "specs").glob(f"*/{entry.tla.module}.tla")
        text = next(spec_text).read_text(encoding="utf-8")
        assert entry.tla.text in text
        assert entry.tla.text.startswith(f"{entry.name} ==")
        assert text.splitlines()[entry.tla.line - 1].startswith(f"{entry.name} ==")


def test_every_guard_and_its_incorrect_twin_are_found_in_the_design_spec() -> None:
    for fm in load_registry(ROOT).failure_modes:
        assert fm.guard is not None
        found = definitions(extended_module(fm.spec))
        assert found[fm.guard].text.startswith(fm.guard)
        assert found[f"Incorrectly{fm.guard}"].text.startswith(f"Incorrectly{fm.guard}")


def test_action_parameters_are_read_from_the_definition_header() -> None:
    for fm in load_registry(ROOT).failure_modes:
        design = extended_module(fm.spec)
        text = design.read_text(encoding="utf-8")
        for action in load_mapping(fm).actions:
            header = re.search(rf"^{action}(\((.*?)\))?\s*==", text, re.MULTILINE)
            assert header is not None
            written = tuple(p.strip() for p in (header[2] or "").split(",") if p.strip())
            assert definitions(design)[action].params == written


def test_variables_come_in_the_order_of_the_specs_vars_tuple() -> None:
    for design in sorted((ROOT / "specs").glob("*/*.tla")):
        if design.name.startswith("MC"):
            continue
        vars_text = definitions(design)["vars"].text
        in_vars = re.findall(r"[A-Za-z_]\w*", vars_text.split("==", 1)[1])
        assert variables(design) == tuple(in_vars)
