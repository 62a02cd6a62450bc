"""A scratch build folder per test and one shared class-data-sharing archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from failure_lab.trace_check.tlc import Workspace


@pytest.fixture(scope="session")
def shared_cds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CDS archive folder for the whole run."""
    return tmp_path_factory.mktemp("cds")


@pytest.fixture
def workspace(tmp_path: Path, shared_cds: Path) -> Workspace:
    """A build folder of this test's own."""
    return Workspace(build=tmp_path / "build", cds_dir=shared_cds)
