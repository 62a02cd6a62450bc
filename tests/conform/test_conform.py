"""Whole-state-graph conformance on every failure mode and variant (needs Java; TLC runs are cached)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from failure_lab.cli import main
from failure_lab.trace_check.conform import conform, conform_variant, dump_graph
from failure_lab.trace_check.conform.graph import graph_config
from failure_lab.trace_check.conform.restore import Rewinder, restore, save
from failure_lab.trace_check.parse import ModelValue, parse_state_graph
from failure_lab.trace_check.registry import FailureMode, Variant, load_registry
from failure_lab.trace_check.replay import MappingError, load_mapping
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = Workspace(build=ROOT / "build")
REGISTRY = load_registry(ROOT)
# The largest graphs take tens of seconds each and are left to `make conform FM=...`; every failure
# mode keeps at least one variant here.
LARGE = {
    ("fm002_idempotency_boundary", "bug"),
    ("fm003_stuck_queue", "fixed"),
    ("fm004_retry_amplification", "bug"),
    ("fm005_zombie_after_partition", "fixed"),  # the graph of fm002's and fm004's fixed variants
}


CASES = [
    pytest.param(fm, variant, id=f"{fm.id}-{variant.name}")
    for fm in REGISTRY.failure_modes
    for variant in fm.variants
    if (fm.id, variant.name) not in LARGE and not fm.pending
]


def test_every_failure_mode_has_a_variant_in_the_suite() -> None:
    covered = {param.values[0].id for param in CASES}  # type: ignore[union-attr]
    assert covered == {fm.id for fm in REGISTRY.failure_modes if not fm.pending}


@pytest.mark.parametrize(("fm", "variant"), CASES)
def test_runtime_takes_every_edge_and_only_edges(fm: FailureMode, variant: Variant) -> None:
    result = conform_variant(fm, variant, WORKSPACE).conformance
    assert result.states > 0
    assert result.states_reached == result.states
    assert [m.describe() for m in result.shown] == []
    assert result.edges_checked == result.edges
    assert all(checked == edges for edges, checked in result.coverage.values())


def test_a_guard_switched_off_under_the_guarded_graph_is_a_step_not_in_the_graph() -> None:
    fm = REGISTRY.get("a09_duplicate_claim")
    graph = dump_graph(fm.spec, fm.variant("fixed"), WORKSPACE).graph
    result = conform(graph, load_mapping(fm), frozenset({"exclusive_claim"}))
    assert result.mismatches > 0
    first = result.shown[0]
    assert first.kind == "step not in graph"
    assert first.step.startswith("Claim(")
    assert any(call.action == "Claim" for call in first.path)  # a second claim on a claimed unit


def test_the_guarded_runtime_under_the_bug_graph_leaves_edges_untaken() -> None:
    fm = REGISTRY.get("a09_stale_epoch")
    graph = dump_graph(fm.spec, fm.variant("bug"), WORKSPACE).graph
    result = conform(graph, load_mapping(fm), frozenset())
    kinds = {mismatch.kind for mismatch in result.shown}
    assert "edge not taken" in kinds
    assert result.edges_checked < result.edges


def test_a_restore_brings_back_the_store_clock_attempts_and_scanner_memory() -> None:
    mapping = load_mapping(REGISTRY.get("a09_stale_epoch"))
    system = mapping.start(frozenset())
    r1, w1 = ModelValue("r1"), ModelValue("w1")
    before = mapping.abstract(system)
    saved = save(system)
    for action, args in (
        ("Tick", {}),
        ("Scan", {"r": r1}),
        ("Materialize", {"r": r1}),
        ("Claim", {"w": w1, "r": r1}),
    ):
        mapping.actions[action](system, args)
    assert mapping.abstract(system) != before
    restore(system, saved)
    assert mapping.abstract(system) == before
    assert system.held == {}
    mapping.actions["Tick"](system, {})
    mapping.actions["Scan"](system, {"r": r1})
    assert system.queue.inspect().taken == frozenset({"r1"})


def test_the_config_without_its_verdicts_keeps_every_other_section_and_comment() -> None:
    text = (
        '\\* The bug: INVARIANT checks nothing here\nCONSTANTS\n    w1 = w1\n    Name = "PROPERTY"\n'
        "SPECIFICATION LiveSpec\nVIEW view\n\nINVARIANTS\n    TypeOK\n    (* kept? no *) Safe\n"
        "PROPERTY Live\nCONSTANT Guard <- IncorrectlyGuard (* the one change *)\nINVARIANT Other\n"
    )
    assert graph_config(text) == (
        '\\* The bug: INVARIANT checks nothing here\nCONSTANTS\n    w1 = w1\n    Name = "PROPERTY"\n'
        "SPECIFICATION LiveSpec\nVIEW view\n\nCONSTANT Guard <- IncorrectlyGuard (* the one change *)\n"
    )


@pytest.mark.parametrize(
    ("fm_id", "variant"), [("a09_stale_epoch", "bug"), ("a09_missing_materialization", "liveness")]
)
def test_the_graph_without_verdicts_is_the_graph_tlc_checks(fm_id: str, variant: str) -> None:
    # TLC checking the invariants (on to the end, -continue) or the property, and dumping as it goes.
    fm = REGISTRY.get(fm_id)
    checked = fm.variant(variant)
    continued = ("-continue",) if checked.expect is Outcome.INVARIANT_VIOLATED else ()
    request = TlcRequest(spec=fm.spec, config=checked.config, tlc_args=continued, dump_graph=True)
    result = run_tlc(request, WORKSPACE)
    assert result.outcome is checked.expect and result.graph is not None
    full = parse_state_graph(result.graph.read_text(encoding="utf-8"))
    free = dump_graph(fm.spec, checked, WORKSPACE)
    assert free.result.outcome is Outcome.OK
    assert (dict(free.graph.states), free.graph.initial) == (dict(full.states), full.initial)
    assert Counter(free.graph.edges) == Counter(full.edges)


def test_a_rewind_reads_the_store_back_after_a_step_that_wrote_and_only_then() -> None:
    mapping = load_mapping(REGISTRY.get("fm002_idempotency_boundary"))
    system = mapping.start(frozenset())
    store = system.queue.store._db
    w1, j1 = ModelValue("w1"), ModelValue("j1")
    saved, before = save(system), mapping.abstract(system)
    rewinder = Rewinder(system)
    rewinder.restore(saved)
    deserialized = []

    class Watched:
        """The store's connection, counting the times its bytes are put back."""

        def __getattr__(self, name: str) -> object:
            return getattr(store, name)

        def deserialize(self, data: bytes) -> None:
            deserialized.append(len(data))
            store.deserialize(data)

    rewinder._db = Watched()
    with pytest.raises(MappingError):  # refused before the runtime is touched: nothing to read back
        mapping.actions["Apply"](system, {"w": w1})
    rewinder.restore(saved)
    assert deserialized == []
    mapping.actions["Claim"](system, {"w": w1, "j": j1})  # a write, and the worker's memory
    assert mapping.abstract(system) != before
    rewinder.restore(saved)
    assert len(deserialized) == 1
    assert (mapping.abstract(system), store.serialize(), system.held) == (before, saved.database, {})


def test_conform_json_has_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["conform", "a09_early_release", "--variant", "fixed", "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"states", "edges", "edges_checked", "mismatches", "seconds", "coverage"} <= set(document)
    assert document["edges_checked"] == document["edges"]
    assert document["coverage"]["Claim"]["checked"] == document["coverage"]["Claim"]["edges"]


def test_conform_reports_an_unknown_variant_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["conform", "a09_early_release", "--variant", "nope"])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1
    assert "has no variant 'nope'" in error


def test_conform_keeps_its_figures_under_build_for_the_pages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conform", "a09_checkpoint_advance", "--variant", "fixed", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    kept = json.loads((ROOT / "build" / "conform" / "a09_checkpoint_advance-fixed.json").read_text())
    assert {key: kept[key] for key in ("states", "edges", "edges_checked", "mismatches", "graph")} == {
        key: printed[key] for key in ("states", "edges", "edges_checked", "mismatches", "graph")
    }
    assert kept["graph"].endswith(".dot")
