"""UP.1 Limit Conditions Check Process: attempt limits and the attempt duration limit.

Durations come from the ``clock`` the ``Sequencer`` is given (``builders.Clock``).
"""

from __future__ import annotations

import random

from scorm_player.sequencing.engine import Sequencer
from scorm_player.sequencing.tree import ActivityTree
from scorm_player.sequencing.utility import (
    evaluate_condition,
    limit_conditions_check,
)
from tests.sequencing.builders import INCOMPLETE, PASSED, Clock, item, sd, sequencer, tree


def _timed(clock: Clock, limit: str = "PT30M", **seq: object) -> Sequencer:
    course: ActivityTree = tree(
        item("exam", seq=sd(duration_limit=limit, **seq)), item("next"), seq=sd(flow=True)
    )
    return Sequencer(course, rng=random.Random(1), clock=clock)


def _sit_exam(seq: Sequencer, clock: Clock, minutes: float) -> None:
    """Start, spend ``minutes`` in the exam, then move on (ending its attempt)."""
    assert seq.navigate("start").delivered == "exam"
    clock.advance(minutes * 60)
    seq.report_runtime("exam", PASSED)
    assert seq.navigate("continue").delivered == "next"


def test_up_1_step_3_attempt_limit_one_refuses_a_second_attempt():
    seq = sequencer(tree(item("a", seq=sd(attempt_limit=1)), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is False  # active: step 2
    seq.navigate("continue")
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is True


def test_up_1_step_3_attempt_limit_two_allows_exactly_two_attempts():
    seq = sequencer(tree(item("a", seq=sd(attempt_limit=2)), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    seq.navigate("continue")
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is False
    assert seq.navigate("choice", "a").delivered == "a"
    seq.navigate("continue")
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is True


def test_up_1_step_1_untracked_activity_has_no_limits():
    seq = sequencer(tree(item("a", seq=sd(attempt_limit=0, tracked=False)), seq=sd(flow=True)))
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is False


def test_up_1_step_2_suspended_activity_is_never_over_its_limit():
    seq = sequencer(tree(item("a", seq=sd(attempt_limit=1)), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", {**INCOMPLETE, "cmi.exit": "suspend"})
    seq.navigate("suspendAll")
    assert limit_conditions_check(seq.ctx, seq.tree["a"]) is False
    assert seq.navigate("resumeAll").delivered == "a"


def test_up_1_step_6_attempt_over_its_absolute_duration_limit_is_violated():
    clock = Clock()
    seq = _timed(clock)
    _sit_exam(seq, clock, minutes=31)
    assert seq.state.activities["exam"].attempt_absolute_duration == 31 * 60
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is True
    assert seq.navigate("choice", "exam").exception == "DB.1.1-3"


def test_up_1_step_6_reaching_the_limit_exactly_is_violated():
    clock = Clock()
    seq = _timed(clock)
    _sit_exam(seq, clock, minutes=30)
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is True


def test_up_1_step_6_attempt_within_its_duration_limit_may_be_retaken():
    clock = Clock()
    seq = _timed(clock)
    _sit_exam(seq, clock, minutes=29)
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is False
    assert seq.navigate("choice", "exam").delivered == "exam"


def test_up_1_step_6_time_spent_suspended_counts_toward_the_absolute_duration():
    clock = Clock()
    seq = _timed(clock)
    seq.navigate("start")
    clock.advance(10 * 60)
    seq.report_runtime("exam", {**INCOMPLETE, "cmi.exit": "suspend"})
    seq.navigate("suspendAll")
    clock.advance(25 * 60)  # away, suspended: absolute time still runs
    assert seq.navigate("resumeAll").delivered == "exam"
    seq.report_runtime("exam", {**PASSED, "cmi.exit": ""})
    seq.navigate("continue")
    assert seq.state.activities["exam"].attempt_absolute_duration == 35 * 60
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is True


def test_up_1_step_6_without_a_clock_durations_stay_zero_and_never_violate():
    seq = sequencer(tree(item("exam", seq=sd(duration_limit="PT1S")), item("next"),
                         seq=sd(flow=True)))
    seq.navigate("start")
    seq.navigate("continue")
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is False


def test_up_1_step_6_needs_the_attempt_progress_to_be_known():
    clock = Clock()
    seq = _timed(clock, completion_set_by_content=True)
    seq.navigate("start")
    clock.advance(40 * 60)
    seq.navigate("continue")  # the SCO never said whether it was completed
    assert seq.state.activities["exam"].attempt_progress_status is False
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is False


def test_up_1_step_6_new_attempt_starts_its_duration_from_zero():
    clock = Clock()
    seq = _timed(clock, limit="PT20M")
    _sit_exam(seq, clock, minutes=15)
    assert seq.navigate("choice", "exam").delivered == "exam"
    clock.advance(10 * 60)
    seq.navigate("continue")
    assert seq.state.activities["exam"].attempt_absolute_duration == 10 * 60
    assert seq.state.activities["exam"].activity_absolute_duration == 25 * 60
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is False


def test_up_1_unreadable_duration_limit_is_ignored():
    clock = Clock()
    seq = _timed(clock, limit="half an hour")
    _sit_exam(seq, clock, minutes=600)
    assert limit_conditions_check(seq.ctx, seq.tree["exam"]) is False


def test_time_limit_exceeded_condition_counts_the_attempt_under_way():
    clock = Clock()
    seq = _timed(clock)
    seq.navigate("start")
    exam = seq.tree["exam"]
    clock.advance(29 * 60)
    assert evaluate_condition(seq.ctx, exam, "timeLimitExceeded") is False
    clock.advance(60)
    assert evaluate_condition(seq.ctx, exam, "timeLimitExceeded") is True


def test_time_limit_exceeded_condition_without_a_limit_never_holds():
    clock = Clock()
    seq = Sequencer(tree(item("a"), seq=sd(flow=True)), rng=random.Random(1), clock=clock)
    seq.navigate("start")
    clock.advance(10**6)
    assert evaluate_condition(seq.ctx, seq.tree["a"], "timeLimitExceeded") is False
