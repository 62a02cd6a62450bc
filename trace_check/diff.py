"""Nested differences between two TLA+ values: where they part, not two dumps."""

from __future__ import annotations

from dataclasses import dataclass

from failure_lab.trace_check.parse import Fcn, Record, Seq, Value, to_tla

_FUNCTIONS = (Seq, Record, Fcn)


@dataclass(frozen=True, slots=True)
class Difference:
    """One place where the expected value and the actual value differ."""

    path: str
    expected: Value | None  # None: the key exists only on the actual side
    actual: Value | None  # None: the key exists only on the expected side

    def describe(self) -> str:
        """``path: expected X, actual Y`` in TLA+ notation."""
        expected = "(absent)" if self.expected is None else to_tla(self.expected)
        actual = "(absent)" if self.actual is None else to_tla(self.actual)
        return f"{self.path}: expected {expected}, actual {actual}"


def _key(value: Value) -> str:
    return value if isinstance(value, str) else to_tla(value)


def diff_values(expected: Value, actual: Value, path: str) -> tuple[Difference, ...]:
    """Every innermost difference between ``expected`` and ``actual``, with its path."""
    if expected == actual:
        return ()
    if isinstance(expected, _FUNCTIONS) and isinstance(actual, _FUNCTIONS):
        left, right = expected.graph(), actual.graph()
        found: list[Difference] = []
        for key in sorted(set(left) | set(right), key=_key):
            sub = f"{path}[{_key(key)}]"
            if key not in right:
                found.append(Difference(sub, left[key], None))
            elif key not in left:
                found.append(Difference(sub, None, right[key]))
            else:
                found.extend(diff_values(left[key], right[key], sub))
        return tuple(found)
    return (Difference(path, expected, actual),)


def diff_states(expected: dict[str, Value], actual: dict[str, Value]) -> tuple[Difference, ...]:
    """The differences between two states, variable by variable."""
    found: list[Difference] = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            found.append(Difference(name, expected[name], None))
        elif name not in expected:
            found.append(Difference(name, None, actual[name]))
        else:
            found.extend(diff_values(expected[name], actual[name], name))
    return tuple(found)
