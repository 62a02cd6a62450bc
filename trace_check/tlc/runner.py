"""Run TLC on a spec and config and return a ``TlcResult``, from the cache when nothing changed."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse import Progress, TlcOutput, parse_progress, parse_tlc_output
from failure_lab.trace_check.tlc import cds
from failure_lab.trace_check.tlc.cache import CacheEntry, ResultCache, cache_key
from failure_lab.trace_check.tlc.errors import TlcError
from failure_lab.trace_check.tlc.jar import TlcJar, find_jar
from failure_lab.trace_check.tlc.java import Java, find_java
from failure_lab.trace_check.tlc.modules import module_closure
from failure_lab.trace_check.tlc.process import Clock, Finished, run_process
from failure_lab.trace_check.tlc.result import TlcResult
from failure_lab.trace_check.tlc.workspace import Workspace

# The collector the TLC docs recommend for model checking; part of every run and of the cache key.
JVM_OPTIONS = ("-XX:+UseParallelGC",)

# TLC picks a random fingerprint function and seed per run, and checks liveness every so many
# seconds of exploration, so a busy machine checks at another point; each changes the lasso it
# reports. Fixed ones, and liveness checked once at the end, make every run (and every saved
# trace) reproducible.
REPRODUCIBLE = {"-fp": "1", "-seed": "1", "-lncheck": "final"}


@dataclass(frozen=True, slots=True)
class TlcRequest:
    """What to check and how: the spec, its config (default: the .cfg beside it) and TLC's knobs."""

    spec: Path
    config: Path | None = None
    workers: int | None = 1
    timeout: float | None = None
    tlc_args: tuple[str, ...] = ()
    java_options: tuple[str, ...] = ()
    use_cache: bool = True
    use_cds: bool = True
    # Also write the reachable state graph (``-dump dot,actionlabels``) beside the saved output.
    dump_graph: bool = False


def run_tlc(
    request: TlcRequest,
    workspace: Workspace,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    clock: Clock = time.monotonic,
) -> TlcResult:
    """Check ``request.spec`` with TLC (or return the cached result of an identical run)."""
    spec = request.spec.resolve()
    config = (request.config or spec.with_suffix(".cfg")).resolve()
    for path, what in ((spec, "spec"), (config, "config")):
        if not path.is_file():
            raise TlcError(f"{path}: no such {what} file")
    java, jar = find_java(), find_jar()
    # TLC 2.15 has no "-workers auto"; None means one worker per core, counted here.
    workers = str(request.workers or os.cpu_count() or 1)
    fixed = tuple(
        part for flag, value in REPRODUCIBLE.items() if flag not in request.tlc_args for part in (flag, value)
    )
    jvm_flags = (*JVM_OPTIONS, *request.java_options)
    tlc_flags = ("-workers", workers, *fixed, *request.tlc_args)
    # The dump's file is named after the cache key, so the key holds the request for it but not its path.
    dump = ("-dump", "dot,actionlabels") if request.dump_graph else ()
    key = cache_key(
        modules=module_closure(spec),
        config=config,
        jar_sha256=jar.sha256,
        flags=(*jvm_flags, *tlc_flags, *dump),
    )
    cache = ResultCache(workspace.cache)
    graph = (workspace.runs / f"{spec.stem}-{config.stem}-{key[:12]}.dot") if dump else None
    if request.use_cache and (graph is None or graph.is_file()) and (entry := cache.get(key)) is not None:
        text = entry.output.read_text(encoding="utf-8")
        cached = _result(spec, config, jar, entry.output, text, entry.exit_code, entry.seconds, cached=True)
        return replace(cached, graph=graph)
    # This run overwrites the saved output an old entry points to; until it finishes there is no entry.
    cache.discard(key)
    output = workspace.runs / f"{spec.stem}-{config.stem}-{key[:12]}.out"
    if graph is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        tlc_flags = (*tlc_flags, *dump, str(graph))
    finished = _launch(request, spec, config, java, jar, jvm_flags, tlc_flags, workspace, on_progress, clock)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(finished.stdout, encoding="utf-8")
    if finished.timed_out:
        return _unfinished(spec, config, jar, output, finished, Outcome.TIMEOUT)
    result = _result(
        spec, config, jar, output, finished.stdout, finished.exit_code, finished.seconds, cached=False
    )
    if result.outcome is Outcome.CRASHED:
        # The JVM reports its own failures (bad options, no memory at start-up) outside TLC's messages.
        message = result.message or _last_line(finished.stderr) or _last_line(finished.stdout)
        return replace(result, message=message)
    if finished.exit_code is not None:
        cache.put(CacheEntry(key=key, output=output, seconds=finished.seconds, exit_code=finished.exit_code))
    return replace(result, graph=graph) if graph is not None else result


def _launch(
    request: TlcRequest,
    spec: Path,
    config: Path,
    java: Java,
    jar: TlcJar,
    jvm_flags: tuple[str, ...],
    tlc_flags: tuple[str, ...],
    workspace: Workspace,
    on_progress: Callable[[Progress], None] | None,
    clock: Clock,
) -> Finished:
    metadir = workspace.new_metadir()
    archive = cds.plan(workspace.cds, java, jar) if request.use_cds else None
    argv = [
        str(java.path),
        *jvm_flags,
        *(archive.options if archive else ()),
        # TLC extracts the standard modules into java's tmp dir; one per run keeps parallel runs apart.
        f"-Djava.io.tmpdir={metadir}",
        "-cp",
        str(jar.path),
        "tlc2.TLC",
        "-tool",
        "-metadir",
        str(metadir / "states"),
        *tlc_flags,
        "-config",
        str(config),
        spec.name,
    ]

    def on_line(line: str) -> None:
        if on_progress is not None and (progress := parse_progress(line)) is not None:
            on_progress(progress)

    completed = False
    try:
        finished = run_process(argv, cwd=spec.parent, timeout=request.timeout, on_line=on_line, clock=clock)
        completed = not finished.timed_out and finished.exit_code is not None
        return finished
    finally:
        if archive is not None:
            cds.settle(archive, completed=completed)
        shutil.rmtree(metadir, ignore_errors=True)


def _result(
    spec: Path,
    config: Path,
    jar: TlcJar,
    output: Path,
    text: str,
    exit_code: int | None,
    seconds: float,
    *,
    cached: bool,
) -> TlcResult:
    parsed = _parse(text, output)
    outcome = parsed.outcome if parsed.outcome is not None else Outcome.CRASHED
    if parsed.outcome is None and exit_code == 0 and _simulation_finished(text):
        # A simulation that breaks nothing ends without the "no error found" verdict of a search.
        outcome = Outcome.OK
    violated = parsed.violated
    if outcome is Outcome.PROPERTY_VIOLATED and violated is None:
        # TLC 2.15 does not name a violated temporal property; with only one checked, it is that one.
        properties = _config_properties(config)
        violated = properties[0] if len(properties) == 1 else None
    message = parsed.message
    # A verdict of "ok" from a JVM that then died (say, out of memory while finishing) is no verdict.
    if outcome is Outcome.OK and exit_code != 0:
        outcome = Outcome.CRASHED
    # TLC reports running out of heap as a failure to evaluate or fingerprint a state, but the spec
    # is not at fault: it is a crash of this run (never cached), not a property of the model.
    if outcome is Outcome.EVALUATION_ERROR and (signature := _out_of_memory(message)) is not None:
        outcome, message = Outcome.CRASHED, f"out of memory ({signature})"
    return TlcResult(
        spec=spec,
        config=config,
        outcome=outcome,
        violated=violated,
        message=message,
        error_location=parsed.error_location,
        states_generated=parsed.states_generated,
        distinct_states=parsed.distinct_states,
        depth=parsed.depth,
        seconds=seconds,
        version=parsed.version,
        jar=jar.path,
        warnings=parsed.warnings,
        traces=parsed.traces,
        output=output,
        cached=cached,
        exit_code=exit_code,
    )


def _unfinished(
    spec: Path, config: Path, jar: TlcJar, output: Path, finished: Finished, outcome: Outcome
) -> TlcResult:
    # A killed run's output stops mid-message; take what figures it has, but never fail on it.
    try:
        parsed: TlcOutput | None = parse_tlc_output(finished.stdout, source=os.fspath(output))
    except TraceCheckError:
        parsed = None
    return TlcResult(
        spec=spec,
        config=config,
        outcome=outcome,
        violated=None,
        message=None,
        error_location=None,
        states_generated=parsed.states_generated if parsed else None,
        distinct_states=parsed.distinct_states if parsed else None,
        depth=parsed.depth if parsed else None,
        seconds=finished.seconds,
        version=parsed.version if parsed else None,
        jar=jar.path,
        warnings=parsed.warnings if parsed else (),
        traces=(),
        output=output,
        cached=False,
        exit_code=None,
    )


def _simulation_finished(text: str) -> bool:
    """Whether ``text`` is a simulation (its progress is message 2209) that TLC finished (2186)."""
    return "@!@!@STARTMSG 2209:" in text and "@!@!@STARTMSG 2186:" in text


def _parse(text: str, output: Path) -> TlcOutput:
    return parse_tlc_output(text, source=os.fspath(output))


_OUT_OF_MEMORY = ("Java heap space", "GC overhead limit exceeded", "OutOfMemoryError", "ran out of memory")


def _out_of_memory(message: str | None) -> str | None:
    return next((signature for signature in _OUT_OF_MEMORY if message and signature in message), None)


def _last_line(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


_CFG_KEYWORDS = re.compile(
    r"\b(CONSTANTS?|INIT|NEXT|SPECIFICATION|INVARIANTS?|PROPERTY|PROPERTIES|SYMMETRY|VIEW|CONSTRAINTS?"
    r"|ACTION_CONSTRAINTS?|ALIAS|POSTCONDITION|CHECK_DEADLOCK)\b"
)


def _config_properties(config: Path) -> list[str]:
    """The temporal properties a TLC config checks, in order."""
    try:
        text = re.sub(r"\\\*.*$", "", config.read_text(encoding="utf-8"), flags=re.MULTILINE)
    except OSError:
        return []
    names: list[str] = []
    parts = _CFG_KEYWORDS.split(text)
    for keyword, body in zip(parts[1::2], parts[2::2], strict=True):
        if keyword in {"PROPERTY", "PROPERTIES"}:
            names += body.split()
    return names
