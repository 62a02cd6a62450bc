"""The PartialWrite spec (``specs/partial_write/PartialWrite.tla``) meets the runtime, world beside ledger.

The model's ``world`` is the external system the effects land in. Here it is the System's own list,
behind the queue's effect sink, so that conformance's restore rewinds it with the store. ``Commit`` is
the worker's commit through the boundary, the job completing in the same transaction. The partial
write is a real one: a crash armed at the boundary's point after the effect, before its transaction
commits; the store rolls back, the effect stays in the world, and the worker restarts under its name.
When the boundary asks the world and hears that the effect already landed, it applies nothing, so there
is no moment after an effect for the worker to die in: the world says so, and the step is not taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from failure_lab.python_impl import (
    Effect,
    Fault,
    FaultPoint,
    Faults,
    InjectedCrash,
)
from failure_lab.python_impl.faults import crash as die
from failure_lab.trace_check.parse import Record, Value
from failure_lab.trace_check.replay.mapping import Action, Args, MappingError, SpecMapping, action_table

from .common import (
    INVARIANT_DOCS,
    System,
    arg,
    epochs_beyond,
    fcn,
    invariants,
    model,
    record,
    refusal,
    refuse_live_holders,
    remembered_attempt,
    restart_worker,
    run_out_lease,
    start_queue,
    units_of,
)

# The bounded model's constants (specs/partial_write/MCPartialWrite.tla and .cfg); conformance keeps
# them in step.
WORKERS = ("w1", "w2")
JOBS = ("j1", "j2")
MAX_EPOCH = 3
# Long enough that no lease runs out unless a step says so (ExpireLease ends the one it names).
LEASE_TTL = 100
CHARGE = {"charge": 100}


class NoEffectToDieAfter(MappingError):
    """The boundary found the effect already landed and applies none: there is no partial write to make."""


@dataclass
class PartialWriteSystem(System):
    """The runtime, the world its effects land in, and whether a worker is set to die after its effect."""

    world: list[Effect] = field(default_factory=list)
    dying: bool = False


class World:
    """The external world of one ``PartialWriteSystem``: an effect sink whose effects live in the system."""

    system: PartialWriteSystem  # bound once the system around the queue exists

    def apply(self, effect: Effect) -> None:
        """The effect lands."""
        self.system.world.append(effect)

    def applied(self, job_key: str) -> bool:
        """Whether ``job_key``'s effect landed; a worker set to die after its effect learns it has none."""
        found = any(effect.job_key == job_key and not effect.compensates for effect in self.system.world)
        if found and self.system.dying:
            # Raised inside the boundary's transaction: the store rolls back, nothing changed.
            raise NoEffectToDieAfter(f"the world already has {job_key}'s effect: the boundary applies none")
        return found

    def standing(self) -> Mapping[str, int]:
        """Effects standing per job key."""
        landed = Counter(e.job_key for e in self.system.world if not e.compensates)
        compensated = Counter(e.job_key for e in self.system.world if e.compensates)
        return dict(sorted((landed - compensated).items()))


def start(guards_off: frozenset[str]) -> PartialWriteSystem:
    """Every job enqueued and runnable at time 0; a budget no delivery of the model reaches."""
    world = World()
    world.system = start_queue(
        guards_off,
        lease_ttl=LEASE_TTL,
        max_attempts=MAX_EPOCH + 1,
        effects=world,
        enqueue=JOBS,
        system=PartialWriteSystem,
    )
    return world.system


def _system(system: System) -> PartialWriteSystem:
    assert isinstance(system, PartialWriteSystem)
    return system


def claim(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.held[worker] = system.queue.claim(worker, arg(args, "j"))


def commit(system: System, args: Args) -> None:
    worker = arg(args, "w")
    system.queue.commit(system.attempt_of(worker, "Commit"), CHARGE, complete=True)
    del system.held[worker]


def crash_after_effect(system: System, args: Args) -> None:
    s = _system(system)
    worker = arg(args, "w")
    attempt = s.attempt_of(worker, "CrashAfterEffect")
    # The process dies right after the effect lands, inside the boundary's transaction.
    s.queue.faults = Faults(Fault(FaultPoint.AFTER_EFFECT, die, job_key=attempt.job_key, epoch=attempt.epoch))
    s.dying = True
    try:
        s.queue.commit(attempt, CHARGE, complete=True)
    except InjectedCrash:
        pass
    else:
        raise AssertionError(
            f"CrashAfterEffect({worker}): the commit went through; the armed crash never fired"
        )
    finally:
        s.queue.faults, s.dying = Faults(), False
    s.queue.abandon(worker)
    del s.held[worker]


def crash(system: System, args: Args) -> None:
    # Dead before its handler reached the boundary: the claim keeps its lease, nothing landed.
    restart_worker(system, arg(args, "w"))


def expire_lease(system: System, args: Args) -> None:
    job = arg(args, "j")
    refuse_live_holders(system, job)
    run_out_lease(system, job)


def _entry(job_key: str, epoch: int) -> Record:
    return record(("job", model(job_key)), ("epoch", epoch))


def abstract(system: System) -> dict[str, Value]:
    """The runtime as the PartialWrite spec's variables: the world beside the ledger."""
    s = _system(system)
    units = units_of(s)
    return {
        "status": fcn(JOBS, {j: "done" if units[j].status == "completed" else units[j].status for j in JOBS}),
        "epoch": fcn(JOBS, {j: units[j].epoch for j in JOBS}),
        "attempt": fcn(WORKERS, {w: remembered_attempt(s, w) for w in WORKERS}),
        "world": frozenset(_entry(e.job_key, e.attempt) for e in s.world if not e.compensates),
        "ledger": frozenset(_entry(entry.job_key, entry.epoch) for entry in s.queue.store.ledger()),
    }


MAPPING = SpecMapping(
    spec_module="PartialWrite",
    variables=frozenset({"status", "epoch", "attempt", "world", "ledger"}),
    actions=action_table(
        Action("Claim", ("w", "j"), claim),
        Action("Commit", ("w",), commit),
        Action("CrashAfterEffect", ("w",), crash_after_effect),
        Action("Crash", ("w",), crash),
        Action("ExpireLease", ("j",), expire_lease),
    ),
    start=start,
    abstract=abstract,
    invariants=invariants,
    refusal=refusal,
    beyond=epochs_beyond(MAX_EPOCH),
    invariant_docs=INVARIANT_DOCS,
)

__all__ = ["MAPPING"]
