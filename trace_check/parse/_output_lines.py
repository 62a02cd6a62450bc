"""Cut TLC's output into the report terminals of ``grammars/tlc_output.lark``.

In ``-tool`` mode a report is a message (``@!@!@STARTMSG code:severity @!@!@`` ...
``@!@!@ENDMSG code @!@!@``), typed by its code and severity; in plain mode it is a
line (``Error: ...``, ``State 2: ...``) or the block of lines that belongs to it (a
state's variables, an error's explanation, SANY's report). Free text is skipped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from lark import Token

from failure_lab.trace_check.parse._error import TlcParseError, describe

STATISTICS = re.compile(
    r"^\d[\d,]* states generated, \d[\d,]* distinct states found, \d[\d,]* states left on queue\.$"
)
MESSAGE_START = re.compile(r"^@!@!@STARTMSG (\d+):(\d+) @!@!@$")
MESSAGE_END = re.compile(r"^@!@!@ENDMSG (\d+) @!@!@$")
INVARIANT = re.compile(r"^Invariant (\S+) is violated\.$")
INITIAL_STATE_VIOLATION = re.compile(r"^Invariant (\S+) is violated by the initial state:$")
INVARIANT_EVALUATION = re.compile(r"^(?:Evaluating invariant|The invariant) (\S+) (?:failed|was).*$")
ASSUMPTION = re.compile(r"^Assumption (.*) is false\.$")
TRACE_STARTS = ("The behavior up to this point is:", "The following behavior constitutes a counter-example:")

# -tool message codes (tlc2.output.EC) and severities that decide a message's terminal.
_CODE_STATE = 2217
_CODE_STUTTERING = 2218
_CODE_BACK_TO_STATE = 2122
_CODE_SUCCESS = 2193
_SEVERITY_ERROR = 1
_SEVERITY_WARNING = 3


class _Cutter:
    """Turns lines into terminals; ``line`` numbers are 1-based like the errors'."""

    def __init__(self, lines: Sequence[str], source: str) -> None:
        self.lines = lines
        self.source = source

    def fail(self, index: int, column: int, expected: str, found: str | None = None) -> TlcParseError:
        text_line = self.lines[index] if index < len(self.lines) else ""
        if found is None:
            found = describe(text_line[column - 1 :]) if index < len(self.lines) else "end of input"
        return TlcParseError(self.source, index + 1, column, expected, found, text_line)

    @staticmethod
    def token(kind: str, lines: Sequence[str], index: int) -> Token:
        end = len(lines)
        while end > 1 and not lines[end - 1].strip():
            end -= 1
        return Token(kind, "\n".join(lines[:end]), line=index + 1, column=1, end_line=index + end)

    def fact(self, line: str, index: int) -> Token | None:
        """A line that reads the same in both modes, or None for free text."""
        first = line[:1]
        if first == "P":
            if line.startswith("Progress("):
                return self.token("PROGRESS", [line], index)
            if line.startswith("Parsing file "):
                return self.token("PARSING_FILE", [line], index)
        elif first.isdigit():
            if STATISTICS.match(line):
                return self.token("STATISTICS", [line], index)
        elif line.startswith("The depth of the complete state graph search is "):
            return self.token("DEPTH", [line], index)
        elif line.startswith("TLC2 Version "):
            return self.token("VERSION", [line], index)
        elif line.startswith("Finished in "):
            return self.token("FINISHED", [line], index)
        elif line.startswith("Model checking completed. No error has been found."):
            return self.token("SUCCESS", [line], index)
        elif line.startswith(("Computing initial states", "Implied-temporal checking")):
            return self.token("STARTED", [line], index)
        return None

    @staticmethod
    def error_kind(first: str) -> str:
        """The terminal of an error report from its first line (``Error: `` already stripped)."""
        if first in TRACE_STARTS:
            return "TRACE_START"
        if INITIAL_STATE_VIOLATION.match(first):
            return "INITIAL_STATE_VIOLATION"
        if INVARIANT.match(first):
            return "INVARIANT"
        if first.startswith("Temporal properties were violated"):
            return "PROPERTY"
        if first.startswith("Deadlock reached"):
            return "DEADLOCK"
        if ASSUMPTION.match(first):
            return "ASSUMPTION"
        if first.startswith("TLC threw an unexpected exception"):
            return "EXCEPTION"
        if INVARIANT_EVALUATION.match(first):
            return "INVARIANT_EVALUATION"
        if first.startswith("Parsing or semantic analysis failed"):
            return "ANALYSIS_FAILED"
        return "ERROR"


def _block_end(lines: Sequence[str], start: int) -> int:
    """The index of the blank line (or end) closing the block that starts at ``start``."""
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _sany_block_end(lines: Sequence[str], start: int) -> int:
    """SANY's error report runs until TLC speaks again (``Starting...``, an error, a tool message)."""
    end = start
    while end < len(lines) and not lines[end].startswith(
        ("Starting...", "@!@!@", "SANY finished", "Error: ")
    ):
        end += 1
    return end


def _is_sany_start(line: str) -> bool:
    return line.startswith(("***Parse Error***", "Semantic errors:", "Fatal errors while parsing"))


def plain_reports(lines: Sequence[str], source: str) -> Iterator[Token]:
    """The reports of plain output."""
    cutter = _Cutter(lines, source)
    index = 0
    total = len(lines)
    while index < total:
        line = lines[index]
        if line.startswith("State "):
            if line.endswith(": Stuttering"):
                yield cutter.token("STUTTERING", [line], index)
                index += 1
                continue
            end = _block_end(lines, index + 1)
            yield cutter.token("STATE", lines[index:end], index)
            index = end
            continue
        if line.startswith("Back to state "):
            yield cutter.token("BACK_TO_STATE", [line], index)
            index += 1
            continue
        if line.startswith("Error: "):
            first = line[len("Error: ") :]
            kind = cutter.error_kind(first)
            if kind == "INITIAL_STATE_VIOLATION":
                end = _block_end(lines, index + 1)
            elif kind in ("EXCEPTION", "INVARIANT_EVALUATION", "ERROR"):
                # An error's explanation runs until the next thing TLC reports.
                end = index + 1
                while end < total:
                    following = lines[end]
                    if following.startswith(("Error: ", "State ", "Finished in", "Progress(")):
                        break
                    if STATISTICS.match(following):
                        break
                    end += 1
            else:
                end = index + 1
            yield cutter.token(kind, [first, *lines[index + 1 : end]], index)
            index = end
            continue
        if line.startswith("Warning: "):
            yield cutter.token("WARNING", [line[len("Warning: ") :]], index)
            index += 1
            continue
        if _is_sany_start(line):
            end = _sany_block_end(lines, index)
            yield cutter.token("SANY_ERROR", lines[index:end], index)
            index = end
            continue
        fact = cutter.fact(line, index)
        if fact is not None:
            yield fact
        index += 1


def _message_body(cutter: _Cutter, marks: Sequence[int], index: int, code: int) -> tuple[list[str], int]:
    """The text of the message opened at ``index`` and the index after its end.

    ``marks`` are the indexes of the lines that start with ``@!@!@``, so the body is
    sliced, not scanned. TLC nests messages (an invariant's evaluation error carries
    its cause as a message of its own); a nested message's text joins its parent's.
    """
    lines = cutter.lines
    body: list[str] = []
    position = index + 1
    while True:
        mark = marks[bisect.bisect_left(marks, position)] if position <= marks[-1] else len(lines)
        body.extend(lines[position:mark])
        if mark >= len(lines):
            # The output stops inside a message (TLC was killed): keep what was written.
            return body, mark
        line = lines[mark]
        nested = MESSAGE_START.match(line)
        if nested is not None:
            inner, position = _message_body(cutter, marks, mark, int(nested.group(1)))
            body.extend(inner)
            continue
        closing = MESSAGE_END.match(line)
        if closing is None:
            raise cutter.fail(mark, 1, f"'@!@!@ENDMSG {code} @!@!@'")
        if int(closing.group(1)) != code:
            raise cutter.fail(mark, 14, f"the end of message {code}", describe(closing.group(1)))
        return body, mark + 1


def tool_reports(lines: Sequence[str], source: str) -> Iterator[Token]:
    """The reports of ``-tool`` output: one per message, plus the facts among the free text."""
    cutter = _Cutter(lines, source)
    marks = [index for index, line in enumerate(lines) if line.startswith("@!@!@")]
    index = 0
    total = len(lines)
    while index < total:
        line = lines[index]
        if not line.startswith("@!@!@"):
            if _is_sany_start(line):
                end = _sany_block_end(lines, index)
                yield cutter.token("SANY_ERROR", lines[index:end], index)
                index = end
                continue
            fact = cutter.fact(line, index)
            if fact is not None:
                yield fact
            index += 1
            continue
        start = MESSAGE_START.match(line)
        if start is None:
            raise cutter.fail(index, 1, "a message start '@!@!@STARTMSG code:severity @!@!@'")
        code, severity = int(start.group(1)), int(start.group(2))
        body, after = _message_body(cutter, marks, index, code)
        if not body:
            raise cutter.fail(index + 1, 1, f"the text of message {code}")
        first_line = index + 1
        if code == _CODE_STATE:
            yield cutter.token("STATE", body, first_line)
        elif code == _CODE_STUTTERING:
            yield cutter.token("STUTTERING", body[:1], first_line)
        elif code == _CODE_BACK_TO_STATE:
            yield cutter.token("BACK_TO_STATE", body[:1], first_line)
        elif severity == _SEVERITY_WARNING:
            yield cutter.token("WARNING", [text for text in body if text.strip()], first_line)
        elif severity == _SEVERITY_ERROR:
            kind = cutter.error_kind(body[0])
            kept = body[: _block_end(body, 1)] if kind == "INITIAL_STATE_VIOLATION" else body
            yield cutter.token(kind, kept, first_line)
        elif code == _CODE_SUCCESS:
            yield cutter.token("SUCCESS", body[:1], first_line)
        else:
            for offset, text in enumerate(body):
                fact = cutter.fact(text, first_line + offset)
                if fact is not None:
                    yield fact
        index = after
