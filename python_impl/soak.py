"""The soak: real worker processes on one SQLite file, real SIGKILLs at seeded moments, and a JSON verdict.

Kills come in two kinds. Half are armed at fault points (a worker kills itself with SIGKILL when a
chosen job's first attempt reaches a chosen point, so the crash lands exactly in the window that
matters); the other half are sent by this process at seeded moments to a seeded worker, wherever it
is. Stalls make zombies: a worker sleeps past its lease at a chosen point while another reclaims.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from failure_lab.python_impl.clock import RealClock
from failure_lab.python_impl.effects import JsonLinesEffects
from failure_lab.python_impl.faults import Fault, FaultPoint, Faults, sigkill
from failure_lab.python_impl.invariants import check
from failure_lab.python_impl.policies import Guards, RetryPolicy
from failure_lab.python_impl.queue import JobContext, Queue
from failure_lab.python_impl.scanner import DueScanner
from failure_lab.python_impl.sqlite import SqliteStore
from failure_lab.python_impl.worker import Worker

HANDLER = "soak"
BUDGET = 5  # attempts per job
WORKER_POINTS = (
    FaultPoint.MID_HANDLER,
    FaultPoint.BEFORE_EFFECT,
    FaultPoint.AFTER_EFFECT,
    FaultPoint.AFTER_COMMIT,
)


@dataclass(frozen=True, slots=True)
class SoakConfig:
    """One soak run; times are in ticks of ``tick_seconds``."""

    db: Path
    effects: Path
    workers: int = 2
    jobs: int = 50
    kills: int = 4
    stalls: int = 2
    seed: int = 0
    guards: Guards = field(default_factory=Guards)
    lease_ticks: int = 300
    work_ticks: int = 4
    scheduled_fraction: float = 0.5
    spread_ticks: int = 600
    timeout_ticks: int = 60_000
    tick_seconds: float = 0.001
    journal: bool = False
    """Journal every change in commit order (``python_impl.journal``), for validation against the spec."""

    def __post_init__(self) -> None:
        for name in ("workers", "jobs"):
            if getattr(self, name) < 1:
                raise ValueError(f"--{name} must be at least 1, got {getattr(self, name)}")
        for name in ("kills", "stalls", "work_ticks"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name} must not be negative, got {getattr(self, name)}")
        if self.lease_ticks < 10 * (self.work_ticks + 1):
            raise ValueError(f"the lease ({self.lease_ticks} ticks) must outlast ten handler runs")


@dataclass(frozen=True, slots=True)
class Incident:
    """A fault armed in the processes: kill or stall at ``point`` on ``job_key``'s first attempt."""

    job_key: str
    point: FaultPoint
    kind: str  # "kill" | "stall"


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the seed decides: the jobs, the incidents, and when to kill which worker."""

    enqueued: tuple[tuple[str, dict[str, Any]], ...]
    scheduled: tuple[tuple[str, dict[str, Any], int], ...]
    incidents: tuple[Incident, ...]
    external_kills: tuple[tuple[int, int], ...]  # (ticks after start, worker index)


def plan(config: SoakConfig, start: int) -> Plan:
    """Draw the run from the seed."""
    rng = random.Random(config.seed)
    keys = [f"job-{n:05d}" for n in range(config.jobs)]
    payloads = {key: {"value": n, "work": rng.randint(0, config.work_ticks)} for n, key in enumerate(keys)}
    is_scheduled = {key: rng.random() < config.scheduled_fraction for key in keys}
    order = keys[:]
    rng.shuffle(order)
    fault_kills = (config.kills + 1) // 2
    incidents: list[Incident] = []
    scheduled_keys = [key for key in order if is_scheduled[key]]
    if fault_kills >= 2 and scheduled_keys:
        # One kill goes to the scanner between taking a run and writing it: the checkpoint's window.
        incidents.append(Incident(scheduled_keys[0], FaultPoint.BEFORE_MATERIALIZE, "kill"))
        order.remove(scheduled_keys[0])
    for key in order[: fault_kills - len(incidents)]:
        incidents.append(Incident(key, rng.choice(WORKER_POINTS), "kill"))
    used = {incident.job_key for incident in incidents}
    for n, key in enumerate([key for key in order if key not in used][: config.stalls]):
        incidents.append(Incident(key, FaultPoint.MID_HANDLER, "stall"))
        # The rescuer's attempt is slow, so the zombie wakes while it is still running.
        payloads[key]["retry_work"] = config.lease_ticks * 9 // 10
        # Every other zombie runs a job without an external effect: its only write is the completion.
        payloads[key]["effect"] = n % 2 == 0
    horizon = config.spread_ticks + config.jobs * (config.work_ticks + 2) // config.workers
    external = tuple(
        sorted(
            (rng.randint(20, max(21, horizon)), rng.randrange(config.workers))
            for _ in range(config.kills // 2)
        )
    )
    return Plan(
        enqueued=tuple((key, payloads[key]) for key in keys if not is_scheduled[key]),
        scheduled=tuple(
            (key, payloads[key], start + rng.randint(1, config.spread_ticks))
            for key in keys
            if is_scheduled[key]
        ),
        incidents=tuple(incidents),
        external_kills=external,
    )


def _open(config: SoakConfig, faults: Faults | None = None) -> Queue:
    clock = RealClock(config.tick_seconds)
    queue = Queue.open(
        config.db,
        clock=clock,
        guards=config.guards,
        retry=RetryPolicy(max_attempts=BUDGET, base_backoff=5, max_backoff=200),
        lease_ttl=config.lease_ticks,
        effects=JsonLinesEffects(config.effects),
        faults=faults,
    )
    queue.register(HANDLER, partial(_handle, clock))
    if config.journal:
        store = queue.store
        assert isinstance(store, SqliteStore)
        store.start_journal()
    return queue


def _handle(clock: RealClock, context: JobContext, payload: dict[str, Any]) -> None:
    """The soak's job: work a while, then apply one external effect through the boundary."""
    work = payload["work"] if context.attempt.number == 1 else payload.get("retry_work", payload["work"])
    clock.sleep(work)
    if payload.get("effect", True):
        context.commit({"value": payload["value"]})


def _faults(config: SoakConfig, incidents: tuple[Incident, ...], clock: RealClock) -> Faults:
    # Asleep past its lease, awake while the rescuer (slow on purpose, see plan) is still running.
    stall = partial(clock.sleep, config.lease_ticks * 7 // 5)
    faults = Faults()
    for incident in incidents:
        action: Callable[[], None] = sigkill if incident.kind == "kill" else stall
        faults.arm(
            Fault(
                incident.point,
                action,
                job_key=incident.job_key,
                epoch=None if incident.point in (FaultPoint.BEFORE_MATERIALIZE,) else 1,
            )
        )
    return faults


def _worker_main(
    config: SoakConfig, incidents: tuple[Incident, ...], name: str, stop: Event, ready: Event
) -> None:
    clock = RealClock(config.tick_seconds)
    queue = _open(config, _faults(config, incidents, clock))
    ready.set()
    Worker(queue, name).run(stop.is_set, idle_ticks=2)


def _scanner_main(config: SoakConfig, incidents: tuple[Incident, ...], stop: Event, ready: Event) -> None:
    clock = RealClock(config.tick_seconds)
    queue = _open(config, _faults(config, incidents, clock))
    ready.set()
    scanner: DueScanner = queue.scanner
    while not stop.is_set():
        scanner.run_pass()
        # The scanner's timer is set for the next due run but fires a tick early, as one on a host whose
        # clock runs a little ahead would: only the due boundary keeps that from releasing work early.
        upcoming = queue.store.outstanding_between(clock.now() + 1, clock.now() + 20)
        wake = upcoming[0].due_at - 1 if upcoming else clock.now() + 20
        clock.sleep(max(1, wake - clock.now()))


class _Fleet:
    """The child processes, restarted under a new name each time one dies."""

    def __init__(self, config: SoakConfig, the_plan: Plan) -> None:
        self._context = multiprocessing.get_context("spawn")
        self.config = config
        self.stop = self._context.Event()
        # Set by each child once its queue is open: a fleet still starting up is not a quiet one.
        self.ready: dict[SpawnProcess, Event] = {}
        # Worker faults are pinned to a job's first attempt, so re-arming them in a restarted worker is safe.
        self.worker_incidents = tuple(
            i for i in the_plan.incidents if i.point != FaultPoint.BEFORE_MATERIALIZE
        )
        self.scanner_incidents = tuple(
            i for i in the_plan.incidents if i.point == FaultPoint.BEFORE_MATERIALIZE
        )
        self.incarnations = Counter[str]()
        self.workers: list[SpawnProcess] = [self._worker(n) for n in range(config.workers)]
        self.scanner = self._scanner()
        self.restarts = 0
        self.died_by_sigkill = 0

    def _worker(self, index: int) -> SpawnProcess:
        slot = f"w{index + 1}"
        self.incarnations[slot] += 1
        name = f"{slot}.{self.incarnations[slot]}"
        ready = self._context.Event()
        process = self._context.Process(
            target=_worker_main,
            args=(self.config, self.worker_incidents, name, self.stop, ready),
            name=name,
            daemon=True,
        )
        process.start()
        self.ready[process] = ready
        return process

    def _scanner(self) -> SpawnProcess:
        self.incarnations["scanner"] += 1
        # Its fault has no epoch to pin it to one attempt: only the first scanner is armed with it.
        incidents = self.scanner_incidents if self.incarnations["scanner"] == 1 else ()
        ready = self._context.Event()
        process = self._context.Process(
            target=_scanner_main, args=(self.config, incidents, self.stop, ready), daemon=True
        )
        process.start()
        self.ready[process] = ready
        return process

    def starting(self) -> bool:
        """Whether a current child has not yet opened its queue."""
        return any(not self.ready[process].is_set() for process in (*self.workers, self.scanner))

    def kill(self, index: int) -> None:
        """SIGKILL one worker, wherever it is."""
        process = self.workers[index]
        if process.pid is not None and process.is_alive():
            os.kill(process.pid, signal.SIGKILL)
        process.join()

    def revive(self) -> int:
        """Restart every child that died; returns how many of them died by SIGKILL."""
        killed = 0
        for index, process in enumerate(self.workers):
            if not process.is_alive():
                process.join()
                killed += process.exitcode == -signal.SIGKILL
                self.workers[index] = self._worker(index)
                self.restarts += 1
        if not self.scanner.is_alive():
            self.scanner.join()
            killed += self.scanner.exitcode == -signal.SIGKILL
            self.scanner = self._scanner()
            self.restarts += 1
        self.died_by_sigkill += killed
        return killed

    def shut_down(self) -> None:
        """Ask every child to stop, and kill those that do not."""
        self.stop.set()
        for process in (*self.workers, self.scanner):
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def _start_afresh(config: SoakConfig) -> None:
    """Remove the previous soak's files, but only if they are one: anything else is refused untouched."""
    if config.db.exists():
        SqliteStore(config.db).close()
    if config.effects.exists():
        JsonLinesEffects(config.effects).read()
    for path in (config.db, Path(f"{config.db}-wal"), Path(f"{config.db}-shm"), config.effects):
        path.unlink(missing_ok=True)


def soak(config: SoakConfig) -> dict[str, Any]:
    """Run the soak and return its summary (see ``summarize``)."""
    _start_afresh(config)
    clock = RealClock(config.tick_seconds)
    queue = _open(config)
    start = clock.now()
    the_plan = plan(config, start)
    for key, payload in the_plan.enqueued:
        queue.enqueue(HANDLER, key, payload)
    for key, payload, due in the_plan.scheduled:
        queue.schedule(HANDLER, key, payload, due)
    last_due = max((due for _, _, due in the_plan.scheduled), default=start)
    fleet = _Fleet(config, the_plan)
    pending = list(the_plan.external_kills)
    external = 0
    quiet_since, last_progress = start, None
    try:
        while clock.now() - start < config.timeout_ticks:
            elapsed = clock.now() - start
            while pending and pending[0][0] <= elapsed:
                _, index = pending.pop(0)
                fleet.kill(index)
                external += 1
            fleet.revive()
            state = queue.store.state()
            statuses = Counter(unit.status for unit in state.units.values())
            finished = statuses["completed"] + statuses["dead"] == config.jobs
            progress = (statuses["completed"], statuses["dead"], state.attempts, len(state.units))
            starting = fleet.starting()
            if progress != last_progress or clock.now() <= last_due or starting:
                quiet_since, last_progress = clock.now(), progress
            # Nothing moved for three leases after the last run fell due: what is left is stuck for good.
            quiet = clock.now() - quiet_since > 3 * config.lease_ticks
            if not pending and (finished or quiet):
                break
            clock.sleep(10)
    finally:
        fleet.shut_down()
    summary = summarize(queue, config, the_plan, external=external, fleet=fleet, elapsed=clock.now() - start)
    queue.close()
    return summary


def summarize(
    queue: Queue, config: SoakConfig, the_plan: Plan, *, external: int, fleet: _Fleet, elapsed: int
) -> dict[str, Any]:
    """The verdict: what finished, what was lost or stuck, every effect per job key, and the symptoms."""
    queue.restart_scanner()  # what a restarted scanner would recover, for the invariants below
    snapshot = queue.inspect()
    state = queue.store.state()
    keys = [key for key, _ in the_plan.enqueued] + [key for key, _, _ in the_plan.scheduled]
    payloads = dict(the_plan.enqueued) | {key: payload for key, payload, _ in the_plan.scheduled}
    with_effect = [key for key in keys if payloads[key].get("effect", True)]
    units = snapshot.units
    completed = sum(1 for key in keys if key in units and units[key].status == "completed")
    dead = sum(1 for key in keys if key in units and units[key].status == "dead")
    waiting = snapshot.scheduled | snapshot.taken
    stuck = sum(
        1 for key in keys if (key in units and units[key].status in ("runnable", "claimed")) or key in waiting
    )
    effects = JsonLinesEffects(config.effects).per_key()
    fault_kills = sum(1 for incident in the_plan.incidents if incident.kind == "kill")
    lost = len(keys) - completed - dead
    summary: dict[str, Any] = {
        "jobs": len(keys),
        "completed": completed,
        "dead_lettered": dead,
        "lost": lost,
        "stuck": stuck,
        "vanished": lost - stuck,
        "kills": fleet.died_by_sigkill,
        "kills_planned": {"at_fault_points": fault_kills, "external": len(the_plan.external_kills)},
        "kills_external_sent": external,
        "restarts": fleet.restarts,
        "zombies": sum(1 for incident in the_plan.incidents if incident.kind == "stall"),
        "effects": {key: effects.get(key, 0) for key in sorted(with_effect)},
        "duplicated_effects": sum(1 for key in keys if effects.get(key, 0) > 1),
        "completed_without_effect": sum(
            1
            for key in with_effect
            if key in units and units[key].status == "completed" and effects.get(key, 0) == 0
        ),
        "symptoms": {
            "double_claims": state.double_claims,
            "rematerialized": sum(unit.materializations - 1 for unit in units.values()),
            "early_runs": sum(1 for unit in units.values() if unit.materialized_at < unit.due_at),
            "stale_completions": sum(
                1
                for unit in units.values()
                if unit.status == "completed" and unit.completed_epoch != unit.epoch
            ),
        },
        "invariants_broken": [str(violation) for violation in check(snapshot)],
        "guards_off": list(config.guards.off()),
        "seed": config.seed,
        "workers": config.workers,
        "elapsed_seconds": round(elapsed * config.tick_seconds, 3),
    }
    troubles = (lost, summary["duplicated_effects"], stuck, summary["completed_without_effect"])
    summary["clean"] = (
        not any(troubles) and not any(summary["symptoms"].values()) and not summary["invariants_broken"]
    )
    return summary


def to_json(summary: dict[str, Any]) -> str:
    """The summary as printed by ``failure-lab soak``."""
    return json.dumps(summary, indent=2, sort_keys=False)
