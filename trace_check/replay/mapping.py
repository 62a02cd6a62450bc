"""Where a spec meets a runtime: one ``SpecMapping`` per spec, chosen per failure mode."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.parse import Value
from failure_lab.trace_check.registry import FailureMode, Registry, Variant

Args = Mapping[str, Value]
System = Any  # the runtime under test; only its mapping knows its type


class MappingError(TraceCheckError):
    """A failure mode has no usable mapping, or the mapping does not fit its trace."""


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
    actions: Mapping[str, Callable[[System, Args], None]]
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
    parameters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Each action's parameter names, as the spec declares them. Conformance otherwise learns them from
    the graph's step labels, which a VIEW-folded graph may never show for an action whose every target
    state was first reached by another one."""


def load_mapping(fm_id: str) -> SpecMapping:
    """The ``MAPPING`` of bundle ``failure_modes/<fm_id>/mapping.py``."""
    name = f"failure_modes.{fm_id}.mapping"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        raise MappingError(f"{fm_id}: no mapping module {name} ({error})") from None
    mapping = getattr(module, "MAPPING", None)
    if not isinstance(mapping, SpecMapping):
        raise MappingError(f"{fm_id}: {name} defines no MAPPING of type SpecMapping")
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
        mapping = load_mapping(fm.id)
        for variant in fm.variants:
            key = (fm.spec, variant.config, id(mapping))
            if variant.expect is Outcome.OK and key not in seen:
                seen.add(key)
                yield fm, variant, mapping
