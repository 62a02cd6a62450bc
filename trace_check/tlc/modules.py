"""The modules a spec pulls in from its own folder, so the cache key covers every one of them."""

from __future__ import annotations

import re
from pathlib import Path

# Only module names are read here (EXTENDS and INSTANCE targets); TLA+ itself is SANY's business.
_BLOCK_COMMENT = re.compile(r"\(\*.*?\*\)", re.DOTALL)
_LINE_COMMENT = re.compile(r"\\\*[^\n]*")
_EXTENDS = re.compile(r"\bEXTENDS\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)")
_INSTANCE = re.compile(r"\bINSTANCE\s+([A-Za-z_]\w*)")


def module_closure(spec: Path) -> tuple[tuple[str, Path | None], ...]:
    """Every module reachable from ``spec`` by EXTENDS/INSTANCE, with its file beside the spec or None.

    None marks a module TLC finds elsewhere (the standard library); the name still enters the key,
    so a local file appearing later under that name changes it.
    """
    folder = spec.parent
    found: dict[str, Path | None] = {spec.stem: spec}
    pending = [spec]
    while pending:
        text = pending.pop().read_text(encoding="utf-8", errors="replace")
        for name in _referenced(text):
            if name in found:
                continue
            candidate = folder / f"{name}.tla"
            found[name] = candidate if candidate.is_file() else None
            if candidate.is_file():
                pending.append(candidate)
    return tuple(sorted(found.items()))


def _referenced(text: str) -> list[str]:
    text = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", text))
    names = [name.strip() for group in _EXTENDS.findall(text) for name in group.split(",")]
    names.extend(_INSTANCE.findall(text))
    return names
