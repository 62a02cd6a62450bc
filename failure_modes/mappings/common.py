"""What the mappings share: a queue on a virtual clock, TLA+ values built from Python, leases and horizons."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from failure_lab.python_impl import (
    INVARIANTS,
    Attempt,
    EffectSink,
    Guards,
    Queue,
    Rejection,
    RetryPolicy,
    SqliteStore,
    VirtualClock,
    check,
)
from failure_lab.python_impl.store import Unit
from failure_lab.trace_check.parse import Fcn, ModelValue, Record, Value
from failure_lab.trace_check.replay.mapping import Args, MappingError

NO_ATTEMPT = ModelValue("NoAttempt")
# Every Python invariant ``invariants`` reports, with the first line of its predicate's docstring.
INVARIANT_DOCS: Mapping[str, str] = MappingProxyType(
    {name: (inspect.getdoc(check) or "").partition("\n")[0] for name, check in INVARIANTS.items()}
)


@dataclass
class System:
    """The runtime under replay, plus the attempts its workers hold (as a worker process would)."""

    queue: Queue
    clock: VirtualClock
    held: dict[str, Attempt] = field(default_factory=dict)

    def attempt_of(self, worker: str, step: str) -> Attempt:
        """The attempt ``worker`` holds, for a step that needs one."""
        try:
            return self.held[worker]
        except KeyError:
            raise MappingError(f"{step}({worker}): the worker holds no attempt in the runtime") from None


S = TypeVar("S", bound=System)


def start_queue(
    guards_off: frozenset[str],
    *,
    lease_ttl: int,
    max_attempts: int | None = None,
    retry: RetryPolicy | None = None,
    effects: EffectSink | None = None,
    enqueue: Iterable[str] = (),
    system: type[S] = System,  # type: ignore[assignment]
) -> S:
    """A fresh in-memory queue on a virtual clock at 0 with ``guards_off`` switched off, the jobs in
    ``enqueue`` runnable; ``retry`` (else the default policy with ``max_attempts``) and ``effects``
    as the mapping needs, wrapped in ``system``."""
    clock = VirtualClock(0)
    queue = Queue(
        SqliteStore(":memory:"),
        clock=clock,
        guards=Guards().without(*sorted(guards_off)),
        retry=retry or RetryPolicy(max_attempts=max_attempts or RetryPolicy().max_attempts),
        lease_ttl=lease_ttl,
        effects=effects,
    )
    queue.register("job", lambda context, payload: None)
    for job in enqueue:
        queue.enqueue("job", job)
    return system(queue, clock)


@functools.cache
def model(name: str) -> ModelValue:
    """The model value ``name``, one object per name: abstract states are built many thousand times."""
    return ModelValue(name)


def name_of(value: Value, what: str) -> str:
    """A model value's name as the runtime's identifier (``w1``, ``r1``)."""
    if not isinstance(value, ModelValue):
        raise MappingError(f"expected a model value for {what}, got {value!r}")
    return value.name


def arg(args: Args, name: str) -> str:
    """The model value argument ``name`` as a runtime identifier."""
    if name not in args:
        raise MappingError(f"the step has no argument {name} (it has {', '.join(sorted(args)) or 'none'})")
    return name_of(args[name], name)


def fcn(keys: Iterable[str], value_of: dict[str, Value]) -> Fcn:
    """The TLA+ function ``[k \\in keys |-> value_of[k]]`` with model-value keys.

    One object per function: conformance builds the same few functions thousands of times, and an
    object built once keeps its hash and compares to itself at once. (The value's type is part of the
    key, so a function of ``TRUE`` is never taken for one of ``1``.)
    """
    return _fcn(tuple((key, type(value_of[key]), value_of[key]) for key in sorted(keys)))


@functools.lru_cache(maxsize=1 << 16)
def _fcn(pairs: tuple[tuple[str, type, Value], ...]) -> Fcn:
    return Fcn(tuple((model(key), value) for key, _, value in pairs))


def record(*fields: tuple[str, Value]) -> Record:
    """The TLA+ record ``[name |-> value, ...]``, one object per record, as ``fcn`` keeps functions."""
    return _record(tuple((name, type(value), value) for name, value in fields))


@functools.lru_cache(maxsize=1 << 16)
def _record(fields: tuple[tuple[str, type, Value], ...]) -> Record:
    return Record(tuple((name, value) for name, _, value in fields))


def models(names: Iterable[str]) -> frozenset[Value]:
    """A set of model values."""
    return frozenset(model(name) for name in names)


def held_attempt(system: System, worker: str, field_name: str) -> Value:
    """``attempt[w]``: ``NoAttempt`` or ``[<field_name> |-> r, epoch |-> e]``."""
    held = system.queue.inspect().attempt(worker)
    if held is None:
        return NO_ATTEMPT
    return record((field_name, model(held.job_key)), ("epoch", held.epoch))


def remembered_attempt(system: System, worker: str) -> Value:
    """``attempt[w]`` as the worker process remembers it: ``NoAttempt`` or ``[job |-> j, epoch |-> e]``."""
    held = system.held.get(worker)
    if held is None:
        return NO_ATTEMPT
    return record(("job", model(held.job_key)), ("epoch", held.epoch))


def restart_worker(system: System, worker: str) -> None:
    """``Crash(w)``: the process dies and restarts under its name with nothing; its claim keeps its
    lease, because nobody knows how far its handler got."""
    system.attempt_of(worker, "Crash")
    system.queue.abandon(worker)
    del system.held[worker]


def run_out_lease(system: System, job: str) -> None:
    """``ExpireLease(j)``: the runtime's lease-expiry fault ends this one lease now (its holder stalled
    or died), leaving every other lease its time, and the reaper releases the job."""
    if not system.queue.expire_lease(job):
        raise MappingError(f"ExpireLease({job}): no live lease to run out")
    system.queue.release_expired()


def refuse_live_holders(system: System, job: str) -> None:
    """For models without zombies: a lease whose holder is alive does not run out (that is fm005's)."""
    holders = sorted(worker for worker, attempt in system.held.items() if attempt.job_key == job)
    if holders:
        raise MappingError(f"ExpireLease({job}): {', '.join(holders)} still holds it, alive")


def invariants(system: System) -> dict[str, tuple[str, ...]]:
    """Every Python invariant on the runtime now: name -> what broke where."""
    snapshot = system.queue.inspect()
    found: dict[str, list[str]] = {}
    for violation in check(snapshot):
        found.setdefault(violation.invariant, []).append(str(violation))
    return {name: tuple(found.get(name, ())) for name in INVARIANTS}


def refusal(error: BaseException) -> str | None:
    """The guard behind a runtime refusal, or None for any other exception."""
    return error.guard if isinstance(error, Rejection) else None


def units_of(system: System) -> Mapping[str, Unit]:
    """The store's units, read alone: all the job-queue models' abstractions need of the store besides
    its ledger (a whole ``Snapshot`` reads and sums everything else too, for every state conformance
    reaches)."""
    return system.queue.store.units()


def lease_of(unit: Unit, now: int) -> str:
    """``lease[j]`` of the job-queue models: "live" or "expired" while claimed; once not, "expired" if
    its last claim ran out (the store keeps how each claim ended), else "none" (given back, or never)."""
    if unit.status == "claimed":
        return "live" if unit.lease_until > now else "expired"
    return "expired" if unit.status != "completed" and unit.lease_ended == "expired" else "none"


def epochs_beyond(max_epoch: int) -> Callable[[Mapping[str, Value]], bool]:
    """A mapping's ``beyond``: a job with more attempts than the bounded model's ``MaxEpoch``."""

    def beyond(state: Mapping[str, Value]) -> bool:
        epochs = state["epoch"]
        return isinstance(epochs, Fcn) and any(
            isinstance(e, int) and e > max_epoch for e in epochs.graph().values()
        )

    return beyond
