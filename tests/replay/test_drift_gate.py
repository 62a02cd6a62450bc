"""The drift gate: every spec action and variable has its mapping, and the mapping names nothing else.

The spec is the only list of actions and their parameters: each is read from its source (``Next``
and the definition headers) and compared with the one declaration the mapping makes of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from failure_lab.trace_check.parse import Fcn, ModelValue, parse_value
from failure_lab.trace_check.registry import FailureMode, load_registry
from failure_lab.trace_check.replay import SpecMapping, load_mapping
from failure_modes.mappings import a09, fm001, jobs, partial_write, poison

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT)
SPECS = {path.stem: path for path in ROOT.glob("specs/*/*.tla") if not path.stem.startswith("MC")}


def _block(text: str, header: str) -> str:
    """The lines after ``header`` up to the next blank line."""
    match = re.search(rf"^{header}.*?(?=^\s*$)", text, re.MULTILINE | re.DOTALL)
    assert match is not None, f"no {header} in the spec"
    block = re.sub(r"\(\*.*?\*\)", "", match.group(0), flags=re.DOTALL)
    return re.sub(r"\\\*.*$", "", block, flags=re.MULTILINE)


def spec_variables(text: str) -> set[str]:
    """The names declared in the spec's VARIABLES block."""
    return set(re.findall(r"\b([a-z][A-Za-z]*)\b", _block(text, "VARIABLES")))


def spec_actions(text: str) -> set[str]:
    """The actions ``Next`` is made of (the horizon's ``Done`` stutter is not a step)."""
    constants = set(re.findall(r"\b([A-Z][A-Za-z]*)\b", _block(text, "CONSTANTS")))
    named = set(re.findall(r"(?<!\\)\b([A-Z][A-Za-z]*)\b", _block(text, "Next ==")))
    return named - constants - {"Next", "Done"}


def drift(mapping: SpecMapping, spec_text: str) -> list[str]:
    """Every way the mapping and the spec disagree, in words."""
    problems = []
    actions, variables = spec_actions(spec_text), spec_variables(spec_text) - {mapping.label}
    problems += [f"spec action {a} has no mapping" for a in sorted(actions - set(mapping.actions))]
    problems += [
        f"mapping names action {a}, which the spec lacks" for a in sorted(set(mapping.actions) - actions)
    ]
    problems += [f"spec variable {v} has no abstraction" for v in sorted(variables - mapping.variables)]
    problems += [
        f"mapping names variable {v}, which the spec lacks" for v in sorted(mapping.variables - variables)
    ]
    produced = set(mapping.abstract(mapping.start(frozenset())))
    problems += [f"abstract() does not produce {v}" for v in sorted(mapping.variables - produced)]
    declared = spec_parameters(spec_text)
    problems += [
        f"mapping gives {a} the parameters ({', '.join(mapping.actions[a].params)}),"
        f" the spec ({', '.join(declared[a])})"
        for a in sorted(actions & set(mapping.actions))
        if mapping.actions[a].params != declared.get(a)
    ]
    return problems


def spec_parameters(text: str) -> dict[str, tuple[str, ...]]:
    """Every top-level definition's parameter names: ``Claim(w, j) ==`` gives ``Claim: (w, j)``."""
    return {
        name: tuple(p.strip() for p in params.split(",")) if params else ()
        for name, params in re.findall(r"^([A-Z][A-Za-z]*)(?:\(([^)]*)\))? ==", text, re.MULTILINE)
    }


@pytest.mark.parametrize("fm", REGISTRY.failure_modes, ids=lambda fm: fm.id)
def test_mapping_covers_exactly_the_specs_actions_and_variables(fm: FailureMode) -> None:
    mapping = load_mapping(fm)
    text = SPECS[mapping.spec_module].read_text()
    assert drift(mapping, text) == []


def test_gate_names_a_new_spec_action_and_a_renamed_variable() -> None:
    text = (
        SPECS["A09"].read_text().replace("\\/ Done", "\\/ \\E w \\in Workers : Heartbeat(w)\n    \\/ Done", 1)
    )
    text = text.replace("    taken,", "    inFlight,", 1)
    text = text.replace("RejectStale(w) ==", "RejectStale(w, r) ==", 1)
    assert drift(load_mapping(REGISTRY.get("a09_stale_epoch")), text) == [
        "spec action Heartbeat has no mapping",
        "spec variable inFlight has no abstraction",
        "mapping names variable taken, which the spec lacks",
        "mapping gives RejectStale the parameters (w), the spec (w, r)",
    ]


@pytest.mark.parametrize("fm", REGISTRY.failure_modes, ids=lambda fm: fm.id)
def test_manifest_guard_is_a_runtime_guard(fm: FailureMode) -> None:
    from failure_lab.python_impl import Guards

    assert fm.python_guard in Guards.names()


def _definition(path: Path, name: str) -> str:
    match = re.search(rf"^{name} == (.+)$", path.read_text(), re.MULTILINE)
    assert match is not None, f"{name} is not defined in {path.name}"
    return match.group(1)


def _cfg_number(path: Path, name: str) -> int:
    match = re.search(rf"^\s*{name} = (\d+)$", path.read_text(), re.MULTILINE)
    assert match is not None, f"{name} is not set in {path.name}"
    return int(match.group(1))


def test_a09_mapping_constants_are_the_bounded_models() -> None:
    module, cfg = ROOT / "specs/a09/MCA09.tla", ROOT / "specs/a09/MCA09.cfg"
    due = parse_value(_definition(module, "MCDueAt"))
    assert isinstance(due, Fcn)
    assert {key.name: value for key, value in due.pairs if isinstance(key, ModelValue)} == a09.DUE_AT
    assert parse_value(_definition(module, "MCWorkers")) == frozenset(ModelValue(w) for w in a09.WORKERS)
    assert tuple(_cfg_number(cfg, name) for name in ("MaxTime", "MaxEpoch", "LeaseTtl")) == (
        a09.MAX_TIME,
        a09.MAX_EPOCH,
        a09.LEASE_TTL,
    )


def test_fm001_mapping_constants_are_the_bounded_models() -> None:
    module, cfg = ROOT / "specs/fm001/MCLeaseExpiry.tla", ROOT / "specs/fm001/MCLeaseExpiry.cfg"
    assert parse_value(_definition(module, "MCJobs")) == frozenset(ModelValue(j) for j in fm001.JOBS)
    assert parse_value(_definition(module, "MCWorkers")) == frozenset(ModelValue(w) for w in fm001.WORKERS)
    assert tuple(_cfg_number(cfg, name) for name in ("MaxTime", "MaxEpoch", "LeaseTtl")) == (
        fm001.MAX_TIME,
        fm001.MAX_EPOCH,
        fm001.LEASE_TTL,
    )


def test_jobs_mapping_constants_are_the_bounded_models() -> None:
    module, cfg = ROOT / "specs/jobs/MCJobs.tla", ROOT / "specs/jobs/MCJobs.cfg"
    assert parse_value(_definition(module, "MCJobs")) == frozenset(ModelValue(j) for j in jobs.JOBS)
    assert parse_value(_definition(module, "MCWorkers")) == frozenset(ModelValue(w) for w in jobs.WORKERS)
    assert (_cfg_number(cfg, "Budget"), _cfg_number(cfg, "MaxEpoch")) == (jobs.BUDGET, jobs.MAX_EPOCH)


def test_poison_mapping_constants_are_the_bounded_models() -> None:
    module, cfg = ROOT / "specs/poison/MCPoison.tla", ROOT / "specs/poison/MCPoison.cfg"
    assert parse_value(_definition(module, "MCJobs")) == frozenset(ModelValue(j) for j in poison.JOBS)
    assert parse_value(_definition(module, "MCWorkers")) == frozenset(ModelValue(w) for w in poison.WORKERS)
    assert (_cfg_number(cfg, "Budget"), _cfg_number(cfg, "MaxEpoch")) == (poison.BUDGET, poison.MAX_EPOCH)


def test_partial_write_mapping_constants_are_the_bounded_models() -> None:
    module, cfg = (
        ROOT / "specs/partial_write/MCPartialWrite.tla",
        ROOT / "specs/partial_write/MCPartialWrite.cfg",
    )
    assert parse_value(_definition(module, "MCJobs")) == frozenset(ModelValue(j) for j in partial_write.JOBS)
    assert parse_value(_definition(module, "MCWorkers")) == frozenset(
        ModelValue(w) for w in partial_write.WORKERS
    )
    assert _cfg_number(cfg, "MaxEpoch") == partial_write.MAX_EPOCH
