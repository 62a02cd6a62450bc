"""A lab's own Python (its ``failure_modes/`` folder: mappings, mutants), imported from the lab's root.

The folder is no installed package, so nothing installed under its name can stand in for it: it is
bound, from its path, as the package ``failure_modes``, with or without an ``__init__.py``. A second
lab in the same process (a test's scratch copy) is bound under a name of its own, so the two never
mix; a lab's modules therefore import their siblings relatively (``from .common import System``).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.registry import LAB


class LabImportError(TraceCheckError):
    """A module of the lab's folder that is missing or does not import."""


def lab_module(folder: Path, relative: str) -> ModuleType:
    """The module of ``folder`` (a lab's ``failure_modes/``) at ``relative`` (``mappings/a09.py``)."""
    folder = folder.resolve()
    path = folder / relative
    if path.suffix != ".py" or not path.is_file():
        raise LabImportError(f"{LAB}/{relative}: expected a Python module of the lab, found none")
    parts = Path(relative).with_suffix("").parts
    name = ".".join((_package(folder), *parts))
    try:
        module = importlib.import_module(name)
    except Exception as error:  # whatever the module raises on import, the user's to fix: one line
        raise LabImportError(f"{LAB}/{relative} does not import: {type(error).__name__}: {error}") from None
    loaded = getattr(module, "__file__", None)
    if loaded is None or Path(loaded).resolve() != path.resolve():
        raise LabImportError(f"{LAB}/{relative}: {name} was imported from {loaded}, not from it")
    return module


def _package(folder: Path) -> str:
    """The import name ``folder`` is bound to, binding it on first use."""
    alias = f"{LAB}_{hashlib.sha256(str(folder).encode()).hexdigest()[:12]}"
    for name in (LAB, alias):
        bound = sys.modules.get(name)
        if bound is None:
            _bind(name, folder)
            return name
        if folder in {Path(entry).resolve() for entry in getattr(bound, "__path__", ())}:
            return name
    raise LabImportError(f"{folder}: {alias} is already bound to another folder")


def _bind(name: str, folder: Path) -> None:
    init = folder / "__init__.py"
    if init.is_file():
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(folder)])
    else:
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        if spec.loader is not None:
            spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[name]
        raise LabImportError(f"{init} does not import: {type(error).__name__}: {error}") from None
