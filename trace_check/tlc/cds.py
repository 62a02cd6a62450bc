"""The class-data-sharing archive that cuts TLC's JVM start-up (measured by ``make bench``)."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.tlc.jar import TlcJar
from failure_lab.trace_check.tlc.java import Java

# Unified JVM logging prints CDS warnings (e.g. an archive from another JVM) on stdout, where they
# would mix with TLC's messages; keep it quiet there and send only errors to stderr.
QUIET_JVM_LOG = ("-Xlog:disable", "-Xlog:all=error:stderr")


@dataclass(frozen=True, slots=True)
class ArchivePlan:
    """The JVM options for one run, and the archive that run dumps (None when it uses an existing one)."""

    options: tuple[str, ...]
    dumping: Path | None
    archive: Path


def plan(directory: Path, java: Java, jar: TlcJar) -> ArchivePlan:
    """Use the archive for this java and jar if it exists, else dump one at the end of this run."""
    # Named by java and jar, so an archive made by another JVM or jar is never even tried.
    identity = hashlib.sha256(f"{java.path}\n{java.banner}\n{jar.sha256}".encode()).hexdigest()[:16]
    archive = directory / f"tlc-{identity}.jsa"
    if archive.is_file():
        return ArchivePlan((*QUIET_JVM_LOG, f"-XX:SharedArchiveFile={archive}"), None, archive)
    directory.mkdir(parents=True, exist_ok=True)
    dumping = directory / f"{archive.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.partial"
    return ArchivePlan((*QUIET_JVM_LOG, f"-XX:ArchiveClassesAtExit={dumping}"), dumping, archive)


def settle(archive_plan: ArchivePlan, *, completed: bool) -> None:
    """Keep a freshly dumped archive only when its run completed; never leave a partial one."""
    if archive_plan.dumping is None:
        return
    if completed and archive_plan.dumping.is_file():
        os.replace(archive_plan.dumping, archive_plan.archive)
    else:
        archive_plan.dumping.unlink(missing_ok=True)
