"""Parse TLA+ values as TLC prints them, with the lark grammar ``grammars/value.lark``.

The grammar is the definition and the source of every error message. Traces run
to megabytes, and lark's Python lexer and LALR loop cost microseconds per token,
so values first go through ``parse_fast``, a small recursive-descent reading of
the same grammar over tokens cut by one regular expression; whatever it does not
accept (including the rare ``[x \\in S |-> e]``) goes to lark, which parses it or
raises the located error. Tests check that both agree on every saved output and
on random text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from importlib.resources import files

from lark import (
    Lark,
    Token,
    Transformer,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from failure_lab.trace_check.parse._error import TlcParseError, describe
from failure_lab.trace_check.parse._values import Fcn, ModelValue, Record, Seq, Value, to_tla

# Intervals become frozensets; a bound keeps a typo like 1..10000000000 from eating the memory.
MAX_INTERVAL = 1_000_000

# Terminals that are not literal text, in words for error messages.
_TERMINAL_WORDS = {"INT": "an integer", "STRING": "a string", "NAME": "a name"}
_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "f": "\f"}


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body
    out: list[str] = []
    chars = iter(body)
    for char in chars:
        if char == "\\":
            escaped = next(chars)
            # TLC only prints the escapes below; anything else stands for itself.
            out.append(_ESCAPED.get(escaped, "\\" + escaped))
        else:
            out.append(char)
    return "".join(out)


class _Refused(Exception):
    """A value the grammar accepts but the model cannot hold: (expected, found)."""


class ValueTransformer(Transformer[Token, Value]):
    """Turns the value grammar's tree into ``_values`` objects, one method per rule."""

    def integer(self, children: list[Token]) -> Value:
        try:
            return int(children[0])
        except ValueError:  # Python refuses to convert more than sys.get_int_max_str_digits() digits
            raise _Refused("an integer of at most 4300 digits", str(children[0])) from None

    def interval(self, children: list[Token]) -> Value:
        low, high = self.integer(children[:1]), self.integer(children[1:])
        assert isinstance(low, int) and isinstance(high, int)
        if high - low >= MAX_INTERVAL:
            raise _Refused(f"an interval of at most {MAX_INTERVAL} elements", f"{low}..{high}")
        return frozenset(range(low, high + 1))

    def string(self, children: list[Token]) -> Value:
        return _unescape(children[0][1:-1])

    def true(self, children: list[Token]) -> Value:
        return True

    def false(self, children: list[Token]) -> Value:
        return False

    def model_value(self, children: list[Token]) -> Value:
        return ModelValue(str(children[0]))

    def set(self, children: list[Value | None]) -> Value:
        return frozenset(child for child in children if child is not None)

    def sequence(self, children: list[Value | None]) -> Value:
        return Seq(tuple(child for child in children if child is not None))

    def field(self, children: list[object]) -> tuple[str, Value]:
        return (str(children[0]), children[1])  # type: ignore[return-value]

    def record(self, children: list[tuple[str, Value]]) -> Value:
        return Record(tuple(children))

    def pair(self, children: list[Value]) -> tuple[Value, Value]:
        return (children[0], children[1])

    def function(self, children: list[tuple[Value, Value]]) -> Value:
        return Fcn(tuple(children))

    def body(self, children: list[Value]) -> Value:
        return children[0]

    def lambda_(self, children: list[object]) -> Value:
        bound, domain, body = str(children[0]), children[1], children[2]
        if not isinstance(domain, frozenset):
            raise _Refused("a set as the domain of [x \\in S |-> e]", to_tla(domain))  # type: ignore[arg-type]
        elements = sorted(domain, key=lambda item: (not isinstance(item, int), str(item)))
        if body == ModelValue(bound):
            return Fcn(tuple((element, element) for element in elements))
        return Fcn(tuple((element, body) for element in elements))  # type: ignore[misc]


# lark names a rule's callback after the alias; ``lambda`` is a Python keyword.
setattr(ValueTransformer, "lambda", ValueTransformer.lambda_)


@functools.cache
def value_parser() -> Lark:
    """The value grammar compiled once (LALR, transforming while parsing)."""
    grammar = (files("failure_lab.trace_check.parse") / "grammars" / "value.lark").read_text()
    return Lark(grammar, parser="lalr", transformer=ValueTransformer(), maybe_placeholders=True)


def _expected_words(parser: Lark, names: set[str] | frozenset[str]) -> str:
    words: list[str] = []
    for name in sorted(names):
        if name == "$END":
            words.append("end of input")
            continue
        if name in _TERMINAL_WORDS:
            words.append(_TERMINAL_WORDS[name])
            continue
        try:
            pattern = parser.get_terminal(name).pattern
        except KeyError:
            continue
        words.append(f'"{pattern.value}"' if pattern.type == "str" else name)
    words = sorted(set(words))
    if not words:
        return "a value"
    if len(words) == 1:
        return words[0]
    return "one of " + ", ".join(words)


# One token per match; whitespace is what lark ignores (WS), any other character is a junk token.
_TOKENS = re.compile(
    r'-?[0-9]+|"(?:[^"\\\n]|\\[^\n])*"|[A-Za-z_][A-Za-z0-9_]*|<<|>>|\|->|:>|@@|\.\.|\\in|[^ \t\f\r\n]'
)
_KEYWORDS = {"TRUE": True, "FALSE": False}
_END = ""


class _NotFast(Exception):
    """The fast reader does not accept this text; lark decides."""


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def _is_name(token: str) -> bool:
    return token[0] in _NAME_START and token not in _KEYWORDS


def _is_integer(token: str) -> bool:
    # ASCII only: str.isdigit() also accepts digits of other scripts, which the grammar does not.
    digits = token[1:] if token[:1] == "-" else token
    return digits.isascii() and digits.isdigit()


def _fast_value(token: str, advance: Callable[[], str]) -> tuple[Value, str]:
    """The value starting at ``token``, and the token after it."""
    first = token[0]
    if first == '"':
        if len(token) == 1:  # a lone quote: the string never ends
            raise _NotFast
        return _unescape(token[1:-1]), advance()
    if first == "-" or "0" <= first <= "9":
        if not _is_integer(token):
            raise _NotFast
        after = advance()
        if after != "..":
            return int(token), after
        high = advance()
        if not _is_integer(high) or int(high) - int(token) >= MAX_INTERVAL:
            raise _NotFast
        return frozenset(range(int(token), int(high) + 1)), advance()
    if token == "<<" or first == "{":
        closing = ">>" if token == "<<" else "}"
        token = advance()
        items: list[Value] = []
        if token != closing:
            while True:
                item, token = _fast_value(token, advance)
                items.append(item)
                if token == ",":
                    token = advance()
                elif token == closing:
                    break
                else:
                    raise _NotFast
        return (Seq(tuple(items)) if closing == ">>" else frozenset(items)), advance()
    if first == "[":
        fields: list[tuple[str, Value]] = []
        while True:
            name = advance()
            if not _is_name(name) or advance() != "|->":
                raise _NotFast
            item, token = _fast_value(advance(), advance)
            fields.append((name, item))
            if token == "]":
                return Record(tuple(fields)), advance()
            if token != ",":
                raise _NotFast
    if first == "(":
        pairs: list[tuple[Value, Value]] = []
        while True:
            key, token = _fast_value(advance(), advance)
            if token != ":>":
                raise _NotFast
            item, token = _fast_value(advance(), advance)
            pairs.append((key, item))
            if token == ")":
                return Fcn(tuple(pairs)), advance()
            if token != "@@":
                raise _NotFast
    if token in _KEYWORDS:
        return _KEYWORDS[token], advance()
    if token and _is_name(token):
        return ModelValue(token), advance()
    raise _NotFast


def parse_fast(text: str) -> Value | None:
    """The value, or None when the fast reader does not accept ``text`` (lark then decides)."""
    tokens: Iterator[str] = iter([*_TOKENS.findall(text), _END])
    advance = tokens.__next__
    try:
        value, after = _fast_value(advance(), advance)
    except (_NotFast, StopIteration, RecursionError, IndexError, ValueError):
        return None
    return value if after == _END else None


def parse_with_grammar(text: str) -> Value:
    """Parse with lark alone (raises lark's exceptions); the reference ``parse_fast`` must agree with."""
    value: Value = value_parser().parse(text)  # type: ignore[assignment]  # the transformer returns values
    return value


def parse_value(text: str, *, source: str = "<value>", line: int = 1, column: int = 1) -> Value:
    """Parse one value; ``line``/``column`` say where ``text`` starts in ``source`` (for errors)."""
    fast = parse_fast(text)
    if fast is not None:
        return fast
    parser = value_parser()
    try:
        value: Value = parser.parse(text)  # type: ignore[assignment]  # the transformer returns values
        return value
    except UnexpectedInput as error:
        raise _located(parser, error, text, source, line, column) from None
    except _Refused as error:
        expected, found = error.args
        raise TlcParseError(source, line, column, expected, describe(found), _line_of(text, 1)) from None
    except RecursionError:
        raise TlcParseError(source, line, column, "a value nested less deeply", "deeper", "") from None


def _line_of(text: str, number: int) -> str:
    lines = text.split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _located(
    parser: Lark, error: UnexpectedInput, text: str, source: str, line: int, column: int
) -> TlcParseError:
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        rows = text.split("\n")
        err_line, err_column = len(rows), len(rows[-1]) + 1
        expected = _expected_words(parser, set(getattr(error, "expected", ())))
        found = "end of input"
    elif isinstance(error, UnexpectedToken):
        err_line, err_column = int(error.line), int(error.column)
        expected = _expected_words(parser, error.expected)
        found = describe(str(error.token))
    elif isinstance(error, UnexpectedCharacters):
        err_line, err_column = int(error.line), int(error.column)
        allowed = error.allowed or set()
        expected = _expected_words(parser, allowed) if allowed else "a value"
        position = error.pos_in_stream or 0
        found = describe(text[position : position + 1])
    else:  # pragma: no cover - lark raises only the three above
        err_line, err_column, expected, found = 1, 1, "a value", "?"
    text_line = _line_of(text, err_line)
    if err_line == 1:
        err_column += column - 1
    return TlcParseError(source, line + err_line - 1, err_column, expected, found, text_line)
