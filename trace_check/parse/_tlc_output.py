"""Read TLC's whole output, plain or ``-tool`` mode, into a ``TlcOutput``.

Two grammars, two steps: ``_output_lines`` cuts the text into TLC's reports
(a ``-tool`` message, or a plain line or block), which ``grammars/tlc_output.lark``
arranges into verdicts, traces and facts; ``OutputTransformer`` turns that tree
into data, reading each state's values with ``grammars/value.lark``. Value texts
are cached per parse because consecutive states repeat most of their values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedInput, UnexpectedToken
from lark.common import LexerConf
from lark.exceptions import VisitError
from lark.lexer import Lexer

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse._error import TlcParseError, describe
from failure_lab.trace_check.parse._output_lines import (
    ASSUMPTION,
    INITIAL_STATE_VIOLATION,
    INVARIANT,
    INVARIANT_EVALUATION,
    plain_reports,
    tool_reports,
)
from failure_lab.trace_check.parse._trace import State, Trace, Violation
from failure_lab.trace_check.parse._values import Value
from failure_lab.trace_check.parse._variables import parse_variables

__all__ = ["Progress", "TlcOutput", "TlcParseError", "parse_progress", "parse_tlc_output"]

# The verdict each kind of violation makes; TLC's other verdicts are ok and spec_error.
_OUTCOME_OF_KIND = {
    "invariant": Outcome.INVARIANT_VIOLATED,
    "property": Outcome.PROPERTY_VIOLATED,
    "deadlock": Outcome.DEADLOCK,
    "assumption": Outcome.ASSUMPTION_FAILED,
    "evaluation_error": Outcome.EVALUATION_ERROR,
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
    """Everything TLC said: version, warnings, verdict, traces and statistics.

    ``outcome`` is TLC's verdict (never ``timeout`` or ``crashed``, which only the runner can
    tell), or None when the output ends before TLC gave one.
    """

    version: str | None
    warnings: tuple[str, ...]
    outcome: Outcome | None
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
_STATISTICS = re.compile(
    rf"^{_NUMBER} states generated, {_NUMBER} distinct states found, {_NUMBER} states left"
)
_DEPTH = re.compile(r"^The depth of the complete state graph search is (\d+)\.$")
_VERSION = re.compile(r"^TLC2 Version (\S+)")
_STATE = re.compile(r"^(?:State )?(\d+): (.*)$")
_BACK_TO_STATE = re.compile(r"^(?:Back to state (\d+): .*|(\d+): Back to state: .*)$")
_LABEL = re.compile(r"^<(.*?) ?(line \d+, col \d+ to line \d+, col \d+ of module \w+)>$")
_PARSE_LOCATION = re.compile(r"at line (\d+), column (\d+)")
_SEMANTIC_LOCATION = re.compile(r"^line (\d+), col (\d+) to line \d+, col \d+ of module (\w+)")
_COULD_NOT_PARSE = re.compile(r"^Could not parse module (\w+) from file (.*)$")
_FATAL_PARSE = re.compile(r"^Fatal errors while parsing TLA\+ spec in file (\w+)")

# What each report terminal is, in words, for "expected ..." in error messages.
_REPORT_WORDS = {
    "TRACE_START": "'The behavior up to this point is:'",
    "STATE": "a state",
    "BACK_TO_STATE": "'Back to state N'",
    "STUTTERING": "'Stuttering'",
    "$END": "end of input",
}


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


@dataclass(frozen=True, slots=True)
class _Report:
    """One report as the transformer reads it, before the whole output is put together."""

    kind: str
    text: str = ""
    name: str | None = None
    trace: Trace | None = None


@dataclass(frozen=True, slots=True)
class _StateReport:
    number: int
    action: str | None
    location: str | None
    variables: dict[str, Value]


class _Reports(Lexer):
    """Hands lark the report terminals already cut from the text (``parse`` receives a list of them)."""

    def __init__(self, lexer_conf: LexerConf) -> None:
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        yield from data


@functools.cache
def output_parser() -> Lark:
    """The output grammar compiled once."""
    grammar = (files("failure_lab.trace_check.parse") / "grammars" / "tlc_output.lark").read_text()
    return Lark(grammar, parser="lalr", lexer=_Reports)


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


def _sany_location(block: Sequence[str]) -> tuple[str | None, int, int] | None:
    """The module, line and column of SANY's first error, when it gives them."""
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
    return None if line_column is None else (module, *line_column)


def _explanation(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip())


def _line(token: Token) -> int:
    return token.line or 1


class OutputTransformer(Transformer[Token, Any]):
    """Turns the output grammar's tree into a ``TlcOutput``, one method per rule."""

    def __init__(self, source: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.source = source
        self.lines = lines
        self.cache: dict[str, Value] = {}

    def _fail(self, line: int, column: int, expected: str, found: str | None = None) -> TlcParseError:
        text_line = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return TlcParseError(
            self.source, line, column, expected, found or describe(text_line[column - 1 :]), text_line
        )

    # -- facts ------------------------------------------------------------------------------------------

    def version(self, children: list[Token]) -> _Report:
        match = _VERSION.match(children[0])
        return _Report("version", match.group(1) if match else "")

    def warning(self, children: list[Token]) -> _Report:
        return _Report("warning", str(children[0]))

    def progress(self, children: list[Token]) -> _Report:
        return _Report("progress", str(children[0]))

    def statistics(self, children: list[Token]) -> _Report:
        return _Report("statistics", str(children[0]))

    def depth(self, children: list[Token]) -> _Report:
        return _Report("depth", str(children[0]))

    def finished(self, children: list[Token]) -> _Report:
        return _Report("finished")

    def success(self, children: list[Token]) -> _Report:
        return _Report("success")

    def started(self, children: list[Token]) -> _Report:
        return _Report("started")

    def parsing_file(self, children: list[Token]) -> _Report:
        return _Report("parsing_file", children[0][len("Parsing file ") :])

    def sany_error(self, children: list[Token]) -> _Report:
        return _Report("sany_error", str(children[0]))

    def analysis_failed(self, children: list[Token]) -> _Report:
        return _Report("analysis_failed", str(children[0]))

    def error(self, children: list[Token]) -> _Report:
        return _Report("error", _explanation(children[0]))

    # -- verdicts ---------------------------------------------------------------------------------------

    def invariant(self, children: list[Token]) -> _Report:
        match = INVARIANT.match(children[0])
        return _Report("invariant", str(children[0]), match.group(1) if match else None)

    def initial_state_violation(self, children: list[Token]) -> _Report:
        token = children[0]
        first, _, body = token.partition("\n")
        match = INITIAL_STATE_VIOLATION.match(first)
        variables = self._variables(body, _line(token) + 1)
        trace = Trace(states=(State(1, None, None, variables),))
        return _Report("invariant", first.removesuffix(":"), match.group(1) if match else None, trace)

    def property(self, children: list[Token]) -> _Report:
        return _Report("property", str(children[0]))

    def deadlock(self, children: list[Token]) -> _Report:
        return _Report("deadlock", str(children[0]))

    def assumption(self, children: list[Token]) -> _Report:
        match = ASSUMPTION.match(children[0])
        return _Report("assumption", str(children[0]), match.group(1) if match else None)

    def exception(self, children: list[Token]) -> _Report:
        return _Report("evaluation_error", _explanation(children[0]))

    def invariant_evaluation(self, children: list[Token]) -> _Report:
        match = INVARIANT_EVALUATION.match(children[0].partition("\n")[0])
        return _Report("evaluation_error", _explanation(children[0]), match.group(1) if match else None)

    # -- traces -----------------------------------------------------------------------------------------

    def _variables(self, body: str, first_line: int) -> dict[str, Value]:
        def fail(position: int, column: int, expected: str, found: str | None) -> TlcParseError:
            return self._fail(first_line + position, column, expected, found)

        return parse_variables(body, source=self.source, first_line=first_line, cache=self.cache, fail=fail)

    def state(self, children: list[Token]) -> _StateReport:
        token = children[0]
        header, _, body = token.partition("\n")
        match = _STATE.match(header)
        if match is None:
            column = len("State ") + 1 if header.startswith("State ") else 1
            raise self._fail(_line(token), column, "a state header 'State N: <action>'")
        label = match.group(2)
        action: str | None = None
        location: str | None = None
        if label != "<Initial predicate>":
            labelled = _LABEL.match(label)
            if labelled is not None:
                action, location = labelled.group(1), labelled.group(2)
            elif label.startswith("<") and label.endswith(">"):
                action = label[1:-1]
            else:
                raise self._fail(_line(token), len(header) - len(label) + 1, "an action label <...>")
        return _StateReport(int(match.group(1)), action, location, self._variables(body, _line(token) + 1))

    def back_to_state(self, children: list[Token]) -> _Report:
        token = children[0]
        match = _BACK_TO_STATE.match(token)
        if match is None:
            raise self._fail(_line(token), 1, "'Back to state N: <action>'")
        return _Report("loop", str(int(match.group(1) or match.group(2)) - 1))

    def stuttering(self, children: list[Token]) -> _Report:
        return _Report("stuttering")

    def trace(self, children: list[Any]) -> list[_Report]:
        """One report per behaviour: TLC restarting its numbering at 1 starts another one."""
        behaviours: list[list[State]] = []
        previous: dict[str, Value] = {}
        for child in children[1:]:
            if not isinstance(child, _StateReport):
                continue
            if child.number == 1 or not behaviours:
                behaviours.append([])
                previous = {}
            # Under -difftrace TLC prints only what changed: the rest is the previous state's.
            variables = {**previous, **child.variables}
            behaviours[-1].append(State(child.number, child.action, child.location, variables))
            previous = variables
        ending = children[-1] if children and isinstance(children[-1], _Report) else None
        loop = int(ending.text) if ending is not None and ending.kind == "loop" else None
        stuttering = ending is not None and ending.kind == "stuttering"
        traces = [Trace(states=tuple(states)) for states in behaviours]
        if traces:
            traces[-1] = Trace(states=traces[-1].states, loop=loop, stuttering=stuttering)
        return [_Report("trace", trace=trace) for trace in traces]

    # -- the whole output -------------------------------------------------------------------------------

    def start(self, children: list[Any]) -> TlcOutput:
        reports: list[_Report] = []
        for child in children:
            reports.extend(child if isinstance(child, list) else [child])
        return _OutputBuilder(self.source).build(reports)


@dataclass(slots=True)
class _OutputBuilder:
    """Puts the reports together in order: traces belong to the verdict before them."""

    source: str
    version: str | None = None
    warnings: list[str] = field(default_factory=list)
    violations: list[tuple[str, str | None, list[str]]] = field(default_factory=list)
    traces: list[tuple[Trace, int | None]] = field(default_factory=list)
    spec_error: str | None = None
    spec_location: tuple[str | None, int, int] | None = None
    files: dict[str, str] = field(default_factory=dict)
    success: bool = False
    statistics: tuple[int, int, int] | None = None
    progress: Progress | None = None
    depth: int | None = None
    finished: bool = False
    started: bool = False

    def verdict(self, kind: str, name: str | None, text: str) -> None:
        self.violations.append((kind, name, [text]))

    def take(self, report: _Report) -> None:
        kind = report.kind
        if kind == "trace":
            assert report.trace is not None
            self.traces.append((report.trace, len(self.violations) - 1 if self.violations else None))
        elif kind in _OUTCOME_OF_KIND:
            self.verdict(kind, report.name, report.text)
            if report.trace is not None:
                self.traces.append((report.trace, len(self.violations) - 1))
        elif kind == "error":
            # An error after a verdict explains it; one while checking is a verdict of its own;
            # one before checking starts is about the spec or its configuration.
            if self.violations:
                self.violations[-1][2].append(report.text)
            elif self.started:
                self.verdict("evaluation_error", None, report.text)
            elif self.spec_error is None:
                self.spec_error = report.text
        elif kind == "sany_error":
            if self.spec_error is None:
                block = report.text.split("\n")
                self.spec_error = _sany_message(block)
                self.spec_location = _sany_location(block)
        elif kind == "analysis_failed":
            if self.spec_error is None:
                self.spec_error = report.text
        else:
            self.fact(report)

    def fact(self, report: _Report) -> None:
        kind, text = report.kind, report.text
        if kind == "version":
            self.version = text
        elif kind == "warning":
            self.warnings.append(text)
        elif kind == "progress":
            self.progress = parse_progress(text) or self.progress
        elif kind == "statistics":
            match = _STATISTICS.match(text)
            if match is not None:
                generated, distinct, left = match.groups()
                self.statistics = (_count(generated), _count(distinct), _count(left))
        elif kind == "depth":
            match = _DEPTH.match(text)
            self.depth = int(match.group(1)) if match else self.depth
        elif kind == "finished":
            self.finished = True
        elif kind == "success":
            self.success = True
        elif kind == "started":
            self.started = True
        elif kind == "parsing_file":
            self.files.setdefault(text.rsplit("/", 1)[-1].removesuffix(".tla"), text)

    def build(self, reports: list[_Report]) -> TlcOutput:
        for report in reports:
            self.take(report)
        violations = [Violation(kind, name, "\n".join(text)) for kind, name, text in self.violations]
        traces = tuple(
            Trace(trace.states, trace.loop, trace.stuttering, None if owner is None else violations[owner])
            for trace, owner in self.traces
            if trace.states
        )
        outcome: Outcome | None = None
        violated: str | None = None
        message: str | None = None
        if self.spec_error is not None and not violations:
            outcome, message = Outcome.SPEC_ERROR, self.spec_error
        elif violations:
            first = violations[0]
            outcome, violated, message = _OUTCOME_OF_KIND[first.kind], first.name, first.message
        elif self.success or (self.finished and self.statistics is not None):
            outcome = Outcome.OK
        counts: tuple[int | None, int | None, int | None] = (None, None, None)
        if self.statistics is not None:
            counts = self.statistics
        elif self.progress is not None:
            counts = (
                self.progress.states_generated,
                self.progress.distinct_states,
                self.progress.states_left,
            )
        location: tuple[str, int, int] | None = None
        if self.spec_location is not None and outcome is Outcome.SPEC_ERROR:
            module, line, column = self.spec_location
            file = self.files.get(module or "", f"{module}.tla" if module else "?")
            location = (file, line, column)
        return TlcOutput(
            version=self.version,
            warnings=tuple(self.warnings),
            outcome=outcome,
            violated=violated,
            message=message,
            error_location=location,
            traces=traces,
            states_generated=counts[0],
            distinct_states=counts[1],
            states_left=counts[2],
            depth=self.depth,
            finished=self.finished,
        )


def _expected(names: set[str] | frozenset[str]) -> str:
    """What the grammar wanted, in words: a trace's parts by name, anything else as 'a report'."""
    words = sorted({_REPORT_WORDS[name] for name in names if name in _REPORT_WORDS})
    if len(names) > len(words):
        words.append("another report")
    return words[0] if len(words) == 1 else "one of " + ", ".join(words)


def parse_tlc_output(text: str, *, source: str = "<tlc output>") -> TlcOutput:
    """Read TLC's output (plain or ``-tool`` mode); raises ``TlcParseError`` where it is not TLC's."""
    if "\r" in text:  # saved on Windows
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    cut = tool_reports if "@!@!@STARTMSG" in text else plain_reports
    reports = list(cut(lines, source))
    try:
        tree = output_parser().parse(reports)  # type: ignore[arg-type,unused-ignore]  # the lexer takes them
    except UnexpectedToken as error:
        token = error.token
        line = token.line if token.type != "$END" and token.line else len(lines)
        found = describe(token.split("\n")[0]) if token.type != "$END" else "end of input"
        text_line = lines[line - 1] if 0 < line <= len(lines) else ""
        raise TlcParseError(source, line, 1, _expected(error.expected), found, text_line) from None
    except UnexpectedInput as error:  # pragma: no cover - the reports lexer raises nothing else
        raise TlcParseError(source, 1, 1, "TLC output", str(error).split("\n")[0]) from None
    try:
        output: TlcOutput = OutputTransformer(source, lines).transform(tree)
    except VisitError as error:
        # lark wraps what a transformer method raises; ours raise only located parse errors.
        if isinstance(error.orig_exc, TlcParseError):
            raise error.orig_exc from None
        raise
    return output
