"""The workbook built once per test run from the real specs and manifests, and a scratch lab to break."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from workbook_support import ROOT

from workbook.build import Built, build_workbook
from workbook.evidence import Evidence


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The whole workbook from this checkout, written to a scratch folder (TLC results from the cache)."""
    return build_workbook(ROOT, tmp_path_factory.mktemp("workbook"))


@pytest.fixture(scope="session")
def evidence(built: Built) -> Evidence:
    """The evidence the built workbook was rendered from."""
    return built.evidence


@pytest.fixture
def lab(tmp_path: Path, built: Built) -> Path:
    """A git checkout holding copies of the specs and of one A09 failure mode, safe to edit."""
    root = tmp_path / "lab"
    # The copies are byte for byte the checkout's, so the checkout's TLC results are theirs too:
    # start from its cache (warmed by ``built``) and only what a test edits runs TLC again.
    # Entries first, then outputs: an entry is written only after its output is complete. Other test
    # processes may be writing (or cleaning) meanwhile; whatever is not copied only costs a TLC run.
    for part in ("cache", "runs"):
        with contextlib.suppress(OSError):  # shutil.Error included; a missing cache is no error
            shutil.copytree(
                ROOT / "build" / "tlc" / part,
                root / "build" / "tlc" / part,
                ignore=shutil.ignore_patterns("*.partial"),
                dirs_exist_ok=True,
            )
    shutil.copytree(ROOT / "specs", root / "specs")
    bundle = root / "failure_modes" / "a09_early_release"
    bundle.mkdir(parents=True)
    shutil.copyfile(
        ROOT / "failure_modes" / "a09_early_release" / "failure_mode.toml", bundle / "failure_mode.toml"
    )
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=lab", "-c", "user.email=lab@example.org", "commit", "-q", "-m", "scratch lab"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root
