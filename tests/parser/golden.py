"""The golden summary of a TLC output: what ``parse_tlc_output`` read, as plain JSON data."""

from __future__ import annotations

import re
from typing import Any

from failure_lab.trace_check.parse import TlcOutput, Trace, parse_tlc_output, to_tla


def summarize_trace(trace: Trace) -> dict[str, Any]:
    """A trace as JSON data, values printed by ``to_tla``."""
    return {
        "loop": trace.loop,
        "stuttering": trace.stuttering,
        "violation": None
        if trace.violation is None
        else {"kind": trace.violation.kind, "name": trace.violation.name, "message": trace.violation.message},
        "states": [
            {
                "index": state.index,
                "action": state.action,
                "location": state.location,
                "variables": {name: to_tla(value) for name, value in sorted(state.variables.items())},
            }
            for state in trace.states
        ],
    }


def summarize_output(output: TlcOutput) -> dict[str, Any]:
    """Every field of a ``TlcOutput`` as JSON data."""
    return {
        "version": output.version,
        "warnings": list(output.warnings),
        "outcome": output.outcome,
        "violated": output.violated,
        "message": output.message,
        "error_location": list(output.error_location) if output.error_location else None,
        "states_generated": output.states_generated,
        "distinct_states": output.distinct_states,
        "states_left": output.states_left,
        "depth": output.depth,
        "finished": output.finished,
        "traces": [summarize_trace(trace) for trace in output.traces],
    }


def summarize(text: str, *, source: str) -> dict[str, Any]:
    """Parse ``text`` and summarize it."""
    return summarize_output(parse_tlc_output(text, source=source))


def raw_values(tool_output: str) -> list[str]:
    """The value texts of every trace state exactly as TLC printed them."""
    texts: list[str] = []
    states = r"@!@!@STARTMSG (?:2217:4|2107:1) @!@!@\n.*?\n(.*?)\n\n@!@!@ENDMSG"
    for body in re.findall(states, tool_output, re.DOTALL):
        texts.extend(re.split(r"(?:^|\n)(?:/\\ )?[A-Za-z_]\w* = ", "\n" + body)[1:])
    return texts
