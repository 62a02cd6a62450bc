"""The virtual clock moves only when told, and the guards are named switches that refuse unknown names."""

from __future__ import annotations

import pytest

from failure_lab.python_impl import Guards, RealClock, RetryPolicy, VirtualClock


def test_virtual_clock_ticks_advances_and_sleeps_without_waiting() -> None:
    clock = VirtualClock()
    assert (clock.now(), clock.tick(), clock.advance(5)) == (0, 1, 6)
    clock.sleep(4)
    assert clock.now() == 10


def test_virtual_clock_refuses_to_go_back() -> None:
    with pytest.raises(ValueError, match=r"advance\(-1\)"):
        VirtualClock(3).advance(-1)


def test_real_clock_refuses_a_tick_that_is_not_positive() -> None:
    with pytest.raises(ValueError, match="tick_seconds must be positive"):
        RealClock(0)


def test_every_guard_is_on_by_default_and_without_switches_off_exactly_the_named_ones() -> None:
    assert Guards().off() == ()
    assert Guards().without("epoch_fence", "due_boundary").off() == ("due_boundary", "epoch_fence")


def test_an_unknown_guard_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown guard fence; expected one of due_boundary, "):
        Guards().without("fence")


@pytest.mark.parametrize(("field", "value"), [("max_attempts", 0), ("jitter", 1.5)])
def test_a_retry_policy_out_of_range_is_refused(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**{field: value})  # type: ignore[arg-type]
