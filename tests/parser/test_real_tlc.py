"""TLC in the loop: fresh runs read like the saved ones, and TLC itself judges what the parser read."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse import Fcn, ModelValue, Record, Seq, Value, parse_tlc_output, to_tla

from .golden import raw_values, summarize
from .strategies import MODEL_VALUES, strictly_equal
from .tlc import DATA, run_tlc

# The regeneration script lives with the data it writes, outside any package.
_spec = importlib.util.spec_from_file_location("tlc_regenerate", DATA / "regenerate.py")
assert _spec is not None and _spec.loader is not None
regenerate = sys.modules.setdefault("tlc_regenerate", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(regenerate)


@pytest.mark.parametrize("case", regenerate.CASES, ids=lambda case: case.name)
def test_fresh_tlc_run_reads_like_the_saved_output(case: Any, tmp_path: Path) -> None:
    for tool in (False, True):
        name = f"{case.name}{'.tool' if tool else ''}.out"
        text = regenerate.run_tlc(case, tool=tool, out_dir=tmp_path)
        saved = json.loads((DATA / name).with_suffix(".expected.json").read_text())
        assert summarize(text, source=name) == saved, name


def _model_values(value: Value) -> set[str]:
    if isinstance(value, ModelValue):
        return {value.name}
    if isinstance(value, frozenset | Seq):
        return set().union(*(_model_values(item) for item in value))
    if isinstance(value, Record | Fcn):
        return set().union(*(_model_values(k) | _model_values(v) for k, v in value.graph().items()))
    return set()


def _oracle_module(pairs: list[tuple[str, str]], constants: set[str]) -> tuple[str, str]:
    """A module with one ASSUME per (our text, TLC's text) pair, and its config."""
    lines = ["---- MODULE Oracle ----", "EXTENDS Integers, Sequences, FiniteSets, TLC"]
    if constants:
        lines.append("CONSTANTS " + ", ".join(sorted(constants)))
    lines.extend(f"ASSUME ({ours}) = ({theirs})" for ours, theirs in pairs)
    lines.extend(["VARIABLE unused", "Init == unused = 0", "Next == UNCHANGED unused", "===="])
    config = "".join(f"CONSTANT {name} = {name}\n" for name in sorted(constants)) + "INIT Init\nNEXT Next\n"
    return "\n".join(lines) + "\n", config


def _judge(tmp_path: Path, pairs: list[tuple[str, str]], constants: set[str]) -> str:
    module, config = _oracle_module(pairs, constants)
    (tmp_path / "Oracle.tla").write_text(module)
    (tmp_path / "Oracle.cfg").write_text(config)
    return run_tlc(tmp_path, "Oracle", "Oracle.cfg")


def test_tlc_agrees_that_to_tla_prints_every_parsed_value(tmp_path: Path) -> None:
    pairs: list[tuple[str, str]] = []
    constants: set[str] = set()
    for path in sorted(DATA.glob("*.tool.out")):
        text = path.read_text()
        parsed = [value for trace in parse_tlc_output(text).traces for state in trace.states
                  for value in state.variables.values()]  # fmt: skip
        raw = raw_values(text)
        for value in parsed:
            constants |= _model_values(value)
        # Under -difftrace TLC omits unchanged variables, so compare only outputs that print every value.
        if "difftrace" not in path.name:
            assert len(raw) == len(parsed), path.name
            pairs.extend((to_tla(value), theirs) for value, theirs in zip(parsed, raw, strict=True))
    pairs = sorted(set(pairs))
    assert len(pairs) > 40
    output = _judge(tmp_path, pairs, constants)
    assert "Model checking completed. No error has been found." in output, output[-2000:]


def test_tlc_oracle_catches_a_wrong_print(tmp_path: Path) -> None:
    output = parse_tlc_output(_judge(tmp_path, [(to_tla(Seq((1, 2))), "<<2, 1>>")], set()))
    assert (output.outcome, output.violated) == (
        "assumption_failed",
        "line 3, col 8 to line 3, col 30 of module Oracle",
    )


def _random_value(rnd: random.Random, depth: int = 0) -> Value:
    """A random value TLC can hold: sets and function domains of one kind each."""
    kind = rnd.randrange(9 if depth < 3 else 4)
    if kind == 0:
        return rnd.randint(-(2**31 - 1), 2**31 - 1)
    if kind == 1:
        return rnd.random() < 0.5
    if kind == 2:
        return "".join(rnd.choice('ab Z09_-"\\\t\n') for _ in range(rnd.randrange(6)))
    if kind == 3:
        return ModelValue(rnd.choice(MODEL_VALUES))
    if kind == 4:
        return frozenset(rnd.randint(-5, 5) for _ in range(rnd.randrange(5)))
    if kind == 5:
        return frozenset(_random_value(rnd, 3) for _ in range(rnd.randrange(3)) if False) | frozenset(
            Seq((rnd.randint(0, 3),)) for _ in range(rnd.randrange(4))
        )
    if kind == 6:
        return Seq(tuple(_random_value(rnd, depth + 1) for _ in range(rnd.randrange(4))))
    if kind == 7:
        names = rnd.sample(["a", "bb", "c1", "owner", "hits"], rnd.randrange(1, 4))
        return Record(tuple((name, _random_value(rnd, depth + 1)) for name in names))
    keys = rnd.sample([ModelValue(name) for name in MODEL_VALUES], rnd.randrange(1, 3))
    return Fcn(tuple((key, _random_value(rnd, depth + 1)) for key in keys))


def test_tlc_prints_random_values_that_parse_back_equal(tmp_path: Path) -> None:
    rnd = random.Random(20240601)
    values = [_random_value(rnd) for _ in range(150)]
    module = "\n".join([
        "---- MODULE Echo ----", "EXTENDS Integers, Sequences, TLC",
        f"CONSTANTS {', '.join(MODEL_VALUES)}", "VARIABLE v",
        "Init == v = <<" + ",\n    ".join(to_tla(value) for value in values) + ">>",
        "Next == UNCHANGED v", "Never == Len(v) = 0", "====",
    ])  # fmt: skip
    (tmp_path / "Echo.tla").write_text(module + "\n")
    config = (
        "".join(f"CONSTANT {name} = {name}\n" for name in MODEL_VALUES)
        + "INIT Init\nNEXT Next\nINVARIANT Never\n"
    )
    (tmp_path / "Echo.cfg").write_text(config)
    output = parse_tlc_output(run_tlc(tmp_path, "Echo", "Echo.cfg"))
    assert output.outcome is Outcome.INVARIANT_VIOLATED, output.message
    echoed = output.traces[0].states[0].variables["v"]
    assert isinstance(echoed, Seq | Fcn)
    assert echoed == Seq(tuple(values))
    assert all(strictly_equal(echoed.graph()[i], value) for i, value in enumerate(values, start=1))
