"""Results cached by a content hash of everything that decides a TLC run."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Bump when the key's ingredients or the entry format change, so old entries stop matching.
_SCHEMA = "1"


def cache_key(
    *,
    modules: Iterable[tuple[str, Path | None]],
    config: Path,
    jar_sha256: str,
    flags: Iterable[str],
) -> str:
    """A hex digest of the spec's modules (names and contents), the config, the jar and the flags."""
    digest = hashlib.sha256()

    def feed(label: str, data: bytes) -> None:
        # Length-prefixed, so no two different inputs can run together into the same bytes.
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    feed("schema", _SCHEMA.encode())
    for name, path in modules:
        feed("module", name.encode())
        feed("text", path.read_bytes() if path is not None else b"<library>")
    feed("config", config.read_bytes())
    feed("jar", jar_sha256.encode())
    for flag in flags:
        feed("flag", flag.encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A finished run: where its raw output is saved, how long it took and how TLC exited."""

    key: str
    output: Path
    seconds: float
    exit_code: int


@dataclass(frozen=True, slots=True)
class ResultCache:
    """Entries on disk, one JSON file per key; writes are atomic so parallel runs never see half an entry."""

    directory: Path

    def get(self, key: str) -> CacheEntry | None:
        """The entry for ``key``, or None when there is none or its saved output is gone."""
        path = self._path(key)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            entry = CacheEntry(
                key=key,
                output=path.parent / record["output"],
                seconds=float(record["seconds"]),
                exit_code=int(record["exit_code"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return entry if entry.output.is_file() else None

    def put(self, entry: CacheEntry) -> None:
        """Record a finished run."""
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {
            "output": os.path.relpath(entry.output, self.directory),
            "seconds": entry.seconds,
            "exit_code": entry.exit_code,
        }
        path = self._path(entry.key)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(record), encoding="utf-8")
        os.replace(partial, path)

    def discard(self, key: str) -> None:
        """Forget ``key`` (before a run that will overwrite its saved output)."""
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"
