"""Read TLC's whole output, plain or ``-tool`` mode, into a ``TlcOutput``.

TLC's output is a stream of lines (plain) or of numbered messages (``-tool``) among
which free text (SANY's report, ``Print`` output, Java stack traces) is legitimate,
so the structure is read by a line scanner; the values inside states, where the
real syntax is, go through the lark grammar ``grammars/value.lark``. Value texts
are cached per parse because consecutive states repeat most of their values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from trace_check._parse_error import TlcParseError, describe
from trace_check._parse_state import parse_variables
from trace_check.trace import State, Trace, Violation
from trace_check.values import Value

__all__ = ["Progress", "TlcOutput", "TlcParseError", "parse_progress", "parse_tlc_output"]

OUTCOMES = (
    "ok",
    "invariant_violated",
    "property_violated",
    "deadlock",
    "assumption_failed",
    "evaluation_error",
    "spec_error",
)
_OUTCOME_OF_KIND = {
    "invariant": "invariant_violated",
    "property": "property_violated",
    "deadlock": "deadlock",
    "assumption": "assumption_failed",
    "evaluation_error": "evaluation_error",
}


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress report; ``states_per_minute`` is None when TLC does not give the rate."""

    states_generated: int
    distinct_states: int
    states_left: int
    states_per_minute: int | None
    depth: int | None = None


@dataclass(frozen=True, slots=True)
class TlcOutput:
    """Everything TLC said: version, warnings, verdict, traces and statistics."""

    version: str | None
    warnings: tuple[str, ...]
    outcome: str | None
    violated: str | None
    message: str | None
    error_location: tuple[str, int, int] | None
    traces: tuple[Trace, ...]
    states_generated: int | None
    distinct_states: int | None
    states_left: int | None
    depth: int | None
    finished: bool


_NUMBER = r"(\d[\d,]*)"
_PROGRESS = re.compile(
    rf"Progress\((\d+)\) at .*?: {_NUMBER} states generated(?: \({_NUMBER} s/min\))?, "
    rf"{_NUMBER} distinct states found(?: \({_NUMBER} ds/min\))?, {_NUMBER} states left on queue\.\s*$"
)
_STATS = re.compile(
    rf"^{_NUMBER} states generated, {_NUMBER} distinct states found, {_NUMBER} states left on queue\.$"
)
_DEPTH = re.compile(r"^The depth of the complete state graph search is (\d+)\.$")
_VERSION = re.compile(r"^TLC2 Version (\S+)")
_STATE = re.compile(r"^State (\d+): (.*)$")
_TOOL_STATE = re.compile(r"^(\d+): (.*)$")
_BACK = re.compile(r"^Back to state (\d+): (.*)$")
_TOOL_BACK = re.compile(r"^(\d+): Back to state: (.*)$")
_LABEL = re.compile(r"^<(.*?) ?(line \d+, col \d+ to line \d+, col \d+ of module \w+)>$")
_MESSAGE_START = re.compile(r"^@!@!@STARTMSG (\d+):(\d+) @!@!@$")
_MESSAGE_END = re.compile(r"^@!@!@ENDMSG (\d+) @!@!@$")
_PARSE_LOCATION = re.compile(r"at line (\d+), column (\d+)")
_SEMANTIC_LOCATION = re.compile(r"^line (\d+), col (\d+) to line \d+, col \d+ of module (\w+)")
_PARSING_FILE = re.compile(r"^Parsing file (.*)$")
_COULD_NOT_PARSE = re.compile(r"^Could not parse module (\w+) from file (.*)$")
_FATAL_PARSE = re.compile(r"^Fatal errors while parsing TLA\+ spec in file (\w+)")

_INVARIANT = re.compile(r"^Invariant (\S+) is violated\.$")
_INVARIANT_INITIAL = re.compile(r"^Invariant (\S+) is violated by the initial state:$")
_INVARIANT_EVALUATION = re.compile(r"^(?:Evaluating invariant|The invariant) (\S+) (?:failed|was).*$")
_ASSUMPTION = re.compile(r"^Assumption (.*) is false\.$")
_TRACE_STARTS = ("The behavior up to this point is:", "The following behavior constitutes a counter-example:")

# -tool message codes (tlc2.output.EC / MP).
_CODE_VERSION = 2262
_CODE_STATE = 2217
_CODE_STUTTERING = 2218
_CODE_BACK_TO_STATE = 2122
_CODE_STATS = 2199
_CODE_DEPTH = 2194
_CODE_FINISHED = 2186
_CODE_SUCCESS = 2193
_CODE_PROGRESS = 2200
_CODE_STARTING = 2185
_SEVERITY_ERROR = 1
_SEVERITY_WARNING = 3


def _count(text: str) -> int:
    return int(text.replace(",", ""))


def parse_progress(line: str) -> Progress | None:
    """The numbers of one TLC progress line (``Progress(2) at ...``), or None if it is not one."""
    match = _PROGRESS.search(line)
    if match is None:
        return None
    depth, generated, per_minute, distinct, _distinct_per_minute, left = match.groups()
    return Progress(
        states_generated=_count(generated),
        distinct_states=_count(distinct),
        states_left=_count(left),
        states_per_minute=_count(per_minute) if per_minute else None,
        depth=int(depth),
    )


@dataclass(slots=True)
class _PendingTrace:
    violation_index: int | None
    states: list[State] = field(default_factory=list)
    loop: int | None = None
    stuttering: bool = False


@dataclass(slots=True)
class _Reader:
    """Accumulates what the scanner finds; ``finish`` freezes it into a ``TlcOutput``."""

    source: str
    lines: Sequence[str]
    version: str | None = None
    warnings: list[str] = field(default_factory=list)
    violations: list[tuple[str, str | None, list[str]]] = field(default_factory=list)
    traces: list[_PendingTrace] = field(default_factory=list)
    spec_error: str | None = None
    error_location: tuple[str, int, int] | None = None
    success: bool = False
    stats: tuple[int, int, int] | None = None
    last_progress: Progress | None = None
    depth: int | None = None
    finished: bool = False
    started: bool = False
    files: dict[str, str] = field(default_factory=dict)
    cache: dict[str, Value] = field(default_factory=dict)

    # -- errors -------------------------------------------------------------------------------------

    def fail(self, index: int, column: int, expected: str, found: str | None = None) -> TlcParseError:
        text_line = self.lines[index] if index < len(self.lines) else ""
        if found is None:
            found = describe(text_line[column - 1 :]) if index < len(self.lines) else "end of input"
        return TlcParseError(self.source, index + 1, column, expected, found, text_line)

    # -- violations and traces ----------------------------------------------------------------------

    def violation(self, kind: str, name: str | None, message: str) -> None:
        self.violations.append((kind, name, [message]))

    def add_detail(self, text: str) -> None:
        if self.violations and text:
            self.violations[-1][2].append(text)

    def start_trace(self) -> _PendingTrace:
        trace = _PendingTrace(len(self.violations) - 1 if self.violations else None)
        self.traces.append(trace)
        return trace

    def current_trace(self) -> _PendingTrace:
        if not self.traces or self.traces[-1].violation_index != (
            len(self.violations) - 1 if self.violations else None
        ):
            return self.start_trace()
        return self.traces[-1]

    def state(self, index: int, number: int, label: str, body: Sequence[str], body_start: int) -> None:
        """A state block: its header at line ``index``, its variables in ``body`` from ``body_start``."""
        trace = self.current_trace()
        if number == 1 and trace.states:
            # Numbering starts again without a new header: another behaviour of the same report.
            trace = self.start_trace()
        if label == "<Initial predicate>":
            action: str | None = None
            location: str | None = None
        else:
            match = _LABEL.match(label)
            if match is None:
                if not (label.startswith("<") and label.endswith(">")):
                    raise self.fail(index, len(self.lines[index]) - len(label) + 1, "an action label <...>")
                action, location = label[1:-1], None
            else:
                action, location = match.group(1), match.group(2)
        variables = dict(trace.states[-1].variables) if trace.states else {}
        variables.update(self.variables(body, body_start))
        trace.states.append(State(number, action, location, variables))

    def variables(self, body: Sequence[str], body_start: int) -> dict[str, Value]:
        """Parse the ``/\\ name = value`` lines of a state whose body starts at line index ``body_start``."""

        def fail(position: int, column: int, expected: str, found: str | None) -> TlcParseError:
            return self.fail(body_start + position, column, expected, found)

        return parse_variables(
            body, source=self.source, first_line=body_start + 1, cache=self.cache, fail=fail
        )

    # -- spec errors ---------------------------------------------------------------------------------

    def sany_error(self, block: Sequence[str]) -> None:
        if self.spec_error is not None:
            return
        self.spec_error = _sany_message(block)
        module: str | None = None
        line_column: tuple[int, int] | None = None
        for line in block:
            semantic = _SEMANTIC_LOCATION.match(line)
            if semantic and line_column is None:
                line_column = (int(semantic.group(1)), int(semantic.group(2)))
                module = semantic.group(3)
            parse = _PARSE_LOCATION.search(line)
            if parse and line_column is None:
                line_column = (int(parse.group(1)), int(parse.group(2)))
            fatal = _FATAL_PARSE.match(line) or _COULD_NOT_PARSE.match(line)
            if fatal and module is None:
                module = fatal.group(1)
        if line_column is not None:
            file = self.files.get(module or "", f"{module}.tla" if module else "?")
            self.error_location = (file, *line_column)

    # -- the verdict ---------------------------------------------------------------------------------

    def finish(self) -> TlcOutput:
        violations = [Violation(kind, name, "\n".join(message)) for kind, name, message in self.violations]
        traces = tuple(
            Trace(
                states=tuple(pending.states),
                loop=pending.loop,
                stuttering=pending.stuttering,
                violation=violations[pending.violation_index]
                if pending.violation_index is not None
                else None,
            )
            for pending in self.traces
            if pending.states
        )
        outcome: str | None = None
        violated: str | None = None
        message: str | None = None
        if self.spec_error is not None and not violations:
            outcome, message = "spec_error", self.spec_error
        elif violations:
            first = violations[0]
            outcome, violated, message = _OUTCOME_OF_KIND[first.kind], first.name, first.message
        elif self.success or (self.finished and self.stats is not None):
            outcome = "ok"
        generated = distinct = left = None
        if self.stats is not None:
            generated, distinct, left = self.stats
        elif self.last_progress is not None:
            progress = self.last_progress
            generated, distinct, left = (
                progress.states_generated,
                progress.distinct_states,
                progress.states_left,
            )
        return TlcOutput(
            version=self.version,
            warnings=tuple(self.warnings),
            outcome=outcome,
            violated=violated,
            message=message,
            error_location=self.error_location,
            traces=traces,
            states_generated=generated,
            distinct_states=distinct,
            states_left=left,
            depth=self.depth,
            finished=self.finished,
        )

    # -- lines shared by both modes ------------------------------------------------------------------

    def common_line(self, line: str) -> bool:
        """Handle a line that reads the same in both modes; False if it is not one of those."""
        if line.startswith("Parsing file "):
            path = line[len("Parsing file ") :]
            stem = path.rsplit("/", 1)[-1].removesuffix(".tla")
            self.files.setdefault(stem, path)
            return True
        if line.startswith("Progress("):
            progress = parse_progress(line)
            if progress is not None:
                self.last_progress = progress
            return progress is not None
        stats = _STATS.match(line)
        if stats:
            generated, distinct, left = stats.groups()
            self.stats = (_count(generated), _count(distinct), _count(left))
            return True
        depth = _DEPTH.match(line)
        if depth:
            self.depth = int(depth.group(1))
            return True
        version = _VERSION.match(line)
        if version:
            self.version = version.group(1)
            return True
        if line.startswith("Finished in "):
            self.finished = True
            return True
        if line.startswith("Model checking completed. No error has been found."):
            self.success = True
            return True
        if line.startswith(("Computing initial states", "Implied-temporal checking")):
            # From here on an unrecognised error is about evaluating the spec, not reading it.
            self.started = True
            return True
        return False

    def error(self, first: str, details: Sequence[str]) -> str | None:
        """An error report (``Error: `` stripped); returns a violation kind when it opens one."""
        detail_text = "\n".join(line for line in details if line.strip())
        if first in _TRACE_STARTS:
            self.start_trace()
            return None
        if (match := _INVARIANT_INITIAL.match(first)) is not None:
            self.violation("invariant", match.group(1), first.removesuffix(":"))
            return "invariant_initial"
        if (match := _INVARIANT.match(first)) is not None:
            self.violation("invariant", match.group(1), first)
        elif first.startswith("Temporal properties were violated"):
            self.violation("property", None, first)
        elif first.startswith("Deadlock reached"):
            self.violation("deadlock", None, first)
        elif (match := _ASSUMPTION.match(first)) is not None:
            self.violation("assumption", match.group(1), first)
        elif first.startswith("TLC threw an unexpected exception"):
            self.violation("evaluation_error", None, "\n".join(filter(None, (first, detail_text))))
            return "evaluation_error"
        elif (match := _INVARIANT_EVALUATION.match(first)) is not None:
            self.violation("evaluation_error", match.group(1), "\n".join(filter(None, (first, detail_text))))
            return "evaluation_error"
        elif first.startswith("Parsing or semantic analysis failed"):
            if self.spec_error is None:
                self.spec_error = first
        elif self.violations:
            self.add_detail("\n".join(filter(None, (first, detail_text))))
        elif self.started:
            self.violation("evaluation_error", None, "\n".join(filter(None, (first, detail_text))))
            return "evaluation_error"
        elif self.spec_error is None:
            self.spec_error = "\n".join(filter(None, (first, detail_text)))
        return "other"


def _block_end(lines: Sequence[str], start: int) -> int:
    """The index of the blank line (or end) closing the block that starts at ``start``."""
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _sany_block_end(lines: Sequence[str], start: int) -> int:
    """SANY's error report runs until TLC speaks again (``Starting...`` or a tool message)."""
    end = start
    while end < len(lines) and not lines[end].startswith(
        ("Starting...", "@!@!@", "SANY finished", "Error: ")
    ):
        end += 1
    return end


def _sany_message(block: Sequence[str]) -> str:
    """SANY's first error, without its banner and the parser's stack of enclosing definitions."""
    lines = [line.strip() for line in block]
    if lines and lines[0] == "***Parse Error***":
        end = (
            lines.index("Residual stack trace follows:")
            if "Residual stack trace follows:" in lines
            else len(lines)
        )
        return "\n".join(line for line in lines[1:end] if line)
    for position, line in enumerate(lines):
        if _SEMANTIC_LOCATION.match(line):
            message = [line]
            for following in lines[position + 1 :]:
                if _SEMANTIC_LOCATION.match(following) or (message[1:] and not following):
                    break
                if following:
                    message.append(following)
            return "\n".join(message)
    return "\n".join(line for line in lines if line)


def _is_sany_start(line: str) -> bool:
    return line.startswith(("***Parse Error***", "Semantic errors:", "Fatal errors while parsing"))


def _read_plain(reader: _Reader, lines: Sequence[str]) -> None:
    index = 0
    total = len(lines)
    while index < total:
        line = lines[index]
        if line.startswith("State "):
            match = _STATE.match(line)
            if match is None:
                raise reader.fail(index, 7, "a state header 'State N: <action>'")
            number, label = int(match.group(1)), match.group(2)
            if label == "Stuttering":
                reader.current_trace().stuttering = True
                index += 1
                continue
            end = _block_end(lines, index + 1)
            reader.state(index, number, label, lines[index + 1 : end], index + 1)
            index = end
            continue
        if line.startswith("Back to state "):
            match = _BACK.match(line)
            if match is None:
                raise reader.fail(index, 15, "'Back to state N: <action>'")
            reader.current_trace().loop = int(match.group(1)) - 1
            index += 1
            continue
        if line.startswith("Error: "):
            # An error's details run until the next thing TLC reports.
            end = index + 1
            while (
                end < total
                and not lines[end].startswith(("Error: ", "State "))
                and not _STATS.match(lines[end])
            ):
                if lines[end].startswith(("Finished in", "Progress(")):
                    break
                end += 1
            kind = reader.error(line[len("Error: ") :], lines[index + 1 : end])
            if kind == "invariant_initial":
                body_end = _block_end(lines, index + 1)
                reader.state(index, 1, "<Initial predicate>", lines[index + 1 : body_end], index + 1)
                index = body_end
            elif kind in ("evaluation_error", "other"):
                index = end
            else:
                index += 1
            continue
        if line.startswith("Warning: "):
            reader.warnings.append(line[len("Warning: ") :])
            index += 1
            continue
        if _is_sany_start(line):
            end = _sany_block_end(lines, index)
            reader.sany_error(lines[index:end])
            index = end
            continue
        reader.common_line(line)
        index += 1


def _read_tool(reader: _Reader, lines: Sequence[str]) -> None:
    index = 0
    total = len(lines)
    while index < total:
        line = lines[index]
        start = _MESSAGE_START.match(line) if line.startswith("@!@!@STARTMSG") else None
        if start is None:
            if _is_sany_start(line):
                end = _sany_block_end(lines, index)
                reader.sany_error(lines[index:end])
                index = end
                continue
            if line.startswith("@!@!@"):
                raise reader.fail(index, 1, "a message start '@!@!@STARTMSG code:severity @!@!@'")
            reader.common_line(line)
            index += 1
            continue
        code, severity = int(start.group(1)), int(start.group(2))
        body_start = index + 1
        body, index = _message_body(reader, lines, index, code)
        _tool_message(reader, code, severity, body, body_start)


def _message_body(reader: _Reader, lines: Sequence[str], index: int, code: int) -> tuple[list[str], int]:
    """The text of the message opened at ``index`` and the index after its end.

    TLC nests messages (an invariant's evaluation error carries the cause as a
    message of its own); a nested message's text becomes part of its parent's.
    """
    body: list[str] = []
    position = index + 1
    total = len(lines)
    while position < total:
        line = lines[position]
        if line.startswith("@!@!@"):
            nested = _MESSAGE_START.match(line)
            if nested is not None:
                inner, position = _message_body(reader, lines, position, int(nested.group(1)))
                body.extend(inner)
                continue
            closing = _MESSAGE_END.match(line)
            if closing is None:
                raise reader.fail(position, 1, f"'@!@!@ENDMSG {code} @!@!@'")
            if int(closing.group(1)) != code:
                raise reader.fail(position, 14, f"the end of message {code}", describe(closing.group(1)))
            return body, position + 1
        body.append(line)
        position += 1
    # The output stops inside a message (TLC was killed): keep what was written.
    return body, position


def _tool_message(reader: _Reader, code: int, severity: int, body: Sequence[str], body_start: int) -> None:
    if not body:
        raise reader.fail(body_start, 1, f"the text of message {code}")
    first = body[0]
    if code == _CODE_STATE:
        match = _TOOL_STATE.match(first)
        if match is None:
            raise reader.fail(body_start, 1, "a state header 'N: <action>'")
        end = _block_end(body, 1)
        reader.state(body_start, int(match.group(1)), match.group(2), body[1:end], body_start + 1)
    elif code == _CODE_STUTTERING:
        reader.current_trace().stuttering = True
    elif code == _CODE_BACK_TO_STATE:
        match = _TOOL_BACK.match(first)
        if match is None:
            raise reader.fail(body_start, 1, "'N: Back to state: <action>'")
        reader.current_trace().loop = int(match.group(1)) - 1
    elif severity == _SEVERITY_WARNING:
        reader.warnings.append("\n".join(line for line in body if line.strip()))
    elif severity == _SEVERITY_ERROR:
        kind = reader.error(first, body[1:])
        if kind == "invariant_initial":
            end = _block_end(body, 1)
            reader.state(body_start, 1, "<Initial predicate>", body[1:end], body_start + 1)
    elif code == _CODE_SUCCESS:
        reader.success = True
    else:
        for line in body:
            reader.common_line(line)


def parse_tlc_output(text: str, *, source: str = "<tlc output>") -> TlcOutput:
    """Read TLC's output (plain or ``-tool`` mode); raises ``TlcParseError`` where it is not TLC's."""
    lines = text.split("\n")
    reader = _Reader(source=source, lines=lines)
    if "@!@!@STARTMSG" in text:
        _read_tool(reader, lines)
    else:
        _read_plain(reader, lines)
    return reader.finish()
