"""Bring a runtime back to a state it was in: its SQLite store, clock, held attempts and scanner memory.

Conformance visits every state of the model's graph and takes every step from each. Re-walking a
path from the initial state for every step would cost its length in steps; a restore costs one
``deserialize`` of the in-memory database. This module is the one place that knows where the
runtime under a mapping keeps its state (``failure_modes.mappings.common.System``): the queue's
store, its virtual clock, the due scanner's ``taken``, and every other field of the mapping's
``System`` dataclass (the attempts its workers hold, a worker's memory of how far its handler got).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from failure_lab.trace_check.conform.errors import ConformError


@dataclass(frozen=True, slots=True)
class Saved:
    """A runtime's whole state at one moment, restorable any number of times."""

    database: bytes
    now: int
    memory: tuple[tuple[str, Any], ...]  # the System's own fields besides queue and clock, copied
    taken: frozenset[str]


def _connection(system: Any) -> Any:
    try:
        return system.queue.store._db  # the store keeps its one connection private; we need its bytes
    except AttributeError:
        raise ConformError(
            f"{type(system).__name__}: expected a mapping System whose queue has an SQLite store"
        ) from None


def save(system: Any) -> Saved:
    """The runtime's state now."""
    return Saved(
        database=_connection(system).serialize(),
        now=system.clock.now(),
        memory=tuple((name, _copy(value)) for name, value in _memory(system)),
        taken=system.queue.scanner.taken,
    )


def restore(system: Any, saved: Saved) -> None:
    """Put ``system`` back into ``saved``: the same store, time, held attempts and scanner memory."""
    _connection(system).deserialize(saved.database)
    _rewind(system, saved)


class Rewinder:
    """Restores one runtime again and again, reading the database back only when it may have changed.

    Most steps conformance tries are refused, and a refused step writes nothing: then the store is
    still the one last restored, and only the clock and the worker memory need putting back. SQLite
    counts every row a statement changes, rolled back or not, triggers included: while that count
    has not moved and no transaction is open, the database is byte for byte the saved one. (The
    runtime's steps change rows, never the schema: its migrations run when the store opens.)
    """

    def __init__(self, system: Any) -> None:
        self.system = system
        self._db = _connection(system)
        self._last: Saved | None = None
        self._changes = -1

    def restore(self, saved: Saved) -> None:
        """Put the runtime back into ``saved``, as ``restore`` does."""
        db = self._db
        if saved is not self._last or db.in_transaction or db.total_changes != self._changes:
            db.deserialize(saved.database)
            self._last, self._changes = saved, db.total_changes
        _rewind(self.system, saved)


def _rewind(system: Any, saved: Saved) -> None:
    # The virtual clock only moves forward through its interface; a restore is the one rewind.
    system.clock._now = saved.now
    for name, value in saved.memory:
        setattr(system, name, _copy(value))
    system.queue.scanner._taken = set(saved.taken)


def _memory(system: Any) -> list[tuple[str, Any]]:
    if not dataclasses.is_dataclass(system):
        raise ConformError(f"{type(system).__name__}: expected the mapping's System dataclass")
    return [
        (field.name, getattr(system, field.name))
        for field in dataclasses.fields(system)
        if field.name not in ("queue", "clock")
    ]


def _copy(value: Any) -> Any:
    # The containers are the worker processes' memory; what they hold (attempts, names) is immutable.
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, set | list):
        return type(value)(value)
    return value
