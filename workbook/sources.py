"""What the workbook quotes from the repository: TLA+ definitions, variable order, hashes, the commit."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from failure_lab.workbook.errors import WorkbookError

# A top-level definition starts in column 0: `Name ==`, `Name(a, b) ==`.
_HEADER = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<params>[^)]*)\))?\s*==", re.MULTILINE)
_COMMENT_LINE = re.compile(r"^\s*\(\*.*\*\)\s*$")
_RULE = re.compile(r"^(?:-{4,}|={4,})")
_VARIABLES = re.compile(r"^VARIABLES?\b(?P<body>.*?)(?=^\S)", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Definition:
    """One operator definition as written in a spec: its text, parameters, comment and line."""

    name: str
    params: tuple[str, ...]
    text: str
    comment: str
    module: str
    line: int


def definitions(spec: Path) -> dict[str, Definition]:
    """Every top-level operator definition of ``spec``, by name, text exactly as in the file."""
    text = spec.read_text(encoding="utf-8")
    lines = text.splitlines()
    headers = list(_HEADER.finditer(text))
    found: dict[str, Definition] = {}
    for match in headers:
        start = text.count("\n", 0, match.start())
        end = start + 1
        # The body runs on while lines are indented (or blank inside an indented block).
        while end < len(lines) and (lines[end].startswith((" ", "\t")) and lines[end].strip()):
            end += 1
        body = "\n".join(lines[start:end]).rstrip()
        comment_lines: list[str] = []
        above = start - 1
        while above >= 0 and _COMMENT_LINE.match(lines[above]) and not _RULE.match(lines[above]):
            comment_lines.insert(0, lines[above])
            above -= 1
        params = tuple(p.strip() for p in (match["params"] or "").split(",") if p.strip())
        found[match["name"]] = Definition(
            name=match["name"],
            params=params,
            text=body,
            comment=_comment_prose(comment_lines),
            module=spec.stem,
            line=start + 1,
        )
    return found


def definition(spec: Path, name: str) -> Definition:
    """The definition of ``name`` in ``spec``; a missing one is an error naming the file."""
    found = definitions(spec)
    if name not in found:
        raise WorkbookError(f"{spec.name}: expected a definition of {name}, found none")
    return found[name]


def _comment_prose(lines: list[str]) -> str:
    words: list[str] = []
    for line in lines:
        inner = line.strip().removeprefix("(*").removesuffix("*)").strip()
        if inner and not set(inner) <= {"*"}:
            words.append(inner)
    return " ".join(" ".join(words).split())


def variables(spec: Path) -> tuple[str, ...]:
    """The state variables in the order the spec declares them."""
    text = spec.read_text(encoding="utf-8")
    match = _VARIABLES.search(text)
    if match is None:
        raise WorkbookError(f"{spec.name}: expected a VARIABLES declaration, found none")
    names: list[str] = []
    for line in match["body"].splitlines():
        code = line.split("\\*", 1)[0]
        names.extend(part.strip() for part in code.split(",") if part.strip())
    return tuple(names)


def extended_module(spec: Path) -> Path:
    """The design module a model module (``MCA09.tla``) extends and lives beside."""
    text = spec.read_text(encoding="utf-8")
    match = re.search(r"^EXTENDS\s+(.*)$", text, re.MULTILINE)
    if match is not None:
        for name in (part.strip() for part in match[1].split(",")):
            candidate = spec.with_name(f"{name}.tla")
            if candidate.is_file():
                return candidate
    return spec


def digest(paths: Iterable[Path], root: Path) -> str:
    """A short sha256 over the files' repository-relative names and contents."""
    hasher = hashlib.sha256()
    for path in sorted(set(paths)):
        data = path.read_bytes()
        name = path.relative_to(root).as_posix().encode()
        hasher.update(b"%d:%s%d:" % (len(name), name, len(data)))
        hasher.update(data)
    return hasher.hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Commit:
    """The commit rendered from, and the inputs that differ from it in the working tree."""

    sha: str
    dirty: tuple[str, ...]

    def describe(self) -> str:
        """``abc1234`` or ``abc1234 + uncommitted changes to specs/a09/A09.tla``."""
        if not self.dirty:
            return self.sha
        shown = ", ".join(self.dirty[:3]) + (
            f" and {len(self.dirty) - 3} more" if len(self.dirty) > 3 else ""
        )
        return f"{self.sha} + uncommitted changes to {shown}"


def git_commit(root: Path, inputs: Iterable[str]) -> Commit:
    """HEAD's short sha and which of ``inputs`` (repository paths) have uncommitted changes."""
    try:
        sha = _git(root, "rev-parse", "--short=12", "HEAD").strip()
        status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *inputs)
    except (OSError, subprocess.CalledProcessError) as error:
        raise WorkbookError(f"{root}: expected a git checkout to stamp pages with ({error})") from None
    dirty = tuple(sorted(line[3:] for line in status.splitlines() if line.strip()))
    return Commit(sha=sha, dirty=dirty)


def _git(root: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, encoding="utf-8"
    )
    return completed.stdout
