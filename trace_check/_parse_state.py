"""The variables of one state as TLC prints them (``/\\ name = value`` lines), shared by traces and dumps."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from trace_check._parse_error import TlcParseError
from trace_check._parse_value import parse_value
from trace_check.values import Value

VARIABLE = re.compile(r"^(?:/\\ )?([A-Za-z_][A-Za-z0-9_]*) = ")

# Raised for a line that is not a variable: (index into the body, column, expected).
Fail = Callable[[int, int, str, str | None], TlcParseError]


def parse_variables(
    body: Sequence[str], *, source: str, first_line: int, cache: dict[str, Value], fail: Fail
) -> dict[str, Value]:
    """Parse ``/\\ name = value`` lines (a value may continue on the following lines).

    ``first_line`` is the 1-based line of ``body[0]`` in ``source``; ``cache`` maps
    value texts already read to their values, because consecutive states repeat
    most of them; ``fail(position, column, expected, found)`` builds the error for
    a line that is not a variable (or a value that does not parse).
    """
    found: dict[str, Value] = {}
    position = 0
    total = len(body)
    while position < total:
        line = body[position]
        match = VARIABLE.match(line)
        if match is None:
            raise fail(position, 1, "a variable line '/\\ name = value'", None)
        end = position + 1
        while end < total and not body[end].startswith("/\\ "):
            end += 1
        start = match.end()
        value_text = (
            line[start:] if end == position + 1 else "\n".join([line[start:], *body[position + 1 : end]])
        )
        value = cache.get(value_text)
        if value is None:
            try:
                value = parse_value(value_text, source=source, line=first_line + position, column=start + 1)
            except TlcParseError as error:
                raise fail(error.line - first_line, error.column, error.expected, error.found) from None
            cache[value_text] = value
        found[match.group(1)] = value
        position = end
    return found
