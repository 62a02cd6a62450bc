"""The A09 baseline at larger bounds: a generated model per bound, beside a copy of the spec."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
A09 = ROOT / "specs" / "a09"


@dataclass(frozen=True, slots=True)
class Bounds:
    """The knobs of the bounded model: workers, runs, attempts per run (epochs) and the time horizon."""

    workers: int
    runs: int
    epochs: int
    horizon: int

    @property
    def label(self) -> str:
        """``W/R/E/T`` as the workbook shows it."""
        return f"{self.workers}w/{self.runs}r/{self.epochs}e/{self.horizon}t"

    @property
    def stem(self) -> str:
        """A file name for this bound's model."""
        return f"MCGrowth_{self.workers}w{self.runs}r{self.epochs}e{self.horizon}t"


# The committed baseline (specs/a09/MCA09.cfg): two workers, two runs, two epochs, three ticks.
BASELINE = Bounds(workers=2, runs=2, epochs=2, horizon=3)


def write_model(bounds: Bounds, folder: Path, *, symmetric: bool = False) -> tuple[Path, Path]:
    """A model of A09 at ``bounds`` (optionally with workers symmetric) and its config; returns both."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(A09 / "A09.tla", folder / "A09.tla")
    workers = [f"w{n}" for n in range(1, bounds.workers + 1)]
    runs = [f"r{n}" for n in range(1, bounds.runs + 1)]
    # Due times spread over the horizon as in the baseline (r1 at 1, r2 at 2, ...), wrapping around.
    due = " @@ ".join(f"{run} :> {(index % bounds.horizon) + 1}" for index, run in enumerate(runs))
    stem = bounds.stem + ("_sym" if symmetric else "")
    module = "\n".join([
        f"---- MODULE {stem} ----",
        "EXTENDS A09, TLC",
        f"CONSTANTS {', '.join(workers + runs)}",
        f"GrowthWorkers == {{{', '.join(workers)}}}",
        f"GrowthRuns == {{{', '.join(runs)}}}",
        f"GrowthDueAt == ({due})",
        "GrowthSymmetry == Permutations(GrowthWorkers)",
        "====",
        "",
    ])  # fmt: skip
    constants = "".join(f"    {name} = {name}\n" for name in workers + runs)
    config = (
        f"CONSTANTS\n{constants}    NoAttempt = NoAttempt\n    Workers <- GrowthWorkers\n"
        f"    Runs <- GrowthRuns\n    DueAt <- GrowthDueAt\n    MaxTime = {bounds.horizon}\n"
        f"    MaxEpoch = {bounds.epochs}\n    LeaseTtl = 1\n"
        + ("SYMMETRY GrowthSymmetry\n" if symmetric else "")
        + "SPECIFICATION Spec\nVIEW view\n"
        + (A09 / "MCA09.cfg").read_text().split("VIEW view", 1)[1]
    )
    spec, cfg = folder / f"{stem}.tla", folder / f"{stem}.cfg"
    spec.write_text(module)
    cfg.write_text(config)
    return spec, cfg
