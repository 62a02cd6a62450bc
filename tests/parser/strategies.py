"""Random TLA+ values, and TLC-style printing of them with TLC's optional whitespace and wrapping."""

from __future__ import annotations

import random
import string

from hypothesis import strategies as st

from failure_lab.trace_check.parse import Fcn, ModelValue, Record, Seq, Value, quote, to_tla

# Words TLA+ reserves: never names of record fields or model values.
RESERVED = frozenset(
    (
        "ASSUME",
        "ASSUMPTION",
        "AXIOM",
        "BOOLEAN",
        "CASE",
        "CHOOSE",
        "CONSTANT",
        "CONSTANTS",
        "DOMAIN",
        "ELSE",
        "ENABLED",
        "EXCEPT",
        "EXTENDS",
        "IF",
        "IN",
        "INSTANCE",
        "LET",
        "LOCAL",
        "MODULE",
        "OTHER",
        "SF_",
        "SUBSET",
        "THEN",
        "THEOREM",
        "UNCHANGED",
        "UNION",
        "VARIABLE",
        "VARIABLES",
        "WF_",
        "WITH",
        "TRUE",
        "FALSE",
        "STRING",
        "LAMBDA",
    )
)
MODEL_VALUES = ("m1", "m2", "mv_x")
TLC_INT = st.integers(min_value=-(2**31 - 1), max_value=2**31 - 1)

names = st.from_regex(r"[a-z][A-Za-z0-9_]{0,6}", fullmatch=True).filter(lambda name: name not in RESERVED)
strings = st.text(alphabet=string.ascii_letters + string.digits + " _-.,:;!?'\"\\\n\t", max_size=12)
model_values = st.sampled_from(MODEL_VALUES).map(ModelValue)


def scalars(ints: st.SearchStrategy[int]) -> st.SearchStrategy[Value]:
    """Integers, booleans, strings and model values."""
    return st.one_of(ints, st.booleans(), strings, model_values)


def _homogeneous(kind: st.SearchStrategy[Value]) -> st.SearchStrategy[frozenset[Value]]:
    return st.frozensets(kind, max_size=4)


ANY_INT = st.integers()


def values(ints: st.SearchStrategy[int] = ANY_INT) -> st.SearchStrategy[Value]:
    """Nested values whose sets and function domains hold one kind each (TLC compares nothing else)."""
    leaf_kinds: list[st.SearchStrategy[Value]] = [ints, st.booleans(), strings, model_values]

    def extend(children: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
        return st.one_of(
            st.one_of(*[_homogeneous(kind) for kind in leaf_kinds]),
            _homogeneous(st.lists(ints, max_size=2).map(lambda items: Seq(tuple(items)))),
            st.lists(children, max_size=4).map(lambda items: Seq(tuple(items))),
            st.dictionaries(names, children, max_size=4).map(lambda fields: Record(tuple(fields.items()))),
            st.one_of(
                *[st.dictionaries(kind, children, min_size=1, max_size=3) for kind in leaf_kinds[1:]]
            ).map(lambda pairs: Fcn(tuple(pairs.items()))),
        )

    return st.recursive(scalars(ints), extend, max_leaves=12)


def tlc_style(value: Value, rnd: random.Random) -> str:
    """``value`` printed as TLC might: ``<< >>`` for empty, padded brackets, lines wrapped at commas."""

    def sep() -> str:
        return rnd.choice([", ", ",\n   ", ",\n  ", ","])

    def pad() -> str:
        return rnd.choice(["", " ", "\n  "])

    def show(item: Value) -> str:
        if isinstance(item, bool | int | ModelValue):
            return to_tla(item)
        if isinstance(item, str):
            return quote(item)
        if isinstance(item, frozenset):
            parts = [show(element) for element in sorted(item, key=to_tla)]
            return "{" + pad() + sep().join(parts) + pad() + "}" if parts else "{}"
        if isinstance(item, Seq):
            parts = [show(element) for element in item.items]
            if not parts:
                return rnd.choice(["<<>>", "<< >>"])
            return "<<" + pad() + sep().join(parts) + pad() + ">>"
        if isinstance(item, Record):
            if not item.fields:
                return "<< >>"
            return "[" + sep().join(f"{name} |-> {show(field)}" for name, field in item.fields) + "]"
        if isinstance(item, Fcn):
            if not item.pairs:
                return "<< >>"
            joints = [rnd.choice([" @@ ", " @@\n  "]) for _ in item.pairs]
            text = "".join(
                f"{joints[i] if i else ''}{show(k)} :> {show(v)}" for i, (k, v) in enumerate(item.pairs)
            )
            return "(" + text + ")"
        raise TypeError(item)

    return show(value)


def _kind(value: Value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Seq | Record | Fcn):
        return "function"
    return type(value).__name__


def strictly_equal(left: Value, right: Value) -> bool:
    """TLA+ equality that also tells booleans from integers (Python's ``True == 1`` does not)."""
    if _kind(left) != _kind(right) or left != right:
        return False
    if isinstance(left, frozenset) and isinstance(right, frozenset):
        by_text = {to_tla(item): item for item in right}
        return all(to_tla(item) in by_text and strictly_equal(item, by_text[to_tla(item)]) for item in left)
    if isinstance(left, Seq | Record | Fcn) and isinstance(right, Seq | Record | Fcn):
        right_graph = right.graph()
        return all(strictly_equal(item, right_graph[key]) for key, item in left.graph().items())
    return True


def identical(left: Value, right: Value) -> bool:
    """Same shapes all the way down (a ``Seq`` stays a ``Seq``), same order of fields and pairs."""
    if type(left) is not type(right):
        return False
    if isinstance(left, frozenset) and isinstance(right, frozenset):
        by_text = {to_tla(item): item for item in right}
        return len(left) == len(right) and all(
            to_tla(item) in by_text and identical(item, by_text[to_tla(item)]) for item in left
        )
    if isinstance(left, Seq) and isinstance(right, Seq):
        return len(left.items) == len(right.items) and all(map(identical, left.items, right.items))
    if isinstance(left, Record) and isinstance(right, Record):
        return [name for name, _ in left.fields] == [name for name, _ in right.fields] and all(
            identical(a, b) for (_, a), (_, b) in zip(left.fields, right.fields, strict=True)
        )
    if isinstance(left, Fcn) and isinstance(right, Fcn):
        return len(left.pairs) == len(right.pairs) and all(
            identical(k1, k2) and identical(v1, v2)
            for (k1, v1), (k2, v2) in zip(left.pairs, right.pairs, strict=True)
        )
    return left == right
