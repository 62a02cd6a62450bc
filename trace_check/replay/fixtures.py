"""Counterexamples kept as regression data: one ITF file per bug variant, inside its bundle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse import Trace, dumps_itf, loads_itf
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.replay.mapping import MappingError
from failure_lab.trace_check.tlc import TlcRequest, Workspace, run_tlc


@dataclass(frozen=True, slots=True)
class Fixture:
    """A failure mode's saved counterexample for one variant."""

    fm: FailureMode
    variant: Variant
    path: Path

    @property
    def test_id(self) -> str:
        """``a09_stale_epoch-bug``."""
        return f"{self.fm.id}-{self.variant.name}"

    def load(self) -> Trace:
        """The saved trace; a missing or malformed file is a ``MappingError`` naming it."""
        if not self.path.is_file():
            raise MappingError(f"{self.path}: no saved trace; run `failure-lab fixtures` to record it")
        traces = loads_itf(self.path.read_text(encoding="utf-8"), source=str(self.path))
        if len(traces) != 1:
            raise MappingError(f"{self.path}: expected one trace, found {len(traces)}")
        return traces[0]


def fixtures(fm: FailureMode) -> tuple[Fixture, ...]:
    """The fixtures a failure mode keeps: one per variant that TLC must refute."""
    folder = fm.manifest.parent / "traces"
    return tuple(
        Fixture(fm, variant, folder / f"{variant.name}.itf.json")
        for variant in fm.variants
        if variant.expect is not Outcome.OK
    )


def fresh_trace(fixture: Fixture, workspace: Workspace) -> Trace:
    """The counterexample TLC finds today for the fixture's variant (through the runner's cache)."""
    result = run_tlc(
        TlcRequest(spec=fixture.fm.spec, config=fixture.variant.config, tlc_args=fixture.variant.tlc_args),
        workspace,
    )
    if result.outcome is not fixture.variant.expect or result.trace is None:
        raise MappingError(
            f"{fixture.test_id}: TLC says {result.outcome} with no counterexample,"
            f" expected {fixture.variant.expect}"
        )
    return result.trace


def itf_text(fixture: Fixture, trace: Trace, root: Path) -> str:
    """The ITF document saved for ``trace``, naming its config relative to the repository."""
    source = fixture.variant.config.relative_to(root).as_posix()
    return dumps_itf(trace, source=source, indent=2) + "\n"
