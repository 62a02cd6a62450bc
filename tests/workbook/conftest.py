"""The workbook built once per test run from the real specs and manifests, and scratch labs to break."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from workbook_support import MEASURED, ROOT, copy_tlc_results

from failure_lab.trace_check.conform import ConformanceRecord, cached_conform_variant
from failure_lab.trace_check.registry import load_registry
from failure_lab.trace_check.tlc import Workspace
from failure_lab.workbook.build import Built, build_workbook
from failure_lab.workbook.evidence import Evidence
from failure_lab.workbook.happy import WITNESS


@pytest.fixture(scope="session")
def measured() -> dict[str, ConformanceRecord]:
    """``MEASURED``'s conformance per variant, through the cache every build reads (kept when unchanged)."""
    fm = load_registry(ROOT).get(MEASURED)
    workspace = Workspace(ROOT / "build")
    return {variant.name: cached_conform_variant(fm, variant, workspace) for variant in fm.variants}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, measured: dict[str, ConformanceRecord]) -> Built:
    """The whole workbook from this checkout, written to a scratch folder (TLC results from the cache).

    Conformance is not run: ``MEASURED``'s figures are kept for today's sources, the others' only if
    an earlier ``make workbook`` kept them.
    """
    return build_workbook(ROOT, tmp_path_factory.mktemp("workbook"))


@pytest.fixture(scope="session")
def evidence(built: Built) -> Evidence:
    """The evidence the built workbook was rendered from."""
    return built.evidence


@pytest.fixture
def lab(tmp_path: Path, built: Built) -> Path:
    """A git checkout holding copies of the specs, the mappings and one A09 failure mode, safe to edit."""
    return _lab(tmp_path / "lab", "a09_early_release")


@pytest.fixture
def epoch_lab(tmp_path: Path, built: Built) -> Path:
    """The same with ``MEASURED``, whose conformance is quick to measure; nothing of it kept yet."""
    return _lab(tmp_path / "epoch-lab", MEASURED)


def _lab(root: Path, fm_id: str) -> Path:
    # The copies are byte for byte the checkout's, so the checkout's TLC results are theirs too:
    # start from its cache (warmed by ``built``) and only what a test edits runs TLC again.
    fm = load_registry(ROOT).get(fm_id)
    copy_tlc_results(root / "build", {fm.spec.stem, WITNESS})
    shutil.copytree(ROOT / "specs", root / "specs")
    bundle = root / "failure_modes" / fm_id
    bundle.mkdir(parents=True)
    shutil.copyfile(ROOT / "failure_modes" / fm_id / "failure_mode.toml", bundle / "failure_mode.toml")
    # The mapping its manifest names, and the mappings beside it.
    mappings = ROOT / "failure_modes" / "mappings"
    shutil.copytree(
        mappings, root / "failure_modes" / "mappings", ignore=shutil.ignore_patterns("__pycache__")
    )
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=lab", "-c", "user.email=lab@example.org", "commit", "-q", "-m", "scratch lab"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root
