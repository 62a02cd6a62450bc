"""Where a spec meets a runtime: one ``SpecMapping`` per spec, chosen per failure mode."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.lab import LabImportError, lab_module
from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse import Value
from failure_lab.trace_check.registry import LAB, FailureMode, Registry, Variant

Args = Mapping[str, Value]
System = Any  # the runtime under test; only its mapping knows its type


class MappingError(TraceCheckError):
    """A failure mode has no usable mapping, or the mapping does not fit its trace."""


@dataclass(frozen=True, slots=True)
class Action:
    """One spec action as the runtime takes it: its name and parameters as the spec declares them
    (``Claim(w, r)``: ``Action("Claim", ("w", "r"), claim)``), and the call that drives the runtime."""

    name: str
    params: tuple[str, ...]
    run: Callable[[System, Args], None]

    def __call__(self, system: System, args: Args) -> None:
        """Take the step: the runtime's refusal, or a ``MappingError`` when it cannot be taken, is raised."""
        self.run(system, args)


def action_table(*actions: Action) -> Mapping[str, Action]:
    """A mapping's actions by name, in the order given; a name given twice is an error."""
    table: dict[str, Action] = {}
    for action in actions:
        if action.name in table:
            raise MappingError(f"action {action.name} is declared twice")
        table[action.name] = action
    return MappingProxyType(table)


@dataclass(frozen=True, slots=True)
class SpecMapping:
    """How one spec's actions and variables meet the runtime.

    ``actions`` drive the runtime one spec step at a time (raising the runtime's typed
    refusal when a guard refuses); ``abstract`` reads the runtime's store back as the
    spec's variables; ``refusal`` names the guard behind an exception, or None when the
    exception is not a refusal at all.
    """

    spec_module: str
    variables: frozenset[str]
    actions: Mapping[str, Action]  # ``action_table(Action(...), ...)``: each once, with its parameters
    start: Callable[[frozenset[str]], System]
    abstract: Callable[[System], dict[str, Value]]
    invariants: Callable[[System], dict[str, tuple[str, ...]]]
    refusal: Callable[[BaseException], str | None]
    progress: Callable[[System], None] | None = None
    goals: Mapping[str, Callable[[System], bool]] = field(default_factory=dict)
    label: str = "lastAction"
    beyond: Callable[[Mapping[str, Value]], bool] | None = None
    """Whether an abstract state lies past a bound of the bounded model other than its time (the Jobs
    model's ``MaxEpoch``): conformance counts such steps apart, as beyond the model, not as mismatches."""
    invariant_docs: Mapping[str, str] = field(default_factory=dict)
    """The runtime's invariants by name (those ``invariants`` reports), each with the one line its
    predicate says of itself; the workbook shows them beside the spec's."""


def load_mapping(fm: FailureMode) -> SpecMapping:
    """The ``MAPPING`` of the module ``fm``'s manifest names (``mapping = "a09"``), imported from the lab."""
    ref = fm.mapping
    if ref is None:
        where = f"{LAB}/{fm.id}/{fm.manifest.name}"
        raise MappingError(f'{where}: names no mapping (mapping = "NAME" for {LAB}/mappings/NAME.py)')
    try:
        module = lab_module(ref.file.parents[1], f"{ref.file.parent.name}/{ref.file.name}")
    except LabImportError as error:
        raise MappingError(f"{ref.where}: mapping: {error}") from None
    mapping = getattr(module, "MAPPING", None)
    if not isinstance(mapping, SpecMapping):
        raise MappingError(
            f"{ref.where}: mapping: {LAB}/mappings/{ref.name}.py defines no MAPPING of type SpecMapping"
        )
    return mapping


def import_mapping(spec: str, option: str) -> SpecMapping:
    """The ``SpecMapping`` named ``MODULE[:NAME]`` (NAME defaults to ``MAPPING``), for ``option``'s errors."""
    module_name, _, attribute = spec.partition(":")
    try:
        mapping = getattr(importlib.import_module(module_name), attribute or "MAPPING")
    except (ImportError, AttributeError) as error:
        raise MappingError(f"{option} {spec}: {error}") from None
    if not isinstance(mapping, SpecMapping):
        raise MappingError(f"{option} {spec}: not a SpecMapping")
    return mapping


def guarded_variants(registry: Registry) -> Iterator[tuple[FailureMode, Variant, SpecMapping]]:
    """Each guarded (``ok``) config once with its mapping: failure modes that share a spec share one."""
    seen: set[tuple[object, object, int]] = set()
    for fm in registry.failure_modes:
        mapping = load_mapping(fm)
        for variant in fm.variants:
            key = (fm.spec, variant.config, id(mapping))
            if variant.expect is Outcome.OK and key not in seen:
                seen.add(key)
                yield fm, variant, mapping
