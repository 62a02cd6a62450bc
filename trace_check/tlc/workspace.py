"""Where the runner writes: everything under one ``build/`` folder, nothing beside the specs."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Workspace:
    """The ``build/`` folder and its parts: saved outputs, the result cache, TLC metadata, the CDS archive."""

    build: Path
    cds_dir: Path | None = None

    @property
    def runs(self) -> Path:
        """Raw TLC output of every run, one file per spec, config and cache key."""
        return self.build / "tlc" / "runs"

    @property
    def cache(self) -> Path:
        """Cache entries (small JSON files naming a saved output)."""
        return self.build / "tlc" / "cache"

    @property
    def cds(self) -> Path:
        """Class-data-sharing archives, one per java and jar."""
        return self.cds_dir if self.cds_dir is not None else self.build / "cds"

    def new_metadir(self) -> Path:
        """A fresh folder for one run's TLC metadata (states/, extracted standard modules)."""
        parent = self.build / "tlc" / "meta"
        parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=parent))


def repository_root() -> Path:
    """The checkout this package lives in (an editable install, as ``make sync`` makes)."""
    return Path(__file__).resolve().parents[2]


def shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it, as a user would type it."""
    try:
        return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)
