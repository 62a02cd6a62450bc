"""Replay TLC traces against the runtime: the model and the code, compared state by state."""

from trace_check.replay.engine import Divergence, Refusal, Replay, Step, replay
from trace_check.replay.mapping import MappingError, SpecMapping, load_mapping
from trace_check.replay.verdict import Verdict, judge_prevent, judge_repro

__all__ = [
    "Divergence",
    "MappingError",
    "Refusal",
    "Replay",
    "SpecMapping",
    "Step",
    "Verdict",
    "judge_prevent",
    "judge_repro",
    "load_mapping",
    "replay",
]
