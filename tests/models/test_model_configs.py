"""Each bug variant is its guarded model plus one override, and the catalogue names real invariants."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Pending scaffolds (failure-lab new) owe none of this yet; the registry keeps them apart too.
MANIFESTS = [
    path
    for path in sorted(ROOT.glob("failure_modes/*/failure_mode.toml"))
    if tomllib.loads(path.read_text()).get("status") != "pending"
]
CATALOGUE = tomllib.loads((ROOT / "specs" / "invariants.toml").read_text())
OVERRIDE = re.compile(r"^CONSTANT (\w+) <- Incorrectly(\w+)$")


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text())


def _directives(cfg: Path) -> list[str]:
    """The config's lines without comments and blank lines."""
    lines = (re.sub(r"\\\*.*$", "", line).strip() for line in cfg.read_text().splitlines())
    return [line for line in lines if line]


def _spec_text(manifest: dict) -> str:
    """The text of the bounded model and every module next to it."""
    folder = (ROOT / manifest["spec"]).parent
    return "\n".join(p.read_text() for p in sorted(folder.glob("*.tla")))


def test_every_failure_mode_has_a_manifest() -> None:
    ids = {p.parent.name for p in MANIFESTS}
    assert {"a09_stale_epoch", "fm001_lease_expiry_duplicate"} <= ids
    assert len(ids) == 13


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.parent.name)
def test_bug_configs_differ_from_the_guarded_model_by_one_override(path: Path) -> None:
    manifest = _load(path)
    fixed = _directives(ROOT / manifest["variants"]["fixed"]["config"])
    bugs = {name: v for name, v in manifest["variants"].items() if v["expect"] != "ok"}
    assert bugs, "a failure mode needs a variant that exhibits the bug"
    for name, variant in bugs.items():
        lines = _directives(ROOT / variant["config"])
        overrides = [line for line in lines if OVERRIDE.match(line)]
        assert len(overrides) == 1, f"{name}: expected one override, found {overrides}"
        match = OVERRIDE.match(overrides[0])
        assert match is not None and match.group(1) == match.group(2) == manifest["guard"]
        rest = [line for line in lines if line != overrides[0]]
        if name == "bug":
            assert rest == fixed, f"{name}: differs from the guarded config beyond the override"
        else:  # e.g. the liveness view of a bug drops the invariants so TLC reports the property
            assert set(rest) <= set(fixed), f"{name}: adds directives the guarded config lacks"


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.parent.name)
def test_manifest_names_a_catalogued_invariant_defined_in_its_spec(path: Path) -> None:
    manifest = _load(path)
    entry = CATALOGUE[manifest["inv"]]
    assert entry["name"] == manifest["invariant"]
    text = _spec_text(manifest)
    for name in {manifest["invariant"], manifest["guard"], f"Incorrectly{manifest['guard']}"}:
        assert re.search(rf"^{name}\b.*==", text, re.MULTILINE), f"{name} is not defined in the spec"
    for variant in manifest["variants"].values():
        if "violated" in variant:
            assert any(e["name"] == variant["violated"] for e in CATALOGUE.values())


def test_every_catalogued_invariant_is_checked_by_some_config() -> None:
    configs = "\n".join(p.read_text() for p in ROOT.glob("specs/*/*.cfg"))
    for inv_id, entry in CATALOGUE.items():
        assert re.search(rf"^\s+{entry['name']}$|^PROPERTY {entry['name']}$", configs, re.MULTILINE), inv_id
