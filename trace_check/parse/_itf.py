"""The Informal Trace Format (ITF) of Apalache and Quint: export and import, round trip exact.

Values: integers ``{"#bigint": "-3"}``, booleans and strings as JSON, sets
``{"#set": [...]}``, sequences and tuples ``{"#tup": [...]}``, functions
``{"#map": [[k, v], ...]}``, records as objects. ITF has no model values: they are
written as plain strings and their names listed in the trace's
``#meta.model_values``, so import turns those strings back into model values.
A lasso's ``loop`` is the 0-based state it returns to; a trace ending in
stuttering loops on its last state (and says ``"stuttering": true`` in ``#meta``).
The TLC-specific parts (action, location, violation) live in ``#meta``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.parse._error import TlcParseError, describe
from failure_lab.trace_check.parse._trace import State, Trace, Violation
from failure_lab.trace_check.parse._values import Fcn, ModelValue, Record, Seq, Value

__all__ = ["ItfExportError", "dumps_itf", "from_itf", "loads_itf", "to_itf"]

# Python converts at most 4300 digits to an int by default.
_BIGINT = re.compile(r"-?[0-9]{1,4300}")
FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html"


class ItfExportError(TraceCheckError):
    """A trace ITF cannot carry exactly (a string that reads like one of its model values)."""


# -- export --------------------------------------------------------------------------------------------


def _collect_model_values(value: Value, names: set[str], strings: set[str]) -> None:
    if isinstance(value, ModelValue):
        names.add(value.name)
    elif isinstance(value, str):
        strings.add(value)
    elif isinstance(value, frozenset | Seq):
        for item in value:
            _collect_model_values(item, names, strings)
    elif isinstance(value, Record):
        for _, item in value.fields:
            _collect_model_values(item, names, strings)
    elif isinstance(value, Fcn):
        for key, item in value.pairs:
            _collect_model_values(key, names, strings)
            _collect_model_values(item, names, strings)


def value_to_itf(value: Value) -> Any:
    """One value as ITF JSON data (model values become their names)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"#bigint": str(value)}
    if isinstance(value, str):
        return value
    if isinstance(value, ModelValue):
        return value.name
    if isinstance(value, frozenset):
        items = [value_to_itf(item) for item in value]
        # Sets have no order; sort their JSON text so the same trace always exports the same bytes.
        return {"#set": sorted(items, key=lambda item: json.dumps(item, sort_keys=True))}
    if isinstance(value, Seq):
        return {"#tup": [value_to_itf(item) for item in value.items]}
    if isinstance(value, Record):
        return {name: value_to_itf(item) for name, item in value.fields}
    if isinstance(value, Fcn):
        return {"#map": [[value_to_itf(key), value_to_itf(item)] for key, item in value.pairs]}
    raise TypeError(f"not a TLA+ value: {value!r}")


def to_itf(trace: Trace, *, source: str | None = None) -> dict[str, Any]:
    """The trace as one ITF document (JSON data)."""
    names: set[str] = set()
    strings: set[str] = set()
    for state in trace.states:
        for value in state.variables.values():
            _collect_model_values(value, names, strings)
    clash = sorted(names & strings)
    if clash:
        raise ItfExportError(
            f"the trace has both the string and the model value {clash[0]!r}; ITF would not tell them apart"
        )
    meta: dict[str, Any] = {"format": "ITF", "format-description": FORMAT_DESCRIPTION}
    if source is not None:
        meta["source"] = source
    meta["model_values"] = sorted(names)
    if trace.stuttering:
        meta["stuttering"] = True
    if trace.violation is not None:
        meta["violation"] = {
            "kind": trace.violation.kind,
            "name": trace.violation.name,
            "message": trace.violation.message,
        }
    variables: list[str] = list(trace.states[0].variables) if trace.states else []
    document: dict[str, Any] = {"#meta": meta, "vars": variables, "states": []}
    for position, state in enumerate(trace.states):
        state_meta: dict[str, Any] = {"index": position, "tlc_index": state.index}
        if state.action is not None:
            state_meta["action"] = state.action
        if state.location is not None:
            state_meta["location"] = state.location
        entry: dict[str, Any] = {"#meta": state_meta}
        entry.update((name, value_to_itf(value)) for name, value in state.variables.items())
        document["states"].append(entry)
    if trace.loop is not None:
        document["loop"] = trace.loop
    elif trace.stuttering and trace.states:
        document["loop"] = len(trace.states) - 1
    return document


def dumps_itf(trace: Trace, *, source: str | None = None, indent: int | None = None) -> str:
    """The trace as ITF JSON text."""
    return json.dumps(to_itf(trace, source=source), indent=indent, ensure_ascii=False)


# -- import --------------------------------------------------------------------------------------------


class _Importer:
    """Turns ITF JSON data back into values, naming the JSON path of anything that is not ITF."""

    def __init__(self, source: str, line: int, model_values: frozenset[str]) -> None:
        self.source = source
        self.line = line
        self.model_values = model_values

    def fail(self, path: str, expected: str, found: object) -> TlcParseError:
        shown = describe(json.dumps(found, ensure_ascii=False))
        return TlcParseError(self.source, self.line, 1, f"{expected} at {path}", shown)

    def value(self, data: Any, path: str) -> Value:
        if isinstance(data, bool):
            return data
        if isinstance(data, int):
            return data
        if isinstance(data, str):
            return ModelValue(data) if data in self.model_values else data
        if isinstance(data, list):
            return Seq(tuple(self.value(item, f"{path}[{i}]") for i, item in enumerate(data)))
        if not isinstance(data, dict):
            raise self.fail(path, "an ITF value", data)
        if len(data) == 1:
            [(key, inner)] = data.items()
            if key == "#bigint":
                if not (isinstance(inner, str) and _BIGINT.fullmatch(inner)):
                    raise self.fail(path, 'a decimal string in "#bigint"', inner)
                return int(inner)
            if key in ("#set", "#tup", "#map") and not isinstance(inner, list):
                raise self.fail(path, f'a list in "{key}"', inner)
            if key == "#set":
                return frozenset(self.value(item, f"{path}.#set[{i}]") for i, item in enumerate(inner))
            if key == "#tup":
                return Seq(tuple(self.value(item, f"{path}.#tup[{i}]") for i, item in enumerate(inner)))
            if key == "#map":
                return Fcn(tuple(self.pair(item, f"{path}.#map[{i}]") for i, item in enumerate(inner)))
        for key in data:
            if key.startswith("#"):
                raise self.fail(path, "a record field or one of #bigint, #set, #tup, #map", key)
        return Record(tuple((key, self.value(item, f"{path}.{key}")) for key, item in data.items()))

    def pair(self, data: Any, path: str) -> tuple[Value, Value]:
        if not (isinstance(data, list) and len(data) == 2):
            raise self.fail(path, "a [key, value] pair", data)
        return self.value(data[0], f"{path}[0]"), self.value(data[1], f"{path}[1]")


def _optional_str(importer: _Importer, data: Mapping[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise importer.fail(f"{path}.{key}", "a string", value)
    return value


def from_itf(document: Any, *, source: str = "<itf>", line: int = 1) -> Trace:
    """A trace from one ITF document (JSON data); raises ``TlcParseError`` naming what is not ITF."""
    importer = _Importer(source, line, frozenset())
    if not isinstance(document, dict):
        raise importer.fail("the top level", "an ITF object", document)
    meta = document.get("#meta", {})
    if not isinstance(meta, dict):
        raise importer.fail("#meta", "an object", meta)
    names = meta.get("model_values", [])
    if not (isinstance(names, list) and all(isinstance(name, str) for name in names)):
        raise importer.fail("#meta.model_values", "a list of names", names)
    importer.model_values = frozenset(names)
    states_data = document.get("states")
    if not isinstance(states_data, list):
        raise importer.fail("states", "a list of states", states_data)
    states: list[State] = []
    for position, entry in enumerate(states_data):
        path = f"states[{position}]"
        if not isinstance(entry, dict):
            raise importer.fail(path, "a state object", entry)
        state_meta = entry.get("#meta", {})
        if not isinstance(state_meta, dict):
            raise importer.fail(f"{path}.#meta", "an object", state_meta)
        index = state_meta.get("tlc_index", position + 1)
        if not isinstance(index, int) or isinstance(index, bool):
            raise importer.fail(f"{path}.#meta.tlc_index", "an integer", index)
        variables = {
            name: importer.value(data, f"{path}.{name}") for name, data in entry.items() if name != "#meta"
        }
        states.append(
            State(
                index=index,
                action=_optional_str(importer, state_meta, "action", f"{path}.#meta"),
                location=_optional_str(importer, state_meta, "location", f"{path}.#meta"),
                variables=variables,
            )
        )
    stuttering = meta.get("stuttering", False) is True
    loop = document.get("loop")
    if loop is not None and (
        not isinstance(loop, int) or isinstance(loop, bool) or not 0 <= loop < max(len(states), 1)
    ):
        raise importer.fail("loop", "the index of one of the states", loop)
    if stuttering:
        loop = None
    violation_data = meta.get("violation")
    violation: Violation | None = None
    if violation_data is not None:
        if not isinstance(violation_data, dict) or not isinstance(violation_data.get("kind"), str):
            raise importer.fail("#meta.violation", "an object with a kind", violation_data)
        violation = Violation(
            kind=violation_data["kind"],
            name=_optional_str(importer, violation_data, "name", "#meta.violation"),
            message=_optional_str(importer, violation_data, "message", "#meta.violation") or "",
        )
    return Trace(states=tuple(states), loop=loop, stuttering=stuttering, violation=violation)


def _documents(text: str, source: str) -> Iterator[tuple[Any, int]]:
    """Each JSON document in ``text`` (one, or several one after another) with its first line."""
    decoder = json.JSONDecoder()
    position = 0
    length = len(text)
    while True:
        while position < length and text[position] in " \t\r\n":
            position += 1
        if position >= length:
            return
        line = text.count("\n", 0, position) + 1
        try:
            document, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError) as error:
            if not isinstance(error, json.JSONDecodeError):
                # Numbers too long for int(), or nesting too deep for the decoder.
                found = "a number too long" if isinstance(error, ValueError) else "nesting too deep"
                raise TlcParseError(source, line, 1, "a JSON document Python can read", found) from None
            text_line = text.split("\n")[error.lineno - 1] if text else ""
            found = describe(text[error.pos : error.pos + 10])
            expected = error.msg[0].lower() + error.msg[1:]
            raise TlcParseError(
                source, error.lineno, error.colno, f"JSON ({expected})", found, text_line
            ) from None
        yield document, line


def loads_itf(text: str, *, source: str = "<itf>") -> tuple[Trace, ...]:
    """Every trace in ITF JSON text: one document, or several one after another (JSON Lines)."""
    try:
        traces = tuple(
            from_itf(document, source=source, line=line) for document, line in _documents(text, source)
        )
    except RecursionError:
        raise TlcParseError(source, 1, 1, "an ITF document nested less deeply", "deeper nesting") from None
    if not traces:
        raise TlcParseError(source, 1, 1, "an ITF document", "end of input")
    return traces
