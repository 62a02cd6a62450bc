"""Whole TLC outputs, plain and -tool mode: the saved real outputs read as their golden summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse import Progress, TlcParseError, parse_progress, parse_tlc_output

from .golden import summarize
from .tlc import DATA

OUTPUTS = sorted(DATA.glob("*.out"))
CASES = sorted({path.name.split(".")[0] for path in OUTPUTS})


def read(name: str) -> str:
    return (DATA / name).read_text()


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda path: path.name)
def test_saved_output_reads_as_its_golden_summary(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text())
    assert summarize(path.read_text(), source=path.name) == expected


@pytest.mark.parametrize("case", CASES)
def test_plain_and_tool_mode_read_the_same(case: str) -> None:
    plain = summarize(read(f"{case}.out"), source="plain")
    tool = summarize(read(f"{case}.tool.out"), source="tool")
    assert plain == tool


@pytest.mark.parametrize(
    ("full", "diff"), [("shapes", "shapes_difftrace"), ("shapes_continue", "shapes_continue_difftrace")]
)
@pytest.mark.parametrize("mode", ["", ".tool"])
def test_difftrace_states_are_rebuilt_in_full(full: str, diff: str, mode: str) -> None:
    assert (
        parse_tlc_output(read(f"{diff}{mode}.out")).traces
        == parse_tlc_output(read(f"{full}{mode}.out")).traces
    )


@pytest.mark.parametrize("name", ["shapes.out", "crash.tool.out", "cycle_back.out"])
def test_output_saved_with_windows_line_ends_reads_the_same(name: str) -> None:
    text = read(name)
    assert summarize(text.replace("\n", "\r\n"), source=name) == summarize(text, source=name)


def test_difftrace_output_really_omits_unchanged_variables() -> None:
    assert read("shapes_difftrace.out").count("/\\ e = ") < read("shapes.out").count("/\\ e = ")


def test_continue_gives_one_trace_per_violation() -> None:
    output = parse_tlc_output(read("shapes_continue.tool.out"))
    assert [(t.violation.kind, len(t.states)) for t in output.traces if t.violation] == [
        ("invariant", 4),
        ("invariant", 5),
        ("deadlock", 5),
    ]
    assert output.outcome is Outcome.INVARIANT_VIOLATED and output.violated == "Small"


def test_lasso_loops_back_to_the_state_tlc_names() -> None:
    text = read("cycle_back.out")
    trace = parse_tlc_output(text).traces[0]
    assert trace.loop is not None
    assert f"Back to state {trace.loop + 1}:" in text
    assert trace.states[trace.loop].index == trace.loop + 1


def test_stuttering_trace_is_flagged_not_looped() -> None:
    trace = parse_tlc_output(read("cycle_stutter.tool.out")).traces[0]
    assert (trace.stuttering, trace.loop, len(trace.states)) == (True, None, 1)


def test_violation_in_the_initial_state_is_a_one_state_trace() -> None:
    output = parse_tlc_output(read("single_initial.out"))
    assert output.outcome is Outcome.INVARIANT_VIOLATED and output.violated == "Empty"
    [trace] = output.traces
    assert [(state.index, state.action, dict(state.variables)) for state in trace.states] == [
        (1, None, {"x": frozenset({1, 2, 3})})
    ]


def test_spec_error_gives_file_line_and_column() -> None:
    output = parse_tlc_output(read("broken.tool.out"))
    assert output.outcome is Outcome.SPEC_ERROR
    assert output.error_location == ("specs/Broken.tla", 4, 9)
    assert output.message is not None and "at line 4, column 9" in output.message


def test_progress_line_gives_counts_and_rate() -> None:
    text = read("shapes.tool.out")
    [line] = [line for line in text.splitlines() if line.startswith("Progress(")]
    output = parse_tlc_output(text)
    progress = parse_progress(line)
    assert progress is not None and progress.states_per_minute is not None
    assert (progress.states_generated, progress.distinct_states, progress.states_left, progress.depth) == (
        output.states_generated,
        output.distinct_states,
        output.states_left,
        output.depth,
    )


def test_progress_line_with_thousands_separators() -> None:
    line = (
        "Progress(12) at 2024-01-01 10:00:00: 1,234,567 states generated, "
        "89,012 distinct states found, 3,456 states left on queue."
    )
    assert parse_progress(line) == Progress(1234567, 89012, 3456, None, depth=12)


def test_a_line_that_is_not_progress_is_none() -> None:
    assert parse_progress("Starting... (2024-01-01 10:00:00)") is None


def test_output_cut_before_any_verdict_has_no_outcome() -> None:
    text = read("shapes.tool.out")
    output = parse_tlc_output(text[: text.index("Computing initial states")])
    assert (output.outcome, output.finished, output.traces) == (None, False, ())


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "shapes.out",
            ("Error: The behavior up to this point is:\n", ""),
            "bad.out:19:1: expected one of 'The behavior up to this point is:', end of input, "
            "another report, found 'State 1: <Initial pr...'",
        ),
        (
            "cycle_back.out",
            ("Back to state 4", "Back to state 4: <Next>\nBack to state 4"),
            "bad.out:42:1: expected one of 'The behavior up to this point is:', end of input, "
            "another report, found 'Back to state 4: <Ne...'",
        ),
    ],
)
def test_trace_parts_out_of_place_are_located(name: str, edit: tuple[str, str], message: str) -> None:
    text = read(name)
    assert edit[0] in text
    with pytest.raises(TlcParseError) as raised:
        parse_tlc_output(text.replace(edit[0], edit[1], 1), source="bad.out")
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "shapes.out",
            ("/\\ n = 2", "/\\ n = 2}"),
            "bad.out:45:9: expected end of input, found '}'",
        ),
        (
            "shapes.tool.out",
            ("/\\ s = {-1, 0, 1}", "/\\ s = {-1, 0, 1"),
            'bad.out:73:17: expected one of ",", ">>", "}", found end of input',
        ),
        (
            "shapes.out",
            ("State 3: <Step", "State 3 <Step"),
            "bad.out:40:7: expected a state header 'State N: <action>', found '3 <Step line 17, col...'",
        ),
        (
            "shapes.tool.out",
            ("@!@!@ENDMSG 2121 @!@!@", "@!@!@ENDMSG 2217 @!@!@"),
            "bad.out:39:14: expected the end of message 2121, found '2217'",
        ),
        (
            "big.out",
            (
                '   [owner |-> w1, hits |-> 0, tags |-> {"x", "y"}] >>\n/\\ t = 1',
                '   [owner |-> w1, hits |-> 0, tags |-> {"x", "y"} >>\n/\\ t = 1',
            ),
            'bad.out:43:51: expected one of ",", "]", found \'>>\'',
        ),
    ],
)
def test_text_that_is_not_tlc_output_is_located(name: str, edit: tuple[str, str], message: str) -> None:
    text = read(name)
    assert edit[0] in text
    with pytest.raises(TlcParseError) as raised:
        parse_tlc_output(text.replace(edit[0], edit[1], 1), source="bad.out")
    assert str(raised.value) == message
