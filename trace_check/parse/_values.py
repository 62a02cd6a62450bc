"""TLA+ values as TLC prints them: immutable, hashable, with TLA+ equality where kinds meet.

Integers, booleans and strings are Python ``int``, ``bool`` and ``str``; sets are
``frozenset``; model values, sequences, records and functions have their own types.
A sequence is a function on ``1..n`` and a record a function on strings, so a
``Seq``, ``Record`` or ``Fcn`` with the same graph are equal and hash alike (``<<>>``
equals the empty function). Python's ``1 == True`` leaks into sets and function
domains; TLC itself refuses to compare integers with booleans, so TLC never prints
such a mix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias, Union

Value: TypeAlias = Union[int, bool, str, "ModelValue", frozenset["Value"], "Seq", "Record", "Fcn"]


@dataclass(frozen=True, slots=True)
class ModelValue:
    """A TLC model value: a constant equal only to itself, never to a string."""

    name: str

    def __repr__(self) -> str:
        return f"ModelValue({self.name!r})"


class _FunctionLike:
    """Shared equality of the three function shapes: equal when their graphs are equal."""

    __slots__ = ()

    def graph(self) -> Mapping[Value, Value]:
        """The function as a mapping from domain elements to values."""
        raise NotImplementedError

    def _graph_key(self) -> frozenset[tuple[Value, Value]]:
        return frozenset(self.graph().items())

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._same_shape_equal(other)
        if isinstance(other, _FunctionLike):
            return len(self) == len(other) and self._graph_key() == other._graph_key()
        return NotImplemented

    def _same_shape_equal(self, other: object) -> bool:
        assert isinstance(other, _FunctionLike)
        return self._graph_key() == other._graph_key()

    def __hash__(self) -> int:
        # Values nest deeply and sit in sets and caches: compute the hash once.
        cached: int | None = self._hash  # type: ignore[attr-defined]
        if cached is None:
            cached = hash(self._graph_key())
            object.__setattr__(self, "_hash", cached)
        return cached

    def __len__(self) -> int:
        return len(self.graph())


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Seq(_FunctionLike):
    """A sequence or tuple ``<<a, b>>``: the function ``1..n -> values``."""

    items: tuple[Value, ...]
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def graph(self) -> Mapping[Value, Value]:
        """The sequence as ``{1: a, 2: b, ...}``."""
        return {index: item for index, item in enumerate(self.items, start=1)}

    def _same_shape_equal(self, other: object) -> bool:
        assert isinstance(other, Seq)
        return self.items == other.items

    def _graph_key(self) -> frozenset[tuple[Value, Value]]:
        return frozenset(enumerate(self.items, start=1))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Value]:
        return iter(self.items)

    def __repr__(self) -> str:
        return f"Seq({self.items!r})"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Record(_FunctionLike):
    """A record ``[a |-> 1, b |-> 2]``; ``fields`` keeps TLC's field order, equality ignores it."""

    fields: tuple[tuple[str, Value], ...]
    _by_name: dict[str, Value] = field(init=False, repr=False, compare=False)
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", dict(self.fields))

    def graph(self) -> Mapping[Value, Value]:
        """The record as ``{field name: value}``."""
        return self._by_name  # type: ignore[return-value]

    def _same_shape_equal(self, other: object) -> bool:
        # Equal graphs are equal dicts: compared in place, without building a set of pairs per call.
        assert isinstance(other, Record)
        return self._by_name == other._by_name

    def __getitem__(self, name: str) -> Value:
        return self._by_name[name]

    def __repr__(self) -> str:
        return f"Record({self.fields!r})"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Fcn(_FunctionLike):
    """A function ``(k1 :> v1 @@ k2 :> v2)``; ``pairs`` keeps TLC's order, equality ignores it."""

    pairs: tuple[tuple[Value, Value], ...]
    _by_key: dict[Value, Value] = field(init=False, repr=False, compare=False)
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", dict(self.pairs))

    def graph(self) -> Mapping[Value, Value]:
        """The function as ``{argument: value}``."""
        return self._by_key

    def _same_shape_equal(self, other: object) -> bool:
        # Equal graphs are equal dicts: compared in place, without building a set of pairs per call.
        assert isinstance(other, Fcn)
        return self._by_key == other._by_key

    def __getitem__(self, key: Value) -> Value:
        return self._by_key[key]

    def __repr__(self) -> str:
        return f"Fcn({self.pairs!r})"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f"}


def quote(text: str) -> str:
    """``text`` as a TLA+ string literal, escaped the way TLC prints it."""
    return '"' + "".join(_ESCAPES.get(char, char) for char in text) + '"'


def _order(value: Value) -> tuple[int, object]:
    # Sets have no order; print them in a stable one (integers numerically) so output is reproducible.
    if isinstance(value, bool):
        return (0, value)
    if isinstance(value, int):
        return (1, value)
    return (2, to_tla(value))


def to_tla(value: Value) -> str:
    """``value`` as TLA+ text that TLC reads back as an equal value (functions need ``EXTENDS TLC``)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, ModelValue):
        return value.name
    if isinstance(value, frozenset):
        return "{" + ", ".join(to_tla(item) for item in sorted(value, key=_order)) + "}"
    if isinstance(value, Seq):
        return "<<" + ", ".join(to_tla(item) for item in value.items) + ">>"
    if isinstance(value, Record):
        if not value.fields:
            return "<<>>"
        return "[" + ", ".join(f"{name} |-> {to_tla(item)}" for name, item in value.fields) + "]"
    if isinstance(value, Fcn):
        if not value.pairs:
            return "<<>>"
        return "(" + " @@ ".join(f"{to_tla(key)} :> {to_tla(item)}" for key, item in value.pairs) + ")"
    raise TypeError(f"not a TLA+ value: {value!r}")

