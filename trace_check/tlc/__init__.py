"""Run TLC: find java and the jar, run in ``-tool`` mode under ``build/``, cache, and type the result."""

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.tlc.errors import TlcError
from failure_lab.trace_check.tlc.expected import matches
from failure_lab.trace_check.tlc.jar import TlcJar, find_jar
from failure_lab.trace_check.tlc.java import Java, find_java
from failure_lab.trace_check.tlc.result import TlcResult
from failure_lab.trace_check.tlc.runner import TlcRequest, run_tlc
from failure_lab.trace_check.tlc.workspace import Workspace, repository_root

__all__ = [
    "Java",
    "Outcome",
    "TlcError",
    "TlcJar",
    "TlcRequest",
    "TlcResult",
    "Workspace",
    "find_jar",
    "find_java",
    "matches",
    "repository_root",
    "run_tlc",
]
