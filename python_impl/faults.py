"""Deterministic fault injection: named points in the runtime where a test or the soak arms a fault."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class FaultPoint(Enum):
    """Where the runtime calls into the injector; the value is the name used on command lines."""

    MID_HANDLER = "mid_handler"
    """inside the handler, before it reaches the commit boundary"""
    BEFORE_EFFECT = "before_effect"
    """inside the commit boundary, fence checked, the external effect not yet applied"""
    AFTER_EFFECT = "after_effect"
    """the external effect applied, the ledger row not yet committed"""
    AFTER_COMMIT = "after_commit"
    """the ledger row committed, the completion not yet written"""
    BEFORE_MATERIALIZE = "before_materialize"
    """the scanner took the run, its runnable unit is not yet durable"""
    AFTER_MATERIALIZE = "after_materialize"
    """the runnable unit is durable, the checkpoint not yet advanced"""


class InjectedCrash(BaseException):
    """An in-process stand-in for the process dying at a fault point; open transactions roll back."""


@dataclass(frozen=True, slots=True)
class Fault:
    """One armed fault: at ``point``, for job ``job_key`` (any job if None), on its ``attempt``-th epoch."""

    point: FaultPoint
    action: Callable[[], None]
    job_key: str | None = None
    epoch: int | None = None
    once: bool = True


def crash() -> None:
    """Die in-process: raise ``InjectedCrash`` through every frame."""
    raise InjectedCrash("injected crash")


def sigkill() -> None:
    """Die for real: the kernel kills this process, nothing runs after this line."""
    os.kill(os.getpid(), signal.SIGKILL)


class Faults:
    """The armed faults of one process; a point that nothing is armed for costs one dict lookup."""

    __slots__ = ("_armed", "fired")

    def __init__(self, *faults: Fault) -> None:
        self._armed: dict[FaultPoint, list[Fault]] = {}
        self.fired: list[tuple[FaultPoint, str]] = []
        for fault in faults:
            self.arm(fault)

    def arm(self, fault: Fault) -> None:
        """Arm one more fault."""
        self._armed.setdefault(fault.point, []).append(fault)

    def at(self, point: FaultPoint, job_key: str, epoch: int) -> None:
        """Called by the runtime at ``point``; runs the first armed fault that matches."""
        armed = self._armed.get(point)
        if not armed:
            return
        for fault in armed:
            if (fault.job_key is None or fault.job_key == job_key) and (
                fault.epoch is None or fault.epoch == epoch
            ):
                if fault.once:
                    armed.remove(fault)
                self.fired.append((point, job_key))
                fault.action()
                return
