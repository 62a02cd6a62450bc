"""TLC's text and ITF in, data out: values, traces, TLC's whole output and its state graphs.

The one face of the parser: everything outside imports from here. Each reader raises
``TlcParseError`` (a ``TraceCheckError``) naming the source, line and column where the text
stopped being what it should be. The lark grammars are package data beside it (``grammars/``).
"""

from failure_lab.trace_check.parse._error import TlcParseError
from failure_lab.trace_check.parse._itf import (
    ItfExportError,
    dumps_itf,
    from_itf,
    loads_itf,
    to_itf,
    value_to_itf,
)
from failure_lab.trace_check.parse._state_graph import Edge, StateGraph, parse_state_graph
from failure_lab.trace_check.parse._tlc_output import Progress, TlcOutput, parse_progress, parse_tlc_output
from failure_lab.trace_check.parse._trace import State, Trace, Violation
from failure_lab.trace_check.parse._value_parser import parse_value
from failure_lab.trace_check.parse._values import Fcn, ModelValue, Record, Seq, Value, quote, to_tla

__all__ = [
    "Edge",
    "Fcn",
    "ItfExportError",
    "ModelValue",
    "Progress",
    "Record",
    "Seq",
    "State",
    "StateGraph",
    "TlcOutput",
    "TlcParseError",
    "Trace",
    "Value",
    "Violation",
    "dumps_itf",
    "from_itf",
    "loads_itf",
    "parse_progress",
    "parse_state_graph",
    "parse_tlc_output",
    "parse_value",
    "quote",
    "to_itf",
    "to_tla",
    "value_to_itf",
]
