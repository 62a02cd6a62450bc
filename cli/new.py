"""``failure-lab new``: scaffold a pending failure-mode bundle and its spec skeleton from templates."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import jinja2

from failure_lab.cli._options import add_root_option, root_of
from failure_lab.trace_check.errors import TraceCheckError
from failure_lab.trace_check.registry import load_registry

TEMPLATES = Path(__file__).resolve().parent / "templates" / "new"
# The registry's rule for ids, plus a length a folder and a module name can carry.
_ID = re.compile(r"[a-z][a-z0-9_]{2,47}")


class NewError(TraceCheckError):
    """An id or title ``failure-lab new`` refuses; nothing was written."""


def register(subparsers: Any) -> None:
    """Add the ``new`` subcommand."""
    parser = subparsers.add_parser(
        "new",
        help="scaffold a pending failure-mode bundle and its spec skeleton",
        description=(
            'Write failure_modes/ID/ (manifest with status = "pending", spec.md, scenario.py, repro, '
            "prevent and recover tests), its mapping failure_modes/mappings/ID.py and specs/ID/ (a TLA+ "
            "skeleton, its model, a guarded config and a bug config). The new failure mode shows as "
            "pending in list, check and the workbook until its expectations are met and the status "
            "line is removed."
        ),
        epilog="exit codes: 0 written, 2 a malformed or existing id (nothing written)",
    )
    parser.add_argument("id", help="lower case letters, digits and _, starting with a letter")
    parser.add_argument("--title", required=True, help="one line: what goes wrong")
    add_root_option(parser)
    parser.set_defaults(func=run)


def module_name(fm_id: str) -> str:
    """The TLA+ module name of a failure mode: ``retry_budget`` -> ``RetryBudget``."""
    return "".join(part[:1].upper() + part[1:] for part in fm_id.split("_") if part)


def files(fm_id: str, title: str) -> dict[str, str]:
    """Every file of the scaffold, by path relative to the repository root."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # TLA+, TOML, Python and Markdown, none of them HTML
    )
    module = module_name(fm_id)
    names = {
        "id": fm_id,
        "title": title,
        "module": module,
        "invariant": f"{module}Holds",
        "guard": f"{module}Guard",
    }
    bundle, spec = f"failure_modes/{fm_id}", f"specs/{fm_id}"
    layout = {
        f"{bundle}/__init__.py": None,
        f"{bundle}/failure_mode.toml": "failure_mode.toml.j2",
        f"{bundle}/spec.md": "spec.md.j2",
        f"{bundle}/scenario.py": "scenario.py.j2",
        f"{bundle}/tests/__init__.py": None,
        f"{bundle}/tests/test_repro_{fm_id}.py": "test_repro.py.j2",
        f"{bundle}/tests/test_prevent_{fm_id}.py": "test_prevent.py.j2",
        f"{bundle}/tests/test_recover_{fm_id}.py": "test_recover.py.j2",
        f"failure_modes/mappings/{fm_id}.py": "mapping.py.j2",
        f"{spec}/{module}.tla": "Spec.tla.j2",
        f"{spec}/MC{module}.tla": "MCSpec.tla.j2",
        f"{spec}/MC{module}.cfg": "MCSpec.cfg.j2",
        f"{spec}/MC{module}_bug.cfg": "MCSpec_bug.cfg.j2",
        f"{spec}/README.md": "README.md.j2",
    }
    return {
        path: "" if template is None else env.get_template(template).render(**names)
        for path, template in layout.items()
    }


def refuse(root: Path, fm_id: str, title: str) -> None:
    """Raise ``NewError`` for an id or title that must not be scaffolded."""
    if not _ID.fullmatch(fm_id):
        raise NewError(
            f"{fm_id!r}: expected an id of 3 to 48 lower case letters, digits and _, starting with a letter"
        )
    known = {fm.id for fm in load_registry(root).every}
    lab = root / "failure_modes"
    owned = (lab / fm_id, root / "specs" / fm_id, lab / "mappings" / f"{fm_id}.py")
    taken = [path for path in owned if path.exists()]
    if fm_id in known or taken:
        where = taken[0].relative_to(root) if taken else f"failure_modes/{fm_id}"
        raise NewError(f"{fm_id!r}: a failure mode of that id already exists ({where})")
    if not title.strip() or "\n" in title or '"' in title or "\\" in title:
        raise NewError(f"--title {title!r}: expected one line of text without quotes or backslashes")


def run(args: argparse.Namespace) -> int:
    """Write the scaffold and say what to do next."""
    root = root_of(args)
    refuse(root, args.id, args.title)
    written = files(args.id, args.title.strip())
    for relative, text in written.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(
        f"new: {args.id}: {len(written)} files under failure_modes/{args.id}/, failure_modes/mappings/ and"
        f" specs/{args.id}/ (pending)"
    )
    print(f"next: fill in specs/{args.id}/{module_name(args.id)}.tla, then: failure-lab check {args.id}")
    return 0
