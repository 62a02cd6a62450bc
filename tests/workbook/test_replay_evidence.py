"""The replay verdicts on the pages: each bug reproduced with its guard off and refused with it on."""

from __future__ import annotations

from failure_lab.workbook.build import Built


def test_every_counterexample_reproduces_with_the_guard_off_and_parts_with_it_on(built: Built) -> None:
    for ve in built.evidence.failure_modes:
        traced = {v.variant.name: v.trace for v in ve.variants if v.trace is not None}
        bug = {r.variant: r for r in ve.replays if r.direction == "bug"}
        guard = {r.variant: r for r in ve.replays if r.direction == "guard"}
        assert set(bug) == set(guard) == set(traced), ve.failure_mode.id
        for name, trace in traced.items():
            assert trace is not None
            assert bug[name].ok, (ve.failure_mode.id, bug[name].summary)
            assert guard[name].parted_at is not None and not guard[name].broken
            # The guard acts at a step the bug trace takes; before it, model and runtime agree.
            agreed = guard[name].agreed
            assert agreed is not None and agreed < len(trace.states)


def test_each_page_says_the_replay_verdict_in_both_directions(built: Built) -> None:
    for ve in built.evidence.failure_modes:
        page = (built.markdown / f"{ve.failure_mode.id}.md").read_text(encoding="utf-8")
        guard = ve.failure_mode.python_guard
        for replay in ve.replays:
            if replay.direction == "bug":
                assert f"guard `{guard}` off: **reproduces**, {replay.summary}" in page
            else:
                assert f"guard `{guard}` on: {replay.summary}" in page


def test_each_saved_counterexample_is_compared_with_todays(built: Built) -> None:
    for ve in built.evidence.failure_modes:
        page = (built.markdown / f"{ve.failure_mode.id}.md").read_text(encoding="utf-8")
        for saved in ve.saved:
            assert f"`{saved.path.relative_to(built.evidence.root).as_posix()}`" in page
            verdict = "identical to the one TLC printed" if saved.fresh else "**stale**"
            assert verdict in page if saved.present else "**none yet**" in page


def test_the_happy_path_replays_in_full_with_every_guard_on(built: Built) -> None:
    assert built.evidence.happy_paths
    for happy in built.evidence.happy_paths:
        assert happy.trace is not None
        assert happy.replay.ok, happy.replay.summary
        assert happy.replay.agreed == len(happy.trace.states)
