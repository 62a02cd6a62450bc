"""The mappings build the same few TLA+ values thousands of times: once each, and never one for another."""

from __future__ import annotations

from failure_lab.trace_check.parse import ModelValue, to_tla
from failure_modes.mappings.common import fcn, model, record


def test_equal_functions_and_records_are_one_object() -> None:
    assert fcn(["j2", "j1"], {"j1": 1, "j2": 2}) is fcn(("j1", "j2"), {"j2": 2, "j1": 1})
    assert record(("job", model("j1")), ("epoch", 1)) is record(("job", ModelValue("j1")), ("epoch", 1))
    assert model("w1") is model("w1") and model("w1") == ModelValue("w1")


def test_a_function_of_true_is_never_taken_for_one_of_one() -> None:
    # Python's True == 1 must not let a kept value stand in for another that prints differently.
    assert to_tla(fcn(["j1"], {"j1": True})) == "(j1 :> TRUE)"
    assert to_tla(fcn(["j1"], {"j1": 1})) == "(j1 :> 1)"
    assert to_tla(record(("done", True))) != to_tla(record(("done", 1)))
