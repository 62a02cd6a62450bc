"""The value model: TLA+ equality where shapes meet, printing, and parsing with located errors."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark.exceptions import UnexpectedInput, VisitError

from failure_lab.trace_check.parse import (
    Fcn,
    ModelValue,
    Record,
    Seq,
    TlcParseError,
    Value,
    parse_value,
    to_tla,
)
from failure_lab.trace_check.parse._value_parser import parse_fast, parse_with_grammar

from .golden import raw_values
from .strategies import identical, strictly_equal, tlc_style, values
from .tlc import DATA


def test_sequence_equals_the_function_on_one_to_n() -> None:
    assert Seq(("a", "b")) == Fcn(((2, "b"), (1, "a")))
    assert hash(Seq(("a", "b"))) == hash(Fcn(((2, "b"), (1, "a"))))


def test_record_equals_the_function_on_its_field_names() -> None:
    assert Record((("x", 1), ("y", 2))) == Fcn((("y", 2), ("x", 1)))
    assert Record((("x", 1), ("y", 2))) == Record((("y", 2), ("x", 1)))


def test_empty_sequence_equals_empty_function_and_record() -> None:
    assert Seq(()) == Fcn(()) == Record(())
    assert len({Seq(()), Fcn(()), Record(())}) == 1


def test_model_value_is_not_the_string_of_its_name() -> None:
    name: Value = "a"
    assert ModelValue("a") != name
    assert Fcn(((ModelValue("a"), 1),)) != Record((("a", 1),))


def test_values_are_hashable_members_of_sets() -> None:
    nested = frozenset({Seq((1, frozenset({2}))), Record((("a", Seq(())),))})
    assert Seq((1, frozenset({2}))) in nested


def test_to_tla_prints_every_shape() -> None:
    value = Seq((
        -3, True, "q\"uote\\back\n", ModelValue("w1"), frozenset({2, 1}), Seq(()),
        Record((("name", "x"), ("args", Record((("w", ModelValue("a")),))))),
        Fcn(((ModelValue("a"), 0), (ModelValue("b"), frozenset()))),
    ))  # fmt: skip
    assert to_tla(value) == (
        '<<-3, TRUE, "q\\"uote\\\\back\\n", w1, {1, 2}, <<>>, [name |-> "x", args |-> [w |-> a]], '
        "(a :> 0 @@ b :> {})>>"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<< >>", Seq(())),
        ("[x \\in {} |-> x]", Fcn(())),
        ("[x \\in {1, 2} |-> x]", Fcn(((1, 1), (2, 2)))),
        ('[x \\in {m} |-> "c"]', Fcn(((ModelValue("m"), "c"),))),
        ("1..3", frozenset({1, 2, 3})),
        ("{1..2, 5..4}", frozenset({frozenset({1, 2}), frozenset()})),
        ("-2147483648", -(2**31)),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        ('"tab\\there"', "tab\there"),
    ],
)
def test_parses_the_forms_tlc_prints(text: str, expected: Value) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{1, 2", '<value>:1:6: expected one of ",", ">>", "}", found end of input'),
        (
            "[a |-> ]",
            '<value>:1:8: expected one of "(", "<<", "[", "{", a name, a string, an integer, found \']\'',
        ),
        (
            "<<1,,2>>",
            '<value>:1:5: expected one of "(", "<<", "[", "{", a name, a string, an integer, found \',\'',
        ),
        ("(a :> 1 @@ b)", "<value>:1:13: expected \":>\", found ')'"),
        ("#", '<value>:1:1: expected one of "(", "<<", "[", "{", a name, a string, an integer, found \'#\''),
        ("1..99999999", "<value>:1:1: expected an interval of at most 1000000 elements, found '1..99999999'"),
        (
            "7" * 5000,
            "<value>:1:1: expected an integer of at most 4300 digits, found '77777777777777777777...'",
        ),
    ],
)
def test_errors_name_line_column_and_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(TlcParseError) as raised:
        parse_value(text)
    assert str(raised.value) == message


def test_error_in_a_wrapped_value_points_into_the_right_line() -> None:
    with pytest.raises(TlcParseError) as raised:
        parse_value("<< [a |-> 1],\n   [a |-> 2}, [a |-> 3] >>", source="trace.out", line=7, column=8)
    assert raised.value.render() == (
        'trace.out:8:12: expected one of ",", "]", found \'}\'\n'
        "       [a |-> 2}, [a |-> 3] >>\n"
        "    ~~~~~~~~~~~^"
    )


@settings(max_examples=300, deadline=None)
@given(values(), st.randoms(use_true_random=False))
def test_tlc_style_text_parses_back_to_the_value(value: Value, rnd: random.Random) -> None:
    assert strictly_equal(parse_value(tlc_style(value, rnd)), value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]()<>|-:@.,"\\ \nabTRUEFALS0129', max_size=40))
def test_any_text_parses_or_raises_the_documented_error(text: str) -> None:
    try:
        parse_value(text)
    except TlcParseError as error:
        assert "\n" not in str(error)


def _grammar_or_none(text: str) -> Value | None:
    try:
        return parse_with_grammar(text)
    except (UnexpectedInput, VisitError):
        return None
    except Exception as error:  # the transformer's refusals (too-large interval, bad lambda domain)
        if type(error).__name__ == "_Refused":
            return None
        raise


def _agree(text: str) -> None:
    fast = parse_fast(text)
    if fast is not None:
        reference = _grammar_or_none(text)
        assert reference is not None and identical(fast, reference), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='{}[]()<>|-:@.,"\\ \n\t\xa0abTRUEFALSX_0129\u00b2\u0663\u00e9', max_size=30))
def test_fast_reader_accepts_only_what_the_grammar_accepts_and_reads_it_alike(text: str) -> None:
    _agree(text)


@settings(max_examples=300, deadline=None)
@given(values(), st.randoms(use_true_random=False))
def test_fast_reader_reads_tlc_style_text_like_the_grammar(value: Value, rnd: random.Random) -> None:
    text = tlc_style(value, rnd)
    fast = parse_fast(text)
    assert fast is not None and identical(fast, parse_with_grammar(text))


@pytest.mark.parametrize(
    "text",
    [
        "TRUEX",
        "FALSE_",
        "[TRUE |-> 1]",
        "1..",
        "--1",
        "<<1,>>",
        '"a\nb"',
        "[x \\in {} |-> x]",
        "\u00b2",
        "\u0663",
        "\u00e9",
    ],
)
def test_fast_reader_and_grammar_agree_on_edge_cases(text: str) -> None:
    _agree(text)


def test_fast_reader_reads_every_saved_value_like_the_grammar() -> None:
    texts = {text for path in DATA.glob("*.tool.out") for text in raw_values(path.read_text())}
    assert len(texts) > 40
    for text in texts:
        fast = parse_fast(text)
        assert fast is not None and identical(fast, parse_with_grammar(text)), text


def test_deeply_nested_value_parses_without_recursion_limits() -> None:
    value = parse_value("<<" * 5000 + ">>" * 5000)
    depth = 1
    while isinstance(value, Seq) and value.items:
        [value] = value.items
        depth += 1
    assert (depth, value) == (5000, Seq(()))
