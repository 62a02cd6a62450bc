"""A read-only picture of the runtime in the models' own terms, from which their state can be computed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from failure_lab.python_impl.store import HeldAttempt, ScheduleEntry, StoreState, Unit

_NO_CLAIMERS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """``now``, the schedule, the scanner's ``taken``, the checkpoint, units, held attempts and effects."""

    now: int
    schedule: tuple[ScheduleEntry, ...]
    taken: frozenset[str]
    checkpoint: int
    units: Mapping[str, Unit]
    attempts: Mapping[str, HeldAttempt]
    effects: Mapping[str, int]
    budget: int | None = None
    """The retry policy's attempts per job (None: unknown, nothing to check it against)."""
    world: Mapping[str, int] | None = None
    """The external world beside the ledger: effects standing per job key, compensations netted out
    (None: unknown, nothing to check the ledger against)."""

    @classmethod
    def of(
        cls,
        now: int,
        state: StoreState,
        taken: frozenset[str],
        *,
        budget: int | None = None,
        world: Mapping[str, int] | None = None,
    ) -> Snapshot:
        """Combine the clock, the store's state, the scanner's memory, the retry budget and the world."""
        return cls(
            budget=budget,
            world=None if world is None else MappingProxyType(dict(world)),
            now=now,
            schedule=state.schedule,
            taken=taken,
            checkpoint=state.checkpoint,
            units=MappingProxyType(dict(state.units)),
            attempts=MappingProxyType(dict(state.held)),
            effects=MappingProxyType(dict(state.effects)),
        )

    @property
    def scheduled(self) -> frozenset[str]:
        """``scheduled``: runs still outstanding in the source schedule."""
        return frozenset(entry.job_key for entry in self.schedule if entry.outstanding)

    @property
    def runs(self) -> frozenset[str]:
        """Every run and job the store knows."""
        return frozenset(entry.job_key for entry in self.schedule) | frozenset(self.units)

    def due_at(self, run: str) -> int:
        """``DueAt[r]``."""
        for entry in self.schedule:
            if entry.job_key == run:
                return entry.due_at
        return self.units[run].due_at

    def unit(self, run: str) -> str:
        """``unit[r]``: "none", "runnable", "claimed", "completed" (or the runtime's own "dead")."""
        found = self.units.get(run)
        return "none" if found is None else found.status

    def claimers(self, run: str) -> frozenset[str]:
        """``claimers[r]``."""
        found = self.units.get(run)
        return _NO_CLAIMERS if found is None else found.claimers

    def epoch(self, run: str) -> int:
        """``epoch[r]`` (0: never claimed)."""
        found = self.units.get(run)
        return 0 if found is None else found.epoch

    def lease_until(self, run: str) -> int:
        """``leaseUntil[r]``."""
        found = self.units.get(run)
        return 0 if found is None else found.lease_until

    def completed_epoch(self, run: str) -> int:
        """``completedEpoch[r]`` (0: not completed)."""
        found = self.units.get(run)
        return 0 if found is None else found.completed_epoch

    def attempt(self, worker: str) -> HeldAttempt | None:
        """``attempt[w]``: the attempt the worker holds, None for ``NoAttempt``."""
        return self.attempts.get(worker)

    def effects_of(self, job_key: str) -> int:
        """``effects[j]``: committed external effects under the job key."""
        return self.effects.get(job_key, 0)
