"""a09_checkpoint_advance prevented: the checkpoint waits for the durable write, so a crash loses nothing."""

from failure_modes.a09_checkpoint_advance.scenario import SCENARIO


def test_the_checkpoint_waits_for_the_durable_write_and_every_invariant_holds() -> None:
    stage = SCENARIO.guarded()
    assert stage.violations() == ()
    assert [refusal.guard for refusal in stage.refusals] == [SCENARIO.guard]


def test_a_crash_before_the_durable_write_is_recovered_by_the_restarted_scanner() -> None:
    stage = SCENARIO.guarded()
    stage.crash_scanner()
    assert stage.queue.inspect().taken == {"r1"}
    assert stage.materialize("r1")
