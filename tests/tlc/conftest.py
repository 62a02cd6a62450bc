"""Fixtures for the runner's tests: the small specs in tests/specs and a scratch build folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from failure_lab.trace_check.tlc import Workspace

SPECS = Path(__file__).resolve().parents[1] / "specs"


@pytest.fixture(scope="session")
def shared_cds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CDS archive folder for the whole run, so only the first TLC launch pays for dumping it."""
    return tmp_path_factory.mktemp("cds")


@pytest.fixture
def workspace(tmp_path: Path, shared_cds: Path) -> Workspace:
    """A build folder of this test's own: its cache starts empty."""
    return Workspace(build=tmp_path / "build", cds_dir=shared_cds)


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """A private copy of tests/specs, for tests that edit a spec or look at what lands beside it."""
    copy = tmp_path / "specs"
    shutil.copytree(SPECS, copy)
    return copy
