"""Bring a runtime back to a state it was in: its SQLite store, clock, held attempts and scanner memory.

Conformance visits every state of the model's graph and takes every step from each. Re-walking a
path from the initial state for every step would cost its length in steps; a restore costs one
``deserialize`` of the in-memory database. This module is the one place that knows where the
runtime under a mapping keeps its state (``failure_modes.mappings.common.System``): the queue's
store, its virtual clock, the attempts its workers hold, and the due scanner's ``taken``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trace_check.conform.errors import ConformError


@dataclass(frozen=True, slots=True)
class Saved:
    """A runtime's whole state at one moment, restorable any number of times."""

    database: bytes
    now: int
    held: tuple[tuple[str, Any], ...]
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
        held=tuple(system.held.items()),
        taken=system.queue.scanner.taken,
    )


def restore(system: Any, saved: Saved) -> None:
    """Put ``system`` back into ``saved``: the same store, time, held attempts and scanner memory."""
    _connection(system).deserialize(saved.database)
    # The virtual clock only moves forward through its interface; a restore is the one rewind.
    system.clock._now = saved.now
    system.held = dict(saved.held)
    system.queue.scanner._taken = set(saved.taken)
