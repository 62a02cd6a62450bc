"""What a TLC run comes to: a typed outcome, TLC's figures, and the counterexample."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse import Trace
from failure_lab.trace_check.tlc.workspace import shown


@dataclass(frozen=True, slots=True)
class TlcResult:
    """One TLC run (or its cached twin) as data."""

    spec: Path
    config: Path
    outcome: Outcome
    violated: str | None
    message: str | None
    error_location: tuple[str, int, int] | None
    states_generated: int | None
    distinct_states: int | None
    depth: int | None
    seconds: float
    version: str | None
    jar: Path
    warnings: tuple[str, ...]
    traces: tuple[Trace, ...]
    output: Path
    cached: bool
    exit_code: int | None
    graph: Path | None = None  # the ``-dump dot,actionlabels`` file, when the request asked for one

    @property
    def trace(self) -> Trace | None:
        """The counterexample, if TLC printed one."""
        return self.traces[0] if self.traces else None

    def problem(self) -> str:
        """One line saying why a tool-error outcome tells nothing about the model."""
        if self.outcome is Outcome.SPEC_ERROR:
            where = shown(self.spec)
            if self.error_location is not None:
                file, line, column = self.error_location
                where = f"{shown(Path(file))}:{line}:{column}"
            detail = _sany_gist(self.message) or "TLC rejected the spec or its config"
            return f"{where}: {detail} (full output: {shown(self.output)})"
        if self.outcome is Outcome.TIMEOUT:
            seconds = f"{self.seconds:.1f} s"
            return f"{shown(self.spec)}: TLC timed out after {seconds} (partial output: {shown(self.output)})"
        if self.outcome is Outcome.CRASHED:
            detail = _one_line(self.message) or f"exit code {self.exit_code}"
            return f"{shown(self.spec)}: TLC crashed: {detail} (full output: {shown(self.output)})"
        return f"{self.spec.name}: {self.outcome}"


def _one_line(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _sany_gist(message: str | None) -> str:
    # SANY's report is a page; what was expected and what was found are its first lines.
    gist: list[str] = []
    for line in (message or "").splitlines():
        line = line.strip()
        if line.startswith("Residual stack trace") or len(gist) == 2:
            break
        if line and not line.startswith("***"):
            gist.append(line)
    return "; ".join(gist) or _one_line(message)
