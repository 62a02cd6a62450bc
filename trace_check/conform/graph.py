"""The model's reachable state graph for one variant, dumped by TLC through the cached runner."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from failure_lab.trace_check.conform.errors import ConformError
from failure_lab.trace_check.registry import Variant
from failure_lab.trace_check.state_graph import StateGraph, parse_state_graph
from failure_lab.trace_check.tlc import Outcome, TlcRequest, TlcResult, Workspace, run_tlc

# With a temporal property to check TLC also dumps each state's implicit stuttering step, as a
# dashed self-loop with no action. It is no step of the spec's Next; the reader does not take it.
_STUTTER = re.compile(r'^(-?\d+) -> \1 \[style="dashed"\];\n', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class DumpedGraph:
    """The graph and the TLC run that explored it."""

    graph: StateGraph
    result: TlcResult


def graph_request(spec: Path, variant: Variant, *, use_cache: bool = True) -> TlcRequest:
    """The TLC run that dumps ``variant``'s whole graph.

    A bug config stops at its first violation, which would leave most of the graph unexplored:
    ``-continue`` makes TLC go on and dump every reachable state, the violating ones included.
    (The runner checks temporal properties once, at the end, so a lasso cannot end the search
    early either.)
    """
    extra: tuple[str, ...] = ()
    if variant.expect is Outcome.INVARIANT_VIOLATED:
        extra = ("-continue",)
    return TlcRequest(
        spec=spec,
        config=variant.config,
        tlc_args=(*variant.tlc_args, *extra),
        use_cache=use_cache,
        dump_graph=True,
    )


def dump_graph(
    spec: Path,
    variant: Variant,
    workspace: Workspace,
    *,
    use_cache: bool = True,
    request: TlcRequest | None = None,
) -> DumpedGraph:
    """Run TLC (or take its cached run) on ``variant`` and read the graph it dumped.

    ``request`` is the variant's ``graph_request`` when the caller has it already (a conformance key does).
    """
    request = replace(request or graph_request(spec, variant), use_cache=use_cache)
    result = run_tlc(request, workspace)
    if result.outcome.is_tool_error or result.graph is None or not result.graph.is_file():
        raise ConformError(f"{variant.config.name}: no state graph: {result.problem()}")
    if result.outcome is not variant.expect:
        raise ConformError(
            f"{variant.config.name}: TLC says {result.outcome}, the manifest expects {variant.expect}"
        )
    text = _STUTTER.sub("", result.graph.read_text(encoding="utf-8"))
    return DumpedGraph(parse_state_graph(text, source=str(result.graph)), result)
