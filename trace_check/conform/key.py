"""What a variant's conformance depends on, as one key: TLC's graph and the Python that drives it.

The figures are a function of the graph (the spec and every module it pulls in, the config, the
jar, the dump's flags), of the guards switched off, and of the code that drives the graph into the
runtime: the runtime itself (``python_impl``), the mapping module the manifest names and the
mappings beside it, this package, the whole parser package (which reads the graph; grammars
included), and the modules it compares states and drives the runtime with. A change to any of them
changes the key. The sources are the ones Python imports (an editable install: the checkout's), since
those are what a run executes.

A key is computed once per variant (``conformance_key``) and carries what it was computed from: the
TLC request that dumps the graph, the guards, and every file it read, stamped, so that an edit made
while the variant was measured is told without computing the key again (``ConformanceKey.unchanged``).
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.conform.errors import ConformError
from failure_lab.trace_check.conform.graph import graph_request
from failure_lab.trace_check.conform.run import guards_off
from failure_lab.trace_check.registry import FailureMode, Variant
from failure_lab.trace_check.tlc import TlcRequest
from failure_lab.trace_check.tlc.cache import cache_key
from failure_lab.trace_check.tlc.jar import find_jar
from failure_lab.trace_check.tlc.modules import module_closure

# Bump when the key's ingredients or the kept record's format change, so old entries stop matching.
SCHEMA = "1"
# Packages whose every Python file (and grammar) a run may execute, besides the lab's mappings: the
# runtime, this package, and the parser that reads TLC's graph.
PACKAGES = (
    "failure_lab.python_impl",
    "failure_lab.trace_check.conform",
    "failure_lab.trace_check.parse",
)
# The modules outside those packages that compare runtime and model states and drive the runtime.
MODULES = (
    "failure_lab.trace_check.diff",
    "failure_lab.trace_check.replay.mapping",
    "failure_lab.trace_check.lab",
)
SUFFIXES = (".py", ".lark")


@dataclass(frozen=True, slots=True)
class Source:
    """One file the key covers, named as Python imports it (``python_impl/queue.py``)."""

    name: str
    path: Path


@dataclass(frozen=True, slots=True)
class Stamp:
    """A file as the key read it: enough to tell it was written since without reading it again (as make
    and git tell it: a write changes the size or the time, a replace the inode too)."""

    path: Path
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Stamp:
        """``path`` as it is now."""
        stat = path.stat()
        return cls(path, stat.st_size, stat.st_mtime_ns, stat.st_ino)


@dataclass(frozen=True, slots=True)
class ConformanceKey:
    """A variant's key (``value``) and what it was computed from, passed down to the run it names."""

    value: str
    request: TlcRequest  # the TLC run that dumps the graph
    guards_off: frozenset[str]
    files: tuple[Stamp, ...]  # every file the key read: the graph's inputs and the sources

    def unchanged(self) -> bool:
        """Whether every file the key read is as it was then (a run measured meanwhile is of today's)."""
        try:
            return all(Stamp.of(stamp.path) == stamp for stamp in self.files)
        except OSError:  # a file went missing
            return False


def _origin(module: str) -> Path:
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        spec = None
    if spec is None or spec.origin is None:
        raise ConformError(f"{module}: expected an importable module, found none")
    return Path(spec.origin).resolve()


def _named(path: Path, top: str) -> Source:
    # Relative to the folder holding the top-level package, so two checkouts of one tree share keys.
    base = _origin(top).parent.parent
    return Source(path.relative_to(base).as_posix(), path)


def sources(fm: FailureMode) -> tuple[Source, ...]:
    """The Python (and grammar) files a conformance run of ``fm`` executes, in name order."""
    if fm.mapping is None:
        raise ConformError(f"{fm.id}: its manifest names no mapping to drive the runtime with")
    found: dict[str, Source] = {}
    for package in PACKAGES:
        folder = _origin(package).parent
        for path in folder.rglob("*"):
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                source = _named(path, package.split(".")[0])
                found[source.name] = source
    # The mapping module and the mappings beside it, named from the lab's root (failure_modes/...).
    lab_root = fm.mapping.file.resolve().parents[2]
    for path in fm.mapping.file.resolve().parent.rglob("*.py"):
        if "__pycache__" not in path.parts:
            found[path.relative_to(lab_root).as_posix()] = Source(path.relative_to(lab_root).as_posix(), path)
    for module in MODULES:
        source = _named(_origin(module), module.split(".")[0])
        found[source.name] = source
    return tuple(found[name] for name in sorted(found))


def conformance_key(fm: FailureMode, variant: Variant) -> ConformanceKey:
    """Everything ``variant``'s conformance depends on, hashed; equal keys, equal figures."""
    request = graph_request(fm.spec.resolve(), variant)
    modules = module_closure(request.spec)
    jar = find_jar()
    code = sources(fm)
    # Stamped before they are read: an edit from here on shows as a change, never as today's key.
    read = [path for _, path in modules if path is not None] + [variant.config, jar.path]
    try:
        files = tuple(Stamp.of(path) for path in dict.fromkeys([*read, *(s.path for s in code)]))
    except OSError as error:
        raise ConformError(f"cannot read a conformance source ({error})") from None
    graph = cache_key(
        modules=modules,
        config=variant.config,
        jar_sha256=jar.sha256,
        flags=("-dump", "dot,actionlabels", *request.tlc_args),
    )
    off = guards_off(fm, variant)
    digest = hashlib.sha256()

    def feed(label: str, data: bytes) -> None:
        # Length-prefixed, so no two different inputs can run together into the same bytes.
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    feed("schema", SCHEMA.encode())
    feed("graph", graph.encode())
    for guard in sorted(off):
        feed("guard off", guard.encode())
    for source in code:
        feed("source", source.name.encode())
        try:
            feed("text", source.path.read_bytes())
        except OSError as error:
            raise ConformError(f"{source.path}: cannot read a conformance source ({error})") from None
    return ConformanceKey(digest.hexdigest(), request, off, files)
