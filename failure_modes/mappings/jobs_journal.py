"""A soak's journal as steps of the Jobs spec: the store's words (``python_impl.journal``) in the spec's.

| journal | spec step |
| --- | --- |
| ``claim`` (after a ``reclaim`` whose old lease had run out) | ``ExpireLease(j)``, then ``Claim(w, j)`` |
| ``claim`` | ``Claim(w, j)`` |
| ``expired`` (the reaper, or a claim that dead-letters a spent job) | ``ExpireLease(j)`` |
| ``effect`` | ``Apply(w)`` |
| ``completed`` / ``failed`` | ``Complete(w)`` / ``Fail(w)`` |
| ``dropped`` | ``RejectStale(w)`` (a worker walks away from an attempt the store refused) |

A killed worker needs no step: it never acts again, and its restart has a new name. Jobs whose
handler applies no external effect are outside the Jobs model (every job there applies one) and are
left out, as are the A09 scanner's steps (its own spec checks those). ``trace_check.validate.soak``
lets TLC check the steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from failure_lab.python_impl.journal import JournalRow
from failure_lab.trace_check.tlc import Workspace
from failure_lab.trace_check.validate.errors import ValidateError
from failure_lab.trace_check.validate.soak import JournalStep, SoakValidation, validate_steps

# The guarded Jobs model the journal is checked against, in the lab this mapping belongs to.
MODEL = Path(__file__).resolve().parents[2] / "specs" / "jobs"
_ENDED = {"completed": "Complete", "failed": "Fail", "dropped": "RejectStale"}


def steps_of(rows: Iterable[JournalRow], *, leave_out: frozenset[str] = frozenset()) -> list[JournalStep]:
    """The journal as Jobs spec steps, without the jobs in ``leave_out``."""
    steps: list[JournalStep] = []
    reclaimed: dict[str, int | None] = {}  # job -> the end of the lease a pending reclaim took over
    for row in rows:
        if row.job_key in leave_out:
            continue
        if row.kind == "reclaim":
            reclaimed[row.job_key] = row.at
        elif row.kind == "claim":
            old_lease = reclaimed.pop(row.job_key, None)
            if old_lease is not None and row.at is not None and old_lease <= row.at:
                steps.append(JournalStep("ExpireLease", (("j", row.job_key),), row.seq))
            steps.append(JournalStep("Claim", (("w", _worker(row)), ("j", row.job_key)), row.seq))
        elif row.kind == "expired":
            steps.append(JournalStep("ExpireLease", (("j", row.job_key),), row.seq))
        elif row.kind == "effect":
            steps.append(JournalStep("Apply", (("w", _worker(row)),), row.seq))
        elif row.kind in _ENDED:
            steps.append(JournalStep(_ENDED[row.kind], (("w", _worker(row)),), row.seq))
        else:
            raise ValidateError(f"journal row {row.seq}: unknown kind {row.kind!r}")
    return steps


def _worker(row: JournalRow) -> str:
    if row.worker is None:
        raise ValidateError(f"journal row {row.seq}: a {row.kind} without a worker")
    return row.worker


def validate_journal(
    rows: Sequence[JournalRow], *, budget: int, workspace: Workspace, leave_out: frozenset[str] = frozenset()
) -> SoakValidation:
    """Check the journaled run with TLC against the guarded Jobs model with the run's constants."""
    epochs = max((row.epoch for row in rows), default=0)
    steps = steps_of(rows, leave_out=leave_out)
    return validate_steps(steps, model=MODEL, budget=budget, epochs=epochs, workspace=workspace)
