"""Replay TLC traces against the runtime: the model and the code, compared state by state."""

from failure_lab.trace_check.replay.engine import Divergence, Refusal, Replay, Step, replay
from failure_lab.trace_check.replay.mapping import (
    Action,
    MappingError,
    SpecMapping,
    action_table,
    load_mapping,
)
from failure_lab.trace_check.replay.verdict import Verdict, judge_prevent, judge_repro

__all__ = [
    "Action",
    "Divergence",
    "MappingError",
    "Refusal",
    "Replay",
    "SpecMapping",
    "Step",
    "Verdict",
    "action_table",
    "judge_prevent",
    "judge_repro",
    "load_mapping",
    "replay",
]
