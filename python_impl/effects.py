"""External effects: the world outside the database that a job changes, and the file that stands for it.

The ledger of committed effects lives in the store; the effects themselves land here, outside any
transaction, which is exactly why the commit boundary must fence and reconcile them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from failure_lab.python_impl.errors import BadInput

COMPENSATES = "compensates"
"""The field of a compensating effect (a refund) naming what it undoes: it cancels one effect of its key."""


@dataclass(frozen=True, slots=True)
class Effect:
    """One applied external effect: the job key it belongs to, the attempt that applied it, what it did."""

    job_key: str
    attempt: int
    worker: str
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def compensates(self) -> bool:
        """Whether this effect undoes an earlier one of its key (a refund for a charge)."""
        return COMPENSATES in self.data


class EffectSink(Protocol):
    """Where effects land; it must be able to say whether a job key's effect already landed."""

    def apply(self, effect: Effect) -> None:
        """Make the effect happen."""
        ...

    def applied(self, job_key: str) -> bool:
        """Whether any effect for ``job_key`` has landed (asked only to reconcile after a crash)."""
        ...

    def standing(self) -> Mapping[str, int]:
        """Effects standing per job key: those that landed, less the ones compensated since."""
        ...


def _standing(landed: Counter[str], compensated: Counter[str]) -> dict[str, int]:
    return {key: count for key, count in sorted((landed - compensated).items())}


class MemoryEffects:
    """Effects kept in a list, for tests that need no file."""

    __slots__ = ("_compensated", "_landed", "effects")

    def __init__(self) -> None:
        self.effects: list[Effect] = []
        # Kept as the effects land: a snapshot asks for them after every step of a replay.
        self._landed: Counter[str] = Counter()
        self._compensated: Counter[str] = Counter()

    def apply(self, effect: Effect) -> None:
        """Record the effect."""
        self.effects.append(effect)
        (self._compensated if effect.compensates else self._landed)[effect.job_key] += 1

    def applied(self, job_key: str) -> bool:
        """Whether an effect for ``job_key`` was recorded."""
        return any(effect.job_key == job_key for effect in self.effects)

    def per_key(self) -> Counter[str]:
        """How many effects landed per job key."""
        return Counter(effect.job_key for effect in self.effects)

    def standing(self) -> Mapping[str, int]:
        """Effects standing per job key: those that landed, less the ones compensated since."""
        return _standing(self._landed, self._compensated)


class JsonLinesEffects:
    """Effects appended to a file, one JSON object per line, by any number of processes at once."""

    __slots__ = ("_fd", "path")

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def apply(self, effect: Effect) -> None:
        """Append one line by a single ``write`` on an ``O_APPEND`` descriptor: lines never interleave."""
        line = json.dumps(
            {"job_key": effect.job_key, "attempt": effect.attempt, "worker": effect.worker, **effect.data},
            sort_keys=True,
        )
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(self._fd, (line + "\n").encode())

    def close(self) -> None:
        """Close the file, if it was opened."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def applied(self, job_key: str) -> bool:
        """Whether a line for ``job_key`` is in the file."""
        return any(record["job_key"] == job_key for record in self.read())

    def read(self) -> list[dict[str, Any]]:
        """Every effect in the file, in order; a line that is not a JSON object is a ``BadInput``."""
        if not self.path.exists():
            return []
        records: list[dict[str, Any]] = []
        with self.path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise BadInput(
                        f"{self.path}:{number}: expected one JSON object per line ({error})"
                    ) from None
                if not isinstance(record, dict) or not isinstance(record.get("job_key"), str):
                    raise BadInput(f"{self.path}:{number}: expected an object with a string job_key")
                records.append(record)
        return records

    def per_key(self) -> Counter[str]:
        """How many effects landed per job key."""
        return Counter(record["job_key"] for record in self.read())

    def standing(self) -> Mapping[str, int]:
        """Effects standing per job key: the file's lines, less the compensating ones and what they undo."""
        landed: Counter[str] = Counter()
        compensated: Counter[str] = Counter()
        for record in self.read():
            (compensated if COMPENSATES in record else landed)[record["job_key"]] += 1
        return _standing(landed, compensated)
