"""Find the ``java`` that runs TLC and make sure it is new enough."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from failure_lab.trace_check.tlc.errors import TlcError

MINIMUM_MAJOR = 11
_FIX = "install a JDK 11 or newer (e.g. `apt-get install openjdk-17-jre-headless`) or point JAVA_HOME at one"
_VERSION = re.compile(r'version "(?P<version>[^"]+)"')


@dataclass(frozen=True, slots=True)
class Java:
    """A java executable and the version it reports."""

    path: Path
    version: str
    major: int
    banner: str


def find_java(env: Mapping[str, str] | None = None) -> Java:
    """The java TLC will run on: ``$JAVA_HOME/bin/java`` if set, else the first on ``PATH``."""
    env = os.environ if env is None else env
    home = env.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        if not candidate.is_file():
            raise TlcError(f"JAVA_HOME={home} has no bin/java: {_FIX}")
        return _probe(candidate)
    found = shutil.which("java", path=env.get("PATH", ""))
    if found is None:
        raise TlcError(f"java not found on PATH: {_FIX}")
    return _probe(Path(found))


def parse_java_version(banner: str) -> tuple[str, int]:
    """The version string and major number from the first line of ``java -version``."""
    match = _VERSION.search(banner)
    if match is None:
        raise TlcError(f"cannot read the java version from {banner.strip()!r}: {_FIX}")
    version = match["version"]
    parts = re.split(r"[._+-]", version)
    # Java 8 and older call themselves "1.8.0_392"; from 9 on the major comes first.
    major_text = parts[1] if parts[0] == "1" and len(parts) > 1 else parts[0]
    if not major_text.isdigit():
        raise TlcError(f"cannot read the java version from {banner.strip()!r}: {_FIX}")
    return version, int(major_text)


@cache
def _probe(path: Path) -> Java:
    try:
        probe = subprocess.run(
            [str(path), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as error:
        raise TlcError(f"cannot run {path}: {error.strerror}: {_FIX}") from None
    banner = (probe.stderr or probe.stdout).strip()
    version, major = parse_java_version(banner)
    if major < MINIMUM_MAJOR:
        raise TlcError(f"{path} is java {version}, TLC needs {MINIMUM_MAJOR} or newer: {_FIX}")
    return Java(path=path, version=version, major=major, banner=banner.splitlines()[0])
