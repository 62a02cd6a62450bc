"""Gather the workbook's evidence: the registry, TLC's results (cached), parsed traces and replays."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.conform import (
    CachedConformance,
    ConformanceRecord,
    conform_variants,
    conformance_key,
)
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.parse import Trace
from failure_lab.trace_check.registry import FailureMode, Registry, Variant, load_registry
from failure_lab.trace_check.replay import Replay, judge_repro, load_mapping, replay
from failure_lab.trace_check.replay.fixtures import fixtures, itf_text
from failure_lab.trace_check.tlc import TlcRequest, TlcResult, Workspace, run_tlc
from failure_lab.trace_check.tlc.expected import matches
from failure_lab.workbook.errors import WorkbookError
from failure_lab.workbook.happy import HappyRequest, happy_requests, run_witness
from failure_lab.workbook.sources import Commit, Definition, definition, digest, extended_module, git_commit

CATALOGUE = Path("specs") / "invariants.toml"
GOALS = Path(__file__).resolve().parent / "chapters" / "happy_path.toml"
NOT_MEASURED = "not measured for this commit"


@dataclass(frozen=True, slots=True)
class VariantEvidence:
    """One variant as TLC checked it just now (or as an identical cached run did)."""

    variant: Variant
    result: TlcResult
    as_expected: bool

    @property
    def trace(self) -> Trace | None:
        """The counterexample, when TLC printed one."""
        return self.result.trace


@dataclass(frozen=True, slots=True)
class ReplayEvidence:
    """What the runtime did with a counterexample, in one direction (guard off or on)."""

    direction: str  # "bug" (guard off) or "guard" (guard on)
    variant: str
    available: bool
    summary: str  # one line: the verdict, or why there is none
    ok: bool | None  # the verdict where the direction has one
    agreed: int | None
    steps: int | None
    parted_at: str | None  # "step 7 `Complete(w=w1)` is refused by `epoch_fence`: …" and the like
    parted_step: int | None  # that step's position (0 is the initial state)
    broken: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SavedTrace:
    """A counterexample kept as regression data, and whether it is still the one TLC finds today."""

    variant: str
    path: Path
    present: bool
    fresh: bool


@dataclass(frozen=True, slots=True)
class ConformanceEvidence:
    """A variant's whole-graph conformance, measured from exactly today's sources, or why it is missing."""

    variant: str
    key: str | None  # the key of today's sources (None when it cannot be computed)
    record: ConformanceRecord | None  # None: not measured for these sources
    problem: str | None  # the error that kept it from being measured, if one did


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One protected invariant: its id, the TLA+ definition it is, and the Python predicate of that name."""

    inv: str
    name: str
    kind: str
    says: str
    tla: Definition
    python: str | None  # "python_impl.invariants.Name" when it exists
    python_doc: str | None


@dataclass(frozen=True, slots=True)
class FailureModeEvidence:
    """Everything one failure-mode page shows."""

    failure_mode: FailureMode
    design: Path  # the design module (A09.tla) the model module extends
    invariant: Definition | None
    guard: Definition | None
    guard_twin: Definition | None
    variants: tuple[VariantEvidence, ...]
    replays: tuple[ReplayEvidence, ...]
    saved: tuple[SavedTrace, ...]
    inputs: tuple[Path, ...]  # the files the page's results come from
    spec_hash: str
    conformance: tuple[ConformanceEvidence, ...] = ()  # one per variant, in the manifest's order
    actions: tuple[str, ...] = ()  # the spec's actions, as its mapping declares them (none: no mapping)

    @property
    def bug(self) -> VariantEvidence | None:
        """The bug variant, whose counterexample is the point of the page."""
        return self.variant("bug")

    def variant(self, name: str) -> VariantEvidence | None:
        """The variant called ``name``, if the failure mode has one."""
        return next((v for v in self.variants if v.variant.name == name), None)


@dataclass(frozen=True, slots=True)
class HappyEvidence:
    """A guarded model's happy path: TLC's shortest witness of its goal, and the runtime's replay of it."""

    model: str
    goal: str
    failure_mode: FailureMode
    design: Path
    config: Path
    result: TlcResult
    replay: ReplayEvidence
    actions: tuple[str, ...] = ()  # the spec's actions, as its mapping declares them (none: no mapping)

    @property
    def trace(self) -> Trace | None:
        """The witness."""
        return self.result.trace


@dataclass(frozen=True, slots=True)
class Evidence:
    """The whole workbook's evidence, stamped with the commit and the hash of every input."""

    root: Path
    commit: Commit
    failure_modes: tuple[FailureModeEvidence, ...]
    happy_paths: tuple[HappyEvidence, ...]
    catalogue: tuple[CatalogueEntry, ...]
    spec_hash: str
    inputs: tuple[Path, ...]
    fingerprints: tuple[str, ...]  # one digest per input, in the order of ``inputs``
    conformance: str  # one phrase over every variant: how many are measured for this commit, and how
    pending: tuple[FailureMode, ...] = ()  # scaffolds whose expectations are not met: listed, not checked
    conformance_runs: int = 0  # variants measured by this build (the rest were kept, or not measured)

    def get(self, fm_id: str) -> FailureModeEvidence:
        """The evidence of failure mode ``fm_id``."""
        for item in self.failure_modes:
            if item.failure_mode.id == fm_id:
                return item
        raise WorkbookError(f"{fm_id}: expected a failure mode under failure_modes/, found none")

    def has_counterexample(self, fm_id: str) -> bool:
        """Whether failure mode ``fm_id`` exists and TLC printed a counterexample for its bug variant."""
        ve = next((ve for ve in self.failure_modes if ve.failure_mode.id == fm_id), None)
        return ve is not None and ve.bug is not None and ve.bug.trace is not None

    def guarded_variants(self) -> list[VariantEvidence]:
        """Every variant expected to check clean, once per config (several failure modes share one)."""
        seen: dict[Path, VariantEvidence] = {}
        for ve in self.failure_modes:
            for v in ve.variants:
                if v.variant.violated is None and v.variant.config not in seen:
                    seen[v.variant.config] = v
        return [seen[config] for config in sorted(seen)]

    def rel(self, path: Path) -> str:
        """``path`` relative to the repository root."""
        return path.relative_to(self.root).as_posix()

    def stale_conformance(self) -> tuple[str, ...]:
        """Variants whose conformance sources changed after their figures were gathered (should be none)."""
        stale = []
        for ve in self.failure_modes:
            for c in ve.conformance:
                if c.record is None:
                    continue
                try:
                    today = conformance_key(ve.failure_mode, ve.failure_mode.variant(c.variant)).value
                except TraceCheckError:
                    today = None
                if today != c.key:
                    stale.append(f"{ve.failure_mode.id} ({c.variant})")
        return tuple(stale)

    def stale_inputs(self) -> tuple[Path, ...]:
        """Inputs whose contents changed since the evidence was gathered (none, or the page would lie)."""
        return tuple(
            path
            for path, before in zip(self.inputs, self.fingerprints, strict=True)
            if not path.is_file() or digest([path], self.root) != before
        )


def collect(
    root: Path,
    *,
    workspace: Workspace | None = None,
    use_cache: bool = True,
    only: tuple[str, ...] = (),
    on_result: Callable[[str, str, TlcResult], None] | None = None,
    run_conformance: bool = False,
) -> Evidence:
    """Check every variant with TLC (unchanged runs come from the cache), replay, and read the catalogue.

    Conformance figures are those kept under today's key (``trace_check.conform``); with
    ``run_conformance`` the missing ones are measured first, in parallel processes, else a variant
    without them says it is not measured for this commit.
    """
    root = root.resolve()
    registry = load_registry(root)
    chosen = tuple(fm for fm in _chosen(registry, only) if not fm.pending)
    pending = tuple(fm for fm in _chosen(registry, only) if fm.pending) if only else registry.pending
    workspace = workspace or Workspace(root / "build")
    jobs = [(fm, variant) for fm in chosen for variant in fm.variants]
    # Fingerprint the inputs before TLC reads them, so an edit made during the runs is caught too.
    inputs = tuple(
        sorted(
            {path for fm in chosen for path in _inputs(fm)}
            | {root / CATALOGUE}
            | set((root / "specs").glob("*/*.tla"))
        )
    )
    fingerprints = tuple(digest([path], root) for path in inputs)
    spec_hash = digest(inputs, root)

    def check(job: tuple[FailureMode, Variant]) -> TlcResult:
        fm, variant = job
        request = TlcRequest(
            spec=fm.spec, config=variant.config, tlc_args=variant.tlc_args, use_cache=use_cache
        )
        result = run_tlc(request, workspace)
        if on_result is not None:
            on_result(fm.id, variant.name, result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        results = list(pool.map(check, jobs))
    by_job = dict(zip([(fm.id, v.name) for fm, v in jobs], results, strict=True))
    for (fm_id, name), result in by_job.items():
        if result.outcome.is_tool_error:
            raise WorkbookError(f"{fm_id} {name}: {result.problem()}")
    # Kept figures are read even with use_cache off when nothing may run: a key match is no guess.
    answers = conform_variants(
        jobs, workspace, use_cache=use_cache or not run_conformance, run=run_conformance
    )
    conformance = {(answer.fm, answer.variant): answer for answer in answers}
    modes = tuple(_failure_mode(root, fm, by_job, conformance) for fm in chosen)
    happy = tuple(_happy(request, workspace, use_cache) for request in happy_requests(chosen, read_goals()))
    catalogue = read_catalogue(root, runtime_invariants(registry))
    commit = git_commit(root, ["specs", "failure_modes", "python_impl", "trace_check", "workbook"])
    return Evidence(
        root=root,
        commit=commit,
        failure_modes=modes,
        happy_paths=happy,
        catalogue=catalogue,
        spec_hash=spec_hash,
        inputs=inputs,
        fingerprints=fingerprints,
        conformance=conformance_summary(answers),
        pending=pending,
        conformance_runs=sum(1 for a in answers if a.record is not None and not a.record.cached),
    )


def conformance_summary(answers: tuple[CachedConformance, ...]) -> str:
    """``every edge checked, no mismatch, on all 23 variants`` and the like, or what is missing."""
    measured = [answer.record for answer in answers if answer.record is not None]
    if not measured:
        return NOT_MEASURED
    failing = sum(1 for record in measured if not record.ok)
    verdict = (
        "every edge checked, no mismatch"
        if not failing
        else f"mismatches or unchecked edges on {failing} variant{'s' if failing > 1 else ''}"
    )
    if len(measured) == len(answers):
        return f"{verdict}, on all {len(answers)} variants"
    return f"{verdict}, on the {len(measured)} of {len(answers)} variants measured; the rest {NOT_MEASURED}"


def _chosen(registry: Registry, only: tuple[str, ...]) -> tuple[FailureMode, ...]:
    if not registry.failure_modes:
        raise WorkbookError(
            f"{registry.root / 'failure_modes'}: expected failure_mode.toml bundles, found none"
        )
    return tuple(registry.get(fm_id) for fm_id in only) if only else registry.failure_modes


def _failure_mode(
    root: Path,
    fm: FailureMode,
    results: dict[tuple[str, str], TlcResult],
    conformance: dict[tuple[str, str], CachedConformance],
) -> FailureModeEvidence:
    design = extended_module(fm.spec)
    variants = tuple(
        VariantEvidence(
            variant=variant,
            result=results[(fm.id, variant.name)],
            as_expected=matches(results[(fm.id, variant.name)], variant.expect, variant.violated),
        )
        for variant in fm.variants
    )
    guard = definition(design, fm.guard) if fm.guard else None
    twin = definition(design, f"Incorrectly{fm.guard}") if fm.guard else None
    inputs = _inputs(fm)
    return FailureModeEvidence(
        failure_mode=fm,
        design=design,
        invariant=definition(design, fm.invariant) if fm.invariant else None,
        guard=guard,
        guard_twin=twin,
        variants=variants,
        replays=tuple(_replays(fm, variants)),
        saved=tuple(_saved(root, fm, variants)),
        inputs=inputs,
        spec_hash=digest(inputs, root),
        conformance=tuple(
            ConformanceEvidence(variant.name, answer.key, answer.record, answer.problem)
            for variant in fm.variants
            for answer in (conformance[(fm.id, variant.name)],)
        ),
        actions=_actions(fm),
    )


def _actions(fm: FailureMode) -> tuple[str, ...]:
    """The spec's actions in its mapping's order; none if the mapping does not load (its replays say why)."""
    try:
        return tuple(load_mapping(fm).actions)
    except TraceCheckError:
        return ()


def read_goals() -> dict[str, dict[str, str]]:
    """The happy-path goals per model module, from ``workbook/chapters/happy_path.toml``."""
    path = GOALS
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise WorkbookError(f"workbook/chapters/{path.name}: expected TOML ({error})") from None
    for model, table in data.items():
        if not isinstance(table, dict) or not {"goal", "never"} <= set(table):
            raise WorkbookError(f"workbook/chapters/{path.name}: [{model}]: expected goal and never")
    return data


def _happy(request: HappyRequest, workspace: Workspace, use_cache: bool) -> HappyEvidence:
    result = run_witness(request, workspace, use_cache=use_cache)
    fm = request.failure_mode
    replay = _unavailable("happy", "TLC printed no witness")
    if result.trace is not None:
        replay = _replay_guarded(fm, result.trace)
    return HappyEvidence(
        model=fm.spec.stem,
        goal=request.goal,
        failure_mode=fm,
        design=extended_module(fm.spec),
        config=request.variant.config,
        result=result,
        replay=replay,
        actions=_actions(fm),
    )


def _replay_guarded(fm: FailureMode, trace: Trace) -> ReplayEvidence:
    """Replay a witness with every guard on: the runtime should agree on every state."""
    try:
        result = replay(trace, load_mapping(fm), frozenset())
    except TraceCheckError as error:
        return _unavailable("happy", f"the replay failed: {error}")
    total = len(trace.states)
    ok = result.agreed == total and result.completed and not result.broken
    if ok:
        summary = f"the runtime, every guard on, agrees on all {total} states and every invariant holds"
    else:
        parted = _parted(result) or "the states differ"
        summary = f"the runtime, every guard on, agrees on {result.agreed} of {total} states: {parted}"
        if result.broken:
            summary += f"; {', '.join(result.broken)} breaks"
    return _facts("happy", "happy", result, ok, summary)


def _inputs(fm: FailureMode) -> tuple[Path, ...]:
    """The files a failure mode's results come from: manifest, model, design and configs."""
    files = {fm.manifest, fm.spec, extended_module(fm.spec), *(variant.config for variant in fm.variants)}
    files |= {fixture.path for fixture in fixtures(fm) if fixture.path.is_file()}
    return tuple(sorted(files))


def _saved(root: Path, fm: FailureMode, variants: tuple[VariantEvidence, ...]) -> list[SavedTrace]:
    """Each saved counterexample, compared byte for byte with what TLC printed just now."""
    live = {v.variant.name: v.trace for v in variants}
    found = []
    for fixture in fixtures(fm):
        trace = live.get(fixture.variant.name)
        present = fixture.path.is_file()
        fresh = (
            present
            and trace is not None
            and fixture.path.read_text(encoding="utf-8") == itf_text(fixture, trace, root)
        )
        found.append(SavedTrace(fixture.variant.name, fixture.path, present, fresh))
    return found


def _replays(fm: FailureMode, variants: tuple[VariantEvidence, ...]) -> list[ReplayEvidence]:
    """Replay every counterexample on the runtime, guard off and guard on."""
    with_trace = [v for v in variants if v.trace is not None]
    if not with_trace:
        return []
    try:
        mapping = load_mapping(fm)
    except TraceCheckError as error:
        return [
            _unavailable(v.variant.name, f"its replay mapping does not load: {error}") for v in with_trace
        ]
    found: list[ReplayEvidence] = []
    for evidence in with_trace:
        trace = evidence.trace
        assert trace is not None
        name = evidence.variant.name
        guard = fm.python_guard
        try:
            off = replay(trace, mapping, frozenset({guard}) if guard else frozenset())
            verdict = judge_repro(trace, off, evidence.variant.violated or fm.invariant or "")
            found.append(_facts("bug", name, off, verdict.ok, verdict.reason))
            if guard:
                on = replay(trace, mapping, frozenset())
                found.append(_facts("guard", name, on, None, _guard_summary(on, guard)))
        except TraceCheckError as error:
            found.append(_unavailable(name, f"the replay failed: {error}"))
    return found


def _unavailable(variant: str, why: str) -> ReplayEvidence:
    return ReplayEvidence("bug", variant, False, why, None, None, None, None, None, ())


def _code(text: str) -> str:
    """``text`` as a Markdown code span, so runtime messages are shown, never read as markup."""
    return "`" + text.replace("`", "'") + "`"


def _parted(result: Replay) -> str | None:
    """Where the runtime left the trace: the refused or changed step and why, or None."""
    if result.refusal is not None:
        refusal = result.refusal
        return (
            f"step {refusal.step.position} {_code(refusal.step.call())} is refused by "
            f"{_code(refusal.guard)}: {_code(refusal.message)}"
        )
    if result.divergence is not None:
        divergence = result.divergence
        first = divergence.differences[0].describe() if divergence.differences else "the states differ"
        step = divergence.step
        return f"step {step.position} {_code(step.call())} goes differently: {_code(first)}"
    return None


def _parted_step(result: Replay) -> int | None:
    if result.refusal is not None:
        return result.refusal.step.position
    if result.divergence is not None:
        return result.divergence.step.position
    return None


def _facts(direction: str, variant: str, result: Replay, ok: bool | None, summary: str) -> ReplayEvidence:
    return ReplayEvidence(
        direction=direction,
        variant=variant,
        available=True,
        summary=summary,
        ok=ok,
        agreed=result.agreed,
        steps=len(result.steps),
        parted_at=_parted(result),
        parted_step=_parted_step(result),
        broken=result.broken,
    )


def _guard_summary(result: Replay, guard: str) -> str:
    parted = _parted(result)
    states = f"{result.agreed} state{'' if result.agreed == 1 else 's'}"
    if parted is None:
        return f"the runtime followed the bug trace to the end (agrees on {states}): {guard} refused nothing"
    holds = f"yet {', '.join(result.broken)} breaks" if result.broken else "every invariant holds"
    return f"agrees on {states}, then {parted}; {holds}"


def read_catalogue(root: Path, runtime: Mapping[str, str] | None = None) -> tuple[CatalogueEntry, ...]:
    """``specs/invariants.toml``, each entry with its TLA+ definition and its Python predicate.

    ``runtime`` is the runtime's invariants by name with what each says (``runtime_invariants``);
    by default those the mappings of the lab at ``root`` know.
    """
    path = root / CATALOGUE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise WorkbookError(f"{CATALOGUE}: expected the invariant catalogue as TOML ({error})") from None
    modules = {spec.stem: spec for spec in (root / "specs").glob("*/*.tla")}
    python = runtime_invariants(load_registry(root)) if runtime is None else runtime
    entries = []
    for inv, table in data.items():
        if not isinstance(table, dict) or not {"name", "module", "kind", "says"} <= set(table):
            raise WorkbookError(f"{CATALOGUE}: [{inv}]: expected name, module, kind and says")
        module = modules.get(table["module"])
        if module is None:
            raise WorkbookError(f"{CATALOGUE}: [{inv}]: expected a module {table['module']}.tla under specs/")
        predicate = python.get(table["name"])
        entries.append(
            CatalogueEntry(
                inv=inv,
                name=table["name"],
                kind=table["kind"],
                says=table["says"],
                tla=definition(module, table["name"]),
                python=f"python_impl.invariants.{table['name']}" if predicate is not None else None,
                python_doc=predicate,
            )
        )
    return tuple(entries)


def runtime_invariants(registry: Registry) -> dict[str, str]:
    """The runtime's invariants by name, with the line each predicate says of itself, as the mappings
    of the registry's failure modes know them (the workbook never imports the runtime)."""
    found: dict[str, str] = {}
    for fm in registry.failure_modes:
        try:
            mapping = load_mapping(fm)
        except TraceCheckError:
            continue  # its page says the mapping does not load
        for name, doc in mapping.invariant_docs.items():
            found.setdefault(name, doc)
    return found
