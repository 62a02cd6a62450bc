"""The benchmark harness: modules found by listing the package, comparisons judged against their targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import Comparison, Measurement
from bench.__main__ import discover, main


def test_every_bench_module_is_found_by_listing_the_package() -> None:
    names = discover()
    assert "bench_tlc" in names
    on_disk = sorted(path.stem for path in Path(main.__code__.co_filename).parent.glob("bench_*.py"))
    assert names == on_disk


def test_a_time_comparison_is_met_at_or_below_its_target() -> None:
    faster = Comparison("c", "d", Measurement("new", (1.0, 2.0, 9.0)), Measurement("old", (4.0, 4.0)), 0.5)
    assert faster.ratio == 0.5
    assert faster.met is True
    slower = Comparison("c", "d", Measurement("new", (3.0,)), Measurement("old", (4.0,)), 0.5)
    assert slower.met is False


def test_a_throughput_comparison_is_met_at_or_above_its_target() -> None:
    rate = Comparison(
        "c", "d", Measurement("new", (90.0,), "jobs/s"), Measurement("old", (100.0,), "jobs/s"), 1.0, True
    )
    assert rate.met is False


def test_a_comparison_without_target_is_context_and_records_its_raw_samples() -> None:
    context = Comparison("c", "d", Measurement("a", (2.0, 4.0)), Measurement("b", (1.0,)), None)
    record = context.record()
    assert (record["ratio"], record["target"], record["met"]) == (3.0, None, None)
    assert record["candidate"]["samples"] == [2.0, 4.0]
    json.dumps(record)


def test_an_unknown_benchmark_is_refused_with_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nope"]) == 2
    assert "unknown benchmark 'bench_nope' (known: " in capsys.readouterr().err
