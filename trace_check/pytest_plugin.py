"""A pytest plugin: every saved counterexample becomes repro and prevent tests, no Java needed.

Inside a bundle (``failure_modes/<id>/traces/<variant>.itf.json``) the plugin finds the
failure mode from its manifest and collects ``<id>-<variant>-repro`` and ``-prevent``.
For a trace of your own, point it at the file and your mapping::

    pytest --replay-itf my.itf.json --replay-mapping my_pkg.mapping:MAPPING \\
           --replay-guard epoch_fence --replay-action Complete --replay-invariant CompletedUsesCurrentEpoch
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.parse import Trace, loads_itf
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.replay import SpecMapping, judge_prevent, judge_repro, load_mapping, replay
from failure_lab.trace_check.replay.mapping import import_mapping
from failure_lab.trace_check.replay.report import divergence_report


@dataclass(frozen=True, slots=True)
class ReplayCase:
    """Everything one saved trace needs to be judged in both directions."""

    trace_path: Path
    mapping: SpecMapping
    guard: str
    action: str
    invariant: str


class ReplayFailed(Exception):
    """A replay whose verdict is not the expected one; the message is the whole report."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("failure-lab replay")
    group.addoption("--replay-itf", type=Path, help="replay this ITF trace as repro and prevent tests")
    group.addoption("--replay-mapping", help="MODULE:NAME of the SpecMapping for --replay-itf")
    group.addoption("--replay-guard", help="the runtime guard the trace's bug removes")
    group.addoption("--replay-action", help="the spec action at which the guard acts")
    group.addoption("--replay-invariant", help="the invariant the trace violates")


def _bundle_case(path: Path) -> ReplayCase | None:
    bundle = path.parent.parent
    if path.parent.name != "traces" or not (bundle / "failure_mode.toml").is_file():
        return None
    fm = load_registry(bundle.parent.parent).get(bundle.name)
    variant = fm.variant(path.name.removesuffix(".itf.json"))
    if fm.python_guard is None or fm.guarded_action is None:
        raise TraceCheckError(
            f"{fm.manifest}: python_guard and guarded_action are needed to replay {path.name}"
        )
    invariant = variant.violated or fm.invariant or ""
    return ReplayCase(path, load_mapping(fm), fm.python_guard, fm.guarded_action, invariant)


def _option_case(config: pytest.Config) -> ReplayCase | None:
    path: Path | None = config.getoption("replay_itf")
    if path is None:
        return None
    values = {
        name: config.getoption(f"replay_{name}") for name in ("mapping", "guard", "action", "invariant")
    }
    missing = [f"--replay-{name}" for name, value in values.items() if not value]
    if missing:
        raise pytest.UsageError(f"--replay-itf also needs {', '.join(missing)}")
    try:
        mapping = import_mapping(str(values["mapping"]), "--replay-mapping")
    except TraceCheckError as error:
        raise pytest.UsageError(str(error)) from None
    return ReplayCase(
        path.resolve(), mapping, str(values["guard"]), str(values["action"]), str(values["invariant"])
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(".itf.json") and _bundle_case(file_path) is not None:
        return ItfFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[Any]) -> None:
    case = _option_case(config)
    if case is not None:
        items.extend(ItfFile.items_for(session, case, case.trace_path.name.removesuffix(".itf.json")))


class ItfFile(pytest.File):
    """A saved counterexample: two tests, the bug reproduced and the guard preventing it."""

    def collect(self) -> Iterator[pytest.Item]:
        case = _bundle_case(self.path)
        assert case is not None
        yield from self.items_for(
            self, case, f"{self.path.parent.parent.name}-{self.path.name[: -len('.itf.json')]}"
        )

    @staticmethod
    def items_for(parent: Any, case: ReplayCase, stem: str) -> list[pytest.Item]:
        return [
            ReplayItem.from_parent(parent, name=f"{stem}-{direction}", case=case, direction=direction)
            for direction in ("repro", "prevent")
        ]


class ReplayItem(pytest.Item):
    """One direction of one saved trace."""

    def __init__(self, *, case: ReplayCase, direction: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.direction = direction

    def _trace(self) -> Trace:
        traces = loads_itf(self.case.trace_path.read_text(encoding="utf-8"), source=str(self.case.trace_path))
        if len(traces) != 1:
            raise ReplayFailed(f"{self.case.trace_path}: expected one trace, found {len(traces)}")
        return traces[0]

    def runtest(self) -> None:
        trace, case = self._trace(), self.case
        if self.direction == "repro":
            result = replay(trace, case.mapping, frozenset({case.guard}))
            verdict = judge_repro(trace, result, case.invariant)
        else:
            result = replay(trace, case.mapping, frozenset())
            verdict = judge_prevent(result, case.guard, case.action)
        if not verdict.ok:
            raise ReplayFailed("\n".join(filter(None, [verdict.reason, divergence_report(result)])))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ReplayFailed | TraceCheckError):
            return f"{self.name}: {excinfo.value}"
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name
