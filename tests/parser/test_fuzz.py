"""Cut and damaged TLC outputs: the parser returns a result or raises TlcParseError, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from failure_lab.trace_check.parse import TlcOutput, TlcParseError, parse_tlc_output

from .tlc import DATA

TEXTS = [path.read_text() for path in sorted(DATA.glob("*.out"))]
NOISE = '@!{}[]()<>|-:.,"\\/ \n=0129abxTRUESTMSGEND\u00b2\u0663\u00e9\xa0'


def _parse_or_documented_error(text: str) -> None:
    try:
        result = parse_tlc_output(text, source="fuzz")
    except TlcParseError as error:
        assert str(error).startswith("fuzz:") and "\n" not in str(error)
    else:
        assert isinstance(result, TlcOutput)


@pytest.mark.parametrize("text", TEXTS)
def test_every_prefix_at_a_line_end_parses_or_is_refused(text: str) -> None:
    for position in [index for index, char in enumerate(text) if char == "\n"][::3]:
        _parse_or_documented_error(text[:position])


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TEXTS), st.data())
def test_truncated_output_parses_or_is_refused(text: str, data: st.DataObject) -> None:
    _parse_or_documented_error(text[: data.draw(st.integers(0, len(text)))])


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(TEXTS),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), st.text(NOISE, max_size=3)), max_size=4),
)
def test_damaged_output_parses_or_is_refused(text: str, edits: list[tuple[float, int, str]]) -> None:
    for fraction, cut, insert in edits:
        position = int(fraction * len(text))
        text = text[:position] + insert + text[position + cut :]
    _parse_or_documented_error(text)
