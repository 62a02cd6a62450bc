"""The coverage report, made through `failure-lab coverage` and checked against its sources.

The report for two failure modes is written where CI keeps it (build/coverage/); each figure is
then recomputed here from what it counts: the graph TLC dumps, the saved ITF traces, the recorded
runs. Needs Java the first time (TLC's graph dumps are cached).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from failure_lab.cli import main
from failure_lab.trace_check.conform import ConformanceCache, conformance_key, dump_graph
from failure_lab.trace_check.conform.engine import calls_of, horizon_of, view_of
from failure_lab.trace_check.conform.run import guards_off
from failure_lab.trace_check.labels import LABEL, read_call
from failure_lab.trace_check.parse import StateGraph, Trace, loads_itf
from failure_lab.trace_check.registry import FailureMode, Variant, load_registry
from failure_lab.trace_check.replay import load_mapping
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate.record import random_run

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = Workspace(build=ROOT / "build")
REGISTRY = load_registry(ROOT)
# Two small models of two different specs: the report spans specs, and stays quick.
CHOSEN = ("a09_stale_epoch", "fm001_lease_expiry_duplicate")


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """The report of CHOSEN as `failure-lab coverage --json` prints it, written to build/coverage/."""
    code, out = _run("coverage", *CHOSEN, "--json")
    assert code == 0
    document: dict[str, Any] = json.loads(out)
    return document


def _variants() -> Iterator[tuple[FailureMode, Variant]]:
    for fm_id in CHOSEN:
        fm = REGISTRY.get(fm_id)
        for variant in fm.variants:
            yield fm, variant


VARIANTS = [pytest.param(fm, variant, id=f"{fm.id}-{variant.name}") for fm, variant in _variants()]


def _figures(report: dict[str, Any], fm: str, variant: str) -> dict[str, Any]:
    (found,) = (
        v for f in report["failure_modes"] if f["fm"] == fm for v in f["variants"] if v["variant"] == variant
    )
    return found


def _column(figures: dict[str, Any], source: str) -> dict[str, int | None]:
    return {action: counts[source] for action, counts in figures["actions"].items()}


def _graph(fm: FailureMode, variant: Variant) -> StateGraph:
    return dump_graph(fm.spec, variant, WORKSPACE).graph


def _edges_per_action(fm: FailureMode, graph: StateGraph) -> dict[str, int]:
    counts = Counter(edge.action for edge in graph.edges)
    return {action: counts[action] for action in load_mapping(fm).actions}


def _trace(fm: FailureMode, variant: Variant) -> Trace | None:
    path = fm.manifest.parent / "traces" / f"{variant.name}.itf.json"
    if not path.is_file():
        return None
    (trace,) = loads_itf(path.read_text(encoding="utf-8"), source=str(path))
    return trace


def _steps(trace: Trace) -> list[str]:
    return [read_call(state.variables[LABEL], "").action for state in trace.states[1:]]


def test_the_report_is_written_where_ci_keeps_it(report: dict[str, Any]) -> None:
    kept = json.loads((ROOT / "build" / "coverage" / "coverage.json").read_text(encoding="utf-8"))
    markdown = (ROOT / "build" / "coverage" / "coverage.md").read_text(encoding="utf-8")
    assert [fm["fm"] for fm in kept["failure_modes"]] == list(CHOSEN)
    assert kept["total"] == report["total"]
    assert "## Totals" in markdown
    for fm_id in CHOSEN:
        assert f"## {fm_id}: {REGISTRY.get(fm_id).title}" in markdown


@pytest.mark.parametrize(("fm", "variant"), VARIANTS)
def test_graph_and_conformance_count_each_actions_edges(
    report: dict[str, Any], fm: FailureMode, variant: Variant
) -> None:
    graph = _graph(fm, variant)
    figures = _figures(report, fm.id, variant.name)
    expected = _edges_per_action(fm, graph)
    assert _column(figures, "graph") == expected
    assert _column(figures, "conformance") == expected  # conformance checks every edge of these models
    assert figures["states"] == len(graph.states)
    assert figures["edges"] == len(graph.edges)
    assert sum(figures["model_steps"].values()) + sum(expected.values()) == len(graph.edges)


@pytest.mark.parametrize(("fm", "variant"), VARIANTS)
def test_replays_count_the_steps_of_the_saved_trace(
    report: dict[str, Any], fm: FailureMode, variant: Variant
) -> None:
    figures = _figures(report, fm.id, variant.name)
    trace = _trace(fm, variant)
    if trace is None:
        assert _column(figures, "repro") == dict.fromkeys(figures["actions"])
        assert figures["sources"]["prevent"]["applies"] is False
        return
    steps = _steps(trace)
    every = dict.fromkeys(figures["actions"], 0)
    assert _column(figures, "repro") == {**every, **Counter(steps)}
    # Guard on, the runtime takes the trace's steps up to the guarded step it refuses or changes.
    prevent = _column(figures, "prevent")
    prefixes = [
        {**every, **Counter(steps[:end])} for end in range(len(steps)) if steps[end] == fm.guarded_action
    ]
    assert prevent in prefixes


@pytest.mark.parametrize(("fm", "variant"), VARIANTS)
def test_relevant_states_are_where_the_guarded_action_is_enabled(
    report: dict[str, Any], fm: FailureMode, variant: Variant
) -> None:
    graph = _graph(fm, variant)
    figures = _figures(report, fm.id, variant.name)
    own = figures["invariants"][0]
    assert (own["invariant"], own["guarded_action"], own["own"]) == (fm.invariant, fm.guarded_action, True)
    relevant = {
        view_of(graph.states[edge.source], LABEL) for edge in graph.edges if edge.action == fm.guarded_action
    }
    assert own["relevant"] == len(relevant) > 0
    assert own["reached"]["graph"] == [len(relevant), len(relevant)]
    assert own["reached"]["conformance"] == [len(relevant), len(relevant)]
    trace = _trace(fm, variant)
    if trace is not None:
        on_trace = {view_of(state.variables, LABEL) for state in trace.states}
        assert own["reached"]["repro"] == [len(relevant & on_trace), len(relevant)]


@pytest.mark.parametrize(("fm", "variant"), VARIANTS)
def test_recorded_runs_count_the_events_of_the_seeded_runs(
    report: dict[str, Any], fm: FailureMode, variant: Variant
) -> None:
    graph, mapping = _graph(fm, variant), load_mapping(fm)
    settings = report["recorded_runs"]
    runs = [
        random_run(
            mapping,
            guards_off(fm, variant),
            calls_of(graph, mapping),
            seed=settings["seed"] + number,
            steps=settings["steps"],
            horizon=horizon_of(graph),
        )
        for number in range(settings["runs"])
    ]
    events = [event for run in runs for event in run.events[1:] if event.fault is None]
    figures = _figures(report, fm.id, variant.name)
    assert _column(figures, "recorded") == {
        **dict.fromkeys(figures["actions"], 0),
        **Counter(e.action for e in events),
    }
    in_graph = {view_of(variables, LABEL) for variables in graph.states.values()}
    reached = {view_of(dict(event.state), LABEL) for run in runs for event in run.events} & in_graph
    assert figures["sources"]["recorded"]["states_reached"] == len(reached)


def test_an_action_the_model_never_takes_is_uncovered_by_every_source(report: dict[str, Any]) -> None:
    markdown = (ROOT / "build" / "coverage" / "coverage.md").read_text(encoding="utf-8")
    never: list[tuple[FailureMode, Variant, str]] = [
        (fm, variant, action)
        for fm, variant in _variants()
        for action, edges in _edges_per_action(fm, _graph(fm, variant)).items()
        if edges == 0
    ]
    # Each bug variant here switches a guard off, and with it the step that rejects what it fenced.
    assert never
    for fm, variant, action in never:
        figures = _figures(report, fm.id, variant.name)
        for source, uncovered in figures["uncovered"].items():
            assert uncovered is None or action in uncovered, source
        section = markdown.split(f"## {fm.id}:")[1].split(f"### {variant.name}:")[1].split("###")[0]
        (line,) = (line for line in section.splitlines() if line.startswith("Not covered:"))
        assert f"graph: `{action}`" in line
        assert f"conformance: `{action}`" in line


def test_totals_add_up_the_variants_and_count_each_spec_action_once(report: dict[str, Any]) -> None:
    every: set[tuple[str, str]] = set()
    covered: set[tuple[str, str]] = set()
    relevant = reached = 0
    for fm in report["failure_modes"]:
        every |= {(fm["spec"], action) for action in fm["actions"]}
        in_fm = set()
        for variant in fm["variants"]:
            in_fm |= set(fm["actions"]) - set(variant["uncovered"]["recorded"])
            relevant += variant["invariants"][0]["relevant"]
            reached += variant["invariants"][0]["reached"]["recorded"][0]
        assert fm["total"]["actions"]["recorded"] == [len(in_fm), len(fm["actions"])]
        covered |= {(fm["spec"], action) for action in in_fm}
    assert report["total"]["actions"]["recorded"] == [len(covered), len(every)]
    assert report["total"]["relevant"]["recorded"] == [reached, relevant]
    assert report["total"]["relevant"]["graph"] == [relevant, relevant]


def test_conformance_figures_are_the_ones_conformance_keeps_for_todays_sources(
    report: dict[str, Any],
) -> None:
    cache = ConformanceCache(WORKSPACE.build / "conform")
    for fm, variant in _variants():
        record = cache.get(fm.id, variant.name, conformance_key(fm, variant).value)
        assert record is not None, f"{fm.id} ({variant.name}) is not kept"
        checked = {action: checked for action, _, checked in record.coverage}
        conformance = _column(_figures(report, fm.id, variant.name), "conformance")
        assert conformance == {action: checked.get(action, 0) for action in conformance}


def test_out_writes_both_files_there(tmp_path: Path) -> None:
    code, out = _run("coverage", "fm001_lease_expiry_duplicate", "--out", str(tmp_path / "report"))
    assert code == 0
    assert "report: " in out
    document = json.loads((tmp_path / "report" / "coverage.json").read_text(encoding="utf-8"))
    assert [fm["fm"] for fm in document["failure_modes"]] == ["fm001_lease_expiry_duplicate"]
    assert (tmp_path / "report" / "coverage.md").read_text(encoding="utf-8").startswith("# Coverage")


def test_an_unknown_failure_mode_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["coverage", "a09_stale_epoch", "no_such_mode"])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1
    assert "unknown failure mode 'no_such_mode'" in error


def test_a_run_count_below_one_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["coverage", "a09_stale_epoch", "--runs", "0"])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1
    assert "--runs 0: expected a positive number" in error


def test_a_pending_bundle_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "lab"
    shutil.copytree(ROOT / "specs", root / "specs")
    bundle = root / "failure_modes" / "scaffold"
    bundle.mkdir(parents=True)
    (bundle / "failure_mode.toml").write_text(
        'id = "scaffold"\ntitle = "Not yet"\nstatus = "pending"\nspec = "specs/a09/MCA09.tla"\n\n'
        '[variants.fixed]\nconfig = "specs/a09/MCA09.cfg"\nexpect = "ok"\n',
        encoding="utf-8",
    )
    code = main(["coverage", "scaffold", "--root", str(root)])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1
    assert "scaffold is pending" in error
