"""Conformance's reach on one variant: the figures kept for today's graph, else conformance run now.

``failure-lab conform`` keeps each variant's figures as ``build/conform/<fm>-<variant>.json``, named
with the dump of the graph it checked (whose name carries the TLC run's cache key). When that file
is for the graph TLC dumps today (same dump, same states and edges), its figures are taken as they
are; otherwise conformance runs now and its figures are kept there in the same form. The runtime
may have changed since the file was written: ``--rerun-conformance`` runs it regardless.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trace_check.conform import DumpedGraph, VariantConformance, conform, guards_off
from trace_check.coverage.figures import Reach
from trace_check.coverage.relevance import GraphIndex
from trace_check.registry import FailureMode, Variant
from trace_check.replay.mapping import SpecMapping
from trace_check.state_graph import StateGraph
from trace_check.tlc import Workspace


def figures_path(workspace: Workspace, fm: str, variant: str) -> Path:
    """Where ``failure-lab conform`` keeps a variant's figures."""
    return workspace.build / "conform" / f"{fm}-{variant}.json"


def saved_figures(
    path: Path, fm: str, variant: str, graph_name: str, graph: StateGraph
) -> dict[str, Any] | None:
    """The figures kept at ``path`` when they are this variant's for this graph, else None."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # none kept, or a half-written file: run conformance again
    if not isinstance(document, dict):
        return None
    same = (
        document.get("fm") == fm
        and document.get("variant") == variant
        and document.get("graph") == graph_name
        and document.get("states") == len(graph.states)
        and document.get("edges") == len(graph.edges)
    )
    if not same or _coverage(document) is None:
        return None
    if not all(isinstance(document.get(key), int) for key in ("states_reached", "mismatches")):
        return None
    return document


def _coverage(document: Mapping[str, Any]) -> dict[str, tuple[int, int]] | None:
    """``coverage`` as action -> (edges, checked), or None when it is not in that form."""
    coverage = document.get("coverage")
    if not isinstance(coverage, dict):
        return None
    found: dict[str, tuple[int, int]] = {}
    for action, figures in coverage.items():
        if not isinstance(figures, dict):
            return None
        edges, checked = figures.get("edges"), figures.get("checked")
        if not isinstance(edges, int) or not isinstance(checked, int):
            return None
        found[action] = (edges, checked)
    return found


def _keep(path: Path, document: Mapping[str, Any]) -> None:
    """Write ``document`` whole or not at all: other commands read these files while we write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(json.dumps(document, indent=2) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def conformance_reach(
    fm: FailureMode,
    variant: Variant,
    dumped: DumpedGraph,
    mapping: SpecMapping,
    workspace: Workspace,
    index: GraphIndex,
    *,
    rerun: bool = False,
) -> tuple[Reach, bool]:
    """Conformance's edges checked per action and the states it reached; True when the kept figures served."""
    graph_name = dumped.result.graph.name if dumped.result.graph is not None else ""
    path = figures_path(workspace, fm.id, variant.name)
    document = None if rerun else saved_figures(path, fm.id, variant.name, graph_name, dumped.graph)
    reused = document is not None
    if document is None:
        result = conform(dumped.graph, mapping, guards_off(fm, variant))
        ran = VariantConformance(
            fm.id, variant.name, result, dumped.result.seconds, dumped.result.cached, graph_name
        )
        document = ran.as_json()
        _keep(path, document)
    coverage = _coverage(document) or {}
    reached, mismatches = document["states_reached"], document["mismatches"]
    # Conformance reaches states breadth-first through the edges it matched and keeps only their
    # number: when that is every state of the graph we know which, otherwise we cannot say.
    states = index.states if reached == len(dumped.graph.states) else None
    detail = (
        f"{document.get('edges_checked')} of {document.get('edges')} edges checked, {mismatches} mismatches"
    )
    steps = {action: checked for action, (_, checked) in coverage.items()}
    return Reach("conformance", True, steps, states, detail=detail), reused
