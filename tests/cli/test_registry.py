"""Manifests become typed failure modes; bad ones and unknown names are one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from failure_lab.trace_check.registry import RegistryError, load_registry
from failure_lab.trace_check.tlc import Outcome


def test_every_manifest_becomes_a_typed_failure_mode_in_id_order(lab: Path) -> None:
    registry = load_registry(lab)
    assert [fm.id for fm in registry.failure_modes] == ["counter_bound", "light_cycle", "stuck_counter"]
    counter = registry.get("counter_bound")
    assert counter.spec == lab / "specs" / "Counter.tla"
    assert counter.mapping is None
    bug = counter.variant("bug")
    assert (bug.expect, bug.violated, bug.config) == (
        Outcome.INVARIANT_VIOLATED,
        "BelowThree",
        lab / "specs" / "CounterBelowThree.cfg",
    )
    assert registry.get("stuck_counter").variant("relaxed").tlc_args == ("-deadlock",)


def test_the_bug_variant_comes_first_whatever_the_manifest_order(lab: Path) -> None:
    assert [variant.name for variant in load_registry(lab).get("counter_bound").variants] == ["bug", "fixed"]


def test_an_unknown_failure_mode_lists_the_known_ones_and_suggests_the_closest(lab: Path) -> None:
    with pytest.raises(RegistryError) as caught:
        load_registry(lab).get("counter_bond")
    assert str(caught.value) == (
        "unknown failure mode 'counter_bond' (known: counter_bound, light_cycle, stuck_counter); "
        "did you mean 'counter_bound'?"
    )


def test_an_unknown_variant_lists_the_known_ones(lab: Path) -> None:
    with pytest.raises(
        RegistryError, match=r"counter_bound has no variant 'fxed' \(known: bug, fixed\); did"
    ):
        load_registry(lab).get("counter_bound").variant("fxed")


def test_a_config_that_does_not_exist_is_named_with_file_and_line(
    lab: Path, add_manifest: Callable[[str, str], Path]
) -> None:
    add_manifest(
        "ghost",
        """
        id = "ghost"
        title = "Its config is missing"
        spec = "specs/Counter.tla"

        [variants.bug]
        config = "specs/Ghost.cfg"
        expect = "ok"
        """,
    )
    with pytest.raises(RegistryError) as caught:
        load_registry(lab)
    assert str(caught.value) == (
        "failure_modes/ghost/failure_mode.toml:6: config: expected a file relative to the repository root, "
        "but specs/Ghost.cfg does not exist"
    )


def test_an_expectation_that_is_not_an_outcome_is_refused(
    lab: Path, add_manifest: Callable[[str, str], Path]
) -> None:
    add_manifest(
        "typo",
        """
        id = "typo"
        title = "Expects a verdict TLC never gives"
        spec = "specs/Counter.tla"

        [variants.bug]
        config = "specs/Counter.cfg"
        expect = "invariant_violation"
        """,
    )
    with pytest.raises(RegistryError, match=r"failure_mode.toml:7: expect: expected an outcome \(ok, "):
        load_registry(lab)


def test_the_id_must_be_the_folder_name(lab: Path, add_manifest: Callable[[str, str], Path]) -> None:
    add_manifest("renamed", 'id = "old_name"\ntitle = "t"\nspec = "specs/Counter.tla"\n')
    with pytest.raises(RegistryError, match=r"renamed/failure_mode.toml:1: id: expected the folder name"):
        load_registry(lab)


def test_invalid_toml_is_reported_with_its_position(
    lab: Path, add_manifest: Callable[[str, str], Path]
) -> None:
    add_manifest("broken", 'id = "broken"\ntitle = \n')
    with pytest.raises(RegistryError, match=r"broken/failure_mode.toml: not valid TOML: .*line 2"):
        load_registry(lab)


def test_a_root_without_failure_modes_has_an_empty_registry(tmp_path: Path) -> None:
    registry = load_registry(tmp_path)
    assert registry.failure_modes == ()
    with pytest.raises(RegistryError, match=r"unknown failure mode 'x' \(none are defined\)"):
        registry.get("x")
