"""Trace validation, code → spec: the runtime's own runs recorded and checked by TLC as behaviours."""

from failure_lab.trace_check.validate.check import Unmatched, Validation, check_runs
from failure_lab.trace_check.validate.errors import ValidateError
from failure_lab.trace_check.validate.record import Event, Recording, execute, random_run
from failure_lab.trace_check.validate.run import VariantValidation, validate_variant

__all__ = [
    "Event",
    "Recording",
    "Unmatched",
    "ValidateError",
    "Validation",
    "VariantValidation",
    "check_runs",
    "execute",
    "random_run",
    "validate_variant",
]
