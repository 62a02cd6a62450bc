"""Read the state graph of ``-dump dot,actionlabels FILE``: states, labelled edges, initial states.

TLC writes one DOT statement per line: a node ``FP [label="<state>"]`` (with
``style = filled`` for an initial state), an edge ``FP -> FP [label="Action",...]``,
and ``{rank = same; ...}`` groups. Nodes are named by TLC's fingerprints; a node's
label is the state printed as in a trace, read with the same value grammar (and
the same cache, since neighbouring states share most values).

The statements themselves are matched line by line with regular expressions, not
by a lark grammar: a 150,000-state dump has 600,000 of them, and handing each to
lark as a token measured twice the reader's whole time, for a structure that is
one fixed line shape per statement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from failure_lab.trace_check.parse._error import TlcParseError, describe
from failure_lab.trace_check.parse._values import Value
from failure_lab.trace_check.parse._variables import parse_variables

__all__ = ["Edge", "StateGraph", "TlcParseError", "parse_state_graph"]

_NODE = re.compile(r'^(-?\d+) \[label="(.*)"(,style = filled)?\];?$')
_STUTTERING = re.compile(r'^(-?\d+) -> (-?\d+) \[style="dashed"\];?$')
_EDGE = re.compile(r'^(-?\d+) -> (-?\d+)(?: \[label="([^"\\]*)"[^\]]*\])?;?$')
_GRAPH_START = re.compile(r"^(?:strict )?digraph \w+ \{$")
_SUBGRAPH_START = re.compile(r"^subgraph \w+ \{$")
_ATTRIBUTE = re.compile(r'^\w+ ?= ?(?:"[^"]*"|[\w.]+);?$')
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "l": "\n", "r": "\n"}


@dataclass(frozen=True, slots=True)
class Edge:
    """A transition between two states (named by TLC's fingerprints), with its action when dumped."""

    source: int
    target: int
    action: str | None


@dataclass(frozen=True, slots=True)
class StateGraph:
    """The dumped graph: each state's variables by fingerprint, the initial ones, and the edges.

    ``edges`` are the spec's steps. With a temporal property to check, TLC also dumps
    each state's stuttering step as a dashed self-loop with no action: those states
    are in ``stuttering``, not among the edges.
    """

    states: Mapping[int, Mapping[str, Value]]
    initial: frozenset[int]
    edges: tuple[Edge, ...]
    stuttering: frozenset[int] = frozenset()
    _successors: dict[int, tuple[Edge, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        successors: dict[int, list[Edge]] = {}
        for edge in self.edges:
            successors.setdefault(edge.source, []).append(edge)
        object.__setattr__(self, "_successors", {node: tuple(edges) for node, edges in successors.items()})

    def successors(self, node: int) -> tuple[Edge, ...]:
        """The edges leaving ``node``."""
        return self._successors.get(node, ())


def _unescape(label: str) -> str:
    """DOT's escapes undone: ``\\\\`` ``\\"`` ``\\n`` by plain replacing when nothing else is escaped."""
    if "\x00" not in label:
        # Park the escaped backslashes so the remaining ones are all escapes of n or a quote.
        plain = label.replace("\\\\", "\x00").replace("\\n", "\n").replace('\\"', '"')
        if "\\" not in plain:
            return plain.replace("\x00", "\\")
    return _ESCAPE.sub(lambda match: _UNESCAPED.get(match.group(1), match.group(1)), label)


def parse_state_graph(text: str, *, source: str = "<state graph>") -> StateGraph:
    """Read a ``-dump dot`` file; raises ``TlcParseError`` at the first line that is not TLC's DOT."""
    if "\r" in text:  # saved on Windows
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    states: dict[int, Mapping[str, Value]] = {}
    initial: set[int] = set()
    stuttering: set[int] = set()
    edges: list[Edge] = []
    cache: dict[str, Value] = {}
    depth = 0
    seen_graph = False

    def fail(index: int, column: int, expected: str, found: str | None = None) -> TlcParseError:
        line = lines[index] if index < len(lines) else ""
        shown = describe(line[column - 1 :]) if found is None else found
        return TlcParseError(source, index + 1, column, expected, shown, line)

    actions: dict[str, str] = {}
    for index, line in enumerate(lines):
        if line.startswith("-") or line[:1].isdigit():
            if " -> " in line:
                edge = _EDGE.match(line)
                if edge is None and (loop := _STUTTERING.match(line)) and loop.group(1) == loop.group(2):
                    stuttering.add(int(loop.group(1)))
                    continue
                if edge is None:
                    raise fail(index, 1, "an edge 'FP -> FP [label=\"Action\",...];'")
                label = edge.group(3)
                # Without "actionlabels" TLC writes an empty label: no action is known.
                action = actions.get(label) if label else None
                if action is None and label:
                    action = actions[label] = _unescape(label)
                edges.append(Edge(int(edge.group(1)), int(edge.group(2)), action))
                continue
            node = _NODE.match(line)
            if node is None:
                raise fail(index, 1, "a node 'FP [label=\"...\"]' or an edge 'FP -> FP [...]'")
            fingerprint = int(node.group(1))
            label_column = len(node.group(1)) + 10

            def fail_in_label(
                _position: int, _column: int, expected: str, found: str | None
            ) -> TlcParseError:
                # The label is one DOT line: point at its start, say what the state text lacks.
                return fail(index, label_column, f"{expected} in the state's label", found)  # noqa: B023

            states[fingerprint] = parse_variables(
                _unescape(node.group(2)),
                source=source,
                first_line=index + 1,
                cache=cache,
                fail=fail_in_label,
            )
            if node.group(3):
                initial.add(fingerprint)
            continue
        if not seen_graph:
            if _GRAPH_START.match(line):
                seen_graph, depth = True, 1
                continue
            if not line.strip():
                continue
            raise fail(index, 1, "'strict digraph DiskGraph {'")
        if line.startswith("{rank = same;"):
            continue
        if _SUBGRAPH_START.match(line):
            depth += 1
            continue
        if line == "}":
            depth -= 1
            continue
        if not line.strip() or _ATTRIBUTE.match(line):
            continue
        raise fail(index, 1, "a DOT statement of TLC's state graph")
    if not seen_graph:
        raise fail(len(lines) - 1, 1, "'strict digraph DiskGraph {'", "end of input")
    if depth != 0:
        raise fail(len(lines) - 1, 1, "'}' closing the graph", "end of input")
    for transition in edges:
        for end in (transition.source, transition.target):
            if end not in states:
                raise TlcParseError(
                    source, len(lines), 1, f"a node for state {end} named by an edge", "none", ""
                )
    for looping in stuttering:
        if looping not in states:
            raise TlcParseError(
                source, len(lines), 1, f"a node for state {looping} that stutters", "none", ""
            )
    return StateGraph(
        states=states, initial=frozenset(initial), edges=tuple(edges), stuttering=frozenset(stuttering)
    )
