"""The guards the models remove, as named switches, and the retry budget with backoff and jitter."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True, slots=True)
class Guards:
    """One switch per guard of the models, all on; switching one off reproduces exactly that bug."""

    due_boundary: bool = True
    """a09_early_release: release only work due by now (off: trust a timer that fires a tick early)."""
    unschedule_on_materialize: bool = True
    """a09_duplicate_materialization: a taken run leaves the schedule (off: it stays outstanding)."""
    epoch_fence: bool = True
    """a09_stale_epoch: completion only from the current attempt epoch."""
    exclusive_claim: bool = True
    """a09_duplicate_claim: claim only a unit with no live claimer."""
    checkpoint_after_durable: bool = True
    """a09_checkpoint_advance: the checkpoint never passes a taken run before its durable write."""
    catch_up_overdue: bool = True
    """a09_missing_materialization: scan from the checkpoint, not only the current slot."""
    idempotent_commit: bool = True
    """FM_001: commit an effect only once per job key, and only from the current epoch."""
    stable_effect_key: bool = True
    """fm002_idempotency_boundary: the ledger keys an effect by the job (off: by the attempt, so a
    retry's effect looks new)."""
    reclaim_expired: bool = True
    """fm003_stuck_queue: a claim whose lease ran out is claimable again (off: nothing reclaims it, and a
    job whose worker died stays claimed for ever)."""
    fence_every_write: bool = True
    """fm005_zombie_after_partition: a failure report, too, is taken only from the current epoch (off: a
    zombie's late report takes the job from the attempt that holds it)."""
    retry_budget: bool = True
    """fm004_retry_amplification: at most ``RetryPolicy.max_attempts`` attempts, then dead letter (off:
    retry without bound)."""
    delivery_budget: bool = True
    """fm006_poison_message: every delivery spends the budget, one whose worker died without a word
    too: a claim past it is refused, and the lease that runs out on its last delivery dead-letters the
    job with that reason (off: only a reported failure spends it, and a job that kills its worker is
    delivered for ever)."""
    reconcile_effects: bool = True
    """fm007_partial_write: before a retry applies its effect, the commit boundary asks the external
    world whether an earlier delivery's effect landed without its record, and records it instead (off:
    only the ledger is asked, and an effect whose worker died before recording it lands twice)."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every guard's name, in declaration order."""
        return tuple(f.name for f in fields(cls))

    def without(self, *names: str) -> Guards:
        """These guards with the named ones switched off; an unknown name is a ``ValueError``."""
        unknown = sorted(set(names) - set(self.names()))
        if unknown:
            raise ValueError(f"unknown guard {', '.join(unknown)}; expected one of {', '.join(self.names())}")
        return replace(self, **dict.fromkeys(names, False))

    def off(self) -> tuple[str, ...]:
        """The names of the guards switched off."""
        return tuple(name for name in self.names() if not getattr(self, name))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``max_attempts`` attempts per job, then dead letter; exponential backoff with jitter."""

    max_attempts: int = 5
    base_backoff: int = 10
    max_backoff: int = 10_000
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must be within 0..1, got {self.jitter}")

    def backoff(self, job_key: str, attempt: int) -> int:
        """Ticks to wait before attempt ``attempt + 1``; the jitter is a pure function of key and attempt."""
        base = min(self.max_backoff, self.base_backoff * 2 ** max(attempt - 1, 0))
        # Hashed jitter keeps replays deterministic while still spreading retries of different jobs apart.
        digest = hashlib.blake2b(f"{job_key}/{attempt}".encode(), digest_size=8).digest()
        fraction = int.from_bytes(digest, "big") / 2**64
        return max(1, int(base * (1.0 - self.jitter * fraction)))
