"""Build the workbook: gather fresh evidence (TLC from its cache), then render Markdown and the site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.tlc import TlcResult, Workspace
from failure_lab.workbook.evidence import Evidence, collect
from failure_lab.workbook.render import render


@dataclass(frozen=True, slots=True)
class Built:
    """What a build wrote, and from what."""

    evidence: Evidence
    files: tuple[Path, ...]
    site: Path
    markdown: Path
    tlc_runs: int
    tlc_cached: int
    conformance_runs: int  # variants whose conformance this build measured (the rest kept, or not measured)


def build_workbook(
    root: Path,
    out: Path | None = None,
    *,
    use_cache: bool = True,
    on_result: Callable[[str, str, TlcResult], None] | None = None,
    run_conformance: bool = False,
) -> Built:
    """Check every variant (re-running only what changed), then write ``out`` (default ``build/workbook``).

    Conformance figures come from ``build/conform/`` when measured from today's sources; with
    ``run_conformance`` the missing ones are measured first, else their pages say so.
    """
    root = root.resolve()
    out = (out or root / "build" / "workbook").resolve()
    results: list[TlcResult] = []

    def seen(fm_id: str, variant: str, result: TlcResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(fm_id, variant, result)

    evidence = collect(
        root,
        workspace=Workspace(root / "build"),
        use_cache=use_cache,
        on_result=seen,
        run_conformance=run_conformance,
    )
    files = render(evidence, out)
    cached = sum(1 for result in results if result.cached)
    return Built(evidence, files, out, out / "md", len(results), cached, evidence.conformance_runs)
