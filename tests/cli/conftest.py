"""A scratch lab for the CLI's tests: the small specs of tests/specs and manifests that name them."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

SPECS = Path(__file__).resolve().parents[1] / "specs"

MANIFESTS = {
    "counter_bound": """
        id = "counter_bound"
        title = "A counter passes three"
        invariant = "BelowThree"
        spec = "specs/Counter.tla"

        [variants.fixed]
        config = "specs/Counter.cfg"
        expect = "ok"

        [variants.bug]
        config = "specs/CounterBelowThree.cfg"
        expect = "invariant_violated"
        violated = "BelowThree"
    """,
    "stuck_counter": """
        id = "stuck_counter"
        title = "A counter with nowhere to go"
        spec = "specs/Stuck.tla"

        [variants.bug]
        config = "specs/Stuck.cfg"
        expect = "deadlock"

        [variants.relaxed]
        config = "specs/Stuck.cfg"
        expect = "ok"
        tlc_args = ["-deadlock"]
    """,
    "light_cycle": """
        id = "light_cycle"
        title = "A light that never turns yellow"
        spec = "specs/Lasso.tla"

        [variants.bug]
        config = "specs/Lasso.cfg"
        expect = "property_violated"
        violated = "EventuallyYellow"
    """,
}


def write_manifest(root: Path, fm_id: str, text: str) -> Path:
    """Write ``failure_modes/<fm_id>/failure_mode.toml`` under ``root``."""
    path = root / "failure_modes" / fm_id / "failure_mode.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def shared_cds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CDS archive folder for the whole run, so only the first TLC launch pays for dumping it."""
    return tmp_path_factory.mktemp("cds")


@pytest.fixture
def lab(tmp_path: Path, shared_cds: Path) -> Path:
    """A repository root of this test's own: specs, three failure modes, an empty build cache."""
    root = tmp_path / "lab"
    shutil.copytree(SPECS, root / "specs")
    for fm_id, text in MANIFESTS.items():
        write_manifest(root, fm_id, text)
    (root / "build").mkdir()
    (root / "build" / "cds").symlink_to(shared_cds, target_is_directory=True)
    return root


@pytest.fixture
def add_manifest(lab: Path) -> Callable[[str, str], Path]:
    """Add a failure mode to the lab from its manifest text."""
    return lambda fm_id, text: write_manifest(lab, fm_id, text)
