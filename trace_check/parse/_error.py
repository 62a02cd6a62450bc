"""The parser's one exception: where the text stopped being TLC's, and what was expected there."""

from __future__ import annotations

from failure_lab.trace_check.errors import TraceCheckError


class TlcParseError(TraceCheckError):
    """Text that is not TLC output (or not a TLA+ value as TLC prints it).

    ``str()`` is one line: ``source:line:column: expected X, found Y``; ``render()``
    adds the offending source line with a ``~~~^`` marker under the column.
    """

    def __init__(
        self, source: str, line: int, column: int, expected: str, found: str, text_line: str = ""
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
        self.text_line = text_line
        super().__init__(f"{source}:{line}:{column}: expected {expected}, found {found}")

    def render(self) -> str:
        """The one-line message, the source line, and a marker under the column."""
        marker = "~" * max(self.column - 1, 0) + "^"
        return f"{self}\n    {self.text_line}\n    {marker}"


def describe(text: str, max_length: int = 20) -> str:
    """A short quoted excerpt of ``text`` for an error message (``end of input`` when empty)."""
    if not text:
        return "end of input"
    excerpt = text if len(text) <= max_length else text[:max_length] + "..."
    return repr(excerpt)
