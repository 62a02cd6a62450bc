"""Time as the queue sees it: integer ticks from one interface, virtual in tests and replays, real in runs."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Integer ticks; the only place the queue learns the time or waits."""

    def now(self) -> int:
        """The current tick."""
        ...

    def sleep(self, ticks: int) -> None:
        """Let ``ticks`` pass."""
        ...


class VirtualClock:
    """A clock that moves only when told to (the model's ``Tick``); sleeping advances it at once."""

    __slots__ = ("_now",)

    def __init__(self, start: int = 0) -> None:
        self._now = start

    def now(self) -> int:
        """The current tick."""
        return self._now

    def tick(self) -> int:
        """Advance by one tick, as the model's ``Tick`` does; returns the new time."""
        self._now += 1
        return self._now

    def advance(self, ticks: int) -> int:
        """Advance by ``ticks`` (not negative); returns the new time."""
        if ticks < 0:
            raise ValueError(f"a clock cannot go back: advance({ticks})")
        self._now += ticks
        return self._now

    def sleep(self, ticks: int) -> None:
        """Sleeping on a virtual clock is advancing it."""
        self.advance(max(ticks, 0))


class RealClock:
    """Wall time in ticks of ``tick_seconds``, the same in every process on the machine."""

    __slots__ = ("tick_seconds",)

    def __init__(self, tick_seconds: float = 0.001) -> None:
        if tick_seconds <= 0:
            raise ValueError(f"tick_seconds must be positive, got {tick_seconds}")
        self.tick_seconds = tick_seconds

    def now(self) -> int:
        """The current tick."""
        # Wall time, not monotonic: worker processes must agree on lease expiry across restarts.
        return int(time.time() / self.tick_seconds)

    def sleep(self, ticks: int) -> None:
        """Block for ``ticks`` ticks."""
        if ticks > 0:
            time.sleep(ticks * self.tick_seconds)
