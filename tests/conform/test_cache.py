"""Conformance kept per key: measured once, taken as it is while the sources are today's, never after."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from failure_lab.cli import main
from failure_lab.trace_check.conform import (
    ConformanceCache,
    cached_conform_variant,
    conform_variant,
    conform_variants,
    conformance_key,
)
from failure_lab.trace_check.conform import cache as cache_module
from failure_lab.trace_check.conform import graph as graph_module
from failure_lab.trace_check.conform import key as key_module
from failure_lab.trace_check.conform.key import sources
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Workspace

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT)
QUICK = "a09_stale_epoch"  # its two variants conform in about a second together


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A build folder sharing the checkout's TLC results (graphs included), with no conformance record."""
    build = tmp_path / "build"
    (ROOT / "build" / "tlc").mkdir(parents=True, exist_ok=True)
    build.mkdir()
    # TLC's results are keyed by content, so sharing them is safe; the records under test are private.
    (build / "tlc").symlink_to(ROOT / "build" / "tlc", target_is_directory=True)
    return Workspace(build)


def test_a_second_conform_of_unchanged_sources_is_taken_from_the_cache(workspace: Workspace) -> None:
    fm = REGISTRY.get(QUICK)
    variant = fm.variant("fixed")
    first = cached_conform_variant(fm, variant, workspace)
    assert not first.cached and first.ok
    assert first.key == conformance_key(fm, variant).value
    kept = json.loads((workspace.build / "conform" / f"{QUICK}-fixed.json").read_text(encoding="utf-8"))
    assert kept["key"] == first.key and kept["edges_checked"] == first.edges_checked
    second = cached_conform_variant(fm, variant, workspace)
    assert second == replace(first, cached=True)


def test_a_record_measured_under_another_key_is_not_returned(workspace: Workspace) -> None:
    fm = REGISTRY.get(QUICK)
    variant = fm.variant("fixed")
    record = cached_conform_variant(fm, variant, workspace)
    cache = ConformanceCache(workspace.build / "conform")
    # As if measured from other sources: same figures, another key.
    cache.put(replace(record, key="0" * 64))
    (answer,) = conform_variants([(fm, variant)], workspace, run=False)
    assert answer.record is None and answer.problem is None and answer.key == record.key
    (answer,) = conform_variants([(fm, variant)], workspace)
    assert answer.record is not None and not answer.record.cached and answer.record.key == record.key


def test_the_key_changes_with_the_graphs_inputs(tmp_path: Path) -> None:
    fm = REGISTRY.get(QUICK)
    variant = fm.variant("fixed")
    copy = tmp_path / variant.config.name
    shutil.copyfile(variant.config, copy)
    copied = replace(variant, config=copy)
    assert conformance_key(fm, copied).value == conformance_key(fm, variant).value
    copy.write_text(copy.read_text(encoding="utf-8") + "\\* touched\n", encoding="utf-8")
    assert conformance_key(fm, copied).value != conformance_key(fm, variant).value
    # The guards switched off are part of it too: bug and fixed never share a key.
    assert conformance_key(fm, fm.variant("bug")).value != conformance_key(fm, variant).value


def test_the_key_is_computed_once_per_variant_and_its_graph_request_handed_down(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(cache_module, "conformance_key", counted("key", cache_module.conformance_key))
    monkeypatch.setattr(key_module, "graph_request", counted("request", key_module.graph_request))
    monkeypatch.setattr(graph_module, "graph_request", counted("request", graph_module.graph_request))
    fm = REGISTRY.get(QUICK)
    record = cached_conform_variant(fm, fm.variant("fixed"), workspace)  # measured: nothing is kept yet
    assert not record.cached and record.ok
    assert calls == {"key": 1, "request": 1}


def test_figures_measured_while_a_source_changed_are_not_kept(tmp_path: Path, workspace: Workspace) -> None:
    fm = REGISTRY.get(QUICK)
    variant = fm.variant("fixed")
    copy = tmp_path / variant.config.name
    shutil.copyfile(variant.config, copy)
    copied = replace(variant, config=copy)
    key = conformance_key(fm, copied)
    outcome = conform_variant(fm, copied, workspace, request=key.request).as_json()
    assert key.unchanged()
    copy.write_text(copy.read_text(encoding="utf-8") + "\\* edited while it ran\n", encoding="utf-8")
    assert not key.unchanged()
    answer = cache_module._kept((fm, copied), key, outcome, cache_module.cache_of(workspace))
    assert (answer.record, answer.problem) == (None, "its sources changed while it ran; run it again")
    assert not (workspace.build / "conform" / f"{QUICK}-fixed.json").exists()


def test_the_key_covers_the_runtime_the_mappings_and_the_checker() -> None:
    names = {source.name for source in sources(REGISTRY.get(QUICK))}
    assert {
        "python_impl/queue.py",
        "python_impl/sqlite/store.py",
        "failure_modes/mappings/a09.py",
        "failure_modes/mappings/common.py",
        "trace_check/conform/engine.py",
        "trace_check/conform/restore.py",
        "trace_check/parse/_state_graph.py",
        "trace_check/parse/_value_parser.py",
        "trace_check/parse/grammars/value.lark",
    } <= names


def test_variants_sharing_a_graph_guards_and_mapping_are_measured_once(workspace: Workspace) -> None:
    # Two failure modes' guarded variants: one config, no guard off, the A09 mapping.
    pairs = [
        (REGISTRY.get(fm_id), REGISTRY.get(fm_id).variant("fixed"))
        for fm_id in (QUICK, "a09_duplicate_claim")
    ]
    answers = conform_variants(pairs, workspace)
    records = [answer.record for answer in answers]
    assert all(record is not None and not record.cached for record in records)
    first, second = (record for record in records if record is not None)
    assert (first.fm, second.fm) == (QUICK, "a09_duplicate_claim")
    assert first.key == second.key  # the same graph, guards and mapping: the same figures, kept twice
    assert first.seconds == second.seconds  # from one run


def test_conform_cli_says_when_its_figures_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conform", QUICK, "--variant", "fixed", "--no-cache"]) == 0
    assert "kept:" not in capsys.readouterr().out
    assert main(["conform", QUICK, "--variant", "fixed"]) == 0
    printed = capsys.readouterr().out
    key = conformance_key(REGISTRY.get(QUICK), REGISTRY.get(QUICK).variant("fixed")).value
    assert f"from the sources of today's key {key[:12]};" in " ".join(printed.split())


def test_conform_refuses_a_jobs_count_below_one_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conform", QUICK, "--jobs", "0"]) == 2
    assert capsys.readouterr().err == "failure-lab: error: --jobs 0: expected a positive number\n"
