"""The growth sweep's models, symmetric workers, and what the harness writes from a (small) sweep."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import bench.bench_growth as bench_growth
from bench.__main__ import main
from bench.growth import BASELINE, Bounds, write_model
from failure_lab.trace_check.tlc import Outcome, TlcRequest, Workspace, run_tlc
from failure_lab.workbook.performance import benchmark_table, growth_section

ROOT = Path(__file__).resolve().parents[2]
A09 = ROOT / "specs" / "a09"


def checked(spec: Path, config: Path, workspace: Workspace) -> tuple[Outcome, int | None]:
    result = run_tlc(TlcRequest(spec=spec, config=config, use_cache=False), workspace)
    return result.outcome, result.distinct_states


def test_the_generated_baseline_is_the_committed_model(tmp_path: Path) -> None:
    workspace = Workspace(build=tmp_path / "build")
    generated = checked(*write_model(BASELINE, tmp_path / "models"), workspace)
    committed = checked(A09 / "MCA09.tla", A09 / "MCA09.cfg", workspace)
    assert generated == committed
    assert committed[0] is Outcome.OK


def test_symmetric_workers_keep_the_verdict_in_fewer_states(tmp_path: Path) -> None:
    workspace = Workspace(build=tmp_path / "build")
    plain = checked(A09 / "MCA09.tla", A09 / "MCA09.cfg", workspace)
    symmetric = checked(A09 / "MCA09Symmetric.tla", A09 / "MCA09Symmetric.cfg", workspace)
    assert symmetric[0] is plain[0] is Outcome.OK
    assert symmetric[1] is not None and plain[1] is not None
    assert symmetric[1] < plain[1]


def test_symmetry_is_kept_out_of_the_failure_modes_manifests() -> None:
    manifests = "".join(path.read_text() for path in (ROOT / "failure_modes").glob("*/failure_mode.toml"))
    assert "MCA09Symmetric" not in manifests


def test_a_small_sweep_lands_in_results_json_with_rates_and_plots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real sweep runs for minutes; two points per series and one symmetric pair tell the same story.
    monkeypatch.setattr(bench_growth, "BUILD", tmp_path / "growth")
    monkeypatch.setattr(bench_growth, "SERIES", {"workers": (BASELINE, Bounds(3, 2, 2, 3))})
    monkeypatch.setattr(bench_growth, "SYMMETRIC", (BASELINE,))
    output = tmp_path / "build" / "bench" / "results.json"
    assert main(["growth", "--output", str(output)]) == 0
    document = json.loads(output.read_text())
    growth = document["details"]["bench_growth"]
    points = growth["series"]["workers"]
    assert [point["bounds"] for point in points] == ["2w/2r/2e/3t", "3w/2r/2e/3t"]
    assert points[1]["distinct"] > points[0]["distinct"]
    assert points[0]["conform_seconds"] is not None  # the baseline conforms, so it is timed
    assert growth["rates"]["workers"]["distinct_per_step"] == pytest.approx(
        points[1]["distinct"] / points[0]["distinct"]
    )
    assert growth["minute_bound"] == {"workers": None}
    names = {record["name"] for record in document["comparisons"]}
    assert {"growth_workers_distinct", "growth_workers_tlc_seconds", "symmetry_workers_2w_2r_2e_3t"} <= names
    for drawn in ("results.svg", "growth-distinct.svg", "growth-seconds.svg"):
        root = ElementTree.parse(output.parent / drawn).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # The workbook's performance page renders the same file: every comparison, every point, the plots.
    figures: list[str] = []

    def figure(name: str, svg: str, alt: str) -> str:
        figures.append(name)
        return f"![{alt}](img/{name}.svg)"

    table, growth_text = benchmark_table(tmp_path, figure), growth_section(tmp_path, figure)
    assert all(f"`{name}`" in table for name in names)
    assert "| workers | 3w/2r/2e/3t |" in growth_text
    assert "One minute on 2 cores (workers): not reached in the sweep." in growth_text
    assert figures == [
        "bench-results",
        "bench-growth-distinct",
        "bench-growth-seconds",
        "bench-growth-conform_seconds",
    ]


def test_the_performance_page_says_when_nothing_was_measured(tmp_path: Path) -> None:
    def figure(name: str, svg: str, alt: str) -> str:
        raise AssertionError("no figure without results")

    assert benchmark_table(tmp_path, figure) == growth_section(tmp_path, figure)
    assert "Not measured yet: run `make bench`." in benchmark_table(tmp_path, figure)
