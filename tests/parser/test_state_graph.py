"""The state graph of ``-dump dot,actionlabels``: nodes with their states, labelled edges, initial states."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from failure_lab.trace_check.parse import StateGraph, TlcParseError, parse_state_graph, parse_tlc_output

from .tlc import DATA


def grid() -> StateGraph:
    return parse_state_graph((DATA / "grid_dump.dot").read_text(), source="grid_dump.dot")


def test_dump_holds_every_distinct_state_tlc_counted() -> None:
    output = parse_tlc_output((DATA / "grid_dump.out").read_text())
    assert len(grid().states) == output.distinct_states


def test_edges_are_labelled_with_the_action_that_changed_its_counter() -> None:
    graph = grid()
    counters = {"IncA": "a", "IncB": "b", "IncC": "c"}
    assert {edge.action for edge in graph.edges} == set(counters)
    for edge in graph.edges:
        before, after = graph.states[edge.source], graph.states[edge.target]
        changed = {name for name in before if before[name] != after[name]} - {"last"}
        assert changed == {counters[edge.action or ""]}
        assert after["last"] == counters[edge.action or ""]


def test_dump_without_action_labels_has_the_same_graph_and_no_actions() -> None:
    labelled = grid()
    unlabelled = parse_state_graph((DATA / "grid_dump_unlabelled.dot").read_text())
    assert {edge.action for edge in unlabelled.edges} == {None}

    def transitions(graph: StateGraph) -> set[tuple[str, str]]:
        # Fingerprints differ between the two runs; the states they name do not.
        return {(repr(sorted(graph.states[e.source].items())), repr(sorted(graph.states[e.target].items())))
                for e in graph.edges}  # fmt: skip

    assert len(unlabelled.states) == len(labelled.states)
    assert transitions(unlabelled) == transitions(labelled)


def test_stuttering_self_loops_are_kept_apart_from_the_steps() -> None:
    graph = parse_state_graph((DATA / "cycle_dump.dot").read_text())
    output = parse_tlc_output((DATA / "cycle_dump.out").read_text())
    assert len(graph.states) == output.distinct_states
    # With a temporal property TLC dumps a stuttering step for every state; the steps are all Next.
    assert graph.stuttering == set(graph.states)
    assert {edge.action for edge in graph.edges} == {"Next"}
    assert all(edge.source != edge.target for edge in graph.edges)


def test_initial_state_is_marked() -> None:
    graph = grid()
    [initial] = graph.initial
    assert graph.states[initial] == {"a": 0, "b": 0, "c": 0, "last": "none"}
    assert len(graph.successors(initial)) == 3


def test_dump_of_a_violated_run_matches_its_counterexample() -> None:
    graph = parse_state_graph((DATA / "shapes_dump.dot").read_text())
    [trace] = parse_tlc_output((DATA / "shapes_dump.out").read_text()).traces
    [initial] = graph.initial
    node, path = initial, [graph.states[initial]]
    while graph.successors(node):
        [edge] = graph.successors(node)
        assert edge.action == "Step"
        node = edge.target
        path.append(graph.states[node])
    assert path == [state.variables for state in trace.states]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            (
                '/\\\\ a = 0\\n/\\\\ b = 0\\n/\\\\ c = 0",style',
                '/\\\\ a = 0\\n/\\\\ b = {0\\n/\\\\ c = 0",style',
            ),
            'g.dot:5:{label}: expected one of ",", "}}" in the state\'s label, found end of input',
        ),
        (
            ("nodesep=0.35;", "nodesep 0.35"),
            "g.dot:2:1: expected a DOT statement of TLC's state graph, found 'nodesep 0.35'",
        ),
        (
            ('[label="IncA",color="black",fontcolor="black"];', '[label="IncA",color="black"'),
            "g.dot:6:1: expected an edge 'FP -> FP [label=\"Action\",...];', found '{edge}...'",
        ),
    ],
)
def test_text_that_is_not_a_dump_is_located(edit: tuple[str, str], message: str) -> None:
    text = (DATA / "grid_dump.dot").read_text()
    assert edit[0] in text
    lines = text.split("\n")
    # Fingerprints change from run to run: the message's parts that show them are read from the dump.
    expected = message.format(label=lines[4].index('[label="') + len('[label="') + 1, edge=lines[5][:20])
    with pytest.raises(TlcParseError) as raised:
        parse_state_graph(text.replace(edit[0], edit[1], 1), source="g.dot")
    assert str(raised.value) == expected


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_cut_or_damaged_dump_parses_or_is_refused(data: st.DataObject) -> None:
    text = (DATA / "grid_dump.dot").read_text()
    cut = data.draw(st.integers(0, len(text)))
    text = (
        text[:cut]
        + data.draw(st.text('[]{}"\\-> =;\n0a', max_size=4))
        + text[cut + data.draw(st.integers(0, 3)) :]
    )
    try:
        parse_state_graph(text, source="fuzz")
    except TlcParseError as error:
        assert "\n" not in str(error)
