"""The timeline SVG: a lane per worker, the scanner and the store; epochs and lease expiry visible."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from failure_lab.trace_check.parse import Fcn, Record
from failure_lab.workbook.evidence import Evidence, FailureModeEvidence, VariantEvidence
from failure_lab.workbook.sources import definitions, variables
from failure_lab.workbook.timeline import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def _svg(ve: FailureModeEvidence, v: VariantEvidence) -> ET.Element:
    assert v.trace is not None
    found = definitions(ve.design)
    actions = {name: found[name] for name in ve.actions}
    text = timeline_svg(v.trace, variables(ve.design), actions, title="t", violated=v.variant.violated)
    return ET.fromstring(text)


def _texts(svg: ET.Element) -> list[str]:
    return [element.text or "" for element in svg.iter(f"{SVG}text")]


def test_every_counterexample_draws_as_well_formed_svg_with_a_size(evidence: Evidence) -> None:
    for ve in evidence.failure_modes:
        for v in ve.variants:
            if v.trace is None:
                continue
            svg = _svg(ve, v)
            assert float(svg.attrib["width"]) > 0 and float(svg.attrib["height"]) > 0
            states = [t for t in _texts(svg) if t.startswith("state ")]
            assert len(states) == len(v.trace.states)


def test_a09_lanes_are_the_workers_the_scanner_and_the_store(evidence: Evidence) -> None:
    ve = evidence.get("a09_duplicate_claim")
    assert ve.bug is not None and ve.bug.trace is not None
    attempt = ve.bug.trace.states[0].variables["attempt"]
    assert isinstance(attempt, Fcn)
    workers = sorted(key.name for key in attempt.graph())  # type: ignore[union-attr]
    labels = [t for t in _texts(_svg(ve, ve.bug))]
    assert [label for label in labels if label in {*workers, "scanner", "store"}] == [
        *workers,
        "scanner",
        "store",
    ]


def test_fm001_has_no_scanner_lane(evidence: Evidence) -> None:
    ve = evidence.get("fm001_lease_expiry_duplicate")
    assert ve.bug is not None
    assert "scanner" not in _texts(_svg(ve, ve.bug))


def test_stale_epoch_timeline_shows_both_epochs_and_the_expired_lease(evidence: Evidence) -> None:
    ve = evidence.get("a09_stale_epoch")
    assert ve.bug is not None and ve.bug.trace is not None
    epochs = set()
    for state in ve.bug.trace.states:
        attempt = state.variables["attempt"]
        assert isinstance(attempt, Fcn)
        for held in attempt.graph().values():
            if isinstance(held, Record):
                epochs.add(f"{held['run'].name} epoch {held['epoch']}")  # type: ignore[union-attr]
    texts = _texts(_svg(ve, ve.bug))
    assert len(epochs) == 2
    assert epochs <= set(texts)
    assert "lease expired" in texts  # w1's lease runs out ...
    assert "stale epoch" in texts  # ... and w2's claim opens epoch 2 over it
    assert f"{ve.failure_mode.invariant} violated" in texts
