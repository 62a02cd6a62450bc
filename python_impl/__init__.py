"""A small SQLite-backed job queue whose guardrails are named, switchable policies."""

from failure_lab.python_impl.clock import Clock, RealClock, VirtualClock
from failure_lab.python_impl.effects import Effect, EffectSink, JsonLinesEffects, MemoryEffects
from failure_lab.python_impl.errors import QueueError, Rejection
from failure_lab.python_impl.faults import Fault, FaultPoint, Faults, InjectedCrash
from failure_lab.python_impl.invariants import INVARIANTS, BrokenInvariant, check
from failure_lab.python_impl.policies import Guards, RetryPolicy
from failure_lab.python_impl.queue import Handler, JobContext, Queue, StepSink
from failure_lab.python_impl.snapshot import Snapshot
from failure_lab.python_impl.sqlite import SqliteStore
from failure_lab.python_impl.store import Attempt, Store
from failure_lab.python_impl.worker import AttemptResult, Worker

__all__ = [
    "INVARIANTS",
    "Attempt",
    "AttemptResult",
    "BrokenInvariant",
    "Clock",
    "Effect",
    "EffectSink",
    "Fault",
    "FaultPoint",
    "Faults",
    "Guards",
    "Handler",
    "InjectedCrash",
    "JobContext",
    "JsonLinesEffects",
    "MemoryEffects",
    "Queue",
    "QueueError",
    "RealClock",
    "Rejection",
    "RetryPolicy",
    "Snapshot",
    "SqliteStore",
    "StepSink",
    "Store",
    "VirtualClock",
    "Worker",
    "check",
]
