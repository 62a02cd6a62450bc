"""Collect the coverage of failure modes: each variant's graph, and what every source reached of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from failure_lab.trace_check.conform import ConformanceRecord, dump_graph
from failure_lab.trace_check.coverage.conformance import conformance_reach, conformance_records
from failure_lab.trace_check.coverage.errors import CoverageError
from failure_lab.trace_check.coverage.figures import (
    Coverage,
    FailureModeCoverage,
    InvariantStates,
    RecordedRuns,
    VariantCoverage,
)
from failure_lab.trace_check.coverage.recorded import record_runs, recorded_reach
from failure_lab.trace_check.coverage.relevance import index_graph, protected, relevant_states
from failure_lab.trace_check.coverage.replays import replay_reaches
from failure_lab.trace_check.registry import FailureMode, Registry, Variant
from failure_lab.trace_check.replay.mapping import SpecMapping, load_mapping
from failure_lab.trace_check.tlc import Workspace

RECORDED = RecordedRuns(runs=10, seed=1, steps=40)  # validate's seed and step bound, fewer runs


def spec_actions(fm: FailureMode, mapping: SpecMapping) -> tuple[str, ...]:
    """The spec's actions (the mapping's, which the drift gate keeps equal), in the mapping's order."""
    return tuple(mapping.actions)


def cover_variant(
    fm: FailureMode,
    variant: Variant,
    registry: Registry,
    workspace: Workspace,
    *,
    recorded: RecordedRuns = RECORDED,
    conformance: ConformanceRecord | None = None,
    mapping: SpecMapping | None = None,
) -> VariantCoverage:
    """The variant's graph (TLC's cached dump) and the reach of conformance, the replays, recorded runs.

    ``conformance`` is the variant's record from conformance's cache; without it, it is looked up
    (and measured when missing).
    """
    if fm.invariant is None or fm.guarded_action is None:
        raise CoverageError(f"{fm.id}: its manifest names no invariant and guarded_action to cover")
    mapping = mapping or load_mapping(fm)
    dumped = dump_graph(fm.spec, variant, workspace)
    graph = dumped.graph
    index = index_graph(graph, mapping.label)
    actions = spec_actions(fm, mapping)
    per_action = Counter(edge.action or "?" for edge in graph.edges)
    record = conformance or conformance_records([(fm, variant)], workspace)[(fm.id, variant.name)]
    repro, prevent = replay_reaches(fm, variant, mapping, index)
    runs = recorded_reach(record_runs(fm, variant, mapping, graph, recorded), index)
    invariants = tuple(
        InvariantStates(
            item, relevant_states(graph, item.guarded_action, mapping.label), own=item.fm == fm.id
        )
        for item in protected(fm, registry)
    )
    return VariantCoverage(
        fm=fm.id,
        variant=variant.name,
        spec_actions=actions,
        states=len(graph.states),
        views=len(index.states),
        edges=len(graph.edges),
        graph_steps={action: per_action[action] for action in actions},
        model_steps={action: n for action, n in sorted(per_action.items()) if action not in actions},
        reaches=(conformance_reach(record, graph, index), repro, prevent, runs),
        invariants=invariants,
        conformance_kept=record.cached,
    )


def chosen(registry: Registry, fm_ids: Sequence[str]) -> tuple[FailureMode, ...]:
    """The failure modes named (each once, in the order given), or every ready one; unknown ids fail."""
    if not fm_ids:
        return registry.failure_modes
    failure_modes = tuple(registry.get(fm_id) for fm_id in dict.fromkeys(fm_ids))
    for fm in failure_modes:
        if fm.pending:
            raise CoverageError(f"{fm.id} is pending: its bundle is a scaffold, with nothing yet to cover")
    return failure_modes


def cover(
    failure_modes: Sequence[FailureMode],
    registry: Registry,
    workspace: Workspace,
    *,
    recorded: RecordedRuns = RECORDED,
    rerun_conformance: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Coverage:
    """The coverage report of ``failure_modes``, every variant of each."""
    pairs = [(fm, variant) for fm in failure_modes for variant in fm.variants]
    if progress is not None:
        progress("conformance (kept figures, or measured now)")
    records = conformance_records(pairs, workspace, rerun=rerun_conformance)
    covered: list[FailureModeCoverage] = []
    for fm in failure_modes:
        mapping = load_mapping(fm)
        variants: list[VariantCoverage] = []
        for variant in fm.variants:
            if progress is not None:
                progress(f"{fm.id} ({variant.name})")
            variants.append(
                cover_variant(
                    fm,
                    variant,
                    registry,
                    workspace,
                    recorded=recorded,
                    conformance=records[(fm.id, variant.name)],
                    mapping=mapping,
                )
            )
        spec = fm.spec.relative_to(registry.root) if fm.spec.is_relative_to(registry.root) else fm.spec
        covered.append(
            FailureModeCoverage(
                fm=fm.id,
                title=fm.title,
                spec=spec.as_posix(),
                invariant=fm.invariant,
                guarded_action=fm.guarded_action,
                spec_actions=spec_actions(fm, mapping),
                variants=tuple(variants),
            )
        )
    return Coverage(tuple(covered), recorded)
