"""The variables of one state as TLC prints them (``/\\ name = value`` lines), shared by traces and dumps."""

from __future__ import annotations

import re
from collections.abc import Callable

from failure_lab.trace_check.parse._error import TlcParseError
from failure_lab.trace_check.parse._value_parser import parse_value
from failure_lab.trace_check.parse._values import Value

VARIABLE = re.compile(r"^(?:/\\ )?([A-Za-z_][A-Za-z0-9_]*) = ")
# A variable starts each line that begins with "/\ "; the lines between belong to its value.
_NEXT_VARIABLE = re.compile(r"\n(?=/\\ )")

# Raised for a line that is not a variable: (index into the body, column, expected).
Fail = Callable[[int, int, str, str | None], TlcParseError]


def parse_variables(
    body: str, *, source: str, first_line: int, cache: dict[str, Value], fail: Fail
) -> dict[str, Value]:
    """Parse the ``/\\ name = value`` lines of ``body`` (a value may continue on the following lines).

    ``first_line`` is the 1-based line of the body's first line in ``source``;
    ``cache`` maps value texts already read to their values, because consecutive
    states repeat most of them; ``fail(line offset, column, expected, found)``
    builds the error for a line that is not a variable or a value that does not parse.
    """
    found: dict[str, Value] = {}
    if not body:
        return found
    offset = 0
    for chunk in _NEXT_VARIABLE.split(body):
        match = VARIABLE.match(chunk)
        if match is None:
            raise fail(offset, 1, "a variable line '/\\ name = value'", None)
        start = match.end()
        value_text = chunk[start:]
        value = cache.get(value_text)
        if value is None:
            try:
                value = parse_value(value_text, source=source, line=first_line + offset, column=start + 1)
            except TlcParseError as error:
                raise fail(error.line - first_line, error.column, error.expected, error.found) from None
            cache[value_text] = value
        found[match.group(1)] = value
        offset += chunk.count("\n") + 1
    return found
