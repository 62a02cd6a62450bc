"""TLC's simulation mode: random behaviours of bounded depth, for models too big to exhaust."""

from __future__ import annotations

from dataclasses import dataclass, replace

from failure_lab.trace_check.tlc.errors import TlcError
from failure_lab.trace_check.tlc.runner import TlcRequest


@dataclass(frozen=True, slots=True)
class Simulation:
    """How to sample: ``behaviours`` random walks of at most ``depth`` steps from seed ``seed``."""

    depth: int = 100
    seed: int = 1
    behaviours: int = 10_000

    def tlc_args(self) -> tuple[str, ...]:
        """TLC's flags for this simulation (``num=`` bounds the run; without it TLC samples forever)."""
        for name, value in (("depth", self.depth), ("behaviours", self.behaviours)):
            if value < 1:
                raise TlcError(f"simulation {name} {value}: expected a positive number")
        return ("-simulate", f"num={self.behaviours}", "-depth", str(self.depth), "-seed", str(self.seed))


def simulated(request: TlcRequest, simulation: Simulation) -> TlcRequest:
    """``request`` as a simulation: the same spec and config, TLC's random walks instead of a search."""
    # One worker: with several, which walk finds a violation first depends on thread timing, and
    # the seed would no longer fix the counterexample.
    return replace(request, workers=1, tlc_args=(*request.tlc_args, *simulation.tlc_args()))
