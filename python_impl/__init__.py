"""A small SQLite-backed job queue whose guardrails are named, switchable policies."""

from python_impl.clock import Clock, RealClock, VirtualClock
from python_impl.effects import Effect, EffectSink, JsonLinesEffects, MemoryEffects
from python_impl.errors import QueueError, Rejection
from python_impl.faults import Fault, FaultPoint, Faults, InjectedCrash
from python_impl.invariants import INVARIANTS, Violation, check
from python_impl.policies import Guards, RetryPolicy
from python_impl.queue import Handler, JobContext, Queue, StepSink
from python_impl.snapshot import Snapshot
from python_impl.sqlite_store import SqliteStore
from python_impl.store import Attempt, Store
from python_impl.worker import Outcome, Worker

__all__ = [
    "INVARIANTS",
    "Attempt",
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
    "Outcome",
    "Queue",
    "QueueError",
    "RealClock",
    "Rejection",
    "RetryPolicy",
    "Snapshot",
    "SqliteStore",
    "StepSink",
    "Store",
    "Violation",
    "VirtualClock",
    "Worker",
    "check",
]
