"""The failure modes, read from ``failure_modes/<id>/failure_mode.toml`` (never from a list in code)."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.outcome import Outcome

MANIFEST = "failure_mode.toml"
LAB = "failure_modes"  # the lab's folder under its root: one folder per bundle, and its mappings
MAPPINGS = "mappings"  # the folder under LAB holding the mapping modules manifests name
_ID = re.compile(r"[a-z][a-z0-9_]*")
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VARIANT_KEYS = frozenset({"config", "expect", "violated", "tlc_args"})
# "pending": scaffolded by `failure-lab new`, its expectations not yet met; shown as such, never as green.
STATUSES = ("ready", "pending")


class RegistryError(TraceCheckError):
    """A manifest that cannot be read, or a failure mode or variant that does not exist."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One configuration of a failure mode and the outcome TLC must reach on it."""

    name: str
    config: Path
    expect: Outcome
    violated: str | None
    tlc_args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MappingRef:
    """The mapping a manifest names (``mapping = "a09"``), resolved to its module's file under the root."""

    name: str
    file: Path  # <root>/failure_modes/mappings/<name>.py
    where: str  # the manifest's line naming it, for errors: failure_modes/<id>/failure_mode.toml:11


@dataclass(frozen=True, slots=True)
class FailureMode:
    """A failure mode bundle: the spec, its guard, and its variants (``bug`` first)."""

    id: str
    title: str
    summary: str | None
    inv: str | None
    invariant: str | None
    guard: str | None
    python_guard: str | None
    guarded_action: str | None  # the spec action at which the guard refuses or changes the step
    spec: Path
    variants: tuple[Variant, ...]
    manifest: Path
    status: str = "ready"
    mapping: MappingRef | None = None  # where spec meets runtime; None: the manifest names none

    @property
    def pending(self) -> bool:
        """Whether the bundle is still a scaffold whose expectations are not yet met."""
        return self.status == "pending"

    def variant(self, name: str) -> Variant:
        """The variant called ``name``; an unknown name is an error that lists the known ones."""
        for variant in self.variants:
            if variant.name == name:
                return variant
        known = [variant.name for variant in self.variants]
        raise RegistryError(f"{self.id} has no variant {name!r}{_suggest(name, known)}")


@dataclass(frozen=True, slots=True)
class Registry:
    """Every failure mode found under a repository root, in id order; pending scaffolds apart.

    ``failure_modes`` are the ready ones, the ones every check, replay and page is owed; a
    ``pending`` one (``status = "pending"``, fresh from ``failure-lab new``) is listed and checked
    on request, shown as pending, and left out of everything that would count it.
    """

    root: Path
    failure_modes: tuple[FailureMode, ...]
    pending: tuple[FailureMode, ...] = ()

    @property
    def every(self) -> tuple[FailureMode, ...]:
        """Ready and pending failure modes together, in id order."""
        return tuple(sorted((*self.failure_modes, *self.pending), key=lambda fm: fm.id))

    def get(self, fm_id: str) -> FailureMode:
        """The failure mode ``fm_id``; an unknown id lists the known ones and suggests the closest."""
        for failure_mode in self.every:
            if failure_mode.id == fm_id:
                return failure_mode
        known = [failure_mode.id for failure_mode in self.every]
        raise RegistryError(f"unknown failure mode {fm_id!r}{_suggest(fm_id, known)}")


def load_registry(root: Path) -> Registry:
    """Read every manifest under ``root/failure_modes``."""
    folder = root / LAB
    manifests = sorted(folder.glob(f"*/{MANIFEST}")) if folder.is_dir() else []
    loaded = [_load(root, manifest) for manifest in manifests]
    return Registry(
        root=root,
        failure_modes=tuple(fm for fm in loaded if not fm.pending),
        pending=tuple(fm for fm in loaded if fm.pending),
    )


def _suggest(name: str, known: list[str]) -> str:
    if not known:
        return " (none are defined)"
    # A prefix is what people type most ("a09_stale"); failing that, the closest spelling.
    close = [candidate for candidate in known if candidate.startswith(name)]
    close = close or difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f"; did you mean {min(close, key=len)!r}?" if close else ""
    return f" (known: {', '.join(known)}){hint}"


class _Manifest:
    """Typed reads from one manifest, each error naming the file, the line and what was expected."""

    def __init__(self, root: Path, path: Path) -> None:
        self.root = root
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as error:
            raise RegistryError(f"{self.where()}: not valid TOML: {error}") from None

    def fail(self, key: str, expected: str) -> RegistryError:
        return RegistryError(f"{self.where(key)}: {key.split('.')[-1]}: expected {expected}")

    def where(self, key: str | None = None) -> str:
        location = self.path.relative_to(self.root) if self.path.is_relative_to(self.root) else self.path
        if key is None:
            return str(location)
        name = key.split(".")[-1]
        for number, line in enumerate(self.text.splitlines(), start=1):
            if re.match(rf"\s*{re.escape(name)}\s*=", line):
                return f"{location}:{number}"
        return str(location)

    def string(self, table: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(path, "a non-empty string")
        return value

    def strings(self, table: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(path, "a list of strings")
        return tuple(value)

    def file(self, table: dict[str, Any], key: str, path: str) -> Path:
        relative = self.string(table, key, path)
        assert relative is not None
        resolved = self.root / relative
        if not resolved.is_file():
            raise self.fail(path, f"a file relative to the repository root, but {relative} does not exist")
        return resolved


def _load(root: Path, path: Path) -> FailureMode:
    manifest = _Manifest(root, path)
    data = manifest.data
    folder = path.parent.name
    fm_id = manifest.string(data, "id", "id")
    if fm_id != folder or not _ID.fullmatch(folder):
        raise manifest.fail("id", f"the folder name {folder!r} (lower case letters, digits, _)")
    variants_table = data.get("variants")
    if not isinstance(variants_table, dict) or not variants_table:
        raise manifest.fail("variants", "at least one [variants.NAME] table")
    variants = tuple(_variant(manifest, name, table) for name, table in _bug_first(variants_table).items())
    title = manifest.string(data, "title", "title")
    assert title is not None
    status = manifest.string(data, "status", "status", required=False) or "ready"
    if status not in STATUSES:
        raise manifest.fail("status", f"one of {', '.join(STATUSES)}")
    return FailureMode(
        id=fm_id,
        title=title,
        summary=manifest.string(data, "summary", "summary", required=False),
        inv=manifest.string(data, "inv", "inv", required=False),
        invariant=manifest.string(data, "invariant", "invariant", required=False),
        guard=manifest.string(data, "guard", "guard", required=False),
        python_guard=manifest.string(data, "python_guard", "python_guard", required=False),
        guarded_action=manifest.string(data, "guarded_action", "guarded_action", required=False),
        spec=manifest.file(data, "spec", "spec"),
        variants=variants,
        manifest=path,
        status=status,
        mapping=_mapping(manifest),
    )


def _mapping(manifest: _Manifest) -> MappingRef | None:
    if "actions" in manifest.data:
        # The list lived in four places and drifted; the mapping declares each action once now.
        raise RegistryError(
            f"{manifest.where('actions')}: actions: not a manifest key; the mapping declares each action"
            " with its parameters (remove the line)"
        )
    name = manifest.string(manifest.data, "mapping", "mapping", required=False)
    if name is None:
        return None
    relative = f"{LAB}/{MAPPINGS}/{name}.py"
    if not _MODULE.fullmatch(name):
        raise manifest.fail("mapping", f"a module name (letters, digits and _) of {LAB}/{MAPPINGS}/")
    file = manifest.root / relative
    if not file.is_file():
        raise manifest.fail(
            "mapping", f"the name of a module of {LAB}/{MAPPINGS}/, but {relative} does not exist"
        )
    return MappingRef(name, file, manifest.where("mapping"))


def _bug_first(table: dict[str, Any]) -> dict[str, Any]:
    # The bug variant leads everywhere it is shown: its counterexample is the point.
    return dict(sorted(table.items(), key=lambda item: item[0] != "bug"))


def _variant(manifest: _Manifest, name: str, table: Any) -> Variant:
    prefix = f"variants.{name}"
    if not isinstance(table, dict):
        raise manifest.fail(prefix, "a table")
    unknown = sorted(set(table) - _VARIANT_KEYS)
    if unknown:
        raise manifest.fail(f"{prefix}.{unknown[0]}", f"one of {', '.join(sorted(_VARIANT_KEYS))}")
    expect = manifest.string(table, "expect", f"{prefix}.expect")
    if expect not in {outcome.value for outcome in Outcome}:
        raise manifest.fail(f"{prefix}.expect", f"an outcome ({', '.join(Outcome)})")
    return Variant(
        name=name,
        config=manifest.file(table, "config", f"{prefix}.config"),
        expect=Outcome(expect),
        violated=manifest.string(table, "violated", f"{prefix}.violated", required=False),
        tlc_args=manifest.strings(table, "tlc_args", f"{prefix}.tlc_args"),
    )
