"""The model's reachable state graph for one variant, dumped by TLC through the cached runner.

Conformance needs TLC's states and steps, not its verdicts: the dump runs on the variant's config
without its invariants and properties (``graph_config``). The graph is the same one, state for
state and edge for edge (a test compares them), and TLC neither stops at a violation nor spends the
run checking liveness and printing counterexamples no one reads; whether the variant's verdict is
the expected one is ``failure-lab check``'s to say.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from failure_lab.trace_check.conform.errors import ConformError
from failure_lab.trace_check.parse import StateGraph, parse_state_graph
from failure_lab.trace_check.registry import Variant
from failure_lab.trace_check.tlc import Outcome, TlcRequest, TlcResult, Workspace, run_tlc

# The sections of a TLC config, and those that ask for verdicts rather than states.
_SECTION = re.compile(
    r"\b(CONSTANTS?|CONSTRAINTS?|ACTION_CONSTRAINTS?|INVARIANTS?|INIT|NEXT|VIEW|SYMMETRY|SPECIFICATION"
    r"|PROPERTY|PROPERTIES|TYPE_CONSTRAINT|TYPE|CHECK_DEADLOCK|POSTCONDITION|ALIAS)\b"
)
_VERDICTS = frozenset({"INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES"})
# Comments and strings, blanked before sections are looked for (a comment may name one).
_OPAQUE = re.compile(r'\\\*[^\n]*|\(\*.*?\*\)|"(?:[^"\\\n]|\\.)*"', re.DOTALL)


@dataclass(frozen=True, slots=True)
class DumpedGraph:
    """The graph and the TLC run that explored it."""

    graph: StateGraph
    result: TlcResult


def graph_request(spec: Path, variant: Variant, *, use_cache: bool = True) -> TlcRequest:
    """The TLC run that dumps ``variant``'s whole graph: its config and arguments, and ``-deadlock``
    (a state without successors is a state of the graph, not the end of it). ``dump_graph`` runs it
    on the config without its verdicts."""
    deadlock = () if "-deadlock" in variant.tlc_args else ("-deadlock",)
    return TlcRequest(
        spec=spec,
        config=variant.config,
        tlc_args=(*variant.tlc_args, *deadlock),
        use_cache=use_cache,
        dump_graph=True,
    )


def graph_config(text: str) -> str:
    """A TLC config's text without its INVARIANT(S) and PROPERTY/PROPERTIES sections."""
    masked = _OPAQUE.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)
    sections = [(match.start(), match.group(1)) for match in _SECTION.finditer(masked)]
    kept, last = [], 0
    for index, (start, word) in enumerate(sections):
        if word in _VERDICTS:
            end = sections[index + 1][0] if index + 1 < len(sections) else len(text)
            kept.append(text[last:start])
            last = end
    kept.append(text[last:])
    return "".join(kept)


def verdict_free(request: TlcRequest, workspace: Workspace) -> TlcRequest:
    """``request`` on its config without verdicts, written once under ``build/conform/configs/``."""
    config = request.config or request.spec.with_suffix(".cfg")
    try:
        text = graph_config(config.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConformError(f"{config}: cannot read the config ({error})") from None
    # Named by its content, and by the config's own name, so the dump keeps the name it had.
    folder = workspace.build / "conform" / "configs" / hashlib.sha256(text.encode()).hexdigest()[:16]
    derived = folder / config.name
    if not derived.is_file() or derived.read_text(encoding="utf-8") != text:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = folder / f"{config.name}.{os.getpid()}.partial"
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, derived)
    return replace(request, config=derived)


def read_graph(result: TlcResult, variant: Variant) -> StateGraph:
    """The graph a finished dump wrote; an error when TLC did not explore it whole."""
    if result.outcome.is_tool_error or result.graph is None or not result.graph.is_file():
        raise ConformError(f"{variant.config.name}: no state graph: {result.problem()}")
    if result.outcome is not Outcome.OK:
        raise ConformError(f"{variant.config.name}: TLC did not explore the whole graph: {result.problem()}")
    # (A dump of a config with a temporal property has a dashed stuttering self-loop per state; the
    # reader keeps those apart from the edges, and the dump's config has no property anyway.)
    return parse_state_graph(result.graph.read_text(encoding="utf-8"), source=str(result.graph))


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
    run = verdict_free(replace(request or graph_request(spec, variant), use_cache=use_cache), workspace)
    result = run_tlc(run, workspace)
    return DumpedGraph(read_graph(result, variant), result)
