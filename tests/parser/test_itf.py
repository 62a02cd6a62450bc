"""ITF export and import: exact round trips, model values through #meta, lassos, located errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from failure_lab.trace_check.parse import (
    ItfExportError,
    ModelValue,
    State,
    TlcParseError,
    Trace,
    Violation,
    dumps_itf,
    loads_itf,
    parse_tlc_output,
    to_itf,
)

from .strategies import identical, names, values
from .tlc import DATA

SAVED_TRACES = [
    (path.name, trace)
    for path in sorted(DATA.glob("*.out"))
    for trace in parse_tlc_output(path.read_text()).traces
]


def same_trace(left: Trace, right: Trace) -> bool:
    return (
        (left.loop, left.stuttering, left.violation) == (right.loop, right.stuttering, right.violation)
        and len(left.states) == len(right.states)
        and all(
            (a.index, a.action, a.location, list(a.variables))
            == (b.index, b.action, b.location, list(b.variables))
            and all(identical(a.variables[name], b.variables[name]) for name in a.variables)
            for a, b in zip(left.states, right.states, strict=True)
        )
    )


@pytest.mark.parametrize(("name", "trace"), SAVED_TRACES, ids=[name for name, _ in SAVED_TRACES])
def test_saved_traces_survive_the_round_trip_exactly(name: str, trace: Trace) -> None:
    [back] = loads_itf(dumps_itf(trace, source=name))
    assert same_trace(back, trace)


@st.composite
def traces(draw: st.DrawFn) -> Trace:
    variable_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    count = draw(st.integers(1, 4))
    states = tuple(
        State(
            index=position + 1,
            action=None if position == 0 else draw(st.sampled_from(["Next", "Claim", "Tick"])),
            location=None
            if position == 0
            else draw(st.sampled_from([None, "line 1, col 1 to line 2, col 3 of module M"])),
            variables={name: draw(values()) for name in variable_names},
        )
        for position in range(count)
    )
    ending = draw(st.sampled_from(["none", "loop", "stuttering"]))
    violation = draw(
        st.none()
        | st.builds(
            Violation, st.sampled_from(["invariant", "property"]), st.none() | names, st.text(max_size=20)
        )
    )
    return Trace(
        states=states,
        loop=draw(st.integers(0, count - 1)) if ending == "loop" else None,
        stuttering=ending == "stuttering",
        violation=violation,
    )


def _has_string_named_like_model_value(trace: Trace) -> bool:
    text = json.dumps(
        [{name: repr(value) for name, value in state.variables.items()} for state in trace.states]
    )
    return any(f"'{name}'" in text for name in ("m1", "m2", "mv_x"))


@settings(max_examples=60, deadline=None)
@given(traces())
def test_random_traces_survive_the_round_trip_exactly(trace: Trace) -> None:
    try:
        text = dumps_itf(trace)
    except ItfExportError:
        assert _has_string_named_like_model_value(trace)
        return
    [back] = loads_itf(text)
    assert same_trace(back, trace)


def test_model_values_are_strings_listed_in_meta() -> None:
    [trace] = parse_tlc_output((DATA / "shapes.out").read_text()).traces
    document = to_itf(trace)
    assert document["#meta"]["model_values"] == ["a", "b"]
    assert document["states"][0]["m"] == "a"
    assert loads_itf(json.dumps(document))[0].states[0].variables["m"] == ModelValue("a")


def test_integers_are_bigints_and_sequences_tuples() -> None:
    [trace] = parse_tlc_output((DATA / "shapes.out").read_text()).traces
    state = to_itf(trace)["states"][2]
    assert state["n"] == {"#bigint": "2"}
    assert state["q"] == {"#tup": [{"#tup": [{"#bigint": "0"}, {"#set": [{"#bigint": "0"}]}]},
                                   {"#tup": [{"#bigint": "1"}, {"#set": [{"#bigint": "1"}]}]}]}  # fmt: skip


def test_lasso_loop_is_the_zero_based_state_it_returns_to() -> None:
    [trace] = parse_tlc_output((DATA / "cycle_back.out").read_text()).traces
    assert to_itf(trace)["loop"] == 3
    assert "Back to state 4:" in (DATA / "cycle_back.out").read_text()


def test_stuttering_loops_on_the_last_state() -> None:
    [trace] = parse_tlc_output((DATA / "cycle_stutter.out").read_text()).traces
    document = to_itf(trace)
    assert (document["loop"], document["#meta"]["stuttering"]) == (len(trace.states) - 1, True)


def test_a_string_spelled_like_a_model_value_cannot_be_exported() -> None:
    trace = Trace(states=(State(1, None, None, {"x": ModelValue("w1"), "y": "w1"}),))
    with pytest.raises(ItfExportError) as raised:
        to_itf(trace)
    assert (
        str(raised.value)
        == "the trace has both the string and the model value 'w1'; ITF would not tell them apart"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"states": [{"x": {"#bigint": "1x"}}]}',
            't.itf:1:1: expected a decimal string in "#bigint" at states[0].x, found \'"1x"\'',
        ),
        (
            '{"states": [{"x": {"#map": [[1]]}}]}',
            "t.itf:1:1: expected a [key, value] pair at states[0].x.#map[0], found '[1]'",
        ),
        (
            '{"states": [{"x": {"#sets": []}}]}',
            "t.itf:1:1: expected a record field or one of #bigint, #set, #tup, #map at states[0].x, "
            "found '\"#sets\"'",
        ),
        (
            '{"states": [{"x": 1}], "loop": 4}',
            "t.itf:1:1: expected the index of one of the states at loop, found '4'",
        ),
        ('{"states": []}\n{"vars": []}', "t.itf:2:1: expected a list of states at states, found 'null'"),
        (
            '{"states": [\n  {"x": 1,}]}',
            "t.itf:2:11: expected JSON (expecting property name enclosed in double quotes), found '}]}'",
        ),
        ("", "t.itf:1:1: expected an ITF document, found end of input"),
        (
            '{"states": [{"x": ' + "1" * 5000 + "}]}",
            "t.itf:1:1: expected a JSON document Python can read, found a number too long",
        ),
        (
            "[" * 100000 + "]" * 100000,
            "t.itf:1:1: expected a JSON document Python can read, found nesting too deep",
        ),
    ],
)
def test_text_that_is_not_itf_is_located(text: str, message: str) -> None:
    with pytest.raises(TlcParseError) as raised:
        loads_itf(text, source="t.itf")
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("digits", "shown"),
    [("1_000", "'\"1_000\"'"), (" 12", "'\" 12\"'"), ("\u0663", "'\"\u0663\"'"), ("+1", "'\"+1\"'")],
)
def test_bigint_is_plain_decimal_digits(digits: str, shown: str) -> None:
    with pytest.raises(TlcParseError) as raised:
        loads_itf(json.dumps({"states": [{"x": {"#bigint": digits}}]}), source="t.itf")
    assert (
        str(raised.value)
        == f't.itf:1:1: expected a decimal string in "#bigint" at states[0].x, found {shown}'
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='{}[]":,#bigintsetupmaloop 0123\n', max_size=60))
def test_any_text_loads_or_raises_the_documented_error(text: str) -> None:
    try:
        loads_itf(text)
    except TlcParseError as error:
        assert "\n" not in str(error)
