"""A manifest names its mapping (``mapping = "counter"``), found in the lab's own ``failure_modes/mappings/``.

The lab's folder is no installed package: it is imported from the lab's root, with or without an
``__init__.py``, and never mixed with another lab's folder of the same name (this suite has the
repository's own ``failure_modes`` imported already).
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from failure_lab.trace_check.registry import RegistryError, load_registry
from failure_lab.trace_check.replay import MappingError, load_mapping

SPECS = Path(__file__).resolve().parents[1] / "specs"

MANIFEST = """
    id = "counter_bound"
    title = "A counter passes three"
    invariant = "BelowThree"
    spec = "specs/Counter.tla"
    mapping = "{mapping}"

    [variants.bug]
    config = "specs/CounterBelowThree.cfg"
    expect = "invariant_violated"
    violated = "BelowThree"
"""

# A mapping of the Counter spec over a runtime of one integer, its parameters from a sibling module.
MAPPING = """
    from failure_lab.trace_check.replay.mapping import Action, SpecMapping, action_table

    from .shared import LIMIT


    class Counter:
        def __init__(self) -> None:
            self.x = 0


    def up(system, args):
        system.x += 1


    def rest(system, args):
        pass


    MAPPING = SpecMapping(
        spec_module="Counter",
        variables=frozenset({{"x"}}),
        actions=action_table(Action("Up", (), up), Action("Rest", (), rest)),
        start=lambda guards_off: Counter(),
        abstract=lambda system: {{"x": system.x}},
        invariants=lambda system: {{"BelowThree": () if system.x < 3 else ("x is {{system.x}}",)}},
        refusal=lambda error: None,
    )
    LAB = "{lab}"
"""


def lab(root: Path, *, packages: bool, mapping: str = "counter", text: str = MAPPING) -> Path:
    """A lab of its own: the Counter spec, one manifest, and its mapping with a sibling module."""
    shutil.copytree(SPECS, root / "specs")
    bundle = root / "failure_modes" / "counter_bound"
    mappings = root / "failure_modes" / "mappings"
    for folder in (bundle, mappings):
        folder.mkdir(parents=True, exist_ok=True)
    (bundle / "failure_mode.toml").write_text(textwrap.dedent(MANIFEST.format(mapping=mapping)).lstrip())
    (mappings / "counter.py").write_text(textwrap.dedent(text.format(lab=root.name)).lstrip())
    (mappings / "shared.py").write_text("LIMIT = 3\n")
    if packages:
        (root / "failure_modes" / "__init__.py").write_text('"""A lab of its own."""\n')
        (mappings / "__init__.py").write_text("")
    return root


@pytest.mark.parametrize("packages", [True, False], ids=["with __init__.py", "without __init__.py"])
def test_the_manifest_names_a_mapping_imported_from_the_labs_own_folder(
    tmp_path: Path, packages: bool
) -> None:
    root = lab(tmp_path / f"lab_{packages}", packages=packages)
    fm = load_registry(root).get("counter_bound")
    assert fm.mapping is not None
    assert (fm.mapping.name, fm.mapping.file) == (
        "counter",
        root / "failure_modes" / "mappings" / "counter.py",
    )
    assert fm.mapping.where == "failure_modes/counter_bound/failure_mode.toml:5"
    mapping = load_mapping(fm)
    assert list(mapping.actions) == ["Up", "Rest"] and mapping.actions["Up"].params == ()
    system = mapping.start(frozenset())
    mapping.actions["Up"](system, {})
    assert mapping.abstract(system) == {"x": 1}


def test_two_labs_in_one_process_keep_their_own_mappings(tmp_path: Path) -> None:
    first = load_mapping(load_registry(lab(tmp_path / "first", packages=True)).get("counter_bound"))
    second = load_mapping(load_registry(lab(tmp_path / "second", packages=False)).get("counter_bound"))
    modules = [
        __import__(mapping.actions["Up"].run.__module__, fromlist=["LAB"]) for mapping in (first, second)
    ]
    assert [module.LAB for module in modules] == ["first", "second"]
    assert [Path(module.__file__).parents[2].name for module in modules] == ["first", "second"]


def test_a_mapping_that_does_not_exist_is_named_at_its_manifest_line(tmp_path: Path) -> None:
    root = lab(tmp_path / "lab", packages=True, mapping="countr")
    with pytest.raises(RegistryError) as error:
        load_registry(root)
    assert str(error.value) == (
        "failure_modes/counter_bound/failure_mode.toml:5: mapping: expected the name of a module of "
        "failure_modes/mappings/, but failure_modes/mappings/countr.py does not exist"
    )


def test_a_mapping_name_that_is_a_path_is_refused(tmp_path: Path) -> None:
    root = lab(tmp_path / "lab", packages=True, mapping="../counter")
    with pytest.raises(RegistryError, match=r"failure_mode.toml:5: mapping: expected a module name"):
        load_registry(root)


def test_a_mapping_that_fails_to_import_is_one_line_at_its_manifest_line(tmp_path: Path) -> None:
    root = lab(tmp_path / "lab", packages=False, text="from .nowhere import LIMIT\n")
    with pytest.raises(MappingError) as error:
        load_mapping(load_registry(root).get("counter_bound"))
    assert str(error.value).startswith(
        "failure_modes/counter_bound/failure_mode.toml:5: mapping: failure_modes/mappings/counter.py does not"
        " import: ModuleNotFoundError: No module named "
    )
    assert "\n" not in str(error.value)


def test_a_mapping_module_without_a_mapping_is_named_at_its_manifest_line(tmp_path: Path) -> None:
    root = lab(tmp_path / "lab", packages=True, text="LIMIT = 3\n")
    with pytest.raises(MappingError) as error:
        load_mapping(load_registry(root).get("counter_bound"))
    assert str(error.value) == (
        "failure_modes/counter_bound/failure_mode.toml:5: mapping: failure_modes/mappings/counter.py"
        " defines no MAPPING of type SpecMapping"
    )


def test_a_manifest_that_names_no_mapping_says_so_when_one_is_needed(tmp_path: Path) -> None:
    root = lab(tmp_path / "lab", packages=True)
    manifest = root / "failure_modes" / "counter_bound" / "failure_mode.toml"
    manifest.write_text(manifest.read_text().replace('mapping = "counter"\n', ""))
    fm = load_registry(root).get("counter_bound")
    assert fm.mapping is None
    with pytest.raises(MappingError, match=r"failure_mode.toml: names no mapping \(mapping = \"NAME\""):
        load_mapping(fm)


def test_the_actions_key_is_refused_at_its_line(tmp_path: Path) -> None:
    root = lab(tmp_path / "lab", packages=True)
    manifest = root / "failure_modes" / "counter_bound" / "failure_mode.toml"
    manifest.write_text(
        manifest.read_text().replace('mapping = "counter"\n', 'mapping = "counter"\nactions = ["Up"]\n')
    )
    with pytest.raises(RegistryError) as error:
        load_registry(root)
    assert str(error.value) == (
        "failure_modes/counter_bound/failure_mode.toml:6: actions: not a manifest key; the mapping declares"
        " each action with its parameters (remove the line)"
    )
